"""Building the e-mail: headers with the ``email`` package, a text and an HTML part.

Every header value passes through ``header_safe`` first: CR, LF and the other
characters Python treats as line breaks become spaces, so a contractor named
``"ACME\\r\\nBcc: x@y"`` stays one header. Non-ASCII text (Polish names, subjects) is
RFC 2047-encoded here (see *header encoding*), addresses with an IDN domain are
converted to punycode, and the bodies are quoted-printable, so the text
``message_to_text`` returns is plain ASCII with CRLF line ends and lines of at most 78
characters: exactly what is stored as the legal record and what the transport sends.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string
import sys
import uuid
from collections.abc import Sequence
from email import quoprimime
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from functools import lru_cache

# CRLF as one break, then any single character that can end a line (str.splitlines'
# set) or is another C0 control; the tab is kept, headers may contain it.
_BREAKS = re.compile(r"\r\n|[\x00-\x08\n-\x1f\x7f\x85\u2028\u2029]")


class InvalidAddress(ValueError):
    """An e-mail address that cannot be put in a header or given to a server."""


def header_safe(value: str) -> str:
    """The value with every line break and control character replaced by a space."""
    return _BREAKS.sub(" ", str(value)).strip()


_ATOMS = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_SIMPLE_ADDRESS = re.compile(rf"{_ATOMS}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")


@lru_cache(maxsize=4096)  # pure, and asked once per recipient per message sent
def normalise_address(address: str) -> str:
    """``local@domain`` checked for what a header and SMTP need; IDN domains are
    converted to their ASCII form (``łódź.pl`` → ``xn--dd-hna5b.pl``)."""
    text = header_safe(address)
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or " " in text or "<" in text or ">" in text:
        raise InvalidAddress(f"'{text}' is not an e-mail address")
    if not local.isascii():
        raise InvalidAddress(
            f"'{text}' has non-ASCII characters before the @, which needs SMTPUTF8"
        )
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise InvalidAddress(f"'{text}' has an invalid domain") from None
    if _SIMPLE_ADDRESS.fullmatch(f"{local}@{domain}"):
        # dot-atoms on both sides, as nearly every address is: the parser below would
        # return them unchanged, at a tenth of a millisecond each
        return f"{local}@{domain}"
    try:
        parsed = Address(addr_spec=f"{local}@{domain}")
    except (ValueError, IndexError, MessageError, AttributeError) as exc:
        # AttributeError: Python 3.11's parser trips over itself on some malformed
        # domains ('x@[' ends in an AttributeError of its defect list)
        raise InvalidAddress(f"'{text}' is not an e-mail address: {exc}") from None
    if not parsed.username or not parsed.domain:
        raise InvalidAddress(f"'{text}' is not an e-mail address")
    return parsed.addr_spec


def new_message_id(domain: str) -> str:
    """``<hex-uuid@domain>``; the domain is the sender's, ``windykacja.invalid`` if none."""
    host = header_safe(domain).strip("<>@ ").lower()
    if not host or not host.isascii() or any(c in host for c in " <>@\"()[],;:\\"):
        host = "windykacja.invalid"
    return f"<{uuid.uuid4().hex}@{host}>"


# --- header encoding ------------------------------------------------------------------
# Python 3.11's own folding of long non-ASCII headers loses or moves spaces between
# encoded words (about 5% of random Polish subjects came back altered, display names
# more often), so the three headers built from user text are encoded here: RFC 2047
# "Q" encoded words of at most 75 characters, one per line, every line within 78
# characters, stored with ``set_raw`` so that the policy does not fold them again.

_LINE = 78
#: SMTP, except that header values set with ``set_raw`` (already encoded and folded
#: here) are never folded again by Python.
POLICY = SMTP.clone(refold_source="none")
_WORD = 75
_OPEN, _CLOSE = "=?utf-8?q?", "?="
_Q_SAFE = frozenset(string.ascii_letters + string.digits + "!*+-/")


