"""E-mail templates: the 18 defaults, plain-data views, the sandbox, errors with line
numbers, and overrides stored in the database (the letters': test_letter_templates.py)."""

from __future__ import annotations

import datetime as dt
import time
from collections import OrderedDict
from decimal import Decimal
from types import SimpleNamespace

import pytest
from markupsafe import Markup
from peewee import Model

from windykacja.dunning import render
from windykacja.dunning.render import (
    LANGUAGES,
    MAIL_NAMES,
    PARTS,
    RenderedMessage,
    TemplateError,
    check_template,
    default_source,
    load_overrides,
    render_message,
    reset_override,
    save_override,
)
from windykacja.dunning.template_data import (
    DEMAND_KEYS,
    MESSAGE_KEYS,
    REPORT_KEYS,
    contractor_view,
    document_view,
    ensure_plain,
    message_context,
    report_context,
    sample_context,
    sender_view,
    totals_by_currency,
)
from windykacja.ledger.settings import load_settings
from windykacja.models import TemplateOverride

TODAY = dt.date(2026, 11, 23)
BANK = "PL61 1090 1014 0000 0712 1981 2874"

SENDER = SimpleNamespace(
    company_name="Nasza Firma Sp. z o.o.",
    company_address="ul. Długa 5, 31-147 Kraków",
    company_nip="6762451234",
    company_bank_account=BANK,
    sender_name="Anna Kowalska",
    sender_email="windykacja@naszafirma.pl",
)
CONTRACTOR = SimpleNamespace(
    code="K7", name="Kowalski & Syn <Hurt>", nip="5260250274",
    address="ul. Polna 3, 00-001 Warszawa", emails="biuro@kowalski.pl\nfaktury@kowalski.pl",
    phone="+48 600 000 000", language="pl",
)


def doc(number, issued, due, gross, outstanding=None, currency="PLN"):
    return SimpleNamespace(
        number=number, issue_date=issued, due_date=due, currency=currency,
        gross=Decimal(gross), outstanding=Decimal(outstanding or gross),
    )


def demand_context(kind="demand"):
    numbers = 2 if kind == "demand" else None
    docs = [
        document_view(
            doc("FV/2026/11/001", dt.date(2026, 10, 1), dt.date(2026, 10, 15), "1234.56"),
            TODAY, numbers,
        ),
        document_view(
            doc("FV/2026/11/002", dt.date(2026, 10, 20), dt.date(2026, 11, 3), "5000.00",
                "2500.50"),
            TODAY, numbers,
        ),
        document_view(
            doc("FV/EUR/7", dt.date(2026, 10, 20), dt.date(2026, 11, 22), "1999.99",
                currency="EUR"),
            TODAY, numbers,
        ),
    ]
    return message_context(
        kind, contractor_view(CONTRACTOR), docs, sender_view(SENDER), TODAY
    )


def reminder_context():
    docs = [
        document_view(
            doc("FV/2026/11/001", dt.date(2026, 11, 12), dt.date(2026, 11, 26), "1234.56"),
            TODAY, None,
        ),
        document_view(
            doc("FV/EUR/7", dt.date(2026, 11, 12), dt.date(2026, 11, 26), "1999.99",
                currency="EUR"),
            TODAY, None,
        ),
    ]
    return message_context(
        "reminder", contractor_view(CONTRACTOR), docs, sender_view(SENDER), TODAY
    )


def report_ctx(reason="paid"):
    document = document_view(
        doc("FV/2026/11/001", dt.date(2026, 10, 1), dt.date(2026, 10, 15), "1234.56", "0.00"),
        TODAY, None,
    )
    events = [
        {"day": dt.date(2026, 10, 12), "kind": "reminder_sent", "text": "Przypomnienie",
         "author": "system"},
        {"day": dt.date(2026, 10, 23), "kind": "demand_sent", "text": "Wezwanie 1",
         "author": "system"},
        {"day": dt.date(2026, 11, 2), "kind": "note",
         "text": "Klient dzwonił: zapłaci w piątek", "author": "jan.nowak"},
        {"day": dt.date(2026, 11, 23), "kind": "payment_recorded",
         "text": "Wpłata 1 234,56 PLN", "author": "jan.nowak"},
    ]
    return report_context(
        document, contractor_view(CONTRACTOR), events, reason, sender_view(SENDER), TODAY
    )


