"""Ctrl+P finds every screen and every action by the name a person types (issue 12,
point 9): templates, the wizard, a payment, a note, in English and in Polish, and each
found command does what it says."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from windykacja.tui.i18n import set_language
from windykacja.tui.screens.document import DocumentScreen
from windykacja.tui.screens.note import NoteDialog
from windykacja.tui.screens.payment import PaymentDialog
from windykacja.tui.screens.templates import TemplatesScreen
from windykacja.tui.screens.wizard import WizardScreen

from .conftest import settle


async def search(pilot, words: str) -> list[str]:
    """Open the palette, type ``words``, and read the commands it offers."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*words)
    await settle(pilot, wait=0.3)
    found = pilot.app.screen.query_one(CommandList)
    return [str(found.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(found.option_count)]


CASES = {
    "en": [("templates", "Templates: edit the message templates", TemplatesScreen),
           ("wizard", "Setup wizard: set up collection step by step", WizardScreen),
           ("payment", "Payment: record a payment", PaymentDialog),
           ("note", "Note: add a note to a document", NoteDialog)],
    "pl": [("szablony", "Szablony: edytuj szablony wiadomości", TemplatesScreen),
           ("kreator", "Kreator: skonfiguruj windykację krok po kroku", WizardScreen),
           ("wpłata", "Wpłata: zarejestruj wpłatę", PaymentDialog),
           ("notatka", "Notatka: dodaj notatkę do dokumentu", NoteDialog)],
}


@pytest.mark.parametrize("language", ["en", "pl"])
async def test_the_palette_finds_templates_wizard_payment_and_note(demo_db, make_app,
                                                                   language):
    app = make_app(demo_db, language=language)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            for words, title, opens in CASES[language]:
                await pilot.press("3")  # from another screen than the action's own
                await settle(pilot)
                found = await search(pilot, words)
                assert found and found[0].startswith(title), (words, found)
                await pilot.press("enter")
                await settle(pilot)
                assert isinstance(app.screen, opens), (words, app.screen)
                if opens is NoteDialog:  # on the highlighted document's screen
                    assert isinstance(app.screen_stack[-2], DocumentScreen)
                while len(app.screen_stack) > 1:
                    app.pop_screen()
                await settle(pilot)
    finally:
        set_language("en")


async def test_the_palette_runs_an_action_of_the_screen_in_view(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        document = app.screen
        found = await search(pilot, "note")
        assert found[0] == "Note"  # the screen's own key, then the named action
        assert any(title.startswith("Note: add a note") for title in found)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        assert app.screen_stack[-2] is document  # the document in view, not another
