"""Two people editing the same contractor or document: the second save is refused with
who and when, and nothing of it is stored (ledger/versions.py). Each test runs on an
SQLite file and on PostgreSQL (skipped, saying why, when no server is configured)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace
from decimal import Decimal

import pytest

from windykacja.dunning.outbox import mark_sent
from windykacja.dunning.passes import plan_day
from windykacja.ledger.actions import (
    ChangedMeanwhile,
    create_contractor,
    create_document,
    record_payment,
    remove_payment,
    set_subject_to_collection,
    switch_document,
    update_contractor,
)
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.lists.contractor_list import load_for_editing, save_contractor
from windykacja.models import CollectionEvent, Contractor, Document, EventKind, Message, Payment
from windykacja.models import database as bound
from windykacja.models.db import open_database

MONDAY = dt.date(2026, 11, 23)
ON = {"module.enabled": "yes", "company.name": "Firma", "sender.email": "w@firma.pl",
      "company.bank_account": "PL61 1090 1014 0000 0712 1981 2874"}


def at(hour: int, minute: int, day: dt.date = MONDAY) -> FixedClock:
    return FixedClock(day, dt.time(hour, minute))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A migrated database with collection on: an SQLite file, or PostgreSQL."""
    if request.param == "sqlite":
        location = str(tmp_path / "versions.db")
    else:
        location = request.getfixturevalue("pg_url")
    database = open_database(location)
    save_settings(ON, "test", at(8, 0).now())
    yield database
    database.close()


@pytest.fixture
def contractor(db):
    return create_contractor(at(8, 0), code="K1", name="Kowalski sp. z o.o.",
                             emails="k@example.pl")


@pytest.fixture
def document(contractor):
    return create_document(at(8, 0), load_settings(), contractor, "FV/1",
                           MONDAY - dt.timedelta(days=40), MONDAY - dt.timedelta(days=30),
                           Decimal("1000.00"))


def stored(model, row_id):
    return model.get_by_id(row_id)


# -- the contractor editor -------------------------------------------------------------
def test_a_save_over_a_colleagues_save_is_refused_with_who_and_when(contractor):
    mine, seen = load_for_editing(contractor.id)  # anna opens the editor at 9:00
    theirs, their_version = load_for_editing(contractor.id)  # so does ewa
    checked, _ = save_contractor(at(10, 42), replace(theirs, phone="601 200 300"),
                                 contractor.id, seen_version=their_version, author="ewa")
    assert checked.ok
    with pytest.raises(ChangedMeanwhile) as refused:
        save_contractor(at(10, 50), replace(mine, name="Kowalski i Syn"), contractor.id,
                        seen_version=seen, author="anna")
    assert str(refused.value) == "changed by ewa at 10:42, reload"
    after = stored(Contractor, contractor.id)
    assert (after.name, after.phone) == ("Kowalski sp. z o.o.", "601 200 300")
    assert (after.version, after.updated_by) == (seen + 1, "ewa")
    assert after.updated_at == dt.datetime(2026, 11, 23, 9, 42)  # UTC: Warsaw is +1


def test_after_reading_again_the_save_goes_through(contractor):
    _, seen = load_for_editing(contractor.id)
    update_contractor(at(10, 42), contractor.id, {"phone": "601"}, author="ewa")
    with pytest.raises(ChangedMeanwhile):
        save_contractor(at(10, 50), replace(load_for_editing(contractor.id)[0], name="Nowa"),
                        contractor.id, seen_version=seen, author="anna")
    form, seen = load_for_editing(contractor.id)  # Ctrl+R
    checked, saved = save_contractor(at(10, 51), replace(form, name="Nowa"), contractor.id,
                                     seen_version=seen, author="anna")
    assert checked.ok and (saved.name, saved.phone, saved.updated_by) == ("Nowa", "601", "anna")
    assert saved.version == seen + 1


def test_a_save_that_changes_nothing_stored_is_not_refused(contractor):
    form, seen = load_for_editing(contractor.id)
    update_contractor(at(10, 42), contractor.id, {"phone": "601"}, author="ewa")
    checked, saved = save_contractor(at(10, 50), replace(form, phone="601"), contractor.id,
                                     seen_version=seen, author="anna")
    assert checked.ok and saved.updated_by == "ewa"  # nothing written, nothing overwritten


def test_a_change_on_another_day_says_the_day(contractor):
    _, seen = load_for_editing(contractor.id)
    update_contractor(at(16, 5, MONDAY - dt.timedelta(days=3)), contractor.id,
                      {"phone": "601"}, author="ewa")
    with pytest.raises(ChangedMeanwhile) as refused:
        update_contractor(at(9, 0), contractor.id, {"phone": "602"}, author="anna",
                          expected_version=seen)
    assert str(refused.value) == "changed by ewa on 20.11.2026 at 16:05, reload"


