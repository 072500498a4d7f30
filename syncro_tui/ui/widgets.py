"""Small widgets shared by the screens."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import DataTable, Footer, Input, OptionList, Static
from textual.widgets._footer import FooterKey
from textual.worker import Worker

from .base import OnSyncro
from .text import clean, literal
from .ticket_table import Column, fit


@dataclass(frozen=True)
class Status:
    """What the status bar says. ``used`` and ``limit`` are None until the client exists (it is built after the
    first frame); ``background``: requests of a queue load waiting while the tech's calls go first; ``alerts``:
    tickets alerted and not looked at yet (first, so a narrow terminal keeps it); ``scope``: whose budget the
    figure is ("office" is said; issue 37); ``alone``: the shared budget asked for could not be had, so the figure
    is this window's only, or this machine's while the office's Redis does not answer."""

    owner: str
    account: str
    used: int | None = None
    limit: int | None = None
    refreshed: str | None = None
    connection: str = ""
    ok: bool = True
    model: str = ""
    background: int = 0
    alerts: int = 0
    clocks: str = ""
    alone: bool = False
    scope: str = ""
    #: Tickets marked for a change on many, and marked tickets that left the queue since the last mark key.
    marked: int = 0
    unmarked: int = 0


def status_line(status: Status, *, short: bool) -> Text:
    """The status bar's one line; ``short`` for a narrow terminal (whose key and the connection first)."""
    s = status
    text = Text(no_wrap=True, overflow="ellipsis")
    if s.alerts:
        text.append(f" ⚑ {s.alerts}{'' if short else ' alert' + ('s' if s.alerts != 1 else '')} ",
                    style="bold reverse yellow")
    if s.marked or s.unmarked:
        words = f" ✔ {s.marked}{'' if short else ' marked'}"
        if s.unmarked:
            words += f" ({s.unmarked} left the queue)" if not short else f" -{s.unmarked}"
        text.append(words + " ", style="bold reverse magenta")
    text.append(" " if short else " Key: ", style="dim")
    text.append(clean(s.owner), style="bold")
    text.append("  ")  # whose key and the connection first: a narrow terminal cuts the end of the line
    text.append("● " + s.connection, style="green" if s.ok else "bold red")
    if s.clocks:  # the work clocks, right after the connection: the money a narrow terminal must not hide
        text.append("  " + s.clocks, style="bold cyan")
    budget = "–" if s.used is None else f"{s.used}/{s.limit}" + ("" if short else " a min")
    whose = _whose_budget(s, short=short)
    refresh = s.refreshed or "never"
    if short:  # the budget and the last refresh before the account's name (issue 33: 80 columns lost them)
        text.append("  API ", style="dim")
        text.append(budget)
        text.append(*whose)
        text.append("  ↻ ", style="dim")
        text.append(refresh)
    text.append("  " if short else "  Account: ", style="dim")
    text.append(clean(s.account), style="bold reverse" if s.account == "DEMO" else "bold")
    if not short:
        text.append("  API: ", style="dim")
        text.append(budget)
        text.append(*whose)
        if s.background:
            text.append(" · loading waits for you", style="italic")
        text.append("  Refreshed: ", style="dim")
        text.append(refresh)
    if s.model:
        text.append("  " if short else "  Model: ", style="dim")
        text.append(clean(s.model))
    return text


def _whose_budget(s: Status, *, short: bool) -> tuple[str, str]:
    """After the budget's figure: the office's (said), or a shared budget that could not be had (warned): the
    machine's while the office's Redis does not answer, the window's when the machine's cannot be used."""
    if s.used is None:
        return "", ""
    if s.scope == "office":
        return (" office" if short else ", office"), ""
    if s.alone:
        machine = s.scope == "machine"
        if short:
            return (" machine" if machine else " alone"), "bold yellow"
        return (" this machine only" if machine else " this window only"), "bold yellow"
    return "", ""


