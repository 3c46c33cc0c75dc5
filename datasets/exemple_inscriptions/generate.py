"""Generate the fictitious workshop sign-ups of the « Fil d'Ariane » association.

Run ``python datasets/exemple_inscriptions/generate.py``: it writes ``inscriptions.csv`` (as
Excel saves a « CSV UTF-8 (délimité par des virgules) » file in France: ``;`` separator, UTF-8
with a byte-order mark, decimal comma, CRLF line ends) and ``inscriptions.xlsx`` next to itself.
The draw is seeded, so the files are identical from run to run. Every person is invented: names
and first names are drawn independently from short lists of common French names.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _reproducible import stamp_workbook  # helper shared by the generators

SEED = 20261204
N = 137
HERE = Path(__file__).resolve().parent

SURNAMES = [
    "Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre",
    "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard",
    "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel",
    "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez",
    "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis",
    "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas",
    "Meunier", "Jean", "Perez", "Marchand", "Dufour", "Blanchard", "Marie", "Barbier", "Brun",
    "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre", "Renard", "Arnaud",
    "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine",
    "Picard", "Gaillard", "Philippe", "Leclercq", "Lacroix", "Fabre", "Dupuis", "Olivier",
    "Rodriguez", "Da Silva", "Hubert", "Louis", "Charles", "Guillot", "Rivière", "Le Gall",
    "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez", "Berger", "Lecomte", "Menard", "Fleury",
    "Deschamps", "Carpentier", "Julien", "Benoit", "Paris", "Maillard", "Marchal", "Aubry",
    "Vasseur", "Le Roux", "Renault", "Jacquet", "Collet", "Prévost", "Poirier", "Charpentier",
    "Royer", "Huet", "Baron", "Dupuy", "Pons", "Paul", "Laine", "Carre", "Breton", "Rémy",
    "Schneider", "Perrot", "Guyot", "Barre", "Marty", "Cousin",
]  # fmt: skip
FIRST_NAMES = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Camille", "Léa", "Manon", "Inès", "Sarah",
    "Aïcha", "Fatou", "Nadia", "Hélène", "Chantal", "Zoé", "Louise", "Jean", "Pierre", "Michel",
    "Alain", "Nicolas", "Karim", "Mamadou", "Thomas", "Lucas", "Hugo", "Yanis", "Bernard",
    "Éric", "Paul", "Youssef", "Olivier",
]  # fmt: skip
WORKSHOPS = {
    "Couture": 0.20,
    "Informatique débutant": 0.24,
    "Français langue étrangère": 0.18,
    "Cuisine du monde": 0.16,
    "Théâtre": 0.10,
    "Gym douce": 0.12,
}
QUARTIERS = ["Les Glacis", "Planoise", "Centre", "Montrapon", "Palente"]
PRICES = {"Plein tarif": 60.0, "Tarif réduit": 30.0, "Exonéré": 0.0}
HEADER = [
    "Nom",
    "Prénom",
    "Âge",
    "Quartier",
    "Atelier",
    "Date d'inscription",
    "Tarif",
    "Montant payé",
    "Exonéré",
]


def generate(seed: int = SEED) -> list[dict]:
    rng = np.random.default_rng(seed)
    workshops = list(WORKSHOPS)
    weights = np.array(list(WORKSHOPS.values()))
    surnames = rng.permutation(SURNAMES)[:N]
    start = dt.date(2025, 9, 1)
    rows = []
    for i in range(N):
        workshop = str(rng.choice(workshops, p=weights / weights.sum()))
        age = int(np.clip(rng.normal(44, 16), 16, 84))
        tariff = str(rng.choice(list(PRICES), p=[0.45, 0.35, 0.20]))
        paid = PRICES[tariff]
        if tariff != "Exonéré" and rng.random() < 0.1:  # paid for a second workshop too
            paid *= 2
        rows.append(
            {
                "Nom": str(surnames[i]).upper(),
                "Prénom": str(rng.choice(FIRST_NAMES)),
                "Âge": age,
                "Quartier": str(rng.choice(QUARTIERS, p=[0.18, 0.34, 0.16, 0.14, 0.18])),
                "Atelier": workshop,
                "Date d'inscription": start + dt.timedelta(days=int(rng.integers(0, 45))),
                "Tarif": tariff,
                "Montant payé": paid,
                "Exonéré": "oui" if tariff == "Exonéré" else "non",
            }
        )
    rows.sort(key=lambda r: (r["Date d'inscription"], r["Nom"]))
    # as in every real file: three ages were left blank, and one family paid for a whole year
    for index in (9, 58, 120):
        rows[index]["Âge"] = None
    rows[33]["Montant payé"] = 1080.0
    return rows


def _csv_value(key: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if key == "Montant payé":
        return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")
    return str(value)


def write_csv(rows: list[dict], target: Path) -> None:
    lines = [";".join(HEADER)]
    lines += [";".join(_csv_value(k, r[k]) for k in HEADER) for r in rows]
    target.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))


def write_xlsx(rows: list[dict], target: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Inscriptions"
    ws.append(HEADER)
    for r in rows:
        ws.append([r[k] for k in HEADER])
    for row in ws.iter_rows(min_row=2):
        row[HEADER.index("Date d'inscription")].number_format = "DD/MM/YYYY"
        row[HEADER.index("Montant payé")].number_format = "#,##0.00"
    when = dt.datetime(2025, 10, 20, 12, 0, 0)
    wb.properties.created = when
    wb.properties.creator = "movsc-toolkit"
    wb.save(target)
    stamp_workbook(target, when)


def main() -> None:
    rows = generate()
    write_csv(rows, HERE / "inscriptions.csv")
    write_xlsx(rows, HERE / "inscriptions.xlsx")


if __name__ == "__main__":
    main()
