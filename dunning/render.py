"""Rendering messages from Jinja2 templates in a sandbox (SPEC §6).

Templates are user-editable, so they run in ``MailSandbox``: Jinja2's immutable sandbox
(no dunder attributes, no mutation of lists and dicts), ``StrictUndefined`` (a
misspelt variable is an error, not an empty string), and caps on what a template can
allocate: ``*``, ``**`` and ``%`` are intercepted, and so are the filters and string
methods that take a width or multiply text (``center``, ``replace``, ``join``,
``ljust``, ``format`` …). A rendered part is capped at ``MAX_OUTPUT`` characters.
Contexts are plain data only (see ``views``). A template that loops for a long time
without producing output is not stopped: whoever can edit templates can already use
the application, so the sandbox guards against escapes and accidents, not against a
determined denial of service by a user. The templates we ship are program code and
render in ``ShippedMail``, the same options and filters without the sandbox's checks.

Every failure of a template — syntax, undefined variable, refused operation, a
Python error inside — comes out as ``TemplateError`` with the template's name,
language, part and, when Jinja knows it, the line.

An edit is saved only if ``check_template`` passes (syntax, and only the variables
the context has); ``trial_render`` renders it for the editor's preview, for a real
document or a sample.

A paper letter's template (``LETTER_NAMES``, issue 16) has three parts instead of
subject, text and HTML (``parts_of``): its title (``subject``), the paragraphs before the
table of documents (``text``) and those after the figures (``closing``), all plain text;
``render_letter`` cuts them into the paragraphs ``letter_pdf.LetterData`` prints. The
table, the totals, the deadline, the account and the payment code come from data.

Defaults live in ``mail_templates/{name}.{language}.{part}.j2``; overrides are rows of
``TemplateOverride``. One source for what a message says: when the user has their own
plain text but not their own HTML, the HTML part is made from the rendered text
(``html_from_text``), so the wording they wrote is what every mail program shows; the
default HTML, which says the default words, is then not sent. With both parts their own,
both are sent as written (the templates editor says so while one is edited).

Compiled templates are cached by their source text, so an edited
override is picked up without any invalidation.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jinja2 import (
    Environment,
    StrictUndefined,
    Template,
    TemplateSyntaxError,
    Undefined,
    meta,
    nodes,
)
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_context
from markupsafe import escape

from ..ledger.names import amount_text
from ..models import TemplateOverride, database
from ..models.money import format_rate
from .template_data import CONTEXT_KEYS, ensure_plain, sample_context

#: The e-mail templates: a reminder, a demand, the end-of-collection report to the user.
MAIL_NAMES = ("reminder", "demand", "report")
#: The paper letters' templates (issue 16): a reminder, a demand, and a demand with the
#: debtor-registry warning.
LETTER_NAMES = ("letter_reminder", "letter_demand", "letter_registry")
TEMPLATE_NAMES = MAIL_NAMES + LETTER_NAMES
#: The parts of an e-mail template.
PARTS = ("subject", "text", "html")
#: The parts of a letter's template: its title, the paragraphs before the table of
#: documents and those after the figures.
LETTER_PARTS = ("subject", "text", "closing")
LANGUAGES = ("pl", "en")

#: Longest string or list ``*`` may build, and the largest width/count argument.
MAX_SIZE = 100_000
#: Longest string a filter or a method may return.
MAX_TEXT = 1_000_000
#: Longest rendered part.
MAX_OUTPUT = 2_000_000
#: Largest integer ``*`` and ``**`` may build (about 3,000 decimal digits).
MAX_INT_BITS = 10_000
#: Largest exponent ``**`` accepts, for any kind of number.
MAX_EXPONENT = 10_000

_SEQUENCES = (str, bytes, list, tuple)
_TEMPLATE_FILE = "<template>"


class TemplateError(Exception):
    """A template that cannot be compiled or rendered, with where and why."""

    def __init__(
        self,
        message: str,
        *,
        name: str | None = None,
        language: str | None = None,
        part: str | None = None,
        line: int | None = None,
    ) -> None:
        self.name = name
        self.language = language
        self.part = part
        self.line = line
        self.message = message
        super().__init__(str(self))

    @property
    def where(self) -> str:
        label = ".".join(p for p in (self.name, self.language, self.part) if p)
        if self.line is not None:
            label = f"{label}, line {self.line}" if label else f"line {self.line}"
        return label

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class RenderedLetter:
    """A letter's words as ``letter_pdf.LetterData`` takes them: the title on one line,
    the paragraphs before the table of documents and the closing ones after the figures,
    each plain text whose single ``\\n`` breaks the line."""

    title: str
    paragraphs: tuple[str, ...]
    closing: tuple[str, ...]


def parts_of(name: str) -> tuple[str, ...]:
    """The parts of template ``name``: subject, text and HTML for an e-mail; subject (the
    letter's title), text and closing for a letter."""
    return LETTER_PARTS if name in LETTER_NAMES else PARTS


# --- limits -----------------------------------------------------------------------


def _refuse(what: str) -> SecurityError:
    return SecurityError(f"{what} is too large for a message template")


def _check_int_args(args: Iterable[Any], kwargs: Mapping[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and abs(value) > MAX_SIZE:
            raise _refuse(f"the number {value}")


def _check_result(value: Any) -> Any:
    if isinstance(value, _SEQUENCES) and len(value) > MAX_TEXT:
        raise _refuse("the result")
    return value


def _check_multiply(left: Any, right: Any) -> None:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, _SEQUENCES) and isinstance(times, int) and len(seq) * times > MAX_SIZE:
            raise _refuse("a repeated text or list")
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and left.bit_length() + right.bit_length() > MAX_INT_BITS
    ):
        raise _refuse("the product")


def _check_power(base: Any, exponent: Any) -> None:
    # abs() of int | float | Decimal: mypy joins the three results to object.
    if isinstance(exponent, int | float | Decimal) and abs(exponent) > MAX_EXPONENT:  # type: ignore[operator]
        raise _refuse(f"the exponent {exponent}")
    if (
        isinstance(base, int)
        and isinstance(exponent, int)
        and exponent > 0
        and abs(base) > 1
        and abs(base).bit_length() * exponent > MAX_INT_BITS
    ):
        raise _refuse("the power")


_PRINTF_SPEC = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)


