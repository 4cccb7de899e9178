"""Forecast screen: the coming 14 days, each listed, with its e-mails or why none."""

from __future__ import annotations

import datetime as dt

from windykacja.dunning.forecast import forecast
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.tui.screens.forecast import ForecastScreen


async def open_forecast(app, pilot):
    await pilot.press("5")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, ForecastScreen)
    return app.screen


def lines(screen):
    table = screen.table
    return [table.cells(table.source.row(i)) for i in range(table.row_count)]


async def test_every_day_is_listed_with_its_emails_or_why_nothing_goes(
    demo_db, make_app, clock
):
    items = forecast(load_settings(), clock.today())
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_forecast(app, pilot)
        shown = lines(screen)
        headings = [line for line in shown if line[0]]
        assert [h[0] for h in headings[:7]] == [
            "Mon 23.11.2026", "Tue 24.11.2026", "Wed 25.11.2026", "Thu 26.11.2026",
            "Fri 27.11.2026", "Sat 28.11.2026", "Sun 29.11.2026"]
        assert len(headings) == 14
        assert headings[5][1] == "not a sending day"
        monday = [i for i in items if i.day == clock.today()]
        # One message per contractor, kind and channel; the demo sends some by letter.
        emails = {(i.contractor, i.kind) for i in monday if i.channel != "letter"}
        letters = {(i.contractor, i.kind) for i in monday if i.channel != "email"}
        assert letters, "the demo plans letters (its contractors without e-mail)"
        assert monday and headings[0][1] == (
            f"{len(emails)} e-mails, {len(letters)} letters, {len(monday)} documents")
        # A demand lacking a rate reads "! demand 1" and "FV/… (no interest rate 2026 H2)".
        documents = {doc for line in shown if not line[0]
                     for doc in line[3].split(" (")[0].split(", ")}
        assert documents == {i.document for i in items}
        steps = {line[2].removeprefix("! ").removesuffix(" (letter)")
                 for line in shown if not line[0]}
        assert any(line[2].endswith(" (letter)") for line in shown if not line[0])
        assert steps <= {"reminder"} | {f"demand {n}" for n in range(1, 4)} | {
            "demand 1, 2", "demand 2, 3", "demand 1, 3", "demand 1, 2, 3"}
        summary = str(screen.query_one("#summary").content)
        assert summary.startswith("Next 14 days from 23.11.2026: ")
        assert f"{len(items)} documents" in summary


async def test_the_demands_that_lack_a_rate_are_marked_with_the_command(
    demo_db, make_app, clock
):
    # 2026 H2 has no shipped commercial rate: the business demands of the window lack it.
    items = forecast(load_settings(), clock.today())
    lacking = {i.document for i in items if i.gaps}
    assert lacking and all(i.kind == "demand" for i in items if i.gaps)
    assert not any(i.gaps for i in items if i.kind == "reminder")
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_forecast(app, pilot)
        marked = {doc for line in lines(screen) if not line[0] and line[2].startswith("! ")
                  for doc in line[3].split(" (")[0].split(", ")}
        assert lacking <= marked
        assert all("(no interest rate 2026 H2)" in line[3] for line in lines(screen)
                   if line[2].startswith("! "))
        summary = str(screen.query_one("#summary").content)
        assert "no commercial-transaction interest rate for 2026 H2" in summary
        assert "windykacja rates add-interest business 2026-07-01 RATE" in summary


async def test_a_holiday_is_shown_as_such_and_polish_words(demo_db, make_app, clock):
    clock.day = dt.date(2026, 12, 21)  # the window holds Christmas and Boxing Day
    app = make_app(demo_db, language="pl")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_forecast(app, pilot)
        headings = {line[0]: line[1] for line in lines(screen) if line[0]}
        assert headings["pt 25.12.2026"] == "święto: bez wysyłki"
        assert headings["niedz 27.12.2026"] == "dzień bez wysyłki"


async def test_with_collection_off_it_says_nothing_will_be_sent(demo_db, make_app, clock):
    save_settings({"module.enabled": "no"}, "test", clock.now())
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_forecast(app, pilot)
        assert str(screen.query_one("#summary").content) == (
            "Collection is off: nothing will be sent.")
        assert all(line[1] in ("nothing due", "not a sending day")
                   for line in lines(screen))


async def test_a_computing_line_stands_in_while_the_worker_runs(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_forecast(app, pilot)
        screen.refresh_data()  # the worker's answer needs the event loop: not yet here
        assert str(screen.query_one("#summary").content) == "Computing the forecast…"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(screen.query_one("#summary").content).startswith("Next 14 days")


async def test_after_todays_pass_the_forecast_starts_tomorrow(demo_db, make_app, clock,
                                                              tmp_path):
    """Issue 12: the pass of the day has run, so nothing more goes out today; a reminder
    that fell due after it (a document entered later) goes with tomorrow's pass."""
    from decimal import Decimal

    from pass_runner import run_one_pass

    from windykacja.ledger.actions import create_contractor, create_document

    today = clock.today()
    before = {i.document for i in forecast(load_settings(), today) if i.day == today}
    result = run_one_pass(clock, tmp_path / "outbox")
    assert result.count("sent") > 0 and before
    settings = load_settings()
    late = create_contractor(clock, code="LATE1", name="Wpisany Po Przebiegu",
                             emails="late@example.pl")
    create_document(clock, settings, late, "FV/LATE/1", today - dt.timedelta(days=5),
                    today + dt.timedelta(days=2), Decimal("500.00"))
    assert any(i.day == today for i in forecast(settings, today))  # what it used to show
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_forecast(app, pilot)
        shown = lines(screen)
        headings = [line[0] for line in shown if line[0]]
        assert headings[0] == "Tue 24.11.2026"
        assert "Mon 23.11.2026" not in headings
        summary = str(screen.query_one("#summary").content)
        assert summary.startswith("Today's pass has run; the forecast starts tomorrow.")
        assert "Next 14 days from 24.11.2026" in summary
        tuesday = shown[:next(i for i, line in enumerate(shown[1:], 1) if line[0])]
        assert any("FV/LATE/1" in line[3] for line in tuesday)  # tomorrow's reminder
        # Nothing is listed for today, the day of the pass: neither what it sent nor
        # what came after it.
        assert all(line[0] != "Mon 23.11.2026" for line in shown)
