"""The refusals of ``ledger.rates`` in the reader's words, for the interest-rate dialog
and the ``rates`` commands alike.

``ledger.rates`` words its refusals in English (its tests and logs read them so); each
known one is matched here and shown through the catalogue, its values (a day, a rate, a
source) carried over. A message not in the table is shown as it is.
"""

from __future__ import annotations

import datetime as dt

from ..i18n import N_, language, t
from ..i18n.patterns import reword
from .names import INTEREST_KIND_NAMES, day_text, os_reason_text
from .rates import source_text

# The messages of ledger/rates.py as patterns; the English wording is the catalogue key
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
    # A stored rate that contradicts this release's table (ledger.rates.interest_table):
    # its inner problem is one of the two above, worded in turn.
    (r"the stored (?P<kind>\w+) interest rate of (?P<rate>\S+) % from (?P<day>\S+) "
     r"\(added by (?P<author>.*?): (?P<source>.*)\) conflicts with this release: "
     r"(?P<problem>.*)\. If the shipped figure is right, remove the stored one: "
     r"(?P<command>windykacja rates remove-interest \S+ \S+)",
     N_("the added {kind} rate of {rate}% as of {day} ({author}: {source}) contradicts "
        "this version of the program: {problem}. If the program's figure is right, remove "
        "the added one: '{command}'")),
    # The EUR rate's checks (law/eur_rates.py), as 'rates add-eur' meets them.
    (r"\"(?P<value>.*)\" is not a month like 2025-03", N_("'{value}' is not a month like 2025-03")),
    (r"\"(?P<value>.*)\" is not a number", N_("'{value}' is not a number")),
    (r"(?P<value>.*) is not a rate in PLN per euro \(more than 0, less than (?P<limit>\S+)\)",
     N_("{value} is not a rate in PLN per euro (more than 0, less than {limit})")),
    (r".* has more than 4 decimal places; NBP publishes .*",
     N_("at most 4 decimal places (NBP publishes the EUR rate with 4)")),
    (r"\"(?P<value>.*)\" is not a date like 2025-03-31",
     N_("'{value}' is not a date like 2025-03-31")),
    (r"the table of (?P<day>\S+) is not in (?P<month>\S+); the rate of a month is the table of "
     r"its last business day",
     N_("the table of {day} is not from {month}: a month's rate is the table of its last "
        "business day")),
    (r"\"(?P<value>.*)\" is not a table-A number like 252/A/NBP/2024",
     N_("'{value}' is not a table A number like 252/A/NBP/2024")),
    (r"table (?P<value>\S+) is of (?P<year>\d+), but dated (?P<day>\S+)",
     N_("table {value} is from {year}, but dated {day}")),
    (r"say where the rate was read \(the NBP table\)",
     N_("say where the rate was read (the NBP table)")),
    (r"(?P<month>\S+) already has a stored rate (?P<rate>\S+) \(table (?P<table>\S+)\); "
     r"replace it explicitly if it is wrong",
     N_("{month} already has a stored rate {rate} (table {table}); if it is wrong, replace "
        "it with --replace")),
    # Asking NBP for the EUR rates (ledger.rates.refresh_eur_rates): the address first.
    (r"(?P<url>\S+): NBP answered HTTP (?P<code>\d+) (?P<reason>.*)",
     N_("{url}: NBP answered HTTP {code} {reason}")),
    (r"(?P<url>\S+): no answer within (?P<seconds>\S+) s",
     N_("{url}: no answer within {seconds} s")),
    (r"(?P<url>\S+): cannot connect \((?P<reason>.*)\)", N_("{url}: cannot connect ({reason})")),
    (r"(?P<url>\S+): the connection failed \((?P<reason>.*)\)",
     N_("{url}: the connection failed ({reason})")),
    (r"(?P<url>\S+): the answer is not JSON", N_("{url}: the answer is not JSON")),
    (r"(?P<url>\S+): the answer has no list of rates",
     N_("{url}: the answer has no list of rates")),
    (r"(?P<url>\S+): the answer is for (?P<code>.*), not EUR",
     N_("{url}: the answer is for {code}, not EUR")),
    (r"(?P<url>\w+://\S+): (?P<problem>.*)", N_("{url}: {problem}")),  # a rate NBP gave, checked
]


def _value(name: str, text: str) -> str:
    """A captured value in the reader's notation: a day as 01.07.2026, a rate as 13,75 in
    Polish, a kind of interest in words; the rest as written."""
    if name == "day":
        try:
            return day_text(dt.date.fromisoformat(text))
        except ValueError:
            return text
    if name == "rate" and language() == "pl":
        return text.replace(".", ",")
    if name == "kind" and text in INTEREST_KIND_NAMES:
        return t(INTEREST_KIND_NAMES[text])
    if name == "problem":
        return describe_rate_problem(text)
    if name == "source":
        return source_text(text)
    if name == "reason":
        return os_reason_text(text)
    return text


def describe_rate_problem(problem: str) -> str:
    """A message of ``ledger.rates`` in the interface language, when it is a known one."""
    return reword(problem, _PROBLEMS, value=_value) or problem


__all__ = ["describe_rate_problem"]
