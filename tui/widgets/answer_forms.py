"""The dialogs of a debtor's answer (issue 15): a promise to pay, a dispute, a note for a
decision (resume, not relevant, resolve a dispute, withdraw a promise), assigning a
message to a contractor, and saving an attachment.

Each dialog is given ``record``, the call that stores what was typed (``ledger/answers``);
it reads and checks what only the form can (an amount, a date), then calls ``record``.
A refusal (``AnswerRefused``, already in the interface language, with the code of the
field it concerns) is shown under that field — or, naming no field of the form, under
the form — and the dialog stays open with what was typed;
nothing was stored. Once ``record`` succeeds the dialog leaves with what it returned.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Select, Static

from ...ledger.answers import MAX_NOTE, AnswerRefused
from ...ledger.validation import check_day
from ...models import Contractor
from ...models.money import MoneyError, parse_amount
from ...session import CommandError, parse_day
from ..formatting import editable_money, money
from ..i18n import t
from .dialog import CANCEL, FormDialog
from .form import ConfirmDialog, Field

# The dialogs share one look: a framed column in the middle, the buttons at the bottom.
ANSWER_CSS = """
AnswerDialog { align: center middle; }
AnswerDialog > VerticalScroll { width: 70; max-width: 100%; height: auto;
    max-height: 100%; border: thick $primary; background: $surface; padding: 0 1; }
AnswerDialog .answer--title { text-style: bold; }
AnswerDialog .answer--problem { color: $error; height: auto; }
AnswerDialog .answer--problem.-empty { display: none; }
AnswerDialog Select { width: 1fr; }
AnswerDialog .answer--buttons { height: auto; margin-top: 1; }
AnswerDialog .answer--buttons Button { margin-right: 2; }
"""


def _problem_line(widget_id: str) -> Static:
    line = Static("", id=widget_id, classes="answer--problem", markup=False)
    line.set_class(True, "-empty")
    return line


class AnswerDialog(FormDialog[Any]):
    """What every answer dialog shares; see the module's words."""

    DEFAULT_CSS = ANSWER_CSS
    # A refusal's field (``AnswerRefused.field``) and the id of the Field, or of the
    # error line under a list, its problem is shown under.
    REFUSAL_FIELDS: tuple[tuple[str, str], ...] = ()

    def __init__(self, record: Callable[[Any], Any]) -> None:
        super().__init__()
        self.record = record

    def buttons(self, save: str) -> ComposeResult:
        yield _problem_line("problem")
        with Horizontal(classes="answer--buttons"):
            yield Button(save, id="save", variant="primary")
            yield Button(t("Cancel"), id="cancel")

    def focus_first_error(self) -> bool:
        """Put the cursor in the first field showing an error; whether there was one."""
        for field in self.query(Field):
            if field.error:
                field.input.focus()
                return True
        return False

    def submit(self, value: Any) -> None:
        """Store ``value`` through ``record``; a refusal is shown and the dialog stays."""
        self.show_problem("")
        try:
            result = self.record(value)
        except AnswerRefused as refusal:
            self.show_refusal(refusal)
            return
        self.dismiss(result)

    def show_problem(self, text: str, line_id: str = "problem") -> None:
        line = self.query_one(f"#{line_id}", Static)
        line.update(t("Error: {problem}", problem=text) if text else "")
        line.set_class(not text, "-empty")

    def show_refusal(self, refusal: AnswerRefused) -> None:
        for field, widget_id in self.REFUSAL_FIELDS:
            if refusal.field == field:
                target = self.query_one(f"#{widget_id}")
                if isinstance(target, Field):
                    target.set_error(refusal.problem)
                    target.input.focus()
                else:
                    self.show_problem(refusal.problem, widget_id)
                return
        self.show_problem(str(refusal))


def _read_amount(field: Field, required: bool) -> tuple[Decimal | None, bool]:
    """The amount typed (None when empty and not required), and whether it could be read."""
    if not field.value and not required:
        field.set_error("")
        return None, True
    try:
        amount = parse_amount(field.value)
    except MoneyError:
        field.set_error(t("not an amount: use 1234.56 or 1 234,56"))
        return None, False
    field.set_error("")
    return amount, True


