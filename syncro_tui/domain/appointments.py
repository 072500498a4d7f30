"""Appointments: which ones a tech is looking at, and moving one (docs/rules.md §4 and §5; no I/O).

``GET /appointments`` ignores ``customer_id``, so appointments are listed by
date and filtered here, by the customer on the appointment or words in its
summary. A move is one ``PUT`` with the new start and end; Syncro's answer is
then checked against the time intended, because a time that lands an hour or
a day off is worse than one that fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from ..api.models import Appointment, BusinessHours
from .when import (DEFAULT_LENGTH, Booking, WhenProblem, booking, clashes, describe, describe_span, involves,
                   outside_hours)


class Span(StrEnum):
    TODAY = "today"
    WEEK = "week"


def days(span: Span, today: date) -> tuple[date, date]:
    """First and last day shown: today, or Monday to Sunday of this week."""
    if span is Span.TODAY:
        return today, today
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class Scope:
    """What the list shows: the span, mine or everyone's, and one customer (by id, with its name) or none."""

    span: Span = Span.TODAY
    mine: bool = True
    customer_id: int | None = None
    customer_name: str = ""

    def words(self, today: date) -> str:
        first, last = days(self.span, today)
        when = f"today, {first:%a %Y-%m-%d}" if self.span is Span.TODAY else f"this week, {first:%a %m-%d} to {last:%a %m-%d}"
        return (f"{'My' if self.mine else 'Everyone’s'} appointments {when}"
                + (f", for {self.customer_name}" if self.customer_id is not None else ""))


def in_scope(appointments: Iterable[Appointment], scope: Scope, *, user_id: int | None) -> list[Appointment]:
    """Client-side filters: the tech's own (owner or invited), and the customer (section 4: Syncro ignores it)."""
    out = []
    name = scope.customer_name.strip().lower()
    for appt in appointments:
        if scope.mine and not involves(appt, user_id):
            continue
        if scope.customer_id is not None and appt.customer_id != scope.customer_id and not (
                name and name in (appt.summary or "").lower()):
            continue
        out.append(appt)
    return sorted(out, key=lambda a: (a.start_at, a.id))


@dataclass
class MoveReview:
    """The move dialog's boxes checked: the new slot (or why there is none), and its warnings (never refusals)."""

    slot: Booking | None = None
    problem: str | None = None
    warnings: list[str] = field(default_factory=list)


def length_of(appt: Appointment) -> timedelta:
    """How long the appointment is (a moved one keeps its length unless the tech gives an end)."""
    return (appt.end_at - appt.start_at) if appt.end_at else DEFAULT_LENGTH


def review_move(appt: Appointment, start: str, end: str, *, now: datetime, tz: ZoneInfo,
                hours: Sequence[BusinessHours], owner_day: Iterable[Appointment]) -> MoveReview:
    """The new start and end as typed: outside business hours, in the past, or clashing with the owner's day."""
    try:
        slot = booking(start, end, now=now, tz=tz, length=length_of(appt))
    except WhenProblem as exc:
        return MoveReview(problem=str(exc))
    if slot.start == appt.start_at and slot.end == appt.end_at:
        return MoveReview(slot=slot, problem="That is the time it already has.")
    late = outside_hours(slot, hours, tz)
    warnings = [late] if late else []
    if slot.start < now:
        warnings.append("That is in the past.")
    for other in clashes(slot, owner_day, ignore=appt.id):
        warnings.append(f"The owner is busy then: {describe_span(other.start_at, other.end_at, tz)} "
                        f"{other.summary or ''}")
    return MoveReview(slot=slot, warnings=warnings)


def landed_wrong(saved: Appointment, slot: Booking, tz: ZoneInfo) -> str | None:
    """None when Syncro's answer starts (and ends) when intended; else what went wrong, in words."""
    if saved.start_at == slot.start and (saved.end_at is None or saved.end_at == slot.end):
        return None
    return (f"Syncro saved the appointment at {describe_span(saved.start_at, saved.end_at, tz)}, not at "
            f"{describe(slot.start, tz)} as intended. Open it in Syncro and set the time by hand; "
            "do not send the move again until you have looked.")

