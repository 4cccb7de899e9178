"""Dates and amounts as the screens show them: ``23.11.2026`` and ``1 234,56`` in Polish,
``1,234.56`` in English (dates keep the Polish order in both: the documents are Polish)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..ledger.names import amount_text, day_text, moment_text
from ..models.money import format_rate
from .i18n import language


def day(value: dt.date | None) -> str:
    return day_text(value)


def short_day(value: dt.date | None) -> str:
    return value.strftime("%d.%m") if value else ""


def moment(value: dt.datetime | None) -> str:
    return value.strftime("%d.%m.%Y %H:%M") if value else ""


def local_moment(utc: dt.datetime, timezone: dt.tzinfo) -> str:
    """A stored UTC timestamp (naive) in the company's time zone."""
    return moment_text(utc, timezone)


def money(value: Decimal, currency: str = "") -> str:
    """In the interface language (``ledger.names.amount_text``, which every output uses)."""
    return amount_text(value, currency)


def rate_text(value: Decimal) -> str:
    """A rate or percentage with all its places: ``4,2000`` in Polish, ``4.2000`` in
    English."""
    return format_rate(value, language())


def editable_money(value: Decimal) -> str:
    """An amount as typed into a field (no grouping), in the language's decimal mark."""
    text = f"{value:.2f}"
    return text.replace(".", ",") if language() == "pl" else text
