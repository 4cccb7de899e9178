"""Collection settings: typed, validated, with the wizard's defaults (SPEC §2, §10).

``CollectionSettings`` is a frozen value the pure policy reads. ``SETTING_KEYS`` maps
each ``settings set`` key to its parser and formatter; ``load_settings`` and
``save_settings`` are the only code that touches the ``setting`` table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..models import Setting, database
from ..models.money import MoneyError, parse_amount
from .bank_profiles import parse_profile_name
from .calendar import WORKDAYS, SendingDays, format_weekdays, parse_weekdays
from .imap_url import mask_imap_url, parse_imap_url
from .ksef_access import parse_environment
from .smtp_url import parse_smtp_url
from .validation import check_amount, fold_line, normalise_nip, parse_bool, validate_email

# The agency API token may come from the environment instead of the ``setting`` table
# (``recovery.api_token``), as the SMTP password may (``smtp_url.PASSWORD_ENV``).
AGENCY_TOKEN_ENV = "WINDYKACJA_AGENCY_TOKEN"


@dataclass(frozen=True)
class CollectionSettings:
    module_enabled: bool = False
    reminder_enabled: bool = True
    reminder_min_amount: Decimal = Decimal("0.00")
    reminder_days_before_due: int = 3
    demand_enabled: bool = True
    demand_min_amount: Decimal = Decimal("0.00")
    demand_first_after_days: int = 7
    demand_repeat_every_days: int = 14
    demand_max_count: int = 3
    report_enabled: bool = False
    report_email: str = ""
    report_language: str = "pl"  # the user's language, for the end-of-collection report
    schedule_weekdays: frozenset[int] = WORKDAYS
    schedule_time: dt.time = dt.time(9, 0)
    schedule_skip_holidays: bool = True
    company_name: str = ""
    company_nip: str = ""
    company_address: str = ""
    company_bank_account: str = ""
    sender_name: str = ""
    sender_email: str = ""
    smtp_url: str = ""
    # A return path per reminder and demand (dunning/verp.py): bounces name their message.
    smtp_verp: bool = False
    outbox_maildir: str = ""
    timezone: str = "Europe/Warsaw"
    # Recovery (SPEC §8): how cases reach the agency; empty values take the agency file's.
    recovery_gateway: str = "email"
    recovery_intake_email: str = ""
    recovery_api_url: str = ""
    recovery_api_token: str = ""
    recovery_timeout_seconds: float = 10.0
    # Polish law (issue 5): what a demand claims beyond the principal. Interest is on by
    # default; compensation off, as many creditors keep the customer's goodwill.
    demand_include_interest: bool = True
    demand_include_compensation: bool = False
    # Demands wait while the newest imported bank statement is older than this many days,
    # so nobody is chased for money that already arrived; 0 switches the hold off.
    statement_hold_days: int = 3
    # The bank profile (encoding and :86: dialect) MT940 statements are read with;
    # ``import statement --profile`` overrides it (ledger/bank_profiles.py).
    statement_bank_profile: str = "pko"
    # Watched folders (importers/watched_folders.py): one folder per kind of file, each new
    # file imported once and moved to done/ or refused/ inside it; empty = not watched.
    folders_ksef: str = ""
    folders_contractors: str = ""
    folders_documents: str = ""
    folders_payments: str = ""
    folders_statements: str = ""
    # KSeF sync (importers/ksef_sync.py, ledger/ksef_access.py): empty environment = off.
    # The NIP defaults to the company's; the token is never a setting, only its file.
    ksef_environment: str = ""
    ksef_nip: str = ""
    ksef_token_file: str = ""
    # Where the first sync starts (the checkpoint takes over after it); None: 90 days
    # before the first sync's day.
    ksef_since: dt.date | None = None
    # The collection mailbox (issue 15, importers/inbox.py): an IMAP folder (the password
    # as SMTP's: ``$WINDYKACJA_IMAP_PASSWORD`` or a file) or a local Maildir; empty = not
    # read. ``inbox_move_to``: a folder processed messages move to; empty = they stay.
    imap_url: str = ""
    inbox_maildir: str = ""
    inbox_move_to: str = ""
    # A promise to pay holds collection until its date plus these days (issue 15).
    promise_grace_days: int = 3
    # Letters on paper (issue 16, docs/paper-design.md): the channel of each step —
    # "email", "letter" or "both" — and whether the paper path is on at all (with it on,
    # a contractor without an e-mail address gets letters).
    letters_enabled: bool = False
    letters_reminder: str = "email"
    letters_demand: str = "email"
    letters_last_demand: str = "email"
    # The town in the letters' date line ("" : the town of the company's address).
    letters_place: str = ""
    # Print for both sides of the sheet: every letter starts on a front page.
    letters_duplex: bool = True
    # Where print jobs go ("" : a folder "letters" beside an SQLite database).
    letters_folder: str = ""
    # The debtor-registry warning (issue 16, docs/registry.md): the last demand carries
    # it, naming the bureau's firm and the address of its seat, by registered letter (or
    # by e-mail to a business whose contract allows it: the contractor's flag).
    registry_warning: bool = False
    registry_bureau_name: str = ""
    registry_bureau_address: str = ""

    @property
    def sending_days(self) -> SendingDays:
        return SendingDays(self.schedule_weekdays, self.schedule_skip_holidays)


class SettingsError(ValueError):
    """A setting that cannot be stored, with the key it concerns."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError(f"'{text}' is not a whole number") from None
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value

    return parse


