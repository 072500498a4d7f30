"""Billing time the way the shop's rules say (docs/rules.md §7), as pure code: no I/O, Decimal money.

``plan_time`` turns what the tech states (minutes, labor type, when the work
ended) and the customer's prepaid block into the product, quantity, price,
total, timer interval and prepaid balance, each with a reason in plain words.
``checklist`` runs the review checklist on a plan and its comment.

Quantities are hours to two decimals (45 min is 0.75; 20 min is 0.33), and
the timer's end minus start is exactly the billed quantity, so Syncro's time
reports agree with the invoice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from ..api.models import Appointment, BusinessHours, Customer, Invoice, LineItem, Ticket, Timer
from .clock import Clock
from .comment import not_for_customers
from .money import HUNDREDTH, dollars, money
from .rates import LaborType, Rate, RateTable, Rounding, Unit
from .ticket import timer_minutes
from .inputs import InputProblem, whole_number
from .when import Booking, outside_hours

MAX_MINUTES = 24 * 60
#: Past a day the tech confirms; past a week it is refused (a migration weekend fits, a typo of zeros does not).
MAX_CONFIRMABLE_MINUTES = 7 * 24 * 60
EMERGENCY_PREPAID_FACTOR = Decimal("1.5")


class MinutesProblem(ValueError):
    """The minutes as typed cannot be billed; the message says why."""


class LongWork(MinutesProblem):
    """Over 24 hours: possible (a migration weekend) but usually a typo, so the tech confirms it."""


def parse_minutes(text: str, *, long_confirmed: bool = False) -> int:
    """The one reader of typed minutes (the wizard, ``bill --minutes``); MinutesProblem for any other string."""
    if not (text or "").strip():
        raise MinutesProblem("Minutes are required: how long did the work take?")
    try:
        minutes = whole_number(text, what="minutes")
    except InputProblem as exc:
        raise MinutesProblem(str(exc)) from None
    if minutes == 0:
        raise MinutesProblem("Zero minutes bills nothing: enter the time the work took.")
    if minutes > MAX_CONFIRMABLE_MINUTES:
        raise MinutesProblem(f"{minutes:,} minutes is over {MAX_CONFIRMABLE_MINUTES // (24 * 60)} days: no one "
                             "piece of work is that long. Bill it in parts, a day or a visit each.")
    if minutes > MAX_MINUTES and not long_confirmed:
        raise LongWork(f"{minutes} minutes is over 24 hours ({hours_text(minutes)}). Is that right?")
    return minutes


def hours(minutes: int, rounding: Rounding = Rounding()) -> Decimal:
    """Minutes as billed hours, as the shop rounds them (by default to the nearest 0.01 h: 45 → 0.75, 20 → 0.33)."""
    return rounding.hours(minutes)


def charged_hours(seconds: int) -> Decimal:
    """The quantity Syncro's charge makes of a timer: its hours, to the hundredth."""
    return (Decimal(seconds) / 3600).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def hours_text(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d} min" if h else f"{m} min"


@dataclass(frozen=True)
class TimePlan:
    """What a billing run will write, and why."""

    labor_type: LaborType
    minutes: int
    rate: Rate
    quantity: Decimal
    price: Decimal
    total: Decimal
    start_at: datetime
    end_at: datetime
    billable: bool
    #: Charge the timer (creating the line) and invoice: False for non-billable internal time.
    invoice: bool
    prepaid_before: Decimal | None
    prepaid_after: Decimal | None
    reasons: tuple[str, ...] = field(default_factory=tuple)
    #: Hours of this line the prepaid block covers (the rest is billed in dollars).
    prepaid_applied: Decimal = Decimal("0")
    #: Billed as one line item, with no timer (the shop's ``line_item`` policy).
    by_line: bool = False

    @property
    def charged(self) -> Decimal:
        """What this line adds to the invoice in dollars, after the prepaid block."""
        return money((self.quantity - self.prepaid_applied) * self.price)

    @property
    def timer_hours(self) -> Decimal:
        return Decimal(int((self.end_at - self.start_at).total_seconds())) / 3600

    @property
    def trip(self) -> bool:
        """Billed per trip: the timer is the real travel time, and its charged line is set to 1 trip after."""
        return self.rate.unit is Unit.TRIP

    @property
    def charged_quantity(self) -> Decimal:
        """The quantity the line is made with: charging the timer makes its hours, to the hundredth (the billed
        quantity but for a trip); a line item is made at the billed quantity."""
        return self.quantity if self.by_line else charged_hours(int((self.end_at - self.start_at).total_seconds()))


