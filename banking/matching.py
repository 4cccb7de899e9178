"""Which documents a bank credit pays: pure functions, no database, no clock.

``match_credit`` takes one credit (amount, currency, booking date, the title as written
and as spaced, the payer's account and name) and a ``MatchIndex`` of the open documents
with what is known about their contractors (NIP, accounts learned from earlier matches,
name). It answers **sure** (the documents and the amount each one gets: the importer
records these payments), **unsure** (the candidate documents and why: a person confirms
one in the Bank statements screen) or **unmatched**. A wrong sure match would stop the
collection of the wrong invoice, so every doubt makes a credit unsure; an unsure one
costs a person one key.

**Invoice numbers in the title.** Numbers compare normalised: upper case, with ``/``,
``-``, ``.`` and spaces removed, so ``FV 2026/01/115``, ``FV/2026/01/115`` and
``FV2026-01-115`` are one number. A document's number is found where its normalised form
stands in the title

* within one run of the title not broken by other punctuation (``,`` ``;`` ``(`` …), so a
  list ``210F1033,210F0995`` gives two numbers;
* not glued to more of the same kind: a number does not start or end inside a run of
  digits (also digits joined by ``/``, ``-`` or ``.``, so ``FV/2026/01`` is not found in
  ``FV/2026/01/115``) nor inside a run of letters (``V/1`` is not in ``FV/1``); the change
  from letters to digits is a boundary (``110F02468`` is found in ``FV110F02468``);
* at least three characters long once normalised (shorter numbers would be found in
  every date and amount).

Where numbers overlap, the longest wins. The title is read twice, with its ``~2x``
pieces joined as written (a number cut at 27 characters, ``…FAKTURY N`` + ``R FV/…``,
is whole again) and joined with spaces; the reading that leaves less of the title
unexplained wins. A split-payment title (``/VAT/…/IDC/…/INV/<number>/TXT/…``) is read in
its ``/INV/`` part only; the ``/IDC/`` NIP there is the supplier's, i.e. ours.

What is left of the title once the found numbers, dates (``20.05.2026``,
``2026-05-20``, ``21/02/2026``) and comma amounts (``460,00``) are taken out is checked
for *unexplained numbers*: tokens holding a digit together with a letter, ``/`` or
``-`` (``FV/2026/01/118`` that is paid already or unknown, ``110F02470``); bare digit
runs (order numbers, house numbers) and runs of ten digits or more (NIP, accounts) are
not counted.

**Sure**, in this order:

1. *Numbers:* every found document is in the credit's currency, nothing unexplained
   remains, and the amount equals their outstanding total (each gets its outstanding),
   or one document was found and the amount is less than its outstanding (a partial
   payment).
2. *Payer and amount*, when the title names no open document: the payer is identified
   as exactly one contractor, by the payer's account (learned from earlier sure or
   confirmed matches) or by a valid NIP in the title (not the company's own, not the
   ``/IDC/`` one), nothing unexplained remains in the title, and exactly one of that
   contractor's open documents in the currency has an outstanding amount equal to the
   credit.

**Unsure**, with the candidates: found numbers with any other amount (more than the
outstanding total, less than the total of several), found numbers next to an
unexplained one, a document in another currency beside ones in the credit's, an
identified payer with several documents of that amount or none (then all of its open
documents), an account and a NIP pointing at different contractors, and a payer found
only by name (the contractor's name, legal form left out, within the payer's name and
address). Candidates are at most ``CANDIDATE_LIMIT`` documents, equal amounts and the
oldest due dates first.

**Unmatched**: nothing of the above (also: the only found number is in another
currency, or the identified payer has no open documents).

**How strong a candidate is** (``candidate_evidence``, for the person who decides):
what in the credit points at that document — its number in the title, the payer's
account learned for its contractor, the contractor's NIP in the title, the payer's name,
the same amount. A candidate with nothing but the amount (the open documents a credit
without a match happens to equal) is *weak*: it is shown as such, listed after the
others, and never taken without an explicit choice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from stdnum.pl import nip as stdnum_nip

from ..models.text import fold

SEPARATORS = frozenset("/-. \t\\_")
MIN_NUMBER_LENGTH = 3
CANDIDATE_LIMIT = 20
# Words of a company's legal form: a name is compared without them.
LEGAL_FORM_WORDS = frozenset({
    "sp", "spolka", "spolki", "zoo", "spzoo", "oo", "sa", "ska", "sk", "sj", "sc", "jawna",
    "komandytowa", "komandytowo", "akcyjna", "partnerska", "cywilna", "ograniczona",
    "ograniczonej", "odpowiedzialnoscia", "ul",
})

_TOKEN = re.compile(r"[0-9A-ZĄĆĘŁŃÓŚŹŻ]+(?:[/\-.][0-9A-ZĄĆĘŁŃÓŚŹŻ]+)*")
_DATE = re.compile(r"(?<!\d)(?:(\d{1,2})[./-](\d{1,2})[./-](?:\d{4}|\d{2})"
                   r"|\d{4}[./-](\d{1,2})[./-](\d{1,2}))(?!\d)")
_AMOUNT = re.compile(r"(?<!\d)\d{1,3}(?:[ .]\d{3})*,\d{1,2}(?!\d)|(?<!\d)\d+,\d{1,2}(?!\d)")
_NIP = re.compile(r"(?<![0-9])(?:PL)?(\d{3}-?\d{3}-?\d{2}-?\d{2}|\d{3}-\d{2}-\d{2}-\d{3})"
                  r"(?![0-9])")
_SPLIT_PAYMENT = re.compile(r"/VAT/.*?/INV/(?P<invoice>.*?)(?:/TXT/|$)")
_IDC = re.compile(r"/IDC/(?P<nip>[^/]*)")


class Outcome:
    SURE = "sure"
    UNSURE = "unsure"
    UNMATCHED = "unmatched"


class Reason:
    """Why a credit was decided so (stored with the line, worded by the interface)."""

    NUMBERS_TOTAL = "numbers_total"  # sure: the found numbers' outstanding total
    NUMBER_PARTIAL = "number_partial"  # sure: part of the one found number
    ACCOUNT_AMOUNT = "account_amount"  # sure: payer's account + equal amount
    NIP_AMOUNT = "nip_amount"  # sure: NIP in the title + equal amount
    MORE_THAN_OUTSTANDING = "more_than_outstanding"
    LESS_THAN_TOTAL = "less_than_total"
    UNKNOWN_NUMBER = "unknown_number"
    OTHER_CURRENCY = "other_currency"
    SEVERAL_EQUAL = "several_equal"
    NO_EQUAL_AMOUNT = "no_equal_amount"
    SEVERAL_PAYERS = "several_payers"
    NO_OPEN_DOCUMENTS = "no_open_documents"
    NAME_ONLY = "name_only"
    NOTHING = "nothing"
    # Given by the importer, not the matcher: a sure match on a document an agency holds
    # waits for a person, who must tell the agency.
    IN_RECOVERY = "in_recovery"


def normalise_number(text: str) -> str:
    """A document number as compared: upper case, letters and digits only (``/ - .``
    and spaces are how people vary it)."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def normalise_account(text: str) -> str:
    """``PL`` + 26 digits for a Polish NRB however written, else compact upper case."""
    compact = re.sub(r"[\s\-]", "", text).upper().lstrip("/")
    return "PL" + compact if re.fullmatch(r"\d{26}", compact) else compact


