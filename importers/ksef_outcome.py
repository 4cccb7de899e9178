"""What a KSeF sync run ended with (``importers/ksef_sync.py``): the failures in words
and the counts. Apart from the run itself (``importers/ksef_fetch.py``) so that reading
them never imports the KSeF client, which takes half a second."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from ..i18n import N_
from ..models import KsefInvoice


class Failure(StrEnum):
    SETUP = "setup"
    TOKEN = "token"
    PERMISSION = "permission"
    UNAVAILABLE = "unavailable"
    THROTTLED = "throttled"


#: What each failure means to a person, and what to do.
FAILURE_WORDS = {
    Failure.SETUP: N_("KSeF is not set up completely"),
    Failure.TOKEN: N_("the KSeF token is wrong, revoked or inactive: generate a new one in "
                      "KSeF and put it where ksef.token_file or $WINDYKACJA_KSEF_TOKEN says"),
    Failure.PERMISSION: N_("the KSeF token has no permission to read invoices (InvoiceRead): "
                           "generate a token with it"),
    Failure.UNAVAILABLE: N_("KSeF is unavailable; the next sync tries again"),
    Failure.THROTTLED: N_("KSeF asks us to wait (rate limits); the next sync goes on"),
}


class SyncStopped(Exception):
    """The run cannot go on; what it stored so far stays."""

    def __init__(self, failure: Failure, detail: str) -> None:
        super().__init__(f"{failure}: {detail}")
        self.failure = failure
        self.detail = detail


@dataclass
class SyncResult:
    created: int = 0
    unchanged: int = 0
    corrected: int = 0
    known: int = 0  # listed again, handled before: not downloaded
    refused: list[KsefInvoice] = field(default_factory=list)
    failure: Failure | None = None
    detail: str = ""
    not_ready: str = ""  # a KSeF number KSeF could not hand out yet (21165)
    checkpoint: dt.datetime | None = None
    waited_seconds: float = 0.0

    @property
    def added(self) -> int:
        return self.created + self.corrected
