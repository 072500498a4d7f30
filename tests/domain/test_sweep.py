"""The end-of-day sweep's rules (issue 20), on records built by hand: each leak, each look-alike, the amounts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from syncro_tui.api.models import Appointment, Invoice, Ticket
from syncro_tui.domain.clock import Clock
from syncro_tui.writes.plans import correct_invoice, invoice_waiting, patch_zero_line
from syncro_tui.domain.billing import plan_timer_charge
from syncro_tui.domain.rates import BillingPath, RateTable, Rounding
from syncro_tui.domain.sweep import FixKind, LeakKind, SweepDay, Tech, lowest_hourly, summary, sweep

TZ = ZoneInfo("America/Chicago")
DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 17, 0, tzinfo=TZ)
DANA = Tech(1843, "Dana Whitfield")
RATES = RateTable()
REMOTE, ONSITE, WARRANTY, EMERGENCY = 1190473, 26118, 1049360, 26184


def at(hour: int, minute: int = 0, day: date = DAY) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).isoformat()


def ticket(number: int, *, status: str = "In Progress", user_id: int | None = None, comments=(), timers=(),
           lines=(), prepay: str | None = None, resolved_at: str | None = None) -> Ticket:
    return Ticket.model_validate({
        "id": number * 10, "number": number, "subject": f"Ticket {number}", "status": status, "customer_id": 7,
        "customer_business_then_name": "Marigold Bakery", "user_id": user_id, "created_at": at(7, 0, DAY - timedelta(days=3)),
        "updated_at": at(16), "resolved_at": resolved_at,
        "customer": {"id": 7, "business_name": "Marigold Bakery", "prepay_hours": prepay},
        "comments": [{"id": number * 100 + i, "created_at": when, "body": "x", "subject": "Update", "user_id": uid,
                      "tech": tech} for i, (when, uid, tech) in enumerate(comments)],
        "ticket_timers": [{"id": number * 100 + i, "ticket_id": number * 10, "user_id": 1843, "start_time": start,
                           "end_time": end, "recorded": recorded, "product_id": product}
                          for i, (start, end, product, recorded) in enumerate(timers)],
        "line_items": [{"id": number * 1000 + i, "product_id": product, "name": name, "quantity": qty,
                        "price_retail": price, "converted": converted, "invoice_id": invoice, "created_at": at(12)}
                       for i, (product, name, qty, price, converted, invoice) in enumerate(lines)],
    })


def invoice(number: str, total: str, lines: list[dict[str, Any]], ticket_id: int) -> Invoice:
    return Invoice.model_validate({"id": int(number), "number": number, "customer_id": 7, "ticket_id": ticket_id,
                                   "total": total, "created_at": at(14), "line_items": lines})


def leaks_of(*tickets: Ticket, invoices=(), appointments=(), changed=(), clocks=None, now=NOW, rates=RATES):
    day = SweepDay(DAY, tuple(tickets), zero_invoices=tuple(invoices),
                   appointments=tuple(Appointment.model_validate(a) for a in appointments),
                   status_changed=frozenset(changed))
    return sweep(day, tech=DANA, tz=TZ, rates=rates, clocks=clocks or {}, now=now)


def kinds(leaks) -> list[tuple[LeakKind, int]]:
    return [(leak.kind, leak.where.number) for leak in leaks]


# --------------------------------------------------------------- touched, no time
def test_a_comment_of_the_tech_that_day_without_time_is_a_leak_of_unknown_amount() -> None:
    (leak,) = leaks_of(ticket(1, comments=[(at(9), 1843, "Dana Whitfield")]))
    assert (leak.kind, leak.amount, leak.stake, leak.fix.kind) == (LeakKind.UNBILLED, None, "not known", FixKind.BILL)
    assert leak.words == "Touched (1 comment) and no time recorded."


@pytest.mark.parametrize(("comment", "why"), [
    ((at(9), 1851, "Marcus Bell"), "another tech's comment"),
    ((at(9, day=DAY - timedelta(days=1)), 1843, "Dana Whitfield"), "yesterday's comment"),
    ((at(0, day=DAY + timedelta(days=1)), 1843, "Dana Whitfield"), "tomorrow's first minute"),
])
def test_what_is_not_the_techs_day_is_not_a_touch(comment, why) -> None:
    assert leaks_of(ticket(1, comments=[comment])) == [], why


def test_a_comment_without_a_user_id_is_the_techs_by_name() -> None:
    assert kinds(leaks_of(ticket(1, comments=[(at(9), None, "Dana Whitfield")]))) == [(LeakKind.UNBILLED, 1)]
    assert leaks_of(ticket(1, comments=[(at(9), None, "Marcus Bell")])) == []


def test_any_timer_of_the_day_counts_as_time_and_yesterdays_does_not() -> None:
    commented = [(at(9), 1843, "Dana Whitfield")]
    today = [(at(9), at(10), REMOTE, True)]
    yesterday = [(at(9, day=DAY - timedelta(days=1)), at(10, day=DAY - timedelta(days=1)), REMOTE, True)]
    assert leaks_of(ticket(1, comments=commented, timers=today, lines=[(REMOTE, "Remote", "1.0", "150.0", True, 9)])) == []
    assert kinds(leaks_of(ticket(1, comments=commented, timers=yesterday))) == [(LeakKind.UNBILLED, 1)]
    # a labor line made that day is time too (added by hand: against the rules, but billed)
    assert leaks_of(ticket(1, comments=commented, lines=[(REMOTE, "Remote", "1.0", "150.0", True, 9)])) == []


def test_a_line_item_shop_counts_the_days_labor_lines_not_its_timers() -> None:
    by_line = RateTable(path=BillingPath.LINE_ITEM)
    commented = [(at(9), 1843, "Dana Whitfield")]
    # A timer of the day, charged, whose line was removed since: the timer shop's time, the line shop's nothing.
    charged = ticket(1, comments=commented, timers=[(at(9), at(10), REMOTE, True)])
    assert leaks_of(charged) == []
    (leak,) = leaks_of(charged, rates=by_line)
    assert (leak.kind, leak.fix.kind) == (LeakKind.UNBILLED, FixKind.BILL)
    assert leak.words == "Touched (1 comment) and no labor line for the day's work."
    # A labor line made that day is the day's time on either path; a part is not.
    lined = ticket(1, comments=commented, lines=[(REMOTE, "Remote", "1.0", "150.0", False, None)])
    assert leaks_of(lined, rates=by_line) == leaks_of(lined) == []
    part = ticket(1, comments=commented, lines=[(880101, "OptiPlex", "1", "899.0", False, None)])
    assert kinds(leaks_of(part, rates=by_line)) == [(LeakKind.UNBILLED, 1)]
    # An uncharged timer of the day is a leak on either path, and one leak, not two: its fix makes the line.
    running_late = ticket(1, comments=commented, timers=[(at(9), at(10), REMOTE, False)])
    assert kinds(leaks_of(running_late, rates=by_line)) == kinds(leaks_of(running_late)) == [(LeakKind.UNCHARGED_TIMER, 1)]


def test_a_visit_that_has_begun_prices_the_leak_at_the_lowest_hourly_rate_and_prefills_the_wizard() -> None:
    visit = {"id": 1, "ticket_id": 10, "user_id": 1843, "start_at": at(9), "end_at": at(10, 30)}
    (leak,) = leaks_of(ticket(1), appointments=[visit])
    assert leak.kind is LeakKind.UNBILLED and leak.at_least
    assert leak.amount == Decimal("225.00") and leak.stake == "≥ $225.00"  # 1.5 h × $150.00 (remote, the lowest)
    assert (leak.fix.kind, leak.fix.minutes, leak.fix.ended) == (FixKind.BILL, 90, datetime(2026, 11, 23, 10, 30, tzinfo=TZ))
    assert "appointment 09:00–10:30" in leak.words


def test_a_visit_still_ahead_or_of_another_tech_is_not_work_yet() -> None:
    ahead = {"id": 1, "ticket_id": 10, "user_id": 1843, "start_at": at(17, 30), "end_at": at(18, 30)}
    others = {"id": 2, "ticket_id": 10, "user_id": 1851, "start_at": at(9), "end_at": at(10)}
    invited = {"id": 3, "ticket_id": 10, "user_id": 1851, "user_ids": [1843], "start_at": at(9), "end_at": at(10)}
    assert leaks_of(ticket(1), appointments=[ahead, others]) == []
    assert kinds(leaks_of(ticket(1), appointments=[invited])) == [(LeakKind.UNBILLED, 1)]


def test_a_visit_going_on_now_counts_until_now() -> None:
    visit = {"id": 1, "ticket_id": 10, "user_id": 1843, "start_at": at(16, 30), "end_at": at(18)}
    (leak,) = leaks_of(ticket(1), appointments=[visit])
    assert (leak.fix.minutes, leak.fix.ended) == (30, NOW)


def test_a_status_change_the_journal_recorded_and_a_resolve_of_the_techs_ticket_are_touches() -> None:
    assert kinds(leaks_of(ticket(1), changed=[10])) == [(LeakKind.UNBILLED, 1)]
    resolved = ticket(2, status="Resolved", user_id=1843, resolved_at=at(15))
    assert leaks_of(resolved)[0].words == "Touched (resolved that day) and no time recorded."
    assert leaks_of(ticket(3, status="Resolved", user_id=1851, resolved_at=at(15))) == []


def test_the_day_is_the_accounts_midnight_to_midnight_across_a_clock_change() -> None:
    fall_back = date(2026, 11, 1)  # 25 hours in Chicago
    late = datetime(2026, 11, 1, 23, 30, tzinfo=TZ).isoformat()
    t = ticket(1, comments=[(late, 1843, "Dana Whitfield")])
    day = SweepDay(fall_back, (t,))
    assert kinds(sweep(day, tech=DANA, tz=TZ, rates=RATES, clocks={}, now=NOW)) == [(LeakKind.UNBILLED, 1)]
    assert sweep(day, tech=DANA, tz=ZoneInfo("America/New_York"), rates=RATES, clocks={}, now=NOW) == []


# --------------------------------------------------------------- not invoiced
def test_a_resolved_or_invoiced_ticket_with_lines_on_no_invoice() -> None:
    timer = [(at(9), at(9, 30), REMOTE, True)]
    line = [(REMOTE, "Labor - Remote Business", "0.5", "150.0", False, None)]
    (leak,) = leaks_of(ticket(1, status="Resolved", timers=timer, lines=line))
    assert (leak.kind, leak.amount, leak.fix.kind) == (LeakKind.NOT_INVOICED, Decimal("75.00"), FixKind.INVOICE)
    assert leak.words == "Resolved, and 1 line ($75.00) is on no invoice."
    (leak,) = leaks_of(ticket(2, status="Invoiced", timers=timer, lines=line))
    assert leak.words.startswith("marked Invoiced, but 1 line")
    assert leaks_of(ticket(3, status="In Progress", timers=timer, lines=line)) == []  # still being worked


# --------------------------------------------------------------- timers
def test_a_timer_never_charged_is_priced_as_its_charge_would_be() -> None:
    (leak,) = leaks_of(ticket(1, timers=[(at(9), at(9, 45), REMOTE, False)]))
    assert (leak.kind, leak.amount, leak.at_least) == (LeakKind.UNCHARGED_TIMER, Decimal("112.50"), False)
    assert (leak.fix.kind, leak.fix.charge_timers) == (FixKind.INVOICE, (100,))


def test_a_timer_the_sweep_cannot_price_opens_the_ticket_and_says_why() -> None:
    (leak,) = leaks_of(ticket(1, prepay="10.0", timers=[(at(9), at(10), EMERGENCY, False)]))
    assert leak.fix.kind is FixKind.TICKET and leak.at_least and leak.amount == Decimal("150.00")
    assert "emergency labor for a prepaid customer" in leak.words
    (running,) = leaks_of(ticket(2, timers=[(at(9), None, REMOTE, False)]))
    assert (running.amount, running.words) == (None, "Timer 200 is still running in Syncro.")


# --------------------------------------------------------------- $0.00
def test_a_charged_line_at_zero_for_a_priced_product_is_patched_and_warranty_is_not_a_leak() -> None:
    zero = ticket(1, timers=[(at(9), at(10), ONSITE, True)], lines=[(ONSITE, "Labor - Onsite Business", "1.0", "0.0",
                                                                      False, None)])
    (leak,) = leaks_of(zero)
    assert (leak.kind, leak.amount, leak.fix.kind, leak.fix.price) == (LeakKind.ZERO_LINE, Decimal("175.00"),
                                                                      FixKind.PATCH_LINE, Decimal("175.00"))
    warranty = ticket(2, timers=[(at(9), at(10), WARRANTY, True)],
                      lines=[(WARRANTY, "Labor- Warranty work", "1.0", "0.0", False, None)])
    assert leaks_of(warranty) == []


def test_a_zero_line_on_an_invoice_already_is_fixed_in_syncro() -> None:
    t = ticket(1, status="Invoiced", timers=[(at(9), at(10), ONSITE, True)],
               lines=[(ONSITE, "Labor - Onsite Business", "1.0", "0.0", True, 55),
                      (None, "Toner", "1", "80.0", True, 55)])
    (leak,) = leaks_of(t)  # the invoice is $80.00, not $0.00: the line is still short
    assert leak.kind is LeakKind.ZERO_LINE and leak.fix.kind is FixKind.TICKET and "on an invoice already" in leak.words


def test_a_zero_invoice_with_billable_lines_is_one_leak_and_its_line_is_not_counted_twice() -> None:
    t = ticket(1, status="Invoiced", timers=[(at(9), at(10), REMOTE, True)],
               lines=[(REMOTE, "Labor - Remote Business", "1.0", "0.0", True, 55)])
    bad = invoice("55", "0.0", [{"id": 1, "item": "Labor - Remote Business", "price": "0.0", "quantity": "1.0",
                                 "product_id": REMOTE, "prepay_hours_applied": "0.0"}], ticket_id=10)
    (leak,) = leaks_of(t, invoices=[bad])
    assert (leak.kind, leak.amount, leak.fix.kind) == (LeakKind.ZERO_INVOICE, Decimal("150.00"), FixKind.TICKET)
    assert "Invoice #55 is $0.00 but carries 1 × Labor - Remote Business" in leak.words
    assert "delete invoice #55 in Syncro" in leak.words


def test_where_the_account_has_drafts_a_zero_invoice_is_corrected_as_one() -> None:
    """An invoice that says whether it is a draft comes from an account with drafts on: the fix is the draft,
    planned with the prepaid hours already applied and the ticket's own $0.00 line set alike."""
    t = ticket(1, status="Invoiced", lines=[(ONSITE, "Labor - Onsite Business", "2.0", "0.0", True, 58),
                                            (None, "Toner", "1", "80.0", True, 58)])
    bad = Invoice.model_validate({
        "id": 58, "number": "58", "customer_id": 7, "ticket_id": 10, "total": "0.0", "draft": False, "line_items": [
            {"id": 3, "item": "Labor - Onsite Business", "price": "0.0", "quantity": "2.0", "product_id": ONSITE,
             "prepay_hours_applied": "1.5"},
            {"id": 4, "item": "Toner", "price": "80.0", "quantity": "1", "product_id": None, "taxable": True}]})
    (leak,) = leaks_of(t, invoices=[bad])  # the ticket's line on it is the same leak, said once
    assert (leak.kind, leak.fix.kind, leak.fix.invoice_id) == (LeakKind.ZERO_INVOICE, FixKind.DRAFT, 58)
    assert "can go back to draft" in leak.words
    plan = correct_invoice(bad, RATES, ticket=t)
    assert [(r.call, r.body) for r in plan.steps[:-1]] == [
        ("invoice_to_draft", None), ("update_invoice_line", {"price": "175.00"}),
        ("update_line_item", {"ticket_line_item_id": 1000, "price_retail": "175.00"}), ("publish_invoice", None)]
    # 0.5 h of onsite beyond the block, and the toner: taxed, so only the subtotal is Syncro's to match
    assert plan.steps[-1].expect == {"subtotal": "167.50"}
    with pytest.raises(ValueError, match="draft invoices off"):
        correct_invoice(bad.model_copy(update={"draft": None}), RATES, ticket=t)


