"""A reminder or demand as a letter on paper (issue 16, docs/paper-design.md).

A letter says what the e-mail of the same step says, from the same context
(``template_data.message_context``: the same claim, the same figures to the grosz):
its words come from the letter templates (``render.render_letter``: the title, the
paragraphs before the figures and the closing ones), its table, totals, deadline and
payment code from the context. :func:`compose_letter` builds the ``LetterData`` that
``letter_pdf`` draws; it is stored as JSON in the letter's ``Message.raw``
(:func:`letter_json`, :func:`letter_from_json`) — the record of what the letter said,
from which every reprint is drawn identically.

Decisions a careful bookkeeper would expect, where the issue is silent:

- The address lines are the contractor's address as stored: its own lines when it has
  them, else split at commas (``ul. Długa 5, 31-147 Kraków`` → two lines). The
  sender's the same.
- The place in the date line is ``letters.place``, else the town of the company's
  address (what follows its postcode).
- One payment code per letter: the ZBP 2D code for a letter whose figures are all in
  PLN, the EPC code for one all in EUR; a letter in two currencies gets none (one
  transfer cannot pay both). It pays the total claimed, or of a total not fully known
  (a rate not yet announced) the part that is known — the paragraph says the rest.
- Demands are registered letters (the note "Przesyłka polecona" above the address);
  reminders go as ordinary letters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..i18n import words
from ..ledger.names import amount_text
from ..ledger.settings import CollectionSettings
from .letter_pdf import (
    DocumentLine,
    LetterData,
    LetterLabels,
    PaymentCode,
    TotalLine,
    document_lines,
)
from .payment_codes import epc_payload, title_for_documents, zbp_payload
from .render import RenderedLetter

_POSTCODE_TOWN = re.compile(r"\b\d{2}-\d{3}\s+(?P<town>.+)$")


def address_lines(address: str) -> tuple[str, ...]:
    """A stored address as the lines of an envelope: its own lines, else split at
    commas; blank parts dropped."""
    text = address.strip()
    parts = text.splitlines() if "\n" in text else text.split(",")
    return tuple(p.strip() for p in parts if p.strip())


def letter_place(settings: CollectionSettings) -> str:
    """Where the letter is written: ``letters.place``, else the company's town."""
    if settings.letters_place:
        return settings.letters_place
    for line in reversed(address_lines(settings.company_address)):
        match = _POSTCODE_TOWN.search(line)
        if match:
            return match["town"].strip()
    return ""


def letter_labels(language: str) -> LetterLabels:
    w = words(language)
    return LetterLabels(
        nip=w.t("NIP"), account=w.t("Bank account"), document=w.t("Document"),
        issue_date=w.t("Issue date"), due_date=w.t("Due date"),
        outstanding=w.t("Outstanding"), interest=w.t("Interest"),
        compensation=w.t("Compensation"), deadline=w.t("Pay by"), page=w.t("Page"),
        qr_caption=w.t("Scan in your banking app"))


def _totals(totals: Sequence[Mapping[str, Any]], language: str) -> tuple[TotalLine, ...]:
    """Per currency: the principal, the interest and compensation claimed, and the sum
    in bold; a sum with an unknown part is the known part, labelled so."""
    w = words(language)
    lines: list[TotalLine] = []
    for row in payable(totals):
        currency = row["currency"]
        extra = [(w.t("Interest"), row["interest_known"]),
                 (w.t("Compensation"), row["compensation_known"])]
        extra = [(label, value) for label, value in extra if value]
        if extra:
            lines.append(TotalLine(w.t("Principal"),
                                   amount_text(row["outstanding"], currency, language)))
            lines += [TotalLine(label, amount_text(value, currency, language))
                      for label, value in extra]
        label = w.t("Total due") if row["total"] is not None else w.t("Total of known amounts")
        lines.append(TotalLine(label, amount_text(row["total_known"], currency, language),
                               bold=True))
    return tuple(lines)


