"""Reading the collection mailbox (importers/mail_source.py): IMAP against the real Dovecot
of tests/imap_test_server.py, and a Maildir on disk.

The IMAP tests skip, with the reason, where Dovecot is not installed (.ci/imap.sh)."""

from __future__ import annotations

import os
import re
import socket

import pytest
from imap_test_server import DovecotServer, DovecotUnavailable
from smtp_test_server import silent_server

from windykacja.importers import mail_source
from windykacja.importers.mail_source import (
    FetchedMail,
    ImapMailbox,
    MailboxError,
    MaildirBox,
)
from windykacja.ledger.imap_url import PASSWORD_ENV, parse_imap_url

WRONG = "Zle-Haslo-Xq7"


def message(number: int, body: bytes = b"") -> bytes:
    return (
        f"From: Dluznik {number} <d{number}@dluznik.pl>\r\n"
        "To: windykacja@naszafirma.pl\r\n"
        f"Subject: Re: Wezwanie {number}\r\n"
        f"Message-ID: <odp-{number}@dluznik.pl>\r\n"
        "\r\n"
    ).encode() + (body or f"Odpowiedz numer {number}.\r\n".encode())


def config(box, url: str | None = None, password: str | None = None, **options):
    """The mailbox's URL (imaps with its certificate unless another is given), the
    password coming from the environment as the worker gets it."""
    if url is None:
        options.setdefault("cafile", box.cafile)
    query = "&".join(f"{k}={v}" for k, v in options.items())
    text = (url or box.imaps_url) + (f"?{query}" if query else "")
    return parse_imap_url(text, environ={PASSWORD_ENV: box.password if password is None
                                         else password})


def flags(box, uid: int, folder: str = "INBOX") -> bytes:
    with box.connect() as connection:
        connection.select(folder, readonly=True)
        typ, data = connection.uid("FETCH", str(uid), "(FLAGS)")
    return data[0]


def uids_in(box, folder: str = "INBOX") -> list[int]:
    with box.connect() as connection:
        typ, _ = connection.select(folder, readonly=True)
        if typ != "OK":
            return []
        typ, data = connection.uid("SEARCH", "ALL")
    return [int(n) for n in data[0].split()]


# --- connecting and logging in --------------------------------------------------------


def test_imaps_with_the_servers_certificate_logs_in_and_selects(imap_mailbox):
    uid = imap_mailbox.append(message(1))
    with ImapMailbox(config(imap_mailbox)) as box:
        state = box.select()
        assert state.exists == 1 and state.uidnext == uid + 1 and state.uidvalidity > 0
        [mail] = list(box.new_messages(0))
    assert mail == FetchedMail(f"imap:{state.uidvalidity}:{uid}", uid, message(1),
                               len(message(1)), False)


def test_plain_and_starttls_on_the_plain_port(imap_mailbox):
    imap_mailbox.append(message(1))
    for url in (imap_mailbox.url, f"{imap_mailbox.url}?starttls=1&cafile={imap_mailbox.cafile}"):
        settings = config(imap_mailbox, url=url)
        assert settings.security == ("starttls" if "starttls" in url else "none")
        with ImapMailbox(settings) as box:
            assert [m.raw for m in box.new_messages(0)] == [message(1)]


def test_a_wrong_password_is_a_login_error_that_does_not_show_it(imap_mailbox):
    with pytest.raises(MailboxError) as caught, ImapMailbox(
            config(imap_mailbox, password=WRONG)):
        pass
    assert caught.value.code == "login"
    assert "AUTHENTICATIONFAILED" in str(caught.value)
    assert imap_mailbox.user in str(caught.value) and WRONG not in str(caught.value)


def test_no_password_anywhere_is_said_before_connecting(imap_mailbox):
    settings = parse_imap_url(imap_mailbox.imaps_url, environ={})
    with pytest.raises(MailboxError, match=rf"no password .*{PASSWORD_ENV}") as caught:
        ImapMailbox(settings).open()
    assert caught.value.code == "setup"


def test_an_untrusted_certificate_is_a_setup_error(imap_mailbox):
    settings = parse_imap_url(imap_mailbox.imaps_url, environ={PASSWORD_ENV: "x"})
    with pytest.raises(MailboxError, match="certificate .* not trusted.*cafile=") as caught:
        ImapMailbox(settings).open()
    assert caught.value.code == "setup"


def test_a_polish_password_logs_in_with_authenticate_plain():
    try:
        server = DovecotServer(password="hasło-zażółć").start()
    except DovecotUnavailable as reason:
        pytest.skip(str(reason))
    try:
        mailbox = server.mailbox()
        mailbox.append(message(1))
        with ImapMailbox(config(mailbox)) as box:
            assert len(list(box.new_messages(0))) == 1
    finally:
        server.stop()


