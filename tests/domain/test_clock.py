"""The work clock as data (issue 20): pause and resume, minutes, what asks before billing, and its record."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from syncro_tui.domain.clock import Clock, concerns
from syncro_tui.writes.clocks import ClockStore
from syncro_tui.host import exposure

T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # 09:00 in Chicago
CHICAGO = ZoneInfo("America/Chicago")


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_only_the_time_it_ran_counts() -> None:
    clock = Clock.start(7, 31996, "Printer", T0)
    assert clock.running and clock.minutes(at(25)) == 25 and clock.shown(at(25)) == "#31996 ▶ 0:25"
    clock = clock.pause(at(25))
    assert clock.paused and clock.minutes(at(90)) == 25 and clock.shown(at(90)) == "#31996 ‖ 0:25"
    clock = clock.resume(at(60)).pause(at(95))  # 25 + 35
    assert clock.minutes(at(200)) == 60 and clock.ended_at(at(200)) == at(95)
    clock = clock.resume(at(100)).stop(at(110))
    assert clock.stopped and not clock.running and clock.minutes(at(500)) == 70 and clock.ended_at(at(500)) == at(110)
    assert clock.shown(at(500)) == "#31996 ■ 1:10"
    assert clock.toggled(at(600)) == clock  # a stopped clock waits for its billing


def test_minutes_are_to_the_nearest_and_never_none() -> None:
    clock = Clock.start(7, 1, "x", T0)
    assert clock.minutes(at(0.2)) == 1 and clock.minutes(at(10.4)) == 10 and clock.minutes(at(10.5)) == 11


def test_a_long_clock_or_one_across_midnight_asks_first() -> None:
    clock = Clock.start(7, 1, "x", T0)
    assert concerns(clock, at(120), CHICAGO) == []
    (long,) = concerns(clock, at(4 * 60 + 10), CHICAGO)
    assert long.startswith("The clock has 4 h 10 min on it: more than 4 hours")
    # Started 09:00 Chicago, still running at 01:00 the next day: both.
    overnight = concerns(clock, at(16 * 60), CHICAGO)
    assert len(overnight) == 2 and "across midnight (Fri 20 Nov 09:00 to Sat 21 Nov 01:00)" in overnight[1]
    # The same instant is still Friday in Chicago's zone when it is past midnight UTC: the account's day counts.
    assert concerns(Clock.start(7, 1, "x", T0).stop(at(9 * 60 + 30)), at(1000), CHICAGO)[-1].startswith("The clock has")
    assert all("midnight" not in c for c in concerns(Clock.start(7, 1, "x", at(8 * 60)).stop(at(9 * 60 + 30)),
                                                  at(1000), CHICAGO))


def test_the_record_round_trips_and_a_bad_one_is_refused() -> None:
    clock = Clock.start(7, 31996, "Printer ‮evil", T0).pause(at(5)).resume(at(10))
    assert Clock.from_record(json.loads(json.dumps(clock.record()))) == clock
    for bad in ({"ticket_id": 7, "number": 1, "subject": "x", "spans": []},
                {"ticket_id": 7, "number": 1, "subject": "x", "spans": [["2026-11-20T15:00:00", None]]},
                {"ticket_id": 7, "number": 1, "subject": "x", "spans": [[at(5).isoformat(), at(1).isoformat()]]},
                {"ticket_id": 7, "number": 1, "subject": "x", "spans": [[T0.isoformat(), None], [at(5).isoformat(), None]]},
                {"number": 1, "subject": "x", "spans": [[T0.isoformat(), None]]}):
        with pytest.raises((ValueError, KeyError, TypeError)):
            Clock.from_record(bad)


def test_the_store_keeps_clocks_owner_only_and_sets_a_damaged_file_aside(tmp_path) -> None:
    store = ClockStore.for_profile(tmp_path, "dana / main")
    assert store.path.name == "clocks-dana___main.json" and store.load() == {}
    clock = Clock.start(7, 31996, "Printer", T0)
    store.change(lambda clocks: clocks.__setitem__(7, clock))
    assert ClockStore(store.path).load() == {7: clock}
    assert exposure(store.path) is None
    store.path.write_text("{not json")
    fresh = ClockStore(store.path)
    assert fresh.load() == {} and "damaged" in fresh.damage and "kept at" in fresh.damage
    assert not store.path.exists() and len(list(tmp_path.glob("clocks-dana___main.json.damaged-*"))) == 1


def test_a_syncro_timer_shows_the_time_worked_since_it_was_read_and_never_an_id_as_a_number() -> None:
    from datetime import UTC, datetime, timedelta

    from syncro_tui.api.models import Timer
    from syncro_tui.domain.clock import LiveTimer

    read = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    running = Timer.model_validate({"id": 7, "ticket_id": 108793392, "start_time": "2026-11-20T15:00:00Z",
                                    "status": "running", "active_duration": 1500})
    assert LiveTimer(running, 31996, read).shown(read + timedelta(minutes=5)) == "#31996 ▶ 0:30 in Syncro"
    paused = running.model_copy(update={"status": "paused"})
    # paused: what Syncro said, however long ago; a ticket the queue does not have is named by its id, as an id
    assert LiveTimer(paused, None, read).shown(read + timedelta(hours=2)) == "ticket id 108793392 ‖ 0:25 in Syncro"