def plan_time(minutes: int, labor_type: LaborType | str, *, ended_at: datetime, prepay_hours: Decimal | None,
              rates: RateTable) -> TimePlan:
    """The product, quantity, price, total and timer for ``minutes`` of ``labor_type`` work ending at ``ended_at``."""
    if ended_at.tzinfo is None:
        raise ValueError("the work's time must be timezone-aware")
    labor = LaborType(labor_type)
    prepaid = prepay_hours if prepay_hours is not None and prepay_hours > 0 else None
    worked = hours(minutes, rates.rounding)
    reasons = [rates.rounding.reason(minutes)]
    rate = rates.for_type(labor)
    quantity = worked
    billable, invoice = True, True

    by_line = rates.by_line
    if labor is LaborType.EMERGENCY:
        if prepaid is not None:
            rate = rates.for_type(LaborType.ONSITE)
            quantity = (worked * EMERGENCY_PREPAID_FACTOR).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
            reasons.append(f"Emergency for a prepaid customer: {rate.name} at 1.5 × the hours ({quantity} h), "
                           "because prepaid blocks are debited in hours, not dollars. "
                           + ("" if by_line else "The timer is stretched to match. ")
                           + "Never the emergency product as well: the 1.5 × would apply twice.")
        else:
            reasons.append(f"Emergency, no prepaid block: {rate.name}, whose rate already includes the 1.5 ×.")
    elif labor is LaborType.WARRANTY:
        reasons.append(f"Warranty work: {rate.name}, a line at 0.00 (never a priced product made free)." if by_line
                       else f"Warranty work: {rate.name}, billable at 0.00 (a billable product with billable false "
                            "would still be billed).")
    elif labor is LaborType.INTERNAL:
        billable, invoice = False, False
        reasons.append(f"Internal time: a line of {rate.name} at 0.00 records it on the ticket; nothing is invoiced."
                       if by_line else
                       f"Internal time: {rate.name}, not billable: the timer records it, nothing is invoiced.")
    elif labor is LaborType.TRAVEL or rate.unit is Unit.TRIP:
        quantity = Decimal("1")
        reasons.append(f"Travel is billed per trip, not per hour: 1 trip of {rate.name} at {dollars(rate.price_retail)}.")
        if not by_line:
            reasons.append(f"The timer records the real {hours_text(minutes)} of travel, so time reports show the "
                           "time spent. Syncro charges every timer (billable false is ignored), and the charge makes "
                           f"a line of {charged_hours(minutes * 60)} h; the run then sets that line to 1 trip.")
    elif labor is LaborType.PROJECT:
        block = ("the hours come off the customer's prepaid block" if rate.debits_prepaid
                 else "the project was paid for up front, and the hours do not come off a prepaid block")
        reasons.append(f"Prepaid project labor: {rate.name} at 0.00, chosen explicitly; {block}.")
    else:
        reasons.append(f"{labor.value.replace('_', ' ').capitalize()} work: {rate.name} at {dollars(rate.price_retail)}/h.")

    price = rate.price_retail
    total = money(price * quantity)
    trip = rate.unit is Unit.TRIP
    # The timer spans the billed hours (a trip's, the real travel); with no timer, the span is the work itself.
    start_at = ended_at - (timedelta(minutes=minutes) if trip or by_line else timedelta(seconds=int(quantity * 3600)))
    if quantity != worked and not trip and not by_line:
        reasons.append(f"The timer runs {quantity} h, from {start_at:%H:%M} to {ended_at:%H:%M}, to match.")
    debits = prepaid is not None and rate.debits_prepaid and billable
    applied = min(prepaid, quantity) if debits and prepaid is not None else Decimal("0")
    after = prepaid - applied if prepaid is not None else None
    if prepaid is not None:
        if not debits:
            reasons.append(f"Prepaid block of {prepaid} h is not touched by this product.")
        elif applied < quantity:
            reasons.append(f"Prepaid block: {prepaid} h covers {applied} h; the other {quantity - applied} h are "
                           f"billed at {dollars(price)}/h. {after} h left after.")
        else:
            reasons.append(f"Prepaid block: {prepaid} h before, {after} h after (this line is paid from the block).")
    reasons.append(f"Total: {quantity} × {dollars(price)} = {dollars(total)}.")
    return TimePlan(labor_type=labor, minutes=minutes, rate=rate, quantity=quantity, price=price, total=total,
                    start_at=start_at, end_at=ended_at, billable=billable, invoice=invoice,
                    prepaid_before=prepaid, prepaid_after=after, reasons=tuple(reasons), prepaid_applied=applied,
                    by_line=by_line)


