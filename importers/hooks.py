"""What the importers ask of the engine, put there by one explicit call at start-up.

``dunning.worker.BEFORE_PASS_HOOKS["arrivals"]``: at every tick of the worker (the
interface's and the headless one), before the pass is decided, what arrives by itself is
taken in (``run-once`` does it before its pass too), in this order:

1. the watched folders' contractors, documents and KSeF files
   (``importers/watched_folders.py``);
2. the KSeF sync (``importers/ksef_sync.py``), when KSeF is connected, this process can
   read the token and the last run started at least 15 minutes ago (whichever process
   claims it first), waiting out KSeF's limits for at most a minute so the pass is not
   held up;
3. the watched folders' payments and bank statements, which then find the invoices that
   arrived with them.

``BEFORE_PASS_HOOKS["inbox"]``, after the arrivals: the collection mailbox
(``importers/inbox.py``) — replies pause their documents, bounces undo their steps —
at most ``HOOK_LIMIT`` messages a tick, then promises kept by the payments that just
arrived, or broken by the calendar, are settled.

One ``FolderWatcher`` per process remembers its last look at each file, so a file
unchanged since the previous tick is taken at once.

``app.main`` calls ``register_hooks`` first, next to recovery's; importing this module
registers nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from ..dunning.worker import BEFORE_PASS_HOOKS
from ..ledger.clock import Clock
from ..ledger.identity import SYSTEM
from ..ledger.settings import load_settings
from .inbox import HOOK_LIMIT, fetch_inbox
from .inbox import result_lines as inbox_lines
from .ksef_sync import (
    HOOK_MAX_WAIT_SECONDS,
    claim_scheduled_run,
    connected,
    sync_ksef,
    token_readable,
)
from .ksef_sync import result_lines as sync_lines
from .watched_folders import FolderWatcher, ScanResult


def result_lines(result: ScanResult) -> list[str]:
    """What a scan did, a line or more per file, in the program's language (a refused
    file with its bad lines and where it went)."""
    lines = [line for outcome in result.files for line in outcome.lines()]
    lines.extend(str(problem) for problem in result.problems)
    return lines


def arrivals_hook(watcher: FolderWatcher) -> Callable[[Clock], list[str]]:
    """The hook: folders and KSeF with the settings as stored now (each logs what it
    did), their lines returned for ``run-once`` to print."""
    def arrive(clock: Clock) -> list[str]:
        settings = load_settings()
        synced: list[str] = []

        def sync() -> None:
            # A process that cannot read the token (an interface started without it)
            # leaves the run to one that can, rather than record a failure over its
            # success; a token nobody has shows in status as no sync for a day.
            if connected(settings) and token_readable(settings) \
                    and claim_scheduled_run(clock, settings):
                synced.extend(sync_lines(sync_ksef(
                    clock, settings, max_wait_seconds=HOOK_MAX_WAIT_SECONDS)))

        # What the worker takes in by itself is by ``system``, as the KSeF sync's is.
        scanned = result_lines(watcher.scan(clock, settings, author=SYSTEM,
                                            before_payments=sync))
        return synced + scanned

    return arrive


def inbox_hook(clock: Clock) -> list[str]:
    settings = load_settings()
    results = fetch_inbox(clock, settings, limit=HOOK_LIMIT)
    # A quiet mailbox says nothing in run-once's output (or the worker's log).
    return [line for result, line in zip(results, inbox_lines(results), strict=True)
            if result.stored or result.failure or result.more]


def register_hooks() -> None:
    BEFORE_PASS_HOOKS["arrivals"] = arrivals_hook(FolderWatcher())
    BEFORE_PASS_HOOKS["inbox"] = inbox_hook
