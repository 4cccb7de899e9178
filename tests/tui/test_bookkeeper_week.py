"""A week as a bookkeeper (issue 12): the demo database, seven days of passes through the
commands, with a payment, a note, an exclusion, a hand-over to the agency and the agency's
status file — once in Polish and once in English. Everything a person reads on the way is
held to the reader rules (``tests/reader_rules.py``): every command's output, every letter
the week wrote (each in its reader's language, text and HTML parts), the activity CSV, and
the main screens at 80×24 afterwards. Then no string may have been shown without its
Polish wording.

It is long on purpose: the defects it looks for (an English code in a Polish letter,
"1 days", a zero for a figure that could not be computed, two outputs disagreeing) showed
up only when the whole product was used for a while, never in one function's test.
"""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import re

import pytest
from reader_rules import each_line, problems, screen_lines_of_svg

from windykacja import i18n
from windykacja.app import main
from windykacja.ledger.clock import FixedClock
from windykacja.ledger.settings import load_settings
from windykacja.models import Contractor, Document, Message, MessageState
from windykacja.models.db import open_database
from windykacja.recovery import cases
from windykacja.recovery.agencies import default_agency
from windykacja.recovery.commission import commission

from .conftest import open_document, settle

MONDAY = dt.date(2026, 11, 23)
WEEK = [MONDAY + dt.timedelta(days=i) for i in range(7)]
MISSING_FIGURES = {"pl": ("odsetki", "rekompensata"), "en": ("interest", "compensation")}


class Week:
    """Runs commands as a bookkeeper would and keeps everything they printed."""

    def __init__(self, location, language, capsys):
        self.location, self.language, self.capsys = str(location), language, capsys
        self.outputs: list[tuple[str, str]] = []

    def run(self, day: dt.date, *args: str, expect: int | None = 0) -> str:
        status = main(["--db", self.location, "--lang", self.language,
                       "--today", day.isoformat(), *args])
        captured = self.capsys.readouterr()
        text = captured.out + captured.err
        self.outputs.append((f"{day} {' '.join(args)}", text))
        if expect is not None:
            assert status == expect, f"{args} exited {status}:\n{text}"
        open_database(self.location)  # main() leaves the database as it found it
        return text


def _demanded(exclude: tuple[int, ...] = ()) -> Document:
    return (Document.select()
            .where((Document.outstanding > 0) & (Document.demands_sent > 0)
                   & Document.subject_to_collection & Document.id.not_in(exclude or (0,)))
            .order_by(Document.due_date, Document.id).first())


def _letter_texts(raw: str) -> list[str]:
    parsed = email.message_from_string(raw, policy=email.policy.default)
    texts = [str(parsed["Subject"] or "")]
    for part in parsed.walk():
        if part.get_content_type() == "text/plain":
            texts.append(part.get_content())
        elif part.get_content_type() == "text/html":
            texts.append(re.sub(r"<[^>]+>", " ", part.get_content()))
    return texts


