"""Recovery's hooks on the engine come from one explicit call at start-up, never from the
side effect of importing a module (docs/ARCHITECTURE.md)."""

import subprocess
import sys

IMPORTS_ONLY = """
import windykacja.recovery.cases, windykacja.recovery.gateways, windykacja.recovery.sending
from windykacja.dunning.outbox import SENT_HOOKS
from windykacja.ledger.actions import PAYMENT_RECORDED_HOOKS, PAYMENT_REMOVED_HOOKS
from windykacja.ledger.event_words import AGENCY_NAMERS
print(len(SENT_HOOKS), len(PAYMENT_RECORDED_HOOKS), len(PAYMENT_REMOVED_HOOKS),
      len(AGENCY_NAMERS))
"""

AFTER_MAIN = """
import sys
from windykacja import app
from windykacja.dunning.outbox import SENT_HOOKS
from windykacja.ledger.actions import PAYMENT_RECORDED_HOOKS, PAYMENT_REMOVED_HOOKS
from windykacja.ledger.event_words import AGENCY_NAMERS
from windykacja.models import MessageKind
status = app.main(["--db", sys.argv[1], "outbox"])  # no such database: fails after start-up
print(status, sorted(SENT_HOOKS) == [MessageKind.AGENCY], sorted(PAYMENT_RECORDED_HOOKS),
      sorted(PAYMENT_REMOVED_HOOKS), len(AGENCY_NAMERS))
"""


def run(code: str, *args: str) -> str:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def test_importing_recovery_registers_nothing():
    assert run(IMPORTS_ONLY) == "0 0 0 0"


def test_the_program_registers_every_hook_at_start_up(tmp_path):
    assert run(AFTER_MAIN, str(tmp_path / "none.db")) == "1 True ['agency'] ['agency'] 1"


def test_starting_the_program_does_not_import_the_ksef_client():
    # ksef-client's models take half a second to import: only a KSeF sync run pays it.
    code = ("import sys\nfrom windykacja import app\nfrom windykacja.importers import hooks\n"
            "hooks.register_hooks()\nprint('ksef_client' in sys.modules)")
    assert run(code).strip() == "False"
