"""Fixtures for the importer tests: CSV files on disk, a database snapshot, ledger data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.ledger.actions import create_contractor, create_document
from windykacja.ledger.settings import CollectionSettings
from windykacja.models import ALL_MODELS

SETTINGS_OFF = CollectionSettings()
SETTINGS_ON = CollectionSettings(module_enabled=True)


@pytest.fixture
def author(monkeypatch):
    """Payments record their author; make it the same on every machine."""
    monkeypatch.setenv("WINDYKACJA_USER", "ksiegowa")


@pytest.fixture
def write_csv(tmp_path):
    """``write_csv(text, encoding=..., name=...)`` → the path of a file holding ``text``."""

    def write(text: str, encoding: str = "utf-8", name: str = "import.csv"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def db_state(db):
    """``db_state()`` → every row of every table, to prove a rejected file stored nothing."""

    def state() -> dict[str, list[tuple]]:
        tables = {}
        for model in ALL_MODELS:
            table = model._meta.table_name
            tables[table] = db.execute_sql(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        return tables

    return state


@pytest.fixture
def ledger(db, clock):
    """Two contractors (K1 under collection, K2 excluded) and two PLN invoices of K1."""
    k1 = create_contractor(clock, code="K1", name="Alfa sp. z o.o.", emails="biuro@alfa.pl")
    k2 = create_contractor(
        clock, code="K2", name="Beta", emails="beta@beta.pl", subject_to_collection=False
    )
    fv1 = create_document(
        clock, SETTINGS_ON, k1, "FV/1", dt.date(2026, 11, 2), dt.date(2026, 11, 16),
        Decimal("1000.00"),
    )
    fv2 = create_document(
        clock, SETTINGS_ON, k1, "FV/2", dt.date(2026, 11, 5), dt.date(2026, 11, 19),
        Decimal("250.50"),
    )
    return {"K1": k1, "K2": k2, "FV/1": fv1, "FV/2": fv2}
