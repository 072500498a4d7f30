"""The alerts inbox as data (issue 36): when a snooze ends, what a new alert does to an entry, and the inbox kept in
a real SQLite file across a restart, with a clock that moves."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from syncro_tui.cache import Cache
from syncro_tui.domain.alerts import Alert, AlertKind
from syncro_tui.domain.inbox import EntryState, snooze_until
from syncro_tui.domain.when import WhenProblem
from syncro_tui.session.inbox import Inbox

from .test_alerts import ROW

TZ = ZoneInfo("America/Chicago")
NOW = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)  # 10:00 in Chicago


@pytest.mark.parametrize("typed, until", [
    ("2pm", datetime(2026, 12, 1, 14, 0, tzinfo=TZ)),
    ("9am", datetime(2026, 12, 2, 9, 0, tzinfo=TZ)),  # passed today: tomorrow
    ("tomorrow", datetime(2026, 12, 2, 8, 0, tzinfo=TZ)),
    ("30m", datetime(2026, 12, 1, 10, 30, tzinfo=TZ)),
    ("2h", datetime(2026, 12, 1, 12, 0, tzinfo=TZ)),
    ("fri 9:15", datetime(2026, 12, 4, 9, 15, tzinfo=TZ)),
])
def test_a_snooze_ends_at_the_time_typed_in_the_accounts_zone(typed: str, until: datetime) -> None:
    assert snooze_until(typed, now=NOW, tz=TZ) == until


@pytest.mark.parametrize("typed", ["soon", "25pm", "", "2026-11-01 09:00"])
def test_a_snooze_that_is_not_a_time_ahead_is_said_in_words(typed: str) -> None:
    with pytest.raises(WhenProblem):
        snooze_until(typed, now=NOW, tz=TZ)


def test_the_inbox_survives_a_restart_a_snooze_wakes_at_its_time_and_a_new_day_starts_empty(tmp_path) -> None:
    clock = [NOW]
    path = tmp_path / "cache.sqlite"

    def inbox() -> Inbox:
        cache = Cache(path, owner="p")
        return Inbox(lambda: cache, now=lambda: clock[0], zone=lambda: TZ)

    first = inbox()
    first.found([Alert(AlertKind.ASSIGNED, ROW), Alert(AlertKind.URGENT, replace(ROW, id=2, number=31902))])
    first.take({1, 2})
    assert first.open_ids() == {1, 2}
    first.settle(1, EntryState.SNOOZED, snooze_until("30m", now=NOW, tz=TZ))
    first.settle(2, EntryState.DONE)
    assert first.open_ids() == set()

    again = inbox()  # a restart
    assert {t: e.state for t, e in again.today().items()} == {1: EntryState.SNOOZED, 2: EntryState.DONE}
    clock[0] = NOW + timedelta(minutes=29)
    assert again.open_ids() == set()
    clock[0] = NOW + timedelta(minutes=30)
    assert again.open_ids() == {1}  # the snooze has ended
    again.found([Alert(AlertKind.CUSTOMER_REPLY, replace(ROW, id=2, number=31902))])
    again.take({1, 2})
    assert again.open_ids() == {1, 2} and again.today()[2].alerts == 2  # done, then changed again: back
    clock[0] = NOW + timedelta(days=1)
    assert inbox().open_ids() == set() and inbox().today() == {}  # a new day in Chicago
