"""Letters on paper at scale (issue 16): planning 1,000 letters in a pass and printing
them in one batch — time per letter and peak memory (goal: under 20 ms per letter and
under 200 MB for each).

Set-up (not measured): an SQLite database with collection and letters switched on
(company name, NIP, address and bank account set; compensation claimed as well as
interest) and N contractors (default 1,000) **without an e-mail address**, each with a
postal address: Polish names of every shape (sole traders, companies, consumers; one in
twenty a long name of two or three lines in the envelope's window), addresses with
flats, villages and hyphenated towns, 2 % writing in English. Each has 1–5 documents
(40 / 25 / 15 / 10 / 10 %), so each letter's table has 1–5 rows; 3 % owe in EUR (the
EPC code), the rest in PLN (the ZBP 2D code). 90 % of the contractors are overdue
(due 10–90 days before the day: a first demand, registered), 10 % are about to be due
(a reminder, an ordinary letter). The day is Monday 2026-12-07.

Each measure runs in a fresh child process, ``--runs`` times, on a fresh copy of the
database:

* **plan**: ``passes.plan_day(clock, settings, day)`` — selecting and deciding, then for
  each contractor composing the letter (its claim, context, templates, ``LetterData``),
  checking it against the envelope's window and the font (``check_letter``) and storing
  it (JSON in ``Message.raw``, with its steps). Every one of the N must come out
  planned, or the run stops saying which failed and why;
* **print**: ``paper.print_letters(clock, settings, folder, author)`` of the N planned
  letters in one batch (on the database the plan run left): reading and checking them,
  drawing the one PDF (duplex: each letter from a front page), the dispatch book (PDF +
  CSV), and marking them printed.

Times are wall-clock for the whole call; inside it the program's own functions are
timed by wrapping them in the child (``process_probe.time_steps``). Memory is the
child's RSS high-water mark (``VmHWM``), once after the set-up (imports, database open,
settings read, the fonts registered: the baseline) and at the end. The PDF's size and
its page count (read back with pypdf) are reported.

Usage: ``python benchmarks/bench_letters.py [--letters N] [--runs R] [--smoke]
[--profile plan|print]``. ``--smoke`` is 20 letters (seconds; checks the whole thing
runs and prints its table). ``--profile`` adds one more run of that measure under
cProfile (stderr). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pass import machine_line  # noqa: E402
from process_probe import peak_rss_mib, time_steps  # noqa: E402

TODAY = dt.date(2026, 12, 7)
GOAL_MS = 20.0
GOAL_MB = 200.0

SETTINGS = {
    "module.enabled": "yes",
    "company.name": "Przykładowa Firma sp. z o.o.",
    "company.nip": "6762451230",
    "company.address": "ul. Długa 5/12, 31-147 Kraków",
    "company.bank_account": "PL61 1090 1014 0000 0712 1981 2874",
    "sender.name": "Dział należności",
    "sender.email": "windykacja@przykladowa.pl",
    "letters.enabled": "yes",
    "demand.include_compensation": "yes",
}

# --- the contractors ----------------------------------------------------------------------

FIRST = ("Małgorzata", "Łukasz", "Krzysztof", "Agnieszka", "Grażyna", "Paweł", "Zofia",
         "Jerzy", "Elżbieta", "Tomasz", "Wojciech", "Katarzyna", "Józef", "Dorota",
         "Stanisław", "Bożena", "Zbigniew", "Jadwiga", "Ryszard", "Urszula")
LAST = (("Wójcik", "Wójcik"), ("Żmuda", "Żmuda"), ("Bąk", "Bąk"), ("Ślęzak", "Ślęzak"),
        ("Kołodziej", "Kołodziej"), ("Jędrzejczak", "Jędrzejczak"),
        ("Dąbrowski", "Dąbrowska"), ("Wiśniewski", "Wiśniewska"), ("Szczęsny", "Szczęsna"),
        ("Wróbel", "Wróbel"), ("Grzegorczyk", "Grzegorczyk"), ("Pietrzak", "Pietrzak"),
        ("Chmielewski", "Chmielewska"), ("Kaczmarek", "Kaczmarek"), ("Zieliński", "Zielińska"),
        ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"), ("Kozłowski", "Kozłowska"))
TRADES = ("Usługi Remontowo-Budowlane", "Zakład Stolarski", "Transport Drogowy",
          "Sklep Spożywczy", "Biuro Rachunkowe", "Warsztat Samochodowy", "Gabinet Weterynaryjny",
          "Pracownia Krawiecka", "Hurtownia Elektryczna", "Piekarnia")
BRANDS = ("Budmax", "Elektro-Świat", "Żuraw", "Agro-Pol", "Mebel-Łąck", "Ślusarz",
          "Kamex", "Drewbud", "Gastro-Ląd", "Łódź-Trans", "Zębatka", "Pol-Stal")
FORMS = ("sp. z o.o.", "S.A.", "sp.j.", "sp.k.", "spółka cywilna")
LONG = ("Przedsiębiorstwo Handlowo-Usługowe „{brand}” {first} {last} sp.k.",
        "Spółdzielnia Mieszkaniowa Lokatorsko-Własnościowa „{brand}”",
        "Zakład Usług Instalacyjnych, Wodno-Kanalizacyjnych i Grzewczych „{brand}” "
        "{first} {last}")
STREETS = ("Długa", "Marszałkowska", "Piotrkowska", "Świętokrzyska", "Gen. Władysława "
           "Andersa", "Żeromskiego", "Mickiewicza", "ks. Józefa Poniatowskiego",
           "Wrocławska", "3 Maja", "Kościuszki", "Łąkowa", "Źródlana", "Bohaterów Getta")
TOWNS = (("00-950", "Warszawa"), ("30-001", "Kraków"), ("90-001", "Łódź"),
         ("50-001", "Wrocław"), ("80-001", "Gdańsk"), ("60-001", "Poznań"),
         ("25-001", "Kielce"), ("43-300", "Bielsko-Biała"), ("86-300", "Grudziądz"),
         ("33-300", "Nowy Sącz"), ("58-500", "Jelenia Góra"), ("39-400", "Tarnobrzeg"),
         ("66-400", "Gorzów Wielkopolski"), ("72-600", "Świnoujście"))
VILLAGES = ("Zawada", "Wola Łużańska", "Stróże", "Jeżów Sudecki", "Ostrów Mazowiecka")


def _person(rng: random.Random) -> str:
    last = rng.choice(LAST)
    first = rng.choice(FIRST)
    return f"{first} {last[1] if first.endswith('a') else last[0]}"


def contractor_values(rng: random.Random, i: int) -> dict:
    """A contractor as a Polish bookkeeper's ledger holds one: name, kind, address."""
    postcode, town = rng.choice(TOWNS)
    person = _person(rng)
    first, last = person.split(" ", 1)
    shape = rng.random()
    kind = "business"
    if shape < 0.05:
        name = rng.choice(LONG).format(brand=rng.choice(BRANDS), first=first, last=last)
    elif shape < 0.35:
        name = f"{rng.choice(TRADES)} {person}"
    elif shape < 0.75:
        name = f"{rng.choice(BRANDS)} {rng.choice(FORMS)}"
        if rng.random() < 0.5:
            name = f"{rng.choice(('PHU', 'PPHU', 'FHU', 'P.W.'))} {name}"
    else:
        name, kind = person, "private"
    where = rng.random()
    number = f"{rng.randint(1, 240)}{rng.choice(('', '', '', 'A', 'B'))}"
    if where < 0.15:
        lines = [f"{rng.choice(VILLAGES)} {rng.randint(1, 180)}", f"{postcode} {town}"]
    elif where < 0.55:
        lines = [f"ul. {rng.choice(STREETS)} {number}/{rng.randint(1, 120)}",
                 f"{postcode} {town}"]
    elif where < 0.65:
        lines = [f"os. {rng.choice(('Tysiąclecia', 'Złotego Wieku', 'Piastów'))} "
                 f"{rng.randint(1, 40)}/{rng.randint(1, 60)}", f"{postcode} {town}"]
    else:
        lines = [f"ul. {rng.choice(STREETS)} {number}", f"{postcode} {town}"]
    address = "\n".join(lines) if rng.random() < 0.5 else ", ".join(lines)
    return {"code": f"K{i:05d}", "name": name, "kind": kind, "address": address,
            "emails": "", "language": "en" if rng.random() < 0.02 else "pl",
            "nip": None if kind == "private" else f"{rng.randint(10**9, 10**10 - 1)}"}