class StatusBar(Static):
    """Whose key, which account, the API budget, the last refresh, the connection, the drafting model: bound to
    its screen's ``status`` (``data_bind``), drawn again when it changes or the terminal's width does."""

    DEFAULT_CLASSES = "status-bar"
    status: Reactive[Status | None] = Reactive(None, layout=False)

    def watch_status(self) -> None:
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    def draw(self) -> None:
        if self.status is None:
            return
        text = status_line(self.status, short=False)
        if text.cell_len > (self.size.width or self.app.size.width):
            text = status_line(self.status, short=True)
        self.update(text, layout=False)  # one line, always


class Banner(Static):
    """A bar shown only while it has something to say: bound to a screen's reactive, or set by ``warn``."""

    message: Reactive[str | None] = Reactive(None)

    def watch_message(self, message: str | None) -> None:
        self.update(self.words(message) if message else "")
        self.set_class(bool(message), "-shown")

    def words(self, message: str) -> Text:
        return Text(" ⚠ " + clean(message), style="bold")

    def warn(self, message: str) -> None:
        self.message = message

    def clear(self) -> None:
        self.message = None

    @property
    def shown(self) -> bool:
        return bool(self.message)


class AttributionBanner(OnSyncro, Banner):
    """A bar nobody can miss when the key is not the profile tech's, or the queue is read-only."""

    DEFAULT_CLASSES = "attribution-banner"

    def on_mount(self) -> None:
        """A screen opened once the key is known shows the problem at once (the queue is warned at start)."""
        if self.app.account.me is not None:
            problem = self.app.attribution_problem()
            if problem:
                self.warn(problem)


class LessonBar(Banner):
    """Training: the lesson's goal, in sight for the whole lesson."""

    def words(self, message: str) -> Text:
        return literal(" Lesson: " + message + "  (q ends the lesson and judges it)", single_line=False)


