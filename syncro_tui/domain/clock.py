"""The work clock (issue 20): time kept while the tech works, not typed after the fact. No I/O.

A clock belongs to a ticket and is a run of spans (start, end; the last one
open while it runs). Pausing closes the span, resuming opens a new one, and
stopping closes it for good: the clock then waits to be billed, and only a
billing run of its ticket (or the tech) discards it. Times are UTC; what the
tech reads is in the account's zone. Minutes are the time worked, to the
nearest minute and never less than one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..api.models import Timer

#: A clock longer than this asks before its minutes are used: usually one left running.
LONG = timedelta(hours=4)


@dataclass(frozen=True)
class Clock:
    ticket_id: int
    number: int
    subject: str
    spans: tuple[tuple[datetime, datetime | None], ...]
    #: Stopped: the time is kept for the billing run, and the clock no longer runs.
    stopped: bool = False

    @classmethod
    def start(cls, ticket_id: int, number: int, subject: str, now: datetime) -> Clock:
        return cls(ticket_id, number, subject, ((now, None),))

    @property
    def running(self) -> bool:
        return not self.stopped and self.spans[-1][1] is None

    @property
    def paused(self) -> bool:
        return not self.stopped and not self.running

    @property
    def started_at(self) -> datetime:
        return self.spans[0][0]

    def ended_at(self, now: datetime) -> datetime:
        """When the work ended: the last span's end, or now while it runs."""
        return self.spans[-1][1] or now

    def worked(self, now: datetime) -> timedelta:
        return sum(((end or now) - start for start, end in self.spans), timedelta())

    def minutes(self, now: datetime) -> int:
        """The time worked, to the nearest minute; a clock started is at least a minute of work."""
        return max(1, int((self.worked(now).total_seconds() + 30) // 60))

    def pause(self, now: datetime) -> Clock:
        if not self.running:
            return self
        return replace(self, spans=(*self.spans[:-1], (self.spans[-1][0], now)))

    def resume(self, now: datetime) -> Clock:
        if not self.paused:
            return self
        return replace(self, spans=(*self.spans, (now, None)))

    def stop(self, now: datetime) -> Clock:
        return replace(self.pause(now), stopped=True)

    def toggled(self, now: datetime) -> Clock:
        """``w``: a running clock pauses, a paused one resumes (a stopped one waits for its billing)."""
        return self.pause(now) if self.running else self.resume(now)

    def shown(self, now: datetime) -> str:
        """ "#31996 ▶ 0:25" for the status bar: running ▶, paused ‖, stopped and waiting to be billed ■."""
        mark = "▶" if self.running else "■" if self.stopped else "‖"
        total = int(self.worked(now).total_seconds() // 60)
        return f"#{self.number} {mark} {total // 60}:{total % 60:02d}"

    def record(self) -> dict[str, Any]:
        return {"ticket_id": self.ticket_id, "number": self.number, "subject": self.subject, "stopped": self.stopped,
                "spans": [[start.isoformat(), end.isoformat() if end else None] for start, end in self.spans]}

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> Clock:
        """A clock as kept on disk; ValueError (or KeyError, TypeError) when it is not one."""
        spans = tuple((datetime.fromisoformat(s), datetime.fromisoformat(e) if e else None) for s, e in data["spans"])
        if not spans or any(s.tzinfo is None or (e is not None and (e.tzinfo is None or e < s)) for s, e in spans):
            raise ValueError("a clock's spans must be timezone-aware, in order, and not empty")
        if any(e is None for _, e in spans[:-1]):
            raise ValueError("only a clock's last span may be open")
        return cls(int(data["ticket_id"]), int(data["number"]), str(data["subject"]), spans, bool(data.get("stopped")))


@dataclass(frozen=True)
class LiveTimer:
    """A Syncro timer of the tech's own, running or paused (2026's live timers: docs/rules.md §13), as last read:
    the work clock kept in Syncro, which its web and the tech's other machines see."""

    timer: Timer
    #: The ticket's number, where the app has it (a timer names only the ticket's id).
    number: int | None
    #: When Syncro said how long it had run (a running timer has run on since).
    read_at: datetime

    @property
    def running(self) -> bool:
        return self.timer.status == "running"

    def worked(self, now: datetime) -> timedelta:
        return timedelta(seconds=self.timer.seconds) + (now - self.read_at if self.running else timedelta())

    def minutes(self, now: datetime) -> int:
        return int(self.worked(now).total_seconds() // 60)

    def shown(self, now: datetime) -> str:
        """ "#31996 ▶ 0:25 in Syncro" for the status bar."""
        total = self.minutes(now)
        where = f"#{self.number}" if self.number is not None else f"ticket id {self.timer.ticket_id}"
        return f"{where} {'▶' if self.running else '‖'} {total // 60}:{total % 60:02d} in Syncro"


def concerns(clock: Clock, now: datetime, tz: ZoneInfo) -> list[str]:
    """Why its minutes should be looked at before they are billed: very long, or across midnight."""
    out = []
    worked = clock.worked(now)
    if worked > LONG:
        hours, minutes = divmod(int(worked.total_seconds() // 60), 60)
        out.append(f"The clock has {hours} h {minutes:02d} min on it: more than {int(LONG.total_seconds() // 3600)} "
                   "hours, often a clock left running. Is all of it work?")
    start, end = clock.started_at.astimezone(tz), clock.ended_at(now).astimezone(tz)
    if start.date() != end.date():
        out.append(f"The clock ran across midnight ({start:%a %d %b %H:%M} to {end:%a %d %b %H:%M}): one run bills "
                   "it as work that ended on the second day.")
    return out
