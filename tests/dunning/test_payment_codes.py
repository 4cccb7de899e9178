"""The payment codes of the paper letters (``dunning.payment_codes``): the ZBP 2D and EPC
texts field by field, their limits, what is shortened and what is refused (naming the
field), and the QR symbols decoded back by zxing-cpp into exactly the text."""

from __future__ import annotations

from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from windykacja.dunning.payment_codes import (
    EPC_MAX_BYTES,
    ZBP_MAX_LENGTH,
    QrSymbol,
    clean_text,
    epc_payload,
    qr_symbol,
    shorten,
    title_for_documents,
    zbp_payload,
)

NIP = "6762451230"
ACCOUNT = "PL61 1090 1014 0000 0712 1981 2874"
NRB = "61109010140000071219812874"
POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"


def fields(payload: str) -> list[str]:
    return payload.split("|")


def test_the_recommendation_s_example() -> None:
    # ZBP's own example (docs/letters.md §1): "1234567890|PL|9212…|001200|Odbiorca 1|FV
    # 1234/34/2012|||" — the same shape from our function (with a valid NIP).
    payload = zbp_payload(NIP, NRB, Decimal("12.00"), "Odbiorca 1", "FV 1234/34/2012")
    assert payload == f"{NIP}|PL|{NRB}|001200|Odbiorca 1|FV 1234/34/2012|||"


def test_nip_and_account_are_written_bare() -> None:
    payload = zbp_payload("676-245-12-30", ACCOUNT, Decimal("1234.56"), "Nasza Firma",
                          "FV/101/2026")
    nip, country, account, amount, name, title, *reserves = fields(payload)
    assert (nip, country, account, amount) == (NIP, "PL", NRB, "123456")
    assert (name, title, reserves) == ("Nasza Firma", "FV/101/2026", ["", "", ""])
    # An IBAN written without spaces, in lower case, is the same account.
    assert fields(zbp_payload(NIP, "pl" + NRB, Decimal("1"), "A", "B"))[2] == NRB


@pytest.mark.parametrize(("amount", "text"), [
    (Decimal("0.01"), "000001"),
    (Decimal("12"), "001200"),
    (Decimal("9999.99"), "999999"),
    # Above 9 999,99 zł the amount takes more digits (three of the four public
    # implementations; docs/letters.md "Amounts over 9 999,99 zł").
    (Decimal("10000.00"), "1000000"),
    (Decimal("1234567.89"), "123456789"),
    (Decimal("99999999.99"), "9999999999"),
])
def test_amount_in_grosze(amount: Decimal, text: str) -> None:
    assert fields(zbp_payload(NIP, NRB, amount, "A", "B"))[3] == text


def test_polish_letters_are_kept_and_counted_as_characters() -> None:
    payload = zbp_payload(NIP, NRB, Decimal("1"), POLISH + POLISH, POLISH * 3)
    name, title = fields(payload)[4:6]
    # 20 and 32 characters (not bytes: a two-byte letter is never cut in half).
    assert name == (POLISH + POLISH)[:20]
    assert title == (POLISH * 3)[:32]
    assert len(payload) <= ZBP_MAX_LENGTH
    assert payload.encode("utf-8").decode("utf-8") == payload


def test_long_title_keeps_document_numbers_whole() -> None:
    payload = zbp_payload(NIP, NRB, Decimal("1"), "Zakład Usług Księgowych „Rachmistrz”",
                          "Wezwanie do zapłaty FV/101/2026, FV/102/2026")
    name, title = fields(payload)[4:6]
    assert name == "Zakład Usług Księgow"  # a name: its first 20 characters
    assert title == "Wezwanie do zapłaty FV/101/2026"  # 31 characters, the number whole


def test_title_for_documents_says_how_many_are_left_out() -> None:
    numbers = ["FV/101/2026", "FV/102/2026", "FV/103/2026"]
    assert title_for_documents(numbers[:2]) == "FV/101/2026, FV/102/2026"
    assert title_for_documents(numbers) == "FV/101/2026, FV/102/2026 +1"
    assert title_for_documents(numbers, "Wezwanie") == "Wezwanie FV/101/2026 +2"
    assert len(title_for_documents(["X" * 50])) == 32


def test_separator_and_odd_characters_never_reach_a_field() -> None:
    assert clean_text("Firma | Kowalski\t„Żuraw”\n") == "Firma Kowalski Żuraw"
    assert clean_text("A&B_C #1, ul. Długa 5/7-9") == "A&B_C #1, ul. Długa 5/7-9"
    payload = zbp_payload(NIP, NRB, Decimal("1"), "A|B", "C|D|E")
    assert len(fields(payload)) == 9
    assert fields(payload)[4:6] == ["A B", "C D E"]


def test_shorten() -> None:
    assert shorten("abc", 5) == "abc"
    assert shorten("abc def ghi", 9) == "abc def"
    assert shorten("abcdefghij", 4) == "abcd"  # no space: cut at the limit
    assert shorten("abc def ghi", 9, at_word=False) == "abc def g"


