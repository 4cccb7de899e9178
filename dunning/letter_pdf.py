"""Paper letters as one PDF: A4, the address in a DL envelope's window, a payment code.

Pure rendering: a :class:`LetterData` holds everything a letter prints, already in
words (texts rendered by the templates, figures formatted by the same functions as the
e-mail, the fixed labels translated by the caller in :class:`LetterLabels`); nothing
here reads the database, the clock or the catalogue. :func:`render_letters` writes many
letters into one PDF for one print job; :func:`check_letter` says what would make a
letter unprintable, field by field, and ``render_letters`` refuses such a letter before
anything is written.

The page (A4 portrait, millimetres from the top-left corner; docs/letters.md §6):

- the letterhead above 45 mm: the company, its address, NIP and bank account;
- the window of a DL envelope, DIN 5008 form B: the address field at x 20 mm, y 45 mm,
  85 × 45 mm. Its top part (to 62.7 mm) carries one 8 pt line with our return address
  and up to two lines of notes (``Przesyłka polecona``); the recipient's name and
  address take the six lines of 10 pt below it (``ADDRESS_TOP`` to ``ADDRESS_BOTTOM``),
  from x 25 mm and at most ``WINDOW_TEXT_WIDTH`` (75 mm) wide: the part of the page a
  DL window (90 × 45 mm, 20 mm from the left and 15 mm from the bottom of a 110 × 220 mm
  envelope) shows however the folded sheet slides in it;
- place and date at the right, then the title, the paragraphs, the table of documents
  (continued on the next page with its header repeated when long), the totals, the
  payment deadline and the account, the payment QR code at their right (never across
  a fold), the closing paragraphs and the signature;
- fold marks at 105 and 210 mm and the hole mark at 148.5 mm, at the left edge of a
  letter's first page.

Fonts: DejaVu Sans regular and bold shipped in ``dunning/fonts`` (licence beside them).
reportlab draws a character the font lacks as an empty box without a word, so
:func:`check_letter` refuses any such character, naming the field.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from ..ledger.names import amount_text
from .atomic_file import write_atomically
from .payment_codes import PaymentCodeKind, QrSymbol, check_iban, check_qr, qr_symbol

FONT = "WindykacjaSans"
BOLD = "WindykacjaSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

PAGE_WIDTH, PAGE_HEIGHT = A4  # points
LEFT = 20.0  # mm: the text's left edge (the address field's too)
RIGHT = 190.0  # mm: the text's right edge
TEXT_WIDTH = RIGHT - LEFT
BOTTOM = 280.0  # mm: nothing is drawn below

#: The address field of DIN 5008 form B (mm from the top-left corner): x, y, width, height.
ADDRESS_FIELD = (20.0, 45.0, 85.0, 45.0)
#: Where the recipient's lines go inside it (the field's 27.3 mm "Anschriftzone").
ADDRESS_LEFT = 25.0
ADDRESS_TOP = 62.7
ADDRESS_BOTTOM = 90.0
#: The width every window position shows (docs/letters.md §6: x 25-100 mm).
WINDOW_TEXT_WIDTH = 75.0
ADDRESS_SIZE = 10.0  # pt
ADDRESS_PITCH = 4.5  # mm: six lines in 27 mm
ADDRESS_LINES = 6
#: A name takes at most three of the six lines …
NAME_LINES = 3
#: … and 120 characters: Poczta Polska's dispatch data (e-Nadawca ``adresType``) holds a
#: name in two fields of 60 characters (``nazwa``, ``nazwa2``; docs/registry.md §9.1),
#: so a longer name could not be written on the dispatch book the letter is posted with.
#: The issue's "300-character name" is refused by this, naming the field.
NAME_MAX_CHARS = 120
# pt: the return address above the recipient shrinks to fit the window, then takes two lines
RETURN_ONE_LINE_SIZES = (8.0, 7.5, 7.0, 6.5)
RETURN_TWO_LINE_SIZES = (7.0, 6.5, 6.0)
NOTE_LINES = 2
NOTE_SIZE = 7.5  # pt, bold
SENDER_ADDRESS_LINES = 4
FOLD_MARKS = (105.0, 210.0)
HOLE_MARK = 148.5
#: The payment code: at least 30 mm with its 4-module quiet zone, modules of at least
#: 0.5 mm (a bigger symbol grows), at most 40 mm (docs/letters.md "Quiet zone and size").
QR_MIN_SIDE = 30.0
QR_MAX_SIDE = 40.0
QR_MODULE = 0.5
QR_GAP = 8.0  # mm between the payment lines and the code

BODY_SIZE = 10.0
TABLE_SIZE = 9.0
ROW_PITCH = 4.6  # mm per line of the table


# --- what a letter holds ------------------------------------------------------------------


@dataclass(frozen=True)
class LetterLabels:
    """The fixed words on a letter, in the letter's language (the caller translates)."""

    nip: str  # "NIP"
    account: str  # "Rachunek bankowy" / "Bank account"
    document: str  # "Dokument" / "Document"
    issue_date: str  # "Data wystawienia" / "Issued"
    due_date: str  # "Termin płatności" / "Due"
    outstanding: str  # "Do zapłaty" / "Outstanding"
    interest: str  # "Odsetki" / "Interest"
    compensation: str  # "Rekompensata" / "Compensation"
    deadline: str  # "Termin zapłaty" / "Pay by"
    page: str  # "Strona" / "Page"
    qr_caption: str  # "Zeskanuj w aplikacji banku" / "Scan in your banking app"