def name_words(text: str) -> frozenset[str]:
    """The words of a name or an address, folded, without legal-form words."""
    words = re.findall(r"[^\W_]+", fold(text))
    return frozenset(w for w in words if w not in LEGAL_FORM_WORDS and len(w) > 1)


# -- what the matcher is given -----------------------------------------------------------
@dataclass(frozen=True)
class Credit:
    amount: Decimal
    currency: str
    booked_on: dt.date
    titles: tuple[str, ...]  # as written first, then spaced
    payer_account: str = ""
    payer_name: str = ""


@dataclass(frozen=True)
class OpenDocument:
    id: int
    number: str
    contractor_id: int
    outstanding: Decimal
    currency: str
    due_date: dt.date = dt.date.min


@dataclass(frozen=True)
class ContractorFacts:
    id: int
    name: str = ""
    nip: str = ""
    accounts: frozenset[str] = frozenset()


@dataclass
class MatchIndex:
    """The open documents by normalised number and by contractor, and the contractors by
    account, NIP and name words. ``settle`` and ``learn`` keep it current while one
    statement is matched, so a later credit sees what an earlier one paid or taught."""

    documents: dict[int, OpenDocument] = field(default_factory=dict)
    by_number: dict[str, set[int]] = field(default_factory=dict)
    by_contractor: dict[int, set[int]] = field(default_factory=dict)
    contractors: dict[int, ContractorFacts] = field(default_factory=dict)
    by_account: dict[str, set[int]] = field(default_factory=dict)
    by_nip: dict[str, set[int]] = field(default_factory=dict)
    words: dict[int, frozenset[str]] = field(default_factory=dict)
    _lengths: dict[int, int] = field(default_factory=dict)  # number length -> how many

    @classmethod
    def build(cls, documents: Iterable[OpenDocument],
              contractors: Iterable[ContractorFacts]) -> MatchIndex:
        index = cls()
        for contractor in contractors:
            index.contractors[contractor.id] = contractor
            if contractor.nip:
                index.by_nip.setdefault(contractor.nip, set()).add(contractor.id)
            for account in contractor.accounts:
                index.learn(contractor.id, account)
            index.words[contractor.id] = name_words(contractor.name)
        for document in documents:
            if document.outstanding > 0:
                index.add(document)
        return index

    def add(self, document: OpenDocument) -> None:
        self.documents[document.id] = document
        key = normalise_number(document.number)
        if len(key) >= MIN_NUMBER_LENGTH:
            self.by_number.setdefault(key, set()).add(document.id)
            self._lengths[len(key)] = self._lengths.get(len(key), 0) + 1
        self.by_contractor.setdefault(document.contractor_id, set()).add(document.id)

    @property
    def lengths(self) -> list[int]:
        return sorted((n for n, count in self._lengths.items() if count), reverse=True)

    def settle(self, document_id: int, amount: Decimal) -> None:
        """``amount`` was paid on the document: what it still owes, or gone when paid."""
        document = self.documents[document_id]
        left = document.outstanding - amount
        if left > 0:
            self.documents[document_id] = replace(document, outstanding=left)
            return
        del self.documents[document_id]
        key = normalise_number(document.number)
        if document_id in self.by_number.get(key, ()):
            self.by_number[key].discard(document_id)
            self._lengths[len(key)] -= 1
            if not self.by_number[key]:
                del self.by_number[key]
        self.by_contractor.get(document.contractor_id, set()).discard(document_id)

    def learn(self, contractor_id: int, account: str) -> None:
        if account:
            self.by_account.setdefault(normalise_account(account), set()).add(contractor_id)

    def open_documents(self, contractor_ids: Iterable[int], currency: str) -> list[OpenDocument]:
        found = [self.documents[i] for c in contractor_ids
                 for i in self.by_contractor.get(c, ())]
        return sorted((d for d in found if d.currency == currency),
                      key=lambda d: (d.due_date, d.number, d.id))


