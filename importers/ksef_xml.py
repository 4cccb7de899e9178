"""Reading one KSeF structured e-invoice (FA(2) or FA(3) XML) into plain values.

No database and no clock here: ``read_invoice`` turns a file into an ``Invoice`` or
raises ``InvoiceRefused`` listing every problem found, each with the line of the element
it concerns. ``importers/ksef.py`` stores what this module reads.

Decisions, written down:

* **The schema is decided by the root element's namespace URI**, not by the header's
  ``kodSystemowy``: public examples put the FA(2) namespace in an FA(3) header. Any other
  namespace is refused with the namespace found.
* **defusedxml** parses the file: an e-invoice never declares a DTD or entities, so a file
  that does is refused before anything is expanded (a "billion laughs" file cannot fill
  the memory), and a file over ``MAX_BYTES`` is refused before it is read.
* ``Podmiot1`` is the seller (us), ``Podmiot2`` the buyer (the debtor). A buyer with a NIP
  or an EU VAT number (``NrVatUE``) is a ``business``; one with ``BrakID`` or only a
  foreign ``NrID`` is a ``private`` person. When the file cannot tell, the private
  regime is the one that never claims more than the law allows (lower interest, no
  compensation); the kind can be changed in the contractor editor.
* **Due date.** ``Fa/Platnosc/TerminPlatnosci/Termin``. Several terms are instalments:
  the document takes the **last** date, so nobody is chased early for the whole amount,
  and a warning says so. A term given only as ``TerminOpis`` (FA(3): so many days from an
  event), or no term at all, leaves the due date unknown: the invoice is refused, never
  guessed. The one exception is an invoice the file itself says is paid in full
  (``Zaplacono`` or part payments adding up to the gross): there is nothing to collect,
  so its due date is its issue date.
* **Kinds.** ``VAT``, ``UPR`` (simplified), ``ZAL`` (advance) and ``ROZ`` (final) are
  documents of ``P_15`` (for ROZ that is what is still due). ``KOR``, ``KOR_ZAL`` and
  ``KOR_ROZ`` are corrections: ``P_15`` is the difference, applied to the one invoice
  named in ``DaneFaKorygowanej``; a correction of several invoices at once is refused
  (its difference cannot be split without guessing).
* The buyer's e-mail addresses (``DaneKontaktowe/Email``, up to three) are validated;
  an invalid one is left out with a warning rather than refusing the invoice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..i18n import t, tn
from ..ledger.names import day_text, number_text, os_reason
from ..ledger.settings_problems import describe_problem
from ..ledger.validation import (
    check_amount,
    check_currency,
    check_day,
    fold_line,
    normalise_nip,
    normalise_vat_eu,
    single_line,
    validate_email,
)
from ..models.money import format_amount

FA2_NAMESPACE = "http://crd.gov.pl/wzor/2023/06/29/12648/"
FA3_NAMESPACE = "http://crd.gov.pl/wzor/2025/06/25/13775/"
SCHEMAS = {FA2_NAMESPACE: "FA(2)", FA3_NAMESPACE: "FA(3)"}
# KSeF itself refuses invoices of a few MB; anything this big is not an e-invoice.
MAX_BYTES = 10 * 1024 * 1024

INVOICE_KINDS = ("VAT", "UPR", "ZAL", "ROZ")
CORRECTION_KINDS = ("KOR", "KOR_ZAL", "KOR_ROZ")
# Document.number and Contractor.name are VARCHAR(255) on PostgreSQL.
MAX_TEXT = 255

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AMOUNT = re.compile(r"^-?([1-9]\d{0,15}|0)(\.\d{1,2})?$")  # TKwotowy of the XSD
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Problem:
    """Why a file (or part of it) cannot be imported; ``line`` as an editor numbers it,
    ``None`` when the problem is the whole file (it cannot be read at all)."""

    line: int | None
    message: str
    element: str = ""  # the path under Faktura/, e.g. Fa/P_1

    def __str__(self) -> str:
        where = "" if self.line is None else t("line {line}", line=self.line)
        if self.element:
            where = f"{where} ({self.element})" if where else self.element
        return f"{where}: {self.message}" if where else self.message


class InvoiceRefused(Exception):
    """A file that is not imported; ``problems`` says why, each with its line."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Buyer:
    name: str
    nip: str | None
    kind: str  # business | private (models.contractor.KINDS)
    customer_number: str  # NrKlienta: the seller's own code for the buyer, often empty
    address: str
    emails: tuple[str, ...]
    phone: str
    language: str  # pl, or en for a buyer abroad
    vat_eu: str = ""  # KodUE + NrVatUE: a company in another EU state (no NIP)


