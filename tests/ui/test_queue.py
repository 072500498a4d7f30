"""The queue driven by keys: sections, the filter, server and customer search, changed rows, palette, remapping."""

from __future__ import annotations

import asyncio

import pytest

from textual.command import CommandPalette

from syncro_tui.config import Config, QueueSettings, SavedFilter
from syncro_tui.domain.sections import Source
from syncro_tui.simulator import Simulator
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.dialogs import CustomerSearchScreen, NoteScreen
from syncro_tui.ui.ticket import TicketScreen

from ..conftest import FIXED_DAY, make_simulator
from .helpers import SIZE, make_app, notices, pick_customer, rendered, settle, wait_for_screen
from .test_writes_ui import close_selected

OPEN = ("Resolved", "Invoiced", "Closed")


def shown_ids(app) -> list[int]:
    table = app.screen.query_one("#queue-table")
    return [int(key) for key in table.keys]


def open_tickets(sim: Simulator) -> list[dict]:
    return [t for t in sim.store.t("tickets").values() if t["status"] not in OPEN]


async def test_each_section_shows_its_tickets(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        everything = {t["id"]: t for t in open_tickets(sim)}
        await pilot.press("1")
        mine = shown_ids(app)
        assert mine and all(everything[i]["user_id"] == 1843 for i in mine)
        assert len(mine) == sum(t["user_id"] == 1843 for t in everything.values())
        await pilot.press("2")
        assert set(shown_ids(app)) == {i for i, t in everything.items() if t["status"] == "New" or t["user_id"] is None}
        await pilot.press("3")
        assert set(shown_ids(app)) == {i for i, t in everything.items() if t["status"] == "Customer Reply"}
        await pilot.press("4")
        assert set(shown_ids(app)) == set(everything)
        bar = app.screen.query_one("#sections").content.plain
        assert f"All open {len(everything)}" in bar and "Waiting on vendor" in bar


async def test_todays_appointments_section_lists_them_and_enter_opens_the_ticket() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        table = app.screen.query_one("#appointments-table")
        today = [a for a in sim.store.t("appointments").values() if a["start_at"][:10] == FIXED_DAY.isoformat()]
        assert table.row_count == len(today) > 0
        assert app.screen.query_one("#views").current == "appointments-table"
        first = table.get_row_at(0)
        assert first[0].plain.count(":") == 2  # "08:00–09:30" in the account's time zone
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, TicketScreen)
        earliest = min(today, key=lambda a: a["start_at"])
        assert screen.ticket_id == earliest["ticket_id"]


async def test_a_syncro_saved_search_is_a_section() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sim.calls.clear()
        await pilot.press("6")
        await settle(pilot)
        assert sim.calls[0] == ("GET", "list_tickets")
        statuses = {sim.store.t("tickets")[i]["status"] for i in shown_ids(app)}
        assert statuses == {"Waiting on Vendor"}