# ------------------------------------------------------------------ checklist
LIST_TAG = re.compile(r"(?i)<\s*/?\s*(?:ul|ol|li)\b")


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    reason: str


def checklist(plan: TimePlan, rates: RateTable, *, comment_body: str, customer_visible: bool) -> list[Check]:
    """docs/rules.md §7's review checklist, each with pass or fail and why."""
    expected_price = rates.for_product(plan.rate.product_id)
    worked = hours(plan.minutes, rates.rounding)
    prepaid_emergency = plan.labor_type is LaborType.EMERGENCY and plan.prepaid_before is not None
    factor = EMERGENCY_PREPAID_FACTOR if prepaid_emergency else 1
    checks = [
        Check("Price matches the rate table",
              expected_price is not None and expected_price.price_retail == plan.price,
              f"{plan.rate.name}: {dollars(plan.price)} (rate table: "
              f"{'$' + str(expected_price.price_retail) if expected_price else 'not in the table'})."),
        Check("Quantity arithmetic is exact",
              plan.quantity == (Decimal("1") if plan.rate.unit is Unit.TRIP
                                else (worked * factor).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)),
              f"{plan.minutes} min → {plan.quantity} {'trip' if plan.rate.unit is Unit.TRIP else 'h'}."),
        Check("Total = price × quantity", plan.total == money(plan.price * plan.quantity),
              f"{plan.quantity} × {dollars(plan.price)} = {dollars(plan.total)}."),
    ]
    if plan.by_line:
        checks.insert(2, Check("One line item, no timer", rates.by_line,
                               f"The shop bills labor as {rates.path.words}."))
    elif plan.trip:
        checks.insert(2, Check("Timer is the real travel time", plan.timer_hours * 60 == plan.minutes,
                               f"Timer {plan.start_at:%H:%M}–{plan.end_at:%H:%M} is {hours_text(plan.minutes)}; "
                               "the line is 1 trip."))
    else:
        checks.insert(2, Check("Timer length equals the quantity", plan.timer_hours == plan.quantity,
                               f"Timer {plan.start_at:%H:%M}–{plan.end_at:%H:%M} is {plan.timer_hours.normalize()} h."))
    if plan.labor_type is LaborType.EMERGENCY:
        onsite, emergency = rates.for_type(LaborType.ONSITE), rates.for_type(LaborType.EMERGENCY)
        right = onsite if plan.prepaid_before is not None else emergency
        checks.append(Check("Emergency uses the right product", plan.rate == right,
                            "Prepaid customer: onsite at 1.5 × the hours." if plan.prepaid_before is not None
                            else "No prepaid block: the emergency product at the hours."))
    checks.append(Check("Comment uses <br>, not lists", not LIST_TAG.search(comment_body or ""),
                        "Syncro shows list tags badly in emails: line breaks only." if LIST_TAG.search(comment_body or "")
                        else "No list tags."))
    if customer_visible:
        found = not_for_customers(comment_body)
        checks.append(Check("Nothing internal or secret in a customer-visible comment", not found,
                            "Looks like it hands over: " + "; ".join(comment_body[a:b] for a, b in found)
                            if found else "Nothing that looks like a password, key, token or internal note."))
    return checks


