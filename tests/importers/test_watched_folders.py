"""Watched folders (importers/watched_folders.py): each new file imported once by its
content, moved to done/ or refused/ with its reasons; a file being written is not read;
the worker's tick and the commands pick files up. Real files in tmp_path, a real database."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from windykacja.app import main
from windykacja.dunning.worker import BEFORE_PASS_HOOKS, Worker
from windykacja.importers import watched_folders
from windykacja.importers.hooks import register_hooks
from windykacja.importers.watched_folders import FolderWatcher, is_candidate
from windykacja.ledger.actions import create_contractor
from windykacja.ledger.settings import (
    CollectionSettings,
    SettingsValidationError,
    load_settings,
    save_settings,
)
from windykacja.models import (
    BankStatement,
    CollectionEvent,
    Contractor,
    Document,
    EventKind,
    Payment,
    WatchedFile,
)
from windykacja.models.db import open_database

DATA = Path(__file__).parent / "data"
OURS = CollectionSettings(module_enabled=True, company_nip="5220715471")
CONTRACTORS = "code;name;email\nK1;Alfa sp. z o.o.;biuro@alfa.pl\nK2;Beta;beta@beta.pl\n"
DOCUMENTS = ("number;contractor_code;issue_date;due_date;gross\n"
             "FV/1;K1;2026-11-02;2026-11-16;1000,00\n")
MORE_DOCUMENTS = "FV/2;K2;2026-11-05;2026-11-19;250,50\n"
PAYMENTS = "document_number;date;amount\nFV/1;2026-11-20;400,00\n"
BROKEN = ("number;contractor_code;issue_date;due_date;gross\n"
          "FV/7;K1;2026-11-02;2026-11-16;1000,00\n"
          "FV/8;K1;2026-11-02;2026-11-16;tysiąc\n")


def no_wait(seconds: float) -> None:
    """The second look at once: the files of these tests are written before the scan."""


@pytest.fixture
def folders(tmp_path):
    """One folder per kind under tmp_path, and the settings naming them."""
    paths = {kind: tmp_path / kind for kind in watched_folders.KINDS}
    for path in paths.values():
        path.mkdir()
    settings = dataclasses.replace(OURS, **{f"folders_{kind}": str(path)
                                            for kind, path in paths.items()})
    return paths, settings


@pytest.fixture
def k1(db, clock):
    """The contractors the documents name (K1, K2)."""
    create_contractor(clock, code="K1", name="Alfa sp. z o.o.", emails="biuro@alfa.pl")
    create_contractor(clock, code="K2", name="Beta", emails="beta@beta.pl")


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and p.name != watched_folders.LOCK_NAME)


def test_each_kind_is_imported_in_the_order_each_needs(db, clock, folders, author):
    paths, settings = folders
    (paths["payments"] / "a-payments.csv").write_text(PAYMENTS, encoding="utf-8")
    (paths["documents"] / "b-documents.csv").write_text(DOCUMENTS, encoding="utf-8")
    (paths["contractors"] / "c-contractors.csv").write_text(CONTRACTORS, encoding="utf-8")
    shutil.copy(DATA / "ksef_fa3_sample.xml", paths["ksef"] / "fa3.xml")
    shutil.copy(DATA / "mt940_pl_sample.sta", paths["statements"] / "wyciag.sta")

    result = FolderWatcher(no_wait).scan(clock, settings)

    assert [(o.kind, o.state) for o in result.files] == [
        ("contractors", "imported"), ("documents", "imported"), ("ksef", "imported"),
        ("payments", "imported"), ("statements", "imported")]
    assert result.problems == [] and result.waiting == []
    assert Contractor.select().count() == 3  # K1, K2 and the KSeF buyer
    assert Document.get(Document.number == "FV/1").outstanding == 600
    assert Document.select().where(Document.number == "FV/2026/02/017").exists()
    # FV/1's payment, and the statement's credit that pays the KSeF invoice for sure
    assert Payment.select().count() == 2
    for kind, name in [("contractors", "c-contractors.csv"), ("documents", "b-documents.csv"),
                       ("ksef", "fa3.xml"), ("payments", "a-payments.csv"),
                       ("statements", "wyciag.sta")]:
        assert listing(paths[kind]) == [f"done/{name}"]
    rows = {row.kind: row for row in WatchedFile.select()}
    assert (rows["documents"].rows, rows["documents"].created) == (1, 1)
    assert rows["ksef"].number == "FV/2026/02/017" and rows["ksef"].outcome == "created"
    assert rows["statements"].statement_id == BankStatement.get().id
    assert rows["payments"].file_name == "a-payments.csv"
    assert rows["payments"].folder == str(paths["payments"]) and rows["payments"].author == \
        "ksiegowa"


def arrival(number: str) -> tuple[str, str]:
    """The text and the author of a document's first event: where it came from."""
    first = CollectionEvent.select().join(Document).where(Document.number == number).order_by(
        CollectionEvent.at, CollectionEvent.id).first()
    assert first.kind == EventKind.DOCUMENT_ARRIVED
    return first.text, first.author


