"""What a person records about a debtor's answer (issue 15): promises to pay, disputes, and
the decision about a reply. Each is one short write transaction with its events.

A **promise** names the debtor's documents, an amount and a day; collection of those
documents waits until the day plus ``promise.grace_days`` (copied into the promise when
it is made). ``settle_promises`` — run before every pass — keeps a promise as soon as the
documents owe ``amount`` less than when it was made (or nothing at all), and breaks it
once its wait is over unpaid; a broken promise lets the next step go on the next
allowed day (``dunning.policy.earliest_demand``). A new promise for a document replaces
an open one (the older is withdrawn, saying by which).

A **dispute** is per document: a reason and optionally the amount contested; while it is
open nothing is sent for the document and no agency gets it. A person resolves it with a
note; collection then goes on from where it stood.

A **reply** (``importers/inbox.py`` stores it as waiting) pauses its documents until a
person decides: a promise or a dispute made "from" the reply settles it in the same
transaction; ``decide_reply`` records *resume* or *not relevant*. A reply nobody could
match is assigned to a contractor with ``assign_reply`` (it then pauses that
contractor's documents under collection until decided).

Event texts are fixed English forms (``ledger/answer_words.py`` puts them in words):
``promise <id>: <amount> by <YYYY-MM-DD>, waits until <YYYY-MM-DD>``, ``promise <id>``,
``dispute <id>: <amount>`` / ``dispute <id>``, ``<decision> inbox <id>``, each followed by
`` — <note>`` when a person wrote one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ..i18n import N_, t
from ..models import (
    Contractor,
    Decision,
    Dispute,
    DisputeState,
    Document,
    EventKind,
    InboxDocument,
    InboxMessage,
    InboxState,
    MatchedBy,
    Promise,
    PromiseDocument,
    PromiseState,
    database,
)
from ..models.money import format_amount
from .actions import record_event
from .clock import Clock, utc_now_naive
from .identity import SYSTEM, current_author
from .names import amount_text
from .refusal import FieldRefused
from .settings import CollectionSettings

DAY = dt.timedelta(days=1)
MAX_NOTE = 2000


class AnswerRefused(FieldRefused):
    """A promise, dispute or decision that cannot be recorded as given; nothing was
    stored. ``field``: ``amount``, ``date``, ``documents``, ``note``, ``reason``,
    ``resolution`` or ""."""


def _with_note(text: str, note: str) -> str:
    return f"{text} — {note}" if note else text


_FIELD_WORDS = {"note": N_("note"), "reason": N_("reason"), "resolution": N_("resolution")}


def _note(text: str, field: str, required: bool = False) -> str:
    """A note, reason or resolution (``field``) on one line, checked."""
    cleaned = " ".join(text.split())
    words = t(_FIELD_WORDS[field])
    if required and not cleaned:
        raise AnswerRefused(t("{field}: write what it is about", field=words), field)
    if len(cleaned) > MAX_NOTE:
        raise AnswerRefused(t("{field}: at most {n} characters", field=words, n=MAX_NOTE),
                            field)
    return cleaned


# --- promises --------------------------------------------------------------------------

def _promise_documents(documents: Sequence[Document]) -> list[Document]:
    if not documents:
        raise AnswerRefused(t("documents: choose at least one document"),
                            "documents")
    fresh = list(Document.select().where(Document.id.in_([d.id for d in documents]))
                 .order_by(Document.due_date, Document.id))
    if len({d.contractor_id for d in fresh}) != 1:
        raise AnswerRefused(t("documents: a promise covers documents of one contractor"),
                            "documents")
    if len({d.currency for d in fresh}) != 1:
        raise AnswerRefused(t("documents: a promise covers documents in one currency"),
                            "documents")
    unpaid = [d for d in fresh if d.outstanding > 0]
    if not unpaid:
        raise AnswerRefused(t("documents: nothing is outstanding on them"),
                            "documents")
    return unpaid


def _check_promise(documents: list[Document], amount: Decimal, pay_by: dt.date,
                   today: dt.date) -> Decimal:
    owed = sum((d.outstanding for d in documents), Decimal("0.00"))
    currency = documents[0].currency
    if amount <= 0:
        raise AnswerRefused(t("amount: must be more than zero"), "amount")
    if amount > owed:
        raise AnswerRefused(t("amount: {amount} is more than the outstanding {owed}",
                              amount=amount_text(amount, currency),
                              owed=amount_text(owed, currency)), "amount")
    if pay_by < today:
        raise AnswerRefused(t("date: a promise to pay cannot be for a day already past"),
                            "date")
    return owed


def make_promise(
    clock: Clock, settings: CollectionSettings, documents: Sequence[Document],
    amount: Decimal, pay_by: dt.date, author: str | None = None, note: str = "",
    reply: InboxMessage | None = None,
) -> Promise:
    """Record that the debtor promised ``amount`` by ``pay_by`` for ``documents`` (one
    contractor, one currency); from a reply, the reply is decided by it."""
    author = author or current_author()
    today = clock.today()
    note = _note(note, "note")
    with database.atomic():
        fresh = _promise_documents(documents)
        owed = _check_promise(fresh, amount, pay_by, today)
        wait_until = pay_by + settings.promise_grace_days * DAY
        promise = Promise.create(
            contractor=fresh[0].contractor_id, amount=amount, currency=fresh[0].currency,
            pay_by=pay_by, wait_until=wait_until, made_on=today, made_by=author,
            outstanding_at_start=owed, inbox_message=reply, note=note,
            created_at=utc_now_naive(clock))
        _replace_open_promises(clock, promise, [d.id for d in fresh], author)
        PromiseDocument.insert_many(
            [{"promise": promise.id, "document": d.id} for d in fresh]).execute()
        text = _with_note(
            f"promise {promise.id}: {format_amount(amount, promise.currency)} by "
            f"{pay_by.isoformat()}, waits until {wait_until.isoformat()}", note)
        for document in fresh:
            record_event(clock, EventKind.PROMISE_MADE, document, text=text, author=author)
        if reply is not None and reply.state == InboxState.WAITING:
            _decide(clock, reply, Decision.PROMISE, author, "")
    return promise


def _replace_open_promises(clock: Clock, promise: Promise, document_ids: list[int],
                           author: str) -> None:
    older = (Promise.select().join(PromiseDocument)
             .where((PromiseDocument.document.in_(document_ids))
                    & (Promise.state == PromiseState.OPEN) & (Promise.id != promise.id))
             .distinct())
    for previous in older:
        _end_promise(clock, previous, PromiseState.WITHDRAWN, clock.today(), author,
                     f"promise {previous.id} replaced by promise {promise.id}")


def _end_promise(clock: Clock, promise: Promise, state: str, day: dt.date, author: str,
                 text: str) -> None:
    Promise.update(state=state, settled_on=day).where(Promise.id == promise.id).execute()
    kind = {PromiseState.KEPT: EventKind.PROMISE_KEPT,
            PromiseState.BROKEN: EventKind.PROMISE_BROKEN,
            PromiseState.WITHDRAWN: EventKind.PROMISE_WITHDRAWN}[state]
    for document_id in promise_document_ids(promise.id):
        record_event(clock, kind, document_id, text=text, author=author)
    promise.state, promise.settled_on = state, day


def promise_document_ids(promise_id: int) -> list[int]:
    return [row.document_id for row in PromiseDocument.select(PromiseDocument.document)
            .where(PromiseDocument.promise == promise_id).order_by(PromiseDocument.id)]


def withdraw_promise(clock: Clock, promise: Promise, author: str | None = None,
                     note: str = "") -> None:
    """A person takes a promise back (entered by mistake, or the debtor said otherwise)."""
    author = author or current_author()
    note = _note(note, "note")
    with database.atomic():
        promise = Promise.get_by_id(promise.id)
        if promise.state != PromiseState.OPEN:
            raise AnswerRefused(t("this promise is no longer open"))
        _end_promise(clock, promise, PromiseState.WITHDRAWN, clock.today(), author,
                     _with_note(f"promise {promise.id}", note))


def owed_now(promise: Promise) -> Decimal:
    """What the promise's documents owe together today."""
    return sum((d.outstanding for d in Document.select(Document.outstanding)
                .where(Document.id.in_(promise_document_ids(promise.id)))),
               Decimal("0.00"))


