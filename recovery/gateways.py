"""How a case reaches the agency: by e-mail through the outbox, or by an HTTP JSON API.

A gateway has two questions to answer (``Gateway``): *take this case* (``submit``, with
the agency-neutral ``case_package``) and *what is its status now* (``poll``). A failure
is a ``GatewayError`` whose ``retryable`` says whether ``retry_unsent`` may simply try
again (the agency was unreachable, timed out, or answered 5xx) or a person must look
first (the agency refused the data: 4xx, a bad intake address).

Decisions written down:

* **E-mail: one message per case**, not per order. A case is what the agency works on
  and answers about; one message each means the attachments are named after the case
  (``case-<id>.csv``, ``case-<id>.json``), a bad case never holds the others back, and a
  retry sends exactly that case again. The message is a ``Message`` of kind *agency* in
  the outbox, rendered and stored whole before it is sent, with one ``DocumentStep``
  (kind *agency*, number = the case id) per document: the steps' unique constraint is
  what makes a second handover of the same case impossible, as for reminders.
* **E-mail: the case becomes waiting when the outbox records the message sent.** The
  outbox calls ``agency_message_sent`` inside ``mark_sent``'s own transaction (its
  ``SENT_HOOKS``), so "sent" and "waiting" are one commit whichever process sent it —
  a pass of the worker, ``send_messages`` right after *Finish order*, or a person's
  *mark sent* for an in-doubt message. Until then the case stays *not sent*. Should a
  message be sent by a process that never loaded this module, ``submit`` (called again
  by ``retry_unsent``) finds it sent and the case is moved then.
* **E-mail goes out at once when it can**: right after it is stored, if this process
  can take the worker lease and build a transport without guessing the local outbox
  folder; otherwise it waits in the outbox for the worker's next pass. Either way it is
  the same state machine (never twice; in doubt is never resent automatically).
* **HTTP**: ``POST {api_url}/cases`` with the package and ``Authorization: Bearer``;
  an ``Idempotency-Key: windykacja-case-<id>`` header lets an agency recognise a
  retry of a case whose answer was lost. 200/201 with ``{"id": …}`` is accepted;
  a 2xx without an id is not retried automatically (the agency may well have the case).
  ``GET {api_url}/cases/{ref}`` → ``{"status": …}``, named as ``status_names`` lists;
  an unknown name is logged and ignored. The token is never logged nor put in an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import logging
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote
from zoneinfo import ZoneInfo

from peewee import IntegrityError

from ..dunning.email_build import InvalidAddress, compose, message_to_text, new_message_id
from ..dunning.lease import Lease
from ..dunning.outbox import StepRow
from ..dunning.transports import Transport, TransportFactory, make_transport
from ..i18n import words
from ..ledger.clock import Clock, SystemClock, utc_now_naive
from ..ledger.settings import AGENCY_TOKEN_ENV, CollectionSettings
from ..ledger.validation import fold_line
from ..models import (
    CaseDocument,
    CaseStatus,
    DocumentStep,
    Message,
    MessageKind,
    MessageState,
    RecoveryCase,
    StepKind,
    database,
)
from ..models.money import format_amount
from .cases import set_status
from .status_names import parse_status

log = logging.getLogger("windykacja.recovery")


class GatewayError(Exception):
    """The gateway did not take the case (or answer about it). ``reason`` is for people,
    on one line (it is stored, listed and logged: an agency's answer must not start lines
    of its own); ``retryable`` says whether trying again later, unchanged, may work."""

    def __init__(self, reason: str, retryable: bool) -> None:
        reason = " ".join(fold_line(reason).split())
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@dataclass(frozen=True)
class SubmitResult:
    external_ref: str = ""  # the agency's number for the case, when it gives one at once
    # True: handed on but not yet delivered (an e-mail waiting in the outbox); the case
    # stays *not sent* until the delivery is recorded.
    pending: bool = False
    # True: the gateway already had this case (its e-mail is in the outbox): nothing new
    # was tried, so it does not count as an attempt.
    already: bool = False


class Gateway(Protocol):
    kind: str

    def submit(self, case: RecoveryCase, package: dict[str, Any]) -> SubmitResult: ...

    def poll(self, case: RecoveryCase) -> str | None: ...


# --- e-mail ---------------------------------------------------------------------------

# Appended last (an agency reading the columns by position reads them as before):
# ``vat_eu``, the EU VAT number of a company registered in another EU state (it has no
# NIP), and ``debtor_kind``, ``business`` or ``private``, so that a missing NIP is never
# read as a consumer.
CSV_COLUMNS = ("debtor_name", "nip", "number", "issue_date", "due_date", "days_overdue",
               "outstanding", "currency", "vat_eu", "debtor_kind")


def case_csv(package: dict[str, Any]) -> bytes:
    """One row per document; semicolons and a BOM so that Excel opens it as it is, and
    amounts with a dot, as in the JSON."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    debtor = package["debtor"]
    for document in package["documents"]:
        kind = "business" if debtor.get("business", True) else "private"
        writer.writerow([debtor.get("name", ""), debtor.get("nip", ""), document["number"],
                         document["issue_date"], document["due_date"],
                         document["days_overdue"], document["outstanding"],
                         document["currency"], debtor.get("vat_eu", ""), kind])
    return out.getvalue().encode("utf-8-sig")


