"""How fast the collection mailbox is read: fetching, classifying and storing 10,000
incoming messages with ``fetch_inbox``, from a Maildir and from a real IMAP server
(Dovecot, over imaps), and how much memory it takes (issue 15; goal: under 5 ms per
message and under 150 MB).

Set-up (not measured): a database from ``windykacja.demo.build_demo`` (300 contractors,
3,000 documents, seven weeks of passes) and today's pass on 2026-12-07 written to a
Maildir outbox (``tests/pass_runner.py``), so that our reminders and demands exist to be
answered. Then a corpus of N messages (default 10,000) in the proportions of a
collection mailbox, written one at a time to a spool folder and let go of:

* 70 % written by people, in Polish (plain UTF-8, ISO-8859-2 quoted-printable, HTML
  with a text part, HTML only, some quoting our demand): 40 % answer one of our
  messages (``In-Reply-To``, sometimes ``References`` too), 20 % come from a
  contractor's address without naming our message, 10 % from strangers;
* 15 % automatic replies (the four samples of ``tests/inbox/data``, sender and
  referenced message changed to ours);
* 10 % bounces and 5 % delay reports of our messages (the five bounce and two delay
  samples of ``tests/inbox/data``: Postfix, Exim, Exim legacy, Gmail, Microsoft 365 —
  the returned Message-ID and the failed address changed to one of ours);
* ``--pdfs`` of the human replies (default 20 at 10,000) carry a PDF of 1–5 MB.

Every message has a Message-ID of its own. Each measure runs in a fresh child process
on a fresh copy of the database, ``--runs`` times:

* **parse + classify**: ``read_mail`` over each message's bytes, read from the spool one
  file at a time (the reading timed apart) — no database, no mailbox;
* **Maildir**: ``fetch_inbox`` with ``inbox.maildir`` a fresh Maildir whose ``new/``
  holds the corpus (hard links to the spool);
* **IMAP**: ``fetch_inbox`` with ``imap.url`` an ``imaps://`` folder on a throw-away
  Dovecot (``tests/imap_test_server.py``; ``?cafile=`` its certificate), a fresh user
  whose INBOX was filled (``drop_into_maildir``) and indexed by a SELECT beforehand.
  Skipped, with the reason printed, where Dovecot is not installed or will not start.

Times are wall-clock for the whole call (reading the mailbox, parsing, matching,
storing in batches of 50 with their checkpoints, moving Maildir files to ``cur/``,
settling promises); inside it ``read_mail``, ``store_mail``, the batch's transaction and
the Maildir move are timed by wrapping them in the child. The child's CPU time is given
too: for IMAP the rest is waiting for Dovecot, whose own CPU (its master and the
processes it reaped, from ``/proc``) is shown. Memory is the child's RSS high-water
mark, ``VmHWM`` (not ``ru_maxrss``, which Linux carries over fork and exec), once after
the set-up (imports, database open, settings read: the baseline) and at the end; the
corpus is never held in memory in a measured process. ``--tracemalloc`` adds an untimed
Maildir run with tracemalloc on (the peak of Python's own allocations during the fetch).

Usage: ``python benchmarks/bench_inbox.py [--messages N] [--runs R] [--smoke]
[--profile maildir|imap|parse] [--tracemalloc]``. ``--smoke`` is 200 messages on a smaller
database, in seconds. ``--profile`` adds one more run of that measure under cProfile
(stderr). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from email.message import EmailMessage
from email.policy import SMTPUTF8
from email.utils import format_datetime, make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))
from bench_pass import machine_line  # noqa: E402
from process_probe import peak_rss_mib, rss_mib, time_steps  # noqa: E402

TODAY = dt.date(2026, 12, 7)
SAMPLES = ROOT / "tests" / "inbox" / "data"
PASSWORD_ENV = "WINDYKACJA_IMAP_PASSWORD"
GOAL_MS = 5.0
GOAL_MB = 150.0

# The shares of the corpus (of all messages).
SHARES = (("reply to our message", 0.40), ("reply by sender", 0.20), ("reply, stranger", 0.10),
          ("auto-reply", 0.15), ("bounce", 0.10), ("delay", 0.05))


def sqlite_heap_peak_mib() -> float | None:
    """SQLite's own heap high-water mark (its page caches, mostly), through ctypes."""
    import ctypes
    import ctypes.util

    try:  # the library the sqlite3 module is linked against (already loaded)
        lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
        lib.sqlite3_memory_highwater.restype = ctypes.c_int64
        return float(lib.sqlite3_memory_highwater(0)) / 2**20
    except (OSError, AttributeError):
        return None


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- the database --------------------------------------------------------------------------


