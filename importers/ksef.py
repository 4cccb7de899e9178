"""Importing KSeF e-invoices (FA(2), FA(3)): a file, or every ``*.xml`` in a folder.

``importers/ksef_xml.py`` reads each file; this module stores it. Decisions, written down
(the reading decisions are in that module's docstring):

* **Each file is all or nothing, in its own transaction.** A folder is not: one bad file
  is named with its reason while the good ones go in. The files are taken in name order,
  except that **corrections come after every invoice of the folder**, so a correction
  finds its invoice whatever the two files are called.
* **Only our own sales.** With ``company.nip`` set, a file whose seller (``Podmiot1``)
  has another NIP is a purchase invoice and is refused. Without it, every file is taken
  as ours.
* **Contractors.** A buyer with a NIP is the contractor with that NIP (if several have
  it, the one whose code is the invoice's ``NrKlienta``; otherwise the file is refused
  rather than guess). A company in another EU country (``NrVatUE``, no NIP) is the one
  contractor with that EU VAT number, if there is exactly one. A buyer without a NIP is
  otherwise the contractor whose code is the invoice's ``NrKlienta`` (the seller's own
  customer number — usually the code the bookkeeping exports too), else the one without
  a NIP with the same name and address.
  A new contractor's code is ``NrKlienta``, else the NIP, else the name in capitals;
  ``-2``, ``-3`` … is added when the code is taken. **An existing contractor is never
  changed by an invoice**: the contractor editor and the contractors file own its data.
* **Documents.** A new number becomes a document through ``actions.create_document``.
  A number already in the database with the same data (contractor, dates, currency,
  gross — before any KSeF correction — and bank account) is *unchanged*; with other data
  it is a *conflict*: refused, nothing changed, the differences named.
* **Payments stated in the invoice** (``Zaplacono``, ``ZaplataCzesciowa``) are recorded
  with ``actions.record_payment``, method ``cash`` for ``FormaPlatnosci`` 1 and
  ``transfer`` otherwise, reference ``KSeF``. They are recorded only with the document's
  creation, never again on a re-import.
* **Corrections** change the corrected document's gross and outstanding by ``P_15`` in
  one transaction with a ``document_corrected`` event and a ``ksef_correction`` row keyed
  by the correction's number, so a correction is applied once. Refused: a corrected
  invoice not in the database, another currency, an outstanding that would fall below
  zero (record the refund by hand), a document in an agency's recovery case (its case
  total is what the agency chases). A correction that settles a document ends its
  collection as a payment does; one that raises a settled document's outstanding resumes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal, NoReturn

from peewee import DataError, IntegrityError

from ..i18n import N_, t
from ..ledger.actions import (
    EndReason,
    create_contractor,
    create_document,
    finish_collection,
    messages_went_out,
    record_event,
    record_payment,
    resume_collection,
)
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.identity import current_author
from ..ledger.names import day_text
from ..ledger.settings import CollectionSettings
from ..ledger.versions import ChangedMeanwhile, touch
from ..models import Contractor, Document, EventKind, KsefCorrection, database
from ..models.money import format_amount
from ..models.text import fold
from .ksef_xml import Buyer, Invoice, InvoiceRefused, Problem, read_invoice

Outcome = Literal["created", "unchanged", "corrected", "refused"]
OUTCOMES: tuple[Outcome, ...] = ("created", "unchanged", "corrected", "refused")
Progress = Callable[[int, int], None]
PAYMENT_REFERENCE = "KSeF"
COMPARED = (Document.id, Document.contractor, Document.issue_date, Document.due_date,
            Document.currency, Document.gross, Document.bank_account)


@dataclass(frozen=True)
class FileResult:
    path: Path
    outcome: Outcome
    number: str = ""
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    # The document it created or matched (a correction: the one it corrected).
    document_id: int | None = None


@dataclass
class KsefSummary:
    """What happened to each file, in the order the files were stored."""

    results: list[FileResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def refused(self) -> list[FileResult]:
        return [result for result in self.results if result.outcome == "refused"]


def ksef_files(path: str | Path) -> list[Path]:
    """The file itself, or every ``*.xml`` directly in the folder, by name.

    Raises ``FileNotFoundError`` when there is nothing to import."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(t("{path}: no such file or folder", path=path))
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".xml" and p.is_file())
    if not files:
        raise FileNotFoundError(t("{path}: the folder holds no *.xml files", path=path))
    return files


