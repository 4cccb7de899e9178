"""What arrives by itself — the KSeF sync and the watched folders (issue 14) — as
``windykacja status`` shows it, and what of it needs a person.

Read from the database and the folders only: no network, no token (``status`` may run as
another user than the worker, for monitoring). What needs a person:

* the KSeF sync failing: a wrong, revoked or inactive token, a token without the
  permission to read invoices, KSeF not set up completely — at once, since nothing will
  change until a person acts; KSeF unavailable or asking us to wait — only once it has
  lasted ``KSEF_OUTAGE_GRACE``, since the next runs go on by themselves;
* no sync that ended well for ``KSEF_STALE`` (since the last good one, or since KSeF was
  connected): no worker runs it, or none can read the token;
* invoices KSeF handed out that the importer refused (``ksef_invoice`` outcome
  ``refused``): they stay out until the cause is fixed and ``ksef sync --retry`` runs;
* a watched folder that does not exist or cannot be read, and files in a folder's
  ``refused/`` (fixed and put back, or removed, they stop counting).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import N_, t, tn
from ..importers.ksef_outcome import FAILURE_WORDS, Failure
from ..importers.ksef_sync import connected, ksef_nip, sync_state
from ..importers.watched_folders import KIND_NAMES, REFUSED, FolderState, folder_states
from ..ledger.settings import CollectionSettings
from ..models import KsefInvoice, KsefSyncState, Setting

#: One reason a person is needed: a code for scripts and the words (``health.Problem``).
Need = tuple[str, str]

#: Failures that last only until KSeF answers again: a person is asked only after this.
KSEF_OUTAGE_GRACE = dt.timedelta(hours=3)
#: No sync that ended well for this long (the worker syncs every 15 minutes): a person.
KSEF_STALE = dt.timedelta(days=1)
PASSING = frozenset({Failure.UNAVAILABLE.value, Failure.THROTTLED.value})

#: The ministry's environments in words (``ledger/ksef_access.py``); an address as it is.
ENVIRONMENT_NAMES = {
    "production": N_("the production environment"),
    "demo": N_("the demo environment"),
    "test": N_("the test environment"),
}


@dataclass(frozen=True)
class KsefView:
    """The KSeF connection as ``status`` shows it."""

    environment: str  # "" when KSeF is not connected
    nip: str
    state: KsefSyncState | None  # None until a run ever started
    refused: int  # invoices refused by the importer, waiting for ``--retry``
    first_refused: KsefInvoice | None
    connected_at: dt.datetime | None = None  # UTC: when ksef.environment was last saved

    @property
    def connected(self) -> bool:
        return bool(self.environment)

    @property
    def failure(self) -> str:
        return self.state.failure if self.state is not None else ""


def environment_name(environment: str) -> str:
    return t(ENVIRONMENT_NAMES[environment]) if environment in ENVIRONMENT_NAMES \
        else environment


def ksef_view(settings: CollectionSettings) -> KsefView:
    if not connected(settings):
        return KsefView("", "", None, 0, None)
    refused = KsefInvoice.select().where(KsefInvoice.outcome == "refused")
    saved = Setting.get_or_none(Setting.key == "ksef.environment")
    return KsefView(settings.ksef_environment, ksef_nip(settings), sync_state(settings),
                    refused.count(), refused.order_by(KsefInvoice.stored_at).first(),
                    saved.updated_at if saved is not None else None)


def ksef_failure(settings: CollectionSettings) -> str:
    """The failure code of the last run ("" when fine or not connected): one row read,
    for the interface's top line."""
    state = sync_state(settings)
    return state.failure if state is not None else ""


def failure_text(state: KsefSyncState) -> str:
    """A stored failure in words, with what KSeF (or the setup check) said."""
    try:
        words = t(FAILURE_WORDS[Failure(state.failure)])
    except ValueError:  # a code of a newer program: as it is
        words = state.failure
    return with_detail(words, state.failure_detail)


def with_detail(problem: str, detail: str) -> str:
    """A failure in our words, with what the other side said when it said anything."""
    if not detail:
        return problem
    return t("{problem} (details: {detail})", problem=problem, detail=detail)


def ksef_problems(view: KsefView, now_utc: dt.datetime,
                  moment: Callable[[dt.datetime], str]) -> list[Need]:
    """``moment``: a stored UTC time as the reader's local time."""
    problems: list[Need] = []
    state = view.state
    if state is not None and state.failure:
        since = state.failing_since or state.last_run_at or now_utc
        if state.failure not in PASSING or now_utc - since >= KSEF_OUTAGE_GRACE:
            problems.append(("ksef_failing", t(
                "the KSeF sync fails since {since}: {problem}", since=moment(since),
                problem=failure_text(state))))
    elif view.connected:
        problems.extend(_stale(view, now_utc, moment))
    first = view.first_refused
    if view.refused and first is not None:
        problems.append(("ksef_refused", tn(
            "{n} invoice from KSeF was refused and is not in the database ({number}: "
            "{problem}): 'windykacja ksef refused' says why; fix the cause, then "
            "'windykacja ksef sync --retry'",
            "{n} invoices from KSeF were refused and are not in the database (the first, "
            "{number}: {problem}): 'windykacja ksef refused' lists them; fix the causes, "
            "then 'windykacja ksef sync --retry'",
            view.refused, number=first.invoice_number,
            problem=(first.problem.splitlines() or [""])[0])))
    return problems


def _stale(view: KsefView, now_utc: dt.datetime,
           moment: Callable[[dt.datetime], str]) -> list[Need]:
    """No run that ended well for ``KSEF_STALE``: a worker skips the sync when it cannot
    read the token (an interface started without it leaves the run to one that can), so
    a token nobody has shows as silence, said here."""
    last_good = view.state.last_success_at if view.state is not None else None
    since = last_good or view.connected_at
    if since is None or now_utc - since < KSEF_STALE:
        return []
    return [("ksef_stale", t(
        "no KSeF sync has ended well since {since}: is the worker running, and can it "
        "read the KSeF token ($WINDYKACJA_KSEF_TOKEN or ksef.token_file)?",
        since=moment(since)))]


def folders_view(settings: CollectionSettings) -> tuple[FolderState, ...]:
    return tuple(folder_states(settings))


def folder_problems(folders: tuple[FolderState, ...]) -> list[Need]:
    problems: list[Need] = []
    for state in folders:
        kind = t(KIND_NAMES[state.kind])
        if not state.exists:
            problems.append(("folder_missing", t(
                "the watched folder {folder} ({kind}) does not exist or cannot be read: "
                "create it, or correct folders.{key}", folder=state.folder, kind=kind,
                key=state.kind)))
        elif state.refused:
            problems.append(("folder_refused", tn(
                "{n} file refused in {folder} ({kind}): the note beside it (<name>.txt) "
                "names its bad lines; fix it and put it back into the folder, or remove it",
                "{n} files refused in {folder} ({kind}): the note beside each (<name>.txt) "
                "names its bad lines; fix them and put them back into the folder, or "
                "remove them", state.refused, folder=state.folder / REFUSED, kind=kind)))
    return problems
