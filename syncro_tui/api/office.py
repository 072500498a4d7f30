"""One request budget for every machine of the office, kept in Redis (issue 37, README "A shop behind one address").

Syncro counts 180 requests a minute per IP address, and an office's technicians share one address. With
``[office] redis`` set, every syncro-tui process of the account, on every machine, takes its tokens from one
bucket in Redis, updated atomically by one Lua script on Redis's own clock (the machines' clocks never matter):

- a tech's call always reserves the next token, now or when it comes (and waits for it);
- background work (loads, refreshes, sweeps) takes a token only when one is free at that moment, so it never
  holds a future token that any machine's tech would then wait behind: a tech's reservation leaves the bucket
  empty, and every background load in the office yields until it refills.

For the budget Redis is told only counts and times: the bucket's level and when each request went out, under keys
named by the account's address (``syncro-tui:<account>:…``). The sweeps share the day's tickets there too
(``TicketStore``), so the office reads each once; never a key.

When Redis cannot be reached (or answers garbage it cannot mend), the process falls back to the machine's
budget at once, says so once (``problem``), and looks for Redis again in the background every
``RETRY_SECONDS``; no frame and no call ever waits for that look. A call in flight when Redis goes away waits
at most the socket timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .pacing import BACKGROUND_POLL, Budget, Pacer

if TYPE_CHECKING:
    import redis

    from .models import Ticket

log = logging.getLogger(__name__)

#: How long one Redis call may take before the office budget counts as unreachable (seconds).
SOCKET_TIMEOUT = 0.5
#: How often an unreachable Redis is looked for again, in the background.
RETRY_SECONDS = 5.0
#: How old the office's figure in the status bar may get before it is read again (in the background).
FIGURE_SECONDS = 2.0
#: How long a sweep's claim on reading a ticket holds unless renewed: the claiming sweep renews it every third of
#: this while its read waits in line for the office's budget, so only a claim whose process died lapses.
CLAIM_MS = 30_000
#: How often a sweep waiting on another's read looks in the store (and at the claim) again.
LOOK_SECONDS = 0.5
#: How long the office keeps a ticket a sweep read: the day, and the evening's sweeps of it.
KEEP_SECONDS = 36 * 3600

#: KEYS: the bucket (hash: tokens, last), the send times (sorted set). ARGV: capacity, rate (tokens a second),
#: mode ("take": reserve the next token; "try": take one only if one is free now; "look": take none; "drain": spend
#: every token, after a 429), a member
#: id for the send time. Returns {tokens or wait as text, used in the last minute, taken (1/0)}.
#: A key of the wrong type or a value that is not a number (garbage under our keys) is started afresh.
SCRIPT = """
local function fresh(key, want)
  local kind = redis.call('TYPE', key).ok
  if kind ~= 'none' and kind ~= want then redis.call('DEL', key) end
end
local function text(value) return string.format('%.0f', value) end
fresh(KEYS[1], 'hash')
fresh(KEYS[2], 'zset')
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])  -- microseconds: exact, and sent exactly
local capacity, rate, mode = tonumber(ARGV[1]), tonumber(ARGV[2]) / 1000000, ARGV[3]
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
if tokens == nil or last == nil or tokens ~= tokens or last ~= last or tokens > capacity
   or tokens < -capacity * 100 or last > now + 60000000 then
  tokens, last = capacity, now
end
tokens = math.min(capacity, tokens + math.max(now - last, 0) * rate)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', text(now - 120000000))
local taken = 0
local out = tokens
if mode == 'drain' then
  redis.call('HSET', KEYS[1], 'tokens', tostring(math.min(tokens, 0)), 'last', text(now))
  redis.call('PEXPIRE', KEYS[1], 600000)
elseif mode == 'take' or (mode == 'try' and tokens >= 1) then
  tokens = tokens - 1
  local wait = 0
  if tokens < 0 then wait = -tokens / rate end
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'last', text(now))
  redis.call('ZADD', KEYS[2], text(now + wait), ARGV[4])
  redis.call('PEXPIRE', KEYS[1], 600000)
  redis.call('PEXPIRE', KEYS[2], 600000)
  taken = 1
  out = wait / 1000000
end
local used = redis.call('ZCOUNT', KEYS[2], '(' .. text(now - 60000000), text(now))
return {tostring(out), used, taken}
"""


def where(url: str) -> str:
    """The Redis server a URL names, as it may be shown: host and port, never a password."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"


