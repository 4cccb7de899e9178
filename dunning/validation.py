"""Checks on what people type or import: NIP and EU VAT checksums and e-mail syntax."""

from __future__ import annotations

from email_validator import EmailNotValidError
from email_validator import validate_email as _validate_email
from stdnum.eu import vat as stdnum_vat
from stdnum.exceptions import ValidationError
from stdnum.pl import nip as stdnum_nip


def normalise_nip(text: str) -> str:
    """Ten digits with a valid checksum (``PL``, dashes and spaces are accepted)."""
    compact = text.strip().upper().removeprefix("PL")
    try:
        return stdnum_nip.validate(compact)
    except ValidationError:
        raise ValueError(f"NIP '{text.strip()}' is not valid (checksum or length)") from None


def normalise_vat_eu(text: str) -> str:
    """The EU VAT number of a company in another member state, compact with its
    country prefix (``CZ 123 456 78`` → ``CZ12345678``), checked by that state's rules
    (``stdnum.eu.vat``). A Polish company is refused here: it has a NIP."""
    typed = text.strip()
    try:
        compact = stdnum_vat.compact(typed)
    except ValidationError:
        compact = typed.upper()
    prefix = compact[:2].lower()
    if prefix == "pl":
        raise ValueError(f"'{typed}' is a Polish number: enter it as the NIP")
    if prefix not in stdnum_vat.MEMBER_STATES | {"el"}:  # Greece writes EL
        raise ValueError(f"EU VAT number '{typed}' must start with the code of an EU "
                         "country (CZ, DE, LT …)")
    try:
        return stdnum_vat.validate(compact)
    except ValidationError:
        raise ValueError(f"EU VAT number '{typed}' is not valid (checksum or length)") from None


def validate_email(text: str) -> str:
    """The address normalised, or ValueError with the reason. No DNS look-up."""
    try:
        return _validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"e-mail '{text.strip()}' is not valid: {exc}") from None
