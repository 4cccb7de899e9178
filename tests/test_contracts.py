"""The rooms and which may import which (pyproject.toml, [tool.importlinter]; the picture
is docs/ARCHITECTURE.md): layers from the entry down to law and models, no Textual below
the interface, pure law and policy, no import loop inside a room. Checked here so that the
README's one test command catches a broken contract, as CI's `lint-imports` does."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"


def test_the_import_contracts_hold():
    result = subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache"],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_a_broken_contract_is_seen(tmp_path):
    """The checker reads our configuration and fails on an upward import, so the test
    above cannot pass by checking nothing."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "windykacja"\n\n'
        '[[tool.importlinter.contracts]]\nname = "upside down"\ntype = "layers"\n'
        'layers = ["windykacja.ledger", "windykacja.tui"]\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", "--config", str(config)],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "windykacja.tui is not allowed to import windykacja.ledger" in result.stdout
