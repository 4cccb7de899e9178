"""The print queue as a list (issue 16): every letter on paper by where it stands —
to print, cannot be printed, printed and not posted, posted with no return receipt yet,
and done (delivered or returned) — and one letter read back as its PDF says it.

The actions themselves are ``dunning/paper.py``'s; this module only reads. A letter
withdrawn from the outbox (cancelled) is not in the queue: it was never printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from peewee import JOIN, fn

from ..dunning.letter_pdf import LetterData
from ..dunning.letters import letter_from_json
from ..dunning.outbox import step_code
from ..dunning.paper import PaperRefused, check_number, documents_of, is_registered
from ..i18n import N_, language, t, words
from ..ledger.answer_words import step_words
from ..ledger.event_words import RETURN_REASON_NAMES, failure_text
from ..ledger.names import day_text, name_of
from ..models import (
    Contractor,
    DocumentStep,
    Letter,
    LetterBatch,
    Message,
    MessageChannel,
    MessageState,
    with_texts,
)
from ..models.sql import as_date, tuple_rows
from .paging import ListSource


class Section:
    """Where a letter stands; the queue shows them in this order."""

    TO_PRINT = "to_print"  # planned by a pass
    FAILED = "failed"  # cannot be printed as it stands
    PRINTED = "printed"  # printed, not confirmed posted
    POSTED = "posted"  # posted, no return receipt nor returned envelope yet
    DONE = "done"  # delivered or returned

    ORDER = (TO_PRINT, FAILED, PRINTED, POSTED, DONE)


#: The sections a person can choose to see (None: all of them, what waits first).
SECTION_NAMES = {
    Section.TO_PRINT: N_("To print"),
    Section.PRINTED: N_("Printed, not posted"),
    Section.POSTED: N_("Posted, no receipt yet"),
    Section.FAILED: N_("Cannot be printed"),
    Section.DONE: N_("Delivered or returned"),
}
CHOICES: tuple[str | None, ...] = (None, Section.TO_PRINT, Section.PRINTED, Section.POSTED,
                                   Section.FAILED, Section.DONE)


@dataclass(frozen=True)
class LetterRow:
    id: int
    state: str  # the message's (planned, failed, printed, sent)
    kind: str
    title: str
    recipient: str  # the contractor's name
    documents: tuple[str, ...]
    last_error: str
    batch: int | None
    printed_on: dt.date | None
    posted_on: dt.date | None
    registered_number: str
    delivered_on: dt.date | None
    returned_on: dt.date | None
    return_reason: str
    step: str = ""  # the step it carries: "reminder", "demand 3" (outbox.step_code)
    variant: str = ""  # "registry": the demand with the debtor-registry warning

    @property
    def section(self) -> str:
        if self.state == MessageState.PLANNED:
            return Section.TO_PRINT
        if self.state == MessageState.FAILED:
            return Section.FAILED
        if self.state == MessageState.PRINTED:
            return Section.PRINTED
        if self.delivered_on is None and self.returned_on is None:
            return Section.POSTED
        return Section.DONE


def what_words(row: LetterRow) -> str:
    """What the letter is, in the interface's words (its title is in the debtor's
    language): ``demand 3``, ``demand 3, registry warning``, ``reminder``."""
    if not row.step:
        return row.title
    said = step_words(row.step, words(language()))
    return t("{step}, registry", step=said) if row.variant == "registry" else said


def state_words(row: LetterRow, short: bool = True) -> str:
    """``to print``, ``posted 23.11`` (``short``: without the year), ``returned …``."""
    def when(day: dt.date | None) -> str:
        return day.strftime("%d.%m") if short and day else day_text(day)

    section = row.section
    if section == Section.TO_PRINT:
        return t("to print")
    if section == Section.FAILED:
        return t("cannot be printed")
    if section == Section.PRINTED:
        return t("printed {day}", day=when(row.printed_on))
    if section == Section.POSTED:
        return t("posted {day}", day=when(row.posted_on))
    if row.delivered_on is not None:
        return t("delivered {day}", day=when(row.delivered_on))
    return t("returned {day}", day=when(row.returned_on))


_COLUMNS = (Message.id, Message.state, Message.kind, Message.subject, Contractor.name,
            Message.last_error, Letter.batch, LetterBatch.day, Letter.posted_on,
            Letter.registered_number, Letter.delivered_on, Letter.returned_on,
            Letter.return_reason, Message.variant)


def _query():
    return (Message.select(*_COLUMNS)
            .join(Contractor, on=Message.contractor == Contractor.id, join_type=JOIN.LEFT_OUTER)
            .switch(Message)
            .join(Letter, on=Letter.message == Message.id, join_type=JOIN.LEFT_OUTER)
            .join(LetterBatch, on=Letter.batch == LetterBatch.id, join_type=JOIN.LEFT_OUTER)
            .where((Message.channel == MessageChannel.LETTER)
                   & (Message.state != MessageState.CANCELLED)))


def _condition(section: str):
    if section == Section.TO_PRINT:
        return Message.state == MessageState.PLANNED
    if section == Section.FAILED:
        return Message.state == MessageState.FAILED
    if section == Section.PRINTED:
        return Message.state == MessageState.PRINTED
    received = Letter.delivered_on.is_null(False) | Letter.returned_on.is_null(False)
    sent = Message.state == MessageState.SENT
    return sent & ~received if section == Section.POSTED else sent & received


def _steps_of(message_ids: list[int]) -> dict[int, str]:
    """Each letter's step as stored (``demand 3``): the highest it carries, in one query."""
    if not message_ids:
        return {}
    rows = tuple_rows(DocumentStep.select(DocumentStep.message, DocumentStep.kind,
                                          fn.MAX(DocumentStep.number))
                      .where(DocumentStep.message.in_(message_ids))
                      .group_by(DocumentStep.message, DocumentStep.kind))
    return {message_id: step_code(kind, number) for message_id, kind, number in rows}