def case_json(package: dict[str, Any]) -> bytes:
    return json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")


def _tax_numbers(debtor: dict[str, Any]) -> str:
    """``, NIP …`` / ``, nr VAT UE …`` / ``, nr VAT UK …`` (a company abroad), or a
    private person's mark."""
    parts = [f"NIP {debtor['nip']}"] if debtor.get("nip") else []
    if debtor.get("vat_eu"):
        where = "UK" if debtor["vat_eu"].startswith("GB") else "UE"
        parts.append(f"nr VAT {where} {debtor['vat_eu']}")
    if not debtor.get("business", True):
        parts.append("osoba prywatna (konsument)")
    return "".join(f", {part}" for part in parts)


def _day(value: Any) -> str:
    """An ISO date of the package as ``23.11.2026``."""
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


def handover_text(package: dict[str, Any], company: str) -> tuple[str, str]:
    """The subject and the short Polish body listing the case."""
    debtor = package["debtor"]
    case_id = package["case"]
    lines = [
        "Dzień dobry,",
        "",
        f"przekazujemy do windykacji sprawę nr {case_id} (zlecenie nr {package['order']}).",
        "",
        f"Dłużnik: {debtor.get('name', '')}" + _tax_numbers(debtor),
        f"Adres: {debtor.get('address', '')}",
    ]
    contact = ", ".join(v for v in (debtor.get("email"), debtor.get("phone")) if v)
    if contact:
        lines.append(f"Kontakt: {contact}")
    # Polish words for the agency: the right form for 1 day, dates as 23.11.2026.
    polish = words("pl")
    lines += [
        f"Kwota do odzyskania: {format_amount(Decimal(package['total_pln']))} "
        f"(najstarsza należność "
        f"{polish.tn('{n} day late', '{n} days late', int(package['oldest_days_overdue']))})",
        "",
        "Dokumenty:",
    ]
    for d in package["documents"]:
        lines.append(f"- {d['number']} z {_day(d['issue_date'])}, termin {_day(d['due_date'])}, "
                     f"do zapłaty {format_amount(Decimal(d['outstanding']), d['currency'])} "
                     f"({polish.tn('{n} day late', '{n} days late', int(d['days_overdue']))})")
    lines += [
        "",
        f"W załącznikach: case-{case_id}.csv (dokumenty) oraz case-{case_id}.json (pełne "
        "dane sprawy z historią windykacji).",
        f"Prosimy o powoływanie się na numer sprawy {case_id} w odpowiedziach.",
        "",
        "Z poważaniem",
        company,
    ]
    subject = f"Zlecenie windykacji: sprawa {case_id}, {debtor.get('name', '')}"
    return subject, "\n".join(lines) + "\n"


def agency_message(case_id: int) -> Message | None:
    """The case's handover e-mail, unless it was cancelled."""
    return (Message.select().join(DocumentStep)
            .where((DocumentStep.kind == StepKind.AGENCY) & (DocumentStep.number == case_id)
                   & (Message.state != MessageState.CANCELLED))
            .order_by(Message.id.desc()).first())


