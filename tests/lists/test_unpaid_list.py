"""The unpaid list's window: every page order agrees with one full ordering, whichever
way the pages were reached (keyset forwards, backwards, the reversed last page, OFFSET),
and filters, search and totals come from SQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.ledger.actions import record_payment, update_contractor
from windykacja.ledger.settings import load_settings
from windykacja.lists import unpaid_list
from windykacja.lists.unpaid_list import (
    SORT_COLUMNS,
    UnpaidQuery,
    UnpaidWindow,
    count_unpaid,
    totals,
)
from windykacja.models import Document

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ledger(collection, monkeypatch):
    """23 unpaid documents of three contractors, one paid, one in EUR; pages of 5."""
    monkeypatch.setattr(unpaid_list, "PAGE_SIZE", 5)
    names = ["Łódzkie Zakłady", "Alfa sp. z o.o.", "Zeta Handel"]
    contractors = [collection.contractor(name=name) for name in names]
    for i in range(24):
        collection.document(
            contractors[i % 3], due=TODAY + dt.timedelta(days=10 - i % 14),
            gross=f"{100 + (i * 37) % 50}.00", number=f"FV/{i:03d}",
            currency="EUR" if i == 5 else "PLN",
        )
    paid = Document.get(Document.number == "FV/000")
    record_payment(collection.clock, load_settings(), paid, TODAY, paid.outstanding)
    return contractors


def _expected(query: UnpaidQuery) -> list[str]:
    documents = [d for d in Document.select() if d.outstanding > 0]
    if query.overdue_only:
        documents = [d for d in documents if d.legal_due_date < query.today]
    key = {
        "number": lambda d: d.number, "contractor": lambda d: d.contractor_key,
        "issue": lambda d: d.issue_date, "due": lambda d: d.due_date,
        "late": lambda d: d.legal_due_date,
        "outstanding": lambda d: d.outstanding, "currency": lambda d: d.currency,
        "progress": lambda d: d.demands_sent,
    }[query.sort]
    ordered = sorted(documents, key=lambda d: (key(d), d.id), reverse=query.descending)
    return [d.number for d in ordered]


@pytest.mark.parametrize("sort", sorted(SORT_COLUMNS))
@pytest.mark.parametrize("descending", [False, True])
def test_pages_read_any_way_give_the_one_order(ledger, sort, descending):
    query = UnpaidQuery(TODAY, sort=sort, descending=descending)
    expected = _expected(query)
    forwards = UnpaidWindow(query, load_settings()).load()
    assert [forwards.row(i).document.number for i in range(forwards.count)] == expected
    backwards = UnpaidWindow(query, load_settings())
    backwards.count = len(expected)
    read = [backwards.row(i).document.number for i in reversed(range(len(expected)))]
    assert read[::-1] == expected
    jumped = UnpaidWindow(query, load_settings())
    jumped.count = len(expected)
    assert jumped.row(12).document.number == expected[12]  # a middle page, by OFFSET


def test_overdue_filter_counts_documents_past_their_legal_due_date(ledger):
    query = UnpaidQuery(TODAY, overdue_only=True)
    assert count_unpaid(query) == len(_expected(query)) > 0
    assert count_unpaid(query) < count_unpaid(UnpaidQuery(TODAY))


def test_search_folds_case_and_polish_letters(ledger):
    window = UnpaidWindow(UnpaidQuery(TODAY, search="lodzkie"), load_settings()).load()
    assert window.count == 7  # FV/000 of Łódzkie is paid
    assert {window.row(i).document.contractor.name for i in range(window.count)} == {
        "Łódzkie Zakłady"}
    assert count_unpaid(UnpaidQuery(TODAY, search="fv/01")) == 10


def test_search_wildcards_are_taken_literally(ledger):
    assert count_unpaid(UnpaidQuery(TODAY, search="%")) == 0
    assert count_unpaid(UnpaidQuery(TODAY, search="_")) == 0


def test_a_renamed_contractor_is_found_by_its_new_name(ledger, clock):
    update_contractor(clock, ledger[2], {"name": "Omega Świat"})
    assert count_unpaid(UnpaidQuery(TODAY, search="swiat")) == 8
    assert count_unpaid(UnpaidQuery(TODAY, search="zeta")) == 0


def test_totals_are_per_currency(ledger):
    result = totals(UnpaidQuery(TODAY))
    assert result.count == 23
    by_currency = dict(result.by_currency)
    assert set(by_currency) == {"EUR", "PLN"}
    pln = sum((d.outstanding for d in Document.select() if d.currency == "PLN"), Decimal(0))
    assert by_currency["PLN"] == pln


def test_rows_carry_their_next_step(ledger):
    window = UnpaidWindow(UnpaidQuery(TODAY), load_settings()).load()
    first = window.row(0)
    assert first.next_step is not None
    assert first.days_late == max(0, (TODAY - first.document.legal_due_date).days)


@pytest.mark.parametrize("limit", [3, 5000])
def test_a_search_reads_the_same_rows_whole_or_page_by_page(ledger, monkeypatch, limit):
    """Up to SNAPSHOT_LIMIT matches are read whole by id; more are paged by the index."""
    monkeypatch.setattr(unpaid_list, "SNAPSHOT_LIMIT", limit)
    query = UnpaidQuery(TODAY, search="zeta", sort="number", descending=True)
    window = UnpaidWindow(query, load_settings()).load()
    read = [window.row(i).document.number for i in range(window.count)]
    expected = [n for n in _expected(UnpaidQuery(TODAY, sort="number", descending=True))
                if Document.get(Document.number == n).contractor.name == "Zeta Handel"]
    assert read == expected and len(read) == 8
    assert (window._snapshot is not None) == (limit == 5000)


@pytest.mark.sqlite_only("reads SQLite's query plan (EXPLAIN QUERY PLAN, INDEXED BY)")
def test_search_counts_walk_the_covering_index(ledger):
    from windykacja.models import database

    where, params = unpaid_list._filter(UnpaidQuery(TODAY, search="zeta", overdue_only=True))
    plan = database.execute_sql(
        f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM document INDEXED BY document_unpaid_search"
        f" WHERE {where}", params).fetchall()
    assert "COVERING INDEX document_unpaid_search" in " ".join(str(row) for row in plan)


@pytest.mark.sqlite_only("reads SQLite's query plan (EXPLAIN QUERY PLAN)")
@pytest.mark.parametrize("descending", [False, True])
def test_days_late_sort_and_overdue_count_walk_the_legal_due_date_index(ledger, descending):
    """Migration 0012: the overdue filter is counted from ``document_unpaid_late``
    alone, and pages sorted by days late walk it without a sort."""
    from windykacja.models import database

    query = UnpaidQuery(TODAY, overdue_only=True, sort="late", descending=descending)
    where, params = unpaid_list._filter(query)
    count = database.execute_sql(
        f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM {unpaid_list._counted_from(query)}"
        f" WHERE {where}", params).fetchall()
    assert "INDEX document_unpaid_late" in " ".join(str(row) for row in count)
    listing = unpaid_list.unpaid_listing(query)
    order = ", ".join(f"{c} {'DESC' if descending else 'ASC'}" for c in listing.order)
    page = database.execute_sql(
        f"EXPLAIN QUERY PLAN SELECT {listing.columns} FROM {listing.tables}"
        f" WHERE {listing.where} ORDER BY {order} LIMIT 5", list(listing.params)).fetchall()
    text = " ".join(str(row) for row in page)
    assert "INDEX document_unpaid_late" in text and "TEMP B-TREE" not in text


# --- the agency case column and the filter by case status ----------------------------


def _hand_over(collection, contractor):
    """One case of the contractor's overdue documents, in an order of the example agency."""
    from windykacja.recovery import cases
    from windykacja.recovery.agencies import default_agency
    from windykacja.recovery.commission import commission

    agency = default_agency()
    cases.conclude_agreement(collection.clock, agency.code, agency.terms_version,
                             person_name="Anna Nowak", person_email="anna@example.pl")
    order = cases.open_order(collection.clock, agency.code)
    selection = cases.sort_out([d.id for d in Document.select()], TODAY)
    documents = selection.by_contractor[contractor.id]
    fee = commission(agency.commission, cases.case_amount(documents), 40)
    debtor = cases.Debtor(contractor.name, "", "ul. Długa 1, Łódź", "", "", business=False)
    return cases.add_case(collection.clock, load_settings(), order, contractor, debtor,
                          documents, fee), documents


