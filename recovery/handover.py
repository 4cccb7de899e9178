"""What the *Recover money* screens ask of the database and of the rules, without Textual.

The screens (``tui/screens/recovery/``) walk a bookkeeper through SPEC §8; the checks
and look-ups they need live here so that they can be tested without an interface and so
that no screen builds a query.

Decisions written down:

* **The debtor's data** is checked as the agency will use it: a name and an address are
  required (a demand for payment and a court claim need both); a business debtor needs
  a NIP with a valid checksum, or — a company registered in another EU state — an EU VAT
  number valid by that state's rules (``stdnum.eu.vat``); a private person has neither;
  the e-mail and the phone are optional, but checked when given. Problems come back as
  codes per field, so that the interface says them in its own language.
* **Business or private person** is the contractor's kind in law (``contractor.kind``,
  the contractor editor's *In law*), never guessed from a missing Polish NIP: a foreign
  company has none and is still a business.
* **The open order** is the one in the database (``finished_at IS NULL``) for the agency,
  not something the interface keeps: it survives moving around the app, a restart, and
  a second bookkeeper adding a case to it.
* **The authorised person** needs a name and a valid e-mail (the agency sends the
  agreement there); the phone is checked when given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..ledger.validation import normalise_nip, normalise_vat_eu, validate_email
from ..models import Contractor, RecoveryCase, RecoveryOrder
from .cases import Debtor

PHONE = re.compile(r"^\+?[0-9 ()\-]+$")
PHONE_DIGITS = (7, 15)  # E.164 allows 15; shorter ones are extensions or typos


@dataclass(frozen=True)
class Person:
    """The person authorised to conclude the agreement with the agency."""

    name: str
    position: str
    email: str
    phone: str


def debtor_of(contractor: Contractor) -> Debtor:
    """The contractor's data as the first draft of the case's debtor: a business or a
    private person as its kind in law says (a public healthcare entity is not a
    consumer), whether or not it has a Polish NIP."""
    emails = contractor.email_list
    return Debtor(
        name=contractor.name, nip=contractor.nip or "", address=contractor.address or "",
        email=emails[0] if emails else "", phone=contractor.phone or "",
        business=contractor.kind != "private", vat_eu=contractor.vat_eu or "",
    )


def _phone_problem(phone: str) -> str | None:
    if not phone:
        return None
    digits = sum(ch.isdigit() for ch in phone)
    if not PHONE.match(phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        return "phone_invalid"
    return None


def _email_problem(email: str, required: bool) -> tuple[str, str | None]:
    if not email:
        return email, "required" if required else None
    try:
        return validate_email(email), None
    except ValueError:
        return email, "email_invalid"


def check_debtor(debtor: Debtor) -> tuple[Debtor, dict[str, str]]:
    """The debtor with NIP, EU VAT number and e-mail normalised, and the problems by
    field (``name``, ``nip``, ``vat_eu``, ``address``, ``email``, ``phone``): codes
    ``required``, ``nip_invalid``, ``nip_required``, ``vat_eu_invalid``,
    ``email_invalid``, ``phone_invalid``."""
    problems: dict[str, str] = {}
    name, address = debtor.name.strip(), debtor.address.strip()
    if not name:
        problems["name"] = "required"
    if not address:
        problems["address"] = "required"
    nip, vat_eu = debtor.nip.strip(), debtor.vat_eu.strip()
    if debtor.business:
        if not nip and not vat_eu:
            problems["nip"] = "nip_required"
        if nip:
            try:
                nip = normalise_nip(nip)
            except ValueError:
                problems["nip"] = "nip_invalid"
        if vat_eu:
            try:
                vat_eu = normalise_vat_eu(vat_eu)
            except ValueError:
                problems["vat_eu"] = "vat_eu_invalid"
    else:
        # A private person has neither; a stale number must not reach the agency.
        nip = vat_eu = ""
    email, phone = _check_contact(debtor.email, debtor.phone, problems, email_required=False)
    cleaned = replace(debtor, name=name, nip=nip, vat_eu=vat_eu, address=address,
                      email=email, phone=phone)
    return cleaned, problems


def _check_contact(email: str, phone: str, problems: dict[str, str], *,
                   email_required: bool) -> tuple[str, str]:
    """The e-mail and phone trimmed (the e-mail normalised); their problems added to
    ``problems`` under ``email`` and ``phone``."""
    email, problem = _email_problem(email.strip(), required=email_required)
    if problem:
        problems["email"] = problem
    phone = phone.strip()
    if problem := _phone_problem(phone):
        problems["phone"] = problem
    return email, phone


def check_person(person: Person) -> tuple[Person, dict[str, str]]:
    """The authorised person normalised, and the problems by field (``name``,
    ``position``, ``email``, ``phone``), with the codes of ``check_debtor``."""
    problems: dict[str, str] = {}
    name = person.name.strip()
    if not name:
        problems["name"] = "required"
    email, phone = _check_contact(person.email, person.phone, problems, email_required=True)
    return Person(name, person.position.strip(), email, phone), problems


def find_open_order(agency: str) -> RecoveryOrder | None:
    """The agency's order still taking cases (the newest, should there be two)."""
    return (RecoveryOrder.select()
            .where((RecoveryOrder.agency == agency) & RecoveryOrder.finished_at.is_null())
            .order_by(RecoveryOrder.id.desc()).first())


def order_cases(order: RecoveryOrder) -> list[RecoveryCase]:
    """The order's cases with their contractors, in the order they were added."""
    return list(RecoveryCase.select(RecoveryCase, Contractor)
                .join(Contractor, on=RecoveryCase.contractor == Contractor.id)
                .where(RecoveryCase.order == order.id).order_by(RecoveryCase.id))


__all__ = ["Person", "check_debtor", "check_person", "debtor_of", "find_open_order",
           "order_cases"]
