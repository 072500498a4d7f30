"""The write-ahead journal: groups of steps recorded before sending, outcomes after, nothing secret."""

from __future__ import annotations

import json

from datetime import UTC, datetime, timedelta

from syncro_tui.api import requests as rq
from syncro_tui.api.redact import register_secret
from syncro_tui.writes.groups import GroupState, StepState
from syncro_tui.writes.journal import Journal
from syncro_tui.host import exposure

NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def test_a_group_is_recorded_before_sending_and_survives_a_reopen(tmp_path) -> None:
    path = tmp_path / "journal.sqlite"
    journal = Journal(path, clock=lambda: NOW)
    steps = [rq.add_comment(108_000_001, subject="Resolution", body="Fixed", hidden=False, do_not_email=True),
             rq.charge_timer(108_000_001, 0)]
    gid = journal.begin(kind="billing", title="Bill #31990", steps=steps, profile="dana", user_id=1843, ticket_id=108_000_001)
    journal.mark(gid, 0, StepState.SENDING)
    journal.close()

    reopened = Journal(path, clock=lambda: NOW)
    [group] = reopened.open_groups("dana")
    assert group.id == gid and group.state is GroupState.OPEN and group.user_id == 1843
    assert [s.state for s in group.steps] == [StepState.SENDING, StepState.PLANNED]
    assert group.steps[0].body == {"subject": "Resolution", "body": "Fixed", "hidden": False, "do_not_email": True}
    assert group.steps[0].sent_at == NOW
    assert group.next_step is not None and group.next_step.seq == 0

    reopened.mark(gid, 0, StepState.DONE, result={"id": 5})
    reopened.replace_step(gid, 1, rq.charge_timer(108_000_001, 7_300_001))
    reopened.mark(gid, 1, StepState.DONE)
    reopened.finish(gid)
    assert reopened.open_groups() == []
    done = reopened.group(gid)
    assert done.state is GroupState.DONE and done.steps[1].body == {"timer_entry_id": 7_300_001}
    assert done.steps[0].result == {"id": 5}


def test_activity_by_date_and_profile(tmp_path) -> None:
    clock = [NOW]
    journal = Journal(tmp_path / "j.sqlite", clock=lambda: clock[0])
    journal.begin(kind="status", title="yesterday", steps=[rq.update_ticket(1, {"status": "Resolved"})], profile="dana")
    clock[0] = NOW + timedelta(days=1)
    journal.begin(kind="status", title="today", steps=[rq.update_ticket(1, {"status": "Resolved"})], profile="dana")
    journal.begin(kind="status", title="someone else", steps=[rq.update_ticket(1, {"status": "New"})], profile="tom")
    day = NOW + timedelta(days=1)
    titles = [g.title for g in journal.groups_between(day - timedelta(hours=1), day + timedelta(hours=1), profile="dana")]
    assert titles == ["today"]


def test_nothing_secret_reaches_the_journal_file(tmp_path) -> None:
    secret = "journal-secret-key-0123456789"
    register_secret(secret)
    path = tmp_path / "j.sqlite"
    journal = Journal(path, clock=lambda: NOW)
    req = rq.add_comment(1, subject="Update", body=f"token is {secret}", hidden=True, do_not_email=True)
    gid = journal.begin(kind="comment", title=f"with {secret}", steps=[req], profile="dana")
    journal.mark(gid, 0, StepState.UNKNOWN, error=f"GET /me?api_key={secret} timed out", result={"api_key": secret})
    journal.finish(gid, GroupState.ABANDONED, note=f"left {secret}")
    journal.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert secret.encode() not in raw
    assert b"timed out" in raw  # the record is there, only the key is masked


