"""The collection mailbox's URL (ledger/imap_url.py): its grammar, where the password comes
from, and that no message, repr or description ever shows the password."""

from __future__ import annotations

import pytest

from windykacja.ledger.imap_url import PASSWORD_ENV, ImapConfig, mask_imap_url, parse_imap_url
from windykacja.ledger.smtp_url import parse_smtp_url


@pytest.fixture(autouse=True)
def no_password_in_the_environment(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("imaps://jan:haslo@mail.example.pl/INBOX",
         ImapConfig("mail.example.pl", 993, "jan", "haslo", "tls", "INBOX", 30.0, "")),
        ("imaps://jan:haslo@mail.example.pl",
         ImapConfig("mail.example.pl", 993, "jan", "haslo", "tls", "INBOX", 30.0, "")),
        ("imaps://jan:haslo@mail.example.pl/", ImapConfig("mail.example.pl", 993, "jan", "haslo")),
        ("imaps://jan:haslo@mail.example.pl/inbox",
         ImapConfig("mail.example.pl", 993, "jan", "haslo")),
        ("imap://jan:haslo@mail.example.pl/INBOX?starttls=1",
         ImapConfig("mail.example.pl", 143, "jan", "haslo", "starttls")),
        ("imap://jan:haslo@127.0.0.1:1143/INBOX",
         ImapConfig("127.0.0.1", 1143, "jan", "haslo", "none")),
        ("IMAPS://jan:haslo@Mail.Example.PL:10993/Odpowiedzi%20klient%C3%B3w?timeout=12",
         ImapConfig("mail.example.pl", 10993, "jan", "haslo", "tls", "Odpowiedzi klientów",
                    12.0)),
        ("imaps://jan%40firma.pl:p%40ss%2Fw%23rd%3A%C5%82@h/Skrzynka.Windykacja",
         ImapConfig("h", 993, "jan@firma.pl", "p@ss/w#rd:ł", "tls", "Skrzynka.Windykacja")),
    ],
)
def test_parse_imap_url(url, expected):
    assert parse_imap_url(url, environ={}) == expected


