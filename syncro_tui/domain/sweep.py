"""The end-of-day sweep: the money a tech's day left behind, found before the day is over (no I/O).

For one day and one tech, from the tickets read in full, the day's $0.00
invoices read in full, the tech's appointments, the status changes the app's
journal recorded and the tech's work clocks, ``sweep`` finds each leak:

- a ticket the tech touched (a comment, a status change, an appointment) with no time recorded that day;
- a Resolved or Invoiced ticket with lines on no invoice;
- an invoice at $0.00 that carries billable lines;
- a charged line at $0.00 for a product the rate table prices;
- a timer on the ticket that was never charged (the invoice does not pull it);
- a work clock still running, paused, or stopped and not billed.

Each comes with the amount at stake at the shop's rates (``at least`` where the
labor type is the tech's to say, priced at the lowest hourly rate: rule 1,
never assume the labor type) and the fix it opens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from ..api.models import Appointment, Comment, Invoice, Ticket, Timer
from .situation import pending_lines
from .billing import plan_timer_charge
from .clock import Clock
from .money import dollars, money
from .rates import Rate, RateTable, Unit
from .text import counted
from .ticket import timer_minutes
from .when import day_bounds, involves

#: Statuses that say the work is done and should be on an invoice.
DONE_STATUSES = ("Resolved", "Invoiced")


class LeakKind(StrEnum):
    UNBILLED = "no time"
    NOT_INVOICED = "not invoiced"
    ZERO_INVOICE = "$0.00 invoice"
    ZERO_LINE = "$0.00 line"
    UNCHARGED_TIMER = "timer not charged"
    CLOCK = "work clock"


class FixKind(StrEnum):
    #: The billing wizard on the ticket, prefilled with what the sweep knows.
    BILL = "bill"
    #: Stop the work clock (W): the wizard opens with its minutes and end.
    CLOCK = "clock"
    #: One confirmed call: the line set to the rate table's price (docs/rules.md §7.7).
    PATCH_LINE = "patch line"
    #: Charge the ticket's timer (``charge_timers``) and invoice what waits, each read back, then status Invoiced.
    INVOICE = "invoice"
    #: A $0.00 invoice pulled back to draft, its lines set to the rate table's prices, published again, read back
    #: (accounts with draft invoices on: docs/rules.md §13).
    DRAFT = "draft"
    #: Only the tech can do it in Syncro (a $0.00 invoice is deleted there); the ticket opens, the words say how.
    TICKET = "ticket"


@dataclass(frozen=True)
class Fix:
    kind: FixKind
    #: For BILL: the minutes and the end the wizard starts from (an appointment's).
    minutes: int | None = None
    ended: datetime | None = None
    #: For INVOICE: the ticket's timers to charge first.
    charge_timers: tuple[int, ...] = ()
    #: For PATCH_LINE: the line and the price it should have.
    line_id: int | None = None
    price: Decimal | None = None
    #: For DRAFT: the invoice to correct.
    invoice_id: int | None = None

    @property
    def words(self) -> str:
        return {FixKind.BILL: "bill it (the wizard)", FixKind.CLOCK: "stop the clock and bill it",
                FixKind.PATCH_LINE: f"set the line to {dollars(self.price or 0)}",
                FixKind.INVOICE: "charge the timer and invoice" if self.charge_timers else "invoice the lines",
                FixKind.DRAFT: "correct the invoice as a draft",
                FixKind.TICKET: "open the ticket"}[self.kind]


@dataclass(frozen=True)
class Where:
    """The ticket a leak is on (Syncro's text: shown literally by the screens)."""

    ticket_id: int
    number: int
    subject: str = ""
    customer: str = ""


@dataclass(frozen=True)
class Leak:
    kind: LeakKind
    where: Where
    #: What was found, in plain words (with Syncro's text in it: shown literally by the screens).
    words: str
    #: Dollars at stake at the shop's rates; None when nothing says how much (no time was recorded at all).
    amount: Decimal | None
    fix: Fix
    #: The amount is a floor: the labor type is the tech's to state, so the lowest hourly rate prices it.
    at_least: bool = False

    @property
    def stake(self) -> str:
        if self.amount is None:
            return "not known"
        return f"{'≥ ' if self.at_least else ''}{dollars(self.amount)}"


@dataclass(frozen=True)
class SweepDay:
    """What the sweep reads for a day, and how many calls that took."""

    day: date
    #: Every ticket updated since the day began (and those the tech's appointments name), read in full.
    tickets: tuple[Ticket, ...]
    #: The day's invoices at $0.00, read in full (with their lines).
    zero_invoices: tuple[Invoice, ...] = ()
    #: The tech's appointments that day.
    appointments: tuple[Appointment, ...] = ()
    #: Tickets whose status this tech changed that day through the app (its journal; Syncro's API keeps no history).
    status_changed: frozenset[int] = field(default_factory=frozenset)
    #: Tickets that could not be read (the sweep says so: it is not complete).
    unread: tuple[int, ...] = ()


@dataclass(frozen=True)
class Tech:
    user_id: int
    name: str | None = None


def lowest_hourly(rates: RateTable) -> Rate | None:
    """The cheapest billable hourly rate: what time of a labor type not stated yet bills at the very least."""
    priced = [r for r in rates.rates if r.unit is Unit.HOUR and r.price_retail > 0 and not r.explicit_only]
    return min(priced, key=lambda r: r.price_retail) if priced else None


def _floor(minutes: int, rates: RateTable) -> Decimal | None:
    rate = lowest_hourly(rates)
    return money(rates.rounding.hours(minutes) * rate.price_retail) if rate is not None and minutes > 0 else None


def _on(moment: datetime | None, bounds: tuple[datetime, datetime]) -> bool:
    return moment is not None and bounds[0] <= moment < bounds[1]


def _by(record: Comment | Timer, tech: Tech) -> bool:
    if record.user_id is not None:
        return record.user_id == tech.user_id
    return isinstance(record, Comment) and tech.name is not None and record.tech == tech.name


def touches(ticket: Ticket, day: SweepDay, tech: Tech, tz: ZoneInfo, now: datetime) -> list[str]:
    """How the tech touched the ticket that day, in words (empty: not at all)."""
    bounds = day_bounds(day.day, tz)
    out = []
    comments = [c for c in ticket.comments if _on(c.created_at, bounds) and _by(c, tech)]
    if comments:
        out.append(counted(len(comments), "comment"))
    if ticket.id in day.status_changed:
        out.append(f"status changed (now {ticket.status})")
    elif ticket.status in DONE_STATUSES and _on(ticket.resolved_at, bounds) and ticket.user_id == tech.user_id:
        out.append("resolved that day")
    for appointment in _appointments(ticket, day, tech, now):
        start = appointment.start_at.astimezone(tz)
        out.append(f"appointment {start:%H:%M}" + (f"–{appointment.end_at.astimezone(tz):%H:%M}"
                                                    if appointment.end_at else ""))
    return out


def _appointments(ticket: Ticket, day: SweepDay, tech: Tech, now: datetime) -> list[Appointment]:
    """The tech's appointments on the ticket that day that have begun (a visit still ahead is not work yet)."""
    return [a for a in day.appointments if a.ticket_id == ticket.id and involves(a, tech.user_id) and a.start_at <= now]


def timed(ticket: Ticket, day: SweepDay, tech: Tech, tz: ZoneInfo) -> bool:
    """The tech started a timer on the ticket that day (charged or not)."""
    bounds = day_bounds(day.day, tz)
    return any(_on(t.start_time, bounds) and (t.user_id is None or _by(t, tech)) for t in ticket.ticket_timers)


def time_recorded(ticket: Ticket, day: SweepDay, tech: Tech, tz: ZoneInfo, rates: RateTable) -> bool:
    """Time is recorded on the ticket that day, as the shop's billing path records it (docs/rules.md §7.2).

    Either path: a labor line made that day (on a timer shop, by hand against its rules, but billed; whose it is,
    Syncro's line does not say). A timer shop: also the tech's timer of that day. A line-item shop: a timer
    records nothing billable until it is charged, so only a timer of the day not charged yet counts (it is a
    leak of its own, whose fix makes the line); a charged timer counts by the line it made.

    A line made that day by charging an older timer is that older work's, not the day's: otherwise the sweep's own
    fix of an uncharged timer would hide the day's unbilled visit on the same ticket."""
    bounds = day_bounds(day.day, tz)
    older_work = {t.ticket_line_item_id for t in ticket.ticket_timers
                  if t.ticket_line_item_id is not None and not _on(t.start_time, bounds)}
    lined = any(li.product_id is not None and rates.is_labor_product(li.product_id) and _on(li.created_at, bounds)
                and li.id not in older_work for li in ticket.line_items)
    if rates.by_line:
        return lined or any(_on(t.start_time, bounds) and not t.recorded and (t.user_id is None or _by(t, tech))
                            for t in ticket.ticket_timers)
    return lined or timed(ticket, day, tech, tz)


def _priced(line_product: int | None, rates: RateTable) -> Rate | None:
    rate = rates.for_product(line_product) if line_product is not None else None
    return rate if rate is not None and rate.price_retail > 0 else None


def _where(ticket: Ticket) -> Where:
    return Where(ticket.id, ticket.number, ticket.subject,
                 ticket.customer_business_then_name or (ticket.customer.display_name if ticket.customer else ""))


def _zero_invoice_leak(invoice: Invoice, ticket: Ticket | None, rates: RateTable) -> Leak | None:
    """A $0.00 invoice that carries lines the rate table prices, not covered by a prepaid block."""
    if invoice.total != 0:
        return None
    stake = Decimal(0)
    short = []
    for line in invoice.line_items or []:
        rate = _priced(line.product_id, rates)
        covered = line.prepay_hours_applied or Decimal(0)
        if rate is None or covered >= line.quantity:
            continue
        stake += (line.quantity - covered) * rate.price_retail
        short.append(f"{line.quantity.normalize():f} × {line.item or rate.name}")
    if not short:
        return None
    where = _where(ticket) if ticket is not None else Where(invoice.ticket_id or 0, 0)
    found = f"Invoice #{invoice.number} is $0.00 but carries {'; '.join(short)}."
    if invoice.draft is not None:  # the account has draft invoices: the app can correct it
        return Leak(LeakKind.ZERO_INVOICE, where, amount=money(stake), fix=Fix(FixKind.DRAFT, invoice_id=invoice.id),
                    words=f"{found} The account has draft invoices: it can go back to draft, take the rate table's "
                          "prices and be published again.")
    return Leak(LeakKind.ZERO_INVOICE, where, words=f"{found} {by_hand(invoice)}", amount=money(stake),
                fix=Fix(FixKind.TICKET))


def by_hand(invoice: Invoice) -> str:
    """How a $0.00 invoice is recovered where the app cannot correct it (draft invoices off)."""
    return (f"To recover: set the lines' prices on the ticket, delete invoice #{invoice.number} in Syncro's web, and "
            "invoice again (never remove lines from an invoiced ticket).")


def _zero_lines(ticket: Ticket, rates: RateTable, reported: set[int]) -> list[Leak]:
    out = []
    for line in ticket.line_items:
        rate = _priced(line.product_id, rates)
        if rate is None or line.price_retail != 0 or (line.invoice_id is not None and line.invoice_id in reported):
            continue
        stake = money(line.quantity * rate.price_retail)
        if line.converted or line.invoice_id is not None:
            words = (f"Line “{line.name or rate.name}” ({line.quantity.normalize():f}) is at $0.00 on an invoice already: "
                     f"{rate.name} is {dollars(rate.price_retail)}. Fix the invoice in Syncro.")
            fix = Fix(FixKind.TICKET)
        else:
            words = (f"Line “{line.name or rate.name}” ({line.quantity.normalize():f}) arrived at $0.00: {rate.name} is "
                     f"{dollars(rate.price_retail)} (the charge's known quirk, patched to the rate table's price).")
            fix = Fix(FixKind.PATCH_LINE, line_id=line.id, price=rate.price_retail)
        out.append(Leak(LeakKind.ZERO_LINE, _where(ticket), words=words, amount=stake, fix=fix))
    return out


def _uncharged(ticket: Ticket, rates: RateTable) -> list[Leak]:
    out = []
    prepaid = ticket.customer.prepay_hours if ticket.customer and ticket.customer.prepay_hours else None
    for timer in ticket.ticket_timers:
        if timer.recorded:
            continue
        if timer.end_time is None:
            out.append(Leak(LeakKind.UNCHARGED_TIMER, _where(ticket), amount=None, fix=Fix(FixKind.TICKET),
                            words=f"Timer {timer.id} is still running in Syncro."))
            continue
        try:
            charge = plan_timer_charge(timer, rates, prepaid=prepaid if prepaid and prepaid > 0 else None)
        except ValueError as exc:
            out.append(Leak(LeakKind.UNCHARGED_TIMER, _where(ticket), amount=_floor(timer_minutes(timer), rates),
                            at_least=True, fix=Fix(FixKind.TICKET),
                            words=f"{timer_minutes(timer)} min not charged. {exc}"))
            continue
        out.append(Leak(LeakKind.UNCHARGED_TIMER, _where(ticket), words=(
            f"Timer {timer.id} ({timer_minutes(timer)} min of {charge.rate.name}) was never charged: the invoice does "
            "not pull it."), amount=charge.total, fix=Fix(FixKind.INVOICE, charge_timers=(timer.id,))))
    return out


def _not_invoiced(ticket: Ticket) -> Leak | None:
    pending = pending_lines(ticket)
    stake = money(sum((li.total for li in pending), Decimal(0)))
    if ticket.status not in DONE_STATUSES or stake <= 0:
        return None
    state = "marked Invoiced, but" if ticket.status == "Invoiced" else "Resolved, and"
    return Leak(LeakKind.NOT_INVOICED, _where(ticket), words=(
        f"{state} {counted(len(pending), 'line')} ({dollars(stake)}) {'are' if len(pending) != 1 else 'is'} on no "
        "invoice."), amount=stake, fix=Fix(FixKind.INVOICE))


def _clock_leak(clock: Clock, ticket: Ticket | None, now: datetime, rates: RateTable) -> Leak:
    state = "running" if clock.running else "stopped, not billed yet" if clock.stopped else "paused"
    minutes = clock.minutes(now)
    where = _where(ticket) if ticket is not None else Where(clock.ticket_id, clock.number, clock.subject)
    return Leak(LeakKind.CLOCK, where, words=f"Your work clock is {state}: {minutes} min not billed.",
                amount=_floor(minutes, rates), at_least=True, fix=Fix(FixKind.CLOCK))


def sweep(day: SweepDay, *, tech: Tech, tz: ZoneInfo, rates: RateTable, clocks: Mapping[int, Clock],
          now: datetime) -> list[Leak]:
    """Every leak of the tech's day, most money first (an unknown amount after the known ones)."""
    tickets = {t.id: t for t in day.tickets}
    out: list[Leak] = []
    reported: set[int] = set()
    for invoice in day.zero_invoices:
        leak = _zero_invoice_leak(invoice, tickets.get(invoice.ticket_id or -1), rates)
        if leak is not None:
            out.append(leak)
            reported.add(invoice.id)
    for ticket in day.tickets:
        touched = touches(ticket, day, tech, tz, now)
        assigned = ticket.user_id == tech.user_id and _on(ticket.updated_at, day_bounds(day.day, tz))
        if not touched and not assigned and not timed(ticket, day, tech, tz):
            continue  # another tech's ticket, or another day's: not this sweep's
        out += _zero_lines(ticket, rates, reported)
        out += _uncharged(ticket, rates)
        leak = _not_invoiced(ticket)
        if leak is not None:
            out.append(leak)
        if touched and ticket.id not in clocks and not time_recorded(ticket, day, tech, tz, rates):
            out.append(_unbilled(ticket, day, tech, touched, now, rates))
    out += [_clock_leak(clock, tickets.get(ticket_id), now, rates) for ticket_id, clock in clocks.items()]
    return sorted(out, key=lambda leak: (leak.amount is None, -(leak.amount or 0), leak.where.number))


def _unbilled(ticket: Ticket, day: SweepDay, tech: Tech, touched: Sequence[str], now: datetime,
              rates: RateTable) -> Leak:
    visits = [(a.start_at, min(a.end_at, now)) for a in _appointments(ticket, day, tech, now) if a.end_at is not None]
    minutes = sum(int((end - start).total_seconds() // 60) for start, end in visits)
    missing = "no labor line for the day's work" if rates.by_line else "no time recorded"
    if minutes > 0:
        ended = max(end for _, end in visits)
        return Leak(LeakKind.UNBILLED, _where(ticket), words=(
            f"Touched ({', '.join(touched)}) and {missing}: the appointment was {minutes} min."),
            amount=_floor(minutes, rates), at_least=True, fix=Fix(FixKind.BILL, minutes=minutes, ended=ended))
    return Leak(LeakKind.UNBILLED, _where(ticket), amount=None, fix=Fix(FixKind.BILL),
                words=f"Touched ({', '.join(touched)}) and {missing}.")


def addressed(fix: Leak, other: Leak) -> bool:
    """Whether ``fix``'s fix takes care of ``other``: a patch, its own line; a charge and invoice, the timers it
    charges and the ticket's lines waiting for an invoice. Never another timer of the same ticket."""
    if other.where.ticket_id != fix.where.ticket_id:
        return False
    if fix.fix.kind is FixKind.PATCH_LINE:
        return other.kind is LeakKind.ZERO_LINE and other.fix.line_id == fix.fix.line_id
    if fix.fix.kind is FixKind.INVOICE:
        return other.kind is LeakKind.NOT_INVOICED or (
            other.kind is LeakKind.UNCHARGED_TIMER and set(other.fix.charge_timers) <= set(fix.fix.charge_timers))
    return other == fix


def still_leaking(fix: Leak, leaks: Iterable[Leak]) -> list[Leak]:
    """The ticket's leaks ``fix`` does not take care of: while there is one, the fix must not call the ticket done
    (Invoiced), and it must stay listed after."""
    return [other for other in leaks if other.where.ticket_id == fix.where.ticket_id and not addressed(fix, other)]


def total_at_stake(leaks: Iterable[Leak]) -> tuple[Decimal, int]:
    """The known dollars at stake, and how many leaks have no amount."""
    leaks = list(leaks)
    return (money(sum((leak.amount for leak in leaks if leak.amount is not None), Decimal(0))),
            sum(leak.amount is None for leak in leaks))


def summary(leaks: Sequence[Leak]) -> str:
    if not leaks:
        return "Nothing left behind: every touched ticket has its time, and every charge is on an invoice."
    known, unknown = total_at_stake(leaks)
    return (f"{counted(len(leaks), 'leak')}: {dollars(known)} at stake"
            + (f", and {unknown} whose amount is not known (no time recorded)" if unknown else "") + ".")

