"""The post office's dispatch book (*książka nadawcza*) of a print job, as PDF and CSV.

Poczta Polska takes registered letters against a list of them, which its clerk stamps
and signs as the sender's proof of posting (docs/registry.md §9.1). One row per
registered letter of the batch: its number in the book, the recipient, the address,
the registered number (filled by hand from the label at the counter, or printed when
known), our letter number (to confirm the posting with) and the documents it demands.

The book is in Polish whatever the interface's language: it is a form for the Polish
post office. The CSV carries the same columns (UTF-8 with a byte-order mark and ``;``
separators, which is what a Polish spreadsheet opens without asking) for the user's
own records or the post office's e-Nadawca import done by hand.

Both files are written to a temporary file and renamed into place, like the letters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from .atomic_file import write_atomically
from .letter_pdf import BOLD, FONT, day_text, register_fonts


@dataclass(frozen=True)
class BookRow:
    letter: int  # the letter's (message's) number, to confirm its posting with
    recipient: str
    address: tuple[str, ...]
    registered_number: str  # "" : written at the counter from the label
    documents: tuple[str, ...]


HEADERS = ("Lp.", "Adresat", "Adres", "Numer nadawczy", "List nr", "Dokumenty")
TITLE = "Książka nadawcza — przesyłki polecone"
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 15.0  # mm
# mm: Lp., Adresat, Adres, Numer nadawczy, List nr, Dokumenty (267 mm in all)
WIDTHS = (12.0, 62.0, 70.0, 48.0, 17.0, 58.0)
SIZE = 8.5  # pt
PITCH = 3.8  # mm a line
ROW_GAP = 2.0  # mm between rows


def book_csv(rows: Sequence[BookRow], day: dt.date) -> str:
    """The book as CSV text: the columns of the PDF and the date of the batch."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow((*HEADERS, "Data"))
    for index, row in enumerate(rows, 1):
        writer.writerow((index, row.recipient, ", ".join(row.address), row.registered_number,
                         row.letter, ", ".join(row.documents), day.isoformat()))
    return "\ufeff" + out.getvalue()


def write_book_csv(rows: Sequence[BookRow], day: dt.date, path: Path) -> None:
    text = book_csv(rows, day)

    def write(temporary: str) -> None:
        Path(temporary).write_text(text, encoding="utf-8", newline="")

    write_atomically(path, write)


def _cells(row: BookRow, index: int) -> list[list[str]]:
    texts = (str(index), row.recipient, "\n".join(row.address), row.registered_number,
             str(row.letter), ", ".join(row.documents))
    cells = []
    for text, width in zip(texts, WIDTHS, strict=True):
        lines: list[str] = []
        for part in text.split("\n"):
            lines += simpleSplit(part, FONT, SIZE, (width - 2) * mm) or [""]
        cells.append(lines)
    return cells


class _Book:
    def __init__(self, canvas: Canvas, sender: Sequence[str], day: dt.date, count: int):
        self.canvas, self.sender, self.day, self.count = canvas, sender, day, count
        self.page = 0
        self.y = 0.0

    def at(self, y: float) -> float:
        return PAGE_HEIGHT - y * mm

    def start_page(self) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        c = self.canvas
        c.setFont(BOLD, 12)
        c.drawString(MARGIN * mm, self.at(MARGIN + 4), TITLE)
        c.setFont(FONT, 9)
        c.drawRightString((PAGE_WIDTH / mm - MARGIN) * mm, self.at(MARGIN + 4),
                          f"Data: {day_text(self.day)}   Strona {self.page}")
        c.drawString(MARGIN * mm, self.at(MARGIN + 9), "Nadawca: " + ", ".join(self.sender))
        self.y = MARGIN + 16
        self.header()

    def header(self) -> None:
        c, x = self.canvas, MARGIN
        c.setFont(BOLD, SIZE)
        for text, width in zip(HEADERS, WIDTHS, strict=True):
            c.drawString((x + 1) * mm, self.at(self.y), text)
            x += width
        self.y += 1.5
        self.rule()
        self.y += PITCH

    def rule(self) -> None:
        self.canvas.setLineWidth(0.4)
        self.canvas.line(MARGIN * mm, self.at(self.y), (MARGIN + sum(WIDTHS)) * mm,
                         self.at(self.y))

    def row(self, row: BookRow, index: int) -> None:
        cells = _cells(row, index)
        height = max(len(lines) for lines in cells) * PITCH
        if self.y + height > PAGE_HEIGHT / mm - MARGIN - 20:
            self.start_page()
        c, x = self.canvas, MARGIN
        c.setFont(FONT, SIZE)
        for lines, width in zip(cells, WIDTHS, strict=True):
            for n, line in enumerate(lines):
                c.drawString((x + 1) * mm, self.at(self.y + n * PITCH), line)
            x += width
        self.y += height - PITCH + ROW_GAP / 2
        self.rule()
        self.y += PITCH + ROW_GAP / 2

    def footer(self) -> None:
        c = self.canvas
        y = max(self.y + 6, PAGE_HEIGHT / mm - MARGIN - 14)
        c.setFont(FONT, 9)
        c.drawString(MARGIN * mm, self.at(y), f"Razem przesyłek: {self.count}")
        y += 10
        c.drawString(MARGIN * mm, self.at(y), "Podpis nadawcy: ........................")
        c.drawRightString((PAGE_WIDTH / mm - MARGIN) * mm, self.at(y),
                          "Przyjęto (podpis i datownik placówki): ........................")


def write_book_pdf(rows: Sequence[BookRow], sender: Sequence[str], day: dt.date,
                   path: Path) -> int:
    """The book as an A4 landscape PDF at ``path``; returns its page count."""
    register_fonts()
    pages = 0

    def write(temporary: str) -> None:
        nonlocal pages
        canvas = Canvas(temporary, pagesize=landscape(A4), invariant=1)
        canvas.setCreator("Windykacja")
        book = _Book(canvas, sender, day, len(rows))
        book.start_page()
        for index, row in enumerate(rows, 1):
            book.row(row, index)
        book.footer()
        canvas.showPage()
        canvas.save()
        pages = book.page

    write_atomically(path, write)
    return pages
