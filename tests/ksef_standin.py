"""A local KSeF stand-in: a real HTTP server on 127.0.0.1 answering like KSeF API 2.0.

It implements, from the ministry's ``open-api.json`` (CIRFMF/ksef-docs; see
docs/ksef-sync.md), exactly what ksef-client calls to authenticate with a KSeF token and
download invoices incrementally — under ``/v2``, as the client's base URL expects:

* ``GET  /security/public-key-certificates`` — a self-signed certificate for a 2048-bit
  RSA key generated when the stand-in starts (usage KsefTokenEncryption and
  SymmetricKeyEncryption);
* ``POST /auth/challenge`` — ``{challenge, timestamp, timestampMs, clientIp}``;
* ``POST /auth/ksef-token`` — decrypts ``encryptedToken`` (RSA-OAEP SHA-256) with its key,
  checks ``token|timestampMs`` against the challenge (10 minutes), answers 202 with a
  reference number and an authentication token; the outcome shows in the status: 200, or
  450 (wrong, revoked token; wrong challenge time), or 415 (no permission in the context);
* ``GET  /auth/{referenceNumber}`` — the status (100 for ``pending_polls`` calls first);
* ``POST /auth/token/redeem`` — the access and refresh tokens, once (again: 400 21301);
* ``POST /auth/token/refresh`` — a new access token for a live refresh token (else 401);
* ``POST /invoices/query/metadata`` — ``subjectType`` (our invoices are ``Subject1``),
  ``dateRange`` by ``Issue`` / ``Invoicing`` / ``PermanentStorage`` (from ≤ date ≤ to,
  at most three months, ``to`` defaulting to now, ``restrictToPermanentStorageHwmDate``
  capping it at the HWM, 400 21183 when ``from`` is past the HWM), ``pageOffset`` a page
  *number*, ``pageSize`` 10–250, ``sortOrder`` Asc/Desc; ``hasMore``, ``isTruncated`` at
  ``result_limit`` records (10 000 as in KSeF), ``permanentStorageHwmDate``;
* ``GET  /invoices/ksef/{ksefNumber}`` — the XML with ``x-ms-meta-hash`` (400 21164 for
  an unknown number).

Every protected call wants ``Authorization: Bearer <accessToken>``: a missing, unknown or
expired one gets 401 (``UnauthorizedProblemDetails``), a token without ``InvoiceRead``
403 ``missing-permissions``. ``throttle(path, retry_after)`` makes the next call to that
endpoint answer 429 with ``Retry-After`` and blocks it, as KSeF does, until that many
seconds have passed on the stand-in's clock; ``advance(seconds)`` moves that clock (token
lifetimes, challenge age, blocks, "now"), so no test sleeps.

Invoices are built from the project's samples (tests/importers/data/ksef_fa2_sample.xml,
ksef_fa3_sample.xml) with their number, buyer, dates and amounts varied:
``add_invoices(n)``. KSeF numbers are well formed (NIP-date-hex-CRC-8).

Use::

    with KsefStandIn() as ksef:
        ksef.add_invoices(30)
        ...  # KsefClientOptions(base_url=ksef.url), token ksef.token, NIP ksef.nip
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from dateutil.relativedelta import relativedelta

from windykacja.ledger.clock import Clock

HOST = "127.0.0.1"
DATA = Path(__file__).parent / "importers" / "data"
SELLER_NIP = "5220715471"  # the samples' seller (Podmiot1)
SELLER_NAME = "Przykładowa Firma Usługowa Sp. z o.o."
KSEF_TOKEN = "20260301-EC-0123456789-ABCDEF0123-45|nip-5220715471|stand-in-secret"
WARSAW = ZoneInfo("Europe/Warsaw")
ACCESS_LIFETIME = timedelta(minutes=15)
REFRESH_LIFETIME = timedelta(days=7)
CHALLENGE_LIFETIME = timedelta(minutes=10)
RESULT_LIMIT = 10_000
PAGE_SIZES = range(10, 251)
SUBJECT_TYPES = ("Subject1", "Subject2", "Subject3", "SubjectAuthorized")
DATE_FIELDS = {"Issue": "issue", "Invoicing": "invoicing", "PermanentStorage": "stored"}
KSEF_NUMBER = re.compile(r"^[1-9]\d{9}-20\d{6}-[0-9A-F]{6}-?[0-9A-F]{6}-[0-9A-F]{2}$")


def crc8(data: bytes) -> int:
    """CRC-8 (polynomial 0x07), the check of a KSeF number's last two hex digits."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def ksef_number(nip: str, day: date, serial: int) -> str:
    body = f"{nip}-{day:%Y%m%d}-{serial:012X}"
    return f"{body}-{crc8(body.encode('ascii')):02X}"


