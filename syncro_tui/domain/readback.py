"""Reading a billing run back (docs/rules.md §8): what the line and the invoice are expected to be, and what
Syncro holds against it, as findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ..api.fields import Model
from ..api.models import Invoice, LineItem, Ticket
from .money import dollars, money
from .rates import RateTable
from .billing import ItemPlan, TimePlan, TimerCharge
from .expect import InvoiceExpectation, LineExpectation


class LineFacts(Model):
    """What the line check found, journaled as the check's result: later calls name these fields (``Ref``)."""

    line_item_id: int
    price_retail: str
    #: The line arrived at $0.00 (or as charged): the next, conditional call sets its price.
    needs_patch: bool = False


class InvoiceFacts(Model):
    """What the invoice check found, journaled as the check's result."""

    invoice_id: int
    number: str | None = None
    total: str


#: What each kind of check hands the calls after it (``writes/specs.py`` checks a plan's Refs against these).
Facts = LineFacts | InvoiceFacts


@dataclass(frozen=True)
class Finding:
    """What a check step of the billing run found when it read Syncro back."""

    passed: bool
    message: str
    #: Handed to later steps (the line's id, whether its price needs the 0.00 patch); None when nothing was found.
    facts: Facts | None = None


def line_expectation(time: TimePlan) -> LineExpectation:
    """What the line must be once billed (how it is found is the plan's to add); for a trip, also the quantity the
    charge makes (``charged_quantity``: the timer's hours), which the run then sets to 1."""
    return LineExpectation(product_id=time.rate.product_id, quantity=time.quantity, price_retail=time.price,
                           charged_quantity=time.charged_quantity if time.charged_quantity != time.quantity else None)


def _charged_line(ticket: Ticket, want: LineExpectation) -> tuple[LineItem | None, str]:
    """The line charging made: the timer's link where Syncro gives one, else the one line new since the plan."""
    timer = next((t for t in ticket.ticket_timers if t.id == want.timer_id), None)
    made = "Charging" if want.timer_id is not None else "The run"
    line_id = want.line_item_id or (timer.ticket_line_item_id if timer else None)
    if line_id is not None:
        line = next((li for li in ticket.line_items if li.id == line_id), None)
        return line, "" if line else f"{made} made no line item {line_id} on the ticket."
    before = set(want.lines_before or ())
    new = [li for li in ticket.line_items if li.id not in before and li.product_id == want.product_id]
    if len(new) == 1:
        return new[0], ""
    if not new:
        return None, f"{made} made no new line of product {want.product_id} on the ticket."
    return None, (f"{len(new)} new lines of product {want.product_id} are on the ticket "
                  f"({', '.join(str(li.id) for li in new)}); which one {made.lower()} made cannot be told.")


def ended_warnings(ended: datetime, *, ticket_created: datetime, now: datetime) -> list[str]:
    """Warnings (never refusals) for when the work is said to have ended: before the ticket, or long ago."""
    out = []
    if ended < ticket_created:
        out.append(f"The work is said to have ended {ended:%Y-%m-%d %H:%M %Z}, before the ticket was created "
                   f"({ticket_created:%Y-%m-%d %H:%M %Z}): check the date.")
    elif now - ended > timedelta(days=7):
        out.append(f"The work is said to have ended {(now - ended).days} days ago ({ended:%Y-%m-%d}): check the date "
                   "(it goes on the timer and the customer's invoice).")
    return out


def check_charged_line(ticket: Ticket, expect: Mapping[str, Any]) -> Finding:
    """After charging: the line is there, the right product and quantity; a 0.00 price is patched next (rule 7)."""
    try:
        want = LineExpectation.of(expect)
    except ValueError as exc:  # a plan always names both: a journal that does not is not guessed at
        return Finding(False, f"The plan's check cannot be read ({exc}): nothing more is sent. Look at the ticket "
                              "in Syncro before resuming.")
    price = want.price_retail
    quantity = want.charged_quantity if want.charged_quantity is not None else want.quantity
    line, why = _charged_line(ticket, want)
    if line is None:
        return Finding(False, f"{why} Nothing more is sent: look at the ticket in Syncro before resuming.")
    if line.product_id != want.product_id or line.quantity != quantity:
        fix = ("fix the timer in Syncro (or remove the line and timer and bill again)" if want.timer_id is not None
               else "fix the line in Syncro (or remove it and bill again)")
        return Finding(False, f"Line {line.id} is {line.quantity} of product {line.product_id}; the plan is {quantity} "
                              f"of product {want.product_id}. Nothing more is sent: {fix} before resuming.")
    facts = LineFacts(line_item_id=line.id, price_retail=format(line.price_retail, "f"))
    patch = facts.model_copy(update={"needs_patch": True})
    if want.charged_quantity is not None and line.price_retail in (price, 0):
        return Finding(True, f"Line {line.id}: {quantity} h as charged; the next call sets it to "
                             f"{want.quantity} at {dollars(price)}.", patch)
    if line.price_retail == price:
        return Finding(True, f"Line {line.id}: {quantity} × {dollars(price)}, as planned.", facts)
    if line.price_retail == 0 and price > 0:
        return Finding(True, f"Line {line.id} arrived at $0.00 (a known Syncro quirk): the next call sets its price "
                             f"to {dollars(price)}.", patch)
    return Finding(False, f"Line {line.id} is at {dollars(line.price_retail)}, not {dollars(price)}: the wrong product was charged. "
                          "Do not patch the price: remove the line and the timer in Syncro and bill again with the "
                          "right product.", facts)


