"""The paged lists behind the contractors, activity and outbox screens, and the forecast
by day: every page read by keyset or jump agrees with one plain ordered query."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from windykacja.dunning.forecast_days import forecast_days
from windykacja.dunning.outbox import mark_failed, mark_sending
from windykacja.dunning.passes import plan_day
from windykacja.ledger.actions import add_note, create_contractor
from windykacja.ledger.settings import load_settings
from windykacja.lists.activity import (
    ActivityFilter,
    activity_window,
    export_activity_file,
    write_activity_csv,
)
from windykacja.lists.contractor_list import (
    ContractorForm,
    contractor_position,
    contractor_window,
    save_contractor,
)
from windykacja.lists.outbox_list import STATE_ORDER, confirm_sent, outbox_source, resend_message
from windykacja.lists.paging import glob_pattern
from windykacja.models import CollectionEvent, Contractor, EventKind, Message, MessageState

MONDAY = dt.date(2026, 11, 23)


def _contractors(clock, count):
    for i in range(count):
        create_contractor(clock, code=f"C{i:04d}", name=f"Firma {i}", emails=f"c{i}@example.pl")


def test_a_window_reads_every_row_once_in_order_by_keyset_and_jumps(db, clock):
    _contractors(clock, 350)
    window = contractor_window().load()
    assert window.count == 350
    assert window.row(349).code == "C0349"  # the end: the reversed first page
    assert window.row(250).code == "C0250"  # before the end page: keyset backwards
    assert window.row(120).code == "C0120"  # a jump into the middle: OFFSET
    assert window.row(0).code == "C0000" and window.row(350) is None
    codes = [window.row(i).code for i in range(350)]
    assert codes == sorted(codes) and len(set(codes)) == 350
    statements = window.statements
    assert [window.row(i).code for i in range(0, 350, 7)] == codes[::7]
    assert window.statements == statements  # every page held: no more queries


def test_a_window_forgets_old_pages_but_reads_them_again_the_same(db, clock):
    _contractors(clock, 250)
    window = contractor_window()
    window.cached_pages = 1
    window.load()
    first = window.row(5)
    assert window.row(205).code == "C0205"
    assert window.row(5) == first


def test_search_folds_case_and_polish_letters_in_every_searched_column(db, clock):
    create_contractor(clock, code="LDZ", name="Zakład Łódź", emails="biuro@lodz.pl")
    create_contractor(clock, code="KRK", name="Kraków sp. z o.o.", nip="5260250274",
                      emails="krakow@example.pl")
    create_contractor(clock, code="W50", name="Rabat 50% *", emails="")
    found = {term: [r.code for r in _all(contractor_window(term).load())]
             for term in ("łódź", "LODZ", "zaklad l", "krakow@", "526025", "50%", "*", "xyz")}
    assert found == {"łódź": ["LDZ"], "LODZ": ["LDZ"], "zaklad l": ["LDZ"],
                     "krakow@": ["KRK"], "526025": ["KRK"], "50%": ["W50"], "*": ["W50"],
                     "xyz": []}
    assert glob_pattern("ł?").startswith("*[") and "[?]" in glob_pattern("ł?")


def _all(window):
    return [window.row(i) for i in range(window.count)]


def test_a_saved_contractor_is_found_where_the_list_puts_it(db, clock):
    _contractors(clock, 30)
    checked, contractor = save_contractor(clock, ContractorForm(code="C0010a", name="Nowa"))
    assert checked.ok
    position = contractor_position("", contractor.code, contractor.id)
    assert contractor_window().load().row(position).id == contractor.id


def test_the_editor_refuses_every_wrong_field_and_stores_nothing(db, clock):
    create_contractor(clock, code="TAKEN", name="Zajęty")
    form = ContractorForm(code="TAKEN", name="", nip="123", emails="ok@example.pl; zły@",
                          language="de")
    checked, contractor = save_contractor(clock, form)
    assert contractor is None
    assert checked.problems == {"code": "duplicate", "name": "required", "nip": "nip",
                                "emails": "email:zły@", "language": "language"}
    assert Contractor.select().count() == 1


def test_the_editor_normalises_and_saves_a_change(db, clock):
    anna = create_contractor(clock, code="ANNA", name="Anna")
    form = ContractorForm(code="ANNA", name="Anna Nowak", nip="PL 526-025-02-74",
                          emails="a@example.pl, B@Example.pl", language="en",
                          subject_to_collection=False)
    checked, saved = save_contractor(clock, form, anna.id)
    assert checked.ok and saved.id == anna.id
    stored = Contractor.get_by_id(anna.id)
    assert (stored.name, stored.nip, stored.email_list, stored.language,
            stored.subject_to_collection) == (
        "Anna Nowak", "5260250274", ["a@example.pl", "B@example.pl"], "en", False)


def _events(collection, clock):
    anna = collection.contractor("ANNA", name="Anna Łódź")
    bob = collection.contractor("BOB", name="Bob")
    doc_a = collection.document(anna, due=MONDAY)
    doc_b = collection.document(bob, due=MONDAY)
    for day in range(5):
        clock.day = MONDAY + dt.timedelta(days=day)
        add_note(clock, doc_a, f"note a{day}", author="ewa")
        add_note(clock, doc_b, f"note b{day}", author="jan.kowalski")
    return doc_a, doc_b


def test_activity_is_newest_first_and_each_filter_narrows_it(collection, clock):
    _events(collection, clock)
    everything = _all(activity_window(ActivityFilter()).load())
    assert [e.text for e in everything][:2] == ["note b4", "note a4"]
    assert everything == sorted(everything, key=lambda e: (e.day, e.id), reverse=True)

    def texts(**kw):
        return [e.text for e in _all(activity_window(ActivityFilter(**kw)).load())]

    assert texts(first_day=MONDAY + dt.timedelta(days=3)) == [
        "note b4", "note a4", "note b3", "note a3"]
    assert texts(last_day=MONDAY) == ["note b0", "note a0"]
    assert texts(contractor="lodz", first_day=MONDAY + dt.timedelta(days=4)) == ["note a4"]
    assert texts(author="KOWALSKI", last_day=MONDAY + dt.timedelta(days=1)) == [
        "note b1", "note b0"]
    assert texts(kinds=(EventKind.PAYMENT_RECORDED,)) == []


def test_the_csv_holds_what_the_list_shows_oldest_first(collection, clock, tmp_path):
    _events(collection, clock)
    flt = ActivityFilter(contractor="BOB")
    shown = [e.text for e in _all(activity_window(flt).load())]
    out = io.StringIO()
    assert write_activity_csv(flt, out, "en", clock.timezone) == 5
    target = tmp_path / "a.csv"
    assert export_activity_file(flt, target, "en", clock.timezone) == 5
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("day,time (Europe/Warsaw),document")
    assert [line.split(",")[7] for line in lines[1:]] == shown[::-1]
    assert not (tmp_path / "a.csv.part").exists()


def test_the_polish_csv_is_in_words_with_semicolons_and_local_times(collection, clock,
                                                                     tmp_path):
    """A Polish export opens in a Polish spreadsheet as columns, and holds no stored code:
    the kind, the payment's method and the author in words; the time local (Warsaw)."""
    from windykacja.ledger.actions import record_payment

    contractor = collection.contractor("CSV", email="csv@example.pl")
    document = collection.document(contractor, due=MONDAY - dt.timedelta(days=3))
    record_payment(clock, load_settings(), document, MONDAY, Decimal("10.50"), "cash",
                   author="system")
    target = tmp_path / "pl.csv"
    assert export_activity_file(ActivityFilter(contractor="CSV"), target, "pl",
                                clock.timezone) == 1
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines(),
                           delimiter=";"))
    assert rows[0] == ["dzień", "godzina (Europe/Warsaw)", "dokument", "kod kontrahenta",
                       "kontrahent", "zdarzenie", "autor", "opis", "nr wiadomości"]
    day, time, number, code, _, kind, author, text, _ = rows[1]
    local = clock.now().astimezone(clock.timezone)
    assert (day, time, code) == (local.date().isoformat(), local.strftime("%H:%M:%S"), "CSV")
    assert (kind, author) == ("zapisano wpłatę", "system")
    assert text == f"10,50 PLN (gotówka) {MONDAY:%d.%m.%Y}"


