"""Each recipient's outcome (issue 12, point 5), against the real SMTP server: a message
to a contractor with two addresses is sent when one accepts it; an address that answers
4xx gets the same message on the next passes (never twice to the one that accepted), an
address that answers 5xx is marked failing — why-not reason, status, the list — until
the user changes it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pass_runner import run_one_pass

from windykacja.cli.status import report_lines
from windykacja.dunning.history import document_next_step
from windykacja.dunning.outbox import (
    MAX_ATTEMPTS,
    declare_in_doubt,
    mark_recipients_sending,
    mark_sent_by_user,
    recipients_of,
    resend,
)
from windykacja.dunning.wording import describe_next
from windykacja.i18n import set_language
from windykacja.importers.contractors import import_contractors
from windykacja.ledger.actions import record_payment
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.lists.contractor_list import ContractorForm, load_for_editing, save_contractor
from windykacja.lists.health import ATTENTION, check_health
from windykacja.lists.message_view import read_message, recipient_line
from windykacja.lists.outbox_list import outbox_source
from windykacja.lists.unpaid_list import UnpaidQuery, UnpaidWindow
from windykacja.models import (
    CollectionEvent,
    Contractor,
    Document,
    EventKind,
    FailingAddress,
    Message,
    MessageRecipient,
    MessageState,
    RecipientState,
)

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def english():
    """``status`` speaks the interface's language: English here, whatever ran before."""
    set_language("en")
    yield
    set_language("en")

GREYLISTED = "451 4.7.1 Greylisted, try again later"
UNKNOWN_USER = "550 5.1.1 User unknown"


def use_server(clock, port):
    save_settings({"smtp.url": f"smtp://127.0.0.1:{port}"}, "test", clock.now())


def run(clock, tmp_path, day):
    return run_one_pass(clock, tmp_path, day)


def two_addresses(collection, second="ksiegowosc@example.pl"):
    contractor = collection.contractor("C2", email=f"biuro@example.pl\n{second}")
    collection.document(contractor, due=MONDAY - dt.timedelta(days=10), number="FV/1")
    return contractor


def outcomes(message):
    return {r.address: (r.state, r.reply, r.attempts) for r in MessageRecipient.select()
            .where(MessageRecipient.message == message.id)}


def problems(clock):
    """The codes of what ``status`` says needs a person."""
    return {p.code for p in check_health(load_settings(), clock).problems}


def days(n):
    return MONDAY + dt.timedelta(days=n)


def test_a_greylisted_address_gets_the_same_message_on_the_next_pass_and_once(
        collection, clock, tmp_path, smtp_server):
    use_server(clock, smtp_server.port)
    two_addresses(collection)
    smtp_server.refuse_recipient("ksiegowosc@example.pl", GREYLISTED)

    first = run(clock, tmp_path, MONDAY)
    message = Message.get()
    assert message.state == MessageState.SENT  # the debtor was told: the step is done
    assert [o.state for o in first.outcomes] == ["sent"]
    assert "ksiegowosc@example.pl: 451" in message.last_error
    assert outcomes(message) == {
        "biuro@example.pl": (RecipientState.ACCEPTED, "", 1),
        "ksiegowosc@example.pl": (RecipientState.DEFERRED, GREYLISTED, 1),
    }
    assert [m.rcpt_tos for m in smtp_server.messages] == [("biuro@example.pl",)]
    document = Document.get(Document.number == "FV/1")
    assert (document.demands_sent, document.last_demand_on) == (1, MONDAY)

    # still greylisted on Tuesday: tried again, to that address only
    second = run(clock, tmp_path, days(1))
    assert [(o.again, o.recipients) for o in second.outcomes] == [
        (True, "ksiegowosc@example.pl")]
    assert second.messages == []  # not a message of its own in the pass's counts
    assert len(smtp_server.messages) == 1
    assert outcomes(message)["ksiegowosc@example.pl"][::2] == (RecipientState.DEFERRED, 2)

    # Wednesday the server takes it: the same stored message, to that address alone
    smtp_server.handler.rcpt_replies.clear()
    run(clock, tmp_path, days(2))
    assert [m.rcpt_tos for m in smtp_server.messages] == [
        ("biuro@example.pl",), ("ksiegowosc@example.pl",)]
    assert smtp_server.messages[0].content == smtp_server.messages[1].content
    assert outcomes(message)["ksiegowosc@example.pl"] == (RecipientState.ACCEPTED, "", 3)
    # the step counted once: one demand, one event, nothing left to send
    document = Document.get(Document.number == "FV/1")
    assert (document.demands_sent, document.last_demand_on) == (1, MONDAY)
    assert CollectionEvent.select().where(
        CollectionEvent.kind == EventKind.DEMAND_SENT).count() == 1
    assert run(clock, tmp_path, days(3)).outcomes == []
    assert len(smtp_server.messages) == 2  # biuro@ never received it twice
    assert Message.select().count() == 1


