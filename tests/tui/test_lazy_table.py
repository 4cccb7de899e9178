from rich.segment import Segment
from textual.strip import Strip

from windykacja.tui.widgets.lazy_table import Column, fit_columns

COLUMNS = [
    Column("number", "Number", 15, priority=10),
    Column("name", "Name", 14, priority=9, flex=2),
    Column("issued", "Issued", 10, priority=2),
    Column("next", "Next", 26, priority=3, flex=1),
]


def used(layout) -> int:
    return 2 + sum(width + 1 for _, width in layout)


def test_narrow_terminals_drop_the_least_important_columns_first():
    layout = fit_columns(COLUMNS, 50)
    assert [c.key for c, _ in layout] == ["number", "name"]
    assert used(layout) == 50


def test_spare_width_is_shared_by_the_flex_weights():
    layout = dict((c.key, width) for c, width in fit_columns(COLUMNS, 200))
    assert layout["issued"] == 10 and layout["number"] == 15
    # 71 columns are needed at the base widths; the 129 spare go 2:1 to name and next.
    assert (layout["name"], layout["next"]) == (14 + 86, 26 + 43)
    assert used(fit_columns(COLUMNS, 200)) == 200


class _Rows:
    def __init__(self, count: int) -> None:
        self.count = count

    def row(self, index: int) -> tuple[str, str, str, str] | None:
        if not 0 <= index < self.count:
            return None
        return (f"FV/{index}", "Name", "2026-01-01", "next")


async def test_a_cursor_move_repaints_its_two_rows_and_not_the_scrollbar():
    """The scrollbar did not move, so its cells are not sent again (issue 17: a cursor
    move sent 381 bytes, two of the scrollbar's cells among them)."""
    from textual.app import App

    from windykacja.tui.widgets.lazy_table import LazyTable

    class Host(App):
        def compose(self):
            yield LazyTable(COLUMNS, cells=lambda row: row)

    app = Host()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(LazyTable)
        table.set_source(_Rows(1000))
        table.focus()
        await pilot.pause()
        assert table.scrollbars_enabled[0]  # a vertical scrollbar is shown
        rows_width = table.scrollable_content_region.width
        assert rows_width < table.size.width
        table._repaint_regions.clear()
        table.move_cursor(1)
        dirty = sorted(table._repaint_regions)
        assert [(r.y, r.height) for r in dirty] == [(1, 1), (2, 1)]
        assert all(r.x == 0 and r.right <= rows_width for r in dirty), dirty
        await pilot.press("down")
        await pilot.pause()
        assert table.cursor_row == 2


def test_a_chop_past_the_dirty_span_writes_no_cursor_move():
    """Textual writes a bare cursor move to a chop starting where the span ends (the
    scrollbar beside a repainted row); with the fix it is left out, and nothing else
    changes: a span covering the chop writes it as before."""
    from rich.console import Console
    from textual._compositor import ChopsUpdate

    from windykacja.tui.widgets import lazy_table

    console = Console(color_system=None, width=10)
    row, bar = Strip([Segment("abc")]), Strip([Segment("|")])

    def update(x2: int) -> ChopsUpdate:
        return ChopsUpdate([{0: row, 3: bar}], [(0, 0, x2)], [[3, 4]])

    assert lazy_table._render_chops(update(3), console) == "\x1b[1;1Habc\x1b[1;4H"
    assert update(3).render_segments(console) == "\x1b[1;1Habc"
    assert update(4).render_segments(console) == lazy_table._render_chops(update(4), console)
    assert update(4).render_segments(console) == "\x1b[1;1Habc\x1b[1;4H|"
