"""Passes against a real SMTP server (aiosmtpd on 127.0.0.1) that misbehaves on cue:
the right states, retries on later passes, and the other messages still go."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from pass_runner import run_one_pass
from smtp_test_server import SMTP_TEST_PASSWORD, SMTP_TEST_USER, closed_port

from windykacja.dunning.outbox import MAX_ATTEMPTS, resend
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import (
    CollectionEvent,
    Document,
    EventKind,
    Message,
    MessageState,
    MessageText,
    database,
)

MONDAY = dt.date(2026, 11, 23)


def use_server(clock, port, login=False):
    credentials = f"{quote(SMTP_TEST_USER)}:{quote(SMTP_TEST_PASSWORD)}@" if login else ""
    save_settings({"smtp.url": f"smtp://{credentials}127.0.0.1:{port}"}, "test", clock.now())


def run(clock, tmp_path, day=MONDAY):
    return run_one_pass(clock, tmp_path, day)


def three_overdue(collection):
    contractors = [collection.contractor(f"C{i}", email=f"c{i}@example.pl") for i in range(3)]
    for c in contractors:
        collection.document(c, due=MONDAY - dt.timedelta(days=10), number=f"FV/{c.code}")
    return contractors


def states():
    return {m.contractor.code: m.state for m in Message.select()}


def test_all_messages_go_over_one_login_and_one_connection(collection, clock, tmp_path,
                                                           smtp_server):
    use_server(clock, smtp_server.port, login=True)
    three_overdue(collection)
    result = run(clock, tmp_path)
    assert result.count(MessageState.SENT) == 3
    assert smtp_server.connections == 1
    assert [m.login for m in smtp_server.messages] == [SMTP_TEST_USER] * 3
    assert {m.rcpt_tos for m in smtp_server.messages} == {
        ("c0@example.pl",), ("c1@example.pl",), ("c2@example.pl",)}


def test_a_refused_recipient_fails_only_that_message(collection, clock, tmp_path,
                                                     smtp_server):
    use_server(clock, smtp_server.port)
    three_overdue(collection)
    smtp_server.refuse_recipient("c1@example.pl", "550 5.1.1 No such mailbox")
    run(clock, tmp_path)
    assert states() == {"C0": "sent", "C1": "failed", "C2": "sent"}
    failed = Message.get(Message.state == MessageState.FAILED)
    assert "550" in failed.last_error and "No such mailbox" in failed.last_error
    event = CollectionEvent.get(CollectionEvent.kind == EventKind.SEND_FAILED)
    assert event.document.number == "FV/C1"
    # a permanent failure is never retried by itself …
    assert run(clock, tmp_path, MONDAY + dt.timedelta(days=1)).outcomes == []
    # … until a person asks for it
    smtp_server.handler.rcpt_replies.clear()
    resend(failed)
    assert [o.state for o in run(clock, tmp_path, MONDAY + dt.timedelta(days=2)).outcomes] == [
        "sent"]
    assert Document.get(Document.number == "FV/C1").demands_sent == 1


def test_4xx_replies_are_retried_on_the_next_pass(collection, clock, tmp_path, smtp_server):
    use_server(clock, smtp_server.port)
    three_overdue(collection)
    smtp_server.fail_next_data("451 4.3.0 Try again later")
    smtp_server.fail_next_data("421 4.3.2 Shutting down")
    run(clock, tmp_path)
    assert states() == {"C0": "retry", "C1": "retry", "C2": "sent"}
    assert len(smtp_server.messages) == 1
    assert Document.get(Document.number == "FV/C0").demands_sent == 0

    result = run(clock, tmp_path, MONDAY + dt.timedelta(days=1))
    assert sorted(o.documents[0] for o in result.outcomes) == ["FV/C0", "FV/C1"]
    assert states() == {"C0": "sent", "C1": "sent", "C2": "sent"}
    assert Message.select().count() == 3  # retried, not planned again
    assert Document.get(Document.number == "FV/C0").last_demand_on == MONDAY + dt.timedelta(1)


def test_a_refused_connection_is_retried_five_times_then_failed(collection, clock, tmp_path):
    use_server(clock, closed_port())
    anna = collection.contractor()
    collection.document(anna, due=MONDAY - dt.timedelta(days=10))
    day = MONDAY
    for attempt in range(1, MAX_ATTEMPTS + 1):
        outcome = run(clock, tmp_path, day).outcomes[0]
        message = Message.get()
        assert message.attempts == attempt
        expected = MessageState.RETRY if attempt < MAX_ATTEMPTS else MessageState.FAILED
        assert outcome.state == message.state == expected
        day += dt.timedelta(days=1)
        while not load_settings().sending_days.is_allowed(day):
            day += dt.timedelta(days=1)
    assert "gave up after 5 attempts" in Message.get().last_error
    assert run(clock, tmp_path, day).outcomes == []


def test_each_message_is_marked_before_it_goes_and_after_it_was_accepted(
        collection, clock, tmp_path, smtp_server):
    """What another connection reads from the database while the server takes each
    message in: that message committed as "sending", every earlier one as "sent", the
    later ones still planned — however the marks share their transactions."""
    use_server(clock, smtp_server.port)
    three_overdue(collection)
    seen: list[dict[str, str]] = []

    def committed(recipients):
        # the server's own thread: its own connection, so only what was committed
        seen.append({m.contractor.code: m.state for m in Message.select()})
        database.close()

    smtp_server.handler.on_data = committed
    result = run(clock, tmp_path)
    assert result.count(MessageState.SENT) == 3
    assert seen == [
        {"C0": "sending", "C1": "planned", "C2": "planned"},
        {"C0": "sent", "C1": "sending", "C2": "planned"},
        {"C0": "sent", "C1": "sent", "C2": "sending"},
    ]
    assert states() == {"C0": "sent", "C1": "sent", "C2": "sent"}


def test_a_message_text_is_stored_once_apart_from_the_row_its_marks_change(
        collection, clock, tmp_path, smtp_server):
    """The text handed to the server is the one stored when the message was planned,
    in ``message_text``; the ``message`` row, which "sending" and "sent" rewrite, has no
    text column (migration 0020: SQLite rewrote the 6 KB text with every mark)."""
    use_server(clock, smtp_server.port)
    three_overdue(collection)
    assert run(clock, tmp_path).count(MessageState.SENT) == 3
    assert "raw" not in {column.name for column in database.get_columns("message")}
    stored = {m.contractor.code: m.raw for m in Message.select()}
    assert len(MessageText.select()) == 3
    received = {m.rcpt_tos[0]: m.content for m in smtp_server.messages}
    for code, text in stored.items():
        wire = received[f"{code.lower()}@example.pl"].decode("utf-8")
        assert wire.replace("\r\n", "\n") == text.replace("\r\n", "\n")
