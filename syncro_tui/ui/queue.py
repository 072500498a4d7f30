"""The queue screen: sections of the open tickets, filtered as you type, refreshed in place.

The first screen painted, so the screens it opens are imported when first
opened, not with it (see ``ui/app.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Input

from ..api import AuthError, SyncroError
from ..api.pacing import shared_pacer_problem
from ..domain.alerts import notices
from ..domain.queue import Changes, QueueRow, insert_in_order, sort_key
from ..domain.sections import Needle, Section, Source, customer_section, query_section
from ..session.queue import QueueModel, unreadable
from .messages import (OpenActivity, OpenAppointments, OpenBilling, OpenNewTicket, OpenSweep, OpenTicket,
                       OpenUnfinished, StopClock, ToggleClock)
from .coach import CoachPanel, coach_again
from .notice import desktop_notice
from .text import palette_text
from .ticket_table import TicketTable
from .queue_view import APPOINTMENT_COLUMNS, COLUMNS, RowPainter, SectionsBar, appointment_rows
from .widgets import (AttributionBanner, FittingFooter, LessonBar, ListTable, OneLineInput, ReportsFailures, Status,
                      StatusBar)

if TYPE_CHECKING:
    from ..domain.coach import Coaching
    from ..session import Session

#: The queue's columns, in order on screen. By importance (README, "The queue's columns"): the mark, number
#: and subject always show; then customer, status, priority, due, tech, updated, age. On a narrow terminal
#: customer, status and tech narrow first, then the least important give way; a wide one widens the subject.
#: The columns ``o`` steps through, in order (a click on any of their headers sorts by it).
SORTABLE = ("priority", "updated", "due", "number", "status", "customer", "subject", "tech", "age")
#: Seconds after the tech stops moving before where they are is kept for the next start.
PLACE_DELAY = 2.0
#: At 80 columns the queue keeps number, status (short forms that stay apart), priority, customer, subject and
#: Due/SLA (issue 33): the subject narrows to make room before Due gives way.


class QueueScreen(ReportsFailures, Screen[None]):
    AUTO_FOCUS = "#queue-table"
    BINDINGS = [
        Binding("r", "refresh_now", "Refresh", id="queue.refresh"),
        Binding("j", "cursor_down", "Down", show=False, id="queue.down"),
        Binding("k", "cursor_up", "Up", show=False, id="queue.up"),
        # A priority binding: taken when the key is read, so what is typed right after it (a burst, a fast typist)
        # lands in the filter box instead of being sent on to the table as section keys.
        Binding("slash", "filter", "Filter", key_display="/", id="queue.filter", priority=True),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="queue.clear_filter"),
        Binding("f", "find", "Find in Syncro", id="queue.find"),
        Binding("C", "customer", "Customer", key_display="C", id="queue.customer"),
        Binding("s", "triage('status')", "Status", id="queue.status"),
        Binding("a", "triage('assign')", "Assign", id="queue.assign"),
        Binding("p", "triage('priority')", "Priority", id="queue.priority"),
        Binding("c", "triage('close')", "Close", id="queue.close"),
        Binding("b", "bill", "Bill time", id="queue.bill"),
        Binding("w", "clock", "Work clock", id="queue.clock"),
        Binding("W", "stop_clock", "Stop clock and bill", key_display="W", show=False, id="queue.stop_clock"),
        Binding("n", "new_ticket", "New ticket", id="queue.new_ticket"),
        Binding("t", "appointments", "Appointments", id="queue.appointments"),
        Binding("u", "unfinished", "Unfinished", id="queue.unfinished"),
        Binding("A", "activity", "Activity", key_display="A", id="queue.activity"),
        Binding("E", "sweep", "Sweep", key_display="E", id="queue.sweep"),
        Binding("o", "sort_next", "Sort", show=False, id="queue.sort"),
        Binding("O", "sort_reverse", "Reverse sort", key_display="O", show=False, id="queue.sort_reverse"),
        *(Binding(str(n), f"section({n - 1})", f"Section {n}", show=False, id=f"queue.section_{n}") for n in range(1, 10)),
    ]

    #: What the banners and the status bar show (bound to them in ``compose``).
    problem: reactive[str | None] = reactive(None)
    lesson: reactive[str | None] = reactive(None)
    status: reactive[Status | None] = reactive(None)

    def __init__(self, model: QueueModel) -> None:
        super().__init__()
        #: The queue, its sections and the tech's place in them: this screen draws it and routes the keys.
        self.model = model
        self._refresh_timer: Timer | None = None
        self._place_timer: Timer | None = None

    @property
    def session(self) -> Session:
        """The app's session (opened once the first frame is painted: what that frame runs asks
        ``app.session_open`` first)."""
        return self.app.session

    def compose(self) -> ComposeResult:
        #: The rows' cells, made as the table first draws each row.
        self.painter = RowPainter(self.model, self.app.account, lambda: self.app.session.now())
        yield AttributionBanner(id="attribution").data_bind(message=QueueScreen.problem)
        yield LessonBar(id="lesson-bar").data_bind(message=QueueScreen.lesson)
        yield SectionsBar(self.model, id="sections")
        yield OneLineInput(placeholder="/ filters: words in the number, customer, subject or tech (Escape clears)", id="filter",
                    compact=True)
        with ContentSwitcher(initial="queue-table", id="views"):
            yield TicketTable(COLUMNS, id="queue-table", source=self.painter)
            yield ListTable(APPOINTMENT_COLUMNS, id="appointments-table", zebra_stripes=True)
        yield StatusBar(id="status").data_bind(QueueScreen.status)
        yield CoachPanel()
        yield FittingFooter()

    def warn(self, problem: str | None) -> None:
        """The banner nobody can miss: whose key this is, or why the queue is read-only (None: all is well)."""
        self.problem = problem

    def show_lesson(self, goal: str) -> None:
        """Training: the lesson's goal stays in sight for the whole lesson."""
        self.lesson = goal

    def on_mount(self) -> None:
        self.set_sections()
        self.update_status()
        self.set_interval(2, self.update_status)

    # ------------------------------------------------------------ sections
    def set_sections(self) -> None:
        """The built-in sections, then the config's filters, then the account's saved searches."""
        model = self.model
        restore = model.set_sections(self.app.account.tickets)
        if model.restored_filter is not None:  # the last run's filter, back in its box
            self.query_one("#filter", Input).value = model.restored_filter
            model.restored_filter = None
        if restore is not None:  # a Syncro saved search, or today's appointments: read as when the tech picks it
            self.enter(restore, restoring=True)
        self.query_one(TicketTable).show_sorted(model.current_sort())
        self.show_sections()

    # ------------------------------------------------------------ where the tech was
    def place_changed(self) -> None:
        """Kept a moment after the tech stops moving (one write for a run of keys), and again on quitting."""
        if self._place_timer is not None:
            self._place_timer.stop()
        self._place_timer = self.set_timer(PLACE_DELAY, self.remember_place, name="queue-place")

    def remember_place(self) -> None:
        key = self.selected_key()
        self.model.remember_place(int(key) if key else None)

    def reselect(self) -> None:
        """The cursor on the ticket selected when the app last closed, once its row is there."""
        if self.model.select is None:
            return
        table = self.query_one(TicketTable)
        index = table.index_of(str(self.model.select))
        if index is not None:
            self.model.select = None
            table.cursor_row = index

    def show_sections(self) -> None:
        self.query_one(SectionsBar).show()

    def action_section(self, index: int) -> None:
        if index < len(self.model.sections):
            self.enter(self.model.sections[index])

    def enter(self, section: Section, *, restoring: bool = False) -> None:
        """Show ``section`` (a filter typed in another section is cleared with it: ``QueueModel.enter``)."""
        if self.model.enter(section, restoring=restoring):
            self.query_one("#filter", Input).value = ""
        self.place_changed()
        self.show_sections()
        self.query_one(ContentSwitcher).current = (
            "appointments-table" if section.source is Source.APPOINTMENTS else "queue-table")
        self.query_one(TicketTable).show_sorted(self.model.current_sort())
        if section.source is Source.QUEUE:
            self.rebuild()
        else:
            self.query_one(TicketTable).clear()
            self.load_remote(section)

    @work(exclusive=True, group="queue-remote", exit_on_error=False)
    async def load_remote(self, section: Section) -> None:
        appointments = section.source is Source.APPOINTMENTS
        view = self.query_one("#appointments-table" if appointments else "#queue-table")
        view.loading = True
        try:
            today = self.session.now().astimezone(self.app.account.time_zone).date()
            skipped = await self.model.remote_rows(self.app.reads, section, today)
        except SyncroError as exc:
            self.notify(f"{section.label}: {exc}", title="Syncro", severity="error")
            return
        finally:
            view.loading = False
            self.update_status()  # the budget it used
        if self.model.section != section:
            return  # the tech moved on meanwhile
        if skipped:
            self.notify(f"{section.label}: {unreadable(skipped, 'appointment' if appointments else 'ticket')}.",
                        title="Syncro", severity="warning", timeout=10)
        if appointments:
            self.query_one("#appointments-table", ListTable).show_rows(appointment_rows(self.model, self.app.account))
        else:
            self.rebuild()

    # ------------------------------------------------------------- loading
    @work(exclusive=True, group="queue-refresh", exit_on_error=False)
    async def load(self) -> None:
        """Full load of the open tickets, shown page by page as they arrive, in the queue's order."""
        self.show_rest_of_cache()  # every cached row in before Syncro's: what it says now goes over them
        model = self.model
        table = self.query_one(TicketTable)
        table.loading = not model.queue.tickets
        try:
            async for page in model.load(self.app.reads, page_size=self.session.config.queue.page_size):
                table.loading = False
                if page.changes:
                    # On the first load a cursor left on the top row stays there: the most urgent tickets
                    # arrive page by page above the one it was on. Moved, it keeps its ticket.
                    top = page.first and model.select is None and table.cursor_row == 0
                    self.apply(page.changes, mark=not page.first)
                    if top and table.cursor_row != 0:
                        table.cursor_row = 0
                else:
                    self.show_sections()
        except AuthError as exc:  # e.g. a key without the ticket permissions
            self.app.fatal(str(exc))
            return
        except SyncroError as exc:  # the rows so far stay; the watermark has not moved, so the next refresh misses none
            self.set_connection(False, str(exc))
            self.schedule_refresh()
            return
        finally:
            table.loading = False
        if model.unreadable_count:
            skipped = model.unreadable_count
            self.notify(f"{unreadable(skipped)}: Syncro sent {'it' if skipped == 1 else 'them'} in a "
                        f"shape the app does not know, so the queue leaves them out ({self.where_logged()} says which).",
                        title="Syncro", severity="warning", timeout=10)
        self.show_sections()
        self.mark_refreshed()
        self.schedule_refresh()
        await self.app.read_live_timers()

    @work(exclusive=True, group="queue-refresh", exit_on_error=False)
    async def refresh_delta(self) -> None:
        """Only what changed since the newest update seen: one request when nothing did."""
        self.show_rest_of_cache()
        if self.model.queue.watermark is None:
            self.load()
            return
        # What this window's own writes changed up to now: read back here, it raises no alert.
        own = self.app.writes.take_written() if self.app.writes is not None else set()
        try:
            changes, before, skipped = await self.model.changed(self.app.reads)
        except SyncroError as exc:
            self.give_back(own)
            self.set_connection(False, str(exc))
            self.schedule_refresh()
            return
        except BaseException:  # cancelled by the next refresh: that one reads these changes
            self.give_back(own)
            raise
        if skipped:
            self.notify(f"{unreadable(skipped, 'changed ticket')}: they are not updated here "
                        f"({self.where_logged()} says which).",
                        title="Syncro", severity="warning", timeout=10)
        if changes:
            self.apply(changes)
            # Announced once the rows are drawn: mounting a toast and laying it out would hold their frame back.
            self.call_after_refresh(self.raise_alerts, changes, before, own)
        self.mark_refreshed()
        self.schedule_refresh()
        await self.app.read_live_timers()  # the tech's running Syncro timers, from any machine: one more request
        # Kept on this machine once the frame with the changes is out: the tech waits for the rows, not the disk.
        self.call_after_refresh(self.model.keep, self.app.reads, changes)

    # ------------------------------------------------------------ alerts
    def give_back(self, own: set[int]) -> None:
        if own and self.app.writes is not None:
            self.app.writes.give_back(own)

    def raise_alerts(self, changes: Changes, before: dict[int, QueueRow], own: Collection[int] = ()) -> None:
        """What this refresh brought that the tech must not miss (``QueueModel.find_alerts``)."""
        self.model.find_alerts(changes, before, own)
        self.deliver_alerts()

    def deliver_alerts(self) -> None:
        """Toast, bell, desktop notice, as the config says for each kind; never over a confirm or another dialog."""
        if not self.model.held or isinstance(self.app.screen, ModalScreen):
            return
        settings = self.session.config.alerts
        ring = False
        for notice in notices(self.model.take_alerts()):
            ways = settings.ways(notice.kind.value)
            if "toast" in ways:
                self.notify(notice.text, title=notice.title, severity="warning", timeout=15)
            if "desktop" in ways:
                desktop_notice(notice.title, notice.text, way=settings.desktop_by, write=self.app.write_to_terminal)
            ring = ring or "bell" in ways
        if ring:
            self.app.bell()
        self.update_status()

    def where_logged(self) -> str:
        log_file = self.app.log_file
        return str(log_file) if log_file else "the log"

    def schedule_refresh(self) -> None:
        """Arm the next refresh once this one has finished: one timer at a time, whatever started the refresh."""
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        self._refresh_timer = self.set_timer(self.session.config.queue.refresh_seconds, self.refresh_due,
                                             name="queue-auto-refresh")

    def refresh_due(self) -> None:
        """The refresh timer fired: a refresh, unless the tech is in a form, wizard or confirm (then it waits)."""
        if self.app.screen is not self:
            self.schedule_refresh()
            return
        self.refresh_delta()

    def action_refresh_now(self) -> None:
        self.refresh_delta()
        section = self.model.section
        if section is not None and section.source is not Source.QUEUE:
            self.load_remote(section)

    def show_cached(self) -> bool:
        """The queue as last seen on this machine, on screen before Syncro answers (``QueueModel.from_cache``);
        False when there is none."""
        if not self.model.from_cache(screenful=self.app.size.height):
            return False
        self.show_sections()
        if self.model.on_queue():
            self.rebuild()
        self.update_status()
        return True

    def show_rest_of_cache(self) -> bool:
        """The rows of the cached queue after its first; False when there were none."""
        if not self.model.rest_of_cache():
            return False
        if self.model.on_queue():
            self.rebuild()
        else:
            self.show_sections()
        return True

    def mark_refreshed(self) -> None:
        self.model.refreshed()
        self.update_status()

    def set_connection(self, ok: bool, note: str) -> None:
        self.model.connected = ok
        self.model.connection_note = note
        if not ok:
            self.notify(note, title="Syncro", severity="error")
        self.update_status()

    # ------------------------------------------------------------ sorting
    def sort_by(self, sort: tuple[str, bool] | None) -> None:
        """This section sorted so (None: the queue's order), kept for it across restarts."""
        model = self.model
        if not model.sort_by(sort):
            return
        self.query_one(TicketTable).show_sorted(sort)
        if model.section is not None and model.section.source is not Source.APPOINTMENTS:
            self.rebuild()

    def action_sort_next(self) -> None:
        """o: the next column, ascending; after the last, the queue's own order again."""
        order = [None, *SORTABLE]
        current = self.model.current_sort()
        column = order[(order.index(current[0]) + 1) % len(order)] if current else order[1]
        self.sort_by((column, False) if column else None)

    def action_sort_reverse(self) -> None:
        current = self.model.current_sort()
        self.sort_by((current[0], not current[1]) if current else None)

    @on(TicketTable.HeaderClicked)
    def header_clicked(self, event: TicketTable.HeaderClicked) -> None:
        """A click on a header sorts by it; a second click on the same header reverses it."""
        if event.column not in SORTABLE:
            return
        current = self.model.current_sort()
        self.sort_by((event.column, not current[1]) if current and current[0] == event.column else (event.column, False))

    def rebuild(self) -> None:
        """The section or the filter changed: all rows at once (only the lines drawn have their cells made)."""
        self.query_one(TicketTable).set_keys([str(t.id) for t in self.model.rows()])
        self.reselect()
        self.show_sections()

    def apply(self, changes: Changes, *, mark: bool = True) -> None:
        """Apply a refresh in one go: the table is never cleared and the cursor stays on its ticket. Arrivals
        and changed rows take their places in the queue's order (a ticket raised to urgent goes up); the row under
        the cursor stays where it is while the tech is on it, and is placed with the next change.

        ``mark``: changed rows carry the ● until looked at (not on the first load, when every row is new).
        """
        selected = self.selected_key()
        self.model.arrived(changes, selected=int(selected) if selected else None, mark=mark)
        if not self.model.on_queue():
            self.show_sections()
            return
        table = self.query_one(TicketTable)
        if self.model.current_sort() is not None:  # sorted by a column: the rows again in that order
            for ticket in (*changes.updated, *changes.added):
                table.cells.pop(str(ticket.id), None)
            self.rebuild()
            return
        drop = {str(ticket_id) for ticket_id in changes.removed}
        stale = []
        arrivals = []
        for ticket in (*changes.updated, *changes.added):
            key = str(ticket.id)
            if not self.model.shows(ticket):
                drop.add(key)
            elif table.index_of(key) is not None:
                stale.append(key)
                if key != selected:  # re-sorted: it leaves its place and is placed again
                    drop.add(key)
                    arrivals.append(ticket)
            else:
                arrivals.append(ticket)
        arrivals.sort(key=sort_key)
        kept = [int(key) for key in table.keys if key not in drop]
        order = insert_in_order(kept, arrivals, self.model.queue.tickets)
        table.reorder([str(ticket_id) for ticket_id in order], stale)
        self.reselect()
        self.show_sections()

    def selected_key(self) -> str | None:
        return self.query_one(TicketTable).cursor_key

    def coaching(self, widget: Widget | None) -> Coaching | None:
        """The ticket under the cursor: what its status means and what comes next."""
        from ..domain.coach import ticket_status

        ticket = self.selected_ticket() if isinstance(widget, TicketTable) else None
        return ticket_status(ticket.status, self.app.session.config.billing.path) if ticket is not None else None

    @on(TicketTable.Highlighted)
    def looked_at(self, event: TicketTable.Highlighted) -> None:
        """The cursor on a changed row: the tech has seen it."""
        coach_again(self)
        if self.model.select is None:  # not while the last run's ticket is still being looked for
            self.place_changed()
        ticket_id = int(event.key)
        alerted, unseen = self.model.looked_at(ticket_id)
        if alerted:
            self.update_status()
        if unseen:
            ticket = self.model.queue.tickets.get(ticket_id)
            if ticket is not None:
                event.table.update_row(event.key, self.painter.cells(ticket))

    def update_status(self) -> None:
        """What the status bar says now (it draws again only when that changed)."""
        app = self.app
        session = app.session if app.session_open else None  # the first frame comes before the session
        budget = session.reads.budget() if session and session.connected else None
        model = self.model
        tz = app.account.time_zone
        refreshed = model.refreshed_at.astimezone(tz).strftime("%H:%M:%S") if model.refreshed_at else (
            f"as of {model.as_of()} (cached)" if model.cached_at else None)
        self.status = Status(
            owner=app.account.owner_label,
            account=session.account_label if session else "…",
            used=budget.used_last_minute if budget else None,
            limit=budget.limit_per_minute if budget else None,
            background=budget.background_waiting if budget else 0,
            refreshed=refreshed,
            connection=model.connection_note,
            ok=model.connected,
            model=app.model_label,
            alerts=len(model.alerted),
            clocks=app.clock_words(),
            alone=shared_pacer_problem() is not None,
        )
        self.deliver_alerts()

    # --------------------------------------------------------------- filter
    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus:
            raise SkipAction()  # in the box already: the key is typed there
        # Focus at once (not after the next refresh), so that keys typed right after / land in the box.
        self.set_focus(box)

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        needle = Needle(event.value)
        narrower = self.model.narrow(needle)
        if narrower is None:  # the filter put back at start, or only spaces typed
            return
        table = self.query_one(TicketTable)
        if not narrower:
            self.rebuild()
        else:  # one more letter: only the rows shown can still match
            tickets = self.model.queue.tickets
            table.set_keys([key for key in table.keys
                            if (ticket := tickets.get(int(key))) is not None and needle.matches(self.model.hay(ticket))])
            self.show_sections()
        table.cursor_row = 0  # on the first match: Enter then opens what the filter found first
        self.place_changed()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        """Enter keeps the filter and goes back to the table. A second Enter typed before the first had moved the
        focus reached the box too: it meant the table's Enter, and opens the ticket the filter found first."""
        table = self.query_one("#queue-table", TicketTable)
        if self.focused is table:
            table.action_select()
        else:
            self.set_focus(table)

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        table = self.query_one("#queue-table")
        if not self.model.needle and not box.has_focus:
            return
        box.value = ""
        self.model.needle = Needle()
        self.rebuild()
        self.set_focus(table)

    # --------------------------------------------------------------- search
    @work(exclusive=True, group="queue-search", exit_on_error=False)
    async def action_find(self) -> None:
        from .dialogs import NoteScreen

        text = await self.app.push_screen_wait(NoteScreen(
            "Search Syncro's tickets (all statuses) for:", placeholder="words, a name, a ticket number",
            enter="searches Syncro and shows what it finds as a section", needed="Type what to search for."))
        if text:
            self.enter(query_section(text))
            self.set_sections()

    @work(exclusive=True, group="queue-search", exit_on_error=False)
    async def action_customer(self) -> None:
        from .dialogs import CustomerSearchScreen

        picked = await self.app.push_screen_wait(CustomerSearchScreen())
        if picked:
            customer_id, name = picked
            self.enter(customer_section(customer_id, name))
            self.set_sections()

    # -------------------------------------------------------- ticket actions
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

        ticket = self.selected_ticket()
        if ticket is None:
            self.notify(f"{ACTIONS[action]}: select a ticket first.", timeout=4)
            return
        if await triage(self.app, ticket, action) is not None:
            self.refresh_delta()  # the row updates in place

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
        yield SystemCommand("Find tickets in Syncro", "Server-side search, all statuses", self.action_find)
        yield SystemCommand("Open a customer's tickets", "Search customers by name", self.action_customer)
        yield SystemCommand("Activity", "What you wrote to Syncro, by day", self.action_activity)
        yield SystemCommand("Unfinished writes", "Resume or abandon writes cut short", self.action_unfinished)

    def action_unfinished(self) -> None:
        self.app.post_message(OpenUnfinished())

    def action_activity(self) -> None:
        self.app.post_message(OpenActivity())

    def action_sweep(self) -> None:
        self.app.post_message(OpenSweep())

    def action_cursor_down(self) -> None:
        self.query_one(ContentSwitcher).visible_content.action_cursor_down()  # type: ignore[union-attr]

    def action_cursor_up(self) -> None:
        self.query_one(ContentSwitcher).visible_content.action_cursor_up()  # type: ignore[union-attr]

