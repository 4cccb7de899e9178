"""The KSeF sync: the company's sales invoices fetched from KSeF by themselves (issue 14).

The ministry's incremental download (docs/ksef-sync.md 1.4), through **ksef-client**
(why that client: the same note, part 2). Each run:

1. authenticates with the KSeF token (``ledger/ksef_access.py``): certificate, challenge,
   the token encrypted, status polled until it ends, tokens redeemed. The access and
   refresh tokens live in memory for this run only; on a 401 the access token is
   refreshed, and when the refresh is refused the run authenticates again once;
2. asks for the metadata of ``Subject1`` (our sales) by ``PermanentStorage`` date, oldest
   first, from the stored checkpoint, capped at KSeF's high-water mark
   (``restrictToPermanentStorageHwmDate``), in windows of at most ``WINDOW_DAYS`` (KSeF
   allows three months) and pages of ``PAGE_SIZE`` page *numbers*; a truncated result
   (10 000 records) continues from its last record's date;
3. skips a KSeF number already handled (``ksef_invoice``) without downloading it,
   downloads the others and hands each XML to the KSeF importer (``importers/ksef.py``):
   a synced invoice and an imported file are the same document, and corrections are
   applied as they are from files;
4. stores them in batches of ``BATCH``: one transaction holds the invoices, their
   ``ksef_invoice`` rows and the checkpoint moved to the last one's ``PermanentStorage``
   date. A crash loses at most the batch being built, which the next run fetches again;
   nothing is skipped (the checkpoint never passes an invoice not stored) and nothing is
   stored twice (the KSeF number is unique, and an invoice listed again is skipped).
   At the end of a window the checkpoint moves to the window's end (the high-water mark:
   nothing earlier can appear any more).

Decisions, written down:

* **A refused invoice does not stop the sync.** It is recorded (``ksef_invoice`` outcome
  ``refused`` with the importer's words) and counted in ``status``; the next runs do not
  download it again; ``windykacja ksef sync --retry`` tries the refused ones again after
  the cause is fixed (a contractor merged, the corrected invoice imported).
* **Corrections after invoices** within a batch, as a folder is imported.
* **Rate limits**: a 429 is waited out exactly as long as its ``Retry-After`` says (never
  shorter); the waits of one run are capped at ``MAX_WAIT_SECONDS`` in all, after which
  the run stops with what it stored ("KSeF asks us to wait"), and the next run goes on.
  A 5xx or a broken connection is tried ``NETWORK_TRIES`` times, then the run stops as
  "KSeF unavailable".
* **Not yet downloadable** (400, code 21165): the run stops before that invoice, keeping
  the checkpoint before it, and the next run tries again. Not a failure.
* **Failures in words** (``Failure``): no token or no NIP (setup), a wrong, revoked or
  inactive token (450, or a 401 after authenticating again), no permission to read
  invoices (415, 403), KSeF unavailable (network, 5xx, 550), waits too long (throttled).
  The run's outcome is stored in ``ksef_sync_state`` for ``status`` and the top line and
  logged; collection goes on with what is known.
* **The first run** starts at ``ksef.since``, else ``FIRST_SYNC_DAYS`` days before its day:
  older unpaid invoices are imported from files once (``import ksef``), as before.
* **Amounts only from the XML**: the metadata's amounts are JSON doubles, never used.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from ..i18n import t, tn
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.ksef_access import read_ksef_token
from ..ledger.settings import CollectionSettings
from ..models import KsefInvoice, KsefSyncState, database
from .ksef_outcome import FAILURE_WORDS, Failure, SyncResult, SyncStopped

__all__ = ["FAILURE_WORDS", "Failure", "SyncResult", "claim_scheduled_run", "connected",
           "ksef_nip", "refused_invoices", "result_lines", "sync_ksef", "sync_state",
           "token_readable"]

log = logging.getLogger(__name__)

MAX_WAIT_SECONDS = 900  # rate-limit waits per run of the command, in all
HOOK_MAX_WAIT_SECONDS = 60  # the worker's pass waits behind the sync: keep it short
SYNC_INTERVAL = dt.timedelta(minutes=15)


def connected(settings: CollectionSettings) -> bool:
    return bool(settings.ksef_environment)


def ksef_nip(settings: CollectionSettings) -> str:
    return settings.ksef_nip or settings.company_nip


def sync_state(settings: CollectionSettings) -> KsefSyncState | None:
    """The stored state of the connected environment and NIP, if a run ever started."""
    if not connected(settings):
        return None
    return KsefSyncState.get_or_none(
        (KsefSyncState.environment == settings.ksef_environment)
        & (KsefSyncState.nip == ksef_nip(settings)))


def _state_row(settings: CollectionSettings) -> KsefSyncState:
    with database.atomic():
        state, _ = KsefSyncState.get_or_create(environment=settings.ksef_environment,
                                               nip=ksef_nip(settings))
    return state


def _record_outcome(clock: Clock, state: KsefSyncState, result: SyncResult) -> None:
    now = utc_now_naive(clock)
    values: dict[str, Any] = {"failure": str(result.failure or ""),
                              "failure_detail": result.detail}
    if result.failure is None:
        values.update(last_success_at=now, last_added=result.added, failing_since=None)
    elif not state.failure:
        values["failing_since"] = now
    KsefSyncState.update(**values).where(KsefSyncState.id == state.id).execute()


def sync_ksef(
    clock: Clock, settings: CollectionSettings, *, retry_refused: bool = False,
    sleep: Callable[[float], None] = time.sleep, timeout_seconds: float = 30.0,
    max_wait_seconds: float = MAX_WAIT_SECONDS,
) -> SyncResult:
    """One run of the KSeF sync; raises nothing a user should see: a failure is in the
    result, stored for ``status`` and logged. Call it only when ``connected(settings)``."""
    state = _state_row(settings)
    KsefSyncState.update(last_run_at=utc_now_naive(clock)).where(
        KsefSyncState.id == state.id).execute()
    nip = ksef_nip(settings)
    try:
        if not nip:
            raise SyncStopped(Failure.SETUP, t("no NIP: set ksef.nip or company.nip"))
        try:
            token = read_ksef_token(settings.ksef_token_file)
        except ValueError as exc:
            raise SyncStopped(Failure.SETUP, str(exc)) from None
        # Only a run pays for importing the KSeF client (see ksef_fetch's docstring).
        from .ksef_fetch import Pace, fetch

        result = fetch(clock, settings, state, token.value, nip, retry_refused,
                       Pace(sleep, timeout_seconds, max_wait_seconds))
    except SyncStopped as stopped:
        result = SyncResult(checkpoint=state.checkpoint, failure=stopped.failure,
                            detail=stopped.detail)
    if result.failure is None:
        log.info("KSeF sync: %d created, %d unchanged, %d corrected, %d refused; "
                 "checkpoint %s", result.created, result.unchanged, result.corrected,
                 len(result.refused), result.checkpoint)
    else:
        # Info: a command says it itself on stderr; status and the top line show it.
        log.info("KSeF sync stopped: %s (%s)", result.failure, result.detail)
    _record_outcome(clock, state, result)
    return result


def token_readable(settings: CollectionSettings) -> bool:
    """Whether this process finds the KSeF token (without saying it)."""
    try:
        read_ksef_token(settings.ksef_token_file)
    except ValueError:
        return False
    return True


def claim_scheduled_run(clock: Clock, settings: CollectionSettings) -> bool:
    """Whether the worker syncs now: at most every ``SYNC_INTERVAL`` (the ministry asks
    for no more often than every 15 minutes per company), whichever process asks first.
    The claim is one conditional update, so two workers (several users' interfaces on
    one PostgreSQL database) never both run it."""
    state = _state_row(settings)
    now = utc_now_naive(clock)
    last = KsefSyncState.last_run_at
    claimed = KsefSyncState.update(last_run_at=now).where(
        (KsefSyncState.id == state.id)
        # A clock moved back (a simulated day) must not stop the sync for good.
        & (last.is_null() | (last <= now - SYNC_INTERVAL) | (last > now))).execute()
    return claimed == 1


def refused_invoices() -> list[KsefInvoice]:
    """The invoices KSeF handed out that the importer refused, oldest first."""
    return list(KsefInvoice.select().where(KsefInvoice.outcome == "refused").order_by(
        KsefInvoice.stored_at))


def result_lines(result: SyncResult) -> list[str]:
    """What a run did, in the program's language: run-once, the command and the hook."""
    if result.failure is not None:
        return [t("KSeF sync stopped: {problem} ({detail})",
                  problem=t(FAILURE_WORDS[result.failure]), detail=result.detail)]
    parts = []
    if result.added:
        parts.append(tn("{n} invoice added", "{n} invoices added", result.added))
    if result.unchanged:
        parts.append(tn("{n} already in the database", "{n} already in the database",
                        result.unchanged))
    lines = [t("KSeF: {what}.", what=", ".join(parts)) if parts
             else t("KSeF: nothing new since the last sync.")]
    for row in result.refused:
        lines.append(t("KSeF: invoice {number} ({ksef_number}) refused: {problem}",
                       number=row.invoice_number, ksef_number=row.ksef_number,
                       problem=row.problem.replace("\n", "; ")))
    if result.not_ready:
        lines.append(t("KSeF: invoice {ksef_number} is not ready for download yet; the next "
                       "sync takes it", ksef_number=result.not_ready))
    return lines
