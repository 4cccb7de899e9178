"""What the first screen does not show waits for its rows (issue 17): the status line's
modules and calendar (start-up) and the agency poll of the unpaid list are asked of the
reader thread only once the first rows are on the screen, so that their imports do not
share the interpreter with painting them."""

from __future__ import annotations

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