def test_a_document_paid_meanwhile_is_not_demanded_again_at_the_deferred_address(
        collection, clock, tmp_path, smtp_server):
    use_server(clock, smtp_server.port)
    two_addresses(collection)
    smtp_server.refuse_recipient("ksiegowosc@example.pl", GREYLISTED)
    run(clock, tmp_path, MONDAY)
    document = Document.get(Document.number == "FV/1")
    record_payment(clock, load_settings(), document, days(1), Decimal("100.00"))
    smtp_server.handler.rcpt_replies.clear()
    assert run(clock, tmp_path, days(1)).outcomes == []
    assert len(smtp_server.messages) == 1
    assert outcomes(Message.get())["ksiegowosc@example.pl"] == (
        RecipientState.WITHDRAWN, GREYLISTED, 1)
    assert recipient_line(read_message(Message.get()).recipients[1], "en") == (
        f"ksiegowosc@example.pl — not sent any more: a document changed (1 try): {GREYLISTED}")


def test_an_address_greylisted_on_every_try_is_given_up_and_marked_failing(
        collection, clock, tmp_path, smtp_server):
    use_server(clock, smtp_server.port)
    two_addresses(collection)
    smtp_server.refuse_recipient("ksiegowosc@example.pl", GREYLISTED)
    for n in range(MAX_ATTEMPTS):
        run(clock, tmp_path, days(n))
    message = Message.get()
    state, reply, attempts = outcomes(message)["ksiegowosc@example.pl"]
    assert (state, attempts) == (RecipientState.REFUSED, MAX_ATTEMPTS)
    assert reply == GREYLISTED  # the server's words; the tries are counted beside them
    assert [f.address for f in FailingAddress.select()] == ["ksiegowosc@example.pl"]
    assert run(clock, tmp_path, days(MAX_ATTEMPTS)).outcomes == []  # no sixth try
    assert len(smtp_server.messages) == 1


def test_an_address_refused_for_good_is_marked_failing_and_later_messages_skip_it(
        collection, clock, tmp_path, smtp_server):
    use_server(clock, smtp_server.port)
    contractor = two_addresses(collection)
    smtp_server.refuse_recipient("ksiegowosc@example.pl", UNKNOWN_USER)
    run(clock, tmp_path, MONDAY)
    message = Message.get()
    assert message.state == MessageState.SENT
    assert outcomes(message)["ksiegowosc@example.pl"] == (
        RecipientState.REFUSED, UNKNOWN_USER, 1)
    failing = FailingAddress.get()
    assert (failing.address, failing.reply, failing.day) == (
        "ksiegowosc@example.pl", UNKNOWN_USER, MONDAY)
    # never retried
    assert run(clock, tmp_path, days(1)).outcomes == []

    # status: a person is needed, and what to do
    settings = load_settings()
    health = check_health(settings, clock)
    assert health.exit_code == ATTENTION
    text = "\n".join(report_lines(health, "test.db", clock))
    assert ("address ksiegowosc@example.pl of C2 (Klient C2 sp. z o.o.) refused: 550 5.1.1 "
            "User unknown, "
            "23.11.2026; messages go to its other addresses only") in text

    # the next demand goes to the working address only
    smtp_server.handler.rcpt_replies.clear()
    later = run(clock, tmp_path, days(14))
    assert [o.recipients for o in later.messages] == ["biuro@example.pl"]
    assert smtp_server.messages[-1].rcpt_tos == ("biuro@example.pl",)

    # the user corrects the address in the contractor editor: the mark is gone
    form, version = load_for_editing(contractor.id)
    form = ContractorForm(**{**form.__dict__,
                             "emails": "biuro@example.pl\nfaktury@example.pl"})
    checked, _ = save_contractor(clock, form, contractor.id, version, "ewa")
    assert checked.ok
    assert FailingAddress.select().count() == 0
    assert "address_failing" not in problems(clock)