def test_nothing_listening_and_a_silent_server():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    refused = parse_imap_url(f"imap://u@127.0.0.1:{port}/INBOX", environ={PASSWORD_ENV: "x"})
    with pytest.raises(MailboxError, match="refused the connection") as caught:
        ImapMailbox(refused).open()
    assert caught.value.code == "unavailable"

    with silent_server() as port:
        silent = parse_imap_url(f"imap://u@127.0.0.1:{port}/INBOX?timeout=1",
                                environ={PASSWORD_ENV: "x"})
        with pytest.raises(MailboxError, match="did not answer within 1 seconds") as caught:
            ImapMailbox(silent).open()
    assert caught.value.code == "timeout"


def test_a_missing_folder_is_a_folder_error(imap_mailbox):
    url = imap_mailbox.imaps_url.replace("/INBOX", "/Nie%20ma%20takiego")
    settings = config(imap_mailbox, url=url, cafile=imap_mailbox.cafile)
    with ImapMailbox(settings) as box, pytest.raises(
            MailboxError, match="folder Nie ma takiego cannot be opened") as caught:
        box.select()
    assert caught.value.code == "folder"


# --- reading new mail -----------------------------------------------------------------


def test_new_messages_after_a_uid_and_the_n_star_trap(imap_mailbox):
    uids = imap_mailbox.append_many([message(n) for n in range(1, 4)])
    with ImapMailbox(config(imap_mailbox)) as box:
        state = box.select()
        assert [m.uid for m in box.new_messages(0)] == uids
        assert [m.raw for m in box.new_messages(uids[0])] == [message(2), message(3)]
        # UID n:* names the last message even when nothing is above n: none comes back.
        assert list(box.new_messages(uids[-1])) == []
        assert list(box.new_messages(uids[-1] + 50)) == []
        later = imap_mailbox.append(message(4))  # arrives during the session
        assert [m.key for m in box.new_messages(uids[-1])] == [
            f"imap:{state.uidvalidity}:{later}"]


def test_reading_leaves_messages_unread_and_the_folder_unchanged(imap_mailbox):
    uid = imap_mailbox.append(message(1))
    with ImapMailbox(config(imap_mailbox)) as box:
        assert len(list(box.new_messages(0))) == 1  # EXAMINE: nothing can change
    assert b"\\Seen" not in flags(imap_mailbox, uid)
    with ImapMailbox(config(imap_mailbox)) as box:
        box.select(readonly=False)  # as when moving: BODY.PEEK keeps it unread
        assert len(list(box.new_messages(0, max_bytes=10))) == 1  # the cut one too
        assert len(list(box.new_messages(0))) == 1
    assert b"\\Seen" not in flags(imap_mailbox, uid)
    assert uids_in(imap_mailbox) == [uid]


def test_a_new_uidvalidity_is_reported_in_the_state_and_the_keys(imap_mailbox):
    imap_mailbox.append(message(1))
    with ImapMailbox(config(imap_mailbox)) as box:
        before = box.select().uidvalidity
    imap_mailbox.set_uidvalidity(before + 1000)
    with ImapMailbox(config(imap_mailbox)) as box:
        assert box.select().uidvalidity == before + 1000
        [mail] = box.new_messages(0)
    assert mail.key.startswith(f"imap:{before + 1000}:")


def test_250_messages_come_in_batches_in_uid_order(imap_mailbox):
    raws = [message(n) for n in range(250)]
    uids = imap_mailbox.append_many(raws)
    with ImapMailbox(config(imap_mailbox)) as box:
        got = list(box.new_messages(0, batch=100))
        # Groups are also cut at max_bytes: here about three messages a fetch.
        grouped = list(box.new_messages(0, batch=7, max_bytes=3 * len(raws[0])))
    assert [m.uid for m in got] == uids == [m.uid for m in grouped]
    assert [m.raw for m in got] == raws == [m.raw for m in grouped]
    assert not any(m.truncated for m in got + grouped)


