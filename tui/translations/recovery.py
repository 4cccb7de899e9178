"""Polish wordings of *Recover money* (``tui/screens/recovery.py``) and of the recovery
keys and column of Unpaid documents. The statuses follow InsERT's "Odzyskaj pieniądze"."""

PL = {
    # case statuses
    "not sent": "niewysłana",
    "waiting": "oczekuje",
    "accepted": "przyjęta",
    "amicable stage": "etap polubowny",
    "court": "sąd",
    "enforcement": "egzekucja",
    "partly recovered": "odzyskano część",
    "recovered": "odzyskano",
    "closed without success": "zamknięta bez skutku",
    "withdrawn": "wycofana",
    # refusals
    "{number} ({contractor}): {reason}": "{number} ({contractor}): {reason}",
    "not overdue": "przed terminem",
    "paid": "zapłacony",
    "already in a case": "już w sprawie windykacyjnej",
    # field problems
    "the NIP is not valid (10 digits with a correct checksum)":
        "NIP jest niepoprawny (10 cyfr z poprawną sumą kontrolną)",
    "the agency needs the NIP of a business debtor":
        "agencja wymaga NIP-u dłużnika prowadzącego działalność",
    "not a valid e-mail address": "to nie jest poprawny adres e-mail",
    "not a phone number (digits, spaces, + - ( ))":
        "to nie jest numer telefonu (cyfry, spacje, + - ( ))",
    "tick the acceptance to conclude the agreement":
        "zaznacz akceptację, aby zawrzeć umowę",
    "Correct the fields marked with an error.": "Popraw pola oznaczone błędem.",
    "Tick at least one receivable.": "Zaznacz co najmniej jedną należność.",
    # unpaid documents: keys, filter, messages
    "Recover money": "Odzyskaj pieniądze",
    "Recover": "Odzyskaj",
    "case: {status}": "sprawa: {status}",
    "Import case statuses": "Import stanów spraw",
    "Import the agency's status file": "Import pliku stanów spraw od agencji",
    "CSV (case;status;date;note) or JSON; a file with a bad row changes nothing.":
        "CSV (sprawa;stan;data;uwagi) lub JSON; plik z błędnym wierszem niczego nie zmienia.",
    "{rows} rows: {changed} cases changed, {unchanged} already so. Esc returns to the list.":
        "Wierszy: {rows}; zmienione sprawy: {changed}, bez zmian: {unchanged}. "
        "Esc wraca do listy.",
    "Case statuses changed: {count}.": "Zmienione stany spraw: {count}.",
    "Finish order": "Zakończ zlecenie",
    "Filter by case status": "Filtr statusu sprawy",
    "Refresh case statuses": "Odśwież statusy spraw",
    "All documents": "Wszystkie dokumenty",
    "In any active case": "W dowolnej trwającej sprawie",
    "{scope}, case: {status}": "{scope}, sprawa: {status}",
    "Show documents by the agency case status":
        "Pokaż dokumenty według statusu sprawy w agencji",
    "Asking the agency for the case statuses…": "Pytam agencję o statusy spraw…",
    "No order is open: Recover money (R) starts one.":
        "Brak otwartego zlecenia: Odzyskaj pieniądze (R) je rozpoczyna.",
    "Refreshing the case statuses": "Odświeżanie statusów spraw",
    "Case statuses changed: {count}; cases sent again: {sent}.":
        "Zmienione statusy spraw: {count}; ponownie wysłane sprawy: {sent}.",
    "The agency did not answer for: {cases}": "Agencja nie odpowiedziała dla: {cases}",
    # choosing the contractor
    "Left out (and unmarked), they cannot be handed over:":
        "Pominięte (i odznaczone), nie można ich przekazać:",
    "Choose the contractor (one case each; the others stay marked for the next case):":
        "Wybierz klienta (jedna sprawa na klienta; pozostali zostają zaznaczeni "
        "do kolejnej sprawy):",
    "{name}: {count} document(s), {amount}": "{name}: dokumentów {count}, {amount}",
    "Nothing left to hand over.": "Nie ma nic do przekazania.",
    "Enter: continue · Esc: back to the list": "Enter: dalej · Esc: powrót do listy",
    # verify
    "Recover money: verify": "Odzyskaj pieniądze: weryfikacja",
    "Next: commission": "Dalej: prowizja",
    "Debtor: check and correct the data the agency will get":
        "Dłużnik: sprawdź i popraw dane, które otrzyma agencja",
    "Business": "Firma",
    "Private person": "Osoba prywatna",
    "NIP (a business only)": "NIP (tylko firma)",
    "Save the corrections to the contractor (else for this case only)":
        "Zapisz poprawki w kartotece kontrahenta (inaczej tylko dla tej sprawy)",
    "Receivables (Space unticks one to leave it out)":
        "Należności (Spacja odznacza, aby pominąć)",
    "Handed over: {count} of {of} receivable(s), {amount}":
        "Przekazywane należności: {count} z {of}, {amount}",
    "Handing over the case": "Przekazanie sprawy",
    # commission
    "Commission of {agency}": "Prowizja: {agency}",
    "{debtor}: {count} receivable(s), {amount}, the oldest {days} days overdue":
        "{debtor}: należności {count}, {amount}, najstarsza {days} dni po terminie",
    "Rate: {rate}%": "Stawka: {rate}%",
    "Commission: {amount}": "Prowizja: {amount}",
    "Rule: {rule}": "Zasada: {rule}",
    "Payable only if the money is recovered.":
        "Płatna tylko wtedy, gdy pieniądze zostaną odzyskane.",
    "Claim the commission from the debtor": "Dochodź prowizji od dłużnika",
    # agreement
    "Recover money: agreement": "Odzyskaj pieniądze: umowa",
    "Conclude agreement": "Zawrzyj umowę",
    "First order to {agency}: the agreement, concluded once":
        "Pierwsze zlecenie dla: {agency} — umowa, zawierana raz",
    "Authorised person": "Osoba upoważniona",
    "Position": "Stanowisko",
    "Terms, version {version} (scroll with the arrows):":
        "Warunki współpracy, wersja {version} (przewijanie strzałkami):",
    "I have read and accept the terms": "Zapoznałem się z warunkami i akceptuję je",
    "Concluding the agreement": "Zawarcie umowy",
    # order
    "Order {order} to {agency}": "Zlecenie {order} dla: {agency}",
    "Add another case": "Dodaj kolejną sprawę",
    "Add more cases to this order, or finish it to send them.":
        "Dodaj kolejne sprawy do zlecenia albo zakończ je, aby je wysłać.",
    "Case {case}: {contractor}, {amount} — {state}":
        "Sprawa {case}: {contractor}, {amount} — {state}",
    "to be sent": "do wysłania",
    "in the outbox, to be sent": "w skrzynce nadawczej, do wysłania",
    "a: add another case · f: finish order · Esc: back to the list":
        "a: dodaj kolejną sprawę · f: zakończ zlecenie · Esc: powrót do listy",
    "not sent: {reason}": "niewysłana: {reason}",
    "no answer": "brak odpowiedzi",
    "Sending the order…": "Wysyłam zlecenie…",
    "Finishing the order": "Zakończenie zlecenia",
    "The order is finished; the statuses show in the recovery column.":
        "Zlecenie zakończone; statusy widać w kolumnie windykacji.",
}
