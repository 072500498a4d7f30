"""Triage on one ticket (status, assignee, priority, close), from the queue or the ticket screen.

Each asks for the new value, then goes through the write path's confirm.
Run inside a worker: it waits for the pickers and the confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..api import SyncroError
from ..api.models import Appointment
from ..domain.situation import appointments_ahead, close_concerns
from ..domain.ticket import close_problem
from ..writes.plans import change_ticket, close_ticket
from ..domain.queue import QueueRow
from ..domain.session_log import log_path, render
from ..writes.outcome import GroupOutcome
from ..writes.session_log import write_new
from .base import SyncroBase
from .dialogs import ChoiceScreen, NoteScreen
from .messages import OpenBilling
from .text import clean
from .writing import confirm_and_send, writes_allowed

ACTIONS = {"status": "Change status", "assign": "Assign to a tech", "priority": "Change priority", "close": "Close"}


@dataclass(frozen=True)
class Change:
    """A triage change the tech picked: the ticket field, its new value, and that value in words."""

    action: str
    field: str
    value: object
    name: str

    def has(self, ticket: QueueRow) -> bool:
        """Whether ``ticket`` has the value already (no call needed)."""
        return bool(getattr(ticket, self.field) == self.value)

    def was(self, ticket: QueueRow) -> str:
        """What ``ticket`` has now and what it will have, in words."""
        if self.action == "assign":
            return f"{ticket.tech_name or 'unassigned'} → {self.name}"
        return f"{getattr(ticket, self.field) or 'none'} → {self.name}"

    @property
    def words(self) -> str:
        """The change in words, as a plan's title says it ("assign to Marcus Bell")."""
        return f"assign to {self.name}" if self.action == "assign" else f"{self.field} → {self.name}"


async def ask_change(app: SyncroBase, action: str, title: str, current: str | None) -> Change | None:
    """The picker of ``action``'s new value (status, assign, priority); None when cancelled or when the account's
    list could not be read (the tech is told)."""
    if action == "status":
        settings = app.account.tickets
        if settings is None or not settings.ticket_status_list:
            app.notify("The account's ticket statuses could not be read, so the status cannot be changed here.",
                       severity="error")
            return None
        value = await app.push_screen_wait(ChoiceScreen(
            f"Status of {title}", [(name, name) for name in settings.ticket_status_list], current=current))
        return Change(action, "status", value, value) if value else None
    if action == "assign":
        settings = app.account.tickets
        users = settings.users if settings and settings.users else None
        if users is None:
            try:
                users = await app.reads.techs()
            except SyncroError as exc:
                app.notify(f"The list of techs could not be read: {exc}", severity="error")
                return None
        picked = await app.push_screen_wait(ChoiceScreen(
            f"Assign {title} to:", [(str(u.id), u.name) for u in users], current=current))
        if not picked:
            return None
        return Change(action, "user_id", int(picked), next(u.name for u in users if str(u.id) == picked))
    if action == "priority":
        if not app.account.priorities:
            app.notify("The account's priorities could not be read, so the priority cannot be changed here.",
                       severity="error")
            return None
        value = await app.push_screen_wait(ChoiceScreen(
            f"Priority of {title}", [(p, p) for p in app.account.priorities], current=current))
        return Change(action, "priority", value, value) if value else None
    raise ValueError(f"unknown triage action {action!r}")


async def triage(app: SyncroBase, ticket: QueueRow, action: str) -> GroupOutcome | None:
    """Ask for the new value of ``action`` and send it; None when nothing was sent."""
    if not writes_allowed(app):  # refused at the first key, before the tech picks a value in vain
        return None
    if action == "close":
        return await close(app, ticket)
    current = {"status": ticket.status, "priority": ticket.priority,
               "assign": str(ticket.user_id) if ticket.user_id else None}[action]
    label = f"ticket #{ticket.number}" + ("" if action == "assign" else f": {clean(ticket.subject)}")
    change = await ask_change(app, action, label, current)
    if change is None or change.has(ticket):
        return None
    words = change.words if action == "assign" else f"{change.field} {change.was(ticket)}"
    return await confirm_and_send(app, change_ticket(ticket, {change.field: change.value}, kind=action, words=words))


