"""The worker's state in words for the status line (never colour alone)."""

from __future__ import annotations

from ..dunning.rate_gaps import short_gap
from ..dunning.worker import WorkerStatus
from ..lists.status import CollectionStatus
from .i18n import t, tn


def _when(moment) -> str:
    return moment.strftime("%d.%m %H:%M")


def describe_status(
    status: CollectionStatus, worker: WorkerStatus | None, worker_running: bool,
    rate_gaps: tuple = (),
) -> str:
    """``rate_gaps`` are the rates the coming demands lack (``forecast.coming_gaps``)."""
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
