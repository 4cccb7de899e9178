"""What people (and importers) do to the ledger, each in one short write transaction.

Every action that changes a document's collection writes its event in the same
transaction, so the history can never disagree with the state. The rules for when
collection ends or resumes (SPEC §4, *End of collection*) live here, because a
payment, a flag switch and a pass all reach them.

Every write of a contractor's or a document's own columns goes through
``versions.touch`` (one more ``version``, who and when). The interactive saves (the
contractor editor, the document screen's flag switch and payment, recovery's
corrections to the contractor) pass the version their user saw and are refused with
``ChangedMeanwhile`` when someone wrote the row meanwhile.

Decision written down: the document screen's payment carries the version too. The
fresh outstanding already refuses an overpayment, but not the same partial payment
entered twice (by a colleague, or matched from a bank statement a minute earlier);
the cost is a refusal when the pass advanced the document while the dialog was open,
which is rare (the pass runs a few times a day) and says what to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from ..models import (
    PAYMENT_METHODS,
    CollectionEvent,
    Contractor,
    Document,
    EventKind,
    Payment,
    database,
)
from ..models.money import format_amount
from ..models.text import fold
from .addresses import addresses_changed
from .calendar import legal_due_date
from .clock import Clock, utc_now_naive
from .identity import AUTHOR_ENV as AUTHOR_ENV  # re-exported: callers import it from here
from .identity import SYSTEM
from .identity import current_author as current_author  # re-exported, as AUTHOR_ENV
from .settings import CollectionSettings
from .versions import ChangedMeanwhile as ChangedMeanwhile  # re-exported, as AUTHOR_ENV
from .versions import check_version, touch, touch_many


class EndReason:
    PAID = "paid"
    FLAG_OFF = "flag_off"
    MAX_DEMANDS = "max_demands"
    RECOVERY = "recovery"


def record_event(
    clock: Clock,
    kind: str,
    document: Document | int | None,
    text: str = "",
    author: str = SYSTEM,
    **extra: object,
) -> CollectionEvent:
    return CollectionEvent.create(
        document=document,
        kind=kind,
        at=utc_now_naive(clock),
        day=clock.today(),
        author=author,
        text=text,
        **extra,
    )


def create_contractor(clock: Clock, **fields: object) -> Contractor:
    return Contractor.create(created_at=utc_now_naive(clock), **fields)


def create_document(
    clock: Clock,
    settings: CollectionSettings,
    contractor: Contractor,
    number: str,
    issue_date: dt.date,
    due_date: dt.date,
    gross: Decimal,
    currency: str = "PLN",
    exchange_rate: Decimal | None = None,
    bank_account: str = "",
    origin: str = "",
    author: str = SYSTEM,
) -> Document:
    """SPEC §3: a document created while the module is on takes its contractor's flag;
    one created while it is off starts excluded. ``bank_account``: the account the
    invoice asks to be paid to, when its source names one (KSeF). ``origin``: where it
    came from, in the fixed form of ``EventKind.DOCUMENT_ARRIVED`` (``ksef <number>``,
    ``file <path>``), recorded as the first event of its timeline, by ``author`` (the
    person importing, or ``system`` for the worker)."""
    document = Document.create(
        number=number,
        contractor=contractor,
        issue_date=issue_date,
        due_date=due_date,
        legal_due_date=legal_due_date(due_date),
        currency=currency,
        gross=gross,
        exchange_rate=exchange_rate,
        outstanding=gross,
        subject_to_collection=settings.module_enabled and contractor.subject_to_collection,
        created_at=utc_now_naive(clock),
        contractor_key=fold(contractor.name),
        bank_account=bank_account,
    )
    if origin:
        record_event(clock, EventKind.DOCUMENT_ARRIVED, document, text=origin, author=author)
    return document


def update_contractor(
    clock: Clock, contractor: Contractor | int, fields: dict[str, Any],
    author: str | None = None, expected_version: int | None = None,
) -> list[str]:
    """Save the fields that differ from the stored row; returns their names. A new name
    re-folds the sort and search key of the contractor's documents in the same
    transaction; an address changed or removed loses its failing mark (addresses.py).

    ``expected_version``: the version the user saw; when the row moved since, the save
    is refused (``ChangedMeanwhile``) — unless nothing differs from what is stored, as
    then nobody's change is overwritten."""
    contractor_id = contractor if isinstance(contractor, int) else contractor.id
    with database.atomic():
        stored = Contractor.get_by_id(contractor_id)
        changed = {name: value for name, value in fields.items()
                   if getattr(stored, name) != value}
        if not changed:
            return []
        check_version(stored, expected_version, clock)
        touch(Contractor, contractor_id, clock, author or current_author(),
              expected=stored.version, **changed)
        if "name" in changed:
            Document.update(contractor_key=fold(changed["name"])).where(
                Document.contractor == contractor_id
            ).execute()
        if "emails" in changed:
            # An address the user changed or removed is no longer marked failing.
            addresses_changed(contractor_id, changed["emails"])
    if not isinstance(contractor, int):
        for name, value in changed.items():
            setattr(contractor, name, value)
    return list(changed)


