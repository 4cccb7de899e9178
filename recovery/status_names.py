"""The names agencies give a case's status, in Polish and English, mapped to ours.

One table serves the HTTP gateway's poll and the status file import, so that an agency
says "egzekucja" the same way through either. Names are compared without case, Polish
diacritics, or the difference between spaces, ``_`` and ``-``: ``Sądowy``, ``sadowy``
and ``SĄDOWY`` are one name. *Not sent* is ours alone: no agency can report it.
"""

from __future__ import annotations

import re
import unicodedata

from ..models import CaseStatus

_NAMES: dict[str, tuple[str, ...]] = {
    CaseStatus.WAITING: ("waiting", "sent", "oczekuje", "oczekująca", "wysłana",
                         "przekazana"),
    CaseStatus.ACCEPTED: ("accepted", "przyjęta", "przyjęto", "przyjęte"),
    CaseStatus.AMICABLE: ("amicable", "amicable stage", "polubowny", "polubowna",
                          "etap polubowny", "windykacja polubowna"),
    CaseStatus.COURT: ("court", "court stage", "sąd", "sądowy", "sądowa", "etap sądowy",
                       "postępowanie sądowe"),
    CaseStatus.ENFORCEMENT: ("enforcement", "egzekucja", "egzekucja komornicza",
                             "etap egzekucyjny", "komornik"),
    CaseStatus.PARTLY_RECOVERED: ("partly recovered", "partially recovered",
                                  "częściowo odzyskano", "częściowo odzyskana"),
    CaseStatus.RECOVERED: ("recovered", "odzyskano", "odzyskana"),
    CaseStatus.CLOSED: ("closed", "closed without success", "zamknięta",
                        "zamknięta bez sukcesu", "bez sukcesu"),
    CaseStatus.WITHDRAWN: ("withdrawn", "wycofana", "wycofano"),
}

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_name(text: str) -> str:
    """Lower case, no diacritics (``ł`` → ``l`` too), single spaces."""
    text = text.strip().lower().replace("ł", "l")
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", text).strip()


STATUS_BY_NAME: dict[str, str] = {
    normalise_name(name): status for status, names in _NAMES.items() for name in names
}


def parse_status(text: str) -> str | None:
    """Our status for an agency's name of it, or None when the name is not known."""
    return STATUS_BY_NAME.get(normalise_name(text))


def accepted_names() -> dict[str, tuple[str, ...]]:
    """Every accepted name by our status (for help texts and the README)."""
    return dict(_NAMES)


__all__ = ["STATUS_BY_NAME", "accepted_names", "normalise_name", "parse_status"]
