"""Generate the fictitious project workbook ``projet_cap_avenir.xlsx`` (seeded, deterministic).

A two-year youth-inclusion project (January 2025 – December 2026): « Cap Avenir », run by the
fictitious association Horizons Jeunes in the priority neighbourhood (QPV) « Les Aubépines » of
the fictitious town of Valombre, for young people aged 16 to 25 who are neither in work nor in
training. The workbook follows the toolkit's model (sheets ``cadre_logique``, ``indicateurs``,
``valeurs``, ``jalons``, ``budget``); values are entered up to 31 March 2026. A small survey of
the young people in the first quarter of 2026 (``enquete_jeunes_2026.csv``) feeds the
satisfaction indicator.

Run: ``python datasets/projet_cap_avenir/generate.py`` (writes next to this file; a re-run
writes the same bytes).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _reproducible import (  # helpers shared by the generators
    month_periods,
    quarter_periods,
    stamp_workbook,
)

HERE = Path(__file__).resolve().parent
SEED = 20250115
START, END = pd.Timestamp("2025-01-01"), pd.Timestamp("2026-12-31")
LAST_DATA = pd.Timestamp("2026-03-31")

SEXE = (["Femme", "Homme"], [0.44, 0.56])
AGE = (["16 à 17 ans", "18 à 21 ans", "22 à 25 ans"], [0.18, 0.47, 0.35])
QUARTIER = (["Les Aubépines (QPV)", "Autres quartiers"], [0.64, 0.36])

LOGFRAME = [
    (
        "OG",
        None,
        "objectif_global",
        "Favoriser l'insertion sociale et professionnelle des jeunes du quartier des Aubépines",
        "Le marché local de l'emploi reste ouvert aux premiers niveaux de qualification.",
    ),
    (
        "OS1",
        "OG",
        "objectif_specifique",
        "Permettre aux jeunes de 16 à 25 ans sans emploi ni formation de construire et mener un "
        "projet d'insertion",
        "Les jeunes repérés acceptent un accompagnement.",
    ),
    (
        "R1",
        "OS1",
        "resultat",
        "Des jeunes « invisibles » sont repérés et accueillis",
        "Les éducateurs de rue restent en poste.",
    ),
    (
        "R2",
        "OS1",
        "resultat",
        "Les jeunes accompagnés reprennent confiance et participent aux ateliers collectifs",
        "Le local jeunes reste disponible.",
    ),
    (
        "R3",
        "OS1",
        "resultat",
        "Les jeunes accèdent à un emploi, un stage ou une formation",
        "Les employeurs partenaires maintiennent leurs offres.",
    ),
    ("A1.1", "R1", "activite", "Permanences et maraudes des éducateurs de rue", ""),
    ("A2.1", "R2", "activite", "Ateliers collectifs (CV, code de la route, sport, théâtre)", ""),
    ("A3.1", "R3", "activite", "Immersions en entreprise et job dating avec les employeurs", ""),
]

# code, libellé, court, niveau, type, mesure, sens, agrégation, périodicité, unité,
# numérateur, dénominateur, facteur, désagrégations, source, responsable, définition
INDICATORS = [
    (
        "JEUN",
        "Nombre de jeunes accueillis pour la première fois",
        "Jeunes accueillis",
        "R1",
        "realisation",
        "nombre",
        "hausse",
        "somme",
        "mensuelle",
        "jeunes",
        "",
        "",
        1,
        "sexe;tranche_age",
        "Fichier d'accueil",
        "éducateur référent",
        "Jeunes reçus pour un premier entretien dans le mois (chaque jeune compte une fois).",
    ),
    (
        "SEAN",
        "Nombre de séances d'ateliers collectifs tenues",
        "Séances d'ateliers",
        "R2",
        "realisation",
        "nombre",
        "hausse",
        "somme",
        "mensuelle",
        "séances",
        "",
        "",
        1,
        "",
        "Planning des ateliers",
        "animatrice",
        "Séances effectivement tenues (une séance annulée ne compte pas).",
    ),
    (
        "ASSID",
        "Taux d'assiduité aux ateliers (présents / inscrits)",
        "Assiduité",
        "R2",
        "realisation",
        "pourcentage",
        "hausse",
        "ratio",
        "mensuelle",
        "%",
        "Nombre de présences aux ateliers",
        "Nombre d'inscriptions aux ateliers",
        100,
        "sexe",
        "Feuilles d'émargement",
        "animatrice",
        "Présences / inscriptions aux séances du mois × 100.",
    ),
    (
        "EMPL",
        "Nombre d'employeurs partenaires engagés",
        "Employeurs partenaires",
        "R3",
        "realisation",
        "nombre",
        "hausse",
        "dernier",
        "trimestrielle",
        "employeurs",
        "",
        "",
        1,
        "",
        "Conventions de partenariat",
        "chargé de relations entreprises",
        "Employeurs ayant signé la charte, à la fin du trimestre.",
    ),
    (
        "SORT",
        "Nombre de sorties positives (emploi, stage long, formation qualifiante)",
        "Sorties positives",
        "R3",
        "resultat",
        "nombre",
        "hausse",
        "somme",
        "trimestrielle",
        "jeunes",
        "",
        "",
        1,
        "sexe",
        "Fichier de suivi des parcours",
        "éducateur référent",
        "Jeunes ayant signé un contrat ou commencé une formation dans le trimestre.",
    ),
    (
        "DELAI",
        "Délai moyen avant le premier entretien (jours)",
        "Délai premier entretien",
        "R1",
        "realisation",
        "nombre",
        "baisse",
        "dernier",
        "mensuelle",
        "jours",
        "",
        "",
        1,
        "",
        "Agenda des éducateurs",
        "coordinatrice",
        "Délai moyen entre le repérage et le premier entretien, à la fin du mois.",
    ),
    (
        "COUT",
        "Coût de l'accompagnement par jeune accueilli (€)",
        "Coût par jeune",
        "OS1",
        "realisation",
        "nombre",
        "baisse",
        "ratio",
        "trimestrielle",
        "€",
        "Dépenses d'accompagnement du trimestre",
        "Jeunes accueillis dans le trimestre",
        1,
        "",
        "Comptabilité analytique",
        "trésorière",
        "Dépenses d'accompagnement / jeunes accueillis dans le trimestre.",
    ),
    (
        "SAT",
        "Part des jeunes satisfaits de l'accompagnement",
        "Satisfaction",
        "OS1",
        "resultat",
        "pourcentage",
        "hausse",
        "ratio",
        "semestrielle",
        "%",
        "Jeunes satisfaits ou très satisfaits",
        "Jeunes répondants",
        100,
        "",
        "Enquête auprès des jeunes",
        "coordinatrice",
        "Répondants satisfaits ou très satisfaits / répondants × 100.",
    ),
]

MILESTONES = [
    (
        "J1",
        "Signature de la convention avec la Ville et l'État",
        "2024-11-04",
        "2025-01-10",
        "2025-01-08",
        "direction",
    ),
    (
        "J2",
        "Recrutement du second éducateur de rue",
        "2025-01-06",
        "2025-02-28",
        "2025-05-12",
        "direction",
    ),
    ("J3", "Ouverture du local jeunes", "2025-01-06", "2025-03-15", "2025-03-31", "coordinatrice"),
    ("J4", "Premier comité de pilotage", "2025-05-05", "2025-06-20", "2025-06-17", "coordinatrice"),
    (
        "J5",
        "Signature de la charte avec dix employeurs",
        "2025-03-01",
        "2025-09-30",
        "2025-11-14",
        "chargé de relations entreprises",
    ),
    (
        "J6",
        "Premier job dating du quartier",
        "2025-09-01",
        "2025-10-15",
        "2025-10-09",
        "chargé de relations entreprises",
    ),
    (
        "J7",
        "Bilan intermédiaire remis aux financeurs",
        "2025-12-01",
        "2026-01-31",
        None,
        "direction",
    ),
    (
        "J8",
        "Évaluation finale et comité de clôture",
        "2026-11-02",
        "2026-12-15",
        None,
        "coordinatrice",
    ),
]

BUDGET = [
    ("Éducateurs de rue", "A1.1", "État (politique de la ville)", 96000, 44800),
    ("Animation des ateliers", "A2.1", "Ville de Valombre", 38000, 17900),
    ("Local jeunes (loyer valorisé)", "A2.1", "Bailleur social", 14400, 7200),
    ("Relations entreprises", "A3.1", "Département (fonds d'aide aux jeunes)", 42000, 16300),
    ("Coordination et évaluation", "OS1", "CAF", 30000, 15800),
]


def main() -> None:
    rng = np.random.default_rng(SEED)
    rows: list[dict] = []

    def add(
        code,
        kind,
        start,
        end,
        valeur=None,
        num=None,
        den=None,
        dim=None,
        mod=None,
        comment=None,
        source=None,
    ):
        rows.append(
            {
                "code": code,
                "type_valeur": kind,
                "periode_debut": start,
                "periode_fin": end,
                "dimension_nom": dim,
                "dimension_valeur": mod,
                "numerateur_valeur": num,
                "denominateur_valeur": den,
                "valeur": valeur,
                "commentaire": comment,
                "source": source,
            }
        )

    def add_count(code, start, end, total, dims, source):
        add(code, "realise", start, end, valeur=total, source=source)
        for dim, spec in dims:
            for mod, n in zip(spec[0], rng.multinomial(total, spec[1]), strict=True):
                add(code, "realise", start, end, valeur=int(n), dim=dim, mod=mod, source=source)

    base = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")
    months = month_periods(START, LAST_DATA)
    quarters = quarter_periods(START, LAST_DATA)

    # JEUN — young people welcomed for the first time, monthly; slow start (one street worker)
    add("JEUN", "reference", *base, valeur=0, comment="Le dispositif n'existait pas.")
    add("JEUN", "cible", START, END, valeur=240)
    for m, (s, e) in enumerate(months):
        n = (4 if m < 4 else 10) + rng.integers(-2, 3) - (5 if s.month == 8 else 0)
        add_count(
            "JEUN",
            s,
            e,
            int(max(n, 1)),
            [("sexe", SEXE), ("tranche_age", AGE)],
            "Fichier d'accueil",
        )
    # SEAN — workshop sessions, monthly
    add("SEAN", "reference", *base, valeur=0)
    add("SEAN", "cible", START, END, valeur=300)
    for m, (s, e) in enumerate(months):
        n = 0 if m < 3 else (4 if s.month == 8 else 13 + rng.integers(-2, 3))
        add("SEAN", "realise", s, e, valeur=int(n), source="Planning des ateliers")
    # ASSID — attendance ratio, monthly, by sex
    add("ASSID", "reference", *base, valeur=55, comment="Ateliers du centre social en 2024.")
    add("ASSID", "cible", START, END, valeur=75)
    for m, (s, e) in enumerate(months):
        if m < 3:
            continue
        den = int((40 if s.month == 8 else 95) + 4 * m + rng.integers(-8, 9))
        rate = 0.58 + 0.009 * m + rng.normal(0, 0.02)
        num = round(den * rate)
        add("ASSID", "realise", s, e, num=num, den=den, source="Émargements")
        dens = list(rng.multinomial(den, SEXE[1]))
        women = min(dens[0], round(dens[0] * (num / den + 0.06)))
        for mod, a, b in zip(SEXE[0], [women, num - women], dens, strict=True):
            add(
                "ASSID",
                "realise",
                s,
                e,
                num=int(a),
                den=int(b),
                dim="sexe",
                mod=mod,
                source="Émargements",
            )
    # EMPL — partner employers, latest value, quarterly
    add("EMPL", "reference", *base, valeur=2)
    add("EMPL", "cible", START, END, valeur=20)
    for q, (s, e) in enumerate(quarters):
        add("EMPL", "realise", s, e, valeur=[3, 5, 7, 11, 12][q], source="Conventions")
    # SORT — positive exits, quarterly sum, by sex
    add("SORT", "reference", *base, valeur=0)
    add("SORT", "cible", START, END, valeur=90)
    for q, (s, e) in enumerate(quarters):
        add_count("SORT", s, e, [0, 4, 7, 9, 10][q], [("sexe", SEXE)], "Fichier de suivi")
    # DELAI — waiting days (lower is better), latest monthly value
    add("DELAI", "reference", *base, valeur=30, comment="Délai de la mission locale en 2024.")
    add("DELAI", "cible", START, END, valeur=10)
    for m, (s, e) in enumerate(months):
        late = 6 if m < 5 else 0  # until the second street worker arrives
        value = round(max(9.0, 27 - 1.1 * m + late + rng.normal(0, 0.8)), 1)
        add("DELAI", "realise", s, e, valeur=value, source="Agenda des éducateurs")
    # COUT — cost per young person (lower is better), quarterly ratio
    add("COUT", "reference", *base, valeur=1400, comment="Coût du dispositif départemental.")
    add("COUT", "cible", START, END, valeur=1100)
    jeun = pd.DataFrame(
        [
            r
            for r in rows
            if r["code"] == "JEUN" and r["dimension_nom"] is None and r["type_valeur"] == "realise"
        ]
    )
    for q, (s, e) in enumerate(quarters):
        people = int(
            jeun[(jeun["periode_debut"] >= s) & (jeun["periode_fin"] <= e)]["valeur"].sum()
        )
        cost = int(round(people * [1650, 1480, 1390, 1330, 1290][q] / 10) * 10)
        add("COUT", "realise", s, e, num=cost, den=people, source="Comptabilité analytique")
    # SAT — satisfied young people, half-yearly survey
    add("SAT", "reference", *base, valeur=65, comment="Enquête de la mission locale en 2024.")
    add("SAT", "cible", START, END, valeur=85)
    for (s, e), den, num in (
        ((pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-30")), 22, 16),
        ((pd.Timestamp("2025-07-01"), pd.Timestamp("2025-12-31")), 41, 32),
    ):
        add("SAT", "realise", s, e, num=num, den=den, source="Enquête auprès des jeunes")

    values = pd.DataFrame(rows)
    for col in ("valeur", "numerateur_valeur", "denominateur_valeur"):
        values[col] = pd.to_numeric(values[col])
    values["_c"] = values["code"].map({c[0]: i for i, c in enumerate(INDICATORS)})
    values["_t"] = values["type_valeur"].map({"reference": 0, "cible": 1, "realise": 2})
    values = values.sort_values(["_c", "_t", "periode_debut"], kind="stable").drop(
        columns=["_c", "_t"]
    )

    logframe = pd.DataFrame(
        LOGFRAME, columns=["niveau_id", "parent_id", "niveau", "libelle", "hypotheses"]
    )
    columns = [
        "code",
        "libelle",
        "libelle_court",
        "niveau_id",
        "type_resultat",
        "mesure",
        "sens",
        "agregation",
        "periodicite",
        "unite",
        "numerateur",
        "denominateur",
        "facteur",
        "desagregations",
        "source_verification",
        "responsable",
        "definition",
    ]
    indicators = pd.DataFrame(INDICATORS, columns=columns)
    indicators.insert(3, "definition", indicators.pop("definition"))
    indicators["seuils"] = ""
    milestones = pd.DataFrame(
        MILESTONES,
        columns=["code", "libelle", "date_debut", "date_prevue", "date_reelle", "responsable"],
    )
    for col in ("date_debut", "date_prevue", "date_reelle"):
        milestones[col] = pd.to_datetime(milestones[col])
    budget = pd.DataFrame(
        BUDGET, columns=["poste", "niveau_id", "financeur", "montant_prevu", "montant_realise"]
    )
    out = HERE / "projet_cap_avenir.xlsx"
    with pd.ExcelWriter(
        out, engine="openpyxl", date_format="DD/MM/YYYY", datetime_format="DD/MM/YYYY"
    ) as writer:
        for name, df in (
            ("cadre_logique", logframe),
            ("indicateurs", indicators),
            ("valeurs", values),
            ("jalons", milestones),
            ("budget", budget),
        ):
            df.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            for column in ws.columns:
                ws.column_dimensions[column[0].column_letter].width = 16
            ws.freeze_panes = "A2"
    stamp_workbook(out, dt.datetime(2026, 4, 2, 9, 0, 0))

    # The young people's survey, first quarter of 2026 (feeds SAT through indicator_from_survey)
    n = 64
    sexe = rng.choice(SEXE[0], size=n, p=SEXE[1])
    age = rng.choice(AGE[0], size=n, p=AGE[1])
    quartier = rng.choice(QUARTIER[0], size=n, p=QUARTIER[1])
    levels = ["Très satisfait", "Satisfait", "Peu satisfait", "Pas du tout satisfait"]
    qpv = quartier == QUARTIER[0][0]
    sat = np.where(
        qpv,
        rng.choice(levels, size=n, p=[0.38, 0.40, 0.17, 0.05]),
        rng.choice(levels, size=n, p=[0.45, 0.42, 0.10, 0.03]),
    ).astype(object)
    sat[rng.choice(n, size=3, replace=False)] = None
    projet = rng.choice(["oui", "en partie", "non"], size=n, p=[0.45, 0.38, 0.17])
    days = rng.integers(0, 90, size=n)
    survey = pd.DataFrame(
        {
            "id": [f"J{i + 1:03d}" for i in range(n)],
            "date_reponse": (pd.Timestamp("2026-01-01") + pd.to_timedelta(days, unit="D")).strftime(
                "%d/%m/%Y"
            ),
            "sexe": sexe,
            "tranche_age": age,
            "quartier": quartier,
            "satisfaction": sat,
            "projet_clarifie": projet,
        }
    )
    survey.to_csv(
        HERE / "enquete_jeunes_2026.csv",
        sep=";",
        index=False,
        encoding="utf-8",
        lineterminator="\n",
    )


if __name__ == "__main__":
    main()