def test_rows_carry_their_case_status_and_the_list_filters_by_it(ledger, collection):
    from windykacja.models import CaseStatus
    from windykacja.recovery.cases import set_status

    case, handed = _hand_over(collection, ledger[1])
    handed_numbers = sorted(d.number for d in handed)
    window = UnpaidWindow(UnpaidQuery(TODAY), load_settings()).load()
    statuses = {window.row(i).document.number: window.row(i).recovery_status
                for i in range(window.count)}
    assert {n for n, s in statuses.items() if s} == set(handed_numbers)
    assert {statuses[n] for n in handed_numbers} == {CaseStatus.NOT_SENT}

    def numbers(**changes) -> list[str]:
        query = UnpaidQuery(TODAY, sort="number", **changes)
        window = UnpaidWindow(query, load_settings()).load()
        assert count_unpaid(query) == window.count
        return [window.row(i).document.number for i in range(window.count)]

    assert numbers(case_status="active") == handed_numbers
    assert numbers(case_status=CaseStatus.NOT_SENT) == handed_numbers
    assert numbers(case_status=CaseStatus.WAITING) == []
    set_status(collection.clock, case, CaseStatus.WAITING, source="gateway")
    assert numbers(case_status=CaseStatus.WAITING) == handed_numbers
    assert numbers(case_status="active", search="alfa") == handed_numbers
    # A case closed without success frees its documents; the column says why they are back.
    set_status(collection.clock, case, CaseStatus.CLOSED, source="import")
    assert numbers(case_status="active") == []
    assert numbers(case_status=CaseStatus.CLOSED) == handed_numbers
    window = UnpaidWindow(UnpaidQuery(TODAY, case_status=CaseStatus.CLOSED),
                          load_settings()).load()
    assert {window.row(i).recovery_status for i in range(window.count)} == {CaseStatus.CLOSED}