def test_a_document_says_which_watched_folder_and_file_it_came_from(
        db, clock, tmp_path, k1, author):
    """The folder's own name and the file's name as it was found (the file then moves on
    to done/), for a KSeF file and a documents CSV file with its line; by who scanned."""
    ksef, documents = tmp_path / "ksef-2026-12", tmp_path / "faktury"
    ksef.mkdir()
    documents.mkdir()
    shutil.copy(DATA / "ksef_fa3_sample.xml", ksef / "FV-2026-12-001.xml")
    (documents / "grudzień.csv").write_text(DOCUMENTS + MORE_DOCUMENTS, encoding="utf-8")
    settings = dataclasses.replace(OURS, folders_ksef=str(ksef),
                                   folders_documents=str(documents))

    FolderWatcher(no_wait).scan(clock, settings)

    assert arrival("FV/2026/02/017") == ("file ksef-2026-12/FV-2026-12-001.xml", "ksiegowa")
    assert arrival("FV/1") == ("file faktury/grudzień.csv, line 2", "ksiegowa")
    assert arrival("FV/2") == ("file faktury/grudzień.csv, line 3", "ksiegowa")
    assert {row.author for row in WatchedFile.select()} == {"ksiegowa"}


def test_what_a_scan_imports_is_by_whoever_ran_the_scan(db, clock, folders, author):
    """A scan by the worker (``system``): the documents' arrivals, the payments, the
    statement and the files' rows all say so, not the user the process runs as."""
    paths, settings = folders
    (paths["contractors"] / "c.csv").write_text(CONTRACTORS, encoding="utf-8")
    (paths["documents"] / "d.csv").write_text(DOCUMENTS, encoding="utf-8")
    (paths["payments"] / "p.csv").write_text(PAYMENTS, encoding="utf-8")
    shutil.copy(DATA / "ksef_fa3_sample.xml", paths["ksef"] / "fa3.xml")
    shutil.copy(DATA / "mt940_pl_sample.sta", paths["statements"] / "wyciag.sta")

    FolderWatcher(no_wait).scan(clock, settings, author="system")

    assert arrival("FV/1") == ("file documents/d.csv, line 2", "system")
    assert arrival("FV/2026/02/017") == ("file ksef/fa3.xml", "system")
    assert {p.author for p in Payment.select()} == {"system"}
    assert BankStatement.get().author == "system"
    assert {row.author for row in WatchedFile.select()} == {"system"}


def test_a_file_being_written_is_read_only_once_complete(db, clock, folders, k1):
    paths, settings = folders
    file = paths["documents"] / "faktury.csv"
    file.write_text(DOCUMENTS, encoding="utf-8")  # the first part: already a valid file

    def the_suite_writes_the_rest(seconds: float) -> None:
        with file.open("a", encoding="utf-8") as handle:
            handle.write(MORE_DOCUMENTS)

    watcher = FolderWatcher(the_suite_writes_the_rest)
    first = watcher.scan(clock, settings)
    assert first.files == [] and first.waiting == [file]
    assert Document.select().count() == 0 and listing(paths["documents"]) == ["faktury.csv"]

    second = watcher.scan(clock, settings)  # unchanged since the last look: taken at once
    assert [o.state for o in second.files] == ["imported"]
    assert sorted(d.number for d in Document.select()) == ["FV/1", "FV/2"]
    assert WatchedFile.get().size == len((DOCUMENTS + MORE_DOCUMENTS).encode())


