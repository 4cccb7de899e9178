"""How many decimal places an exact number is written with: the one reading of
``Decimal.as_tuple().exponent`` the rate checks share (its exponent is a letter, not a
number, for NaN and infinity, which each caller has already refused or cannot be given)."""

from __future__ import annotations

from decimal import Decimal


def decimal_places(number: Decimal) -> int:
    """``Decimal("4.2130")`` → 4, ``Decimal("13")`` → 0, ``Decimal("1E+2")`` → 0."""
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"{number} is not a finite number")
    return max(0, -exponent)
