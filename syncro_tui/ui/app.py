"""The Textual application: paints at once, then checks whose key it is and loads the queue.

Nothing the first frame does not need is imported before it. The command line
hands the app what opens the session (reading the config needs pydantic, the key
the keyring), and the app calls it once the first frame is on screen, then
builds the client (httpx). Every screen but the queue is imported when first opened.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from ..api import AuthError, NetworkError, SyncroError
from ..api.redact import redact
from ..domain.text import clean
from ..exit_codes import AUTH as EXIT_AUTH
from ..exit_codes import NETWORK as EXIT_NETWORK
from ..session import CannotConnect, Session
from .queue import QueueScreen

if TYPE_CHECKING:
    from ..api.models import AccountSettings, Me, TicketSettings
    from ..domain.new_ticket import NewTicketForm
    from ..writes.path import WritePath
    from .billing import Draft
    from .comment import CommentForm

log = logging.getLogger("syncro_tui.ui")


async def until_idle(limit: float = 1.0) -> None:
    """Until the process has a quiet moment (its CPU time stalls for 20 ms), at most ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        cpu = time.process_time()
        await asyncio.sleep(0.02)
        if time.process_time() - cpu < 0.002:
            return


def styles_dir() -> Path:
    """TCSS ships inside the wheel as syncro_tui/styles; in a checkout it is the top-level styles/."""
    packaged = Path(__file__).resolve().parent.parent / "styles"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "styles"


