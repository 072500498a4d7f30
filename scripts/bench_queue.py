"""The queue at a shop's sizes (issue 18), measured as a tech meets it, each figure beside its anchor.

    .venv/bin/python scripts/bench_queue.py                 # prints a Markdown report
    .venv/bin/python scripts/bench_queue.py --write         # and writes benchmarks/queue.md
    .venv/bin/python scripts/bench_queue.py --sizes 300 --runs 1 --cycles 20   # a quick look

Everything goes through the real entry point (``syncro-tui``) in a real pseudo-terminal (180x50): the
bytes the app writes are read back, and a figure stops when they show. The simulator serves on loopback
HTTP in this process with Syncro's 180-a-minute limit, the app paces itself as shipped, and the data are
the demo account's open tickets copied to 300, 5,000 and 20,000 (``syncro-tui simulator --open-tickets``).

The anchor, in the same pseudo-terminal and the same runs: ``scripts/anchor_app.py``, a minimal Textual
app with a plain ``DataTable`` of the same number of rows built in memory (no HTTP, no config), whose
filter rebuilds the table the plain way (``clear`` and ``add_rows``) and whose ``r`` rebuilds every row.

A key's figure is from writing the key to the pty to the last byte of the frame it causes (the output
then stays quiet for 80 ms): what the terminal has to draw, not a handler's time.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from bench_start import COLUMNS, CONFIG, LINES, Terminal, fresh_minute  # noqa: E402

from syncro_tui.domain.queue import priority_rank  # noqa: E402
from syncro_tui.simulator import Simulator  # noqa: E402
from syncro_tui.simulator.server import BackgroundSimulator  # noqa: E402

SIZES = (300, 5_000, 20_000)
RUNS = 3
CYCLES = 500
QUIET = 0.08
FILTER = "printer 2nd"
A_ROW = re.compile(rb"#\d{5}")
FIRST_FRAME = re.compile(rb"Refresh")
ANCHOR_FRAME = re.compile(rb"Rebuild")
REFRESHED = re.compile(rb"Refreshed: (?:\x1b\[[0-9;]*m)*\d\d:\d\d:\d\d")
DOWN = b"\x1b[B"
HOME = b"\x1b[H"
#: More of the app's config (--no-arrival-toast: what 20 arrivals cost without the toast announcing them).
EXTRA_CONFIG = ""


class Screen(Terminal):
    """A pty that also times a key to the frame it causes."""

    def quiet(self, quiet: float = QUIET, limit: float = 1.0) -> None:
        """Read until the output has been quiet for ``quiet`` seconds."""
        deadline = time.perf_counter() + limit
        last = time.perf_counter()
        while time.perf_counter() < deadline and time.perf_counter() - last < quiet:
            ready, _, _ = select.select([self.fd], [], [], 0.01)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:
                    return
                last = time.perf_counter()

    def key(self, keys: bytes, *, limit: float = 5.0, shows: re.Pattern[bytes] | None = None) -> float | None:
        """Seconds from writing ``keys`` to the last byte of the frame they caused (None: nothing was drawn).

        ``shows``: also when that pattern was first in what the keys made the app write (``self.shown``)."""
        self.quiet()
        mark = len(self.seen)
        self.shown = None
        os.write(self.fd, keys)
        sent = time.perf_counter()
        deadline = sent + limit
        last: float | None = None
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.005)
            now = time.perf_counter()
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:
                    break
                last = time.perf_counter()
                if shows is not None and self.shown is None and shows.search(self.seen, mark):
                    self.shown = last - sent
            elif last is not None and now - last >= QUIET:
                break
        return None if last is None else last - sent

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def environment(base_url: str, data: Path) -> dict[str, str]:
    config = data / "config.toml"
    # A refresh only when the benchmark presses r (the app's own timer would draw in the middle of a figure),
    # on All open: every open ticket in the table (the shipped first section, My open, holds only Dana's).
    config.write_text(CONFIG.format(base_url=base_url) + "\n[queue]\nrefresh_seconds = 86400\nfirst_section = \"all\"\n" + EXTRA_CONFIG)
    return {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES),
            "SYNCRO_TUI_CONFIG": str(config), "SYNCRO_TUI_DATA_DIR": str(data / "data"), "SYNCRO_API_KEY": "demo-key"}


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class Changes:
    """Twenty arrivals, updates or closures made in the simulator, as another tech or a customer would."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.tickets = sim.store.t("tickets")
        self.made = 0

    def _open(self) -> list[dict]:
        return [t for t in self.tickets.values() if t["status"] not in ("Resolved", "Invoiced", "Closed")]

    def arrivals(self, count: int = 20) -> None:
        # Of the most urgent priority, so that they go to the top of the queue, on screen: the figure then
        # includes drawing them (arrivals of a lower priority than a screenful of tickets land below it).
        template = min(self._open(), key=lambda t: priority_rank(t["priority"]))
        for _ in range(count):
            self.made += 1
            ticket_id = self.sim.store.next_id("ticket_id")
            number = self.sim.store.next_id("ticket_number")
            now = stamp(datetime.now(UTC))
            # A new ticket as POST /tickets makes one: no SLA yet (a copied past due date would be breached
            # by the simulator's SLA clock at once, and the figure would time twenty SLA alerts instead).
            self.tickets[ticket_id] = {**template, "id": ticket_id, "number": number, "status": "New",
                                       "subject": f"Arrived {self.made}", "created_at": now, "updated_at": now,
                                       "due_date": None, "sla_id": None, "sla_name": None, "sla_breached": False,
                                       "sla_breaching_soon": False}

    def updates(self, count: int = 20) -> None:
        for ticket in self._open()[5:5 + count]:
            self.made += 1
            ticket["subject"] = f"Updated {self.made}"
            ticket["updated_at"] = stamp(datetime.now(UTC))

    def closures(self, count: int = 20) -> None:
        for ticket in self._open()[-count:]:
            ticket["status"] = "Resolved"
            ticket["updated_at"] = stamp(datetime.now(UTC))


