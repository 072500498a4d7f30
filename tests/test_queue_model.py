"""The queue model below the screens (``session/queue.py``), on the simulator, with no Textual."""

from __future__ import annotations

from syncro_tui.api import Pacer
from syncro_tui.demo import in_process_client, in_process_session
from syncro_tui.domain.account import Account
from syncro_tui.domain.sections import Needle
from syncro_tui.session.queue import QueueModel
from syncro_tui.api import requests as rq

from .conftest import FIXED_NOW, make_simulator


def held(model: QueueModel) -> dict[str, int]:
    """How many tickets each of the model's own tables holds."""
    return {"tickets": len(model.queue.tickets), "unseen": len(model.unseen), "marks": len(model.marks),
            "alerted": len(model.inbox.open_ids()), "filter's text": len(model.hay)}


async def test_tickets_that_arrive_and_close_all_day_leave_nothing_behind(tmp_path) -> None:
    """Issue 35: every ticket that arrived and later closed stayed in the filter's text (and its row with it),
    ~10 KB each all day. Five arrive and five close per refresh; after the cycles the model holds what it held."""
    sim = make_simulator()
    session = in_process_session(sim, clock=lambda: FIXED_NOW, journal_path=tmp_path / "j.sqlite")
    model = QueueModel(Account(), session)
    model.set_sections(None)
    model.enter(next(s for s in model.sections if s.id == "all"))
    async for _ in model.load(session.reads, page_size=100):
        pass
    model.needle = Needle("a")  # a filter on: every ticket's text is worked out
    model.rows()
    before = held(model)
    customer = next(iter(model.queue.tickets.values())).customer_id
    async with in_process_client(sim, "demo-key-marcus", pacer=Pacer(180, headroom=0, burst=179)) as other:
        for cycle in range(3):
            made = [await other.execute(rq.create_ticket({"customer_id": customer, "subject": f"Scanner {cycle}.{n} jams",
                                               "status": "New", "problem_type": "Hardware"})) for n in range(5)]
            changes, was, _ = await model.changed(session.reads)
            model.arrived(changes, selected=None)
            model.find_alerts(changes, was)
            model.take_alerts()
            model.rows()
            arrived = {t.id for t in made}
            assert arrived <= model.unseen and arrived <= model.inbox.open_ids() and arrived <= set(model.marks)
            for ticket in made:
                await other.execute(rq.update_ticket(ticket.id, {"status": "Resolved"}))
            changes, _, _ = await model.changed(session.reads)
            model.arrived(changes, selected=None)
            assert set(changes.removed) == arrived
            model.rows()
    assert held(model) == before
    await session.aclose()


def test_the_inbox_is_kept_when_the_session_opens_after_the_first_frame(tmp_path) -> None:
    """The app opens its session (reads the config) once its first frame is painted, after the queue model is made
    (and after the status bar has asked the inbox for its count): the inbox still keeps its entries in the
    session's cache."""
    from syncro_tui.domain.alerts import Alert, AlertKind

    from .domain.test_alerts import ROW

    session = in_process_session(make_simulator(), clock=lambda: FIXED_NOW, journal_path=tmp_path / "j.sqlite")
    model = QueueModel(Account(), session)
    assert model.inbox.open_ids() == set() and not session.opened  # the first frame's status bar, before the config
    session.open()  # SyncroApp.on_ready
    model.inbox.found([Alert(AlertKind.ASSIGNED, ROW)])
    model.inbox.take({ROW.id})
    assert QueueModel(Account(), session).inbox.open_ids() == {ROW.id}  # as a restart reads it