# ------------------------------------------------------ timers already on the ticket
@dataclass(frozen=True)
class TimerCharge:
    """A timer already on the ticket, charged in this run: its own product and length, the rate table's price."""

    timer_id: int
    minutes: int
    rate: Rate
    quantity: Decimal

    @property
    def price(self) -> Decimal:
        return self.rate.price_retail

    @property
    def total(self) -> Decimal:
        return money(self.price * self.quantity)

    @property
    def trip(self) -> bool:
        return self.rate.unit is Unit.TRIP

    @property
    def charged_quantity(self) -> Decimal:
        """What charging it makes: its hours, to the hundredth."""
        return charged_hours(self.minutes * 60)

    def expectation(self) -> dict[str, Any]:
        out: dict[str, Any] = {"product_id": self.rate.product_id, "quantity": self.quantity,
                               "price_retail": self.price}
        if self.charged_quantity != self.quantity:
            out["charged_quantity"] = self.charged_quantity
        return out


def plan_timer_charge(timer: Timer, rates: RateTable, *, prepaid: Decimal | None) -> TimerCharge:
    """The same checks as a new timer: a finished timer, not charged, of a labor product of the rate table, at the
    table's price; an emergency timer for a prepaid customer is refused (the 1.5 × would be the wrong one)."""
    if timer.recorded:
        raise ValueError(f"Timer {timer.id} is charged already: charging it again would bill it twice.")
    if timer.end_time is None:
        raise ValueError(f"Timer {timer.id} is still running in Syncro: stop it there first.")
    rate = rates.for_product(timer.product_id) if timer.product_id is not None else None
    if rate is None:
        raise ValueError(f"Timer {timer.id}'s product ({timer.product_id}) is not in the rate table: its price "
                         "cannot be checked, so it is not charged here. Remove it, and bill the time in this run.")
    if rate.labor_type is LaborType.EMERGENCY and prepaid is not None:
        raise ValueError(f"Timer {timer.id} is emergency labor for a prepaid customer, who is billed onsite at "
                         "1.5 × the hours: remove it, and bill the time here as emergency.")
    minutes = timer_minutes(timer)
    if minutes <= 0:
        raise ValueError(f"Timer {timer.id} has no length: remove it.")
    quantity = Decimal(1) if rate.unit is Unit.TRIP else charged_hours(minutes * 60)
    return TimerCharge(timer.id, minutes, rate, quantity)


# ------------------------------------------------------------ hours-aware hints
#: Labor that has an after-hours product to go to.
DAYTIME_LABOR = frozenset({LaborType.REMOTE, LaborType.ONSITE, LaborType.IN_SHOP, LaborType.WEBSITE})


@dataclass(frozen=True)
class Hint:
    """Something the shop's hours or the customer's block say about the labor type chosen: the tech ticks it
    (the plan is right as it is) or changes the plan. Never a silent change."""

    kind: str
    text: str

    @property
    def title(self) -> str:
        return HINT_TITLES[self.kind]


HINT_TITLES = {"after_hours": "Outside business hours", "emergency_in_hours": "Emergency inside business hours",
               "project_no_block": "Project labor without a prepaid block",
               "project_paid": "Project labor bills nothing"}