def app_run(server: BackgroundSimulator, sim: Simulator, size: int, *, cache_from: Path | None,
            interact: bool, cycles: int) -> tuple[dict[str, list[float]], Path]:
    data = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    (data / "data").mkdir()
    if cache_from is not None:
        shutil.copy(cache_from / "data" / "cache.sqlite", data / "data" / "cache.sqlite")
    term = Screen(environment(server.base_url, data))
    out: dict[str, list[float]] = {}
    try:
        out["first frame"] = [term.until(FIRST_FRAME)]
        out["rows on screen"] = [term.until(A_ROW)]
        if not interact:
            return out, data
        out["all rows in"] = [term.until(re.compile(rb"All open %d" % size), limit=600)]
        term.until(REFRESHED, limit=600)
        out["RSS after the load (MB)"] = [term.rss_mb()]
        term.key(b"/")
        out["filter key → frame"] = [t for t in (term.key(c.encode()) for c in FILTER) if t is not None]
        out["filter cleared (Escape) → frame"] = [t for t in [term.key(b"\x1b")] if t is not None]
        term.key(b"\x1b")  # out of the box, onto the table
        # Back to the top: the cursor kept the ticket the filter found (deep in All open), so the view is there,
        # the cursor on its last line, and every arrow key would scroll the table (one full frame a key).
        term.key(HOME)
        out["cursor down → frame"] = [t for t in (term.key(DOWN) for _ in range(10)) if t is not None]
        changes = Changes(sim)
        figures = {"unchanged refresh (r) → frame": lambda: None, "20 arrivals (r) → frame": changes.arrivals,
                   "20 updates (r) → frame": changes.updates, "20 closures (r) → frame": changes.closures}
        requests: list[float] = []
        for _ in range(3):
            for name, change in figures.items():
                first = changes.made + 1
                change()
                before = len(sim.calls)
                # The first of the twenty is in the table only (the toast names the newest three).
                took = term.key(b"r", shows=re.compile(rb"Arrived %d\b" % first) if change == changes.arrivals else None)
                if term.shown is not None:
                    out.setdefault("20 arrivals (r) → rows drawn", []).append(term.shown)
                if name.startswith("unchanged"):
                    term.quiet(0.3)
                    requests.append(len(sim.calls) - before)
                if took is not None:
                    out.setdefault(name, []).append(took)
        out["requests per unchanged refresh"] = requests
        if cycles:
            samples = [term.rss_mb()]
            for cycle in range(1, cycles + 1):
                changes.updates()
                term.key(b"r")
                if cycle % 50 == 0:
                    samples.append(term.rss_mb())
            out["RSS over refresh cycles (MB)"] = samples
    finally:
        term.close()
    return out, data


