"""The unpaid list's search through the trigram index (migration 0018, issue 17) finds
exactly what the ``LIKE`` search found before it: the same rows, in the same order, the
same counts and totals, for every term — Polish letters in either case, ``%``, ``_``,
``/``, quotes, terms of one or two characters (which keep the ``LIKE``), and words of a
name and a number together (a match lies within one field, as before). The index
follows every change of the documents."""

from __future__ import annotations

import datetime as dt

import pytest

from windykacja.ledger.actions import record_payment, update_contractor
from windykacja.ledger.settings import load_settings
from windykacja.lists import unpaid_list
from windykacja.lists.unpaid_list import (
    UnpaidQuery,
    UnpaidWindow,
    count_unpaid,
    matching_ids,
    search_phrase,
    totals,
)
from windykacja.models import Document, database
from windykacja.models.db import is_sqlite
from windykacja.models.text import like_pattern

TODAY = dt.date(2026, 11, 23)

NAMES = [
    "Łódzkie Zakłady Śrub", "ŁÓDŹ HURT", "Zakład Ąę Żółć", "Müller GmbH", "Straße AG",
    "100% Firma", "Firma_Test", "Back\\slash", 'Cytat "Q" sp.', "Alfa sp. z o.o.",
]
NUMBERS = [
    "FV/2026/10/001", "fv/2026/10/002", "FV/ŁÓDŹ/1", "FV/łódź/2", "KOR%1", "KOR_2",
    "FV/2026/11/001", "Ą/Ę/3", "ab/ĄĘ/4", "X\\Y/5", 'Q"1', "FV/2026/100",
]
TERMS = [
    "łódź", "ŁÓDŹ", "Łódź", "lodz", "LODZ", "Łó", "ł", "Ł", "ó", "%", "_", "\\", "/",
    "100%", "0%", "a_t", "ma_", "kor%", "kor_", "KOR%1", "fv/2026/10", "FV/2026/10",
    "  fv/2026  ", "fv/ŁÓDŹ", "fv/łódź", "FV/LODZ", "łódź/1", "ą", "Ą", "ąę", "ĄĘ", "ą/ę",
    "Ą/Ę/3", "ab/ą", "AB/ĄĘ", "strasse", "STRASSE", "straße", "STRAẞE", "muller", "MÜLLER",
    '"q"', 'cytat "q', 'q"1', "k\\s", "x\\y", "X\\Y/", "ab", "7", "fv", "zakłady fv",
    "hurt fv/", "śrub", "ŚRUB", "sp.", "sp. z o.o.", " ", "zzz", "żółć", "ZOLC", "1",
    "001", "/1", "10/0",
]


@pytest.fixture
def ledger(collection, monkeypatch):
    monkeypatch.setattr(unpaid_list, "PAGE_SIZE", 4)
    contractors = [collection.contractor(name=name) for name in NAMES]
    for i, number in enumerate(NUMBERS * 2):
        collection.document(
            contractors[(i * 7) % len(contractors)], due=TODAY + dt.timedelta(days=i % 9 - 6),
            gross=f"{100 + i}.00", number=number if i < len(NUMBERS) else f"{number}-B",
            currency="EUR" if i % 4 == 0 else "PLN")
    # Paid documents are never listed, whatever they match.
    for number in ("FV/ŁÓDŹ/1-B", "KOR%1-B", "FV/2026/10/001"):
        paid = Document.get(Document.number == number)
        record_payment(collection.clock, load_settings(), paid, TODAY, paid.outstanding)
    return contractors


def _like_ids(term: str, order: str = "document.id") -> list[int]:
    """The documents the search matched before the trigram index: the ``LIKE`` (``ILIKE``
    on PostgreSQL) of the folded term on the folded name or the number."""
    like = "LIKE" if is_sqlite() else "ILIKE"
    mark = database.obj.param
    pattern = like_pattern(term.strip())
    rows = database.execute_sql(
        f"SELECT document.id FROM document WHERE document.outstanding > 0 AND"
        f" (document.contractor_key {like} {mark} ESCAPE '\\'"
        f" OR document.number {like} {mark} ESCAPE '\\') ORDER BY {order}",
        [pattern, pattern]).fetchall()
    return [row[0] for row in rows]


def _read(window: UnpaidWindow) -> list[int]:
    return [window.row(i).id for i in range(window.count)]


@pytest.mark.parametrize("term", TERMS)
def test_a_search_finds_exactly_what_the_like_found(ledger, term):
    expected = _like_ids(term)
    query = UnpaidQuery(TODAY, search=term)
    assert count_unpaid(query) == len(expected)
    assert sorted(matching_ids(query, 1000)) == expected
    assert totals(query).count == len(expected)
    assert len(set(expected)) == len(expected)


