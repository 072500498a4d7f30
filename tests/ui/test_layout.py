"""The queue fits any terminal (issues 19, 33): columns by importance, short forms before a column goes, the subject
never under 16 (30 from 88 columns), spare width to it."""

from __future__ import annotations

import pytest

from syncro_tui.ui.queue_view import COLUMNS
from syncro_tui.ui.ticket_table import Column, TicketTable, fit

from ..conftest import make_simulator
from .helpers import make_app, settle

ORDER_OF_IMPORTANCE = ["seen", "number", "subject", "customer", "status", "priority", "due", "tech", "updated", "age"]


def shown(width: int) -> dict[str, int]:
    return {COLUMNS[i].key: w for i, w in fit(COLUMNS, width)}


def test_the_documented_order_of_importance_is_the_order_columns_give_way() -> None:
    assert sorted(COLUMNS, key=lambda c: (c.rank, ORDER_OF_IMPORTANCE.index(c.key))) == sorted(
        COLUMNS, key=lambda c: ORDER_OF_IMPORTANCE.index(c.key))
    kept = [set(shown(width)) for width in range(60, 160)]
    for narrower, wider in zip(kept, kept[1:]):
        assert narrower <= wider  # a wider terminal never loses a column


@pytest.mark.parametrize("width", range(60, 240, 7))
def test_every_width_fits_and_the_subject_keeps_16_and_30_once_there_is_room(width) -> None:
    columns = shown(width)
    assert sum(w + 1 for w in columns.values()) <= width
    assert columns["subject"] >= (30 if width >= 88 else 16) and {"seen", "number", "subject"} <= set(columns)


def test_narrow_terminals_lose_the_least_important_and_wide_ones_widen_the_subject() -> None:
    assert list(shown(60)) == ["seen", "number", "status", "customer", "subject"]
    # 80 columns (issue 33): the short status and the due date stay; status and customer narrow first
    assert list(shown(80)) == ["seen", "number", "status", "priority", "customer", "subject", "due"]
    assert shown(80)["status"] == 10 and shown(80)["due"] == 10 and shown(80)["customer"] == 14
    assert shown(110)["status"] == 19 and shown(110)["customer"] == 26 and shown(110)["due"] == 12  # full widths
    assert "tech" not in shown(119)
    assert len(shown(150)) == len(COLUMNS)
    assert shown(219)["subject"] - shown(150)["subject"] == 69  # every spare cell goes to the subject


def test_a_column_that_may_narrow_does_so_before_a_core_one_goes() -> None:
    columns = (Column("a", "A", 10), Column("b", "B", 20, least=5, rank=1), Column("c", "C", 5, rank=2))
    assert fit(columns, 40) == [(0, 10), (1, 20), (2, 5)]
    assert fit(columns, 30) == [(0, 10), (1, 12), (2, 5)]
    assert fit(columns, 14) == [(0, 10)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (220, 60)])
def test_queue_layout_snapshot(snap_compare, size) -> None:
    assert snap_compare(make_app(make_simulator()), terminal_size=size, run_before=settle)


async def test_the_table_refits_when_the_terminal_is_resized() -> None:
    app = make_app(make_simulator())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(TicketTable)
        assert "tech" not in {table.columns[i].key for i, _ in table.shown}
        await pilot.resize_terminal(180, 40)
        await settle(pilot)
        assert "tech" in {table.columns[i].key for i, _ in table.shown}
        assert table.virtual_size.width <= table.size.width  # nothing off to the right


async def test_section_tabs_that_do_not_fit_collapse_to_their_numbers() -> None:
    from .helpers import rendered

    app = make_app(make_simulator())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = rendered(app.queue_screen, "#sections")
        assert "All open 67" in bar and "My open" not in bar and bar.startswith("1 2 3 4")
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        assert "My open 20" in rendered(app.queue_screen, "#sections")


def footer_keys(app) -> list[tuple[str, str]]:
    from textual.widgets._footer import FooterKey

    from syncro_tui.ui.widgets import FittingFooter

    footer = app.screen.query_one(FittingFooter)
    return [(key.key_display, key.description) for key in footer.query_children(FooterKey) if key.display]


