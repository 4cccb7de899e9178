"""A company registered in another EU state (issue 12, point 4): no Polish NIP, an EU VAT
number, and still a business everywhere the law or an agency asks — never a private
person because the NIP is missing. A real SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest

from windykacja.dunning.claims import claims_of, load_law_tables
from windykacja.law.interest import InterestKind
from windykacja.ledger.validation import normalise_vat_eu
from windykacja.lists.contractor_list import ContractorForm, save_contractor
from windykacja.recovery.handover import check_debtor, debtor_of

TODAY = dt.date(2026, 6, 30)


def novak(collection):
    checked, contractor = save_contractor(collection.clock, ContractorForm(
        code="NOVAK", name="Novák Trans a.s.", vat_eu="cz 573 042 46",
        address="Masarykova 70, 602 00 Brno, Czechia", emails="accounts@novak-trans.cz",
        language="en"))
    assert checked.ok, checked.problems
    return contractor


def test_the_editor_keeps_the_eu_vat_number_and_the_company_stays_a_business(collection):
    contractor = novak(collection)
    assert (contractor.nip, contractor.vat_eu, contractor.kind) == (
        None, "CZ57304246", "business")
    debtor = debtor_of(contractor)
    assert debtor.business and debtor.vat_eu == "CZ57304246"
    cleaned, problems = check_debtor(debtor)
    assert problems == {} and cleaned.vat_eu == "CZ57304246" and cleaned.nip == ""


def test_a_foreign_vat_business_is_a_business_for_interest_and_compensation(collection):
    contractor = novak(collection)
    document = collection.document(contractor, due=dt.date(2026, 3, 31), gross="10000.00")
    figures = claims_of([document], contractor.kind, TODAY, load_law_tables())[document.id]
    assert figures.kind == InterestKind.BUSINESS
    assert figures.compensation is not None  # a consumer has no right to it
    private = claims_of([document], "private", TODAY, load_law_tables())[document.id]
    assert figures.interest.total > private.interest.total  # the commercial rate


def test_a_bad_eu_vat_number_is_refused_with_its_field(collection):
    checked, contractor = save_contractor(collection.clock, ContractorForm(
        code="X", name="X s.r.o.", vat_eu="CZ12345670"))
    assert contractor is None and checked.problems == {"vat_eu": "vat_eu"}


@pytest.mark.parametrize(("typed", "problem"), [
    ("PL5260250274", "Polish number: enter it as the NIP"),
    ("12345678", "must start with the code of an EU country or GB"),
    ("US980780684", "must start with the code of an EU country or GB"),
    ("DE123", "not valid"),
    ("GB980780685", "UK VAT number 'GB980780685' is not valid"),
])
def test_eu_vat_numbers_that_are_refused(typed, problem):
    with pytest.raises(ValueError, match=problem):
        normalise_vat_eu(typed)


def test_a_private_person_sends_no_number_to_the_agency(collection):
    contractor = novak(collection)
    contractor.kind = "private"
    cleaned, problems = check_debtor(debtor_of(contractor))
    assert problems == {} and not cleaned.business and cleaned.vat_eu == ""
