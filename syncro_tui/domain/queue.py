"""The open-ticket queue as data: merging refreshes, ordering, ages. No I/O."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..api.models import Meta, TicketSummary


def _shared(text: str | None) -> str | None:
    """One copy of text that thousands of rows repeat (statuses, priorities, customers, techs)."""
    return sys.intern(text) if text else text


@dataclass(frozen=True, slots=True)
class QueueRow:
    """A ticket as the queue shows, sorts, filters and triages it: what a row needs, not the whole ticket.

    A listed ticket (``TicketSummary``) is about 5 KB in memory: a pydantic object with its field set,
    the tech's record and the shop's custom fields. A row keeps a dozen fields in slots, repeated text
    shared and times in UTC (one zone object for all), about a tenth of that. The ticket screen reads the
    whole ticket when it is opened. Field names are the listed ticket's, so a row stands in for one.
    """

    id: int
    number: int
    subject: str
    status: str
    priority: str | None
    customer_id: int | None
    customer_business_then_name: str | None
    user_id: int | None
    #: The assigned tech's name as Syncro lists it (None when unassigned, or when Syncro leaves it out).
    tech_name: str | None
    created_at: datetime
    updated_at: datetime
    due_date: datetime | None = None
    problem_type: str | None = None
    customer_reply: bool = False
    sla_breached: bool = False
    sla_breaching_soon: bool = False
    #: Where the row sorts in the queue (``sort_key``), worked out once: a refresh places its arrivals by walking
    #: every row shown, and 5,000 keys built afresh cost more than the rest of the refresh.
    order: tuple[int, float, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "order", (priority_rank(self.priority), -self.updated_at.timestamp(), -self.number))

    @classmethod
    def of(cls, ticket: TicketSummary) -> QueueRow:
        return cls(
            id=ticket.id, number=ticket.number, subject=ticket.subject, status=_shared(ticket.status) or "",
            priority=_shared(ticket.priority), customer_id=ticket.customer_id,
            customer_business_then_name=_shared(ticket.customer_business_then_name), user_id=ticket.user_id,
            tech_name=_shared(ticket.user.full_name if ticket.user else None),
            created_at=ticket.created_at.astimezone(UTC), updated_at=ticket.updated_at.astimezone(UTC),
            due_date=ticket.due_date.astimezone(UTC) if ticket.due_date else None,
            problem_type=_shared(ticket.problem_type), customer_reply=ticket.customer_reply,
            sla_breached=ticket.sla_breached, sla_breaching_soon=ticket.sla_breaching_soon)

    # ------------------------------------------------------------ as the local cache keeps it
    def record(self) -> dict[str, Any]:
        """The row as plain JSON values (times as ISO 8601 text)."""
        out = {f.name: getattr(self, f.name) for f in _FIELDS}
        for name in _TIMES:
            out[name] = out[name].isoformat() if out[name] is not None else None
        return out

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> QueueRow:
        """A row from ``record()``; KeyError, TypeError or ValueError when it is not one."""
        values = {f.name: record[f.name] for f in _FIELDS}
        for name in _TIMES:
            text = values[name]
            values[name] = datetime.fromisoformat(text).astimezone(UTC) if text is not None else None
            if name != "due_date" and values[name] is None:
                raise ValueError(f"{name} is required")
        if not isinstance(values["id"], int) or not isinstance(values["number"], int):
            raise TypeError("a row's id and number are whole numbers")
        for name in ("status", "priority", "customer_business_then_name", "tech_name", "problem_type"):
            values[name] = _shared(values[name])
        return cls(**values)


_FIELDS = tuple(f for f in fields(QueueRow) if f.init)
_VERSIONS = itertools.count(1)
_TIMES = ("created_at", "updated_at", "due_date")

#: Most urgent first; unknown priorities after the known ones.
PRIORITY_ORDER = {"4 Urgent": 0, "0 Urgent": 0, "1 High": 1, "2 Normal": 2, "3 Low": 3}


def priority_rank(priority: str | None) -> int:
    return PRIORITY_ORDER.get(priority or "", 5)


def sort_key(ticket: QueueRow) -> tuple[int, float, int]:
    """Most urgent, then most recently updated, then the newest number: the same order on every start."""
    return ticket.order


#: What each sortable column sorts by, ascending (ties: the queue's own order). Age ascending is youngest first.
COLUMN_KEYS: dict[str, Callable[[QueueRow], Any]] = {
    "number": lambda t: t.number,
    "status": lambda t: t.status.lower(),
    "priority": lambda t: priority_rank(t.priority),
    "customer": lambda t: (t.customer_business_then_name or "").lower(),
    "subject": lambda t: t.subject.lower(),
    "due": lambda t: (t.due_date is None, t.due_date.timestamp() if t.due_date else 0.0),
    "tech": lambda t: (t.tech_name is None, (t.tech_name or "").lower()),
    "age": lambda t: -t.created_at.timestamp(),
    "updated": lambda t: t.updated_at.timestamp(),
}


def sort_rows(rows: Iterable[QueueRow], column: str | None, *, descending: bool = False) -> list[QueueRow]:
    """Rows by a column (None: the queue's order), ties in the queue's order whichever way the column runs."""
    ordered = sorted(rows, key=sort_key)
    if column is None:
        return ordered[::-1] if descending else ordered
    return sorted(ordered, key=COLUMN_KEYS[column], reverse=descending)  # stable: ties keep the queue's order


#: Syncro's stock statuses in at most 10 cells, each unlike the others (cut, the three "Waiting…" looked alike).
SHORT_STATUS = {"In Progress": "In prog", "Waiting on Customer": "Wait cust", "Waiting on Vendor": "Wait vend",
                "Waiting for Parts": "Wait parts", "Customer Reply": "Cust reply", "Scheduled": "Scheduled"}
_FILLER = {"on", "for", "the", "to", "of", "a", "by", "with"}


def short_status(status: str, width: int = 10) -> str:
    """A status in ``width`` cells for a narrow queue, keeping what tells it from its neighbours: the first
    word's start and the last word ("Waiting on Customer" and "Waiting on Vendor" stay apart)."""
    if status in SHORT_STATUS:
        return SHORT_STATUS[status]
    if len(status) <= width:
        return status
    words = [w for w in status.split() if w.lower() not in _FILLER] or status.split()
    if len(words) < 2:
        return status[:width - 1] + "…"
    first = words[0][:4]
    return f"{first} {words[-1][:width - len(first) - 1].lower()}"


#: The due column's words when it has under 12 cells.
SHORT_DUE = {"SLA breached": "SLA breach", "SLA due soon": "SLA soon"}


def short_due(text: str, width: int = 10) -> str:
    """The due column's words in ``width`` cells: "SLA breach", and a far date without its hour ("Nov 29")."""
    if text in SHORT_DUE:
        return SHORT_DUE[text]
    day, _, hour = text.rpartition(" ")
    return day if len(text) > width and day and hour[:2].isdigit() and ":" in hour else text


#: The mark a changed row carries until looked at, by what changed (README: "What the marks say").
MARKS = {"priority": "P", "tech": "T", "status": "S", "new": "+", "other": "●"}


def change_mark(before: QueueRow | None, after: QueueRow) -> str:
    """What changed, as the row's mark: P priority, T tech, S status, + new to the queue, ● anything else
    (Syncro's list does not say what: a comment, a reply, a field the queue does not show)."""
    if before is None:
        return MARKS["new"]
    if before.priority != after.priority:
        return MARKS["priority"]
    if before.user_id != after.user_id:
        return MARKS["tech"]
    if before.status != after.status:
        return MARKS["status"]
    return MARKS["other"]


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
    added: list[QueueRow] = field(default_factory=list)
    updated: list[QueueRow] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class Queue:
    """The open tickets the tech sees, keyed by ticket id."""

    closed_statuses: frozenset[str] = frozenset({"Resolved", "Invoiced", "Closed"})
    tickets: dict[int, QueueRow] = field(default_factory=dict)
    #: Newest updated_at seen, in Syncro's clock: the next delta fetch asks from here.
    watermark: datetime | None = None
    _ordered: list[QueueRow] | None = field(default=None, init=False, repr=False, compare=False)
    #: New whenever the tickets may have changed (unique across queues): what is worked out from them is kept
    #: until it changes.
    version: int = field(default_factory=lambda: next(_VERSIONS), init=False, compare=False)

    def is_open(self, ticket: QueueRow) -> bool:
        return ticket.status not in self.closed_statuses

    def merge(self, delta: Iterable[QueueRow], *, advance: bool = True) -> Changes:
        """Apply tickets changed since the watermark (any status): closed ones leave the queue.

        A page of a full load merges with ``advance=False``: the watermark moves only once every
        page is in (``loaded``), or a load cut short would make the next refresh skip the rest.
        """
        changes = Changes()
        self._ordered = None
        self.version = next(_VERSIONS)
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
        self.version = next(_VERSIONS)
        self.watermark = max((t.updated_at for t in self.tickets.values()), default=self.watermark)
        return Changes(removed=gone)

    def ordered(self) -> list[QueueRow]:
        """Most urgent first, then most recently updated (kept until the tickets change)."""
        if self._ordered is None:
            self._ordered = sorted(self.tickets.values(), key=sort_key)
        return self._ordered


def insert_in_order(rows: Sequence[int], arrivals: Sequence[QueueRow],
                    tickets: Mapping[int, QueueRow]) -> list[int]:
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
            key = shown.order  # sort_key, without a call per row
            while arrival is not None and key > arrival.order:
                out.append(arrival.id)
                arrival = next(pending, None)
        out.append(ticket_id)
    while arrival is not None:
        out.append(arrival.id)
        arrival = next(pending, None)
    return out


def loading_progress(loaded: int, meta: Meta) -> str:
    """ "loading 1,200 of 5,000" while a full load's pages arrive (Syncro's count when it gives one)."""
    if meta.page >= meta.total_pages:
        return ""
    total = meta.total_entries
    return f"loading {loaded:,} of {total:,}" if total else f"loading {loaded:,} (page {meta.page} of {meta.total_pages})"
