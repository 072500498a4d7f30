"""Go to any ticket by number (``g``) and the recent tickets (``ctrl+e``), online and offline (issue 36)."""

from __future__ import annotations

from syncro_tui.ui.dialogs import ChoiceScreen, NoteScreen
from syncro_tui.ui.ticket import TicketScreen

from ..conftest import make_simulator
from .helpers import SIZE, make_app, notices, rendered, settle, wait_for_screen


def closed_ticket(sim) -> dict:
    """A ticket the open queue does not have."""
    return next(t for t in sorted(sim.store.t("tickets").values(), key=lambda t: t["id"])
                if t["status"] in ("Resolved", "Closed", "Invoiced"))


async def go_to(pilot, number: int | str) -> None:
    await pilot.press("g")
    await wait_for_screen(pilot, NoteScreen)
    await pilot.press(*str(number), "enter")


async def test_g_and_a_number_opens_a_closed_ticket_through_one_list_by_number(tmp_path) -> None:
    sim = make_simulator()
    closed = closed_ticket(sim)
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert closed["id"] not in app.queue_model.queue.tickets
        before = len(sim.calls)
        await go_to(pilot, closed["number"])
        screen = await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)
        assert screen.ticket_id == closed["id"]
        assert sim.calls[before] == ("GET", "list_tickets")  # by number, never the number as an id
        await pilot.press("escape")
        await go_to(pilot, 99999999)
        await settle(pilot)
        assert "There is no ticket #99999999 in Syncro." in notices(app)
        await go_to(pilot, "abc")
        await settle(pilot)
        assert "is not a ticket number" in notices(app)


async def test_offline_go_to_and_recent_open_what_this_machine_kept(tmp_path) -> None:
    sim = make_simulator()
    closed = closed_ticket(sim)
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:  # online: the closed ticket opened once, so it is kept
        await settle(pilot)
        await go_to(pilot, closed["number"])
        await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)

    sim.add_fault(kind="drop", times=0)  # nothing reaches Syncro now
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", timeout=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, closed["number"])
        screen = await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)
        assert screen.ticket_id == closed["id"] and "As last opened here" in rendered(screen, "#ticket-head")
        await pilot.press("escape")
        await settle(pilot)
        await go_to(pilot, 424242)
        await settle(pilot)
        assert "ticket #424242 was never opened on this machine" in notices(app)
        await pilot.press("ctrl+e")
        recent = await wait_for_screen(pilot, ChoiceScreen)
        assert [value for value, _ in recent.choices][0] == str(closed["id"])
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, TicketScreen)
        assert screen.ticket_id == closed["id"]
