"""Contractors: a searchable list and an editor (SPEC §7).

The list is a window over the contractor table (``lists/contractor_list.py``), read in
a thread worker each time the search changes, 250 ms after the last key so that a
typed word costs one query. Enter opens the editor; ``n`` opens an empty one.

The editor remembers the contractor's version from when it opened. When someone else
saved the contractor meanwhile, Ctrl+S is refused ("changed by ewa at 10:42, reload")
and nothing is stored; the editor stays open with what the user typed, to copy, and
Ctrl+R reads the stored values and version into it.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from ...ledger.actions import current_author
from ...ledger.names import name_of
from ...ledger.versions import ChangedMeanwhile
from ...lists.contractor_list import (
    ContractorForm,
    ContractorRow,
    check_contractor,
    contractor_position,
    contractor_window,
    load_for_editing,
    save_contractor,
)
from ...models.contractor import KINDS
from ...models.db import database
from ..changed_text import changed_text
from ..claim_text import KIND_NAMES
from ..debounce import Debounce
from ..guard import Guarded
from ..i18n import N_, t, tn
from ..widgets.bounded import LONG_LENGTH, SEARCH_LENGTH, BoundedInput
from ..widgets.form import Field, SwitchField
from ..widgets.lazy_table import Column, LazyTable
from ..widgets.unsaved import UnsavedChanges
from .base import TableScreen

STYLES = Path(__file__).parent.parent / "styles" / "contractors.tcss"
SEARCH_DELAY = 0.25
FIELD_NAMES = ("code", "name", "nip", "vat_eu", "address", "emails", "phone")


def _problem(code: str) -> str:
    """The checks' problem codes (``check_contractor``) in the interface language."""
    if code == "required":
        return t("this field is required")
    if code == "duplicate":
        return t("another contractor already has this code")
    if code == "control":
        return t("a code cannot hold a line break or another control character")
    if code == "nip":
        return t("this NIP is not valid (10 digits with a correct check digit)")
    if code == "vat_eu":
        return t("not a valid EU/UK VAT number (the country code, e.g. CZ or GB, then the "
                 "number)")
    if code.startswith("email:"):
        return t("'{address}' is not a valid e-mail address", address=code[6:])
    if code == "language":
        return t("choose Polish or English")
    if code == "kind":
        return t("choose who the contractor is in law")
    return code