def _read_day(field: Field) -> dt.date | None:
    try:
        day = check_day(parse_day(field.value))
    except (CommandError, ValueError):
        field.set_error(t("not a date: use DD.MM.YYYY or YYYY-MM-DD"))
        return None
    field.set_error("")
    return day


# --- a promise to pay ------------------------------------------------------------------

@dataclass(frozen=True)
class PromiseScope:
    """One choice of documents a promise may cover, with what they owe together."""

    label: str
    numbers: str  # the documents' numbers, shown under the choice
    document_ids: tuple[int, ...]
    outstanding: Decimal
    currency: str


@dataclass(frozen=True)
class PromiseInput:
    document_ids: tuple[int, ...]
    amount: Decimal
    pay_by: dt.date
    note: str


class PromiseDialog(AnswerDialog):
    BINDINGS = [CANCEL, Binding("ctrl+s", "save", "Record promise")]
    REFUSAL_FIELDS = (("amount", "amount"), ("date", "pay-by"), ("note", "note"),
                      ("documents", "documents-problem"))

    def __init__(self, title: str, scopes: Sequence[PromiseScope],
                 record: Callable[[PromiseInput], Any]) -> None:
        super().__init__(record)
        self.title_text, self.scopes = title, list(scopes)

    def compose(self) -> ComposeResult:
        first = self.scopes[0]
        with VerticalScroll():
            yield Static(self.title_text, classes="answer--title", markup=False)
            yield Label(t("Documents"))
            if len(self.scopes) > 1:
                yield Select([(s.label, i) for i, s in enumerate(self.scopes)], value=0,
                             allow_blank=False, id="scope", compact=True)
            else:
                yield Static(first.label, id="scope-text", markup=False)
            yield Static(first.numbers, id="numbers", classes="hint", markup=False)
            yield _problem_line("documents-problem")
            yield Field(t("Amount ({currency})", currency=first.currency),
                        editable_money(first.outstanding), field_id="amount",
                        hint=self._hint(first))
            yield Field(t("Promised for (date)"), "", field_id="pay-by",
                        placeholder=t("DD.MM.YYYY"))
            yield Field(t("Note (optional)"), "", field_id="note", max_length=MAX_NOTE)
            yield from self.buttons(t("Record promise"))

    def _hint(self, scope: PromiseScope) -> str:
        return t("Outstanding: {amount}", amount=money(scope.outstanding, scope.currency))

    def on_mount(self) -> None:
        self.query_one("#amount", Field).input.focus()

    @property
    def scope(self) -> PromiseScope:
        if len(self.scopes) == 1:
            return self.scopes[0]
        value = self.query_one("#scope", Select).value
        return self.scopes[value if isinstance(value, int) else 0]

    def on_select_changed(self, event: Select.Changed) -> None:
        """Another choice of documents: the amount follows it unless it was typed."""
        if event.select.id != "scope" or not isinstance(event.value, int):
            return
        amount = self.query_one("#amount", Field)
        offered = {editable_money(s.outstanding) for s in self.scopes}
        scope = self.scopes[event.value]
        if amount.value in offered or not amount.value:
            amount.value = editable_money(scope.outstanding)
        amount.query_one(".field--hint", Static).update(self._hint(scope))
        self.query_one("#numbers", Static).update(scope.numbers)
        self.show_problem("", "documents-problem")

    def action_save(self) -> None:
        amount, read = _read_amount(self.query_one("#amount", Field), required=True)
        pay_by = _read_day(self.query_one("#pay-by", Field))
        if amount is None or not read or pay_by is None:
            self.focus_first_error()
            return
        self.submit(PromiseInput(self.scope.document_ids, amount, pay_by,
                                 self.query_one("#note", Field).value))


# --- a dispute -------------------------------------------------------------------------

@dataclass(frozen=True)
class DisputeChoice:
    document_id: int
    label: str


