"""The collection settings as form sections, shared by the setup wizard and Settings
(SPEC §2: "the same fields are edited later in Settings → Collection").

Every field is found by its settings key (``reminder.min_amount`` → widget id
``reminder-min_amount``), so a form reads itself as the ``key -> text`` pairs that
``ledger.settings`` parses, and a ``SettingsError`` of the parser lands next to the
field of its key. The parsers' words are English; ``describe_problem`` turns the known
ones into the interface language (a value the user typed is kept as typed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Label, Select, Static

from ...ledger.calendar import WEEKDAY_CODES, parse_weekdays
from ...ledger.settings import (
    CollectionSettings,
    SettingsError,
    SettingsValidationError,
    parse_changes,
    settings_as_text,
)
from ...ledger.settings_problems import describe_problem
from ...ledger.validation import parse_bool
from ..i18n import N_, t
from .bounded import LONG_LENGTH, SHORT_LENGTH
from .form import Field, MarkedCheckbox, SwitchField

# Labels by key, English source text shown through t(); the summary reuses them.
LABELS = {
    "module.enabled": N_("Collection switched on"),
    "reminder.enabled": N_("Send reminders before the due date"),
    "reminder.min_amount": N_("Minimum outstanding amount for a reminder (PLN)"),
    "reminder.days_before_due": N_("Days before the due date"),
    "demand.enabled": N_("Send payment demands after the due date"),
    "demand.min_amount": N_("Minimum outstanding amount for a demand (PLN)"),
    "demand.first_after_days": N_("Days after the due date for the first demand"),
    "demand.repeat_every_days": N_("Repeat a demand every N days"),
    "demand.max_count": N_("Demands per document at most"),
    "report.enabled": N_("E-mail me a report when collection of a document ends"),
    "report.email": N_("My e-mail address for the reports"),
    "report.language": N_("Language of the reports"),
    "schedule.weekdays": N_("Days on which reminders and demands may be sent"),
    "schedule.time": N_("Hour of the daily pass (HH:MM)"),
    "schedule.skip_holidays": N_("Skip Polish public holidays"),
    "company.name": N_("Company name"),
    "company.address": N_("Company address"),
    "company.nip": N_("Company NIP"),
    "company.bank_account": N_("Bank account for payments"),
    "sender.name": N_("Sender name (who signs the letters)"),
    "sender.email": N_("Sender e-mail address"),
    "smtp.url": N_("SMTP server address"),
}
HINTS = {
    "reminder.min_amount": N_("0.00 sends a reminder for any amount"),
    "reminder.days_before_due": N_("0 to 60; 0 = on the due date itself"),
    "demand.min_amount": N_("0.00 sends a demand for any amount"),
    "demand.first_after_days": N_("1 to 365"),
    "demand.repeat_every_days": N_("1 to 365"),
    "demand.max_count": N_("1 to 10"),
    "report.email": N_("required when the report is switched on"),
    "company.nip": N_("10 digits; may be left empty"),
    "company.bank_account": N_("required: the demands ask for payment to it"),
    "company.name": N_("required"),
    "sender.email": N_("required: the messages come from this address"),
    "smtp.url": N_("e.g. smtp://user:password@host:587?starttls=1 or smtps://user@host:465; "
                   "a password is shown as ***: leave it to keep it, or type the whole "
                   "address again. Empty: messages stay in the local outbox folder."),
}
WEEKDAY_NAMES = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
# Fields that hold addresses: 500 characters, every other one 200 (widgets/bounded.py).
LONG_KEYS = frozenset({"company.address", "smtp.url"})
BOOLEAN_KEYS = frozenset({"module.enabled", "reminder.enabled", "demand.enabled",
                          "report.enabled", "schedule.skip_holidays"})

def value_problem(key: str, value: str) -> str:
    """One setting's own problem in words ("" when its value parses), for the error
    under a field to go as soon as the value is right (saving checks them together)."""
    try:
        parse_changes({key: value})
    except SettingsValidationError as exc:
        return describe_problem(exc.problems[0].problem)
    return ""


def widget_id(key: str) -> str:
    """Widget ids may not hold dots: ``reminder.min_amount`` → ``reminder-min_amount``."""
    return key.replace(".", "-")


def yes_no(value: bool) -> str:
    return t("yes") if value else t("no")


def describe_value(key: str, text: str) -> str:
    """A settings value as the summary shows it, in words."""
    if key in BOOLEAN_KEYS:
        try:
            return yes_no(parse_bool(text))
        except ValueError:
            return text
    if key == "schedule.weekdays":
        try:
            days = parse_weekdays(text)
        except ValueError:
            return text
        return ", ".join(t(WEEKDAY_NAMES[day]) for day in sorted(days))
    if key == "report.language":
        return t("Polish") if text == "pl" else t("English")
    return text or t("(not set)")


class WeekdaysField(Vertical):
    """Seven checkboxes, Monday first; at least one must stay ticked."""

    DEFAULT_CSS = """
    WeekdaysField { height: auto; }
    WeekdaysField > .field--label { color: $text-muted; }
    WeekdaysField > Horizontal { height: auto; }
    WeekdaysField Checkbox { margin-right: 1; }
    WeekdaysField > .field--error { color: $error; height: auto; }
    """

    def __init__(self, label: str, value: str, *, field_id: str | None = None) -> None:
        super().__init__(id=field_id)
        self._label = label
        self._days = parse_weekdays(value) if value else frozenset()

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="field--label")
        with Horizontal():
            for index, code in enumerate(WEEKDAY_CODES):
                yield MarkedCheckbox(t(WEEKDAY_NAMES[index]), index in self._days,
                                     compact=True, id=f"day-{code}")
        yield Static("", classes="field--error")

    @property
    def value(self) -> str:
        """The ticked days as ``settings set`` writes them (``mon,tue``); empty if none."""
        return ",".join(code for code in WEEKDAY_CODES
                        if self.query_one(f"#day-{code}", Checkbox).value)

    @value.setter
    def value(self, text: str) -> None:
        days = parse_weekdays(text) if text else frozenset()
        for index, code in enumerate(WEEKDAY_CODES):
            self.query_one(f"#day-{code}", Checkbox).value = index in days

    def set_error(self, text: str) -> None:
        self.query_one(".field--error", Static).update(
            t("Error: {problem}", problem=text) if text else "")

    @property
    def error(self) -> str:
        return str(self.query_one(".field--error", Static).content)

    def on_checkbox_changed(self) -> None:
        """"Choose at least one day" goes as soon as one is ticked."""
        if self.error and self.value:
            self.set_error("")


class ChoiceField(Vertical):
    """One of a few codes, picked from their words in a list (never a code typed)."""

    DEFAULT_CSS = """
    ChoiceField { height: auto; }
    ChoiceField > .field--label { color: $text-muted; }
    ChoiceField > Select { width: 30; }
    ChoiceField > .field--hint { color: $text-muted; height: auto; }
    ChoiceField > .field--error { color: $error; height: auto; }
    """

    def __init__(self, label: str, value: str, choices: list[tuple[str, str]], *,
                 hint: str = "", field_id: str | None = None) -> None:
        super().__init__(id=field_id)
        self._label, self._choices, self._hint = label, choices, hint
        self._default = choices[0][1]
        self._value = value or self._default

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="field--label")
        yield Select(self._choices, value=self._value, allow_blank=False, compact=True)
        if self._hint:
            yield Static(self._hint, classes="field--hint", markup=False)
        yield Static("", classes="field--error")

    @property
    def value(self) -> str:
        return str(self.query_one(Select).value)

    @value.setter
    def value(self, text: str) -> None:
        self.query_one(Select).value = text or self._default

    def set_error(self, text: str) -> None:
        self.query_one(".field--error", Static).update(
            t("Error: {problem}", problem=text) if text else "")


class LanguageField(ChoiceField):
    """Polish or English, as a list to pick from."""

    def __init__(self, label: str, value: str, *, field_id: str | None = None) -> None:
        super().__init__(label, value, [(t("Polish"), "pl"), (t("English"), "en")],
                         field_id=field_id)


class FormSection(Vertical):
    """A titled group of settings fields; reads itself as ``key -> text`` pairs."""

    DEFAULT_CSS = """
    FormSection { height: auto; }
    FormSection > .section-title { text-style: bold; margin-top: 1; }
    """
    TITLE = ""  # English; shown through t()
    KEYS: tuple[str, ...] = ()

    def __init__(self, settings: CollectionSettings, *, show_title: bool = True,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.texts = settings_as_text(settings)  # secrets masked
        self.show_title = show_title

    def compose(self) -> ComposeResult:
        if self.show_title and self.TITLE:
            yield Static(t(self.TITLE), classes="section-title")
        for key in self.KEYS:
            yield self.make_field(key)

    def make_field(self, key: str):
        label, text = t(LABELS[key]), self.texts.get(key, "")
        if key in BOOLEAN_KEYS:
            return SwitchField(label, parse_bool(text), field_id=widget_id(key))
        if key == "schedule.weekdays":
            return WeekdaysField(label, text, field_id=widget_id(key))
        if key == "report.language":
            return LanguageField(label, text, field_id=widget_id(key))
        hint = t(HINTS[key]) if key in HINTS else ""
        return Field(label, text, hint=hint, field_id=widget_id(key),
                     max_length=LONG_LENGTH if key in LONG_KEYS else SHORT_LENGTH,
                     check=partial(value_problem, key))

    def load(self, settings: CollectionSettings) -> None:
        """Show ``settings`` in the fields (secrets masked), every error cleared."""
        self.texts = settings_as_text(settings)
        for key in self.KEYS:
            widget, text = self.field(key), self.texts.get(key, "")
            widget.value = parse_bool(text) if key in BOOLEAN_KEYS else text
        self.show_problems([])

    def field(self, key: str):
        return self.query_one(f"#{widget_id(key)}")

    def values(self) -> dict[str, str]:
        out = {}
        for key in self.KEYS:
            widget = self.field(key)
            out[key] = yes_no_text(widget.value) if key in BOOLEAN_KEYS else widget.value
        return out

    def show_problems(self, problems: Iterable[SettingsError]) -> list[str]:
        """Each problem next to its field, every other field cleared; returns the keys
        of this section that have a problem."""
        by_key: Mapping[str, str] = {p.key: p.problem for p in problems}
        shown = []
        for key in self.KEYS:
            widget = self.field(key)
            if not hasattr(widget, "set_error"):
                continue
            problem = by_key.get(key, "")
            widget.set_error(describe_problem(problem) if problem else "")
            if problem:
                shown.append(key)
        return shown

    def focus_field(self, key: str) -> None:
        widget = self.field(key)
        target = widget.query_one("Input, Checkbox, Select") if widget.children else widget
        target.focus()


def yes_no_text(value: bool) -> str:
    """A switch as the settings parser reads it."""
    return "yes" if value else "no"


class RemindersSection(FormSection):
    TITLE = N_("Reminders")
    KEYS = ("reminder.enabled", "reminder.min_amount", "reminder.days_before_due")


class DemandsSection(FormSection):
    TITLE = N_("Demands")
    KEYS = ("demand.enabled", "demand.min_amount", "demand.first_after_days",
            "demand.repeat_every_days", "demand.max_count", "report.enabled", "report.email")


class DaysSection(FormSection):
    TITLE = N_("Days")
    KEYS = ("schedule.weekdays", "schedule.time", "schedule.skip_holidays")


class SenderSection(FormSection):
    TITLE = N_("Sender identity")
    KEYS: tuple[str, ...] = ("company.name", "company.address", "company.nip",
                             "company.bank_account", "sender.name", "sender.email")


class SenderWithLanguageSection(SenderSection):
    KEYS = (*SenderSection.KEYS, "report.language")


class ModuleSection(FormSection):
    KEYS = ("module.enabled",)


class SmtpSection(FormSection):
    """The SMTP URL, shown with its password masked (``settings_as_text`` masks it)."""

    TITLE = N_("Sending e-mail (SMTP)")
    KEYS = ("smtp.url",)


COLLECTION_SECTIONS = (RemindersSection, DemandsSection, DaysSection)
