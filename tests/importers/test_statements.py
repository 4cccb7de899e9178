"""Importing MT940 statements (importers/statements.py): the sample's credits become
payments, every encoding gives the same, refused files store nothing, and the same
credits never come in twice (a property test)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importers.mt940_files import Transfer, mt940
from recovery_setup import hand_over

from windykacja.banking.credits import confirm_line, find_open_document, line_detail
from windykacja.banking.matching import Reason
from windykacja.dunning.facts import newest_statement_date
from windykacja.importers.csv_common import ImportRejected
from windykacja.importers.statements import import_statement
from windykacja.ledger.actions import create_contractor, create_document
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.settings import CollectionSettings
from windykacja.models import (
    ALL_MODELS,
    BankStatement,
    CollectionEvent,
    ContractorAccount,
    Document,
    EventKind,
    LineStatus,
    Payment,
    StatementLine,
    StatementPayment,
    database,
)
from windykacja.models.db import open_database

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "mt940_pl_sample.sta"
DIALECTS = {"": "pko", "_utf8": "utf8", "_cp852": "cp852", "_nordea": "nordea",
            "_mbank": "mbank"}
OURS = CollectionSettings(module_enabled=True, company_nip="5220715471")
DAY = dt.date(2026, 3, 16)
HURTOWNIA_ACCOUNT = "PL74114020172162574785050316"

# The documents the sample's credits pay (reference §5, the KSeF sample's invoice first).
SAMPLE_DOCUMENTS = {
    "HZ": ("Hurtownia Zielona sp. z o.o.", "7722744156",
           [("FV/2026/02/017", "4920.00"), ("FV/2026/03/004", "615.00")]),
    "ZU": ("Usługi Remontowe Żurek Piotr", None, [("FV/2026/02/021", "3000.00")]),
    "MX": ("Meblex-Pol spółka jawna", None,
           [("FV/2026/01/115", "5000.00"), ("FV/2026/01/118", "3118.00")]),
    "BS": ("Biuro Projektowe Świt sp. z o.o.", None, [("FV/2026/02/030", "2460.00")]),
}
SAMPLE_PAYMENTS = [
    ("FV/2026/02/017", Decimal("4920.00"), DAY, "transfer", "2603160000100001"),
    ("FV/2026/02/021", Decimal("1500.00"), DAY, "transfer", "2603160000100002"),
    ("FV/2026/01/115", Decimal("5000.00"), DAY, "transfer", "2603160000100003"),
    ("FV/2026/01/118", Decimal("3118.00"), DAY, "transfer", "2603160000100003"),
    ("FV/2026/02/030", Decimal("2460.00"), DAY, "transfer", "2603160000100004"),
    ("FV/2026/03/004", Decimal("615.00"), DAY, "transfer", "2603160000100005"),
]
SAMPLE_REASONS = [Reason.NUMBERS_TOTAL, Reason.NUMBER_PARTIAL, Reason.NUMBERS_TOTAL,
                  Reason.NUMBERS_TOTAL, Reason.ACCOUNT_AMOUNT]


def sample_ledger(clock, documents=SAMPLE_DOCUMENTS, settings=OURS) -> dict[str, Document]:
    stored = {}
    for code, (name, nip, invoices) in documents.items():
        contractor = create_contractor(clock, code=code, name=name, nip=nip,
                                       emails=f"biuro@{code.lower()}.pl")
        for number, gross in invoices:
            stored[number] = create_document(clock, settings, contractor, number,
                                             dt.date(2026, 2, 12), dt.date(2026, 2, 26),
                                             Decimal(gross))
    return stored


def dump() -> dict[str, list[tuple]]:
    """Every row of every table (the ``db_state`` fixture's, usable inside a loop)."""
    return {m._meta.table_name: database.execute_sql(
        f"SELECT * FROM {m._meta.table_name} ORDER BY 1").fetchall() for m in ALL_MODELS}


def payments() -> list[tuple]:
    return [(p.document.number, p.amount, p.paid_on, p.method, p.reference)
            for p in Payment.select().order_by(Payment.id)]


def lines() -> list[tuple]:
    return [(x.booked_on, x.amount, x.title, x.payer_name, x.payer_account, x.bank_reference,
             x.status, x.reason) for x in StatementLine.select().order_by(StatementLine.id)]


@pytest.fixture
def ledger(db, clock, author):
    return sample_ledger(clock)


def test_the_sample_statement_pays_its_invoices(ledger, clock):
    summary = import_statement(SAMPLE, clock, OURS)
    assert (summary.credits, summary.sure, summary.unsure, summary.unmatched) == (5, 5, 0, 0)
    assert (summary.debits_ignored, summary.payments) == (1, 6)
    assert summary.sure_amount == {"PLN": Decimal("17613.00")}
    assert payments() == SAMPLE_PAYMENTS
    first = Payment.select().where(Payment.document == ledger["FV/2026/02/017"].id).get()
    assert first.author == "ksiegowa"
    assert Document.get_by_id(ledger["FV/2026/02/021"].id).outstanding == Decimal("1500.00")
    assert [x[7] for x in lines()] == SAMPLE_REASONS
    assert {x[6] for x in lines()} == {LineStatus.SURE}
    # The fifth credit's title names no invoice: the account learned from the first paid.
    assert StatementPayment.select().count() == 6
    learned = {(a.contractor.code, a.account) for a in ContractorAccount.select()}
    assert ("HZ", HURTOWNIA_ACCOUNT) in learned and len(learned) == 4
    statement = BankStatement.get()
    assert (statement.statement_date, statement.profile, statement.number, statement.account) \
        == (DAY, "pko", "00045", "PL67102010556479528644154553")
    assert newest_statement_date() == DAY
    assert CollectionEvent.select().where(
        CollectionEvent.kind == EventKind.PAYMENT_RECORDED).count() == 6


@pytest.mark.parametrize("suffix", list(DIALECTS))
def test_each_encoding_with_its_profile_gives_the_same_result(ledger, clock, suffix):
    path = DATA / f"mt940_pl_sample{suffix}.sta"
    summary = import_statement(path, clock, OURS, profile=DIALECTS[suffix])
    assert (summary.sure, summary.payments, summary.debits_ignored) == (5, 6, 1)
    assert payments() == SAMPLE_PAYMENTS
    assert [x[:7] for x in lines()] == [
        (DAY, Decimal("4920.00"), "FV/2026/02/017",
         "HURTOWNIA ZIELONA SP. Z O.O. UL. LIPOWA 12 00-950 WARS", HURTOWNIA_ACCOUNT,
         "2603160000100001", "sure"),
        (DAY, Decimal("1500.00"), "CZĘŚCIOWA ZAPŁATA FAKTURY NR FV/2026/02/021",
         "USŁUGI REMONTOWE ŻUREK PIOTR UL. KRÓTKA 3 31-000 KRAKÓ",
         "PL89105010125907852987326886", "2603160000100002", "sure"),
        (DAY, Decimal("8118.00"), "ZAPŁATA FV 2026/01/115 I FV 2026/01/118",
         "MEBLEX-POL SPÓŁKA JAWNA UL. FABRYCZNA 7 90-001 ŁÓDŹ",
         "PL36124060296899038375064155", "2603160000100003", "sure"),
        (DAY, Decimal("2460.00"), "/VAT/460,00/IDC/5220715471/INV/FV/2026/02/030/TXT/PROJEKT",
         "BIURO PROJEKTOWE ŚWIT SP. Z O.O. GDAŃSK", "PL80109011021879065738498333",
         "2603160000100004", "sure"),
        (DAY, Decimal("615.00"), "ZAPL. F-RA 21/02/2026 DZIĘKUJĘ",
         "HURTOWNIA ZIELONA SP. Z O.O. UL. LIPOWA 12 00-950 WARS", HURTOWNIA_ACCOUNT,
         "2603160000100005", "sure"),
    ]


def test_credits_without_a_sure_match_wait_with_their_candidates(db, clock, author):
    documents = dict(SAMPLE_DOCUMENTS)
    documents["BS"] = (documents["BS"][0], None, [("FV/2026/02/030", "2000.00")])
    documents["HZ"] = (documents["HZ"][0], "7722744156", [("FV/2026/02/017", "4920.00")])
    ledger = sample_ledger(clock, documents)
    summary = import_statement(SAMPLE, clock, OURS)
    assert (summary.sure, summary.unsure, summary.unmatched) == (3, 1, 1)
    unsure = StatementLine.get(StatementLine.status == LineStatus.UNSURE)
    assert (unsure.amount, unsure.reason, unsure.candidate_ids) == (
        Decimal("2460.00"), Reason.MORE_THAN_OUTSTANDING, [ledger["FV/2026/02/030"].id])
    unmatched = StatementLine.get(StatementLine.status == LineStatus.UNMATCHED)
    assert (unmatched.amount, unmatched.reason) == (Decimal("615.00"), Reason.NO_OPEN_DOCUMENTS)
    assert [(p.amount, p.status) for p in summary.pending] == [
        (Decimal("2460.00"), "unsure"), (Decimal("615.00"), "unmatched")]
    assert Document.get_by_id(ledger["FV/2026/02/030"].id).outstanding == Decimal("2000.00")


@pytest.mark.parametrize("suffix, profile, line", [
    ("", "utf8", 6), ("", "mbank", 6), ("", "cp852", 22), ("", "nordea", 6),
    ("_mbank", "pko", 7), ("_cp852", "utf8", 6),
])
def test_a_wrong_profile_is_refused_and_nothing_is_stored(ledger, clock, db_state, suffix,
                                                          profile, line):
    before = db_state()
    with pytest.raises(ImportRejected) as info:
        import_statement(DATA / f"mt940_pl_sample{suffix}.sta", clock, OURS, profile=profile)
    assert info.value.errors[0].line == line
    assert "--profile" in str(info.value)
    assert db_state() == before


def test_the_profile_comes_from_the_setting_unless_given(ledger, clock):
    mbank = dataclasses.replace(OURS, statement_bank_profile="mbank")
    with pytest.raises(ImportRejected):
        import_statement(SAMPLE, clock, mbank)
    assert import_statement(DATA / "mt940_pl_sample_mbank.sta", clock, mbank).sure == 5


@pytest.mark.parametrize("change, line", [
    ((":61:2603160316C8118,00S020", ":61:2603160316CS020"), 35),  # no amount
    (("~20FV/2026/02/017", "~20FV/2026/02/017\r\n:13D:2603161200"), 8),  # unknown tag
    ((":62F:C260316PLN35851,00", ":62F:C260316PLN35851,01"), 95),  # the sums disagree
    ((":61:2603160316C615,00", ":61:2602300316C615,00"), 65),  # 30 February
])
def test_malformed_statements_name_the_line_and_store_nothing(ledger, clock, db_state, tmp_path,
                                                               change, line):
    text = SAMPLE.read_bytes().decode("cp1250")
    assert text.count(change[0]) == 1
    path = tmp_path / "bad.sta"
    path.write_bytes(text.replace(*change).encode("cp1250"))
    before = db_state()
    with pytest.raises(ImportRejected) as info:
        import_statement(path, clock, OURS)
    assert info.value.errors[0].line == line
    assert db_state() == before


def test_the_same_file_twice_adds_nothing(ledger, clock, db_state):
    import_statement(SAMPLE, clock, OURS)
    before = db_state()
    again = import_statement(SAMPLE, clock, OURS)
    assert again.already_imported is not None and again.already_imported[1] == "ksiegowa"
    assert again.statement_id == BankStatement.get().id
    assert db_state() == before


def test_an_overlapping_file_adds_only_its_new_credits(ledger, clock, tmp_path):
    import_statement(SAMPLE, clock, OURS)
    text = SAMPLE.read_bytes().decode("cp1250")
    # The same day exported again later: another reference, LF line ends, one more credit.
    extra = (":61:2603160316C100,00S020NONREF//2603160000100007\r\n"
             ":86:020~00VE02PRZELEW~20FV/2026/02/021~32USŁUGI REMONTOWE ŻUREK\r\n")
    text = text.replace(":20:MT940", ":20:MT940-2").replace(":62F:", extra + ":62F:").replace(
        "PLN35851,00", "PLN35951,00")
    path = tmp_path / "again.sta"
    path.write_bytes(text.replace("\r\n", "\n").encode("cp1250"))
    before = payments()
    summary = import_statement(path, clock, OURS)
    assert (summary.credits, summary.already_in, summary.sure) == (6, 5, 1)
    assert payments() == [*before, ("FV/2026/02/021", Decimal("100.00"), DAY, "transfer",
                                    "2603160000100007")]
    assert BankStatement.select().count() == 2
    assert StatementLine.select().count() == 6


def test_two_equal_transfers_on_one_day_are_two_credits(db, clock, author, tmp_path):
    ledger = sample_ledger(clock)
    same = Transfer(Decimal("100.00"), "FV/2026/02/021", "ŻUREK", reference="NONREF")
    path = tmp_path / "twice.sta"
    path.write_bytes(mt940([same, same]))
    assert import_statement(path, clock, OURS).sure == 2
    assert Document.get_by_id(ledger["FV/2026/02/021"].id).outstanding == Decimal("2800.00")


def test_a_document_an_agency_holds_is_never_paid_by_a_sure_match(collection, author,
                                                                 tmp_path):
    _, _, (document,) = hand_over(collection, numbers=("FV/R/1",))
    path = tmp_path / "agency.sta"
    path.write_bytes(mt940([Transfer(document.outstanding, "FV/R/1", "DŁUŻNIK")]))
    summary = import_statement(path, collection.clock, OURS)
    assert (summary.sure, summary.unsure) == (0, 1)
    line = StatementLine.get()
    assert (line.reason, line.candidate_ids) == ("in_recovery", [document.id])
    assert Payment.select().count() == 0


# -- the property: the same credits never come in twice ------------------------------------
NUMBER_FORMS = [lambda n: n, lambda n: n.replace("/", " "), lambda n: n.replace("/", "-"),
                lambda n: n.lower(), lambda n: f"ZAPŁATA ZA FAKTURĘ NR {n} DZIĘKUJEMY"]


@st.composite
def ledger_and_transfers(draw):
    count = draw(st.integers(1, 6))
    documents = [(f"FV/{i}/2026", Decimal(draw(st.integers(1, 500_000))) / 100)
                 for i in range(1, count + 1)]
    transfers = []
    for _ in range(draw(st.integers(1, 8))):
        number, gross = draw(st.sampled_from(documents))
        title = draw(st.sampled_from(NUMBER_FORMS))(number)
        kind = draw(st.sampled_from(["whole", "part", "more", "other"]))
        amount = {"whole": gross, "part": max(Decimal("0.01"), gross / 2).quantize(
            Decimal("0.01")), "more": gross + 1, "other": Decimal(draw(st.integers(1, 9999)))
                  / 100}[kind]
        account = draw(st.sampled_from(["", HURTOWNIA_ACCOUNT]))
        transfers.append(Transfer(amount, title if kind != "other" else "PRZELEW", "KLIENT",
                                  account))
    return documents, transfers


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=ledger_and_transfers())
def test_importing_a_statement_again_changes_nothing(db_location, case):
    documents, transfers = case
    clock = FixedClock(dt.date(2026, 11, 23))
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(db_location(f"p-{uuid.uuid4().hex}.db"))  # one per example
        try:
            contractor = create_contractor(clock, code="K", name="Klient", emails="k@k.pl")
            for number, gross in documents:
                create_document(clock, OURS, contractor, number, DAY, DAY, gross)
            path = Path(folder) / "s.sta"
            path.write_bytes(mt940(transfers))
            import_statement(path, clock, OURS, author="ksiegowa")
            once = dump()
            import_statement(path, clock, OURS, author="ksiegowa")
            assert dump() == once
            # The same statement exported again (another reference, LF line ends): only
            # the statement itself is new.
            path.write_bytes(mt940(transfers, reference="EXPORT-2", newline="\n"))
            summary = import_statement(path, clock, OURS, author="ksiegowa")
            assert summary.already_in == len(transfers)
            twice = dump()
            assert len(twice.pop("bank_statement")) == len(once.pop("bank_statement")) + 1
            assert twice == once
        finally:
            db.close()


