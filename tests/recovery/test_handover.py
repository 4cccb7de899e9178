"""The checks and look-ups behind the *Recover money* screens (recovery.handover)."""

from __future__ import annotations

from windykacja.recovery import cases
from windykacja.recovery.handover import (
    Person,
    check_debtor,
    check_person,
    debtor_of,
    find_open_order,
)

GOOD_NIP = "526-000-12-46"


def debtor(**changes) -> cases.Debtor:
    fields = {"name": "Alfa sp. z o.o.", "nip": GOOD_NIP, "address": "ul. Długa 1, Łódź",
              "email": "biuro@alfa.pl", "phone": "+48 22 111 22 33", "business": True}
    return cases.Debtor(**{**fields, **changes})


def test_a_business_debtor_needs_a_valid_nip():
    cleaned, problems = check_debtor(debtor())
    assert problems == {} and cleaned.nip == "5260001246"
    assert check_debtor(debtor(nip="5260001247"))[1] == {"nip": "nip_invalid"}
    assert check_debtor(debtor(nip=" "))[1] == {"nip": "nip_required"}


def test_a_private_person_has_no_nip_even_a_stale_one():
    cleaned, problems = check_debtor(debtor(nip="5260001247", business=False))
    assert problems == {} and cleaned.nip == ""


def test_name_and_address_are_required_email_and_phone_checked_when_given():
    _, problems = check_debtor(debtor(name=" ", address="", email="not-mail", phone="abc"))
    assert problems == {"name": "required", "address": "required",
                        "email": "email_invalid", "phone": "phone_invalid"}
    assert check_debtor(debtor(email="", phone=""))[1] == {}
    assert check_debtor(debtor(phone="123"))[1] == {"phone": "phone_invalid"}


def test_the_authorised_person_needs_a_name_and_an_email():
    _, problems = check_person(Person("", "", "", ""))
    assert problems == {"name": "required", "email": "required"}
    person, problems = check_person(Person(" Anna ", "Prezes", "anna@alfa.pl", ""))
    assert problems == {} and person.name == "Anna"


def test_the_contractors_data_is_the_first_draft(collection):
    contractor = collection.contractor(name="Beta", email="a@beta.pl; b@beta.pl")
    draft = debtor_of(contractor)
    # Business or private is the contractor's kind in law, not whether it has a NIP.
    assert contractor.nip is None
    assert (draft.name, draft.email, draft.business) == ("Beta", "a@beta.pl", True)
    consumer = collection.contractor(name="Jan Kowalski", kind="private")
    assert debtor_of(consumer).business is False


def test_the_open_order_is_found_in_the_database(collection):
    assert find_open_order("example_agency") is None
    cases.conclude_agreement(collection.clock, "example_agency", "2026-01",
                             person_name="Anna", person_email="anna@alfa.pl")
    order = cases.open_order(collection.clock, "example_agency")
    assert find_open_order("example_agency") == order
    assert find_open_order("other") is None
