"""What the templates editor (Settings → Templates) shows beside the source: a context
built from a real document for the live preview, and the variables a template may use.

The preview document is chosen the way the message would find one: an overdue unpaid
document for a demand, one falling due for a reminder, one whose collection ended for
a report; any document when there is none of that kind, and the sample context
(``views.sample_context``) on an empty ledger. Each choice is one indexed query
(migration 0002's ``(column, id) WHERE outstanding > 0`` indexes, whose condition the
queries repeat word for word).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..ledger.settings import CollectionSettings
from ..models import Document, EventKind, database
from ..models.db import is_sqlite
from .broken_promise import newest_broken_promise
from .claims import claim_views, load_law_tables
from .history import history_in_words
from .render import allowed_variables
from .template_data import (
    CONTEXT_KEYS,
    CONTRACTOR_KEYS,
    DOCUMENT_KEYS,
    EVENT_KEYS,
    LAW_KEYS,
    LETTER_KINDS,
    PROMISE_KEYS,
    REGISTRY_KEYS,
    SAMPLE_BUREAU,
    SENDER_KEYS,
    TOTAL_KEYS,
    contractor_view,
    document_view,
    letter_context,
    message_context,
    promise_view,
    registry_view,
    report_context,
    sample_context,
    sender_view,
)

_UNPAID = "outstanding > 0"
# Where each template looks first for its preview document: statements giving an id,
# tried in order. A demand's is overdue, a reminder's not yet (``law/lateness.py``:
# from the legal due date; the index ``document_unpaid_late``). The report's walks the
# ``collection_event (kind, day)`` index.
_CHOICES: dict[str, list[str]] = {
    "demand": [f"SELECT id FROM document WHERE {_UNPAID} AND legal_due_date < %s "
               "ORDER BY legal_due_date DESC, id DESC LIMIT 1"],
    "reminder": [f"SELECT id FROM document WHERE {_UNPAID} AND legal_due_date >= %s "
                 "ORDER BY legal_due_date, id LIMIT 1"],
    "report": ["SELECT document_id FROM collection_event WHERE kind = "
               f"'{EventKind.COLLECTION_FINISHED}' "
               "AND day <= %s ORDER BY day DESC LIMIT 1"],
}
_FALLBACK = [f"SELECT id FROM document WHERE {_UNPAID} ORDER BY due_date, id LIMIT 1",
             "SELECT id FROM document ORDER BY id LIMIT 1"]

# The fields inside each structured variable, for the editor's list.
_FIELDS = {
    "contractor": CONTRACTOR_KEYS,
    "sender": SENDER_KEYS,
    "documents": DOCUMENT_KEYS,
    "document": DOCUMENT_KEYS,
    "totals": TOTAL_KEYS,
    "law": LAW_KEYS,
    "events": EVENT_KEYS,
    "broken_promise": PROMISE_KEYS,
    "registry": REGISTRY_KEYS,
}


@dataclass(frozen=True)
class PreviewSource:
    """The context to render and which document it came from (``None``: the sample)."""

    context: dict[str, Any]
    document_number: str | None
    contractor_name: str | None


def _param(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) and is_sqlite() else value


def _preview_document_id(name: str, today: dt.date) -> int | None:
    for statement in [*_CHOICES[name], *_FALLBACK]:
        params = [_param(today)] * statement.count("%s")
        row = database.execute_sql(
            statement.replace("%s", database.obj.param), params
        ).fetchone()
        if row and row[0] is not None:
            return row[0]
    return None


def preview_source(name: str, settings: CollectionSettings, today: dt.date) -> PreviewSource:
    """A context for template ``name`` (reminder, demand, report, or a letter's) from a
    real document.

    A letter's is its e-mail's (``letter_context``): a demand is ``final`` when its
    number is ``demand.max_count``; the registry warning's bureau is the one in the
    settings, or the sample bureau while none is set."""
    kind = LETTER_KINDS.get(name)
    if kind is not None:
        base = preview_source(kind, settings, today)
        if base.document_number is None:
            return PreviewSource(sample_context(name, today), None, None)
        context = base.context
        registry = None
        if name == "letter_registry":
            bureau = (settings.registry_bureau_name, settings.registry_bureau_address)
            registry = registry_view(*(bureau if all(bureau) else SAMPLE_BUREAU),
                                     context["contractor"]["kind"])
        final = kind == "demand" and any(
            d["demand_number"] == settings.demand_max_count for d in context["documents"])
        return PreviewSource(letter_context(name, context, final=final, registry=registry),
                             base.document_number, base.contractor_name)
    document_id = _preview_document_id(name, today)
    if document_id is None:
        return PreviewSource(sample_context(name, today), None, None)
    document = Document.get_by_id(document_id)
    contractor = contractor_view(document.contractor)
    sender = sender_view(settings)
    if name == "report":
        # As the report reads it: the events' texts in the report's language.
        events = history_in_words(document.id, settings.report_language)
        context = report_context(
            document_view(document, today, None), contractor, events,
            document.collection_end_reason or "paid", sender, today,
        )
    else:
        demand = name == "demand"
        number = document.demands_sent + 1 if demand else None
        claim = None
        if demand:
            claim = claim_views([document], document.contractor.kind, today,
                                load_law_tables(), interest=settings.demand_include_interest,
                                compensation=settings.demand_include_compensation)[document.id]
        context = message_context(
            name, contractor, [document_view(document, today, number, claim)], sender, today,
            interest=demand and settings.demand_include_interest,
            compensation=demand and settings.demand_include_compensation,
            broken_promise=promise_view(newest_broken_promise([document])) if demand
            else None,
        )
    return PreviewSource(context, document.number, document.contractor.name)


def variable_list(name: str) -> list[str]:
    """Every variable of template ``name`` with its fields (``contractor.name``, …),
    then the helpers the sandbox offers (``range``, …) and the three filters."""
    lines = []
    for key in sorted(CONTEXT_KEYS[name]):
        fields = _FIELDS.get(key)
        if fields is None:
            lines.append(key)
        elif key in ("documents", "totals", "events"):  # lists: one item's fields
            lines.append(f"{key}[] → " + ", ".join(fields))
        else:
            lines.extend(f"{key}.{field}" for field in fields)
    helpers = sorted(allowed_variables(name) - CONTEXT_KEYS[name])
    lines.append(", ".join(helpers))
    lines.append("|money('PLN'), |pl_date, |pl_number")
    return lines