def test_a_save_waiting_for_a_colleagues_transaction_is_refused_when_it_commits(contractor):
    """The real race: ewa's save holds the row (PostgreSQL) or the write lock (SQLite)
    while anna saves; anna's save waits, then finds the row moved."""
    form, seen = load_for_editing(contractor.id)
    holding, release = threading.Event(), threading.Event()

    def ewa() -> None:
        try:
            with bound.atomic():
                update_contractor(at(10, 42), contractor.id, {"name": "Ewy"}, author="ewa")
                holding.set()
                release.wait(10)
        finally:
            bound.close()

    colleague = threading.Thread(target=ewa)
    colleague.start()
    assert holding.wait(10)
    timer = threading.Timer(0.3, release.set)  # anna's save is waiting by then
    timer.start()
    try:
        with pytest.raises(ChangedMeanwhile, match="changed by ewa at 10:42, reload"):
            save_contractor(at(10, 43), replace(form, phone="999"), contractor.id,
                            seen_version=seen, author="anna")
    finally:
        release.set()
        colleague.join(10)
    after = stored(Contractor, contractor.id)
    assert (after.name, after.phone, after.updated_by) == ("Ewy", "", "ewa")


def test_recovery_corrections_are_refused_with_the_whole_case(contractor, document):
    from windykacja.recovery import cases
    from windykacja.recovery.agencies import default_agency
    from windykacja.recovery.commission import commission

    seen = Contractor.get_by_id(contractor.id)  # the verify step reads the contractor
    update_contractor(at(10, 42), contractor.id, {"phone": "601"}, author="ewa")
    agency = default_agency()
    cases.conclude_agreement(at(9, 0), agency.code, agency.terms_version,
                             person_name="Anna", person_email="anna@firma.pl")
    order = cases.open_order(at(9, 0), agency.code)
    debtor = cases.Debtor("Kowalski SA", "", "ul. Długa 1, Łódź", "k@example.pl", "602")
    fee = commission(agency.commission, Decimal("1000.00"), 30)
    with pytest.raises(ChangedMeanwhile, match="changed by ewa at 10:42"):
        cases.add_case(at(10, 50), load_settings(), order, seen, debtor,
                       [Document.get_by_id(document.id)], fee, save_to_contractor=True,
                       author="anna")
    assert stored(Contractor, contractor.id).name == "Kowalski sp. z o.o."
    assert stored(Document, document.id).recovery_case is None
    assert not cases.RecoveryCase.select().exists()


# -- the document screen ----------------------------------------------------------------
def test_a_flag_switch_over_a_colleagues_is_refused(document):
    seen = stored(Document, document.id).version
    set_subject_to_collection(at(10, 42), load_settings(), [document.id], False, "ewa")
    with pytest.raises(ChangedMeanwhile, match="changed by ewa at 10:42, reload"):
        switch_document(at(10, 50), load_settings(), document.id, False, seen, "anna")
    after = stored(Document, document.id)
    assert (after.subject_to_collection, after.updated_by) == (False, "ewa")
    flags = CollectionEvent.select().where(CollectionEvent.kind == EventKind.FLAG_CHANGED)
    assert [e.author for e in flags] == ["ewa"]


def test_a_flag_switch_on_what_was_seen_goes_through(document):
    seen = stored(Document, document.id).version
    assert switch_document(at(10, 50), load_settings(), document.id, False, seen, "anna")
    after = stored(Document, document.id)
    assert (after.subject_to_collection, after.version, after.updated_by) == (
        False, seen + 1, "anna")


def test_a_payment_after_a_colleagues_payment_is_refused(document):
    seen = stored(Document, document.id).version
    record_payment(at(10, 42), load_settings(), document, MONDAY, Decimal("300.00"),
                   author="ewa")
    with pytest.raises(ChangedMeanwhile, match="changed by ewa at 10:42, reload"):
        record_payment(at(10, 50), load_settings(), document, MONDAY, Decimal("300.00"),
                       author="anna", expected_version=seen)
    assert stored(Document, document.id).outstanding == Decimal("700.00")
    assert [p.author for p in Payment.select()] == ["ewa"]


# -- background writers only count -----------------------------------------------------
def test_payments_their_removal_and_bulk_switches_mark_the_document(document):
    start = stored(Document, document.id).version
    payment = record_payment(at(10, 0), load_settings(), document, MONDAY,
                             Decimal("100.00"), author="anna")
    assert stored(Document, document.id).version == start + 1
    remove_payment(at(11, 0), payment, author="ewa")
    after = stored(Document, document.id)
    assert (after.version, after.updated_by, after.outstanding) == (
        start + 2, "ewa", Decimal("1000.00"))
    set_subject_to_collection(at(12, 0), load_settings(), [document.id], False, "jan")
    assert (stored(Document, document.id).version,
            stored(Document, document.id).updated_by) == (start + 3, "jan")


def test_a_message_sent_by_the_pass_marks_its_documents(document):
    start = stored(Document, document.id).version
    plan_day(at(9, 0), load_settings(), MONDAY)
    message = Message.get()
    mark_sent(at(9, 5), message)
    after = stored(Document, document.id)
    assert after.demands_sent == 1 or after.reminder_sent_on is not None
    assert (after.version, after.updated_by) == (start + 1, "system")
    assert after.updated_at == dt.datetime(2026, 11, 23, 8, 5)
