"""The KSeF connection as a form (issue 14): which environment, the NIP whose invoices are
fetched, where the token is, and the first day to fetch from. Shared by *Connect KSeF*
(``screens/ksef_connect.py``, from the welcome screen and the palette) and the first step
of the setup wizard.

The form reads itself as the ``ksef.*`` settings (``values``) and checks itself field by
field (``problems``), every problem under its field in words; nothing typed is lost. The
token itself is never typed here: it is a secret that stays out of the database, read
from ``$WINDYKACJA_KSEF_TOKEN`` or from the file named here (``ledger/ksef_access.py``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Select, Static

from ...ledger.ksef_access import ENVIRONMENTS, TOKEN_ENV
from ...ledger.settings import (
    CollectionSettings,
    SettingsError,
    SettingsValidationError,
    parse_changes,
)
from ...ledger.settings_problems import describe_problem
from ...ledger.validation import check_day
from ..formatting import day
from ..i18n import N_, t
from .bounded import LONG_LENGTH
from .form import Field

#: The first sync's default start, as the sync's own (``importers/ksef_fetch.py``).
FIRST_SYNC_DAYS = 90
NOT_NOW = ""  # the wizard's "not now": the KSeF settings stay as they are
ENVIRONMENT_WORDS = {
    "production": N_("Production: the company's real invoices"),
    "demo": N_("Demo: KSeF's pre-production environment"),
    "test": N_("Test: KSeF's test environment, made-up data"),
}
#: The form's fields by the setting each fills.
KEYS = ("ksef.environment", "ksef.nip", "ksef.token_file", "ksef.since")


def field_id(key: str) -> str:
    return key.replace(".", "-")


def token_in_environment() -> bool:
    return bool(os.environ.get(TOKEN_ENV, "").strip())


def parse_first_day(text: str) -> dt.date:
    """``DD.MM.YYYY`` as the screens write dates, or ``YYYY-MM-DD``."""
    for form in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return check_day(dt.datetime.strptime(text.strip(), form).date())
        except ValueError:
            continue
    raise ValueError(t("'{value}' is not a date (use DD.MM.YYYY)", value=text.strip()))


class KsefFields(Vertical):
    """The four fields; ``optional``: the wizard's step, which may be left "not now"."""

    DEFAULT_CSS = """
    KsefFields { height: auto; }
    KsefFields > .field--label { color: $text-muted; }
    KsefFields > Select { width: 1fr; max-width: 60; }
    KsefFields > .field--error { color: $error; height: auto; }
    KsefFields > .field--error.-empty { display: none; }
    KsefFields > .hint { color: $text-muted; height: auto; }
    """

    def __init__(self, settings: CollectionSettings, today: dt.date, *,
                 optional: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.settings, self.today, self.optional = settings, today, optional

    def compose(self) -> ComposeResult:
        settings = self.settings
        yield Static(t(
            "Windykacja fetches the company's sales invoices from KSeF by itself. It needs "
            "a KSeF token that the company generates in KSeF with the permission to read "
            "invoices (InvoiceRead). The token never goes into the database: put it in a "
            "file only you can read (chmod 600) and name the file below, or set "
            "${name}.", name=TOKEN_ENV), classes="hint")
        yield Label(t("KSeF environment"), classes="field--label")
        yield Select(self._choices(), value=self._environment(), allow_blank=False,
                     compact=True, id=field_id("ksef.environment"))
        yield Static("", classes="field--error -empty", id="ksef-environment-error")
        yield Field(t("NIP whose invoices are fetched"),
                    settings.ksef_nip or settings.company_nip, field_id=field_id("ksef.nip"),
                    hint=t("10 digits: the company's NIP, or the one the token was "
                           "generated for"))
        yield Field(t("File holding the KSeF token"), settings.ksef_token_file,
                    field_id=field_id("ksef.token_file"), max_length=LONG_LENGTH,
                    placeholder="~/.ksef-token", hint=self._token_hint())
        since = settings.ksef_since or self.today - dt.timedelta(days=FIRST_SYNC_DAYS)
        yield Field(t("Fetch invoices stored in KSeF from"), day(since),
                    field_id=field_id("ksef.since"),
                    hint=t("DD.MM.YYYY; only the first sync starts here, each later one "
                           "goes on where the last stopped"))

    def _choices(self) -> list[tuple[str, str]]:
        choices = [(t(words), name) for name, words in ENVIRONMENT_WORDS.items()]
        current = self.settings.ksef_environment
        if current and current not in ENVIRONMENTS:  # an address: a proxy or a stand-in
            choices.append((current, current))
        if self.optional:
            choices.insert(0, (t("Not now (skip this step)"), NOT_NOW))
        return choices

    def _environment(self) -> str:
        current = self.settings.ksef_environment
        if current:
            return current
        return NOT_NOW if self.optional else "production"

    @staticmethod
    def _token_hint() -> str:
        if token_in_environment():
            return t("${name} is set here, so the token is read from it; the file is used "
                     "where it is not set", name=TOKEN_ENV)
        return t("a full path, e.g. ~/.ksef-token; or leave it empty and set ${name}",
                 name=TOKEN_ENV)

    def on_mount(self) -> None:
        self._switch_fields()

    @on(Select.Changed)
    def _environment_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._switch_fields()

    def _switch_fields(self) -> None:
        """"Not now" greys the other fields out: nothing of them is saved."""
        off = self.environment == NOT_NOW
        for key in KEYS[1:]:
            self.field(key).input.disabled = off
        if off:
            self.show_problems({})

    # -- reading -------------------------------------------------------------------------
    @property
    def environment(self) -> str:
        value = self.query_one(Select).value
        return value if isinstance(value, str) else NOT_NOW

    def field(self, key: str) -> Field:
        return self.query_one(f"#{field_id(key)}", Field)

    def values(self) -> dict[str, str]:
        """The ``ksef.*`` settings as ``settings set`` takes them (``problems`` first);
        none for "not now", which leaves them as they are. The NIP is stored only when
        it is not the company's, which it then follows."""
        environment = self.environment
        if environment == NOT_NOW:
            return {}
        nip = self.field("ksef.nip").value
        return {
            "ksef.environment": environment,
            "ksef.nip": "" if nip == self.settings.company_nip else nip,
            "ksef.token_file": self.field("ksef.token_file").value,
            "ksef.since": parse_first_day(self.field("ksef.since").value).isoformat(),
        }

    def problems(self) -> dict[str, str]:
        """Each field's problem in words, by its setting; empty when all is well."""
        if self.environment == NOT_NOW:
            return {}
        problems: dict[str, str] = {}
        nip = self.field("ksef.nip").value
        token_file = self.field("ksef.token_file").value
        if not nip:
            problems["ksef.nip"] = t("required: the NIP the token was generated for")
        if not token_file and not token_in_environment():
            problems["ksef.token_file"] = t(
                "required: the file holding the token (or set ${name})", name=TOKEN_ENV)
        try:
            parse_first_day(self.field("ksef.since").value)
        except ValueError as exc:
            problems["ksef.since"] = str(exc)
        raw = {"ksef.environment": self.environment, "ksef.nip": nip,
               "ksef.token_file": token_file}
        try:
            parse_changes(raw)
        except SettingsValidationError as exc:
            for problem in exc.problems:
                problems.setdefault(problem.key, describe_problem(problem.problem))
        return problems

    # -- telling -------------------------------------------------------------------------
    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Each problem under its field, every other field cleared; the cursor goes to
        the first field with one."""
        line = self.query_one("#ksef-environment-error", Static)
        text = problems.get("ksef.environment", "")
        line.update(t("Error: {problem}", problem=text) if text else "")
        line.set_class(not text, "-empty")
        first = None
        for key in KEYS[1:]:
            self.field(key).set_error(problems.get(key, ""))
            if key in problems and first is None:
                first = key
        if first is not None:
            self.field(first).input.focus()

    def show_settings_errors(self, errors: list[SettingsError]) -> None:
        """What saving refused (the settings' own words), under the fields."""
        self.show_problems({e.key: describe_problem(e.problem) for e in errors})

    def focus_first(self) -> None:
        self.query_one(Select).focus()

