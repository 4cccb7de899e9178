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
