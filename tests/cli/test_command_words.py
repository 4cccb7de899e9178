"""Every command's output in the reader's language (issue 12, point 3): with ``--lang pl``
no English word, no internal code, no untranslated string; times local, the zone named;
the end-of-collection report in words in both languages.

On a real demo database, through ``main([...])`` as a user types the commands.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from database_switch import ON_POSTGRES
from reader_rules import each_line, problems

from windykacja import i18n
from windykacja.app import main
from windykacja.importers.contractors import SPEC as contractors_spec
from windykacja.importers.documents import SPEC as documents_spec
from windykacja.importers.payments import SPEC as payments_spec
from windykacja.ledger.actions import add_note
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.settings import load_settings
from windykacja.models import (
    CollectionEvent,
    Contractor,
    Document,
    EventKind,
    Message,
    MessageKind,
    RecoveryCase,
)
from windykacja.models.db import open_database
from windykacja.recovery import cases
from windykacja.recovery.agencies import default_agency
from windykacja.recovery.commission import commission
from windykacja.recovery.status_import import SPEC as status_spec

START = dt.date(2026, 11, 23)  # a Monday
WARSAW = "Europe/Warsaw"


@pytest.fixture(autouse=True)
def english_afterwards():
    """``main`` sets the language for the process: the tests after these get English."""
    i18n._missing.clear()
    yield
    i18n.set_language("en")


class Shell:
    """Runs commands as a user would and keeps what each printed."""

    def __init__(self, location, capsys, language: str = "pl") -> None:
        self.location, self.capsys, self.language = str(location), capsys, language
        self.outputs: list[tuple[str, str]] = []

    def __call__(self, *args: str, today: dt.date = START, check: bool = True,
                 expect: int | None = 0) -> str:
        code = main(["--db", self.location, "--lang", self.language,
                     "--today", today.isoformat(), *args])
        out = self.capsys.readouterr()
        text = out.out + out.err
        if expect is not None:
            assert code == expect, f"{args}: exit {code}\n{text}"
        if check:
            self.outputs.append((" ".join(args), text))
        return text

    def breaches(self) -> list[str]:
        return [f"{command}: {p}" for command, text in self.outputs
                for p in each_line(_without_file_words(command, text), self.language)]


# The column names of the import files (``document_number``) are the files' own words, as
# the README documents them: an error naming the column quotes the user's header.
FILE_COLUMNS = {column for spec in (contractors_spec, documents_spec, payments_spec,
                                    status_spec) for column in spec.columns}


def _without_file_words(command: str, text: str) -> str:
    """``text`` without the words that are not ours to translate: a command named in
    advice (``windykacja rates add-interest``, typed as it is in any language) and the CSV
    columns named by an import's errors. (The shipped rates' provenance notes that
    ``rates list`` prints are checked: each has its Polish wording, ``source_pl``.)"""
    text = re.sub(r"windykacja(?: [a-z][a-z-]*)+", "windykacja", text)
    text = re.sub(r"\b(" + "|".join(sorted(FILE_COLUMNS)) + r")\b:", ":", text)
    return text


def _hand_over(clock: FixedClock) -> RecoveryCase:
    """A case for an overdue demo document, as the recovery screen makes one."""
    agency = default_agency()
    if cases.current_agreement(agency.code) is None:
        cases.conclude_agreement(clock, agency.code, agency.terms_version,
                                 person_name="Anna Nowicka", person_email="anna@firma.pl")
    order = cases.open_order(clock, agency.code, author="anna")
    document = (Document.select().where(Document.outstanding > 0,
                                        Document.legal_due_date < START - dt.timedelta(days=30),
                                        Document.recovery_case.is_null(),
                                        Document.collection_ended_on.is_null(),
                                        Document.currency == "PLN")
                .order_by(Document.legal_due_date).first())
    contractor = document.contractor
    debtor = cases.Debtor(contractor.name, contractor.nip or "5260250274",
                          contractor.address or "ul. Długa 1, 00-001 Warszawa",
                          "dluznik@example.pl", "+48 600 100 200")
    amount = cases.case_amount([document])
    oldest = cases.days_overdue(document, START)
    return cases.add_case(clock, load_settings(), order, contractor, debtor, [document],
                          commission(agency.commission, amount, oldest), author="anna")


def test_every_command_speaks_polish_without_codes(db_location, tmp_path, capsys):
    location = db_location("demo.db", migrated=False)
    run = Shell(location, capsys)
    run("demo", "--contractors", "40", "--documents", "400")
    for offset in range(3):  # Monday to Wednesday: reminders, demands, finished collections
        run("run-once", today=START + dt.timedelta(days=offset))

    open_database(str(location))
    clock = FixedClock(START, timezone=__import__("zoneinfo").ZoneInfo(WARSAW))
    unpaid = (Document.select().where(Document.outstanding > 0, Document.currency == "PLN",
                                      Document.demands_sent > 0)
              .order_by(Document.id))
    paid_one, flagged_one = unpaid[0], unpaid[1]
    add_note(clock, paid_one, "Klient obiecał zapłacić do piątku.", author="anna")
    case = _hand_over(clock)
    in_case = Document.get(Document.recovery_case == case.id)

    payments = tmp_path / "wplaty.csv"
    payments.write_text(f"document_number,date,amount,method\n"
                        f"{paid_one.number},2026-11-23,10.00,transfer\n", encoding="utf-8")
    run("import", "payments", str(payments))
    bad = tmp_path / "zle.csv"
    bad.write_text("document_number,date,amount\nFV/NIE/MA,2026-13-01,-5\n", encoding="utf-8")
    run("import", "payments", str(bad), expect=1)
    documents = tmp_path / "zle-dokumenty.csv"
    documents.write_text("number,contractor_code,issue_date,due_date,gross\n"
                         "FV/X,NIEMA,2026-11-10,2026-11-01,abc\n", encoding="utf-8")
    run("import", "documents", str(documents), expect=1)
    contractors = tmp_path / "zli-kontrahenci.csv"
    contractors.write_text("code,name\nK1\n", encoding="utf-8")
    run("import", "contractors", str(contractors), expect=1)
    invoice = tmp_path / "faktura.xml"
    invoice.write_text("<Faktura>nie e-faktura</Faktura>\n", encoding="utf-8")
    run("import", "ksef", str(invoice), expect=1)
    statement = tmp_path / "wyciag.sta"
    statement.write_bytes(b":20:X\r\n:25:/PL1\r\n:28C:1\r\n:60F:C260316PLN0,00\r\n"
                          b":62F:C260316PLN5,00\r\n-\r\n")
    run("import", "statement", str(statement), expect=1)
    run("flag", "off", flagged_one.number)
    run("flag", "on", flagged_one.number)
    run("flag", "on", "--all-unpaid")
    statuses = tmp_path / "statusy.csv"
    statuses.write_text(f"case,status,note\n{case.id},częściowo odzyskano,wpłata 1/3\n",
                        encoding="utf-8")
    run("recovery", "import-status", str(statuses))
    run("recovery", "list")
    run("recovery", "show", str(case.id))
    run("run-once", today=START + dt.timedelta(days=3))
    for document in (paid_one, flagged_one, in_case):
        run("history", document.number)
    finished = CollectionEvent.get(CollectionEvent.kind == EventKind.COLLECTION_FINISHED)
    run("history", Document.get_by_id(finished.document_id).number)
    run("history", "FV/NIE/MA", expect=1)
    run("forecast", "--days", "7")
    run("outbox")
    sent = Message.select().order_by(Message.id).first()
    run("outbox", "resend", str(sent.id), expect=1)
    run("status", expect=None)
    run("export", "activity", str(tmp_path / "zdarzenia.csv"))
    run("report", "aging")
    run("report", "aging", "--csv", str(tmp_path / "wiekowanie.csv"))
    run("report", "aging", "--currency", "EURO", expect=1)
    run("rates", "list")
    run("recovery", "withdraw", str(case.id))
    if ON_POSTGRES:  # backup copies SQLite files; on PostgreSQL it says so, in Polish
        run("backup", str(tmp_path / "kopia.db"), expect=1)
    else:
        run("backup", str(tmp_path / "kopia.db"))
        run("backup", str(tmp_path / "kopia.db"), expect=1)
    # `settings show` prints KEY=VALUE lines, the words `settings set` takes: only
    # its untranslated strings count, not its keys.
    run("settings", "show", check=False)
    run("settings", "set", "demand.max_count", expect=1)
    run("settings", "set", "timezone=Mars/Base", "schedule.time=25", "demand.max_count=x",
        expect=1)

    wrong = [f"untranslated: {text}" for text in i18n.missing()] + run.breaches()
    assert wrong == [], "\n".join(wrong)
    history = dict(run.outputs)[f"history {paid_one.number}"]
    assert "notatka" in history and "przelew" in history and "system" in history
    assert "czasy w strefie Europe/Warsaw" in history


def test_english_output_is_english_with_right_plurals(db_location, capsys):
    location = db_location("demo.db", migrated=False)
    run = Shell(location, capsys, language="en")
    run("demo", "--contractors", "20", "--documents", "150")
    out = run("run-once")
    assert re.search(r"\d+ messages? — \d+ sent", out)
    number = Document.select().order_by(Document.id).first().number
    assert "1 of 1 document switched off." in run("flag", "off", number)
    assert run.breaches() == []


def test_a_history_time_is_local_with_its_zone_named(db_location, capsys):
    location = db_location()
    open_database(location)
    contractor = Contractor.create(code="K1", name="Firma", email="a@b.pl",
                                   created_at=dt.datetime(2026, 1, 1))
    document = Document.create(
        number="FV/1", contractor=contractor, issue_date=dt.date(2026, 1, 2),
        due_date=dt.date(2026, 1, 9), legal_due_date=dt.date(2026, 1, 9),
        gross=Decimal("100.00"), outstanding=Decimal("100.00"),
        created_at=dt.datetime(2026, 1, 2), contractor_key="firma")
    # 23:30 UTC on 14 January is 00:30 on the 15th in Warsaw (UTC+1 in winter).
    CollectionEvent.create(document=document, kind=EventKind.NOTE,
                           at=dt.datetime(2026, 1, 14, 23, 30), day=dt.date(2026, 1, 15),
                           author="anna", text="telefon")
    for language, zone_words in (("pl", "strefie Europe/Warsaw"), ("en", "in Europe/Warsaw")):
        assert main(["--db", location, "--lang", language, "history", "FV/1"]) == 0
        out = capsys.readouterr().out
        assert "15.01.2026 00:30" in out and "23:30" not in out
        assert zone_words in out


def test_the_report_has_no_code_in_either_language(db_location, tmp_path, capsys):
    """End-of-collection reports for every kind of end — all demands sent, a hand-over to
    the agency (with the agency's status after it), excluded by hand (with a payment and
    a note before) — in Polish, then in English: words only, no code."""
    location = db_location("demo.db", migrated=False)
    run = Shell(location, capsys)
    run("demo", "--contractors", "40", "--documents", "400")
    for offset in range(3):
        run("run-once", today=START + dt.timedelta(days=offset))
    open_database(str(location))
    clock = FixedClock(START, timezone=__import__("zoneinfo").ZoneInfo(WARSAW))
    case = _hand_over(clock)
    cases.set_status(clock, case, "partly_recovered", source="gateway")
    run("run-once", today=START + dt.timedelta(days=3))

    run("settings", "set", "report.language=en")
    document = (Document.select().where(Document.outstanding > 0, Document.currency == "PLN",
                                        Document.demands_sent > 0,
                                        Document.collection_ended_on.is_null())
                .order_by(Document.id).first())
    add_note(clock, document, "Called, no answer.", author="anna")
    payments = tmp_path / "payments.csv"
    payments.write_text(f"document_number,date,amount,method\n"
                        f"{document.number},2026-11-24,10.00,cash\n", encoding="utf-8")
    run("import", "payments", str(payments))
    run("flag", "off", document.number)
    run("run-once", today=START + dt.timedelta(days=4))

    reports = list(Message.select().where(Message.kind == MessageKind.REPORT))
    texts = {(m.language, _plain_part(m.raw)) for m in reports}
    languages = {language for language, _ in texts}
    assert languages == {"pl", "en"}
    for language, text in texts:
        assert problems(text, language) == [], text
    polish = "\n".join(text for language, text in texts if language == "pl")
    english = "\n".join(text for language, text in texts if language == "en")
    assert "wezwanie 1 | system" in polish  # was "demand 1 | system"
    assert "odzyskano część" in polish, polish  # the agency status, was "partly_recovered"
    # Amounts in each language's notation: 1 234,56 PLN in Polish, 1,234.56 PLN in English.
    assert re.search(r"\d\.\d\d PLN", english) and not re.search(r"\d,\d\d PLN", english)
    assert re.search(r"\d,\d\d PLN", polish) and not re.search(r"\d\.\d\d PLN", polish)
    assert "cash" in english and "excluded from collection" in english


def _plain_part(raw: str) -> str:
    """The text/plain part of a stored message, decoded."""
    import email
    from email import policy

    message = email.message_from_string(raw, policy=policy.default)
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def test_the_hand_over_e_mail_counts_days_and_writes_dates_as_polish_does():
    """The agency's e-mail is Polish: 1 dzień (not '1 dni'), 5 dni, dates as 23.11.2026."""
    from windykacja.recovery.gateways import handover_text

    package = {
        "case": 7, "order": 3, "total_pln": "1234.56", "oldest_days_overdue": 1,
        "debtor": {"name": "Dłużnik sp. z o.o.", "nip": "5260250274", "business": True,
                   "address": "ul. Długa 1, 00-001 Warszawa", "email": "", "phone": ""},
        "documents": [
            {"number": "FV/1", "issue_date": "2026-11-01", "due_date": "2026-11-22",
             "outstanding": "1000.00", "currency": "PLN", "days_overdue": 1},
            {"number": "FV/2", "issue_date": "2026-10-01", "due_date": "2026-10-15",
             "outstanding": "234.56", "currency": "PLN", "days_overdue": 5},
        ],
    }
    i18n.set_language("en")  # the agency's e-mail is Polish whatever the interface speaks
    subject, text = handover_text(package, "Nasza Firma")
    assert "(najstarsza należność 1 dzień po terminie)" in text
    assert "FV/1 z 01.11.2026, termin 22.11.2026" in text and "(1 dzień po terminie)" in text
    assert "(5 dni po terminie)" in text and "1 dni" not in text and "2026-11" not in text
    assert problems(text, "pl") == []