def promise_outcome(promise: Promise, owed: Decimal, today: dt.date) -> str | None:
    """Kept once the documents owe ``amount`` less than when it was made (or nothing);
    broken the day after its wait; else still open (None). Pure."""
    if owed <= 0 or promise.outstanding_at_start - owed >= promise.amount:
        return PromiseState.KEPT
    if today > promise.wait_until:
        return PromiseState.BROKEN
    return None


def settle_promises(clock: Clock) -> list[Promise]:
    """Keep or break every open promise as today stands; returns those settled. A broken
    promise is dated the day after its wait, when collection may resume, even when the
    worker first looks at it later."""
    today = clock.today()
    settled = []
    for promise in Promise.select().where(Promise.state == PromiseState.OPEN):
        outcome = promise_outcome(promise, owed_now(promise), today)
        if outcome is None:
            continue
        day = today if outcome == PromiseState.KEPT else promise.wait_until + DAY
        text = (f"promise {promise.id}: {format_amount(promise.amount, promise.currency)} "
                f"by {promise.pay_by.isoformat()}")
        with database.atomic():
            _end_promise(clock, promise, outcome, day, SYSTEM, text)
        settled.append(promise)
    return settled


# --- disputes --------------------------------------------------------------------------

def open_dispute(clock: Clock, document: Document, reason: str, amount: Decimal | None = None,
                 author: str | None = None, reply: InboxMessage | None = None) -> Dispute:
    """The debtor contests ``document`` (or ``amount`` of it) for ``reason``."""
    author = author or current_author()
    reason = _note(reason, "reason", required=True)
    with database.atomic():
        document = Document.get_by_id(document.id)
        if amount is not None and not Decimal("0") < amount <= document.gross:
            raise AnswerRefused(t("amount: more than zero and at most the document's gross "
                                  "{gross}", gross=amount_text(document.gross,
                                                               document.currency)), "amount")
        if open_dispute_of(document.id) is not None:
            raise AnswerRefused(t("{number} is already disputed", number=document.number))
        dispute = Dispute.create(
            document=document, reason=reason, amount=amount, opened_on=clock.today(),
            opened_by=author, inbox_message=reply, created_at=utc_now_naive(clock))
        head = f"dispute {dispute.id}"
        if amount is not None:
            head += f": {format_amount(amount, document.currency)}"
        record_event(clock, EventKind.DISPUTE_OPENED, document, text=_with_note(head, reason),
                     author=author)
        if reply is not None and reply.state == InboxState.WAITING:
            _decide(clock, reply, Decision.DISPUTE, author, "")
    return dispute


