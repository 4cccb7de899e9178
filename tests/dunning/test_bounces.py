"""A bounce about one of our messages (issue 15, point 2), through real passes: the
address is marked failing, the step is undelivered and goes out again — the same step,
counted once — after the address is corrected; a second report changes nothing; a delay
is only noted; an address that still holds the message keeps the step counted."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pass_runner import run_one_pass

from windykacja.dunning.bounces import Failure, record_bounce
from windykacja.dunning.history import document_next_step
from windykacja.dunning.wording import describe_next
from windykacja.ledger.event_words import event_text
from windykacja.ledger.names import MESSAGE_STATE_NAMES, name_of
from windykacja.ledger.settings import load_settings
from windykacja.lists.contractor_list import load_for_editing, save_contractor
from windykacja.lists.outbox_list import outbox_source
from windykacja.models import (
    CollectionEvent,
    Document,
    DocumentStep,
    EventKind,
    FailingAddress,
    InboxMessage,
    Message,
    MessageRecipient,
    MessageState,
    RecipientState,
    UndeliveredStep,
    database,
)

MONDAY = dt.date(2026, 11, 23)
USER_UNKNOWN = Failure("biuro@example.pl", "5.1.1", "550 5.1.1 user unknown", True)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


@pytest.fixture
def overdue(collection):
    contractor = collection.contractor("C1", email="biuro@example.pl")
    collection.document(contractor, due=MONDAY - dt.timedelta(days=10), number="FV/1")
    return contractor


def bounce(clock, message, *failures):
    """Record the report as the inbox does: with its stored message, in one transaction."""
    with database.atomic():
        report = InboxMessage.create(source="test", key=f"k{InboxMessage.select().count()}",
                                     kind="bounce", received_at=clock.now(), day=clock.today())
        return record_bounce(clock, message, list(failures), report.id)


def fix_address(clock, contractor, email):
    form, version = load_for_editing(contractor.id)
    checked, saved = save_contractor(clock, dataclasses.replace(form, emails=email),
                                     contractor.id, version, author="anna")
    assert saved is not None, checked


def test_a_bounced_demand_goes_out_again_after_the_address_is_fixed_counted_once(
        overdue, clock, tmp_path):
    run_one_pass(clock, tmp_path, MONDAY)
    first = Message.get()
    document = Document.get(Document.number == "FV/1")
    assert (document.demands_sent, document.last_demand_on) == (1, MONDAY)

    clock.day = day(1)
    outcome = bounce(clock, first, USER_UNKNOWN)
    assert outcome.undelivered and outcome.bounced == ("biuro@example.pl",)
    first = Message.get_by_id(first.id)
    assert first.state == MessageState.UNDELIVERED
    document = Document.get_by_id(document.id)
    assert (document.demands_sent, document.last_demand_on) == (0, None)
    assert DocumentStep.select().count() == 0
    assert [(s.kind, s.number, s.message_id) for s in UndeliveredStep.select()] == [
        ("demand", 1, first.id)]
    assert [(r.address, r.state, r.reply) for r in MessageRecipient.select()] == [
        ("biuro@example.pl", RecipientState.BOUNCED, "550 5.1.1 user unknown")]
    failing = FailingAddress.get()
    assert (failing.address, failing.reply, failing.day) == (
        "biuro@example.pl", "550 5.1.1 user unknown", day(1))
    # Collection of the contractor waits, with the reason in words.
    assert describe_next(document_next_step(load_settings(), document, day(2)), "pl") == (
        "brak działającego adresu e-mail (adres biuro@example.pl odrzucony: "
        "550 5.1.1 user unknown, 24.11.2026)")
    assert run_one_pass(clock, tmp_path, day(2)).outcomes == []

    event = CollectionEvent.get(CollectionEvent.kind == EventKind.DELIVERY_FAILED)
    assert event_text(event.kind, event.text, "pl") == (
        "wezwanie 1 do biuro@example.pl: 550 5.1.1 user unknown (wiadomość przychodząca 1)")

    fix_address(clock, overdue, "ksiegowosc@example.pl")
    run_one_pass(clock, tmp_path, day(3))
    again = Message.select().order_by(Message.id.desc()).get()
    assert again.id != first.id and again.state == MessageState.SENT
    assert again.recipients == "ksiegowosc@example.pl"
    assert [(s.kind, s.number) for s in again.steps] == [("demand", 1)]
    document = Document.get_by_id(document.id)
    assert (document.demands_sent, document.last_demand_on) == (1, day(3))
    assert CollectionEvent.select().where(
        CollectionEvent.kind == EventKind.DEMAND_SENT).count() == 2  # once each message


def test_demand_two_bounced_goes_back_to_demand_one_and_its_day(overdue, clock, tmp_path):
    run_one_pass(clock, tmp_path, MONDAY)
    run_one_pass(clock, tmp_path, day(14))
    second = Message.select().order_by(Message.id.desc()).get()
    clock.day = day(15)
    assert bounce(clock, second, USER_UNKNOWN).undelivered
    document = Document.get(Document.number == "FV/1")
    assert (document.demands_sent, document.last_demand_on) == (1, MONDAY)


def test_a_second_report_of_the_same_bounce_changes_nothing(overdue, clock, tmp_path):
    run_one_pass(clock, tmp_path, MONDAY)
    message = Message.get()
    bounce(clock, message, USER_UNKNOWN)
    again = bounce(clock, message, USER_UNKNOWN)
    assert (again.bounced, again.undelivered) == ((), False)
    assert UndeliveredStep.select().count() == 1
    assert CollectionEvent.select().where(
        CollectionEvent.kind == EventKind.DELIVERY_FAILED).count() == 1


def test_a_delay_is_only_noted(overdue, clock, tmp_path):
    run_one_pass(clock, tmp_path, MONDAY)
    message = Message.get()
    delayed = Failure("biuro@example.pl", "4.4.1", "connection timed out", False)
    outcome = bounce(clock, message, delayed)
    assert (outcome.delayed, outcome.bounced, outcome.undelivered) == (
        ("biuro@example.pl",), (), False)
    assert Message.get_by_id(message.id).state == MessageState.SENT
    assert FailingAddress.select().count() == 0
    event = CollectionEvent.get(CollectionEvent.kind == EventKind.DELIVERY_DELAYED)
    assert event_text(event.kind, event.text, "en") == (
        "demand 1 to biuro@example.pl: connection timed out (inbox message 1)")


def test_an_address_that_still_holds_the_message_keeps_the_step(collection, clock, tmp_path):
    contractor = collection.contractor("C2", email="biuro@example.pl\nszef@example.pl")
    collection.document(contractor, due=MONDAY - dt.timedelta(days=10), number="FV/2")
    run_one_pass(clock, tmp_path, MONDAY)
    message = Message.get()
    outcome = bounce(clock, message, USER_UNKNOWN)
    assert outcome.bounced == ("biuro@example.pl",) and not outcome.undelivered
    assert Message.get_by_id(message.id).state == MessageState.SENT
    assert Document.get(Document.number == "FV/2").demands_sent == 1
    assert [f.address for f in FailingAddress.select()] == ["biuro@example.pl"]


def test_a_report_naming_an_address_we_never_wrote_to_changes_nothing(overdue, clock,
                                                                     tmp_path):
    run_one_pass(clock, tmp_path, MONDAY)
    message = Message.get()
    stranger = Failure("ktos@innydomena.pl", "5.1.1", "550 user unknown", True)
    assert bounce(clock, message, stranger).bounced == ()
    assert Message.get_by_id(message.id).state == MessageState.SENT


def test_the_outbox_shows_an_undelivered_message_early_with_its_documents(overdue, clock,
                                                                          tmp_path):
    run_one_pass(clock, tmp_path, MONDAY)
    message = Message.get()
    bounce(clock, message, USER_UNKNOWN)
    source = outbox_source().load()
    row = source.row(0)
    assert (row.id, row.state) == (message.id, MessageState.UNDELIVERED)
    assert [(s.document_number, s.kind, s.number) for s in row.steps] == [
        ("FV/1", "demand", 1)]
    assert name_of(MESSAGE_STATE_NAMES, row.state, "pl") == "niedoręczona (zwrot)"