async def test_saved_filters_from_the_config_are_sections() -> None:
    sim = make_simulator()
    config = Config(queue=QueueSettings(filters=[SavedFilter(name="Urgent and high", priorities=["4 Urgent", "1 High"])]))
    app = make_app(sim, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("6")  # after the five built-in ones
        priorities = {sim.store.t("tickets")[i]["priority"] for i in shown_ids(app)}
        assert priorities == {"4 Urgent", "1 High"}


async def test_slash_filters_as_you_type_and_escape_clears() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        everything = len(shown_ids(app))
        await pilot.press("slash", *"PRINTER 2nd")
        ids = shown_ids(app)
        assert ids and all("printer" in sim.store.t("tickets")[i]["subject"].lower() for i in ids)
        assert all("2nd" in sim.store.t("tickets")[i]["subject"] for i in ids)
        assert "filter: PRINTER 2nd" in app.screen.query_one("#sections").content.plain
        await pilot.press("enter", "j")  # back to the table; j moves, the filter stays
        assert len(shown_ids(app)) == len(ids)
        await pilot.press("escape")
        assert len(shown_ids(app)) == everything
        number = sim.store.t("tickets")[ids[0]]["number"]
        await pilot.press("slash", *str(number))  # digits go to the filter, not to the sections
        assert shown_ids(app) == [ids[0]]


async def test_find_searches_syncro_and_shows_the_results_as_a_section() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await wait_for_screen(pilot, NoteScreen)
        await pilot.press(*"firewall", "enter")
        await settle(pilot)
        ids = shown_ids(app)
        assert ids and all("firewall" in sim.store.t("tickets")[i]["subject"].lower() for i in ids)
        assert "Search: firewall" in app.screen.query_one("#sections").content.plain


async def test_customer_search_opens_a_customers_tickets() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        screen = await wait_for_screen(pilot, CustomerSearchScreen)
        await pick_customer(pilot, screen, "otis")
        await settle(pilot)
        otis = next(c for c in sim.store.t("customers").values() if "Otis" in (c.get("fullname") or ""))
        ids = shown_ids(app)
        assert ids and {sim.store.t("tickets")[i]["customer_id"] for i in ids} == {otis["id"]}
        assert "Customer: Otis Ramirez" in app.screen.query_one("#sections").content.plain


async def test_rows_changed_by_someone_else_are_marked_until_looked_at() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue-table")
        other = shown_ids(app)[3]
        record = sim.store.t("tickets")[other]
        record["subject"] = "Changed by Marcus"
        record["updated_at"] = "2026-11-20T16:00:05.000Z"
        await pilot.press("r")
        await settle(pilot)
        assert table.cell(str(other), "seen").plain == "●"
        assert table.cell(str(shown_ids(app)[0]), "seen").plain == " "
        await pilot.press("j", "j", "j")
        assert table.cell(str(other), "seen").plain == " "


async def test_enter_opens_the_ticket_and_escape_comes_back_to_the_same_row() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        third = shown_ids(app)[2]
        await pilot.press("j", "j", "enter")
        screen = await wait_for_screen(pilot, TicketScreen)
        assert screen.ticket_id == third
        await settle(pilot)
        await pilot.press("escape")
        assert app.screen.query_one("#queue-table").cursor_row == 2


async def test_the_command_palette_offers_the_selected_tickets_actions() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = shown_ids(app)[0]
        number = sim.store.t("tickets")[first]["number"]
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert f"Close: #{number}" in " ".join(titles) and any(t.startswith(f"Open #{number}") for t in titles)
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, CommandPalette)
        await pilot.press(*"open #", *str(number))
        await asyncio.sleep(0.3)
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, TicketScreen)
        assert screen.ticket_id == first