@dataclass(frozen=True)
class PaidPart:
    paid_on: dt.date
    amount: Decimal


@dataclass(frozen=True)
class Invoice:
    schema: str  # FA(2) | FA(3)
    kind: str  # RodzajFaktury
    number: str
    issue_date: dt.date
    currency: str
    gross: Decimal  # for a correction: the difference
    seller_nip: str  # normalised when valid, else as written
    due_date: dt.date | None = None  # None only for a correction
    bank_account: str = ""
    buyer: Buyer | None = None  # None for a correction (it creates no contractor)
    payments: tuple[PaidPart, ...] = ()
    payment_method: str = "transfer"  # PAYMENT_METHODS: cash for FormaPlatnosci 1
    corrected_number: str = ""
    warnings: tuple[str, ...] = ()
    # Lines of the elements a later check may refuse on (element path → line).
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def is_correction(self) -> bool:
        return self.kind in CORRECTION_KINDS

    def line(self, element: str) -> int | None:
        return self.lines.get(element)


# --- parsing XML with the line of every element -------------------------------------------


class _LineBuilder(TreeBuilder):
    """Builds the tree and notes the line each element starts on (ElementTree does not)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        assert self.parser is not None  # set by _parse before the parser reads anything
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def _parse(data: bytes) -> tuple[Element, dict[int, int]]:
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ParseError as exc:
        line, _column = exc.position
        message = str(exc).rsplit(": line", 1)[0]
        problem = Problem(line, t("the file is not well-formed XML ({reason})", reason=message))
        raise InvoiceRefused([problem]) from None
    except DefusedXmlException:
        raise InvoiceRefused([Problem(
            parser.parser.CurrentLineNumber,
            t("the file declares a DTD or entities, which an e-invoice never does "
              "(refused unread: such a file can expand to fill the memory)"),
        )]) from None
    return root, builder.lines


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


# --- reading values ---------------------------------------------------------------------


class _Reader:
    """Finds elements by paths under ``Faktura/`` and collects problems with their lines."""

    def __init__(self, root: Element, namespace: str, lines: dict[int, int]) -> None:
        self.root = root
        self.namespace = namespace
        self._lines = lines
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.seen: dict[str, int] = {}

    def _qualified(self, path: str) -> str:
        return "/".join(f"{{{self.namespace}}}{part}" for part in path.split("/"))

    def line(self, element: Element | None) -> int:
        return self._lines.get(id(element), self._lines[id(self.root)])

    def find(self, path: str, under: Element | None = None) -> Element | None:
        return (self.root if under is None else under).find(self._qualified(path))

    def findall(self, path: str, under: Element | None = None) -> list[Element]:
        return (self.root if under is None else under).findall(self._qualified(path))

    def nearest_line(self, path: str, under: Element | None = None) -> int:
        """The line of the element, else of its deepest ancestor that exists."""
        element, parts = (self.root if under is None else under), path.split("/")
        for part in parts:
            child = self.find(part, element)
            if child is None:
                break
            element = child
        return self.line(element)

    def problem(self, path: str, message: str, under: Element | None = None) -> None:
        self.problems.append(Problem(self.nearest_line(path, under), message, path))

    def text(self, path: str, under: Element | None = None, required: bool = False) -> str:
        element = self.find(path, under)
        value = (element.text or "").strip() if element is not None else ""
        if element is not None and under is None:
            self.seen[path] = self.line(element)
        if required and not value:
            self.problem(path, t("the element is missing") if element is None
                         else t("the element is empty"), under)
        return value

    def date(self, path: str, under: Element | None = None, required: bool = True):
        text = self.text(path, under, required)
        if not text:
            return None
        day = None
        try:
            if _DATE.match(text):
                day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        if day is None:
            self.problem(path, t("'{value}' is not a date (YYYY-MM-DD)", value=text), under)
            return None
        try:
            return check_day(day)
        except ValueError as exc:  # outside the dates accepted
            self.problem(path, str(exc), under)
            return None

    def identifier(self, path: str, under: Element | None = None,
                   required: bool = False) -> str:
        """An element's text that names something (a number, a code): refused with its
        line when it holds a line break or another control character."""
        text = self.text(path, under, required)
        try:
            return single_line(text)
        except ValueError as exc:
            self.problem(path, str(exc), under)
            return ""

    def amount(self, path: str, under: Element | None = None) -> Decimal | None:
        text = self.text(path, under, required=True)
        if not text:
            return None
        if not _AMOUNT.match(text):
            self.problem(path, t("'{value}' is not an amount (e.g. 1234.56)", value=text), under)
            return None
        try:
            return check_amount(Decimal(text).quantize(Decimal("0.01")))
        except ValueError as exc:
            self.problem(path, str(exc), under)
            return None


# --- the invoice ------------------------------------------------------------------------


def read_invoice(path: str | Path) -> Invoice:
    """The invoice in the file at ``path``; raises ``InvoiceRefused`` with every problem."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvoiceRefused([Problem(
                None, t("the file has {size} bytes; an e-invoice is far smaller (at most "
                        "{limit} are read)", size=number_text(size),
                        limit=number_text(MAX_BYTES))
            )])
        data = path.read_bytes()
    except OSError as exc:
        problem = Problem(None, t("the file cannot be read: {reason}", reason=os_reason(exc)))
        raise InvoiceRefused([problem]) from None
    return parse_invoice(data)


