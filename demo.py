"""A database of believable sample data for trying the program (``windykacja demo``).

``build_demo`` fills an *empty* database with Polish contractors (companies, civil
partnerships, sole traders, a tenth of foreign customers writing in English), six
months of invoices before the clock's today, and their payments: most older
invoices paid in full (on time or late), some partly, a share overdue and unpaid.

Everything goes through the same actions a person or an importer uses
(``create_contractor``, ``create_document``, ``record_payment``), day by day. The
module is on from the first day, and for the last weeks of that past
(``PASSES_FROM_DAYS`` before today) the worker ran its ordinary pass on every
allowed day (``run_pass`` with a stand-in transport that accepts everything), so the
history holds real rendered reminders, demands 1..3, ends of collection and pass
runs. Its first pass caught up with the older unpaid invoices, as SPEC §4 says a
late-started worker does. The past passes stop ``HISTORY_GAP_DAYS`` before today,
as if the office had been away for a week: the first ``run-once`` then has
reminders *and* demands 1–3 to send. The whole demo is one transaction: it is
stored complete or not at all.

Decisions a careful bookkeeper would expect, written down:

* Settings are saved first, so the module is on before the first invoice is
  created and every invoice takes its contractor's flag (SPEC §3).
* Passes run only in the last weeks of the past, not all six months: rendering and
  recording a message costs a few milliseconds, and six months of daily passes
  (about 2,000 messages for the default size) would take the demo past ten seconds.
* The report consent is switched on only at the end of the past: otherwise the
  past would hold one report e-mail to the user for every invoice paid after a
  reminder (over a thousand), which buries the interesting messages.
* Foreign customers have no Polish NIP (the field stays empty); every NIP given
  has a valid checksum.
* Transfers are booked on business days; cash is paid on whatever day it was paid.
* The same ``seed`` and the same today give the same contractors, invoices and
  payments (message ids and their random parts aside).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .dunning.lease import Lease
from .dunning.transports import SendResult
from .i18n import t
from .ledger.actions import create_contractor, create_document, record_payment
from .ledger.calendar import is_business_day, legal_due_date
from .ledger.clock import Clock, FixedClock, utc_now_naive
from .ledger.settings import CollectionSettings, load_settings, save_settings
from .ledger.validation import normalise_vat_eu
from .models import Contractor, Document, Message, MessageState, Payment, database

AUTHOR = "demo"
HISTORY_DAYS = 183  # "the last six months"
PASSES_FROM_DAYS = 49  # the worker has run daily for the last seven weeks ...
HISTORY_GAP_DAYS = 7  # ... but not in the last week (see the docstring)
PAYMENT_TERMS = (7, 14, 21, 30)
PAYMENT_TERM_WEIGHTS = (20, 45, 15, 20)
CENT = Decimal("0.01")
MIN_GROSS = Decimal("50.00")
MAX_GROSS = Decimal("60000.00")

COMPANY_SETTINGS = {
    "module.enabled": "yes",
    "company.name": "Przykładowa Firma sp. z o.o.",
    "company.nip": "1234563218",
    "company.address": "ul. Marszałkowska 84/92 lok. 109, 00-514 Warszawa",
    "company.bank_account": "PL61 1090 1014 0000 0712 1981 2874",
    "sender.name": "Anna Nowicka, dział należności",
    "sender.email": "windykacja@przykladowa-firma.pl",
    "smtp.url": "",
}
REPORT_SETTINGS = {
    "report.enabled": "yes",
    "report.email": "ksiegowosc@przykladowa-firma.pl",
}
# Letters on paper from today on (issue 16): the contractors without e-mail, and every
# last demand with the debtor-registry warning, wait in the print queue (key 0) after
# today's pass. The history before it was all e-mail.
PAPER_SETTINGS = {
    "letters.enabled": "yes",
    "letters.last_demand": "letter",
    "registry.warning": "yes",
    "registry.bureau_name": "Krajowy Rejestr Długów Biuro Informacji Gospodarczej S.A.",
    "registry.bureau_address": "ul. Danuty Siedzikówny 12, 51-214 Wrocław",
}

# --- words -------------------------------------------------------------------------

MALE_FIRST = (
    "Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin",
    "Grzegorz", "Józef", "Łukasz", "Adam", "Zbigniew", "Jerzy", "Tadeusz", "Mateusz",
    "Dariusz", "Mariusz", "Wojciech", "Ryszard", "Kazimierz", "Henryk", "Maciej",
    "Sławomir", "Jacek", "Bogdan", "Przemysław", "Zdzisław", "Stanisław", "Jarosław",
)
FEMALE_FIRST = (
    "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna",
    "Elżbieta", "Magdalena", "Joanna", "Zofia", "Monika", "Beata", "Danuta", "Jolanta",
    "Grażyna", "Dorota", "Halina", "Teresa", "Urszula", "Jadwiga", "Bożena", "Iwona",
    "Żaneta", "Aleksandra", "Justyna", "Renata", "Wiesława", "Łucja",
)
SURNAMES = (
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
    "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
    "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski",
    "Michalski", "Król", "Wieczorek", "Jabłoński", "Wróbel", "Nowicki", "Majewski",
    "Olszewski", "Stępień", "Jaworski", "Malinowski", "Adamczyk", "Dudek", "Górski",
    "Pawlak", "Witkowski", "Walczak", "Sikora", "Baran", "Rutkowski", "Michalak",
    "Szewczyk", "Ostrowski", "Tomaszewski", "Pietrzak", "Zalewski", "Wróblewski",
    "Jasiński", "Zając", "Marciniak", "Sadowski", "Bąk", "Duda", "Włodarczyk",
    "Chmielewski", "Błaszczyk", "Żak", "Łuczak", "Gołębiowski", "Kaczmarek", "Śliwiński",
    "Czarnecki", "Sobczak", "Kołodziej", "Żmuda", "Kądziela", "Grzelak", "Ćwikliński",
)
TRADES = (
    "Usługi Remontowe", "Usługi Transportowe", "Zakład Stolarski", "Usługi Budowlane",
    "Biuro Rachunkowe", "Usługi Hydrauliczne", "Instalacje Elektryczne",
    "Mechanika Pojazdowa", "Usługi Ogólnobudowlane", "Sklep Spożywczy", "Kwiaciarnia",
    "Piekarnia", "Projektowanie Wnętrz", "Gabinet Stomatologiczny", "Usługi Informatyczne",
    "Zakład Fryzjerski", "Sprzedaż Opału", "Pracownia Krawiecka", "Usługi Ślusarskie",
    "Transport Ciężarowy", "Glazurnictwo", "Usługi Dekarskie", "Catering", "Szkoła Jazdy",
    "Pracownia Cukiernicza", "Usługi Koparką", "Ogrody i Zieleń", "Fotografia Ślubna",
)
STEM_HEADS = (
    "Bud", "Pol", "Eko", "Tech", "Stal", "Med", "Trans", "Agro", "Inter", "Elektro",
    "Hydro", "Info", "Drew", "Mar", "Kom", "Farm", "Term", "Ener", "Auto", "Graf",
    "Mleko", "Rol", "Żur", "Łęk", "Wis", "Gór", "Świet", "Mazow", "Śląsk", "Bał",
)
STEM_TAILS = (
    "pol", "mex", "bud", "tex", "tech", "max", "net", "land", "serwis", "trans", "ex",
    "rol", "med", "sped", "hurt", "stal", "drew", "gaz", "kop", "plast",
)
COMPANY_PATTERNS = (
    "{stem}", "{stem}", "{stem}", "{stem} Polska", "Przedsiębiorstwo Budowlane {stem}",
    "Hurtownia {stem}", "Zakłady Mięsne {stem}", "Drukarnia {stem}", "{stem} Logistyka",
    "Mleczarnia {stem}", "Przedsiębiorstwo Handlowo-Usługowe {stem}", "{stem} Systemy",
    "Centrum Ogrodnicze {stem}", "Tartak {stem}", "Biuro Projektowe {stem}",
)
SC_PREFIXES = ("PHU", "FHU", "PPHU", "Firma Handlowa", "Usługi Transportowe")
PL_CITIES = (  # (city, first two digits of its postal codes, weight)
    ("Warszawa", ("00", "01", "02", "03", "04"), 18), ("Kraków", ("30", "31"), 8),
    ("Łódź", ("90", "91", "92", "93", "94"), 7), ("Wrocław", ("50", "51", "52", "53", "54"), 7),
    ("Poznań", ("60", "61"), 6), ("Gdańsk", ("80",), 5), ("Szczecin", ("70", "71"), 4),
    ("Bydgoszcz", ("85",), 3), ("Lublin", ("20",), 3), ("Białystok", ("15",), 3),
    ("Katowice", ("40",), 4), ("Gdynia", ("81",), 3), ("Częstochowa", ("42",), 2),
    ("Radom", ("26",), 2), ("Toruń", ("87",), 2), ("Kielce", ("25",), 2),
    ("Rzeszów", ("35",), 2), ("Olsztyn", ("10",), 2), ("Zielona Góra", ("65",), 1),
    ("Opole", ("45",), 1), ("Gorzów Wielkopolski", ("66",), 1), ("Bielsko-Biała", ("43",), 2),
    ("Płock", ("09",), 1), ("Elbląg", ("82",), 1), ("Tarnów", ("33",), 1),
    ("Koszalin", ("75",), 1), ("Legnica", ("59",), 1), ("Słupsk", ("76",), 1),
    ("Nowy Sącz", ("33",), 1), ("Zakopane", ("34",), 1), ("Łomża", ("18",), 1),
    ("Siedlce", ("08",), 1), ("Kalisz", ("62",), 1), ("Gniezno", ("62",), 1),
    ("Świdnica", ("58",), 1), ("Żyrardów", ("96",), 1), ("Oświęcim", ("32",), 1),
)
STREETS = (
    "ul. Marszałkowska", "ul. Długa", "ul. Kościuszki", "ul. Mickiewicza", "ul. Słowackiego",
    "ul. Żeromskiego", "ul. 3 Maja", "ul. Jana Pawła II", "ul. Piłsudskiego",
    "ul. Sienkiewicza", "ul. Kolejowa", "ul. Przemysłowa", "ul. Łąkowa", "ul. Ogrodowa",
    "ul. Źródlana", "ul. Świętojańska", "ul. Wrocławska", "ul. Grunwaldzka", "ul. Polna",
    "ul. Leśna", "ul. Krótka", "ul. Szkolna", "ul. Żwirki i Wigury", "ul. Traugutta",
    "ul. Reymonta", "ul. Chopina", "ul. Spółdzielcza", "ul. Wąska", "ul. Ślężna",
    "al. Jerozolimskie", "al. Niepodległości", "os. Kalinowe", "pl. Wolności",
    "ul. Fabryczna", "ul. Składowa", "ul. Rzemieślnicza", "ul. Zwycięstwa",
)
MAIL_HOSTS = ("gmail.com", "wp.pl", "onet.pl", "interia.pl", "o2.pl", "op.pl")
COMPANY_MAILBOXES = ("biuro", "faktury", "ksiegowosc", "kontakt", "finanse", "office")
FOREIGN = (  # country, language forms of company names, cities with postal codes, tld, phone
    (
        "Germany", ("GmbH", "GmbH", "KG", "AG"),
        ("Müller", "Schneider", "Fischer", "Weber", "Hoffmann", "Bauer", "Schäfer", "Krüger"),
        ("Logistik", "Metallbau", "Elektrotechnik", "Holzhandel", "Maschinenbau", "Verpackung"),
        (("10115", "Berlin"), ("20095", "Hamburg"), ("01067", "Dresden"), ("04109", "Leipzig")),
        ("Hauptstraße", "Bahnhofstraße", "Industriestraße", "Lindenweg"), "de", "+49",
    ),
    (
        "Czechia", ("s.r.o.", "a.s."),
        ("Novák", "Dvořák", "Svoboda", "Černý", "Procházka", "Kučera"),
        ("Stavby", "Trans", "Strojírny", "Obchod", "Dřevo"),
        (("110 00", "Praha 1"), ("602 00", "Brno"), ("702 00", "Ostrava")),
        ("Nádražní", "Husova", "Masarykova"), "cz", "+420",
    ),
    (
        "Lithuania", ("UAB", "AB"),
        ("Petrauskas", "Kazlauskas", "Jankauskas", "Stankevičius"),
        ("Logistika", "Statyba", "Prekyba", "Mediena"),
        (("LT-01102", "Vilnius"), ("LT-44248", "Kaunas")),
        ("Gedimino pr.", "Vilniaus g.", "Laisvės al."), "lt", "+370",
    ),
    (
        "Sweden", ("AB",),
        ("Lindqvist", "Andersson", "Johansson", "Nyström", "Berglund"),
        ("Timber", "Design", "Industri", "Bygg", "Trading"),
        (("111 51", "Stockholm"), ("411 04", "Göteborg"), ("211 22", "Malmö")),
        ("Storgatan", "Drottninggatan", "Kungsgatan"), "se", "+46",
    ),
    (
        "United Kingdom", ("Ltd", "Ltd", "plc"),
        ("Baltic", "Green Valley", "Harrison", "Whitmore", "Northgate", "Ashford"),
        ("Trade", "Foods", "Components", "Imports", "Engineering"),
        (("M2 4WU", "Manchester"), ("EC1A 1BB", "London"), ("B1 1AA", "Birmingham")),
        ("King Street", "High Street", "Station Road"), "co.uk", "+44",
    ),
    (
        "Netherlands", ("B.V.",),
        ("Van der Berg", "Jansen", "De Vries", "Bakker", "Visser"),
        ("Foods", "Machinery", "Logistics", "Packaging", "Flowers"),
        (("1012 JS", "Amsterdam"), ("3011 AD", "Rotterdam"), ("3511 AX", "Utrecht")),
        ("Damrak", "Kerkstraat", "Havenweg"), "nl", "+31",
    ),
)
# The EU VAT number of a company in another member state: its prefix and a pattern of
# digits ("#": any digit, the first one not 0; other characters as written). The UK is no
# longer in the EU: its companies have a UK VAT number (GB and nine digits) in the same
# field, checked by the UK's rules.
VAT_EU_FORMATS = {
    "Germany": ("DE", "#########"), "Czechia": ("CZ", "########"),
    "Lithuania": ("LT", "#######1#"), "Sweden": ("SE", "##########01"),
    "Netherlands": ("NL", "#########B01"), "United Kingdom": ("GB", "#########"),
}
_PLAIN = str.maketrans(
    "ąćęłńóśźżĄĆĘŁŃÓŚŹŻäöüßåøéèčřšžůýíáěőűĖėūųįĮ", "acelnoszzACELNOSZZaousaoeecrszuyiaeoueeuuiI"
)

# --- what the demo plans before storing anything --------------------------------------


@dataclass
class _ContractorPlan:
    code: str
    name: str
    nip: str | None
    address: str
    emails: list[str]
    phone: str
    language: str
    subject_to_collection: bool
    term: int  # the usual payment term in days
    habit: str  # prompt | slow | poor: how this customer pays
    weight: float  # how many invoices it gets, relative to the others
    vat_eu: str = ""  # a company in another EU state


@dataclass
class _PaymentPlan:
    paid_on: dt.date
    amount: Decimal
    method: str
    reference: str


@dataclass
class _DocumentPlan:
    number: str
    contractor: int  # index into the contractor plans
    issue_date: dt.date
    due_date: dt.date
    currency: str
    gross: Decimal
    exchange_rate: Decimal | None
    payments: list[_PaymentPlan] = field(default_factory=list)


@dataclass(frozen=True)
class DemoSummary:
    contractors: int
    documents: int
    payments: int
    unpaid: int  # outstanding above zero
    overdue: int  # unpaid and past the legal due date
    messages_sent: int = 0  # reminders, demands and reports the past passes sent
    last_pass: dt.date | None = None


def demo_vat_eu(name: str, address: str) -> str:
    """A valid EU (or UK) VAT number for a demo company abroad ("" elsewhere). Drawn
    from a generator seeded with the name, so that the demo's other figures stay as they
    were (the main generator is not touched)."""
    country = address.rsplit(", ", 1)[-1]
    if country not in VAT_EU_FORMATS:
        return ""
    prefix, pattern = VAT_EU_FORMATS[country]
    rng = random.Random(f"vat-eu:{name}")
    while True:
        number = prefix + "".join(str(rng.randint(1, 9)) if i == 0 and ch == "#"
                                  else str(rng.randint(0, 9)) if ch == "#" else ch
                                  for i, ch in enumerate(pattern))
        try:
            return normalise_vat_eu(number)
        except ValueError:
            continue


def nip_check_digit(first_nine: str) -> int | None:
    """The tenth digit of a NIP, or None when the weighted sum gives 10 (no valid NIP)."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    check = sum(w * int(d) for w, d in zip(weights, first_nine, strict=True)) % 11
    return None if check == 10 else check


