"""What the coming days will send, computed with the pass's own functions.

The candidates for the whole window come from the planner's indexed queries; each
is then walked day by day through ``step_due`` with ``after_sending`` applied, so a
document due a demand on day 2 and again on day 12 shows both. Payments that have
not arrived yet cannot be foreseen: the forecast assumes none. The documents are walked
as the queries return them, each once, and a demand's figures are computed 500 demands at
a time: the walk holds the items it answers, never every candidate (at a million
documents the candidates alone held some 250 MiB).

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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from ..law.claim import claim_figures
from ..ledger.settings import CollectionSettings
from ..models import Contractor, Document, PassRun
from .claims import LawTables, load_law_tables, payments_of, terms_of
from .facts import answers_by_document, document_facts, failing_by_contractor
from .planner import Candidate, step_candidates
from .policy import Step, after_sending, step_due
from .rate_gaps import GapSummary, gaps_of, lacking_before, summarise

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


ONE_DAY = dt.timedelta(days=1)
MARK_CHUNK = 500  # demands whose figures are computed together: one payment query


def forecast(
    settings: CollectionSettings, start: dt.date, days: int = FORECAST_DAYS
) -> list[ForecastItem]:
    if not settings.module_enabled:
        return []
    last = start + dt.timedelta(days=days - 1)
    items: list[ForecastItem] = []

    def mark(index: int, day: dt.date, document: Candidate, gaps: tuple) -> None:
        items[index] = replace(items[index], gaps=gaps)

    marks = _GapMarks(settings.demand_include_interest, settings.demand_include_compensation,
                      mark)
    for day, step, document in _walk(settings, start, last,
                                     _first_of_each(step_candidates(settings, start, last))):
        items.append(ForecastItem(day, step.kind, step.number, document.number,
                                  document.contractor.name, channel=step.channel))
        if step.kind == "demand":
            marks.add(len(items) - 1, day, document)
    marks.flush()
    return sorted(items, key=_order)


def _order(item: ForecastItem | _Gapped) -> tuple:
    return (item.day, item.contractor, item.document)


def _first_of_each(documents: Iterable[Candidate]) -> Iterator[Candidate]:
    """Each document once, where it first comes: the order a dict keyed by id kept
    (the candidate queries may return a document twice), without holding them all."""
    seen: set[int] = set()
    for document in documents:
        if document.id not in seen:
            seen.add(document.id)
            yield document


def _walk(settings: CollectionSettings, start: dt.date, last: dt.date,
          documents: Iterable[Candidate]) -> Iterator[tuple[dt.date, Step, Candidate]]:
    """Each step of each document from ``start`` to ``last``, day by day, each sent
    step applied to the facts before the next day. Only allowed days are asked:
    ``step_due`` answers None on any other day, before it reads the facts."""
    failing = failing_by_contractor()
    answers = answers_by_document()
    sending = settings.sending_days
    allowed = []
    day = start
    while day <= last:
        if sending.is_allowed(day):
            allowed.append(day)
        day += ONE_DAY
    for document in documents:
        facts = document_facts(document, document.contractor, failing=failing,
                               answers=answers)
        for day in allowed:
            step = step_due(settings, sending, facts, day)
            if step is not None:
                yield day, step, document
                facts = after_sending(facts, step)


class _GapMarks:
    """Finds the rates demands lack, ``MARK_CHUNK`` demands at a time (one payment query
    each), so that no more documents are held than a chunk's; ``found(key, day,
    document, gaps)`` is told of each demand that lacks one (``key``: the caller's)."""

    def __init__(self, interest: bool, compensation: bool,
                 found: Callable[[Any, dt.date, Candidate, tuple], None],
                 tables: LawTables | None = None) -> None:
        self.interest, self.compensation = interest, compensation
        self.found = found
        self.tables = tables
        self.pending: list[tuple[Any, dt.date, Candidate]] = []

    def add(self, key: Any, day: dt.date, document: Candidate) -> None:
        if not (self.interest or self.compensation):
            return
        self.pending.append((key, day, document))
        if len(self.pending) >= MARK_CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        if self.tables is None:
            self.tables = load_law_tables()
        gaps_found = _gaps_of_demands([(day, d) for _, day, d in self.pending], self.tables,
                                      self.interest, self.compensation)
        for (key, day, document), gaps in zip(self.pending, gaps_found, strict=True):
            if gaps:
                self.found(key, day, document, gaps)
        self.pending = []


def _gaps_of_demands(demands: list[tuple[dt.date, Candidate]], tables: LawTables,
                     interest: bool, compensation: bool) -> list[tuple]:
    """The rates each demand (its day, its document) lacks, with one payment query."""
    payments = payments_of({document.id for _, document in demands})
    return [gaps_of(claim_figures(terms_of(document, payments.get(document.id, ())),
                                  document.contractor.kind, day, tables.rates,
                                  tables.eur_rates),
                    interest=interest, compensation=compensation)
            for day, document in demands]


class _Gapped(NamedTuple):
    """A demand that lacks a rate, as ``summarise`` reads it (a tuple: fifty thousand of
    them at a million documents)."""

    day: dt.date
    contractor: str
    document: str
    gaps: tuple


def coming_gaps(settings, start: dt.date, days: int | None = None) -> tuple[GapSummary, ...]:
    """The missing rates of the demands the forecast expects from ``start`` (here, beside
    the forecast it reads, so that ``rate_gaps`` need not import it back):
    ``summarise(forecast(settings, start, days))``, without walking the documents that
    cannot lack a rate.

    Why the answer is the same: ``summarise`` reads only the items with gaps, and only a
    demand gets gaps (``_GapMarks``), when Settings claim interest or the compensation
    and ``gaps_of`` finds one in its figures. ``rate_gaps.lacking_before`` gives, per
    contractor kind, a legal due date from which no demand up to the window's last day
    can lack a rate, whatever its day, payments or amount (the reasoning is there); a
    kind it does not know may always lack one. So:

    * when no open document (``planner.OPEN``: every candidate query asks it) of a kind
      is due before that day, and no contractor has another kind, no item has a gap:
      the answer is () without reading a candidate;
    * otherwise only the candidates due before their kind's day are walked, each through
      the same ``_walk`` as the forecast's (a document's steps depend on its own facts
      and the failing addresses and answers read for all, never on the other documents),
      and their demands get their gaps from the same ``claim_figures``. The items with
      gaps are the forecast's items with gaps, in the same relative order before the
      same stable sort (a subsequence of the same candidate order, each document where
      it first comes), so the sorted subsequence, and ``summarise`` of it, are the same.

    What the forecast would have raised on and this does not: a document whose value in
    PLN rounds to nothing (a foreign amount of a grosz at the least accepted exchange
    rate, with the demand minimum set to 0) makes ``compensation_eur`` raise for every
    demand; here only when its document is walked.
    """
    days = days or FORECAST_DAYS
    interest = settings.demand_include_interest
    compensation = settings.demand_include_compensation
    if not (settings.module_enabled and settings.demand_enabled
            and (interest or compensation)):
        return ()  # no demand at all, or none claims a figure: no item has gaps
    last = start + dt.timedelta(days=days - 1)
    tables = load_law_tables()
    safe = lacking_before(tables.rates, tables.eur_rates, last, interest=interest,
                          compensation=compensation)
    if not _may_lack(safe):
        return ()
    documents = (d for d in step_candidates(settings, start, last)
                 if d.legal_due_date < safe.get(d.contractor.kind, dt.date.max))
    found: list[_Gapped] = []
    shared: dict[tuple, tuple] = {}  # equal gaps held once

    def keep(key: None, day: dt.date, document: Candidate, gaps: tuple) -> None:
        found.append(_Gapped(day, document.contractor.name, document.number,
                             shared.setdefault(gaps, gaps)))

    marks = _GapMarks(interest, compensation, keep, tables)
    for day, step, document in _walk(settings, start, last, _first_of_each(documents)):
        if step.kind == "demand":
            marks.add(None, day, document)
    marks.flush()
    return summarise(sorted(found, key=_order))


def _may_lack(safe: dict[str, dt.date]) -> bool:
    """Whether an open document of some kind is due before that kind's safe day, or a
    contractor has a kind outside ``safe`` (one indexed probe per kind)."""
    if Contractor.select().where(Contractor.kind.not_in(list(safe))).exists():
        return True
    for kind, day in safe.items():
        if day == dt.date.min:
            continue
        if (Document.select(Document.id)
                .join(Contractor, on=(Contractor.id == Document.contractor))
                .where((Document.outstanding > 0) & Document.subject_to_collection
                       & Document.collection_ended_on.is_null()
                       & (Document.legal_due_date < day) & (Contractor.kind == kind))
                .exists()):
            return True
    return False
