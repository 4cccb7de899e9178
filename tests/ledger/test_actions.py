"""User actions and the rules of who is under collection (SPEC §3) and when it ends."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest

from windykacja.dunning.worker import Worker, WorkerThread
from windykacja.ledger.actions import (
    PaymentRefused,
    add_note,
    current_author,
    record_payment,
    record_payments,
    remove_payment,
)
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import CollectionEvent, Document, EventKind, PassRun, Payment

MONDAY = dt.date(2026, 11, 23)


def test_a_document_takes_its_contractors_flag_only_while_the_module_is_on(collection, clock):
    included = collection.contractor()
    excluded = collection.contractor(subject_to_collection=False)
    assert collection.document(included, due=MONDAY).subject_to_collection
    assert not collection.document(excluded, due=MONDAY).subject_to_collection
    save_settings({"module.enabled": "no"}, "test", clock.now())
    assert not collection.document(included, due=MONDAY).subject_to_collection


def test_changing_a_contractors_flag_leaves_existing_documents_alone(collection, clock):
    anna = collection.contractor()
    before = collection.document(anna, due=MONDAY)
    anna.subject_to_collection = False
    anna.save()
    after = collection.document(anna, due=MONDAY)
    assert Document.get_by_id(before.id).subject_to_collection
    assert not after.subject_to_collection


def test_a_note_is_an_event_with_its_author(collection, clock):
    doc = collection.document(collection.contractor(), due=MONDAY)
    add_note(clock, doc, "  Klient obiecał zapłatę w piątek  ", author="ewa")
    note = CollectionEvent.get(CollectionEvent.kind == EventKind.NOTE)
    assert (note.text, note.author, note.day) == ("Klient obiecał zapłatę w piątek", "ewa",
                                                 MONDAY)
    with pytest.raises(ValueError):
        add_note(clock, doc, "   ")


def test_the_author_comes_from_the_environment_or_the_system_user(monkeypatch):
    monkeypatch.setenv("WINDYKACJA_USER", "Ewa Kowalska")
    assert current_author() == "Ewa Kowalska"
    monkeypatch.delenv("WINDYKACJA_USER")
    assert current_author()


def test_a_removed_payment_resumes_collection_where_it_stopped(collection, clock):
    doc = collection.document(collection.contractor(), due=MONDAY - dt.timedelta(days=30),
                              gross="100.00")
    Document.update(demands_sent=2, last_demand_on=MONDAY - dt.timedelta(days=5)).execute()
    settings = load_settings()
    payment = record_payment(clock, settings, Document.get_by_id(doc.id), MONDAY,
                             Decimal("100.00"), author="ewa")
    assert Document.get_by_id(doc.id).collection_end_reason == "paid"
    remove_payment(clock, payment, author="ewa")
    stored = Document.get_by_id(doc.id)
    assert stored.outstanding == Decimal("100.00") and stored.collection_ended_on is None
    assert (stored.demands_sent, stored.last_demand_on) == (2, MONDAY - dt.timedelta(days=5))
    kinds = [e.kind for e in CollectionEvent.select().order_by(CollectionEvent.id)]
    assert kinds[-3:] == ["collection_finished", "payment_removed", "collection_resumed"]


def test_paying_a_document_nobody_was_reminded_of_ends_nothing(collection, clock):
    doc = collection.document(collection.contractor(), due=MONDAY, gross="50.00")
    record_payment(clock, load_settings(), doc, MONDAY, Decimal("50.00"), author="ewa")
    assert Document.get_by_id(doc.id).collection_ended_on is None
    assert not CollectionEvent.select().where(
        CollectionEvent.kind == EventKind.COLLECTION_FINISHED).exists()


def test_marked_documents_are_paid_in_full_each_in_one_action(collection, clock):
    anna = collection.contractor()
    first = collection.document(anna, due=MONDAY, gross="100.00")
    second = collection.document(anna, due=MONDAY, gross="250.50")
    payments = record_payments(clock, load_settings(), [second.id, first.id], MONDAY,
                               method="cash", reference="KP/7", author="ewa")
    assert [(p.document_id, p.amount, p.method, p.reference, p.author) for p in payments] == [
        (first.id, Decimal("100.00"), "cash", "KP/7", "ewa"),
        (second.id, Decimal("250.50"), "cash", "KP/7", "ewa")]
    assert [Document.get_by_id(d.id).outstanding for d in (first, second)] == [0, 0]
    assert CollectionEvent.select().where(
        CollectionEvent.kind == EventKind.PAYMENT_RECORDED).count() == 2


def test_marked_documents_are_paid_all_or_none(collection, clock):
    """The second document was paid meanwhile (nothing left to pay in full): the first,
    already recorded in the same action, is taken back with it."""
    anna = collection.contractor()
    first = collection.document(anna, due=MONDAY, gross="100.00")
    second = collection.document(anna, due=MONDAY, gross="80.00")
    record_payment(clock, load_settings(), second, MONDAY, Decimal("80.00"), author="ewa")
    with pytest.raises(PaymentRefused):
        record_payments(clock, load_settings(), [first.id, second.id], MONDAY, author="ewa")
    assert Document.get_by_id(first.id).outstanding == Decimal("100.00")
    assert not Payment.select().where(Payment.document == first.id).exists()
    with pytest.raises(PaymentRefused):  # the same amount on each: too much for one
        record_payments(clock, load_settings(), [first.id, second.id], MONDAY,
                        amount=Decimal("50.00"), author="ewa")
    assert Payment.select().count() == 1


def test_the_in_app_worker_thread_runs_the_pass_and_stops(collection, clock, tmp_path):
    collection.document(collection.contractor(), due=MONDAY - dt.timedelta(days=10))
    thread = WorkerThread(Worker(clock, tmp_path / "outbox"), poll_seconds=0.05)
    thread.start()
    deadline = time.monotonic() + 20
    while not PassRun.select().where(PassRun.finished_at.is_null(False)).exists():
        assert time.monotonic() < deadline, thread.worker.status.last_error
        time.sleep(0.05)
    thread.stop()
    assert not thread.is_alive()
    assert thread.worker.status.last_result.count("sent") == 1
