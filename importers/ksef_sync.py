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
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from ksef_client import KsefClient, KsefClientOptions
from ksef_client import models as m
from ksef_client.exceptions import KsefHttpError, KsefRateLimitError
from ksef_client.services.auth import build_ksef_token_auth_request, encrypt_ksef_token
from peewee import IntegrityError

from ..i18n import N_, t, tn
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.ksef_access import base_url, read_ksef_token
from ..ledger.settings import CollectionSettings
from ..models import Document, KsefInvoice, KsefSyncState, database
from .ksef import FileResult, InvoiceStore
from .ksef_xml import Invoice, InvoiceRefused, parse_invoice

log = logging.getLogger(__name__)

PAGE_SIZE = 250  # KSeF's largest page
BATCH = 100  # invoices per transaction
WINDOW_DAYS = 88  # KSeF allows three months per query; stay inside every month's length
FIRST_SYNC_DAYS = 90
MAX_WAIT_SECONDS = 900  # rate-limit waits per run, in all
NETWORK_TRIES = 3
SYNC_INTERVAL = dt.timedelta(minutes=15)
HOOK_MAX_WAIT_SECONDS = 60  # the worker's pass waits behind the sync: keep it short
AUTH_POLLS = 30
AUTH_POLL_SECONDS = 1.0
NOT_YET_DOWNLOADABLE = 21165
NOTHING_NEW = 21183  # ``from`` is after the high-water mark
SYSTEM = "system"
WARSAW = ZoneInfo("Europe/Warsaw")

T = TypeVar("T")
Sleep = Callable[[float], None]


class Failure(StrEnum):
    SETUP = "setup"
    TOKEN = "token"
    PERMISSION = "permission"
    UNAVAILABLE = "unavailable"
    THROTTLED = "throttled"


#: What each failure means to a person, and what to do.
FAILURE_WORDS = {
    Failure.SETUP: N_("KSeF is not set up completely"),
    Failure.TOKEN: N_("the KSeF token is wrong, revoked or inactive: generate a new one in "
                      "KSeF and put it where ksef.token_file or $WINDYKACJA_KSEF_TOKEN says"),
    Failure.PERMISSION: N_("the KSeF token has no permission to read invoices (InvoiceRead): "
                           "generate a token with it"),
    Failure.UNAVAILABLE: N_("KSeF is unavailable; the next sync tries again"),
    Failure.THROTTLED: N_("KSeF asks us to wait (rate limits); the next sync goes on"),
}


class SyncStopped(Exception):
    """The run cannot go on; what it stored so far stays."""

    def __init__(self, failure: Failure, detail: str) -> None:
        super().__init__(f"{failure}: {detail}")
        self.failure = failure
        self.detail = detail


@dataclass
class SyncResult:
    created: int = 0
    unchanged: int = 0
    corrected: int = 0
    known: int = 0  # listed again, handled before: not downloaded
    refused: list[KsefInvoice] = field(default_factory=list)
    failure: Failure | None = None
    detail: str = ""
    not_ready: str = ""  # a KSeF number KSeF could not hand out yet (21165)
    checkpoint: dt.datetime | None = None
    waited_seconds: float = 0.0

    @property
    def added(self) -> int:
        return self.created + self.corrected


@dataclass(frozen=True)
class Listed:
    """One invoice of a metadata page: what the sync needs of it."""

    ksef_number: str
    invoice_number: str
    stored_at: dt.datetime  # UTC, naive


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


