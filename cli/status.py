"""``windykacja status``: is collection running as it should, for a person and for
monitoring (Nagios, a cron watchdog) through the exit status.

It opens the database itself instead of through ``open_context``: a probe must not create
a database that is not there, nor upgrade one (``open_context`` does both), and a
database it cannot reach is an answer (status 2), not an error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..i18n import N_, language, t, tn
from ..importers.watched_folders import KIND_NAMES, FolderState
from ..ledger.clock import Clock, FixedClock, SystemClock
from ..ledger.names import MESSAGE_STATE_NAMES, day_text, moment_text, name_of
from ..ledger.settings import CollectionSettings, load_settings, mask_secret_url
from ..lists.answer_health import AnswersView, answer_lines, mailbox_failure
from ..lists.arrivals import KsefView, environment_name, failure_text
from ..lists.health import ATTENTION, OK, UNKNOWN, Health, check_health, describe_age
from ..lists.letter_health import letter_line, registry_line
from ..logs import SecretFilter, url_password
from ..models import MessageState, PassRun
from ..models.db import default_location, open_database, pending_migrations
from ..session import CommandError, parse_today

EXIT_CODES = f"""exit status:
  {OK}  all fine: collection is off, or on and running
  {ATTENTION}  a person is needed: messages in doubt or failed, a sender that died
     mid-send, a pass that stopped or hangs, allowed days without a pass (more than
     --missed-days), demands held on a stale bank statement, demands of the coming
     days that lack an interest or EUR rate (with the command that adds it), a
     database older than the program, the KSeF sync failing (a token problem at
     once, KSeF unavailable after 3 hours), invoices from KSeF refused, a watched
     folder missing or with refused files, replies waiting for a decision, a
     collection mailbox that cannot be read (at once for its setup, login or
     folder, after 3 hours for a server that is down); each reason is printed
  {UNKNOWN}  cannot check: no database there, or it cannot be opened or read
"""

# The states in the order people read them: what is on its way, what needs a person,
# what is done.
STATE_ORDER = (MessageState.PLANNED, MessageState.SENDING, MessageState.RETRY,
               MessageState.FAILED, MessageState.IN_DOUBT, MessageState.SENT,
               MessageState.CANCELLED)


class CannotCheck(Exception):
    """The database is not there, cannot be opened, or cannot be read."""


def _sqlite_path(location: str) -> Path | None:
    """The file an SQLite location names (None for PostgreSQL or an in-memory one)."""
    if "://" not in location:
        return Path(location).expanduser()
    if not location.startswith("sqlite"):
        return None
    path = urlsplit(location).path[1:]  # sqlite:///relative.db, sqlite:////abs.db
    return None if path in ("", ":memory:") else Path(path)


def open_for_status(location: str) -> tuple[tuple[str, ...], CollectionSettings]:
    """Open the database without creating or migrating it; returns the migrations not
    applied yet and the settings."""
    path = _sqlite_path(location)
    if path is not None and not path.is_file():
        raise CannotCheck(t("no database at {path}", path=path))
    try:
        db = open_database(location, migrate=False)
        pending = tuple(pending_migrations(db))
        settings = load_settings()
    except Exception as exc:  # unreachable server, not a database, a table missing…
        raise CannotCheck(_reason(exc)) from None
    return pending, settings


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"


def _clock(settings: CollectionSettings, today: str | None) -> Clock:
    timezone = ZoneInfo(settings.timezone)
    return FixedClock(parse_today(today), timezone=timezone) if today else SystemClock(timezone)


def _local(moment: dt.datetime, clock: Clock) -> dt.datetime:
    """A stored UTC timestamp in the company's time zone, naive."""
    return moment.replace(tzinfo=dt.UTC).astimezone(clock.timezone).replace(tzinfo=None)


def _describe_pass(run: PassRun | None, clock: Clock) -> str:
    if run is None:
        return t("none yet")
    started = _local(run.started_at, clock)
    # The start's date only when it is not the pass's own day (a simulated or late pass).
    start = f"{started:%H:%M:%S}" if started.date() == run.pass_date \
        else f"{started:%d.%m.%Y %H:%M:%S}"
    if run.finished_at is None:
        return t("{day}, started {start}, not finished", day=day_text(run.pass_date),
                 start=start)
    finished = _local(run.finished_at, clock)
    return t("{day}, {start}–{finished}: {messages}, {sent} sent, {failed} not sent",
             day=day_text(run.pass_date), start=start, finished=finished.strftime("%H:%M:%S"),
             messages=tn("{n} message", "{n} messages", run.planned), sent=run.sent,
             failed=run.failed)


def _describe_lease(health: Health, clock: Clock) -> str:
    lease = health.lease
    if lease is None:
        return t("free")
    state = t("alive") if lease.live \
        else t("lapsed: a worker renews it only while it runs a pass")
    until = _local(lease.expires_at, clock)
    return t("{holder}, until {until} ({state})", holder=lease.holder,
             until=until.strftime("%d.%m.%Y %H:%M:%S"), state=state)


