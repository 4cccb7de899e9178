"""The bank credits waiting for a person (Statements screen): unsure matches first, then
unmatched ones, newest first, a page at a time. What the person decides about one is
``banking/credits.py``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import fn

from ..models import LineStatus, StatementLine
from ..models.money import from_grosze
from ..models.sql import as_required_date, tuple_rows
from .paging import ChainedSource, KeysetWindow, Listing


@dataclass(frozen=True)
class LineRow:
    id: int
    booked_on: dt.date
    amount: Decimal
    currency: str
    payer_name: str
    title: str
    status: str
    reason: str


def _line_row(values: tuple) -> LineRow:
    id_, booked_on, amount, currency, payer, title, status, reason = values
    return LineRow(id_, as_required_date(booked_on), from_grosze(amount), currency, payer or "",
                   title or "", status, reason or "")


def _pending_listing(status: str) -> Listing[LineRow]:
    return Listing(
        columns="id, booked_on, amount, currency, payer_name, title, status, reason",
        tables="statement_line",
        order=("booked_on", "id"),
        make_row=_line_row,
        key_of=lambda row: (row.booked_on, row.id),
        where="status = ?",
        params=(status,),
        descending=True,
    )


def pending_source() -> ChainedSource[LineRow]:
    """Unsure credits (newest first), then unmatched ones; call ``load()``."""
    return ChainedSource([KeysetWindow(_pending_listing(s)) for s in LineStatus.PENDING])


def pending_counts() -> dict[str, int]:
    rows = tuple_rows(StatementLine.select(StatementLine.status, fn.COUNT(StatementLine.id))
                      .where(StatementLine.status.in_(LineStatus.PENDING))
                      .group_by(StatementLine.status))
    return dict(rows)
