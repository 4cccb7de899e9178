"""Importing an MT940 bank statement: read it all, then match and store it all at once.

1. The file's SHA-256 is looked up first: a file imported before adds nothing and says
   when and by whom it came in.
2. The whole file is read (``importers/mt940.py``) with the bank profile named by
   ``--profile`` or the setting ``statement.bank_profile``; any problem refuses the file
   with its line, and nothing is stored.
3. One transaction: the statement, then each credit in the file's order: skipped when
   its ``line_key`` is already stored (a file overlapping an earlier one), else matched
   (``banking/matching.py``) and stored as a line; a sure match records its
   payments through ``actions.record_payment`` (method ``transfer``, reference = the
   bank's, paid on the booking day: the day the money reached the creditor's account)
   and teaches the payer's account. The index the matcher reads is updated after each
   credit, so two credits for one invoice in one file see each other.

Debits and the bank's reversals are counted and otherwise left alone: they pay no
invoice. A sure match on a document an agency holds is kept unsure instead, so a person
records it knowing the agency must be told.

``line_key`` is the SHA-256 of the account and the entry as the bank wrote it (dates,
mark, amount, currency, type, both references, the ``:86:`` text), with the number of
identical entries before it in the same file, so two equal transfers on one day stay two.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..banking.credits import load_match_index, record_line_payments
from ..banking.matching import Credit, Decision, Outcome, Reason, match_credit
from ..ledger.actions import current_author
from ..ledger.bank_profiles import get_profile
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.settings import CollectionSettings
from ..models import BankStatement, LineStatus, StatementLine, database
from ..models.sql import tuple_rows
from .csv_common import ImportRejected, StrPath
from .mt940 import Entry, Statement, StatementRejected, parse_statement


@dataclass(frozen=True)
class PendingCredit:
    """A credit left for a person, as the summary lists it."""

    booked_on: dt.date
    amount: Decimal
    currency: str
    payer_name: str
    title: str
    status: str
    reason: str


@dataclass
class StatementSummary:
    path: Path
    profile: str
    statement_id: int | None = None
    already_imported: tuple[dt.datetime, str] | None = None  # (when, by whom)
    credits: int = 0
    sure: int = 0
    # currency -> amount (a Decimal: a Counter would be typed as counting ints)
    sure_amount: defaultdict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    payments: int = 0
    unsure: int = 0
    unmatched: int = 0
    debits_ignored: int = 0
    already_in: int = 0  # credits an earlier (overlapping) file brought
    pending: list[PendingCredit] = field(default_factory=list)


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry_text(account: str, entry: Entry) -> str:
    return "\x1f".join([
        account, entry.value_date.isoformat(), entry.booked_on.isoformat(), entry.mark,
        str(entry.amount), entry.currency, entry.type_code, entry.customer_reference,
        entry.bank_reference, entry.details.text,
    ])


def keyed_credits(statement: Statement) -> tuple[list[tuple[str, Entry]], int]:
    """The credits with their line keys, and how many other entries there were."""
    seen: Counter[str] = Counter()
    credits, others = [], 0
    for block in statement.blocks:
        for entry in block.entries:
            text = _entry_text(block.account, entry)
            seen[text] += 1
            if not entry.is_credit:
                others += 1
                continue
            key = hashlib.sha256(f"{text}\x1f{seen[text]}".encode()).hexdigest()
            credits.append((key, entry))
    return credits, others


def read_statement(path: StrPath, data: bytes, profile_name: str) -> Statement:
    """The whole file read with the profile (UnknownProfile for a name not known)."""
    profile = get_profile(profile_name)
    try:
        return parse_statement(data, profile)
    except StatementRejected as exc:
        raise ImportRejected(path, exc.errors) from None


def import_statement(
    path: StrPath, clock: Clock, settings: CollectionSettings, profile: str | None = None,
    author: str | None = None,
) -> StatementSummary:
    """Import one MT940 file (see the module's docstring); ImportRejected names the lines
    of a file that cannot be read, and then nothing was stored."""
    path = Path(path)
    profile_name = get_profile(profile or settings.statement_bank_profile).name
    data = path.read_bytes()
    summary = StatementSummary(path, profile_name)
    digest = file_digest(data)
    if _note_earlier_import(summary, digest):
        return summary
    statement = read_statement(path, data, profile_name)
    credits, summary.debits_ignored = keyed_credits(statement)
    summary.credits = len(credits)
    author = author or current_author()
    with database.atomic():
        if _note_earlier_import(summary, digest):  # another window was quicker
            return summary
        stored = _store_statement(clock, path, statement, digest, author)
        summary.statement_id = stored.id
        _store_credits(clock, settings, stored, credits, author, summary)
    return summary


def _note_earlier_import(summary: StatementSummary, digest: str) -> bool:
    earlier = BankStatement.get_or_none(BankStatement.sha256 == digest)
    if earlier is not None:
        summary.statement_id = earlier.id
        summary.already_imported = (earlier.imported_at, earlier.author)
    return earlier is not None


def _store_statement(clock: Clock, path: Path, statement: Statement, digest: str,
                     author: str) -> BankStatement:
    blocks = statement.blocks
    numbers = dict.fromkeys(b.number for b in (blocks[0], blocks[-1]))
    return BankStatement.create(
        sha256=digest, file_name=path.name,
        account=", ".join(dict.fromkeys(b.account for b in blocks)),
        number="–".join(numbers), profile=statement.profile.name,
        statement_date=max(b.closing.date for b in blocks),
        imported_at=utc_now_naive(clock), author=author,
    )


def _store_credits(clock: Clock, settings: CollectionSettings, statement: BankStatement,
                   credits: list[tuple[str, Entry]], author: str,
                   summary: StatementSummary) -> None:
    known = _stored_keys([key for key, _ in credits])
    index, in_recovery = load_match_index()
    for key, entry in credits:
        if key in known:
            summary.already_in += 1
            continue
        known.add(key)
        details = entry.details
        credit = Credit(entry.amount, entry.currency, entry.booked_on, details.titles,
                        details.payer_account, details.payer_name)
        decision = match_credit(credit, index, settings.company_nip)
        if decision.outcome == Outcome.SURE and any(
                document_id in in_recovery for document_id, _ in decision.allocations):
            decision = Decision(Outcome.UNSURE, Reason.IN_RECOVERY,
                                candidates=tuple(d for d, _ in decision.allocations))
        line = StatementLine.create(
            statement=statement, line_key=key, booked_on=entry.booked_on,
            amount=entry.amount, currency=entry.currency, title=details.title,
            payer_name=details.payer_name, payer_account=details.payer_account,
            bank_reference=entry.reference, status=decision.outcome,
            reason=decision.reason, unexplained=" ".join(decision.unexplained),
            candidates=" ".join(str(i) for i in decision.candidates),
        )
        if decision.outcome == Outcome.SURE:
            documents = record_line_payments(clock, settings, line, decision.allocations,
                                             author)
            for document_id, amount in decision.allocations:
                index.settle(document_id, amount)
            if len({d.contractor_id for d in documents}) == 1:
                index.learn(documents[0].contractor_id, details.payer_account)
            summary.sure += 1
            summary.sure_amount[entry.currency] += entry.amount
            summary.payments += len(decision.allocations)
            continue
        if decision.outcome == LineStatus.UNSURE:
            summary.unsure += 1
        else:
            summary.unmatched += 1
        summary.pending.append(PendingCredit(
            entry.booked_on, entry.amount, entry.currency, details.payer_name,
            details.title, decision.outcome, decision.reason))


def _stored_keys(keys: list[str], chunk: int = 500) -> set[str]:
    """Which of the keys are stored already (in chunks: a parameter list has limits)."""
    found: set[str] = set()
    for start in range(0, len(keys), chunk):
        query = (StatementLine.select(StatementLine.line_key)
                 .where(StatementLine.line_key.in_(keys[start:start + chunk])))
        found.update(key for (key,) in tuple_rows(query))
    return found
