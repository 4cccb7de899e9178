"""Letters on paper on the command line (issue 16, docs/paper-design.md).

``windykacja letters list`` — the print queue, the printed letters waiting to be
confirmed posted, and the posted ones with no return receipt yet;
``letters print [ID...] [--folder DIR]`` — one PDF of the waiting letters and the
dispatch book (PDF and CSV); ``letters reprint BATCH``;
``letters post ID[:NUMBER]... [--on DAY]`` — confirm posting, each registered letter
with its number (``12:RR123456785PL``); the steps count from that day;
``letters delivered ID --on DAY``; ``letters returned ID --on DAY [--reason …]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..dunning.paper import (
    PaperRefused,
    default_folder,
    post_letters,
    preview_letter,
    print_letters,
    record_outcome,
    reprint_batch,
)
from ..i18n import t, tn
from ..ledger.identity import current_author
from ..ledger.names import day_text
from ..lists.letter_queue import LetterRow, Section, failure_words, letter_rows, what_words
from ..models import LetterBatch, Message, MessageChannel, ReturnReason
from ..session import CommandError, Context, parse_day
from .output import say

RETURN_REASONS = {"unclaimed": ReturnReason.UNCLAIMED, "refused": ReturnReason.REFUSED,
                  "moved": ReturnReason.MOVED, "other": ReturnReason.OTHER}


@contextmanager
def refused_in_words() -> Iterator[None]:
    """What the paper path refuses: its words (naming the field), exit status 1."""
    try:
        yield
    except PaperRefused as exc:
        raise CommandError(str(exc)) from None


def _letter(letter_id: int) -> Message:
    found: Message | None = Message.get_or_none(
        (Message.id == letter_id) & (Message.channel == MessageChannel.LETTER))
    if found is None:
        raise CommandError(t("no letter #{id}", id=letter_id))
    return found


def _line(row: LetterRow, extra: str = "") -> str:
    """``#690    demand 3, registry   Komgaz sp. z o.o.   FV/2026/10/0194``, the letter
    said in the interface's words (its title is in the debtor's language)."""
    return (f"#{row.id:<6} {what_words(row)[:24]:<24}  {row.recipient[:30]:<30}  "
            f"{', '.join(row.documents)}{extra}")


def letters_list(args: argparse.Namespace, ctx: Context) -> int:
    waiting, failed, printed = (letter_rows(section) for section in (
        Section.TO_PRINT, Section.FAILED, Section.PRINTED))
    say(tn("{n} letter waiting to be printed:", "{n} letters waiting to be printed:",
           len(waiting)) if waiting else t("No letter waiting to be printed."))
    for row in waiting:
        say("  " + _line(row))
    if failed:
        say(tn("{n} letter cannot be printed (mend it, then `outbox resend ID`):",
               "{n} letters cannot be printed (mend them, then `outbox resend ID`):",
               len(failed)))
        for row in failed:
            say("  " + _line(row, "\n          " + failure_words(row.last_error)))
    if printed:
        say(tn("{n} letter printed, not yet confirmed posted:",
               "{n} letters printed, not yet confirmed posted:", len(printed)))
        for row in printed:
            say("  " + _line(row, "  " + t("(batch {batch}, {day})", batch=row.batch,
                                           day=day_text(row.printed_on))))
    return 0


def letters_print(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings
    with refused_in_words():
        folder = (Path(args.folder).expanduser() if args.folder
                  else default_folder(settings, ctx.location))
        printed = print_letters(ctx.clock, settings, folder, current_author(),
                                ids=args.ids or None)
    batch = printed.batch
    say(tn("Batch {batch}: {n} letter, {pages} pages: {path}",
           "Batch {batch}: {n} letters, {pages} pages: {path}", len(printed.letters),
           batch=batch.id, pages=printed.pages, path=batch.pdf_path))
    say(t("Dispatch book: {pdf} and {csv}", pdf=batch.book_pdf_path, csv=batch.book_csv_path))
    say(t("Once posted, confirm it: windykacja letters post ID:NUMBER ... --on YYYY-MM-DD"))
    return 0


def letters_preview(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(args.file).expanduser()
    language = args.letter_language or ctx.language
    with refused_in_words():
        number = preview_letter(ctx.settings, args.template, language, ctx.clock.today(), path)
    say(t("The letter for {number}, as a pass would write it today: {path}", number=number,
          path=path) if number else t("The sample letter (no document fits this template "
                                      "yet): {path}", path=path))
    return 0


def letters_reprint(args: argparse.Namespace, ctx: Context) -> int:
    batch = LetterBatch.get_or_none(LetterBatch.id == args.batch)
    if batch is None:
        raise CommandError(t("no batch #{id}", id=args.batch))
    with refused_in_words():
        pages = reprint_batch(ctx.settings, batch)
    say(t("Batch {batch} drawn again ({pages} pages): {path}", batch=batch.id, pages=pages,
          path=batch.pdf_path))
    return 0


def _posting(text: str) -> tuple[Message, str]:
    ident, _, number = text.partition(":")
    try:
        letter_id = int(ident)
    except ValueError:
        raise CommandError(t("'{value}' is not a letter number (ID or ID:REGISTERED_NUMBER)",
                             value=text)) from None
    return _letter(letter_id), number


def letters_post(args: argparse.Namespace, ctx: Context) -> int:
    postings = [_posting(text) for text in args.letters]
    day = parse_day(args.on) if args.on else ctx.clock.today()
    with refused_in_words():
        post_letters(ctx.clock, postings, day, current_author())
    say(tn("{n} letter confirmed posted on {day}; its steps count from that day.",
           "{n} letters confirmed posted on {day}; their steps count from that day.",
           len(postings), day=day_text(day)))
    return 0


def letters_delivered(args: argparse.Namespace, ctx: Context) -> int:
    message = _letter(args.id)
    with refused_in_words():
        record_outcome(ctx.clock, message, parse_day(args.on), current_author())
    say(t("Letter #{id}: delivered on {day}.", id=args.id, day=day_text(parse_day(args.on))))
    return 0


def letters_returned(args: argparse.Namespace, ctx: Context) -> int:
    message = _letter(args.id)
    with refused_in_words():
        record_outcome(ctx.clock, message, parse_day(args.on), current_author(),
                       returned=RETURN_REASONS[args.reason])
    say(t("Letter #{id}: returned on {day}.", id=args.id, day=day_text(parse_day(args.on))))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("letters", help="letters on paper: the print queue, printing, "
                       "posting, return receipts")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("list", help="letters to print, printed but not posted")
    q.set_defaults(handler=letters_list)
    q = actions.add_parser("print", help="one PDF of the waiting letters and the "
                           "dispatch book")
    q.add_argument("ids", nargs="*", type=int, metavar="ID", help="only these letters")
    q.add_argument("--folder", help="where to write (default: letters.folder, else "
                   "'letters' beside the database)")
    q.set_defaults(handler=letters_print)
    q = actions.add_parser("preview", help="a letter template drawn as a PDF, for a real "
                           "document or the sample")
    q.add_argument("template", choices=["letter_reminder", "letter_demand", "letter_registry"])
    q.add_argument("file", help="the PDF to write")
    q.add_argument("--letter-language", choices=["pl", "en"],
                   help="the letter's language (default: --lang)")
    q.set_defaults(handler=letters_preview)
    q = actions.add_parser("reprint", help="draw a printed batch's files again")
    q.add_argument("batch", type=int)
    q.set_defaults(handler=letters_reprint)
    q = actions.add_parser("post", help="confirm letters were posted (their steps count "
                           "from that day)")
    q.add_argument("letters", nargs="+", metavar="ID[:NUMBER]",
                   help="a letter, with its registered number when registered")
    q.add_argument("--on", metavar="YYYY-MM-DD", help="the posting day (default: today)")
    q.set_defaults(handler=letters_post)
    q = actions.add_parser("delivered", help="the return receipt came back")
    q.add_argument("id", type=int)
    q.add_argument("--on", required=True, metavar="YYYY-MM-DD", help="the day of delivery")
    q.set_defaults(handler=letters_delivered)
    q = actions.add_parser("returned", help="the letter came back undelivered")
    q.add_argument("id", type=int)
    q.add_argument("--on", required=True, metavar="YYYY-MM-DD", help="the day it came back")
    q.add_argument("--reason", choices=sorted(RETURN_REASONS), default="unclaimed",
                   help="unclaimed (awizo twice, the default), refused, moved, other")
    q.set_defaults(handler=letters_returned)
