"""An agency's commission table and the commission for one case (SPEC §8 step 4).

Pure code: no database, no clock, no I/O. Money is ``Decimal`` in PLN, never float, and
the fee is rounded half-up to the grosz like every other amount in the program.

The table, per agency, is data (``CommissionTable.from_dict`` reads the ``commission``
object of an agency file)::

    {"currency": "PLN",
     "amount_limits": ["10000.00", "50000.00"],      # PLN, upper limits, inclusive
     "days_limits": [30, 180, 365],                   # days overdue, upper limits, inclusive
     "rates": [[6, 8, 10, 12],                        # % — one row per amount band,
               [4, 6, 8, 10],                         #     one column per days band
               [2, 4, 6, 8]],
     "minimum_fee": "50.00",
     "age_rule": {"after_days": 730, "rate": 18}}     # optional

Boundaries — every limit is an *inclusive upper* limit, and the band after the last limit
is open-ended:

* amount: exactly 10,000.00 PLN is in "up to 10,000.00"; 10,000.01 is in the next band.
  Amounts and limits are whole grosze, so no amount falls between two bands.
* days overdue of the *oldest* receivable of the case: exactly 30 days is in "up to 30";
  31 is in "31–180"; 366 is in "over 365".
* the age rule: "past 730 days" means *more than* 730 — 730 days keeps the table's cell,
  731 days takes the age rate, and then for the *whole* case, whatever its amount band.
* the minimum fee: the commission is ``max(rate × amount, minimum)``, so when the rate
  gives less than the minimum (a small case), the minimum is charged — even when the
  minimum is more than the amount itself; whether the case is worth handing over is the
  user's call, and the screen shows the figure before anything is sent.

Whether the fee is payable at all (only if the money is recovered) is not decided here:
this module says how much, the screen and the case say when.

Rates do not have to grow with age or fall with amount — agencies publish what they
publish — but the age rule is by definition a *higher* rate: it must not be lower than
any cell it replaces, otherwise an older debt would cost less than a younger one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..models.money import CENT, format_amount, round_money

HUNDRED = Decimal(100)
CURRENCY = "PLN"

_KEYS = {"currency", "amount_limits", "days_limits", "rates", "minimum_fee", "age_rule"}
_AGE_KEYS = {"after_days", "rate"}


class CommissionTableError(ValueError):
    """A commission table that cannot be used; the message names what is wrong and where."""


@dataclass(frozen=True)
class AgeRule:
    """One rate for the whole case once the oldest receivable is more than ``after_days``
    overdue."""

    after_days: int
    rate: Decimal


@dataclass(frozen=True)
class CommissionTable:
    """Percentages by amount band × days-overdue band, a minimum fee and an age rule.

    ``rates[a][d]`` is the percentage for amount band ``a`` and days band ``d``; there is one
    band more than limits on each axis (the last is open-ended).
    """

    amount_limits: tuple[Decimal, ...]
    days_limits: tuple[int, ...]
    rates: tuple[tuple[Decimal, ...], ...]
    minimum_fee: Decimal
    age_rule: AgeRule | None = None

    def __post_init__(self) -> None:
        # Checked here, not only in from_dict, so a table built in code is held to the
        # same rules as one read from a file.
        _check_table(self)

    # --- reading and writing -------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CommissionTable:
        """The table from a plain dict as loaded from JSON; CommissionTableError if unusable.

        Amounts and rates may be strings ("10000.00"), integers or Decimals (a file read
        with ``parse_float=Decimal``); plain floats are refused, because a float has
        already lost the exact value the agency published.
        """
        if not isinstance(data, Mapping):
            raise CommissionTableError(
                f"the commission table must be an object, not {type(data).__name__}")
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise CommissionTableError(
                f"unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
        for key in ("amount_limits", "days_limits", "rates", "minimum_fee"):
            if key not in data:
                raise CommissionTableError(f"{key} is missing")
        currency = data.get("currency", CURRENCY)
        if currency != CURRENCY:
            raise CommissionTableError(
                f"currency: only {CURRENCY} tables are supported, not {currency!r}")

        amount_limits = tuple(
            _decimal(value, f"amount_limits[{i}]")
            for i, value in enumerate(_list(data["amount_limits"], "amount_limits")))
        days_limits = tuple(
            _integer(value, f"days_limits[{i}]")
            for i, value in enumerate(_list(data["days_limits"], "days_limits")))
        rows = _list(data["rates"], "rates")
        rates = tuple(
            tuple(_decimal(value, f"rates[{a}][{d}]")
                  for d, value in enumerate(_list(row, f"rates[{a}]")))
            for a, row in enumerate(rows))
        minimum_fee = _decimal(data["minimum_fee"], "minimum_fee")

        age_rule = None
        raw_age = data.get("age_rule")
        if raw_age is not None:
            if not isinstance(raw_age, Mapping):
                raise CommissionTableError("age_rule must be an object with after_days and rate")
            unknown = sorted(set(raw_age) - _AGE_KEYS)
            if unknown:
                raise CommissionTableError(f"age_rule: unknown key(s) {', '.join(unknown)}")
            for key in ("after_days", "rate"):
                if key not in raw_age:
                    raise CommissionTableError(f"age_rule.{key} is missing")
            age_rule = AgeRule(after_days=_integer(raw_age["after_days"], "age_rule.after_days"),
                               rate=_decimal(raw_age["rate"], "age_rule.rate"))

        return cls(amount_limits=amount_limits, days_limits=days_limits, rates=rates,
                   minimum_fee=minimum_fee, age_rule=age_rule)

    def to_dict(self) -> dict[str, Any]:
        """The table as JSON-ready data (decimals as strings), the inverse of ``from_dict`` —
        for keeping with a case the exact table its commission was worked out from."""
        data: dict[str, Any] = {
            "currency": CURRENCY,
            "amount_limits": [str(limit) for limit in self.amount_limits],
            "days_limits": list(self.days_limits),
            "rates": [[str(rate) for rate in row] for row in self.rates],
            "minimum_fee": str(self.minimum_fee),
        }
        if self.age_rule is not None:
            data["age_rule"] = {"after_days": self.age_rule.after_days,
                                "rate": str(self.age_rule.rate)}
        return data

    # --- looking up ------------------------------------------------------------------

    def amount_band(self, amount: Decimal) -> int:
        """Index of the amount band: the first limit the amount does not exceed."""
        return _band(amount, self.amount_limits)

    def days_band(self, days: int) -> int:
        """Index of the days band: the first limit the days do not exceed."""
        return _band(days, self.days_limits)

    @property
    def max_rate(self) -> Decimal:
        """The highest percentage the table can charge (the age rate included)."""
        highest = max(rate for row in self.rates for rate in row)
        if self.age_rule is not None:
            highest = max(highest, self.age_rule.rate)
        return highest

    def amount_band_labels(self, language: str = "en") -> list[str]:
        """Row headings for the screen: "up to 10,000.00 PLN", "10,000.01–50,000.00 PLN"..."""
        labels = []
        for i, limit in enumerate(self.amount_limits):
            if i == 0:
                labels.append(_words(language, "do {0}", "up to {0}").format(
                    _money(limit, language)))
            else:
                lower = self.amount_limits[i - 1] + CENT
                labels.append(f"{_money(lower, language, currency='')}–{_money(limit, language)}")
        if self.amount_limits:
            labels.append(_words(language, "powyżej {0}", "over {0}").format(
                _money(self.amount_limits[-1], language)))
        else:
            labels.append(_words(language, "każda kwota", "any amount"))
        return labels

    def days_band_labels(self, language: str = "en") -> list[str]:
        """Column headings for the screen: "up to 30 days", "31–180 days", "over 365 days"."""
        days = _words(language, "dni", "days")
        labels = []
        for i, limit in enumerate(self.days_limits):
            if i == 0:
                labels.append(_words(language, "do {0} {1}", "up to {0} {1}").format(limit, days))
            else:
                labels.append(f"{self.days_limits[i - 1] + 1}–{limit} {days}")
        if self.days_limits:
            labels.append(_words(language, "powyżej {0} {1}", "over {0} {1}").format(
                self.days_limits[-1], days))
        else:
            labels.append(_words(language, "dowolnie długo", "any age"))
        return labels


@dataclass(frozen=True)
class Commission:
    """The commission for one case, and why it is that much."""

    amount: Decimal
    """The fee in PLN: ``max(by_rate, minimum_fee)``."""
    rate: Decimal
    """The percentage applied (the table's cell, or the age rate)."""
    base: Decimal
    """The amount handed over, which the rate is applied to."""
    days_overdue_oldest: int
    by_rate: Decimal
    """``rate × base``, rounded half-up to the grosz."""
    minimum_applied: bool
    age_rule_applied: bool
    amount_band: int
    days_band: int
    table: CommissionTable = field(repr=False, compare=False)

    @property
    def basis(self) -> str:
        """One line in English on which rule gave the figure."""
        return self.describe("en")

    def describe(self, language: str = "en") -> str:
        """One line on which rule gave the figure, in Polish (``"pl"``) or English."""
        pl = language == "pl"
        table = self.table
        percent = _percent(self.rate, language)
        base = _money(self.base, language)
        if self.age_rule_applied:
            assert table.age_rule is not None  # age_rule_applied is only set when there is one
            why = (f"najstarsza należność przeterminowana {self.days_overdue_oldest} dni, "
                   f"ponad {table.age_rule.after_days}: stawka dla całej sprawy" if pl else
                   f"oldest receivable {self.days_overdue_oldest} days overdue, more than "
                   f"{table.age_rule.after_days}: one rate for the whole case")
        else:
            # An axis without limits has one band, which explains nothing: leave it out.
            parts = []
            if table.amount_limits:
                label = table.amount_band_labels(language)[self.amount_band]
                parts.append(f"kwota {label}" if pl else f"amount {label}")
            if table.days_limits:
                label = table.days_band_labels(language)[self.days_band]
                parts.append(f"najstarsza należność przeterminowana {label}" if pl else
                             f"oldest receivable {label} overdue")
            why = ", ".join(parts) or ("stała stawka" if pl else "flat rate")
        if self.minimum_applied:
            return (f"opłata minimalna {_money(self.amount, language)} "
                    f"({percent} od {base} to {_money(self.by_rate, language)}; {why})"
                    if pl else
                    f"minimum fee {_money(self.amount, language)} "
                    f"({percent} of {base} is {_money(self.by_rate, language)}; {why})")
        return (f"{percent} od {base} ({why})" if pl else f"{percent} of {base} ({why})")


def commission(table: CommissionTable, amount: Decimal, days_overdue_oldest: int) -> Commission:
    """The commission for a case of ``amount`` PLN whose oldest receivable is
    ``days_overdue_oldest`` days overdue (see the module docstring for the boundaries)."""
    if not isinstance(amount, Decimal):
        # A float would carry binary noise into a fee the user is asked to agree to.
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}")
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"amount must be a positive amount of PLN, not {amount}")
    if not _whole_grosze(amount):
        raise ValueError(
            f"amount {amount} is not in whole grosze (two decimal places at most)")
    if isinstance(days_overdue_oldest, bool) or not isinstance(days_overdue_oldest, int):
        raise TypeError(f"days_overdue_oldest must be an int, not {days_overdue_oldest!r}")
    if days_overdue_oldest < 0:
        raise ValueError(f"days_overdue_oldest cannot be negative ({days_overdue_oldest})")

    amount_band = table.amount_band(amount)
    days_band = table.days_band(days_overdue_oldest)
    rate = table.rates[amount_band][days_band]
    age = table.age_rule
    age_rule_applied = age is not None and days_overdue_oldest > age.after_days
    if age_rule_applied:
        assert age is not None
        rate = age.rate
    by_rate = round_money(amount * rate / HUNDRED)
    minimum_applied = by_rate < table.minimum_fee
    return Commission(
        amount=table.minimum_fee if minimum_applied else by_rate,
        rate=rate,
        base=amount,
        days_overdue_oldest=days_overdue_oldest,
        by_rate=by_rate,
        minimum_applied=minimum_applied,
        age_rule_applied=age_rule_applied,
        amount_band=amount_band,
        days_band=days_band,
        table=table,
    )