def test_a_zero_invoice_a_prepaid_block_covers_or_of_warranty_work_is_not_a_leak() -> None:
    covered = invoice("56", "0.0", [{"id": 1, "item": "Labor - Onsite Business", "price": "175.0", "quantity": "1.0",
                                     "product_id": ONSITE, "prepay_hours_applied": "1.0"}], ticket_id=20)
    warranty = invoice("57", "0.0", [{"id": 2, "item": "Labor- Warranty work", "price": "0.0", "quantity": "1.0",
                                      "product_id": WARRANTY}], ticket_id=30)
    partly = invoice("58", "0.0", [{"id": 3, "item": "Labor - Onsite Business", "price": "0.0", "quantity": "2.0",
                                    "product_id": ONSITE, "prepay_hours_applied": "1.5"}], ticket_id=40)
    leaks = leaks_of(invoices=[covered, warranty, partly])
    assert [(leak.kind, leak.amount) for leak in leaks] == [(LeakKind.ZERO_INVOICE, Decimal("87.50"))]


# --------------------------------------------------------------- clocks
@pytest.mark.parametrize(("state", "words"), [("running", "running"), ("paused", "paused"),
                                              ("stopped", "stopped, not billed yet")])
def test_every_work_clock_is_a_leak_until_billed_and_it_replaces_the_no_time_leak(state, words) -> None:
    clock = Clock.start(10, 1, "Ticket 1", NOW - timedelta(minutes=40))
    clock = {"running": clock, "paused": clock.pause(NOW), "stopped": clock.stop(NOW)}[state]
    (leak,) = leaks_of(ticket(1, comments=[(at(9), 1843, "Dana Whitfield")]), clocks={10: clock})
    assert (leak.kind, leak.fix.kind, leak.at_least) == (LeakKind.CLOCK, FixKind.CLOCK, True)
    assert leak.words == f"Your work clock is {words}: 40 min not billed."
    assert leak.amount == Decimal("100.50")  # 0.67 h × $150.00


