"""What every screen and widget may use of the app: its typed state, and a typed ``app`` to reach it.

``SyncroBase`` is the app without its screens: the session, the account behind
the key, the drafts, the write path, and the app-wide ways of telling the tech
(literal notices, error reports, leaving with a message). Screens and widgets
mix in ``OnSyncro`` so that ``self.app`` is a ``SyncroBase``; they never import
the app itself or each other (they ask for another screen with a message from
``ui.messages``), so the UI has no import loop.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import getters
from textual.app import App
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from ..api.errors import SyncroError
from ..api.pacing import background
from ..api.redact import redact
from ..domain.account import Account, Drafts
from ..domain.text import clean
from ..exit_codes import AUTH as EXIT_AUTH
from ..session import Session
from ..session.queue import QueueModel
from .messages import ClocksChanged

if TYPE_CHECKING:
    from ..domain.clock import Clock
    from ..reads import Reads
    from ..writes.clocks import WorkClocks
    from ..writes.drafts import DraftStore
    from ..writes.path import WritePath

log = logging.getLogger("syncro_tui.ui")


class SyncroBase(App[None]):
    def __init__(self, session: Session) -> None:
        """``session``: built before the app runs; the app opens it (reads the config) once its first frame is
        painted, and connects after that."""
        super().__init__()
        self.session = session
        self.account = Account()
        self.drafts = Drafts()
        #: The queue the first screen shows, and the tech's place in it (the session joins it once open).
        self.queue_model = QueueModel(self.account, session)
        self.writes: WritePath | None = None
        #: Why writes are off, when the journal cannot be opened.
        self.writes_off: str | None = None
        #: Why the app shows the cached queue read-only (Syncro could not be reached at start), until it answers.
        self.offline: str | None = None
        self.exit_message: str | None = None
        #: Where warnings are written (the data directory's syncro-tui.log), once the session is open.
        self.log_file: Path | None = None
        #: Where Syncro's product disagrees with the rate table, by product id (read once per run of the app).
        self.product_differences: dict[int, list[str]] = {}
        #: Notices raised while a confirm is up, shown once it closes (nothing covers a confirm), and how many
        #: confirms hold them.
        self._held_notices: list[tuple[str, str, SeverityLevel, float | None]] = []
        self._holding = 0
        #: Why unsent drafts cannot be kept on disk (None: they are, at each change).
        self.drafts_unkept: str | None = None
        #: The coach panel is shown (F1): from the start in training, off otherwise.
        self.coach = False

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """A new screen comes with the width's breakpoint class (``-wide``/``-narrow``) already on it: Textual adds it
        at the screen's first resize, after its widgets are styled, which styled every widget of it twice (about
        a third of the time ``b`` took to show the billing wizard)."""
        if isinstance(screen, Screen) and not screen.is_attached and self.HORIZONTAL_BREAKPOINTS:
            screen.add_class(*screen._get_breakpoint_classes(self.size.width, self.HORIZONTAL_BREAKPOINTS),
                             update=False)
        return super().push_screen(screen, *args, **kwargs)

    @property
    def reads(self) -> Reads:
        """What the screens read from Syncro, fetched and shaped (built with the client, after the first frame)."""
        return self.session.reads

    def ticket_numbers(self) -> dict[int, int]:
        """Ticket numbers by id, as far as the app knows them without asking Syncro (the queue's)."""
        return {t.id: t.number for t in self.queue_model.queue.tickets.values()}

    def number_of(self, ticket_id: int) -> int | None:
        """The number the tech knows a ticket by, where the queue has it (an id is never shown as a number)."""
        row = self.queue_model.queue.tickets.get(ticket_id)
        return row.number if row is not None else None

    def attribution_problem(self) -> str | None:
        """Why writes must be refused under this key, or None when the key is the profile tech's."""
        profile, me = self.session.profile, self.account.me
        if me is None:
            return "Whose key this is has not been checked yet."
        if profile.user_id is None:
            return (f"Profile '{self.session.profile_name}' has no user_id: set it to the tech's Syncro user id "
                    f"(this key belongs to {me.user_name}, user {me.user_id}). Writes are refused until then.")
        if profile.user_id != me.user_id:
            return (f"This key belongs to {me.user_name} (user {me.user_id}), not to the profile's tech "
                    f"{profile.tech_name or ''} (user {profile.user_id}). Writes are refused: Syncro would record "
                    f"them under {me.user_name}'s name.")
        return None

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notice, whoever raises it, shows its text literally: Syncro's text is in many of them.

        Never parsed as markup (a customer called ``[/dim]`` would raise, ``[link=…]`` would link), control
        and bidi characters made visible (an ESC or OSC sequence would reach the terminal through a toast).
        """
        if self._holding:
            self._held_notices.append((message, title, severity, timeout))
        else:
            self._show_notice(message, title, severity, timeout)

    def _show_notice(self, message: str, title: str, severity: SeverityLevel, timeout: float | None) -> None:
        super().notify(clean(message, single_line=False), title=clean(title), severity=severity, timeout=timeout,
                       markup=False)

    def hold_notices(self) -> None:
        """A confirm opened: notices wait until it closes (the toasts already up are hidden there by the CSS)."""
        self._holding += 1

    def release_notices(self) -> None:
        """A confirm closed: what was raised meanwhile is shown now, in order, each for its full time."""
        self._holding = max(0, self._holding - 1)
        if not self._holding:
            held, self._held_notices = self._held_notices, []
            for notice in held:
                self._show_notice(*notice)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in a background task is reported in place (a dialog and a redacted report), never the app's end."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error, where=f"background task {event.worker.name}")

    def report_error(self, error: BaseException, *, where: str) -> None:
        """Say in place that ``where`` stopped on a bug, and write a redacted report."""
        from ..crash import summary, write_report
        from .error_dialog import ErrorDialog

        log.error("%s failed: %s", where, summary(error))
        directory = self.session.data_dir() / "crash-reports" if self.session.opened else None
        report = write_report(error, directory, where=where) if directory is not None else None
        self.push_screen(ErrorDialog("Something went wrong", (
            f"{where} stopped on an unexpected error: {summary(error)}. Nothing typed is lost; what was being sent "
            "is checked against Syncro before anything is sent again (u lists unfinished writes)."
            + (f"\n\nA report without any key or data from memory is at {report}: send it to whoever looks after "
               "syncro-tui." if report else ""))))

    def _fatal_error(self) -> None:
        """An error nothing caught: leave with a short redacted message, never Textual's traceback with its locals."""
        from ..crash import summary, write_report

        error = sys.exc_info()[1] or self._exception
        report = None
        if error is not None and self.session.opened:
            report = write_report(error, self.session.data_dir() / "crash-reports", where="the app")
        self.exit_message = ("syncro-tui: stopped on an unexpected error"
                             + (f" ({summary(error)})" if error is not None else "")
                             + (f". A report without any key in it is at {report}." if report else "."))
        self.bell()
        self._exit_renderables.append(Text(clean(self.exit_message)))
        self._close_messages_no_wait()

    def write_to_terminal(self, text: str) -> bool:
        """Put an escape sequence on the terminal as ``bell`` does (False when headless: there is none)."""
        if self.is_headless or self._driver is None:
            return False
        self._driver.write(text)
        return True

    def fatal(self, message: str, code: int = EXIT_AUTH) -> None:
        """Leave the app with a short message (printed after the screen is restored) and an exit code."""
        self.exit_message = f"syncro-tui: {redact(message)}"
        self.exit(return_code=code, message=Text(clean(self.exit_message)))  # printed literally, never as markup

    @property
    def model_label(self) -> str:
        """The drafting model as the status bar says it: off, being checked, ready, or not reachable."""
        if not self.session.opened:
            return ""
        if not self.session.config.drafting.enabled:
            return "off"
        if not self.session.connected:
            return "checking…"
        drafter = self.session.drafter
        if drafter is None:
            return "off"
        return "checking…" if drafter.status == "not checked" else ("ready" if drafter.host else "none")


    # ------------------------------------------------------------ drafts: kept at each change
    @cached_property
    def draft_store(self) -> DraftStore:
        from ..writes.drafts import DraftStore

        return DraftStore.for_profile(self.session.data_dir(), self.session.profile_name)

    def keep_drafts(self) -> None:
        """Write what the tech has typed and not sent, at each change: a crash or a kill loses none of it."""
        if not self.session.opened:
            return
        from filelock import Timeout

        try:
            self.draft_store.keep(self.drafts)
            self.drafts_unkept = None
        except (OSError, Timeout) as exc:
            if self.drafts_unkept is None:  # said once, not at every key
                log.warning("unsent drafts could not be kept: %s", exc)
                self.notify(f"What you type cannot be kept on this machine ({exc}): it lasts only while the app runs.",
                            title="Drafts", severity="warning", timeout=15)
            self.drafts_unkept = str(exc)

    def restore_drafts(self) -> None:
        """Every draft left unsent by an earlier run (quit, crash or kill) comes back, said with its visibility."""
        try:
            numbers = self.ticket_numbers()
            back = self.draft_store.restore(
                self.drafts, name=lambda t: f"#{numbers[t]}" if t in numbers else f"the ticket with id {t}")
        except Exception as exc:  # noqa: BLE001 - a locked or unreadable file never stops the app
            log.warning("unsent drafts could not be read: %s", exc)
            return
        if self.draft_store.damage:
            self.notify(self.draft_store.damage, title="Unsent drafts", severity="error", timeout=20)
        if back:
            self.notify("Back from before, as you left them: " + "; ".join(back) + ". Check who will see a comment "
                        "before sending it.", title="Unsent drafts restored", severity="warning", timeout=20)

    # ------------------------------------------------------------ work clocks (writes/clocks.py)
    @cached_property
    def work_clocks(self) -> WorkClocks:
        """The tech's clocks, on this machine and in Syncro (the keys that move them: ``ui/clocks.py``)."""
        from ..writes.clocks import ClockStore, WorkClocks

        session = self.session
        return WorkClocks(ClockStore.for_profile(session.data_dir(), session.profile_name),
                          where=lambda: session.config.clock.where, user_id=session.profile.user_id,
                          now=session.now)

    @property
    def clocks(self) -> dict[int, Clock]:
        """The work clocks kept on this machine, by ticket (read once at first use; damage is said then)."""
        clocks = self.work_clocks
        if not clocks.read:
            clocks.local  # noqa: B018 - read now, to say what could not be read
            if clocks.store.damage:
                self.notify(clocks.store.damage, title="Work clocks", severity="error", timeout=20)
        return clocks.local

    def change_clocks(self, change: Callable[[WorkClocks], object]) -> bool:
        """A change to the clocks on disk; False when the file cannot be written, which the tech is told (nothing
        is pretended)."""
        self.clocks  # noqa: B018 - read first: a damaged file is said before it is written over
        try:
            change(self.work_clocks)
        except OSError as exc:
            self.notify(f"The work clock could not be saved ({exc}): nothing changed.", title="Work clock",
                        severity="error", timeout=15)
            return False
        self.post_message(ClocksChanged())
        return True

    def clock_words(self) -> str:
        """ "⏱ #31996 ▶ 0:25  #31990 ‖ 1:10 in Syncro" for the status bar ('' with no clock)."""
        return self.work_clocks.words() if self.session.opened else ""

    def billed(self, ticket_id: int) -> None:
        """A billing run of the ticket is in Syncro: its stopped clock has been billed and goes."""
        self.change_clocks(lambda clocks: clocks.billed(ticket_id))

    async def read_live_timers(self) -> None:
        """The tech's running Syncro timers, from any machine (one background request, with the refresh)."""
        clocks = self.work_clocks
        if not clocks.reads_live() or clocks.user_id is None:
            return
        try:
            with background():
                page = await self.reads.running_timers(clocks.user_id)
        except SyncroError:
            return  # the queue's own refresh says when Syncro cannot be reached
        clocks.running(page.items, self.number_of)
        self.post_message(ClocksChanged())


class HoldsRefresh:
    """Mixed in by a screen the tech types or decides in (a form, a wizard, a confirm, a dialog that asks): while
    one is open the queue's automatic refresh waits, so nothing rings or redraws under a decision. A screen that only
    shows (a ticket, the inbox, the activity) lets it run: a new urgent ticket is told while the tech reads."""


class OnSyncro(MessagePump):
    """Mixed in first by a screen or widget: ``self.app`` is the typed ``SyncroBase`` (Textual's own typed getter)."""

    app = getters.app(SyncroBase)


class ShowsTicket(OnSyncro):
    """A screen that shows one ticket: told when a write has changed it (``TicketChanged``)."""

    ticket_id: int

    def ticket_changed(self) -> None:
        """Read the ticket again."""
