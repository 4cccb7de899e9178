"""Step 4 of *Recover money*: the case's commission, before anything is sent."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ....recovery.agencies import Agency
from ....recovery.commission import Commission
from ...formatting import money
from ...i18n import t, tn
from ...widgets.dialog import BACK, Dialog
from ...widgets.form import SwitchField
from ..base import AppScreen

CSS = "../../styles/recovery.tcss"


def _language(screen: ModalScreen | AppScreen) -> str:
    return screen.app.ctx.language  # type: ignore[attr-defined]


class CommissionDialog(Dialog[bool | None]):
    """The commission of this case before anything is sent; answers whether to claim
    it from the debtor (None: back to the verification)."""

    CSS_PATH = CSS
    BINDINGS = [Binding("ctrl+s", "save", "Recover money"), BACK]
    SAVE_BUTTON = "recover"

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

    def action_save(self) -> None:
        self.dismiss(self.query_one("#claim", SwitchField).value)
