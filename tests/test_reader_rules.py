"""The reader rules themselves (tests/reader_rules.py), and the screens' snapshots held to
them: every Polish screenshot of tests/tui/__snapshots__ is read as a person reads it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reader_rules import polish_form, problems, screen_lines_of_svg

SNAPSHOTS = Path(__file__).parent / "tui" / "__snapshots__"


def screen_lines(svg: Path) -> list[str]:
    return screen_lines_of_svg(svg.read_text(encoding="utf-8"))


POLISH_SNAPSHOTS = sorted(p for p in SNAPSHOTS.rglob("*.svg") if re.search(r"[\[-]pl\]", p.name))


def test_there_are_polish_snapshots_to_read():
    assert len(POLISH_SNAPSHOTS) >= 10


@pytest.mark.parametrize("svg", POLISH_SNAPSHOTS, ids=lambda p: p.stem)
def test_a_polish_screen_breaks_no_rule(svg):
    found = [f"{line.strip()!r}: {problem}" for line in screen_lines(svg)
             for problem in problems(line, "pl")]
    assert found == []


@pytest.mark.parametrize("svg", sorted(p for p in SNAPSHOTS.rglob("*.svg")
                                       if re.search(r"[\[-]en\]", p.name)), ids=lambda p: p.stem)
def test_an_english_screen_breaks_no_rule(svg):
    found = [f"{line.strip()!r}: {problem}" for line in screen_lines(svg)
             for problem in problems(line, "en")]
    assert found == []


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Next: flag_off for max_demands", "en", ["internal code 'flag_off'",
                                             "internal code 'max_demands'"]),
    ("1 days late", "en", ["plural: '1 days'"]),
    ("11 days late, 21 days", "en", []),
    ("wysłano 5 dokumenty", "pl", ["plural: '5 dokumenty' should be '5 dokumentów'"]),
    ("2 dokumenty, 12 dokumentów, 22 dokumenty, 1 dokument, 1 dzień, 3 dni", "pl", []),
    ("stawka 4.2000 %", "pl", ["decimal point in Polish text: '4.2000'"]),
    ("razem 3 743.24 PLN", "pl", ["decimal point in Polish text: '3 743.24 PLN'"]),
    ("termin 10.11.2026, przypomnienie 12.11", "pl", []),
    ("amount outstanding 717,02 PLN, total 1 234,56 EUR", "en",
     ["decimal comma in English text: '717,02 PLN'",
      "decimal comma in English text: '1 234,56 EUR'"]),
    ("amount outstanding 717.02 PLN, total 1,234.56 EUR", "en", []),
    ("issued 2026-11-03, due 2026-11-10", "pl", ["English word 'due' in Polish text",
                                               "English word 'issued' in Polish text"]),
    ("plik /tmp/x_y/a_b.csv, adres jan_kowalski@firma.pl, klucz demand.min_amount", "pl", []),
])
def test_the_rules_catch_what_leaked_once(text, language, expected):
    assert problems(text, language) == expected


def test_a_missing_figure_printed_as_zero_is_caught():
    assert problems("odsetki 0,00 PLN", "pl", missing_figures=("odsetki",)) == [
        "odsetki printed as zero although it could not be computed"]
    assert problems("odsetki: od dnia 11.11.2026 do dnia zapłaty", "pl",
                    missing_figures=("odsetki",)) == []


def test_polish_plural_forms():
    assert [polish_form(n) for n in (1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 102, 112)] == [
        0, 1, 1, 2, 2, 2, 2, 2, 1, 2, 1, 2]