class EmailGateway:
    """Cases as e-mails to the agency's intake address, through the outbox."""

    kind = "email"

    def __init__(
        self, clock: Clock, settings: CollectionSettings, intake_email: str, *,
        transport_factory: Callable[[], Transport] | None = None, lease: Lease | None = None,
    ) -> None:
        self.clock = clock
        self.settings = settings
        self.intake_email = intake_email
        self.transport_factory = transport_factory  # None: the next pass sends
        self.lease = lease

    def submit(self, case: RecoveryCase, package: dict[str, Any]) -> SubmitResult:
        existing = agency_message(case.id)
        if existing is not None:
            return self._state_of(existing, already=True)
        message = self._store(case, package)
        if message is None:  # planned meanwhile by another session: the same case, once
            existing = agency_message(case.id)
            return self._state_of(existing, already=True) if existing else SubmitResult(
                pending=True, already=True)
        self._deliver(message)
        return self._state_of(Message.get_by_id(message.id))

    def poll(self, case: RecoveryCase) -> str | None:
        return None  # an agency answers e-mail by e-mail; its statuses come as a file

    def _state_of(self, message: Message, already: bool = False) -> SubmitResult:
        if message.state == MessageState.SENT:
            return SubmitResult(already=already)
        if message.state in MessageState.NEEDS_ATTENTION:
            # Failed for good or in doubt: the outbox shows it, a person resends it there.
            raise GatewayError(f"e-mail #{message.id} {message.state.replace('_', ' ')}: "
                               f"{message.last_error} (see the outbox)", retryable=False)
        return SubmitResult(pending=True, already=already)

    def _store(self, case: RecoveryCase, package: dict[str, Any]) -> Message | None:
        settings = self.settings
        sender = settings.sender_email or "windykacja@localhost"
        subject, text = handover_text(package, settings.company_name or settings.sender_name)
        page = "<pre>" + html.escape(text) + "</pre>"
        message_id = new_message_id(sender.rpartition("@")[2])
        try:
            raw = message_to_text(compose(
                sender_name=settings.sender_name or settings.company_name,
                sender_email=sender, recipients=[self.intake_email], subject=subject,
                text=text, html=page, message_id=message_id, date=self.clock.local_now(),
                attachments=[
                    (f"case-{case.id}.csv", "text/csv; charset=utf-8", case_csv(package)),
                    (f"case-{case.id}.json", "application/json; charset=utf-8",
                     case_json(package)),
                ],
            ))
        except InvalidAddress as exc:
            raise GatewayError(f"address: {exc}", retryable=False) from None
        documents = [link.document_id for link in
                     CaseDocument.select(CaseDocument.document).where(CaseDocument.case == case.id)]
        try:
            with database.atomic():
                message = Message.create(
                    contractor=None, kind=MessageKind.AGENCY, language="pl",
                    recipients=self.intake_email, subject=subject, raw=raw,
                    message_id=message_id, pass_date=self.clock.today(),
                    created_at=utc_now_naive(self.clock),
                )
                DocumentStep.insert_many([
                    {"document": document_id, "kind": StepKind.AGENCY, "number": case.id,
                     "message": message.id, "planned_for": self.clock.today(),
                     "outstanding": None}
                    for document_id in documents
                ]).execute()
        except IntegrityError:
            return None
        return message

    def _deliver(self, message: Message) -> None:
        """Send it now if this process may send (the worker lease); else the pass will."""
        if self.transport_factory is None:
            return
        # Imported here: the passes' module brings the whole engine (letters, Jinja2,
        # ReportLab); the interface imports this module with its first screen.
        from ..dunning.passes import send_messages

        lease = self.lease or Lease(clock=self.clock)
        own = self.lease is None
        if not lease.try_acquire():
            return
        try:
            send_messages(self.clock, self.settings, self.transport_factory(), [message.id],
                          lease)
        finally:
            if own:
                lease.release()


def agency_message_sent(clock: Clock, message: Message, steps: list[StepRow]) -> None:
    """The outbox recorded a handover e-mail sent: its case is now *waiting*. Runs in
    ``mark_sent``'s transaction."""
    for case_id in sorted({s.number for s in steps if s.kind == StepKind.AGENCY}):
        case = RecoveryCase.get_or_none(RecoveryCase.id == case_id)
        if case is None or case.status != CaseStatus.NOT_SENT:
            continue
        RecoveryCase.update(sent_at=utc_now_naive(clock), send_error="").where(
            RecoveryCase.id == case_id).execute()
        set_status(clock, case, CaseStatus.WAITING, source="gateway",
                   note=f"e-mail #{message.id} to {message.recipients}")



# --- HTTP JSON --------------------------------------------------------------------------

_ANSWER_LIMIT = 300  # characters of an agency's error body worth showing
_TAG = re.compile(r"<[^>]*>")


def answer_detail(text: str) -> str:
    """What an agency's error body says, fit for one line: an HTML page (a gateway's
    "502 Bad Gateway") without its tags, line breaks and control characters folded,
    white space collapsed, at most ``_ANSWER_LIMIT`` characters (``…`` when cut)."""
    if text.lstrip().startswith("<"):
        text = html.unescape(_TAG.sub(" ", text))
    text = " ".join(fold_line(text).split())
    return text if len(text) <= _ANSWER_LIMIT else text[:_ANSWER_LIMIT - 1].rstrip() + "…"