# --- validation ----------------------------------------------------------------------


def _check_table(table: CommissionTable) -> None:
    _check_limits(table)
    _check_rates_grid(table)
    _check_money(table.minimum_fee, "minimum_fee")
    if table.minimum_fee < 0:
        raise CommissionTableError(f"minimum_fee cannot be negative ({table.minimum_fee})")
    if table.age_rule is not None:
        _check_age_rule(table, table.age_rule)


def _check_limits(table: CommissionTable) -> None:
    """The amount limits (money, more than 0) and the days limits, each ascending."""
    for i, limit in enumerate(table.amount_limits):
        _check_money(limit, f"amount_limits[{i}]")
        if limit <= 0:
            raise CommissionTableError(f"amount_limits[{i}] must be more than 0, not {limit}")
    _check_ascending(table.amount_limits, "amount_limits")
    for i, days in enumerate(table.days_limits):
        _check_days(days, f"days_limits[{i}]")
    _check_ascending(table.days_limits, "days_limits")


def _check_rates_grid(table: CommissionTable) -> None:
    """A rate for every cell: one row per amount band, one column per days band."""
    rows_wanted = len(table.amount_limits) + 1
    columns_wanted = len(table.days_limits) + 1
    if len(table.rates) != rows_wanted:
        raise CommissionTableError(
            f"rates has {len(table.rates)} row(s) but the {len(table.amount_limits)} amount "
            f"limit(s) make {rows_wanted} amount bands: one row of rates per amount band")
    for a, row in enumerate(table.rates):
        if len(row) != columns_wanted:
            raise CommissionTableError(
                f"rates[{a}] has {len(row)} rate(s) but the {len(table.days_limits)} days "
                f"limit(s) make {columns_wanted} days bands: a rate for every cell")
        for d, rate in enumerate(row):
            _check_rate(rate, f"rates[{a}][{d}]")


