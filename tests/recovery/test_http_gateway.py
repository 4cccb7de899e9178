"""The HTTP JSON gateway against a real HTTP server on 127.0.0.1: accepting, refusing
with 4xx, failing with 5xx, timing out, refused connections, and the status poll."""

from __future__ import annotations

import json

import pytest
from recovery_setup import AgencyApi, agreed_order, hand_over
from smtp_test_server import closed_port

from windykacja.models import CaseStatus, CaseStatusChange, RecoveryCase
from windykacja.recovery.gateways import HttpGateway
from windykacja.recovery.sending import (
    REFUSED,
    finish_order,
    refresh,
    refresh_statuses,
    retry_unsent,
)

TOKEN = "sekretny-token-agencji"


@pytest.fixture
def api():
    with AgencyApi() as server:
        yield server


def fresh(case):
    return RecoveryCase.get_by_id(case.id)


def test_an_accepted_case_gets_the_agencys_ref_and_waits(collection, api):
    order, case, _ = hand_over(collection)
    outcomes = finish_order(collection.clock, order, HttpGateway(api.url, TOKEN, 2))
    assert [o.status for o in outcomes] == [CaseStatus.WAITING]
    case = fresh(case)
    assert (case.status, case.external_ref, case.send_error, case.attempts) == (
        CaseStatus.WAITING, "AG-101", "", 1)
    assert case.sent_at is not None and case.order.finished_at is not None
    method, path, headers, body = api.requests[0]
    assert (method, path) == ("POST", "/api/cases")
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Idempotency-Key"] == f"windykacja-case-{case.id}"
    package = json.loads(body)
    assert package["case"] == case.id and package["debtor"]["nip"] == "5260250274"
    assert [d["number"] for d in package["documents"]] == ["FV/1", "FV/2"]
    history = [h.status for h in CaseStatusChange.select().where(
        CaseStatusChange.case == case.id).order_by(CaseStatusChange.id)]
    assert history == [CaseStatus.NOT_SENT, CaseStatus.WAITING]


def test_a_4xx_leaves_the_case_unsent_with_the_reason_and_is_not_retried(collection, api):
    order, case, _ = hand_over(collection)
    api.mode = "refuse"
    gateway = HttpGateway(api.url, TOKEN, 2)
    finish_order(collection.clock, order, gateway)
    case = fresh(case)
    assert case.status == CaseStatus.NOT_SENT and case.attempts == 1
    assert case.send_error.startswith(REFUSED) and "422" in case.send_error
    assert "debtor NIP missing" in case.send_error
    api.mode = "accept"
    assert retry_unsent(collection.clock, gateway) == []  # a person must look first
    assert len(api.requests) == 1
    retried = retry_unsent(collection.clock, gateway, include_refused=True)
    assert [o.status for o in retried] == [CaseStatus.WAITING]


def test_5xx_timeout_and_refused_connection_are_retried_on_refresh(collection, api):
    clock = collection.clock
    order = agreed_order(clock)
    _, failing, _ = hand_over(collection, order, name="A", numbers=("A/1",))
    _, slow, _ = hand_over(collection, order, name="B", numbers=("B/1",))
    api.mode = "fail"
    outcomes = finish_order(clock, order, HttpGateway(api.url, TOKEN, 0.5))
    assert [o.status for o in outcomes] == [CaseStatus.NOT_SENT] * 2
    assert "HTTP 503" in fresh(failing).send_error
    assert not fresh(failing).send_error.startswith(REFUSED)

    api.mode = "slow"
    retry_unsent(clock, HttpGateway(api.url, TOKEN, 0.5))
    assert "no answer from the agency within 0.5 s" in fresh(slow).send_error

    dead = HttpGateway(f"http://127.0.0.1:{closed_port()}/api", TOKEN, 0.5)
    retry_unsent(clock, dead)
    assert "cannot reach the agency" in fresh(slow).send_error
    assert fresh(slow).attempts == 3 and fresh(slow).status == CaseStatus.NOT_SENT

    api.mode = "accept"
    result = refresh(clock, HttpGateway(api.url, TOKEN, 2))
    assert [o.status for o in result.retried] == [CaseStatus.WAITING] * 2
    assert {fresh(failing).send_error, fresh(slow).send_error} == {""}
    assert all(TOKEN not in c.send_error for c in RecoveryCase.select())