def _check_printf(fmt: str, args: Any) -> None:
    """``'%100000000d' % 1`` or ``'%*d' % (10**8, 1)`` would build a huge string."""
    star = False
    for match in _PRINTF_SPEC.finditer(fmt):
        for group in match.groups():
            if group == "*":
                star = True
            elif group and int(group) > MAX_SIZE:
                raise _refuse(f"the width {group}")
    if star:
        values = args if isinstance(args, tuple) else (args,)
        _check_int_args(values, {})


def _check_format_string(fmt: str) -> None:
    """``'{:>100000000}'.format(1)``; nested fields (``{:{w}}``) are refused outright."""
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # the call itself will fail with Python's own message
    for _literal, _field, spec, _conversion in fields:
        if not spec:
            continue
        if "{" in spec:
            raise SecurityError("nested format fields are not allowed in message templates")
        for digits in re.findall(r"\d+", spec):
            if int(digits) > MAX_SIZE:
                raise _refuse(f"the width {digits}")


def _check_replace(text: Any, old: Any, new: Any, count: Any = None) -> None:
    text, old, new = str(text), str(old), str(new)
    hits = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    if len(text) + hits * (len(new) - len(old)) > MAX_TEXT:
        raise _refuse("the replaced text")


def _check_join(separator: Any, items: list[Any]) -> None:
    size = len(str(separator)) * max(len(items) - 1, 0)
    size += sum(len(item) for item in items if isinstance(item, str))
    if size > MAX_TEXT:
        raise _refuse("the joined text")


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter with the size checks; keeps Jinja's ``pass_context`` marks."""
    skip = 2 if hasattr(func, "jinja_pass_arg") else 1  # (context,) value, arguments…

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        head, value, rest = args[: skip - 1], args[skip - 1], args[skip:]
        _check_int_args(rest, kwargs)
        if name == "join":
            value = list(value)
            _check_join(rest[0] if rest else kwargs.get("d", ""), value)
        elif name == "replace" and len(rest) >= 2:
            _check_replace(value, rest[0], rest[1], rest[2] if len(rest) > 2 else None)
        elif name == "format":
            _check_printf(str(value), tuple(rest) or kwargs)
        elif name == "indent":
            width = rest[0] if rest else kwargs.get("width", 4)
            if isinstance(width, str) and len(width) * (str(value).count("\n") + 1) > MAX_TEXT:
                raise _refuse("the indented text")
        return _check_result(func(*head, value, *rest, **kwargs))

    return guarded


