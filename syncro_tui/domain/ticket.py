"""What a ticket's detail shows, worked out without I/O: billing status, timer states."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..api.models import Invoice, Ticket, Timer


@dataclass(frozen=True)
class BillingStatus:
    line_total: Decimal
    #: Whether any line is taxable: its total is then before tax (Syncro adds the tax on the invoice).
    taxed: bool
    uninvoiced_lines: int
    uncharged_timers: int
    invoices: tuple[Invoice, ...]

    @property
    def words(self) -> str:
        parts = []
        if self.invoices:
            parts.append("Invoiced: " + ", ".join(f"#{i.number} ({invoice_amounts(i)})" for i in self.invoices))
        if self.uninvoiced_lines:
            parts.append(f"{self.uninvoiced_lines} line item{'s' if self.uninvoiced_lines != 1 else ''} not invoiced yet")
        if self.uncharged_timers:
            parts.append(f"{self.uncharged_timers} timer{'s' if self.uncharged_timers != 1 else ''} not charged yet")
        return "; ".join(parts) or "Nothing billed yet"


def invoice_amounts(invoice: Invoice) -> str:
    """An invoice's total with its tax shown, so it adds up beside the ticket's lines (which are before tax)."""
    if not invoice.tax:
        return f"${invoice.total:,.2f}"
    if invoice.subtotal is not None:
        return f"${invoice.subtotal:,.2f} + ${invoice.tax:,.2f} tax = ${invoice.total:,.2f}"
    return f"${invoice.total:,.2f}, of which ${invoice.tax:,.2f} tax"


def billing_status(ticket: Ticket, invoices: list[Invoice]) -> BillingStatus:
    """``converted`` marks a line that is on an invoice; ``recorded`` a timer that was charged."""
    return BillingStatus(
        line_total=sum((li.total for li in ticket.line_items), Decimal("0")),
        taxed=any(li.taxable for li in ticket.line_items),
        uninvoiced_lines=sum(not li.converted for li in ticket.line_items),
        uncharged_timers=sum(not t.recorded for t in ticket.ticket_timers),
        invoices=tuple(sorted(invoices, key=lambda i: i.id)),
    )


def timer_state(timer: Timer) -> str:
    if not timer.recorded:
        return "uncharged"
    return f"charged → line {timer.ticket_line_item_id}" if timer.ticket_line_item_id else "charged"


def timer_minutes(timer: Timer) -> int:
    """The minutes a timer holds: Syncro's own figure where it gives one (a live timer's time worked, its pauses
    left out), else its end minus its start."""
    return timer.seconds // 60


def email_recipient(ticket: Ticket) -> str | None:
    """Where Syncro sends an email reply on this ticket: the ticket's contact, else the customer."""
    if ticket.contact and ticket.contact.email:
        return ticket.contact.email
    return ticket.customer.email if ticket.customer and ticket.customer.email else None


def close_problem(resolved: str, statuses: Sequence[str]) -> str | None:
    """Why a ticket cannot be closed with the configured resolved status (None when it can, or the list is unknown)."""
    if statuses and resolved not in statuses:
        return (f"The account has no status “{resolved}”: set tickets.resolved_status in the config to one of "
                f"{', '.join(statuses)}.")
    return None


def ids(records: Sequence[Any]) -> tuple[int, ...]:
    """The ids of what a create could be mistaken for (a request's ``before``)."""
    return tuple(r.id for r in records)