def _amount(text: str) -> Decimal:
    try:
        value = parse_amount(text)
    except MoneyError as exc:
        raise ValueError(str(exc)) from None
    if value < 0:
        raise ValueError("must not be negative")
    return check_amount(value, "PLN")  # the pass compares it in SQL: the BIGINT limit


def _time(text: str) -> dt.time:
    try:
        hours, minutes = text.strip().split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"'{text}' is not a time (use HH:MM, e.g. 09:00)") from None


def _mailbox_folder(text: str) -> str:
    """An IMAP folder name (``Windykacja/Przetworzone``): no control characters."""
    name = text.strip()
    if any(ord(c) < 32 or c == "\x7f" for c in name):
        raise ValueError("a folder name cannot contain control characters")
    return name


def _optional_email(text: str) -> str:
    return validate_email(text) if text.strip() else ""


def _as_stored(text: str) -> str:
    """An e-mail address or a NIP as ``save_settings`` stored it: checked and normalised
    when it was typed (``_optional_email``, ``_optional_nip``; the table's only writer,
    normalising since the first version). Not checked again at every load:
    email-validator's tables take 50 ms to build and python-stdnum brings pydoc and
    ssl, which the interface's first screen would wait for."""
    return text


def _optional_nip(text: str) -> str:
    return normalise_nip(text) if text.strip() else ""


def _timezone(text: str) -> str:
    try:
        ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{text}' (e.g. Europe/Warsaw)") from None
    return text.strip()


def _one_of(first: str, second: str, noun: str) -> Callable[[str], str]:
    """A setting that takes one of two words, in any case ("PL" is pl)."""

    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in (first, second):
            raise ValueError(f"'{text}' is not a {noun} (use {first} or {second})")
        return value

    return parse


def _text(text: str) -> str:
    """A text setting on one line: a line break in the company's name or the sender's
    would reach every letter's header and the log (ledger/validation.py)."""
    return fold_line(text)


def _channel(text: str) -> str:
    """How a step goes out (issue 16): by e-mail, by letter, or both."""
    value = text.strip().lower()
    if value not in ("email", "letter", "both"):
        raise ValueError(f"'{text}' is not a channel (use email, letter or both)")
    return value


def _smtp_url(text: str) -> str:
    if text.strip():
        parse_smtp_url(text.strip())
    return text.strip()


def _imap_url(text: str) -> str:
    if text.strip():
        parse_imap_url(text.strip())
    return text.strip()


def _http_url(text: str) -> str:
    value = text.strip().rstrip("/")
    if value and not value.startswith(("http://", "https://")):
        raise ValueError(f"'{text}' must start with http:// or https://")
    return value


