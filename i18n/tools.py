"""The translator's commands: ``python -m windykacja.i18n.tools extract|update|check|compile``.

Babel does the work (``pybabel`` does the same with the keywords listed in ``KEYWORDS``;
the README's *Translating* section shows both). This module only fixes the choices once:

- **keywords**: ``t``, ``tn`` (singular and plural), ``N_`` (a string marked where it is
  defined and translated where it is shown) and Textual's ``Binding`` (its third argument,
  the key's description);
- **what is scanned**: the package's own code, not its tests or benchmarks;
- **check**: the template matches the code, and every entry of every catalogue has its
  wording (plurals: every form) and the same ``{placeholders}`` as its English text — the
  test suite runs it, so a string without Polish fails CI, not a bookkeeper.

``set`` adds or changes one entry of a catalogue under a file lock, for several people (or
programs) editing the catalogue at once without losing each other's work; ``remove``
deletes one that the code no longer uses (``check`` lists them), under the same lock.
"""

from __future__ import annotations

import argparse
import fcntl
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .catalogue import DOMAIN, LOCALE_DIR, compile_all, po_path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
POT_PATH = Path(__file__).parent / f"{DOMAIN}.pot"
KEYWORDS = {"t": None, "tn": (1, 2), "N_": None, "Binding": (3,)}
METHOD_MAP = [
    ("tests/**", "ignore"),
    ("benchmarks/**", "ignore"),
    (".venv/**", "ignore"),
    ("build/**", "ignore"),
    ("**.py", "python"),
]
TRANSLATED_LANGUAGES = ("pl",)
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
WIDTH = 100


def extract() -> Catalog:
    """Every marked string of the code, with where it is used."""
    catalogue = Catalog(project="Windykacja", version="0.1", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE_DIR), method_map=METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        flags = ("python-brace-format",) if _PLACEHOLDER.search(_first(message)) else ()
        catalogue.add(message, None, [(filename, lineno)], auto_comments=comments, flags=flags,
                      context=context)
    return catalogue


def _first(message: str | tuple[str, ...] | list[str]) -> str:
    return message if isinstance(message, str) else message[0]


def _write(catalogue: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=WIDTH, omit_header=False, sort_by_file=False,
             include_previous=False)
    path.write_bytes(buffer.getvalue())


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with (path.parent / f".{path.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def update() -> None:
    """Write the template and bring every catalogue in line with it (Babel's update)."""
    template = extract()
    _write(template, POT_PATH)
    for language in TRANSLATED_LANGUAGES:
        path = po_path(language)
        with _locked(path):
            catalogue = _read(path, language)
            catalogue.update(template, no_fuzzy_matching=True)
            _write(catalogue, path)


def problems() -> list[str]:
    """What keeps the catalogues from matching the code; empty when all is well."""
    found: list[str] = []
    template = extract()
    for language in TRANSLATED_LANGUAGES:
        catalogue = _read(po_path(language), language)
        for message in template:
            if not message.id:
                continue
            entry = catalogue.get(message.id, message.context)
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            if entry is None:
                found.append(f"{language}: no entry for {message.id!r} ({where})")
                continue
            found.extend(f"{language}: {p} ({where})" for p in _entry_problems(entry))
        used = {message.id for message in template}
        for entry in catalogue:
            if entry.id and entry.id not in used:
                found.append(f"{language}: {_first(entry.id)!r} is not used by the code "
                             "(mark it with N_() where it is defined, or remove the entry)")
    return found


def _entry_problems(entry) -> list[str]:
    english = list(entry.id) if isinstance(entry.id, tuple | list) else [entry.id]
    wordings = list(entry.string) if isinstance(entry.string, tuple | list) else [entry.string]
    if entry.fuzzy:
        return [f"{english[0]!r} is marked fuzzy (check the wording, then remove the flag)"]
    if not all(w.strip() for w in wordings):
        return [f"{english[0]!r} has no wording"]
    expected = set(_PLACEHOLDER.findall(english[-1])) | set(_PLACEHOLDER.findall(english[0]))
    out = []
    for wording in wordings:
        got = set(_PLACEHOLDER.findall(wording))
        if got - expected:
            out.append(f"{english[0]!r}: the wording {wording!r} has unknown {got - expected}")
        if len(english) == 1 and expected - got:
            out.append(f"{english[0]!r}: the wording {wording!r} lacks {expected - got}")
    return out


def set_entry(language: str, english: str, wording: str, plural: str | None = None,
              forms: list[str] | None = None) -> None:
    """Add or change one entry; for a plural, ``forms`` are the language's plural forms."""
    path = po_path(language)
    with _locked(path):
        catalogue = _read(path, language)
        key = (english, plural) if plural else english
        # A plural comes with its forms (the command's --forms); without them, TypeError.
        string = tuple(forms) if plural else wording  # type: ignore[arg-type]
        flags = ("python-brace-format",) if _PLACEHOLDER.search(english) else ()
        existing = catalogue.get(english)
        if existing is not None:
            existing.string = string
            existing.flags.discard("fuzzy")
            if plural:
                existing.id = key
        else:
            catalogue.add(key, string, flags=flags)
        _write(catalogue, path)


def remove_entry(language: str, english: str) -> bool:
    """Delete the entry of ``english`` (a plural's singular); False if there is none."""
    path = po_path(language)
    with _locked(path):
        catalogue = _read(path, language)
        if catalogue.get(english) is None:
            return False
        del catalogue[english]
        _write(catalogue, path)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m windykacja.i18n.tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help=f"write the template {POT_PATH.name} from the code")
    sub.add_parser("update", help="extract, then merge new strings into every catalogue")
    sub.add_parser("check", help="list strings without a wording (exit 1 if any)")
    sub.add_parser("compile", help="build the .mo files beside the .po files")
    one = sub.add_parser("set", help="add or change one entry (under a lock)")
    one.add_argument("language")
    one.add_argument("english")
    one.add_argument("wording", nargs="?", default="")
    one.add_argument("--plural", help="the English plural (for a tn() entry)")
    one.add_argument("--forms", nargs="+", help="the plural forms, in the language's order")
    gone = sub.add_parser("remove", help="delete an entry the code no longer uses (under a lock)")
    gone.add_argument("language")
    gone.add_argument("english")
    args = parser.parse_args(argv)
    if args.command == "extract":
        _write(extract(), POT_PATH)
    elif args.command == "update":
        update()
    elif args.command == "compile":
        for path in compile_all():
            print(path.relative_to(LOCALE_DIR))
    elif args.command == "set":
        set_entry(args.language, args.english, args.wording, args.plural, args.forms)
    elif args.command == "remove":
        if not remove_entry(args.language, args.english):
            print(f"no entry for {args.english!r}", file=sys.stderr)
            return 1
    else:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
