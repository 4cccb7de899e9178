"""The end-of-collection report names the collection switch as the other screens do: kind
and text one line — "windykacja | wyłączona", "collection | switched off" — never the old
"zmiana objęcia windykacją" beside "wyłączona". A pass on a real file, the report read from
the Maildir outbox. And where the document came from, in the report's language, as its
preview shows it too; every kind of event named by the shipped templates."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import mailbox
import re

import pytest
from pass_runner import run_one_pass

from windykacja.dunning.render import default_source
from windykacja.dunning.template_preview import preview_source
from windykacja.ledger.actions import set_subject_to_collection
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import EventKind

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


def report_text(clock, tmp_path, language, document) -> str:
    outbox = tmp_path / "outbox"
    run_one_pass(clock, outbox, None)
    set_subject_to_collection(clock, load_settings(), [document.id], False, author="ewa")
    run_one_pass(clock, outbox, MONDAY + dt.timedelta(days=1))
    [report] = [m for m in mailbox.Maildir(outbox).itervalues()
                if m["To"] == "ksiegowa@przykladowa.pl"]
    parsed = email.message_from_bytes(report.as_bytes(), policy=email.policy.default)
    return parsed.get_body(("plain",)).get_content()


@pytest.mark.parametrize(("language", "line"), [
    ("pl", " | dodano dokument | z pliku faktury.csv, wiersz 2 | ksiegowa"),
    ("en", " | document added | from the file faktury.csv, line 2 | ksiegowa"),
])
def test_the_report_says_where_the_document_came_from(collection, clock, tmp_path, language,
                                                      line):
    save_settings({"report.enabled": "yes", "report.email": "ksiegowa@przykladowa.pl",
                   "report.language": language}, "test", clock.now())
    document = collection.document(collection.contractor(), due=MONDAY - dt.timedelta(days=8),
                                   origin="file faktury.csv, line 2", author="ksiegowa")
    text = report_text(clock, tmp_path, language, document)
    history = text[text.index(" | "):]
    assert history.startswith(line)  # the first event of the history
    assert "document_arrived" not in text and "| file " not in text


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("part", ["text", "html"])
def test_the_report_templates_name_every_kind_of_event(language, part):
    """A kind the templates do not name would show as its code (``document_arrived``)."""
    source = default_source("report", language, part)
    table = re.search(r"{% set kinds = {(.*?)} %}", source, re.S)
    assert table is not None
    named = set(re.findall(r"'(\w+)':", table[1]))
    assert set(EventKind.ALL) <= named


def test_the_template_preview_reads_the_history_as_the_report_does(collection, clock):
    """Settings → Templates previews the report with the events' texts in the report's
    language, as the report is sent (it showed the stored forms)."""
    save_settings({"report.language": "pl"}, "test", clock.now())
    collection.document(collection.contractor(), due=MONDAY,
                        origin="ksef 5265877635-20261207-0100A1B2C3D4-7F", author="system")
    [event] = preview_source("report", load_settings(), MONDAY).context["events"]
    assert (event["kind"], event["text"]) == (
        "document_arrived", "z synchronizacji z KSeF (numer KSeF 5265877635-20261207-"
        "0100A1B2C3D4-7F)")
