"""Close with a resolution comment, then the session log (docs/rules.md §12), by keys on the simulator."""

from __future__ import annotations

from datetime import UTC, datetime

from syncro_tui.config import Config
from syncro_tui.domain.session_log import log_path, render, slug
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.dialogs import ChoiceScreen, NoteScreen

from ..conftest import FIXED_NOW, make_simulator
from .helpers import SIZE, make_app, notices, settle, steady, type_text, wait_for_screen
from .test_writes_ui import close_anyway, close_selected, pick, puts, selected_ticket


async def close_and_log(pilot, resolution: str) -> None:
    await close_selected(pilot, resolution)
    confirm = await wait_for_screen(pilot, ConfirmScreen)
    assert [r.call for r in confirm.requests] == ["add_comment", "update_ticket"]
    assert confirm.requests[0].body == {"subject": "Resolution", "body": resolution, "hidden": False,
                                        "do_not_email": True}
    await pilot.press("s")
    await pick(pilot, "write")
    await settle(pilot)


async def test_close_with_a_resolution_writes_the_session_log(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", config=Config(session_log_root=str(tmp_path / "logs")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        await close_and_log(pilot, "Replaced the toner")
    assert sim.store.t("tickets")[ticket.id]["status"] == "Resolved"
    path = tmp_path / "logs" / "clients" / slug(ticket.customer_business_then_name) / "session-logs" / (
        f"2026-11-20-ticket-{ticket.number}.md")
    text = path.read_text()
    assert text.startswith(f"# Ticket #{ticket.number}: {ticket.subject}")
    assert "## Comments" in text and "## Resolution\n\nReplaced the toner" in text
    assert "(public): Resolution" in text  # the resolution comment is on the ticket too


async def test_an_existing_session_log_is_never_overwritten(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", config=Config(session_log_root=str(tmp_path / "logs")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        path = log_path(tmp_path / "logs", customer=ticket.customer_business_then_name, number=ticket.number,
                        day=FIXED_NOW.astimezone(app.account.time_zone))
        path.parent.mkdir(parents=True)
        path.write_text("KEEP")
        await close_and_log(pilot, "Done")
        assert "already exists: it was not overwritten" in notices(app)
    assert path.read_text() == "KEEP"


async def test_escape_on_the_resolution_closes_nothing(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await close_anyway(pilot)
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, (ConfirmScreen, ChoiceScreen))
    assert puts(sim) == []


def test_the_log_is_plain_markdown_with_control_characters_made_visible() -> None:
    from syncro_tui.api.models import Ticket

    sim = make_simulator()
    hostile = next(c for c in sim.store.t("comments").values() if "\x1b" in (c.get("body") or ""))
    ticket = Ticket.model_validate(sim.store.get_ticket(hostile["ticket_id"])["ticket"])
    text = render(ticket, resolution="Fixed.\x07", closed_at=datetime(2026, 11, 20, 16, tzinfo=UTC), zone=UTC)
    assert "\x1b" not in text and "\x07" not in text and "␛" in text
    assert slug("Halvorsen & Pike CPAs") == "halvorsen-pike-cpas" and slug("Café Noël") == "cafe-noel"


def fresh_budget(pilot) -> None:
    """The status bar's API count as it stands, every call counted: the close dialog's read of the ticket's billing
    lands while a worker waits on a dialog (no settle), and the bar's own repaint would race the picture."""
    pilot.app.queue_screen.update_status()


def test_close_resolution_snapshot(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await close_anyway(pilot)
        await type_text(pilot, "Replaced the fuser")
        steady(pilot)
        fresh_budget(pilot)
        await pilot.pause()

    assert snap_compare(make_app(make_simulator()), terminal_size=SIZE, run_before=run_before)


def test_close_confirm_snapshot(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await close_selected(pilot, "Replaced the fuser")
        await wait_for_screen(pilot, ConfirmScreen)
        fresh_budget(pilot)
        await pilot.pause()  # (not settle: the close worker waits on this confirm)

    assert snap_compare(make_app(make_simulator()), terminal_size=SIZE, run_before=run_before)


# ------------------------------------------------------------------ close looks at billing (issue 20)
def unbilled_with_a_timer_and_a_visit(sim, ticket_id: int) -> None:
    """The ticket as a tech forgets it: a timer of 45 min never charged, and a visit booked for Monday."""
    from .test_billing import clear_billing

    clear_billing(sim, ticket_id)
    store = sim.store
    timer_id = store.next_id("timer_id")
    store.t("timers")[timer_id] = {
        "id": timer_id, "ticket_id": ticket_id, "user_id": 1843, "start_time": "2026-11-20T14:00:00.000Z",
        "end_time": "2026-11-20T14:45:00.000Z", "recorded": False, "created_at": "2026-11-20T14:45:00.000Z",
        "updated_at": "2026-11-20T14:45:00.000Z", "billable": True, "notes": "Swapped the toner", "toggl_id": None,
        "product_id": 1190473, "comment_id": None, "ticket_line_item_id": None, "active_duration": 2700,
        "billable_time": 2700, "billable_override": None}
    for appointment in [a for a in store.t("appointments").values() if a.get("ticket_id") == ticket_id]:
        del store.t("appointments")[appointment["id"]]
    visit = store.next_id("appointment_id")
    store.t("appointments")[visit] = {**next(iter(store.t("appointments").values())), "id": visit,
                                      "ticket_id": ticket_id, "start_at": "2026-11-23T15:00:00.000Z",
                                      "end_at": "2026-11-23T16:00:00.000Z"}


async def test_closing_says_what_billing_would_leave_behind_and_offers_to_bill_first(tmp_path) -> None:
    from syncro_tui.ui.billing import BillingScreen

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        unbilled_with_a_timer_and_a_visit(sim, ticket.id)
        await pilot.press("c")
        dialog = await wait_for_screen(pilot, ChoiceScreen)
        said = dialog.prompt
        assert "⚠ 1 timer not charged (45 min): it is not on any invoice." in said
        assert "⚠ An appointment is still ahead: Mon 23 Nov 09:00." in said
        assert "Nothing is billed" not in said  # a timer is there, only not charged
        await pick(pilot, "bill")
        await wait_for_screen(pilot, BillingScreen)  # bill first: the wizard on this ticket, nothing closed
        assert app.screen.ticket_id == ticket.id
    assert puts(sim) == [] and sim.store.t("tickets")[ticket.id]["status"] != "Resolved"


async def test_closing_offers_to_cancel_the_visit_still_ahead_in_the_same_confirm(tmp_path) -> None:
    """A closed ticket with Monday's visit still booked sends a tech to a job that is done: the close offers to
    cancel it, and the confirm shows the cancel as its own call, after the status."""
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        unbilled_with_a_timer_and_a_visit(sim, ticket.id)
        [visit] = [a["id"] for a in sim.store.t("appointments").values() if a.get("ticket_id") == ticket.id]
        await pilot.press("c")
        dialog = await wait_for_screen(pilot, ChoiceScreen)
        assert [value for value, _ in dialog.choices] == ["bill", "cancel-ahead", "close", "cancel"]
        await pick(pilot, "cancel-ahead")
        await wait_for_screen(pilot, NoteScreen)
        await pilot.press("enter")  # no resolution comment
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert [(r.call, r.path) for r in confirm.requests] == [
            ("update_ticket", f"/tickets/{ticket.id}"), ("delete_appointment", f"/appointments/{visit}")]
        assert any(n.startswith("Cancelled: ") and "Mon 2026-11-23 09:00" in n for n in confirm.notes)
        assert visit in sim.store.t("appointments"), "nothing before s"
        await pilot.press("s")
        await settle(pilot)
    assert sim.store.t("tickets")[ticket.id]["status"] == "Resolved"
    assert visit not in sim.store.t("appointments")


async def test_a_ticket_with_nothing_billed_closes_only_when_the_tech_says_so(tmp_path) -> None:
    from .test_billing import clear_billing

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        clear_billing(sim, ticket.id)
        await pilot.press("c")
        dialog = await wait_for_screen(pilot, ChoiceScreen)
        assert "⚠ Nothing is billed on this ticket yet: no time and no line items." in dialog.prompt
        await pick(pilot, "cancel")
        await settle(pilot)
        assert not isinstance(app.screen, (ChoiceScreen, NoteScreen)) and puts(sim) == []
        await close_selected(pilot, "Warranty swap, nothing to bill")  # close anyway, through the confirm
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await settle(pilot)
    assert sim.store.t("tickets")[ticket.id]["status"] == "Resolved"


async def test_a_billed_ticket_closes_without_a_word_about_billing(tmp_path) -> None:
    from .test_billing import clear_billing

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        clear_billing(sim, ticket.id)
        for appointment in [a for a in sim.store.t("appointments").values() if a.get("ticket_id") == ticket.id]:
            del sim.store.t("appointments")[appointment["id"]]
        line = sim.store.next_id("line_item_id")
        sim.store.t("line_items")[line] = {**next(iter(sim.store.t("line_items").values())), "id": line,
                                           "ticket_id": ticket.id}
        await pilot.press("c")
        await wait_for_screen(pilot, NoteScreen)  # straight to the resolution: nothing to say about billing


def test_close_concerns_snapshot(snap_compare) -> None:
    sim = make_simulator()

    async def run_before(pilot) -> None:
        await settle(pilot)
        unbilled_with_a_timer_and_a_visit(sim, selected_ticket(pilot.app).id)
        await pilot.press("c")
        await wait_for_screen(pilot, ChoiceScreen)
        steady(pilot)
        fresh_budget(pilot)  # the dialog is up once the billing read is in: the bar counts it
        await pilot.pause()

    assert snap_compare(make_app(sim), terminal_size=SIZE, run_before=run_before)


async def test_a_resolution_still_being_sent_is_not_offered_again_and_lands_once(tmp_path, monkeypatch) -> None:
    """c, a resolution, s with a slow Syncro; then, while it sends, u, r, s: the public comment lands once."""
    from syncro_tui.simulator import app as simulator_app
    from syncro_tui.ui.unfinished import UnfinishedScreen

    from .helpers import HeldAnswer

    held = HeldAnswer()
    monkeypatch.setattr(simulator_app, "asyncio", held)
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", config=Config(session_log_root=str(tmp_path / "logs")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        before = len([c for c in sim.store.t("comments").values() if c["ticket_id"] == ticket.id])
        sim.faults.add(kind="latency", route="add_comment", delay=HeldAnswer.HOLD)
        await close_selected(pilot, "Replaced the toner")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await held.holding.wait()  # the resolution comment is in flight
        await pilot.press("u")
        unfinished = await wait_for_screen(pilot, UnfinishedScreen)
        table = unfinished.query_one("#unfinished-table")
        assert any("Sending now, from this window" in " ".join(map(str, table.get_row_at(n)))
                   for n in range(table.row_count))
        await pilot.press("r")
        for _ in range(20):
            await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen), "its own send was offered to be sent again"
        await pilot.press("s")  # what the tech pressed next: nothing to send
        await pilot.press("escape")
        held.release.set()
        await pick(pilot, "write")  # the close goes on to its session log
        await settle(pilot)
    comments = [c for c in sim.store.t("comments").values() if c["ticket_id"] == ticket.id]
    assert len(comments) == before + 1
    assert sim.store.t("tickets")[ticket.id]["status"] == "Resolved"
