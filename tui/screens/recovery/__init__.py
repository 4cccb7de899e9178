"""*Recover money* (SPEC §8): handing a contractor's overdue documents to an agency.

The steps follow InsERT's "Odzyskaj pieniądze": the marked documents are sorted out
(refused ones are listed with the reason), one contractor is chosen when they span
several, the contractor's data and the receivables are verified, the commission is
shown, the agreement is concluded on the first order only, and the case joins the open
order; then *Add another case* or *Finish order*.

Each step sits on top of the previous one, so Esc always goes back one step: from the
commission to the verification, from the agreement to the commission, from the
verification to the list (nothing stored until the case is added).

The open order lives in the database (``finished_at IS NULL``), not in the app: it
survives moving around, a restart, and a colleague adding a case to it.

One module a step or small family: ``flow`` (the steps in turn), ``dialogs`` (which
contractor, the filter by case status, the agency's status file), ``verify``,
``commission``, ``agreement``, ``order``; ``keys`` (the unpaid list's recovery keys and
its poll of the agency); ``words`` (statuses, refusals and problems in words).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each name → the module that defines it. Imported at the first use of a name, not with
# the package: the unpaid list (the first screen) needs only its keys and the words.
_MODULES = {
    "AgreementScreen": "agreement", "CommissionDialog": "commission",
    "CaseFilterDialog": "dialogs", "ChooseContractorDialog": "dialogs",
    "StatusImportDialog": "dialogs", "RecoveryFlow": "flow", "RecoveryKeys": "keys",
    "OrderDialog": "order", "open_order_of": "order", "CaseAdded": "verify",
    "VerifyScreen": "verify", "case_filter_choices": "words", "case_status_text": "words",
    "problem_text": "words", "refusal_text": "words",
}
__all__ = [
    "AgreementScreen", "CaseAdded", "CaseFilterDialog", "ChooseContractorDialog",
    "CommissionDialog", "OrderDialog", "RecoveryFlow", "RecoveryKeys", "StatusImportDialog",
    "VerifyScreen",
    "case_filter_choices", "case_status_text", "open_order_of", "problem_text",
    "refusal_text",
]

if TYPE_CHECKING:
    from .agreement import AgreementScreen
    from .commission import CommissionDialog
    from .dialogs import CaseFilterDialog, ChooseContractorDialog, StatusImportDialog
    from .flow import RecoveryFlow
    from .keys import RecoveryKeys
    from .order import OrderDialog, open_order_of
    from .verify import CaseAdded, VerifyScreen
    from .words import case_filter_choices, case_status_text, problem_text, refusal_text


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
