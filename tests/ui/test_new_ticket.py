"""Creating a ticket by keys on the simulator: one form, one confirm, three calls, the right records."""

from __future__ import annotations

from syncro_tui.simulator.store import ADDRESS_ID_BASE
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.new_ticket import NewTicketScreen
from syncro_tui.ui.queue import QueueScreen
from syncro_tui.api import requests as rq

from ..conftest import make_simulator
from .helpers import tab_to, SIZE, make_app, notices, pick_customer, rendered, settle, steady, type_text, wait_for_screen

SUBJECT = "Printer jams"


async def open_form(pilot) -> NewTicketScreen:
    await settle(pilot)
    await pilot.press("n")
    screen = await wait_for_screen(pilot, NewTicketScreen)
    await settle(pilot)
    return screen


to_field = tab_to


async def pick(pilot, screen, selector: str, value) -> None:
    """Open the select and move to ``value`` by arrows."""
    await to_field(pilot, screen, selector)
    select = screen.query_one(selector)
    values = [v for _, v in select._options]
    await pilot.press("enter", "home", *["down"] * values.index(value), "enter")
    await pilot.pause()
    assert select.value == value


async def choose_customer(pilot, screen, text: str) -> None:
    await to_field(pilot, screen, "#customer-query")
    await pick_customer(pilot, screen, text)
    await settle(pilot)


def customer_named(sim, name: str) -> dict:
    return next(c for c in sim.store.t("customers").values() if c["business_name"] == name)