def test_a_clock_on_a_ticket_the_sweep_did_not_read_still_shows() -> None:
    (leak,) = leaks_of(clocks={99: Clock.start(99, 31999, "Printer", NOW - timedelta(minutes=6))})
    assert (leak.where.number, leak.where.subject, leak.amount) == (31999, "Printer", Decimal("15.00"))


def test_the_shops_rounding_prices_the_floor() -> None:
    up = RateTable(rounding=Rounding.parse("15 min", "up"))
    assert lowest_hourly(up).price_retail == Decimal("150.00")
    day = SweepDay(DAY, ())
    clock = Clock.start(99, 1, "x", NOW - timedelta(minutes=20))
    (leak,) = sweep(day, tech=DANA, tz=TZ, rates=up, clocks={99: clock}, now=NOW)
    assert leak.amount == Decimal("75.00")  # 20 min → 0.5 h up to the next 15 min


# --------------------------------------------------------------- the whole
def test_leaks_come_most_money_first_and_the_summary_counts_the_unknown() -> None:
    leaks = leaks_of(ticket(1, comments=[(at(9), 1843, "Dana Whitfield")]),
                     ticket(2, timers=[(at(9), at(9, 45), REMOTE, False)]),
                     ticket(3, timers=[(at(9), at(10), ONSITE, True)],
                            lines=[(ONSITE, "Labor - Onsite Business", "1.0", "0.0", False, None)]))
    assert kinds(leaks) == [(LeakKind.ZERO_LINE, 3), (LeakKind.UNCHARGED_TIMER, 2), (LeakKind.UNBILLED, 1)]
    assert summary(leaks) == "3 leaks: $287.50 at stake, and 1 whose amount is not known (no time recorded)."
    assert summary([]).startswith("Nothing left behind")


