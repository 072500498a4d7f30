"""The help screen (?): the sections by number, and every key of the screen below with its binding id.

The id is what ``[keymap]`` in the config needs to move a key (``"queue.close" = "x"``), so it is shown
beside each key; the README's key tables say the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from .text import literal

if TYPE_CHECKING:
    from ..domain.sections import Section


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close", id="help.close"),
                Binding("question_mark", "dismiss", "Close", key_display="?", show=False, id="help.close_again")]

    def __init__(self, under: Screen, sections: Sequence[Section] = ()) -> None:
        """``sections``: the queue's, when it is the screen below."""
        super().__init__()
        self.under = under
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(Text("Keys", style="bold"), classes="dialog-title")
            sections = self.sections
            if sections:
                lines = Text("Sections (their number picks them; queue.section_1 … queue.section_9)\n", style="bold")
                for number, section in enumerate(sections[:9], start=1):
                    lines.append(f"  {number}  ", style="bold")
                    lines.append_text(literal(section.label))
                    lines.append("\n")
                yield Static(lines)
            yield Static(self.keys())
            yield Static(Text("Move a key with [keymap] in the config: \"<binding id>\" = \"<key>\". Escape closes.",
                              style="italic"), classes="dialog-help")

    def keys(self) -> Table:
        table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
        table.add_column("key", no_wrap=True)
        table.add_column("does")
        table.add_column("binding id", style="dim", no_wrap=True)
        seen: set[tuple[str, str]] = set()
        active = list(self.under.active_bindings.values())
        # The app's own keys (those with an id, which [keymap] can move) first, then Textual's.
        for binding in [a.binding for a in active if a.binding.id] + [a.binding for a in active if not a.binding.id]:
            what = (binding.description, binding.id or "")
            if not binding.description or what in seen or binding.description.startswith("Section "):
                continue
            seen.add(what)
            table.add_row(self.app.get_key_display(binding), binding.description, binding.id or "")
        return table
