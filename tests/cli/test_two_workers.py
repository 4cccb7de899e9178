"""Two headless workers on one database: only one of them ever sends."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

from windykacja.app import main
from windykacja.models import Message, MessageState, PassRun

CONTRACTORS = 30


def test_two_workers_share_one_lease(db_location, tmp_path, smtp_server):
    db_path = db_location("two.db")
    today = dt.datetime.now(ZoneInfo("Europe/Warsaw")).date()
    due = today - dt.timedelta(days=40)
    args = ["--db", str(db_path)]
    assert main([*args, "settings", "set", "module.enabled=yes", "sender.email=w@firma.pl",
                 "schedule.weekdays=mon,tue,wed,thu,fri,sat,sun", "schedule.skip_holidays=no",
                 "schedule.time=00:00", f"smtp.url=smtp://127.0.0.1:{smtp_server.port}"]) == 0
    contractors = ["code;name;email"] + [f"K{i};Klient {i};k{i}@example.pl"
                                         for i in range(CONTRACTORS)]
    documents = ["number;contractor_code;issue_date;due_date;gross"] + [
        f"FV/{i};K{i};{due - dt.timedelta(days=14)};{due};100.00" for i in range(CONTRACTORS)
    ]
    for kind, lines in (("contractors", contractors), ("documents", documents)):
        path = tmp_path / f"{kind}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert main([*args, "import", kind, str(path)]) == 0

    command = [sys.executable, "-m", "windykacja", *args, "worker", "--poll", "0.1"]
    workers = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for _ in range(2)]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run = PassRun.get_or_none(PassRun.pass_date == today)
            if run is not None and run.finished_at is not None:
                break
            time.sleep(0.2)
        time.sleep(1.0)  # give the other worker every chance to send as well
    finally:
        for worker in workers:
            worker.terminate()
        errors = [w.communicate(timeout=30)[1].decode() for w in workers]
    assert all(w.returncode == 0 for w in workers), errors
    assert not any("Traceback" in e for e in errors), errors  # e.g. a lease race lost

    assert Message.select().where(Message.state == MessageState.SENT).count() == CONTRACTORS
    assert len(smtp_server.messages) == CONTRACTORS
    assert smtp_server.connections == 1, "both workers connected to the mail server"
    assert PassRun.select().count() == 1
