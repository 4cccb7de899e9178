"""The real ksef-client library against the local KSeF stand-in, over HTTP.

Nothing of the client is replaced: these tests check that the stand-in answers the
calls the KSeF sync will make the way the ministry's ``open-api.json`` describes them
(docs/ksef-sync.md), so the sync's own tests can trust it: token authentication, a page
of metadata, the paging and date-range rules, a download, 429 with Retry-After, and an
expired or refused token.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from ksef_client import KsefClient, KsefClientOptions
from ksef_client import models as m
from ksef_client.exceptions import KsefApiError, KsefRateLimitError
from ksef_client.services import AuthCoordinator, AuthResult
from ksef_standin import KsefStandIn, crc8

from windykacja.importers.ksef_xml import read_invoice

SUBJECT1 = m.InvoiceQuerySubjectType.SUBJECT1


@pytest.fixture
def ksef():
    with KsefStandIn() as standin:
        yield standin


@pytest.fixture
def client(ksef):
    with KsefClient(KsefClientOptions(base_url=ksef.url, timeout_seconds=10)) as api:
        yield api


def authenticate(client: KsefClient, ksef: KsefStandIn, token: str | None = None,
                 nip: str | None = None) -> AuthResult:
    certificate = client.security.get_public_key_certificate_pem(
        m.PublicKeyCertificateUsage.KSEFTOKENENCRYPTION)
    return AuthCoordinator(client.auth).authenticate_with_ksef_token(
        token=token or ksef.token, public_certificate=certificate,
        context_identifier_type="nip", context_identifier_value=nip or ksef.nip,
        poll_interval_seconds=0, max_attempts=5)


def since(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def filters(start: str, *, restrict: bool = True, end: str | None = None,
            date_type: str = "PermanentStorage") -> m.InvoiceQueryFilters:
    date_range: dict[str, object] = {"dateType": date_type, "from": start,
                                     "restrictToPermanentStorageHwmDate": restrict}
    if end:
        date_range["to"] = end
    return m.InvoiceQueryFilters.from_dict({"subjectType": "Subject1",
                                            "dateRange": date_range})


def query(client, token, start, *, offset=0, size=10, **more):
    return client.invoices.query_invoice_metadata(
        filters(start, **more), access_token=token, page_offset=offset, page_size=size,
        sort_order="Asc")


def test_token_authentication_a_page_of_metadata_and_a_download(ksef, client, tmp_path):
    added = ksef.add_invoices(25, form="mixed")
    start = since(added[0].stored - timedelta(seconds=1))

    auth = authenticate(client, ksef)
    page = query(client, auth.access_token, start)

    assert [i.ksef_number for i in page.invoices] == [i.ksef_number for i in added[:10]]
    assert page.has_more and not page.is_truncated
    assert page.permanent_storage_hwm_date
    first = page.invoices[0]
    assert first.seller.nip == ksef.nip and first.invoice_number == added[0].number
    # The sync must not take amounts from here (JSON doubles), yet they agree with the XML.
    assert str(first.gross_amount) == str(added[0].gross)

    content = client.invoices.get_invoice_bytes(first.ksef_number,
                                                access_token=auth.access_token)
    assert content.sha256_base64 == base64.b64encode(
        hashlib.sha256(content.content).digest()).decode() == first.invoice_hash
    # What KSeF hands out is what the project's importer reads, FA(2) and FA(3) alike.
    for invoice in added[:2]:
        xml = client.invoices.get_invoice_bytes(invoice.ksef_number,
                                                access_token=auth.access_token).content
        path = tmp_path / f"{invoice.ksef_number}.xml"
        path.write_bytes(xml)
        read = read_invoice(path)
        assert (read.number, read.buyer.nip, read.gross) == \
            (invoice.number, invoice.buyer_nip, invoice.gross)
    assert {i.form for i in added[:2]} == {"FA2", "FA3"}


def test_ksef_numbers_are_well_formed(ksef):
    number = ksef.add_invoices(1)[0].ksef_number
    body, check = number[:32], number[-2:]
    assert len(number) == 35 and number.startswith(ksef.nip + "-")
    assert f"{crc8(body.encode()):02X}" == check


def test_status_is_polled_until_the_authentication_ends(ksef, client):
    ksef.pending_polls = 2
    auth = authenticate(client, ksef)
    assert auth.access_token
    statuses = [r for r in ksef.requests if r.method == "GET" and r.path.startswith("/auth/2")]
    assert len(statuses) == 3  # 100, 100, then 200


def test_tokens_are_redeemed_once(ksef, client):
    auth = authenticate(client, ksef)
    with pytest.raises(KsefApiError) as refused:
        client.auth.redeem_token(auth.authentication_token)
    assert refused.value.status_code == 400
    assert "21301" in str(refused.value.response_body)


def test_paging_then_narrowing_after_truncation_reads_every_invoice_once(ksef, client):
    """The endpoint's own rule: hasMore and not isTruncated → next page; isTruncated →
    from = the last record's permanentStorageDate, pageOffset 0; not hasMore → done."""
    ksef.result_limit = 25
    added = ksef.add_invoices(60)
    token = authenticate(client, ksef).access_token
    start, offset, seen, queries = since(added[0].stored - timedelta(seconds=1)), 0, [], 0
    while True:
        page = query(client, token, start, offset=offset)
        queries += 1
        seen.extend(i.ksef_number for i in page.invoices)
        if not page.has_more:
            break
        if page.is_truncated:
            start, offset = page.invoices[-1].permanent_storage_date, 0
        else:
            offset += 1
    assert sorted(set(seen)) == sorted(i.ksef_number for i in added)
    assert len(seen) > len(set(seen))  # the boundary invoice came again: deduplicate
    assert queries > 6  # it did narrow (60 records cannot come in 6 pages of 10 under 25)


