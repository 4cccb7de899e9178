"""A setting's problem in the reader's words, for the settings screens and ``settings
set|import`` alike.

The parsers (``ledger/settings.py``, ``calendar.py``, ``validation.py``,
``models/money.py``) word their refusals in English; each known one is matched here and
shown through the catalogue, the captured values filled in after translation. A message
not in the table is shown as it is.
"""

from __future__ import annotations

import re

from ..i18n import N_, t
from ..i18n.patterns import reword

# The parsers' messages (ledger/settings.py, calendar.py, validation.py, money.py) as
# patterns: the English source text of each is the catalogue key, the captured parts
# are filled in after translation.
_PROBLEMS = [
    (r"'' is not (a|an) .*", N_("required")),
    (r"'(?P<value>.*)' is not a whole number", N_("'{value}' is not a whole number")),
    (r"must be between (?P<low>\d+) and (?P<high>\d+)", N_("must be between {low} and {high}")),
    (r"must not be negative", N_("must not be negative")),
    (r"'(?P<value>.*)' is not an amount.*",
     N_("'{value}' is not an amount (use 1234.56 or 1 234,56)")),
    (r"(?P<value>.*) has more than two decimal places",
     N_("{value} has more than two decimal places")),
    (r"'(?P<value>.*)' is not a time.*", N_("'{value}' is not a time (use HH:MM, e.g. 09:00)")),
    (r"NIP '(?P<value>.*)' is not valid.*", N_("NIP '{value}' is not valid (checksum or length)")),
    (r"e-mail '(?P<value>.*)' is not valid: (?P<reason>.*)",
     N_("e-mail '{value}' is not valid: {reason}")),
    (r"at least one weekday must be chosen", N_("choose at least one day")),
    (r"'(?P<value>.*)' is not a language.*", N_("'{value}' is not a language (use pl or en)")),
    (r"is required", N_("required")),
    (r"is required for the report", N_("required when the report is switched on")),
    (r"'(?P<value>.*)' is not yes/no.*",
     N_("'{value}' is not yes/no (use 1/0, yes/no, true/false, tak/nie)")),
    (r"unknown time zone '(?P<value>.*)' .*",
     N_("unknown time zone '{value}' (e.g. Europe/Warsaw)")),
    (r"'(?P<value>.*)' is not a gateway.*", N_("'{value}' is not a gateway (use email or http)")),
    (r"'(?P<value>.*)' must start with http:// or https://",
     N_("'{value}' must start with http:// or https://")),
    (r"'(?P<value>.*)' is not a number of seconds", N_("'{value}' is not a number of seconds")),
    (r"must be more than 0 and at most 300 seconds",
     N_("must be more than 0 and at most 300 seconds")),
    (r"unknown setting", N_("unknown setting")),
    (r"'(?P<value>.*)' is not a full folder path.*",
     N_("'{value}' is not a full folder path (start it with / or ~)")),
    (r"'(?P<value>.*)' is not a full file path.*",
     N_("'{value}' is not a full file path (start it with / or ~)")),
]


# Why the e-mail library (email_validator) refuses an address, the common reasons: the
# rest stay as the library words them.
_EMAIL_REASONS = [
    (r"An email address must have an @-sign\.", N_("it has no @ sign")),
    (r"There must be something before the @-sign\.", N_("nothing before the @ sign")),
    (r"There must be something after the @-sign\.", N_("nothing after the @ sign")),
    (r"The part after the @-sign is not valid\. It should have a period\.",
     N_("the part after the @ sign has no dot")),
    (r"The part after the @-sign is not valid\. It is not within a valid top-level domain\.",
     N_("the part after the @ sign does not end in a valid top-level domain")),
    (r"The part after the @-sign is a special-use or reserved name that cannot be used with "
     r"email\.", N_("the part after the @ sign is a reserved name that e-mail cannot use")),
    (r"An email address cannot have two periods in a row\.", N_("two dots in a row")),
    (r"An email address cannot (?:start|end) with a (?:period|hyphen)\.|An email address "
     r"cannot have a (?:period|hyphen) immediately (?:before|after) the @-sign\.",
     N_("a dot or a hyphen where it cannot be (at the start, the end or next to the @ sign)")),
    (r"The email address contains invalid characters before the @-sign: (?P<chars>.*)\.",
     N_("characters not allowed before the @ sign: {chars}")),
    (r"The part after the @-sign contains invalid characters: (?P<chars>.*)\.",
     N_("characters not allowed after the @ sign: {chars}")),
    (r"There can't be anything after the email address\.",
     N_("something follows the address")),
    (r"The email address is too long.*", N_("the address is too long")),
]


def describe_problem(problem: str) -> str:
    """A parser's message in the interface language, when it is one we know."""
    match = re.fullmatch(r"e-mail '(?P<value>.*)' is not valid: (?P<reason>.*)", problem)
    if match:  # the library's reason too
        reason = reword(match["reason"], _EMAIL_REASONS) or match["reason"]
        return t("e-mail '{value}' is not valid: {reason}", value=match["value"], reason=reason)
    worded = reword(problem, _PROBLEMS)
    return problem if worded is None else worded


__all__ = ["describe_problem"]