def churn_run(size: int, cycles: int, count: int) -> list[float]:
    """The app's RSS over ``cycles`` refreshes of ``count`` arrivals and ``count`` closures each (issue 35: a
    ticket that arrived and later closed stayed in memory), sampled every 50 cycles."""
    sim = Simulator(seed=1, zero_price_rate=0.0, open_tickets=size)
    with BackgroundSimulator(sim) as server:
        data = Path(tempfile.mkdtemp(prefix="bench-churn-"))
        (data / "data").mkdir()
        term = Screen(environment(server.base_url, data))
        try:
            term.until(A_ROW)
            term.key(b"r")
            changes = Changes(sim)
            samples = [term.rss_mb()]
            for cycle in range(1, cycles + 1):
                changes.arrivals(count)
                changes.closures(count)
                term.key(b"r")
                if cycle % 50 == 0:
                    samples.append(term.rss_mb())
        finally:
            term.close()
    return samples


def churn_report(size: int, cycles: int, count: int) -> str:
    samples = churn_run(size, cycles, count)
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    by_cycle = ", ".join(f"{n * 50}: {mb:.1f}" for n, mb in enumerate(samples))
    return "\n".join([
        "# The queue's memory as tickets arrive and close all day (issue 35)",
        "",
        f"`scripts/bench_queue.py --churn {cycles}` on {datetime.now(UTC):%Y-%m-%d}: Python "
        f"{platform.python_version()}, {cpu} cores. The real `syncro-tui` in a pseudo-terminal ({COLUMNS}x{LINES}) "
        f"on All open at {size:,} open tickets, the simulator on loopback HTTP. Each cycle: {count} tickets arrive "
        f"in Syncro and {count} close, then `r` and its frame. RSS is the app process's resident memory from "
        "`/proc`, the simulator being in another process.",
        "",
        f"RSS (MB) by cycle: {by_cycle}. From the first sample to the last: {samples[-1] - samples[0]:+.1f} MB over "
        f"{cycles} cycles ({cycles * count:,} tickets arrived and closed).",
        "",
    ])


def anchor_run(size: int) -> dict[str, list[float]]:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    term = Screen(env, [sys.executable, str(ROOT / "scripts" / "anchor_app.py"), str(size)])
    out: dict[str, list[float]] = {}
    try:
        out["first frame"] = [term.until(ANCHOR_FRAME)]
        out["rows on screen"] = [term.until(A_ROW)]
        out["RSS after the load (MB)"] = [term.rss_mb()]
        term.key(b"/")
        out["filter key → frame"] = [t for t in (term.key(c.encode()) for c in FILTER) if t is not None]
        out["filter cleared (Escape) → frame"] = [t for t in [term.key(b"\x1b")] if t is not None]
        term.key(HOME)
        out["cursor down → frame"] = [t for t in (term.key(DOWN) for _ in range(10)) if t is not None]
        out["full rebuild (r) → frame"] = [t for t in (term.key(b"r") for _ in range(3)) if t is not None]
    finally:
        term.close()
    return out


def merge(into: dict[str, list[float]], more: dict[str, list[float]]) -> None:
    for name, values in more.items():
        into.setdefault(name, []).extend(values)