def build_database(path: Path, outbox: Path, contractors: int, documents: int) -> dict:
    """The demo's collection and today's pass; what the corpus needs to answer it."""
    from pass_runner import run_one_pass

    from windykacja.demo import build_demo
    from windykacja.ledger.clock import FixedClock
    from windykacja.models import (
        Contractor,
        Message,
        MessageKind,
        MessageState,
        database,
        split_emails,
    )
    from windykacja.models.db import open_database

    open_database(str(path))
    clock = FixedClock(TODAY)
    build_demo(clock, contractors=contractors, documents=documents)
    run_one_pass(clock, outbox, TODAY)
    ours = [(m.message_id, split_emails(m.recipients))
            for m in Message.select().where(
                Message.kind.in_([MessageKind.REMINDER, MessageKind.DEMAND])
                & (Message.state == MessageState.SENT)
                & (Message.pass_date >= TODAY - dt.timedelta(days=21)))]
    addresses = [a for c in Contractor.select() for a in split_emails(c.emails)]
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return {"ours": [(mid, rcpt) for mid, rcpt in ours if rcpt], "addresses": addresses}


# --- the corpus ----------------------------------------------------------------------------

NAMES = ("Małgorzata Wójcik", "Łukasz Żmuda", "Krzysztof Bąk", "Agnieszka Ślęzak",
         "Grażyna Kołodziej", "Paweł Jędrzejczak", "Zofia Michalak", "Jerzy Dąbrowski",
         "Elżbieta Szczęsna", "Tomasz Wróbel")
SUBJECTS = ("Re: Wezwanie do zapłaty", "Re: Przypomnienie o terminie płatności",
            "Odp: Wezwanie do zapłaty — faktury", "Re: Przypomnienie", "Płatność za fakturę",
            "Pytanie o fakturę", "Reklamacja dostawy", "Potwierdzenie przelewu")
BODIES = (
    "Dzień dobry,\n\nfaktura została opłacona w piątek przelewem z konta firmowego. "
    "Proszę sprawdzić wpływ i potwierdzić.\n\nPozdrawiam serdecznie\n{name}\n",
    "Dzień dobry,\n\nzapłacimy do {date}. Prosimy o wyrozumiałość — czekamy na płatność "
    "od naszego kontrahenta, który spóźnia się z zapłatą już dwa tygodnie.\n\n"
    "Z poważaniem\n{name}\n",
    "Witam,\n\nnie zgadzamy się z naliczoną kwotą: część towaru dotarła uszkodzona, "
    "reklamację złożyliśmy {date} (protokół szkody w załączeniu do poprzedniej "
    "wiadomości). Proszę wstrzymać wezwania do czasu jej rozpatrzenia.\n\n{name}\n",
    "Dzień dobry,\nproszę o przesłanie kopii faktury — nie dotarła do nas ani pocztą, "
    "ani przez KSeF. Księgowość nie może jej zaksięgować.\nDziękuję, {name}\n",
    "Szanowni Państwo,\n\nw nawiązaniu do wezwania informuję, że zapłata nastąpi w dwóch "
    "ratach: połowa do {date}, reszta do końca miesiąca. Czy takie rozwiązanie jest "
    "możliwe?\n\nŁączę pozdrowienia\n{name}\n",
    "Dzień dobry, proszę o kontakt telefoniczny w sprawie należności. {name}\n",
)
QUOTED = (
    "\n\nW dniu {date} Windykacja <windykacja@przykladowa-firma.pl> napisał(a):\n"
    + "> Szanowni Państwo,\n>\n> na dzień dzisiejszy nie odnotowaliśmy wpłaty należności "
      "wynikającej z\n> faktur wymienionych poniżej. Uprzejmie prosimy o niezwłoczną "
      "zapłatę\n> zaległej kwoty na rachunek bankowy wskazany na fakturze.\n>\n"
    + "".join(f"> FV/2026/11/{n:04d}  termin 14.11.2026  do zapłaty {n * 37 % 9000 + 120},"
              f"00 PLN\n" for n in range(100, 130))
    + ">\n> Z poważaniem\n> Dział rozliczeń\n> Przykładowa Firma sp. z o.o.\n"
)