@pytest.mark.parametrize("limit", [2, 5000])
@pytest.mark.parametrize("term", ["łódź", "fv/2026/10", "ą", "sp.", "%", "zzz"])
def test_the_window_shows_the_same_rows_in_the_same_order(ledger, monkeypatch, term, limit):
    """Read whole (a small result) or page by page by the sort's index, descending too."""
    monkeypatch.setattr(unpaid_list, "SNAPSHOT_LIMIT", limit)
    for sort, order in (("due", "document.due_date, document.id"),
                        ("number", "document.number DESC, document.id DESC")):
        query = UnpaidQuery(TODAY, search=term, sort=sort, descending="DESC" in order)
        window = UnpaidWindow(query, load_settings()).load()
        assert _read(window) == _like_ids(term, order)


def test_search_with_another_filter_matches_both(ledger):
    overdue = {d.id for d in Document.select() if d.legal_due_date < TODAY}
    seen = 0
    for term in ("łódź", "fv/2026", "kor%", "sp.", "ą"):
        query = UnpaidQuery(TODAY, search=term, overdue_only=True)
        expected = [i for i in _like_ids(term) if i in overdue]
        assert count_unpaid(query) == len(expected)
        assert sorted(matching_ids(query, 1000)) == expected
        assert sorted(_read(UnpaidWindow(query, load_settings()).load())) == expected
        seen += len(expected)
    assert seen > 0


@pytest.mark.sqlite_only("the trigram index is SQLite's (FTS5); PostgreSQL keeps ILIKE")
def test_terms_of_three_characters_or_more_use_the_trigram_index(ledger):
    assert search_phrase("ab") is None and search_phrase(" ł ") is None
    assert search_phrase("ŁÓDŹ") == '"lodz"'
    assert search_phrase('Cytat "Q') == '"cytat ""q"'
    assert search_phrase("KOR%1") == '"kor%1"'
    statement, _ = unpaid_list._count_statement(UnpaidQuery(TODAY, search="łódź"))
    assert "document_search MATCH" in statement
    statement, _ = unpaid_list._count_statement(UnpaidQuery(TODAY, search="łó"))
    assert "LIKE" in statement


def test_the_index_follows_payments_renames_new_numbers_and_deletions(ledger, collection):
    def found(term: str) -> list[int]:
        query = UnpaidQuery(TODAY, search=term)
        assert count_unpaid(query) == len(_like_ids(term))
        return sorted(matching_ids(query, 1000))

    document = Document.get(Document.number == "FV/2026/11/001")
    assert document.id in found("2026/11/0")
    settings = load_settings()
    record_payment(collection.clock, settings, document, TODAY, document.outstanding)
    assert document.id not in found("2026/11/0")
    # Paid again by mistake and the payment taken back: listed again (outstanding > 0).
    Document.update(outstanding=Document.gross).where(Document.id == document.id).execute()
    assert document.id in found("2026/11/0")
    # A partial payment leaves it found.
    record_payment(collection.clock, settings, Document.get_by_id(document.id), TODAY,
                   document.outstanding / 4)
    assert document.id in found("2026/11/0")
    # A new number: found by it, not by the old one.
    Document.update(number="NOWY/777").where(Document.id == document.id).execute()
    assert document.id not in found("2026/11/0") and found("nowy/7") == [document.id]
    # A renamed contractor: its documents follow its new name.
    update_contractor(collection.clock, ledger[3], {"name": "Omega Świat"})
    assert found("muller") == [] and found("omega ŚWIAT") == _like_ids("omega swiat") != []
    # A new document is found; a deleted one is not.
    new = collection.document(ledger[0], due=TODAY, number="FV/NEW/9")
    assert found("fv/new") == [new.id]
    Document.delete().where(Document.id == new.id).execute()
    assert found("fv/new") == []


@pytest.mark.sqlite_only("the trigram index is SQLite's; PostgreSQL's GIN index is no table")
def test_copy_db_leaves_the_index_out_and_the_copy_fills_its_own(ledger, tmp_path):
    from windykacja.models.db import apply_migrations, make_database
    from windykacja.models.transfer import copy_database, user_tables

    assert not any(name.startswith("document_search") for name in user_tables(database.obj))
    target = make_database(str(tmp_path / "copy.db"))
    target.connect()
    apply_migrations(target)
    copy_database(database.obj, target)
    for term in ("łódź", "fv/2026/10", "kor%", "sp."):
        phrase = search_phrase(term)
        found = [row[0] for row in target.execute_sql(
            "SELECT rowid FROM document_search WHERE document_search MATCH ? ORDER BY rowid",
            [phrase])]
        assert found == _like_ids(term) != []
    target.close()


