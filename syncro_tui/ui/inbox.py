"""``i``: the day's alerts as an inbox (issue 36): open one, mark it done, or snooze it until a time.

The entries are the queue model's (``session/inbox.py``), kept on this machine
per profile, so they survive a restart; the status bar's ⚑ is their open count.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ..domain.alerts import WORDS
from ..domain.inbox import SNOOZE_HELP, EntryState, InboxEntry, snooze_until
from ..domain.when import WhenProblem
from ..session.inbox import Inbox
from .base import OnSyncro
from .dialogs import NoteScreen
from .messages import OpenTicket
from .text import literal
from .ticket_table import Column
from .widgets import FittingFooter, ListTable

COLUMNS = (Column("state", "", 9), Column("when", "When", 5), Column("kind", "What changed", 20, least=12, rank=1),
           Column("ticket", "Ticket", 50, least=20, grow=True))
STATE_WORDS = {EntryState.SEEN: ("seen", "dim"),
               EntryState.DONE: ("✔ done", "dim"), EntryState.GONE: ("closed", "dim")}


class InboxScreen(OnSyncro, ModalScreen[None]):
    """Every alert of the day, open first; Enter opens the ticket (and counts it seen)."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="inbox.open", priority=True),
        Binding("d", "done", "Done", id="inbox.done"),
        Binding("z", "snooze", "Snooze", id="inbox.snooze"),
        Binding("escape", "close", "Back", id="inbox.close"),
    ]

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text("Today's alerts", style="bold"), classes="dialog-title")
            yield ListTable(COLUMNS, id="inbox-table")
            yield Static(Text("Enter opens the ticket, d marks it done, z snoozes it until a time (it comes back "
                              "sooner if the ticket changes again), Escape goes back.", style="italic"),
                         classes="dialog-help")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.fill()

    def fill(self) -> None:
        now, tz = self.inbox.now(), self.app.account.time_zone
        rows = []
        for entry in self.inbox.shown():
            rows.append((str(entry.ticket_id), (self.state(entry, now),
                                                literal(entry.at.astimezone(tz).strftime("%H:%M")),
                                                literal(WORDS[entry.kind] + (f" ({entry.alerts}×)" if entry.alerts > 1
                                                                             else "")),
                                                literal(entry.words))))
        table = self.query_one(ListTable)
        table.show_rows(rows)
        if not rows:
            table.show_rows([("none", (Text(""), Text(""), Text(""), Text("No alerts today.", style="italic")))])

    def state(self, entry: InboxEntry, now: datetime) -> Text:
        if entry.is_open(now):
            return Text("● open", style="bold yellow")
        if entry.state is EntryState.SNOOZED and entry.until is not None:
            return Text(f"z {entry.until.astimezone(self.app.account.time_zone):%H:%M}", style="cyan")
        words, style = STATE_WORDS[entry.state]
        return Text(words, style=style)

    def selected(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key and key.isdigit() else None

    def action_open(self) -> None:
        ticket_id = self.selected()
        if ticket_id is None:
            return
        self.inbox.settle(ticket_id, EntryState.SEEN)
        self.dismiss(None)
        self.app.post_message(OpenTicket(ticket_id))

    @on(DataTable.RowSelected)
    def clicked(self) -> None:
        self.action_open()

    def action_done(self) -> None:
        ticket_id = self.selected()
        if ticket_id is not None and self.inbox.settle(ticket_id, EntryState.DONE):
            self.fill()

    @work(exclusive=True, group="inbox-snooze", exit_on_error=False)
    async def action_snooze(self) -> None:
        ticket_id = self.selected()
        if ticket_id is None:
            return
        typed = await self.app.push_screen_wait(NoteScreen(
            "Snooze until:", placeholder="2pm, tomorrow, 30m", enter="snoozes it", needed=f"Write {SNOOZE_HELP}."))
        if not typed:
            return
        try:
            until = snooze_until(typed, now=self.inbox.now(), tz=self.app.account.time_zone)
        except WhenProblem as exc:
            self.notify(str(exc), title="Not snoozed", severity="warning", timeout=10)
            return
        self.inbox.settle(ticket_id, EntryState.SNOOZED, until)
        self.fill()

    def action_close(self) -> None:
        self.dismiss(None)
