"""*Recover money* (SPEC §8) driven by keys on the demo database: the first order with
the agreement, a second order without it, marked rows of two contractors, refusals,
a bad NIP, the recovery column and the filter by case status."""

from __future__ import annotations

import datetime as dt

from textual.widgets import OptionList

from windykacja.ledger.actions import AUTHOR_ENV
from windykacja.ledger.settings import load_settings
from windykacja.models import (
    Agreement,
    CaseStatus,
    Contractor,
    Document,
    RecoveryCase,
    RecoveryOrder,
)
from windykacja.recovery import cases
from windykacja.recovery.agencies import default_agency
from windykacja.recovery.commission import commission
from windykacja.tui.screens.recovery import (
    AgreementScreen,
    CaseFilterDialog,
    ChooseContractorDialog,
    CommissionDialog,
    OrderDialog,
    VerifyScreen,
)
from windykacja.tui.screens.unpaid import UnpaidScreen
from windykacja.tui.widgets.form import Field
from windykacja.tui.widgets.lazy_table import LazyTable

from .conftest import settle

TODAY = dt.date(2026, 11, 23)


def table(app) -> LazyTable:
    return app.screen.query_one("#documents", LazyTable)


def rows(app) -> list:
    return [table(app).source.row(i) for i in range(table(app).row_count)]


def text_of(screen) -> str:
    """Everything the screen's Static widgets say, one after the other."""
    return "\n".join(str(widget.content) for widget in screen.query("Static"))


def eligible(row) -> bool:
    document = row.document
    return (document.recovery_case is None and document.outstanding > 0
            and document.legal_due_date < TODAY)


async def mark_rows(pilot, app, wanted) -> list:
    """Mark, with Space, the rows of the (overdue) list for which ``wanted`` says yes,
    moving the cursor with the arrow keys; returns the marked rows."""
    marked = []
    for index, row in enumerate(rows(app)):
        if wanted(row, marked):
            while table(app).cursor_row < index:
                await pilot.press("down")
            await pilot.press("space")
            marked.append(row)
    await settle(pilot)
    return marked


def fill_person(screen) -> None:
    values = {"person-name": "Anna Nowak", "person-position": "Prezes zarządu",
              "person-email": "anna.nowak@przykladowa.pl", "person-phone": "+48 600 100 200"}
    for field_id, value in values.items():
        screen.query_one(f"#{field_id}", Field).input.value = value