def report(sizes: tuple[int, ...], runs: int, cycles: int) -> str:
    results: dict[int, dict[str, dict[str, list[float]]]] = {}
    for size in sizes:
        sim = Simulator(seed=1, zero_price_rate=0.0, open_tickets=size)  # Syncro's limit (180 a minute) stays on
        kinds: dict[str, dict[str, list[float]]] = {"cold": {}, "cache": {}, "anchor": {}}
        with BackgroundSimulator(sim) as server:
            for run in range(runs):
                figures, data = app_run(server, sim, size, cache_from=None, interact=True,
                                        cycles=cycles if (run == 0 and size == max(sizes)) else 0)
                merge(kinds["cold"], figures)
                fresh_minute(sim)
                merge(kinds["cache"], app_run(server, sim, size, cache_from=data, interact=False, cycles=0)[0])
                fresh_minute(sim)
                merge(kinds["anchor"], anchor_run(size))
        results[size] = kinds
    return render(results, runs, cycles, max(sizes))


def minimal_row(results: dict[int, dict[str, dict[str, list[float]]]], sizes: list[int]) -> str:
    """Rows from the cache at every size beside the minimal app: the anchor at the smallest size, whose table
    costs next to nothing (at 20,000 the anchor's own DataTable takes seconds, a ratio to flatter anyone)."""
    smallest = min(sizes)
    base = statistics.median(results[smallest]["anchor"]["rows on screen"])
    cells = [f"{statistics.median(results[s]['cache']['rows on screen']) / base:.2f}×" for s in sizes]
    return (f"| rows on screen, from the cache ÷ the minimal app (the anchor at {smallest:,}: {base:.2f} s) | "
            + " | ".join(cells) + " |")