# -- the same on PostgreSQL -------------------------------------------------------------------
def test_the_sample_on_postgresql_as_on_sqlite(pg_url, clock, monkeypatch):
    monkeypatch.setenv("WINDYKACJA_USER", "ksiegowa")
    open_database(pg_url)
    documents = dict(SAMPLE_DOCUMENTS)
    documents["BS"] = (documents["BS"][0], None, [("FV/2026/02/030", "2000.00")])
    ledger = sample_ledger(clock, documents)
    summary = import_statement(SAMPLE, clock, OURS)
    assert (summary.sure, summary.unsure, summary.payments) == (4, 1, 5)
    assert payments() == [p for p in SAMPLE_PAYMENTS if p[0] != "FV/2026/02/030"]
    line = StatementLine.get(StatementLine.status == LineStatus.UNSURE)
    assert line_detail(line.id).candidates[0].number == "FV/2026/02/030"
    assert find_open_document("fv 2026-02-030", "PLN").id == ledger["FV/2026/02/030"].id
    confirm_line(clock, OURS, line.id, [ledger["FV/2026/02/030"].id], "anna")
    before = dump()
    assert import_statement(SAMPLE, clock, OURS).already_imported is not None
    assert dump() == before
    assert newest_statement_date() == DAY
    assert ContractorAccount.select().count() == 4
