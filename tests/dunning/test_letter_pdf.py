"""Paper letters as one PDF (``dunning.letter_pdf``), read back the way a person and a
bank would: the text with pypdf (names, document numbers, every figure as given), the
page as an image with pypdfium2 and the payment code on it with zxing-cpp (exactly the
payload), the address's position against the envelope's window, the duplex padding,
the refusals before printing, and that a failure never leaves a file behind.

``python tests/dunning/test_letter_pdf.py docs/letter-pl.png`` writes the README's
picture of a sample Polish letter (made-up data).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.resources
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from windykacja.dunning.letter_pdf import (
    BOLD,
    FONT,
    DocumentLine,
    LetterData,
    LetterLabels,
    LetterRefused,
    PaymentCode,
    TotalLine,
    check_letter,
    document_lines,
    missing_glyphs,
    name_lines,
    register_fonts,
    render_letters,
)
from windykacja.dunning.payment_codes import epc_payload, title_for_documents, zbp_payload
from windykacja.dunning.template_data import sample_context

TODAY = dt.date(2026, 11, 23)
NIP = "6762451230"
ACCOUNT = "PL61 1090 1014 0000 0712 1981 2874"
NRB = "61109010140000071219812874"
POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
PT_PER_MM = mm  # points in a millimetre
PAGE_HEIGHT_MM = 297.0
WINDOW = (25.0, 62.7, 100.0, 90.0)  # mm from the top-left: left, top, right, bottom

PL = LetterLabels(
    nip="NIP", account="Rachunek bankowy", document="Nr dokumentu",
    issue_date="Data wystawienia", due_date="Termin płatności", outstanding="Do zapłaty",
    interest="Odsetki", compensation="Rekompensata", deadline="Termin zapłaty",
    page="Strona", qr_caption="Zeskanuj w aplikacji banku")
EN = LetterLabels(
    nip="Tax ID", account="Bank account", document="Document", issue_date="Issued",
    due_date="Due", outstanding="Outstanding", interest="Interest",
    compensation="Compensation", deadline="Pay by", page="Page",
    qr_caption="Scan in your banking app")


def demand_rows(count: int = 0) -> tuple[DocumentLine, ...]:
    """The sample demand's documents (template_data: the same claim as the e-mail's),
    then ``count`` more made-up ones."""
    rows = document_lines(sample_context("demand", TODAY)["documents"], "pl")
    more = tuple(
        DocumentLine(f"FV/{200 + i}/2026", "01.10.2026", "31.10.2026",
                     f"{1000 + i} {100 + i:03d},{i % 100:02d} PLN", f"{i},{i % 100:02d} PLN")
        for i in range(count))
    return rows + more


def letter(name: str = "Przedsiębiorstwo Handlowo-Usługowe „Żuraw” Grzegorz Żółkiewski",
           documents: tuple[DocumentLine, ...] | None = None, **changes) -> LetterData:
    documents = demand_rows() if documents is None else documents
    numbers = [d.number for d in documents]
    data = LetterData(
        sender_name="Zakład Usług Księgowych „Rachmistrz” Sp. z o.o.",
        sender_address=("ul. Źródlana 7/12", "90-001 Łódź"),
        sender_nip="676-245-12-30", sender_account=ACCOUNT,
        place="Łódź", date=TODAY,
        recipient_name=name,
        recipient_address=("ul. Świętokrzyska 18 m. 5", "00-052 Warszawa"),
        title="Ostateczne przedsądowe wezwanie do zapłaty",
        paragraphs=(
            "Na podstawie art. 476 Kodeksu cywilnego oraz ustawy z dnia 8 marca 2013 r. "
            "o przeciwdziałaniu nadmiernym opóźnieniom w transakcjach handlowych (Dz.U. "
            "2023 poz. 1790 – t.j.) wzywamy do zapłaty kwoty 3 493,35 PLN w terminie "
            "7 dni od dnia doręczenia niniejszego wezwania.",
            "Kwota obejmuje należność główną, odsetki & rekompensatę <40 EUR> (§ 1); "
            "<b>to nie znacznik</b>, &amp; to nie encja.",
        ),
        labels=PL, documents=documents,
        totals=(TotalLine("Należność główna", "1 694,56 PLN"),
                TotalLine("Odsetki do 23.11.2026", "8,39 PLN"),
                TotalLine("Razem do zapłaty", "1 702,95 PLN", bold=True)),
        deadline=dt.date(2026, 11, 30),
        payment_code=PaymentCode("zbp", zbp_payload(
            NIP, ACCOUNT, Decimal("1702.95"), "Rachmistrz Sp. z o.o.",
            title_for_documents(numbers))),
        closing=("Brak zapłaty w wyznaczonym terminie spowoduje skierowanie sprawy na "
                 "drogę postępowania sądowego.",),
        signature=("Z poważaniem", "", "", "Anna Kowalska"),
        notes=("Przesyłka polecona za potwierdzeniem odbioru",),
    )
    return dataclasses.replace(data, **changes)


def words(text: str) -> str:
    """Extracted text with every run of white space as one space (lines break anywhere)."""
    return " ".join(text.split())


def page_texts(path: Path) -> list[str]:
    return [words(page.extract_text()) for page in PdfReader(path).pages]


def figures(data: LetterData) -> list[str]:
    """Every number, figure and date the letter states, as given."""
    cells = [getattr(row, f.name) for row in data.documents
             for f in dataclasses.fields(row)]
    return [c for c in cells if c] + [t.amount for t in data.totals] + [
        "30.11.2026", "23.11.2026", data.sender_account]


def decode_codes(path: Path, page: int, dpi: int = 200) -> list[zxingcpp.Barcode]:
    document = pdfium.PdfDocument(path)
    try:
        image = document[page].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


# --- the font --------------------------------------------------------------------------


def test_font_is_shipped_with_its_licence_and_every_polish_letter() -> None:
    folder = importlib.resources.files("windykacja.dunning") / "fonts"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"):
        assert (folder / name).is_file(), name
    licence = (folder / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence and "Arev" in licence
    register_fonts()
    for font in (FONT, BOLD):
        face = pdfmetrics.getFont(font).face
        # Loaded from the package, never from the machine's fonts.
        assert Path(face.filename).parent == Path(str(folder))
        for ch in POLISH + "–„”§€":
            assert ord(ch) in face.charToGlyph, (font, ch)
    assert missing_glyphs(POLISH + "–„”§€ —…") == []
    assert missing_glyphs("Zażółć 中") == ["中"]


# --- a batch of letters read back ----------------------------------------------------------


@pytest.fixture
def batch(tmp_path: Path) -> tuple[Path, list[LetterData]]:
    letters = [
        letter(documents=demand_rows(45)),  # two pages: the table goes on
        letter("Jan Kowalski", documents=demand_rows()[:1]),
        letter("Müller & Söhne GmbH", labels=EN,
               recipient_address=("Hauptstraße 5", "10115 Berlin", "Niemcy"),
               documents=(DocumentLine("INV-7/2026", "01.10.2026", "31.10.2026",
                                       "350,00 EUR", "0,67 EUR"),),
               totals=(TotalLine("Total", "350,67 EUR", bold=True),),
               payment_code=PaymentCode("epc", epc_payload(
                   "Zakład Usług Księgowych Rachmistrz", ACCOUNT, Decimal("350.67"),
                   "Wezwanie do zapłaty INV-7/2026 – Müller"))),
    ]
    path = tmp_path / "letters.pdf"
    assert render_letters(letters, path, duplex=True) == 5
    return path, letters


def test_every_letter_states_its_names_numbers_and_figures(batch) -> None:
    path, letters = batch
    texts = page_texts(path)
    # Letter 1 on pages 1-2, letter 2 on page 3, a blank back, letter 3 on page 5.
    pages = {0: texts[0] + " " + texts[1], 1: texts[2], 2: texts[4]}
    assert texts[3] == ""
    for index, data in enumerate(letters):
        text = pages[index]
        assert words(data.recipient_name) in text
        for line in data.recipient_address:
            assert line in text
        for row in data.documents:
            assert row.number in text
        for figure in figures(data):
            assert figure in text, (index, figure)
        assert words(data.paragraphs[0]) in text
        # Escaped for reportlab's markup, printed as written.
        assert ("odsetki & rekompensatę <40 EUR> (§ 1); <b>to nie znacznik</b>, &amp; to "
                "nie encja.") in text
    # Letters never share a page: the others' names are not on it.
    assert "Jan Kowalski" not in pages[0] and "Müller" not in pages[1]


def test_figures_are_the_e_mail_s(batch) -> None:
    # document_lines writes the demand's amounts as the e-mail's money filter does.
    docs = sample_context("demand", TODAY)["documents"]
    rows = document_lines(docs, "pl")
    assert [r.outstanding for r in rows] == ["1 234,56 PLN", "460,00 PLN", "350,00 EUR"]
    assert [r.interest for r in rows] == ["6,63 PLN", "1,76 PLN", "0,67 EUR"]
    assert rows[0].issue_date == "14.10.2026" and rows[0].due_date == "09.11.2026"
    english = document_lines(docs, "en")
    assert english[0].outstanding == "1,234.56 PLN"
    missing = dict(docs[0], interest=None, interest_missing=True)
    assert document_lines([missing], "pl", unknown="brak kursu")[0].interest == "brak kursu"


def test_long_table_continues_with_its_header(batch) -> None:
    path, _ = batch
    second = page_texts(path)[1]
    assert "Strona 2" in second
    assert "Nr dokumentu" in second and "Do zapłaty" in second
    assert "FV/244/2026" in second  # the last row
    assert "Zeskanuj w aplikacji banku" in second  # the code follows the table


def test_without_duplex_no_blank_page(tmp_path: Path, batch) -> None:
    _, letters = batch
    path = tmp_path / "simplex.pdf"
    assert render_letters(letters, path, duplex=False) == 4
    assert len(PdfReader(path).pages) == 4
    assert all(page_texts(path))


def test_odd_letters_are_padded_only_between_letters(tmp_path: Path) -> None:
    path = tmp_path / "three.pdf"
    # 1 + blank + 1 + blank + 1: each starts on a front side; nothing after the last.
    assert render_letters([letter(), letter(), letter()], path, duplex=True) == 5
    assert [bool(t) for t in page_texts(path)] == [True, False, True, False, True]


def test_payment_codes_decode_to_exactly_the_payload(batch) -> None:
    path, letters = batch
    for page, data in ((1, letters[0]), (2, letters[1]), (4, letters[2])):
        found = decode_codes(path, page)
        assert len(found) == 1, page
        assert data.payment_code is not None
        assert found[0].bytes == data.payment_code.payload.encode("utf-8")
        assert found[0].ec_level == {"zbp": "L", "epc": "M"}[data.payment_code.kind]
    zbp = decode_codes(path, 2)[0].text.split("|")
    assert zbp[:6] == [NIP, "PL", NRB, "170295", "Rachmistrz Sp. z o.o", "FV/101/2026"]
    epc = decode_codes(path, 4)[0].text.split("\n")
    assert epc[6:8] == ["PL" + NRB, "EUR350.67"]
    assert epc[10] == "Wezwanie do zapłaty INV-7/2026 Müller"


def test_the_code_never_lies_across_a_fold(tmp_path: Path) -> None:
    # The payment block moves down as the text above it grows; the code jumps below a
    # fold rather than being creased.
    for count in range(0, 9):
        data = letter(paragraphs=("Zażółć gęślą jaźń. " * 22,) * count)
        path = tmp_path / f"fold{count}.pdf"
        render_letters([data], path, duplex=False)
        pages = len(PdfReader(path).pages)
        found = [(p, b) for p in range(pages) for b in decode_codes(path, p, dpi=150)]
        assert len(found) == 1, count
        position = found[0][1].position
        ys = [position.top_left.y, position.top_right.y, position.bottom_left.y,
              position.bottom_right.y]
        top, bottom = (y / 150 * 25.4 for y in (min(ys), max(ys)))
        for fold in (105.0, 210.0):
            assert not top < fold < bottom, (count, top, bottom)


def test_the_address_lies_in_the_window(tmp_path: Path) -> None:
    name = "Przedsiębiorstwo Produkcyjno-Handlowo-Usługowe „Transbud-Żerań” sp. z o.o."
    assert len(name_lines(name)) == 3
    data = letter(name, recipient_address=("ul. Grzybowska 80/82 lok. 12",
                                           "skr. poczt. 45", "00-844 Warszawa"))
    assert check_letter(data) == []
    path = tmp_path / "window.pdf"
    render_letters([data], path, duplex=False)
    wanted = [*name_lines(name), *data.recipient_address]
    placed: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        placed.setdefault(text.strip(), (x / PT_PER_MM, PAGE_HEIGHT_MM - y / PT_PER_MM))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    for line in wanted:
        x, baseline = placed[line]
        width = pdfmetrics.stringWidth(line, FONT, 10) / PT_PER_MM
        top, bottom = baseline - 0.93 * 10 / PT_PER_MM, baseline + 0.24 * 10 / PT_PER_MM
        # The part of the page every position of a folded sheet in a DL window shows,
        # below the return address (docs/letters.md §6): x 25-100 mm, y 62.7-90 mm.
        assert x >= WINDOW[0] - 0.01 and x + width <= WINDOW[2], (line, x, width)
        assert WINDOW[1] - 0.01 <= top and bottom <= WINDOW[3], (line, top, bottom)
    # Order: the name's lines, then the address.
    baselines = [placed[line][1] for line in wanted]
    assert baselines == sorted(baselines)


# --- refusals --------------------------------------------------------------------------


def problems(data: LetterData) -> dict[str, str]:
    found: dict[str, str] = {}
    for problem in check_letter(data):
        found[problem.field] = f"{found.get(problem.field, '')} {problem.reason}".strip()
    return found


def test_a_good_letter_has_no_problems() -> None:
    assert check_letter(letter()) == []
    # No payment code and no transfer asked for: no account needed.
    assert check_letter(letter(payment_code=None, needs_account=False,
                               sender_account="")) == []


@pytest.mark.parametrize(("changes", "field", "words_"), [
    ({"recipient_address": ("a", "b", "c", "d", "e", "f")}, "recipient_address",
     "take 8 lines"),
    ({"recipient_address": ("ul. Konstantego Ildefonsa Gałczyńskiego 123/456 lok. 7",
                            "00-001 Warszawa")}, "recipient_address[1]", "mm wide"),
    ({"recipient_address": ()}, "recipient_address", "missing"),
    ({"recipient_address": ("  ",)}, "recipient_address", "missing"),
    ({"recipient_name": "Ż" * 300}, "recipient_name", "300 characters"),
    ({"recipient_name": "Spółka " * 17}, "recipient_name", "lines"),
    ({"recipient_name": "Ż" * 50}, "recipient_name", "wide"),
    ({"recipient_name": ""}, "recipient_name", "missing"),
    ({"sender_account": ""}, "sender_account", "payment code"),
    ({"sender_account": "", "payment_code": None}, "sender_account", "transfer"),
    ({"sender_account": "PL62 1090 1014 0000 0712 1981 2874"}, "sender_account",
     "check digits"),
    ({"title": "Wezwanie ✈ 中"}, "title", "U+4E2D"),
    ({"closing": ("ok", "Zapłać 中")}, "closing[2]", "font has no"),
    ({"documents": (DocumentLine("FV/中", "", "", "1,00 PLN"),)}, "documents[1].number",
     "font has no"),
    ({"notes": ("a", "b", "c")}, "notes", "at most 2"),
    ({"sender_address": ("ul. " + "Długa " * 30,)}, "sender_address", "window"),
    ({"payment_code": PaymentCode("zbp", "x" * 200)}, "payment_code", "160"),
    # The code must pay to the account the letter prints.
    ({"sender_account": "PL27 1140 2004 0000 3002 0135 5387"}, "payment_code",
     "another account"),
    ({"payment_code": PaymentCode("epc", epc_payload(
        "A", "DE89370400440532013000", Decimal("1"), "x"))}, "payment_code",
     "another account"),
    ({"title": " "}, "title", "missing"),
])
def test_bad_letters_are_refused_naming_the_field(changes, field: str, words_: str) -> None:
    found = problems(letter(**changes))
    assert field in found, found
    assert words_ in found[field]


def test_name_limit_is_poczta_polska_s() -> None:
    reason = problems(letter("Firma " * 50))["recipient_name"]
    assert "at most 120" in reason and "Poczta Polska" in reason


def test_render_refuses_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "out.pdf"
    bad = letter(recipient_address=())
    with pytest.raises(LetterRefused) as refused:
        render_letters([letter(), bad], path, duplex=True)
    assert refused.value.index == 2
    assert "recipient_address: missing" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_no_partial_file_after_a_failure_midway(tmp_path: Path) -> None:
    path = tmp_path / "day.pdf"
    path.write_bytes(b"yesterday's letters")

    def letters() -> Iterator[LetterData]:
        yield letter()
        yield letter("Jan Kowalski")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        render_letters(letters(), path, duplex=True)
    assert sorted(tmp_path.iterdir()) == [path]
    assert path.read_bytes() == b"yesterday's letters"
    with pytest.raises(ValueError, match="no letters"):
        render_letters([], path, duplex=True)
    assert sorted(tmp_path.iterdir()) == [path]
    # And a good run replaces it whole.
    assert render_letters([letter()], path, duplex=True) == 1
    assert sorted(tmp_path.iterdir()) == [path]
    assert PdfReader(path).pages[0].extract_text()


# --- the README's picture ------------------------------------------------------------------


def readme_letter() -> LetterData:
    """The README's letter as the program prints it: the sample demand (template_data's
    sample, made-up company and debtor) through the shipped Polish letter templates and
    ``letters.compose_letter``, as the final demand with the registry warning."""
    import dataclasses

    from windykacja.dunning.letters import compose_letter
    from windykacja.dunning.render import render_letter
    from windykacja.dunning.template_data import letter_context, registry_view
    from windykacja.ledger.settings import CollectionSettings

    base = sample_context("demand", TODAY)
    contractor = {**base["contractor"], "address": "ul. Marszałkowska 1\n00-624 Warszawa"}
    base = {**base, "contractor": contractor, "totals": [base["totals"][0]],
            "documents": [d for d in base["documents"] if d["currency"] == "PLN"]}
    registry = registry_view("Krajowy Rejestr Długów Biuro Informacji Gospodarczej S.A.",
                             "ul. Danuty Siedzikówny 12, 51-214 Wrocław", "business")
    context = letter_context("letter_registry", base, final=True, registry=registry)
    settings = dataclasses.replace(
        CollectionSettings(), company_name=base["sender"]["company_name"],
        company_address=base["sender"]["company_address"], company_nip=NIP,
        company_bank_account=ACCOUNT)
    rendered = render_letter("letter_registry", "pl", context)
    return compose_letter(settings, context, rendered, "pl")


def test_readme_letter_is_printable() -> None:
    assert check_letter(readme_letter()) == []


def write_sample_png(target: Path) -> None:
    """Page 1 of the sample Polish demand as PNG, 110 dpi."""
    pdf = target.with_suffix(".pdf")
    render_letters([readme_letter()], pdf, duplex=False)
    document = pdfium.PdfDocument(pdf)
    try:
        document[0].render(scale=110 / 72, grayscale=True).to_pil().save(target, optimize=True)
    finally:
        document.close()
        pdf.unlink()


if __name__ == "__main__":
    write_sample_png(Path(sys.argv[1]))
