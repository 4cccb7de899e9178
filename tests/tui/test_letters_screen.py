"""The print queue (key 0, issue 16) driven by keys: the letters a real pass planned on
the demo database, printing them into a real PDF (read back with pypdf), confirming
their posting with the refusals under their fields, the return receipt and the
returned envelope on the documents' timelines, and a letter read before printing.
Real SQLite (or PostgreSQL on that run); the clock is fixed at Monday 2026-11-23.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pass_runner import run_one_pass
from pypdf import PdfReader
from textual.widgets import DataTable, Select, Static

from windykacja.dunning.letters import letter_from_json
from windykacja.dunning.paper import (
    is_registered,
    planned_letters,
    post_letters,
    print_letters,
    printed_letters,
)
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import (
    CollectionEvent,
    Contractor,
    Document,
    DocumentStep,
    EventKind,
    Letter,
    LetterBatch,
    Message,
    MessageState,
)
from windykacja.tui import i18n
from windykacja.tui.screens.letters import LetterScreen, LettersScreen
from windykacja.tui.widgets.form import ConfirmDialog, Field
from windykacja.tui.widgets.letter_forms import OutcomeDialog, PostingDialog, number_field_id

from .conftest import TODAY, open_document, settle

SIZE = (80, 24)
NUMBER = "RR123456785PL"  # a valid S10 number (check digit 5)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


def letters_on(clock, tmp_path) -> None:
    save_settings({"letters.enabled": "yes", "letters.last_demand": "letter",
                   "letters.folder": str(tmp_path / "letters")}, "test", clock.now())


@pytest.fixture
def letters(demo_db, clock, tmp_path):
    """The demo with the last demand sent by letter and a pass run: letters planned."""
    letters_on(clock, tmp_path)
    run_one_pass(clock, tmp_path / "outbox")
    planned = planned_letters()
    assert len(planned) > 2
    return demo_db


def print_all(clock, tmp_path):
    return print_letters(clock, load_settings(), tmp_path / "letters", "anna")


async def open_queue(app, pilot) -> LettersScreen:
    await settle(pilot)
    await pilot.press("0")
    await settle(pilot)
    assert isinstance(app.screen, LettersScreen)
    return app.screen


def shown(screen: LettersScreen) -> list:
    source = screen.table.source
    return [source.row(i) for i in range(source.count)]


def documents_of(letter_id: int) -> list[Document]:
    return list(Document.select().join(DocumentStep, on=DocumentStep.document == Document.id)
                .where(DocumentStep.message == letter_id).order_by(Document.id))


async def type_into(pilot, field: Field, text: str) -> None:
    field.input.focus()
    field.input.value = ""
    await pilot.pause()
    await pilot.press(*text)


# --- the list --------------------------------------------------------------------------

async def test_the_queue_lists_the_letters_a_pass_planned(letters, make_app):
    planned = planned_letters()
    app = make_app(letters)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        rows = shown(screen)
        assert [r.id for r in rows] == [m.id for m in planned]
        assert {screen._cells(r)[1] for r in rows} == {"to print"}
        first = letter_from_json(planned[0].raw)
        assert rows[0].recipient == planned[0].contractor.name
        assert rows[0].title == first.title
        count = str(screen.query_one("#count", Static).content)
        assert count.startswith(f"{len(planned)} to print · 0 printed, not posted")

        await pilot.press("s")  # "To print": the same letters; then "Printed": none
        await settle(pilot)
        assert [r.id for r in shown(screen)] == [m.id for m in planned]
        await pilot.press("s")
        await settle(pilot)
        assert shown(screen) == []
        assert "Printed, not posted" in str(screen.query_one("#scope", Static).content)


async def test_enter_shows_the_letter_as_its_pdf_says_it(letters, make_app):
    [first, *_] = planned_letters()
    data = letter_from_json(first.raw)
    app = make_app(letters)
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LetterScreen)
        text = str(app.screen.query_one("#letter", Static).content)
        for part in (data.recipient_name, *data.recipient_address, data.title,
                     data.paragraphs[0], data.documents[0].number, data.totals[-1].amount):
            assert part in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)
        assert Message.get_by_id(first.id).state == MessageState.PLANNED  # only read


async def test_a_letter_that_cannot_be_printed_says_why_in_words(demo_db, make_app, clock,
                                                                   tmp_path):
    letters_on(clock, tmp_path)
    wide = "ul. Generała Władysława Andersa Wielkopolskiego 128/134 lok. 15"
    Contractor.update(address=f"{wide}, 00-001 Warszawa").execute()
    run_one_pass(clock, tmp_path / "outbox")
    failed = list(Message.select().where((Message.channel == "letter")
                                         & (Message.state == MessageState.FAILED)))
    assert failed and planned_letters() == []
    app = make_app(demo_db, "pl")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        assert {screen._cells(r)[1] for r in shown(screen)} == {"nie do wydruku"}
        assert "nie do wydruku" in str(screen.query_one("#count", Static).content)
        await pilot.press("enter")
        await settle(pilot)
        standing = str(app.screen.query_one("#standing", Static).content)
        assert f"Nie do wydruku: adres kontrahenta, wiersz 1: „{wide}” ma " in standing
        assert "okienko koperty mieści 75 mm" in standing
        await pilot.press("escape", "p")
        await pilot.pause()
        assert app.screen is screen  # nothing to print: said, not asked
        assert any("Żaden list nie czeka na wydruk" in str(n.message)
                   for n in app._notifications)


# --- printing --------------------------------------------------------------------------

async def test_printing_writes_the_pdf_and_moves_the_letters_to_printed(letters, make_app,
                                                                         tmp_path):
    planned = planned_letters()
    app = make_app(letters)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert str(tmp_path / "letters") in app.screen.question
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen

        [batch] = LetterBatch.select()
        assert batch.letters == len(planned)
        assert Path(batch.pdf_path).parent == tmp_path / "letters"
        assert Path(batch.pdf_path).exists() and Path(batch.book_csv_path).exists()
        text = "\n".join(p.extract_text() for p in PdfReader(batch.pdf_path).pages)
        assert letter_from_json(planned[0].raw).recipient_name in text
        book = "\n".join(p.extract_text() for p in PdfReader(batch.book_pdf_path).pages)
        assert planned[0].contractor.name[:20] in book
        assert planned_letters() == []
        assert [m.id for m in printed_letters()] == [m.id for m in planned]
        assert {r.section for r in shown(screen)} == {"printed"}
        assert any(batch.pdf_path in str(n.message) for n in app._notifications)


async def test_only_the_marked_letters_are_printed(letters, make_app):
    first, second, *rest = planned_letters()
    app = make_app(letters)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("space", "space")  # marks the first two (the cursor moves on)
        assert screen.marked == {first.id, second.id}
        await pilot.press("p")
        await pilot.pause()
        assert "2 marked letters" in app.screen.question
        await pilot.press("enter")
        await settle(pilot)
        assert [m.id for m in printed_letters()] == [first.id, second.id]
        assert [m.id for m in planned_letters()] == [m.id for m in rest]
        assert screen.marked == set()


# --- posting ---------------------------------------------------------------------------

async def open_posting(app, pilot, screen: LettersScreen, mark: int | None = None):
    """Put the cursor on the first printed letter (marking it if asked) and press c."""
    rows = shown(screen)
    screen.table.move_cursor(next(i for i, r in enumerate(rows) if r.section == "printed"))
    if mark is not None:
        await pilot.press("space")
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, PostingDialog)
    return app.screen


async def test_a_bad_registered_number_is_shown_under_its_field_and_nothing_changes(
        letters, make_app, clock, tmp_path):
    printed = print_all(clock, tmp_path)
    first = Message.get_by_id(printed.letters[0])
    documents = documents_of(first.id)
    before = [(d.demands_sent, d.last_demand_on) for d in documents]
    app = make_app(letters)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        dialog = await open_posting(app, pilot, screen)
        # Without marks: every letter of the batch, one field each.
        assert [letter.id for letter in dialog.letters] == printed.letters
        field = dialog.query_one(f"#{number_field_id(first.id)}", Field)
        following = dialog.query_one(f"#{number_field_id(printed.letters[1])}", Field)
        await type_into(pilot, field, "RR123456784PL")
        await pilot.press("enter")  # on to the next letter, saying what is wrong at once
        await pilot.pause()
        assert app.screen.focused is following.input
        assert field.error == "Error: the check digit of RR123456784PL is wrong"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PostingDialog)
        assert field.error == "Error: the check digit of RR123456784PL is wrong"
        assert field.value == "RR123456784PL"  # what was typed stays
        assert app.screen.focused is field.input
        # The other registered letters, left blank, are refused under their own fields;
        # an ordinary one (a reminder) may stay blank.
        for letter in dialog.letters[1:]:
            other = dialog.query_one(f"#{number_field_id(letter.id)}", Field)
            assert other.error == (f"Error: letter {letter.id} is registered: give its number "
                                   "from the post office's label" if letter.registered else "")
        assert {letter.registered for letter in dialog.letters} == {True, False}
    assert Letter.select().where(Letter.posted_on.is_null(False)).count() == 0
    assert {m.state for m in Message.select().where(Message.id.in_(printed.letters))} == {
        MessageState.PRINTED}
    assert [(d.demands_sent, d.last_demand_on) for d in documents_of(first.id)] == before


async def test_a_refusal_of_the_paper_path_goes_under_its_field(letters, make_app, clock,
                                                                tmp_path):
    """What only ``post_letters`` knows — a day after today, a number another letter
    already has — is shown under the field it concerns, and nothing is stored."""
    printed = print_all(clock, tmp_path)
    used, first = (Message.get_by_id(i) for i in printed.letters[:2])
    post_letters(clock, [(used, NUMBER)], TODAY, "anna")
    app = make_app(letters)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        dialog = await open_posting(app, pilot, screen, mark=first.id)
        assert [letter.id for letter in dialog.letters] == [first.id]
        day = dialog.query_one("#day", Field)
        number = dialog.query_one(f"#{number_field_id(first.id)}", Field)
        await type_into(pilot, number, "rr 123 456 785 pl")
        await type_into(pilot, day, "24.11.2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert day.error == "Error: 24.11.2026 is in the future"
        assert number.error == ""
        await type_into(pilot, day, "2026-11-23")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PostingDialog)
        assert number.error == f"Error: {NUMBER} is already used by another letter"
        assert app.screen.focused is number.input
    assert Message.get_by_id(first.id).state == MessageState.PRINTED


async def test_confirming_posting_counts_the_step_from_the_day_typed(letters, make_app, clock,
                                                                   tmp_path):
    printed = print_all(clock, tmp_path)
    letter = Message.get_by_id(printed.letters[0])
    documents = documents_of(letter.id)
    before = {d.id: d.demands_sent for d in documents}
    clock.day = TODAY + dt.timedelta(days=2)  # Wednesday: posted on Tuesday
    posted = TODAY + dt.timedelta(days=1)
    app = make_app(letters, "pl")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        dialog = await open_posting(app, pilot, screen, mark=letter.id)
        assert dialog.query_one("#day", Field).value == "25.11.2026"  # today unless changed
        await type_into(pilot, dialog.query_one("#day", Field), "24.11.2026")
        await type_into(pilot, dialog.query_one(f"#{number_field_id(letter.id)}", Field),
                        NUMBER)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        row = next(r for r in shown(screen) if r.id == letter.id)
        assert screen._cells(row)[1] == "nadany 24.11"
    for document in documents_of(letter.id):
        assert document.demands_sent == before[document.id] + 1
        assert document.last_demand_on == posted
    stored = Letter.get(Letter.message == letter.id)
    assert (stored.posted_on, stored.registered_number) == (posted, NUMBER)
    assert Message.get_by_id(letter.id).state == MessageState.SENT
    # The others of the batch were not marked: they still wait.
    assert [m.id for m in printed_letters()] == printed.letters[1:]


# --- the return receipt, the returned envelope ------------------------------------------

def posted_letter(clock, tmp_path) -> Message:
    printed = print_all(clock, tmp_path)
    letter = Message.get_by_id(printed.letters[0])
    post_letters(clock, [(letter, NUMBER)], TODAY, "anna")
    clock.day = TODAY + dt.timedelta(days=7)
    return letter


async def open_outcome(app, pilot, screen: LettersScreen, letter_id: int, key: str):
    screen.table.move_cursor(next(i for i, r in enumerate(shown(screen)) if r.id == letter_id))
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, OutcomeDialog)
    return app.screen


def timeline_text(screen) -> str:
    table = screen.query_one("#timeline", DataTable)
    return "\n".join(" ".join(str(c) for c in table.get_row_at(i))
                     for i in range(table.row_count))


async def test_a_delivery_goes_on_the_documents_timeline(letters, make_app, clock, tmp_path):
    letter = posted_letter(clock, tmp_path)
    app = make_app(letters)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        dialog = await open_outcome(app, pilot, screen, letter.id, "d")
        day = dialog.query_one("#day", Field)
        await type_into(pilot, day, "22.11.2026")  # before it was posted
        await pilot.press("enter")
        await pilot.pause()
        assert day.error == "Error: 22.11.2026 is before the letter was posted (23.11.2026)"
        await type_into(pilot, day, "26.11.2026")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        row = next(r for r in shown(screen) if r.id == letter.id)
        assert screen._cells(row)[1] == "delivered 26.11"
        document = documents_of(letter.id)[0]
        events = CollectionEvent.select().where(
            (CollectionEvent.kind == EventKind.LETTER_DELIVERED)
            & (CollectionEvent.document == document.id))
        assert events.count() == 1
        timeline = await open_document(app, pilot, document)
        assert f"letter #{letter.id} on 26.11.2026" in timeline_text(timeline)
    assert Letter.get(Letter.message == letter.id).delivered_on == dt.date(2026, 11, 26)


async def test_a_returned_letter_goes_on_the_timeline_with_its_reason(letters, make_app, clock,
                                                                     tmp_path):
    letter = posted_letter(clock, tmp_path)
    app = make_app(letters)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        dialog = await open_outcome(app, pilot, screen, letter.id, "r")
        await type_into(pilot, dialog.query_one("#day", Field), "27.11.2026")
        await pilot.press("tab", "enter")  # the reasons open; the first is "not collected"
        await pilot.pause()
        await pilot.press("down", "enter")  # refused by the addressee
        await pilot.pause()
        assert dialog.query_one("#reason", Select).value == "refused"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        timeline = await open_document(app, pilot, documents_of(letter.id)[0])
        assert (f"letter #{letter.id} on 27.11.2026: refused by the addressee"
                in timeline_text(timeline))
    stored = Letter.get(Letter.message == letter.id)
    assert (stored.returned_on, stored.return_reason) == (dt.date(2026, 11, 27), "refused")


async def test_keys_on_a_letter_in_another_state_say_what_to_choose(letters, make_app):
    app = make_app(letters)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        for key in ("c", "d", "r", "R"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen
        words = [str(n.message) for n in app._notifications]
        assert any("printed, not posted" in w for w in words)
        assert any("posted, with no receipt yet" in w for w in words)
        assert any("no batch to draw again" in w for w in words)


# --- the look ----------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "pl"])
def test_snapshot_of_the_print_queue(snap_compare, letters, make_app, clock, tmp_path,
                                     language):
    """Two letters printed (one posted), the rest to print, at 80×24."""
    first, second, *_ = planned_letters()
    print_letters(clock, load_settings(), tmp_path / "letters", "anna", ids=[first.id, second.id])
    post_letters(clock, [(Message.get_by_id(first.id), NUMBER)], TODAY, "anna")

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("0")
        await settle(pilot)

    assert snap_compare(make_app(letters, language), terminal_size=SIZE,
                        run_before=run_before)


def post_first_letter(clock, tmp_path) -> tuple[Message, Document]:
    """All letters printed, the first posted: it and its (first) document."""
    letter = Message.get_by_id(print_all(clock, tmp_path).letters[0])
    registered = is_registered(letter_from_json(letter.raw))
    post_letters(clock, [(letter, NUMBER if registered else "")], TODAY, "anna")
    return letter, DocumentStep.get(DocumentStep.message == letter.id).document


async def read_from_timeline(app, pilot, document: Document, letter: Message) -> None:
    """Enter on ``letter`` in ``document``'s timeline: its message view is open."""
    from windykacja.tui.screens.message import MessageScreen

    screen = await open_document(app, pilot, document)
    timeline = screen.query_one("#timeline", DataTable)
    timeline.focus()
    timeline.move_cursor(row=screen._message_ids.index(letter.id))
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, MessageScreen)


