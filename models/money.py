"""Exact money: integer grosze in the database, ``Decimal`` in Python.

Peewee's DecimalField is stored as REAL on SQLite (a sum came back as
1.9999999999999998), so every amount is a ``MoneyField``: a BIGINT of minor units
that reads back as a two-place ``Decimal``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from peewee import BigIntegerField

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class MoneyError(ValueError):
    """An amount that cannot be read as money."""


def to_grosze(amount: Decimal | int | str) -> int:
    """Minor units of an amount; refuses fractions of a grosz instead of rounding silently."""
    value = Decimal(amount) if not isinstance(amount, Decimal) else amount
    if value != value.quantize(CENT):
        raise MoneyError(f"{amount} has more than two decimal places")
    return int(value * 100)


def from_grosze(grosze: int) -> Decimal:
    return (Decimal(grosze) / 100).quantize(CENT)


def round_money(value: Decimal) -> Decimal:
    """Round half-up to the grosz, the way invoices and demands are rounded."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


_AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")


def parse_amount(text: str) -> Decimal:
    """Read ``1234.56``, ``1234,56``, ``1 234,56`` (also with a no-break space)."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not _AMOUNT.match(cleaned):
        raise MoneyError(f"'{text}' is not an amount (use 1234.56 or 1 234,56)")
    try:
        return Decimal(cleaned).quantize(CENT)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise MoneyError(f"'{text}' is not an amount") from exc


def format_amount(value: Decimal, currency: str = "PLN") -> str:
    """``1 234,56 PLN`` — Polish grouping with a no-break-free plain space."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{' '.join(groups)},{fraction} {currency}".rstrip()


def format_rate(value: Decimal, language: str = "pl") -> str:
    """A rate or a percentage as written (``4,2000``, ``14,00``): all its places, with the
    decimal comma in Polish text and the point in English."""
    text = format(value, "f")
    return text.replace(".", ",") if language == "pl" else text


class MoneyField(BigIntegerField):
    """Stores a Decimal amount as integer grosze."""

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return to_grosze(Decimal(value))

    def python_value(self, value):
        if value is None:
            return None
        return from_grosze(int(value))


class RateField(BigIntegerField):
    """An exchange rate to PLN with up to six decimal places, stored as millionths."""

    SCALE = Decimal("0.000001")

    def db_value(self, value):
        if value is None:
            return None
        return int(Decimal(value).quantize(self.SCALE) * 1_000_000)

    def python_value(self, value):
        if value is None:
            return None
        return (Decimal(int(value)) / 1_000_000).quantize(self.SCALE).normalize()