@dataclass(frozen=True)
class DocumentLine:
    """One row of the table of documents, each cell as printed (``1 234,56 PLN``,
    ``23.11.2026``); see :func:`document_lines` for rows from the demand's
    ``template_data.document_view`` dicts. An interest or compensation column is left
    out when no row has a value in it."""

    number: str
    issue_date: str
    due_date: str
    outstanding: str
    interest: str = ""
    compensation: str = ""


@dataclass(frozen=True)
class TotalLine:
    """A line under the table: ``Razem do zapłaty … 3 493,35 PLN``."""

    label: str
    amount: str
    bold: bool = False


@dataclass(frozen=True)
class PaymentCode:
    """A payment QR code's text (``payment_codes.zbp_payload`` / ``epc_payload``) and
    its kind, ``zbp`` or ``epc``."""

    kind: PaymentCodeKind
    payload: str


@dataclass(frozen=True)
class LetterData:
    """Everything one letter prints. Texts are plain (no markup: they are escaped);
    a paragraph's ``\\n`` breaks the line. Dates are written ``DD.MM.YYYY``."""

    sender_name: str
    sender_address: tuple[str, ...]
    sender_nip: str
    sender_account: str
    place: str
    date: dt.date
    recipient_name: str
    recipient_address: tuple[str, ...]
    title: str
    paragraphs: tuple[str, ...]
    labels: LetterLabels
    documents: tuple[DocumentLine, ...] = ()
    totals: tuple[TotalLine, ...] = ()
    deadline: dt.date | None = None
    payment_code: PaymentCode | None = None
    #: Paragraphs after the figures and the code ("Brak zapłaty spowoduje …").
    closing: tuple[str, ...] = ()
    #: Right-aligned block at the end; an empty string leaves a line for the signature.
    signature: tuple[str, ...] = ()
    #: Up to two lines above the address in the window ("Przesyłka polecona").
    notes: tuple[str, ...] = ()
    #: Whether the text asks for a transfer, so the account must be printed.
    needs_account: bool = True


def day_text(day: dt.date) -> str:
    """``23.11.2026``: the letters' dates, as the e-mails write them (``pl_date``)."""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def document_lines(documents: Iterable[Mapping[str, Any]], language: str,
                   unknown: str = "—") -> tuple[DocumentLine, ...]:
    """Table rows from a demand's documents (``template_data.document_view`` dicts), the
    amounts written as the e-mail's ``money`` filter writes them (``1 234,56 PLN`` in
    Polish, ``1,234.56 PLN`` in English) so the letter shows the same figures to the
    grosz. Interest in the document's currency, compensation in PLN; a figure that is
    claimed but not known (``*_missing``) shows ``unknown``, never 0."""
    lines = []
    for doc in documents:
        currency = str(doc.get("currency") or "PLN")
        lines.append(DocumentLine(
            number=str(doc["number"]),
            issue_date=_day_or_blank(doc.get("issue_date")),
            due_date=_day_or_blank(doc.get("due_date")),
            outstanding=amount_text(Decimal(doc["outstanding"]), currency, language),
            interest=_figure(doc, "interest", currency, language, unknown),
            compensation=_figure(doc, "compensation", "PLN", language, unknown),
        ))
    return tuple(lines)