def test_every_address_refused_fails_the_message_and_says_why_until_one_changes(
        collection, clock, tmp_path, smtp_server):
    use_server(clock, smtp_server.port)
    two_addresses(collection)
    smtp_server.refuse_recipient("biuro@example.pl", UNKNOWN_USER)
    smtp_server.refuse_recipient("ksiegowosc@example.pl", "554 5.7.1 Relay access denied")
    run(clock, tmp_path, MONDAY)
    message = Message.get()
    assert message.state == MessageState.FAILED  # as before: permanently, a person acts
    assert "every recipient refused" in message.last_error
    assert {f.address for f in FailingAddress.select()} == {
        "biuro@example.pl", "ksiegowosc@example.pl"}
    # Our words around the server's replies are the reader's; the replies stay as written.
    from windykacja.ledger.event_words import event_text
    from windykacja.lists.message_view import error_text
    from windykacja.models import CollectionEvent

    event = CollectionEvent.get(CollectionEvent.kind == "send_failed")
    for polish in (event_text(event.kind, event.text, "pl"),
                   error_text(message.last_error, "pl")):
        assert "serwer odrzucił wszystkie adresy: " in polish
        assert "every recipient refused" not in polish
        assert "ksiegowosc@example.pl: 554 5.7.1 Relay access denied" in polish
    assert smtp_server.messages == []

    # a second document of the contractor gets no message: why-not says so
    collection.document(Contractor.get(Contractor.code == "C2"),
                        due=days(1) - dt.timedelta(days=10), number="FV/2")
    assert run(clock, tmp_path, days(1)).outcomes == []
    second = Document.get(Document.number == "FV/2")
    reason = document_next_step(load_settings(), second, days(1))
    assert reason.code == "addresses_failing"
    assert describe_next(reason, "en") == (
        "no working e-mail address (address biuro@example.pl refused: 550 5.1.1 User "
        "unknown, 23.11.2026; address ksiegowosc@example.pl refused: 554 5.7.1 Relay "
        "access denied, 23.11.2026)")
    assert describe_next(reason, "pl").startswith(
        "brak działającego adresu e-mail (adres biuro@example.pl odrzucony")
    health = check_health(load_settings(), clock)
    assert "no message can reach this contractor" in "\n".join(p.text for p in health.problems)
    # … and the unpaid list's next step, for both documents
    listed = UnpaidWindow(UnpaidQuery(days(1)), load_settings()).load()
    steps = {listed.row(i).document.number: listed.row(i).next_step for i in range(2)}
    assert steps["FV/2"] == reason
    assert steps["FV/1"] == reason  # its failed message waits too, for the same cause

    # the contractors' import changes one address: that one is cleared, and C2 is written to
    path = tmp_path / "contractors.csv"
    path.write_text("code;name;email\nC2;Klient C2 sp. z o.o.;nowe@example.pl, "
                    "ksiegowosc@example.pl\n", encoding="utf-8")
    import_contractors(path, clock, load_settings())
    assert [f.address for f in FailingAddress.select()] == ["ksiegowosc@example.pl"]
    smtp_server.handler.rcpt_replies.clear()
    sent = run(clock, tmp_path, days(2))
    assert [(o.state, o.recipients) for o in sent.messages] == [("sent", "nowe@example.pl")]


