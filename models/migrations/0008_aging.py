"""The aging report (issue 5): one covering partial index for its statement.

``document_unpaid_aging (currency, contractor_id, due_date, outstanding,
recovery_case_id) WHERE outstanding > 0`` holds every column the report reads
(``lists/aging.py``), in the order it groups them: the per-contractor sums of one
currency walk the index alone, with no table reads and no sort. Measured on 1,000,000
documents (benchmarks/RESULTS.md, "Aging report"): 235 ms with the names of 85,000
contractors for 200,000 unpaid instead of 505–555 ms through ``document_unpaid_totals``,
the table and a temporary B-tree for the grouping; 0.58 s instead of 2.7 s when all
1,000,000 are unpaid.
"""

NAME = "document_unpaid_aging"
COLUMNS = "document (currency, contractor_id, due_date, outstanding, recovery_case_id)"


def up(migrator, db):
    db.execute_sql(f"CREATE INDEX {NAME} ON {COLUMNS} WHERE outstanding > 0")


def down(migrator, db):
    db.execute_sql(f"DROP INDEX {NAME}")
