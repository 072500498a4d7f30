"""Appointments: today's or this week's, mine or everyone's, one customer's; and moving one.

Syncro ignores the customer filter on ``GET /appointments`` (docs/rules.md §4), so the list is read by date and filtered here. A move asks for the new
time with the weekday, the zone and the owner in view, warns outside business
hours and on a clash with the owner's other appointments, confirms the ``PUT``,
then checks that Syncro's answer starts at the time intended.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Label, Static

from ..api import SyncroError
from ..api.models import Appointment
from ..domain.appointments import MoveReview, Scope, Span, days, in_scope, landed_wrong, length_of, review_move
from ..writes.plans import move_appointment
from ..domain.when import TIME_HELP, Booking, describe_span, length_text, typed
from .base import HoldsRefresh, SyncroBase
from .dialogs import CustomerSearchScreen
from .error_dialog import ErrorDialog
from .text import literal
from .messages import OpenTicket
from .ticket_table import Column
from .widgets import AttributionBanner, FittingFooter, ListTable, ReportsFailures
from .writing import confirm_and_send

#: At 80 columns the list keeps day, time, summary (it names the customer), owner, ticket and location; the
#: customer column gives way first (issue 33).
COLUMNS = (Column("day", "Day", 10, rank=1), Column("time", "Time", 11), Column("summary", "Summary", 44, least=16, grow=True),
           Column("customer", "Customer", 24, least=12, rank=4), Column("owner", "Owner", 16, least=10, rank=2),
           Column("ticket", "Ticket", 7, rank=1), Column("location", "Location", 18, least=10, rank=3))


def owner_of(app: SyncroBase, appt: Appointment) -> str:
    if appt.user_id is None:
        return "nobody"
    return f"{app.account.tech_names.get(appt.user_id, 'user')} (#{appt.user_id})"


class AppointmentsScreen(ReportsFailures, Screen[None]):
    BINDINGS = [
        Binding("escape", "leave", "Back", id="appointments.back"),
        Binding("d", "span('today')", "Today", id="appointments.today"),
        Binding("w", "span('week')", "This week", id="appointments.week"),
        Binding("e", "everyone", "Mine / everyone", id="appointments.everyone"),
        Binding("C", "customer", "Customer", key_display="C", id="appointments.customer"),
        Binding("m", "move", "Move", id="appointments.move"),
        Binding("o", "open_ticket", "Open ticket", id="appointments.open"),
        Binding("r", "reload", "Refresh", id="appointments.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scope = Scope()
        self.listed: list[Appointment] = []
        self.shown: list[Appointment] = []

    def compose(self) -> ComposeResult:
        yield AttributionBanner(id="attribution")
        yield Static(id="appts-head")
        table = ListTable(COLUMNS, id="appts-table", zebra_stripes=True)
        yield table
        yield FittingFooter()

    def on_mount(self) -> None:
        self.reload()

    @property
    def today(self) -> date:
        app = self.app
        return app.session.now().astimezone(app.account.time_zone).date()

    def head(self, note: str = "") -> None:
        text = Text(self.scope.words(self.today), style="bold")
        text.append(f"  {len(self.shown)} shown", style="dim")
        if note:
            text.append("  " + note, style="bold red")
        text.append("\nd today · w this week · e mine/everyone · C one customer (C again: all) · m move · o open ticket",
                    style="dim italic")
        self.query_one("#appts-head", Static).update(text)

    @work(exclusive=True, group="appointments-load", exit_on_error=False)
    async def reload(self) -> None:
        app = self.app
        first, last = days(self.scope.span, self.today)
        try:
            self.listed = await app.reads.appointments(first, last)
        except SyncroError as exc:
            self.head(f"Could not read the appointments: {exc}. r tries again.")
            return
        self.show()

    def show(self) -> None:
        app = self.app
        tz = app.account.time_zone
        self.shown = in_scope(self.listed, self.scope, user_id=app.account.me.user_id if app.account.me else None)
        table = self.query_one("#appts-table", ListTable)
        numbers = app.ticket_numbers()
        names = app.account.tech_names
        rows = []
        for appt in self.shown:
            start = appt.start_at.astimezone(tz)
            end = appt.end_at.astimezone(tz) if appt.end_at else None
            customer = (appt.customer.display_name if appt.customer else None) or (
                f"#{appt.customer_id}" if appt.customer_id else "")
            rows.append((str(appt.id), (
                literal(f"{start:%a %m-%d}"), literal(f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}"),
                literal(appt.summary or ""), literal(customer), literal(names.get(appt.user_id or -1, "")),
                literal(f"#{numbers[appt.ticket_id]}" if appt.ticket_id in numbers else ("yes" if appt.ticket_id else "")),
                literal(appt.location or ""))))
        table.show_rows(rows)
        self.head("" if self.shown else "Nothing here.")

    def selected(self) -> Appointment | None:
        table = self.query_one("#appts-table", DataTable)
        if not self.shown or table.cursor_row < 0:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    def action_span(self, span: str) -> None:
        self.scope = Scope(Span(span), self.scope.mine, self.scope.customer_id, self.scope.customer_name)
        self.reload()

    def action_everyone(self) -> None:
        self.scope = Scope(self.scope.span, not self.scope.mine, self.scope.customer_id, self.scope.customer_name)
        self.show()

    @work(exclusive=True, group="appointments-customer", exit_on_error=False)
    async def action_customer(self) -> None:
        if self.scope.customer_id is not None:
            self.scope = Scope(self.scope.span, self.scope.mine)
            self.show()
            return
        picked = await self.app.push_screen_wait(CustomerSearchScreen("Appointments of one customer"))
        if picked:
            customer_id, name = picked
            # One customer's appointments are everyone's: the customer is the question, not the tech.
            self.scope = Scope(self.scope.span, False, customer_id, name)
            self.show()

    def action_reload(self) -> None:
        self.reload()

    def action_open_ticket(self) -> None:
        appt = self.selected()
        if appt is None or appt.ticket_id is None:
            self.notify("This appointment is not on a ticket.", timeout=4)
            return
        self.app.post_message(OpenTicket(appt.ticket_id))

    @on(DataTable.RowSelected, "#appts-table")
    def row_chosen(self) -> None:
        self.action_move()

    @work(exclusive=True, group="appointment-move", exit_on_error=False)
    async def action_move(self) -> None:
        appt = self.selected()
        if appt is None:
            self.notify("Move: select an appointment first.", timeout=4)
            return
        app = self.app
        chosen = await app.push_screen_wait(MoveScreen(appt))
        if chosen is None:
            return
        slot, warnings = chosen
        tz = app.account.time_zone
        plan = move_appointment(appt, slot, tz=tz, owner=owner_of(app, appt))
        outcome = await confirm_and_send(app, plan, notes=warnings, says_done=True)
        if outcome is None or not outcome.steps or not outcome.steps[0].landed:
            return
        saved = outcome.record(Appointment)
        if saved is None:
            if outcome.done:
                self.notify(outcome.message, title="Saved", timeout=6)
            return
        wrong = landed_wrong(saved, slot, tz)
        if wrong:
            await app.push_screen_wait(ErrorDialog("The appointment is not at the time intended", wrong))
        else:
            self.notify(f"Moved to {describe_span(saved.start_at, saved.end_at, tz)}; Syncro's answer matches.",
                        title="Saved", timeout=6)
        self.reload()

    def action_leave(self) -> None:
        self.dismiss(None)


class MoveScreen(HoldsRefresh, ReportsFailures, ModalScreen[tuple[Booking, list[str]] | None]):
    """The new start and end, with weekday, zone, owner, business hours and clashes in view.

    Dismisses with the slot and its warnings (for the confirm), or None.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="move.cancel"),
        Binding("ctrl+s", "done", "Review the move", id="move.done", priority=True),
    ]

    def __init__(self, appt: Appointment) -> None:
        super().__init__()
        self.appt = appt
        self.slot: Booking | None = None
        #: The owner's appointments on the new day (for the clash warning), by day.
        self.owner_day: list[Appointment] = []
        self._day: Any = None

    @property
    def length(self) -> timedelta:
        return length_of(self.appt)

    def compose(self) -> ComposeResult:
        app = self.app
        tz = app.account.time_zone
        with Vertical(classes="dialog wide"):
            yield Static(literal(f"Move: {self.appt.summary or f'appointment {self.appt.id}'}", "bold"),
                         classes="dialog-title")
            now = Text("Now:   ", style="dim")
            now.append(describe_span(self.appt.start_at, self.appt.end_at, tz))
            now.append(f"  ({tz.key})\n", style="dim")
            now.append("Owner: ", style="dim")
            now.append_text(literal(owner_of(app, self.appt)))
            yield Static(now)
            with Horizontal(classes="bill-row"):
                yield Vertical(Label("New start"), Input(typed(self.appt.start_at, tz), id="move-start"),
                               classes="bill-field")
                yield Vertical(Label("New end"), Input(placeholder=f"same length ({length_text(self.length)})",
                                                      id="move-end"), classes="bill-field")
            yield Static(id="move-note")
            yield Static(Text(f"{TIME_HELP}. ctrl+s reviews the move; Escape cancels.", style="italic"),
                         classes="dialog-help")

    def on_mount(self) -> None:
        start = self.query_one("#move-start", Input)
        start.focus()
        start.action_end()
        self.update_note()

    @on(Input.Changed)
    def changed(self) -> None:
        self.update_note()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_done()

    def review(self) -> MoveReview:
        app = self.app
        return review_move(self.appt, self.query_one("#move-start", Input).value,
                           self.query_one("#move-end", Input).value, now=app.session.now(),
                           tz=app.account.time_zone, hours=app.account.business_hours, owner_day=self.owner_day)

    def update_note(self) -> None:
        tz = self.app.account.time_zone
        checked = self.review()
        self.slot = checked.slot
        note = Text()
        if checked.slot is None:
            note.append(checked.problem or "", style="bold red")
        else:
            note.append("New:   ", style="dim")
            note.append(describe_span(checked.slot.start, checked.slot.end, tz), style="bold")
            for warning in checked.warnings:
                note.append("\n⚠ ", style="yellow")
                note.append_text(literal(warning, "yellow"))
            self.load_day()
        self.query_one("#move-note", Static).update(note)

    @work(exclusive=True, group="move-day", exit_on_error=False)
    async def load_day(self) -> None:
        app = self.app
        if self.slot is None:
            return
        day = self.slot.start.astimezone(app.account.time_zone).date()
        if day == self._day:
            return
        await asyncio.sleep(0.3)
        owner_day = await app.reads.owners_day(day, self.appt.user_id)
        if owner_day is None:
            return  # the clash warning is a help, not a gate
        self._day, self.owner_day = day, owner_day
        self.update_note()

    def action_done(self) -> None:
        checked = self.review()
        if checked.slot is None:
            self.notify("Write the new start as " + TIME_HELP + ".", severity="error", timeout=6)
            return
        if checked.problem:
            self.notify(checked.problem, severity="warning", timeout=4)
            return
        self.dismiss((checked.slot, checked.warnings))

    def action_cancel(self) -> None:
        self.dismiss(None)

