"""The Textual application: paints at once, then checks whose key it is and loads the queue.

Nothing the first frame does not need is imported before it. The command line
builds the session from its arguments; the app opens it (reads the config:
pydantic) once the first frame is on screen, then builds the client (httpx, the
key from the keyring), and Syncro's answer arrives as ``Connected``. Every screen but the queue is imported when first opened.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from textual import events, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..api import AuthError, NetworkError, SyncroError
from ..api.pacing import background, shared_pacer_problem
from ..domain.account import resolve_zone
from ..exit_codes import AUTH as EXIT_AUTH
from ..exit_codes import NETWORK as EXIT_NETWORK
from ..session import CannotConnect, Session
from .base import ShowsTicket
from .clocks import ClockKeys
from .navigation import Navigation
from .quitting import Quitting
from .messages import ClocksChanged, Connected, TicketChanged
from .queue import QueueScreen

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


class SyncroApp(Quitting, Navigation, ClockKeys):
    """The app: its screens, opened by message, and its start (the session, the cached queue, the connection)."""

    TITLE = "syncro-tui"
    CSS_PATH = str(styles_dir() / "app.tcss")
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "toggle_help", "Keys", key_display="?", id="app.help"),
        Binding("f1", "toggle_coach", "Coach", show=False, id="app.coach"),
    ]
    #: Below 120 columns the coach sits under the screen, not beside it.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    def __init__(self, session: Session) -> None:
        """``session``, built before the app runs: it is opened (may raise CannotConnect) once the first frame is
        painted."""
        super().__init__(session)
        #: Keys typed before the session was open, replayed once it is.
        self._early_keys: list[events.Key] = []
        #: The training lesson chosen from the demo's palette: the command line starts it once the demo ends.
        self.chosen_lesson: str | None = None
        self._log_handler: logging.Handler | None = None

    def get_default_screen(self) -> Screen[None]:
        return QueueScreen(self.queue_model)

    async def on_event(self, event: events.Event) -> None:
        """Before the session is open, keys wait for it and the mouse is ignored (nothing could act on them)."""
        if not self.session.opened and isinstance(event, events.InputEvent) and not event.is_forwarded:
            if isinstance(event, events.Key):
                self._early_keys.append(event)
            return
        await super().on_event(event)

    def on_ready(self) -> None:
        """The first frame is on screen: open the session and draw the cached queue, then connect.

        Reading the config happens here, after the first paint; the queue kept on this machine is drawn next,
        before the key is read and the client built (httpx; with --demo, seeding and starting the simulator),
        which ``connect`` does once that frame is out. Keys typed meanwhile wait.
        """
        if not self._or_end(self.session.open, "open the session"):
            return
        if self.session.config.keymap:
            self.set_keymap(self.session.config.keymap)
        if self.session.lesson:
            self.show_coach(True)
        self.queue_screen.set_sections()  # with the tech's own section and the config's filters
        if self.queue_screen.show_cached():  # the last queue seen on this machine: drawn before connecting
            self.call_after_refresh(self._rest_of_cache_then_connect)
        else:
            self.connect()

    def _rest_of_cache_then_connect(self) -> None:
        """The first rows are on screen: the rest of a big cached queue, then (once drawn) the client."""
        if self.queue_screen.show_rest_of_cache():
            self.connect_once_drawn()
        else:
            self.connect()

    @work(group="connect", exit_on_error=False)
    async def connect_once_drawn(self) -> None:
        """``connect`` once the app is quiet: the frames with every row and the section counts written first.

        Building the client imports httpx and the response models, a third of a second holding the interpreter;
        begun at the next refresh, it kept Textual's writer thread (and the layout the counts need) waiting for it.
        """
        await until_idle(limit=0.5)
        self.connect()

    def _or_end(self, step: Callable[[], object], what: str) -> bool:
        """One step of opening; when it fails the tech is told why and the app ends (False)."""
        try:
            step()
        except CannotConnect as exc:
            self.fatal(str(exc), exc.exit_code)
            return False
        except Exception as exc:  # whatever stops it, the tech is told and the app ends
            log.exception("could not %s", what)
            self.fatal(f"could not {what}: {exc}", 1)
            return False
        return True

    def connect(self) -> None:
        """Build the client, then ask Syncro whose key it is (``startup``)."""
        if not self._or_end(lambda: self.session.client, "make the connection to Syncro"):  # httpx, the key
            return
        try:
            from ..files import log_to

            self._log_handler = log_to(self.session.data_dir())
            self.log_file = Path(self._log_handler.baseFilename)
        except OSError:
            self.log_file = None  # warnings are then only on screen
        if self._early_keys:
            self.replay(self._early_keys)
            self._early_keys = []
        self.restore_drafts()
        cache = self.session.cache
        if cache is not None and cache.damage:  # found before the log existed: said now, in both
            log.warning("%s", cache.damage)
            self.notify(cache.damage[0].upper() + cache.damage[1:] + ". The queue is read from Syncro.",
                        title="Local cache", severity="warning", timeout=15)
        alone = shared_pacer_problem()
        if alone:  # said once; the status bar keeps saying "this window only"
            log.warning("%s", alone)
            self.notify(alone[0].upper() + alone[1:] + ".", title="Request budget", severity="warning", timeout=20)
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
            from .error_dialog import ErrorDialog

            self.push_screen(ErrorDialog("The write journal cannot be opened", self.writes_off))
            return
        self.writes = WritePath(self.session.client, journal, profile_name=self.session.profile_name,
                                user_id=self.session.profile.user_id, clock=self.session.now)
        if damage:
            from .error_dialog import ErrorDialog

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

    @work(exclusive=True, group="model-probe", exit_on_error=False)
    async def probe_model(self) -> None:
        """Once per run of the app (docs/rules.md §10): which host, if any, has the model."""
        drafter = self.session.drafter
        if drafter is None:
            return
        await drafter.probe()
        log.info("drafting model: %s", drafter.status)
        self.queue_screen.update_status()
        self.screen.refresh_bindings()  # a form already open drops ctrl+d from its footer when there is no model

    @property
    def queue_screen(self) -> QueueScreen:
        return self.screen_stack[0]  # type: ignore[return-value]

    @work(exclusive=True, group="startup", exit_on_error=False)
    async def startup(self) -> None:
        """Ask Syncro whose key this is and the account's settings; what follows is ``on_connected``."""
        reads = self.reads
        try:
            me = await reads.me()
        except AuthError as exc:
            self.fatal(str(exc), EXIT_AUTH)
            return
        except NetworkError as exc:
            if not self.queue_model.queue.tickets:
                self.fatal(str(exc), EXIT_NETWORK)
                return
            self.go_offline(str(exc))  # the cached queue is on screen: browse it, read-only
            return
        except SyncroError as exc:
            self.fatal(f"Syncro did not answer as expected: {exc}", 1)
            return
        try:
            settings = await reads.account_settings()
        except SyncroError:
            settings = None  # times stay in UTC; the queue still works
        self.post_message(Connected(me, settings))

    def on_connected(self, message: Connected) -> None:
        """Syncro answered: the key's owner and the account's zone are known, so the queue is read and the write
        path knows whose writes it records."""
        account, me = self.account, message.me
        if self.offline:
            self.offline = None
            self.queue_screen.warn(None)
            self.notify("Syncro answers again: the queue is being read, and writes are back on.", title="Connected",
                        timeout=8)
        account.me, account.unchecked = me, None
        cache = self.session.cache
        if cache is not None:
            cache.save_account(me=me)
        if self.session.lesson:  # training: the goal stays in sight for the whole lesson
            self.queue_screen.show_lesson(self.session.lesson)
        if self.writes is not None:
            self.writes.remember_owner(me)
        problem = self.attribution_problem()
        if problem:
            self.queue_screen.warn(problem)
            self.notify(problem, title="Whose key is this?", severity="error", timeout=30)
        if message.settings is not None:
            account.settings = message.settings
            account.time_zone, zone_problem = resolve_zone(message.settings.time_zone)
            if zone_problem:
                self.notify(zone_problem, title="Time zone", severity="warning", timeout=20)
        self.queue_screen.load()
        if self.writes is not None and self.writes.cut_short():  # not the ones another window is sending
            from .unfinished import UnfinishedScreen

            self.push_screen(UnfinishedScreen())
        self.check_products()
        self.read_ticket_settings()

    @work(exclusive=True, group="ticket-settings", exit_on_error=False)
    async def read_ticket_settings(self) -> None:
        """The account's statuses, techs and saved searches: the pickers, and the saved searches as sections."""
        try:
            self.account.tickets = await self.reads.ticket_settings()
        except SyncroError as exc:
            log.warning("ticket settings unavailable: %s", exc)  # the status and tech pickers say so when used
        else:
            cache = self.session.cache
            if cache is not None:
                cache.save_account(ticket_settings=self.account.tickets)  # sections and names, for a start offline
            self.queue_screen.set_sections()  # the account's saved searches join the sections
        self.queue_screen.update_status()  # the budget these reads used (the product check says its own)

    @work(exclusive=True, group="product-check", exit_on_error=False)
    async def check_products(self) -> None:
        """Once per run of the app, in the background: Syncro's products beside the rate table, in one call, so a
        billing run reads nothing for its product (the wizard shows a difference in its plan)."""
        try:
            with background():
                found = await self.reads.product_differences(self.session.config.rate_table())
        except SyncroError as exc:
            log.warning("products not checked against the rate table: %s", exc)  # the wizard asks for its own
        else:
            self.product_differences.update(found)
        self.queue_screen.update_status()  # the budget it used

    def go_offline(self, why: str) -> None:
        """Syncro cannot be reached at start: the cached queue stays on screen, read-only, and the app tries again."""
        queue = self.queue_screen
        self.offline = (f"Syncro cannot be reached ({why}). This is the queue as of {self.queue_model.as_of()}, kept on this "
                        "machine: read-only, and writes are off until Syncro answers. The app tries again every "
                        f"{self.session.config.queue.refresh_seconds} s.")
        queue.warn(self.offline)
        account, cache = self.account, self.session.cache
        known = cache.account() if cache is not None else None
        account.unchecked = "offline"
        if known is not None:
            account.last_known = known.me
            if account.tickets is None and known.ticket_settings is not None:
                account.tickets = known.ticket_settings  # the saved searches stay in the sections, as last read
                queue.set_sections()
        queue.set_connection(False, f"offline: as of {self.queue_model.as_of()}")
        self.set_timer(self.session.config.queue.refresh_seconds, self.startup, name="reconnect")

    def on_clocks_changed(self, message: ClocksChanged) -> None:
        if self.screen_stack:  # not once the app is closing
            self.queue_screen.update_status()

    def on_ticket_changed(self, message: TicketChanged) -> None:
        """The queue reads what changed; a view of that ticket further down the stack reads it again."""
        self.queue_screen.refresh_delta()
        for screen in self.screen_stack[1:]:
            if isinstance(screen, ShowsTicket) and screen.ticket_id == message.ticket_id:
                screen.ticket_changed()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p) offers the screen's actions, named for the selected ticket."""
        yield from super().get_system_commands(screen)
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand("Coach: show or hide (F1)", "What the field under the cursor is for, and the rule that applies",
                            self.action_toggle_coach)
        if self.session.opened and self.session.lessons:
            yield SystemCommand("Training: billing lessons", "Leave the demo for a lesson on a fresh simulator, "
                                "judged when you quit", self.pick_lesson)

    @work(group="lesson", exit_on_error=False)
    async def pick_lesson(self) -> None:
        """The demo's way into training: the lesson chosen, the demo ends and the lesson starts (``train``)."""
        from .dialogs import ChoiceScreen

        chosen = await self.push_screen_wait(ChoiceScreen(
            "Take a lesson: the demo ends, and the lesson starts on its own simulator (your name is asked first).",
            list(self.session.lessons)))
        if chosen:
            self.chosen_lesson = chosen
            self.ask_to_quit()  # asked first when something typed would be lost

    def pop_screen(self):
        """A dialog closed: alerts held while it was up are shown now."""
        done = super().pop_screen()
        self.call_after_refresh(self._after_dialog)
        return done

    def _after_dialog(self) -> None:
        if self.screen_stack and self.session.opened:
            self.queue_screen.deliver_alerts()

    def action_toggle_coach(self) -> None:
        self.show_coach(not self.coach)

    def show_coach(self, on: bool) -> None:
        """The coach panel on every screen at once (each screen's panel reads ``coach`` when it mounts)."""
        from .coach import CoachPanel

        self.coach = on
        for screen in self.screen_stack:
            for panel in screen.query(CoachPanel):
                panel.display = on
                panel.follow()

    def action_toggle_help(self) -> None:
        from .help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen, self.queue_model.sections if self.screen is self.queue_screen else ()))

    async def on_unmount(self) -> None:
        if self._log_handler is not None:
            logging.getLogger("syncro_tui").removeHandler(self._log_handler)
            self._log_handler.close()
        if self.writes is not None:
            self.writes.journal.close()
        if self.session.opened:
            await self.session.aclose()
