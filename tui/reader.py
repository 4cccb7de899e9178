"""One thread for the interface's longer reads (counting, searching, adding up).

A Textual thread worker starts a new thread for every call, and each thread opens its
own SQLite connection with its own page cache (64 MB at most). Measured at a million
documents, a few searches in a row left the process at 214 MiB: SQLite freed each
cache when its connection closed, but the C allocator kept the memory. Sending every
such read through one long-lived thread keeps one connection and one cache.

Reads queue up behind each other, so a read that a newer one of the same kind has
replaced before it started (a search term typed further) is skipped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from ..models import database
from ..models.db import use_cache_role

T = TypeVar("T")


class Superseded(Exception):
    """A newer read of the same kind was asked for before this one started."""


class Reader:
    def __init__(self) -> None:
        # The interface's page cache size for every connection it opens, this thread's
        # and the reader's (models/db.py CACHE_KIB says why the size).
        use_cache_role("interface")
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="windykacja-reader")
        self._latest: dict[str, int] = {}

    async def run(self, kind: str, read: Callable[[], T]) -> T:
        token = self._latest[kind] = self._latest.get(kind, 0) + 1

        def job() -> T:
            if self._latest.get(kind) != token:
                raise Superseded(kind)
            return read()

        return await asyncio.get_running_loop().run_in_executor(self._executor, job)

    def close(self) -> None:
        self._executor.submit(database.close)  # the reader thread's own connection
        self._executor.shutdown(wait=True, cancel_futures=True)
