"""The steps of *Recover money* for the marked documents, in turn (see the package)."""

from __future__ import annotations

from collections.abc import Callable

from ....models import Contractor, Document
from ....recovery.agencies import default_agency
from ....recovery.cases import case_amount, sort_out
from ...formatting import money
from ...i18n import t, tn
from ..base import AppScreen
from .dialogs import ChooseContractorDialog
from .order import OrderDialog
from .verify import CaseAdded, VerifyScreen
from .words import refusal_text


class RecoveryFlow:
    """Starts the steps for the marked documents and tells the list what changed.

    ``done(remove)`` is called with the document ids that should lose their marks: the
    refused ones (they cannot go to an agency, so a next *Recover money* would only
    repeat the refusal) and those handed over; the other contractors' stay marked.
    """

    def __init__(self, screen: AppScreen, done: Callable[[set[int]], None]) -> None:
        self.screen = screen
        self.app = screen.app
        self.done = done
        self.agency = default_agency()

    def start(self, ids: list[int]) -> None:
        today = self.screen.clock.today()
        selection = sort_out(ids, today)
        self.refused_ids = {r.document.id for r in selection.refused}
        refused = [t("{number} ({contractor}): {reason}", number=r.document.number,
                     contractor=r.document.contractor.name, reason=refusal_text(r.reason))
                   for r in selection.refused]
        groups = selection.by_contractor
        if len(groups) == 1 and not refused:
            contractor_id, documents = next(iter(groups.items()))
            self.verify(contractor_id, documents)
            return
        choices = []
        for contractor_id, documents in groups.items():
            name = documents[0].contractor.name
            choices.append((contractor_id, t(
                "{name}: {documents}, {amount}", name=name,
                documents=tn("{n} document", "{n} documents", len(documents)),
                amount=money(case_amount(documents), "PLN"))))

        def chosen(contractor_id: int | None) -> None:
            if refused:
                self.done(self.refused_ids)
            if contractor_id is not None:
                self.verify(contractor_id, groups[contractor_id])

        self.app.push_screen(ChooseContractorDialog(choices, refused), chosen)

    def verify(self, contractor_id: int, documents: list[Document]) -> None:
        contractor = Contractor.get_by_id(contractor_id)
        self.app.push_screen(VerifyScreen(self.agency, contractor, documents), self.added)

    def added(self, result: CaseAdded | None) -> None:
        if result is None:
            return
        self.done(self.refused_ids | set(result.document_ids))
        self.app.push_screen(OrderDialog(self.agency, result.order_id),
                             lambda _: self.done(set()))
