"""One window sends a group: two real processes on one journal, resuming the same group, make one of each record."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from syncro_tui.api import Pacer, SyncroClient
from syncro_tui.simulator import DEMO_KEY
from syncro_tui.simulator.server import BackgroundSimulator
from syncro_tui.writes.journal import Journal
from syncro_tui.writes.groups import PROCESS
from syncro_tui.writes.outcome import GroupClaimed
from syncro_tui.writes.path import WritePath

from ..conftest import make_simulator
from ..simulator.helpers import open_ticket
from .plans import created, cut_short_at_the_comment, projector_ticket

WINDOW = """
import asyncio, sys
from syncro_tui.api import Pacer, SyncroClient
from syncro_tui.writes.journal import Journal
from syncro_tui.writes.outcome import GroupClaimed
from syncro_tui.writes.path import WritePath

async def main(base, journal, group_id):
    async with SyncroClient(base, "demo-key", pacer=Pacer(10_000, headroom=0, burst=1000)) as client:
        path = WritePath(client, Journal(journal), profile_name="dana", user_id=1843)
        try:
            group, _ = await path.prepare(group_id)
            if group.state != "open":
                print("already done"); return 0
            outcome = await path.run(group_id, path.remaining(group))
        except GroupClaimed as exc:
            print("claimed:", exc); return 3
        print("done" if outcome.done else outcome.message); return 0

sys.exit(asyncio.run(main(*sys.argv[1:])))
"""


def test_two_windows_resuming_one_group_make_one_of_each_record(tmp_path) -> None:
    sim = make_simulator()
    sim.add_fault(kind="latency", route="add_comment", delay=1.5, times=0)  # the first window is mid-send a while
    journal_path = tmp_path / "journal.sqlite"
    with BackgroundSimulator(sim) as server:
        async def cut_short() -> str:
            async with SyncroClient(server.base_url, DEMO_KEY, pacer=Pacer(10_000, headroom=0, burst=1000)) as client:
                path = WritePath(client, Journal(journal_path), profile_name="dana", user_id=1843)
                group_id = await cut_short_at_the_comment(path, projector_ticket(open_ticket(sim)["customer_id"]),
                                                          landed=False)
                path.journal.release(group_id, PROCESS)  # this test process plays the window that died
                return group_id

        group_id = asyncio.run(cut_short())
        windows = [subprocess.Popen([sys.executable, "-c", WINDOW, server.base_url, str(journal_path), group_id],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(w.wait(timeout=60), w.stdout.read(), w.stderr.read()) for w in windows]
    assert all(code in (0, 3) for code, _, _ in results), results
    assert any("done" in out for _, out, _ in results), results
    assert created({name: sim.store.t(name) for name in ("tickets", "comments", "appointments")}) == (1, 1, 1)
    assert sum(1 for method, route in sim.calls if route == "add_comment") == 1  # sent once, by one window


def test_a_claim_held_by_a_live_process_refuses_and_a_dead_ones_is_taken_over(tmp_path) -> None:
    journal = Journal(tmp_path / "journal.sqlite")
    group_id = journal.begin(kind="x", title="x", steps=[], profile="dana", claim="elsewhere:1")
    path = WritePath(None, journal, profile_name="dana", user_id=1843)  # type: ignore[arg-type]
    journal.claim(group_id, "elsewhere:1", free=lambda g: False)  # a fresh heartbeat from another machine
    try:
        path.claim(group_id)
    except GroupClaimed as exc:
        assert "process 1 on elsewhere" in str(exc)
    else:
        raise AssertionError("a live claim was taken over")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = PROCESS.rpartition(":")[0]
    journal.release(group_id, "elsewhere:1")
    journal.claim(group_id, f"{host}:{dead.pid}", free=lambda g: False)
    path.claim(group_id)  # that process is gone: its claim is free
    assert journal.group(group_id).claim_owner == PROCESS
