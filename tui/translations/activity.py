"""Wordings of the activity list (zestawienie działań) and its CSV export."""

PL = {
    "Filter": "Filtruj",
    "Export CSV": "Eksport CSV",
    "Back to the list": "Wróć do listy",
    "from date": "od dnia",
    "to date": "do dnia",
    "every kind": "każdy rodzaj",
    "contractor": "kontrahent",
    "author": "autor",
    "Date": "Data",
    "Time": "Godz.",
    "Kind": "Rodzaj",
    "Document": "Dokument",
    "Contractor": "Kontrahent",
    "Author": "Autor",
    "Details": "Szczegóły",
    "No events match the filters.": "Żadne zdarzenie nie pasuje do filtrów.",
    "{count} events": "Zdarzenia: {count}",
    "Error: '{value}' is not a date; write DD.MM.YYYY or YYYY-MM-DD.":
        "Błąd: „{value}” nie jest datą; wpisz DD.MM.RRRR lub RRRR-MM-DD.",
    "This event concerns a message, not one document.":
        "To zdarzenie dotyczy wiadomości, nie jednego dokumentu.",
    "Export the events the filters show to a CSV file":
        "Eksport zdarzeń widocznych po filtrowaniu do pliku CSV",
    "File (a name alone is written in the current directory):":
        "Plik (sama nazwa zapisuje w bieżącym katalogu):",
    "Export": "Eksportuj",
    "Exporting to {path}…": "Eksport do {path}…",
    "{count} events written to {path}.": "Zapisano zdarzeń: {count} do {path}.",
    "Export failed: {problem}. No file was written.":
        "Eksport nie powiódł się: {problem}. Nie zapisano pliku.",
}
