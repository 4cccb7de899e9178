"""The KSeF sync against the local stand-in, over HTTP, with the real ksef-client.

What is checked: the incremental download as the ministry documents it (pages,
truncation, the high-water mark), that every invoice arrives exactly once however often
the sync runs, that KSeF's rate limits are waited out, that an expired access token is
renewed, and that each failure is stored in words for ``status``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from importers.test_ksef import correction
from ksef_standin import SELLER_NIP, KsefStandIn, StandInClock

from windykacja.app import main
from windykacja.dunning.worker import BEFORE_PASS_HOOKS, run_before_pass_hooks
from windykacja.importers import watched_folders
from windykacja.importers.hooks import register_hooks
from windykacja.importers.ksef import import_ksef
from windykacja.importers.ksef_sync import Failure, sync_ksef, sync_state
from windykacja.ledger.clock import utc_now_naive
from windykacja.ledger.ksef_access import TOKEN_ENV
from windykacja.ledger.settings import (
    CollectionSettings,
    load_settings,
    save_settings,
    settings_as_text,
)
from windykacja.models import CollectionEvent, Document, EventKind, KsefInvoice
from windykacja.models.db import open_database


@pytest.fixture
def settings(ksef):
    return CollectionSettings(module_enabled=True, company_nip=SELLER_NIP,
                              ksef_environment=ksef.url,
                              ksef_since=(ksef.now() - dt.timedelta(days=30)).date())


@pytest.fixture
def clock(ksef):
    return StandInClock(ksef)


class Waits(list):
    """The sleep the sync is given: it records each wait and moves the stand-in's clock
    by as much, so no test sleeps."""

    def __init__(self, standin: KsefStandIn) -> None:
        super().__init__()
        self.standin = standin

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        self.standin.advance(seconds)


def downloads(ksef: KsefStandIn) -> int:
    return sum(1 for r in ksef.requests if r.path.startswith("/invoices/ksef/"))


def queries(ksef: KsefStandIn) -> list:
    return [r for r in ksef.requests if r.path.startswith("/invoices/query/metadata")]


def test_a_first_sync_imports_every_invoice_and_says_where_each_came_from(db, ksef, clock,
                                                                          settings):
    added = ksef.add_invoices(30, form="mixed")
    result = sync_ksef(clock, settings, sleep=Waits(ksef))

    assert (result.failure, result.created, result.known, result.refused) == (None, 30, 0, [])
    for invoice in added:
        document = Document.get(Document.number == invoice.number)
        assert document.gross == invoice.gross
        assert document.contractor.nip == invoice.buyer_nip
        first = document.events.order_by(CollectionEvent.id).first()
        assert (first.kind, first.text, first.author) == (
            EventKind.DOCUMENT_ARRIVED, f"ksef {invoice.ksef_number}", "system")
        row = KsefInvoice.get(KsefInvoice.ksef_number == invoice.ksef_number)
        assert (row.document_id, row.outcome) == (document.id, "created")
        assert document.contractor.emails  # so that the worker can remind and demand
        # What the invoice says was paid is recorded by the worker, not by whoever runs it.
        assert {p.author for p in document.payments} <= {"system"}
    assert any(invoice.form == "FA2" for invoice in added)  # the FA(2) sample is paid
    assert sum(Document.get(Document.number == i.number).payments.count() for i in added)
    state = sync_state(settings)
    assert state.failure == "" and state.last_added == 30
    assert state.checkpoint is not None and state.last_success_at is not None


def test_a_second_sync_adds_nothing_and_downloads_nothing(db, ksef, clock, settings):
    ksef.add_invoices(12)
    sync_ksef(clock, settings, sleep=Waits(ksef))
    fetched = downloads(ksef)

    again = sync_ksef(clock, settings, sleep=Waits(ksef))

    assert (again.failure, again.created, again.unchanged) == (None, 0, 0)
    assert downloads(ksef) == fetched == 12
    assert Document.select().count() == 12


def test_an_invoice_added_later_arrives_on_the_next_sync(db, ksef, clock, settings):
    ksef.add_invoices(5)
    sync_ksef(clock, settings, sleep=Waits(ksef))
    ksef.advance(60)
    later = ksef.add_invoices(1, stored_from=ksef.now() - dt.timedelta(seconds=30))[0]

    result = sync_ksef(clock, settings, sleep=Waits(ksef))

    assert result.created == 1
    assert Document.get(Document.number == later.number).gross == later.gross
    # The next query starts where the last one ended: nothing old is read again.
    last = queries(ksef)[-1].body["dateRange"]
    assert last["dateType"] == "PermanentStorage" and last["restrictToPermanentStorageHwmDate"]


def test_two_thousand_invoices_come_in_pages_and_a_truncated_result_goes_on(db, ksef, clock,
                                                                            settings):
    ksef.add_invoices(2000, every=dt.timedelta(seconds=20))
    ksef.result_limit = 900  # KSeF's 10 000, smaller: the narrowing after truncation runs

    result = sync_ksef(clock, settings, sleep=Waits(ksef))

    assert (result.failure, result.created) == (None, 2000)
    assert Document.select().count() == KsefInvoice.select().count() == 2000
    pages = queries(ksef)
    assert len(pages) >= 2000 // 250
    assert any(r.body["dateRange"]["from"] != pages[0].body["dateRange"]["from"] for r in pages)


def test_an_invoice_imported_from_a_file_first_is_the_same_document(db, ksef, clock, settings,
                                                                    tmp_path):
    invoice = ksef.add_invoices(1)[0]
    path = tmp_path / "faktura.xml"
    path.write_bytes(invoice.xml)
    import_ksef(path, clock, settings)

    result = sync_ksef(clock, settings, sleep=Waits(ksef))

    assert (result.created, result.unchanged) == (0, 1)
    document = Document.get(Document.number == invoice.number)
    assert KsefInvoice.get().document_id == document.id
    assert Document.select().count() == 1


def test_a_rate_limit_is_waited_out_as_long_as_retry_after_says(db, ksef, clock, settings):
    ksef.add_invoices(3)
    ksef.throttle("/invoices/ksef/", retry_after=45)
    waits = Waits(ksef)

    result = sync_ksef(clock, settings, sleep=waits)

    assert (result.failure, result.created) == (None, 3)
    assert sum(waits) >= 45 and result.waited_seconds >= 45


def test_waits_beyond_the_runs_budget_stop_it_and_the_next_run_goes_on(db, ksef, clock,
                                                                       settings):
    ksef.add_invoices(3)
    ksef.throttle("/invoices/query/metadata", retry_after=3600)

    stopped = sync_ksef(clock, settings, sleep=lambda seconds: None)

    assert stopped.failure is Failure.THROTTLED and stopped.created == 0
    assert sync_state(settings).failure == "throttled"
    ksef.advance(3600)
    resumed = sync_ksef(clock, settings, sleep=Waits(ksef))
    assert (resumed.failure, resumed.created) == (None, 3)
    assert sync_state(settings).failure == "" and sync_state(settings).failing_since is None


def test_an_expired_access_token_is_refreshed(db, ksef, clock, settings):
    ksef.add_invoices(4)
    ksef.throttle("/invoices/ksef/", retry_after=30)

    def slow_sleep(seconds: float) -> None:  # the wait outlasts the access token (15 min)
        ksef.advance(16 * 60)

    result = sync_ksef(clock, settings, sleep=slow_sleep)

    assert (result.failure, result.created) == (None, 4)
    assert any(r.path == "/auth/token/refresh" for r in ksef.requests)


@pytest.mark.parametrize(("lever", "failure"), [
    ("revoked", Failure.TOKEN), ("no permission", Failure.PERMISSION),
    ("no invoice permission", Failure.PERMISSION),
])
def test_a_refused_token_is_said_and_stored(db, ksef, clock, settings, lever, failure):
    ksef.add_invoices(2)
    if lever == "revoked":
        ksef.token_revoked = True
    elif lever == "no permission":
        ksef.permissions = set()
    else:
        ksef.permissions = {"InvoiceWrite"}

    result = sync_ksef(clock, settings, sleep=Waits(ksef))

    assert result.failure is failure and result.created == 0
    state = sync_state(settings)
    assert state.failure == failure.value and state.failing_since is not None
    assert ksef.token not in state.failure_detail


def test_ksef_unavailable_is_said(db, ksef, clock, settings):
    ksef.add_invoices(2)
    ksef.server.shutdown()
    ksef.server.server_close()

    result = sync_ksef(clock, settings, sleep=lambda seconds: None, timeout_seconds=2)

    assert result.failure is Failure.UNAVAILABLE
    assert sync_state(settings).failure == "unavailable"


def test_no_token_is_a_setup_failure(db, ksef, clock, settings, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV)
    result = sync_ksef(clock, settings, sleep=Waits(ksef))
    assert result.failure is Failure.SETUP and "WINDYKACJA_KSEF_TOKEN" in result.detail
    assert not ksef.requests


def test_a_refused_invoice_is_kept_aside_and_tried_again_on_retry(db, ksef, clock, settings):
    ksef.add_invoices(3)
    elsewhere = dataclasses.replace(settings, company_nip="7740001454")  # another seller
    # Stored under the same KSeF access, but the company's NIP says: not our sales.
    result = sync_ksef(clock, dataclasses.replace(elsewhere, ksef_nip=SELLER_NIP),
                       sleep=Waits(ksef))
    assert len(result.refused) == 3 and Document.select().count() == 0
    assert "7740001454" in result.refused[0].problem

    again = sync_ksef(clock, settings, sleep=Waits(ksef))
    assert again.created == 0 and downloads(ksef) == 3  # not downloaded again

    retried = sync_ksef(clock, settings, sleep=Waits(ksef), retry_refused=True)
    assert retried.created == 3
    assert {row.outcome for row in KsefInvoice.select()} == {"created"}
    assert Document.select().count() == 3 and sum(
        d.gross for d in Document.select()) > Decimal("0")


# --- the worker's hook and the command ---------------------------------------------------


def test_the_workers_tick_syncs_before_the_payments_folder_and_at_most_every_15_minutes(
        db, ksef, clock, settings, tmp_path, monkeypatch):
    monkeypatch.setitem(BEFORE_PASS_HOOKS, "arrivals", None)  # put back after the test
    register_hooks()
    monkeypatch.setattr(watched_folders, "SECOND_LOOK_SECONDS", 0)
    invoice = ksef.add_invoices(1)[0]
    payments = tmp_path / "payments"
    payments.mkdir()
    (payments / "wplaty.csv").write_text(
        f"document_number;date;amount\n{invoice.number};{clock.today()};100,00\n",
        encoding="utf-8")
    save_settings({**{key: text for key, text in settings_as_text(settings, True).items()
                      if key.startswith(("ksef.", "company.", "module."))},
                   "folders.payments": str(payments)}, "test", utc_now_naive(clock))

    lines = run_before_pass_hooks(clock)

    # The payment found the invoice that arrived from KSeF in the same tick.
    assert lines[0] == "KSeF: 1 invoice added."
    document = Document.get(Document.number == invoice.number)
    assert document.outstanding == invoice.gross - Decimal("100.00")
    assert (payments / "done" / "wplaty.csv").exists()
    ksef.advance(14 * 60)
    ksef.add_invoices(1, stored_from=ksef.now() - dt.timedelta(seconds=30))
    assert not any(line.startswith("KSeF") for line in run_before_pass_hooks(clock))
    ksef.advance(60)
    assert run_before_pass_hooks(clock)[0] == "KSeF: 1 invoice added."


def test_ksef_sync_and_refused_from_the_command_line(db_location, ksef, capsys):
    db_path = db_location("k.db")
    open_database(str(db_path))
    base = ["--db", str(db_path), "--lang", "pl"]
    assert main([*base, "ksef", "sync"]) == 1
    assert "KSeF nie jest połączony" in capsys.readouterr().err
    assert main([*base, "settings", "set", f"ksef.environment={ksef.url}",
                 "company.nip=7740001454", f"ksef.nip={SELLER_NIP}"]) == 0
    ksef.add_invoices(2)

    assert main([*base, "ksef", "sync"]) == 1  # the seller is not the company: refused
    out = capsys.readouterr()
    assert "KSeF: nic nowego od ostatniej synchronizacji." in out.out
    assert out.err.count("odrzucona") == 2 and "7740001454" in out.err
    assert main([*base, "ksef", "refused"]) == 0
    assert "ksef sync --retry" in capsys.readouterr().out

    assert main([*base, "settings", "set", f"company.nip={SELLER_NIP}"]) == 0
    assert main([*base, "ksef", "sync", "--retry"]) == 0
    assert "KSeF: dodano 2 faktury." in capsys.readouterr().out
    assert main([*base, "ksef", "refused"]) == 0
    assert "Żadna faktura z KSeF nie została odrzucona." in capsys.readouterr().out
    assert ksef.token not in capsys.readouterr().err


def test_a_correction_from_ksef_is_applied_to_its_invoice_once(db, ksef, clock, settings):
    invoice = ksef.add_invoices(1, stored_from=ksef.now() - dt.timedelta(minutes=10))[0]
    # Listed before its invoice (stored earlier): within a batch corrections come last.
    ksef.add_xml(correction("KOR/2026/12/001", invoice.number, "-100.00").encode(),
                 "KOR/2026/12/001", Decimal("-100.00"),
                 stored=ksef.now() - dt.timedelta(minutes=11))

    result = sync_ksef(clock, settings, sleep=Waits(ksef))

    assert (result.failure, result.created, result.corrected) == (None, 1, 1)
    document = Document.get(Document.number == invoice.number)
    assert document.gross == document.outstanding == invoice.gross - Decimal("100.00")
    kinds = [e.kind for e in document.events.order_by(CollectionEvent.id)]
    assert kinds == [EventKind.DOCUMENT_ARRIVED, EventKind.DOCUMENT_CORRECTED]
    rows = {row.invoice_number: row for row in KsefInvoice.select()}
    assert rows["KOR/2026/12/001"].outcome == "corrected"
    assert rows["KOR/2026/12/001"].document_id == document.id
    assert sync_ksef(clock, settings, retry_refused=True, sleep=Waits(ksef)).corrected == 0
    assert Document.get_by_id(document.id).gross == invoice.gross - Decimal("100.00")


def test_a_worker_without_the_token_leaves_the_sync_to_one_with_it(db, ksef, clock, settings,
                                                                    monkeypatch):
    monkeypatch.setitem(BEFORE_PASS_HOOKS, "arrivals", None)  # put back after the test
    register_hooks()
    ksef.add_invoices(2)
    save_settings({key: text for key, text in settings_as_text(settings, True).items()
                   if key.startswith(("ksef.", "company.", "module."))}, "test",
                  utc_now_naive(clock))
    monkeypatch.delenv(TOKEN_ENV)  # an interface started without the token

    assert run_before_pass_hooks(clock) == []
    assert sync_state(load_settings()) is None and not ksef.requests  # nothing recorded

    monkeypatch.setenv(TOKEN_ENV, ksef.token)  # the worker that has it
    assert run_before_pass_hooks(clock) == ["KSeF: 2 invoices added."]
    assert sync_state(load_settings()).failure == ""
