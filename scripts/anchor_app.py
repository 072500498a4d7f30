"""The anchors `bench_queue.py` measures beside the app, in the same pseudo-terminal: the floor Textual sets.

    python scripts/anchor_app.py N

A minimal Textual app: a filter box, a plain ``DataTable`` of N rows built in memory (no HTTP, no config,
no key) and a footer. Its first frame and rows on screen are what any Textual app of this shape costs.
``/`` focuses the filter; each keystroke rebuilds the table the plain way (``clear`` then ``add_rows`` of
every matching row); ``r`` rebuilds all N rows, as a refresh that redraws everything would; the arrow
keys move the cursor.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Input

COLUMNS = ("#", "Status", "Priority", "Customer", "Subject", "Tech", "Age", "Updated")
SUBJECTS = ("Printer offline on 2nd floor", "Outlook keeps asking for password", "VPN drops every hour",
            "New hire laptop setup", "Backup job failed overnight", "Phone system echo")


def rows(count: int) -> list[tuple[str, ...]]:
    return [(f"#{31700 + i}", "In Progress", "2 Normal", f"Customer {i % 40}", f"{SUBJECTS[i % len(SUBJECTS)]} ({i})",
             "Dana Whitfield", "4d", "Nov 28") for i in range(count)]


class Anchor(App[None]):
    BINDINGS = [("slash", "filter", "Filter"), ("r", "rebuild", "Rebuild"), ("escape", "clear", "Clear")]

    def __init__(self, count: int) -> None:
        super().__init__()
        self.all_rows = rows(count)
        self.hay = [" ".join(row).lower() for row in self.all_rows]

    def compose(self) -> ComposeResult:
        yield Input(id="filter", compact=True)
        yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.add_rows(self.all_rows)
        table.focus()

    def show(self, text: str) -> None:
        words = text.lower().split()
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows([row for row, hay in zip(self.all_rows, self.hay, strict=True) if all(w in hay for w in words)])

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show(event.value)

    def action_filter(self) -> None:
        self.query_one(Input).focus()

    def action_clear(self) -> None:
        self.query_one(Input).value = ""
        self.query_one(DataTable).focus()

    def action_rebuild(self) -> None:
        self.show(self.query_one(Input).value)


if __name__ == "__main__":
    Anchor(int(sys.argv[1])).run()
