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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, OptionList, RadioSet, Static
from textual.widgets.option_list import Option

from ...importers.csv_common import ImportRejected
from ...ledger.actions import current_author
from ...ledger.settings import load_settings
from ...lists.unpaid_list import ANY_ACTIVE_CASE
from ...models import CaseStatus, Contractor, Document, RecoveryOrder
from ...recovery.agencies import Agency, default_agency
from ...recovery.cases import (
    Debtor,
    add_case,
    case_amount,
    conclude_agreement,
    current_agreement,
    days_overdue,
    open_order,
    sort_out,
)
from ...recovery.commission import Commission, commission
from ...recovery.gateway_problems import describe_gateway_problem
from ...recovery.handover import (
    Person,
    check_debtor,
    check_person,
    debtor_of,
    find_open_order,
    order_cases,
)
from ...recovery.sending import CaseOutcome
from ...recovery.status_import import import_status
from ..formatting import day, money
from ..guard import Guarded
from ..i18n import N_, t, tn
from ..widgets.bounded import LONG_LENGTH
from ..widgets.form import Field, MarkedCheckbox, MarkedRadioButton, SwitchField
from ..widgets.unsaved import UnsavedChanges
from .base import AppScreen

CSS = "../styles/recovery.tcss"


# -- words -----------------------------------------------------------------------------
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


def _language(screen: ModalScreen | AppScreen) -> str:
    return screen.app.ctx.language  # type: ignore[attr-defined]


# -- the flow --------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseAdded:
    case_id: int
    order_id: int
    document_ids: list[int]


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