def parse_moment(text: str | None) -> dt.datetime | None:
    """A KSeF timestamp (ISO 8601, with ``Z`` or an offset) as naive UTC."""
    if not text:
        return None
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:  # KSeF reads a time without a zone as Warsaw's
        moment = moment.replace(tzinfo=WARSAW)
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def ksef_moment(moment: dt.datetime) -> str:
    """Naive UTC as KSeF reads it, to the millisecond."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# --- talking to KSeF --------------------------------------------------------------------


def _error_codes(exc: KsefHttpError) -> set[int]:
    """The ministry's codes in a 400 body, legacy or problem-details shape."""
    body = exc.response_body if isinstance(exc.response_body, dict) else {}
    details = (body.get("exception") or {}).get("exceptionDetailList") or []
    codes = {d.get("exceptionCode") for d in details if isinstance(d, dict)}
    codes |= {e.get("code") for e in body.get("errors") or [] if isinstance(e, dict)}
    return {int(code) for code in codes if isinstance(code, int | str) and str(code).isdigit()}


def _detail(exc: KsefHttpError) -> str:
    """KSeF's own words for a refusal (never a token: KSeF does not echo them)."""
    body = exc.response_body if isinstance(exc.response_body, dict) else {}
    details = (body.get("exception") or {}).get("exceptionDetailList") or []
    words = [f"{d.get('exceptionCode')} {d.get('exceptionDescription')}" for d in details
             if isinstance(d, dict)]
    words += [str(body[key]) for key in ("reasonCode", "detail") if body.get(key)]
    return "; ".join(words) or f"HTTP {exc.status_code}"


@dataclass(frozen=True)
class Pace:
    """How patient a run is: the command waits out KSeF's limits longer than the worker,
    whose pass must not wait behind the sync."""

    sleep: Sleep = time.sleep
    timeout_seconds: float = 30.0  # per request
    max_wait_seconds: float = MAX_WAIT_SECONDS  # rate-limit and retry waits, in all


class _Session:
    """One run's connection: the tokens in memory, the retries and the waits."""

    def __init__(self, client: KsefClient, token: str, nip: str, pace: Pace) -> None:
        self.client = client
        self._token = token
        self.nip = nip
        self.sleep = pace.sleep
        self.max_wait = pace.max_wait_seconds
        self.waited = 0.0
        self._access = ""
        self._refresh = ""

    def authenticate(self) -> None:
        auth = self.client.auth
        certificate = self.call(lambda: self.client.security.get_public_key_certificate_pem(
            m.PublicKeyCertificateUsage.KSEFTOKENENCRYPTION), authorised=False)
        challenge = self.call(auth.get_challenge, authorised=False)
        request = build_ksef_token_auth_request(
            challenge=challenge.challenge, context_identifier_type="nip",
            context_identifier_value=self.nip,
            encrypted_token_base64=encrypt_ksef_token(
                public_certificate=certificate, token=self._token,
                timestamp_ms=challenge.timestamp_ms))
        started = self.call(lambda: auth.submit_ksef_token_auth(request), authorised=False)
        reference = started.reference_number
        bearer = started.authentication_token.token
        for _ in range(AUTH_POLLS):
            status = self.call(lambda: auth.get_auth_status(reference, bearer),
                               authorised=False).status
            if status.code == 200:
                break
            if status.code != 100:
                self._refused(status)
            self.sleep(AUTH_POLL_SECONDS)
        else:
            raise SyncStopped(Failure.UNAVAILABLE, "authentication did not finish")
        tokens = self.call(lambda: auth.redeem_token(bearer), authorised=False)
        self._access = tokens.access_token.token
        self._refresh = tokens.refresh_token.token

    @staticmethod
    def _refused(status: m.StatusInfo) -> None:
        detail = f"{status.code} {status.description}"
        if status.details:
            detail += ": " + ", ".join(status.details)
        if status.code == 415:
            raise SyncStopped(Failure.PERMISSION, detail)
        if status.code in (550, 500):
            raise SyncStopped(Failure.UNAVAILABLE, detail)
        raise SyncStopped(Failure.TOKEN, detail)

    def _renew(self) -> None:
        """After a 401: a new access token from the refresh token, else log in again."""
        try:
            self._access = self.call(
                lambda: self.client.auth.refresh_access_token(self._refresh),
                authorised=False).access_token.token
        except SyncStopped as stopped:
            if stopped.failure is not Failure.TOKEN:
                raise
            self.authenticate()

    def authorised(self, request: Callable[[str], T]) -> T:
        """``request(access_token)``, renewing the token once on a 401."""
        try:
            return self.call(lambda: request(self._access))
        except _Unauthorised:
            self._renew()
        try:
            return self.call(lambda: request(self._access))
        except _Unauthorised as exc:
            raise SyncStopped(Failure.TOKEN, str(exc)) from None

    def call(self, request: Callable[[], T], authorised: bool = True) -> T:
        """One request, with the waits 429 asks for and the retries of a bad network."""
        network_failures = 0
        while True:
            try:
                return request()
            except KsefRateLimitError as exc:
                self.wait(exc.retry_after)
            except KsefHttpError as exc:
                if exc.status_code == 401:
                    if authorised:
                        raise _Unauthorised(_detail(exc)) from None
                    raise SyncStopped(Failure.TOKEN, _detail(exc)) from None
                if exc.status_code == 403:
                    raise SyncStopped(Failure.PERMISSION, _detail(exc)) from None
                if exc.status_code == 400 and not authorised and _error_codes(exc) & {21301}:
                    raise SyncStopped(Failure.TOKEN, _detail(exc)) from None
                if 400 <= exc.status_code < 500:
                    raise
                network_failures += 1
                if network_failures >= NETWORK_TRIES:
                    raise SyncStopped(Failure.UNAVAILABLE, exc.message) from None
                self.wait(exc.retry_after or 2 ** network_failures, rate_limit=False)

    def wait(self, seconds: float | None, rate_limit: bool = True) -> None:
        seconds = max(1.0, float(seconds or 1))
        if self.waited + seconds > self.max_wait:
            raise SyncStopped(Failure.THROTTLED if rate_limit else Failure.UNAVAILABLE,
                              f"Retry-After {seconds:g} s")
        self.waited += seconds
        log.info("KSeF asks to wait %g s", seconds)
        self.sleep(seconds)


