"""Close with a resolution comment, then the session log (SYNCRO.md section 12), by keys on the simulator."""

from __future__ import annotations

from datetime import UTC, datetime

from syncro_tui.config import Config
from syncro_tui.domain.session_log import log_path, render, slug
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.dialogs import ChoiceScreen, NoteScreen

from ..conftest import FIXED_NOW, make_simulator
from .helpers import SIZE, make_app, notices, settle, steady, type_text, wait_for_screen
from .test_writes_ui import close_selected, pick, puts, selected_ticket


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
        await pilot.press("c")
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


def test_close_resolution_snapshot(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("c")
        await wait_for_screen(pilot, NoteScreen)
        await type_text(pilot, "Replaced the fuser")
        steady(pilot)
        await pilot.pause()

    assert snap_compare(make_app(make_simulator()), terminal_size=SIZE, run_before=run_before)


def test_close_confirm_snapshot(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await close_selected(pilot, "Replaced the fuser")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.pause()  # (not settle: the close worker waits on this confirm)

    assert snap_compare(make_app(make_simulator()), terminal_size=SIZE, run_before=run_before)
