"""Small modal questions: pick one of a list, or type a short note."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .text import literal


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one value (a status, a tech, a priority); Escape picks nothing. The current value is marked."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]

    def __init__(self, prompt: str, choices: Sequence[tuple[str, str]], *, current: str | None = None) -> None:
        """``choices`` are (value, label) pairs."""
        super().__init__()
        self.prompt = prompt
        self.choices = tuple(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.prompt, "bold", single_line=False), classes="dialog-title")
            options = []
            for value, label in self.choices:
                text = literal(label)
                if value == self.current:
                    text.append("  (now)", style="dim")
                options.append(Option(text, id=value))
            yield OptionList(*options, id="choices")
            yield Static(Text("Enter picks, Escape cancels.", style="italic"), classes="dialog-help")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _label in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    """A one-line note (why a write is abandoned). Enter keeps it, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, prompt: str, placeholder: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.prompt, "bold", single_line=False), classes="dialog-title")
            yield Input(placeholder=self.placeholder, id="note")
            yield Static(Text("Enter saves the note, Escape cancels.", style="italic"), classes="dialog-help")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        note = event.value.strip()
        if not note:
            self.notify("Write a few words: the note is what a colleague reads later.", severity="warning")
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)