class OfficePacer(Pacer):
    """The budget every machine of the office shares, with the machine's budget (``fallback``) behind it."""

    def __init__(self, url: str, account: str, fallback: Pacer, per_minute: int, *, headroom: int = 15,
                 burst: int = 20, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 retry_seconds: float = RETRY_SECONDS) -> None:
        super().__init__(per_minute, headroom=headroom, burst=burst, sleep=sleep)
        import redis as redis_client  # only with an office budget: a machine alone never imports it

        self.url = url
        self.where = where(url)
        self.fallback = fallback
        self.retry_seconds = retry_seconds
        self._redis: redis.Redis = redis_client.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT, health_check_interval=0)
        self._script = self._redis.register_script(SCRIPT)
        prefix = f"syncro-tui:{account or 'default'}"
        self._keys = [f"{prefix}:bucket", f"{prefix}:sent"]
        self._errors: tuple[type[BaseException], ...] = (redis_client.RedisError, OSError)
        self.problem = None  # in use (``_went_away`` says why it is not)
        self._retry_at = 0.0
        self._probing = False
        self._used = 0
        self._read_at = 0.0
        self._state_lock = threading.Lock()

    # ------------------------------------------------------------ Redis, or the machine when it is away
    def _run(self, mode: str) -> tuple[float, bool] | None:
        """One script call (on a thread: never on the loop); None when Redis is away (the fallback is used)."""
        try:
            value, used, taken = self._script(keys=self._keys,
                                              args=[self.capacity, self.rate, mode, uuid.uuid4().hex])
        except self._errors as exc:
            self._went_away(exc)
            return None
        with self._state_lock:
            self._used, self._read_at = int(used), time.monotonic()
            if self.problem is not None:
                log.warning("the office's request budget at %s answers again: it is in use", self.where)
            self.problem = None
        return float(value), bool(taken)

    def _went_away(self, exc: BaseException) -> None:
        with self._state_lock:
            if self.problem is None:
                log.warning("the office's request budget at %s cannot be reached (%s): this machine paces alone",
                            self.where, type(exc).__name__)
            self.problem = (f"the office's request budget (Redis at {self.where}) cannot be reached: this machine "
                            "paces itself until it answers, so the office may exceed Syncro's limit")
            self._retry_at = time.monotonic() + self.retry_seconds

    def _office(self) -> bool:
        """Whether to ask Redis now: yes while it answers; when it is away, only a background look asks it."""
        with self._state_lock:
            if self.problem is None:
                return True
            if self._probing or time.monotonic() < self._retry_at:
                return False
            self._probing = True
        threading.Thread(target=self._probe, name="office-budget-probe", daemon=True).start()
        return False

    def _probe(self) -> None:
        try:
            self._run("look")
        finally:
            with self._state_lock:
                self._probing = False

    async def _take(self) -> float:
        if self._office():
            done = await asyncio.to_thread(self._run, "take")
            if done is not None:
                return done[0]
        await self.fallback.acquire()  # the machine's budget, waited for there
        return 0.0

    async def _acquire_background(self) -> None:
        """Take a token only when one is free in the office at that moment (Redis decides, atomically): every
        machine's background work yields to any tech's call, which leaves the bucket empty while it waits."""
        self._background_waiting += 1
        try:
            while True:
                if not self._office():
                    await self.fallback.acquire()  # in background(): the machine's background rules
                    return
                if self._waiting == 0:
                    done = await asyncio.to_thread(self._run, "try")
                    if done is None:
                        continue  # away: the machine's budget, above
                    free, taken = done
                    if taken:
                        return
                    due = (1 - free) / self.rate if free < 1 else BACKGROUND_POLL
                else:
                    due = BACKGROUND_POLL
                await self._sleep(min(max(due, 0.01), BACKGROUND_POLL))
        finally:
            self._background_waiting -= 1

    def drain(self) -> None:
        """After a 429 the whole office slows down, not this machine alone: Syncro's window is the address's.
        Told to Redis on a thread of its own: the call that got the 429 never waits for it."""
        self.fallback.drain()
        if self._office():
            threading.Thread(target=self._run, args=("drain",), name="office-budget-drain", daemon=True).start()

    def budget(self) -> Budget:
        """The office's figure as last read (never a Redis call on the caller's thread: an old figure is read again
        in the background); the machine's when Redis is away."""
        if self.problem is not None:
            return self.fallback.budget()
        if time.monotonic() - self._read_at > FIGURE_SECONDS and self._office():
            with self._state_lock:
                start, self._probing = not self._probing, True
            if start:
                threading.Thread(target=self._probe, name="office-budget-figure", daemon=True).start()
        return Budget(used_last_minute=self._used, limit_per_minute=self.per_minute, waiting=self._waiting,
                      background_waiting=self._background_waiting, scope="office")


