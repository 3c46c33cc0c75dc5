"""Generate the fictitious project workbook ``projet_tiers_lieu.xlsx`` (seeded, deterministic).

An 18-month social-innovation project (January 2025 – June 2026): « L'Escale numérique », a
digital and solidarity third place in the priority neighbourhood (QPV) « Les Tilleuls » of the
fictitious town of Valbourg. The workbook follows the toolkit's model (sheets
``cadre_logique``, ``indicateurs``, ``valeurs``, ``jalons``, ``budget``); values are entered up
to 31 March 2026, the date of the comité de pilotage. A small survey of the users in the first
quarter of 2026 (``enquete_usagers_2026.csv``) feeds the satisfaction indicator.

Run: ``python datasets/projet_tiers_lieu/generate.py`` (writes next to this file).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _reproducible import month_periods, quarter_periods  # helpers shared by the generators

HERE = Path(__file__).resolve().parent
SEED = 20250101
START, END = pd.Timestamp("2025-01-01"), pd.Timestamp("2026-06-30")
LAST_DATA = pd.Timestamp("2026-03-31")

SEXE = (["Femme", "Homme"], [0.58, 0.42])
AGE = (["moins de 25 ans", "25 à 59 ans", "60 ans et plus"], [0.22, 0.48, 0.30])
QUARTIER = (["Les Tilleuls (QPV)", "Autres quartiers"], [0.71, 0.29])

LOGFRAME = [
    (
        "OG",
        None,
        "objectif_global",
        "Réduire l'exclusion numérique et renforcer le lien social dans le quartier des Tilleuls",
        "La ville maintient sa politique d'inclusion numérique.",
    ),
    (
        "OS1",
        "OG",
        "objectif_specifique",
        "Permettre aux habitants du quartier d'accéder à leurs droits et de gagner en autonomie "
        "numérique",
        "Les services publics continuent de dématérialiser leurs démarches.",
    ),
    (
        "R1",
        "OS1",
        "resultat",
        "Un tiers-lieu ouvert, fréquenté et animé par et pour les habitants",
        "Le local mis à disposition par le bailleur reste disponible.",
    ),
    (
        "R2",
        "OS1",
        "resultat",
        "Les habitants accompagnés dans leurs démarches en ligne gagnent en autonomie",
        "Le poste de conseiller numérique reste financé.",
    ),
    (
        "R3",
        "OS1",
        "resultat",
        "Le modèle est essaimé dans d'autres quartiers avec des partenaires",
        "Des structures partenaires acceptent d'accueillir un point relais.",
    ),
    (
        "A1.1",
        "R1",
        "activite",
        "Aménager et ouvrir le lieu (accueil, espace numérique, café solidaire)",
        "Travaux livrés à temps.",
    ),
    (
        "A1.2",
        "R1",
        "activite",
        "Animer des ateliers numériques collectifs",
        "Les animateurs sont disponibles.",
    ),
    (
        "A1.3",
        "R1",
        "activite",
        "Mobiliser et former des bénévoles",
        "Des habitants s'engagent dans la durée.",
    ),
    (
        "A2.1",
        "R2",
        "activite",
        "Tenir des permanences d'accompagnement aux démarches en ligne",
        "Le conseiller numérique est recruté au premier trimestre.",
    ),
    (
        "A2.2",
        "R2",
        "activite",
        "Proposer un parcours d'autonomie numérique en six séances",
        "Les personnes accompagnées suivent le parcours jusqu'au bout.",
    ),
    (
        "A3.1",
        "R3",
        "activite",
        "Former des structures partenaires et ouvrir des points relais",
        "Les partenaires dégagent du temps de salarié.",
    ),
    ("A3.2", "R3", "activite", "Signer des conventions de partenariat", "—"),
]

# code, libelle, court, niveau, type, mesure, sens, agregation, periodicite, unite,
# numerateur, denominateur, facteur, desagregations, source, responsable
INDICATORS = [
    (
        "FREQ",
        "Nombre de visites au tiers-lieu",
        "Visites",
        "R1",
        "realisation",
        "nombre",
        "hausse",
        "somme",
        "mensuelle",
        "visites",
        "",
        "",
        1,
        "sexe;tranche_age;quartier",
        "Registre d'accueil",
        "chargée d'accueil",
    ),
    (
        "ACC",
        "Nombre de personnes accompagnées dans leurs démarches en ligne",
        "Personnes accompagnées",
        "R2",
        "realisation",
        "nombre",
        "hausse",
        "somme",
        "mensuelle",
        "personnes",
        "",
        "",
        1,
        "sexe;tranche_age",
        "Fichier de suivi des accompagnements",
        "conseiller numérique",
    ),
    (
        "ATEL",
        "Nombre d'ateliers numériques collectifs organisés",
        "Ateliers",
        "R1",
        "realisation",
        "nombre",
        "hausse",
        "somme",
        "mensuelle",
        "ateliers",
        "",
        "",
        1,
        "",
        "Planning des ateliers",
        "coordinatrice",
    ),
    (
        "PART",
        "Taux de participation aux ateliers (présents / inscrits)",
        "Participation ateliers",
        "R1",
        "realisation",
        "pourcentage",
        "hausse",
        "ratio",
        "mensuelle",
        "%",
        "Nombre de présents aux ateliers",
        "Nombre d'inscrits aux ateliers",
        100,
        "sexe",
        "Feuilles d'émargement",
        "animateur numérique",
    ),
    (
        "MEMB",
        "Nombre d'adhérents de l'association",
        "Adhérents",
        "R1",
        "resultat",
        "nombre",
        "hausse",
        "dernier",
        "trimestrielle",
        "adhérents",
        "",
        "",
        1,
        "",
        "Fichier des adhérents",
        "trésorière",
    ),
    (
        "ESS",
        "Nombre de points relais ouverts dans d'autres quartiers (essaimage)",
        "Points relais (essaimage)",
        "R3",
        "realisation",
        "nombre",
        "hausse",
        "cumul",
        "trimestrielle",
        "points relais",
        "",
        "",
        1,
        "",
        "Conventions de point relais",
        "coordinatrice",
    ),
    (
        "PARTEN",
        "Nombre de conventions de partenariat signées",
        "Conventions signées",
        "R3",
        "realisation",
        "nombre",
        "hausse",
        "cumul",
        "trimestrielle",
        "conventions",
        "",
        "",
        1,
        "",
        "Conventions signées",
        "direction",
    ),
    (
        "PEREN",
        "Part des points relais encore actifs six mois après leur ouverture",
        "Points relais actifs",
        "R3",
        "resultat",
        "pourcentage",
        "hausse",
        "ratio",
        "ponctuelle",
        "%",
        "Points relais actifs à six mois",
        "Points relais ouverts depuis six mois",
        100,
        "",
        "Enquête auprès des partenaires",
        "coordinatrice",
    ),
    (
        "SAT",
        "Part des usagers satisfaits ou très satisfaits",
        "Usagers satisfaits",
        "R1",
        "resultat",
        "pourcentage",
        "hausse",
        "ratio",
        "semestrielle",
        "%",
        "Répondants satisfaits ou très satisfaits",
        "Répondants à la question",
        100,
        "sexe",
        "Enquête de satisfaction des usagers",
        "chargée d'évaluation",
    ),
    (
        "AUTO",
        "Part des personnes accompagnées se déclarant autonomes trois mois après",
        "Autonomie à 3 mois",
        "R2",
        "resultat",
        "pourcentage",
        "hausse",
        "moyenne",
        "trimestrielle",
        "%",
        "Personnes se déclarant autonomes",
        "Personnes recontactées",
        100,
        "",
        "Appel de suivi à trois mois",
        "conseiller numérique",
    ),
    (
        "NRS",
        "Taux de non-recours aux droits parmi les personnes accompagnées",
        "Non-recours aux droits",
        "R2",
        "resultat",
        "pourcentage",
        "baisse",
        "ratio",
        "trimestrielle",
        "%",
        "Personnes ne percevant pas un droit auquel elles sont éligibles",
        "Personnes accompagnées ayant fait un diagnostic de droits",
        100,
        "",
        "Diagnostics de droits",
        "conseiller numérique",
    ),
    (
        "DELAI",
        "Délai d'attente pour un rendez-vous d'accompagnement",
        "Délai de rendez-vous",
        "R2",
        "resultat",
        "nombre",
        "baisse",
        "dernier",
        "mensuelle",
        "jours",
        "",
        "",
        1,
        "",
        "Agenda des rendez-vous",
        "chargée d'accueil",
    ),
    (
        "COUT",
        "Coût d'accompagnement par personne accompagnée",
        "Coût par personne",
        "R2",
        "resultat",
        "ratio",
        "baisse",
        "ratio",
        "trimestrielle",
        "€",
        "Dépenses d'accompagnement (€)",
        "Personnes accompagnées",
        1,
        "",
        "Comptabilité analytique",
        "trésorière",
    ),
    (
        "EMPL",
        "Nombre de personnes accompagnées ayant accédé à un emploi ou une formation",
        "Emploi ou formation",
        "OS1",
        "impact",
        "nombre",
        "hausse",
        "somme",
        "trimestrielle",
        "personnes",
        "",
        "",
        1,
        "sexe",
        "Appel de suivi à trois mois",
        "conseiller numérique",
    ),
    (
        "LIEN",
        "Évolution du lien social dans le quartier",
        "Lien social",
        "OG",
        "impact",
        "qualitatif",
        "hausse",
        "dernier",
        "semestrielle",
        "",
        "",
        "",
        1,
        "",
        "Entretiens collectifs avec les habitants",
        "chargée d'évaluation",
    ),
]

MILESTONES = [
    (
        "J1",
        "Signature de la convention avec la ville et l'État",
        "2024-11-15",
        "2025-01-15",
        "2025-01-10",
        "direction",
    ),
    (
        "J2",
        "Recrutement du conseiller numérique",
        "2025-01-06",
        "2025-02-15",
        "2025-04-01",
        "direction",
    ),
    (
        "J3",
        "Ouverture du tiers-lieu au public",
        "2025-01-06",
        "2025-03-01",
        "2025-03-17",
        "coordinatrice",
    ),
    ("J4", "Premier comité de pilotage", "2025-06-02", "2025-06-30", "2025-06-26", "coordinatrice"),
    (
        "J5",
        "Lancement du parcours d'autonomie en six séances",
        "2025-06-01",
        "2025-09-01",
        "2025-10-06",
        "conseiller numérique",
    ),
    (
        "J6",
        "Ouverture du premier point relais (essaimage)",
        "2025-06-01",
        "2025-10-01",
        "2025-11-20",
        "coordinatrice",
    ),
    (
        "J7",
        "Évaluation à mi-parcours (enquête auprès des usagers)",
        "2025-11-03",
        "2025-12-15",
        "2026-01-20",
        "chargée d'évaluation",
    ),
    (
        "J8",
        "Obtention du label « Fabrique de territoire »",
        "2025-09-01",
        "2026-01-31",
        None,
        "direction",
    ),
    ("J9", "Ouverture du deuxième point relais", "2025-12-01", "2026-03-01", None, "coordinatrice"),
    (
        "J10",
        "Dépôt du dossier de renouvellement auprès des financeurs",
        "2026-03-01",
        "2026-04-30",
        None,
        "direction",
    ),
    ("J11", "Bilan final et comité de clôture", "2026-05-01", "2026-06-30", None, "coordinatrice"),
]

BUDGET = [
    ("Aménagement et équipement du lieu", "A1.1", "Région", 45000, 47200),
    ("Loyer et charges (mise à disposition valorisée)", "A1.1", "Bailleur social", 27000, 22500),
    ("Coordination du tiers-lieu", "A1.2", "Ville de Valbourg", 55000, 43100),
    ("Animation des ateliers", "A1.2", "CAF", 18000, 14600),
    ("Formation des bénévoles", "A1.3", "Fondation", 6000, 3900),
    ("Conseiller numérique", "A2.1", "État (politique de la ville)", 60000, 41800),
    ("Parcours d'autonomie numérique", "A2.2", "Conférence des financeurs", 12000, 7300),
    ("Essaimage : formation des partenaires", "A3.1", "ANCT", 20000, 6500),
    ("Communication et évaluation", "OS1", "Fonds propres", 9000, 6200),
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

    def split(total: int, spec) -> list[int]:
        return list(rng.multinomial(total, spec[1]))

    def add_count(code, start, end, total, dims, source):
        add(code, "realise", start, end, valeur=total, source=source)
        for dim, spec in dims:
            for mod, n in zip(spec[0], split(total, spec), strict=True):
                add(code, "realise", start, end, valeur=n, dim=dim, mod=mod, source=source)

    base = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")
    months = month_periods(START, LAST_DATA)
    quarters = quarter_periods(START, LAST_DATA)

    # FREQ — visits, monthly, three disaggregations; closed half of August
    add("FREQ", "reference", *base, valeur=0, comment="Le lieu n'existait pas.")
    add("FREQ", "cible", START, pd.Timestamp("2025-12-31"), valeur=5000)
    add("FREQ", "cible", START, END, valeur=9000)
    for m, (s, e) in enumerate(months):
        n = 300 + 25 * m + rng.integers(-30, 31) - (160 if s.month == 8 else 0)
        add_count(
            "FREQ",
            s,
            e,
            int(n),
            [("sexe", SEXE), ("tranche_age", AGE), ("quartier", QUARTIER)],
            "Registre d'accueil",
        )
    # ACC — people supported, monthly
    add("ACC", "reference", *base, valeur=0)
    add("ACC", "cible", START, END, valeur=600)
    for m, (s, e) in enumerate(months):
        n = 0 if m < 3 else 17 + m + rng.integers(-3, 4) - (8 if s.month == 8 else 0)
        add_count("ACC", s, e, int(n), [("sexe", SEXE), ("tranche_age", AGE)], "Fichier de suivi")
    # ATEL — workshops, monthly
    add("ATEL", "reference", *base, valeur=0)
    add("ATEL", "cible", START, END, valeur=250)
    for m, (s, e) in enumerate(months):
        n = 0 if m < 2 else (9 if s.month == 8 else 20 + rng.integers(-2, 3))
        add("ATEL", "realise", s, e, valeur=int(n), source="Planning des ateliers")
    # PART — participation ratio, monthly, by sex (numerators and denominators add up)
    add("PART", "reference", *base, valeur=60, comment="Ateliers de la médiathèque en 2024.")
    add("PART", "cible", START, END, valeur=80)
    for m, (s, e) in enumerate(months):
        if m < 2:
            continue
        if s.month == 8:  # closed: nobody invited, entered anyway (a data-entry error)
            add("PART", "realise", s, e, num=0, den=0, comment="Fermeture estivale.")
            continue
        den = int(150 + 6 * m + rng.integers(-10, 11))
        rate = 0.68 + 0.008 * m + rng.normal(0, 0.015)
        num = round(den * rate)
        add("PART", "realise", s, e, num=num, den=den, source="Émargements")
        dens = split(den, SEXE)
        women = min(dens[0], round(dens[0] * (num / den + 0.05)))
        nums = [women, num - women]
        for mod, a, b in zip(SEXE[0], nums, dens, strict=True):
            add("PART", "realise", s, e, num=a, den=b, dim="sexe", mod=mod, source="Émargements")
    # MEMB — members, latest value, quarterly
    add("MEMB", "reference", *base, valeur=40)
    add("MEMB", "cible", START, END, valeur=250)
    for q, (s, e) in enumerate(quarters):
        add(
            "MEMB",
            "realise",
            s,
            e,
            valeur=int(40 + 39 * (q + 1) + rng.integers(-5, 6)),
            source="Fichier des adhérents",
        )
    # ESS — relay points opened (cumulated), quarterly
    add("ESS", "reference", *base, valeur=0)
    add("ESS", "cible", START, END, valeur=4)
    for q, (s, e) in enumerate(quarters):
        add("ESS", "realise", s, e, valeur=[0, 0, 0, 1, 1][q], source="Conventions de point relais")
    # PARTEN — partnership agreements (cumulated), quarterly
    add("PARTEN", "reference", *base, valeur=0)
    add("PARTEN", "cible", START, END, valeur=8)
    for q, (s, e) in enumerate(quarters):
        add("PARTEN", "realise", s, e, valeur=[2, 2, 1, 2, 1][q], source="Conventions")
    # PEREN — survival of relay points: measured at the end only
    add("PEREN", "cible", START, END, valeur=75)
    # SAT — satisfied users, half-yearly survey, by sex
    add("SAT", "reference", *base, valeur=70, comment="Enquête de la médiathèque en 2024.")
    add("SAT", "cible", START, END, valeur=85)
    for (s, e), den, num in (
        ((pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-30")), 118, 94),
        ((pd.Timestamp("2025-07-01"), pd.Timestamp("2025-12-31")), 142, 119),
    ):
        add("SAT", "realise", s, e, num=num, den=den, source="Enquête de satisfaction")
        dens = split(den, SEXE)
        women = min(dens[0], round(dens[0] * (num / den - 0.03)))
        nums = [women, num - women]
        for mod, a, b in zip(SEXE[0], nums, dens, strict=True):
            add(
                "SAT",
                "realise",
                s,
                e,
                num=a,
                den=b,
                dim="sexe",
                mod=mod,
                source="Enquête de satisfaction",
            )
    # AUTO — autonomy after three months, quarterly percentage, mean
    add("AUTO", "reference", *base, valeur=30)
    add("AUTO", "cible", START, END, valeur=60)
    for q, (s, e) in enumerate(quarters[1:], start=1):
        den = int(25 + 12 * q)
        num = round(den * [0.40, 0.46, 0.50, 0.53][q - 1])
        add("AUTO", "realise", s, e, num=num, den=den, source="Appels de suivi")
    # NRS — non take-up of rights (lower is better), quarterly ratio
    add("NRS", "reference", *base, valeur=35, comment="Diagnostic territorial 2024.")
    add("NRS", "cible", START, END, valeur=20)
    for q, (s, e) in enumerate(quarters[1:], start=1):
        den = int(40 + 14 * q)
        num = round(den * [0.29, 0.25, 0.21, 0.18][q - 1])
        add("NRS", "realise", s, e, num=num, den=den, source="Diagnostics de droits")
    # DELAI — waiting time (lower is better), latest monthly value
    add("DELAI", "reference", *base, valeur=21)
    add("DELAI", "cible", START, END, valeur=7)
    for m, (s, e) in enumerate(months):
        if m < 3:
            continue
        add(
            "DELAI",
            "realise",
            s,
            e,
            valeur=round(max(6.0, 19 - 1.1 * m + rng.normal(0, 0.6)), 1),
            source="Agenda",
        )
    # COUT — cost per person supported (lower is better), quarterly ratio
    add("COUT", "reference", *base, valeur=180, comment="Coût du dispositif précédent.")
    add("COUT", "cible", START, END, valeur=150)
    acc = pd.DataFrame(
        [
            r
            for r in rows
            if r["code"] == "ACC" and r["type_valeur"] == "realise" and r["dimension_nom"] is None
        ]
    )
    for q, (s, e) in enumerate(quarters[1:], start=1):
        persons = int(acc[(acc["periode_debut"] >= s) & (acc["periode_fin"] <= e)]["valeur"].sum())
        cost = int(round(persons * [172, 160, 154, 150][q - 1] / 10) * 10)
        add("COUT", "realise", s, e, num=cost, den=persons, source="Comptabilité analytique")
    # EMPL — access to a job or training, quarterly, by sex
    add("EMPL", "reference", *base, valeur=0)
    add("EMPL", "cible", START, END, valeur=60)
    for q, (s, e) in enumerate(quarters):
        add_count("EMPL", s, e, [0, 7, 10, 11, 13][q], [("sexe", SEXE)], "Appels de suivi")
    # LIEN — qualitative
    add(
        "LIEN",
        "cible",
        START,
        END,
        comment="Les habitants se sentent moins isolés et s'entraident davantage.",
    )
    add(
        "LIEN",
        "realise",
        pd.Timestamp("2025-01-01"),
        pd.Timestamp("2025-06-30"),
        comment="Premiers habitués au café solidaire ; entraide surtout entre voisins déjà "
        "proches.",
    )
    add(
        "LIEN",
        "realise",
        pd.Timestamp("2025-07-01"),
        pd.Timestamp("2025-12-31"),
        comment="Un groupe d'habitants anime désormais deux ateliers ; des liens se créent "
        "entre générations, moins entre les deux rives du quartier.",
    )

    values = pd.DataFrame(rows)
    # A data-entry slip left on purpose: one age split of FREQ in October 2025 is off by 10.
    bad = (
        (values["code"] == "FREQ")
        & (values["periode_debut"] == pd.Timestamp("2025-10-01"))
        & (values["dimension_valeur"] == "25 à 59 ans")
    )
    values.loc[bad, "valeur"] = values.loc[bad, "valeur"] + 10
    for col in ("valeur", "numerateur_valeur", "denominateur_valeur"):
        values[col] = pd.to_numeric(values[col])
    values["_c"] = values["code"].map({c[0]: i for i, c in enumerate(INDICATORS)})
    values["_t"] = values["type_valeur"].map({"reference": 0, "cible": 1, "realise": 2})
    values = values.sort_values(["_c", "_t", "periode_debut"], kind="stable")
    values = values.drop(columns=["_c", "_t"])

    logframe = pd.DataFrame(
        LOGFRAME, columns=["niveau_id", "parent_id", "niveau", "libelle", "hypotheses"]
    )
    indicators = pd.DataFrame(
        INDICATORS,
        columns=[
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
        ],
    )
    indicators.insert(
        3,
        "definition",
        [
            "Passages enregistrés à l'accueil (une personne peut venir plusieurs fois).",
            "Personnes différentes reçues en rendez-vous d'accompagnement dans le mois.",
            "Ateliers collectifs effectivement tenus.",
            "Présents / inscrits aux ateliers du mois × 100.",
            "Adhérents à jour de cotisation à la fin du trimestre.",
            "Points relais ouverts dans le trimestre (comptés depuis le début du projet).",
            "Conventions signées dans le trimestre (comptées depuis le début du projet).",
            "Points relais actifs six mois après leur ouverture / points relais ouverts depuis "
            "au moins six mois × 100.",
            "Répondants satisfaits ou très satisfaits / répondants × 100.",
            "Personnes se déclarant autonomes / personnes recontactées × 100.",
            "Personnes ne percevant pas un droit ouvert / personnes diagnostiquées × 100.",
            "Délai moyen entre la demande et le rendez-vous, à la fin du mois.",
            "Dépenses d'accompagnement / personnes accompagnées dans le trimestre.",
            "Personnes ayant signé un contrat ou commencé une formation dans le trimestre.",
            "Appréciation issue des entretiens collectifs semestriels.",
        ],
    )
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
    out = HERE / "projet_tiers_lieu.xlsx"
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

    # Users' survey, first quarter of 2026 (feeds SAT through indicator_from_survey)
    n = 156
    sexe = rng.choice(SEXE[0], size=n, p=SEXE[1])
    age = rng.choice(AGE[0], size=n, p=AGE[1])
    quartier = rng.choice(QUARTIER[0], size=n, p=QUARTIER[1])
    levels = ["Très satisfait", "Satisfait", "Peu satisfait", "Pas du tout satisfait"]
    sat = rng.choice(levels, size=n, p=[0.42, 0.45, 0.10, 0.03]).astype(object)
    sat[rng.choice(n, size=6, replace=False)] = None
    autonomy = rng.choice(["oui", "en partie", "non"], size=n, p=[0.5, 0.35, 0.15])
    days = rng.integers(0, 90, size=n)
    survey = pd.DataFrame(
        {
            "id": [f"R{i + 1:03d}" for i in range(n)],
            "date_reponse": (pd.Timestamp("2026-01-01") + pd.to_timedelta(days, unit="D")).strftime(
                "%d/%m/%Y"
            ),
            "sexe": sexe,
            "tranche_age": age,
            "quartier": quartier,
            "satisfaction": sat,
            "autonomie_demarches": autonomy,
        }
    ).sort_values("id")
    survey.to_csv(HERE / "enquete_usagers_2026.csv", sep=";", index=False, encoding="utf-8")


if __name__ == "__main__":
    main()
