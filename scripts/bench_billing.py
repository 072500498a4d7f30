"""Benchmark the billing run (issue 6): API calls per run and wall time with 50 ms of latency on every call.

    .venv/bin/python scripts/bench_billing.py            # prints a Markdown table
    .venv/bin/python scripts/bench_billing.py --write    # and writes it to benchmarks/billing.md

Each run bills a fresh open ticket on the in-process simulator (no network) through
the real path: the reads the wizard starts from (ticket, customer), then
the journaled group (comment, timer, charge, line check, the 0.00 patch when
needed, invoice, invoice check, status Invoiced). The simulator adds the latency.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syncro_tui.api import Pacer  # noqa: E402
from syncro_tui.api import requests as rq  # noqa: E402
from syncro_tui.demo import in_process_client  # noqa: E402
from syncro_tui.domain.billing import plan_time  # noqa: E402
from syncro_tui.domain.comment import CommentDraft, Visibility  # noqa: E402
from syncro_tui.writes.plans import bill_time  # noqa: E402
from syncro_tui.domain.rates import RateTable  # noqa: E402
from syncro_tui.simulator import Simulator  # noqa: E402
from syncro_tui.reads import Reads, read_situation  # noqa: E402
from syncro_tui.writes.journal import Journal  # noqa: E402
from syncro_tui.writes.path import WritePath  # noqa: E402

NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
LATENCY = 0.05
RUNS = 10


async def bill_once(sim: Simulator, client, path: WritePath, ticket_id: int) -> tuple[float, Counter[str], bool]:
    before = len(list(sim.calls))
    started = time.perf_counter()
    situation = await read_situation(client, ticket_id=ticket_id)
    time_plan = plan_time(45, "remote", ended_at=NOW, prepay_hours=situation.prepaid, rates=RateTable())
    plan = bill_time(situation.ticket, time_plan, comment=CommentDraft("Resolution", "Done.", Visibility.PUBLIC),
                     description="Remote support", pending=situation.pending, rates=RateTable(),
                     invoice_ids=situation.invoice_ids)
    outcome = await path.execute(plan)
    elapsed = time.perf_counter() - started
    return elapsed, Counter(f"{m} {r}" for m, r in list(sim.calls)[before:]), outcome.done


async def measure(zero_price: float) -> tuple[list[float], Counter[str], Counter[str], int]:
    """One app start (whose key, the rate table's products), then RUNS billing runs on fresh tickets."""
    sim = Simulator(seed=1, today=date(2026, 11, 20), clock=lambda: NOW, rate_limit=None, zero_price_rate=zero_price)
    sim.add_fault(kind="latency", delay=LATENCY, times=0)
    tickets = sorted((t for t in sim.store.t("tickets").values() if t["status"] in ("In Progress", "New")),
                     key=lambda t: t["number"])[:RUNS]
    journal = Journal(Path(tempfile.mkdtemp()) / "journal.sqlite")
    client = in_process_client(sim, pacer=Pacer(180, headroom=0, burst=179))
    path = WritePath(client, journal, profile_name="bench", user_id=1843, clock=lambda: NOW)
    times: list[float] = []
    calls: Counter[str] = Counter()
    done = 0
    async with client:
        path.remember_owner(await client.execute(rq.me()))  # once per app start, as the app does
        await Reads(client).product_differences(RateTable())  # once per app start, in the background
        at_start = Counter(f"{m} {r}" for m, r in sim.calls)
        for ticket in tickets:
            elapsed, counted, ok = await bill_once(sim, client, path, ticket["id"])
            times.append(elapsed)
            calls += counted
            done += ok
    return times, calls, at_start, done


def report() -> str:
    lines = [
        "# Billing run benchmark",
        "",
        f"`scripts/bench_billing.py`, {RUNS} runs each, {int(LATENCY * 1000)} ms of latency added by the simulator "
        f"to every call. Python {platform.python_version()}, {platform.machine()}, {date.today().isoformat()}.",
        "",
        "| case | API calls per run | wall time per run (median / max) | runs that ended Invoiced |",
        "|---|---|---|---|",
    ]
    details = []
    for label, zero in (("line arrives priced", 0.0), ("line arrives at 0.00 (patched)", 1.0)):
        times, calls, at_start, done = asyncio.run(measure(zero))
        per_run = sum(calls.values()) / RUNS
        lines.append(f"| {label} | {per_run:g} | {statistics.median(times) * 1000:.0f} ms / {max(times) * 1000:.0f} ms "
                     f"| {done}/{RUNS} |")
        details.append((label, {k: v / RUNS for k, v in sorted(calls.items())}))
    lines += ["", "Once per app start, not per run: " + ", ".join(f"{k} ×{v}" for k, v in sorted(at_start.items())) + ".",
              "", "Calls per run, by route:", ""]
    for label, counted in details:
        lines.append(f"- {label}: " + ", ".join(f"{k} ×{v:g}" for k, v in counted.items()))
    lines += [
        "",
        "Nine calls: two reads to plan (the ticket, then its customer for the prepaid block), the five writes "
        "(comment, timer, charge, invoice, status) and the two read-backs SYNCRO.md section 7 asks for (the "
        "charged line, the invoice's total). What is already invoiced comes from the ticket's own lines "
        "(`converted`, `invoice_id`): the invoices are listed only when a ticket's lines were invoiced without "
        "naming the invoice, which a fresh ticket never is. The product check (Syncro's products beside the rate "
        "table) is one `GET /products?id[]=…` for the whole table once per app start, in the background, with "
        "GET /me; a run reads nothing for its product. The 0.00 patch is one more write, only when the line "
        "arrives at 0.00. Wall time is about one latency per call (each call waits for the one before) plus "
        "the journal's fsyncs.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="write benchmarks/billing.md")
    args = parser.parse_args()
    text = report()
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "billing.md").write_text(text)


if __name__ == "__main__":
    main()
