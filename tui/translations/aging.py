"""Wordings of the aging report (wiekowanie należności) and its CSV export."""

PL = {
    "Aging report": "Wiekowanie należności",
    "Currency": "Waluta",
    "Sort": "Sortuj",
    "Reverse order": "Odwróć kolejność",
    "Export CSV": "Eksport CSV",
    "not due": "w terminie",
    "1–30 days": "1–30 dni",
    "31–60 days": "31–60 dni",
    "61–90 days": "61–90 dni",
    "91–180 days": "91–180 dni",
    "over 180 days": "ponad 180 dni",
    "Not due": "W terminie",
    "1–30": "1–30",
    "31–60": "31–60",
    "61–90": "61–90",
    "91–180": "91–180",
    "> 180": "> 180",
    "Code": "Kod",
    "Contractor": "Kontrahent",
    "Total": "Razem",
    "In recovery": "U agencji",
    "Reading the outstanding amounts…": "Odczyt należności…",
    "No contractor owes anything in this currency.":
        "Żaden kontrahent nie ma należności w tej walucie.",
    "{currency} outstanding on {day}, by days past the due date":
        "Należności {currency} na {day} według dni po terminie",
    "also {currencies} (c)": "także {currencies} (c)",
    "Total {total}: {contractors} contractors, {documents} documents, "
    "{recovery} with an agency":
        "Razem {total}: kontrahenci: {contractors}, dokumenty: {documents}, "
        "u agencji: {recovery}",
    "Nothing is outstanding in other currencies.": "Brak należności w innych walutach.",
    "Export the aging report to a CSV file": "Eksport wiekowania należności do pliku CSV",
    "{count} contractors written to {path}.": "Zapisano kontrahentów: {count} do {path}.",
    "Export failed: {problem}. No file was written.":
        "Eksport nie powiódł się: {problem}. Nie zapisano pliku.",
    "with a recovery agency": "u agencji windykacyjnej",
    "Documents": "Dokumenty",
    "Close": "Zamknij",
    "Esc or Enter closes.": "Esc lub Enter zamyka.",
}
