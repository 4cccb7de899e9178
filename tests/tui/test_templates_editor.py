"""The templates editor (Settings → Templates), driven by keys: a broken template is
refused with its line and nothing stored, a good one is saved and previewed for a real
document, and reset puts the default back."""

from __future__ import annotations

from textual.widgets import Select, TextArea

from windykacja.dunning.render import default_source, load_overrides, save_override
from windykacja.models import Document, TemplateOverride
from windykacja.tui.screens.templates import TemplatesScreen
from windykacja.tui.widgets.form import ConfirmDialog

from .conftest import settle as settle_workers


async def open_editor(pilot) -> TemplatesScreen:
    await pilot.press("6")
    await pilot.pause()
    await pilot.press("ctrl+o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TemplatesScreen)
    return pilot.app.screen


def editor(app) -> TextArea:
    return app.screen.query_one("#template-source", TextArea)


def shown(app, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}").render())


async def settle(pilot) -> None:
    """Let the debounced preview run and its worker finish."""
    await settle_workers(pilot, 0.5)


async def pick(pilot, **choice: str) -> None:
    for key, value in choice.items():
        pilot.app.screen.query_one(f"#pick-{key}", Select).value = value
        await pilot.pause()


async def test_the_editor_shows_the_default_and_a_preview_for_a_real_document(
        demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        await pick(pilot, name="demand", language="pl", part="subject")
        assert editor(app).text == default_source("demand", "pl", "subject")
        assert "the default text" in shown(app, "template-state")
        await settle(pilot)
        title = shown(app, "preview-title")
        assert title.startswith("Preview for document ")
        number = title.removeprefix("Preview for document ").split(" (")[0]
        assert Document.get(Document.number == number).outstanding > 0
        assert f"Wezwanie do zapłaty nr 1: {number}" in shown(app, "preview-text")
        variables = shown(app, "variables-text")
        assert "contractor.name" in variables and "deadline" in variables


async def test_the_preview_follows_typing(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        await pick(pilot, name="reminder", part="text")
        await settle(pilot)
        editor(app).load_text("Dla: {{ contractor.name }}; dokumentów {{ documents|length }}")
        await settle(pilot)
        preview = shown(app, "preview-text")
        assert preview.startswith("Dla: ") and "dokumentów 1" in preview
        assert "unsaved changes" in shown(app, "template-state")
        editor(app).load_text("Dla: {{ contractor.nmae }}")  # only rendering reveals it
        await settle(pilot)
        assert "cannot be rendered" in shown(app, "preview-text")
        assert "Line 1" in shown(app, "template-error")


async def test_a_broken_template_is_refused_with_its_line_and_nothing_stored(
        demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        await pick(pilot, name="reminder", language="en", part="text")
        editor(app).load_text("Dear customer,\n\nyou owe {{ totals }\nThanks.\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = shown(app, "template-error")
        assert error.startswith("Not saved. Line 3:"), error
        assert editor(app).cursor_location == (2, 0)
        assert app.screen.focused is editor(app)
        assert "unsaved changes" in shown(app, "template-state")

        editor(app).load_text("Hello\n{{ contractor.name }}\n{{ secret_key }}\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = shown(app, "template-error")
        assert error.startswith("Not saved. Line 3: unknown variable 'secret_key'"), error
    assert TemplateOverride.select().count() == 0


async def test_a_good_template_is_saved(demo_db, make_app, monkeypatch):
    monkeypatch.setenv("WINDYKACJA_USER", "marta")
    source = "Przypomnienie dla {{ contractor.name }} ({{ documents|length }} dok.)"
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        await pick(pilot, name="reminder", language="pl", part="subject")
        editor(app).load_text(source)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shown(app, "template-error") == ""
        assert "your own version" in shown(app, "template-state")
        # Another part, then back: the saved version is what the editor loads.
        await pick(pilot, part="text")
        assert editor(app).text == default_source("reminder", "pl", "text")
        await pick(pilot, part="subject")
        assert editor(app).text == source
    assert load_overrides() == {("reminder", "pl", "subject"): source}
    assert TemplateOverride.get().author == "marta"


async def test_reset_puts_the_default_back(demo_db, make_app, clock):
    save_override("demand", "en", "text", "Pay {{ contractor.name }}.", "someone",
                  clock.now())
    app = make_app(demo_db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        await pick(pilot, name="demand", language="en", part="text")
        assert editor(app).text == "Pay {{ contractor.name }}."
        assert "your own version" in shown(app, "template-state")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, TemplatesScreen)
        assert editor(app).text == default_source("demand", "en", "text")
        assert "the default text" in shown(app, "template-state")
    assert load_overrides() == {}


async def test_reset_answered_no_keeps_the_users_version(demo_db, make_app, clock):
    save_override("report", "pl", "subject", "Koniec: {{ document.number }}", "someone",
                  clock.now())
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        await pick(pilot, name="report", language="pl", part="subject")
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert editor(app).text == "Koniec: {{ document.number }}"
    assert load_overrides() == {("report", "pl", "subject"): "Koniec: {{ document.number }}"}


async def test_leaving_with_unsaved_changes_asks_first(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        editor(app).load_text("changed")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TemplatesScreen)
        assert editor(app).text == "changed"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, TemplatesScreen)
    assert TemplateOverride.select().count() == 0


async def test_changing_template_with_unsaved_changes_can_be_refused(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        await pick(pilot, name="reminder", part="text")
        editor(app).load_text("my draft")
        app.screen.query_one("#pick-part", Select).value = "html"
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#pick-part", Select).value == "text"
        assert editor(app).text == "my draft"


async def test_the_editor_speaks_polish(demo_db, make_app):
    from windykacja.tui.i18n import set_language

    app = make_app(demo_db, language="pl")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_editor(pilot)
            editor(app).load_text("{% if %}")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert shown(app, "template-error").startswith("Nie zapisano. Wiersz 1:")
    finally:
        set_language("en")


async def test_the_editor_says_the_html_follows_an_edited_text(demo_db, make_app):
    """Issue 12: an own plain text is what the HTML part says too; the editor says so on
    both parts, and that an HTML of one's own is sent as written beside it."""
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        await pick(pilot, name="reminder", language="en", part="text")
        assert "made from" not in shown(app, "template-state")
        editor(app).load_text("Dear customer,\n\nplease pay {{ documents|length }} invoices.\n")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "The HTML part is made from this text." in shown(app, "template-state")
        await pick(pilot, part="html")
        state = shown(app, "template-state")
        assert "Not sent: while only the plain text is your own" in state
        await settle(pilot)
        # The preview shows what is sent: the HTML made from the own text.
        assert "<p>Dear customer,</p>" in shown(app, "preview-text")
        editor(app).load_text("<p>My own {{ documents|length }}</p>\n")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Both parts are your own and sent as written" in shown(app, "template-state")


def offered_parts(app) -> list[str]:
    select = app.screen.query_one("#pick-part", Select)
    return [str(value) for _words, value in select._options]


async def test_a_letters_closing_is_edited_previewed_saved_and_loaded_again(
        demo_db, make_app, monkeypatch):
    """Issue 16: a letter's parts are its title, opening and closing paragraphs; a part
    the letter has not (HTML) falls back to the title; the preview shows the paragraphs
    as the letter prints them."""
    monkeypatch.setenv("WINDYKACJA_USER", "marta")
    app = make_app(demo_db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        await pick(pilot, name="demand", language="pl", part="html")
        assert offered_parts(app) == ["subject", "text", "html"]
        await pick(pilot, name="letter_demand")
        assert offered_parts(app) == ["subject", "text", "closing"]
        assert app.screen.choice == ("letter_demand", "pl", "subject")
        assert app.screen.query_one("#pick-part", Select).value == "subject"
        assert editor(app).text == default_source("letter_demand", "pl", "subject")
        assert "Demand letter, Polish, Title: the default text." in shown(app, "template-state")
        await settle(pilot)
        assert "WEZWANIE DO ZAPŁATY" in shown(app, "preview-text")

        await pick(pilot, part="closing")
        assert editor(app).text == default_source("letter_demand", "pl", "closing")
        source = ("Dziękujemy, {{ contractor.name }}.\n\n\n"
                  "Termin: {{ deadline|pl_date }}.{% if final %} Ostatnie.{% endif %}\n")
        editor(app).load_text(source)
        await settle(pilot)
        preview = shown(app, "preview-text")
        assert preview.startswith("Dziękujemy, ") and "\n\nTermin: " in preview
        assert "\n\n\n" not in preview  # the paragraphs as printed
        assert "Closing text: unsaved changes" in shown(app, "template-state")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shown(app, "template-error") == ""
        assert "your own version" in shown(app, "template-state")

        # Back to an e-mail: its parts again, the part kept where it has it.
        await pick(pilot, name="demand")
        assert offered_parts(app) == ["subject", "text", "html"]
        assert app.screen.choice == ("demand", "pl", "subject")
        await pick(pilot, name="letter_demand", part="closing")
        assert editor(app).text == source
        assert "your own version" in shown(app, "template-state")
        await settle(pilot)
        assert shown(app, "preview-text").startswith("Dziękujemy, ")
    assert load_overrides() == {("letter_demand", "pl", "closing"): source}
    assert TemplateOverride.get().author == "marta"

    # A new session of the editor loads the saved version.
    app = make_app(demo_db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        await pick(pilot, name="letter_demand", language="pl")
        assert app.screen.choice == ("letter_demand", "pl", "text")
        await pick(pilot, part="closing")
        assert editor(app).text == source


async def test_a_letters_parts_have_polish_names(demo_db, make_app):
    from windykacja.tui.i18n import set_language

    app = make_app(demo_db, language="pl")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_editor(pilot)
            await pick(pilot, name="letter_registry", part="closing")
            state = shown(app, "template-state")
            assert state.startswith("List: wezwanie z ostrzeżeniem (BIG), polski, "
                                    "Zakończenie"), state
            await settle(pilot)
            assert "Krajowy Rejestr Długów" in shown(app, "preview-text")
            assert "registry.bureau_name" in shown(app, "variables-text")
    finally:
        set_language("en")