# --- filters ------------------------------------------------------------------------


@pass_context
def money_filter(context: Any, value: Any, currency: Any = None, notation: Any = "pl") -> str:
    """``{{ x|money('EUR') }}`` → ``1 234,56 EUR``; without a currency, the context's
    ``currency`` variable when there is one, else PLN. ``notation`` ``'en'`` writes
    ``1,234.56 EUR`` (the English report to the user)."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if value is None:
        # A figure the program could not compute (no rate) is None, never 0: printing it
        # as an amount would state a wrong figure, so the template must branch on its
        # ``*_missing`` flag (README, "What a demand says when a rate is missing").
        raise TypeError("money needs an amount, and this figure is not known (a rate is "
                        "missing): test it with 'is not none' or its *_missing flag first")
    if currency is None:
        currency = context.get("currency") or "PLN"
    amount = _finite_decimal(value, "money needs an amount")
    return amount_text(amount, str(currency), "en" if notation == "en" else "pl")


def pl_number_filter(value: Any) -> str:
    """``{{ rate|pl_number }}`` → ``4,2000``: a rate or percentage with the decimal comma
    of Polish text, all its places kept. None (a figure not known) is refused."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if value is None or isinstance(value, bool):
        raise TypeError("pl_number needs a number, and this figure is not known")
    return format_rate(_finite_decimal(value, "pl_number needs a number"), "pl")


def _finite_decimal(value: Any, needs: str) -> Decimal:
    """``value`` as a finite Decimal, or a TypeError saying what the filter ``needs``."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise TypeError(f"{needs}, not {value!r}") from None
    if not number.is_finite():
        raise TypeError(f"{needs}, not {value!r}")
    return number


def pl_date_filter(value: Any) -> str:
    """``DD.MM.YYYY``; an empty string for None."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if value is None:
        return ""
    if not isinstance(value, dt.date):
        raise TypeError(f"pl_date needs a date, not {type(value).__name__}")
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


# --- the environment ------------------------------------------------------------------


_DICT_ATTRIBUTES = frozenset(dir(dict))
#: How both environments read and write: a misspelt variable is an error, blocks do not
#: leave their line breaks, and a template is compiled once (the cache is by source).
_OPTIONS: dict[str, Any] = dict(
    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False)


class _KeyFirst:
    """A context is plain dicts (template_data): ``document.number`` is a key. Jinja
    tries the attribute first and takes the key after an AttributeError, the slowest
    part of rendering; for a name that is no attribute of a dict the key is what it
    finds in the end, so it is looked up first. The rest goes the environment's way."""

    undefined: Any

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)  # type: ignore[misc]


def _our_filters(env: Environment) -> None:
    # lipsum(n) builds text of any length; nothing in a business letter needs it.
    env.globals.pop("lipsum", None)
    env.filters["money"] = money_filter
    env.filters["pl_date"] = pl_date_filter
    env.filters["pl_number"] = pl_number_filter