def test_a_file_new_at_a_scan_is_taken_after_a_second_look(db, clock, folders):
    paths, settings = folders
    (paths["contractors"] / "k.csv").write_text(CONTRACTORS, encoding="utf-8")
    waited = []
    result = FolderWatcher(waited.append, second_look_seconds=2.0).scan(clock, settings)
    assert waited == [2.0] and [o.state for o in result.files] == ["imported"]


def test_a_refused_file_goes_to_refused_with_its_lines_and_stores_nothing(
        db, clock, folders, db_state):
    paths, settings = folders
    (paths["documents"] / "zle.csv").write_text(BROKEN, encoding="utf-8")
    before = db_state()

    result = FolderWatcher(no_wait).scan(clock, settings)

    assert [o.state for o in result.files] == ["refused"]
    assert db_state() == before  # FV/7 is valid, but the file is all or nothing
    assert listing(paths["documents"]) == ["refused/zle.csv", "refused/zle.csv.txt"]
    note = (paths["documents"] / "refused" / "zle.csv.txt").read_text(encoding="utf-8")
    assert note.startswith("zle.csv: refused on 23.11.2026 09:00; nothing from it was imported.")
    assert f"put the file back into {paths['documents']}:" in note
    assert "  line 3, column gross: 'tysiąc' is not an amount" in note
    assert (paths["documents"] / "refused" / "zle.csv").read_text(encoding="utf-8") == BROKEN


def test_a_refused_statement_names_the_profile_it_was_read_with(db, clock, folders):
    paths, settings = folders
    shutil.copy(DATA / "mt940_pl_sample.sta", paths["statements"] / "w.sta")
    utf8 = dataclasses.replace(settings, statement_bank_profile="utf8")
    assert [o.state for o in FolderWatcher(no_wait).scan(clock, utf8).files] == ["refused"]
    note = (paths["statements"] / "refused" / "w.sta.txt").read_text(encoding="utf-8")
    assert "bank profile utf8" in note and "line 6: byte 0xA5 cannot be read as UTF-8" in note
    assert BankStatement.select().count() == 0


def test_the_same_content_twice_is_imported_once(db, clock, folders):
    paths, settings = folders
    (paths["contractors"] / "klienci.csv").write_text(CONTRACTORS, encoding="utf-8")
    (paths["contractors"] / "klienci-kopia.csv").write_text(CONTRACTORS, encoding="utf-8")
    watcher = FolderWatcher(no_wait)

    result = watcher.scan(clock, settings)

    assert [(o.name, o.state) for o in result.files] == [
        ("klienci-kopia.csv", "imported"), ("klienci.csv", "duplicate")]
    assert WatchedFile.select().count() == 1 and Contractor.select().count() == 2
    assert listing(paths["contractors"]) == [
        "done/klienci-kopia.csv", "done/klienci.csv", "done/klienci.csv.txt"]
    note = (paths["contractors"] / "done" / "klienci.csv.txt").read_text(encoding="utf-8")
    assert note == ("klienci.csv: the same content was imported on 23.11.2026 09:00 as "
                    "klienci-kopia.csv; nothing was imported again.\n")

    # Put back later under its first name: imported nothing, and nothing overwritten.
    (paths["contractors"] / "klienci.csv").write_text(CONTRACTORS, encoding="utf-8")
    again = watcher.scan(clock, settings)
    assert [o.state for o in again.files] == ["duplicate"]
    assert "done/klienci (2).csv" in listing(paths["contractors"])
    assert "done/klienci (2).csv.txt" in listing(paths["contractors"])
    assert WatchedFile.select().count() == 1


