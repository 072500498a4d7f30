"""The shop's end-of-day sweep (``sweep --shop``): every tech's leaks from the one read of the day, each said once.

A tech's own leaks (work touched with no time recorded) are that tech's. What is wrong in a ticket's own records
is not one tech's but the ticket's: a $0.00 line, a timer never charged, lines on no invoice. On a ticket two techs
touched it would be listed under both, and the shop's dollars at stake counted twice; it is said once, under the
tech who timed work on the ticket that day (whose time it is), else the ticket's own tech, else the first who
touched it. A $0.00 invoice is the shop's.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .rates import RateTable
from .sweep import Leak, LeakKind, SweepDay, Tech, sweep, timed

#: Leaks in a ticket's own records: said once in the shop's sweep.
TICKET_KINDS = frozenset({LeakKind.ZERO_LINE, LeakKind.UNCHARGED_TIMER, LeakKind.NOT_INVOICED})


def shop_sweep(day: SweepDay, techs: list[Tech], *, tz: ZoneInfo, rates: RateTable,
               now: datetime) -> tuple[list[tuple[Tech, list[Leak]]], list[Leak]]:
    """Each tech with their leaks (in ``techs``' order), and the shop's own ($0.00 invoices)."""
    found = [(tech, sweep(day, tech=tech, tz=tz, rates=rates, clocks={}, now=now)) for tech in techs]
    shop: list[Leak] = []
    for _, leaks in found:
        shop = shop or [leak for leak in leaks if leak.kind is LeakKind.ZERO_INVOICE]
    tickets = {ticket.id: ticket for ticket in day.tickets}

    def rank(tech: Tech, leak: Leak) -> int:
        """Whose the ticket's leak is: 0 the tech who timed work on it that day, 1 its own tech, 2 anyone."""
        ticket = tickets.get(leak.where.ticket_id)
        if ticket is None:
            return 2
        return 0 if timed(ticket, day, tech, tz) else 1 if ticket.user_id == tech.user_id else 2

    owner: dict[Leak, tuple[int, int]] = {}  # each ticket's leak: (rank, the tech's place in techs), the least wins
    for n, (tech, leaks) in enumerate(found):
        for leak in leaks:
            if leak.kind in TICKET_KINDS:
                owner[leak] = min(owner.get(leak, (3, n)), (rank(tech, leak), n))
    by_tech = [(tech, [leak for leak in leaks if leak.kind is not LeakKind.ZERO_INVOICE
                       and owner.get(leak, (0, n))[1] == n]) for n, (tech, leaks) in enumerate(found)]
    return by_tech, shop
