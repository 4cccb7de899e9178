"""Turn planned steps into stored messages: render, compose, and write with the steps.

A message and the document steps it carries are written in one transaction, under
the steps' unique constraint: a step can be planned once, so it can be sent once.
The rendered e-mail is stored whole before any send: it is the legal record of
what the customer received. A template that fails leaves the message failed with
the reason; the pass goes on with the others.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from peewee import IntegrityError

from ..ledger.actions import record_event
from ..ledger.clock import Clock, utc_now_naive
from ..ledger.settings import CollectionSettings
from ..models import (
    CollectionEvent,
    Document,
    DocumentStep,
    EventKind,
    Message,
    MessageChannel,
    MessageKind,
    MessageState,
    MessageText,
    MessageVariant,
    StepKind,
    database,
)
from ..models.sql import insert_row, insert_rows
from .broken_promise import newest_broken_promise
from .claims import LawTables, claim_views, load_law_tables
from .email_build import InvalidAddress, message_text, new_message_id
from .facts import working_addresses
from .history import history_in_words
from .letter_pdf import LetterData, check_letter, render_letters
from .letters import compose_letter, letter_file_name, letter_json
from .planner import Candidate, ContractorRow
from .policy import AddressFailure, Step, carries_registry_warning
from .render import TemplateError, render_letter, render_message
from .template_data import (
    contractor_view,
    document_view,
    letter_context,
    message_context,
    promise_view,
    registry_view,
    report_context,
    sender_view,
)


@dataclass(frozen=True)
class PlannedStep:
    document: Candidate
    step: Step
    # Whether a promise to pay for the document was broken (the pass's answers, read
    # once): None when not known, and the demand asks the database.
    promise_broken: bool | None = None


@dataclass(frozen=True)
class Envelope:
    """Who a message goes to, and in which language, before its body is rendered."""

    kind: str
    language: str
    recipients: list[str]
    contractor_id: int | None


def _store(
    clock: Clock,
    settings: CollectionSettings,
    envelope: Envelope,
    day: dt.date,
    steps: Sequence[StepValues],
    context: dict,
    overrides: dict,
    *,
    letter_of: Message | None = None,
    attachments: Sequence[tuple[str, str, bytes]] = (),
    variant: str = MessageVariant.PLAIN,
) -> Message | None:
    """Render and store one e-mail with its steps; None if a step was already planned.
    ``letter_of``: the e-mail is that letter's copy (no steps of its own), carrying
    ``attachments`` (the letter's PDF). A registry warning by e-mail (``context``'s
    ``registry``) must name the bureau in its text, or it fails saying so."""
    message = _new_message(clock, envelope, day)
    message.letter_of, message.variant = letter_of, variant
    try:
        rendered = render_message(envelope.kind, envelope.language, context, overrides)
        domain = (settings.sender_email or "windykacja.local").rpartition("@")[2]
        message_id = new_message_id(domain)
        raw = message_text(
            sender_name=settings.sender_name or settings.company_name,
            sender_email=settings.sender_email or "windykacja@localhost",
            recipients=envelope.recipients,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            message_id=message_id,
            date=clock.local_now(),  # the company's own time, as a letter is dated
            attachments=attachments,
        )
    except TemplateError as exc:
        _fail(message, f"template: {exc}")
    except InvalidAddress as exc:  # a bad address is permanent until someone fixes it
        _fail(message, f"address: {exc}")
    else:
        registry = context.get("registry")
        if registry and not names_bureau(rendered.text, registry):
            _fail(message, REGISTRY_UNNAMED)
        else:
            message.message_id, message.subject, message.raw = (message_id, rendered.subject,
                                                                raw)
    return _save(clock, message, steps, day)


StepValues = tuple[int, str, int, Decimal | None]  # document id, kind, number, outstanding


def _new_message(clock: Clock, envelope: Envelope, day: dt.date) -> Message:
    return Message(
        contractor=envelope.contractor_id,
        kind=envelope.kind,
        language=envelope.language,
        recipients="\n".join(envelope.recipients),
        pass_date=day,
        created_at=utc_now_naive(clock),
    )


def _fail(message: Message, reason: str) -> None:
    """A message that could not be made: failed for good, with the reason; a person
    mends its cause and withdraws it (``outbox.resend``), and the next pass makes it
    afresh."""
    message.state = MessageState.FAILED
    message.last_error = reason


STEP_COLUMNS = ("document", "kind", "number", "message", "planned_for", "outstanding")
TEXT_COLUMNS = ("message", "raw")


def _save(clock: Clock, message: Message, steps: Sequence[StepValues],
          day: dt.date) -> Message | None:
    """Write ``message`` with its steps in one transaction (a savepoint inside
    ``plan_day``'s chunk); None if another pass planned one of these steps first (the
    steps' unique constraint: never twice)."""
    try:
        with database.atomic():
            # The statements built once (models/sql.py): a pass writes thousands.
            message.id = insert_row(Message, message.__data__)
            message._dirty.clear()  # type: ignore[attr-defined]  # as Model.save leaves it
            text = message.unsaved_text()
            if text is not None:
                insert_rows(MessageText, TEXT_COLUMNS, [(message.id, text)])
            insert_rows(DocumentStep, STEP_COLUMNS,
                        [(document_id, kind, number, message.id, day, outstanding)
                         for document_id, kind, number, outstanding in steps])
            if message.state == MessageState.FAILED:
                for document_id, *_ in steps:
                    record_event(clock, EventKind.SEND_FAILED, document_id,
                                 text=message.last_error,
                                 message=message)
    except IntegrityError:
        return None
    return message


def _letter_data(settings: CollectionSettings, envelope: Envelope, context: dict,
                 overrides: dict, final: bool, registry: dict | None) -> LetterData | str:
    """The letter of a planned step, or why it cannot be made: its template failed, it
    could not be printed as it stands (an address too long for the window, no bank
    account: ``check_letter`` names the field), or — a registry warning — its text does
    not name the bureau (``registry``, from ``registry_view``)."""
    name = "letter_registry" if registry is not None else LETTER_TEMPLATES[envelope.kind]
    try:
        rendered = render_letter(
            name, envelope.language,
            letter_context(name, context, final=final, registry=registry)
            if envelope.kind == MessageKind.DEMAND else letter_context(name, context),
            overrides)
        data = compose_letter(settings, context, rendered, envelope.language)
    except TemplateError as exc:
        return f"template: {exc}"
    if registry is not None and not names_bureau(
            "\n".join((*data.paragraphs, *data.closing)), registry):
        return REGISTRY_UNNAMED
    problems = check_letter(data)
    if problems:
        return "letter: " + "; ".join(str(p) for p in problems)
    return data


def _store_letter(clock: Clock, envelope: Envelope, day: dt.date,
                  steps: Sequence[StepValues], made: LetterData | str,
                  registry: bool) -> Message | None:
    """Store one letter with its steps (docs/paper-design.md): its content as JSON in
    ``raw``, or failed with the reason it could not be made (``_letter_data``)."""
    message = _new_message(clock, replace(envelope, recipients=[]), day)
    message.channel = MessageChannel.LETTER
    if registry:
        message.variant = MessageVariant.REGISTRY
    if isinstance(made, str):
        _fail(message, made)
    else:
        message.subject, message.raw = made.title, letter_json(made)
    return _save(clock, message, steps, day)


LETTER_TEMPLATES = {MessageKind.REMINDER: "letter_reminder", MessageKind.DEMAND: "letter_demand"}
#: Why a registry warning whose text (a user's template) leaves the bureau out fails: the
#: act wants the bureau's firm and the address of its seat in it (art. 14/15 ust. 1 pkt 3).
REGISTRY_UNNAMED = ("template: the registry warning does not name the bureau's firm and "
                    "the address of its seat (registry.bureau_name, registry.bureau_address)")


def names_bureau(text: str, registry: Mapping[str, str]) -> bool:
    """Whether ``text`` names the bureau's firm and its seat's address, as typed (spaces
    and line breaks aside)."""
    flat = " ".join(text.split())
    return all(" ".join(registry[key].split()) in flat
               for key in ("bureau_name", "bureau_address"))


def _registry(settings: CollectionSettings, contractor: ContractorRow,
              planned: list[PlannedStep]) -> dict | None | str:
    """The bureau a registry warning names, when this demand carries one; the reason
    as text when Settings lack the bureau."""
    if not any(carries_registry_warning(settings, p.step) for p in planned):
        return None
    try:
        return registry_view(settings.registry_bureau_name, settings.registry_bureau_address,
                             contractor.kind)
    except ValueError as exc:
        return f"registry: {exc} (registry.bureau_name, registry.bureau_address)"


def _letter_pdf(data: LetterData) -> bytes:
    """One letter's PDF, for the e-mail that copies it."""
    with tempfile.TemporaryDirectory(prefix="windykacja-letter-") as folder:
        path = Path(folder) / "letter.pdf"
        render_letters([data], path, duplex=False)
        return path.read_bytes()


def plan_contractor_message(
    clock: Clock,
    settings: CollectionSettings,
    contractor: ContractorRow,
    kind: str,
    planned: list[PlannedStep],
    day: dt.date,
    overrides: dict,
    tables: LawTables | None = None,
    failing: Mapping[str, AddressFailure] | None = None,
    channel: str = "email",
) -> Message | None:
    """One e-mail or letter to one contractor for all its documents of one kind and
    channel in this pass (``policy.step_channel``: ``email``, ``letter``, or ``both`` —
    a letter and its copy by e-mail; the letter is returned).

    A demand states what the law adds to the principal on the day it is written, as
    Settings choose (interest, compensation); ``tables`` are the pass's rate tables.
    It goes to the contractor's working addresses only: ``failing`` are the ones a
    server refused for good (``addresses.py``).
    """
    demand = kind == MessageKind.DEMAND
    claims: dict[int, dict] = {}
    if demand:
        claims = claim_views(
            [p.document for p in planned], contractor.kind, day,
            tables or load_law_tables(), interest=settings.demand_include_interest,
            compensation=settings.demand_include_compensation)
    documents = [
        document_view(p.document, day, p.step.number if demand else None,
                      claims.get(p.document.id))
        for p in planned
    ]
    context = message_context(
        kind, contractor_view(contractor), documents, sender_view(settings), day,
        interest=demand and settings.demand_include_interest,
        compensation=demand and settings.demand_include_compensation,
        # The newest promise broken since the step before this one (issue 15).
        broken_promise=promise_view(newest_broken_promise(p.document for p in planned))
        if demand and any(p.promise_broken is not False for p in planned) else None,
    )
    addresses = working_addresses(contractor.email_list, failing)
    envelope = Envelope(kind, contractor.language, addresses, contractor.id)
    steps = [(p.document.id, p.step.kind, p.step.number, p.document.outstanding)
             for p in planned]
    final = demand and max(p.step.number for p in planned) >= settings.demand_max_count
    registry = _registry(settings, contractor, planned)
    if isinstance(registry, str):  # no bureau in Settings: nothing goes until there is
        return _store_letter(clock, envelope, day, steps, registry, True)
    if channel == "email" and registry is None:
        return _store(clock, settings, envelope, day, steps, context, overrides)
    data = _letter_data(settings, envelope, context, overrides, final, registry)
    if channel == "email":
        # The registry warning by e-mail (art. 15 ust. 1a, the contractor's flag): the
        # demand e-mail carries the step and the warning letter as its PDF.
        if isinstance(data, str):
            return _store_letter(clock, envelope, day, steps, data, True)
        attachment = (f"{letter_file_name(data)}.pdf", "application/pdf", _letter_pdf(data))
        return _store(clock, settings, envelope, day, steps, {**context, "registry": registry},
                      overrides, attachments=[attachment], variant=MessageVariant.REGISTRY)
    letter = _store_letter(clock, envelope, day, steps, data, registry is not None)
    if channel == "both" and letter is not None and not isinstance(data, str) and addresses:
        # The courtesy copy by e-mail, the letter's PDF attached; the letter carries the
        # step (it counts from posting), the copy none (docs/paper-design.md, "Both").
        attachment = (f"{letter_file_name(data)}.pdf", "application/pdf",
                      _letter_pdf(data))
        _store(clock, settings, envelope, day, [], {**context, "letter_copy": True}, overrides,
               letter_of=letter, attachments=[attachment])
    return letter


def plan_report(
    clock: Clock,
    settings: CollectionSettings,
    event: CollectionEvent,
    day: dt.date,
    overrides: dict,
) -> Message | None:
    """The end-of-collection report to the user, once per end event (SPEC §4)."""
    document = Document.get_by_id(event.document_id)
    # Every code in the history (an end reason, a payment method, a case status, the
    # author "system") in the words of the report's language, amounts in its notation.
    history = history_in_words(document.id, settings.report_language)
    context = report_context(
        document_view(document, day, None), contractor_view(document.contractor), history,
        event.text, sender_view(settings), day,
    )
    envelope = Envelope(
        MessageKind.REPORT, settings.report_language, [settings.report_email], None
    )
    steps = [(document.id, StepKind.REPORT, event.id, None)]
    return _store(clock, settings, envelope, day, steps, context, overrides)