def hints(plan: TimePlan, *, hours: Sequence[BusinessHours], tz: ZoneInfo) -> list[Hint]:
    """After-hours work at a daytime rate, emergency inside business hours, project labor that bills nothing
    (without a block where the shop's project product debits one; always where it does not)."""
    out = []
    work = Booking(plan.end_at - timedelta(minutes=plan.minutes), plan.end_at)
    start, end = (t.astimezone(tz) for t in (work.start, work.end))
    when = f"{start:%a %d %b %H:%M}–{end:%H:%M}"
    outside = outside_hours(work, hours, tz)
    if plan.labor_type in DAYTIME_LABOR and outside:
        out.append(Hint("after_hours", f"{outside} The work was {when}. After-hours work is usually billed as "
                                       "Emergency / after hours: choose it, or tick this if this rate is right."))
    if plan.labor_type is LaborType.EMERGENCY and hours and outside is None:
        out.append(Hint("emergency_in_hours", f"Emergency at {when}, inside business hours: tick this if it was an "
                                              "emergency all the same, or choose the normal labor type."))
    if plan.labor_type is LaborType.PROJECT and plan.rate.debits_prepaid and plan.prepaid_before is None:
        out.append(Hint("project_no_block", "Prepaid project labor is $0.00 and comes off a prepaid block, and this "
                                            "customer has none: the work would go unbilled. Tick this only if it is "
                                            "paid some other way."))
    elif plan.labor_type is LaborType.PROJECT and not plan.rate.debits_prepaid:
        out.append(Hint("project_paid", "Prepaid project labor is $0.00 and comes off no prepaid block: it bills "
                                        "nothing. Tick this if the project was paid for up front; otherwise choose "
                                        "the labor type the work was."))
    return out


# ------------------------------------------------------ the ticket as it stands
def pending_lines(ticket: Ticket) -> list[LineItem]:
    """Lines on the ticket not invoiced yet: the next invoice pulls them."""
    return [li for li in ticket.line_items if not li.converted]


def unnamed_invoice(ticket: Ticket) -> bool:
    """The ticket says it was invoiced, and its lines do not say on which invoice (not every account's do)."""
    if any(li.converted and li.invoice_id is None for li in ticket.line_items):
        return True
    return ticket.status == "Invoiced" and not any(li.invoice_id is not None for li in ticket.line_items)


@dataclass(frozen=True)
class Situation:
    """What the billing wizard read before planning: the ticket and its customer.

    What is already invoiced comes from the ticket's own lines (``converted``, ``invoice_id``).
    ``invoices`` is read only when the ticket says it was invoiced and its lines do not say on
    which invoice (``unnamed_invoice``); a ticket that was never invoiced costs no invoice read.
    """

    ticket: Ticket
    customer: Customer
    invoices: tuple[Invoice, ...] = ()

    @property
    def invoiced_lines(self) -> list[LineItem]:
        return [li for li in self.ticket.line_items if li.converted or li.invoice_id is not None]

    @property
    def invoice_ids(self) -> tuple[int, ...]:
        """The invoices already made for the ticket: what a new invoice must not be mistaken for."""
        named = {li.invoice_id for li in self.ticket.line_items if li.invoice_id is not None}
        return tuple(sorted(named | {i.id for i in self.invoices}))

    @property
    def prepaid(self) -> Decimal | None:
        return self.customer.prepay_hours if self.customer.prepay_hours and self.customer.prepay_hours > 0 else None

    @property
    def pending(self) -> list[LineItem]:
        """Lines on the ticket not invoiced yet: the next invoice pulls them too."""
        return pending_lines(self.ticket)

    def invoiced_words(self) -> str:
        """What is on invoices already, as the lines say (the invoices' numbers where they were read)."""
        if self.invoices:
            return ", ".join(f"#{i.number} ({dollars(i.total)})" for i in self.invoices)
        lines = self.invoiced_lines
        if not lines:
            return "its status says Invoiced"
        count = len({li.invoice_id for li in lines}) if all(li.invoice_id for li in lines) else 0
        where = f"on {count} invoice{'s' if count != 1 else ''}" if count else "on an invoice"
        return (f"{len(lines)} line{'s' if len(lines) != 1 else ''} of {dollars(sum((li.total for li in lines), Decimal(0)))} "
                f"{where}")

    @property
    def uncharged(self) -> list[Timer]:
        """Timers on the ticket not charged yet (the invoice does not pull them)."""
        return [t for t in self.ticket.ticket_timers if not t.recorded]

    def timer(self, timer_id: int | None) -> Timer | None:
        return next((t for t in self.ticket.ticket_timers if t.id == timer_id), None) if timer_id else None

    def without(self, timer: Timer) -> Situation:
        """The ticket as a run billing ``timer`` itself sees it: without that timer, and without the line Syncro made
        when it charged the timer on stopping (the run's own line, not one waiting for an invoice)."""
        ticket = self.ticket.model_copy(update={
            "ticket_timers": [t for t in self.ticket.ticket_timers if t.id != timer.id],
            "line_items": [li for li in self.ticket.line_items if li.id != timer.ticket_line_item_id]})
        return replace(self, ticket=ticket)

    @property
    def warnings(self) -> list[str]:
        """What the tech must see and decide on before billing more time on this ticket."""
        out = []
        if self.invoiced_lines or self.ticket.status == "Invoiced":
            out.append(f"This ticket is already invoiced: {self.invoiced_words()}. Billing more makes another invoice.")
        if self.uncharged:
            mins = ", ".join(f"{timer_minutes(t) if t.end_time else '?'} min"
                             for t in self.uncharged)
            out.append(f"The ticket has {len(self.uncharged)} uncharged timer{'s' if len(self.uncharged) != 1 else ''} "
                       f"of its own ({mins}). Charge {'it' if len(self.uncharged) == 1 else 'them'} in this run if "
                       f"{'it is' if len(self.uncharged) == 1 else 'they are'} billable work (the wizard lists them), "
                       "or remove a duplicate; otherwise they stay off the invoice.")
        if self.pending:
            out.append(f"{len(self.pending)} line{'s' if len(self.pending) != 1 else ''} already on the ticket will "
                       "be invoiced with this time.")
        return out


