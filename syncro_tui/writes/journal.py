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
import re
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..api.redact import redact, redact_data
from ..files import make_private, private_dir, use_wal
from ..api.call import ApiRequest
from .groups import Group, GroupState, Step, StepState, utc_now


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
    updated_at TEXT NOT NULL,
    claim_owner TEXT,
    claim_at TEXT,
    ticket_number INTEGER
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
    before TEXT,
    PRIMARY KEY (group_id, seq)
);
CREATE INDEX IF NOT EXISTS groups_by_time ON groups(created_at);
"""

#: Columns added after the first release, for journals made before them.
ADDED_COLUMNS = {"expect": "TEXT", "only_if": "TEXT", "before": "TEXT"}
ADDED_GROUP_COLUMNS = {"claim_owner": "TEXT", "claim_at": "TEXT", "ticket_number": "INTEGER"}


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


class JournalDamaged(Exception):
    """The journal file is not a readable SQLite database (or is empty where a journal was)."""


class Journal:
    @classmethod
    def open_or_recover(cls, path: Path | str, *, clock: Any = utc_now) -> tuple[Journal, str | None]:
        """The journal, and what was wrong with it if it was damaged: a damaged file is moved aside, never deleted,
        and a new journal is started (writes go on; what the old one held is named in the returned note)."""
        path = Path(path)
        try:
            return cls(path, clock=clock), None
        except JournalDamaged as exc:
            kept = path.with_name(f"{path.stem}.damaged-{datetime.now(UTC):%Y%m%d-%H%M%S}{path.suffix}")
            for suffix in ("", "-wal", "-shm"):
                part = path.with_name(path.name + suffix)
                if part.exists():
                    part.rename(kept.with_name(kept.name + suffix))
            return cls(path, clock=clock), (
                f"The write journal was damaged ({exc}). It was moved aside, not deleted: {kept}. A new journal was "
                "started, so writes go on. Any unfinished writes the damaged one held are not listed under "
                "Unfinished: look at today's tickets in Syncro for a write that may have stopped part-way, and keep "
                "the damaged file for whoever looks after syncro-tui.")

    def __init__(self, path: Path | str, *, clock: Any = utc_now) -> None:
        self.path = Path(path)
        private_dir(self.path.parent)
        if self.path.exists() and self.path.stat().st_size == 0:
            # SQLite would open an empty file as an empty journal, silently: a journal is never empty on disk.
            raise JournalDamaged("the file is empty (0 bytes)")
        self.clock = clock
        self._db: sqlite3.Connection | None = None
        try:
            self._open()
        except sqlite3.OperationalError:
            self.close()
            raise  # cannot be opened (permissions, locked): not damage; the caller says why
        except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
            self.close()
            raise JournalDamaged(str(exc)) from None
        make_private(self.path)

    def _open(self) -> None:
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        use_wal(self._db, self.path)
        self._db.execute("PRAGMA synchronous=FULL")  # a recorded step must survive a crash
        self._db.executescript(SCHEMA)
        have = {row["name"] for row in self._db.execute("PRAGMA table_info(steps)")}
        for name, kind in ADDED_COLUMNS.items():
            if name not in have:
                self._db.execute(f"ALTER TABLE steps ADD COLUMN {name} {kind}")
        have = {row["name"] for row in self._db.execute("PRAGMA table_info(groups)")}
        for name, kind in ADDED_GROUP_COLUMNS.items():
            if name not in have:
                self._db.execute(f"ALTER TABLE groups ADD COLUMN {name} {kind}")
        check = self._db.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({check})")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    @property
    def db(self) -> sqlite3.Connection:
        """The open journal (a closed one is a bug of ours: said, never a silent None)."""
        if self._db is None:
            raise sqlite3.ProgrammingError("the journal is closed")
        return self._db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ---------------------------------------------------------------- writing
    def begin(self, *, kind: str, title: str, steps: Sequence[ApiRequest[Any]], profile: str,
              user_id: int | None = None, ticket_id: int | None = None, ticket_number: int | None = None,
              claim: str | None = None) -> str:
        """Record a group and all of its planned steps, before anything is sent (claimed by ``claim``, if given)."""
        group_id = uuid.uuid4().hex
        now = _ts(self.clock())
        with self._tx() as db:
            db.execute("INSERT INTO groups (id, kind, title, ticket_id, profile, user_id, state, note, created_at,"
                       " updated_at, claim_owner, claim_at, ticket_number) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       (group_id, kind, _storable(redact(title)), ticket_id, profile, user_id, GroupState.OPEN, None, now,
                        now, claim, _ts(utc_now()) if claim else None, ticket_number))
            for seq, req in enumerate(steps):
                db.execute("INSERT INTO steps (group_id, seq, call, method, path, body, state, updated_at, expect, only_if,"
                           " before) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                           (group_id, seq, req.call, req.method, redact(req.path), _dump(req.body, body=True),
                            StepState.PLANNED, now, _dump(req.expect, body=True), str(req.only_if) if req.only_if else None,
                            _dump(list(req.before)) if req.before is not None else None))
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
                (state, _dump(result), _storable(redact(error)) if error else None, now, state, now, group_id, seq))
            db.execute("UPDATE groups SET updated_at=? WHERE id=?", (now, group_id))

    # ---------------------------------------------------------------- claims
    def claim(self, group_id: str, owner: str, *, free: Any) -> str | None:
        """Claim a group for sending by ``owner``; None when claimed, else the live owner that has it.

        ``free(group)`` says whether another process's claim may be taken over (it is gone, or its heartbeat
        is stale). The read and the update are one transaction, so two windows cannot both win.
        """
        with self._tx() as db:
            row = db.execute("SELECT * FROM groups WHERE id=?", (group_id,)).fetchone()
            if row is None:
                raise KeyError(group_id)
            group = self._group(row)
            if group.claim_owner not in (None, owner) and not free(group):
                return group.claim_owner
            db.execute("UPDATE groups SET claim_owner=?, claim_at=? WHERE id=?", (owner, _ts(utc_now()), group_id))
        return None

    def heartbeat(self, group_id: str, owner: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE groups SET claim_at=? WHERE id=? AND claim_owner=?", (_ts(utc_now()), group_id, owner))

    def release(self, group_id: str, owner: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE groups SET claim_owner=NULL, claim_at=NULL WHERE id=? AND claim_owner=?", (group_id, owner))

    def finish(self, group_id: str, state: GroupState = GroupState.DONE, note: str | None = None) -> None:
        with self._tx() as db:
            db.execute("UPDATE groups SET state=?, note=COALESCE(?, note), updated_at=? WHERE id=?",
                       (state, _storable(redact(note)) if note else None, _ts(self.clock()), group_id))

    # ---------------------------------------------------------------- reading
    def group(self, group_id: str) -> Group:
        row = self.db.execute("SELECT * FROM groups WHERE id=?", (group_id,)).fetchone()
        if row is None:
            raise KeyError(group_id)
        return self._group(row)

    def open_groups(self, profile: str | None = None) -> list[Group]:
        """Groups cut short: offered for resume (or abandon) at start."""
        sql = "SELECT * FROM groups WHERE state=?" + (" AND profile=?" if profile else "") + " ORDER BY created_at"
        args: tuple[Any, ...] = (GroupState.OPEN, profile) if profile else (GroupState.OPEN,)
        return [self._group(r) for r in self.db.execute(sql, args)]

    def groups_between(self, start: datetime, end: datetime, profile: str | None = None) -> list[Group]:
        sql = "SELECT * FROM groups WHERE created_at >= ? AND created_at < ?" + (" AND profile=?" if profile else "")
        args: tuple[Any, ...] = (_ts(start), _ts(end)) + ((profile,) if profile else ())
        return [self._group(r) for r in self.db.execute(sql + " ORDER BY created_at", args)]

    def _group(self, row: sqlite3.Row) -> Group:
        steps = tuple(_step(s) for s in self.db.execute("SELECT * FROM steps WHERE group_id=? ORDER BY seq", (row["id"],)))
        problems = []
        state, created = GroupState.OPEN, datetime.fromtimestamp(0, UTC)  # what a damaged row reads as
        try:
            state = GroupState(row["state"])
        except ValueError:
            problems.append("its state cannot be read")
        try:
            created = datetime.fromisoformat(row["created_at"])
        except (TypeError, ValueError):
            problems.append("its time cannot be read")
        claim_at = None
        if row["claim_at"]:
            try:
                claim_at = datetime.fromisoformat(row["claim_at"])
            except ValueError:
                problems.append("its claim cannot be read")
        return Group(id=row["id"], kind=row["kind"], title=row["title"], ticket_id=row["ticket_id"], profile=row["profile"],
                     user_id=row["user_id"], state=state, note=row["note"], created_at=created, steps=steps,
                     problem="; ".join(problems) or None, claim_owner=row["claim_owner"], claim_at=claim_at,
                     ticket_number=row["ticket_number"])


def _dump(value: Any, *, body: bool = False) -> str | None:
    """JSON for the journal, keys masked. A request body keeps its order and text (it may be sent on resume)."""
    if value is None:
        return None
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json")
    return json.dumps(redact_data(value, patterns=not body), default=str)


def _storable(text: str) -> str:
    """Text SQLite can store: a lone surrogate (from Syncro's JSON) becomes U+FFFD instead of failing the write."""
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _load(text: str | None) -> Any:
    return json.loads(text) if text else None


def _step(row: sqlite3.Row) -> Step:
    """One journal row as a step; a row that cannot be read is a damaged step (shown as such, never sent)."""
    problems: list[str] = []

    def read(name: str, parse: Any) -> Any:
        try:
            return parse(row[name])
        except (ValueError, TypeError) as exc:
            problems.append(f"its {name} cannot be read ({type(exc).__name__})")
            return None

    state = read("state", StepState) or StepState.UNKNOWN
    return Step(group_id=row["group_id"], seq=row["seq"], call=row["call"], method=row["method"], path=row["path"],
                body=read("body", _load), state=state, result=read("result", _load), error=row["error"],
                sent_at=read("sent_at", lambda v: datetime.fromisoformat(v) if v else None),
                expect=read("expect", _load), only_if=row["only_if"],
                before=read("before", lambda v: tuple(int(i) for i in _load(v)) if v else None),
                damaged="; ".join(problems) or None)
