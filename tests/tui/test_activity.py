"""Activity screen: every event newest first, the filters, the CSV export, opening the
event's document."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from textual.widgets import Input, Select
from textual.widgets._select import SelectOverlay

from windykacja.ledger.actions import create_document
from windykacja.ledger.settings import load_settings
from windykacja.models import CollectionEvent, Contractor, Document, EventKind
from windykacja.tui.screens.activity import ActivityScreen, ExportDialog

from .conftest import settle


async def open_activity(app, pilot):
    await pilot.press("3")
    await settle(pilot)
    assert isinstance(app.screen, ActivityScreen)
    return app.screen


def shown(screen):
    table = screen.table
    return [table.source.row(i) for i in range(table.row_count)]


async def test_every_event_newest_first_then_filters_narrow_it(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_activity(app, pilot)
        total = CollectionEvent.select().count()
        assert screen.table.row_count == total
        assert str(screen.query_one("#count").content) == f"{total} events"
        newest = CollectionEvent.select().order_by(CollectionEvent.day.desc(),
                                                   CollectionEvent.id.desc()).first()
        assert screen.table.current.id == newest.id

        screen.query_one("#kind", Select).value = EventKind.DEMAND_SENT
        await settle(pilot)
        demands = CollectionEvent.select().where(CollectionEvent.kind == EventKind.DEMAND_SENT)
        assert screen.table.row_count == demands.count() > 0
        assert screen.table.cells(screen.table.current)[2] == "demand sent"

        screen.query_one("#first", Input).value = "01.11.2026"
        screen.query_one("#last", Input).value = "2026-11-10"
        await settle(pilot, 0.5)
        in_range = demands.where(CollectionEvent.day.between(dt.date(2026, 11, 1),
                                                             dt.date(2026, 11, 10)))
        assert sorted(r.id for r in shown(screen)) == sorted(e.id for e in in_range)
        assert 0 < screen.table.row_count < demands.count()

        contractor = Contractor.get_by_id(in_range.first().document.contractor_id)
        screen.query_one("#contractor", Input).value = contractor.code
        await settle(pilot, 0.5)
        rows = shown(screen)
        assert rows and {r.contractor_code for r in rows} == {contractor.code}

        screen.query_one("#author", Input).value = "nobody-of-that-name"
        await settle(pilot, 0.5)
        assert screen.table.row_count == 0


async def test_a_date_that_cannot_be_read_is_said_and_the_list_stays(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_activity(app, pilot)
        total = screen.table.row_count
        screen.query_one("#first", Input).value = "31.02.2026"
        await settle(pilot, 0.5)
        assert "'31.02.2026' is not a date" in str(screen.query_one("#problem").content)
        assert screen.table.row_count == total


async def test_export_writes_the_filtered_events_to_the_typed_file(
    demo_db, make_app, tmp_path
):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_activity(app, pilot)
        screen.query_one("#kind", Select).value = EventKind.REMINDER_SENT
        await settle(pilot)
        expected = screen.table.row_count
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#path", Input).value == "activity-2026-11-23.csv"
        target = tmp_path / "reminders.csv"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        with target.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0][:3] == ["day", "time (Europe/Warsaw)", "document"]
        assert len(rows) - 1 == expected > 0
        assert {row[5] for row in rows[1:]} == {"reminder sent"}
        assert f"{expected} events written to {target}" in str(
            screen.query_one("#problem").content)


async def test_enter_opens_the_events_document(demo_db, make_app):
    from windykacja.tui.screens.document import DocumentScreen

    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_activity(app, pilot)
        event = screen.table.current
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        assert Document.get_by_id(event.document_id).number == event.document_number


async def test_the_list_speaks_polish(demo_db, make_app):
    app = make_app(demo_db, language="pl")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_activity(app, pilot)
        screen.query_one("#kind", Select).value = EventKind.PAYMENT_RECORDED
        await settle(pilot)
        number, noun = str(screen.query_one("#count").content).split(" ")
        count = int(number)
        assert noun == ("zdarzenie" if count == 1 else "zdarzenia"
                        if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14 else "zdarzeń")
        assert screen.table.cells(screen.table.current)[2] == "zapisano wpłatę"


@pytest.mark.parametrize(("language", "kind", "text"), [
    ("pl", "dodano dokument", "z pliku ksef-2026-12/FV-2026-12-001.xml"),
    ("en", "document added", "from the file ksef-2026-12/FV-2026-12-001.xml"),
])
async def test_where_a_document_came_from_is_a_kind_to_filter_by(demo_db, make_app, clock,
                                                                 language, kind, text):
    """The kind filter offers the arrival by its name; the list says where the document
    came from in words (issue 14, point 3)."""
    create_document(clock, load_settings(), Contractor.select().first(), "FV/2026/12/001",
                    clock.today(), clock.today(), Decimal("100.00"),
                    origin="file ksef-2026-12/FV-2026-12-001.xml", author="anna")
    app = make_app(demo_db, language)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_activity(app, pilot)
        select = screen.query_one("#kind", Select)
        select.focus()
        await pilot.press("enter")
        await pilot.pause()
        overlay = select.query_one(SelectOverlay)
        offered = [str(overlay.get_option_at_index(i).prompt)
                   for i in range(overlay.option_count)]
        assert kind in offered
        await pilot.press("escape")
        select.value = EventKind.DOCUMENT_ARRIVED
        await settle(pilot)
        assert screen.table.row_count == 1
        cells = screen.table.cells(screen.table.current)
        assert (cells[2], cells[3], cells[5], cells[6]) == (kind, "FV/2026/12/001", "anna", text)
