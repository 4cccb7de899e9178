"""The debtor registry (key ``b`` in the print queue, issue 16 point 4), driven by keys:
two debtors warned by registered letter (a real pass, printed, posted on Monday
2026-11-23) — PAPIER owes 1 500 zł, MALY 300 zł. PAPIER may be reported a month and a
day after the posting (24.12.2026), MALY never (under the act's 500 zł). ``r`` writes
the export into the letters' folder and records the report; after a payment the update
due is listed with its deadline and ``u`` records it. Real SQLite (or PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pass_runner import run_one_pass
from textual.widgets import OptionList, Static

from windykacja.app import main
from windykacja.dunning.paper import post_letters, print_letters
from windykacja.ledger.actions import record_payment
from windykacja.ledger.settings import load_settings
from windykacja.models import Document, Message, RegistryClaim, RegistryReport
from windykacja.tui import i18n
from windykacja.tui.screens.letters import LettersScreen
from windykacja.tui.screens.registry import RegistryScreen
from windykacja.tui.widgets.form import ConfirmDialog

from .conftest import TODAY, settle

SIZE = (80, 24)
NUMBERS = ["RR123456785PL", "RR000000014PL", "RR000000028PL", "RR000000031PL"]
BUREAU = "Krajowy Rejestr Długów Biuro Informacji Gospodarczej S.A."
CONTRACTORS = """code;name;email;address
PAPIER;Papiernia Wschód sp. z o.o.;;ul. Polna 2, 00-001 Warszawa
MALY;Mały Sklep s.c.;;ul. Krótka 1, 30-001 Kraków
"""
DOCUMENTS = """number;contractor_code;issue_date;due_date;gross
FV/P;PAPIER;2026-10-01;2026-10-14;1 500,00
FV/M;MALY;2026-10-01;2026-10-14;300,00
"""
ELIGIBLE = dt.date(2026, 12, 24)  # a month from Mon 23 Nov ends Wed 23 Dec


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


@pytest.fixture
def warned(db_location, clock, tmp_path):
    """Both debtors warned by a registered letter posted today (23.11.2026)."""
    location = db_location("firma.db")
    assert main(["--db", location, "settings", "set", "module.enabled=yes",
                 "company.name=Nasza Firma Sp. z o.o.", "company.nip=6762451230",
                 "company.address=ul. Długa 5, 31-147 Kraków",
                 "company.bank_account=PL61 1090 1014 0000 0712 1981 2874",
                 "demand.max_count=1", "letters.enabled=yes", "registry.warning=yes",
                 f"registry.bureau_name={BUREAU}",
                 "registry.bureau_address=ul. Danuty Siedzikówny 12, 51-214 Wrocław",
                 f"letters.folder={tmp_path / 'letters'}"]) == 0
    for kind, content in (("contractors", CONTRACTORS), ("documents", DOCUMENTS)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(content, encoding="utf-8")
        assert main(["--db", location, "import", kind, str(path)]) == 0
    from windykacja.models.db import open_database
    open_database(location)
    run_one_pass(clock, tmp_path / "outbox", TODAY)
    printed = print_letters(clock, load_settings(), tmp_path / "letters", "anna")
    letters = [Message.get_by_id(i) for i in printed.letters]
    assert {m.variant for m in letters} == {"registry"} and len(letters) == 2
    post_letters(clock, list(zip(letters, NUMBERS, strict=False)), TODAY, "anna")
    return location


async def open_registry(app, pilot) -> RegistryScreen:
    await settle(pilot)
    await pilot.press("0")
    await settle(pilot)
    assert isinstance(app.screen, LettersScreen)
    await pilot.press("b")
    await settle(pilot)
    assert isinstance(app.screen, RegistryScreen)
    return app.screen


def debtor_texts(screen: RegistryScreen) -> list[str]:
    options = screen.query_one("#debtors", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
            if options.get_option_at_index(i).id is not None]


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def highlight(screen: RegistryScreen, code: str) -> None:
    options = screen.query_one("#debtors", OptionList)
    contractor = next(s.contractor for s in screen.states if s.contractor.code == code)
    options.highlighted = options.get_option_index(str(contractor.id))


async def test_a_debtor_may_be_reported_a_month_and_a_day_after_the_posting(
        warned, make_app, clock, tmp_path):
    clock.day = ELIGIBLE - dt.timedelta(days=1)
    app = make_app(warned)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_registry(app, pilot)
        maly, papier = debtor_texts(screen)  # by name: Mały Sklep, then Papiernia
        assert papier.startswith("PAPIER  Papiernia Wschód sp. z o.o.\nwarned")
        assert "warned 23.11.2026 by registered letter RR" in papier
        assert "claims counted: 1,500.00 PLN" in papier
        assert ("may be reported from 24.12.2026: a month has not passed since the warning"
                in papier)
        assert "MAY BE REPORTED" not in papier
        assert "may not be reported: the claims counted come to 300.00 PLN" in maly
        await highlight(screen, "PAPIER")
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen  # not asked: said why, in place
        assert "PAPIER: may be reported from 24.12.2026" in text_of(screen,
                                                                                "#said")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LettersScreen)
    assert RegistryReport.select().count() == 0
    assert not list((tmp_path / "letters").glob("rejestr-*"))


async def test_r_writes_the_export_and_records_the_report(warned, make_app, clock, tmp_path):
    clock.day = ELIGIBLE
    app = make_app(warned)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_registry(app, pilot)
        maly, papier = debtor_texts(screen)
        assert "MAY BE REPORTED (since 24.12.2026)" in papier

        await highlight(screen, "MALY")  # under 500 zł: says why, writes nothing
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen
        assert "MALY: may not be reported: the claims counted come to " \
               "300.00 PLN" in text_of(screen, "#said")
        assert not list((tmp_path / "letters").glob("rejestr-*"))

        await highlight(screen, "PAPIER")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        path = tmp_path / "letters" / "rejestr-PAPIER-2026-12-24.csv"
        assert BUREAU in app.screen.question and str(path) in app.screen.question
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        [report] = RegistryReport.select()
        assert (report.contractor.code, report.reported_on, report.path) == (
            "PAPIER", ELIGIBLE, str(path.resolve()))
        assert f"reported on 24.12.2026 (report #{report.id})" in debtor_texts(screen)[1]
        assert any(str(path) in str(n.message) for n in app._notifications)
        await pilot.press("r")  # reported once: not again
        await pilot.pause()
        assert app.screen is screen
        assert text_of(screen, "#said") == f"PAPIER: reported on 24.12.2026 (report #{report.id})"
    export = path.read_text(encoding="utf-8")
    assert "FV/P" in export and "FV/M" not in export and BUREAU in export
    assert RegistryReport.select().count() == 1


async def test_after_a_payment_the_update_is_listed_and_u_records_it(warned, make_app, clock,
                                                                     tmp_path):
    clock.day = ELIGIBLE
    assert main(["--db", warned, "--today", ELIGIBLE.isoformat(), "registry", "report",
                 "PAPIER", "--file", str(tmp_path / "r.csv")]) == 0
    paid = dt.date(2026, 12, 28)
    clock.day = paid
    record_payment(clock, load_settings(), Document.get(Document.number == "FV/P"), paid,
                   Decimal("500.00"))
    clock.day = dt.date(2027, 1, 12)  # 15 days on: late
    app = make_app(warned)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_registry(app, pilot)
        updates = text_of(screen, "#updates")
        assert "1 reported claim changed; ask the bureau to update it:" in updates
        assert ("FV/P (PAPIER): 1,500.00 PLN reported, 1,000.00 PLN now; changed 28.12.2026, "
                "update by 11.01.2027 — LATE") in updates
        await highlight(screen, "MALY")
        await pilot.press("u")
        await pilot.pause()
        assert app.screen is screen
        assert "MALY: no reported claim waits for an update" in text_of(screen, "#said")
        await highlight(screen, "PAPIER")
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "No reported claim waits for an update" in text_of(screen, "#updates")
        assert any("1 claim of PAPIER: the bureau's update recorded on 12.01.2027."
                   in str(n.message) for n in app._notifications)
    [claim] = RegistryClaim.select()
    assert (claim.outstanding_reported, claim.updated_on) == (Decimal("1000.00"),
                                                             dt.date(2027, 1, 12))


@pytest.mark.parametrize("language", ["en", "pl"])
def test_snapshot_of_the_registry(snap_compare, warned, make_app, clock, language):
    """PAPIER may be reported, MALY may not, at 80×24."""
    clock.day = ELIGIBLE

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("0")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)

    assert snap_compare(make_app(warned, language), terminal_size=SIZE,
                        run_before=run_before)