async def test_the_footer_fits_with_keys_remapped_to_long_names() -> None:
    from syncro_tui.config import Config
    from syncro_tui.ui.widgets import FittingFooter

    keymap = {"queue.refresh": "ctrl+shift+f5", "queue.filter": "ctrl+shift+f", "queue.find": "ctrl+shift+g",
              "app.help": "f1"}
    for width in (80, 120, 220):
        app = make_app(make_simulator(), config=Config(keymap=keymap))
        async with app.run_test(size=(width, 30)) as pilot:
            await settle(pilot)
            footer = app.screen.query_one(FittingFooter)
            shown = footer_keys(app)
            used = sum(footer.width_of(key) for key in footer.children if key.display)
            assert used <= width  # nothing cut off mid-word at the edge
            assert ("f1", "Keys") in shown and shown[-1][1] == "palette"  # help (every key, by id) always stays
            descriptions = [d for _, d in shown]
            assert descriptions[0] == "Refresh" and shown[0][0] != "r"  # the remapped key is the one shown
            order = ["Refresh", "Filter", "Find in Syncro", "Customer", "Status", "Assign", "Priority", "Close",
                     "Bill time", "New ticket", "Appointments", "Unfinished", "Activity", "Sweep", "Quit"]
            kept = [d for d in descriptions if d in order]
            assert kept == order[:len(kept)]  # the least important give way first
            if width == 80:
                assert len(kept) < len(order)
            if width == 220:
                assert kept == order
            await pilot.resize_terminal(width // 2 + 20, 30)  # narrower: refitted
            await settle(pilot)
            assert sum(footer.width_of(key) for key in footer.children if key.display) <= width // 2 + 20
            assert ("f1", "Keys") in footer_keys(app)


async def test_a_cursor_move_redraws_its_two_rows_not_the_whole_table(monkeypatch) -> None:
    """A real terminal is sent every line redrawn: the whole table on each arrow key was 30 KB a key."""
    drawn: list[int] = []
    render_line = TicketTable.render_line

    def counting(self, y):
        drawn.append(y)
        return render_line(self, y)

    app = make_app(make_simulator())
    async with app.run_test(size=(180, 50)) as pilot:
        await settle(pilot)
        table = app.query_one(TicketTable)
        monkeypatch.setattr(TicketTable, "render_line", counting)
        await pilot.press("down")
        await pilot.pause()
        assert table.cursor_row == 1
        assert sorted(drawn) == [1, 2]  # the row it left and the row it is on (line 0 is the header)
        drawn.clear()
        for _ in range(table.size.height):  # past the last line shown: the table scrolls, and all of it is drawn
            await pilot.press("down")
        await pilot.pause()
        assert table.scroll_y > 0 and len(set(drawn)) == table.size.height


def lines_of(widget) -> list[str]:
    """What a widget draws, line by line, as plain text."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_at_80_by_24_every_screen_keeps_what_a_tech_needs() -> None:
    """Issue 33: short statuses that stay distinct, the due date, the appointment's owner, ticket and location,
    the write's outcome, and the status bar's budget and refresh time, all at 80×24."""
    from syncro_tui.ui.activity import ActivityScreen
    from syncro_tui.ui.appointments import AppointmentsScreen
    from syncro_tui.ui.widgets import ListTable

    from .helpers import wait_for_screen

    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")  # all open: every status the demo has
        await settle(pilot)
        table = app.query_one(TicketTable)
        header, *rows = lines_of(table)
        assert header.split()[-1] == "Due"
        statuses = {t["status"] for t in sim.store.t("tickets").values()}
        assert {"Waiting on Customer", "Waiting on Vendor"} <= statuses
        drawn = "\n".join(rows)
        assert "Wait cust" in drawn and "Wait vend" in drawn and "Waiting o" not in drawn
        bar = " ".join(lines_of(app.queue_screen.query_one("#status")))
        assert "API 6/180" in bar and "↻ 10:00" in bar and "connected" in bar  # the tickets, and the timers

        await pilot.press("t")
        screen = await wait_for_screen(pilot, AppointmentsScreen)
        await settle(pilot)
        listed = screen.query_one(ListTable)
        assert {"owner", "ticket", "location"} <= set(listed.shown_keys)
        assert "customer" not in listed.shown_keys  # the summary already begins with it
        assert all(len(line) <= 80 for line in lines_of(listed))

        await pilot.press("escape", "A")
        screen = await wait_for_screen(pilot, ActivityScreen)
        assert "outcome" in screen.query_one(ListTable).shown_keys
