"""After a run stops: what comes next, decided here, asked of the tech through an ``Asker``.

``next_step`` reads a run's outcome and says, as a typed step, what must happen
before anything more is sent: nothing (it is done, or Syncro refused it), the
rest confirmed again (the call did not land), a duplicate removed first (the
call landed twice), or a stop the tech must look at. ``send`` and ``resume``
carry a plan or an unfinished group through the confirm and these steps; the
UI (or any front end) only supplies the ``Asker``: how to show a confirm, a
stop, and a notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ..api import requests as rq
from ..api.errors import SyncroError
from ..api.models import Timer
from ..api.call import ApiRequest
from ..writes.plans import Plan
from .groups import GroupState, StepState
from .specs import condition_text
from .outcome import AttributionRefused, DamagedGroup, GroupClaimed, GroupOutcome
from .path import Progress, WritePath

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True)
class Confirmation:
    """Calls shown to the tech before they are sent (numbered ``first``.. of ``total`` on a resume)."""

    summary: str
    requests: tuple[ApiRequest[Any], ...]
    notes: tuple[str, ...] = ()
    first: int = 1
    total: int | None = None
    #: Every call of the group, when only its rest is shown (a condition names the call that decides it).
    calls: tuple[str, ...] = ()
    #: Each call in words, one line per ticket (a change on many: their payloads are shown on a key).
    lines: tuple[str, ...] = ()

    def condition(self, req: ApiRequest[Any]) -> str | None:
        """What a conditional call waits for, in words (None: it is always sent)."""
        if req.only_if is None:
            return None
        calls = self.calls or ("",) * (self.first - 1) + tuple(r.call for r in self.requests)
        return condition_text(calls, req.only_if)


class Asker(Protocol):
    async def confirm(self, confirmation: Confirmation) -> bool:
        """Show the calls; True only on the deliberate key."""

    async def show_stop(self, title: str, message: str) -> None:
        """A stop the tech must read before going on (a dialog)."""

    def tell(self, message: str, *, title: str = "", severity: Severity = "information", timeout: float = 5) -> None:
        """A notice."""


# ---------------------------------------------------------------- what comes next
@dataclass(frozen=True)
class Finished:
    """Every call landed (or was not needed)."""

    message: str


@dataclass(frozen=True)
class Refused:
    """Syncro refused it and nothing of it is in Syncro (or it was abandoned): nothing to resume."""

    message: str


@dataclass(frozen=True)
class RemoveDuplicates:
    """A timer landed twice: remove the older copies (confirmed), then the run goes on."""

    message: str
    removals: tuple[ApiRequest[Any], ...]


@dataclass(frozen=True)
class RemoveInSyncro:
    """A record landed twice that the API cannot remove safely (a comment): the tech removes it in Syncro."""

    message: str


@dataclass(frozen=True)
class SendAgain:
    """The call did not land: the rest is confirmed again before it is sent."""

    message: str


@dataclass(frozen=True)
class Stopped:
    """Refused part-way (earlier calls landed), or still in doubt: it stays unfinished until the cause is fixed."""

    seq: int
    message: str
    landed: int


NextStep = Finished | Refused | RemoveDuplicates | RemoveInSyncro | SendAgain | Stopped


def next_step(outcome: GroupOutcome) -> NextStep:
    if outcome.done:
        return Finished(outcome.message)
    stop = outcome.stopped
    if stop is None or outcome.state is GroupState.ABANDONED:
        return Refused(outcome.message)
    if stop.duplicates:
        if all(isinstance(record, Timer) for record in stop.duplicates):
            return RemoveDuplicates(stop.message, tuple(rq.delete_timer(r.ticket_id, r.id) for r in stop.duplicates))
        return RemoveInSyncro(stop.message)  # Syncro's API cannot delete comments
    if stop.state is StepState.ABSENT:
        return SendAgain(stop.message)
    return Stopped(stop.seq, stop.message, landed=sum(s.landed for s in outcome.steps[:-1]))


def rest_of(calls: Sequence[str], remaining: dict[int, ApiRequest[Any]], summary: str,
            notes: Sequence[str]) -> Confirmation:
    """The confirm for a group's calls still to send, numbered as calls N..M of the whole group (``calls``)."""
    return Confirmation(summary, tuple(remaining.values()), notes=tuple(notes), first=min(remaining) + 1,
                        total=len(calls), calls=tuple(calls))


def recorded_as(owner: str) -> str:
    return f"Syncro records this as {owner}, the owner of this key."


