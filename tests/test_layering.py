"""The rooms below the interface never pull in Textual (ARCHITECTURE.md)."""

import subprocess
import sys

import pytest

CORE = ["windykacja.models", "windykacja.dunning.passes", "windykacja.dunning.worker",
        "windykacja.lists.unpaid_list", "windykacja.lists.paging",
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


def test_the_words_room_imports_nothing_else_of_ours():
    """i18n sits below every room (each may word its messages through it), so it may
    import nothing of ours but itself, nor Textual."""
    import ast
    from pathlib import Path

    import windykacja.i18n

    found = []
    for path in Path(windykacja.i18n.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level > 1 or (
                    node.module or "").startswith(("windykacja", "textual"))):
                found.append(f"{path.name}: from {'.' * node.level}{node.module or ''}")
            if isinstance(node, ast.Import):
                found += [f"{path.name}: import {a.name}" for a in node.names
                          if a.name.startswith(("windykacja", "textual"))]
    assert found == []
