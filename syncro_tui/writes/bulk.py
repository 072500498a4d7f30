"""One triage change on many tickets at once (issue 36, docs/rules.md §3.4): one journaled group, a call per ticket.

The group is sent as the tech's own calls, one ticket after another; each call
is journaled before it goes and read back on its own if its answer is lost, so
a group cut short resumes ticket by ticket and sends nothing twice
(``writes/path.py``). A ticket that already has the value is left out: it needs
no call, and a read-back then tells a landed change from one that was there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..api import requests as rq
from ..domain.text import counted
from .plans import Listed, Plan


def ticket_words(ticket: Listed) -> str:
    """A ticket as a confirm's line names it: its number and customer."""
    return f"#{ticket.number} {ticket.customer_business_then_name or f'customer {ticket.customer_id}'}"


def change_tickets(tickets: Sequence[Listed], fields: Mapping[str, Any], *, kind: str, words: str,
                   was: Mapping[int, str]) -> Plan:
    """``fields`` set on every ticket that does not have them yet, one ``PUT /tickets/{id}`` each: "20 tickets:
    assign to Marcus Bell". ``was``: each ticket's value now, in words (its line on the confirm says from what to
    what); ``kind`` names the group in the journal ("bulk assign")."""
    if not tickets:
        raise ValueError("no ticket needs the change")
    steps = tuple(rq.update_ticket(t.id, fields) for t in tickets)
    return Plan(kind=kind, title=f"{counted(len(tickets), 'ticket')}: {words}", steps=steps,
                lines=tuple(f"{ticket_words(t)}: {was[t.id]}" if t.id in was else ticket_words(t) for t in tickets))


def close_tickets(tickets: Sequence[Listed], *, status: str) -> Plan:
    """Close many: each ticket set to the resolved ``status`` (no resolution comment: that is one ticket's close)."""
    if not tickets:
        raise ValueError("no ticket left to close")
    return Plan(kind="bulk close", title=f"{counted(len(tickets), 'ticket')}: close (status → {status})",
                steps=tuple(rq.update_ticket(t.id, {"status": status}) for t in tickets),
                lines=tuple(f"{ticket_words(t)}: {t.status} → {status}" for t in tickets))
