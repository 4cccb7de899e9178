"""The e-mail gateway against the aiosmtpd server: the handover goes through the outbox,
its CSV and JSON attachments parse, and the case waits only once the e-mail is sent."""

from __future__ import annotations

import csv
import io
import json

from pass_runner import run_one_pass
from recovery_setup import TODAY, agreed_order, hand_over

from windykacja.dunning.lease import Lease
from windykacja.dunning.outbox import mark_sent_by_user
from windykacja.ledger.settings import load_settings, save_settings
from windykacja.models import (
    CaseStatus,
    DocumentStep,
    Message,
    MessageKind,
    MessageState,
    RecoveryCase,
)
from windykacja.recovery.agencies import default_agency
from windykacja.recovery.gateways import CSV_COLUMNS, EmailGateway
from windykacja.recovery.sending import finish_order, make_gateway, retry_unsent

INTAKE = "przyjecia@agencja.example.pl"


def use_smtp(clock, port):
    save_settings({"smtp.url": f"smtp://127.0.0.1:{port}", "recovery.intake_email": INTAKE},
                  "test", clock.now())


def fresh(case):
    return RecoveryCase.get_by_id(case.id)


def test_the_case_goes_out_at_once_with_parsable_attachments(collection, smtp_server, tmp_path):
    clock = collection.clock
    use_smtp(clock, smtp_server.port)
    order, case, documents = hand_over(collection)
    gateway = make_gateway(load_settings(), default_agency(), clock=clock,
                           default_maildir=tmp_path)
    outcomes = finish_order(clock, order, gateway)
    assert [o.status for o in outcomes] == [CaseStatus.WAITING]
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.rcpt_tos == (INTAKE,)
    parsed = received.parsed()
    assert f"sprawa {case.id}" in parsed["Subject"]
    body = parsed.get_body(("plain",)).get_content()
    assert "przekazujemy do windykacji" in body and "FV/1" in body and "FV/2" in body
    files = {part.get_filename(): part for part in parsed.iter_attachments()}
    assert set(files) == {f"case-{case.id}.csv", f"case-{case.id}.json"}

    text = files[f"case-{case.id}.csv"].get_payload(decode=True).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r[2] for r in rows[1:]] == ["FV/1", "FV/2"]
    assert rows[1][0] == "Dłużnik sp. z o.o." and rows[1][1] == "5260250274"
    assert rows[1][6] == "1000.56" and rows[2][6] == "1234.56" and rows[1][7] == "PLN"
    assert rows[1][5] == "40" and rows[1][3] == documents[0].issue_date.isoformat()
    assert rows[1][8:] == ["", "business"]  # vat_eu, debtor_kind: appended last

    package = json.loads(files[f"case-{case.id}.json"].get_payload(decode=True))
    assert package["case"] == case.id and package["total_pln"] == "2235.12"
    assert [d["number"] for d in package["documents"]] == ["FV/1", "FV/2"]
    assert any(e["kind"] == "handed_to_agency" for e in package["documents"][0]["history"])

    message = Message.get(Message.kind == MessageKind.AGENCY)
    assert message.state == MessageState.SENT and message.raw  # stored whole
    case = fresh(case)
    assert case.sent_at is not None and case.attempts == 1 and case.send_error == ""
    # Never twice: offering the case again plans nothing new.
    retry_unsent(clock, gateway)
    assert Message.select().where(Message.kind == MessageKind.AGENCY).count() == 1
    assert len(smtp_server.messages) == 1


def test_the_case_waits_in_the_outbox_until_the_pass_sends_it(collection, smtp_server,
                                                              tmp_path):
    clock = collection.clock
    use_smtp(clock, smtp_server.port)
    order = agreed_order(clock)
    _, one, _ = hand_over(collection, order, name="A", numbers=("A/1",))
    _, two, _ = hand_over(collection, order, name="B", numbers=("B/1",))
    holder = Lease()  # another process is the worker now: nothing may be sent here
    holder.acquire()
    gateway = make_gateway(load_settings(), default_agency(), clock=clock,
                           default_maildir=tmp_path)
    outcomes = finish_order(clock, order, gateway)
    assert [(o.status, o.pending) for o in outcomes] == [(CaseStatus.NOT_SENT, True)] * 2
    assert smtp_server.messages == []
    assert fresh(one).status == CaseStatus.NOT_SENT and fresh(one).sent_at is None
    steps = DocumentStep.select().where(DocumentStep.kind == "agency")
    assert sorted(s.number for s in steps) == sorted([one.id, two.id])
    holder.release()

    result = run_one_pass(clock, tmp_path, TODAY)
    assert {o.kind for o in result.outcomes} == {MessageKind.AGENCY}
    assert len(smtp_server.messages) == 2
    assert fresh(one).status == CaseStatus.WAITING and fresh(two).status == CaseStatus.WAITING


def test_a_failed_send_keeps_the_case_unsent_and_mark_sent_moves_it(collection, smtp_server,
                                                                     tmp_path):
    clock = collection.clock
    use_smtp(clock, smtp_server.port)
    smtp_server.refuse_recipient(INTAKE)
    order, case, _ = hand_over(collection)
    gateway = make_gateway(load_settings(), default_agency(), clock=clock,
                           default_maildir=tmp_path)
    finish_order(clock, order, gateway)
    message = Message.get(Message.kind == MessageKind.AGENCY)
    assert message.state == MessageState.FAILED
    case = fresh(case)
    assert case.status == CaseStatus.NOT_SENT
    assert f"e-mail #{message.id} failed" in case.send_error and case.attempts == 1
    mark_sent_by_user(clock, message, "anna")  # e.g. the user sent it by hand
    assert fresh(case).status == CaseStatus.WAITING


def test_a_bad_intake_address_is_refused_without_a_message(collection):
    order, case, _ = hand_over(collection)
    gateway = EmailGateway(collection.clock, load_settings(), "not an address")
    finish_order(collection.clock, order, gateway)
    assert fresh(case).send_error.startswith("refused: address")
    assert Message.select().count() == 0


def test_the_agency_text_names_a_foreign_companys_vat_number_by_its_country():
    """A company abroad has no NIP: the agency's e-mail names its EU VAT number as
    "nr VAT UE", a UK one (GB…, not in the EU) as "nr VAT UK"."""
    from windykacja.recovery.gateways import handover_text

    def debtor_line(vat: str) -> str:
        package = {"case": 7, "order": 3, "documents": [], "total_pln": "0.00",
                   "oldest_days_overdue": 40,
                   "debtor": {"name": "Firma", "nip": "", "vat_eu": vat, "business": True,
                              "address": "Brno"}}
        _, body = handover_text(package, "Nasza Firma")
        return next(line for line in body.splitlines() if line.startswith("Dłużnik:"))

    assert debtor_line("CZ57304246") == "Dłużnik: Firma, nr VAT UE CZ57304246"
    assert debtor_line("GB980780684") == "Dłużnik: Firma, nr VAT UK GB980780684"
