"""Shared by the recovery gateway tests: a case handed over the way the screens do it,
and a real HTTP server on 127.0.0.1 playing the agency's API."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from windykacja.ledger.settings import load_settings
from windykacja.recovery import cases
from windykacja.recovery.agencies import default_agency
from windykacja.recovery.commission import commission

TODAY = dt.date(2026, 11, 23)


def agreed_order(clock):
    agency = default_agency()
    if cases.current_agreement(agency.code) is None:
        cases.conclude_agreement(clock, agency.code, agency.terms_version,
                                 person_name="Anna Nowicka", person_email="anna@firma.pl")
    return cases.open_order(clock, agency.code, author="anna")


def hand_over(collection, order=None, name="Dłużnik sp. z o.o.", numbers=("FV/1", "FV/2")):
    """One contractor's case with overdue documents, in ``order`` (a new one if None)."""
    clock = collection.clock
    order = order or agreed_order(clock)
    contractor = collection.contractor(name=name, nip="5260250274")
    documents = [
        collection.document(contractor, due=TODAY - dt.timedelta(days=40 + i * 10),
                            number=number, gross=f"{1000 + i * 234}.56")
        for i, number in enumerate(numbers)
    ]
    debtor = cases.Debtor(name, "5260250274", "ul. Długa 1, 00-001 Warszawa",
                          "dluznik@example.pl", "+48 600 100 200")
    amount = cases.case_amount(documents)
    oldest = max(cases.days_overdue(d, TODAY) for d in documents)
    agency = default_agency()
    case = cases.add_case(clock, load_settings(), order, contractor, debtor, documents,
                          commission(agency.commission, amount, oldest), author="anna")
    return order, case, documents


class AgencyApi:
    """The agency's HTTP API: records requests; ``mode`` says how it answers."""

    def __init__(self) -> None:
        self.mode = "accept"  # accept | refuse | fail | slow | no_id | proxy
        self.proxy_page = ""  # what a proxy in front of the API answers in mode "proxy"
        self.requests: list[tuple[str, str, dict, bytes]] = []
        self.statuses: dict[str, str] = {}
        self.next_id = 100
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _answer(self, code, body):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                api.requests.append(("POST", self.path, dict(self.headers), body))
                if api.mode == "slow":
                    time.sleep(1.5)
                if api.mode == "refuse":
                    return self._answer(422, {"error": "debtor NIP missing"})
                if api.mode == "fail":
                    return self._answer(503, {"error": "maintenance"})
                if api.mode == "proxy":
                    page = api.proxy_page.encode()
                    self.send_response(502)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    return self.wfile.write(page)
                if api.mode == "no_id":
                    return self._answer(200, {"ok": True})
                api.next_id += 1
                ref = f"AG-{api.next_id}"
                api.statuses[ref] = "przyjęta"
                return self._answer(201, {"id": ref})

            def do_GET(self):
                api.requests.append(("GET", self.path, dict(self.headers), b""))
                ref = self.path.rsplit("/", 1)[-1]
                if ref not in api.statuses:
                    return self._answer(404, {"error": "no such case"})
                return self._answer(200, {"status": api.statuses[ref]})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/api"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> AgencyApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
