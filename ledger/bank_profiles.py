"""Bank profiles for MT940 statements: which encoding a bank writes and how it structures
the ``:86:`` details (reference §5.2).

Polish banks agree on the MT940 blocks but not on the details: PKO BP and the ZBP-style
exports split ``:86:`` into ``~NN`` subfields, an unnamed bank's format uses ``<``,
Nordea ``+``, and older mBank files write free text with labels (``TYT.:``, ``OD:``).
Encodings differ as well, and a single-byte file decodes without an error in almost any
single-byte encoding, so guessing would turn ``Ś`` into mojibake silently. The encoding
and the separator therefore come from the profile the user names (the setting
``statement.bank_profile`` or ``--profile``); what the file looks like is used only to
*suggest* a profile when the named one does not fit (``importers/mt940.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import t


@dataclass(frozen=True)
class BankProfile:
    name: str
    encoding: str  # a Python codec name
    # What starts a subfield of :86: ("~", "<", "+"); "" for free text with labels.
    separator: str
    description: str

    @property
    def encoding_label(self) -> str:
        """The encoding as people know it (``windows-1250``, not ``cp1250``)."""
        return ENCODING_LABELS.get(self.encoding, self.encoding)


ENCODING_LABELS = {
    "cp1250": "Windows-1250",
    "iso-8859-2": "ISO-8859-2",
    "cp852": "CP852",
    "utf-8-sig": "UTF-8",
}

PROFILES: dict[str, BankProfile] = {
    profile.name: profile
    for profile in (
        BankProfile("pko", "cp1250", "~",
                    "PKO BP iPKO biznes and ZBP-style exports: Windows-1250, ~ subfields"),
        BankProfile("mbank", "iso-8859-2", "",
                    "mBank CompanyNet: ISO-8859-2, free text with TYT.: / Z RACH.: / OD:"),
        BankProfile("cp852", "cp852", "<",
                    "banks describing :86: subfields that start with <: CP852"),
        # The Nordea specification names the + separator but not the encoding; Windows-1250
        # is what Polish Windows exports use (reference §5.2, UNCERTAIN).
        BankProfile("nordea", "cp1250", "+", "Nordea inordbusiness: + subfields, Windows-1250"),
        BankProfile("utf8", "utf-8-sig", "~", "ZBP-style ~ subfields in UTF-8"),
    )
}
DEFAULT_PROFILE = "pko"


class UnknownProfile(ValueError):
    """A profile name that is not in ``PROFILES``."""


def profile_names() -> list[str]:
    return list(PROFILES)


def get_profile(name: str) -> BankProfile:
    """The profile called ``name`` (case-insensitive), or UnknownProfile listing them."""
    profile = PROFILES.get(name.strip().lower())
    if profile is None:
        raise UnknownProfile(t("'{name}' is not a bank profile (use one of: {profiles})",
                                 name=name, profiles=", ".join(PROFILES)))
    return profile


def parse_profile_name(text: str) -> str:
    """The setting's parser: a known profile's name, normalised."""
    return get_profile(text).name
