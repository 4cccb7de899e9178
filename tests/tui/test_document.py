"""The document screen: what was sent, notes, payments and the collection switch."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from textual.widgets import DataTable, Static, TextArea

from windykacja.ledger.rates import add_interest_rate
from windykacja.models import CollectionEvent, Document, DocumentStep, EventKind, Message
from windykacja.tui.screens.message import MessageScreen
from windykacja.tui.widgets.form import Field

from .conftest import open_document


def demanded_document() -> Document:
    """An unpaid document that got a demand, with its sent message."""
    return (Document.select().where((Document.outstanding > 0) & (Document.demands_sent > 0)
                                    & Document.collection_ended_on.is_null())
            .order_by(Document.id).first())


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def events(document: Document, kind: str):
    return CollectionEvent.select().where(
        (CollectionEvent.document == document) & (CollectionEvent.kind == kind))


async def test_the_header_and_the_next_step(demo_db, make_app):
    document = demanded_document()
    app = make_app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_document(app, pilot, document)
        header = text_of(screen, "#header")
        assert document.number in header and document.contractor.name in header
        assert "Subject to collection: yes" in header
        assert f"demand {document.demands_sent}/" in header
        assert text_of(screen, "#next").startswith("Next step: ")


async def test_enter_on_a_sent_demand_shows_exactly_what_was_sent(demo_db, make_app):
    document = demanded_document()
    message = (Message.select().join(DocumentStep)
               .where((DocumentStep.document == document) & (DocumentStep.kind == "demand"))
               .first())
    app = make_app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_document(app, pilot, document)
        timeline = screen.query_one("#timeline", DataTable)
        timeline.focus()
        row = next(i for i, key in enumerate(screen._message_ids) if key == message.id)
        timeline.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)
        body = str(app.screen.query_one("#body", Static).content)
        assert document.number in body
        assert "\r" not in body
        assert ("WEZWANIE DO ZAPŁATY" if message.language == "pl" else "DEMAND") in body.upper()
        headers = str(app.screen.query_one("#headers", Static).content)
        assert f"Subject: {message.subject}" in headers
        await pilot.press("escape")
        assert app.screen is screen


async def test_a_note_is_stored_with_its_author_and_shown(demo_db, make_app, monkeypatch):
    monkeypatch.setenv("WINDYKACJA_USER", "anna")
    document = demanded_document()
    app = make_app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_document(app, pilot, document)
        await pilot.press("n")
        await pilot.press("ctrl+s")  # empty: refused in place
        assert "the note is empty" in str(app.screen.query_one("#problem", Static).content)
        app.screen.query_one(TextArea).text = "Dzwoniłam, obiecał zapłacić w piątek."
        await pilot.press("ctrl+s")
        await pilot.pause()
        note = events(document, EventKind.NOTE).get()
        assert (note.text, note.author) == ("Dzwoniłam, obiecał zapłacić w piątek.", "anna")
        timeline = screen.query_one("#timeline", DataTable)
        assert "Dzwoniłam" in " ".join(str(c) for c in timeline.get_row_at(timeline.row_count - 1))


async def test_a_full_payment_ends_collection(demo_db, make_app):
    document = demanded_document()
    app = make_app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_document(app, pilot, document)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+s")  # the amount offered is the outstanding amount
        await pilot.pause()
        stored = Document.get_by_id(document.id)
        assert stored.outstanding == 0
        assert stored.collection_end_reason == "paid"
        assert events(document, EventKind.COLLECTION_FINISHED).count() == 1
        assert "status: finished" in text_of(screen, "#header")
        assert "paid in full" in text_of(screen, "#next")


async def test_an_overpayment_is_refused_next_to_the_amount(demo_db, make_app):
    document = demanded_document()
    app = make_app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_document(app, pilot, document)
        await pilot.press("p")
        await pilot.pause()
        amount = app.screen.query_one("#amount", Field)
        amount.value = str(document.outstanding + 1)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "more than the outstanding" in amount.error
        assert Document.get_by_id(document.id).outstanding == document.outstanding


async def test_the_collection_switch_writes_an_event_each_way(demo_db, make_app):
    document = demanded_document()
    app = make_app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_document(app, pilot, document)
        await pilot.press("c")
        await pilot.pause()
        assert not Document.get_by_id(document.id).subject_to_collection
        assert "Subject to collection: no" in text_of(screen, "#header")
        await pilot.press("c")
        await pilot.pause()
        assert Document.get_by_id(document.id).subject_to_collection
        assert events(document, EventKind.FLAG_CHANGED).count() == 2


async def test_a_payment_by_another_bookkeeper_shows_on_refresh(demo_db, make_app, clock):
    from windykacja.ledger.actions import record_payment
    from windykacja.ledger.settings import load_settings

    document = demanded_document()
    app = make_app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_document(app, pilot, document)
        record_payment(clock, load_settings(), document, clock.today(), document.outstanding,
                       author="bartek")  # as the other session would
        await pilot.press("ctrl+r")
        await pilot.pause()
        payments = screen.query_one("#payments", DataTable)
        last = " ".join(str(c) for c in payments.get_row_at(payments.row_count - 1))
        assert "bartek" in last
        assert "status: finished" in text_of(screen, "#header")


async def test_the_claim_under_polish_law_with_a_rate_the_user_added(demo_db, make_app, clock):
    # The shipped table stops at 2026 H1 for business debtors; without the 2026 H2 rate the
    # screen says interest cannot be stated and where to add the rate.
    document = (Document.select().where((Document.outstanding > 0)
                                        & (Document.due_date < dt.date(2026, 10, 1)))
                .order_by(Document.id).first())
    app = make_app(demo_db)
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await open_document(app, pilot, document)
        law = text_of(screen, "#law")
        assert "Debtor: business · claim time-barred after 31.12." in law
        # No amount, and never 0: the interest in words, the rate's place and its command.
        assert ("Interest: no amount: the table has no rate from 01.07.2026. Demands claim it "
                "in words, from ") in law
        assert ("Add the rate in Settings or with: 'windykacja rates add-interest business "
                "2026-07-01 RATE") in law
        assert not re.search(r"Interest[^\n]*: 0\.00", law)
        assert "A demand sent today would claim: " in law and " + interest from " in law
        assert "Demands claim interest: yes · compensation: no" in law
        # What the settings do not claim is not in the total: the screen agrees with the letter.
        claims = law[law.index("A demand sent today would claim: "):].split("\n")[0]
        assert " EUR" not in claims and claims.endswith("until payment")

    add_interest_rate(clock, "business", "2026-07-01", "13.75", "M.P. test notice", "test")
    app = make_app(demo_db)
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await open_document(app, pilot, document)
        law = text_of(screen, "#law")
        assert "Interest to 23.11.2026: " in law
        assert "× 13.75 % ×" in law  # the period from 1 July at the user's rate


@pytest.mark.parametrize("language", ["en", "pl"])
async def test_at_80x24_a_long_history_shows_at_least_8_rows_and_the_law_unfolds(
        demo_db, make_app, clock, language):
    """Issue 12: the law panel and the settlement history left 1-2 timeline rows."""
    from decimal import Decimal

    from windykacja.ledger.actions import add_note, record_payment
    from windykacja.ledger.settings import load_settings

    document = demanded_document()
    for n in range(12):
        add_note(clock, document, f"Telefon do klienta nr {n + 1}", "anna")
    for amount in ("10.00", "12.00", "14.00"):
        record_payment(clock, load_settings(), Document.get_by_id(document.id),
                       clock.today(), Decimal(amount), reference="częściowa")
    app = make_app(demo_db, language)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_document(app, pilot, document)
        timeline = screen.query_one("#timeline", DataTable)
        assert timeline.row_count >= 15
        visible = timeline.size.height - 1  # the column titles take one line
        assert visible >= 8, visible
        law = screen.query_one("#law", Static)
        assert not law.display  # folded to its title, which says how to unfold it
        assert ("(l shows them)" if language == "en" else "(l rozwija)") in text_of(
            screen, "#law-title")
        await pilot.press("l")
        await pilot.pause()
        assert law.display and ("Debtor:" if language == "en" else "Dłużnik:") in str(
            law.content)
        await pilot.press("l")
        await pilot.pause()
        assert not law.display


async def test_a_stored_rate_that_contradicts_the_program_reads_polish(demo_db, make_app):
    """The law panel in Polish names a stored rate that contradicts the shipped table in
    Polish words, the shipped rate's note in Polish (was 'the stored business interest
    rate … conflicts with this release: the shipped table has … (computed: NBP reference
    rate …)')."""
    from reader_rules import problems

    from windykacja.i18n import set_language
    from windykacja.models import InterestRate

    InterestRate.create(kind="business", valid_from=dt.date(2026, 1, 1), rate="13.50",
                        source="M.P. 2026 poz. 1", author="anna",
                        created_at=dt.datetime(2026, 1, 2))
    document = (Document.select().where((Document.outstanding > 0)
                                        & (Document.due_date < dt.date(2026, 10, 1)))
                .order_by(Document.id).first())
    try:
        app = make_app(demo_db, language="pl")
        async with app.run_test(size=(120, 50)) as pilot:
            screen = await open_document(app, pilot, document)
            law = text_of(screen, "#law")
            assert "dodana stopa (firma) 13,50% od 01.01.2026" in law, law
            assert "stopa referencyjna NBP obowiązująca pierwszego dnia półrocza" in law, law
            problem = law[law.index("dodana stopa"):]
            assert problems(problem, "pl") == [], problem
    finally:
        set_language("en")
