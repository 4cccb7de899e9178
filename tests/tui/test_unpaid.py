"""The unpaid documents list, driven by keys as a bookkeeper would."""

from __future__ import annotations

import datetime as dt

from windykacja.lists.unpaid_list import UnpaidQuery, count_unpaid
from windykacja.models import CollectionEvent, Document, EventKind, Payment
from windykacja.tui.screens.document import DocumentScreen
from windykacja.tui.screens.unpaid import UnpaidScreen
from windykacja.tui.widgets.lazy_table import LazyTable

from .conftest import settle

TODAY = dt.date(2026, 11, 23)


def table(app) -> LazyTable:
    return app.screen.query_one("#documents", LazyTable)


def totals_text(app) -> str:
    return str(app.screen.query_one("#totals").content)


async def test_the_list_opens_with_every_unpaid_document(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, UnpaidScreen)
        unpaid = count_unpaid(UnpaidQuery(TODAY))
        assert table(app).row_count == unpaid > 0
        assert f"{unpaid} documents" in totals_text(app)
        assert "PLN" in totals_text(app)
        first = table(app).current.document
        assert first.due_date == min(
            d.due_date for d in Document.select().where(Document.outstanding > 0))


async def test_overdue_filter_and_search_narrow_the_list(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        everything = table(app).row_count
        await pilot.press("o")
        await settle(pilot)
        overdue = count_unpaid(UnpaidQuery(TODAY, overdue_only=True))
        assert table(app).row_count == overdue < everything
        assert "Overdue only" in str(app.screen.query_one("#scope").content)
        await pilot.press("o", "slash")
        await settle(pilot)
        name = table(app).current.document.contractor.name
        for key in name.split()[0].upper()[:6]:
            await pilot.press(key if key != " " else "space")
        await pilot.pause(0.3)
        await settle(pilot)
        rows = [table(app).source.row(i) for i in range(table(app).row_count)]
        assert 0 < len(rows) < everything
        word = name.split()[0][:6].lower()
        assert all(word in r.document.contractor.name.lower() or word in r.document.number.lower()
                   for r in rows)


async def test_sorting_by_amount_and_back(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.sort_by("outstanding", descending=True)
        await settle(pilot)
        amounts = [table(app).source.row(i).document.outstanding for i in range(20)]
        assert amounts == sorted(amounts, reverse=True)
        assert "▼" in pilot.app.screen.query_one(LazyTable).render_line(0).text
        await pilot.press("r")
        await settle(pilot)
        amounts = [table(app).source.row(i).document.outstanding for i in range(20)]
        assert amounts == sorted(amounts)


async def test_marking_and_excluding_writes_one_event_per_document(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")
        marked = set(app.screen.marked)
        assert len(marked) == 3
        assert "marked: 3" in totals_text(app)
        assert table(app).render_line(1).text.startswith("* ")
        on_before = {d.id for d in Document.select().where(
            Document.id.in_(marked) & Document.subject_to_collection)}
        await pilot.press("x")
        await pilot.press("enter")  # "Yes" in the confirmation
        await settle(pilot)
        assert not Document.select().where(
            Document.id.in_(marked) & Document.subject_to_collection).exists()
        events = CollectionEvent.select().where(
            (CollectionEvent.kind == EventKind.FLAG_CHANGED)
            & CollectionEvent.document.in_(list(on_before)))
        assert events.count() == len(on_before)
        assert app.screen.marked == set()


async def test_bulk_payment_settles_every_marked_document_in_full(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        ids = sorted(app.screen.marked)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        for document in Document.select().where(Document.id.in_(ids)):
            assert document.outstanding == 0
            assert Payment.select().where(Payment.document == document).exists()
        assert table(app).row_count == count_unpaid(UnpaidQuery(TODAY))


async def test_enter_opens_the_document(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnpaidScreen)


async def test_another_process_changes_show_on_refresh(demo_db, make_app):
    """Two bookkeepers on one file: the other one excludes a document from the command
    line in its own process while this list is open; Ctrl+R shows it."""
    import subprocess
    import sys

    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        index = next(i for i in range(table(app).row_count)
                     if (r := table(app).source.row(i)).document.subject_to_collection
                     and r.document.collection_ended_on is None)
        row = table(app).source.row(index)
        before = app.screen.cells(row)[7]
        done = subprocess.run(
            [sys.executable, "-m", "windykacja", "--db", str(demo_db), "--today",
             TODAY.isoformat(), "flag", "off", row.document.number],
            capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        await pilot.press("ctrl+r")
        await settle(pilot)
        after = app.screen.cells(table(app).source.row(index))[7]
        # excluded, or finished when demands had already gone out (SPEC §4)
        assert "excluded" not in before and "finished" not in before
        assert "excluded" in after or "finished" in after


async def test_the_mouse_moves_the_cursor_opens_rows_and_sorts(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.click("#documents", offset=(5, 3))  # the third row (line 0: header)
        assert table(app).cursor_row == 2
        await pilot.click("#documents", offset=(5, 0))  # the "Number" header
        await settle(pilot)
        numbers = [table(app).source.row(i).document.number for i in range(10)]
        assert numbers == sorted(numbers)
        await pilot.click("#documents", offset=(5, 1), times=2)
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)


async def test_a_dense_search_shows_its_rows_before_the_count_and_ends_the_same(
        demo_db, make_app, monkeypatch):
    """A search matching more than ``SNAPSHOT_LIMIT`` documents shows its first page
    before the count comes (the scrollbar's thumb is one cell for any count above the
    bound at this height), and then the screen is the one the counted load gives: the
    same rows, the count line, the scrollbar. The bound: the table's height squared less
    one (its virtual height, a header line more, is then the height squared), below the
    demo's 378 "fv/2026" documents; with the bound at 378, they are read whole."""
    from windykacja.lists import unpaid_list

    expected = count_unpaid(UnpaidQuery(TODAY, search="fv/2026"))
    screens, counted_later = [], []
    show_count = UnpaidScreen._show_count

    def spy(screen, window, count):
        counted_later.append(count)
        return show_count(screen, window, count)

    monkeypatch.setattr(UnpaidScreen, "_show_count", spy)
    for rows_first in (True, False):
        app = make_app(demo_db)
        async with app.run_test(size=(80, 20)) as pilot:
            await settle(pilot)
            height = table(app).size.height
            bound = height * height - 1 if rows_first else expected
            assert 0 < bound <= expected
            monkeypatch.setattr(unpaid_list, "SNAPSHOT_LIMIT", bound)
            await pilot.press("slash", *"fv/2026", "enter")
            await settle(pilot, 0.3)
            assert table(app).row_count == expected
            assert totals_text(app).startswith(f"{expected} documents · ")
            assert app.screen.window.counted
            screens.append(app.export_screenshot())
        assert counted_later == ([expected] if rows_first else [])
        counted_later.clear()
    assert screens[0] == screens[1]


async def test_end_pressed_before_the_count_comes_goes_to_the_real_end(
        demo_db, make_app, monkeypatch):
    """While a dense search's count is still coming, the table holds the lower bound's
    rows; "end" pressed then lands on the last of those, and when the count comes the
    cursor goes on to the real last row (as "end" pressed after it would)."""
    import threading

    from windykacja.lists import unpaid_list

    expected = count_unpaid(UnpaidQuery(TODAY, search="fv/2026"))
    release = threading.Event()
    count_rows = unpaid_list.UnpaidWindow.count_rows

    def held_count(window):  # the real count, once the test lets it go
        release.wait(10)
        return count_rows(window)

    monkeypatch.setattr(unpaid_list.UnpaidWindow, "count_rows", held_count)
    app = make_app(demo_db)
    async with app.run_test(size=(80, 20)) as pilot:
        await settle(pilot)
        bound = table(app).size.height ** 2 - 1
        monkeypatch.setattr(unpaid_list, "SNAPSHOT_LIMIT", bound)
        await pilot.press("slash", *"fv/2026", "enter")
        for _ in range(200):
            window = app.screen.window
            if window is not None and window.query.search == "fv/2026":
                break
            await pilot.pause(0.02)
        assert not window.counted and table(app).row_count == bound
        assert "Counting" in totals_text(app)
        await pilot.press("end")
        assert table(app).cursor_row == bound - 1
        release.set()
        await settle(pilot)
        assert table(app).row_count == expected
        assert table(app).cursor_row == expected - 1
        assert totals_text(app).startswith(f"{expected} documents · ")