async def close(app: SyncroBase, ticket: QueueRow) -> GroupOutcome | None:
    """The resolved status, an optional resolution comment, then the offer to write the session log."""
    if not writes_allowed(app):  # say so before the tech writes a resolution in vain
        return None
    resolved = app.session.config.tickets.resolved_status
    problem = close_problem(resolved, app.account.statuses)
    if problem:
        app.notify(problem, title="Cannot close", severity="error", timeout=15)
        return None
    cancel = await billing_looked_at(app, ticket)
    if cancel is None:
        return None
    resolution = await app.push_screen_wait(NoteScreen(
        f"Close ticket #{ticket.number}: {clean(ticket.subject)}\nResolution comment (a public note on the ticket; "
        "nobody is emailed):", "What was done", optional=True))
    if resolution is None:
        return None
    try:
        plan = close_ticket(ticket, status=resolved, resolution=resolution, cancel=cancel, tz=app.account.time_zone)
    except ValueError as exc:
        app.notify(str(exc), title="Not sent", severity="error", timeout=15)
        return None
    outcome = await confirm_and_send(app, plan)
    if outcome is not None and outcome.done:
        await offer_session_log(app, ticket.id, resolution)
    return outcome


async def billing_looked_at(app: SyncroBase, ticket: QueueRow) -> list[Appointment] | None:
    """Before closing: what the ticket's billing would leave behind, with the offer to bill first, and the visits
    still ahead, with the offer to cancel them in the same confirmed close.

    The appointments to cancel with the close (often none) to go on closing; None when the tech is billing first
    (the wizard is open) or cancelled.
    """
    ahead: list[Appointment] = []
    try:
        full = await app.reads.ticket(ticket.id)
    except SyncroError as exc:
        concerns = [f"Its billing could not be read to check it ({exc})."]
    else:
        now = app.session.now()
        concerns = close_concerns(full, now=now, tz=app.account.time_zone, clock=app.clocks.get(ticket.id))
        ahead = appointments_ahead(full, now)
    if not concerns:
        return []
    choices = []
    if len(concerns) > (1 if ahead else 0):  # something on the money side, not only a visit ahead
        choices.append(("bill", "Bill first (opens the billing wizard)"))
    if len(ahead) == 1:
        choices += [("cancel-ahead", "Close and cancel that appointment"), ("close", "Close and keep it booked")]
    elif ahead:
        choices += [("cancel-ahead", f"Close and cancel those {len(ahead)} appointments"),
                    ("close", "Close and keep them booked")]
    else:
        choices.append(("close", "Close anyway"))
    choices.append(("cancel", "Cancel"))
    answer = await app.push_screen_wait(ChoiceScreen(
        f"Close ticket #{ticket.number}: {clean(ticket.subject)}\n" + "\n".join(f"⚠ {c}" for c in concerns), choices))
    if answer == "bill":
        app.post_message(OpenBilling(ticket.id))
    return ahead if answer == "cancel-ahead" else [] if answer == "close" else None


async def offer_session_log(app: SyncroBase, ticket_id: int, resolution: str) -> Path | None:
    """docs/rules.md §12: offer to write the session log under the configured root (never over a file)."""
    root = app.session.config.session_log_root
    if not root:  # not configured: no offer (the README says how to turn it on)
        return None
    try:
        ticket = await app.reads.ticket(ticket_id)
    except SyncroError as exc:
        app.notify(f"The ticket could not be read for the session log: {exc}", severity="error", timeout=15)
        return None
    closed_at = app.session.now()
    path = log_path(Path(root).expanduser(), customer=ticket.customer.display_name if ticket.customer
                    else ticket.customer_business_then_name or "customer", number=ticket.number,
                    day=closed_at.astimezone(app.account.time_zone))
    answer = await app.push_screen_wait(ChoiceScreen(f"Write the session log?\n{path}",
                                                     [("write", "Write it"), ("skip", "Not now")]))
    if answer != "write":
        return None
    try:
        write_new(path, render(ticket, resolution=resolution or None, closed_at=closed_at, zone=app.account.time_zone))
    except FileExistsError:
        app.notify(f"{path} already exists: it was not overwritten.", title="Session log", severity="warning",
                   timeout=15)
        return None
    except OSError as exc:
        app.notify(f"The session log could not be written: {exc}", title="Session log", severity="error", timeout=15)
        return None
    app.notify(str(path), title="Session log written", timeout=8)
    return path
