"""SQLite's page cache is sized by what the process does (models/db.py CACHE_KIB): the
interface's connections, every thread's, get the interface's size; a bulk import gets
its own while it runs and gives the process's back after."""

from __future__ import annotations

import threading

import pytest

from windykacja.models import database
from windykacja.models.db import CACHE_KIB, cache_role, use_cache_role


def _cache() -> int:
    return database.execute_sql("PRAGMA cache_size").fetchone()[0]


def _in_a_new_thread() -> int:
    found: list[int] = []

    def read() -> None:
        try:
            found.append(_cache())
        finally:
            database.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    return found[0]


@pytest.mark.sqlite_only("PRAGMA cache_size is SQLite's own")
def test_each_role_has_its_cache_on_every_connection(db):
    assert _cache() == -CACHE_KIB["default"]
    try:
        use_cache_role("interface")
        assert _cache() == -CACHE_KIB["interface"] < -CACHE_KIB["bulk"]
        assert _in_a_new_thread() == -CACHE_KIB["interface"]
        with cache_role("bulk"):
            assert _cache() == -CACHE_KIB["bulk"]
        assert _cache() == -CACHE_KIB["interface"]
    finally:
        use_cache_role("default")
    assert _cache() == _in_a_new_thread() == -CACHE_KIB["default"]


async def test_the_interface_opens_its_connections_with_the_interface_cache(db):
    from windykacja.tui.reader import Reader

    try:
        reader = Reader()
        if database.obj.__class__.__name__.startswith("Sqlite"):
            assert _cache() == -CACHE_KIB["interface"]
            assert await reader.run("test", _cache) == -CACHE_KIB["interface"]
        reader.close()
    finally:
        use_cache_role("default")


@pytest.mark.sqlite_only("PRAGMA cache_size is SQLite's own")
def test_a_csv_file_is_checked_and_stored_with_the_bulk_cache(db, tmp_path):
    """A CSV import reads and writes each row once: it runs with the bulk writers' small
    cache (52 MiB less at 1M documents, as fast) and gives the process's back after."""
    from windykacja.importers.csv_common import FileSpec, run_import

    path = tmp_path / "rows.csv"
    path.write_text("code,name\nK1,Pierwsza\nK2,Druga\n", encoding="utf-8")
    seen: list[tuple[str, int]] = []

    def parse(row):
        seen.append(("checked", _cache()))
        return row.cells["code"]

    def store(code):
        seen.append(("stored", _cache()))
        return "created"

    summary = run_import(path, FileSpec.parse("code, name"), parse, store)
    assert summary.created == 2
    assert seen == [(step, -CACHE_KIB["bulk"]) for step in
                    ("checked", "checked", "stored", "stored")]
    assert _cache() == -CACHE_KIB["default"]
