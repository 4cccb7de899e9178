"""What the coming days will send, computed with the pass's own functions.

The candidates for the whole window come from the planner's indexed queries; each
is then walked day by day through ``step_due`` with ``after_sending`` applied, so a
document due a demand on day 2 and again on day 12 shows both. Payments that have
not arrived yet cannot be foreseen: the forecast assumes none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .facts import document_facts
from .planner import step_candidates
from .policy import after_sending, step_due
from .settings import CollectionSettings

FORECAST_DAYS = 14


@dataclass(frozen=True)
class ForecastItem:
    day: dt.date
    kind: str
    number: int
    document: str
    contractor: str


def forecast(
    settings: CollectionSettings, start: dt.date, days: int = FORECAST_DAYS
) -> list[ForecastItem]:
    if not settings.module_enabled:
        return []
    last = start + dt.timedelta(days=days - 1)
    documents = {d.id: d for d in step_candidates(settings, start, last)}
    items = []
    for document in documents.values():
        contractor = document.contractor
        facts = document_facts(document, contractor)
        day = start
        while day <= last:
            step = step_due(settings, settings.sending_days, facts, day)
            if step is not None:
                items.append(ForecastItem(day, step.kind, step.number, document.number,
                                          contractor.name))
                facts = after_sending(facts, step)
            day += dt.timedelta(days=1)
    return sorted(items, key=lambda i: (i.day, i.contractor, i.document))
