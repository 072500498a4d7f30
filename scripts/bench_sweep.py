"""Benchmark the end-of-day sweep (issue 20): the API calls a sweep of a day with 40 touched tickets makes, and its
wall time with 50 ms of latency on every call.

    .venv/bin/python scripts/bench_sweep.py            # prints a Markdown table
    .venv/bin/python scripts/bench_sweep.py --write    # and writes it to benchmarks/sweep.md

The day is played on the in-process simulator (``simulator.scenarios.busy_day``: a comment on each of 40 tickets,
every other one billed in full). Each run is the sweep as ``E`` and ``syncro-tui sweep`` make it: the day's three
lists (tickets updated since midnight, appointments, invoices), one full read per ticket, then the rules (no
call). The simulator adds the latency; the app's pacer is either the one the app uses (180 a minute less 15 of
headroom, a burst of 20, starting full as at a quiet moment) or unlimited, to show what pacing costs.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syncro_tui.api import Pacer  # noqa: E402
from syncro_tui.demo import in_process_client  # noqa: E402
from syncro_tui.domain.rates import RateTable  # noqa: E402
from syncro_tui.domain.sweep import Tech, sweep  # noqa: E402
from syncro_tui.reads import read_sweep_day  # noqa: E402
from syncro_tui.simulator import Simulator  # noqa: E402
from syncro_tui.simulator.scenarios import Moment, busy_day  # noqa: E402

TZ = ZoneInfo("America/Chicago")
DAY = date(2026, 11, 23)
LATENCY = 0.05
TOUCHED = 40
RUNS = 5


async def sweep_once(paced: bool) -> tuple[float, Counter[str], int, int]:
    moment = Moment(datetime(2026, 11, 20, 16, 0, tzinfo=UTC))
    sim = Simulator(seed=1, today=date(2026, 11, 20), clock=moment, rate_limit=None)
    busy_day(sim.store, moment, DAY, TZ, TOUCHED)
    sim.add_fault(kind="latency", delay=LATENCY, times=0)
    pacer = Pacer() if paced else Pacer(100_000, headroom=0, burst=10_000)
    client = in_process_client(sim, pacer=pacer)
    async with client:
        before = len(sim.calls)
        started = time.perf_counter()
        day = await read_sweep_day(client, day=DAY, tz=TZ, user_id=1843)
        leaks = sweep(day, tech=Tech(1843, "Dana Whitfield"), tz=TZ, rates=RateTable(), clocks={}, now=moment.at)
        elapsed = time.perf_counter() - started
    return elapsed, Counter(f"{m} {r}" for m, r in list(sim.calls)[before:]), len(day.tickets), len(leaks)


def report() -> str:
    lines = [
        "# End-of-day sweep benchmark",
        "",
        f"`scripts/bench_sweep.py`: a day of {TOUCHED} touched tickets, {RUNS} runs each, {int(LATENCY * 1000)} ms of "
        f"latency added by the simulator to every call. Python {platform.python_version()}, {platform.machine()}, "
        f"{date.today().isoformat()}. Each figure is from the sweep's first call to its leaks judged: the reads "
        "and the rules, not the screen.",
        "",
        "| pacer | API calls | tickets read | wall time (median / max) | leaks found |",
        "|---|---|---|---|---|",
    ]
    by_route: Counter[str] = Counter()
    for label, paced in (("the app's (180/min, burst 20)", True), ("unlimited", False)):
        runs = [asyncio.run(sweep_once(paced)) for _ in range(RUNS)]
        times = [r[0] for r in runs]
        calls = sum(runs[0][1].values())
        by_route = runs[0][1]
        lines.append(f"| {label} | {calls} | {runs[0][2]} | {statistics.median(times):.2f} s / {max(times):.2f} s "
                     f"| {runs[0][3]} |")
    lines += [
        "",
        "Calls by route: " + ", ".join(f"{k} ×{v}" for k, v in sorted(by_route.items())) + ".",
        "",
        f"The calls are the three lists (one page each: the day's {TOUCHED} tickets fit in a page of 100) and one "
        "`GET /tickets/{id}` per ticket updated that day (its comments, timers and lines come with it). The "
        "invoice list answers without lines, so only a $0.00 invoice is read in full, and this day has none. "
        "Syncro's ticket list says nothing of who changed a ticket, so every ticket updated that day is read, "
        "the other techs' too: a shop of five techs doing 40 tickets each makes about 200 reads. The reads go out "
        "together; with the app's pacer the first 20 go at once and the rest at its steady 2.4 a second, so the "
        "time is the pacer's, not the latency's, and the tech's own calls still go first (the sweep is "
        "background work). The tickets are not taken from the app's cache of tickets opened, though most of a day's "
        "are there: whether Syncro moves a ticket's `updated_at` when a timer is charged or a line patched is not "
        "verified, and a stale ticket would hide the very leak the sweep is for.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="write benchmarks/sweep.md")
    args = parser.parse_args()
    text = report()
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "sweep.md").write_text(text)


if __name__ == "__main__":
    main()
