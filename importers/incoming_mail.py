"""Reading one incoming e-mail into plain data, and saying what kind of answer it is.

``read_mail(raw)`` turns the bytes of one message (as IMAP or a Maildir gives them) into an
``IncomingMail``: who wrote, to whom, the threading IDs, the text a person reads, the
attachments, and its kind — a **bounce** (a permanent delivery failure), a **delay**
(only temporary failures), an **auto-reply**, or a **reply** written by a person — with
every failed recipient's address, status and the server's words for bounces and delays.
``attachment_bytes(raw, index)`` gives back one attachment's content.

Pure: no database, no clock, no network. Nothing in a message is executed or followed:
no URL is fetched, HTML is only stripped of its tags. **It never raises**, whatever the
bytes: what was malformed is listed in ``IncomingMail.problems`` (short English notes for
the log and the screen) and the message is read as far as it can be.

The facts this is built on are in docs/inbox.md; the samples it is tested on, in
tests/inbox/data/. Decisions, written down:

* **The order** (docs/inbox.md, "The order a classifier should follow"): a report first
  (bounces carry ``Auto-Submitted`` and ``In-Reply-To`` too), then the auto-reply
  markers, else a person. A message that looks like a delivery report (a
  ``message/delivery-status`` part, ``X-Failed-Recipients``,
  ``X-MS-Exchange-Message-Is-Ndr``, a ``MAILER-DAEMON``/``postmaster`` sender) in which no
  failed address can be read, and that is not a report of successful delivery, is a
  **reply** with a problem noted: a person looks at it rather than it being filed away as
  an auto-reply unread.
* **RFC 3464 reports are read here** (``message/delivery-status`` and
  ``message/global-delivery-status``, also when base64-encoded): address
  (``Original-Recipient`` before ``Final-Recipient``, as flufl.bounce does: it is the
  address we sent to), ``Action``, ``Status``, ``Diagnostic-Code``. **flufl.bounce**
  (``all_failures``) adds what it finds in the non-standard formats (old Exim, Qmail, …),
  and ``X-Failed-Recipients`` is read here too, because flufl's heuristic detectors drop
  addresses whose domain has a hyphen. flufl is only asked when the message looks like a
  report (the signs above, or a null ``Return-Path``) and is given a copy without the
  non-text parts and with each text cut at 64 KiB: it reads every line of every part once
  per pattern, about 1 s per MB.
* **Permanent or not is decided by** ``Action`` (``failed``/``error`` permanent,
  ``delayed`` temporary; ``delivered``, ``relayed``, ``expanded`` are no failures), by the
  status class only when there is no ``Action``. **``Action: failed`` with a 4.x.x
  status** (the server retried until its queue lifetime ran out, docs/inbox.md) is a
  *permanent* failure — the message was not delivered and will not be retried, so the
  step was not delivered — and the message a **bounce**; the status keeps its 4, and
  ``DeliveryFailure.address_failed`` is False for it: the address itself may be fine.
* **Status**: the report's own, except that a generic ``X.0.0`` (Exim writes ``5.0.0``
  for every failure, Google often too) or a missing one is replaced by the more precise
  code of the same class in the server's answer (``550 5.1.1 …`` → ``5.1.1``). The
  diagnostic is that answer without its type (``smtp;``), on one line, a multi-line SMTP
  answer's repeated ``550-5.1.1`` prefixes removed, at most 300 characters. For a
  failure found only by flufl or ``X-Failed-Recipients`` (no report block), the status
  and diagnostic come from the first ``4xx/5xx x.y.z`` answer in the paragraph of the
  bounce text that names the address, or stay empty.
* **Auto-replies**: ``Auto-Submitted`` other than ``no``, ``X-Autoreply``,
  ``X-Autorespond``, ``X-Apple-Action: VACATION``, ``Precedence``/``X-Precedence:
  auto_reply``, a read receipt (``multipart/report; report-type=disposition-notification``)
  or a report of successful delivery decide alone. A null return path,
  ``X-Auto-Response-Suppress``, ``X-MS-Exchange-Inbox-Rules-Loop`` or ``Precedence:
  bulk/junk/list`` decide only **together with** an auto-reply subject (Polish or English,
  ``_AUTO_SUBJECT``): that is how an Exchange out-of-office is recognised, and a person
  writing "Urlop" is not taken for a program.
* **Parsing with ``policy.compat32``**, headers decoded here: ``policy.default`` parses
  every header into objects when it is read, which is ten times slower (0.4 ms against
  0.04 ms for a typical reply, measured here) and **raises on some malformed headers**
  (``To: <"`` gives an IndexError on ``msg["To"]`` in Python 3.11; a fuzz found
  AttributeError, TypeError and UnboundLocalError too). compat32 keeps the raw values;
  RFC 2047 words, RFC 2231 parameters and raw 8-bit headers (UTF-8 per RFC 6532, else a
  Windows-1250/ISO-8859-2 guess, noted) are decoded here, each step guarded.
* **Bounded**: at most ``MAX_PARTS`` parts walked and ``MAX_DEPTH`` levels of nesting (a
  structure nested so deep that the standard parser runs out of recursion is read as
  header plus raw text), header values cut at ``MAX_HEADER_CHARS``, at most ``MAX_IDS``
  threading IDs (the last ones of a long ``References``), text cut at ``MAX_TEXT``, HTML
  read at most ``MAX_HTML_BYTES``, at most ``MAX_FAILURES`` failures and ``MAX_PROBLEMS``
  problems. An attachment's size is counted from its base64 text without decoding it; a
  ``message/rfc822`` attachment's size is an estimate (the sum of its header and body
  texts).
* **Text**: the ``text/plain`` body; within ``multipart/alternative`` the plain
  alternative; several inline text parts of a ``multipart/mixed`` one after another; the
  human part of a report only (the returned original is an attachment, never the text).
  Only HTML: its text (``html.parser``; ``script``, ``style`` and ``head`` dropped, links
  keep their text, never their address). Charset: the declared one (ISO-8859-2 or -1
  text with bytes 0x80–0x9F is Windows-1250/-1252, as Outlook means it), else UTF-8,
  else whichever of Windows-1250 and ISO-8859-2 gives more Polish letters — noted.
"""

