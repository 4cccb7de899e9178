"""Watched folders: files a bookkeeping suite or a bank drops into a folder, imported by
themselves (issue 14).

The settings ``folders.<kind>`` name one folder per kind of file (empty: not watched).
A scan (``windykacja folders scan``, and the worker at every tick through
``importers/hooks.py``) takes each new file of every folder through the importer of its
kind, then moves it into the folder's ``done/`` or ``refused/``. Decisions, written down:

* **Which files.** ``folders.ksef``: ``*.xml``; ``folders.contractors``,
  ``folders.documents``, ``folders.payments``: ``*.csv``; ``folders.statements``:
  ``*.sta``, ``*.mt940``, ``*.940`` and ``*.txt`` (banks name MT940 files all four ways;
  a ``.txt`` that is not a statement is refused with its reason like any bad file).
  Letters' case does not matter. Left alone: other names, sub-folders (``done/``,
  ``refused/``), dot-files, Office's lock files (``~$…``), names ending in ``.part``,
  ``.tmp``, ``.partial``, ``.crdownload`` or ``.filepart`` (a download or a copy under
  way), and ``<name>.txt`` beside a file of a watched kind (our own note, put back).
* **The order.** Contractors first, then documents, KSeF invoices (corrections after
  the invoices), payments, statements; within a folder by name. So a suite that drops
  its contractors, documents and payments together has them imported in the order each
  needs the one before.
* **A file still being written is never read.** A file is taken only when two looks at
  it (size and modification time, to the nanosecond) agree: the look of the previous
  scan (the worker scans at every tick, every 30 s by default), or a second look
  ``SECOND_LOOK_SECONDS`` after the first for a file new or changed since then. A file
  that changed between the two looks waits for the next scan. The look is taken again
  after the import, inside its transaction: a file that changed meanwhile is rolled
  back and waits. A suite that writes slowly is safest writing ``name.csv.part`` (or
  elsewhere) and renaming it when done: a rename is instant.
* **Once, by content.** The file's SHA-256 is the key of ``watched_file``
  (``models/watched.py``); the same content under another name, or again later, imports
  nothing and goes to ``done/`` with a note ``<name>.txt`` saying when and as what it
  came in. A statement imported earlier by hand (``import statement``) is recognised by
  the statement importer's own SHA-256 the same way.
* **Nothing half-imported.** Each importer is all or nothing per file. The scan runs it
  inside one more transaction that also writes the ``watched_file`` row, so the row
  exists exactly when the file's records do (on SQLite the write lock is held while the
  file is read and stored: the files of a folder are small, a day's export).
* **A crash between the import and the move** leaves the file in the folder with its
  row stored: the next scan finds the row under the same name and only moves the file
  to ``done/`` (no note). A crash between a refusal and its move imports nothing: the
  next scan refuses the file again and moves it.
* **Nothing lost.** A file is moved, never copied and deleted, and never over another:
  a name taken in ``done/`` or ``refused/`` (the file or its note) gets `` (2)``,
  `` (3)`` … before its extension. ``refused/<name>.txt`` names every bad line in the
  importer's own words; fix the file (or the data it names) and put it back into the
  folder.
* **The notes' language** is the program's (``--lang``, else ``LANG``), as the
  command's output is: the worker writes them in the language it was started in.
* **Two processes** (the interface's worker and a headless one) may scan the same
  folder: each takes an advisory lock on ``<folder>/.windykacja.lock`` first and skips
  a folder another holds; the unique SHA-256 stops a second import even without it.
* **Where a record came from**: ``watched_file`` keeps the kind, the file's name and
  folder, when and by whom, and what it brought (a KSeF file's invoice number, a
  statement's ``bank_statement`` row, a CSV file's counts), for the screens to show.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from peewee import IntegrityError

from ..i18n import N_, language, t, tn
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.event_words import author_name
from ..ledger.identity import current_author
from ..ledger.names import moment_text, os_reason
from ..ledger.settings import CollectionSettings
from ..models import WatchedFile, database
from .csv_common import ImportRejected
from .documents import import_documents
from .kinds import IMPORTERS
from .ksef import file_origin, import_ksef
from .ksef_xml import InvoiceRefused, read_invoice
from .statements import import_statement

try:  # an advisory lock between processes; where there is none, the database decides
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("windykacja.folders")

Kind = Literal["contractors", "documents", "ksef", "payments", "statements"]
KINDS: tuple[Kind, ...] = ("contractors", "documents", "ksef", "payments", "statements")
SETTING_OF: dict[Kind, str] = {kind: f"folders_{kind}" for kind in KINDS}
SUFFIXES: dict[Kind, tuple[str, ...]] = {
    "contractors": (".csv",),
    "documents": (".csv",),
    "payments": (".csv",),
    "ksef": (".xml",),
    "statements": (".sta", ".mt940", ".940", ".txt"),
}
ALL_SUFFIXES = frozenset(s for suffixes in SUFFIXES.values() for s in suffixes)
UNFINISHED = (".part", ".tmp", ".partial", ".crdownload", ".filepart")
KIND_NAMES = {
    "contractors": N_("contractors (CSV)"),
    "documents": N_("documents (CSV)"),
    "payments": N_("payments (CSV)"),
    "ksef": N_("KSeF invoices (XML)"),
    "statements": N_("bank statements (MT940)"),
}
KSEF_OUTCOMES = {"created": N_("created"), "unchanged": N_("unchanged"),
                 "corrected": N_("corrected")}
DONE = "done"
REFUSED = "refused"
LOCK_NAME = ".windykacja.lock"
SECOND_LOOK_SECONDS = 2.0

State = Literal["imported", "refused", "duplicate", "moved"]


@dataclass(frozen=True)
class Look:
    """What a file looked like: it is taken when two looks agree."""

    size: int
    mtime_ns: int


@dataclass(frozen=True)
class FileOutcome:
    """What a scan did with one file. ``state``: imported; refused; duplicate (the same
    content came in before: nothing imported); moved (imported before a crash, only
    moved now). ``text`` says it in words; ``problems`` are the refused file's lines."""

    kind: Kind
    name: str
    state: State
    text: str
    moved_to: Path | None = None
    problems: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """What became of the file, for a person: a refused one with its bad lines and
        where it went (``run-once`` and ``folders scan`` print the same)."""
        lines = [self.text, *(f"  {problem}" for problem in self.problems)]
        if self.state == "refused" and self.moved_to is not None:
            lines.append("  " + t("Moved to {path}; its reasons are in {note}.",
                                  path=self.moved_to, note=note_path(self.moved_to)))
        return lines