def build_database(path: Path, letters: int, seed: int = 16) -> dict:
    """The template database: settings, contractors and their documents (see the module)."""
    from windykacja.ledger.actions import create_contractor, create_document
    from windykacja.ledger.clock import FixedClock
    from windykacja.ledger.settings import load_settings, save_settings
    from windykacja.models import database
    from windykacja.models.db import open_database

    rng = random.Random(seed)
    open_database(str(path))
    clock = FixedClock(TODAY - dt.timedelta(days=100))
    save_settings(SETTINGS, "bench", clock.now())
    settings = load_settings()
    shape = {"documents": 0, "reminders": 0, "demands": 0, "eur": 0, "long names": 0,
             "english": 0, "rows": [0] * 5}
    with database.atomic():
        for i in range(letters):
            values = contractor_values(rng, i)
            contractor = create_contractor(clock, **values)
            count = rng.choices((1, 2, 3, 4, 5), weights=(40, 25, 15, 10, 10))[0]
            currency = "EUR" if rng.random() < 0.03 else "PLN"
            reminder = rng.random() < 0.10
            shape["reminders" if reminder else "demands"] += 1
            shape["eur"] += currency == "EUR"
            shape["long names"] += len(values["name"]) > 60
            shape["english"] += values["language"] == "en"
            shape["rows"][count - 1] += 1
            for n in range(count):
                due = (TODAY + dt.timedelta(days=rng.randint(1, 3)) if reminder
                       else TODAY - dt.timedelta(days=rng.randint(10, 90)))
                issued = due - dt.timedelta(days=rng.choice((7, 14, 14, 30)))
                gross = Decimal(rng.randint(4_000, 4_000_000 if currency == "PLN"
                                            else 900_000)) / 100
                create_document(clock, settings, contractor,
                                f"FV/{issued.year}/{issued.month:02d}/{i:05d}-{n + 1}",
                                issued, due, gross, currency=currency,
                                exchange_rate=Decimal("4.2650") if currency == "EUR" else None)
                shape["documents"] += 1
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return shape


