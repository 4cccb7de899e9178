"""Contractors: the searchable list and the editor's checks and save.

The list is ordered by code (the unique index ``contractor_code`` walks it) and pages
through any number of contractors (``listing.py``). A search matches the code, name,
NIP and e-mail addresses with case and accents folded; a search that matches few
contractors is read at once instead of walking the code index to fill a page.

The editor's fields are checked here, not in the screen, so that every message is
tied to its field and nothing is stored while one is wrong. The editor keeps the
contractor's version from when it read the form, and a save is refused
(``ChangedMeanwhile``) when someone else saved the contractor meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..dunning.planner import CONTRACTOR_COLUMNS, ContractorRow
from ..ledger.actions import create_contractor, update_contractor
from ..ledger.clock import Clock
from ..ledger.validation import fold_line, normalise_nip, normalise_vat_eu, validate_email
from ..models import Contractor, split_emails
from ..models.contractor import KINDS, LANGUAGES
from .paging import SNAPSHOT_LIMIT, KeysetWindow, Listing, text_match

SEARCHED = ("contractor.code", "contractor.name", "contractor.nip", "contractor.emails")


def contractor_listing(search: str = "") -> Listing[ContractorRow]:
    where = "1 = 1"
    params: list[object] = []
    if search.strip():
        where, params = text_match(SEARCHED, search.strip())
    return Listing(
        columns=", ".join(f"contractor.{c}" for c in CONTRACTOR_COLUMNS),
        tables="contractor",
        order=("contractor.code", "contractor.id"),
        make_row=ContractorRow.from_columns,
        key_of=lambda row: (row.code, row.id),
        where=where,
        params=tuple(params),
    )


def contractor_window(search: str = "") -> KeysetWindow[ContractorRow]:
    """The (not yet loaded) window over the contractors matching ``search``."""
    return KeysetWindow(contractor_listing(search),
                        snapshot_limit=SNAPSHOT_LIMIT if search.strip() else 0)


def contractor_position(search: str, code: str, contractor_id: int) -> int:
    """Where a contractor stands in the list for ``search`` (to put the cursor on it)."""
    return contractor_listing(search).position((code, contractor_id))


# -- the editor ------------------------------------------------------------------------
FIELDS = ("code", "name", "nip", "vat_eu", "address", "emails", "phone", "language",
          "subject_to_collection", "registry_email_allowed")


@dataclass(frozen=True)
class ContractorForm:
    """What the editor holds, as typed. ``emails`` one address per line, or separated
    by ``;`` or ``,``."""

    code: str = ""
    name: str = ""
    nip: str = ""
    vat_eu: str = ""  # a company in another EU state: no NIP, still a business
    address: str = ""
    emails: str = ""
    phone: str = ""
    language: str = "pl"
    kind: str = "business"
    subject_to_collection: bool = True
    # The contract allows the debtor-registry warning by e-mail (art. 15 ust. 1a; issue 16).
    registry_email_allowed: bool = False

    @classmethod
    def of(cls, contractor: Contractor) -> ContractorForm:
        return cls(
            code=contractor.code, name=contractor.name, nip=contractor.nip or "",
            vat_eu=contractor.vat_eu or "", address=contractor.address,
            emails="\n".join(contractor.email_list), phone=contractor.phone,
            language=contractor.language, kind=contractor.kind,
            subject_to_collection=contractor.subject_to_collection,
            registry_email_allowed=contractor.registry_email_allowed,
        )


def load_for_editing(contractor_id: int) -> tuple[ContractorForm, int]:
    """The form and the version it was read at, from one read of the row (two reads
    could pair old values with a newer version, and a save would then overwrite)."""
    contractor = Contractor.get_by_id(contractor_id)
    return ContractorForm.of(contractor), contractor.version


@dataclass
class Checked:
    """The fields ready to store, or the problems by field name (English sentences;
    the screen words them)."""

    fields: dict[str, object] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_contractor(form: ContractorForm, contractor_id: int | None = None) -> Checked:
    """Every field checked at once, so that the editor can show every problem."""
    checked = Checked()
    # A name, an address, a phone: line breaks and control characters folded to a space;
    # a code holding one is refused (ledger/validation.py).
    code, name = form.code.strip(), fold_line(form.name)
    code_problem = _code_problem(code, contractor_id)
    if code_problem:
        checked.problems["code"] = code_problem
    if not name:
        checked.problems["name"] = "required"
    nip: str | None = None
    if form.nip.strip():
        try:
            nip = normalise_nip(form.nip)
        except ValueError:
            checked.problems["nip"] = "nip"
    vat_eu = ""
    if form.vat_eu.strip():
        try:
            vat_eu = normalise_vat_eu(form.vat_eu)
        except ValueError:
            checked.problems["vat_eu"] = "vat_eu"
    emails, bad_address = _checked_emails(form.emails)
    if bad_address is not None:
        checked.problems["emails"] = "email:" + bad_address
    if form.language not in LANGUAGES:
        checked.problems["language"] = "language"
    if form.kind not in KINDS:
        checked.problems["kind"] = "kind"
    checked.fields = {
        "code": code, "name": name, "nip": nip, "vat_eu": vat_eu,
        "address": fold_line(form.address),
        "emails": "\n".join(emails), "phone": fold_line(form.phone),
        "language": form.language, "kind": form.kind,
        "subject_to_collection": form.subject_to_collection,
        # Never for a consumer: the act has no e-mail route for one (docs/registry.md §3).
        "registry_email_allowed": form.registry_email_allowed and form.kind != "private",
    }
    return checked


def _code_problem(code: str, contractor_id: int | None) -> str | None:
    """Why the code cannot be saved (required, control, duplicate), or None."""
    if not code:
        return "required"
    if code != fold_line(code):
        return "control"
    if Contractor.select().where(
        (Contractor.code == code) & (Contractor.id != (contractor_id or 0))
    ).exists():
        return "duplicate"
    return None


def _checked_emails(text: str) -> tuple[list[str], str | None]:
    """The addresses, each checked, up to the first one that is not an address (the
    second value; None when all are)."""
    emails = []
    for address in split_emails(text):
        try:
            emails.append(validate_email(address))
        except ValueError:
            return emails, address
    return emails, None


def save_contractor(
    clock: Clock, form: ContractorForm, contractor_id: int | None = None,
    seen_version: int | None = None, author: str | None = None,
) -> tuple[Checked, Contractor | None]:
    """Check and store; nothing is stored when a field is wrong. Returns the check and
    the stored contractor (``None`` when refused).

    ``seen_version``: the version ``load_for_editing`` gave; when the contractor was
    saved by someone else since, ``ChangedMeanwhile`` is raised and nothing is stored."""
    checked = check_contractor(form, contractor_id)
    if not checked.ok:
        return checked, None
    if contractor_id is None:
        try:
            return checked, create_contractor(clock, **checked.fields)
        except Exception as exc:
            # The unique index on code has the last word when two people save at once.
            if Contractor.select().where(Contractor.code == checked.fields["code"]).exists():
                checked.problems["code"] = "duplicate"
                return checked, None
            raise exc
    update_contractor(clock, contractor_id, checked.fields, author=author,
                      expected_version=seen_version)
    return checked, Contractor.get_by_id(contractor_id)
