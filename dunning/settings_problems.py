"""A setting's problem in the reader's words, for the settings screens and ``settings
set|import`` alike.

The parsers (``dunning/settings.py``, ``calendar.py``, ``validation.py``,
``models/money.py``) word their refusals in English; each known one is matched here and
shown through the catalogue, the captured values filled in after translation. A message
not in the table is shown as it is.
"""

from __future__ import annotations

import re

from ..i18n import N_, t

# The parsers' messages (dunning/settings.py, calendar.py, validation.py, money.py) as
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
]


def describe_problem(problem: str) -> str:
    """A parser's message in the interface language, when it is one we know."""
    for pattern, wording in _PROBLEMS:
        match = re.fullmatch(pattern, problem)
        if match:
            return t(wording, **match.groupdict())
    return problem


__all__ = ["describe_problem"]