def _q(char: str) -> str:
    if char == " ":
        return "_"
    if char in _Q_SAFE:
        return char
    return "".join(f"={byte:02X}" for byte in char.encode("utf-8", "replace"))


class _QTable(dict[str, str]):
    """Each character's ``_q``, worked out once: subjects and names are encoded a
    character at a time, thousands of times a pass."""

    def __missing__(self, char: str) -> str:
        encoded = _q(char)
        if len(self) < 4096:  # Polish and the usual punctuation; not every glyph there is
            self[char] = encoded
        return encoded


_Q = _QTable()


def _encoded_lines(name: str, text: str) -> list[str]:
    """``text`` as encoded words, one per line; the first shares its line with the
    header's name."""
    lines: list[str] = []
    room = min(_WORD, _LINE - len(name) - 2) - len(_OPEN) - len(_CLOSE)
    payload = ""
    for piece in map(_Q.__getitem__, text):
        if payload and len(payload) + len(piece) > room:
            lines.append(_OPEN + payload + _CLOSE)
            room = min(_WORD, _LINE - 1) - len(_OPEN) - len(_CLOSE)
            payload = ""
        payload += piece
    lines.append(_OPEN + payload + _CLOSE)
    return lines


def _fits_plain(name: str, value: str) -> bool:
    return value.isascii() and "=?" not in value and len(name) + 2 + len(value) <= _LINE


def _quoted(display_name: str) -> str:
    return '"' + display_name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def encode_unstructured(name: str, value: str) -> str:
    """A header value (``Subject``) ready for ``set_raw``."""
    value = header_safe(value)
    if _fits_plain(name, value):
        return value
    return "\r\n ".join(_encoded_lines(name, value))