def test_another_techs_ticket_is_not_swept_even_with_its_leaks() -> None:
    theirs = ticket(1, user_id=1851, timers=[], lines=[(REMOTE, "Labor - Remote Business", "1.0", "0.0", False, None)])
    assert leaks_of(theirs) == []
    mine = ticket(2, user_id=1843, lines=[(REMOTE, "Labor - Remote Business", "1.0", "0.0", False, None)])
    assert kinds(leaks_of(mine)) == [(LeakKind.ZERO_LINE, 2)]


# --------------------------------------------------------------- the fixes' plans
def test_the_invoice_fix_charges_the_timer_and_expects_what_waits() -> None:
    t = ticket(1, status="Resolved", timers=[(at(9), at(9, 45), REMOTE, False)],
               lines=[(None, "Toner", "1", "80.0", False, None)])
    charge = plan_timer_charge(t.ticket_timers[0], RATES, prepaid=None)
    plan = invoice_waiting(t, RATES, prepaid=None, invoice_ids=(3,), timers=[charge])
    assert [s.call for s in plan.steps] == ["charge_timer", "check_line_item", "update_line_item", "create_invoice",
                                           "check_invoice", "update_ticket"]
    assert plan.steps[3].before == (3,)
    assert plan.steps[4].expect == {"lines": 2, "subtotal": "192.50", "total": "192.50"}
    assert plan.title == "Invoice ticket #1 (Marigold Bakery): 1 timer charged and 1 line on no invoice"
    with pytest.raises(ValueError, match="nothing waiting"):
        invoice_waiting(ticket(2), RATES, prepaid=None, invoice_ids=())