def test_after_a_crash_before_the_move_the_move_is_redone(db, clock, folders, k1):
    """The import committed, then the program stopped before moving the file: the row
    is there under the file's own name, so the next scan only moves it."""
    paths, settings = folders
    file = paths["documents"] / "faktury.csv"
    file.write_text(DOCUMENTS, encoding="utf-8")
    FolderWatcher(no_wait).scan(clock, settings)
    shutil.move(paths["documents"] / "done" / "faktury.csv", file)  # as if never moved

    result = FolderWatcher(no_wait).scan(clock, settings)

    assert [o.state for o in result.files] == ["moved"]
    assert listing(paths["documents"]) == ["done/faktury.csv"]  # no note: nothing to say
    assert Document.select().count() == 1 and WatchedFile.select().count() == 1


def test_a_name_taken_in_done_gets_a_number_and_nothing_is_overwritten(db, clock, folders, k1):
    paths, settings = folders
    done = paths["documents"] / "done"
    done.mkdir()
    (done / "faktury.csv").write_text("yesterday's file\n", encoding="utf-8")
    (paths["documents"] / "faktury.csv").write_text(DOCUMENTS, encoding="utf-8")

    FolderWatcher(no_wait).scan(clock, settings)

    assert (done / "faktury.csv").read_text(encoding="utf-8") == "yesterday's file\n"
    assert (done / "faktury (2).csv").read_text(encoding="utf-8") == DOCUMENTS


@pytest.mark.parametrize("name, taken", [
    ("faktury.csv", True), ("FAKTURY.CSV", True), (".faktury.csv", False),
    ("faktury.csv.part", False), ("faktury.csv.tmp", False), ("~$faktury.csv", False),
    ("faktury.xlsx", False), ("faktury.xml", False),
])
def test_which_files_a_csv_folder_takes(name, taken):
    assert is_candidate("documents", name) is taken


@pytest.mark.parametrize("name, taken", [
    ("wyciag.sta", True), ("wyciag.STA", True), ("wyciag.mt940", True), ("wyciag.940", True),
    ("wyciag.txt", True), ("wyciag.sta.txt", False), ("wyciag.csv", False),
])
def test_which_files_a_statement_folder_takes(name, taken):
    assert is_candidate("statements", name) is taken


def test_files_not_to_take_stay_where_they_are(db, clock, folders):
    paths, settings = folders
    for name in (".ukryty.csv", "w-trakcie.csv.part", "arkusz.xlsx"):
        (paths["documents"] / name).write_text(DOCUMENTS, encoding="utf-8")
    result = FolderWatcher(no_wait).scan(clock, settings)
    assert result.files == [] and Document.select().count() == 0
    assert listing(paths["documents"]) == [".ukryty.csv", "arkusz.xlsx", "w-trakcie.csv.part"]


def test_a_missing_folder_and_a_folder_set_twice_are_named(db, clock, tmp_path):
    settings = dataclasses.replace(OURS, folders_documents=str(tmp_path / "none"),
                                   folders_contractors=str(tmp_path),
                                   folders_payments=str(tmp_path))
    result = FolderWatcher(no_wait).scan(clock, settings)
    assert sorted(str(p) for p in result.problems) == [
        f"documents (CSV) folder {tmp_path / 'none'}: no such file or folder",
        f"payments (CSV) folder {tmp_path}: the same folder is set for contractors (CSV); "
        "give each kind a folder of its own",
    ]


