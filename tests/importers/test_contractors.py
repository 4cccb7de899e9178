"""Importing contractors: creating, updating, e-mail lists, encodings, every refusal."""

from __future__ import annotations

import pytest

from windykacja.importers.contractors import import_contractors
from windykacja.importers.csv_common import ImportRejected, ImportSummary
from windykacja.ledger.actions import create_contractor
from windykacja.ledger.settings import CollectionSettings
from windykacja.models import Contractor


def run(path, clock):
    return import_contractors(path, clock, CollectionSettings())


def rejected(path, clock) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as exc:
        run(path, clock)
    return [(e.line, e.column, e.message) for e in exc.value.errors]


def fields(code: str) -> dict:
    c = Contractor.get(Contractor.code == code)
    return {
        "name": c.name, "nip": c.nip, "emails": c.emails, "phone": c.phone,
        "address": c.address, "language": c.language,
        "subject_to_collection": c.subject_to_collection,
    }


def test_a_comma_file_with_every_column(db, clock, write_csv):
    path = write_csv(
        "code,name,nip,email,phone,address,language,subject_to_collection\n"
        'K1,Alfa sp. z o.o.,PL 526-025-09-95,biuro@alfa.pl,+48 22 123 45 67,'
        '"ul. Długa 1, 00-001 Warszawa",EN,nie\n'
        "K2,Jan Nowak,,jan@nowak.pl,,,,\n"
    )
    assert run(path, clock) == ImportSummary(rows=2, created=2, updated=0)
    assert fields("K1") == {
        "name": "Alfa sp. z o.o.", "nip": "5260250995", "emails": "biuro@alfa.pl",
        "phone": "+48 22 123 45 67", "address": "ul. Długa 1, 00-001 Warszawa",
        "language": "en", "subject_to_collection": False,
    }
    # empty optional values: no NIP (a private person), the defaults pl / under collection
    assert fields("K2") == {
        "name": "Jan Nowak", "nip": None, "emails": "jan@nowak.pl", "phone": "",
        "address": "", "language": "pl", "subject_to_collection": True,
    }
    assert Contractor.get(Contractor.code == "K1").created_at is not None


def test_only_the_required_columns(db, clock, write_csv):
    path = write_csv("Code;Name;Email\nK1;Gamma;gamma@gamma.pl\n")
    assert run(path, clock).created == 1
    assert fields("K1")["language"] == "pl"
    assert fields("K1")["subject_to_collection"] is True


def test_windows_1250_with_polish_letters(db, clock, write_csv):
    path = write_csv(
        "code;name;email;address\n"
        "K1;Zakład Usług Świątecznych „Łódź”;zuł@example.pl;ul. Źródlana 5, 90-001 Łódź\n"
        "K2;ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ;;\n",
        encoding="cp1250",
    )
    assert run(path, clock).created == 2
    assert fields("K1")["name"] == "Zakład Usług Świątecznych „Łódź”"
    assert fields("K1")["address"] == "ul. Źródlana 5, 90-001 Łódź"
    assert fields("K1")["emails"] == "zuł@example.pl"
    assert fields("K2")["name"] == "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"


def test_utf8_with_a_bom(db, clock, write_csv):
    path = write_csv("code;name;email\nK1;Łódź Serwis;lodz@serwis.pl\n", encoding="utf-8-sig")
    assert run(path, clock).created == 1
    assert fields("K1")["name"] == "Łódź Serwis"


def test_several_emails_in_a_quoted_field_of_a_comma_file(db, clock, write_csv):
    path = write_csv('code,name,email\nK1,Alfa,"biuro@alfa.pl; Faktury@Alfa.PL ;biuro@alfa.pl"\n')
    run(path, clock)
    contractor = Contractor.get(Contractor.code == "K1")
    assert contractor.emails == "biuro@alfa.pl\nFaktury@alfa.pl"
    assert contractor.email_list == ["biuro@alfa.pl", "Faktury@alfa.pl"]


def test_several_emails_separated_by_commas_in_a_semicolon_file(db, clock, write_csv):
    path = write_csv("code;name;email\nK1;Alfa;biuro@alfa.pl, ksiegowosc@alfa.pl,szef@alfa.pl\n")
    run(path, clock)
    assert fields("K1")["emails"] == "biuro@alfa.pl\nksiegowosc@alfa.pl\nszef@alfa.pl"


def test_an_empty_email_is_allowed_but_the_column_is_required(db, clock, write_csv):
    assert run(write_csv("code;name;email\nK1;Alfa;\n", name="ok.csv"), clock).created == 1
    assert fields("K1")["emails"] == ""
    assert Contractor.get(Contractor.code == "K1").email_list == []

    assert rejected(write_csv("code;name\nK2;Beta\n", name="bad.csv"), clock) == [
        (1, "email", "required column is missing")
    ]


def test_unknown_and_missing_columns_are_named_on_line_1(db, clock, write_csv):
    path = write_csv("code;email;nip;vat_id\nK1;a@a.pl;;x\n")
    assert [(line, column) for line, column, _ in rejected(path, clock)] == [
        (1, "vat_id"), (1, "name")
    ]


