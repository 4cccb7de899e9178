"""Reading MT940 (importers/mt940.py): the sample in every dialect and encoding, the
:61: and :86: details, and refusals that name their line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from windykacja.importers.mt940 import (
    StatementRejected,
    parse_details,
    parse_entry_line,
    parse_statement,
    suggest_profiles,
)
from windykacja.ledger.bank_profiles import PROFILES, UnknownProfile, get_profile

DATA = Path(__file__).parent / "data"
SAMPLE = (DATA / "mt940_pl_sample.sta").read_bytes()
# The same statement as each bank writes it (tests/importers/data, from the reference
# sample): file suffix -> the profile that reads it.
DIALECTS = {"": "pko", "_utf8": "utf8", "_cp852": "cp852", "_nordea": "nordea",
            "_mbank": "mbank"}


def sample(suffix: str) -> bytes:
    return (DATA / f"mt940_pl_sample{suffix}.sta").read_bytes()


def statement(*entries: str, opening: str = "1000,00", closing: str | None = None,
              day: str = "260316", tail: str = "-") -> str:
    """A one-block statement; ``entries`` are ``:61:``/``:86:`` lines; the closing
    balance is their sum unless given."""
    total = Decimal(opening.replace(",", "."))
    for line in entries if closing is None else ():
        if line.startswith(":61:"):
            entry = parse_entry_line(line[4:])
            total += entry.amount if entry.mark in ("C", "RD") else -entry.amount
    closing = closing or f"C{day}PLN{total:.2f}".replace(".", ",")
    return "\r\n".join([":20:MT940", ":25:/PL67102010556479528644154553", ":28C:00045",
                        f":60F:C{day}PLN{opening}", *entries, f":62F:{closing}", tail]) + "\r\n"


def read(text: str, profile: str = "pko"):
    return parse_statement(text.encode(get_profile(profile).encoding), PROFILES[profile])


def refusal(text: str | bytes, profile: str = "pko") -> str:
    data = text if isinstance(text, bytes) else text.encode("cp1250")
    with pytest.raises(StatementRejected) as info:
        parse_statement(data, PROFILES[profile])
    return str(info.value)


def test_the_sample_reads_as_its_bank_wrote_it():
    st = parse_statement(SAMPLE, PROFILES["pko"])
    (block,) = st.blocks
    assert (block.account, block.number, block.reference) == (
        "PL67102010556479528644154553", "00045", "MT940")
    assert block.opening.amount == Decimal("18250.00")
    assert block.closing.date == dt.date(2026, 3, 16)
    first = block.entries[0]
    assert (first.line, first.booked_on, first.mark, first.amount, first.currency) == (
        5, dt.date(2026, 3, 16), "C", Decimal("4920.00"), "PLN")
    assert (first.type_code, first.reference) == ("S020", "2603160000100001")
    assert first.details.title == "FV/2026/02/017"
    assert first.details.payer_name == "HURTOWNIA ZIELONA SP. Z O.O. UL. LIPOWA 12 00-950 WARS"
    assert first.details.payer_account == "PL74114020172162574785050316"
    cut = block.entries[1].details
    assert cut.title == "CZĘŚCIOWA ZAPŁATA FAKTURY NR FV/2026/02/021"
    assert cut.title_spaced == "CZĘŚCIOWA ZAPŁATA FAKTURY N R FV/2026/02/021"
    assert [e.is_credit for e in block.entries] == [True] * 5 + [False]


@pytest.mark.parametrize("suffix", [s for s in DIALECTS if s])
def test_the_same_statement_in_each_encoding_and_dialect_reads_the_same(suffix):
    def essentials(data: bytes, profile: str):
        st = parse_statement(data, PROFILES[profile])
        return [(e.booked_on, e.mark, e.amount, e.reference, e.details.title,
                 e.details.payer_name, e.details.payer_account) for e in st.entries]

    assert essentials(sample(suffix), DIALECTS[suffix]) == essentials(SAMPLE, "pko")


@pytest.mark.parametrize("suffix, profile, line, suggestion", [
    ("", "utf8", 6, "--profile pko"),  # Ą of PRZYCHODZĄCY is 0xA5, no UTF-8 byte
    ("", "mbank", 6, "--profile pko"),  # Windows-1250 Ą read as Latin-2: Ľ
    ("", "cp852", 22, "--profile pko"),
    ("_mbank", "pko", 7, "--profile mbank"),  # the supplementary line of the first :61:
    ("_utf8", "pko", 22, "--profile utf8"),  # Ę is C4 98 in UTF-8; 0x98 is no Windows-1250
    ("_cp852", "pko", 6, "--profile cp852"),
])
def test_a_file_in_another_encoding_than_the_profiles_is_refused_with_a_hint(
        suffix, profile, line, suggestion):
    message = refusal(sample(suffix), profile)
    assert message.startswith(f"line {line}: ")
    assert PROFILES[profile].encoding_label in message
    assert suggestion in message


def test_subfields_of_another_dialect_are_refused_with_the_profile_that_fits():
    message = refusal(SAMPLE, "nordea")
    assert message.startswith("line 6: the :86: details are split into ~ subfields")
    assert "--profile pko" in message
    assert "are free text without subfields" in refusal(sample("_mbank").decode(
        "iso-8859-2").encode("cp1250"), "pko")
    assert suggest_profiles(sample("_cp852")) == ["cp852"]


def test_an_ascii_file_suggests_every_profile_of_its_dialect():
    ascii_only = statement(":61:2603160316C10,00S020NONREF//1", ":86:020~20FV/1/2026")
    assert suggest_profiles(ascii_only.encode()) == ["pko", "utf8"]


def test_a_line_without_an_amount_is_refused_with_its_line_and_tag():
    text = statement(":61:2603160316C10,00S020NONREF//1", ":86:020~20FV/1",
                     ":61:2603160316CS020NONREF//2", closing="C260316PLN1010,00")
    assert refusal(text) == ("line 7: :61: has no amount (digits with a decimal comma after "
                             "C or D)")


@pytest.mark.parametrize("line, problem", [
    (":61:2602300316C10,00S020NONREF", "'260230' is not a date (YYMMDD)"),
    (":61:2603161399C10,00S020NONREF", "'1399' is not an entry date (MMDD)"),
    (":61:2603160316C10.00S020NONREF", "has no amount"),
    (":61:2603160316C10,00", "has no transaction type"),
    (":61:PRZELEW", "does not start with a value date"),
])
def test_bad_entry_lines_name_what_is_wrong(line, problem):
    assert problem in refusal(statement(line, closing="C260316PLN1000,00"))


@pytest.mark.parametrize("lines, expected", [
    ([":20:X", ":61:2603160316C1,00S020NONREF"], "line 2: :61: is out of order: expected "
                                                 ":21:, :25:"),
    ([":25:/PL1"], "line 1: :25: before :20:, which starts a statement"),
    ([":20:X", ":25:/PL1", ":28C:1", ":60F:C260316PLN0,00", ":13D:2603161200+0100"],
     "line 5: :13D: is not a field of an MT940 statement"),
    ([":20:X", ":25:/PL1", ":28C:1", ":60F:C260316PLN0,00", ":61:2603160316C1,00S020X"],
     "line 5: the file ends before the closing balance :62F: of the statement that starts "
     "on line 1"),
    ([":20:X", ":25:/PL1", ":28C:1", ":60F:C260316PLN0,00", ":61:2603160316C1,00S020X",
      ":86:020~20A", ":86:020~20B"], "line 7: :86: follows another :86: of the same entry"),
    (["PRZELEW", ":20:X"], "line 1: 'PRZELEW' is outside any field"),
    ([":20:X", ":25:/PL1", ":28C:1", ":60F:C260316PLN0,00", ":62F:C260316PLN5,00", "-"],
     "line 5: the closing balance 5.00 is not the opening balance 0.00 plus the entries "
     "(0.00)"),
    ([":20:X", ":25:/PL1", ":28C:1", ":60F:C260316PLN0,00", ":62F:C260316EUR0,00", "-"],
     "line 5: the closing balance is in EUR, the opening balance in PLN"),
    ([":20:X", ":25:/PL1", ":28C:1", ":60F:C260316PLN 0,00"],
     "line 4: :60F: 'C260316PLN 0,00' is not a balance"),
    ([""], "line 1: no statement found"),
])
def test_fields_out_of_order_or_wrong_are_refused_at_their_line(lines, expected):
    assert refusal("\r\n".join(lines)).startswith(expected)


def test_an_entry_date_takes_the_year_nearest_the_value_date():
    assert parse_entry_line("2512310102C5,00NTRFX").booked_on == dt.date(2026, 1, 2)
    assert parse_entry_line("2601021231D5,00NTRFX").booked_on == dt.date(2025, 12, 31)
    line = parse_entry_line("260316RC5,00NTRFREF1//BANK2")
    assert (line.mark, line.booked_on, line.customer_reference, line.bank_reference) == (
        "RC", dt.date(2026, 3, 16), "REF1", "BANK2")
    assert parse_entry_line("1006040604CN6979,18NTRFNONREF//EL-1").amount == Decimal("6979.18")


def test_reversals_count_in_the_balance_but_are_no_credits():
    st = read(statement(":61:2603160316RD5,00NTRFX", ":61:2603160316RC2,00NTRFX",
                        ":61:2603160316C1,00NTRFX"))
    assert [(e.mark, e.is_credit) for e in st.entries] == [
        ("RD", False), ("RC", False), ("C", True)]
    assert st.blocks[0].closing.amount == Decimal("1004.00")


def test_subfields_in_any_order_empty_missing_and_continuing_across_lines():
    text = "020~32NAZWA PŁATNIKA~21 I FV/2026/0\r\n1/118~20ZAPŁATA FV/2026/01/115\r\n~33\r\n~30"
    details = parse_details(text.replace("\r\n", ""), "~")
    assert details.title == "ZAPŁATA FV/2026/01/115 I FV/2026/01/118"
    assert details.payer_name == "NAZWA PŁATNIKA"
    assert details.payer_account == ""
    assert details.code == "020"


def test_the_account_is_38_else_30_and_31_with_the_iban_check_digits():
    assert parse_details("~3011402017~312162574785050316", "~").payer_account == \
        "PL74114020172162574785050316"
    assert parse_details("~38PL74114020172162574785050316~3099", "<").payer_account == ""
    assert parse_details("<38PL74114020172162574785050316<3099", "<").payer_account == \
        "PL74114020172162574785050316"


def test_free_text_details_are_read_by_their_labels():
    text = ("911 TRANSAKCJA IPH; ID IPH: XX000000000014; Z RACH.: "
            "04105014611000002345271577; OD: GWARANT SPÓŁKA Z O.O. UL.CIEPŁOWNICZA 27; "
            "TYT.: ZAPŁATA ZA F-RĘ NR 110F02574 Z DN. 20.05.2010; DATA STEMPLA: "
            "02.06.2010; TNR: 154961063737600.670001")
    details = parse_details(text, "")
    assert details.code == "911"
    assert details.title == "ZAPŁATA ZA F-RĘ NR 110F02574 Z DN. 20.05.2010"
    assert details.payer_name == "GWARANT SPÓŁKA Z O.O. UL.CIEPŁOWNICZA 27"
    assert details.payer_account == "PL04105014611000002345271577"
    assert parse_details("PRZELEW BEZ ETYKIET", "").title == "PRZELEW BEZ ETYKIET"


def test_several_blocks_and_a_second_line_of_supplementary_details():
    first = statement(":61:2603160316C10,00NTRFX//1", "911-TRANSAKCJA IPH", ":86:020~20FV/1")
    second = statement(":61:2603170317D5,00NTRFX//2", opening="1010,00", day="260317")
    st = read(first + second)
    assert [b.closing.amount for b in st.blocks] == [Decimal("1010.00"), Decimal("1005.00")]
    assert st.entries[0].supplementary == "911-TRANSAKCJA IPH"
    assert st.entries[0].details.title == "FV/1"


def test_unknown_profiles_are_named():
    with pytest.raises(UnknownProfile, match="use one of: pko, mbank, cp852, nordea, utf8"):
        get_profile("ing")