def messages_went_out(document: Document) -> bool:
    return document.reminder_sent_on is not None or document.demands_sent > 0


def finish_collection(
    clock: Clock, settings: CollectionSettings, document: Document, reason: str, author: str
) -> None:
    """Record the end of a document's collection once; the pass mails the report."""
    if document.collection_ended_on is not None:
        return
    document.collection_ended_on = clock.today()
    document.collection_end_reason = reason
    touch(Document, document.id, clock, author, collection_ended_on=clock.today(),
          collection_end_reason=reason)
    record_event(
        clock,
        EventKind.COLLECTION_FINISHED,
        document,
        text=reason,
        author=author,
        needs_report=settings.report_enabled and bool(settings.report_email),
    )


def resume_collection(clock: Clock, document: Document, reason: str, author: str) -> None:
    """Undo an end caused by ``reason`` (a removed payment, a flag switched back on)."""
    if document.collection_ended_on is None or document.collection_end_reason != reason:
        return
    document.collection_ended_on = None
    document.collection_end_reason = None
    touch(Document, document.id, clock, author, collection_ended_on=None,
          collection_end_reason=None)
    record_event(clock, EventKind.COLLECTION_RESUMED, document, text=reason, author=author)


#: Called inside the payment's transaction when a payment of that method is recorded,
#: and when one is removed (the payment row already deleted, its values still on the
#: object; the hook is also told who removed it), so that a room above the ledger follows
#: the money without the ledger importing it: recovery registers the agency's commission
#: and the case's status here (``recovery.hooks.register_hooks``, called at start-up).
PAYMENT_RECORDED_HOOKS: dict[str, Callable[[Clock, Payment], None]] = {}
PAYMENT_REMOVED_HOOKS: dict[str, Callable[[Clock, Payment, str], None]] = {}


class PaymentRefused(ValueError):
    """A payment that cannot be recorded as given; nothing was stored."""


def check_payment(document: Document, amount: Decimal, method: str) -> None:
    """Refuse what would corrupt the ledger: a non-positive amount, more than is
    outstanding (overpayments are refused, as in the payments import), an unknown
    method."""
    if amount <= 0:
        raise PaymentRefused("the amount must be more than zero")
    if amount > document.outstanding:
        raise PaymentRefused(
            f"{format_amount(amount, document.currency)} is more than the outstanding "
            f"{format_amount(document.outstanding, document.currency)}"
        )
    if method not in PAYMENT_METHODS:
        raise PaymentRefused(f"unknown method {method!r}")


def record_payment(
    clock: Clock,
    settings: CollectionSettings,
    document: Document,
    paid_on: dt.date,
    amount: Decimal,
    method: str = "transfer",
    reference: str = "",
    author: str | None = None,
    expected_version: int | None = None,
) -> Payment:
    """Record a payment and lower the outstanding; ``expected_version``: the document's
    version the user saw when the payment dialog opened (see the module docstring)."""
    author = author or current_author()
    with database.atomic():
        document = Document.get_by_id(document.id)  # fresh: another session may have paid
        check_version(document, expected_version, clock)
        check_payment(document, amount, method)
        payment = Payment.create(
            document=document,
            paid_on=paid_on,
            amount=amount,
            method=method,
            reference=reference,
            author=author,
            created_at=utc_now_naive(clock),
        )
        document.outstanding = document.outstanding - amount
        touch(Document, document.id, clock, author, expected=document.version,
              outstanding=document.outstanding)
        text = f"{format_amount(amount, document.currency)} ({method}) {paid_on.isoformat()}"
        record_event(clock, EventKind.PAYMENT_RECORDED, document, text=text, author=author)
        if document.outstanding <= 0 and messages_went_out(document):
            finish_collection(clock, settings, document, EndReason.PAID, author)
        hook = PAYMENT_RECORDED_HOOKS.get(method)
        if hook is not None:  # money the agency recovered: recovery's commission
            hook(clock, payment)
    return payment