@dataclass(frozen=True)
class Decision:
    outcome: str
    reason: str
    allocations: tuple[tuple[int, Decimal], ...] = ()  # sure: (document id, amount)
    candidates: tuple[int, ...] = ()  # unsure: document ids, best first
    unexplained: tuple[str, ...] = ()  # numbers in the title that are no open document


class Evidence:
    """What in a credit points at a candidate document (``candidate_evidence``)."""

    NUMBER = "number"  # the document's number stands in the title
    ACCOUNT = "account"  # the payer's account was learned for its contractor
    NIP = "nip"  # its contractor's NIP stands in the title
    NAME = "name"  # the payer's name resembles its contractor's
    AMOUNT = "amount"  # it owes exactly the credit's amount
    FOUND = "found"  # a person found it by its number

    ORDER = (FOUND, NUMBER, ACCOUNT, NIP, NAME, AMOUNT)  # the strongest first
    STRONG = frozenset({FOUND, NUMBER, ACCOUNT, NIP, NAME})


def candidate_evidence(credit: Credit, document: OpenDocument, contractor: ContractorFacts,
                       own_nip: str = "") -> frozenset[str]:
    """Everything in the credit that points at ``document`` (read as the matcher reads)."""
    found: set[str] = set()
    alone = MatchIndex.build([document], [contractor])
    if document.id in _best_reading(credit, alone).documents:
        found.add(Evidence.NUMBER)
    payer = normalise_account(credit.payer_account) if credit.payer_account else ""
    if payer and payer in {normalise_account(a) for a in contractor.accounts}:
        found.add(Evidence.ACCOUNT)
    if contractor.nip and contractor.nip in nips_in(credit.titles, own_nip):
        found.add(Evidence.NIP)
    words = name_words(contractor.name)
    if words and words <= name_words(credit.payer_name):
        found.add(Evidence.NAME)
    if document.outstanding == credit.amount:
        found.add(Evidence.AMOUNT)
    return frozenset(found)


