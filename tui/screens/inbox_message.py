"""One incoming message (issue 15): who sent it, what it answers, the documents it
concerns with what they owe, a bounce's failed addresses, the attachments and the text —
all in one scroll — and the decisions, each on a key:

``o`` promise to pay (an amount, the day, this message's documents or all the
contractor's open ones), ``d`` dispute (one of its documents, the reason, optionally the
amount), ``r`` resume collection, ``n`` not relevant, ``a`` assign an unmatched message to
a contractor; ``s`` saves an attachment, ``m`` shows our message it answers. A key that
does not apply to this message is not offered. After a decision the screen shows the
new state; the Inbox re-reads its list when it comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...ledger.answers import (
    assign_reply,
    decide_reply,
    make_promise,
    open_dispute,
    open_documents,
)
from ...ledger.names import DECISION_NAMES, INBOX_KIND_NAMES, name_of
from ...lists.inbox import InboxView, attachment_content, inbox_view
from ...lists.message_view import read_message
from ...models import (
    Contractor,
    Decision,
    Document,
    InboxKind,
    InboxMessage,
    MatchedBy,
    Message,
    MessageState,
)
from ..formatting import day, local_moment, money
from ..i18n import N_, t, tn
from ..widgets.answer_forms import (
    AssignDialog,
    AttachmentChoice,
    DisputeChoice,
    DisputeDialog,
    DisputeInput,
    PromiseDialog,
    PromiseInput,
    PromiseScope,
    SaveAttachmentDialog,
    TextAnswerDialog,
)
from .base import AppScreen
from .message import MessageScreen

# How the message was tied to a contractor, in words.
MATCHED_BY_WORDS = {
    MatchedBy.MESSAGE: N_("matched to our message"),
    MatchedBy.VERP: N_("by the return address of our message"),
    MatchedBy.SENDER: N_("by the sender's address"),
    MatchedBy.PERSON: N_("assigned by a person"),
}
# Actions offered only while they apply (``check_action``).
DECISION_ACTIONS = {"promise", "dispute", "resume", "not_relevant", "assign"}


def numbers_text(numbers: list[str], shown: int = 3) -> str:
    return ", ".join(numbers[:shown]) + (" …" if len(numbers) > shown else "")


def promise_scopes(document_ids: list[int], contractor_id: int | None,
                   first_label: Callable[[int], str]) -> list[PromiseScope]:
    """What a promise may cover: the given documents (those with something outstanding),
    and, when it differs, every open document of the contractor in the same currency."""
    scopes = []
    documents = [d for d in Document.select().where(Document.id.in_(document_ids))
                 .order_by(Document.due_date, Document.id) if d.outstanding > 0]
    currency = documents[0].currency if documents else None
    if documents:
        documents = [d for d in documents if d.currency == currency]
        scopes.append(_scope(first_label(len(documents)), documents))
    if contractor_id is not None:
        every = [d for d in Document.select().where(
            Document.id.in_(open_documents(contractor_id))).order_by(Document.due_date,
                                                                     Document.id)
            if currency is None or d.currency == currency]
        if every and {d.id for d in every} != {d.id for d in documents}:
            scopes.append(_scope(t("all the contractor's open documents ({n})",
                                   n=len(every)), every))
    return scopes


def _scope(label: str, documents: list[Document]) -> PromiseScope:
    return PromiseScope(label, numbers_text([d.number for d in documents], 4),
                        tuple(d.id for d in documents),
                        sum((d.outstanding for d in documents), Decimal("0.00")),
                        documents[0].currency)


def promised_text(promise: Any) -> str:
    return t("Promise recorded: {amount} by {day}; collection waits until {until}.",
             amount=money(promise.amount, promise.currency), day=day(promise.pay_by),
             until=day(promise.wait_until))


class InboxMessageScreen(AppScreen):
    TITLE = N_("Inbox")
    CSS_PATH = "../styles/inbox.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("o", "promise", "Promise"),
        Binding("d", "dispute", "Dispute"),
        Binding("r", "resume", "Resume"),
        Binding("n", "not_relevant", "Not relevant"),
        Binding("a", "assign", "Assign"),
        Binding("s", "save_attachment", "Save attachment", show=False),
        Binding("m", "our_message", "Our message", show=False),
        Binding("ctrl+r", "reload", "Refresh", show=False),
    ]

    def __init__(self, inbox_id: int) -> None:
        super().__init__()
        self.inbox_id = inbox_id
        self.view: InboxView | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="page"):
            yield Static("", id="state", markup=False)
            yield Static("", id="summary", markup=False)
            for part in ("documents", "failures", "attachments", "problems"):
                yield Static("", id=f"{part}-title", classes="section-title", markup=False)
                yield Static("", id=part, markup=False)
            yield Static(t("Text"), classes="section-title")
            yield Static("", id="text", markup=False)

    def on_mount(self) -> None:
        self.query_one("#page", VerticalScroll).focus()

    # -- reading -----------------------------------------------------------------------
    @property
    def message(self) -> InboxMessage:
        return InboxMessage.get_by_id(self.inbox_id)

    def refresh_data(self) -> None:
        view = self.view = inbox_view(self.inbox_id)
        self.query_one("StatusBar #where", Static).update(
            t("Incoming message #{id}", id=view.row.id))
        self.query_one("#state", Static).update(self._state_text(view))
        self.query_one("#summary", Static).update("\n".join(self._summary(view)))
        self._section("documents", t("Documents it concerns"), [
            t("{number}: outstanding {amount}, due {due}", number=d.number,
              amount=money(d.outstanding, d.currency), due=day(d.due_date))
            for d in view.documents])
        self._section("failures", t("Addresses that failed"), [
            f"{f.address}: {' '.join(p for p in (f.status, f.diagnostic) if p)} "
            f"({t('permanent') if f.permanent else t('temporary')})"
            for f in view.failures])
        self._section("attachments", t("Attachments (s saves one)"), [
            f"{n}. {a.name} ({a.content_type}, "
            + tn("{n} byte", "{n} bytes", a.size) + ")"
            for n, a in enumerate(view.attachments, start=1)])
        self._section("problems", t("Problems found reading it"), list(view.problems))
        self.query_one("#text", Static).update(view.text.rstrip() or t("(no text)"))
        self.refresh_bindings()

    def _section(self, part: str, title: str, lines: list[str]) -> None:
        self.query_one(f"#{part}-title", Static).update(title)
        self.query_one(f"#{part}", Static).update("\n".join(lines))
        for widget_id in (f"#{part}-title", f"#{part}"):
            self.query_one(widget_id, Static).display = bool(lines)

    def _state_text(self, view: InboxView) -> str:
        row = view.row
        kind = name_of(INBOX_KIND_NAMES, row.kind)
        if row.waiting and view.contractor_id is None:
            state = t("unmatched: say whose it is (a) or mark it not relevant (n)")
        elif row.waiting:
            state = t("waiting for your decision; collection of its documents is paused")
        elif row.decision:
            state = t("decided: {decision} ({who}, {when})",
                      decision=name_of(DECISION_NAMES, row.decision), who=view.decided_by,
                      when=local_moment(view.decided_at, self.clock.timezone)
                      if view.decided_at else "")
            if view.note:
                state += f" — {view.note}"
        else:
            state = _outcome(view)
        return f"{kind[:1].upper()}{kind[1:]} · {state}"

    def _summary(self, view: InboxView) -> list[str]:
        row = view.row
        sender = f"{row.from_name} <{row.from_address}>" if row.from_name else row.from_address
        received = local_moment(row.received_at, self.clock.timezone)
        lines = [t("From: {sender}", sender=sender),
                 t("Subject: {subject}", subject=row.subject)]
        if row.sent_at is not None:
            lines.append(t("Sent {sent} · received {received}",
                           sent=local_moment(row.sent_at, self.clock.timezone),
                           received=received))
        else:
            lines.append(t("Received {received}", received=received))
        if row.contractor:
            how = MATCHED_BY_WORDS.get(row.matched_by)
            lines.append(t("Contractor: {name} ({how})", name=row.contractor, how=t(how))
                         if how else t("Contractor: {name}", name=row.contractor))
        if view.our_message_id is not None:
            lines.append(t("Our message #{id} (m shows it): {subject}",
                           id=view.our_message_id, subject=view.our_subject))
        if view.truncated:
            lines.append(t("Only the start of this message was kept: it is larger than the "
                           "fetch limit."))
        return lines

    # -- which keys apply ----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        if action not in DECISION_ACTIONS or view is None:
            return True
        row = view.row
        if action in ("promise", "dispute"):
            return row.kind == InboxKind.REPLY and view.contractor_id is not None
        if action == "assign":
            return row.waiting and view.contractor_id is None
        return row.waiting  # resume, not relevant

    # -- actions -------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.refresh_data()

    def action_promise(self) -> None:
        view = self.view
        if view is None:
            return
        scopes = promise_scopes([d.id for d in view.documents], view.contractor_id,
                                lambda n: tn("this message's document", "this message's "
                                             "documents ({n})", n))
        if not scopes:
            self.notify(t("Nothing is outstanding on the documents of this message."),
                        severity="warning")
            return

        def record(given: PromiseInput) -> Any:
            documents = list(Document.select().where(Document.id.in_(given.document_ids)))
            return make_promise(self.clock, self.settings(), documents, given.amount,
                                given.pay_by, note=given.note, reply=self.message)

        def done(promise: Any) -> None:
            if promise is not None:
                self.notify(promised_text(promise))
            self.refresh_data()

        title = t("Promise to pay — message #{id} from {sender}", id=view.row.id,
                  sender=view.row.contractor or view.row.from_address)
        self.app.push_screen(PromiseDialog(title, scopes, record), done)

    def action_dispute(self) -> None:
        view = self.view
        if view is None:
            return
        if not view.documents:
            self.notify(t("This message concerns no document to dispute."),
                        severity="warning")
            return
        choices = [DisputeChoice(d.id, t("{number} (outstanding {amount})", number=d.number,
                                          amount=money(d.outstanding, d.currency)))
                   for d in view.documents]

        def record(given: DisputeInput) -> Any:
            return open_dispute(self.clock, Document.get_by_id(given.document_id),
                                given.reason, given.amount, reply=self.message)

        def done(dispute: Any) -> None:
            if dispute is not None:
                self.notify(t("Dispute recorded: {number} is not collected or handed to an "
                              "agency until it is resolved.",
                              number=dispute.document.number))
            self.refresh_data()

        title = t("Dispute — message #{id} from {sender}", id=view.row.id,
                  sender=view.row.contractor or view.row.from_address)
        self.app.push_screen(DisputeDialog(title, choices, record), done)

    def _decide(self, decision: str, title: str, save: str) -> None:
        if self.view is None:
            return

        def record(note: str) -> bool:
            decide_reply(self.clock, self.message, decision, note=note)
            return True

        def done(result: bool | None) -> None:
            if result:
                self.notify(t("Message #{id}: {decision}.", id=self.inbox_id,
                              decision=name_of(DECISION_NAMES, decision)))
            self.refresh_data()

        self.app.push_screen(TextAnswerDialog(title, t("Note (optional)"), save, "note",
                                              record), done)

    def action_resume(self) -> None:
        self._decide(Decision.RESUME, t("Resume collection of this message's documents"),
                     t("Resume collection"))

    def action_not_relevant(self) -> None:
        self._decide(Decision.NOT_RELEVANT,
                     t("Not relevant: the message has nothing to do with the debt; "
                       "collection goes on"), t("Not relevant"))

    def action_assign(self) -> None:
        view = self.view
        if view is None:
            return

        def record(contractor: Contractor) -> tuple[str, int]:
            return contractor.name, assign_reply(self.clock, self.message, contractor)

        def done(result: tuple[str, int] | None) -> None:
            if result is not None:
                name, count = result
                self.notify(tn("Message #{id} is from {name}; {n} document waits for your "
                               "decision.", "Message #{id} is from {name}; {n} documents "
                               "wait for your decision.", count, id=self.inbox_id,
                               name=name))
            self.refresh_data()

        title = t("Who sent message #{id} ({address})?", id=view.row.id,
                  address=view.row.from_address)
        self.app.push_screen(AssignDialog(title, record), done)

    def action_save_attachment(self) -> None:
        view = self.view
        if view is None or not view.attachments:
            self.notify(t("This message has no attachments."))
            return
        choices = [AttachmentChoice(a.index, a.name, f"{n}. {a.name} ("
                                    + tn("{n} byte", "{n} bytes", a.size) + ")")
                   for n, a in enumerate(view.attachments, start=1)]

        def done(path: Any) -> None:
            if path is not None:
                self.notify(t("Saved to {path}.", path=str(path)))

        self.app.push_screen(SaveAttachmentDialog(
            t("Save an attachment of message #{id}", id=view.row.id), choices,
            lambda index: attachment_content(self.inbox_id, index)), done)

    def action_our_message(self) -> None:
        view = self.view
        if view is None or view.our_message_id is None:
            self.notify(t("This message does not answer one of ours."))
            return
        self.app.push_screen(MessageScreen(read_message(Message.get_by_id(
            view.our_message_id))))


def _outcome(view: InboxView) -> str:
    """What a message nobody has to decide about did (a bounce, a delay, an automatic
    reply), so that a person knows whether anything is left to do."""
    kind = view.row.kind
    if kind in (InboxKind.BOUNCE, InboxKind.DELAY) and view.our_message_id is None:
        return t("not about a message of ours; nothing changed")
    if kind == InboxKind.BOUNCE and view.our_state == MessageState.UNDELIVERED:
        return t("our message did not arrive: correct the address in Contractors (2) and "
                 "the same step goes out again")
    if kind == InboxKind.BOUNCE:
        return t("the address is marked failing; our message reached the other addresses")
    if kind == InboxKind.DELAY:
        return t("delivery delayed; the server goes on trying, nothing to do")
    return t("noted on the timeline; collection goes on")
