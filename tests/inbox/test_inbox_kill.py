"""SIGKILL ``windykacja inbox fetch`` at chosen moments and start it again until a run
finishes: every incoming message is stored exactly once, its effects happen once (a
reply's timeline entries, a bounce's undelivered step), and the mailbox's checkpoint
and files end where they should (issue 15: "SIGKILL during inbox processing").

Two mailboxes: the real IMAP server (Dovecot; UIDVALIDITY + UID checkpoint, processed
messages moved to a folder after each run) and a local Maildir (files moved from new/
to cur/ after each batch's commit). Each fetch is a separate process on the test's
database (SQLite, or PostgreSQL on that run). No kill is timed by sleeping alone; each
waits for a point the database shows, in turn:

* **stored**: the k-th message row committed (between batches, or just after a commit,
  before the mailbox is told: the next run must skip those and not act twice);
* **inside**: the child inside a batch's write transaction (rolled back);
* **early**: a random moment in the first half second (login, fetch, parsing).
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import random
import subprocess
import sys
import time

import pytest
from database_switch import ON_POSTGRES
from inbox_mail import bounce_of, mail
from kill_probe import TransactionProbe, wait_for
from pass_runner import run_one_pass

from windykacja.importers.inbox import BATCH
from windykacja.ledger.settings import save_settings
from windykacja.models import (
    CollectionEvent,
    EventKind,
    InboxMessage,
    MailboxState,
    Message,
    UndeliveredStep,
    database,
)
from windykacja.models.db import open_database

KILLS = {"imap": 20, "maildir": 12}
TURNS = ("stored", "inside", "early", "stored")
RUN_LIMIT = 120.0
CONTRACTORS = 30
MESSAGES = 700
MONDAY = dt.date(2026, 11, 23)


def corpus(rng: random.Random, ours: list[Message]) -> list[bytes]:
    """Replies to our messages, bounces of some of them, strangers and auto-replies."""
    raws = []
    for n in range(MESSAGES):
        message = ours[n % len(ours)]
        address = message.recipients.splitlines()[0]
        kind = n % 8
        if kind == 0 and n < len(ours) * 2:  # a bounce of our message
            raws.append(bounce_of(message.message_id, address).replace(
                b"<20261207080007.4C1B7E0D9F@", f"<b{n}@".encode()))
        elif kind == 1:
            raws.append(mail(address, "Urlop", "Wracam 2 stycznia.",
                             in_reply_to=message.message_id, message_id=f"<a{n}@x.pl>",
                             Auto_Submitted="auto-replied"))
        elif kind == 2:
            raws.append(mail(f"obcy{n}@gdzies.pl", "Oferta", "…", message_id=f"<s{n}@x.pl>"))
        else:
            raws.append(mail(address, "Re: wezwanie", f"Odpowiedź {n}",
                             in_reply_to=message.message_id, message_id=f"<r{n}@x.pl>"))
    rng.shuffle(raws)
    return raws


def start_fetch(location: str, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "windykacja", "--db", location, "inbox",
                             "fetch"], stdout=subprocess.DEVNULL, stderr=log,
                            env=os.environ.copy())


def stored() -> int:
    return InboxMessage.select().count()


def kill_run(process: subprocess.Popen, turn: str, probe: TransactionProbe,
             rng: random.Random, total: int) -> str | None:
    """Kill at ``turn``'s point; the point it landed, or None when the run finished."""
    deadline = time.monotonic() + RUN_LIMIT
    before = stored()
    if turn == "stored":
        target = before + rng.randint(1, min(BATCH - 10, total - before))
        reached = wait_for(process, lambda: stored() >= target, deadline)
        landed = "after a commit"
    elif turn == "inside":
        reached = wait_for(process, probe.inside, deadline)
        if reached:
            time.sleep(rng.uniform(0.0, 0.05))
        landed = "in a batch's transaction"
    else:
        time.sleep(rng.uniform(0.05, 0.5))
        reached = process.poll() is None
        landed = "early"
    if not reached:
        return None
    process.kill()
    process.wait()
    wait_for(None, lambda: not probe.inside(), deadline)
    return landed


