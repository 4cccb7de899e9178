"""Settings, driven by keys: saving and reading back, a refused value in place, the SMTP
password never shown, a real test e-mail through the test SMTP server, the keys to the
wizard and the templates editor, and (issue 5) the demands-under-Polish-law switches, the
add-a-rate dialog and the EUR refresh against a real HTTP server shaped like the NBP API."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from nbp_api import NbpApi
from smtp_test_server import SMTP_TEST_PASSWORD, SMTP_TEST_USER, closed_port
from textual.widgets import Input, Static

from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import EurRate, InterestRate, Setting
from windykacja.tui.screens.interest_rate import InterestRateDialog
from windykacja.tui.screens.settings import SettingsScreen
from windykacja.tui.screens.templates import TemplatesScreen
from windykacja.tui.screens.wizard import WizardScreen


def field_input(app, field_id: str) -> Input:
    return app.screen.query_one(f"#{field_id}").query_one(Input)


def shown(app, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}", Static).render())


def screen_text(app) -> str:
    """Everything the screen's widgets show, fields included."""
    texts = [str(w.render()) for w in app.screen.query(Static)]
    texts += [w.value for w in app.screen.query(Input)]
    return "\n".join(texts)


async def open_settings(pilot) -> SettingsScreen:
    await pilot.press("6")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)
    return pilot.app.screen


async def test_settings_are_saved_and_read_back(demo_db, make_app, monkeypatch):
    monkeypatch.setenv("WINDYKACJA_USER", "marta")
    before = {row.key: row.author for row in Setting.select()}
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        assert field_input(app, "reminder-days_before_due").value == \
            str(load_settings().reminder_days_before_due)
        field_input(app, "reminder-days_before_due").value = "5"
        field_input(app, "company-address").value = "ul. Nowa 1, 00-001 Warszawa"
        app.screen.query_one("#day-sat").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Saved 3 settings; they apply from the next pass." in shown(app, "settings-status")

    settings = load_settings()
    assert settings.reminder_days_before_due == 5
    assert settings.company_address == "ul. Nowa 1, 00-001 Warszawa"
    assert 5 in settings.schedule_weekdays
    # Only what changed carries the new author.
    authors = {row.key: row.author for row in Setting.select()}
    assert authors["reminder.days_before_due"] == "marta"
    assert authors["module.enabled"] == before["module.enabled"] != "marta"
    assert "demand.max_count" not in authors or authors["demand.max_count"] != "marta"

    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        assert field_input(app, "reminder-days_before_due").value == "5"
        assert field_input(app, "company-address").value == "ul. Nowa 1, 00-001 Warszawa"
        assert app.screen.query_one("#day-sat").value


async def test_a_bad_value_is_refused_next_to_its_field(demo_db, make_app):
    stored = {row.key: row.value for row in Setting.select()}
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        field_input(app, "demand-max_count").value = "11"
        field_input(app, "company-nip").value = "123"
        field_input(app, "reminder-days_before_due").value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#demand-max_count").error == \
            "Error: must be between 1 and 10"
        assert "NIP '123' is not valid" in app.screen.query_one("#company-nip").error
        assert app.screen.query_one("#reminder-days_before_due").error == ""
        assert "Not saved" in shown(app, "settings-status")
    assert {row.key: row.value for row in Setting.select()} == stored


async def test_switching_collection_on_needs_the_sender_identity(db, make_app, db_location):
    app = make_app(db_location())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#module-enabled").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#sender-email").error == "Error: required"
    assert Setting.select().count() == 0


async def test_the_smtp_password_is_never_shown_nor_lost(demo_db, make_app, clock):
    url = "smtp://robot%40firma.pl:Tajne-Haslo-9@mail.firma.pl:587?starttls=1"
    save_settings({"smtp.url": url}, "test", clock.now())
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        assert field_input(app, "smtp-url").value == \
            "smtp://robot%40firma.pl:***@mail.firma.pl:587?starttls=1"
        assert "Tajne-Haslo-9" not in screen_text(app)
        field_input(app, "sender-name").value = "Dział windykacji"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Tajne-Haslo-9" not in screen_text(app)
    assert load_settings().smtp_url == url  # the mask was not saved over it
    assert load_settings().sender_name == "Dział windykacji"