@dataclass(frozen=True)
class DisputeInput:
    document_id: int
    reason: str
    amount: Decimal | None


class DisputeDialog(AnswerDialog):
    BINDINGS = [CANCEL, Binding("ctrl+s", "save", "Record dispute")]
    REFUSAL_FIELDS = (("amount", "amount"), ("reason", "reason"))

    def __init__(self, title: str, documents: Sequence[DisputeChoice],
                 record: Callable[[DisputeInput], Any]) -> None:
        super().__init__(record)
        self.title_text, self.documents = title, list(documents)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.title_text, classes="answer--title", markup=False)
            yield Label(t("Document"))
            if len(self.documents) > 1:
                yield Select([(d.label, d.document_id) for d in self.documents],
                             value=self.documents[0].document_id, allow_blank=False,
                             id="document", compact=True)
            else:
                yield Static(self.documents[0].label, markup=False)
            yield Field(t("Reason (what the debtor says)"), "", field_id="reason",
                        max_length=MAX_NOTE)
            yield Field(t("Amount disputed (optional)"), "", field_id="amount",
                        hint=t("Empty: the whole document"))
            yield from self.buttons(t("Record dispute"))

    def on_mount(self) -> None:
        self.query_one("#reason", Field).input.focus()

    def chosen_document(self) -> int:
        if len(self.documents) == 1:
            return self.documents[0].document_id
        value = self.query_one("#document", Select).value
        return value if isinstance(value, int) else self.documents[0].document_id

    def action_save(self) -> None:
        amount, read = _read_amount(self.query_one("#amount", Field), required=False)
        if not read:
            self.focus_first_error()
            return
        self.submit(DisputeInput(self.chosen_document(),
                                 self.query_one("#reason", Field).value, amount))


# --- one line of text: a decision's note, a resolution ---------------------------------

class TextAnswerDialog(AnswerDialog):
    """A decision with one line of text: optional (a note to resume, to mark not relevant,
    to withdraw a promise) or required (how a dispute was resolved). ``word`` is the
    refusals' field code for it (``note``, ``resolution``)."""

    BINDINGS = [CANCEL, Binding("ctrl+s", "save", "Save")]

    def __init__(self, title: str, label: str, save: str, word: str,
                 record: Callable[[str], Any], explanation: str = "") -> None:
        super().__init__(record)
        self.title_text, self.label, self.save_label = title, label, save
        self.explanation = explanation
        self.REFUSAL_FIELDS = ((word, "text"),)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.title_text, classes="answer--title", markup=False)
            if self.explanation:
                yield Static(self.explanation, markup=False)
            yield Field(self.label, "", field_id="text", max_length=MAX_NOTE)
            yield from self.buttons(self.save_label)

    def on_mount(self) -> None:
        self.query_one("#text", Field).input.focus()

    def action_save(self) -> None:
        self.submit(self.query_one("#text", Field).value)


# --- which contractor an unmatched message is from -------------------------------------

def find_contractor(text: str) -> tuple[Contractor | None, str]:
    """The contractor a person typed, by code (exactly) or by a part of the name (one
    match), or the problem in words."""
    text = " ".join(text.split())
    if not text:
        return None, t("type the contractor's code or a part of the name")
    by_code = Contractor.get_or_none(Contractor.code == text)
    if by_code is not None:
        return by_code, ""
    found = list(Contractor.select().where(Contractor.name.contains(text))
                 .order_by(Contractor.name).limit(4))
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, t("no contractor has this code or a name containing it")
    names = ", ".join(f"{c.name} ({c.code})" for c in found[:3])
    return None, t("several contractors match ({names}…): type the code", names=names)


