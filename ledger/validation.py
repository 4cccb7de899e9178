"""Checks on what people type or import: NIP and EU/UK VAT checksums and e-mail syntax,
and the limits every importer and form keeps amounts, dates, currencies, exchange rates
and one-line text within (written down at ``AMOUNT_MAX`` below: up to 9 999 999 999,99,
2000-01-01 to 2099-12-31, ISO 4217 money, rates 0.0001 to 100 000 with six places, line
breaks folded in names and refused in numbers and codes)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache

from ..i18n import language, t
from ..law.decimals import decimal_places
from .names import amount_text, day_text


def normalise_nip(text: str) -> str:
    """Ten digits with a valid checksum (``PL``, dashes and spaces are accepted)."""
    # python-stdnum and Babel are imported where a number or currency is checked: they
    # bring pydoc, ssl and locale tables, which the interface's first screen does not need
    # (the settings read back a stored NIP as it was stored, ledger/settings.py).
    from stdnum.exceptions import ValidationError
    from stdnum.pl import nip as stdnum_nip

    compact = text.strip().upper().removeprefix("PL")
    try:
        return stdnum_nip.validate(compact)
    except ValidationError:
        raise ValueError(f"NIP '{text.strip()}' is not valid (checksum or length)") from None


def normalise_vat_eu(text: str) -> str:
    """The VAT number of a company abroad, compact with its country prefix
    (``CZ 123 456 78`` → ``CZ12345678``), checked by that country's rules: an EU member
    state's by ``stdnum.eu.vat``, a UK one (``GB``, no longer in the EU) by
    ``stdnum.gb.vat``. A Polish company is refused here: it has a NIP. The field keeps its
    name ``vat_eu``; people read "EU/UK VAT number"."""
    from stdnum.eu import vat as stdnum_vat
    from stdnum.exceptions import ValidationError
    from stdnum.gb import vat as stdnum_gb_vat

    typed = text.strip()
    try:
        compact = stdnum_vat.compact(typed)
    except ValidationError:
        compact = typed.upper()
    prefix = compact[:2].lower()
    if prefix == "pl":
        raise ValueError(t("'{number}' is a Polish number: enter it as the NIP", number=typed))
    if prefix == "gb":
        try:
            return "GB" + stdnum_gb_vat.validate(compact[2:])
        except ValidationError:
            raise ValueError(t("UK VAT number '{number}' is not valid (checksum or length)",
                               number=typed)) from None
    if prefix not in stdnum_vat.MEMBER_STATES | {"el"}:  # Greece writes EL
        raise ValueError(t("EU/UK VAT number '{number}' must start with the code of an EU "
                           "country or GB (CZ, DE, LT, GB …)", number=typed))
    try:
        return stdnum_vat.validate(compact)
    except ValidationError:
        raise ValueError(t("EU VAT number '{number}' is not valid (checksum or length)",
                           number=typed)) from None


# Registered-mail numbers (issue 16, docs/registry.md §9.2): Poczta Polska's domestic
# numbers have 20 digits (the last a check digit whose rule is not published: only the
# length is checked); international ones are UPU S10 — two letters, an 8-digit serial,
# its check digit and the country, e.g. RR123456785PL.
_S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of an 8-digit serial: 11 − (weighted sum mod 11), with
    10 → 0 and 11 → 5."""
    check = 11 - sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(check, check)


def normalise_registered_number(text: str) -> str:
    """A registered letter's number as the post office prints it: 20 digits (spaces
    allowed in between), or an S10 number with a correct check digit. ValueError
    (plain English; the caller words it) otherwise."""
    compact = "".join(text.split()).upper()
    if compact.isdigit():
        if len(compact) != 20:
            raise ValueError(f"a domestic registered number has 20 digits, not {len(compact)}")
        return compact
    found = _S10.match(compact)
    if found is None:
        raise ValueError("not a registered number (20 digits, or like RR123456785PL)")
    if s10_check_digit(found[2]) != int(found[3]):
        raise ValueError(f"the check digit of {compact} is wrong")
    return compact


def validate_email(text: str) -> str:
    """The address normalised, or ValueError with the reason. No DNS look-up."""
    # Imported at the first address checked (its tables take 50 ms to build): a process
    # that checks none, such as ``--help`` or a settings-less command, does not wait.
    from email_validator import EmailNotValidError
    from email_validator import validate_email as _validate_email

    try:
        return _validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"e-mail '{text.strip()}' is not valid: {exc}") from None


