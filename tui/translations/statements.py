"""Wordings of Bank statements: the credits waiting for a decision, one credit, the
import dialog."""

PL = {
    "Bank statements": "Wyciągi bankowe",
    "Bank statements: a credit": "Wyciągi bankowe: wpływ",
    "Choose": "Wybierz",
    "Ignore": "Pomiń",
    "Import statement": "Importuj wyciąg",
    "Confirm": "Potwierdź",
    "Find by number": "Szukaj po numerze",
    "to confirm": "do potwierdzenia",
    "no match": "bez dopasowania",
    "matched": "dopasowany",
    "confirmed": "potwierdzony",
    "ignored": "pominięty",
    "Payer": "Płatnik",
    "Title": "Tytuł",
    "No credits wait for a decision.": "Żaden wpływ nie czeka na decyzję.",
    "No statement imported yet: press i to import one.":
        "Nie zaimportowano jeszcze wyciągu: naciśnij i, aby go zaimportować.",
    "Newest statement {day} · to confirm: {unsure} · no match: {unmatched} · Enter opens one":
        "Wyciąg z {day} · do potwierdzenia: {unsure} · niedopasowane: {unmatched}"
        " · Enter otwiera",
    "Opening the credit": "Otwarcie wpływu",
    "Ignore the credit of {amount} from {payer}? No payment is recorded; it leaves this "
    "list.":
        "Pominąć wpływ {amount} od {payer}? Żadna płatność nie zostanie zapisana; wpływ "
        "zniknie z tej listy.",
    "Ignoring the credit": "Pominięcie wpływu",
    "The credit of {amount} is ignored.": "Wpływ {amount} pominięto.",
    # One credit
    "{day} · {amount} · {status}": "{day} · {amount} · {status}",
    "From: {payer}": "Od: {payer}",
    "Account: {account}": "Rachunek: {account}",
    "Title: {title}": "Tytuł: {title}",
    "Why: {reason}": "Dlaczego: {reason}",
    "Add a document by its number (n), then Enter":
        "Dodaj dokument po numerze (n), potem Enter",
    "No candidate documents: n finds one by its number, x ignores the credit.":
        "Brak dokumentów do wyboru: n szuka dokumentu po numerze, x pomija wpływ.",
    " (agency)": " (windykacja)",
    "No open document {number} in {currency}.": "Brak otwartego dokumentu {number} w {currency}.",
    "Choose a document first.": "Najpierw wybierz dokument.",
    "Record the credit of {amount} as paid on {day}:":
        "Zapisać wpływ {amount} jako zapłatę z dnia {day}:",
    "{amount} is left over and is not recorded (overpayments are refused).":
        "Zostaje {amount}, które nie zostanie zapisane (nadpłat się nie zapisuje).",
    "Confirming the credit": "Potwierdzenie wpływu",
    "Payments recorded: {paid}.": "Zapisano płatności: {paid}.",
    # Why the matcher was not sure
    "the amount is more than the documents in the title owe":
        "kwota przekracza to, co pozostało do zapłaty za dokumenty z tytułu",
    "the amount is less than the documents in the title owe together":
        "kwota jest mniejsza niż łączna kwota do zapłaty za dokumenty z tytułu",
    "the title names {numbers}, which is no open document":
        "tytuł wymienia {numbers}, a to nie jest żaden otwarty dokument",
    "a document in the title is in another currency": "dokument z tytułu jest w innej walucie",
    "the payer has several documents of this amount": "płatnik ma kilka dokumentów na tę kwotę",
    "the payer has no document of exactly this amount":
        "płatnik nie ma dokumentu na dokładnie tę kwotę",
    "the account and the NIP point at different contractors":
        "rachunek i NIP wskazują różnych kontrahentów",
    "the payer owes nothing now": "płatnik nie ma teraz nic do zapłaty",
    "only the payer's name resembles a contractor's":
        "tylko nazwa płatnika przypomina nazwę kontrahenta",
    "neither the title nor the payer points at a document":
        "ani tytuł, ani płatnik nie wskazują dokumentu",
    "the document is with a recovery agency: tell the agency":
        "dokument jest w firmie windykacyjnej: powiadom ją",
    # The import dialog
    "Import a bank statement (MT940)": "Import wyciągu bankowego (MT940)",
    "Sure matches become payments; the others wait in this list. A file with a bad line "
    "imports nothing.":
        "Pewne dopasowania stają się płatnościami; pozostałe czekają na tej liście. Plik z "
        "błędnym wierszem nie importuje niczego.",
    "Bank profile:": "Profil banku:",
    "Import": "Importuj",
    "Reading {path}…": "Odczyt {path}…",
    "Nothing was imported; fix these lines or choose another profile:":
        "Nic nie zaimportowano; popraw te wiersze albo wybierz inny profil:",
    "{file}: {credits} credits — {sure} paid for sure, {unsure} to confirm, {unmatched} "
    "without a match, {skipped} imported before; {debits} debits ignored.":
        "{file}: wpływów {credits} — rozliczone na pewno: {sure}, do potwierdzenia: "
        "{unsure}, bez dopasowania: {unmatched}, zaimportowane wcześniej: {skipped}; "
        "pominięte obciążenia: {debits}.",
    "{file} was imported before ({when} UTC, {who}); nothing was added.":
        "{file} zaimportowano już wcześniej ({when} UTC, {who}); nic nie dodano.",
    "Esc returns to the list.": "Esc wraca do listy.",
}