async def test_a_test_email_goes_through_the_smtp_server(demo_db, make_app, smtp_server):
    url = (f"smtp://{SMTP_TEST_USER.replace('@', '%40')}:{SMTP_TEST_PASSWORD}"
           f"@{smtp_server.host}:{smtp_server.port}")
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        field_input(app, "smtp-url").value = url  # typed, not saved: tried first
        field_input(app, "test-recipient").value = "ja@przykladowa.pl"
        await pilot.press("ctrl+t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = shown(app, "test-result")
        assert result.startswith("Sent to ja@przykladowa.pl: 250"), result
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message.rcpt_tos == ("ja@przykladowa.pl",)
    assert message.login == SMTP_TEST_USER
    assert message.mail_from == load_settings().sender_email
    assert "test e-mail" in message.parsed()["Subject"]
    assert load_settings().smtp_url == ""  # trying is not saving


async def test_a_refused_connection_is_shown_in_place(demo_db, make_app):
    port = closed_port()
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        field_input(app, "smtp-url").value = f"smtp://127.0.0.1:{port}"
        field_input(app, "test-recipient").value = "ja@przykladowa.pl"
        await pilot.press("ctrl+t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = shown(app, "test-result")
        assert result.startswith(f"Not sent: cannot connect to 127.0.0.1:{port}"), result
        assert "refused" in result.lower()


async def test_a_test_email_needs_a_valid_address(demo_db, make_app, smtp_server):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        field_input(app, "smtp-url").value = f"smtp://{smtp_server.host}:{smtp_server.port}"
        field_input(app, "test-recipient").value = "nobody"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "is not valid" in app.screen.query_one("#test-recipient").error
    assert smtp_server.messages == []


async def test_keys_open_the_wizard_and_the_templates_editor(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, TemplatesScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)


async def test_coming_back_rereads_what_someone_else_saved(demo_db, make_app, clock):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        save_settings({"demand.max_count": "5"}, "someone", clock.now())
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert field_input(app, "demand-max_count").value == "5"
        # Unsaved edits are not thrown away by a refresh.
        field_input(app, "demand-max_count").value = "4"
        save_settings({"demand.max_count": "6"}, "someone", clock.now() + dt.timedelta(1))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert field_input(app, "demand-max_count").value == "4"


# --- demands under Polish law and the rate tables (issue 5) ----------------------------


async def test_the_law_settings_are_saved_and_a_bad_hold_is_refused(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        assert app.screen.query_one("#demand-include_interest").value is True
        assert app.screen.query_one("#demand-include_compensation").value is False
        app.screen.query_one("#demand-include_compensation").value = True
        app.screen.query_one("#demand-include_interest").value = False
        field_input(app, "statement-hold_days").value = "61"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#statement-hold_days").error == \
            "Error: must be between 0 and 60"
        assert load_settings().demand_include_compensation is False
        field_input(app, "statement-hold_days").value = "0"
        field_input(app, "statement-bank_profile").value = "ing"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#statement-bank_profile").error.startswith(
            "Error: 'ing' is not a bank profile")
        field_input(app, "statement-bank_profile").value = "mbank"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Saved 4 settings" in shown(app, "settings-status")
    settings = load_settings()
    assert settings.demand_include_compensation is True
    assert settings.demand_include_interest is False
    assert settings.statement_hold_days == 0
    assert settings.statement_bank_profile == "mbank"
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        assert app.screen.query_one("#demand-include_compensation").value is True
        assert field_input(app, "statement-hold_days").value == "0"


async def test_a_rate_is_added_in_the_dialog_after_a_bad_date_is_refused(demo_db, make_app,
                                                                         monkeypatch):
    monkeypatch.setenv("WINDYKACJA_USER", "marta")
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        assert "14.00 % a year from 01.01.2026" in shown(app, "interest-rates")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, InterestRateDialog)
        # The next half-year is offered: the clock says 23 November 2026.
        assert field_input(app, "rate-valid_from").value == "01.01.2027"
        field_input(app, "rate-valid_from").value = "02.01.2027"
        field_input(app, "rate-rate").value = "13,75"
        field_input(app, "rate-source").value = "M.P. 2026 poz. 1100"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterestRateDialog)
        assert app.screen.query_one("#rate-valid_from").error == (
            "Error: a commercial rate is fixed for a half-year: it starts on 1 January or "
            "1 July, not on 02.01.2027")
        assert InterestRate.select().count() == 0
        field_input(app, "rate-valid_from").value = "01.01.2027"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert "Added: 13.75 % a year from 01.01.2027 for businesses" in \
            shown(app, "settings-status")
        assert ("businesses (commercial transactions): 13.75 % a year from 01.01.2027 "
                "(M.P. 2026 poz. 1100)") in shown(app, "interest-rates")
    stored = InterestRate.get()
    assert (stored.kind, stored.valid_from, stored.rate, stored.author) == (
        "business", dt.date(2027, 1, 1), "13.75", "marta")