# -- step 2: which contractor ----------------------------------------------------------
class ChooseContractorDialog(Guarded, ModalScreen[int | None]):
    """The marked documents that cannot be handed over, with the reason, and the
    contractors to choose from (one case per contractor)."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, choices: list[tuple[int, str]], refused: list[str]) -> None:
        super().__init__()
        self.choices, self.refused = choices, refused

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("Recover money"), classes="dialog-title")
            if self.refused:
                yield Static(t("Left out (and unmarked), they cannot be handed over:"))
                yield Static(Content("\n".join(f"  – {line}" for line in self.refused)),
                             id="refused", classes="refused")
            if self.choices:
                yield Static(t("Choose the contractor (one case each; the others stay "
                               "marked for the next case):"))
                yield OptionList(*(Option(Content(text), id=str(cid))
                                   for cid, text in self.choices), id="contractors")
            else:
                yield Static(t("Nothing left to hand over."), classes="problem")
            yield Static(t("Enter: continue · Esc: back to the list"), classes="hint")

    def on_mount(self) -> None:
        if self.choices:
            self.query_one(OptionList).focus()
            self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- step 3: verify --------------------------------------------------------------------
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


# -- step 4: the commission ------------------------------------------------------------
class CommissionDialog(Guarded, ModalScreen[bool | None]):
    """The commission of this case before anything is sent; answers whether to claim
    it from the debtor (None: back to the verification)."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("ctrl+s", "recover", "Recover money"),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(self, agency: Agency, debtor: str, fee: Commission, count: int,
                 claim: bool) -> None:
        super().__init__()
        self.agency, self.debtor, self.fee, self.count, self.claim = (
            agency, debtor, fee, count, claim)

    def compose(self) -> ComposeResult:
        fee, language = self.fee, _language(self)
        with VerticalScroll(classes="dialog"):
            yield Static(t("Commission of {agency}", agency=self.agency.name),
                         classes="dialog-title")
            yield Static(Content(t(
                "{debtor}: {receivables}, {amount}, the oldest {days} overdue",
                debtor=self.debtor,
                receivables=tn("{n} receivable", "{n} receivables", self.count),
                amount=money(fee.base, "PLN"),
                days=tn("{n} day", "{n} days", fee.days_overdue_oldest))))
            rate = f"{fee.rate.normalize():f}"
            yield Static(t("Rate: {rate}%", rate=rate.replace(".", ",") if language == "pl"
                           else rate), id="rate")
            yield Static(t("Commission: {amount}", amount=money(fee.amount, "PLN")),
                         id="fee", classes="fee")
            yield Static(t("Rule: {rule}", rule=fee.describe(language)), id="rule")
            yield Static(t("Payable only if the money is recovered."), classes="hint")
            yield SwitchField(t("Claim the commission from the debtor"), self.claim,
                              field_id="claim")
            with Horizontal(classes="buttons"):
                yield Button(t("Recover money"), id="recover", variant="primary",
                             compact=True)
                yield Button(t("Back"), id="back", compact=True)

    def on_mount(self) -> None:
        self.query_one("#recover", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "recover":
            self.action_recover()
        else:
            self.action_cancel()

    def action_recover(self) -> None:
        self.dismiss(self.query_one("#claim", SwitchField).value)

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- step 5: the agreement (first order only) ------------------------------------------
PERSON_FIELDS = ("person-name", "person-position", "person-email", "person-phone")


class AgreementScreen(UnsavedChanges, AppScreen):
    """The authorised person, the agency's terms in full, the acceptance; concluding
    stores the agreement with the time, the user and the terms' version."""

    TITLE = N_("Recover money: agreement")
    CSS_PATH = CSS
    BINDINGS = [
        Binding("ctrl+s", "conclude", "Conclude agreement"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, agency: Agency) -> None:
        super().__init__()
        self.agency = agency

    def compose_body(self) -> ComposeResult:
        with Vertical(id="agreement"):
            yield Static(t("First order to {agency}: the agreement, concluded once",
                           agency=self.agency.name), classes="section-title")
            with Horizontal(classes="pair"):
                yield Field(t("Authorised person"), field_id="person-name")
                yield Field(t("Position"), field_id="person-position")
            with Horizontal(classes="pair"):
                yield Field(t("E-mail"), field_id="person-email")
                yield Field(t("Phone"), field_id="person-phone")
            yield Static(t("Terms, version {version} (scroll with the arrows):",
                           version=self.agency.terms_version))
            with VerticalScroll(id="terms"):
                yield Static(Content(self.agency.terms_text(self.language)))
            yield MarkedCheckbox(t("I have read and accept the terms"), False, id="accept",
                                 compact=True)
            yield Static("", id="accept-error", classes="problem")

    def on_mount(self) -> None:
        self.query_one("#person-name", Field).input.focus()

    def action_back(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(False))

    def action_conclude(self) -> None:
        entered = Person(*(self.query_one(f"#{name}", Field).value for name in PERSON_FIELDS))
        person, problems = check_person(entered)
        for name in PERSON_FIELDS:
            self.query_one(f"#{name}", Field).set_error(
                problem_text(problems.get(name.removeprefix("person-"))))
        accepted = self.query_one("#accept", Checkbox).value
        self.query_one("#accept-error", Static).update(
            "" if accepted else t("Error: {problem}",
                                  problem=t("tick the acceptance to conclude the agreement")))
        if problems or not accepted:
            return
        with self.windykacja.attempt(t("Concluding the agreement")):
            conclude_agreement(
                self.clock, self.agency.code, self.agency.terms_version,
                person_name=person.name, person_position=person.position,
                person_email=person.email, person_phone=person.phone,
                author=current_author())
            self.dismiss(True)


# -- step 6: the order -----------------------------------------------------------------
class OrderDialog(Guarded, ModalScreen[None]):
    """The open order's cases; *Add another case* (back to the list, the order stays
    open) or *Finish order* (sent through the agency's gateway off the screen's
    thread, then each case sent or not, with the reason)."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("a", "add", "Add another case"),
        Binding("f", "finish", "Finish order"),
        Binding("escape", "close", "Back to the list"),
    ]

    def __init__(self, agency: Agency, order_id: int) -> None:
        super().__init__()
        self.agency, self.order_id = agency, order_id
        self.finished = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(t("Order {order} to {agency}", order=self.order_id,
                           agency=self.agency.name), classes="dialog-title")
            yield Static("", id="cases")
            yield Static(t("Add more cases to this order, or finish it to send them."),
                         id="order-hint", classes="hint")
            yield Static(t("a: add another case · f: finish order · Esc: back to the list"),
                         classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(t("Add another case"), id="add", compact=True)
                yield Button(t("Finish order"), id="finish", variant="primary",
                             compact=True)

    def on_mount(self) -> None:
        self._show_cases()
        self.query_one("#finish", Button).focus()

    def _show_cases(self, outcomes: dict[int, CaseOutcome] | None = None) -> None:
        """Each case of the order; after *Finish order*, what the gateway did with it."""
        order = RecoveryOrder.get_by_id(self.order_id)
        lines = []
        for case in order_cases(order):
            outcome = (outcomes or {}).get(case.id)
            if order.finished_at is None:
                state = t("to be sent")
            elif outcome is not None and outcome.pending:
                state = t("in the outbox, to be sent")
            elif case.sent_at is not None:
                state = t("sent")
            else:
                reason = outcome.error if outcome is not None else case.send_error
                state = t("not sent: {reason}",
                          reason=describe_gateway_problem(reason) if reason else t("no answer"))
            lines.append(t("Case {case}: {contractor}, {amount} — {state}", case=case.id,
                           contractor=case.contractor.name,
                           amount=money(case.total, "PLN"), state=state))
        self.query_one("#cases", Static).update(Content("\n".join(lines)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "finish":
            self.action_finish()
        else:
            self.action_close()

    def action_add(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_finish(self) -> None:
        if self.finished:
            self.dismiss(None)
            return
        self.query_one("#order-hint", Static).update(t("Sending the order…"))
        self.query_one("#finish", Button).disabled = True
        self._finish()

    @work(exclusive=True, group="recovery-finish", exit_on_error=False)
    async def _finish(self) -> None:
        from ...recovery.sending import finish_order, make_gateway

        ctx, agency, order_id = self.app.ctx, self.agency, self.order_id

        def send() -> list[CaseOutcome]:
            gateway = make_gateway(load_settings(), agency, clock=ctx.clock,
                                   default_maildir=ctx.default_maildir)
            return finish_order(ctx.clock, RecoveryOrder.get_by_id(order_id), gateway)

        outcomes = None
        with self.app.attempt(t("Finishing the order")):
            outcomes = await self.app.reader.run("recovery-finish", send)
        if outcomes is None:
            self.query_one("#order-hint", Static).update(
                t("Add more cases to this order, or finish it to send them."))
            self.query_one("#finish", Button).disabled = False
            return
        self.finished = True
        self._show_cases({outcome.case_id: outcome for outcome in outcomes})
        self.query_one("#order-hint", Static).update(
            t("The order is finished; the statuses show in the recovery column."))
        self.query_one("#add", Button).display = False
        finish = self.query_one("#finish", Button)
        finish.label, finish.disabled = t("Close"), False
        finish.focus()


# -- the filter by case status ---------------------------------------------------------
class CaseFilterDialog(Guarded, ModalScreen[str | None]):
    """Which documents to list by their agency case's status."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("Show documents by the agency case status"),
                         classes="dialog-title")
            yield OptionList(*(Option(words, id=value or "all")
                               for value, words in case_filter_choices()), id="statuses")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _ in case_filter_choices()]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss("" if event.option.id == "all" else event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def open_order_of(agency: Agency | None = None) -> tuple[Agency, int] | None:
    """The default agency's open order, if one is taking cases."""
    agency = agency or default_agency()
    order = find_open_order(agency.code)
    return (agency, order.id) if order is not None else None


# -- the agency's status file ----------------------------------------------------------
class StatusImportDialog(Guarded, ModalScreen[None]):
    """Import the agency's status file (CSV or JSON), as ``recovery import-status`` does:
    all or nothing, every bad row named with its line."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "close", "Back")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("Import the agency's status file"), classes="dialog-title")
            yield Static(t("CSV (case;status;date;note) or JSON; a file with a bad row "
                           "changes nothing."), classes="hint")
            yield Field(t("File"), "", field_id="status-file", placeholder="statusy.csv",
                        max_length=LONG_LENGTH)
            yield Static("", id="status-result", markup=False)

    def on_mount(self) -> None:
        self.query_one("#status-file", Field).input.focus()

    def on_input_submitted(self) -> None:
        field = self.query_one("#status-file", Field)
        path = Path(field.value).expanduser()
        if not path.is_file():
            field.set_error(t("no such file: {path}", path=str(path)))
            return
        field.set_error("")
        self._import(path)

    @work(exclusive=True, group="status-import", exit_on_error=False)
    async def _import(self, path: Path) -> None:
        app = self.app
        clock = app.ctx.clock  # type: ignore[attr-defined]
        result = self.query_one("#status-result", Static)
        try:
            summary = await app.reader.run(  # type: ignore[attr-defined]
                "status-import", lambda: import_status(path, clock))
        except ImportRejected as exc:
            lines = [t("Nothing was imported; fix these rows and import the file again:")]
            result.update("\n".join(lines + [str(error) for error in exc.errors[:12]]))
            return
        result.update(t("{rows}: {changed}, {unchanged} already so. Esc returns to the list.",
                        rows=tn("{n} row", "{n} rows", summary.rows),
                        changed=tn("{n} case changed", "{n} cases changed", summary.changed),
                        unchanged=summary.unchanged))

    def action_close(self) -> None:
        self.dismiss(None)
