"""Benchmark an office of techs behind one address at five o'clock (issue 37): before and after the office budget.

    .venv/bin/python scripts/bench_office.py            # prints a Markdown report
    .venv/bin/python scripts/bench_office.py --write    # and writes it to benchmarks/office.md

One simulator on loopback limits like Syncro: 180 requests a minute per address, and every process here comes from
127.0.0.1, as an office's machines come from its one address. The day has ``UPDATED`` tickets updated that day.
``TECHS`` real processes, each a tech's machine with the app's own client, pacer and sweep:

- a dashboard: a delta refresh of the queue every ``REFRESH`` seconds (background work, as the app's);
- at the same moment as every other machine, the end-of-day sweep of the day (background work, as ``E``);
- while it runs, a ticket opened by the tech every ``OPEN_EVERY`` seconds (a tech's call), timed from the key
  press to the answer, pacing included.

Before: each machine its own budget (the data directory's, as the app does today). After: one office budget in a
real Redis (the redis-server the test extras ship), with the sweeps sharing what they read. The simulator counts
every request it answered and every 429. "Last sweep done" is from the moment the machines start; a sweep that
gives up (five 429s on one call) counts as failed, with the time it gave up.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syncro_tui.simulator import Simulator  # noqa: E402
from syncro_tui.simulator.scenarios import Moment, busy_day  # noqa: E402
from syncro_tui.simulator.server import BackgroundSimulator  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

TZ = ZoneInfo("America/Chicago")
DAY = date(2026, 11, 23)
TECHS = 20
UPDATED = 300
REFRESH = 60.0
OPEN_EVERY = 20.0
#: Seconds into the burst when the first machine makes its billing run, and between one machine's and the next's
#: (a shop's techs finish their work at different minutes; twenty runs at one second would be 200 calls at once).
BILL_AT = 30.0
BILL_GAP = 12.0
#: A run is stopped this long after the sweeps start (a sweep still going then counts as not done).
LIMIT = 600.0
KEYS = [("demo-key", 1843), ("demo-key-marcus", 1851), ("demo-key-priya", 2107), ("demo-key-tom", 2231)]

MACHINE = r"""
import asyncio, json, sys, time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

base_url, key, user_id, data, office, start_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], float(sys.argv[6])
import contextvars
from syncro_tui.api import SyncroClient, SyncroError
from syncro_tui.api import requests as rq
from syncro_tui.api.office import OfficePacer, office_store
from syncro_tui.api.pacing import background, configure_shared_pacer
from syncro_tui.reads import read_sweep_day

make_office = (lambda machine, per_minute, headroom, burst: OfficePacer(office, base_url, machine, per_minute,
                                                                         headroom=headroom, burst=burst))
configure_shared_pacer(machine=(Path(data) / "pacing.sqlite", base_url), office=make_office if office else None)
TZ, DAY = ZoneInfo("America/Chicago"), date(2026, 11, 23)
REFRESH, OPEN_EVERY = float(sys.argv[7]), float(sys.argv[8])
MACHINE_NO, BILL_AT = int(sys.argv[9]), float(sys.argv[10])
#: Inside the billing run (its own task): its GET /tickets/{id} are counted apart from the sweep's reads.
BILLING = contextvars.ContextVar("billing", default=False)


out = {"opens": [], "sweep": None, "billing": None, "billing_ticket_reads": 0}


def keep():
    # Written as it goes: a machine still sweeping when the run is stopped has said what it saw so far.
    (Path(data) / "result.json").write_text(json.dumps(out))


