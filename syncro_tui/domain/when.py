"""Dates and times as a tech types them, in the account's time zone, and the checks on a booking (no I/O).

Every time is shown with its weekday and zone ("Tue 2026-11-24 10:00 CST"),
because an appointment once landed on the wrong day when "Saturday" was
worked out by hand. A booking is checked against the account's business hours
and the tech's other appointments; those are warnings, never refusals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .text import clean

if TYPE_CHECKING:  # the queue shows due dates before the first frame, when pydantic is not loaded yet
    from ..api.models import Appointment, BusinessHours

#: An appointment made with no end lasts this long (docs/rules.md §5).
DEFAULT_LENGTH = timedelta(minutes=90)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TIME_HELP = "YYYY-MM-DD HH:MM, or today / tomorrow / a weekday, then a time (tomorrow 9:30, fri 2pm)"
DATE_HELP = "YYYY-MM-DD, today, tomorrow, yesterday or a weekday"


class WhenProblem(ValueError):
    """The text is not a date or time the app can be sure of; the message says what to write."""


_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.ASCII)


def parse_time_of_day(text: str) -> time:
    match = _TIME.match(text.strip().lower())
    if not match:
        raise WhenProblem(f"“{clean(text)}” is not a time: write 14:30, 9:00 or 2pm.")
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise WhenProblem(f"“{text}”: with am/pm the hour is 1 to 12.")
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match[2] is None:
        raise WhenProblem(f"“{text}” is not a time: write 14:00 or 2pm.")
    if hour > 23 or minute > 59:
        raise WhenProblem(f"“{text}” is not a time of day.")
    return time(hour, minute)


def parse_day(text: str, *, today: date, past: bool = False) -> date:
    """A day: ISO, today, tomorrow, yesterday, or a weekday.

    A weekday is the next one after today ("fri" on a Friday is a week ahead), or with ``past``
    (when work ended) the last one up to today ("fri" on a Friday is today).
    """
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    if word == "yesterday":
        return today - timedelta(days=1)
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            if past:
                return today - timedelta(days=(today.weekday() - index) % 7)
            ahead = (index - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    try:
        day = date.fromisoformat(word)
    except ValueError:
        raise WhenProblem(f"“{clean(text)}” is not a day: write {DATE_HELP}.") from None
    _within_reach(day, today)
    return day


# ------------------------------------------------------------ due dates: one rule for a day without a time
def due_at(day: date, tz: ZoneInfo) -> datetime:
    """A due date typed as a day, as it is sent: the start of that day in the account's zone.

    Sent as a bare date, Syncro keeps midnight UTC, which the account's zone west of Greenwich shows
    as the evening before ("fri" became "Thu Dec 03, 18:00" in Chicago).
    """
    return datetime.combine(day, time(0), tz)


@dataclass(frozen=True)
class Due:
    """A ticket's due date as the tech reads it: the day in the account's zone, and its time if it has one."""

    day: date
    at: time | None
    overdue: bool
    today: bool

    def text(self, today: date) -> str:
        """ "today", "Fri" within the week, else "Dec 04" ("Dec 04 2027" another year); its time when it has one.
        At most 12 characters."""
        ahead = (self.day - today).days
        if ahead == 0:
            words = "today"
        elif 0 < ahead < 7:
            words = f"{self.day:%a}"
        elif self.day.year != today.year:
            return f"{self.day:%b %d %Y}"
        else:
            words = f"{self.day:%b %d}"
        return f"{words} {self.at:%H:%M}" if self.at is not None else words


def due(moment: datetime, *, tz: ZoneInfo, now: datetime) -> Due:
    """What a stored due date means. A day without a time, sent by this app (midnight in the zone) or as a bare
    date by anything else (midnight UTC), is that day, whole: overdue only once it has passed in the zone."""
    utc, local = moment.astimezone(UTC), moment.astimezone(tz)
    today = now.astimezone(tz).date()
    if local.time() == time(0) or utc.time() == time(0):
        day = local.date() if local.time() == time(0) else utc.date()
        return Due(day, None, overdue=day < today, today=day == today)
    return Due(local.date(), local.time().replace(second=0, microsecond=0), overdue=moment < now,
               today=local.date() == today)


def parse_when(text: str, *, now: datetime, tz: ZoneInfo, past: bool = False) -> datetime:
    """A moment typed by a tech (every form and the command line read times through this), aware, in ``tz``.

    "now"; a day and a time in the account's zone ("fri 2pm", "2026-11-24 10:00"; ``past`` as for
    ``parse_day``); or ISO 8601 with its own offset ("2026-11-20T16:30-06:00"), kept as that moment.
    """
    text = text.strip()
    if len(text) > 60:
        raise WhenProblem(f"That is {len(text):,} characters, not a time: write {TIME_HELP}.")
    if text.lower() == "now":
        return now.astimezone(tz)
    words = text.split(maxsplit=1)
    if len(words) == 1 and "T" in text:
        try:
            stamped = datetime.fromisoformat(text)
        except ValueError:
            raise WhenProblem(f"“{clean(text)}” is not a time: write {TIME_HELP}.") from None
        if stamped.tzinfo is None:
            raise WhenProblem(f"“{clean(text)}” has no time zone: add one (2026-11-20T16:30-06:00), or write a day "
                              f"and a time in the account's zone ({tz.key}).")
        _within_reach(stamped.date(), now.date())
        return stamped.astimezone(tz)
    if len(words) != 2:
        raise WhenProblem(f"Write a day and a time: {TIME_HELP}.")
    day = parse_day(words[0], today=now.astimezone(tz).date(), past=past)
    moment = datetime.combine(day, parse_time_of_day(words[1]), tzinfo=tz)
    if moment.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise WhenProblem(f"{moment:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks change then.")
    return moment


#: How far from now a typed time may be: further is a typo (year 1, 9999), and at the ends of the calendar the
#: conversion to UTC overflows.
REACH_YEARS = 10


def _within_reach(day: date, today: date) -> None:
    if abs(day.year - today.year) > REACH_YEARS:
        raise WhenProblem(f"{day.isoformat()} is more than {REACH_YEARS} years from today: check the year.")


def describe(moment: datetime, tz: ZoneInfo) -> str:
    """"Tue 2026-11-24 10:00 CST": the weekday and the zone are always shown."""
    local = moment.astimezone(tz)
    return f"{local:%a %Y-%m-%d %H:%M} {local.tzname()}"


def describe_span(start: datetime, end: datetime | None, tz: ZoneInfo) -> str:
    if end is None:
        return describe(start, tz)
    a, b = start.astimezone(tz), end.astimezone(tz)
    until = f"{b:%H:%M}" if a.date() == b.date() else describe(b, tz)
    return f"{describe(start, tz)} to {until} ({length_text(b - a)})"


def length_text(span: timedelta) -> str:
    """"1 h 30 min", "45 min"."""
    minutes = int(span.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def typed(moment: datetime, tz: ZoneInfo) -> str:
    """How a moment is written back into a box, so the tech can edit it."""
    return f"{moment.astimezone(tz):%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class Booking:
    """A start and end the tech chose, checked before anything is sent."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("booking times must be timezone-aware")


