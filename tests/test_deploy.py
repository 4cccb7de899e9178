"""The systemd unit in deploy/ is a valid unit that starts our own worker command."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from windykacja.app import build_parser
from windykacja.cli.collection import worker

UNIT = Path(__file__).parent.parent / "deploy" / "windykacja-worker.service"


def read_unit(text: str) -> configparser.RawConfigParser:
    unit = configparser.RawConfigParser(strict=True, delimiters=("=",))
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read_string(text)
    return unit


def test_the_unit_parses_and_starts_windykacja_worker():
    unit = read_unit(UNIT.read_text(encoding="utf-8"))
    assert unit.sections() == ["Unit", "Service", "Install"]
    service = unit["Service"]
    program, *arguments = shlex.split(service["ExecStart"])
    assert Path(program).name == "windykacja"
    args = build_parser().parse_args(arguments)
    assert args.command == "worker" and args.handler is worker
    assert service["Restart"] == "on-failure"
    assert service["User"] == "windykacja" != "root"
    environment = dict(item.split("=", 1) for item in shlex.split(service["Environment"]))
    assert environment["WINDYKACJA_DB"].startswith(f"/var/lib/{service['StateDirectory']}/")
    assert environment["WINDYKACJA_LOG_DIR"] == f"/var/log/{service['LogsDirectory']}"
    assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed here")
def test_systemd_accepts_the_unit(tmp_path):
    # The same unit, pointed at this installation's program (verify checks it exists)
    # and at a user that exists on any machine.
    program = Path(sys.executable).with_name("windykacja")
    assert program.exists(), "the package's console script is not installed beside python"
    text = UNIT.read_text(encoding="utf-8")
    text = text.replace("/opt/windykacja/.venv/bin/windykacja", str(program))
    text = text.replace("User=windykacja", "User=root").replace("Group=windykacja", "Group=root")
    copy = tmp_path / "windykacja-worker.service"
    copy.write_text(text, encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(copy)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
