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
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import App
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState

from ..api.redact import redact
from ..domain.account import Account, Drafts
from ..domain.text import clean
from ..exit_codes import AUTH as EXIT_AUTH
from ..session import Session

if TYPE_CHECKING:
    from ..reads import Reads
    from ..writes.path import WritePath

log = logging.getLogger("syncro_tui.ui")


class SyncroBase(App[None]):
    def __init__(self) -> None:
        super().__init__()
        #: None only until the first frame is painted, when the command line's session is opened.
        self.session: Session = None  # type: ignore[assignment]
        self.account = Account()
        self.drafts = Drafts()
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

    @property
    def reads(self) -> Reads:
        """What the screens read from Syncro, fetched and shaped (built with the client, after the first frame)."""
        return self.session.reads

    def ticket_numbers(self) -> dict[int, int]:
        """Ticket numbers by id, as far as the app knows them without asking Syncro."""
        return {}

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
        """Say in place that ``where`` stopped on a bug, and write a redacted report (the app shows the dialog)."""
        raise NotImplementedError

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

    @property
    def clocks(self) -> dict:
        """The tech's work clocks by ticket id (the app keeps them on disk; none here)."""
        return {}

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


class OnSyncro(MessagePump):
    """Mixed in first by a screen or widget: ``self.app`` is the typed ``SyncroBase``."""

    @property
    def app(self) -> SyncroBase:
        return cast(SyncroBase, super().app)


class ShowsTicket(OnSyncro):
    """A screen that shows one ticket: told when a write has changed it (``TicketChanged``)."""

    ticket_id: int

    def ticket_changed(self) -> None:
        """Read the ticket again."""