def parse_invoice(data: bytes) -> Invoice:
    """The invoice in ``data`` (a file's content, or what KSeF sent); raises
    ``InvoiceRefused`` with every problem."""
    if len(data) > MAX_BYTES:
        raise InvoiceRefused([Problem(
            None, t("the file has {size} bytes; an e-invoice is far smaller (at most "
                    "{limit} are read)", size=number_text(len(data)),
                    limit=number_text(MAX_BYTES))
        )])
    root, lines = _parse(data)
    namespace, local = _split(root.tag)
    if namespace not in SCHEMAS:
        found = t("namespace '{namespace}'", namespace=namespace) if namespace \
            else t("no namespace")
        raise InvoiceRefused([Problem(
            lines[id(root)],
            t("{found} is neither KSeF FA(2) ({fa2}) nor FA(3) ({fa3})", found=found,
              fa2=FA2_NAMESPACE, fa3=FA3_NAMESPACE),
        )])
    if local != "Faktura":
        raise InvoiceRefused([Problem(
            lines[id(root)], t("the root element is {element}, not Faktura", element=local)
        )])
    return _InvoiceReader(_Reader(root, namespace, lines), SCHEMAS[namespace]).read()


class _InvoiceReader:
    def __init__(self, reader: _Reader, schema: str) -> None:
        self.r = reader
        self.schema = schema

    def read(self) -> Invoice:
        r = self.r
        kind = r.text("Fa/RodzajFaktury", required=True)
        if kind and kind not in INVOICE_KINDS + CORRECTION_KINDS:
            r.problem("Fa/RodzajFaktury", t("'{value}' is not a kind of invoice ({kinds})",
                                            value=kind,
                                            kinds=", ".join(INVOICE_KINDS + CORRECTION_KINDS)))
        number = r.identifier("Fa/P_2", required=True)
        if len(number) > MAX_TEXT:
            r.problem("Fa/P_2", t("the number is longer than {limit} characters", limit=MAX_TEXT))
        issue_date = r.date("Fa/P_1")
        currency = r.text("Fa/KodWaluty", required=True)
        if currency and not _CURRENCY.match(currency):
            r.problem("Fa/KodWaluty", t("'{value}' is not a currency code (e.g. PLN)",
                                          value=currency))
        elif currency:
            try:
                check_currency(currency)
            except ValueError as exc:
                r.problem("Fa/KodWaluty", str(exc))
        gross = r.amount("Fa/P_15")
        seller_nip = self._seller_nip()
        correction = kind in CORRECTION_KINDS
        values: dict = {}
        if correction:
            values["corrected_number"] = self._corrected_number()
        else:
            if gross is not None and gross <= 0:
                r.problem("Fa/P_15", t("the gross amount {amount} must be more than zero",
                                         amount=format_amount(gross, currency)))
            values["buyer"] = _BuyerReader(r).read()
            values.update(self._payment(issue_date, gross, currency))
        if r.problems or gross is None:  # a missing or bad amount is among the problems
            raise InvoiceRefused(r.problems)
        return Invoice(
            schema=self.schema, kind=kind, number=number, issue_date=issue_date,
            currency=currency, gross=gross, seller_nip=seller_nip,
            warnings=tuple(r.warnings), lines=dict(r.seen), **values,
        )

    def _seller_nip(self) -> str:
        text = self.r.text("Podmiot1/DaneIdentyfikacyjne/NIP", required=True)
        try:
            return normalise_nip(text) if text else ""
        except ValueError:
            return text  # compared with the company's NIP later, never stored

    def _corrected_number(self) -> str:
        r = self.r
        corrected = r.findall("Fa/DaneFaKorygowanej")
        if len(corrected) > 1:
            r.problem("Fa/DaneFaKorygowanej",
                      t("the correction corrects {count} invoices at once; its difference "
                        "cannot be split between them: correct them by hand",
                        count=len(corrected)))
            return ""
        return r.identifier("Fa/DaneFaKorygowanej/NrFaKorygowanej", required=True)

    def _payment(self, issue_date, gross, currency) -> dict:
        """Due date, bank account and payments stated in ``Fa/Platnosc``."""
        r = self.r
        platnosc = r.find("Fa/Platnosc")
        payments = self._payments(platnosc, gross)
        paid = sum((p.amount for p in payments), Decimal("0.00"))
        if gross is not None and gross > 0 and paid > gross:
            r.problem("Fa/Platnosc", t("the payments ({paid}) are more than the gross "
                                       "({gross})", paid=format_amount(paid, currency),
                                       gross=format_amount(gross, currency)))
        settled = gross is not None and gross > 0 and paid == gross
        due_date = self._due_date(platnosc, issue_date, settled)
        if due_date is not None and issue_date is not None and due_date < issue_date:
            r.problem("Fa/Platnosc/TerminPlatnosci",
                      t("the due date {due} is before the issue date {issued}",
                        due=day_text(due_date), issued=day_text(issue_date)))
        self._settlement_warning(gross, currency)
        account = r.text("Fa/Platnosc/RachunekBankowy/NrRB").replace(" ", "")
        method = "cash" if r.text("Fa/Platnosc/FormaPlatnosci") == "1" else "transfer"
        return {"due_date": due_date, "bank_account": account, "payments": payments,
                "payment_method": method}

    def _payments(self, platnosc: Element | None, gross) -> tuple[PaidPart, ...]:
        """``Zaplacono`` + ``DataZaplaty``: one payment of the gross; else one payment per
        ``ZaplataCzesciowa``."""
        r = self.r
        if platnosc is None:
            return ()
        if r.text("Zaplacono", platnosc) == "1":
            paid_on = r.date("Fa/Platnosc/DataZaplaty")
            return (PaidPart(paid_on, gross),) if paid_on and gross is not None else ()
        parts = r.findall("ZaplataCzesciowa", platnosc)
        flag = r.text("ZnacznikZaplatyCzesciowej", platnosc)
        if flag in ("1", "2") and not parts:
            r.problem("Fa/Platnosc/ZnacznikZaplatyCzesciowej",
                      t("marked as paid in parts, but no ZaplataCzesciowa gives an amount"))
        found = []
        for part in parts:
            amount = r.amount("KwotaZaplatyCzesciowej", part)
            paid_on = r.date("DataZaplatyCzesciowej", part)
            if amount is not None and amount <= 0:
                r.problem("KwotaZaplatyCzesciowej",
                          t("the part paid ({amount}) must be more than zero",
                            amount=format_amount(amount, "")), part)
            elif amount is not None and paid_on is not None:
                found.append(PaidPart(paid_on, amount))
        return tuple(found)

    def _due_date(self, platnosc: Element | None, issue_date, settled: bool):
        r = self.r
        terms = r.findall("TerminPlatnosci", platnosc) if platnosc is not None else []
        dates = [r.date("Termin", term) for term in terms if r.find("Termin", term) is not None]
        undated = [term for term in terms if r.find("Termin", term) is None]
        if terms and not undated:
            if None in dates:  # a bad date was reported already
                return None
            if len(dates) > 1:
                r.warnings.append(tn(
                    "{n} instalment ({days}): the document is due on the last, {last}",
                    "{n} instalments ({days}): the document is due on the last, {last}",
                    len(dates), days=", ".join(day_text(d) for d in dates),
                    last=day_text(max(dates))))
            return max(dates)
        if settled:
            return issue_date
        if undated:
            description = " ".join(" ".join(undated[0].itertext()).split())
            r.problems.append(Problem(
                r.line(undated[0]),
                t("the payment term has no date ({description}): the due date is not "
                  "guessed; enter it by hand or correct the file",
                  description=description or t("no Termin")),
                "Fa/Platnosc/TerminPlatnosci",
            ))
        else:
            r.problem("Fa/Platnosc/TerminPlatnosci",
                      t("the invoice has no payment due date: it is not guessed; enter it "
                        "by hand or correct the file"))
        return None

    def _settlement_warning(self, gross, currency) -> None:
        text = self.r.text("Fa/Rozliczenie/DoZaplaty")
        if text and gross is not None and _AMOUNT.match(text) and Decimal(text) != gross:
            self.r.warnings.append(
                t("Rozliczenie/DoZaplaty {stated} differs from P_15 {gross}; the document "
                  "takes P_15", stated=format_amount(Decimal(text), currency),
                  gross=format_amount(gross, currency))
            )