CONTEXTS = {"reminder": reminder_context, "demand": demand_context, "report": report_ctx}


# --- views ---------------------------------------------------------------------------


def test_views_of_real_rows_are_plain_data(collection, clock):
    contractor = collection.contractor(
        code="K100", email="a@kowalski.pl\nb@kowalski.pl", name="Kowalski", nip="5260250274"
    )
    document = collection.document(
        contractor, due=dt.date(2026, 11, 13), gross="1234.56", number="FV/9"
    )
    view = contractor_view(contractor)
    assert view == {
        "code": "K100", "name": "Kowalski", "nip": "5260250274", "vat_eu": "",
        "vat_country": "", "address": "",
        "emails": ["a@kowalski.pl", "b@kowalski.pl"], "phone": "", "language": "pl",
        "kind": "business",
    }
    dview = document_view(document, clock.today(), 1)
    assert dview["number"] == "FV/9"
    assert dview["due_date"] == dt.date(2026, 11, 13)
    assert dview["outstanding"] == Decimal("1234.56")
    assert dview["days_overdue"] == 10
    assert dview["demand_number"] == 1
    context = message_context(
        "demand", view, [dview], sender_view(load_settings()), clock.today()
    )
    ensure_plain(context)
    assert set(context) == DEMAND_KEYS
    assert context["sender"]["company_bank_account"] == "PL61 1090 1014 0000 0712 1981 2874"

    def walk(value):
        assert not isinstance(value, Model)
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(context)


def test_a_model_instance_never_reaches_a_template(collection):
    contractor = collection.contractor(code="K200")
    document = collection.document(contractor, due=dt.date(2026, 11, 13))
    with pytest.raises(TypeError, match="plain data only"):
        message_context("demand", contractor, [document], SENDER, TODAY)
    context = dict(demand_context())
    context["row"] = document
    with pytest.raises(TypeError, match=r"context\.row is a Document"):
        render_message("demand", "pl", context)


def test_days_overdue_counts_from_the_due_date_and_never_goes_negative():
    due = dt.date(2026, 11, 20)
    assert document_view(doc("A", due, due, "1"), TODAY, None)["days_overdue"] == 3
    assert document_view(doc("A", due, due, "1"), due, None)["days_overdue"] == 0
    later = dt.date(2026, 12, 1)
    assert document_view(doc("A", due, later, "1"), TODAY, None)["days_overdue"] == 0


def test_totals_by_currency_put_pln_first():
    docs = [
        {"currency": "EUR", "outstanding": Decimal("10.00")},
        {"currency": "PLN", "outstanding": Decimal("0.10")},
        {"currency": "CHF", "outstanding": Decimal("1.00")},
        {"currency": "PLN", "outstanding": Decimal("0.20")},
    ]
    assert [(t["currency"], t["outstanding"], t["total"]) for t in totals_by_currency(docs)] == [
        ("PLN", Decimal("0.30"), Decimal("0.30")),
        ("CHF", Decimal("1.00"), Decimal("1.00")),
        ("EUR", Decimal("10.00"), Decimal("10.00")),
    ]