def booking(start_text: str, end_text: str, *, now: datetime, tz: ZoneInfo, length: timedelta = DEFAULT_LENGTH) -> Booking:
    """Start and end from the boxes; an empty end is start + ``length``; an end before the start is refused."""
    start = parse_when(start_text, now=now, tz=tz)
    end_text = end_text.strip()
    if not end_text:
        end = start + length
    elif _TIME.match(end_text.lower()):
        end = datetime.combine(start.date(), parse_time_of_day(end_text), tzinfo=tz)
    else:
        end = parse_when(end_text, now=now, tz=tz)
    if end <= start:
        raise WhenProblem(f"The end ({describe(end, tz)}) must be after the start ({describe(start, tz)}).")
    return Booking(start, end)


def outside_hours(slot: Booking, hours: Sequence[BusinessHours], tz: ZoneInfo) -> str | None:
    """Why the slot falls outside the account's business hours, or None (also None when the hours are unknown)."""
    by_day = {h.day.strip().lower(): h for h in hours}
    if not by_day:
        return None
    start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
    day = by_day.get(WEEKDAYS[start.weekday()])
    name = f"{start:%A}"
    if day is None or day.closed or not day.start or not day.end:
        return f"The shop is closed on {name}s."
    opens, closes = parse_time_of_day(day.start), parse_time_of_day(day.end)
    if start.time() < opens or end.date() != start.date() or end.time() > closes:
        return f"Outside business hours: {name} is {day.start} to {day.end}."
    return None


def clashes(slot: Booking, others: Iterable[Appointment], *, ignore: int | None = None) -> list[Appointment]:
    """The appointments (other than ``ignore``) that overlap the slot; one with no end counts as 90 minutes."""
    return sorted((a for a in others if a.id != ignore
                   and a.start_at < slot.end and (a.end_at or a.start_at + DEFAULT_LENGTH) > slot.start),
                  key=lambda a: a.start_at)


def day_bounds(day: date, zone: ZoneInfo | tzinfo) -> tuple[datetime, datetime]:
    """The day from midnight to midnight in the account's zone (23 or 25 hours across a clock change)."""
    return (datetime.combine(day, time(0), tzinfo=zone),
            datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone))


def involves(appointment: Appointment, user_id: int | None) -> bool:
    """Whether the tech owns the appointment or is invited to it."""
    return user_id is not None and (appointment.user_id == user_id or user_id in (appointment.user_ids or ()))
