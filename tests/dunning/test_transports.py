"""Transports against a real SMTP server (aiosmtpd on 127.0.0.1) and a real Maildir."""

from __future__ import annotations

import datetime as dt
import mailbox
import shutil
import ssl
from email import policy
from email.parser import BytesParser

import pytest
from smtp_test_server import (
    SmtpTestServer,
    closed_port,
    make_certificate,
    server_tls_context,
    silent_server,
)

from windykacja.dunning.email_build import compose, message_to_text, new_message_id
from windykacja.dunning.transports import (
    MaildirTransport,
    PermanentSendError,
    RetryableSendError,
    SendResult,
    SmtpTransport,
    TransportUnavailable,
    make_transport,
)
from windykacja.ledger.settings import CollectionSettings
from windykacja.ledger.smtp_url import PASSWORD_ENV, SmtpConfig, parse_smtp_url

SENDER = "windykacja@naszafirma.pl"
TLS_USER, TLS_PASSWORD = "robot@naszafirma.pl", "hasło-TLS-1"


def credentials(server) -> tuple[str, str]:
    """The user and (Polish) password the ``smtp_server`` fixture accepts."""
    return next(iter(server.users.items()))


@pytest.fixture(autouse=True)
def _no_password_from_the_environment(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)


def message(subject="Wezwanie do zapłaty nr 1", to=("klient@example.pl",), text=None):
    return message_to_text(
        compose(
            sender_name="Nasza Firma Sp. z o.o.",
            sender_email=SENDER,
            recipients=list(to),
            subject=subject,
            text=text or "Szanowni Państwo,\nprosimy o zapłatę 1 234,56 PLN.\n",
            html="<p>Szanowni Państwo,</p>",
            message_id=new_message_id("naszafirma.pl"),
            date=dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC),
        )
    )


def smtp(server, **query) -> SmtpTransport:
    options = "&".join(f"{k}={v}" for k, v in query.items())
    return SmtpTransport(parse_smtp_url(f"smtp://{server.host}:{server.port}?{options}"))


def parsed(received):
    return BytesParser(policy=policy.default).parsebytes(received.content)


# --- parse_smtp_url ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, expected",
    [
        ("smtp://user:pass@mail.example.pl:587?starttls=1",
         SmtpConfig("mail.example.pl", 587, "user", "pass", "starttls", 30.0)),
        ("smtps://user:pass@mail.example.pl:465",
         SmtpConfig("mail.example.pl", 465, "user", "pass", "tls", 30.0)),
        ("smtp://relay.local:25", SmtpConfig("relay.local", 25, "", "", "none", 30.0)),
        ("smtp://relay.local", SmtpConfig("relay.local", 25, "", "", "none", 30.0)),
        ("smtps://u:p@h", SmtpConfig("h", 465, "u", "p", "tls", 30.0)),
        ("smtp://u:p@h?starttls=yes&timeout=12",
         SmtpConfig("h", 587, "u", "p", "starttls", 12)),
        ("SMTP://u:p@H.Example.PL:2525?starttls=0",
         SmtpConfig("h.example.pl", 2525, "u", "p", "none", 30.0)),
        ("smtp://jan%40firma.pl:p%40ss%2Fw%23rd%3A%C5%82@h:587?starttls=1",
         SmtpConfig("h", 587, "jan@firma.pl", "p@ss/w#rd:ł", "starttls", 30.0)),
    ],
)
def test_parse_smtp_url(url, expected):
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize(
    "url, words",
    [
        ("http://u:pw@host", "smtp://"),
        ("smtp://", "server name"),
        ("smtp://u:pw@host:abc", "port"),
        ("smtp://u:pw@host:99999", "port"),
        ("smtp://u:pw@host:0", "port"),
        ("smtp://u:pw@host?startls=1", "unknown SMTP URL option 'startls'"),
        ("smtps://u:pw@host?starttls=1", "already encrypted"),
        ("smtp://u:pw@host?starttls=maybe", "1 or 0"),
        ("smtp://u:pw@host?timeout=-1", "timeout"),
        ("smtp://u:pw@host?timeout=soon", "timeout"),
        ("smtp://u:pw@host?timeout=2.5", "timeout"),
        ("smtp://:pw@host", "no user name"),
        ("smtp://u:pw@host/path", "path"),
        ("smtp://host?password_file=/etc/x", "needs a user name"),
    ],
)
def test_a_bad_url_says_what_is_wrong(url, words):
    with pytest.raises(ValueError, match=words):
        parse_smtp_url(url)