def test_totals_add_interest_per_currency_and_compensation_in_pln():
    docs = [
        {"currency": "EUR", "outstanding": Decimal("10.00"), "interest": Decimal("0.05"),
         "compensation": Decimal("168.00")},
        {"currency": "EUR", "outstanding": Decimal("5.00"), "interest": None,
         "compensation": None},
    ]
    keys = ("currency", "outstanding", "interest", "compensation", "total")
    assert [{k: row[k] for k in keys} for row in totals_by_currency(docs)] == [
        {"currency": "PLN", "outstanding": Decimal("0"), "interest": Decimal("0"),
         "compensation": Decimal("168.00"), "total": Decimal("168.00")},
        {"currency": "EUR", "outstanding": Decimal("15.00"), "interest": Decimal("0.05"),
         "compensation": Decimal("0"), "total": Decimal("15.05")},
    ]


def test_a_figure_not_known_is_never_totalled_as_zero():
    """No rate: the interest, the compensation in PLN and the total are None (which the
    ``money`` filter refuses), never 0; what is known is summed apart."""
    docs = [
        {"currency": "PLN", "outstanding": Decimal("100.00"), "interest": Decimal("1.50"),
         "interest_missing": False, "compensation": Decimal("168.00")},
        {"currency": "PLN", "outstanding": Decimal("200.00"), "interest": None,
         "interest_missing": True, "compensation": None, "compensation_missing": True,
         "compensation_eur": 40},
    ]
    [row] = totals_by_currency(docs)
    assert row["interest"] is None and row["compensation"] is None and row["total"] is None
    assert row["interest_missing"] and row["compensation_missing"]
    assert row["interest_known"] == Decimal("1.50")
    assert row["compensation_known"] == Decimal("168.00")
    assert row["total_known"] == Decimal("469.50")
    assert row["compensation_eur_missing"] == 40
    with pytest.raises(TemplateError, match="not known"):
        render_message("demand", "pl", {**demand_context(),
                                        "totals": [row]},
                       {("demand", "pl", "text"): "{{ totals[0].interest|money }}"})


def test_context_keys_are_the_documented_ones():
    assert set(demand_context()) == DEMAND_KEYS == MESSAGE_KEYS | {"broken_promise", "registry"}
    assert set(reminder_context()) == MESSAGE_KEYS
    assert set(report_ctx()) == REPORT_KEYS
    keys = {"report": REPORT_KEYS, "demand": DEMAND_KEYS, "reminder": MESSAGE_KEYS}
    for name in MAIL_NAMES:
        assert set(sample_context(name)) == keys[name]


# --- the default templates --------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", MAIL_NAMES)
def test_every_default_renders_and_passes_its_own_check(name, language):
    message = render_message(name, language, CONTEXTS[name]())
    assert isinstance(message, RenderedMessage)
    assert message.subject and "\n" not in message.subject
    assert "FV/2026/11/001" in message.subject
    assert message.html.lstrip().startswith("<!DOCTYPE html>")
    assert "<table" in message.html
    for part in PARTS:
        check_template(name, part, default_source(name, language, part), language)


def money(language: str, polish: str, english: str) -> str:
    return polish if language == "pl" else english


@pytest.mark.parametrize("language", LANGUAGES)
def test_reminder_lists_documents_amounts_totals_and_account(language):
    message = render_message("reminder", language, reminder_context())
    for body in (message.text, message.html):
        assert "FV/2026/11/001" in body and "FV/EUR/7" in body
        assert "12.11.2026" in body and "26.11.2026" in body
        # Each reader's notation: 1 234,56 in Polish, 1,234.56 in English.
        assert money(language, "1 234,56 PLN", "1,234.56 PLN") in body
        assert money(language, "1 999,99 EUR", "1,999.99 EUR") in body
        assert BANK in body
        assert "Nasza Firma Sp. z o.o." in body


