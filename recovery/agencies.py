"""Collection agencies as data: who they are, their terms, their gateway, their commission.

An agency is one JSON file (``recovery/data/<code>.json`` for the ones shipped with the
program, or any path). The terms are kept as full text with their version, because the
user accepts exactly that text and the agreement records which version it was
(SPEC §8 step 5). ``terms`` and ``terms_en`` may be written as one string or as a list of
lines (joined with newlines) — the list keeps a long text readable in the file.

A malformed file is refused as a whole with ``AgencyError`` naming the file and the field;
an agency half-read would mean an order sent to the wrong place or a wrong fee.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..ledger.validation import validate_email
from .commission import CommissionTable, CommissionTableError

DEFAULT_AGENCY_CODE = "example_agency"
GATEWAY_KINDS = ("email", "http")

_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_KEYS = {"code", "name", "source", "note", "terms_version", "terms", "terms_en", "gateway",
         "commission"}
_REQUIRED = ("code", "name", "terms_version", "terms", "gateway", "commission")
_GATEWAY_KEYS = {"kind", "intake_email", "url"}


class AgencyError(ValueError):
    """An agency file that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Gateway:
    """How orders reach the agency: ``email`` to ``intake_email``, or ``http`` to ``url``."""

    kind: str
    intake_email: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    terms_version: str
    terms: str
    """The terms in Polish, in full — the text the user accepts."""
    terms_en: str
    """An English translation for reading; empty when the agency gives none."""
    gateway: Gateway
    commission: CommissionTable
    source: str = ""
    note: str = ""

    def terms_text(self, language: str = "pl") -> str:
        """The terms in the interface language, Polish when there is no translation."""
        return self.terms_en if language == "en" and self.terms_en else self.terms


def load_agency(path_or_code: str | os.PathLike[str]) -> Agency:
    """An agency from a JSON file path, or by code from the agencies shipped in ``data/``.

    A string counts as a path when it names a ``.json`` file or contains a path separator;
    otherwise it is a code.
    """
    if isinstance(path_or_code, os.PathLike) or _looks_like_path(path_or_code):
        path = Path(path_or_code)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise AgencyError(f"{path}: cannot read the agency file ({exc.strerror})") from None
        return _parse(text, str(path))

    code = path_or_code.strip()
    if not _CODE.match(code):
        raise AgencyError(f"{code!r} is not an agency code (lower-case letters, digits, _ -)")
    resource = importlib.resources.files(__package__).joinpath("data", f"{code}.json")
    if not resource.is_file():
        known = ", ".join(agency_codes()) or "none"
        raise AgencyError(f"no agency with the code {code!r} (known: {known})")
    agency = _parse(resource.read_text(encoding="utf-8"), f"agency {code!r}")
    if agency.code != code:
        raise AgencyError(f"agency {code!r}: the file says its code is {agency.code!r}")
    return agency


@functools.cache
def default_agency() -> Agency:
    """The agency offered when the user has not chosen another (read once, it is frozen)."""
    return load_agency(DEFAULT_AGENCY_CODE)


def agency_codes() -> list[str]:
    """Codes of the agencies shipped with the program, sorted."""
    folder = importlib.resources.files(__package__).joinpath("data")
    if not folder.is_dir():
        return []
    return sorted(item.name.removesuffix(".json") for item in folder.iterdir()
                  if item.name.endswith(".json"))


def agency_from_dict(data: Mapping[str, Any], where: str = "agency") -> Agency:
    """An agency from already-parsed data (decimals as strings, ints or Decimals)."""
    try:
        return _agency(data)
    except (AgencyError, CommissionTableError) as exc:
        raise AgencyError(f"{where}: {exc}") from None


def _looks_like_path(text: str) -> bool:
    return text.endswith(".json") or "/" in text or os.sep in text


def _parse(text: str, where: str) -> Agency:
    try:
        # parse_float=Decimal: a rate written as 12.5 must reach the table exactly.
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise AgencyError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return agency_from_dict(data, where)


def _agency(data: Mapping[str, Any]) -> Agency:
    if not isinstance(data, Mapping):
        raise AgencyError(f"the agency must be a JSON object, not {type(data).__name__}")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise AgencyError(f"unknown key(s) {', '.join(unknown)}")
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise AgencyError(f"missing {', '.join(missing)}")

    code = _text(data["code"], "code")
    if not _CODE.match(code):
        raise AgencyError(f"code {code!r} must be lower-case letters, digits, _ or -")
    try:
        commission = CommissionTable.from_dict(data["commission"])
    except CommissionTableError as exc:
        raise AgencyError(f"commission: {exc}") from None
    return Agency(
        code=code,
        name=_text(data["name"], "name"),
        terms_version=_text(data["terms_version"], "terms_version"),
        terms=_long_text(data["terms"], "terms"),
        terms_en=_long_text(data["terms_en"], "terms_en") if "terms_en" in data else "",
        gateway=_gateway(data["gateway"]),
        commission=commission,
        source=_text(data.get("source", ""), "source", required=False),
        note=_text(data.get("note", ""), "note", required=False),
    )


def _gateway(data: object) -> Gateway:
    if not isinstance(data, Mapping):
        raise AgencyError("gateway must be an object with a kind")
    unknown = sorted(set(data) - _GATEWAY_KEYS)
    if unknown:
        raise AgencyError(f"gateway: unknown key(s) {', '.join(unknown)}")
    kind = data.get("kind")
    if kind not in GATEWAY_KINDS:
        raise AgencyError(f"gateway.kind must be one of {', '.join(GATEWAY_KINDS)}, not {kind!r}")
    if kind == "email":
        raw = _text(data.get("intake_email", ""), "gateway.intake_email")
        try:
            intake_email = validate_email(raw)
        except ValueError as exc:
            raise AgencyError(f"gateway.intake_email: {exc}") from None
        return Gateway(kind="email", intake_email=intake_email)
    url = _text(data.get("url", ""), "gateway.url")
    if not url.startswith(("http://", "https://")):
        raise AgencyError(f"gateway.url must start with http:// or https://, not {url!r}")
    return Gateway(kind="http", url=url)


def _text(value: object, where: str, required: bool = True) -> str:
    if not isinstance(value, str):
        raise AgencyError(f"{where} must be text, not {type(value).__name__}")
    if required and not value.strip():
        raise AgencyError(f"{where} is empty")
    return value.strip()


def _long_text(value: object, where: str) -> str:
    if isinstance(value, list):
        if not all(isinstance(line, str) for line in value):
            raise AgencyError(f"{where}: every line must be text")
        value = "\n".join(value)
    if not isinstance(value, str) or not value.strip():
        raise AgencyError(f"{where} must be the full text (a string or a list of lines)")
    return value.strip("\n")
