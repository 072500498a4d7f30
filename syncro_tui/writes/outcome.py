"""What sending a group came to: each step's outcome, the group's, and why a group could not be sent at all."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..api.fields import Model
from ..domain.text import counted
from .groups import GroupState, StepState
from .reconcile import Verdict


class AttributionRefused(Exception):
    """The key's owner is not the tech who is working: Syncro would record the write under someone else."""


class DamagedGroup(Exception):
    """Part of a journaled group cannot be read back: it is never resumed, only looked at and abandoned."""


class GroupClaimed(Exception):
    """Another window (or the CLI) is sending this group right now: only one process ever sends a group."""


R = TypeVar("R", bound=Model)


@dataclass(frozen=True)
class Outcome:
    state: StepState
    message: str
    #: The record Syncro answered with (or the one read back), or a check's facts as journaled.
    result: Model | Mapping[str, Any] | None = None
    verdict: Verdict | None = None
    group_id: str | None = None
    seq: int = 0
    #: A check step (Syncro read back and compared), not a write.
    checked: bool = False
    #: The HTTP status Syncro refused the call with (404 where an account lacks a feature, 422 for its reasons).
    status: int | None = None

    @property
    def landed(self) -> bool:
        return self.state.landed

    @property
    def settled(self) -> bool:
        return self.state.settled

    @property
    def duplicates(self) -> tuple[Any, ...]:
        """Older copies of a record that landed more than once (offered for removal before going on)."""
        return self.verdict.duplicates if self.verdict else ()


@dataclass(frozen=True)
class GroupOutcome:
    group_id: str
    state: GroupState
    #: What happened to each step this run touched, in order.
    steps: tuple[Outcome, ...] = field(default_factory=tuple)

    @property
    def done(self) -> bool:
        return self.state is GroupState.DONE

    @property
    def stopped(self) -> Outcome | None:
        """The step the run stopped at (did not land, is in doubt, or landed twice), if it stopped."""
        return None if self.done or not self.steps else self.steps[-1]

    def record(self, kind: type[R]) -> R | None:
        """The last record of ``kind`` this run wrote (the invoice a billing run made, say)."""
        return next((s.result for s in reversed(self.steps) if isinstance(s.result, kind)), None)

    @property
    def message(self) -> str:
        if self.done:
            if len(self.steps) <= 1:
                return "Saved in Syncro."
            checked = sum(s.checked for s in self.steps)
            skipped = sum(s.state is StepState.SKIPPED for s in self.steps)
            saved = len(self.steps) - checked - skipped
            return (f"All done: {counted(saved, 'call')} saved in Syncro" + (f", {checked} read back and checked" if checked else "")
                    + (f", {skipped} not needed" if skipped else "") + ".")
        stop = self.stopped
        return stop.message if stop else "Nothing was sent."
