"""Reading the collection mailbox (issue 15): every new message fetched, understood and
stored once, crash-safe, never deleted.

Where from: the IMAP folder of ``imap.url`` (``ledger/imap_url.py``) and/or the local
Maildir of ``inbox.maildir`` (where fetchmail or getmail deliver), through
``importers/mail_source.py``. What each message is: ``importers/incoming_mail.py``. What
it means: ``importers/inbox_store.py``.

**Exactly once.** IMAP: the folder's UIDVALIDITY and the highest UID processed are kept
in ``mailbox_state`` and written in the same transaction as the batch of messages they
cover, so a crash keeps both or neither and the next run fetches from there. Each
message is also unique by ``(source, key)`` and, should the server renumber its folder
(a new UIDVALIDITY), by its Message-ID within the mailbox: a message fetched again is
not stored again. Maildir: each message's file is moved from ``new/`` to ``cur/`` (marked
seen, as a mail reader does) after its batch is committed; a crash between the two
leaves it in ``new/``, and the next run recognises it by its key and only moves it.

**Never deleted; optionally moved.** With ``inbox.move_to`` set, processed IMAP messages
are moved to that folder (created when missing) after each run's last commit; a crash
before the move is mended by the next run, which moves every processed message still in
the folder.

**Bounded.** A batch is at most ``BATCH`` messages or ``BATCH_BYTES`` of mail; the
SQLite cache is kept small while it is stored (the "bulk" role of ``models.db``). A
run stores at most ``limit`` messages (the worker: ``HOOK_LIMIT`` per tick, so a mail
bomb of ten thousand messages is taken in over several ticks and never holds up a
pass); a message above the fetch limit is kept truncated; one above ``PARSE_LIMIT`` is
understood from its beginning; a message that cannot be parsed is stored as a reply
with its problems listed.

**Failures** (cannot connect, login refused, no such folder, timeout) are recorded in
``mailbox_state`` for ``status`` and the top line, and logged; collection goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, t, tn
from ..ledger.answers import settle_promises
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.imap_url import parse_imap_url
from ..ledger.settings import CollectionSettings
from ..models import InboxMessage, MailboxState, database
from ..models.db import cache_role, is_sqlite
from .inbox_store import Stored, store_mail
from .incoming_mail import read_mail
from .mail_source import FetchedMail, ImapMailbox, MailboxError, MaildirBox

log = logging.getLogger(__name__)

BATCH = 50
# A batch also ends at this many bytes of mail: fifty messages of 10 MB are not held at once.
BATCH_BYTES = 8 * 1024 * 1024
HOOK_LIMIT = 2000
# A message is understood from its first MiB: headers, text and any delivery report come
# first, and the standard library's parser needs ~9 bytes of memory per byte it reads
# (59 MiB for a 6.7 MB reply with a scan attached: the inbox benchmark). Its attachments
# are listed from the whole stored message when a person opens it (``lists/inbox.py``).
PARSE_LIMIT = 1024 * 1024

FAILURE_WORDS = {
    "setup": N_("the mailbox is not set up right"),
    "login": N_("the mail server refused the login"),
    "unavailable": N_("the mail server cannot be reached"),
    "folder": N_("the mailbox folder does not exist"),
    "timeout": N_("the mail server did not answer in time"),
}


@dataclass
class InboxResult:
    """What one read of one mailbox did."""

    source: str
    stored: list[Stored] = field(default_factory=list)
    skipped: int = 0  # fetched again (a crash before the move, a renumbered folder)
    failure: str | None = None  # MailboxError.code
    detail: str = ""
    more: bool = False  # stopped at the limit: the rest comes on the next run

    def count(self, kind: str) -> int:
        return sum(1 for s in self.stored if s.kind == kind)

    @property
    def waiting(self) -> int:
        return sum(1 for s in self.stored if s.waiting)


def connected(settings: CollectionSettings) -> bool:
    return bool(settings.imap_url or settings.inbox_maildir)


def _state(source: str) -> MailboxState:
    state, _ = MailboxState.get_or_create(source=source)
    return state


def _locked_state(source: str) -> MailboxState:
    """The mailbox's row, locked on PostgreSQL until the batch commits (SQLite's write
    transaction is already exclusive), so two workers store one after the other."""
    query = MailboxState.select().where(MailboxState.source == source)
    if not is_sqlite():
        query = query.for_update()
    state: MailboxState = query.get()
    return state


def _known(source: str, mails: list[tuple[FetchedMail, str]]) -> set[str]:
    """Keys of ``mails`` already stored: by key, or by Message-ID in this mailbox."""
    keys = [fetched.key for fetched, _ in mails]
    ids = [mid for _, mid in mails if mid]
    found = {row.key for row in InboxMessage.select(InboxMessage.key).where(
        (InboxMessage.source == source) & InboxMessage.key.in_(keys))}
    if ids:
        seen = {row.message_id for row in InboxMessage.select(InboxMessage.message_id).where(
            (InboxMessage.source == source) & InboxMessage.message_id.in_(ids))}
        found.update(fetched.key for fetched, mid in mails if mid in seen)
    return found


def _store_batch(clock: Clock, settings: CollectionSettings, source: str,
                 batch: list[FetchedMail], result: InboxResult, first_read: dt.date | None,
                 uidvalidity: int | None) -> None:
    parsed = [(fetched, read_mail(fetched.raw[:PARSE_LIMIT],
                                  truncated=fetched.truncated or len(fetched.raw) > PARSE_LIMIT))
              for fetched in batch]
    with database.atomic():
        state = _locked_state(source)
        known = _known(source, [(f, m.message_id) for f, m in parsed])
        ids: set[str] = set()  # Message-IDs stored from this batch (delivered twice)
        for fetched, mail in parsed:
            already = fetched.key in known or (mail.message_id and mail.message_id in ids) or (
                fetched.uid is not None and state.uidvalidity == uidvalidity
                and fetched.uid <= state.last_uid)
            if already:
                result.skipped += 1
                continue
            known.add(fetched.key)
            ids.add(mail.message_id)
            result.stored.append(store_mail(clock, source, fetched, mail, first_read,
                                            settings.smtp_verp))
        uids = [f.uid for f in batch if f.uid is not None]
        if uids:
            MailboxState.update(uidvalidity=uidvalidity,
                                last_uid=max(max(uids), state.last_uid)).where(
                MailboxState.id == state.id).execute()


def _batches(mails: Iterator[FetchedMail], limit: int | None,
             result: InboxResult) -> Iterator[list[FetchedMail]]:
    batch: list[FetchedMail] = []
    size = 0
    for taken, fetched in enumerate(mails):
        if limit is not None and taken >= limit:
            result.more = True
            break
        batch.append(fetched)
        size += len(fetched.raw)
        if len(batch) >= BATCH or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _read_imap(clock: Clock, settings: CollectionSettings, result: InboxResult,
               limit: int | None, first_read: dt.date | None) -> None:
    config = parse_imap_url(settings.imap_url)
    with ImapMailbox(config) as box:
        folder = box.select()
        state = _state(result.source)
        after = state.last_uid if state.uidvalidity == folder.uidvalidity else 0
        if state.uidvalidity is not None and state.uidvalidity != folder.uidvalidity:
            log.warning("%s: the server renumbered the folder (UIDVALIDITY %s → %s); "
                        "reading it again, skipping messages already stored",
                        result.source, state.uidvalidity, folder.uidvalidity)
        for batch in _batches(box.new_messages(after), limit, result):
            _store_batch(clock, settings, result.source, batch, result, first_read,
                         folder.uidvalidity)
        if settings.inbox_move_to:
            box.move_processed(_state(result.source).last_uid, settings.inbox_move_to)


def _read_maildir(clock: Clock, settings: CollectionSettings, result: InboxResult,
                  limit: int | None, first_read: dt.date | None) -> None:
    box = MaildirBox(Path(settings.inbox_maildir))
    for batch in _batches(box.new_messages(), limit, result):
        _store_batch(clock, settings, result.source, batch, result, first_read, None)
        for fetched in batch:
            box.mark_processed(fetched)


def _sources(settings: CollectionSettings) -> list[tuple[str, object]]:
    sources: list[tuple[str, object]] = []
    if settings.imap_url:
        try:
            sources.append((parse_imap_url(settings.imap_url).describe(), _read_imap))
        except ValueError as exc:
            sources.append((f"imap: {exc}", None))
    if settings.inbox_maildir:
        sources.append((f"maildir:{settings.inbox_maildir}", _read_maildir))
    return sources


def fetch_inbox(clock: Clock, settings: CollectionSettings,
                limit: int | None = None) -> list[InboxResult]:
    """Read every configured mailbox once; then keep or break promises as today stands
    (a payment that arrived with this tick keeps one)."""
    results = []
    with cache_role("bulk"):  # raw mail is written once, not read again (models/db.py)
        for source, reader in _sources(settings):
            result = InboxResult(source)
            if reader is None:
                result.failure, result.detail = "setup", source.removeprefix("imap: ")
                results.append(result)
                continue
            _read_one(clock, settings, result, reader, limit)
            results.append(result)
    settle_promises(clock)
    return results


def _read_one(clock: Clock, settings: CollectionSettings, result: InboxResult, reader,
              limit: int | None) -> None:
    now = utc_now_naive(clock)
    exists = MailboxState.select().where(MailboxState.source == result.source).exists()
    state = _state(result.source)
    first_read = clock.today() if not exists or state.last_success_at is None else None
    MailboxState.update(last_run_at=now).where(MailboxState.id == state.id).execute()
    try:
        reader(clock, settings, result, limit, first_read)
    except MailboxError as exc:
        result.failure, result.detail = exc.code, str(exc)
        log.warning("mailbox %s: %s", result.source, exc)
    _record_outcome(clock, result)


def _record_outcome(clock: Clock, result: InboxResult) -> None:
    now = utc_now_naive(clock)
    state = _state(result.source)
    if result.failure is None:
        MailboxState.update(last_success_at=now, last_fetched=len(result.stored), failure="",
                            failure_detail="", failing_since=None).where(
            MailboxState.id == state.id).execute()
        return
    MailboxState.update(failure=result.failure, failure_detail=result.detail,
                        failing_since=state.failing_since or now).where(
        MailboxState.id == state.id).execute()


def result_lines(results: list[InboxResult]) -> list[str]:
    """What a read did, in the program's language: the command, run-once, the hook."""
    lines = []
    for result in results:
        if result.failure is not None:
            lines.append(t("Mailbox {source}: {problem} ({detail})", source=result.source,
                           problem=t(FAILURE_WORDS.get(result.failure, result.failure)),
                           detail=result.detail))
            continue
        if not result.stored and not result.more:
            lines.append(t("Mailbox {source}: no new messages", source=result.source))
            continue
        parts = [tn("{n} new message", "{n} new messages", len(result.stored))]
        if result.waiting:
            parts.append(tn("{n} waits for a decision", "{n} wait for a decision",
                            result.waiting))
        bounced = sum(1 for s in result.stored if s.undelivered)
        if bounced:
            parts.append(tn("{n} demand or reminder not delivered",
                            "{n} demands or reminders not delivered", bounced))
        if result.more:
            parts.append(t("more on the next run"))
        lines.append(t("Mailbox {source}: {parts}", source=result.source,
                       parts=", ".join(parts)))
    return lines
