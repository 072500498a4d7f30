"""The day's alerts as an inbox (issue 36): one entry per ticket alerted today, open until seen, done or
snoozed. No I/O: ``session/inbox.py`` keeps the entries on disk, per profile.

An entry is open from its alert until the tech looks at the ticket (the cursor
on its row), marks it done, or snoozes it. A snooze ends at its time, or at the
ticket's next alert, whichever comes first: a snoozed ticket that changes again
comes back. The status bar's ⚑ is the count of open entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from .alerts import Alert, AlertKind
from .when import WhenProblem, parse_time_of_day, parse_when

#: "tomorrow" snoozes until this time of the next day.
MORNING = time(8, 0)
SNOOZE_HELP = "a time today (2pm, 14:30), “tomorrow”, a day and a time (fri 9am), or a wait (30m, 2h)"


class EntryState(StrEnum):
    OPEN = "open"
    SEEN = "seen"  # the cursor was on its row
    DONE = "done"  # marked done in the inbox
    SNOOZED = "snoozed"
    GONE = "gone"  # the ticket left the queue


@dataclass(frozen=True)
class InboxEntry:
    ticket_id: int
    number: int
    kind: AlertKind
    #: The ticket in words ("#31996 Acme Dental: Printer offline"), as its alert said it.
    words: str
    at: datetime
    state: EntryState = EntryState.OPEN
    until: datetime | None = None
    #: How many alerts the ticket raised today.
    alerts: int = 1

    def is_open(self, now: datetime) -> bool:
        """Counted under ⚑: open, or snoozed until a time that has come."""
        return self.state is EntryState.OPEN or (
            self.state is EntryState.SNOOZED and self.until is not None and self.until <= now)

    def to_json(self) -> dict[str, Any]:
        return {"ticket_id": self.ticket_id, "number": self.number, "kind": self.kind.value, "words": self.words,
                "at": self.at.isoformat(), "state": self.state.value,
                "until": self.until.isoformat() if self.until else None, "alerts": self.alerts}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InboxEntry:
        return cls(int(data["ticket_id"]), int(data["number"]), AlertKind(data["kind"]), str(data["words"]),
                   datetime.fromisoformat(data["at"]), EntryState(data["state"]),
                   datetime.fromisoformat(data["until"]) if data.get("until") else None, int(data.get("alerts", 1)))


def alerted(entry: InboxEntry | None, alert: Alert, at: datetime) -> InboxEntry:
    """The ticket's entry after a new alert: open again (a snooze or a done ends), with what changed now."""
    ticket = alert.ticket
    return InboxEntry(ticket.id, ticket.number, alert.kind, alert.text, at, alerts=entry.alerts + 1 if entry else 1)


def settled(entry: InboxEntry, state: EntryState, until: datetime | None = None) -> InboxEntry:
    return replace(entry, state=state, until=until)


_WAIT = re.compile(r"^\s*(\d{1,3})\s*(m|min|mins|minutes?|h|hr|hrs|hours?)\s*$", re.IGNORECASE)


def snooze_until(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """When a snooze typed by the tech ends, in ``tz``: "2pm" (today; tomorrow once it has passed), "tomorrow"
    (8:00), "fri 9am", "30m", "2h". Raises ``WhenProblem`` with words for anything else."""
    text = text.strip()
    local = now.astimezone(tz)
    wait = _WAIT.match(text)
    if wait:
        amount, unit = int(wait.group(1)), wait.group(2).lower()
        return local + (timedelta(hours=amount) if unit.startswith("h") else timedelta(minutes=amount))
    if text.lower() == "tomorrow":
        return datetime.combine(local.date() + timedelta(days=1), MORNING, tzinfo=tz)
    if len(text.split()) == 1:
        try:
            at = datetime.combine(local.date(), parse_time_of_day(text), tzinfo=tz)
        except WhenProblem:
            raise WhenProblem(f"Snooze until {SNOOZE_HELP}.") from None
        return at if at > local else at + timedelta(days=1)
    until = parse_when(text, now=now, tz=tz)
    if until <= local:
        raise WhenProblem("That time has passed: snooze until a time still ahead.")
    return until
