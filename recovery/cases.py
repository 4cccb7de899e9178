"""Recovery cases: who may be handed over, recording a case, its status, and its end.

Decisions written down (SPEC §8 and issue 4):

* **Eligible** is a document that is overdue (its legal due date has passed: before
  that day the customer may still pay on time), has something outstanding, and is in
  no active case. Anything else is refused with the reason. *Overdue* and the *days
  overdue* stored with each receivable (the agency's CSV/JSON, the commission's
  "oldest receivable") are ``law/lateness.py``'s, as everywhere else: days past the
  legal due date.
* **One case per contractor per order.** Marked documents of several contractors are
  grouped by contractor; the user picks one, and the others stay marked for the next.
* **Recording a case** (``add_case``) is one transaction: the case, its documents, each
  document's pointer to its active case, a *handed to agency* event per document, and
  the end of each document's automatic collection (reason ``recovery``). The case
  starts *not sent*; ``finish_order`` hands the order's unsent cases to the gateway.
* **Statuses** come from the gateway, a status file or a person. A final status
  (recovered, closed without success, withdrawn) frees the documents; *withdrawn*
  puts them back under automatic collection (collection resumes where it stopped).
* **Money recovered** is settled with the ordinary payment (method ``agency``); the
  commission at the case's rate (on the payment in PLN) is recorded against the case,
  one ``CaseCommission`` entry per payment, and a case whose documents are all paid
  becomes *recovered*.
* **The commission follows the payment.** Removing an agency payment adds a reversing
  entry (the negative amount, the same payment id) — entries, like events, are never
  deleted — and ``commission_recorded`` is again the sum of the entries. A status the
  payments set (*partly recovered*, *recovered*, noted ``payment N``) is worked out
  again: *partly recovered* while other agency payments remain, otherwise the status
  the case had before the first payment; documents a payment's *recovered* had
  released are back in the case. A status the agency reported is the agency's and
  stays. Both hooks run in the payment's transaction (``ledger.actions`` calls them;
  ``recovery/hooks.py`` puts them there at start-up).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal

from peewee import fn

from ..dunning.facts import outstanding_in_pln
from ..dunning.history import history_views
from ..dunning.outbox import cancel
from ..i18n import t
from ..law.lateness import days_late, is_overdue
from ..ledger.actions import (
    EndReason,
    current_author,
    finish_collection,
    record_event,
    resume_collection,
    update_contractor,
)
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.names import CASE_STATUS_NAMES, name_of
from ..ledger.settings import CollectionSettings
from ..ledger.versions import touch
from ..models import (
    Agreement,
    CaseCommission,
    CaseDocument,
    CaseStatus,
    CaseStatusChange,
    Contractor,
    Dispute,
    DisputeState,
    Document,
    DocumentStep,
    EventKind,
    Message,
    MessageState,
    Payment,
    RecoveryCase,
    RecoveryOrder,
    StepKind,
    database,
)
from ..models.money import round_money
from .agencies import AgencyError, load_agency
from .commission import Commission


class RecoveryError(ValueError):
    """An action on a case that cannot be done as asked; nothing was stored."""


@dataclass(frozen=True)
class Refusal:
    document: Document
    reason: str  # code: not_overdue | paid | in_case | disputed


@dataclass(frozen=True)
class Selection:
    """Marked documents sorted out: the eligible ones by contractor, and the refused."""

    by_contractor: dict[int, list[Document]]
    refused: list[Refusal]


@dataclass(frozen=True)
class Debtor:
    """The contractor's data as verified for a case (what the agency receives)."""

    name: str
    nip: str
    address: str
    email: str
    phone: str
    business: bool = True
    # A company registered in another EU state: its EU VAT number (``CZ12345678``)
    # instead of a Polish NIP. It stays a business: the agency gets the number.
    vat_eu: str = ""


def refusal_reason(document: Document, today: dt.date) -> str | None:
    if document.outstanding <= 0:
        return "paid"
    if not is_overdue(document.legal_due_date, today):
        return "not_overdue"
    if document.recovery_case is not None:
        return "in_case"
    # Issue 15: a contested debt goes to no agency until a person resolves the dispute.
    if Dispute.select().where((Dispute.document == document.id)
                              & (Dispute.state == DisputeState.OPEN)).exists():
        return "disputed"
    return None


def sort_out(document_ids: Iterable[int], today: dt.date) -> Selection:
    by_contractor: dict[int, list[Document]] = {}
    refused: list[Refusal] = []
    documents = Document.select().where(Document.id.in_(list(document_ids)))
    for document in documents.order_by(Document.due_date, Document.id):
        reason = refusal_reason(document, today)
        if reason:
            refused.append(Refusal(document, reason))
        else:
            by_contractor.setdefault(document.contractor_id, []).append(document)
    return Selection(by_contractor, refused)


