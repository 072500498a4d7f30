"""A table that draws only the rows on screen, so 5,000 tickets filter as fast as 50.

Textual's DataTable measures every cell of every row it is given (about
0.2 ms a row here), so re-adding 5,000 rows on each filter keystroke took a
second. This widget keeps its rows as a Python list of keys with their cells
(Rich ``Text``, made once per ticket version by the screen) and renders only
the visible lines (Textual's Line API). Columns fit the width (``fit``): the
least important give way on a narrow terminal and the growing one (the subject)
takes what a wide one has spare; the header stays put while the rows scroll;
the cursor stays on its row's key whenever rows are replaced, inserted or removed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

#: Drawn rows kept (least recently drawn dropped first): a few screens' worth.
STRIP_CACHE = 400


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    #: Its width when there is room.
    width: int
    #: How narrow it may get before columns give way (None: it keeps its width).
    least: int | None = None
    #: Importance: 0 always shown; the highest gives way first on a narrow terminal.
    rank: int = 0
    #: Takes the width a wide terminal has spare (one column: the subject).
    grow: bool = False
    #: A shorter form of a cell's text when it does not fit (before it is cut with an ellipsis), so that a narrow
    #: column keeps values apart: ("text", width) -> text.
    short: Callable[[str, int], str] | None = None


def fit(columns: Sequence[Column], total: int, *, core: int = 3, gap: int = 1) -> list[tuple[int, int]]:
    """The columns shown in ``total`` cells, as (index, width) in the columns' order.

    Each column costs its width and ``gap`` (a space here; a DataTable pads both sides). Too narrow: the columns beyond the ``core`` ranks give way, the
    least important first, each narrowing before it goes; then the core columns narrow; then they too give
    way (rank 0 never). Width left over goes back to the narrowed columns (the most important first), then
    to the growing column.
    """
    widths = {i: c.width for i, c in enumerate(columns)}

    def over() -> int:
        return sum(w + gap for w in widths.values()) - total

    def narrow(i: int) -> None:
        least = columns[i].least
        if least is not None and over() > 0:
            widths[i] = max(least, widths[i] - over())

    by_rank = sorted(range(len(columns)), key=lambda i: (-columns[i].rank, -i))
    for i in by_rank:
        if over() <= 0 or columns[i].rank <= core:
            break
        narrow(i)
        if over() > 0:
            del widths[i]
    for i in by_rank:
        if i in widths:
            narrow(i)
    for i in by_rank:
        if over() <= 0 or columns[i].rank == 0:
            break
        widths.pop(i, None)
    for i in sorted(widths, key=lambda i: columns[i].rank):  # room left: the narrowed get theirs back first
        if over() < 0 and widths[i] < columns[i].width:
            widths[i] = min(columns[i].width, widths[i] - over())
    grow = next((i for i in widths if columns[i].grow), None)
    if grow is not None and over() < 0:
        widths[grow] -= over()
    return sorted(widths.items())


class TicketTable(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"ticket-table--header", "ticket-table--cursor", "ticket-table--odd"}
    DEFAULT_CSS = """
    TicketTable {
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        & > .ticket-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .ticket-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .ticket-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
        & > .ticket-table--odd { background: $surface-lighten-1 20%; }
    }
    """
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    #: repaint=False: a cursor move redraws its two rows (watch_cursor_row), not the whole table (30 KB a key).
    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        def __init__(self, table: TicketTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> TicketTable:
            return self.table

    class Selected(Highlighted):
        pass

    class HeaderClicked(Message):
        """A click on a column's header (the screen sorts by it)."""

        def __init__(self, table: TicketTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

    def __init__(self, columns: Sequence[Column], *, id: str | None = None,
                 source: Callable[[str], Sequence[Text]] | None = None) -> None:
        """``source``: makes a row's cells from its key when the row is first drawn, so a queue of 20,000
        rows costs only the rows on screen (rows given with their cells need none)."""
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.keys: list[str] = []
        #: The cells of the rows made so far, by key.
        self.cells: dict[str, Sequence[Text]] = {}
        self.source = source
        self._index: dict[str, int] | None = {}
        #: The columns drawn at the current width, as (index, width).
        self.shown = fit(self.columns, sum(c.width + 1 for c in self.columns))
        #: The column the rows are sorted by and whether descending, shown in its header (None: the queue's order).
        self.sorted: tuple[str, bool] | None = None
        self._header = [Text(c.label) for c in self.columns]
        #: Drawn rows by (cells, style): scrolling and refiltering redraw without re-rendering text.
        self._strips: OrderedDict[tuple[str, Style], tuple[Sequence[Text], Strip]] = OrderedDict()
        #: The widget's style during a drawing pass (``render_lines``).
        self._base_style: Style | None = None

    # ---------------------------------------------------------------- data
    @property
    def row_count(self) -> int:
        return len(self.keys)

    @property
    def cursor_key(self) -> str | None:
        return self.keys[self.cursor_row] if 0 <= self.cursor_row < len(self.keys) else None

    def index_of(self, key: str) -> int | None:
        if self._index is None:
            self._index = {k: i for i, k in enumerate(self.keys)}
        return self._index.get(key)

    def cell(self, key: str, column: str) -> Text:
        return self.cells_of(key)[self._column(column)]

    def row(self, index: int) -> Sequence[Text]:
        return self.cells_of(self.keys[index])

    def cells_of(self, key: str) -> Sequence[Text]:
        cells = self.cells.get(key)
        if cells is None:
            if self.source is None:
                raise KeyError(key)
            cells = self.cells[key] = self.source(key)
        return cells

    def set_keys(self, keys: list[str]) -> None:
        """Replace every row by key. Cells already made are kept for the rows still shown (a filter keystroke
        re-renders no text); the others' are made by ``source`` as they are drawn."""
        keep = self.cursor_key
        self.keys = keys
        self._changed(keep)

    def reorder(self, keys: list[str], stale: Iterable[str] = ()) -> None:
        """The rows now in this order; the ``stale`` rows (changed) are made again when next drawn. One index
        rebuild, one redraw; only the rows drawn ever have cells, so a page of arrivals renders nothing."""
        keep = self.cursor_key
        for key in stale:
            self.cells.pop(key, None)
        self.keys = keys
        self._changed(keep)

    def update_row(self, key: str, cells: Sequence[Text]) -> None:
        self.cells[key] = cells
        index = self.index_of(key)
        if index is not None:
            self.refresh_row(index)

    def clear(self) -> None:
        self.set_keys([])

    def _changed(self, keep: str | None) -> None:
        self._index = None
        self.cells = {key: cells for key, cells in self.cells.items() if self.index_of(key) is not None}
        size = Size(self._width(), len(self.keys) + 1)
        if size != self.virtual_size:
            # Not a layout pass for the whole screen on each filter key: the table's own size is all that
            # changed, so its scrollbars are set in place (showing or hiding one still lays the screen out).
            self.set_reactive(TicketTable.virtual_size, size)
            self._scroll_update(size)
        target = self.index_of(keep) if keep is not None else None
        if target is None:
            target = min(self.cursor_row, max(len(self.keys) - 1, 0))
        self.set_reactive(TicketTable.cursor_row, target)
        self._scroll_to_cursor()  # its row pushed down by rows above it: the view follows, the cursor never goes off screen
        self._announce()
        self.refresh()

    def show_sorted(self, sorted_by: tuple[str, bool] | None) -> None:
        """Mark the sorted column's header ▲ (ascending) or ▼."""
        self.sorted = sorted_by
        self._header = [Text(c.label + ((" ▼" if sorted_by[1] else " ▲") if sorted_by and sorted_by[0] == c.key else ""))
                        for c in self.columns]
        self._strips.clear()
        self.refresh()

    def column_at(self, x: int) -> str | None:
        """The column under screen column ``x`` (scrolling included)."""
        left = -int(self.scroll_x)
        for index, width in self.shown:
            if left <= x < left + width + 1:
                return self.columns[index].key
            left += width + 1
        return None

    def _column(self, column: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == column)

    def _width(self) -> int:
        return sum(width + 1 for _, width in self.shown)

    def on_resize(self, event: events.Resize) -> None:
        # The vertical scrollbar's room is kept whether it shows or not: the columns never jump when it comes.
        shown = fit(self.columns, self.size.width - self.styles.scrollbar_size_vertical)
        if shown != self.shown:
            self.shown = shown
            self._strips.clear()
            self.virtual_size = Size(self._width(), len(self.keys) + 1)
            self.refresh()

    # -------------------------------------------------------------- cursor
    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self.keys) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        if old != new:
            self.refresh_row(old)
        self.refresh_row(new)
        self._scroll_to_cursor()
        self._announce()

    def _announce(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.Highlighted(self, key))

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height - 1  # the header takes a line
        if height <= 0:
            return
        if self.cursor_row < self.scroll_y:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= self.scroll_y + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False, immediate=True)

    def refresh_row(self, index: int) -> None:
        line = index - int(self.scroll_y) + 1
        if 0 < line < self.size.height:
            self.refresh(Region(0, line, self.size.width, 1))

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= max(self.size.height - 2, 1)

    def action_page_down(self) -> None:
        self.cursor_row += max(self.size.height - 2, 1)

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self.keys) - 1

    def action_select(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor; a click on the row under the cursor (or a double click) opens it."""
        if event.y == 0:
            column = self.column_at(event.x)
            if column is not None:
                self.post_message(self.HeaderClicked(self, column))
            return
        index = int(self.scroll_y) + event.y - 1
        if not 0 <= index < len(self.keys):
            return
        if index == self.cursor_row or event.chain > 1:
            self.cursor_row = index
            self.action_select()
        else:
            self.cursor_row = index

    # ------------------------------------------------------------- drawing
    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's style once a pass, not once a line: ``rich_style`` walks every ancestor's styles, and at
        # 50 lines a frame that was a third of drawing the table.
        self._base_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._base_style = None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._base_style if self._base_style is not None else self.rich_style
        scroll_x = int(self.scroll_x)
        if y == 0:
            key = "\0header"
            style = self.get_component_rich_style("ticket-table--header")
            cells: Sequence[Text] = self._header
        else:
            index = int(self.scroll_y) + y - 1
            if index >= len(self.keys):
                return Strip.blank(width, base)
            key = self.keys[index]
            cells = self.cells_of(key)
            style = base
            if index % 2:
                style += self.get_component_rich_style("ticket-table--odd")
            if index == self.cursor_row:
                style += self.get_component_rich_style("ticket-table--cursor")
        # One entry per row and look: a row whose cells changed replaces its entry instead of adding one.
        cache_key = (key, style)
        strip = self._strips.get(cache_key)
        if strip is None or strip[0] is not cells:
            strip = (cells, Strip(self._segments(cells, style)))
            self._strips[cache_key] = strip
            if len(self._strips) > STRIP_CACHE:
                self._strips.popitem(last=False)
        else:
            self._strips.move_to_end(cache_key)
        return strip[1].crop_extend(scroll_x, scroll_x + width, style)

    def _segments(self, cells: Sequence[Text], style: Style) -> list[Segment]:
        console = self.app.console
        out: list[Segment] = []
        for index, width in self.shown:
            short = self.columns[index].short
            if short is not None and cells[index].cell_len > width:
                text = Text(short(cells[index].plain, width), style=cells[index].style)
            else:
                text = cells[index].copy()
            text.truncate(width, overflow="ellipsis", pad=True)
            # Text.render applies the spans but not the Text's own style: add it here.
            cell_style = style + console.get_style(text.style) if text.style else style
            out.append(Segment(" ", style))
            out.extend(Segment(seg.text, cell_style + seg.style if seg.style else cell_style)
                       for seg in text.render(console) if seg.text)
        return out
