"""``windykacja status`` and the top line about what debtors answered (issue 15): replies
waiting for a decision ask for a person with the oldest's day, and so does a mailbox
that cannot be read (a broken setup at once, a server down after three hours); promises
and disputes are counted. On a real database, the mailbox read for real."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.app import main
from windykacja.i18n import set_language
from windykacja.importers.inbox import fetch_inbox
from windykacja.ledger.answers import (
    decide_reply,
    link_documents,
    make_promise,
    open_dispute,
    settle_promises,
)
from windykacja.ledger.clock import FixedClock, utc_now_naive
from windykacja.ledger.imap_url import PASSWORD_ENV
from windykacja.ledger.rates import add_interest_rate
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.lists.answer_health import MAILBOX_OUTAGE_GRACE
from windykacja.lists.health import ATTENTION, OK, check_health
from windykacja.lists.status import collection_status
from windykacja.models import Decision, InboxKind, InboxMessage, InboxState
from windykacja.tui.status_text import describe_status

MONDAY = dt.date(2026, 11, 23)


def status(location: str, *args: str, today: dt.date = MONDAY) -> int:
    return main(["--db", location, "--today", today.isoformat(), "status", *args])


@pytest.fixture
def location(db_location, collection, clock):
    add_interest_rate(clock, "business", "2026-07-01", "13.75", "M.P. test notice", "test")
    return db_location()


@pytest.fixture
def document(collection):
    contractor = collection.contractor(email="klient@example.pl")
    return collection.document(contractor, MONDAY + dt.timedelta(days=10), number="FV/1")


def _reply(clock, document, contractor=True) -> InboxMessage:
    reply = InboxMessage.create(
        source="maildir:/m", key=f"k{InboxMessage.select().count()}", kind=InboxKind.REPLY,
        state=InboxState.WAITING, contractor=document.contractor_id if contractor else None,
        received_at=utc_now_naive(clock), day=clock.today())
    if contractor:
        link_documents(reply, [document.id])
    return reply


def test_a_reply_waiting_asks_for_a_person_until_decided(location, document, clock, capsys):
    reply = _reply(clock, document)
    _reply(FixedClock(MONDAY + dt.timedelta(days=1)), document, contractor=False)
    assert status(location, today=MONDAY + dt.timedelta(days=2)) == ATTENTION
    shown = capsys.readouterr().out
    assert ("2 replies wait for a decision (the oldest since 23.11.2026): collection of "
            "their documents is paused until a person decides in the Inbox") in shown
    assert "; 1 of them is from an unknown sender: assign it to a contractor" in shown
    assert "replies:      2 waiting, the oldest since 23.11.2026; 1 from unknown senders" \
        in shown

    decide_reply(clock, reply, Decision.RESUME)
    InboxMessage.update(state=InboxState.DONE).execute()
    assert status(location) == OK
    shown = capsys.readouterr().out
    assert "replies:      0 waiting" in shown and "reply waits" not in shown


def test_promises_and_disputes_are_counted_and_ask_for_nobody(location, document, clock,
                                                              collection, capsys):
    other = collection.document(document.contractor, MONDAY + dt.timedelta(days=3),
                                number="FV/2")
    make_promise(clock, load_settings(), [document], Decimal("100.00"),
                 MONDAY + dt.timedelta(days=20))
    make_promise(clock, load_settings(), [other], Decimal("100.00"), MONDAY)
    settle_promises(FixedClock(MONDAY + dt.timedelta(days=5)))
    open_dispute(clock, document, "towar uszkodzony")
    assert status(location, today=MONDAY + dt.timedelta(days=5)) == OK
    shown = capsys.readouterr().out
    assert "promises:     1 open; 1 document with a broken promise and no step since" in shown
    assert "disputes:     1 unresolved" in shown


def test_a_mailbox_that_is_not_there_asks_for_a_person_at_once(location, clock, tmp_path,
                                                               capsys):
    missing = tmp_path / "no-such-maildir"
    save_settings({"inbox.maildir": str(missing)}, "test", clock.now())
    [result] = fetch_inbox(clock, load_settings())
    assert result.failure == "folder"
    assert status(location) == ATTENTION
    shown = capsys.readouterr().out
    assert f"the mailbox maildir:{missing} cannot be read since 23.11.2026 09:00: " in shown
    assert "bounces and replies are not seen until it is mended" in shown
    assert f"mailbox:      maildir:{missing}: failing since 23.11.2026 09:00" in shown

    top = collection_status(load_settings(), clock)
    assert top.mailbox_failure == "folder"
    assert describe_status(top, None, True).startswith("mailbox: no such folder — see status")
    set_language("pl")
    assert describe_status(top, None, True).startswith(
        "skrzynka: nie ma takiego folderu — zob. status")

    missing.mkdir()
    for sub in ("new", "cur", "tmp"):
        (missing / sub).mkdir()
    [result] = fetch_inbox(clock, load_settings())
    assert result.failure is None
    assert collection_status(load_settings(), clock).mailbox_failure == ""
    assert status(location) == OK


def test_a_mail_server_down_asks_for_a_person_only_after_three_hours(location, clock,
                                                                     monkeypatch):
    """Nothing listens on port 1: the server cannot be reached; the next reads may work,
    so a person is asked only once it has lasted ``MAILBOX_OUTAGE_GRACE``."""
    monkeypatch.setenv(PASSWORD_ENV, "secret")
    save_settings({"imap.url": "imap://user@127.0.0.1:1/INBOX"}, "test", clock.now())
    [result] = fetch_inbox(clock, load_settings())
    assert result.failure == "unavailable", result
    health = check_health(load_settings(), clock)
    assert not [p for p in health.problems if p.code == "mailbox_failing"]
    later = FixedClock(MONDAY, time=(dt.datetime(2026, 1, 1, 9) + MAILBOX_OUTAGE_GRACE).time())
    health = check_health(load_settings(), later)
    [problem] = [p for p in health.problems if p.code == "mailbox_failing"]
    assert "the mail server cannot be reached" in problem.text
    assert "secret" not in problem.text