_PLAIN_ATOM = 40  # longer words are encoded (and split), so no line outgrows 78
_ATEXT = frozenset(string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~")


def _phrase_words(name: str, tokens: list[str]) -> list[str]:
    """Encoded words for a run of tokens that cannot stay plain. Where the run has to
    be split, the space goes at the end of the earlier word: RFC 2047 decoders drop
    the whitespace between two encoded words (Python's parser shows it, so a name too
    long for one word reads with a double space there)."""
    room = min(_WORD, _LINE - len(name) - 2) - len(_OPEN) - len(_CLOSE)
    words: list[str] = []
    payload = ""
    for index, token in enumerate(tokens):
        encoded = "".join(map(_Q.__getitem__, token)) + ("_" if index < len(tokens) - 1 else "")
        if payload and len(payload) + len(encoded) > room:
            words.append(payload)
            payload = ""
        for piece in map(_Q.__getitem__, token) if len(encoded) > room else [encoded]:
            if payload and len(payload) + len(piece) > room:
                words.append(payload)
                payload = ""
            payload += piece
        if len(encoded) > room and index < len(tokens) - 1:
            if len(payload) + 1 > room:
                words.append(payload)
                payload = ""
            payload += "_"
    words.append(payload)
    return [_OPEN + w + _CLOSE for w in words]


@lru_cache(maxsize=256)  # pure; the sender is the same on every message of a pass
def encode_mailbox(name: str, display_name: str, address: str) -> str:
    """``Name <address>`` ready for ``set_raw``.

    The display name's whitespace is collapsed to single spaces (address parsers do
    it anyway). An ASCII name that fits is quoted as a whole; otherwise atoms stay
    plain and every run of other words becomes encoded words, so that both RFC 2047
    decoders and Python's parser read back the same name.
    """
    display_name = " ".join(header_safe(display_name).split())
    angle = f"<{address}>"
    if not display_name:
        return address
    plain = f"{_quoted(display_name)} {angle}"
    if _fits_plain(name, plain):
        return plain
    pieces: list[str] = []
    run: list[str] = []
    for token in display_name.split(" "):
        if len(token) <= _PLAIN_ATOM and all(c in _ATEXT for c in token) and "=?" not in token:
            if run:
                pieces.extend(_phrase_words(name, run))
                run = []
            pieces.append(token)
        else:
            run.append(token)
    if run:
        pieces.extend(_phrase_words(name, run))
    pieces.append(angle)
    lines = [pieces[0]]
    width = len(name) + 2 + len(pieces[0])
    for piece in pieces[1:]:
        if width + 1 + len(piece) > _LINE:
            lines.append(piece)
            width = 1 + len(piece)
        else:
            lines[-1] += " " + piece
            width += 1 + len(piece)
    return "\r\n ".join(lines)


def encode_address_list(name: str, addresses: list[str]) -> str:
    """Addresses separated by commas, folded so that no line passes 78 characters."""
    lines = [addresses[0]]
    width = len(name) + 2 + len(addresses[0])
    for address in addresses[1:]:
        if width + 2 + len(address) <= _LINE:
            lines[-1] += f", {address}"
            width += 2 + len(address)
        else:
            lines[-1] += ","
            lines.append(address)
            width = 1 + len(address)
    return "\r\n ".join(lines)


def compose(
    *,
    sender_name: str,
    sender_email: str,
    recipients: list[str],
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: dt.datetime,
    attachments: Sequence[tuple[str, str, bytes]] = (),
) -> EmailMessage:
    """A multipart/alternative message (text, then HTML) ready to store and send.

    ``attachments`` — ``(filename, mime type, bytes)`` — make it multipart/mixed with
    the alternative part first, so that a mail reader shows the text and lists the files
    (the agency handover carries its case as CSV and JSON this way). The type may carry
    parameters (``text/csv; charset=utf-8``: without a charset a reader decodes text as
    ASCII). They are base64, which keeps the stored message ASCII with short lines.

    Raises ``InvalidAddress`` for a sender or recipient that is not a usable address.
    A naive ``date`` is taken as UTC.
    """
    if not recipients:
        raise InvalidAddress("a message needs at least one recipient")
    sender = normalise_address(sender_email)
    to = [normalise_address(r) for r in recipients]
    if date.tzinfo is None:
        date = date.replace(tzinfo=dt.UTC)
    msg = EmailMessage(policy=POLICY)
    msg.set_raw("From", encode_mailbox("From", sender_name, sender))
    msg.set_raw("To", encode_address_list("To", to))
    msg.set_raw("Subject", encode_unstructured("Subject", subject))
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = header_safe(message_id)
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    for filename, mime_type, data in attachments:
        kind, *options = (piece.strip() for piece in header_safe(mime_type).split(";"))
        maintype, _, subtype = kind.partition("/")
        params = dict(option.partition("=")[::2] for option in options if "=" in option)
        msg.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream",
                           filename=header_safe(filename), params=params)
    return msg


def message_to_text(msg: EmailMessage) -> str:
    """The message as RFC 5322 text with CRLF line ends (policy SMTP, see ``POLICY``)."""
    return msg.as_string(policy=POLICY)


# --- the day's messages, assembled directly -------------------------------------------
# ``compose`` + ``message_to_text`` cost about a millisecond a message (the header
# registry builds a class per lookup, the generator flattens part by part), half of
# planning a pass. A reminder or demand without attachments is always the same shape,
# so ``message_text`` writes that shape itself: the same header values (the encoders
# above), the same quoted-printable bodies (the standard library's ``quoprimime``, as
# ``set_content`` uses) and the same layout and boundary form the generator writes.
# tests/dunning/test_email_text.py holds it to ``message_to_text(compose(...))`` byte for
# byte over generated messages, and to the standard library's parser. Anything else — an
# attachment, a Message-ID the header registry would rewrite — goes the package's way.