def _rows(query) -> list[LetterRow]:
    values = list(tuple_rows(query.order_by(Message.id)))
    ids = [v[0] for v in values]
    documents, steps = documents_of(ids), _steps_of(ids)
    return [LetterRow(id_, state, kind, subject or "", name or "", tuple(documents[id_]),
                      error or "", batch, as_date(printed), as_date(posted), number or "",
                      as_date(delivered), as_date(returned), reason or "",
                      steps.get(id_, ""), variant or "")
            for (id_, state, kind, subject, name, error, batch, printed, posted, number,
                 delivered, returned, reason, variant) in values]


def letter_rows(section: str | None = None) -> list[LetterRow]:
    """The letters of ``section`` (None: all), what waits for a person first: to print,
    cannot be printed, printed, posted — each oldest first — then the letters done,
    newest first."""
    query = _query()
    if section is not None:
        query = query.where(_condition(section))
    rank = {s: i for i, s in enumerate(Section.ORDER)}
    return sorted(_rows(query), key=lambda r: (rank[r.section],
                                              -r.id if r.section == Section.DONE else r.id))


def queue_source(section: str | None = None) -> ListSource[LetterRow]:
    return ListSource(letter_rows(section))


def section_counts() -> dict[str, int]:
    """How many letters stand in each section."""
    by_state: dict[str, int] = dict(tuple_rows(
        _query().select(Message.state, fn.COUNT(Message.id)).group_by(Message.state)))
    done = _query().where(_condition(Section.DONE)).count()
    return {Section.TO_PRINT: by_state.get(MessageState.PLANNED, 0),
            Section.FAILED: by_state.get(MessageState.FAILED, 0),
            Section.PRINTED: by_state.get(MessageState.PRINTED, 0),
            Section.POSTED: by_state.get(MessageState.SENT, 0) - done,
            Section.DONE: done}


# --- one letter: what it says and where it stands -------------------------------------


@dataclass(frozen=True)
class PostingLetter:
    """A printed letter as the posting form shows it."""

    id: int
    recipient: str
    documents: tuple[str, ...]
    registered: bool
    batch: int


def printed_of(ids: Sequence[int] = (), batch: int | None = None) -> list[PostingLetter]:
    """Printed, not posted letters: those of ``ids``, or all of ``batch``; oldest first."""
    rows = Letter.select().join(Message).where(
        (Message.channel == MessageChannel.LETTER) & (Message.state == MessageState.PRINTED))
    rows = rows.where(Message.id.in_(list(ids)) if batch is None else Letter.batch == batch)
    batches = {r.message_id: r.batch_id for r in rows}
    messages = with_texts(list(Message.select().where(Message.id.in_(list(batches)))
                               .order_by(Message.id)))
    documents = documents_of([m.id for m in messages])
    found = []
    for message in messages:
        data = letter_from_json(message.raw)
        found.append(PostingLetter(message.id, data.recipient_name, tuple(documents[message.id]),
                                   is_registered(data), batches[message.id]))
    return found


def number_problem(letter: PostingLetter, number: str) -> str:
    """What is wrong with a registered number typed for ``letter`` ("" when fine, or
    blank for an ordinary letter); ``post_letters`` checks all again, with the numbers
    already used."""
    try:
        check_number(letter.id, letter.registered, number)
    except PaperRefused as refused:
        return refused.problem
    return ""