KSEF_DATA = __import__("pathlib").Path(__file__).parent.parent / "importers" / "data"


def _polish_breaches(run: Shell) -> list[str]:
    """Untranslated strings and the reader rules' breaches of what ``run`` printed."""
    return [f"untranslated: {text}" for text in i18n.missing()] + run.breaches()


def test_ksef_problems_inside_an_invoice_speak_polish(db_location, tmp_path, capsys):
    """What ``import ksef`` says about an e-invoice's contents — bad values, a conflict
    with a stored document, a correction of an unknown invoice, instalments — in Polish:
    was 'is not a date', 'conflict: … due date … in the database', 'the document is due
    on the last'."""
    sample = (KSEF_DATA / "ksef_fa3_sample.xml").read_text(encoding="utf-8")

    def write(name: str, *replacements: tuple[str, str]) -> str:
        text = sample
        for old, new in replacements:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        (tmp_path / name).write_text(text, encoding="utf-8")
        return str(tmp_path / name)

    run = Shell(db_location(), capsys)
    term = ("<TerminPlatnosci>\n\t\t\t\t<Termin>2026-02-26</Termin>\n"
            "\t\t\t</TerminPlatnosci>")
    run("import", "ksef", write(
        "raty.xml", (term, "<TerminPlatnosci><Termin>2026-03-31</Termin></TerminPlatnosci>"
                           "<TerminPlatnosci><Termin>2026-02-26</Termin></TerminPlatnosci>")))
    run("import", "ksef", write(
        "zle-wartosci.xml", ("<P_1>2026-02-12</P_1>", "<P_1>12.02.2026</P_1>"),
        ("<KodWaluty>PLN</KodWaluty>", "<KodWaluty>zł</KodWaluty>"),
        ("<P_15>4920.00</P_15>", "<P_15>4 920,00 zł</P_15>"),
        ("<RodzajFaktury>VAT</RodzajFaktury>", "<RodzajFaktury>XYZ</RodzajFaktury>")),
        expect=1)
    run("import", "ksef", write(
        "konflikt.xml", (term, "<TerminPlatnosci><Termin>2026-03-12</Termin>"
                               "</TerminPlatnosci>"),
        ("<P_15>4920.00</P_15>", "<P_15>5000.00</P_15>")), expect=1)
    run("import", "ksef", write(
        "bez-terminu.xml", ("<P_2>FV/2026/02/017</P_2>", "<P_2>FV/2026/02/018</P_2>"),
        (term, "<TerminPlatnosci><TerminOpis><Ilosc>14</Ilosc></TerminOpis>"
               "</TerminPlatnosci>")), expect=1)
    run("import", "ksef", write(
        "korekta.xml", ("<P_2>FV/2026/02/017</P_2>", "<P_2>KOR/1</P_2>"),
        ("<P_15>4920.00</P_15>", "<P_15>-100.00</P_15>"),
        ("<RodzajFaktury>VAT</RodzajFaktury>",
         "<RodzajFaktury>KOR</RodzajFaktury><DaneFaKorygowanej>"
         "<DataWystFaKorygowanej>2026-02-12</DataWystFaKorygowanej>"
         "<NrFaKorygowanej>FV/NIE/MA</NrFaKorygowanej><NrKSeFN>1</NrKSeFN>"
         "</DaneFaKorygowanej>")), expect=1)

    assert _polish_breaches(run) == [], "\n".join(_polish_breaches(run))
    said = "\n".join(text for _, text in run.outputs)
    assert "2 raty (31.03.2026, 26.02.2026): dokument jest płatny w ostatnim terminie" in said
    assert "'12.02.2026' nie jest datą" in said and "'XYZ' nie jest rodzajem faktury" in said
    assert ("konflikt: FV/2026/02/017 jest już w bazie z innymi danymi (termin płatności: "
            "w bazie 31.03.2026, w pliku 12.03.2026" in said)
    assert "termin płatności nie ma daty" in said
    assert "korygowanej faktury FV/NIE/MA nie ma w bazie" in said
    # The buyer's e-mail refused by the e-mail library, its reason in words too (was
    # 'The part after the @-sign is a special-use or reserved name …').
    assert ("jest błędny: część po znaku @ to nazwa zastrzeżona, której nie można używać w "
            "adresach e-mail; pominięto" in said)


