"""What starting the interface imports (issue 17): not the PostgreSQL driver on SQLite,
not Jinja2, no command's module; a command imports its own module only. Not timed:
each check runs in a fresh interpreter and reads ``sys.modules``."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from windykacja.app import ALL_MODULES, COMMAND_MODULES, build_parser, modules_for
from windykacja.ledger.calendar import cache_path

# Never before the first frame of the interface: the driver of another database, the
# letters' engine (templates, PDF), any command's module, the holidays' calendar; the
# outbox and sending e-mail, and recovery's cases, which the hooks registered at every
# start (recovery/hooks.py) import only when called; email-validator, python-stdnum (and
# the pydoc it brings) and Babel: the stored addresses and NIPs are not checked again at
# every load (ledger/settings.py), no currency is checked before the first rows; Peewee's
# URL parser (with its MySQL extension): a file path needs none (models/db.py).
NOT_AT_START = ("psycopg", "jinja2", "reportlab", "holidays", "email_validator", "stdnum",
                "pydoc", "babel", "playhouse.db_url", "playhouse.mysql_ext", "windykacja.cli",
                "windykacja.dunning.passes", "windykacja.dunning.worker",
                "windykacja.dunning.outbox", "windykacja.dunning.transports", "smtplib",
                "windykacja.recovery.cases", "windykacja.recovery.gateways",
                "windykacja.ledger.event_words",  # the agencies' namers: ledger.agency_namers
                # the status line's and the palette's: after the first rows (tui/app.py)
                "windykacja.lists.status", "windykacja.tui.status_text",
                "windykacja.tui.commands",
                # Textual's TextArea (its documents, syntax highlighting): the notes' and
                # the templates' screens only (tui/widgets/bounded_text_area.py)
                "textual.widgets._text_area", "textual.document")


def imported_after(code: str) -> list[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    program = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True, timeout=120)
    return json.loads(result.stdout.splitlines()[-1])


def unwanted(modules: list[str], names=NOT_AT_START) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


def test_importing_the_interface_imports_no_driver_no_templates_no_command():
    assert unwanted(imported_after("import windykacja.tui.app")) == []


def test_the_interface_from_the_command_line_imports_none_of_them(tmp_path):
    """``windykacja --db FILE`` up to the moment the app would run, its first screen's
    module included."""
    location = tmp_path / "firma.db"
    subprocess.run([sys.executable, "-m", "windykacja", "--db", str(location), "init"],
                   check=True, capture_output=True, timeout=120)
    modules = imported_after(f"""
        import windykacja.tui.app as interface
        started = []
        interface.run_app = lambda ctx, before_worker=None: started.append(ctx) or 0
        from windykacja.app import main
        assert main(["--db", {str(location)!r}]) == 0 and started
        import windykacja.tui.screens.unpaid
    """)
    assert "windykacja.tui.app" in modules and "peewee" in modules
    assert unwanted(modules) == []
    # The unpaid list's recovery keys: their steps and dialogs come when a key is pressed.
    assert "windykacja.tui.screens.recovery.keys" in modules
    assert unwanted(modules, ("windykacja.tui.screens.recovery.flow",
                              "windykacja.tui.screens.recovery.dialogs",
                              "windykacja.recovery.sending", "windykacja.recovery.agencies",
                              "windykacja.recovery.commission",
                              "windykacja.recovery.gateway_problems")) == []


def test_a_command_imports_its_own_module_only(tmp_path):
    location = tmp_path / "firma.db"
    modules = imported_after(f"""
        from windykacja.app import main
        assert main(["--db", {str(location)!r}, "init"]) == 0
    """)
    assert [m for m in modules if m.startswith("windykacja.cli.")] == [
        "windykacja.cli.data", "windykacja.cli.ksef", "windykacja.cli.output",
        "windykacja.cli.statement"]  # data registers the KSeF and statement imports
    assert "psycopg" not in modules


def test_every_command_is_in_the_table_under_the_module_that_registers_it():
    import argparse
    import importlib

    for name in ALL_MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"windykacja.cli.{name}").register(sub)
        assert set(sub.choices) == {c for c, m in COMMAND_MODULES.items() if m == name}, name


@pytest.mark.parametrize("argv", [
    [], ["--db", "x.db"], ["--db=x.db", "--lang", "pl"], ["--today", "2026-11-23"],
    ["outbox"], ["--db", "x.db", "history", "FV/1"], ["--lang=pl", "import", "contractors",
                                                      "k.csv"],
    ["promise", "list"], ["--db", "x.db", "status", "-q"], ["backup", "b.db"],
])
def test_the_command_alone_parses_as_every_command_does(argv):
    everything = build_parser().parse_args(argv)
    assert vars(build_parser(modules_for(argv)).parse_args(argv)) == vars(everything)


@pytest.mark.parametrize(("argv", "modules"), [
    ([], ()), (["--db", "x.db", "--lang", "en"], ()), (["--db=x.db"], ()),
    (["demo"], ("data",)), (["--db", "demo"], ()),  # "demo" is the database's name there
    (["--db", "x", "worker"], ("collection",)), (["dispute", "list"], ("answers",)),
    (["--help"], ALL_MODULES), (["-h", "demo"], ALL_MODULES), (["nonsense"], ALL_MODULES),
    (["--la", "pl", "demo"], ALL_MODULES),  # an abbreviated option: argparse decides
    (["--", "demo"], ALL_MODULES),
])
def test_which_modules_a_command_line_needs(argv, modules):
    assert modules_for(argv) == modules


@pytest.mark.parametrize("argv", [["--help"], ["nonsense"], ["--lang", "xx"], ["demo", "--help"],
                                  ["--db"], ["status", "--bogus"]])
def test_help_and_errors_read_as_before(argv, capsys):
    """What argparse prints (help, usage, the error) is the same whichever modules."""
    def run(parser) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as ended:
            parser.parse_args(argv)
        out, err = capsys.readouterr()
        return ended.value.code, out, err

    assert run(build_parser(modules_for(argv))) == run(build_parser())


def test_peewee_gets_the_postgresql_driver_when_a_postgresql_database_is_made():
    modules = imported_after("""
        from windykacja.models.db import make_database
        import peewee
        assert peewee.psycopg is None  # hidden while peewee loaded
        db = make_database("postgresql://nobody@127.0.0.1:1/nothing")  # no connection yet
        from psycopg.pq import TransactionStatus
        assert peewee.psycopg is not None
        assert type(db._adapter) is peewee.Psycopg3Adapter
        assert db._adapter.txn_idle == TransactionStatus.IDLE
        assert db._adapter.json_type is peewee.Json_pg3 is not None
    """)
    assert "psycopg" in modules


def test_the_first_rows_need_no_holidays_package_and_no_email_check(tmp_path):
    """The unpaid list's next steps name allowed days (the calendar): the first process
    on a machine asks the holidays package and keeps its answers (ledger/calendar.py);
    every start after it reads the file, where the first rows waited for the package."""
    location = tmp_path / "firma.db"
    subprocess.run([sys.executable, "-m", "windykacja", "--db", str(location), "demo",
                    "--contractors", "5", "--documents", "30"],
                   check=True, capture_output=True, timeout=120)
    first_rows = f"""
        from windykacja.session import open_context
        from windykacja.ledger.settings import load_settings
        from windykacja.lists.unpaid_list import UnpaidQuery, UnpaidWindow
        ctx = open_context({str(location)!r}, "en", None)
        window = UnpaidWindow(UnpaidQuery(ctx.clock.today()), load_settings()).load()
        assert window.count and any(window.row(i).next_step for i in range(window.count))
        assert window.settings.sender_email and window.settings.report_email
        assert window.settings.company_nip
    """
    # `demo` asked the package (its documents' due dates) and kept the answers; it stored
    # the sender's and the report's addresses, which the first rows' settings hold.
    assert cache_path().exists()
    assert unwanted(imported_after(first_rows)) == []
