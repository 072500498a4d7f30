"""Running the app on the in-process simulator, deterministically."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from syncro_tui.api import Pacer
from syncro_tui.config import Config
from syncro_tui.session import Session
from syncro_tui.demo import in_process_session
from syncro_tui.simulator import DEMO_KEY, Simulator
from syncro_tui.ui.app import SyncroApp

from ..conftest import FIXED_NOW
from .pilot import settle  # noqa: F401 - for the tests

SIZE = (150, 40)
S = TypeVar("S")


def make_app(sim: Simulator, *, key: str = DEMO_KEY, user_id: int | None = 1843, config: Config | None = None,
             journal_path: Path | None = None, timeout: float = 20.0, first_section: str = "all") -> SyncroApp:
    """``first_section``: the tests start on All open unless their config says otherwise (the shipped first
    section, My open, has its own test)."""
    config = config or Config()
    if journal_path is None:  # a directory of its own, gone when the test run ends
        directory = Path(tempfile.mkdtemp(prefix="syncro-tui-test-"))
        atexit.register(shutil.rmtree, directory, True)
        journal_path = directory / "journal.sqlite"
    if "first_section" not in config.queue.model_fields_set:
        config = config.model_copy(update={"queue": config.queue.model_copy(update={"first_section": first_section})})
    # The pacer's clock stands still too: the status bar's "N/180 a min" is the calls made, never the time taken.
    pacer = Pacer(180, headroom=0, burst=179, clock=lambda: 0.0)
    app = SyncroApp(in_process_session(sim, key=key, user_id=user_id, config=config, clock=lambda: FIXED_NOW,
                                       pacer=pacer, journal_path=journal_path, retry_backoff=0.01,
                                       rate_limit_wait=0.01, timeout=timeout))
    shown: list[str] = []
    notify = app.notify

    def recording_notify(message: str, *, title: str = "", **kwargs) -> None:
        shown.append(f"{title}: {message}")
        notify(message, title=title, **kwargs)

    app.notify = recording_notify  # type: ignore[method-assign]
    app.shown = shown  # type: ignore[attr-defined]
    return app


async def wait_for_screen(pilot, kind: type[S]) -> S:
    """Pause until the screen on top is a ``kind`` (a worker waiting on a modal never settles)."""
    for _ in range(300):
        await pilot.pause()
        if isinstance(pilot.app.screen, kind):
            return pilot.app.screen
    raise AssertionError(f"{kind.__name__} never came up; the screen is {type(pilot.app.screen).__name__}")


def notices(app: SyncroApp) -> str:
    """Every notification shown so far, as one text."""
    return "\n".join(app.shown)  # type: ignore[attr-defined]


KEY_NAMES = {" ": "space", ".": "full_stop", ",": "comma", "-": "minus", ":": "colon", "\n": "enter",
             "!": "exclamation_mark"}


async def type_text(pilot, text: str) -> None:
    """Type ``text`` key by key, as a fast typist does: each character a real key event through the terminal
    driver, all sent before the app has drawn the first (a burst, as a terminal delivers them), then one wait
    for the app to be idle. ``pilot.press`` waits for idle after every key, ~50 ms each even when nothing
    happens: that was most of the suite's time."""
    from textual import events
    from textual._wait import wait_for_idle

    app = pilot.app
    for ch in text:
        key = KEY_NAMES.get(ch, ch)
        event = events.Key(key, "\r" if ch == "\n" else ch)
        event.set_sender(app)
        app._driver.send_message(event)
    await wait_for_idle(0)
    await pilot.pause()


async def burst(pilot, *keys: str) -> None:
    """Keys pressed as a fast typist presses them: all sent before the app has handled the first, then one wait
    (``pilot.press`` waits for the app to be idle after each)."""
    from textual import events
    from textual._wait import wait_for_idle

    for key in keys:
        event = events.Key(key, {"enter": "\r", "tab": "\t"}.get(key, key if len(key) == 1 else None))
        event.set_sender(pilot.app)
        pilot.app._driver.send_message(event)
    await wait_for_idle(0)
    await pilot.pause()


