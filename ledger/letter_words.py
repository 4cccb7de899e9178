"""Why a letter cannot be printed, in the reader's words (issue 16).

``letter_pdf.check_letter`` names the field of a refused letter and the reason in English
(``recipient_address[2]: '…' is 80 mm wide; the envelope's window shows 75 mm``), which a
failed letter keeps as its ``last_error`` (``letter: …``). Here the field is said as a
person knows it (*the contractor's address, line 3*) and the usual reasons are worded;
the Outbox, ``status`` and the print queue all say it through ``event_words.failure_text``.
"""

from __future__ import annotations

import re

from ..i18n import N_, Words, words

#: The fields ``letter_pdf.check_letter`` names, by the words a person knows them by.
FIELD_NAMES = {
    "recipient_name": N_("the contractor's name"),
    "recipient_address": N_("the contractor's address"),
    "sender_name": N_("the company's name (Settings)"),
    "sender_address": N_("the company's address (Settings)"),
    "sender_nip": N_("the company's NIP and account line (Settings)"),
    "sender_account": N_("the company's bank account (Settings)"),
    "payment_code": N_("the payment code"),
    "notes": N_("the note above the address"),
    "title": N_("the title"),
    "paragraphs": N_("the text"),
    "closing": N_("the closing text"),
}
# Problems are joined by "; ", which a reason may hold too: a new one starts with a field.
_PROBLEMS = re.compile(r"; (?=[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)?: )")
_FIELD = re.compile(r"^(?P<name>[a-z_]+)(?:\[(?P<line>\d+)\])?(?:\.[a-z_]+)?$")
#: The reasons ``check_letter`` gives, in the reader's words (others as written).
REASON_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), wording) for pattern, wording in (
        (r"^missing$", N_("missing")),
        (r"^missing; .* needs it$", N_("missing, and the letter needs it")),
        (r"^'(?P<shown>.*)' is (?P<mm>\d+) mm wide; the envelope's window shows (?P<max>\d+) mm$",
         N_("'{shown}' is {mm} mm wide; the envelope's window shows {max} mm")),
        (r"^a word is (?P<mm>\d+) mm wide; the envelope's window shows (?P<max>\d+) mm$",
         N_("a word is {mm} mm wide; the envelope's window shows {max} mm")),
        (r"^(?P<count>\d+) characters; a name may have at most (?P<max>\d+) .*$",
         N_("{count} characters; a name may have at most {max}")),
        (r"^takes (?P<count>\d+) lines in the envelope's window; a name may take at most "
         r"(?P<max>\d+)$", N_("takes {count} lines in the envelope's window; at most {max}")),
        (r"^the name and address take (?P<count>\d+) lines; the envelope's window holds "
         r"(?P<max>\d+)$", N_("the name and address take {count} lines; the envelope's "
                               "window holds {max}")),
        (r"^the letter's font has no (?P<chars>.*)$", N_("the letter's font has no {chars}")),
        (r"^'(?P<shown>.*)' is wider than the page$", N_("'{shown}' is wider than the page")),
    ))


def _field_words(field: str, w: Words) -> str:
    match = _FIELD.match(field)
    if match is None or match["name"] not in FIELD_NAMES:
        return field
    name = w.t(FIELD_NAMES[match["name"]])
    if match["line"] and match["name"] in ("recipient_address", "sender_address", "notes"):
        return w.t("{field}, line {line}", field=name, line=match["line"])
    return name


def _reason_words(reason: str, w: Words) -> str:
    for pattern, wording in REASON_FORMS:
        if m := pattern.match(reason):
            return w.t(wording, **m.groupdict())
    return reason


def letter_failure_text(text: str, language: str) -> str | None:
    """A failed letter's ``last_error`` (``letter: recipient_address[2]: '…' is 80 mm
    wide; …``) with its fields and the usual reasons in words; a template's or the
    registry's failure as it was written, after its kind."""
    w = words(language)
    kind, _, rest = text.partition(": ")
    if kind == "letter":
        parts = []
        for problem in _PROBLEMS.split(rest):
            field, _, reason = problem.partition(": ")
            parts.append(f"{_field_words(field, w)}: {_reason_words(reason, w)}" if reason
                         else problem)
        return "; ".join(parts)
    if kind == "registry":
        return w.t("the debtor registry: {problem}", problem=rest)
    return None