def test_a_journal_from_before_check_steps_gains_their_columns_and_keeps_its_groups(tmp_path) -> None:
    import sqlite3

    from syncro_tui.api.call import Ref
    from syncro_tui.writes.journal import SCHEMA

    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript(SCHEMA.replace("    expect TEXT,\n    only_if TEXT,\n    before TEXT,\n", "")
                      .replace("    updated_at TEXT NOT NULL,\n    claim_owner TEXT,\n    claim_at TEXT,\n    ticket_number INTEGER\n",
                               "    updated_at TEXT NOT NULL\n"))
    old.execute("INSERT INTO groups VALUES ('g1','comment','old',1,'dana',1843,'open',NULL,?,?)", (NOW.isoformat(),) * 2)
    old.execute("INSERT INTO steps VALUES ('g1',0,'add_comment','POST','/tickets/1/comment','{}','planned',NULL,NULL,NULL,?)",
                (NOW.isoformat(),))
    old.commit()
    old.close()
    journal = Journal(path, clock=lambda: NOW)
    [old_group] = journal.open_groups("dana")
    assert old_group.id == "g1" and old_group.ticket_number is None  # not kept then, and nothing made up
    check = rq.check_line_item(1, {"line_item_id": Ref(0, "ticket_line_item_id"), "quantity": "0.75"})
    gid = journal.begin(kind="billing", title="t", profile="dana",
                        steps=[rq.charge_timer(1, 5), check])
    step = journal.group(gid).steps[1]
    assert step.expect == {"line_item_id": "$ref:0.ticket_line_item_id", "quantity": "0.75"} and step.body is None


# ------------------------------------------------------------ damage and privacy
def one_group(path) -> str:
    journal = Journal(path, clock=lambda: NOW)
    gid = journal.begin(kind="comment", title="Note", profile="dana", user_id=1843, ticket_id=1,
                        steps=[rq.add_comment(1, subject="Update", body="b", hidden=True, do_not_email=True)])
    journal.close()
    return gid


def test_a_row_that_cannot_be_read_is_shown_damaged_never_dropped_or_sent(tmp_path) -> None:
    import sqlite3

    path = tmp_path / "journal.sqlite"
    gid = one_group(path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE steps SET body='{not json' WHERE group_id=?", (gid,))
    (group,) = Journal(path).open_groups("dana")
    assert group.id == gid and group.damaged == "call 1: its body cannot be read (JSONDecodeError)"
    from syncro_tui.writes.activity import outcome_text

    assert outcome_text(group).startswith("Unreadable in the journal")


def test_a_damaged_journal_is_moved_aside_and_a_new_one_started(tmp_path) -> None:
    path = tmp_path / "journal.sqlite"
    one_group(path)
    path.write_bytes(b"this is not a database at all" * 100)
    journal, note = Journal.open_or_recover(path)
    (kept,) = tmp_path.glob("journal.damaged-*.sqlite")
    assert kept.read_bytes().startswith(b"this is not a database") and str(kept) in note
    assert journal.open_groups() == [] and path.exists()  # a new, working journal


def test_an_empty_journal_file_is_said_not_taken_as_empty(tmp_path) -> None:
    path = tmp_path / "journal.sqlite"
    path.write_bytes(b"")
    _, note = Journal.open_or_recover(path)
    assert note is not None and "empty (0 bytes)" in note
    assert list(tmp_path.glob("journal.damaged-*.sqlite"))


def test_the_journal_and_its_directory_are_owner_only(tmp_path) -> None:
    path = tmp_path / "data" / "journal.sqlite"
    one_group(path)
    Journal(path).close()
    assert exposure(path) is None and exposure(path.parent) is None


def test_the_activity_export_survives_bad_text_and_never_runs_a_formula(tmp_path) -> None:
    import csv
    from zoneinfo import ZoneInfo

    from syncro_tui.writes.activity import export

    journal = Journal(tmp_path / "journal.sqlite", clock=lambda: NOW)
    journal.begin(kind="comment", title="=HYPERLINK(\"http://x.invalid\") \ud800 \x1b[2J \u202eevil", profile="dana",
                  steps=[rq.add_comment(1, subject="Update", body="b", hidden=True, do_not_email=True)])
    groups = journal.groups_between(NOW - timedelta(days=1), NOW + timedelta(days=1))
    csv_path, json_path = export(groups, tmp_path / "exports", NOW.date(), ZoneInfo("UTC"))
    (row,) = list(csv.reader(csv_path.read_text(encoding="utf-8").splitlines()))[1:]
    assert row[2].startswith("'=HYPERLINK") and "\x1b" not in row[2]
    assert json_path.stat().st_size > 0 and exposure(csv_path) is None
    # The JSON keeps the text exactly, escaped: `cat` shows \u202e instead of turning the line around.
    raw = json_path.read_text(encoding="utf-8")
    assert "\u202e" not in raw and "\x1b" not in raw and "\\u202e" in raw
    assert json.loads(raw)[0]["title"].endswith("\u202eevil")