# --- Limits on what is imported or typed (issue 12) ---------------------------------------
#
# Values a careful bookkeeper accepts; anything outside is a typo or a broken export and is
# refused with its line and column (an import) or next to its field (an editor):
#
# * An amount (a gross, a payment, a bank statement's entry, a minimum) is at most
#   AMOUNT_MAX, 9 999 999 999,99 in its currency: a million documents at the limit still sum
#   to less than 2⁶³ grosze, the BIGINT every SUM over money in SQL adds up on SQLite and
#   PostgreSQL (the aging report, the unpaid list's totals, copy-db's check sums).
# * A document's value in PLN (amount × its exchange rate) is at most AMOUNT_MAX too: the
#   pass compares outstanding × rate in SQL (grosze × millionths), which then stays below
#   2⁶³ (dunning/planner.py AT_LEAST).
# * A date (issue, due, payment, a bank statement's entries) lies between FIRST_DAY and
#   LAST_DAY, 2000-01-01 to 2099-12-31: the years the law tables, the holiday calendar and
#   MT940's two-digit years cover.
# * An exchange rate to PLN is between RATE_MIN and RATE_MAX (0.0001 to 100 000) with at
#   most six decimal places, as models/money.py's RateField stores it.
# * A currency is an ISO 4217 code of money that has been legal tender somewhere since
#   FIRST_DAY (Babel's territory data): XXX (no currency), XTS (testing), XAU (gold), XDR
#   and fund codes such as CLF are not money a debtor owes.
# * Text cannot hold line breaks or other control characters, which would forge lines in a
#   log or a command's output. A name, an address, a phone or a payment's reference has
#   them folded to one space (``fold_line``); an identifier — a document number, a code,
#   a NIP, an e-mail — is refused (``single_line``), as changing it would make it name
#   something else.

AMOUNT_MAX = Decimal("9999999999.99")
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)
RATE_MIN = Decimal("0.0001")
RATE_MAX = Decimal("100000")
RATE_PLACES = 6


def check_amount(value: Decimal, currency: str = "") -> Decimal:
    """``value`` when it is at most ``AMOUNT_MAX``, else ValueError saying the limit."""
    if abs(value) > AMOUNT_MAX:
        raise ValueError(t("{amount} is more than the largest amount accepted, {limit}",
                           amount=amount_text(value, currency),
                           limit=amount_text(AMOUNT_MAX, currency)))
    return value


def check_value_in_pln(amount: Decimal, rate: Decimal | None, currency: str) -> None:
    """ValueError when ``amount`` × ``rate`` is more than ``AMOUNT_MAX`` in PLN."""
    if rate is not None and abs(amount) * rate > AMOUNT_MAX:
        raise ValueError(t("{amount} at the rate {rate} is {value}, more than the largest "
                           "amount accepted, {limit}",
                           amount=amount_text(amount, currency), rate=_number(rate),
                           value=amount_text((abs(amount) * rate).quantize(Decimal("0.01")),
                                             "PLN"),
                           limit=amount_text(AMOUNT_MAX, "PLN")))


def check_day(value: dt.date) -> dt.date:
    """``value`` when it lies between ``FIRST_DAY`` and ``LAST_DAY``, else ValueError."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(t("{day} is outside the dates accepted, {first} to {last}",
                           day=day_text(value), first=day_text(FIRST_DAY),
                           last=day_text(LAST_DAY)))
    return value


def check_rate(value: Decimal) -> Decimal:
    """An exchange rate to PLN within ``RATE_MIN``–``RATE_MAX``, at most six places."""
    if decimal_places(value) > RATE_PLACES:
        raise ValueError(t("the exchange rate {rate} has more than {places} decimal places",
                           rate=_number(value), places=RATE_PLACES))
    if not RATE_MIN <= value <= RATE_MAX:
        raise ValueError(t("the exchange rate {rate} is outside the rates accepted, {low} to "
                           "{high}", rate=_number(value), low=_number(RATE_MIN),
                           high=_number(RATE_MAX)))
    return value


@cache
def currencies() -> frozenset[str]:
    """ISO 4217 codes of money that has been legal tender somewhere since ``FIRST_DAY``."""
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    territories = {place for where in get_global("all_currencies").values() for place in where}
    return frozenset(
        code for territory in territories
        for code in get_territory_currencies(territory, start_date=FIRST_DAY,
                                             end_date=LAST_DAY, tender=True)
    )


def check_currency(text: str) -> str:
    """A currency code, upper-cased (``eur`` → ``EUR``), or ValueError."""
    code = text.strip().upper()
    if code not in currencies():
        raise ValueError(t("'{code}' is not a currency (an ISO 4217 code such as PLN, EUR or "
                           "USD)", code=_shown(text.strip())))
    return code


_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def fold_line(text: str) -> str:
    """``text`` on one line: each run of line breaks and other control characters becomes
    one space, and the ends are trimmed (names, addresses, phones, references)."""
    return _BREAKS.sub(" ", text).strip()


def single_line(text: str) -> str:
    """``text`` trimmed, or ValueError when it holds a line break or another control
    character (document numbers, codes, NIPs, e-mail addresses)."""
    if _BREAKS.search(text):
        raise ValueError(t("'{value}' contains a line break or another control character",
                           value=_shown(text)))
    return text.strip()


def _number(value: Decimal) -> str:
    """A rate as written, in the reader's notation: ``4,2954`` and ``100 000`` in Polish,
    ``4.2954`` and ``100,000`` in English."""
    text = format(value, ",f")
    return text.replace(",", " ").replace(".", ",") if language() == "pl" else text


def _shown(text: str) -> str:
    """``text`` fit to quote in a one-line message: control characters as ``\\n``-style
    escapes, at most 40 characters."""
    escaped = _BREAKS.sub(lambda run: run[0].encode("unicode_escape").decode("ascii"), text)
    return escaped if len(escaped) <= 40 else escaped[:39] + "…"


_TRUE = {"1", "yes", "true", "tak", "on", "y", "t"}
_FALSE = {"0", "no", "false", "nie", "off", "n", "f"}


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"'{text}' is not yes/no (use 1/0, yes/no, true/false, tak/nie)")