def _check_age_rule(table: CommissionTable, age: AgeRule) -> None:
    """The age rule's days and rate; its rate may not be lower than a cell it replaces."""
    _check_days(age.after_days, "age_rule.after_days")
    _check_rate(age.rate, "age_rule.rate")
    # The age rule replaces every cell of a days band that reaches past after_days.
    for d in range(len(table.days_limits) + 1):
        band_end = table.days_limits[d] if d < len(table.days_limits) else None
        if band_end is not None and band_end <= age.after_days:
            continue
        for a, row in enumerate(table.rates):
            if row[d] > age.rate:
                raise CommissionTableError(
                    f"age_rule.rate {age.rate}% is lower than rates[{a}][{d}] {row[d]}% "
                    f"it replaces past {age.after_days} days; the age rate must be higher")


def _check_money(value: object, where: str) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise CommissionTableError(f"{where} must be a Decimal amount, not {value!r}")
    if not _whole_grosze(value):
        raise CommissionTableError(
            f"{where} {value} is not in whole grosze (two decimal places at most)")


def _whole_grosze(value: Decimal) -> bool:
    try:
        return value == value.quantize(CENT)
    except InvalidOperation:  # too many digits to quantize: far beyond any real amount
        return False


def _check_rate(value: object, where: str) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise CommissionTableError(f"{where} must be a Decimal percentage, not {value!r}")
    if not 0 <= value <= HUNDRED:
        raise CommissionTableError(f"{where} {value}% is outside 0–100")