def _row(label: str, value: str) -> str:
    """``label:`` and its value, the values of the rows in one column (a longer label,
    such as "oldest in doubt", pushes its own value further)."""
    width = max(14, *(len(t(name)) + 2 for name in LABELS))
    return f"{(t(label) + ':').ljust(width - 1)} {value}"


LABELS = (N_("database"), N_("now"), N_("collection"), N_("last pass"), N_("next pass"),
          N_("lease"), N_("outbox"), N_("failed"), N_("schema"), N_("KSeF"),
          N_("KSeF sync"), N_("folders"), N_("replies"), N_("promises"), N_("disputes"),
          N_("mailbox"), N_("letters"), N_("registry"))


def report_lines(health: Health, location: str, clock: Clock) -> list[str]:
    """What ``status`` prints: one fact a line, then what needs a person."""
    outbox = health.outbox
    states = [s for s in STATE_ORDER if s in outbox or s not in ("sent", "cancelled")]
    states += sorted(set(outbox) - set(STATE_ORDER))
    next_pass = (f"{health.next_pass:%d.%m.%Y %H:%M}" if health.next_pass
                 else t("none (collection is off)") if not health.module_enabled
                 else t("none (no allowed day ahead)"))
    # The first line sums it up: monitoring (Nagios, Icinga) shows it as the status text.
    summary = (tn("NEEDS ATTENTION: {n} problem, listed below",
                  "NEEDS ATTENTION: {n} problems, listed below", len(health.problems))
               if health.problems else t("OK: nothing needs a person"))
    lang = language()
    lines = [
        summary,
        _row(N_("database"), location),
        _row(N_("now"), f"{health.now:%d.%m.%Y %H:%M} ({clock.timezone.key})"),
        _row(N_("collection"), t("on") if health.module_enabled else t("off")),
        _row(N_("last pass"), _describe_pass(health.last_pass, clock)),
        _row(N_("next pass"), next_pass),
        _row(N_("lease"), _describe_lease(health, clock)),
        _row(N_("outbox"), " · ".join(f"{name_of(MESSAGE_STATE_NAMES, s, lang)} "
                                      f"{_count(outbox.get(s, 0))}" for s in states)),
    ]
    doubt = health.oldest_in_doubt
    if doubt is not None:
        lines.append(_row(N_("oldest in doubt"), t(
            "#{id}, {age} old, to {recipients}", id=doubt.id, age=describe_age(doubt.age),
            recipients=", ".join(doubt.recipients) or t("(no recipient)"))))
    failed = outbox.get(MessageState.FAILED, 0)
    if failed:
        listed = ", ".join(f"#{i}" for i in health.failed_ids)
        more = t(" and {count} more", count=failed - len(health.failed_ids)) \
            if failed > len(health.failed_ids) else ""
        lines.append(_row(N_("failed"), f"{failed} ({listed}{more})"))
    if health.module_enabled:
        lines.append(_row(N_("demands held"), t(
            "yes, the newest bank statement is of {day}",
            day=day_text(health.demands_held_since)) if health.demands_held_since
            else t("no")))
    if health.ksef is not None:
        failure_listed = any(p.code == "ksef_failing" for p in health.problems)
        lines += _ksef_lines(health.ksef, clock, failure_listed)
    if health.folders is not None:
        lines += _folder_lines(health.folders)
    if health.answers is not None:
        failing_listed = any(p.code == "mailbox_failing" for p in health.problems)
        lines += _answer_lines(health.answers, clock, failing_listed)
    if health.letters is not None:
        lines.append(_row(N_("letters"), letter_line(health.letters)))
        lines.append(_row(N_("registry"), registry_line(health.letters)))
    if health.pending_migrations:
        lines.append(_row(N_("schema"), tn(
            "{n} migration to apply ({names})", "{n} migrations to apply ({names})",
            len(health.pending_migrations), names=", ".join(health.pending_migrations))))
    if health.problems:
        lines.append(t("needs a person:"))
        lines += [f"  - {p.text}" for p in health.problems]
    return lines