def same_number(a: str, b: str) -> bool:
    """Whether two typed numbers are one (spaces and case aside)."""
    return bool(a.strip()) and "".join(a.split()).upper() == "".join(b.split()).upper()


@dataclass(frozen=True)
class LetterView:
    row: LetterRow
    data: LetterData | None  # None: the letter could not be made (its reason says why)
    batch_pdf: str


def letter_view(letter_id: int) -> LetterView | None:
    rows = _rows(_query().where(Message.id == letter_id))
    if not rows:
        return None
    message = Message.get_by_id(letter_id)
    data = letter_from_json(message.raw) if message.raw else None
    batch = LetterBatch.get_or_none(LetterBatch.id == rows[0].batch) if rows[0].batch else None
    return LetterView(rows[0], data, batch.pdf_path if batch is not None else "")


def standing_lines(row: LetterRow, batch_pdf: str = "") -> list[str]:
    """Where the letter stands, line by line, in the interface's words."""
    lines = [t("Letter #{id} · {state}", id=row.id, state=state_words(row, short=False))]
    if row.documents:
        lines.append(t("Documents: {numbers}", numbers=", ".join(row.documents)))
    if row.batch is not None:
        lines.append(t("Printed in batch {batch} on {day}: {path}", batch=row.batch,
                       day=day_text(row.printed_on), path=batch_pdf))
    if row.posted_on is not None:
        lines.append(t("Posted on {day}, registered number {number}", day=day_text(row.posted_on),
                       number=row.registered_number) if row.registered_number
                     else t("Posted on {day} as an ordinary letter", day=day_text(row.posted_on)))
    if row.returned_on is not None:
        lines.append(t("Returned on {day}: {reason}", day=day_text(row.returned_on),
                       reason=name_of(RETURN_REASON_NAMES, row.return_reason)))
    if row.last_error:
        lines.append(t("Cannot be printed: {problem}", problem=failure_words(row.last_error)))
        lines.append(t("Mend it (the contractor's address, the company's details in "
                       "Settings), then withdraw it in the Outbox (key 4, r): the next "
                       "pass plans it again."))
    return lines


LETTER_COLUMNS = 70


def letter_text(data: LetterData) -> list[str]:
    """The letter's text as its PDF prints it, top to bottom, in the letter's language:
    letterhead, the place and date, the notes and address of the window, the title, the
    paragraphs, the documents, the totals with the deadline and the account, the
    payment code's caption, the closing and the signature."""
    labels = data.labels
    lines = [data.sender_name, *data.sender_address]
    ids = [f"{labels.nip} {data.sender_nip}"] if data.sender_nip.strip() else []
    if data.sender_account.strip():
        ids.append(f"{labels.account}: {data.sender_account}")
    if ids:
        lines.append(" · ".join(ids))
    place = f"{data.place.strip()}, " if data.place.strip() else ""
    # Right as the PDF has it, within the 70 columns the message view gives a letter at
    # 80×24 (a wider line wrapped there, leaving the date alone on the next line).
    lines += ["", f"{place}{day_text(data.date)}".rjust(LETTER_COLUMNS), ""]
    lines += [*data.notes, data.recipient_name, *data.recipient_address, "", data.title, ""]
    for paragraph in data.paragraphs:
        lines += [paragraph, ""]
    if data.documents:
        extra = [(labels.interest, "interest"), (labels.compensation, "compensation")]
        extra = [(label, key) for label, key in extra
                 if any(getattr(d, key) for d in data.documents)]
        head = [labels.document, labels.issue_date, labels.due_date, labels.outstanding,
                *(label for label, _ in extra)]
        lines.append(" | ".join(head))
        for d in data.documents:
            cells = [d.number, d.issue_date, d.due_date, d.outstanding,
                     *(getattr(d, key) for _, key in extra)]
            lines.append(" | ".join(cells))
        lines.append("")
    for total in data.totals:
        lines.append(f"{total.label}: {total.amount}")
    if data.deadline is not None:
        lines.append(f"{labels.deadline}: {day_text(data.deadline)}")
    if data.sender_account.strip() and data.needs_account:
        lines.append(f"{labels.account}: {data.sender_account}")
    if data.payment_code is not None:
        code = t("payment QR code")  # outside the f-string: extraction skips those
        lines.append(f"[{code}] {labels.qr_caption}")
    lines.append("")
    for paragraph in data.closing:
        lines += [paragraph, ""]
    lines += list(data.signature)
    return lines


def failure_words(text: str) -> str:
    """A failed letter's ``last_error`` in the interface's words (``event_words``)."""
    return failure_text(text, language())
