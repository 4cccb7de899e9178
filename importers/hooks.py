"""What the importers ask of the engine, put there by one explicit call at start-up.

``dunning.worker.BEFORE_PASS_HOOKS["folders"]``: at every tick of the worker (the
interface's and the headless one), before the pass is decided, the watched folders are
scanned (``importers/watched_folders.py``); ``run-once`` scans them before its pass too.
One ``FolderWatcher`` per process remembers its last look at each file, so a file
unchanged since the previous tick is taken at once.

``app.main`` calls ``register_hooks`` first, next to recovery's; importing this module
registers nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from ..dunning.worker import BEFORE_PASS_HOOKS
from ..ledger.clock import Clock
from ..ledger.settings import load_settings
from .watched_folders import FolderWatcher, ScanResult


def result_lines(result: ScanResult) -> list[str]:
    """What a scan did, a line or more per file, in the program's language (a refused
    file with its bad lines and where it went)."""
    lines = [line for outcome in result.files for line in outcome.lines()]
    lines.extend(str(problem) for problem in result.problems)
    return lines


def scan_folders_hook(watcher: FolderWatcher) -> Callable[[Clock], list[str]]:
    """The hook: a scan with the settings as stored now (the scan logs each file and
    each problem), its lines returned for ``run-once`` to print."""
    def scan(clock: Clock) -> list[str]:
        return result_lines(watcher.scan(clock, load_settings()))

    return scan


def register_hooks() -> None:
    BEFORE_PASS_HOOKS["folders"] = scan_folders_hook(FolderWatcher())