@pytest.mark.parametrize(
    "language, number_words, overdue",
    [("pl", "wezwanie nr 2", "dni opóźnienia: 39"), ("en", "demand no. 2", "days late: 39")],
)
def test_demand_has_numbers_days_overdue_totals_deadline_and_signature(
    language, number_words, overdue
):
    message = render_message("demand", language, demand_context())
    text = message.text
    assert number_words in text and number_words in message.html
    assert overdue in text  # FV/2026/11/001 fell due on 15.10
    # FV/EUR/7 fell due on Sunday 22.11: its legal due date is Monday 23.11, today, so it
    # is not late yet (law/lateness.py), as the claim's days_late and the screens say.
    assert ("dni opóźnienia: 0\n" if language == "pl" else "days late: 0\n") in text
    assert money(language, "1 234,56 PLN", "1,234.56 PLN") in text
    assert money(language, "2 500,50 PLN", "2,500.50 PLN") in text
    assert money(language, "3 735,06 PLN", "3,735.06 PLN") in text  # the PLN total
    assert money(language, "1 999,99 EUR", "1,999.99 EUR") in text
    assert "30.11.2026" in text  # the deadline: today + 7 days
    assert BANK in text
    assert "NIP 6762451234" in text or "(NIP): 6762451234" in text
    assert "ul. Długa 5, 31-147 Kraków" in text
    assert "Anna Kowalska" in text
    assert money(language, "3 735,06 PLN", "3,735.06 PLN") in message.html


@pytest.mark.parametrize(
    "language, reason_text, note_kind, nothing_paid",
    [("pl", "dokument został zapłacony w całości", "notatka", "0,00 PLN"),
     ("en", "the document was paid in full", "note", "0.00 PLN")],  # the reader's notation
)
def test_report_has_reason_history_and_amounts(language, reason_text, note_kind, nothing_paid):
    message = render_message("report", language, report_ctx())
    for body in (message.text, message.html):
        assert reason_text in body
        assert "Klient dzwonił: zapłaci w piątek" in body
        assert "jan.nowak" in body
        assert "02.11.2026" in body
        assert note_kind in body
        assert "1 234,56 PLN" in body  # the event's own text, as it was written
        assert nothing_paid in body
    free_text = render_message("report", language, report_ctx("przekazano ręcznie"))
    assert "przekazano ręcznie" in free_text.text


def test_html_is_escaped_and_text_is_not():
    message = render_message("demand", "pl", demand_context())
    assert "Kowalski &amp; Syn &lt;Hurt&gt;" in message.html
    assert "<Hurt>" not in message.html
    assert "Kowalski & Syn <Hurt>" in message.text


def test_the_subject_is_one_line_and_overrides_win_part_by_part():
    overrides = {("demand", "pl", "subject"): "Wezwanie\n\n  {{ documents|length }}\r\n dok."}
    message = render_message("demand", "pl", demand_context(), overrides)
    assert message.subject == "Wezwanie 3 dok."
    assert message.text == render_message("demand", "pl", demand_context()).text
    english = render_message("demand", "en", demand_context(), overrides)
    assert english.subject.startswith("Payment demand")


def test_the_html_part_follows_an_edited_text_part():
    """Issue 12: the user's own plain text with the default HTML sent the default words
    to every mail program that shows HTML. The HTML is now made from their text."""
    own = ("Szanowni Państwo,\n\nprosimy o zapłatę {{ documents|length }} faktur "
           "w ciągu 7 dni.\nFirma <Kowalski> & Syn")
    message = render_message("demand", "pl", demand_context(),
                             {("demand", "pl", "text"): own})
    assert "prosimy o zapłatę 3 faktur w ciągu 7 dni." in message.text
    assert "<p>prosimy o zapłatę 3 faktur w ciągu 7 dni.<br>\n" in message.html
    assert "Firma &lt;Kowalski&gt; &amp; Syn</p>" in message.html
    default_html = render_message("demand", "pl", demand_context()).html
    assert message.html != default_html and "<table" not in message.html
    # The other language keeps its own default HTML.
    english = render_message("demand", "en", demand_context(),
                             {("demand", "pl", "text"): own})
    assert english.html == render_message("demand", "en", demand_context()).html
    # With an HTML of their own too, both are sent as written.
    both = render_message("demand", "pl", demand_context(),
                          {("demand", "pl", "text"): own,
                           ("demand", "pl", "html"): "<p>Własny HTML</p>"})
    assert both.html == "<p>Własny HTML</p>\n"


