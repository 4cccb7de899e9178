"""Days late have one definition everywhere (issue 12, point 2; ``law/lateness.py``):
days past the *legal* due date (Civil Code art. 115: a due date on a Saturday, Sunday
or Polish public holiday moves to the next working day), overdue ⇔ days late > 0.

Documents due on a Saturday, a Sunday, a public holiday (11 November, Independence
Day), Christmas Eve and Christmas Day followed by a weekend, and an ordinary weekday,
each of its own contractor, are read on several days around those dates by everything
that states days late or overdue: the unpaid list (its column, its overdue filter, its
sort by days late), the document screen (Pilot), *Recover money*'s refusal and its
figures, the agency's CSV and JSON, the demand's text, the aging report and its CSV,
and the commands (``history``, ``report aging``, ``recovery show``). Every one must
say what the table below says; the legal due dates are written out by hand, not
computed by the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from textual.widgets import Static

from windykacja.app import main
from windykacja.dunning.messages import PlannedStep, plan_contractor_message
from windykacja.dunning.policy import Step
from windykacja.ledger.settings import load_settings
from windykacja.lists.aging import BUCKET_KEYS, aging_report, bucket_index
from windykacja.lists.aging_csv import write_aging_csv
from windykacja.lists.message_view import read_message
from windykacja.lists.unpaid_list import UnpaidQuery, UnpaidWindow
from windykacja.models import Document
from windykacja.recovery import cases
from windykacja.recovery.agencies import default_agency
from windykacja.recovery.commission import commission
from windykacja.recovery.gateways import case_csv, case_json
from windykacja.tui.screens.unpaid import UnpaidScreen
from windykacja.tui.widgets.lazy_table import LazyTable

from .conftest import open_document, settle

# code: (due date, its legal due date — written out from the calendar)
DOCUMENTS = {
    "SAT": (dt.date(2026, 11, 7), dt.date(2026, 11, 9)),  # Saturday → Monday
    "SUN": (dt.date(2026, 11, 8), dt.date(2026, 11, 9)),  # Sunday → Monday
    "TUE": (dt.date(2026, 11, 10), dt.date(2026, 11, 10)),  # an ordinary Tuesday
    "HOL": (dt.date(2026, 11, 11), dt.date(2026, 11, 12)),  # Independence Day (Wed) → Thu
    "EVE": (dt.date(2026, 12, 24), dt.date(2026, 12, 28)),  # Christmas Eve, 25, 26, Sun → Mon
    "XMS": (dt.date(2026, 12, 25), dt.date(2026, 12, 28)),  # Christmas Day → Monday 28th
}
TODAYS = [dt.date(2026, 11, 9), dt.date(2026, 11, 10), dt.date(2026, 11, 12),
          dt.date(2026, 11, 13), dt.date(2026, 11, 16), dt.date(2026, 12, 28),
          dt.date(2026, 12, 29)]


def expected_days(today: dt.date) -> dict[str, int]:
    return {code: max(0, (today - legal).days) for code, (_, legal) in DOCUMENTS.items()}


def number(code: str) -> str:
    return f"FV/{code}/2026"


def build(collection) -> dict[str, Document]:
    documents = {}
    for code, (due, _) in DOCUMENTS.items():
        contractor = collection.contractor(code=code, name=f"Kontrahent {code} sp. z o.o.")
        documents[code] = collection.document(contractor, due=due, number=number(code),
                                              issued=dt.date(2026, 10, 1), gross="1000.00")
    return documents


def code_of(text: str) -> str:
    return text.split("/")[1]


def run(location: str, today: dt.date, *args: str) -> int:
    return main(["--db", location, "--today", today.isoformat(), *args])


async def screens_say(make_app, location, documents) -> dict[str, dict]:
    """What the unpaid list (rows, overdue filter, sort by days late) and each document
    screen say, read from the running interface."""
    said: dict[str, dict] = {"list": {}, "overdue": set(), "screen": {}}
    app = make_app(location)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UnpaidScreen)
        table = screen.query_one("#documents", LazyTable)
        for i in range(table.row_count):
            row = table.source.row(i)
            cell = screen.cells(row)[4]  # the days-late column
            said["list"][code_of(row.document.number)] = int(cell or 0)
        await pilot.press("o")
        await settle(pilot)
        said["overdue"] = {code_of(table.source.row(i).document.number)
                           for i in range(table.row_count)}
        await pilot.press("o")
        screen.sort_by("days", descending=True)  # the most days late first
        await settle(pilot)
        said["sorted"] = [code_of(table.source.row(i).document.number)
                          for i in range(table.row_count)]
        for code, document in documents.items():
            page = await open_document(app, pilot, document)
            header = str(page.query_one("#header", Static).content)
            found = re.search(r" · (\d+) days? late", header)
            said["screen"][code] = int(found.group(1)) if found else 0
            await pilot.press("escape")
            await settle(pilot)
    return said


def demand_days(documents: dict[str, Document], clock) -> dict[str, dict[str, int]]:
    """The days late a demand states for each document, in the default letter (the
    contractor's language), and ``days_overdue`` through a template of the user's own."""
    settings = load_settings()
    window = UnpaidWindow(UnpaidQuery(clock.day), settings).load()
    candidates = [window.row(i).document for i in range(window.count)]
    letter, custom = {}, {}
    for candidate in candidates:
        code = code_of(candidate.number)
        own = {("demand", candidate.contractor.language, "text"):
               "{% for d in documents %}{{ d.number }}={{ d.days_overdue }};{% endfor %}"}
        for step, overrides in ((1, {}), (2, own)):
            message = plan_contractor_message(
                clock, settings, candidate.contractor, "demand",
                [PlannedStep(candidate, Step("demand", step, clock.day))], clock.day, overrides)
            text = read_message(message).text
            if step == 1:
                found = re.search(r"(?:days late|dni opóźnienia): (\d+)", text)
                letter[code] = int(found.group(1))
            else:
                custom[code] = int(re.search(re.escape(candidate.number) + r"=(\d+);",
                                             text).group(1))
    return {"letter": letter, "custom": custom}


def aging_buckets(today: dt.date) -> dict[str, dict[str, str]]:
    report = aging_report(today, "PLN")
    buckets = {row.code: BUCKET_KEYS[[g > 0 for g in row.grosze].index(True)]
               for row in report.rows}
    out = io.StringIO()
    write_aging_csv(report, out)
    return {"report": buckets, "csv": csv_buckets(out.getvalue())}


def csv_buckets(text: str) -> dict[str, str]:
    """The aging CSV's bucket of each contractor (the code first, the six buckets from the
    fourth column: the titles are words of the export's language)."""
    rows = list(csv.reader(io.StringIO(text)))[1:]
    return {row[0]: BUCKET_KEYS[next(i for i, a in enumerate(row[3:9]) if a != "0.00")]
            for row in rows if row[0]}


def aging_command(location: str, today: dt.date, tmp_path, capsys) -> dict[str, dict]:
    """``report aging`` printed and as CSV: the bucket of each contractor."""
    assert run(location, today, "report", "aging") == 0
    printed = {}
    for line in capsys.readouterr().out.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells and cells[0] in DOCUMENTS:
            amounts = cells[2:2 + len(BUCKET_KEYS)]
            filled = [i for i, a in enumerate(amounts) if not re.fullmatch(r"0[.,]00", a)]
            assert len(filled) == 1, line
            printed[cells[0]] = BUCKET_KEYS[filled[0]]
    target = tmp_path / f"aging-{today}.csv"
    assert run(location, today, "report", "aging", "--csv", str(target)) == 0
    capsys.readouterr()
    from_csv = csv_buckets(target.read_text(encoding="utf-8-sig"))
    return {"printed": printed, "csv": from_csv}


def history_days(location: str, today: dt.date, capsys) -> dict[str, int]:
    said = {}
    for code in DOCUMENTS:
        assert run(location, today, "history", number(code)) == 0
        found = re.search(r"(\d+) days? late", capsys.readouterr().out)
        said[code] = int(found.group(1)) if found else 0
    return said


def hand_over(collection, documents, today) -> dict[str, dict]:
    """Recover money, as its screens do it: the refusal check for every document, then
    one case per overdue document with its commission, the agency's CSV and JSON."""
    clock = collection.clock
    selection = cases.sort_out([d.id for d in documents.values()], today)
    refused = {code_of(r.document.number): r.reason for r in selection.refused}
    agency = default_agency()
    cases.conclude_agreement(clock, agency.code, agency.terms_version,
                             person_name="Anna Nowak", person_email="anna@example.pl")
    order = cases.open_order(clock, agency.code)
    said: dict[str, dict] = {"refused": refused, "figures": {}, "csv": {}, "json": {},
                             "cases": {}}
    for chosen in selection.by_contractor.values():
        document = chosen[0]
        code = code_of(document.number)
        days = cases.days_overdue(document, today)
        said["figures"][code] = days
        fee = commission(agency.commission, cases.case_amount(chosen), days)
        assert fee.days_overdue_oldest == days
        debtor = cases.Debtor(document.contractor.name, "5260250274", "ul. Długa 1, Łódź",
                              "", "")
        case = cases.add_case(clock, load_settings(), order, document.contractor, debtor,
                              chosen, fee)
        package = cases.case_package(case)
        assert package["oldest_days_overdue"] == days
        said["json"][code] = json.loads(case_json(package))["documents"][0]["days_overdue"]
        lines = case_csv(package).decode("utf-8-sig").splitlines()
        said["csv"][code] = int(dict(zip(lines[0].split(";"), lines[1].split(";"),
                                         strict=True))["days_overdue"])
        said["cases"][code] = case.id
    return said


def recovery_show_days(location: str, today: dt.date, case_ids, capsys) -> dict[str, int]:
    said = {}
    for code, case_id in case_ids.items():
        assert run(location, today, "recovery", "show", str(case_id)) == 0
        found = re.search(r"\((\d+) days? overdue\)", capsys.readouterr().out)
        said[code] = int(found.group(1))
    return said


@pytest.mark.parametrize("today", TODAYS, ids=[d.isoformat() for d in TODAYS])
async def test_every_place_counts_days_late_from_the_legal_due_date(
        today, collection, db_location, make_app, clock, tmp_path, capsys):
    documents = build(collection)
    for code, (_, legal) in DOCUMENTS.items():
        assert documents[code].legal_due_date == legal
    clock.day = today
    location = db_location()
    days = expected_days(today)
    overdue = {code for code, n in days.items() if n > 0}
    buckets = {code: BUCKET_KEYS[bucket_index(n)] for code, n in days.items()}
    only_overdue = {code: days[code] for code in overdue}

    # Each place: (what it says, what the one definition says).
    places: dict[str, tuple] = {}
    shown = await screens_say(make_app, location, documents)
    places["unpaid list, days-late column"] = (shown["list"], days)
    places["unpaid list, overdue filter"] = (shown["overdue"], overdue)
    places["unpaid list, sorted by days late"] = (
        [days[c] for c in shown["sorted"]], sorted(days.values(), reverse=True))
    places["document screen"] = (shown["screen"], days)
    places["windykacja history"] = (history_days(location, today, capsys), days)
    report = aging_buckets(today)
    places["aging report"] = (report["report"], buckets)
    places["aging CSV"] = (report["csv"], buckets)
    command = aging_command(location, today, tmp_path, capsys)
    places["windykacja report aging"] = (command["printed"], buckets)
    places["windykacja report aging --csv"] = (command["csv"], buckets)
    letters = demand_days(documents, clock)
    places["demand letter, days late"] = (letters["letter"], days)
    places["demand template, days_overdue"] = (letters["custom"], days)
    handed = hand_over(collection, documents, today)
    places["Recover money, refusals"] = (
        handed["refused"], {code: "not_overdue" for code in days if code not in overdue})
    places["Recover money, days overdue"] = (handed["figures"], only_overdue)
    places["agency CSV"] = (handed["csv"], only_overdue)
    places["agency JSON"] = (handed["json"], only_overdue)
    places["windykacja recovery show"] = (
        recovery_show_days(location, today, handed["cases"], capsys), only_overdue)

    wrong = {place: said for place, (said, expected) in places.items() if said != expected}
    assert not wrong, f"on {today}, {days} days late; these say otherwise: {wrong}"