class MailSandbox(_KeyFirst, ImmutableSandboxedEnvironment):
    """The immutable sandbox with ``StrictUndefined`` and allocation caps."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *, autoescape: bool) -> None:
        super().__init__(autoescape=autoescape, **_OPTIONS)
        _our_filters(self)
        self.filters = {name: _guard_filter(name, f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_multiply(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_printf(left, right)
        return _check_result(self.binop_table[operator](left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is not None:
            _check_format_string(value.__self__)
        return wrapper

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, _SEQUENCES):
            _check_int_args(args, kwargs)
            method = getattr(__obj, "__name__", "")
            if isinstance(owner, str) and method == "replace" and len(args) >= 2:
                _check_replace(owner, *args[:3])
            elif isinstance(owner, str) and method == "join" and args:
                args = (list(args[0]), *args[1:])
                _check_join(owner, args[0])
        return _check_result(super().call(__context, __obj, *args, **kwargs))


class ShippedMail(_KeyFirst, Environment):
    """The environment of the templates we ship (``default_source``): the sandbox's
    options and filters without its checks. They guard against what a user's template
    might do; ours are program code, reviewed like the rest, and the sandbox's checks
    were a third of the day's rendering (a guard on every filter call, a check on every
    attribute and call). The data they render is the same plain data, escaped the same
    way: tests render every shipped template in both and require the same text."""

    def __init__(self, *, autoescape: bool) -> None:
        super().__init__(autoescape=autoescape, **_OPTIONS)
        _our_filters(self)


_TEXT_ENV = MailSandbox(autoescape=False)
_HTML_ENV = MailSandbox(autoescape=True)
_SHIPPED = {False: ShippedMail(autoescape=False), True: ShippedMail(autoescape=True)}


def environment(part: str) -> MailSandbox:
    """The environment a part renders in: autoescaping for HTML only."""
    return _HTML_ENV if part == "html" else _TEXT_ENV


# --- sources --------------------------------------------------------------------------


def _check_names(name: str, language: str | None, part: str) -> None:
    if name not in TEMPLATE_NAMES:
        raise ValueError(f"unknown template '{name}' (one of {', '.join(TEMPLATE_NAMES)})")
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown language '{language}' (one of {', '.join(LANGUAGES)})")
    parts = parts_of(name)
    if part not in parts:
        kind = "a letter" if name in LETTER_NAMES else "an e-mail"
        if part in PARTS + LETTER_PARTS:
            raise ValueError(f"'{name}' is {kind} template and has no '{part}' part "
                             f"(its parts: {', '.join(parts)})")
        raise ValueError(f"unknown template part '{part}' (one of {', '.join(parts)})")


@functools.lru_cache(maxsize=64)
def default_source(name: str, language: str, part: str) -> str:
    """The shipped template ``mail_templates/{name}.{language}.{part}.j2``."""
    _check_names(name, language, part)
    files = importlib.resources.files("windykacja.mail_templates")
    return files.joinpath(f"{name}.{language}.{part}.j2").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=256)
def _compile(source: str, html: bool, shipped: bool = False) -> Template:
    if shipped:
        return _SHIPPED[html].from_string(source)
    return (_HTML_ENV if html else _TEXT_ENV).from_string(source)


def _template_line(exc: BaseException) -> int | None:
    """The template line of a render error: Jinja rewrites the traceback so that the
    template's frames carry the template's line numbers."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _TEMPLATE_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TemplateSyntaxError):
        return exc.message or str(exc)
    if isinstance(exc, SecurityError):
        return f"not allowed: {exc}"
    if isinstance(exc, UndefinedError):
        return str(exc)
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _render_part(
    source: str, part: str, context: Mapping[str, Any], name: str, language: str | None,
    shipped: bool = False,
) -> str:
    """One part rendered; ``shipped``: ``source`` is our own template (``ShippedMail``)."""
    where: dict[str, Any] = {"name": name, "language": language, "part": part}
    try:
        template = _compile(source, part == "html", shipped)
    except TemplateSyntaxError as exc:
        raise TemplateError(_describe(exc), line=exc.lineno, **where) from None
    chunks: list[str] = []
    size = 0
    try:
        if shipped:  # ours: its size checked once, not a chunk at a time
            text = template.render(context)
            if len(text) > MAX_OUTPUT:
                raise _refuse("the rendered text")
            return text
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise _refuse("the rendered text")
            chunks.append(chunk)
    except TemplateSyntaxError as exc:  # e.g. a syntax error in an included string
        raise TemplateError(_describe(exc), line=exc.lineno, **where) from None
    except RecursionError:
        raise TemplateError("recursion too deep", **where) from None
    except Exception as exc:  # any failure inside the template is the template's
        raise TemplateError(_describe(exc), line=_template_line(exc), **where) from None
    return "".join(chunks)


