"""Client-side pacing: stay under Syncro's 180 requests a minute (per IP).

One ``Pacer`` is shared by every request of the process, auto-refresh
included. It is a token bucket sized so that no 60-second window can hold
more than ``per_minute - headroom`` requests, and it remembers when each
request went out so the status bar can show the budget used.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

SYNCRO_LIMIT_PER_MINUTE = 180


@dataclass(frozen=True)
class Budget:
    used_last_minute: int
    limit_per_minute: int
    waiting: int


class Pacer:
    def __init__(self, per_minute: int = SYNCRO_LIMIT_PER_MINUTE, *, headroom: int = 15, burst: int = 20,
                 clock: Callable[[], float] = time.monotonic) -> None:
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

    async def acquire(self) -> None:
        wait = self._reserve()
        if wait > 0:
            self._waiting += 1
            try:
                await asyncio.sleep(wait)
            finally:
                self._waiting -= 1

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
            return Budget(used_last_minute=used, limit_per_minute=self.per_minute, waiting=self._waiting)


_shared: Pacer | None = None


def configure_shared_pacer(per_minute: int = SYNCRO_LIMIT_PER_MINUTE, headroom: int = 15) -> Pacer:
    """Replace the process-wide pacer (from the config, at start-up)."""
    global _shared
    _shared = Pacer(per_minute, headroom=headroom)
    return _shared


def shared_pacer() -> Pacer:
    """The process-wide pacer."""
    global _shared
    if _shared is None:
        _shared = Pacer()
    return _shared
