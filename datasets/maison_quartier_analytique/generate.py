"""Generate the analytic books of the fictitious « Maison de quartier des Coquelicots ».

Run: ``/work/venv/bin/python datasets/maison_quartier_analytique/generate.py`` (deterministic,
seed 2026). Writes next to this script:

- ``999000011FEC20251231.txt``: the FEC of 2025 (full year), with an ``Analytique`` column on
  every charge and income line (five projects and two support centres);
- ``999000011FEC20261231.txt``: the FEC of 2026 **up to 30 September** (the year in progress,
  for the monthly follow-up and the atterrissage);
- ``cles_repartition.csv``: the allocation keys (m², ETP, hours of activity, participants) per
  project and support centre for 2025 and 2026, each with its source;
- ``budget_2026.xlsx``: the budget voted for 2026 by analytic code (CERFA 12156 lines);
- ``phasage_2026.csv``: the monthly phasing of that budget (share of each month, in %, per
  project and line), taken from the 2025 actuals;
- ``budget_2027_projet.xlsx``: the draft budget 2027 (for the board presentation);

Every entry is balanced; the opening balances of 2026 are the closing balances of 2025.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from movsc_toolkit.finance import make_budget, read_fec
from movsc_toolkit.finance.budget_vs_actual import actual_by_line
from movsc_toolkit.finance.cerfa import BY_CODE

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _reproducible import stamp_workbook  # helper shared by the generators

HERE = Path(__file__).resolve().parent
SIREN = "999000011"
SEED = 2026
NAME = "Maison de quartier des Coquelicots"

AJ, CLAS, AP, SE, FQ = (
    "accueil_jeunes",
    "accompagnement_scolaire",
    "ateliers_parents",
    "sejours_ete",
    "fete_quartier",
)
LOC, ADM = "locaux", "administration"
PROJECTS = [AJ, CLAS, AP, SE, FQ]
CODES = [*PROJECTS, LOC, ADM]

LABELS = {
    "102": "Fonds associatif sans droit de reprise",
    "110": "Report à nouveau (solde créditeur)",
    "120": "Résultat de l'exercice (excédent)",
    "129": "Résultat de l'exercice (déficit)",
    "2181": "Agencements et aménagements des locaux",
    "28181": "Amortissements des agencements",
    "401": "Fournisseurs",
    "411": "Usagers",
    "421": "Personnel - rémunérations dues",
    "431": "URSSAF",
    "4417": "Subventions d'exploitation à recevoir",
    "5121": "Crédit Mutuel - compte courant",
    "6042": "Achats de prestations (sorties, hébergement, spectacles)",
    "6061": "Eau, énergie",
    "6064": "Fournitures administratives",
    "6068": "Fournitures d'activités",
    "6132": "Loyer des locaux",
    "6135": "Locations de matériel (chapiteau, sono)",
    "6152": "Entretien et réparations",
    "616": "Assurances",
    "6226": "Honoraires (expert-comptable)",
    "6228": "Intervenants extérieurs",
    "6237": "Publications et communication",
    "6248": "Transports collectifs",
    "6257": "Réceptions",
    "626": "Frais postaux et télécommunications",
    "6278": "Frais bancaires",
    "6281": "Cotisation à la fédération",
    "6283": "Nettoyage des locaux",
    "6411": "Salaires",
    "6451": "Cotisations URSSAF",
    "6811": "Dotations aux amortissements",
    "7062": "Participations des familles (accueil, séjours)",
    "7064": "Participations aux ateliers",
    "7088": "Produits des activités annexes (buvette)",
    "7411": "Subvention État - politique de la ville",
    "743": "Subvention Département",
    "745": "Subvention Commune",
    "746": "CAF - prestations de service",
    "748": "Fondation (aide privée)",
    "754": "Dons manuels",
    "7561": "Cotisations des adhérents",
    "768": "Intérêts du livret",
}
JOURNALS = {
    "AN": "A nouveaux",
    "AC": "Achats",
    "BQ": "Banque",
    "OD": "Opérations diverses",
    "PA": "Paie",
    "VT": "Ventes et participations",
}

# Monthly profiles (relative weights, January..December)
FLAT = [1] * 12
SCHOOL = [1, 1, 1, 1, 1, 0.8, 0, 0, 1.1, 1, 1, 0.8]  # school year, closed in summer
YOUTH = [1, 1.2, 1, 1.2, 0.9, 0.9, 1.4, 0.4, 0.9, 1.2, 0.9, 1]  # holidays peaks, August closed
SUMMER = [0, 0, 0, 0.3, 0.2, 0.8, 5, 4.5, 0.2, 0, 0, 0]  # séjours d'été
FETE = [0, 0, 0.2, 0.3, 1.5, 5, 0.2, 0, 0.8, 0, 0, 0]  # fête de quartier in June
WINTER = [1.8, 1.6, 1.3, 0.9, 0.6, 0.4, 0.3, 0.3, 0.5, 0.9, 1.4, 1.8]  # energy
MEMBERS = [0.3, 0.2, 0.2, 0.1, 0.1, 0.2, 0.1, 0.1, 4, 2.5, 0.6, 0.3]  # memberships in September

# Monthly charges: (analytic code, account, annual amount 2025, profile, journal)
CHARGES = [
    (AJ, "6068", 6200, YOUTH),
    (AJ, "6042", 7400, YOUTH),
    (AJ, "6248", 3100, YOUTH),
    (CLAS, "6228", 9600, SCHOOL),
    (CLAS, "6064", 900, SCHOOL),
    (AP, "6228", 7200, SCHOOL),
    (AP, "6068", 2300, SCHOOL),
    (AP, "6257", 1500, SCHOOL),
    (SE, "6042", 23800, SUMMER),
    (SE, "6248", 7600, SUMMER),
    (SE, "6068", 2900, SUMMER),
    (FQ, "6042", 6500, FETE),
    (FQ, "6135", 4800, FETE),
    (FQ, "6237", 2100, FETE),
    (FQ, "6257", 2600, FETE),
    (LOC, "6132", 23400, FLAT),
    (LOC, "6061", 11800, WINTER),
    (LOC, "6152", 3600, FLAT),
    (LOC, "6283", 7200, FLAT),
    (ADM, "6064", 1900, FLAT),
    (ADM, "626", 2300, FLAT),
    (ADM, "6278", 720, FLAT),
    (ADM, "6237", 1300, FLAT),
]
# One-off charges: (analytic, account, amount 2025, month)
ONE_OFF = [
    (LOC, "616", 4300, 1),
    (ADM, "6281", 1450, 2),
    (ADM, "6226", 2900, 3),
    (ADM, "6226", 2900, 9),
    (ADM, "6226", 1700, 12),
]
# Staff by project: (analytic, monthly gross 2025, profile)
STAFF = [
    (AJ, 4150, FLAT),  # 1.5 ETP animateurs
    (CLAS, 1700, SCHOOL),  # vacataires of the accompagnement scolaire
    (AP, 1500, FLAT),  # 0.6 ETP référente familles
    (SE, 1100, SUMMER),  # saisonniers (contrats d'engagement éducatif) and preparation
    (FQ, 480, FETE),  # coordination (0.2 ETP on the season)
    (ADM, 4500, FLAT),  # directrice 0.8 ETP and comptable 0.5 ETP
    (LOC, 650, FLAT),  # agent d'entretien (temps partiel)
]
SOCIAL_RATE = 0.42
# Participations and sales (analytic, account, annual 2025, profile)
SALES = [
    (AJ, "7062", 6500, YOUTH),
    (AP, "7064", 1400, SCHOOL),
    (SE, "7062", 24000, [0, 0, 0, 0.5, 1.5, 4, 3, 0.2, 0, 0, 0, 0]),
    (FQ, "7088", 3900, FETE),
    (ADM, "7561", 9600, MEMBERS),
    (ADM, "754", 5000, [0.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.2, 0.2, 0.4, 0.6, 1, 4]),
]
# Subsidies notified: (analytic, account, funder, amount 2025, month of notification)
SUBSIDIES = [
    (ADM, "745", "Commune de Val-Fleuri - fonctionnement", 128000, 1),
    (ADM, "746", "CAF - animation de la vie sociale", 48000, 3),
    (ADM, "7411", "État - poste FONJEP", 7164, 2),
    (ADM, "743", "Département - fonctionnement", 15000, 4),
    (AJ, "746", "CAF - prestation de service jeunes", 38000, 4),
    (AJ, "745", "Commune de Val-Fleuri - accueil jeunes", 26000, 1),
    (CLAS, "746", "CAF - CLAS", 16000, 10),
    (CLAS, "7411", "Préfecture - contrat de ville (CLAS)", 10000, 5),
    (AP, "743", "Département - REAAP", 9000, 4),
    (AP, "748", "Fondation Enfance et Familles", 5000, 3),
    (AP, "745", "Commune de Val-Fleuri - parentalité", 12000, 2),
    (SE, "746", "CAF - aides aux vacances", 9000, 6),
    (SE, "745", "Commune de Val-Fleuri - séjours", 12000, 5),
    (FQ, "745", "Commune de Val-Fleuri - fête de quartier", 9000, 4),
    (FQ, "7411", "Préfecture - contrat de ville (fête)", 6000, 5),
]
# What changes in 2026 (the story of the atterrissage), by (analytic, account): factor
CHANGE_2026 = {
    (SE, "6042"): 1.22,  # a third séjour opened in July: more hébergement
    (SE, "6248"): 1.18,
    (SE, "7062"): 1.25,  # more families
    (LOC, "6061"): 1.24,  # energy prices
    (FQ, "7088"): 0.55,  # rain on the day of the fête: buvette down
    (AP, "743"): 6000 / 9000,  # the Département notified 6 000 € instead of 9 000 €
}
RAISE_2026 = 1.025
# The CLAS had no vacataire from January to March 2026 (post vacant)
CLAS_VACANT_2026 = {1, 2, 3}


def cents(x: float) -> int:
    return int(round(x * 100))  # noqa: RUF046


def fmt(c: int) -> str:
    return f"{c // 100},{c % 100:02d}"


@dataclass
class Entry:
    journal: str
    day: date
    piece: str
    label: str
    lines: list[tuple[str, int, int, str]] = field(default_factory=list)  # acct, D, C, code


class Book:
    def __init__(self, year: int, last_day: date) -> None:
        self.year = year
        self.last_day = last_day
        self.entries: list[Entry] = []
        self.counter = 0

    def add(self, journal: str, day: date, label: str, lines) -> None:
        if day > self.last_day:
            return
        debit = sum(d for _, d, _, _ in lines)
        credit = sum(c for _, _, c, _ in lines)
        assert debit == credit, (label, lines)
        self.counter += 1
        piece = f"{journal}{self.year % 100:02d}-{self.counter:04d}"
        self.entries.append(Entry(journal, day, piece, label, list(lines)))


def split(total_c: int, profile: list[float]) -> list[int]:
    """Integer cents per month following ``profile`` (largest remainder, sums exactly)."""
    weights = np.array(profile, dtype=float)
    quota = total_c * weights / weights.sum()
    base = np.floor(quota).astype(int)
    rest = total_c - base.sum()
    order = np.argsort(-(quota - base), kind="stable")[:rest]
    base[order] += 1
    return base.tolist()


def day_in(rng: np.random.Generator, year: int, month: int, lo: int = 2, hi: int = 27) -> date:
    return date(year, month, int(rng.integers(lo, hi + 1)))


def build(year: int, rng: np.random.Generator, opening: dict[str, int]) -> Book:
    last = date(year, 12, 31) if year == 2025 else date(2026, 9, 30)
    book = Book(year, last)
    # opening entries
    lines = []
    for account, balance in sorted(opening.items()):
        if balance > 0:
            lines.append((account, balance, 0, ""))
        elif balance < 0:
            lines.append((account, 0, -balance, ""))
    book.add("AN", date(year, 1, 1), f"Reprise des soldes au 01/01/{year}", lines)

    def factor(code: str, account: str) -> float:
        if year == 2025:
            return 1.0
        return CHANGE_2026.get((code, account), 1.02)

    supplier_month = [0] * 13
    # purchases and services
    for code, account, amount, profile in CHARGES:
        monthly = split(cents(amount * factor(code, account)), profile)
        for m, c in enumerate(monthly, start=1):
            if c == 0:
                continue
            c = int(round(c * rng.uniform(0.94, 1.06)))  # noqa: RUF046
            day = day_in(rng, year, m)
            book.add(
                "AC",
                day,
                f"{LABELS[account]} - {m:02d}/{year}",
                [(account, c, 0, code), ("401", 0, c, "")],
            )
            supplier_month[m] += c
    for code, account, amount, month in ONE_OFF:
        c = cents(amount * factor(code, account) * rng.uniform(0.97, 1.03))
        book.add(
            "AC",
            day_in(rng, year, month),
            f"{LABELS[account]} {year}",
            [(account, c, 0, code), ("401", 0, c, "")],
        )
        supplier_month[month] += c
    for m in range(1, 13):
        if supplier_month[m]:
            book.add(
                "BQ",
                date(year, m, 28),
                f"Règlements fournisseurs {m:02d}/{year}",
                [("401", supplier_month[m], 0, ""), ("5121", 0, supplier_month[m], "")],
            )
    # payroll
    for m in range(1, 13):
        net_total = 0
        social_total = 0
        lines = []
        for code, gross, profile in STAFF:
            weight = profile[m - 1] / (sum(profile) / 12)
            if year == 2026 and code == CLAS and m in CLAS_VACANT_2026:
                weight = 0.0
            raise_ = 1.0 if year == 2025 else RAISE_2026
            g = cents(gross * weight * raise_ * rng.uniform(0.99, 1.01))
            if g == 0:
                continue
            s = cents(g / 100 * SOCIAL_RATE)
            lines.append(("6411", g, 0, code))
            lines.append(("6451", s, 0, code))
            net = cents(g / 100 * 0.78)
            net_total += net
            social_total += s + (g - net)
        lines.append(("421", 0, net_total, ""))
        lines.append(("431", 0, social_total, ""))
        book.add(
            "PA",
            date(year, m, 25) if m != 12 else date(year, 12, 20),
            f"Paie {m:02d}/{year}",
            lines,
        )
        book.add(
            "BQ",
            date(year, m, 28),
            f"Virement des salaires {m:02d}/{year}",
            [("421", net_total, 0, ""), ("5121", 0, net_total, "")],
        )
        pay_day = date(year, m + 1, 15) if m < 12 else date(year, 12, 30)
        book.add(
            "BQ",
            pay_day,
            f"URSSAF {m:02d}/{year}",
            [("431", social_total, 0, ""), ("5121", 0, social_total, "")],
        )
    # participations, memberships, donations
    for code, account, amount, profile in SALES:
        monthly = split(cents(amount * factor(code, account)), profile)
        for m, c in enumerate(monthly, start=1):
            if c == 0:
                continue
            c = int(round(c * rng.uniform(0.95, 1.05)))  # noqa: RUF046
            day = day_in(rng, year, m)
            bank = "5121"
            book.add(
                "VT",
                day,
                f"{LABELS[account]} - {m:02d}/{year}",
                [("411", c, 0, ""), (account, 0, c, code)],
            )
            book.add(
                "BQ",
                min(day + timedelta(days=3), date(year, m, 28)),
                f"Encaissement {LABELS[account].lower()} {m:02d}/{year}",
                [(bank, c, 0, ""), ("411", 0, c, "")],
            )
    # subsidies: booked on notification, paid later
    for code, account, funder, amount, month in SUBSIDIES:
        c = cents(amount * factor(code, account))
        day = day_in(rng, year, month, 5, 20)
        book.add(
            "OD", day, f"Notification {funder} {year}", [("4417", c, 0, ""), (account, 0, c, code)]
        )
        paid = date(year, min(month + 2, 12), 10)
        book.add("BQ", paid, f"Versement {funder} {year}", [("5121", c, 0, ""), ("4417", 0, c, "")])
    # depreciation (December) and interest
    book.add(
        "OD",
        date(year, 12, 31),
        f"Dotation aux amortissements {year}",
        [("6811", 300000, 0, LOC), ("28181", 0, 300000, "")],
    )
    book.add(
        "BQ",
        date(year, 12, 31),
        f"Intérêts du livret {year}",
        [("5121", 21000, 0, ""), ("768", 0, 21000, ADM)],
    )
    return book


HEADER = [
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
    "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise", "Analytique",
]  # fmt: skip


def write_fec(book: Book, path: Path) -> None:
    opening, rest = book.entries[0], sorted(book.entries[1:], key=lambda e: e.day)
    rows = ["\t".join(HEADER)]
    for number, e in enumerate([opening, *rest], start=1):
        valid = e.day + timedelta(days=2)
        for account, debit, credit, code in e.lines:
            if debit == 0 and credit == 0:
                continue
            rows.append(
                "\t".join(
                    [
                        e.journal, JOURNALS[e.journal], f"{book.year}-{number:05d}",
                        f"{e.day:%Y%m%d}", account, LABELS[account], "", "", e.piece,
                        f"{e.day:%Y%m%d}", e.label, fmt(debit), fmt(credit), "", "",
                        f"{valid:%Y%m%d}", "", "", code if account[0] in "67" else "",
                    ]
                )
            )  # fmt: skip
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def closing_balances(book: Book) -> dict[str, int]:
    out: dict[str, int] = {}
    result = 0
    for e in book.entries:
        for account, d, c, _ in e.lines:
            if account[0] in "67":
                result += c - d
            else:
                out[account] = out.get(account, 0) + d - c
    out["120" if result >= 0 else "129"] = -result
    return {k: v for k, v in out.items() if v}


# ----------------------------------------------------------------------------------- keys

KEYS = [
    # (key, code, 2025, 2026, unit, source)
    ("m2", ADM, 28, 28, "m²", "plan des locaux : bureaux de la direction et de la comptabilité"),
    ("m2", AJ, 95, 95, "m²", "plan : local jeunes (60 m²) + salle polyvalente 50 % du temps"),
    ("m2", CLAS, 48, 48, "m²", "plan : salle polyvalente 25 % du temps + salle d'étude à mi-temps"),
    ("m2", AP, 36, 36, "m²", "plan : salle polyvalente 25 % du temps + coin bébés"),
    ("m2", SE, 12, 12, "m²", "plan : réserve du matériel de camping"),
    ("m2", FQ, 11, 11, "m²", "plan : réserve du matériel de la fête"),
    ("etp", AJ, 1.5, 1.5, "ETP", "feuilles de temps (moyenne annuelle)"),
    ("etp", CLAS, 0.6, 0.45, "ETP", "feuilles de temps (vacataires, année scolaire)"),
    ("etp", AP, 0.6, 0.6, "ETP", "feuilles de temps"),
    ("etp", SE, 0.5, 0.6, "ETP", "contrats d'engagement éducatif et préparation"),
    ("etp", FQ, 0.2, 0.2, "ETP", "feuilles de temps (coordination de la fête)"),
    ("heures", AJ, 1350, 1380, "heures", "planning d'ouverture au public"),
    ("heures", CLAS, 540, 420, "heures", "séances × durée (registre d'appel)"),
    ("heures", AP, 180, 180, "heures", "séances × durée (registre des ateliers)"),
    ("heures", SE, 840, 1120, "heures", "jours de séjour × 10 h d'encadrement"),
    ("heures", FQ, 40, 40, "heures", "préparation et journée de la fête"),
    ("participants", AJ, 86, 91, "personnes", "fiches d'inscription (personnes uniques)"),
    ("participants", CLAS, 42, 38, "personnes", "fiches d'inscription (personnes uniques)"),
    ("participants", AP, 58, 55, "personnes", "registre des ateliers (parents uniques)"),
    ("participants", SE, 64, 83, "personnes", "listes des séjours (enfants uniques)"),
    ("participants", FQ, 1200, 950, "personnes", "estimation des visiteurs (comptage à l'entrée)"),
]


def write_keys(path: Path) -> None:
    rows = ["Exercice;Clé;Code;Quantité;Unité;Source"]
    for year_index, year in enumerate((2025, 2026)):
        for key, code, q25, q26, unit, source in KEYS:
            q = (q25, q26)[year_index]
            text = f"{q}".replace(".", ",")
            rows.append(f"{year};{key};{code};{text};{unit};{source}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------- budgets

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
]  # fmt: skip


def budget_frames(ledger_2025) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Budget 2026 and draft 2027 by CERFA line × analytic code, and the 2026 phasing."""
    b26: dict[str, dict[str, float]] = {}
    b27: dict[str, dict[str, float]] = {}
    for code in CODES:
        actual = actual_by_line(ledger_2025, 2025, code)
        for line, value in actual.items():
            if abs(value) < 1:
                continue
            grow = 1.02
            if line in ("641", "645"):
                grow = RAISE_2026
            planned = round(value * grow, -2)
            b26.setdefault(line, {})[code] = planned
            grow27 = 1.03 if line in ("641", "645") else 1.02
            if code == AP and line == "74 Département":
                grow27 = 6000 / 9000 / 1.02  # the Département confirmed its cut
            if code == LOC and line == "606":
                grow27 = 1.2
            b27.setdefault(line, {})[code] = round(value * 1.02 * grow27, -2)
    frames = []
    for table in (b26, b27):
        frame = pd.DataFrame.from_dict(table, orient="index").reindex(columns=CODES).fillna(0.0)
        frame.index.name = "Code"
        frames.append(frame)
    for frame in frames:  # balance with the Commune's operating subsidy (administration)
        charges = frame.loc[[c for c in frame.index if c[:1] == "6"]].to_numpy().sum()
        produits = frame.loc[[c for c in frame.index if c[:1] == "7"]].to_numpy().sum()
        frame.loc["74 Commune", ADM] += charges - produits
    # phasing: the 2025 monthly profile of each project × line
    e = ledger_2025.entries
    monthly = {}
    for code in CODES:
        for m in range(1, 13):
            part = e[(e["analytique"] == code) & (e["EcritureDate"].dt.month == m)]
            monthly[code, m] = actual_by_line(part, 2025) if len(part) else pd.Series(dtype=float)
    phasing_rows = []
    for code in CODES:
        for line in b26:
            if b26[line].get(code, 0) == 0:
                continue
            by_month = np.array([abs(monthly[code, m].get(line, 0.0)) for m in range(1, 13)])
            label = line if line.startswith("74 ") else f"{line} {BY_CODE[line].label}"
            phasing_rows.append([code, label, *_percent_shares(by_month)])
    phasing = pd.DataFrame(phasing_rows, columns=["Projet", "Ligne", *MONTHS])
    return frames[0].reset_index(), frames[1].reset_index(), phasing


