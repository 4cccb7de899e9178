"""Where a document came from (issue 14, point 3) from the command line: ``history`` starts
with it and ``export activity --kind document_arrived`` lists it, in the reader's words, for
documents brought by ``import documents`` and ``import ksef``. A real database file."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from windykacja.app import main

DATA = Path(__file__).parent.parent / "importers" / "data"
CONTRACTORS = "code;name;email\nK1;Alfa sp. z o.o.;biuro@alfa.pl\n"
DOCUMENTS = ("number;contractor_code;issue_date;due_date;gross\n"
             "FV/1;K1;2026-11-02;2026-11-16;1000,00\n")


@pytest.fixture
def imported(db_location, tmp_path, monkeypatch, capsys):
    """A database with FV/1 from a documents CSV file and the FA(3) sample from KSeF XML,
    both imported by ``ksiegowa``; returns ``run(*args) -> stdout`` and the two files."""
    monkeypatch.setenv("WINDYKACJA_USER", "ksiegowa")
    location = db_location("origin.db")
    contractors, documents = tmp_path / "kontrahenci.csv", tmp_path / "faktury.csv"
    contractors.write_text(CONTRACTORS, encoding="utf-8")
    documents.write_text(DOCUMENTS, encoding="utf-8")
    invoice = tmp_path / "fa3.xml"
    shutil.copy(DATA / "ksef_fa3_sample.xml", invoice)

    def run(*args: str) -> str:
        assert main(["--db", location, *args]) == 0
        return capsys.readouterr().out

    run("settings", "set", "company.nip=5220715471")
    run("import", "contractors", str(contractors))
    run("import", "documents", str(documents))
    run("import", "ksef", str(invoice))
    return run, documents, invoice


@pytest.mark.parametrize(("language", "kind", "csv_text", "xml_text"), [
    ("pl", "dodano dokument", "z pliku {documents}, wiersz 2", "z pliku {invoice}"),
    ("en", "document added", "from the file {documents}, line 2", "from the file {invoice}"),
])
def test_history_starts_with_where_the_document_came_from(imported, language, kind,
                                                          csv_text, xml_text):
    run, documents, invoice = imported
    for number, text in (("FV/1", csv_text), ("FV/2026/02/017", xml_text)):
        lines = run("--lang", language, "history", number).splitlines()
        heading = next(i for i, line in enumerate(lines)
                       if line.startswith(("Timeline (", "Historia (")))
        first = lines[heading + 1]
        expected = text.format(documents=documents, invoice=invoice)
        assert re.search(rf"  {kind} +{re.escape(expected)}  — ksiegowa$", first), first


def test_export_activity_lists_the_arrivals_in_words(imported, tmp_path):
    run, documents, invoice = imported
    export = tmp_path / "skad.csv"
    run("export", "activity", str(export), "--kind", "document_arrived")
    with export.open(encoding="utf-8-sig") as handle:
        rows = [(r["document"], r["event"], r["description"], r["author"])
                for r in csv.DictReader(handle)]
    assert rows == [
        ("FV/1", "document added", f"from the file {documents}, line 2", "ksiegowa"),
        ("FV/2026/02/017", "document added", f"from the file {invoice}", "ksiegowa"),
    ]
