"""Asking the local model for a draft from a screen, and putting it in the editor (docs/rules.md §10).

The draft replaces the editor's text as one edit, so ctrl+z brings back what the
tech had written. A model that is missing, slow or answers nonsense changes
nothing and says so in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from textual.widgets import TextArea

from ..api.models import Ticket
from ..api.ollama import DraftFailed, Suggestion
from ..domain.text import clean, html_to_text
from .base import SyncroBase

S = TypeVar("S", bound=Suggestion)
#: How many of the ticket's latest comments the model is shown.
HISTORY = 5
HELP = "Draft from the local model: read it and change what is wrong. ctrl+z brings back what you had written."


def history(ticket: Ticket) -> Sequence[str]:
    latest = sorted(ticket.comments, key=lambda c: c.created_at)[-HISTORY:]
    return [f"{c.subject or ''}: {html_to_text(c.body)}" for c in latest]


def can_draft(app: SyncroBase) -> bool:
    """Whether drafting is configured at all (the key is hidden when it is off)."""
    return app.session.drafter is not None


def footer_quiet(app: SyncroBase) -> set[str]:
    """ctrl+d is left out of the footer once the start's check found no model; pressed, it still says why."""
    drafter = app.session.drafter
    return {"draft"} if drafter is not None and drafter.host is None and drafter.status != "not checked" else set()


async def ask(app: SyncroBase, system: str, user: str, shape: type[S]) -> S | None:
    """The model's suggestion, or None after saying in place why there is none."""
    app.notify("Asking the local model…", timeout=3)
    drafter = app.session.drafter
    if drafter is None:
        return None
    try:
        return await drafter.draft(system, user, shape)
    except DraftFailed as exc:
        app.notify(f"{exc} Nothing was changed; write it yourself.", title="No draft", severity="warning", timeout=10)
        return None


def put(area: TextArea, text: str) -> None:
    """Replace the editor's text as one undoable edit."""
    area.replace(clean(text, single_line=False), (0, 0), area.document.end)  # the model's words: untrusted text