def is_weak(evidence: frozenset[str]) -> bool:
    """Nothing but (at most) the amount points at the document."""
    return not evidence & Evidence.STRONG


def strength(evidence: frozenset[str]) -> tuple[int, ...]:
    """A sort key, the strongest candidate first: each kind of evidence in
    ``Evidence.ORDER`` outweighs all those after it."""
    return tuple(0 if kind in evidence else 1 for kind in Evidence.ORDER)


# -- reading a title ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Segment:
    """A run of the title without hard punctuation: its alphanumerics in order, where
    each stood, and the separators written before each."""

    chars: str
    positions: tuple[int, ...]
    gaps: tuple[str, ...]


def _segments(text: str) -> list[_Segment]:
    segments, chars, positions, gaps, gap = [], [], [], [], ""
    for position, ch in enumerate(text):
        if ch.isalnum():
            chars.append(ch)
            positions.append(position)
            gaps.append(gap)
            gap = ""
        elif ch in SEPARATORS:
            gap += ch
        else:
            if chars:
                segments.append(_Segment("".join(chars), tuple(positions), tuple(gaps)))
            chars, positions, gaps, gap = [], [], [], ""
    if chars:
        segments.append(_Segment("".join(chars), tuple(positions), tuple(gaps)))
    return segments


def _glued(before: str, gap: str, after: str) -> bool:
    """Whether two characters belong to one token: the same kind with nothing between,
    or digits joined by ``/``, ``-`` or ``.`` (a longer number, or a date)."""
    if not gap:
        return before.isdigit() == after.isdigit()
    return before.isdigit() and after.isdigit() and not (set(gap) & {" ", "\t"})


def _bounded(segment: _Segment, start: int, end: int) -> bool:
    chars, gaps = segment.chars, segment.gaps
    if start > 0 and _glued(chars[start - 1], gaps[start], chars[start]):
        return False
    return end == len(chars) or not _glued(chars[end - 1], gaps[end], chars[end])


@dataclass(frozen=True)
class _Reading:
    documents: tuple[int, ...]
    unexplained: tuple[str, ...]


