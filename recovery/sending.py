"""Sending an order's cases through the gateway, retrying them, and asking their status.

Every outcome is written on the case, so that nothing is ever lost between "the user
finished the order" and "the agency has it":

* accepted → ``sent_at``, the agency's ``external_ref`` if it gave one, an empty
  ``send_error``, and the status *waiting* (``set_status(..., source="gateway")``);
* handed on but not delivered yet (an e-mail waiting in the outbox) → stays *not sent*;
  the outbox moves it to *waiting* when the e-mail is recorded sent (see ``gateways``);
* refused → stays *not sent* with the reason in ``send_error``. A reason the agency
  gave about the data (HTTP 4xx, a bad address, a failed e-mail) starts with
  ``REFUSED``: ``retry_unsent`` leaves those alone, since sending the same data again
  would be refused again; a person corrects and retries (``include_refused``).
  Anything else (unreachable, timeout, 5xx) is retried by every ``retry_unsent``.

``attempts`` counts the times a case was actually offered to the gateway. One case that
fails never stops the others: each is submitted and recorded on its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..ledger.clock import Clock, utc_now_naive
from ..models import CaseStatus, RecoveryCase, RecoveryOrder, database
from .cases import RecoveryError, case_package, set_status
from .gateways import Gateway, GatewayError, SubmitResult, make_gateway

log = logging.getLogger("windykacja.recovery")

REFUSED = "refused: "


@dataclass(frozen=True)
class CaseOutcome:
    case_id: int
    status: str  # the case's status after the attempt
    error: str = ""  # why it is still not sent, if it is not
    pending: bool = False  # in the outbox, not delivered yet


@dataclass
class RefreshResult:
    retried: list[CaseOutcome] = field(default_factory=list)
    changed: list[tuple[int, str, str]] = field(default_factory=list)  # case, from, to
    errors: list[str] = field(default_factory=list)  # polls that failed (case: reason)


def finish_order(clock: Clock, order: RecoveryOrder, gateway: Gateway) -> list[CaseOutcome]:
    """Mark the order finished, then hand each of its unsent cases to the gateway."""
    now = utc_now_naive(clock)
    with database.atomic():
        RecoveryOrder.update(finished_at=now).where(
            (RecoveryOrder.id == order.id) & RecoveryOrder.finished_at.is_null()).execute()
    order.finished_at = RecoveryOrder.get_by_id(order.id).finished_at
    cases = (RecoveryCase.select().where((RecoveryCase.order == order.id)
                                         & (RecoveryCase.status == CaseStatus.NOT_SENT))
             .order_by(RecoveryCase.id))
    return [submit_case(clock, case, gateway) for case in list(cases)]


def submit_case(clock: Clock, case: RecoveryCase, gateway: Gateway) -> CaseOutcome:
    """Offer one case to the gateway and record what happened (see the module)."""
    case = RecoveryCase.get_by_id(case.id)  # another session may have sent it meanwhile
    if case.status != CaseStatus.NOT_SENT:
        return CaseOutcome(case.id, case.status)
    try:
        result = gateway.submit(case, case_package(case))
    except GatewayError as exc:
        reason = exc.reason if exc.retryable else REFUSED + exc.reason
        return _failed(case, reason)
    except Exception as exc:  # one case's surprise must not stop the order's others
        log.exception("case %s: the gateway failed", case.id)
        return _failed(case, f"unexpected error: {exc}")
    return _accepted(clock, case, result, gateway.kind)


def _failed(case: RecoveryCase, reason: str) -> CaseOutcome:
    RecoveryCase.update(send_error=reason, attempts=RecoveryCase.attempts + 1).where(
        RecoveryCase.id == case.id).execute()
    # INFO: the log file and the worker's journal keep it; a command or a screen says it
    # itself, in the reader's words (a WARNING would repeat it in English on stderr).
    log.info("case %s not sent: %s", case.id, reason)
    return CaseOutcome(case.id, CaseStatus.NOT_SENT, reason)


def _accepted(clock: Clock, case: RecoveryCase, result: SubmitResult, kind: str) -> CaseOutcome:
    with database.atomic():
        changes: dict = {RecoveryCase.send_error: ""}
        if not result.already:
            changes[RecoveryCase.attempts] = RecoveryCase.attempts + 1
        if result.external_ref:
            changes[RecoveryCase.external_ref] = result.external_ref
        RecoveryCase.update(changes).where(RecoveryCase.id == case.id).execute()
        case = RecoveryCase.get_by_id(case.id)
        if not result.pending and case.status == CaseStatus.NOT_SENT:
            RecoveryCase.update(sent_at=utc_now_naive(clock)).where(
                RecoveryCase.id == case.id).execute()
            note = f"{kind}" + (f", agency ref {result.external_ref}"
                                if result.external_ref else "")
            set_status(clock, case, CaseStatus.WAITING, source="gateway", note=note)
    case = RecoveryCase.get_by_id(case.id)
    return CaseOutcome(case.id, case.status, pending=case.status == CaseStatus.NOT_SENT)


def unsent_cases(include_refused: bool = False) -> list[RecoveryCase]:
    """Cases of finished orders still not sent; the refused ones only when asked."""
    query = (RecoveryCase.select().join(RecoveryOrder)
             .where((RecoveryCase.status == CaseStatus.NOT_SENT)
                    & RecoveryOrder.finished_at.is_null(False)))
    if not include_refused:
        query = query.where(~RecoveryCase.send_error.startswith(REFUSED))
    return list(query.order_by(RecoveryCase.id))


def retry_unsent(clock: Clock, gateway: Gateway,
                 include_refused: bool = False) -> list[CaseOutcome]:
    """Offer every unsent case of a finished order again (see the module on refusals)."""
    return [submit_case(clock, case, gateway) for case in unsent_cases(include_refused)]


def poll_statuses(clock: Clock, gateway: Gateway) -> RefreshResult:
    """Ask the gateway for the status of every active case it has a reference for."""
    result = RefreshResult()
    cases = (RecoveryCase.select()
             .where(RecoveryCase.status.in_(CaseStatus.ACTIVE)
                    & (RecoveryCase.status != CaseStatus.NOT_SENT)
                    & (RecoveryCase.external_ref != ""))
             .order_by(RecoveryCase.id))
    for case in list(cases):
        try:
            status = gateway.poll(case)
        except GatewayError as exc:  # one unreachable case is no reason to stop
            result.errors.append(f"case {case.id}: {exc.reason}")
            continue
        if status is None or status == case.status:
            continue
        try:
            if set_status(clock, case, status, source="gateway",
                          note=f"agency ref {case.external_ref}"):
                result.changed.append((case.id, case.status, status))
        except RecoveryError as exc:  # e.g. the agency moving a closed case: ignored
            # INFO, as a case not sent: the result's error says it in the reader's words.
            log.info("case %s: status %s from the agency ignored: %s", case.id, status, exc)
            result.errors.append(f"case {case.id}: {exc}")
    return result


def refresh_statuses(clock: Clock, gateway: Gateway) -> int:
    """Poll every active case with an agency reference; the number of cases changed."""
    return len(poll_statuses(clock, gateway).changed)


def refresh(clock: Clock, gateway: Gateway, include_refused: bool = False) -> RefreshResult:
    """What ``recovery refresh`` does: retry the unsent cases, then poll the others."""
    retried = retry_unsent(clock, gateway, include_refused)
    result = poll_statuses(clock, gateway)
    result.retried = retried
    return result


__all__ = [
    "REFUSED", "CaseOutcome", "RefreshResult", "finish_order", "make_gateway", "poll_statuses",
    "refresh", "refresh_statuses", "retry_unsent", "submit_case", "unsent_cases",
]
