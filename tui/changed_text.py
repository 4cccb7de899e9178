"""A save refused because someone else saved the same row first, in the interface
language (``ledger/versions.py::ChangedMeanwhile``)."""

from __future__ import annotations

from ..ledger.versions import ChangedMeanwhile
from .i18n import t


def changed_text(error: ChangedMeanwhile) -> str:
    """"changed by ewa at 10:42, reload" (with the day when it was not today)."""
    who = error.who or t("someone")
    if error.when is None:
        return t("changed by {who} meanwhile, reload", who=who)
    time = error.when.strftime("%H:%M")
    if error.when.date() != error.today:
        return t("changed by {who} on {day} at {time}, reload", who=who,
                 day=error.when.strftime("%d.%m.%Y"), time=time)
    return t("changed by {who} at {time}, reload", who=who, time=time)