class HttpGateway:
    """Cases to ``{api_url}/cases`` as JSON; statuses from ``{api_url}/cases/{ref}``."""

    kind = "http"

    def __init__(self, api_url: str, token: str, timeout: float = 10.0) -> None:
        if not api_url.startswith(("http://", "https://")):
            raise ValueError("the agency's API URL must start with http:// or https://")
        self.api_url = api_url.rstrip("/")
        self._token = token
        self.timeout = timeout

    def __repr__(self) -> str:  # never the token
        return f"HttpGateway({self.api_url!r}, timeout={self.timeout:g})"

    def submit(self, case: RecoveryCase, package: dict[str, Any]) -> SubmitResult:
        body = json.dumps(package, ensure_ascii=False).encode("utf-8")
        answer = self._call("POST", f"{self.api_url}/cases", body,
                            {"Idempotency-Key": f"windykacja-case-{case.id}"})
        ref = answer.get("id") if isinstance(answer, dict) else None
        if ref in (None, ""):
            raise GatewayError("the agency accepted the request but gave no case id; "
                               "check with the agency before sending it again",
                               retryable=False)
        return SubmitResult(external_ref=str(ref))

    def poll(self, case: RecoveryCase) -> str | None:
        if not case.external_ref:
            return None
        answer = self._call("GET", f"{self.api_url}/cases/{quote(case.external_ref, safe='')}")
        name = answer.get("status") if isinstance(answer, dict) else None
        if not isinstance(name, str):
            log.warning("case %s: the agency's answer has no status; ignored", case.id)
            return None
        status = parse_status(name)
        if status is None:
            log.warning("case %s: unknown status %r from the agency; ignored", case.id, name)
        return status

    def _call(self, method: str, url: str, body: bytes | None = None,
              headers: dict[str, str] | None = None) -> Any:
        request = urllib.request.Request(url, data=body, method=method, headers={
            "Accept": "application/json", "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "windykacja", **(headers or {}),
        })
        if self._token:
            # add_unredirected_header: the token never follows a redirect to another host
            request.add_unredirected_header("Authorization", f"Bearer {self._token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            # At most 64 KB read (a proxy's page can be large), the token scrubbed before
            # the cut so that no part of it survives.
            detail = answer_detail(self._scrub(exc.read(64 * 1024).decode("utf-8", "replace")))
            reason = f"the agency answered HTTP {exc.code}" + (f": {detail}" if detail else "")
            raise GatewayError(reason, retryable=not 400 <= exc.code < 500) from None
        except urllib.error.URLError as exc:
            why = exc.reason
            if isinstance(why, TimeoutError):
                raise GatewayError(f"no answer from the agency within {self.timeout:g} s",
                                   retryable=True) from None
            raise GatewayError(f"cannot reach the agency: {self._scrub(str(why))}",
                               retryable=True) from None
        except TimeoutError:
            raise GatewayError(f"no answer from the agency within {self.timeout:g} s",
                               retryable=True) from None
        except (ConnectionError, OSError) as exc:  # dropped mid-answer
            raise GatewayError(f"the connection to the agency failed: {exc}",
                               retryable=True) from None
        try:
            return json.loads(text) if text.strip() else {}
        except json.JSONDecodeError:
            raise GatewayError("the agency's answer is not JSON", retryable=True) from None

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text


# --- choosing ---------------------------------------------------------------------------



def make_gateway(
    settings: CollectionSettings, agency: Any, *, clock: Clock | None = None,
    default_maildir: Path | None = None, transport_factory: TransportFactory | None = None,
    lease: Lease | None = None, environ: Mapping[str, str] | None = None,
) -> EmailGateway | HttpGateway:
    """The gateway the settings choose (``recovery.gateway``), with the agency file's
    address or URL unless the settings name another.

    E-mail goes out right after *Finish order* when this process can build the
    transport: SMTP configured, or a local outbox folder known (``outbox.maildir`` or
    ``default_maildir``); otherwise it waits for the worker's next pass. The API token
    comes from ``recovery.api_token``, else ``$WINDYKACJA_AGENCY_TOKEN``.
    """
    clock = clock or SystemClock(ZoneInfo(settings.timezone))
    if settings.recovery_gateway == "http":
        url = settings.recovery_api_url or (agency.gateway.url or "")
        if not url:
            raise GatewayError("set recovery.api_url: the agency's API address is unknown",
                               retryable=False)
        environ = os.environ if environ is None else environ
        token = settings.recovery_api_token or environ.get(AGENCY_TOKEN_ENV, "")
        return HttpGateway(url, token, settings.recovery_timeout_seconds)
    intake = settings.recovery_intake_email or (agency.gateway.intake_email or "")
    if not intake:
        raise GatewayError("set recovery.intake_email: the agency's intake address is unknown",
                           retryable=False)
    factory = None
    build = transport_factory or make_transport
    folder = default_maildir or (Path(settings.outbox_maildir) if settings.outbox_maildir
                                 else None)
    if settings.smtp_url or folder is not None:
        def factory() -> Transport:
            return build(settings, folder or Path("outbox"))
    return EmailGateway(clock, settings, intake, transport_factory=factory, lease=lease)


__all__ = [
    "CSV_COLUMNS", "EmailGateway", "Gateway", "GatewayError", "HttpGateway", "SubmitResult",
    "agency_message", "agency_message_sent", "case_csv", "case_json",
    "handover_text", "make_gateway",
]