async def test_first_order_with_the_agreement_then_the_other_contractor_then_a_second_order(
        demo_db, make_app, monkeypatch):
    monkeypatch.setenv(AUTHOR_ENV, "basia")
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        # Two documents of two contractors, both eligible.
        first, second = await mark_rows(pilot, app, lambda row, marked: eligible(row) and len(
            marked) < 2 and all(m.document.contractor_id != row.document.contractor_id
                                for m in marked))
        assert app.screen.marked == {first.id, second.id}

        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ChooseContractorDialog)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 2
        await pilot.press("enter")  # the first contractor offered
        await settle(pilot)
        assert isinstance(app.screen, VerifyScreen)
        chosen = app.screen.contractor
        chosen_row, other_row = ((first, second) if first.document.contractor_id == chosen.id
                                 else (second, first))
        assert app.screen.query_one("#name", Field).value == chosen.name
        assert "1 of 1 receivable," in str(app.screen.query_one("#case-total").content)

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CommissionDialog)
        said = text_of(app.screen)
        assert "Payable only if the money is recovered." in said
        assert "Commission:" in said and "Rate:" in said and "Rule:" in said
        await pilot.press("escape")  # one step back, and forward again
        await settle(pilot)
        assert isinstance(app.screen, VerifyScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")  # Recover money
        await settle(pilot)

        # The first order: the agreement with the agency's terms in full.
        assert isinstance(app.screen, AgreementScreen)
        agency = default_agency()
        terms = str(app.screen.query_one("#terms Static").content)
        assert terms == agency.terms_text("en")
        fill_person(app.screen)
        await pilot.press("ctrl+s")  # not accepted yet: nothing stored
        await settle(pilot)
        assert "tick the acceptance" in str(app.screen.query_one("#accept-error").content)
        assert Agreement.select().count() == 0
        app.screen.query_one("#accept").focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)

        agreement = Agreement.get()
        assert (agreement.agency, agreement.terms_version, agreement.author) == (
            agency.code, agency.terms_version, "basia")
        assert agreement.person_name == "Anna Nowak"
        assert agreement.concluded_at is not None

        assert isinstance(app.screen, OrderDialog)
        case = RecoveryCase.get()
        assert case.contractor_id == chosen.id and case.status == CaseStatus.NOT_SENT
        assert "Case" in str(app.screen.query_one("#cases").content)
        await pilot.press("a")  # Add another case: back to the list, the order stays open
        await settle(pilot)
        assert isinstance(app.screen, UnpaidScreen)
        assert app.screen.marked == {other_row.id}
        assert RecoveryOrder.get().finished_at is None
        assert Document.get_by_id(chosen_row.id).recovery_case == case.id

        # The other contractor, still marked, is the next case: no choice, no agreement.
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, VerifyScreen)
        assert app.screen.contractor.id == other_row.document.contractor_id
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDialog)
        order = RecoveryOrder.get()
        assert order.cases.count() == 2

        # Finish order: through the agency's gateway (e-mail: a message in the outbox).
        await pilot.press("f")
        await settle(pilot, 0.1)
        order = RecoveryOrder.get_by_id(order.id)
        assert order.finished_at is not None
        said = str(app.screen.query_one("#cases").content)
        for case in order.cases:
            assert case.status == CaseStatus.WAITING
            assert case.sent_at is not None
        assert said.count("— sent") == 2
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnpaidScreen)
        assert app.screen.marked == set()

        # A second order: the agreement is not asked again.
        await mark_rows(pilot, app, lambda row, marked: eligible(row) and not marked)
        await pilot.press("R")
        await settle(pilot)
        if isinstance(app.screen, ChooseContractorDialog):
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, VerifyScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDialog)
        assert Agreement.select().count() == 1
        assert RecoveryOrder.select().count() == 2
        assert RecoveryOrder.select().where(RecoveryOrder.finished_at.is_null()).count() == 1


async def test_refused_rows_are_listed_with_their_reason(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.sort_by("due", descending=True)  # documents not yet due come first
        await settle(pilot)
        not_due = rows(app)[0]
        assert not_due.document.due_date >= TODAY
        await pilot.press("space", "o")  # marks stay when the filter changes
        await settle(pilot)
        overdue = await mark_rows(pilot, app, lambda row, marked: eligible(row) and not marked)
        assert app.screen.marked == {not_due.id, overdue[0].id}
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ChooseContractorDialog)
        refused = str(app.screen.query_one("#refused").content)
        assert f"{not_due.document.number} ({not_due.document.contractor.name}): not overdue" \
            in refused
        assert app.screen.query_one(OptionList).option_count == 1
        await pilot.press("escape")
        await settle(pilot)
        # The refused row lost its mark (a next try would only be refused again).
        assert app.screen.marked == {overdue[0].id}


async def test_a_document_already_in_a_case_is_refused(demo_db, make_app, clock):
    document = hand_over_first_eligible(clock)
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await mark_rows(pilot, app, lambda row, marked: row.id == document.id)
        await pilot.press("R")
        await settle(pilot)
        said = str(app.screen.query_one("#refused").content)
        assert f"{document.number} ({document.contractor.name}): already in a case" in said
        assert "Nothing left to hand over." in text_of(app.screen)


async def test_a_bad_nip_is_shown_next_to_the_field_and_nothing_is_stored(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await mark_rows(pilot, app, lambda row, marked: (
            eligible(row) and not marked and row.document.contractor.nip))
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, VerifyScreen)
        nip = app.screen.query_one("#nip", Field)
        nip.input.value = "123-456-78-90"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, VerifyScreen)
        assert "NIP is not valid" in nip.error
        assert app.screen.query_one("#nip Input").has_focus
        nip.input.value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "needs the NIP of a business debtor" in nip.error
        # A private person has no NIP: the same data goes on to the commission.
        app.screen.query_one("#kind").focus()
        await pilot.press("right", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CommissionDialog)
        await pilot.press("escape", "escape")  # the corrections: asked before dropped
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, UnpaidScreen)
    assert RecoveryCase.select().count() == 0
    assert RecoveryOrder.select().count() == 0


