"""Reading CSV files: encodings, delimiters, headers, line numbers, value parsers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.importers.csv_common import (
    FileSpec,
    ImportRejected,
    ImportSummary,
    Row,
    RowError,
    decode_text,
    parse_bool,
    parse_choice,
    parse_currency,
    parse_date,
    parse_positive_amount,
    parse_rate,
    read_rows,
    run_import,
)
from windykacja.ledger.actions import create_contractor
from windykacja.models import Contractor

SPEC = FileSpec.parse("code, name, [city]")


def cells(row: Row) -> dict[str, str]:
    return dict(row.cells)


def where(exc: pytest.ExceptionInfo[ImportRejected]) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in exc.value.errors]


# --- value parsers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-23", dt.date(2026, 11, 23)),
        ("23.11.2026", dt.date(2026, 11, 23)),
        (" 01.02.2026 ", dt.date(2026, 2, 1)),
        ("1.2.2026", dt.date(2026, 2, 1)),
    ],
)
def test_dates_in_both_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026/11/23", "23-11-2026", "11.2026", "jutro", "2026-1-5"])
def test_a_date_in_another_form_is_refused_with_the_forms(text):
    with pytest.raises(ValueError, match=r"use YYYY-MM-DD or DD\.MM\.YYYY"):
        parse_date(text)


def test_an_impossible_date_is_refused():
    with pytest.raises(ValueError, match="'31.02.2026' is not a calendar date"):
        parse_date("31.02.2026")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.56", Decimal("1234.56")),
        ("1234,56", Decimal("1234.56")),
        ("1 234,56", Decimal("1234.56")),
        ("1\u00a0234,5", Decimal("1234.50")),
        ("7", Decimal("7.00")),
    ],
)
def test_amounts(text, expected):
    assert parse_positive_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("0", "must be greater than zero"), ("-5,00", "must be greater than zero"),
     ("12,345", "is not an amount"), ("1 234,56 zł", "is not an amount")],
)
def test_bad_amounts(text, message):
    with pytest.raises(ValueError, match=message):
        parse_positive_amount(text)


def test_exchange_rates_take_six_places_and_a_comma():
    assert parse_rate("4,2954") == Decimal("4.2954")
    assert parse_rate("4.123456") == Decimal("4.123456")
    with pytest.raises(ValueError, match="up to 6 decimal places"):
        parse_rate("4.1234567")
    with pytest.raises(ValueError, match="greater than zero"):
        parse_rate("0,000")
    with pytest.raises(ValueError, match="not an exchange rate"):
        parse_rate("-4.2")


def test_currency_codes_are_three_letters_upper_cased():
    assert parse_currency(" eur ") == "EUR"
    for bad in ("ZŁ", "EURO", "E1R", "zł"):
        with pytest.raises(ValueError, match="not a currency code"):
            parse_currency(bad)


def test_booleans_and_choices():
    assert [parse_bool(t) for t in ("1", "yes", "TRUE", "Tak")] == [True] * 4
    assert [parse_bool(t) for t in ("0", "no", "false", "NIE")] == [False] * 4
    with pytest.raises(ValueError, match="is not yes/no"):
        parse_bool("może")
    assert parse_choice(("pl", "en"))(" EN ") == "en"
    with pytest.raises(ValueError, match="'de' is not one of: pl, en"):
        parse_choice(("pl", "en"))("de")


# --- errors, summaries and specs ---------------------------------------------------------


def test_errors_read_as_the_user_needs_them(tmp_path):
    errors = [RowError(7, "nip", "NIP '123' is not valid"), RowError(9, "", "2 values")]
    rejected = ImportRejected(tmp_path / "k.csv", errors)
    assert str(errors[0]) == "line 7, column nip: NIP '123' is not valid"
    assert str(errors[1]) == "line 9: 2 values"
    assert str(rejected).splitlines() == [
        f"{tmp_path / 'k.csv'}: nothing was imported, 2 problems:",
        "  line 7, column nip: NIP '123' is not valid",
        "  line 9: 2 values",
    ]
    assert ImportSummary(rows=5, created=2, updated=1).unchanged == 2


def test_a_spec_is_written_as_the_specification_writes_it():
    assert SPEC.columns == ("code", "name", "city")
    assert SPEC.required == ("code", "name")
    assert SPEC.describe() == "code, name, [city]"


# --- encodings ---------------------------------------------------------------------------


def test_utf8_with_and_without_bom_and_windows_1250():
    text = "code;name\nK1;Łódź ąćęłńóśźż\n"
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(text.encode("utf-8-sig")) == text
    assert decode_text(text.encode("cp1250")) == text


def test_a_bom_does_not_spoil_the_first_column_name(write_csv):
    path = write_csv("Code;Name\nK1;Łódź\n", encoding="utf-8-sig")
    assert read_rows(path, SPEC, cells) == [(2, {"code": "K1", "name": "Łódź"})]


def test_bytes_neither_encoding_reads_are_reported_with_their_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"code,name\nK1,Alfa\nK2,B\x98eta\n")
    with pytest.raises(ImportRejected) as exc:
        read_rows(path, SPEC, cells)
    assert exc.value.errors == [
        RowError(3, "", "the file is neither UTF-8 nor Windows-1250 (byte 0x98 cannot be read)")
    ]


def test_a_utf16_file_is_refused_with_advice(write_csv):
    path = write_csv("code,name\nK1,Alfa\n", encoding="utf-16")
    with pytest.raises(ImportRejected) as exc:
        read_rows(path, SPEC, cells)
    assert where(exc) == [(1, "")]
    assert "NUL bytes" in exc.value.errors[0].message


def test_a_missing_file_is_a_rejection_not_a_crash(tmp_path):
    with pytest.raises(ImportRejected) as exc:
        read_rows(tmp_path / "nope.csv", SPEC, cells)
    assert exc.value.errors[0].message.startswith("the file cannot be read")


# --- structure ---------------------------------------------------------------------------


def test_delimiter_comes_from_the_header_and_names_are_trimmed_case_insensitive(write_csv):
    semicolon = write_csv(" CODE ; Name ;City\nK1;Alfa, Beta;Łódź\n", name="s.csv")
    comma = write_csv('code,NAME\nK1,"Alfa; Beta"\n', name="c.csv")
    assert read_rows(semicolon, SPEC, cells) == [
        (2, {"code": "K1", "name": "Alfa, Beta", "city": "Łódź"})
    ]
    assert read_rows(comma, SPEC, cells) == [(2, {"code": "K1", "name": "Alfa; Beta"})]


def test_blank_lines_are_skipped_and_lines_keep_their_physical_numbers(write_csv):
    path = write_csv('code;name\n\nK1;Alfa\n  \n;;\nK2;"two\nlines"\nK3;Gamma\r\n')
    assert read_rows(path, SPEC, cells) == [
        (3, {"code": "K1", "name": "Alfa"}),
        (6, {"code": "K2", "name": "two\nlines"}),
        (8, {"code": "K3", "name": "Gamma"}),
    ]


def test_crlf_files_number_lines_like_an_editor(write_csv):
    path = write_csv("code;name\r\nK1;Alfa\r\n\r\nK2;\r\n")
    with pytest.raises(ImportRejected) as exc:
        read_rows(path, SPEC, lambda row: row.value("name", required=True))
    assert exc.value.errors == [RowError(4, "name", "a value is required")]


def test_header_problems_name_the_column_on_line_1(write_csv):
    path = write_csv("code;nmae;city;city\nK1;Alfa;X;Y\n")
    with pytest.raises(ImportRejected) as exc:
        read_rows(path, SPEC, cells)
    assert where(exc) == [(1, "nmae"), (1, "city"), (1, "name")]
    messages = [e.message for e in exc.value.errors]
    assert messages[0] == "unknown column (expected: code, name, [city])"
    assert messages[1] == "the column appears twice in the header"
    assert messages[2] == "required column is missing"


def test_an_empty_file_is_an_error_on_line_1(write_csv):
    for text in ("", "\n\n  \n"):
        with pytest.raises(ImportRejected) as exc:
            read_rows(write_csv(text), SPEC, cells)
        assert where(exc) == [(1, "")]
        assert exc.value.errors[0].message.startswith("the file is empty")


def test_a_header_alone_is_zero_rows(write_csv):
    assert read_rows(write_csv("code;name\n"), SPEC, cells) == []


def test_rows_with_the_wrong_number_of_values(write_csv):
    path = write_csv("code,name\nK1\nK2,a@x.pl,b@x.pl\nK3,Gamma,\nK4,Delta\n")
    with pytest.raises(ImportRejected) as exc:
        read_rows(path, SPEC, cells)
    assert where(exc) == [(2, ""), (3, "")]
    assert exc.value.errors[0].message == "1 values, but the header names 2 columns"
    assert "must be in double quotes" in exc.value.errors[1].message


def test_a_trailing_delimiter_in_every_line_is_harmless(write_csv):
    path = write_csv("code;name;\nK1;Alfa;\n")
    assert read_rows(path, SPEC, cells) == [(2, {"code": "K1", "name": "Alfa"})]


def test_broken_quoting_is_reported_where_the_record_starts(write_csv):
    stray = write_csv('code,name\nK1,Alfa\nK2,"Beta"x\n', name="stray.csv")
    with pytest.raises(ImportRejected) as exc:
        read_rows(stray, SPEC, cells)
    assert where(exc) == [(3, "")]
    assert exc.value.errors[0].message.startswith("the line cannot be read as CSV")

    unclosed = write_csv('code,name\nK1,Alfa\nK2,"Beta\nK3,Gamma\n', name="open.csv")
    with pytest.raises(ImportRejected) as exc:
        read_rows(unclosed, SPEC, cells)
    assert where(exc) == [(3, "")]


def test_every_problem_of_every_line_is_collected(write_csv):
    path = write_csv("code;name\n;\n;Alfa\nK2;\n;;;\nK4;Delta\n;\n")

    def parse(row: Row) -> str:
        row.value("code", required=True)
        row.value("name", required=True)
        return row.value("code")

    with pytest.raises(ImportRejected) as exc:
        read_rows(path, SPEC, parse)
    # lines 2, 5 and 7 are blank (only delimiters) and skipped
    assert where(exc) == [(3, "code"), (4, "name")]


# --- storing -----------------------------------------------------------------------------


def test_an_unexpected_failure_while_storing_rolls_everything_back(db, clock, write_csv):
    path = write_csv("code;name\nK1;Alfa\nK2;Beta\nK3;Gamma\n")

    def store(code: str):
        if code == "K3":
            raise RuntimeError("disk on fire")
        create_contractor(clock, code=code, name=code)
        return "created"

    with pytest.raises(RuntimeError, match="disk on fire"):
        run_import(path, SPEC, lambda row: row.value("code"), store)
    assert Contractor.select().count() == 0


def test_a_constraint_failing_while_storing_rejects_the_file_at_that_line(
    db, clock, write_csv, db_state
):
    create_contractor(clock, code="K0", name="Zero")
    before = db_state()
    path = write_csv("code;name\nK1;Alfa\nK2;Beta\n\nK0;Zero again\n")

    def store(code: str):
        create_contractor(clock, code=code, name=code)  # K0 exists: a unique constraint fails
        return "created"

    with pytest.raises(ImportRejected) as exc:
        run_import(path, SPEC, lambda row: row.value("code"), store)
    assert where(exc) == [(5, "")]
    assert "import it again" in exc.value.errors[0].message
    assert db_state() == before


def test_the_summary_counts_outcomes(db, write_csv):
    path = write_csv("code;name\nK1;a\nK2;b\nK3;c\nK4;d\n")
    outcomes = iter(["created", "updated", "unchanged", "created"])
    summary = run_import(path, SPEC, lambda row: row.value("code"), lambda _: next(outcomes))
    assert summary == ImportSummary(rows=4, created=2, updated=1)
