"""Bank statement credits after the import: what the matcher is given, the credits
waiting for a person, and what that person decides (confirm documents or ignore).

The screen (``tui/screens/statements.py``) and the importer (``importers/statements.py``)
reach the database only through these functions.

Decisions written down:

* **Confirming** pays the chosen documents in the order given, each up to what it still
  owes, from the credit's amount, as transfers dated the booking day and referenced with
  the bank's reference, through ``actions.record_payment`` (events, the end of
  collection). What the documents cannot take stays unrecorded: overpayments are refused
  everywhere in the ledger, and the screen says so before the person agrees.
* A confirmed or sure match teaches the payer's account to the contractor (when all its
  documents are one contractor's), so the next credit from that account without a
  number in its title can be matched by amount.
* A line already decided (by another person, in another window) is not decided again.
* ``newest_statement_date`` is what the planner's hold reads: the newest closing-balance
  date of any imported statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from peewee import fn

from ..ledger.actions import record_payment
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.settings import CollectionSettings
from ..models import (
    Contractor,
    ContractorAccount,
    Document,
    LineStatus,
    StatementLine,
    StatementPayment,
    database,
)
from ..models.money import from_grosze
from ..models.sql import as_required_date, execute, tuple_rows
from .matching import (
    CANDIDATE_LIMIT,
    ContractorFacts,
    Credit,
    Evidence,
    MatchIndex,
    OpenDocument,
    candidate_evidence,
    is_weak,
    normalise_number,
    strength,
)


class StatementError(ValueError):
    """A decision that cannot be recorded as asked; nothing was stored."""


# -- what the matcher is given -----------------------------------------------------------
def load_match_index() -> tuple[MatchIndex, set[int]]:
    """Every open document, the contractors that owe them with their learned accounts,
    and the ids of the documents an agency holds (never paid by a sure match: the agency
    must hear of the money)."""
    documents, in_recovery = [], set()
    rows = execute("SELECT id, number, contractor_id, outstanding, currency, due_date,"
                   " recovery_case_id FROM document WHERE outstanding > 0")
    for id_, number, contractor, outstanding, currency, due, case in rows:
        documents.append(OpenDocument(id_, number, contractor, from_grosze(outstanding),
                                      currency, as_required_date(due)))
        if case is not None:
            in_recovery.add(id_)
    owing = {d.contractor_id for d in documents}
    accounts: dict[int, set[str]] = {}
    for contractor, account in execute("SELECT contractor_id, account FROM contractor_account"):
        accounts.setdefault(contractor, set()).add(account)
    contractors = [
        ContractorFacts(c.id, c.name, c.nip or "", frozenset(accounts.get(c.id, ())))
        for c in Contractor.select(Contractor.id, Contractor.name, Contractor.nip)
        if c.id in owing or c.id in accounts
    ]
    return MatchIndex.build(documents, contractors), in_recovery


def learn_account(contractor_id: int, account: str, line_id: int | None,
                  now: dt.datetime) -> None:
    """Remember that the contractor paid from ``account`` (once per pair)."""
    if not account:
        return
    (ContractorAccount
     .insert(contractor=contractor_id, account=account, learned_at=now, line=line_id)
     .on_conflict_ignore()
     .execute())


# -- one credit and its candidates ---------------------------------------------------------
@dataclass(frozen=True)
class CandidateRow:
    id: int
    number: str
    contractor: str
    due_date: dt.date
    outstanding: Decimal
    currency: str
    in_recovery: bool
    # What in the credit points at it (``statement_matching.Evidence``).
    evidence: frozenset[str] = frozenset()

    @property
    def weak(self) -> bool:
        """Nothing but (at most) the amount points at it: never taken unasked."""
        return is_weak(self.evidence)


@dataclass(frozen=True)
class LineDetail:
    id: int
    booked_on: dt.date
    amount: Decimal
    currency: str
    title: str
    payer_name: str
    payer_account: str
    bank_reference: str
    status: str
    reason: str
    unexplained: tuple[str, ...]
    candidates: tuple[CandidateRow, ...]


def _candidates(where, limit: int = CANDIDATE_LIMIT, credit: Credit | None = None,
                own_nip: str = "") -> list[CandidateRow]:
    """Open documents as candidates; with ``credit``, each with what points at it."""
    query = (Document
             .select(Document.id, Document.number, Document.contractor, Contractor.name,
                     Contractor.nip, Document.due_date, Document.outstanding,
                     Document.currency, Document.recovery_case)
             .join(Contractor)
             .where(where & (Document.outstanding > 0))
             .limit(limit))
    documents = list(query)
    accounts: dict[int, set[str]] = {}
    if credit is not None and documents:
        owners = {d.contractor_id for d in documents}
        for owner, account in tuple_rows(
                ContractorAccount.select(ContractorAccount.contractor, ContractorAccount.account)
                .where(ContractorAccount.contractor.in_(owners))):
            accounts.setdefault(owner, set()).add(account)
    rows = []
    for d in documents:
        evidence: frozenset[str] = frozenset()
        if credit is not None:
            evidence = candidate_evidence(
                credit, OpenDocument(d.id, d.number, d.contractor_id, d.outstanding,
                                     d.currency, d.due_date),
                ContractorFacts(d.contractor_id, d.contractor.name, d.contractor.nip or "",
                                frozenset(accounts.get(d.contractor_id, ()))), own_nip)
        rows.append(CandidateRow(d.id, d.number, d.contractor.name, d.due_date,
                                 d.outstanding, d.currency, d.recovery_case is not None,
                                 evidence))
    return rows


def line_detail(line_id: int, own_nip: str = "") -> LineDetail:
    """The credit and the documents it may pay: the matcher's candidates still open, or
    for an unmatched credit the open documents owing exactly its amount; each with what
    in the credit points at it, the strongest first (the matcher's order, then the due
    date, among equals). ``own_nip``: the company's, never the payer's."""
    line = StatementLine.get_by_id(line_id)
    credit = Credit(line.amount, line.currency, line.booked_on, (line.title,),
                    line.payer_account, line.payer_name)
    ids = line.candidate_ids
    if ids:
        found = {c.id: c for c in _candidates(Document.id.in_(ids), credit=credit,
                                              own_nip=own_nip)}
        candidates = [found[i] for i in ids if i in found]
    else:
        candidates = _candidates((Document.outstanding == line.amount)
                                 & (Document.currency == line.currency), credit=credit,
                                 own_nip=own_nip)
        candidates.sort(key=lambda c: (c.due_date, c.number))
    candidates.sort(key=lambda c: strength(c.evidence))  # stable: ties keep their order
    return LineDetail(
        line.id, line.booked_on, line.amount, line.currency, line.title, line.payer_name,
        line.payer_account, line.bank_reference, line.status, line.reason,
        tuple(line.unexplained.split()), tuple(candidates))


def _normalised_number():
    """``normalise_number`` in SQL, for the separators people vary (a scan of the open
    documents, once per number a person types)."""
    expression = Document.number
    for separator in (" ", "/", "-", "."):
        expression = fn.REPLACE(expression, separator, "")
    return fn.UPPER(expression)


def find_open_document(number: str, currency: str) -> CandidateRow | None:
    """An open document by the number a person typed, exactly or as matching compares
    numbers (``fv 2026-01-115`` finds ``FV/2026/01/115``)."""
    text = number.strip()
    if not text:
        return None
    exact = _candidates((Document.number == text) & (Document.currency == currency), 1)
    if not exact:
        exact = _candidates((_normalised_number() == normalise_number(text))
                            & (Document.currency == currency), 1)
    # The person named it: their own choice, as strong as a number in the title.
    return replace(exact[0], evidence=frozenset({Evidence.FOUND})) if exact else None


# -- deciding -----------------------------------------------------------------------------
def allocate(amount: Decimal, owed: Sequence[tuple[int, Decimal]]
             ) -> tuple[list[tuple[int, Decimal]], Decimal]:
    """The amount spread over the documents in order, each up to what it owes; returns
    the (document, amount) pairs and what is left over."""
    left, out = amount, []
    for document_id, outstanding in owed:
        if left <= 0:
            break
        share = min(left, outstanding)
        if share > 0:
            out.append((document_id, share))
            left -= share
    return out, left


@dataclass(frozen=True)
class Confirmed:
    allocations: tuple[tuple[str, Decimal], ...]  # (document number, amount)
    left_over: Decimal


def _pending_line(line_id: int) -> StatementLine:
    line = StatementLine.get_or_none(StatementLine.id == line_id)
    if line is None:
        raise StatementError(f"there is no statement line {line_id}")
    if line.status not in LineStatus.PENDING:
        by = f" by {line.decided_by}" if line.decided_by else ""
        raise StatementError(f"this credit is already {line.status}{by}")
    return line


def record_line_payments(clock: Clock, settings: CollectionSettings, line: StatementLine,
                         allocations: Iterable[tuple[int, Decimal]], author: str
                         ) -> list[Document]:
    """The payments of one credit and their links; the account learned when the
    documents are one contractor's. Runs inside the caller's transaction."""
    documents = []
    for document_id, amount in allocations:
        document = Document.get_by_id(document_id)
        payment = record_payment(clock, settings, document, line.booked_on, amount,
                                 method="transfer", reference=line.bank_reference,
                                 author=author)
        StatementPayment.create(line=line, document=document_id, amount=amount,
                                payment=payment)
        documents.append(document)
    contractors = {d.contractor_id for d in documents}
    if len(contractors) == 1:
        learn_account(contractors.pop(), line.payer_account, line.id, utc_now_naive(clock))
    return documents


def confirm_line(clock: Clock, settings: CollectionSettings, line_id: int,
                 document_ids: Sequence[int], author: str) -> Confirmed:
    """A person says the credit pays these documents (in this order)."""
    if not document_ids:
        raise StatementError("choose at least one document")
    with database.atomic():
        line = _pending_line(line_id)
        documents = {d.id: d for d in Document.select().where(Document.id.in_(document_ids))}
        owed = []
        for document_id in document_ids:
            document = documents.get(document_id)
            if document is None:
                raise StatementError(f"there is no document {document_id}")
            if document.currency != line.currency:
                raise StatementError(f"{document.number} is in {document.currency}, the "
                                     f"credit in {line.currency}")
            owed.append((document_id, document.outstanding))
        allocations, left_over = allocate(line.amount, owed)
        if not allocations:
            raise StatementError("the chosen documents are paid already")
        record_line_payments(clock, settings, line, allocations, author)
        line.status = LineStatus.CONFIRMED
        line.decided_at = utc_now_naive(clock)
        line.decided_by = author
        line.save(only=[StatementLine.status, StatementLine.decided_at,
                        StatementLine.decided_by])
    return Confirmed(tuple((documents[d].number, a) for d, a in allocations), left_over)


def ignore_line(clock: Clock, line_id: int, author: str) -> None:
    """A person says the credit pays no document (a refund, a loan, someone else's)."""
    with database.atomic():
        line = _pending_line(line_id)
        line.status = LineStatus.IGNORED
        line.decided_at = utc_now_naive(clock)
        line.decided_by = author
        line.save(only=[StatementLine.status, StatementLine.decided_at,
                        StatementLine.decided_by])