@dataclass(frozen=True)
class FolderProblem:
    kind: Kind
    folder: Path
    reason: str

    def __str__(self) -> str:
        return t("{kind} folder {folder}: {reason}", kind=t(KIND_NAMES[self.kind]),
                 folder=self.folder, reason=self.reason)


@dataclass
class ScanResult:
    files: list[FileOutcome] = field(default_factory=list)
    waiting: list[Path] = field(default_factory=list)  # changed between two looks
    problems: list[FolderProblem] = field(default_factory=list)

    def count(self, state: State) -> int:
        return sum(1 for outcome in self.files if outcome.state == state)


def watched_folders(settings: CollectionSettings) -> list[tuple[Kind, Path]]:
    """The folders set, in the order their files are imported."""
    return [(kind, Path(getattr(settings, SETTING_OF[kind]))) for kind in KINDS
            if getattr(settings, SETTING_OF[kind])]


def is_candidate(kind: Kind, name: str) -> bool:
    """Whether a file of this name in a ``kind`` folder is one to import (module docstring)."""
    lower = name.lower()
    if lower.startswith((".", "~$")) or lower.endswith(UNFINISHED):
        return False
    stem, suffix = os.path.splitext(lower)
    if suffix not in SUFFIXES[kind]:
        return False
    # our own note (x.csv.txt) put back beside its file
    return not (suffix == ".txt" and os.path.splitext(stem)[1] in ALL_SUFFIXES)


def candidates(kind: Kind, folder: Path) -> list[Path]:
    """The files to import in the folder, by name; OSError when it cannot be read."""
    with os.scandir(folder) as entries:
        return sorted(Path(entry.path) for entry in entries
                      if is_candidate(kind, entry.name) and entry.is_file(follow_symlinks=False))


def look(path: Path) -> Look | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return Look(stat.st_size, stat.st_mtime_ns)


class _Refused(Exception):
    def __init__(self, problems: list[str], extra: str = "") -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.extra = extra


class _Changed(Exception):
    """The file changed while it was imported: rolled back, it waits."""


class _AlreadyIn(Exception):
    """The content came in before (another process, or a statement imported by hand)."""

    def __init__(self, note: str = "") -> None:
        super().__init__(note)
        self.note = note


@dataclass(frozen=True)
class _Imported:
    """What an importer did, as the ``watched_file`` row keeps it and in words."""

    fields: dict[str, Any]
    text: str


