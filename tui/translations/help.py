PL = {
    "Keys of this screen:": "Klawisze tego ekranu:",
    "Everywhere:": "Wszędzie:",
    "command palette: every screen and action by name":
        "paleta poleceń: każdy ekran i każda czynność po nazwie",
    "reload what the screen shows from the database": "odczytaj ponownie dane ekranu z bazy",
    "back": "wstecz",
    "Close": "Zamknij",
    "Statuses are written in words. Marked rows carry a * in the first column.":
        "Stany są opisane słowami. Zaznaczone wiersze mają * w pierwszej kolumnie.",
}
