"""What a tech must not miss, found in a refresh's changes (issue 19). No I/O.

A refresh's rows are compared with the rows they replace: a new ticket in one of
the tech's sections, a customer reply on a ticket of theirs, a ticket newly
assigned to them, a priority raised to urgent, an SLA about to breach or
breached. At most one alert per ticket per refresh: the most pressing. Syncro's
ticket list does not say who made a change, so an alert says what changed, not
by whom.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .queue import QueueRow, priority_rank
from .text import counted


class AlertKind(StrEnum):
    """The kinds, most pressing first; the value is the key in the config's ``[alerts]``."""

    SLA_BREACHED = "sla_breached"
    URGENT = "urgent"
    ASSIGNED = "assigned"
    CUSTOMER_REPLY = "customer_reply"
    NEW_TICKET = "new_ticket"
    SLA_SOON = "sla_soon"


#: How many of a kind a refresh shows one by one; more are told in one notice ("20 new tickets").
EACH_UP_TO = 3
#: A group's title, "20 new tickets": the words for one and for many (``counted``; a group is never one).
GROUP_WORDS = {AlertKind.SLA_BREACHED: ("ticket", "tickets: SLA breached"),
               AlertKind.URGENT: ("ticket", "tickets raised to urgent"),
               AlertKind.ASSIGNED: ("ticket", "tickets assigned to you"),
               AlertKind.CUSTOMER_REPLY: ("customer reply", "customer replies"),
               AlertKind.NEW_TICKET: ("new ticket", "new tickets"),
               AlertKind.SLA_SOON: ("ticket", "tickets: SLA about to breach")}
WORDS = {AlertKind.SLA_BREACHED: "SLA breached", AlertKind.URGENT: "Raised to urgent",
         AlertKind.ASSIGNED: "Assigned to you", AlertKind.CUSTOMER_REPLY: "Customer reply",
         AlertKind.NEW_TICKET: "New ticket", AlertKind.SLA_SOON: "SLA about to breach"}
ORDER = list(AlertKind)


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    ticket: QueueRow

    @property
    def title(self) -> str:
        return WORDS[self.kind]

    @property
    def text(self) -> str:
        who = self.ticket.customer_business_then_name or f"customer {self.ticket.customer_id}"
        return f"#{self.ticket.number} {who}: {self.ticket.subject}"


def kinds(before: QueueRow | None, after: QueueRow, *, me: int | None, mine: Callable[[QueueRow], bool],
          reply_status: str = "Customer Reply") -> list[AlertKind]:
    """Every alert ``after`` raises over ``before`` (None: the ticket is new to the queue)."""
    out = []
    if after.sla_breached and not (before and before.sla_breached):
        out.append(AlertKind.SLA_BREACHED)
    if priority_rank(after.priority) == 0 and (before is None or priority_rank(before.priority) != 0):
        if before is not None or mine(after):
            out.append(AlertKind.URGENT)
    if me is not None and after.user_id == me and before is not None and before.user_id != me:
        out.append(AlertKind.ASSIGNED)
    replied = after.status == reply_status or after.customer_reply
    if me is not None and after.user_id == me and replied and not (
            before and (before.status == reply_status or before.customer_reply)):
        out.append(AlertKind.CUSTOMER_REPLY)
    if before is None and mine(after):
        out.append(AlertKind.NEW_TICKET)
    if after.sla_breaching_soon and not after.sla_breached and not (before and before.sla_breaching_soon):
        out.append(AlertKind.SLA_SOON)
    return out


#: What a write of the tech's own can raise (a ticket they made, assigned or raised, a status they set): on a ticket
#: this window wrote to, these are theirs. A customer's reply (the flag Syncro sets on the customer's comment) and an
#: SLA's clock are never the tech's doing, so they are said even then: a reply that lands in the minute of a bulk
#: assign is not lost in it.
OWN_DOING = frozenset({AlertKind.ASSIGNED, AlertKind.URGENT, AlertKind.NEW_TICKET})


def alerts(changed: Iterable[QueueRow], before: Mapping[int, QueueRow], *, me: int | None,
           mine: Callable[[QueueRow], bool], wanted: Callable[[AlertKind], bool] = lambda kind: True,
           own: Collection[int] = ()) -> list[Alert]:
    """One alert per ticket that raised any the tech wants: its most pressing kind.

    ``mine``: the tech's own sections (theirs, or new and unassigned); ``wanted``: the kinds the config keeps;
    ``own``: the tickets this window's writes changed, where what a write can do is the tech's own (``OWN_DOING``,
    and a reply status with no customer's reply behind it).
    """
    out = []
    for ticket in changed:
        found = [k for k in kinds(before.get(ticket.id), ticket, me=me, mine=mine) if wanted(k)]
        if ticket.id in own:
            found = [k for k in found if k not in OWN_DOING
                     and not (k is AlertKind.CUSTOMER_REPLY and not ticket.customer_reply)]
        if found:
            out.append(Alert(min(found, key=ORDER.index), ticket))
    return out


@dataclass(frozen=True)
class Notice:
    """What one toast (or desktop notice) says: one alert, or every alert of a kind when a refresh brought many."""

    kind: AlertKind
    title: str
    text: str
    tickets: tuple[int, ...]


def notices(held: Iterable[Alert], *, each_up_to: int = EACH_UP_TO) -> list[Notice]:
    """One notice per alert, except a kind with more than ``each_up_to`` in one go (a morning's burst of new
    tickets): one notice for them, naming the first few, so twenty arrivals are one toast, not twenty."""
    by_kind: dict[AlertKind, list[Alert]] = {}
    for alert in held:
        by_kind.setdefault(alert.kind, []).append(alert)
    out: list[Notice] = []
    for kind in ORDER:
        group = by_kind.get(kind, [])
        if len(group) <= each_up_to:
            out.extend(Notice(kind, a.title, a.text, (a.ticket.id,)) for a in group)
            continue
        lines = [a.text for a in group[:each_up_to]] + [f"and {len(group) - each_up_to:,} more"]
        out.append(Notice(kind, counted(len(group), *GROUP_WORDS[kind]), "\n".join(lines),
                          tuple(a.ticket.id for a in group)))
    return out