def folder_origin(path: Path) -> str:
    """Where a document from a watched folder's file came from, as its timeline says it
    (``EventKind.DOCUMENT_ARRIVED``): the folder's last component and the file's name as
    it was found, ``file ksef-2026-12/FV-2026-12-001.xml`` (the file then moves on)."""
    return file_origin(Path(path.parent.name, path.name))


def _import_csv(kind: Kind, path: Path, clock: Clock, settings: CollectionSettings,
                author: str) -> _Imported:
    try:
        if kind == "documents":  # each document's timeline names the file and its line
            summary = import_documents(path, clock, settings, origin=folder_origin,
                                       author=author)
        else:
            summary = IMPORTERS[kind](path, clock, settings, author=author)
    except ImportRejected as exc:
        raise _Refused([str(error) for error in exc.errors]) from None
    text = t("{path}: {rows} — {created} created, {updated} updated.", path=path.name,
             rows=tn("{n} row", "{n} rows", summary.rows), created=summary.created,
             updated=summary.updated)
    return _Imported({"outcome": "imported", "rows": summary.rows, "created": summary.created,
                      "updated": summary.updated}, text)


def _import_ksef(path: Path, clock: Clock, settings: CollectionSettings,
                 author: str) -> _Imported:
    result = import_ksef(path, clock, settings, origin=folder_origin, author=author).results[0]
    if result.outcome == "refused":
        raise _Refused([str(problem) for problem in result.problems])
    text = t("{path}: KSeF invoice {number} {outcome}.", path=path.name, number=result.number,
             outcome=t(KSEF_OUTCOMES[result.outcome]))
    for warning in result.warnings:
        text += "\n  " + t("{path}: warning: {warning}", path=path.name, warning=warning)
    return _Imported({"outcome": result.outcome, "number": result.number,
                      "created": int(result.outcome == "created")}, text)


def _import_statement(path: Path, clock: Clock, settings: CollectionSettings,
                      author: str) -> _Imported:
    try:
        summary = import_statement(path, clock, settings, author=author)
    except ImportRejected as exc:
        raise _Refused([str(error) for error in exc.errors], t(
            "It was read with the bank profile {profile} (the setting "
            "statement.bank_profile).", profile=settings.statement_bank_profile)) from None
    if summary.already_imported is not None:
        when, who = summary.already_imported
        raise _AlreadyIn(t("{path}: already imported on {when} ({zone}) by {who}; nothing added.",
                           path=path.name, when=moment_text(when, clock.timezone),
                           zone=clock.timezone.key, who=author_name(who, language())))
    pending = summary.unsure + summary.unmatched
    text = tn("{path}: bank statement, {n} credit — {sure} matched for sure, {pending} "
              "waiting in Bank statements (key 7).",
              "{path}: bank statement, {n} credits — {sure} matched for sure, {pending} "
              "waiting in Bank statements (key 7).", summary.credits, path=path.name,
              sure=summary.sure, pending=pending)
    return _Imported({"outcome": "imported", "rows": summary.credits, "created": summary.payments,
                      "statement": summary.statement_id}, text)


def _run_importer(kind: Kind, path: Path, clock: Clock, settings: CollectionSettings,
                  author: str) -> _Imported:
    """The file through its kind's importer, by ``author`` (who ran the scan, as its
    ``watched_file`` row says)."""
    if kind == "ksef":
        return _import_ksef(path, clock, settings, author)
    if kind == "statements":
        return _import_statement(path, clock, settings, author)
    return _import_csv(kind, path, clock, settings, author)


def _is_correction(path: Path) -> bool:
    try:
        return read_invoice(path).is_correction
    except InvoiceRefused:
        return False


def free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name (2).ext``, ``name (3).ext`` …: the first whose file and
    note (``<name>.txt``) are both free."""
    stem, suffix = os.path.splitext(name)
    number = 1
    while True:
        candidate = folder / (name if number == 1 else f"{stem} ({number}){suffix}")
        if not candidate.exists() and not note_path(candidate).exists():
            return candidate
        number += 1


def note_path(path: Path) -> Path:
    return path.with_name(path.name + ".txt")


def move_into(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder`` (made if missing) under a free name; never over a
    file. A hard link then the unlink refuses an existing target atomically; where links
    are not possible (some network shares), a rename to a name just found free."""
    folder.mkdir(exist_ok=True)
    while True:
        target = free_name(folder, path.name)
        try:
            os.link(path, target)
        except FileExistsError:
            continue  # taken since it was found free: the next one
        except OSError:
            os.rename(path, target)
            return target
        os.unlink(path)
        return target


