"""The setup wizard and the collection form sections it shares with Settings
(``tui/widgets/collection_form.py``)."""

PL = {
    # the fields (collection_form.LABELS, HINTS)
    "Collection switched on": "Windykacja włączona",
    "Send reminders before the due date": "Wysyłaj przypomnienia przed terminem płatności",
    "Minimum outstanding amount for a reminder (PLN)":
        "Minimalna kwota do zapłaty dla przypomnienia (PLN)",
    "Days before the due date": "Ile dni przed terminem płatności",
    "Send payment demands after the due date": "Wysyłaj wezwania do zapłaty po terminie",
    "Minimum outstanding amount for a demand (PLN)":
        "Minimalna kwota do zapłaty dla wezwania (PLN)",
    "Days after the due date for the first demand":
        "Ile dni po terminie płatności pierwsze wezwanie",
    "Repeat a demand every N days": "Ponawiaj wezwanie co N dni",
    "Demands per document at most": "Najwięcej wezwań na dokument",
    "E-mail me a report when collection of a document ends":
        "Wyślij mi raport e-mailem, gdy windykacja dokumentu się zakończy",
    "My e-mail address for the reports": "Mój adres e-mail do raportów",
    "Language of the reports": "Język raportów",
    "Days on which reminders and demands may be sent":
        "Dni, w które mogą wychodzić przypomnienia i wezwania",
    "Hour of the daily pass (HH:MM)": "Godzina codziennego przebiegu (GG:MM)",
    "Skip Polish public holidays": "Pomijaj polskie święta ustawowe",
    "Company name": "Nazwa firmy",
    "Company address": "Adres firmy",
    "Company NIP": "NIP firmy",
    "Bank account for payments": "Rachunek bankowy do wpłat",
    "Sender name (who signs the letters)": "Nadawca (kto podpisuje pisma)",
    "Sender e-mail address": "Adres e-mail nadawcy",
    "SMTP server address": "Adres serwera SMTP",
    "0.00 sends a reminder for any amount": "0.00 – przypomnienie dla każdej kwoty",
    "0 to 60; 0 = on the due date itself": "od 0 do 60; 0 = w dniu terminu płatności",
    "0.00 sends a demand for any amount": "0.00 – wezwanie dla każdej kwoty",
    "1 to 365": "od 1 do 365",
    "1 to 10": "od 1 do 10",
    "required when the report is switched on": "wymagany, gdy raport jest włączony",
    "10 digits; may be left empty": "10 cyfr; można zostawić puste",
    "required: the demands ask for payment to it":
        "wymagany: wezwania wskazują go do wpłaty",
    "required": "wymagane",
    "required: the messages come from this address":
        "wymagany: wiadomości wychodzą z tego adresu",
    "Mon": "pon", "Tue": "wt", "Wed": "śr", "Thu": "czw", "Fri": "pt", "Sat": "sob",
    "Sun": "niedz",
    "yes": "tak",
    "no": "nie",
    "Polish": "polski",
    "English": "angielski",
    "(not set)": "(nie ustawiono)",
    "Reminders": "Przypomnienia",
    "Demands": "Wezwania",
    "Days": "Dni",
    "Sender identity": "Dane nadawcy",
    # the parsers' problems (collection_form.describe_problem)
    "'{value}' is not a whole number": "'{value}' nie jest liczbą całkowitą",
    "must be between {low} and {high}": "musi być od {low} do {high}",
    "must not be negative": "nie może być ujemna",
    "'{value}' is not an amount (use 1234.56 or 1 234,56)":
        "'{value}' nie jest kwotą (np. 1234.56 lub 1 234,56)",
    "{value} has more than two decimal places": "{value} ma więcej niż dwa miejsca po przecinku",
    "'{value}' is not a time (use HH:MM, e.g. 09:00)":
        "'{value}' nie jest godziną (GG:MM, np. 09:00)",
    "NIP '{value}' is not valid (checksum or length)":
        "NIP '{value}' jest błędny (suma kontrolna lub długość)",
    "e-mail '{value}' is not valid: {reason}": "adres e-mail '{value}' jest błędny: {reason}",
    "choose at least one day": "wybierz co najmniej jeden dzień",
    "'{value}' is not a language (use pl or en)": "'{value}' nie jest językiem (pl lub en)",
    # the wizard
    "Next": "Dalej",
    "Save and switch on": "Zapisz i włącz",
    "Back": "Wstecz",
    "Summary": "Podsumowanie",
    "Reminders are courteous e-mails sent before an invoice falls due, at most one per "
    "document.":
        "Przypomnienia to uprzejme e-maile wysyłane przed terminem płatności faktury, "
        "najwyżej jedno na dokument.",
    "Payment demands are formal e-mails sent after the due date, numbered 1, 2, 3… per "
    "document.":
        "Wezwania do zapłaty to formalne e-maile wysyłane po terminie płatności, "
        "numerowane 1, 2, 3… dla każdego dokumentu.",
    "Reminders and demands go out once a day, on the days chosen here.":
        "Przypomnienia i wezwania wychodzą raz dziennie, w wybrane tu dni.",
    "Check the settings below; nothing is saved until you confirm.":
        "Sprawdź poniższe ustawienia; nic nie zostanie zapisane przed potwierdzeniem.",
    "Documents": "Dokumenty",
    "No: only documents issued from today on": "Nie: tylko dokumenty wystawione od dziś",
    "Space chooses the answer. Enter saves the settings and switches collection on; Esc "
    "goes back.":
        "Spacja wybiera odpowiedź. Enter zapisuje ustawienia i włącza windykację; Esc "
        "wraca.",
    "Set up collection, step {n} of 3: {name}": "Konfiguracja windykacji, krok {n} z 3: {name}",
    "Set up collection: summary": "Konfiguracja windykacji: podsumowanie",
    "Unpaid documents: {count}": "Nierozliczone dokumenty: {count}",
    "Also put the {count} unpaid documents issued before today under collection?":
        "Objąć windykacją także {count} nierozliczonych dokumentów wystawionych przed dziś?",
    "Yes: put the {count} documents under collection now":
        "Tak: objąć windykacją te dokumenty ({count}) teraz",
    "No unpaid document issued before today waits to be put under collection.":
        "Żaden nierozliczony dokument wystawiony przed dziś nie czeka na objęcie windykacją.",
    "Saving…": "Zapisywanie…",
    "Collection is on; the settings apply from the next pass.":
        "Windykacja jest włączona; ustawienia obowiązują od następnego przebiegu.",
    "{count} documents put under collection.": "Objęto windykacją dokumentów: {count}.",
    "Saving the settings": "Zapisywanie ustawień",
}
