"""Keys typed quickly, or arriving together over a slow SSH link, land where a person meant
them: a Tab moves the focus before the keys after it are read."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from windykacja.tui.screens.payment import PaymentDialog

from .conftest import open_document
from .test_document import demanded_document


def burst(app, keys: list[str]) -> None:
    """The keys posted one after another without waiting, as a terminal read hands
    several to the app at once."""
    for key in keys:
        character = key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


async def test_tab_in_a_burst_of_keys_moves_on_before_the_next_key(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_document(app, pilot, demanded_document())
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PaymentDialog)
        amount = dialog.query_one("#amount Input", Input)
        reference = dialog.query_one("#reference Input", Input)
        assert app.focused is amount
        before = amount.value
        # From the amount: Tab to the method, Tab to the reference, then type.
        burst(app, ["tab", "tab", "R", "E", "F"])
        await pilot.pause()
        assert (amount.value, reference.value) == (before, "REF")
        assert app.focused is reference
        burst(app, ["shift+tab", "shift+tab", "9", "9"])
        await pilot.pause()
        assert (amount.value, reference.value) == ("99", "REF")
