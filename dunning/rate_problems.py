"""The refusals of ``dunning.rates`` in the reader's words, for the interest-rate dialog
and the ``rates`` commands alike.

``dunning.rates`` words its refusals in English (its tests and logs read them so); each
known one is matched here and shown through the catalogue, its values (a day, a rate, a
source) carried over. A message not in the table is shown as it is.
"""

from __future__ import annotations

import re

from ..i18n import N_, t

# The messages of dunning/rates.py as patterns; the English wording is the catalogue key
# (never "%" then a space and a letter: pybabel would take it for a %-format).
_PROBLEMS = [
    (r"\"\" is not a rate in percent like 13.75", N_("required")),
    (r"a \w+ rate is fixed for a half-year .*, not on (?P<day>\S+)",
     N_("a commercial rate is fixed for a half-year: it starts on 1 January or 1 July, "
        "not on {day}")),
    (r"a rate of .* is out of range .*", N_("the rate must be more than 0 and less than 100")),
    (r"\"(?P<value>.*)\" is not a rate in percent like 13.75",
     N_("'{value}' is not a rate in percent like 13.75")),
    (r".* has more than 4 decimal places", N_("at most 4 decimal places")),
    (r"\"(?P<value>.*)\" is not a date like 2026-07-01",
     N_("'{value}' is not a date like 2026-07-01")),
    (r"say where the rate comes from .*",
     N_("say where the rate comes from (the Monitor Polski notice or the RPP resolution)")),
    (r"the shipped table already has (?P<rate>\S+) % from (?P<day>\S+); nothing to add",
     N_("the program's table already has {rate}% as of {day}; nothing to add")),
    (r"the shipped table has (?P<rate>\S+) % from (?P<day>\S+) \((?P<source>.*)\)",
     N_("the program's table has {rate}% as of {day} ({source})")),
    (r"the ordinary rate changes only .* up to (?P<day>\S+); a new rate must start after "
     r"that day",
     N_("the program's table lists the ordinary rates up to {day}; a new rate must start "
        "after that day")),
    (r"a \w+ rate from (?P<day>\S+) is already stored \((?P<rate>\S+) %, (?P<source>.*)\)",
     N_("a rate from {day} is already stored ({rate} %, {source})")),
]


def describe_rate_problem(problem: str) -> str:
    """A message of ``dunning.rates`` in the interface language, when it is a known one."""
    for pattern, wording in _PROBLEMS:
        match = re.fullmatch(pattern, problem)
        if match:
            return t(wording, **match.groupdict())
    return problem


__all__ = ["describe_rate_problem"]