async def tab_to(pilot, screen, selector: str) -> None:
    """Tab until ``selector`` has the focus, as a tech would: the Tabs the focus chain says it takes, sent as one
    burst (a held key), then one wait; one Tab at a time after, should the chain have changed on the way."""
    target = screen.query_one(selector)
    chain = screen.focus_chain
    if screen.focused is not target and target in chain:
        at = chain.index(screen.focused) if screen.focused in chain else -1
        await burst(pilot, *["tab"] * ((chain.index(target) - at) % len(chain)))
    for _ in range(30):
        if screen.focused is target:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {selector}")


def rendered(screen, selector: str) -> str:
    """What a Static shows, as plain text on one line (so wrapping does not split phrases)."""
    from rich.console import Console

    console = Console(width=400, record=True, color_system=None)
    console.print(screen.query_one(selector).content)
    return " ".join(console.export_text().split())


def steady(pilot) -> None:
    """No blinking cursor in the screen's editors, so a snapshot is the same picture every time."""
    for editor in pilot.app.screen.query("Input, TextArea"):
        editor.cursor_blink = False


async def pick_customer(pilot, screen, text: str) -> None:
    """In a customer picker with the focus: type, wait for Syncro's autocomplete, pick the first name."""
    await type_text(pilot, text)
    for _ in range(100):
        await pilot.pause(0.05)
        searching = any(w.is_running for w in pilot.app.workers if w.group == "customer-search")
        # On a busy machine the debounce can lapse mid-word: the answer to pick from is the whole word's.
        if screen.query_one("#customers").option_count and not searching:
            break
    await pilot.press("down", "enter")


class HeldAnswer:
    """The simulator's ``asyncio`` with one change: a latency fault of ``HOLD`` seconds waits for ``release``
    instead of the clock, so a send is in flight for exactly as long as the test needs (no timing)."""

    HOLD = 3600.0

    def __init__(self) -> None:
        import asyncio

        self._asyncio = asyncio
        self.release = asyncio.Event()
        self.holding = asyncio.Event()

    def __getattr__(self, name: str):
        return getattr(self._asyncio, name)

    async def sleep(self, delay: float, *args) -> None:
        if delay == self.HOLD:
            self.holding.set()
            await self.release.wait()
            return
        await self._asyncio.sleep(delay, *args)


async def bill_as_the_wizard_would(session: Session, ticket_id: int, *, tz: ZoneInfo, **typed: object):
    """The billing run the wizard would send for a form typed as ``typed`` (its review, its plan, the write path
    with its journal and owner check, as ``SyncroApp.open_journal`` makes it), without drawing the screen. For
    the cases whose keys are the same as a case that is typed by keys, and whose point is what lands in Syncro.
    Returns the review and what the write path did."""
    from syncro_tui.domain.billing_form import BillingForm, default_end, review
    from syncro_tui.reads import Reads
    from syncro_tui.writes.journal import Journal
    from syncro_tui.writes.path import WritePath
    from syncro_tui.writes.plans import billing_run

    reads = Reads(session.client)
    situation = await reads.situation(ticket_id)
    form = BillingForm(description=situation.ticket.subject, ended=default_end(session.now(), tz))
    for name, value in typed.items():
        setattr(form, name, value)
    checked = review(form, situation, rates=session.config.rate_table(), now=session.now(), tz=tz)
    assert checked.run is not None, checked.all_problems
    journal = Journal(session.journal_file(), clock=session.now)
    try:
        path = WritePath(session.client, journal, profile_name=session.profile_name,
                         user_id=session.profile.user_id, clock=session.now)
        path.remember_owner(await reads.me())
        return checked, await path.execute(billing_run(checked.run))
    finally:
        journal.close()
        await session.aclose()
