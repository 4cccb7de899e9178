"""Status files from the agency: CSV (either delimiter, UTF-8 or Windows-1250) and JSON,
Polish and English names, all or nothing with every bad row named."""

from __future__ import annotations

import json

import pytest
from recovery_setup import agreed_order, hand_over

from windykacja.importers.csv_common import ImportRejected
from windykacja.models import CaseStatus, CaseStatusChange, Document, RecoveryCase
from windykacja.recovery.cases import set_status
from windykacja.recovery.status_import import import_status
from windykacja.recovery.status_names import parse_status


@pytest.fixture
def two_cases(collection):
    order = agreed_order(collection.clock)
    _, one, _ = hand_over(collection, order, name="A", numbers=("A/1",))
    _, two, docs = hand_over(collection, order, name="B", numbers=("B/1",))
    RecoveryCase.update(external_ref="AG-7").where(RecoveryCase.id == two.id).execute()
    return collection.clock, one, two, docs


def status(case):
    return RecoveryCase.get_by_id(case.id).status


def changes():
    return CaseStatusChange.select().count()


@pytest.mark.parametrize("name, expected", [
    ("odzyskano", CaseStatus.RECOVERED), ("Sąd", CaseStatus.COURT),
    ("sadowy", CaseStatus.COURT), ("EGZEKUCJA", CaseStatus.ENFORCEMENT),
    ("polubowny", CaseStatus.AMICABLE), ("zamknięta bez sukcesu", CaseStatus.CLOSED),
    ("wycofana", CaseStatus.WITHDRAWN), ("przyjęta", CaseStatus.ACCEPTED),
    ("oczekuje", CaseStatus.WAITING), ("częściowo odzyskano", CaseStatus.PARTLY_RECOVERED),
    ("partly_recovered", CaseStatus.PARTLY_RECOVERED), ("closed", CaseStatus.CLOSED),
    ("not_sent", None), ("zaginiona", None),
])
def test_status_names(name, expected):
    assert parse_status(name) == expected


def test_a_good_csv_file_in_windows_1250_with_semicolons(two_cases, tmp_path):
    clock, one, two, _ = two_cases
    path = tmp_path / "statusy.csv"
    path.write_bytes(("external_ref;status;date;note\n"
                      "AG-7;przyjęta;20.11.2026;\n"
                      "AG-7;sądowy;2026-11-22;pozew złożony\n").encode("cp1250"))
    summary = import_status(path, clock)
    assert (summary.rows, summary.changed) == (2, 2)
    assert status(two) == CaseStatus.COURT and status(one) == CaseStatus.NOT_SENT
    last = CaseStatusChange.select().order_by(CaseStatusChange.id.desc()).first()
    assert (last.source, last.note) == ("import", "agency date 2026-11-22 — pozew złożony")


def test_a_good_json_file_moves_a_case_to_recovered(two_cases, tmp_path):
    clock, one, two, _ = two_cases
    path = tmp_path / "statusy.json"
    path.write_text(json.dumps([
        {"case": one.id, "status": "recovered", "date": "2026-11-20"},
        {"case": two.id, "status": "egzekucja", "note": "komornik"},
        {"case": two.id, "status": "egzekucja"},
    ]), encoding="utf-8")
    summary = import_status(path, clock)
    assert (summary.rows, summary.changed, summary.unchanged) == (3, 2, 1)
    assert status(one) == CaseStatus.RECOVERED and status(two) == CaseStatus.ENFORCEMENT


def test_a_csv_file_with_bad_rows_is_refused_whole(two_cases, tmp_path):
    clock, one, two, _ = two_cases
    before = changes()
    path = tmp_path / "statusy.csv"
    path.write_text("case,status,date,note\n"
                    f"{one.id},accepted,,\n"
                    f"999,accepted,,\n"
                    f"{two.id},w kosmosie,,\n"
                    f"{two.id},court,2027-01-01,\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        import_status(path, clock)
    text = str(refused.value)
    assert "nothing was imported, 3 problems" in text
    assert "line 3, column case: there is no case 999" in text
    assert "line 4, column status: unknown status 'w kosmosie'" in text
    assert "line 5, column date: 01.01.2027 is in the future" in text
    assert changes() == before and status(one) == CaseStatus.NOT_SENT


def test_nothing_moves_a_case_away_from_a_final_status(two_cases, tmp_path):
    clock, one, two, _ = two_cases
    set_status(clock, one, CaseStatus.CLOSED, source="user")
    before = changes()
    path = tmp_path / "statusy.json"
    path.write_text(json.dumps([
        {"case": two.id, "status": "recovered"},
        {"case": one.id, "status": "closed"},  # what it is already: fine
        {"case": two.id, "status": "court"},  # after recovered, earlier in this file
        {"external_ref": "nope", "status": "court"},
        "a string",
    ]), encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        import_status(path, clock)
    text = str(refused.value)
    assert f"index 2, status: case {two.id} is already recovered" in text
    assert "index 3, external_ref: no case has the agency reference 'nope'" in text
    assert "index 4: each item must be an object" in text
    assert changes() == before and status(two) == CaseStatus.NOT_SENT


def test_withdrawn_by_file_returns_the_documents_to_collection(two_cases, tmp_path):
    clock, _, two, docs = two_cases
    path = tmp_path / "s.csv"
    path.write_text(f"case,status\n{two.id},wycofana\n", encoding="utf-8")
    import_status(path, clock)
    assert Document.get_by_id(docs[0].id).recovery_case is None


def test_a_note_with_line_breaks_is_stored_on_one_line(two_cases, tmp_path):
    """The agency's note reaches the case history and the cron log: no forged lines."""
    clock, _, two, _ = two_cases
    path = tmp_path / "statusy.json"
    path.write_text(json.dumps([{"external_ref": "AG-7", "status": "sądowy",
                                 "note": "pozew\r\n2026-11-23 09:00 INFO sent\x1b[0m"}]),
                    encoding="utf-8")
    import_status(path, clock)
    last = CaseStatusChange.select().order_by(CaseStatusChange.id.desc()).first()
    assert last.note == "pozew 2026-11-23 09:00 INFO sent [0m"