class _BuyerReader:
    """``Podmiot2``: who the debtor is, how to tell them apart, where to write."""

    def __init__(self, reader: _Reader) -> None:
        self.r = reader

    def read(self) -> Buyer | None:
        r = self.r
        if r.find("Podmiot2") is None:
            r.problem("Podmiot2", t("the invoice names no buyer"))
            return None
        nip, kind = self._identity()
        name = fold_line(r.text("Podmiot2/DaneIdentyfikacyjne/Nazwa"))
        if not name and nip:
            name = f"NIP {nip}"
        if not name:
            r.problem("Podmiot2/DaneIdentyfikacyjne/Nazwa",
                      t("the buyer has neither a name nor a NIP: nobody to write to"))
        if len(name) > MAX_TEXT:
            r.warnings.append(t("the buyer's name is cut to {limit} characters",
                                 limit=MAX_TEXT))
            name = name[:MAX_TEXT]
        country = r.text("Podmiot2/Adres/KodKraju")
        lines = [fold_line(r.text(f"Podmiot2/Adres/AdresL{n}")) for n in (1, 2)]
        abroad = bool(country) and country != "PL"
        if abroad:
            lines.append(country)
        phones = [fold_line(r.text("Telefon", c)) for c in r.findall("Podmiot2/DaneKontaktowe")]
        return Buyer(
            name=name, nip=nip, kind=kind,
            customer_number=r.identifier("Podmiot2/NrKlienta"),
            address=", ".join(line for line in lines if line),
            emails=self._emails(), phone=next((p for p in phones if p), ""),
            language="en" if abroad else "pl", vat_eu=self._vat_eu(),
        )

    def _vat_eu(self) -> str:
        """The buyer's EU VAT number as the agency and the letters need it; one that
        fails its country's checksum is left out with a warning (the buyer stays a
        business: the file says it is one)."""
        r = self.r
        number = r.text("Podmiot2/DaneIdentyfikacyjne/NrVatUE")
        if not number:
            return self._uk_vat()
        text = r.text("Podmiot2/DaneIdentyfikacyjne/KodUE") + number
        try:
            return normalise_vat_eu(text)
        except ValueError as exc:
            r.warnings.append(t("{problem}; the buyer is stored without it", problem=exc))
            return ""

    def _uk_vat(self) -> str:
        """A UK buyer (no longer in the EU) is named by ``KodKraju`` GB and ``NrID``: a
        number valid as a UK VAT number (``stdnum.gb.vat``) makes it a business, kept in
        the same field as an EU one; any other foreign NrID tells nothing."""
        r = self.r
        number = r.text("Podmiot2/DaneIdentyfikacyjne/NrID").replace(" ", "").upper()
        country = (r.text("Podmiot2/DaneIdentyfikacyjne/KodKraju")
                   or r.text("Podmiot2/Adres/KodKraju"))
        if not number or (country != "GB" and not number.startswith("GB")):
            return ""
        try:
            return normalise_vat_eu(number if number.startswith("GB") else "GB" + number)
        except ValueError:
            return ""

    def _identity(self) -> tuple[str | None, str]:
        r = self.r
        text = r.text("Podmiot2/DaneIdentyfikacyjne/NIP")
        if text:
            try:
                return normalise_nip(text), "business"
            except ValueError as exc:
                r.problem("Podmiot2/DaneIdentyfikacyjne/NIP", describe_problem(str(exc)))
                return None, "business"
        if r.text("Podmiot2/DaneIdentyfikacyjne/NrVatUE") or self._uk_vat():
            return None, "business"
        return None, "private"  # BrakID, or only a foreign NrID that is no UK VAT number

    def _emails(self) -> tuple[str, ...]:
        found: list[str] = []
        for contact in self.r.findall("Podmiot2/DaneKontaktowe"):
            text = self.r.text("Email", contact)
            if not text:
                continue
            try:
                address = validate_email(text)
            except ValueError as exc:
                self.r.warnings.append(t("line {line}: {problem}; left out",
                                          line=self.r.line(contact),
                                          problem=describe_problem(str(exc))))
                continue
            if address not in found:
                found.append(address)
        return tuple(found)