def _pdf(size: int, rng: random.Random) -> bytes:
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    return head + rng.randbytes(size) + b"\n%%EOF\n"


def human_reply(rng: random.Random, sender: str, in_reply_to: str, pdf_size: int) -> bytes:
    name = rng.choice(NAMES)
    date = (TODAY + dt.timedelta(days=rng.randint(1, 20))).strftime("%d.%m.%Y")
    body = rng.choice(BODIES).format(name=name, date=date)
    if in_reply_to and rng.random() < 0.5:
        body += QUOTED.format(date="30.11.2026")
    message = EmailMessage()
    message["From"] = f"{name} <{sender}>"
    message["To"] = "windykacja@przykladowa-firma.pl"
    message["Subject"] = rng.choice(SUBJECTS)
    sent = dt.datetime(2026, 12, rng.randint(1, 7), rng.randint(7, 17), rng.randint(0, 59),
                       tzinfo=dt.UTC)
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = make_msgid(domain=sender.partition("@")[2] or "debtor.pl")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        if rng.random() < 0.5:
            message["References"] = f"<{uuid.uuid4().hex}@przykladowa-firma.pl> {in_reply_to}"
    shape = rng.random()
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in body.split("\n")) + \
        "</body></html>"
    if shape < 0.45:
        message.set_content(body)
    elif shape < 0.65:
        message.set_content(body.replace("—", "-"), charset="iso-8859-2",
                            cte="quoted-printable")
    elif shape < 0.9:
        message.set_content(body)
        message.add_alternative(html, subtype="html")
    else:
        message.set_content(html, subtype="html")
    if pdf_size:
        message.add_attachment(_pdf(pdf_size, rng), maintype="application", subtype="pdf",
                               filename="potwierdzenie przelewu.pdf")
    try:
        return message.as_bytes()
    except UnicodeEncodeError:  # an address that is not ASCII: sent as SMTPUTF8 mail is
        return message.as_bytes(policy=SMTPUTF8)


class Samples:
    """The auto-reply, bounce and delay samples of tests/inbox/data, each with what in it
    is to be replaced: its own Message-ID, the message it is about, the address."""

    def __init__(self) -> None:
        from windykacja.importers.incoming_mail import read_mail

        self.auto, self.bounce, self.delay = [], [], []
        for path in sorted(SAMPLES.glob("*.eml")):
            raw = path.read_bytes()
            mail = read_mail(raw)
            about = (mail.original_message_ids or mail.in_reply_to or ("",))[0]
            entry = {"name": path.stem, "raw": raw, "own": mail.message_id, "about": about,
                     "address": mail.failures[0].address if mail.failures
                     else mail.from_address}
            {"auto": self.auto, "bounce": self.bounce, "delay": self.delay}.get(
                path.stem.split("-")[0], []).append(entry)

    @staticmethod
    def fill(entry: dict, own: str, about: str, address: str) -> bytes:
        raw = entry["raw"].replace(entry["own"].encode(), own.encode())
        if entry["about"] and about:
            raw = raw.replace(entry["about"].encode(), about.encode())
        return raw.replace(entry["address"].encode(), address.encode())


