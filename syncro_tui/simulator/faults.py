"""Fault injection: make a chosen call fail the way networks and Syncro fail.

A fault matches calls by route name (``"add_comment"``) and/or HTTP method,
skips the first ``skip`` matching calls, then applies to the next ``times``
calls (``times=0``: every call from then on).

``when="before"`` fails the call before anything is written. ``when="after"``
writes the record first and then fails the response: the case that creates
duplicates in real life, because the client cannot tell that the write landed.

Kinds:
- ``timeout``: the server hangs for ``delay`` seconds (longer than the client's
  timeout). Before commit, it then drops the connection without writing.
- ``drop``: the connection is closed without a complete response.
- ``500``: Rails' HTML error page with status 500.
- ``garbage``: status 200 with a body that does not parse as JSON.
- ``429``: Syncro's rate-limit answer (nothing written; only ``before``).
- ``latency``: ``delay`` seconds added, then the call goes on normally.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FaultKind = Literal["timeout", "drop", "500", "garbage", "429", "latency"]
KINDS: tuple[str, ...] = ("timeout", "drop", "500", "garbage", "429", "latency")

log = logging.getLogger("syncro_tui.simulator")

#: How each fault is told in the simulator's log: one line, since it was asked for (never a traceback).
TOLD = {"timeout": "hangs {delay:g} s", "drop": "connection dropped", "500": "answered a 500 page",
        "garbage": "answered unparseable JSON", "429": "answered 429 (rate limited)", "latency": "delayed {delay:g} s"}


@dataclass
class Fault:
    kind: FaultKind
    route: str | None = None
    method: str | None = None
    when: Literal["before", "after"] = "before"
    times: int = 1
    skip: int = 0
    delay: float = 30.0
    #: How many calls this fault has been applied to (read by tests).
    applied: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {', '.join(KINDS)}")
        if self.when not in ("before", "after"):
            raise ValueError("when must be 'before' or 'after'")
        if self.kind == "429" and self.when == "after":
            raise ValueError("a 429 is never sent after a write: Syncro rejects before processing")

    def matches(self, method: str, route: str) -> bool:
        return (self.route is None or self.route == route) and (self.method is None or self.method.upper() == method)

    @property
    def spent(self) -> bool:
        return self.times > 0 and self.applied >= self.times

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultPlan:
    """The faults in force; thread-safe, because the server may run in a thread."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault | None = None, /, **spec: Any) -> Fault:
        fault = fault or Fault(**spec)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, method: str, route: str) -> Fault | None:
        """The fault for this call, if any, counting the call against it."""
        with self._lock:
            for fault in self._faults:
                if fault.spent or not fault.matches(method, route):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.applied += 1
                log.warning("Injected fault on %s %s: %s%s", method, route, TOLD[fault.kind].format(delay=fault.delay),
                            "" if fault.kind in ("429", "latency") else
                            f" ({'after' if fault.when == 'after' else 'before'} the call was processed)")
                return fault
        return None

    def list(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)
