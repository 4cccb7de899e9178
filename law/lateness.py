"""Days late: the one definition every screen, letter, report, file and command uses.

A document is late only after its **legal due date**: the due date, moved to the next
working day when it falls on a Saturday, a Sunday or a Polish public holiday (Civil Code
art. 115 — the debtor may still pay on time that day). It is computed once, when the
document is stored (``ledger.calendar.legal_due_date``), and kept as
``document.legal_due_date``. From it, and only from it:

* **days late** = max(0, today − legal due date), in whole days;
* **overdue** ⇔ days late > 0 ⇔ legal due date < today;
* *not due* (the aging report's first bucket) ⇔ days late = 0.

So an invoice due on Saturday 7 November 2026 (legal due date Monday 9 November) is not
overdue on the 9th, 1 day late on the 10th and 7 days late on the 16th — in the unpaid
list and its overdue filter and sort, the document screen, *Recover money* (its refusals,
the commission's "oldest receivable" and the agency's CSV/JSON), the letters, the aging
report and its CSV, and the commands alike. One due on Wednesday 11 November
(Independence Day) is late from Friday the 13th.

SQL says the same with dates computed here, so that no statement needs date functions and
the partial index on ``legal_due_date`` serves: *overdue* is
``legal_due_date <= latest_legal_due_date(today, 1)``, and "at least *n* days late" is
``legal_due_date <= latest_legal_due_date(today, n)``. Sorting by days late is sorting by
the legal due date, reversed.

Pure: no database, no clock (the caller passes today).
"""

from __future__ import annotations

import datetime as dt


def days_late(legal_due_date: dt.date, today: dt.date) -> int:
    """Whole days past the legal due date on ``today``; 0 on that date and before it."""
    return max(0, (today - legal_due_date).days)


def is_overdue(legal_due_date: dt.date, today: dt.date) -> bool:
    """Whether the document is late on ``today`` (``days_late`` > 0)."""
    return days_late(legal_due_date, today) > 0


def latest_legal_due_date(today: dt.date, days: int) -> dt.date:
    """The latest legal due date of a document at least ``days`` days late on ``today``:
    ``days_late(d, today) >= days`` ⇔ ``d <= latest_legal_due_date(today, days)`` (for
    ``days`` ≥ 1). The SQL conditions are built from it."""
    return today - dt.timedelta(days=days)
