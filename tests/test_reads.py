"""What the screens read, over a real client on the simulator (``reads.Reads``)."""

from __future__ import annotations

from syncro_tui.api import Pacer
from syncro_tui.reads import Reads
from syncro_tui.simulator import DEMO_KEY

from .conftest import make_client, make_simulator

NO_CANNED = "demo-key-no-canned"


async def test_a_key_refused_the_canned_responses_is_asked_once_and_keeps_its_snippets() -> None:
    """Syncro asks the manage permission even to list canned responses. A refusal is said with the permission's
    name, the shop's snippets are still offered, and the next ctrl+k does not ask Syncro again (another 403)."""
    sim = make_simulator()
    key = sim.store.keys[DEMO_KEY]
    sim.store.keys[NO_CANNED] = {**key, "permissions": {area: verbs for area, verbs in key["permissions"].items()
                                                       if area != "canned_response"}}
    pacer = Pacer(100_000, headroom=0, burst=10_000, clock=lambda: 0.0)  # its clock stands still: it counts every call
    async with make_client(sim, key=NO_CANNED, pacer=pacer) as client:
        reads = Reads(client)
        first = await reads.canned([("Reboot first", "Please restart the PC.")])
        again = await reads.canned([("Reboot first", "Please restart the PC.")])
    assert pacer.budget().used_last_minute == 1  # Syncro was asked once
    assert [c.title for c in first.items] == [c.title for c in again.items] == ["Reboot first"]
    assert first.note is not None and "“Ticket Canned Responses - Manage” permission" in first.note
    assert again.note == first.note
