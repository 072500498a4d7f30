"""The queue screen: sections of the open tickets, filtered as you type, refreshed in place.

The first screen painted, so the screens it opens are imported when first
opened, not with it (see ``ui/app.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Input, Static

from ..api import AuthError, SyncroError
from ..api.pacing import background, shared_pacer_problem
from ..cache import Place
from ..domain.account import resolve_zone
from ..domain.alerts import Alert, alerts, notices
from ..domain.queue import (Changes, Queue, QueueRow, age, change_mark, insert_in_order, short_due, short_status,
                            sort_key, sort_rows)
from ..domain.sections import (Needle, Section, Source, builtin_sections, customer_section, haystack, query_section,
                               saved_filter, saved_search)
from ..domain.when import due
from .messages import (OpenActivity, OpenAppointments, OpenBilling, OpenNewTicket, OpenSweep, OpenTicket,
                       OpenUnfinished, StopClock, ToggleClock)
from .coach import CoachPanel, coach_again
from .notice import desktop_notice
from .text import clean, literal, palette_text
from .ticket_table import Column, TicketTable
from .widgets import AttributionBanner, FittingFooter, ListTable, OneLineInput, ReportsFailures, StatusBar

if TYPE_CHECKING:
    from ..api.models import Appointment
    from ..domain.coach import Coaching
    from ..reads import RowPage
    from ..session import Session

#: The queue's columns, in order on screen. By importance (README, "The queue's columns"): the mark, number
#: and subject always show; then customer, status, priority, due, tech, updated, age. On a narrow terminal
#: customer, status and tech narrow first, then the least important give way; a wide one widens the subject.
#: The columns ``o`` steps through, in order (a click on any of their headers sorts by it).
SORTABLE = ("priority", "updated", "due", "number", "status", "customer", "subject", "tech", "age")
#: Seconds after the tech stops moving before where they are is kept for the next start.
PLACE_DELAY = 2.0
#: The cached queue's first rows, drawn before the rest is read: a few screenfuls of the tallest terminal.
CACHE_FIRST = 500
#: At 80 columns the queue keeps number, status (short forms that stay apart), priority, customer, subject and
#: Due/SLA (issue 33): the subject narrows to make room before Due gives way.
COLUMNS = (Column("seen", " ", 1), Column("number", "#", 7),
           Column("status", "Status", 19, least=10, rank=2, short=short_status),
           Column("priority", "Priority", 8, rank=3), Column("customer", "Customer", 26, least=14, rank=1),
           Column("subject", "Subject", 30, least=16, grow=True),
           Column("due", "Due", 12, least=10, rank=3, short=short_due),
           Column("tech", "Tech", 16, least=10, rank=5), Column("age", "Age", 4, rank=7),
           Column("updated", "Updated", 11, rank=6))
APPOINTMENT_COLUMNS = (Column("time", "Time", 13), Column("summary", "Summary", 40, least=16, grow=True),
                       Column("customer", "Customer", 26, least=12, rank=4), Column("tech", "Tech", 16, least=10, rank=2),
                       Column("ticket", "Ticket", 8, rank=1), Column("location", "Location", 20, least=10, rank=3))

PRIORITY_STYLE = {"4 Urgent": "bold red", "0 Urgent": "bold red", "1 High": "yellow", "3 Low": "dim"}
CHANGED = Text("●", style="bold dodger_blue1")
NOT_CHANGED = Text(" ")
#: Remote lists are capped: a search that matches thousands of tickets shows the first pages only.
REMOTE_PAGES = 5


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

    def __init__(self) -> None:
        super().__init__()
        self.queue = Queue()
        self.refreshed_at: datetime | None = None
        self.connected = True
        self.connection_note = "connecting"
        #: Tickets of the last full load that Syncro sent in a shape the app cannot read (each is logged).
        self.unreadable_count = 0
        #: "loading 1,200 of 5,000" while a full load's pages arrive, in the sections bar.
        self.progress = ""
        #: When the queue on screen came from the local cache: when that was saved (None once Syncro has answered).
        self.cached_at: datetime | None = None
        #: Only the cached queue's first rows are in (``show_cached``): the rest are read next.
        self._cache_rest = False
        self.sections: list[Section] = []
        self.section: Section | None = None
        self.needle = Needle()
        #: Tickets of the section on screen when it is a list Syncro sends (saved search, search, customer).
        self.remote: list[QueueRow] = []
        self.appointments: list[Appointment] = []
        #: Tickets that changed since the tech last had the cursor on them.
        self.unseen: set[int] = set()
        #: What changed on each of them, as its mark (``domain.queue.change_mark``).
        self.marks: dict[int, str] = {}
        #: Alerts found while a dialog was up, and the tickets alerted that the tech has not looked at yet.
        self._held: list[Alert] = []
        self.alerted: set[int] = set()
        self._hay: dict[int, tuple[QueueRow, str]] = {}
        self._refresh_timer: Timer | None = None
        #: Where the tech was when the app last closed, until it is restored (or the tech goes elsewhere first).
        self._place: Place | None = None
        self._place_read = False
        #: The ticket to put the cursor on once its row is shown (the one selected when the app last closed).
        self._select: int | None = None
        self._counts: dict[tuple[str, int], int] = {}
        self._place_timer: Timer | None = None
        #: Each section's sort (column, descending); a section not here is in the queue's order.
        self.sorts: dict[str, tuple[str, bool]] = {}

    @property
    def session(self) -> Session:
        """The app's session (still None in the first frame: it is opened right after it)."""
        return self.app.session

    def compose(self) -> ComposeResult:
        yield AttributionBanner(id="attribution")
        yield Static(id="lesson-bar")
        yield Static(id="sections")
        yield OneLineInput(placeholder="/ filters: words in the number, customer, subject or tech (Escape clears)", id="filter",
                    compact=True)
        with ContentSwitcher(initial="queue-table", id="views"):
            yield TicketTable(COLUMNS, id="queue-table", source=self.row_cells)
            yield ListTable(APPOINTMENT_COLUMNS, id="appointments-table", zebra_stripes=True)
        yield StatusBar(id="status")
        yield CoachPanel()
        yield FittingFooter()

    def on_mount(self) -> None:
        self.set_sections()
        self.update_status()
        self.set_interval(2, self.update_status)

    # ------------------------------------------------------------ sections
    def set_sections(self) -> None:
        """The built-in sections, then the config's filters, then the account's saved searches."""
        app = self.app
        session = self.session  # None in the first frame: the session is opened right after it
        sections = builtin_sections(session.profile.user_id if session else None)
        if session:
            sections += [saved_filter(f.name, statuses=f.statuses, priorities=f.priorities, user_ids=f.user_ids,
                                      customer_ids=f.customer_ids, unassigned=f.unassigned, text=f.text)
                         for f in session.config.queue.filters]
        settings = app.account.tickets
        if settings is not None:
            sections += [saved_search(s.id, s.name) for s in settings.saved_searches]
        if self.section is not None and self.section.source in (Source.QUERY, Source.CUSTOMER):
            sections.append(self.section)  # a search stays reachable until another replaces it
        self.sections = sections
        if session is not None and not self._place_read:
            self.read_place()
        wanted = next((s for s in sections if self._place is not None and s.id == self._place.section), None)
        if wanted is not None:
            self._place = None
            if wanted.source is Source.QUEUE or self.app.session is None:
                self.section = wanted
            else:  # a Syncro saved search, or today's appointments: read as when the tech picks it
                self.enter(wanted, restoring=True)
        elif self.section is None or self.section.id not in {s.id for s in sections}:
            self.section = next(s for s in sections if s.id == "all")
        self.query_one(TicketTable).show_sorted(self.current_sort())
        self.show_sections()

    # ------------------------------------------------------------ where the tech was
    def read_place(self) -> None:
        """The section, filter and ticket of the last run (or the config's first section on a first start)."""
        self._place_read = True
        cache = self.session.cache
        place = cache.place() if cache is not None else None
        self.sorts = cache.sorts() if cache is not None else {}
        self._place = place or Place(self.session.config.queue.first_section)
        if self.session.lesson_ticket is not None:  # training: the lesson's ticket, ready to work on
            self._select = self.session.lesson_ticket
        elif place is not None:
            self._select = place.ticket_id
            if place.filter:
                self.needle = Needle(place.filter)
                self.query_one("#filter", Input).value = place.filter

    def place_changed(self) -> None:
        """Kept a moment after the tech stops moving (one write for a run of keys), and again on quitting."""
        if self._place_timer is not None:
            self._place_timer.stop()
        self._place_timer = self.set_timer(PLACE_DELAY, self.remember_place, name="queue-place")

    def remember_place(self) -> None:
        """Kept for the next start: where the tech is now (a search of the moment is not a place to come back to)."""
        cache = self.session.cache if self.session is not None else None
        if cache is None or self.section is None or self.section.source in (Source.QUERY, Source.CUSTOMER):
            return
        key = self.selected_key() if self.on_queue() else None
        cache.save_place(Place(self.section.id, self.needle.text, int(key) if key else None))

    def reselect(self) -> None:
        """The cursor on the ticket selected when the app last closed, once its row is there."""
        if self._select is None:
            return
        table = self.query_one(TicketTable)
        index = table.index_of(str(self._select))
        if index is not None:
            self._select = None
            table.cursor_row = index

    #: How far the other sections' labels are cut, in turn, until the bar fits (0: the number alone).
    LABEL_CUTS = (None, 14, 10, 8, 0)

    def show_sections(self) -> None:
        """The sections by number, the filter and the load's progress, on one line. Too narrow for every label,
        the other sections' labels are cut shorter step by step (a long search's name then costs its own room,
        not everyone's), down to their numbers; the current one keeps its name."""
        width = self.query_one("#sections", Static).size.width or self.app.size.width
        tail = Text()
        if self.needle:
            tail.append("  filter: ", style="dim")
            tail.append(clean(self.needle.text), style="bold")
        if self.progress:
            tail.append(f"  {self.progress}", style="italic")
        for cut in self.LABEL_CUTS:
            bar = self.section_tabs(cut=cut)
            if bar.cell_len + tail.cell_len <= width:
                break
        bar.append_text(tail)
        self.query_one("#sections", Static).update(bar, layout=False)  # one line, always: no layout pass per key

    def on_resize(self) -> None:
        self.show_sections()  # labels back, or collapsed, for the new width

    def section_tabs(self, *, cut: int | None = None) -> Text:
        """``cut``: the other sections' labels at most this wide (their counts kept), 0 for none."""
        bar = Text(no_wrap=True, overflow="ellipsis")
        for number, section in enumerate(self.sections, start=1):
            current = section.id == (self.section.id if self.section else None)
            key = str(number) if number <= 9 else " "
            bar.append(f" {key} ", style="bold reverse" if current else "bold")
            if cut == 0 and not current:
                continue
            label = clean(section.label)
            if cut is not None and not current and len(label) > cut:
                label = label[:cut - 1].rstrip() + "…"
            if section.source is Source.QUEUE and self.queue.tickets and not self._cache_rest:  # no count of a part
                label += f" {self.count(section)}"
            bar.append(f" {label} ", style="bold" if current else "dim")
        return bar

    def count(self, section: Section) -> int:
        """How many open tickets a section holds, worked out once per change of the queue (not per keystroke)."""
        key = (section.id, self.queue.version)
        if key not in self._counts:
            if len(self._counts) > 50:
                self._counts.clear()
            self._counts[key] = len(section.pick(self.queue.tickets.values()))
        return self._counts[key]

    def action_section(self, index: int) -> None:
        if index < len(self.sections):
            self.enter(self.sections[index])

    def enter(self, section: Section, *, restoring: bool = False) -> None:
        """Show ``section``. A filter typed in another section is cleared (issue 33: kept, it made a fresh
        search look empty); the last run's filter comes back with its own section (``restoring``)."""
        self._place = None  # the tech went somewhere: the last run's place is not restored over it
        if not restoring and self.needle and (self.section is None or section.id != self.section.id):
            self.needle = Needle()
            self.query_one("#filter", Input).value = ""
        self.section = section
        self.place_changed()
        if section.source is Source.QUEUE:
            self.remote = []
        self.show_sections()
        self.query_one(ContentSwitcher).current = (
            "appointments-table" if section.source is Source.APPOINTMENTS else "queue-table")
        self.query_one(TicketTable).show_sorted(self.current_sort())
        if section.source is Source.QUEUE:
            self.rebuild()
        else:
            self.query_one(TicketTable).clear()
            self.load_remote(section)

    @work(exclusive=True, group="queue-remote", exit_on_error=False)
    async def load_remote(self, section: Section) -> None:
        reads = self.app.reads
        view = self.query_one("#appointments-table" if section.source is Source.APPOINTMENTS else "#queue-table")
        view.loading = True
        try:
            if section.source is Source.APPOINTMENTS:
                today = self.session.now().astimezone(self.app.account.time_zone).date()
                appointments = await reads.appointments(today, today)
            else:
                filters = {Source.SAVED_SEARCH: "ticket_search_id", Source.QUERY: "query",
                           Source.CUSTOMER: "customer_id"}[section.source]
                tickets = await reads.tickets_where(max_pages=REMOTE_PAGES, **{filters: section.param})
        except SyncroError as exc:
            self.notify(f"{section.label}: {exc}", title="Syncro", severity="error")
            return
        finally:
            view.loading = False
            self.update_status()  # the budget it used
        if self.section != section:
            return  # the tech moved on meanwhile
        skipped = (appointments if section.source is Source.APPOINTMENTS else tickets).skipped
        if skipped:
            self.notify(f"{section.label}: {unreadable(skipped, 'appointment' if section.source is Source.APPOINTMENTS else 'ticket')}.",
                        title="Syncro", severity="warning", timeout=10)
        if section.source is Source.APPOINTMENTS:
            self.appointments = sorted(appointments, key=lambda a: a.start_at)
            self.show_appointments()
        else:
            self.remote = tickets
            self.rebuild()

    # ------------------------------------------------------------- loading
    def closed_statuses(self) -> frozenset[str]:
        return frozenset(self.session.config.tickets.closed_statuses)

    @work(exclusive=True, group="queue-refresh", exit_on_error=False)
    async def load(self) -> None:
        """Full load of the open tickets, shown page by page as they arrive, in the queue's order."""
        self.show_rest_of_cache()  # every cached row in before Syncro's: what it says now goes over them
        table = self.query_one(TicketTable)
        first = not self.queue.tickets  # nothing on screen yet: rows are not marked as changed
        table.loading = first
        self.queue.closed_statuses = self.closed_statuses()
        seen: set[int] = set()
        skipped = 0
        try:
            with background():  # the tech's own calls (open a ticket, bill) go before each page
                async for page in self.app.reads.open_ticket_pages(per_page=self.app.session.config.queue.page_size):
                    table.loading = False
                    seen.update(t.id for t in page.rows)
                    skipped += page.skipped
                    before = {t.id: known for t in page.rows if (known := self.queue.tickets.get(t.id)) is not None}
                    changes = self.queue.merge(page.rows, advance=False)
                    if not first:  # changed while the app was closed (a start from the cache), or since a reload
                        self.marks.update((t.id, change_mark(before.get(t.id), t)) for t in (*changes.added, *changes.updated))
                    self.progress = loading_progress(len(seen) + skipped, page)
                    if changes:
                        # On the first load a cursor left on the top row stays there: the most urgent tickets
                        # arrive page by page above the one it was on. Moved, it keeps its ticket.
                        top = first and self._select is None and table.cursor_row == 0
                        self.apply(changes, mark=not first)
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
            self.progress = ""
        gone = self.queue.loaded(seen)
        if gone:
            self.apply(gone)
        self._select = None  # every open ticket is in: the last run's ticket is closed, or elsewhere
        self.app.reads.keep_queue(changed=self.queue.tickets.values(), removed=(), watermark=self.queue.watermark,
                                  zone=self.app.account.time_zone.key, replace=True)
        self.unreadable_count = skipped
        if skipped:
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
        if self.queue.watermark is None:
            self.load()
            return
        # What this window's own writes changed up to now: read back here, it raises no alert.
        own = self.app.writes.take_written() if self.app.writes is not None else set()
        try:
            with background():
                delta = await self.app.reads.changed_tickets(self.queue.watermark)
        except SyncroError as exc:
            self.give_back(own)
            self.set_connection(False, str(exc))
            self.schedule_refresh()
            return
        except BaseException:  # cancelled by the next refresh: that one reads these changes
            self.give_back(own)
            raise
        if delta.skipped:
            self.notify(f"{unreadable(delta.skipped, 'changed ticket')}: they are not updated here "
                        f"({self.where_logged()} says which).",
                        title="Syncro", severity="warning", timeout=10)
        before = {t.id: known for t in delta if (known := self.queue.tickets.get(t.id)) is not None}
        changes = self.queue.merge(delta)
        if changes:
            self.marks.update((t.id, change_mark(before.get(t.id), t)) for t in (*changes.added, *changes.updated))
            self.apply(changes)
            # Announced once the rows are drawn: mounting a toast and laying it out would hold their frame back.
            self.call_after_refresh(self.raise_alerts, changes, before, own)
        self.mark_refreshed()
        self.schedule_refresh()
        await self.app.read_live_timers()  # the tech's running Syncro timers, from any machine: one more request
        # Kept on this machine once the frame with the changes is out: the tech waits for the rows, not the disk.
        self.call_after_refresh(functools.partial(
            self.app.reads.keep_queue, changed=(*changes.added, *changes.updated), removed=changes.removed,
            watermark=self.queue.watermark, zone=self.app.account.time_zone.key))

    # ------------------------------------------------------------ alerts
    def give_back(self, own: set[int]) -> None:
        if own and self.app.writes is not None:
            self.app.writes.give_back(own)

    def raise_alerts(self, changes: Changes, before: dict[int, QueueRow], own: Collection[int] = ()) -> None:
        """What this refresh brought that the tech must not miss: one alert per ticket, held while a dialog is up.
        ``own``: tickets this window's writes changed, whose changes are the tech's own doing and never alerts."""
        mine = [s for s in self.sections if s.id in ("mine", "new") or s.id.startswith("filter:")]
        settings = self.session.config.alerts
        changed = [t for t in (*changes.added, *changes.updated) if t.id not in own]
        self._held += alerts(changed, before, me=self.session.profile.user_id,
                             mine=lambda t: any(s.match is not None and s.match(t) for s in mine),
                             wanted=lambda kind: bool(settings.ways(kind.value)))
        self.deliver_alerts()

    def deliver_alerts(self) -> None:
        """Toast, bell, desktop notice, as the config says for each kind; never over a confirm or another dialog."""
        if not self._held or isinstance(self.app.screen, ModalScreen):
            return
        held, self._held = self._held, []
        settings = self.session.config.alerts
        ring = False
        for notice in notices(held):
            ways = settings.ways(notice.kind.value)
            if "toast" in ways:
                self.notify(notice.text, title=notice.title, severity="warning", timeout=15)
            if "desktop" in ways:
                desktop_notice(notice.title, notice.text, way=settings.desktop_by, write=self.app.write_to_terminal)
            ring = ring or "bell" in ways
        self.alerted.update(alert.ticket.id for alert in held)
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
        self._refresh_timer = self.set_timer(self.session.config.queue.refresh_seconds, self.auto_refresh,
                                             name="queue-auto-refresh")

    def auto_refresh(self) -> None:
        if self.app.screen is not self:  # paused while a form, wizard or confirm is open
            self.schedule_refresh()
            return
        self.refresh_delta()

    def action_refresh_now(self) -> None:
        self.refresh_delta()
        if self.section is not None and self.section.source is not Source.QUEUE:
            self.load_remote(self.section)

    def show_cached(self) -> bool:
        """The queue as last seen on this machine, on screen before Syncro answers; False when there is none.

        Read from the session's cache, not through ``reads``: it needs no client, so it is drawn before httpx
        and the key are loaded. A big queue comes in two steps: its first rows in the queue's order (a few
        screenfuls: 20,000 rows take half a second to read), then the rest (``show_rest_of_cache``), once
        those are on screen. When the section or filter shown leaves less than a screenful of the first
        rows, all are read at once, so the tech never sees a section look emptier than it is."""
        cache = self.session.cache
        cached = cache.queue(first=CACHE_FIRST) if cache is not None else None
        if cached is None or not cached.tickets or self.queue.tickets:
            return False
        if cached.zone and self.app.account.settings is None:  # times in the account's zone, as last seen
            self.app.account.time_zone = resolve_zone(cached.zone)[0]  # a problem is said once Syncro names it
        self.queue = Queue(closed_statuses=self.closed_statuses(), watermark=cached.watermark)
        self.queue.merge(cached.tickets, advance=False)
        self._cache_rest = cached.total > len(cached.tickets)
        if self._cache_rest and len(self.rows()) < self.app.size.height:
            self.read_rest_of_cache()
        elif self._cache_rest:
            self.progress = f"reading {len(cached.tickets):,} of {cached.total:,} from this machine"
        self.cached_at = cached.saved_at
        self.connection_note = f"cached: as of {self.as_of()}"
        self.show_sections()
        if self.on_queue():
            self.rebuild()
        self.update_status()
        return True

    def show_rest_of_cache(self) -> bool:
        """The rows of the cached queue after its first (``show_cached``); False when there were none."""
        if not self._cache_rest:
            return False
        self.read_rest_of_cache()
        self.progress = ""
        if self.on_queue():
            self.rebuild()
        else:
            self.show_sections()
        return True

    def read_rest_of_cache(self) -> None:
        self._cache_rest = False
        cached = self.session.cache.queue()
        if cached is not None:  # unreadable now: the first rows stay, and the load brings the rest
            self.queue.merge(cached.tickets, advance=False)

    def as_of(self) -> str:
        """When the cached queue on screen was last refreshed, in the account's zone ("14:02", or "Nov 28 14:02")."""
        if self.cached_at is None:
            return ""
        tz = self.app.account.time_zone
        at, now = self.cached_at.astimezone(tz), self.session.now().astimezone(tz)
        return f"{at:%H:%M}" if at.date() == now.date() else f"{at:%b %d %H:%M}"

    def mark_refreshed(self) -> None:
        self.cached_at = None
        self.refreshed_at = self.session.now()
        self.set_connection(True, "connected" + (f" · {unreadable(self.unreadable_count)}" if self.unreadable_count else ""))

    def set_connection(self, ok: bool, note: str) -> None:
        self.connected = ok
        self.connection_note = note
        if not ok:
            self.notify(note, title="Syncro", severity="error")
        self.update_status()

    # ------------------------------------------------------------ rendering
    def on_queue(self) -> bool:
        return self.section is None or self.section.source is Source.QUEUE

    def visible(self, ticket: QueueRow) -> bool:
        if self.section is not None and self.section.match is not None and not self.section.match(ticket):
            return False
        return not self.needle or self.needle.matches(self.hay(ticket))

    def hay(self, ticket: QueueRow) -> str:
        cached = self._hay.get(ticket.id)
        if cached is None or cached[0] is not ticket:
            cached = (ticket, haystack(ticket))
            self._hay[ticket.id] = cached
        return cached[1]

    def rows(self) -> list[QueueRow]:
        source = self.queue.ordered() if self.on_queue() else self.remote
        shown = [t for t in source if self.visible(t)]
        sort = self.current_sort()
        return sort_rows(shown, sort[0], descending=sort[1]) if sort else shown

    # ------------------------------------------------------------ sorting
    def current_sort(self) -> tuple[str, bool] | None:
        return self.sorts.get(self.section.id) if self.section is not None else None

    def sort_by(self, sort: tuple[str, bool] | None) -> None:
        """This section sorted so (None: the queue's order), kept for it across restarts."""
        if self.section is None:
            return
        if sort is None:
            self.sorts.pop(self.section.id, None)
        else:
            self.sorts[self.section.id] = sort
        cache = self.session.cache if self.session is not None else None
        if cache is not None:
            cache.save_sort(self.section.id, sort)
        self.query_one(TicketTable).show_sorted(sort)
        if self.section.source is not Source.APPOINTMENTS:
            self.rebuild()

    def action_sort_next(self) -> None:
        """o: the next column, ascending; after the last, the queue's own order again."""
        order = [None, *SORTABLE]
        current = self.current_sort()
        column = order[(order.index(current[0]) + 1) % len(order)] if current else order[1]
        self.sort_by((column, False) if column else None)

    def action_sort_reverse(self) -> None:
        current = self.current_sort()
        self.sort_by((current[0], not current[1]) if current else None)

    @on(TicketTable.HeaderClicked)
    def header_clicked(self, event: TicketTable.HeaderClicked) -> None:
        """A click on a header sorts by it; a second click on the same header reverses it."""
        if event.column not in SORTABLE:
            return
        current = self.current_sort()
        self.sort_by((event.column, not current[1]) if current and current[0] == event.column else (event.column, False))

    def cells(self, ticket: QueueRow) -> list[Text]:
        """The row's cells (the table keeps them while the row is shown and unchanged; only drawn rows have any)."""
        changed = ticket.id in self.unseen
        now = self.session.now()
        tz = self.app.account.time_zone
        updated = ticket.updated_at.astimezone(tz)
        updated_text = updated.strftime("%H:%M") if updated.date() == now.astimezone(tz).date() else updated.strftime("%b %d")
        tech = ticket.tech_name or ("—" if ticket.user_id is None else f"#{ticket.user_id}")
        return [
            Text(self.marks.get(ticket.id, "●"), style=CHANGED.style) if changed else NOT_CHANGED,
            literal(f"#{ticket.number}"),
            literal(ticket.status, "bold" if ticket.status in ("New", "Customer Reply") else ""),
            literal(ticket.priority or "", PRIORITY_STYLE.get(ticket.priority or "", "")),
            literal(ticket.customer_business_then_name or ""),
            literal(ticket.subject),
            self.due_cell(ticket, now),
            literal(tech, "dim" if ticket.user_id is None else ""),
            literal(age(ticket.created_at, now)),
            literal(updated_text),
        ]

    def due_cell(self, ticket: QueueRow, now: datetime) -> Text:
        """The SLA's state when it is breached or about to be; for a customer's reply how long it has waited on us
        (since the reply, the ticket's last update); else the due date, overdue red, due today yellow."""
        if ticket.sla_breached:
            return Text("SLA breached", style="bold red")
        if ticket.sla_breaching_soon:
            return Text("SLA due soon", style="bold yellow")
        if ticket.status == "Customer Reply" or ticket.customer_reply:  # the customer answered: waiting on us since
            return Text(f"waiting {age(ticket.updated_at, now)}", style="bold yellow")
        if ticket.due_date is None:
            return Text("")
        tz = self.app.account.time_zone
        when = due(ticket.due_date, tz=tz, now=now)
        return Text(when.text(now.astimezone(tz).date()),
                    style="bold red" if when.overdue else "bold yellow" if when.today else "")

    def rebuild(self) -> None:
        """The section or the filter changed: all rows at once (only the lines drawn have their cells made)."""
        self.query_one(TicketTable).set_keys([str(t.id) for t in self.rows()])
        self.reselect()
        self.show_sections()

    def row_cells(self, key: str) -> list[Text]:
        """A row's cells, when the table first draws it."""
        ticket_id = int(key)
        if self.on_queue():
            ticket = self.queue.tickets.get(ticket_id)
        else:  # a section Syncro filters: its rows are its own, at most a few hundred
            ticket = next((t for t in self.remote if t.id == ticket_id), None)
        if ticket is None:
            return [NOT_CHANGED, literal(f"#{key}")] + [Text("")] * (len(COLUMNS) - 2)
        return self.cells(ticket)

    def apply(self, changes: Changes, *, mark: bool = True) -> None:
        """Apply a refresh in one go: the table is never cleared and the cursor stays on its ticket. Arrivals
        and changed rows take their places in the queue's order (a ticket raised to urgent goes up); the row under
        the cursor stays where it is while the tech is on it, and is placed with the next change.

        ``mark``: changed rows carry the ● until looked at (not on the first load, when every row is new).
        """
        selected = self.selected_key()
        if mark:
            self.unseen.update(t.id for t in (*changes.updated, *changes.added) if str(t.id) != selected)
        self.unseen.difference_update(changes.removed)
        if not self.on_queue():
            self.show_sections()
            return
        table = self.query_one(TicketTable)
        if self.current_sort() is not None:  # sorted by a column: the rows again in that order
            for ticket in (*changes.updated, *changes.added):
                table.cells.pop(str(ticket.id), None)
            self.rebuild()
            return
        drop = {str(ticket_id) for ticket_id in changes.removed}
        stale = []
        arrivals = []
        for ticket in (*changes.updated, *changes.added):
            key = str(ticket.id)
            if not self.visible(ticket):
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
        order = insert_in_order(kept, arrivals, self.queue.tickets)
        table.reorder([str(ticket_id) for ticket_id in order], stale)
        self.reselect()
        self.show_sections()

    def show_appointments(self) -> None:
        table = self.query_one("#appointments-table", ListTable)
        tz = self.app.account.time_zone
        rows = []
        names = self.app.account.tech_names
        numbers = {t.id: t.number for t in self.queue.tickets.values()}
        for appt in self.appointments:
            start = appt.start_at.astimezone(tz)
            end = appt.end_at.astimezone(tz) if appt.end_at else start + timedelta(hours=1)
            customer = (appt.customer.display_name if appt.customer else None) or (
                f"#{appt.customer_id}" if appt.customer_id else "")
            ticket = f"#{numbers[appt.ticket_id]}" if appt.ticket_id in numbers else ("open" if appt.ticket_id else "")
            rows.append((str(appt.id), (literal(f"{start:%H:%M}–{end:%H:%M}"), literal(appt.summary or ""),
                                        literal(customer), literal(names.get(appt.user_id or -1, "")), literal(ticket),
                                        literal(appt.location or ""))))
        table.show_rows(rows)

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
        if self._select is None:  # not while the last run's ticket is still being looked for
            self.place_changed()
        ticket_id = int(event.key)
        if ticket_id in self.alerted:
            self.alerted.discard(ticket_id)
            self.update_status()
        if ticket_id in self.unseen:
            self.unseen.discard(ticket_id)
            self.marks.pop(ticket_id, None)
            ticket = self.queue.tickets.get(ticket_id)
            if ticket is not None:
                event.table.update_row(event.key, self.cells(ticket))

    def update_status(self) -> None:
        if not self.query(StatusBar):
            return  # the app is closing: a background task (the model probe) finished after the screen went
        app = self.app
        session = self.session  # None in the first frame: the session is opened right after it
        budget = session.reads.budget() if session and session.connected else None
        tz = app.account.time_zone
        refreshed = self.refreshed_at.astimezone(tz).strftime("%H:%M:%S") if self.refreshed_at else (
            f"as of {self.as_of()} (cached)" if self.cached_at else None)
        self.query_one(StatusBar).show(
            owner=app.account.owner_label,
            account=session.account_label if session else "…",
            used=budget and budget.used_last_minute,
            limit=budget and budget.limit_per_minute,
            background=budget.background_waiting if budget else 0,
            refreshed=refreshed,
            connection=self.connection_note,
            ok=self.connected,
            model=app.model_label,
            alerts=len(self.alerted),
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
        if needle == self.needle:  # the filter put back at start, or only spaces typed
            return
        narrower = self.on_queue() and needle.narrows(self.needle)
        self.needle = needle
        table = self.query_one(TicketTable)
        if not narrower:
            self.rebuild()
        else:  # one more letter: only the rows shown can still match
            tickets = self.queue.tickets
            table.set_keys([key for key in table.keys
                            if (ticket := tickets.get(int(key))) is not None and needle.matches(self.hay(ticket))])
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
        if not self.needle and not box.has_focus:
            return
        box.value = ""
        self.needle = Needle()
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
        ticket_id = int(key)
        return self.queue.tickets.get(ticket_id) or next((t for t in self.remote if t.id == ticket_id), None)

    @on(TicketTable.Selected)
    def open_selected(self, event: TicketTable.Selected) -> None:
        self.open_ticket(int(event.key))

    @on(DataTable.RowSelected, "#appointments-table")
    def open_appointment(self, event: DataTable.RowSelected) -> None:
        appt = next((a for a in self.appointments if str(a.id) == event.row_key.value), None)
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
        for number, section in enumerate(self.sections, start=1):
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


def loading_progress(loaded: int, page: RowPage) -> str:
    """ "loading 1,200 of 5,000" while a full load's pages arrive (Syncro's count when it gives one)."""
    if page.meta.page >= page.meta.total_pages:
        return ""
    total = page.meta.total_entries
    return f"loading {loaded:,} of {total:,}" if total else f"loading {loaded:,} (page {page.meta.page} of {page.meta.total_pages})"


def unreadable(count: int, what: str = "ticket") -> str:
    """ "1 ticket could not be read", "2 changed tickets could not be read". """
    return f"{count} {what}{'' if count == 1 else 's'} could not be read"
