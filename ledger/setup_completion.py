"""Completing the setup wizard (SPEC §2): the rules a complete set-up must meet, the
unpaid documents the summary counts, and the one write that switches collection on.

Decisions written down:

* A set-up is complete only with the sender identity a letter cannot go without: the
  company's name, its bank account (a demand asks for payment to it) and the sender's
  e-mail address. The address and NIP are asked for too, but a sole trader's letters
  may go without a NIP, so they are optional. With the report consent on, the user's
  address for the report is required.
* The summary's question concerns the unpaid documents issued before today that are not
  under collection yet: on a first set-up that is every one of them (documents created
  while the module was off start with the flag off); on a later run of the wizard the
  ones someone already switched on are not counted again.
* Settings are saved before the documents are switched, so that a switch cut short (it
  runs in chunks, see ``actions.set_subject_to_collection``) leaves collection on and a
  second run of the wizard, or ``flag on --all-unpaid``, finishes the job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..models import database
from ..models.db import is_sqlite
from .actions import set_subject_to_collection
from .clock import Clock, utc_now_naive
from .settings import (
    CollectionSettings,
    SettingsError,
    SettingsValidationError,
    parse_changes,
    save_settings,
)
from .validation import parse_bool

#: Keys a complete set-up must have a value for, whatever else it says.
REQUIRED_KEYS = ("company.name", "company.bank_account", "sender.email")

# The WHERE clause of migration 0002's partial indexes, word for word: SQLite uses a
# partial index only when the query repeats its condition literally.
_UNPAID = "outstanding > 0"


@dataclass(frozen=True)
class UnpaidCounts:
    """``unpaid``: every unpaid document; ``earlier_off``: those issued before today
    that are not under collection (the summary's question)."""

    unpaid: int
    earlier_off: int


@dataclass(frozen=True)
class SetupResult:
    settings: CollectionSettings
    switched_on: int


def _date_param(day: dt.date) -> str | dt.date:
    return day.isoformat() if is_sqlite() else day


def _sql(statement: str) -> str:
    return statement.replace("%s", database.obj.param)


def unpaid_counts(today: dt.date) -> UnpaidCounts:
    """Both counts in SQL: the first walks ``document_unpaid_issue``'s partial index."""
    unpaid = database.execute_sql(f"SELECT COUNT(*) FROM document WHERE {_UNPAID}").fetchone()[0]
    earlier_off = database.execute_sql(
        _sql(
            f"SELECT COUNT(*) FROM document WHERE {_UNPAID} AND issue_date < %s "
            "AND NOT subject_to_collection"
        ),
        [_date_param(today)],
    ).fetchone()[0]
    return UnpaidCounts(unpaid=unpaid, earlier_off=earlier_off)


def earlier_unpaid_off_ids(today: dt.date) -> list[int]:
    """Ids of unpaid documents issued before ``today`` with the flag off, in one query
    over the ``(issue_date, id) WHERE outstanding > 0`` index."""
    cursor = database.execute_sql(
        _sql(
            f"SELECT id FROM document WHERE {_UNPAID} AND issue_date < %s "
            "AND NOT subject_to_collection ORDER BY issue_date, id"
        ),
        [_date_param(today)],
    )
    return [row[0] for row in cursor.fetchall()]


def completeness_problems(raw: Mapping[str, str], complete: bool = True) -> list[SettingsError]:
    """What a complete set-up lacks, per key, besides what each key's parser says.

    ``complete``: whether the sender identity must be there (collection is, or is
    being, switched on); the report's address is needed whenever the report is on.
    """
    problems = [
        SettingsError(key, "is required")
        for key in REQUIRED_KEYS
        if complete and key in raw and not raw[key].strip()
    ]
    try:
        report_on = parse_bool(raw.get("report.enabled", "no"))
    except ValueError:
        report_on = False  # the parser reports the bad value itself
    if report_on and "report.email" in raw and not raw["report.email"].strip():
        problems.append(SettingsError("report.email", "is required for the report"))
    return problems


def check_setup(raw: Mapping[str, str], *, complete: bool = True) -> dict[str, Any]:
    """Every problem of ``raw`` together (parsers and completeness), or the parsed values.

    Only the keys present are checked, so that each step of the wizard checks its own.
    Raises ``SettingsValidationError`` listing one ``SettingsError`` per bad key.
    """
    problems = completeness_problems(raw, complete)
    try:
        parsed = parse_changes(raw)
    except SettingsValidationError as exc:
        problems = exc.problems + [p for p in problems if p.key not in
                                   {q.key for q in exc.problems}]
        raise SettingsValidationError(problems) from None
    if problems:
        raise SettingsValidationError(problems)
    return parsed


def complete_setup(
    clock: Clock, raw: Mapping[str, str], author: str, include_earlier: bool
) -> SetupResult:
    """Save the wizard's values with the module on; with ``include_earlier``, put the
    unpaid documents issued before today under collection (one event each)."""
    values = {**raw, "module.enabled": "yes"}
    for key in REQUIRED_KEYS:
        values.setdefault(key, "")
    check_setup(values)
    settings = save_settings(values, author, utc_now_naive(clock))
    switched = 0
    if include_earlier:
        ids = earlier_unpaid_off_ids(clock.today())
        switched = set_subject_to_collection(clock, settings, ids, True, author)
    return SetupResult(settings=settings, switched_on=switched)