async def test_unticked_receivables_stay_out_and_corrections_can_be_saved(demo_db, make_app,
                                                                         clock):
    agency = default_agency()
    cases.conclude_agreement(clock, agency.code, agency.terms_version,
                             person_name="Anna Nowak", person_email="anna@example.pl")
    contractor_id = next(c for c, documents in cases.sort_out(
        [d.id for d in Document.select()], TODAY).by_contractor.items() if len(documents) >= 2)
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        marked = await mark_rows(pilot, app, lambda row, marked: (
            eligible(row) and row.document.contractor_id == contractor_id))
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, VerifyScreen)
        assert len(marked) >= 2
        left_out = marked[-1].id
        app.screen.query_one(f"#doc-{left_out}").focus()
        await pilot.press("space")  # untick
        app.screen.query_one("#phone", Field).input.value = "+48 22 111 22 33"
        app.screen.query_one("#save Checkbox").focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDialog)
    case = RecoveryCase.get()
    handed = {link.document_id for link in case.documents}
    assert handed == {row.id for row in marked} - {left_out}
    assert Contractor.get_by_id(contractor_id).phone == "+48 22 111 22 33"


async def test_the_recovery_column_and_the_filter_by_case_status(demo_db, make_app, clock):
    document = hand_over_first_eligible(clock)
    app = make_app(demo_db)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        index = next(i for i, row in enumerate(rows(app)) if row.id == document.id)
        assert app.screen.cells(rows(app)[index])[8] == "not sent"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, CaseFilterDialog)
        await pilot.press("down", "enter")  # in any active case
        await settle(pilot)
        assert [row.id for row in rows(app)] == [document.id]
        assert "case: In any active case" in str(app.screen.query_one("#scope").content)
        assert "not sent" in table(app).render_line(1).text
        cases.set_status(clock, RecoveryCase.get(), CaseStatus.COURT, source="import")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*["down"] * 5, "enter")  # from "in any active case" to "court"
        await settle(pilot)
        assert [row.id for row in rows(app)] == [document.id]
        assert "court" in table(app).render_line(1).text
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("up", "up", "up", "enter")  # from "court" to "waiting": none
        await settle(pilot)
        assert table(app).row_count == 0


async def test_polish_wording_of_the_steps(demo_db, make_app):
    from windykacja.tui import i18n

    app = make_app(demo_db, language="pl")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("o")
            await settle(pilot)
            await mark_rows(pilot, app, lambda row, marked: eligible(row) and not marked)
            await pilot.press("R")
            await settle(pilot)
            assert "Należności" in text_of(app.screen)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "Płatna tylko wtedy, gdy pieniądze zostaną odzyskane." in text_of(app.screen)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, AgreementScreen)
            terms = str(app.screen.query_one("#terms Static").content)
            assert terms == default_agency().terms_text("pl")
    finally:
        i18n.set_language("en")


def hand_over_first_eligible(clock) -> Document:
    """A case recorded the way the screens record it, for the tests that start from one."""
    agency = default_agency()
    cases.conclude_agreement(clock, agency.code, agency.terms_version,
                             person_name="Anna Nowak", person_email="anna@example.pl")
    order = cases.open_order(clock, agency.code)
    selection = cases.sort_out([d.id for d in Document.select()], TODAY)
    contractor_id, documents = next(iter(selection.by_contractor.items()))
    document = documents[0]
    contractor = Contractor.get_by_id(contractor_id)
    fee = commission(agency.commission, cases.case_amount([document]),
                     cases.days_overdue(document, TODAY))
    debtor = cases.Debtor(contractor.name, "", contractor.address or "Łódź", "", "",
                          business=False)
    cases.add_case(clock, load_settings(), order, contractor, debtor, [document], fee)
    return Document.get_by_id(document.id)



