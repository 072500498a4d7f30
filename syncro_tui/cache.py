"""The last queue and the tickets opened recently, kept on this machine: rows on screen before Syncro answers.

One SQLite file in the data directory (owner-only), one set of rows per
account and profile: a profile never sees another's. It also keeps where the
tech was (the section, the filter, the ticket selected) for the next start. The queue is kept as its
rows (``QueueRow``), a ticket opened as Syncro sent it; what is read back is
checked as it is read, so a record the app cannot read is skipped, never shown
wrong, and rows an older app kept in another shape are dropped. A cache that cannot be read is moved aside and
started again: it is a convenience, never a reason for the app not to start.
Nothing here is ever sent to Syncro; writes always work from what Syncro says
now.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .domain.queue import QueueRow, sort_key
from .files import make_private, private_dir, use_wal

if TYPE_CHECKING:  # the models (pydantic) load with the client: the queue is drawn from the cache before them
    from .api.models import CannedResponse, Me, Ticket, TicketSettings

log = logging.getLogger("syncro_tui.cache")
#: How many opened tickets are kept (the newest).
RECENT_TICKETS = 200
#: The shape of the queue's table (``PRAGMA user_version``): 3, rows with the queue's order (``sort_key``) in
#: columns, so the first screenfuls can be read alone; 2, rows; before, whole listed tickets.
ROWS_VERSION = 3
SCHEMA = """
CREATE TABLE IF NOT EXISTS queue (owner TEXT NOT NULL, ticket_id INTEGER NOT NULL, record TEXT NOT NULL,
                                  by_priority INTEGER NOT NULL, by_update REAL NOT NULL, by_number INTEGER NOT NULL,
                                  PRIMARY KEY (owner, ticket_id));
CREATE INDEX IF NOT EXISTS queue_order ON queue (owner, by_priority, by_update, by_number);
CREATE TABLE IF NOT EXISTS saved (owner TEXT PRIMARY KEY, at TEXT NOT NULL, watermark TEXT, zone TEXT);
CREATE TABLE IF NOT EXISTS tickets (owner TEXT NOT NULL, ticket_id INTEGER NOT NULL, record TEXT NOT NULL,
                                    at TEXT NOT NULL, PRIMARY KEY (owner, ticket_id));
CREATE TABLE IF NOT EXISTS place (owner TEXT PRIMARY KEY, section TEXT NOT NULL, filter TEXT NOT NULL,
                                  ticket_id INTEGER);
CREATE TABLE IF NOT EXISTS account (owner TEXT PRIMARY KEY, me TEXT, ticket_settings TEXT);
CREATE TABLE IF NOT EXISTS inbox (owner TEXT NOT NULL, day TEXT NOT NULL, ticket_id INTEGER NOT NULL,
                                  record TEXT NOT NULL, PRIMARY KEY (owner, day, ticket_id));
