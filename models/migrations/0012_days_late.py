"""Days late from the legal due date everywhere (issue 12, ``law/lateness.py``): the
unpaid list's overdue filter and days-late sort, and the aging report's buckets, now
read ``document.legal_due_date`` instead of ``due_date``, so the partial indexes that
served them follow:

* ``document_unpaid_late (legal_due_date, id)``: the list sorted by days late (keyset
  pages, as migration 0002's indexes for the other columns) and the overdue filter's
  count;
* ``document_unpaid_search`` gains ``legal_due_date``, so that a search with the overdue
  filter is still counted from the index alone (``due_date`` stays for the
  "time-barred soon" filter);
* ``document_unpaid_aging`` (migration 0008) groups by ``legal_due_date`` in place of
  ``due_date``: the report's statement still walks the index alone.

Every index is ``WHERE outstanding > 0``, word for word as the statements write it.
Measured on 1,000,000 documents in benchmarks/RESULTS.md ("Days late from the legal due
date").
"""

UNPAID = "WHERE outstanding > 0"
CREATED = {
    "document_unpaid_late": "document (legal_due_date, id)",
}
REBUILT = {  # name: (the columns after, the columns before)
    "document_unpaid_search": ("document (contractor_key, number, due_date, legal_due_date,"
                               " outstanding)",
                               "document (contractor_key, number, due_date, outstanding)"),
    "document_unpaid_aging": ("document (currency, contractor_id, legal_due_date, outstanding,"
                              " recovery_case_id)",
                              "document (currency, contractor_id, due_date, outstanding,"
                              " recovery_case_id)"),
}


def up(migrator, db):
    for name, columns in CREATED.items():
        db.execute_sql(f"CREATE INDEX {name} ON {columns} {UNPAID}")
    for name, (after, _) in REBUILT.items():
        db.execute_sql(f"DROP INDEX {name}")
        db.execute_sql(f"CREATE INDEX {name} ON {after} {UNPAID}")


def down(migrator, db):
    for name, (_, before) in REBUILT.items():
        db.execute_sql(f"DROP INDEX {name}")
        db.execute_sql(f"CREATE INDEX {name} ON {before} {UNPAID}")
    for name in CREATED:
        db.execute_sql(f"DROP INDEX {name}")
