"""Checks on what people type or import: NIP checksums and e-mail syntax."""

from __future__ import annotations

from email_validator import EmailNotValidError
from email_validator import validate_email as _validate_email
from stdnum.exceptions import ValidationError
from stdnum.pl import nip as stdnum_nip


def normalise_nip(text: str) -> str:
    """Ten digits with a valid checksum (``PL``, dashes and spaces are accepted)."""
    compact = text.strip().upper().removeprefix("PL")
    try:
        return stdnum_nip.validate(compact)
    except ValidationError:
        raise ValueError(f"NIP '{text.strip()}' is not valid (checksum or length)") from None


def validate_email(text: str) -> str:
    """The address normalised, or ValueError with the reason. No DNS look-up."""
    try:
        return _validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"e-mail '{text.strip()}' is not valid: {exc}") from None
