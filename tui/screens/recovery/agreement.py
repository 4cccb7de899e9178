"""Step 5 of *Recover money*, on the first order to an agency only: the agreement."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Static

from ....ledger.actions import current_author
from ....recovery.agencies import Agency
from ....recovery.cases import conclude_agreement
from ....recovery.handover import Person, check_person
from ...i18n import N_, t
from ...widgets.form import Field, MarkedCheckbox
from ...widgets.unsaved import UnsavedChanges
from ..base import AppScreen
from .words import problem_text

CSS = "../../styles/recovery.tcss"


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