def corpus(n: int, pdfs: int, known: dict, seed: int = 15):
    """(label, raw bytes) for n messages, one at a time."""
    rng = random.Random(seed)
    labels = [label for label, share in SHARES for _ in range(round(n * share))]
    labels = (labels + ["reply to our message"] * n)[:n]
    rng.shuffle(labels)
    replies = [i for i, label in enumerate(labels) if label.startswith("reply")]
    with_pdf = set(replies[:: max(1, len(replies) // pdfs)][:pdfs]) if pdfs else set()
    samples = Samples()
    ours, addresses = known["ours"], known["addresses"]
    for i, label in enumerate(labels):
        message_id, recipients = rng.choice(ours)
        own = f"<{uuid.uuid4().hex}@{rng.choice(('mx.example.pl', 'poczta.example.com'))}>"
        if label == "reply to our message":
            raw = human_reply(rng, rng.choice(recipients), message_id,
                              rng.randint(1, 5) * 2**20 if i in with_pdf else 0)
        elif label == "reply by sender":
            address = rng.choice(addresses)
            if rng.random() < 0.2:
                address = address.upper()
            raw = human_reply(rng, address, "", rng.randint(1, 5) * 2**20 if i in with_pdf
                              else 0)
        elif label == "reply, stranger":
            raw = human_reply(rng, f"kontakt{rng.randint(1, 10**6)}@nieznana-firma.pl", "",
                              rng.randint(1, 5) * 2**20 if i in with_pdf else 0)
        else:
            entry = rng.choice({"auto-reply": samples.auto, "bounce": samples.bounce,
                                "delay": samples.delay}[label])
            raw = Samples.fill(entry, own, message_id, rng.choice(recipients))
        yield label, raw


def write_spool(spool: Path, n: int, pdfs: int, known: dict) -> dict:
    """The corpus written to ``spool`` one file at a time (a Maildir's ``new/`` names,
    oldest first); what it holds."""
    spool.mkdir(parents=True)
    labels: Counter[str] = Counter()
    size = 0
    stamp = int(time.time())
    for i, (label, raw) in enumerate(corpus(n, pdfs, known)):
        (spool / f"{stamp}.M{i:06d}P{os.getpid()}.bench").write_bytes(raw)
        labels[label] += 1
        size += len(raw)
        del raw
    return {"labels": dict(labels), "bytes": size}


def check_samples(known: dict) -> list[str]:
    """Each sample, filled in, still reads as what it is and names our message."""
    from windykacja.importers.incoming_mail import read_mail

    problems = []
    message_id, recipients = known["ours"][0]
    for kind, entries in (("auto_reply", Samples().auto), ("bounce", Samples().bounce),
                          ("delay", Samples().delay)):
        for entry in entries:
            mail = read_mail(Samples.fill(entry, "<x1@example.pl>", message_id, recipients[0]))
            named = message_id in (*mail.original_message_ids, *mail.in_reply_to)
            failed = [f.address for f in mail.failures]
            if mail.kind != kind or mail.message_id != "<x1@example.pl>" or (
                    entry["about"] and not named) or (kind != "auto_reply"
                                                      and recipients[0] not in failed):
                problems.append(f"{entry['name']}: {mail.kind}, {mail.message_id}, "
                                f"named={named}, failed={failed}")
    return problems


# --- the children --------------------------------------------------------------------------


class Phases:
    """Time spent in parts of ``fetch_inbox``, found by name (a part renamed is simply
    not reported)."""

    STEPS = (("read_mail (parse + classify)", "inbox", None, "read_mail"),
             ("store_mail (match + store + effects)", "inbox", None, "store_mail"),
             ("batch transaction (parse + store + checkpoint)", "inbox", None,
              "_store_batch"),
             ("Maildir: move new/ → cur/", "mail_source", "MaildirBox", "mark_processed"),
             ("settle promises", "inbox", None, "settle_promises"))

    def __init__(self) -> None:
        import windykacja.importers.inbox as inbox
        import windykacja.importers.mail_source as mail_source

        modules = {"inbox": inbox, "mail_source": mail_source}
        self.seconds: dict[str, float] = {}
        self.batches: list[tuple[float, float, int]] = []  # (RSS after, VmHWM, the bytes)
        time_steps(((name, getattr(modules[module], owner) if owner else modules[module],
                     attribute) for name, module, owner, attribute in self.STEPS),
                   self.seconds, self._after)

    def _after(self, original, args, kwargs) -> None:
        if original.__name__ == "_store_batch":
            self.batches.append((rss_mib(), peak_rss_mib(),
                                 sum(len(getattr(m, "raw", b"")) for a in args
                                     if isinstance(a, list) for m in a)))


def child_parse(spool: str, profile: bool) -> dict:
    from windykacja.importers.incoming_mail import read_mail

    names = sorted(os.listdir(spool))
    imported = peak_rss_mib()
    kinds: Counter[str] = Counter()
    reading = parsing = 0.0
    profiler = _profiler(profile)
    cpu = cpu_seconds()
    started = time.perf_counter()
    for name in names:
        t0 = time.perf_counter()
        with open(os.path.join(spool, name), "rb") as file:
            raw = file.read()
        t1 = time.perf_counter()
        kinds[read_mail(raw).kind] += 1
        parsing += time.perf_counter() - t1
        reading += t1 - t0
        del raw
    seconds = time.perf_counter() - started
    _print_profile(profiler)
    return {"seconds": seconds, "cpu": cpu_seconds() - cpu, "messages": len(names),
            "phases": {"reading the files": reading, "read_mail (parse + classify)": parsing},
            "kinds": dict(kinds), "imported_mib": imported, "peak_mib": peak_rss_mib()}


def child_fetch(db: str, profile: bool, trace: bool) -> dict:
    from windykacja.importers.inbox import fetch_inbox
    from windykacja.ledger.clock import FixedClock
    from windykacja.ledger.settings import load_settings
    from windykacja.models import InboxMessage, database
    from windykacja.models.db import open_database

    open_database(db)
    settings = load_settings()
    InboxMessage.select().count()
    phases = Phases()
    clock = FixedClock(TODAY, dt.time(10, 0))
    imported = peak_rss_mib()
    profiler = _profiler(profile)
    if trace:
        import tracemalloc

        tracemalloc.start()
    cpu = cpu_seconds()
    started = time.perf_counter()
    results = fetch_inbox(clock, settings)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    traced = None
    if trace:
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    _print_profile(profiler)
    peak = peak_rss_mib()
    sqlite_peak = sqlite_heap_peak_mib()
    [result] = results
    stored = Counter(f"{row.kind} / {row.matched_by or 'unmatched'}"
                     for row in InboxMessage.select(InboxMessage.kind, InboxMessage.matched_by))
    report = {"seconds": seconds, "cpu": cpu, "messages": len(result.stored),
              "failure": result.failure or "", "detail": result.detail,
              "skipped": result.skipped, "waiting": result.waiting,
              "undelivered": sum(1 for s in result.stored if s.undelivered),
              "stored": dict(stored), "phases": phases.seconds, "imported_mib": imported,
              "peak_mib": peak, "traced_mib": traced, "sqlite_mib": sqlite_peak,
              "batches": phases.batches}
    database.close()
    report["db_mib"] = os.path.getsize(db) / 2**20
    return report


def _profiler(profile: bool):
    if not profile:
        return None
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    return profiler


def _print_profile(profiler) -> None:
    if profiler is None:
        return
    import pstats

    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


# --- the parent ----------------------------------------------------------------------------


def run_child(*args: str, env: dict[str, str] | None = None) -> dict:
    child = subprocess.run([sys.executable, __file__, *args], stdout=subprocess.PIPE,
                           env=env, text=True)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{child.stdout}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def fresh_database(template: Path, folder: Path, settings: dict[str, str]) -> Path:
    from windykacja.ledger.settings import save_settings
    from windykacja.models import database
    from windykacja.models.db import open_database

    path = folder / f"run-{time.monotonic_ns()}.db"
    shutil.copyfile(template, path)
    open_database(str(path))
    save_settings(settings, "bench", dt.datetime.now(dt.UTC))
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


def fresh_maildir(spool: Path, folder: Path) -> Path:
    box = folder / f"Maildir-{time.monotonic_ns()}"
    for part in ("new", "cur", "tmp"):
        (box / part).mkdir(parents=True)
    for name in sorted(os.listdir(spool)):
        os.link(spool / name, box / "new" / name)
    return box


def spool_raws(spool: Path):
    for name in sorted(os.listdir(spool)):
        yield (spool / name).read_bytes()


def dovecot_cpu(server) -> float:
    """CPU seconds of Dovecot's master and the processes it has reaped (its IMAP
    sessions, once they have logged out)."""
    process = getattr(server, "_process", None)
    if process is None:
        return 0.0
    try:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def fill_imap(server, spool: Path) -> tuple[object, float]:
    """A fresh user whose INBOX holds the corpus, already indexed by Dovecot."""
    box = server.mailbox()
    started = time.perf_counter()
    box.drop_into_maildir(spool_raws(spool))
    with box.connect() as connection:
        typ, data = connection.select("INBOX", readonly=True)
        if typ != "OK":
            raise SystemExit(f"SELECT INBOX failed: {data!r}")
    return box, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1, help="runs of each measure")
    parser.add_argument("--smoke", action="store_true",
                        help="200 messages on a smaller database: seconds, the same table")
    parser.add_argument("--pdfs", type=int, help="replies with a 1-5 MB PDF "
                        "(default: 20 per 10,000 messages, at least 1)")
    parser.add_argument("--contractors", type=int, help="demo size (default 300; smoke 30)")
    parser.add_argument("--profile", choices=("maildir", "imap", "parse"))
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--child-parse", metavar="SPOOL", help=argparse.SUPPRESS)
    parser.add_argument("--child-fetch", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_parse:
        print(json.dumps(child_parse(args.child_parse, args.child_profile)))
        return 0
    if args.child_fetch:
        print(json.dumps(child_fetch(args.child_fetch, args.child_profile, args.child_trace)))
        return 0
    sys.stdout.reconfigure(line_buffering=True)

    n = 200 if args.smoke and args.messages == 10_000 else args.messages
    contractors = args.contractors or (30 if args.smoke else 300)
    pdfs = args.pdfs if args.pdfs is not None else max(1, round(20 * n / 10_000))
    with tempfile.TemporaryDirectory(prefix="bench-inbox-") as tmp_name:
        tmp = Path(tmp_name)
        started = time.perf_counter()
        template = tmp / "template.db"
        known = build_database(template, tmp / "outbox", contractors, contractors * 10)
        built = time.perf_counter() - started
        problems = check_samples(known)
        if problems:
            raise SystemExit("samples that no longer read as they should once filled in:\n"
                             + "\n".join(problems))
        started = time.perf_counter()
        spool = tmp / "spool"
        written = write_spool(spool, n, pdfs, known)
        spooled = time.perf_counter() - started
        print(f"Set-up: demo database ({contractors} contractors, {len(known['ours'])} of our "
              f"reminders and demands of the last three weeks) in {built:.1f} s; {n:,} "
              f"messages, {written['bytes'] / 2**20:.1f} MiB ({pdfs} with a PDF), written "
              f"in {spooled:.1f} s.", file=sys.stderr)

        server = None
        imap_reason = ""
        try:
            from imap_test_server import DovecotServer, DovecotUnavailable

            server = DovecotServer().start()
        except DovecotUnavailable as reason:
            imap_reason = str(reason).splitlines()[0]
        except Exception as exc:  # an IMAP part that cannot run is skipped, with why
            imap_reason = f"Dovecot did not start: {exc}"

        rows: list[tuple[str, dict]] = []
        filled: list[float] = []
        try:
            for run in range(args.runs + (1 if args.profile or args.tracemalloc else 0)):
                extra = run == args.runs
                if not extra or args.profile == "parse":
                    report = run_child("--child-parse", str(spool),
                                       *(["--child-profile"] if extra else []))
                    if not extra:
                        rows.append(("parse + classify (`read_mail`)", report))
                if not extra or args.profile == "maildir" or args.tracemalloc:
                    box = fresh_maildir(spool, tmp)
                    db = fresh_database(template, tmp, {"inbox.maildir": str(box)})
                    flags = ((["--child-profile"] if args.profile == "maildir" else [])
                             + (["--child-trace"] if args.tracemalloc else [])
                             if extra else [])
                    report = run_child("--child-fetch", str(db), *flags)
                    _check(report, n, "Maildir")
                    rows.append(("`fetch_inbox`, Maildir"
                                 + (" (tracemalloc on, not timed)" if extra else ""), report))
                    db.unlink()
                    shutil.rmtree(box)
                if server is not None and (not extra or args.profile == "imap"):
                    mailbox, seconds = fill_imap(server, spool)
                    filled.append(seconds)
                    db = fresh_database(template, tmp, {
                        "imap.url": f"{mailbox.imaps_url}?cafile={mailbox.cafile}"})
                    env = dict(os.environ, **{PASSWORD_ENV: mailbox.password})
                    before = dovecot_cpu(server)
                    report = run_child("--child-fetch", str(db),
                                       *(["--child-profile"] if extra else []), env=env)
                    time.sleep(0.5)  # the IMAP process ends after LOGOUT; its master reaps it
                    report["server_cpu"] = dovecot_cpu(server) - before
                    _check(report, n, "IMAP")
                    if not extra:
                        rows.append(("`fetch_inbox`, IMAP (imaps, Dovecot)", report))
                    db.unlink()
                    shutil.rmtree(mailbox.maildir, ignore_errors=True)
        finally:
            if server is not None:
                server.stop()

    print_report(n, pdfs, args.runs, written, rows, imap_reason, filled)
    return 0


def _check(report: dict, n: int, what: str) -> None:
    if report["failure"] or report["messages"] != n:
        raise SystemExit(f"{what}: the fetch did not store every message: {report}")


def print_report(n: int, pdfs: int, runs: int, written: dict, rows, imap_reason: str,
                 filled: list[float]) -> None:
    print(f"Machine: {machine_line()} (machine clock)")
    print(f"{n:,} messages, {written['bytes'] / 2**20:.1f} MiB, {pdfs} with a PDF of 1–5 MB: "
          + ", ".join(f"{label} {written['labels'][label]:,}" for label, _ in SHARES
                      if label in written["labels"])
          + f". {runs} run(s) of each measure, each in a fresh process.\n")
    print("| measure | seconds | per message | CPU per message | Dovecot's CPU per message "
          "| peak RSS (baseline after set-up) | growth | of which SQLite's heap (peak) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, report in rows:
        per = report["seconds"] / n * 1000
        server = report.get("server_cpu")
        traced = report.get("traced_mib")
        sqlite_heap = report.get("sqlite_mib")
        print(f"| {name} | {report['seconds']:.1f} | {per:.2f} ms | "
              f"{report['cpu'] / n * 1000:.2f} ms | "
              f"{'–' if server is None else f'{server / n * 1000:.2f} ms'} | "
              f"{report['peak_mib']:.0f} MiB ({report['imported_mib']:.0f} MiB) | "
              f"{report['peak_mib'] - report['imported_mib']:.0f} MiB"
              + (f"; tracemalloc peak {traced:.1f} MiB" if traced is not None else "")
              + f" | {'–' if sqlite_heap is None else f'{sqlite_heap:.0f} MiB'} |")
    if imap_reason:
        print(f"\nIMAP not measured: {imap_reason}")
    if filled:
        print(f"\n(Filling the IMAP folder and Dovecot's first SELECT, not measured: "
              f"{', '.join(f'{s:.1f} s' for s in filled)}.)")

    print("\nWhere the time goes (ms per message; `fetch_inbox`'s parts are nested: the batch "
          "transaction holds read_mail and store_mail):\n")
    timed = [(name, report) for name, report in rows if "not timed" not in name]
    steps = list(dict.fromkeys(step for _, report in timed for step in report["phases"]))
    print("| part | " + " | ".join(name for name, _ in timed) + " |")
    print("| --- |" + " ---: |" * len(timed))
    for step in steps:
        print(f"| {step} | " + " | ".join(
            f"{report['phases'][step] / n * 1000:.2f}" if step in report["phases"] else ""
            for _, report in timed) + " |")
    print("| the rest (reading the mailbox, the run's own bookkeeping) | " + " | ".join(
        f"{_rest(report) / n * 1000:.2f}" if "batch transaction (parse + store + checkpoint)"
        in report["phases"] else "" for _, report in timed) + " |")

    fetches = [(name, r) for name, r in rows if "fetch_inbox" in name]
    if fetches:
        name, report = fetches[0]
        print(f"\nStored ({name}): " + ", ".join(
            f"{kind} {count:,}" for kind, count in sorted(report["stored"].items()))
            + f"; {report['waiting']:,} waiting for a decision, {report['undelivered']:,} "
            f"steps undelivered, {report['skipped']} skipped; the database grew to "
            f"{report['db_mib']:.0f} MiB.")
        print("\nMemory over each fetch (VmRSS after the batches at 10 %, 50 % and 100 % "
              "of the run; the batch that raised VmHWM most, with its bytes):\n")
        for name, report in fetches:
            batches = report["batches"]
            if not batches:
                continue
            at = [batches[max(0, round(len(batches) * f) - 1)][0] for f in (0.1, 0.5, 1.0)]
            jumps = [(hwm - (batches[i - 1][1] if i else report["imported_mib"]), i, size)
                     for i, (_, hwm, size) in enumerate(batches)]
            jump, index, size = max(jumps)
            print(f"- {name}: {at[0]:.0f} / {at[1]:.0f} / {at[2]:.0f} MiB; batch "
                  f"{index + 1} of {len(batches)} ({size / 2**20:.1f} MiB of mail) raised "
                  f"the peak by {jump:.0f} MiB")
    for name, report in rows:
        if "parse" in name:
            print("read_mail's kinds: " + ", ".join(
                f"{k} {c:,}" for k, c in sorted(report["kinds"].items())) + ".")
            break
    timed_fetches = [r for name, r in fetches if "not timed" not in name]
    if timed_fetches:
        worst = max(r["seconds"] / n * 1000 for r in timed_fetches)
        peak = max(r["peak_mib"] for _, r in fetches)
        print(f"\nGoals: {worst:.2f} ms per message at worst (goal under {GOAL_MS:.0f} ms: "
              f"{'met' if worst < GOAL_MS else 'MISSED'}); peak RSS {peak:.0f} MiB = "
              f"{peak * 2**20 / 1e6:.0f} MB (goal under {GOAL_MB:.0f} MB: "
              f"{'met' if peak * 2**20 / 1e6 < GOAL_MB else 'MISSED'}).")


def _rest(report: dict) -> float:
    phases = report["phases"]
    return report["seconds"] - sum(phases.get(step, 0.0) for step in (
        "batch transaction (parse + store + checkpoint)", "Maildir: move new/ → cur/",
        "settle promises"))


if __name__ == "__main__":
    sys.exit(main())
