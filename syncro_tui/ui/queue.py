"""The queue screen: sections of the open tickets, filtered as you type, refreshed in place.

The first screen painted, so the screens it opens are imported when first
opened, not with it (see ``ui/app.py``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input

from ..api.pacing import shared_pacer_problem
from ..domain.queue import Changes, insert_in_order, sort_key
from ..domain.sections import Needle, Section, Source, customer_section, query_section
from ..session.queue import QueueModel
from .coach import CoachPanel, coach_again
from .queue_actions import TicketActions
from .queue_loading import QueueLoading
from .ticket_table import TicketTable
from .queue_view import APPOINTMENT_COLUMNS, COLUMNS, RowPainter, SectionsBar
from .widgets import (AttributionBanner, FittingFooter, LessonBar, ListTable, OneLineInput, Status,
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


class QueueScreen(QueueLoading, TicketActions):
    AUTO_FOCUS = "#queue-table"
    BINDINGS = [
        Binding("r", "refresh_now", "Refresh", id="queue.refresh"),
        Binding("j", "cursor_down", "Down", show=False, id="queue.down"),
        Binding("k", "cursor_up", "Up", show=False, id="queue.up"),
        # A priority binding: taken when the key is read, so what is typed right after it (a burst, a fast typist)
        # lands in the filter box instead of being sent on to the table as section keys.
        Binding("slash", "filter", "Filter", key_display="/", id="queue.filter", priority=True),
        Binding("escape", "clear_filter", "Clear marks or filter", show=False, id="queue.clear_filter"),
        Binding("space", "mark", "Mark", show=False, id="queue.mark"),
        Binding("asterisk", "mark_all", "Mark all shown", key_display="*", show=False, id="queue.mark_all"),
        Binding("f", "find", "Find in Syncro", id="queue.find"),
        Binding("g", "go_to", "Go to #", show=False, id="queue.go_to"),
        Binding("ctrl+e", "recent", "Recent", show=False, id="queue.recent"),
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
        Binding("i", "inbox", "Alerts", show=False, id="queue.inbox"),
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
        ``session.opened`` first)."""
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

    def apply(self, changes: Changes, *, mark: bool = True, own: Collection[int] = ()) -> None:
        """Apply a refresh in one go: the table is never cleared and the cursor stays on its ticket. Arrivals
        and changed rows take their places in the queue's order (a ticket raised to urgent goes up); the row under
        the cursor stays where it is while the tech is on it, and is placed with the next change.

        ``mark``: changed rows carry the ● until looked at (not on the first load, when every row is new, nor
        ``own``, the tickets this window's writes changed: the tech knows what they did).
        """
        selected = self.selected_key()
        self.model.arrived(changes, selected=int(selected) if selected else None, mark=mark, own=own)
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
        session = app.session if app.session.opened else None  # the first frame comes before the config
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
            alerts=len(model.inbox.open_ids()),
            clocks=app.clock_words(),
            alone=shared_pacer_problem() is not None,
            scope=budget.scope if budget else "",
            marked=len(model.marked),
            unmarked=model.marked.gone,
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
                            if (ticket := tickets.get(int(key))) is not None and needle.matches(self.model.hay.of(ticket))])
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
        """Escape: the marks cleared first (on the table), then the filter."""
        box = self.query_one("#filter", Input)
        table = self.query_one("#queue-table")
        if self.model.marked and not box.has_focus:
            self.repaint(self.model.marked.clear())
            return
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

    def action_cursor_down(self) -> None:
        self.query_one(ContentSwitcher).visible_content.action_cursor_down()  # type: ignore[union-attr]

    def action_cursor_up(self) -> None:
        self.query_one(ContentSwitcher).visible_content.action_cursor_up()  # type: ignore[union-attr]
