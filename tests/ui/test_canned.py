"""Canned responses in the comment editor (ctrl+k, issue 36), by keys on the simulator."""

from __future__ import annotations

from syncro_tui.config import Config, Snippet
from syncro_tui.domain.comment import Visibility
from syncro_tui.ui.canned import CannedScreen
from syncro_tui.ui.confirm import ConfirmScreen

from ..conftest import make_simulator
from .helpers import SIZE, make_app, notices, rendered, settle, type_text, wait_for_screen
from .test_comment import choose, open_comment
from .test_writes_ui import puts

SNIPPET = Snippet(title="Reboot first", body="Please restart the PC and tell us if it helps.")


async def test_a_canned_response_with_a_password_is_inserted_as_text_and_stopped_in_an_email_reply(tmp_path):
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", config=Config(snippets=[SNIPPET]))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_comment(pilot)
        await choose(pilot, Visibility.EMAIL)  # the body has the focus now, the subject still empty
        await type_text(pilot, "Hi Otis, ")
        await pilot.press("ctrl+k")
        canned = await wait_for_screen(pilot, CannedScreen)
        await pilot.pause()
        titles = [c.title for c in canned.shown]
        assert titles[:5] == ["Waiting on you", "Remote session link", "Resolved: let us know", "Temporary password",
                              "[bold red]Urgent[/] \u202eeton"] and titles[5] == "Reboot first"
        options = canned.query_one("#canned-list")
        listed = " ".join(options.get_option_at_index(i).prompt.plain for i in range(options.option_count))
        assert "[bold red]Urgent[/]" in listed and "\u202e" not in listed  # markup literal, the override visible
        await type_text(pilot, "temp pass")
        assert [c.title for c in canned.shown] == ["Temporary password"]
        assert "Welcome2026!x" in rendered(canned, "#canned-preview")  # as it will be inserted, HTML gone
        await pilot.press("enter")
        await pilot.pause()
        body = screen.query_one("#body").text
        assert body == "Hi Otis, Your temporary password is Welcome2026!x — you will be asked to change it."
        assert screen.query_one("#subject").value == "Account"  # the response's subject, the field being empty
        assert "Syncro emails this to" in rendered(screen, "#audience")
        assert "Welcome2026!x" in rendered(screen, "#comment-problems")  # the password stop, highlighted
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen) and "Not ready to send" in notices(app)
        assert puts(sim) == []


async def test_hostile_canned_text_is_inserted_with_its_control_characters_made_visible(tmp_path):
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_comment(pilot)
        await pilot.press("tab", "tab")  # to the body
        await pilot.press("ctrl+k")
        await wait_for_screen(pilot, CannedScreen)
        await pilot.pause()
        await type_text(pilot, "urgent")
        await pilot.press("enter")
        await pilot.pause()
        body = screen.query_one("#body").text
        assert "\x1b" not in body and "Escalated" in body and "now" in body


async def test_a_key_without_the_permission_is_told_so_and_still_has_the_snippets(tmp_path):
    sim = make_simulator()
    app = make_app(sim, key="demo-key-marcus", user_id=1851, journal_path=tmp_path / "j.sqlite",
                   config=Config(snippets=[SNIPPET]))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_comment(pilot)
        await pilot.press("tab", "tab")
        await pilot.press("ctrl+k")
        canned = await wait_for_screen(pilot, CannedScreen)
        await pilot.pause()
        assert "Ticket Canned Responses - Manage" in rendered(canned, "#canned-note")
        assert [c.title for c in canned.shown] == ["Reboot first"]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#body").text == SNIPPET.body
