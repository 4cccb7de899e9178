"""The status line in words: a demand hold comes first, as a narrow terminal cuts the end."""

import datetime as dt

from windykacja.dunning.status import CollectionStatus
from windykacja.tui.status_text import describe_status


def test_a_demand_hold_leads_the_status_line():
    status = CollectionStatus(True, None, dt.datetime(2026, 11, 24, 9, 0), 2,
                              demands_held_since=dt.date(2026, 11, 16))
    assert describe_status(status, None, True) == (
        "demands held · no pass yet · next 24.11 09:00 · 2 need attention")
    fresh = CollectionStatus(True, None, dt.datetime(2026, 11, 24, 9, 0), 0)
    assert describe_status(fresh, None, True) == "no pass yet · next 24.11 09:00"