def days_overdue(document: Document, today: dt.date) -> int:
    """Days past the legal due date (``law.lateness.days_late``)."""
    return days_late(document.legal_due_date, today)


def case_amount(documents: Iterable[Document]) -> Decimal:
    """What a case asks the agency to recover, in PLN."""
    return sum((outstanding_in_pln(d) for d in documents), Decimal("0.00"))


def current_agreement(agency: str) -> Agreement | None:
    return (Agreement.select().where(Agreement.agency == agency)
            .order_by(Agreement.concluded_at.desc()).first())


def conclude_agreement(
    clock: Clock, agency: str, terms_version: str, *, person_name: str, person_email: str,
    person_position: str = "", person_phone: str = "", author: str | None = None,
) -> Agreement:
    if not person_name.strip() or not person_email.strip():
        raise RecoveryError(t("the authorised person's name and e-mail are required"))
    return Agreement.create(
        agency=agency, terms_version=terms_version, person_name=person_name.strip(),
        person_position=person_position.strip(), person_email=person_email.strip(),
        person_phone=person_phone.strip(), concluded_at=utc_now_naive(clock),
        author=author or current_author(),
    )


def open_order(clock: Clock, agency: str, author: str | None = None) -> RecoveryOrder:
    if current_agreement(agency) is None:
        raise RecoveryError(t("conclude the agreement with the agency first"))
    return RecoveryOrder.create(agency=agency, created_at=utc_now_naive(clock),
                                author=author or current_author())


def add_case(
    clock: Clock, settings: CollectionSettings, order: RecoveryOrder, contractor: Contractor,
    debtor: Debtor, documents: list[Document], commission: Commission, *,
    commission_from_debtor: bool = False, save_to_contractor: bool = False,
    author: str | None = None,
) -> RecoveryCase:
    """Record one contractor's case in an open order (see the module docstring)."""
    author = author or current_author()
    today = clock.today()
    if order.finished_at is not None:
        raise RecoveryError(t("this order is already finished"))
    if not documents:
        raise RecoveryError(t("a case needs at least one document"))
    now = utc_now_naive(clock)
    with database.atomic():
        fresh = [Document.get_by_id(d.id) for d in documents]  # another session may act
        for document in fresh:
            reason = refusal_reason(document, today)
            if document.contractor_id != contractor.id:
                reason = "other_contractor"
            if reason:
                raise RecoveryError(f"{document.number} cannot be handed over: {reason}")
        if save_to_contractor:
            # The corrections typed on the verify step: refused (ChangedMeanwhile, the
            # whole case with them) when the contractor was saved by someone else since
            # the step read it, so that they never overwrite a colleague's change.
            update_contractor(clock, contractor.id, {
                "name": debtor.name, "nip": debtor.nip or None, "vat_eu": debtor.vat_eu,
                "address": debtor.address, "emails": debtor.email, "phone": debtor.phone},
                author=author,
                expected_version=contractor.version)
        case = RecoveryCase.create(
            order=order, contractor=contractor, status_at=now,
            debtor=json.dumps(asdict(debtor), ensure_ascii=False),
            total=case_amount(fresh),
            oldest_days_overdue=max(days_overdue(d, today) for d in fresh),
            commission_rate=commission.rate, commission=commission.amount,
            commission_from_debtor=commission_from_debtor, created_at=now, author=author,
        )
        CaseStatusChange.create(case=case, status=CaseStatus.NOT_SENT, at=now, source="user",
                                author=author)
        for document in fresh:
            CaseDocument.create(case=case, document=document, outstanding=document.outstanding,
                                days_overdue=days_overdue(document, today))
            document.recovery_case = case.id
            touch(Document, document.id, clock, author, expected=document.version,
                  recovery_case=case.id)
            record_event(clock, EventKind.HANDED_TO_AGENCY, document,
                         text=f"case {case.id}, order {order.id}, {order.agency}", author=author)
            finish_collection(clock, settings, document, EndReason.RECOVERY, author)
    return case


