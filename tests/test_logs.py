"""Logs go to a rotating file in the log folder, and no secret ever reaches them."""

from __future__ import annotations

import logging
import logging.handlers
import os
import subprocess
import sys
import time

import pytest

from windykacja import logs
from windykacja.app import main
from windykacja.ledger.settings import save_settings
from windykacja.logs import (
    INTERFACE_LOG,
    LOG_DIR_ENV,
    WORKER_LOG,
    SecretFilter,
    configured_secrets,
    setup_logging,
)

SMTP_PASSWORD = "Tajne#Hasło-2026"
SMTP_URL = "smtp://jan%40firma.pl:Tajne%23Has%C5%82o-2026@smtp.firma.pl:587?starttls=1"
TOKEN = "tok-8f2d1c0b9a7e6d5c4b3a"
log = logging.getLogger("windykacja.test")


@pytest.fixture
def log_folder(tmp_path, monkeypatch):
    folder = tmp_path / "logs"
    monkeypatch.setenv(LOG_DIR_ENV, str(folder))
    yield folder
    root = logging.getLogger()
    for handler in logs._installed:  # leave no handler writing into tmp_path
        root.removeHandler(handler)
        handler.close()
    logs._installed.clear()


@pytest.fixture
def secrets_configured(db, clock):
    save_settings({"smtp.url": SMTP_URL, "recovery.api_token": TOKEN}, "test", clock.now())


def test_neither_the_smtp_password_nor_the_token_reaches_the_log(
    log_folder, secrets_configured, capsys
):
    path = setup_logging(INTERFACE_LOG)
    assert path == log_folder / INTERFACE_LOG
    log.warning("connecting to %s with the token %s", SMTP_URL, TOKEN)
    log.warning("the server refused the password %s", SMTP_PASSWORD)  # not inside a URL
    log.info("Authorization: Bearer %s", "another-token-seen-in-a-reply")
    try:
        raise ConnectionError(f"cannot reach {SMTP_URL} (token {TOKEN})")
    except ConnectionError:
        log.exception("the pass failed")
    written = path.read_text(encoding="utf-8")
    shown = capsys.readouterr().err
    for text in (written, shown):
        assert "Tajne" not in text and "Has%C5%82o" not in text and TOKEN not in text
    assert "smtp://jan%40firma.pl:***@smtp.firma.pl:587" in written
    assert "the server refused the password ***" in written
    assert "Bearer ***" in written and "another-token" not in written
    assert "ConnectionError: cannot reach smtp://jan%40firma.pl:***@" in written  # traceback
    assert written.count(" WARNING windykacja.test[") == 2


def test_a_secret_set_while_the_program_runs_is_masked_too(db, clock, log_folder):
    masking = SecretFilter(source=configured_secrets, refresh_seconds=0)
    assert masking.mask(f"token {TOKEN}") == f"token {TOKEN}"  # not configured yet
    save_settings({"recovery.api_token": TOKEN}, "test", clock.now())
    record = logging.LogRecord("windykacja.test", logging.ERROR, __file__, 1,
                               "the agency answered 401 for %s", (TOKEN,), None)
    assert masking.filter(record)
    assert record.getMessage() == "the agency answered 401 for ***"


def test_secrets_from_the_environment_and_the_database_url_are_masked(db, monkeypatch):
    monkeypatch.setenv("WINDYKACJA_SMTP_PASSWORD", "haslo-ze-srodowiska")
    monkeypatch.setenv("WINDYKACJA_AGENCY_TOKEN", "token-ze-srodowiska")
    monkeypatch.setenv("WINDYKACJA_KSEF_TOKEN", "20261207-EC-ksef-token-firmy")
    masking = SecretFilter(["db-pass"], source=configured_secrets)
    masking.refresh()
    text = masking.mask("haslo-ze-srodowiska token-ze-srodowiska db-pass "
                        "postgresql://windykacja:db-pass@baza:5432/firma "
                        "20261207-EC-ksef-token-firmy")
    assert text == "*** *** *** postgresql://windykacja:***@baza:5432/firma ***"


