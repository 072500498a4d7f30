"""Client-side pacing: stay under Syncro's 180 requests a minute (per IP).

One ``Pacer`` is shared by every request of the process, auto-refresh
included. It is a token bucket sized so that no 60-second window can hold
more than ``per_minute - headroom`` requests, and it remembers when each
request went out so the status bar can show the budget used.

The tech's calls go first. Requests made inside ``background()`` (the queue's
loads and refreshes) take a token only when one is free now and no call of
the tech's is waiting, so opening a ticket or billing never queues behind a
5,000-ticket load; both draw on the one budget.

Syncro counts per IP, not per window: ``MachinePacer`` keeps the bucket in a
small SQLite file in the data directory, so every syncro-tui process of one
account on this machine (app windows and the command line) draws on one
budget, and each status bar shows the shared figure. Several machines behind
one office IP still each have their own (see the README).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
SYNCRO_LIMIT_PER_MINUTE = 180
#: How often a background request looks again while it yields (seconds, at most).
BACKGROUND_POLL = 0.25
_BACKGROUND: ContextVar[bool] = ContextVar("syncro_tui_background", default=False)


@contextmanager
def background() -> Iterator[None]:
    """The requests made inside (in this task) are background work: they yield to the tech's."""
    token = _BACKGROUND.set(True)
    try:
        yield
    finally:
        _BACKGROUND.reset(token)


@dataclass(frozen=True)
class Budget:
    used_last_minute: int
    limit_per_minute: int
    waiting: int
    #: Background requests (a queue load) waiting for the tech's calls or a free token.
    background_waiting: int = 0
    #: Whose budget the figure is: this process's ("window"), the machine's, or the office's (issue 37).
    scope: str = "window"