def random_nip(rng: random.Random) -> str:
    """Ten digits with a valid checksum; the first three look like a tax office code."""
    while True:
        first = f"{rng.randint(101, 999)}{rng.randint(0, 999_999):06d}"
        check = nip_check_digit(first)
        if check is not None:
            return f"{first}{check}"


def _slug(text: str) -> str:
    plain = text.translate(_PLAIN).lower()
    return "".join(ch if ch.isalnum() else "-" for ch in plain).strip("-").replace("--", "-")


def _female(surname: str) -> str:
    for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if surname.endswith(male):
            return surname[: -len(male)] + female
    return surname


def _person(rng: random.Random) -> tuple[str, str]:
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.5:
        return rng.choice(MALE_FIRST), surname
    return rng.choice(FEMALE_FIRST), _female(surname)


def _stem(rng: random.Random) -> str:
    head = rng.choice(STEM_HEADS)
    tail = rng.choice([t for t in STEM_TAILS if t.lower() != head.lower()])
    return head + (tail if rng.random() < 0.8 else "-" + tail.capitalize())


def _polish_address(rng: random.Random) -> str:
    city, prefixes, _ = rng.choices(PL_CITIES, weights=[c[2] for c in PL_CITIES])[0]
    postal = f"{rng.choice(prefixes)}-{rng.randint(1, 999):03d}"
    number = str(rng.randint(1, 180))
    if rng.random() < 0.15:
        number += rng.choice("abc")
    if rng.random() < 0.35:
        number += f"/{rng.randint(1, 60)}"
    return f"{rng.choice(STREETS)} {number}, {postal} {city}"


