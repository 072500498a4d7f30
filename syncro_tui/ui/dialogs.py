"""Small modal questions: pick one of a list, type a short note, find a customer."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..api import SyncroError
from .text import clean, literal
from .base import HoldsRefresh
from .widgets import Choices, ReportsFailures


class ChoiceScreen(HoldsRefresh, ModalScreen[str | None]):
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
            yield Choices(*options, id="choices")
            yield Static(Text("Enter picks, Escape cancels.", style="italic"), classes="dialog-help")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _label in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        if self.is_active:  # a second Enter, typed before the dialog closed, picks nothing more
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(HoldsRefresh, ModalScreen[str | None]):
    """A one-line note (why a write is abandoned). Enter keeps it, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, prompt: str, placeholder: str = "", *, value: str = "", optional: bool = False,
                 enter: str = "saves the note",
                 needed: str = "Write a few words: the note is what a colleague reads later.") -> None:
        """With ``optional``, Enter on an empty box answers "" (none); Escape still cancels. ``enter``: what
        Enter does, as the help line says it; ``needed``: what an empty Enter is told when text is required.
        ``value``: a real default, in the box and selected (Enter keeps it, typing replaces it); a placeholder
        is only a hint, and Enter on it is an empty box."""
        super().__init__()
        self.prompt = prompt
        self.placeholder = placeholder
        self.value = value
        self.optional = optional
        self.enter = enter
        self.needed = needed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.prompt, "bold", single_line=False), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="note")
            yield Static(Text(f"Enter {self.enter}" + (" (empty: none)" if self.optional else "") + ", Escape cancels.",
                              style="italic"), classes="dialog-help")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if not self.is_active:
            return
        note = event.value.strip()
        if not note and self.optional:
            self.dismiss("")
            return
        if not note:
            self.notify(self.needed, severity="warning")
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CustomerPicker(ReportsFailures, Vertical):
    """Type part of a customer's name; Syncro's autocomplete answers; Enter on a name picks it.

    Posts ``Picked`` with the customer, and ``Typed`` when the box changes by hand
    (so a form knows its customer is no longer the one picked).
    """

    DEFAULT_CLASSES = "customer-picker"
    BINDINGS = [Binding("down", "to_list", "Results", show=False, id="customer_picker.down")]
    #: Wait this long after the last keystroke before asking Syncro (one request per pause, not per key).
    DEBOUNCE = 0.3

    @dataclass
    class Picked(Message):
        customer_id: int
        name: str

    @dataclass
    class Typed(Message):
        text: str

    def __init__(self, value: str = "", *, help_text: str = "Type, then ↓ and Enter to pick.", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.value = value
        self.help_text = help_text
        self._shown = value
        #: Where the name is typed (a form focuses it, and marks it when the customer is the problem).
        self.box = Input(value, placeholder="customer name, at least 2 letters", id="customer-query")

    def compose(self) -> ComposeResult:
        yield self.box
        yield Choices(id="customers").set_styles("display: none;")
        yield Static(Text(self.help_text, style="italic"), id="customer-help", classes="dialog-help")

    @on(Input.Changed, "#customer-query")
    def typed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self._shown:  # the name just picked, written back into the box
            return
        self._shown = ""
        self.post_message(self.Typed(event.value))
        self.lookup(event.value.strip())

    @work(exclusive=True, group="customer-search", exit_on_error=False)
    async def lookup(self, query: str) -> None:
        options = self.query_one(OptionList)
        if len(query) < 2:
            options.clear_options()
            options.display = False
            return
        await asyncio.sleep(self.DEBOUNCE)  # a newer keystroke cancels this worker first
        help_line = self.query_one("#customer-help", Static)
        try:
            found = await self.app.reads.customers(query)
        except SyncroError as exc:
            help_line.update(Text(f"Syncro did not answer the search: {exc}", style="bold red"))
            return
        options.clear_options()
        options.add_options([Option(literal(c.display_name), id=f"{c.id}:{c.display_name}") for c in found])
        options.display = bool(found)
        words = ("1 found: Enter picks it." if len(found) == 1 else f"{len(found)} found. ↓ and Enter to pick." if found
                 else "No customer matches.")
        help_line.update(Text(words, style="italic"))

    @on(Input.Submitted, "#customer-query")
    def first(self, event: Input.Submitted | None = None) -> None:
        if event is not None:
            event.stop()
        options = self.query_one(OptionList)
        if options.option_count == 1 and event is not None:  # Enter with one match: that is the one
            self.pick(options.get_option_at_index(0).id or "")
        elif options.option_count:
            options.focus()
            options.highlighted = 0

    def action_to_list(self) -> None:
        self.first()

    @on(OptionList.OptionSelected, "#customers")
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(event.option.id or "")

    def pick(self, option_id: str) -> None:
        customer_id, _, name = option_id.partition(":")
        name = clean(name)  # Syncro's text, literal in the box too
        self._shown = name
        self.query_one(Input).value = name
        options = self.query_one(OptionList)
        options.clear_options()
        options.display = False
        self.query_one("#customer-help", Static).update(Text(self.help_text, style="italic"))
        self.post_message(self.Picked(int(customer_id), name))


class CustomerSearchScreen(HoldsRefresh, ModalScreen[tuple[int, str] | None]):
    """Find a customer by name (to open their tickets, or their appointments)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="customer_search.cancel")]

    def __init__(self, title: str = "Open a customer's tickets") -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield CustomerPicker(help_text="Type, then ↓ and Enter to pick; Escape cancels.")

    @on(CustomerPicker.Picked)
    def picked(self, event: CustomerPicker.Picked) -> None:
        if self.is_active:
            self.dismiss((event.customer_id, event.name))

    def action_cancel(self) -> None:
        self.dismiss(None)
