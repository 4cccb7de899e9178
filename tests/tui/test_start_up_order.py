"""What the first screen does not show waits for its rows (issue 17): the status line's
modules and calendar (start-up) and the agency poll of the unpaid list are asked of the
reader thread only once the first rows are on the screen, so that their imports do not
share the interpreter with painting them."""

from __future__ import annotations

import gc
import subprocess
import sys

from windykacja.tui.screens.unpaid import UnpaidScreen

from .conftest import settle


async def test_start_up_and_the_agency_poll_wait_for_the_first_rows(demo_db, make_app):
    app = make_app(demo_db)
    asked: list[tuple[str, bool]] = []
    read = app.reader.run

    async def run(kind, job):
        screen = app.screen
        shown = isinstance(screen, UnpaidScreen) and screen.window is not None
        asked.append((kind, shown))
        return await read(kind, job)

    app.reader.run = run  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, UnpaidScreen) and app.screen.window is not None
        assert app.status_text  # the status line came all the same
    real = [(kind, shown) for kind, shown in asked if "after the first screen" not in kind]
    assert real[0] == ("unpaid-load", False)
    assert ("start-up", True) in real and ("recovery-poll", True) in real
    assert [kind for kind, shown in real if not shown] == ["unpaid-load"]


def test_main_pauses_the_garbage_collector_for_the_interface_only(tmp_path):
    """``app.main`` pauses the cyclic collector while the interface loads (the first
    screen's objects all live on); whatever happens, it is on again when main returns."""
    location = str(tmp_path / "firma.db")
    subprocess.run([sys.executable, "-m", "windykacja", "--db", location, "init"],
                   check=True, capture_output=True, timeout=120)
    program = """
import gc, sys
import windykacja.tui.app as interface
seen = []
interface.run_app = lambda ctx, before_worker=None: seen.append(gc.isenabled()) or 0
from windykacja.app import main
assert main(["--db", sys.argv[1]]) == 0
assert main(["--db", sys.argv[1], "status"]) in (0, 1, 2)
print(seen, gc.isenabled())
"""
    result = subprocess.run([sys.executable, "-c", program, location], capture_output=True,
                            text=True, check=True, timeout=120)
    assert result.stdout.splitlines()[-1] == "[False] True"


async def test_the_collector_paused_for_the_first_screen_is_on_once_it_shows(
        demo_db, make_app):
    app = make_app(demo_db)
    gc.disable()  # as app.main leaves it for the interface
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, UnpaidScreen) and app.screen.window is not None
            assert gc.isenabled()
    finally:
        gc.enable()
