"""Settings → Templates: the editor with its live preview."""

PL = {
    "Reset to default": "Przywróć domyślny",
    "Reminder": "Przypomnienie",
    "Payment demand": "Wezwanie do zapłaty",
    "End-of-collection report": "Raport z zakończenia windykacji",
    "Subject": "Temat",
    "Plain text": "Zwykły tekst",
    "HTML": "HTML",
    "Line {line}: {problem}": "Wiersz {line}: {problem}",
    "Variables you can use:": "Dostępne zmienne:",
    "{which}: unsaved changes (Ctrl+S saves).": "{which}: niezapisane zmiany (Ctrl+S zapisuje).",
    "{which}: your own version.": "{which}: Twoja wersja.",
    "{which}: the default text.": "{which}: tekst domyślny.",
    "Discard the unsaved changes to {which}?": "Odrzucić niezapisane zmiany w: {which}?",
    "Preview for document {number} ({contractor})":
        "Podgląd dla dokumentu {number} ({contractor})",
    "Preview with sample data (no document in the ledger yet)":
        "Podgląd na przykładowych danych (w ewidencji nie ma jeszcze dokumentów)",
    "The preview cannot be rendered: {problem}": "Nie można przygotować podglądu: {problem}",
    "Saving the template": "Zapisywanie szablonu",
    "Not saved. {problem}": "Nie zapisano. {problem}",
    "Template saved: {which}. It is used from the next message.":
        "Zapisano szablon: {which}. Będzie użyty od następnej wiadomości.",
    "This is already the default text.": "To już jest tekst domyślny.",
    "Resetting the template": "Przywracanie szablonu",
    "The default text is back: {which}.": "Przywrócono tekst domyślny: {which}.",
    "Put back the default text of {which}? Your version will be deleted.":
        "Przywrócić tekst domyślny: {which}? Twoja wersja zostanie usunięta.",
    "Leave without saving the changes to {which}?": "Wyjść bez zapisania zmian w: {which}?",
}
