"""The demo database comes with the debtors' answers (issue 15): a newcomer pressing 9
finds a reply with an attachment, an out-of-office answer, a bounce, a message nobody
can match and one matched by its sender, and on the list a promise and a dispute."""

from __future__ import annotations

from windykacja.app import main
from windykacja.models import (
    Dispute,
    InboxMessage,
    InboxState,
    MatchedBy,
    Message,
    MessageState,
    Promise,
)


def test_the_demo_has_answers_to_look_at(db_location, capsys):
    location = db_location("demo.db", migrated=False)
    assert main(["--db", location, "--lang", "pl", "demo", "--contractors", "60",
                 "--documents", "500"]) == 0
    assert ("Dłużnicy odpowiedzieli: 5 wiadomości w Skrzynce (klawisz 9), czeka na Ciebie: 3."
            in capsys.readouterr().out)
    kinds = {(m.kind, m.state, m.matched_by) for m in InboxMessage.select()}
    assert kinds == {("reply", InboxState.WAITING, MatchedBy.MESSAGE),
                     ("reply", InboxState.WAITING, MatchedBy.NONE),
                     ("reply", InboxState.WAITING, MatchedBy.SENDER),
                     ("auto_reply", InboxState.DONE, MatchedBy.MESSAGE),
                     ("bounce", InboxState.DONE, MatchedBy.MESSAGE)}
    assert Message.select().where(Message.state == MessageState.UNDELIVERED).count() == 1
    assert Promise.select().count() == 1 and Dispute.select().count() == 1
    reply = InboxMessage.get(InboxMessage.matched_by == MatchedBy.MESSAGE,
                             InboxMessage.kind == "reply")
    assert "potwierdzenie przelewu.pdf" in reply.attachments
