"""The queue screen's keys for the ticket under the cursor, and the screens it opens (by message to the app)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import SystemCommand
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable

from ..domain.queue import QueueRow
from ..domain.sections import Section
from ..session.queue import QueueModel
from .messages import (OpenActivity, OpenAppointments, OpenBilling, OpenNewTicket, OpenSweep, OpenTicket,
                       OpenUnfinished, StopClock, ToggleClock)
from .text import palette_text
from .ticket_table import TicketTable
from .widgets import ReportsFailures


class TicketActions(ReportsFailures, Screen[None]):
    """The part of ``QueueScreen`` that acts on the selected ticket: each action posts what to open to the app."""

    model: QueueModel

    if TYPE_CHECKING:  # the screen's
        def selected_key(self) -> str | None: ...
        def enter(self, section: Section, *, restoring: bool = False) -> None: ...
        def refresh_delta(self) -> object: ...
        def action_find(self) -> object: ...
        def action_customer(self) -> object: ...
        def update_status(self) -> None: ...

    def selected_ticket(self) -> QueueRow | None:
        key = self.selected_key()
        if key is None or self.query_one(ContentSwitcher).current != "queue-table":
            return None
        return self.model.ticket(int(key))

    @on(TicketTable.Selected)
    def open_selected(self, event: TicketTable.Selected) -> None:
        self.open_ticket(int(event.key))

    @on(DataTable.RowSelected, "#appointments-table")
    def open_appointment(self, event: DataTable.RowSelected) -> None:
        appt = next((a for a in self.model.appointments if str(a.id) == event.row_key.value), None)
        if appt is None or appt.ticket_id is None:
            self.notify("This appointment is not on a ticket.", timeout=4)
            return
        self.open_ticket(appt.ticket_id)

    def open_ticket(self, ticket_id: int) -> None:
        self.app.post_message(OpenTicket(ticket_id))

    @work(exclusive=True, group="triage", exit_on_error=False)
    async def action_triage(self, action: str) -> None:
        from .triage import ACTIONS, triage

        if self.model.marked:  # marked tickets: the change on all of them, one confirm
            from .bulk import bulk_triage

            outcome = await bulk_triage(self.app, self.model.marked_rows(), action)
            if outcome is not None:
                if outcome.done:
                    self.repaint(self.model.marked.clear())
                self.refresh_delta()
            return
        ticket = self.selected_ticket()
        if ticket is None:
            self.notify(f"{ACTIONS[action]}: select a ticket first.", timeout=4)
            return
        if await triage(self.app, ticket, action) is not None:
            self.refresh_delta()  # the row updates in place

    # --------------------------------------------------------------- marks
    def action_mark(self) -> None:
        """space: the ticket under the cursor marked (or unmarked) for a change on every marked ticket."""
        ticket = self.selected_ticket()
        if ticket is None:
            return
        self.model.marked.toggle(ticket.id)
        self.repaint({ticket.id})
        self.query_one(TicketTable).action_cursor_down()  # on to the next, as a mark key does in a list

    def action_mark_all(self) -> None:
        """*: every ticket of the section and filter shown marked."""
        if self.query_one(ContentSwitcher).current != "queue-table":
            return
        self.repaint(self.model.marked.add(t.id for t in self.model.rows()))

    def repaint(self, ticket_ids: set[int]) -> None:
        """The rows of ``ticket_ids`` drawn again (their mark changed), and the status bar's count."""
        table = self.query_one(TicketTable)
        for ticket_id in ticket_ids:
            table.cells.pop(str(ticket_id), None)
            index = table.index_of(str(ticket_id))
            if index is not None:
                table.refresh_row(index)
        self.update_status()

    @work(exclusive=True, group="go-to", exit_on_error=False)
    async def action_go_to(self) -> None:
        """g, then a number: that ticket, whether or not it is in the queue (closed, another tech's). One
        ``GET /tickets?number=N`` when the queue does not have it; offline, the tickets kept on this machine."""
        from ..api import SyncroError
        from .dialogs import NoteScreen

        typed = await self.app.push_screen_wait(NoteScreen(
            "Go to ticket number:", placeholder="e.g. 31996", enter="opens it", needed="Type a ticket number."))
        if not typed:
            return
        digits = typed.strip().lstrip("#").strip()
        if not digits.isdigit():
            self.notify(f"“{palette_text(typed.strip())}” is not a ticket number: type its digits, e.g. 31996.",
                        title="Go to", severity="warning", timeout=8)
            return
        number = int(digits)
        known = next((t.id for t in self.model.queue.tickets.values() if t.number == number), None)
        if known is not None:
            self.open_ticket(known)
            return
        try:
            found = await self.app.reads.ticket_numbered(number)
        except SyncroError as exc:
            kept = self.app.reads.cached_numbered(number)
            if kept is None:
                self.notify(f"Syncro cannot be reached ({exc}), and ticket #{number} was never opened on this "
                            "machine, so it is not kept here.", title="Go to", severity="error", timeout=12)
                return
            found = kept.ticket.id  # the ticket screen shows it as kept, and says so
        if found is None:
            self.notify(f"There is no ticket #{number} in Syncro.", title="Go to", severity="warning", timeout=8)
            return
        self.open_ticket(found)

    @work(exclusive=True, group="go-to", exit_on_error=False)
    async def action_recent(self) -> None:
        """ctrl+e: the last 20 tickets opened, kept on this machine (offline too); Enter opens one."""
        from .dialogs import ChoiceScreen

        recent = self.app.reads.recent_tickets(20)
        if not recent:
            self.notify("No ticket has been opened on this machine yet.", title="Recent tickets", timeout=6)
            return
        picked = await self.app.push_screen_wait(ChoiceScreen("Recent tickets (opened last first):", [
            (str(kept.ticket.id), f"#{kept.ticket.number}  {kept.ticket.status}  "
                                  f"{kept.ticket.customer_business_then_name or ''}: {kept.ticket.subject}")
            for kept in recent]))
        if picked:
            self.open_ticket(int(picked))

    def action_bill(self) -> None:
        ticket = self.selected_ticket()
        if ticket is None:
            self.notify("Bill time: select a ticket first.", timeout=4)
            return
        self.app.post_message(OpenBilling(ticket.id))

    def action_clock(self) -> None:
        ticket = self.selected_ticket()
        if ticket is None:
            self.notify("Work clock: select a ticket first.", timeout=4)
            return
        self.app.post_message(ToggleClock(ticket.id, ticket.number, ticket.subject))

    def action_stop_clock(self) -> None:
        ticket = self.selected_ticket()
        if ticket is None:
            self.notify("Stop the work clock: select a ticket first.", timeout=4)
            return
        self.app.post_message(StopClock(ticket.id))

    def action_appointments(self) -> None:
        self.app.post_message(OpenAppointments())

    def action_new_ticket(self) -> None:
        self.app.post_message(OpenNewTicket())

    def palette_commands(self) -> Iterable[SystemCommand]:
        from .triage import ACTIONS

        ticket = self.selected_ticket()
        if ticket is not None:
            label = palette_text(f"#{ticket.number} {ticket.subject}")
            yield SystemCommand(f"Open {label}", "Show the whole ticket", lambda: self.open_ticket(ticket.id))
            yield SystemCommand(f"Bill time: {label}", "The billing wizard: nothing is sent before its confirm",
                                self.action_bill)
            for action, words in ACTIONS.items():
                yield SystemCommand(f"{words}: {label}", "Through the confirm; nothing is sent before it",
                                    lambda action=action: self.action_triage(action))
        for number, section in enumerate(self.model.sections, start=1):
            yield SystemCommand(f"Section: {palette_text(section.label)}", f"Key {number}" if number <= 9 else "",
                                lambda section=section: self.enter(section))
        yield SystemCommand("Appointments", "Today's or this week's, mine or everyone's; move one",
                            self.action_appointments)
        yield SystemCommand("New ticket", "One form, one confirm: ticket, first comment, appointment",
                            self.action_new_ticket)
        yield SystemCommand("Go to a ticket by number", "Key g: open or closed, anyone's", self.action_go_to)
        yield SystemCommand("Recent tickets", "Key ctrl+e: the last 20 opened, offline too", self.action_recent)
        yield SystemCommand("Find tickets in Syncro", "Server-side search, all statuses", self.action_find)
        yield SystemCommand("Open a customer's tickets", "Search customers by name", self.action_customer)
        yield SystemCommand("Activity", "What you wrote to Syncro, by day", self.action_activity)
        yield SystemCommand("Unfinished writes", "Resume or abandon writes cut short", self.action_unfinished)
        yield SystemCommand("Alerts inbox", "Key i: today's alerts, to open, mark done or snooze", self.action_inbox)

    def action_inbox(self) -> None:
        """i: today's alerts, to open, mark done or snooze; the ⚑ count follows when it closes."""
        from .inbox import InboxScreen

        self.app.push_screen(InboxScreen(self.model.inbox), callback=lambda _: self.update_status())

    def action_unfinished(self) -> None:
        self.app.post_message(OpenUnfinished())

    def action_activity(self) -> None:
        self.app.post_message(OpenActivity())

    def action_sweep(self) -> None:
        self.app.post_message(OpenSweep())