def _render_source(name: str, language: str, part: str, context: Mapping[str, Any],
                   overrides: Mapping[tuple[str, str, str], str]) -> str:
    """One part rendered from the user's own source, else the shipped one."""
    source = overrides.get((name, language, part))
    if source is None:
        return _render_part(default_source(name, language, part), part, context, name,
                            language, shipped=True)
    return _render_part(source, part, context, name, language)


def render_message(
    name: str,
    language: str,
    context: Mapping[str, Any],
    overrides: Mapping[tuple[str, str, str], str] | None = None,
) -> RenderedMessage:
    """Render the subject, text and HTML parts of one message.

    ``overrides`` maps ``(name, language, part)`` to a user's source (``load_overrides``);
    a part without one uses the default. The subject is collapsed to one line.
    Raises ``TemplateError`` for any template failure and ``TypeError`` when the
    context holds something other than plain data.
    """
    _check_names(name, language, "subject")
    if name in LETTER_NAMES:
        raise ValueError(f"'{name}' is a letter's template: render it with render_letter")
    ensure_plain(dict(context))
    overrides = overrides or {}
    rendered: dict[str, str] = {}
    for part in PARTS:
        if part == "html" and html_follows_text(overrides, name, language):
            rendered[part] = html_from_text(rendered["text"], language)
            continue
        rendered[part] = _render_source(name, language, part, context, overrides)
    return RenderedMessage(
        subject=" ".join(rendered["subject"].split()),
        text=rendered["text"].strip("\n") + "\n",
        html=rendered["html"].strip("\n") + "\n",
    )


def render_letter(
    name: str,
    language: str,
    context: Mapping[str, Any],
    overrides: Mapping[tuple[str, str, str], str] | None = None,
) -> RenderedLetter:
    """Render the title, the paragraphs and the closing paragraphs of one letter.

    As ``render_message``: ``overrides`` maps ``(name, language, part)`` to a user's
    source, a part without one uses the default; every part renders in the plain-text
    sandbox (a letter has no HTML: ``letter_pdf`` escapes what it prints). The title is
    collapsed to one line; the text and closing are cut into paragraphs at blank lines
    (``letter_paragraphs``). Raises ``TemplateError`` for any template failure and
    ``TypeError`` when the context holds something other than plain data.
    """
    _check_names(name, language, "subject")
    if name not in LETTER_NAMES:
        raise ValueError(f"'{name}' is an e-mail template: render it with render_message")
    ensure_plain(dict(context))
    overrides = overrides or {}
    rendered: dict[str, str] = {}
    for part in LETTER_PARTS:
        rendered[part] = _render_source(name, language, part, context, overrides)
    return RenderedLetter(
        title=" ".join(rendered["subject"].split()),
        paragraphs=letter_paragraphs(rendered["text"]),
        closing=letter_paragraphs(rendered["closing"]),
    )


def letter_paragraphs(text: str) -> tuple[str, ...]:
    """A letter part's rendered text as its paragraphs: split at blank lines (lines of
    nothing but spaces count as blank), the spaces at the ends of lines dropped, empty
    paragraphs left out. A single newline inside a paragraph stays: it breaks the line."""
    paragraphs = []
    for chunk in re.split(r"\n[ \t\r\f\v]*(?:\n[ \t\r\f\v]*)+", text):
        lines = [line.rstrip() for line in chunk.split("\n")]
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if lines:
            paragraphs.append("\n".join(lines))
    return tuple(paragraphs)


def html_follows_text(overrides: Mapping[tuple[str, str, str], str], name: str,
                      language: str) -> bool:
    """Whether the HTML part is made from the text part: the user has their own plain
    text for this message and language, and no HTML of their own."""
    return ((name, language, "text") in overrides
            and (name, language, "html") not in overrides)


