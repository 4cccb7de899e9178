"""The aging report (issue 5): one covering partial index for its statement.

``document_unpaid_aging (currency, contractor_id, due_date, outstanding,
recovery_case_id) WHERE outstanding > 0`` holds every column the report reads
(``dunning/aging.py``), in the order it groups them: the per-contractor sums of one
currency walk the index alone, with no table reads and no sort. Measured on 1,000,000
documents with 200,000 unpaid (benchmarks/RESULTS.md, "Aging report"): 160 ms
instead of 420 ms through ``document_unpaid_totals``, the table and a temporary
B-tree for the grouping.
"""

NAME = "document_unpaid_aging"
COLUMNS = "document (currency, contractor_id, due_date, outstanding, recovery_case_id)"


def up(migrator, db):
    db.execute_sql(f"CREATE INDEX {NAME} ON {COLUMNS} WHERE outstanding > 0")


def down(migrator, db):
    db.execute_sql(f"DROP INDEX {NAME}")
