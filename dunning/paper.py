"""Letters after the pass (issue 16): printing, posting, delivery and return.

A pass plans letters (``messages.py``) and never sends them. A person then:

1. **prints** the planned letters as one batch (:func:`print_letters`): one PDF of them
   all (each from a front page when printing on both sides) and the dispatch book
   (``dispatch_book.py``); the letters become ``printed`` in the transaction that
   records the batch — after the files are whole, so a failure leaves them planned;
2. **posts** them and confirms it (:func:`post_letters`): the day and the registered
   number. Only then does the step count, from the posting day (``outbox.mark_sent``
   with ``day``): the next demand is spaced from it, the registry's month runs from it.
   A printed letter never goes back to the queue by itself; it waits for this;
3. records the **return receipt** or the returned envelope (:func:`record_outcome`),
   which goes on each document's timeline. A returned letter keeps its step: the law
   counts from posting (docs/registry.md §2, §9.4).

Refusals name the field (``PaperRefused.field``) in the interface's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..i18n import N_, t
from ..ledger.actions import record_event
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.event_words import failure_text
from ..ledger.names import day_text
from ..ledger.refusal import FieldRefused
from ..ledger.settings import CollectionSettings
from ..ledger.validation import normalise_registered_number
from ..models import (
    Document,
    DocumentStep,
    EventKind,
    Letter,
    LetterBatch,
    Message,
    MessageChannel,
    MessageState,
    ReturnReason,
    database,
    with_texts,
)
from ..models.sql import tuple_rows
from .dispatch_book import BookRow, write_book_csv, write_book_pdf
from .letter_pdf import LetterData, LetterRefused, render_letters
from .letters import address_lines, compose_letter, letter_from_json
from .outbox import mark_sent
from .render import load_overrides, render_letter
from .template_preview import preview_source


class PaperRefused(FieldRefused):
    """A print, posting or outcome that cannot be done as asked; nothing was changed.
    ``field``: ``letters``, ``day``, ``number``, ``reason``, ``folder`` or ""."""


LETTER = Message.channel == MessageChannel.LETTER


def planned_letters() -> list[Message]:
    """The print queue: letters a pass planned, oldest first."""
    return list(Message.select().where(LETTER & (Message.state == MessageState.PLANNED))
                .order_by(Message.id))


def printed_letters() -> list[Message]:
    """Letters printed and not yet confirmed posted, oldest first."""
    return list(Message.select().where(LETTER & (Message.state == MessageState.PRINTED))
                .order_by(Message.id))


def documents_of(message_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each letter's document numbers, in one query."""
    found: dict[int, list[str]] = {i: [] for i in message_ids}
    if not message_ids:
        return found
    rows = tuple_rows(DocumentStep.select(DocumentStep.message, Document.number)
                      .join(Document).where(DocumentStep.message.in_(list(message_ids)))
                      .order_by(Document.number))
    for message_id, number in rows:
        found[message_id].append(number)
    return found


def is_registered(data: LetterData) -> bool:
    """A demand goes registered (its note above the address says so); a reminder not."""
    return bool(data.notes)


def default_folder(settings: CollectionSettings, location: str) -> Path:
    """``letters.folder``, else ``letters`` beside the database when ``location`` (as
    ``--db`` gives it) is an SQLite file; a database server has no "beside"."""
    if settings.letters_folder:
        return Path(settings.letters_folder)
    if location and "://" not in location:
        return Path(location).expanduser().resolve().parent / "letters"
    raise PaperRefused(t("letters.folder: set the folder print jobs are written to"),
                       "folder")


@dataclass(frozen=True)
class PrintedBatch:
    batch: LetterBatch
    letters: list[int]
    pages: int


def _file_names(folder: Path, day: dt.date) -> tuple[Path, Path, Path]:
    """Names not used yet in ``folder``: ``listy-2026-12-07-1.pdf`` and its book."""
    n = 1
    while True:
        stem = f"{day.isoformat()}-{n}"
        paths = (folder / f"listy-{stem}.pdf", folder / f"ksiazka-nadawcza-{stem}.pdf",
                 folder / f"ksiazka-nadawcza-{stem}.csv")
        if not any(p.exists() for p in paths):
            return paths
        n += 1


def _book_rows(letters: Sequence[tuple[Message, LetterData]],
               numbers: dict[int, str] | None = None) -> list[BookRow]:
    documents = documents_of([m.id for m, _ in letters])
    return [BookRow(m.id, data.recipient_name, data.recipient_address,
                    (numbers or {}).get(m.id, ""), tuple(documents[m.id]))
            for m, data in letters if is_registered(data)]


