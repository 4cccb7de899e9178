"""The debtor registry as the program sees it (issue 16, point 4; docs/registry.md §11).

For every contractor warned by a registry demand that went out (a registered letter
confirmed posted, or an e-mail where the contract allows it), whether and from when it
**may be reported** (``law.registry.registry_eligibility``, from the warning's posting
day); the export a report writes (:func:`write_export`); and the claims already reported
whose document has changed since, which the bureau must be asked to update within 14
days (art. 29, :func:`updates_due`).

What counts towards the act's amount, as ``law/registry.py`` reads it: the outstanding
principal of the claims the warning named, due for 30 days, not disputed, in PLN. A
claim in another currency is shown but not counted (the act's conversion is not known).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from peewee import fn

from ..i18n import N_, words
from ..law.registry import (
    DebtorKind,
    Eligibility,
    RegistryWarning,
    WarningChannel,
    registry_eligibility,
)
from ..law.registry import (
    RegistryClaim as LawClaim,
)
from ..ledger.clock import Clock
from ..ledger.names import amount_text, day_text
from ..ledger.registry import UPDATE_DAYS, record_report
from ..ledger.settings import CollectionSettings
from ..models import (
    CollectionEvent,
    Contractor,
    Dispute,
    DisputeState,
    Document,
    DocumentStep,
    EventKind,
    Letter,
    Message,
    MessageChannel,
    MessageState,
    MessageVariant,
    RegistryClaim,
    RegistryReport,
)
from ..models.money import to_grosze
from .csv_files import CsvStyle, write_file_atomically


@dataclass(frozen=True)
class WarningSent:
    message_id: int
    contractor_id: int
    sent_on: dt.date  # the posting day of a letter, the sending day of an e-mail
    channel: WarningChannel
    registered_number: str
    document_ids: frozenset[int]


@dataclass(frozen=True)
class ClaimRow:
    document: Document
    in_warning: bool
    disputed: bool
    counted: bool  # towards the act's amount: named, PLN, not disputed


@dataclass(frozen=True)
class DebtorState:
    contractor: Contractor
    warning: WarningSent
    claims: tuple[ClaimRow, ...]
    eligibility: Eligibility
    report: RegistryReport | None  # made on the strength of this warning

    @property
    def warning_message(self) -> Message:
        found: Message = Message.get_by_id(self.warning.message_id)
        return found

    @property
    def counted_total(self) -> Decimal:
        return sum((c.document.outstanding for c in self.claims if c.counted), Decimal("0.00"))


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def registry_warnings() -> dict[int, WarningSent]:
    """Each contractor's newest registry warning that went out."""
    found: dict[int, WarningSent] = {}
    warnings = (Message.select().where((Message.variant == MessageVariant.REGISTRY)
                                       & (Message.state == MessageState.SENT))
                .order_by(Message.id))
    for message in warnings:
        sent_on = (CollectionEvent.select(fn.MIN(CollectionEvent.day))
                   .where((CollectionEvent.message == message.id)
                          & (CollectionEvent.kind == EventKind.DEMAND_SENT)).scalar())
        if sent_on is None or message.contractor_id is None:
            continue
        letter = message.channel == MessageChannel.LETTER
        number = ""
        if letter:
            row = Letter.get_or_none(Letter.message == message.id)
            number = row.registered_number if row is not None else ""
        documents = frozenset(s.document_id for s in DocumentStep.select(DocumentStep.document)
                              .where(DocumentStep.message == message.id))
        found[message.contractor_id] = WarningSent(
            message.id, message.contractor_id, _day(sent_on),
            WarningChannel.REGISTERED if letter else WarningChannel.EMAIL_PER_CONTRACT,
            number, documents)
    return found


def debtor_kind(contractor: Contractor) -> DebtorKind:
    return DebtorKind.CONSUMER if contractor.kind == "private" else DebtorKind.BUSINESS