def _day_or_blank(value: Any) -> str:
    return day_text(value) if isinstance(value, dt.date) else ""


def _figure(doc: Mapping[str, Any], key: str, currency: str, language: str,
            unknown: str) -> str:
    value = doc.get(key)
    if value is not None:
        return amount_text(Decimal(value), currency, language)
    return unknown if doc.get(f"{key}_missing") else ""


# --- fonts ---------------------------------------------------------------------------------


@cache
def register_fonts() -> None:
    """Register the shipped DejaVu Sans (once a process) under ``FONT`` and ``BOLD``."""
    folder = importlib.resources.files("windykacja.dunning") / "fonts"
    for name, file in FONT_FILES.items():
        with importlib.resources.as_file(folder / file) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))


@cache
def _glyphs() -> frozenset[int]:
    """The code points both shipped fonts draw."""
    register_fonts()
    maps = [pdfmetrics.getFont(name).face.charToGlyph for name in FONT_FILES]
    return frozenset(maps[0]).intersection(*maps[1:])


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` the letter's font cannot draw (a line break is fine)."""
    have = _glyphs()
    return sorted({ch for ch in text if ch != "\n" and ord(ch) not in have})


def _width(text: str, font: str = FONT, size: float = BODY_SIZE) -> float:
    """``text``'s width in mm."""
    register_fonts()
    # Geometry in points and millimetres, not money: reportlab measures in floats.
    width: float = pdfmetrics.stringWidth(text, font, size)
    return width / mm


# --- checks before printing ------------------------------------------------------------------


@dataclass(frozen=True)
class LetterProblem:
    """Why a letter cannot be printed: the ``field`` of :class:`LetterData` (with the
    line, ``recipient_address[2]``) and the reason in English."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class LetterRefused(ValueError):
    """A letter of a batch that cannot be printed; nothing was written."""

    def __init__(self, index: int, recipient: str, problems: Sequence[LetterProblem]):
        self.index = index
        self.recipient = recipient
        self.problems = list(problems)
        listed = "; ".join(str(p) for p in self.problems)
        super().__init__(f"letter {index} ({recipient[:60]}): {listed}")


def name_lines(name: str) -> list[str]:
    """The recipient's name broken into lines of the window's width (by words)."""
    register_fonts()
    return list(simpleSplit(" ".join(name.split()), FONT, ADDRESS_SIZE,
                            WINDOW_TEXT_WIDTH * mm))


def check_letter(data: LetterData) -> list[LetterProblem]:
    """Everything that would make ``data`` print wrongly, field by field (empty: fine).

    - the recipient's name: missing, over ``NAME_MAX_CHARS`` (120) characters, or more
      than three lines of the window's width (a word wider than the window counts as
      too wide);
    - the recipient's address: missing, a line wider than the window (75 mm at 10 pt,
      measured in the font), or name and address together over the window's six lines;
    - the bank account: missing when a payment code or the text needs it, not a valid
      IBAN / NRB (its check digits), or not the account the payment code pays to;
    - a character the font lacks, in any text;
    - the letterhead, the return-address line and the notes above the address: missing
      or too wide; a payment code of an unknown kind or that cannot be encoded.
    """
    problems: list[LetterProblem] = []
    problems += _check_recipient(data)
    problems += _check_sender(data)
    problems += _check_payment(data)
    problems += _check_glyphs(data)
    if not data.title.strip():
        problems.append(LetterProblem("title", "missing"))
    return problems


def _check_recipient(data: LetterData) -> list[LetterProblem]:
    problems = []
    name = " ".join(data.recipient_name.split())
    lines = 0
    if not name:
        problems.append(LetterProblem("recipient_name", "missing"))
    elif len(name) > NAME_MAX_CHARS:
        problems.append(LetterProblem(
            "recipient_name",
            f"{len(name)} characters; a name may have at most {NAME_MAX_CHARS} (Poczta "
            "Polska's dispatch data holds a name in two lines of 60 characters)"))
    else:
        wrapped = name_lines(name)
        lines = len(wrapped)
        widest = max(_width(line, size=ADDRESS_SIZE) for line in wrapped)
        if widest > WINDOW_TEXT_WIDTH:
            problems.append(LetterProblem(
                "recipient_name", f"a word is {widest:.0f} mm wide; the envelope's window "
                f"shows {WINDOW_TEXT_WIDTH:.0f} mm"))
        elif lines > NAME_LINES:
            problems.append(LetterProblem(
                "recipient_name", f"takes {lines} lines in the envelope's window; a name "
                f"may take at most {NAME_LINES}"))
    address = [line.strip() for line in data.recipient_address]
    if not any(address):
        problems.append(LetterProblem("recipient_address", "missing"))
        return problems
    for i, line in enumerate(address):
        width = _width(line, size=ADDRESS_SIZE)
        if width > WINDOW_TEXT_WIDTH:
            problems.append(LetterProblem(
                f"recipient_address[{i + 1}]", f"'{line}' is {width:.0f} mm wide; the "
                f"envelope's window shows {WINDOW_TEXT_WIDTH:.0f} mm"))
    if lines + len(address) > ADDRESS_LINES:
        problems.append(LetterProblem(
            "recipient_address", f"the name and address take {lines + len(address)} "
            f"lines; the envelope's window holds {ADDRESS_LINES}"))
    return problems


def _check_sender(data: LetterData) -> list[LetterProblem]:
    problems = []
    if not data.sender_name.strip():
        problems.append(LetterProblem("sender_name", "missing"))
    if not any(line.strip() for line in data.sender_address):
        problems.append(LetterProblem("sender_address", "missing"))
    elif len(data.sender_address) > SENDER_ADDRESS_LINES:
        problems.append(LetterProblem(
            "sender_address", f"{len(data.sender_address)} lines; the letterhead holds "
                              f"{SENDER_ADDRESS_LINES}"))
    for field, text, font, size in _letterhead(data):
        if _width(text, font, size) > TEXT_WIDTH:
            problems.append(LetterProblem(field, f"'{text}' is wider than the page"))
    if _return_layout(data) is None:
        problems.append(LetterProblem(
            "sender_address", "the return address does not fit the envelope's window: "
            "the name or the address alone is over 75 mm at 6 pt"))
    if len(data.notes) > NOTE_LINES:
        problems.append(LetterProblem("notes", f"{len(data.notes)} lines; at most "
                                               f"{NOTE_LINES} fit above the address"))
    for i, note in enumerate(data.notes):
        if _width(note, BOLD, NOTE_SIZE) > WINDOW_TEXT_WIDTH:
            problems.append(LetterProblem(f"notes[{i + 1}]", "wider than the envelope's "
                                                              "window"))
    return problems


def _check_payment(data: LetterData) -> list[LetterProblem]:
    problems = []
    code = data.payment_code
    if not data.sender_account.strip():
        if code is not None or data.needs_account:
            why = "the payment code" if code is not None else "the letter asks for a transfer"
            problems.append(LetterProblem("sender_account", f"missing; {why} needs it"))
        return problems
    try:
        iban = check_iban(data.sender_account, "sender_account")
    except ValueError as error:
        problems.append(LetterProblem("sender_account", str(error).split(": ", 1)[1]))
        return problems
    if code is not None:
        try:
            check_qr(code.payload, code.kind)
        except ValueError as error:
            problems.append(LetterProblem("payment_code", str(error)))
        if _code_account(code) not in (iban, iban[2:]):
            problems.append(LetterProblem(
                "payment_code", "pays to another account than the letter prints "
                f"({data.sender_account})"))
    return problems


def _code_account(code: PaymentCode) -> str:
    """The account a payment code's text pays to (ZBP: the NRB; EPC: the IBAN)."""
    if code.kind == "zbp":
        parts = code.payload.split("|")
        return parts[2] if len(parts) > 2 else ""
    lines = code.payload.split("\n")
    return lines[6] if len(lines) > 6 else ""


def _texts(data: LetterData) -> Iterable[tuple[str, str]]:
    """Every text the letter prints, with the field it comes from."""
    for item in fields(data):
        value = getattr(data, item.name)
        if isinstance(value, str):
            yield item.name, value
        elif isinstance(value, tuple):
            for i, part in enumerate(value):
                if isinstance(part, str):
                    yield f"{item.name}[{i + 1}]", part
                elif isinstance(part, DocumentLine | TotalLine):
                    for sub in fields(part):
                        text = getattr(part, sub.name)
                        if isinstance(text, str):
                            yield f"{item.name}[{i + 1}].{sub.name}", text
    for item in fields(data.labels):
        yield f"labels.{item.name}", getattr(data.labels, item.name)


def _check_glyphs(data: LetterData) -> list[LetterProblem]:
    problems = []
    for field, text in _texts(data):
        missing = missing_glyphs(text)
        if missing:
            shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:5])
            problems.append(LetterProblem(field, f"the letter's font has no {shown}"))
    return problems


def _letterhead(data: LetterData) -> list[tuple[str, str, str, float]]:
    """``(field, text, font, size)`` of the letterhead's lines, top to bottom."""
    lines = [("sender_name", data.sender_name, BOLD, 12.0)]
    lines += [(f"sender_address[{i + 1}]", line, FONT, 9.0)
              for i, line in enumerate(data.sender_address) if line.strip()]
    ids = [f"{data.labels.nip} {data.sender_nip}"] if data.sender_nip.strip() else []
    if data.sender_account.strip():
        ids.append(f"{data.labels.account}: {data.sender_account}")
    if ids:
        lines.append(("sender_nip", " · ".join(ids), FONT, 9.0))
    return lines


def _return_layout(data: LetterData) -> tuple[list[str], float] | None:
    """The return-address lines above the recipient and their size: one line (name,
    address) at 8 down to 6.5 pt, else two (the name; the address) at 7 down to 6 pt;
    None when even that is wider than the window."""
    name = data.sender_name.strip()
    address = ", ".join(a.strip() for a in data.sender_address if a.strip())
    one = ", ".join(p for p in (name, address) if p)
    for size in RETURN_ONE_LINE_SIZES:
        if _width(one, size=size) <= WINDOW_TEXT_WIDTH:
            return [one], size
    for size in RETURN_TWO_LINE_SIZES:
        if max(_width(name, size=size), _width(address, size=size)) <= WINDOW_TEXT_WIDTH:
            return [name, address], size
    return None


# --- drawing -------------------------------------------------------------------------------


def _style(size: float, *, bold: bool = False, justify: bool = True) -> ParagraphStyle:
    return ParagraphStyle(
        f"letter-{size}-{bold}-{justify}", fontName=BOLD if bold else FONT, fontSize=size,
        leading=size * 1.35, alignment=TA_JUSTIFY if justify else TA_LEFT)


def _fit(text: str, width: float, size: float) -> str:
    """``text`` cut with ``…`` to ``width`` mm (only for the running head of a page)."""
    text = " ".join(text.split())
    if _width(text, size=size) <= width:
        return text
    while text and _width(text + "…", size=size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _markup(text: str) -> str:
    """Plain text as reportlab's paragraph markup: ``& < >`` escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in text.split("\n"))


class _Page:
    """Draws one letter, page after page, keeping the cursor ``y`` in mm from the top."""

    def __init__(self, canvas: Canvas, data: LetterData):
        self.c = canvas
        self.data = data
        self.pages = 1
        self.y = 0.0

    # -- primitives --

    def text(self, x: float, y: float, text: str, font: str = FONT,
             size: float = BODY_SIZE, align: str = "left") -> None:
        self.c.setFont(font, size)
        top = PAGE_HEIGHT - y * mm
        if align == "right":
            self.c.drawRightString(x * mm, top, text)
        else:
            self.c.drawString(x * mm, top, text)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5) -> None:
        self.c.setLineWidth(width)
        self.c.line(x1 * mm, PAGE_HEIGHT - y1 * mm, x2 * mm, PAGE_HEIGHT - y2 * mm)

    def room(self) -> float:
        return BOTTOM - self.y

    def next_page(self) -> None:
        self.c.showPage()
        self.pages += 1
        data = self.data
        number = f"{data.labels.page} {self.pages}"
        room = TEXT_WIDTH - _width(number, size=7.5) - 6.0
        self.text(LEFT, 12, _fit(f"{data.recipient_name} — {data.title}", room, 7.5),
                  size=7.5)
        self.text(RIGHT, 12, number, size=7.5, align="right")
        self.line(LEFT, 14, RIGHT, 14, 0.3)
        self.y = 22.0

    def ensure(self, height: float) -> bool:
        """Start a new page unless ``height`` mm fit; True when a page was started."""
        if height <= self.room():
            return False
        self.next_page()
        return True

    def paragraph(self, text: str, style: ParagraphStyle, space_after: float = 3.0) -> None:
        para: Any = Paragraph(_markup(text), style)
        while para is not None:
            _, height = para.wrap(TEXT_WIDTH * mm, self.room() * mm)
            if height / mm <= self.room():
                para.drawOn(self.c, LEFT * mm, PAGE_HEIGHT - (self.y * mm) - height)
                self.y += height / mm + space_after
                return
            parts = para.split(TEXT_WIDTH * mm, self.room() * mm)
            if len(parts) == 2:
                first, para = parts
                _, height = first.wrap(TEXT_WIDTH * mm, self.room() * mm)
                first.drawOn(self.c, LEFT * mm, PAGE_HEIGHT - (self.y * mm) - height)
            self.next_page()

    # -- the first page's fixed parts --

    def marks(self) -> None:
        self.c.setStrokeGray(0.4)
        for y in FOLD_MARKS:
            self.line(5, y, 10, y, 0.4)
        self.line(4, HOLE_MARK, 11, HOLE_MARK, 0.4)
        self.c.setStrokeGray(0)

    def letterhead(self) -> None:
        y = 16.0
        for _, text, font, size in _letterhead(self.data):
            self.text(LEFT, y, text, font, size)
            y += 6.0 if font == BOLD else 4.2

    def window(self) -> None:
        data = self.data
        lines, size = _return_layout(data) or ([], 6.0)
        for i, line in enumerate(lines):
            self.text(ADDRESS_LEFT, 52.0 + i * 2.8, line, size=size)
        rule = 53.3 + (len(lines) - 1) * 2.8
        self.line(ADDRESS_LEFT, rule, ADDRESS_LEFT + WINDOW_TEXT_WIDTH, rule, 0.3)
        for i, note in enumerate(data.notes[:NOTE_LINES]):
            self.text(ADDRESS_LEFT, rule + 3.6 + i * 3.2, note, BOLD, NOTE_SIZE)
        lines = [*name_lines(data.recipient_name),
                 *(a.strip() for a in data.recipient_address)]
        for i, line in enumerate(lines[:ADDRESS_LINES]):
            self.text(ADDRESS_LEFT, ADDRESS_TOP + 3.6 + i * ADDRESS_PITCH, line,
                      size=ADDRESS_SIZE)

    def dateline(self) -> None:
        data = self.data
        place = f"{data.place.strip()}, " if data.place.strip() else ""
        self.text(RIGHT, 50.0, f"{place}{day_text(data.date)}", align="right")

    # -- the flowing parts --

    def body(self) -> None:
        self.y = 100.0
        self.paragraph(self.data.title, _style(12, bold=True, justify=False), 4.0)
        for text in self.data.paragraphs:
            self.paragraph(text, _style(BODY_SIZE))

    def closing(self) -> None:
        for text in self.data.closing:
            self.paragraph(text, _style(BODY_SIZE))
        lines = self.data.signature
        if not lines:
            return
        self.ensure(len(lines) * 5.0 + 4)
        self.y += 4.0
        for line in lines:
            self.text(RIGHT - 50, self.y, line, size=BODY_SIZE)
            self.y += 5.0


@dataclass(frozen=True)
class _Column:
    key: str
    header: list[str]
    width: float  # mm
    right: bool


def _columns(data: LetterData) -> list[_Column]:
    labels = data.labels
    keys = [("number", labels.document, False), ("issue_date", labels.issue_date, False),
            ("due_date", labels.due_date, False), ("outstanding", labels.outstanding, True)]
    for key, label in (("interest", labels.interest),
                       ("compensation", labels.compensation)):
        if any(getattr(row, key) for row in data.documents):
            keys.append((key, label, True))
    columns = []
    for key, label, right in keys[1:]:
        cells = [getattr(row, key) for row in data.documents]
        words = label.split() or [""]
        width = max([_width(c, size=TABLE_SIZE) for c in cells]
                    + [_width(w, BOLD, TABLE_SIZE) for w in words]) + 4.0
        columns.append(_Column(key, _wrap_words(label, width - 1.0), width, right))
    rest = TEXT_WIDTH - sum(c.width for c in columns)
    number = _Column("number", _wrap_words(labels.document, rest - 2.0), rest, False)
    return [number, *columns]


def _wrap_words(text: str, width: float, font: str = BOLD,
                size: float = TABLE_SIZE) -> list[str]:
    return list(simpleSplit(text, font, size, max(width, 5.0) * mm)) or [""]


def _wrap_chars(text: str, width: float) -> list[str]:
    """A document number broken into lines of ``width`` mm, by words, and by characters
    where one word is wider (the number is printed whole, never cut off)."""
    lines: list[str] = []
    for word_line in _wrap_words(text, width, FONT):
        current = ""
        for ch in word_line:
            if current and _width(current + ch, size=TABLE_SIZE) > width:
                lines.append(current)
                current = ""
            current += ch
        lines.append(current)
    return lines


def _table(page: _Page) -> None:
    data = page.data
    if not data.documents:
        return
    columns = _columns(data)
    header_height = max(len(c.header) for c in columns) * 3.8 + 2.0

    def header() -> None:
        x = LEFT
        for column in columns:
            for i, line in enumerate(column.header):
                if column.right:
                    page.text(x + column.width - 1, page.y + 3 + i * 3.8, line, BOLD,
                              TABLE_SIZE, "right")
                else:
                    page.text(x + 1, page.y + 3 + i * 3.8, line, BOLD, TABLE_SIZE)
            x += column.width
        page.y += header_height
        page.line(LEFT, page.y - 1.2, RIGHT, page.y - 1.2, 0.5)

    page.y += 2.0
    page.ensure(header_height + ROW_PITCH * 2)
    header()
    for row in data.documents:
        cells = [_wrap_chars(row.number, columns[0].width - 2)]
        cells += [[getattr(row, c.key)] for c in columns[1:]]
        height = max(len(c) for c in cells) * ROW_PITCH
        if page.ensure(height):
            header()
        x = LEFT
        for column, lines in zip(columns, cells, strict=True):
            for i, line in enumerate(lines):
                if column.right:
                    page.text(x + column.width - 1, page.y + 3 + i * ROW_PITCH, line,
                              size=TABLE_SIZE, align="right")
                else:
                    page.text(x + 1, page.y + 3 + i * ROW_PITCH, line, size=TABLE_SIZE)
            x += column.width
        page.y += height
    page.line(LEFT, page.y + 0.3, RIGHT, page.y + 0.3, 0.5)
    page.y += 3.0


def _payment_lines(data: LetterData) -> list[tuple[str, str, str]]:
    """``(label, value, font)`` of the totals, the deadline and the account."""
    lines = [(t.label, t.amount, BOLD if t.bold else FONT) for t in data.totals]
    if data.deadline is not None:
        lines.append((data.labels.deadline, day_text(data.deadline), BOLD))
    if data.sender_account.strip() and data.needs_account:
        lines.append((data.labels.account, data.sender_account, FONT))
    return lines


def _qr_side(symbol: QrSymbol) -> float:
    modules = symbol.size + 2 * symbol.QUIET_ZONE
    return min(max(QR_MIN_SIDE, modules * QR_MODULE), QR_MAX_SIDE)


def _payment(page: _Page) -> None:
    data = page.data
    lines = _payment_lines(data)
    code = data.payment_code
    symbol = qr_symbol(code.payload, code.kind) if code is not None else None
    side = _qr_side(symbol) if symbol is not None else 0.0
    caption = (_wrap_words(data.labels.qr_caption, side, FONT, 7.0)
               if symbol is not None else [])
    pitch = 5.0
    height = max(len(lines) * pitch, side + len(caption) * 3.0)
    if not lines and symbol is None:
        return
    page.ensure(height + 2)
    if symbol is not None:
        for fold in FOLD_MARKS:  # a crease through the code can make it unreadable
            if page.y < fold + 1 and page.y + side > fold - 1:
                page.y = fold + 2.0
        page.ensure(height + 2)
    top = page.y
    value_right = _payment_value_right(lines, side)
    for i, (label, value, font) in enumerate(lines):
        y = top + 4 + i * pitch
        page.text(LEFT, y, f"{label}:", font)
        page.text(value_right, y, value, font, align="right")
    if symbol is not None:
        _draw_qr(page, symbol, RIGHT - side, top, side)
        for i, line in enumerate(caption):
            page.c.setFont(FONT, 7.0)
            page.c.drawCentredString((RIGHT - side / 2) * mm,
                                     PAGE_HEIGHT - (top + side + 2.5 + i * 3.0) * mm, line)
    page.y = top + height + 4.0


def _payment_value_right(lines: list[tuple[str, str, str]], side: float) -> float:
    """Where the payment lines' values end: after the widest label, or as far right as
    the code leaves room for."""
    if not lines:
        return RIGHT
    label = max(_width(f"{label}:", font) for label, _, font in lines)
    value = max(_width(value, font) for _, value, font in lines)
    limit = RIGHT - (side + QR_GAP if side else 0.0)
    return min(LEFT + label + 6.0 + value, limit)


def _draw_qr(page: _Page, symbol: QrSymbol, x: float, y: float, side: float) -> None:
    """The symbol in a white square of ``side`` mm whose top-left corner is (x, y),
    four light modules of quiet zone on every side; one rectangle per dark run."""
    c = page.c
    module = side / (symbol.size + 2 * symbol.QUIET_ZONE) * mm
    left = x * mm + symbol.QUIET_ZONE * module
    top = PAGE_HEIGHT - y * mm - symbol.QUIET_ZONE * module
    c.setFillGray(1)
    c.rect(x * mm, PAGE_HEIGHT - (y + side) * mm, side * mm, side * mm, stroke=0, fill=1)
    c.setFillGray(0)
    # In module units from the symbol's top-left corner, y downwards: every rectangle is
    # four small integers (shorter to write, and the path is exact).
    c.saveState()
    c.transform(module, 0, 0, -module, left, top)
    path = c.beginPath()
    for row, col, length in symbol.dark_runs():
        path.rect(col, row, length, 1)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def draw_letter(canvas: Canvas, data: LetterData) -> int:
    """Draw one letter from a fresh page of ``canvas`` on; returns its page count. The
    caller has checked it (:func:`check_letter`); the last page is left open."""
    register_fonts()
    page = _Page(canvas, data)
    page.marks()
    page.letterhead()
    page.window()
    page.dateline()
    page.body()
    _table(page)
    _payment(page)
    page.closing()
    return page.pages


def render_letters(pages: Iterable[LetterData], path: Path, *, duplex: bool) -> int:
    """Write ``pages`` (letters, in order) into one A4 PDF at ``path``; returns the
    number of pages written.

    Each letter is checked (:func:`check_letter`) just before it is drawn; the first
    that fails raises :class:`LetterRefused` naming it and its fields. With ``duplex``
    every letter starts on an odd page (a front side): a blank page follows a letter
    of an odd page count when another letter comes after it. The PDF is built in a
    temporary file in ``path``'s folder and renamed over ``path`` only when complete
    (after an fsync), so ``path`` is never half written, and on any failure the
    temporary file is removed and an existing ``path`` stays as it was. No letters:
    ``ValueError``.
    """
    register_fonts()
    total = 0

    def write(temporary: str) -> None:
        nonlocal total
        canvas = Canvas(temporary, pagesize=A4, invariant=1)
        canvas.setCreator("Windykacja")
        for index, data in enumerate(pages, 1):
            problems = check_letter(data)
            if problems:
                raise LetterRefused(index, data.recipient_name, problems)
            if total:
                canvas.showPage()
                if duplex and total % 2:
                    canvas.showPage()  # the blank back of the previous letter's last sheet
                    total += 1
            total += draw_letter(canvas, data)
        if not total:
            raise ValueError("pages: no letters to print")
        canvas.showPage()
        canvas.save()

    write_atomically(Path(path), write)
    return total
