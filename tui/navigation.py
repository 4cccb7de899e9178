"""The screens of the app, each reached by a key and from the command palette.

Screens are imported when first shown, so that starting the app costs only the home
screen's import.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual.screen import Screen

from ..i18n import N_


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
    Place("unpaid", "1", N_("Unpaid documents"), "unpaid", "UnpaidScreen"),
    Place("contractors", "2", N_("Contractors"), "contractors", "ContractorsScreen"),
    Place("activity", "3", N_("Activity"), "activity", "ActivityScreen"),
    Place("outbox", "4", N_("Outbox"), "outbox", "OutboxScreen"),
    Place("forecast", "5", N_("Forecast"), "forecast", "ForecastScreen"),
    Place("settings", "6", N_("Settings"), "settings", "SettingsScreen"),
    Place("statements", "7", N_("Bank statements"), "statements", "StatementsScreen"),
    Place("aging", "8", N_("Aging report"), "aging", "AgingScreen"),
    Place("inbox", "9", N_("Inbox"), "inbox", "InboxScreen"),
    Place("letters", "0", N_("Letters"), "letters", "LettersScreen"),
)
PLACE_BY_MODE = {place.mode: place for place in PLACES}
# Shown by itself on an empty database; no key of its own.
WELCOME = Place("welcome", "", N_("Welcome"), "welcome", "WelcomeScreen")
