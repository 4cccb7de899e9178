"""Wordings of the contractors list and editor."""

PL = {
    "Search": "Szukaj",
    "New contractor": "Nowy kontrahent",
    "Edit contractor": "Edytuj kontrahenta",
    "Clear search": "Wyczyść wyszukiwanie",
    "Save": "Zapisz",
    "Cancel": "Anuluj",
    "Search: code, name, NIP or e-mail": "Szukaj: kod, nazwa, NIP lub e-mail",
    "{count} contractors match “{search}”": "Kontrahenci pasujący do „{search}”: {count}",
    "{count} contractors": "Kontrahenci: {count}",
    "No contractors match.": "Brak pasujących kontrahentów.",
    "Code": "Kod",
    "Name": "Nazwa",
    "NIP": "NIP",
    "E-mail": "E-mail",
    "Letters": "Listy",
    "Collection": "Windykacja",
    "no e-mail": "brak e-maila",
    "Polish": "polski",
    "English": "angielski",
    "collected": "windykowany",
    "excluded": "wyłączony",
    "Contractor {code}": "Kontrahent {code}",
    "Address": "Adres",
    "E-mail addresses": "Adresy e-mail",
    "Several addresses separated by commas or semicolons.":
        "Kilka adresów rozdziel przecinkami lub średnikami.",
    "Phone": "Telefon",
    "Letter language": "Język korespondencji",
    "Sales conditions": "Warunki sprzedaży",
    "Subject to collection": "Podlega windykacji",
    "Affects only documents created from now on; existing documents keep their own setting.":
        "Dotyczy tylko dokumentów utworzonych od teraz; istniejące dokumenty zachowują "
        "własne ustawienie.",
    "Optional for private persons; checked when given.":
        "Nieobowiązkowy dla osób prywatnych; sprawdzany, gdy podany.",
    "this field is required": "to pole jest wymagane",
    "another contractor already has this code": "inny kontrahent ma już ten kod",
    "this NIP is not valid (10 digits with a correct check digit)":
        "ten NIP jest niepoprawny (10 cyfr z poprawną cyfrą kontrolną)",
    "'{address}' is not a valid e-mail address": "„{address}” nie jest poprawnym adresem e-mail",
    "choose Polish or English": "wybierz polski lub angielski",
    "Saving the contractor": "Zapis kontrahenta",
    "Not saved: correct the fields marked with an error.":
        "Nie zapisano: popraw pola oznaczone błędem.",
    "Contractor {code} saved.": "Zapisano kontrahenta {code}.",
}
PL.update({
    "choose who the contractor is in law": "wybierz, kim kontrahent jest w świetle prawa",
    "In law (interest, compensation, limitation)":
        "Status prawny (odsetki, rekompensata, przedawnienie)",
})
PL.update({
    "Not saved: {changed} (Ctrl+R reads the stored contractor; until then what you typed "
    "stays here to copy).":
        "Nie zapisano: {changed} (Ctrl+R wczytuje zapisanego kontrahenta; do tego czasu "
        "to, co wpisano, zostaje tu do skopiowania).",
    "Contractor {code} read again.": "Kontrahent {code} wczytany ponownie.",
})
