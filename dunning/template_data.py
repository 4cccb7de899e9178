"""Plain data for templates: model rows turned into dicts, lists, strings, dates, Decimals.

A sandboxed Jinja2 template may still call any public method of an object it is given
(``{{ row.delete_instance() }}`` deleted a row in every sandbox variant), so templates
never see a Peewee instance. The functions here only read attributes of what they are
handed; they run no queries, read no clock and do no I/O. ``render_message`` checks
again with :func:`ensure_plain` before rendering.

The keys each context has are public: they are the variables a user may use when
editing a template (``MESSAGE_KEYS`` for reminders, ``DEMAND_KEYS`` for demands,
``REPORT_KEYS`` for the end-of-collection report; a paper letter's, ``letter_context``,
are its e-mail's with ``final`` and the registry warning's ``registry``), and
``render.check_template`` refuses any other.

A demand's ``broken_promise`` (issue 15) is None, or the newest promise to pay the
debtor broke since the last step of the demand's documents (``promise_view``), so that
the letter can say "on … you undertook to pay … by …; the payment has not arrived". A
letter whose template leaves it out, or without one, is exactly as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Any

from ..law.claim import ClaimFigures
from ..law.compensation import Compensation
from ..law.lateness import days_late
from ..ledger.calendar import legal_due_date
from ..models.contractor import split_emails
from ..models.money import ZERO

#: Days the customer is given to pay in a demand ("… w terminie do dnia …").
DEMAND_DEADLINE_DAYS = 7

# ``letter_copy``: the e-mail is the copy of a letter sent by post, attached (issue 16).
MESSAGE_KEYS = frozenset(
    {"kind", "today", "contractor", "documents", "totals", "sender", "deadline", "law",
     "letter_copy"}
)
REPORT_KEYS = frozenset(
    {"kind", "today", "contractor", "document", "events", "reason", "sender"}
)
# ``registry``: the debtor-registry warning a demand e-mail carries by contract (issue 16;
# ``registry_view``), else None.
DEMAND_KEYS = MESSAGE_KEYS | {"broken_promise", "registry"}
# A paper letter (issue 16) has its e-mail's context; a demand's also says whether it is
# the last demand (``final``), and the registry warning's names the bureau (``registry``).
LETTER_DEMAND_KEYS = (DEMAND_KEYS - {"registry"}) | {"final"}
LETTER_REGISTRY_KEYS = LETTER_DEMAND_KEYS | {"registry"}
CONTEXT_KEYS: dict[str, frozenset[str]] = {
    "reminder": MESSAGE_KEYS,
    "demand": DEMAND_KEYS,
    "report": REPORT_KEYS,
    "letter_reminder": MESSAGE_KEYS,
    "letter_demand": LETTER_DEMAND_KEYS,
    "letter_registry": LETTER_REGISTRY_KEYS,
}
#: The e-mail kind whose context each letter has.
LETTER_KINDS = {"letter_reminder": "reminder", "letter_demand": "demand",
                "letter_registry": "demand"}

# ``vat_eu``: the EU or UK VAT number of a company abroad (``CZ57304246``, ``GB980780684``),
# "" for a Polish one (it has a NIP); ``vat_country`` is its prefix (``CZ``, ``GB``) so that a
# letter can say "nr VAT UE" or "nr VAT UK".
CONTRACTOR_KEYS = ("code", "name", "nip", "vat_eu", "vat_country", "address", "emails",
                   "phone", "language", "kind")
# What a demand claims beyond the principal (law/claim.py); None where it does not apply,
# is switched off in Settings, or lacks a rate (then the ``*_missing`` flag says so).
CLAIM_KEYS = (
    "days_late", "interest", "interest_from", "interest_missing", "compensation",
    "compensation_eur", "compensation_rate", "compensation_rate_date",
    "compensation_rate_table", "compensation_missing", "limitation_date",
)
DOCUMENT_KEYS = (
    "number", "issue_date", "due_date", "currency", "gross", "paid", "outstanding",
    "days_overdue", "demand_number", *CLAIM_KEYS,
)
# A figure the program cannot compute is None, never 0 (the ``money`` filter refuses
# None): ``interest`` and ``total`` are None when an interest amount of the row is not
# known, ``compensation`` and ``total`` when a compensation's PLN amount is not; the
# ``*_known`` keys sum what is known, ``compensation_eur_missing`` is the statutory EUR
# amount of the compensations whose PLN figure is unknown.
TOTAL_KEYS = ("currency", "outstanding", "interest", "compensation", "total",
              "interest_missing", "compensation_missing", "interest_known",
              "compensation_known", "compensation_eur_missing", "total_known")
LAW_KEYS = ("interest", "compensation", "interest_missing", "compensation_missing",
            "compensation_total", "compensation_eur_missing", "interest_from",
            "interest_stated")
SENDER_KEYS = (
    "company_name", "company_address", "company_nip", "company_bank_account",
    "sender_name", "sender_email",
)
EVENT_KEYS = ("day", "kind", "text", "author")
# A broken promise to pay: what, in which currency, by when, and the day it was made.
PROMISE_KEYS = ("amount", "currency", "pay_by", "made_on")
# The debtor-registry warning's bureau: its firm, the address of its seat, and the
# article of the act of 9 April 2010 the report is made under ("14": a consumer, "15":
# anyone else).
REGISTRY_KEYS = ("bureau_name", "bureau_address", "article")
#: The bureau of the templates' sample (docs/registry.md §10).
SAMPLE_BUREAU = ("Krajowy Rejestr Długów Biuro Informacji Gospodarczej S.A.",
                 "ul. Danuty Siedzikówny 12, 51-214 Wrocław")

_PLAIN_SCALARS = (str, int, float, Decimal, dt.date, dt.time, type(None))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _money(value: Any) -> Decimal:
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value))


def contractor_view(contractor: Any) -> dict[str, Any]:
    """``code, name, nip, vat_eu, vat_country, address, emails (list), phone, language``
    of a contractor."""
    emails = contractor.emails
    if isinstance(emails, str):
        emails = split_emails(emails)
    vat_eu = _text(getattr(contractor, "vat_eu", ""))
    return {
        "code": _text(contractor.code),
        "name": _text(contractor.name),
        "nip": _text(contractor.nip),
        "vat_eu": vat_eu,
        "vat_country": vat_eu[:2],
        "address": _text(contractor.address),
        "emails": [str(e) for e in emails],
        "phone": _text(contractor.phone),
        "language": _text(contractor.language) or "pl",
        "kind": _text(getattr(contractor, "kind", "")) or "business",
    }


def claim_view(figures: ClaimFigures | None, *, interest: bool = True,
               compensation: bool = True) -> dict[str, Any]:
    """The ``CLAIM_KEYS`` of one document from its ``law.claim.ClaimFigures``.

    ``interest`` and ``compensation`` say whether the message claims them (Settings): a
    figure not claimed is None, so that no template can print it by mistake.
    """
    view: dict[str, Any] = dict.fromkeys(CLAIM_KEYS)
    view.update(interest_missing=False, compensation_missing=False)
    if figures is None:
        return view
    view["days_late"] = figures.days_late
    view["limitation_date"] = figures.limitation_date
    if interest and figures.days_late > 0:
        view["interest_from"] = figures.today - dt.timedelta(days=figures.days_late - 1)
        view["interest"] = figures.interest_amount
        view["interest_missing"] = figures.interest is None
    result = figures.compensation
    if compensation and result is not None:
        if isinstance(result, Compensation):
            view.update(compensation=result.pln, compensation_eur=int(result.eur),
                        compensation_rate=result.rate.mid,
                        compensation_rate_date=result.rate.effective_date,
                        compensation_rate_table=result.rate.table_no)
        else:
            # The statutory amount is known (40 / 70 / 100 EUR) even when its PLN value
            # is not: the letter states it in EUR.
            view["compensation_missing"] = True
            view["compensation_eur"] = None if result.eur is None else int(result.eur)
    return view


def document_view(document: Any, today: dt.date, demand_number: int | None,
                  claim: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One document as a template sees it; ``claim`` is its ``claim_view``.

    ``days_overdue`` is ``law.lateness.days_late``: whole days past the legal due date
    (the due date moved past a Saturday, Sunday or holiday), never below 0 — the same
    count as the claim's ``days_late``, the screens and the agency's files; the letter
    still quotes the due date printed on the invoice. ``paid`` is gross minus
    outstanding. ``demand_number`` is the number of the demand this message
    carries for the document, ``None`` in a reminder or a report.
    """
    due = _date(document.due_date)
    gross = _money(document.gross)
    outstanding = _money(document.outstanding)
    return {
        "number": _text(document.number),
        "issue_date": _date(document.issue_date),
        "due_date": due,
        "currency": _text(document.currency) or "PLN",
        "gross": gross,
        "paid": gross - outstanding,
        "outstanding": outstanding,
        "days_overdue": days_late(_legal_due_date(document, due), today) if due else 0,
        "demand_number": None if demand_number is None else int(demand_number),
        **(claim if claim is not None else claim_view(None)),
    }


