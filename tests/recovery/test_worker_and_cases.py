"""The worker and recovery: a pass never reminds or demands a document in an active case
(whatever its status), and after *withdrawn* collection resumes."""

from __future__ import annotations

import datetime as dt

from pass_runner import run_one_pass
from recovery_setup import TODAY, agreed_order, hand_over

from windykacja.models import CaseStatus, DocumentStep, EventKind, MessageKind, StepKind
from windykacja.recovery.cases import set_status


def a_pass(clock, tmp_path, day):
    return run_one_pass(clock, tmp_path, day)


def dunning_steps(documents):
    return list(DocumentStep.select().where(
        DocumentStep.document.in_([d.id for d in documents])
        & DocumentStep.kind.in_([StepKind.REMINDER, StepKind.DEMAND])))


def test_no_reminder_or_demand_in_an_active_case_and_withdrawn_resumes(collection, tmp_path):
    clock = collection.clock
    order = agreed_order(clock)
    _, case, in_case = hand_over(collection, order)
    other = collection.contractor(name="Kontrola sp. z o.o.")
    control = collection.document(other, due=TODAY - dt.timedelta(days=40), number="K/1")

    sent_control = 0
    for offset, status in enumerate([None, CaseStatus.WAITING, CaseStatus.ACCEPTED,
                                     CaseStatus.AMICABLE, CaseStatus.COURT,
                                     CaseStatus.ENFORCEMENT, CaseStatus.PARTLY_RECOVERED]):
        if status:
            set_status(clock, case, status, source="gateway")
        day = TODAY + dt.timedelta(days=14 * offset)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        result = a_pass(clock, tmp_path, day)
        assert not result.skipped
        for outcome in result.outcomes:
            assert not set(outcome.documents) & {d.number for d in in_case}
        sent_control += sum(1 for o in result.outcomes if "K/1" in o.documents)
        assert dunning_steps(in_case) == []
    assert sent_control >= 2  # the pass does send demands: the case alone stops them
    assert dunning_steps([control])

    set_status(clock, case, CaseStatus.WITHDRAWN, source="user", author="anna")
    day = clock.today() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    result = a_pass(clock, tmp_path, day)
    demanded = {n for o in result.outcomes if o.kind == MessageKind.DEMAND for n in o.documents}
    assert {d.number for d in in_case} <= demanded
    kinds = [e.kind for e in in_case[0].events.order_by("id")]
    assert EventKind.COLLECTION_RESUMED in kinds
