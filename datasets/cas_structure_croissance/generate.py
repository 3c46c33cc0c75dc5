"""Generate the books (FEC 2022, 2023, 2024) of the fictitious association « Compétences Plus ».

Run: /work/venv/bin/python datasets/cas_structure_croissance/generate.py
Writes ``999000003FEC20221231.txt``, ``…2023…`` and ``…2024…`` next to this script: a training
association that grows fast, profitable, but paid late by the European Social Fund (FSE) and by
its clients, so that its working-capital need (BFR) swallows its cash. Deterministic (no
randomness); the opening balances of a year are the closing balances of the previous one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIREN = "999000003"
HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
    "ValidDate\tMontantdevise\tIdevise"
)
JOURNALS = {
    "AN": "A nouveaux",
    "BQ": "Banque",
    "OD": "Opérations diverses",
    "PA": "Paie",
    "VT": "Ventes",
}
LABELS = {
    "102": "Fonds associatif sans droit de reprise",
    "110": "Report à nouveau",
    "120": "Résultat de l'exercice (excédent)",
    "129": "Résultat de l'exercice (déficit)",
    "2183": "Matériel informatique",
    "2184": "Mobilier des salles de formation",
    "28183": "Amortissements matériel informatique",
    "28184": "Amortissements mobilier",
    "401": "Fournisseurs",
    "411": "Clients (entreprises, OPCO)",
    "421": "Personnel - rémunérations dues",
    "431": "URSSAF",
    "4417": "Subventions à recevoir",
    "487": "Produits constatés d'avance",
    "5121": "Banque - compte courant",
    "6064": "Fournitures et supports pédagogiques",
    "6132": "Loyer des salles",
    "616": "Assurances",
    "6226": "Honoraires (expert-comptable, commissaire aux comptes)",
    "6228": "Formateurs indépendants",
    "6251": "Déplacements",
    "626": "Télécommunications et plateformes",
    "6411": "Salaires",
    "6451": "Charges sociales",
    "6616": "Agios du découvert",
    "6811": "Dotations aux amortissements",
    "706": "Formations facturées",
    "742": "Subvention Région (formation des demandeurs d'emploi)",
    "746": "Fonds social européen (FSE+)",
    "7561": "Cotisations des adhérents",
}
OPENING_2022 = {
    "102": -30000.0,
    "2183": 24000.0,
    "28183": -9600.0,
    "2184": 15000.0,
    "28184": -4500.0,
    "411": 21000.0,
    "4417": 40000.0,
    "5121": 190000.0,
    "431": -9800.0,
    "401": -6500.0,
}
OPENING_2022["110"] = -round(sum(OPENING_2022.values()), 2)

# yearly figures of a fast-growing activity
ACTIVITY = {
    # year: (training invoiced, FSE, Région, monthly gross salaries, rent, freelance trainers)
    2022: (150000.0, 110000.0, 40000.0, 13000.0, 2000.0, 1800.0),
    2023: (255000.0, 185000.0, 60000.0, 22000.0, 3500.0, 3000.0),
    2024: (380000.0, 290000.0, 80000.0, 33000.0, 5000.0, 4600.0),
}
INVESTMENTS = {2023: ("2183", 18000.0), 2024: ("2184", 22000.0)}


class Book:
    def __init__(self, year: int) -> None:
        self.year = year
        self.entries: list[tuple[str, date, str, list[tuple[str, float, float]]]] = []

    def add(self, journal: str, day: date, label: str, *moves: tuple[str, float, float]) -> None:
        moves = tuple((a, round(x, 2), round(y, 2)) for a, x, y in moves)
        d = round(sum(m[1] for m in moves), 2)
        c = round(sum(m[2] for m in moves), 2)
        assert d == c, (label, d, c)
        self.entries.append((journal, day, label, list(moves)))

    def balances(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for *_, moves in self.entries:
            for account, debit, credit in moves:
                out[account] += debit - credit
        return {k: round(v, 2) for k, v in out.items()}

    def write(self, path: Path) -> int:
        opening, rest = self.entries[0], sorted(self.entries[1:], key=lambda e: e[1])
        rows = [HEADER]
        for number, (journal, day, label, moves) in enumerate([opening, *rest], start=1):
            for account, debit, credit in moves:
                if debit == credit == 0:
                    continue
                d, c = (f"{x:.2f}".replace(".", ",") for x in (debit, credit))
                rows.append(
                    "\t".join(
                        [journal, JOURNALS[journal], f"{self.year}-{number:04d}", f"{day:%Y%m%d}",
                         account, LABELS[account], "", "", f"{journal}{number:04d}",
                         f"{day:%Y%m%d}", label, d, c, "", "", f"{day:%Y%m%d}", "", ""]
                    )
                )  # fmt: skip
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        return len(rows) - 1


def build(year: int, opening: dict[str, float], fse_due: list) -> tuple[Book, dict[str, float]]:
    book = Book(year)
    book.add(
        "AN",
        date(year, 1, 1),
        f"Reprise des soldes au 01/01/{year}",
        *[(a, max(v, 0), max(-v, 0)) for a, v in sorted(opening.items()) if abs(v) >= 0.005],
    )
    if "120" in opening:
        book.add("OD", date(year, 6, 20), "Affectation du résultat", ("120", -opening["120"], 0),
                 ("110", 0, -opening["120"]))  # fmt: skip
    training, fse, region, salary, rent, freelance = ACTIVITY[year]
    # receivables of last year: clients pay in February, Région balance in March; FSE balances
    # arrive 18 months after the end of the year they fund (fse_due)
    book.add("BQ", date(year, 2, 15), "Encaissements clients de fin d'année",
             ("5121", opening.get("411", 0), 0), ("411", 0, opening.get("411", 0)))  # fmt: skip
    region_due = opening.get("4417", 0) - sum(a for y, a in fse_due if y < year)
    if region_due > 0:
        book.add("BQ", date(year, 3, 20), "Solde subvention Région de l'an dernier",
                 ("5121", region_due, 0), ("4417", 0, region_due))  # fmt: skip
    for origin, amount in list(fse_due):
        if origin == year - 2:
            book.add("BQ", date(year, 6, 25), f"Solde FSE {origin} (après contrôle)",
                     ("5121", amount, 0), ("4417", 0, amount))  # fmt: skip
            fse_due.remove((origin, amount))
    book.add("BQ", date(year, 1, 15), "Règlement fournisseurs de décembre",
             ("401", -opening.get("401", 0), 0), ("5121", 0, -opening.get("401", 0)))  # fmt: skip
    # this year's subsidies
    book.add("OD", date(year, 3, 10), f"Convention FSE {year}", ("4417", fse, 0), ("746", 0, fse))
    book.add("BQ", date(year, 5, 15), f"Avance FSE {year} (20 %)", ("5121", fse * 0.2, 0),
             ("4417", 0, fse * 0.2))  # fmt: skip
    fse_due.append((year, round(fse * 0.8, 2)))
    book.add("OD", date(year, 2, 10), f"Convention Région {year}", ("4417", region, 0),
             ("742", 0, region))  # fmt: skip
    book.add("BQ", date(year, 4, 10), f"Acompte Région {year} (50 %)", ("5121", region / 2, 0),
             ("4417", 0, region / 2))  # fmt: skip
    book.add("BQ", date(year, 10, 5), "Cotisations des adhérents", ("5121", 1500, 0),
             ("7561", 0, 1500))  # fmt: skip
    owed_431 = -opening.get("431", 0)
    growth = [0.85 + 0.3 * m / 11 for m in range(12)]  # activity grows during the year
    scale = 12 / sum(growth)
    invoices = []
    for month in range(1, 13):
        day = date(year, month, 28)
        g = growth[month - 1] * scale
        gross = round(salary * g, 2)
        employee, employer = round(gross * 0.22, 2), round(gross * 0.36, 2)
        book.add("PA", day, f"Paie {day:%m/%Y}", ("6411", gross, 0), ("421", 0, gross - employee),
                 ("431", 0, employee))  # fmt: skip
        book.add("PA", day, f"Charges sociales {day:%m/%Y}", ("6451", employer, 0),
                 ("431", 0, employer))  # fmt: skip
        book.add("BQ", day, f"Virement des salaires {day:%m/%Y}", ("421", gross - employee, 0),
                 ("5121", 0, gross - employee))  # fmt: skip
        book.add("BQ", date(year, month, 15), f"Cotisations sociales {day:%m/%Y}",
                 ("431", owed_431, 0), ("5121", 0, owed_431))  # fmt: skip
        owed_431 = round(employee + employer, 2)
        book.add("BQ", date(year, month, 5), "Loyer des salles", ("6132", rent, 0),
                 ("5121", 0, rent))  # fmt: skip
        trainers = round(freelance * g, 2)
        book.add("OD", date(year, month, 20), "Factures des formateurs indépendants",
                 ("6228", trainers, 0), ("401", 0, trainers))  # fmt: skip
        if month < 12:
            book.add("BQ", date(year, month + 1, 18), "Règlement des formateurs",
                     ("401", trainers, 0), ("5121", 0, trainers))  # fmt: skip
        others = round((900 + 60 * month) * (training / 150000) ** 0.5, 2)
        book.add("BQ", date(year, month, 12), "Fournitures, télécoms et déplacements",
                 ("6064", round(others * 0.4, 2), 0), ("626", round(others * 0.35, 2), 0),
                 ("6251", others - round(others * 0.4, 2) - round(others * 0.35, 2), 0),
                 ("5121", 0, others))  # fmt: skip
        invoice = round(training / 12 * g, 2)
        book.add("VT", date(year, month, 27), f"Formations facturées {day:%m/%Y}",
                 ("411", invoice, 0), ("706", 0, invoice))  # fmt: skip
        invoices.append((month, invoice))
        for m, amount in invoices:  # clients pay after about 75 days
            if m == month - 3:
                book.add("BQ", date(year, month, 10), f"Encaissement clients (factures {m:02d})",
                         ("5121", amount, 0), ("411", 0, amount))  # fmt: skip
        bank = book.balances().get("5121", 0)
        if bank < 0:
            fees = round(-bank * 0.01, 2)
            book.add("BQ", day, "Agios du découvert", ("6616", fees, 0), ("5121", 0, fees))
    book.add("BQ", date(year, 1, 25), "Assurance annuelle", ("616", 2400 + 800 * (year - 2022), 0),
             ("5121", 0, 2400 + 800 * (year - 2022)))  # fmt: skip
    book.add("BQ", date(year, 5, 30), "Honoraires", ("6226", 6000 + 3000 * (year - 2022), 0),
             ("5121", 0, 6000 + 3000 * (year - 2022)))  # fmt: skip
    if year in INVESTMENTS:
        account, cost = INVESTMENTS[year]
        book.add("BQ", date(year, 7, 1), "Équipement des nouvelles salles", (account, cost, 0),
                 ("5121", 0, cost))  # fmt: skip
    it = 24000 + (18000 if year >= 2023 else 0)
    furniture = 15000 + (22000 if year >= 2024 else 0)
    dot_it, dot_fu = round(it / 5, 2), round(furniture / 10, 2)
    book.add("OD", date(year, 12, 31), "Dotations aux amortissements", ("6811", dot_it + dot_fu, 0),
             ("28183", 0, dot_it), ("28184", 0, dot_fu))  # fmt: skip
    advance = round(training * 0.04, 2)  # trainings paid in advance for January
    book.add("OD", date(year, 12, 31), "Produits constatés d'avance", ("706", advance, 0),
             ("487", 0, advance))  # fmt: skip
    if opening.get("487"):
        book.add("OD", date(year, 1, 1), "Extourne des produits constatés d'avance",
                 ("487", -opening["487"], 0), ("706", 0, -opening["487"]))  # fmt: skip
    bal = book.balances()
    closing = {k: v for k, v in bal.items() if k[0] in "12345" and abs(v) >= 0.005}
    result = round(sum(closing.values()), 2)  # = Σ7 − Σ6, so that the opening balances
    closing["120" if result >= 0 else "129"] = -result
    return book, closing


def main() -> None:
    opening = dict(OPENING_2022)
    fse_due: list = [(2021, 40000.0)]  # the 2021 FSE balance, received in 2023
    for year in (2022, 2023, 2024):
        book, opening = build(year, opening, fse_due)
        n = book.write(HERE / f"{SIREN}FEC{year}1231.txt")
        print(f"{year} : {n} lignes")


if __name__ == "__main__":
    main()
