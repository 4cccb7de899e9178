"""Why a message was not sent, in the reader's words (issue 12, point 3): the transports
and the outbox store a fixed English shape around the server's or the system's own words
(``every recipient refused: a@b.pl: 550 …``); ``event_words.failure_text`` reads each shape
back in the reader's language — old events too — and leaves the server's reply as it is.
The shapes are taken from the real transports, so a changed shape fails here."""

from __future__ import annotations

import pytest
from smtp_test_server import SmtpTestServer, closed_port

from windykacja.dunning.transports import (
    PermanentSendError,
    SendError,
    SmtpTransport,
    TransportUnavailable,
)
from windykacja.ledger.event_words import FAILURE_FORMS, event_text, failure_text
from windykacja.ledger.smtp_url import SmtpConfig

RAW = "From: a@firma.pl\nTo: b@klient.pl\nSubject: x\n\ntext\n"

STORED = [  # as found in events and last_error, before and after this change
    ("every recipient refused: a@b.pl: 550 5.1.1 No such user",
     "serwer odrzucił wszystkie adresy: a@b.pl: 550 5.1.1 No such user"),
    ("sender x@firma.pl refused: 553 5.7.1 Sender rejected",
     "serwer odrzucił nadawcę x@firma.pl: 553 5.7.1 Sender rejected"),
    ("recipient a@b.pl: 421 4.3.2 Closing", "adresat a@b.pl: 421 4.3.2 Closing"),
    ("DATA refused: 554 5.6.0 Spam",
     "serwer nie przyjął treści wiadomości (DATA): 554 5.6.0 Spam"),
    ("message refused: 552 5.3.4 Too big", "serwer odrzucił wiadomość: 552 5.3.4 Too big"),
    ("connection lost: timed out", "połączenie zerwane: przekroczono czas oczekiwania"),
    ("connection lost while sending the message: Broken pipe",
     "połączenie zerwane podczas wysyłania wiadomości: Broken pipe"),
    ("the message was sent but the server's answer never came (timed out); it may have "
     "been delivered", "wiadomość wysłano, ale odpowiedź serwera nie nadeszła "
     "(przekroczono czas oczekiwania); mogła zostać doręczona"),
    ("malformed address: bad@", "błędny adres: bad@"),
    ("the message has no recipients", "wiadomość nie ma adresatów"),
    ("smtp.firma.pl:587 does not offer STARTTLS",
     "serwer smtp.firma.pl:587 nie obsługuje STARTTLS"),
    ("login to smtp.firma.pl:587 as jan refused: 535 5.7.8 Bad credentials",
     "serwer smtp.firma.pl:587 odrzucił logowanie jako jan: 535 5.7.8 Bad credentials"),
    ("smtp.firma.pl:25 refused the connection: 554 No service",
     "serwer smtp.firma.pl:25 odrzucił połączenie: 554 No service"),
    ("cannot connect to smtp.firma.pl:587: Connection refused",
     "nie można połączyć się z smtp.firma.pl:587: Connection refused"),
    ("cannot write to the outbox folder /srv/outbox: Permission denied",
     "nie można zapisać w folderze skrzynki nadawczej /srv/outbox: Permission denied"),
    ("the sender stopped while sending; it may or may not have gone out",
     "wysyłanie przerwano w trakcie; wiadomość mogła wyjść lub nie"),
    ("template: line 3: 'x' is undefined", "szablon: line 3: 'x' is undefined"),
    ("gave up after 5 attempts: connection lost: timed out",
     "zrezygnowano po 5 próbach: połączenie zerwane: przekroczono czas oczekiwania"),
]


@pytest.mark.parametrize(("stored", "polish"), STORED)
def test_each_stored_shape_reads_in_polish_and_back_in_english(stored, polish):
    assert failure_text(stored, "pl") == polish
    english = failure_text(stored, "en")
    assert english == stored or stored.startswith("DATA refused")
    assert "554 5.6.0 Spam" in failure_text("DATA refused: 554 5.6.0 Spam", "en")


def test_every_shape_is_covered_by_an_example():
    used = {pattern.pattern for pattern, _ in FAILURE_FORMS
            if any(pattern.match(stored) for stored, _ in STORED)}
    missing = {pattern.pattern for pattern, _ in FAILURE_FORMS} - used
    assert missing <= {r"^the sender stopped while sending$", r"^address: (?P<problem>.*)$"}


def test_a_send_failed_event_old_or_new_reads_in_the_readers_words():
    text = "failed: gave up after 5 attempts: every recipient refused: a@b.pl: 451 4.7.1 Later"
    polish = event_text("send_failed", text, "pl")
    assert polish.endswith(
        ": zrezygnowano po 5 próbach: serwer odrzucił wszystkie adresy: a@b.pl: 451 4.7.1 Later")
    assert "gave up" not in polish and "every recipient" not in polish
    assert event_text("send_failed", "template: bad", "pl") == "szablon: bad"
    assert event_text("send_failed", "a server's words of no known shape", "pl") == (
        "a server's words of no known shape")


def _failure(port: int, recipients: list[str], **server) -> SendError:
    config = SmtpConfig(host="127.0.0.1", port=port, security="none", timeout=2)
    with pytest.raises((SendError, TransportUnavailable)) as caught, SmtpTransport(
            config) as transport:
        transport.send(RAW, "a@firma.pl", recipients)
    return caught.value


def test_the_real_transports_write_the_shapes_read_back():
    with SmtpTestServer() as server:
        server.refuse_recipient("b@klient.pl", "550 5.1.1 Mailbox unavailable")
        refused = _failure(server.port, ["b@klient.pl"])
        assert isinstance(refused, PermanentSendError)
        assert failure_text(str(refused), "pl") == (
            "serwer odrzucił wszystkie adresy: b@klient.pl: 550 5.1.1 Mailbox unavailable")
        server.fail_next_data("554 5.6.0 Spam")
        assert failure_text(str(_failure(server.port, ["c@klient.pl"])), "pl") == (
            "serwer odrzucił wiadomość: 554 5.6.0 Spam")
    port = closed_port()
    unreachable = failure_text(str(_failure(port, ["b@klient.pl"])), "pl")
    assert unreachable.startswith(f"nie można połączyć się z 127.0.0.1:{port}: ")