def _failed_and_planned(collection, clock):
    for i in range(3):
        anna = collection.contractor(f"F{i}", email=f"f{i}@example.pl")
        collection.document(anna, due=MONDAY - dt.timedelta(days=10))
    planned = [p.id for p in plan_day(clock, load_settings(), MONDAY)]
    failed = Message.get_by_id(planned[1])
    mark_sending(failed)
    mark_failed(clock, failed, "550 5.1.1 Mailbox unavailable", retryable=False)
    return planned, failed


def test_the_outbox_lists_failed_messages_before_planned_ones(collection, clock):
    planned, failed = _failed_and_planned(collection, clock)
    source = outbox_source().load()
    rows = [source.row(i) for i in range(source.count)]
    assert [r.state for r in rows] == ["failed", "planned", "planned"]
    assert rows[0].id == failed.id and rows[0].last_error.startswith("550")
    assert rows[0].recipients == ("f1@example.pl",) and len(rows[0].steps) == 1
    assert [r.id for r in rows[1:]] == sorted(set(planned) - {failed.id}, reverse=True)
    only = outbox_source(MessageState.PLANNED).load()
    assert only.count == 2
    assert STATE_ORDER[:2] == (MessageState.IN_DOUBT, MessageState.FAILED)


def test_resend_and_mark_sent_from_the_outbox(collection, clock):
    _, failed = _failed_and_planned(collection, clock)
    assert resend_message(failed.id) == MessageState.PLANNED
    mark_sending(failed)
    mark_failed(clock, failed, "timeout", retryable=False)
    confirm_sent(clock, failed.id, "ewa")
    assert Message.get_by_id(failed.id).state == MessageState.SENT
    event = CollectionEvent.get(CollectionEvent.kind == EventKind.MESSAGE_MARKED_SENT)
    assert (event.author, event.message_id) == ("ewa", failed.id)


def test_the_forecast_lists_every_day_groups_emails_and_says_why_not(collection, clock):
    anna = collection.contractor("ANNA", name="Anna")
    collection.document(anna, due=MONDAY - dt.timedelta(days=10), number="FV/A1")
    collection.document(anna, due=MONDAY - dt.timedelta(days=12), number="FV/A2")
    days = forecast_days(load_settings(), MONDAY)
    assert len(days) == 14 and days[0].day == MONDAY
    assert [d.closed_because for d in days[5:7]] == ["weekday", "weekday"]
    assert not days[5].allowed and days[5].messages == ()
    first = days[0].messages
    assert len(first) == 1 and first[0].contractor == "Anna" and first[0].kind == "demand"
    assert sorted(first[0].documents) == ["FV/A1", "FV/A2"] and days[0].step_count == 2
    christmas = forecast_days(load_settings(), dt.date(2026, 12, 25), days=1)[0]
    assert christmas.closed_because == "holiday"
