"""The payment QR codes printed on a paper letter: what they say and how they look.

Two kinds (docs/letters.md §1-2 has the sources and how far each was read):

- **ZBP "Standard 2D"** (Związek Banków Polskich, *Rekomendacja dotycząca kodu
  dwuwymiarowego („2D”)…*, 2013), read by every Polish banking app for a transfer in
  PLN. One line, nine fields joined by ``|``::

      NIP|PL|NRB (26 digits)|amount in grosze|name (≤ 20)|title (≤ 32)|||

  The three last fields are the recommendation's reserves, empty here. Whole string at
  most 160 characters; QR error level L; UTF-8.
- **EPC QR** (European Payments Council, EPC069-12 v2.1), a SEPA credit transfer in EUR:
  twelve lines ``BCD / 002 / 1 (UTF-8) / SCT / BIC / name / IBAN / EUR<amount> /
  purpose / reference / remittance text`` (trailing empty lines dropped), at most 331
  bytes, QR error level M, version ≤ 13.

Everything here is pure: values in, text or a matrix of modules out. Bad input raises a
``ValueError`` whose text starts with the parameter's name (``account: …``, ``nip: …``,
``amount: …``), so that a caller can say which setting or figure to correct.

Texts longer than a field are **shortened, never refused** (the printed letter carries
the full name and title; the code's copies only prefill the banking app's form): first
every character a banking app might not take is replaced by a space (see
:func:`clean_text`), then the text is cut to the field's length in *characters* (not
bytes: a Polish letter is never cut in half). A name is cut exactly at its limit
(``Rachmistrz Sp. z o.o.`` → ``Rachmistrz Sp. z o.o``: its first 20 characters, as
Comarch Optima and the public implementations do); a title or remittance text at the
last space or ``,`` within the limit when there is one in its second half (a document
number such as ``FV/101/2026`` is then kept whole or left out, never cut), else
exactly at the limit.
:func:`title_for_documents` builds a title of as many whole document numbers as fit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

import segno
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError
from stdnum.pl import nip as stdnum_nip

PaymentCodeKind = Literal["zbp", "epc"]

#: ZBP 2D field widths and the whole string's limit (docs/letters.md §1, "The payload").
ZBP_NAME_LENGTH = 20
ZBP_TITLE_LENGTH = 32
ZBP_MAX_LENGTH = 160
#: Six digits of grosze, zero-padded; a larger amount takes more digits, as three of the
#: four public implementations do (docs/letters.md "Amounts over 9 999,99 zł"): the
#: recommendation's own text was not available, and refusing every debt of 10 000 zł or
#: more (common for our users) would be worse than the majority's reading. The ceiling
#: is the widest any of them allows (Orlowski's ``MAX_AMOUNT_LEN = 10``): 99 999 999,99
#: zł. The whole string stays far below 160 characters either way (our reserves are
#: empty), so nothing else is shortened for it.
ZBP_AMOUNT_DIGITS = 6
ZBP_MAX_AMOUNT_DIGITS = 10

#: EPC069-12 v2.1 limits (docs/letters.md §2).
EPC_NAME_LENGTH = 70
EPC_REMITTANCE_LENGTH = 140
EPC_MAX_BYTES = 331
EPC_MAX_VERSION = 13
EPC_MAX_AMOUNT = Decimal("999999999.99")

#: The QR error correction level of each kind: L for ZBP (the recommendation), M for EPC.
ERROR_LEVEL: dict[PaymentCodeKind, str] = {"zbp": "L", "epc": "M"}

# Characters besides letters, digits and the space that a code's text keeps: those both
# the PHP (IonBazan) and the Python (Karolsoon) implementations let through
# (docs/letters.md "Characters and lengths"). ``|``, the ZBP separator, is never one.
_KEPT_PUNCTUATION = frozenset(".,-/&_#")
_SPACES = re.compile(r"\s+")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
_GROSZ = Decimal("0.01")


def clean_text(text: str) -> str:
    """``text`` with every character a banking app may not take replaced by a space:
    only Latin letters (Polish ones included), digits 0-9, the space and ``. , - / & _ #``
    are kept; spaces are collapsed and the ends stripped.
    ``Zakład „Rachmistrz” | Łódź`` → ``Zakład Rachmistrz Łódź``."""
    kept = [ch if _kept(ch) else " " for ch in unicodedata.normalize("NFC", text)]
    return _SPACES.sub(" ", "".join(kept)).strip()


def _kept(ch: str) -> bool:
    if ch in "0123456789 " or ch in _KEPT_PUNCTUATION:
        return True
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN ")


def shorten(text: str, limit: int, *, at_word: bool = True) -> str:
    """``text`` cut to at most ``limit`` characters; with ``at_word``, at the last space
    or comma within the limit when that keeps at least half of it (so a document number
    is not cut in half), else exactly at the limit; trailing separators are dropped."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = max(head.rfind(" "), head.rfind(",")) if at_word else -1
    head = head[:cut] if cut >= limit // 2 else text[:limit]
    return head.rstrip(" ,-/&")


