"""Reading MT940 bank statements as Polish banks write them (reference §5), our own parser.

The PyPI ``mt-940`` package falls back to CP852 when a file does not decode (a Windows-1250
``Ą`` then turns into mojibake without a word) and leaves Polish ``~`` subfields as one
raw string, so the whole format is read here, in three steps, each refusing what it
cannot read with the line an editor shows:

1. **Decoding** with the bank profile's encoding (``ledger/bank_profiles.py``), strictly.
   A single-byte file decodes in any single-byte encoding, so the text is also checked
   for characters no Polish statement holds (``±``, ``¶``, control characters, ``Ä…``):
   when another encoding reads the same bytes as cleaner text, the file is refused, and
   the profiles that would fit are suggested. Nothing is ever decoded by guess.
2. **Fields.** A line starting with ``:NN:`` or ``:NNA:`` opens a field; other lines
   continue it (``:86:`` wraps at 65 characters, ``:61:`` may carry supplementary
   details on its second line); ``-`` ends a statement block; mBank's SOH/ETX bytes
   around a block and blank lines are skipped.
3. **Blocks**, in the order MT940 prescribes: ``:20:`` reference, optional ``:21:``,
   ``:25:`` account, ``:28C:`` statement number, ``:60F:``/``:60M:`` opening balance,
   entries (``:61:`` with an optional ``:86:``), ``:62F:``/``:62M:`` closing balance,
   optional ``:64:``/``:65:`` and a statement-level ``:86:``, then ``-``. A field out of
   this order stops the reading at its line. The closing balance must equal the opening
   balance plus the credits less the debits: a truncated or hand-edited file is refused
   rather than half-read.

``:61:`` is ``YYMMDD[MMDD](C|D|RC|RD)[funds code]amount(decimal comma)type[reference]
[//bank reference]``. The entry date (MMDD) takes its year from the value date, across
the turn of a year where needed; without it the value date is the booking date.

``:86:`` is split by the profile's separator (``~``, ``<``, ``+``): any subfield order,
empty or missing subfields, subfields starting on new lines or continuing across them
(lines are joined without a space, as banks cut at a fixed width). The title is
``~20..~29`` in code order, kept twice: joined as written (a number cut at 27 characters
is whole again) and joined with spaces (for a bank that trims the pieces). The payer's
name is ``~32~33``; the account ``~38``, else ``~30`` + ``~31`` (with the IBAN's check
digits). Free-text details (mBank) are read by their labels: ``TYT.:`` title, ``OD:``
payer, ``Z RACH.:`` account.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..banking.matching import normalise_account
from ..i18n import t
from ..ledger.bank_profiles import PROFILES, BankProfile
from ..ledger.names import amount_text
from ..ledger.validation import check_amount, check_currency, check_day, fold_line
from .csv_common import RowError

POLISH_LETTERS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
# SOH/ETX wrap mBank's blocks; everything else outside printable ASCII and the Polish
# letters is suspicious in a Polish statement (reference §5.4: mojibake looks like this).
_PLAIN = frozenset(POLISH_LETTERS + "\t\r\n\x01\x03")
_TAG_LINE = re.compile(r":(\d{2}[A-Z]?):")
_BALANCE = re.compile(
    r"(?P<mark>[CD])(?P<date>\d{6})(?P<currency>[A-Z]{3})(?P<amount>\d+,\d{0,2})")
_ENTRY = re.compile(
    r"(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>RC|RD|C|D)(?P<funds>[A-Z](?=\d))?"
    r"(?P<amount>\d+,\d{0,2})?(?P<rest>.*)")
_TYPE = re.compile(r"(?P<type>[A-Z][A-Z0-9]{3})(?P<refs>.*)")
_LABEL = re.compile(
    rf"(?:^|;)\s*(?P<label>[A-Z{POLISH_LETTERS}][A-Z{POLISH_LETTERS} .]{{0,15}}?)\s*:\s*",
    re.IGNORECASE)
_FREE_TEXT_LABELS = {"TYT": "title", "TYTUŁ": "title", "TYTUL": "title", "OD": "payer",
                     "ZRACH": "account", "ZRACHUNKU": "account"}

BALANCE_TAGS = ("60F", "60M", "62F", "62M", "64", "65")
KNOWN_TAGS = ("20", "21", "25", "28", "28C", "61", "86", *BALANCE_TAGS)


class StatementRejected(ValueError):
    """A statement that cannot be read; ``errors`` name their lines. Nothing was stored."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Balance:
    mark: str  # C or D
    date: dt.date
    currency: str
    amount: Decimal

    @property
    def signed(self) -> Decimal:
        return self.amount if self.mark == "C" else -self.amount