# --- the children --------------------------------------------------------------------------


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


PLAN_STEPS = (  # (name, module, attribute): the parts of plan_day, nested as listed
    ("decide_day (select + policy)", "passes", "decide_day"),
    ("plan_contractor_message (one letter, all of it)", "passes", "plan_contractor_message"),
    ("· claim_views (interest, compensation)", "messages", "claim_views"),
    ("· message_context", "messages", "message_context"),
    ("· render_letter (Jinja templates)", "messages", "render_letter"),
    ("· compose_letter (LetterData, payment code)", "messages", "compose_letter"),
    ("· check_letter (window, font, account)", "messages", "check_letter"),
    ("· letter_json", "messages", "letter_json"),
    ("· _save (message + steps, one transaction)", "messages", "_save"),
)
PRINT_STEPS = (
    ("planned_letters (read the queue)", "paper", "planned_letters"),
    ("letter_from_json", "paper", "letter_from_json"),
    ("check_letter, before drawing", "paper", "check_letter"),
    ("render_letters (the one PDF)", "paper", "render_letters"),
    ("· check_letter, again inside render_letters", "letter_pdf", "check_letter"),
    ("· draw_letter", "letter_pdf", "draw_letter"),
    ("· Canvas.save (ReportLab writes the file)", "Canvas", "save"),
    ("_book_rows (documents of each letter)", "paper", "_book_rows"),
    ("write_book_pdf (dispatch book)", "paper", "write_book_pdf"),
    ("write_book_csv", "paper", "write_book_csv"),
)