def test_a_big_folder_is_searched_in_windows_of_uids(imap_mailbox, monkeypatch):
    """Above SEARCH_WINDOW messages a folder is searched a window of UIDs at a time (one
    SEARCH answer for 140,000 UIDs is a line imaplib refuses); here the window is 7."""
    monkeypatch.setattr(mail_source, "SEARCH_WINDOW", 7)
    uids = imap_mailbox.append_many([message(n) for n in range(30)])
    with ImapMailbox(config(imap_mailbox)) as box:
        box.select()
        assert box.move_processed(uids[12], "Przetworzone") == 13  # windows 1–7, 8–13
    gaps = uids[13:]
    with ImapMailbox(config(imap_mailbox)) as box:
        assert box.select().exists == 17
        assert [m.uid for m in box.new_messages(0, batch=4)] == gaps
        assert [m.uid for m in box.new_messages(uids[20])] == uids[21:]
        assert list(box.new_messages(uids[-1])) == []
        later = imap_mailbox.append(message(99))  # past UIDNEXT: the last search n:*
        assert [m.uid for m in box.new_messages(uids[25])] == [*uids[26:], later]
        assert box.move_processed(uids[25], "Przetworzone") == 13


def test_the_server_gone_mid_iteration_is_a_mailbox_error(imap_mailbox):
    imap_mailbox.append_many([message(n) for n in range(150)])
    box = ImapMailbox(config(imap_mailbox))
    with pytest.raises(MailboxError) as caught, box:
        mails = box.new_messages(0, batch=100)
        first = [next(mails) for _ in range(100)]  # the first batch, all of it
        assert imap_mailbox.disconnect_clients() == 1
        next(mails)  # the second batch is fetched only now: the connection is gone
    assert caught.value.code == "unavailable"
    assert "connection" in str(caught.value) and imap_mailbox.password not in str(caught.value)
    assert len(first) == 100
    with pytest.raises(MailboxError, match="closed"):
        box.select()  # the session is over; a new one is needed


def test_a_message_over_max_bytes_comes_truncated_with_its_full_size(imap_mailbox):
    body = b"".join(b"%05d linia zalacznika\r\n" % n for n in range(400))  # 9.6 kB
    big = message(2, body)
    uids = imap_mailbox.append_many([message(1), big, message(3)])
    with ImapMailbox(config(imap_mailbox)) as box:
        got = list(box.new_messages(0, max_bytes=1000))
    assert [m.uid for m in got] == uids
    assert [m.truncated for m in got] == [False, True, False]
    cut = got[1]
    header = big[:big.index(b"\r\n\r\n") + 4]
    assert cut.size == len(big) and cut.raw == header + body[:1000]
    assert b"\\Seen" not in flags(imap_mailbox, uids[1])


# --- moving what was processed --------------------------------------------------------


def test_move_processed_moves_up_to_the_uid_and_is_idempotent(imap_mailbox):
    uids = imap_mailbox.append_many([message(n) for n in range(1, 5)])
    with ImapMailbox(config(imap_mailbox)) as box:
        box.select()
        assert len(list(box.new_messages(0))) == 4
        assert box.move_processed(uids[1], "Przetworzone") == 2
        assert box.move_processed(uids[1], "Przetworzone") == 0  # already done
        assert [m.uid for m in box.new_messages(0)] == uids[2:]
    assert uids_in(imap_mailbox) == uids[2:]
    assert len(uids_in(imap_mailbox, "Przetworzone")) == 2
    with ImapMailbox(config(imap_mailbox)) as box:  # a crash before the move: next time
        assert box.move_processed(uids[2], "Przetworzone") == 1
    assert uids_in(imap_mailbox) == uids[3:]
    moved = uids_in(imap_mailbox, "Przetworzone")
    assert all(b"\\Seen" not in flags(imap_mailbox, uid, "Przetworzone") for uid in moved)


def test_move_processed_refuses_the_folder_being_read_and_a_renumbered_folder(imap_mailbox):
    uid = imap_mailbox.append(message(1))
    with ImapMailbox(config(imap_mailbox)) as box:
        state = box.select()
        with pytest.raises(MailboxError, match="folder being read") as caught:
            box.move_processed(uid, "inbox")
        assert caught.value.code == "setup"
        with pytest.raises(MailboxError, match="renumbered") as caught:
            box.move_processed(uid, "Przetworzone", uidvalidity=state.uidvalidity + 1)
        assert caught.value.code == "folder"
    assert uids_in(imap_mailbox) == [uid]


def test_without_move_copy_and_uid_expunge_only_those(dovecot_without_move):
    mailbox = dovecot_without_move.mailbox()
    uids = mailbox.append_many([message(n) for n in range(1, 4)])
    # A message a person deleted (not yet expunged) below the processed UID: a plain
    # EXPUNGE would remove it; UID EXPUNGE of what we copied leaves it.
    theirs = mailbox.append(message(9), flags="\\Deleted")
    later = mailbox.append(message(10))
    with ImapMailbox(config(mailbox)) as box:
        box.select()
        assert box.move_processed(theirs, "Przetworzone") == 3
        assert box.move_processed(theirs, "Przetworzone") == 0
    assert uids_in(mailbox) == [theirs, later]
    assert len(uids_in(mailbox, "Przetworzone")) == 3
    assert b"\\Deleted" in flags(mailbox, theirs)
    assert uids == sorted(uids) and theirs > uids[-1]