def test_rate_refusals_speak_polish(db_location, capsys):
    """'rates add-eur' refusals and a stored rate that contradicts the shipped table, in
    Polish (were 'is not a table-A number like …', 'the stored business interest rate …
    conflicts with this release')."""
    location = db_location()
    run = Shell(location, capsys)
    eur = ("rates", "add-eur")
    run(*eur, "2026-13", "2026-03-31", "4.2", "--table", "064/A/NBP/2026", "--source", "x",
        expect=1)
    run(*eur, "2026-03", "2026-04-30", "4.2", "--table", "064/A/NBP/2026", "--source", "x",
        expect=1)
    run(*eur, "2026-03", "2026-03-31", "cztery", "--table", "064/A/NBP/2026", "--source",
        "x", expect=1)
    run(*eur, "2026-03", "2026-03-31", "4.21234", "--table", "064/A/NBP/2026", "--source",
        "x", expect=1)
    run(*eur, "2026-03", "2026-03-31", "4.2", "--table", "64/A", "--source", "x", expect=1)
    run(*eur, "2026-03", "2026-03-31", "4.2", "--table", "064/A/NBP/2025", "--source", "x",
        expect=1)
    run(*eur, "2026-03", "2026-03-3x", "4.2", "--table", "064/A/NBP/2026", "--source", "x",
        expect=1)
    run(*eur, "2026-03", "2026-03-31", "0", "--table", "064/A/NBP/2026", "--source", "x",
        expect=1)
    run(*eur, "2026-03", "2026-03-31", "4.2", "--table", "064/A/NBP/2026", "--source", " ",
        expect=1)
    run(*eur, "2026-03", "2026-03-31", "4.2", "--table", "064/A/NBP/2026", "--source", "x")
    run(*eur, "2026-03", "2026-03-31", "4.3", "--table", "064/A/NBP/2026", "--source", "x",
        expect=1)
    open_database(location)
    from windykacja.models import InterestRate
    InterestRate.create(kind="business", valid_from=dt.date(2026, 1, 1), rate="13.50",
                        source="M.P. 2026 poz. 1", author="anna",
                        created_at=dt.datetime(2026, 1, 2))
    run("rates", "list", "--interest", "business", expect=1)
    # Asking NBP: a server error, an answer that is not JSON, a rate in a table of the
    # wrong year (the test NBP API), and nobody listening.
    from nbp_api import NbpApi
    with NbpApi() as nbp:
        nbp.answers["2026-08"] = "500"
        run("rates", "refresh", "--since", "2026-08", "--url", nbp.url, expect=1)
        nbp.answers["2026-08"] = "garbage"
        run("rates", "refresh", "--since", "2026-08", "--url", nbp.url, expect=1)
        nbp.answers.clear()
        nbp.months["2026-08"] = [("150/A/NBP/2025", "2026-08-31", "4.2500")]
        run("rates", "refresh", "--since", "2026-08", "--url", nbp.url, expect=1)
    run("rates", "refresh", "--since", "2026-08", "--url", "http://127.0.0.1:9/api",
        "--timeout", "1", expect=1)

    assert _polish_breaches(run) == [], "\n".join(_polish_breaches(run))
    said = "\n".join(text for _, text in run.outputs)
    assert "'64/A' nie jest numerem tabeli A" in said
    assert "tabela z 30.04.2026 nie jest z miesiąca 2026-03" in said
    assert "dodana stopa (firma) 13,50% od 01.01.2026" in said
    assert "'windykacja rates remove-interest business 2026-01-01'" in said
    assert "NBP odpowiedział HTTP 500" in said and "odpowiedź nie jest w formacie JSON" in said
    assert "tabela 150/A/NBP/2025 jest z roku 2025, a ma datę 31.08.2026" in said
    assert "nie można się połączyć (połączenie odrzucone)" in said  # not '[Errno 111] …'