def _modules() -> dict:
    from windykacja.dunning import letter_pdf, messages, paper, passes

    return {"passes": passes, "messages": messages, "paper": paper,
            "letter_pdf": letter_pdf, "Canvas": letter_pdf.Canvas}


def _open(db: str):
    from windykacja.dunning.letter_pdf import register_fonts
    from windykacja.ledger.clock import FixedClock
    from windykacja.ledger.settings import load_settings
    from windykacja.models import Message
    from windykacja.models.db import open_database

    open_database(db, migrate=False)
    settings = load_settings()
    Message.select().count()
    register_fonts()
    return FixedClock(TODAY, dt.time(9, 0)), settings


def child(measure: str, db: str, folder: str, profile: bool) -> dict:
    from windykacja.models import Message, MessageState, database

    modules = _modules()
    clock, settings = _open(db)
    seconds: dict[str, float] = {}
    steps = PLAN_STEPS if measure == "plan" else PRINT_STEPS
    time_steps(((name, modules[module], attribute) for name, module, attribute in steps),
                seconds)
    baseline = peak_rss_mib()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu = cpu_seconds()
    started = time.perf_counter()
    if measure == "plan":
        planned = modules["passes"].plan_day(clock, settings, TODAY)
        outcome = {"messages": len(planned)}
    else:
        printed = modules["paper"].print_letters(clock, settings, Path(folder), "bench")
        outcome = {"messages": len(printed.letters), "pages": printed.pages,
                   "pdf": printed.batch.pdf_path, "book_pdf": printed.batch.book_pdf_path,
                   "book_csv": printed.batch.book_csv_path}
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    if profiler is not None:
        import pstats

        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
    peak = peak_rss_mib()
    states = {f"{channel} {kind} {state}": count for channel, kind, state, count in
              database.execute_sql(
                  "SELECT channel, kind, state, count(*) FROM message GROUP BY 1, 2, 3")}
    failures = [m.last_error for m in Message.select(Message.last_error).where(
        Message.state == MessageState.FAILED).limit(5)]
    database.close()
    return {"seconds": elapsed, "cpu": cpu, "baseline_mib": baseline, "peak_mib": peak,
            "phases": seconds, "states": states, "failures": failures, **outcome}


# --- the parent ----------------------------------------------------------------------------


def run_child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def pdf_pages(path: str) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:  # the test extra is not installed: the count printed is ours
        return None
    return len(PdfReader(path).pages)


