"""The top line says a demand of the coming days lacks a rate (``check_rates``, in a
thread with a small cache) until the rate is added, in either language."""

from __future__ import annotations

import pytest

from windykacja.ledger.rates import add_interest_rate

from .conftest import settle

MISSING = {"en": "no interest rate 2026 H2", "pl": "brak stawki odsetek 2026 H2"}


@pytest.mark.parametrize("language", ["en", "pl"])
async def test_the_top_line_names_the_missing_rate_until_it_is_added(
        demo_db, make_app, clock, language):
    app = make_app(demo_db, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert [g.gap.period for g in app.rate_gaps] == ["2026 H2"]
        assert MISSING[language] in str(app.status_text)
        for kind in ("business", "healthcare"):
            add_interest_rate(clock, kind, "2026-07-01", "11.75", "M.P. 2026 poz. 1", "test")
        app.check_rates()
        await settle(pilot)
        assert app.rate_gaps == ()
        assert MISSING[language] not in str(app.status_text)
