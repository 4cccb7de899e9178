"""The debtor's answers in the unpaid list (issue 15): the status column says them
briefly on 80 columns, and ``w`` filters by them — in English and in Polish."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.ledger.answers import make_promise, open_dispute
from windykacja.ledger.settings import load_settings
from windykacja.models import Document
from windykacja.tui.screens.unpaid import AnswerFilterDialog, UnpaidScreen
from windykacja.tui.widgets.lazy_table import LazyTable

from .conftest import settle

TODAY = dt.date(2026, 11, 23)


def _answer(clock) -> tuple[Document, Document]:
    unpaid = list(Document.select().where(
        (Document.outstanding > 0) & (Document.recovery_case.is_null()))
        .order_by(Document.due_date, Document.id).limit(2))
    disputed, promised = unpaid
    open_dispute(clock, disputed, "towar uszkodzony")
    make_promise(clock, load_settings(), [promised], Decimal("10.00"),
                 TODAY + dt.timedelta(days=5))
    return disputed, promised


async def _filter(app, pilot, downs: int) -> list[str]:
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(app.screen, AnswerFilterDialog)
    await pilot.press("home", *["down"] * downs, "enter")
    await settle(pilot)
    assert isinstance(app.screen, UnpaidScreen)
    table = app.screen.query_one("#documents", LazyTable)
    return [table.render_line(y).text for y in range(1, table.row_count + 1)]


@pytest.mark.parametrize(("language", "disputed_words", "promised_words", "scope"), [
    ("en", "disputed", "promised 28.11", "All unpaid, disputed"),
    ("pl", "sporny", "obiecano 28.11", "Wszystkie nierozliczone, sporny"),
])
async def test_the_status_column_and_the_filter(demo_db, make_app, clock, language,
                                                disputed_words, promised_words, scope):
    disputed, promised = _answer(clock)
    app = make_app(demo_db, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        everything = app.screen.query_one("#documents", LazyTable).row_count
        # All, reply waiting, promised, promise broken, disputed, address failing.
        lines = await _filter(app, pilot, 4)
        assert len(lines) == 1 < everything
        assert disputed.number in lines[0] and disputed_words in lines[0]
        assert str(app.screen.query_one("#scope").content).startswith(scope)
        lines = await _filter(app, pilot, 2)
        assert len(lines) == 1
        assert promised.number in lines[0] and promised_words in lines[0]
        lines = await _filter(app, pilot, 0)  # and back to every document
        assert len(lines) == everything
