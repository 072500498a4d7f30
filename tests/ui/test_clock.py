"""The work clock by keys (issue 20): started, the app killed and started again, stopped, billed to Invoiced."""

from __future__ import annotations

from datetime import timedelta

import pytest

from syncro_tui.ui.billing import BillingScreen
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.dialogs import ChoiceScreen
from syncro_tui.ui.error_dialog import ErrorDialog
from syncro_tui.writes.clocks import ClockStore

from ..conftest import FIXED_NOW, make_simulator, span_seconds
from syncro_tui.config import Config

from .helpers import SIZE, make_app, rendered, settle, type_text, wait_for_screen
from .test_billing import choose_labor, clear_billing, labor_and_comment, on_ticket
from .test_writes_ui import pick, selected_ticket


#: The work clock kept on this machine ([clock] where = "local"); on Syncro's live timers: test_live_timers.py.
LOCAL_CLOCK = Config.model_validate({"clock": {"where": "local"}})


def clocked_app(sim, tmp_path, now: list, config: Config = LOCAL_CLOCK):
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", config=config)
    app.session.clock = lambda: now[0]
    return app


async def test_a_clock_survives_a_kill_and_its_time_is_billed(tmp_path) -> None:
    sim = make_simulator()
    now = [FIXED_NOW]
    app = clocked_app(sim, tmp_path, now)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        clear_billing(sim, ticket.id)
        await pilot.press("w")
        await settle(pilot)
        assert f"⏱ #{ticket.number} ▶ 0:00" in rendered(app.queue_screen, "#status")
        now[0] += timedelta(minutes=10)
        await pilot.press("w")  # a phone call: paused
        now[0] += timedelta(minutes=30)
        await pilot.press("w")  # back to it
        now[0] += timedelta(minutes=15)
        await pilot.press("r")
        await settle(pilot)
        assert f"⏱ #{ticket.number} ▶ 0:25" in rendered(app.queue_screen, "#status")
    # The app is gone without a word (killed): the clock is on disk, written at each key.
    assert list(ClockStore.for_profile(tmp_path, app.session.profile_name).load()) == [ticket.id]
    now[0] += timedelta(minutes=5)
    again = clocked_app(sim, tmp_path, now)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"⏱ #{ticket.number} ▶ 0:30" in rendered(again.queue_screen, "#status")
        table = again.queue_screen.query_one("#queue-table")
        table.cursor_row = table.index_of(str(ticket.id))
        await pilot.press("W")
        screen = await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert screen.query_one("#minutes").value == "30"
        assert screen.query_one("#ended").value == "2026-11-20 11:00"  # 10:00 + 10 + 30 + 15 + 5 min, Chicago
        await labor_and_comment(pilot, 1, "Reset the print spooler.")  # remote
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert "Billed. Invoice #" in rendered(screen, "#bill-progress")
        assert "⏱" not in rendered(again.queue_screen, "#status")  # billed: the clock is gone
    (timer,) = on_ticket(sim, "timers", ticket.id)
    assert timer["recorded"] and span_seconds(timer) == 30 * 60
    assert sim.store.t("tickets")[ticket.id]["status"] == "Invoiced"
    assert ClockStore.for_profile(tmp_path, again.session.profile_name).load() == {}


async def test_a_clock_left_running_overnight_asks_before_its_time_is_used(tmp_path) -> None:
    sim = make_simulator()
    now = [FIXED_NOW]
    app = clocked_app(sim, tmp_path, now)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        await pilot.press("w")
        now[0] += timedelta(hours=15)  # forgotten: it is 01:00 the next day
        await pilot.press("W")
        dialog = await wait_for_screen(pilot, ChoiceScreen)
        assert "more than 4 hours" in dialog.prompt and "across midnight" in dialog.prompt
        await pick(pilot, "keep")
        await settle(pilot)
        assert not isinstance(app.screen, BillingScreen)
        clock = app.clocks[ticket.id]
        assert clock.running  # not now: the clock goes on, nothing is billed
        await pilot.press("W")
        await pick(pilot, "use")
        screen = await wait_for_screen(pilot, BillingScreen)
        assert screen.query_one("#minutes").value == "900" and app.clocks[ticket.id].stopped


async def test_w_on_the_ticket_screen_starts_the_clock_too(tmp_path) -> None:
    from syncro_tui.ui.ticket import TicketScreen

    sim = make_simulator()
    now = [FIXED_NOW]
    app = clocked_app(sim, tmp_path, now)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert app.clocks[ticket.id].running
        assert f"Work clock on #{ticket.number} started" in "\n".join(app.shown)


async def test_closing_a_ticket_with_a_clock_on_it_says_so(tmp_path) -> None:
    sim = make_simulator()
    now = [FIXED_NOW]
    app = clocked_app(sim, tmp_path, now)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        now[0] += timedelta(minutes=20)
        await pilot.press("c")
        dialog = await wait_for_screen(pilot, ChoiceScreen)
        assert "⚠ Your work clock on it is still running (20 min): W bills it." in dialog.prompt
        await pick(pilot, "cancel")


async def stop_and_bill(pilot, app, ticket, now: list) -> BillingScreen:
    """Start the clock, 30 minutes, stop it (W) into the wizard, fill it and send: the tech's keys."""
    await pilot.press("w")
    now[0] += timedelta(minutes=30)
    await pilot.press("W")
    screen = await wait_for_screen(pilot, BillingScreen)
    await settle(pilot)
    assert screen.query_one("#minutes").value == "30"
    await pilot.press("tab")
    await choose_labor(pilot, 1)  # remote
    await pilot.press("tab", "tab", "tab", "tab", "tab")
    await type_text(pilot, "Reset the print spooler.")
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, ConfirmScreen)
    await pilot.press("s")
    return screen