# ------------------------------------------------------------ closing
def appointments_ahead(ticket: Ticket, now: datetime) -> list[Appointment]:
    """The ticket's appointments not begun yet, soonest first: what closing it could leave booked."""
    return sorted((a for a in ticket.appointments if a.start_at > now), key=lambda a: a.start_at)


def close_concerns(ticket: Ticket, *, now: datetime, tz: ZoneInfo, clock: Clock | None = None) -> list[str]:
    """What closing would leave behind on the money side: nothing billed, timers not charged, a visit still ahead,
    the tech's work clock on it (running, or stopped and not billed).

    Said in the close dialog with the offer to bill first; never a refusal (warranty and internal work close with
    nothing billed, rightly).
    """
    out = []
    if not ticket.line_items and not ticket.ticket_timers:
        out.append("Nothing is billed on this ticket yet: no time and no line items.")
    uncharged = [t for t in ticket.ticket_timers if not t.recorded]
    if uncharged:
        mins = ", ".join(f"{timer_minutes(t)} min" if t.end_time else "running"
                         for t in uncharged)
        out.append(f"{len(uncharged)} timer{'s' if len(uncharged) != 1 else ''} not charged ({mins}): "
                   f"{'it is' if len(uncharged) == 1 else 'they are'} not on any invoice.")
    if clock is not None:
        state = "still running" if clock.running else "stopped, not billed yet" if clock.stopped else "paused"
        out.append(f"Your work clock on it is {state} ({clock.minutes(now)} min): W bills it.")
    ahead = appointments_ahead(ticket, now)
    if ahead:
        first = ahead[0].start_at.astimezone(tz)
        more = f" (and {len(ahead) - 1} more)" if len(ahead) > 1 else ""
        out.append(f"An appointment is still ahead: {first:%a %d %b %H:%M}{more}.")
    return out


# ------------------------------------------------- reading the run back (checks)
@dataclass(frozen=True)
class Finding:
    """What a check step of the billing run found when it read Syncro back."""

    passed: bool
    message: str
    #: Handed to later steps (the line's id, whether its price needs the 0.00 patch).
    facts: dict[str, Any] = field(default_factory=dict)