@dataclass(frozen=True)
class Details:
    """What ``:86:`` says about an entry."""

    code: str = ""
    title: str = ""  # the title pieces as written, one after the other
    title_spaced: str = ""  # the same pieces joined with spaces
    payer_name: str = ""
    payer_account: str = ""
    text: str = ""  # the whole field, line breaks removed

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, self.title_spaced) if self.title_spaced != self.title \
            else (self.title,)


@dataclass(frozen=True)
class Entry:
    """One ``:61:`` line with its ``:86:`` details."""

    line: int
    value_date: dt.date
    booked_on: dt.date
    mark: str  # C, D, RC (a credit reversed) or RD (a debit reversed)
    amount: Decimal
    currency: str
    type_code: str
    customer_reference: str
    bank_reference: str
    supplementary: str = ""
    details: Details = field(default_factory=Details)

    @property
    def is_credit(self) -> bool:
        """Money a customer sent: a plain credit. Reversals are the bank's corrections."""
        return self.mark == "C" and self.amount > 0

    @property
    def signed(self) -> Decimal:
        return self.amount if self.mark in ("C", "RD") else -self.amount

    @property
    def reference(self) -> str:
        """The bank's reference when it gave one, else the customer's."""
        for text in (self.bank_reference, self.customer_reference):
            if text and text.upper() != "NONREF":
                return text
        return ""


@dataclass(frozen=True)
class StatementBlock:
    line: int
    reference: str
    account: str
    number: str
    opening: Balance
    closing: Balance
    entries: tuple[Entry, ...]

    @property
    def currency(self) -> str:
        return self.opening.currency


@dataclass(frozen=True)
class Statement:
    profile: BankProfile
    blocks: tuple[StatementBlock, ...]

    @property
    def entries(self) -> list[Entry]:
        return [entry for block in self.blocks for entry in block.entries]


# -- decoding ------------------------------------------------------------------------------
def _foreign(text: str) -> Iterable[int]:
    """Positions of characters a Polish statement does not hold."""
    return (i for i, ch in enumerate(text) if not (" " <= ch <= "~" or ch in _PLAIN))


def _foreign_count(text: str) -> int:
    return sum(1 for _ in _foreign(text))


def _readings(data: bytes) -> dict[str, str]:
    """The file in every profile's encoding that reads it at all."""
    out = {}
    for encoding in dict.fromkeys(p.encoding for p in PROFILES.values()):
        try:
            out[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return out


def suggest_profiles(data: bytes, exclude: str = "") -> list[str]:
    """Profiles whose encoding reads the bytes as the cleanest text and whose ``:86:``
    dialect fits: a hint for an error message, never a decision."""
    readings = _readings(data)
    if not readings:
        return []
    counts = {encoding: _foreign_count(text) for encoding, text in readings.items()}
    best = min(counts.values())
    cleanest = {encoding for encoding, count in counts.items() if count == best}
    style = detect_separator(_details_texts(readings[next(iter(cleanest))]))
    return [p.name for p in PROFILES.values()
            if p.encoding in cleanest and p.name != exclude
            and (style is None or p.separator == style)]


def _hint(data: bytes, profile: BankProfile) -> str:
    names = suggest_profiles(data, exclude=profile.name)
    if not names:
        return ""
    return t("; try {profiles}", profiles=t(" or ").join(f"--profile {name}" for name in names))


def _snippet(text: str, position: int) -> str:
    """The word around ``position``, with unprintable characters escaped."""
    before = re.split(r"\s", text[max(0, position - 30):position])[-1]
    word = before + re.split(r"\s", text[position:position + 30])[0]
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in word)


