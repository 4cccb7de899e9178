"""A run that KSeF stops halfway (its rate limits) keeps the invoices it downloaded.

On production KSeF allows 64 invoice downloads an hour (docs/ksef-sync.md 1.5), fewer
than a batch (100): a run that meets the hourly block after 64 downloads stops as
"throttled" (the block outlasts its wait budget). If it dropped the batch it was
building, every run would download the same 64 invoices again and stop at the same
place: a backlog larger than 64 would never arrive.
"""

from __future__ import annotations

import datetime as dt

from ksef_standin import SELLER_NIP, KsefStandIn, StandInClock

from windykacja.importers.ksef_sync import HOOK_MAX_WAIT_SECONDS, Failure, sync_ksef, sync_state
from windykacja.ledger.ksef_access import TOKEN_ENV
from windykacja.ledger.settings import CollectionSettings
from windykacja.models import Document, KsefInvoice

HOURLY = 64  # downloads an hour on production
BLOCK_SECONDS = 3000



def hourly_limit(ksef: KsefStandIn) -> None:
    """The download after the 64th is refused with 429 for BLOCK_SECONDS."""
    answer = ksef.answer

    def limited(method, path, *more):
        if path.startswith("/v2/invoices/ksef/") and downloads(ksef) == HOURLY:
            ksef.throttle("/invoices/ksef/", retry_after=BLOCK_SECONDS)
        return answer(method, path, *more)

    ksef.answer = limited


def downloads(ksef: KsefStandIn) -> int:
    return sum(1 for r in ksef.requests if r.path.startswith("/invoices/ksef/"))


def test_a_run_stopped_by_the_hourly_limit_keeps_what_it_downloaded(db, monkeypatch):
    with KsefStandIn() as ksef:
        monkeypatch.setenv(TOKEN_ENV, ksef.token)
        added = ksef.add_invoices(150)
        settings = CollectionSettings(module_enabled=True, company_nip=SELLER_NIP,
                                      ksef_environment=ksef.url,
                                      ksef_since=(ksef.now() - dt.timedelta(days=30)).date())
        clock = StandInClock(ksef)
        hourly_limit(ksef)

        stopped = sync_ksef(clock, settings, sleep=ksef.advance,
                            max_wait_seconds=HOOK_MAX_WAIT_SECONDS)

        assert stopped.failure is Failure.THROTTLED
        assert downloads(ksef) == HOURLY + 1  # the 65th was refused
        assert (stopped.created, KsefInvoice.select().count()) == (HOURLY, HOURLY)
        assert sync_state(settings).checkpoint == added[HOURLY - 1].stored.replace(tzinfo=None)

        ksef.advance(BLOCK_SECONDS)
        resumed = sync_ksef(clock, settings, sleep=ksef.advance,
                            max_wait_seconds=HOOK_MAX_WAIT_SECONDS)
        assert (resumed.failure, resumed.created) == (None, 150 - HOURLY)
        assert downloads(ksef) == 150 + 1  # none downloaded twice
        assert Document.select().count() == 150
