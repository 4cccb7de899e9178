"""User actions and the rules of who is under collection (SPEC §3) and when it ends."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest

from windykacja.dunning.worker import Worker, WorkerThread
from windykacja.ledger.actions import (
    add_note,
    current_author,
    record_payment,
    remove_payment,
)
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import CollectionEvent, Document, EventKind, PassRun

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