async def test_a_ticket_with_its_appointment_lands_as_three_linked_records(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    customer = customer_named(sim, "Brightline Dental")
    contact = next(c for c in sim.store.t("contacts").values() if c["customer_id"] == customer["id"])
    asset = next(a for a in sim.store.t("assets").values() if a["customer_id"] == customer["id"])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await choose_customer(pilot, screen, "brightline")
        assert screen.form.customer_id == customer["id"]
        await to_field(pilot, screen, "#subject")
        await type_text(pilot, SUBJECT)
        await pick(pilot, screen, "#problem_type", "Hardware")
        await pick(pilot, screen, "#contact", contact["id"])
        await pick(pilot, screen, "#address", ADDRESS_ID_BASE + customer["id"])
        await to_field(pilot, screen, "#asset-query")
        await type_text(pilot, asset["name"][:6])
        await settle(pilot)
        await pick(pilot, screen, "#asset", asset["id"])
        await to_field(pilot, screen, "#issue")
        await type_text(pilot, "Tray 2\n- every page")
        await pick(pilot, screen, "#appointment_type", 4322)
        scanned = screen.parts.counts["description"]
        await to_field(pilot, screen, "#start")
        await type_text(pilot, "mon 10:00")
        await settle(pilot)
        assert "Mon 2026-11-23 10:00 CST to 11:30 (1 h 30 min)" in rendered(screen, "#when-note")
        # the start's keys read the appointment's time again, never the description (issue 35)
        assert screen.parts.counts["slot"] > 0 and screen.parts.counts["description"] == scanned
        assert "cannot be set through the API" in rendered(screen, "#when-note")
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert [r.call for r in confirm.requests] == ["create_ticket", "add_comment", "create_appointment"]
        assert any("cannot be set through the API" in n for n in confirm.notes)
        assert not [t for t in sim.store.t("tickets").values() if t["subject"] == SUBJECT]  # nothing before confirm
        await pilot.press("s")
        await wait_for_screen(pilot, QueueScreen)
        await settle(pilot)
        assert "is in Syncro" in notices(app)
    (ticket,) = [t for t in sim.store.t("tickets").values() if t["subject"] == SUBJECT]
    assert (ticket["customer_id"], ticket["problem_type"], ticket["priority"], ticket["status"]) == (
        customer["id"], "Hardware", "2 Normal", "New")
    assert (ticket["contact_id"], ticket["address_id"], ticket["asset_ids"], ticket["user_id"]) == (
        contact["id"], ADDRESS_ID_BASE + customer["id"], [asset["id"]], 1843)
    (comment,) = [c for c in sim.store.t("comments").values() if c["ticket_id"] == ticket["id"]]
    assert (comment["subject"], comment["body"], comment["hidden"]) == ("Initial Issue", "Tray 2<br>• every page",
                                                                       False)
    assert not comment["destination_emails"]  # do not email is ticked by default
    (appt,) = [a for a in sim.store.t("appointments").values() if a["ticket_id"] == ticket["id"]]
    assert (appt["start_at"], appt["end_at"], appt["appointment_type_id"], appt["customer_id"]) == (
        "2026-11-23T16:00:00.000Z", "2026-11-23T17:30:00.000Z", 4322, customer["id"])


async def test_bad_input_is_said_in_place_and_nothing_is_sent(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    before = len(sim.store.t("tickets"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await pilot.press("ctrl+s")  # nothing filled in
        await pilot.pause()
        problems = rendered(screen, "#nt-problems")
        assert "Choose the customer" in problems and "The subject is required" in problems
        assert "Describe the issue" in problems
        assert screen.focused.id == "customer-query"
        await type_text(pilot, "Nobody Anywhere")
        await settle(pilot)
        await to_field(pilot, screen, "#subject")
        await type_text(pilot, "Test")
        await to_field(pilot, screen, "#start")
        await type_text(pilot, "mon 10:00")
        await to_field(pilot, screen, "#end")
        await type_text(pilot, "9:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        problems = rendered(screen, "#nt-problems")
        assert "“Nobody Anywhere” is not a customer Syncro knows" in problems
        assert "must be after the start" in problems and "Choose the appointment type" in problems
        # A year at the end of the calendar once ended the app (and every unsent draft with it).
        for typed in ("9999-12-31 23:59", "0001-01-01 00:10"):
            screen.query_one("#start").value = ""
            await to_field(pilot, screen, "#start")
            await type_text(pilot, typed)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "years from today: check the year" in rendered(screen, "#nt-problems"), typed
        assert isinstance(app.screen, NewTicketScreen) and app.is_running
    assert len(sim.store.t("tickets")) == before
    assert not any(method == "POST" for method, _ in sim.calls)


async def test_the_form_is_kept_when_left_and_urgent_is_offered_after_hours(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await to_field(pilot, screen, "#subject")
        await type_text(pilot, "Server down")
        await pick(pilot, screen, "#appointment_type", 4322)
        await to_field(pilot, screen, "#start")
        await type_text(pilot, "sat 10:00")
        await settle(pilot)
        assert "closed on Saturdays" in rendered(screen, "#when-note")
        assert "usually 4 Urgent" in rendered(screen, "#urgent-hint")
        await pilot.press("escape")
        await wait_for_screen(pilot, QueueScreen)
        screen = await open_form(pilot)
        assert screen.query_one("#subject").value == "Server down"
        assert screen.query_one("#start").value == "sat 10:00"


async def fill_for_snapshot(pilot) -> NewTicketScreen:
    screen = await open_form(pilot)
    await choose_customer(pilot, screen, "brightline")
    await to_field(pilot, screen, "#subject")
    await type_text(pilot, SUBJECT)
    await pick(pilot, screen, "#problem_type", "Hardware")
    await to_field(pilot, screen, "#issue")
    await type_text(pilot, "Tray 2\n- every page")
    await pick(pilot, screen, "#appointment_type", 4322)
    await to_field(pilot, screen, "#start")
    await type_text(pilot, "mon 16:30")
    await settle(pilot)
    steady(pilot)
    return screen


def test_new_ticket_form_snapshot(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await fill_for_snapshot(pilot)

    assert snap_compare(make_app(make_simulator()), terminal_size=(150, 48), run_before=run_before)


def test_new_ticket_confirm_snapshot(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await fill_for_snapshot(pilot)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.pause()  # (not settle: the send worker waits on this confirm)

    assert snap_compare(make_app(make_simulator()), terminal_size=(150, 48), run_before=run_before)


async def test_a_clash_with_the_owners_appointment_is_warned_in_the_form_and_the_confirm(tmp_path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    sim = make_simulator()
    mine = sorted((a for a in sim.store.t("appointments").values() if a["user_id"] == 1843), key=lambda a: a["start_at"])
    assert mine, "the seed gives the demo tech appointments"
    start = datetime.fromisoformat(mine[0]["start_at"].replace("Z", "+00:00")).astimezone(ZoneInfo("America/Chicago"))
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        screen = await fill_for_snapshot(pilot)
        await to_field(pilot, screen, "#start")
        await pilot.press("ctrl+u")
        await type_text(pilot, f"{start:%Y-%m-%d %H:%M}")
        await settle(pilot)
        assert "Clashes with" in rendered(screen, "#when-note")
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert any(n.startswith("Clashes with") for n in confirm.notes)
        await pilot.press("escape")
        await pilot.pause()
    assert not any(method == "POST" for method, _ in sim.calls)


async def test_an_account_that_requires_a_ticket_type_gets_one(tmp_path) -> None:
    """A shop can refuse tickets without a type (/tickets/settings require_ticket_type): the form asks for one."""
    sim = make_simulator()
    sim.store.account["require_ticket_type"] = True
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    customer = customer_named(sim, "Brightline Dental")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        assert "Required by this account" in rendered(screen, "#ticket-type-note")
        options = [v for _, v in screen.query_one("#ticket_type")._options]
        assert 9105 not in options and 9101 in options  # a disabled type is not offered
        await choose_customer(pilot, screen, "brightline")
        await to_field(pilot, screen, "#subject")
        await type_text(pilot, SUBJECT)
        await to_field(pilot, screen, "#issue")
        await type_text(pilot, "Tray 2 jams")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "ticket type" in rendered(screen, "#nt-problems").lower()
        assert screen.focused is not None and screen.focused.id == "ticket_type"
        assert not [t for t in sim.store.t("tickets").values() if t["subject"] == SUBJECT]
        await pick(pilot, screen, "#ticket_type", 9104)
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert confirm.requests[0].body["ticket_type_id"] == 9104
        await pilot.press("s")
        await wait_for_screen(pilot, QueueScreen)
        await settle(pilot)
    (ticket,) = [t for t in sim.store.t("tickets").values() if t["subject"] == SUBJECT]
    assert (ticket["customer_id"], ticket["ticket_type_id"], ticket["ticket_type_name"]) == (
        customer["id"], 9104, "Maintenance")


async def test_a_create_is_one_notice_and_never_an_alert_while_another_techs_new_ticket_still_is(tmp_path) -> None:
    """Issue 33, item 5: the tech's own new ticket raised "Saved", "Created" and a "New ticket" alert counted in
    ⚑ alerts. One outcome, one notice; the tech's own writes are never alerts; someone else's still are."""
    from syncro_tui.api import Pacer
    from syncro_tui.demo import in_process_client

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    customer = customer_named(sim, "Brightline Dental")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await choose_customer(pilot, screen, "brightline")
        await to_field(pilot, screen, "#subject")
        await type_text(pilot, SUBJECT)
        await to_field(pilot, screen, "#issue")
        await type_text(pilot, "Tray 2")
        async with in_process_client(sim, "demo-key-marcus", pacer=Pacer(180, headroom=0, burst=179)) as client:
            theirs = await client.execute(rq.create_ticket({"customer_id": customer["id"], "subject": "Scanner jams",
                                                 "status": "New", "problem_type": "Hardware"}))
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await wait_for_screen(pilot, QueueScreen)
        await settle(pilot)
        await settle(pilot)
        (mine,) = [t for t in sim.store.t("tickets").values() if t["subject"] == SUBJECT]
        queue = app.queue_screen
        assert mine["id"] in queue.model.queue.tickets and theirs.id in queue.model.queue.tickets  # both read by the refresh
        about_mine = [n for n in app.shown if f"#{mine['number']}" in n]
        assert about_mine == [f"Saved: Ticket #{mine['number']} is in Syncro: All done: 2 calls saved in Syncro."]
        assert f"New ticket: #{theirs.number}" in notices(app)
        assert queue.model.inbox.open_ids() == {theirs.id}
        assert "⚑ 1 alert " in rendered(queue, "#status")