def set_status(
    clock: Clock, case: RecoveryCase, status: str, *, source: str, note: str = "",
    author: str | None = None,
) -> bool:
    """Record a new status (an event on each document); False if it is already so.
    A final status frees the documents; *withdrawn* resumes their collection."""
    if status not in CaseStatus.ALL:
        raise RecoveryError(f"unknown case status {status!r}")
    # A gateway's answer is the system's doing; a status file is imported by a person.
    author = author or ("system" if source == "gateway" else current_author())
    with database.atomic():
        case = RecoveryCase.get_by_id(case.id)
        if case.status == status:
            return False
        if case.status in CaseStatus.FINAL:
            raise RecoveryError(t("case {case} is already {status}", case=case.id,
                                  status=name_of(CASE_STATUS_NAMES, case.status)))
        now = utc_now_naive(clock)
        case.status, case.status_at = status, now
        case.save(only=[RecoveryCase.status, RecoveryCase.status_at])
        CaseStatusChange.create(case=case, status=status, at=now, source=source, note=note,
                                author=author)
        links = list(case.documents.where(CaseDocument.active))
        for link in links:
            record_event(clock, EventKind.AGENCY_STATUS, link.document_id,
                         text=f"case {case.id}: {status}" + (f" — {note}" if note else ""),
                         author=author)
        if status in CaseStatus.FINAL:
            _release(clock, case, links, resume=status == CaseStatus.WITHDRAWN, author=author)
        if status == CaseStatus.WITHDRAWN:
            _withdraw_unsent_handover(case)
    return True


def _release(clock: Clock, case: RecoveryCase, links: list[CaseDocument], resume: bool,
             author: str) -> None:
    for link in links:
        link.active = False
        link.save(only=[CaseDocument.active])
        document = Document.get_by_id(link.document_id)
        document.recovery_case = None
        touch(Document, document.id, clock, author, recovery_case=None)
        if resume and document.outstanding > 0:
            resume_collection(clock, document, EndReason.RECOVERY, author)


def case_of_payment(document_id: int) -> RecoveryCase | None:
    """The case an agency payment on this document belongs to: its active case, or the
    last case the agency reported money on (a status file may say *recovered* before
    the bookkeeper records the payment)."""
    link = (CaseDocument.select().where(CaseDocument.document == document_id)
            .order_by(CaseDocument.active.desc(), CaseDocument.id.desc()).first())
    if link is None:
        return None
    case = RecoveryCase.get_by_id(link.case_id)
    if not link.active and case.status not in (CaseStatus.RECOVERED,
                                                CaseStatus.PARTLY_RECOVERED):
        return None
    return case


PAYMENT_NOTE = re.compile(r"^payment \d+( removed)?$")


def _in_pln(document: Document, amount: Decimal) -> Decimal:
    if document.exchange_rate is None:
        return amount
    return round_money(amount * document.exchange_rate)


def on_payment(clock: Clock, payment: Payment) -> None:
    """A payment by the agency: record the commission at the case's rate, and close
    the case as recovered once every document in it is paid. Called in the payment's
    transaction."""
    if payment.method != "agency":
        return
    case = case_of_payment(payment.document_id)
    if case is None:
        return
    document = Document.get_by_id(payment.document_id)
    earned = round_money(_in_pln(document, payment.amount) * case.commission_rate / 100)
    CaseCommission.create(case=case.id, document=document.id, payment_id=payment.id,
                          payment_amount=payment.amount, amount=earned,
                          at=utc_now_naive(clock), author=payment.author or current_author())
    RecoveryCase.update(commission_recorded=RecoveryCase.commission_recorded + earned).where(
        RecoveryCase.id == case.id).execute()
    if case.status in CaseStatus.FINAL:
        return  # the agency already reported the end; only the commission was owed
    unpaid = (Document.select().join(CaseDocument, on=CaseDocument.document == Document.id)
              .where((CaseDocument.case == case.id) & CaseDocument.active
                     & (Document.outstanding > 0)).exists())
    status = CaseStatus.PARTLY_RECOVERED if unpaid else CaseStatus.RECOVERED
    set_status(clock, case, status, source="user", note=f"payment {payment.id}",
               author=payment.author or None)


def on_payment_removed(clock: Clock, payment: Payment, author: str) -> None:
    """An agency payment was removed (its row is gone): reverse its commission and
    work the case's status out again (see the module docstring). Called in the
    removal's transaction."""
    entries = list(CaseCommission.select().where(CaseCommission.payment_id == payment.id))
    now = utc_now_naive(clock)
    for case_id in sorted({entry.case_id for entry in entries}):
        net = sum((e.amount for e in entries if e.case_id == case_id), Decimal("0.00"))
        if net == 0:
            continue  # reversed already
        CaseCommission.create(case=case_id, document=payment.document_id,
                              payment_id=payment.id, payment_amount=-payment.amount,
                              amount=-net, at=now, author=author)
        RecoveryCase.update(commission_recorded=RecoveryCase.commission_recorded - net).where(
            RecoveryCase.id == case_id).execute()
        _status_without_payment(clock, RecoveryCase.get_by_id(case_id), payment, author)


