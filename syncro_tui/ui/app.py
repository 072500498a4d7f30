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
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ..api import AuthError, NetworkError, SyncroError
from ..api.pacing import background, shared_pacer_problem
from ..domain.account import resolve_zone
from ..exit_codes import AUTH as EXIT_AUTH
from ..exit_codes import NETWORK as EXIT_NETWORK
from ..session import CannotConnect, Session
from ..session.queue import QueueModel
from .base import ShowsTicket, SyncroBase
from .messages import (OpenActivity, OpenAppointments, OpenBilling, OpenComment, OpenNewTicket, OpenSweep, OpenTicket,
                       OpenUnfinished, StopClock, TicketChanged, ToggleClock)
from .queue import QueueScreen
from .text import literal
from .widgets import AttributionBanner

if TYPE_CHECKING:  # imported on first use: the clocks are not needed for the first frame
    from ..api.models import Timer
    from ..domain.clock import Clock, LiveTimer
    from ..domain.plan import Plan
    from ..domain.rates import Rate
    from ..writes.clocks import ClockStore
    from ..writes.drafts import DraftStore

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


class SyncroApp(SyncroBase):
    TITLE = "syncro-tui"
    CSS_PATH = str(styles_dir() / "app.tcss")
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "toggle_help", "Keys", key_display="?", id="app.help"),
        Binding("f1", "toggle_coach", "Coach", show=False, id="app.coach"),
    ]
    #: Below 120 columns the coach sits under the screen, not beside it.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    def __init__(self, session: Session | Callable[[], Session]) -> None:
        """``session``, or what opens it (may raise CannotConnect), called once the first frame is painted."""
        super().__init__()
        opened = isinstance(session, Session)
        if opened:
            self.session = session
        self._open = None if opened else session
        #: The queue the first screen shows, and the tech's place in it (the session joins it once open).
        self.queue_model = QueueModel(self.account, self.session if opened else None)
        #: Keys typed before the session was open, replayed once it is.
        self._early_keys: list[events.Key] = []
        self._asking_quit = False
        #: The training lesson chosen from the demo's palette: the command line starts it once the demo ends.
        self.chosen_lesson: str | None = None
        self._log_handler: logging.Handler | None = None
        self._clocks: dict[int, Clock] | None = None
        #: The tech's own Syncro timers running or paused, by ticket (docs/rules.md §13), as last read or moved.
        self.live_timers: dict[int, LiveTimer] = {}
        #: Whether the account has Syncro's live timers (None: not known yet; False: the clock stays on this machine).
        self.live_account: bool | None = None
        #: Why unsent drafts cannot be kept on disk (None: they are, at each change).
        self.drafts_unkept: str | None = None
        #: The coach panel is shown (F1): from the start in training, off otherwise.
        self.coach = False

    def get_default_screen(self) -> Screen[None]:
        return QueueScreen(self.queue_model)

    async def on_event(self, event: events.Event) -> None:
        """Before the session is open, keys wait for it and the mouse is ignored (nothing could act on them)."""
        if self.session is None and isinstance(event, events.InputEvent) and not event.is_forwarded:
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
        if self.session is None and not self._or_end(self._open_session, "open the session"):
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

    def _open_session(self) -> None:
        self.session = self.queue_model.session = self._open()  # type: ignore[misc]

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

    def ticket_numbers(self) -> dict[int, int]:
        return {t.id: t.number for t in self.queue_model.queue.tickets.values()}

    @work(exclusive=True, group="startup", exit_on_error=False)
    async def startup(self) -> None:
        reads, account = self.reads, self.account
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
        if self.offline:
            self.offline = None
            self.queue_screen.query_one("#attribution", AttributionBanner).clear()
            self.notify("Syncro answers again: the queue is being read, and writes are back on.", title="Connected",
                        timeout=8)
        account.me, account.unchecked = me, None
        cache = self.session.cache
        if cache is not None:
            cache.save_account(me=me)
        if self.session.lesson:  # training: the goal stays in sight for the whole lesson
            bar = self.queue_screen.query_one("#lesson-bar", Static)
            bar.update(literal(" Lesson: " + self.session.lesson + "  (q ends the lesson and judges it)",
                               single_line=False))
            bar.add_class("-shown")
        if self.writes is not None:
            self.writes.remember_owner(me)
        problem = self.attribution_problem()
        if problem:
            self.queue_screen.query_one("#attribution", AttributionBanner).warn(problem)
            self.notify(problem, title="Whose key is this?", severity="error", timeout=30)
        try:
            settings = await reads.account_settings()
        except SyncroError:
            pass  # times stay in UTC; the queue still works
        else:
            account.settings = settings
            account.time_zone, zone_problem = resolve_zone(settings.time_zone)
            if zone_problem:
                self.notify(zone_problem, title="Time zone", severity="warning", timeout=20)
        self.queue_screen.load()
        if self.writes is not None and self.writes.cut_short():  # not the ones another window is sending
            from .unfinished import UnfinishedScreen

            await self.push_screen(UnfinishedScreen())
        self.check_products()
        try:
            account.tickets = await reads.ticket_settings()
        except SyncroError as exc:
            log.warning("ticket settings unavailable: %s", exc)  # the status and tech pickers say so when used
        else:
            if cache is not None:
                cache.save_account(ticket_settings=account.tickets)  # sections and names, for a start offline
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
        queue.query_one("#attribution", AttributionBanner).warn(self.offline)
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

    # ------------------------------------------------------------ navigation: each screen imported on first use
    def on_open_ticket(self, message: OpenTicket) -> None:
        from .ticket import TicketScreen

        self.push_screen(TicketScreen(message.ticket_id))

    def on_open_billing(self, message: OpenBilling) -> None:
        from .billing import BillingScreen
        from .writing import key_allowed

        if not key_allowed(self):  # refused at the first key, not after the tech has filled the wizard in
            return
        self.push_screen(BillingScreen(message.ticket_id))

    # ------------------------------------------------------------ unsent drafts, kept on disk
    @cached_property
    def draft_store(self) -> DraftStore:
        from ..writes.drafts import DraftStore

        return DraftStore.for_profile(self.session.data_dir(), self.session.profile_name)

    def keep_drafts(self) -> None:
        """Write what the tech has typed and not sent, at each change: a crash or a kill loses none of it."""
        if self.session is None:
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

    # ------------------------------------------------------------ work clocks
    @cached_property
    def clock_store(self) -> ClockStore:
        from ..writes.clocks import ClockStore

        return ClockStore.for_profile(self.session.data_dir(), self.session.profile_name)

    @property
    def clocks(self) -> dict[int, Clock]:
        """The work clocks of this profile, as last read or written (read once at first use)."""
        if self._clocks is None:
            self._clocks = self.clock_store.load()
            if self.clock_store.damage:
                self.notify(self.clock_store.damage, title="Work clocks", severity="error", timeout=20)
        return self._clocks

    def change_clocks(self, edit: Callable[[dict[int, Clock]], None]) -> bool:
        """Change the clocks on disk (read again first: another window may have changed them); False when the
        file cannot be written, which the tech is told (nothing is pretended)."""
        try:
            self._clocks = self.clock_store.change(edit)
        except OSError as exc:
            self.notify(f"The work clock could not be saved ({exc}): nothing changed.", title="Work clock",
                        severity="error", timeout=15)
            return False
        self.queue_screen.update_status()
        return True

    def clock_words(self) -> str:
        """ "⏱ #31996 ▶ 0:25  #31990 ‖ 1:10 in Syncro" for the status bar ('' with no clock)."""
        now = self.session.now() if self.session else None
        if not self.session or now is None or not (self.clocks or self.live_timers):
            return ""
        here = [c.shown(now) for c in sorted(self.clocks.values(), key=lambda c: c.started_at)]
        return "⏱ " + "  ".join(here + [t.shown(now) for t in self.live_timers.values()])

    # ----------------------------------------------- the work clock on Syncro's live timers
    def on_live_timers(self) -> bool:
        """``w`` keeps the clock in Syncro: the shop wants it there ([clock] where) and the account is not known to
        lack live timers, and the profile says whose timers they are."""
        config = self.session.config.clock
        return config.where == "syncro" and self.live_account is not False and self.session.profile.user_id is not None

    async def read_live_timers(self) -> None:
        """The tech's running Syncro timers, from any machine (one background request, with the refresh).

        An account without live timers ignores the filters and lists timers without a state: then the clock
        stays on this machine. Paused timers are not listed by this read; the ones this app paused are kept."""
        from ..domain.clock import LiveTimer

        user_id = self.session.profile.user_id
        if self.reads is None or user_id is None or self.session.config.clock.where != "syncro" \
                or self.live_account is False:
            return
        try:
            with background():
                page = await self.reads.running_timers(user_id)
        except SyncroError:
            return  # the queue's own refresh says when Syncro cannot be reached
        if page.items and any(t.status is None for t in page.items):
            self.live_account = False
            self.live_timers = {}
            return
        if page.items:
            self.live_account = True
        now = self.session.now()
        running = {t.ticket_id: LiveTimer(t, self.number_of(t.ticket_id), now) for t in page.items}
        paused = {k: v for k, v in self.live_timers.items() if not v.running and k not in running}
        self.live_timers = running | paused
        self.queue_screen.update_status()

    def number_of(self, ticket_id: int) -> int | None:
        """The number the tech knows a ticket by, where the queue has it (an id is never shown as a number)."""
        row = self.queue_model.queue.tickets.get(ticket_id)
        return row.number if row is not None else None

    @work(group="work-clock", exit_on_error=False)
    async def live_clock(self, message: ToggleClock) -> None:
        """``w`` on Syncro's live timers: start one (the labor type picked, or the shop's), pause or resume it; each a
        confirmed write. Where the account has none (404), the clock is kept on this machine from now on."""
        from ..api.models import Timer
        from ..domain.plan import live_timer

        held = self.live_timers.get(message.ticket_id)
        if held is None:
            rate = await self.clock_rate(message.number)
            if rate is None:
                return
            plan = live_timer(message.ticket_id, message.number, message.subject, rate=rate)
        else:
            move = "pause_timer" if held.running else "start_timer"
            plan = live_timer(message.ticket_id, message.number, message.subject, timer=held.timer, move=move,
                              minutes=held.minutes(self.session.now()))
        timer = await self.send_timer_plan(plan)
        if timer is None and self.live_account is False:
            self.on_toggle_clock(message)  # the account has no live timers: the clock on this machine
        elif isinstance(timer, Timer):
            self.keep_live(timer, message.number)
            said = "running in Syncro: W stops it and bills the time" if timer.status == "running" else "paused: w resumes it"
            self.notify(f"Timer on #{message.number} {said}.", title="Work clock", timeout=6)

    async def clock_rate(self, number: int) -> Rate | None:
        """The labor type a new Syncro timer starts with: the shop's ([clock] labor), else the tech's pick."""
        from ..domain.rates import Unit
        from .billing import LABOR_LABELS
        from .dialogs import ChoiceScreen

        rates = self.session.config.rate_table()
        if self.session.config.clock.labor is not None:
            return rates.for_type(self.session.config.clock.labor)
        choices = [(r.labor_type.value, LABOR_LABELS[r.labor_type]) for r in rates.rates
                   if r.unit is Unit.HOUR and not r.explicit_only]
        picked = await self.push_screen_wait(ChoiceScreen(f"Start a timer in Syncro on #{number}: what kind of work "
                                                          "is it? (the wizard asks again when it is billed)", choices))
        return rates.for_type(picked) if picked else None

    async def send_timer_plan(self, plan: Plan) -> Timer | None:
        """A timer's move confirmed and sent; the timer as Syncro answers it (None when nothing landed; a 404 at the
        first call marks the account as without live timers, and says so)."""
        from ..api.models import Timer
        from .writing import confirm_and_send

        outcome = await confirm_and_send(self, plan, says_done=True)
        if outcome is None:
            return None
        stop = outcome.stopped
        if stop is not None and stop.status == 404 and plan.steps[0].call == "start_live_timer":
            self.live_account = False
            self.notify("This account has no live timers in Syncro: the work clock is kept on this machine.",
                        title="Work clock", severity="warning", timeout=10)
            return None
        if not outcome.done:
            return None
        self.live_account = True
        return outcome.record(Timer)

    def keep_live(self, timer: Timer, number: int | None) -> None:
        from ..domain.clock import LiveTimer

        if timer.live:
            self.live_timers[timer.ticket_id] = LiveTimer(timer, number, self.session.now())
        else:
            self.live_timers.pop(timer.ticket_id, None)
        self.queue_screen.update_status()

    def on_toggle_clock(self, message: ToggleClock) -> None:
        from ..domain.clock import Clock

        if message.ticket_id not in self.clocks and self.on_live_timers():
            self.live_clock(message)
            return

        now = self.session.now()
        said: list[str] = []

        def edit(clocks: dict[int, Clock]) -> None:
            clock = clocks.get(message.ticket_id)
            if clock is None:
                clocks[message.ticket_id] = Clock.start(message.ticket_id, message.number, message.subject, now)
                said.append("started: W stops it and bills the time")
            elif clock.stopped:
                said.append("is stopped and waits to be billed: W bills it")
            else:
                clocks[message.ticket_id] = clock = clock.toggled(now)
                said.append("running again" if clock.running else "paused: w resumes it")

        if self.change_clocks(edit):
            self.notify(f"Work clock on #{message.number} {said[0]}.", title="Work clock", timeout=6)

    def on_stop_clock(self, message: StopClock) -> None:
        self.stop_clock(message.ticket_id)

    @work(group="work-clock", exit_on_error=False)
    async def stop_clock(self, ticket_id: int) -> None:
        """Stop the clock and open the wizard with its minutes and end filled in; a long clock, or one across
        midnight, asks first (and keeps running when the tech says not now)."""
        from ..domain.billing_form import BillingForm
        from ..domain.clock import concerns
        from ..domain.when import typed
        from .billing import BillingScreen
        from .dialogs import ChoiceScreen

        clock = self.clocks.get(ticket_id)
        held = self.live_timers.get(ticket_id)
        if clock is None and held is not None:
            await self.stop_live(held)
            return
        if clock is None:
            self.notify("No work clock on this ticket: w starts one.", title="Work clock", timeout=6)
            return
        now, tz = self.session.now(), self.account.time_zone
        stopped = clock.stop(now) if not clock.stopped else clock
        asked = concerns(stopped, now, tz)
        if asked and not clock.stopped:
            answer = await self.push_screen_wait(ChoiceScreen(
                f"Stop the work clock on #{clock.number}?\n" + "\n".join(f"⚠ {a}" for a in asked),
                [("use", f"Bill {stopped.minutes(now)} min as worked"), ("keep", "Not now: the clock goes on")]))
            if answer != "use":
                return
        if not self.change_clocks(lambda clocks: clocks.__setitem__(ticket_id, stopped)):
            return
        draft = self.drafts.billing.setdefault(ticket_id, BillingForm())
        draft.minutes = str(stopped.minutes(now))
        draft.ended = typed(stopped.ended_at(now), tz)
        if asked:
            draft.long_confirmed = draft.long_confirmed or stopped.minutes(now) > 24 * 60
        self.push_screen(BillingScreen(ticket_id))

    async def stop_live(self, held: LiveTimer) -> None:
        """``W`` on a Syncro timer: stopped (confirmed), then the wizard bills that timer with its minutes and end.
        Whether Syncro charged it on stopping is read by the wizard from the ticket, never assumed."""
        from ..domain.billing_form import BillingForm
        from ..domain.plan import live_timer
        from ..domain.ticket import timer_minutes
        from ..domain.when import typed
        from .billing import BillingScreen

        timer = held.timer
        plan = live_timer(timer.ticket_id, held.number, "", timer=timer, move="stop_timer",
                          minutes=held.minutes(self.session.now()))
        stopped = await self.send_timer_plan(plan)
        if stopped is None:
            return
        self.keep_live(stopped, held.number)
        draft = self.drafts.billing.setdefault(timer.ticket_id, BillingForm())
        draft.minutes = str(max(timer_minutes(stopped), 1))
        draft.ended = typed(stopped.end_time or self.session.now(), self.account.time_zone)
        draft.live_timer = stopped.id
        self.push_screen(BillingScreen(timer.ticket_id))

    def billed(self, ticket_id: int) -> None:
        """A billing run of the ticket is in Syncro: its stopped clock has been billed and goes."""
        clock = self.clocks.get(ticket_id)
        if clock is not None and clock.stopped:
            self.change_clocks(lambda clocks: clocks.pop(ticket_id, None))

    def on_open_comment(self, message: OpenComment) -> None:
        from .writing import key_allowed

        if not key_allowed(self):
            return
        from .comment import CommentScreen

        self.push_screen(CommentScreen(message.ticket))

    def on_open_new_ticket(self, message: OpenNewTicket) -> None:
        from .writing import key_allowed

        if not key_allowed(self):
            return
        from .new_ticket import NewTicketScreen

        self.push_screen(NewTicketScreen())

    def on_open_appointments(self, message: OpenAppointments) -> None:
        from .appointments import AppointmentsScreen

        self.push_screen(AppointmentsScreen())

    def on_open_unfinished(self, message: OpenUnfinished) -> None:
        if self.writes is None or not self.writes.open_groups():
            self.notify("No unfinished writes.", timeout=4)
            return
        from .unfinished import UnfinishedScreen

        self.push_screen(UnfinishedScreen())

    def on_open_activity(self, message: OpenActivity) -> None:
        from .activity import ActivityScreen

        self.push_screen(ActivityScreen())

    def on_open_sweep(self, message: OpenSweep) -> None:
        from .sweep import SweepScreen

        self.push_screen(SweepScreen())

    def on_ticket_changed(self, message: TicketChanged) -> None:
        """The queue reads what changed; a view of that ticket further down the stack reads it again."""
        self.queue_screen.refresh_delta()
        for screen in self.screen_stack[1:]:
            if isinstance(screen, ShowsTicket) and screen.ticket_id == message.ticket_id:
                screen.ticket_changed()

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

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p) offers the screen's actions, named for the selected ticket."""
        yield from super().get_system_commands(screen)
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand("Coach: show or hide (F1)", "What the field under the cursor is for, and the rule that applies",
                            self.action_toggle_coach)
        if self.session is not None and self.session.lessons:
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

    async def action_quit(self) -> None:
        """Quit; first ask when a write is being sent or something typed has not been sent (drafts end with the app)."""
        if not self._asking_quit:
            self.ask_to_quit()

    @work(group="quit", exit_on_error=False)
    async def ask_to_quit(self) -> None:
        sending = self.writes is not None and self.writes.sending > 0
        # Drafts are kept on disk and come back at the next start: only asked about when they could not be kept.
        unsent = self.drafts.unsent(self.ticket_numbers()) if self.drafts_unkept else []
        if not sending and not unsent:
            self.leave()
            return
        from .dialogs import ChoiceScreen

        reasons = (["a write is being sent to Syncro now: quitting stops it between calls, and the next start "
                    "offers to finish it"] if sending else [])
        if unsent:
            reasons.append("not sent yet, and lost on quitting (they could not be kept on this machine): "
                           + ", ".join(unsent))
        self._asking_quit = True  # q again while asked: the question stays, once
        try:
            answer = await self.push_screen_wait(ChoiceScreen(
                "Quit?\n" + "\n".join(f"• {r[0].upper()}{r[1:]}." for r in reasons),
                [("stay", "Stay"), ("quit", "Quit anyway")]))
        finally:
            self._asking_quit = False
        if answer == "quit":
            self.leave()

    def pop_screen(self):  # type: ignore[override]
        """A dialog closed: alerts held while it was up are shown now."""
        done = super().pop_screen()
        self.call_after_refresh(self._after_dialog)
        return done

    def _after_dialog(self) -> None:
        if self.screen_stack and self.session is not None:
            self.queue_screen.deliver_alerts()

    def leave(self) -> None:
        """Quit, keeping where the tech is in the queue for the next start."""
        if self.session is not None:
            self.queue_screen.remember_place()
        self.exit()

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
        if self.session is not None:
            await self.session.aclose()
