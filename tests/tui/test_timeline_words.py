"""The document screen's collection history reads in the reader's words (issue 12, point 3):
each event's kind and text make one line — "windykacja  wyłączona", never the stored codes
(``off``, ``flag_off``) — a payment's amount and day in the reader's notation, a send
failure's words around the server's reply translated, ``system`` as a word. Pilot on the
demo database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import DataTable

from windykacja.ledger.actions import (
    add_note,
    create_document,
    record_event,
    set_subject_to_collection,
)
from windykacja.ledger.settings import load_settings
from windykacja.models import CollectionEvent, Contractor, Document, EventKind

from .conftest import open_document


def rows(screen) -> list[tuple[str, ...]]:
    table = screen.query_one("#timeline", DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


@pytest.mark.parametrize(("language", "switched", "refused", "payment"), [
    ("pl", ("windykacja", "wyłączona"), "błąd: serwer odrzucił wszystkie adresy: ",
     " PLN (przelew) "),
    ("en", ("collection", "switched off"), "failed: every recipient refused: ",
     " PLN (transfer) "),
])
async def test_the_timeline_speaks_the_readers_language(demo_db, make_app, clock, language,
                                                        switched, refused, payment):
    document = (Document.select().join(CollectionEvent, on=(
        CollectionEvent.document == Document.id)).where(
        CollectionEvent.kind == EventKind.PAYMENT_RECORDED).order_by(Document.id).first())
    set_subject_to_collection(clock, load_settings(), [document.id], False, author="anna")
    record_event(clock, EventKind.SEND_FAILED, document,
                 text="failed: every recipient refused: a@b.pl: 550 5.1.1 No such user")
    app = make_app(demo_db, language)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_document(app, pilot, document)
        lines = rows(screen)
    assert any(kind == switched[0] and text == switched[1] for _, kind, text, _ in lines)
    failure = next(text for _, kind, text, _ in lines if text.endswith("No such user"))
    assert failure == refused + "a@b.pl: 550 5.1.1 No such user"
    assert any(payment in text for _, _, text, _ in lines)
    assert not {text for _, _, text, _ in lines} & {"off", "on", "flag_off"}


NUMBER = "5265877635-20261207-0100A1B2C3D4-7F"


@pytest.mark.parametrize(("language", "arrived"), [
    ("pl", ("dodano dokument", f"z synchronizacji z KSeF (numer KSeF {NUMBER})", "system")),
    ("en", ("document added", f"from the KSeF sync (KSeF number {NUMBER})", "system")),
])
async def test_the_timeline_starts_with_where_the_document_came_from(
        demo_db, make_app, clock, language, arrived):
    document = create_document(clock, load_settings(), Contractor.select().first(),
                               "FV/2026/12/001", clock.today(), clock.today(),
                               Decimal("100.00"), origin=f"ksef {NUMBER}")
    add_note(clock, document, "zadzwonić w piątek", "anna")
    app = make_app(demo_db, language)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_document(app, pilot, document)
        lines = rows(screen)
    assert [line[1:] for line in lines] == [arrived, (lines[1][1], "zadzwonić w piątek", "anna")]
