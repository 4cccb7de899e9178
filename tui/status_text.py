"""The worker's state in words for the status line (never colour alone)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dunning.rate_gaps import short_gap
from ..importers.ksef_outcome import Failure
from ..lists.status import CollectionStatus
from .i18n import N_, t, tn

if TYPE_CHECKING:  # the engine is imported when the worker starts, not with the app
    from ..dunning.worker import WorkerStatus

#: A failing KSeF sync on the top line, briefly (``windykacja status`` says it in full);
#: by the stored failure code (``importers/ksef_sync.py`` ``Failure``).
KSEF_FAILURES: dict[str, str] = {  # Failure is a StrEnum: the stored code finds it
    Failure.SETUP: N_("KSeF: not set up completely — see status"),
    Failure.TOKEN: N_("KSeF: token wrong or revoked — see status"),
    Failure.PERMISSION: N_("KSeF: the token may not read invoices — see status"),
    Failure.UNAVAILABLE: N_("KSeF: unavailable — see status"),
    Failure.THROTTLED: N_("KSeF: asks us to wait — see status"),
}
KSEF_FAILS = N_("KSeF: the sync fails — see status")  # a code of a newer program

#: A collection mailbox that cannot be read (issue 15), by its failure code
#: (``importers/mail_source.MailboxError.code``, stored in ``mailbox_state``).
MAILBOX_FAILURES: dict[str, str] = {
    "setup": N_("mailbox: not set up right — see status"),
    "login": N_("mailbox: login refused — see status"),
    "unavailable": N_("mailbox: server unreachable — see status"),
    "folder": N_("mailbox: no such folder — see status"),
    "timeout": N_("mailbox: server not answering — see status"),
}
MAILBOX_FAILS = N_("mailbox: cannot be read — see status")  # a code of a newer program


def _when(moment) -> str:
    return moment.strftime("%d.%m %H:%M")


def describe_status(
    status: CollectionStatus, worker: WorkerStatus | None, worker_running: bool,
    rate_gaps: tuple = (), ksef_failure: str = "",
) -> str:
    """``rate_gaps`` are the rates the coming demands lack (``forecast.coming_gaps``);
    ``ksef_failure`` the code of the KSeF sync's failure ("" when fine or not connected,
    ``lists.arrivals.ksef_failure``)."""
    if not status.module_enabled:
        parts = [t("Collection off")]
    else:
        last = status.last_pass
        parts = [
            t("last pass {day}", day=last.pass_date.strftime("%d.%m")) if last
            else t("no pass yet"),
            t("next {moment}", moment=_when(status.next_pass)) if status.next_pass
            else t("no next pass"),
        ]
    if status.mailbox_failure:
        # Ahead of the passes: bounces and replies go unseen until a person acts.
        parts.insert(0, t(MAILBOX_FAILURES.get(status.mailbox_failure, MAILBOX_FAILS)))
    if ksef_failure:
        # Ahead of the passes: new invoices are not arriving until a person acts.
        parts.insert(0, t(KSEF_FAILURES.get(ksef_failure, KSEF_FAILS)))
    if status.demands_held_since is not None:
        # First, as the line is cut at its end on a narrow terminal; the unpaid list's
        # next-step column and each document say why in full.
        parts.insert(0, t("demands held"))
    if rate_gaps:
        # First too: the coming demands cannot state a figure until the rate is added
        # (the Forecast and `windykacja status` name the command).
        parts.insert(0, ", ".join(short_gap(g.gap) for g in rate_gaps))
    if status.needs_attention:
        parts.append(tn("{n} needs attention", "{n} need attention", status.needs_attention))
    if worker is not None and worker.last_error:
        parts.append(t("worker error: {problem}", problem=worker.last_error))
    elif not worker_running:
        parts.append(t("worker not running here"))
    return " · ".join(parts)