async def test_enter_on_a_posted_letter_in_the_timeline_shows_the_letter(
        letters, make_app, clock, tmp_path):
    """The document's timeline: Enter on the demand posted as a letter shows what the
    letter says (its recipient, title, text), never the JSON it is stored as."""
    letter, document = post_first_letter(clock, tmp_path)
    app = make_app(letters)
    async with app.run_test(size=SIZE) as pilot:
        await read_from_timeline(app, pilot, document, letter)
        body = str(app.screen.query_one("#body", Static).content)
        headers = str(app.screen.query_one("#headers", Static).content)
        assert letter.subject in headers and document.contractor.name in headers
        assert document.number in body and '"paragraphs"' not in body


async def test_a_letters_place_and_date_stay_on_one_line_at_80_columns(
        letters, make_app, clock, tmp_path):
    """The place and date, right as the PDF prints them, fit the message view the
    timeline opens at 80×24 (at 72 columns it wrapped, leaving the date alone below)."""
    from windykacja.ledger.names import day_text

    letter, document = post_first_letter(clock, tmp_path)
    dated = day_text(letter_from_json(letter.raw).date)
    app = make_app(letters)
    async with app.run_test(size=SIZE) as pilot:
        await read_from_timeline(app, pilot, document, letter)
        body = app.screen.query_one("#body", Static)
        line = next(t for t in str(body.content).splitlines() if t.rstrip().endswith(dated))
        assert line.strip().startswith(letter_from_json(letter.raw).place)
        assert len(line) <= body.content_size.width
