"""``windykacja status`` on what arrives by itself (issue 14, point 3): the KSeF connection
and its last sync — not connected, fine, failing, invoices refused — and the watched
folders, in English and Polish, with the exit status asking for a person when one is
needed. The sync runs for real against the local KSeF stand-in; the folders are real."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from ksef_standin import SELLER_NIP, KsefStandIn, StandInClock

from windykacja.app import main
from windykacja.dunning.worker import BEFORE_PASS_HOOKS
from windykacja.importers import watched_folders
from windykacja.importers.ksef_sync import sync_ksef, sync_state
from windykacja.ledger.names import moment_text
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.lists.health import ATTENTION, OK
from windykacja.models import KsefSyncState

WARSAW = ZoneInfo("Europe/Warsaw")
BROKEN = ("number;contractor_code;issue_date;due_date;gross\n"
          "FV/8;K1;2026-11-02;2026-11-16;tysiąc\n")




@pytest.fixture
def location(db, db_location, ksef):
    """The test's database, connected to the stand-in for the company's NIP."""
    save_settings({"ksef.environment": ksef.url, "company.nip": SELLER_NIP,
                   "ksef.since": (ksef.now() - dt.timedelta(days=30)).date().isoformat()},
                  "test", dt.datetime(2026, 11, 23, 8, 0))
    return db_location()


def sync(ksef: KsefStandIn, **changes):
    settings = dataclasses.replace(load_settings(), **changes)
    return sync_ksef(StandInClock(ksef), settings, sleep=ksef.advance)


def status(location: str, language: str = "en", *args: str) -> int:
    return main(["--db", location, "--lang", language, "status", *args])


def local(utc: dt.datetime | None) -> str:
    return moment_text(utc, WARSAW)


def test_not_connected_is_said_and_fine(db_location, capsys):
    fresh = db_location("fresh.db")
    assert main(["--db", fresh, "settings", "show"]) == 0
    capsys.readouterr()

    assert status(fresh) == OK
    shown = capsys.readouterr().out
    assert "\nKSeF:         not connected\n" in shown
    assert "\nfolders:      none watched\n" in shown
    assert status(fresh, "pl") == OK
    shown = capsys.readouterr().out
    assert "\nKSeF:              nie połączono\n" in shown
    assert "\nfoldery:           żaden nie jest obserwowany\n" in shown


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def test_a_named_environment_before_its_first_sync(db, db_location, capsys):
    save_settings({"ksef.environment": "demo", "company.nip": SELLER_NIP}, "test",
                  utc_now() - dt.timedelta(minutes=5))
    assert status(db_location()) == OK
    shown = capsys.readouterr().out
    assert (f"KSeF:         connected to the demo environment for NIP {SELLER_NIP}\n"
            "KSeF sync:    no sync yet\n") in shown
    assert status(db_location(), "pl") == OK
    shown = capsys.readouterr().out
    assert (f"KSeF:              połączono: środowisko przedprodukcyjne (demo), NIP "
            f"{SELLER_NIP}\nsynchronizacja:    jeszcze nie było\n") in shown


def test_a_sync_that_went_well(location, ksef, capsys):
    ksef.add_invoices(3)
    assert sync(ksef).created == 3
    state = sync_state(load_settings())

    assert status(location) == OK
    shown = capsys.readouterr().out
    assert shown.startswith("OK: nothing needs a person")
    assert f"\nKSeF:         connected to {ksef.url} for NIP {SELLER_NIP}\n" in shown
    assert (f"\nKSeF sync:    {local(state.last_success_at)}, added 3; invoices stored in "
            f"KSeF up to {local(state.checkpoint)}\n") in shown
    assert status(location, "pl") == OK
    shown = capsys.readouterr().out
    assert f"\nKSeF:              połączono: {ksef.url}, NIP {SELLER_NIP}\n" in shown
    assert (f"\nsynchronizacja:    {local(state.last_success_at)}, dodano faktur: 3; pobrane "
            f"faktury zapisane w KSeF do {local(state.checkpoint)}\n") in shown


def test_a_revoked_token_needs_a_person_at_once(location, ksef, capsys):
    ksef.add_invoices(2)
    ksef.token_revoked = True
    sync(ksef)
    state = sync_state(load_settings())
    assert state.failure == "token"

    assert status(location) == ATTENTION
    shown = capsys.readouterr().out
    since = local(state.failing_since)
    assert f"\nKSeF sync:    {local(state.last_run_at)}, failing since {since}\n" in shown
    assert (f"  - the KSeF sync fails since {since}: the KSeF token is wrong, revoked or "
            "inactive: generate a new one in KSeF and put it where ksef.token_file or "
            "$WINDYKACJA_KSEF_TOKEN says (details: ") in shown
    assert ksef.token not in shown
    assert status(location, "pl") == ATTENTION
    shown = capsys.readouterr().out
    assert f"\nsynchronizacja:    {local(state.last_run_at)}, bez powodzenia od {since}\n" \
        in shown
    assert (f"  - synchronizacja z KSeF nie działa od {since}: token KSeF jest błędny, "
            "unieważniony lub nieaktywny") in shown and "(szczegóły: " in shown


def test_ksef_unavailable_is_said_and_needs_a_person_only_when_it_lasts(location, ksef,
                                                                        capsys):
    ksef.server.shutdown()
    ksef.server.server_close()
    sync_ksef(StandInClock(ksef), load_settings(), sleep=lambda seconds: None,
              timeout_seconds=2)

    assert status(location) == OK  # the next runs try again by themselves
    shown = capsys.readouterr().out
    assert "failing since" in shown and ": KSeF is unavailable; the next sync tries " \
        "again (details: " in shown
    days_later = (ksef.now() + dt.timedelta(days=2)).date().isoformat()
    assert main(["--db", location, "--today", days_later, "status"]) == ATTENTION
    assert "  - the KSeF sync fails since " in capsys.readouterr().out


def test_refused_invoices_need_a_person_and_say_what_to_do(location, ksef, capsys):
    ksef.add_invoices(3)
    # Stored under the company's KSeF access, but the company's NIP says: not our sales.
    result = sync(ksef, company_nip="7740001454", ksef_nip=SELLER_NIP)
    assert len(result.refused) == 3
    first = min(result.refused, key=lambda row: row.stored_at)

    assert status(location) == ATTENTION
    shown = capsys.readouterr().out
    assert "; 3 invoices refused\n" in shown
    assert (f"  - 3 invoices from KSeF were refused and are not in the database (the first, "
            f"{first.invoice_number}: {first.problem.splitlines()[0]}): 'windykacja ksef "
            "refused' lists them; fix the causes, then 'windykacja ksef sync --retry'") in shown
    assert status(location, "pl") == ATTENTION
    shown = capsys.readouterr().out
    assert "; 3 faktury odrzucone\n" in shown
    assert "  - 3 faktury z KSeF zostały odrzucone i nie ma ich w bazie (pierwsza, " in shown
    assert ("'windykacja ksef refused' je wymienia; usuń przyczyny, a potem uruchom "
            "'windykacja ksef sync --retry'") in shown

    assert sync_ksef(StandInClock(ksef), load_settings(), retry_refused=True,
                     sleep=ksef.advance).created == 3
    assert status(location) == OK


def test_the_watched_folders_files_waiting_and_refused(db, db_location, tmp_path, capsys,
                                                       monkeypatch):
    monkeypatch.setattr(watched_folders, "SECOND_LOOK_SECONDS", 0)
    monkeypatch.setitem(BEFORE_PASS_HOOKS, "arrivals", None)  # main() registers its own
    documents, payments = tmp_path / "faktury", tmp_path / "wplaty"
    documents.mkdir()
    save_settings({"folders.documents": str(documents), "folders.payments": str(payments)},
                  "test", dt.datetime(2026, 11, 23, 8, 0))
    (documents / "zle.csv").write_text(BROKEN, encoding="utf-8")
    assert main(["--db", db_location(), "folders", "scan"]) == 1
    (documents / "nowe.csv").write_text(BROKEN, encoding="utf-8")  # not scanned yet
    capsys.readouterr()

    assert status(db_location()) == ATTENTION
    shown = capsys.readouterr().out
    assert ("\nfolders:      documents (CSV): 1 file waiting, 1 refused\n"
            f"              payments (CSV): {payments} does not exist or cannot be read\n"
            ) in shown
    assert (f"  - 1 file refused in {documents / 'refused'} (documents (CSV)): the note "
            "beside it (<name>.txt) names its bad lines; fix it and put it back into the "
            "folder, or remove it\n") in shown
    assert (f"  - the watched folder {payments} (payments (CSV)) does not exist or cannot "
            "be read: create it, or correct folders.payments\n") in shown
    assert status(db_location(), "pl") == ATTENTION
    shown = capsys.readouterr().out
    assert ("\nfoldery:           dokumenty (CSV): 1 plik czeka, 1 odrzucony\n"
            f"                   wpłaty (CSV): {payments} nie istnieje albo nie można go "
            "odczytać\n") in shown
    assert f"  - 1 plik odrzucony w {documents / 'refused'} (dokumenty (CSV)): " in shown

    # Fixed and put back: its note stays in refused/ and no longer counts as a file.
    (documents / "refused" / "zle.csv").rename(documents / "zle.csv")
    payments.mkdir()
    assert (documents / "refused" / "zle.csv.txt").exists()
    assert status(db_location()) == OK
    assert ("\nfolders:      documents (CSV): 2 files waiting, 0 refused\n"
            "              payments (CSV): 0 files waiting, 0 refused\n"
            ) in capsys.readouterr().out


def test_no_sync_for_a_day_needs_a_person(db, db_location, capsys):
    # Connected two days ago, and no worker has synced since (none can read the token).
    connected_at = utc_now() - dt.timedelta(days=2)
    save_settings({"ksef.environment": "demo", "company.nip": SELLER_NIP}, "test",
                  connected_at)
    assert status(db_location()) == ATTENTION
    shown = capsys.readouterr().out
    assert (f"  - no KSeF sync has ended well since {local(connected_at)}: is the worker "
            "running, and can it read the KSeF token") in shown
    assert status(db_location(), "pl") == ATTENTION
    assert "żadna synchronizacja z KSeF nie zakończyła się powodzeniem od" in \
        capsys.readouterr().out


def test_a_sync_that_ended_well_lately_is_not_stale(location, ksef, capsys):
    ksef.add_invoices(1)
    assert sync(ksef).failure is None
    KsefSyncState.update(last_success_at=utc_now() - dt.timedelta(hours=23)).execute()
    assert status(location) == OK
    KsefSyncState.update(last_success_at=utc_now() - dt.timedelta(hours=25)).execute()
    assert status(location) == ATTENTION
    assert "no KSeF sync has ended well since" in capsys.readouterr().out
