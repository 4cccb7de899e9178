"""Moving house (``copy-db``, models/transfer.py): every row of every table from a full
database — the demo, a recovery case, a KSeF correction, a bank statement — into an
empty one, SQLite → SQLite and SQLite → PostgreSQL → SQLite, compared as full dumps;
the refusals; and a copy broken on purpose (triggers on the target) caught by the check.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from importers.test_ksef import correction
from importers.test_statements import OURS, SAMPLE, sample_ledger
from inbox_mail import bounce_of, mail
from ksef_standin import KsefStandIn
from playhouse.migrations import Runner
from recovery_setup import hand_over

from windykacja.app import main
from windykacja.cli.copy_db import TableProgress
from windykacja.demo import build_demo
from windykacja.dunning.lease import Lease
from windykacja.dunning.paper import post_letters, print_letters
from windykacja.dunning.passes import plan_day
from windykacja.dunning.render import default_source, save_override
from windykacja.importers.inbox import fetch_inbox
from windykacja.importers.ksef import import_ksef
from windykacja.importers.ksef_sync import sync_ksef
from windykacja.importers.statements import import_statement
from windykacja.importers.watched_folders import FolderWatcher
from windykacja.ledger.actions import create_contractor, create_document, record_payment
from windykacja.ledger.addresses import mark_failing
from windykacja.ledger.answers import make_promise, open_dispute
from windykacja.ledger.clock import FixedClock, utc_now_naive
from windykacja.ledger.ksef_access import TOKEN_ENV
from windykacja.ledger.rates import add_eur_rate, add_interest_rate
from windykacja.ledger.registry import record_report
from windykacja.ledger.settings import load_settings
from windykacja.models import Contractor, Document, Message, database
from windykacja.models.db import MIGRATIONS_DIR, make_database, open_database
from windykacja.models.transfer import TransferRefused, copy_database, sqlite_value, user_tables

TODAY = dt.date(2026, 11, 23)

pytestmark = pytest.mark.sqlite_only(
    "the source is an SQLite file built here; the PostgreSQL side comes from pg_url")


class _Ledger:
    """What ``recovery_setup.hand_over`` asks of the ``collection`` fixture."""

    def __init__(self, clock) -> None:
        self.clock = clock

    def contractor(self, name, nip):
        return create_contractor(self.clock, code="DL1", name=name, nip=nip,
                                 emails="dluznik@example.pl")

    def document(self, contractor, due, number, gross):
        return create_document(self.clock, load_settings(), contractor, number,
                               due - dt.timedelta(days=14), due, Decimal(gross))


def fill(clock: FixedClock, folder: Path) -> None:
    """Rows in every table, each made the way the program makes it."""
    build_demo(clock, contractors=20, documents=150)
    settings = OURS  # the samples' seller is the company (the demo's NIP is another)
    sample_ledger(clock, settings=settings)
    kor = folder / "kor.xml"
    kor.write_text(correction("KOR/2026/03/001", "FV/2026/02/017", "-20.00"), encoding="utf-8")
    import_ksef(kor, clock, settings)
    import_statement(SAMPLE, clock, settings)
    # A file from a watched folder (watched_file, migration 0013).
    watched = folder / "watched"
    watched.mkdir()
    (watched / "k.csv").write_text("code;name;email\nWF1;Z folderu;wf@example.pl\n",
                                   encoding="utf-8")
    FolderWatcher(lambda seconds: None).scan(
        clock, dataclasses.replace(settings, folders_contractors=str(watched)))
    # Invoices from the KSeF sync (ksef_sync_state, ksef_invoice, migration 0014).
    with KsefStandIn() as ksef:
        ksef.add_invoices(2)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(TOKEN_ENV, ksef.token)
            synced = sync_ksef(clock, dataclasses.replace(
                settings, ksef_environment=ksef.url,
                ksef_since=ksef.now().date() - dt.timedelta(days=2)))
        assert synced.created == 2
    _, _, handed = hand_over(_Ledger(clock))
    # Money through the agency: its commission entry (case_commission).
    record_payment(clock, load_settings(), handed[0], TODAY, Decimal("100.00"),
                   method="agency")
    save_override("reminder", "pl", "subject",
                  default_source("reminder", "pl", "subject") + " (pilne)", "anna",
                  utc_now_naive(clock))
    add_interest_rate(clock, "business", "2027-01-01", "12.25", "MP 2026 poz. 999",
                      author="anna")
    add_eur_rate(clock, "2026-10", "2026-10-30", "4.2512", "211/A/NBP/2026", "NBP", "anna")
    Lease(clock=clock).acquire()  # a lease row that lapsed long ago by the wall clock
    # An address a mail server refused for good (failing_address, migration 0010).
    debtor = Contractor.select().order_by(Contractor.id).first()
    mark_failing(debtor.id, debtor.email_list[0], "550 5.1.1 User unknown", TODAY, None)
    # What came back (migration 0015): a reply and a bounce of two demands read from a
    # Maildir (mailbox_state, inbox_message, inbox_document, undelivered_step), then a
    # promise to pay (promise, promise_document) and a dispute.
    demands = Message.select().where((Message.kind == "demand") & (Message.state == "sent")
                                     & ~Message.recipients.contains("\n"))
    replied = demands.order_by(Message.id).first()
    bounced = demands.order_by(Message.id.desc()).first()  # its documents' latest step
    box = folder / "Maildir"
    for part in ("new", "cur", "tmp"):
        (box / part).mkdir(parents=True)
    (box / "new" / "reply").write_bytes(mail(replied.recipients.splitlines()[0], "Re: wezwanie",
                                             "Zapłacimy.", in_reply_to=replied.message_id))
    (box / "new" / "bounce").write_bytes(bounce_of(bounced.message_id,
                                                   bounced.recipients.splitlines()[0]))
    [read] = fetch_inbox(clock, dataclasses.replace(settings, inbox_maildir=str(box)))
    assert [s.undelivered for s in read.stored] == [False, True]
    unpaid = list(Document.select().where(Document.outstanding > 0).order_by(Document.id)
                  .limit(2))
    make_promise(clock, settings, unpaid[:1], Decimal("10.00"), TODAY + dt.timedelta(days=7),
                 author="anna")
    open_dispute(clock, unpaid[1], "towar uszkodzony", author="anna")
    # A letter planned, printed and posted (migration 0016: letter_batch, letter).
    paper = dataclasses.replace(settings, letters_enabled=True, company_name="Nasza Firma",
                                company_nip="6762451230",
                                company_address="ul. Długa 5, 31-147 Kraków",
                                company_bank_account="PL61 1090 1014 0000 0712 1981 2874")
    nobody = create_contractor(clock, code="LIST1", name="Bez Maila sp. z o.o.", emails="",
                               address="ul. Polna 2, 00-001 Warszawa")
    create_document(clock, paper, nobody, "FV/LIST/1", TODAY - dt.timedelta(days=30),
                    TODAY - dt.timedelta(days=20), Decimal("500.00"))
    plan_day(clock, paper, TODAY)
    printed = print_letters(clock, paper, folder / "letters", "anna")
    letter = Message.get_by_id(printed.letters[0])
    post_letters(clock, [(letter, "RR123456785PL")], TODAY, "anna")
    # A report to a debtor registry (migration 0017: registry_report, registry_claim).
    listed = Document.get(Document.number == "FV/LIST/1")
    record_report(clock, nobody, letter, ("KRD BIG S.A.", "ul. Danuty Siedzikówny 12, "
                  "51-214 Wrocław"), [(listed, listed.outstanding)],
                  str(folder / "rejestr.csv"), "anna")


@pytest.fixture(scope="module")
def full_template(tmp_path_factory):
    """An SQLite file with rows in every table, built once for the module."""
    folder = tmp_path_factory.mktemp("full")
    path = folder / "full.db"
    db = open_database(str(path))
    fill(FixedClock(TODAY), folder)
    empty = [t for t in user_tables(db)  # the tables copy-db copies
             if not db.execute_sql(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
    assert empty == [], f"the source must hold rows in every table: {empty}"
    db.close()
    return path


@pytest.fixture
def source(full_template, tmp_path):
    path = tmp_path / "source.db"
    shutil.copy(full_template, path)
    return path


def dump(location: str) -> dict[str, list[tuple]]:
    """Every row of every table, columns by name, rows by key, values normalised."""
    db = make_database(location)
    db.connect()
    try:
        tables = {}
        for table in sorted(user_tables(db)):  # the search index's are not copied
            columns = sorted(c.name for c in db.get_columns(table))
            key = columns.index(db.get_primary_keys(table)[0])
            names = ", ".join(f'"{c}"' for c in columns)
            rows = db.execute_sql(f'SELECT {names} FROM "{table}"').fetchall()
            tables[table] = sorted((tuple(sqlite_value(v) for v in row) for row in rows),
                                   key=lambda row, k=key: row[k])
        return tables
    finally:
        db.close()


def copy(source: str, target: str, capsys) -> tuple[int, str, str]:
    code = main(["--db", source, "copy-db", "--to", target])
    database.close()
    out, err = capsys.readouterr()
    return code, out, err


def test_sqlite_to_sqlite_copies_every_row_and_says_so(source, tmp_path, capsys):
    before = dump(str(source))
    target = tmp_path / "target.db"
    code, out, err = copy(str(source), str(target), capsys)
    assert code == 0, err
    assert f"to {target} in" in out and "Rows, keys, sums and dates agree" in out
    assert f"Copying {source} to {target}:" in err and "  document: " in err
    assert dump(str(target)) == before
    assert dump(str(source)) == before  # the source is unchanged

    db = open_database(str(target))  # the copy works: new ids follow the copied ones
    newest = Contractor.select().order_by(Contractor.id.desc()).first().id
    added = create_contractor(FixedClock(TODAY), code="NEW", name="Nowy", emails="")
    assert added.id == newest + 1
    db.close()


def test_sqlite_to_postgresql_and_back_gives_the_same_rows(source, pg_url, tmp_path, capsys):
    before = dump(str(source))
    code, out, err = copy(str(source), pg_url, capsys)
    assert code == 0, err
    assert dump(pg_url) == before

    back = tmp_path / "back.db"
    code, out, err = copy(pg_url, str(back), capsys)
    assert code == 0, err
    assert dump(str(back)) == before

    db = open_database(pg_url)  # the sequences were moved past the copied ids
    newest = Contractor.select().order_by(Contractor.id.desc()).first().id
    added = create_contractor(FixedClock(TODAY), code="NEW", name="Nowy", emails="")
    assert added.id == newest + 1
    db.close()


def test_a_target_with_rows_is_refused_and_left_alone(source, tmp_path, capsys):
    target = tmp_path / "busy.db"
    open_database(str(target))
    create_contractor(FixedClock(TODAY), code="K1", name="Jedyny", emails="")
    database.close()
    before = dump(str(target))
    code, out, err = copy(str(source), str(target), capsys)
    assert code == 1
    assert "the target is not empty (rows in contractor): copy-db fills only an empty" in err
    assert "nothing was copied" in err and "Copying" not in err
    assert dump(str(target)) == before


def test_another_programs_empty_database_is_refused_untouched(source, tmp_path, capsys):
    target = tmp_path / "other.db"
    other = make_database(str(target))
    other.execute_sql("CREATE TABLE invoice (id INTEGER PRIMARY KEY, number TEXT)")
    other.close()
    code, _, err = copy(str(source), str(target), capsys)
    assert code == 1
    assert "the target has tables Windykacja does not make (invoice)" in err
    assert list(dump(str(target))) == ["invoice"]  # not a table of ours created in it


def test_a_migrated_empty_target_takes_the_source_history(source, tmp_path, capsys):
    target = tmp_path / "migrated.db"
    open_database(str(target)).close()  # e.g. opened once by mistake before moving house
    code, _, err = copy(str(source), str(target), capsys)
    assert code == 0, err
    assert dump(str(target))["schema_migration"] == dump(str(source))["schema_migration"]


def test_a_source_ahead_or_behind_this_program_is_refused(source, tmp_path, capsys):
    db = open_database(str(source))
    db.execute_sql("INSERT INTO schema_migration (name, applied) VALUES "
                   "('0999_from_the_future', '2030-01-01 00:00:00')")
    db.close()
    code, _, err = copy(str(source), str(tmp_path / "t.db"), capsys)
    assert code == 1
    assert "the source is newer than this program: it has migration 0999_from_the_future" in err

    old = make_database(str(tmp_path / "old.db"))
    old.connect()
    Runner(old, directory=str(MIGRATIONS_DIR)).up("0001_initial")
    target = make_database(str(tmp_path / "t2.db"))
    with pytest.raises(TransferRefused, match="the source is behind this program: migration "
                                              "0002_unpaid_list, 0003_unpaid_search"):
        copy_database(old, target)
    assert target.get_tables() == []  # refused before the target was touched
    old.close()
    target.close()


def test_a_copy_that_loses_a_row_or_changes_an_amount_is_reported(source, tmp_path, capsys):
    """Triggers on the target play a broken copy: one drops an event as it arrives, the
    other adds a grosz to a payment. The check finds both; the target stays for a look."""
    target = tmp_path / "broken.db"
    db = open_database(str(target))
    db.execute_sql("CREATE TRIGGER lose_an_event AFTER INSERT ON collection_event "
                   "WHEN NEW.id = 5 BEGIN DELETE FROM collection_event WHERE id = NEW.id; END")
    db.execute_sql("CREATE TRIGGER add_a_grosz AFTER INSERT ON payment WHEN NEW.id = 3 "
                   "BEGIN UPDATE payment SET amount = amount + 1 WHERE id = NEW.id; END")
    db.close()
    code, out, err = copy(str(source), str(target), capsys)
    assert code == 1 and out == ""
    events = dump(str(source))["collection_event"]
    assert f"  collection_event: rows: {len(events)} in the source, {len(events) - 1} in " \
        "the target" in err
    assert "  payment: sum of amount: " in err
    assert f"The target {target} is left as it is for inspection" in err
    assert len(dump(str(target))["collection_event"]) == len(events) - 1


def test_a_copy_that_fails_midway_leaves_the_target_empty(source, tmp_path, capsys):
    target = tmp_path / "refusing.db"
    db = open_database(str(target))
    db.execute_sql("CREATE TRIGGER refuse AFTER INSERT ON payment WHEN NEW.id = 7 "
                   "BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    db.close()
    code, out, err = copy(str(source), str(target), capsys)
    assert code == 1
    assert "the copy failed and nothing was kept: disk says no" in err
    assert all(rows == [] for table, rows in dump(str(target)).items()
               if table != "schema_migration")


def test_copying_while_a_worker_sends_or_onto_itself_is_refused(source, tmp_path, capsys):
    open_database(str(source))
    Lease(holder="other-host:42:feedbeef").acquire()  # live by the wall clock
    database.close()
    code, _, err = copy(str(source), str(tmp_path / "t.db"), capsys)
    assert code == 1
    assert "a worker (other-host:42:feedbeef) is sending for this database" in err
    assert "stop it before you copy the database" in err

    code, _, err = copy(str(source), f"sqlite:///{source}", capsys)
    assert code == 1 and "the target is the source database itself" in err


def test_a_target_that_cannot_be_opened_is_named_without_its_password(source, capsys):
    code, _, err = copy(str(source), "postgresql://jan:tajne-haslo@127.0.0.1:1/firma", capsys)
    assert code == 1
    assert "cannot open the target postgresql://jan:***@127.0.0.1:1/firma: " in err
    assert "tajne-haslo" not in err


def test_on_a_terminal_the_progress_counts_up_in_place():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    progress = TableProgress("Copying a to b:", screen)
    for copied in (0, 5_000, 10_000):
        progress("document", copied, 10_000)
    progress("agreement", 0, 0)
    lines = screen.getvalue()
    assert lines.startswith("Copying a to b:\n\r  document: 0 / 10,000 rows\x1b[K"
                            "\r  document: 5,000 / 10,000 rows\x1b[K\r  document: 10,000 rows in ")
    assert lines.endswith(" s\x1b[K\n\r  agreement: 0 rows in 0.0 s\x1b[K\n")