def _ksef_lines(ksef: KsefView, clock: Clock, failure_listed: bool) -> list[str]:
    """The connection, then the last sync: when, what it added, how far KSeF's invoices
    are stored here, how many were refused; a failure with since when (in words here
    while it is not yet a problem listed below: KSeF unavailable for a short while)."""
    if not ksef.connected:
        return [_row(N_("KSeF"), t("not connected"))]
    lines = [_row(N_("KSeF"), t("connected to {environment} for NIP {nip}",
                                environment=environment_name(ksef.environment),
                                nip=ksef.nip or t("(not set)")))]
    state = ksef.state
    if state is None or state.last_run_at is None:
        return [*lines, _row(N_("KSeF sync"), t("no sync yet"))]
    zone = clock.timezone
    if not state.failure:
        parts = [t("{when}, added {n}", when=moment_text(state.last_success_at or
                                                          state.last_run_at, zone),
                   n=_count(state.last_added))]
    else:
        since = moment_text(state.failing_since or state.last_run_at, zone)
        failed = t("{when}, failing since {since}", when=moment_text(state.last_run_at, zone),
                   since=since)
        parts = [failed if failure_listed else f"{failed}: {failure_text(state)}"]
    if state.checkpoint is not None:
        parts.append(t("invoices stored in KSeF up to {moment}",
                       moment=moment_text(state.checkpoint, zone)))
    if ksef.refused:
        parts.append(tn("{n} invoice refused", "{n} invoices refused", ksef.refused))
    return [*lines, _row(N_("KSeF sync"), "; ".join(parts))]


def _folder_lines(folders: tuple[FolderState, ...]) -> list[str]:
    """Each watched folder's kind with its files waiting and refused, one a line."""
    if not folders:
        return [_row(N_("folders"), t("none watched"))]
    lines: list[str] = []
    for state in folders:
        kind = t(KIND_NAMES[state.kind])
        value = (t("{kind}: {waiting}, {refused}", kind=kind,
                   waiting=tn("{n} file waiting", "{n} files waiting", state.waiting),
                   refused=tn("{n} refused", "{n} refused", state.refused))
                 if state.exists else
                 t("{kind}: {folder} does not exist or cannot be read", kind=kind,
                   folder=state.folder))
        lines.append(_row(N_("folders"), value) if not lines
                     else " " * len(_row(N_("folders"), "")) + value)
    return lines


def _answer_lines(answers: AnswersView, clock: Clock, failing_listed: bool) -> list[str]:
    """The debtors' answers in one line, then each mailbox read: when it was last read
    well and what it brought, or since when it fails (in words here while that is not
    yet a problem listed below: a server down for a short while)."""
    replies, promises, disputes = answer_lines(answers)
    lines = [_row(N_("replies"), replies), _row(N_("promises"), promises),
             _row(N_("disputes"), disputes)]
    zone = clock.timezone
    first = len(lines)
    for state in answers.mailboxes:
        if not state.failure:
            value = t("{source}: read {when}, {n} new", source=state.source,
                      when=moment_text(state.last_success_at, zone) or t("never"),
                      n=_count(state.last_fetched))
        else:
            since = moment_text(state.failing_since or state.last_run_at, zone)
            value = t("{source}: failing since {since}", source=state.source, since=since)
            if not failing_listed:
                value += f": {mailbox_failure(state)}"
        lines.append(_row(N_("mailbox"), value) if len(lines) == first
                     else " " * len(_row(N_("mailbox"), "")) + value)
    return lines


def _count(n: int) -> str:
    """``12,345`` in English, ``12 345`` in Polish."""
    return f"{n:,}".replace(",", " ") if language() == "pl" else f"{n:,}"


def status(args: argparse.Namespace) -> int:
    location = args.db or default_location()
    try:
        pending, settings = open_for_status(location)
        clock = _clock(settings, args.today)
        health = check_health(settings, clock, missed_days_allowed=args.missed_days,
                              pending_migrations=pending)
    except (CannotCheck, CommandError) as exc:  # CommandError: a --today that is no date
        return _cannot_check(args, str(exc), location)
    except Exception as exc:  # a query failed: the database is there but unreadable
        return _cannot_check(args, _reason(exc), location)
    if not args.quiet:
        print("\n".join(report_lines(health, _shown(location), clock)))
    return health.exit_code


def _cannot_check(args: argparse.Namespace, reason: str, location: str) -> int:
    if not args.quiet:
        masked = SecretFilter([url_password(location)]).mask(reason)
        print(t("CANNOT CHECK: {reason}", reason=masked), file=sys.stderr)
    return UNKNOWN


def _shown(location: str) -> str:
    """The location without a password in it."""
    return mask_secret_url(location) if "://" in location else location


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "status", help="is collection running? the last and next pass, the lease, the "
        "outbox; the exit status says whether a person is needed (for monitoring)",
        description="The last pass, the next one, the worker lease, the outbox by state, "
        "the oldest in-doubt and the failed messages, demands held, and what needs a "
        "person. Reads only: it neither creates nor upgrades the database.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print nothing; only the exit status (for cron and monitoring)")
    p.add_argument("--missed-days", type=int, default=0, metavar="N",
                   help="allowed days without a pass that are still fine (default 0: today "
                   "counts an hour after the set time)")
    p.add_argument("--today", metavar="YYYY-MM-DD", default=argparse.SUPPRESS,
                   help="check as if today were this day, at 09:00")
    p.set_defaults(handler=status, opens_database=True)