def set_up(collection, clock, tmp_path) -> list[Message]:
    for n in range(CONTRACTORS):
        contractor = collection.contractor(f"K{n}", email=f"biuro{n}@firma{n}.pl")
        collection.document(contractor, due=MONDAY - dt.timedelta(days=8 + n % 5),
                            number=f"FV/{n}")
    run_one_pass(clock, tmp_path / "outbox", MONDAY)
    return list(Message.select().order_by(Message.id))


@pytest.mark.parametrize("source", ["imap", "maildir"])
def test_killed_fetches_neither_lose_nor_repeat_a_message(source, collection, clock,
                                                          db_location, tmp_path, request,
                                                          monkeypatch):
    ours = set_up(collection, clock, tmp_path)
    rng = random.Random(20261207)
    raws = corpus(rng, ours)
    if source == "imap":
        box = request.getfixturevalue("imap_mailbox")
        box.append_many(raws)
        monkeypatch.setenv("WINDYKACJA_IMAP_PASSWORD", box.password)
        save_settings({"imap.url": f"{box.imaps_url}?cafile={box.cafile}",
                       "inbox.move_to": "Windykacja"}, "test", clock.now())
    else:
        folder = tmp_path / "Maildir"
        for part in ("new", "cur", "tmp"):
            (folder / part).mkdir(parents=True)
        for n, raw in enumerate(raws):
            (folder / "new" / f"{n:05d}.test").write_bytes(raw)
        save_settings({"inbox.maildir": str(folder)}, "test", clock.now())
    location = db_location()
    probe = TransactionProbe(location)
    kills: list[str] = []
    log_path = tmp_path / "fetch.log"
    with log_path.open("ab") as log:
        while True:
            assert len(kills) < 4 * KILLS[source], "the fetch does not progress"
            process = start_fetch(location, log)
            if len(kills) >= KILLS[source] or stored() >= len(raws):
                assert process.wait(timeout=RUN_LIMIT) == 0, log_path.read_text()
                break
            landed = kill_run(process, TURNS[len(kills) % len(TURNS)], probe, rng, len(raws))
            if landed is None:
                assert process.returncode == 0, log_path.read_text()
                break
            kills.append(landed)
    probe.close()

    print(f"\n{source}: {len(kills)} kills", collections.Counter(kills))
    assert len(kills) >= KILLS[source] - 2, f"only {len(kills)} kills landed"
    # Every message once, by its Message-ID (each in the corpus is unique).
    ids = collections.Counter(m.message_id for m in InboxMessage.select())
    assert sum(ids.values()) == len(raws) and max(ids.values()) == 1
    # Each reply's and auto-reply's timeline entry once per document it concerns.
    for kind in (EventKind.REPLY_RECEIVED, EventKind.AUTO_REPLY_RECEIVED):
        texts = collections.Counter((e.document_id, e.text) for e in CollectionEvent.select()
                                    .where(CollectionEvent.kind == kind))
        assert texts and max(texts.values()) == 1
    # Each bounced message undelivered once, its step moved once.
    steps = collections.Counter(s.message_id for s in UndeliveredStep.select())
    assert steps and max(steps.values()) == 1
    if source == "imap":
        state = MailboxState.get()
        assert state.last_uid == len(raws) and state.failure == ""
        with box.connect() as connection:
            connection.select("INBOX")
            assert connection.search(None, "ALL")[1] == [b""]  # all moved after the runs
    else:
        assert not list((folder / "new").iterdir())
        assert len(list((folder / "cur").iterdir())) == len(raws)
    if not ON_POSTGRES:
        database.close()
        check = open_database(location)
        assert check.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert check.execute_sql("PRAGMA foreign_key_check").fetchall() == []