def _check_days(value: object, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CommissionTableError(f"{where} must be a whole number of days, not {value!r}")
    if value < 0:
        raise CommissionTableError(f"{where} cannot be negative ({value})")


def _check_ascending(limits: Sequence[Decimal] | Sequence[int], where: str) -> None:
    for i in range(1, len(limits)):
        if limits[i] <= limits[i - 1]:
            raise CommissionTableError(
                f"{where} must be in ascending order: [{i}] {limits[i]} is not more than "
                f"[{i - 1}] {limits[i - 1]}")


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise CommissionTableError(f"{where} must be a list, not {type(value).__name__}")
    return list(value)


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, bool):
        raise CommissionTableError(f"{where} must be a number, not {value!r}")
    if isinstance(value, float):
        raise CommissionTableError(
            f"{where}: {value!r} must be written as a string (\"12.5\") or an integer — "
            f"a float has lost the exact value")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise CommissionTableError(f"{where}: {value!r} is not a number") from None
        if not number.is_finite():
            raise CommissionTableError(f"{where}: {value!r} is not a number")
        return number
    raise CommissionTableError(f"{where} must be a number, not {type(value).__name__}")


def _integer(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CommissionTableError(f"{where} must be a whole number of days, not {value!r}")
    return value


# --- wording -------------------------------------------------------------------------


def _band(value: Decimal | int, limits: Sequence[Decimal | int]) -> int:
    for i, limit in enumerate(limits):
        if value <= limit:
            return i
    return len(limits)


def _words(language: str, polish: str, english: str) -> str:
    return polish if language == "pl" else english


def _money(value: Decimal, language: str, currency: str = CURRENCY) -> str:
    """Polish ``10 000,00 PLN``; English ``10,000.00 PLN`` (as dunning.wording does)."""
    if language == "pl":
        return format_amount(value, currency)
    return f"{value:,.2f} {currency}".rstrip()


def _percent(rate: Decimal, language: str) -> str:
    """``12%``, ``12.5%`` — no trailing zeros, and never ``1E+1%`` for ten."""
    text = f"{rate.normalize():f}"
    return f"{text.replace('.', ',') if language == 'pl' else text}%"
