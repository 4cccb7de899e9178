"""Peewee without the PostgreSQL driver until a PostgreSQL database is opened.

Why: Peewee imports ``psycopg`` the moment Peewee itself is imported (``peewee.py``:
``try: import psycopg …``, and ``playhouse.postgres_ext`` again), whatever database is
then opened. With ``psycopg[binary]`` installed that is about 75 ms and 9 MiB on every
start of the interface and of every command — on SQLite, which never uses it.

How: ``hide_while_peewee_loads()`` (called by the package's ``__init__``, before any of
our modules can import Peewee) puts a finder in front of ``sys.meta_path``. While the
modules ``peewee`` and ``playhouse.postgres_ext`` execute, and only then, an
``import psycopg`` there fails as if the driver were not installed, and Peewee records
``psycopg = None`` as it does on a machine without it. Everything else imports as usual
(a test or a script importing ``psycopg`` itself gets it). ``load_postgres_driver()``
(``models/db.py``, before a PostgreSQL ``Database`` is made) then imports the driver and
gives Peewee what its import would have set: the module, ``TransactionStatus``, the
JSON adapters and the transaction-state constants of ``Psycopg3Adapter``, and
``playhouse.postgres_ext``'s hstore helpers. ``psycopg2`` is not hidden: where it is
installed Peewee finds it as before (and prefers it, as before).

A driver that is not installed stays missing: Peewee then says "psycopg postgres driver
not found", as it always did.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType
from typing import Any

HIDDEN = "psycopg"
# The modules whose import-time ``import psycopg`` is skipped.
LOADED_WITHOUT = frozenset({"peewee", "playhouse.postgres_ext"})


class _Loader(importlib.abc.Loader):
    """The real loader of ``peewee`` (or ``playhouse.postgres_ext``); psycopg is hidden
    while it executes the module."""

    def __init__(self, loader: Any, finder: _HideDriver) -> None:
        self.loader = loader
        self.finder = finder

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.finder.loading += 1
        try:
            self.loader.exec_module(module)
        finally:
            self.finder.loading -= 1

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename… for tracebacks
        return getattr(self.loader, name)


class _HideDriver(importlib.abc.MetaPathFinder):
    def __init__(self) -> None:
        self.loading = 0

    def find_spec(self, name: str, path: Any = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if self.loading and (name == HIDDEN or name.startswith(HIDDEN + ".")):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        if name in LOADED_WITHOUT:
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is not None and spec.loader is not None:
                spec.loader = _Loader(spec.loader, self)
            return spec
        return None


def hide_while_peewee_loads() -> None:
    """Install the finder, unless Peewee (and so the driver) is loaded already."""
    if "peewee" in sys.modules or any(isinstance(f, _HideDriver) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _HideDriver())


def load_postgres_driver() -> None:
    """Give Peewee the psycopg driver its import skipped (nothing if it has one)."""
    # Any: the names set here are Peewee's module globals, not in its type stubs.
    peewee: Any = importlib.import_module("peewee")
    if peewee.psycopg is not None:
        return
    try:
        import psycopg
        from psycopg.pq import TransactionStatus
        from psycopg.types.json import Json, Jsonb
    except ImportError:  # not installed: Peewee says so when connecting, as before
        return
    peewee.TransactionStatus = TransactionStatus
    peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN
    extensions = sys.modules.get("playhouse.postgres_ext")
    if extensions is not None:
        from psycopg.types import TypeInfo
        from psycopg.types.hstore import register_hstore

        extensions.TypeInfo = TypeInfo  # type: ignore[attr-defined]
        extensions.register_hstore_pg3 = register_hstore  # type: ignore[attr-defined]
    peewee.psycopg = psycopg  # last: the sign that the rest is done
