"""How fast the KSeF sync takes 10,000 invoices from the KSeF stand-in, and how much
memory it needs (issue 14; goal: under 10 ms per invoice beyond the server's own time,
under 200 MB).

The stand-in (``tests/ksef_standin.py``, a real HTTP server on 127.0.0.1) runs in this
process with N invoices (default 10,000, FA(2) and FA(3) alternately, for N/10 buyers,
one a minute); each measure runs in a fresh child process, so that the stand-in's own
memory is not counted (the peak is the child's ``VmHWM``, its imports included):

* **download only**: ksef-client alone, as the sync calls it — the token authentication,
  the metadata query (``PermanentStorage``, pages of 250, oldest first) and every
  invoice's download, the XML kept for nothing: the floor of any sync through this
  client against this server;
* **sync**: ``sync_ksef`` on a fresh SQLite file (``ksef.environment`` the stand-in's
  address, the token in ``$WINDYKACJA_KSEF_TOKEN``): everything above, plus reading
  each XML and storing the documents, contractors, events and ``ksef_invoice`` rows in
  batches of 100 with the checkpoint.

The **server's time** is measured inside the stand-in: every request's handling (reading
it, answering it, writing the answer) is timed in its handler thread and summed. The sync
waits for each answer, so its time beyond the server's is its wall time minus that sum.
The sync's own steps are timed by wrapping them in the child (download = the client's
request including the server's time, read XML, the batch's transaction and, inside it,
the KSeF importer's part).

Usage: ``python benchmarks/bench_ksef_sync.py [--invoices N] [--runs R] [--profile]
[--smoke]``. ``--profile`` adds a run of the sync under cProfile and prints where its time
goes; ``--smoke`` is 100 invoices and one run of each measure (seconds, the same tables).
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))
from bench_pass import machine_line  # noqa: E402
from process_probe import peak_rss_mib, time_steps  # noqa: E402

TOKEN_ENV = "WINDYKACJA_KSEF_TOKEN"
PAGE_SIZE = 250
PROFILED = ("ksef_fetch.py", "ksef.py", "ksef_xml.py", "http.py")


class Phases:
    """Time spent in some of the sync's own steps, found by name in ksef_fetch (a step
    renamed there is simply not reported)."""

    STEPS = (("download", "_Run", "_download"), ("read XML", None, "_read"),
             ("store (transaction)", "_Run", "_commit"),
             ("of which the KSeF importer", "InvoiceStore", "store"))

    def __init__(self) -> None:
        import windykacja.importers.ksef_fetch as fetch

        self.seconds: dict[str, float] = {}
        time_steps(((name, getattr(fetch, owner) if owner else fetch, attribute)
                    for name, owner, attribute in self.STEPS), self.seconds)


# --- the children ------------------------------------------------------------------------


def child_download(url: str, nip: str, since: str) -> dict:
    """Authenticate, list and download every invoice with ksef-client, storing nothing."""
    from ksef_client import KsefClient, KsefClientOptions
    from ksef_client import models as m
    from ksef_client.services import AuthCoordinator

    imported = peak_rss_mib()
    started = time.perf_counter()
    count = size = 0
    with KsefClient(KsefClientOptions(base_url=url, timeout_seconds=30)) as client:
        certificate = client.security.get_public_key_certificate_pem(
            m.PublicKeyCertificateUsage.KSEFTOKENENCRYPTION)
        access = AuthCoordinator(client.auth).authenticate_with_ksef_token(
            token=os.environ[TOKEN_ENV], public_certificate=certificate,
            context_identifier_type="nip", context_identifier_value=nip,
            poll_interval_seconds=0, max_attempts=5).access_token
        filters = m.InvoiceQueryFilters.from_dict({"subjectType": "Subject1", "dateRange": {
            "dateType": "PermanentStorage", "from": since,
            "restrictToPermanentStorageHwmDate": True}})
        page = 0
        while True:
            found = client.invoices.query_invoice_metadata(
                filters, access_token=access, page_offset=page, page_size=PAGE_SIZE,
                sort_order="Asc")
            for invoice in found.invoices:
                size += len(client.invoices.get_invoice_bytes(
                    invoice.ksef_number, access_token=access).content)
                count += 1
            if not found.has_more:
                break
            page += 1
    return {"seconds": time.perf_counter() - started, "invoices": count, "bytes": size,
            "imported_mib": imported, "peak_mib": peak_rss_mib(), "phases": {}}


def child_sync(db: str, profile: bool) -> dict:
    from windykacja.importers.ksef_sync import sync_ksef
    from windykacja.ledger.clock import SystemClock
    from windykacja.ledger.settings import load_settings
    from windykacja.models.db import open_database

    open_database(db)
    settings = load_settings()
    import windykacja.importers.ksef_fetch  # noqa: F401  (as a run imports it: not timed)

    phases = Phases()
    imported = peak_rss_mib()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    result = sync_ksef(SystemClock(), settings)
    seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        print_profile(profiler)
    return {"seconds": seconds, "created": result.created, "refused": len(result.refused),
            "failure": str(result.failure or ""), "detail": result.detail,
            "imported_mib": imported, "peak_mib": peak_rss_mib(), "phases": phases.seconds}


def print_profile(profiler) -> None:
    import pstats

    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


# --- the parent --------------------------------------------------------------------------


class ServerTimer:
    """Sums the time the stand-in's handler threads spend on each request."""

    def __init__(self, standin) -> None:
        self.seconds = 0.0
        self.requests = 0
        self.lock = threading.Lock()
        handler = standin.server.RequestHandlerClass
        serve = handler._serve
        timer = self

        def timed(handler_self, method: str) -> None:
            started = time.perf_counter()
            try:
                serve(handler_self, method)
            finally:
                with timer.lock:
                    timer.seconds += time.perf_counter() - started
                    timer.requests += 1

        handler._serve = timed

    def reset(self) -> None:
        with self.lock:
            self.seconds, self.requests = 0.0, 0