def expected_invoice(time: TimePlan | None, pending: Sequence[LineItem], rates: RateTable,
                     items: Sequence[ItemPlan] = (), timers: Sequence[TimerCharge] = (),
                     prepaid: Decimal | None = None) -> InvoiceExpectation:
    """What ``POST /invoices`` must produce: it pulls every line not yet invoiced, then this run's timers, time
    (none when the run only charges the ticket's own timers or invoices what waits) and items.

    Prepaid hours (the time plan's block, else ``prepaid``) are applied line by line, in order, to the products that
    debit the block; the rest is billed in dollars. The total is only predicted when no line is taxable (labor
    never is): otherwise the tax is Syncro's to work out.
    """
    lines = [(li.product_id, li.quantity, li.price_retail, li.taxable) for li in sorted(pending, key=lambda x: x.id)]
    lines.extend((t.rate.product_id, t.quantity, t.price, False) for t in timers)
    if time is not None:
        lines.append((time.rate.product_id, time.quantity, time.price, False))
    lines.extend((item.product_id, item.quantity, item.price_retail, item.taxable) for item in items)
    block = time.prepaid_before if time is not None else prepaid
    invoice = _invoice_of(lines, rates, block)
    if time is None:
        return invoice
    return replace(invoice, product_id=time.rate.product_id, quantity=time.quantity, price_retail=time.price)


def _invoice_of(lines: Sequence[tuple[int | None, Decimal, Decimal, bool]], rates: RateTable,
                prepaid: Decimal | None) -> InvoiceExpectation:
    block = prepaid or Decimal("0")
    subtotal = Decimal("0")
    for product_id, quantity, price, _taxable in lines:
        rate = rates.for_product(product_id) if product_id is not None else None
        applied = min(block, quantity) if rate is not None and rate.debits_prepaid and block > 0 else Decimal("0")
        block -= applied
        subtotal += (quantity - applied) * price
    subtotal = money(subtotal)
    taxed = any(taxable for *_, taxable in lines)
    return InvoiceExpectation(subtotal=subtotal, total=None if taxed else subtotal, lines=len(lines))


def check_invoice(invoice: Invoice, expect: Mapping[str, Any]) -> Finding:
    """The new invoice carries the labor line at its price, and its total is the plan's (rule 8)."""
    lines = invoice.line_items or []
    facts = InvoiceFacts(invoice_id=invoice.id, number=invoice.number, total=format(money(invoice.total), "f"))
    try:
        want = InvoiceExpectation.of(expect)
    except ValueError as exc:
        return Finding(False, f"The plan's check of invoice #{invoice.number} cannot be read ({exc}): check it in "
                              "Syncro before resuming.", facts)
    quantity, price, subtotal, total = want.quantity, want.price_retail, want.subtotal, want.total
    ours = [li for li in lines if li.product_id == want.product_id and li.quantity == quantity]
    recovery = (f" To recover: fix the lines on the ticket (a 0.00 line: set its price), delete invoice "
                f"#{invoice.number} in Syncro, and invoice again (never remove line items from an invoiced ticket). "
                "The status is not set to Invoiced.")
    if not ours and want.product_id is not None:
        return Finding(False, f"INVOICE #{invoice.number} DOES NOT CARRY THE LABOR LINE ({quantity} of product "
                              f"{want.product_id})." + recovery, facts)
    if price and any(li.price == 0 for li in ours):
        return Finding(False, f"INVOICE #{invoice.number} HAS THE LABOR LINE AT $0.00 (a 0.00 invoice): the plan is "
                              f"{dollars(price)}." + recovery, facts)
    if total is None and subtotal is not None and invoice.subtotal is None:
        # Taxed lines: the plan can only predict the subtotal, and this answer does not say it. Not guessed.
        return Finding(False, f"Invoice #{invoice.number} does not say its subtotal, so it cannot be checked against "
                              f"the plan ({dollars(subtotal)} before tax): check it in Syncro before resuming.", facts)
    if subtotal is not None and invoice.subtotal is not None and invoice.subtotal != subtotal \
            or total is not None and invoice.total != total:
        said = f" (subtotal {dollars(invoice.subtotal)})" if invoice.subtotal is not None else ""
        return Finding(False, f"INVOICE #{invoice.number} TOTAL IS {dollars(invoice.total)}{said}; "
                              f"THE PLAN IS {dollars(total if total is not None else subtotal or 0)}." + recovery, facts)
    return Finding(True, f"Invoice #{invoice.number}: {dollars(invoice.total)}, as planned.", facts)
