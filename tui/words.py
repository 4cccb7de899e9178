"""Short statuses in the interface language, in words (never colour alone)."""

from __future__ import annotations

from ..lists.progress import Progress
from .formatting import short_day
from .i18n import t


def progress_text(progress: Progress) -> str:
    """SPEC §7: "reminder 12.11", "demand 2/3", "excluded", "finished"."""
    if progress.code == "finished":
        return t("finished")
    if progress.code == "excluded":
        return t("excluded")
    if progress.code == "demand":
        return t("demand {count}/{of}", count=progress.demands, of=progress.of)
    if progress.code == "reminder":
        return t("reminder {day}", day=short_day(progress.sent_on))
    return t("not started")
