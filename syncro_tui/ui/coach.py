"""The coach panel (F1): what the field under the cursor is for, the rule that applies, and why.

Each screen that has one yields a ``CoachPanel`` and answers ``coaching(widget)``
for the widget that has focus (``domain.coach`` holds the words). The panel
follows the focus by itself; a screen whose answer changes without the focus
moving (the queue's cursor, the wizard's form) calls ``coach_again``. It is on
from the start in training and off otherwise; F1 (``app.coach``) shows or hides
it on every screen at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Static

from .base import OnSyncro
from .text import literal

if TYPE_CHECKING:  # the queue is painted before the rules are imported (the panel is hidden until F1)
    from ..domain.coach import Coaching

EMPTY = "Move to a field: what it is for and the rule that applies show here."


def place(widget: Widget | None, known: Iterable[str]) -> str | None:
    """The id of ``widget``, or of the nearest widget around it, that is one of ``known`` (an open Select's list is
    inside its Select)."""
    names = set(known)
    node: DOMNode | None = widget
    while node is not None:
        if node.id in names:
            return node.id
        node = node.parent
    return None


def render(coaching: Coaching | None) -> Text:
    out = Text()
    out.append("Coach", style="bold reverse")
    out.append("  F1 hides\n", style="dim")
    if coaching is None:
        out.append(EMPTY, style="italic")
        return out
    out.append_text(literal(coaching.title, "bold", single_line=False))
    for line in coaching.now:  # first, as it changes with the form; from Syncro too (names, emails): literal
        out.append("\n▸ ", style="bold")
        out.append_text(literal(line, single_line=False))
    out.append("\n")
    out.append_text(literal(coaching.what, single_line=False))
    for label, words in (("Rule", coaching.rule), ("Why", coaching.why)):
        if words:
            out.append(f"\n{label}: ", style="bold")
            out.append_text(literal(words, single_line=False))
    return out


class CoachPanel(OnSyncro, VerticalScroll, can_focus=False):
    """The coach, docked beside the screen (below it on a narrow terminal)."""

    def compose(self) -> ComposeResult:
        yield Static(id="coach-text")

    def on_mount(self) -> None:
        self.display = self.app.coach
        self.watch(self.screen, "focused", self._focus_moved, init=False)
        self.follow()

    def _focus_moved(self, _focused: Widget | None) -> None:
        self.follow()

    def follow(self) -> None:
        """Say what the screen says about the widget with focus (nothing is worked out while hidden)."""
        if not self.display:
            return
        answer = getattr(self.screen, "coaching", None)
        coaching = answer(self.screen.focused) if answer is not None else None
        self.query_one("#coach-text", Static).update(render(coaching))


def coach_again(screen: Widget) -> None:
    """The screen's answer changed without the focus moving (a cursor, a form)."""
    for panel in screen.query(CoachPanel):
        panel.follow()