def one_run(template: Path, tmp: Path, n: int, profile: str | None) -> tuple[dict, dict]:
    db = tmp / f"run-{time.monotonic_ns()}.db"
    shutil.copyfile(template, db)
    folder = tmp / f"letters-{time.monotonic_ns()}"
    plan = run_child("--child", "plan", str(db), str(folder),
                     *(["--child-profile"] if profile == "plan" else []))
    letters = sum(c for k, c in plan["states"].items() if k.startswith("letter") and
                  k.endswith("planned"))
    if letters != n:
        raise SystemExit(f"plan_day planned {letters} letters of {n}: {plan['states']}; "
                         f"failures: {plan['failures']}")
    printed = run_child("--child", "print", str(db), str(folder),
                        *(["--child-profile"] if profile == "print" else []))
    if printed["messages"] != n:
        raise SystemExit(f"print_letters printed {printed['messages']} letters of {n}")
    printed["pdf_bytes"] = os.path.getsize(printed["pdf"])
    printed["book_bytes"] = os.path.getsize(printed["book_pdf"])
    printed["pdf_pages"] = pdf_pages(printed["pdf"])
    printed["book_pages"] = pdf_pages(printed["book_pdf"])
    shutil.rmtree(folder)
    db.unlink()
    return plan, printed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, help="letters (default 1,000; smoke 20)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each measure")
    parser.add_argument("--smoke", action="store_true", help="20 letters: seconds, the table")
    parser.add_argument("--profile", choices=("plan", "print"))
    parser.add_argument("--child", nargs=3, metavar=("MEASURE", "DB", "FOLDER"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure, db, folder = args.child
        print(json.dumps(child(measure, db, folder, args.child_profile)))
        return 0
    sys.stdout.reconfigure(line_buffering=True)

    n = args.letters or (20 if args.smoke else 1_000)
    with tempfile.TemporaryDirectory(prefix="bench-letters-") as tmp_name:
        tmp = Path(tmp_name)
        template = tmp / "template.db"
        started = time.perf_counter()
        shape = build_database(template, n)
        print(f"Set-up: {n:,} contractors without e-mail, {shape['documents']:,} documents, "
              f"in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
        runs = [one_run(template, tmp, n, None) for _ in range(args.runs)]
        if args.profile:
            one_run(template, tmp, n, args.profile)
    print_report(n, shape, runs)
    return 0


def print_report(n: int, shape: dict, runs: list[tuple[dict, dict]]) -> None:
    print(f"Machine: {machine_line()} (machine clock)")
    print(f"{n:,} letters to contractors without e-mail: {shape['demands']:,} first demands "
          f"(registered), {shape['reminders']:,} reminders; {shape['documents']:,} documents "
          f"(rows per letter 1–5: {' / '.join(f'{c:,}' for c in shape['rows'])}); "
          f"{shape['eur']} in EUR (EPC code), {shape['long names']} names over 60 characters, "
          f"{shape['english']} in English. {len(runs)} run(s), each measure in a fresh "
          f"process on a fresh copy of the database.\n")
    print("| measure | run | seconds | per letter | CPU per letter | peak RSS (baseline) "
          "| growth |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, index in (("plan: `plan_day` (compose + check + store)", 0),
                        ("print: `print_letters` (one PDF + dispatch book)", 1)):
        for run, reports in enumerate(runs, 1):
            report = reports[index]
            print(f"| {name if run == 1 else ''} | {run} | {report['seconds']:.1f} | "
                  f"{report['seconds'] / n * 1000:.2f} ms | {report['cpu'] / n * 1000:.2f} ms | "
                  f"{report['peak_mib']:.0f} MiB ({report['baseline_mib']:.0f} MiB) | "
                  f"{report['peak_mib'] - report['baseline_mib']:.0f} MiB |")

    print("\nWhere the time goes (ms per letter, first run; indented parts are inside the "
          "line above them):\n")
    plan, printed = runs[0]
    print("| part | ms per letter |")
    print("| --- | ---: |")
    for title, report in (("plan", plan), ("print", printed)):
        for step, spent in report["phases"].items():
            print(f"| {title}: {step} | {spent / n * 1000:.2f} |")

    pages = printed["pdf_pages"] if printed["pdf_pages"] is not None else printed["pages"]
    print(f"\nThe PDF: {printed['pdf_bytes'] / 2**20:.1f} MiB, {pages:,} pages "
          f"(print_letters says {printed['pages']:,}; duplex: each letter from a front page), "
          f"{printed['pdf_bytes'] / n / 1024:.0f} KiB per letter. The dispatch book: "
          f"{printed['book_bytes'] / 1024:.0f} KiB, {printed['book_pages'] or '?'} pages.")
    print("Stored by the plan: " + ", ".join(f"{k} {c:,}" for k, c in
                                              sorted(plan["states"].items())) + ".")
    worst = max(max(p["seconds"], q["seconds"]) for p, q in runs) / n * 1000
    peak = max(max(p["peak_mib"], q["peak_mib"]) for p, q in runs)
    print(f"\nGoals: {worst:.2f} ms per letter at worst (goal under {GOAL_MS:.0f} ms: "
          f"{'met' if worst < GOAL_MS else 'MISSED'}); peak RSS {peak:.0f} MiB = "
          f"{peak * 2**20 / 1e6:.0f} MB (goal under {GOAL_MB:.0f} MB: "
          f"{'met' if peak * 2**20 / 1e6 < GOAL_MB else 'MISSED'})."
          + ("" if n >= 1_000 else " (Fewer than 1,000 letters: the per-letter times carry "
             "each run's fixed cost; not a measure of the goals.)"))


if __name__ == "__main__":
    sys.exit(main())