class ContractorsScreen(TableScreen):
    TITLE = N_("Contractors")
    CSS_PATH = STYLES
    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("n", "new", "New contractor"),
        Binding("e", "edit", "Edit contractor"),
        Binding("escape", "clear_search", "Clear search", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._search_debounce = Debounce(self, SEARCH_DELAY, self.load)
        self._generation = 0
        # The contractor just saved, to put the cursor on: kept until a load has placed
        # it, since the refresh on coming back from the editor may start after it.
        self._keep: tuple[str, int] | None = None

    def compose_body(self) -> ComposeResult:
        yield BoundedInput(placeholder=t("Search: code, name, NIP or e-mail"), id="search",
                           compact=True, max_length=SEARCH_LENGTH)
        yield Static("", id="count", classes="totals")
        yield LazyTable(
            [
                Column("code", t("Code"), 8, priority=9),
                Column("name", t("Name"), 20, priority=8, flex=True),
                Column("nip", t("NIP"), 10, priority=5),
                Column("email", t("E-mail"), 22, priority=6),
                Column("language", t("Letters"), 9, priority=1),
                Column("collection", t("Collection"), 10, priority=7),
            ],
            cells=self._cells,
            empty_text=t("No contractors match."),
            id="contractors",
        )

    def _cells(self, row: ContractorRow) -> list[str]:
        emails = row.email_list
        email = emails[0] + (f" +{len(emails) - 1}" if len(emails) > 1 else "") if emails else ""
        return [
            row.code, row.name, row.nip or "", email or t("no e-mail"),
            t("Polish") if row.language == "pl" else t("English"),
            t("collected") if row.subject_to_collection else t("excluded"),
        ]

    @property
    def search_text(self) -> str:
        return self.query_one("#search", Input).value.strip()

    def refresh_data(self) -> None:
        self.load(cursor=self.table.cursor_row)

    # -- loading -----------------------------------------------------------------------
    def load(self, cursor: int = 0, keep: tuple[str, int] | None = None) -> None:
        self._generation += 1
        self._load(self.search_text, cursor, keep or self._keep, self._generation)

    @work(thread=True, exclusive=True, group="contractors-load")
    def _load(self, search: str, cursor: int, keep: tuple[str, int] | None,
              generation: int) -> None:
        try:
            window = contractor_window(search).load()
            if keep is not None:
                cursor = contractor_position(search, *keep)
        finally:
            database.close()
        self.app.call_from_thread(self._show, window, cursor, generation)

    def _show(self, window, cursor: int, generation: int) -> None:
        if generation != self._generation:
            return  # a newer search is on its way
        self._keep = None
        self.table.set_source(window, cursor)
        if self.search_text:
            text = tn("{n} contractor matches “{search}”", "{n} contractors match “{search}”",
                      window.count, search=self.search_text)
        else:
            text = tn("{n} contractor", "{n} contractors", window.count)
        self.query_one("#count", Static).update(text)

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self._search_debounce.poke()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    # -- actions -----------------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        self.table.focus()

    def action_new(self) -> None:
        self.app.push_screen(ContractorEditor(None), self._saved)

    def action_edit(self) -> None:
        row = self.table.current
        if row is not None:
            self.app.push_screen(ContractorEditor(row.id), self._saved)

    @on(LazyTable.RowSelected)
    def _open(self, event: LazyTable.RowSelected) -> None:
        self.app.push_screen(ContractorEditor(event.row.id), self._saved)

    def _saved(self, saved: tuple[str, int] | None) -> None:
        if saved is not None:
            self._keep = saved
            self.load()
            self.table.focus()


class ContractorEditor(UnsavedChanges, Guarded, ModalScreen[tuple[str, int] | None]):
    """One contractor's fields; Ctrl+S saves (every field checked, nothing stored while
    one is wrong, or when someone else saved the contractor since it was read), Ctrl+R
    reads it again, Esc leaves without saving. Dismisses with (code, id) when saved."""

    CSS_PATH = STYLES
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+r", "reload", "Refresh"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, contractor_id: int | None) -> None:
        super().__init__()
        self.contractor_id = contractor_id
        self.form, self.seen_version = ContractorForm(), None
        if contractor_id is not None:
            self.form, self.seen_version = load_for_editing(contractor_id)

    def compose(self) -> ComposeResult:
        form = self.form
        title = t("New contractor") if self.contractor_id is None else t(
            "Contractor {code}", code=form.code)
        with VerticalScroll(id="editor"):
            yield Label(title, classes="section-title")
            yield Static("", id="changed", classes="problem")
            yield Field(t("Code"), form.code, field_id="code")
            yield Field(t("Name"), form.name, field_id="name")
            yield Field(t("NIP"), form.nip, field_id="nip",
                        hint=t("Optional for private persons; checked when given."))
            yield Field(t("EU/UK VAT number"), form.vat_eu, field_id="vat_eu",
                        hint=t("A company in another EU country or the UK: it has no NIP "
                               "and is still a business (e.g. CZ12345678, GB980780684)."))
            yield Field(t("Address"), form.address, field_id="address",
                        max_length=LONG_LENGTH)
            yield Field(t("E-mail addresses"), ", ".join(form.emails.splitlines()),
                        field_id="emails", max_length=LONG_LENGTH,
                        hint=t("Several addresses separated by commas or semicolons."))
            yield Field(t("Phone"), form.phone, field_id="phone")
            yield Label(t("Letter language"), classes="field--label")
            yield Select([(t("Polish"), "pl"), (t("English"), "en")], value=form.language,
                         allow_blank=False, id="language", compact=True)
            yield Static("", id="language-error", classes="problem")
            yield Label(t("In law (interest, compensation, limitation)"),
                        classes="field--label")
            yield Select([(name_of(KIND_NAMES, kind), kind) for kind in KINDS], value=form.kind,
                         allow_blank=False, id="kind", compact=True)
            yield Label(t("Sales conditions"), classes="section-title")
            yield SwitchField(
                t("Subject to collection"), form.subject_to_collection,
                field_id="subject_to_collection",
                hint=t("Affects only documents created from now on; existing documents "
                       "keep their own setting."),
            )
            yield SwitchField(
                t("The contract allows the debtor-registry warning by e-mail"),
                form.registry_email_allowed, field_id="registry_email_allowed",
                hint=t("Art. 15 ust. 1a of the act of 9 April 2010, businesses only: a "
                       "consumer is always warned by registered letter."),
            )
            with Horizontal(id="buttons"):
                yield Button(t("Save"), id="save", variant="primary")
                yield Button(t("Cancel"), id="cancel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#changed", Static).display = False
        self.query_one("#code", Field).input.focus()
        for name in FIELD_NAMES:
            self.field(name).check = lambda _value, name=name: self.check_field(name)

    def check_field(self, name: str) -> str:
        """One field's problem in words ("" when it is right), checked with the others
        as they stand: what makes an error vanish once the field is corrected."""
        problem = check_contractor(self.current_form(), self.contractor_id).problems.get(name)
        return _problem(problem) if problem else ""

    def field(self, name: str) -> Field:
        return self.query_one(f"#{name}", Field)

    def current_form(self) -> ContractorForm:
        return ContractorForm(
            code=self.field("code").value,
            name=self.field("name").value,
            nip=self.field("nip").value,
            vat_eu=self.field("vat_eu").value,
            address=self.field("address").value,
            emails=self.field("emails").value,
            phone=self.field("phone").value,
            language=str(self.query_one("#language", Select).value),
            kind=str(self.query_one("#kind", Select).value),
            subject_to_collection=self.query_one("#subject_to_collection", SwitchField).value,
            registry_email_allowed=self.query_one("#registry_email_allowed", SwitchField).value,
        )

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        checked = None
        with self.app.attempt(t("Saving the contractor")):  # type: ignore[attr-defined]
            try:
                checked, contractor = save_contractor(
                    self.app.ctx.clock, self.current_form(),  # type: ignore[attr-defined]
                    self.contractor_id, seen_version=self.seen_version,
                    author=current_author())
            except ChangedMeanwhile as error:
                self._refused(error)
                return
        if checked is None:
            return
        for name in ("code", "name", "nip", "vat_eu", "address", "emails", "phone"):
            self.field(name).set_error(_problem(checked.problems.get(name, ""))
                                       if name in checked.problems else "")
        language_problem = checked.problems.get("language")
        self.query_one("#language-error", Static).update(
            t("Error: {problem}", problem=_problem(language_problem)) if language_problem else ""
        )
        if contractor is None:
            self.notify(t("Not saved: correct the fields marked with an error."),
                        severity="warning")
            return
        self.notify(t("Contractor {code} saved.", code=contractor.code))
        self.dismiss((contractor.code, contractor.id))

    def _refused(self, error: ChangedMeanwhile) -> None:
        """Say it where the user looks, and keep their typing to copy."""
        text = t("Not saved: {changed} (Ctrl+R reads the stored contractor; until then "
                 "what you typed stays here to copy).", changed=changed_text(error))
        line = self.query_one("#changed", Static)
        line.update(text)
        line.display = True
        self.query_one("#editor", VerticalScroll).scroll_home(animate=False)
        self.notify(text, severity="error", timeout=12)

    def action_reload(self) -> None:
        self.leave_or_ask(self.refresh_data)

    def refresh_data(self) -> None:
        """Ctrl+R: the stored values and version replace the form (after a refusal, to
        start again from what the other person saved)."""
        if self.contractor_id is None:
            return
        self.form, self.seen_version = load_for_editing(self.contractor_id)
        form = self.form
        for name in ("code", "name", "nip", "vat_eu", "address", "phone"):
            self.field(name).value = getattr(form, name)
            self.field(name).set_error("")
        self.field("emails").value = ", ".join(form.emails.splitlines())
        self.field("emails").set_error("")
        self.query_one("#language", Select).value = form.language
        self.query_one("#kind", Select).value = form.kind
        self.query_one("#subject_to_collection", SwitchField).value = (
            form.subject_to_collection)
        self.query_one("#registry_email_allowed", SwitchField).value = (
            form.registry_email_allowed)
        self.query_one("#language-error", Static).update("")
        self.query_one("#changed", Static).display = False
        self.mark_clean()
        self.notify(t("Contractor {code} read again.", code=form.code))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))