def test_postgresql_has_trigram_indexes_where_pg_trgm_is_there(ledger):
    """On PostgreSQL the query stays ILIKE; migration 0018 adds GIN trigram indexes when
    the server has pg_trgm (the test server, Debian's postgresql, has it in contrib)."""
    if is_sqlite():
        names = {row[0] for row in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE name LIKE 'document_search%'")}
        assert {"document_search", "document_search_insert", "document_search_delete",
                "document_search_update_old", "document_search_update_new"} <= names
        return
    available = database.execute_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").fetchone()
    indexes = {row[0] for row in database.execute_sql(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'document'")}
    assert ({"document_search_key", "document_search_number"} <= indexes) == bool(available)


@pytest.mark.parametrize("term", ["fv/2026", "fv", "/", "a"])
@pytest.mark.parametrize("descending", [False, True])
def test_the_first_page_read_before_the_count_is_the_counted_windows(
        ledger, monkeypatch, term, descending):
    """``load(count=False)`` (the screen shows a dense search's first page before its
    count): no COUNT, the count a lower bound, and every row below it the row the counted
    window has — none read as the list's last page (PAGE_SIZE 4, bound 3: the first page
    ends at the bound); ``count_rows`` gives the count, and after ``set_count`` (the page
    the bound cut short read again) the window is the counted one."""
    monkeypatch.setattr(unpaid_list, "SNAPSHOT_LIMIT", 3)
    order = ("document.due_date DESC, document.id DESC" if descending
             else "document.due_date, document.id")
    expected = _like_ids(term, order)
    assert len(expected) > 4
    query = UnpaidQuery(TODAY, search=term, descending=descending)
    window = UnpaidWindow(query, load_settings()).load(count=False)
    assert (window.count, window.counted, window.statements) == (3, False, 2)
    assert [window.row(i).id for i in range(window.count)] == expected[:3]
    count = window.count_rows()
    assert count == len(expected)
    window.set_count(count)
    assert _read(window) == expected
    counted = UnpaidWindow(query, load_settings()).load()
    assert (counted.count, counted.counted, _read(counted)) == (len(expected), True, expected)


def test_a_search_read_whole_is_counted_at_once_even_when_asked_not_to(ledger, monkeypatch):
    monkeypatch.setattr(unpaid_list, "SNAPSHOT_LIMIT", 5000)
    window = UnpaidWindow(UnpaidQuery(TODAY, search="fv/2026"), load_settings()).load(
        count=False)
    assert window.counted
    assert _read(window) == _like_ids("fv/2026", "document.due_date, document.id")


@pytest.mark.sqlite_only("SQLite tests a LIKE on an index entry before reading the row")
def test_the_due_date_index_carries_the_searched_columns(ledger):
    """Migration 0021: a search's first page walks ``document_unpaid_due`` (the list's
    default order) and can test the ``LIKE`` on its entries, reading the table only for
    the rows it keeps; the index keeps its order, ``(due_date, id)`` first."""
    columns = [r[2] for r in database.execute_sql("PRAGMA index_info(document_unpaid_due)")]
    assert columns == ["due_date", "id", "contractor_key", "number"]
    where = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE name = 'document_unpaid_due'").fetchone()[0]
    assert where.endswith("WHERE outstanding > 0")


@pytest.mark.sqlite_only("SQLite's progress handler bounds the walk; PostgreSQL plans its own")
@pytest.mark.parametrize("sort", ["due", "number", "contractor", "outstanding"])
@pytest.mark.parametrize("descending", [False, True])
def test_a_first_page_walked_too_long_is_found_by_sorting_the_matches(
        ledger, monkeypatch, sort, descending):
    """``load(count=False)`` of a search the trigram index answers: the walk of the sort
    column's index interrupted at once (no time at all), the first page comes from
    sorting the index's matches — the same rows in the same order, and the next pages
    follow it by keyset."""
    monkeypatch.setattr(unpaid_list, "SNAPSHOT_LIMIT", 3)
    monkeypatch.setattr(unpaid_list, "WALK_SECONDS", -1.0)
    monkeypatch.setattr(unpaid_list, "PROGRESS_STEPS", 1)
    column = "document." + unpaid_list.SORT_COLUMNS[sort]
    way = " DESC" if descending else ""
    expected = _like_ids("fv/2026", f"{column}{way}, document.id{way}")
    assert len(expected) > 4
    query = UnpaidQuery(TODAY, search="fv/2026", sort=sort, descending=descending)
    window = UnpaidWindow(query, load_settings()).load(count=False)
    assert window.statements == 4  # the ids, the walk interrupted, the sorted ids, their rows
    assert [window.row(i).id for i in range(window.count)] == expected[:3]
    window.set_count(window.count_rows())
    assert _read(window) == expected