async def main():
    async with SyncroClient(base_url, key) as client:
        execute = client.execute

        async def counted(req, *args, **kwargs):
            if BILLING.get() and req.call == "get_ticket":
                out["billing_ticket_reads"] += 1
            return await execute(req, *args, **kwargs)

        client.execute = counted
        listed = await client.execute(rq.list_tickets(per_page=25))  # the queue's first page, at start
        ids = [t.id for t in listed.items]
        while time.time() < start_at:  # every machine at five o'clock at once
            await asyncio.sleep(0.01)
        done = asyncio.Event()

        async def dashboard():
            while not done.is_set():
                with background():
                    try:
                        await client.execute(rq.list_tickets(since_updated_at=datetime.now().astimezone(), per_page=100))
                    except SyncroError:
                        pass
                try:
                    await asyncio.wait_for(done.wait(), REFRESH)
                except asyncio.TimeoutError:
                    pass

        async def opens():
            n = 0
            while not done.is_set():
                try:
                    await asyncio.wait_for(done.wait(), OPEN_EVERY)
                    return
                except asyncio.TimeoutError:
                    pass
                began = time.perf_counter()
                try:
                    await client.execute(rq.get_ticket(ids[n % len(ids)]))
                    out["opens"].append(time.perf_counter() - began)
                except SyncroError:
                    out["opens"].append(None)
                keep()
                n += 1

        async def sweep():
            began = time.time()
            try:
                with background():
                    day = await read_sweep_day(client, day=DAY, tz=TZ, user_id=user_id, store=office_store(client.pacer))
                out["sweep"] = {"ok": True, "seconds": time.time() - start_at, "tickets": len(day.tickets)}
            except SyncroError as exc:
                out["sweep"] = {"ok": False, "seconds": time.time() - start_at, "error": str(exc)[:120]}
            finally:
                keep()
                done.set()

        async def billing():
            # A billing run during the burst, as the wizard sends it: its two reads, then the journaled group,
            # read back, all as the tech's own calls (the app's write path).
            from syncro_tui.domain.billing import plan_time
            from syncro_tui.domain.comment import CommentDraft, Visibility
            from syncro_tui.domain.rates import RateTable
            from syncro_tui.reads import read_situation
            from syncro_tui.writes.journal import Journal
            from syncro_tui.writes.path import WritePath
            from syncro_tui.writes.plans import bill_time

            await asyncio.sleep(max(start_at + BILL_AT - time.time(), 0))
            BILLING.set(True)
            began = time.perf_counter()
            try:
                path = WritePath(client, Journal(Path(data) / "journal.sqlite"), profile_name="bench", user_id=user_id)
                situation = await read_situation(client, ticket_id=ids[MACHINE_NO % len(ids)])
                plan = bill_time(situation.ticket, plan_time(45, "remote", ended_at=datetime.now().astimezone(),
                                                             prepay_hours=situation.prepaid, rates=RateTable()),
                                 comment=CommentDraft("Resolution", "Done.", Visibility.PUBLIC),
                                 description="Remote support", pending=situation.pending, rates=RateTable(),
                                 invoice_ids=situation.invoice_ids)
                outcome = await path.execute(plan)
                out["billing"] = {"ok": outcome.done, "seconds": time.perf_counter() - began,
                                  **({} if outcome.done else {"error": repr(outcome)[:160]})}
            except Exception as exc:  # a refusal or a bug: said in the result, the run goes on
                out["billing"] = {"ok": False, "seconds": time.perf_counter() - began, "error": repr(exc)[:160]}
            keep()

        await asyncio.gather(dashboard(), opens(), sweep(), billing())
    keep()

asyncio.run(main())
"""


def one_run(office: bool) -> dict[str, object]:
    moment = Moment(datetime(2026, 11, 23, 22, 55, tzinfo=UTC))  # 16:55 in Chicago: the day's work is in
    sim = Simulator(seed=1, today=date(2026, 11, 20), clock=moment, rate_limit=180, open_tickets=600)
    sim.calls = deque(maxlen=None)  # every answered call counted, however many
    busy_day(sim.store, moment, DAY, TZ, UPDATED)
    moment.at = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 17:00
    answered, refused = [0], [0]
    allow = sim.rate.allow

    def counting(client: str) -> bool:
        ok = allow(client)
        (answered if ok else refused)[0] += 1
        return ok

    sim.rate.allow = counting
    redis = RedisServer(Path(tempfile.mkdtemp()) / "redis").start() if office else None
    try:
        with BackgroundSimulator(sim) as server, tempfile.TemporaryDirectory() as tmp:
            start_at = time.time() + 8  # the processes start (imports, first page), then all sweep at once
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            procs = []
            for n in range(TECHS):
                key, user = KEYS[n % len(KEYS)]
                data = Path(tmp) / f"machine-{n}"
                procs.append(subprocess.Popen(
                    [sys.executable, "-c", MACHINE, server.base_url, key, str(user), str(data),
                     redis.url if redis else "", str(start_at), str(REFRESH), str(OPEN_EVERY), str(n), str(BILL_AT + n * BILL_GAP)],
                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            deadline = start_at + LIMIT
            for proc in procs:
                try:
                    proc.wait(timeout=max(deadline - time.time(), 1))
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            files = [Path(tmp) / f"machine-{n}" / "result.json" for n in range(TECHS)]
            results = [json.loads(f.read_text()) if f.exists() else {} for f in files]
    finally:
        if redis:
            redis.stop()
    sweeps = [r.get("sweep") or {} for r in results]  # {}: still sweeping when the run was stopped
    # Every get_ticket the simulator answered, less the tech's opens and the billing runs' own reads (each machine
    # counts those): the sweeps' reads of tickets.
    ticket_reads = sum(1 for call in sim.calls if call == ("GET", "get_ticket")) - sum(
        r.get("billing_ticket_reads", 0) for r in results)
    runs = [r.get("billing") or {} for r in results]
    run_times = sorted(b["seconds"] for b in runs if b.get("ok"))
    opens = [o for r in results for o in r.get("opens", [])]
    timed = sorted(o for o in opens if o is not None)
    return {
        "requests": answered[0] + refused[0], "answered": answered[0], "429s": refused[0],
        "sweeps done": sum(1 for s in sweeps if s.get("ok")), "sweeps failed": sum(1 for s in sweeps if s.get("ok") is False),
        f"sweeps still going at {LIMIT:.0f} s": sum(1 for s in sweeps if not s),
        "last sweep (s)": max((s.get("seconds", 0.0) for s in sweeps if s.get("ok")), default=None),
        "opens": len(opens), "opens failed": sum(1 for o in opens if o is None),
        "open p95 (s)": timed[int(0.95 * (len(timed) - 1))] if timed else None,
        "open median (s)": statistics.median(timed) if timed else None,
        "billing runs done": sum(1 for b in runs if b.get("ok")),
        "billing run p95 (s)": run_times[int(0.95 * (len(run_times) - 1))] if run_times else None,
        "billing run median (s)": statistics.median(run_times) if run_times else None,
        "billing runs' errors": sorted({b.get("error", "not done") for b in runs if not b.get("ok")}) or None,
        "tickets read per sweep": max((s.get("tickets", 0) for s in sweeps), default=0),
        "sweeps' ticket reads, office": ticket_reads - sum(1 for o in opens if o is not None),
        "sweeps' ticket reads ÷ tickets updated": (ticket_reads - sum(1 for o in opens if o is not None)) / UPDATED,
    }


def targets(after: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """Each of the issue's targets, met or not, from the run with the office budget (written, never hand-edited)."""
    p95, ratio, done = after["open p95 (s)"], after["sweeps' ticket reads ÷ tickets updated"], after["sweeps done"]
    return [
        ("no 429", after["429s"] == 0, f"{after['429s']} 429s"),
        ("a tech's open under 2 s at p95", p95 is not None and p95 < 2, "no open answered" if p95 is None else f"{p95:.2f} s"),
        ("sweep reads at most 1.2 × the tickets updated", ratio <= 1.2, f"{ratio:.2f} ×"),
        (f"every sweep done within {LIMIT:.0f} s", done == TECHS,
         f"{done} of {TECHS}, the last at {after['last sweep (s)'] or 0:.0f} s"),
    ]


