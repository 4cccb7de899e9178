"""The catalogues match the code: every marked string has its Polish wording (every plural
form), with the same placeholders, and no entry is left that the code no longer uses."""

from windykacja.i18n import tools, words


def test_every_string_of_the_code_has_its_polish_wording():
    assert tools.problems() == []


def test_polish_plurals_have_three_forms():
    pl = words("pl")
    forms = [pl.tn("{n} document", "{n} documents", n) for n in (1, 2, 5, 12, 22, 25)]
    assert forms == ["1 dokument", "2 dokumenty", "5 dokumentów", "12 dokumentów",
                     "22 dokumenty", "25 dokumentów"]
    en = words("en")
    assert [en.tn("{n} document", "{n} documents", n) for n in (1, 2)] == [
        "1 document", "2 documents"]


def test_a_reader_gets_their_own_language_whatever_the_interface_speaks():
    assert words("pl").t("Yes") == "Tak"
    assert words("en").t("Yes") == "Yes"


def test_no_f_string_inside_a_marked_call(capsys):
    """An f-string inside t()/tn()/N_() is skipped by the extractor (it warns on stderr):
    as the wording it never reaches the catalogue, as a value it prints numbers and dates
    in one notation whatever the reader's language. Values go through day_text,
    number_text, amount_text instead."""
    tools.extract()
    skipped = [line for line in capsys.readouterr().err.splitlines() if "f-string" in line]
    assert skipped == []


def test_numbers_in_the_readers_notation():
    from windykacja.ledger.names import number_text

    assert number_text(1234567, 0, "pl") == "1 234 567"
    assert number_text(1234567, 0, "en") == "1,234,567"
    assert number_text(2.5, 1, "pl") == "2,5"
    assert number_text(2.5, 1, "en") == "2.5"
