"""Which way a step goes (issue 16, docs/paper-design.md): e-mail, letter or both, by the
settings of its kind; a letter instead of an e-mail for a contractor without one; a
letter needs a postal address. With the paper path off nothing changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from windykacja.dunning.policy import NoStep, Step, step_channel
from windykacja.dunning.wording import describe_reason
from windykacja.ledger.settings import CollectionSettings

DAY = dt.date(2026, 12, 7)
REMINDER, DEMAND_1, DEMAND_3 = Step("reminder", 0, DAY), Step("demand", 1, DAY), \
    Step("demand", 3, DAY)
PAPER = CollectionSettings(module_enabled=True, letters_enabled=True,
                           letters_reminder="email", letters_demand="email",
                           letters_last_demand="letter")


def test_with_the_paper_path_off_every_step_is_an_e_mail_or_nothing():
    off = replace(PAPER, letters_enabled=False)
    assert step_channel(off, DEMAND_3, True, True) == "email"
    assert step_channel(off, DEMAND_3, False, True) == NoStep("no_email")


@pytest.mark.parametrize("step, channel", [(REMINDER, "email"), (DEMAND_1, "email"),
                                           (DEMAND_3, "letter")])
def test_each_kind_of_step_has_its_own_setting(step, channel):
    assert step_channel(PAPER, step, True, True) == channel


def test_the_last_demand_is_the_one_numbered_demand_max_count():
    assert step_channel(replace(PAPER, demand_max_count=5), DEMAND_3, True, True) == "email"


def test_a_contractor_without_e_mail_gets_letters_and_without_address_nothing():
    assert step_channel(PAPER, DEMAND_1, False, True) == "letter"
    assert step_channel(PAPER, DEMAND_1, False, False) == NoStep("no_contact")
    assert describe_reason(NoStep("no_contact"), "pl") == (
        "brak adresu e-mail i adresu pocztowego")


def test_a_letter_without_a_postal_address():
    assert step_channel(PAPER, DEMAND_3, True, False) == NoStep("no_address")
    assert describe_reason(NoStep("no_address"), "pl") == "brak adresu pocztowego do listu"
    both = replace(PAPER, letters_last_demand="both")
    assert step_channel(both, DEMAND_3, True, True) == "both"
    assert step_channel(both, DEMAND_3, True, False) == "email"  # no paper copy possible
    assert step_channel(both, DEMAND_3, False, True) == "letter"


def test_an_unknown_channel_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown channel 'fax'"):
        step_channel(replace(PAPER, letters_demand="fax"), DEMAND_1, True, True)