def _claims(contractor: Contractor, warning: WarningSent) -> tuple[ClaimRow, ...]:
    disputed = {d.document_id for d in Dispute.select(Dispute.document).join(Document).where(
        (Document.contractor == contractor.id) & (Dispute.state == DisputeState.OPEN))}
    rows = []
    for document in (Document.select().where((Document.contractor == contractor.id)
                                             & (Document.outstanding > 0))
                     .order_by(Document.due_date, Document.number)):
        named = document.id in warning.document_ids
        contested = document.id in disputed
        rows.append(ClaimRow(document, named, contested,
                             named and not contested and document.currency == "PLN"))
    return tuple(rows)


def debtor_state(contractor: Contractor, warning: WarningSent, today: dt.date) -> DebtorState:
    claims = _claims(contractor, warning)
    law_claims = tuple(LawClaim(c.document.outstanding, c.document.due_date, c.disputed,
                                c.in_warning)
                       for c in claims if c.document.currency == "PLN")
    eligibility = registry_eligibility(
        debtor_kind(contractor), law_claims,
        RegistryWarning(warning.sent_on, warning.channel, names_bureau=True), today)
    report = (RegistryReport.select().where(RegistryReport.warning == warning.message_id)
              .order_by(RegistryReport.id.desc()).first())
    return DebtorState(contractor, warning, claims, eligibility, report)


def debtor_states(today: dt.date) -> list[DebtorState]:
    """Every warned contractor, by name."""
    warnings = registry_warnings()
    contractors = Contractor.select().where(Contractor.id.in_(list(warnings)))
    return sorted((debtor_state(c, warnings[c.id], today) for c in contractors),
                  key=lambda s: (s.contractor.name.casefold(), s.contractor.id))


# --- art. 29: updates after a payment or a change ----------------------------------------

CHANGE_KINDS = (EventKind.PAYMENT_RECORDED, EventKind.PAYMENT_REMOVED,
                EventKind.DOCUMENT_CORRECTED)


@dataclass(frozen=True)
class UpdateDue:
    claim: RegistryClaim
    document: Document
    changed_on: dt.date  # the day the change was recorded (learnt of)
    due_by: dt.date

    def overdue(self, today: dt.date) -> bool:
        return today > self.due_by


def updates_due() -> list[UpdateDue]:
    """Reported claims whose document's outstanding amount is no longer what the bureau
    holds, with the day the change was recorded and the day the update is due by."""
    due = []
    rows = (RegistryClaim.select(RegistryClaim, RegistryReport, Document)
            .join(RegistryReport).switch(RegistryClaim).join(Document)
            .where(Document.outstanding != RegistryClaim.outstanding_reported)
            .order_by(RegistryClaim.id))
    for claim in rows:
        since = claim.updated_on or claim.report.reported_on
        changed = (CollectionEvent.select(fn.MIN(CollectionEvent.day))
                   .where((CollectionEvent.document == claim.document_id)
                          & CollectionEvent.kind.in_(CHANGE_KINDS)
                          & (CollectionEvent.day >= since)).scalar())
        changed_on = _day(changed) if changed is not None else since
        due.append(UpdateDue(claim, claim.document, changed_on,
                             changed_on + dt.timedelta(days=UPDATE_DAYS)))
    return due


# --- the export --------------------------------------------------------------------------

COLUMNS = (
    N_("Creditor"), N_("Creditor's NIP"), N_("Creditor's address"), N_("Debtor"),
    N_("Debtor is"), N_("Debtor's NIP"), N_("Debtor's address"), N_("Document"),
    N_("Issue date"), N_("Due date"), N_("Gross"), N_("Currency"), N_("Outstanding"),
    N_("Disputed"), N_("Warning sent"), N_("Sent by"), N_("Registered number"),
    N_("Bureau"), N_("Bureau's address"), N_("Reported on"), N_("Reported by"),
)
KIND_WORDS = {DebtorKind.BUSINESS: N_("a business"), DebtorKind.CONSUMER: N_("a consumer")}
CHANNEL_WORDS = {WarningChannel.REGISTERED: N_("registered letter"),
                 WarningChannel.BY_HAND: N_("by hand"),
                 WarningChannel.EMAIL_PER_CONTRACT: N_("e-mail (as the contract provides)")}


def reported_claims(state: DebtorState) -> list[Document]:
    """The claims a report names: those the act's amount counts."""
    return [c.document for c in state.claims if c.counted]