@pytest.mark.parametrize(
    "url",
    ["smtp://u:Sekret/Haslo@host", "smtp://u:Sekret#Haslo@host", "smtp://u:Sekret?Haslo@host",
     "smtp://u:SekretHaslo@host:12ab", "ftp://u:SekretHaslo@host", "smtp://u:SekretHaslo@host/x"],
)
def test_errors_never_quote_the_password(url):
    with pytest.raises(ValueError) as caught:
        parse_smtp_url(url)
    for fragment in ("Sekret", "Haslo"):
        assert fragment not in str(caught.value)


def test_the_password_is_in_no_repr_str_or_description():
    config = parse_smtp_url("smtps://jan:Sekret-Haslo-99@mail.example.pl:465")
    assert config.password == "Sekret-Haslo-99"
    for text in (repr(config), str(config), config.describe(), repr(SmtpTransport(config))):
        assert "Sekret" not in text
    assert config.describe() == "smtps://jan@mail.example.pl:465"


def test_the_password_comes_from_the_url_then_the_environment(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "z-srodowiska")
    assert parse_smtp_url("smtp://u@h").password == "z-srodowiska"
    assert parse_smtp_url("smtp://u:z-adresu@h").password == "z-adresu"
    assert parse_smtp_url("smtp://h").password == ""  # no user, no login


def test_a_password_file_must_be_private(tmp_path, monkeypatch):
    secret = tmp_path / "smtp-password"
    secret.write_text("hasło-z-pliku\n", encoding="utf-8")
    secret.chmod(0o644)
    with pytest.raises(ValueError, match=r"readable only by its owner \(chmod 600\)") as caught:
        parse_smtp_url(f"smtp://u@h?password_file={secret}")
    assert "hasło" not in str(caught.value)

    secret.chmod(0o600)
    assert parse_smtp_url(f"smtp://u@h?password_file={secret}").password == "hasło-z-pliku"
    secret.chmod(0o640)
    with pytest.raises(ValueError, match="chmod 600"):
        parse_smtp_url(f"smtp://u@h?password_file={secret}")

    secret.chmod(0o600)
    monkeypatch.setenv(PASSWORD_ENV, "z-srodowiska")
    assert parse_smtp_url(f"smtp://u@h?password_file={secret}").password == "z-srodowiska"
    monkeypatch.delenv(PASSWORD_ENV)
    with pytest.raises(ValueError, match="cannot be read"):
        parse_smtp_url(f"smtp://u@h?password_file={tmp_path / 'missing'}")


def test_settings_validate_the_url_with_the_same_grammar():
    from windykacja.ledger.settings import SettingsValidationError, parse_changes

    assert parse_changes({"smtp.url": "smtp://h:25"}) == {"smtp.url": "smtp://h:25"}
    with pytest.raises(SettingsValidationError, match="smtp.url"):
        parse_changes({"smtp.url": "smtp://h?startls=1"})


# --- SMTP --------------------------------------------------------------------------------


def test_several_messages_go_over_one_connection(smtp_server):
    with smtp(smtp_server) as transport:
        results = [
            transport.send(message(f"Wezwanie {i}"), SENDER, [f"klient{i}@example.pl"])
            for i in range(3)
        ]
    assert all(isinstance(r, SendResult) and r.refused == {} for r in results)
    assert results[0].reply.startswith("250")
    assert smtp_server.connections == 1
    assert transport.connections_opened == 1
    received = smtp_server.messages
    assert [r.rcpt_tos for r in received] == [(f"klient{i}@example.pl",) for i in range(3)]
    assert {r.mail_from for r in received} == {SENDER}
    assert [parsed(r)["Subject"] for r in received] == [f"Wezwanie {i}" for i in range(3)]
    assert all(r.login is None for r in received)


