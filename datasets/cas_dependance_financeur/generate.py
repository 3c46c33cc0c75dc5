"""Generate the books (FEC 2023 and 2024) of the fictitious association « Roue Libre ».

Run: /work/venv/bin/python datasets/cas_dependance_financeur/generate.py
Writes ``999000002FEC20231231.txt`` and ``999000002FEC20241231.txt`` next to this script: an
atelier vélo solidaire whose main funder, the Département, pays its 2024 subsidy late.
Deterministic (no randomness): every amount follows the rules below; the opening balances of
2024 are the closing balances of 2023.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIREN = "999000002"
HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
    "ValidDate\tMontantdevise\tIdevise"
)
JOURNALS = {"AN": "A nouveaux", "BQ": "Banque", "OD": "Opérations diverses", "PA": "Paie"}
LABELS = {
    "102": "Fonds associatif sans droit de reprise",
    "110": "Report à nouveau",
    "119": "Report à nouveau (solde débiteur)",
    "120": "Résultat de l'exercice (excédent)",
    "129": "Résultat de l'exercice (déficit)",
    "2154": "Outillage de l'atelier",
    "2182": "Véhicule utilitaire",
    "28154": "Amortissements outillage",
    "28182": "Amortissements véhicule",
    "401": "Fournisseurs",
    "421": "Personnel - rémunérations dues",
    "431": "URSSAF",
    "4417": "Subventions à recevoir",
    "5121": "Banque - compte courant",
    "6061": "Énergie",
    "607": "Achats de pièces détachées et de vélos",
    "6132": "Loyer de l'atelier",
    "616": "Assurances",
    "6226": "Honoraires",
    "6411": "Salaires (encadrants et salariés en insertion)",
    "6451": "Charges sociales",
    "6616": "Agios du découvert",
    "6811": "Dotations aux amortissements",
    "706": "Réparations et ateliers d'autoréparation",
    "707": "Ventes de vélos reconditionnés",
    "743": "Subvention Département (insertion)",
    "745": "Subvention Commune",
    "75411": "Dons manuels",
    "7561": "Cotisations des adhérents",
}
OPENING_2023 = {
    "102": -20000.0,
    "2154": 30000.0,
    "28154": -12000.0,
    "2182": 18000.0,
    "28182": -3600.0,
    "5121": 61000.0,
    "4417": 35000.0,
    "431": -12400.0,
    "401": -3000.0,
}
OPENING_2023["110"] = -round(sum(OPENING_2023.values()), 2)

# Département subsidy: notified amount and payments (date, share) per year
DEPARTEMENT = {
    2023: (175000.0, [(date(2023, 4, 20), 0.6), (date(2023, 10, 16), 0.4)]),
    2024: (180000.0, [(date(2024, 9, 26), 0.3)]),  # the remaining 70 % is paid in 2025
}
SALARY = {2023: 11600.0, 2024: 12100.0}


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


def build(year: int, opening: dict[str, float]) -> tuple[Book, dict[str, float]]:
    book = Book(year)
    book.add(
        "AN",
        date(year, 1, 1),
        f"Reprise des soldes au 01/01/{year}",
        *[(a, max(v, 0), max(-v, 0)) for a, v in sorted(opening.items()) if abs(v) >= 0.005],
    )
    if "120" in opening:
        book.add("OD", date(year, 6, 15), "Affectation du résultat", ("120", -opening["120"], 0),
                 ("110", 0, -opening["120"]))  # fmt: skip
    if "129" in opening:
        book.add("OD", date(year, 6, 15), "Affectation du résultat", ("119", opening["129"], 0),
                 ("129", 0, opening["129"]))  # fmt: skip
    book.add("BQ", date(year, 1, 10), "Solde subvention Département de l'an dernier",
             ("5121", opening.get("4417", 0), 0), ("4417", 0, opening.get("4417", 0)))  # fmt: skip
    book.add("BQ", date(year, 1, 15), "Règlement fournisseurs de décembre",
             ("401", -opening.get("401", 0), 0), ("5121", 0, -opening.get("401", 0)))  # fmt: skip
    owed_431 = -opening.get("431", 0)
    amount, payments = DEPARTEMENT[year]
    book.add("OD", date(year, 2, 14), f"Notification subvention Département {year}",
             ("4417", amount, 0), ("743", 0, amount))  # fmt: skip
    for day, share in payments:
        book.add("BQ", day, f"Versement subvention Département {year}",
                 ("5121", amount * share, 0), ("4417", 0, amount * share))  # fmt: skip
    book.add("BQ", date(year, 6, 12), "Subvention Commune", ("5121", 12000, 0), ("745", 0, 12000))
    book.add("BQ", date(year, 9, 20), "Adhésions de la rentrée", ("5121", 2100, 0),
             ("7561", 0, 2100))  # fmt: skip
    book.add("BQ", date(year, 12, 15), "Dons manuels de fin d'année", ("5121", 2600, 0),
             ("75411", 0, 2600))  # fmt: skip
    book.add("BQ", date(year, 1, 20), "Assurance annuelle", ("616", 1850, 0), ("5121", 0, 1850))
    book.add("BQ", date(year, 4, 30), "Honoraires expert-comptable", ("6226", 3200, 0),
             ("5121", 0, 3200))  # fmt: skip
    season = [0.6, 0.7, 1.0, 1.2, 1.3, 1.3, 1.2, 0.8, 1.3, 1.1, 0.8, 0.7]
    for month in range(1, 13):
        day = date(year, month, 28)
        gross = SALARY[year] * (1.4 if month == 12 else 1.0)
        employee = round(gross * 0.22, 2)
        employer = round(gross * 0.30, 2)
        book.add("PA", day, f"Paie {day:%m/%Y}", ("6411", gross, 0), ("421", 0, gross - employee),
                 ("431", 0, employee))  # fmt: skip
        book.add("PA", day, f"Charges sociales {day:%m/%Y}", ("6451", employer, 0),
                 ("431", 0, employer))  # fmt: skip
        book.add("BQ", day, f"Virement des salaires {day:%m/%Y}", ("421", gross - employee, 0),
                 ("5121", 0, gross - employee))  # fmt: skip
        book.add("BQ", date(year, month, 15), f"Cotisations URSSAF {day:%m/%Y}",
                 ("431", owed_431, 0), ("5121", 0, owed_431))  # fmt: skip
        owed_431 = round(employee + employer, 2)
        book.add("BQ", date(year, month, 5), "Loyer de l'atelier", ("6132", 1100, 0),
                 ("5121", 0, 1100))  # fmt: skip
        book.add("BQ", date(year, month, 8), "Énergie", ("6061", 310, 0), ("5121", 0, 310))
        parts = round(1600 * season[month - 1], 2)
        book.add("OD", date(year, month, 10), "Facture pièces détachées", ("607", parts, 0),
                 ("401", 0, parts))  # fmt: skip
        if month < 12:
            book.add("BQ", date(year, month + 1, 9), "Règlement pièces détachées",
                     ("401", parts, 0), ("5121", 0, parts))  # fmt: skip
        sales = round(2400 * season[month - 1], 2)
        repairs = round(1300 * season[month - 1], 2)
        book.add("BQ", date(year, month, 27), f"Ventes et réparations {day:%m/%Y}",
                 ("5121", sales + repairs, 0), ("707", 0, sales), ("706", 0, repairs))  # fmt: skip
        # agios on the overdraft at the end of the month
        bank = book.balances().get("5121", 0)
        if bank < 0:
            fees = round(-bank * 0.009, 2)
            book.add("BQ", date(year, month, 28), "Agios du découvert", ("6616", fees, 0),
                     ("5121", 0, fees))  # fmt: skip
    book.add("OD", date(year, 12, 31), "Dotations aux amortissements", ("6811", 9600, 0),
             ("28154", 0, 6000), ("28182", 0, 3600))  # fmt: skip
    bal = book.balances()
    closing = {k: v for k, v in bal.items() if k[0] in "12345" and abs(v) >= 0.005}
    result = round(sum(closing.values()), 2)  # = Σ7 − Σ6, so that the opening balances
    closing["120" if result >= 0 else "129"] = -result
    return book, closing


def main() -> None:
    opening = dict(OPENING_2023)
    for year in (2023, 2024):
        book, opening = build(year, opening)
        n = book.write(HERE / f"{SIREN}FEC{year}1231.txt")
        print(f"{year} : {n} lignes")


if __name__ == "__main__":
    main()