from __future__ import annotations

import binascii
import codecs
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy as email_policy
from email.generator import BytesGenerator
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from enum import StrEnum
from html.parser import HTMLParser
from io import BytesIO

from flufl.bounce import all_failures

from ..dunning.email_build import InvalidAddress, normalise_address

# flufl.bounce logs a detector's exception before re-raising it; we catch it, and without a
# handler of the program's own Python would print it on stderr (under the interface).
logging.getLogger("flufl.bounce").addHandler(logging.NullHandler())

MAX_TEXT = 100_000
MAX_PARTS = 200
MAX_DEPTH = 20
MAX_HEADER_FIELDS = 1_000
MAX_HEADER_CHARS = 16_000
MAX_IDS = 100
MAX_ADDRESSES = 50
MAX_SUBJECT = 500
MAX_NAME = 200
MAX_DIAGNOSTIC = 300
MAX_FAILURES = 100
MAX_PROBLEMS = 20
MAX_PROBLEM_CHARS = 200
MAX_HTML_BYTES = 500_000
MAX_DSN_CHARS = 1_000_000
#: How much of each text part flufl.bounce is given (a bounce's texts are short).
FLUFL_TEXT_CHARS = 64 * 1024
CUT_MARKER = "\n[…]"


class MailKind(StrEnum):
    BOUNCE = "bounce"  # a permanent delivery failure report
    DELAY = "delay"  # only temporary failures
    AUTO_REPLY = "auto_reply"  # written by a program: out-of-office, vacation, receipt
    REPLY = "reply"  # everything else: a person wrote


@dataclass(frozen=True)
class Attachment:
    name: str  # decoded, path parts and control characters removed, ≤ 200 characters
    content_type: str  # lower case, "application/pdf"
    size: int  # decoded size in bytes (an estimate for a message/rfc822 part)
    index: int  # which leaf part, in walk order: for attachment_bytes()


@dataclass(frozen=True)
class DeliveryFailure:
    address: str  # the failed recipient, normalised, domain in lower case
    status: str  # RFC 3463 "5.1.1", "" when the report does not say
    diagnostic: str  # the server's words, "550 5.1.1 user unknown", one line, "" if none
    permanent: bool  # not delivered and not retried (Action: failed)

    @property
    def address_failed(self) -> bool:
        """A permanent failure that blames the address: not a 4.x.x status (a server
        that gave up retrying reports ``Action: failed`` with ``4.4.7`` and the like —
        the message was not delivered, but the address may be fine)."""
        return self.permanent and not self.status.startswith("4")


@dataclass(frozen=True)
class IncomingMail:
    kind: MailKind
    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    from_address: str
    from_name: str
    to_addresses: tuple[str, ...]  # To, Delivered-To, X-Original-To, Envelope-To
    return_path: str  # "" for the null path <> (and when there is none)
    subject: str
    sent_at: datetime | None
    text: str
    attachments: tuple[Attachment, ...]
    failures: tuple[DeliveryFailure, ...]
    original_message_ids: tuple[str, ...]
    auto_reason: str
    problems: tuple[str, ...]
    size: int


# --- problems -------------------------------------------------------------------------


class _Problems:
    """Short notes of what was malformed: unique, each bounded, at most MAX_PROBLEMS."""

    def __init__(self) -> None:
        self._items: list[str] = []
        self._full = False

    def add(self, text: str) -> None:
        text = _one_line(text, MAX_PROBLEM_CHARS)
        if text in self._items or self._full:
            return
        if len(self._items) == MAX_PROBLEMS - 1:
            self._items.append("more problems not listed")
            self._full = True
            return
        self._items.append(text)

    def result(self) -> tuple[str, ...]:
        return tuple(self._items)


_DEFECT_WORDS = {
    "NoBoundaryInMultipartDefect": "a multipart part has no boundary",
    "StartBoundaryNotFoundDefect": "the multipart boundary was not found",
    "CloseBoundaryNotFoundDefect": "the closing multipart boundary is missing",
    "FirstHeaderLineIsContinuationDefect": "the header starts with a continuation line",
    "MissingHeaderBodySeparatorDefect": "a header line is malformed",
    "MisplacedEnvelopeHeaderDefect": "a misplaced 'From ' line in the header",
    "MultipartInvariantViolationDefect": "a multipart part has no parts",
    "InvalidMultipartContentTransferEncodingDefect": "a multipart part has a transfer encoding",
    "InvalidBase64PaddingDefect": "damaged base64 (padding)",
    "InvalidBase64CharactersDefect": "damaged base64 (characters)",
    "InvalidBase64LengthDefect": "damaged base64 (length)",
    "UndecodableBytesDefect": "undecodable bytes",
}


def _note_defects(part: Message, ctype: str, problems: _Problems) -> None:
    for defect in getattr(part, "defects", ())[:5]:
        name = type(defect).__name__
        problems.add(f"{_DEFECT_WORDS.get(name, name)} ({ctype})")


# --- small text helpers ---------------------------------------------------------------

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_SURROGATE = re.compile("[\udc80-\udcff]")
_POLISH = frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
#: ISO-8859 text with bytes 0x80-0x9F (control codes there) is Windows text mislabelled.
_CHARSET_FIXES = {"iso8859-2": "cp1250", "iso8859-1": "cp1252"}


