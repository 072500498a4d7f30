"""Triage on every marked ticket at once (issue 36): status, assign, priority or close, one confirm for all.

The value is picked once; the tickets that already have it are left out; the
confirm shows one line per ticket with each payload one key away (``v``), and
the group goes through the write path as one journaled group: paced as the
tech's own calls, each ticket read back on its own, resumable ticket by ticket.
Run inside a worker: it waits for the pickers and the confirm.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from ..api import SyncroError
from ..api.models import Ticket
from ..domain.queue import QueueRow
from ..domain.situation import close_concerns
from ..domain.text import counted
from ..domain.ticket import close_problem
from ..writes.bulk import change_tickets, close_tickets, ticket_words
from ..writes.outcome import GroupOutcome
from .base import SyncroBase
from .dialogs import ChoiceScreen
from .text import clean
from .triage import ask_change
from .writing import confirm_and_send, writes_allowed


async def bulk_triage(app: SyncroBase, tickets: Sequence[QueueRow], action: str) -> GroupOutcome | None:
    """``action`` on every ticket of ``tickets`` (the marked ones); None when nothing was sent."""
    if not writes_allowed(app):
        return None
    if action == "close":
        return await bulk_close(app, tickets)
    change = await ask_change(app, action, f"the {counted(len(tickets), 'marked ticket')}", None)
    if change is None:
        return None
    need = [t for t in tickets if not change.has(t)]
    if not need:
        app.notify(f"Every marked ticket already has {change.name}: nothing to send.", timeout=6)
        return None
    notes = [f"{counted(len(tickets) - len(need), 'marked ticket')} already with {change.name}: left out."] \
        if len(need) < len(tickets) else []
    plan = change_tickets(need, {change.field: change.value}, kind=f"bulk {action}", words=change.words,
                          was={t.id: change.was(t) for t in need})
    return await confirm_and_send(app, plan, notes=notes)


async def bulk_close(app: SyncroBase, tickets: Sequence[QueueRow]) -> GroupOutcome | None:
    """Close every marked ticket: each read first for what closing would leave behind (nothing billed, a timer not
    charged, a visit ahead, a work clock), said ticket by ticket (docs/rules.md §5.3), with the offer to leave those
    out; when every one has something to say, it is said on the confirm."""
    resolved = app.session.config.tickets.resolved_status
    problem = close_problem(resolved, app.account.statuses)
    if problem:
        app.notify(problem, title="Cannot close", severity="error", timeout=15)
        return None
    read = await asyncio.gather(*(app.reads.ticket(t.id) for t in tickets), return_exceptions=True)
    now, tz = app.session.now(), app.account.time_zone
    concerns: dict[int, list[str]] = {}
    for ticket, full in zip(tickets, read, strict=True):
        if isinstance(full, Ticket):
            found = close_concerns(full, now=now, tz=tz, clock=app.clocks.get(ticket.id))
        elif isinstance(full, SyncroError):
            found = [f"Its billing could not be read to check it ({full})."]
        else:
            raise full
        if found:
            concerns[ticket.id] = found
    if not concerns:
        return await confirm_and_send(app, close_tickets(tickets, status=resolved))
    flagged = [t for t in tickets if t.id in concerns]
    nothing = sum(any(c.startswith("Nothing is billed") for c in concerns[t.id]) for t in flagged)
    said = f"⚠ {len(flagged)} of {len(tickets)} " + (
        f"have something to look at first ({nothing} with nothing billed):" if nothing else
        "have something to look at first:")
    lines = [f"{clean(ticket_words(t))}: {' '.join(concerns[t.id])}" for t in flagged]
    if len(flagged) == len(tickets):
        # Every one has something to say: leaving them out would close none, so what is left to decide is the
        # confirm's own (s closes them all anyway, Escape closes none), with each ticket's concern on it.
        return await confirm_and_send(app, close_tickets(tickets, status=resolved), notes=[said, *lines])
    choices = [("leave-out", f"Leave those {len(flagged)} out (close {len(tickets) - len(flagged)})"),
               ("all", f"Close all {len(tickets)} anyway"), ("cancel", "Cancel")]
    head = f"Close {counted(len(tickets), 'marked ticket')}\n{said}"
    answer = await app.push_screen_wait(ChoiceScreen("\n".join([head, *("  " + line for line in lines)]), choices))
    if answer not in ("leave-out", "all"):
        return None
    chosen = [t for t in tickets if t.id not in concerns] if answer == "leave-out" else list(tickets)
    return await confirm_and_send(app, close_tickets(chosen, status=resolved))
