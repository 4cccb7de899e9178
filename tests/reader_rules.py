"""The rules for anything a person reads (issue 12), as one checker the tests share.

``problems(text, language)`` lists what breaks a rule in a screen, a letter, a report or a
command's output:

- **no internal code**: a snake_case identifier (``max_demands``, ``flag_off``,
  ``partly_recovered``) never reaches a reader — e-mail addresses, paths, URLs and file
  names are left out of the search first;
- **plurals**: no "1 days", "1 documents" (English), no "1 dni", "5 dokumenty",
  "2 dokumentów" (Polish: 1 dokument, 2–4 dokumenty, 5+ dokumentów, except 12–14);
- **Polish text in Polish**: none of the English words below, which our Polish wording
  never needs; no decimal point in an amount or a rate (``4.2000``, ``12.50 PLN``); and
  English text in English notation (no ``717,02 PLN``);
- **no figure that could not be computed printed as a number**: the caller says which
  figures were missing, and the text must not show them as zero.

The word lists are short on purpose: each entry is a word that leaked once (issue 12)
or one of its kind; a rule that fired on ordinary Polish would be switched off, not read.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict

_NOT_WORDS = re.compile(
    r"'windykacja [^'\n]*'?"          # a command named in advice, quoted ('windykacja rates …')
    r"|\S+@\S+"                      # e-mail addresses
    r"|\w+://\S+"                    # URLs
    r"|(?:[\w.-]*/)+[\w.-]+"         # paths, document numbers (FV/2026/10/0001)
    r"|\b[\w-]+\.(?:csv|json|db|txt|log|xml|sta|mt940|pdf|toml|eml)\b"  # file names
    r"|<[^>\s]+>"                    # Message-IDs
    r"|\$\w+"                        # environment variables named in advice
    r"|--[\w-]+"                     # command-line options named in advice
    r"|\b[a-z]+(?:\.[a-z_]+)+\b"     # settings keys (demand.min_amount) named in advice
    r"|\bpg_(?:dump|restore)\b",     # PostgreSQL's own programs named in advice
)
_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")

ENGLISH_IN_POLISH = (
    "days", "day", "issued", "due", "timeline", "sent", "failed", "paid", "transfer",
    "payment", "payments", "demand", "demands", "reminder", "reminders", "recovery",
    "documents", "contractors", "messages", "outstanding", "overdue", "late", "next",
    "none", "yes", "no", "agency", "cash", "offset", "correction", "finished",
    "excluded", "interest", "total", "note", "notes", "nothing", "unpaid",
)
_ENGLISH = re.compile(r"\b(?:" + "|".join(ENGLISH_IN_POLISH) + r")\b", re.IGNORECASE)
# Words that are the same in both languages or are names, and so may appear in Polish.
_ALLOWED_IN_POLISH: set[str] = set()

_ENGLISH_PLURAL_ONE = re.compile(
    r"(?<![\d,.])\b1 (?:days|documents|contractors|messages|payments|credits|rows|events|"
    r"demands|reminders|receivables|cases|matches|files|minutes|hours|seconds|weeks)\b"
)
_POLISH_NOUNS = {
    # noun: (1, 2–4, 5+)
    "dokument": ("dokument", "dokumenty", "dokumentów"),
    "kontrahent": ("kontrahent", "kontrahenci", "kontrahentów"),
    "wiadomość": ("wiadomość", "wiadomości", "wiadomości"),
    "dzień": ("dzień", "dni", "dni"),
    "wpłata": ("wpłata", "wpłaty", "wpłat"),
    "wezwanie": ("wezwanie", "wezwania", "wezwań"),
    "przypomnienie": ("przypomnienie", "przypomnienia", "przypomnień"),
    "sprawa": ("sprawa", "sprawy", "spraw"),
    "należność": ("należność", "należności", "należności"),
    "zdarzenie": ("zdarzenie", "zdarzenia", "zdarzeń"),
}
_POLISH_COUNTED = re.compile(
    r"(?<![\d,.\-/:#])\b(\d+) (" + "|".join(
        sorted({form for forms in _POLISH_NOUNS.values() for form in forms}, key=len,
               reverse=True)) + r")\b"
)
_DECIMAL_POINT_AMOUNT = re.compile(r"(?<![\d.])\d[\d ]*\.\d{2} ?(?:PLN|EUR|USD|zł)\b")
_DECIMAL_COMMA_AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})*,\d{2} ?(?:PLN|EUR|USD)\b")
_DECIMAL_POINT_RATE = re.compile(r"(?<![\d.])\d+\.\d{3,}\b(?!\.)")


def polish_form(n: int) -> int:
    """Which of the three Polish forms a count takes: 0 (1), 1 (2–4), 2 (5+)."""
    if n == 1:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def _words_only(text: str) -> str:
    return _NOT_WORDS.sub(" ", text)


def problems(text: str, language: str, missing_figures: tuple[str, ...] = ()) -> list[str]:
    """What in ``text`` (in ``language``) breaks the rules above, one line each."""
    found: list[str] = []
    words = _words_only(text)
    for code in sorted(set(_CODE.findall(words))):
        found.append(f"internal code {code!r}")
    if language == "en":
        found += [f"plural: {m!r}" for m in sorted(set(_ENGLISH_PLURAL_ONE.findall(text)))]
        found += [f"decimal comma in English text: {m!r}"
                  for m in _DECIMAL_COMMA_AMOUNT.findall(text)]
    else:
        for word in sorted({m.lower() for m in _ENGLISH.findall(words)} - _ALLOWED_IN_POLISH):
            found.append(f"English word {word!r} in Polish text")
        for count, noun in _POLISH_COUNTED.findall(words):
            forms = next(f for f in _POLISH_NOUNS.values() if noun in f)
            expected = forms[polish_form(int(count))]
            if noun != expected and not (forms[1] == forms[2] and noun == forms[1]):
                found.append(f"plural: '{count} {noun}' should be '{count} {expected}'")
        for match in _DECIMAL_POINT_AMOUNT.findall(text) + _DECIMAL_POINT_RATE.findall(text):
            found.append(f"decimal point in Polish text: {match!r}")
    for figure in missing_figures:
        if re.search(rf"{figure}\W{{0,3}}0[,.]00\b", text, re.IGNORECASE):
            found.append(f"{figure} printed as zero although it could not be computed")
    return found


def each_line(text: str, language: str, **kwargs) -> list[str]:
    """``problems`` line by line, each answer naming its line (for long outputs)."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        out += [f"line {number}: {p}: {line.strip()!r}" for p in problems(line, language,
                                                                            **kwargs)]
    return out


_SVG_TEXT = re.compile(r'<text class="terminal-r\d+" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>')


def screen_lines_of_svg(svg: str) -> list[str]:
    """The terminal's lines of a Textual screenshot (SVG), left to right, top to bottom."""
    rows: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for x, y, text in _SVG_TEXT.findall(svg):
        rows[float(y)].append((float(x), html.unescape(text).replace("\u00a0", " ")))
    return ["".join(t for _, t in sorted(parts)) for _, parts in sorted(rows.items())]
