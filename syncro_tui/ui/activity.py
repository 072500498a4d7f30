"""The activity screen: what this tech wrote to Syncro, by day, with outcomes; exported as CSV and JSON."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from ..writes.activity import detail_lines, export, groups_on, rows
from .base import OnSyncro
from .text import literal
from .ticket_table import Column
from .widgets import FittingFooter, ListTable

#: At 80 columns the list keeps time, what, and the outcome (issue 33: it lost the outcome); kind and calls narrow
#: or give way first.
COLUMNS = (Column("at", "Time", 6), Column("kind", "Kind", 14, least=10, rank=4), Column("title", "What", 52, least=20),
           Column("calls", "Calls", 6, rank=5), Column("outcome", "Outcome", 60, least=22, rank=1, grow=True))

STATE_STYLE = {"done": "green", "abandoned": "dim", "open": "bold yellow"}


class ActivityScreen(OnSyncro, Screen[None]):
    BINDINGS = [
        Binding("left_square_bracket", "day(-1)", "Day before", key_display="[", id="activity.previous"),
        Binding("right_square_bracket", "day(1)", "Day after", key_display="]", id="activity.next"),
        Binding("t", "today", "Today", id="activity.today"),
        Binding("e", "export", "Export CSV+JSON", id="activity.export"),
        Binding("escape", "app.pop_screen", "Back", id="activity.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day: date = self.today()

    def today(self) -> date:
        return self.app.session.now().astimezone(self.app.account.time_zone).date()

    def compose(self) -> ComposeResult:
        yield Static(id="activity-title")
        yield ListTable(COLUMNS, id="activity-table", zebra_stripes=True)
        yield Static(id="activity-empty")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.show()

    def groups(self):
        writes = self.app.writes
        if writes is None:
            return []
        return groups_on(writes.journal, self.day, self.app.account.time_zone, writes.profile_name)

    def show(self) -> None:
        app = self.app
        tz = app.account.time_zone
        found = rows(self.groups())
        title = Text(" Activity: ", style="bold")
        title.append(literal(app.account.owner_label))
        title.append(f"  {self.day:%A %d %B %Y}", style="bold")
        title.append(f"  ({len(found)} write{'s' if len(found) != 1 else ''}, times in {tz.key})", style="dim")
        self.query_one("#activity-title", Static).update(title)
        self.query_one(ListTable).show_rows(
            (row.group_id, (literal(row.at.astimezone(tz).strftime("%H:%M")), literal(row.kind), literal(row.title),
                            literal(f"{row.calls_done}/{row.calls}"), literal(row.outcome, STATE_STYLE.get(row.state, ""))))
            for row in found)
        empty = self.query_one("#activity-empty", Static)
        empty.update(Text("Nothing written to Syncro this day." if not found else "", style="italic dim"))
        empty.display = not found

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: every call of that write, what was sent and how it ended."""
        group = next((g for g in self.groups() if g.id == event.row_key.value), None)
        if group is not None:
            self.app.push_screen(WriteDetail(detail_lines(group, self.app.account.time_zone)))

    def action_day(self, step: int) -> None:
        self.day += timedelta(days=step)
        self.show()

    def action_today(self) -> None:
        self.day = self.today()
        self.show()

    def action_export(self) -> None:
        directory = self.app.session.journal_file().parent / "exports"
        try:
            csv_path, json_path = export(self.groups(), directory, self.day, self.app.account.time_zone)
        except OSError as exc:
            self.notify(f"Could not write the export: {exc}", title="Export", severity="error", timeout=15)
            return
        self.notify(f"{csv_path}\n{json_path}", title="Exported", timeout=15)


class WriteDetail(ModalScreen[None]):
    """One write of the activity screen, call by call (Syncro's and the tech's text shown literally)."""

    BINDINGS = [Binding("escape", "dismiss", "Back", id="write_detail.back")]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide"):
            yield Static(literal(self.lines[0], "bold"), classes="dialog-title")
            yield Static(literal("\n".join(self.lines[1:]), single_line=False))
            yield Static(Text("Escape goes back.", style="italic"), classes="dialog-help")
