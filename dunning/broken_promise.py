"""Which broken promise a demand mentions (issue 15): the newest promise to pay that one
of the demand's documents saw broken after its last step — the step a broken promise
brings forward (``policy.resume_day``). A promise broken before the document's last
step was answered by that step and is not brought up again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..models import Promise, PromiseDocument, PromiseState
from ..models.sql import as_required_date


def _last_step(document: Any) -> dt.date | None:
    return document.last_demand_on or document.reminder_sent_on


def newest_broken_promise(documents: Iterable[Any]) -> Promise | None:
    """Of ``documents`` (rows or planner candidates with ``last_demand_on`` and
    ``reminder_sent_on``), the newest promise broken after the document's last step;
    one query over the documents' promise links."""
    by_id = {d.id: d for d in documents}
    if not by_id:
        return None
    rows = (Promise.select(Promise, PromiseDocument.document.alias("linked"))
            .join(PromiseDocument)
            .where((Promise.state == PromiseState.BROKEN)
                   & PromiseDocument.document.in_(list(by_id)))
            .order_by(Promise.settled_on.desc(), Promise.id.desc()).objects())
    for promise in rows:
        last = _last_step(by_id[getattr(promise, "linked")])  # noqa: B009 (the alias)
        if last is None or last < as_required_date(promise.settled_on):
            return promise
    return None
