"""Soak: two app windows and the CLI on one account, against Syncro's 180-a-minute limit per IP (issue 16).

    .venv/bin/python scripts/bench_pacing.py               # 75 s a mode, prints a Markdown table
    .venv/bin/python scripts/bench_pacing.py --write       # and writes benchmarks/pacing.md

The simulator is served on loopback (real HTTP, uvicorn) with Syncro's limit: 180
requests in any rolling minute from one address, then 429 "Retry later". Three
processes (two playing app windows, one the CLI) each send reads as fast as their
pacer lets them, with the app's real client and pacing. Two modes, in the same run:

- per process (the anchor: how it was): each process has its own bucket;
- per machine (now): every process draws on one MachinePacer file.

Each figure is what the simulator answered: requests served and 429s. The soak
is in real time (not accelerated): a 75 s run covers one full minute past the burst.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syncro_tui.simulator import Simulator  # noqa: E402
from syncro_tui.simulator.server import BackgroundSimulator  # noqa: E402

WINDOW = """
import asyncio, json, logging, sys, time
from pathlib import Path
from syncro_tui.api import SyncroClient
from syncro_tui.api.pacing import MachinePacer, Pacer

class Count(logging.Handler):  # the client logs each 429 it waits out
    limited = 0
    def emit(self, record):
        Count.limited += record.getMessage().startswith("429 on")

logging.getLogger("syncro_tui.api").addHandler(Count())
logging.getLogger("syncro_tui.api").setLevel(logging.WARNING)

async def main(base, mode, shared, seconds):
    pacer = MachinePacer(Path(shared), base) if mode == "machine" else Pacer()
    sent = 0
    async with SyncroClient(base, "demo-key", pacer=pacer, rate_limit_wait=1.0, rate_limit_retries=1000) as client:
        end = time.monotonic() + float(seconds)
        while time.monotonic() < end:
            await client.execute(rq.me())
            sent += 1
    print(json.dumps({"reads": sent, "limited": Count.limited}))

asyncio.run(main(*sys.argv[1:]))
"""


def soak(mode: str, seconds: float) -> dict[str, int]:
    sim = Simulator(seed=1, rate_limit=180)
    shared = Path(tempfile.mkdtemp(prefix="syncro-pacing-")) / "pacing.sqlite"
    with BackgroundSimulator(sim) as server:
        procs = [subprocess.Popen([sys.executable, "-c", WINDOW, server.base_url, mode, str(shared), str(seconds)],
                                  stdout=subprocess.PIPE, text=True, cwd=ROOT) for _ in range(3)]
        results = [json.loads(p.communicate(timeout=seconds + 120)[0]) for p in procs]
    reads, limited = sum(r["reads"] for r in results), sum(r["limited"] for r in results)
    return {"reads": reads, "requests": reads + limited, "429": limited}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=75)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rows = {mode: soak(mode, args.seconds) for mode in ("process", "machine")}
    lines = [
        "# Pacing: two windows and the CLI on one account (issue 16)",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()} ({platform.python_version()}), by "
        f"`scripts/bench_pacing.py`: three processes (two app windows, the CLI) reading as fast as their pacer lets them "
        f"for {args.seconds:g} s each, all together, over loopback HTTP against the simulator at Syncro's limit "
        "(180 in any rolling minute per address, then 429). Real time, not accelerated.",
        "",
        "| pacing | reads answered | requests sent | 429 Retry later |",
        "|---|---|---|---|",
    ]
    for mode, label in (("process", "one budget per process (anchor: before)"), ("machine", "one budget per machine (now)")):
        r = rows[mode]
        lines.append(f"| {label} | {r['reads']} | {r['requests']} | {r['429']} |")
    lines += ["", "A 429 is not processed by Syncro, so the client waits and sends again: the reads still complete, "
              "but every 429 is a wait the tech sees. With one budget per machine the three processes together stay "
              "under the limit. Several machines behind one office IP still each have their own budget (README)."]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "pacing.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
