"""Files written whole or not at all: the letters' PDF, the dispatch book."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: Path, write: Callable[[str], None]) -> None:
    """Have ``write`` fill a temporary file beside ``path`` (it gets the temporary's
    name), fsync it, then rename it over ``path``: the file is whole or absent, never
    half written, and on any failure an existing ``path`` stays as it was."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        write(temporary)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