class _Unauthorised(Exception):
    pass


# --- one run ----------------------------------------------------------------------------


class _Run:
    def __init__(self, clock: Clock, settings: CollectionSettings, session: _Session,
                 state: KsefSyncState) -> None:
        self.clock = clock
        self.settings = settings
        self.session = session
        self.state = state
        self.result = SyncResult(checkpoint=state.checkpoint)
        self.store = InvoiceStore(clock, settings, SYSTEM)
        self.batch: list[tuple[Listed, bytes]] = []
        self.covered: dt.datetime | None = None  # every invoice listed up to here is handled

    def start(self) -> dt.datetime:
        if self.state.checkpoint is not None:
            return self.state.checkpoint
        since = self.settings.ksef_since or (self.clock.today()
                                              - dt.timedelta(days=FIRST_SYNC_DAYS))
        return dt.datetime.combine(since, dt.time())

    def retry(self) -> None:
        """The invoices refused before, downloaded again by number (the checkpoint has
        passed them) and stored anew."""
        for row in KsefInvoice.select().where(KsefInvoice.outcome == "refused").order_by(
                KsefInvoice.stored_at):
            item = Listed(row.ksef_number, row.invoice_number, row.stored_at)
            self.batch.append((item, self._download(item)))
        self._flush(None)

    def run(self) -> None:
        """Window after window until KSeF's high-water mark is reached."""
        start = self.start()
        while True:
            limit = start + dt.timedelta(days=WINDOW_DAYS)
            end = limit if limit < utc_now_naive(self.clock) else None
            reached = self._window(start, end)
            self._flush(reached or self.covered)
            if end is None or reached is None or reached < end:
                return
            start = end

    def _window(self, start: dt.datetime, end: dt.datetime | None) -> dt.datetime | None:
        """Every page of one window; returns where the window ends (the high-water mark,
        or its ``end`` when that comes first), None when there is nothing new."""
        page, hwm = 0, None
        while True:
            try:
                found = self._page(start, end, page)
            except KsefHttpError as exc:
                if NOTHING_NEW in _error_codes(exc):
                    return None
                raise SyncStopped(Failure.UNAVAILABLE, _detail(exc)) from None
            hwm = parse_moment(found.permanent_storage_hwm_date) or hwm
            listed = [_listed(invoice) for invoice in found.invoices]
            self._take(listed)
            if not found.has_more:
                break
            if found.is_truncated and listed:
                start, page = listed[-1].stored_at, 0
            else:
                page += 1
        if end is not None and (hwm is None or end <= hwm):
            return end
        return hwm

    def _page(self, start: dt.datetime, end: dt.datetime | None,
              page: int) -> m.QueryInvoicesMetadataResponse:
        def query(access: str) -> m.QueryInvoicesMetadataResponse:
            return self.session.client.invoices.query_invoice_metadata(
                _filters(start, end), access_token=access, page_offset=page,
                page_size=PAGE_SIZE, sort_order="Asc")

        return self.session.authorised(query)

    def _take(self, listed: list[Listed]) -> None:
        handled = self._handled({item.ksef_number for item in listed})
        for item in listed:
            if item.ksef_number in handled:
                self.result.known += 1
            else:
                self.batch.append((item, self._download(item)))
                if len(self.batch) >= BATCH:
                    self._flush(item.stored_at)
            self.covered = item.stored_at

    def _handled(self, numbers: set[str], refused_too: bool = True) -> set[str]:
        query = KsefInvoice.select(KsefInvoice.ksef_number).where(
            KsefInvoice.ksef_number.in_(list(numbers)))
        if not refused_too:
            query = query.where(KsefInvoice.outcome != "refused")
        return {row.ksef_number for row in query}

    def _download(self, item: Listed) -> bytes:
        try:
            return self.session.authorised(
                lambda access: self.session.client.invoices.get_invoice_bytes(
                    item.ksef_number, access_token=access).content)
        except KsefHttpError as exc:
            if NOT_YET_DOWNLOADABLE in _error_codes(exc):
                self._flush(self.covered)
                self.result.not_ready = item.ksef_number
                raise _NotReady from None
            raise SyncStopped(Failure.UNAVAILABLE, _detail(exc)) from None

    def _flush(self, checkpoint: dt.datetime | None) -> None:
        """The batch, its rows and the checkpoint in one transaction. When another run
        stored some of the same invoices meanwhile (the worker and ``ksef sync`` at once),
        the transaction fails on the unique KSeF number and is done again without them."""
        batch, self.batch = self.batch, []
        read = [(item, _read(content)) for item, content in batch]
        ordered = sorted(read, key=lambda pair: isinstance(pair[1], Invoice)
                         and pair[1].is_correction)
        for attempt in (1, 2):
            try:
                rows = self._commit(ordered, checkpoint)
                break
            except IntegrityError:
                if attempt == 2:
                    raise
        for row in rows:
            self._count(row)
        self.result.checkpoint = self.state.checkpoint

    def _commit(self, ordered: list[tuple[Listed, Invoice | InvoiceRefused]],
                checkpoint: dt.datetime | None) -> list[KsefInvoice]:
        rows = []
        with database.atomic():
            # A refused one is tried anew (--retry); one stored meanwhile is left alone.
            handled = self._handled({item.ksef_number for item, _ in ordered},
                                    refused_too=False)
            for item, invoice in ordered:
                if item.ksef_number not in handled:
                    rows.append(self._store(item, invoice))
            if checkpoint is not None and (self.state.checkpoint is None
                                           or checkpoint > self.state.checkpoint):
                KsefSyncState.update(checkpoint=checkpoint).where(
                    KsefSyncState.id == self.state.id).execute()
                self.state.checkpoint = checkpoint
        return rows

    def _store(self, item: Listed, invoice: Invoice | InvoiceRefused) -> KsefInvoice:
        name = Path(f"{item.ksef_number}.xml")
        if isinstance(invoice, Invoice):
            stored = self.store.store(name, invoice, f"KSeF {item.ksef_number}",
                                      f"ksef {item.ksef_number}")
        else:
            stored = FileResult(name, "refused", item.invoice_number, invoice.problems)
        document = None
        if isinstance(invoice, Invoice) and stored.outcome != "refused":
            document = _document_of(invoice)
        # A refused row tried again (--retry) gives way to the new outcome.
        KsefInvoice.delete().where(KsefInvoice.ksef_number == item.ksef_number).execute()
        return KsefInvoice.create(
            ksef_number=item.ksef_number, invoice_number=item.invoice_number[:255],
            document=document, stored_at=item.stored_at,
            synced_at=utc_now_naive(self.clock), outcome=stored.outcome,
            problem="\n".join(str(p) for p in stored.problems))

    def _count(self, row: KsefInvoice) -> None:
        if row.outcome == "refused":
            self.result.refused.append(row)
            log.info("KSeF invoice %s (%s) refused: %s", row.invoice_number,
                        row.ksef_number, row.problem.replace("\n", "; "))
        else:
            setattr(self.result, row.outcome, getattr(self.result, row.outcome) + 1)