def _seconds(text: str) -> float:
    """A timeout, read as a Decimal (no binary float in this module), kept to the
    millisecond and handed to the socket as seconds."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number of seconds") from None
    if not value.is_finite() or not 0 < value <= 300:
        raise ValueError("must be more than 0 and at most 300 seconds")
    return int(value * 1000) / 1000


def _bank_profile(text: str) -> str:
    return parse_profile_name(text)


def _optional_day(text: str) -> dt.date | None:
    """A day as YYYY-MM-DD, or empty."""
    value = text.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _full_path(noun: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = fold_line(text)
        if not value:
            return ""
        path = os.path.expanduser(value)
        if not os.path.isabs(path):
            raise ValueError(f"'{value}' is not a full {noun} path (start it with / or ~)")
        return os.path.normpath(path)

    return parse


#: A watched folder: empty (not watched), or a full path on one line (``~`` is the home
#: folder of whoever runs the program). Whether the folder exists is said by each scan
#: and by ``folders status``: the worker may run on another machine than the one the
#: settings were written on.
_folder = _full_path("folder")
_file = _full_path("file")


def _bool_text(value: bool) -> str:
    return "yes" if value else "no"


def _plain(value: Any) -> str:
    return str(value)


@dataclass(frozen=True)
class KeySpec:
    attribute: str
    parse: Callable[[str], Any]
    format: Callable[[Any], str] = _plain
    secret: bool = False
    # How a secret is shown: an URL keeps all but its password; a bare token is hidden.
    mask: Callable[[str], str] | None = None
    # How ``load_settings`` reads back what ``save_settings`` stored (``format`` of a
    # parsed value), where that is cheaper than parsing it again; None: ``parse``.
    load: Callable[[str], Any] | None = None


SETTING_KEYS: dict[str, KeySpec] = {
    "module.enabled": KeySpec("module_enabled", parse_bool, _bool_text),
    "reminder.enabled": KeySpec("reminder_enabled", parse_bool, _bool_text),
    "reminder.min_amount": KeySpec("reminder_min_amount", _amount),
    "reminder.days_before_due": KeySpec("reminder_days_before_due", _int_between(0, 60)),
    "demand.enabled": KeySpec("demand_enabled", parse_bool, _bool_text),
    "demand.min_amount": KeySpec("demand_min_amount", _amount),
    "demand.first_after_days": KeySpec("demand_first_after_days", _int_between(1, 365)),
    "demand.repeat_every_days": KeySpec("demand_repeat_every_days", _int_between(1, 365)),
    "demand.max_count": KeySpec("demand_max_count", _int_between(1, 10)),
    "report.enabled": KeySpec("report_enabled", parse_bool, _bool_text),
    "report.email": KeySpec("report_email", _optional_email, load=_as_stored),
    "report.language": KeySpec("report_language", _one_of("pl", "en", "language")),
    "schedule.weekdays": KeySpec("schedule_weekdays", parse_weekdays, format_weekdays),
    "schedule.time": KeySpec("schedule_time", _time, lambda t: t.strftime("%H:%M")),
    "schedule.skip_holidays": KeySpec("schedule_skip_holidays", parse_bool, _bool_text),
    "company.name": KeySpec("company_name", _text),
    "company.nip": KeySpec("company_nip", _optional_nip, load=_as_stored),
    "company.address": KeySpec("company_address", _text),
    "company.bank_account": KeySpec("company_bank_account", _text),
    "sender.name": KeySpec("sender_name", _text),
    "sender.email": KeySpec("sender_email", _optional_email, load=_as_stored),
    "smtp.url": KeySpec("smtp_url", _smtp_url, secret=True),
    "smtp.verp": KeySpec("smtp_verp", parse_bool, _bool_text),
    "outbox.maildir": KeySpec("outbox_maildir", _text),
    "timezone": KeySpec("timezone", _timezone),
    "recovery.gateway": KeySpec("recovery_gateway", _one_of("email", "http", "gateway")),
    "recovery.intake_email": KeySpec("recovery_intake_email", _optional_email, load=_as_stored),
    "recovery.api_url": KeySpec("recovery_api_url", _http_url),
    "recovery.api_token": KeySpec("recovery_api_token", _text, secret=True,
                                  mask=lambda text: "***" if text else ""),
    "recovery.timeout_seconds": KeySpec("recovery_timeout_seconds", _seconds,
                                        lambda v: f"{v:g}"),
    "demand.include_interest": KeySpec("demand_include_interest", parse_bool, _bool_text),
    "demand.include_compensation": KeySpec("demand_include_compensation", parse_bool,
                                           _bool_text),
    "statement.hold_days": KeySpec("statement_hold_days", _int_between(0, 60)),
    "statement.bank_profile": KeySpec("statement_bank_profile", _bank_profile),
    "folders.ksef": KeySpec("folders_ksef", _folder),
    "folders.contractors": KeySpec("folders_contractors", _folder),
    "folders.documents": KeySpec("folders_documents", _folder),
    "folders.payments": KeySpec("folders_payments", _folder),
    "folders.statements": KeySpec("folders_statements", _folder),
    "ksef.environment": KeySpec("ksef_environment", parse_environment),
    "ksef.nip": KeySpec("ksef_nip", _optional_nip, load=_as_stored),
    "ksef.token_file": KeySpec("ksef_token_file", _file),
    "ksef.since": KeySpec("ksef_since", _optional_day,
                          lambda day: day.isoformat() if day else ""),
    "imap.url": KeySpec("imap_url", _imap_url, secret=True, mask=mask_imap_url),
    "inbox.maildir": KeySpec("inbox_maildir", _folder),
    "inbox.move_to": KeySpec("inbox_move_to", _mailbox_folder),
    "promise.grace_days": KeySpec("promise_grace_days", _int_between(0, 60)),
    "letters.enabled": KeySpec("letters_enabled", parse_bool, _bool_text),
    "letters.reminder": KeySpec("letters_reminder", _channel),
    "letters.demand": KeySpec("letters_demand", _channel),
    "letters.last_demand": KeySpec("letters_last_demand", _channel),
    "letters.place": KeySpec("letters_place", _text),
    "letters.duplex": KeySpec("letters_duplex", parse_bool, _bool_text),
    "letters.folder": KeySpec("letters_folder", _folder),
    "registry.warning": KeySpec("registry_warning", parse_bool, _bool_text),
    "registry.bureau_name": KeySpec("registry_bureau_name", _text),
    "registry.bureau_address": KeySpec("registry_bureau_address", _text),
}


def parse_changes(raw: Mapping[str, str], stored: bool = False) -> dict[str, Any]:
    """Validate ``key -> text`` pairs; every bad one is reported together. ``stored``:
    the texts come from the ``setting`` table, where ``save_settings`` put them (a key's
    ``load`` reads them back, where it has one)."""
    parsed: dict[str, Any] = {}
    problems: list[SettingsError] = []
    for key, text in raw.items():
        spec = SETTING_KEYS.get(key)
        if spec is None:
            problems.append(SettingsError(key, "unknown setting"))
            continue
        try:
            parsed[key] = (spec.load or spec.parse)(text) if stored else spec.parse(text)
        except ValueError as exc:
            problems.append(SettingsError(key, str(exc)))
    if problems:
        raise SettingsValidationError(problems)
    return parsed


class SettingsValidationError(ValueError):
    def __init__(self, problems: list[SettingsError]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def apply_changes(settings: CollectionSettings, parsed: Mapping[str, Any]) -> CollectionSettings:
    values = {SETTING_KEYS[key].attribute: value for key, value in parsed.items()}
    return dataclasses.replace(settings, **values)


def settings_as_text(settings: CollectionSettings, reveal_secrets: bool = False) -> dict[str, str]:
    """Every key with its current value as ``settings set`` accepts it; secrets masked."""
    out = {}
    for key, spec in SETTING_KEYS.items():
        text = spec.format(getattr(settings, spec.attribute))
        if spec.secret and not reveal_secrets:
            text = (spec.mask or mask_secret_url)(text)
        out[key] = text
    return out


def mask_secret_url(url: str) -> str:
    """``smtp://user:secret@host`` → ``smtp://user:***@host``; never print a password."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user, has_password, _ = credentials.partition(":")
    return f"{scheme}://{user}{':***' if has_password else ''}@{host}"


def load_settings() -> CollectionSettings:
    rows = {row.key: row.value for row in Setting.select()}
    known = {k: v for k, v in rows.items() if k in SETTING_KEYS}
    return apply_changes(CollectionSettings(), parse_changes(known, stored=True))


def settings_saved() -> bool:
    """Whether collection was ever set up (the wizard or ``settings set`` saved it)."""
    return Setting.select().where(Setting.key == "module.enabled").exists()


def save_settings(raw: Mapping[str, str], author: str, now: dt.datetime) -> CollectionSettings:
    """Validate all, then store all in one transaction; returns the new settings."""
    parsed = parse_changes(raw)
    with database.atomic():
        for key, value in parsed.items():
            text = SETTING_KEYS[key].format(value)
            (
                Setting.insert(key=key, value=text, author=author, updated_at=now)
                .on_conflict(
                    conflict_target=[Setting.key],
                    update={Setting.value: text, Setting.author: author, Setting.updated_at: now},
                )
                .execute()
            )
    return load_settings()