# --- Maildir --------------------------------------------------------------------------


def maildir(tmp_path, name="Maildir"):
    root = tmp_path / name
    for part in ("new", "cur", "tmp"):
        (root / part).mkdir(parents=True)
    return root


def deliver(root, name: str, raw: bytes, mtime: int) -> None:
    (root / "new" / name).write_bytes(raw)
    os.utime(root / "new" / name, (mtime, mtime))


def test_not_a_maildir(tmp_path):
    (tmp_path / "half" / "new").mkdir(parents=True)
    with pytest.raises(MailboxError, match=r"half is not a Maildir: it has no cur/, tmp/"
                       ) as caught:
        MaildirBox(tmp_path / "half")
    assert caught.value.code == "folder"
    with pytest.raises(MailboxError, match="not a Maildir"):
        MaildirBox(tmp_path / "missing")


def test_maildir_gives_new_mail_oldest_first_and_marks_it_seen_in_cur(tmp_path):
    root = maildir(tmp_path)
    deliver(root, "1700000300.M2P1.host", message(3), 1_700_000_300)
    deliver(root, "1700000100.M9P1.host", message(1), 1_700_000_100)
    deliver(root, "1700000200.M1P1.host:2,F", message(2), 1_700_000_200)  # flagged
    deliver(root, "1700000200.M0P1.host", message(20), 1_700_000_200)  # same time: by name
    (root / "new" / ".hidden").write_bytes(b"not mail")
    (root / "cur" / "1600000000.M1P1.host:2,S").write_bytes(message(0))  # read before
    box = MaildirBox(root)
    got = list(box.new_messages())
    assert [m.raw for m in got] == [message(1), message(20), message(2), message(3)]
    assert got[2] == FetchedMail("maildir:1700000200.M1P1.host", None, message(2),
                                 len(message(2)), False)

    for mail in got[:3]:
        box.mark_processed(mail)
    box.mark_processed(got[0])  # again: already moved, nothing to do
    assert sorted(os.listdir(root / "cur")) == [
        "1600000000.M1P1.host:2,S", "1700000100.M9P1.host:2,S",
        "1700000200.M0P1.host:2,S", "1700000200.M1P1.host:2,FS"]
    assert sorted(os.listdir(root / "new")) == [".hidden", "1700000300.M2P1.host"]
    assert [m.key for m in MaildirBox(root).new_messages()] == ["maildir:1700000300.M2P1.host"]

    # A new reader (after a restart) still finds the file by its key; a vanished one is fine.
    MaildirBox(root).mark_processed(got[3])
    (root / "cur" / "1700000300.M2P1.host:2,S").unlink()
    MaildirBox(root).mark_processed(got[3])
    assert sorted(os.listdir(root / "new")) == [".hidden"]


def test_maildir_truncates_a_big_message_and_keeps_its_header(tmp_path):
    root = maildir(tmp_path)
    body = b"x" * 5000 + b"\n"
    unix = message(1).split(b"\r\n\r\n")[0].replace(b"\r\n", b"\n") + b"\n\n"
    deliver(root, "1.big", unix + body, 1)
    deliver(root, "2.no-blank-line", b"Subject: " + b"y" * 3000, 2)
    deliver(root, "3.small", message(3), 3)
    big, headless, small = MaildirBox(root).new_messages(max_bytes=1000)
    assert big.truncated and big.size == len(unix) + len(body)
    assert big.raw == unix + body[:1000]
    assert headless.truncated and headless.raw == b"Subject: " + b"y" * 991
    assert not small.truncated and small.raw == message(3)


def test_maildir_passes_over_a_file_taken_by_someone_else(tmp_path):
    root = maildir(tmp_path)
    deliver(root, "1.first", message(1), 1)
    deliver(root, "2.second", message(2), 2)
    mails = MaildirBox(root).new_messages()
    assert next(mails).raw == message(1)
    (root / "new" / "2.second").rename(root / "cur" / "2.second:2,S")
    assert list(mails) == []


def test_a_fetched_mail_key_names_no_file_path(tmp_path):
    root = maildir(tmp_path)
    deliver(root, "1.first:2,", message(1), 1)
    [mail] = MaildirBox(root).new_messages()
    assert re.fullmatch(r"maildir:1\.first", mail.key)