def title_for_documents(numbers: Sequence[str], prefix: str = "",
                        limit: int = ZBP_TITLE_LENGTH) -> str:
    """A transfer title of ``prefix`` and as many whole document numbers as fit in
    ``limit`` characters, with ``+N`` for the ``N`` left out:
    ``["FV/101/2026", "FV/102/2026", "FV/103/2026"]`` → ``FV/101/2026, FV/102/2026 +1``.
    The numbers are cleaned as the code's text is (:func:`clean_text`); one number
    longer than the whole title is shortened."""
    cleaned = [c for c in (clean_text(n) for n in numbers) if c]
    lead = clean_text(prefix)
    lead = f"{lead} " if lead else ""
    if not cleaned:
        return shorten(lead.strip(), limit)
    for count in range(len(cleaned), 0, -1):
        rest = len(cleaned) - count
        title = lead + ", ".join(cleaned[:count]) + (f" +{rest}" if rest else "")
        if len(title) <= limit:
            return title
    return shorten(lead + cleaned[0], limit)


# --- checks ----------------------------------------------------------------------------


def _digits(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch != "-")


def check_nip(nip: str) -> str:
    """The NIP as 10 digits (dashes and spaces dropped), or ``ValueError('nip: …')``."""
    digits = _digits(nip or "")
    if digits.upper().startswith("PL"):
        digits = digits[2:]
    if not digits:
        raise ValueError("nip: missing; the code names the payee by its NIP")
    if not digits.isdigit() or len(digits) != 10:
        raise ValueError(f"nip: '{nip}' is not 10 digits")
    if not stdnum_nip.is_valid(digits):
        raise ValueError(f"nip: '{nip}' has a wrong check digit")
    return digits


def check_iban(account: str, field: str = "account") -> str:
    """An IBAN without spaces, upper case, its check digits verified, or
    ``ValueError(f'{field}: …')``. 26 digits alone are read as a Polish NRB (``PL`` is
    added)."""
    compact = _digits(account or "").upper()
    if not compact:
        raise ValueError(f"{field}: missing; the code needs the account to pay to")
    if compact.isdigit() and len(compact) == 26:
        compact = "PL" + compact
    try:
        return str(stdnum_iban.validate(compact))
    except ValidationError:
        raise ValueError(
            f"{field}: '{account}' is not a valid account number (IBAN or a Polish "
            "26-digit NRB): its length or check digits are wrong") from None


def check_nrb(account: str) -> str:
    """A Polish account as its 26 NRB digits (no ``PL``, no spaces), check digits
    verified, or ``ValueError('account: …')``."""
    iban = check_iban(account)
    if not iban.startswith("PL"):
        raise ValueError(f"account: '{account}' is not a Polish account (PL…); the Polish "
                         "banks' code carries only a Polish NRB")
    return iban[2:]


def _amount(amount: Decimal | int | str, field: str = "amount") -> Decimal:
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except InvalidOperation:
        raise ValueError(f"{field}: '{amount}' is not an amount") from None
    if not value.is_finite():
        raise ValueError(f"{field}: '{amount}' is not an amount")
    if value <= 0:
        raise ValueError(f"{field}: {value} — a payment code needs an amount above zero")
    if value != value.quantize(_GROSZ):
        raise ValueError(f"{field}: {value} has fractions of a grosz/cent")
    return value.quantize(_GROSZ)


# --- ZBP 2D ----------------------------------------------------------------------------


def zbp_payload(nip: str, account: str, amount: Decimal, name: str, title: str) -> str:
    """The ZBP 2D text of a transfer to the company ``nip`` (the payee, a company: its
    NIP is required), ``account`` (NRB or ``PL`` IBAN, spaces allowed), ``amount`` in
    PLN (above 0, at most 99 999 999,99; written in grosze, 6 digits zero-padded, more
    digits above 9 999,99 — see ``ZBP_AMOUNT_DIGITS``), the payee's ``name`` (its
    first 20 characters) and the ``title`` (cut to 32 at a word; see the module's text).

    >>> zbp_payload("6762451230", "PL61 1090 1014 0000 0712 1981 2874",
    ...             Decimal("1234.56"), "Nasza Firma", "FV/101/2026")
    '6762451230|PL|61109010140000071219812874|123456|Nasza Firma|FV/101/2026|||'
    """
    digits = check_nip(nip)
    nrb = check_nrb(account)
    grosze = int(_amount(amount) * 100)
    amount_text = f"{grosze:0{ZBP_AMOUNT_DIGITS}d}"
    if len(amount_text) > ZBP_MAX_AMOUNT_DIGITS:
        raise ValueError(f"amount: {amount} is above 99 999 999,99 zł, the most a payment "
                         "code can carry")
    short_name = shorten(clean_text(name), ZBP_NAME_LENGTH, at_word=False)
    if not short_name:
        raise ValueError("name: missing; the code names the payee")
    short_title = shorten(clean_text(title), ZBP_TITLE_LENGTH)
    if not short_title:
        raise ValueError("title: missing; the code needs a transfer title")
    payload = "|".join((digits, "PL", nrb, amount_text, short_name, short_title, "", "", ""))
    assert len(payload) <= ZBP_MAX_LENGTH, payload  # 98 + at most 10 digits
    return payload


