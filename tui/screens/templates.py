"""Settings → Templates (SPEC §6): edit a message template with a live preview.

Pick the template (reminder, demand, report, or a paper letter's: reminder, demand,
demand with the registry warning), the language and the part (an e-mail's subject, plain
text and HTML; a letter's title, opening and closing paragraphs: ``render.parts_of``);
the editor holds the user's stored version or else the default. A letter's preview shows
its paragraphs as the letter prints them. The preview
renders the text being typed for a real document of the ledger (``dunning.template_preview``)
a moment after typing stops, in a thread worker, so a slow template never freezes the
screen; a failure shows its line in place. Ctrl+S refuses a template that does not
compile or uses an unknown variable, naming the line and moving the cursor there;
nothing is stored then. Ctrl+B puts the default back.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Select, Static, TextArea

from ...dunning.render import (
    LANGUAGES,
    LETTER_NAMES,
    TEMPLATE_NAMES,
    TemplateError,
    default_source,
    html_follows_text,
    html_from_text,
    load_overrides,
    parts_of,
    reset_override,
    save_override,
    trial_render,
)
from ...dunning.template_preview import PreviewSource, preview_source, variable_list
from ...ledger.actions import current_author
from ...ledger.clock import utc_now_naive
from ..debounce import Debounce
from ..i18n import N_, t
from ..widgets.bounded import TEMPLATE_LENGTH
from ..widgets.bounded_text_area import BoundedTextArea
from ..widgets.form import ConfirmDialog
from ..widgets.unsaved import UnsavedChanges
from .base import AppScreen

PREVIEW_DELAY = 0.3  # seconds of quiet typing before the preview renders again
TEMPLATE_WORDS = {"reminder": N_("Reminder"), "demand": N_("Payment demand"),
                  "report": N_("End-of-collection report"),
                  "letter_reminder": N_("Reminder letter"),
                  "letter_demand": N_("Demand letter"),
                  "letter_registry": N_("Demand letter with registry warning")}
LANGUAGE_WORDS = {"pl": N_("Polish"), "en": N_("English")}
PART_WORDS = {"subject": N_("Subject"), "text": N_("Plain text"), "html": N_("HTML")}
#: A letter's parts: its title, the paragraphs before the table of documents and after it.
LETTER_PART_WORDS = {"subject": N_("Title"), "text": N_("Opening text"),
                     "closing": N_("Closing text")}


def part_words(name: str, part: str) -> str:
    """The words for ``part`` of template ``name`` ("Title" for a letter's subject)."""
    return t((LETTER_PART_WORDS if name in LETTER_NAMES else PART_WORDS)[part])


def part_options(name: str) -> list[tuple[str, str]]:
    """The parts picker's options for template ``name``."""
    return [(part_words(name, p), p) for p in parts_of(name)]


def describe_template_error(error: TemplateError) -> str:
    """``Line 3: unexpected '}'``: the line first, where a person looks for it."""
    if error.line is not None:
        return t("Line {line}: {problem}", line=error.line, problem=error.message)
    return error.message


class TemplatesScreen(UnsavedChanges, AppScreen):
    TITLE = N_("Templates")
    CSS_PATH = Path(__file__).parent.parent / "styles" / "templates.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+b", "reset", "Reset to default"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.choice = ("reminder", self.initial_language(), "text")
        self.stored = ""  # what the editor was loaded with: the override or the default
        self.has_override = False
        self.overrides: dict[tuple[str, str, str], str] = {}
        self.previews: dict[str, PreviewSource] = {}
        self._preview_debounce = Debounce(self, PREVIEW_DELAY, self.update_preview)
        self._reverting = False
        self.offered_parts = parts_of(self.choice[0])  # what the parts picker offers

    def initial_language(self) -> str:
        from ..i18n import language

        return language() if language() in LANGUAGES else "pl"

    # -- layout ------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        name, lang, part = self.choice
        with Horizontal(id="template-pickers"):
            yield Select([(t(TEMPLATE_WORDS[n]), n) for n in TEMPLATE_NAMES], value=name,
                         allow_blank=False, compact=True, id="pick-name")
            yield Select([(t(LANGUAGE_WORDS[lang_]), lang_) for lang_ in LANGUAGES],
                         value=lang, allow_blank=False, compact=True, id="pick-language")
            yield Select(part_options(name), value=part,
                         allow_blank=False, compact=True, id="pick-part")
        yield Static("", id="template-state", markup=False)
        with Vertical(id="template-main"):
            yield BoundedTextArea("", id="template-source", show_line_numbers=True,
                                  soft_wrap=True, max_length=TEMPLATE_LENGTH)
            yield Static("", id="template-error", markup=False)
            yield Label("", id="preview-title", markup=False)
            with VerticalScroll(id="preview"):
                yield Static("", id="preview-text", markup=False)
            with VerticalScroll(id="variables"):
                yield Static("", id="variables-text", markup=False)

    def on_mount(self) -> None:
        self.load_choice()

    @property
    def editor(self) -> TextArea:
        return self.query_one("#template-source", TextArea)

    @property
    def dirty(self) -> bool:
        return self.editor.text != self.stored

    @property
    def has_changes(self) -> bool:
        return self.is_mounted and self.dirty

    def which(self) -> str:
        name, lang, part = self.choice
        return f"{t(TEMPLATE_WORDS[name])}, {t(LANGUAGE_WORDS[lang])}, {part_words(name, part)}"

    # -- loading -----------------------------------------------------------------------
    def load_choice(self) -> None:
        """Put the chosen template's stored text (or the default) in the editor."""
        name, lang, part = self.choice
        self.overrides = load_overrides()
        override = self.overrides.get(self.choice)
        self.has_override = override is not None
        self.stored = override if override is not None else default_source(name, lang, part)
        self.editor.load_text(self.stored)
        self.editor.move_cursor((0, 0))
        self.set_error("")
        self.show_state()
        self.query_one("#variables-text", Static).update(
            t("Variables you can use:") + " " + "; ".join(variable_list(name)))
        self.update_preview()

    def show_state(self) -> None:
        if self.dirty:
            text = t("{which}: unsaved changes (Ctrl+S saves).", which=self.which())
        elif self.has_override:
            text = t("{which}: your own version.", which=self.which())
        else:
            text = t("{which}: the default text.", which=self.which())
        pairing = self.pairing()
        self.query_one("#template-state", Static).update(text + (" " + pairing if pairing
                                                                 else ""))

    def pairing(self) -> str:
        """How the plain text and the HTML of this message go together, as stored: the
        HTML is made from an own plain text unless it is the user's own too
        (``dunning.render.html_follows_text``)."""
        name, lang, part = self.choice
        if part == "subject" or name in LETTER_NAMES:  # a letter has no HTML
            return ""
        own_text = (name, lang, "text") in self.overrides
        own_html = (name, lang, "html") in self.overrides
        if html_follows_text(self.overrides, name, lang):
            if part == "html":
                return t("Not sent: while only the plain text is your own, the HTML part "
                         "is made from it. Save an HTML version to send this one.")
            return t("The HTML part is made from this text.")
        if own_text and own_html:
            return t("Both parts are your own and sent as written: keep them saying the "
                     "same.")
        if own_html:
            if part == "html":
                return t("Sent beside the default plain text: keep the two saying the same.")
            return t("Your own HTML part is sent beside this text: keep the two saying "
                     "the same.")
        return ""

    def set_error(self, text: str) -> None:
        self.query_one("#template-error", Static).update(text)

    def refresh_data(self) -> None:
        """Another user may have saved a version: re-read it, unless typing is under way."""
        self.previews.clear()
        if not self.dirty:
            self.load_choice()

    # -- the pickers -------------------------------------------------------------------
    def picked(self) -> tuple[str, str, str]:
        return tuple(str(self.query_one(f"#pick-{k}", Select).value)  # type: ignore[return-value]
                     for k in ("name", "language", "part"))

    def wanted(self) -> tuple[str, str, str]:
        """What the pickers choose; the subject when the template picked has not the
        part picked (a letter has no HTML, an e-mail no closing)."""
        name, lang, part = self.picked()
        return (name, lang, part if part in parts_of(name) else "subject")

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self._reverting or self.picked() == self.choice:
            return
        if not self.dirty:
            self.choose(self.wanted())
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.choose(self.wanted())
            else:
                self.revert_pickers()

        self.app.push_screen(
            ConfirmDialog(t("Discard the unsaved changes to {which}?", which=self.which())),
            callback=answered)

    def choose(self, choice: tuple[str, str, str]) -> None:
        """Edit ``choice``: the parts picker offers its template's parts."""
        self.choice = choice
        name, _lang, part = choice
        select = self.query_one("#pick-part", Select)
        options = part_options(name)  # e-mails share their parts, and letters theirs
        if parts_of(name) != self.offered_parts:
            self._reverting = True
            self.offered_parts = parts_of(name)
            select.set_options(options)
            select.value = part
            self.call_after_refresh(self._done_reverting)
        elif select.value != part:
            self._reverting = True
            select.value = part
            self.call_after_refresh(self._done_reverting)
        self.load_choice()

    def revert_pickers(self) -> None:
        self._reverting = True
        for key, value in zip(("name", "language", "part"), self.choice, strict=True):
            self.query_one(f"#pick-{key}", Select).value = value
        self.call_after_refresh(self._done_reverting)

    def _done_reverting(self) -> None:
        self._reverting = False

    # -- the preview -------------------------------------------------------------------
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.show_state()
        self._preview_debounce.poke()

    def preview_for(self, name: str) -> PreviewSource:
        if name not in self.previews:
            self.previews[name] = preview_source(name, self.settings(), self.clock.today())
        return self.previews[name]

    def update_preview(self) -> None:
        name, lang, part = self.choice
        source = self.preview_for(name)
        if source.document_number:
            title = t("Preview for document {number} ({contractor})",
                      number=source.document_number, contractor=source.contractor_name)
        else:
            title = t("Preview with sample data (no document in the ledger yet)")
        self.query_one("#preview-title", Label).update(title)
        self.render_preview(self.choice, self.editor.text, source.context)

    @work(thread=True, exclusive=True, group="template-preview", exit_on_error=False)
    def render_preview(self, choice: tuple[str, str, str], text: str, context: dict) -> None:
        name, lang, part = choice
        try:
            if part == "html" and text == self.stored and html_follows_text(
                    self.overrides, name, lang):
                # What is sent: the HTML made from the user's own text, not this default.
                own_text = trial_render(name, "text", self.overrides[(name, lang, "text")],
                                        lang, context)
                rendered, problem = html_from_text(own_text, lang), ""
            else:
                rendered, problem = trial_render(name, part, text, lang, context), ""
        except TemplateError as exc:
            rendered, problem = "", describe_template_error(exc)
        self.app.call_from_thread(self.show_preview, choice, text, rendered, problem)

    def show_preview(self, choice: tuple[str, str, str], text: str, rendered: str,
                     problem: str) -> None:
        if choice != self.choice or text != self.editor.text:
            return  # typing went on; a newer preview is on its way
        preview = self.query_one("#preview-text", Static)
        if problem:
            preview.update(t("The preview cannot be rendered: {problem}", problem=problem))
        else:
            preview.update(rendered)
        self.set_error(problem)

    # -- saving and resetting ----------------------------------------------------------
    def action_save(self) -> None:
        name, lang, part = self.choice
        text = self.editor.text
        with self.windykacja.attempt(t("Saving the template")):
            try:
                save_override(name, lang, part, text, current_author(),
                              utc_now_naive(self.clock))
            except TemplateError as exc:  # the user's to correct, at the line named
                self.set_error(t("Not saved. {problem}",
                                 problem=describe_template_error(exc)))
                if exc.line is not None:
                    self.editor.move_cursor((max(exc.line - 1, 0), 0))
                self.editor.focus()
                return
            self.stored = text
            self.has_override = text != default_source(name, lang, part)
            self.overrides = load_overrides()
            self.set_error("")
            self.notify(t("Template saved: {which}. It is used from the next message.",
                          which=self.which()))
        self.show_state()

    def action_reset(self) -> None:
        if not self.has_override and not self.dirty:
            self.notify(t("This is already the default text."))
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            with self.windykacja.attempt(t("Resetting the template")):
                reset_override(*self.choice)
                self.load_choice()
                self.notify(t("The default text is back: {which}.", which=self.which()))

        self.app.push_screen(
            ConfirmDialog(t("Put back the default text of {which}? Your version will be "
                            "deleted.", which=self.which())),
            callback=answered)

    def action_leave(self) -> None:
        self.leave_or_ask(self.dismiss_editor)

    def dismiss_editor(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
