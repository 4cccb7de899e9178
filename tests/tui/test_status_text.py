"""The status line in words: a demand hold comes first, as a narrow terminal cuts the end."""

import datetime as dt

from windykacja.lists.status import CollectionStatus
from windykacja.tui.status_text import describe_status


def test_a_demand_hold_leads_the_status_line():
    status = CollectionStatus(True, None, dt.datetime(2026, 11, 24, 9, 0), 2,
                              demands_held_since=dt.date(2026, 11, 16))
    assert describe_status(status, None, True) == (
        "demands held · no pass yet · next 24.11 09:00 · 2 need attention")
    fresh = CollectionStatus(True, None, dt.datetime(2026, 11, 24, 9, 0), 0)
    assert describe_status(fresh, None, True) == "no pass yet · next 24.11 09:00"


async def test_the_top_line_says_a_rate_is_missing_until_it_is_added(demo_db, make_app, clock):
    """The demo's business demands of the coming days fall in 2026 H2, which the shipped
    table lacks: the top line of every screen says so, first, in both languages, and
    stops once the rate is added."""
    from windykacja.ledger.rates import add_interest_rate

    from .conftest import settle

    for language, words in (("en", "no interest rate 2026 H2"),
                            ("pl", "brak stawki odsetek 2026 H2")):
        app = make_app(demo_db, language)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            top = str(app.screen.query_one("StatusBar #worker").content)
            assert top.startswith(words), top
    add_interest_rate(clock, "business", "2026-07-01", "13.75", "M.P. test notice", "test")
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        top = str(app.screen.query_one("StatusBar #worker").content)
        assert "rate" not in top, top
