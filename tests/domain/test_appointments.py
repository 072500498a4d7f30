"""Which appointments a tech sees (client-side filters), and a move checked against Syncro's answer."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from syncro_tui.api.models import Appointment
from syncro_tui.domain.appointments import Scope, Span, days, in_scope, landed_wrong
from syncro_tui.writes.plans import move_appointment as move
from syncro_tui.domain.when import Booking

TZ = ZoneInfo("America/Chicago")
START = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


def appt(id_, *, user_id=7, customer_id=1, summary="Acme - printer", start=START, user_ids=None):
    return Appointment(id=id_, summary=summary, customer_id=customer_id, user_id=user_id, user_ids=user_ids,
                       start_at=start, end_at=start + timedelta(minutes=90), ticket_id=100 + id_)


def test_days_are_today_or_monday_to_sunday():
    friday = date(2026, 11, 20)
    assert days(Span.TODAY, friday) == (friday, friday)
    assert days(Span.WEEK, friday) == (date(2026, 11, 16), date(2026, 11, 22))


def test_mine_and_customer_filters_are_applied_here_because_syncro_ignores_them():
    listed = [appt(1, start=START + timedelta(hours=2)), appt(2, user_id=8), appt(3, user_id=8, user_ids=[7]),
              appt(4, customer_id=2, summary="Other Co - server"), appt(5, customer_id=None, summary="ACME - call back")]
    assert [a.id for a in in_scope(listed, Scope(mine=True), user_id=7)] == [3, 4, 5, 1]
    assert len(in_scope(listed, Scope(mine=False), user_id=7)) == 5
    acme = Scope(mine=False, customer_id=1, customer_name="Acme")
    assert [a.id for a in in_scope(listed, acme, user_id=7)] == [2, 3, 5, 1]
    assert "Everyone’s appointments this week" in Scope(Span.WEEK, mine=False).words(date(2026, 11, 20))


def test_a_move_is_one_put_with_weekdays_in_its_sentence():
    old = appt(1)
    slot = Booking(START + timedelta(days=1), START + timedelta(days=1, minutes=60))
    plan = move(old, slot, tz=TZ, owner="Dana")
    (req,) = plan.steps
    assert (req.method, req.path, req.body) == ("PUT", "/appointments/1",
                                                {"start_at": "2026-11-24T10:00:00-06:00", "end_at": "2026-11-24T11:00:00-06:00"})
    assert "Tue 2026-11-24 10:00 CST to 11:00" in plan.title
    assert "Now: Mon 2026-11-23 10:00 CST to 11:30 (1 h 30 min)." in plan.notes
    with pytest.raises(ValueError, match="already has"):
        move(old, Booking(old.start_at, old.end_at), tz=TZ, owner="Dana")


def test_the_answer_is_checked_against_the_time_intended():
    slot = Booking(START, START + timedelta(minutes=90))
    assert landed_wrong(appt(1), slot, TZ) is None
    an_hour_off = appt(1, start=START + timedelta(hours=1))
    message = landed_wrong(an_hour_off, slot, TZ)
    assert "Mon 2026-11-23 11:00 CST" in message and "not at Mon 2026-11-23 10:00 CST" in message


def test_the_move_dialogs_boxes_become_a_slot_with_its_warnings() -> None:
    from syncro_tui.api.models import BusinessHours
    from syncro_tui.domain.appointments import review_move

    hours = [BusinessHours(day=d, start="08:00", end="17:00", closed=d in ("Saturday", "Sunday"))
             for d in ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")]
    mine = appt(1)
    now = START - timedelta(days=1)
    kept = review_move(mine, "2026-11-25 13:00", "", now=now, tz=TZ, hours=hours, owner_day=[])
    assert kept.slot is not None and kept.slot.end - kept.slot.start == mine.end_at - mine.start_at
    assert kept.warnings == [] and kept.problem is None
    busy = appt(2, start=datetime(2026, 11, 25, 13, 30, tzinfo=TZ), summary="Other visit")
    late = review_move(mine, "2026-11-25 17:30", "18:00", now=now, tz=TZ, hours=hours, owner_day=[busy])
    assert late.warnings == ["Outside business hours: Wednesday is 08:00 to 17:00."]
    clash = review_move(mine, "2026-11-25 13:00", "", now=now, tz=TZ, hours=hours, owner_day=[busy])
    assert clash.warnings and clash.warnings[0].startswith("The owner is busy then: Wed 2026-11-25 13:30")
    past = review_move(mine, "2026-11-20 09:00", "", now=START + timedelta(days=1), tz=TZ, hours=hours, owner_day=[])
    assert "That is in the past." in past.warnings
    assert review_move(mine, "someday", "", now=now, tz=TZ, hours=hours, owner_day=[]).problem
    same = review_move(mine, f"{mine.start_at.astimezone(TZ):%Y-%m-%d %H:%M}", "", now=now, tz=TZ, hours=hours,
                       owner_day=[])
    assert same.problem == "That is the time it already has."
