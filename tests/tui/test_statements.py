"""Bank statements (key 7) as a person uses it: confirm a credit, ignore one, find a
document by its number, import a file from the screen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from importers.test_statements import OURS, SAMPLE, SAMPLE_DOCUMENTS, sample_ledger
from textual.widgets import Input, Static

from windykacja.importers.statements import import_statement
from windykacja.ledger.settings import save_settings
from windykacja.models import ContractorAccount, Document, LineStatus, Payment, StatementLine
from windykacja.models.db import open_database
from windykacja.tui import i18n
from windykacja.tui.screens.statements import CreditScreen, StatementsScreen
from windykacja.tui.widgets.form import ConfirmDialog, Field

from .conftest import settle

# The sample's ledger changed so that two credits wait: the split payment is more than
# FV/2026/02/030 still owes, and the payer of 615,00 owes no document of that amount.
WAITING = {
    **SAMPLE_DOCUMENTS,
    "BS": ("Biuro Projektowe Świt sp. z o.o.", None, [("FV/2026/02/030", "2000.00")]),
    "HZ": ("Hurtownia Zielona sp. z o.o.", "7722744156",
           [("FV/2026/02/017", "4920.00"), ("FV/2026/03/009", "300.00")]),
}


def prepare(path: str, clock, monkeypatch, imported: bool = True) -> dict[str, Document]:
    monkeypatch.setenv("WINDYKACJA_USER", "ksiegowa")
    open_database(str(path))
    save_settings({"module.enabled": "yes"}, "test", dt.datetime(2026, 3, 20))
    ledger = sample_ledger(clock, WAITING)
    if imported:
        import_statement(SAMPLE, clock, OURS)
    return ledger


@pytest.fixture
def waiting_db(db_location, clock, monkeypatch):
    path = db_location("statements.db")
    return path, prepare(path, clock, monkeypatch)


def rows(app) -> list[str]:
    table = app.screen.query_one("#credits")
    return [table.render_line(y).text for y in range(1, table.row_count + 1)]


async def open_statements(pilot) -> None:
    await settle(pilot)
    await pilot.press("7")
    await settle(pilot)
    assert isinstance(pilot.app.screen, StatementsScreen)


async def test_confirming_a_credit_records_its_payment_and_learns_the_account(waiting_db,
                                                                            make_app):
    path, ledger = waiting_db
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_statements(pilot)
        assert "to confirm: 2 · no match: 0" in str(app.screen.query_one("#newest").content)
        first, second = rows(app)
        assert "615.00 PLN" in first and "2,460.00 PLN" in second
        await pilot.press("down", "enter")
        await settle(pilot)
        credit = app.screen
        assert isinstance(credit, CreditScreen)
        text = " ".join(str(s.content) for s in credit.query(Static))
        assert "BIURO PROJEKTOWE ŚWIT" in text
        assert "the amount is more than the documents in the title owe" in text
        assert credit.query_one("#candidates").render_line(1).text.strip().startswith(
            "FV/2026/02/030")
        await pilot.press("enter")  # Enter on a candidate confirms it, after a question
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "460.00 PLN is left over" in str(app.screen.query_one(Static).content)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, StatementsScreen)
        assert len(rows(app)) == 1 and "615.00 PLN" in rows(app)[0]
    payment = Payment.get(Payment.document == ledger["FV/2026/02/030"].id)
    assert (payment.amount, payment.paid_on, payment.reference, payment.author) == (
        Decimal("2000.00"), dt.date(2026, 3, 16), "2603160000100004", "ksiegowa")
    line = StatementLine.get(StatementLine.amount == Decimal("2460.00"))
    assert (line.status, line.decided_by) == (LineStatus.CONFIRMED, "ksiegowa")
    assert ContractorAccount.select().where(
        ContractorAccount.account == "PL80109011021879065738498333").exists()


async def test_ignoring_a_credit_takes_it_off_the_list(waiting_db, make_app):
    path, _ = waiting_db
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_statements(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert "Ignore the credit of 615.00 PLN from HURTOWNIA" in str(
            app.screen.query_one(Static).content)
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        assert len(rows(app)) == 2
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert len(rows(app)) == 1 and "2,460.00 PLN" in rows(app)[0]
    line = StatementLine.get(StatementLine.amount == Decimal("615.00"))
    assert (line.status, line.decided_by) == (LineStatus.IGNORED, "ksiegowa")
    assert not Payment.select().where(Payment.reference == "2603160000100005").exists()


async def test_a_document_found_by_its_number_and_two_marked_share_the_credit(waiting_db,
                                                                             make_app):
    path, ledger = waiting_db
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_statements(pilot)
        await pilot.press("enter")
        await settle(pilot)
        credit = app.screen
        await pilot.press("n")
        credit.query_one("#number", Input).value = "fv 2026-02-999"
        await pilot.press("enter")
        await settle(pilot)
        assert "No open document fv 2026-02-999 in PLN." in str(
            credit.query_one("#found").content)
        credit.query_one("#number", Input).value = "fv 2026-02-021"
        await pilot.press("enter")
        await settle(pilot)
        assert credit.table.row_count == 2 and credit.table.cursor_row == 1
        await pilot.press("up", "space", "down", "space", "c")
        await settle(pilot)
        question = str(app.screen.query_one(Static).content)
        assert "FV/2026/03/009: 300.00 PLN" in question
        assert "FV/2026/02/021: 315.00 PLN" in question
        await pilot.press("y")
        await settle(pilot)
    assert Document.get_by_id(ledger["FV/2026/03/009"].id).outstanding == Decimal("0.00")
    assert Document.get_by_id(ledger["FV/2026/02/021"].id).outstanding == Decimal("1185.00")


async def test_a_statement_imported_from_the_screen(db_location, clock, monkeypatch, make_app):
    path = db_location("fresh.db")
    prepare(path, clock, monkeypatch, imported=False)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_statements(pilot)
        assert "No statement imported yet" in str(app.screen.query_one("#newest").content)
        await pilot.press("i")
        await settle(pilot)
        field = app.screen.query_one("#statement-file", Field)
        field.value = str(SAMPLE.parent / "mt940_pl_sample_mbank.sta")
        await pilot.press("enter")
        await settle(pilot, 0.2)
        result = str(app.screen.query_one("#statement-result", Static).content)
        assert result.startswith("Nothing was imported")
        assert "--profile mbank" in result
        app.screen.query_one("#profile").value = "mbank"
        await pilot.press("enter")
        await settle(pilot, 0.2)
        assert "5 credits — 3 paid for sure, 2 to confirm" in str(
            app.screen.query_one("#statement-result", Static).content)
        await pilot.press("enter")  # the same file again: the earlier import, local time
        await settle(pilot, 0.2)
        again = str(app.screen.query_one("#statement-result", Static).content)
        assert f"was imported before ({clock.local_now():%d.%m.%Y %H:%M}, Europe/Warsaw," in (
            again)
        assert "UTC" not in again
        await pilot.press("escape")
        await settle(pilot)
        assert len(rows(app)) == 2


async def test_the_screen_speaks_polish(waiting_db, make_app):
    from windykacja.tui.screens import statements as module

    path, _ = waiting_db
    app = make_app(path, language="pl")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_statements(pilot)
            assert "do potwierdzenia: 2" in str(app.screen.query_one("#newest").content)
            await pilot.press("enter")
            await settle(pilot)
            assert "Dlaczego: płatnik nie ma dokumentu na dokładnie tę kwotę" in " ".join(
                str(s.content) for s in app.screen.query(Static))
            source = Path(module.__file__).read_text(encoding="utf-8")
            assert [text for text in i18n.missing() if f'"{text}"' in source] == []
    finally:
        i18n.set_language("en")


async def test_a_credit_without_candidates_is_ignored_from_its_own_screen(db_location, clock,
                                                                         monkeypatch,
                                                                         make_app):
    path = db_location("unmatched.db")
    monkeypatch.setenv("WINDYKACJA_USER", "ksiegowa")
    open_database(str(path))
    save_settings({"module.enabled": "yes"}, "test", dt.datetime(2026, 3, 20))
    import_statement(SAMPLE, clock, OURS)  # no documents at all: five credits, no match
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_statements(pilot)
        assert len(rows(app)) == 5
        await pilot.press("enter")
        await settle(pilot)
        assert "No candidate documents" in app.screen.query_one("#candidates").render_line(
            1).text
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, StatementsScreen)
        assert len(rows(app)) == 4
    assert StatementLine.select().where(StatementLine.status == LineStatus.IGNORED).count() == 1


async def test_a_weak_candidate_is_labelled_and_never_taken_without_a_choice(
        db_location, clock, monkeypatch, make_app):
    """Issue 12, point 9: a credit with no match offers an unrelated invoice only because
    it owes the same amount. The screen says how weak it is, and c with the cursor on it
    confirms nothing; marking it with Space is the explicit choice that does."""
    from windykacja.ledger.actions import create_contractor, create_document
    from windykacja.ledger.settings import load_settings
    from windykacja.tui.widgets.form import ConfirmDialog as Question

    path = db_location("weak.db")
    monkeypatch.setenv("WINDYKACJA_USER", "ksiegowa")
    open_database(str(path))
    save_settings({"module.enabled": "yes"}, "test", dt.datetime(2026, 3, 20))
    other = create_contractor(clock, code="INNA", name="Zupełnie Inna sp. z o.o.",
                              nip="5260250274", emails="biuro@inna.pl")
    unrelated = create_document(clock, load_settings(), other, "FV/2026/02/777",
                                dt.date(2026, 2, 12), dt.date(2026, 2, 26), Decimal("615.00"))
    import_statement(SAMPLE, clock, OURS)
    line = StatementLine.get(StatementLine.amount == Decimal("615.00"))
    assert line.status == LineStatus.UNMATCHED
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_statements(pilot)
        index = next(i for i, text in enumerate(rows(app)) if "615.00 PLN" in text)
        await pilot.press(*["down"] * index, "enter")
        await settle(pilot)
        credit = app.screen
        assert isinstance(credit, CreditScreen)
        assert "amount only" in credit.query_one("#candidates").render_line(1).text
        said = str(credit.query_one("#evidence").content)
        assert "FV/2026/02/777: weak — the same amount only; no number, payer or account " \
               "matches" in said
        await pilot.press("c")  # the cursor rests on it: that is no choice
        await settle(pilot)
        assert app.screen is credit and not isinstance(app.screen, Question)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is credit
        assert Document.get_by_id(unrelated.id).outstanding == Decimal("615.00")
        await pilot.press("space", "c")  # marked: an explicit choice
        await settle(pilot)
        assert isinstance(app.screen, Question)
        await pilot.press("y")
        await settle(pilot)
    assert Document.get_by_id(unrelated.id).outstanding == Decimal("0.00")