class TicketStore:
    """The day's tickets as the office's sweeps read them, shared in Redis (``OfficePacer.tickets``): a ticket read
    by one tech's sweep is every other sweep's, as long as its ``updated_at`` is the one Syncro lists now.

    Each ticket is kept whole (as the app's model of it, never a key) under ``syncro-tui:<account>:ticket:<id>``,
    by its ``updated_at``, for a day. A sweep that finds another reading a ticket (a claim, for a few seconds) reads
    the others first and comes back for it. Redis away: every read is the sweep's own, as without an office.
    """

    def __init__(self, pacer: OfficePacer) -> None:
        self.pacer = pacer
        self._prefix = pacer._keys[0].rsplit(":", 1)[0] + ":ticket:"

    def _key(self, ticket_id: int) -> str:
        return f"{self._prefix}{ticket_id}"

    def get(self, ticket_id: int, updated_at: datetime) -> Ticket | None:
        """The ticket another sweep read, if it is the version Syncro lists now or a newer one (a ticket billed
        while the office sweeps: read once more by one sweep, not by each); on a thread, never the loop."""
        from .models import Ticket

        if not self.pacer._office():
            return None
        try:
            versions = self.pacer._redis.hgetall(self._key(ticket_id))
        except self.pacer._errors as exc:
            self.pacer._went_away(exc)
            return None
        kept = None
        if isinstance(versions, dict):
            stamps = {}
            for stamp, record in versions.items():
                try:
                    stamps[datetime.fromisoformat(stamp.decode() if isinstance(stamp, bytes) else stamp)] = record
                except ValueError:  # not one of ours: passed over
                    continue
            newest = max(stamps, default=None)
            kept = stamps[newest] if newest is not None and newest >= updated_at else None
        if not isinstance(kept, bytes):
            return None
        try:
            return Ticket.model_validate_json(kept)
        except ValueError:  # garbage under our key: read from Syncro, and kept afresh
            return None

    def _claim_key(self, ticket_id: int, updated_at: datetime) -> str:
        return f"{self._key(ticket_id)}:reading:{_stamp(updated_at)}"

    def _on_claim(self, call: str, ticket_id: int, updated_at: datetime) -> bool:
        """One Redis call on the claim (``claim``, ``hold``, ``release``, ``claimed``); Redis away: as if alone."""
        if not self.pacer._office():
            return call == "claim"
        key = self._claim_key(ticket_id, updated_at)
        try:
            if call == "claim":
                return bool(self.pacer._redis.set(key, "1", nx=True, px=CLAIM_MS))
            if call == "hold":
                return bool(self.pacer._redis.pexpire(key, CLAIM_MS))
            if call == "release":
                return bool(self.pacer._redis.delete(key))
            return bool(self.pacer._redis.exists(key))
        except self.pacer._errors as exc:
            self.pacer._went_away(exc)
            return call == "claim"

    def claim(self, ticket_id: int, updated_at: datetime) -> bool:
        """This sweep reads the ticket now (True), or another sweep of the office is reading it (False)."""
        return self._on_claim("claim", ticket_id, updated_at)

    @contextlib.asynccontextmanager
    async def holding(self, ticket_id: int, updated_at: datetime) -> AsyncIterator[None]:
        """Keeps this sweep's claim alive while its read waits in line behind the office's other calls (twenty
        sweeps and their techs' calls can make that longer than a claim lasts, and the ticket was then read twice);
        a read that fails lets the claim go at once, so a sweep waiting for it reads it instead."""
        async def renew() -> None:
            while True:
                await self.pacer._sleep(CLAIM_MS / 3000)
                await asyncio.to_thread(self._on_claim, "hold", ticket_id, updated_at)

        renewing = asyncio.create_task(renew())
        try:
            yield
        except BaseException:
            await asyncio.shield(asyncio.to_thread(self._on_claim, "release", ticket_id, updated_at))
            raise
        finally:
            renewing.cancel()

    async def read_by_another(self, ticket_id: int, updated_at: datetime) -> Ticket | None:
        """The ticket another sweep of the office claimed, once that sweep has put it in the store; None when no
        sweep claims it any more without having kept it (its read failed, or its process died): read it here."""
        while True:
            kept = await asyncio.to_thread(self.get, ticket_id, updated_at)
            if kept is not None:
                return kept
            if not await asyncio.to_thread(self._on_claim, "claimed", ticket_id, updated_at):
                return await asyncio.to_thread(self.get, ticket_id, updated_at)  # kept just as the claim went
            await self.pacer._sleep(LOOK_SECONDS)

    def put(self, ticket: Ticket) -> None:
        if not self.pacer._office():
            return
        key = self._key(ticket.id)
        try:
            with self.pacer._redis.pipeline() as pipe:
                if self.pacer._redis.type(key) not in (b"hash", b"none"):
                    pipe.delete(key)
                pipe.hset(key, _stamp(ticket.updated_at), ticket.model_dump_json())
                pipe.expire(key, KEEP_SECONDS)
                pipe.execute()
        except self.pacer._errors as exc:
            self.pacer._went_away(exc)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def office_store(pacer: Pacer) -> TicketStore | None:
    """The office's shared tickets, when this process paces on the office's budget (None: a machine alone)."""
    return TicketStore(pacer) if isinstance(pacer, OfficePacer) else None
