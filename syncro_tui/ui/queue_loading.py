"""The queue screen's loading: the full load and the refreshes feed ``QueueModel`` and draw what it returns,
on a schedule; the alerts they raise are delivered here (toast, bell, desktop notice)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from textual import work
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from ..api import AuthError, SyncroError
from ..domain.alerts import notices
from ..domain.queue import Changes, QueueRow
from ..domain.sections import Section, Source
from ..domain.text import unreadable
from ..session.queue import QueueModel
from .base import HoldsRefresh
from .notice import desktop_notice
from .queue_view import appointment_rows
from .ticket_table import TicketTable
from .widgets import ListTable, ReportsFailures

if TYPE_CHECKING:
    from ..session import Session


class QueueLoading(ReportsFailures, Screen[None]):
    """The part of ``QueueScreen`` that reads Syncro (and the cache) into the model and shows it."""

    model: QueueModel
    _refresh_timer: Timer | None = None

    if TYPE_CHECKING:  # drawn by the screen
        @property
        def session(self) -> Session: ...
        def apply(self, changes: Changes, *, mark: bool = True, own: Collection[int] = ()) -> None: ...
        def rebuild(self) -> None: ...
        def show_sections(self) -> None: ...
        def update_status(self) -> None: ...

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
            self.apply(changes, own=own)
            # Announced once the rows are drawn: mounting a toast and laying it out would hold their frame back.
            self.call_after_refresh(self.raise_alerts, changes, before, own)
        self.mark_refreshed()
        self.schedule_refresh()
        await self.app.read_live_timers()  # the tech's running Syncro timers, from any machine: one more request
        # Kept on this machine once the frame with the changes is out: the tech waits for the rows, not the disk.
        self.call_after_refresh(self.model.keep, self.app.reads, changes)

    def give_back(self, own: set[int]) -> None:
        if own and self.app.writes is not None:
            self.app.writes.give_back(own)

    def raise_alerts(self, changes: Changes, before: dict[int, QueueRow], own: Collection[int] = ()) -> None:
        """What this refresh brought that the tech must not miss (``QueueModel.find_alerts``)."""
        self.model.find_alerts(changes, before, own)
        self.deliver_alerts()

    def deliver_alerts(self) -> None:
        """Toast, bell, desktop notice, as the config says for each kind; never over a confirm or another dialog."""
        if not self.model.inbox.held or isinstance(self.app.screen, ModalScreen):
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
        """The refresh timer fired: a refresh, unless the tech is in a form, wizard, confirm or asking dialog (then it
        waits, ``HoldsRefresh``). Reading a ticket, the inbox or the activity does not hold it."""
        if any(isinstance(screen, HoldsRefresh) for screen in self.app.screen_stack):
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