def decode_statement(data: bytes, profile: BankProfile) -> str:
    """The file's text in the profile's encoding; refused when it does not decode or
    when another encoding reads the same bytes as cleaner Polish text."""
    label = t("{encoding} (the encoding of the {profile} profile)",
              encoding=profile.encoding_label, profile=profile.name)
    try:
        text = data.decode(profile.encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise StatementRejected([RowError(
            line, "", t("byte 0x{byte} cannot be read as {label}",
                        byte=format(data[exc.start], "02X"), label=label)
            + _hint(data, profile))]) from None
    first = next(iter(_foreign(text)), None)
    if first is None:
        return text
    own = _foreign_count(text)
    if any(_foreign_count(other) < own for other in _readings(data).values()):
        line = text.count("\n", 0, first) + 1
        raise StatementRejected([RowError(
            line, "", t("'{word}' is not Polish text in {label}: the file is in another "
                        "encoding", word=_snippet(text, first), label=label)
            + _hint(data, profile))])
    return text


# -- fields ----------------------------------------------------------------------------------
@dataclass
class _Field:
    tag: str
    line: int
    lines: list[str]

    @property
    def first(self) -> str:
        return self.lines[0].strip() if self.lines else ""

    @property
    def joined(self) -> str:
        """The lines one after the other: banks wrap at a fixed width, not at words."""
        return "".join(self.lines)


_END = "-"


def _fields(text: str) -> tuple[list[_Field], list[RowError]]:
    fields: list[_Field] = []
    errors: list[RowError] = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = raw.strip("\x01\x03")
        if not line.strip():
            continue
        match = _TAG_LINE.match(line)
        if match:
            fields.append(_Field(match[1], number, [line[match.end():]]))
        elif line.strip() in ("-", "-}"):
            fields.append(_Field(_END, number, []))
        elif fields and fields[-1].tag != _END:
            fields[-1].lines.append(line)
        else:
            errors.append(RowError(number, "", t("'{value}' is outside any field (a field "
                                                 "starts with a tag such as :20:)",
                                                 value=line.strip()[:30])))
    return fields, errors


def _details_texts(text: str) -> list[str]:
    fields, _ = _fields(text)
    return [f.joined for f in fields if f.tag == "86"]


def detect_separator(details: Sequence[str]) -> str | None:
    """The subfield separator more than half of the ``:86:`` fields use, ``""`` for free
    text, None without any details to judge by."""
    if not details:
        return None
    counts = {sep: sum(1 for text in details if re.search(re.escape(sep) + r"\d\d", text))
              for sep in "~<+"}
    sep, count = max(counts.items(), key=lambda item: item[1])
    return sep if count * 2 > len(details) else ""


def _describe_style(separator: str) -> str:
    return (t("split into {separator} subfields", separator=separator) if separator
            else t("free text without subfields"))


# -- values ---------------------------------------------------------------------------------
class _Bad(ValueError):
    """A value that cannot be read; the message is for the user."""


def _date(text: str) -> dt.date:
    try:
        return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise _Bad(t("'{value}' is not a date (YYMMDD)", value=text)) from None


def _entry_amount(text: str) -> Decimal:
    """An entry's amount, at most ``AMOUNT_MAX`` (``ledger/validation.py``): each one
    may become a payment, and the bank-statements screen sums them in SQL."""
    try:
        return check_amount(_amount(text))
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def _amount(text: str) -> Decimal:
    whole, _, fraction = text.partition(",")
    return Decimal(f"{whole}.{fraction or '0'}").quantize(Decimal("0.01"))


def _entry_date(value_date: dt.date, text: str) -> dt.date:
    """MMDD of the booking, in the year that puts it nearest the value date."""
    try:
        month, day = int(text[:2]), int(text[2:])
        candidates = []
        for year in (value_date.year - 1, value_date.year, value_date.year + 1):
            try:
                candidates.append(dt.date(year, month, day))
            except ValueError:
                continue
        if not candidates:
            raise ValueError
    except ValueError:
        raise _Bad(t("'{value}' is not an entry date (MMDD)", value=text)) from None
    booked_on = min(candidates, key=lambda d: abs((d - value_date).days))
    try:
        return check_day(booked_on)  # 0101 near a value date of 2000-01-01 is 1999
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def parse_balance(text: str) -> Balance:
    match = _BALANCE.fullmatch(text.strip())
    if not match:
        raise _Bad(t("'{value}' is not a balance (C or D, YYMMDD, currency, amount with a "
                     "decimal comma)", value=text.strip()))
    try:
        currency = check_currency(match["currency"])
    except ValueError as exc:
        raise _Bad(str(exc)) from None
    return Balance(match["mark"], _date(match["date"]), currency, _amount(match["amount"]))


@dataclass(frozen=True)
class _EntryLine:
    value_date: dt.date
    booked_on: dt.date
    mark: str
    amount: Decimal
    type_code: str
    customer_reference: str
    bank_reference: str


def parse_entry_line(text: str) -> _EntryLine:
    """The first line of ``:61:``."""
    text = text.strip()
    match = _ENTRY.fullmatch(text)
    if not match:
        raise _Bad(t("'{value}' does not start with a value date (YYMMDD) and C or D",
                     value=text[:30]))
    value_date = _date(match["value"])
    booked_on = _entry_date(value_date, match["entry"]) if match["entry"] else value_date
    if match["amount"] is None:
        raise _Bad(t("has no amount (digits with a decimal comma after C or D)"))
    kind = _TYPE.match(match["rest"])
    if not kind:
        raise _Bad(t("has no transaction type (such as S020 or NTRF) after the amount"))
    customer, _, bank = _collapse(kind["refs"]).partition("//")
    return _EntryLine(value_date, booked_on, match["mark"], _entry_amount(match["amount"]),
                      kind["type"], customer.strip(), bank.strip())


def _collapse(text: str) -> str:
    """One line: line breaks and other control characters folded to single spaces."""
    return " ".join(fold_line(text).split())


def parse_details(text: str, separator: str) -> Details:
    """``:86:`` in the profile's dialect (see the module's docstring)."""
    if not separator:
        return _free_text_details(text)
    parts = re.split(re.escape(separator) + r"(\d\d)", text)
    head, pairs = parts[0], list(zip(parts[1::2], parts[2::2], strict=True))
    by_code: dict[int, list[str]] = {}
    for code, value in pairs:  # a repeated code continues, in the order written
        by_code.setdefault(int(code), []).append(value)

    def joined(*codes: int) -> list[str]:
        return [value for code in codes for value in by_code.get(code, [])]

    pieces = joined(*range(20, 30))
    account = "".join(joined(38)).strip() or _account_from_parts(
        "".join(joined(30)), "".join(joined(31)))
    return Details(
        code=head.strip()[:3],
        title=_collapse("".join(pieces)),
        title_spaced=_collapse(" ".join(pieces)),
        payer_name=_collapse("".join(joined(32, 33))),
        payer_account=normalise_account(account),
        text=_collapse(text),
    )


def _account_from_parts(sort_code: str, account: str) -> str:
    """``~30`` (8-digit sort code) and ``~31`` (16 digits) as the IBAN ``~38`` would give:
    the two check digits come from the IBAN rule (ISO 13616: 98 − the number mod 97),
    so an account learned from one dialect is the same in another."""
    sort_code, account = sort_code.strip(), account.strip()
    if not (re.fullmatch(r"\d{8}", sort_code) and re.fullmatch(r"\d{16}", account)):
        return (sort_code + account).strip()
    bban = sort_code + account
    check = 98 - int(bban + "252100") % 97  # P = 25, L = 21, check digits 00
    return f"PL{check:02d}{bban}"


def _free_text_details(text: str) -> Details:
    """mBank-style ``770 PRZELEW KRAJOWY; Z RACH.: …; OD: …; TYT.: …; TNR: …``."""
    labels = list(_LABEL.finditer(text))
    values: dict[str, str] = {}
    for index, match in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        name = re.sub(r"[\s.]", "", match["label"]).upper()
        role = _FREE_TEXT_LABELS.get(name)
        if role and role not in values:
            values[role] = _collapse(text[match.end():end]).rstrip(";").strip()
    head = text[:labels[0].start()] if labels else text
    title = values.get("title", "" if labels else _collapse(text))
    return Details(
        code=head.strip()[:3] if head.strip()[:3].isdigit() else "",
        title=title,
        title_spaced=title,
        payer_name=values.get("payer", ""),
        payer_account=normalise_account(values.get("account", "")),
        text=_collapse(text),
    )


# -- blocks ----------------------------------------------------------------------------------
class _Order(Exception):
    """A field where MT940 does not allow it; reading stops there."""


@dataclass
class _Block:
    line: int
    reference: str = ""
    account: str = ""
    number: str = ""
    opening: Balance | None = None
    closing: Balance | None = None
    closing_line: int = 0
    entries: list[Entry] = field(default_factory=list)
    state: str = "20"  # the last field read
    has_details: bool = False  # the last :61: already has its :86:


# What may follow each field (``-`` ends a block).
_NEXT = {
    "20": ("21", "25"),
    "21": ("25",),
    "25": ("28C", "28"),
    "28C": ("60F", "60M"),
    "28": ("60F", "60M"),
    "60": ("61", "62F", "62M"),
    "61": ("61", "86", "62F", "62M"),
    "62": ("64", "65", "86", _END, "20"),
    "64": ("65", "86", _END, "20"),
    "65": ("65", "86", _END, "20"),
    "info": (_END, "20"),
}


def _state_of(tag: str, block: _Block) -> str:
    if tag in ("60F", "60M"):
        return "60"
    if tag in ("62F", "62M"):
        return "62"
    if tag == "86":
        return "61" if block.state == "61" else "info"
    return tag


def _expected(state: str) -> str:
    return ", ".join(":" + tag + ":" if tag != _END else "'-'" for tag in _NEXT[state])


class _Reader:
    def __init__(self, profile: BankProfile) -> None:
        self.profile = profile
        self.blocks: list[StatementBlock] = []
        self.errors: list[RowError] = []
        self.block: _Block | None = None

    def error(self, line: int, message: str) -> None:
        self.errors.append(RowError(line, "", message))

    def read(self, fields: list[_Field]) -> None:
        try:
            for f in fields:
                self.field(f)
        except _Order:
            return
        if self.block is not None:
            if self.block.state in ("62", "64", "65", "info"):
                self.close()
            else:
                last = fields[-1].line if fields else 1
                self.error(last, t("the file ends before the closing balance :62F: of the "
                                   "statement that starts on line {line}",
                                   line=self.block.line))
        elif not self.blocks and not self.errors:
            self.error(1, t("no statement found (an MT940 statement starts with :20:)"))

    def field(self, f: _Field) -> None:
        if f.tag not in KNOWN_TAGS and f.tag != _END:
            self.error(f.line, t(":{tag}: is not a field of an MT940 statement", tag=f.tag))
            raise _Order
        if self.block is None:
            if f.tag != "20":
                shown = "'-'" if f.tag == _END else f":{f.tag}:"
                self.error(f.line, t("{field} before :20:, which starts a statement",
                                     field=shown))
                raise _Order
            self.block = _Block(f.line)
        else:
            self.check_order(f, self.block)
            if f.tag in (_END, "20"):
                self.close()
                if f.tag == _END:
                    return
                self.block = _Block(f.line)
        try:
            self.value(f, self.block)
        except _Bad as exc:
            self.error(f.line, f":{f.tag}: {exc}")
        self.block.state = _state_of(f.tag, self.block)

    def check_order(self, f: _Field, block: _Block) -> None:
        if f.tag == "86" and block.state == "61" and block.has_details:
            self.error(f.line, t(":86: follows another :86: of the same entry"))
            raise _Order
        if f.tag not in _NEXT[block.state]:
            shown = "'-'" if f.tag == _END else f":{f.tag}:"
            self.error(f.line, t("{field} is out of order: expected {expected}", field=shown,
                                 expected=_expected(block.state)))
            raise _Order

    def value(self, f: _Field, block: _Block) -> None:
        if f.tag == "20":
            block.reference = f.first
            if not block.reference:
                raise _Bad(t("the statement's reference is empty"))
        elif f.tag == "25":
            block.account = normalise_account(f.first)
            if not block.account:
                raise _Bad(t("the account number is empty"))
        elif f.tag in ("28C", "28"):
            block.number = f.first
            if not block.number:
                raise _Bad(t("the statement number is empty"))
        elif f.tag in ("60F", "60M"):
            block.opening = parse_balance(f.first)
        elif f.tag in ("62F", "62M"):
            block.closing, block.closing_line = parse_balance(f.first), f.line
        elif f.tag in ("64", "65"):
            parse_balance(f.first)
        elif f.tag == "61":
            self.entry(f, block)
        elif f.tag == "86" and block.state == "61" and block.entries:
            last = block.entries[-1]
            details = parse_details(f.joined, self.profile.separator)
            block.entries[-1] = dataclasses.replace(last, details=details)
            block.has_details = True

    def entry(self, f: _Field, block: _Block) -> None:
        block.has_details = False
        parsed = parse_entry_line(f.lines[0])
        currency = block.opening.currency if block.opening else ""
        block.entries.append(Entry(
            line=f.line, value_date=parsed.value_date, booked_on=parsed.booked_on,
            mark=parsed.mark, amount=parsed.amount, currency=currency,
            type_code=parsed.type_code, customer_reference=parsed.customer_reference,
            bank_reference=parsed.bank_reference,
            supplementary=_collapse(" ".join(f.lines[1:])),
        ))

    def close(self) -> None:
        block, self.block = self.block, None
        if block is None or block.opening is None or block.closing is None or self.errors:
            return  # the field in error says what is wrong; the sums would only repeat it
        line = block.closing_line
        if block.closing.currency != block.opening.currency:
            self.error(line, t("the closing balance is in {closing}, the opening balance in "
                               "{opening}", closing=block.closing.currency,
                               opening=block.opening.currency))
            return
        expected = block.opening.signed + sum((e.signed for e in block.entries), Decimal(0))
        if expected != block.closing.signed:
            self.error(line, t("the closing balance {closing} is not the opening balance "
                               "{opening} plus the entries ({expected}): the statement is "
                               "incomplete or was changed",
                               closing=amount_text(block.closing.signed),
                               opening=amount_text(block.opening.signed),
                               expected=amount_text(expected)))
            return
        self.blocks.append(StatementBlock(
            block.line, block.reference, block.account, block.number, block.opening,
            block.closing, tuple(block.entries)))


def parse_statement(data: bytes, profile: BankProfile) -> Statement:
    """Every block of the file, or StatementRejected with every problem found before
    the reading had to stop."""
    text = decode_statement(data, profile)
    fields, errors = _fields(text)
    if errors:
        raise StatementRejected(errors)
    details = [f for f in fields if f.tag == "86"]
    style = detect_separator([f.joined for f in details])
    if style is not None and style != profile.separator:
        raise StatementRejected([RowError(
            details[0].line, "", t("the :86: details are {style}, not {expected} as the "
                                   "{profile} profile reads them", style=_describe_style(style),
                                   expected=_describe_style(profile.separator),
                                   profile=profile.name) + _hint(data, profile))])
    reader = _Reader(profile)
    reader.read(fields)
    if reader.errors:
        raise StatementRejected(reader.errors)
    return Statement(profile, tuple(reader.blocks))
