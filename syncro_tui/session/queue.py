"""The queue as the tech works it, below the screens: no Textual here.

``QueueModel`` owns the open tickets, the sections and the tech's place in them
(section, filter, sort, ticket), what changed unseen, the marks (``marks.py``),
the alerts inbox (``inbox.py``), the loads, refreshes and the local cache. Each
change is returned as a ``domain.queue.Changes`` for ``ui/queue.py`` to draw.
What leaves the queue leaves every table here too (``release``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..api.pacing import background
from ..cache import Place
from ..domain.account import Account, resolve_zone
from ..domain.alerts import Alert, alerts
from ..domain.inbox import EntryState
from ..domain.queue import Changes, Queue, QueueRow, change_mark, loading_progress, sort_rows
from ..domain.sections import Haystacks, Needle, Section, Source, builtin_sections, saved_filter, saved_search
from ..domain.text import unreadable
from .inbox import Inbox
from .marks import Marks

if TYPE_CHECKING:
    from ..api.models import Appointment, TicketSettings
    from ..cache import Cache
    from ..reads import Reads
    from . import Session

#: The cached queue's first rows, drawn before the rest is read: a few screenfuls of the tallest terminal.
CACHE_FIRST = 500
#: Remote lists are capped: a search that matches thousands of tickets shows the first pages only.
REMOTE_PAGES = 5
#: The sections whose tickets are the tech's to watch: their changes raise alerts (with the config's filters).
WATCHED = ("mine", "new")


@dataclass(frozen=True)
class Loaded:
    """One page of a full load, merged: what it changed, and whether it was the first rows the queue had."""

    changes: Changes
    first: bool


class QueueModel:
    """The open-ticket queue of one session, its sections and the tech's place in them."""

    def __init__(self, account: Account, session: Session) -> None:
        #: The account behind the key: its zone for times, its saved searches for sections.
        self.account = account
        #: Opened (its config read) once the app's first frame is painted: that frame draws without it.
        self.session = session
        self.queue = Queue()
        self.refreshed_at: datetime | None = None
        self.connected = True
        self.connection_note = "connecting"
        #: Tickets of the last full load that Syncro sent in a shape the app cannot read (each is logged).
        self.unreadable_count = 0
        #: "loading 1,200 of 5,000" while a full load's pages arrive, in the sections bar.
        self.progress = ""
        #: When the queue shown came from the local cache: when that was saved (None once Syncro has answered).
        self.cached_at: datetime | None = None
        #: Only the cached queue's first rows are in (``from_cache``): the rest are read next.
        self.cache_rest = False
        self.sections: list[Section] = []
        self.section: Section | None = None
        self.needle = Needle()
        #: Tickets of the section shown when it is a list Syncro sends (saved search, search, customer).
        self.remote: list[QueueRow] = []
        self.appointments: list[Appointment] = []
        #: Tickets that changed since the tech last had the cursor on them, and what changed on each, as its
        #: mark (``domain.queue.change_mark``).
        self.unseen: set[int] = set()
        self.marks: dict[int, str] = {}
        self.marked = Marks()  # the tickets marked (space, *) to change all at once
        #: The day's alerts, kept on this machine (the session's cache, once it has joined).
        self.inbox = Inbox(lambda: self.session.cache if self.session.opened else None, zone=lambda: self.account.time_zone,
                           now=lambda: self.session.now())
        #: Each row's text the filter looks in.
        self.hay = Haystacks()
        #: Where the tech was when the app last closed, until it is restored (or the tech goes elsewhere first).
        self.place: Place | None = None
        self._place_read = False
        #: The ticket to put the cursor on once its row is shown (the one selected when the app last closed).
        self.select: int | None = None
        self._counts: dict[tuple[str, int], int] = {}
        #: Each section's sort (column, descending); a section not here is in the queue's order.
        self.sorts: dict[str, tuple[str, bool]] = {}
        #: The last run's filter, read with its place, until the screen has put it back in the filter box.
        self.restored_filter: str | None = None

    # ------------------------------------------------------------ sections
    def set_sections(self, tickets: TicketSettings | None) -> Section | None:
        """The built-in sections, then the config's filters, then the account's saved searches (``tickets``).
        Returns the last run's section when it is one Syncro lists (to be read as when the tech picks it)."""
        session = self.session
        sections = builtin_sections(session.profile.user_id if session.opened else None)
        if session.opened:
            sections += [saved_filter(f.name, statuses=f.statuses, priorities=f.priorities, user_ids=f.user_ids,
                                      customer_ids=f.customer_ids, unassigned=f.unassigned, text=f.text)
                         for f in session.config.queue.filters]
        if tickets is not None:
            sections += [saved_search(s.id, s.name) for s in tickets.saved_searches]
        if self.section is not None and self.section.source in (Source.QUERY, Source.CUSTOMER):
            sections.append(self.section)  # a search stays reachable until another replaces it
        self.sections = sections
        if session.opened and not self._place_read:
            self.read_place()
        wanted = next((s for s in sections if self.place is not None and s.id == self.place.section), None)
        if wanted is not None:
            self.place = None
            if wanted.source is Source.QUEUE or not session.opened:
                self.section = wanted
            else:  # a Syncro saved search, or today's appointments
                return wanted
        elif self.section is None or self.section.id not in {s.id for s in sections}:
            self.section = next(s for s in sections if s.id == "all")
        return None

    def read_place(self) -> None:
        """The section, filter and ticket of the last run (or the config's first section on a first start)."""
        self._place_read = True
        cache = self.session.cache
        place = cache.place() if cache is not None else None
        self.sorts = cache.sorts() if cache is not None else {}
        self.place = place or Place(self.session.config.queue.first_section)
        if self.session.lesson_ticket is not None:  # training: the lesson's ticket, ready to work on
            self.select = self.session.lesson_ticket
        elif place is not None:
            self.select = place.ticket_id
            if place.filter:
                self.needle = Needle(place.filter)
                self.restored_filter = place.filter

    def remember_place(self, selected: int | None) -> None:
        """Kept for the next start: where the tech is now (a search of the moment is not a place to come back to)."""
        cache = self.session.cache if self.session.opened else None
        if cache is None or self.section is None or self.section.source in (Source.QUERY, Source.CUSTOMER):
            return
        cache.save_place(Place(self.section.id, self.needle.text, selected if self.on_queue() else None))

    def enter(self, section: Section, *, restoring: bool = False) -> bool:
        """Go to ``section``; True when the filter was cleared with it (issue 33: kept, a filter typed in
        another section made a fresh search look empty). The last run's filter comes back with its own section
        (``restoring``)."""
        self.place = None  # the tech went somewhere: the last run's place is not restored over it
        cleared = not restoring and bool(self.needle) and (self.section is None or section.id != self.section.id)
        if cleared:
            self.needle = Needle()
        self.section = section
        if section.source is Source.QUEUE:
            self.remote = []
        return cleared

    def count(self, section: Section) -> int:
        """How many open tickets a section holds, worked out once per change of the queue (not per keystroke)."""
        key = (section.id, self.queue.version)
        if key not in self._counts:
            if len(self._counts) > 50:
                self._counts.clear()
            self._counts[key] = len(section.pick(self.queue.tickets.values()))
        return self._counts[key]

    def counted(self, section: Section) -> bool:
        """Whether the sections bar shows a count for ``section`` (never a count of part of the queue)."""
        return section.source is Source.QUEUE and bool(self.queue.tickets) and not self.cache_rest

    async def remote_rows(self, reads: Reads, section: Section, today: date) -> int:
        """Read a section Syncro lists (its rows, or ``today``'s appointments); returns how many could not be
        read."""
        if section.source is Source.APPOINTMENTS:
            listed = await reads.appointments(today, today)
            self.appointments = sorted(listed, key=lambda a: a.start_at)
            return listed.skipped
        filters = {Source.SAVED_SEARCH: "ticket_search_id", Source.QUERY: "query",
                   Source.CUSTOMER: "customer_id"}[section.source]
        rows = await reads.tickets_where(max_pages=REMOTE_PAGES, **{filters: section.param})
        if self.section == section:  # not when the tech moved on meanwhile
            self.remote = rows
        return rows.skipped

    # ------------------------------------------------------------ rows
    def on_queue(self) -> bool:
        return self.section is None or self.section.source is Source.QUEUE

    def shows(self, ticket: QueueRow) -> bool:
        """Whether ``ticket`` is in the section and the filter shown."""
        if self.section is not None and self.section.match is not None and not self.section.match(ticket):
            return False
        return not self.needle or self.needle.matches(self.hay.of(ticket))

    def rows(self) -> list[QueueRow]:
        source = self.queue.ordered() if self.on_queue() else self.remote
        shown = [t for t in source if self.shows(t)]
        sort = self.current_sort()
        return sort_rows(shown, sort[0], descending=sort[1]) if sort else shown

    def row(self, ticket_id: int) -> QueueRow | None:
        """The ticket of a row shown (the queue's, or a section Syncro lists: at most a few hundred)."""
        if self.on_queue():
            return self.queue.tickets.get(ticket_id)
        return next((t for t in self.remote if t.id == ticket_id), None)

    def ticket(self, ticket_id: int) -> QueueRow | None:
        """A ticket the queue or the section shown has."""
        return self.queue.tickets.get(ticket_id) or next((t for t in self.remote if t.id == ticket_id), None)

    def narrow(self, needle: Needle) -> bool | None:
        """The filter is now ``needle``: True when only the rows shown can still match (one more letter),
        False when every row must be looked at again, None when nothing changed."""
        if needle == self.needle:  # the filter put back at start, or only spaces typed
            return None
        narrower = self.on_queue() and needle.narrows(self.needle)
        self.needle = needle
        return narrower

    # ------------------------------------------------------------ sorting
    def current_sort(self) -> tuple[str, bool] | None:
        return self.sorts.get(self.section.id) if self.section is not None else None

    def sort_by(self, sort: tuple[str, bool] | None) -> bool:
        """This section sorted so (None: the queue's order), kept for it across restarts; False with no section."""
        if self.section is None:
            return False
        if sort is None:
            self.sorts.pop(self.section.id, None)
        else:
            self.sorts[self.section.id] = sort
        cache = self.session.cache if self.session.opened else None
        if cache is not None:
            cache.save_sort(self.section.id, sort)
        return True

    # ------------------------------------------------------------ what changed
    def arrived(self, changes: Changes, *, selected: int | None, mark: bool = True, own: Collection[int] = ()) -> None:
        """A merge's changes: changed rows carry the ● until looked at (``mark``; not the row under the cursor, nor
        ``own``, the tickets this window wrote to, nor on a first load, when every row is new), and what left the
        queue is let go everywhere."""
        if mark:
            self.unseen.update(t.id for t in (*changes.updated, *changes.added) if t.id != selected and t.id not in own)
        self.release(changes.removed)

    def release(self, removed: Iterable[int]) -> None:
        """Tickets gone from the queue (closed, reassigned away): nothing of them is kept."""
        for ticket_id in removed:
            self.marked.left(ticket_id)
            self.unseen.discard(ticket_id)
            self.marks.pop(ticket_id, None)
            self.inbox.settle(ticket_id, EntryState.GONE)
            self.hay.forget(ticket_id)

    def marked_rows(self) -> list[QueueRow]:
        """The marked tickets: in the order shown, then those marked in another section (the queue's order)."""
        return self.marked.rows(self.rows(), self.queue.ordered(), self.remote)

    def looked_at(self, ticket_id: int) -> tuple[bool, bool]:
        """The cursor reached ``ticket_id``: (whether it was alerted, whether it was marked as changed)."""
        alerted = self.inbox.settle(ticket_id, EntryState.SEEN)
        unseen = ticket_id in self.unseen
        if unseen:
            self.unseen.discard(ticket_id)
            self.marks.pop(ticket_id, None)
        return alerted, unseen

    def _merge(self, rows: Iterable[QueueRow], *, advance: bool, mark: bool) -> tuple[Changes, dict[int, QueueRow]]:
        rows = list(rows)
        before = {t.id: known for t in rows if (known := self.queue.tickets.get(t.id)) is not None}
        changes = self.queue.merge(rows, advance=advance)
        if mark:
            self.marks.update((t.id, change_mark(before.get(t.id), t)) for t in (*changes.added, *changes.updated))
        return changes, before

    # ------------------------------------------------------------ loading
    def closed_statuses(self) -> frozenset[str]:
        return frozenset(self.session.config.tickets.closed_statuses) if self.session.opened else frozenset()

    async def load(self, reads: Reads, *, page_size: int) -> AsyncIterator[Loaded]:
        """A full load of the open tickets, merged page by page as they arrive (in the queue's order), the
        pages as background work (the tech's own calls go before each). Once every page is in, what was not
        in any has left the queue: the last ``Loaded`` says so. Syncro's errors are the caller's: the rows so
        far stay, and the watermark has not moved, so the next refresh misses none."""
        first = not self.queue.tickets  # nothing shown yet: rows are not marked as changed
        self.queue.closed_statuses = self.closed_statuses()
        seen: set[int] = set()
        skipped = 0
        try:
            with background():
                async for page in reads.open_ticket_pages(per_page=page_size):
                    seen.update(t.id for t in page.rows)
                    skipped += page.skipped
                    changes, _ = self._merge(page.rows, advance=False, mark=not first)
                    self.progress = loading_progress(len(seen) + skipped, page.meta)
                    yield Loaded(changes, first)
        finally:
            self.progress = ""
        gone = self.queue.loaded(seen)
        self.select = None  # every open ticket is in: the last run's ticket is closed, or elsewhere
        self.unreadable_count = skipped
        yield Loaded(gone, first)
        reads.keep_queue(changed=self.queue.tickets.values(), removed=(), watermark=self.queue.watermark,
                         zone=self._zone(), replace=True)

    async def changed(self, reads: Reads) -> tuple[Changes, dict[int, QueueRow], int]:
        """Only what changed since the newest update seen (one request when nothing did), merged: the changes,
        the rows as they were before, and how many changed tickets could not be read."""
        assert self.queue.watermark is not None
        with background():
            delta = await reads.changed_tickets(self.queue.watermark)
        changes, before = self._merge(delta, advance=True, mark=True)
        return changes, before, delta.skipped

    def keep(self, reads: Reads, changes: Changes) -> None:
        """A refresh's changes kept on this machine (called once its frame is out: the tech waits for rows,
        not for the disk)."""
        reads.keep_queue(changed=(*changes.added, *changes.updated), removed=changes.removed,
                         watermark=self.queue.watermark, zone=self._zone())

    def _zone(self) -> str:
        return self.account.time_zone.key

    # ------------------------------------------------------------ alerts
    def find_alerts(self, changes: Changes, before: dict[int, QueueRow], own: Collection[int] = ()) -> None:
        """What a refresh brought that the tech must not miss, one alert per ticket, held until ``take_alerts``;
        on ``own``, the tickets this window's writes changed, only what a write of theirs cannot have done."""
        mine = [s for s in self.sections if s.id in WATCHED or s.id.startswith("filter:")]
        settings = self.session.config.alerts
        self.inbox.found(alerts((*changes.added, *changes.updated), before, me=self.session.profile.user_id,
                                mine=lambda t: any(s.match is not None and s.match(t) for s in mine),
                                wanted=lambda kind: bool(settings.ways(kind.value)), own=own))

    def take_alerts(self) -> list[Alert]:
        """The alerts held, now shown: their tickets are the inbox's, open until seen, done or snoozed."""
        return self.inbox.take(self.queue.tickets.keys())

    # ------------------------------------------------------------ the cache on this machine
    def from_cache(self, *, screenful: int) -> bool:
        """The queue as last seen on this machine, before Syncro answers; False when there is none.

        Read from the session's cache, not through ``reads``: it needs no client, so it is drawn before httpx
        and the key are loaded. A big queue comes in two steps: its first rows in the queue's order (a few
        screenfuls: 20,000 rows take half a second to read), then the rest (``rest_of_cache``), once those are
        on screen. When the section or filter shown leaves less than a ``screenful`` of the first rows, all
        are read at once, so the tech never sees a section look emptier than it is."""
        cache = self.session.cache if self.session.opened else None
        if cache is None:
            return False
        cached = cache.queue(first=CACHE_FIRST)
        if cached is None or not cached.tickets or self.queue.tickets:
            return False
        if cached.zone and self.account.settings is None:  # times in the account's zone, as last seen
            self.account.time_zone = resolve_zone(cached.zone)[0]  # a problem is said once Syncro names it
        self.queue = Queue(closed_statuses=self.closed_statuses(), watermark=cached.watermark)
        self.queue.merge(cached.tickets, advance=False)
        self.cache_rest = cached.total > len(cached.tickets)
        if self.cache_rest and len(self.rows()) < screenful:
            self._read_rest(cache)
        elif self.cache_rest:
            self.progress = f"reading {len(cached.tickets):,} of {cached.total:,} from this machine"
        self.cached_at = cached.saved_at
        self.connection_note = f"cached: as of {self.as_of()}"
        return True

    def rest_of_cache(self) -> bool:
        """The rows of the cached queue after its first (``from_cache``); False when there were none."""
        if not self.cache_rest or not self.session.opened or self.session.cache is None:
            return False
        self._read_rest(self.session.cache)
        self.progress = ""
        return True

    def _read_rest(self, cache: Cache) -> None:
        self.cache_rest = False
        cached = cache.queue()
        if cached is not None:  # unreadable now: the first rows stay, and the load brings the rest
            self.queue.merge(cached.tickets, advance=False)

    # ------------------------------------------------------------ connection
    def as_of(self) -> str:
        """When the cached queue shown was last refreshed, in the account's zone ("14:02", or "Nov 28 14:02")."""
        if self.cached_at is None:
            return ""
        tz = self.account.time_zone
        at, now = self.cached_at.astimezone(tz), self.session.now().astimezone(tz)
        return f"{at:%H:%M}" if at.date() == now.date() else f"{at:%b %d %H:%M}"

    def refreshed(self) -> str:
        """Syncro answered: the connection note for the status bar."""
        self.cached_at = None
        self.refreshed_at = self.session.now()
        self.connected = True
        self.connection_note = "connected" + (f" · {unreadable(self.unreadable_count)}" if self.unreadable_count else "")
        return self.connection_note
