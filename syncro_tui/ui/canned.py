"""ctrl+k in the comment editor: the account's canned responses and the shop's snippets, searched by title.

Enter inserts the one highlighted at the cursor, as plain text the tech edits
(``CommentScreen.insert_canned``); the comment's password stop and the sentence
of who receives it then apply to what was inserted, as to anything typed.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..domain.canned import Canned, CannedList, matching
from .text import literal
from .base import HoldsRefresh


class CannedScreen(HoldsRefresh, ModalScreen[Canned | None]):
    """Pick one response; Escape picks none. The highlighted one's text shows below the list, as it will be."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="canned.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="canned.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="canned.previous"),
    ]

    def __init__(self, listed: CannedList) -> None:
        super().__init__()
        self.listed = listed
        self.shown: list[Canned] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Canned responses", style="bold"), classes="dialog-title")
            if self.listed.note:
                yield Static(literal(self.listed.note, "bold yellow", single_line=False), id="canned-note")
            yield Input(placeholder="type words of a title", id="canned-search")
            yield OptionList(id="canned-list")
            yield Static(id="canned-preview", classes="bill-note")
            yield Static(Text("Enter inserts it at the cursor (as text you can edit), Escape cancels.", style="italic"),
                         classes="dialog-help")

    def on_mount(self) -> None:
        self.show("")

    @on(Input.Changed, "#canned-search")
    def search(self, event: Input.Changed) -> None:
        self.show(event.value)

    def show(self, words: str) -> None:
        self.shown = matching(self.listed.items, words)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(literal(c.title).append(f"   {c.source}", style="dim"), id=str(i))
                             for i, c in enumerate(self.shown)])
        if self.shown:
            options.highlighted = 0
        self.preview()

    @on(OptionList.OptionHighlighted)
    def preview(self) -> None:
        picked = self.highlighted()
        empty = "Nothing to list." if not self.listed.items else "No title has those words."
        self.query_one("#canned-preview", Static).update(
            literal(picked.text, single_line=False) if picked else Text(empty, style="italic"))

    def highlighted(self) -> Canned | None:
        index = self.query_one(OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            options.highlighted = ((options.highlighted or 0) + step) % len(self.shown)

    @on(Input.Submitted, "#canned-search")
    @on(OptionList.OptionSelected)
    def chosen(self) -> None:
        picked = self.highlighted()
        if picked is not None and self.is_active:
            self.dismiss(picked)

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(None)