def test_money_and_pl_date_filters():
    source = (
        "{{ 1234.5|money('EUR') }}|{{ totals[0].outstanding|money }}|{{ today|pl_date }}"
        "|{% set currency = 'CHF' %}{{ 7|money }}"
    )
    message = render_message("demand", "pl", demand_context(), {("demand", "pl", "text"): source})
    # without an argument: the context's `currency` when set, else PLN
    assert message.text.strip() == "1 234,50 EUR|3 735,06 PLN|23.11.2026|7,00 CHF"


def test_compiled_templates_are_cached_by_source():
    source = "{{ documents|length }} cache-probe"
    # The subject: an own text alone would make the HTML from it, one compile fewer.
    overrides = {("reminder", "en", "subject"): source}
    render_message("reminder", "en", reminder_context(), overrides)
    hits = render._compile.cache_info().hits
    render_message("reminder", "en", reminder_context(), overrides)
    assert render._compile.cache_info().hits >= hits + 3


# --- the sandbox ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ contractor.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ self.__init__.__globals__ }}",
        "{{ ''|attr('__class__') }}",
        "{{ '{0.__class__}'.format('') }}",
        "{{ os.system('id') }}",
        "{{ lipsum.__globals__ }}",
        "{{ documents.append(1) }}",
        "{{ contractor.update({'name': 'x'}) }}",
        "{{ range(10**7)|length }}",
    ],
)
def test_escapes_and_mutations_are_refused(source):
    with pytest.raises(TemplateError) as caught:
        render_message("demand", "pl", demand_context(), {("demand", "pl", "text"): source})
    assert caught.value.part == "text"
    assert caught.value.line == 1


@pytest.mark.parametrize(
    "source",
    [
        "{{ ('x' * 10**8)|length }}",
        "{{ [0] * 10**6 }}",
        "{{ 10 ** (10 ** 6) }}",
        "{{ 2 ** 100000 }}",
        "{{ (10**3000) * (10**3000) }}",
        "{{ 'x'|center(10**8) }}",
        "{{ 'x'.ljust(10**8) }}",
        "{{ '{:>100000000}'.format(1) }}",
        "{{ '%100000000d' % 1 }}",
        "{{ ('x' * 100000)|replace('x', 'x' * 100000) }}",
        "{{ (['x' * 100000] * 100000)|join }}",
        "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}",
    ],
)
def test_huge_allocations_are_refused_quickly(source):
    started = time.perf_counter()
    with pytest.raises(TemplateError, match="too large"):
        render_message("demand", "pl", demand_context(), {("demand", "pl", "html"): source})
    assert time.perf_counter() - started < 2


def test_a_misspelt_variable_fails_with_its_line():
    source = "Szanowni Państwo,\n\n{{ contractor.name }}\n{{ contractor.nmae }}\n"
    with pytest.raises(TemplateError) as caught:
        render_message("demand", "en", demand_context(), {("demand", "en", "text"): source})
    error = caught.value
    assert (error.name, error.language, error.part, error.line) == ("demand", "en", "text", 4)
    assert "nmae" in error.message
    assert "line 4" in str(error)

    with pytest.raises(TemplateError) as caught:
        overrides = {("demand", "pl", "html"): "a\n{{ custmer }}"}
        render_message("demand", "pl", demand_context(), overrides)
    assert caught.value.line == 2
    assert "'custmer' is undefined" in caught.value.message


def test_a_syntax_error_at_render_time_names_its_line():
    with pytest.raises(TemplateError) as caught:
        overrides = {("reminder", "pl", "text"): "a\nb\n{% for %}"}
        render_message("reminder", "pl", reminder_context(), overrides)
    assert caught.value.line == 3


