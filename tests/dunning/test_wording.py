"""The words of steps, reasons and events (``dunning.wording``) in both languages: every
code the rules can give has its own words, in Polish Polish, and no code reaches a reader."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from windykacja.dunning import policy
from windykacja.dunning.policy import NoStep, Step
from windykacja.dunning.wording import (
    EVENT_NAMES,
    REASONS,
    describe_event_kind,
    describe_next,
    describe_reason,
)
from windykacja.i18n import words
from windykacja.models import EventKind

DAY = dt.date(2026, 11, 23)
# The values each reason carries (policy.py), as the rules give them.
REASON_PARAMS = {
    "module_off": {},
    "excluded": {},
    "contractor_excluded": {},
    "in_recovery": {"case": 12},
    "paid": {},
    "no_email": {},
    "addresses_failing": {"failures": (SimpleNamespace(address="a@example.pl",
                                                       reply="550 no such user", on=DAY),)},
    "finished": {"on": DAY},
    "message_pending": {"message": 41, "state": "in_doubt"},
    "demands_off": {},
    "max_demands": {"sent": 3, "max": 3},
    "below_demand_minimum": {"minimum": Decimal("1234.50")},
    "no_allowed_day": {},
    "statement_stale": {"on": DAY, "days": 5},
    "disputed": {"since": DAY},
    "reply_waiting": {"since": DAY},
    "promised": {"until": DAY},
    "no_address": {},
    "no_contact": {},
    "letter_pending": {"letter": 41, "letter_state": "printed"},
}
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def test_every_reason_the_rules_give_has_words():
    """A NoStep code written in policy.py without words would reach a reader as a code."""
    source = Path(policy.__file__).read_text(encoding="utf-8")
    given = set(re.findall(r'NoStep\(\s*"(\w+)"', source)) | {"excluded", "contractor_excluded"}
    assert given <= set(REASONS)
    assert set(REASONS) <= set(REASON_PARAMS)  # a new reason: give it values below


@pytest.mark.parametrize("code", sorted(REASONS))
def test_each_reason_in_polish_is_neither_its_code_nor_english(code):
    reason = NoStep(code, REASON_PARAMS[code])
    polish, english = describe_reason(reason, "pl"), describe_reason(reason, "en")
    assert polish not in (code, english)
    assert code not in polish and not CODE.search(polish)
    assert "{" not in polish and "{" not in english
    assert "2026-11-23" not in polish  # dates in Polish form
    if code == "below_demand_minimum":
        assert "1 234,50 PLN" in polish and "1,234.50 PLN" in english
    if code == "message_pending":
        assert "in_doubt" not in english


@pytest.mark.parametrize("kind", sorted(EventKind.ALL))
def test_each_event_kind_in_polish_is_neither_its_code_nor_english(kind):
    polish, english = describe_event_kind(kind, "pl"), describe_event_kind(kind, "en")
    assert kind in EVENT_NAMES
    assert polish not in (kind, english)
    assert not CODE.search(polish) and not CODE.search(english)


def test_an_unknown_code_says_it_is_unknown():
    """A code a newer program wrote, read by this one: named as unknown, never passed off
    as a word (ledger.names does the same for every stored code)."""
    unknown = words("pl").t("unknown ({code})", code="future_kind")
    assert describe_event_kind("future_kind", "pl") == unknown != "future_kind"
    assert describe_reason(NoStep("future_reason"), "en") == "unknown (future_reason)"


@pytest.mark.parametrize("n, polish, english", [
    (1, "starszy niż 1 dzień", "older than 1 day"),
    (2, "starszy niż 2 dni", "older than 2 days"),
    (5, "starszy niż 5 dni", "older than 5 days"),
])
def test_a_count_in_a_reason_takes_its_plural_form(n, polish, english):
    reason = NoStep("statement_stale", {"on": DAY, "days": n})
    assert describe_reason(reason, "pl").endswith(f"({polish})")
    assert describe_reason(reason, "en").endswith(english)
    assert "z 23.11.2026" in describe_reason(reason, "pl")


def test_steps_with_polish_dates():
    assert describe_next(Step("demand", 2, DAY), "pl") == "wezwanie 2 dnia 23.11.2026"
    assert describe_next(Step("reminder", 0, DAY), "pl") == "przypomnienie dnia 23.11.2026"
    assert describe_next(Step("demand", 2, DAY), "en") == "demand 2 on 23.11.2026"