class ReportsFailures(OnSyncro):
    """For screens: a background task's failure reaches the app's report.

    ``Worker.StateChanged`` does not bubble, so without this a screen's worker
    that fails (``exit_on_error=False``) would fail silently.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.on_worker_state_changed(event)


class ListTable(DataTable[Text]):
    """A table of rows (activity, appointments, unfinished writes): ``j``/``k`` move as in the queue.

    Its columns fit the width the way the queue's do (``fit``): on a narrow terminal the least important give
    way, each narrowing before it goes, and the growing one takes what a wide terminal has spare. So at 80
    columns each list keeps what a tech needs from it (issue 33). The rows are kept, and laid out again on a
    resize; the screens give them with ``show_rows``.
    """

    BINDINGS = [Binding("j", "cursor_down", "Down", show=False, id="list.down"),
                Binding("k", "cursor_up", "Up", show=False, id="list.up")]

    def __init__(self, columns: Sequence[Column], *, id: str | None = None, zebra_stripes: bool = False) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)
        self.spec = tuple(columns)
        self._rows: list[tuple[str, Sequence[Text]]] = []
        self._fitted: list[tuple[int, int]] = []

    def on_mount(self) -> None:
        self.lay_out()

    def on_resize(self) -> None:
        self.lay_out()

    def show_rows(self, rows: Iterable[tuple[str, Sequence[Text]]]) -> None:
        """The rows, by key, each with a cell per column of the spec; the cursor keeps its place."""
        self._rows = list(rows)
        self.lay_out(force=True)

    def lay_out(self, *, force: bool = False) -> None:
        width = self.size.width or self.app.size.width
        fitted = fit(self.spec, width - 2, gap=2 * self.cell_padding)  # the vertical scrollbar's room kept
        if fitted == self._fitted and not force:
            return
        self._fitted = fitted
        keep = self.cursor_row
        self.clear(columns=True)
        for index, size in fitted:
            column = self.spec[index]
            self.add_column(column.label, width=size, key=column.key)
        for key, cells in self._rows:
            self.add_row(*(cut(cells[index], size) for index, size in fitted), key=key)
        if self._rows:
            self.move_cursor(row=min(max(keep, 0), len(self._rows) - 1))

    @property
    def shown_keys(self) -> list[str]:
        """The keys of the columns shown, in order."""
        return [str(column.key.value) for column in self.ordered_columns]


def cut(cell: Text, width: int) -> Text:
    """The cell at most ``width`` cells wide, an ellipsis marking what was cut (DataTable cuts silently)."""
    if cell.cell_len <= width:
        return cell
    cell = cell.copy()
    cell.truncate(width, overflow="ellipsis")
    return cell


class Choices(OptionList):
    """A list to pick from: ``j``/``k`` move as in the queue."""

    BINDINGS = [Binding("j", "cursor_down", "Down", show=False, id="choices.down"),
                Binding("k", "cursor_up", "Up", show=False, id="choices.up")]


class OneLineInput(Input):
    """An input of a fixed size whose typing repaints only itself.

    Textual's Input sets its virtual size on every key, and a virtual size
    lays out the whole screen: on the queue's filter box that was a full
    layout and repaint of every widget per key, beside the table's own.
    Its size is fixed by CSS and it has no scrollbars, so nothing is laid out.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class FittingFooter(Footer):
    """Textual's footer made to fit the terminal, whatever ``[keymap]`` renamed the keys to.

    A screen lists its bindings most important first, and the footer keeps
    that order (Textual moves a remapped binding to the end). When they are
    wider than the footer, the last ones give way; "? Keys" (help, which lists
    every key and its id) and the palette always stay.
    """

    KEEP = frozenset({"toggle_help", "app.toggle_help"})
    _shown: tuple | None = None

    def __init__(self, *, compact: bool = True, **kwargs) -> None:
        # Compact: more keys fit, and each key is made without restyling (a key is born compact), which took
        # half of the frame when the footer was rebuilt on leaving the filter box.
        super().__init__(compact=compact, **kwargs)

    @staticmethod
    def quiet(screen) -> frozenset[str]:
        """Actions the screen keeps working but out of the footer (``footer_quiet``): ctrl+d with no model
        reachable still says so when pressed, but is not offered."""
        quiet = getattr(screen, "footer_quiet", None)
        return frozenset(quiet()) if quiet else frozenset()

    def shown_keys(self, screen) -> tuple:
        """What the footer would show: Textual redraws it on every focus change, even when this is the same."""
        quiet = self.quiet(screen)
        return tuple((binding.key, self.app.get_key_display(binding), binding.description, binding.action, enabled,
                      tooltip) for _, binding, enabled, tooltip in screen.active_bindings.values()
                     if binding.show and binding.action not in quiet)

    def bindings_changed(self, screen) -> None:
        # Moving between the filter box and the table changes no key shown: rebuilding some twenty keys and
        # their styles for nothing took longer than the rest of the frame.
        if self._shown is not None and screen is self.screen and self.shown_keys(screen) == self._shown:
            return
        super().bindings_changed(screen)

    def compose(self):
        declared = [b.action if isinstance(b, Binding) else b[1]
                    for b in (*type(self.screen).BINDINGS, *type(self.app).BINDINGS)]
        rank = {action: n for n, action in reversed(list(enumerate(declared)))}
        quiet = self.quiet(self.screen)
        keys = [key for key in super().compose()  # a focused widget's own keys (not declared here) stay first
                if getattr(key, "action", None) not in quiet]
        self._shown = self.shown_keys(self.screen) if keys else None  # None: nothing drawn yet
        last = len(declared)  # the palette, docked at the right
        yield from sorted(keys, key=lambda key: last if key.has_class("-command-palette")
                          else rank.get(getattr(key, "action", None), -1))
        self.call_after_refresh(self.fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        keys = [key for key in self.query_children(FooterKey) if "-command-palette" not in key.classes]
        if not keys or not self.size.width:
            return
        docked = sum(self.width_of(key) for key in self.query_children(FooterKey) if "-command-palette" in key.classes)
        room = self.size.width - docked - sum(self.width_of(key) for key in keys if key.action in self.KEEP)
        cut = False
        for key in keys:
            if key.action in self.KEEP:
                continue
            width = self.width_of(key)
            cut = cut or width > room  # the order is the importance: once one gives way, so do the rest
            if key.display is cut:  # set only when it changes: each setting lays the screen out again
                key.display = not cut
            room -= 0 if cut else width

    def width_of(self, key: FooterKey) -> int:
        styles = key.styles
        return key.get_content_width(self.size, self.size) + styles.gutter.width + styles.margin.width
