"""Screenshots of the main screens at 80×24 in both languages (pytest-textual-snapshot).

The SVGs under ``__snapshots__/`` are the accepted look; after an intended change,
regenerate them with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look
at the new files before committing. The README shows some of them.
"""

from __future__ import annotations

import pytest

from windykacja.models import Document
from windykacja.tui import i18n

from .conftest import settle

LANGUAGES = ["en", "pl"]


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


def first_demanded() -> int:
    return (Document.select(Document.id)
            .where((Document.outstanding > 0) & (Document.demands_sent > 0))
            .order_by(Document.due_date.desc(), Document.id).first().id)


def settled(*keys: str, then=None):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)
    return run_before


@pytest.mark.parametrize("language", LANGUAGES)
def test_unpaid_documents(snap_compare, demo_db, make_app, language):
    assert snap_compare(make_app(demo_db, language), run_before=settled("space", "down"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_document(snap_compare, demo_db, make_app, language):
    from windykacja.tui.screens.document import DocumentScreen

    async def open_document(pilot) -> None:
        await pilot.app.push_screen(DocumentScreen(first_demanded()))

    assert snap_compare(make_app(demo_db, language), run_before=settled(then=open_document))


@pytest.mark.parametrize("language", LANGUAGES)
def test_welcome(snap_compare, db_location, make_app, language):
    assert snap_compare(make_app(db_location("empty.db"), language), run_before=settled())


@pytest.mark.parametrize("language", LANGUAGES)
def test_connect_ksef(snap_compare, db_location, make_app, language, monkeypatch):
    from windykacja.ledger.ksef_access import TOKEN_ENV

    monkeypatch.delenv(TOKEN_ENV, raising=False)  # the token file's hint says it is unset
    assert snap_compare(make_app(db_location("empty.db"), language),
                        run_before=settled("k"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", ["2", "3", "4", "5", "6"])
def test_other_screens(snap_compare, demo_db, make_app, language, key):
    assert snap_compare(make_app(demo_db, language), run_before=settled(key))


@pytest.mark.parametrize("language", LANGUAGES)
def test_aging_report(snap_compare, demo_db, make_app, language):
    assert snap_compare(make_app(demo_db, language), run_before=settled("8"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_help(snap_compare, demo_db, make_app, language):
    assert snap_compare(make_app(demo_db, language), run_before=settled("question_mark"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_setup_wizard(snap_compare, db_location, make_app, clock, language, monkeypatch):
    from windykacja.ledger.actions import create_contractor
    from windykacja.ledger.ksef_access import TOKEN_ENV
    from windykacja.models.db import open_database

    monkeypatch.delenv(TOKEN_ENV, raising=False)  # its first step's hint says it is unset

    open_database(str(db_location("firm.db")))
    create_contractor(clock, code="K1", name="Alfa sp. z o.o.", emails="biuro@alfa.pl")
    assert snap_compare(make_app(db_location("firm.db"), language), run_before=settled())


def test_unpaid_documents_on_a_wide_terminal(snap_compare, demo_db, make_app):
    assert snap_compare(make_app(demo_db, "pl"), terminal_size=(200, 60),
                        run_before=settled())


def _recovery_case_screen():
    """The verification of the first contractor with two or more receivables to hand
    over (the demo database is the same every time, so is the choice)."""
    import datetime as dt

    from windykacja.models import Contractor
    from windykacja.recovery.agencies import default_agency
    from windykacja.recovery.cases import sort_out
    from windykacja.tui.screens.recovery import VerifyScreen

    groups = sort_out([d.id for d in Document.select(Document.id)],
                      dt.date(2026, 11, 23)).by_contractor
    contractor_id, documents = next((c, docs) for c, docs in groups.items() if len(docs) > 1)
    return VerifyScreen(default_agency(), Contractor.get_by_id(contractor_id), documents)


@pytest.mark.parametrize("language", LANGUAGES)
def test_recover_money_verify(snap_compare, demo_db, make_app, language):
    async def open_verify(pilot) -> None:
        await pilot.app.push_screen(_recovery_case_screen())

    assert snap_compare(make_app(demo_db, language), run_before=settled(then=open_verify))


@pytest.mark.parametrize("language", LANGUAGES)
def test_recover_money_agreement(snap_compare, demo_db, make_app, language):
    from windykacja.recovery.agencies import default_agency
    from windykacja.tui.screens.recovery import AgreementScreen

    async def open_agreement(pilot) -> None:
        await pilot.app.push_screen(AgreementScreen(default_agency()))

    assert snap_compare(make_app(demo_db, language), run_before=settled(then=open_agreement))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("keys", [("7",), ("7", "down", "enter")], ids=["list", "credit"])
def test_bank_statements(snap_compare, db_location, clock, monkeypatch, make_app, language, keys):
    """The credits the sample statement left waiting, and one of them with its candidate."""
    from .test_statements import prepare

    prepare(db_location("statements.db"), clock, monkeypatch)
    assert snap_compare(make_app(db_location("statements.db"), language),
                        run_before=settled(*keys))