class SyncroApp(App[None]):
    TITLE = "syncro-tui"
    CSS_PATH = str(styles_dir() / "app.tcss")
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "toggle_help", "Keys", key_display="?", id="app.help"),
    ]

    def __init__(self, session: Session | Callable[[], Session]) -> None:
        """``session``, or what opens it (may raise CannotConnect), called once the first frame is painted."""
        super().__init__()
        opened = isinstance(session, Session)
        #: None only until the first frame is painted, when the command line's session is opened.
        self.session: Session = session if opened else None  # type: ignore[assignment]
        self._open = None if opened else session
        #: Keys typed before the session was open, replayed once it is.
        self._early_keys: list[events.Key] = []
        self.me: Me | None = None
        self.owner_label = "checking key…"
        self.time_zone: ZoneInfo = ZoneInfo("UTC")
        self.exit_message: str | None = None
        #: Where warnings are written (the data directory's syncro-tui.log), once the session is open.
        self.log_file: Path | None = None
        self._log_handler: logging.Handler | None = None
        #: The account's ticket statuses, techs and saved searches (None until read, or when it cannot be).
        self.ticket_settings: TicketSettings | None = None
        self.priorities: list[str] = []
        #: The account's problem types, priorities, time zone and business hours (None until read).
        self.account_settings: AccountSettings | None = None
        self.writes: WritePath | None = None
        #: Why writes are off, when the journal cannot be opened.
        self.writes_off: str | None = None
        #: What the tech typed in the billing wizard, per ticket, kept when the wizard is left.
        self.billing_drafts: dict[int, Draft] = {}
        #: Comments being written, per ticket, kept when the comment screen is left.
        self.comment_drafts: dict[int, CommentForm] = {}
        #: The new ticket being written, kept when the form is left (one at a time).
        self.new_ticket_draft: NewTicketForm | None = None
        #: Where Syncro's product disagrees with the rate table, by product id (read once per run of the app).
        self.product_differences: dict[int, list[str]] = {}

    def get_default_screen(self) -> Screen[None]:
        return QueueScreen()

    async def on_event(self, event: events.Event) -> None:
        """Before the session is open, keys wait for it and the mouse is ignored (nothing could act on them)."""
        if self.session is None and isinstance(event, events.InputEvent) and not event.is_forwarded:
            if isinstance(event, events.Key):
                self._early_keys.append(event)
            return
        await super().on_event(event)

    def on_ready(self) -> None:
        """The first frame is on screen: open the session, build the client, then ask Syncro whose key it is.

        Reading the config and the key and building the client (httpx; with --demo, seeding and starting
        the simulator) happen here, after the first paint, on the event loop: keys typed meanwhile wait.
        """
        try:
            if self.session is None:
                self.session = self._open()  # type: ignore[misc]
            self.session.client  # noqa: B018 - builds it
        except CannotConnect as exc:
            self.fatal(str(exc), exc.exit_code)
            return
        except Exception as exc:  # whatever stops the connection being made, the tech is told and the app ends
            log.exception("could not make the connection")
            self.fatal(f"could not make the connection to Syncro: {exc}", 1)
            return
        try:
            from ..files import log_to

            self._log_handler = log_to(self.session.data_dir())
            self.log_file = Path(self._log_handler.baseFilename)
        except OSError:
            self.log_file = None  # warnings are then only on screen
        if self.session.config.keymap:
            self.set_keymap(self.session.config.keymap)
        self.queue_screen.set_sections()  # with the tech's own section and the config's filters
        if self._early_keys:
            self.replay(self._early_keys)
            self._early_keys = []
        self.open_journal()
        self.startup()
        self.probe_model()

    def open_journal(self) -> None:
        """No journal, no writes: a write that cannot be recorded first is never sent."""
        from ..writes.journal import Journal
        from ..writes.path import WritePath

        path = self.session.journal_file()
        try:
            journal, damage = Journal.open_or_recover(path, clock=self.session.now)
        except (OSError, sqlite3.Error) as exc:
            self.writes_off = (f"Writes are off: the journal at {path} cannot be opened ({exc}). Every write is "
                               "recorded there before it is sent, so nothing can be sent until it opens. Check that "
                               "the directory is writable (SYNCRO_TUI_DATA_DIR moves it) and restart.")
            from .dialogs import ErrorDialog

            self.push_screen(ErrorDialog("The write journal cannot be opened", self.writes_off))
            return
        self.writes = WritePath(self.session.client, journal, profile_name=self.session.profile_name,
                                user_id=self.session.profile.user_id, clock=self.session.now)
        if damage:
            from .dialogs import ErrorDialog

            self.push_screen(ErrorDialog("The write journal was damaged", damage))

    @work(group="early-keys", exit_on_error=False)
    async def replay(self, keys: list[events.Key]) -> None:
        """The keys typed before the session opened, in order, each once the one before has acted.

        A key goes from the app to the focused widget and back before the app's bindings see it; keys
        posted at once would reach the widget focused before the first of them acted (``/`` then text).
        The app is busy loading then, so each key waits for a quiet moment, as Textual's Pilot does.
        """
        for key in keys:
            self.post_message(key)
            await until_idle()

    @property
    def model_label(self) -> str:
        """The drafting model as the status bar says it: off, being checked, ready, or not reachable."""
        if self.session is None:
            return ""
        if not self.session.config.drafting.enabled:
            return "off"
        if not self.session.connected:
            return "checking…"
        drafter = self.session.drafter
        if drafter is None:
            return "off"
        return "checking…" if drafter.status == "not checked" else ("ready" if drafter.host else "none")

    @work(exclusive=True, group="model-probe", exit_on_error=False)
    async def probe_model(self) -> None:
        """Once per run of the app (SYNCRO.md section 10): which host, if any, has the model."""
        drafter = self.session.drafter
        if drafter is None:
            return
        await drafter.probe()
        log.info("drafting model: %s", drafter.status)
        self.queue_screen.update_status()

    @property
    def tech_names(self) -> dict[int, str]:
        """The account's techs by user id (empty until the ticket settings are read)."""
        settings = self.ticket_settings
        return {u.id: u.name for u in settings.users} if settings else {}

    @property
    def queue_screen(self) -> QueueScreen:
        return self.screen_stack[0]  # type: ignore[return-value]

    @work(exclusive=True, group="startup", exit_on_error=False)
    async def startup(self) -> None:
        client = self.session.client
        try:
            me = await client.me()
        except AuthError as exc:
            self.fatal(str(exc), EXIT_AUTH)
            return
        except NetworkError as exc:
            self.fatal(str(exc), EXIT_NETWORK)
            return
        except SyncroError as exc:
            self.fatal(f"Syncro did not answer as expected: {exc}", 1)
            return
        self.me = me
        if self.writes is not None:
            self.writes.remember_owner(me)
        self.owner_label = f"{me.user_name} (#{me.user_id})"
        problem = self.attribution_problem()
        if problem:
            self.queue_screen.query_one("#attribution").warn(problem)  # type: ignore[attr-defined]
            self.notify(problem, title="Whose key is this?", severity="error", timeout=30)
        try:
            settings = await client.account_settings()
            self.account_settings = settings
            self.priorities = settings.priorities
            if settings.time_zone:
                self.time_zone = ZoneInfo(settings.time_zone)
        except (SyncroError, ZoneInfoNotFoundError):
            pass  # times stay in UTC; the queue still works
        self.queue_screen.load()
        if self.writes is not None and self.writes.cut_short():  # not the ones another window is sending
            from .unfinished import UnfinishedScreen

            await self.push_screen(UnfinishedScreen())
        try:
            self.ticket_settings = await client.ticket_settings()
        except SyncroError as exc:
            log.warning("ticket settings unavailable: %s", exc)  # the status and tech pickers say so when used
        else:
            self.queue_screen.set_sections()  # the account's saved searches join the sections

    def attribution_problem(self) -> str | None:
        """Why writes must be refused under this key, or None when the key is the profile tech's."""
        profile = self.session.profile
        if self.me is None:
            return "Whose key this is has not been checked yet."
        if profile.user_id is None:
            return (f"Profile '{self.session.profile_name}' has no user_id: set it to the tech's Syncro user id "
                    f"(this key belongs to {self.me.user_name}, user {self.me.user_id}). Writes are refused until then.")
        if profile.user_id != self.me.user_id:
            return (f"This key belongs to {self.me.user_name} (user {self.me.user_id}), not to the profile's tech "
                    f"{profile.tech_name or ''} (user {profile.user_id}). Writes are refused: Syncro would record "
                    f"them under {self.me.user_name}'s name.")
        return None

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notice, whoever raises it, shows its text literally: Syncro's text is in many of them.

        Never parsed as markup (a customer called ``[/dim]`` would raise, ``[link=…]`` would link), control
        and bidi characters made visible (an ESC or OSC sequence would reach the terminal through a toast).
        """
        super().notify(clean(message, single_line=False), title=clean(title), severity=severity, timeout=timeout,
                       markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in a background task is reported in place (a dialog and a redacted report), never the app's end."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error, where=f"background task {event.worker.name}")

    def report_error(self, error: BaseException, *, where: str) -> None:
        from ..crash import summary, write_report
        from .dialogs import ErrorDialog

        log.error("%s failed: %s", where, summary(error))
        directory = self.session.data_dir() / "crash-reports" if self.session is not None else None
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
        if error is not None and self.session is not None:
            report = write_report(error, self.session.data_dir() / "crash-reports", where="the app")
        self.exit_message = ("syncro-tui: stopped on an unexpected error"
                             + (f" ({summary(error)})" if error is not None else "")
                             + (f". A report without any key in it is at {report}." if report else "."))
        self.bell()
        self._exit_renderables.append(Text(clean(self.exit_message)))
        self._close_messages_no_wait()

    def fatal(self, message: str, code: int = EXIT_AUTH) -> None:
        """Leave the app with a short message (printed after the screen is restored) and an exit code."""
        self.exit_message = f"syncro-tui: {redact(message)}"
        self.exit(return_code=code, message=Text(clean(self.exit_message)))  # printed literally, never as markup

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p) offers the screen's actions, named for the selected ticket."""
        yield from super().get_system_commands(screen)
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    async def on_unmount(self) -> None:
        if self._log_handler is not None:
            logging.getLogger("syncro_tui").removeHandler(self._log_handler)
            self._log_handler.close()
        if self.writes is not None:
            self.writes.journal.close()
        if self.session is not None:
            await self.session.aclose()