def run_child(*args: str, env: dict[str, str]) -> dict:
    """The child's report (its own times and memory)."""
    child = subprocess.run([sys.executable, __file__, *args], stdout=subprocess.PIPE,
                           env=env, text=True)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{child.stdout}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def fresh_database(folder: Path, url: str, nip: str, since: dt.date) -> str:
    from windykacja.ledger.settings import save_settings
    from windykacja.models import database
    from windykacja.models.db import open_database

    path = folder / f"sync-{time.monotonic_ns()}.db"
    open_database(str(path))
    save_settings({"module.enabled": "yes", "company.nip": nip, "ksef.environment": url,
                   "ksef.since": since.isoformat()}, "bench", dt.datetime.now(dt.UTC))
    database.close()
    return str(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invoices", type=int, help="invoices (default 10,000; smoke 100)")
    parser.add_argument("--runs", type=int, help="runs of each measure (default 2; smoke 1)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--smoke", action="store_true",
                        help="100 invoices, one run of each measure: seconds, the tables")
    parser.add_argument("--child-download", nargs=3, metavar=("URL", "NIP", "SINCE"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--child-sync", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_download:
        print(json.dumps(child_download(*args.child_download)))
        return 0
    if args.child_sync:
        print(json.dumps(child_sync(args.child_sync, args.child_profile)))
        return 0
    if args.invoices is None:
        args.invoices = 100 if args.smoke else 10_000
    if args.runs is None:
        args.runs = 1 if args.smoke else 2

    from ksef_standin import SELLER_NIP, KsefStandIn

    with KsefStandIn() as ksef, tempfile.TemporaryDirectory(prefix="bench-ksef-sync-") as tmp:
        started = time.perf_counter()
        ksef.add_invoices(args.invoices, form="mixed", buyers=max(1, args.invoices // 10))
        made = time.perf_counter() - started
        first = min(invoice.stored for invoice in ksef.invoices)
        since = (first - dt.timedelta(days=1)).date()
        env = dict(os.environ, **{TOKEN_ENV: ksef.token})
        timer = ServerTimer(ksef)
        rows: list[tuple[str, dict, float, int]] = []  # (measure, report, server s, requests)
        for _ in range(args.runs):
            timer.reset()
            report = run_child("--child-download", ksef.url, SELLER_NIP,
                               f"{since.isoformat()}T00:00:00Z", env=env)
            rows.append(("download only", report, timer.seconds, timer.requests))
            timer.reset()
            db = fresh_database(Path(tmp), ksef.url, SELLER_NIP, since)
            report = run_child("--child-sync", db, env=env)
            if report["failure"] or report["created"] != args.invoices:
                raise SystemExit(f"the sync did not take every invoice: {report}")
            rows.append(("sync", report, timer.seconds, timer.requests))
            os.remove(db)
        if args.profile:
            db = fresh_database(Path(tmp), ksef.url, SELLER_NIP, since)
            print("cProfile of one sync (stderr):", file=sys.stderr)
            run_child("--child-sync", db, "--child-profile", env=env)

    n = args.invoices
    print(f"Machine: {machine_line()} (machine clock)")
    print(f"{n:,} invoices in the stand-in (made in {made:.1f} s), {n // 10:,} buyers; "
          f"{args.runs} run(s) of each measure, each in a fresh process.\n")
    print("| run | seconds | server's time | requests | per invoice | per invoice beyond "
          "the server | peak RSS (after imports) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, report, server, requests in rows:
        seconds = report["seconds"]
        print(f"| {name} | {seconds:.1f} | {server:.1f} | {requests:,} | "
              f"{seconds / n * 1000:.2f} ms | {(seconds - server) / n * 1000:.2f} ms | "
              f"{report['peak_mib']:.0f} MiB ({report['imported_mib']:.0f} MiB) |")
    syncs = [r for r in rows if r[0] == "sync"]
    floors = [r for r in rows if r[0] == "download only"]
    print("\nWhere the sync's time goes (ms per invoice, each run; the steps overlap as "
          "named):\n")
    steps = list(syncs[0][1]["phases"])
    print("| step | " + " | ".join(f"run {i + 1}" for i in range(len(syncs))) + " |")
    print("| --- |" + " ---: |" * len(syncs))
    print("| the server's own time | " + " | ".join(
        f"{server / n * 1000:.2f}" for _, _, server, _ in syncs) + " |")
    for step in steps:
        print(f"| {step} | " + " | ".join(
            f"{report['phases'][step] / n * 1000:.2f}" for _, report, _, _ in syncs) + " |")
    beyond_server = statistics.median((r[1]["seconds"] - r[2]) / n * 1000 for r in syncs)
    beyond_floor = statistics.median(
        (s[1]["seconds"] - f[1]["seconds"]) / n * 1000 for s, f in zip(syncs, floors,
                                                                      strict=True))
    peak = max(r[1]["peak_mib"] for r in syncs)
    print(f"\nThe sync beyond the server's own time: {beyond_server:.2f} ms per invoice "
          f"(median; goal under 10 ms); beyond the download-only run: {beyond_floor:.2f} ms. "
          f"Peak RSS of the syncing process: {peak:.0f} MiB (goal under 200 MB).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
