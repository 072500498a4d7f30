"""Due dates: the day shown is the day sent, in the account's zone, across zones and DST (issue 19)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from syncro_tui.api.models import TicketSummary
from syncro_tui.domain.when import due, due_at, parse_day

CHICAGO, AUCKLAND, KOLKATA = ZoneInfo("America/Chicago"), ZoneInfo("Pacific/Auckland"), ZoneInfo("Asia/Kolkata")


@pytest.mark.parametrize("tz", [CHICAGO, AUCKLAND, KOLKATA, ZoneInfo("UTC")])
@pytest.mark.parametrize("typed_on", [date(2026, 12, 1), date(2027, 3, 12), date(2027, 4, 3), date(2026, 10, 30)])
def test_a_day_typed_is_the_day_shown_after_syncro_keeps_it(tz, typed_on) -> None:
    """Around DST changes too (Chicago's March 14 2027 and Nov 1 2026, Auckland's April 4 2027)."""
    now = datetime.combine(typed_on, time(15, 0), tz)
    day = parse_day("sun", today=typed_on)
    sent = due_at(day, tz).isoformat()
    # What Syncro answers: the same moment, in UTC (as it keeps every time)
    kept = TicketSummary.model_validate({"id": 1, "number": 2, "created_at": now, "updated_at": now,
                                         "due_date": datetime.fromisoformat(sent).astimezone(UTC).isoformat()})
    assert kept.due_date is not None
    shown = due(kept.due_date, tz=tz, now=now)
    assert (shown.day, shown.at) == (day, None)


def test_fri_typed_on_tuesday_is_sent_as_friday_in_the_zone_not_thursday_evening() -> None:
    tz, now = CHICAGO, datetime(2026, 12, 1, 10, 0, tzinfo=CHICAGO)
    day = parse_day("fri", today=now.date())
    assert due_at(day, tz).isoformat() == "2026-12-04T00:00:00-06:00"
    shown = due(due_at(day, tz), tz=tz, now=now)
    assert shown.text(now.date()) == "Fri" and not shown.overdue and not shown.today
    assert due(due_at(parse_day("2026-12-09", today=now.date()), tz), tz=tz, now=now).text(now.date()) == "Dec 09"


@pytest.mark.parametrize("tz", [CHICAGO, AUCKLAND])
def test_a_bare_date_another_tool_sent_is_that_day_wherever_the_account_is(tz) -> None:
    """Syncro keeps a date sent without a time as midnight UTC: it is the date, not Thursday 18:00 in Chicago."""
    stored = datetime(2026, 12, 4, tzinfo=UTC)
    shown = due(stored, tz=tz, now=datetime(2026, 12, 1, 12, tzinfo=tz))
    assert (shown.day, shown.at) == (date(2026, 12, 4), None)


def test_overdue_and_due_today_are_days_in_the_zone_and_a_time_counts_when_it_has_one() -> None:
    tz = CHICAGO
    now = datetime(2026, 12, 4, 23, 30, tzinfo=tz)  # late Friday in Chicago: already Saturday in UTC
    whole_day = due(due_at(date(2026, 12, 4), tz), tz=tz, now=now)
    assert whole_day.today and not whole_day.overdue and whole_day.text(now.date()) == "today"
    yesterday = due(due_at(date(2026, 12, 3), tz), tz=tz, now=now)
    assert yesterday.overdue and not yesterday.today
    at_five = due(datetime(2026, 12, 4, 17, 0, tzinfo=tz), tz=tz, now=now)
    assert at_five.overdue and at_five.today and at_five.text(now.date()) == "today 17:00"
    tomorrow = due(datetime(2026, 12, 5, 9, 30, tzinfo=tz), tz=tz, now=now)
    assert not tomorrow.overdue and tomorrow.text(now.date()) == "Sat 09:30"
    assert due(due_at(date(2027, 1, 8), tz), tz=tz, now=now).text(now.date()) == "Jan 08 2027"
