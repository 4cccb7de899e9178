"""Writing MT940 statements for tests, the way PKO BP writes them: ``~`` subfields, the
title cut into 27-character pieces, Windows-1250 and CRLF unless told otherwise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

ACCOUNT = "PL67102010556479528644154553"


@dataclass(frozen=True)
class Transfer:
    amount: Decimal
    title: str
    payer: str = ""
    account: str = ""
    reference: str = ""
    mark: str = "C"


def _pieces(text: str, width: int, first: int, count: int) -> list[str]:
    chunks = [text[i:i + width] for i in range(0, len(text), width)] or [""]
    return [f"~{first + n}{chunk}" for n, chunk in enumerate(chunks[:count])]


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def mt940(transfers: list[Transfer], *, day: dt.date = dt.date(2026, 3, 16),
          opening: Decimal = Decimal("0.00"), reference: str = "MT940",
          encoding: str = "cp1250", newline: str = "\r\n") -> bytes:
    date = day.strftime("%y%m%d")
    lines = [f":20:{reference}", f":25:/{ACCOUNT}", ":28C:00001",
             f":60F:{'C' if opening >= 0 else 'D'}{date}PLN{_money(abs(opening))}"]
    balance = opening
    for number, t in enumerate(transfers, start=1):
        balance += t.amount if t.mark == "C" else -t.amount
        ref = t.reference or f"{date}{number:010d}"
        lines.append(f":61:{date}{day:%m%d}{t.mark}{_money(t.amount)}S020NONREF//{ref}")
        lines.append(":86:020~00VE02PRZELEW PRZYCHODZĄCY")
        lines += _pieces(t.title, 27, 20, 6)
        lines += _pieces(t.payer, 27, 32, 2)
        lines.append(f"~38{t.account}")
    closing = f"{'C' if balance >= 0 else 'D'}{date}PLN{_money(abs(balance))}"
    lines += [f":62F:{closing}", f":64:{closing}", "-"]
    return (newline.join(lines) + newline).encode(encoding)