# --- checking and storing edits -----------------------------------------------------------


def test_check_template_reports_a_syntax_errors_line():
    with pytest.raises(TemplateError) as caught:
        check_template("reminder", "text", "Dzień dobry\n\n{% if documents %}\n{{ x }\n")
    assert caught.value.line == 4
    with pytest.raises(TemplateError) as caught:
        check_template("reminder", "html", "a\n{% if documents %}\nb\n")
    assert caught.value.line is not None


def test_check_template_refuses_a_variable_the_context_does_not_have():
    with pytest.raises(TemplateError) as caught:
        check_template("reminder", "text", "Dzień dobry\n\n{{ customer.name }}\n")
    assert caught.value.line == 3
    assert "customer" in caught.value.message
    assert "contractor" in caught.value.message  # the list of what is available
    with pytest.raises(TemplateError, match="document"):
        check_template("demand", "subject", "{{ document.number }}")  # only the report has it
    check_template("report", "subject", "{{ document.number }}")


def test_trial_render_finds_what_only_rendering_reveals():
    source = "ok\n{% for d in documents %}\n{{ d.numer }}\n{% endfor %}"
    check_template("demand", "text", source)  # every variable exists
    with pytest.raises(TemplateError) as caught:
        render.trial_render("demand", "text", source)
    assert caught.value.line == 3
    with pytest.raises(TemplateError, match="not allowed"):
        render.trial_render("demand", "text", "{{ sender.__class__ }}")
    with pytest.raises(TemplateError, match="unknown variable"):
        render.trial_render("demand", "text", "{{ klient }}")
    preview = render.trial_render(
        "demand", "subject", "Wezwanie\n{{ documents[0].number }}", "pl", demand_context()
    )
    assert preview == "Wezwanie FV/2026/11/001"
    text = render.trial_render(
        "demand", "text",
        "{% set n = namespace(count=0) %}{% for d in documents %}{{ d.number }} "
        "{{ d.outstanding|money(d.currency) }} {% endfor %}{{ deadline|pl_date }}",
    )
    assert "1 234,56 PLN" in text and "30.11.2026" in text


def test_save_load_and_reset_overrides(db, clock):
    now = clock.now()
    assert load_overrides() == {}
    save_override("demand", "pl", "subject", "Wezwanie: {{ documents|length }}", "anna", now)
    assert load_overrides() == {("demand", "pl", "subject"): "Wezwanie: {{ documents|length }}"}
    save_override("demand", "pl", "subject", "Wezwanie nr {{ documents[0].demand_number }}",
                  "jan", now)
    row = TemplateOverride.get()
    assert (row.source, row.author) == ("Wezwanie nr {{ documents[0].demand_number }}", "jan")
    message = render_message("demand", "pl", demand_context(), load_overrides())
    assert message.subject == "Wezwanie nr 2"

    with pytest.raises(TemplateError) as caught:
        save_override("demand", "pl", "text", "a\n{% if %}", "anna", now)
    assert caught.value.line == 2
    assert TemplateOverride.select().count() == 1

    assert reset_override("demand", "pl", "subject") is True
    assert reset_override("demand", "pl", "subject") is False
    assert load_overrides() == {}

    default = default_source("report", "en", "html")
    save_override("report", "en", "html", default, "anna", now)
    assert load_overrides() == {}  # saving the default text keeps no override


def test_unknown_names_are_programming_errors():
    with pytest.raises(ValueError):
        default_source("agency", "pl", "text")
    with pytest.raises(ValueError):
        render_message("demand", "de", demand_context())
    with pytest.raises(ValueError):
        check_template("demand", "body", "x")


