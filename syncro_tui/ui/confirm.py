"""The confirm screen: the exact payloads, in order, before anything is sent (docs/rules.md §9).

It renders each request's ``body_json()``, the very bytes the client sends
(ids that earlier calls will return read ``<id from call N>``).
Sending takes the deliberate key ``s``, and Escape cancels without sending
(whatever the tech typed stays in the form behind). Typing that runs on from
the form (a letter, a space: a tech who pressed ctrl+s mid-sentence) disarms
``s``, since an "s" inside a word is prose, not a decision; Enter arms it again
once the tech has read what is shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..writes.plans import Plan
from ..writes.recovery import Confirmation
from .base import OnSyncro
from .widgets import FittingFooter
from .text import literal


class ConfirmScreen(OnSyncro, ModalScreen[bool]):
    """Dismisses with True only when the tech presses ``s``."""

    BINDINGS = [
        Binding("s", "send", "Send to Syncro", id="confirm.send"),
        Binding("escape", "cancel", "Cancel (nothing is sent)", id="confirm.cancel"),
    ]

    HELP = "Press s to send, Escape to cancel. Nothing has been sent yet."
    DISARMED = ("Typing reached this confirm, so nothing was sent and s does nothing now. Read the calls above, "
                "then press Enter, then s to send; Escape goes back to the form.")

    def __init__(self, confirmation: Confirmation) -> None:
        """Its ``first`` and ``total`` number the calls when only the rest of a group is confirmed (on resume)."""
        super().__init__()
        self.confirmation = confirmation
        self.summary = confirmation.summary
        self.requests = confirmation.requests
        self.notes = confirmation.notes
        self.first = confirmation.first
        self.total = confirmation.total or self.first - 1 + len(self.requests)
        #: Prose reached this screen: ``s`` sends nothing until Enter.
        self.typing = False

    @classmethod
    def for_plan(cls, plan: Plan, *, notes: Sequence[str] = ()) -> ConfirmScreen:
        return cls(Confirmation(plan.title, plan.steps, notes=(*plan.notes, *notes)))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="confirm-box"):
            yield Static(literal(self.summary, "bold", single_line=False), id="confirm-summary")
            for note in self.notes:
                yield Static(literal("• " + note, single_line=False), classes="confirm-note")
            for number, req in enumerate(self.requests, start=self.first):
                head = Text(f"{number}/{self.total}  ", style="dim")
                if req.is_check:
                    head.append("CHECK ", style="bold")
                head.append(f"{req.method} ", style="bold")
                head.append_text(literal(req.display_path))
                condition = self.confirmation.condition(req)
                if condition is not None:
                    head.append(f"   {condition}", style="italic")
                yield Static(head, classes="confirm-call")
                if req.body is not None:
                    yield Static(literal(req.body_json(), single_line=False), classes="confirm-body")
                if req.expect is not None:
                    yield Static(literal("reads back and expects " + json.dumps(req.preview()["expect"], ensure_ascii=False),
                                         single_line=False), classes="confirm-body")
            yield Static(Text(self.HELP, style="italic"), id="confirm-help")
        yield FittingFooter()

    def on_screen_resume(self) -> None:
        self.app.hold_notices()  # nothing covers the calls or "Press s to send" while they are in view

    def on_screen_suspend(self) -> None:
        self.app.release_notices()

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.key != "s" and not self.typing:
            self.typing = True
            self.say(self.DISARMED, "bold yellow")
        elif event.key == "enter" and self.typing:
            self.typing = False
            self.say(self.HELP, "italic")
            event.stop()

    def say(self, words: str, style: str) -> None:
        help_line = self.query_one("#confirm-help", Static)
        help_line.update(Text(words, style=style))
        help_line.scroll_visible(animate=False)

    def action_send(self) -> None:
        if self.typing:  # an "s" in the middle of a word
            self.app.bell()
            return
        if self.is_active:  # a key typed twice before the dialog closed answers once
            self.dismiss(True)

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(False)
