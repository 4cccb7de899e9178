"""``windykacja recovery list|show|import-status|refresh`` and the recovery settings keys."""

from __future__ import annotations

import pytest
from recovery_setup import AgencyApi, hand_over

from windykacja.app import main
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import CaseStatus, RecoveryCase
from windykacja.recovery.agencies import default_agency
from windykacja.recovery.sending import finish_order, make_gateway

TOKEN = "tajny-token-123"


def run(location, *args):
    return main(["--db", location, "--today", "2026-11-23", *args])


@pytest.fixture
def api():
    with AgencyApi() as server:
        yield server


def test_refresh_sends_unsent_cases_then_list_and_show(collection, api, db_location, capsys):
    clock = collection.clock
    order, case, _ = hand_over(collection)
    save_settings({"recovery.gateway": "http", "recovery.api_url": "http://127.0.0.1:9/api",
                   "recovery.api_token": TOKEN, "recovery.timeout_seconds": "0.5"},
                  "test", clock.now())
    finish_order(clock, order, make_gateway(load_settings(), default_agency(), clock=clock))
    assert run(db_location(), "recovery", "list") == 0
    out = capsys.readouterr().out
    assert f"#{case.id}" in out and "not sent" in out and "cannot reach the agency" in out
    assert "not_sent" not in out  # the status in words, never its code

    save_settings({"recovery.api_url": api.url}, "test", clock.now())
    assert run(db_location(), "recovery", "refresh") == 0
    out = capsys.readouterr().out
    assert f"case {case.id}: sent, waiting for the agency" in out
    assert f"case {case.id}: waiting for the agency → accepted" in out  # the poll after it
    assert RecoveryCase.get_by_id(case.id).external_ref == "AG-101"

    api.statuses["AG-101"] = "polubowny"
    assert run(db_location(), "recovery", "refresh") == 0
    assert f"case {case.id}: accepted → amicable stage" in capsys.readouterr().out

    assert run(db_location(), "recovery", "show", str(case.id)) == 0
    out = capsys.readouterr().out
    assert "Dłużnik sp. z o.o." in out and "NIP 5260250274" in out
    assert "FV/1" in out and "FV/2" in out and "ref AG-101" in out
    history = out.split("Status history (times in Europe/Warsaw):")[1].strip().splitlines()
    names = ["not sent", "waiting for the agency", "accepted", "amicable stage"]
    assert [next(name for name in names if f" {name} " in line) for line in history] == names

    assert run(db_location(), "recovery", "list", "--status", "amicable") == 0
    assert f"#{case.id}" in capsys.readouterr().out
    assert run(db_location(), "settings", "show") == 0
    shown = capsys.readouterr().out
    assert TOKEN not in shown and "recovery.api_token=***" in shown


def test_refresh_reports_failures_on_stderr_with_exit_1(collection, db_location, capsys):
    clock = collection.clock
    order, case, _ = hand_over(collection)
    order.finished_at = clock.now().replace(tzinfo=None)
    order.save()
    save_settings({"recovery.gateway": "http", "recovery.api_url": "http://127.0.0.1:9/api",
                   "recovery.timeout_seconds": "0.5"}, "test", clock.now())
    assert run(db_location(), "recovery", "refresh") == 1
    err = capsys.readouterr().err
    assert f"case {case.id}: not sent: cannot reach the agency" in err
    assert RecoveryCase.get_by_id(case.id).status == CaseStatus.NOT_SENT


def test_import_status_and_its_errors(db_location, collection, tmp_path, capsys):
    _, case, _ = hand_over(collection)
    good = tmp_path / "ok.csv"
    good.write_text(f"case;status;note\n{case.id};odzyskano;wpłata 2235,12\n", encoding="utf-8")
    assert run(db_location(), "recovery", "import-status", str(good)) == 0
    assert "1 row, 1 case changed" in capsys.readouterr().out
    assert RecoveryCase.get_by_id(case.id).status == CaseStatus.RECOVERED

    bad = tmp_path / "bad.csv"
    bad.write_text(f"case;status\n{case.id};sąd\n", encoding="utf-8")
    assert run(db_location(), "recovery", "import-status", str(bad)) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err and "line 2, column status" in err


def test_show_an_unknown_case_is_an_error(db, db_location, capsys):
    assert run(db_location(), "recovery", "show", "42") == 1
    assert "no case 42" in capsys.readouterr().err


def test_withdraw_puts_the_documents_back_under_collection(collection, db_location, capsys):
    from windykacja.models import Document

    _, case, documents = hand_over(collection)
    assert run(db_location(), "recovery", "withdraw", str(case.id), "--note", "settled") == 0
    assert "back under automatic collection" in capsys.readouterr().out
    assert RecoveryCase.get_by_id(case.id).status == CaseStatus.WITHDRAWN
    for document in documents:
        stored = Document.get_by_id(document.id)
        assert stored.recovery_case is None and stored.collection_ended_on is None
    assert run(db_location(), "recovery", "withdraw", "999") == 1
    assert "no case 999" in capsys.readouterr().err


