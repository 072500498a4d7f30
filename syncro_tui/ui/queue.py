"""The queue screen: the open tickets, refreshed in place."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ..api import AuthError, SyncroError
from ..api.models import TicketSummary
from ..domain.plan import change_ticket
from ..domain.queue import Changes, Queue, age
from .activity import ActivityScreen
from .dialogs import ChoiceScreen
from .text import clean, literal
from .unfinished import UnfinishedScreen
from .widgets import AttributionBanner, StatusBar
from .writing import confirm_and_send

COLUMNS = (("number", "#", 7), ("status", "Status", 19), ("priority", "Priority", 9), ("customer", "Customer", 26),
           ("subject", "Subject", 40), ("tech", "Tech", 16), ("age", "Age", 4), ("updated", "Updated", 11))

PRIORITY_STYLE = {"4 Urgent": "bold red", "0 Urgent": "bold red", "1 High": "yellow", "3 Low": "dim"}


class QueueScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "refresh_now", "Refresh", id="queue.refresh"),
        Binding("j", "cursor_down", "Down", show=False, id="queue.down"),
        Binding("k", "cursor_up", "Up", show=False, id="queue.up"),
        Binding("s", "status", "Status", id="queue.status"),
        Binding("a", "assign", "Assign", id="queue.assign"),
        Binding("p", "priority", "Priority", id="queue.priority"),
        Binding("c", "close_ticket", "Close", id="queue.close"),
        Binding("u", "unfinished", "Unfinished writes", id="queue.unfinished"),
        Binding("A", "activity", "Activity", key_display="A", id="queue.activity"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.queue = Queue()
        self.refreshed_at: datetime | None = None
        self.connected = True
        self.connection_note = "connecting"

    @property
    def session(self):  # the app's Session
        return self.app.session  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield AttributionBanner(id="attribution")
        yield Static("Open tickets", id="queue-title")
        table: DataTable[Text] = DataTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.update_status()
        self.set_interval(2, self.update_status)

    # ------------------------------------------------------------- loading
    def closed_statuses(self) -> frozenset[str]:
        return frozenset(self.session.config.tickets.closed_statuses)

    @work(exclusive=True, group="queue-refresh", exit_on_error=False)
    async def load(self) -> None:
        """Full load of the open tickets."""
        client = self.session.client
        self.query_one(DataTable).loading = not self.queue.tickets
        try:
            tickets = await client.all_tickets(status="Not Closed", per_page=self.session.config.queue.page_size)
        except AuthError as exc:  # e.g. a key without the ticket permissions
            self.app.fatal(str(exc))  # type: ignore[attr-defined]
            return
        except SyncroError as exc:
            self.set_connection(False, str(exc))
            self.schedule_refresh()
            return
        finally:
            self.query_one(DataTable).loading = False
        self.queue = Queue(closed_statuses=self.closed_statuses())
        self.queue.replace(tickets)
        self.rebuild()
        self.mark_refreshed()
        self.schedule_refresh()

    @work(exclusive=True, group="queue-refresh", exit_on_error=False)
    async def refresh_delta(self) -> None:
        """Only what changed since the newest update seen: one request when nothing did."""
        if self.queue.watermark is None:
            self.load()
            return
        try:
            delta = await self.session.client.all_tickets(since_updated_at=self.queue.watermark, per_page=100)
        except SyncroError as exc:
            self.set_connection(False, str(exc))
            self.schedule_refresh()
            return
        changes = self.queue.merge(delta)
        if changes:
            self.apply(changes)
        self.mark_refreshed()
        self.schedule_refresh()

    def schedule_refresh(self) -> None:
        """Arm the next refresh once this one has finished (never overlapping)."""
        self.set_timer(self.session.config.queue.refresh_seconds, self.auto_refresh, name="queue-auto-refresh")

    def auto_refresh(self) -> None:
        if self.app.screen is not self:  # paused while a form, wizard or confirm is open
            self.schedule_refresh()
            return
        self.refresh_delta()

    def action_refresh_now(self) -> None:
        self.refresh_delta()

    def mark_refreshed(self) -> None:
        self.refreshed_at = self.session.now()
        self.set_connection(True, "connected")

    def set_connection(self, ok: bool, note: str) -> None:
        self.connected = ok
        self.connection_note = note
        if not ok:
            self.notify(note, title="Syncro", severity="error")
        self.update_status()

    # ------------------------------------------------------------ rendering
    def cells(self, ticket: TicketSummary) -> list[Text]:
        now = self.session.now()
        tz = self.app.time_zone  # type: ignore[attr-defined]
        updated = ticket.updated_at.astimezone(tz)
        updated_text = updated.strftime("%H:%M") if updated.date() == now.astimezone(tz).date() else updated.strftime("%b %d")
        tech = ticket.user.full_name if ticket.user and ticket.user.full_name else ("—" if ticket.user_id is None else f"#{ticket.user_id}")
        return [
            literal(f"#{ticket.number}"),
            literal(ticket.status, "bold" if ticket.status in ("New", "Customer Reply") else ""),
            literal(ticket.priority or "", PRIORITY_STYLE.get(ticket.priority or "", "")),
            literal(ticket.customer_business_then_name or ""),
            literal(ticket.subject),
            literal(tech, "dim" if ticket.user_id is None else ""),
            literal(age(ticket.created_at, now)),
            literal(updated_text),
        ]

    def rebuild(self) -> None:
        table = self.query_one(DataTable)
        selected = self.selected_key()
        table.clear()
        for ticket in self.queue.ordered():
            table.add_row(*self.cells(ticket), key=str(ticket.id))
        self.restore_cursor(selected)
        self.update_title()

    def apply(self, changes: Changes) -> None:
        """Update rows in place: the table is never cleared, the cursor stays on its ticket."""
        table = self.query_one(DataTable)
        selected = self.selected_key()
        for ticket_id in changes.removed:
            table.remove_row(str(ticket_id))
        for ticket in changes.updated:
            for (key, _label, _w), cell in zip(COLUMNS, self.cells(ticket)):
                table.update_cell(str(ticket.id), key, cell)
        for ticket in changes.added:
            table.add_row(*self.cells(ticket), key=str(ticket.id))
        if changes.added:
            # New tickets take their place in the queue's order; existing rows keep theirs.
            position = {f"#{t.number}": i for i, t in enumerate(self.queue.ordered())}
            table.sort("number", key=lambda cell: position.get(cell.plain, len(position)))
        self.restore_cursor(selected)
        self.update_title()

    def selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - an empty or shrinking table has no cursor cell
            return None

    def restore_cursor(self, key: str | None) -> None:
        table = self.query_one(DataTable)
        if key is None:
            return
        try:
            table.move_cursor(row=table.get_row_index(key), scroll=False)
        except Exception:  # noqa: BLE001 - the ticket left the queue
            pass

    def update_title(self) -> None:
        self.query_one("#queue-title", Static).update(Text(f" Open tickets ({len(self.queue.tickets)})", style="bold"))

    def update_status(self) -> None:
        app = self.app
        budget = self.session.client.pacer.budget()
        tz = app.time_zone  # type: ignore[attr-defined]
        refreshed = self.refreshed_at.astimezone(tz).strftime("%H:%M:%S") if self.refreshed_at else None
        self.query_one(StatusBar).show(
            owner=app.owner_label,  # type: ignore[attr-defined]
            account=self.session.account_label,
            used=budget.used_last_minute,
            limit=budget.limit_per_minute,
            refreshed=refreshed,
            connection=self.connection_note,
            ok=self.connected,
        )

    # --------------------------------------------------------------- triage
    def selected_ticket(self) -> TicketSummary | None:
        key = self.selected_key()
        return self.queue.tickets.get(int(key)) if key else None

    @work(exclusive=True, group="triage", exit_on_error=False)
    async def action_status(self) -> None:
        ticket = self.selected_ticket()
        settings = self.app.ticket_settings  # type: ignore[attr-defined]
        if ticket is None:
            return
        if settings is None or not settings.ticket_status_list:
            self.notify("The account's ticket statuses could not be read, so the status cannot be changed here.",
                        severity="error")
            return
        value = await self.app.push_screen_wait(ChoiceScreen(
            f"Status of ticket #{ticket.number}: {clean(ticket.subject)}",
            [(name, name) for name in settings.ticket_status_list], current=ticket.status))
        if value and value != ticket.status:
            await self.change(ticket, {"status": value}, kind="status", words=f"status {ticket.status} → {value}")

    @work(exclusive=True, group="triage", exit_on_error=False)
    async def action_assign(self) -> None:
        ticket = self.selected_ticket()
        if ticket is None:
            return
        settings = self.app.ticket_settings  # type: ignore[attr-defined]
        users = settings.users if settings and settings.users else None
        if users is None:
            try:
                users = await self.session.client.users()
            except SyncroError as exc:
                self.notify(f"The list of techs could not be read: {exc}", severity="error")
                return
        value = await self.app.push_screen_wait(ChoiceScreen(
            f"Assign ticket #{ticket.number} to:", [(str(u.id), u.name) for u in users],
            current=str(ticket.user_id) if ticket.user_id else None))
        if value and value != str(ticket.user_id):
            name = next(u.name for u in users if str(u.id) == value)
            await self.change(ticket, {"user_id": int(value)}, kind="assign", words=f"assign to {name}")

    @work(exclusive=True, group="triage", exit_on_error=False)
    async def action_priority(self) -> None:
        ticket = self.selected_ticket()
        priorities = self.app.priorities  # type: ignore[attr-defined]
        if ticket is None:
            return
        if not priorities:
            self.notify("The account's priorities could not be read, so the priority cannot be changed here.",
                        severity="error")
            return
        value = await self.app.push_screen_wait(ChoiceScreen(
            f"Priority of ticket #{ticket.number}: {clean(ticket.subject)}", [(p, p) for p in priorities],
            current=ticket.priority))
        if value and value != ticket.priority:
            await self.change(ticket, {"priority": value}, kind="priority",
                              words=f"priority {ticket.priority or 'none'} → {value}")

    @work(exclusive=True, group="triage", exit_on_error=False)
    async def action_close_ticket(self) -> None:
        ticket = self.selected_ticket()
        if ticket is None:
            return
        resolved = self.session.config.tickets.resolved_status
        await self.change(ticket, {"status": resolved}, kind="close", words=f"close (status {ticket.status} → {resolved})")

    async def change(self, ticket: TicketSummary, fields: dict[str, object], *, kind: str, words: str) -> None:
        outcome = await confirm_and_send(self.app, change_ticket(ticket, fields, kind=kind, words=words))  # type: ignore[arg-type]
        if outcome is not None:
            self.refresh_delta()  # the row updates in place

    def action_unfinished(self) -> None:
        writes = self.app.writes  # type: ignore[attr-defined]
        if writes is None or not writes.open_groups():
            self.notify("No unfinished writes.", timeout=4)
            return
        self.app.push_screen(UnfinishedScreen())

    def action_activity(self) -> None:
        self.app.push_screen(ActivityScreen())

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()