def valid_nip(seed: int) -> str:
    """A checksum-valid, made-up NIP for buyer ``seed`` (never starting with 0)."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    candidate = 700_000_000 + seed * 7919
    while True:
        digits = [int(c) for c in f"{candidate % 1_000_000_000:09d}"]
        check = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        if digits[0] and check != 10:
            return "".join(map(str, digits)) + str(check)
        candidate += 1


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_stamp(text: str) -> datetime:
    """ISO 8601 with Z, with an offset, or without one (then Europe/Warsaw local time)."""
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    head, dot, rest = text.partition(".")
    if dot:  # KSeF writes up to 7 fractional digits; Python reads 6
        digits = re.match(r"\d*", rest).group(0)  # type: ignore[union-attr]
        text = f"{head}.{digits[:6]}{rest[len(digits):]}"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WARSAW)
    return moment.astimezone(UTC)


def jwt_like(claims: dict[str, Any]) -> str:
    """An opaque token shaped as a JWT (the client never checks the signature)."""
    def part(value: dict[str, Any]) -> str:
        raw = json.dumps(value, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{secrets.token_urlsafe(24)}"


def reference(kind: str, moment: datetime) -> str:
    """A 36-character reference number, e.g. ``20250514-AU-2DFC46C000-3AC6D5877F-D4``."""
    hexes = secrets.token_hex(11).upper()
    return f"{moment:%Y%m%d}-{kind}-{hexes[:10]}-{hexes[10:20]}-{hexes[20:22]}"


def money(value: Decimal) -> str:
    return f"{value:.2f}"


@dataclass
class StoredInvoice:
    ksef_number: str
    number: str
    form: str  # "FA2" or "FA3"
    issue: datetime  # date of issue, midnight Warsaw
    invoicing: datetime
    stored: datetime  # permanentStorageDate
    buyer_nip: str
    buyer_name: str
    net: Decimal
    vat: Decimal
    gross: Decimal
    xml: bytes
    kind: str = "Vat"  # the metadata's invoiceType

    def metadata(self) -> dict[str, Any]:
        system_code = "FA (2)" if self.form == "FA2" else "FA (3)"
        return {
            "ksefNumber": self.ksef_number,
            "invoiceNumber": self.number,
            "issueDate": self.issue.astimezone(WARSAW).date().isoformat(),
            "invoicingDate": stamp(self.invoicing),
            "acquisitionDate": stamp(self.invoicing + timedelta(seconds=2)),
            "permanentStorageDate": stamp(self.stored),
            "seller": {"nip": SELLER_NIP, "name": SELLER_NAME},
            "buyer": {"identifier": {"type": "Nip", "value": self.buyer_nip},
                      "name": self.buyer_name},
            # KSeF sends amounts as JSON numbers (doubles), as here.
            "netAmount": float(self.net),
            "grossAmount": float(self.gross),
            "vatAmount": float(self.vat),
            "currency": "PLN",
            "invoicingMode": "Online",
            "invoiceType": self.kind,
            "formCode": {"systemCode": system_code, "schemaVersion": "1-0E", "value": "FA"},
            "isSelfInvoicing": False,
            "hasAttachment": False,
            "invoiceHash": base64.b64encode(hashlib.sha256(self.xml).digest()).decode(),
        }


@dataclass
class Authentication:
    reference_number: str
    token: str  # the authenticationToken
    valid_until: datetime
    outcome: tuple[int, str, list[str]]
    polls_left: int
    redeemed: bool = False


@dataclass
class Grant:
    expires: datetime
    permissions: frozenset[str]


@dataclass
class Block:
    seconds: int
    until: datetime | None = None  # set by the first refused call


@dataclass
class Request:
    method: str
    path: str
    body: Any = None


@dataclass
class KsefStandIn:
    """The stand-in's state; change it freely between requests (the server locks it)."""

    nip: str = SELLER_NIP
    token: str = KSEF_TOKEN
    permissions: set[str] = field(default_factory=lambda: {"InvoiceRead"})
    token_revoked: bool = False
    pending_polls: int = 0  # status answers 100 this many times before the outcome
    result_limit: int = RESULT_LIMIT
    hwm: datetime | None = None  # None: everything stored so far is complete
    invoices: list[StoredInvoice] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.shift = timedelta()
        self.lock = threading.RLock()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.certificate_der = self._certificate()
        self.public_key_id = base64.b64encode(
            hashlib.sha256(self.certificate_der).digest()).decode()
        self.challenges: dict[str, datetime] = {}
        self.authentications: dict[str, Authentication] = {}
        self.access: dict[str, Grant] = {}
        self.refresh: dict[str, Grant] = {}
        self.blocks: dict[str, Block] = {}
        self.by_number: dict[str, StoredInvoice] = {}
        self.serial = 0
        self.templates = {form: (DATA / f"ksef_{form.lower()}_sample.xml").read_text("utf-8")
                          for form in ("FA2", "FA3")}
        self.server = ThreadingHTTPServer((HOST, 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://{HOST}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ----- the test's levers -------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift

    def advance(self, seconds: float) -> None:
        """Move the stand-in's clock forward (token lifetimes, blocks, "now")."""
        with self.lock:
            self.shift += timedelta(seconds=seconds)

    def throttle(self, path: str, retry_after: int = 30) -> None:
        """The next call to the endpoint whose path starts with ``path`` (e.g.
        ``/invoices/ksef/``) gets 429; the endpoint stays blocked for ``retry_after``
        seconds of the stand-in's clock from that call, every call meanwhile getting 429
        as well, with the seconds left in ``Retry-After``."""
        with self.lock:
            self.blocks[path] = Block(retry_after)

    def add_invoices(self, count: int, *, form: str = "FA3", buyers: int = 20,
                     stored_from: datetime | None = None,
                     every: timedelta = timedelta(minutes=1)) -> list[StoredInvoice]:
        """``count`` invoices stored one ``every`` apart, the last one a moment ago
        unless ``stored_from`` says when the first is. ``form`` is "FA3", "FA2" or
        "mixed"; buyers cycle through ``buyers`` made-up companies."""
        with self.lock:
            first = stored_from or self.now() - every * count
            added = [self._invoice(first + every * i, form, buyers) for i in range(count)]
            self.invoices.extend(added)
            self.invoices.sort(key=lambda invoice: (invoice.stored, invoice.ksef_number))
            return added

    def add_xml(self, xml: bytes, number: str, gross: Decimal, *, kind: str = "Kor",
                stored: datetime | None = None) -> StoredInvoice:
        """One document given whole (e.g. a correcting invoice built from a sample),
        listed with ``invoiceType`` ``kind``, stored at ``stored`` (a moment ago)."""
        with self.lock:
            self.serial += 1
            moment = stored or self.now() - timedelta(seconds=5)
            day = moment.astimezone(WARSAW).date()
            invoice = StoredInvoice(
                ksef_number=ksef_number(self.nip, day, self.serial), number=number,
                form="FA3", issue=datetime.combine(day, datetime.min.time(), WARSAW),
                invoicing=moment - timedelta(seconds=5), stored=moment, buyer_nip="",
                buyer_name="", net=gross, vat=Decimal("0.00"), gross=gross, xml=xml,
                kind=kind)
            self.by_number[invoice.ksef_number] = invoice
            self.invoices.append(invoice)
            self.invoices.sort(key=lambda item: (item.stored, item.ksef_number))
            return invoice

    # ----- invoices ----------------------------------------------------------------------

    def _invoice(self, stored: datetime, form: str, buyers: int) -> StoredInvoice:
        self.serial += 1
        serial = self.serial
        if form == "mixed":
            form = "FA2" if serial % 2 else "FA3"
        buyer = serial % buyers
        buyer_nip, buyer_name = valid_nip(buyer), f"Kontrahent {buyer:03d} Sp. z o.o."
        issue_day = (stored - timedelta(days=serial % 3)).astimezone(WARSAW).date()
        net = Decimal(100 + (serial * 37) % 9900) + Decimal(serial % 100) / 100
        vat = (net * Decimal("0.23")).quantize(Decimal("0.01"))
        gross = net + vat
        number = f"FV/{issue_day:%Y/%m}/{serial:05d}"
        xml = self._xml(form, number, issue_day, buyer, buyer_nip, buyer_name, net, vat, gross)
        invoice = StoredInvoice(
            ksef_number=ksef_number(self.nip, issue_day, serial), number=number, form=form,
            issue=datetime.combine(issue_day, datetime.min.time(), WARSAW).astimezone(UTC),
            invoicing=stored - timedelta(seconds=5), stored=stored,
            buyer_nip=buyer_nip, buyer_name=buyer_name, net=net, vat=vat, gross=gross,
            xml=xml)
        self.by_number[invoice.ksef_number] = invoice
        return invoice

    def _xml(self, form: str, number: str, issue_day: date, buyer: int, buyer_nip: str,
             buyer_name: str, net: Decimal, vat: Decimal, gross: Decimal) -> bytes:
        text = self.templates[form]
        text = re.sub(r"<!--.*?-->\s*", "", text, flags=re.S)
        for old, new in (("FV/2026/02/017", number), ("FV/2025/06/101", number),
                         ("7722744156", buyer_nip), ("Hurtownia Zielona Sp. z o.o.", buyer_name),
                         ("KL-0042", f"KL-{buyer:04d}"),
                         ("ksiegowosc@przyklad-nabywca.invalid",
                          # example.com (RFC 2606): an address the importer keeps, so
                          # that reminders and demands go out in simulations.
                          f"ksiegowosc@kontrahent-{buyer:03d}.example.com")):
            text = text.replace(old, new)
        due = issue_day + timedelta(days=14)
        for tag, value in (("P_1", issue_day.isoformat()), ("P_6", issue_day.isoformat()),
                           ("DataZaplaty", issue_day.isoformat()), ("Termin", due.isoformat()),
                           ("DataWytworzeniaFa", f"{issue_day.isoformat()}T09:00:00Z"),
                           ("P_13_1", money(net)), ("P_9A", money(net)), ("P_11", money(net)),
                           ("P_14_1", money(vat)), ("P_15", money(gross))):
            text = re.sub(rf"<{tag}>[^<]*</{tag}>", f"<{tag}>{value}</{tag}>", text)
        return text.encode("utf-8")

    def _certificate(self) -> bytes:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "KSeF stand-in")])
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .sign(self.key, hashes.SHA256())
        )
        return certificate.public_bytes(serialization.Encoding.DER)

    # ----- the server --------------------------------------------------------------------

    def __enter__(self) -> KsefStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without this, a keep-alive client
            # waits for the delayed ACK (40 ms) on every response.
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:  # keep the test output clean
                pass

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                path = self.path.split("?", 1)[0]
                query = dict(pair.split("=", 1) for pair in self.path.partition("?")[2]
                             .split("&") if "=" in pair)
                bearer = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
                with standin.lock:
                    answer = standin.answer(method, path, query, body, bearer)
                code, headers, payload = answer
                self.send_response(code)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    # ----- the API -----------------------------------------------------------------------

    def answer(self, method: str, path: str, query: dict[str, str], body: Any,
               bearer: str) -> tuple[int, dict[str, str], bytes]:
        if not path.startswith("/v2/"):
            return self._problem(404, "Not Found", "unknown path")
        path = path[3:]
        self.requests.append(Request(method, path, body))
        blocked = self._blocked(path)
        if blocked:
            return blocked
        routes: list[tuple[str, str, Any]] = [
            ("GET", r"/security/public-key-certificates", self._certificates),
            ("POST", r"/auth/challenge", self._challenge),
            ("POST", r"/auth/ksef-token", self._ksef_token),
            ("POST", r"/auth/token/redeem", self._redeem),
            ("POST", r"/auth/token/refresh", self._refresh),
            ("GET", r"/auth/(?P<ref>[^/]+)", self._status),
            ("POST", r"/invoices/query/metadata", self._metadata),
            ("GET", r"/invoices/ksef/(?P<number>[^/]+)", self._download),
        ]
        for verb, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return handler(query=query, body=body, bearer=bearer, **match.groupdict())
        return self._problem(404, "Not Found", f"{method} {path} is not served here")

    def _blocked(self, path: str) -> tuple[int, dict[str, str], bytes] | None:
        for prefix, block in self.blocks.items():
            if not path.startswith(prefix):
                continue
            if block.until is None:
                block.until = self.now() + timedelta(seconds=block.seconds)
            left = (block.until - self.now()).total_seconds()
            if left <= 0:
                del self.blocks[prefix]
                return None
            seconds = math.ceil(left)
            return self._json(429, {"status": {
                "code": 429, "description": "Too Many Requests",
                "details": [f"Przekroczono limit żądań. Spróbuj ponownie po {seconds} "
                            "sekundach."]}}, {"Retry-After": str(seconds)})
        return None

    def _certificates(self, **_: Any) -> tuple[int, dict[str, str], bytes]:
        now = datetime.now(UTC)
        return self._json(200, [{
            "certificate": base64.b64encode(self.certificate_der).decode(),
            "certificateId": self.public_key_id,
            "publicKeyId": self.public_key_id,
            "validFrom": stamp(now - timedelta(days=1)),
            "validTo": stamp(now + timedelta(days=3650)),
            "usage": ["KsefTokenEncryption", "SymmetricKeyEncryption"],
        }])

    def _challenge(self, **_: Any) -> tuple[int, dict[str, str], bytes]:
        now = self.now()
        challenge = reference("CR", now)
        self.challenges[challenge] = now
        return self._json(200, {"challenge": challenge, "timestamp": stamp(now),
                                "timestampMs": int(now.timestamp() * 1000),
                                "clientIp": HOST})

    def _ksef_token(self, body: Any, **_: Any) -> tuple[int, dict[str, str], bytes]:
        if not isinstance(body, dict) or not {"challenge", "contextIdentifier",
                                              "encryptedToken"} <= body.keys():
            return self._exception(400, 21405, "Błąd walidacji danych wejściowych.",
                                   "challenge, contextIdentifier, encryptedToken are required")
        issued = self.challenges.pop(body["challenge"], None)
        if issued is None or self.now() - issued > CHALLENGE_LIFETIME:
            return self._exception(400, 21111, "Nieprawidłowe wyzwanie autoryzacyjne.")
        key_id = body.get("publicKeyId")
        if key_id is not None and key_id != self.public_key_id:
            return self._exception(400, 21470, "Przesłany identyfikator klucza jest nieznany "
                                   "lub wskazuje na wycofany klucz.")
        outcome = self._token_outcome(body, issued)
        now = self.now()
        authentication = Authentication(
            reference_number=reference("AU", now),
            token=jwt_like({"token-type": "OperationToken",
                            "exp": int((now + timedelta(hours=1)).timestamp())}),
            valid_until=now + timedelta(hours=1), outcome=outcome,
            polls_left=self.pending_polls)
        self.authentications[authentication.token] = authentication
        return self._json(202, {"referenceNumber": authentication.reference_number,
                                "authenticationToken": {
                                    "token": authentication.token,
                                    "validUntil": stamp(authentication.valid_until)}})

    def _token_outcome(self, body: dict[str, Any],
                       issued: datetime) -> tuple[int, str, list[str]]:
        failed = "Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu"
        try:
            plain = self.key.decrypt(
                base64.b64decode(body["encryptedToken"]),
                padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(),
                             label=None)).decode("utf-8")
        except (ValueError, TypeError):
            return 450, failed, ["Nieprawidłowy token"]
        token, _, millis = plain.rpartition("|")
        if token != self.token:
            return 450, failed, ["Nieprawidłowy token"]
        if millis != str(int(issued.timestamp() * 1000)):
            return 450, failed, ["Nieprawidłowy czas tokena"]
        if self.token_revoked:
            return 450, failed, ["Token unieważniony"]
        context = body["contextIdentifier"]
        if not self.permissions or context.get("type") != "Nip" \
                or context.get("value") != self.nip:
            return 415, "Uwierzytelnianie zakończone niepowodzeniem", \
                ["Brak przypisanych uprawnień"]
        return 200, "Uwierzytelnianie zakończone sukcesem", []

    def _authentication(self, bearer: str) -> Authentication | None:
        found = self.authentications.get(bearer)
        return found if found and found.valid_until > self.now() else None

    def _status(self, ref: str, bearer: str, **_: Any) -> tuple[int, dict[str, str], bytes]:
        authentication = self._authentication(bearer)
        if authentication is None:
            return self._unauthorized()
        if authentication.reference_number != ref:
            return self._exception(400, 21304, "Brak uwierzytelnienia.",
                                   f"Operacja uwierzytelniania o numerze referencyjnym {ref} "
                                   "nie została znaleziona.")
        if authentication.polls_left > 0:
            authentication.polls_left -= 1
            code, description, details = 100, "Uwierzytelnianie w toku", []
        else:
            code, description, details = authentication.outcome
        status: dict[str, Any] = {"code": code, "description": description}
        if details:
            status["details"] = details
        return self._json(200, {
            "startDate": stamp(self.now()), "authenticationMethod": "Token",
            "authenticationMethodInfo": {"category": "Token", "code": "token.ksef",
                                         "displayName": "Token KSeF"},
            "status": status})

    def _redeem(self, bearer: str, **_: Any) -> tuple[int, dict[str, str], bytes]:
        authentication = self._authentication(bearer)
        if authentication is None:
            return self._unauthorized()
        ref = authentication.reference_number
        if authentication.redeemed:
            return self._exception(400, 21301, "Brak autoryzacji.",
                                   f"Tokeny dla operacji uwierzytelniania {ref} zostały już "
                                   "pobrane.")
        if authentication.outcome[0] != 200 or authentication.polls_left > 0:
            return self._exception(400, 21301, "Brak autoryzacji.",
                                   "Status uwierzytelniania nie pozwala na pobranie tokenów.")
        authentication.redeemed = True
        access, access_until = self._grant(self.access, ACCESS_LIFETIME)
        refresh, refresh_until = self._grant(self.refresh, REFRESH_LIFETIME)
        return self._json(200, {"accessToken": {"token": access, "validUntil": access_until},
                                "refreshToken": {"token": refresh,
                                                 "validUntil": refresh_until}})

    def _refresh(self, bearer: str, **_: Any) -> tuple[int, dict[str, str], bytes]:
        grant = self.refresh.get(bearer)
        if grant is None or grant.expires <= self.now():
            return self._unauthorized()
        if self.token_revoked:
            return self._exception(400, 21301, "Brak autoryzacji.",
                                   "Token KSeF został unieważniony.")
        access, access_until = self._grant(self.access, ACCESS_LIFETIME)
        return self._json(200, {"accessToken": {"token": access, "validUntil": access_until}})

    def _grant(self, table: dict[str, Grant], lifetime: timedelta) -> tuple[str, str]:
        expires = self.now() + lifetime
        token = jwt_like({"token-type": "ContextToken", "context-identifier-type": "Nip",
                          "context-identifier-value": self.nip,
                          "exp": int(expires.timestamp())})
        table[token] = Grant(expires, frozenset(self.permissions))
        return token, stamp(expires)

    def _reader(self, bearer: str) -> tuple[int, dict[str, str], bytes] | None:
        """None when ``bearer`` is a live access token with InvoiceRead, else the refusal."""
        grant = self.access.get(bearer)
        if grant is None or grant.expires <= self.now():
            return self._unauthorized()
        if "InvoiceRead" not in grant.permissions:
            return self._json(403, {
                "title": "Forbidden", "status": 403,
                "detail": "Brak wymaganych uprawnień do wykonania operacji w bieżącym "
                          "kontekście.",
                "reasonCode": "missing-permissions",
                "security": {"requiredAnyOfPermissions": ["InvoiceRead"],
                             "presentPermissions": sorted(grant.permissions)},
                "traceId": secrets.token_hex(16), "timestamp": stamp(self.now())},
                content_type="application/problem+json")
        return None

    def _metadata(self, query: dict[str, str], body: Any,
                  bearer: str, **_: Any) -> tuple[int, dict[str, str], bytes]:
        refused = self._reader(bearer)
        if refused:
            return refused
        try:
            offset = int(query.get("pageOffset", "0"))
            size = int(query.get("pageSize", "10"))
        except ValueError:
            return self._invalid("pageOffset and pageSize are integers")
        order = query.get("sortOrder", "Asc")
        if offset < 0 or size not in PAGE_SIZES or order not in ("Asc", "Desc"):
            return self._invalid("pageOffset ≥ 0, pageSize 10–250, sortOrder Asc or Desc")
        if not isinstance(body, dict) or body.get("subjectType") not in SUBJECT_TYPES \
                or not isinstance(body.get("dateRange"), dict):
            return self._invalid("subjectType and dateRange are required")
        window = self._window(body["dateRange"])
        if not isinstance(window, tuple) or len(window) != 4:
            return window  # type: ignore[return-value]
        date_field, start, end, hwm = window
        found = [invoice for invoice in self.invoices
                 if body["subjectType"] == "Subject1"
                 and start <= getattr(invoice, date_field) <= end]
        found.sort(key=lambda invoice: (getattr(invoice, date_field), invoice.ksef_number),
                   reverse=order == "Desc")
        records = found[:self.result_limit]
        page = records[offset * size:(offset + 1) * size]
        reached = (offset + 1) * size >= len(records)
        return self._json(200, {
            "hasMore": (offset + 1) * size < len(found),
            "isTruncated": len(found) > self.result_limit and reached,
            "permanentStorageHwmDate": stamp(hwm) if hwm else None,
            "invoices": [invoice.metadata() for invoice in page],
        })

    def _window(self, date_range: dict[str, Any]) -> Any:
        date_field = DATE_FIELDS.get(date_range.get("dateType", ""))
        if date_field is None or not isinstance(date_range.get("from"), str):
            return self._invalid("dateRange.dateType and dateRange.from are required")
        try:
            start = parse_stamp(date_range["from"])
            end = parse_stamp(date_range["to"]) if date_range.get("to") else self.now()
        except ValueError:
            return self._invalid("dates are ISO 8601")
        if end < start or start + relativedelta(months=3) < end:
            return self._invalid("Maksymalny dozwolony okres wynosi 3 miesiące.")
        hwm = None
        if date_field == "stored":
            complete = self.hwm or self.now()
            if date_range.get("restrictToPermanentStorageHwmDate"):
                if start > complete:
                    return self._exception(
                        400, 21183, "Zakres filtrowania wykracza poza dostępny zakres danych.",
                        "Parametr dateRange.from jest późniejszy niż PermanentStorageHwmDate "
                        "przy włączonym restrictToPermanentStorageHwmDate.")
                end = min(end, complete)
            hwm = min(end, complete)
        return date_field, start, end, hwm

    def _download(self, number: str, bearer: str,
                  **_: Any) -> tuple[int, dict[str, str], bytes]:
        refused = self._reader(bearer)
        if refused:
            return refused
        if not KSEF_NUMBER.match(number):
            return self._invalid(f"'{number}' is not a KSeF number")
        invoice = self.by_number.get(number)
        if invoice is None:
            return self._exception(400, 21164, "Faktura o podanym identyfikatorze nie istnieje.",
                                   f"Faktura o numerze KSeF {number} nie została znaleziona.")
        digest = base64.b64encode(hashlib.sha256(invoice.xml).digest()).decode()
        return 200, {"Content-Type": "application/xml", "x-ms-meta-hash": digest}, invoice.xml

    # ----- answers -----------------------------------------------------------------------

    def _json(self, code: int, value: Any, headers: dict[str, str] | None = None,
              content_type: str = "application/json") -> tuple[int, dict[str, str], bytes]:
        return code, {"Content-Type": content_type, **(headers or {})}, \
            json.dumps(value, ensure_ascii=False).encode("utf-8")

    def _problem(self, code: int, title: str, detail: str) -> tuple[int, dict[str, str], bytes]:
        return self._json(code, {"title": title, "status": code, "detail": detail,
                                 "traceId": secrets.token_hex(16),
                                 "timestamp": stamp(self.now())},
                          content_type="application/problem+json")

    def _unauthorized(self) -> tuple[int, dict[str, str], bytes]:
        return self._problem(401, "Unauthorized", "Wymagane jest uwierzytelnienie.")

    def _exception(self, code: int, exception_code: int, description: str,
                   detail: str | None = None) -> tuple[int, dict[str, str], bytes]:
        return self._json(code, {"exception": {
            "exceptionDetailList": [{"exceptionCode": exception_code,
                                     "exceptionDescription": description,
                                     "details": [detail] if detail else []}],
            "referenceNumber": None, "serviceCode": secrets.token_hex(16),
            "serviceCtx": "srvSTANDIN", "serviceName": "Undefined",
            "timestamp": stamp(self.now())}})

    def _invalid(self, detail: str) -> tuple[int, dict[str, str], bytes]:
        return self._exception(400, 21405, "Błąd walidacji danych wejściowych.", detail)


class StandInClock(Clock):
    """Our clock on the stand-in's time, so that "now" agrees on both sides (the sync
    compares the two when it decides where a query window ends)."""

    def __init__(self, standin: KsefStandIn) -> None:
        self.standin = standin
        self.timezone = WARSAW

    def now(self) -> datetime:
        return self.standin.now()
