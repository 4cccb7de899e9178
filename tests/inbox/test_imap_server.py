"""The IMAP test server (tests/imap_test_server.py, a real Dovecot) read with imapclient,
the client issue 15 reads the collection mailbox with.

These pin down what the inbox code may rely on (docs/inbox.md, "imapclient facts"):
UIDVALIDITY and UIDs survive a reconnection, BODY.PEEK[] gives the exact bytes without
marking them read, a UID range ``n:*`` also names the last message when nothing is newer,
MOVE (and COPY + UID EXPUNGE where the server lacks it), TLS against a certificate the
client was told to trust, and the error classes of a wrong password, a dropped
connection and a silent server.
"""

from __future__ import annotations

import socket
import ssl

import pytest
from imap_test_server import IMAP_TEST_PASSWORD, DovecotServer, DovecotUnavailable
from imapclient import IMAPClient
from imapclient.exceptions import CapabilityError, IMAPClientAbortError, LoginError
from smtp_test_server import silent_server

FIRST = (
    b"From: Jan Kowalski <jan@dluznik.pl>\r\n"
    b"To: windykacja@naszafirma.pl\r\n"
    b"Subject: Re: Wezwanie do zap\xc5\x82aty FV/1/2026\r\n"
    b"Message-ID: <odpowiedz-1@dluznik.pl>\r\n"
    b"In-Reply-To: <wezwanie-1@naszafirma.pl>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Zap\xc5\x82acili\xc5\x9bmy w pi\xc4\x85tek.\r\n"
)
SECOND = (
    b"From: MAILER-DAEMON@mx.example.pl\r\n"
    b"To: windykacja@naszafirma.pl\r\n"
    b"Subject: Undelivered Mail Returned to Sender\r\n"
    b"Message-ID: <zwrot-2@mx.example.pl>\r\n"
    b"\r\n"
    b"550 5.1.1 user unknown\r\n"
)


def connect(box, tls: bool = True, **kwargs) -> IMAPClient:
    if tls:
        client = IMAPClient(box.host, port=box.tls_port, ssl=True,
                            ssl_context=box.ssl_context(), timeout=10, **kwargs)
    else:
        client = IMAPClient(box.host, port=box.port, ssl=False, timeout=10, **kwargs)
    client.login(box.user, box.password)
    return client


def test_login_over_tls_and_select_gives_uidvalidity(imap_mailbox):
    with connect(imap_mailbox) as client:
        selected = client.select_folder("INBOX")
        assert isinstance(selected[b"UIDVALIDITY"], int) and selected[b"UIDVALIDITY"] > 0
        assert selected[b"EXISTS"] == 0
        assert selected[b"UIDNEXT"] == 1
        assert client.has_capability("MOVE") and client.has_capability("UIDPLUS")
        assert client.has_capability("IDLE")


def test_plain_connection_on_the_plain_port(imap_mailbox):
    with connect(imap_mailbox, tls=False) as client:
        assert client.select_folder("INBOX", readonly=True)[b"EXISTS"] == 0


def test_append_search_fetch_move_and_reconnect(imap_mailbox):
    first_uid = imap_mailbox.append(FIRST)
    second_uid = imap_mailbox.append(SECOND)
    assert second_uid > first_uid

    with connect(imap_mailbox) as client:
        uidvalidity = client.select_folder("INBOX")[b"UIDVALIDITY"]
        assert client.search("ALL") == [first_uid, second_uid]  # UID SEARCH (use_uid=True)
        fetched = client.fetch([first_uid, second_uid], ["BODY.PEEK[]", "RFC822.SIZE", "FLAGS"])
        assert fetched[first_uid][b"BODY[]"] == FIRST  # the key has no .PEEK
        assert fetched[second_uid][b"BODY[]"] == SECOND
        assert fetched[first_uid][b"RFC822.SIZE"] == len(FIRST)
        assert b"\\Seen" not in client.get_flags([first_uid])[first_uid]  # PEEK: unread

        # A UID range n:* always names the last message, even when none is newer than n
        # (RFC 3501 §6.4.8 / §9 seq-range): the caller filters out UIDs it has seen.
        assert client.search(["UID", f"{second_uid + 1}:*"]) == [second_uid]

        # BODY[] without .PEEK marks the message read (RFC 3501 §6.4.5).
        client.fetch([second_uid], ["BODY[]"])
        assert b"\\Seen" in client.get_flags([second_uid])[second_uid]

        client.create_folder("Processed")
        client.move([second_uid], "Processed")
        assert client.search("ALL") == [first_uid]

    with connect(imap_mailbox) as client:  # a new session: same UIDVALIDITY, same UIDs
        assert client.select_folder("INBOX")[b"UIDVALIDITY"] == uidvalidity
        assert client.search("ALL") == [first_uid]
        assert client.fetch([first_uid], ["BODY.PEEK[]"])[first_uid][b"BODY[]"] == FIRST
        processed = client.select_folder("Processed")
        moved = client.search("ALL")
        assert len(moved) == 1 and processed[b"UIDVALIDITY"] != uidvalidity
        assert client.fetch(moved, ["BODY.PEEK[]"])[moved[0]][b"BODY[]"] == SECOND


