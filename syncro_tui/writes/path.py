"""Sending writes the safe way: attribution checked, journaled first, never resent blindly.

Every write is part of a *group* (a single write is a group of one). The UI
shows the tech the group's exact requests (``Plan.steps``, with ``Ref``
placeholders for ids that earlier calls will return), and on the deliberate
key hands the same plan here:

- ``start`` checks attribution and records the whole group before anything is sent;
- ``run`` sends the steps in order, filling each Ref from the journaled result
  of the call it names, and stops at the first step that did not surely land;
- ``prepare`` (on resume, after a crash) reads Syncro back for the step in
  doubt, without sending anything; the tech then confirms the rest again.

A step whose outcome is unknown is reconciled by reading Syncro back. Only a
step found absent is sent again, and only by a later ``run``, which the UI
calls after the tech has confirmed again.

Two more kinds of step serve the billing run: a *check* (``ApiRequest.expect``)
reads Syncro back and compares it with the plan (a read is safe to repeat, so
a check in doubt is simply run again), and a *conditional* write
(``ApiRequest.only_if``) is sent only when an earlier check asked for it and is
otherwise journaled as skipped.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from ..api.errors import SyncroError, WriteOutcomeUnknown
from ..api import requests as rq
from ..api.models import Me
from ..api.call import ApiRequest, Ref
from ..api.requests import rebuild
from ..crash import summary
from ..writes.plans import Plan
from .outcome import AttributionRefused, DamagedGroup, GroupClaimed, GroupOutcome, Outcome
from .groups import PROCESS, Group, GroupState, Step, StepState, claim_is_free, running_elsewhere
from .journal import Journal
from .specs import baseline, condition, judge, reconcile, sendable

if TYPE_CHECKING:
    from ..api.client import SyncroClient  # only for annotations: httpx loads after the first paint

log = logging.getLogger("syncro_tui.writes")


class Progress(Protocol):
    """Told each step's state as the run goes, with a word for the tech; ``path``: the call's path once the ids
    earlier calls returned are in it (the confirm showed ``<id from call N>`` there)."""

    def __call__(self, seq: int, state: StepState, message: str, path: str | None = None, /) -> None: ...

_IN_DOUBT = (StepState.SENDING, StepState.UNKNOWN)


class WritePath:
    def __init__(self, client: SyncroClient, journal: Journal, *, profile_name: str, user_id: int | None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.client = client
        self.journal = journal
        self.profile_name = profile_name
        self.user_id = user_id
        self.clock = clock
        #: Groups being sent by this window now (quitting then asks first).
        self.sending = 0
        #: Groups this window is seeing through now (being sent, or waiting on the tech's answer about a stop).
        #: The journal's claim is per process, so only this keeps the window from resuming its own send.
        self._owned: Counter[str] = Counter()
        self._me: Me | None = None
        #: Tickets a write of this window changed (or created) since the queue last took them: the refresh that
        #: reads those changes raises no alert for them (the tech's own writes are never alerts).
        self._written: set[int] = set()

    @contextmanager
    def owned(self, group_id: str) -> Iterator[None]:
        """While inside, ``group_id`` is this window's own: not offered under Unfinished, not resumed from here."""
        self._owned[group_id] += 1
        try:
            yield
        finally:
            self._owned[group_id] -= 1
            if self._owned[group_id] <= 0:
                del self._owned[group_id]

    def sending_here(self, group_id: str) -> bool:
        return group_id in self._owned

    def take_written(self) -> set[int]:
        """The tickets this window's writes changed since the last take, forgotten here: a refresh takes them as
        it starts, and what it reads of them is the tech's own doing (``give_back`` if the refresh never ends)."""
        taken, self._written = self._written, set()
        return taken

    def give_back(self, written: set[int]) -> None:
        self._written |= written

    def remember_owner(self, me: Me) -> None:
        """The app asked GET /me at start: no need to ask again."""
        self._me = me

    async def owner(self) -> Me:
        """Whose key this is (GET /me), asked once per run."""
        me = self._me
        if me is None:
            me = self._me = await self.client.execute(rq.me())
        return me

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

    # ------------------------------------------------------------ sending
    async def send(self, req: ApiRequest[Any], *, kind: str, title: str, ticket_id: int | None = None) -> Outcome:
        """Send one confirmed write as a group of one."""
        outcome = await self.execute(Plan(kind=kind, title=title, steps=(req,), ticket_id=ticket_id))
        return outcome.steps[-1]

    async def execute(self, plan: Plan, progress: Progress | None = None) -> GroupOutcome:
        """Journal a confirmed plan, then send it (the very request objects the tech saw)."""
        group_id = await self.start(plan)
        with self.owned(group_id):
            return await self.run(group_id, dict(enumerate(plan.steps)), progress)

    async def start(self, plan: Plan) -> str:
        unsafe = [req.call for req in plan.steps if not sendable(req)]
        if unsafe:
            raise ValueError(f"{unsafe[0]} has no read-back, so it cannot be made safe to send")
        me = await self.ensure_attribution()
        steps = [req if req.before is not None else replace(req, before=await baseline(self.client, req, now=self.clock()))
                 for req in plan.steps]
        return self.journal.begin(kind=plan.kind, title=plan.title, steps=steps, profile=self.profile_name,
                                  user_id=me.user_id, ticket_id=plan.ticket_id,
                                  ticket_number=plan.ticket_number, claim=PROCESS)

    def claim(self, group_id: str) -> None:
        """Only one process sends a group: claim it, or say who has it (GroupClaimed)."""
        holder = self.journal.claim(group_id, PROCESS, free=claim_is_free)
        if holder is not None:
            host, _, pid = holder.rpartition(":")
            raise GroupClaimed(f"This write is being sent right now by another syncro-tui window (process {pid} on "
                               f"{host}). Nothing was sent from here; it can be resumed once that window is done or "
                               "closed.")

    async def run(self, group_id: str, confirmed: Mapping[int, ApiRequest[Any]] | None = None,
                  progress: Progress | None = None) -> GroupOutcome:
        """Send a journaled group's unsent steps in order; stop at the first that did not surely land.

        Call only after the tech has confirmed (again, for a resumed group); ``confirmed`` holds
        the request objects the confirm screen showed, by step (``remaining`` gives them on resume).
        A step not among them is rebuilt from the journal.
        """
        confirmed = confirmed or {}
        me = await self.ensure_attribution()
        group = self.journal.group(group_id)
        self.check_owner(group, me)
        if group.state is not GroupState.OPEN:
            raise ValueError(f"group {group_id} is {group.state}, not open")
        self.claim(group_id)
        self.sending += 1
        try:
            with self.owned(group_id):
                return await self._run(group_id, confirmed, progress)
        finally:
            self.sending -= 1
            self.journal.release(group_id, PROCESS)

    async def _run(self, group_id: str, confirmed: Mapping[int, ApiRequest[Any]],
                   progress: Progress | None) -> GroupOutcome:
        group = self.journal.group(group_id)
        results = [s.result for s in group.steps]
        done: list[Outcome] = []
        for step in group.steps:
            if step.state.settled:
                continue
            self.journal.heartbeat(group_id, PROCESS)
            template = confirmed.get(step.seq) or self.request(step)
            if template.before is None and step.before is not None:  # the baseline start() journaled
                template = replace(template, before=step.before)
            if template.only_if is not None and not _holds(template.only_if, results):
                self.journal.mark(group_id, step.seq, StepState.SKIPPED)
                outcome = Outcome(StepState.SKIPPED, f"Not needed: sent {condition([s.call for s in group.steps], template.only_if)}.",
                                  group_id=group_id, seq=step.seq)
                done.append(outcome)
                if progress:
                    progress(step.seq, outcome.state, outcome.message)
                continue
            req = replace(template, only_if=None).resolve(results)
            if req.is_check:  # reading back is safe to repeat, in doubt or not
                if progress:
                    progress(step.seq, StepState.SENDING, f"Reading back {req.display_path}", req.display_path)
                outcome = await self.run_check(group_id, step.seq, req)
            elif step.state in _IN_DOUBT:  # a crash left it in flight: read back, never resend here
                outcome = await self.settle(group_id, step.seq, req, step.sent_at or self.clock(), "It was in flight when the app stopped.")
                if outcome.state is StepState.ABSENT:  # the tech confirms again before it is sent
                    done.append(outcome)
                    break
            else:
                if req is not template:
                    self.journal.replace_step(group_id, step.seq, req)
                if progress:
                    progress(step.seq, StepState.SENDING, f"Sending {req.method} {req.path}", req.display_path)
                outcome = await self.run_step(group_id, step.seq, req)
            done.append(outcome)
            if outcome.landed and not req.is_check:
                touched = group.ticket_id or getattr(outcome.result, "ticket_id", None)
                if touched is None and req.call in ("create_ticket", "update_ticket"):  # a change on many: each its own
                    touched = getattr(outcome.result, "id", None)
                self._written.add(touched or 0)
                self._written.discard(0)
            if progress:
                progress(step.seq, outcome.state, outcome.message)
            if not outcome.settled or outcome.duplicates:
                break
            results[step.seq] = _as_json(outcome.result)
        else:
            self.journal.finish(group_id)
            return GroupOutcome(group_id, GroupState.DONE, tuple(done))
        stop = done[-1]
        if stop.state is StepState.FAILED and not any(r is not None for r in results):
            # Syncro refused the first write and nothing of the group is in Syncro: nothing to resume.
            self.journal.finish(group_id, GroupState.ABANDONED, note=stop.message)
            return GroupOutcome(group_id, GroupState.ABANDONED, tuple(done))
        return GroupOutcome(group_id, GroupState.OPEN, tuple(done))

    async def run_check(self, group_id: str, seq: int, req: ApiRequest[Any]) -> Outcome:
        """Read Syncro back and compare with the plan; a failed comparison stops the group (nothing is undone)."""
        self.journal.mark(group_id, seq, StepState.SENDING)
        try:
            record = await self.client.execute(req.read)
        except SyncroError as exc:
            message = f"Could not read Syncro back to check ({exc}). Nothing more is sent; resume to check again."
            self.journal.mark(group_id, seq, StepState.UNKNOWN, error=message)
            return Outcome(StepState.UNKNOWN, message, group_id=group_id, seq=seq)
        except Exception as exc:  # noqa: BLE001 - a bug of ours: the check is simply run again on resume
            return self.in_doubt(group_id, seq, exc)
        finding = judge(req, record)
        state = StepState.DONE if finding.passed else StepState.FAILED
        self.journal.mark(group_id, seq, state, result=finding.facts, error=None if finding.passed else finding.message)
        return Outcome(state, finding.message, result=finding.facts, group_id=group_id, seq=seq, checked=True)

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
            return Outcome(StepState.FAILED, str(exc), group_id=group_id, seq=seq, status=exc.status)
        except Exception as exc:  # noqa: BLE001 - a bug of ours mid-send: the write may be in Syncro
            return self.in_doubt(group_id, seq, exc)
        self.journal.mark(group_id, seq, StepState.DONE, result=result)
        return Outcome(StepState.DONE, "Saved in Syncro.", result=result, group_id=group_id, seq=seq)

    async def settle(self, group_id: str, seq: int, req: ApiRequest[Any], sent_at: datetime, why: str) -> Outcome:
        """Decide an ambiguous step by reading Syncro back; never by sending again."""
        try:
            verdict = await reconcile(self.client, req, sent_at=sent_at,
                                      owner=self._me.user_id if self._me is not None else self.user_id)
        except SyncroError as exc:
            return Outcome(StepState.UNKNOWN, f"{why} Checking Syncro failed too ({exc}); nothing will be sent again "
                           "until it can be checked.", group_id=group_id, seq=seq)
        except Exception as exc:  # noqa: BLE001 - a bug of ours while reading back: still in doubt, never resent
            return self.in_doubt(group_id, seq, exc)
        state = StepState.PRESENT if verdict.present else StepState.ABSENT
        self.journal.mark(group_id, seq, state, result=verdict.record, error=None if verdict.present else why)
        if verdict.duplicates:
            message = (f"{verdict.detail} It landed more than once: remove the older "
                       f"{'copy' if len(verdict.duplicates) == 1 else 'copies'} before going on.")
        elif verdict.present:
            message = f"{verdict.detail} (the answer was lost, but the change was saved)."
        else:
            message = f"{verdict.detail} Confirm again to send it."
        return Outcome(state, message, result=verdict.record, verdict=verdict, group_id=group_id, seq=seq)

    def in_doubt(self, group_id: str, seq: int, error: Exception) -> Outcome:
        """An unexpected error while a step was sent or read back: the step is in doubt (reconciled on resume)."""
        log.error("step %s of group %s stopped on an unexpected error: %s", seq + 1, group_id, summary(error),
                  exc_info=error)
        message = (f"An unexpected error stopped this call ({summary(error)}). It may or may not be in Syncro: "
                   "nothing is sent again until Syncro has been read back (resume it from Unfinished).")
        self.journal.mark(group_id, seq, StepState.UNKNOWN, error=message)
        return Outcome(StepState.UNKNOWN, message, group_id=group_id, seq=seq)

    def held(self, group_id: str) -> set[str]:
        """The calls of a group that Syncro holds (landed and read back), over every run of it: a run's outcome
        only has the steps that run touched, while a comment may have landed in an earlier one."""
        return {step.call for step in self.journal.group(group_id).steps if step.state.landed}

    # ------------------------------------------------------------ resuming
    def open_groups(self) -> list[Group]:
        """This profile's groups cut short (crash, kill, lost network), oldest first."""
        return self.journal.open_groups(self.profile_name)

    def cut_short(self) -> list[Group]:
        """The open groups no other live window is sending right now: the ones to offer for resuming."""
        return [g for g in self.open_groups() if running_elsewhere(g) is None and not self.sending_here(g.id)]

    @staticmethod
    def check_owner(group: Group, me: Me) -> None:
        """A group is only ever continued under the key it was begun under (a profile can be re-pointed),
        and only when the journal can say all of it."""
        if group.damaged:
            raise DamagedGroup(f"This write cannot be resumed: the journal cannot read it ({group.damaged}). Check "
                               "the ticket in Syncro, then abandon it with a note of what you found.")
        if group.user_id is not None and group.user_id != me.user_id:
            raise AttributionRefused(
                f"Refused: this was begun under user {group.user_id}'s key, and the key now in use is "
                f"{me.user_name}'s (user {me.user_id}). Continuing it would put {me.user_name}'s name on the rest. "
                "Resume it with that tech's key, or abandon it.")

    async def prepare(self, group_id: str) -> tuple[Group, Outcome | None]:
        """Before a resume: settle the step in doubt by reading Syncro back (nothing is sent).

        Returns the group as it now stands and the verdict on the step in doubt, if there was one.
        """
        group = self.journal.group(group_id)
        self.check_owner(group, await self.ensure_attribution())
        self.claim(group_id)
        try:
            return await self._prepare(group)
        finally:
            self.journal.release(group_id, PROCESS)

    async def _prepare(self, group: Group) -> tuple[Group, Outcome | None]:
        group_id = group.id
        step = group.next_step
        outcome = None
        if step is not None and step.state in _IN_DOUBT and step.expect is None:  # a check is simply run again
            results = [s.result for s in group.steps]
            outcome = await self.settle(group_id, step.seq, self.request(step).resolve(results),
                                        step.sent_at or self.clock(), "It was in flight when the app stopped.")
            if outcome.landed and not outcome.duplicates and step.seq == len(group.steps) - 1:
                self.journal.finish(group_id)
            group = self.journal.group(group_id)
        return group, outcome

    def remaining(self, group: Group) -> dict[int, ApiRequest[Any]]:
        """The requests still to send, by step, with every id already known filled in (for the confirm screen)."""
        results = [s.result for s in group.steps]
        return {s.seq: _partly_resolved(self.request(s), results) for s in group.steps if not s.state.settled}

    def abandon(self, group_id: str, note: str) -> None:
        """The tech gives up on a group (nothing more is sent); the note says why."""
        self.journal.finish(group_id, GroupState.ABANDONED, note=note or "Abandoned by the tech.")

    @staticmethod
    def request(step: Step) -> ApiRequest[Any]:
        return rebuild(step.call, step.method, step.path, step.body, expect=step.expect, only_if=step.only_if,
                       before=step.before)


def _holds(condition: Ref, results: Sequence[Any]) -> bool:
    record = results[condition.step] if condition.step < len(results) else None
    return bool(record and record.get(condition.field))


def _as_json(result: Any) -> Any:
    return result.model_dump(mode="json") if hasattr(result, "model_dump") else result


def _partly_resolved(req: ApiRequest[Any], results: Sequence[Any]) -> ApiRequest[Any]:
    try:
        return req.resolve(results)
    except ValueError:  # some ids are still to come: they stay placeholders
        return req
