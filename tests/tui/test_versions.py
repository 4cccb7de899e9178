"""Two people on the same contractor or document, through the interface: the second save
is refused with who and when, nothing of it is stored, and Ctrl+R reads the row again;
and who did what, found on the Activity screen by the author filter."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from windykacja.ledger.actions import add_note, record_payment, set_subject_to_collection
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.settings import load_settings
from windykacja.lists.contractor_list import load_for_editing, save_contractor
from windykacja.models import CollectionEvent, Contractor, Document, Payment, database
from windykacja.tui import changed_text, i18n
from windykacja.tui.screens import contractors as contractors_screen
from windykacja.tui.screens import document as document_screen
from windykacja.tui.screens.contractors import ContractorEditor
from windykacja.tui.screens.payment import PaymentDialog

from .conftest import TODAY, open_document, settle
from .test_activity import open_activity, shown
from .test_contractors import fill, open_contractors

AT_10_42 = FixedClock(TODAY, dt.time(10, 42))
REFUSED = {"en": "changed by ewa at 10:42, reload",
           "pl": "zmienione przez: ewa o 10:42; odśwież"}


async def as_colleague(action):
    """``action`` run by another session: its own thread and database connection."""
    def run():
        try:
            return action()
        finally:
            database.close()
    return await asyncio.to_thread(run)


def untranslated() -> list[str]:
    """Strings of the screens here shown so far without a Polish wording."""
    sources = "".join(Path(module.__file__).read_text(encoding="utf-8")
                      for module in (contractors_screen, document_screen, changed_text))
    return [text for text in i18n.missing() if f'"{text}"' in sources]


def line(screen, selector: str) -> str:
    widget = screen.query_one(selector, Static)
    return str(widget.content) if widget.display else ""


@pytest.mark.parametrize("language", ["en", "pl"])
async def test_the_editor_refuses_a_save_over_a_colleagues_and_keeps_the_typing(
    demo_db, make_app, language
):
    app = make_app(demo_db, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contractors(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ContractorEditor)
        contractor_id = editor.contractor_id
        before = Contractor.get_by_id(contractor_id)
        fill(editor, name="Nazwa wpisana przez Annę")

        def ewa_saves():
            form, version = load_for_editing(contractor_id)
            return save_contractor(AT_10_42, replace(form, phone="601 200 300"),
                                   contractor_id, seen_version=version, author="ewa")
        await as_colleague(ewa_saves)

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor  # still open, with what Anna typed to copy
        assert REFUSED[language] in line(editor, "#changed")
        assert editor.field("name").value == "Nazwa wpisana przez Annę"
        stored = Contractor.get_by_id(contractor_id)
        assert (stored.name, stored.phone, stored.updated_by) == (
            before.name, "601 200 300", "ewa")

        await pilot.press("ctrl+r")  # read what ewa saved, then save again
        await pilot.pause()
        await pilot.press("y")  # Ctrl+R replaces the typing: asked first (issue 12)
        await pilot.pause()
        assert line(editor, "#changed") == ""
        assert (editor.field("name").value, editor.field("phone").value) == (
            before.name, "601 200 300")
        fill(editor, name="Nazwa wpisana przez Annę")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ContractorEditor)
        stored = Contractor.get_by_id(contractor_id)
        assert (stored.name, stored.phone) == ("Nazwa wpisana przez Annę", "601 200 300")
        assert stored.updated_by != "ewa" and stored.version == before.version + 2
        assert untranslated() == []


def unpaid_document() -> Document:
    return (Document.select().where((Document.outstanding > 0)
                                    & Document.subject_to_collection
                                    & Document.collection_ended_on.is_null()
                                    & Document.recovery_case.is_null())
            .order_by(Document.id).first())


SWITCH_REFUSED = {
    "en": "Collection switch not saved: changed by ewa at 10:42, reload (Ctrl+R).",
    "pl": "Przełączenie windykacji — nie zapisano: zmienione przez: ewa o 10:42; odśwież "
          "(Ctrl+R).",
}


@pytest.mark.parametrize("language", ["en", "pl"])
async def test_the_document_screen_refuses_a_switch_over_a_colleagues(
    demo_db, make_app, language
):
    document = unpaid_document()
    app = make_app(demo_db, language)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_document(app, pilot, document)
        header = line(screen, "#header")
        await as_colleague(lambda: set_subject_to_collection(
            AT_10_42, load_settings(), [document.id], False, "ewa"))

        await pilot.press("c")  # Anna, too, means to switch it off
        await pilot.pause()
        assert line(screen, "#changed") == SWITCH_REFUSED[language]
        stored = Document.get_by_id(document.id)
        assert (stored.subject_to_collection, stored.updated_by) == (False, "ewa")
        flags = CollectionEvent.select().where((CollectionEvent.document == document.id)
                                               & (CollectionEvent.kind == "flag_changed"))
        assert [e.author for e in flags] == ["ewa"]

        await pilot.press("ctrl+r")
        await pilot.pause()
        assert line(screen, "#changed") == ""
        assert line(screen, "#header") != header  # what ewa did shows now
        await pilot.press("c")  # now on what she sees: back on
        await pilot.pause()
        assert Document.get_by_id(document.id).subject_to_collection
        assert untranslated() == []


async def test_the_document_screen_refuses_a_payment_over_a_colleagues(demo_db, make_app):
    document = unpaid_document()
    app = make_app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_document(app, pilot, document)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PaymentDialog)
        # While the dialog is open, ewa records the same customer's transfer.
        await as_colleague(lambda: record_payment(
            AT_10_42, load_settings(), document, TODAY, Decimal("10.00"), author="ewa"))
        await pilot.press("ctrl+s")  # the amount offered: the outstanding Anna saw
        await pilot.pause()
        assert app.screen is screen
        assert line(screen, "#changed").startswith("The payment of ")
        assert line(screen, "#changed").endswith(
            "not saved: changed by ewa at 10:42, reload (Ctrl+R).")
        assert [p.author for p in Payment.select().where(Payment.document == document.id)] == [
            "ewa"]
        stored = Document.get_by_id(document.id)
        assert stored.outstanding == document.outstanding - Decimal("10.00")


async def test_the_activity_screen_filters_by_author_and_offers_the_names_seen(
    demo_db, make_app, clock
):
    documents = list(Document.select().order_by(Document.id).limit(2))
    add_note(clock, documents[0], "Dzwoniłam, obiecał zapłacić.", author="Anna Kowalska")
    add_note(clock, documents[1], "Wysłałam kopię faktury.", author="Anna Kowalska")
    add_note(clock, documents[1], "Nie odbiera.", author="ewa")
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_activity(app, pilot)
        author = screen.query_one("#author", Input)
        author.focus()
        await pilot.press(*"ann")
        await pilot.pause()
        await pilot.press("right")  # takes the name offered
        await settle(pilot, 0.5)
        assert author.value == "Anna Kowalska"
        rows = shown(screen)
        assert [r.text for r in rows] == ["Wysłałam kopię faktury.",
                                          "Dzwoniłam, obiecał zapłacić."]

        author.value = "EWA"  # any part of the name, any case
        await settle(pilot, 0.5)
        assert [r.author for r in shown(screen)] == ["ewa"]


async def test_a_config_file_that_cannot_be_used_is_said_at_start(
    demo_db, make_app, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = tmp_path / "config" / "windykacja" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text("user = Anna\n", encoding="utf-8")  # no quotes: not TOML
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        said = [str(n.message) for n in app._notifications]
        assert [m for m in said if m.startswith(
            f"The config file is not used as written: {path} is not valid TOML")]
        assert app.current_mode == "unpaid"  # and the app goes on
