"""Unfinished writes: groups cut short (crash, kill, lost network), to resume or abandon with a note."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ..writes.activity import outcome_text
from .dialogs import NoteScreen
from .base import HoldsRefresh
from .text import literal
from .writing import resume
from .ticket_table import Column
from .widgets import FittingFooter, ListTable, ReportsFailures

COLUMNS = (Column("at", "Started", 12), Column("title", "What", 52, least=20),
           Column("where", "Where it stopped", 58, least=24, rank=1, grow=True))


class UnfinishedScreen(HoldsRefresh, ReportsFailures, ModalScreen[None]):
    """Listed at start when the journal holds open groups; also on ``u`` from the queue."""

    BINDINGS = [
        Binding("r", "resume", "Resume", id="unfinished.resume"),
        Binding("a", "abandon", "Abandon with a note", id="unfinished.abandon"),
        Binding("escape", "close", "Later", id="unfinished.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text("Unfinished writes", style="bold"), classes="dialog-title")
            yield Static(Text("These were cut short. Resuming first reads Syncro back to see what landed; "
                              "nothing is sent again without your confirm.", style="italic"), classes="dialog-help")
            yield ListTable(COLUMNS, id="unfinished-table")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.fill()

    @property
    def writes(self):  # the app's WritePath
        return self.app.writes

    def fill(self) -> None:
        tz = self.app.account.time_zone
        rows = []
        groups = self.writes.open_groups() if self.writes else []
        for group in groups:
            where = ("Sending now, from this window: not to resume" if self.writes.sending_here(group.id)
                     else outcome_text(group).removeprefix("Unfinished: "))
            rows.append((group.id, (literal(group.created_at.astimezone(tz).strftime("%b %d %H:%M")),
                                    literal(group.title), literal(where))))
        self.query_one(ListTable).show_rows(rows)
        if not groups:
            self.dismiss(None)

    def selected(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @work(exclusive=True, group="unfinished", exit_on_error=False)
    async def action_resume(self) -> None:
        group_id = self.selected()
        if group_id is None:
            return
        await resume(self.app, group_id)
        self.fill()

    @work(exclusive=True, group="unfinished", exit_on_error=False)
    async def action_abandon(self) -> None:
        group_id = self.selected()
        if group_id is None:
            return
        note = await self.app.push_screen_wait(NoteScreen(
            "Abandon this write? Nothing more of it is sent. Say why (what was done by hand, or why not needed):",
            placeholder="e.g. comment added in the web UI"))
        if note is None:
            return
        self.writes.abandon(group_id, note)
        self.notify("Abandoned; the note is kept in the activity log.", timeout=5)
        self.fill()

    def action_close(self) -> None:
        self.dismiss(None)
