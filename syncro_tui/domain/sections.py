"""The queue's sections and the as-you-type filter, as data (no I/O).

A section either picks from the open tickets already loaded (My open, New /
unassigned, Customer Reply, All open, the config's saved filters), or names a
list Syncro has to send (a Syncro saved search, a server-side search, one
customer's tickets, today's appointments).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .queue import QueueRow

Match = Callable[["QueueRow"], bool]


class Source(StrEnum):
    QUEUE = "queue"  # a pick from the open tickets already loaded
    SAVED_SEARCH = "saved_search"  # GET /tickets?ticket_search_id=
    QUERY = "query"  # GET /tickets?query=
    CUSTOMER = "customer"  # GET /tickets?customer_id=
    APPOINTMENTS = "appointments"  # GET /appointments for today


@dataclass(frozen=True)
class Section:
    id: str
    label: str
    source: Source = Source.QUEUE
    match: Match | None = field(default=None, compare=False)
    #: The id or text sent to Syncro for a remote source.
    param: int | str | None = None

    def pick(self, tickets: Iterable[QueueRow]) -> list[QueueRow]:
        match = self.match
        return [t for t in tickets if match is None or match(t)]


def builtin_sections(user_id: int | None, *, new_status: str = "New", reply_status: str = "Customer Reply") -> list[Section]:
    """My open, New / unassigned, Customer Reply, All open, Today's appointments."""
    return [
        Section("mine", "My open", match=lambda t: user_id is not None and t.user_id == user_id),
        Section("new", "New / unassigned", match=lambda t: t.status == new_status or t.user_id is None),
        Section("reply", "Customer Reply", match=lambda t: t.status == reply_status),
        Section("all", "All open"),
        Section("appointments", "Today's appointments", Source.APPOINTMENTS),
    ]


def saved_filter(name: str, *, statuses: Sequence[str] = (), priorities: Sequence[str] = (),
                 user_ids: Sequence[int] = (), customer_ids: Sequence[int] = (), unassigned: bool = False,
                 text: str = "") -> Section:
    """A filter from the config: every condition given must hold."""
    needle = Needle(text)

    def match(t: QueueRow) -> bool:
        return ((not statuses or t.status in statuses)
                and (not priorities or t.priority in priorities)
                and (not user_ids or t.user_id in user_ids)
                and (not customer_ids or t.customer_id in customer_ids)
                and (not unassigned or t.user_id is None)
                and needle.matches(haystack(t)))

    return Section(f"filter:{name}", name, match=match)


def saved_search(search_id: int, name: str) -> Section:
    return Section(f"search:{search_id}", name, Source.SAVED_SEARCH, param=search_id)


def query_section(text: str) -> Section:
    return Section(f"query:{text}", f"Search: {text}", Source.QUERY, param=text)


def customer_section(customer_id: int, name: str) -> Section:
    return Section(f"customer:{customer_id}", f"Customer: {name}", Source.CUSTOMER, param=customer_id)


def haystack(ticket: QueueRow) -> str:
    """What the filter looks in: number, customer, subject and tech, lower-cased."""
    return f"#{ticket.number} {ticket.customer_business_then_name or ''} {ticket.subject} {ticket.tech_name or ''}".lower()


class Haystacks:
    """Each row's haystack, made once per version of the row (a row a refresh replaced is made again)."""

    def __init__(self) -> None:
        self._made: dict[int, tuple[QueueRow, str]] = {}

    def __len__(self) -> int:
        return len(self._made)

    def of(self, ticket: QueueRow) -> str:
        made = self._made.get(ticket.id)
        if made is None or made[0] is not ticket:
            made = self._made[ticket.id] = (ticket, haystack(ticket))
        return made[1]

    def forget(self, ticket_id: int) -> None:
        """A ticket that left the queue: its row is not kept here."""
        self._made.pop(ticket_id, None)


@dataclass(frozen=True)
class Needle:
    """The filter text: every word must appear (in any order) in the ticket's haystack."""

    text: str = ""
    words: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", tuple(self.text.lower().split()))

    def matches(self, hay: str) -> bool:
        return all(word in hay for word in self.words)

    def narrows(self, before: Needle) -> bool:
        """Whatever this matches, ``before`` matched too (each earlier word is inside one of these): a filter
        keystroke that only narrows can look at the rows already shown instead of every ticket."""
        return bool(before) and all(any(old in new for new in self.words) for old in before.words)

    def __bool__(self) -> bool:
        return bool(self.words)
