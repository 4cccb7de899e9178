"""``windykacja import ksef``: output, exit codes, and the progress bar on a terminal only."""

from __future__ import annotations

import io
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from windykacja.app import main
from windykacja.cli.ksef import ProgressBar

DATA = Path(__file__).parents[1] / "importers" / "data"
SAMPLES = ("ksef_fa2_sample.xml", "ksef_fa3_sample.xml")


@pytest.fixture
def folder(tmp_path):
    """The two samples in a folder ``in``."""
    path = tmp_path / "in"
    path.mkdir()
    for name in SAMPLES:
        shutil.copy(DATA / name, path / name)
    return path


def run(db_path, *args):
    return main(["--db", str(db_path), "--today", "2026-03-02", *args])


def test_a_folder_is_imported_then_found_unchanged(db_location, folder, capsys):
    db_path = db_location("k.db")
    assert run(db_path, "import", "ksef", str(folder)) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[-1] == (
        f"{folder}: 2 files — 2 created, 0 unchanged, 0 corrected, 0 refused."
    )
    # The samples' buyer e-mail is in the reserved .invalid domain: a warning per file.
    assert f"{folder / 'ksef_fa3_sample.xml'}: warning: line 47: e-mail" in out
    assert err == ""  # not a terminal: no progress bar
    assert run(db_path, "import", "ksef", str(folder)) == 0
    out, err = capsys.readouterr()
    assert out == f"{folder}: 2 files — 0 created, 2 unchanged, 0 corrected, 0 refused.\n"


def test_a_refused_file_is_named_with_its_line_and_the_exit_status_is_1(
    db_location, folder, capsys
):
    text = (DATA / "ksef_fa3_sample.xml").read_text(encoding="utf-8")
    (folder / "broken.xml").write_text(text.replace("</P_1M>", "</P_1>"), encoding="utf-8")
    assert run(db_location("k.db"), "import", "ksef", str(folder)) == 1
    out, err = capsys.readouterr()
    assert err == (
        f"{folder / 'broken.xml'}: refused, nothing stored from it:\n"
        "  line 57: the file is not well-formed XML (mismatched tag)\n"
    )
    assert out.splitlines()[-1] == (
        f"{folder}: 3 files — 2 created, 0 unchanged, 0 corrected, 1 refused."
    )


def test_one_file_and_a_missing_path(db_location, tmp_path, folder, capsys):
    assert run(db_location("k.db"), "import", "ksef", str(folder / SAMPLES[1])) == 0
    assert "1 file — 1 created" in capsys.readouterr().out
    assert run(db_location("k.db"), "import", "ksef", str(tmp_path / "nowhere")) == 1
    err = capsys.readouterr().err
    assert err == f"windykacja: {tmp_path / 'nowhere'}: no such file or folder\n"


def test_the_progress_bar_is_drawn_in_place_and_cleared():
    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar(1, 4)
    bar(2, 4)  # within the redraw interval: skipped
    bar(4, 4)  # the last is always drawn
    bar.clear()
    assert stream.getvalue() == (
        "\r[#######.......................] 1/4 files"
        "\r[##############################] 4/4 files"
        "\r\033[K"
    )


def test_on_a_terminal_the_command_draws_the_bar_on_stderr(db_location, folder):
    """A real pseudo-terminal as stderr: the bar appears there, stdout stays clean."""
    controller, terminal = pty.openpty()
    result = subprocess.Popen(
        [sys.executable, "-m", "windykacja", "--db", str(db_location("k.db")), "--today",
         "2026-03-02", "import", "ksef", str(folder)],
        stdout=subprocess.PIPE, stderr=terminal, stdin=subprocess.DEVNULL,
    )
    os.close(terminal)
    drawn = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    out = result.stdout.read().decode()
    assert result.wait(timeout=60) == 0
    os.close(controller)
    assert b"[##############################] 2/2 files" in drawn
    assert drawn.endswith(b"\r\x1b[K")
    assert "2 created" in out and "[#" not in out