_NEWLINES = re.compile(r"\r\n|\r|\n")
_SIMPLE_ID = re.compile(rf"<{_ATOMS}@{_ATOMS}>")
_BOUNDARY_DIGITS = len(repr(sys.maxsize - 1))  # as email.generator makes its boundaries
_PART = ('Content-Type: text/{subtype}; charset="utf-8"\r\n'
         "Content-Transfer-Encoding: quoted-printable\r\n")


def _qp_body(text: str) -> str:
    """``text`` as ``set_content(cte="quoted-printable")`` encodes it, with CRLF ends:
    ``quoprimime.body_encode`` of the lines joined by newlines, which encodes each line
    on its own (a line break is the one character it does not quote), so it is done a
    line at a time and the template's lines, the same in every message, are encoded once."""
    return "".join(map(_qp_line, text.encode("utf-8").splitlines() or [b""]))


# ``quoprimime.body_encode``'s own table: printable ASCII but "=", the space and the tab
# stand for themselves, every other byte is "=XX" (RFC 2045 §6.7).
_QP_BODY = [f"={c:02X}" for c in range(256)]
for _c in (b' !"#$%&\'()*+,-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`'
           b"abcdefghijklmnopqrstuvwxyz{|}~\t"):
    _QP_BODY[_c] = chr(_c)
del _c


@lru_cache(maxsize=512)  # the templates' own lines; more only held unique ones
def _qp_line(line: bytes) -> str:
    """One line (no CR or LF in it) as ``body_encode(line + "\n", 78)`` writes it, with
    CRLF: a line that stays within 78 characters once quoted and does not end in a space
    or tab is its quoted self (``body_encode`` only adds soft breaks and quotes trailing
    white space); others go through ``body_encode``."""
    quoted = line.decode("latin-1").translate(_QP_BODY)
    if len(quoted) <= _LINE and not quoted.endswith((" ", "\t")):
        return quoted + "\r\n"
    return _NEWLINES.sub("\r\n", quoprimime.body_encode(line.decode("latin-1") + "\n", _LINE))


def _boundary() -> str:
    return "=" * 15 + str(random.randrange(sys.maxsize)).zfill(_BOUNDARY_DIGITS) + "=="


def message_text(
    *,
    sender_name: str,
    sender_email: str,
    recipients: list[str],
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: dt.datetime,
    attachments: Sequence[tuple[str, str, bytes]] = (),
) -> str:
    """``message_to_text(compose(...))`` with the same arguments, written directly when
    the message has no attachments (see above); raises what ``compose`` raises."""
    message_id_value = header_safe(message_id)
    if attachments or not (_fits_plain("Message-ID", message_id_value)
                           and _SIMPLE_ID.fullmatch(message_id_value)):
        return message_to_text(compose(
            sender_name=sender_name, sender_email=sender_email, recipients=recipients,
            subject=subject, text=text, html=html, message_id=message_id, date=date,
            attachments=attachments))
    if not recipients:
        raise InvalidAddress("a message needs at least one recipient")
    sender = normalise_address(sender_email)
    to = [normalise_address(r) for r in recipients]
    if date.tzinfo is None:
        date = date.replace(tzinfo=dt.UTC)
    plain, rich = _qp_body(text), _qp_body(html)
    boundary = _boundary()
    return "".join((
        "From: ", encode_mailbox("From", sender_name, sender), "\r\n",
        "To: ", encode_address_list("To", to), "\r\n",
        "Subject: ", encode_unstructured("Subject", subject), "\r\n",
        "Date: ", format_datetime(date), "\r\n",
        "Message-ID: ", message_id_value, "\r\n",
        "MIME-Version: 1.0\r\n",
        'Content-Type: multipart/alternative;\r\n boundary="', boundary, '"\r\n\r\n',
        "--", boundary, "\r\n", _PART.format(subtype="plain"), "\r\n", plain,
        "\r\n--", boundary, "\r\n", _PART.format(subtype="html"), "MIME-Version: 1.0\r\n",
        "\r\n", rich,
        "\r\n--", boundary, "--\r\n",
    ))
