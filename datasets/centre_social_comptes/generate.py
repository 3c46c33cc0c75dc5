"""Generate the books (FEC 2022, 2023, 2024) of the fictitious centre social « Les Tilleuls ».

Run: /work/venv/bin/python datasets/centre_social_comptes/generate.py
Writes next to this script, deterministically (fixed seed):

- ``999000001FEC20221231.txt``, ``999000001FEC20231231.txt``, ``999000001FEC20241231.txt``:
  one FEC per financial year (18 regulatory fields + an ``Analytique`` column, tab-separated,
  UTF-8, decimal comma, dates AAAAMMJJ), opening entries first, entries numbered continuously;
- ``subventions.csv``: the operating subsidies notified each year (funder, object, amount,
  analytic code), as booked in 74;
- ``versements_subventions.csv``: every subsidy payment received (date, funder, amount).

Every entry is balanced; the opening balances of a year are the closing balances of the previous
one (the result waits in 120/129 until the general meeting allocates it in June).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SIREN = "999000001"
SEED = 1901
YEARS = [2022, 2023, 2024]

LABELS = {
    "102": "Fonds associatif sans droit de reprise",
    "1068": "Réserves pour projet associatif",
    "110": "Report à nouveau (solde créditeur)",
    "119": "Report à nouveau (solde débiteur)",
    "120": "Résultat de l'exercice (excédent)",
    "129": "Résultat de l'exercice (déficit)",
    "131": "Subventions d'équipement reçues",
    "139": "Subventions d'équipement inscrites au compte de résultat",
    "151": "Provisions pour risques (litige prud'homal)",
    "164": "Emprunt Crédit Coopératif travaux",
    "194": "Fonds dédiés sur subventions d'exploitation",
    "2181": "Agencements et aménagements des locaux",
    "2182": "Matériel de transport (minibus)",
    "2183": "Matériel de bureau et informatique",
    "2184": "Mobilier",
    "275": "Dépôts et cautionnements versés",
    "28181": "Amortissements agencements",
    "28182": "Amortissements matériel de transport",
    "28183": "Amortissements matériel informatique",
    "28184": "Amortissements mobilier",
    "401": "Fournisseurs",
    "411": "Usagers",
    "421": "Personnel - rémunérations dues",
    "4282": "Dettes provisionnées pour congés à payer",
    "431": "URSSAF",
    "437": "Caisses de retraite et prévoyance",
    "4382": "Charges sociales sur congés à payer",
    "4411": "Subventions d'investissement à recevoir",
    "4417": "Subventions d'exploitation à recevoir",
    "486": "Charges constatées d'avance",
    "487": "Produits constatés d'avance",
    "5121": "Crédit Coopératif - compte courant",
    "5122": "Crédit Coopératif - livret associatif",
    "531": "Caisse",
    "6042": "Achats de prestations (sorties, spectacles)",
    "6061": "Eau, énergie",
    "6063": "Petit équipement et entretien",
    "6064": "Fournitures administratives",
    "6068": "Fournitures d'activités",
    "6132": "Locations",
    "6152": "Entretien et réparations",
    "616": "Assurances",
    "6181": "Documentation",
    "6226": "Honoraires (expert-comptable, commissaire aux comptes)",
    "6228": "Intervenants extérieurs",
    "6237": "Publications et communication",
    "6248": "Transports collectifs (cars des sorties)",
    "6251": "Déplacements",
    "6257": "Réceptions",
    "626": "Frais postaux et télécommunications",
    "6278": "Frais bancaires",
    "6281": "Cotisations fédération des centres sociaux",
    "6311": "Taxe sur les salaires",
    "6333": "Formation professionnelle continue",
    "6411": "Salaires",
    "6412": "Congés payés",
    "6413": "Primes",
    "6451": "Cotisations URSSAF",
    "6452": "Mutuelle",
    "6453": "Retraite complémentaire et prévoyance",
    "6475": "Médecine du travail",
    "654": "Pertes sur créances irrécouvrables",
    "657": "Aides financières aux familles (départs en vacances)",
    "6611": "Intérêts de l'emprunt",
    "6718": "Charges exceptionnelles (indemnité transactionnelle)",
    "6811": "Dotations aux amortissements",
    "6815": "Dotations aux provisions",
    "6894": "Reports en fonds dédiés sur subventions",
    "7061": "Participations des familles - accueil de loisirs",
    "7062": "Participations des familles - sorties et séjours",
    "7064": "Participations aux ateliers",
    "7411": "Subvention État - contrat de ville (ANCT)",
    "7412": "Subvention État - poste FONJEP",
    "7413": "Subvention État - conseiller numérique",
    "7414": "Aide ASP - parcours emploi compétences",
    "742": "Subvention Région",
    "743": "Subvention Département",
    "744": "Subvention Communauté d'agglomération",
    "745": "Subvention Commune",
    "746": "CAF - prestations de service et subventions",
    "748": "Fondation (aide privée)",
    "75411": "Dons manuels",
    "7561": "Cotisations des adhérents",
    "768": "Intérêts du livret",
    "777": "Quote-part des subventions d'équipement virée au résultat",
    "7815": "Reprises sur provisions",
    "7894": "Utilisations des fonds dédiés",
    "860": "Secours en nature (denrées, jouets)",
    "861": "Mise à disposition gratuite des locaux",
    "864": "Personnel bénévole",
    "870": "Dons en nature",
    "871": "Prestations en nature (locaux municipaux)",
    "875": "Bénévolat",
}
JOURNALS = {
    "AN": "A nouveaux",
    "AC": "Achats",
    "BQ": "Banque",
    "CA": "Caisse",
    "OD": "Opérations diverses",
    "PA": "Paie",
    "VT": "Ventes et participations",
}

# Analytic codes (project or activity)
ALSH, FAM, JEU, NUM, INS, FONC = (
    "accueil_loisirs",
    "famille",
    "jeunesse",
    "numerique",
    "insertion",
    "fonctionnement",
)

# Staff: (id, name, job, analytic, monthly gross 2022)
STAFF = [
    ("S01", "Directrice", FONC, 3600),
    ("S02", "Comptable - secrétaire de direction", FONC, 2350),
    ("S03", "Chargée d'accueil", FONC, 1900),
    ("S04", "Agent d'entretien (temps partiel)", FONC, 1150),
    ("S05", "Référente familles", FAM, 2450),
    ("S06", "Animatrice familles", FAM, 1800),
    ("S07", "Coordinateur accueil de loisirs", ALSH, 2500),
    ("S08", "Animatrice accueil de loisirs", ALSH, 1480),
    ("S09", "Animateur accueil de loisirs", ALSH, 1480),
    ("S10", "Animatrice accueil de loisirs (temps partiel)", ALSH, 1150),
    ("S11", "Animateur accueil de loisirs (temps partiel)", ALSH, 1150),
    ("S12", "Coordinatrice jeunesse", JEU, 2300),
    ("S13", "Animateur jeunesse", JEU, 1900),
    ("S14", "Conseiller numérique", NUM, 2100),
    ("S15", "Conseillère en insertion professionnelle", INS, 2400),
]
RAISE = {2022: 1.0, 2023: 1.035, 2024: 1.055}

# Operating subsidies notified: (funder id, funder, CERFA category, account, object, analytic,
# amounts by year, payment schedule [(month offset from January of N, share)])
SUBSIDIES = [
    (
        "CAF",
        "Caisse d'allocations familiales",
        "Organismes sociaux",
        "746",
        "Prestation de service animation globale et coordination",
        FONC,
        {2022: 74000, 2023: 75500, 2024: 77000},
        [(4, 0.7), (17, 0.3)],
    ),
    (
        "CAF",
        "Caisse d'allocations familiales",
        "Organismes sociaux",
        "746",
        "Prestation de service animation collective familles",
        FAM,
        {2022: 25500, 2023: 26000, 2024: 26500},
        [(4, 0.7), (17, 0.3)],
    ),
    (
        "CAF",
        "Caisse d'allocations familiales",
        "Organismes sociaux",
        "746",
        "Prestation de service accueil de loisirs (ALSH)",
        ALSH,
        {2022: 92000, 2023: 96000, 2024: 99000},
        [(5, 0.7), (17, 0.3)],
    ),
    (
        "CAF",
        "Caisse d'allocations familiales",
        "Organismes sociaux",
        "746",
        "Contrat local d'accompagnement à la scolarité (CLAS)",
        JEU,
        {2022: 15500, 2023: 16000, 2024: 16000},
        [(10, 0.5), (18, 0.5)],
    ),
    (
        "COMMUNE",
        "Commune de Saint-Aubin-les-Prés",
        "Commune(s)",
        "745",
        "Convention pluriannuelle d'objectifs - fonctionnement du centre social",
        FONC,
        {2022: 80000, 2023: 78000, 2024: 82000},
        [(0, 0.25), (3, 0.25), (6, 0.25), (9, 0.25)],
    ),
    (
        "COMMUNE",
        "Commune de Saint-Aubin-les-Prés",
        "Commune(s)",
        "745",
        "Actions familles et parentalité",
        FAM,
        {2022: 35000, 2023: 35000, 2024: 36000},
        [(0, 0.25), (3, 0.25), (6, 0.25), (9, 0.25)],
    ),
    (
        "COMMUNE",
        "Commune de Saint-Aubin-les-Prés",
        "Commune(s)",
        "745",
        "Accueil de loisirs des mercredis et vacances",
        ALSH,
        {2022: 60000, 2023: 61000, 2024: 62000},
        [(0, 0.25), (3, 0.25), (6, 0.25), (9, 0.25)],
    ),
    (
        "COMMUNE",
        "Commune de Saint-Aubin-les-Prés",
        "Commune(s)",
        "745",
        "Projet jeunesse « Cap ados »",
        JEU,
        {2022: 40000, 2023: 40000, 2024: 41000},
        [(2, 0.5), (8, 0.5)],
    ),
    (
        "DEPT",
        "Département",
        "Département(s)",
        "743",
        "Accompagnement socioprofessionnel des bénéficiaires du RSA",
        INS,
        {2022: 38000, 2023: 39000, 2024: 34000},
        [(4, 0.8), (14, 0.2)],
    ),
    (
        "DEPT",
        "Département",
        "Département(s)",
        "743",
        "Parentalité et soutien aux familles",
        FAM,
        {2022: 9000, 2023: 9000, 2024: 8000},
        [(5, 1.0)],
    ),
    (
        "ETAT-CV",
        "État - Agence nationale de la cohésion des territoires (contrat de ville)",
        "État",
        "7411",
        "Actions politique de la ville (jeunesse et insertion)",
        INS,
        {2022: 18000, 2023: 20000, 2024: 20000},
        [(8, 1.0)],
    ),
    (
        "FONJEP",
        "État - FONJEP (poste jeunesse)",
        "État",
        "7412",
        "Poste FONJEP",
        JEU,
        {2022: 7164, 2023: 7164, 2024: 7164},
        [(2, 0.25), (5, 0.25), (8, 0.25), (11, 0.25)],
    ),
    (
        "ETAT-NUM",
        "État - Agence nationale de la cohésion des territoires (conseiller numérique)",
        "État",
        "7413",
        "Conseiller numérique France services",
        NUM,
        {2022: 25000, 2023: 17500, 2024: 0},
        [(1, 0.5), (8, 0.5)],
    ),
    (
        "ASP",
        "Agence de services et de paiement",
        "ASP (emplois aidés)",
        "7414",
        "Parcours emploi compétences (animateur accueil de loisirs)",
        ALSH,
        {2022: 9800, 2023: 7200, 2024: 4200},
        [(m, 1 / 12) for m in range(1, 13)],
    ),
    (
        "REGION",
        "Région",
        "Région(s)",
        "742",
        "Inclusion numérique et emploi associatif",
        NUM,
        {2022: 12000, 2023: 12000, 2024: 15000},
        [(6, 0.5), (15, 0.5)],
    ),
    (
        "AGGLO",
        "Communauté d'agglomération",
        "Intercommunalité(s)",
        "744",
        "Mobilité des jeunes et chantiers éducatifs",
        JEU,
        {2022: 8000, 2023: 8000, 2024: 8000},
        [(10, 1.0)],
    ),
    (
        "FONDATION",
        "Fondation Solidarités Numériques (fictive)",
        "Aides privées (fondation)",
        "748",
        "Ateliers numériques pour les seniors",
        NUM,
        {2022: 0, 2023: 12000, 2024: 6000},
        [(2, 1.0)],
    ),
]
# Unused part of a dedicated subsidy carried to fonds dédiés at closing: (year, funder id,
# object start, amount, analytic)
DEDICATED = [
    (2022, "DEPT", "Accompagnement", 6000.0, INS),
    (2023, "FONDATION", "Ateliers", 4500.0, NUM),
    (2024, "ETAT-CV", "Actions", 5000.0, INS),
]


@dataclass
class Entry:
    journal: str
    day: date
    label: str
    piece: str
    lines: list[tuple[str, float, float, str, str, str]] = field(default_factory=list)
    valid: date | None = None

    def add(
        self,
        account: str,
        debit: float = 0.0,
        credit: float = 0.0,
        analytic: str = "",
        aux: str = "",
        auxlib: str = "",
    ) -> Entry:
        debit, credit = round(debit, 2), round(credit, 2)
        if debit < 0 or credit < 0:
            debit, credit = -credit, -debit
        self.lines.append((account, debit, credit, analytic, aux, auxlib))
        return self


class Book:
    def __init__(self, year: int, rng: np.random.Generator) -> None:
        self.year = year
        self.rng = rng
        self.entries: list[Entry] = []
        self.counter = defaultdict(int)

    def entry(self, journal: str, day: date, label: str, piece: str | None = None) -> Entry:
        self.counter[journal] += 1
        piece = piece or f"{journal}{self.year % 100:02d}-{self.counter[journal]:04d}"
        e = Entry(journal, day, label, piece)
        self.entries.append(e)
        return e

    def money(self, mean: float, spread: float = 0.15) -> float:
        return round(float(mean * (1 + self.rng.uniform(-spread, spread))), 2)

    def balances(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for e in self.entries:
            for account, debit, credit, *_ in e.lines:
                out[account] += debit - credit
        return {k: round(v, 2) for k, v in out.items()}


def month_day(year: int, month: int, day: int) -> date:
    """A date in (year, month), the day clipped to the month's length; month may exceed 12."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day, last))