def test_cafile_must_be_a_readable_file(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    config = parse_imap_url(f"imaps://u:p@h/INBOX?cafile={ca}", environ={})
    assert config.cafile == str(ca)
    with pytest.raises(ValueError, match="cafile .*missing.pem is not a file"):
        parse_imap_url(f"imaps://u:p@h?cafile={tmp_path / 'missing.pem'}", environ={})
    with pytest.raises(ValueError, match="cafile needs a file"):
        parse_imap_url("imaps://u:p@h?cafile=", environ={})


@pytest.mark.parametrize(
    "url, words",
    [
        ("http://u:pw@host/INBOX", "imaps:// or imap://"),
        ("imaps://", "server name"),
        ("imaps://u:pw@host:abc/INBOX", "port"),
        ("imaps://u:pw@host:99999", "port"),
        ("imaps://u:pw@host:0", "port"),
        ("imaps://host/INBOX", "no user name"),
        ("imaps://:pw@host/INBOX", "no user name"),
        ("imaps://u:pw@host/INBOX?startls=1", "unknown IMAP URL option 'startls'"),
        ("imaps://u:pw@host/INBOX?starttls=1", "already encrypted"),
        ("imap://u:pw@host/INBOX?starttls=maybe", "1 or 0"),
        ("imaps://u:pw@host?timeout=0", "timeout"),
        ("imaps://u:pw@host?timeout=2.5", "whole number"),
        ("imaps://u:pw@host/INBOX#x", "'#' part"),
        ("imaps://u:pw@host/Zle%0Alinie", "control characters"),
        ("imaps://u:pw@host?a=1=2&&", "options are not valid"),
    ],
)
def test_a_bad_url_says_what_is_wrong(url, words):
    with pytest.raises(ValueError, match=words):
        parse_imap_url(url, environ={})


@pytest.mark.parametrize(
    "url",
    ["imaps://u:Sekret/Haslo@host/INBOX", "imaps://u:Sekret#Haslo@host",
     "imaps://u:Sekret?Haslo@host", "imaps://u:SekretHaslo@host:12ab",
     "ftp://u:SekretHaslo@host", "imaps://u:12/SekretHaslo@host/INBOX",
     "imaps://u:SekretHaslo@host/INBOX?timeout=x", "imaps://u:SekretHaslo@host/INBOX#f"],
)
def test_errors_never_quote_the_password(url):
    with pytest.raises(ValueError) as caught:
        parse_imap_url(url, environ={})
    for fragment in ("Sekret", "Haslo"):
        assert fragment not in str(caught.value)


def test_the_password_is_in_no_repr_str_or_description():
    config = parse_imap_url("imaps://jan:Sekret-Haslo-99@mail.example.pl/Odpowiedzi%3F",
                            environ={})
    assert config.password == "Sekret-Haslo-99"
    for text in (repr(config), str(config), config.describe()):
        assert "Sekret" not in text
    assert config.describe() == "imaps://jan@mail.example.pl:993/Odpowiedzi%3F"
    assert parse_imap_url(config.describe(), environ={}).folder == "Odpowiedzi?"
    starttls = parse_imap_url("imap://jan%40firma.pl:x@h/Odpowiedzi klientów?starttls=1",
                              environ={})
    assert starttls.describe() == "imap://jan%40firma.pl@h:143/Odpowiedzi klientów?starttls=1"


def test_the_password_comes_from_the_url_then_the_environment_then_the_file(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, "z-srodowiska")
    assert parse_imap_url("imaps://u@h").password == "z-srodowiska"
    assert parse_imap_url("imaps://u:z-adresu@h").password == "z-adresu"
    assert parse_imap_url("imaps://u@h", environ={}).password == ""  # said at login

    secret = tmp_path / "imap-password"
    secret.write_text("hasło-z-pliku\n", encoding="utf-8")
    secret.chmod(0o600)
    assert parse_imap_url(f"imaps://u@h?password_file={secret}").password == "z-srodowiska"
    monkeypatch.delenv(PASSWORD_ENV)
    assert parse_imap_url(f"imaps://u@h?password_file={secret}").password == "hasło-z-pliku"
    secret.chmod(0o644)
    with pytest.raises(ValueError, match=r"readable only by its owner \(chmod 600\)") as caught:
        parse_imap_url(f"imaps://u@h?password_file={secret}")
    assert "hasło" not in str(caught.value)
    with pytest.raises(ValueError, match="cannot be read"):
        parse_imap_url(f"imaps://u@h?password_file={tmp_path / 'missing'}")


def test_smtp_and_imap_say_the_same_things_in_their_own_names():
    """The option, password-file and timeout rules are shared (ledger/server_url.py)."""
    for parse, url, label in ((parse_smtp_url, "smtp://u@h", "SMTP"),
                              (parse_imap_url, "imaps://u@h/INBOX", "IMAP")):
        with pytest.raises(ValueError, match=f"unknown {label} URL option 'x'"):
            parse(f"{url}?x=1", environ={})
        with pytest.raises(ValueError, match=f"{label} URL option timeout must be between"):
            parse(f"{url}?timeout=601", environ={})


@pytest.mark.parametrize(
    "url, shown",
    [
        ("imaps://jan:Sekret@host/INBOX", "imaps://jan:***@host/INBOX"),
        ("imaps://jan@host/INBOX", "imaps://jan@host/INBOX"),
        ("imaps://jan:Sek@ret@host:993/INBOX", "imaps://jan:***@host:993/INBOX"),
        ("imaps://jan:Sekret@host/Zwroty@klienci", "imaps://jan:***@host/Zwroty@klienci"),
        ("imaps://jan@host/Zwroty@klienci", "imaps://jan@host/Zwroty@klienci"),
        ("imaps://jan:Sek/ret@host/INBOX", "imaps://jan:***@host/INBOX"),
        ("imaps://jan:Sek?ret@host/INBOX", "imaps://jan:***@host/INBOX"),
        ("imaps://jan:Sek#ret@host", "imaps://jan:***@host"),
        ("imap://jan:Sekret@h/X?starttls=1&timeout=9", "imap://jan:***@h/X?starttls=1&timeout=9"),
        ("", ""),
        ("not a url", "not a url"),
    ],
)
def test_mask_imap_url_never_shows_a_password(url, shown):
    assert mask_imap_url(url) == shown
    assert "Sek" not in mask_imap_url(url)