def write_export(state: DebtorState, settings: CollectionSettings, path: Path, language: str,
                 reported_on: dt.date, author: str) -> int:
    """The report of ``state``'s counted claims as CSV at ``path`` (one row a claim, the
    columns above, in ``language``; docs/registry.md §11), written whole or not at all.
    Returns the rows written."""
    w, style = words(language), CsvStyle(language)
    contractor, warning = state.contractor, state.warning
    kind = debtor_kind(contractor)

    def write(out: TextIO) -> int:
        writer = style.writer(out)
        writer.writerow([w.t(c) for c in COLUMNS])
        documents = reported_claims(state)
        for document in documents:
            writer.writerow([
                settings.company_name, settings.company_nip, settings.company_address,
                contractor.name, w.t(KIND_WORDS[kind]), contractor.nip or contractor.vat_eu,
                " ".join(contractor.address.split()), document.number,
                document.issue_date.isoformat(), document.due_date.isoformat(),
                style.amount(to_grosze(document.gross)), document.currency,
                style.amount(to_grosze(document.outstanding)), w.t("no"),
                warning.sent_on.isoformat(), w.t(CHANNEL_WORDS[warning.channel]),
                warning.registered_number, settings.registry_bureau_name,
                settings.registry_bureau_address, reported_on.isoformat(), author,
            ])
        return len(documents)

    return write_file_atomically(path, write)


def unmet_words(eligibility: Eligibility, language: str) -> list[str]:
    """Why a debtor may not be reported yet, in words."""
    return [_unmet(u.code, u.params, language) for u in eligibility.unmet]


def _unmet(code: str, params: dict, language: str) -> str:
    w = words(language)
    if code == "below_threshold":
        return w.t("the claims counted come to {total}, under the act's {threshold}",
                   total=amount_text(params["total"], "PLN", language),
                   threshold=amount_text(params["threshold"], "PLN", language))
    # The day each waits for is the eligibility's ``eligible_from``, said with it.
    if code == "not_due_long_enough":
        return w.t("the claims have not been due for 30 days yet")
    if code == "month_not_passed":
        return w.t("a month has not passed since the warning")
    if code == "no_warning":
        return w.t("no warning was sent")
    if code == "email_warning_to_consumer":
        return w.t("a consumer must be warned by registered letter, not by e-mail")
    return w.t("the warning does not name the bureau's firm and seat")


def state_line(state: DebtorState, today: dt.date, language: str) -> str:
    """Where a warned debtor stands, in words: reported, may be reported (since when),
    may be reported from a day (and what waits), or may not be reported (why)."""
    w = words(language)
    eligibility = state.eligibility
    if state.report is not None:
        return w.t("reported on {day} (report #{id})", day=day_text(state.report.reported_on),
                   id=state.report.id)
    if eligibility.reportable:
        return w.t("MAY BE REPORTED (since {day})", day=day_text(eligibility.eligible_from))
    why = "; ".join(unmet_words(eligibility, language))
    if eligibility.eligible_from is not None and eligibility.eligible_from > today:
        return w.t("may be reported from {day}: {why}", day=day_text(eligibility.eligible_from),
                   why=why)
    return w.t("may not be reported: {why}", why=why)


def export_name(state: DebtorState, today: dt.date) -> str:
    """The export's file name when none is given: ``rejestr-CODE-DAY.csv``."""
    return f"rejestr-{state.contractor.code}-{today.isoformat()}.csv"


def report_debtor(clock: Clock, state: DebtorState, settings: CollectionSettings, path: Path,
                  language: str, author: str) -> tuple[RegistryReport, int]:
    """Write the export of ``state`` (a debtor who may be reported) to ``path``, then record
    the report with the claims it names at their outstanding amounts. Returns the report
    and the number of claims. ``OSError``: the file could not be written (nothing was
    recorded); ``RegistryRefused``: the report could not be recorded."""
    today = clock.today()
    write_export(state, settings, path, language, today, author)
    claims = [(d, d.outstanding) for d in reported_claims(state)]
    report = record_report(clock, state.contractor, state.warning_message, (
        settings.registry_bureau_name, settings.registry_bureau_address), claims,
        str(path.resolve()), author)
    return report, len(claims)
