"""Contractors screen: search, the editor's checks next to each field, saving."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input

from windykacja.models import Contractor, Document
from windykacja.models.text import fold
from windykacja.tui.screens.contractors import ContractorEditor, ContractorsScreen

from .conftest import settle


async def open_contractors(app, pilot):
    await pilot.press("2")
    await settle(pilot)
    assert isinstance(app.screen, ContractorsScreen)
    return app.screen


def fill(editor: ContractorEditor, **values: str) -> None:
    for name, value in values.items():
        editor.field(name).value = value


async def test_the_list_shows_contractors_and_typed_search_narrows_it(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_contractors(app, pilot)
        assert str(screen.query_one("#count").content) == "200 contractors"
        assert screen.table.row_count == 200
        await pilot.press("slash", *"nowak")  # "n" is also the new-contractor key
        await settle(pilot, 0.4)
        assert not isinstance(app.screen, ContractorEditor)
        assert screen.query_one("#search", Input).value == "nowak"
        expected = [c.code for c in Contractor.select().order_by(Contractor.code)
                    if "nowak" in fold(f"{c.code} {c.name} {c.nip} {c.emails}")]
        shown = [screen.table.source.row(i).code for i in range(screen.table.row_count)]
        assert shown == expected and 0 < len(shown) < 200
        assert "match “nowak”" in str(screen.query_one("#count").content)
        await pilot.press("escape")  # back to the list; the search stays
        await pilot.press("escape")  # and a second Esc clears it
        await settle(pilot, 0.4)
        assert screen.table.row_count == 200


async def test_a_bad_nip_and_a_bad_email_are_shown_by_their_fields_and_nothing_is_stored(
    demo_db, make_app
):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contractors(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ContractorEditor)
        fill(editor, code="NEW1", name="Nowa Firma", nip="123-456-78-90",
             emails="dobry@example.pl; zly@@example")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor  # still open: nothing saved
        assert "NIP is not valid" in editor.field("nip").error
        assert editor.field("nip").error.startswith("Error:")
        assert "'zly@@example' is not a valid e-mail address" in editor.field("emails").error
        assert editor.field("name").error == ""
        assert not Contractor.select().where(Contractor.code == "NEW1").exists()
        await pilot.press("escape")  # asks first: the typing would be lost
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert isinstance(app.screen, ContractorsScreen)
        assert Contractor.select().count() == 200


async def test_a_new_contractor_is_stored_normalised_and_the_cursor_lands_on_it(
    demo_db, make_app
):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_contractors(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        fill(editor, code="K0100A", name="Łódzka Hurtownia Żółw", nip="PL 526-025-02-74",
             address="ul. Piotrkowska 1, 90-001 Łódź", emails="biuro@zolw.pl, Faktury@Zolw.pl",
             phone="+48 42 000 00 00")
        editor.query_one("#subject_to_collection").value = False
        editor.query_one("#language").value = "en"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContractorsScreen)
        stored = Contractor.get(Contractor.code == "K0100A")
        assert (stored.name, stored.nip, stored.email_list, stored.language,
                stored.subject_to_collection, stored.address) == (
            "Łódzka Hurtownia Żółw", "5260250274", ["biuro@zolw.pl", "Faktury@zolw.pl"], "en",
            False, "ul. Piotrkowska 1, 90-001 Łódź")
        assert screen.table.row_count == 201
        assert screen.table.current.code == "K0100A"
        assert screen.table.cursor_row == 100  # after K0100 in code order


async def test_a_duplicate_code_is_refused_next_to_the_code(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contractors(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        fill(editor, code="K0001", name="Druga firma")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor
        assert "another contractor already has this code" in editor.field("code").error
        assert Contractor.select().where(Contractor.name == "Druga firma").count() == 0


async def test_enter_opens_the_editor_and_a_saved_name_reaches_the_documents(
    demo_db, make_app
):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_contractors(app, pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ContractorEditor)
        assert editor.field("code").value == "K0002"
        assert "affects only documents created from now on" in str(
            editor.query_one("#subject_to_collection .field--hint").content).lower()
        fill(editor, name="Ślusarz Żabiński")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContractorsScreen)
        k2 = Contractor.get(Contractor.code == "K0002")
        assert k2.name == "Ślusarz Żabiński"
        keys = {d.contractor_key for d in Document.select().where(Document.contractor == k2)}
        assert keys <= {"slusarz zabinski"}
        assert screen.table.current.name == "Ślusarz Żabiński"
        assert screen.table.cursor_row == 1


async def test_the_editor_speaks_polish(demo_db, make_app):
    app = make_app(demo_db, language="pl")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_contractors(app, pilot)
        assert str(screen.query_one("#count").content) == "200 kontrahentów"
        await pilot.press("n")
        await pilot.pause()
        fill(app.screen, code="X1", name="X", nip="1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.field("nip").error.startswith("Błąd: ten NIP jest niepoprawny")
        assert "Warunki sprzedaży" in [str(label.content) for label in
                                       app.screen.query(".section-title")]


def term_matching(n: int) -> str:
    """A word of the demo contractors that the search finds in exactly ``n`` of them."""
    texts = [fold(f"{c.code} {c.name} {c.nip} {c.emails}") for c in Contractor.select()]
    words = sorted({w for text in texts for w in re.findall(r"[a-z]{5,}", text)})
    return next(w for w in words if sum(w in text for text in texts) == n)


@pytest.mark.parametrize("language, expected", [
    ("pl", ["1 kontrahent pasuje do „{}”", "2 kontrahenci pasują do „{}”",
            "5 kontrahentów pasuje do „{}”"]),
    ("en", ["1 contractor matches “{}”", "2 contractors match “{}”",
            "5 contractors match “{}”"]),
])
async def test_the_match_count_takes_the_plural_form_of_its_number(
        demo_db, make_app, language, expected):
    """Issue 12: "1 contractors match"; Polish has three forms (1, 2–4, 5 and more)."""
    app = make_app(demo_db, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_contractors(app, pilot)
        for n, wording in zip((1, 2, 5), expected, strict=True):
            term = term_matching(n)
            screen.query_one("#search", Input).value = term
            await settle(pilot, 0.4)
            assert screen.table.row_count == n
            assert str(screen.query_one("#count").content) == wording.format(term)
