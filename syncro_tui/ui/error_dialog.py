"""The dialog of a serious failure the tech must read: apart from the other dialogs, so the app's base can show
it (it needs nothing of the app)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from .text import literal


class ErrorDialog(ModalScreen[None]):
    """A serious failure the tech must read (a write stopped part-way, writes turned off). Passing ones are toasts."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="error.close"),
        Binding("enter", "close", "Close", show=False, id="error.enter"),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error"):
            yield Static(literal(self.title_text, "bold"), classes="dialog-title")
            yield Static(literal(self.message, single_line=False), id="error-message")
            yield Static(Text("Enter or Escape closes this.", style="italic"), classes="dialog-help")

    def action_close(self) -> None:
        if self.is_active:
            self.dismiss(None)
