"""*Recover money* in words: a case's status, why a document cannot be handed over, what
is wrong with a field of the debtor or the authorised person."""

from __future__ import annotations

from ....lists.unpaid_list import ANY_ACTIVE_CASE
from ....models import CaseStatus
from ...i18n import t


def case_status_text(status: str | None) -> str:
    """A case status in words, as the recovery column and the order show it."""
    words = {
        CaseStatus.NOT_SENT: t("not sent"),
        CaseStatus.WAITING: t("waiting"),
        CaseStatus.ACCEPTED: t("accepted"),
        CaseStatus.AMICABLE: t("amicable stage"),
        CaseStatus.COURT: t("court"),
        CaseStatus.ENFORCEMENT: t("enforcement"),
        CaseStatus.PARTLY_RECOVERED: t("partly recovered"),
        CaseStatus.RECOVERED: t("recovered"),
        CaseStatus.CLOSED: t("closed without success"),
        CaseStatus.WITHDRAWN: t("withdrawn"),
    }
    return words.get(status, status or "") if status else ""


def refusal_text(reason: str) -> str:
    return {
        "not_overdue": t("not overdue"),
        "paid": t("paid"),
        "in_case": t("already in a case"),
        "disputed": t("disputed"),
    }.get(reason, reason)


def problem_text(code: str | None) -> str:
    """A field problem from ``recovery.handover`` in words (empty: no problem)."""
    if not code:
        return ""
    return {
        "required": t("required"),
        "nip_invalid": t("the NIP is not valid (10 digits with a correct checksum)"),
        "nip_required": t("the agency needs the NIP of a business debtor (a company "
                          "abroad: its EU/UK VAT number)"),
        "vat_eu_invalid": t("not a valid EU/UK VAT number (the country code, e.g. CZ or "
                            "GB, then the number)"),
        "email_invalid": t("not a valid e-mail address"),
        "phone_invalid": t("not a phone number (digits, spaces, + - ( ))"),
    }.get(code, code)


def case_filter_choices() -> list[tuple[str, str]]:
    """The filter by case status: (value for ``UnpaidQuery.case_status``, words)."""
    return [("", t("All documents")), (ANY_ACTIVE_CASE, t("In any active case"))] + [
        (status, case_status_text(status)) for status in CaseStatus.ALL]