def test_a_plain_connection_loads_no_certificates(smtp_server, monkeypatch):
    """A relay without TLS needs no SSL context: loading the system's certificates cost
    30-150 ms of every pass (the TLS tests below show the context where it is used)."""
    made: list[object] = []
    real = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context",
                        lambda *a, **k: made.append(a) or real(*a, **k))
    with smtp(smtp_server) as transport:
        transport.send(message("Wezwanie"), SENDER, ["klient@example.pl"])
    assert len(smtp_server.messages) == 1 and made == []


def test_nothing_connects_until_the_first_message(smtp_server):
    with smtp(smtp_server):
        pass
    assert smtp_server.connections == 0


def test_the_message_arrives_byte_for_byte_with_leading_dots(smtp_server):
    raw = message(text="Linia\n.\n..dwie kropki\n.koniec\n")
    with smtp(smtp_server) as transport:
        transport.send(raw, SENDER, ["klient@example.pl"])
    content = smtp_server.messages[0].content.replace(b"\r\n", b"\n")
    assert content.rstrip(b"\n") == raw.replace("\r\n", "\n").encode().rstrip(b"\n")
    body = parsed(smtp_server.messages[0]).get_body(("plain",)).get_content()
    assert body.replace("\r\n", "\n") == "Linia\n.\n..dwie kropki\n.koniec\n"


def test_login_with_the_configured_user_and_a_polish_password(smtp_server):
    user, password = credentials(smtp_server)
    assert not password.isascii()
    config = SmtpConfig(smtp_server.host, smtp_server.port, user, password)
    with SmtpTransport(config) as transport:
        transport.send(message(), SENDER, ["klient@example.pl"])
        transport.send(message(), SENDER, ["klient@example.pl"])
    assert smtp_server.logins == [user]
    assert [m.login for m in smtp_server.messages] == [user, user]


def test_login_with_an_ascii_password_from_the_url():
    with SmtpTestServer(users={"jan@firma.pl": "Haslo-123"}) as server:
        url = f"smtp://jan%40firma.pl:Haslo-123@{server.host}:{server.port}"
        with SmtpTransport(parse_smtp_url(url)) as transport:
            transport.send(message(), SENDER, ["klient@example.pl"])
        assert server.logins == ["jan@firma.pl"]


def test_a_refused_login_is_retryable_says_why_and_hides_the_password(smtp_server):
    user, _ = credentials(smtp_server)
    config = SmtpConfig(smtp_server.host, smtp_server.port, user, "Zle-Haslo-77")
    with SmtpTransport(config) as transport:
        with pytest.raises(TransportUnavailable) as caught:
            transport.send(message(), SENDER, ["klient@example.pl"])
        assert "535" in caught.value.reason and user in caught.value.reason
        # the rest of the pass fails at once, without a second login attempt
        with pytest.raises(RetryableSendError):
            transport.send(message(), SENDER, ["klient@example.pl"])
    assert transport.connections_opened == 1
    assert "Zle-Haslo" not in str(caught.value)
    assert smtp_server.messages == []


def test_a_closed_port_is_retryable():
    config = SmtpConfig("127.0.0.1", closed_port(), timeout=5)
    with SmtpTransport(config) as transport, pytest.raises(RetryableSendError) as caught:
        transport.send(message(), SENDER, ["klient@example.pl"])
    assert isinstance(caught.value, TransportUnavailable)
    assert "refused" in caught.value.reason.lower()


def test_a_server_that_never_answers_times_out_as_retryable():
    with silent_server() as port:
        config = SmtpConfig("127.0.0.1", port, timeout=0.5)
        with SmtpTransport(config) as transport, pytest.raises(RetryableSendError) as caught:
            transport.send(message(), SENDER, ["klient@example.pl"])
    assert "timed out" in caught.value.reason


def test_421_is_retryable_and_the_next_message_reconnects(smtp_server):
    smtp_server.fail_next_data("421 4.3.2 Service shutting down")
    with smtp(smtp_server) as transport:
        with pytest.raises(RetryableSendError) as caught:
            transport.send(message(), SENDER, ["klient@example.pl"])
        assert caught.value.code == 421 and "4.3.2" in caught.value.reason
        transport.send(message("Drugie"), SENDER, ["klient@example.pl"])
    assert smtp_server.connections == 2
    assert [parsed(m)["Subject"] for m in smtp_server.messages] == ["Drugie"]


