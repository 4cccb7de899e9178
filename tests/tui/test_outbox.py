"""Outbox screen: messages by state with the ones needing a person first, resend, mark
sent (after a question) and reading a message as it was sent."""

from __future__ import annotations

import pytest
from textual.widgets import Select

from windykacja.dunning.outbox import mark_failed, mark_in_doubt, mark_sending
from windykacja.dunning.passes import plan_day
from windykacja.ledger.actions import current_author
from windykacja.ledger.settings import load_settings
from windykacja.models import CollectionEvent, DocumentStep, EventKind, Message, MessageState
from windykacja.tui.screens.message import MessageScreen
from windykacja.tui.screens.outbox import OutboxScreen
from windykacja.tui.widgets.form import ConfirmDialog

from .conftest import settle


@pytest.fixture
def troubled(demo_db, clock):
    """Today's messages planned; one refused for good by the server, one in doubt."""
    planned = [p.id for p in plan_day(clock, load_settings(), clock.today())]
    assert len(planned) >= 3
    failed, doubtful = Message.get_by_id(planned[0]), Message.get_by_id(planned[1])
    mark_sending(failed)
    mark_failed(clock, failed, "550 5.1.1 Mailbox unavailable", retryable=False)
    mark_sending(doubtful)
    mark_in_doubt(clock, doubtful, "connection lost after DATA")
    return failed.id, doubtful.id, len(planned) - 2


async def open_outbox(app, pilot):
    await pilot.press("4")
    await settle(pilot)
    assert isinstance(app.screen, OutboxScreen)
    return app.screen


async def test_in_doubt_and_failed_messages_come_first_in_words(demo_db, make_app, troubled):
    failed, doubtful, planned = troubled
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_outbox(app, pilot)
        table = screen.table
        assert table.row_count == Message.select().count()
        rows = [table.source.row(i) for i in range(planned + 2)]
        assert [r.id for r in rows[:2]] == [doubtful, failed]
        assert {r.state for r in rows[2:]} == {MessageState.PLANNED}
        cells = table.cells(rows[1])
        assert cells[1] == "failed" and cells[6].startswith("550 5.1.1")
        assert table.cells(rows[0])[1] == "in doubt"
        step = DocumentStep.get(DocumentStep.message == failed)
        assert step.document.number in cells[4]
        summary = str(screen.query_one("#count").content)
        assert summary.startswith(f"in doubt: 1 · failed: 1 · planned: {planned} · sent: ")

        screen.query_one("#state", Select).value = MessageState.FAILED
        await settle(pilot)
        assert table.row_count == 1 and table.current.id == failed


async def test_resend_puts_a_failed_message_back_for_the_next_pass(
    demo_db, make_app, troubled
):
    failed, _, _ = troubled
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_outbox(app, pilot)
        await pilot.press("down")
        assert screen.table.current.id == failed
        await pilot.press("r")
        await settle(pilot)
        message = Message.get_by_id(failed)
        assert (message.state, message.attempts, message.last_error) == (
            MessageState.PLANNED, 0, "")
        assert screen.table.source.row(1).state != MessageState.FAILED


async def test_mark_sent_asks_first_then_records_the_message_and_its_event(
    demo_db, make_app, troubled
):
    _, doubtful, _ = troubled
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_outbox(app, pilot)
        assert screen.table.current.id == doubtful
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Nothing will be sent" in app.screen.question
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        assert Message.get_by_id(doubtful).state == MessageState.IN_DOUBT

        await pilot.press("m")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert Message.get_by_id(doubtful).state == MessageState.SENT
        event = CollectionEvent.get(CollectionEvent.kind == EventKind.MESSAGE_MARKED_SENT)
        assert (event.message_id, event.author) == (doubtful, current_author())
        step = DocumentStep.get(DocumentStep.message == doubtful)
        sent_kind = (EventKind.REMINDER_SENT if step.kind == "reminder"
                     else EventKind.DEMAND_SENT)
        assert CollectionEvent.select().where(
            (CollectionEvent.message == doubtful) & (CollectionEvent.kind == sent_kind)
        ).exists()
        assert screen.table.current.state == MessageState.FAILED  # the next one up


async def test_a_sent_message_cannot_be_resent(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_outbox(app, pilot)
        message = screen.table.current
        assert message.state == MessageState.SENT
        await pilot.press("r", "m")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert Message.get_by_id(message.id).state == MessageState.SENT


async def test_enter_shows_the_message_as_it_was_sent(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_outbox(app, pilot)
        row = screen.table.current
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)
        headers = str(app.screen.query_one("#headers").content)
        body = str(app.screen.query_one("#body").content)
        assert row.subject in headers and row.recipients[0] in headers
        assert row.steps[0].document_number in body
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


@pytest.fixture
def greylisted(demo_db, clock, smtp_server, tmp_path):
    """Today's messages sent through the real SMTP server; one contractor has two
    addresses and the server greylists the second (451): that message is sent, with one
    address to retry."""
    from windykacja.dunning.outbox import cancel
    from windykacja.dunning.passes import send_pending
    from windykacja.dunning.transports import SmtpTransport
    from windykacja.ledger.actions import update_contractor
    from windykacja.ledger.settings import save_settings
    from windykacja.ledger.smtp_url import parse_smtp_url

    settings = load_settings()
    first = Message.get_by_id(plan_day(clock, settings, clock.today())[0].id)
    contractor = first.contractor
    cancel(first, "test: the contractor gets a second address")
    update_contractor(clock, contractor, {"emails": "biuro@alfa.pl\nksiegowosc@alfa.pl"})
    plan_day(clock, settings, clock.today())
    smtp_server.refuse_recipient("ksiegowosc@alfa.pl", "451 4.7.1 Greylisted, try later")
    save_settings({"smtp.url": f"smtp://127.0.0.1:{smtp_server.port}"}, "test", clock.now())
    transport = SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{smtp_server.port}"))
    send_pending(clock, load_settings(), transport)
    message = Message.get((Message.contractor == contractor.id)
                          & (Message.state == MessageState.SENT)
                          & (Message.recipients == "biuro@alfa.pl\nksiegowosc@alfa.pl"))
    return message.id


@pytest.mark.parametrize("language, state, accepted, deferred", [
    ("en", "sent; 1 address to retry",
     "biuro@alfa.pl — accepted by the server (1 try)",
     "ksiegowosc@alfa.pl — to retry (1 try): 451 4.7.1 Greylisted, try later"),
    ("pl", "wysłana; 1 adres do ponowienia",
     "biuro@alfa.pl — przyjęta przez serwer (1 próba)",
     "ksiegowosc@alfa.pl — do ponowienia (1 próba): 451 4.7.1 Greylisted, try later"),
])
async def test_a_message_shows_each_address_answer(demo_db, make_app, greylisted, language,
                                                  state, accepted, deferred):
    app = make_app(demo_db, language)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_outbox(app, pilot)
        table = screen.table
        index = table.source.index_of(lambda r: r.id == greylisted)
        table.move_cursor(index)
        await settle(pilot)
        assert table.cells(table.current)[1] == state
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)
        headers = str(app.screen.query_one("#headers").content).splitlines()
        assert headers[-3:] == [
            "Recipients:" if language == "en" else "Adresaci:",
            f"  {accepted}", f"  {deferred}"]
