"""Generate the fictitious volunteers' survey of the « Réseau Solidarités Vallée ».

Run ``python datasets/enquete_benevoles/generate.py``: it writes ``reponses.csv`` (as
LimeSurvey exports it with question codes: ``;`` separator, UTF-8, answers as labels) and
``marges_population.csv`` (the network's register of volunteers by sex and age) next to itself.
The draw is seeded, so the files are identical from run to run. Every respondent is invented.

The model: a latent « engagement » score drives five of the six agreement items and the
intention to stay; the sixth item (parking) is unrelated to it, so dropping it raises
Cronbach's α. Women and volunteers aged 60 and over answered more often than the others, so the
sample must be weighted (calage) on the register's margins.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 20261203
N = 312
HERE = Path(__file__).resolve().parent

ASSOCIATIONS = [
    "Épicerie solidaire Le Panier",
    "Centre social Les Tilleuls",
    "Accompagnement scolaire Réussir ensemble",
    "Restos du quartier",
    "Maison des familles",
    "Club de l'amitié",
    "Atelier vélo Roue libre",
    "Jardins partagés de la Vallée",
]
SEXES = ["Femme", "Homme"]
AGES = ["Moins de 30 ans", "30 à 59 ans", "60 ans et plus"]
SENIORITY = ["Moins d'un an", "1 à 5 ans", "Plus de 5 ans"]
STATUSES = ["Bénévole d'activité", "Administrateur ou administratrice", "Service civique"]
MISSIONS = [
    "Aide alimentaire",
    "Accompagnement scolaire",
    "Animation et loisirs",
    "Accueil et démarches",
]
SCALE = [
    "Pas du tout d'accord",
    "Plutôt pas d'accord",
    "Ni d'accord ni pas d'accord",
    "Plutôt d'accord",
    "Tout à fait d'accord",
]
ITEMS = {
    "reconnu": 0.9,
    "utile": 0.7,
    "informe": 1.0,
    "forme": 0.8,
    "ecoute": 1.1,
    "parking": 0.0,
}
INTENTION = ["Oui, certainement", "Probablement", "Je ne sais pas", "Probablement pas"]

POPULATION = {
    "sexe": {"Femme": 860, "Homme": 620},
    "tranche_age": {"Moins de 30 ans": 300, "30 à 59 ans": 640, "60 ans et plus": 540},
}


def _draw(rng: np.random.Generator) -> list[dict[str, object]]:
    rows = []
    for i in range(N):
        sexe = SEXES[rng.choice(2, p=[0.68, 0.32])]
        age = AGES[rng.choice(3, p=[0.13, 0.40, 0.47])]
        seniority_p = {
            "Moins de 30 ans": [0.55, 0.40, 0.05],
            "30 à 59 ans": [0.25, 0.50, 0.25],
            "60 ans et plus": [0.10, 0.40, 0.50],
        }[age]
        seniority = SENIORITY[rng.choice(3, p=seniority_p)]
        if age == "Moins de 30 ans" and rng.random() < 0.22:
            status = STATUSES[2]
        else:
            status = STATUSES[rng.choice(2, p=[0.88, 0.12])]
        mission = MISSIONS[rng.choice(4, p=[0.34, 0.22, 0.26, 0.18])]
        trained = rng.random() < (0.35 + 0.2 * SENIORITY.index(seniority))
        hours = int(
            np.clip(np.round(rng.gamma(2.2, 5.5) + (6 if status == STATUSES[1] else 0)), 1, 80)
        )
        engagement = rng.normal(0.35 * SENIORITY.index(seniority) + (0.5 if trained else 0), 1)
        row: dict[str, object] = {
            "id": f"B{i + 1:03d}",
            "association": ASSOCIATIONS[rng.choice(len(ASSOCIATIONS))],
            "sexe": sexe,
            "tranche_age": age,
            "anciennete": seniority,
            "statut": status,
            "mission": mission,
            "heures_mois": hours,
            "formation": "Oui" if trained else "Non",
        }
        for item, loading in ITEMS.items():
            latent = loading * engagement + rng.normal(0.6 if item != "parking" else 0.0, 0.75)
            level = int(np.digitize(latent, [-1.3, -0.45, 0.35, 1.3]))
            row[f"accord_{item}"] = SCALE[level]
        stay = engagement + rng.normal(0.4, 0.8) - (0.8 if status == STATUSES[2] else 0)
        row["intention"] = INTENTION[3 - int(np.digitize(stay, [-1.0, -0.2, 0.7]))]
        rows.append(row)
    # A few blank answers, as in any real export (the question was optional).
    for index in rng.choice(N, size=7, replace=False):
        rows[index]["accord_parking"] = ""
    return rows


def main() -> None:
    rng = np.random.default_rng(SEED)
    rows = _draw(rng)
    with (HERE / "reponses.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with (HERE / "marges_population.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("variable;modalite;effectif\n")
        for variable, counts in POPULATION.items():
            for category, count in counts.items():
                fh.write(f"{variable};{category};{count}\n")


if __name__ == "__main__":
    main()
