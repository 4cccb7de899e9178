"""Wordings of the outbox: message states, resend and mark sent."""

PL = {
    "Resend": "Wyślij ponownie",
    "Mark sent": "Oznacz jako wysłaną",
    "Filter by state": "Filtruj według stanu",
    "State:": "Stan:",
    "every state": "każdy stan",
    "in doubt": "niepewna",
    "failed": "błąd",
    "waiting to retry": "czeka na ponowienie",
    "planned": "zaplanowana",
    "sending": "w trakcie wysyłki",
    "sent": "wysłana",
    "cancelled": "anulowana",
    "reminder": "przypomnienie",
    "demand": "wezwanie",
    "report": "raport",
    "test message": "wiadomość testowa",
    "{document} (demand {number})": "{document} (wezwanie {number})",
    "{document} (reminder)": "{document} (przypomnienie)",
    "No.": "Nr",
    "State": "Stan",
    "Recipient": "Odbiorca",
    "Documents": "Dokumenty",
    "Tries": "Próby",
    "Last error": "Ostatni błąd",
    "No messages in this state.": "Brak wiadomości w tym stanie.",
    "The outbox is empty.": "Skrzynka nadawcza jest pusta.",
    "Message {id} is {state}: only failed, in-doubt or retried messages can be resent "
    "or marked sent.":
        "Wiadomość {id} ma stan: {state}; ponowić lub oznaczyć jako wysłaną można tylko "
        "wiadomość z błędem, niepewną lub czekającą na ponowienie.",
    "Resending message {id}": "Ponowienie wiadomości {id}",
    "Message {id} was never rendered; it is withdrawn and the next pass plans it again.":
        "Wiadomość {id} nie została przygotowana; jest wycofana, a następny przebieg "
        "zaplanuje ją od nowa.",
    "Message {id} will be sent again on the next pass.":
        "Wiadomość {id} zostanie wysłana ponownie w następnym przebiegu.",
    "Record message {id} to {recipients} as sent? Nothing will be sent: do this only if "
    "you know the customer received it.":
        "Zapisać wiadomość {id} do {recipients} jako wysłaną? Nic nie zostanie wysłane: "
        "zrób to tylko, jeśli wiesz, że klient ją otrzymał.",
    "Marking message {id} sent": "Oznaczenie wiadomości {id} jako wysłanej",
    "Message {id} recorded as sent.": "Wiadomość {id} zapisano jako wysłaną.",
    "Opening message {id}": "Otwarcie wiadomości {id}",
}
