"""Triage on one ticket (status, assignee, priority, close), from the queue or the ticket screen.

Each asks for the new value, then goes through the write path's confirm.
Run inside a worker: it waits for the pickers and the confirm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..api import SyncroError
from ..api.models import TicketSummary
from ..domain.plan import change_ticket
from ..writes.path import GroupOutcome
from .dialogs import ChoiceScreen
from .text import clean
from .writing import confirm_and_send

if TYPE_CHECKING:
    from .app import SyncroApp

ACTIONS = {"status": "Change status", "assign": "Assign to a tech", "priority": "Change priority", "close": "Close"}


async def triage(app: SyncroApp, ticket: TicketSummary, action: str) -> GroupOutcome | None:
    """Ask for the new value of ``action`` and send it; None when nothing was sent."""
    fields: dict[str, object]
    if action == "status":
        settings = app.ticket_settings
        if settings is None or not settings.ticket_status_list:
            app.notify("The account's ticket statuses could not be read, so the status cannot be changed here.",
                       severity="error")
            return None
        value = await app.push_screen_wait(ChoiceScreen(
            f"Status of ticket #{ticket.number}: {clean(ticket.subject)}",
            [(name, name) for name in settings.ticket_status_list], current=ticket.status))
        if not value or value == ticket.status:
            return None
        fields, words = {"status": value}, f"status {ticket.status} → {value}"
    elif action == "assign":
        settings = app.ticket_settings
        users = settings.users if settings and settings.users else None
        if users is None:
            try:
                users = await app.session.client.users()
            except SyncroError as exc:
                app.notify(f"The list of techs could not be read: {exc}", severity="error")
                return None
        value = await app.push_screen_wait(ChoiceScreen(
            f"Assign ticket #{ticket.number} to:", [(str(u.id), u.name) for u in users],
            current=str(ticket.user_id) if ticket.user_id else None))
        if not value or value == str(ticket.user_id):
            return None
        name = next(u.name for u in users if str(u.id) == value)
        fields, words = {"user_id": int(value)}, f"assign to {name}"
    elif action == "priority":
        if not app.priorities:
            app.notify("The account's priorities could not be read, so the priority cannot be changed here.",
                       severity="error")
            return None
        value = await app.push_screen_wait(ChoiceScreen(
            f"Priority of ticket #{ticket.number}: {clean(ticket.subject)}", [(p, p) for p in app.priorities],
            current=ticket.priority))
        if not value or value == ticket.priority:
            return None
        fields, words = {"priority": value}, f"priority {ticket.priority or 'none'} → {value}"
    elif action == "close":
        resolved = app.session.config.tickets.resolved_status
        fields, words = {"status": resolved}, f"close (status {ticket.status} → {resolved})"
    else:
        raise ValueError(f"unknown triage action {action!r}")
    return await confirm_and_send(app, change_ticket(ticket, fields, kind=action, words=words))
