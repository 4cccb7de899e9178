"""Writing an exported CSV file so that a failure never leaves half of one behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def write_file_atomically(target: Path, write: Callable[[TextIO], int]) -> int:
    """``write`` into ``target.part`` (UTF-8 with a BOM, which Excel needs to read Polish
    letters), then rename it to ``target``; on any failure the partial file is removed and
    ``target`` is left as it was. Returns what ``write`` returned (the rows written)."""
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as out:
            count = write(out)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return count
