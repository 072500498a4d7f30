"""The app shell driven by keys on the simulator."""

from __future__ import annotations

import io

from syncro_tui.config import ClockSettings
from syncro_tui.ui.text import clean, html_to_text, literal

from ..conftest import make_simulator
from .helpers import SIZE, make_app, settle


def cell_text(table, row: int, column: str) -> str:
    return table.cell(table.keys[row], column).plain


async def test_queue_shows_the_open_tickets_most_urgent_first() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue-table")
        expected = [t for t in sim.store.t("tickets").values() if t["status"] not in ("Resolved", "Invoiced", "Closed")]
        assert table.row_count == len(expected)
        assert cell_text(table, 0, "priority") == "4 Urgent"
        assert cell_text(table, 0, "number") == "#32000"
        customers = {cell_text(table, r, "customer") for r in range(table.row_count)}
        assert any("[bold red]&[/]" in c for c in customers), "markup must be shown literally"
        assert app.account.owner_label == "Dana Whitfield (#1843)"
        assert " 4  All open " in app.screen.query_one("#sections").content.plain


async def test_j_and_k_move_the_cursor() -> None:
    app = make_app(make_simulator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue-table")
        await pilot.press("j", "j", "k")
        assert table.cursor_row == 1
        await pilot.press("down")
        assert table.cursor_row == 2


async def test_refresh_costs_one_request_when_nothing_changed_and_updates_in_place() -> None:
    """One request for the tickets, and one for the tech's running Syncro timers ([clock] where = "syncro", the
    default; "local" leaves it out)."""
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue-table")
        await pilot.press("j", "j", "j")
        selected = table.cursor_key
        sim.calls.clear()
        await pilot.press("r")
        await settle(pilot)
        assert list(sim.calls) == [("GET", "list_tickets"), ("GET", "list_ticket_timers")]
        app.session.settings.config = app.session.config.model_copy(update={"clock": ClockSettings(where="local")})
        sim.calls.clear()
        await pilot.press("r")
        await settle(pilot)
        assert list(sim.calls) == [("GET", "list_tickets")]

        # another tech changes the selected ticket, resolves one, and a new ticket arrives
        changed = sim.store.t("tickets")[int(selected)]
        changed["status"] = "Waiting on Vendor"
        changed["updated_at"] = "2026-11-20T16:00:01.000Z"
        gone_id = int(table.keys[10])
        gone = sim.store.t("tickets")[gone_id]
        gone["status"] = "Resolved"
        gone["updated_at"] = "2026-11-20T16:00:01.000Z"
        customer_id = changed["customer_id"]
        new = sim.store.create_ticket({"customer_id": customer_id, "subject": "Brand new ticket"}, key="demo-key")["ticket"]
        before = table.row_count
        await pilot.press("r")
        await settle(pilot)
        assert table.row_count == before  # one left, one arrived
        assert table.cursor_key == selected
        assert table.cell(selected, "status").plain == "Waiting on Vendor"
        assert str(new["id"]) in set(table.keys)
        assert str(gone_id) not in set(table.keys)


async def test_question_mark_toggles_the_key_help() -> None:
    app = make_app(make_simulator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        from syncro_tui.ui.help import HelpScreen

        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        from rich.console import Console

        console = Console(width=200, record=True, file=io.StringIO())
        console.print(help_screen.keys())
        keys = console.export_text()
        assert "queue.close" in keys and "app.quit" in keys and "Close" in keys  # each key's binding id, for [keymap]
        shown = "\n".join(str(static.content) for static in help_screen.query("Static"))
        assert "1  My open" in shown and "4  All open" in shown  # the sections by number
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_a_key_of_another_tech_raises_a_banner_nobody_can_miss() -> None:
    app = make_app(make_simulator(), key="demo-key-marcus")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = app.screen.query_one("#attribution")
        assert banner.shown
        text = str(banner.render())
        assert "Marcus Bell" in text and "Writes are refused" in text
        assert app.attribution_problem() is not None


async def test_a_profile_without_user_id_is_flagged() -> None:
    app = make_app(make_simulator(), user_id=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "has no user_id" in str(app.screen.query_one("#attribution").render())


async def test_the_right_key_shows_no_banner() -> None:
    app = make_app(make_simulator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#attribution").shown
        assert app.attribution_problem() is None


async def test_a_bad_key_exits_with_a_short_message() -> None:
    app = make_app(make_simulator(), key="wrong-key-123")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.return_code == 3
    assert "wrong, expired or revoked" in app.exit_message


async def test_a_key_without_ticket_permission_exits_naming_it() -> None:
    app = make_app(make_simulator(), key="demo-key-frontdesk", user_id=2302)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.return_code == 3
    assert "Tickets - List/Search" in app.exit_message


async def test_an_unreachable_host_exits_with_a_short_message() -> None:
    import socket

    from syncro_tui.api import Pacer, SyncroClient

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = make_app(make_simulator())
    app.session.client = SyncroClient(f"http://127.0.0.1:{port}/api/v1", "demo-key", pacer=Pacer(180, headroom=0, burst=179),
                                      read_retries=0, timeout=2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.return_code == 4
    assert "Cannot reach Syncro" in app.exit_message


def test_untrusted_text_is_shown_literally() -> None:
    hostile = "A\x1b[31mRED\x1b[0m[bold]x[/bold]\x07\r\nnext"
    shown = literal(hostile)
    assert shown.plain == "A␛[31mRED␛[0m[bold]x[/bold]␇ next"
    assert not shown.spans  # no markup was interpreted
    assert "\x1b" not in clean(hostile, single_line=False)
    assert html_to_text("One<br>Two<ul><li>a</li><li>b</li></ul>&amp; done") == "One\nTwo\n• a\n• b\n& done"


def test_queue_snapshot(snap_compare) -> None:
    app = make_app(make_simulator())
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
