"""The alerts inbox (``i``, issue 36) by keys: done, snooze, a restart, and a snoozed ticket that changes again."""

from __future__ import annotations

from syncro_tui.domain.inbox import EntryState
from syncro_tui.ui.dialogs import NoteScreen
from syncro_tui.ui.inbox import InboxScreen
from syncro_tui.ui.ticket import TicketScreen

from ..conftest import make_simulator
from .helpers import SIZE, make_app, rendered, settle, wait_for_screen
from .test_dashboard import another_tech, others_tickets


def inbox_rows(screen: InboxScreen) -> list[str]:
    table = screen.query_one("#inbox-table")
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_the_inbox_keeps_done_and_snoozed_across_a_restart_and_a_snoozed_ticket_that_changes_comes_back(tmp_path):
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assigned, urgent, third = others_tickets(app)[:3]
        number = {t.id: t.number for t in app.queue_model.queue.tickets.values()}
        await another_tech(sim, assigned, {"user_id": 1843})
        await another_tech(sim, urgent, {"priority": "4 Urgent"})
        await another_tech(sim, third, {"user_id": 1843})
        await pilot.press("r")
        await settle(pilot)
        assert "⚑ 3 alerts" in rendered(app.screen, "#status")

        await pilot.press("i")
        inbox = await wait_for_screen(pilot, InboxScreen)
        rows = inbox_rows(inbox)
        assert len(rows) == 3 and all(r.startswith("● open") for r in rows)
        assert any(f"Raised to urgent #{number[urgent]} " in r for r in rows)
        order = [int(k.value) for k in inbox.query_one("#inbox-table").rows]
        await pilot.press("d")  # the first: done
        done = order[0]
        await pilot.press("down", "z")
        await wait_for_screen(pilot, NoteScreen)
        await pilot.press(*"2pm", "enter")
        await wait_for_screen(pilot, InboxScreen)
        await pilot.pause()
        snoozed = next(t for t in order if app.queue_model.inbox.entries[t].state is EntryState.SNOOZED)
        assert app.queue_model.inbox.entries[done].state is EntryState.DONE
        assert any(r.startswith("z 14:00") for r in inbox_rows(inbox))
        opened = next(t for t in order if t not in (done, snoozed))
        table = inbox.query_one("#inbox-table")
        table.move_cursor(row=[int(k.value) for k in table.rows].index(opened))
        await pilot.press("enter")  # opens it, and it counts as seen
        screen = await wait_for_screen(pilot, TicketScreen)
        assert screen.ticket_id == opened
        await pilot.press("escape")
        await settle(pilot)
        app.screen.update_status()
        await pilot.pause()
        assert "⚑" not in rendered(app.screen, "#status")

    app = make_app(sim, journal_path=tmp_path / "j.sqlite")  # a restart: the inbox is as it was left
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        entries = app.queue_model.inbox.today()
        assert {t: e.state for t, e in entries.items()} == {done: EntryState.DONE, snoozed: EntryState.SNOOZED,
                                                             opened: EntryState.SEEN}
        assert "⚑" not in rendered(app.screen, "#status")
        await another_tech(sim, snoozed, {"status": "Customer Reply"} if snoozed != urgent else {"user_id": 1843})
        await pilot.press("r")
        await settle(pilot)
        assert app.queue_model.inbox.open_ids() == {snoozed}  # it changed again: back before its time
        assert "⚑ 1 alert" in rendered(app.screen, "#status")
        await pilot.press("i")
        inbox = await wait_for_screen(pilot, InboxScreen)
        assert inbox_rows(inbox)[0].startswith("● open") and f"#{number[snoozed]} " in inbox_rows(inbox)[0]
