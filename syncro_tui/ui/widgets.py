"""Small widgets shared by the screens."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable, OptionList, Static
from textual.worker import Worker

from .base import OnSyncro
from .text import clean


class StatusBar(Static):
    """Whose key, which account, the API budget, the last refresh, the connection, the drafting model."""

    DEFAULT_CLASSES = "status-bar"

    def show(self, *, owner: str, account: str, used: int | None, limit: int | None, refreshed: str | None,
             connection: str, ok: bool, model: str = "", background: int = 0, alerts: int = 0) -> None:
        """``used`` and ``limit`` are None until the client exists (it is built after the first frame);
        ``background``: requests of a queue load waiting while the tech's calls go first; ``alerts``: tickets
        alerted and not looked at yet (first, so a narrow terminal keeps it)."""
        text = Text(no_wrap=True, overflow="ellipsis")
        if alerts:
            text.append(f" ⚑ {alerts} alert{'s' if alerts != 1 else ''} ", style="bold reverse yellow")
        text.append(" Key: ", style="dim")
        text.append(clean(owner), style="bold")
        text.append("  ")  # whose key and the connection first: a narrow terminal cuts the end of the line
        text.append("● " + connection, style="green" if ok else "bold red")
        text.append("  Account: ", style="dim")
        text.append(clean(account), style="bold reverse" if account == "DEMO" else "bold")
        text.append("  API: ", style="dim")
        text.append("–" if used is None else f"{used}/{limit} a min")
        if background:
            text.append(" · loading waits for you", style="italic")
        text.append("  Refreshed: ", style="dim")
        text.append(refreshed or "never")
        if model:
            text.append("  Model: ", style="dim")
            text.append(clean(model))
        self.update(text, layout=False)  # one line, always


class AttributionBanner(OnSyncro, Static):
    """A bar nobody can miss when the key is not the profile tech's."""

    DEFAULT_CLASSES = "attribution-banner"

    def on_mount(self) -> None:
        """A screen opened once the key is known shows the problem at once (the queue is warned at start)."""
        if self.app.account.me is not None:
            problem = self.app.attribution_problem()
            if problem:
                self.warn(problem)

    def warn(self, message: str) -> None:
        self.update(Text(" ⚠ " + clean(message), style="bold"))
        self.add_class("-shown")

    def clear(self) -> None:
        self.update("")
        self.remove_class("-shown")

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")


class ReportsFailures(OnSyncro):
    """For screens: a background task's failure reaches the app's report.

    ``Worker.StateChanged`` does not bubble, so without this a screen's worker
    that fails (``exit_on_error=False``) would fail silently.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.on_worker_state_changed(event)


class ListTable(DataTable[Text]):
    """A table of rows (activity, appointments, unfinished writes): ``j``/``k`` move as in the queue."""

    BINDINGS = [Binding("j", "cursor_down", "Down", show=False, id="list.down"),
                Binding("k", "cursor_up", "Up", show=False, id="list.up")]


class Choices(OptionList):
    """A list to pick from: ``j``/``k`` move as in the queue."""

    BINDINGS = [Binding("j", "cursor_down", "Down", show=False, id="choices.down"),
                Binding("k", "cursor_up", "Up", show=False, id="choices.up")]