@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_compensation_without_its_pln_value_is_never_a_zero_pln_row(language):
    """A EUR invoice without its exchange rate: the compensation's tier (40/70/100 EUR) is
    unknown, and the PLN row it would create says so instead of "0,00 PLN"."""
    doc_view = {**document_view(
        doc("FV/EUR/9", dt.date(2026, 10, 1), dt.date(2026, 10, 15), "300.00",
            currency="EUR"), TODAY, 1),
        "days_late": 39, "interest": Decimal("2.53"),
        "compensation_missing": True, "compensation_eur": None}
    context = message_context("demand", contractor_view(CONTRACTOR), [doc_view],
                              sender_view(SENDER), TODAY, interest=True, compensation=True)
    message = render_message("demand", language, context)
    for part in (message.text, message.html):
        assert "0,00 PLN" not in part
        assert ("40, 70 lub 100 EUR" if language == "pl" else "40, 70 or 100 EUR") in part


@pytest.mark.parametrize("attribute", ["number", "items", "get", "missing", "__class__",
                                       "_private", "mro", "format", "upper"])
@pytest.mark.parametrize("obj", [{"number": "FV/1", "items": [1]}, {}, "tekst", [1, 2],
                                 Decimal("1.5"), SimpleNamespace(number=7)])
def test_attribute_lookup_finds_what_jinjas_sandbox_finds(obj, attribute):
    """MailSandbox looks a dict's key up first (speed); what it returns is what the
    sandbox it extends returns, for keys, dict methods, missing and unsafe names."""
    from jinja2.runtime import Undefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    ours = render.environment("text").getattr(obj, attribute)
    theirs = ImmutableSandboxedEnvironment(undefined=render.StrictUndefined).getattr(
        obj, attribute)
    if isinstance(theirs, Undefined):
        assert type(ours) is type(theirs)
        assert ours._undefined_name == theirs._undefined_name
        assert ours._undefined_obj is theirs._undefined_obj
        assert ours._undefined_hint == theirs._undefined_hint
    elif callable(theirs):
        assert ours == theirs or getattr(ours, "__name__", None) == theirs.__name__
    else:
        assert ours == theirs


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", render.TEMPLATE_NAMES)
def test_the_shipped_templates_render_outside_the_sandbox_exactly_as_inside(name, language):
    """Our own templates render in ``ShippedMail``, without the sandbox's checks (a
    third of the day's rendering; a user's template stays in the sandbox, as the test
    of escapes above shows): every part of every one, on the sample context and on these
    tests' contexts (a name with ``&`` and ``<>``, Polish letters, three currencies),
    comes out exactly as the sandbox writes it."""
    contexts = [sample_context(name)] + ([CONTEXTS[name]()] if name in CONTEXTS else [])
    for context in contexts:
        for part in render.parts_of(name):
            source = default_source(name, language, part)
            inside = render._render_part(source, part, context, name, language)
            assert render._render_part(source, part, context, name, language,
                                       shipped=True) == inside


@pytest.mark.parametrize("value, plain", [
    ({"a": [1, 2.5, Decimal("3"), "x", None, True, dt.date(2026, 1, 2)]}, True),
    ({"when": dt.datetime(2026, 1, 2, 3, 4), "at": dt.time(8)}, True),  # subclasses too
    (OrderedDict(a=(1, {"b": Markup("<i>")})), True),
    ({"a": [{"b": [{"c": {1, 2}}]}]}, False),  # a set, deep down
    ({"a": {2: "two"}}, False),  # a key that is no text
    ([{"a": 1}, SimpleNamespace(b=2)], False),
    ({"a": b"bytes"}, False),
])
def test_plain_data_is_told_from_anything_else(value, plain):
    """The stack walk of ensure_plain answers as the recursive check did: dicts with
    text keys, lists, tuples, text, numbers, dates, times and None, at any depth, and
    their subclasses; anything else is refused, naming where."""
    if plain:
        ensure_plain(value)
    else:
        with pytest.raises(TypeError, match="context"):
            ensure_plain(value)
