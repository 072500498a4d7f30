"""The write-ahead journal: every write is recorded before it is sent, then its outcome.

SQLite (stdlib) in the user data directory. A multi-step operation (a billing
run, a ticket with its first comment) is one *group* of ordered *steps*. A
group cut short by a crash, a kill or a lost network stays open and is offered
for resuming at the next start.

Nothing secret is stored: requests are redacted before they are written, and
the journal never sees a key.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..api.redact import redact, redact_data
from ..api.requests import ApiRequest


class StepState(StrEnum):
    PLANNED = "planned"  # not sent yet
    SENDING = "sending"  # recorded, then sent: if the app dies now, the outcome is unknown
    DONE = "done"  # Syncro answered with success
    FAILED = "failed"  # Syncro refused it (nothing written)
    UNKNOWN = "unknown"  # ambiguous: reconcile before anything else
    PRESENT = "present"  # reconciled: it did land
    ABSENT = "absent"  # reconciled: it did not land; may be sent again after a new confirm
    SKIPPED = "skipped"  # a conditional step that was not needed (a 0.00 patch when the line had its price)

    @property
    def landed(self) -> bool:
        """In Syncro for sure: sent and answered, or found by reading back (a check step: it passed)."""
        return self in (StepState.DONE, StepState.PRESENT)

    @property
    def settled(self) -> bool:
        """Nothing more to do for this step: it landed or was not needed."""
        return self.landed or self is StepState.SKIPPED


class GroupState(StrEnum):
    OPEN = "open"
    DONE = "done"
    ABANDONED = "abandoned"


SCHEMA = """
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    ticket_id INTEGER,
    profile TEXT NOT NULL,
    user_id INTEGER,
    state TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS steps (
    group_id TEXT NOT NULL REFERENCES groups(id),
    seq INTEGER NOT NULL,
    call TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    body TEXT,
    state TEXT NOT NULL,
    result TEXT,
    error TEXT,
    sent_at TEXT,
    updated_at TEXT NOT NULL,
    expect TEXT,
    only_if TEXT,
    PRIMARY KEY (group_id, seq)
);
CREATE INDEX IF NOT EXISTS groups_by_time ON groups(created_at);
"""

#: Columns added after the first release, for journals made before them.
ADDED_COLUMNS = {"expect": "TEXT", "only_if": "TEXT"}


@dataclass(frozen=True)
class Step:
    group_id: str
    seq: int
    call: str
    method: str
    path: str
    body: dict[str, Any] | None
    state: StepState
    result: dict[str, Any] | None
    error: str | None
    sent_at: datetime | None
    #: A check step's expectation (what reading back must find).
    expect: dict[str, Any] | None = None
    #: A conditional step's condition, as a ``$ref:`` token.
    only_if: str | None = None


@dataclass(frozen=True)
class Group:
    id: str
    kind: str
    title: str
    ticket_id: int | None
    profile: str
    user_id: int | None
    state: GroupState
    note: str | None
    created_at: datetime
    steps: tuple[Step, ...]

    @property
    def next_step(self) -> Step | None:
        """The first step not settled: where a resume starts."""
        return next((s for s in self.steps if not s.state.settled), None)


def _now() -> datetime:
    return datetime.now(UTC)


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


class Journal:
    def __init__(self, path: Path | str, *, clock: Any = _now) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.clock = clock
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a recorded step must survive a crash
        self._db.executescript(SCHEMA)
        have = {row["name"] for row in self._db.execute("PRAGMA table_info(steps)")}
        for name, kind in ADDED_COLUMNS.items():
            if name not in have:
                self._db.execute(f"ALTER TABLE steps ADD COLUMN {name} {kind}")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ---------------------------------------------------------------- writing
    def begin(self, *, kind: str, title: str, steps: Sequence[ApiRequest[Any]], profile: str,
              user_id: int | None = None, ticket_id: int | None = None) -> str:
        """Record a group and all of its planned steps, before anything is sent."""
        group_id = uuid.uuid4().hex
        now = _ts(self.clock())
        with self._tx() as db:
            db.execute("INSERT INTO groups VALUES (?,?,?,?,?,?,?,?,?,?)",
                       (group_id, kind, redact(title), ticket_id, profile, user_id, GroupState.OPEN, None, now, now))
            for seq, req in enumerate(steps):
                db.execute("INSERT INTO steps (group_id, seq, call, method, path, body, state, updated_at, expect, only_if)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?)",
                           (group_id, seq, req.call, req.method, redact(req.path), _dump(req.body, body=True),
                            StepState.PLANNED, now, _dump(req.expect, body=True), str(req.only_if) if req.only_if else None))
        return group_id

    def replace_step(self, group_id: str, seq: int, req: ApiRequest[Any]) -> None:
        """A later step's request, once the ids it needed are known (before it is sent)."""
        with self._tx() as db:
            db.execute("UPDATE steps SET call=?, method=?, path=?, body=?, expect=?, updated_at=? WHERE group_id=? AND seq=?",
                       (req.call, req.method, redact(req.path), _dump(req.body, body=True), _dump(req.expect, body=True),
                        _ts(self.clock()), group_id, seq))

    def mark(self, group_id: str, seq: int, state: StepState, *, result: Any = None, error: str | None = None) -> None:
        now = _ts(self.clock())
        with self._tx() as db:
            db.execute(
                "UPDATE steps SET state=?, result=COALESCE(?, result), error=?, updated_at=?,"
                " sent_at=CASE WHEN ?='sending' THEN ? ELSE sent_at END WHERE group_id=? AND seq=?",
                (state, _dump(result), redact(error) if error else None, now, state, now, group_id, seq))
            db.execute("UPDATE groups SET updated_at=? WHERE id=?", (now, group_id))

    def finish(self, group_id: str, state: GroupState = GroupState.DONE, note: str | None = None) -> None:
        with self._tx() as db:
            db.execute("UPDATE groups SET state=?, note=COALESCE(?, note), updated_at=? WHERE id=?",
                       (state, redact(note) if note else None, _ts(self.clock()), group_id))

    # ---------------------------------------------------------------- reading
    def group(self, group_id: str) -> Group:
        row = self._db.execute("SELECT * FROM groups WHERE id=?", (group_id,)).fetchone()
        if row is None:
            raise KeyError(group_id)
        return self._group(row)

    def open_groups(self, profile: str | None = None) -> list[Group]:
        """Groups cut short: offered for resume (or abandon) at start."""
        sql = "SELECT * FROM groups WHERE state=?" + (" AND profile=?" if profile else "") + " ORDER BY created_at"
        args: tuple[Any, ...] = (GroupState.OPEN, profile) if profile else (GroupState.OPEN,)
        return [self._group(r) for r in self._db.execute(sql, args)]

    def groups_between(self, start: datetime, end: datetime, profile: str | None = None) -> list[Group]:
        sql = "SELECT * FROM groups WHERE created_at >= ? AND created_at < ?" + (" AND profile=?" if profile else "")
        args: tuple[Any, ...] = (_ts(start), _ts(end)) + ((profile,) if profile else ())
        return [self._group(r) for r in self._db.execute(sql + " ORDER BY created_at", args)]

    def _group(self, row: sqlite3.Row) -> Group:
        steps = tuple(
            Step(group_id=s["group_id"], seq=s["seq"], call=s["call"], method=s["method"], path=s["path"],
                 body=_load(s["body"]), state=StepState(s["state"]), result=_load(s["result"]), error=s["error"],
                 sent_at=datetime.fromisoformat(s["sent_at"]) if s["sent_at"] else None,
                 expect=_load(s["expect"]), only_if=s["only_if"])
            for s in self._db.execute("SELECT * FROM steps WHERE group_id=? ORDER BY seq", (row["id"],))
        )
        return Group(id=row["id"], kind=row["kind"], title=row["title"], ticket_id=row["ticket_id"], profile=row["profile"],
                     user_id=row["user_id"], state=GroupState(row["state"]), note=row["note"],
                     created_at=datetime.fromisoformat(row["created_at"]), steps=steps)


def _dump(value: Any, *, body: bool = False) -> str | None:
    """JSON for the journal, keys masked. A request body keeps its order and text (it may be sent on resume)."""
    if value is None:
        return None
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json")
    return json.dumps(redact_data(value, patterns=not body), default=str)


def _load(text: str | None) -> Any:
    return json.loads(text) if text else None
