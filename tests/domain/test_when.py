"""Times as typed, with weekday and zone; bookings checked against business hours and other appointments."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from syncro_tui.api.models import Appointment, BusinessHours
from syncro_tui.domain.when import (Booking, WhenProblem, booking, clashes, describe, describe_span, involves,
                                    outside_hours, parse_day, parse_when)

TZ = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=TZ)  # a Friday
HOURS = [BusinessHours(day=d, start="08:00", end="17:00", closed=d in ("Saturday", "Sunday"))
         for d in ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")]


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-24 10:00", datetime(2026, 11, 24, 10, 0, tzinfo=TZ)),
    ("today 16:30", datetime(2026, 11, 20, 16, 30, tzinfo=TZ)),
    ("tomorrow 9:05", datetime(2026, 11, 21, 9, 5, tzinfo=TZ)),
    ("mon 2pm", datetime(2026, 11, 23, 14, 0, tzinfo=TZ)),
    ("Friday 12am", datetime(2026, 11, 27, 0, 0, tzinfo=TZ)),  # the next Friday, not today
    ("tue 12pm", datetime(2026, 11, 24, 12, 0, tzinfo=TZ)),
])
def test_parse_when_reads_what_a_tech_types(text, expected):
    assert parse_when(text, now=NOW, tz=TZ) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("yesterday 10pm", datetime(2026, 11, 19, 22, 0, tzinfo=TZ)),
    ("fri 9:00", datetime(2026, 11, 20, 9, 0, tzinfo=TZ)),  # work that ended: today is the last Friday
    ("mon 14:30", datetime(2026, 11, 16, 14, 30, tzinfo=TZ)),  # the Monday before, not the next one
    ("now", NOW),
    ("2026-11-20T16:30-06:00", datetime(2026, 11, 20, 16, 30, tzinfo=TZ)),
    ("2026-11-20T22:30Z", datetime(2026, 11, 20, 16, 30, tzinfo=TZ)),  # its own zone, shown in the account's
])
def test_parse_when_for_work_that_ended_reads_back_in_time(text, expected):
    got = parse_when(text, now=NOW, tz=TZ, past=True)
    assert got == expected and got.tzinfo == TZ


def test_an_iso_time_without_a_zone_is_refused_not_guessed():
    with pytest.raises(WhenProblem, match="no time zone"):
        parse_when("2026-11-20T16:30", now=NOW, tz=TZ)


@pytest.mark.parametrize("text", ["", "tomorrow", "10:00", "2026-11-31 10:00", "mon 25:00", "mon 13pm", "someday 10:00",
                                  "mon 9"])
def test_parse_when_refuses_what_it_cannot_be_sure_of(text):
    with pytest.raises(WhenProblem):
        parse_when(text, now=NOW, tz=TZ)


def test_a_time_the_clock_skips_is_refused():
    with pytest.raises(WhenProblem, match="does not exist"):
        parse_when("2027-03-14 02:30", now=NOW, tz=TZ)


def test_today_is_the_accounts_day_not_utcs():
    late = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)  # still Friday evening in Chicago
    assert parse_day("today", today=late.astimezone(TZ).date()).isoformat() == "2026-11-20"
    assert parse_when("today 20:00", now=late, tz=TZ).day == 20


def test_describe_shows_weekday_and_zone():
    moment = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
    assert describe(moment, TZ) == "Tue 2026-11-24 10:00 CST"
    assert describe_span(moment, moment + timedelta(minutes=90), TZ) == "Tue 2026-11-24 10:00 CST to 11:30 (1 h 30 min)"


def test_booking_defaults_to_ninety_minutes_and_refuses_an_end_before_the_start():
    slot = booking("mon 10:00", "", now=NOW, tz=TZ)
    assert slot.end - slot.start == timedelta(minutes=90)
    assert booking("mon 10:00", "10:45", now=NOW, tz=TZ).end == datetime(2026, 11, 23, 10, 45, tzinfo=TZ)
    with pytest.raises(WhenProblem, match="must be after the start"):
        booking("mon 10:00", "9:00", now=NOW, tz=TZ)


def test_outside_business_hours():
    assert outside_hours(booking("mon 9:00", "", now=NOW, tz=TZ), HOURS, TZ) is None
    assert "Monday is 08:00 to 17:00" in outside_hours(booking("mon 16:00", "", now=NOW, tz=TZ), HOURS, TZ)
    assert "closed on Saturdays" in outside_hours(booking("sat 10:00", "", now=NOW, tz=TZ), HOURS, TZ)
    assert outside_hours(booking("sat 10:00", "", now=NOW, tz=TZ), [], TZ) is None  # hours unknown: no warning


def appt(id_, start, minutes=60, user_id=7):
    return Appointment(id=id_, start_at=start, end_at=start + timedelta(minutes=minutes), user_id=user_id)


def test_clashes_are_overlaps_other_than_the_one_moved():
    start = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
    slot = Booking(start, start + timedelta(hours=1))
    others = [appt(1, start - timedelta(hours=1)), appt(2, start + timedelta(minutes=30)), appt(3, start),
              appt(4, start + timedelta(hours=1))]
    assert [a.id for a in clashes(slot, others, ignore=3)] == [2]


def test_involves_owner_and_invited():
    a = Appointment(id=1, start_at=NOW, user_id=7, user_ids=[9])
    assert involves(a, 7) and involves(a, 9) and not involves(a, 8) and not involves(a, None)