CREATE TABLE IF NOT EXISTS canned (owner TEXT PRIMARY KEY, records TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sorts (owner TEXT NOT NULL, section TEXT NOT NULL, sort_column TEXT NOT NULL,
                                  descending INTEGER NOT NULL, PRIMARY KEY (owner, section));
"""


@dataclass(frozen=True)
class CachedQueue:
    tickets: list[QueueRow]
    #: When the queue was last saved (a refresh landed), and the newest update it held.
    saved_at: datetime
    watermark: datetime | None
    #: The account's time zone then (times are shown in it before Syncro has said it again).
    zone: str | None = None
    #: How many rows there are: more than ``tickets`` when only the first were read (less those that could not be).
    total: int = 0


@dataclass(frozen=True)
class Place:
    """Where the tech was in the queue when the app last closed: the section, the filter, the ticket selected."""

    section: str
    filter: str = ""
    ticket_id: int | None = None


@dataclass(frozen=True)
class CachedTicket:
    ticket: Ticket
    saved_at: datetime


@dataclass(frozen=True)
class CachedAccount:
    """What Syncro last said of the account: whose key it is, and its ticket settings (the saved searches, the
    techs' names). Shown, marked as last known, only while Syncro cannot be reached."""

    me: Me | None
    ticket_settings: TicketSettings | None


class Cache:
    def __init__(self, path: Path, owner: str) -> None:
        """``owner``: whose rows these are (the account's address and the profile), never shared."""
        self.path = path
        self.owner = owner
        #: What was wrong with the file when it had to be set aside (said once, in the log).
        self.damage: str | None = None
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        private_dir(self.path.parent)
        try:
            return self._connect()
        except sqlite3.OperationalError:
            raise  # locked by another window, or not openable: not damage, and never moved aside
        except sqlite3.DatabaseError as exc:
            self._set_aside(exc)
            return self._connect()

    def _set_aside(self, exc: sqlite3.DatabaseError) -> None:
        kept = self.path.with_name(f"{self.path.stem}.damaged-{datetime.now(UTC):%Y%m%d-%H%M%S}{self.path.suffix}")
        for suffix in ("", "-wal", "-shm"):
            part = self.path.with_name(self.path.name + suffix)
            if part.exists():
                part.rename(kept.with_name(kept.name + suffix))
        self.damage = f"the local cache could not be read ({exc}); it was moved aside to {kept} and started again"
        log.warning("%s", self.damage)

    def _recover(self, exc: sqlite3.DatabaseError) -> None:
        """After a read or write failed: a file damaged inside (garbage pages open, then fail) is set aside and a
        new cache started, so starting from the cache works again; a locked or full one is left as it is."""
        if isinstance(exc, sqlite3.OperationalError):
            return
        self._db.close()
        try:
            self._set_aside(exc)
            self._db = self._connect()
        except (OSError, sqlite3.Error) as again:
            log.warning("the local cache could not be started again: %s", again)
            self._db = sqlite3.connect(":memory:", check_same_thread=False)  # nothing kept this run; Syncro is read
            self._db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
        try:
            use_wal(db, self.path)
            # No sync to disk at each commit: a crash may lose the last refresh kept, never the file's
            # consistency, and the next start's refresh brings what was lost (the journal of writes, a file of
            # its own, syncs every commit).
            db.execute("PRAGMA synchronous=NORMAL")
            if db.execute("PRAGMA user_version").fetchone()[0] != ROWS_VERSION:  # an older app's queue: read again
                db.executescript(f"DROP TABLE IF EXISTS queue; DROP TABLE IF EXISTS saved; "
                                 f"PRAGMA user_version={ROWS_VERSION};")
            db.executescript(SCHEMA)
            db.execute("SELECT COUNT(*) FROM queue").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        make_private(self.path)
        return db

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------ the queue
    def queue(self, first: int | None = None) -> CachedQueue | None:
        """The queue as last saved for this owner, or None (never saved, or unreadable: then it is dropped).

        ``first``: only that many rows, the first in the queue's order (``total`` says how many there are), so a
        queue of 20,000 has its first screenfuls on screen before the rest is read."""
        try:
            saved = self._db.execute("SELECT at, watermark, zone FROM saved WHERE owner=?", (self.owner,)).fetchone()
            if saved is None:
                return None
            rows = self._db.execute("SELECT record FROM queue WHERE owner=? ORDER BY by_priority, by_update, by_number "
                                    "LIMIT ?", (self.owner, -1 if first is None else first)).fetchall()
            total = len(rows) if first is None or len(rows) < first else self._db.execute(
                "SELECT COUNT(*) FROM queue WHERE owner=?", (self.owner,)).fetchone()[0]
        except sqlite3.DatabaseError as exc:
            log.warning("the cached queue could not be read: %s", exc)
            self._recover(exc)
            return None
        tickets = []
        for (record,) in rows:
            try:
                tickets.append(QueueRow.from_record(json.loads(record)))
            except (KeyError, TypeError, ValueError):
                continue  # not a row this app can read: the refresh brings the ticket back
        return CachedQueue(tickets, datetime.fromisoformat(saved[0]),
                           datetime.fromisoformat(saved[1]) if saved[1] else None, saved[2],
                           total=total - (len(rows) - len(tickets)))

    def save_queue(self, *, changed: Iterable[QueueRow], removed: Iterable[int], watermark: datetime | None,
                   at: datetime, replace: bool = False, zone: str | None = None) -> None:
        """What a refresh changed (``replace``: a full load, so nothing else stays)."""
        try:
            self._db.execute("BEGIN")
            if replace:
                self._db.execute("DELETE FROM queue WHERE owner=?", (self.owner,))
            self._db.executemany("INSERT OR REPLACE INTO queue VALUES (?, ?, ?, ?, ?, ?)",
                                 ((self.owner, t.id, json.dumps(t.record()), *sort_key(t)) for t in changed))
            self._db.executemany("DELETE FROM queue WHERE owner=? AND ticket_id=?",
                                 [(self.owner, ticket_id) for ticket_id in removed])
            self._db.execute("INSERT OR REPLACE INTO saved VALUES (?, ?, ?, ?)",
                             (self.owner, at.isoformat(), watermark.isoformat() if watermark else None, zone))
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:  # a full disk: the cache falls behind, the app goes on
            log.warning("the queue could not be cached: %s", exc)
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            self._recover(exc)

    # ------------------------------------------------------------ where the tech was
    def place(self) -> Place | None:
        try:
            row = self._db.execute("SELECT section, filter, ticket_id FROM place WHERE owner=?", (self.owner,)).fetchone()
        except sqlite3.DatabaseError as exc:
            log.warning("the queue's last place could not be read: %s", exc)
            self._recover(exc)
            return None
        return Place(*row) if row else None

    def save_place(self, place: Place) -> None:
        try:
            self._db.execute("INSERT OR REPLACE INTO place VALUES (?, ?, ?, ?)",
                             (self.owner, place.section, place.filter, place.ticket_id))
        except sqlite3.DatabaseError as exc:
            log.warning("the queue's place could not be kept: %s", exc)
            self._recover(exc)

    def sorts(self) -> dict[str, tuple[str, bool]]:
        """Each section's sort (column, descending) as the tech left it."""
        try:
            rows = self._db.execute("SELECT section, sort_column, descending FROM sorts WHERE owner=?",
                                    (self.owner,)).fetchall()
        except sqlite3.DatabaseError as exc:
            log.warning("the queue's sorts could not be read: %s", exc)
            self._recover(exc)
            return {}
        return {section: (column, bool(descending)) for section, column, descending in rows}

    def save_sort(self, section: str, sort: tuple[str, bool] | None) -> None:
        try:
            if sort is None:
                self._db.execute("DELETE FROM sorts WHERE owner=? AND section=?", (self.owner, section))
            else:
                self._db.execute("INSERT OR REPLACE INTO sorts VALUES (?, ?, ?, ?)",
                                 (self.owner, section, sort[0], int(sort[1])))
        except sqlite3.DatabaseError as exc:
            log.warning("the queue's sort could not be kept: %s", exc)
            self._recover(exc)

    # ------------------------------------------------------------ the account, as last read
    def account(self) -> CachedAccount | None:
        from .api.models import Me, TicketSettings

        try:
            row = self._db.execute("SELECT me, ticket_settings FROM account WHERE owner=?", (self.owner,)).fetchone()
        except sqlite3.DatabaseError as exc:
            log.warning("the account as last read could not be read: %s", exc)
            self._recover(exc)
            return None
        if row is None:
            return None

        def read(kind: type[Me] | type[TicketSettings], text: str | None) -> Any:
            try:
                return kind.model_validate_json(text) if text else None
            except ValueError:  # an older app's shape: read again from Syncro when it answers
                return None

        return CachedAccount(read(Me, row[0]), read(TicketSettings, row[1]))

    def save_account(self, *, me: Me | None = None, ticket_settings: TicketSettings | None = None) -> None:
        """Whichever was read (each is read on its own at start)."""
        try:
            self._db.execute("INSERT OR IGNORE INTO account (owner) VALUES (?)", (self.owner,))
            if me is not None:
                self._db.execute("UPDATE account SET me=? WHERE owner=?", (me.model_dump_json(), self.owner))
            if ticket_settings is not None:
                self._db.execute("UPDATE account SET ticket_settings=? WHERE owner=?",
                                 (ticket_settings.model_dump_json(), self.owner))
        except sqlite3.DatabaseError as exc:
            log.warning("the account could not be cached: %s", exc)
            self._recover(exc)

    # ------------------------------------------------------------ tickets opened
    def ticket(self, ticket_id: int) -> CachedTicket | None:
        from .api.models import Ticket

        try:
            row = self._db.execute("SELECT record, at FROM tickets WHERE owner=? AND ticket_id=?",
                                   (self.owner, ticket_id)).fetchone()
            return CachedTicket(Ticket.model_validate_json(row[0]), datetime.fromisoformat(row[1])) if row else None
        except (sqlite3.DatabaseError, ValueError) as exc:
            log.warning("cached ticket %s could not be read: %s", ticket_id, exc)
            return None

    def recent(self, limit: int) -> list[CachedTicket]:
        """The tickets opened last on this machine, newest first (ctrl+e), each as when last read."""
        from .api.models import Ticket

        try:
            rows = self._db.execute("SELECT record, at FROM tickets WHERE owner=? ORDER BY at DESC LIMIT ?",
                                    (self.owner, limit)).fetchall()
        except sqlite3.DatabaseError as exc:
            log.warning("the recent tickets could not be read: %s", exc)
            return []
        out = []
        for record, at in rows:
            try:
                out.append(CachedTicket(Ticket.model_validate_json(record), datetime.fromisoformat(at)))
            except ValueError:  # an older app's shape: left out, read again when next opened
                continue
        return out

    def numbered(self, number: int) -> CachedTicket | None:
        """The ticket numbered ``number`` among those opened on this machine (a go-to while offline)."""
        return next((t for t in self.recent(RECENT_TICKETS) if t.ticket.number == number), None)

    # ------------------------------------------------------------ the alerts inbox
    def inbox(self, day: str) -> list[dict[str, Any]]:
        """The inbox's entries of ``day`` (the account's date, ISO), as kept; older days' are let go."""
        try:
            self._db.execute("DELETE FROM inbox WHERE owner=? AND day<>?", (self.owner, day))
            rows = self._db.execute("SELECT record FROM inbox WHERE owner=? AND day=?", (self.owner, day)).fetchall()
            return [json.loads(row[0]) for row in rows]
        except (sqlite3.DatabaseError, ValueError) as exc:
            log.warning("the alerts inbox could not be read: %s", exc)
            return []

    def save_inbox_entry(self, day: str, ticket_id: int, record: dict[str, Any]) -> None:
        try:
            self._db.execute("INSERT OR REPLACE INTO inbox VALUES (?, ?, ?, ?)",
                             (self.owner, day, ticket_id, json.dumps(record)))
        except sqlite3.DatabaseError as exc:
            log.warning("the alerts inbox could not be kept: %s", exc)
            self._recover(exc)

    # ------------------------------------------------------------ canned responses
    def canned(self) -> tuple[list[CannedResponse], datetime] | None:
        """The account's canned responses as last read, and when (None: never read on this machine)."""
        from pydantic import TypeAdapter

        from .api.models import CannedResponse

        try:
            row = self._db.execute("SELECT records, at FROM canned WHERE owner=?", (self.owner,)).fetchone()
            return (TypeAdapter(list[CannedResponse]).validate_json(row[0]), datetime.fromisoformat(row[1])) if row else None
        except (sqlite3.DatabaseError, ValueError) as exc:
            log.warning("the canned responses kept could not be read: %s", exc)
            return None

    def save_canned(self, responses: list[CannedResponse], *, at: datetime) -> None:
        try:
            self._db.execute("INSERT OR REPLACE INTO canned VALUES (?, ?, ?)",
                             (self.owner, json.dumps([r.model_dump(mode="json") for r in responses]), at.isoformat()))
        except sqlite3.DatabaseError as exc:
            log.warning("the canned responses could not be kept: %s", exc)
            self._recover(exc)

    def save_ticket(self, ticket: Ticket, *, at: datetime) -> None:
        try:
            self._db.execute("INSERT OR REPLACE INTO tickets VALUES (?, ?, ?, ?)",
                             (self.owner, ticket.id, ticket.model_dump_json(), at.isoformat()))
            self._db.execute("DELETE FROM tickets WHERE owner=? AND ticket_id NOT IN (SELECT ticket_id FROM tickets "
                             "WHERE owner=? ORDER BY at DESC LIMIT ?)", (self.owner, self.owner, RECENT_TICKETS))
        except sqlite3.DatabaseError as exc:
            log.warning("ticket %s could not be cached: %s", ticket.id, exc)
            self._recover(exc)
