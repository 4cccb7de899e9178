"""Add a statutory interest rate (Settings, Ctrl+N): the kind, the first day, the rate and
where it comes from. ``ledger.rates.add_interest_rate`` checks and stores it; each problem
shows next to its field, in the interface language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Select, Static

from ...law.interest import InterestKind, RateTableError
from ...ledger.actions import current_author
from ...ledger.clock import Clock
from ...ledger.rate_problems import describe_rate_problem
from ...ledger.rates import InterestRow, RateInputError, add_interest_rate
from ..formatting import day
from ..i18n import N_, t
from ..widgets.bounded import LONG_LENGTH
from ..widgets.dialog import CANCEL, FormDialog
from ..widgets.form import Field

# How each kind is named on screen (English source text, shown through t()).
KIND_NAMES = {
    InterestKind.BUSINESS.value: N_("businesses (commercial transactions)"),
    InterestKind.HEALTHCARE.value: N_("public healthcare entities"),
    InterestKind.PRIVATE.value: N_("private persons (ordinary rate)"),
}



def next_half_year(today: dt.date) -> dt.date:
    """The first day of the next half-year: when the next commercial rate starts."""
    return dt.date(today.year, 7, 1) if today.month <= 6 else dt.date(today.year + 1, 1, 1)


class InterestRateDialog(FormDialog[InterestRow | None]):
    CSS_PATH = Path(__file__).parent.parent / "styles" / "settings.tcss"
    BINDINGS = [CANCEL, Binding("ctrl+s", "save", "Add the rate")]

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="rate-dialog"):
            yield Static(t("Add a statutory interest rate"), classes="section-title")
            yield Static(t("From a new Monitor Polski notice (commercial transactions, per "
                           "half-year) or an RPP decision (the ordinary rate)."),
                         classes="hint")
            with Vertical(id="rate-kind"):
                yield Label(t("Who owes it"), classes="field--label")
                yield Select([(t(name), kind) for kind, name in KIND_NAMES.items()],
                             value=InterestKind.BUSINESS.value, allow_blank=False,
                             compact=True)
                yield Static("", classes="field--error")
            yield Field(t("Applies from"), day(next_half_year(self.clock.today())),
                        field_id="rate-valid_from",
                        hint=t("DD.MM.YYYY; 1 January or 1 July for commercial rates"))
            yield Field(t("Rate (% a year)"), "", field_id="rate-rate",
                        hint=t("e.g. 13.75"))
            yield Field(t("Source"), "", field_id="rate-source",
                        hint=t("e.g. M.P. 2026 poz. 600, or RPP resolution 1/2026"),
                        max_length=LONG_LENGTH)
            yield Static("", id="rate-problem")
            with Horizontal():
                yield Button(t("Add the rate (Ctrl+S)"), id="save", variant="primary")
                yield Button(t("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#rate-rate", Field).input.focus()

    def field(self, name: str) -> Field:
        return self.query_one(f"#rate-{name}", Field)

    def clear_problems(self) -> None:
        for name in ("valid_from", "rate", "source"):
            self.field(name).set_error("")
        self.query_one("#rate-kind .field--error", Static).update("")
        self.query_one("#rate-problem", Static).update("")

    def show_problem(self, field: str, problem: str) -> None:
        text = describe_rate_problem(problem)
        if field in ("valid_from", "rate", "source"):
            self.field(field).set_error(text)
            self.field(field).input.focus()
        elif field == "kind":
            self.query_one("#rate-kind .field--error", Static).update(
                t("Error: {problem}", problem=text))
        else:
            self.query_one("#rate-problem", Static).update(t("Error: {problem}",
                                                             problem=text))

    def action_save(self) -> None:
        self.clear_problems()
        kind = str(self.query_one("#rate-kind Select", Select).value)
        try:
            row = add_interest_rate(self.clock, kind, self.field("valid_from").value,
                                    self.field("rate").value, self.field("source").value,
                                    current_author())
        except RateInputError as exc:
            self.show_problem(exc.field, str(exc))
            return
        except RateTableError as exc:  # a stored rate contradicts the shipped table
            self.show_problem("", str(exc))
            return
        self.dismiss(row)