def file_origin(path: Path) -> str:
    """A document's origin when it comes from a file (``EventKind.DOCUMENT_ARRIVED``)."""
    return f"file {path}"


def import_ksef(
    path: str | Path, clock: Clock, settings: CollectionSettings,
    progress: Progress | None = None, origin: Callable[[Path], str] = file_origin,
    author: str | None = None,
) -> KsefSummary:
    """Import one file or a folder of files; ``progress(done, total)`` after each file.
    ``origin(file)`` is what a created document's timeline says it came from; ``author``
    who brought it (the person importing when not given)."""
    files = ksef_files(path)
    store = InvoiceStore(clock, settings, author or current_author())
    summary = KsefSummary()
    corrections: list[tuple[Path, Invoice]] = []
    done = 0

    def finished(result: FileResult) -> None:
        nonlocal done
        summary.results.append(result)
        done += 1
        if progress:
            progress(done, len(files))

    for file in files:
        try:
            invoice = read_invoice(file)
        except InvoiceRefused as exc:
            finished(FileResult(file, "refused", problems=exc.problems))
            continue
        if invoice.is_correction:
            corrections.append((file, invoice))
        else:
            finished(store.store(file, invoice, file.name, origin(file)))
    for file, invoice in corrections:
        finished(store.store(file, invoice, file.name, origin(file)))
    return summary