async def test_cancelling_the_dialog_adds_nothing(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await click_button(pilot, "add-rate")
        await pilot.pause()
        assert isinstance(app.screen, InterestRateDialog)
        field_input(app, "rate-rate").value = "13.75"
        await pilot.press("escape")  # asks first: the typing would be lost
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
    assert InterestRate.select().count() == 0


async def click_button(pilot, button_id: str) -> None:
    """Scroll the button into view, as a user would, and click it."""
    pilot.app.screen.query_one(f"#{button_id}").scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(f"#{button_id}")


def notices(app) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_eur_rates_are_refreshed_in_a_worker_and_the_outcome_told(demo_db, make_app,
                                                                        monkeypatch):
    with NbpApi() as api:
        api.months["2025-04"] = [("082/A/NBP/2025", "2025-04-30", "4.2778")]
        api.months["2026-10"] = [("210/A/NBP/2026", "2026-10-30", "4.2500")]
        monkeypatch.setenv("WINDYKACJA_NBP_URL", api.url)
        app = make_app(demo_db)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            assert "Known up to 2025-03: 4.1839 PLN" in shown(app, "eur-rates")
            await pilot.press("ctrl+e")
            await app.workers.wait_for_complete()
            await pilot.pause()
            result = shown(app, "eur-result")
            assert result.startswith("Stored 2 of 19 months from NBP. No table A in: "
                                     "2025-05, 2025-06"), result
            assert "Known up to 2026-10: 4.2500 PLN (table 210/A/NBP/2026 of 30.10.2026)." \
                in shown(app, "eur-rates")
            assert result in notices(app)
    assert [row.month for row in EurRate.select().order_by(EurRate.month)] == [
        "2025-04", "2026-10"]


async def test_a_failed_refresh_is_told_and_stores_nothing(demo_db, make_app, monkeypatch):
    with NbpApi() as api:
        api.months["2025-04"] = [("082/A/NBP/2025", "2025-04-30", "4.2778")]
        api.answers["2025-05"] = "garbage"
        monkeypatch.setenv("WINDYKACJA_NBP_URL", api.url)
        app = make_app(demo_db)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            await click_button(pilot, "refresh-eur")
            await app.workers.wait_for_complete()
            await pilot.pause()
            result = shown(app, "eur-result")
            assert result == (f"EUR rates not refreshed, nothing stored: {api.url}/rates/a/eur/"
                              "2025-05-01/2025-05-31/?format=json: the answer is not JSON")
            assert result in notices(app)
    assert EurRate.select().count() == 0


async def test_the_law_section_and_the_dialog_speak_polish(demo_db, make_app):
    from windykacja.tui.i18n import missing, set_language
    from windykacja.tui.screens import interest_rate, settings

    app = make_app(demo_db, language="pl")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            assert str(app.screen.query_one("#demand-include_interest Checkbox").label) == \
                "Doliczaj w wezwaniach odsetki ustawowe za opóźnienie"
            await pilot.press("ctrl+n")
            await pilot.pause()
            field_input(app, "rate-valid_from").value = "2.1.2027"
            field_input(app, "rate-rate").value = "13.75"
            field_input(app, "rate-source").value = "x"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen.query_one("#rate-valid_from").error.startswith(
                "Błąd: stopa w transakcjach handlowych obowiązuje przez całe półrocze")
            field_input(app, "rate-rate").value = ""
            field_input(app, "rate-valid_from").value = "01.01.2027"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen.query_one("#rate-rate").error == "Błąd: wymagane"
            # Every literal of the two modules that reached the screen has its Polish.
            literals = set()
            for module in (settings, interest_rate):
                tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
                literals |= {node.value for node in ast.walk(tree)
                             if isinstance(node, ast.Constant) and isinstance(node.value, str)}
            assert [text for text in missing() if text in literals] == []
    finally:
        set_language("en")


async def test_rate_lines_and_a_conflicting_rate_read_polish(demo_db, make_app):
    """The Polish Settings screen shows each newest rate's provenance note in Polish (the
    shipped ``source_pl``; was the English 'computed: NBP reference rate …') and a stored
    rate that contradicts the shipped table in Polish words (was 'the stored business
    interest rate … conflicts with this release')."""
    import datetime as dt

    from reader_rules import problems

    from windykacja.i18n import missing, set_language

    try:
        app = make_app(demo_db, language="pl")
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            lines = shown(app, "interest-rates")
            assert "stopa referencyjna NBP obowiązująca pierwszego dnia półrocza" in lines
            assert problems(lines, "pl") == [], lines
        InterestRate.create(kind="business", valid_from=dt.date(2026, 1, 1), rate="13.50",
                            source="M.P. 2026 poz. 1", author="anna",
                            created_at=dt.datetime(2026, 1, 2))
        app = make_app(demo_db, language="pl")
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            lines = shown(app, "interest-rates")
            assert "dodana stopa (firma) 13,50% od 01.01.2026" in lines, lines
            assert problems(lines, "pl") == [], lines
        from windykacja.ledger import rate_problems, rates
        from windykacja.tui.screens import settings
        literals = set()
        for module in (settings, rate_problems, rates):
            tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
            literals |= {node.value for node in ast.walk(tree)
                         if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        assert [text for text in missing() if text in literals] == []
    finally:
        set_language("en")


async def test_letters_and_the_registry_are_set_in_words_not_codes(demo_db, make_app):
    """Issue 16: each step's channel is picked from words (by e-mail / by letter / by
    letter and e-mail, in Polish too), never typed as a code; the bureau is typed."""
    from textual.widgets import Select

    from windykacja.tui import i18n

    app = make_app(demo_db)
    try:
        i18n.set_language("pl")
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            select = app.screen.query_one("#letters-reminder").query_one(Select)
            assert [str(label) for label, _ in select._options] == [
                "e-mailem", "listem", "listem i e-mailem"]
            select.value = "both"
            app.screen.query_one("#registry-warning").value = False
            field_input(app, "registry-bureau_name").value = "ERIF Biuro Informacji "\
                "Gospodarczej S.A."
            await pilot.press("ctrl+s")
            await pilot.pause()
    finally:
        i18n.set_language("en")
    settings = load_settings()
    assert settings.letters_reminder == "both" and settings.registry_warning is False
    assert settings.registry_bureau_name == "ERIF Biuro Informacji Gospodarczej S.A."
