"""Step 6 of *Recover money*: the open order, to add another case to or to finish."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from ....ledger.settings import load_settings
from ....models import RecoveryOrder
from ....recovery.agencies import Agency, default_agency
from ....recovery.gateway_problems import describe_gateway_problem
from ....recovery.handover import find_open_order, order_cases
from ....recovery.sending import CaseOutcome, finish_order, make_gateway
from ...formatting import money
from ...i18n import t
from ...widgets.dialog import Dialog

CSS = "../../styles/recovery.tcss"


class OrderDialog(Dialog[None]):
    """The open order's cases; *Add another case* (back to the list, the order stays
    open) or *Finish order* (sent through the agency's gateway off the screen's
    thread, then each case sent or not, with the reason)."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("a", "add", "Add another case"),
        Binding("f", "save", "Finish order"),
        Binding("escape", "cancel", "Back to the list"),
    ]
    SAVE_BUTTON = "finish"

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

    def action_add(self) -> None:
        self.dismiss(None)  # back to the list to mark the next case; the order stays open

    def action_save(self) -> None:
        """*Finish order* (f, or its button); once finished, the button closes."""
        if self.finished:
            self.dismiss(None)
            return
        self.query_one("#order-hint", Static).update(t("Sending the order…"))
        self.query_one("#finish", Button).disabled = True
        self._finish()

    @work(exclusive=True, group="recovery-finish", exit_on_error=False)
    async def _finish(self) -> None:
        ctx, agency, order_id = self.windykacja.ctx, self.agency, self.order_id

        def send() -> list[CaseOutcome]:
            gateway = make_gateway(load_settings(), agency, clock=ctx.clock,
                                   default_maildir=ctx.default_maildir)
            return finish_order(ctx.clock, RecoveryOrder.get_by_id(order_id), gateway)

        outcomes = None
        with self.windykacja.attempt(t("Finishing the order")):
            outcomes = await self.windykacja.reader.run("recovery-finish", send)
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


def open_order_of(agency: Agency | None = None) -> tuple[Agency, int] | None:
    """The default agency's open order, if one is taking cases."""
    agency = agency or default_agency()
    order = find_open_order(agency.code)
    return (agency, order.id) if order is not None else None
