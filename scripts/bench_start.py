"""What a tech waits for at start (issue 18), measured the way the tech meets it.

    .venv/bin/python scripts/bench_start.py            # prints a Markdown report
    .venv/bin/python scripts/bench_start.py --write    # and writes it to benchmarks/start.md

Each run starts the real entry point (``syncro-tui``) in a real pseudo-terminal
(180x50), against the simulator served on loopback HTTP with Syncro's rate
limit on, and the app's own pacing on (180 a minute, burst 20, as shipped).
The simulator holds 5,000 open tickets. Times are read from the terminal's
output: the first frame (the footer painted), the first rows (a ticket
number on screen), the whole queue in (the section count at 5000), and, in a
second kind of run, a ticket opened by Enter as soon as rows show, while the
rest of the load is still coming (its comments on screen). Every figure is the
median of RUNS runs, beside its anchor from the same runs.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import pty
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syncro_tui.simulator import Simulator  # noqa: E402
from syncro_tui.simulator.app import RateWindow  # noqa: E402
from syncro_tui.simulator.server import BackgroundSimulator  # noqa: E402

ROWS = 5000
RUNS = 5
COLUMNS, LINES = 180, 50
FIRST_FRAME = re.compile(rb"Refresh")
A_ROW = re.compile(rb"#\d{5}")
ALL_ROWS = re.compile(rb"All open %d" % ROWS)
REFRESHED = re.compile(rb"Refreshed: (?:\x1b\[[0-9;]*m)*\d\d:\d\d:\d\d")
TICKET_OPEN = re.compile(rb"Comments \(")
CONFIG = """default_profile = "dana"
[profiles.dana]
tech_name = "Dana Whitfield"
user_id = 1843
base_url = "{base_url}"
"""


@functools.cache
def as_installed() -> None:
    """The app's modules compiled to bytecode, as ``pip install`` leaves them. Without it a shell with
    PYTHONDONTWRITEBYTECODE set (this machine's) compiles every module from source on each start, which a
    tech's install never does: 50-90 ms of each start here, on the app's side only (the anchors' imports are
    Textual's, compiled when it was installed)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "syncro_tui")], check=True,
                   stdout=subprocess.DEVNULL, env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})


