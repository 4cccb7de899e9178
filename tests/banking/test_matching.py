"""The matcher's rules (banking/matching.py) as pure unit tests: no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from windykacja.banking.matching import (
    CANDIDATE_LIMIT,
    ContractorFacts,
    Credit,
    MatchIndex,
    OpenDocument,
    Outcome,
    Reason,
    match_credit,
    nips_in,
    normalise_account,
    normalise_number,
    split_payment_invoice,
)

DAY = dt.date(2026, 3, 16)
OWN_NIP = "5220715471"
HURTOWNIA_NIP = "7722744156"
ACCOUNT = "PL74114020172162574785050316"


def doc(id_, number, outstanding, contractor=1, currency="PLN", due=dt.date(2026, 2, 26)):
    return OpenDocument(id_, number, contractor, Decimal(outstanding), currency, due)


def index(*documents, contractors=()):
    known = {c.id for c in contractors}
    extra = [ContractorFacts(d.contractor_id) for d in documents if d.contractor_id not in known]
    return MatchIndex.build(documents, [*contractors, *dict.fromkeys(extra)])


def credit(amount, *titles, account="", name="", currency="PLN"):
    return Credit(Decimal(amount), currency, DAY, titles or ("",), account, name)


def test_numbers_compare_without_case_and_separators():
    forms = ["FV 2026/01/115", "FV/2026/01/115", "FV2026-01-115", "fv.2026.01.115"]
    assert {normalise_number(f) for f in forms} == {"FV202601115"}


@pytest.mark.parametrize("title", [
    "FV/2026/01/115", "ZAPŁATA FV 2026/01/115", "fv2026-01-115 dziękuję",
    "FAKTURA NR FV.2026.01.115", "ZAPL.FV-2026/01/115",
])
def test_a_number_written_any_way_pays_the_document(title):
    decision = match_credit(credit("5000.00", title), index(doc(1, "FV/2026/01/115", "5000.00")))
    assert decision.outcome == Outcome.SURE
    assert decision.reason == Reason.NUMBERS_TOTAL
    assert decision.allocations == ((1, Decimal("5000.00")),)


def test_two_numbers_in_one_title_and_the_amount_of_both_pay_both():
    idx = index(doc(3, "FV/2026/01/115", "5000.00"), doc(4, "FV/2026/01/118", "3118.00"))
    decision = match_credit(credit("8118.00", "ZAPŁATA FV 2026/01/115 I FV 2026/01/118"), idx)
    assert decision.outcome == Outcome.SURE
    assert decision.allocations == ((3, Decimal("5000.00")), (4, Decimal("3118.00")))


def test_a_list_separated_by_commas_gives_each_number():
    idx = index(doc(1, "210F1033", "100.00"), doc(2, "210F0995", "50.00"))
    decision = match_credit(credit("150.00", "ZAPL.FV-210F1033,210F0995"), idx)
    assert decision.outcome == Outcome.SURE and len(decision.allocations) == 2


def test_a_number_cut_across_two_subfields_is_found_in_the_title_joined_as_written():
    idx = index(doc(2, "FV/2026/02/021", "3000.00"))
    as_written = "CZĘŚCIOWA ZAPŁATA FAKTURY NR FV/2026/0" + "2/021"
    spaced = "CZĘŚCIOWA ZAPŁATA FAKTURY NR FV/2026/0 2/021"
    decision = match_credit(credit("1500.00", as_written, spaced), idx)
    assert decision.outcome == Outcome.SURE
    assert decision.reason == Reason.NUMBER_PARTIAL
    assert decision.allocations == ((2, Decimal("1500.00")),)


def test_pieces_trimmed_by_the_bank_are_found_in_the_spaced_title():
    """``~20FAKTURY 2026115`` + ``~212026118``: joined as written the two numbers run
    into one; joined with spaces they are two, and that reading explains more."""
    idx = index(doc(3, "2026115", "5000.00"), doc(4, "2026118", "3118.00"))
    decision = match_credit(credit("8118.00", "FAKTURY 20261152026118",
                                   "FAKTURY 2026115 2026118"), idx)
    assert decision.outcome == Outcome.SURE
    assert decision.allocations == ((3, Decimal("5000.00")), (4, Decimal("3118.00")))


def test_a_shorter_number_is_not_found_inside_a_longer_one():
    idx = index(doc(1, "FV/2026/01", "100.00"), doc(2, "V/1", "100.00", contractor=2),
                doc(3, "FV/2026/01/11", "100.00", contractor=3))
    for title in ("FV/2026/01/115", "FV/1", "FV 2026/01/115"):
        assert match_credit(credit("100.00", title), idx).outcome == Outcome.UNMATCHED, title


def test_letters_before_digits_are_a_boundary_and_the_longest_number_wins():
    idx = index(doc(1, "110F02468", "10.00"), doc(2, "F02468", "10.00", contractor=2))
    decision = match_credit(credit("10.00", "FV110F02468"), idx)
    assert decision.allocations == ((1, Decimal("10.00")),)


def test_split_payment_reads_only_the_invoice_after_inv():
    title = "/VAT/460,00/IDC/5220715471/INV/FV/2026/02/030/TXT/PROJEKT"
    assert split_payment_invoice(title) == "FV/2026/02/030"
    idx = index(doc(5, "FV/2026/02/030", "2460.00"), doc(6, "460", "2460.00", contractor=2))
    decision = match_credit(credit("2460.00", title), idx, OWN_NIP)
    assert decision.outcome == Outcome.SURE
    assert decision.allocations == ((5, Decimal("2460.00")),)


def test_the_split_payment_supplier_nip_is_ours_not_the_payer():
    title = "/VAT/460,00/IDC/5220715471/INV/X-1/TXT/"
    assert nips_in([title]) == set()
    ours = ContractorFacts(2, "Nasza firma", OWN_NIP)
    idx = index(doc(7, "FV/9/2026", "2460.00", contractor=2), contractors=[ours])
    assert match_credit(credit("2460.00", title), idx).outcome != Outcome.SURE


def test_a_partial_payment_of_one_number_is_sure_more_than_it_owes_is_not():
    idx = index(doc(1, "FV/1/2026", "1000.00"))
    assert match_credit(credit("400.00", "FV/1/2026"), idx).reason == Reason.NUMBER_PARTIAL
    over = match_credit(credit("1000.01", "FV/1/2026"), idx)
    assert (over.outcome, over.reason, over.candidates) == (
        Outcome.UNSURE, Reason.MORE_THAN_OUTSTANDING, (1,))


def test_less_than_the_total_of_several_numbers_is_unsure():
    idx = index(doc(1, "FV/1/2026", "1000.00"), doc(2, "FV/2/2026", "500.00"))
    decision = match_credit(credit("1200.00", "FV/1/2026 FV/2/2026"), idx)
    assert (decision.outcome, decision.reason) == (Outcome.UNSURE, Reason.LESS_THAN_TOTAL)
    assert decision.candidates == (1, 2)


def test_a_number_that_is_no_open_document_makes_the_match_unsure():
    idx = index(doc(3, "FV/2026/01/115", "5000.00"))
    decision = match_credit(credit("4000.00", "ZAPŁATA FV 2026/01/115 I FV 2026/01/118"), idx)
    assert (decision.outcome, decision.reason) == (Outcome.UNSURE, Reason.UNKNOWN_NUMBER)
    assert decision.unexplained == ("2026/01/118",)


def test_dates_amounts_and_bare_digits_beside_a_number_do_not_count_as_numbers():
    idx = index(doc(1, "FV/2026/02/017", "4920.00"))
    title = "ZAPŁATA 4 920,00 ZA FV/2026/02/017 Z DN. 12.02.2026 ZAM 4471 2026-02-12"
    decision = match_credit(credit("4920.00", title), idx)
    assert decision.outcome == Outcome.SURE, decision


def test_the_payers_learned_account_and_the_amount_pay_the_one_document_that_equals_it():
    hurtownia = ContractorFacts(1, "Hurtownia Zielona sp. z o.o.", "",
                                frozenset({ACCOUNT}))
    idx = index(doc(1, "FV/2026/03/004", "615.00"), doc(2, "FV/2026/03/009", "900.00"),
                contractors=[hurtownia])
    spaced = "PL 7411 4020 1721 6257 4785 0503 16"
    assert normalise_account(spaced) == ACCOUNT
    decision = match_credit(credit("615.00", "ZAPL. F-RA 21/02/2026 DZIĘKUJĘ",
                                   account=spaced), idx)
    assert (decision.outcome, decision.reason) == (Outcome.SURE, Reason.ACCOUNT_AMOUNT)
    assert decision.allocations == ((1, Decimal("615.00")),)


def test_a_known_payer_with_two_documents_of_the_amount_or_none_is_unsure():
    hurtownia = ContractorFacts(1, "Hurtownia", "", frozenset({ACCOUNT}))
    idx = index(doc(1, "A/1", "615.00", due=dt.date(2026, 3, 1)),
                doc(2, "A/2", "615.00", due=dt.date(2026, 2, 1)),
                doc(3, "A/3", "100.00"), contractors=[hurtownia])
    two = match_credit(credit("615.00", "", account=ACCOUNT), idx)
    assert (two.outcome, two.reason, two.candidates) == (
        Outcome.UNSURE, Reason.SEVERAL_EQUAL, (2, 1))
    none = match_credit(credit("50.00", "", account=ACCOUNT), idx)
    assert (none.outcome, none.reason) == (Outcome.UNSURE, Reason.NO_EQUAL_AMOUNT)
    assert set(none.candidates) == {1, 2, 3}


def test_a_known_payer_without_open_documents_is_unmatched():
    gone = ContractorFacts(9, "Stary klient", "", frozenset({ACCOUNT}))
    idx = index(doc(1, "A/1", "615.00"), contractors=[gone])
    decision = match_credit(credit("615.00", "", account=ACCOUNT), idx)
    assert (decision.outcome, decision.reason) == (Outcome.UNMATCHED, Reason.NO_OPEN_DOCUMENTS)


def test_an_account_and_an_equal_amount_are_not_sure_beside_an_unknown_number():
    """The title names an invoice paid already: the same amount on another document of
    the payer is a coincidence until a person says otherwise."""
    hurtownia = ContractorFacts(1, "Hurtownia", "", frozenset({ACCOUNT}))
    idx = index(doc(1, "FV/2026/03/004", "4920.00"), contractors=[hurtownia])
    decision = match_credit(credit("4920.00", "FV/2026/02/017", account=ACCOUNT), idx)
    assert (decision.outcome, decision.reason) == (Outcome.UNSURE, Reason.UNKNOWN_NUMBER)
    assert decision.candidates == (1,)


def test_a_nip_in_the_title_identifies_the_payer_but_not_our_own_or_an_invalid_one():
    hurtownia = ContractorFacts(1, "Hurtownia", HURTOWNIA_NIP)
    ours = ContractorFacts(2, "My", OWN_NIP)
    idx = index(doc(1, "X/1", "615.00"), doc(2, "X/2", "615.00", contractor=2),
                contractors=[hurtownia, ours])
    by_nip = match_credit(credit("615.00", "NIP 772-274-41-56 ZAPŁATA"), idx, OWN_NIP)
    assert (by_nip.outcome, by_nip.reason, by_nip.allocations) == (
        Outcome.SURE, Reason.NIP_AMOUNT, ((1, Decimal("615.00")),))
    assert match_credit(credit("615.00", f"NIP {OWN_NIP}"), idx, OWN_NIP).outcome \
        == Outcome.UNMATCHED
    assert nips_in(["NIP 1234567890"]) == set()  # checksum


def test_an_account_and_a_nip_of_different_contractors_are_unsure():
    a = ContractorFacts(1, "Alfa", "", frozenset({ACCOUNT}))
    b = ContractorFacts(2, "Beta", HURTOWNIA_NIP)
    idx = index(doc(1, "X/1", "615.00"), doc(2, "X/2", "615.00", contractor=2),
                contractors=[a, b])
    decision = match_credit(credit("615.00", f"NIP {HURTOWNIA_NIP}", account=ACCOUNT), idx)
    assert (decision.outcome, decision.reason) == (Outcome.UNSURE, Reason.SEVERAL_PAYERS)
    assert set(decision.candidates) == {1, 2}


def test_a_name_alone_is_never_sure():
    zurek = ContractorFacts(1, "Usługi Remontowe Żurek Piotr")
    idx = index(doc(1, "X/1", "1500.00"), contractors=[zurek])
    decision = match_credit(credit("1500.00", "PRZELEW", name="USŁUGI REMONTOWE ŻUREK PIOTR "
                                   "UL. KRÓTKA 3 31-000 KRAKÓW"), idx)
    assert (decision.outcome, decision.reason, decision.candidates) == (
        Outcome.UNSURE, Reason.NAME_ONLY, (1,))


def test_nothing_to_go_by_is_unmatched():
    idx = index(doc(1, "FV/1/2026", "100.00"))
    decision = match_credit(credit("100.00", "REMITTANCE ISSUED", name="AVON"), idx)
    assert (decision.outcome, decision.reason) == (Outcome.UNMATCHED, Reason.NOTHING)


def test_a_document_in_another_currency_is_not_paid_by_a_pln_credit():
    idx = index(doc(1, "FV/1/2026", "100.00", currency="EUR"))
    decision = match_credit(credit("100.00", "FV/1/2026"), idx)
    assert (decision.outcome, decision.reason) == (Outcome.UNMATCHED, Reason.OTHER_CURRENCY)
    mixed = index(doc(1, "FV/1/2026", "100.00", currency="EUR"), doc(2, "FV/2/2026", "50.00"))
    both = match_credit(credit("50.00", "FV/1/2026 FV/2/2026"), mixed)
    assert (both.outcome, both.reason, both.candidates) == (
        Outcome.UNSURE, Reason.OTHER_CURRENCY, (2,))


def test_what_an_earlier_credit_paid_and_taught_counts_for_the_next():
    idx = index(doc(1, "FV/1/2026", "1000.00"), doc(2, "FV/2/2026", "615.00"))
    first = match_credit(credit("600.00", "FV/1/2026"), idx)
    idx.settle(1, first.allocations[0][1])
    assert match_credit(credit("400.00", "FV/1/2026"), idx).reason == Reason.NUMBERS_TOTAL
    idx.settle(1, Decimal("400.00"))
    paid = match_credit(credit("400.00", "FV/1/2026"), idx)
    assert (paid.outcome, paid.unexplained) == (Outcome.UNMATCHED, ("FV/1/2026",))
    idx.learn(1, ACCOUNT)
    by_account = match_credit(credit("615.00", "", account=ACCOUNT), idx)
    assert by_account.allocations == ((2, Decimal("615.00")),)


def test_candidates_are_limited_equal_amounts_first():
    payer = ContractorFacts(1, "Alfa", "", frozenset({ACCOUNT}))
    many = [doc(i, f"M/{i}/2026", "10.00", due=dt.date(2026, 1, 1) + dt.timedelta(days=i))
            for i in range(1, 40)]
    decision = match_credit(credit("7.00", "", account=ACCOUNT),
                            index(*many, contractors=[payer]))
    assert len(decision.candidates) == CANDIDATE_LIMIT
    assert decision.candidates[0] == 1  # the oldest due date


def test_what_points_at_a_candidate_and_the_strongest_first():
    """Issue 12, point 9: each candidate says what in the credit points at it; one with
    nothing but the amount is weak, and candidates sort the strongest first."""
    from windykacja.banking.matching import (
        Evidence,
        candidate_evidence,
        is_weak,
        strength,
    )

    hurtownia = ContractorFacts(1, "Hurtownia Zielona sp. z o.o.", HURTOWNIA_NIP,
                                frozenset({ACCOUNT}))
    stranger = ContractorFacts(2, "Zupełnie Inna sp. z o.o.", "5260250274")
    paid = credit("615.00", f"FV/2026/03/004 NIP {HURTOWNIA_NIP}", account=ACCOUNT,
                  name="HURTOWNIA ZIELONA SP Z O O")
    named = candidate_evidence(paid, doc(1, "FV/2026/03/004", "615.00"), hurtownia, OWN_NIP)
    assert named == {Evidence.NUMBER, Evidence.ACCOUNT, Evidence.NIP, Evidence.NAME,
                     Evidence.AMOUNT}
    same_amount = candidate_evidence(paid, doc(2, "FV/2026/02/777", "615.00", contractor=2),
                                     stranger, OWN_NIP)
    assert same_amount == {Evidence.AMOUNT} and is_weak(same_amount)
    by_payer = candidate_evidence(paid, doc(3, "FV/2026/02/017", "4920.00"), hurtownia,
                                  OWN_NIP)
    assert Evidence.NUMBER not in by_payer and not is_weak(by_payer)
    ordered = sorted([same_amount, by_payer, named], key=strength)
    assert ordered == [named, by_payer, same_amount]
