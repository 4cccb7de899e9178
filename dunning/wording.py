"""The words for steps and reasons, in Polish and English, shared by every output."""

from __future__ import annotations

from decimal import Decimal

from ..models.money import format_amount
from .policy import NoStep, Step

REASONS = {
    "module_off": ("moduł windykacji jest wyłączony", "collection module is off"),
    "excluded": ("dokument wyłączony z windykacji", "document excluded from collection"),
    "contractor_excluded": ("kontrahent wyłączony z windykacji", "contractor excluded"),
    "in_recovery": ("w sprawie windykacyjnej {case}", "in recovery case {case}"),
    "paid": ("rozliczony", "paid in full"),
    "no_email": ("brak adresu e-mail", "no e-mail address"),
    "finished": ("windykacja zakończona {on}", "collection finished on {on}"),
    "message_pending": (
        "wiadomość {message} czeka w skrzynce nadawczej ({state})",
        "message {message} waiting in the outbox ({state})",
    ),
    "demands_off": ("wezwania są wyłączone", "demands are switched off"),
    "max_demands": ("wysłano wezwań: {sent} z {max}", "{sent} of {max} demands sent"),
    "below_demand_minimum": (
        "poniżej minimum wezwania {minimum}",
        "below the demand minimum of {minimum}",
    ),
    "no_allowed_day": ("brak dozwolonego dnia wysyłki", "no allowed sending day"),
    "statement_stale": (
        "wezwania wstrzymane: najnowszy wyciąg bankowy jest z {on} (starszy niż {days} dni)",
        "demands held: the newest bank statement is from {on}, older than {days} days",
    ),
}


EVENT_NAMES = {
    "reminder_sent": ("wysłano przypomnienie", "reminder sent"),
    "demand_sent": ("wysłano wezwanie", "demand sent"),
    "send_failed": ("błąd wysyłki", "send failed"),
    "note": ("notatka", "note"),
    "flag_changed": ("zmiana „podlega windykacji”", "flag changed"),
    "payment_recorded": ("zapisano wpłatę", "payment recorded"),
    "payment_removed": ("usunięto wpłatę", "payment removed"),
    "collection_finished": ("koniec windykacji", "collection finished"),
    "collection_resumed": ("wznowiono windykację", "collection resumed"),
    "report_sent": ("wysłano raport", "report sent"),
    "message_marked_sent": ("oznaczono jako wysłaną", "marked as sent"),
    "handed_to_agency": ("przekazano do windykacji", "handed to agency"),
    "agency_status": ("status sprawy", "agency status"),
    "document_corrected": ("faktura korygująca", "corrected by an invoice"),
}


def describe_event_kind(kind: str, language: str = "en") -> str:
    polish, english = EVENT_NAMES.get(kind, (kind, kind))
    return polish if language == "pl" else english


def _amount(value: Decimal, language: str) -> str:
    """Polish ``1 234,56 PLN``; English ``1,234.56 PLN``."""
    return format_amount(value) if language == "pl" else f"{value:,.2f} PLN"


def describe_reason(reason: NoStep, language: str = "en") -> str:
    polish, english = REASONS[reason.code]
    params = {
        key: _amount(value, language) if isinstance(value, Decimal) else value
        for key, value in reason.params.items()
    }
    return (polish if language == "pl" else english).format(**params)


def describe_step(step: Step, language: str = "en") -> str:
    if language == "pl":
        what = "przypomnienie" if step.kind == "reminder" else f"wezwanie {step.number}"
        return f"{what} dnia {step.on.isoformat()}"
    return step.describe()


def describe_next(outcome: Step | NoStep, language: str = "en") -> str:
    if isinstance(outcome, Step):
        return describe_step(outcome, language)
    return describe_reason(outcome, language)
