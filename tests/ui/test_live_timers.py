"""The work clock on Syncro's live timers (issue 34), by keys on the simulator: w starts, pauses and resumes a timer
in Syncro, W stops it and bills that timer, never a second one; an account that charges timers on stopping is never
billed twice; an account without live timers keeps the clock on this machine."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from syncro_tui.simulator.scenarios import Moment
from syncro_tui.ui.billing import BillingScreen
from syncro_tui.ui.confirm import ConfirmScreen

from ..conftest import FIXED_NOW, make_simulator
from .helpers import SIZE, make_app, rendered, settle, wait_for_screen
from .test_billing import clear_billing, labor_and_comment, on_ticket
from .test_writes_ui import pick, selected_ticket


async def confirmed(pilot, *calls: str) -> None:
    """The confirm shows exactly ``calls``; s sends them."""
    confirm = await wait_for_screen(pilot, ConfirmScreen)
    assert [r.call for r in confirm.requests] == list(calls)
    await pilot.press("s")
    await pilot.pause()


def status(app) -> str:
    return rendered(app.queue_screen, "#status")


@pytest.mark.parametrize("auto_charge", [False, True])
async def test_the_clock_on_a_syncro_timer_bills_that_timer_once_to_invoiced(tmp_path, auto_charge) -> None:
    moment = Moment(FIXED_NOW)
    sim = make_simulator(clock=moment)
    sim.store.account["charge_timers_by_default"] = auto_charge
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    app.session.clock = moment
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        clear_billing(sim, ticket.id)
        await pilot.press("w")
        await pick(pilot, "remote")  # the labor type the timer starts with (the wizard asks again)
        await confirmed(pilot, "start_live_timer")
        await settle(pilot)
        (timer,) = on_ticket(sim, "timers", ticket.id)
        assert (timer["status"], timer["user_id"], timer["product_id"]) == ("running", 1843, 1190473)
        assert f"⏱ #{ticket.number} ▶ 0:00 in Syncro" in status(app)
        moment.at += timedelta(minutes=20)
        await pilot.press("w")  # a phone call: paused in Syncro
        await confirmed(pilot, "pause_timer")
        await settle(pilot)
        moment.at += timedelta(minutes=30)
        assert f"⏱ #{ticket.number} ‖ 0:20 in Syncro" in status(app)
        await pilot.press("w")  # back to it
        await confirmed(pilot, "start_timer")
        await settle(pilot)
        moment.at += timedelta(minutes=25)
        await pilot.press("W")
        stop = await wait_for_screen(pilot, ConfirmScreen)
        assert stop.summary == f"Ticket #{ticket.number}: stop Syncro timer {timer['id']} (45 min so far)"
        await confirmed(pilot, "stop_timer")
        screen = await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert screen.query_one("#minutes").value == "45"  # the time worked, the pause left out
        assert f"Timed on Syncro timer {timer['id']} (45 min): this run bills that timer." in rendered(screen, "#bill-head")
        assert "⏱" not in status(app)
        await labor_and_comment(pilot, 1, "Reset the print spooler.")  # remote
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        calls = [r.call for r in confirm.requests]
        if auto_charge:  # Syncro charged it on stopping: read back, never charged again
            assert calls == ["add_comment", "check_line_item", "update_line_item", "create_invoice", "check_invoice",
                             "update_ticket"]
            assert any("not charged again" in note for note in confirm.notes)
        else:  # that timer, set to the billed span and charged: no second timer
            assert calls == ["add_comment", "update_timer", "charge_timer", "check_line_item", "update_line_item",
                             "create_invoice", "check_invoice", "update_ticket"]
        await pilot.press("s")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert "Billed. Invoice #" in rendered(screen, "#bill-progress")
    (timer,) = on_ticket(sim, "timers", ticket.id)
    assert timer["recorded"] and timer["status"] == "stopped"
    (line,) = on_ticket(sim, "line_items", ticket.id)
    assert (line["product_id"], Decimal(line["quantity"]), Decimal(str(line["price_retail"]))) == (
        1190473, Decimal("0.75"), Decimal("150"))
    (invoice,) = on_ticket(sim, "invoices", ticket.id)
    assert Decimal(invoice["total"]) == Decimal("112.50")
    assert sim.store.t("tickets")[ticket.id]["status"] == "Invoiced"


async def test_a_timer_started_on_another_machine_shows_with_the_refresh(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        sim.store.start_live_timer({"ticket_id": ticket.id, "product_id": 26118}, key="demo-key")  # the laptop
        calls = len(sim.calls)
        await pilot.press("r")
        await settle(pilot)
        assert f"⏱ #{ticket.number} ▶ 0:00 in Syncro" in status(app)
        # the refresh's cost: the timers' one request beside the tickets'
        assert [c for c in list(sim.calls)[calls:] if c[1] == "list_ticket_timers"] == [("GET", "list_ticket_timers")]


async def test_an_account_without_live_timers_keeps_the_clock_on_this_machine(tmp_path) -> None:
    sim = make_simulator()
    sim.store.account["live_timers"] = False
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        await pilot.press("w")  # the first read showed timers without a state: no question, no confirm
        await settle(pilot)
        assert f"⏱ #{ticket.number} ▶ 0:00" in status(app) and "in Syncro" not in status(app)
        assert ("POST", "start_live_timer") not in sim.calls
    assert app.work_clocks.live_account is False
