"""The end-of-collection report names the collection switch as the other screens do: kind
and text one line — "windykacja | wyłączona", "collection | switched off" — never the old
"zmiana objęcia windykacją" beside "wyłączona". A pass on a real file, the report read from
the Maildir outbox."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import mailbox

import pytest
from pass_runner import run_one_pass

from windykacja.ledger.actions import set_subject_to_collection
from windykacja.ledger.settings import load_settings, save_settings

MONDAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(("language", "line"), [
    ("pl", " | windykacja | wyłączona | ewa"),
    ("en", " | collection | switched off | ewa"),
])
def test_the_report_names_the_switch_in_one_line(collection, clock, tmp_path, language, line):
    save_settings({"report.enabled": "yes", "report.email": "ksiegowa@przykladowa.pl",
                   "report.language": language}, "test", clock.now())
    outbox = tmp_path / "outbox"
    document = collection.document(collection.contractor(), due=MONDAY - dt.timedelta(days=8))
    run_one_pass(clock, outbox, None)
    set_subject_to_collection(clock, load_settings(), [document.id], False, author="ewa")
    run_one_pass(clock, outbox, MONDAY + dt.timedelta(days=1))
    [report] = [m for m in mailbox.Maildir(outbox).itervalues()
                if m["To"] == "ksiegowa@przykladowa.pl"]
    parsed = email.message_from_bytes(report.as_bytes(), policy=email.policy.default)
    text = parsed.get_body(("plain",)).get_content()
    assert line in text
