"""A failing address (issue 12, point 5) is cleared when the user changes it in the
contractor editor, and only then: saving other fields keeps the mark."""

from __future__ import annotations

import datetime as dt

from windykacja.ledger.addresses import mark_failing
from windykacja.models import Contractor, FailingAddress
from windykacja.tui.screens.contractors import ContractorEditor, ContractorsScreen

from .conftest import settle


async def edit_k0002(app, pilot, *keys: str) -> ContractorEditor:
    await pilot.press("2")
    await settle(pilot)
    assert isinstance(app.screen, ContractorsScreen)
    await pilot.press(*keys, "enter")
    await pilot.pause()
    editor = app.screen
    assert isinstance(editor, ContractorEditor)
    assert editor.field("code").value == "K0002"
    return editor


async def test_changing_a_failing_address_in_the_editor_clears_it(demo_db, make_app, clock):
    k2 = Contractor.get(Contractor.code == "K0002")
    bad = k2.email_list[0]
    mark_failing(k2.id, bad, "550 5.1.1 User unknown", dt.date(2026, 11, 20), None)
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await edit_k0002(app, pilot, "down")
        editor.field("name").value = "Ślusarz Żabiński"  # the address as it was
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [f.address for f in FailingAddress.select()] == [bad]

        editor = await edit_k0002(app, pilot)
        others = [a for a in Contractor.get_by_id(k2.id).email_list if a != bad]
        editor.field("emails").value = ", ".join(["nowy.adres@example.pl", *others])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContractorsScreen)
        assert Contractor.get_by_id(k2.id).email_list[0] == "nowy.adres@example.pl"
        assert FailingAddress.select().count() == 0
