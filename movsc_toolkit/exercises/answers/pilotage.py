"""Expected values of ``exercises/07_pilotage.ipynb`` (following a project's indicators).

Every value is computed from the bundled ``projet_tiers_lieu`` dataset with
:mod:`movsc_toolkit.kpi`, as the student is asked to do, for the annual review of
31 December 2025 (the course notebook 07 works at the comité de pilotage of 31 March 2026), so
that no expected value is printed in the course. The last questions define a new indicator from
figures given in the question; its rates follow the usual definitions (taux de réalisation =
réalisé / cible × 100; progression = (réalisé − référence) / (cible − référence) × 100).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ..check import exercise

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from movsc_toolkit.kpi import Project

AS_OF = "31/12/2025"
#: The new indicator of questions 8 and 9: active volunteers.
BENEVOLES = {"reference": 12, "cible": 35, "realise": 24}


@cache
def _project() -> Project:
    from movsc_toolkit import datasets

    return datasets.load("projet_tiers_lieu")


def _dashboard() -> pd.DataFrame:
    from movsc_toolkit import kpi

    return kpi.dashboard(_project(), AS_OF)


@exercise(
    "pilotage-ateliers",
    question="Combien d'ateliers numériques collectifs (indicateur ATEL) ont eu lieu en 2025 ? "
    "Calculez-le à partir du journal des mesures.",
    hints=[
        "projet.valeurs est le journal des mesures : une ligne par valeur saisie, avec "
        "« code », « type_valeur » (reference, cible, realise), « periode_fin » et « valeur ».",
        "Gardez les lignes de code ATEL, de type « realise », dont la période finit au plus tard "
        "le 31/12/2025, et additionnez « valeur » (l'agrégation de ATEL est une somme).",
        "v = projet.valeurs\n"
        'lignes = v[(v["code"] == "ATEL") & (v["type_valeur"] == "realise") & '
        '(v["periode_fin"] <= "2025-12-31")]\nateliers = lignes["valeur"].sum()',
    ],
    decimals=0,
)
def _ateliers() -> float:
    return float(_dashboard().loc["ATEL", "Réalisé"])


@exercise(
    "pilotage-taux-realisation-ateliers",
    question="Quel est le taux de réalisation (en %) des ateliers au 31/12/2025, sachant que la "
    "cible du projet est de 250 ateliers ?",
    hints=[
        "Pour un indicateur à la hausse, taux de réalisation = réalisé / cible × 100.",
        "Le réalisé est votre réponse à la question précédente ; la cible est dans le tableau "
        "de bord (colonne « Cible ») ou dans l'énoncé.",
        "taux_ateliers = ateliers / 250 * 100",
    ],
    decimals=1,
    unit="%",
)
def _taux_ateliers() -> float:
    return float(_dashboard().loc["ATEL", "Taux de réalisation (%)"])


@exercise(
    "pilotage-progression-cout",
    question="Le coût d'accompagnement par personne (COUT) doit baisser de 180 € (référence) à "
    "150 € (cible). Quelle est sa progression vers la cible au 31/12/2025, en % ?",
    hints=[
        "Progression = (réalisé − référence) / (cible − référence) × 100 : la formule vaut "
        "pour un indicateur à la hausse comme à la baisse.",
        'Le réalisé au 31/12/2025 est dans kpi.dashboard(projet, as_of="31/12/2025"), ligne '
        "« COUT », colonne « Réalisé ».",
        'r = tb.loc["COUT"]\nprogression_cout = (r["Réalisé"] - 180) / (150 - 180) * 100',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: float(_dashboard().loc["COUT", "Taux de réalisation (%)"]),
            "c'est le taux de réalisation (cible / réalisé pour un indicateur à la baisse) ; la "
            "question demande la progression depuis la référence.",
        ),
    ],
)
def _progression_cout() -> float:
    return float(_dashboard().loc["COUT", "Progression vers la cible (%)"])


@exercise(
    "pilotage-indicateurs-a-surveiller",
    question="Quels indicateurs (leurs codes) sont « à surveiller » au 31/12/2025 ?",
    hints=[
        "Le tableau de bord a une colonne « Statut ».",
        'Filtrez le tableau sur tb["Statut"] == "à surveiller".',
        'a_surveiller = list(tb.index[tb["Statut"] == "à surveiller"])',
    ],
)
def _a_surveiller() -> list[str]:
    tb = _dashboard()
    return list(tb.index[tb["Statut"] == "à surveiller"])


@exercise(
    "pilotage-participation-femmes",
    question="Quel est le taux de participation des femmes aux ateliers (indicateur PART) sur "
    "l'année 2025, en % (Σ présentes / Σ inscrites) ?",
    hints=[
        "Un taux de participation se calcule avec les totaux (Σ présents / Σ inscrits), pas "
        "comme la moyenne des taux mensuels.",
        "Dans projet.valeurs, les lignes PART réalisées ont une colonne « dimension_valeur » "
        "(Femme / Homme), un numérateur (présents) et un dénominateur (inscrits).",
        "f = v[(v.code == 'PART') & (v.type_valeur == 'realise') & (v.periode_fin <= "
        "'2025-12-31') & (v.dimension_valeur == 'Femme')]\n"
        "participation_femmes = f.numerateur_valeur.sum() / f.denominateur_valeur.sum() * 100",
    ],
    decimals=1,
    unit="%",
)
def _participation_femmes() -> float:
    from movsc_toolkit import kpi

    table = kpi.disaggregate(_project(), AS_OF, "PART")
    return float(table.loc[("PART", "sexe", "Femme"), "Réalisé"])


@exercise(
    "pilotage-jalon-plus-en-retard",
    question="Au 31/12/2025, quel jalon (son code) a le plus de jours de retard (franchi ou non) ?",
    hints=[
        'kpi.milestones(projet, "31/12/2025") donne une colonne « Retard (jours) ».',
        "idxmax() donne l'index de la plus grande valeur d'une colonne.",
        'jalon = kpi.milestones(projet, "31/12/2025")["Retard (jours)"].idxmax()',
    ],
)
def _jalon() -> str:
    from movsc_toolkit import kpi

    return str(kpi.milestones(_project(), AS_OF)["Retard (jours)"].idxmax())


@exercise(
    "pilotage-satisfaction-qpv",
    question="Enquête du premier trimestre 2026 : quelle part (en %) des répondants habitant "
    "le quartier prioritaire (« Les Tilleuls (QPV) ») est satisfaite ou très satisfaite ?",
    hints=[
        "Filtrez d'abord l'enquête sur la colonne « quartier », puis utilisez "
        "kpi.indicator_from_survey sur ce sous-ensemble.",
        'qpv = enquete[enquete["quartier"] == "Les Tilleuls (QPV)"]',
        'lignes = kpi.indicator_from_survey(qpv, "SAT", column="satisfaction", '
        'values=["Très satisfait", "Satisfait"], periode_debut="01/01/2026", '
        'periode_fin="31/03/2026")\nsatisfaction_qpv = lignes.loc[0, "valeur"]',
    ],
    decimals=1,
    unit="%",
)
def _satisfaction_qpv() -> float:
    from movsc_toolkit import datasets, kpi

    enquete = datasets.load("projet_tiers_lieu", file="enquete_usagers_2026.csv")
    qpv = enquete[enquete["quartier"] == "Les Tilleuls (QPV)"]
    rows = kpi.indicator_from_survey(
        qpv,
        "SAT",
        column="satisfaction",
        values=["Très satisfait", "Satisfait"],
        periode_debut="01/01/2026",
        periode_fin="31/03/2026",
    )
    return float(rows.loc[0, "valeur"])


@exercise(
    "pilotage-benevoles-taux",
    question="Nouvel indicateur « bénévoles actifs » : référence 12 (fin 2024), cible 35 (fin "
    "2026), 24 bénévoles actifs au 31/12/2025. Quel est son taux de réalisation, en % ?",
    hints=[
        "Indicateur à la hausse : taux de réalisation = réalisé / cible × 100.",
        "Le réalisé est 24, la cible 35.",
        "taux_benevoles = 24 / 35 * 100",
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _benevoles_progression(),
            "c'est la progression depuis la référence ; le taux de réalisation compare le "
            "réalisé à la cible seulement.",
        ),
    ],
)
def _benevoles_taux() -> float:
    return BENEVOLES["realise"] / BENEVOLES["cible"] * 100


@exercise(
    "pilotage-benevoles-progression",
    question="Même indicateur : quelle est sa progression vers la cible, en % ?",
    hints=[
        "Progression = (réalisé − référence) / (cible − référence) × 100.",
        "(24 − 12) / (35 − 12)",
        "progression_benevoles = (24 - 12) / (35 - 12) * 100",
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _benevoles_taux(),
            "c'est le taux de réalisation ; la progression part de la référence (12).",
        ),
    ],
)
def _benevoles_progression() -> float:
    b = BENEVOLES
    return (b["realise"] - b["reference"]) / (b["cible"] - b["reference"]) * 100


exercise(
    "pilotage-smart",
    question="Lequel de ces indicateurs est SMART (spécifique, mesurable, atteignable, réaliste, "
    "temporellement défini) ?",
    choices={
        "a": "Améliorer le lien social dans le quartier.",
        "b": "Nombre de bénévoles actifs (au moins une action dans le trimestre), de 12 fin 2024 "
        "à 35 fin 2026, compté chaque trimestre à partir du registre des bénévoles.",
        "c": "Beaucoup plus de bénévoles qu'avant.",
        "d": "Nombre de bénévoles actifs.",
    },
    answer="b",
    reasons={
        "a": "c'est un objectif général : ni mesure, ni cible, ni échéance.",
        "c": "« beaucoup plus » n'est pas mesurable, et il n'y a ni référence ni échéance.",
        "d": "la mesure est là, mais sans définition de « actif », sans référence, sans cible ni "
        "échéance.",
    },
    hints=[
        "Un indicateur SMART dit quoi mesurer, comment, avec une référence, une cible et une date.",
        "Cherchez l'option qui a une source, une référence, une cible et une échéance.",
        "Réponse b.",
    ],
)