class InvoiceStore:
    """Stores read invoices, each in a transaction of its own (a savepoint when the
    caller has one open, as the KSeF sync does)."""

    def __init__(self, clock: Clock, settings: CollectionSettings, author: str) -> None:
        self.clock = clock
        self.settings = settings
        self.author = author

    def store(self, path: Path, invoice: Invoice, source: str, origin: str) -> FileResult:
        """One invoice in one transaction: stored whole, or refused with nothing stored.
        ``source``: the name a correction keeps (the file's, or the KSeF number);
        ``origin``: what a created document's timeline says it came from."""
        try:
            with database.atomic():
                self._check_seller(invoice)
                if invoice.is_correction:
                    outcome, document_id = self._correction(source, invoice)
                else:
                    outcome, document_id = self._invoice(invoice, origin)
        except InvoiceRefused as exc:
            return FileResult(path, "refused", invoice.number, exc.problems, invoice.warnings)
        # IntegrityError: another session stored the same number just now; DataError and
        # OverflowError: a value the database cannot hold (the limits should prevent it).
        except (IntegrityError, DataError, OverflowError) as exc:
            problem = Problem(invoice.line("Fa/P_2"),
                              t("the database refused it ({reason})", reason=exc))
            return FileResult(path, "refused", invoice.number, (problem,), invoice.warnings)
        except ChangedMeanwhile:  # another session wrote the corrected document
            problem = Problem(invoice.line("Fa/P_2"),
                              t("the corrected document was changed meanwhile in another "
                                "session; import the file again"))
            return FileResult(path, "refused", invoice.number, (problem,), invoice.warnings)
        # A file already imported said its warnings the first time.
        warnings = () if outcome == "unchanged" else invoice.warnings
        return FileResult(path, outcome, invoice.number, (), warnings, document_id)

    def _check_seller(self, invoice: Invoice) -> None:
        ours = self.settings.company_nip
        if ours and invoice.seller_nip != ours:
            raise InvoiceRefused([Problem(
                invoice.line("Podmiot1/DaneIdentyfikacyjne/NIP"),
                t("the seller's NIP {nip} is not the company's ({ours}): a purchase "
                  "invoice, not ours to collect", nip=invoice.seller_nip, ours=ours),
                "Podmiot1/DaneIdentyfikacyjne/NIP",
            )])

    # --- invoices -----------------------------------------------------------------------

    def _invoice(self, invoice: Invoice, origin: str) -> tuple[Outcome, int]:
        buyer = invoice.buyer
        assert buyer is not None and invoice.due_date is not None  # read_invoice ensures it
        # Only the columns compared: building the full row's SQL was the largest single
        # cost of a folder of thousands of files (benchmarks/bench_ksef.py).
        existing = Document.select(*COMPARED).where(Document.number == invoice.number).first()
        if existing is not None:
            self._same_as_stored(existing, invoice, find_contractor(buyer, invoice))
            return "unchanged", existing.id
        contractor = find_contractor(buyer, invoice) or _create_contractor(self.clock, buyer)
        document = create_document(
            self.clock, self.settings, contractor, invoice.number, invoice.issue_date,
            invoice.due_date, invoice.gross, currency=invoice.currency,
            bank_account=invoice.bank_account, origin=origin, author=self.author,
        )
        for part in invoice.payments:
            record_payment(self.clock, self.settings, document, part.paid_on, part.amount,
                           method=invoice.payment_method, reference=PAYMENT_REFERENCE,
                           author=self.author)
        return "created", document.id

    def _same_as_stored(
        self, document: Document, invoice: Invoice, contractor: Contractor | None
    ) -> None:
        corrected = sum((c.difference for c in document.ksef_corrections), Decimal("0.00"))
        original = document.gross - corrected
        pairs = [
            (N_("issue date"), day_text(document.issue_date), day_text(invoice.issue_date)),
            (N_("due date"), day_text(document.due_date), day_text(invoice.due_date)),
            (N_("currency"), document.currency, invoice.currency),
            (N_("gross"), format_amount(original, document.currency),
             format_amount(invoice.gross, invoice.currency)),
            (N_("bank account"), document.bank_account or t("none"),
             invoice.bank_account or t("none")),
        ]
        differences = [
            t("{name} {stored} in the database, {given} in the file", name=t(name),
              stored=stored, given=given)
            for name, stored, given in pairs if stored != given
        ]
        if contractor is None or contractor.id != document.contractor_id:
            owner = Contractor.get_by_id(document.contractor_id)
            differences.insert(0, t("it belongs to contractor {code} ({name}), not to this "
                                    "buyer", code=owner.code, name=owner.name))
        if differences:
            raise InvoiceRefused([Problem(
                invoice.line("Fa/P_2"),
                t("conflict: {number} is already in the database with other data "
                  "({differences}); nothing was changed", number=invoice.number,
                  differences="; ".join(differences)),
                "Fa/P_2",
            )])

    # --- corrections --------------------------------------------------------------------

    def _correction(self, source: str, invoice: Invoice) -> tuple[Outcome, int]:
        where = invoice.line("Fa/DaneFaKorygowanej/NrFaKorygowanej")
        target = invoice.corrected_number

        def refuse(message: str, line: int | None = where,
                   element: str = "Fa/DaneFaKorygowanej/NrFaKorygowanej") -> NoReturn:
            raise InvoiceRefused([Problem(line, message, element)])

        applied = KsefCorrection.get_or_none(KsefCorrection.number == invoice.number)
        if applied is not None:
            if applied.document.number == target and applied.difference == invoice.gross:
                return "unchanged", applied.document.id
            refuse(t("conflict: correction {number} was applied already to {target} with "
                     "{amount}; nothing was changed", number=invoice.number,
                     target=applied.document.number,
                     amount=format_amount(applied.difference, applied.document.currency)),
                   invoice.line("Fa/P_2"), "Fa/P_2")
        document = Document.get_or_none(Document.number == target)
        if document is None:
            refuse(t("the corrected invoice {number} is not in the database (import it "
                     "first)", number=target))
        if document.currency != invoice.currency:
            refuse(t("the correction is in {currency}, the invoice {number} in {other}",
                     currency=invoice.currency, number=target, other=document.currency),
                   invoice.line("Fa/KodWaluty"), "Fa/KodWaluty")
        if document.recovery_case is not None:
            refuse(t("{number} is in recovery case {case}: tell the agency and correct it "
                     "by hand", number=target, case=document.recovery_case))
        outstanding = document.outstanding + invoice.gross
        if outstanding < 0:
            refuse(
                t("the correction ({amount}) is more than the outstanding {outstanding} of "
                  "{number}: the overpayment must be refunded or set off by hand",
                  amount=format_amount(invoice.gross, invoice.currency),
                  outstanding=format_amount(document.outstanding, document.currency),
                  number=target),
                invoice.line("Fa/P_15"), "Fa/P_15",
            )
        self._apply(source, invoice, document, outstanding)
        return "corrected", document.id

    def _apply(
        self, source: str, invoice: Invoice, document: Document, outstanding: Decimal
    ) -> None:
        before = document.gross
        document.gross = before + invoice.gross
        document.outstanding = outstanding
        # The person importing is who changed the document; the version read with it
        # keeps a concurrent payment from being overwritten (ledger/versions.py).
        author = self.author
        touch(Document, document.id, self.clock, author, expected=document.version,
              gross=document.gross, outstanding=outstanding)
        KsefCorrection.create(
            number=invoice.number, document=document, issue_date=invoice.issue_date,
            difference=invoice.gross, source=source[:255], created_at=utc_now_naive(self.clock),
        )
        sign = "+" if invoice.gross >= 0 else ""
        record_event(
            self.clock, EventKind.DOCUMENT_CORRECTED, document,
            text=f"{invoice.number} ({invoice.kind}, {invoice.issue_date.isoformat()}): "
                 f"{sign}{format_amount(invoice.gross, invoice.currency)}; gross "
                 f"{format_amount(before, document.currency)} → "
                 f"{format_amount(document.gross, document.currency)}",
            author=author,
        )
        if outstanding <= 0 and messages_went_out(document):
            finish_collection(self.clock, self.settings, document, EndReason.PAID, author)
        elif outstanding > 0:
            resume_collection(self.clock, document, EndReason.PAID, author)


