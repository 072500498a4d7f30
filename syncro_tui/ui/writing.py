"""From a screen to Syncro: the write path's questions asked on screen.

Every write in the UI goes through ``confirm_and_send`` (a new group) or
``resume`` (an unfinished one). Both must be awaited from a worker, because
they wait for the confirm screen. The send itself runs in a worker of the
app's (``outliving``), never the screen's: leaving a screen (Escape) cancels
the screen's workers, and a send cut there would leave a write in doubt for
no reason. Nothing here decides what is safe to send or what comes after a
stop: ``writes.recovery`` does; this shows its confirms, stops and notices.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import TypeVar

from textual.css.query import NoMatches
from textual.worker import WorkerCancelled, WorkerFailed

from ..writes.plans import Plan, time_recorded
from ..writes.groups import StepState
from ..writes.outcome import GroupOutcome
from ..writes.path import Progress
from ..writes.recovery import Confirmation, Recovery, Severity
from .base import SyncroBase
from .confirm import ConfirmScreen
from .error_dialog import ErrorDialog
from .messages import TicketChanged


class OnScreen:
    """The ``Asker`` of ``writes.recovery``: confirms as ConfirmScreen, stops as a dialog, notices as toasts."""

    def __init__(self, app: SyncroBase) -> None:
        self.app = app

    async def confirm(self, confirmation: Confirmation) -> bool:
        confirmed = await self.app.push_screen_wait(ConfirmScreen(confirmation))
        return bool(confirmed)

    async def show_stop(self, title: str, message: str) -> None:
        await self.app.push_screen_wait(ErrorDialog(title, message))

    def tell(self, message: str, *, title: str = "", severity: Severity = "information", timeout: float = 5) -> None:
        self.app.notify(message, title=title, severity=severity, timeout=timeout)


def writes_allowed(app: SyncroBase) -> bool:
    """Whether a write may be sent now; when not, the tech is told why (no journal, another tech's key)."""
    if app.offline:
        app.notify(app.offline, title="Nothing was sent", severity="error", timeout=20)
        return False
    if app.writes is None:
        app.notify(app.writes_off or "Writes are off.", title="Nothing was sent", severity="error", timeout=20)
        return False
    problem = app.attribution_problem()
    if problem:
        app.notify(problem, title="Write refused", severity="error", timeout=20)
        return False
    return True


def key_allowed(app: SyncroBase) -> bool:
    """Whether forms that end in a write may open: not under another tech's key (refused at the first key, before
    anything is typed in vain). Offline they open: what is typed is kept as a draft."""
    problem = app.attribution_problem()
    if problem:
        app.notify(problem, title="Write refused", severity="error", timeout=20)
        return False
    return True


def recovery(app: SyncroBase) -> Recovery | None:
    """The write path with the tech in the loop, or None when writes are refused (the tech is told why)."""
    if not writes_allowed(app) or app.writes is None:
        return None
    return Recovery(app.writes, OnScreen(app), owner=app.account.owner_label)


T = TypeVar("T")


async def outliving(app: SyncroBase, send: Awaitable[T], *, name: str) -> T | None:
    """Run ``send`` in a worker of the app's and wait for it: the screen that asked may be left (its own worker
    cancelled) while the send goes on to its end. None when it failed (the app reports the error)."""
    worker = app.run_worker(send, name=name, group="sends", exit_on_error=False)
    try:
        # Shielded: awaiting a task directly would pass the screen's cancellation on to the send.
        return await asyncio.shield(worker.wait())
    except (WorkerFailed, WorkerCancelled):
        return None


def shown_while_there(progress: Progress | None) -> Progress | None:
    """A screen's progress display that falls silent once the screen is left (the send goes on; the journal and
    the activity screen keep every step)."""
    if progress is None:
        return None

    def show(seq: int, state: StepState, message: str, path: str | None = None, /) -> None:
        try:
            progress(seq, state, message, path)
        except NoMatches:
            pass

    return show


async def confirm_and_send(app: SyncroBase, plan: Plan, *, notes: Sequence[str] = (),
                           progress: Progress | None = None, says_done: bool = False) -> GroupOutcome | None:
    """Show the plan's exact calls; on ``s`` send them. None when nothing was sent (refused or cancelled).

    ``says_done``: the screen tells a finished run in its own words, so no "Saved" notice is shown for it."""
    path = recovery(app)
    if path is None:
        return None
    shown = shown_while_there(progress)
    return await outliving(app, path.send(plan, notes=notes, progress=shown, says_done=says_done),
                           name=f"send: {plan.title}")


async def resume(app: SyncroBase, group_id: str, progress: Progress | None = None) -> GroupOutcome | None:
    """An unfinished group: read back its step in doubt, then confirm and send the rest."""
    path = recovery(app)
    shown = shown_while_there(progress)
    outcome = await outliving(app, path.resume(group_id, shown), name="resume") if path else None
    writes = app.writes
    group = writes.journal.group(group_id) if writes is not None else None
    if writes is not None and group is not None and group.kind == "billing" and group.ticket_id \
            and time_recorded(writes.held(group_id)):
        app.billed(group.ticket_id)  # a resumed run put the clock's minutes in Syncro: the clock goes now
    if outcome is not None and group is not None and group.ticket_id:
        app.post_message(TicketChanged(group.ticket_id))  # the queue's row and any view of it read it now
    return outcome
