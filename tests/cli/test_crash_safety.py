"""Kill ``run-once`` with SIGKILL at random points and restart it: no step is ever
delivered twice, and none is lost (each is delivered, or left in doubt for a person).

Every day each of the documents gets a new demand (repeat every day, ten at most), so
there is always a pass in progress to kill: while planning, between "sending" and
"sent", mid-transaction. After a kill the test lets the lease lapse (as two minutes
of waiting would) and starts the next process.
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import random
import subprocess
import sys
import time
from email import message_from_bytes

from windykacja.app import main
from windykacja.models import (
    Document,
    DocumentStep,
    Message,
    MessageState,
    WorkerLease,
)

CONTRACTORS = 60
FIRST_DAY = dt.date(2026, 11, 23)
KILLS_WANTED = 20


def cli(db_path, *args):
    assert main(["--db", str(db_path), *args]) == 0, args


def prepare(db_path, tmp_path, smtp_port):
    cli(db_path, "settings", "set", "module.enabled=yes", "sender.email=w@firma.pl",
        "schedule.weekdays=mon,tue,wed,thu,fri,sat,sun", "schedule.skip_holidays=no",
        "demand.repeat_every_days=1", "demand.max_count=10", "reminder.enabled=no",
        f"smtp.url=smtp://127.0.0.1:{smtp_port}")
    contractors = ["code;name;email"] + [
        f"K{i};Klient {i};k{i}@example.pl" for i in range(CONTRACTORS)
    ]
    documents = ["number;contractor_code;issue_date;due_date;gross"] + [
        f"FV/{i};K{i};2026-10-01;2026-10-15;100.00" for i in range(CONTRACTORS)
    ]
    for kind, lines in (("contractors", contractors), ("documents", documents)):
        path = tmp_path / f"{kind}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        cli(db_path, "import", kind, str(path))
    return db_path


def start_pass(db_path, day):
    return subprocess.Popen(
        [sys.executable, "-m", "windykacja", "--db", str(db_path), "run-once",
         "--today", day.isoformat()],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy(),
    )


def test_killed_passes_neither_repeat_nor_lose_a_step(db_location, tmp_path, smtp_server):
    smtp_server.delay = 0.04  # a slow server keeps each pass open long enough to be killed
    db_path = prepare(db_location("crash.db"), tmp_path, smtp_server.port)
    rng = random.Random(20261123)
    kills, day = 0, FIRST_DAY
    while kills < KILLS_WANTED:
        assert day < FIRST_DAY + dt.timedelta(days=40), f"only {kills} kills landed"
        for _ in range(3):  # up to three kills a day, then a pass that runs to the end
            process = start_pass(db_path, day)
            time.sleep(rng.uniform(0.2, 1.6))
            if process.poll() is None:
                process.kill()
                kills += 1
            process.wait()
            WorkerLease.update(expires_at=dt.datetime(2000, 1, 1)).execute()  # lapse
        assert start_pass(db_path, day).wait(timeout=120) == 0
        day += dt.timedelta(days=1)
    last_day = day - dt.timedelta(days=1)

    received = collections.Counter(
        message_from_bytes(m.content)["Message-ID"] for m in smtp_server.messages
    )
    assert max(received.values()) == 1, "a message reached the server twice"
    messages = {m.message_id: m for m in Message.select()}
    assert set(received) <= set(messages)
    for message in messages.values():
        assert message.state in (MessageState.SENT, MessageState.IN_DOUBT), message.state
        if message.state == MessageState.SENT:
            assert received[message.message_id] == 1, "a sent message never arrived"

    # Never lost: until a document's message is left in doubt (it then waits for a
    # person), it got exactly one demand a day, numbered 1, 2, 3 …
    for i in range(CONTRACTORS):
        steps = list(
            DocumentStep.select(DocumentStep, Message)
            .join(Message)
            .switch(DocumentStep)
            .join(Document)
            .where(Document.number == f"FV/{i}")
            .order_by(DocumentStep.number)
        )
        assert [s.number for s in steps] == list(range(1, len(steps) + 1))
        doubt = [s.number for s in steps if s.message.state == MessageState.IN_DOUBT]
        if doubt:
            assert doubt == [steps[-1].number], "a document went on after a doubtful step"
        else:
            days = (last_day - FIRST_DAY).days + 1
            assert len(steps) == min(days, 10), (i, [s.planned_for for s in steps])
