"""The billing wizard driven by keys on the simulator: to Invoiced, bad input in place, drafts kept, snapshots."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import Checkbox, Input

from syncro_tui.config import Config
from syncro_tui.domain.rates import LaborType

from syncro_tui.simulator import Simulator
from syncro_tui.demo import in_process_session
from syncro_tui.domain import billing_form
from syncro_tui.training import lesson_zone
from syncro_tui.ui.billing import LABOR_LABELS, BillingScreen
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.error_dialog import ErrorDialog
from syncro_tui.ui.ticket import TicketScreen

from ..conftest import FIXED_NOW, make_simulator, span_seconds
from .helpers import SIZE, bill_as_the_wizard_would, make_app, notices, rendered, settle, steady, type_text, wait_for_screen
from .test_writes_ui import puts, selected_ticket

def clear_billing(sim: Simulator, ticket_id: int) -> None:
    """Nothing billed on the ticket yet, so the test counts only what the wizard makes."""
    for table in ("line_items", "timers"):
        for rid in [r["id"] for r in sim.store.t(table).values() if r["ticket_id"] == ticket_id]:
            del sim.store.t(table)[rid]


def on_ticket(sim: Simulator, table: str, ticket_id: int) -> list[dict]:
    return [r for r in sim.store.t(table).values() if r.get("ticket_id") == ticket_id]


text_of = rendered


async def open_wizard(pilot) -> BillingScreen:
    await pilot.press("b")
    screen = await wait_for_screen(pilot, BillingScreen)
    await settle(pilot)
    return screen


async def wizard_on_selected(pilot, sim: Simulator, *, own_timer: bool = False):
    """The queue's selected ticket, cleared of billing, with the wizard open on it (``own_timer``: with a 30-minute
    remote timer of its own, never charged, so the wizard warns and wants "bill anyway")."""
    await settle(pilot)
    ticket = selected_ticket(pilot.app)
    clear_billing(sim, ticket.id)
    if own_timer:
        sim.store.add_timer(ticket.id, {"start_at": "2026-11-20T09:00:00Z", "duration_minutes": 30,
                                        "product_id": 1190473}, key="demo-key")
    return ticket, await open_wizard(pilot)


async def choose_labor(pilot, downs: int) -> None:
    """With the labor Select focused: open it, move ``downs`` options past "Choose…", pick."""
    await pilot.press("enter", *["down"] * downs, "enter")


async def fill(pilot, minutes: str, labor_downs: int, comment: str) -> None:
    """Minutes (focused first), labor type, then Tab to the comment body (past when, description, subject, visibility)."""
    await type_text(pilot, minutes)
    await labor_and_comment(pilot, labor_downs, comment)


async def labor_and_comment(pilot, labor_downs: int, comment: str) -> None:
    """From the minutes box (filled in, as a work clock leaves it): the labor type, then the comment body."""
    await pilot.press("tab")
    await choose_labor(pilot, labor_downs)
    await pilot.press("tab", "tab", "tab", "tab", "tab")
    await type_text(pilot, comment)


async def test_the_wizard_bills_a_ticket_to_invoiced_by_keys(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        ticket, screen = await wizard_on_selected(pilot, sim)
        await fill(pilot, "45", 1, "Replaced the switch.\n- tested every port")
        assert "Labor - Remote Business" in text_of(screen, "#bill-plan") and "$112.50" in text_of(screen, "#bill-plan")
        assert "✗" not in text_of(screen, "#bill-checks")
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert [r.call for r in confirm.requests] == ["add_comment", "add_timer", "charge_timer", "check_line_item",
                                                      "update_line_item", "create_invoice", "check_invoice", "update_ticket"]
        assert puts(sim) == [], "nothing is sent before the s key"
        await pilot.press("s")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert "Billed. Invoice #" in text_of(screen, "#bill-progress")
        progress = text_of(screen, "#bill-progress")  # each call as sent: the ids earlier calls returned, in place
    comments = [c for c in on_ticket(sim, "comments", ticket.id) if "Replaced the switch." in c["body"]]
    assert [c["body"] for c in comments] == ["Replaced the switch.<br>• tested every port"]
    (timer,) = on_ticket(sim, "timers", ticket.id)
    assert timer["recorded"] and span_seconds(timer) == 45 * 60
    (line,) = on_ticket(sim, "line_items", ticket.id)
    assert (line["product_id"], line["quantity"], Decimal(str(line["price_retail"]))) == (1190473, "0.75", Decimal("150"))
    invoices = on_ticket(sim, "invoices", ticket.id)
    assert [Decimal(i["total"]) for i in invoices if i["line_items"][-1]["quantity"] == "0.75"] == [Decimal("112.50")]
    assert sim.store.t("tickets")[ticket.id]["status"] == "Invoiced"
    (made,) = [i for i in invoices if i["line_items"][-1]["quantity"] == "0.75"]
    assert "<id from call" not in progress and f"GET /invoices/{made['id']} " in progress, progress


LINE_ITEM_SHOP = Config.model_validate({"billing": {"path": "line_item"}})


def landed_as_one_line(sim: Simulator, ticket_id: int, line: tuple[int, str, str], invoice_total: str) -> None:
    """The labor is one line on the ticket, no timer, invoiced for ``invoice_total``; the ticket Invoiced."""
    assert on_ticket(sim, "timers", ticket_id) == []
    (made,) = on_ticket(sim, "line_items", ticket_id)
    product, quantity, price = line
    assert (made["product_id"], Decimal(made["quantity"]), Decimal(str(made["price_retail"])), made["taxable"]) == (
        product, Decimal(quantity), Decimal(price), False)
    (invoice,) = [i for i in on_ticket(sim, "invoices", ticket_id) if i["id"] == made["invoice_id"]]
    assert Decimal(invoice["total"]) == Decimal(invoice_total)
    assert sim.store.t("tickets")[ticket_id]["status"] == "Invoiced"


async def test_a_line_item_shop_bills_to_invoiced_by_keys_with_one_line_and_no_timer(tmp_path) -> None:
    """[billing] path = "line_item": the labor is one add_line_item with every field explicit, read back by
    difference, invoiced and checked."""
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", config=LINE_ITEM_SHOP)
    async with app.run_test(size=SIZE) as pilot:
        ticket, screen = await wizard_on_selected(pilot, sim)
        await type_text(pilot, "45")
        await pilot.press("tab")
        await choose_labor(pilot, list(LABOR_LABELS).index(LaborType.REMOTE) + 1)
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        await type_text(pilot, "Done as asked.")
        plan = text_of(screen, "#bill-plan")
        assert "timer" not in plan.lower(), plan
        assert "✓ One line item, no timer" in text_of(screen, "#bill-checks")
        assert "✗" not in text_of(screen, "#bill-checks")
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert [r.call for r in confirm.requests] == ["add_comment", "add_line_item", "check_line_item",
                                                      "update_line_item", "create_invoice", "check_invoice",
                                                      "update_ticket"]
        add = confirm.requests[1]
        assert add.body["name"] and add.body["description"] == ticket.subject and add.body["taxable"] is False
        assert confirm.requests[3].only_if is not None  # the $0.00 patch, only if the line arrives at $0.00
        assert any('([billing] path = "line_item")' in note for note in confirm.notes)  # which path, and why
        await pilot.press("s")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert "Billed. Invoice #" in text_of(screen, "#bill-progress")
    landed_as_one_line(sim, ticket.id, (1190473, "0.75", "150"), "112.50")


@pytest.mark.parametrize(("labor", "minutes", "ended", "prepay", "line", "invoice_total"), [
    # emergency for a prepaid customer: onsite at 1.5 × the hours, which the block pays
    ("emergency", "60", "yesterday 10pm", "10.0", (26118, "1.5", "175"), "0.00"),
    ("warranty", "30", None, None, (1049360, "0.5", "0"), "0.00"),
    ("travel", "30", None, None, (26117, "1", "40"), "40.00"),
])
async def test_a_line_item_shop_keeps_the_rules_of_each_labor_type(tmp_path, labor, minutes, ended, prepay, line,
                                                                   invoice_total) -> None:
    """On the line-item path the rules are the same (emergency × prepaid, warranty at $0.00, a trip): the run the
    wizard sends for each (its keys are the remote case's above) lands as one line, invoiced."""
    sim = make_simulator()
    ticket = next(t for t in sim.store.t("tickets").values() if t["status"] == "In Progress")
    clear_billing(sim, ticket["id"])
    sim.store.t("customers")[ticket["customer_id"]]["prepay_hours"] = prepay
    session = in_process_session(sim, config=LINE_ITEM_SHOP, clock=lambda: FIXED_NOW,
                                 journal_path=tmp_path / "j.sqlite")
    checked, outcome = await bill_as_the_wizard_would(session, ticket["id"], tz=lesson_zone(), minutes=minutes,
                                                      labor=labor, comment="Done as asked.", acknowledged=True,
                                                      **({"ended": ended} if ended else {}))
    assert outcome.done and "One line item, no timer" in [c.name for c in checked.checks] and not checked.failing
    landed_as_one_line(sim, ticket["id"], line, invoice_total)
    if prepay:
        assert Decimal(sim.store.t("customers")[ticket["customer_id"]]["prepay_hours"]) == Decimal("8.5")


async def test_travel_is_one_trip_with_the_real_travel_time_on_the_timer(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        ticket, screen = await wizard_on_selected(pilot, sim)
        await fill(pilot, "30", 8, "Drove to the site and back.")
        plan = text_of(screen, "#bill-plan")
        assert "Fee - Travel Time" in plan and "1 trip" in plan and "$40.00" in plan
        assert "records the real 30 min of travel" in plan and "billable false is ignored" in plan
        assert "✓ Timer is the real travel time" in text_of(screen, "#bill-checks")
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        patch = next(r for r in confirm.requests if r.call == "update_line_item")
        assert patch.only_if is None and Decimal(str(patch.body["quantity"])) == 1  # sent always: 1 trip
        await pilot.press("s")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert "Billed. Invoice #" in text_of(screen, "#bill-progress")
    (timer,) = on_ticket(sim, "timers", ticket.id)
    assert timer["recorded"] and span_seconds(timer) == 30 * 60  # the time spent, for time reports
    (line,) = on_ticket(sim, "line_items", ticket.id)
    assert (line["product_id"], Decimal(line["quantity"]), Decimal(str(line["price_retail"]))) == (
        26117, Decimal("1"), Decimal("40"))
    (invoice,) = [i for i in on_ticket(sim, "invoices", ticket.id) if i["line_items"][-1]["product_id"] == 26117]
    assert Decimal(invoice["total"]) == Decimal("40.00")
    assert sim.store.t("tickets")[ticket.id]["status"] == "Invoiced"


async def test_after_hours_work_at_the_onsite_rate_asks_to_be_ticked_first(tmp_path) -> None:
    from textual.widgets import SelectionList

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        ticket, screen = await wizard_on_selected(pilot, sim)
        await type_text(pilot, "60")
        await pilot.press("tab")
        await choose_labor(pilot, 2)  # onsite
        await pilot.press("tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "yesterday 10pm")  # Thursday 21:00-22:00: the shop closes at 17:00
        await settle(pilot)
        hints = screen.query_one("#hints", SelectionList)
        assert hints.display and hints.option_count == 1
        assert str(hints.get_option_at_index(0).prompt) == "Outside business hours: right as planned"
        said = text_of(screen, "#hints-label")
        assert said.startswith("⚠ Outside business hours: Thursday is 08:00 to 17:00. The work was Thu 19 Nov "
                               "21:00–22:00.") and "Emergency / after hours" in said
        assert "Labor - Onsite Business" in text_of(screen, "#bill-plan")  # nothing changed behind the tech's back
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # past the hints, to the comment
        await type_text(pilot, "Brought the server back after hours.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BillingScreen)  # refused: the hint is not ticked
        assert "Outside business hours: tick the hint, or change the plan." in notices(app)
        assert app.focused is hints  # the refusal puts the tech on it
        await pilot.press("enter")  # ticked: the onsite rate is right (a space might be the sentence going on)
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert "add_timer" in [r.call for r in confirm.requests]
        await pilot.press("escape")


async def add_part(pilot, words: str, product_id: str, quantity: str, *, taxable: bool) -> None:
    """In the wizard, ctrl+o: search the products for ``words``, pick one, say the quantity and whether it is taxed."""
    from syncro_tui.ui.dialogs import ChoiceScreen, NoteScreen

    from .test_writes_ui import pick

    await pilot.press("ctrl+o")
    await wait_for_screen(pilot, NoteScreen)
    await type_text(pilot, words)
    await pilot.press("enter")
    await pick(pilot, product_id)
    await wait_for_screen(pilot, NoteScreen)
    await type_text(pilot, quantity)
    await pilot.press("enter")
    dialog = await wait_for_screen(pilot, ChoiceScreen)
    assert "taxable" in dialog.prompt
    await pick(pilot, "yes" if taxable else "no")
    await settle(pilot)


async def test_a_parts_quantity_of_one_is_a_real_default_that_typing_replaces(tmp_path) -> None:
    """Issue 33: the box showed a grey "1" that Enter refused ("Type the quantity"). Now 1 is in the box:
    Enter keeps it, and a typed 3 replaces it (3, not 13)."""
    from syncro_tui.ui.dialogs import NoteScreen

    from .test_writes_ui import pick

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        ticket, _ = await wizard_on_selected(pilot, sim)
        await pilot.press("ctrl+o")
        await wait_for_screen(pilot, NoteScreen)
        await type_text(pilot, "ssd")
        await pilot.press("enter")
        await pick(pilot, "880103")
        await wait_for_screen(pilot, NoteScreen)
        await pilot.press("enter")
        await pick(pilot, "yes")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await pick(pilot, "add")  # with a part on the draft, ctrl+o asks: add another, or remove one
        await wait_for_screen(pilot, NoteScreen)
        await type_text(pilot, "ssd")
        await pilot.press("enter")
        await pick(pilot, "880103")
        await wait_for_screen(pilot, NoteScreen)
        await type_text(pilot, "3")
        await pilot.press("enter")
        await pick(pilot, "yes")
        await settle(pilot)
        assert [item.quantity for item in app.drafts.billing[ticket.id].items] == [Decimal(1), Decimal(3)]


async def test_a_part_is_sold_with_the_time_by_keys_to_invoiced(tmp_path) -> None:
    from syncro_tui.ui.dialogs import NoteScreen

    from .test_writes_ui import pick

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        ticket, screen = await wizard_on_selected(pilot, sim)
        await fill(pilot, "30", 1, "Swapped the failing disk for a new SSD.")
        await pilot.press("ctrl+o")
        await wait_for_screen(pilot, NoteScreen)
        await type_text(pilot, "labor - onsite")
        await pilot.press("enter")
        await pick(pilot, "26118")  # a labor product: refused with the reason
        await settle(pilot)
        assert "is labor: bill it as time above" in notices(app) and not app.drafts.billing[ticket.id].items
        for typed in ("1e999999", "²", "NaN"):  # the first once ended the app at the invoice's arithmetic
            await pilot.press("ctrl+o")
            await wait_for_screen(pilot, NoteScreen)
            await type_text(pilot, "ssd")
            await pilot.press("enter")
            await pick(pilot, "880103")
            await wait_for_screen(pilot, NoteScreen)
            await type_text(pilot, typed)
            await pilot.press("enter")
            await settle(pilot)
            assert "is not a quantity" in notices(app) and not app.drafts.billing[ticket.id].items, typed
        await add_part(pilot, "ssd", "880103", "2", taxable=True)
        plan = text_of(screen, "#bill-plan")
        assert "2 × Samsung 870 EVO 1TB SSD = $258.00 + tax" in plan and "$333.00 before tax" in plan
        assert "2 × Samsung 870 EVO 1TB SSD at $129.00 = $258.00, taxable" in text_of(screen, "#bill-items")
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        calls = [r.call for r in confirm.requests]
        assert calls.index("add_line_item") < calls.index("create_invoice")
        await pilot.press("s")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert "Billed. Invoice #" in text_of(screen, "#bill-progress")
    lines = sorted(on_ticket(sim, "line_items", ticket.id), key=lambda li: li["id"])
    assert [(li["product_id"], Decimal(li["quantity"]), Decimal(str(li["price_retail"])), li["taxable"]) for li in lines] \
        == [(1190473, Decimal("0.50"), Decimal("150"), False), (880103, Decimal("2"), Decimal("129"), True)]
    (timer,) = on_ticket(sim, "timers", ticket.id)
    assert timer["recorded"] and span_seconds(timer) == 30 * 60
    (invoice,) = [i for i in on_ticket(sim, "invoices", ticket.id) if len(i["line_items"]) == 2]
    assert Decimal(invoice["subtotal"]) == Decimal("333.00")
    assert sim.store.t("tickets")[ticket.id]["status"] == "Invoiced"


async def test_bad_input_is_said_in_place_and_nothing_is_sent(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_wizard(pilot)
        assert text_of(screen, "#minutes-problem") == ""  # nothing nags before the tech has typed
        await pilot.press("ctrl+s")
        assert "Minutes are required" in text_of(screen, "#minutes-problem")
        assert "Choose the labor type" in text_of(screen, "#minutes-problem")
        assert "The comment needs a body" in text_of(screen, "#bill-problems")
        assert app.focused is screen.query_one("#minutes")
        # every problem the review can give is on a field the screen has, or is one with no field of its own
        assert set(billing_form.FIELDS) - set(screen.problem_fields) == {"items"}
        assert all(field.screen is screen and field.is_mounted for field in screen.problem_fields.values())
        for typed, message in (("0", "Zero minutes"), ("-5", "cannot be negative"), ("abc", "not a whole number"),
                               ("²", "not a whole number"), ("①", "not a whole number")):
            screen.query_one("#minutes", Input).value = ""
            await type_text(pilot, typed)
            assert message in text_of(screen, "#minutes-problem"), typed
        screen.query_one("#minutes", Input).value = ""
        await type_text(pilot, "1500")
        assert "over 24 hours" in text_of(screen, "#minutes-problem")
        long_box = screen.query_one("#long", Checkbox)
        assert long_box.display
        long_box.focus()
        await pilot.press("space")
        assert "over 24 hours" not in text_of(screen, "#minutes-problem")
        minutes = screen.query_one("#minutes", Input)
        minutes.value = ""
        minutes.focus()
        await type_text(pilot, "1000000000000")  # with "over 24 h" ticked: this ended the app
        assert "over 7 days" in text_of(screen, "#minutes-problem")
        minutes.value = ""
        await type_text(pilot, "1500")
        ended = screen.query_one("#ended", Input)
        ended.focus()
        ended.value = ""
        await type_text(pilot, "yesterday")
        assert "YYYY-MM-DD HH:MM" in text_of(screen, "#ended-note")
        ended.value = ""
        await type_text(pilot, "2026-12-24 10:00")
        assert "in the future" in text_of(screen, "#ended-note")
        for typed in ("0001-01-01 00:10", "9999-12-31 23:59"):  # each ended the app
            ended.value = ""
            await type_text(pilot, typed)
            assert "years from today" in text_of(screen, "#ended-note"), typed
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, ConfirmScreen)
    assert puts(sim) == []
    assert "Not ready to send" in notices(app)


async def test_a_secret_in_a_customer_visible_comment_blocks_sending(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        _, screen = await wizard_on_selected(pilot, sim)
        await fill(pilot, "30", 2, "Reset the router. The new password: Hunter22")
        assert "✗ Nothing internal or secret" in text_of(screen, "#bill-checks")
        assert "password: Hunter22" in text_of(screen, "#bill-checks")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, BillingScreen) and puts(sim) == []
        assert "The checklist fails" in notices(app)
        await pilot.press("shift+tab")  # back to the visibility: a private note is not customer-visible
        await pilot.press("enter", "down", "enter")
        assert "✗" not in text_of(screen, "#bill-checks")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)
        assert app.screen.requests[0].body["hidden"] is True


async def test_leaving_keeps_the_draft_and_a_billed_run_does_not_come_back(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await wizard_on_selected(pilot, sim)
        await fill(pilot, "50", 1, "Cleaned up the print queue.")
        await pilot.press("escape")
        await settle(pilot)
        screen = await open_wizard(pilot)
        assert screen.query_one("#minutes", Input).value == "50"
        assert "$124.50" in text_of(screen, "#bill-plan")  # 0.83 × $150
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        screen = await open_wizard(pilot)
        assert screen.query_one("#minutes", Input).value == ""


async def test_warnings_are_shown_and_must_be_acknowledged(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        ticket, screen = await wizard_on_selected(pilot, sim, own_timer=True)
        assert "1 uncharged timer of its own (30 min)" in text_of(screen, "#bill-warnings")
        await type_text(pilot, "20")
        await pilot.press("tab")
        await choose_labor(pilot, 1)
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab")  # past the ticket's timers, to the comment
        await type_text(pilot, "Done.")
        await pilot.press("ctrl+s")
        assert "tick the box to bill anyway" in text_of(screen, "#bill-problems")
        assert app.focused is screen.query_one("#ack") and puts(sim) == []
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)


async def test_a_timer_already_on_the_ticket_is_charged_in_this_run(tmp_path) -> None:
    from textual.widgets import SelectionList

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        clear_billing(sim, ticket.id)
        old = sim.store.add_timer(ticket.id, {"start_at": "2026-11-20T14:00:00Z", "duration_minutes": 30,
                                              "product_id": 26118}, key="demo-key")  # onsite, yesterday's visit
        screen = await open_wizard(pilot)
        timers = screen.query_one("#timers", SelectionList)
        assert timers.display and "30 min, Labor - Onsite Business" in str(timers.get_option_at_index(0).prompt)
        await type_text(pilot, "15")
        await pilot.press("tab")
        await choose_labor(pilot, 1)  # 15 min remote today
        await pilot.press("tab", "tab", "space")  # on the ticket's timer: ticked, charged in this run
        await pilot.press("tab", "tab", "tab", "tab")
        await type_text(pilot, "Visit and follow-up call.")
        await pilot.press("tab", "space")  # the warnings read
        await settle(pilot)
        assert "0.50 × Labor - Onsite Business = $87.50" in text_of(screen, "#bill-plan")
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        charges = [r for r in confirm.requests if r.call == "charge_timer"]
        assert len(charges) == 2 and charges[1].body == {"timer_entry_id": old["id"]}
        await pilot.press("s")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert "Billed. Invoice #" in text_of(screen, "#bill-progress"), text_of(screen, "#bill-progress")
    assert all(t["recorded"] for t in on_ticket(sim, "timers", ticket.id))
    lines = sorted((li["product_id"], Decimal(li["quantity"])) for li in on_ticket(sim, "line_items", ticket.id))
    assert lines == [(26118, Decimal("0.50")), (1190473, Decimal("0.25"))]
    (invoice,) = on_ticket(sim, "invoices", ticket.id)
    assert Decimal(invoice["total"]) == Decimal("87.50") + Decimal("37.50")


async def test_a_duplicate_timer_is_removed_from_the_wizard_after_a_confirm(tmp_path) -> None:
    from textual.widgets import SelectionList

    from .test_writes_ui import pick

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        clear_billing(sim, ticket.id)
        dup = sim.store.add_timer(ticket.id, {"start_at": "2026-11-20T14:00:00Z", "duration_minutes": 30,
                                              "product_id": 1190473}, key="demo-key")
        screen = await open_wizard(pilot)
        await pilot.press("ctrl+t")
        await pick(pilot, str(dup["id"]))
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert [r.call for r in confirm.requests] == ["delete_timer"] and on_ticket(sim, "timers", ticket.id)
        await pilot.press("s")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert on_ticket(sim, "timers", ticket.id) == []
        assert not screen.query_one("#timers", SelectionList).display  # read again: no timer left to list
        assert "uncharged timer" not in text_of(screen, "#bill-warnings")


async def test_a_failed_customer_read_is_shown_in_place_and_read_again(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sim.add_fault(kind="500", route="get_customer", times=10)
        screen = await open_wizard(pilot)
        assert "could not be read" in text_of(screen, "#bill-head") and "ctrl+r" in text_of(screen, "#bill-head")
        await type_text(pilot, "45")  # the tech can go on typing; nothing is lost
        await pilot.press("ctrl+s")
        assert "not read yet" in notices(app) and puts(sim) == []
        sim.faults.clear()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "Prepaid block" in text_of(screen, "#bill-head")
        assert screen.query_one("#minutes", Input).value == "45"


async def test_the_ticket_screen_opens_the_wizard_on_b() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)
        screen = await open_wizard(pilot)
        assert screen.ticket_id == ticket.id and f"#{ticket.number}" in text_of(screen, "#bill-head")
        await pilot.press("escape")
        await wait_for_screen(pilot, TicketScreen)


async def prepaid_emergency(pilot, sim: Simulator) -> BillingScreen:
    prepaid = {c["id"] for c in sim.store.t("customers").values() if c["prepay_hours"] not in (None, "", "0.0")}
    ticket = next(t for t in sorted(sim.store.t("tickets").values(), key=lambda t: t["number"])
                  if t["customer_id"] in prepaid and t["status"] == "In Progress")
    clear_billing(sim, ticket["id"])
    await settle(pilot)
    pilot.app.push_screen(BillingScreen(ticket["id"]))
    screen = await wait_for_screen(pilot, BillingScreen)
    await settle(pilot)
    # An emergency the night before (Thursday 22:00, after business hours), so no hint asks about it.
    await type_text(pilot, "60")
    await pilot.press("tab")
    await choose_labor(pilot, 4)
    await pilot.press("tab", "ctrl+a", "ctrl+k")
    await type_text(pilot, "yesterday 10pm")
    await pilot.press("tab", "tab", "tab", "tab")
    await type_text(pilot, "Restored the file server after the power cut.\n- checked backups")
    await settle(pilot)
    steady(pilot)  # the comment's cursor shown, not blinking: the same picture however loaded the machine is
    return screen


def test_wizard_snapshot_with_its_reasons(snap_compare) -> None:
    sim = make_simulator()

    async def run_before(pilot) -> None:
        await prepaid_emergency(pilot, sim)

    assert snap_compare(make_app(sim), terminal_size=(150, 48), run_before=run_before)


def test_wizard_confirm_snapshot(snap_compare) -> None:
    sim = make_simulator()

    async def run_before(pilot) -> None:
        await prepaid_emergency(pilot, sim)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.pause()  # (not settle: the send worker waits on this confirm)

    assert snap_compare(make_app(sim), terminal_size=(150, 48), run_before=run_before)


async def test_a_product_whose_price_differs_in_syncro_is_shown(tmp_path) -> None:
    sim = make_simulator()
    sim.store.t("products")[1190473]["price_retail"] = 165.0
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_wizard(pilot)
        await fill(pilot, "45", 1, "Done.")
        await settle(pilot)
        assert "Syncro's Labor - Remote Business (1190473) is $165.00; the rate table says $150.00" in text_of(screen, "#bill-plan")
        assert "$112.50" in text_of(screen, "#bill-plan")  # the rate table is what is sent
    # checked once at start, for the whole rate table, in one call; the wizard read nothing for it
    assert [c for c in sim.calls if "product" in c[1]] == [("GET", "list_products")]


async def test_when_the_check_at_start_fails_the_wizard_checks_its_product(tmp_path) -> None:
    sim = make_simulator()
    sim.store.t("products")[1190473]["price_retail"] = 165.0
    sim.add_fault(kind="500", route="list_products", times=3)  # the read and its two retries: not checked at start
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.product_differences == {}
        screen = await open_wizard(pilot)
        await fill(pilot, "45", 1, "Done.")
        await settle(pilot)
        assert "is $165.00; the rate table says $150.00" in text_of(screen, "#bill-plan")


async def test_a_bug_in_a_screens_background_task_is_reported_not_lost(tmp_path, monkeypatch) -> None:
    """Worker.StateChanged does not bubble: screens forward it to the app's report."""
    async def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("syncro_tui.reads.Reads.situation", broken)
    app = make_app(make_simulator(), journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        dialog = await wait_for_screen(pilot, ErrorDialog)
        assert dialog.title_text == "Something went wrong"
        assert "background task load stopped on an unexpected error: RuntimeError: boom" in dialog.message
        assert app.is_running


async def test_a_run_stopped_part_way_cannot_be_sent_again_from_the_form(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        ticket, screen = await wizard_on_selected(pilot, sim)
        await fill(pilot, "45", 1, "Replaced the switch.")
        sim.add_fault(kind="500", route="create_invoice", when="before", times=5)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        for _ in range(300):  # the invoice did not land (read back): "Send again?" on the rest
            await pilot.pause()
            if isinstance(app.screen, ConfirmScreen) and app.screen.summary.startswith("Send again?"):
                break
        assert app.screen.first == 6 and [r.call for r in app.screen.requests] == [
            "create_invoice", "check_invoice", "update_ticket"]
        await pilot.press("escape")  # not now
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert "unfinished writes" in text_of(screen, "#bill-progress")
        writes = len(puts(sim))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen) and len(puts(sim)) == writes
    assert len(on_ticket(sim, "timers", ticket.id)) == 1 and on_ticket(sim, "invoices", ticket.id) == []
    from syncro_tui.writes.journal import Journal
    assert len(Journal(tmp_path / "j.sqlite").open_groups()) == 1


async def test_words_typed_on_after_a_refusal_never_tick_the_box(tmp_path) -> None:
    """Found walking a day in tmux: ctrl+s mid-sentence is refused and puts the tech on "bill anyway"; the rest of
    the sentence must not tick it with its first space."""
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        ticket, screen = await wizard_on_selected(pilot, sim, own_timer=True)
        await type_text(pilot, "20")
        await pilot.press("tab")
        await choose_labor(pilot, 1)
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab")  # to the comment
        await type_text(pilot, "Rebooted")
        await pilot.press("ctrl+s")  # refused: the warnings are not acknowledged; the tech is put on the box
        ack = screen.query_one("#ack", Checkbox)
        assert app.focused is ack
        await type_text(pilot, "the switch and tested")  # the sentence goes on
        await pilot.pause()
        assert not ack.value and notices(app).count("so the box was not ticked") == 1
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, BillingScreen) and puts(sim) == []
        await pilot.press("space")  # still maybe the sentence: not ticked, and said
        assert not ack.value
        await pilot.press("enter")  # deliberate
        assert ack.value


async def test_a_word_typed_in_the_comment_redraws_the_checklist_and_never_the_plan(tmp_path) -> None:
    """Each pane is bound to the part of the review it shows, and the review works out again only the parts that
    read the field that changed (issue 35): the plan reads the minutes and the labor type, the checklist reads the
    comment too."""
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        _, screen = await wizard_on_selected(pilot, sim)
        await fill(pilot, "45", 1, "Replaced the switch")
        await settle(pilot)
        drawn: dict[str, int] = {"#bill-plan": 0, "#bill-checks": 0}
        for pane in drawn:
            widget = screen.query_one(pane)
            update = widget.update

            def counted(content, *, pane=pane, update=update):
                drawn[pane] += 1
                update(content)

            widget.update = counted
        plan_before = text_of(screen, "#bill-plan")
        counts = screen.parts.counts.copy()
        await type_text(pilot, " password: hunter2")
        await settle(pilot)
        assert drawn["#bill-plan"] == 0 and text_of(screen, "#bill-plan") == plan_before
        assert drawn["#bill-checks"] > 0
        worked = screen.parts.counts - counts
        assert worked["comment"] == worked["checks"] >= 1 and worked["time"] == worked["minutes"] == 0
        counts = screen.parts.counts.copy()
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "shift+tab", "shift+tab")  # to the minutes
        assert screen.focused is screen.query_one("#minutes")
        await pilot.press("end")
        await type_text(pilot, "0")  # 450 minutes: the plan changes
        await settle(pilot)
        assert drawn["#bill-plan"] > 0 and "7.5" in text_of(screen, "#bill-plan")
        worked = screen.parts.counts - counts
        assert worked["minutes"] == worked["time"] == 1 and worked["comment"] == 0