def _write_batch(letters: Sequence[tuple[Message, LetterData]], settings: CollectionSettings,
                 paths: tuple[Path, Path, Path], day: dt.date,
                 numbers: dict[int, str] | None = None) -> int:
    pdf, book_pdf, book_csv = paths
    pages = render_letters([data for _, data in letters], pdf, duplex=settings.letters_duplex)
    rows = _book_rows(letters, numbers)
    sender = (settings.company_name, *address_lines(settings.company_address))
    write_book_pdf(rows, sender, day, book_pdf)
    write_book_csv(rows, day, book_csv)
    return pages


def print_letters(clock: Clock, settings: CollectionSettings, folder: Path, author: str,
                  ids: Iterable[int] | None = None) -> PrintedBatch:
    """Print the planned letters (or those of ``ids``) as one batch into ``folder``."""
    wanted = planned_letters()
    if ids is not None:
        chosen = set(ids)
        unknown = chosen - {m.id for m in wanted}
        if unknown:
            raise PaperRefused(t("letters: {ids} not waiting to be printed",
                                 ids=", ".join(str(i) for i in sorted(unknown))), "letters")
        wanted = [m for m in wanted if m.id in chosen]
    if not wanted:
        raise PaperRefused(t("letters: no letters are waiting to be printed"), "letters")
    letters = [(m, letter_from_json(m.raw)) for m in with_texts(wanted)]
    folder.mkdir(parents=True, exist_ok=True)
    day = clock.today()
    paths = _file_names(folder, day)
    try:
        pages = _write_batch(letters, settings, paths, day)
    except LetterRefused as refused:
        # Checked when planned, and again as it is drawn (render_letters): only a changed
        # font or code could refuse it now; nothing was written.
        message = letters[refused.index - 1][0]
        raise PaperRefused(t("letter {id}: {problems}", id=message.id, problems="; ".join(
            str(p) for p in refused.problems)), "letters") from None
    ids_printed = [m.id for m, _ in letters]
    with database.atomic() as transaction:
        batch = LetterBatch.create(
            day=day, created_at=utc_now_naive(clock), created_by=author,
            letters=len(letters), pdf_path=str(paths[0]), book_pdf_path=str(paths[1]),
            book_csv_path=str(paths[2]))
        changed = (Message.update(state=MessageState.PRINTED)
                   .where(Message.id.in_(ids_printed) & (Message.state == MessageState.PLANNED))
                   .execute())
        if changed != len(ids_printed):
            transaction.rollback()  # someone printed or withdrew one meanwhile
            for path in paths:
                path.unlink(missing_ok=True)
            raise PaperRefused(t("letters: the queue changed while printing; print again"),
                               "letters")
        Letter.insert_many([{"message": i, "batch": batch.id} for i in ids_printed]).execute()
    return PrintedBatch(batch, ids_printed, pages)


def reprint_batch(settings: CollectionSettings, batch: LetterBatch) -> int:
    """Draw a batch's files again (a jammed printer, a lost page), from the letters as
    stored: the same letters, word for word; the book with the numbers known by now."""
    rows = (Letter.select(Letter, Message).join(Message).where(Letter.batch == batch.id)
            .order_by(Message.id))
    letters = [(m, letter_from_json(m.raw)) for m in with_texts([r.message for r in rows])]
    numbers = {row.message.id: row.registered_number for row in rows}
    paths = (Path(batch.pdf_path), Path(batch.book_pdf_path), Path(batch.book_csv_path))
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    return _write_batch(letters, settings, paths, batch.day, numbers)


def preview_letter(settings: CollectionSettings, name: str, language: str, today: dt.date,
                   path: Path) -> str | None:
    """Draw template ``name`` (``letter_reminder``, ``letter_demand``, ``letter_registry``)
    in ``language`` as the PDF at ``path`` — for a real document, as the templates
    editor's preview chooses one, else the sample — with the user's own templates and
    the company's settings, exactly as a pass would compose it. Returns the document's
    number (None: the sample). A letter that could not be printed is refused as
    printing would refuse it (``PaperRefused`` naming the field)."""
    source = preview_source(name, settings, today)
    rendered = render_letter(name, language, source.context, load_overrides())
    data = compose_letter(settings, source.context, rendered, language)
    try:
        render_letters([data], path, duplex=False)
    except LetterRefused as refused:
        raise PaperRefused(t("letter: {problems}", problems=failure_text(
            "letter: " + "; ".join(str(p) for p in refused.problems), language)),
            "letters") from None
    return source.document_number


# --- posting ---------------------------------------------------------------------------


def _letter_row(message: Message) -> Letter:
    row = Letter.get_or_none(Letter.message == message.id)
    if row is None:
        raise PaperRefused(t("letters: letter {id} has not been printed", id=message.id),
                           "letters")
    return row


