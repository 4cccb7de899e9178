"""Importing contractors from a CSV file (SPEC §10).

Columns: ``code, name, [nip], email, [phone], [address], [language], [kind],
[subject_to_collection], [vat_eu]``.

Decisions a careful bookkeeper would expect, written down:

* **A code already in the database updates that contractor** instead of being refused:
  bookkeepers re-export their whole client list from the accounting system whenever it
  changes, and the import must accept it again to pick up new addresses and e-mails.
  A code may appear only once in a file, though (the second line is an error): which of
  two lines wins would be a guess.
* The file is the client list as the accounting system has it: a text column present in
  the file (name, nip, email, phone, address) sets the field, an empty cell clearing it.
  A column absent from the file leaves that field of existing contractors as it was.
* ``kind`` is ``business``, ``private`` or ``healthcare`` (Polish ``firma``,
  ``konsument``/``osoba prywatna``, ``podmiot leczniczy`` are accepted too): who the
  contractor is in law decides interest, compensation and limitation (``law/``).
* ``language``, ``kind`` and ``subject_to_collection`` left empty take the defaults
  (``pl``, business, yes) for a new contractor but leave an existing contractor's value
  alone: the flag is switched in the app's contractor editor, and a blank cell in a
  re-exported list must not silently put an excluded customer back under collection.
  Changing the flag affects only documents created afterwards (SPEC §3); the import
  touches no document.
* The ``email`` column must exist, but a cell may be empty: the contractor then has no
  address, and the collection rules say "no e-mail address" for its documents. Several
  addresses are separated by ``;`` (inside a quoted value in a comma file) or ``,``
  (in a semicolon file); each is validated, duplicates are dropped, and they are stored
  one per line.
* A code with a line break or another control character is refused (it would name
  another contractor); in a name, a phone or an address they are folded to one space,
  so that nothing imported can start a new line in a log or a command's output.
* "updated" in the summary counts contractors whose data actually changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n import t
from ..ledger.actions import create_contractor, update_contractor
from ..ledger.clock import Clock
from ..ledger.settings import CollectionSettings
from ..ledger.validation import (
    fold_line,
    normalise_nip,
    normalise_vat_eu,
    single_line,
    validate_email,
)
from ..models import Contractor, split_emails
from ..models.contractor import KINDS, LANGUAGES
from .csv_common import (
    FileSpec,
    ImportSummary,
    Outcome,
    Progress,
    Row,
    StrPath,
    parse_bool,
    parse_choice,
    run_import,
)

SPEC = FileSpec.parse(
    "code, name, [nip], email, [phone], [address], [language], [kind], [subject_to_collection],"
    " [vat_eu]"
)


@dataclass(frozen=True)
class ContractorRecord:
    code: str
    fields: dict[str, Any]  # only what the file sets; model defaults fill a new contractor


KIND_WORDS = {
    "business": "business", "firma": "business", "przedsiębiorca": "business",
    "private": "private", "konsument": "private", "osoba prywatna": "private",
    "healthcare": "healthcare", "podmiot leczniczy": "healthcare",
}


def parse_kind(text: str) -> str:
    """Who the contractor is in law, in English or Polish words."""
    kind = KIND_WORDS.get(" ".join(text.lower().split()))
    if kind is None:
        raise ValueError(t("'{value}' is not a kind (use one of {kinds})", value=text,
                           kinds=", ".join(KINDS)))
    return kind


def _emails(row: Row) -> str:
    addresses: list[str] = []
    for text in split_emails(row.value("email")):
        try:
            address = validate_email(text)
        except ValueError as exc:
            row.error("email", str(exc))
            continue
        if address not in addresses:
            addresses.append(address)
    return "\n".join(addresses)


def _parse(row: Row, first_line: dict[str, int]) -> ContractorRecord | None:
    code = row.parse("code", single_line, required=True)
    if code:
        first = first_line.setdefault(code, row.line)
        if first != row.line:
            row.error("code", t("code {code} appears twice in the file (first on line {first})",
                                code=code, first=first))
    fields: dict[str, Any] = {"name": fold_line(row.value("name", required=True)),
                              "emails": _emails(row)}
    if row.has("nip"):
        fields["nip"] = row.parse("nip", normalise_nip)
    if row.has("vat_eu"):  # a company in another EU state: no NIP, still a business
        fields["vat_eu"] = row.parse("vat_eu", normalise_vat_eu) or ""
    for column in ("phone", "address"):
        if row.has(column):
            fields[column] = fold_line(row.value(column))
    language = row.parse("language", parse_choice(LANGUAGES))
    if language is not None:
        fields["language"] = language
    kind = row.parse("kind", parse_kind)
    if kind is not None:
        fields["kind"] = kind
    flag = row.parse("subject_to_collection", parse_bool)
    if flag is not None:
        fields["subject_to_collection"] = flag
    if code is None:  # a missing or invalid code has recorded its error
        return None
    return ContractorRecord(code, fields)


def _store(clock: Clock, record: ContractorRecord, author: str | None) -> Outcome:
    contractor = Contractor.get_or_none(Contractor.code == record.code)
    if contractor is None:
        create_contractor(clock, code=record.code, **record.fields)
        return "created"
    changed = update_contractor(clock, contractor, record.fields, author)
    return "updated" if changed else "unchanged"


def import_contractors(
    path: StrPath, clock: Clock, settings: CollectionSettings,
    progress: Progress | None = None, author: str | None = None,
) -> ImportSummary:
    """Create or update the file's contractors, all of them or none; ``author``: who
    changed them (the person importing when not given).

    ``settings`` is unused (contractors have no collection state of their own); it is
    accepted so that every importer is called the same way.
    """
    first_line: dict[str, int] = {}
    return run_import(
        path,
        SPEC,
        lambda row: _parse(row, first_line),
        lambda record: _store(clock, record, author),
        progress,
    )