def test_every_bad_value_is_reported_with_its_line_and_column(db, clock, write_csv):
    path = write_csv(
        "code;name;nip;email;language;subject_to_collection\n"
        "K1;Alfa;5260250995;a@alfa.pl;pl;tak\n"  # 2: good
        ";Bez kodu;;b@b.pl;;\n"  # 3: no code
        "K3;;;c@c.pl;;\n"  # 4: no name
        "K1;Alfa again;;a@alfa.pl;;\n"  # 5: duplicate code
        "K5;Epsilon;123;e@e.pl;;\n"  # 6: bad NIP
        "K6;Zeta;;ok@zeta.pl, zeta@;;\n"  # 7: second e-mail bad
        "K7;Eta;;eta@eta.pl;de;\n"  # 8: bad language
        "K8;Theta;;theta@theta.pl;;może\n"  # 9: bad flag
        "K9;Iota;5260250996;iota;en;2\n"  # 10: three problems at once
    )
    errors = rejected(path, clock)
    assert [(line, column) for line, column, _ in errors] == [
        (3, "code"), (4, "name"), (5, "code"), (6, "nip"), (7, "email"), (8, "language"),
        (9, "subject_to_collection"), (10, "nip"), (10, "email"), (10, "subject_to_collection"),
    ]
    messages = {(line, column): message for line, column, message in errors}
    assert messages[(3, "code")] == "a value is required"
    assert messages[(5, "code")] == "code K1 appears twice in the file (first on line 2)"
    assert messages[(6, "nip")] == "NIP '123' is not valid (checksum or length)"
    assert messages[(7, "email")].startswith("e-mail 'zeta@' is not valid")
    assert messages[(8, "language")] == "'de' is not one of: pl, en"
    assert messages[(9, "subject_to_collection")].startswith("'może' is not yes/no")
    assert Contractor.select().count() == 0


def test_a_known_code_updates_the_contractor(db, clock, write_csv):
    create_contractor(
        clock, code="K1", name="Alfa (old)", nip="5260250995", emails="old@alfa.pl",
        phone="111", address="Stara 1", language="en", subject_to_collection=False,
    )
    create_contractor(clock, code="K2", name="Beta", emails="beta@beta.pl")
    path = write_csv(
        "code;name;email;phone;language;subject_to_collection\n"
        "K1;Alfa sp. z o.o.;nowy@alfa.pl, biuro@alfa.pl;;;\n"
        "K2;Beta;beta@beta.pl;;;\n"  # the same data: unchanged
        "K3;Gamma;gamma@gamma.pl;222;;\n"
    )
    assert run(path, clock) == ImportSummary(rows=3, created=1, updated=1)
    assert fields("K1") == {
        "name": "Alfa sp. z o.o.",
        "nip": "5260250995",  # no nip column: kept
        "emails": "nowy@alfa.pl\nbiuro@alfa.pl",
        "phone": "",  # the column is there and empty: cleared
        "address": "Stara 1",  # no address column: kept
        "language": "en",  # empty: an existing contractor keeps its language
        "subject_to_collection": False,  # empty: an excluded contractor stays excluded
    }
    assert fields("K3")["phone"] == "222"
    assert Contractor.select().count() == 3


def test_an_update_can_switch_the_flag_and_language_explicitly(db, clock, write_csv):
    create_contractor(clock, code="K1", name="Alfa", emails="a@alfa.pl")
    path = write_csv("code;name;email;language;subject_to_collection\nK1;Alfa;a@alfa.pl;en;no\n")
    assert run(path, clock).updated == 1
    assert fields("K1")["language"] == "en"
    assert fields("K1")["subject_to_collection"] is False


def test_a_rejected_file_changes_nothing_even_after_many_good_rows(
    db, clock, write_csv, db_state
):
    create_contractor(
        clock, code="K001", name="Alfa", nip="5260250995", emails="a@alfa.pl", phone="111",
    )
    before = db_state()
    good = "".join(f"K{i:03};Firma {i};{i}@firma.pl;999\n" for i in range(1, 200))
    path = write_csv("code;name;email;phone\n" + good + "K200;Ostatnia;not-an-address;1\n")
    assert [(line, column) for line, column, _ in rejected(path, clock)] == [(201, "email")]
    assert db_state() == before
    assert fields("K001") == {
        "name": "Alfa", "nip": "5260250995", "emails": "a@alfa.pl", "phone": "111",
        "address": "", "language": "pl", "subject_to_collection": True,
    }


def test_a_company_in_another_eu_country_keeps_its_eu_vat_number(db, clock, write_csv):
    """Issue 12, point 4: no Polish NIP, an EU VAT number, and a business."""
    path = write_csv(
        "code;name;email;kind;vat_eu\n"
        "CZ1;Novák Trans a.s.;accounts@novak-trans.cz;firma;cz 573 042 46\n"
    )
    assert run(path, clock).created == 1
    novak = Contractor.get(Contractor.code == "CZ1")
    assert (novak.nip, novak.vat_eu, novak.kind) == (None, "CZ57304246", "business")
    bad = write_csv("code;name;email;vat_eu\nCZ2;Dvořák s.r.o.;a@d.cz;CZ12345670\n")
    assert [(line, column) for line, column, _ in rejected(bad, clock)] == [(2, "vat_eu")]