@pytest.mark.parametrize(("route", "when"), [
    ("add_comment", "before"),    # the first call refused, Send again? declined: nothing of it is in Syncro
    ("add_timer", "before"),      # the comment landed, the time's own call refused: Send again? declined
    ("add_timer", "after"),       # the timer landed, its answer lost: read back, the run goes on
    ("charge_timer", "before"),   # the time is in Syncro, not yet charged: unfinished
    ("create_invoice", "before"),
    ("update_ticket", "before"),  # the status Invoiced, last
])
async def test_the_clocks_minutes_are_never_lost_whatever_call_fails(tmp_path, route, when) -> None:
    """At every failure point of a clock's stop-and-bill, its 30 minutes are in Syncro (a timer read back), on the
    clock, or in the draft: never nowhere."""
    sim = make_simulator()
    now = [FIXED_NOW]
    app = clocked_app(sim, tmp_path, now)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        clear_billing(sim, ticket.id)
        sim.faults.add(kind="500", route=route, when=when)
        screen = await stop_and_bill(pilot, app, ticket, now)
        for _ in range(300):  # the run ends in a question (Send again? Stopped), or on the wizard
            await pilot.pause()
            if isinstance(app.screen, (ConfirmScreen, ErrorDialog)) or (
                    app.screen is screen and not screen.sending and screen.query_one("#bill-progress").content):
                break
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("escape")  # "Send again?": no
        elif isinstance(app.screen, ErrorDialog):
            await pilot.press("escape")
        await settle(pilot)
        timers = [t for t in on_ticket(sim, "timers", ticket.id) if span_seconds(t) == 30 * 60]
        clock = ClockStore.for_profile(tmp_path, app.session.profile_name).load().get(ticket.id)
        draft = app.drafts.billing.get(ticket.id)
        in_syncro = len(timers) == 1
        on_clock = clock is not None and clock.stopped and clock.minutes(now[0]) == 30
        in_draft = draft is not None and draft.minutes == "30"
        assert in_syncro or on_clock or in_draft, (route, when, rendered(screen, "#bill-progress"))
        if not in_syncro:  # the time did not reach Syncro: the clock is kept (and the form, if nothing landed), said
            assert on_clock and "kept" in rendered(screen, "#bill-progress")
        if route == "add_comment":
            assert in_draft and not screen.finished and "Nothing was billed" in rendered(screen, "#bill-progress")
        assert len(timers) <= 1


async def test_a_run_cut_short_before_the_time_keeps_the_clock_until_a_resume_sends_it(tmp_path) -> None:
    from syncro_tui.ui.unfinished import UnfinishedScreen

    sim = make_simulator()
    now = [FIXED_NOW]
    app = clocked_app(sim, tmp_path, now)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        clear_billing(sim, ticket.id)
        comments = len(on_ticket(sim, "comments", ticket.id))
        sim.faults.add(kind="500", route="add_timer", when="before")
        screen = await stop_and_bill(pilot, app, ticket, now)
        await wait_for_screen(pilot, ConfirmScreen)  # "Send again?" after the comment landed
        await pilot.press("escape")
        await settle(pilot)
        assert "the work clock is kept until they are" in rendered(screen, "#bill-progress")
        assert ClockStore.for_profile(tmp_path, app.session.profile_name).load()[ticket.id].stopped
        await pilot.press("escape")  # back to the queue
        await settle(pilot)
        await pilot.press("u")
        await wait_for_screen(pilot, UnfinishedScreen)
        await pilot.press("r")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await settle(pilot)
        assert "⏱" not in rendered(app.queue_screen, "#status")
    (timer,) = on_ticket(sim, "timers", ticket.id)
    assert span_seconds(timer) == 30 * 60
    assert len(on_ticket(sim, "comments", ticket.id)) == comments + 1  # the comment that landed was not sent again
    assert ClockStore.for_profile(tmp_path, app.session.profile_name).load() == {}


async def test_on_a_line_item_shop_the_billed_line_takes_the_clock_away(tmp_path) -> None:
    """The clock goes once its minutes are in Syncro: by the timer on a timer shop, by the labor's line on a
    line-item shop (it stayed there, offering the same minutes again)."""
    sim = make_simulator()
    now = [FIXED_NOW]
    app = clocked_app(sim, tmp_path, now, Config.model_validate({"clock": {"where": "local"},
                                                                 "billing": {"path": "line_item"}}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        clear_billing(sim, ticket.id)
        await pilot.press("w")
        await settle(pilot)
        now[0] += timedelta(minutes=30)
        await pilot.press("W")
        screen = await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        await labor_and_comment(pilot, 1, "Reset the print spooler.")  # remote
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert "add_line_item" in [r.call for r in confirm.requests] and "add_timer" not in [r.call for r in confirm.requests]
        await pilot.press("s")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert "Billed. Invoice #" in rendered(screen, "#bill-progress")
        assert "⏱" not in rendered(app.queue_screen, "#status")
    (line,) = on_ticket(sim, "line_items", ticket.id)
    assert line["quantity"] == "0.5" and on_ticket(sim, "timers", ticket.id) == []
