"""Wordings shared by every screen: the app frame, forms, dialogs, the status line."""

PL = {
    "Error: {problem}": "Błąd: {problem}",
    "Yes": "Tak",
    "No": "Nie",
}
PL.update({
    "Windykacja": "Windykacja",
    "Unpaid documents": "Nierozliczone dokumenty",
    "Contractors": "Kontrahenci",
    "Activity": "Zestawienie działań",
    "Outbox": "Skrzynka nadawcza",
    "Forecast": "Prognoza",
    "Settings": "Ustawienia",
    "Welcome": "Witaj",
    "Help": "Pomoc",
    "Refresh": "Odśwież",
    "Quit": "Wyjdź",
    "Go to: {screen}": "Przejdź do: {screen}",
    "Open the {screen} screen (key {key})": "Otwórz ekran {screen} (klawisz {key})",
    "Set up collection": "Konfiguracja windykacji",
    "Open the setup wizard": "Otwórz kreatora konfiguracji",
    "Key {key}": "Klawisz {key}",
    "{what} failed: {problem}. Nothing was changed; correct it and try again.":
        "{what} – nie udało się: {problem}. Nic nie zostało zmienione; popraw i spróbuj ponownie.",
    "Something went wrong: {problem}. Nothing was changed. The details are in the log; "
    "press Ctrl+R to reload.":
        "Wystąpił błąd: {problem}. Nic nie zostało zmienione. Szczegóły są w dzienniku; "
        "naciśnij Ctrl+R, aby odświeżyć.",
    "Collection off": "Windykacja wyłączona",
    "last pass {day}": "ostatni przebieg {day}",
    "no pass yet": "jeszcze bez przebiegu",
    "next {moment}": "następny {moment}",
    "no next pass": "brak następnego przebiegu",
    "{count} need attention": "{count} wymaga uwagi",
    "demands held": "wezwania wstrzymane",
    "worker error: {problem}": "błąd wysyłki: {problem}",
    "worker not running here": "wysyłka nie działa w tym oknie",
})
