"""What the coming days will send, computed with the pass's own functions.

The candidates for the whole window come from the planner's indexed queries; each
is then walked day by day through ``step_due`` with ``after_sending`` applied, so a
document due a demand on day 2 and again on day 12 shows both. Payments that have
not arrived yet cannot be foreseen: the forecast assumes none.

The forecast starts today until today's pass has run, then tomorrow
(``forecast_start``): a pass runs once a day, so nothing more goes out today — a step that
fell due after it (a document entered later) goes with the next pass, and the forecast
says so instead of listing it under a day that is over.

Each demand carries the rates it lacks (``gaps``, ``rate_gaps.py``): a demand whose
interest or compensation cannot be computed on its day is marked, so that the bookkeeper
adds the rate before it goes out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..law.claim import claim_figures
from ..ledger.settings import CollectionSettings
from ..models import PassRun
from .claims import load_law_tables, payments_of, terms_of
from .facts import answers_by_document, document_facts, failing_by_contractor
from .planner import step_candidates
from .policy import after_sending, step_due
from .rate_gaps import GapSummary, gaps_of, summarise

FORECAST_DAYS = 14


def pass_done(day: dt.date) -> bool:
    """Whether the pass of ``day`` has run to its end (one pass per day at most)."""
    return PassRun.select().where(
        (PassRun.pass_date == day) & PassRun.finished_at.is_null(False)).exists()


def forecast_start(today: dt.date) -> dt.date:
    """The first day the forecast covers: today, or tomorrow once today's pass has run."""
    return today + dt.timedelta(days=1) if pass_done(today) else today


@dataclass(frozen=True)
class ForecastItem:
    day: dt.date
    kind: str
    number: int
    document: str
    contractor: str
    # The rates this demand lacks on its day (rate_gaps.RateGap); () when it states all.
    gaps: tuple = ()
    # How it goes (issue 16): "email", "letter" (printed and posted by a person, so it
    # counts from the day it is posted, assumed here to be its day) or "both".
    channel: str = "email"


def forecast(
    settings: CollectionSettings, start: dt.date, days: int = FORECAST_DAYS
) -> list[ForecastItem]:
    if not settings.module_enabled:
        return []
    last = start + dt.timedelta(days=days - 1)
    documents = {d.id: d for d in step_candidates(settings, start, last)}
    items = []
    demands: list = []  # (index in items, document) of each step, for _mark_gaps
    failing = failing_by_contractor()
    answers = answers_by_document()
    for document in documents.values():
        contractor = document.contractor
        facts = document_facts(document, contractor, failing=failing, answers=answers)
        day = start
        while day <= last:
            step = step_due(settings, settings.sending_days, facts, day)
            if step is not None:
                items.append(ForecastItem(day, step.kind, step.number, document.number,
                                          contractor.name, channel=step.channel))
                demands.append((len(items) - 1, document))
                facts = after_sending(facts, step)
            day += dt.timedelta(days=1)
    _mark_gaps(settings, items, demands)
    return sorted(items, key=lambda i: (i.day, i.contractor, i.document))


def _mark_gaps(settings: CollectionSettings, items: list[ForecastItem], demands: list) -> None:
    """Give each demand the rates it lacks on its day (one payment query per 500)."""
    demands = [(i, d) for i, d in demands if items[i].kind == "demand"]
    if not demands or not (settings.demand_include_interest
                           or settings.demand_include_compensation):
        return
    tables = load_law_tables()
    payments = payments_of({d.id for _, d in demands})
    for index, document in demands:
        item = items[index]
        figures = claim_figures(terms_of(document, payments.get(document.id, ())),
                                document.contractor.kind, item.day, tables.rates,
                                tables.eur_rates)
        gaps = gaps_of(figures, interest=settings.demand_include_interest,
                       compensation=settings.demand_include_compensation)
        if gaps:
            items[index] = replace(item, gaps=gaps)


def coming_gaps(settings, start: dt.date, days: int | None = None) -> tuple[GapSummary, ...]:
    """The missing rates of the demands the forecast expects from ``start`` (here, beside
    the forecast it reads, so that ``rate_gaps`` need not import it back)."""
    return summarise(forecast(settings, start, days or FORECAST_DAYS))
