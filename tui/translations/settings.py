"""Settings: collection, sender identity, SMTP and the test e-mail (the collection
fields themselves are in ``wizard.py``, shared with the wizard)."""

PL = {
    "Save": "Zapisz",
    "Send a test e-mail": "Wyślij e-mail testowy",
    "Setup wizard": "Kreator konfiguracji",
    "Templates": "Szablony",
    "Collection": "Windykacja",
    "Sending e-mail (SMTP)": "Wysyłka e-maili (SMTP)",
    "e.g. smtp://user:password@host:587?starttls=1 or smtps://user@host:465; a password is "
    "shown as ***: leave it to keep it, or type the whole address again. Empty: messages "
    "stay in the local outbox folder.":
        "np. smtp://użytkownik:hasło@serwer:587?starttls=1 lub smtps://użytkownik@serwer:465; "
        "hasło jest pokazane jako ***: zostaw je, aby je zachować, albo wpisz cały adres od "
        "nowa. Puste: wiadomości zostają w lokalnym folderze skrzynki nadawczej.",
    "Changes apply from the next pass; nothing already sent changes. Ctrl+S saves.":
        "Zmiany obowiązują od następnego przebiegu; nic, co już wysłano, się nie zmienia. "
        "Ctrl+S zapisuje.",
    "Send a test e-mail to": "Wyślij e-mail testowy na adres",
    "Send a test e-mail (Ctrl+T)": "Wyślij e-mail testowy (Ctrl+T)",
    "The texts of reminders, demands and reports, in Polish and English: Ctrl+O opens the "
    "editor.":
        "Treści przypomnień, wezwań i raportów, po polsku i po angielsku: Ctrl+O otwiera "
        "edytor.",
    "Edit templates (Ctrl+O)": "Edytuj szablony (Ctrl+O)",
    "Ctrl+G walks through the collection settings again, step by step.":
        "Ctrl+G przeprowadza ponownie przez ustawienia windykacji, krok po kroku.",
    "Open the setup wizard (Ctrl+G)": "Otwórz kreatora konfiguracji (Ctrl+G)",
    "Now: messages are sent through {server}.": "Teraz: wiadomości wychodzą przez {server}.",
    "Now: messages are stored in the outbox folder {folder}; nothing leaves this machine.":
        "Teraz: wiadomości są zapisywane w folderze skrzynki nadawczej {folder}; nic nie "
        "opuszcza tego komputera.",
    "Not saved: correct the fields marked with an error.":
        "Nie zapisano: popraw pola oznaczone błędem.",
    "Nothing to save: no setting was changed.": "Nie ma czego zapisać: nic nie zmieniono.",
    "Saved {count} settings; they apply from the next pass.":
        "Zapisano ustawień: {count}; obowiązują od następnego przebiegu.",
    "Sending a test e-mail to {address}…": "Wysyłanie e-maila testowego na {address}…",
    "Not sent: {reason}": "Nie wysłano: {reason}",
    "Sent to {address}: {reply}": "Wysłano na {address}: {reply}",

    # Demands under Polish law, the rate tables (issue 5).
    "Add an interest rate": "Dodaj stopę odsetek",
    "Refresh EUR rates from NBP": "Pobierz kursy euro z NBP",
    "Demands under Polish law": "Wezwania według prawa polskiego",
    "Claim statutory interest for late payment in demands":
        "Doliczaj w wezwaniach odsetki ustawowe za opóźnienie",
    "Claim compensation for recovery costs (40, 70 or 100 EUR) in demands":
        "Doliczaj rekompensatę za koszty odzyskiwania (40, 70 lub 100 EUR)",
    "Hold demands while the newest bank statement is older than (days)":
        "Wstrzymuj wezwania, gdy najnowszy wyciąg bankowy jest starszy niż (dni)",
    "Commercial-transaction interest for businesses, the ordinary rate for private persons, "
    "to the day of the demand.":
        "Od firm odsetki za opóźnienie w transakcjach handlowych, od osób prywatnych odsetki "
        "ustawowe za opóźnienie, do dnia wezwania.",
    "Businesses only, per late invoice, at the NBP euro rate of the month before the due "
    "date. Off by default: many creditors keep the customer's goodwill.":
        "Tylko od firm, od każdej spóźnionej faktury, po kursie euro NBP z miesiąca przed "
        "terminem płatności. Domyślnie wyłączone: wielu wierzycieli dba o dobre relacje z "
        "klientem.",
    "0 to 60; 0 switches the hold off. Nobody is chased for money that has already arrived.":
        "Od 0 do 60; 0 wyłącza wstrzymywanie. Nikt nie dostanie wezwania o pieniądze, które "
        "już wpłynęły.",
    "Statutory interest rates": "Stopy odsetek ustawowych",
    "The rates ship with the program, each with its source. When a new Monitor Polski notice "
    "or RPP decision appears, add it here.":
        "Stopy są dostarczane z programem, każda ze źródłem. Gdy ukaże się nowe obwieszczenie "
        "w Monitorze Polskim lub decyzja RPP, dodaj ją tutaj.",
    "Add an interest rate (Ctrl+N)": "Dodaj stopę odsetek (Ctrl+N)",
    "NBP euro rates": "Kursy euro NBP",
    "For the compensation: the NBP table-A rate of the last business day of each month. "
    "Refreshing asks api.nbp.pl for the months after the newest known one.":
        "Do rekompensaty: kurs średni NBP (tabela A) z ostatniego dnia roboczego każdego "
        "miesiąca. Pobieranie pyta api.nbp.pl o miesiące po najnowszym znanym.",
    "Refresh EUR rates from NBP (Ctrl+E)": "Pobierz kursy euro z NBP (Ctrl+E)",
    "{who}: {rate} % a year from {day} ({source})":
        "{who}: {rate}% w skali roku od {day} ({source})",
    "Known up to {month}: {mid} PLN (table {table} of {day}).":
        "Znane do {month}: {mid} zł (tabela {table} z {day}).",
    "No EUR rate is known.": "Nie jest znany żaden kurs euro.",
    "Added: {rate} % a year from {day} for {who}.":
        "Dodano: {rate}% w skali roku od {day}; {who}.",
    "Asking NBP for the EUR rates…": "Pobieranie kursów euro z NBP…",
    "EUR rates not refreshed, nothing stored: {reason}":
        "Nie pobrano kursów euro, nic nie zapisano: {reason}",
    "Nothing to fetch: the EUR rates up to last month are known.":
        "Nie ma czego pobierać: kursy euro do zeszłego miesiąca są znane.",
    "Stored {stored} of {asked} months from NBP.":
        "Zapisano z NBP kursy {stored} z {asked} miesięcy.",
    "No table A in: {months}.": "Brak tabeli A w miesiącach: {months}.",
    # The dialog that adds an interest rate (screens/interest_rate.py).
    "businesses (commercial transactions)": "firmy (transakcje handlowe)",
    "public healthcare entities": "publiczne podmioty lecznicze",
    "private persons (ordinary rate)": "osoby prywatne (odsetki ustawowe za opóźnienie)",
    "Add the rate": "Dodaj stopę",
    "Add the rate (Ctrl+S)": "Dodaj stopę (Ctrl+S)",
    "Add a statutory interest rate": "Dodaj stopę odsetek ustawowych",
    "From a new Monitor Polski notice (commercial transactions, per half-year) or an RPP "
    "decision (the ordinary rate).":
        "Z nowego obwieszczenia w Monitorze Polskim (transakcje handlowe, na półrocze) albo z "
        "decyzji RPP (odsetki ustawowe za opóźnienie).",
    "Who owes it": "Kogo dotyczy",
    "Applies from": "Obowiązuje od",
    "DD.MM.YYYY; 1 January or 1 July for commercial rates":
        "DD.MM.RRRR; w transakcjach handlowych 1 stycznia lub 1 lipca",
    "Rate (% a year)": "Stopa (% w skali roku)",
    "e.g. 13.75": "np. 13,75",
    "Source": "Źródło",
    "e.g. M.P. 2026 poz. 600, or RPP resolution 1/2026":
        "np. M.P. 2026 poz. 600 albo uchwała RPP nr 1/2026",
    "a commercial rate is fixed for a half-year: it starts on 1 January or 1 July, not on {day}":
        "stopa w transakcjach handlowych obowiązuje przez całe półrocze: zaczyna się 1 stycznia "
        "lub 1 lipca, nie {day}",
    "the rate must be more than 0 and less than 100":
        "stopa musi być większa od 0 i mniejsza od 100",
    "'{value}' is not a rate in percent like 13.75":
        "'{value}' nie jest stopą w procentach, np. 13,75",
    "at most 4 decimal places": "najwyżej 4 miejsca po przecinku",
    "'{value}' is not a date like 2026-07-01": "'{value}' nie jest datą, np. 01.07.2026",
    "say where the rate comes from (the Monitor Polski notice or the RPP resolution)":
        "podaj źródło stopy (obwieszczenie w Monitorze Polskim albo uchwałę RPP)",
    "the program's table already has {rate} % from {day}; nothing to add":
        "tabela programu ma już {rate}% od {day}; nie ma czego dodawać",
    "the program's table has {rate} % from {day} ({source})":
        "tabela programu ma {rate}% od {day} ({source})",
    "the program's table lists the ordinary rates up to {day}; a new rate must start after "
    "that day":
        "tabela programu zawiera odsetki ustawowe za opóźnienie do {day}; nowa stopa musi "
        "zaczynać się później",
    "a rate from {day} is already stored ({rate} %, {source})":
        "stopa od {day} jest już zapisana ({rate}%, {source})",
}
PL.update({
    "Bank of the statements (MT940 profile)": "Bank wyciągów (profil MT940)",
    "pko, mbank, cp852, nordea or utf8: the encoding and layout of the bank's file.":
        "pko, mbank, cp852, nordea lub utf8: kodowanie i układ pliku banku.",
})