def render(results: dict[int, dict[str, dict[str, list[float]]]], runs: int, cycles: int, biggest: int) -> str:
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    sizes = list(results)
    head = "| figure | " + " | ".join(f"{s:,}" for s in sizes) + " |"
    rule = "|---|" + "---|" * len(sizes)
    lines = [
        "# The queue at a shop's sizes (issue 18)",
        "",
        f"`scripts/bench_queue.py` on {datetime.now(UTC):%Y-%m-%d}: Python {platform.python_version()}, {cpu} cores, "
        f"{platform.machine()}. The real `syncro-tui` in a pseudo-terminal ({COLUMNS}x{LINES}), the simulator on "
        "loopback HTTP with Syncro's 180-a-minute limit, the app's pacing as shipped, pages of 100, the section "
        "All open (every open ticket in the table), the app's modules compiled to bytecode as an install leaves "
        "them. "
        f"Medians over {runs} runs of each kind (keys: over every press of every run); each cell is the app, then "
        "the anchor from the same runs (`scripts/anchor_app.py`: a minimal Textual app, a plain `DataTable` of as "
        "many rows built in memory), then app ÷ anchor.",
        "",
        "## Start", "", head, rule,
    ]

    def row(label: str, kind: str, name: str, anchor: str | None, *, seconds: bool = False) -> str:
        cells = []
        for size in sizes:
            value = results[size][kind].get(name, [])
            if not value:
                cells.append("–")
                continue
            a = statistics.median(value)
            text = f"{a:.2f} s" if seconds else f"{a * 1000:.0f} ms"
            base = results[size]["anchor"].get(anchor or "", [])
            if base:
                b = statistics.median(base)
                text += f" · {b:.2f} s · {a / b:.2f}×" if seconds else f" · {b * 1000:.0f} ms · {a / b:.2f}×"
            cells.append(text)
        return f"| {label} | " + " | ".join(cells) + " |"

    lines += [
        row("first frame, no cache", "cold", "first frame", "first frame", seconds=True),
        row("first frame, from the cache", "cache", "first frame", "first frame", seconds=True),
        row("rows on screen, no cache", "cold", "rows on screen", "rows on screen", seconds=True),
        row("rows on screen, from the cache", "cache", "rows on screen", "rows on screen", seconds=True),
        row("every open ticket in, no cache", "cold", "all rows in", None, seconds=True),
        minimal_row(results, sizes),
        "", "## Keys and refreshes", "", head, rule,
        row("filter key → frame", "cold", "filter key → frame", "filter key → frame"),
        row("filter cleared (Escape) → frame", "cold", "filter cleared (Escape) → frame",
            "filter cleared (Escape) → frame"),
        row("cursor down → frame", "cold", "cursor down → frame", "cursor down → frame"),
        row("unchanged refresh (r) → frame", "cold", "unchanged refresh (r) → frame", "full rebuild (r) → frame"),
        row("20 arrivals (r) → rows drawn", "cold", "20 arrivals (r) → rows drawn", "full rebuild (r) → frame"),
        row("20 arrivals (r) → frame, toast included", "cold", "20 arrivals (r) → frame", "full rebuild (r) → frame"),
        row("20 updates (r) → frame", "cold", "20 updates (r) → frame", "full rebuild (r) → frame"),
        row("20 closures (r) → frame", "cold", "20 closures (r) → frame", "full rebuild (r) → frame"),
    ]
    requests = [results[s]["cold"].get("requests per unchanged refresh", []) for s in sizes]
    lines.append("| requests per unchanged refresh | " + " | ".join(
        f"{statistics.median(r):g}" if r else "–" for r in requests) + " |")
    lines += ["", "## Memory", "", head, rule]
    lines.append("| RSS after the load (app · anchor) | " + " | ".join(
        f"{statistics.median(results[s]['cold']['RSS after the load (MB)']):.0f} MB · "
        f"{statistics.median(results[s]['anchor']['RSS after the load (MB)']):.0f} MB" for s in sizes) + " |")
    curve = results[biggest]["cold"].get("RSS over refresh cycles (MB)", [])
    if curve:
        points = ", ".join(f"{n * 50}: {mb:.0f}" for n, mb in enumerate(curve))
        lines += ["", f"RSS of the app at {biggest:,} open tickets over {cycles} refresh cycles (each: 20 tickets "
                  f"changed in Syncro, r, the frame), MB by cycle: {points}. Change from the first to the last "
                  f"sample: {curve[-1] - curve[0]:+.1f} MB."]
    lines += [
        "",
        "What each figure includes:",
        "",
        "- **first frame / rows on screen**: from the process's start (fork and exec of the entry point, "
        "Python, imports, the config, the key, the cache when there is one, the first page over HTTP when there "
        "is none) to the first time the footer / a ticket number is in the terminal's output. The anchor's are "
        "the same for a Textual app that reads nothing.",
        "- **every open ticket in**: to the section count at the full size (pages arrive at the pacer's rate: "
        "20 at once, then 3 a second; 200 pages at 20,000).",
        "- **a key → frame**: from the key written to the pty to the last byte of what it made the app draw. "
        "The filter types `printer 2nd` one key at a time; the anchor rebuilds its table on each key.",
        "- **r → frame**: the delta refresh over HTTP (one request when nothing changed), merging, placing "
        "the rows and the frame; beside the anchor's rebuild of every row from memory (no HTTP). For 20 "
        "arrivals, **rows drawn** stops when the first of them is in the output (the table's frame, written "
        "in one burst), and **frame, toast included** at the last byte, after the toast that announces them "
        "(issue 19), which Textual mounts and lays out in frames of its own after the rows'.",
        "- **RSS**: the app process's resident memory from `/proc`, the simulator being in another process.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="write benchmarks/queue.md")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--cycles", type=int, default=CYCLES)
    parser.add_argument("--no-arrival-toast", action="store_true",
                        help="[alerts] new_ticket = [] (to see the toast's part of the arrivals' figure)")
    parser.add_argument("--churn", type=int, default=0, metavar="CYCLES",
                        help="only the memory over CYCLES refreshes of 5 arrivals and 5 closures at 5,000 tickets")
    args = parser.parse_args()
    if args.churn:
        text = churn_report(5_000, args.churn, 5)
        print(text)
        if args.write:
            (ROOT / "benchmarks" / "queue-churn.md").write_text(text)
        return
    if args.no_arrival_toast:
        global EXTRA_CONFIG
        EXTRA_CONFIG = "\n[alerts]\nnew_ticket = []\n"
    text = report(tuple(args.sizes), args.runs, args.cycles)
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "queue.md").write_text(text)


if __name__ == "__main__":
    main()
