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
}
