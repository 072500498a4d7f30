"""Sending one write the safe way: attribution checked, journaled first, never resent blindly.

The UI confirms the exact ``ApiRequest`` and hands that same object here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..api.client import SyncroClient
from ..api.errors import SyncroError, WriteOutcomeUnknown
from ..api.models import Me
from ..api.requests import ApiRequest
from .journal import GroupState, Journal, StepState
from .reconcile import Verdict, reconcile


class AttributionRefused(Exception):
    """The key's owner is not the tech who is working: Syncro would record the write under someone else."""


@dataclass(frozen=True)
class Outcome:
    state: StepState
    message: str
    result: Any = None
    verdict: Verdict | None = None
    group_id: str | None = None

    @property
    def landed(self) -> bool:
        return self.state in (StepState.DONE, StepState.PRESENT)


class WritePath:
    def __init__(self, client: SyncroClient, journal: Journal, *, profile_name: str, user_id: int | None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.client = client
        self.journal = journal
        self.profile_name = profile_name
        self.user_id = user_id
        self.clock = clock
        self._me: Me | None = None

    async def owner(self) -> Me:
        """Whose key this is (GET /me), asked once per run."""
        if self._me is None:
            self._me = await self.client.me()
        return self._me

    async def ensure_attribution(self) -> Me:
        me = await self.owner()
        if self.user_id is None:
            raise AttributionRefused(
                f"Profile '{self.profile_name}' has no user_id, so nobody can tell whose name Syncro will record "
                f"this under (the key is {me.user_name}'s, user {me.user_id}). Set user_id in the profile.")
        if me.user_id != self.user_id:
            raise AttributionRefused(
                f"Refused: this key belongs to {me.user_name} (user {me.user_id}), not to the profile's tech "
                f"(user {self.user_id}). Syncro would record the change under {me.user_name}'s name.")
        return me

    async def send(self, req: ApiRequest[Any], *, kind: str, title: str, ticket_id: int | None = None) -> Outcome:
        """Send one confirmed write as a one-step group."""
        if not req.is_write:
            raise ValueError(f"{req.call} is not a write")
        me = await self.ensure_attribution()
        group_id = self.journal.begin(kind=kind, title=title, steps=[req], profile=self.profile_name,
                                      user_id=me.user_id, ticket_id=ticket_id)
        outcome = await self.run_step(group_id, 0, req)
        if outcome.landed:
            self.journal.finish(group_id)
        elif outcome.state is StepState.FAILED:
            self.journal.finish(group_id, GroupState.ABANDONED, note=outcome.message)
        return outcome

    async def run_step(self, group_id: str, seq: int, req: ApiRequest[Any]) -> Outcome:
        self.journal.mark(group_id, seq, StepState.SENDING)
        sent_at = self.clock()
        try:
            result = await self.client.execute(req)
        except WriteOutcomeUnknown as exc:
            self.journal.mark(group_id, seq, StepState.UNKNOWN, error=str(exc))
            return await self.settle(group_id, seq, req, sent_at, str(exc))
        except SyncroError as exc:  # refused by Syncro, or never sent: nothing was written
            self.journal.mark(group_id, seq, StepState.FAILED, error=str(exc))
            return Outcome(StepState.FAILED, str(exc), group_id=group_id)
        self.journal.mark(group_id, seq, StepState.DONE, result=result)
        return Outcome(StepState.DONE, "Saved in Syncro.", result=result, group_id=group_id)

    async def settle(self, group_id: str, seq: int, req: ApiRequest[Any], sent_at: datetime, why: str) -> Outcome:
        """Decide an ambiguous step by reading Syncro back; never by sending again."""
        try:
            verdict = await reconcile(self.client, req, sent_at=sent_at)
        except SyncroError as exc:
            return Outcome(StepState.UNKNOWN, f"{why} Checking Syncro failed too ({exc}); nothing will be sent again "
                           "until it can be checked.", group_id=group_id)
        state = StepState.PRESENT if verdict.present else StepState.ABSENT
        self.journal.mark(group_id, seq, state, result=verdict.record, error=None if verdict.present else why)
        if verdict.present:
            message = f"{verdict.detail} (the answer was lost, but the change was saved)."
        else:
            message = f"{verdict.detail} Confirm again to send it."
        return Outcome(state, message, result=verdict.record, verdict=verdict, group_id=group_id)
