"""Two more partial indexes for the unpaid list, measured on a million documents
(benchmarks/RESULTS.md, "TUI at 1M documents"):

* ``document_unpaid_search (contractor_key, number, due_date, outstanding)``: covers a
  search (and its overdue variant), so counting the matches reads the index alone —
  13–24 ms for 200,000 unpaid documents instead of 150–310 ms through the table
  (``outstanding`` is there because SQLite 3.40 still reads the column of the index's
  own WHERE term);
* ``document_unpaid_totals (currency, outstanding)``: covers the totals line, 12 ms
  instead of 52–103 ms.
"""

INDEXES = {
    "document_unpaid_search": "document (contractor_key, number, due_date, outstanding)",
    "document_unpaid_totals": "document (currency, outstanding)",
}


def up(migrator, db):
    for name, columns in INDEXES.items():
        db.execute_sql(f"CREATE INDEX {name} ON {columns} WHERE outstanding > 0")


def down(migrator, db):
    for name in INDEXES:
        db.execute_sql(f"DROP INDEX {name}")