def test_partial_fetch_bounds_what_comes_over_the_wire(imap_mailbox):
    uid = imap_mailbox.append(FIRST)
    with connect(imap_mailbox) as client:
        client.select_folder("INBOX", readonly=True)
        part = client.fetch([uid], ["BODY.PEEK[]<0.40>"])[uid]
        assert part[b"BODY[]<0>"] == FIRST[:40]  # the key names the start only


def test_without_move_copy_then_uid_expunge(dovecot_without_move):
    box = dovecot_without_move.mailbox()
    keep, done = box.append_many([FIRST, SECOND])
    with connect(box) as client:
        client.select_folder("INBOX")
        assert not client.has_capability("MOVE")
        with pytest.raises(CapabilityError):
            client.move([done], "Processed")
        client.create_folder("Processed")
        client.copy([done], "Processed")
        client.delete_messages([done])
        client.uid_expunge([done])  # UIDPLUS: only this one, not every \Deleted message
        assert client.search("ALL") == [keep]
        client.select_folder("Processed")
        assert len(client.search("ALL")) == 1


def test_a_session_sees_new_mail_after_search_or_noop(imap_mailbox):
    imap_mailbox.append(FIRST)
    with connect(imap_mailbox) as client:
        client.select_folder("INBOX")
        arrived = imap_mailbox.append(SECOND)  # delivered while this session is open
        # UID FETCH of a UID the session was not told about yet gives nothing, no error.
        assert client.fetch([arrived], ["RFC822.SIZE"]) == {}
        assert arrived in client.search("ALL")  # UID SEARCH brings the session up to date
        assert client.fetch([arrived], ["RFC822.SIZE"])[arrived][b"RFC822.SIZE"] == len(SECOND)
        third = imap_mailbox.append(FIRST)
        client.noop()  # so does NOOP (and IDLE's EXISTS)
        assert third in client.fetch([third], ["RFC822.SIZE"])


def test_non_ascii_password_needs_authenticate_plain():
    try:
        server = DovecotServer(password="hasło-zażółć").start()
    except DovecotUnavailable as reason:
        pytest.skip(str(reason))
    try:
        box = server.mailbox()
        client = IMAPClient(box.host, port=box.tls_port, ssl_context=box.ssl_context(),
                            timeout=10)
        with pytest.raises(UnicodeEncodeError):  # LOGIN: imaplib sends ASCII only
            client.login(box.user, box.password)
        client.shutdown()
        with IMAPClient(box.host, port=box.tls_port, ssl_context=box.ssl_context(),
                        timeout=10) as client:
            client.plain_login(box.user, box.password)  # SASL PLAIN carries UTF-8
            assert client.select_folder("INBOX")[b"EXISTS"] == 0
    finally:
        server.stop()


def test_new_uidvalidity_is_seen_by_the_next_session(imap_mailbox):
    imap_mailbox.append(FIRST)
    with connect(imap_mailbox) as client:
        before = client.select_folder("INBOX")[b"UIDVALIDITY"]
    imap_mailbox.set_uidvalidity(before + 1000)
    with connect(imap_mailbox) as client:
        assert client.select_folder("INBOX")[b"UIDVALIDITY"] == before + 1000


def test_messages_dropped_into_the_maildir_get_uids(imap_mailbox):
    assert imap_mailbox.drop_into_maildir([FIRST, SECOND, FIRST]) == 3
    with connect(imap_mailbox) as client:
        client.select_folder("INBOX")
        uids = client.search("ALL")
        assert len(uids) == 3
        bodies = client.fetch(uids, ["BODY.PEEK[]"])
        assert sorted(v[b"BODY[]"] for v in bodies.values()) == sorted([FIRST, FIRST, SECOND])


def test_wrong_password_is_a_login_error(imap_mailbox):
    client = IMAPClient(imap_mailbox.host, port=imap_mailbox.tls_port,
                        ssl_context=imap_mailbox.ssl_context(), timeout=10)
    with pytest.raises(LoginError, match="AUTHENTICATIONFAILED"):
        client.login(imap_mailbox.user, IMAP_TEST_PASSWORD + "x")
    client.shutdown()


def test_untrusted_certificate_is_refused(imap_mailbox):
    with pytest.raises(ssl.SSLCertVerificationError):
        IMAPClient(imap_mailbox.host, port=imap_mailbox.tls_port, timeout=10)


def test_dropped_connection_is_an_abort_error(imap_mailbox):
    client = connect(imap_mailbox)
    client.select_folder("INBOX")
    assert imap_mailbox.disconnect_clients() == 1
    with pytest.raises((IMAPClientAbortError, OSError)):
        client.noop()
    client.shutdown()


def test_silent_server_times_out():
    # socket.timeout is TimeoutError since Python 3.10; imapclient lets it through.
    with silent_server() as port, pytest.raises(TimeoutError):
        IMAPClient("127.0.0.1", port=port, ssl=False, timeout=0.2)
    assert socket.timeout is TimeoutError


def test_without_dovecot_the_reason_is_given(monkeypatch):
    monkeypatch.setenv("WINDYKACJA_TEST_DOVECOT", "/nonexistent/dovecot")
    with pytest.raises(DovecotUnavailable, match="Dovecot is not installed.*imap.sh"):
        DovecotServer().start()