OPENING_2022 = {
    "2181": 45000.0,
    "28181": -9000.0,
    "2182": 30000.0,
    "28182": -6000.0,
    "2183": 18000.0,
    "28183": -12000.0,
    "2184": 12000.0,
    "28184": -7200.0,
    "275": 1500.0,
    "411": 5400.0,
    "4417": 98600.0,
    "486": 1850.0,
    "5121": 41500.0,
    "5122": 30000.0,
    "531": 420.0,
    "102": -60000.0,
    "1068": -15000.0,
    "120": -11850.0,
    "131": -30000.0,
    "139": 6000.0,
    "164": -32000.0,
    "194": -8000.0,
    "401": -21400.0,
    "4282": -24500.0,
    "4382": -10300.0,
    "431": -27500.0,
    "437": -8400.0,
    "487": -5600.0,
}
OPENING_2022["110"] = -round(sum(OPENING_2022.values()), 2)

# Fixed-asset register: (account, amortisation account, cost, start date, years)
ASSETS = [
    ("2181", "28181", 45000.0, date(2020, 1, 1), 10),
    ("2182", "28182", 30000.0, date(2021, 1, 1), 5),
    ("2183", "28183", 18000.0, date(2019, 1, 1), 6),
    ("2184", "28184", 12000.0, date(2017, 1, 1), 10),
]
INVESTMENTS = {
    2023: [("2183", "28183", 9600.0, date(2023, 3, 15), 3, "Renouvellement des ordinateurs")],
    2024: [("2181", "28181", 24000.0, date(2024, 7, 1), 10, "Rénovation de la salle familles")],
}
SUPPLIERS = {
    "6061": ("F-EDF", "Fournisseur d'énergie", 1450, 12, FONC),
    "6063": ("F-BRICO", "Quincaillerie du centre", 380, 14, FONC),
    "6064": ("F-BUREAU", "Papeterie Moderne", 240, 12, FONC),
    "6068": ("F-LOISIRS", "Loisirs Créatifs Distribution", 520, 30, ALSH),
    "6042": ("F-CULTURE", "Billetterie culturelle", 1100, 22, FAM),
    "6132": ("F-LOC", "Location de minibus et de salles", 480, 10, JEU),
    "6152": ("F-MAINT", "Maintenance bâtiment", 640, 10, FONC),
    "616": ("F-ASSUR", "Mutuelle d'assurance des associations", 7200, 1, FONC),
    "6181": ("F-DOC", "Abonnements et documentation", 95, 8, FONC),
    "6226": ("F-EXPERT", "Cabinet d'expertise comptable", 2900, 4, FONC),
    "6228": ("F-INTER", "Intervenants (ateliers et conférences)", 650, 18, NUM),
    "6237": ("F-IMPR", "Imprimerie du quartier", 310, 8, FONC),
    "6248": ("F-CARS", "Autocars de la vallée", 780, 14, ALSH),
    "6251": ("F-DEPL", "Déplacements (notes de frais)", 140, 20, FONC),
    "6257": ("F-TRAIT", "Traiteur solidaire", 260, 8, FAM),
    "626": ("F-TEL", "Opérateur télécom", 330, 12, FONC),
    "6281": ("F-FCSF", "Fédération des centres sociaux", 2600, 1, FONC),
}
ANALYTIC_SPREAD = {
    "6068": [ALSH, ALSH, JEU, FAM, NUM],
    "6042": [FAM, FAM, JEU, ALSH],
    "6248": [ALSH, ALSH, JEU, FAM],
    "6228": [NUM, INS, FAM, JEU],
    "6257": [FAM, FONC, JEU],
    "6132": [JEU, ALSH, FAM],
}
USER_FEES = [
    ("7061", ALSH, 5200.0, "Participations des familles - accueil de loisirs"),
    ("7062", FAM, 1250.0, "Participations des familles - sorties et séjours"),
    ("7064", NUM, 420.0, "Participations aux ateliers numériques"),
]
SEASON = [0.7, 1.0, 0.8, 1.2, 0.8, 0.9, 2.2, 1.6, 0.6, 1.1, 0.9, 0.7]