def record_payments(
    clock: Clock,
    settings: CollectionSettings,
    document_ids: Iterable[int],
    paid_on: dt.date,
    amount: Decimal | None = None,
    method: str = "transfer",
    reference: str = "",
    author: str | None = None,
) -> list[Payment]:
    """One payment on each of several documents (the unpaid list's *Pay* for marked
    documents), all or none: ``amount`` on each, or None for each document's outstanding
    amount as it stands (a bulk settlement pays each in full). When one document refuses
    its payment (``PaymentRefused``: paid meanwhile, an overpayment), nothing is stored."""
    author = author or current_author()
    with database.atomic():
        documents = Document.select().where(Document.id.in_(list(document_ids)))
        return [
            record_payment(clock, settings, document, paid_on,
                           document.outstanding if amount is None else amount,
                           method, reference, author)
            for document in documents.order_by(Document.id)
        ]


def remove_payment(clock: Clock, payment: Payment, author: str | None = None) -> Document:
    """Delete a payment; a document it had settled resumes collection where it stopped,
    and what followed the payment (an agency's commission) is reversed by its hook."""
    author = author or current_author()
    with database.atomic():
        payment = Payment.get_by_id(payment.id)
        document = Document.get_by_id(payment.document_id)
        document.outstanding = document.outstanding + payment.amount
        touch(Document, document.id, clock, author, expected=document.version,
              outstanding=document.outstanding)
        text = (
            f"{format_amount(payment.amount, document.currency)} ({payment.method}) "
            f"{payment.paid_on.isoformat()}"
        )
        payment.delete_instance()
        record_event(clock, EventKind.PAYMENT_REMOVED, document, text=text, author=author)
        if document.outstanding > 0:
            resume_collection(clock, document, EndReason.PAID, author)
        hook = PAYMENT_REMOVED_HOOKS.get(payment.method)
        if hook is not None:
            hook(clock, payment, author)
    return document


FLAG_CHUNK = 500


def set_subject_to_collection(
    clock: Clock,
    settings: CollectionSettings,
    document_ids: Iterable[int],
    enabled: bool,
    author: str | None = None,
) -> int:
    """Switch documents' flag; returns how many changed. One event per changed document.

    Done in chunks of FLAG_CHUNK documents, each chunk one transaction holding its
    flags and their events together, so that ``flag on --all-unpaid`` over a million
    documents never holds the write lock for long; a run cut short leaves every
    document either switched with its event or untouched, and running it again
    finishes the job.
    """
    author = author or current_author()
    ids = list(document_ids)
    changed = 0
    for start in range(0, len(ids), FLAG_CHUNK):
        with database.atomic():
            changed += _switch_chunk(clock, settings, ids[start : start + FLAG_CHUNK],
                                     enabled, author)
    return changed


def _switch_chunk(
    clock: Clock, settings: CollectionSettings, ids: list[int], enabled: bool, author: str
) -> int:
    documents = list(
        Document.select().where(
            Document.id.in_(ids) & (Document.subject_to_collection != enabled)
        )
    )
    if not documents:
        return 0
    touch_many(Document, [d.id for d in documents], clock, author,
               subject_to_collection=enabled)
    _after_switch(clock, settings, documents, enabled, author)
    return len(documents)


def switch_document(
    clock: Clock, settings: CollectionSettings, document_id: int, enabled: bool,
    seen_version: int, author: str | None = None,
) -> bool:
    """The document screen's switch: refused (``ChangedMeanwhile``) when the document
    moved since the user read it, so that nobody switches on what they have not seen.
    Returns whether the flag changed."""
    author = author or current_author()
    with database.atomic():
        document = Document.get_by_id(document_id)
        check_version(document, seen_version, clock)
        if document.subject_to_collection == enabled:
            return False
        touch(Document, document_id, clock, author, expected=seen_version,
              subject_to_collection=enabled)
        _after_switch(clock, settings, [document], enabled, author)
    return True


def _after_switch(
    clock: Clock, settings: CollectionSettings, documents: list[Document], enabled: bool,
    author: str,
) -> None:
    """The switched documents' events, and the end or resumption of their collection."""
    at, day, text = utc_now_naive(clock), clock.today(), "on" if enabled else "off"
    CollectionEvent.insert_many(
        [
            {"document": d.id, "kind": EventKind.FLAG_CHANGED, "at": at, "day": day,
             "author": author, "text": text}
            for d in documents
        ]
    ).execute()
    for document in documents:
        document.subject_to_collection = enabled
        if not enabled and messages_went_out(document):
            finish_collection(clock, settings, document, EndReason.FLAG_OFF, author)
        if enabled:
            resume_collection(clock, document, EndReason.FLAG_OFF, author)


def add_note(
    clock: Clock, document: Document, text: str, author: str | None = None
) -> CollectionEvent:
    if not text.strip():
        raise ValueError("a note cannot be empty")
    with database.atomic():
        return record_event(
            clock, EventKind.NOTE, document, text=text.strip(), author=author or current_author()
        )