def _write_note(path: Path, lines: list[str]) -> None:
    note_path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[bool]:
    """Whether this process may scan the folder now (another holds it: False)."""
    if fcntl is None:  # pragma: no cover
        yield True
        return
    with open(folder / LOCK_NAME, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class FolderWatcher:
    """Scans the watched folders, remembering the last look at each file, so that a
    file unchanged since the previous scan is taken without waiting."""

    def __init__(self, wait: Callable[[float], None] = time.sleep,
                 second_look_seconds: float | None = None) -> None:
        self.wait = wait
        self.second_look_seconds = second_look_seconds
        self.looks: dict[Path, Look] = {}

    def scan(self, clock: Clock, settings: CollectionSettings,
             author: str | None = None,
             before_payments: Callable[[], None] | None = None) -> ScanResult:
        """Import what is ready in every watched folder, kind by kind in ``KINDS``
        order. ``before_payments`` runs once between the invoices and the payments,
        whether or not any folder is watched: the KSeF sync, so that money arriving
        with its invoices finds them."""
        result = ScanResult()
        found: dict[Path, tuple[Kind, Path, Look]] = {}
        folders = self._distinct(watched_folders(settings), result)
        for kind, folder in folders:
            try:
                files = candidates(kind, folder)
            except OSError as exc:
                result.problems.append(FolderProblem(kind, folder, os_reason(exc)))
                continue
            for path in files:
                seen = look(path)
                if seen is not None:
                    found[path] = (kind, folder, seen)
        self._second_look(found, result)
        self.looks = {path: seen for path, (_, _, seen) in found.items()}
        ready = [path for path in found if path not in result.waiting]
        author = author or current_author()
        for kind, folder in folders:
            if before_payments and KINDS.index(kind) >= KINDS.index("payments"):
                before_payments()
                before_payments = None
            mine = [path for path in ready if found[path][0] == kind and found[path][1] == folder]
            if mine:
                self._folder(kind, folder, mine, found, clock, settings, author, result)
        if before_payments:
            before_payments()
        for problem in result.problems:  # info: a command says it itself, on stderr
            log.info("watched folder %s (%s): %s", problem.folder, problem.kind,
                     problem.reason)
        return result

    @staticmethod
    def _distinct(folders: list[tuple[Kind, Path]],
                  result: ScanResult) -> list[tuple[Kind, Path]]:
        """Each folder once: a CSV file cannot say which kind it is, so a folder set for
        two kinds is watched for the first and named as a problem for the other."""
        first: dict[Path, Kind] = {}
        for kind, folder in folders:
            if folder in first:
                result.problems.append(FolderProblem(kind, folder, t(
                    "the same folder is set for {other}; give each kind a folder of its own",
                    other=t(KIND_NAMES[first[folder]]))))
            else:
                first[folder] = kind
        return [(kind, folder) for folder, kind in first.items()]

    def _second_look(self, found: dict[Path, tuple[Kind, Path, Look]],
                     result: ScanResult) -> None:
        unsure = [path for path, (_, _, seen) in found.items() if self.looks.get(path) != seen]
        if not unsure:
            return
        seconds = self.second_look_seconds
        self.wait(SECOND_LOOK_SECONDS if seconds is None else seconds)
        for path in unsure:
            kind, folder, first = found[path]
            again = look(path)
            if again is None:  # gone (another process took it)
                del found[path]
            elif again != first:
                found[path] = (kind, folder, again)
                result.waiting.append(path)

    def _folder(self, kind: Kind, folder: Path, paths: list[Path],
                found: dict[Path, tuple[Kind, Path, Look]], clock: Clock,
                settings: CollectionSettings, author: str, result: ScanResult) -> None:
        if kind == "ksef":  # a correction finds its invoice whatever the names
            paths = sorted(paths, key=lambda path: (_is_correction(path), path.name))
        try:
            with _folder_lock(folder) as ours:
                if not ours:
                    return
                for path in paths:
                    outcome = self._take(kind, folder, path, found[path][2], clock, settings,
                                         author, result)
                    if outcome is not None:
                        result.files.append(outcome)
                        log.info("watched folder %s (%s): %s %s — %s", folder, kind,
                                 outcome.state, outcome.moved_to or path, outcome.text)
        except OSError as exc:  # the folder cannot be written: files stay where they are
            result.problems.append(FolderProblem(kind, folder, os_reason(exc)))

    def _take(self, kind: Kind, folder: Path, path: Path, seen: Look, clock: Clock,
              settings: CollectionSettings, author: str,
              result: ScanResult) -> FileOutcome | None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None  # another process took it
        except OSError as exc:  # left where it is, said at every scan until it can be read
            result.problems.append(FolderProblem(kind, folder, t(
                "{path} cannot be read: {reason}", path=path.name, reason=os_reason(exc))))
            return None
        digest = hashlib.sha256(data).hexdigest()
        if look(path) != seen:
            result.waiting.append(path)
            return None
        try:
            with database.atomic():
                if WatchedFile.select().where(WatchedFile.sha256 == digest).exists():
                    raise _AlreadyIn
                imported = _run_importer(kind, path, clock, settings, author)
                if look(path) != seen:
                    raise _Changed
                WatchedFile.create(sha256=digest, kind=kind, folder=str(folder),
                                   file_name=path.name, size=len(data),
                                   imported_at=utc_now_naive(clock), author=author,
                                   **imported.fields)
        except _Changed:
            result.waiting.append(path)
            return None
        except _Refused as exc:
            return self._refuse(kind, folder, path, exc, clock)
        except (_AlreadyIn, IntegrityError) as exc:
            note = exc.note if isinstance(exc, _AlreadyIn) else ""
            return self._already_in(kind, folder, path, digest, note, clock)
        moved = move_into(path, folder / DONE)
        return FileOutcome(kind, path.name, "imported", imported.text, moved)

    def _refuse(self, kind: Kind, folder: Path, path: Path, refusal: _Refused,
                clock: Clock) -> FileOutcome:
        moved = move_into(path, folder / REFUSED)
        head = t("{path}: refused on {when}; nothing from it was imported.", path=path.name,
                 when=moment_text(utc_now_naive(clock), clock.timezone))
        lines = [head]
        if refusal.extra:
            lines.append(refusal.extra)
        lines.append(t("Fix these lines (or the data they name), then put the file back into "
                       "{folder}:", folder=folder))
        lines.extend(f"  {problem}" for problem in refusal.problems)
        _write_note(moved, lines)
        return FileOutcome(kind, path.name, "refused", head, moved, tuple(refusal.problems))

    def _already_in(self, kind: Kind, folder: Path, path: Path, digest: str, note: str,
                    clock: Clock) -> FileOutcome:
        earlier = WatchedFile.get_or_none(WatchedFile.sha256 == digest)
        if earlier is not None and earlier.file_name == path.name \
                and earlier.folder == str(folder):
            # Imported, then the program stopped before the move: only the move is left.
            moved = move_into(path, folder / DONE)
            return FileOutcome(kind, path.name, "moved", t(
                "{path}: imported on {when}; now moved to done/.", path=path.name,
                when=moment_text(earlier.imported_at, clock.timezone)), moved)
        if earlier is not None:
            note = t("{path}: the same content was imported on {when} as {earlier}; nothing "
                     "was imported again.", path=path.name,
                     when=moment_text(earlier.imported_at, clock.timezone),
                     earlier=earlier.file_name)
        elif not note:  # pragma: no cover - a row that vanished between two reads
            note = t("{path}: already imported; nothing was imported again.", path=path.name)
        moved = move_into(path, folder / DONE)
        _write_note(moved, [note])
        return FileOutcome(kind, path.name, "duplicate", note, moved)


@dataclass(frozen=True)
class FolderState:
    """One watched folder as ``folders status`` shows it."""

    kind: Kind
    folder: Path
    exists: bool
    waiting: int
    done: int
    refused: int
    last: WatchedFile | None


def _count_files(folder: Path) -> int:
    """The files in done/ or refused/, their notes (``<name>.txt``) not counted, nor a
    note left behind when its file was fixed and put back into the folder (a note is
    ``<name>.txt`` where ``<name>`` is a file of a watched kind, or beside its file)."""
    try:
        names = {entry.name for entry in os.scandir(folder) if entry.is_file()}
    except OSError:
        return 0
    return sum(1 for name in names if not _is_note(name, names))


def _is_note(name: str, names: set[str]) -> bool:
    if not name.lower().endswith(".txt"):
        return False
    stem = name[:-4]
    return stem in names or os.path.splitext(stem)[1].lower() in ALL_SUFFIXES


def folder_states(settings: CollectionSettings) -> list[FolderState]:
    states = []
    for kind, folder in watched_folders(settings):
        try:
            waiting = len(candidates(kind, folder))
            exists = True
        except OSError:
            waiting, exists = 0, False
        last = (WatchedFile.select().where(WatchedFile.kind == kind)
                .order_by(WatchedFile.imported_at.desc(), WatchedFile.id.desc()).first())
        states.append(FolderState(kind, folder, exists, waiting, _count_files(folder / DONE),
                                  _count_files(folder / REFUSED), last))
    return states
