"""What the agency's gateway said, in the reader's words, for ``recovery`` commands and the
recovery screens alike.

``recovery/gateways.py`` words its ``GatewayError`` reasons in English, and
``recovery/sending.py`` stores them in ``RecoveryCase.send_error`` (``refused: …`` for a
refusal not retried by itself) and the worker's log; each known one is matched here when
shown and put through the catalogue (as ``ledger/settings_problems.py`` does for the
settings), the agency's own answer, an address and the system's reason carried over as
written. A message not in the table is shown as it is.
"""

from __future__ import annotations

import re

from ..i18n import N_, language, t
from ..i18n.patterns import reword
from ..ledger.event_words import failure_text
from ..ledger.names import MESSAGE_STATE_NAMES, name_of, os_reason_text

# The reasons of recovery/gateways.py and recovery/sending.py as patterns; the English
# wording is the catalogue key, the captured parts are filled in after translation.
_PROBLEMS = [
    (r"the agency answered HTTP (?P<code>\d+): (?P<detail>.*)",
     N_("the agency answered HTTP {code}: {detail}")),
    (r"the agency answered HTTP (?P<code>\d+)", N_("the agency answered HTTP {code}")),
    (r"no answer from the agency within (?P<seconds>\S+) s",
     N_("no answer from the agency within {seconds} s")),
    (r"cannot reach the agency: (?P<reason>.*)", N_("cannot reach the agency: {reason}")),
    (r"the connection to the agency failed: (?P<reason>.*)",
     N_("the connection to the agency failed: {reason}")),
    (r"the agency's answer is not JSON", N_("the agency's answer is not JSON")),
    (r"the agency accepted the request but gave no case id; check with the agency before "
     r"sending it again",
     N_("the agency accepted the request but gave no case number; check with the agency "
        "before sending it again")),
    (r"set recovery\.api_url: the agency's API address is unknown",
     N_("set recovery.api_url: the agency's API address is unknown")),
    (r"set recovery\.intake_email: the agency's intake address is unknown",
     N_("set recovery.intake_email: the agency's intake address is unknown")),
    (r"e-mail #(?P<id>\d+) (?P<state>[a-z ]+): (?P<error>.*) \(see the outbox\)",
     N_("e-mail #{id} {state}: {error} (see the outbox)")),
    (r"address: (?P<reason>.*)", N_("address: {reason}")),
    (r"unexpected error: (?P<reason>.*)", N_("unexpected error: {reason}")),
]
REFUSED = "refused: "  # recovery/sending.py's mark of a refusal not retried by itself
_CASE = re.compile(r"case (?P<case>\d+): (?P<problem>.*)")


def _value(name: str, text: str) -> str:
    """A captured part in the reader's words: a message's state named, a send failure
    through the outbox's words; the rest as written."""
    if name == "state":
        return name_of(MESSAGE_STATE_NAMES, text.replace(" ", "_"), language())
    if name == "error":
        return failure_text(text, language())
    if name == "reason":
        return os_reason_text(text)
    return text


def describe_gateway_problem(problem: str) -> str:
    """A gateway's reason (as stored or raised) in the interface language."""
    if problem.startswith(REFUSED):
        return t("refused: {problem}",
                 problem=describe_gateway_problem(problem[len(REFUSED):]))
    if match := _CASE.fullmatch(problem):  # a poll's error, "case 3: …"
        return t("case {case}: {problem}", case=match["case"],
                 problem=describe_gateway_problem(match["problem"]))
    return reword(problem, _PROBLEMS, value=_value) or problem


__all__ = ["describe_gateway_problem"]