def depreciation(cost: float, start: date, years: int, year: int) -> float:
    """Straight-line depreciation of ``year`` (pro rata temporis in days, 360-day convention)."""
    end = date(start.year + years, start.month, start.day)
    first, last = date(year, 1, 1), date(year, 12, 31)
    if end <= first or start > last:
        return 0.0
    months = 12
    if start.year == year:
        months = 12 - start.month + 1 - (0.5 if start.day > 15 else 0)
    if end.year == year:
        months = end.month - 1
    return round(cost / years * months / 12, 2)


def build_year(year: int, opening: dict[str, float], state: dict) -> tuple[Book, dict]:
    rng = np.random.default_rng(SEED + year)
    book = Book(year, rng)
    jan1 = date(year, 1, 1)
    dec31 = date(year, 12, 31)
    an = book.entry("AN", jan1, f"Reprise des soldes au 01/01/{year}", f"AN{year}")
    for account in sorted(opening):
        value = opening[account]
        if abs(value) >= 0.005:
            an.add(account, max(value, 0), max(-value, 0))
    an.valid = jan1

    # reversal of last year's accruals
    book.entry("OD", jan1, "Extourne des charges constatées d'avance").add(
        "616", opening.get("486", 0), analytic=FONC
    ).add("486", credit=opening.get("486", 0))
    book.entry("OD", jan1, "Extourne des produits constatés d'avance").add(
        "487", -opening.get("487", 0)
    ).add("7061", credit=-opening.get("487", 0), analytic=ALSH)

    # allocation of last year's result by the general meeting
    ag = date(year, 6, 18)
    if opening.get("120"):
        book.entry("OD", ag, f"Affectation du résultat {year - 1} (AG du 18 juin)").add(
            "120", -opening["120"]
        ).add("110", credit=-opening["120"])
    if opening.get("129"):
        book.entry("OD", ag, f"Affectation du résultat {year - 1} (AG du 18 juin)").add(
            "110", opening["129"]
        ).add("129", credit=opening["129"])

    # --- payroll ------------------------------------------------------------------------------
    gross_by_code: dict[str, float] = defaultdict(float)
    for month in range(1, 13):
        pay_day = month_day(year, month, 28)
        e = book.entry("PA", pay_day, f"Paie {pay_day:%m/%Y}")
        total_gross = 0.0
        code_gross: dict[str, float] = defaultdict(float)
        for sid, job, code, base in STAFF:
            if year == 2024 and sid == "S14" and month > 9:
                continue  # the conseiller numérique leaves on 30 September 2024
            gross = round(base * RAISE[year] * (1 + rng.uniform(-0.02, 0.03)), 2)
            if month == 12:
                gross = round(gross * 1.5, 2)  # year-end bonus
            e.add("6411", gross, analytic=code, aux=sid, auxlib=job)
            total_gross += gross
            code_gross[code] += gross
        employee_share = round(total_gross * 0.22, 2)
        e.add("431", credit=round(employee_share * 0.75, 2))
        e.add("437", credit=round(employee_share - round(employee_share * 0.75, 2), 2))
        e.add("421", credit=round(total_gross - employee_share, 2))
        ch = book.entry("PA", pay_day, f"Charges patronales {pay_day:%m/%Y}")
        urssaf = retraite = mutuelle = 0.0
        for code, gross in sorted(code_gross.items()):
            u = round(gross * 0.205, 2)
            r = round(gross * 0.062, 2)
            m = round(gross * 0.012, 2)
            ch.add("6451", u, analytic=code).add("6453", r, analytic=code)
            ch.add("6452", m, analytic=code)
            urssaf, retraite, mutuelle = urssaf + u, retraite + r, mutuelle + m
            gross_by_code[code] += gross
        ch.add("431", credit=round(urssaf, 2)).add("437", credit=round(retraite + mutuelle, 2))
        # net pay transferred on the last working day
        pay = book.entry("BQ", month_day(year, month, 30), f"Virement des salaires {pay_day:%m/%Y}")
        pay.add("421", round(total_gross - employee_share, 2)).add(
            "5121", credit=round(total_gross - employee_share, 2)
        )
    # social charges paid the 15th of the next month (December's in January of N+1)
    bal = book.balances()
    for month in range(1, 13):
        day = month_day(year, month, 15)
        due_431 = sum(
            ln[2]
            for e in book.entries
            if e.journal == "PA" and e.day.month == month - 1 and e.day.year == year
            for ln in e.lines
            if ln[0] == "431"
        )
        due_437 = sum(
            ln[2]
            for e in book.entries
            if e.journal == "PA" and e.day.month == month - 1 and e.day.year == year
            for ln in e.lines
            if ln[0] == "437"
        )
        if month == 1:
            due_431, due_437 = -opening.get("431", 0), -opening.get("437", 0)
        book.entry("BQ", day, f"Prélèvement URSSAF et retraite {day:%m/%Y}").add(
            "431", due_431
        ).add("437", due_437).add("5121", credit=round(due_431 + due_437, 2))
    bal = book.balances()

    # payroll taxes (once a year) and occupational health
    total_gross = sum(gross_by_code.values())
    tax = book.entry("BQ", date(year, 1, 14), "Taxe sur les salaires (solde annuel)")
    tax.add("6311", round(total_gross * 0.021, 2), analytic=FONC).add(
        "5121", credit=round(total_gross * 0.021, 2)
    )
    form = book.entry("BQ", date(year, 2, 28), "Contribution formation professionnelle")
    form.add("6333", round(total_gross * 0.01, 2), analytic=FONC).add(
        "5121", credit=round(total_gross * 0.01, 2)
    )
    med = book.entry("BQ", date(year, 3, 10), "Service de santé au travail")
    amount = round(105.0 * len(STAFF), 2)
    med.add("6475", amount, analytic=FONC).add("5121", credit=amount)

    # --- purchases --------------------------------------------------------------------------
    supplier_debt = -opening.get("401", 0)
    pay_first = book.entry(
        "BQ", date(year, 1, 20), "Règlement des factures fournisseurs de décembre"
    )
    pay_first.add("401", supplier_debt).add("5121", credit=supplier_debt)
    open_invoices: list[tuple[date, float, str, str]] = []
    for account, (aux, name, mean, count, code) in SUPPLIERS.items():
        for i in range(count):
            day = month_day(year, int(rng.integers(1, 13)), int(rng.integers(1, 29)))
            if count == 1:
                day = date(year, 1, 25)
            amount = book.money(mean * (1.03 if year > 2022 else 1.0) ** (year - 2022), 0.35)
            spread = ANALYTIC_SPREAD.get(account)
            line_code = spread[i % len(spread)] if spread else code
            direct = account in {"6251", "6257"} or (account == "6063" and i % 3 == 0)
            if direct:
                journal = "CA" if account == "6251" and amount < 150 else "BQ"
                cash = "531" if journal == "CA" else "5121"
                e = book.entry(journal, day, f"{LABELS[account]} - {name}")
                e.add(account, amount, analytic=line_code).add(cash, credit=amount)
            else:
                e = book.entry("AC", day, f"Facture {name}")
                e.add(account, amount, analytic=line_code).add(
                    "401", credit=amount, aux=aux, auxlib=name
                )
                open_invoices.append((day, amount, aux, name))
    for day, amount, aux, name in sorted(open_invoices):
        pay_day = day + timedelta(days=int(rng.integers(15, 45)))
        if pay_day > dec31:
            continue  # still owed at closing
        e = book.entry("BQ", pay_day, f"Règlement {name}")
        e.add("401", amount, aux=aux, auxlib=name).add("5121", credit=amount)
    # family holiday grants and petty cash top-ups
    for i in range(4):
        day = date(year, 6 + i % 2, 10 + i)
        amount = book.money(420, 0.3)
        book.entry("BQ", day, "Aide au départ en vacances d'une famille").add(
            "657", amount, analytic=FAM
        ).add("5121", credit=amount)
    for month in (2, 5, 9, 11):
        day = date(year, month, 5)
        book.entry("BQ", day, "Retrait pour la caisse").add("531", 300).add("5121", credit=300)

    # --- fixed assets and loan ------------------------------------------------------------------
    for account, amort, cost, start, years_, label in INVESTMENTS.get(year, []):
        e = book.entry("AC", start, f"Investissement : {label}")
        e.add(account, cost).add("5121", credit=cost)
        state["assets"].append((account, amort, cost, start, years_))
    if year == 2024:
        notif = book.entry("OD", date(2024, 4, 2), "Subvention d'équipement Commune - rénovation")
        notif.add("4411", 12000, aux="COMMUNE", auxlib="Commune de Saint-Aubin-les-Prés").add(
            "131", credit=12000
        )
        received = book.entry("BQ", date(2024, 9, 20), "Versement subvention d'équipement Commune")
        received.add("5121", 12000).add(
            "4411", credit=12000, aux="COMMUNE", auxlib="Commune de Saint-Aubin-les-Prés"
        )
        state["investment_subsidies"].append((12000.0, date(2024, 7, 1), 10))
    capital = -opening.get("164", 0)
    for month in range(1, 13):
        day = month_day(year, month, 5)
        interest = round(capital * 0.015 / 12, 2)
        e = book.entry("BQ", day, f"Échéance emprunt travaux {day:%m/%Y}")
        e.add("164", 350.0).add("6611", interest, analytic=FONC).add(
            "5121", credit=round(350 + interest, 2)
        )
        capital -= 350.0

    # --- income -----------------------------------------------------------------------------
    # member fees: mostly at the start of the school year
    members = {2022: 640, 2023: 668, 2024: 690}[year]
    fee = 12.0
    weights = np.array([3, 2, 1, 1, 1, 1, 1, 0, 9, 4, 2, 1], dtype=float)
    counts = np.floor(members * weights / weights.sum()).astype(int)
    counts[8] += members - counts.sum()
    for month, n in enumerate(counts, start=1):
        if n:
            day = month_day(year, month, 12)
            book.entry("BQ", day, f"Adhésions familiales {day:%m/%Y} ({n} familles)").add(
                "5121", n * fee
            ).add("7561", credit=n * fee, analytic=FONC)
    # user fees invoiced monthly per activity, paid within two months
    for account, code, mean, label in USER_FEES:
        growth = {2022: 1.0, 2023: 1.04, 2024: 1.07}[year]
        for month in range(1, 13):
            day = month_day(year, month, 31)
            amount = book.money(mean * SEASON[month - 1] * growth, 0.1)
            book.entry("VT", day, f"{label} {day:%m/%Y}").add(
                "411", amount, aux=code.upper()[:4], auxlib="Familles"
            ).add(account, credit=amount, analytic=code)
            share_cash = 0.08
            received = round(amount * (0.985 if month < 12 else 0.55), 2)
            cash = round(received * share_cash, 2)
            day_in = day + timedelta(days=int(rng.integers(10, 40)))
            if day_in <= dec31:
                book.entry("BQ", day_in, f"Encaissement {label.lower()} {day:%m/%Y}").add(
                    "5121", round(received - cash, 2)
                ).add("531", cash).add("411", credit=received, aux=code.upper()[:4])
    opening_411 = opening.get("411", 0)
    book.entry("BQ", date(year, 1, 22), "Encaissement des participations de décembre").add(
        "5121", round(opening_411 * 0.9, 2)
    ).add("411", credit=round(opening_411 * 0.9, 2))
    bad_debts = round(opening_411 * 0.06, 2)
    book.entry("OD", date(year, 11, 30), "Créances irrécouvrables de familles").add(
        "654", bad_debts, analytic=ALSH
    ).add("411", credit=bad_debts)
    # cash deposited at the bank
    for month in (3, 6, 10, 12):
        day = date(year, month, 20)
        book.entry("BQ", day, "Remise d'espèces en banque").add("5121", 1500).add(
            "531", credit=1500
        )
    # donations
    for i in range(6):
        day = month_day(year, [3, 5, 9, 11, 12, 12][i], 8 + 3 * i)
        amount = book.money([350, 200, 500, 300, 900, 1200][i], 0.2)
        book.entry("BQ", day, "Dons manuels").add("5121", amount).add(
            "75411", credit=amount, analytic=FONC
        )

    # subsidies: notification (4417 / 74) and payments
    subs_rows = state["subsidies"]
    for fid, funder, category, account, obj, code, amounts, schedule in SUBSIDIES:
        amount = float(amounts[year])
        if not amount:
            continue
        notif_day = date(year, 2 if fid != "ETAT-CV" else 5, 10 + len(subs_rows) % 15)
        book.entry("OD", notif_day, f"Notification {funder} - {obj} {year}").add(
            "4417", amount, aux=fid, auxlib=funder
        ).add(account, credit=amount, analytic=code)
        subs_rows.append(
            {
                "exercice": year,
                "financeur_id": fid,
                "financeur": funder,
                "categorie_cerfa": category,
                "compte": account,
                "objet": obj,
                "code_analytique": code,
                "montant_notifie": f"{amount:.2f}".replace(".", ","),
                "date_notification": notif_day.isoformat(),
            }
        )
        for offset, share in schedule:
            pay_day = month_day(year, offset + 1, 12 + len(fid) % 3)
            part = round(amount * share, 2)
            state["schedule"].append((pay_day, fid, funder, obj, year, part))
    for pay_day, fid, funder, obj, origin, part in sorted(state["schedule"]):
        if pay_day.year != year:
            continue
        book.entry("BQ", pay_day, f"Versement {funder} - {obj} {origin}").add("5121", part).add(
            "4417", credit=part, aux=fid, auxlib=funder
        )
        state["payments"].append(
            {
                "date_versement": pay_day.isoformat(),
                "financeur_id": fid,
                "financeur": funder,
                "objet": obj,
                "exercice_subvention": origin,
                "montant": f"{part:.2f}".replace(".", ","),
            }
        )
    if year == 2022:
        # receivables of 2021 paid in 2022
        for fid, funder, part, day in [
            ("CAF", "Caisse d'allocations familiales", 61200.0, date(2022, 6, 14)),
            ("DEPT", "Département", 9400.0, date(2022, 3, 15)),
            ("REGION", "Région", 6000.0, date(2022, 4, 12)),
            ("CAF", "Caisse d'allocations familiales", 22000.0, date(2022, 7, 11)),
        ]:
            book.entry("BQ", day, f"Versement {funder} - solde 2021").add("5121", part).add(
                "4417", credit=part, aux=fid, auxlib=funder
            )
            state["payments"].append(
                {
                    "date_versement": day.isoformat(),
                    "financeur_id": fid,
                    "financeur": funder,
                    "objet": "Solde des subventions 2021",
                    "exercice_subvention": 2021,
                    "montant": f"{part:.2f}".replace(".", ","),
                }
            )

    # savings account
    interest = round(30000 * 0.012 * (1 + (year - 2022) * 0.4), 2)
    book.entry("BQ", dec31, "Intérêts du livret").add("5122", interest).add(
        "768", credit=interest, analytic=FONC
    )
    for month in range(1, 13):
        day = month_day(year, month, 3)
        fees = book.money(48, 0.2)
        book.entry("BQ", day, f"Frais bancaires {day:%m/%Y}").add("6278", fees, analytic=FONC).add(
            "5121", credit=fees
        )

    # --- closing entries --------------------------------------------------------------------
    # depreciation
    dot = book.entry("OD", dec31, f"Dotations aux amortissements {year}")
    for account, amort, cost, start, years_ in state["assets"]:
        value = depreciation(cost, start, years_, year)
        if value:
            code = JEU if account == "2182" else FONC
            dot.add("6811", value, analytic=code).add(amort, credit=value)
    # investment subsidies released to income (minibus 2021: 30 000 over 5 years)
    release = 6000.0 if year <= 2025 else 0.0
    for amount, start, years_ in state["investment_subsidies"]:
        release += depreciation(amount, start, years_, year)
    book.entry("OD", dec31, "Quote-part des subventions d'équipement virée au résultat").add(
        "139", release
    ).add("777", credit=release, analytic=FONC)
    # provision for an employment dispute (2022), settled in 2024
    if year == 2022:
        book.entry("OD", dec31, "Provision pour litige prud'homal").add(
            "6815", 8000, analytic=FONC
        ).add("151", credit=8000)
    if year == 2024:
        book.entry("BQ", date(2024, 5, 14), "Indemnité transactionnelle (litige prud'homal)").add(
            "6718", 5500, analytic=FONC
        ).add("5121", credit=5500)
        book.entry("OD", date(2024, 5, 14), "Reprise de la provision pour litige").add(
            "151", 8000
        ).add("7815", credit=8000, analytic=FONC)
    # fonds dédiés: use of last year's, report of this year's unused part
    used = -opening.get("194", 0)
    if used:
        code = {2022: INS, 2023: INS, 2024: NUM}[year]
        book.entry("OD", dec31, "Utilisation des fonds dédiés de l'exercice précédent").add(
            "194", used
        ).add("7894", credit=used, analytic=code)
    for y0, fid, start, amount, code in DEDICATED:
        if y0 == year:
            book.entry("OD", dec31, f"Report en fonds dédiés - {fid} ({start.lower()}…)").add(
                "6894", amount, analytic=code
            ).add("194", credit=amount)
    # paid leave accrual (variation)
    target_cp = round(total_gross / 12 * 0.9, 2)
    delta = round(target_cp + opening.get("4282", 0), 2)
    social = round(target_cp * 0.42, 2)
    delta_social = round(social + opening.get("4382", 0), 2)
    cp = book.entry("OD", dec31, "Ajustement des congés payés à payer")
    cp.add("6412", delta, analytic=FONC).add("4282", credit=delta)
    cp.add("6451", delta_social, analytic=FONC).add("4382", credit=delta_social)
    # prepaid insurance and user fees paid in advance
    prepaid = round(7200 * (1.03 ** (year - 2022)) / 4, 2)
    book.entry("OD", dec31, "Charges constatées d'avance (assurance)").add("486", prepaid).add(
        "616", credit=prepaid, analytic=FONC
    )
    advance = round(5200 * 1.1 * (1 + (year - 2022) * 0.05), 2)
    book.entry("OD", dec31, "Produits constatés d'avance (accueil de loisirs)").add(
        "7061", advance, analytic=ALSH
    ).add("487", credit=advance)
    # contributions volontaires en nature
    hours = {2022: 3900, 2023: 4150, 2024: 4420}[year]
    for code, share in [(FONC, 0.25), (FAM, 0.2), (ALSH, 0.1), (JEU, 0.15), (NUM, 0.2), (INS, 0.1)]:
        value = round(hours * share * 13.5, 2)  # hours x valuation rate (smic chargé)
        book.entry("OD", dec31, f"Bénévolat valorisé - {code}").add(
            "864", value, analytic=code
        ).add("875", credit=value, analytic=code)
    book.entry("OD", dec31, "Mise à disposition gratuite des locaux municipaux").add(
        "861", 36000, analytic=FONC
    ).add("871", credit=36000, analytic=FONC)
    gifts = round(2400 + 300 * (year - 2022), 2)
    book.entry("OD", dec31, "Dons en nature (denrées, jouets) redistribués").add(
        "860", gifts, analytic=FAM
    ).add("870", credit=gifts, analytic=FAM)

    # closing: next year's opening = balances of classes 1 to 5 + result in 120/129
    bal = book.balances()
    closing = {k: v for k, v in bal.items() if k[0] in "12345" and abs(v) >= 0.005}
    result = -round(sum(v for k, v in bal.items() if k[0] in "67"), 2)
    if result >= 0:
        closing["120"] = closing.get("120", 0) - result
    else:
        closing["129"] = closing.get("129", 0) - result
    return book, closing


