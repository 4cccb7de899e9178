"""Where a document came from (``document_arrived``, issue 14 point 3) in the reader's
words: the kind's name and each stored form of its text — the KSeF sync, a KSeF file, a
CSV file's line — in Polish and English; another text as it was written."""

from __future__ import annotations

import pytest

from windykacja.dunning.wording import describe_event_kind
from windykacja.ledger.event_words import event_text, origin_text
from windykacja.models import EventKind

NUMBER = "5265877635-20261207-0100A1B2C3D4-7F"


@pytest.mark.parametrize(("language", "stored", "shown"), [
    ("pl", f"ksef {NUMBER}", f"z synchronizacji z KSeF (numer KSeF {NUMBER})"),
    ("en", f"ksef {NUMBER}", f"from the KSeF sync (KSeF number {NUMBER})"),
    ("pl", "file ksef-2026-12/FV-2026-12-001.xml", "z pliku ksef-2026-12/FV-2026-12-001.xml"),
    ("en", "file ksef-2026-12/FV-2026-12-001.xml",
     "from the file ksef-2026-12/FV-2026-12-001.xml"),
    ("pl", "file /srv/faktury/grudzień, część 2.csv, line 14",
     "z pliku /srv/faktury/grudzień, część 2.csv, wiersz 14"),
    ("en", "file /srv/faktury/grudzień, część 2.csv, line 14",
     "from the file /srv/faktury/grudzień, część 2.csv, line 14"),
    # a form this program does not know (a newer one's): as written
    ("pl", "api 17", "api 17"),
    ("en", "api 17", "api 17"),
])
def test_each_origin_in_the_readers_words(language, stored, shown):
    assert event_text(EventKind.DOCUMENT_ARRIVED, stored, language) == shown
    assert origin_text(stored, language) == shown


@pytest.mark.parametrize(("language", "name"), [("pl", "dodano dokument"),
                                                ("en", "document added")])
def test_the_kind_has_a_name(language, name):
    assert describe_event_kind(EventKind.DOCUMENT_ARRIVED, language) == name


def test_another_kinds_text_of_the_same_shape_is_not_taken_for_an_origin():
    assert event_text(EventKind.NOTE, "file faktury.csv, line 3", "pl") == (
        "file faktury.csv, line 3")