def open_dispute_of(document_id: int) -> Dispute | None:
    found: Dispute | None = (Dispute.select().where(
        (Dispute.document == document_id) & (Dispute.state == DisputeState.OPEN)).first())
    return found


def resolve_dispute(clock: Clock, dispute: Dispute, resolution: str,
                    author: str | None = None) -> None:
    """A person lifts a dispute, saying how it was settled; collection goes on."""
    author = author or current_author()
    resolution = _note(resolution, "resolution", required=True)
    with database.atomic():
        dispute = Dispute.get_by_id(dispute.id)
        if dispute.state != DisputeState.OPEN:
            raise AnswerRefused(t("this dispute is already resolved"))
        Dispute.update(state=DisputeState.RESOLVED, resolved_on=clock.today(),
                       resolved_by=author, resolution=resolution).where(
            Dispute.id == dispute.id).execute()
        record_event(clock, EventKind.DISPUTE_RESOLVED, dispute.document_id,
                     text=_with_note(f"dispute {dispute.id}", resolution), author=author)


# --- replies ---------------------------------------------------------------------------

def reply_document_ids(reply_id: int) -> list[int]:
    return [row.document_id for row in InboxDocument.select(InboxDocument.document)
            .where(InboxDocument.inbox_message == reply_id).order_by(InboxDocument.document)]


def _decide(clock: Clock, reply: InboxMessage, decision: str, author: str, note: str) -> None:
    InboxMessage.update(state=InboxState.DONE, decision=decision, decided_by=author,
                        decided_at=utc_now_naive(clock), note=note).where(
        InboxMessage.id == reply.id).execute()
    if decision in (Decision.RESUME, Decision.NOT_RELEVANT):
        text = _with_note(f"{decision} inbox {reply.id}", note)
        for document_id in reply_document_ids(reply.id):
            record_event(clock, EventKind.REPLY_DECIDED, document_id, text=text,
                         author=author)
    reply.state, reply.decision = InboxState.DONE, decision


def decide_reply(clock: Clock, reply: InboxMessage, decision: str, author: str | None = None,
                 note: str = "") -> None:
    """*Resume* (collection goes on) or *not relevant* (nothing to do with the debt); a
    promise or a dispute is decided by ``make_promise`` / ``open_dispute`` with the reply."""
    author = author or current_author()
    if decision not in (Decision.RESUME, Decision.NOT_RELEVANT):
        raise AnswerRefused(t("a reply is decided by resuming, by marking it not relevant,"
                              " or by recording a promise or a dispute"))
    note = _note(note, "note")
    with database.atomic():
        reply = InboxMessage.get_by_id(reply.id)
        if reply.state != InboxState.WAITING:
            raise AnswerRefused(t("this message has already been dealt with"))
        _decide(clock, reply, decision, author, note)


def open_documents(contractor_id: int) -> list[int]:
    """A contractor's documents a reply from them concerns: unpaid and not yet ended."""
    return [d.id for d in Document.select(Document.id).where(
        (Document.contractor == contractor_id) & (Document.outstanding > 0)
        & Document.collection_ended_on.is_null()).order_by(Document.id)]


def link_documents(reply: InboxMessage, document_ids: Iterable[int]) -> None:
    rows = [{"inbox_message": reply.id, "document": i} for i in sorted(set(document_ids))]
    if rows:
        InboxDocument.insert_many(rows).on_conflict_ignore().execute()


def assign_reply(clock: Clock, reply: InboxMessage, contractor: Contractor,
                 author: str | None = None) -> int:
    """A person says which contractor an unmatched message is from; it then concerns
    (and pauses, until decided) that contractor's open documents. Returns how many."""
    author = author or current_author()
    with database.atomic():
        reply = InboxMessage.get_by_id(reply.id)
        if reply.contractor_id is not None:
            raise AnswerRefused(t("this message is already assigned to a contractor"))
        InboxMessage.update(contractor=contractor.id, matched_by=MatchedBy.PERSON).where(
            InboxMessage.id == reply.id).execute()
        documents = open_documents(contractor.id)
        link_documents(reply, documents)
        text = f"inbox {reply.id} from {reply.from_address}: {reply.subject}"
        for document_id in documents:
            record_event(clock, EventKind.REPLY_RECEIVED, document_id, text=text,
                         author=author)
    return len(documents)
