"""Generate the fictitious members file of the « Maison du Lien » association.

Run ``python datasets/exemple_adherents/generate.py``: it writes ``adherents.csv`` (as Excel
exports it in France: ``;`` separator, Windows-1252, decimal comma, CRLF line ends) and
``adherents.xlsx`` next to itself. The draw is seeded, so the files are identical from run to
run. Every person is invented: names and first names are drawn independently from lists of
common French names.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _reproducible import stamp_workbook  # helper shared by the generators

SEED = 20240916
N_MEMBERS = 120
HERE = Path(__file__).resolve().parent

SURNAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
    "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun",
    "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal",
    "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix",
    "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland",
    "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger",
    "Carpentier", "Sanchez", "Dupuis", "Moulin", "Louis", "Deschamps", "Huet", "Vasseur", "Perez",
    "Boucher", "Fleury", "Royer", "Klein", "Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry",
    "Guyot", "Carré", "Charles", "Renault", "Charpentier", "Ménard", "Maillard", "Baron",
    "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez", "Le Gall", "Collet", "Léger",
    "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain",
    "Breton", "Besson", "Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier",
    "Leblanc", "Barré", "Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger", "Jacob",
    "Monnier", "Michaud", "Rodriguez", "Guichard", "Gillet", "Étienne", "Grondin", "Poulain",
    "Tessier", "Chevallier", "Collin", "Chauvin", "Da Silva", "Bouchet", "Gay", "Lemaître",
    "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret", "Barthélemy",
    "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier",
    "Laporte",
]  # fmt: skip
FIRST_NAMES_F = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Christine", "Monique",
    "Valérie", "Sandrine", "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie",
    "Aurélie", "Céline", "Hélène", "Nadia", "Fatima", "Yasmine", "Amélie", "Élodie", "Justine",
    "Odile", "Josiane", "Jeanne", "Zoé", "Mélanie", "Agnès", "Claire", "Danielle", "Géraldine",
]  # fmt: skip
FIRST_NAMES_H = [
    "Jean", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe", "Pierre",
    "Christian", "Éric", "Thomas", "Lucas", "Hugo", "Théo", "Nathan", "Louis", "Mehdi", "Karim",
    "Julien", "Sébastien", "Stéphane", "Olivier", "Bernard", "Gérard", "Jérôme", "Mathieu",
    "Antoine", "Rémi", "Youssef", "Bruno", "Cédric", "Damien", "Gaël", "Hervé", "Joël", "Noé",
]  # fmt: skip
# commune -> (postcode, weight, quartiers); quartiers only where the association works by area
COMMUNES = {
    "Bourg-en-Bresse": (
        "01000",
        0.55,
        ["Centre-ville", "Reyssouze", "Croix-Blanche", "Les Vennes", "Brou"],
    ),
    "Péronnas": ("01960", 0.14, []),
    "Viriat": ("01440", 0.11, []),
    "Saint-Denis-lès-Bourg": ("01000", 0.10, []),
    "Montagnat": ("01250", 0.05, []),
    "Attignat": ("01340", 0.05, []),
}
ACTIVITIES = {
    "Jardin partagé": 0.24,
    "Atelier couture": 0.16,
    "Soutien scolaire": 0.20,
    "Repair café": 0.14,
    "Chorale": 0.14,
    "Théâtre": 0.12,
}
FEES = {"Normale": 25.0, "Réduite": 12.5, "Famille": 40.0}
HEADER = [
    "Nom",
    "Prénom",
    "Âge",
    "Sexe",
    "Commune",
    "Code postal",
    "Quartier",
    "Date d'adhésion",
    "Cotisation",
    "Bénévole",
    "Activité",
]


def generate(seed: int = SEED) -> list[dict]:
    """Draw the members; returns one dict per member (Python values, ``None`` if missing)."""
    rng = np.random.default_rng(seed)
    communes = list(COMMUNES)
    weights = np.array([COMMUNES[c][1] for c in communes])
    activities = list(ACTIVITIES)
    act_weights = np.array(list(ACTIVITIES.values()))
    surnames = rng.permutation(SURNAMES)[:N_MEMBERS]
    start = dt.date(2015, 9, 1)
    span = (dt.date(2024, 6, 30) - start).days
    members = []
    for i in range(N_MEMBERS):
        sex = "F" if rng.random() < 0.58 else "H"
        first = rng.choice(FIRST_NAMES_F if sex == "F" else FIRST_NAMES_H)
        activity = str(rng.choice(activities, p=act_weights / act_weights.sum()))
        if activity == "Soutien scolaire" and rng.random() < 0.5:
            age = int(rng.integers(16, 25))  # young volunteers and tutored pupils
        else:
            age = int(np.clip(rng.normal(47, 17), 18, 88))
        commune = str(rng.choice(communes, p=weights / weights.sum()))
        postcode, _, quartiers = COMMUNES[commune]
        quartier = str(rng.choice(quartiers)) if quartiers else None
        joined = start + dt.timedelta(days=int(rng.integers(0, span)))
        tariff = rng.choice(list(FEES), p=[0.6, 0.28, 0.12])
        fee = FEES[str(tariff)]
        if rng.random() < 0.12:  # members who add a donation to their fee
            fee += float(rng.choice([5, 10, 12.5, 20, 50]))
        volunteer = "oui" if rng.random() < (0.45 if age >= 60 else 0.25) else "non"
        members.append(
            {
                "Nom": str(surnames[i]).upper(),
                "Prénom": str(first),
                "Âge": age,
                "Sexe": sex,
                "Commune": commune,
                "Code postal": postcode,
                "Quartier": quartier,
                "Date d'adhésion": joined,
                "Cotisation": round(fee, 2),
                "Bénévole": volunteer,
                "Activité": activity,
            }
        )
    members.sort(key=lambda m: (m["Date d'adhésion"], m["Nom"]))
    # as in every real file: two ages were never filled in, and two benefactors gave a lot
    members[17]["Âge"] = None
    members[88]["Âge"] = None
    members[41]["Cotisation"] = 1000.0
    members[102]["Cotisation"] = 1250.5
    return members


def _csv_value(key: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if key == "Cotisation":
        text = f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")
        return text
    return str(value)


def write_csv(members: list[dict], target: Path) -> None:
    """Write the file as French Excel's « CSV (séparateur : point-virgule) » does."""
    lines = [";".join(HEADER)]
    lines += [";".join(_csv_value(k, m[k]) for k in HEADER) for m in members]
    target.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def write_xlsx(members: list[dict], target: Path) -> None:
    """Write the same members to a workbook (sheet « Adhérents »), byte for byte reproducible."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Adhérents"
    ws.append(HEADER)
    for m in members:
        ws.append([m[k] for k in HEADER])
    for row in ws.iter_rows(min_row=2):
        row[HEADER.index("Date d'adhésion")].number_format = "DD/MM/YYYY"
        row[HEADER.index("Cotisation")].number_format = "#,##0.00"
        row[HEADER.index("Code postal")].number_format = "@"
    when = dt.datetime(2024, 9, 15, 12, 0, 0)
    wb.properties.created = when
    wb.properties.creator = "movsc-toolkit"
    wb.save(target)
    stamp_workbook(target, when)


def main() -> None:
    members = generate()
    write_csv(members, HERE / "adherents.csv")
    write_xlsx(members, HERE / "adherents.xlsx")


if __name__ == "__main__":
    main()