class Pacer:
    #: Why the budget shared beyond this machine is not in use now (an office's Redis away); None: nothing to say.
    problem: str | None = None

    def __init__(self, per_minute: int = SYNCRO_LIMIT_PER_MINUTE, *, headroom: int = 15, burst: int = 20,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        allowed = per_minute - headroom
        if allowed <= burst or burst < 1:
            raise ValueError("per_minute minus headroom must be larger than the burst")
        self.per_minute = per_minute
        self.capacity = float(burst)
        self.rate = (allowed - burst) / 60.0  # tokens per second
        self._tokens = float(burst)
        self._clock = clock
        self._last = clock()
        self._lock = threading.Lock()
        self._sent: deque[float] = deque()
        self._waiting = 0
        self._background_waiting = 0
        self._sleep = sleep

    def _reserve(self) -> float:
        """Take a token now; return how long to wait before using it."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
            self._sent.append(now + wait)
            return wait

    async def _take(self) -> float:
        return self._reserve()

    async def _free(self) -> float:
        return self._available()

    def _available(self) -> float:
        """Tokens free right now, without taking one."""
        with self._lock:
            return min(self.capacity, self._tokens + (self._clock() - self._last) * self.rate)

    async def acquire(self) -> None:
        if _BACKGROUND.get():
            await self._acquire_background()
            return
        self._waiting += 1  # counted before the reservation: background work sees the tech is waiting
        try:
            wait = await self._take()
            if wait > 0:
                await self._sleep(wait)
        finally:
            self._waiting -= 1

    async def _acquire_background(self) -> None:
        """Take a token only when one is free now and no call of the tech's waits: a load never holds a
        future token the tech would then wait behind."""
        self._background_waiting += 1
        try:
            while True:
                free = await self._free()
                if self._waiting == 0 and free >= 1:
                    wait = await self._take()
                    if wait > 0:  # another process took it meanwhile (the machine-wide bucket)
                        await self._sleep(wait)
                    return
                due = (1 - free) / self.rate if free < 1 else BACKGROUND_POLL
                before = self._clock()
                await self._sleep(min(max(due, 0.01), BACKGROUND_POLL))
                if self._clock() == before and self._waiting == 0:  # a clock that stands still never refills
                    await self._take()
                    return
        finally:
            self._background_waiting -= 1

    def drain(self) -> None:
        """After a 429: spend every token so that everyone slows down."""
        with self._lock:
            self._tokens = min(self._tokens, 0.0)

    def budget(self) -> Budget:
        with self._lock:
            now = self._clock()
            while self._sent and now - self._sent[0] >= 60:
                self._sent.popleft()
            used = sum(1 for t in self._sent if t <= now)
            return Budget(used_last_minute=used, limit_per_minute=self.per_minute, waiting=self._waiting,
                          background_waiting=self._background_waiting)


class MachinePacer(Pacer):
    """The same bucket, kept in a file every process of the account on this machine shares.

    Each reservation is one SQLite write transaction (``BEGIN IMMEDIATE``), so
    processes take tokens one at a time. Times are wall-clock seconds, which
    every process reads alike.
    """

    def __init__(self, path: Path, account: str, per_minute: int = SYNCRO_LIMIT_PER_MINUTE, *, headroom: int = 15,
                 burst: int = 20, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        super().__init__(per_minute, headroom=headroom, burst=burst, clock=clock, sleep=sleep)
        from ..files import make_private, private_dir, use_wal

        private_dir(path.parent)
        self.account = account
        self._db = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        use_wal(self._db, path)
        self._db.executescript(
            "CREATE TABLE IF NOT EXISTS bucket (account TEXT PRIMARY KEY, tokens REAL NOT NULL, last REAL NOT NULL);"
            "CREATE TABLE IF NOT EXISTS sent (account TEXT NOT NULL, at REAL NOT NULL);"
            "CREATE INDEX IF NOT EXISTS sent_by_account ON sent(account, at);")
        check = self._db.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            self._db.close()
            raise sqlite3.DatabaseError(f"database disk image is malformed ({check})")
        make_private(path)

    async def _take(self) -> float:
        # Another process may hold the file's lock for a moment (or, stuck, up to the 10 s timeout): wait for it
        # on a thread, never on the loop that draws the screen.
        return await asyncio.to_thread(self._reserve)

    async def _free(self) -> float:
        return await asyncio.to_thread(self._available)

    def _available(self) -> float:
        with self._lock:
            now = self._clock()
            row = self._db.execute("SELECT tokens, last FROM bucket WHERE account=?", (self.account,)).fetchone()
        tokens, last = row if row else (self.capacity, now)
        return min(self.capacity, tokens + max(now - last, 0.0) * self.rate)

    def _reserve(self) -> float:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                now = self._clock()
                row = self._db.execute("SELECT tokens, last FROM bucket WHERE account=?", (self.account,)).fetchone()
                tokens, last = row if row else (self.capacity, now)
                tokens = min(self.capacity, tokens + max(now - last, 0.0) * self.rate) - 1
                wait = 0.0 if tokens >= 0 else -tokens / self.rate
                self._db.execute("INSERT OR REPLACE INTO bucket VALUES (?, ?, ?)", (self.account, tokens, now))
                self._db.execute("INSERT INTO sent VALUES (?, ?)", (self.account, now + wait))
                self._db.execute("DELETE FROM sent WHERE account=? AND at < ?", (self.account, now - 120))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return wait

    def drain(self) -> None:
        with self._lock:
            self._db.execute("UPDATE bucket SET tokens=MIN(tokens, 0), last=MAX(last, ?) WHERE account=?", (self._clock(), self.account))

    def budget(self) -> Budget:
        with self._lock:
            now = self._clock()
            used = self._db.execute("SELECT COUNT(*) FROM sent WHERE account=? AND at > ? AND at <= ?",
                                    (self.account, now - 60, now)).fetchone()[0]
        return Budget(used_last_minute=used, limit_per_minute=self.per_minute, waiting=self._waiting,
                      background_waiting=self._background_waiting, scope="machine")


_shared: Pacer | None = None
#: Why the machine's shared budget could not be had (None: it is in use, or none was asked for).
_shared_problem: str | None = None


def burst_for(per_minute: int, headroom: int) -> int:
    """The burst a budget allows: 20 calls at Syncro's limit, fewer for a machine given a small share of it."""
    return max(1, min(20, (per_minute - headroom) // 4))


def configure_shared_pacer(per_minute: int = SYNCRO_LIMIT_PER_MINUTE, headroom: int = 15, *,
                           machine: tuple[Path, str] | None = None,
                           office: Callable[[Pacer, int, int, int], Pacer] | None = None) -> Pacer:
    """Replace the process-wide pacer (from the config, at start-up); ``machine``: (file, account) to share it
    with every other syncro-tui process of that account on this machine; ``office``: makes the office's budget
    (``api/office.py``) from the machine's, which stays behind it: (machine's, per_minute, headroom, burst).

    A damaged budget file is set aside (renamed, never deleted) and a new one started. When the shared budget
    still cannot be had, this process paces itself alone and ``shared_pacer_problem()`` says why."""
    global _shared, _shared_problem
    burst = burst_for(per_minute, headroom)
    _shared_problem = None
    _shared = _machine_or_alone(per_minute, headroom, burst, machine)
    if office is not None:
        _shared = office(_shared, per_minute, headroom, burst)
    return _shared


def _machine_or_alone(per_minute: int, headroom: int, burst: int, machine: tuple[Path, str] | None) -> Pacer:
    """The machine's budget, or this process's own when it cannot be had (``_shared_problem`` says why)."""
    global _shared_problem
    if machine is not None:
        path, account = machine
        try:
            return MachinePacer(path, account, per_minute, headroom=headroom, burst=burst)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):  # locked for good, or a folder it cannot write
                _shared_problem = (f"the machine's request budget ({path}) cannot be used ({exc}): this window "
                                   "paces itself alone, so several windows together may exceed Syncro's limit")
            else:
                aside = set_aside(path)
                try:
                    pacer = MachinePacer(path, account, per_minute, headroom=headroom, burst=burst)
                    log.warning("the request budget file was damaged (%s); kept at %s, a new one started", exc, aside)
                    return pacer
                except (OSError, sqlite3.Error) as again:
                    _shared_problem = f"the machine's request budget cannot be used ({again}): this window paces itself alone"
        except OSError as exc:
            _shared_problem = (f"the machine's request budget cannot be kept in {path.parent} ({exc.strerror or exc}): "
                               "this window paces itself alone")
    return Pacer(per_minute, headroom=headroom, burst=burst)


def shared_pacer_problem() -> str | None:
    """Why this process paces alone although a shared budget was asked for (None: nothing to say): the machine's
    could not be had, or the office's Redis does not answer now."""
    return _shared_problem or (_shared.problem if _shared is not None else None)


def set_aside(path: Path) -> Path:
    """Keep a damaged SQLite file (and its -wal, -shm) under a dated name; where it now is."""
    aside = path.with_name(f"{path.stem}.damaged-{time.strftime('%Y%m%d-%H%M%S')}{path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.replace(aside.with_name(aside.name + suffix))
    return aside


def shared_pacer() -> Pacer:
    """The process-wide pacer."""
    global _shared
    if _shared is None:
        _shared = Pacer()
    return _shared