class AssignDialog(AnswerDialog):
    BINDINGS = [CANCEL, Binding("ctrl+s", "save", "Assign")]

    def __init__(self, title: str, record: Callable[[Contractor], Any]) -> None:
        super().__init__(record)
        self.title_text = title

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.title_text, classes="answer--title", markup=False)
            yield Field(t("Contractor (code or name)"), "", field_id="contractor",
                        check=lambda text: find_contractor(text)[1])
            yield from self.buttons(t("Assign"))

    def on_mount(self) -> None:
        self.query_one("#contractor", Field).input.focus()

    def action_save(self) -> None:
        field = self.query_one("#contractor", Field)
        contractor, problem = find_contractor(field.value)
        field.set_error(problem)
        if contractor is not None:
            self.submit(contractor)


# --- saving an attachment --------------------------------------------------------------

@dataclass(frozen=True)
class AttachmentChoice:
    index: int  # as stored (lists.inbox.AttachmentView.index)
    name: str
    label: str


def write_file(target: Path, content: bytes) -> None:
    """Never a half-written file: a temporary file beside it, then one rename. The file
    gets the permissions a new file gets (the umask), not the temporary file's 0600."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".windykacja-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def default_path(name: str) -> str:
    return str(Path("~") / (Path(name).name or "attachment"))


class SaveAttachmentDialog(AnswerDialog):
    """Choose the attachment (when there are several) and the file: ``~/<its name>``
    unless changed; a folder means the attachment's name in it; an existing file is
    replaced only after a question. ``content(index)`` reads the attachment's bytes."""

    BINDINGS = [CANCEL, Binding("ctrl+s", "save", "Save attachment")]

    def __init__(self, title: str, attachments: Sequence[AttachmentChoice],
                 content: Callable[[int], bytes]) -> None:
        super().__init__(lambda value: value)
        self.title_text, self.attachments, self.content = title, list(attachments), content

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.title_text, classes="answer--title", markup=False)
            yield Label(t("Attachment"))
            if len(self.attachments) > 1:
                yield Select([(a.label, i) for i, a in enumerate(self.attachments)],
                             value=0, allow_blank=False, id="attachment", compact=True)
            else:
                yield Static(self.attachments[0].label, markup=False)
            yield Field(t("Save as"), default_path(self.attachments[0].name),
                        field_id="path", max_length=1000)
            yield from self.buttons(t("Save attachment"))

    def on_mount(self) -> None:
        self.query_one("#path", Field).input.focus()

    @property
    def chosen(self) -> AttachmentChoice:
        if len(self.attachments) == 1:
            return self.attachments[0]
        value = self.query_one("#attachment", Select).value
        return self.attachments[value if isinstance(value, int) else 0]

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "attachment" or not isinstance(event.value, int):
            return
        field = self.query_one("#path", Field)
        if field.value in {default_path(a.name) for a in self.attachments}:
            field.value = default_path(self.attachments[event.value].name)

    def target(self) -> Path | None:
        field = self.query_one("#path", Field)
        if not field.value:
            field.set_error(t("type where to save it"))
            return None
        path = Path(field.value).expanduser()
        if path.is_dir():
            path = path / (Path(self.chosen.name).name or "attachment")
        if not path.parent.is_dir():
            field.set_error(t("no such folder: {path}", path=str(path.parent)))
            return None
        field.set_error("")
        return path

    def action_save(self) -> None:
        path = self.target()
        if path is None:
            return
        if path.exists():
            question = t("{path} exists. Replace it?", path=str(path))
            self.app.push_screen(ConfirmDialog(question, default=False),
                                 lambda yes: self._write(path) if yes else None)
            return
        self._write(path)

    def _write(self, path: Path) -> None:
        try:
            content = self.content(self.chosen.index)
        except LookupError:
            self.show_problem(t("the message was too large to keep its attachments; it is "
                                "still in the mailbox"))
            return
        try:
            write_file(path, content)
        except OSError as exc:
            self.query_one("#path", Field).set_error(
                t("cannot write {path}: {why}", path=str(path), why=exc.strerror or exc))
            return
        self.dismiss(path)


__all__ = ["AssignDialog", "AttachmentChoice", "DisputeChoice", "DisputeDialog",
           "DisputeInput", "PromiseDialog", "PromiseInput", "PromiseScope",
           "SaveAttachmentDialog", "TextAnswerDialog", "find_contractor"]