class _NotReady(Exception):
    pass


def _read(content: bytes) -> Invoice | InvoiceRefused:
    try:
        return parse_invoice(content)
    except InvoiceRefused as refused:
        return refused


def _document_of(invoice: Invoice) -> int | None:
    number = invoice.corrected_number if invoice.is_correction else invoice.number
    found = Document.select(Document.id).where(Document.number == number).first()
    return found.id if found else None


def _listed(invoice: m.InvoiceMetadata) -> Listed:
    stored = parse_moment(invoice.permanent_storage_date)
    if not invoice.ksef_number or stored is None:
        raise SyncStopped(Failure.UNAVAILABLE, "KSeF listed an invoice without its number or "
                                               "storage date")
    return Listed(invoice.ksef_number, invoice.invoice_number or "", stored)


def _filters(start: dt.datetime, end: dt.datetime | None) -> m.InvoiceQueryFilters:
    date_range: dict[str, Any] = {"dateType": "PermanentStorage", "from": ksef_moment(start),
                                  "restrictToPermanentStorageHwmDate": True}
    if end is not None:
        date_range["to"] = ksef_moment(end)
    return m.InvoiceQueryFilters.from_dict({"subjectType": "Subject1",
                                            "dateRange": date_range})


# --- the entry ----------------------------------------------------------------------------


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
    sleep: Sleep = time.sleep, timeout_seconds: float = 30.0,
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
        result = _connect_and_run(clock, settings, state, token.value, retry_refused,
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


def _connect_and_run(
    clock: Clock, settings: CollectionSettings, state: KsefSyncState, token: str,
    retry_refused: bool, pace: Pace,
) -> SyncResult:
    options = KsefClientOptions(base_url=base_url(settings.ksef_environment),
                                timeout_seconds=pace.timeout_seconds)
    with KsefClient(options) as client:
        session = _Session(client, token, ksef_nip(settings), pace)
        run = _Run(clock, settings, session, state)
        try:
            session.authenticate()
            if retry_refused:
                run.retry()
            run.run()
        except _NotReady:
            pass
        except SyncStopped as stopped:
            run.result.failure, run.result.detail = stopped.failure, stopped.detail
        except KsefHttpError as exc:  # a refusal none of the rules above expects
            run.result.failure, run.result.detail = Failure.UNAVAILABLE, _detail(exc)
        run.result.waited_seconds = session.waited
    return run.result


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
        return [t("KSeF: {problem} ({detail})", problem=t(FAILURE_WORDS[result.failure]),
                  detail=result.detail)]
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
