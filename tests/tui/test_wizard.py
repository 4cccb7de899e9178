"""The setup wizard (SPEC §2), driven by keys as a user drives it, on a fresh database
whose collection was never set up: what it shows, and what it stores (or does not)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Input, RadioButton, Static

from windykacja.ledger.actions import create_contractor, create_document
from windykacja.ledger.ksef_access import TOKEN_ENV
from windykacja.ledger.settings import load_settings, settings_saved
from windykacja.models import CollectionEvent, Document, EventKind, Setting
from windykacja.tui.screens.wizard import WizardScreen

TODAY = dt.date(2026, 11, 23)
SENDER = {
    "company-name": "Przykładowa Firma sp. z o.o.",
    "company-address": "ul. Długa 5, 31-147 Kraków",
    "company-bank_account": "PL61 1090 1014 0000 0712 1981 2874",
    "sender-email": "windykacja@przykladowa.pl",
}


@pytest.fixture
def fresh(db, clock, db_location, monkeypatch):
    """A ledger with three unpaid documents created before collection was set up (so
    their flags are off): two issued before today, one today; and one paid document."""
    monkeypatch.setenv("WINDYKACJA_USER", "anna")
    settings = load_settings()
    customer = create_contractor(clock, code="K1", name="Klient sp. z o.o.",
                                 emails="klient@example.pl")
    docs = {}
    for number, issued, gross in (("FV/1", TODAY - dt.timedelta(days=30), "100.00"),
                                  ("FV/2", TODAY - dt.timedelta(days=1), "200.00"),
                                  ("FV/3", TODAY, "300.00")):
        docs[number] = create_document(clock, settings, customer, number, issued,
                                       issued + dt.timedelta(days=14), Decimal(gross))
    return db_location()


def wizard(app) -> WizardScreen:
    assert isinstance(app.screen, WizardScreen), f"the wizard is not in view: {app.screen}"
    return app.screen


def title(app) -> str:
    return str(app.screen.query_one("#wizard-title", Static).content)


def field_input(app, field_id: str) -> Input:
    return app.screen.query_one(f"#{field_id}").query_one(Input)


def field_error(app, field_id: str) -> str:
    return app.screen.query_one(f"#{field_id}").error


async def skip_ksef(pilot) -> None:
    """The first step, KSeF, left at "Not now" (its default while not connected)."""
    assert wizard(pilot.app).step == 0
    await pilot.press("enter")
    await pilot.pause()
    assert wizard(pilot.app).step == 1


async def to_summary(pilot) -> None:
    """Enter on each step until the summary (KSeF left at "Not now")."""
    for _ in range(4 - wizard(pilot.app).step):
        await pilot.press("enter")
        await pilot.pause()
    assert wizard(pilot.app).step == 4


def fill_sender(app) -> None:
    for field_id, value in SENDER.items():
        field_input(app, field_id).value = value


def flags() -> dict[str, bool]:
    return {d.number: d.subject_to_collection for d in Document.select()}


async def test_wizard_opens_by_itself_when_collection_was_never_set_up(fresh, make_app):
    app = make_app(fresh)
    async with app.run_test(size=(80, 24)):
        wizard(app)
        assert "step 1 of 4: Connect KSeF" in title(app)
        assert "Next" in str(app.screen.query_one("Footer").query("FooterKey").first().render())


async def test_wizard_does_not_open_once_collection_is_set_up(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, WizardScreen)


async def test_defaults_end_to_end_answer_no_leaves_old_documents_off(fresh, make_app):
    app = make_app(fresh)
    async with app.run_test(size=(80, 24)) as pilot:
        # The defaults of SPEC §2, in the fields.
        assert field_input(app, "reminder-min_amount").value == "0.00"
        assert field_input(app, "reminder-days_before_due").value == "3"
        await skip_ksef(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "step 3 of 4: Demands" in title(app)
        assert field_input(app, "demand-first_after_days").value == "7"
        assert field_input(app, "demand-repeat_every_days").value == "14"
        assert field_input(app, "demand-max_count").value == "3"
        await pilot.press("enter")
        await pilot.pause()
        assert "step 4 of 4: Days" in title(app)
        assert field_input(app, "schedule-time").value == "09:00"
        await pilot.press("enter")
        await pilot.pause()

        summary = str(app.screen.query_one("#summary-values", Static).render())
        assert "KSeF\n  not connected now; it can be connected later\n" in summary
        assert "Days before the due date: 3" in summary
        assert "Demands per document at most: 3" in summary
        assert "Mon, Tue, Wed, Thu, Fri" in summary and "Sat" not in summary
        assert "Skip Polish public holidays: yes" in summary
        assert "Unpaid documents: 3" in str(app.screen.query_one("#unpaid-count").render())
        question = str(app.screen.query_one("#earlier-question").render())
        assert "Also put the 2 unpaid documents issued before today under collection?" \
            in question
        assert app.screen.query_one("#earlier-no", RadioButton).value  # default: no
        assert not settings_saved()

        fill_sender(app)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, WizardScreen)

    settings = load_settings()
    assert settings.module_enabled
    assert settings.reminder_days_before_due == 3
    assert settings.demand_first_after_days == 7
    assert settings.demand_repeat_every_days == 14
    assert settings.demand_max_count == 3
    assert settings.schedule_weekdays == frozenset(range(5))
    assert settings.schedule_time == dt.time(9, 0)
    assert settings.company_name == SENDER["company-name"]
    assert settings.sender_email == SENDER["sender-email"]
    assert Setting.get(Setting.key == "module.enabled").author == "anna"
    assert flags() == {"FV/1": False, "FV/2": False, "FV/3": False}
    assert not CollectionEvent.select().where(
        CollectionEvent.kind == EventKind.FLAG_CHANGED).exists()


async def test_summary_answered_yes_switches_earlier_documents_on_with_events(
        fresh, make_app):
    app = make_app(fresh)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_summary(pilot)
        fill_sender(app)
        app.screen.query_one("#earlier-answer").focus()
        await pilot.press("down", "space")  # the second answer: yes
        await pilot.pause()
        assert app.screen.query_one("#earlier-yes", RadioButton).value
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, WizardScreen)

    assert flags() == {"FV/1": True, "FV/2": True, "FV/3": False}
    events = list(CollectionEvent.select().where(CollectionEvent.kind == EventKind.FLAG_CHANGED))
    assert sorted(e.document.number for e in events) == ["FV/1", "FV/2"]
    assert {e.author for e in events} == {"anna"}


async def test_a_bad_value_is_shown_next_to_its_field_and_nothing_is_saved(fresh, make_app):
    app = make_app(fresh)
    async with app.run_test(size=(80, 24)) as pilot:
        await skip_ksef(pilot)
        field_input(app, "reminder-days_before_due").value = "61"
        await pilot.press("enter")
        await pilot.pause()
        assert "step 2 of 4" in title(app)  # did not move on
        assert field_error(app, "reminder-days_before_due") == \
            "Error: must be between 0 and 60"
        assert app.screen.focused is field_input(app, "reminder-days_before_due")
        assert field_error(app, "reminder-min_amount") == ""

        field_input(app, "reminder-days_before_due").value = "5"
        await pilot.press("enter")
        await pilot.pause()
        assert "step 3 of 4" in title(app)
        assert field_error(app, "reminder-days_before_due") == ""
    assert not settings_saved()
    assert Setting.select().count() == 0


async def test_no_weekday_and_a_bad_hour_are_refused_on_the_days_step(fresh, make_app):
    app = make_app(fresh)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        for code in ("mon", "tue", "wed", "thu", "fri"):
            app.screen.query_one(f"#day-{code}").value = False
        field_input(app, "schedule-time").value = "25:00"
        await pilot.press("enter")
        await pilot.pause()
        assert "step 4 of 4" in title(app)
        assert field_error(app, "schedule-weekdays") == "Error: choose at least one day"
        assert "is not a time" in field_error(app, "schedule-time")
    assert Setting.select().count() == 0


async def test_missing_sender_identity_is_asked_for_in_the_summary(fresh, make_app):
    app = make_app(fresh)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_summary(pilot)
        field_input(app, "company-name").value = "Firma"
        field_input(app, "sender-email").value = "not an address"
        await pilot.press("enter")
        await pilot.pause()
        wizard(app)
        assert field_error(app, "company-bank_account") == "Error: required"
        assert "is not valid" in field_error(app, "sender-email")
        assert field_error(app, "company-name") == ""
    assert Setting.select().count() == 0


async def test_report_consent_needs_the_users_address(fresh, make_app):
    app = make_app(fresh)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        app.screen.query_one("#report-enabled").value = True
        field_input(app, "report-email").value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert "step 3 of 4" in title(app)
        assert field_error(app, "report-email") == \
            "Error: required when the report is switched on"


async def test_escape_goes_back_a_step_and_leaves_from_the_first(fresh, make_app):
    app = make_app(fresh)
    async with app.run_test(size=(80, 24)) as pilot:
        field_input(app, "reminder-days_before_due").value = "10"
        for _ in range(4):  # Ctrl+N moves on as Enter does
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert wizard(app).step == 4
        await pilot.press("escape")
        await pilot.pause()
        assert "step 4 of 4: Days" in title(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "step 3 of 4: Demands" in title(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "step 2 of 4: Reminders" in title(app)
        assert field_input(app, "reminder-days_before_due").value == "10"  # kept
        await pilot.press("escape")
        await pilot.pause()
        assert "step 1 of 4: Connect KSeF" in title(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, WizardScreen)
    assert not settings_saved()
    assert Setting.select().count() == 0


async def test_the_wizard_speaks_polish(fresh, make_app):
    from windykacja.tui.i18n import missing, set_language
    from windykacja.tui.screens import wizard as wizard_module
    from windykacja.tui.widgets import collection_form, ksef_form

    app = make_app(fresh, language="pl")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert "krok 1 z 4: Połącz z KSeF" in title(app)
            await skip_ksef(pilot)
            field_input(app, "reminder-days_before_due").value = "abc"
            await pilot.press("enter")
            await pilot.pause()
            assert field_error(app, "reminder-days_before_due") == \
                "Błąd: 'abc' nie jest liczbą całkowitą"
            field_input(app, "reminder-days_before_due").value = "3"
            await to_summary(pilot)
            assert "Wysyłaj przypomnienia przed terminem płatności: tak" in str(
                app.screen.query_one("#summary-values", Static).render())
            # Other screens may be under the wizard; only the wizard's own words (its
            # quoted literals) count here.
            sources = "".join(
                Path(module.__file__).read_text(encoding="utf-8")
                for module in (wizard_module, collection_form, ksef_form))
            assert [text for text in missing() if f'"{text}"' in sources] == []
    finally:
        set_language("en")


async def test_ksef_comes_first_and_is_saved_with_the_rest(fresh, make_app, tmp_path,
                                                           monkeypatch):
    """The first step connects KSeF (skipped by "Not now", its default while KSeF is not
    connected); what it lacks is said under its field; its values are in the summary and
    saved with the rest, by the person who confirms."""
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    app = make_app(fresh)
    async with app.run_test(size=(80, 24)) as pilot:
        assert wizard(app).step == 0
        environment = app.screen.query_one("#ksef-environment")
        assert environment.value == ""  # "Not now"
        assert field_input(app, "ksef-nip").disabled
        environment.value = "demo"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert wizard(app).step == 0  # did not move on
        assert field_error(app, "ksef-nip") == \
            "Error: required: the NIP the token was generated for"
        assert field_error(app, "ksef-token_file") == \
            "Error: required: the file holding the token (or set $WINDYKACJA_KSEF_TOKEN)"
        field_input(app, "ksef-nip").value = "5220715471"
        field_input(app, "ksef-token_file").value = str(tmp_path / "token")
        await to_summary(pilot)
        summary = str(app.screen.query_one("#summary-values", Static).render())
        assert ("KSeF\n  Demo: KSeF's pre-production environment; NIP 5220715471; invoices "
                "stored in KSeF from 25.08.2026\n") in summary
        fill_sender(app)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, WizardScreen)

    settings = load_settings()
    assert settings.module_enabled
    assert (settings.ksef_environment, settings.ksef_nip, settings.ksef_token_file,
            settings.ksef_since) == ("demo", "5220715471", str(tmp_path / "token"),
                                     dt.date(2026, 8, 25))
    assert Setting.get(Setting.key == "ksef.environment").author == "anna"