class Terminal:
    """``syncro-tui`` in a pseudo-terminal; ``until`` reads its output until a pattern shows."""

    def __init__(self, env: dict[str, str], argv: list[str] | None = None) -> None:
        """``argv``: another program to run in the pty (an anchor); by default the real entry point."""
        program = argv or [str(ROOT / ".venv" / "bin" / "syncro-tui")]
        if argv is None:
            as_installed()
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the real entry point, as a tech starts it
            os.execve(program[0], argv or ["syncro-tui"], env)
        os.set_blocking(self.fd, False)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.seen = b""

    def until(self, pattern: re.Pattern[bytes], *, after: int = 0, limit: float = 120.0) -> float:
        """Seconds since start when ``pattern`` first shows in the output written after byte ``after``."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            if pattern.search(self.seen, after):
                return time.perf_counter() - self.started
            ready, _, _ = select.select([self.fd], [], [], 0.02)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:
                    break
        Path(tempfile.gettempdir(), "bench-start-screen.bin").write_bytes(self.seen)
        raise TimeoutError(f"{pattern.pattern!r} never showed (the output is in the temp dir's bench-start-screen.bin)")

    def press(self, keys: bytes) -> int:
        mark = len(self.seen)
        os.write(self.fd, keys)
        return mark

    def close(self) -> None:
        try:
            os.write(self.fd, b"q")
            for _ in range(100):
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                try:
                    select.select([self.fd], [], [], 0.05)
                    os.read(self.fd, 65536)
                except OSError:
                    pass
            else:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
        finally:
            os.close(self.fd)


def environment(base_url: str, data: Path) -> dict[str, str]:
    config = data / "config.toml"
    config.write_text(CONFIG.format(base_url=base_url))
    return {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES),
            "SYNCRO_TUI_CONFIG": str(config), "SYNCRO_TUI_DATA_DIR": str(data / "data"),
            "SYNCRO_API_KEY": "demo-key"}


def one_run(base_url: str, *, cache_from: Path | None, open_ticket: bool) -> tuple[dict[str, float], Path]:
    """One start of the app; ``cache_from``: a data directory whose cache is copied in (a warm start)."""
    data = Path(tempfile.mkdtemp(prefix="bench-start-"))
    (data / "data").mkdir()
    if cache_from is not None:  # only the cache: the pacing bucket starts fresh, as after a minute away
        shutil.copy(cache_from / "data" / "cache.sqlite", data / "data" / "cache.sqlite")
    term = Terminal(environment(base_url, data))
    try:
        figures = {"first frame": term.until(FIRST_FRAME), "rows on screen": term.until(A_ROW)}
        if open_ticket:
            pressed = time.perf_counter() - term.started
            mark = term.press(b"\r")
            figures["ticket open (Enter → comments)"] = term.until(TICKET_OPEN, after=mark) - pressed
        else:
            figures["all 5,000 rows on screen"] = term.until(ALL_ROWS)
            figures["whole queue read from Syncro"] = term.until(REFRESHED)
    finally:
        term.close()
    return figures, data


def fresh_minute(sim: Simulator) -> None:
    """As a minute later: Syncro's window holds none of the last run's requests (each run has its own pacer file)."""
    sim.rate = RateWindow(sim.rate.limit)


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(runs: int = RUNS) -> str:
    sim = Simulator(seed=1, zero_price_rate=0.0, open_tickets=ROWS)  # Syncro's rate limit (180 a minute) stays on
    with BackgroundSimulator(sim) as server:
        # cold: no cache; warm: the cold run's cache copied in; each once with Enter pressed as rows show
        kinds = {"cold": (False, False), "warm": (True, False), "during": (False, True), "after": (True, True)}
        results: dict[str, dict[str, list[float]]] = {kind: {} for kind in kinds}
        for _ in range(runs):
            cached: Path | None = None
            for kind, (warm, open_ticket) in kinds.items():
                figures, data = one_run(server.base_url, cache_from=cached if warm else None, open_ticket=open_ticket)
                cached = cached or data
                for name, value in figures.items():
                    results[kind].setdefault(name, []).append(value)
                fresh_minute(sim)
    cold, warm, during, after_load = (results[kind] for kind in kinds)
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# What a tech waits for at start (issue 18)",
        "",
        f"`scripts/bench_start.py`, {runs} runs of each, medians (min–max). The real `syncro-tui` in a real "
        f"pseudo-terminal ({COLUMNS}x{LINES}), the simulator on loopback HTTP with Syncro's 180-a-minute limit, the "
        f"app's pacing as shipped, {ROWS:,} open tickets, pages of 100. Python {platform.python_version()}, "
        f"{cpu} cores. Each run starts with Syncro's window empty and a pacing file of its own, as a minute later.",
        "",
        "| figure | cold start (no cache) | start from the cache | cache ÷ cold |",
        "|---|---|---|---|",
    ]

    def cell(values: list[float]) -> str:
        return f"{median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"

    for key in ("first frame", "rows on screen", "all 5,000 rows on screen", "whole queue read from Syncro"):
        ratio = median(warm[key]) / median(cold[key])
        lines.append(f"| {key} | {cell(cold[key])} | {cell(warm[key])} | {ratio:.2f} |")
    key = "ticket open (Enter → comments)"
    lines += [
        "",
        "Opening a ticket as soon as rows show, while the rest of the queue is still loading (the load is "
        "background work; the tech's call takes the next token), beside the same Enter on a start from the cache:",
        "",
        "| figure | while the cold load runs | start from the cache | during ÷ cache |",
        "|---|---|---|---|",
        f"| {key} | {cell(during[key])} | {cell(after_load[key])} | {median(during[key]) / median(after_load[key]):.2f} |",
        "",
        "What each figure includes: from the process's start (fork and exec of the entry point, Python, imports, "
        "the config and the key) to the first time the pattern is in the terminal's output: the footer for the "
        "first frame, a ticket number for rows, the section count at 5000 for all rows (the cache holds them all; a cold start has them when the last page is in), the status bar's 'Refreshed: 14:02:07' for the whole queue (set when the last page is in), the ticket screen's "
        "comments for the ticket. On a start from the cache the full load still runs (in the background): "
        "its rows are refreshed in place as pages arrive.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="write benchmarks/start.md")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs of each kind (default {RUNS})")
    args = parser.parse_args()
    text = report(args.runs)
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "start.md").write_text(text)


if __name__ == "__main__":
    main()
