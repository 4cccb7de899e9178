"""The document screen's collection history reads in the reader's words (issue 12, point 3):
each event's kind and text make one line — "windykacja  wyłączona", never the stored codes
(``off``, ``flag_off``) — a payment's amount and day in the reader's notation, a send
failure's words around the server's reply translated, ``system`` as a word. Pilot on the
demo database."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from windykacja.ledger.actions import record_event, set_subject_to_collection
from windykacja.ledger.settings import load_settings
from windykacja.models import CollectionEvent, Document, EventKind

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