def test_show_names_a_foreign_debtors_eu_vat_number(collection, db_location, capsys):
    """Issue 12, point 4: a company in another EU country has no NIP: the case shows its
    EU VAT number instead of "NIP —"."""
    import datetime as dt

    from recovery_setup import TODAY, agreed_order

    from windykacja.recovery import cases
    from windykacja.recovery.commission import commission

    order = agreed_order(collection.clock)
    novak = collection.contractor(name="Novák Trans a.s.", vat_eu="CZ57304246")
    document = collection.document(novak, due=TODAY - dt.timedelta(days=40), number="FV/9")
    debtor = cases.Debtor(novak.name, "", "Masarykova 70, 602 00 Brno, Czechia", "", "",
                          vat_eu="CZ57304246")
    case = cases.add_case(collection.clock, load_settings(), order, novak, debtor, [document],
                          commission(default_agency().commission, document.outstanding, 40))
    assert run(db_location(), "recovery", "show", str(case.id)) == 0
    out = capsys.readouterr().out
    assert "Novák Trans a.s., EU VAT number CZ57304246, Masarykova 70" in out
    assert run(db_location(), "--lang", "pl", "recovery", "show", str(case.id)) == 0
    assert "nr VAT UE CZ57304246" in capsys.readouterr().out


def test_show_names_a_uk_debtors_vat_number(collection, db_location, capsys):
    """A UK company (no NIP, no EU VAT number) is handed over with its UK VAT number in
    the same field; the case says "UK VAT number GB…" ("nr VAT UK" in Polish)."""
    import datetime as dt

    from recovery_setup import TODAY, agreed_order

    from windykacja.recovery import cases
    from windykacja.recovery.commission import commission
    from windykacja.recovery.handover import check_debtor, debtor_of

    order = agreed_order(collection.clock)
    harrison = collection.contractor(name="Harrison Imports Ltd", vat_eu="GB980780684",
                                     address="King Street 7, M2 4WU Manchester, United Kingdom")
    document = collection.document(harrison, due=TODAY - dt.timedelta(days=40), number="FV/9")
    debtor, problems = check_debtor(debtor_of(harrison))
    assert problems == {} and debtor.business and debtor.vat_eu == "GB980780684"
    case = cases.add_case(collection.clock, load_settings(), order, harrison, debtor,
                          [document],
                          commission(default_agency().commission, document.outstanding, 40))
    assert run(db_location(), "recovery", "show", str(case.id)) == 0
    assert "Harrison Imports Ltd, UK VAT number GB980780684, King Street 7" in (
        capsys.readouterr().out)
    assert run(db_location(), "--lang", "pl", "recovery", "show", str(case.id)) == 0
    assert "nr VAT UK GB980780684" in capsys.readouterr().out


def test_gateway_and_status_file_problems_speak_polish(collection, api, db_location, tmp_path,
                                                       capsys):
    """With --lang pl the gateway's reasons — an unreachable agency, HTTP 422 and 503, an
    answer without a case number — as 'recovery refresh' and 'recovery list' show them,
    and the agency status file's errors, are Polish (were 'cannot reach the agency',
    'the agency answered HTTP 422', 'refused: …'); the agency's own words stay its own."""
    from reader_rules import each_line

    from windykacja import i18n

    clock = collection.clock
    order, case, _ = hand_over(collection)
    order.finished_at = clock.now().replace(tzinfo=None)
    order.save()

    def polish(*args: str, expect: int) -> str:
        code = main(["--db", db_location(), "--lang", "pl", "--today", "2026-11-23", *args])
        out = capsys.readouterr()
        assert code == expect, out.out + out.err
        return out.out + out.err

    said = []
    try:
        save_settings({"recovery.gateway": "http", "recovery.api_url": "http://127.0.0.1:9/api",
                       "recovery.timeout_seconds": "0.5"}, "test", clock.now())
        said.append(polish("recovery", "refresh", expect=1))
        said.append(polish("recovery", "list", expect=0))
        save_settings({"recovery.api_url": api.url}, "test", clock.now())
        for mode in ("fail", "refuse", "no_id"):
            api.mode = mode
            said.append(polish("recovery", "refresh", "--retry-refused", expect=1))
            said.append(polish("recovery", "list", expect=0))
        save_settings({"recovery.api_url": ""}, "test", clock.now())
        bad = tmp_path / "statusy.csv"
        bad.write_text(f"case;status;date\n{case.id};zgubiona;2030-01-01\n99;odzyskano;\n"
                       "abc;odzyskano;\n", encoding="utf-8")
        said.append(polish("recovery", "import-status", str(bad), expect=1))
        broken = tmp_path / "statusy.json"
        broken.write_text('[{"case": 1, "status": "odzyskano",}]', encoding="utf-8")
        said.append(polish("recovery", "import-status", str(broken), expect=1))
        said.append(polish("recovery", "import-status", str(tmp_path), expect=1))
        text = "\n".join(said)
        wrong = [f"untranslated: {m}" for m in i18n.missing()] + each_line(text, "pl")
        assert wrong == [], "\n".join(wrong) + "\n" + text
        assert "nie można połączyć się z firmą windykacyjną: połączenie odrzucone" in text
        assert "firma windykacyjna odpowiedziała HTTP 503" in text
        assert "odrzucono: firma windykacyjna odpowiedziała HTTP 422" in text
        assert "nie podała numeru sprawy" in text
        assert "nie można odczytać pliku: to jest folder" in text  # was 'Is a directory'
        assert "to nie jest poprawny JSON: w kolumnie 36 powinien być klucz w cudzysłowie" in text
    finally:
        i18n.set_language("en")
