"""Wordings of the 14-day forecast."""

PL = {
    "Day": "Dzień",
    "Step": "Krok",
    "Mon": "pon",
    "Tue": "wt",
    "Wed": "śr",
    "Thu": "czw",
    "Fri": "pt",
    "Sat": "sob",
    "Sun": "niedz",
    "demand {number}": "wezwanie {number}",
    "{messages} e-mails, {documents} documents": "e-maile: {messages}, dokumenty: {documents}",
    "not a sending day": "dzień bez wysyłki",
    "holiday: no sending": "święto: bez wysyłki",
    "nothing due": "nic do wysłania",
    "Computing the forecast…": "Obliczanie prognozy…",
    "Collection is off: nothing will be sent.": "Windykacja wyłączona: nic nie zostanie wysłane.",
    "Next {days} days from {start}: {messages} e-mails, {documents} documents. Payments "
    "that arrive meanwhile are not foreseen.":
        "Najbliższe {days} dni od {start}: e-maile: {messages}, dokumenty: {documents}. "
        "Wpłaty, które nadejdą w tym czasie, nie są przewidywane.",
}
