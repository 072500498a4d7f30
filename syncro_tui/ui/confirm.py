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
from .base import HoldsRefresh, OnSyncro
from .widgets import FittingFooter
from .text import literal


class ConfirmScreen(HoldsRefresh, OnSyncro, ModalScreen[bool]):
    """Dismisses with True only when the tech presses ``s``."""

    BINDINGS = [
        Binding("s", "send", "Send to Syncro", id="confirm.send"),
        Binding("escape", "cancel", "Cancel (nothing is sent)", id="confirm.cancel"),
        Binding("v", "payloads", "Payloads", id="confirm.payloads"),
    ]

    HELP = "Press s to send, Escape to cancel. Nothing has been sent yet."
    #: A change on many tickets: one line each, their payloads one key away.
    HELP_LINES = "Press v to see each call's exact payload, s to send, Escape to cancel. Nothing has been sent yet."
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
        #: A change on many tickets: each call is its line in words, and its payload shows on ``v``.
        self.lines = confirmation.lines
        self.help = self.HELP_LINES if self.lines else self.HELP

    @classmethod
    def for_plan(cls, plan: Plan, *, notes: Sequence[str] = ()) -> ConfirmScreen:
        return cls(Confirmation(plan.title, plan.steps, notes=(*plan.notes, *notes)))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="confirm-box"):
            yield Static(literal(self.summary, "bold", single_line=False), id="confirm-summary")
            for note in self.notes:  # a warning (what a close leaves behind) stands out from the rest
                yield Static(literal("• " + note, "bold yellow" if note.startswith("⚠") else "", single_line=False),
                             classes="confirm-note")
            for number, req in enumerate(self.requests, start=self.first):
                head = Text(f"{number}/{self.total}  ", style="dim")
                if req.is_check:
                    head.append("CHECK ", style="bold")
                head.append(f"{req.method} ", style="bold")
                head.append_text(literal(req.display_path))
                condition = self.confirmation.condition(req)
                if condition is not None:
                    head.append(f"   {condition}", style="italic")
                if self.lines:
                    head.append("   ").append_text(literal(self.lines[number - self.first]))
                yield Static(head, classes="confirm-call")
                if req.body is not None:
                    body = Static(literal(req.body_json(), single_line=False), classes="confirm-body")
                    body.display = not self.lines
                    yield body
                if req.expect is not None:
                    yield Static(literal("reads back and expects " + json.dumps(req.preview()["expect"], ensure_ascii=False),
                                         single_line=False), classes="confirm-body")
            yield Static(Text(self.help, style="italic"), id="confirm-help")
        yield FittingFooter()

    def on_screen_resume(self) -> None:
        self.app.hold_notices()  # nothing covers the calls or "Press s to send" while they are in view

    def on_screen_suspend(self) -> None:
        self.app.release_notices()

    def on_key(self, event: events.Key) -> None:
        # v shows the payloads of a change on many (reached from a picker, never from prose): not typing.
        if event.is_printable and event.key != "s" and not (self.lines and event.key == "v") and not self.typing:
            self.typing = True
            self.say(self.DISARMED, "bold yellow")
            self.refresh_bindings()
        elif event.key == "enter" and self.typing:
            self.typing = False
            self.say(self.help, "italic")
            self.refresh_bindings()
            event.stop()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While disarmed, the footer shows "s Send" greyed out (None), not as a key that would send; ``v`` only
        where there are lines to open."""
        if action == "send":
            return None if self.typing else True
        return bool(self.lines) if action == "payloads" else True

    def say(self, words: str, style: str) -> None:
        help_line = self.query_one("#confirm-help", Static)
        help_line.update(Text(words, style=style))
        help_line.scroll_visible(animate=False)

    def action_send(self) -> None:
        if self.is_active:  # a key typed twice before the dialog closed answers once
            self.dismiss(True)

    def action_payloads(self) -> None:
        """v: each call's payload under its line, or the lines alone again."""
        for body in self.query(".confirm-body"):
            body.display = not body.display

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(False)