def test_a_sender_dying_while_retrying_an_address_leaves_it_in_doubt(
        collection, clock, tmp_path, smtp_server):
    use_server(clock, smtp_server.port)
    two_addresses(collection)
    smtp_server.refuse_recipient("ksiegowosc@example.pl", GREYLISTED)
    run(clock, tmp_path, MONDAY)
    message = Message.get()
    recorded = recipients_of([message.id])[message.id]
    mark_recipients_sending(message, recorded, ["ksiegowosc@example.pl"])  # then it died
    declare_in_doubt(clock)
    assert outcomes(message)["ksiegowosc@example.pl"][0] == RecipientState.IN_DOUBT
    assert Message.get().state == MessageState.SENT
    smtp_server.handler.rcpt_replies.clear()
    assert run(clock, tmp_path, days(1)).outcomes == []  # never resent by itself
    assert "recipient_in_doubt" in problems(clock)

    # a person asks for another try: that address alone, on the next pass, once
    resend(Message.get())
    again = run(clock, tmp_path, days(2))
    assert [(o.again, o.recipients) for o in again.outcomes] == [
        (True, "ksiegowosc@example.pl")]
    assert [m.rcpt_tos for m in smtp_server.messages] == [
        ("biuro@example.pl",), ("ksiegowosc@example.pl",)]
    assert outcomes(message)["ksiegowosc@example.pl"][0] == RecipientState.ACCEPTED
    assert "recipient_in_doubt" not in problems(clock)
    assert Document.get(Document.number == "FV/1").demands_sent == 1


def test_an_address_in_doubt_confirmed_by_a_person_is_not_sent_again(
        collection, clock, tmp_path, smtp_server):
    use_server(clock, smtp_server.port)
    two_addresses(collection)
    smtp_server.refuse_recipient("ksiegowosc@example.pl", GREYLISTED)
    run(clock, tmp_path, MONDAY)
    message = Message.get()
    mark_recipients_sending(message, recipients_of([message.id])[message.id],
                            ["ksiegowosc@example.pl"])
    declare_in_doubt(clock)
    mark_sent_by_user(clock, message, "ewa")
    assert outcomes(message)["ksiegowosc@example.pl"][:2] == (
        RecipientState.ACCEPTED, "marked sent by ewa")
    smtp_server.handler.rcpt_replies.clear()
    assert run(clock, tmp_path, days(1)).outcomes == []
    assert len(smtp_server.messages) == 1
    assert "recipient_in_doubt" not in problems(clock)


def test_the_maildir_outbox_accepts_every_address(collection, clock, tmp_path):
    two_addresses(collection)
    run(clock, tmp_path / "outbox", MONDAY)
    message = Message.get()
    assert message.state == MessageState.SENT
    assert outcomes(message) == {
        "biuro@example.pl": (RecipientState.ACCEPTED, "", 1),
        "ksiegowosc@example.pl": (RecipientState.ACCEPTED, "", 1),
    }


def test_the_outbox_shows_each_address_outcome(collection, clock, tmp_path, smtp_server):
    use_server(clock, smtp_server.port)
    two_addresses(collection)
    smtp_server.refuse_recipient("ksiegowosc@example.pl", GREYLISTED)
    run(clock, tmp_path, MONDAY)
    view = read_message(Message.get())
    assert [recipient_line(r, "en") for r in view.recipients] == [
        "biuro@example.pl — accepted by the server (1 try)",
        f"ksiegowosc@example.pl — to retry (1 try): {GREYLISTED}",
    ]
    assert [recipient_line(r, "pl") for r in view.recipients] == [
        "biuro@example.pl — przyjęta przez serwer (1 próba)",
        f"ksiegowosc@example.pl — do ponowienia (1 próba): {GREYLISTED}",
    ]
    row = outbox_source().load().row(0)
    assert row.unaccepted == ((RecipientState.DEFERRED, 1),)


def test_outbox_command_lists_and_shows_each_address_answer(
        collection, clock, tmp_path, smtp_server, db_location, capsys):
    from windykacja.app import main

    use_server(clock, smtp_server.port)
    two_addresses(collection)
    smtp_server.refuse_recipient("ksiegowosc@example.pl", UNKNOWN_USER)
    run(clock, tmp_path, MONDAY)
    message = Message.get()
    capsys.readouterr()
    assert main(["--db", db_location(), "--lang", "en", "outbox"]) == 0
    listed = capsys.readouterr().out
    assert f"#{message.id} sent" in listed
    assert f"ksiegowosc@example.pl — refused by the server (1 try): {UNKNOWN_USER}" in listed
    assert main(["--db", db_location(), "--lang", "pl", "outbox", "show",
                 str(message.id)]) == 0
    shown = capsys.readouterr().out
    assert "Adresaci:" in shown
    assert "    biuro@example.pl — przyjęta przez serwer (1 próba)" in shown
    assert (f"    ksiegowosc@example.pl — odrzucona przez serwer (1 próba): {UNKNOWN_USER}"
            in shown)
