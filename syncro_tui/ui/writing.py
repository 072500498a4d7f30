"""From a screen to Syncro: confirm, send through the write path, and say what happened.

Every write in the UI goes through ``confirm_and_send`` (a new group) or
``resume`` (an unfinished one). Both must run in a worker, because they wait
for the confirm screen. Nothing here decides what is safe to send: the write
path does; this only asks the tech and reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..api import SyncroError
from ..api import requests as rq
from ..api.models import Timer
from ..api.requests import ApiRequest
from ..domain.plan import Plan
from ..writes.journal import Group, GroupState, StepState
from ..writes.path import AttributionRefused, DamagedGroup, GroupClaimed, GroupOutcome, Progress
from .confirm import ConfirmScreen
from .dialogs import ErrorDialog

if TYPE_CHECKING:
    from .app import SyncroApp


async def confirm_and_send(app: SyncroApp, plan: Plan, *, notes: Sequence[str] = (),
                           progress: Progress | None = None) -> GroupOutcome | None:
    """Show the plan's exact calls; on ``s`` send them. None when nothing was sent (refused or cancelled)."""
    if not writes_allowed(app):
        return None
    if not await app.push_screen_wait(ConfirmScreen.for_plan(plan, notes=(*notes, recorded_as(app)))):
        app.notify("Cancelled: nothing was sent.", timeout=4)
        return None
    try:
        outcome = await app.writes.execute(plan, progress)  # type: ignore[union-attr]
    except (AttributionRefused, SyncroError) as exc:
        app.notify(str(exc), title="Nothing was sent", severity="error", timeout=20)
        return None
    return await follow_up(app, outcome, plan.title, progress)


async def resume(app: SyncroApp, group_id: str, progress: Progress | None = None) -> GroupOutcome | None:
    """An unfinished group: read back its step in doubt, then confirm and send the rest."""
    if not writes_allowed(app):
        return None
    writes = app.writes
    assert writes is not None
    try:
        group, verdict = await writes.prepare(group_id)
    except (AttributionRefused, DamagedGroup, GroupClaimed) as exc:
        app.notify(str(exc), title="Not resumed", severity="error", timeout=20)
        return None
    except SyncroError as exc:
        app.notify(f"Could not check Syncro: {exc}. Nothing was sent; try again later.", title="Resume",
                   severity="error", timeout=15)
        return None
    if group.state is not GroupState.OPEN:
        app.notify(f"{group.title}: {verdict.message if verdict else 'already complete'}", title="Resume", timeout=8)
        return GroupOutcome(group.id, group.state, (verdict,) if verdict else ())
    if verdict and verdict.duplicates:
        return await follow_up(app, GroupOutcome(group.id, group.state, (verdict,)), group.title, progress)
    remaining = writes.remaining(group)
    done = len(group.steps) - len(remaining)
    notes = [verdict.message] if verdict else []
    notes.append(recorded_as(app))
    if done:
        notes.append(f"Calls 1 to {done} are already in Syncro and are not sent again.")
    if not await app.push_screen_wait(rest_of(group, remaining, f"Resume: {group.title}", notes)):
        app.notify("Not resumed: it stays in the unfinished writes.", timeout=5)
        return None
    try:
        outcome = await writes.run(group.id, remaining, progress)
    except (AttributionRefused, DamagedGroup, GroupClaimed, SyncroError) as exc:
        app.notify(str(exc), title="Nothing was sent", severity="error", timeout=20)
        return None
    return await follow_up(app, outcome, group.title, progress)


def rest_of(group: Group, remaining: Mapping[int, ApiRequest[Any]], summary: str, notes: Sequence[str]) -> ConfirmScreen:
    """The confirm for a group's calls still to send, numbered as calls N..M of the whole group."""
    return ConfirmScreen(summary, list(remaining.values()), notes=notes, first=min(remaining) + 1,
                         total=len(group.steps))


def recorded_as(app: SyncroApp) -> str:
    return f"Syncro records this as {app.owner_label}, the owner of this key."


def writes_allowed(app: SyncroApp) -> bool:
    if app.writes is None:
        app.notify(app.writes_off or "Writes are off.", title="Nothing was sent", severity="error", timeout=20)
        return False
    problem = app.attribution_problem()
    if problem:
        app.notify(problem, title="Write refused", severity="error", timeout=20)
        return False
    return True


async def follow_up(app: SyncroApp, outcome: GroupOutcome, title: str, progress: Progress | None) -> GroupOutcome:
    """After a run: report it, and handle what stopped it with the tech (confirm again, remove a duplicate)."""
    writes = app.writes
    assert writes is not None
    while True:
        if outcome.done:
            app.notify(f"{title}: {outcome.message}", title="Saved", timeout=5)
            return outcome
        stop = outcome.stopped
        if stop is None or outcome.state is GroupState.ABANDONED:
            app.notify(f"{title}: {outcome.message}", title="Syncro refused it", severity="error", timeout=20)
            return outcome
        if stop.duplicates:
            if not all(isinstance(record, Timer) for record in stop.duplicates):
                # Syncro's API cannot delete comments (and the others have no safe removal here).
                app.notify(f"{stop.message} Remove the extra copy in Syncro's web UI; the rest goes on.",
                           title="Duplicate", severity="warning", timeout=30)
            else:
                removals = [rq.delete_timer(record.ticket_id, record.id) for record in stop.duplicates]
                if not await app.push_screen_wait(ConfirmScreen(
                        f"{title}: {stop.message}", removals,
                        notes=["Removing the older copy keeps one timer; the run then goes on from where it stopped."])):
                    app.notify("The duplicate stays, so nothing is charged: the write stays in the unfinished writes (u).",
                               severity="warning", timeout=10)
                    return outcome
                for req in removals:
                    removed = await writes.send(req, kind="remove duplicate", title=f"Remove a duplicate: {title}")
                    if not removed.landed:
                        app.notify(removed.message, title="The duplicate was not removed", severity="error", timeout=20)
                        return outcome
        elif stop.state is StepState.ABSENT:
            group = writes.journal.group(outcome.group_id)
            remaining = writes.remaining(group)
            if not await app.push_screen_wait(
                    rest_of(group, remaining, f"Send again? {title}", [stop.message, recorded_as(app)])):
                if any(s.state.landed for s in group.steps):
                    app.notify("Not sent again: it stays in the unfinished writes (u).", severity="warning", timeout=10)
                else:
                    writes.abandon(group.id, "Not sent again after it did not land.")
                    app.notify("Not sent: nothing of it is in Syncro.", timeout=6)
                return outcome
            outcome = await writes.run(outcome.group_id, remaining, progress)
            continue
        else:  # refused part-way (earlier calls landed), or still in doubt because Syncro could not be read
            landed = sum(s.landed for s in outcome.steps[:-1])
            await app.push_screen_wait(ErrorDialog(
                f"Stopped at call {stop.seq + 1}: {title}",
                f"{stop.message}\n\n{landed} earlier call{'s' if landed != 1 else ''} of this run landed and will not be "
                "sent again. The rest stays in the unfinished writes (u): resume it once the cause is fixed, or "
                "abandon it with a note."))
            return outcome
        outcome = await writes.run(outcome.group_id, None, progress)