def _check_day(day: dt.date, today: dt.date, earliest: dt.date, too_early: str) -> None:
    """``day`` is not in the future nor before ``earliest`` (``too_early`` says so, with
    ``{day}`` and ``{earliest}``)."""
    if day > today:
        raise PaperRefused(t("day: {day} is in the future", day=day_text(day)), "day")
    if day < earliest:
        raise PaperRefused(t(too_early, day=day_text(day), earliest=day_text(earliest)),
                           "day")


def post_letters(clock: Clock, postings: Sequence[tuple[Message, str]], day: dt.date,
                 author: str) -> None:
    """Confirm that these printed letters were posted on ``day``, each with its
    registered number ("" for an ordinary letter; a registered one must have one).
    All or nothing: one refused letter leaves every one of them as it was."""
    if not postings:
        raise PaperRefused(t("letters: name the letters that were posted"), "letters")
    prepared = []
    seen: set[str] = set()
    for message, number in postings:
        if message.channel != MessageChannel.LETTER or message.state != MessageState.PRINTED:
            raise PaperRefused(t("letters: letter {id} is not waiting to be posted",
                                 id=message.id), "letters")
        row = _letter_row(message)
        _check_day(day, clock.today(), row.batch.day,
                   N_("day: {day} is before the letter was printed ({earliest})"))
        number = _registered_number(message, number, seen)
        prepared.append((message, row, number))
    with database.atomic():
        for message, row, number in prepared:
            Letter.update(posted_on=day, registered_number=number, posted_by=author).where(
                Letter.id == row.id).execute()
            mark_sent(clock, message, author=author, day=day, letter_number=number)


def check_number(letter_id: int, registered: bool, number: str) -> str:
    """A registered number typed for a letter, normalised ("" for an ordinary letter left
    blank); ``PaperRefused`` (field ``number``) when a registered letter has none or the
    number is not one. Whether another letter has it is checked on posting."""
    if not number.strip():
        if registered:
            raise PaperRefused(t("number: letter {id} is registered: give its number from "
                                 "the post office's label", id=letter_id), "number")
        return ""
    try:
        return normalise_registered_number(number)
    except ValueError as exc:
        raise PaperRefused(t("number: {problem}", problem=registered_number_problem(exc)),
                           "number") from None


def _registered_number(message: Message, number: str, seen: set[str]) -> str:
    number = check_number(message.id, is_registered(letter_from_json(message.raw)), number)
    if not number:
        return ""
    used = Letter.get_or_none(Letter.registered_number == number)
    if number in seen or used is not None:
        raise PaperRefused(t("number: {number} is already used by another letter",
                             number=number), "number")
    seen.add(number)
    return number


def registered_number_problem(error: ValueError) -> str:
    """``normalise_registered_number``'s refusal in the interface's words."""
    text = str(error)
    if text.startswith("a domestic registered number has 20 digits"):
        return t("a domestic registered number has 20 digits, not {count}",
                 count=text.rsplit(" ", 1)[1])
    if text.startswith("the check digit of"):
        return t("the check digit of {number} is wrong", number=text.split()[4])
    return t("not a registered number (20 digits, or like RR123456785PL)")


# --- delivery and return -----------------------------------------------------------------


def record_outcome(clock: Clock, message: Message, day: dt.date, author: str,
                   returned: str | None = None) -> None:
    """The return receipt came back (delivered on ``day``), or the letter itself did
    (``returned``: a ``ReturnReason``). On each document's timeline; the step stays."""
    if message.channel != MessageChannel.LETTER or message.state != MessageState.SENT:
        raise PaperRefused(t("letters: letter {id} has not been posted", id=message.id),
                           "letters")
    row = _letter_row(message)
    if row.delivered_on is not None or row.returned_on is not None:
        raise PaperRefused(t("letters: what became of letter {id} is already recorded",
                             id=message.id), "letters")
    if returned is not None and returned not in ReturnReason.ALL:
        raise PaperRefused(t("reason: use one of {reasons}",
                             reasons=", ".join(ReturnReason.ALL)), "reason")
    assert row.posted_on is not None
    _check_day(day, clock.today(), row.posted_on,
               N_("day: {day} is before the letter was posted ({earliest})"))
    text = f"letter {message.id} on {day.isoformat()}"
    kind = EventKind.LETTER_DELIVERED
    if returned is not None:
        text, kind = f"{text} {returned}", EventKind.LETTER_RETURNED
    with database.atomic():
        Letter.update(delivered_on=None if returned else day,
                      returned_on=day if returned else None, return_reason=returned or "",
                      outcome_by=author).where(Letter.id == row.id).execute()
        for step in DocumentStep.select(DocumentStep.document).where(
                DocumentStep.message == message.id):
            record_event(clock, kind, step.document_id, text=text, author=author,
                         message=message)