def test_the_invoice_fix_applies_the_prepaid_block() -> None:
    t = ticket(1, status="Resolved", prepay="0.5", lines=[(ONSITE, "Labor - Onsite Business", "1.0", "175.0", False, None)])
    plan = invoice_waiting(t, RATES, prepaid=Decimal("0.5"), invoice_ids=())
    assert plan.steps[1].expect["subtotal"] == "87.50"


def test_the_patch_fix_only_patches_a_zero_line_on_no_invoice() -> None:
    t = ticket(1, lines=[(ONSITE, "Labor - Onsite Business", "1.0", "0.0", False, None),
                         (ONSITE, "Labor - Onsite Business", "1.0", "0.0", True, 5)])
    plan = patch_zero_line(t, t.line_items[0], price=Decimal("175.00"), product="Labor - Onsite Business")
    assert [(s.call, s.body) for s in plan.steps] == [("update_line_item", {"ticket_line_item_id": 1000,
                                                                            "price_retail": "175.00"})]
    with pytest.raises(ValueError):
        patch_zero_line(t, t.line_items[1], price=Decimal("175.00"), product="Labor - Onsite Business")


# --------------------------------------------------------------- a fix never hides a leak it did not address
def test_charging_an_old_timer_never_hides_the_days_unbilled_visit() -> None:
    """#31913 (issue 33): an uncharged timer from last week and today's 90-minute visit on one ticket. Charging the
    old timer makes a labor line today; that line is last week's work, so the visit is still a leak."""
    friday = DAY - timedelta(days=3)
    visit = {"id": 5, "ticket_id": 130, "user_id": 1843, "start_at": at(9), "end_at": at(10, 30),
             "summary": "On site", "appointment_type_id": 4322}
    before = ticket(13, timers=[(at(9, 0, friday), at(10, 0, friday), REMOTE, False)])
    assert sorted(k for k, _ in kinds(leaks_of(before, appointments=[visit]))) == sorted(
        [LeakKind.UNBILLED, LeakKind.UNCHARGED_TIMER])
    # The fix charged it: the timer is recorded and its line was made today, linked from the timer.
    after = before.model_copy(update={
        "ticket_timers": [before.ticket_timers[0].model_copy(update={"recorded": True, "ticket_line_item_id": 13000})],
        "line_items": ticket(13, lines=[(REMOTE, "Labor - Remote Business", "1.00", "150.00", False, 13)]).line_items})
    assert kinds(leaks_of(after, appointments=[visit])) == [(LeakKind.UNBILLED, 13)]
    # A labor line made today by hand (no timer behind it) is still the day's time, as before.
    by_hand = ticket(13, lines=[(ONSITE, "Labor - Onsite Business", "1.50", "175.00", False, None)])
    assert leaks_of(by_hand, appointments=[visit]) == []