def report(before: dict[str, Any], after: dict[str, Any]) -> str:
    rows = ["requests", "answered", "429s", "sweeps done", "sweeps failed", f"sweeps still going at {LIMIT:.0f} s",
            "last sweep (s)", "opens", "opens failed",
            "open median (s)", "open p95 (s)", "billing runs done", "billing run median (s)", "billing run p95 (s)",
            "billing runs' errors",
            "tickets read per sweep", "sweeps' ticket reads, office",
            "sweeps' ticket reads ÷ tickets updated"]

    def cell(value: object) -> str:
        return f"{value:.2f}" if isinstance(value, float) else "–" if value is None else str(value)

    lines = [
        "# An office of techs behind one address at five o'clock (issue 37)",
        "",
        f"`scripts/bench_office.py`, one run of each on {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores. {TECHS} real processes (each a tech's machine: the app's client, pacer and sweep) "
        f"against one simulator that limits like Syncro, 180 a minute per address (all from 127.0.0.1). "
        f"{UPDATED} tickets updated that day. Each machine refreshes its queue every {REFRESH:.0f} s, sweeps the day at "
        f"the same moment as the others (background work), opens a ticket every {OPEN_EVERY:.0f} s while it "
        "sweeps (a tech's call, timed from the call to the answer, pacing included), and makes a billing run "
        f"during the burst, the first machine at {BILL_AT:.0f} s and each next one {BILL_GAP:.0f} s later (its two reads and its journaled group, read back, as the wizard sends "
        "it: the tech's own calls; timed from its first read to the group's end). The billing runs' own ticket "
        "reads are counted by each machine and left out of the sweeps' reads.",
        "",
        "Before: each machine its own budget, as without `[office]`. After: one office budget in a real Redis, the "
        "sweeps sharing what they read. Requests and 429s are the simulator's own count.",
        "",
        "| figure | before | after |",
        "|---|---|---|",
        *[f"| {row} | {cell(before[row])} | {cell(after[row])} |" for row in rows],
        "",
        "Targets: no 429 with the office budget; a tech's call under 2 s at the 95th percentile during the burst; "
        f"the office's sweep reads at most 1.2 × the {UPDATED} tickets updated that day.",
        "",
        "**Read against the targets (this run, with the office budget):**",
        "",
        *[f"- {name}: {'met' if ok else 'missed'} ({shown})" for name, ok, shown in targets(after)],
        "",
        "Not in this script: twenty apps starting at once on a 5,000-ticket queue at 09:00.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--from-figures", type=Path, help="rewrite the report from a run's printed 'before'/'after' "
                                                          "lines, without running again")
    args = parser.parse_args()
    if args.from_figures:
        figures = {line.split(" ", 1)[0]: ast.literal_eval(line.split(" ", 1)[1])
                   for line in args.from_figures.read_text().splitlines() if line.startswith(("before ", "after "))}
        before, after = figures["before"], figures["after"]
    else:
        before = one_run(office=False)
        print("before", before, file=sys.stderr)
        after = one_run(office=True)
        print("after", after, file=sys.stderr)
    text = report(before, after)
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "office.md").write_text(text)


if __name__ == "__main__":
    main()