def test_the_ksef_token_from_its_file_is_masked(db, clock, tmp_path, monkeypatch):
    monkeypatch.delenv("WINDYKACJA_KSEF_TOKEN", raising=False)
    token_file = tmp_path / "ksef-token"
    token_file.write_text("20261207-EC-z-pliku\n", encoding="utf-8")
    token_file.chmod(0o600)
    save_settings({"ksef.token_file": str(token_file)}, "test", clock.now())
    masking = SecretFilter(source=configured_secrets)
    masking.refresh()
    assert masking.mask("token 20261207-EC-z-pliku") == "token ***"


def test_the_file_rotates_and_keeps_five_old_ones(log_folder, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = setup_logging(INTERFACE_LOG, stderr_level=None)
    (handler,) = [h for h in logging.getLogger().handlers
                  if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert handler.backupCount == 5
    for number in range(300):
        log.info("line %d of a long day", number)
    assert sorted(p.name for p in log_folder.iterdir()) == [
        INTERFACE_LOG, *(f"{INTERFACE_LOG}.{n}" for n in range(1, 6))]
    assert all(p.stat().st_size <= 2_000 for p in log_folder.iterdir())
    assert "line 299 of a long day" in path.read_text(encoding="utf-8")


def test_an_unwritable_folder_does_not_stop_the_program(tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv(LOG_DIR_ENV, str(blocked / "logs"))
    try:
        assert setup_logging(INTERFACE_LOG) is None
        log.warning("still said")
        assert capsys.readouterr().err == "still said\n"
    finally:
        for handler in logs._installed:
            logging.getLogger().removeHandler(handler)
        logs._installed.clear()


def test_a_command_logs_to_the_shared_file(log_folder, db_location, capsys):
    assert main(["--db", db_location(), "settings", "show"]) == 0
    log.warning("a warning while a command runs")
    log.info("an info line of ours")
    logging.getLogger("some.library").info("a library's chatter")
    logging.getLogger("some.library").warning("a library's warning")
    written = (log_folder / INTERFACE_LOG).read_text()
    assert "a warning while a command runs" in written and "an info line of ours" in written
    assert "a library's warning" in written and "chatter" not in written
    assert capsys.readouterr().err == "a warning while a command runs\na library's warning\n"


def test_the_worker_logs_to_its_own_file_and_to_stderr(tmp_path, db_location):
    location = db_location()
    environment = {**os.environ, LOG_DIR_ENV: str(tmp_path / "logs")}
    worker = subprocess.Popen(
        [sys.executable, "-m", "windykacja", "--db", location, "worker", "--poll", "0.1"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    path = tmp_path / "logs" / WORKER_LOG
    try:
        deadline = time.monotonic() + 30
        # The migrations of the new database are logged first; wait for the worker itself
        # (its signal handlers are in place once it says it started).
        while time.monotonic() < deadline and not (
                path.exists() and "worker started for " in path.read_text()):
            time.sleep(0.1)
    finally:
        worker.terminate()
        _, stderr = worker.communicate(timeout=30)
    assert worker.returncode == 0, stderr
    written = path.read_text(encoding="utf-8")
    assert " INFO windykacja.worker[" in written and "worker started for " in written
    assert "worker started for " in stderr and "worker stopped" in stderr
    assert not (tmp_path / "logs" / INTERFACE_LOG).exists()


def test_the_imap_password_is_masked_from_the_url_and_the_environment(db, clock,
                                                                      monkeypatch):
    monkeypatch.setenv("WINDYKACJA_IMAP_PASSWORD", "imap-ze-srodowiska")
    save_settings({"imap.url": "imaps://windykacja%40firma.pl:Skrzynka%2Fhaslo@poczta.firma.pl"
                               "/INBOX"}, "test", clock.now())
    masking = SecretFilter(source=configured_secrets)
    masking.refresh()
    assert masking.mask("imap-ze-srodowiska Skrzynka/haslo Skrzynka%2Fhaslo") == "*** *** ***"