def _legal_due_date(document: Any, due: dt.date) -> dt.date:
    """The stored legal due date; computed from the due date ``due`` for an object
    without one (a sample)."""
    stored = _date(getattr(document, "legal_due_date", None))
    return stored or legal_due_date(due)


def sender_view(settings: Any) -> dict[str, str]:
    """The company and the person signing, from ``CollectionSettings``."""
    return {key: _text(getattr(settings, key)) for key in SENDER_KEYS}


def totals_by_currency(documents: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per currency (PLN first, then alphabetically): outstanding, the interest stated,
    the compensation (always PLN, so on the PLN row, which it creates if need be) and
    their sum ``total``.

    A figure not known is never counted as 0: when a document's interest (or a
    compensation's PLN amount) is missing, the row's ``interest`` (``compensation``) and
    ``total`` are None with ``interest_missing`` (``compensation_missing``) set, and the
    ``*_known`` keys hold the sums of what is known (see ``TOTAL_KEYS``).
    """
    sums: dict[str, dict[str, Any]] = {}

    def row(currency: str) -> dict[str, Any]:
        return sums.setdefault(currency, {
            "currency": currency, "outstanding": ZERO, "interest_known": ZERO,
            "compensation_known": ZERO, "interest_missing": False,
            "compensation_missing": False, "compensation_eur_missing": 0})

    for doc in documents:
        totals = row(doc["currency"])
        totals["outstanding"] += doc["outstanding"]
        if doc.get("interest") is not None:
            totals["interest_known"] += doc["interest"]
        totals["interest_missing"] |= bool(doc.get("interest_missing"))
        if doc.get("compensation") is not None:
            row("PLN")["compensation_known"] += doc["compensation"]
        if doc.get("compensation_missing"):
            pln = row("PLN")
            pln["compensation_missing"] = True
            eur = doc.get("compensation_eur")
            pln["compensation_eur_missing"] = (None if eur is None
                                               or pln["compensation_eur_missing"] is None
                                               else pln["compensation_eur_missing"] + eur)
    order = sorted(sums, key=lambda c: (c != "PLN", c))
    result = []
    for currency in order:
        totals = sums[currency]
        known = (totals["outstanding"] + totals["interest_known"]
                 + totals["compensation_known"])
        missing = totals["interest_missing"] or totals["compensation_missing"]
        result.append({
            **totals,
            "interest": None if totals["interest_missing"] else totals["interest_known"],
            "compensation": (None if totals["compensation_missing"]
                             else totals["compensation_known"]),
            "total_known": known,
            "total": None if missing else known,
        })
    return result


def law_view(documents: Sequence[Mapping[str, Any]], *, interest: bool,
             compensation: bool) -> dict[str, Any]:
    """What the message claims beyond the principal, for the template's wording."""
    return {
        "interest": interest,
        "compensation": compensation,
        "interest_missing": any(d.get("interest_missing") for d in documents),
        # Whether some document's interest is stated as an amount.
        "interest_stated": interest and any(d.get("interest") is not None for d in documents),
        "compensation_missing": any(d.get("compensation_missing") for d in documents),
        # The PLN compensations that are known; those that are not are stated in EUR.
        "compensation_total": sum((d.get("compensation") or ZERO for d in documents), ZERO),
        "compensation_eur_missing": _eur_missing(documents),
        # The first day of interest among the documents whose interest is not known.
        "interest_from": min((d["interest_from"] for d in documents
                              if d.get("interest_missing") and d.get("interest_from")),
                             default=None),
    }


def _eur_missing(documents: Sequence[Mapping[str, Any]]) -> int | None:
    """The EUR sum of the compensations whose PLN figure is unknown (None if one of them
    has no known tier either)."""
    total = 0
    for doc in documents:
        if doc.get("compensation_missing"):
            if doc.get("compensation_eur") is None:
                return None
            total += doc["compensation_eur"]
    return total


def event_view(event: Any) -> dict[str, Any]:
    """``{day, kind, text, author}`` from a CollectionEvent row or a mapping."""
    get = event.get if isinstance(event, Mapping) else lambda k: getattr(event, k)
    return {
        "day": _date(get("day")),
        "kind": _text(get("kind")),
        "text": _text(get("text")),
        "author": _text(get("author")),
    }


def promise_view(promise: Any) -> dict[str, Any] | None:
    """A broken promise as a demand's template sees it (None: there is none)."""
    if promise is None:
        return None
    return {
        "amount": _money(promise.amount),
        "currency": _text(promise.currency) or "PLN",
        "pay_by": _date(promise.pay_by),
        "made_on": _date(promise.made_on),
    }


def message_context(
    kind: str,
    contractor: Mapping[str, Any] | Any,
    documents: Iterable[Mapping[str, Any]],
    sender: Mapping[str, Any] | Any,
    today: dt.date,
    *,
    deadline_days: int = DEMAND_DEADLINE_DAYS,
    interest: bool = False,
    compensation: bool = False,
    broken_promise: Mapping[str, Any] | None = None,
    letter_copy: bool = False,
) -> dict[str, Any]:
    """The context of a reminder or a demand to one contractor (SPEC §4, *Grouping*).

    ``documents`` are ``document_view`` dicts (they carry the demand numbers); the
    contractor and the sender may be given as views or as the row / settings object.
    ``deadline`` is the date the demand asks payment by: ``today + deadline_days``.
    ``interest`` and ``compensation`` say whether the message claims them (``law``);
    ``broken_promise`` is a demand's ``promise_view`` (None when there is none).
    """
    if kind not in ("reminder", "demand"):
        raise ValueError(f"unknown message kind '{kind}' (reminder or demand)")
    docs = [_view_dict(d, f"documents[{i}]") for i, d in enumerate(documents)]
    if not docs:
        raise ValueError("a message lists at least one document")
    context = {
        "kind": kind,
        "today": today,
        "contractor": _as_view(contractor, contractor_view),
        "documents": docs,
        "totals": totals_by_currency(docs),
        "sender": _as_view(sender, sender_view),
        "deadline": today + dt.timedelta(days=deadline_days),
        "law": law_view(docs, interest=interest, compensation=compensation),
        "letter_copy": letter_copy,
    }
    if kind == "demand":
        context["broken_promise"] = None if broken_promise is None else dict(broken_promise)
        context["registry"] = None
    ensure_plain(context)
    return context


def registry_view(bureau_name: str, bureau_address: str, contractor_kind: str
                  ) -> dict[str, str]:
    """The ``registry`` of a registry warning: the bureau's firm and seat as the user
    typed them, and the article of the act of 9 April 2010 the report would be made
    under — art. 14 for a consumer (``contractor.kind`` ``private``), art. 15 for any
    other debtor (docs/registry.md §2-3). The act asks for the firm *and the address*
    of the bureau's seat, so neither may be empty."""
    name, address = " ".join(str(bureau_name).split()), str(bureau_address).strip()
    if not name:
        raise ValueError("the registry warning needs the bureau's name")
    if not address:
        raise ValueError("the registry warning needs the address of the bureau's seat")
    return {"bureau_name": name, "bureau_address": address,
            "article": "14" if contractor_kind == "private" else "15"}


def letter_context(
    name: str,
    base: Mapping[str, Any],
    *,
    final: bool = False,
    registry: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The context of letter template ``name`` from its e-mail's (``message_context``):
    a reminder letter's is the reminder's; a demand letter's adds ``final`` (the last
    demand, numbered ``demand.max_count``); the registry warning's adds the bureau too
    (``registry_view``)."""
    kind = LETTER_KINDS.get(name)
    if kind is None:
        raise ValueError(f"unknown letter template '{name}' "
                         f"(one of {', '.join(LETTER_KINDS)})")
    if base.get("kind") != kind:
        raise ValueError(f"the letter '{name}' takes the context of a {kind}, "
                         f"not of a {base.get('kind')}")
    if (registry is not None) != (name == "letter_registry"):
        raise ValueError("a registry warning names its bureau, and only it does")
    context = dict(base)
    context.pop("registry", None)  # the e-mail's (None); only the registry letter has one
    if kind == "demand":
        context["final"] = bool(final)
    elif final:
        raise ValueError("a reminder is never the final demand")
    if registry is not None:
        if set(registry) != set(REGISTRY_KEYS):
            raise ValueError(f"registry has {', '.join(sorted(registry))}; "
                             f"it needs {', '.join(REGISTRY_KEYS)}")
        view = {key: _text(registry[key]) for key in REGISTRY_KEYS}
        if view["article"] not in ("14", "15"):
            raise ValueError(f"registry.article is '{view['article']}' (14 or 15)")
        context["registry"] = view
    ensure_plain(context)
    return context


def report_context(
    document: Mapping[str, Any],
    contractor: Mapping[str, Any] | Any,
    events: Iterable[Mapping[str, Any] | Any],
    reason: str,
    sender: Mapping[str, Any] | Any,
    today: dt.date,
) -> dict[str, Any]:
    """The context of the end-of-collection report to the user.

    ``reason`` is shown as given; the default templates translate the end codes of
    ``actions.EndReason`` (``paid``, ``flag_off``, ``max_demands``, ``recovery``) and
    print any other text unchanged. ``events`` are in the order to print (oldest first).
    """
    context = {
        "kind": "report",
        "today": today,
        "contractor": _as_view(contractor, contractor_view),
        "document": _view_dict(document, "document"),
        "events": [event_view(e) for e in events],
        "reason": _text(reason),
        "sender": _as_view(sender, sender_view),
    }
    ensure_plain(context)
    return context


def _view_dict(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(
            f"{where} is a {type(value).__name__}: pass document_view(...) dicts; "
            "templates take plain data only"
        )
    return dict(value)


def _as_view(value: Any, make) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else make(value)


_EXACT_SCALARS = frozenset(_PLAIN_SCALARS)
#: More containers than any context has: a cyclic one (a programming error) ends in
#: ``_name_what_is_not_plain``'s RecursionError, as the recursive check did.
_MOST_CONTAINERS = 1_000_000


def _is_plain(value: Any) -> bool:
    """Whether ``value`` is plain data: a walk with a stack, the exact types looked up
    in a set first (a context of one message has a few hundred values, checked for
    every message of the day's pass), subclasses by ``isinstance`` as before (bool is an
    int, a datetime a date, an OrderedDict a dict)."""
    waiting = [value]
    containers = 0
    while waiting:
        item = waiting.pop()
        kind = type(item)
        if kind in _EXACT_SCALARS:
            continue
        if kind is dict or isinstance(item, dict):
            for key in item:
                if not isinstance(key, str):
                    return False
            waiting.extend(item.values())
        elif kind is list or kind is tuple or isinstance(item, list | tuple):
            waiting.extend(item)
        elif not isinstance(item, _PLAIN_SCALARS):
            return False
        containers += 1
        if containers > _MOST_CONTAINERS:
            return False
    return True


def ensure_plain(value: Any, path: str = "context") -> None:
    """Refuse anything but dicts, lists, tuples, str, numbers, dates and None.

    A TypeError here is a programming error (a model instance reached a template), not
    a template error: it names where in the context the object sits. (Checked first
    without building the path of every value, which cost a tenth of a message's
    planning; the path is only worked out for a context that fails.)
    """
    if _is_plain(value):
        return
    _name_what_is_not_plain(value, path)


def _name_what_is_not_plain(value: Any, path: str) -> None:
    if isinstance(value, _PLAIN_SCALARS):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path} has a non-text key {key!r}")
            _name_what_is_not_plain(item, f"{path}.{key}")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _name_what_is_not_plain(item, f"{path}[{index}]")
        return
    raise TypeError(
        f"{path} is a {type(value).__name__}: templates take plain data only "
        "(dicts, lists, text, numbers, dates), never model objects"
    )


def sample_context(kind: str, today: dt.date | None = None) -> dict[str, Any]:
    """A realistic context for previews and for trying a template before it is saved.

    A letter's is its e-mail's; the demand letter's is not the final demand (its sample
    is demand 2), the registry warning's is, naming the sample bureau."""
    today = today or dt.date(2026, 11, 23)
    if kind in LETTER_KINDS:
        base = sample_context(LETTER_KINDS[kind], today)
        if kind != "letter_registry":
            return letter_context(kind, base)
        registry = registry_view(*SAMPLE_BUREAU, base["contractor"]["kind"])
        return letter_context(kind, base, final=True, registry=registry)
    contractor = contractor_view(
        SimpleNamespace(
            code="K001", name="Przykładowa Spółka z o.o.", nip="5260250274",
            address="ul. Marszałkowska 1, 00-624 Warszawa",
            emails="ksiegowosc@przyklad.pl", phone="+48 22 123 45 67", language="pl",
        )
    )
    sender = sender_view(
        SimpleNamespace(
            company_name="Nasza Firma Sp. z o.o.", company_address="ul. Długa 5, 31-147 Kraków",
            company_nip="6762451230", company_bank_account="PL61 1090 1014 0000 0712 1981 2874",
            sender_name="Anna Kowalska", sender_email="windykacja@naszafirma.pl",
        )
    )
    rows = [
        ("FV/101/2026", 40, 14, "PLN", "1234.56", "1234.56"),
        ("FV/102/2026", 30, 10, "PLN", "2460.00", "460.00"),
        ("FV/103/2026", 25, 5, "EUR", "350.00", "350.00"),
    ]
    # Interest at 14 % a year: outstanding x 14 x days late / 36500, rounded to the grosz
    # (6.63, 1.76 and 0.67 on the default day, whose due dates are working days).
    docs = []
    for number, issued_ago, due_ago, currency, gross, outstanding in rows:
        if kind == "reminder":
            issued_ago, due_ago = issued_ago - due_ago, -3
        due = today - dt.timedelta(days=due_ago)
        doc = SimpleNamespace(
            number=number, issue_date=today - dt.timedelta(days=issued_ago),
            due_date=due, legal_due_date=legal_due_date(due), currency=currency,
            gross=Decimal(gross), outstanding=Decimal(outstanding),
        )
        claim = None
        if kind == "demand":
            late = days_late(doc.legal_due_date, today)
            claim = {**claim_view(None), "days_late": late,
                     "interest": (Decimal(outstanding) * 14 * late / 36500).quantize(
                         Decimal("0.01"), ROUND_HALF_UP),
                     "interest_from": doc.legal_due_date + dt.timedelta(days=1),
                     "limitation_date": dt.date(doc.due_date.year + 3, 12, 31)}
        docs.append(document_view(doc, today, 2 if kind == "demand" else None, claim))
    if kind == "report":
        paid = SimpleNamespace(
            number="FV/101/2026", issue_date=today - dt.timedelta(days=40),
            due_date=today - dt.timedelta(days=14), currency="PLN",
            gross=Decimal("1234.56"), outstanding=Decimal("0.00"),
        )
        events = [
            {"day": today - dt.timedelta(days=17), "kind": "reminder_sent",
             "text": "Przypomnienie wysłane", "author": "system"},
            {"day": today - dt.timedelta(days=7), "kind": "demand_sent",
             "text": "Wezwanie 1 wysłane", "author": "system"},
            {"day": today - dt.timedelta(days=3), "kind": "note",
             "text": "Klient obiecał zapłatę do piątku.", "author": "anna"},
            {"day": today, "kind": "payment_recorded",
             "text": "Wpłata 1 234,56 PLN (przelew)", "author": "anna"},
            {"day": today, "kind": "collection_finished",
             "text": "Zapłacono w całości", "author": "system"},
        ]
        return report_context(
            document_view(paid, today, None), contractor, events, "paid", sender, today
        )
    return message_context(kind, contractor, docs, sender, today, interest=kind == "demand")