def _dec(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def line_expectation(time: TimePlan) -> dict[str, Any]:
    """What the line must be once billed (the line id comes from the charge); for a trip, also the quantity the
    charge makes (``charged_quantity``: the timer's hours), which the run then sets to 1."""
    out: dict[str, Any] = {"product_id": time.rate.product_id, "quantity": time.quantity, "price_retail": time.price}
    if time.charged_quantity != time.quantity:
        out["charged_quantity"] = time.charged_quantity
    return out


def _charged_line(ticket: Ticket, expect: Mapping[str, Any]) -> tuple[LineItem | None, str]:
    """The line charging made: the timer's link where Syncro gives one, else the one line new since the plan.

    ``expect`` names the timer (``timer_id``) and the ticket's line ids before the run (``lines_before``);
    groups journaled by earlier versions name the line itself (``line_item_id``).
    """
    timer = next((t for t in ticket.ticket_timers if t.id == expect.get("timer_id")), None)
    made = "Charging" if "timer_id" in expect else "The run"
    line_id = expect.get("line_item_id") or (timer.ticket_line_item_id if timer else None)
    if line_id is not None:
        line = next((li for li in ticket.line_items if li.id == line_id), None)
        return line, "" if line else f"{made} made no line item {line_id} on the ticket."
    before = set(expect.get("lines_before") or ())
    new = [li for li in ticket.line_items if li.id not in before and li.product_id == expect.get("product_id")]
    if len(new) == 1:
        return new[0], ""
    if not new:
        return None, f"{made} made no new line of product {expect.get('product_id')} on the ticket."
    return None, (f"{len(new)} new lines of product {expect.get('product_id')} are on the ticket "
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
    price = _dec(expect.get("price_retail"))
    quantity = _dec(expect.get("charged_quantity", expect.get("quantity")))
    if price is None or quantity is None:  # a plan always names both: a journal that does not is not guessed at
        return Finding(False, "The plan's check names no price or quantity to compare with: nothing more is sent. "
                              "Look at the ticket in Syncro before resuming.")
    line, why = _charged_line(ticket, expect)
    if line is None:
        return Finding(False, f"{why} Nothing more is sent: look at the ticket in Syncro before resuming.")
    if line.product_id != expect.get("product_id") or line.quantity != quantity:
        fix = ("fix the timer in Syncro (or remove the line and timer and bill again)" if "timer_id" in expect
               else "fix the line in Syncro (or remove it and bill again)")
        return Finding(False, f"Line {line.id} is {line.quantity} of product {line.product_id}; the plan is {quantity} "
                              f"of product {expect.get('product_id')}. Nothing more is sent: {fix} before resuming.")
    facts = {"line_item_id": line.id, "price_retail": format(line.price_retail, "f")}
    if "charged_quantity" in expect and line.price_retail in (price, 0):
        return Finding(True, f"Line {line.id}: {quantity} h as charged; the next call sets it to "
                             f"{expect.get('quantity')} at {dollars(price)}.", {**facts, "needs_patch": True})
    if line.price_retail == price:
        return Finding(True, f"Line {line.id}: {quantity} × {dollars(price)}, as planned.", {**facts, "needs_patch": False})
    if line.price_retail == 0 and price > 0:
        return Finding(True, f"Line {line.id} arrived at $0.00 (a known Syncro quirk): the next call sets its price "
                             f"to {dollars(price)}.", {**facts, "needs_patch": True})
    return Finding(False, f"Line {line.id} is at {dollars(line.price_retail)}, not {dollars(price)}: the wrong product was charged. "
                          "Do not patch the price: remove the line and the timer in Syncro and bill again with the "
                          "right product.", facts)


def expected_invoice(time: TimePlan | None, pending: Sequence[LineItem], rates: RateTable,
                     items: Sequence[ItemPlan] = (), timers: Sequence[TimerCharge] = (),
                     prepaid: Decimal | None = None) -> dict[str, Any]:
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
    return {**(line_expectation(time) if time is not None else {}), **_invoice_of(lines, rates, block)}


def _invoice_of(lines: Sequence[tuple[int | None, Decimal, Decimal, bool]], rates: RateTable,
                prepaid: Decimal | None) -> dict[str, Any]:
    block = prepaid or Decimal("0")
    subtotal = Decimal("0")
    for product_id, quantity, price, _taxable in lines:
        rate = rates.for_product(product_id) if product_id is not None else None
        applied = min(block, quantity) if rate is not None and rate.debits_prepaid and block > 0 else Decimal("0")
        block -= applied
        subtotal += (quantity - applied) * price
    subtotal = money(subtotal)
    taxed = any(taxable for *_, taxable in lines)
    return {"lines": len(lines), "subtotal": subtotal, "total": None if taxed else subtotal}


def check_invoice(invoice: Invoice, expect: Mapping[str, Any]) -> Finding:
    """The new invoice carries the labor line at its price, and its total is the plan's (rule 8)."""
    lines = invoice.line_items or []
    quantity, price = _dec(expect.get("quantity")), _dec(expect.get("price_retail"))
    ours = [li for li in lines if li.product_id == expect.get("product_id") and li.quantity == quantity]
    subtotal, total = _dec(expect.get("subtotal")), _dec(expect.get("total"))
    facts = {"invoice_id": invoice.id, "number": invoice.number, "total": format(money(invoice.total), "f")}
    recovery = (f" To recover: fix the lines on the ticket (a 0.00 line: set its price), delete invoice "
                f"#{invoice.number} in Syncro, and invoice again (never remove line items from an invoiced ticket). "
                "The status is not set to Invoiced.")
    if not ours and expect.get("product_id") is not None:
        return Finding(False, f"INVOICE #{invoice.number} DOES NOT CARRY THE LABOR LINE ({quantity} of product "
                              f"{expect.get('product_id')})." + recovery, facts)
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


# ------------------------------------------------------------ non-time items
class NotANonTimeItem(ValueError):
    """Labor offered on the non-time path: it must go through a timer."""


@dataclass(frozen=True)
class ItemPlan:
    """Hardware or a flat fee: one ``add_line_item`` with every field explicit (docs/rules.md §7, rule 6)."""

    name: str
    description: str
    quantity: Decimal
    price_retail: Decimal
    taxable: bool
    product_id: int | None

    @property
    def total(self) -> Decimal:
        return money(self.quantity * self.price_retail)


def plan_item(*, name: str, description: str, quantity: Decimal, price_retail: Decimal, taxable: bool | None,
              product_id: int | None, rates: RateTable) -> ItemPlan:
    """Refuses labor products (they bill as the run's time) and anything left implicit."""
    if product_id is not None and rates.is_labor_product(product_id):
        rate = rates.for_product(product_id)
        what = rate.name if rate else str(product_id)
        if rates.by_line:
            raise NotANonTimeItem(f"{what} is labor: bill it as the run's time (its minutes and labor type), where "
                                  "the rules for labor are checked, not as a part or fee.")
        raise NotANonTimeItem(
            f"{what} is labor: bill it with a timer (timer, then charge), never as a bare line item, which skips "
            "Syncro's time tracking and can bill twice.")
    if not name.strip() or not description.strip():
        raise ValueError("A line item needs a name and a description (Syncro answers 422 without them).")
    if taxable is None:
        raise ValueError("Say whether the item is taxable: Syncro's API taxes it when this is left out.")
    if quantity <= 0:
        raise ValueError("The quantity must be more than zero.")
    if price_retail < 0:
        raise ValueError("The price cannot be negative.")
    if price_retail == 0:
        raise ValueError("A 0.00 price makes a 0.00 line and a 0.00 invoice: enter the price from the product.")
    return ItemPlan(name=name.strip(), description=description.strip(), quantity=quantity,
                    price_retail=money(price_retail), taxable=taxable, product_id=product_id)
