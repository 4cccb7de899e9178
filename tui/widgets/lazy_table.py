"""A table that draws only the rows on screen, asking a row source for them.

The stock DataTable measures every cell of every row it holds (93 s frozen at a million
rows, see the reference notes); this one holds nothing. ``render_line`` asks the source
for row ``i`` (the source pages and caches), the first line is a fixed header, and a
cursor move repaints just the two lines involved, which keeps what an SSH link carries
to a few hundred bytes.

Columns have a width and a priority: on a narrow terminal the lowest-priority columns
are left out until the rest fit, and the one ``flex`` column takes what is left.
Marked rows carry a ``*`` in the first column, so marking never relies on colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual._compositor import ChopsUpdate
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

_render_chops = ChopsUpdate.render_segments


def _render_chops_in_span(self: ChopsUpdate, console: Any) -> str:
    """``ChopsUpdate.render_segments`` without the chops that start where a line's dirty
    span ends. Textual (8.2.8) skips a chop when ``x > x2`` where ``x >= x2`` was meant, so
    a chop starting exactly at the span's end is written as a cursor move to it and
    nothing else: after every repainted row of a table, a move to its scrollbar's column
    (8 bytes a line, 16 of a cursor move's ~300). Dropping such a chop changes no cell: a
    chop beyond every span of its line writes nothing else."""
    limits: dict[int, int] = {}
    for y, _, x2 in self.spans:
        limits[y] = max(limits.get(y, x2), x2)
    chops, ends = list(self.chops), list(self.chop_ends)
    changed = False
    for y, limit in limits.items():
        line = chops[y]
        if any(x >= limit for x in line):
            pairs = zip(line.items(), ends[y], strict=False)  # as Textual pairs them
            kept = [(x, strip, end) for (x, strip), end in pairs if x < limit]
            chops[y] = {x: strip for x, strip, _ in kept}
            ends[y] = [end for _, _, end in kept]
            changed = True
    if not changed:
        return _render_chops(self, console)
    return _render_chops(ChopsUpdate(chops, self.spans, ends), console)


ChopsUpdate.render_segments = _render_chops_in_span  # type: ignore[method-assign]


class RowSource(Protocol):
    count: int

    def row(self, index: int) -> Any | None: ...


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int
    priority: int = 1  # lower is dropped first when the terminal is narrow
    right: bool = False
    flex: int = 0  # share of the spare width (0: fixed)


class EmptySource:
    count = 0

    def row(self, index: int) -> None:
        return None


def fit_columns(columns: Sequence[Column], width: int) -> list[tuple[Column, int]]:
    """The columns that fit ``width`` (one space between them and a mark column), the
    spare width shared among the flex columns by their weights."""
    shown = list(columns)
    def needed(cols: list[Column]) -> int:
        return 2 + sum(c.width + 1 for c in cols)
    while len(shown) > 1 and needed(shown) > width:
        shown.remove(min(shown, key=lambda c: c.priority))
    spare = max(0, width - needed(shown))
    weights = sum(c.flex for c in shown)
    if not weights:
        return [(c, c.width) for c in shown]
    extra = [spare * c.flex // weights for c in shown]
    first_flex = next(i for i, c in enumerate(shown) if c.flex)
    extra[first_flex] += spare - sum(extra)  # what integer division left over
    return [(c, c.width + e) for c, e in zip(shown, extra, strict=True)]


def _cell(text: str, width: int, right: bool) -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.rjust(width) if right else text.ljust(width)


class LazyTable(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "select", show=False),
    ]
    COMPONENT_CLASSES = {
        "lazy-table--header",
        "lazy-table--cursor",
        "lazy-table--marked",
        "lazy-table--empty",
    }
    DEFAULT_CSS = """
    LazyTable { height: 1fr; }
    LazyTable > .lazy-table--header { text-style: bold; background: $panel; }
    LazyTable > .lazy-table--cursor { background: $accent 40%; }
    LazyTable:focus > .lazy-table--cursor { background: $accent; color: $text; }
    LazyTable > .lazy-table--marked { text-style: bold; }
    LazyTable > .lazy-table--empty { color: $text-muted; }
    """

    cursor_row: reactive[int] = reactive(0, repaint=False, always_update=True)

    class RowSelected(Message):
        def __init__(self, table: LazyTable, index: int, row: Any) -> None:
            super().__init__()
            self.table, self.index, self.row = table, index, row

    class HeaderClicked(Message):
        def __init__(self, table: LazyTable, key: str) -> None:
            super().__init__()
            self.table, self.key = table, key

    def __init__(
        self,
        columns: Sequence[Column],
        cells: Callable[[Any], Sequence[str]],
        is_marked: Callable[[Any], bool] = lambda row: False,
        empty_text: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.columns = list(columns)
        self.cells = cells
        self.is_marked = is_marked
        self.empty_text = empty_text
        self.source: RowSource = EmptySource()
        self.sort_key: str | None = None
        self.sort_descending = False
        self._layout: list[tuple[Column, int]] = []
        self._layout_width = -1

    # -- data --------------------------------------------------------------------------
    def set_source(self, source: RowSource, cursor: int = 0) -> None:
        self.source = source
        self.virtual_size = Size(self._width, source.count + 1)
        self.cursor_row = min(max(0, cursor), max(0, source.count - 1))
        self._scroll_cursor_into_view()
        self.refresh()

    @property
    def row_count(self) -> int:
        return self.source.count

    @property
    def current(self) -> Any | None:
        return self.source.row(self.cursor_row) if self.source.count else None

    def refresh_row(self, index: int) -> None:
        self.refresh_line(index + 1)

    def refresh_line(self, y: int) -> None:
        """Repaint line ``y`` of the rows only. Textual's own ``ScrollView.refresh_line``
        marks the widget's whole width dirty, the vertical scrollbar's cell included, so
        every cursor move sent two scrollbar cells that had not changed (381 bytes per
        move instead of about 290 at 100 columns); a scroll repaints the scrollbar itself."""
        self.refresh(Region(0, y - self.scroll_offset.y, self._width, 1))

    # -- layout ------------------------------------------------------------------------
    @property
    def _width(self) -> int:
        """The width rows are drawn in: the widget less its vertical scrollbar."""
        return self.scrollable_content_region.width

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self._width, self.source.count + 1)

    def _visible_rows(self) -> int:
        return max(1, self.size.height - 1)

    def _scroll_cursor_into_view(self) -> None:
        top, visible = int(self.scroll_offset.y), self._visible_rows()
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    # -- drawing -----------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self._width
        if width != self._layout_width:  # the scrollbar came or went, or a resize
            self._layout = fit_columns(self.columns, width)
            self._layout_width = width
        if y == 0:
            return self._header(width)
        index = int(self.scroll_offset.y) + y - 1
        if index >= self.source.count:
            if index == 0 and self.empty_text:
                style = self.get_component_rich_style("lazy-table--empty")
                return Strip([Segment(_cell(" " + self.empty_text, width, False), style)])
            return Strip.blank(width, self.rich_style)
        row = self.source.row(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        return self._row_strip(row, index, width)

    def _header(self, width: int) -> Strip:
        parts = ["  "]
        for column, size in self._layout:
            if column.key == self.sort_key:  # the arrow stays visible in a narrow column
                arrow = "▼" if self.sort_descending else "▲"
                title = _cell(column.title, size - 2, False).rstrip() + " " + arrow
            else:
                title = column.title
            parts.append(_cell(title, size, column.right) + " ")
        text = _cell("".join(parts), width, False)
        return Strip([Segment(text, self.get_component_rich_style("lazy-table--header"))])

    def _row_strip(self, row: Any, index: int, width: int) -> Strip:
        values = dict(zip([c.key for c in self.columns], self.cells(row), strict=True))
        marked = self.is_marked(row)
        parts = ["* " if marked else "  "]
        for column, size in self._layout:
            parts.append(_cell(values[column.key], size, column.right) + " ")
        style = self.rich_style
        if marked:
            style += self.get_component_rich_style("lazy-table--marked")
        if index == self.cursor_row:
            style += self.get_component_rich_style("lazy-table--cursor")
        return Strip([Segment(_cell("".join(parts), width, False), Style() + style)])

    # -- cursor ------------------------------------------------------------------------
    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_row(old)
        self.refresh_row(new)
        self._scroll_cursor_into_view()

    def move_cursor(self, index: int) -> None:
        if self.source.count:
            self.cursor_row = min(max(0, index), self.source.count - 1)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        """Scroll a whole page and keep the cursor on the same line of the screen."""
        step = direction * self._visible_rows()
        top = max(0, min(int(self.scroll_offset.y) + step,
                         self.source.count - self._visible_rows()))
        self.scroll_to(y=top, animate=False, immediate=True)
        self.move_cursor(self.cursor_row + step)

    def action_jump(self, where: int) -> None:
        self.move_cursor(self.source.count - 1 if where < 0 else 0)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, row))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            key = self._column_at(event.x)
            if key:
                self.post_message(self.HeaderClicked(self, key))
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if index >= self.source.count:
            return
        if index == self.cursor_row or event.chain > 1:
            self.action_select()
        self.move_cursor(index)

    def _column_at(self, x: int) -> str | None:
        left = 2
        for column, size in self._layout:
            if left <= x < left + size + 1:
                return column.key
            left += size + 1
        return None
