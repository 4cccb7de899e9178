"""A demand after a broken promise may say so (issue 15): the template variable
``broken_promise`` and the sentence of the default demands; letters without one are
exactly as before."""

from __future__ import annotations

import datetime as dt
import email
import re
from decimal import Decimal
from email.policy import default

import pytest

from windykacja.dunning.broken_promise import newest_broken_promise
from windykacja.dunning.passes import plan_day
from windykacja.dunning.render import LANGUAGES, default_source, render_message
from windykacja.dunning.template_data import promise_view, sample_context
from windykacja.dunning.template_preview import variable_list
from windykacja.ledger.answers import make_promise, settle_promises
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.settings import load_settings
from windykacja.models import Document, Message

DUE = dt.date(2026, 2, 26)  # a Thursday
MADE = dt.date(2026, 3, 10)
PAY_BY = dt.date(2026, 3, 12)  # waits until 15.03 (grace 3 days): broken on Monday 16.03
RESUMES = dt.date(2026, 3, 16)

SENTENCES = {
    ("pl", "text"): "W dniu 10.03.2026 zobowiązali się Państwo zapłacić 1 500,00 PLN do dnia "
                    "12.03.2026; płatność nie wpłynęła.",
    ("en", "text"): "On 10.03.2026 you undertook to pay 1,500.00 PLN by 12.03.2026; the "
                    "payment has not arrived.",
}
SENTENCES[("pl", "html")] = SENTENCES[("pl", "text")]
SENTENCES[("en", "html")] = SENTENCES[("en", "text")]
PROMISE = {"amount": Decimal("1500.00"), "currency": "PLN", "pay_by": PAY_BY, "made_on": MADE}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_default_demands_say_the_promise_was_broken(language):
    context = {**sample_context("demand"), "broken_promise": PROMISE}
    message = render_message("demand", language, context)
    assert SENTENCES[(language, "text")] in message.text
    assert f"<p>{SENTENCES[(language, 'html')]}</p>" in message.html


def _without_the_sentence(source: str) -> str:
    cut = re.sub(r"\{% if broken_promise %\}.*?\{% endif %\}\n", "", source, flags=re.S)
    assert cut != source and "broken_promise" not in cut
    return cut


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_a_broken_promise_a_demand_is_as_it_was(language):
    """The default templates with the new sentence, rendered with no broken promise, are
    byte for byte the same as without the sentence in them."""
    context = sample_context("demand")
    assert context["broken_promise"] is None
    before = {("demand", language, part): _without_the_sentence(
        default_source("demand", language, part)) for part in ("text", "html")}
    assert render_message("demand", language, context) == render_message(
        "demand", language, context, before)


def test_the_variable_is_listed_for_demands_only():
    assert {"broken_promise.amount", "broken_promise.currency", "broken_promise.pay_by",
            "broken_promise.made_on"} <= set(variable_list("demand"))
    assert not any("broken_promise" in line for line in variable_list("reminder"))
    assert "broken_promise" not in sample_context("reminder")
    assert promise_view(None) is None


@pytest.fixture
def broken(collection, clock):
    """A document due 26.02 whose debtor promised on 10.03 to pay 1,500.00 by 12.03 and
    did not: the promise is broken on 16.03, before any step was sent."""
    clock.day = MADE
    contractor = collection.contractor()
    document = collection.document(contractor, DUE, gross="4920.00", number="FV/2026/02/017")
    make_promise(clock, load_settings(), [document], Decimal("1500.00"), PAY_BY)
    settle_promises(FixedClock(RESUMES))
    return document


def test_the_demand_after_a_broken_promise_mentions_it(broken, clock):
    clock.day = RESUMES
    plan_day(clock, load_settings(), RESUMES)
    message = Message.get()
    parsed = email.message_from_string(message.raw, policy=default)
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert SENTENCES[("pl", "text")] in text
    assert SENTENCES[("pl", "html")] in html


def test_a_step_after_the_broken_promise_has_answered_it(broken, collection, clock):
    promise = newest_broken_promise([broken])
    assert promise is not None and promise_view(promise) == PROMISE
    Document.update(demands_sent=1, last_demand_on=RESUMES).where(
        Document.id == broken.id).execute()
    assert newest_broken_promise([Document.get_by_id(broken.id)]) is None
    # Of several documents, the newest broken after its own document's last step.
    other = collection.document(broken.contractor, DUE, gross="100.00", number="FV/2")
    clock.day = RESUMES
    make_promise(clock, load_settings(), [other], Decimal("50.00"), RESUMES)
    settle_promises(FixedClock(RESUMES + dt.timedelta(days=10)))
    found = newest_broken_promise([Document.get_by_id(broken.id), other])
    assert found is not None and found.amount == Decimal("50.00")
