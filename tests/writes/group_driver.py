"""A process that sends (or resumes) the projector group through the real write path, to be killed mid-way.

    python -m tests.writes.group_driver BASE_URL JOURNAL start CUSTOMER_ID
    python -m tests.writes.group_driver BASE_URL JOURNAL resume
    python -m tests.writes.group_driver BASE_URL JOURNAL bulk USER_ID TICKET_ID,TICKET_ID,...

``resume`` does what the app does at start: each open group's step in doubt is
read back, then the rest is sent (the tests stand in for the tech's confirm).
It prints one JSON line with the groups' final states.
"""

from __future__ import annotations

import asyncio
import json
import sys

from syncro_tui.api import requests as rq
from syncro_tui.api.client import SyncroClient
from syncro_tui.writes.bulk import change_tickets
from syncro_tui.writes.groups import GroupState
from syncro_tui.writes.journal import Journal
from syncro_tui.writes.path import WritePath

from .plans import projector_ticket


async def main(base_url: str, journal_path: str, mode: str, *args: str) -> None:
    client = SyncroClient(base_url, "demo-key", timeout=300, read_retries=0)
    path = WritePath(client, Journal(journal_path), profile_name="dana", user_id=1843)
    states = []
    if mode == "start":
        print("started", flush=True)
        states.append((await path.execute(projector_ticket(int(args[0])))).state)
    elif mode == "bulk":  # issue 36: one assign on many tickets, one call each
        tickets = [await client.execute(rq.get_ticket(int(i))) for i in args[1].split(",")]
        plan = change_tickets(tickets, {"user_id": int(args[0])}, kind="bulk assign", words="assign", was={})
        print("started", flush=True)
        states.append((await path.execute(plan)).state)
    else:
        for group in path.open_groups():
            group, _ = await path.prepare(group.id)
            if group.state is GroupState.OPEN:
                group_state = (await path.run(group.id, path.remaining(group))).state
            else:
                group_state = group.state
            states.append(group_state)
    await client.aclose()
    print(json.dumps({"groups": [str(s) for s in states]}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