def test_copy_db_refusals_and_its_report_speak_polish(db_location, tmp_path, capsys):
    """copy-db's refusals (a target not empty, a target with another program's tables)
    and the measures its comparison names, in Polish (were 'the target is not empty (rows
    in …)', 'distinct id'). The names of tables and columns are the database's own and
    stay as they are."""
    from peewee import SqliteDatabase

    from windykacja.cli.copy_db import _MEASURES, _in_words
    from windykacja.models.transfer import describe, measures_sql

    location = db_location("demo.db", migrated=False)
    run = Shell(location, capsys)
    run("demo", "--contractors", "5", "--documents", "20", check=False)
    target = tmp_path / "kopia.db"
    run("copy-db", "--to", str(target))
    run("copy-db", "--to", str(target), expect=1)
    foreign = tmp_path / "obca.db"
    other = SqliteDatabase(str(foreign))
    other.execute_sql("CREATE TABLE obca (id INTEGER PRIMARY KEY)")
    other.close()
    run("copy-db", "--to", str(foreign), expect=1)
    broken = tmp_path / "zepsuta.db"  # a target whose trigger changes a copied amount
    open_database(str(broken))
    from windykacja.models import database as ours
    ours.execute_sql("CREATE TRIGGER grosz AFTER INSERT ON document WHEN NEW.id = 1 "
                     "BEGIN UPDATE document SET gross = gross + 1 WHERE id = NEW.id; END")
    ours.close()
    out = run("copy-db", "--to", str(broken), expect=1)
    assert "suma gross:" in out, out

    copied = SqliteDatabase(str(target))
    tables = describe(copied)
    names = set(tables) | {column.name for table in tables.values()
                           for column in table.columns}
    words = re.compile(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b")
    run.outputs = [(command, words.sub("", text)) for command, text in run.outputs]
    assert _polish_breaches(run) == [], "\n".join(_polish_breaches(run))
    said = "\n".join(text for _, text in run.outputs)
    assert "baza docelowa nie jest pusta" in said
    assert "baza docelowa ma tabele, których Windykacja nie tworzy (obca)" in said
    # Every measure the comparison can report has its words.
    untouched = sorted({label for table in tables.values()
                        for label in measures_sql(copied, table)[0]
                        if _in_words(label, _MEASURES) == label})
    copied.close()
    assert untouched == []
    assert _in_words("distinct id", _MEASURES) == "różne wartości id"


def test_statement_and_settings_file_errors_speak_polish(db_location, tmp_path, capsys):
    """'import statement' refusing bad fields, a wrong profile's :86: style, empty fields,
    and 'settings import|export' with a missing, non-UTF-8, bad or unwritable file, in
    Polish (were "'269916' is not a date (YYMMDD)", 'the :86: details are split into ~
    subfields', and tracebacks for a missing or non-UTF-8 settings file)."""
    run = Shell(db_location(), capsys)

    def statement(name: str, *lines: str) -> str:
        (tmp_path / name).write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))
        return str(tmp_path / name)

    head = (":20:X", ":25:/PL1", ":28C:1")
    run("import", "statement", statement(
        "daty.sta", *head, ":60F:C269916PLN0,00", ":61:26031603X16CN5,00NTRFNONREF",
        ":62F:C260316PLN5,00", "-"), expect=1)
    run("import", "statement", "--profile", "mbank", statement(
        "profil.sta", *head, ":60F:C260316PLN0,00", ":61:2603160316CN5,00NTRFNONREF",
        ":86:020~00XX~20Tytul~32Nadawca", ":62F:C260316PLN5,00", "-"), expect=1)
    run("import", "statement", statement(
        "puste.sta", ":20:", ":25:/PL1", ":28C:1", ":60F:C260316PLN0,00", ":61:2603160316C",
        ":62F:C260316PLN5,00", "-"), expect=1)
    run("import", "statement", statement(
        "saldo.sta", *head, ":60F:C2603PLN", ":62F:C260316PLN0,00", "-"), expect=1)

    run("settings", "import", str(tmp_path / "nie-ma.txt"), expect=1)
    (tmp_path / "utf16.txt").write_bytes("demand.max_count=3\n".encode("utf-16"))
    run("settings", "import", str(tmp_path / "utf16.txt"), expect=1)
    (tmp_path / "ustawienia.txt").write_text("# moje\n\ndemand.max_count=3\nbez znaku\n",
                                             encoding="utf-8")
    out = run("settings", "import", str(tmp_path / "ustawienia.txt"), expect=1)
    assert "wiersz 4:" in out  # the file's own line, comments and blank lines counted
    run("settings", "export", str(tmp_path), expect=1)

    assert _polish_breaches(run) == [], "\n".join(_polish_breaches(run))
    said = "\n".join(text for _, text in run.outputs)
    assert "'269916' nie jest datą (RRMMDD)" in said
    assert "szczegóły :86: to podpola oddzielone znakiem ~" in said
    assert "numer referencyjny wyciągu jest pusty" in said
    assert "nie ma takiego pliku" in said and "to nie jest tekst w UTF-8" in said
    assert "nie można zapisać pliku: to jest folder" in said
