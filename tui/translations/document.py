PL = {
    "Message #{id} · state: {state}": "Wiadomość nr {id} · stan: {state}",
    "From": "Od",
    "To": "Do",
    "Date": "Data",
    "Subject": "Temat",
    "Message-ID": "Message-ID",
    "Last error: {problem}": "Ostatni błąd: {problem}",
    "(not rendered yet: the text is made when it is sent)":
        "(jeszcze nie utworzona: treść powstaje przy wysyłce)",
    "planned": "zaplanowana",
    "sending": "w trakcie wysyłki",
    "sent": "wysłana",
    "retry": "do ponowienia",
    "failed": "błąd",
    "in_doubt": "niepewna",
    "cancelled": "anulowana",
    "Note for {document} (Ctrl+S saves)": "Notatka do {document} (Ctrl+S zapisuje)",
    "Save note": "Zapisz notatkę",
    "the note is empty": "notatka jest pusta",
}
PL.update({
    "Document": "Dokument",
    "Back": "Wstecz",
    "Note": "Notatka",
    "Collection on/off": "Windykacja wł./wył.",
    "Remove payment": "Usuń wpłatę",
    "Settlement history": "Historia rozliczeń",
    "Collection history (Enter on a message shows what was sent)":
        "Historia windykacji (Enter na wiadomości pokazuje, co wysłano)",
    "Amount": "Kwota",
    "By": "Kto",
    "When": "Kiedy",
    "What": "Co",
    "Details": "Szczegóły",
    "Document {number}": "Dokument {number}",
    "Next step: {what}": "Następny krok: {what}",
    "E-mail: {emails}": "E-mail: {emails}",
    "none": "brak",
    "Issued {issued} · due {due} (legal {legal})":
        "Wystawiono {issued} · termin {due} (ustawowy {legal})",
    "{days} days late": "dni po terminie: {days}",
    "Gross {gross} · outstanding {outstanding}": "Brutto {gross} · do zapłaty {outstanding}",
    "Subject to collection: {answer} · status: {status}":
        "Podlega windykacji: {answer} · stan: {status}",
    "yes": "tak",
    "no": "nie",
    "no payments yet": "brak wpłat",
    "This entry has no message to show.": "Ten wpis nie ma wiadomości do pokazania.",
    "Adding the note": "Dodawanie notatki",
    "Note added.": "Dodano notatkę.",
    "Collection switched on.": "Dokument objęty windykacją.",
    "Document excluded from collection.": "Dokument wyłączony z windykacji.",
    "This document is paid in full.": "Dokument jest rozliczony w całości.",
    "Payment recorded.": "Zapisano wpłatę.",
    "Select a payment in the settlement history first.":
        "Najpierw wybierz wpłatę w historii rozliczeń.",
    "Removing the payment": "Usuwanie wpłaty",
    "Payment removed.": "Usunięto wpłatę.",
    "Remove the payment of {amount} from {day}?": "Usunąć wpłatę {amount} z dnia {day}?",
})
PL.update({
    "Today under Polish law": "Dziś według prawa",
    "business": "firma",
    "private person": "osoba prywatna (konsument)",
    "public healthcare entity": "publiczny podmiot leczniczy",
    "Interest: cannot be stated: no rate from {date} in the table. Add the "
    "rate from the Monitor Polski notice in Settings.":
        "Odsetki: nie da się podać: brak stawki od {date} w tabeli. Dodaj stawkę "
        "z obwieszczenia w Monitorze Polskim w Ustawieniach.",
    "Interest: none (not late)": "Odsetki: brak (bez opóźnienia)",
    "Interest to {today}: {amount}": "Odsetki do {today}: {amount}",
    "{start}–{end}: {base} × {rate} × {days} d / 365 = {amount}":
        "{start}–{end}: {base} × {rate} × {days} dni / 365 = {amount}",
    "… and {count} more periods": "… i jeszcze {count} okresów",
    "Compensation: not due (only for business debtors, once late)":
        "Rekompensata: nie przysługuje (tylko od firm, po terminie)",
    "Compensation: no NBP EUR rate for {month} yet (rates refresh)":
        "Rekompensata: brak kursu EUR NBP za {month} (rates refresh)",
    "Compensation: {eur} EUR × {mid} (NBP {table}, {date}) = {amount}":
        "Rekompensata: {eur} EUR × {mid} (NBP {table}, {date}) = {amount}",
    "time-barred since {date}": "przedawniona od {date}",
    "time-barred after {date}": "przedawnia się po {date}",
    "Debtor: {kind} · claim {barred}": "Dłużnik: {kind} · roszczenie {barred}",
    "Demands claim interest: {interest} · compensation: {compensation}":
        "Wezwania żądają odsetek: {interest} · rekompensaty: {compensation}",
})
PL.update({
    "Your added rates are left out: {problem}": "Dodane stawki pominięto: {problem}",
})
PL.update({
    "{what} not saved: {changed} (Ctrl+R).": "{what} — nie zapisano: {changed} (Ctrl+R).",
    "Collection switch": "Przełączenie windykacji",
    "The payment of {amount} on {day}": "Wpłata {amount} z {day}",
})