async def test_the_open_order_survives_and_statuses_refresh_by_key(demo_db, make_app, clock):
    """An order left open (the app closed after *Add another case*) is finished later
    with F; A asks the agency for the statuses off the screen's thread."""
    document = hand_over_first_eligible(clock)
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        assert isinstance(app.screen, OrderDialog)
        assert document.contractor.name in str(app.screen.query_one("#cases").content)
        await pilot.press("f")
        await settle(pilot, 0.1)
        assert RecoveryOrder.get().finished_at is not None
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("F")  # nothing open any more
        await settle(pilot)
        assert isinstance(app.screen, UnpaidScreen)
        await pilot.press("A")
        await settle(pilot, 0.1)
        said = [n.message for n in app._notifications]
        assert any("No order is open" in m for m in said)
        assert any(m.startswith("Case statuses changed: 0") for m in said)
        assert not any("failed" in m for m in said)


async def test_opening_the_list_asks_the_agency_for_news(collection, db_location, make_app):
    """With the HTTP gateway, the statuses are polled when the list opens."""
    from recovery_setup import AgencyApi, hand_over

    from windykacja.ledger.settings import save_settings
    from windykacja.models import RecoveryCase
    from windykacja.recovery.gateways import HttpGateway
    from windykacja.recovery.sending import finish_order

    with AgencyApi() as api:
        order, case, documents = hand_over(collection)
        finish_order(collection.clock, order, HttpGateway(api.url, "token", 2))
        ref = RecoveryCase.get_by_id(case.id).external_ref
        api.statuses[ref] = "sąd"
        save_settings({"recovery.gateway": "http", "recovery.api_url": api.url,
                       "recovery.api_token": "token"}, "test", collection.clock.now())
        app = make_app(db_location())
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            assert RecoveryCase.get_by_id(case.id).status == "court"
            table = app.screen.query_one("#documents")
            cells = [app.screen.cells(table.source.row(i)) for i in range(table.row_count)]
            assert any("case: court" in row for row in cells)


async def test_a_status_file_then_the_agency_payment_take_the_invoice_off_the_list(
        demo_db, make_app, clock, tmp_path):
    """Issue 4's walk through after the hand-over, keys only: I imports the agency's
    file saying *recovered*, the payment (method agency) settles the invoice, which
    leaves the list; the commission is recorded against the case."""
    from textual.widgets import Select

    from windykacja.tui.screens.document import DocumentScreen
    from windykacja.tui.screens.recovery import StatusImportDialog

    document = hand_over_first_eligible(clock)
    case = RecoveryCase.get()
    bad = tmp_path / "bad.csv"
    bad.write_text(f"case;status\n{case.id};odzyskano\n999;sąd\n", encoding="utf-8")
    good = tmp_path / "statusy.csv"
    good.write_text(f"case;status;date;note\n{case.id};odzyskano;2026-11-20;wpłynęło\n",
                    encoding="utf-8")
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await settle(pilot)
        assert isinstance(app.screen, StatusImportDialog)
        app.screen.query_one("#status-file", Field).value = str(bad)
        await pilot.press("enter")
        await settle(pilot)
        said = str(app.screen.query_one("#status-result").content)
        assert "Nothing was imported" in said and "line 3" in said
        assert RecoveryCase.get_by_id(case.id).status == CaseStatus.NOT_SENT
        app.screen.query_one("#status-file", Field).value = str(good)
        await pilot.press("enter")
        await settle(pilot)
        assert "1 row: 1 case changed" in str(app.screen.query_one("#status-result").content)
        assert RecoveryCase.get_by_id(case.id).status == CaseStatus.RECOVERED
        await pilot.press("escape")
        await settle(pilot)

        await app.push_screen(DocumentScreen(document.id))
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#method", Select).value = "agency"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert Document.get_by_id(document.id).outstanding == 0
        numbers = [table(app).source.row(i).document.number for i in range(table(app).row_count)]
        assert document.number not in numbers
        assert RecoveryCase.get_by_id(case.id).commission_recorded > 0