def test_high_water_mark_caps_the_window_and_nothing_new_is_21183(ksef, client):
    added = ksef.add_invoices(12)
    ksef.hwm = added[7].stored  # the last four are not yet certain
    token = authenticate(client, ksef).access_token
    page = query(client, token, since(added[0].stored - timedelta(seconds=1)), size=20)
    assert [i.ksef_number for i in page.invoices] == [i.ksef_number for i in added[:8]]
    assert datetime.fromisoformat(page.permanent_storage_hwm_date) == added[7].stored
    without_cap = query(client, token, since(added[0].stored - timedelta(seconds=1)),
                        size=20, restrict=False)
    assert len(without_cap.invoices) == 12
    with pytest.raises(KsefApiError) as nothing_yet:
        query(client, token, since(added[7].stored + timedelta(seconds=1)))
    assert "21183" in str(nothing_yet.value.response_body)


def test_page_size_and_the_three_month_range_are_enforced(ksef, client):
    token = authenticate(client, ksef).access_token
    now = datetime.now(UTC)
    with pytest.raises(KsefApiError) as too_long:
        query(client, token, since(now - timedelta(days=95)), end=since(now))
    assert "21405" in str(too_long.value.response_body)
    response = client.http_client.request(
        "POST", "/invoices/query/metadata", params={"pageSize": 5},
        json=filters(since(now)).to_dict(), access_token=token, expected_status={400})
    assert b"21405" in response.content


def test_429_carries_retry_after_and_the_endpoint_stays_blocked_until_then(ksef, client):
    number = ksef.add_invoices(1)[0].ksef_number
    token = authenticate(client, ksef).access_token
    ksef.throttle("/invoices/ksef/", retry_after=30)

    with pytest.raises(KsefRateLimitError) as first:
        client.invoices.get_invoice_bytes(number, access_token=token)
    assert first.value.status_code == 429 and first.value.retry_after == 30
    ksef.advance(10)
    with pytest.raises(KsefRateLimitError) as too_soon:  # retrying early does not help
        client.invoices.get_invoice_bytes(number, access_token=token)
    assert too_soon.value.retry_after == 20
    # Other endpoints are counted apart.
    assert query(client, token, since(datetime.now(UTC) - timedelta(days=1))).invoices
    ksef.advance(20)  # waited as told
    assert client.invoices.get_invoice_bytes(number, access_token=token).content


def test_an_expired_access_token_is_refused_and_the_refresh_token_renews_it(ksef, client):
    start = since(ksef.add_invoices(3)[0].stored - timedelta(seconds=1))
    auth = authenticate(client, ksef)
    ksef.advance(16 * 60)  # access tokens live 15 minutes

    with pytest.raises(KsefApiError) as expired:
        query(client, auth.access_token, start)
    assert expired.value.status_code == 401
    assert isinstance(expired.value.problem, m.UnauthorizedProblemDetails)

    renewed = client.auth.refresh_access_token(auth.refresh_token).access_token.token
    assert len(query(client, renewed, start).invoices) == 3

    ksef.advance(8 * 24 * 3600)  # refresh tokens live 7 days: authenticate again
    with pytest.raises(KsefApiError) as too_late:
        client.auth.refresh_access_token(auth.refresh_token)
    assert too_late.value.status_code == 401
    assert authenticate(client, ksef).access_token


@pytest.mark.parametrize("case, code, detail", [
    ("wrong token", 450, "Nieprawidłowy token"),
    ("revoked token", 450, "Token unieważniony"),
    ("another company's NIP", 415, "Brak przypisanych uprawnień"),
    ("no permission at all", 415, "Brak przypisanych uprawnień"),
])
def test_a_refused_ksef_token_ends_the_authentication_with_its_status(
        ksef, client, case, code, detail):
    token, nip = None, None
    if case == "wrong token":
        token = "not-the-token"
    elif case == "revoked token":
        ksef.token_revoked = True
    elif case == "another company's NIP":
        nip = "7722744156"
    else:
        ksef.permissions = set()
    with pytest.raises(RuntimeError) as refused:
        authenticate(client, ksef, token=token, nip=nip)
    assert f"Authentication failed: {code}" in str(refused.value)
    assert detail in str(refused.value)


def test_a_token_without_invoice_read_is_forbidden(ksef, client):
    number = ksef.add_invoices(1)[0].ksef_number
    ksef.permissions = {"InvoiceWrite"}
    token = authenticate(client, ksef).access_token
    with pytest.raises(KsefApiError) as forbidden:
        client.invoices.get_invoice_bytes(number, access_token=token)
    assert forbidden.value.status_code == 403
    assert forbidden.value.problem.reason_code == "missing-permissions"


def test_an_unknown_ksef_number_is_21164(ksef, client):
    token = authenticate(client, ksef).access_token
    missing = ksef.add_invoices(1)[0].ksef_number
    del ksef.by_number[missing]
    with pytest.raises(KsefApiError) as unknown:
        client.invoices.get_invoice_bytes(missing, access_token=token)
    assert "21164" in str(unknown.value.response_body)