def check(book: Book) -> None:
    for e in book.entries:
        d = round(sum(ln[1] for ln in e.lines), 2)
        c = round(sum(ln[2] for ln in e.lines), 2)
        assert d == c, (e.label, d, c)


def fmt(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def write_fec(book: Book, path: Path) -> int:
    header = [
        "JournalCode",
        "JournalLib",
        "EcritureNum",
        "EcritureDate",
        "CompteNum",
        "CompteLib",
        "CompAuxNum",
        "CompAuxLib",
        "PieceRef",
        "PieceDate",
        "EcritureLib",
        "Debit",
        "Credit",
        "EcritureLet",
        "DateLet",
        "ValidDate",
        "Montantdevise",
        "Idevise",
        "Analytique",
    ]
    entries = [e for e in book.entries if e.lines]
    opening = entries[0]
    rest = sorted(entries[1:], key=lambda e: e.day)  # stable: creation order within a day
    closing_valid = date(book.year + 1, 3, 15)
    rows = ["\t".join(header)]
    for number, e in enumerate([opening, *rest], start=1):
        closing_entry = e.journal == "OD" and e.day == date(book.year, 12, 31)
        valid = e.valid or (closing_valid if closing_entry else e.day + timedelta(days=2))
        for account, debit, credit, analytic, aux, auxlib in e.lines:
            if debit == 0 and credit == 0:
                continue
            rows.append(
                "\t".join(
                    [
                        e.journal,
                        JOURNALS[e.journal],
                        f"{book.year}-{number:05d}",
                        f"{e.day:%Y%m%d}",
                        account,
                        LABELS[account],
                        aux,
                        auxlib,
                        e.piece,
                        f"{e.day:%Y%m%d}",
                        e.label,
                        fmt(debit),
                        fmt(credit),
                        "",
                        "",
                        f"{valid:%Y%m%d}",
                        "",
                        "",
                        analytic if account[0] in "678" else "",
                    ]
                )
            )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows) - 1


def main() -> None:
    state: dict = {
        "assets": list(ASSETS),
        "investment_subsidies": [],
        "subsidies": [],
        "payments": [],
        "schedule": [],
    }
    opening = dict(OPENING_2022)
    for year in YEARS:
        book, opening = build_year(year, opening, state)
        check(book)
        n = write_fec(book, HERE / f"{SIREN}FEC{year}1231.txt")
        print(f"{year} : {n} lignes")
    with (HERE / "subventions.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(state["subsidies"][0]), delimiter=";")
        writer.writeheader()
        writer.writerows(state["subsidies"])
    with (HERE / "versements_subventions.csv").open("w", encoding="utf-8", newline="") as fh:
        rows = sorted(state["payments"], key=lambda r: (r["date_versement"], r["financeur_id"]))
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
