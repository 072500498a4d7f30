"""A write operation as the tech confirms it, before anything is sent (no I/O).

A plan is the sentence in words on top of the confirm screen and every call in
order. A later call that needs an id an earlier one returns names it with a
``Ref`` (shown as ``<id from call N>``); the write path fills it in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..api import requests as rq
from ..api.models import TicketSummary
from ..api.requests import ApiRequest, Ref


@dataclass(frozen=True)
class Plan:
    """A multi-call operation as the tech confirms it: a sentence in words and every call in order."""

    kind: str
    title: str
    steps: tuple[ApiRequest[Any], ...]
    ticket_id: int | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a plan needs at least one call")
        for seq, req in enumerate(self.steps):
            if not req.is_write:
                raise ValueError(f"{req.call} is not a write")
            late = [r for r in req.refs if r.step >= seq]
            if late:
                raise ValueError(f"call {seq + 1} ({req.call}) needs {late[0].label}, which is not an earlier call")


def new_ticket(ticket: Mapping[str, Any], *, customer_name: str, comment: Mapping[str, Any] | None = None,
               appointment: Mapping[str, Any] | None = None) -> Plan:
    """A ticket, then its first comment and its appointment, which both need the new ticket's id (SYNCRO.md section 5)."""
    steps: list[ApiRequest[Any]] = [rq.create_ticket(ticket)]
    if comment:
        steps.append(rq.add_comment(Ref(0), subject=comment["subject"], body=comment["body"],
                                    hidden=comment["hidden"], do_not_email=comment["do_not_email"]))
    if appointment:
        steps.append(rq.create_appointment({**appointment, "ticket_id": Ref(0), "customer_id": ticket.get("customer_id")}))
    return Plan(kind="new ticket", title=f"New ticket for {customer_name}: {ticket.get('subject', '')}",
                steps=tuple(steps))


def change_ticket(ticket: TicketSummary, fields: Mapping[str, Any], *, kind: str, words: str) -> Plan:
    """One triage change (status, priority, assignee, close) as a plan: ``words`` says what changes."""
    who = ticket.customer_business_then_name or f"customer {ticket.customer_id}"
    return Plan(kind=kind, title=f"Ticket #{ticket.number} ({who}): {words}",
                steps=(rq.update_ticket(ticket.id, fields),), ticket_id=ticket.id)