async def test_a_foreign_company_stays_a_business_with_its_eu_vat_number(demo_db, make_app,
                                                                        clock):
    """Issue 12, point 4: Novák Trans a.s. (Czechia, no Polish NIP) is a business on the
    Verify step, with its EU VAT number, and the agency's package says so (JSON and CSV)
    instead of turning it into a private person."""
    import csv
    import io
    import json

    from windykacja.recovery.gateways import case_csv

    novak = Contractor.get(Contractor.name == "Novák Trans a.s.")
    assert novak.nip is None and novak.vat_eu.startswith("CZ")
    agency = default_agency()
    cases.conclude_agreement(clock, agency.code, agency.terms_version,
                             person_name="Anna Nowak", person_email="anna@example.pl")
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o", "slash")
        await pilot.press(*"Novák Trans")
        await settle(pilot, wait=0.5)
        await pilot.press("enter")
        await settle(pilot)
        marked = await mark_rows(pilot, app, lambda row, marked: (
            eligible(row) and row.document.contractor_id == novak.id))
        assert marked
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, VerifyScreen)
        assert app.screen.query_one("#business").value is True
        assert app.screen.query_one("#private").value is False
        assert app.screen.query_one("#vat_eu", Field).value == novak.vat_eu
        assert app.screen.query_one("#nip", Field).value == ""
        await pilot.press("ctrl+s")  # valid as it is: a business with an EU VAT number
        await settle(pilot)
        assert isinstance(app.screen, CommissionDialog)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDialog)
    case = RecoveryCase.get()
    package = cases.case_package(case)
    assert package["debtor"]["business"] is True
    assert package["debtor"]["vat_eu"] == novak.vat_eu
    assert package["debtor"]["nip"] == ""
    json.dumps(package)
    rows = list(csv.DictReader(io.StringIO(case_csv(package).decode("utf-8-sig")),
                               delimiter=";"))
    assert {(r["vat_eu"], r["debtor_kind"], r["nip"]) for r in rows} == {
        (novak.vat_eu, "business", "")}


async def test_a_bad_eu_vat_number_is_shown_next_to_its_field(demo_db, make_app, clock):
    novak = Contractor.get(Contractor.name == "Novák Trans a.s.")
    documents = cases.sort_out([d.id for d in Document.select()], TODAY).by_contractor[novak.id]
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(VerifyScreen(default_agency(), novak, documents))
        await settle(pilot)
        vat = app.screen.query_one("#vat_eu", Field)
        vat.input.value = "CZ12345670"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, VerifyScreen)
        assert "not a valid EU/UK VAT number" in vat.error
        vat.input.value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "EU/UK VAT number" in app.screen.query_one("#nip", Field).error
    assert RecoveryCase.select().count() == 0


async def test_a_uk_company_stays_a_business_with_its_uk_vat_number(demo_db, make_app, clock):
    """A UK company has neither a NIP nor an EU VAT number: its UK VAT number (GB…) in
    the same field keeps it a business on Verify, and the agency's package carries it."""
    from decimal import Decimal

    from windykacja.ledger.actions import create_document
    from windykacja.recovery.handover import check_debtor, debtor_of

    uk = Contractor.get(Contractor.address.endswith("United Kingdom"))
    assert uk.nip is None and uk.vat_eu.startswith("GB")
    owed = create_document(clock, load_settings(), uk, "FV/UK/1", TODAY - dt.timedelta(days=60),
                           TODAY - dt.timedelta(days=45), Decimal("2000.00"))
    documents = cases.sort_out([owed.id], TODAY).by_contractor[uk.id]
    agency = default_agency()
    cases.conclude_agreement(clock, agency.code, agency.terms_version,
                             person_name="Anna Nowak", person_email="anna@example.pl")
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(VerifyScreen(agency, uk, documents))
        await settle(pilot)
        assert app.screen.query_one("#business").value is True
        vat = app.screen.query_one("#vat_eu", Field)
        assert vat.value == uk.vat_eu
        vat.input.value = "GB980780685"  # a wrong check digit
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, VerifyScreen)
        assert "not a valid EU/UK VAT number" in vat.error
        vat.input.value = "gb 980 7806 84"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CommissionDialog)  # Verify accepted it
    debtor, problems = check_debtor(debtor_of(uk))
    assert problems == {} and debtor.business and debtor.vat_eu == uk.vat_eu
    order = cases.open_order(clock, agency.code, author="anna")
    case = cases.add_case(clock, load_settings(), order, uk, debtor,
                          [owed], commission(agency.commission, owed.outstanding, 45))
    package = cases.case_package(case)
    assert package["debtor"]["business"] is True and package["debtor"]["nip"] == ""
    assert package["debtor"]["vat_eu"] == uk.vat_eu


