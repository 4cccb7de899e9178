PL = {
    "Demo data": "Dane przykładowe",
    "Import file": "Import pliku",
    "Welcome to Windykacja": "Witaj w programie Windykacja",
    "The database is empty. Bring in your contractors and invoices, or try the program on "
    "demo data first. Collection stays off until you set it up; nothing is sent before that.":
        "Baza jest pusta. Wczytaj kontrahentów i faktury albo najpierw wypróbuj program na "
        "danych przykładowych. Windykacja jest wyłączona, dopóki jej nie skonfigurujesz; "
        "wcześniej nic nie zostanie wysłane.",
    "Set up collection (w)": "Konfiguracja windykacji (w)",
    "Demo data (d)": "Dane przykładowe (d)",
    "Import a CSV file": "Import pliku CSV",
    "Import contractors first, then documents, then payments. A file with a bad row "
    "imports nothing.":
        "Najpierw kontrahenci, potem dokumenty, na końcu wpłaty. Plik z błędnym wierszem "
        "nie zostanie wczytany wcale.",
    "What the file holds": "Zawartość pliku",
    "contractors": "kontrahenci",
    "documents": "dokumenty",
    "payments": "wpłaty",
    "File": "Plik",
    "Import (i)": "Importuj (i)",
    "The database is not empty; demo data goes only into an empty one.":
        "Baza nie jest pusta; dane przykładowe można wczytać tylko do pustej bazy.",
    "Building the demo data (a few seconds)…": "Tworzę dane przykładowe (kilka sekund)…",
    "Demo data ready.": "Dane przykładowe gotowe.",
    "The demo data could not be built:": "Nie udało się utworzyć danych przykładowych:",
    "type the path of the file": "wpisz ścieżkę pliku",
    "no such file: {path}": "nie ma takiego pliku: {path}",
    "Checking {path}…": "Sprawdzam {path}…",
    "{path}: {rows} rows — {created} created, {updated} updated.":
        "{path}: wierszy {rows} — utworzono {created}, zmieniono {updated}.",
    "Storing: {done} of {total} rows": "Zapisuję: {done} z {total} wierszy",
    "Nothing was imported; fix these rows and import the file again:":
        "Nic nie zostało wczytane; popraw te wiersze i zaimportuj plik ponownie:",
    "…and {count} more": "…i jeszcze {count}",
}
