"""The rate tables shipped in ``law/data`` (or a JSON file a person names instead), read
so that every number arrives exactly: a rate written without quotes is parsed as a
Decimal, never through a float."""

from __future__ import annotations

import importlib.resources
import json
from decimal import Decimal
from pathlib import Path
from typing import Any


def read_table(shipped_name: str, path: Path | None = None) -> Any:
    """The JSON of ``law/data/<shipped_name>``, or of the file at ``path``."""
    if path is None:
        text = (importlib.resources.files(__package__).joinpath("data", shipped_name)
                .read_text(encoding="utf-8"))
    else:
        text = Path(path).read_text(encoding="utf-8")
    return json.loads(text, parse_float=Decimal)

