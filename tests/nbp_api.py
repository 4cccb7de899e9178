"""A real HTTP server on 127.0.0.1 answering like the NBP exchange-rate API.

``GET /api/exchangerates/rates/a/eur/{first}/{last}/?format=json`` answers with the rates
set for that range's month, shaped as reference §7 shows (``{"table": "A", "currency":
"euro", "code": "EUR", "rates": [{"no", "effectiveDate", "mid"}]}``), or 404 when the month
has none. ``answers`` can make a month fail instead: ``"500"``, ``"slow"`` (sleeps longer
than the client waits) or ``"garbage"``. The figures tests put here are fixtures, not NBP's.
"""

from __future__ import annotations

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RANGE = re.compile(r"^/api/exchangerates/rates/a/eur/(\d{4}-\d{2})-01/(\d{4}-\d{2}-\d{2})/")


class NbpApi:
    def __init__(self) -> None:
        self.months: dict[str, list[tuple[str, str, str]]] = {}  # month → (no, date, mid)
        self.answers: dict[str, str] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.slow_seconds = 1.0
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _send(self, code: int, body: str) -> None:
                data = body.encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                api.requests.append((self.path, dict(self.headers)))
                match = RANGE.match(self.path)
                if not match:
                    return self._send(400, "400 BadRequest - Błędny zakres dat")
                month = match.group(1)
                answer = api.answers.get(month)
                if answer == "500":
                    return self._send(500, "Internal Server Error")
                if answer == "garbage":
                    return self._send(200, "<html>maintenance</html>")
                if answer == "slow":
                    time.sleep(api.slow_seconds)
                rows = api.months.get(month)
                if not rows:
                    return self._send(404, "404 NotFound - Not Found - Brak danych")
                rates = ",".join(f'{{"no":"{no}","effectiveDate":"{day}","mid":{mid}}}'
                                 for no, day, mid in rows)
                # Numbers written as JSON numbers, as NBP does: parsing must keep them exact.
                self._send(200, '{"table":"A","currency":"euro","code":"EUR","rates":['
                           f"{rates}]}}")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/exchangerates"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> NbpApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