def payable(totals: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The currencies with a figure to pay. A row of nothing known (a PLN row made only
    for a compensation whose rate is unknown) is left out: its paragraph says it in
    words, and a "0,00 PLN" would be a figure the debtor does not owe."""
    return [row for row in totals if row["total_known"] > 0]


def _payment_code(settings: CollectionSettings, context: Mapping[str, Any]
                  ) -> PaymentCode | None:
    """The code paying the letter's total (see the module's text), or None."""
    totals = payable(context["totals"])
    if len(totals) != 1 or not settings.company_bank_account:
        return None
    row = totals[0]
    numbers = [d["number"] for d in context["documents"]]
    amount: Decimal = row["total_known"]
    try:
        if row["currency"] == "PLN":
            payload = zbp_payload(settings.company_nip, settings.company_bank_account, amount,
                                  settings.company_name, title_for_documents(numbers))
            return PaymentCode("zbp", payload)
        if row["currency"] == "EUR":
            payload = epc_payload(settings.company_name, settings.company_bank_account, amount,
                                  title_for_documents(numbers, limit=140))
            return PaymentCode("epc", payload)
    except ValueError:
        # A NIP or account the code cannot carry: the letter still prints its account,
        # which check_letter verifies and refuses by name when it is wrong.
        return None
    return None


def compose_letter(settings: CollectionSettings, context: Mapping[str, Any],
                   rendered: RenderedLetter, language: str) -> LetterData:
    """The letter of a reminder or demand context (``message_context``) in ``language``,
    its words ``rendered`` from the letter templates."""
    w = words(language)
    contractor, sender = context["contractor"], context["sender"]
    demand = context["kind"] == "demand"
    signature = tuple(line for line in (sender["sender_name"], sender["company_name"]) if line)
    return LetterData(
        sender_name=settings.company_name,
        sender_address=address_lines(settings.company_address),
        sender_nip=settings.company_nip,
        sender_account=settings.company_bank_account,
        place=letter_place(settings),
        date=context["today"],
        recipient_name=contractor["name"],
        recipient_address=address_lines(contractor["address"]),
        title=rendered.title,
        paragraphs=rendered.paragraphs,
        labels=letter_labels(language),
        documents=document_lines(context["documents"], language, unknown=w.t("unknown")),
        totals=_totals(context["totals"], language),
        deadline=context["deadline"] if demand else None,
        payment_code=_payment_code(settings, context),
        closing=rendered.closing,
        signature=("", *signature),
        notes=(w.t("Registered letter"),) if demand else (),
    )


def letter_file_name(data: LetterData) -> str:
    """A file name for one letter, without the extension: its title and first document
    (``WEZWANIE-DO-ZAPŁATY-NR-2-FV-2026-11-0084``), letters and digits only."""
    first = data.documents[0].number if data.documents else ""
    return re.sub(r"[^\w]+", "-", f"{data.title} {first}").strip("-")[:80] or "letter"


# --- stored as JSON -------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def letter_json(data: LetterData) -> str:
    """The letter as the JSON stored in its message (sorted keys, UTF-8 kept)."""
    return json.dumps(_plain(data), ensure_ascii=False, sort_keys=True)


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def letter_from_json(text: str) -> LetterData:
    """The ``LetterData`` stored by :func:`letter_json`."""
    raw: dict[str, Any] = json.loads(text)
    code = raw.get("payment_code")
    lines: dict[str, Any] = {key: tuple(raw[key]) for key in (
        "sender_address", "recipient_address", "paragraphs", "closing", "signature", "notes")}
    plain: dict[str, Any] = {key: raw[key] for key in (
        "sender_name", "sender_nip", "sender_account", "place", "recipient_name", "title",
        "needs_account")}
    return LetterData(
        **lines, **plain,
        date=dt.date.fromisoformat(raw["date"]),
        deadline=_day(raw.get("deadline")),
        labels=LetterLabels(**raw["labels"]),
        documents=tuple(DocumentLine(**row) for row in raw["documents"]),
        totals=tuple(TotalLine(**row) for row in raw["totals"]),
        payment_code=None if code is None else PaymentCode(code["kind"], code["payload"]),
    )
