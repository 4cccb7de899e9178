"""Record a payment: for one document (amount editable, the outstanding by default) or
for marked documents (each paid in full: a bulk settlement is what a bookkeeper does
after matching a statement by hand)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Select, Static

from ...ledger.names import PAYMENT_METHOD_NAMES, name_of
from ...ledger.validation import check_day
from ...models import PAYMENT_METHODS
from ...models.money import MoneyError, parse_amount
from ...session import CommandError, parse_day
from ..formatting import day, editable_money, money
from ..i18n import t
from ..widgets.dialog import CANCEL, FormDialog
from ..widgets.form import Field


@dataclass(frozen=True)
class PaymentInput:
    paid_on: dt.date
    amount: Decimal | None  # None: each document's outstanding amount
    method: str
    reference: str


class PaymentDialog(FormDialog[PaymentInput | None]):
    BINDINGS = [CANCEL, Binding("ctrl+s", "save", "Record payment")]
    DEFAULT_CSS = """
    PaymentDialog { align: center middle; }
    PaymentDialog > VerticalScroll { width: 64; max-width: 100%; height: auto;
        max-height: 100%; border: thick $primary; background: $surface; padding: 0 1; }
    PaymentDialog Horizontal { height: auto; margin-top: 1; }
    PaymentDialog Button { margin-right: 2; }
    PaymentDialog Select { width: 1fr; }
    """

    def __init__(self, today: dt.date, what: str, outstanding: Decimal | None,
                 currency: str = "PLN") -> None:
        super().__init__()
        self.today, self.what, self.outstanding, self.currency = (
            today, what, outstanding, currency)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.what, classes="section-title")
            yield Field(t("Date of payment"), day(self.today), field_id="paid-on")
            if self.outstanding is not None:
                yield Field(t("Amount ({currency})", currency=self.currency),
                            editable_money(self.outstanding), field_id="amount",
                            hint=t("Outstanding: {amount}",
                                   amount=money(self.outstanding, self.currency)))
            else:
                yield Static(t("Each marked document is paid in full."), classes="hint")
            yield Label(t("Method"))
            yield Select([(name_of(PAYMENT_METHOD_NAMES, m), m) for m in PAYMENT_METHODS],
                         value="transfer", allow_blank=False, id="method", compact=True)
            yield Field(t("Reference"), "", field_id="reference")
            with Horizontal():
                yield Button(t("Record payment"), id="save", variant="primary")
                yield Button(t("Cancel"), id="cancel")

    def on_mount(self) -> None:
        target = "#amount" if self.outstanding is not None else "#paid-on"
        self.query_one(target, Field).input.focus()
        # Each field checked again as it is typed while it shows an error.
        self.query_one("#paid-on", Field).check = lambda text: self._day(text)[1]
        if self.outstanding is not None:
            outstanding = self.outstanding
            self.query_one("#amount", Field).check = (
                lambda text: self._amount(text, outstanding)[1])

    def action_save(self) -> None:
        result = self.read()
        if result is not None:
            self.dismiss(result)

    def read(self) -> PaymentInput | None:
        """The form's values, or None with each problem shown next to its field."""
        paid_on = self._read_day(self.query_one("#paid-on", Field))
        amount = None
        if self.outstanding is not None:
            amount = self._read_amount(self.query_one("#amount", Field), self.outstanding)
            if amount is None:
                return None
        if paid_on is None:
            return None
        method = str(self.query_one("#method", Select).value)
        return PaymentInput(paid_on, amount, method, self.query_one("#reference", Field).value)

    def _read_day(self, field: Field) -> dt.date | None:
        paid_on, problem = self._day(field.value)
        field.set_error(problem)
        return paid_on

    def _read_amount(self, field: Field, outstanding: Decimal) -> Decimal | None:
        amount, problem = self._amount(field.value, outstanding)
        field.set_error(problem)
        return amount

    def _day(self, text: str) -> tuple[dt.date | None, str]:
        """The date of payment typed, or the problem with it in words."""
        try:
            paid_on = parse_day(text)
        except CommandError:
            return None, t("not a date: use DD.MM.YYYY or YYYY-MM-DD")
        if paid_on > self.today:
            return None, t("a payment cannot be dated in the future")
        try:
            check_day(paid_on)  # not before 2000 (ledger/validation.py)
        except ValueError as exc:
            return None, str(exc)
        return paid_on, ""

    def _amount(self, text: str, outstanding: Decimal) -> tuple[Decimal | None, str]:
        try:
            amount = parse_amount(text)
        except MoneyError:
            return None, t("not an amount: use 1234.56 or 1 234,56")
        if amount <= 0:
            return None, t("the amount must be more than zero")
        if amount > outstanding:
            return None, t("more than the outstanding {amount}",
                           amount=money(outstanding, self.currency))
        return amount, ""
