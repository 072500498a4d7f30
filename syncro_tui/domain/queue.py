"""The open-ticket queue as data: merging refreshes, ordering, ages. No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..api.models import TicketSummary

#: Most urgent first; unknown priorities after the known ones.
PRIORITY_ORDER = {"4 Urgent": 0, "0 Urgent": 0, "1 High": 1, "2 Normal": 2, "3 Low": 3}


def priority_rank(priority: str | None) -> int:
    return PRIORITY_ORDER.get(priority or "", 5)


def sort_key(ticket: TicketSummary) -> tuple[int, float, int]:
    """Most urgent, then most recently updated, then the newest number: the same order on every start."""
    return (priority_rank(ticket.priority), -ticket.updated_at.timestamp(), -ticket.number)


def age(since: datetime, now: datetime) -> str:
    """A compact age: 45m, 5h, 3d, 6w."""
    delta = max(now - since, timedelta(0))
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 24:
        return f"{hours}h"
    days = hours // 24
    return f"{days}d" if days < 14 else f"{days // 7}w"


@dataclass
class Changes:
    added: list[TicketSummary] = field(default_factory=list)
    updated: list[TicketSummary] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class Queue:
    """The open tickets the tech sees, keyed by ticket id."""

    closed_statuses: frozenset[str] = frozenset({"Resolved", "Invoiced", "Closed"})
    tickets: dict[int, TicketSummary] = field(default_factory=dict)
    #: Newest updated_at seen, in Syncro's clock: the next delta fetch asks from here.
    watermark: datetime | None = None
    _ordered: list[TicketSummary] | None = field(default=None, init=False, repr=False, compare=False)

    def is_open(self, ticket: TicketSummary) -> bool:
        return ticket.status not in self.closed_statuses

    def merge(self, delta: Iterable[TicketSummary], *, advance: bool = True) -> Changes:
        """Apply tickets changed since the watermark (any status): closed ones leave the queue.

        A page of a full load merges with ``advance=False``: the watermark moves only once every
        page is in (``loaded``), or a load cut short would make the next refresh skip the rest.
        """
        changes = Changes()
        self._ordered = None
        for ticket in delta:
            if advance and (self.watermark is None or ticket.updated_at > self.watermark):
                self.watermark = ticket.updated_at
            known = self.tickets.get(ticket.id)
            if not self.is_open(ticket):
                if known is not None:
                    del self.tickets[ticket.id]
                    changes.removed.append(ticket.id)
                continue
            if known is None:
                changes.added.append(ticket)
            elif known != ticket:
                changes.updated.append(ticket)
            else:
                continue
            self.tickets[ticket.id] = ticket
        return changes

    def loaded(self, seen: set[int]) -> Changes:
        """A full load is in: the tickets it did not list have left the queue; the watermark moves on."""
        gone = [ticket_id for ticket_id in self.tickets if ticket_id not in seen]
        for ticket_id in gone:
            del self.tickets[ticket_id]
        self._ordered = None
        self.watermark = max((t.updated_at for t in self.tickets.values()), default=self.watermark)
        return Changes(removed=gone)

    def ordered(self) -> list[TicketSummary]:
        """Most urgent first, then most recently updated (kept until the tickets change)."""
        if self._ordered is None:
            self._ordered = sorted(self.tickets.values(), key=sort_key)
        return self._ordered


def insert_in_order(rows: Sequence[int], arrivals: Sequence[TicketSummary],
                    tickets: Mapping[int, TicketSummary]) -> list[int]:
    """Rows keep their places; each arrival goes before the first row that sorts after it. One pass.

    ``arrivals`` must be in queue order (``sort_key``). The first row after an arrival can only move
    later for a later arrival, so one walk over the rows places them all: N + k, not N × k.
    """
    out: list[int] = []
    pending = iter(arrivals)
    arrival = next(pending, None)
    for ticket_id in rows:
        shown = tickets.get(ticket_id)
        if shown is not None:
            key = sort_key(shown)
            while arrival is not None and key > sort_key(arrival):
                out.append(arrival.id)
                arrival = next(pending, None)
        out.append(ticket_id)
    while arrival is not None:
        out.append(arrival.id)
        arrival = next(pending, None)
    return out
