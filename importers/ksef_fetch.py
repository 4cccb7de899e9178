"""One run of the KSeF sync against KSeF itself, through ksef-client: the tokens, the
waits and retries, the windows and pages, the batches (the rules: ``importers/ksef_sync.py``
and docs/ksef-sync.md).

Imported only when a run starts (``ksef_sync.sync_ksef``): ksef-client's typed models take
half a second to import, which neither the interface's start nor a command that does not
sync should pay.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from ksef_client import KsefClient, KsefClientOptions
from ksef_client import models as m
from ksef_client.exceptions import KsefHttpError, KsefRateLimitError
from ksef_client.services.auth import build_ksef_token_auth_request, encrypt_ksef_token
from peewee import IntegrityError

from ..ledger.clock import Clock, utc_now_naive
from ..ledger.identity import SYSTEM
from ..ledger.ksef_access import base_url
from ..ledger.settings import CollectionSettings
from ..models import KsefInvoice, KsefSyncState, database
from .ksef import FileResult, InvoiceStore
from .ksef_outcome import Failure, SyncResult, SyncStopped
from .ksef_xml import Invoice, InvoiceRefused, parse_invoice

log = logging.getLogger("windykacja.importers.ksef_sync")  # one logger for the whole sync

PAGE_SIZE = 250  # KSeF's largest page
BATCH = 100  # invoices per transaction
WINDOW_DAYS = 88  # KSeF allows three months per query; stay inside every month's length
FIRST_SYNC_DAYS = 90
NETWORK_TRIES = 3
AUTH_POLLS = 30
AUTH_POLL_SECONDS = 1.0
NOT_YET_DOWNLOADABLE = 21165
NOTHING_NEW = 21183  # ``from`` is after the high-water mark
WARSAW = ZoneInfo("Europe/Warsaw")

T = TypeVar("T")
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Listed:
    """One invoice of a metadata page: what the sync needs of it."""

    ksef_number: str
    invoice_number: str
    stored_at: dt.datetime  # UTC, naive



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
    max_wait_seconds: float = 900.0  # rate-limit and retry waits, in all


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

    def wait(self, seconds: int | None, rate_limit: bool = True) -> None:
        """``seconds`` as KSeF's Retry-After gives them (whole seconds), at least one."""
        seconds = max(1, seconds or 1)
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
        self.retrying: set[str] = set()  # refused before, downloaded again (--retry)

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
            self.retrying.add(item.ksef_number)
            self.batch.append((item, self._download(item)))
            if len(self.batch) >= BATCH:
                self._flush(None)
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
        # A query continued after truncation lists the last date's invoices again, some
        # of them still in the batch being built.
        handled |= {item.ksef_number for item, _ in self.batch}
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

    def flush_covered(self) -> None:
        """Store what is downloaded so far, the checkpoint up to the last invoice handled."""
        if self.batch:
            self._flush(self.covered)

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

    def _lock_state(self) -> None:
        """Two runs at once (the worker's and ``ksef sync``, Fetch now) store one batch
        after the other: on PostgreSQL the state row is locked for the transaction, so
        the check for invoices already stored sees the other's commit (READ COMMITTED
        would otherwise miss it). SQLite serialises writing transactions itself."""
        query = KsefSyncState.select(KsefSyncState.id).where(
            KsefSyncState.id == self.state.id)
        if database.for_update:
            query = query.for_update()
        list(query)

    def _commit(self, ordered: list[tuple[Listed, Invoice | InvoiceRefused]],
                checkpoint: dt.datetime | None) -> list[KsefInvoice]:
        rows = []
        with database.atomic():
            self._lock_state()
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
        if item.ksef_number in self.retrying:  # its refused row gives way to the outcome
            KsefInvoice.delete().where((KsefInvoice.ksef_number == item.ksef_number)
                                       & (KsefInvoice.outcome == "refused")).execute()
        return KsefInvoice.create(
            ksef_number=item.ksef_number, invoice_number=item.invoice_number[:255],
            document=stored.document_id, stored_at=item.stored_at,
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


def fetch(
    clock: Clock, settings: CollectionSettings, state: KsefSyncState, token: str, nip: str,
    retry_refused: bool, pace: Pace,
) -> SyncResult:
    """Log in, fetch and store; the result says how it ended (never raises for KSeF's
    answers)."""
    url = base_url(settings.ksef_environment)
    # Plain http (a stand-in, a local proxy) needs no certificate bundle, which costs
    # 75 ms per client to load.
    options = KsefClientOptions(base_url=url, timeout_seconds=pace.timeout_seconds,
                                verify_ssl=url.startswith("https://"))
    with KsefClient(options) as client:
        session = _Session(client, token, nip, pace)
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
        # What was downloaded before the stop is kept: on production the hourly download
        # limit (64) is below a batch, so a run that kept nothing would never get ahead.
        run.flush_covered()
        run.result.waited_seconds = session.waited
    return run.result