def test_an_unknown_case_status_is_refused():
    with pytest.raises(ValueError, match="case status"):
        UnpaidQuery(TODAY, case_status="lost")


def test_expiring_filter_keeps_claims_barred_within_the_days(collection):
    # On 23 Nov 2026 a business claim due in 2023 is barred after 31 Dec 2026 (38 days
    # away); a consumer sale due in 2024 too. Due in 2022 / 2023 respectively: already
    # barred; later ones: not within 90 days.
    business = collection.contractor(name="Firma")
    consumer = collection.contractor(name="Jan Kowalski", kind="private")
    for contractor, years in ((business, (2022, 2023, 2024)), (consumer, (2023, 2024, 2025))):
        for year in years:
            for due in (dt.date(year, 1, 1), dt.date(year, 12, 31)):
                collection.document(contractor, due=due,
                                    number=f"{contractor.name[:1]}/{due.isoformat()}")
    query = UnpaidQuery(TODAY, expiring_within=90)
    window = UnpaidWindow(query, load_settings()).load()
    numbers = sorted(window.row(i).document.number for i in range(window.count))
    assert numbers == ["F/2023-01-01", "F/2023-12-31", "J/2024-01-01", "J/2024-12-31"]
    assert count_unpaid(query) == 4
    assert count_unpaid(UnpaidQuery(dt.date(2026, 9, 1), expiring_within=90)) == 0