def test_a_2xx_without_an_id_is_kept_for_a_person(collection, api):
    order, case, _ = hand_over(collection)
    api.mode = "no_id"
    finish_order(collection.clock, order, HttpGateway(api.url, TOKEN, 2))
    assert fresh(case).send_error.startswith(REFUSED + "the agency accepted the request")


def test_one_failing_case_does_not_stop_the_others(collection, api):
    clock = collection.clock
    order = agreed_order(clock)
    _, first, _ = hand_over(collection, order, name="A", numbers=("A/1",))
    _, second, _ = hand_over(collection, order, name="B", numbers=("B/1",))

    class Flaky(HttpGateway):
        def submit(self, case, package):
            if case.id == first.id:
                raise RuntimeError("disk on fire")
            return super().submit(case, package)

    outcomes = finish_order(clock, order, Flaky(api.url, TOKEN, 2))
    assert [(o.case_id, o.status) for o in outcomes] == [
        (first.id, CaseStatus.NOT_SENT), (second.id, CaseStatus.WAITING)]
    assert "disk on fire" in fresh(first).send_error


def test_the_poll_maps_the_agencys_names_and_ignores_unknown_ones(collection, api, caplog):
    clock = collection.clock
    order = agreed_order(clock)
    _, one, _ = hand_over(collection, order, name="A", numbers=("A/1",))
    _, two, _ = hand_over(collection, order, name="B", numbers=("B/1",))
    gateway = HttpGateway(api.url, TOKEN, 2)
    finish_order(clock, order, gateway)
    api.statuses[fresh(one).external_ref] = "Egzekucja"
    api.statuses[fresh(two).external_ref] = "w kosmosie"
    assert refresh_statuses(clock, gateway) == 1
    assert fresh(one).status == CaseStatus.ENFORCEMENT
    assert fresh(two).status == CaseStatus.WAITING
    assert "unknown status 'w kosmosie'" in caplog.text
    gets = [r for r in api.requests if r[0] == "GET"]
    assert {r[1] for r in gets} == {f"/api/cases/{fresh(one).external_ref}",
                                    f"/api/cases/{fresh(two).external_ref}"}
    assert all(r[2]["Authorization"] == f"Bearer {TOKEN}" for r in gets)

    api.statuses[fresh(one).external_ref] = "odzyskano"
    assert refresh_statuses(clock, gateway) == 1
    assert fresh(one).status == CaseStatus.RECOVERED
    api.statuses[fresh(one).external_ref] = "sąd"  # final: never polled again
    assert refresh_statuses(clock, gateway) == 0
    assert fresh(one).status == CaseStatus.RECOVERED
    assert TOKEN not in caplog.text


def test_the_gateway_never_shows_its_token():
    gateway = HttpGateway("http://127.0.0.1:1/api", TOKEN)
    assert TOKEN not in repr(gateway) and TOKEN not in str(vars(gateway).get("api_url"))


def test_an_error_page_is_shown_on_one_short_line(collection, api):
    """A proxy's HTML page (or a body with line breaks that would forge lines in the
    cron log) is one line of at most 300 characters, its token scrubbed."""
    order, case, _ = hand_over(collection)
    api.mode = "proxy"
    api.proxy_page = (
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        "<h1>Bad Gateway</h1>\n2026-12-07 09:00:00 INFO windykacja: case 1 sent\x1b[0m\n"
        f"token {TOKEN}\n" + "x" * 5000 + "\n</body></html>\n")
    finish_order(collection.clock, order, HttpGateway(api.url, TOKEN, 2))
    error = fresh(case).send_error
    assert "HTTP 502: 502 Bad Gateway Bad Gateway 2026-12-07 09:00:00 INFO windykacja: " in error
    assert not any(ch in error for ch in "\r\n\x1b<>")
    assert TOKEN not in error and "token ***" in error
    assert error.endswith("…") and len(error) < 400