def test_a_fix_that_leaves_another_leak_does_not_set_the_ticket_invoiced() -> None:
    old = ticket(14, timers=[(at(9, 0, DAY - timedelta(days=3)), at(10, 0, DAY - timedelta(days=3)), REMOTE, False)])
    timers = [plan_timer_charge(t, RATES, prepaid=None) for t in old.ticket_timers]
    plan = invoice_waiting(old, RATES, prepaid=None, invoice_ids=[], timers=timers)
    assert plan.steps[-1].call == "update_ticket"  # alone on the ticket: Invoiced at the end
    held = invoice_waiting(old, RATES, prepaid=None, invoice_ids=[], timers=timers,
                           still_leaking="“no time” (today's visit)")
    assert all(step.call != "update_ticket" for step in held.steps)
    assert any("stays In Progress, not Invoiced" in note for note in held.notes)


def test_the_shops_sweep_says_a_shared_tickets_timer_once_under_its_tech() -> None:
    """Two techs commented on Tom's ticket that day and Dana's timer on it was never charged: the timer is said
    once, under Dana who timed the work, not under each; Tom's own day (his comment, no time of his) stays his."""
    from syncro_tui.domain.shop_sweep import shop_sweep

    tom = Tech(2231, "Tom Okafor")
    shared = ticket(1, user_id=tom.user_id, comments=[(at(10), DANA.user_id, "Dana Whitfield"),
                                                      (at(11), tom.user_id, "Tom Okafor")],
                    timers=[(at(9), at(9, 45), REMOTE, False)])
    day = SweepDay(DAY, (shared,))
    by_tech, shop = shop_sweep(day, [DANA, tom], tz=TZ, rates=RATES, now=NOW)
    listed = {tech.name: kinds(leaks) for tech, leaks in by_tech}
    assert listed == {"Dana Whitfield": [(LeakKind.UNCHARGED_TIMER, 1)], "Tom Okafor": [(LeakKind.UNBILLED, 1)]}
    assert shop == []
    tom_alone = sweep(day, tech=tom, tz=TZ, rates=RATES, clocks={}, now=NOW)  # his own sweep still lists it
    assert kinds(tom_alone) == [(LeakKind.UNCHARGED_TIMER, 1), (LeakKind.UNBILLED, 1)]