# --- EPC (SEPA) ------------------------------------------------------------------------


def epc_payload(name: str, iban: str, amount: Decimal, remittance: str,
                bic: str = "") -> str:
    """The EPC QR text (version 002, UTF-8, SEPA credit transfer) of ``amount`` EUR
    (0.01 … 999 999 999.99, written with two decimals: ``EUR1234.50``) to ``name`` (cut
    to 70 characters) at ``iban`` (check digits verified), with the unstructured
    ``remittance`` text (cut to 140 characters, and further if the whole would pass 331
    bytes — Polish letters take two bytes each). ``bic`` is optional in version 002
    (8 or 11 characters when given)."""
    account = check_iban(iban, "iban")
    value = _amount(amount)
    if value > EPC_MAX_AMOUNT:
        raise ValueError(f"amount: {value} is above 999 999 999.99 EUR, the most an EPC "
                         "code can carry")
    code = _digits(bic or "").upper()
    if code and not _BIC.match(code):
        raise ValueError(f"bic: '{bic}' is not a BIC (8 or 11 letters and digits)")
    payee = shorten(clean_text(name), EPC_NAME_LENGTH, at_word=False)
    if not payee:
        raise ValueError("name: missing; the code names the payee")
    text = shorten(clean_text(remittance), EPC_REMITTANCE_LENGTH)

    def build(words: str) -> str:
        lines = ["BCD", "002", "1", "SCT", code, payee, account, f"EUR{value:.2f}", "", "",
                 words]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines)

    payload = build(text)
    while len(payload.encode("utf-8")) > EPC_MAX_BYTES and text:
        text = shorten(text, len(text) - 1)
        payload = build(text)
    return payload


# --- the symbol ------------------------------------------------------------------------


@dataclass(frozen=True)
class QrSymbol:
    """What a letter draws: ``rows`` of dark (True) and light modules, without the
    quiet zone (the drawer leaves ``QUIET_ZONE`` light modules around it), the QR
    ``version`` and ``error`` level."""

    rows: tuple[tuple[bool, ...], ...]
    version: int
    error: str

    QUIET_ZONE = 4  # modules on each side (ISO 18004; docs/letters.md "Quiet zone and size")

    @property
    def size(self) -> int:
        """Modules on a side, without the quiet zone."""
        return len(self.rows)

    def dark_runs(self) -> list[tuple[int, int, int]]:
        """``(row, first column, length)`` of every horizontal run of dark modules: one
        rectangle each in the PDF (about half as many as one per dark module)."""
        runs = []
        for r, row in enumerate(self.rows):
            start = None
            for c, dark in enumerate((*row, False)):
                if dark and start is None:
                    start = c
                elif not dark and start is not None:
                    runs.append((r, start, c - start))
                    start = None
        return runs


def _encode(payload: str, kind: PaymentCodeKind, mask: int | None = None) -> segno.QRCode:
    """The QR code of ``payload`` (see :func:`qr_symbol`), refused beyond the kind's
    limits; ``mask`` fixed, or None for the one the standard's rules choose."""
    if kind not in ERROR_LEVEL:
        raise ValueError(f"kind: '{kind}' is not a payment code kind (zbp or epc)")
    data = payload.encode("utf-8")
    if kind == "zbp" and len(payload) > ZBP_MAX_LENGTH:
        raise ValueError(f"payload: {len(payload)} characters; a ZBP code holds 160")
    if kind == "epc" and len(data) > EPC_MAX_BYTES:
        raise ValueError(f"payload: {len(data)} bytes; an EPC code holds 331")
    qr = segno.make_qr(data, error=ERROR_LEVEL[kind], boost_error=False, mask=mask)
    version = int(qr.version)
    if kind == "epc" and version > EPC_MAX_VERSION:
        raise ValueError(f"payload: QR version {version}; an EPC code may be at most 13")
    return qr


def check_qr(payload: str, kind: PaymentCodeKind) -> None:
    """Whether ``payload`` makes a payment code (ValueError with the reason if not),
    without choosing the mask: the size and version do not depend on it, and choosing
    it is most of an encoding's time (segno tries all eight). Checking a batch of
    letters thus costs a fraction of drawing their codes."""
    _encode(payload, kind, mask=0)


@lru_cache(maxsize=16)
def qr_symbol(payload: str, kind: PaymentCodeKind) -> QrSymbol:
    """The QR symbol of ``payload`` at the ``kind``'s error level: always a full QR (never
    Micro QR, which banking apps do not read), the text as UTF-8 bytes, the level not
    raised by segno (``boost_error=False``), no ECI (docs/letters.md §3, segno), the mask
    the standard's rules choose.

    Remembered for the last few payloads: a letter drawn twice (a reprint) asks for the
    same symbol, and segno takes ~6 ms to choose its mask."""
    qr = _encode(payload, kind)
    version = int(qr.version)
    rows = tuple(tuple(bool(v & 1) for v in row) for row in qr.matrix)
    return QrSymbol(rows=rows, version=version, error=str(qr.error).upper())
