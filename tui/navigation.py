"""The screens of the app, each reached by a key and from the command palette.

Screens are imported when first shown, so that starting the app costs only the home
screen's import.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual.screen import Screen


@dataclass(frozen=True)
class Place:
    mode: str
    key: str
    title: str  # English source text; shown through t()
    module: str
    class_name: str

    def make(self) -> Screen:
        module = importlib.import_module(f"windykacja.tui.screens.{self.module}")
        return getattr(module, self.class_name)()


PLACES = (
    Place("unpaid", "1", "Unpaid documents", "unpaid", "UnpaidScreen"),
    Place("contractors", "2", "Contractors", "contractors", "ContractorsScreen"),
    Place("activity", "3", "Activity", "activity", "ActivityScreen"),
    Place("outbox", "4", "Outbox", "outbox", "OutboxScreen"),
    Place("forecast", "5", "Forecast", "forecast", "ForecastScreen"),
    Place("settings", "6", "Settings", "settings", "SettingsScreen"),
    Place("statements", "7", "Bank statements", "statements", "StatementsScreen"),
    Place("aging", "8", "Aging report", "aging", "AgingScreen"),
)
PLACE_BY_MODE = {place.mode: place for place in PLACES}
# Shown by itself on an empty database; no key of its own.
WELCOME = Place("welcome", "", "Welcome", "welcome", "WelcomeScreen")