def test_451_is_retryable_on_the_same_connection(smtp_server):
    smtp_server.fail_next_data("451 4.7.1 Greylisted, try again later")
    with smtp(smtp_server) as transport:
        with pytest.raises(RetryableSendError) as caught:
            transport.send(message(), SENDER, ["klient@example.pl"])
        assert not isinstance(caught.value, PermanentSendError)
        assert caught.value.reason.endswith("451 4.7.1 Greylisted, try again later")
        transport.send(message(), SENDER, ["klient@example.pl"])
    assert smtp_server.connections == 1
    assert len(smtp_server.messages) == 1


def test_554_for_the_message_is_permanent(smtp_server):
    smtp_server.fail_next_data("554 5.7.1 Message rejected as spam")
    with smtp(smtp_server) as transport, pytest.raises(PermanentSendError) as caught:
        transport.send(message(), SENDER, ["klient@example.pl"])
    assert caught.value.code == 554 and "spam" in caught.value.reason


def test_one_refused_recipient_of_two_still_sends(smtp_server):
    smtp_server.refuse_recipient("bad@x.pl", "550 5.1.1 No such user")
    with smtp(smtp_server) as transport:
        result = transport.send(
            message(to=["good@x.pl", "bad@x.pl"]), SENDER, ["good@x.pl", "bad@x.pl"]
        )
    assert result.refused == {"bad@x.pl": "550 5.1.1 No such user"}
    assert [m.rcpt_tos for m in smtp_server.messages] == [("good@x.pl",)]


def test_the_only_recipient_refused_with_550_is_permanent(smtp_server):
    smtp_server.refuse_recipient("bad@x.pl", "550 5.1.1 No such user")
    with smtp(smtp_server) as transport:
        with pytest.raises(PermanentSendError) as caught:
            transport.send(message(to=["bad@x.pl"]), SENDER, ["bad@x.pl"])
        assert "bad@x.pl: 550 5.1.1 No such user" in caught.value.reason
        transport.send(message(), SENDER, ["klient@example.pl"])  # the connection goes on
    assert smtp_server.connections == 1
    assert len(smtp_server.messages) == 1


def test_a_recipient_refused_with_450_is_retryable(smtp_server):
    smtp_server.refuse_recipient("full@x.pl", "450 4.2.2 Mailbox full")
    with smtp(smtp_server) as transport, pytest.raises(RetryableSendError):
        transport.send(message(to=["full@x.pl"]), SENDER, ["full@x.pl"])


def test_a_malformed_address_is_permanent_and_nothing_is_sent(smtp_server):
    with smtp(smtp_server) as transport:
        for bad in (["klient@example.pl\r\nRCPT TO:<x@y>"], ["not-an-address"], ["łukasz@x.pl"],
                    []):
            with pytest.raises(PermanentSendError):
                transport.send(message(), SENDER, bad)
    assert smtp_server.messages == []


def test_an_international_domain_goes_to_the_server_as_punycode(smtp_server):
    with smtp(smtp_server) as transport:
        transport.send(message(to=["biuro@łódź.pl"]), SENDER, ["biuro@łódź.pl"])
    assert smtp_server.messages[0].rcpt_tos == ("biuro@xn--d-uga0v4h.pl",)


def test_a_connection_dropped_between_messages_is_reopened_once(smtp_server):
    with smtp(smtp_server) as transport:
        transport.send(message("Pierwsze"), SENDER, ["klient@example.pl"])
        smtp_server.disconnect_all()
        transport.send(message("Drugie"), SENDER, ["klient@example.pl"])
        transport.send(message("Trzecie"), SENDER, ["klient@example.pl"])
    assert smtp_server.connections == 2
    assert [parsed(m)["Subject"] for m in smtp_server.messages] == [
        "Pierwsze", "Drugie", "Trzecie",
    ]


# --- TLS (needs the openssl command for a throw-away certificate) -------------------------