class Recovery:
    """Sends through the write path and sees each stop through with the tech."""

    def __init__(self, writes: WritePath, ask: Asker, *, owner: str) -> None:
        self.writes = writes
        self.ask = ask
        self.owner = owner

    async def send(self, plan: Plan, *, notes: Sequence[str] = (), progress: Progress | None = None,
                   says_done: bool = False) -> GroupOutcome | None:
        """Confirm the plan's exact calls, then send them. None when nothing was sent (cancelled or refused).

        ``says_done``: the caller tells the tech a finished run in its own words (one outcome, one notice)."""
        if not await self.ask.confirm(Confirmation(plan.title, plan.steps, lines=plan.lines,
                                                   notes=(*plan.notes, *notes, recorded_as(self.owner)))):
            self.ask.tell("Cancelled: nothing was sent.", timeout=4)
            return None
        try:
            outcome = await self.writes.execute(plan, progress)
        except (AttributionRefused, SyncroError) as exc:
            self.ask.tell(str(exc), title="Nothing was sent", severity="error", timeout=20)
            return None
        return await self.follow_up(outcome, plan.title, progress, says_done=says_done)

    async def resume(self, group_id: str, progress: Progress | None = None) -> GroupOutcome | None:
        """An unfinished group: read back its step in doubt, then confirm and send the rest."""
        writes = self.writes
        if writes.sending_here(group_id):
            self.ask.tell("This write is being sent by this window right now: nothing was sent again. It is "
                          "listed under Unfinished only if it stops.", title="Not resumed", severity="warning",
                          timeout=10)
            return None
        with writes.owned(group_id):
            return await self._resume(group_id, progress)

    async def _resume(self, group_id: str, progress: Progress | None) -> GroupOutcome | None:
        writes = self.writes
        try:
            group, verdict = await writes.prepare(group_id)
        except (AttributionRefused, DamagedGroup, GroupClaimed) as exc:
            self.ask.tell(str(exc), title="Not resumed", severity="error", timeout=20)
            return None
        except SyncroError as exc:
            self.ask.tell(f"Could not check Syncro: {exc}. Nothing was sent; try again later.", title="Resume",
                          severity="error", timeout=15)
            return None
        if group.state is not GroupState.OPEN:
            self.ask.tell(f"{group.title}: {verdict.message if verdict else 'already complete'}", title="Resume",
                          timeout=8)
            return GroupOutcome(group.id, group.state, (verdict,) if verdict else ())
        if verdict and verdict.duplicates:
            return await self.follow_up(GroupOutcome(group.id, group.state, (verdict,)), group.title, progress)
        remaining = writes.remaining(group)
        done = len(group.steps) - len(remaining)
        notes = [verdict.message] if verdict else []
        notes.append(recorded_as(self.owner))
        if done:
            notes.append(f"Calls 1 to {done} are already in Syncro and are not sent again.")
        if not await self.ask.confirm(rest_of([st.call for st in group.steps], remaining, f"Resume: {group.title}", notes)):
            self.ask.tell("Not resumed: it stays in the unfinished writes.", timeout=5)
            return None
        try:
            outcome = await writes.run(group.id, remaining, progress)
        except (AttributionRefused, DamagedGroup, GroupClaimed, SyncroError) as exc:
            self.ask.tell(str(exc), title="Nothing was sent", severity="error", timeout=20)
            return None
        return await self.follow_up(outcome, group.title, progress)

    async def follow_up(self, outcome: GroupOutcome, title: str, progress: Progress | None, *,
                        says_done: bool = False) -> GroupOutcome:
        """After a run: report it, and see what stopped it through with the tech, until nothing more can go on."""
        with self.writes.owned(outcome.group_id):  # a question about a stop is still this window's send
            return await self._follow_up(outcome, title, progress, says_done)

    async def _follow_up(self, outcome: GroupOutcome, title: str, progress: Progress | None,
                         says_done: bool) -> GroupOutcome:
        writes, ask = self.writes, self.ask
        while True:
            step = next_step(outcome)
            if isinstance(step, Finished):
                if not says_done:
                    ask.tell(f"{title}: {step.message}", title="Saved", timeout=5)
                return outcome
            if isinstance(step, Refused):
                ask.tell(f"{title}: {step.message}", title="Syncro refused it", severity="error", timeout=20)
                return outcome
            if isinstance(step, RemoveInSyncro):
                ask.tell(f"{step.message} Remove the extra copy in Syncro's web UI; the rest goes on.",
                         title="Duplicate", severity="warning", timeout=30)
            elif isinstance(step, RemoveDuplicates):
                if not await ask.confirm(Confirmation(
                        f"{title}: {step.message}", step.removals,
                        notes=("Removing the older copy keeps one timer; the run then goes on from where it stopped.",))):
                    ask.tell("The duplicate stays, so nothing is charged: the write stays in the unfinished writes (u).",
                             severity="warning", timeout=10)
                    return outcome
                for req in step.removals:
                    removed = await writes.send(req, kind="remove duplicate", title=f"Remove a duplicate: {title}")
                    if not removed.landed:
                        ask.tell(removed.message, title="The duplicate was not removed", severity="error", timeout=20)
                        return outcome
            elif isinstance(step, SendAgain):
                group = writes.journal.group(outcome.group_id)
                remaining = writes.remaining(group)
                if not await ask.confirm(rest_of([st.call for st in group.steps], remaining, f"Send again? {title}",
                                                 [step.message, recorded_as(self.owner)])):
                    if any(s.state.landed for s in group.steps):
                        ask.tell("Not sent again: it stays in the unfinished writes (u).", severity="warning",
                                 timeout=10)
                    else:
                        writes.abandon(group.id, "Not sent again after it did not land.")
                        ask.tell("Not sent: nothing of it is in Syncro.", timeout=6)
                    return outcome
                outcome = await writes.run(outcome.group_id, remaining, progress)
                continue
            else:
                await ask.show_stop(
                    f"Stopped at call {step.seq + 1}: {title}",
                    f"{step.message}\n\n{step.landed} earlier call{'s' if step.landed != 1 else ''} of this run "
                    "landed and will not be sent again. The rest stays in the unfinished writes (u): resume it once "
                    "the cause is fixed, or abandon it with a note.")
                return outcome
            outcome = await writes.run(outcome.group_id, None, progress)