async def test_bindings_can_be_remapped_in_the_config() -> None:
    sim = make_simulator()
    app = make_app(sim, config=Config(keymap={"queue.refresh": "f5", "queue.filter": "ctrl+f"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sim.calls.clear()
        await pilot.press("f5")
        await settle(pilot)
        assert ("GET", "list_tickets") in sim.calls  # f5 refreshed
        await pilot.press("ctrl+f", *"vpn")
        assert all("vpn" in sim.store.t("tickets")[i]["subject"].lower() for i in shown_ids(app))


@pytest.mark.parametrize("section", ["1", "2", "3", "6"])
def test_queue_sections_snapshot(snap_compare, section) -> None:
    """My open, New / unassigned, Customer Reply, and a Syncro saved search (All open is the queue snapshot)."""
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press(section)
        await settle(pilot)

    assert snap_compare(make_app(make_simulator()), terminal_size=SIZE, run_before=run_before)


def test_filter_snapshot(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#filter").cursor_blink = False  # a blinking cursor would make the picture flaky
        await pilot.press("slash", *"outlook")
        await pilot.pause()

    assert snap_compare(make_app(make_simulator()), terminal_size=SIZE, run_before=run_before)


def test_appointments_snapshot(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)

    assert snap_compare(make_app(make_simulator()), terminal_size=SIZE, run_before=run_before)


def test_help_snapshot(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(make_simulator()), terminal_size=SIZE, run_before=run_before)


def armed_refreshes(screen) -> list:
    """The queue's automatic-refresh timers still to fire (running timers are those with a task)."""
    return [t for t in screen._timers if t.name == "queue-auto-refresh" and t._task is not None]


async def test_refreshing_by_hand_never_adds_a_second_automatic_cycle() -> None:
    """Each refresh re-arms the one timer; pressing r must not start parallel refresh loops (no clock involved)."""
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(armed_refreshes(app.screen)) == 1
        await pilot.press("r", "r", "r")
        await settle(pilot)
        assert len(armed_refreshes(app.screen)) == 1
        sim.calls.clear()
        app.screen.refresh_due()  # the timer firing
        await settle(pilot)
        assert sum(1 for call in sim.calls if call == ("GET", "list_tickets")) == 1
        assert len(armed_refreshes(app.screen)) == 1


async def test_the_mouse_moves_the_cursor_and_a_second_click_opens_the_ticket() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue-table")
        await pilot.click("#queue-table", offset=(10, 3))  # line 0 is the header: this is the third row
        assert table.cursor_row == 2
        await pilot.click("#queue-table", offset=(10, 3))
        screen = await wait_for_screen(pilot, TicketScreen)
        assert screen.ticket_id == int(table.keys[2])


async def test_auto_refresh_pauses_while_a_confirm_is_open() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.screen
        await close_selected(pilot)
        await wait_for_screen(pilot, ConfirmScreen)
        sim.calls.clear()
        queue.refresh_due()  # the timer fires while the confirm is open: it only re-arms
        await pilot.pause()
        assert ("GET", "list_tickets") not in sim.calls
        assert len(armed_refreshes(queue)) == 1
        await pilot.press("escape")
        await settle(pilot)
        queue.refresh_due()
        await settle(pilot)
        assert ("GET", "list_tickets") in sim.calls


async def test_a_lost_connection_is_shown_and_the_queue_kept() -> None:
    sim = make_simulator()
    app = make_app(sim, timeout=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.screen.query_one("#queue-table").row_count
        sim.add_fault(kind="drop", route="list_tickets", times=3)
        await pilot.press("r")
        await settle(pilot)
        assert not app.queue_model.connected
        assert "● connected" not in app.screen.query_one("#status").content.plain
        assert app.screen.query_one("#queue-table").row_count == rows, "nothing the tech saw is lost"
        assert "Syncro:" in notices(app)
        await pilot.press("r")
        await settle(pilot)
        assert app.queue_model.connected


async def test_cell_styles_survive_drawing() -> None:
    """The table draws each cell's own style (urgent in red, New in bold), not only its text."""
    app = make_app(make_simulator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue-table")
        strip = table.render_line(2)  # line 1 is the cursor row; line 2 is the second ticket
        styles = {seg.text.strip(): seg.style for seg in strip if seg.text.strip()}
        urgent = styles["4 Urgent"]
        assert urgent.bold and urgent.color is not None and urgent.color.name == "red"


async def test_a_ticket_syncro_sends_in_an_odd_shape_costs_only_itself(tmp_path) -> None:
    """One odd record in a list page used to fail the whole page: now it is left out, logged and counted."""
    sim = make_simulator()
    odd, *rest = sorted(open_tickets(sim), key=lambda t: t["number"])
    sim.store.t("tickets")[odd["id"]]["created_at"] = None  # a field the app needs, missing
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.screen
        assert odd["id"] not in {t.id for t in queue.model.queue.tickets.values()}
        assert {t["id"] for t in rest} <= {t.id for t in queue.model.queue.tickets.values()}
        assert "1 ticket could not be read" in notices(app)
        assert "1 ticket could not be read" in rendered(queue, "#status")
        assert str(tmp_path / "syncro-tui.log") in notices(app)
    log = (tmp_path / "syncro-tui.log").read_text()
    assert f"(id {odd['id']}): created_at" in log  # which one, and what was wrong with it


async def test_rows_come_page_by_page_and_a_load_cut_short_keeps_them_and_starts_again() -> None:
    """Pages of 25: the first page's rows are on screen, in order, although the second cannot be read."""
    sim = make_simulator()
    small = QueueSettings(page_size=25)
    sim.add_fault(kind="500", route="list_tickets", skip=1, times=3)  # page 2, and both of its retries
    app = make_app(sim, config=Config(queue=small))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.screen
        shown = shown_ids(app)
        assert len(shown) == 25
        assert shown == [t.id for t in queue.model.queue.ordered()]  # sorted as they came
        assert queue.model.queue.watermark is None and not queue.model.connected  # the next refresh loads from the start
        assert queue.model.progress == "" and not queue.model.unseen  # a first load marks nothing as changed
        sim.calls.clear()
        await pilot.press("r")
        await settle(pilot)
        everything = {t["id"] for t in open_tickets(sim)}
        assert set(shown_ids(app)) == everything and queue.model.connected
        assert sum(1 for call in sim.calls if call == ("GET", "list_tickets")) == -(-len(everything) // 25)
        assert queue.model.queue.watermark is not None


async def test_the_sections_bar_says_how_far_a_load_has_come() -> None:
    from syncro_tui.api.models import Page
    from syncro_tui.domain.queue import loading_progress

    def page(number: int, total: int | None) -> Page:
        return Page.model_validate({"items": [], "meta": {"page": number, "total_pages": 50, "total_entries": total}})

    assert loading_progress(1200, page(12, 5000).meta) == "loading 1,200 of 5,000"
    assert loading_progress(100, page(1, None).meta) == "loading 100 (page 1 of 50)"
    assert loading_progress(5000, page(50, 5000).meta) == ""


async def test_the_queues_loads_are_background_work_and_opening_a_ticket_is_not() -> None:
    """Which requests yield: the queue's full load and refreshes do; the tech's reads (a ticket) do not."""
    from textual.worker import NoActiveWorker, get_current_worker

    from syncro_tui.api import pacing

    asked: list[tuple[str, bool]] = []
    real = pacing.Pacer.acquire

    async def recording(self) -> None:
        try:
            worker = get_current_worker()
            name = f"{type(worker.node).__name__}.{worker.name}"
        except NoActiveWorker:
            name = "-"
        asked.append((name, pacing._BACKGROUND.get()))
        await real(self)

    sim = make_simulator()
    app = make_app(sim, config=Config(queue=QueueSettings(page_size=25)))
    pacing.Pacer.acquire = recording  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("enter")
            await wait_for_screen(pilot, TicketScreen)
            await settle(pilot)
    finally:
        pacing.Pacer.acquire = real  # type: ignore[method-assign]
    by_worker: dict[str, set[bool]] = {}
    for name, flag in asked:
        by_worker.setdefault(name, set()).add(flag)
    background = ("QueueScreen.load", "QueueScreen.refresh_delta", "SyncroApp.check_products")
    assert by_worker["QueueScreen.load"] == {True} and by_worker["QueueScreen.refresh_delta"] == {True}
    assert by_worker["SyncroApp.check_products"] == {True}  # the rate table beside Syncro's products, once
    assert by_worker["TicketScreen.load"] == {False} and by_worker["SyncroApp.startup"] == {False}
    assert all(flags == {False} for name, flags in by_worker.items() if name not in background)
    assert sum(1 for name, _ in asked if name == "QueueScreen.load") >= 3  # every page of the load


async def test_the_status_bar_says_when_a_load_waits_for_the_techs_calls() -> None:
    app = make_app(make_simulator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.screen
        assert "loading waits" not in rendered(queue, "#status")
        pacer = app.session.client.pacer
        pacer._background_waiting += 1  # as while a page of the load yields to an open ticket
        queue.update_status()
        assert "API: " in rendered(queue, "#status") and "loading waits for you" in rendered(queue, "#status")
        pacer._background_waiting -= 1


async def run_once(sim, tmp_path) -> list[int]:
    """A first run on this machine: the queue is loaded and kept in the local cache."""
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = shown_ids(app)
        await pilot.press("enter")  # one ticket opened: it is kept too
        await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)
        return shown


async def test_the_last_queue_is_on_screen_at_once_and_marked_until_syncro_answers(tmp_path) -> None:
    sim = make_simulator()
    before = await run_once(sim, tmp_path)
    sim.add_fault(kind="500", route="list_tickets", times=0)  # Syncro cannot list tickets now
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.screen
        assert shown_ids(app) == before  # from the cache, in the same order
        assert "(cached)" in rendered(queue, "#status") and "as of" in rendered(queue, "#status")
        sim.faults.clear()
        await pilot.press("r")
        await settle(pilot)
        assert "(cached)" not in rendered(queue, "#status") and queue.model.connected


async def test_the_cached_queue_is_drawn_before_the_key_is_read_or_the_client_built(tmp_path) -> None:
    sim = make_simulator()
    before = await run_once(sim, tmp_path)
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    session = app.session
    build = session.connect
    drawn_then: list[list[int]] = []

    def connect(settings):
        drawn_then.append(shown_ids(app))  # what the table held when the client was asked for
        return build(settings)

    session.connect = connect
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert drawn_then == [before]


async def test_what_a_refresh_brings_is_kept_on_this_machine_once_its_frame_is_out(tmp_path) -> None:
    from datetime import timedelta

    from ..conftest import FIXED_NOW

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        changed = next(t for t in sim.store.t("tickets").values() if t["status"] == "In Progress")
        changed["subject"] = "Printer on fire (kept)"
        changed["updated_at"] = (FIXED_NOW + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        await pilot.press("r")
        await settle(pilot)
        await pilot.pause()
        kept = {t.id: t.subject for t in app.session.cache.queue().tickets}
    assert kept[changed["id"]] == "Printer on fire (kept)"


async def test_without_syncro_the_cached_queue_is_browsed_read_only(tmp_path) -> None:
    sim = make_simulator()
    before = await run_once(sim, tmp_path)
    sim.add_fault(kind="drop", times=0)  # nothing reaches Syncro
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", timeout=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.is_running and shown_ids(app) == before
        assert "read-only" in rendered(app.screen, "#attribution")
        assert app.account.time_zone.key == "America/Chicago"  # times as the account shows them, from the cache
        # the account's saved searches stay among the sections, and the key says what is known of it, never
        # "checking" for ever
        assert [s.id for s in app.queue_model.sections if s.source is Source.SAVED_SEARCH] == ["search:501",
                                                                                                "search:502"]
        assert "Waiting on vendor" in rendered(app.screen, "#sections")
        assert app.account.owner_label == "Dana Whitfield (#1843) when last checked; not checked now: offline"
        assert "checking key" not in rendered(app.screen, "#status")
        await pilot.press("c")  # close: refused, and said why
        await settle(pilot)
        assert "Syncro cannot be reached" in notices(app).split("\n")[-1]
        await pilot.press("enter")  # the ticket opened last time is there, marked
        screen = await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)
        assert screen.ticket_id == before[0] and "As last opened here" in rendered(screen, "#ticket-head")
        assert not [c for c in sim.calls if c[0] != "GET"]  # nothing was written


async def test_each_filter_keystroke_shows_what_a_full_rebuild_would() -> None:
    """Narrowing filters the rows shown; widening (a letter deleted) goes back to every ticket."""
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.screen
        await pilot.press("slash")
        for key in ("p", "r", "i", "space", "o", "backspace", "backspace", "backspace", "backspace"):
            await pilot.press(key)
            assert shown_ids(app) == [t.id for t in queue.model.rows()], (key, queue.model.needle.text)
        assert queue.model.needle.text == "p" and len(shown_ids(app)) > 1


async def test_a_big_cached_queue_draws_its_first_rows_then_the_rest_before_the_client_is_built(tmp_path,
                                                                                             monkeypatch) -> None:
    """20,000 cached rows take half a second to read: the first screenfuls are drawn first, without counts."""
    from syncro_tui.session import queue as queue_model
    from syncro_tui.ui import queue as queue_module

    sim = make_simulator()
    before = await run_once(sim, tmp_path)  # 67 open tickets, All open
    monkeypatch.setattr(queue_model, "CACHE_FIRST", SIZE[1] + 5)  # a screenful and a bit: 45 of the 67
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    first: list[tuple[list[int], str]] = []
    rest = queue_module.QueueScreen.show_rest_of_cache

    def drawn_first(screen):
        if screen.model.cache_rest:  # not the later calls (the load's, a refresh's): nothing is left to read by then
            first.append((shown_ids(app), rendered(screen, "#sections")))
        return rest(screen)

    monkeypatch.setattr(queue_module.QueueScreen, "show_rest_of_cache", drawn_first)
    build = app.session.connect
    at_connect: list[list[int]] = []
    app.session.connect = lambda settings: (at_connect.append(shown_ids(app)), build(settings))[1]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sections = rendered(app.screen, "#sections")
    [(ids, bar)] = first
    assert ids == before[:SIZE[1] + 5]  # the first in the queue's order
    assert "reading 45 of 67 from this machine" in bar and "All open " in bar and "All open 45" not in bar
    assert at_connect == [before]  # the rest read before the client was built
    assert "All open 67" in sections and "reading" not in sections


async def test_a_cached_section_with_few_of_the_first_rows_is_read_whole_at_once(tmp_path, monkeypatch) -> None:
    """My open holds 20 of the 67, fewer than a screenful of the first 45 rows: all are read before drawing, so
    the section never looks emptier than it is."""
    from syncro_tui.session import queue as queue_model
    from syncro_tui.ui import queue as queue_module

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")  # My open: where the next start comes back to
        await settle(pilot)
        app.screen.remember_place()  # as a moment after the tech stops moving
        mine = shown_ids(app)
    monkeypatch.setattr(queue_model, "CACHE_FIRST", SIZE[1] + 5)
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    drawn: list[tuple[list[int], bool]] = []
    cached = queue_module.QueueScreen.show_cached

    def spy(screen):
        done = cached(screen)
        drawn.append((shown_ids(app), screen.show_rest_of_cache()))
        return done

    monkeypatch.setattr(queue_module.QueueScreen, "show_cached", spy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert len(mine) == 20 and drawn == [(mine, False)]  # all of My open at once, nothing left to read


async def test_a_cursor_left_on_the_top_row_stays_there_while_the_first_load_brings_more_urgent_pages() -> None:
    """Pages come in Syncro's order, not the queue's: 300 open tickets in pages of 100 bring more urgent ones
    on the later pages, above the first page's top row (which the cursor then followed down, off the top)."""
    sim = make_simulator(open_tickets=300)
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue-table")
        assert len(shown_ids(app)) == 300
        assert table.cursor_row == 0 and table.scroll_y == 0
        assert table.cursor_key == str(app.screen.model.queue.ordered()[0].id)  # on the most urgent ticket


async def test_a_cursor_pushed_down_by_arrivals_keeps_its_ticket_and_stays_on_screen() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue-table")
        lines = table.size.height - 1  # the header takes one
        for _ in range(lines - 2):  # near the bottom of the screen
            await pilot.press("down")
        await settle(pilot)
        on, at = table.cursor_key, table.cursor_row
        assert table.scroll_y == 0
        template = sim.store.t("tickets")[int(table.keys[0])]
        for n in range(5):  # as urgent as the top row and newer: above the cursor's row
            ticket_id = sim.store.next_id("ticket_id")
            sim.store.t("tickets")[ticket_id] = {**template, "id": ticket_id, "number": sim.store.next_id("ticket_number"),
                                                 "subject": f"Arrived {n}", "updated_at": "2026-11-20T16:00:05.000Z"}
        await pilot.press("r")
        await settle(pilot)
        assert table.cursor_key == on and table.cursor_row > at
        assert table.scroll_y <= table.cursor_row < table.scroll_y + lines  # the view followed it


async def test_a_filter_stays_with_its_section_and_a_fresh_search_is_not_hidden_by_it() -> None:
    """Issue 33, item 7: a filter typed in one section stayed on the next, so a fresh search looked empty."""
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"printer", "enter")
        assert shown_ids(app) and "filter: printer" in app.screen.query_one("#sections").content.plain
        await pilot.press("f")
        await wait_for_screen(pilot, NoteScreen)
        await pilot.press(*"firewall", "enter")
        await settle(pilot)
        ids = shown_ids(app)
        assert ids and all("firewall" in sim.store.t("tickets")[i]["subject"].lower() for i in ids)
        assert "filter:" not in app.screen.query_one("#sections").content.plain
        assert app.screen.query_one("#filter").value == ""
        await pilot.press("slash", *"zzz", "enter", "2")  # another section: shown whole
        await settle(pilot)
        assert shown_ids(app) and "filter:" not in app.screen.query_one("#sections").content.plain


async def test_a_search_section_does_not_collapse_every_name_to_a_digit() -> None:
    """Issue 33, item 7: with a search section added, every section name became its number, even at 180."""
    from .helpers import rendered

    app = make_app(make_simulator())
    async with app.run_test(size=(180, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await wait_for_screen(pilot, NoteScreen)
        await pilot.press(*"firewall", "enter")
        await settle(pilot)
        bar = rendered(app.queue_screen, "#sections")
        assert "My open 20" in bar and "All open 67" in bar and "Search: firewall" in bar
        await pilot.resize_terminal(140, 40)  # narrower: the others' names are cut, not dropped
        await settle(pilot)
        bar = rendered(app.queue_screen, "#sections")
        assert "My open 20" in bar and "Search: firewall" in bar and "Customer… 1" in bar


async def test_a_fast_typist_filters_and_opens_with_no_key_lost() -> None:
    """Issue 33, item 8: ``/31921⏎⏎`` arriving in one burst (as a terminal sends a fast typist's keys) lost keys:
    the digits went on to the table as section keys, or the second Enter went to the filter box."""
    from textual import events

    from syncro_tui.ui.ticket import TicketScreen

    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        section = app.queue_model.section
        number = next(t["number"] for t in sim.store.t("tickets").values() if t["number"] == 31921)
        burst = [("slash", "/"), *((ch, ch) for ch in str(number)), ("enter", "\r"), ("enter", "\r")]
        for key, character in burst:  # all queued before the first is handled, as from the terminal's driver
            app.post_message(events.Key(key, character))
        screen = await wait_for_screen(pilot, TicketScreen)
        assert screen.ticket_id == next(t["id"] for t in sim.store.t("tickets").values() if t["number"] == number)
        assert app.queue_model.section is section  # no digit was taken as a section key
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash", "slash")  # a / typed in the box is a /
        assert app.queue_screen.query_one("#filter").value == "/"