def _read(text: str, index: MatchIndex) -> _Reading:
    upper = text.upper()
    lengths = index.lengths
    found: list[tuple[int, int, int, int]] = []  # (-length, segment, start, end)
    segments = _segments(upper)
    for number, segment in enumerate(segments):
        for start in range(len(segment.chars)):
            for length in lengths:
                end = start + length
                if end <= len(segment.chars) and segment.chars[start:end] in index.by_number \
                        and _bounded(segment, start, end):
                    found.append((-length, number, start, end))
    kept: list[tuple[int, int, int]] = []
    for _, number, start, end in sorted(found):  # the longest first
        if all(n != number or end <= s or start >= e for n, s, e in kept):
            kept.append((number, start, end))
    documents: list[int] = []
    blanked = list(upper)
    for number, start, end in sorted(kept):
        segment = segments[number]
        for document_id in sorted(index.by_number[segment.chars[start:end]]):
            if document_id not in documents:
                documents.append(document_id)
        for position in range(segment.positions[start], segment.positions[end - 1] + 1):
            blanked[position] = " "
    return _Reading(tuple(documents), _unexplained("".join(blanked)))


def _is_date(match: re.Match[str]) -> bool:
    day, month = (match[1], match[2]) if match[1] else (match[4], match[3])
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _unexplained(text: str) -> tuple[str, ...]:
    text = _DATE.sub(lambda m: " " * len(m[0]) if _is_date(m) else m[0], text)
    text = _AMOUNT.sub(lambda m: " " * len(m[0]), text)
    out = []
    for token in _TOKEN.findall(text):
        if not any(ch.isdigit() for ch in token) or token.isdigit() or len(token) > 35:
            continue  # words, and bare digit runs: order and house numbers, references
        if re.fullmatch(r"PL\d{26}", token) or _is_nip(token):
            continue  # identifiers, not invoice numbers
        if any(ch.isalpha() for ch in token) or "/" in token or "-" in token:
            out.append(token)
    return tuple(out)


def _is_nip(token: str) -> bool:
    return bool(_NIP.fullmatch(token)) and stdnum_nip.is_valid(re.sub(r"\D", "", token))


def split_payment_invoice(title: str) -> str | None:
    """The ``/INV/`` part of a split-payment (MPP) title, or None for another title."""
    match = _SPLIT_PAYMENT.search(title.upper().replace(" ", ""))
    return match["invoice"] if match else None


def nips_in(texts: Sequence[str], own_nip: str = "") -> set[str]:
    """Valid NIPs written in the texts, but not ours (the ``/IDC/`` of a split payment
    names the supplier, which is us, too)."""
    found = set()
    for text in texts:
        upper = text.upper()
        supplier = {re.sub(r"\D", "", m["nip"]) for m in _IDC.finditer(upper.replace(" ", ""))}
        for match in _NIP.finditer(upper):
            digits = re.sub(r"\D", "", match[1])
            if digits not in supplier and digits != own_nip and stdnum_nip.is_valid(digits):
                found.add(digits)
    return found


# -- deciding ------------------------------------------------------------------------------
def _best_reading(credit: Credit, index: MatchIndex) -> _Reading:
    invoice = split_payment_invoice(credit.titles[0]) if credit.titles else None
    texts = (invoice,) if invoice is not None else credit.titles
    readings = [_read(text, index) for text in texts] or [_Reading((), ())]
    return min(readings, key=lambda r: (len(r.unexplained), -len(r.documents)))


def _limited(documents: Sequence[OpenDocument], amount: Decimal) -> tuple[int, ...]:
    """Candidates, equal amounts first, then by due date; at most CANDIDATE_LIMIT."""
    ordered = sorted(documents, key=lambda d: (d.outstanding != amount, d.due_date, d.number))
    return tuple(d.id for d in ordered[:CANDIDATE_LIMIT])