@pytest.mark.parametrize(("call", "field"), [
    (lambda: zbp_payload("6762451231", NRB, Decimal("1"), "A", "B"), "nip: "),
    (lambda: zbp_payload("", NRB, Decimal("1"), "A", "B"), "nip: "),
    (lambda: zbp_payload("12345", NRB, Decimal("1"), "A", "B"), "nip: "),
    (lambda: zbp_payload(NIP, "PL62" + NRB[2:], Decimal("1"), "A", "B"), "account: "),
    (lambda: zbp_payload(NIP, NRB[:-1], Decimal("1"), "A", "B"), "account: "),
    (lambda: zbp_payload(NIP, "", Decimal("1"), "A", "B"), "account: "),
    # A valid German IBAN is not a Polish account.
    (lambda: zbp_payload(NIP, "DE89370400440532013000", Decimal("1"), "A", "B"),
     "account: "),
    (lambda: zbp_payload(NIP, NRB, Decimal("0"), "A", "B"), "amount: "),
    (lambda: zbp_payload(NIP, NRB, Decimal("-5"), "A", "B"), "amount: "),
    (lambda: zbp_payload(NIP, NRB, Decimal("1.005"), "A", "B"), "amount: "),
    (lambda: zbp_payload(NIP, NRB, Decimal("100000000"), "A", "B"), "amount: "),
    (lambda: zbp_payload(NIP, NRB, Decimal("NaN"), "A", "B"), "amount: "),
    (lambda: zbp_payload(NIP, NRB, Decimal("1"), "„”", "B"), "name: "),
    (lambda: zbp_payload(NIP, NRB, Decimal("1"), "A", " | "), "title: "),
    (lambda: epc_payload("A", "PL62" + NRB[2:], Decimal("1"), "x"), "iban: "),
    (lambda: epc_payload("A", ACCOUNT, Decimal("0"), "x"), "amount: "),
    (lambda: epc_payload("A", ACCOUNT, Decimal("1000000000"), "x"), "amount: "),
    (lambda: epc_payload("A", ACCOUNT, Decimal("1"), "x", bic="BPK"), "bic: "),
    (lambda: epc_payload("", ACCOUNT, Decimal("1"), "x"), "name: "),
])
def test_bad_input_is_refused_naming_the_field(call, field: str) -> None:
    with pytest.raises(ValueError) as refused:
        call()
    assert str(refused.value).startswith(field)


def test_epc_payload() -> None:
    payload = epc_payload("Zakład Usług Łódź Sp. z o.o.", ACCOUNT, Decimal("1234.5"),
                          "Wezwanie do zapłaty FV/103/2026", bic="bpkopl pw")
    assert payload.split("\n") == [
        "BCD", "002", "1", "SCT", "BPKOPLPW", "Zakład Usług Łódź Sp. z o.o.",
        "PL" + NRB, "EUR1234.50", "", "", "Wezwanie do zapłaty FV/103/2026"]
    # Without a BIC and a text: the trailing empty lines are dropped, the BIC line stays.
    assert epc_payload("A", ACCOUNT, Decimal("20"), "").split("\n") == [
        "BCD", "002", "1", "SCT", "", "A", "PL" + NRB, "EUR20.00"]


def test_epc_limits_in_characters_and_bytes() -> None:
    payload = epc_payload(POLISH * 5, ACCOUNT, Decimal("999999999.99"), POLISH * 10)
    lines = payload.split("\n")
    assert len(lines[5]) == 70
    assert lines[7] == "EUR999999999.99"
    # 70 + 140 Polish letters would be 420 bytes: the text is shortened further.
    assert len(payload.encode("utf-8")) <= EPC_MAX_BYTES
    assert 0 < len(lines[10]) < 140


def decode(symbol: QrSymbol, scale: int = 4) -> list[zxingcpp.Barcode]:
    """The symbol drawn as an image (quiet zone included) and read by zxing-cpp."""
    side = symbol.size + 2 * symbol.QUIET_ZONE
    image = Image.new("L", (side, side), 255)
    for row, col, length in symbol.dark_runs():
        for c in range(col, col + length):
            image.putpixel((c + symbol.QUIET_ZONE, row + symbol.QUIET_ZONE), 0)
    image = image.resize((side * scale, side * scale), Image.NEAREST)
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


@pytest.mark.parametrize("kind", ["zbp", "epc"])
def test_symbol_decodes_to_exactly_the_payload(kind: str) -> None:
    if kind == "zbp":
        # The widest ZBP text: 10 amount digits, 20 + 32 Polish letters.
        payload = zbp_payload(NIP, NRB, Decimal("99999999.99"), POLISH * 2, POLISH * 2)
    else:
        payload = epc_payload(POLISH * 5, ACCOUNT, Decimal("1234.50"), POLISH * 10)
    symbol = qr_symbol(payload, kind)
    assert symbol.error == {"zbp": "L", "epc": "M"}[kind]
    found = decode(symbol)
    assert len(found) == 1
    assert found[0].bytes == payload.encode("utf-8")
    assert found[0].ec_level == symbol.error
    if kind == "epc":
        assert symbol.version <= 13


def test_short_payload_is_a_full_qr_never_micro() -> None:
    # segno.make would pick a Micro QR for short data, which banking apps do not read.
    symbol = qr_symbol("12345", "zbp")
    assert symbol.version == 1 and symbol.size == 21
    assert decode(symbol)[0].bytes == b"12345"


def test_dark_runs_cover_exactly_the_dark_modules() -> None:
    symbol = qr_symbol(zbp_payload(NIP, NRB, Decimal("1"), "A", "B"), "zbp")
    covered = {(r, c) for r, col, n in symbol.dark_runs() for c in range(col, col + n)}
    dark = {(r, c) for r, row in enumerate(symbol.rows) for c, v in enumerate(row) if v}
    assert covered == dark
    assert len(symbol.dark_runs()) < len(dark) * 0.6  # about half as many rectangles


def test_unknown_kind_and_oversized_payloads_are_refused() -> None:
    with pytest.raises(ValueError, match="^kind: "):
        qr_symbol("x", "swift")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="^payload: "):
        qr_symbol("x" * 161, "zbp")
    with pytest.raises(ValueError, match="^payload: "):
        qr_symbol("x" * 332, "epc")
