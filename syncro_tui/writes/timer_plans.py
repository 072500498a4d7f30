"""The timers' own plans: the work clock kept on Syncro's live timers (``w``, ``W``), and a duplicate timer removed."""

from __future__ import annotations

from ..api import requests as rq
from ..api.models import Timer
from ..domain.billing import hours_text
from ..domain.rates import Rate
from ..domain.ticket import timer_minutes
from .plans import Listed, Plan


def remove_timer(ticket: Listed, timer: Timer) -> Plan:
    """Remove a timer the ticket has and has not charged (a duplicate, a mistake): one call, confirmed."""
    if timer.recorded:
        raise ValueError(f"Timer {timer.id} is charged: its line is on the ticket, and a charged timer is never "
                         "removed here (the line would stay).")
    return Plan(kind="remove_timer", title=f"Remove timer {timer.id} ({hours_text(timer_minutes(timer))}) from ticket #{ticket.number}",
                steps=(rq.delete_timer(ticket.id, timer.id),), ticket_id=ticket.id, ticket_number=ticket.number,
                notes=("The timer was never charged, so nothing is on an invoice for it.",))


#: What ``w`` and ``W`` do to a Syncro timer, in words, by call.
TIMER_WORDS = {"start_timer": "resume", "pause_timer": "pause", "stop_timer": "stop"}


def live_timer(ticket_id: int, number: int | None, subject: str, *, rate: Rate | None = None, timer: Timer | None = None,
               move: str | None = None, minutes: int | None = None) -> Plan:
    """The work clock kept in Syncro (docs/rules.md §13): a timer started for the key's owner on the ticket with
    ``rate``'s product (Syncro resumes theirs rather than making a second), or ``timer`` moved by ``move``
    (start_timer, pause_timer, stop_timer), with ``minutes`` on it so far. One confirmed call, read back like any
    write."""
    ticket = f"Ticket #{number}" if number is not None else f"Ticket id {ticket_id}"
    if timer is None:
        if rate is None:
            raise ValueError("A timer starts with a labor type: its product.")
        return Plan(kind="timer", title=f"{ticket}: start a timer in Syncro ({rate.name})",
                    steps=(rq.start_live_timer(ticket_id, product_id=rate.product_id, notes=subject),),
                    ticket_id=ticket_id, ticket_number=number,
                    notes=("The timer runs in Syncro, for you: its web and your other machines see it. w pauses it; "
                           "W stops it and bills it. If you already have one on this ticket, Syncro resumes it.",))
    request = {"start_timer": rq.start_timer, "pause_timer": rq.pause_timer, "stop_timer": rq.stop_timer}[move or ""]
    said = hours_text(timer_minutes(timer) if minutes is None else minutes)
    notes = ("It is not billed yet: the billing wizard opens next, with its minutes.",) if move == "stop_timer" else ()
    return Plan(kind="timer", title=f"{ticket}: {TIMER_WORDS[move or '']} Syncro timer {timer.id} ({said} so far)",
                steps=(request(timer.id),), ticket_id=ticket_id, ticket_number=number, notes=notes)