def _by_numbers(credit: Credit, index: MatchIndex, reading: _Reading) -> Decision:
    found = [index.documents[i] for i in reading.documents]
    same = [d for d in found if d.currency == credit.currency]
    unexplained = reading.unexplained
    if len(same) < len(found):
        unexplained += tuple(d.number for d in found if d.currency != credit.currency)
        if not same:
            return Decision(Outcome.UNMATCHED, Reason.OTHER_CURRENCY, unexplained=unexplained)
        return Decision(Outcome.UNSURE, Reason.OTHER_CURRENCY,
                        candidates=_limited(same, credit.amount), unexplained=unexplained)
    candidates = tuple(d.id for d in same)
    if unexplained:
        return Decision(Outcome.UNSURE, Reason.UNKNOWN_NUMBER, candidates=candidates,
                        unexplained=unexplained)
    total = sum((d.outstanding for d in same), Decimal(0))
    if credit.amount == total:
        return Decision(Outcome.SURE, Reason.NUMBERS_TOTAL,
                        allocations=tuple((d.id, d.outstanding) for d in same))
    if len(same) == 1 and credit.amount < total:
        return Decision(Outcome.SURE, Reason.NUMBER_PARTIAL,
                        allocations=((same[0].id, credit.amount),))
    reason = Reason.MORE_THAN_OUTSTANDING if credit.amount > total else Reason.LESS_THAN_TOTAL
    return Decision(Outcome.UNSURE, reason, candidates=candidates)


def _by_payer(credit: Credit, index: MatchIndex, payers: set[int], sure_reason: str,
              unexplained: tuple[str, ...]) -> Decision:
    documents = index.open_documents(sorted(payers), credit.currency)
    equal = [d for d in documents if d.outstanding == credit.amount]
    if not documents:
        return Decision(Outcome.UNMATCHED, Reason.NO_OPEN_DOCUMENTS, unexplained=unexplained)
    if len(payers) > 1:
        return Decision(Outcome.UNSURE, Reason.SEVERAL_PAYERS,
                        candidates=_limited(equal or documents, credit.amount))
    if len(equal) == 1 and not unexplained:
        return Decision(Outcome.SURE, sure_reason,
                        allocations=((equal[0].id, credit.amount),))
    if len(equal) == 1:
        return Decision(Outcome.UNSURE, Reason.UNKNOWN_NUMBER, candidates=(equal[0].id,),
                        unexplained=unexplained)
    if equal:
        return Decision(Outcome.UNSURE, Reason.SEVERAL_EQUAL,
                        candidates=_limited(equal, credit.amount), unexplained=unexplained)
    return Decision(Outcome.UNSURE, Reason.NO_EQUAL_AMOUNT,
                    candidates=_limited(documents, credit.amount), unexplained=unexplained)


def _by_name(credit: Credit, index: MatchIndex) -> Decision | None:
    payer = name_words(credit.payer_name)
    if not payer:
        return None
    named = [c for c, words in index.words.items()
             if words and words <= payer and index.by_contractor.get(c)]
    documents = index.open_documents(named, credit.currency)
    if not documents:
        return None
    return Decision(Outcome.UNSURE, Reason.NAME_ONLY,
                    candidates=_limited(documents, credit.amount))


def match_credit(credit: Credit, index: MatchIndex, own_nip: str = "") -> Decision:
    """Decide one credit by the rules of the module's docstring."""
    reading = _best_reading(credit, index)
    if reading.documents:
        return _by_numbers(credit, index, reading)
    by_account = index.by_account.get(normalise_account(credit.payer_account), set()) \
        if credit.payer_account else set()
    by_nip = {c for nip in nips_in(credit.titles, own_nip) for c in index.by_nip.get(nip, ())}
    payers = by_account | by_nip
    if payers:
        reason = Reason.ACCOUNT_AMOUNT if by_account else Reason.NIP_AMOUNT
        return _by_payer(credit, index, payers, reason, reading.unexplained)
    named = _by_name(credit, index)
    if named is not None:
        return named
    return Decision(Outcome.UNMATCHED, Reason.NOTHING, unexplained=reading.unexplained)
