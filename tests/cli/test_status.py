"""``windykacja status``: what it prints and its exit status in each state (0 all fine,
1 a person is needed, 2 cannot check), on a real database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from pass_runner import run_one_pass
from playhouse.migrations import Runner

from windykacja.app import main
from windykacja.dunning.lease import Lease
from windykacja.dunning.outbox import mark_sending
from windykacja.dunning.passes import plan_day, run_pass
from windykacja.importers.statements import import_statement
from windykacja.ledger.clock import FixedClock, SystemClock
from windykacja.ledger.rates import add_interest_rate, remove_interest_rate
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.lists.health import (
    ATTENTION,
    OK,
    PASS_STUCK_AFTER,
    UNKNOWN,
    _outbox_problems,
    check_health,
    missed_pass_days,
)
from windykacja.models import Message, MessageState, PassRun
from windykacja.models.db import MIGRATIONS_DIR, open_database

SAMPLE = Path(__file__).parent.parent / "importers" / "data" / "mt940_pl_sample.sta"
MONDAY = dt.date(2026, 11, 23)


def status(location: str, *args: str, today: dt.date = MONDAY) -> int:
    return main(["--db", location, "--today", today.isoformat(), "status", *args])


@pytest.fixture
def location(db_location, collection, clock):
    """The test's database with collection on (the ``collection`` fixture opened it), and
    the 2026 H2 commercial rate, which the shipped table lacks: without it every coming
    business demand is a problem of its own (``test_a_demand_lacking_a_rate_…``)."""
    add_interest_rate(clock, "business", "2026-07-01", "13.75", "M.P. test notice", "test")
    return db_location()


@pytest.fixture
def overdue(collection):
    """One contractor with an invoice due a month before Monday: a demand is due."""
    contractor = collection.contractor(email="klient@example.pl")
    return collection.document(contractor, MONDAY - dt.timedelta(days=30), number="FV/1")


def test_a_fresh_database_is_fine_and_says_collection_is_off(db_location, capsys):
    fresh = db_location("fresh.db")
    assert main(["--db", fresh, "settings", "show"]) == 0
    capsys.readouterr()
    assert status(fresh) == OK
    shown = capsys.readouterr().out
    assert "collection:   off" in shown
    assert "last pass:    none yet" in shown and "lease:        free" in shown
    assert "OK: nothing needs a person" in shown


def test_fine_after_a_pass(location, overdue, clock, tmp_path, capsys):
    run_one_pass(clock, tmp_path / "outbox")
    capsys.readouterr()
    assert status(location) == OK
    shown = capsys.readouterr().out
    assert shown.splitlines()[0] == "OK: nothing needs a person"  # what monitoring shows
    assert "collection:   on" in shown
    assert "last pass:    23.11.2026, 09:00:00–09:00:00: 1 message, 1 sent, 0 not sent" in shown
    assert "next pass:    24.11.2026 09:00" in shown
    assert "outbox:       planned 0 · sending 0 · to retry 0 · failed 0 · in doubt 0 · sent 1" \
        in shown
    assert "demands held: no" in shown and "NEEDS ATTENTION" not in shown


def test_a_message_in_doubt_needs_a_person(location, overdue, clock, tmp_path, capsys):
    # A sender marked the message "sending" and died; the next pass declares it in doubt.
    (planned,) = plan_day(clock, load_settings(), MONDAY)
    mark_sending(Message.get_by_id(planned.id))
    clock.advance(dt.timedelta(hours=2))
    run_one_pass(clock, tmp_path / "outbox")
    assert Message.get_by_id(planned.id).state == MessageState.IN_DOUBT
    capsys.readouterr()
    assert status(location) == ATTENTION
    shown = capsys.readouterr().out
    assert f"oldest in doubt: #{planned.id}, 0 min old, to klient@example.pl" in shown
    assert "1 message is in doubt" in shown and "in doubt 1" in shown


def test_a_message_settled_between_the_count_and_the_oldest_is_left_out(location, clock):
    # The messages in doubt are counted, then the oldest read: one marked sent in between
    # leaves a count without an oldest. The problem is left out (it is settled), no crash.
    health = replace(check_health(load_settings(), clock),
                     outbox={MessageState.IN_DOUBT: 1}, oldest_in_doubt=None)
    assert _outbox_problems(health) == []


def test_a_failed_message_needs_a_person(location, overdue, clock, smtp_server, capsys):
    save_settings({"smtp.url": f"smtp://127.0.0.1:{smtp_server.port}"}, "test", clock.now())
    smtp_server.refuse_recipient("klient@example.pl")
    run_one_pass(clock, None)
    (message,) = Message.select()
    assert message.state == MessageState.FAILED
    capsys.readouterr()
    assert status(location) == ATTENTION
    shown = capsys.readouterr().out
    assert f"failed:       1 (#{message.id})" in shown
    assert "1 message failed for good" in shown


def test_no_pass_for_allowed_days_needs_a_person(location, overdue, clock, tmp_path, capsys):
    run_one_pass(clock, tmp_path / "outbox", day=dt.date(2026, 11, 16))  # the Monday before
    capsys.readouterr()
    # Tuesday to Friday went without a pass; Monday's hour (09:00) has just come.
    assert status(location) == ATTENTION
    shown = capsys.readouterr().out
    assert shown.splitlines()[0] == "NEEDS ATTENTION: 1 problem, listed below"
    assert "  - no pass on 4 allowed days since 16.11.2026" in shown
    assert status(location, "--missed-days", "4") == OK


def test_today_counts_an_hour_after_the_set_time(collection, clock, tmp_path):
    run_one_pass(clock, tmp_path / "outbox", day=dt.date(2026, 11, 20))  # Friday
    settings = load_settings()
    at = dt.datetime.combine(MONDAY, dt.time(9, 59))
    assert missed_pass_days(settings, at, dt.date(2026, 11, 20)) == 0
    assert missed_pass_days(settings, at + dt.timedelta(minutes=1), dt.date(2026, 11, 20)) == 1
    # Before any pass only today can be missed; with collection off nothing is.
    assert missed_pass_days(settings, at + dt.timedelta(minutes=1), None) == 1
    save_settings({"module.enabled": "no"}, "test", clock.now())
    assert missed_pass_days(load_settings(), at + dt.timedelta(days=30), None) == 0


class Killed(BaseException):
    """The process dies in the middle of a send (SIGKILL, a power cut)."""


class DiesWhileSending:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send(self, raw, sender, recipients):
        raise Killed


def _hour_ago() -> FixedClock:
    """A clock an hour behind the wall clock: a lease it takes has lapsed long ago."""
    then = SystemClock().local_now() - dt.timedelta(hours=1)
    return FixedClock(then.date(), then.time().replace(microsecond=0))


def test_a_worker_that_died_mid_pass_needs_a_person(location, overdue, clock, capsys):
    dead = Lease(holder="serwer:4242:deadbeef", clock=_hour_ago())
    dead.acquire()
    with pytest.raises(Killed):
        run_pass(clock, load_settings(), MONDAY, DiesWhileSending(), dead)
    assert PassRun.get().finished_at is None
    capsys.readouterr()
    assert status(location) == ATTENTION
    shown = capsys.readouterr().out
    assert "lease:        serwer:4242:deadbeef, until" in shown and "(lapsed" in shown
    assert "last pass:    23.11.2026, started 09:00:00, not finished" in shown
    assert "1 message was being sent by a worker that stopped" in shown
    assert ("the pass for 23.11.2026 started at 23.11.2026 09:00 (Europe/Warsaw) and "
            "stopped unfinished") in shown


def test_a_pass_in_progress_is_fine_until_it_hangs(location, overdue, clock):
    live = Lease(holder="serwer:4242:alive")
    live.acquire()
    with pytest.raises(Killed):
        run_pass(clock, load_settings(), MONDAY, DiesWhileSending(), live)
    # The lease is alive: the pass is under way, its message being sent.
    assert check_health(load_settings(), clock).problems == ()
    clock.advance(PASS_STUCK_AFTER)
    (problem,) = check_health(load_settings(), clock).problems
    assert problem.code == "pass_stuck"
    assert "unfinished for 3 h 0 min" in problem.text


def test_demands_held_on_a_stale_statement_need_a_person(location, clock, tmp_path, capsys):
    clock.day = dt.date(2026, 3, 18)
    import_statement(SAMPLE, clock, load_settings())  # its newest day is 2026-03-16
    run_one_pass(clock, tmp_path / "outbox")
    capsys.readouterr()
    assert status(location, today=dt.date(2026, 3, 18)) == OK
    for day in (19, 20):
        run_one_pass(clock, tmp_path / "outbox", day=dt.date(2026, 3, day))
    capsys.readouterr()
    assert status(location, today=dt.date(2026, 3, 20)) == ATTENTION
    shown = capsys.readouterr().out
    assert "demands held: yes, the newest bank statement is of 16.03.2026" in shown
    assert "import a newer one" in shown


def test_a_database_older_than_the_program_needs_a_person(db_location, capsys):
    old = db_location("old.db", migrated=False)
    db = open_database(old, migrate=False)
    runner = Runner(db, directory=str(MIGRATIONS_DIR))
    first = runner.status()[0].name
    runner.up(target=first)
    db.close()
    assert status(old) == ATTENTION
    shown = capsys.readouterr().out
    assert "the database is older than this program" in shown
    assert "migrations to apply" in shown and first not in shown.split("schema:")[1]


def test_a_demand_lacking_a_rate_needs_a_person_and_names_the_command(
        location, overdue, capsys):
    # No 2026 H2 commercial rate: Monday's demand could state no interest amount.
    assert remove_interest_rate("business", "2026-07-01")
    assert status(location) == ATTENTION  # 1, as the command's help documents
    shown = capsys.readouterr().out
    assert shown.splitlines()[0].startswith("NEEDS ATTENTION")
    assert ("no commercial-transaction interest rate for 2026 H2: 1 demand from 23.11.2026 "
            "will claim the interest in words, without an amount; add the rate: 'windykacja "
            "rates add-interest business 2026-07-01 RATE --source \"M.P. 2026 poz. N\"'") \
        in shown
    # Adding the rate, with the command named, is what clears it.
    assert main(["--db", location, "rates", "add-interest", "business", "2026-07-01",
                 "13.75", "--source", "M.P. 2026 poz. 600"]) == 0
    capsys.readouterr()
    assert status(location) == OK
    assert "interest rate" not in capsys.readouterr().out


def test_a_demand_lacking_the_eur_rate_names_the_refresh(location, collection, clock,
                                                         capsys):
    save_settings({"demand.include_compensation": "yes"}, "test", clock.now())
    contractor = collection.contractor(email="klient@example.pl")
    # Due in October: the compensation needs September's EUR rate, which nobody stored.
    collection.document(contractor, dt.date(2026, 10, 20), number="FV/2")
    assert status(location) == ATTENTION
    shown = capsys.readouterr().out
    assert "no NBP EUR rate for 2026-09: 1 demand from 23.11.2026" in shown
    assert "'windykacja rates refresh --since 2026-09'" in shown


def test_quiet_prints_nothing(location, overdue, clock, tmp_path, capsys):
    run_one_pass(clock, tmp_path / "outbox", day=dt.date(2026, 11, 16))
    capsys.readouterr()
    assert status(location, "--quiet") == ATTENTION
    assert capsys.readouterr() == ("", "")


@pytest.mark.sqlite_only("a missing or broken SQLite file")
def test_a_missing_database_cannot_be_checked_and_is_not_created(tmp_path, capsys):
    missing = tmp_path / "nowhere" / "windykacja.db"
    assert status(str(missing)) == UNKNOWN
    assert not missing.parent.exists()
    assert f"CANNOT CHECK: no database at {missing}" in capsys.readouterr().err
    assert status(f"sqlite:///{missing}", "-q") == UNKNOWN

    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not an SQLite database, only text" * 100)
    assert status(str(broken)) == UNKNOWN
    assert "CANNOT CHECK: DatabaseError: file is not a database" in capsys.readouterr().err


def test_an_unreachable_server_cannot_be_checked_and_its_password_is_not_shown(capsys):
    url = "postgresql://windykacja:tajne-haslo@127.0.0.1:1/windykacja"
    assert status(url) == UNKNOWN
    err = capsys.readouterr().err
    assert err.startswith("CANNOT CHECK: OperationalError: ")
    assert "tajne-haslo" not in err


def test_help_documents_the_exit_status(capsys):
    with pytest.raises(SystemExit):
        main(["status", "--help"])
    shown = capsys.readouterr().out
    for line in ("0  all fine", "1  a person is needed", "2  cannot check"):
        assert line in shown