def _percent_shares(values: np.ndarray) -> list[float]:
    """Shares in % with one decimal, summing to exactly 100 (largest remainder in tenths)."""
    if values.sum() <= 0:
        values = np.ones(12)
    quota = 1000 * values / values.sum()
    base = np.floor(quota).astype(int)
    rest = 1000 - base.sum()
    order = np.argsort(-(quota - base), kind="stable")[:rest]
    base[order] += 1
    return [b / 10 for b in base]


def write_phasing(phasing: pd.DataFrame, path: Path) -> None:
    rows = [";".join(phasing.columns)]
    for _, row in phasing.iterrows():
        values = [f"{v:.1f}".replace(".", ",") for v in row.iloc[2:]]
        rows.append(";".join([row["Projet"], row["Ligne"], *values]))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def main() -> None:
    rng = np.random.default_rng(SEED)
    opening = {
        "102": -4000000,
        "110": -2150000,
        "2181": 3000000,
        "28181": -1200000,
        "5121": 4350000,
    }
    book25 = build(2025, rng, opening)
    write_fec(book25, HERE / f"{SIREN}FEC20251231.txt")
    book26 = build(2026, rng, closing_balances(book25))
    write_fec(book26, HERE / f"{SIREN}FEC20261231.txt")
    write_keys(HERE / "cles_repartition.csv")
    ledger = read_fec(HERE / f"{SIREN}FEC20251231.txt")
    b26, b27, phasing = budget_frames(ledger)
    write_phasing(phasing, HERE / "phasage_2026.csv")
    for frame, year, file in (
        (b26, 2026, "budget_2026.xlsx"),
        (b27, 2027, "budget_2027_projet.xlsx"),
    ):
        budget = make_budget(frame, name=NAME, year=year)
        budget.to_excel(HERE / file)
        stamp_workbook(HERE / file, dt.datetime(2025, 12, 10, 18, 0, 0))


if __name__ == "__main__":
    main()