def test_a_folder_setting_is_a_full_path(db, clock, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    save_settings({"folders.ksef": "~/ksef/", "folders.payments": ""}, "test", clock.now())
    assert load_settings().folders_ksef == str(tmp_path / "ksef")
    with pytest.raises(SettingsValidationError, match="is not a full folder path"):
        save_settings({"folders.documents": "exports/documents"}, "test", clock.now())


def test_the_workers_tick_picks_a_file_up(db, clock, tmp_path, monkeypatch, author):
    monkeypatch.setitem(BEFORE_PASS_HOOKS, "arrivals", None)  # put back after the test
    register_hooks()
    monkeypatch.setattr(watched_folders, "SECOND_LOOK_SECONDS", 0)
    folder = tmp_path / "documents"
    folder.mkdir()
    (tmp_path / "contractors").mkdir()
    save_settings({"folders.documents": str(folder),
                   "folders.contractors": str(tmp_path / "contractors")}, "test", clock.now())
    (tmp_path / "contractors" / "k.csv").write_text(CONTRACTORS, encoding="utf-8")
    (folder / "faktury.csv").write_text(DOCUMENTS, encoding="utf-8")

    Worker(clock, tmp_path / "outbox").tick()

    assert [d.number for d in Document.select()] == ["FV/1"]
    assert listing(folder) == ["done/faktury.csv"]
    # by the worker, not by the user it runs as (ksiegowa here)
    assert arrival("FV/1") == ("file documents/faktury.csv, line 2", "system")
    assert {row.author for row in WatchedFile.select()} == {"system"}


def test_a_failing_hook_does_not_stop_the_tick(db, clock, tmp_path, monkeypatch, caplog):
    def broken(clock):
        raise RuntimeError("the share is gone")

    monkeypatch.setitem(BEFORE_PASS_HOOKS, "arrivals", broken)
    assert Worker(clock, tmp_path / "outbox").tick() is None  # the module is off: no pass
    assert "arrivals before the pass failed" in caplog.text


# --- the commands ------------------------------------------------------------------------


def run(db_path, *args):
    return main(["--db", str(db_path), "--lang", "en", "--today", "2026-11-23", *args])


def test_scan_and_status_from_the_command_line(db_location, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(watched_folders, "SECOND_LOOK_SECONDS", 0)
    monkeypatch.setitem(BEFORE_PASS_HOOKS, "arrivals", None)  # main() registers its own
    db_path = db_location("w.db")
    open_database(str(db_path))
    folder = tmp_path / "contractors"
    folder.mkdir()
    assert run(db_path, "folders", "status") == 0
    assert "No folder is watched." in capsys.readouterr().out
    assert run(db_path, "settings", "set", f"folders.contractors={folder}") == 0
    (folder / "klienci.csv").write_text(CONTRACTORS, encoding="utf-8")
    (folder / "zle.csv").write_text("code;name;emial\nK9;Gamma;g@g.pl\n", encoding="utf-8")
    capsys.readouterr()

    assert run(db_path, "folders", "scan") == 1  # one refused
    out, err = capsys.readouterr()
    assert "klienci.csv: 2 rows — 2 created, 0 updated." in out
    assert "Watched folders: 1 file imported, 1 refused, 0 already imported before, " \
           "0 still being written." in out
    assert "zle.csv: refused on" in err and "line 1, column emial: unknown column" in err
    assert f"Moved to {folder / 'refused' / 'zle.csv'}; its reasons are in " in err

    assert run(db_path, "folders", "status") == 0
    out = capsys.readouterr().out
    assert f"contractors (CSV): {folder}\n  0 files waiting; 1 in done/, 1 in refused/\n" \
           "  last imported: klienci.csv, 23.11.2026" in out
    assert "KSeF invoices (XML): not watched (folders.ksef)" in out


def test_run_once_scans_the_folders_before_its_pass(db_location, tmp_path, capsys,
                                                   monkeypatch):
    monkeypatch.setattr(watched_folders, "SECOND_LOOK_SECONDS", 0)
    monkeypatch.setitem(BEFORE_PASS_HOOKS, "arrivals", None)
    db_path = db_location("w.db")
    open_database(str(db_path))
    folder = tmp_path / "contractors"
    folder.mkdir()
    (folder / "klienci.csv").write_text(CONTRACTORS, encoding="utf-8")
    assert run(db_path, "settings", "set", f"folders.contractors={folder}") == 0
    (folder / "zle.csv").write_text("code;name;emial\nK9;Gamma;g@g.pl\n", encoding="utf-8")
    assert run(db_path, "run-once") == 0
    out = capsys.readouterr().out
    assert "klienci.csv: 2 rows — 2 created, 0 updated." in out
    assert "zle.csv: refused on 23.11.2026 09:00; nothing from it was imported.\n" \
           "  line 1, column emial: unknown column" in out
    assert f"  Moved to {folder / 'refused' / 'zle.csv'}; its reasons are in " in out
    assert out.index("klienci.csv") < out.index("Pass for 23.11.2026")
    assert Contractor.select().count() == 2
