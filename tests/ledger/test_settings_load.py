"""Settings read back from the database are what was saved, without checking the stored
e-mail addresses and NIPs again (issue 17: email-validator's tables and python-stdnum
are imports the interface's first screen waited for); what is typed is still checked."""

from __future__ import annotations

import datetime as dt

import pytest

from windykacja.ledger.settings import (
    SETTING_KEYS,
    SettingsValidationError,
    load_settings,
    save_settings,
)
from windykacja.models import Setting

NOW = dt.datetime(2026, 11, 23, 9, 0)
EMAIL_KEYS = ("sender.email", "report.email", "recovery.intake_email")
TYPED = ("  Windykacja@Przykladowa-Firma.PL ", "anna.nowak+faktury@example.com",
         "biuro@żółw.pl", "Kontakt@XN--W-UGA1V8H.PL", "")
NIP_KEYS = ("company.nip", "ksef.nip")
TYPED_NIPS = ("PL 526-000-12-46", "5260001246", " 526 000 12 46 ", "")


def test_only_the_email_and_nip_keys_are_read_back_without_their_check():
    assert sorted(key for key, spec in SETTING_KEYS.items() if spec.load) == sorted(
        EMAIL_KEYS + NIP_KEYS)


@pytest.mark.parametrize(("key", "typed"), [
    *((key, typed) for key in EMAIL_KEYS for typed in TYPED),
    *((key, typed) for key in NIP_KEYS for typed in TYPED_NIPS),
])
def test_a_value_reads_back_as_its_check_made_it(key, typed):
    """What ``save_settings`` stores (``format`` of the parsed value) read by ``load``
    is the parsed value itself: the same as checking it again gives."""
    spec = SETTING_KEYS[key]
    assert spec.load is not None
    parsed = spec.parse(typed)
    stored = spec.format(parsed)
    assert spec.load(stored) == parsed == spec.parse(stored)


def test_saved_addresses_load_as_saved_and_a_bad_one_typed_is_refused(db):
    saved = save_settings({"sender.email": " Windykacja@Przykladowa-Firma.PL",
                           "report.email": "biuro@żółw.pl", "company.nip": "PL 526-000-12-46"},
                          "anna", NOW)
    assert saved.company_nip == "5260001246"
    assert saved.sender_email == "Windykacja@przykladowa-firma.pl"
    assert saved.report_email == "biuro@żółw.pl"
    stored = {row.key: row.value for row in Setting.select()}
    assert stored["sender.email"] == "Windykacja@przykladowa-firma.pl"
    assert load_settings() == saved

    for key, bad in (("sender.email", "windykacja@"), ("sender.email", "anna nowak@firma.pl"),
                     ("report.email", "a@b@firma.pl"), ("recovery.intake_email", "x@["),
                     ("company.nip", "526-000-12-47"), ("ksef.nip", "12345")):
        with pytest.raises(SettingsValidationError) as refused:
            save_settings({key: bad, "company.name": "Nowa"}, "anna", NOW)
        assert [p.key for p in refused.value.problems] == [key]
        assert load_settings() == saved  # nothing of the refused change was stored
