"""Who did it: the name every note, flag change, payment and setting change records —
``$WINDYKACJA_USER``, else ``user`` in the config file, else the operating-system user
(ledger/identity.py)."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
from decimal import Decimal

import pytest

from windykacja.app import main
from windykacja.ledger import identity
from windykacja.ledger.actions import (
    add_note,
    create_contractor,
    create_document,
    record_payment,
)
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import CollectionEvent, Document, EventKind, Payment, Setting, database
from windykacja.models.db import open_database

MONDAY = dt.date(2026, 11, 23)
ON = {"module.enabled": "yes", "company.name": "Firma", "sender.email": "w@firma.pl",
      "company.bank_account": "PL61 1090 1014 0000 0712 1981 2874"}


@pytest.fixture
def config(tmp_path, monkeypatch):
    """Writes this test's own config file (``$XDG_CONFIG_HOME/windykacja/config.toml``);
    ``$WINDYKACJA_USER`` is unset, as on a bookkeeper's login."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(identity.AUTHOR_ENV, raising=False)
    path = tmp_path / "config" / "windykacja" / "config.toml"

    def write(text: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    assert identity.config_path() == path
    return write


def test_the_environment_wins_over_the_config_file_which_wins_over_the_os_user(
    config, monkeypatch
):
    assert identity.current_author() == getpass.getuser()  # no file yet: read, and absent
    config('user = "Anna K."\n')
    identity._read_config.cache_clear()  # a new process
    assert identity.current_author() == "Anna K."
    monkeypatch.setenv(identity.AUTHOR_ENV, "anna")
    assert identity.current_author() == "anna"


def test_the_config_file_is_read_once_per_process(config):
    config('user = "Anna K."\n')
    assert identity.current_author() == "Anna K."
    config('user = "Someone Else"\n')
    assert identity.current_author() == "Anna K."


@pytest.mark.parametrize(("text", "says"), [
    ('user = "Anna\n', "is not valid TOML (Illegal character '\\n' (at line 1, column 13))"),
    ("user = 42\n", 'user must be text in quotes, e.g. user = "Anna Kowalska"'),
    ('user = "   "\n', "user is empty"),
    (f'user = "{"x" * 101}"\n', "user is longer than 100 characters"),
    ('user = "Anna\\nK."\n', "user contains a line break or another control character"),
    (b"user = \"Anna\xff\"\n", "cannot be read"),
], ids=["toml", "number", "empty", "long", "control", "encoding"])
def test_a_bad_config_file_falls_back_to_the_os_user_and_says_what_is_wrong(
    config, caplog, text, says
):
    path = config("")
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        config(text)
    with caplog.at_level(logging.WARNING, logger="windykacja.identity"):
        assert identity.current_author() == getpass.getuser()
    problem = identity.config_problem()
    assert problem is not None and problem.startswith(str(path))
    assert says in problem
    assert problem.endswith(f"names are taken from the system user ({getpass.getuser()}) "
                            "instead")
    assert caplog.messages == [problem]  # logged once, which a command prints on stderr


def test_an_unknown_setting_is_named_but_the_name_is_still_used(config):
    config('user = "Anna K."\nusr = "typo"\n')
    assert identity.current_author() == "Anna K."
    assert identity.config_problem().endswith(
        "unknown setting 'usr' (only 'user' is read)")


def test_no_config_file_is_no_problem(config):
    assert identity.config_problem() is None


# -- every kind of change records the person -------------------------------------------
@pytest.fixture
def ledger(db_location):
    location = db_location("authors.db")
    open_database(location)
    clock = FixedClock(MONDAY)
    save_settings(ON, "test", clock.now())
    contractor = create_contractor(clock, code="K1", name="Kowalski", emails="k@example.pl")
    document = create_document(clock, load_settings(), contractor, "FV/1",
                               MONDAY - dt.timedelta(days=40), MONDAY - dt.timedelta(days=30),
                               Decimal("1000.00"))
    database.close()
    return location, clock, document


def _act_as_anyone(ledger) -> None:
    """A note and a payment (as the screens make them), a flag change and a setting
    change (through the commands), none naming the author."""
    location, clock, document = ledger
    assert main(["--db", location, "flag", "off", "FV/1"]) == 0
    assert main(["--db", location, "settings", "set", "demand.max_count=2"]) == 0
    open_database(location)
    add_note(clock, document, "Obiecał zapłacić w piątek.")
    record_payment(clock, load_settings(), document, MONDAY, Decimal("100.00"))


def _authors(document) -> dict[str, str]:
    events = {e.kind: e.author for e in CollectionEvent.select().where(
        CollectionEvent.document == document)}
    return {
        "note": events[EventKind.NOTE],
        "flag": events[EventKind.FLAG_CHANGED],
        "payment event": events[EventKind.PAYMENT_RECORDED],
        "payment": Payment.get().author,
        "setting": Setting.get(Setting.key == "demand.max_count").author,
        "document": Document.get_by_id(document.id).updated_by,
    }


def test_changes_record_the_user_named_in_the_environment(ledger, config, monkeypatch):
    config('user = "Anna K."\n')
    monkeypatch.setenv("WINDYKACJA_USER", "anna")
    _act_as_anyone(ledger)
    assert set(_authors(ledger[2]).values()) == {"anna"}


def test_changes_record_the_user_named_in_the_config_file(ledger, config):
    config('user = "Anna K."\n')
    _act_as_anyone(ledger)
    assert set(_authors(ledger[2]).values()) == {"Anna K."}


def test_a_status_file_import_records_the_person_and_a_gateway_the_system(
    ledger, monkeypatch
):
    from windykacja.models import CaseStatus, CaseStatusChange
    from windykacja.recovery import cases
    from windykacja.recovery.agencies import default_agency
    from windykacja.recovery.commission import commission

    location, clock, document = ledger
    open_database(location)
    monkeypatch.setenv("WINDYKACJA_USER", "anna")
    agency = default_agency()
    cases.conclude_agreement(clock, agency.code, agency.terms_version,
                             person_name="Anna", person_email="anna@firma.pl")
    order = cases.open_order(clock, agency.code)
    debtor = cases.Debtor("Kowalski", "", "ul. Długa 1, Łódź", "k@example.pl", "")
    fee = commission(agency.commission, Decimal("1000.00"), 30)
    case = cases.add_case(clock, load_settings(), order, document.contractor, debtor,
                          [Document.get_by_id(document.id)], fee)
    cases.set_status(clock, case, CaseStatus.WAITING, source="gateway")
    cases.set_status(clock, case, CaseStatus.AMICABLE, source="import")
    changes = CaseStatusChange.select().order_by(CaseStatusChange.id)
    assert [(c.source, c.author) for c in changes] == [
        ("user", "anna"), ("gateway", "system"), ("import", "anna")]
    statuses = CollectionEvent.select().where(CollectionEvent.kind == EventKind.AGENCY_STATUS)
    assert [e.author for e in statuses.order_by(CollectionEvent.id)] == ["system", "anna"]