# --- contractors ------------------------------------------------------------------------


def _refuse_ambiguous(
    invoice: Invoice, element: str, what: str, contractors: list[Contractor]
) -> None:
    codes = ", ".join(c.code for c in contractors)
    raise InvoiceRefused([Problem(
        invoice.line(element),
        t("{what} fits several contractors ({codes}): set NrKlienta to one of these codes, "
          "or merge them", what=what, codes=codes),
        element,
    )])


def _same_place(a: str, b: str) -> bool:
    return fold(" ".join(a.split())) == fold(" ".join(b.split()))


def find_contractor(buyer: Buyer, invoice: Invoice) -> Contractor | None:
    """The contractor the buyer is, by the rules in the module docstring; None if new."""
    if buyer.nip:
        found = list(Contractor.select().where(Contractor.nip == buyer.nip).order_by(
            Contractor.id))
        if len(found) > 1:
            chosen = [c for c in found if c.code == buyer.customer_number]
            if not chosen:
                _refuse_ambiguous(invoice, "Podmiot2/DaneIdentyfikacyjne/NIP", f"NIP {buyer.nip}",
                                  found)
            found = chosen
        return found[0] if found else None
    if buyer.vat_eu:
        same = list(Contractor.select().where(Contractor.vat_eu == buyer.vat_eu).limit(2))
        if len(same) == 1:
            return same[0]
    if buyer.customer_number:
        by_code = Contractor.get_or_none(Contractor.code == buyer.customer_number)
        if by_code is not None:
            if by_code.nip:
                raise InvoiceRefused([Problem(
                    invoice.line("Podmiot2/NrKlienta"),
                    t("customer number {number} is contractor {code} with NIP {nip}, but "
                      "this buyer has no NIP", number=buyer.customer_number,
                      code=by_code.code, nip=by_code.nip),
                    "Podmiot2/NrKlienta",
                )])
            return by_code
    found = [
        c for c in Contractor.select().where(
            (Contractor.name == buyer.name) & (Contractor.nip.is_null() | (Contractor.nip == ""))
        ).order_by(Contractor.id)
        if _same_place(c.address, buyer.address)
    ]
    if len(found) > 1:
        _refuse_ambiguous(invoice, "Podmiot2/DaneIdentyfikacyjne/Nazwa",
                          f"{buyer.name}, {buyer.address}", found)
    return found[0] if found else None


def _code_base(buyer: Buyer) -> str:
    if buyer.customer_number:
        return buyer.customer_number[:240]
    if buyer.nip:
        return buyer.nip
    words = re.sub(r"[^A-Z0-9]+", "-", fold(buyer.name).upper()).strip("-")
    return words[:24].rstrip("-") or "KSEF"


def _free_code(base: str) -> str:
    code, suffix = base, 1
    while Contractor.select().where(Contractor.code == code).exists():
        suffix += 1
        code = f"{base}-{suffix}"
    return code


def _create_contractor(clock: Clock, buyer: Buyer) -> Contractor:
    return create_contractor(
        clock, code=_free_code(_code_base(buyer)), name=buyer.name, nip=buyer.nip,
        address=buyer.address, emails="\n".join(buyer.emails), phone=buyer.phone,
        language=buyer.language, kind=buyer.kind, vat_eu=buyer.vat_eu,
    )
