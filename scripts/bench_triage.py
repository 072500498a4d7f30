"""Every triage key, timed as a tech waits for it (issue 36), beside a minimal Textual app in the same runs.

    .venv/bin/python scripts/bench_triage.py            # prints a Markdown report
    .venv/bin/python scripts/bench_triage.py --write    # and writes benchmarks/triage.md
    .venv/bin/python scripts/bench_triage.py --runs 1   # a quick look

The real ``syncro-tui`` in a pseudo-terminal (180x50), the simulator on loopback HTTP with Syncro's 180-a-minute
limit and 5,000 open tickets, the app's pacing as shipped, the queue from this machine's cache (a first run
reads it from Syncro and is not counted). Each figure is from writing the key to the pty until what it must
show is in the output: Enter → the ticket with its comments ("Comments ("), ``b`` → the billing wizard filled
from the ticket and its customer ("Prepaid block:"), ``ctrl+s`` on a comment → the confirm with its keys
("Press s to send"); and the rows on screen from the cache, from the process's start.

The anchor (``scripts/anchor_triage.py``), in the same pty and the same runs: a minimal Textual app whose keys
push the same kinds of screens made from data in memory (no HTTP, no config, no key).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import select
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from bench_queue import A_ROW, HOME, REFRESHED, Screen, environment  # noqa: E402
from bench_start import COLUMNS, LINES, fresh_minute  # noqa: E402

from syncro_tui.simulator import Simulator  # noqa: E402
from syncro_tui.simulator.server import BackgroundSimulator  # noqa: E402

SIZE = 5_000
RUNS = 3
SHOWS = {"enter": re.compile(rb"Comments \("), "b": re.compile(rb"Prepaid block:"),
         "ctrl+s": re.compile(rb"Press s to send")}
#: Seconds at the queue before the first key: the pacer's burst, spent by the load, refills (3 a second).
SETTLE = 8.0
TARGETS = {"enter": 0.120, "b": 0.250, "ctrl+s": 0.150}
ESC = b"\x1b"


def shown_after(term: Screen, keys: bytes, pattern: re.Pattern[bytes], limit: float = 20.0) -> float:
    """Seconds from writing ``keys`` until ``pattern`` is in what the app writes after them (however long the
    reads it waits on stay quiet), then the frame's end."""
    term.quiet()
    mark = len(term.seen)
    os.write(term.fd, keys)
    sent = time.perf_counter()
    while time.perf_counter() - sent < limit:
        if pattern.search(term.seen, mark):
            took = time.perf_counter() - sent
            term.quiet()
            return took
        ready, _, _ = select.select([term.fd], [], [], 0.005)
        if ready:
            term.seen += os.read(term.fd, 65536)
    return float("nan")


def keys(term: Screen) -> dict[str, float]:
    """The three triage keys from the queue's first row; each screen left with Escape."""
    out: dict[str, float] = {}
    term.key(HOME)
    out["enter"] = shown_after(term, b"\r", SHOWS["enter"])
    term.key(ESC)
    out["b"] = shown_after(term, b"b", SHOWS["b"])
    term.key(ESC)
    shown_after(term, b"\r", SHOWS["enter"])  # the ticket again; n comments on it
    term.key(b"n")
    term.key(b"Update")
    term.key(b"\t\t")
    term.key(b"Checked it.")
    out["ctrl+s"] = shown_after(term, b"\x13", SHOWS["ctrl+s"])  # ctrl+s
    for _ in range(3):
        term.key(ESC)
    return out


def app_run(server: BackgroundSimulator, cache_from: Path | None) -> tuple[dict[str, float], Path]:
    data = Path(tempfile.mkdtemp(prefix="bench-triage-"))
    (data / "data").mkdir()
    if cache_from is not None:
        shutil.copy(cache_from / "data" / "cache.sqlite", data / "data" / "cache.sqlite")
    term = Screen(environment(server.base_url, data))
    try:
        rows = term.until(A_ROW)
        term.until(REFRESHED, limit=600)
        term.until(re.compile(rb"All open %d" % SIZE), limit=600)  # every open ticket in: the load is done
        out: dict[str, float] = {"rows": rows}
        if cache_from is not None:
            time.sleep(SETTLE)  # the tech at the queue: the budget the load spent comes back
            out.update(keys(term))
    finally:
        term.close()
    return out, data


def anchor_run() -> dict[str, float]:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    term = Screen(env, [sys.executable, str(ROOT / "scripts" / "anchor_triage.py"), str(SIZE)])
    try:
        return {"rows": term.until(A_ROW), **keys(term)}
    finally:
        term.close()


def measure(runs: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    app: dict[str, list[float]] = {}
    anchor: dict[str, list[float]] = {}
    sim = Simulator(seed=1, zero_price_rate=0.0, open_tickets=SIZE)
    with BackgroundSimulator(sim) as server:
        _, cached = app_run(server, None)  # the queue read once from Syncro, kept in the cache
        for _ in range(runs):
            fresh_minute(sim)
            for name, value in app_run(server, cached)[0].items():
                app.setdefault(name, []).append(value)
            for name, value in anchor_run().items():
                anchor.setdefault(name, []).append(value)
    return app, anchor


def report(app: dict[str, list[float]], anchor: dict[str, list[float]], runs: int) -> str:
    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    lines = [
        "# Triage keys at 5,000 open tickets (issue 36)",
        "",
        f"`scripts/bench_triage.py` on {datetime.now(UTC):%Y-%m-%d}: Python {platform.python_version()}, "
        f"{platform.machine()}. Medians over {runs} runs. The real `syncro-tui` in a pseudo-terminal (180x50), the "
        "simulator on loopback HTTP with Syncro's limit, the queue drawn from this machine's cache, the keys "
        f"pressed {SETTLE:.0f} s after every open ticket is in (the load's requests have left the budget); "
        "beside it, in "
        "the same runs, `scripts/anchor_triage.py`, a minimal Textual app pushing the same kinds of screens from "
        "memory.",
        "",
        "| key → what it must show | app | minimal app | app ÷ minimal | target | met? |",
        "|---|---|---|---|---|---|",
    ]
    words = {"enter": "Enter → the ticket with its comments", "b": "`b` → the wizard filled from ticket and customer",
             "ctrl+s": "`ctrl+s` on a comment → the confirm with its keys"}
    for key, label in words.items():
        a, m = ms(app[key]), ms(anchor[key])
        met = "met" if a <= TARGETS[key] * 1000 else "missed"
        lines.append(f"| {label} | {a:.0f} ms | {m:.0f} ms | {a / m:.2f}× | ≤ {TARGETS[key] * 1000:.0f} ms | {met} |")
    a, m = statistics.median(app["rows"]), statistics.median(anchor["rows"])
    lines.append(f"| rows on screen from the cache (from the process's start) | {a:.2f} s | {m:.2f} s | {a / m:.2f}× "
                 f"| ≤ 1.2× the minimal app | {'met' if a / m <= 1.2 else 'missed'} |")
    lines += ["", "What each figure includes: from the key written to the pty to the first output holding what the "
              "key must show (the app's include its HTTP reads, paced as the tech's own calls: the ticket and its "
              "invoices for Enter, the ticket and the customer for `b`; `ctrl+s` reads nothing). Rows from the cache "
              "include the process's start (Python, imports, the config, the cache read) to the first ticket number "
              "in the output; the minimal app builds its 5,000 rows in memory."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--write", action="store_true", help="write benchmarks/triage.md")
    args = parser.parse_args()
    text = report(*measure(args.runs), args.runs)
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "triage.md").write_text(text)


if __name__ == "__main__":
    main()
