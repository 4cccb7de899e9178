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