@pytest.fixture
def certificate(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    return make_certificate(tmp_path)


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "smtps"])
def test_tls_delivers_when_the_certificate_is_trusted(certificate, monkeypatch, implicit):
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trusted by ssl.create_default_context
    monkeypatch.setenv(PASSWORD_ENV, TLS_PASSWORD)
    users = {TLS_USER: TLS_PASSWORD}
    with SmtpTestServer(users, tls=server_tls_context(cert, key), implicit_tls=implicit) as srv:
        scheme = "smtps" if implicit else "smtp"
        query = "timeout=5" if implicit else "starttls=1&timeout=5"
        user = TLS_USER.replace("@", "%40")
        config = parse_smtp_url(f"{scheme}://{user}@127.0.0.1:{srv.port}?{query}")
        assert config.security == ("tls" if implicit else "starttls")
        with SmtpTransport(config) as transport:
            transport.send(message(), SENDER, ["klient@example.pl"])
        assert srv.logins == [TLS_USER]
        assert len(srv.messages) == 1


def test_tls_refuses_an_untrusted_certificate(certificate, tmp_path, monkeypatch):
    cert, key = certificate
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("SSL_CERT_FILE", str(make_certificate(other)[0]))
    with SmtpTestServer(tls=server_tls_context(cert, key)) as srv:
        config = SmtpConfig("127.0.0.1", srv.port, security="starttls", timeout=5)
        with SmtpTransport(config) as transport, pytest.raises(TransportUnavailable) as caught:
            transport.send(message(), SENDER, ["klient@example.pl"])
        assert "certificate" in caught.value.reason.lower()
        assert srv.messages == []


def test_starttls_asked_of_a_server_without_it(smtp_server):
    config = SmtpConfig(smtp_server.host, smtp_server.port, security="starttls", timeout=5)
    with SmtpTransport(config) as transport, pytest.raises(TransportUnavailable, match="STARTTLS"):
        transport.send(message(), SENDER, ["klient@example.pl"])



# --- Maildir ------------------------------------------------------------------------------


def test_maildir_stores_a_parseable_message_in_new(tmp_path):
    folder = tmp_path / "a" / "b" / "outbox"
    raw = message("Przypomnienie o płatności")
    with MaildirTransport(folder) as transport:
        result = transport.send(raw, SENDER, ["klient@example.pl"])
        transport.send(message("Drugie"), SENDER, ["klient@example.pl"])
    files = sorted((folder / "new").iterdir())
    assert len(files) == 2
    assert str(folder / "new") in result.reply and result.refused == {}
    stored = [BytesParser(policy=policy.default).parsebytes(f.read_bytes()) for f in files]
    assert {m["Subject"] for m in stored} == {"Przypomnienie o płatności", "Drugie"}
    assert b"\r\n" not in files[0].read_bytes()  # Maildir files use the local line end
    box = mailbox.Maildir(folder, create=False)
    assert len(box) == 2


def test_maildir_accepts_an_existing_empty_folder(tmp_path):
    with MaildirTransport(tmp_path) as transport:
        transport.send(message(), SENDER, ["klient@example.pl"])
    assert len(list((tmp_path / "new").iterdir())) == 1


def test_maildir_that_cannot_be_written_is_retryable(tmp_path):
    blocker = tmp_path / "outbox"
    blocker.write_text("a file where the folder should be")
    with MaildirTransport(blocker) as transport, pytest.raises(RetryableSendError) as caught:
        transport.send(message(), SENDER, ["klient@example.pl"])
    assert str(blocker) in caught.value.reason


def test_make_transport_defaults_to_the_local_outbox(tmp_path):
    default = tmp_path / "outbox"
    transport = make_transport(CollectionSettings(), default)
    assert isinstance(transport, MaildirTransport) and transport.path == default
    chosen = make_transport(CollectionSettings(outbox_maildir=str(tmp_path / "x")), default)
    assert isinstance(chosen, MaildirTransport) and chosen.path == tmp_path / "x"
    remote = make_transport(
        CollectionSettings(smtp_url="smtps://u:Sekret@mail.example.pl"), default
    )
    assert isinstance(remote, SmtpTransport)
    assert remote.config.security == "tls" and remote.config.port == 465
    assert "Sekret" not in repr(remote)

