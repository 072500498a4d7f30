"""What billing and closing start from: the ticket as it stands, its customer, what is pending on it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..api.models import Appointment, Customer, Invoice, LineItem, Ticket, Timer
from .clock import Clock
from .money import dollars
from .ticket import timer_minutes


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
