"""Expected values of ``exercises/07_pilotage.ipynb`` (following a project's indicators).

Every value is computed from the bundled ``projet_cap_avenir`` dataset (a youth-inclusion
project; the course notebook 07 works on another project, ``projet_tiers_lieu``) with
:mod:`movsc_toolkit.kpi`, as the student is asked to do, for the annual review of
31 December 2025. The last questions define a new indicator from figures given in the question;
its rates follow the usual definitions (taux de réalisation = réalisé / cible × 100;
progression = (réalisé − référence) / (cible − référence) × 100).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ..check import exercise

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from movsc_toolkit.kpi import Project

DATASET = "projet_cap_avenir"
AS_OF = "31/12/2025"
#: The new indicator of questions 8 and 9: young people who passed the driving theory test.
CODE_ROUTE = {"reference": 3, "cible": 30, "realise": 17}


@cache
def _project() -> Project:
    from movsc_toolkit import datasets

    return datasets.load(DATASET)


def _dashboard() -> pd.DataFrame:
    from movsc_toolkit import kpi

    return kpi.dashboard(_project(), AS_OF).to_frame()


@exercise(
    "pilotage-seances",
    question="Combien de séances d'ateliers collectifs (indicateur SEAN) ont été tenues en 2025 ? "
    "Calculez-le à partir du journal des mesures.",
    hints=[
        "projet.values est le journal des mesures : une ligne par valeur saisie, avec "
        "« code », « type_valeur » (reference, cible, realise), « periode_fin » et « valeur ».",
        "Gardez les lignes de code SEAN, de type « realise », dont la période finit au plus tard "
        "le 31/12/2025, et additionnez « valeur » (l'agrégation de SEAN est une somme).",
        "v = projet.values\n"
        'lignes = v[(v["code"] == "SEAN") & (v["type_valeur"] == "realise") & '
        '(v["periode_fin"] <= "2025-12-31")]\nseances = lignes["valeur"].sum()',
    ],
    decimals=0,
)
def _seances() -> float:
    return float(_dashboard().loc["SEAN", "Réalisé"])


@exercise(
    "pilotage-taux-realisation-seances",
    question="Quel est le taux de réalisation (en %) des séances au 31/12/2025, sachant que la "
    "cible du projet est de 300 séances ?",
    hints=[
        "Pour un indicateur à la hausse, taux de réalisation = réalisé / cible × 100.",
        "Le réalisé est votre réponse à la question précédente ; la cible est dans le tableau "
        "de bord (colonne « Cible ») ou dans l'énoncé.",
        "taux_seances = seances / 300 * 100",
    ],
    decimals=1,
    unit="%",
)
def _taux_seances() -> float:
    return float(_dashboard().loc["SEAN", "Taux de réalisation (%)"])


@exercise(
    "pilotage-progression-delai",
    question="Le délai moyen avant le premier entretien (DELAI) doit baisser de 30 jours "
    "(référence) à 10 jours (cible). Quelle est sa progression vers la cible au 31/12/2025, "
    "en % ?",
    hints=[
        "Progression = (réalisé − référence) / (cible − référence) × 100 : la formule vaut "
        "pour un indicateur à la hausse comme à la baisse.",
        'Le réalisé au 31/12/2025 est dans kpi.dashboard(projet, as_of="31/12/2025"), ligne '
        "« DELAI », colonne « Réalisé » (l'agrégation « dernier » garde la dernière mesure).",
        'r = tb.loc["DELAI"]\nprogression_delai = (r["Réalisé"] - 30) / (10 - 30) * 100',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: float(_dashboard().loc["DELAI", "Taux de réalisation (%)"]),
            "c'est le taux de réalisation (cible / réalisé pour un indicateur à la baisse) ; la "
            "question demande la progression depuis la référence.",
        ),
    ],
)
def _progression_delai() -> float:
    return float(_dashboard().loc["DELAI", "Progression vers la cible (%)"])


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
    "pilotage-assiduite-hommes",
    question="Quel est le taux d'assiduité des hommes aux ateliers (indicateur ASSID) sur "
    "l'année 2025, en % (Σ présences / Σ inscriptions) ?",
    hints=[
        "Un taux se calcule avec les totaux (Σ présences / Σ inscriptions), pas comme la "
        "moyenne des taux mensuels.",
        "Dans projet.values, les lignes ASSID réalisées ont une colonne « dimension_valeur » "
        "(Femme / Homme), un numérateur (présences) et un dénominateur (inscriptions).",
        "h = v[(v.code == 'ASSID') & (v.type_valeur == 'realise') & (v.periode_fin <= "
        "'2025-12-31') & (v.dimension_valeur == 'Homme')]\n"
        "assiduite_hommes = h.numerateur_valeur.sum() / h.denominateur_valeur.sum() * 100",
    ],
    decimals=1,
    unit="%",
)
def _assiduite_hommes() -> float:
    from movsc_toolkit import kpi

    table = kpi.disaggregate(_project(), AS_OF, "ASSID")
    return float(table.loc[("ASSID", "sexe", "Homme"), "Réalisé"])


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
    question="Enquête du premier trimestre 2026 : quelle part (en %) des jeunes répondants "
    "habitant le quartier prioritaire (« Les Aubépines (QPV) ») est satisfaite ou très "
    "satisfaite ?",
    hints=[
        "Filtrez d'abord l'enquête sur la colonne « quartier », puis utilisez "
        "kpi.indicator_from_survey sur ce sous-ensemble.",
        'qpv = enquete[enquete["quartier"] == "Les Aubépines (QPV)"]',
        'lignes = kpi.indicator_from_survey(qpv, "SAT", column="satisfaction", '
        'values=["Très satisfait", "Satisfait"], period_start="01/01/2026", '
        'period_end="31/03/2026")\nsatisfaction_qpv = lignes.loc[0, "valeur"]',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _satisfaction(qpv_only=False),
            "c'est la part de satisfaits parmi tous les répondants ; la question porte sur les "
            "seuls habitants du QPV.",
        ),
    ],
)
def _satisfaction_qpv() -> float:
    return _satisfaction(qpv_only=True)


def _satisfaction(*, qpv_only: bool) -> float:
    from movsc_toolkit import datasets, kpi

    enquete = datasets.load(DATASET, path="enquete_jeunes_2026.csv")
    if qpv_only:
        enquete = enquete[enquete["quartier"] == "Les Aubépines (QPV)"]
    rows = kpi.indicator_from_survey(
        enquete,
        "SAT",
        column="satisfaction",
        values=["Très satisfait", "Satisfait"],
        period_start="01/01/2026",
        period_end="31/03/2026",
    )
    return float(rows.loc[0, "valeur"])


@exercise(
    "pilotage-code-route-taux",
    question="Nouvel indicateur « jeunes ayant obtenu le code de la route » : référence 3 (fin "
    "2024), cible 30 (fin 2026), 17 jeunes au 31/12/2025. Quel est son taux de réalisation, "
    "en % ?",
    hints=[
        "Indicateur à la hausse : taux de réalisation = réalisé / cible × 100.",
        "Le réalisé est 17, la cible 30.",
        "taux_code = 17 / 30 * 100",
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _code_route_progression(),
            "c'est la progression depuis la référence ; le taux de réalisation compare le "
            "réalisé à la cible seulement.",
        ),
    ],
)
def _code_route_taux() -> float:
    return CODE_ROUTE["realise"] / CODE_ROUTE["cible"] * 100


@exercise(
    "pilotage-code-route-progression",
    question="Même indicateur : quelle est sa progression vers la cible, en % ?",
    hints=[
        "Progression = (réalisé − référence) / (cible − référence) × 100.",
        "(17 − 3) / (30 − 3)",
        "progression_code = (17 - 3) / (30 - 3) * 100",
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _code_route_taux(),
            "c'est le taux de réalisation ; la progression part de la référence (3).",
        ),
    ],
)
def _code_route_progression() -> float:
    c = CODE_ROUTE
    return (c["realise"] - c["reference"]) / (c["cible"] - c["reference"]) * 100


exercise(
    "pilotage-smart",
    question="Lequel de ces indicateurs est SMART (spécifique, mesurable, atteignable, réaliste, "
    "temporellement défini) ?",
    choices={
        "a": "Rendre les jeunes du quartier plus autonomes.",
        "b": "Nombre de jeunes accompagnés ayant obtenu l'examen du code de la route, de 3 fin "
        "2024 à 30 fin 2026, compté chaque trimestre à partir des résultats transmis par "
        "l'auto-école partenaire.",
        "c": "Beaucoup plus de jeunes qui passent le code qu'avant.",
        "d": "Nombre de jeunes ayant le code.",
    },
    answer="b",
    reasons={
        "a": "c'est un objectif général : ni mesure, ni cible, ni échéance.",
        "c": "« beaucoup plus » n'est pas mesurable, et il n'y a ni référence ni échéance.",
        "d": "la mesure est là, mais sans public précis (quels jeunes ?), sans source, sans "
        "référence, sans cible ni échéance.",
    },
    hints=[
        "Un indicateur SMART dit quoi mesurer, comment, avec une référence, une cible et une date.",
        "Cherchez l'option qui a une source, une référence, une cible et une échéance.",
        "Réponse b.",
    ],
)
