"""Billing time the way the shop's rules say (docs/rules.md §7), as pure code: no I/O, Decimal money.

``plan_time`` turns what the tech states (minutes, labor type, when the work
ended) and the customer's prepaid block into the product, quantity, price,
total, timer interval and prepaid balance, each with a reason in plain words.
The checklist, the hours-aware hints, the ticket as it stands and the read-back of a run are each a
module of their own beside this one (``checklist``, ``hints``, ``situation``, ``readback``).

Quantities are hours to two decimals (45 min is 0.75; 20 min is 0.33), and
the timer's end minus start is exactly the billed quantity, so Syncro's time
reports agree with the invoice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..api.models import Timer
from .expect import LineExpectation
from .money import HUNDREDTH, dollars, money
from .rates import LaborType, Rate, RateTable, Rounding, Unit
from .ticket import timer_minutes
from .inputs import InputProblem, whole_number

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

    def expectation(self, lines_before: Sequence[int]) -> LineExpectation:
        """The line its charge makes, found by the timer's link or as the one new line since ``lines_before``."""
        return LineExpectation(product_id=self.rate.product_id, quantity=self.quantity, price_retail=self.price,
                               charged_quantity=self.charged_quantity if self.charged_quantity != self.quantity else None,
                               timer_id=self.timer_id, lines_before=tuple(lines_before))


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
