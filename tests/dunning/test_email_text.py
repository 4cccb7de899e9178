"""``message_text``: the day's messages written directly, held to the ``email`` package.

Two oracles over generated messages (Polish letters, long words and subjects, many
recipients, international domains, CR/LF and other breaks in every field, attachments):

* the ``email`` package itself: with the same random state (the boundary's only
  source) ``message_text`` returns exactly ``message_to_text(compose(...))``, or raises
  the same error;
* the standard library's parser: the message reads back with the same headers and
  bodies, as ASCII lines of at most 78 characters, every encoded word valid RFC 2047.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from email import policy, quoprimime
from email.header import decode_header
from email.parser import Parser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from windykacja.dunning.email_build import (
    InvalidAddress,
    _qp_line,
    compose,
    header_safe,
    message_text,
    message_to_text,
    new_message_id,
    normalise_address,
)

BREAKS = ["\r\n", "\r", "\n", "\x85", "\u2028", "\x0b", "\x1c", "\t"]
polish = st.sampled_from(list("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"))
word = st.text(alphabet=st.characters(codec="utf-8", blacklist_categories=("Cs",)),
               max_size=30)
long_word = st.builds(lambda c, n: c * n, st.sampled_from(["x", "ż", "=", "-", "."]),
                      st.integers(40, 130))
piece = st.one_of(word, polish, long_word, st.sampled_from(BREAKS + [" ", "  ", "=?", "?="]),
                  st.just("Bcc: intruz@example.com"), st.just("--===============1=="))
field = st.lists(piece, max_size=12).map("".join)
body = st.lists(st.one_of(piece, st.just("\n"), st.just("From nobody\n"), st.just(".\n")),
                max_size=40).map("".join)
local = st.from_regex(r"[a-z0-9]([a-z0-9._+-]{0,20}[a-z0-9])?", fullmatch=True)
domain = st.sampled_from(["klient.pl", "łódź.pl", "zażółć.com.pl", "example.com",
                          "b.co", "bardzo-dluga-nazwa-domeny-firmy-klienta.com.pl"])
address = st.one_of(st.builds(lambda a, d: f"{a}@{d}", local, domain),
                    st.builds(lambda a, b, d: f"{a}{b}@{d}", local,
                              st.sampled_from(BREAKS), domain))
offset = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
moment = st.builds(lambda day, zone: day.replace(tzinfo=zone),
                   st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2099, 12, 31)),
                   st.one_of(st.none(), offset))
made_id = st.builds(new_message_id, st.one_of(domain, field))
message_id = st.one_of(made_id, field)  # any text: message_text must then do what compose does
attachment = st.tuples(field, st.sampled_from(["application/pdf", "text/csv; charset=utf-8"]),
                       st.binary(max_size=300))
message = st.fixed_dictionaries({
    "sender_name": field,
    "sender_email": address,
    "recipients": st.lists(address, min_size=1, max_size=12),
    "subject": field,
    "text": body,
    "html": body,
    "message_id": message_id,
    "date": moment,
    "attachments": st.one_of(st.just(()), st.lists(attachment, max_size=2)),
})


def both(fields: dict, seed: int) -> tuple[object, object]:
    """What the ``email`` package and ``message_text`` return (or raise) from the same
    random state."""
    results = []
    for build in (lambda: message_to_text(compose(**fields)), lambda: message_text(**fields)):
        random.seed(seed)
        try:
            results.append(build())
        except InvalidAddress as exc:
            results.append(("InvalidAddress", str(exc)))
    return results[0], results[1]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=message, seed=st.integers(0, 2**32))
def test_the_same_text_as_the_email_package(fields, seed):
    package, direct = both(fields, seed)
    assert direct == package


ENCODED_WORD = re.compile(r"=\?([^?]*)\?([qQbB])\?([^?]*)\?=")


def expected_body(text: str) -> str:
    """What a reader gets back: the lines as ``bytes.splitlines`` cuts them, each ended
    by a newline (``set_content``'s normalisation)."""
    return b"\n".join(text.encode("utf-8").splitlines()).decode("utf-8") + "\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=message, made=made_id)
def test_the_parser_reads_back_what_was_written(fields, made):
    fields = {**fields, "attachments": (), "message_id": made}  # as messages.py makes it
    try:
        raw = message_text(**fields)
    except InvalidAddress:
        return
    assert raw.isascii()
    lines = raw.split("\r\n")
    assert lines[-1] == "" and "\r" not in raw.replace("\r\n", "") and "\n" not in raw.replace(
        "\r\n", "")
    # 78 where RFC 5322 asks it; a Message-ID cannot be folded (998 is the limit there)
    assert max(len(line) for line in lines if not line.startswith("Message-ID:")) <= 78
    assert max(len(line) for line in lines) <= 998
    header_block = raw.split("\r\n\r\n", 1)[0]
    for charset, encoding, payload in ENCODED_WORD.findall(header_block):
        assert (charset.lower(), encoding.lower()) == ("utf-8", "q")
        assert len(f"=?{charset}?{encoding}?{payload}?=") <= 75
    for encoded, charset in decode_header(header_block.replace("\r\n ", " ")):
        if charset:
            encoded.decode(charset)  # valid UTF-8 in every encoded word
    msg = Parser(policy=policy.default).parsestr(raw)
    assert list(msg.keys()) == ["From", "To", "Subject", "Date", "Message-ID",
                                "MIME-Version", "Content-Type"]
    assert msg["Subject"] == header_safe(fields["subject"])
    sender = msg["From"].addresses[0]
    assert sender.addr_spec == normalise_address(fields["sender_email"])
    # a long word split over encoded words reads back with a space where it was split
    # (Python's parser; RFC 2047 decoders join them): compare without the spaces
    assert "".join(sender.display_name.split()) == "".join(
        header_safe(fields["sender_name"]).split())
    assert [a.addr_spec for a in msg["To"].addresses] == [
        normalise_address(r) for r in fields["recipients"]]
    when = fields["date"] if fields["date"].tzinfo else fields["date"].replace(tzinfo=dt.UTC)
    assert msg["Date"].datetime == when.replace(microsecond=0)
    # an ID too long for "Message-ID: " and 78 characters (a sender domain of 32 or more)
    # is folded before it, which RFC 5322 allows there and the parser keeps as a space
    assert msg["Message-ID"].lstrip() == header_safe(fields["message_id"])
    assert msg.get_content_type() == "multipart/alternative"
    for subtype in ("plain", "html"):
        content = msg.get_body((subtype,)).get_content().replace("\r\n", "\n")
        assert content == expected_body(fields["text" if subtype == "plain" else "html"])


@settings(max_examples=500, deadline=None)
@given(address=st.one_of(address, st.builds(lambda a, d: f"{a}@{d}", field, field),
                         st.from_regex(r"[!-~]{1,20}@[!-~]{1,20}", fullmatch=True)))
def test_addresses_are_normalised_as_the_email_parser_would(address):
    """``normalise_address`` passes plain dot-atom addresses straight through: what the
    ``email`` package's parser makes of every address is what it returns."""
    from email.errors import MessageError
    from email.headerregistry import Address

    try:
        ours = normalise_address.__wrapped__(address)
    except InvalidAddress:
        ours = None
    text = header_safe(address)
    local, _, domain = text.rpartition("@")
    try:
        if not local or " " in text or "<" in text or ">" in text or not local.isascii():
            raise ValueError
        if not domain.isascii():
            domain = domain.encode("idna").decode("ascii")
        parsed = Address(addr_spec=f"{local}@{domain}")
        theirs = parsed.addr_spec if parsed.username and parsed.domain else None
    except (ValueError, IndexError, MessageError, UnicodeError, AttributeError):
        theirs = None  # (AttributeError: the parser's own failure on 'x@[')
    assert ours == theirs


#: Lines as the templates make them: Polish letters, "=", spaces and tabs (at the end
#: too), controls, any length around the 78 where a soft break begins.
qp_line = st.lists(st.one_of(st.sampled_from([" ", "\t", "=", "a", "ł", "\x0b", "\x85", "é"]),
                             st.text(alphabet=st.characters(codec="utf-8",
                                                            blacklist_categories=("Cs",),
                                                            blacklist_characters="\r\n"),
                                     max_size=30)),
                   max_size=40).map("".join)


@given(line=qp_line, padding=st.integers(0, 90))
@settings(max_examples=400, deadline=None)
def test_a_body_line_is_quoted_as_the_standard_library_quotes_it(line, padding):
    """The short way for a line that needs no soft break writes what
    ``quoprimime.body_encode`` writes (``message_text``'s comparison with ``compose``
    holds it too; this one reaches the edges: 78 characters, white space at the end)."""
    for text in (line, "x" * padding + line, line + "y" * padding):
        for raw in text.encode("utf-8").splitlines() or [b""]:
            expected = quoprimime.body_encode(raw.decode("latin-1") + "\n", 78)
            assert _qp_line.__wrapped__(raw) == expected.replace("\n", "\r\n")
