"""*Connect KSeF* in the interface (issue 14, point 3): first on the welcome screen, ahead
of CSV files; its form (environment, NIP, token file, first day) checked field by field
and saved; *Fetch now* against the local KSeF stand-in, over HTTP with the real client,
its outcome in words (the wizard's KSeF step: test_wizard.py). Driven by keys through
Pilot on real databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ksef_standin import SELLER_NIP, StandInClock
from textual.widgets import Button, Static

from windykacja.ledger.ksef_access import TOKEN_ENV
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import Document, Setting
from windykacja.models.db import open_database
from windykacja.session import Context
from windykacja.tui.app import WindykacjaApp
from windykacja.tui.screens.ksef_connect import KsefConnectDialog
from windykacja.tui.screens.welcome import WelcomeScreen

from .conftest import settle

SAVED_AT = dt.datetime(2026, 11, 23, 8, 0)



@pytest.fixture(autouse=True)
def no_token_in_environment(monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)



def empty_app(location, clock, language="en") -> WindykacjaApp:
    open_database(str(location))
    return WindykacjaApp(Context(str(location), clock, language), start_worker=False)


def dialog(app) -> KsefConnectDialog:
    assert isinstance(app.screen, KsefConnectDialog), f"not in view: {app.screen}"
    return app.screen


def field(app, key: str):
    return app.screen.query_one(f"#{key.replace('.', '-')}")


def result(app) -> str:
    return str(app.screen.query_one("#ksef-result", Static).content)


def stored(key: str) -> str | None:
    row = Setting.get_or_none(Setting.key == key)
    return None if row is None else row.value


@pytest.mark.parametrize(("language", "first", "footer"), [
    ("en", "Connect KSeF (k)", "Connect KSeF"), ("pl", "Połącz z KSeF (k)", "Połącz z KSeF")])
async def test_connect_ksef_is_the_first_way_in(db_location, clock, language, first, footer):
    app = empty_app(db_location("empty.db"), clock, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        buttons = list(app.screen.query(Button))
        assert [b.id for b in buttons] == ["ksef", "wizard", "demo", "import"]
        assert str(buttons[0].label) == first and app.screen.focused is buttons[0]
        # Ahead of the CSV files on the page, and first among the keys at the bottom.
        csv_title = next(s for s in app.screen.query(".section-title")
                         if "CSV" in str(s.content))
        assert buttons[0].region.y < csv_title.region.y
        keys = [str(k.render()) for k in app.screen.query_one("Footer").query("FooterKey")]
        assert footer in keys[0]
        await pilot.press("k")
        await pilot.pause()
        dialog(app)


async def test_the_form_names_each_wrong_field_and_loses_nothing(db_location, clock):
    app = empty_app(db_location("empty.db"), clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await pilot.pause()
        # The defaults: production, no NIP yet (the company has none), 90 days back.
        assert field(app, "ksef.environment").value == "production"
        assert field(app, "ksef.since").value == "25.08.2026"
        field(app, "ksef.nip").value = "1234567890"
        field(app, "ksef.token_file").value = "token.txt"
        field(app, "ksef.since").value = "31.02.2026"
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert field(app, "ksef.nip").error == \
            "Error: NIP '1234567890' is not valid (checksum or length)"
        assert field(app, "ksef.token_file").error == \
            "Error: 'token.txt' is not a full file path (start it with / or ~)"
        assert field(app, "ksef.since").error == \
            "Error: '31.02.2026' is not a date (use DD.MM.YYYY)"
        assert "Nothing was saved" in result(app)
        assert app.screen.focused is field(app, "ksef.nip").input
        # Nothing typed is lost, nothing is stored.
        assert field(app, "ksef.token_file").value == "token.txt"
        assert stored("ksef.environment") is None

        field(app, "ksef.nip").value = ""
        field(app, "ksef.token_file").value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert field(app, "ksef.nip").error == \
            "Error: required: the NIP the token was generated for"
        assert field(app, "ksef.token_file").error == \
            "Error: required: the file holding the token (or set $WINDYKACJA_KSEF_TOKEN)"
        assert stored("ksef.environment") is None


async def test_saving_says_where_the_token_must_be(db_location, clock, tmp_path):
    token = tmp_path / "ksef-token"
    token.write_text("secret\n", encoding="utf-8")
    token.chmod(0o644)
    app = empty_app(db_location("empty.db"), clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        save_settings({"company.nip": SELLER_NIP}, "test", SAVED_AT)
        await pilot.press("k")
        await pilot.pause()
        assert field(app, "ksef.nip").value == SELLER_NIP  # the company's, by default
        field(app, "ksef.token_file").value = str(token)
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = result(app)
        assert said.startswith("Saved. From now on new invoices come from KSeF by "
                               "themselves, every 15 minutes; Fetch now (Ctrl+F) fetches "
                               "them at once.")
        assert "The token cannot be read here: " in said and "chmod 600" in said
        token.chmod(0o600)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert f"The token is read from {token}." in result(app)
        assert "secret" not in result(app)
        await pilot.press("escape")  # saved: nothing to ask
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)

    settings = load_settings()
    assert (settings.ksef_environment, settings.ksef_nip, settings.ksef_token_file,
            settings.ksef_since) == ("production", "", str(token), dt.date(2026, 8, 25))


@pytest.mark.parametrize(("language", "words"), [
    ("en", "KSeF: 3 invoices added."), ("pl", "KSeF: dodano 3 faktury.")])
async def test_fetch_now_brings_the_invoices_and_says_so(db_location, ksef, language, words):
    ksef.add_invoices(3)
    app = empty_app(db_location("empty.db"), StandInClock(ksef), language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # An address (a proxy, here the stand-in) is offered once it is the setting.
        save_settings({"ksef.environment": ksef.url, "company.nip": SELLER_NIP}, "test",
                      SAVED_AT)
        await pilot.press("k")
        await pilot.pause()
        assert field(app, "ksef.environment").value == ksef.url
        await pilot.press("ctrl+f")
        await settle(pilot, timeout=30)
        assert result(app) == words
        assert Document.select().count() == 3
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_mode == "unpaid"  # what came in, at once
    assert stored("ksef.since") == (ksef.now() - dt.timedelta(days=90)).date().isoformat()


async def test_fetch_now_says_a_failure_in_words(db_location, ksef):
    ksef.token_revoked = True
    app = empty_app(db_location("empty.db"), StandInClock(ksef))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        save_settings({"ksef.environment": ksef.url, "company.nip": SELLER_NIP}, "test",
                      SAVED_AT)
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("ctrl+f")
        await settle(pilot, timeout=30)
        assert result(app).startswith(
            "KSeF sync stopped: the KSeF token is wrong, revoked or inactive: generate a new "
            "one in KSeF")
        assert ksef.token not in result(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "KSeF: token wrong or revoked — see status" in str(
            app.screen.query_one("StatusBar #worker").content)
    assert Document.select().count() == 0


async def test_the_form_speaks_polish(db_location, clock):
    from windykacja.tui.i18n import missing
    from windykacja.tui.screens import ksef_connect, welcome
    from windykacja.tui.widgets import ksef_form

    app = empty_app(db_location("empty.db"), clock, "pl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await pilot.pause()
        assert str(app.screen.query_one(".dialog-title", Static).content) == "Połącz z KSeF"
        hint = str(app.screen.query(".hint").first().content)
        assert "tokenu KSeF" in hint and "uprawnieniem do odczytu faktur" in hint
        field(app, "ksef.since").value = "jutro"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert field(app, "ksef.since").error == \
            "Błąd: 'jutro' nie jest datą (użyj DD.MM.RRRR)"
        sources = "".join(Path(module.__file__).read_text(encoding="utf-8")
                          for module in (ksef_connect, welcome, ksef_form))
        assert [text for text in missing() if f'"{text}"' in sources] == []