def _status_without_payment(clock: Clock, case: RecoveryCase, payment: Payment,
                            author: str) -> None:
    history = list(case.history.order_by(CaseStatusChange.at.desc(),
                                         CaseStatusChange.id.desc()))
    if not history or not PAYMENT_NOTE.match(history[0].note) or history[0].source != "user":
        return  # the agency (or a person) set this status: it stays
    before = next((h.status for h in history if not PAYMENT_NOTE.match(h.note)),
                  CaseStatus.WAITING)
    if case.status == CaseStatus.RECOVERED:
        _take_back(clock, case, author)
    paid = (CaseCommission.select(fn.SUM(CaseCommission.amount))
            .where(CaseCommission.case == case.id).scalar() or 0)
    unpaid = (Document.select().join(CaseDocument, on=CaseDocument.document == Document.id)
              .where((CaseDocument.case == case.id) & CaseDocument.active
                     & (Document.outstanding > 0)).exists())
    # Other agency money on the case keeps it partly recovered; none: as before it.
    status = (CaseStatus.PARTLY_RECOVERED if paid else before) if unpaid \
        else CaseStatus.RECOVERED
    if status == case.status:
        return
    now = utc_now_naive(clock)
    RecoveryCase.update(status=status, status_at=now).where(
        RecoveryCase.id == case.id).execute()
    note = f"payment {payment.id} removed"
    CaseStatusChange.create(case=case, status=status, at=now, source="user", note=note,
                            author=author)
    for link in case.documents.where(CaseDocument.active):
        record_event(clock, EventKind.AGENCY_STATUS, link.document_id,
                     text=f"case {case.id}: {status} — {note}", author=author)


def _take_back(clock: Clock, case: RecoveryCase, author: str) -> None:
    """A *recovered* the payments had set released the documents; one owes again: the
    documents still owing and in no other case are the case's again."""
    for link in case.documents.where(~CaseDocument.active):
        document = Document.get_by_id(link.document_id)
        if document.outstanding <= 0 or document.recovery_case is not None:
            continue
        link.active = True
        link.save(only=[CaseDocument.active])
        touch(Document, document.id, clock, author, recovery_case=case.id)


def agency_name_of(code: str) -> str:
    """The name of the agency ``code`` from its file; the code when it cannot be read."""
    try:
        return load_agency(code).name
    except (AgencyError, OSError, ValueError):
        return code




def _withdraw_unsent_handover(case: RecoveryCase) -> None:
    """A withdrawn case's hand-over e-mail still waiting in the outbox must not go."""
    waiting = (Message.select().join(DocumentStep)
               .where((DocumentStep.kind == StepKind.AGENCY) & (DocumentStep.number == case.id)
                      & Message.state.in_((MessageState.PLANNED, MessageState.RETRY,
                                           MessageState.FAILED)))
               .distinct())
    for message in waiting:
        cancel(message, f"case {case.id} withdrawn")


def case_package(case: RecoveryCase) -> dict:
    """Everything an agency (or a lawyer) needs to work the case, agency-neutral: the
    debtor, the documents and amounts, and the collection history with dates."""
    links = list(case.documents.order_by(CaseDocument.id))
    documents = []
    for link in links:
        document = link.document
        documents.append({
            "number": document.number,
            "issue_date": document.issue_date.isoformat(),
            "due_date": document.due_date.isoformat(),
            "currency": document.currency,
            "gross": str(document.gross),
            "outstanding": str(link.outstanding),
            "days_overdue": link.days_overdue,
            "history": [{"day": e["day"].isoformat(), "kind": e["kind"], "text": e["text"]}
                        for e in history_views(document.id)],
        })
    return {
        "case": case.id,
        "order": case.order_id,
        # Cases recorded before the EU VAT number was kept read as businesses without one.
        "debtor": {"business": True, "vat_eu": "", **json.loads(case.debtor)},
        "total_pln": str(case.total),
        "oldest_days_overdue": case.oldest_days_overdue,
        "commission": {"rate_percent": str(case.commission_rate),
                       "estimate_pln": str(case.commission),
                       "claimed_from_debtor": case.commission_from_debtor},
        "documents": documents,
    }


__all__ = [
    "Debtor", "Refusal", "RecoveryError", "Selection", "add_case", "case_amount",
    "case_package", "conclude_agreement", "current_agreement", "days_overdue", "on_payment",
    "on_payment_removed", "open_order", "refusal_reason", "set_status",
    "sort_out",
]
