"""Expected values of ``exercises/07_pilotage.ipynb`` (following a project's indicators).

Every value is computed from the bundled ``projet_tiers_lieu`` dataset with
:mod:`movsc_toolkit.kpi`, as the student is asked to do, at the comité de pilotage of
31 March 2026.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..check import exercise

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from movsc_toolkit.kpi import Project

AS_OF = "31/03/2026"


def _project() -> Project:
    from movsc_toolkit import datasets

    return datasets.load("projet_tiers_lieu")


def _dashboard() -> pd.DataFrame:
    from movsc_toolkit import kpi

    return kpi.dashboard(_project(), AS_OF)


@exercise(
    "pilotage-visites",
    question="Combien de visites le tiers-lieu a-t-il reçues du 1er janvier 2025 au 31 mars 2026 "
    "(indicateur FREQ) ?",
    hints=[
        "Le tableau de bord au 31/03/2026 donne la valeur réalisée de chaque indicateur.",
        "tb = kpi.dashboard(projet, as_of='31/03/2026'), puis la ligne « FREQ », colonne "
        "« Réalisé ».",
        'visites = tb.loc["FREQ", "Réalisé"]',
    ],
    decimals=0,
)
def _visites() -> float:
    return float(_dashboard().loc["FREQ", "Réalisé"])


@exercise(
    "pilotage-taux-realisation-acc",
    question="Quel est le taux de réalisation (en %) de l'indicateur ACC (personnes "
    "accompagnées) au 31 mars 2026 ?",
    hints=[
        "Taux de réalisation = réalisé / cible × 100 : le tableau de bord le calcule.",
        "Cherchez la colonne « Taux de réalisation (%) » à la ligne « ACC ».",
        'taux_acc = tb.loc["ACC", "Taux de réalisation (%)"]',
    ],
    decimals=1,
    unit="%",
)
def _taux_acc() -> float:
    return float(_dashboard().loc["ACC", "Taux de réalisation (%)"])


@exercise(
    "pilotage-progression-nrs",
    question="Le non-recours aux droits (NRS) doit baisser de 35 % à 20 %. Quelle est sa "
    "progression vers la cible (en %) au 31 mars 2026 ?",
    hints=[
        "Progression = (réalisé − référence) / (cible − référence) × 100 ; elle vaut 100 quand "
        "la cible est atteinte, même pour un indicateur qui doit baisser.",
        "Vous pouvez la calculer à la main avec les colonnes « Réalisé », « Référence » et "
        "« Cible », ou la lire dans « Progression vers la cible (%) ».",
        'r = tb.loc["NRS"] ; progression_nrs = (r["Réalisé"] - r["Référence"]) / '
        '(r["Cible"] - r["Référence"]) * 100',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: float(_dashboard().loc["NRS", "Taux de réalisation (%)"]),
            "c'est le taux de réalisation (réalisé / cible) ; pour un indicateur qui doit "
            "baisser, il ne dit pas le chemin parcouru depuis la valeur de référence.",
            "progression = (réalisé − référence) / (cible − référence) × 100.",
        )
    ],
)
def _progression_nrs() -> float:
    return float(_dashboard().loc["NRS", "Progression vers la cible (%)"])


@exercise(
    "pilotage-indicateurs-en-retard",
    question="Quels indicateurs (codes) sont « en retard » au 31 mars 2026 ?",
    hints=[
        "Filtrez le tableau de bord sur la colonne « Statut ».",
        'tb[tb["Statut"] == "en retard"] donne les lignes ; leurs codes sont dans l\'index.',
        'en_retard = list(tb.index[tb["Statut"] == "en retard"])',
    ],
)
def _en_retard() -> list[str]:
    tb = _dashboard()
    return list(tb.index[tb["Statut"] == "en retard"])


@exercise(
    "pilotage-participation-femmes",
    question="Quel est le taux de participation des femmes aux ateliers (indicateur PART, en %) "
    "au 31 mars 2026 ?",
    hints=[
        "kpi.disaggregate(projet, as_of, code) donne la valeur réalisée par modalité.",
        "L'index du résultat a trois niveaux : (code, dimension, modalité).",
        'd = kpi.disaggregate(projet, "31/03/2026", "PART") ; '
        'participation_femmes = d.loc[("PART", "sexe", "Femme"), "Réalisé"]',
    ],
    decimals=1,
    unit="%",
)
def _participation_femmes() -> float:
    from movsc_toolkit import kpi

    d = kpi.disaggregate(_project(), AS_OF, "PART")
    return float(d.loc[("PART", "sexe", "Femme"), "Réalisé"])


@exercise(
    "pilotage-jalon-plus-en-retard",
    question="Quel jalon (code) a le plus de jours de retard au 31 mars 2026 ?",
    hints=[
        "kpi.milestones(projet, as_of) donne le retard de chaque jalon en jours.",
        "La méthode .idxmax() d'une colonne donne l'étiquette de sa plus grande valeur.",
        'jalon = kpi.milestones(projet, "31/03/2026")["Retard (jours)"].idxmax()',
    ],
)
def _jalon() -> str:
    from movsc_toolkit import kpi

    return str(kpi.milestones(_project(), AS_OF)["Retard (jours)"].idxmax())


@exercise(
    "pilotage-satisfaction-enquete",
    question="D'après l'enquête du premier trimestre 2026, quelle part (en %) des répondants à "
    "la question « satisfaction » se disent satisfaits ou très satisfaits ?",
    hints=[
        "kpi.indicator_from_survey(enquete, 'SAT', column=…, values=[…], periode_debut=…, "
        "periode_fin=…) calcule numérateur, dénominateur et valeur.",
        "Les réponses à compter sont « Très satisfait » et « Satisfait » ; la ligne du total "
        "est la première.",
        'lignes = kpi.indicator_from_survey(enquete, "SAT", column="satisfaction", '
        'values=["Très satisfait", "Satisfait"], periode_debut="01/01/2026", '
        'periode_fin="31/03/2026") ; satisfaction = lignes.loc[0, "valeur"]',
    ],
    decimals=1,
    unit="%",
)
def _satisfaction() -> float:
    from movsc_toolkit import datasets, kpi

    survey = datasets.load("projet_tiers_lieu", file="enquete_usagers_2026.csv")
    rows = kpi.indicator_from_survey(
        survey,
        "SAT",
        column="satisfaction",
        values=["Très satisfait", "Satisfait"],
        periode_debut="01/01/2026",
        periode_fin="31/03/2026",
    )
    return float(rows.loc[0, "valeur"])
