"""Each shipped rate's provenance note has its Polish wording (``source_pl`` beside
``source`` in ``law/data/*.json``), and a Polish reader gets it (issue 12, point 3).

The notes are data, not code: their Polish lives beside them in the same row, so a row
added or corrected carries both, and the catalogue (extracted from the code) never holds
a note it would drop as unused on the next update."""

from __future__ import annotations

from reader_rules import problems

from windykacja import i18n
from windykacja.law.eur_rates import load_eur_table
from windykacja.law.interest import InterestKind, load_rate_table
from windykacja.ledger.rates import source_text


def _shipped():
    table = load_rate_table()
    for kind in InterestKind:
        for rate in table.rates_for(kind):
            yield f"{kind.value} {rate.start}", rate.source, rate.source_pl
    for month, row in load_eur_table().items():
        yield f"EUR {month}", row.source, row.source_pl


def test_every_shipped_note_has_a_polish_wording_without_english():
    wrong = []
    for where, _source, source_pl in _shipped():
        if not source_pl:
            wrong.append(f"{where}: no source_pl")
            continue
        wrong += [f"{where}: {p}: {source_pl}" for p in problems(source_pl, "pl")]
        for word in ("quoted", "computed", "reference rate", "archive", "decision", "from ",
                     "inferred", "notice", "copy", "line of", "period"):
            if word in source_pl:
                wrong.append(f"{where}: English {word!r}: {source_pl}")
    assert wrong == [], "\n".join(wrong)


def test_a_note_reads_in_the_readers_language():
    _where, source, source_pl = next(iter(_shipped()))
    try:
        i18n.set_language("pl")
        assert source_text(source) == source_pl
        assert source_text("M.P. 2026 poz. 600") == "M.P. 2026 poz. 600"  # a user's own note
        assert (source_text("tabela 064/A/NBP/2026 (entered by anna)")
                == "tabela 064/A/NBP/2026 (wpis: anna)")
        assert (source_text("NBP API, table 064/A/NBP/2026 of 2026-03-31: "
                            "https://api.nbp.pl/x (fetched 2026-04-02)")
                == "API NBP, tabela 064/A/NBP/2026 z 31.03.2026: https://api.nbp.pl/x "
                   "(pobrano 02.04.2026)")
        i18n.set_language("en")
        assert source_text(source) == source
    finally:
        i18n.set_language("en")