def _one_line(text: str, limit: int) -> str:
    text = " ".join(_CONTROLS.sub(" ", text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _charset(name: str | None) -> str:
    """A Python codec name for a declared charset, "" when unknown or none."""
    if not name:
        return ""
    name = str(name).strip().strip("\"'").split("*", 1)[0].lower()
    if name in ("unknown-8bit", "x-unknown", "unknown", "8bit"):
        return ""
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return ""


def _guess(data: bytes) -> tuple[str, str]:
    """(text, codec) for bytes in no known charset: UTF-8 if it mostly is, else whichever
    of Windows-1250 and ISO-8859-2 (the two Polish 8-bit charsets) gives more Polish
    letters."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f") - bad
    if good >= 2 * bad:
        return text, "utf-8, damaged bytes replaced"
    latin2 = data.decode("iso-8859-2")
    try:
        cp1250 = data.decode("cp1250")
    except UnicodeDecodeError:
        return latin2, "iso-8859-2"
    if _C1_BYTES.search(data) or _polish(cp1250) >= _polish(latin2):
        return cp1250, "cp1250"
    return latin2, "iso-8859-2"


def _polish(text: str) -> int:
    return sum(1 for char in text if char in _POLISH)


def _decode_bytes(data: bytes, declared: str | None, what: str, problems: _Problems) -> str:
    """Bytes in their declared charset; a wrong or unknown one is guessed and noted."""
    codec = _charset(declared)
    if codec in _CHARSET_FIXES and _C1_BYTES.search(data):
        codec = _CHARSET_FIXES[codec]
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    if not declared and data.isascii():
        return data.decode("ascii")
    text, guessed = _guess(data)
    if guessed == "utf-8" and (not declared or codec == "ascii"):
        return text  # UTF-8 undeclared or called ASCII: the commonest slip, not worth a note
    said = f"'{_one_line(str(declared), 40)}'" if declared else "no charset"
    problems.add(f"{what}: {said} does not fit the bytes; read as {guessed}")
    return text


def _fix_8bit(value: str, what: str, problems: _Problems) -> str:
    """A header value with raw 8-bit bytes (kept by the parser as surrogates) decoded:
    UTF-8 is legal (RFC 6532), anything else is guessed and noted."""
    if value.isascii() or not _SURROGATE.search(value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text, guessed = _guess(data)
        problems.add(f"the {what} header has 8-bit characters; read as {guessed}")
        return text


def _decode_words(value: str, what: str, problems: _Problems) -> str:
    """RFC 2047 encoded words decoded (each with its own charset, guarded)."""
    if "=?" not in value:
        return value
    try:
        chunks = decode_header(value)
    except Exception:
        problems.add(f"the {what} header has malformed encoded words")
        return value
    out: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            out.append(chunk)
        elif charset is None:
            out.append(chunk.decode("raw-unicode-escape", "replace"))
        else:
            out.append(_decode_bytes(chunk, charset, f"the {what} header", problems))
    return "".join(out)


def _unfold(value: str) -> str:
    return _LINE_BREAKS.sub("", value)


# --- headers --------------------------------------------------------------------------


class _Headers:
    """The header fields of one part as raw strings (unfolded, 8-bit decoded), bounded."""

    def __init__(self, part: Message, problems: _Problems) -> None:
        self._problems = problems
        self._values: dict[str, list[str]] = {}
        try:
            items = part.raw_items()
            for count, (name, value) in enumerate(items):
                if count >= MAX_HEADER_FIELDS:
                    problems.add("too many header fields; the rest were not read")
                    break
                self._add(str(name), str(value))
        except Exception:
            problems.add("the header could not be read in full")

    def _add(self, name: str, value: str) -> None:
        if len(value) > MAX_HEADER_CHARS:
            self._problems.add(f"the {_one_line(name, 40)} header is too long; cut")
            value = value[:MAX_HEADER_CHARS]
        self._values.setdefault(name.strip().lower(), []).append(value)

    def has(self, name: str) -> bool:
        return name in self._values

    def all(self, name: str) -> list[str]:
        return [
            _fix_8bit(_unfold(value), name, self._problems)
            for value in self._values.get(name, [])[:MAX_ADDRESSES]
        ]

    def first(self, name: str) -> str:
        values = self._values.get(name)
        return _fix_8bit(_unfold(values[0]), name, self._problems) if values else ""

    def text(self, name: str, limit: int) -> str:
        """A header for people: encoded words decoded, on one line, bounded."""
        return _one_line(_decode_words(self.first(name), name, self._problems), limit)


_MSG_ID = re.compile(r"<([^<>\s]{1,990})>")


def _message_id(value: str) -> str:
    found = _MSG_ID.search(value)
    if found:
        return found.group(0)
    token = value.strip()
    if "@" in token and len(token) <= 990 and not any(c in token for c in " <>\t"):
        return f"<{token}>"
    return ""


def _message_ids(values: Iterable[str], keep_last: bool = False) -> tuple[str, ...]:
    ids: list[str] = []
    for value in values:
        for found in _MSG_ID.finditer(value):
            if found.group(0) not in ids:
                ids.append(found.group(0))
    return tuple(ids[-MAX_IDS:] if keep_last else ids[:MAX_IDS])


def _address(text: str) -> str:
    """``local@domain`` checked by ``normalise_address``, the domain in lower case; ""
    for anything that is not a usable address (encoded words, garbage)."""
    text = text.strip().strip("<>").strip()
    if not text or "=?" in text or len(text) > 320:
        return ""
    try:
        address = normalise_address(text)
    except (InvalidAddress, Exception):
        return ""
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def _addresses(values: Iterable[str]) -> list[tuple[str, str]]:
    """(display name, address) of address-list header values; unparseable ones skipped."""
    try:
        pairs = getaddresses(list(values))
    except Exception:
        return []
    return [(name, _address(addr)) for name, addr in pairs[: MAX_ADDRESSES * 4]]


def _date(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, the local zone unknown (RFC 5322 §3.3)
        when = when.replace(tzinfo=UTC)
    return when


# --- parsing and walking --------------------------------------------------------------

_PARSER = BytesParser(policy=email_policy.compat32)


def _parse(raw: bytes, problems: _Problems) -> Message:
    try:
        return _PARSER.parsebytes(raw)
    except RecursionError:
        problems.add("the MIME structure is nested too deeply; read as plain text")
    except Exception as exc:
        problems.add(f"the MIME structure could not be read ({type(exc).__name__})")
    msg = _PARSER.parsebytes(raw, headersonly=True)
    for name in ("Content-Type", "Content-Transfer-Encoding"):
        del msg[name]
    msg["Content-Type"] = "text/plain"
    return msg


def _ctype(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "application/octet-stream"


def _is_container(part: Message, ctype: str) -> bool:
    return ctype.startswith("multipart/") and part.is_multipart()


def _payload(part: Message) -> list[Message] | str:
    """The raw payload: the parts a multipart or message/* part holds, or the body text
    as parsed (8-bit bytes kept as surrogates). Read from the attribute because compat32's
    ``get_payload()`` decodes such text with the declared charset, and raises ValueError
    on a charset like "utf\0"; ``get_payload(decode=True)`` does not, and is used for the
    decoded bytes."""
    payload = getattr(part, "_payload", None)
    if isinstance(payload, list):
        return [child for child in payload if isinstance(child, Message)]
    return payload if isinstance(payload, str) else ""


def _children(part: Message) -> list[Message]:
    payload = _payload(part)
    return payload if isinstance(payload, list) else []


@dataclass
class _Tree:
    """The leaf parts in walk order (containers are multipart parts; message/* parts are
    leaves, never descended), at most MAX_PARTS parts and MAX_DEPTH levels."""

    leaves: list[Message]
    containers: set[int]
    parts: list[Message]  # every part visited, containers too

    def note_defects(self, problems: _Problems) -> None:
        """What the parser (and decoding the text) found malformed."""
        for part in self.parts:
            _note_defects(part, _ctype(part), problems)

    @classmethod
    def walk(cls, msg: Message, problems: _Problems | None = None) -> _Tree:
        problems = problems if problems is not None else _Problems()
        leaves: list[Message] = []
        containers: set[int] = set()
        parts: list[Message] = []
        stack: list[tuple[Message, int]] = [(msg, 0)]
        seen = 0
        while stack:
            part, depth = stack.pop()
            seen += 1
            if seen > MAX_PARTS:
                problems.add(f"more than {MAX_PARTS} MIME parts; the rest were not read")
                break
            parts.append(part)
            ctype = _ctype(part)
            if not _is_container(part, ctype):
                leaves.append(part)
            elif depth >= MAX_DEPTH:
                problems.add(f"MIME parts nested more than {MAX_DEPTH} deep were not read")
            else:
                containers.add(id(part))
                stack.extend((child, depth + 1) for child in reversed(_children(part)))
        return cls(leaves, containers, parts)


def _disposition(part: Message) -> str:
    try:
        return part.get_content_disposition() or ""
    except Exception:
        return ""


def _filename(part: Message, problems: _Problems) -> str:
    """The file name (RFC 2231 or, as Outlook sends it, RFC 2047), read from the raw
    header values: compat32 would turn raw 8-bit bytes in them into U+FFFD."""
    try:
        probe = Message()
        for name, value in part.raw_items():
            if name.lower() in ("content-disposition", "content-type") and name not in probe:
                probe[name] = _fix_8bit(_unfold(str(value)), "file name", problems)
        found = probe.get_filename() or ""
    except Exception:
        found = ""
    return _decode_words(str(found), "file name", problems)


def _payload_bytes(part: Message) -> bytes:
    """A leaf's decoded content; a message/* part as the bytes of the message it holds."""
    payload = _payload(part)
    if isinstance(payload, list):
        if not payload:
            return b""
        out = BytesIO()
        BytesGenerator(out, mangle_from_=False, policy=email_policy.compat32).flatten(
            payload[0])
        return out.getvalue()
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


# --- the text -------------------------------------------------------------------------

_BODY_TYPES = ("text/plain", "text/html")
_FIRST_ONLY = ("multipart/report", "multipart/related", "multipart/signed",
               "multipart/encrypted")


def _body_parts(part: Message, tree: _Tree, depth: int = 0) -> list[Message]:
    """The leaves that make the text a person reads (see the module's docstring)."""
    ctype = _ctype(part)
    if id(part) in tree.containers and depth < MAX_DEPTH:
        picks = [_body_parts(child, tree, depth + 1) for child in _children(part)]
        if ctype == "multipart/alternative":
            for pick in picks:
                if any(_ctype(leaf) != "text/html" for leaf in pick):
                    return pick
            return next((pick for pick in reversed(picks) if pick), [])
        if ctype in _FIRST_ONLY:
            return picks[0] if picks else []
        return [leaf for pick in picks for leaf in pick]
    if not (ctype in _BODY_TYPES or ctype.startswith("multipart/")):
        return []
    return [] if _is_named(part) else [part]


def _is_named(part: Message) -> bool:
    """An attachment by its disposition or a file name."""
    try:
        return bool(_disposition(part) == "attachment" or part.get_param("name")
                    or part.get_filename())
    except Exception:
        return True


def _leaf_text(part: Message, what: str, problems: _Problems, limit: int) -> str:
    """A text part decoded, at most ``limit`` bytes of it (then "cut" is noted)."""
    data = _payload_bytes(part)
    cut = len(data) > limit
    if cut:
        problems.add(f"{what} is longer than {limit} bytes; only its beginning was read")
        data = data[:limit]
    try:
        declared = part.get_param("charset")
    except Exception:
        declared = None
    charset = declared if isinstance(declared, str) else None
    if cut and charset:
        codec = _charset(charset)
        if codec:
            decoder = codecs.getincrementaldecoder(codec)("replace")
            return decoder.decode(data, final=False)
    return _decode_bytes(data, charset, what, problems)


def _body_text(msg: Message, tree: _Tree, problems: _Problems) -> tuple[str, set[int]]:
    """(the text, the ids of the parts it was read from)."""
    parts = _body_parts(msg, tree)
    plain = [part for part in parts if _ctype(part) != "text/html"]
    chosen = plain or parts
    texts: list[str] = []
    for part in chosen:
        if _ctype(part) == "text/html":
            html = _leaf_text(part, "the HTML text", problems, MAX_HTML_BYTES)
            if len(html) >= MAX_HTML_BYTES // 4 and html.rfind("<") > html.rfind(">"):
                html = html[: html.rfind("<")]  # a tag cut in half by the limit
            texts.append(html_to_text(html, problems))
        else:
            words = _leaf_text(part, "the text", problems, MAX_TEXT * 4).replace("\r\n", "\n")
            texts.append(_unflow(words, part) if _param(part, "format") == "flowed" else words)
        if sum(len(text) for text in texts) > MAX_TEXT:
            break
    text = "\n\n".join(text.strip("\n") for text in texts if text.strip())
    if len(text) > MAX_TEXT:
        problems.add(f"the text is longer than {MAX_TEXT} characters; cut")
        text = text[: MAX_TEXT - len(CUT_MARKER)] + CUT_MARKER
    return text, {id(part) for part in parts}


def _param(part: Message, name: str) -> str:
    try:
        value = part.get_param(name)
    except Exception:
        return ""
    return value.strip().lower() if isinstance(value, str) else ""


def _unflow(text: str, part: Message) -> str:
    """``format=flowed`` text (RFC 3676) with its soft line breaks joined: a line ending
    in a space goes on with the next line of the same quote depth; space-stuffing and,
    with ``DelSp=yes``, the trailing space are removed."""
    delsp = _param(part, "delsp") == "yes"
    paragraphs: list[tuple[int, str]] = []
    depth_now, content_now, open_ = 0, "", False
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        content = content[1:] if content.startswith(" ") else content
        flowed = content.endswith(" ") and content != "-- "
        if delsp and flowed:
            content = content[:-1]
        if open_ and depth == depth_now:
            content_now += content
        else:
            if open_:
                paragraphs.append((depth_now, content_now))
            depth_now, content_now = depth, content
        open_ = flowed
        if not flowed:
            paragraphs.append((depth_now, content_now))
    if open_:
        paragraphs.append((depth_now, content_now))
    return "\n".join(">" * depth + (" " if depth and content else "") + content
                     for depth, content in paragraphs)


class _HtmlText(HTMLParser):
    """The readable text of HTML: tags stripped, blocks on lines of their own, script,
    style and head left out. Nothing is fetched or followed."""

    _SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})
    _BLOCK = frozenset({"p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2",
                        "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "section",
                        "article", "header", "footer", "dt", "dd", "address", "form"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.size = 0
        self._skip = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self._write("\n- " if tag == "li" else "\n")
            self._pre += tag == "pre"
        elif tag in ("td", "th"):
            self._write(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK and tag != "li":
            self._write("\n")
            self._pre = max(0, self._pre - (tag == "pre"))

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if not self._pre:
            data = re.sub(r"\s+", " ", data)
            if not self.out or self.out[-1].endswith("\n"):
                data = data.lstrip(" ")
        if data:
            self._write(data)

    def _write(self, text: str) -> None:
        if self.size <= MAX_TEXT:
            self.out.append(text)
            self.size += len(text)


def html_to_text(html: str, problems: _Problems | None = None) -> str:
    """The readable text of an HTML document (see ``_HtmlText``); on a parser failure,
    the text with its tags removed by a pattern."""
    parser = _HtmlText()
    try:
        for start in range(0, len(html), 65536):  # stop once there is text enough
            parser.feed(html[start: start + 65536])
            if parser.size > MAX_TEXT:
                break
        parser.close()
        text = "".join(parser.out)
    except Exception:
        if problems is not None:
            problems.add("the HTML could not be parsed; its tags were removed")
        text = re.sub(r"<[^>]*>", " ", html)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# --- attachments ----------------------------------------------------------------------

_EXTENSIONS = {
    "application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
    "image/gif": ".gif", "text/plain": ".txt", "text/html": ".html", "text/csv": ".csv",
    "application/xml": ".xml", "text/xml": ".xml", "application/zip": ".zip",
    "message/rfc822": ".eml", "message/global": ".eml",
    "application/msword": ".doc", "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
_REPORT_TYPES = ("message/delivery-status", "message/global-delivery-status",
                 "text/rfc822-headers", "message/disposition-notification",
                 "message/global-headers", "message/global-disposition-notification")


def _clean_name(name: str, ordinal: int, ctype: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable())
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_NAME - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME]
    return name or f"attachment-{ordinal}{_EXTENSIONS.get(ctype, '')}"


def _size(part: Message) -> int:
    """The decoded size, counted from the encoded text where that is exact (base64,
    7bit/8bit/binary) rather than by decoding a copy."""
    payload = _payload(part)
    if isinstance(payload, list):
        return sum(_message_size(child) for child in payload)
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding == "base64":
        stripped = payload.rstrip()
        length = len(payload) - sum(payload.count(char) for char in "\r\n \t")
        if length % 4 == 0:
            return length // 4 * 3 - (len(stripped) - len(stripped.rstrip("=")))
    elif encoding not in ("quoted-printable", "x-uuencode", "uuencode", "uue", "x-uue"):
        return len(payload)
    return len(_payload_bytes(part))


def _message_size(msg: Message) -> int:
    """About the size of a message as bytes: its header lines and its bodies."""
    size = sum(len(name) + len(str(value)) + 3 for name, value in msg.raw_items()) + 1
    payload = _payload(msg)
    if isinstance(payload, list):
        return size + sum(_message_size(part) + 80 for part in payload)
    return size + len(payload)


def _attachments(tree: _Tree, body: set[int], problems: _Problems) -> list[Attachment]:
    found: list[Attachment] = []
    for index, part in enumerate(tree.leaves):
        if id(part) in body:
            continue
        ctype = _ctype(part)
        name = _filename(part, problems)
        named = bool(name) or _disposition(part) == "attachment"
        if not named and (ctype in _BODY_TYPES or ctype in _REPORT_TYPES
                          or ctype.startswith("multipart/")):
            continue
        try:
            size = _size(part)
        except Exception:
            size = 0
        found.append(Attachment(_clean_name(name, len(found) + 1, ctype), ctype, size, index))
    return found


# --- delivery reports -----------------------------------------------------------------

_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_SMTP_ANSWER = re.compile(r"^(\d{3})[- ](?:([245]\.\d{1,3}\.\d{1,3})\s)?")
_ANSWER_IN_TEXT = re.compile(r"\b[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b.*")
_DIAGNOSTIC_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,30}")
_DSN_TYPES = ("message/delivery-status", "message/global-delivery-status")
_REPORT_SENDERS = ("mailer-daemon", "mailerdaemon", "mail-daemon", "postmaster")


@dataclass
class _Entry:
    address: str
    action: str
    status: str
    diagnostic: str


def _diagnostic(value: str) -> str:
    """The server's answer: its type (``smtp;``) removed, one line, a multi-line SMTP
    answer's repeated ``550-5.1.1`` prefixes removed, bounded."""
    text = " ".join(_CONTROLS.sub(" ", value).split())
    kind, sep, rest = text.partition(";")
    if sep and _DIAGNOSTIC_TYPE.fullmatch(kind.strip()):
        text = rest.strip()
    answer = _SMTP_ANSWER.match(text)
    if answer:
        code, enhanced = answer.group(1), answer.group(2)
        prefix = re.escape(code) + r"[- ]" + (re.escape(enhanced) + r"\s+" if enhanced else "")
        rest = re.sub(r"(?<!\S)" + prefix, "", text[answer.end():])
        text = " ".join(f"{code} {enhanced or ''} {rest}".split())
    return _one_line(text, MAX_DIAGNOSTIC)


def _status(value: str, diagnostic: str) -> str:
    """The RFC 3463 code: the report's, or the answer's when the report's is generic."""
    reported = _STATUS.search(value)
    answered = _STATUS.search(diagnostic)
    if reported and not (reported.group(0).endswith(".0.0") and answered
                         and answered.group(1) == reported.group(1)):
        return reported.group(0)
    return answered.group(0) if answered else ""


def _dsn_text(part: Message) -> str:
    """The text of a (global-)delivery-status part, whatever the parser made of it (field
    blocks, one nested message, or a base64 body in a block's payload)."""
    pieces: list[str] = []
    payload = _payload(part)
    blocks = payload if isinstance(payload, list) else []
    for block in blocks[: MAX_FAILURES + 1]:
        pieces.extend(f"{name}: {value}\n" for name, value in block.raw_items())
        inner = _payload(block)
        pieces.append((inner if isinstance(inner, str) else "") + "\n\n")
    text = ("".join(pieces) if isinstance(payload, list) else payload)[:MAX_DSN_CHARS]
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding in ("base64", "quoted-printable"):
        data = text.encode("ascii", "replace")
        try:
            raw = (binascii.a2b_base64(data) if encoding == "base64"
                   else binascii.a2b_qp(data))
        except (binascii.Error, ValueError):
            return text
        text = raw.decode("utf-8", "replace")
    return _fix_8bit(text, "delivery-status", _Problems())


def _field_blocks(text: str) -> list[dict[str, str]]:
    """Header-like fields in blocks separated by blank lines (RFC 3464 §2.1), unfolded;
    the first value of each field name, lower-case names."""
    blocks: list[dict[str, str]] = []
    for chunk in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        fields: dict[str, str] = {}
        name = ""
        for line in chunk.split("\n"):
            if line[:1] in (" ", "\t") and name:
                fields[name] += " " + line.strip()
                continue
            key, colon, value = line.partition(":")
            name = key.strip().lower() if colon else ""
            if name and name not in fields:
                fields[name] = value.strip()
        if fields:
            blocks.append(fields)
        if len(blocks) > MAX_FAILURES:
            break
    return blocks


def _recipient(fields: dict[str, str]) -> str:
    for name in ("original-recipient", "final-recipient"):
        value = fields.get(name, "")
        kind, sep, address = value.partition(";")
        found = _address(address if sep else kind)
        if found:
            return found
    return ""


def _dsn_entries(tree: _Tree) -> tuple[list[_Entry], list[str]]:
    """(the per-recipient entries of every delivery-status part, the X-Original-Message-ID
    values of their per-message blocks)."""
    entries: list[_Entry] = []
    originals: list[str] = []
    for part in tree.leaves:
        if _ctype(part) not in _DSN_TYPES:
            continue
        for fields in _field_blocks(_dsn_text(part)):
            if "x-original-message-id" in fields:
                originals.append(fields["x-original-message-id"])
            address = _recipient(fields)
            if not address:
                continue
            diagnostic = _diagnostic(fields.get("diagnostic-code", ""))
            entries.append(_Entry(address, fields.get("action", "").strip().lower(),
                                  _status(fields.get("status", ""), diagnostic), diagnostic))
    return entries, originals


def _entry_failure(entry: _Entry) -> DeliveryFailure | None:
    action = entry.action
    if action.startswith(("fail", "error")):
        permanent = True
    elif action.startswith("delayed"):
        permanent = False
    elif not action and entry.status[:1] in ("4", "5"):
        permanent = entry.status.startswith("5")
    else:
        return None  # delivered, relayed, expanded: no failure
    return DeliveryFailure(entry.address, entry.status, entry.diagnostic, permanent)


def _answer_in_text(address: str, text: str, lowered: str) -> tuple[str, str]:
    """(status, diagnostic) from the paragraph of a bounce text (``lowered``: the same in
    lower case) that names the address: its first ``4xx/5xx x.y.z …`` answer, or
    ("", "")."""
    at = lowered.find(address.lower())
    if at < 0:
        return "", ""
    paragraph = re.split(r"\n[ \t]*\n", text[at: at + 2000], maxsplit=1)[0]
    found = _ANSWER_IN_TEXT.search(" ".join(paragraph.split()))
    if not found:
        return "", ""
    diagnostic = _diagnostic(found.group(0))
    return _status("", diagnostic), diagnostic


def _text_copy(part: Message, depth: int = 0) -> Message:
    """A copy for flufl.bounce: the same headers and structure, non-text leaves emptied,
    texts cut at FLUFL_TEXT_CHARS."""
    copy = Message()
    for name, value in part.raw_items():
        copy[name] = value
    payload = _payload(part)
    if isinstance(payload, list):
        if depth < MAX_DEPTH:
            copy.set_payload([_text_copy(child, depth + 1) for child in payload[:MAX_PARTS]])
        return copy
    keep = _ctype(part).split("/")[0] in ("text", "message")
    copy.set_payload(_SURROGATE.sub("?", payload[:FLUFL_TEXT_CHARS]) if keep else "")
    return copy


def _flufl(msg: Message, problems: _Problems) -> tuple[list[str], list[str]]:
    """(temporary, permanent) addresses flufl.bounce finds, normalised."""
    try:
        temporary, permanent = all_failures(_text_copy(msg))
    except Exception as exc:
        problems.add(f"flufl.bounce could not read the report ({type(exc).__name__})")
        return [], []

    def usable(found: frozenset[bytes]) -> list[str]:
        out: list[str] = []
        for raw in sorted(found)[:MAX_FAILURES]:
            address = _address(raw.decode("ascii", "replace"))
            if address:
                out.append(address)
            else:
                problems.add("flufl.bounce gave a failed address that is no address")
        return out

    return usable(temporary), usable(permanent)


@dataclass
class _Report:
    failures: list[DeliveryFailure]
    originals: list[str]
    delivered: bool  # a report of successful delivery only


def _read_report(msg: Message, tree: _Tree, headers: _Headers, text: str,
                 problems: _Problems) -> _Report:
    entries, originals = _dsn_entries(tree)
    failures: list[DeliveryFailure] = []
    known: set[str] = set()

    def add(failure: DeliveryFailure) -> None:
        if failure.address.lower() not in known and len(failures) < MAX_FAILURES:
            known.add(failure.address.lower())
            failures.append(failure)

    for entry in entries:
        failure = _entry_failure(entry)
        if failure is not None:
            add(failure)
    temporary, permanent = _flufl(msg, problems)
    failed_header = [address for _, address in _addresses(headers.all("x-failed-recipients"))]
    lowered = text.lower()
    for address, is_permanent in ([(a, True) for a in failed_header + permanent]
                                  + [(a, False) for a in temporary]):
        if address and address.lower() not in known:
            status, diagnostic = _answer_in_text(address, text, lowered)
            add(DeliveryFailure(address, status, diagnostic, is_permanent))
    delivered = bool(entries) and not failures
    return _Report(failures, originals, delivered)


# --- auto-replies ---------------------------------------------------------------------

_AUTO_SUBJECT = re.compile(
    r"^\s*(auto|autoreply|auto[- ]?reply|automatic reply|auto[- ]?response|"
    r"out of (the )?office|odpowied[źz] automatyczna|automatyczna odpowied[źz]|"
    r"autoodpowied[źz]|nieobecno[śs][ćc]|urlop|jestem poza biurem|poza biurem)\b"
    r"|out of (the )?office|odpowied[źz] automatyczna|automatyczna odpowied[źz]|"
    r"autoodpowied[źz]|nieobecno[śs][ćc] w biurze|jestem poza biurem",
    re.IGNORECASE,
)


def _strong_auto_marker(headers: _Headers, top_type: str, report_type: str) -> str:
    submitted = " ".join(headers.first("auto-submitted").split())
    keyword = re.split(r"[\s;(]", submitted, maxsplit=1)[0].lower()
    if keyword and keyword != "no":
        return _one_line(f"Auto-Submitted: {submitted}", 80)
    for name, label in (("x-autoreply", "X-Autoreply"), ("x-autorespond", "X-Autorespond")):
        if headers.has(name) and headers.first(name).strip().lower() not in ("no", "false"):
            return label
    if headers.first("x-apple-action").strip().lower() == "vacation":
        return "X-Apple-Action: VACATION"
    for name, label in (("precedence", "Precedence"), ("x-precedence", "X-Precedence")):
        if headers.first(name).strip().lower() == "auto_reply":
            return f"{label}: auto_reply"
    if top_type == "multipart/report" and report_type == "disposition-notification":
        return "read receipt (disposition-notification)"
    return ""


def _weak_auto_marker(headers: _Headers, null_return_path: bool) -> bool:
    precedence = headers.first("precedence").strip().lower()
    return (null_return_path or headers.has("x-auto-response-suppress")
            or headers.has("x-ms-exchange-inbox-rules-loop")
            or precedence in ("bulk", "junk", "list"))


# --- reading one message --------------------------------------------------------------


def _null_return_path(headers: _Headers) -> bool:
    value = headers.first("return-path")
    return headers.has("return-path") and value.replace(" ", "") in ("<>", "")


def _looks_like_report(headers: _Headers, tree: _Tree, top_type: str, report_type: str,
                       senders: list[str]) -> bool:
    """Signs of a delivery report (docs/inbox.md, "The order a classifier should
    follow"); a null return path alone is not one of them (auto-replies have it too)."""
    return (
        (top_type == "multipart/report" and report_type in ("delivery-status", ""))
        or any(_ctype(part) in _DSN_TYPES for part in tree.leaves)
        or headers.has("x-failed-recipients")
        or headers.has("x-ms-exchange-message-is-ndr")
        or any(sender.split("@")[0].lower() in _REPORT_SENDERS for sender in senders)
    )


def _originals(tree: _Tree, headers: _Headers, report: _Report | None, text: str,
               kind: MailKind) -> tuple[str, ...]:
    """Our message a report (or an auto-reply) returns: the Message-ID of a returned
    message/rfc822 or text/rfc822-headers part, X-Original-Message-ID, and, for a plain
    text bounce with none of those, a "Message-ID:" line in its text."""
    if kind == MailKind.REPLY:
        return ()
    values: list[str] = list(report.originals) if report else []
    values += headers.all("x-original-message-id")
    for part in tree.leaves:
        ctype = _ctype(part)
        if ctype in ("message/rfc822", "message/global"):
            inner = _children(part)
            if inner:
                values += [str(value) for name, value in inner[0].raw_items()
                           if name.lower() == "message-id"][:1]
        elif ctype in ("text/rfc822-headers", "message/global-headers"):
            header_text = _payload_bytes(part)[:MAX_HEADER_CHARS * 4].decode("ascii", "replace")
            blocks = _field_blocks(header_text)
            if blocks and "message-id" in blocks[0]:
                values.append(blocks[0]["message-id"])
    ids = _message_ids(_unfold(value) for value in values)
    if not ids and kind in (MailKind.BOUNCE, MailKind.DELAY):
        quoted = re.findall(r"(?im)^[ \t>]*Message-ID:[ \t]*\n?[ \t]*(<[^<>\s]+>)", text)
        ids = _message_ids(quoted)
    return ids


def _classify(msg: Message, tree: _Tree, headers: _Headers, text: str,
              senders: list[str], problems: _Problems
              ) -> tuple[MailKind, _Report | None, str]:
    """(kind, the report read if it looked like one, auto_reason)."""
    top_type = _ctype(msg)
    try:
        report_type = str(msg.get_param("report-type") or "").strip().lower()
    except Exception:
        report_type = ""
    null_path = _null_return_path(headers)
    looks = _looks_like_report(headers, tree, top_type, report_type, senders)
    report = None
    if looks or null_path:
        report = _read_report(msg, tree, headers, text, problems)
        if any(failure.permanent for failure in report.failures):
            return MailKind.BOUNCE, report, ""
        if report.failures:
            return MailKind.DELAY, report, ""
        if report.delivered:
            return MailKind.AUTO_REPLY, report, "delivery report (delivered)"
    reason = _strong_auto_marker(headers, top_type, report_type)
    if not reason and _weak_auto_marker(headers, null_path) and _AUTO_SUBJECT.search(
            headers.text("subject", MAX_SUBJECT)):
        reason = "subject"
    if looks and not (reason and reason.startswith("read receipt")):
        problems.add("looks like a delivery report, but no failed address could be read")
        return MailKind.REPLY, report, ""
    if reason:
        return MailKind.AUTO_REPLY, report, reason
    return MailKind.REPLY, report, ""


def _read(raw: bytes, truncated: bool) -> IncomingMail:
    problems = _Problems()
    if truncated:
        problems.add(f"the message was cut at {len(raw)} bytes; its end is missing")
    if not raw.strip():
        problems.add("the message is empty")
    msg = _parse(raw, problems)
    headers = _Headers(msg, problems)
    tree = _Tree.walk(msg, problems)
    text, body = _body_text(msg, tree, problems)
    sender_name, sender = next(iter(_addresses(headers.all("from")[:1])), ("", ""))
    senders = [sender] + [address for _, address in _addresses(headers.all("sender")[:1])]
    kind, report, reason = _classify(msg, tree, headers, text, senders, problems)
    to: list[str] = []
    for name in ("to", "delivered-to", "x-original-to", "envelope-to"):
        for _, address in _addresses(headers.all(name)):
            if address and address.lower() not in {known.lower() for known in to}:
                to.append(address)
    return_path = headers.first("return-path")
    attachments = tuple(_attachments(tree, body, problems))
    tree.note_defects(problems)
    return IncomingMail(
        kind=kind,
        message_id=_message_id(headers.first("message-id")),
        in_reply_to=_message_ids(headers.all("in-reply-to")),
        references=_message_ids(headers.all("references"), keep_last=True),
        from_address=sender,
        from_name=_one_line(_decode_words(sender_name, "From", problems), MAX_NAME),
        to_addresses=tuple(to[:MAX_ADDRESSES]),
        return_path=next((address for _, address in _addresses([return_path])), ""),
        subject=headers.text("subject", MAX_SUBJECT),
        sent_at=_date(headers.first("date")),
        text=text,
        attachments=attachments,
        failures=tuple(report.failures) if report and kind in (
            MailKind.BOUNCE, MailKind.DELAY) else (),
        original_message_ids=_originals(tree, headers, report, text, kind),
        auto_reason=reason,
        problems=problems.result(),
        size=len(raw),
    )


def _unreadable(raw: bytes, exc: BaseException) -> IncomingMail:
    """The last line of defence: a reply with the bytes as text and the problem noted."""
    text = raw[: MAX_TEXT].decode("utf-8", "replace")
    return IncomingMail(
        kind=MailKind.REPLY, message_id="", in_reply_to=(), references=(),
        from_address="", from_name="", to_addresses=(), return_path="", subject="",
        sent_at=None, text=text, attachments=(), failures=(), original_message_ids=(),
        auto_reason="",
        problems=(_one_line(f"the message could not be read ({type(exc).__name__})",
                            MAX_PROBLEM_CHARS),),
        size=len(raw),
    )


def read_mail(raw: bytes, truncated: bool = False) -> IncomingMail:
    """One incoming message read into plain data and classified; never raises.

    ``truncated``: the caller fetched only the beginning of a bigger message (noted as a
    problem; what is there is read)."""
    if not isinstance(raw, bytes):
        raw = bytes(raw) if isinstance(raw, bytearray | memoryview) else str(raw).encode()
    try:
        return _read(raw, truncated)
    except Exception as exc:  # a bug of ours or the standard library's: still an answer
        logging.getLogger(__name__).exception("an incoming message could not be read")
        return _unreadable(raw, exc)


def attachment_bytes(raw: bytes, index: int) -> bytes:
    """The decoded content of the leaf part ``index`` (``Attachment.index`` from
    ``read_mail`` of the same bytes); a message/rfc822 part as the message it holds.
    ``b""`` for an index the message does not have or a part that cannot be decoded."""
    try:
        tree = _Tree.walk(_parse(bytes(raw), _Problems()))
        if not 0 <= index < len(tree.leaves):
            return b""
        return _payload_bytes(tree.leaves[index])
    except Exception:
        return b""