async def test_removing_the_agency_payment_on_the_document_screen_reverses_its_commission(
        demo_db, make_app, clock):
    """Issue 12, point 4: the question says the commission goes with the payment, and
    after yes the case's commission and status are as before the money."""
    from textual.widgets import DataTable

    from windykacja.ledger.actions import record_payment
    from windykacja.tui.widgets.form import ConfirmDialog

    from .conftest import open_document

    document = hand_over_first_eligible(clock)
    case = RecoveryCase.get()
    record_payment(clock, load_settings(), document, TODAY, document.outstanding,
                   method="agency")
    assert RecoveryCase.get_by_id(case.id).commission_recorded > 0
    assert RecoveryCase.get_by_id(case.id).status == CaseStatus.RECOVERED
    app = make_app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_document(app, pilot, document)
        payments = screen.query_one("#payments", DataTable)
        payments.focus()
        payments.move_cursor(row=payments.row_count - 1)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "The agency's commission recorded for it is reversed" in text_of(app.screen)
        await pilot.press("y")
        await settle(pilot)
    case = RecoveryCase.get_by_id(case.id)
    assert case.commission_recorded == 0 and case.status == CaseStatus.NOT_SENT
    assert Document.get_by_id(document.id).recovery_case == case.id


async def test_finishing_an_order_the_agency_refuses_reads_polish(collection, db_location,
                                                                  make_app):
    """The order dialog in Polish after *Finish order* through an HTTP gateway that
    refuses (422, the agency's words kept) or cannot be reached: the reason in Polish (was
    'the agency answered HTTP 422', 'cannot reach the agency: [Errno 111] …')."""
    from reader_rules import problems
    from recovery_setup import AgencyApi, hand_over

    from windykacja.i18n import set_language
    from windykacja.ledger.settings import save_settings
    from windykacja.tui.screens.recovery import OrderDialog

    try:
        with AgencyApi() as api:
            api.mode = "refuse"
            attempts = [
                (api.url, "odrzucono: firma windykacyjna odpowiedziała HTTP 422: "
                          '{"error": "debtor NIP missing"}'),
                ("http://127.0.0.1:9/api", "nie można połączyć się z firmą windykacyjną: "
                                           "połączenie odrzucone"),
            ]
            for number, (url, expected) in enumerate(attempts, start=1):
                order, _, _ = hand_over(collection, name=f"Dłużnik {number} sp. z o.o.",
                                        numbers=(f"FV/{number}/1", f"FV/{number}/2"))
                save_settings({"recovery.gateway": "http", "recovery.api_url": url,
                               "recovery.timeout_seconds": "1"}, "test",
                              collection.clock.now())
                app = make_app(db_location(), language="pl")
                async with app.run_test(size=(120, 30)) as pilot:
                    await settle(pilot)
                    app.push_screen(OrderDialog(default_agency(), order.id))
                    await settle(pilot)
                    await pilot.press("f")
                    await settle(pilot)
                    said = str(app.screen.query_one("#cases").content)
                    assert expected in said, said
                    agencys_words = said.replace("debtor NIP missing", "")
                    assert problems(agencys_words, "pl") == [], said
    finally:
        set_language("en")
