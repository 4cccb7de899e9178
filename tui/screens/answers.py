"""A debtor's answer recorded from the document screen (issue 15: a debtor phones more
often than they write): ``o`` a promise to pay (this document, or all the contractor's
open documents), ``d`` a dispute, ``r`` resolves the open dispute, ``w`` withdraws the
open promise — with the dialogs the Inbox uses (``widgets/answer_forms.py``). ``r`` and
``w`` are offered only while there is an open dispute or promise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...ledger.answers import (
    make_promise,
    open_dispute,
    open_dispute_of,
    resolve_dispute,
    withdraw_promise,
)
from ...models import Document, Promise, PromiseDocument, PromiseState
from ..formatting import day, money
from ..i18n import t
from ..widgets.answer_forms import (
    DisputeChoice,
    DisputeDialog,
    DisputeInput,
    PromiseDialog,
    PromiseInput,
    TextAnswerDialog,
)
from .inbox_message import promise_scopes, promised_text

if TYPE_CHECKING:
    from ...ledger.clock import Clock
    from ...ledger.settings import CollectionSettings


def open_promise_of(document_id: int) -> Promise | None:
    """The open promise covering a document (a newer one replaces an older)."""
    found: Promise | None = (Promise.select().join(PromiseDocument)
                             .where((PromiseDocument.document == document_id)
                                    & (Promise.state == PromiseState.OPEN))
                             .order_by(Promise.id.desc()).first())
    return found


def answer_line(document: Document) -> str:
    """The open promise and dispute of a document in one line ("" when neither)."""
    parts = []
    promise = open_promise_of(document.id)
    if promise is not None:
        parts.append(t("promised {amount} by {day} (w withdraws)",
                       amount=money(promise.amount, promise.currency),
                       day=day(promise.pay_by)))
    dispute = open_dispute_of(document.id)
    if dispute is not None:
        parts.append(t("disputed: {reason} (r resolves)", reason=dispute.reason))
    return " · ".join(parts)


class DocumentAnswers:
    """The keys above, mixed into ``DocumentScreen``."""

    document_id: int
    clock: Clock
    app: Any

    if TYPE_CHECKING:
        def settings(self) -> CollectionSettings: ...
        def refresh_data(self) -> None: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resolve_dispute":
            return open_dispute_of(self.document_id) is not None
        if action == "withdraw_promise":
            return open_promise_of(self.document_id) is not None
        return True

    def _after(self, text_of: Any) -> Any:
        def done(result: Any) -> None:
            if result is not None:
                self.notify(text_of(result))
            self.refresh_data()
        return done

    def action_promise(self) -> None:
        document = Document.get_by_id(self.document_id)
        scopes = promise_scopes([document.id], document.contractor_id,
                                lambda n: t("this document"))
        if not scopes:
            self.notify(t("Nothing is outstanding on {number}.", number=document.number),
                        severity="warning")
            return

        def record(given: PromiseInput) -> Promise:
            documents = list(Document.select().where(Document.id.in_(given.document_ids)))
            return make_promise(self.clock, self.settings(), documents, given.amount,
                                given.pay_by, note=given.note)

        title = t("Promise to pay — {number} ({contractor})", number=document.number,
                  contractor=document.contractor.name)
        self.app.push_screen(PromiseDialog(title, scopes, record), self._after(promised_text))

    def action_dispute(self) -> None:
        document = Document.get_by_id(self.document_id)
        if open_dispute_of(document.id) is not None:
            self.notify(t("{number} is already disputed", number=document.number),
                        severity="warning")
            return
        choice = DisputeChoice(document.id, t("{number} (outstanding {amount})",
                                              number=document.number,
                                              amount=money(document.outstanding,
                                                           document.currency)))

        def record(given: DisputeInput) -> Any:
            return open_dispute(self.clock, Document.get_by_id(given.document_id),
                                given.reason, given.amount)

        title = t("Dispute — {number} ({contractor})", number=document.number,
                  contractor=document.contractor.name)
        self.app.push_screen(DisputeDialog(title, [choice], record), self._after(
            lambda dispute: t("Dispute recorded: {number} is not collected or handed to an "
                              "agency until it is resolved.", number=document.number)))

    def action_resolve_dispute(self) -> None:
        dispute = open_dispute_of(self.document_id)
        if dispute is None:
            return

        def record(resolution: str) -> bool:
            resolve_dispute(self.clock, dispute, resolution)
            return True

        number = Document.get_by_id(self.document_id).number
        title = t("Resolve the dispute about {number}", number=number)
        explanation = t("The debtor said: {reason}", reason=dispute.reason)
        self.app.push_screen(
            TextAnswerDialog(title, t("How it was settled"), t("Resolve dispute"),
                             "resolution", record, explanation),
            self._after(lambda _: t("Dispute resolved; collection of {number} goes on.",
                                    number=number)))

    def action_withdraw_promise(self) -> None:
        promise = open_promise_of(self.document_id)
        if promise is None:
            return

        def record(note: str) -> bool:
            withdraw_promise(self.clock, promise, note=note)
            return True

        title = t("Withdraw the promise of {amount} by {day}?",
                  amount=money(promise.amount, promise.currency), day=day(promise.pay_by))
        explanation = t("Collection of its documents goes on as if it had not been made.")
        self.app.push_screen(
            TextAnswerDialog(title, t("Note (optional)"), t("Withdraw promise"), "note",
                             record, explanation),
            self._after(lambda _: t("Promise withdrawn.")))
