"""The aging report screen (key 8): the chart, the contractors, the currency switch,
sorting, the breakdown on Enter and the CSV export, on the demo database."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from textual.widgets import Input, Static

from windykacja.lists.aging import BUCKET_KEYS, aging_report, sort_rows
from windykacja.lists.aging_csv import write_aging_csv
from windykacja.tui import i18n
from windykacja.tui.screens import aging as aging_module
from windykacja.tui.screens.aging import (
    AgingChart,
    AgingScreen,
    BreakdownDialog,
    bar_eighths,
    bar_text,
    fit_money,
    share_text,
)
from windykacja.tui.screens.export import ExportDialog

from .conftest import TODAY, settle


async def open_aging(app, pilot) -> AgingScreen:
    await pilot.press("8")
    await settle(pilot)
    assert isinstance(app.screen, AgingScreen)
    return app.screen


def shown(screen: AgingScreen) -> list:
    table = screen.table
    return [table.source.row(i) for i in range(table.row_count)]


def chart_lines(screen: AgingScreen) -> list[str]:
    return screen.query_one(AgingChart).render().plain.splitlines()


# -- drawing ---------------------------------------------------------------------------------
def test_bars_are_proportional_to_the_largest_and_a_small_debt_still_shows():
    assert bar_eighths(1000, 1000, 40) == 320  # the largest fills the width
    assert bar_eighths(500, 1000, 40) == 160
    assert bar_eighths(1, 10**9, 40) == 1  # never drawn as nothing
    assert bar_eighths(0, 1000, 40) == 0
    assert bar_text(19) == "██▍"
    assert bar_text(0) == ""


def test_shares_round_half_up_and_tiny_ones_say_so():
    assert share_text(1, 8) == "13%"  # 12.5 → 13
    assert share_text(1, 3) == "33%"
    assert share_text(1, 1000) == "<1%"
    assert share_text(0, 1000) == "0%"
    assert share_text(5, 0) == ""


def test_an_amount_too_wide_for_its_column_shows_in_whole_units():
    try:
        i18n.set_language("en")  # whatever an earlier test left
        assert fit_money(Decimal("123456.78"), 10) == "123,456.78"
        assert fit_money(Decimal("1234567.50"), 10) == "1,234,568"
        i18n.set_language("pl")
        assert fit_money(Decimal("1234567.49"), 10) == "1 234 567"
    finally:
        i18n.set_language("en")


# -- the screen ------------------------------------------------------------------------------
async def test_the_chart_shows_the_six_buckets_and_the_table_every_contractor(
    demo_db, make_app
):
    report = aging_report(TODAY, "PLN")
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_aging(app, pilot)
        lines = chart_lines(screen)
        assert [line.split("  ")[0] for line in lines] == [
            "not due", "1–30 days", "31–60 days", "61–90 days", "91–180 days",
            "over 180 days"]
        assert all(len(line) <= 78 for line in lines)  # fits 80 columns with padding
        largest = max(range(6), key=lambda i: report.totals.grosze[i])
        for index, line in enumerate(lines):
            amount = f"{report.bucket_totals[index]:,.2f}"
            assert amount in line
            if index == largest:
                assert "█" * 20 in line
        assert [r.contractor_id for r in shown(screen)] == [
            r.contractor_id for r in report.rows]
        assert str(screen.query_one("#summary", Static).content).startswith(
            f"Total {report.total:,.2f} PLN: {len(report.rows)} contractors, "
            f"{report.totals.documents} documents")
        heading = str(screen.query_one("#heading", Static).content)
        assert heading == ("PLN outstanding on 23.11.2026, by days past the due date"
                           " · also EUR (c)")


async def test_c_switches_the_currency_and_back(demo_db, make_app):
    eur = aging_report(TODAY, "EUR")
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_aging(app, pilot)
        await pilot.press("c")
        await settle(pilot)
        assert screen.report.currency == "EUR"
        assert [r.contractor_id for r in shown(screen)] == [r.contractor_id for r in eur.rows]
        assert str(screen.query_one("#heading", Static).content).startswith("EUR outstanding")
        await pilot.press("c")
        await settle(pilot)
        assert screen.report.currency == "PLN"


async def test_s_sorts_by_the_oldest_buckets_and_r_reverses(demo_db, make_app):
    report = aging_report(TODAY, "PLN")
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_aging(app, pilot)
        assert screen.table.sort_key == "total" and screen.table.sort_descending
        await pilot.press("s")
        await settle(pilot)
        expected = sort_rows(report.rows, "days_over_180")
        assert [r.contractor_id for r in shown(screen)] == [r.contractor_id for r in expected]
        assert screen.table.sort_key == "days_over_180"
        await pilot.press("r")
        await settle(pilot)
        expected = sort_rows(report.rows, "days_over_180", descending=False)
        assert [r.contractor_id for r in shown(screen)] == [r.contractor_id for r in expected]
        assert not screen.table.sort_descending


async def test_enter_shows_the_contractors_whole_row(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_aging(app, pilot)
        await pilot.press("down")
        row = screen.table.current
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, BreakdownDialog)
        lines = str(dialog.query_one("#breakdown-lines", Static).content).splitlines()
        assert len(lines) == len(BUCKET_KEYS) + 3
        assert lines[0].startswith("not due") and lines[0].endswith(
            f"{row.amounts[0]:,.2f} PLN")
        assert lines[6].startswith("Total") and lines[6].endswith(f"{row.total:,.2f} PLN")
        assert lines[8].split() == ["Documents", str(row.documents)]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_e_exports_what_the_screen_shows_to_the_typed_file(demo_db, make_app, tmp_path):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_aging(app, pilot)
        await pilot.press("s")  # the file keeps the screen's order
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#path", Input).value == "aging-PLN-2026-11-23.csv"
        assert "Export the aging report" in str(dialog.query_one(".section-title").content)
        target = tmp_path / "aging.csv"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        expected = io.StringIO(newline="")
        write_aging_csv(screen.report, expected)
        data = target.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.decode("utf-8-sig") == expected.getvalue()
        rows = expected.getvalue().splitlines()
        assert len(rows) == len(screen.report.rows) + 2 and rows[-1].startswith(",TOTAL,PLN,")


async def test_the_screen_speaks_polish(demo_db, make_app):
    app = make_app(demo_db, language="pl")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_aging(app, pilot)
            assert chart_lines(screen)[0].startswith("w terminie")
            assert str(screen.query_one("#heading", Static).content).startswith(
                "Należności PLN na 23.11.2026")
            await pilot.press("enter")
            await pilot.pause()
            sources = Path(aging_module.__file__).read_text(encoding="utf-8")
            assert [text for text in i18n.missing() if f'"{text}"' in sources] == []
    finally:
        i18n.set_language("en")
