"""A journaled group of writes and its steps, as the journal reads them back, and who is sending it."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from ..host import alive


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
    #: What of this row could not be read (a damaged journal): such a step is never sent, only shown.
    damaged: str | None = None
    #: A create's look-alikes that existed before it was sent (``ApiRequest.before``).
    before: tuple[int, ...] | None = None


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
    #: What of the group's own row could not be read (a damaged journal).
    problem: str | None = None
    #: The process sending it right now ("host:pid"), and its last heartbeat; None when nobody is.
    claim_owner: str | None = None
    claim_at: datetime | None = None
    #: The ticket's number, as the tech knows it (None for a new ticket, and in journals from before it was kept).
    ticket_number: int | None = None

    @property
    def damaged(self) -> str | None:
        """Why part of this group cannot be read back from the journal, if it cannot."""
        if self.problem:
            return self.problem
        return next((f"call {s.seq + 1}: {s.damaged}" for s in self.steps if s.damaged), None)

    @property
    def next_step(self) -> Step | None:
        """The first step not settled: where a resume starts."""
        return next((s for s in self.steps if not s.state.settled), None)


#: A claim whose heartbeat is older than this is taken over (its process hung or its machine went away).
CLAIM_STALE = timedelta(seconds=120)
#: This process, as a group's claim names it.
PROCESS = f"{socket.gethostname()}:{os.getpid()}"


def claim_is_free(group: Group) -> bool:
    """Whether another process's claim on ``group`` may be taken over: its process is gone, or it went quiet."""
    host, _, pid = (group.claim_owner or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and not alive(int(pid)):
        return True
    return group.claim_at is None or utc_now() - group.claim_at > CLAIM_STALE


def running_elsewhere(group: Group) -> str | None:
    """Where the group is being sent right now, in words, when that is another live process."""
    if group.claim_owner in (None, PROCESS) or claim_is_free(group):
        return None
    host, _, pid = (group.claim_owner or "").rpartition(":")
    return f"being sent by another syncro-tui window (process {pid} on {host})"


def utc_now() -> datetime:
    return datetime.now(UTC)
