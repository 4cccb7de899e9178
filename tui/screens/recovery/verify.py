"""Step 3 of *Recover money*: the debtor's data and the receivables, verified; then the
commission (step 4), the agreement on the first order (step 5), and the case joins the
open order."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, RadioSet, Static

from ....ledger.settings import load_settings
from ....models import Contractor, Document
from ....recovery.agencies import Agency
from ....recovery.cases import (
    Debtor,
    add_case,
    case_amount,
    current_agreement,
    days_overdue,
    open_order,
)
from ....recovery.commission import Commission, commission
from ....recovery.handover import check_debtor, debtor_of, find_open_order
from ...formatting import day, money
from ...i18n import N_, t, tn
from ...widgets.bounded import LONG_LENGTH
from ...widgets.form import Field, MarkedCheckbox, MarkedRadioButton, SwitchField
from ...widgets.unsaved import UnsavedChanges
from ..base import AppScreen
from .agreement import AgreementScreen
from .commission import CommissionDialog
from .words import problem_text

CSS = "../../styles/recovery.tcss"


@dataclass(frozen=True)
class CaseAdded:
    case_id: int
    order_id: int
    document_ids: list[int]


DEBTOR_FIELDS = ("name", "nip", "vat_eu", "address", "email", "phone")


class VerifyScreen(UnsavedChanges, AppScreen):
    """The contractor's data (editable, checked) and the receivables (any can be
    unticked); Ctrl+S goes on to the commission. Dismissed with ``CaseAdded`` once the
    case is in the order, or with None (Esc: nothing stored)."""

    TITLE = N_("Recover money: verify")
    CSS_PATH = CSS
    BINDINGS = [
        Binding("ctrl+s", "next", "Next: commission"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, agency: Agency, contractor: Contractor,
                 documents: list[Document]) -> None:
        super().__init__()
        self.agency, self.contractor, self.documents = agency, contractor, documents
        self.claim = False
        self.debtor: Debtor | None = None
        self.fee: Commission | None = None

    def compose_body(self) -> ComposeResult:
        debtor = debtor_of(self.contractor)
        with VerticalScroll(id="verify"):
            yield Static(t("Debtor: check and correct the data the agency will get"),
                         classes="section-title")
            yield Field(t("Name"), debtor.name, field_id="name")
            with Horizontal(classes="pair"):
                with RadioSet(id="kind", compact=True):
                    yield MarkedRadioButton(t("Business"), debtor.business, id="business")
                    yield MarkedRadioButton(t("Private person"), not debtor.business,
                                            id="private")
                # A business has one or the other: a company in another EU country
                # has no Polish NIP and is still a business (the error says so).
                yield Field(t("NIP"), debtor.nip, field_id="nip")
                yield Field(t("EU/UK VAT number"), debtor.vat_eu, field_id="vat_eu")
            yield Field(t("Address"), debtor.address, field_id="address",
                        max_length=LONG_LENGTH)
            with Horizontal(classes="pair"):
                yield Field(t("E-mail"), debtor.email, field_id="email")
                yield Field(t("Phone"), debtor.phone, field_id="phone")
            yield SwitchField(t("Save the corrections to the contractor (else for this "
                                "case only)"), False, field_id="save")
            yield Static(t("Receivables (Space unticks one to leave it out)"),
                         classes="section-title")
            yield Static(Content(self._line(t("Number"), t("Issued"), t("Due"), t("Days"),
                                            t("Outstanding"))), classes="receivables-head")
            for document in self.documents:
                yield MarkedCheckbox(Content(self._receivable(document)), True,
                                     id=f"doc-{document.id}", compact=True,
                                     classes="receivable")
            yield Static("", id="case-total")

    @staticmethod
    def _line(number: str, issued: str, due: str, days: str, amount: str) -> str:
        return f"{number[:18]:<18} {issued:<10} {due:<10} {days:>5} {amount:>18}"

    def _receivable(self, document: Document) -> str:
        return self._line(document.number, day(document.issue_date), day(document.due_date),
                          str(days_overdue(document, self.clock.today())),
                          money(document.outstanding, document.currency))

    def on_mount(self) -> None:
        self.query_one("#name", Field).input.focus()
        self._show_total()

    @on(Checkbox.Changed, ".receivable")
    def _ticked(self) -> None:
        self._show_total()

    def selected(self) -> list[Document]:
        return [d for d in self.documents
                if self.query_one(f"#doc-{d.id}", Checkbox).value]

    def _show_total(self) -> None:
        chosen = self.selected()
        text = tn("Handed over: {count} of {n} receivable, {amount}",
                  "Handed over: {count} of {n} receivables, {amount}", len(self.documents),
                  count=len(chosen), amount=money(case_amount(chosen), "PLN"))
        self.query_one("#case-total", Static).update(text)

    def _read_debtor(self) -> Debtor:
        values = {name: self.query_one(f"#{name}", Field).value for name in DEBTOR_FIELDS}
        business = self.query_one("#business", MarkedRadioButton).value
        return Debtor(business=business, **values)

    def action_back(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))

    def action_next(self) -> None:
        debtor, problems = check_debtor(self._read_debtor())
        for name in DEBTOR_FIELDS:
            self.query_one(f"#{name}", Field).set_error(problem_text(problems.get(name)))
        if problems:
            first = next(name for name in DEBTOR_FIELDS if name in problems)
            self.query_one(f"#{first}", Field).input.focus()
            self.notify(t("Correct the fields marked with an error."), severity="warning")
            return
        chosen = self.selected()
        if not chosen:
            self.notify(t("Tick at least one receivable."), severity="warning")
            return
        oldest = max(days_overdue(d, self.clock.today()) for d in chosen)
        self.debtor = debtor
        self.fee = commission(self.agency.commission, case_amount(chosen), oldest)
        self._ask_commission()

    def _ask_commission(self) -> None:
        assert self.debtor is not None and self.fee is not None
        self.app.push_screen(
            CommissionDialog(self.agency, self.debtor.name, self.fee, len(self.selected()),
                             self.claim),
            self._commission_answered)

    def _commission_answered(self, claim: bool | None) -> None:
        if claim is None:
            return  # back to the verification
        self.claim = claim
        if current_agreement(self.agency.code) is None:
            self.app.push_screen(AgreementScreen(self.agency), self._agreement_answered)
        else:
            self._add_case()

    def _agreement_answered(self, concluded: bool | None) -> None:
        if concluded:
            self._add_case()
        else:
            self._ask_commission()  # Esc on the agreement goes back one step

    def _add_case(self) -> None:
        assert self.debtor is not None and self.fee is not None
        chosen = self.selected()
        with self.windykacja.attempt(t("Handing over the case")):
            order = find_open_order(self.agency.code) or open_order(
                self.clock, self.agency.code)
            case = add_case(
                self.clock, load_settings(), order, self.contractor, self.debtor, chosen,
                self.fee, commission_from_debtor=self.claim,
                save_to_contractor=self.query_one("#save", SwitchField).value)
            self.dismiss(CaseAdded(case.id, order.id, [d.id for d in chosen]))
