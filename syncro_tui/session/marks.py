"""The tickets the tech marked in the queue (``space``, ``*``) to change all at once (issue 36). No Textual."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..domain.queue import QueueRow


class Marks:
    """The marked tickets' ids; and how many marked tickets left the queue since the tech last marked or
    unmarked one (the status bar says so until then)."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.gone = 0

    def toggle(self, ticket_id: int) -> bool:
        """``space``: marked, or unmarked when it was; True when it is marked now."""
        self.gone = 0
        if ticket_id in self.ids:
            self.ids.discard(ticket_id)
            return False
        self.ids.add(ticket_id)
        return True

    def add(self, ticket_ids: Iterable[int]) -> set[int]:
        """``*``: every ticket given marked; those newly marked."""
        self.gone = 0
        new = set(ticket_ids) - self.ids
        self.ids |= new
        return new

    def clear(self) -> set[int]:
        """``escape``: none marked any more; those that were."""
        self.gone = 0
        was, self.ids = self.ids, set()
        return was

    def left(self, ticket_id: int) -> None:
        """The ticket left the queue: unmarked, and counted for the status bar."""
        if ticket_id in self.ids:
            self.ids.discard(ticket_id)
            self.gone += 1

    def rows(self, *sources: Iterable[QueueRow]) -> list[QueueRow]:
        """The marked tickets, in the order of the first source that has each (the rows shown, then the rest)."""
        seen: set[int] = set()
        out = []
        for row in (r for source in sources for r in source):
            if row.id in self.ids and row.id not in seen:
                seen.add(row.id)
                out.append(row)
        return out

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids)