def html_from_text(text: str, language: str) -> str:
    """The rendered plain text as a simple HTML page: each paragraph (lines between
    blank lines) a ``<p>``, its lines kept apart by ``<br>``, every character escaped."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip("\n")) if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(str(escape(line)) for line in p.split("\n")) + "</p>"
        for p in paragraphs)
    return (f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
            "</head>\n<body style=\"font-family: Arial, Helvetica, sans-serif; font-size: "
            f'14px; line-height: 1.5; color: #222222;">\n{body}\n</body>\n</html>\n')


# --- checking an edit -----------------------------------------------------------------


def allowed_variables(name: str) -> frozenset[str]:
    """What a template may use: the context keys of its kind and the sandbox globals."""
    _check_names(name, None, "subject")
    return CONTEXT_KEYS[name] | frozenset(_TEXT_ENV.globals)


def _first_use(tree: nodes.Template, variable: str) -> int | None:
    lines = [
        node.lineno
        for node in tree.find_all(nodes.Name)
        if node.name == variable and node.ctx == "load"
    ]
    return min(lines) if lines else None


def check_template(name: str, part: str, source: str, language: str | None = None) -> None:
    """Refuse a template that cannot work: a syntax error, or a variable its context
    does not have (``allowed_variables``). Raises ``TemplateError`` with the line.

    What only rendering reveals (``contractor.nmae``, a sandbox refusal) is left to
    ``trial_render``, which the editor's preview runs: a template that passes here may
    still fail at send time, and then only its own message fails (SPEC §6).
    """
    _check_names(name, language, part)
    where = {"name": name, "language": language, "part": part}
    try:
        tree = environment(part).parse(source)
        _compile(source, part == "html")
    except TemplateSyntaxError as exc:
        raise TemplateError(_describe(exc), line=exc.lineno, **where) from None
    unknown = meta.find_undeclared_variables(tree) - allowed_variables(name)
    if unknown:
        first = min(unknown, key=lambda v: (_first_use(tree, v) or 0, v))
        known = ", ".join(sorted(CONTEXT_KEYS[name]))
        raise TemplateError(
            f"unknown variable '{first}' (available: {known})",
            line=_first_use(tree, first),
            **where,
        )


def trial_render(
    name: str,
    part: str,
    source: str,
    language: str | None = None,
    context: Mapping[str, Any] | None = None,
) -> str:
    """Render one part of an edited template for a preview: for ``context`` (a real
    document's, from ``views``) or else ``views.sample_context``. Raises
    ``TemplateError`` with the line, like a send would. A subject comes on one line; a
    letter's text or closing as the paragraphs it prints, a blank line between them."""
    check_template(name, part, source, language)
    context = sample_context(name) if context is None else context
    ensure_plain(dict(context))
    rendered = _render_part(source, part, context, name, language)
    if part == "subject":
        return " ".join(rendered.split())
    if name in LETTER_NAMES:  # the paragraphs as the letter prints them
        return "\n\n".join(letter_paragraphs(rendered))
    return rendered


# --- overrides in the database --------------------------------------------------------


def load_overrides() -> dict[tuple[str, str, str], str]:
    """Every stored override as ``{(name, language, part): source}``."""
    return {(row.name, row.language, row.part): row.source for row in TemplateOverride.select()}


def save_override(
    name: str, language: str, part: str, source: str, author: str, now: dt.datetime
) -> None:
    """Store a user's template after ``check_template``; a broken one raises
    ``TemplateError`` and nothing is stored. Saving the default text removes the
    override instead, so that later improvements of the default apply."""
    check_template(name, part, source, language)
    if source == default_source(name, language, part):
        reset_override(name, language, part)
        return
    with database.atomic():
        (
            TemplateOverride.insert(
                name=name, language=language, part=part, source=source,
                author=author, updated_at=now,
            )
            .on_conflict(
                conflict_target=[
                    TemplateOverride.name, TemplateOverride.language, TemplateOverride.part,
                ],
                update={
                    TemplateOverride.source: source,
                    TemplateOverride.author: author,
                    TemplateOverride.updated_at: now,
                },
            )
            .execute()
        )


def reset_override(name: str, language: str, part: str) -> bool:
    """Back to the default; True when there was an override to remove."""
    _check_names(name, language, part)
    deleted = (
        TemplateOverride.delete()
        .where(
            (TemplateOverride.name == name)
            & (TemplateOverride.language == language)
            & (TemplateOverride.part == part)
        )
        .execute()
    )
    return bool(deleted)