def _hand_over(clock: FixedClock, document: Document):
    agency = default_agency()
    if cases.current_agreement(agency.code) is None:
        cases.conclude_agreement(clock, agency.code, agency.terms_version,
                                 person_name="Anna Nowicka", person_email="anna@firma.pl")
    order = cases.open_order(clock, agency.code, author="anna")
    contractor = Contractor.get_by_id(document.contractor_id)
    candidates = Document.select(Document.id).where(Document.contractor == contractor.id)
    selection = cases.sort_out([d.id for d in candidates], clock.today())
    documents = selection.by_contractor[contractor.id]
    debtor = cases.Debtor(contractor.name, contractor.nip or "", contractor.address or "",
                          (contractor.email_list or [""])[0],
                          contractor.phone or "")
    amount = cases.case_amount(documents)
    oldest = max(cases.days_overdue(d, clock.today()) for d in documents)
    case = cases.add_case(clock, load_settings(), order, contractor, debtor, documents,
                          commission(agency.commission, amount, oldest), author="anna")
    return order, case, documents


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("language", ["pl", "en"])
async def test_a_week_as_a_bookkeeper(language, demo_db, make_app, capsys, tmp_path):
    week = Week(demo_db, language, capsys)
    mon, tue, wed, thu, fri, sat, sun = WEEK

    # Monday: the pass, then what a bookkeeper looks at first.
    week.run(mon, "run-once")
    week.run(mon, "status", expect=None)
    week.run(mon, "forecast")
    week.run(mon, "outbox")
    paid = _demanded()
    week.run(mon, "history", paid.number)

    # Tuesday: the bank says one demanded invoice was paid in full.
    payments = tmp_path / "payments.csv"
    payments.write_text(f"document_number;date;amount;method\n{paid.number};{tue:%Y-%m-%d};"
                        f"{paid.outstanding};transfer\n", encoding="utf-8")
    week.run(tue, "import", "payments", str(payments))
    week.run(tue, "run-once")
    week.run(tue, "history", paid.number)

    # Wednesday: one customer is excluded after a phone call.
    excluded = _demanded(exclude=(paid.id,))
    week.run(wed, "flag", "off", excluded.number)
    week.run(wed, "history", excluded.number)
    week.run(wed, "run-once")

    # Thursday: a note on a document (in the interface), and a hand-over to the agency.
    noted = _demanded(exclude=(paid.id, excluded.id))
    clock = FixedClock(thu)
    app = make_app(demo_db, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_document(app, pilot, noted)
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("TextArea").text = "Dzwoniłam, obiecał zapłacić w piątek."
        await pilot.press("ctrl+s")
        await settle(pilot)
    open_database(str(demo_db))
    handed = _demanded(exclude=(paid.id, excluded.id, noted.id))
    _, case, _ = _hand_over(clock, handed)
    week.run(thu, "recovery", "refresh", expect=None)
    week.run(thu, "history", noted.number)
    week.run(thu, "run-once")

    # Friday: the agency's status file, the lists, the export, the aging report.
    statuses = tmp_path / "statuses.csv"
    statuses.write_text(f"case;status;note\n{case.id};częściowo odzyskano;rata 1\n",
                        encoding="utf-8")
    week.run(fri, "recovery", "import-status", str(statuses))
    week.run(fri, "recovery", "list")
    week.run(fri, "recovery", "show", str(case.id))
    week.run(fri, "history", handed.number)
    week.run(fri, "run-once")
    activity = tmp_path / "activity.csv"
    week.run(fri, "export", "activity", str(activity))
    week.run(fri, "report", "aging")

    # The weekend: no sending day.
    week.run(sat, "run-once")
    week.run(sun, "run-once")
    week.run(sun, "status", expect=None)

    found: list[str] = []
    for label, text in week.outputs:
        found += [f"[{label}] {p}" for p in each_line(text, language,
                                                      missing_figures=MISSING_FIGURES[language])]
    with activity.open(encoding="utf-8-sig", newline="") as exported:
        for number, row in enumerate(csv.reader(exported, delimiter=_delimiter(activity)), 1):
            if row[-1:] and row[-1] == "Dzwoniłam, obiecał zapłacić w piątek.":
                row = row[:-1]  # the note is the user's own words
            found += [f"[activity.csv line {number}] {p}"
                      for p in problems(" | ".join(row), language)]

    # Every letter of the week, in its reader's language.
    letters = Message.select().where((Message.state == MessageState.SENT)
                                     & (Message.pass_date >= mon))
    kinds = {(letter.kind, letter.language) for letter in letters}
    assert {("demand", "pl"), ("reminder", "pl")} <= kinds, kinds
    assert any(kind == "report" for kind, _ in kinds), kinds
    assert ("demand", "en") in kinds or ("reminder", "en") in kinds, kinds
    for letter in letters:
        for part in _letter_texts(letter.raw):
            found += [f"[letter #{letter.id} ({letter.kind}, {letter.language})] {p}"
                      for p in each_line(part, letter.language,
                                         missing_figures=MISSING_FIGURES[letter.language])]

    # The main screens after the week, at 80×24.
    app = make_app(demo_db, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screens = {"unpaid": None}
        for key in ("1", "2", "3", "4", "5", "8"):
            await pilot.press(key)
            await settle(pilot)
            screens[key] = app.export_screenshot()
        await pilot.press("1")
        await settle(pilot)
        await open_document(app, pilot, noted)
        await settle(pilot)
        screens["document"] = app.export_screenshot()
    for name, svg in screens.items():
        if svg is None:
            continue
        for line in screen_lines_of_svg(svg):
            found += [f"[screen {name}] {p}: {line.strip()!r}" for p in problems(line, language)]

    if language == "pl":
        found += [f"no Polish wording: {text!r}" for text in i18n.missing()]
    assert found == [], "\n".join(found)


def _delimiter(path) -> str:
    head = path.read_text(encoding="utf-8-sig").splitlines()[0]
    return ";" if head.count(";") > head.count(",") else ","
