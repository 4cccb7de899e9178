"""Work is never dropped without asking, inputs are bounded, and the keys go where the
user looks (issue 12, point 8), driven by keys as a user drives the app."""

from __future__ import annotations

import time

from textual import events
from textual.widgets import Input

from windykacja.ledger.settings import load_settings
from windykacja.models import Contractor, Setting
from windykacja.tui.screens.contractors import ContractorEditor, ContractorsScreen
from windykacja.tui.screens.document import DocumentScreen
from windykacja.tui.screens.note import NoteDialog
from windykacja.tui.screens.payment import PaymentDialog
from windykacja.tui.screens.settings import SettingsScreen
from windykacja.tui.screens.unpaid import UnpaidScreen
from windykacja.tui.screens.wizard import WizardScreen
from windykacja.tui.widgets.bounded import BoundedTextArea
from windykacja.tui.widgets.unsaved import DiscardDialog

from .conftest import settle


def field_input(app, field_id: str) -> Input:
    return app.screen.query_one(f"#{field_id}").query_one(Input)


async def new_contractor(app, pilot) -> ContractorEditor:
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(app.screen, ContractorEditor)
    return app.screen


async def test_ctrl_q_from_a_half_filled_contractor_asks_and_keep_editing_keeps_it(
        demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await new_contractor(app, pilot)
        await pilot.press(*"NEW1")
        assert editor.field("code").value == "NEW1"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, DiscardDialog)
        assert "Discard the changes?" in str(app.screen.query_one("Static").render())
        await pilot.press("enter")  # the default answer: keep editing
        await pilot.pause()
        assert app.screen is editor
        assert app.return_code is None  # still running
        await pilot.press(*"X")  # the typing goes on where it was
        assert editor.field("code").value == "NEW1X"
        await pilot.press("escape")  # Esc asks too; Esc in the question keeps editing
        await pilot.pause()
        assert isinstance(app.screen, DiscardDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is editor and editor.field("code").value == "NEW1X"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert app.return_code == 0  # the app quit
    assert not Contractor.select().where(Contractor.code.startswith("NEW1")).exists()


async def test_discard_in_the_editor_leaves_it(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_contractor(app, pilot)
        await pilot.press(*"Nowa")
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one("#yes").press()  # the Discard button
        await settle(pilot)
        assert isinstance(app.screen, ContractorsScreen)


async def test_nothing_is_asked_when_nothing_changed(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_contractor(app, pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ContractorsScreen)
        await pilot.press("6")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnpaidScreen)
        await new_contractor(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_esc_and_number_keys_from_settings_with_invalid_edits_ask(demo_db, make_app):
    app = make_app(demo_db)
    stored = load_settings().reminder_min_amount
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        field_input(app, "reminder-min_amount").value = "twelve"  # not even valid
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardDialog)
        await pilot.press("enter")  # keep editing
        await pilot.pause()
        assert app.screen is settings
        assert field_input(app, "reminder-min_amount").value == "twelve"
        await pilot.press("3")  # a number key that switches screens asks too
        await pilot.pause()
        assert isinstance(app.screen, DiscardDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is settings
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await settle(pilot)
        assert isinstance(app.screen, UnpaidScreen)
        await pilot.press("6")  # coming back shows the stored settings, not the typing
        await settle(pilot)
        assert field_input(app, "reminder-min_amount").value != "twelve"
        assert not settings.has_changes
    assert load_settings().reminder_min_amount == stored
    assert not Setting.select().where(Setting.value == "twelve").exists()


async def test_the_note_and_payment_dialogs_and_the_wizard_ask(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"called")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(BoundedTextArea).text == "called"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PaymentDialog)
        await pilot.press("escape")  # untouched: leaves at once
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("p")
        await pilot.pause()
        field_input(app, "reference").value = "przelew 12"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        app.open_wizard()
        await settle(pilot)
        assert isinstance(app.screen, WizardScreen)
        field_input(app, "reminder-days_before_due").value = "9"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardDialog)


async def test_a_100000_character_paste_into_search_is_cut_and_the_screen_answers(
        demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        search = app.screen.query_one("#search", Input)
        assert search.has_focus
        started = time.monotonic()
        search.post_message(events.Paste("FV/" + "9" * 100_000))
        await settle(pilot, wait=0.3)
        assert len(search.value) == 100
        assert search.value.startswith("FV/999")
        await pilot.press("escape", "2")  # the screen still answers keys
        await settle(pilot)
        assert isinstance(app.screen, ContractorsScreen)
        assert time.monotonic() - started < 30  # minutes before the bound
        await pilot.press("slash")
        search = app.screen.query_one("#search", Input)
        search.post_message(events.Paste("x" * 100_000))
        await settle(pilot, wait=0.3)
        assert len(search.value) == 100


async def test_a_long_paste_into_a_note_is_cut_at_2000_characters(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        area = app.screen.query_one(BoundedTextArea)
        area.post_message(events.Paste("line\n" * 20_000))
        await pilot.pause()
        assert len(area.text) == 2_000
        await pilot.press("a")  # full: typing adds nothing more
        assert len(area.text) == 2_000


async def test_digits_after_leaving_an_editor_switch_screens_and_type_nowhere(
        demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        settings = app.screen
        await pilot.press("tab", "tab", "tab")  # into a field, as a user looking around
        assert isinstance(app.focused, Input)
        before = settings.values()
        await pilot.press("escape")  # nothing changed: leaves without a question
        await settle(pilot)
        assert isinstance(app.screen, UnpaidScreen)
        await pilot.press("6")
        await settle(pilot)
        assert app.screen is settings
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ContractorsScreen)
        assert settings.values() == before
        assert not settings.has_changes


async def test_an_error_vanishes_when_the_field_is_fixed(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await new_contractor(app, pilot)
        editor.field("code").value = "NEW2"
        editor.field("name").value = "Nowa Firma"
        editor.field("nip").value = "123-456-78-90"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "NIP is not valid" in editor.field("nip").error
        editor.field("nip").value = "526-025-02-7"  # still wrong while typing
        await pilot.pause()
        assert "NIP is not valid" in editor.field("nip").error
        editor.field("nip").value = "526-025-02-74"
        await pilot.pause()
        assert editor.field("nip").error == ""

        await pilot.press("escape", "y")
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        field_input(app, "demand-max_count").value = "99"
        await pilot.press("ctrl+s")
        await pilot.pause()
        max_count = app.screen.query_one("#demand-max_count")
        assert "between" in max_count.error
        field_input(app, "demand-max_count").value = "3"
        await pilot.pause()
        assert max_count.error == ""


async def test_the_weekdays_error_goes_when_a_day_is_ticked(demo_db, make_app):
    from textual.widgets import Checkbox

    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        days = app.screen.query_one("#schedule-weekdays")
        days.value = ""
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert days.error
        app.screen.query_one("#day-mon", Checkbox).value = True
        await pilot.pause()
        assert days.error == ""