def _polish_phone(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"+48 {rng.choice('5678')}{rng.randint(0, 99):02d} {rng.randint(0, 999):03d} " \
               f"{rng.randint(0, 999):03d}"
    area = rng.choice(("22", "12", "42", "71", "61", "58", "91", "52", "81", "85", "32"))
    return f"+48 {area} {rng.randint(200, 899)} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def _polish_contractor(rng: random.Random) -> tuple[str, str | None, list[str]]:
    """(name, NIP, e-mails) of a Polish customer."""
    roll = rng.random()
    if roll < 0.32:  # a sole trader, named after its owner
        first, last = _person(rng)
        if rng.random() < 0.6:
            name = f"{first} {last} {rng.choice(TRADES)}"
        else:
            name = f"{rng.choice(SC_PREFIXES)} „{_stem(rng)}” {first} {last}"
        local = _slug(f"{first}.{last}").replace("-", ".")
        if rng.random() < 0.6:
            emails = [f"{local}@{rng.choice(MAIL_HOSTS)}"]
        else:
            emails = [f"{rng.choice(COMPANY_MAILBOXES)}@{_slug(last)}-{_slug(name.split()[-1])}.pl"]
        return name, random_nip(rng), emails
    stem = _stem(rng)
    domain = f"{_slug(stem)}{rng.choice(('.pl', '.pl', '.com.pl', '.eu'))}"
    if roll < 0.44:  # a civil partnership: the partners are in the name
        (first1, last1), (first2, last2) = _person(rng), _person(rng)
        name = f"{rng.choice(SC_PREFIXES)} {stem} s.c. {first1} {last1}, {first2} {last2}"
    else:
        form = rng.choices(("sp. z o.o.", "S.A.", "sp.j.", "sp.k."), weights=(80, 8, 8, 4))[0]
        name = f"{rng.choice(COMPANY_PATTERNS).format(stem=stem)} {form}"
    emails = [f"{rng.choice(COMPANY_MAILBOXES)}@{domain}"]
    return name, random_nip(rng), emails


def _foreign_contractor(rng: random.Random) -> tuple[str, str, list[str], str]:
    """(name, address, e-mails, phone) of a customer abroad, who reads English."""
    country, forms, names, trades, cities, streets, tld, phone = rng.choice(FOREIGN)
    name = f"{rng.choice(names)} {rng.choice(trades)} {rng.choice(forms)}"
    postal, city = rng.choice(cities)
    address = f"{rng.choice(streets)} {rng.randint(1, 120)}, {postal} {city}, {country}"
    domain = f"{_slug(name.rsplit(' ', 1)[0])}.{tld}"
    emails = [f"{rng.choice(('accounts', 'invoices', 'office', 'finance'))}@{domain}"]
    number = f"{phone} {rng.randint(10, 99)} {rng.randint(1_000_000, 9_999_999)}"
    return name, address, emails, number


def _plan_contractors(rng: random.Random, count: int) -> list[_ContractorPlan]:
    plans: list[_ContractorPlan] = []
    names: set[str] = set()
    width = max(4, len(str(count)))
    for index in range(1, count + 1):
        language = "en" if rng.random() < 0.10 else "pl"
        for _ in range(50):  # names must not repeat: a bookkeeper could not tell them apart
            if language == "en":
                name, address, emails, phone = _foreign_contractor(rng)
                nip = None
            else:
                name, nip, emails = _polish_contractor(rng)
                address, phone = _polish_address(rng), _polish_phone(rng)
            if name not in names:
                break
        else:
            name = f"{name} ({index})"
        names.add(name)
        roll = rng.random()
        if roll < 0.03:
            emails = []
        elif roll < 0.25:
            host = emails[0].partition("@")[2]
            first, last = _person(rng)
            if language == "en":
                second = f"{rng.choice(('ap', 'billing', 'purchasing'))}@{host}"
            elif host in MAIL_HOSTS:  # a sole trader's outside bookkeeper gets a copy
                second = f"biuro@rachunkowe-{_slug(last)}.pl"
            else:  # the person in the customer's office who handles invoices
                second = f"{_slug(f'{first}.{last}').replace('-', '.')}@{host}"
            if second != emails[0]:
                emails = [*emails, second]
        plans.append(
            _ContractorPlan(
                code=f"K{index:0{width}d}",
                name=name,
                nip=nip,
                address=address,
                emails=emails,
                phone=phone if rng.random() < 0.9 else "",
                language=language,
                subject_to_collection=rng.random() >= 0.05,
                term=rng.choices(PAYMENT_TERMS, weights=PAYMENT_TERM_WEIGHTS)[0],
                habit=rng.choices(("prompt", "slow", "poor"), weights=(55, 30, 15))[0],
                weight=rng.lognormvariate(0.0, 1.0),
                vat_eu=demo_vat_eu(name, address) if language == "en" else "",
            )
        )
    return plans


def _issue_days(today: dt.date) -> tuple[list[dt.date], list[float]]:
    """Invoices are issued on business days, rarely on a Saturday; never on Sundays."""
    days, weights = [], []
    for offset in range(HISTORY_DAYS, 0, -1):
        day = today - dt.timedelta(days=offset)
        if is_business_day(day):
            days.append(day)
            weights.append(1.0)
        elif day.weekday() == 5:
            days.append(day)
            weights.append(0.04)
    return days, weights


def _gross(rng: random.Random, currency: str) -> Decimal:
    """Most invoices are a few hundred to a few thousand złoty; a few reach tens of
    thousands. The net is often a round figure; the gross is net plus VAT, half up."""
    scale = (math.log(1400.0), 1.15) if currency == "PLN" else (math.log(1100.0), 0.9)
    limit = MAX_GROSS if currency == "PLN" else Decimal("14000.00")
    while True:
        net = Decimal(str(rng.lognormvariate(*scale))).quantize(CENT, rounding=ROUND_HALF_UP)
        if rng.random() < 0.35:
            net = (net / 50).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 50
        vat = Decimal("0") if currency != "PLN" else rng.choices(
            (Decimal("0.23"), Decimal("0.08"), Decimal("0.05"), Decimal("0")),
            weights=(82, 10, 3, 5),
        )[0]
        gross = (net * (1 + vat)).quantize(CENT, rounding=ROUND_HALF_UP)
        if MIN_GROSS <= gross <= limit:
            return gross


def _euro_rates(rng: random.Random, days: list[dt.date]) -> dict[dt.date, Decimal]:
    """A gentle random walk around 4.27 złoty per euro, four decimals, as NBP tables."""
    rate, rates = 4.2731, {}
    for day in days:
        rate = min(4.36, max(4.19, rate + rng.gauss(0.0, 0.008)))
        rates[day] = Decimal(f"{rate:.4f}")
    return rates


def _next_business_day(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def _round_part(rng: random.Random, gross: Decimal) -> Decimal:
    """A part payment: often a round sum, always less than the whole."""
    part = (gross * Decimal(str(rng.uniform(0.2, 0.75)))).quantize(CENT)
    if part > 200 and rng.random() < 0.7:
        part = (part / 100).quantize(Decimal("1")) * 100
    return max(CENT, min(part, gross - CENT))


def _plan_payments(
    rng: random.Random, document: _DocumentPlan, habit: str, today: dt.date
) -> list[_PaymentPlan]:
    """How this invoice was settled, as of today: payments dated today or later have
    simply not happened yet."""
    outcome = rng.choices(
        ("on_time", "late", "partial", "unpaid"),
        weights={
            "prompt": (88, 8, 2, 2),
            "slow": (45, 38, 7, 10),
            "poor": (15, 30, 20, 35),
        }[habit],
    )[0]
    gross = document.gross
    small_cash = gross < 1000 and document.currency == "PLN" and rng.random() < 0.12
    method = "cash" if small_cash else "transfer"
    schedule = _payment_schedule(rng, document, outcome)
    if schedule is None:  # unpaid
        return []
    dates, amounts = schedule
    if rng.random() < 0.01:
        method = "offset"
    payments = []
    for number, (day, amount) in enumerate(zip(dates, amounts, strict=True), start=1):
        day = max(day, document.issue_date)
        if method != "cash":
            day = _next_business_day(day)
        if day >= today:
            break
        reference = _payment_reference(rng, document, method, number, day, len(dates))
        payments.append(_PaymentPlan(day, amount, method, reference))
    return payments


def _payment_schedule(
    rng: random.Random, document: _DocumentPlan, outcome: str
) -> tuple[list[dt.date], list[Decimal]] | None:
    """The dates and amounts of the payments an outcome makes (None: unpaid), before
    moving them to business days and dropping those not yet due."""
    gross, due = document.gross, document.due_date
    if outcome == "on_time":
        span = (due - document.issue_date).days
        dates = [document.issue_date + dt.timedelta(days=max(1, span - int(rng.expovariate(0.25))))]
        amounts = [gross]
    elif outcome == "late":
        paid = legal_due_date(due) + dt.timedelta(days=1 + int(rng.expovariate(1 / 18)))
        if rng.random() < 0.2 and gross > 400:  # settled in two instalments
            first = _round_part(rng, gross)
            dates = [paid, paid + dt.timedelta(days=rng.randint(7, 30))]
            amounts = [first, gross - first]
        else:
            dates, amounts = [paid], [gross]
    elif outcome == "partial":
        first = _round_part(rng, gross)
        dates = [due + dt.timedelta(days=rng.randint(-3, 25))]
        amounts = [first]
        if rng.random() < 0.4 and gross - first > 100:
            second = _round_part(rng, gross - first)
            dates.append(dates[0] + dt.timedelta(days=rng.randint(10, 40)))
            amounts.append(second)
    else:
        return None
    return dates, amounts


def _payment_reference(rng: random.Random, document: _DocumentPlan, method: str, number: int,
                       day: dt.date, instalments: int) -> str:
    """The title a payment of ``method`` carries: a cash receipt, a set-off note, a transfer."""
    if method == "cash":
        return f"KP/{day:%Y/%m}/{rng.randint(1, 400):03d}"
    if method == "offset":
        return f"nota kompensacyjna NK/{number}/{day:%Y}"
    reference = f"Zapłata za {document.number}"
    if instalments > 1:
        reference += f" (rata {number})"
    return reference


def _plan_documents(
    rng: random.Random, contractors: list[_ContractorPlan], count: int, today: dt.date
) -> list[_DocumentPlan]:
    days, day_weights = _issue_days(today)
    issue_dates = sorted(rng.choices(days, weights=day_weights, k=count))
    owners = rng.choices(range(len(contractors)), weights=[c.weight for c in contractors], k=count)
    rates = _euro_rates(rng, days)
    per_month: dict[tuple[int, int], int] = defaultdict(int)
    plans = []
    for issue_date, owner in zip(issue_dates, owners, strict=True):
        contractor = contractors[owner]
        per_month[(issue_date.year, issue_date.month)] += 1
        sequence = per_month[(issue_date.year, issue_date.month)]
        number = f"FV/{issue_date:%Y}/{issue_date:%m}/{sequence:04d}"
        euro = rng.random() < (0.25 if contractor.language == "en" else 0.008)
        term = contractor.term if rng.random() < 0.9 else rng.choice(PAYMENT_TERMS)
        document = _DocumentPlan(
            number=number,
            contractor=owner,
            issue_date=issue_date,
            due_date=issue_date + dt.timedelta(days=term),
            currency="EUR" if euro else "PLN",
            gross=_gross(rng, "EUR" if euro else "PLN"),
            exchange_rate=rates[issue_date] if euro else None,
        )
        document.payments = _plan_payments(rng, document, contractor.habit, today)
        plans.append(document)
    return plans


# --- storing -------------------------------------------------------------------------


class _PastLease(Lease):
    """The demo's stand-in for the sender lease. The demo holds the database's write
    lock for its whole transaction, so no other process can plan or send meanwhile;
    renewing a row nobody else can read would only cost time."""

    def renew(self) -> None:
        return None


class _PastTransport:
    """The mail server of the demo's past: every message is accepted, nothing is sent.
    Only ``build_demo`` uses it, for passes on days before today."""

    def __enter__(self) -> _PastTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, raw: str, sender: str, recipients: list[str]) -> SendResult:
        return SendResult(reply="accepted in the demo's past; nothing was sent")


def _at(clock: Clock, day: dt.date, hour: int, minute: int = 0) -> FixedClock:
    return FixedClock(day, dt.time(hour, minute), timezone=clock.timezone)


def _summary(today: dt.date, last_pass: dt.date | None) -> DemoSummary:
    unpaid = Document.select().where(Document.outstanding > 0)
    return DemoSummary(
        contractors=Contractor.select().count(),
        documents=Document.select().count(),
        payments=Payment.select().count(),
        unpaid=unpaid.count(),
        overdue=unpaid.where(Document.legal_due_date < today).count(),
        messages_sent=Message.select().where(Message.state == MessageState.SENT).count(),
        last_pass=last_pass,
    )


def build_demo(
    clock: Clock, *, contractors: int = 200, documents: int = 2000, seed: int = 7
) -> DemoSummary:
    """Fill an empty database with sample data up to ``clock.today()``; see the module."""
    if contractors < 1:
        raise ValueError(t("the demo needs at least one contractor"))
    if documents < 0:
        raise ValueError(t("the number of documents cannot be negative"))
    if Contractor.select().exists() or Document.select().exists():
        raise ValueError(t(
            "the database already holds contractors or documents; the demo fills only an "
            "empty database"
        ))
    from .dunning.passes import run_pass  # the rendering machinery, only needed here

    today = clock.today()
    rng = random.Random(seed)
    contractor_plans = _plan_contractors(rng, contractors)
    document_plans = _plan_documents(rng, contractor_plans, documents, today)
    start = today - dt.timedelta(days=HISTORY_DAYS + 1)
    first_pass_day = today - dt.timedelta(days=PASSES_FROM_DAYS)
    last_pass_day = today - dt.timedelta(days=HISTORY_GAP_DAYS)

    issued: dict[dt.date, list[_DocumentPlan]] = defaultdict(list)
    paid: dict[dt.date, list[tuple[_DocumentPlan, _PaymentPlan]]] = defaultdict(list)
    for plan in document_plans:
        issued[plan.issue_date].append(plan)
        for payment in plan.payments:
            paid[payment.paid_on].append((plan, payment))

    last_pass = None
    with database.atomic():
        setup_clock = _at(clock, start, 8)
        settings: CollectionSettings = save_settings(
            COMPANY_SETTINGS, AUTHOR, utc_now_naive(setup_clock)
        )
        stored_contractors = [
            create_contractor(
                setup_clock,
                code=c.code,
                name=c.name,
                nip=c.nip,
                vat_eu=c.vat_eu,
                address=c.address,
                emails="\n".join(c.emails),
                phone=c.phone,
                language=c.language,
                subject_to_collection=c.subject_to_collection,
            )
            for c in contractor_plans
        ]
        stored: dict[str, Document] = {}
        lease = _PastLease(holder=f"demo:{seed}")
        transport = _PastTransport()
        day = start + dt.timedelta(days=1)
        while day < today:
            if first_pass_day <= day <= last_pass_day and settings.sending_days.is_allowed(day):
                pass_clock = _at(clock, day, settings.schedule_time.hour,
                                 settings.schedule_time.minute)
                run_pass(pass_clock, settings, day, transport, lease)
                last_pass = day
            office = _at(clock, day, 10)
            for plan in issued.get(day, []):
                stored[plan.number] = create_document(
                    office, settings, stored_contractors[plan.contractor], plan.number,
                    plan.issue_date, plan.due_date, plan.gross, plan.currency,
                    plan.exchange_rate,
                )
            bank = _at(clock, day, 14)
            for plan, payment in paid.get(day, []):
                record_payment(
                    bank, settings, stored[plan.number], payment.paid_on, payment.amount,
                    payment.method, payment.reference, author=AUTHOR,
                )
            day += dt.timedelta(days=1)
        yesterday = _at(clock, today - dt.timedelta(days=1), 16)
        save_settings({**REPORT_SETTINGS, **PAPER_SETTINGS}, AUTHOR, utc_now_naive(yesterday))
        load_settings()  # the stored settings must read back
        return _summary(today, last_pass)


__all__ = ["DemoSummary", "build_demo", "nip_check_digit", "random_nip"]
