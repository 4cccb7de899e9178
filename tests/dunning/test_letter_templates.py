"""The paper letters' templates (issue 16): title, paragraphs and closing paragraphs in
Polish and English, the demand's legal basis as the e-mail states it, the final demand,
the debtor-registry warning, and the same checks and overrides as the e-mail templates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.dunning.render import (
    LANGUAGES,
    LETTER_NAMES,
    LETTER_PARTS,
    PARTS,
    RenderedLetter,
    TemplateError,
    check_template,
    default_source,
    letter_paragraphs,
    load_overrides,
    parts_of,
    render_letter,
    render_message,
    reset_override,
    save_override,
    trial_render,
)
from windykacja.dunning.template_data import (
    CONTEXT_KEYS,
    DEMAND_KEYS,
    MESSAGE_KEYS,
    SAMPLE_BUREAU,
    letter_context,
    registry_view,
    sample_context,
)

ACT_2010_PL = ("ustawy z dnia 9 kwietnia 2010 r. o udostępnianiu informacji gospodarczych "
               "i wymianie danych gospodarczych")
ACT_2010_EN = ("Act of 9 April 2010 on the disclosure of business information and the "
               "exchange of business data")
# Words that belong to one language's letters only (names and addresses of the sample
# are Polish in both, so these are words of our own text).
POLISH_WORDS = ("Szanowni", "zapłat", "wezwani", "odsetk", "prosimy", "należnoś", "dokument",
                "PRZYPOMNIENIE", "WEZWANIE", "ustawy", "Ostrzegamy")
ENGLISH_WORDS = ("Dear", "payment", "demand", "interest", "please", "document", "REMINDER",
                 "DEMAND", "Act", "reminder", " the ")


def letter(name: str, language: str, context=None, overrides=None) -> RenderedLetter:
    return render_letter(name, language, context or sample_context(name), overrides)


def words(rendered: RenderedLetter) -> str:
    return "\n\n".join((rendered.title, *rendered.paragraphs, *rendered.closing))


def one_document(context: dict, number: int) -> dict:
    """The context with its first document only, carrying demand ``number``."""
    first = {**context["documents"][0], "demand_number": number}
    return {**context, "documents": [first]}


# --- names, parts, contexts ---------------------------------------------------------------


def test_letters_have_a_title_paragraphs_and_closing_and_no_html():
    for name in LETTER_NAMES:
        assert parts_of(name) == LETTER_PARTS == ("subject", "text", "closing")
    assert parts_of("demand") == PARTS == ("subject", "text", "html")
    assert CONTEXT_KEYS["letter_reminder"] == MESSAGE_KEYS
    # The demand e-mail's ``registry`` (a warning by e-mail) is the registry letter's alone.
    assert CONTEXT_KEYS["letter_demand"] == (DEMAND_KEYS - {"registry"}) | {"final"}
    assert CONTEXT_KEYS["letter_registry"] == DEMAND_KEYS | {"final"}
    for name in LETTER_NAMES:
        assert set(sample_context(name)) == CONTEXT_KEYS[name]
    assert sample_context("letter_demand")["final"] is False
    assert sample_context("letter_registry")["final"] is True
    assert sample_context("letter_registry")["registry"] == {
        "bureau_name": SAMPLE_BUREAU[0], "bureau_address": SAMPLE_BUREAU[1], "article": "15"}


def test_a_letter_is_not_rendered_as_an_email_nor_an_email_as_a_letter():
    with pytest.raises(ValueError, match="render_letter"):
        render_message("letter_demand", "pl", sample_context("letter_demand"))
    with pytest.raises(ValueError, match="render_message"):
        render_letter("demand", "pl", sample_context("demand"))


def test_letter_context_adds_final_and_the_bureau_and_refuses_what_does_not_fit():
    demand = sample_context("demand")
    assert letter_context("letter_demand", demand, final=True)["final"] is True
    assert set(letter_context("letter_reminder", sample_context("reminder"))) == MESSAGE_KEYS
    registry = registry_view("KRD BIG S.A.", "ul. Danuty Siedzikówny 12, 51-214 Wrocław",
                             "private")
    assert registry["article"] == "14"
    assert registry_view("X", "Y", "business")["article"] == "15"
    assert registry_view("X", "Y", "healthcare")["article"] == "15"
    with pytest.raises(ValueError, match="address"):
        registry_view("KRD BIG S.A.", "  ", "business")
    with pytest.raises(ValueError, match="context of a demand"):
        letter_context("letter_demand", sample_context("reminder"))
    with pytest.raises(ValueError, match="bureau"):
        letter_context("letter_registry", demand)
    with pytest.raises(ValueError, match="bureau"):
        letter_context("letter_demand", demand, registry=registry)
    with pytest.raises(ValueError, match="14 or 15"):
        letter_context("letter_registry", demand, registry={**registry, "article": "16"})


# --- the default letters ---------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", LETTER_NAMES)
def test_every_default_letter_renders_and_passes_its_own_check(name, language):
    rendered = letter(name, language)
    assert rendered.title and "\n" not in rendered.title
    assert rendered.title == rendered.title.upper()
    assert len(rendered.paragraphs) >= 2 and rendered.closing
    for paragraph in (*rendered.paragraphs, *rendered.closing):
        assert paragraph == paragraph.strip() and "\n\n" not in paragraph
        assert "<" not in paragraph and "{" not in paragraph  # plain text, all rendered
    assert rendered.paragraphs[0] == {"pl": "Szanowni Państwo,",
                                      "en": "Dear Sir or Madam,"}[language]
    for part in LETTER_PARTS:
        check_template(name, part, default_source(name, language, part), language)


@pytest.mark.parametrize("name", LETTER_NAMES)
def test_polish_letters_say_no_english_and_english_ones_no_polish(name):
    polish, english = words(letter(name, "pl")), words(letter(name, "en"))
    for word in ENGLISH_WORDS:
        assert word not in polish, word
    for word in POLISH_WORDS:
        assert word not in english, word


@pytest.mark.parametrize("language, title", [
    ("pl", "WEZWANIE DO ZAPŁATY NR 2"), ("en", "DEMAND FOR PAYMENT NO. 2")])
def test_a_demand_letters_title_says_its_number_for_one_document(language, title):
    context = one_document(sample_context("letter_demand"), 2)
    assert letter("letter_demand", language, context).title == title
    # Several documents, each with its own number: no number in the title.
    assert letter("letter_demand", language).title == title.rsplit(" N", 1)[0]


@pytest.mark.parametrize("name", ["letter_demand", "letter_registry"])
@pytest.mark.parametrize("language, title, court", [
    ("pl", "PRZEDSĄDOWE WEZWANIE DO ZAPŁATY", "skierujemy sprawę do sądu"),
    ("en", "FINAL DEMAND FOR PAYMENT BEFORE LEGAL ACTION", "refer the matter to court")])
def test_the_final_demand_says_so_in_its_title_and_closing(name, language, title, court):
    context = {**one_document(sample_context(name), 3), "final": True}
    rendered = letter(name, language, context)
    assert rendered.title == title
    assert any(court in p for p in rendered.closing)
    rendered = letter(name, language, {**context, "final": False})
    assert "PRZEDSĄDOWE" not in rendered.title and "FINAL" not in rendered.title
    assert not any(court in p for p in rendered.closing)


def test_a_demand_letter_names_the_documents_deadline_and_account_in_words():
    rendered = letter("letter_demand", "pl", one_document(sample_context("letter_demand"), 1))
    opening = rendered.paragraphs[1]
    # The buyer's name stays in the nominative: "nabywca: …", never "dla Przykładowa …".
    assert "FV/101/2026" in opening
    assert "(nabywca: Przykładowa Spółka z o.o., NIP 5260250274)" in opening
    assert "dla Przykładowa" not in opening and "w imieniu Nasza" not in opening
    assert "do dnia 30.11.2026" in opening and "z numerem dokumentu w tytule" in opening
    assert rendered.closing[-1] == ("Jeżeli należność została już uregulowana, prosimy "
                                    "uznać niniejsze wezwanie za bezprzedmiotowe.")


@pytest.mark.parametrize("name", ["letter_demand", "letter_registry"])
@pytest.mark.parametrize("kind, polish, english", [
    ("business",
     "odsetki ustawowe za opóźnienie w transakcjach handlowych, należne na podstawie "
     "art. 7 ust. 1 w zw. z art. 4 pkt 3 ustawy z dnia 8 marca 2013 r.",
     "statutory interest for late payment in commercial transactions, due under "
     "art. 7(1) in connection with art. 4(3) of the Polish Act of 8 March 2013"),
    ("healthcare",
     "na podstawie art. 8 ust. 1 w zw. z art. 4 pkt 3 ustawy z dnia 8 marca 2013 r.",
     "due under art. 8(1) in connection with art. 4(3)"),
    ("private",
     "odsetki ustawowe za opóźnienie, należne na podstawie art. 481 § 1 i 2 Kodeksu "
     "cywilnego",
     "statutory interest for late payment, due under art. 481(1) and (2) of the Polish "
     "Civil Code"),
])
def test_a_demand_letter_states_the_basis_of_interest_by_the_contractors_kind(
        name, kind, polish, english):
    context = sample_context(name)
    context = {**context, "contractor": {**context["contractor"], "kind": kind}}
    assert polish in words(letter(name, "pl", context))
    assert english in words(letter(name, "en", context))
    if kind == "private":
        assert "transakcjach handlowych" not in words(letter(name, "pl", context))


def test_interest_not_known_compensation_and_a_broken_promise_as_the_email_says_them():
    context = sample_context("letter_demand")
    law = {**context["law"], "interest_stated": False, "interest_missing": True,
           "compensation_total": Decimal("0"), "compensation_missing": True,
           "compensation_eur_missing": 80}
    promise = {"amount": Decimal("500.00"), "currency": "PLN",
               "pay_by": dt.date(2026, 11, 10), "made_on": dt.date(2026, 11, 2)}
    context = {**context, "law": law, "broken_promise": promise}
    polish = words(letter("letter_demand", "pl", context))
    assert "Wzywamy również do zapłaty odsetek ustawowych za opóźnienie w transakcjach " \
           "handlowych, należnych na podstawie art. 7 ust. 1" in polish
    assert "ich kwoty nie podajemy" in polish and "Do należności głównej" not in polish
    assert "na podstawie art. 10 ust. 1 ustawy z dnia 8 marca 2013 r." in polish
    assert "Rekompensatę w kwocie 80 EUR" in polish and "art. 10 ust. 1a" in polish
    assert ("W dniu 02.11.2026 zobowiązali się Państwo zapłacić 500,00 PLN do dnia "
            "10.11.2026; płatność nie wpłynęła.") in polish
    english = words(letter("letter_demand", "en", context))
    assert "we do not state its amount" in english and "art. 10(1a)" in english
    assert "The compensation of 80 EUR" in english
    assert "you undertook to pay 500.00 PLN by 10.11.2026" in english
    # Without interest claimed, the letter reserves the right to it instead.
    plain = {**context, "law": {**law, "interest": False, "interest_missing": False},
             "broken_promise": None}
    polish = words(letter("letter_demand", "pl", plain))
    assert "odsetek ustawowych za opóźnienie w transakcjach" not in polish
    assert "Zastrzegamy sobie prawo do naliczenia odsetek" in polish
    assert "zobowiązali się" not in polish


@pytest.mark.parametrize("kind, article", [("business", "15"), ("private", "14")])
def test_the_registry_warning_names_the_bureau_its_seat_the_article_and_the_act(
        kind, article):
    context = sample_context("letter_registry")
    context = {**context, "contractor": {**context["contractor"], "kind": kind},
               "registry": registry_view(*SAMPLE_BUREAU, kind)}
    polish = letter("letter_registry", "pl", context).closing
    warning = [p for p in polish if "Krajowy Rejestr Długów" in p]
    assert len(warning) == 1
    assert ("Krajowy Rejestr Długów Biuro Informacji Gospodarczej S.A. (adres siedziby: "
            "ul. Danuty Siedzikówny 12, 51-214 Wrocław)") in warning[0]
    assert f"art. {article} ust. 1 {ACT_2010_PL}" in warning[0]
    assert "co najmniej miesiąca od dnia jego wysłania" in warning[0]
    english = "\n".join(letter("letter_registry", "en", context).closing)
    assert "Krajowy Rejestr Długów Biuro Informacji Gospodarczej S.A. (registered office: " \
           "ul. Danuty Siedzikówny 12, 51-214 Wrocław)" in english
    assert f"art. {article}(1) of the Polish {ACT_2010_EN}" in english
    # The plain demand letter has no warning.
    plain = words(letter("letter_demand", "pl"))
    assert "Krajowy Rejestr" not in plain and "9 kwietnia 2010" not in plain


def test_a_reminder_letter_for_one_document_says_its_due_date():
    context = sample_context("letter_reminder")
    context = {**context, "documents": context["documents"][:1]}
    polish = letter("letter_reminder", "pl", context)
    assert polish.title == "PRZYPOMNIENIE O TERMINIE PŁATNOŚCI"
    assert "że 26.11.2026 upływa termin płatności dokumentu FV/101/2026" in \
        polish.paragraphs[1]
    english = letter("letter_reminder", "en", context)
    assert "document FV/101/2026" in english.paragraphs[1]
    assert "falls due for payment on 26.11.2026" in english.paragraphs[1]


# --- paragraphs -------------------------------------------------------------------------


def test_paragraphs_are_cut_at_blank_lines_and_keep_their_line_breaks():
    text = "\n\n  \nFirst line\nsecond line  \n \t\n\n\nSecond\n\n   \n"
    assert letter_paragraphs(text) == ("First line\nsecond line", "Second")
    assert letter_paragraphs("") == () and letter_paragraphs("\n \n") == ()
    source = "{% for d in documents %}\n{{ d.number }}\n\n{% endfor %}"
    rendered = letter("letter_demand", "pl",
                      overrides={("letter_demand", "pl", "text"): source})
    assert rendered.paragraphs == ("FV/101/2026", "FV/102/2026", "FV/103/2026")
    title = "{{ 'WEZWANIE' }}\n\n   DO   ZAPŁATY\n"
    assert trial_render("letter_demand", "subject", title, "pl") == "WEZWANIE DO ZAPŁATY"
    # The preview shows a part's paragraphs as the letter prints them.
    assert trial_render("letter_demand", "text", source, "pl") == \
        "FV/101/2026\n\nFV/102/2026\n\nFV/103/2026"


# --- checks and overrides ---------------------------------------------------------------


def test_check_template_refuses_an_unknown_variable_and_a_part_the_template_has_not():
    with pytest.raises(TemplateError, match="unknown variable 'secret'") as caught:
        check_template("letter_demand", "closing", "Dziękujemy.\n{{ secret }}\n", "pl")
    assert caught.value.line == 2 and caught.value.part == "closing"
    # A demand letter's own variables are known; the registry's only in its warning.
    check_template("letter_demand", "subject", "{{ final }}", "pl")
    check_template("letter_registry", "closing", "{{ registry.bureau_name }}", "pl")
    with pytest.raises(TemplateError, match="unknown variable 'registry'"):
        check_template("letter_demand", "closing", "{{ registry.bureau_name }}", "pl")
    with pytest.raises(TemplateError, match="unknown variable 'final'"):
        check_template("letter_reminder", "text", "{{ final }}", "pl")
    with pytest.raises(ValueError, match="letter template and has no 'html' part"):
        check_template("letter_demand", "html", "<p>x</p>", "pl")
    with pytest.raises(ValueError, match="e-mail template and has no 'closing' part"):
        check_template("demand", "closing", "x", "pl")
    with pytest.raises(ValueError, match="no 'html' part"):
        trial_render("letter_reminder", "html", "x", "pl")
    with pytest.raises(ValueError, match="no 'html' part"):
        default_source("letter_registry", "en", "html")


def test_a_letter_failing_to_render_names_its_part():
    with pytest.raises(TemplateError) as caught:
        letter("letter_demand", "en",
               overrides={("letter_demand", "en", "closing"): "ok\n{{ contractor.nmae }}"})
    assert caught.value.part == "closing" and caught.value.line == 2


def test_an_override_of_a_letter_part_is_saved_used_and_reset(db, clock):
    now = dt.datetime(2026, 11, 23, 9, 0)
    source = "Dziękujemy.\n\n{% if final %}Ostatnie wezwanie.{% endif %}Do {{ deadline|pl_date }}."
    save_override("letter_demand", "pl", "closing", source, "anna", now)
    overrides = load_overrides()
    assert overrides == {("letter_demand", "pl", "closing"): source}
    rendered = letter("letter_demand", "pl", overrides=overrides)
    assert rendered.closing == ("Dziękujemy.", "Do 30.11.2026.")
    assert rendered.title == "WEZWANIE DO ZAPŁATY"  # the other parts stay the default
    assert letter("letter_demand", "en", overrides=overrides).closing[-1] == \
        "If the amount has already been paid, please disregard this demand."
    with pytest.raises(TemplateError):
        save_override("letter_demand", "pl", "closing", "{{ nope }}", "anna", now)
    with pytest.raises(ValueError, match="no 'html' part"):
        save_override("letter_demand", "pl", "html", "<p>x</p>", "anna", now)
    assert load_overrides() == overrides
    assert reset_override("letter_demand", "pl", "closing")
    assert load_overrides() == {}
    with pytest.raises(ValueError, match="no 'html' part"):
        reset_override("letter_demand", "pl", "html")
