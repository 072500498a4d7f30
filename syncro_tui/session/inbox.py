"""The alerts of the day as an inbox, kept per profile on this machine (issue 36): no Textual here.

A refresh's alerts are held (``found``) until they can be shown (``take``), then
become the tickets' entries; each entry is written to the cache as it changes,
so the inbox survives a restart. The day is the account's: at midnight the
entries start again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..domain.alerts import Alert
from ..domain.inbox import EntryState, InboxEntry, alerted, settled

if TYPE_CHECKING:
    from ..cache import Cache


class Inbox:
    """Today's alerted tickets, by id, and the alerts found but not shown yet."""

    def __init__(self, cache: Callable[[], Cache | None], now: Callable[[], datetime],
                 zone: Callable[[], ZoneInfo]) -> None:
        """Each asked when needed: the app's session (and its cache) joins after the first frame."""
        self.cache = cache
        self.now = now
        self.zone = zone
        #: Alerts found while they could not be shown (a dialog was up).
        self.held: list[Alert] = []
        self.entries: dict[int, InboxEntry] = {}
        self._day: date | None = None
        self._kept: Cache | None = None

    def today(self) -> dict[int, InboxEntry]:
        """The entries of the account's today (read from the cache at the first look once there is one, and again
        each new day)."""
        day, cache = self.now().astimezone(self.zone()).date(), self.cache()
        if day != self._day or cache is not self._kept:
            self._day, self._kept = day, cache
            kept = cache.inbox(day.isoformat()) if cache is not None else []
            self.entries = {}
            for record in kept:
                try:
                    entry = InboxEntry.from_json(record)
                except (KeyError, ValueError, TypeError):  # an entry of an older app: let go
                    continue
                self.entries[entry.ticket_id] = entry
        return self.entries

    def found(self, alerts: Iterable[Alert]) -> None:
        self.held += alerts

    def take(self, in_queue: Collection[int]) -> list[Alert]:
        """The alerts held, now shown: each its ticket's entry, open (those still in the queue)."""
        held, self.held = self.held, []
        entries, at = self.today(), self.now()
        for alert in held:
            if alert.ticket.id in in_queue:
                self._put(alerted(entries.get(alert.ticket.id), alert, at))
        return held

    def open_ids(self) -> set[int]:
        """The tickets counted under ⚑: entries open, or snoozed until a time that has come."""
        now = self.now()
        return {t for t, entry in self.today().items() if entry.is_open(now)}

    def shown(self) -> list[InboxEntry]:
        """Every entry of the day, open first, newest first within each."""
        now = self.now()
        return sorted(self.today().values(), key=lambda e: (not e.is_open(now), -e.at.timestamp()))

    def settle(self, ticket_id: int, state: EntryState, until: datetime | None = None) -> bool:
        """The ticket's entry seen, done, snoozed (until ``until``) or gone; False when it was not open."""
        entry = self.today().get(ticket_id)
        if entry is None or not entry.is_open(self.now()) and state is not EntryState.SNOOZED:
            return False
        self._put(settled(entry, state, until))
        return True

    def _put(self, entry: InboxEntry) -> None:
        self.entries[entry.ticket_id] = entry
        if self._kept is not None and self._day is not None:
            self._kept.save_inbox_entry(self._day.isoformat(), entry.ticket_id, entry.to_json())
