"""The rooms below the interface never pull in Textual (ARCHITECTURE.md)."""

import subprocess
import sys

import pytest

CORE = ["windykacja.models", "windykacja.dunning.passes", "windykacja.dunning.worker",
        "windykacja.dunning.unpaid_list", "windykacja.dunning.listing",
        "windykacja.importers.contractors", "windykacja.recovery.cases",
        "windykacja.recovery.agencies", "windykacja.law.interest",
        "windykacja.law.compensation", "windykacja.app"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_without_textual(module):
    code = (f"import sys, {module}; "
            "bad = [m for m in sys.modules if m.startswith(('textual', 'windykacja.tui'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
