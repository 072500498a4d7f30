"""The billing rules over the full matrix: labor types × prepaid or not × minutes (docs/rules.md §7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from syncro_tui.domain.billing import hours, LongWork, MinutesProblem, parse_minutes, plan_time
from syncro_tui.domain.checklist import checklist
from syncro_tui.domain.comment import secrets_in
from syncro_tui.domain.rates import BillingPath, LaborType, RateTable

RATES = RateTable()
END = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
MINUTES = [1, 15, 20, 45, 50, 90, 480]
PREPAID = [None, Decimal("10.0")]


@pytest.mark.parametrize(("minutes", "expected"), [(1, "0.02"), (15, "0.25"), (20, "0.33"), (45, "0.75"),
                                                   (50, "0.83"), (90, "1.50"), (480, "8.00")])
def test_minutes_become_hours_to_the_hundredth(minutes, expected) -> None:
    assert hours(minutes) == Decimal(expected)


@pytest.mark.parametrize("path", list(BillingPath))
@pytest.mark.parametrize("prepaid", PREPAID)
@pytest.mark.parametrize("minutes", MINUTES)
@pytest.mark.parametrize("labor", list(LaborType))
def test_every_labor_type_prepaid_or_not_at_every_length_on_either_path(labor, minutes, prepaid, path) -> None:
    """The hidden rules (emergency × prepaid, warranty at $0.00, travel per trip, project off no block) hold on the
    shop's either billing path: only how the line is made differs."""
    rates = RateTable(path=path)
    plan = plan_time(minutes, labor, ended_at=END, prepay_hours=prepaid, rates=rates)
    worked = hours(minutes)
    # the product
    if labor is LaborType.EMERGENCY:
        assert plan.rate.product_id == (26118 if prepaid else 26184)
    else:
        assert plan.rate == RATES.for_type(labor)
    # the quantity
    if labor is LaborType.EMERGENCY and prepaid:
        assert plan.quantity == (worked * Decimal("1.5")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    elif labor is LaborType.TRAVEL:
        assert plan.quantity == 1
    else:
        assert plan.quantity == worked
    # the timer covers exactly the billed quantity, ending when the work ended; a trip's timer is the real travel;
    # a line item is made at the billed quantity, and its span is the work itself
    assert plan.end_at == END
    assert plan.by_line is (path is BillingPath.LINE_ITEM)
    if plan.by_line:
        assert plan.timer_hours * 60 == minutes and plan.charged_quantity == plan.quantity
        assert not any("timer" in r.lower() for r in plan.reasons)
    elif labor is LaborType.TRAVEL:
        assert plan.timer_hours * 60 == minutes and plan.charged_quantity == worked
    else:
        assert plan.timer_hours == plan.quantity == plan.charged_quantity
    # price from the rate table, total = price × quantity, money in Decimal cents
    # (half up, as invoices round: 0.25 h × $262.50 = $65.625 → $65.63)
    assert plan.price == plan.rate.price_retail
    assert plan.total == (plan.price * plan.quantity).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert plan.total.as_tuple().exponent == -2
    # billable and invoiced, except internal time
    assert (plan.billable, plan.invoice) == ((False, False) if labor is LaborType.INTERNAL else (True, True))
    # prepaid balance: debited in hours by the products that debit it
    if prepaid is None:
        assert plan.prepaid_before is None and plan.prepaid_after is None
    elif plan.rate.debits_prepaid and plan.billable:
        assert plan.prepaid_applied == min(prepaid, plan.quantity)
        assert plan.prepaid_after == prepaid - plan.prepaid_applied >= 0
        assert plan.charged == ((plan.quantity - plan.prepaid_applied) * plan.price).quantize(Decimal("0.01"))
    else:
        assert plan.prepaid_after == prepaid and plan.prepaid_applied == 0 and plan.charged == plan.total
    assert plan.reasons and plan.reasons[-1].startswith("Total:")
    assert all(check.passed for check in checklist(plan, rates, comment_body="Done.<br>All good.", customer_visible=True))
    # prepaid project labor is exempt from the block (the shop verified it): it never debits hours
    if labor is LaborType.PROJECT:
        assert plan.prepaid_applied == 0 and plan.prepaid_after == plan.prepaid_before


def test_emergency_examples_in_words() -> None:
    prepaid = plan_time(60, "emergency", ended_at=END, prepay_hours=Decimal("4.0"), rates=RATES)
    assert (prepaid.rate.name, prepaid.quantity, prepaid.total) == ("Labor - Onsite Business", Decimal("1.50"), Decimal("262.50"))
    assert prepaid.prepaid_after == Decimal("2.50")
    assert prepaid.start_at == datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
    assert any("prepaid blocks are debited in hours" in r for r in prepaid.reasons)
    plain = plan_time(60, "emergency", ended_at=END, prepay_hours=Decimal("0.0"), rates=RATES)
    assert (plain.rate.product_id, plain.quantity, plain.total) == (26184, Decimal("1.00"), Decimal("262.50"))


def test_warranty_is_billable_at_zero() -> None:
    plan = plan_time(45, "warranty", ended_at=END, prepay_hours=None, rates=RATES)
    assert plan.billable and plan.total == Decimal("0.00") and plan.rate.product_id == 1049360


@pytest.mark.parametrize(("text", "message"), [
    ("", "required"), ("  ", "required"), ("0", "Zero"), ("-5", "negative"), ("abc", "not a whole number"),
    ("1.5", "not a whole number"), ("90m", "not a whole number")])
def test_bad_minutes_are_refused_with_a_reason(text, message) -> None:
    with pytest.raises(MinutesProblem, match=message):
        parse_minutes(text)


def test_over_a_day_asks_again() -> None:
    with pytest.raises(LongWork, match="over 24 hours"):
        parse_minutes("1500")
    assert parse_minutes("1500", long_confirmed=True) == 1500
    assert parse_minutes(" 45 ") == 45


def test_the_checklist_fails_with_reasons() -> None:
    plan = plan_time(45, "remote", ended_at=END, prepay_hours=None, rates=RATES)
    checks = {c.name: c for c in checklist(plan, RATES, comment_body="<ul><li>Reset password: Hunter22!</li></ul>",
                                           customer_visible=True)}
    assert not checks["Comment uses <br>, not lists"].passed
    secret = checks["Nothing internal or secret in a customer-visible comment"]
    assert not secret.passed and "password: Hunter22!" in secret.reason
    other_shop = RateTable(tuple(r if r.product_id != 1190473 else type(r)(r.labor_type, r.product_id, r.name, Decimal("165.00"))
                                 for r in RATES.rates))
    assert not {c.name: c for c in checklist(plan, other_shop, comment_body="ok", customer_visible=False)}[
        "Price matches the rate table"].passed
    private = {c.name for c in checklist(plan, RATES, comment_body="password: x", customer_visible=False)}
    assert "Nothing internal or secret in a customer-visible comment" not in private


def test_secrets_are_found_where_they_are() -> None:
    text = "Reset done. New password is Winter2026! and the API key: sk-123; ticket closed."
    spans = secrets_in(text)
    assert [text[a:b] for a, b in spans] == ["password is Winter2026!", "API key: sk-123;"]
    assert secrets_in("Customer asked to reset their password tomorrow.") == []


def test_a_non_time_item_is_explicit_and_never_labor() -> None:
    from syncro_tui.domain.billing import NotANonTimeItem, plan_item

    item = plan_item(name="SSD", description="Samsung 1TB SSD", quantity=Decimal("2"), price_retail=Decimal("129"),
                     taxable=True, product_id=880103, rates=RATES)
    assert (item.price_retail, item.total, item.taxable) == (Decimal("129.00"), Decimal("258.00"), True)
    for labor in LaborType:
        with pytest.raises(NotANonTimeItem, match="bill it with a timer"):
            plan_item(name="Labor", description="x", quantity=Decimal("1"), price_retail=Decimal("150"), taxable=False,
                      product_id=RATES.for_type(labor).product_id, rates=RATES)
    for bad, message in [({"name": " "}, "name and a description"), ({"taxable": None}, "taxable"),
                         ({"price_retail": Decimal("0")}, "0.00 invoice"), ({"quantity": Decimal("0")}, "more than zero")]:
        fields = {"name": "SSD", "description": "Samsung 1TB SSD", "quantity": Decimal("1"),
                  "price_retail": Decimal("129"), "taxable": True, "product_id": None, **bad}
        with pytest.raises(ValueError, match=message):
            plan_item(rates=RATES, **fields)


# ------------------------------------------------ checks on Syncro's real answers
def _ticket(lines, timers=()):
    from syncro_tui.api.models import Ticket

    return Ticket.model_validate({"id": 5, "number": 4, "subject": "x", "created_at": "2026-11-20T10:00:00Z",
                                  "updated_at": "2026-11-20T10:00:00Z", "line_items": lines, "ticket_timers": timers})


def _line(ident, product=26118, price=175, quantity="1.0"):
    return {"id": ident, "product_id": product, "quantity": quantity, "price_retail": price}


EXPECT = {"timer_id": 3, "lines_before": [1], "product_id": 26118, "quantity": "1.0", "price_retail": "175.00"}


def test_the_charged_line_is_found_by_difference_when_syncro_does_not_link_it() -> None:
    from syncro_tui.domain.readback import check_charged_line

    # The charge answer had ticket_line_item_id null; the ticket read shows no link either: the one new line is it.
    found = check_charged_line(_ticket([_line(1), _line(2)]), EXPECT)
    assert found.passed and found.facts is not None and found.facts.line_item_id == 2
    # A look-alike line that was there before the run is not it.
    assert not check_charged_line(_ticket([_line(1)]), EXPECT).passed
    # Two new lines of the product: which one is ours cannot be told, so nothing more is sent.
    two = check_charged_line(_ticket([_line(1), _line(2), _line(7)]), EXPECT)
    assert not two.passed and "cannot be told" in two.message
    # Where the ticket's timer does link its line, that line is the one checked.
    timer = {"id": 3, "ticket_id": 5, "start_time": "2026-11-20T09:00:00Z", "end_time": "2026-11-20T10:00:00Z",
             "recorded": True, "ticket_line_item_id": 7, "active_duration": None}
    linked = check_charged_line(_ticket([_line(1), _line(2), _line(7)], [timer]), EXPECT)
    assert linked.passed and linked.facts is not None and linked.facts.line_item_id == 7


def test_an_invoice_that_does_not_say_its_subtotal_is_not_guessed() -> None:
    from syncro_tui.api.models import Invoice
    from syncro_tui.domain.readback import check_invoice

    invoice = Invoice.model_validate({"id": 6, "number": "4444", "customer_id": 1, "total": "189.44",
                                      "line_items": [{"id": 1, "price": "175.0", "quantity": "1.0", "product_id": 26118}]})
    taxed = {"product_id": 26118, "quantity": "1.0", "price_retail": "175.00", "subtotal": "175.00", "total": None}
    finding = check_invoice(invoice, taxed)
    assert not finding.passed and "does not say its subtotal" in finding.message
    untaxed = {**taxed, "total": "189.44"}
    assert check_invoice(invoice, untaxed).passed


def test_work_said_to_end_before_the_ticket_or_long_ago_is_warned() -> None:
    from datetime import timedelta

    from syncro_tui.domain.readback import ended_warnings

    created = END - timedelta(days=2)
    assert ended_warnings(END, ticket_created=created, now=END) == []
    (before,) = ended_warnings(created - timedelta(hours=1), ticket_created=created, now=END)
    assert "before the ticket was created" in before
    (old,) = ended_warnings(END - timedelta(days=9), ticket_created=END - timedelta(days=30), now=END)
    assert "9 days ago" in old


def test_a_timer_already_on_the_ticket_is_charged_with_the_same_checks_as_a_new_one() -> None:
    from syncro_tui.api.models import Timer
    from syncro_tui.domain.billing import plan_timer_charge

    def timer(minutes: int | None, product_id: int | None = 1190473, **extra) -> Timer:
        start = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
        end = start + timedelta(minutes=minutes) if minutes is not None else None
        return Timer(id=5, ticket_id=1, start_time=start, end_time=end, product_id=product_id, **extra)

    remote = plan_timer_charge(timer(45), RATES, prepaid=None)
    assert (remote.quantity, remote.price, remote.total, remote.trip) == (Decimal("0.75"), Decimal("150.00"),
                                                                          Decimal("112.50"), False)
    assert remote.expectation([7]).record() == {"product_id": 1190473, "quantity": Decimal("0.75"),
                                               "price_retail": Decimal("150.00"), "timer_id": 5, "lines_before": [7]}
    trip = plan_timer_charge(timer(30, 26117), RATES, prepaid=None)  # travel: one trip, the line set to 1 after
    assert trip.trip and trip.quantity == 1 and trip.expectation([]).charged_quantity == Decimal("0.50")
    for bad, words in [(timer(45, recorded=True), "charged already"), (timer(None), "still running"),
                       (timer(45, 880103), "not in the rate table"), (timer(0), "no length")]:
        with pytest.raises(ValueError, match=words):
            plan_timer_charge(bad, RATES, prepaid=None)
    with pytest.raises(ValueError, match="1.5 × the hours"):
        plan_timer_charge(timer(60, 26184), RATES, prepaid=Decimal("5"))
    assert plan_timer_charge(timer(60, 26184), RATES, prepaid=None).total == Decimal("262.50")


def test_a_check_that_names_what_it_does_not_know_is_not_guessed_at() -> None:
    """Issue 35: the checks read their expectation typed. A misspelt key was a silent None (a quantity of None
    compared with every line); now it is a finding that stops the run before anything more is sent."""
    from syncro_tui.domain.expect import InvoiceExpectation, LineExpectation
    from syncro_tui.api.models import Ticket
    from syncro_tui.domain.readback import check_charged_line

    want = LineExpectation(product_id=1190473, quantity=Decimal("0.75"), price_retail=Decimal("150.00"),
                           timer_id=5, lines_before=(1, 2))
    assert LineExpectation.of(want.record()) == want  # as the journal keeps it, and back
    misspelt = {**want.record(), "qunatity": "0.75"}
    with pytest.raises(ValueError, match="qunatity"):
        LineExpectation.of(misspelt)
    ticket = Ticket.model_validate({"id": 1, "number": 1, "subject": "s", "status": "New", "customer_id": 1,
                                    "created_at": "2026-11-20T10:00:00Z", "updated_at": "2026-11-20T10:00:00Z"})
    finding = check_charged_line(ticket, misspelt)
    assert not finding.passed and "qunatity" in finding.message and "nothing more is sent" in finding.message
    invoice = InvoiceExpectation(subtotal=Decimal("112.50"), total=None)
    assert invoice.record() == {"subtotal": Decimal("112.50"), "total": None} and invoice.amount == Decimal("112.50")
    with pytest.raises(ValueError, match="no subtotal"):
        InvoiceExpectation.of({"total": "1.00"})
