"""Registered-letter numbers as a person types them from the post office's label (issue
16, docs/registry.md §9.2): 20 domestic digits, or a UPU S10 number with its check digit."""

from __future__ import annotations

import pytest

from windykacja.ledger.validation import normalise_registered_number, s10_check_digit


@pytest.mark.parametrize("typed, stored", [
    ("00659007734210512345", "00659007734210512345"),
    ("0065 9007 7342 1051 2345", "00659007734210512345"),
    ("rr123456785pl", "RR123456785PL"),  # the UPU's own example serial, 12345678 → 5
    ("RR 12345678 5 PL", "RR123456785PL"),
])
def test_numbers_as_the_label_prints_them(typed, stored):
    assert normalise_registered_number(typed) == stored


@pytest.mark.parametrize("serial, digit", [
    ("12345678", 5),  # 204 mod 11 = 6: 11 - 6
    ("10000014", 0),  # sum mod 11 = 1: 11 - 1 = 10 -> 0
    ("10000002", 5),  # sum mod 11 = 0: 11 - 0 = 11 -> 5
])
def test_the_s10_check_digit(serial, digit):
    assert s10_check_digit(serial) == digit


@pytest.mark.parametrize("typed, problem", [
    ("0065900773421051234", "a domestic registered number has 20 digits, not 19"),
    ("RR123456784PL", "the check digit of RR123456784PL is wrong"),
    ("R123456785PL", "not a registered number"),
    ("", "a domestic registered number has 20 digits|not a registered number"),
])
def test_what_is_not_a_registered_number(typed, problem):
    with pytest.raises(ValueError, match=problem):
        normalise_registered_number(typed)
