"""Expected values of ``exercises/08_recherche_qualitative.ipynb`` and
``exercises/09_diagnostic_projet.ipynb``.

Every value is computed from the bundled datasets with :mod:`movsc_toolkit.qualitative`,
:mod:`movsc_toolkit.kpi` and the survey data, as the student is asked to do: for exercise 08,
the coded interviews of ``entretiens_epicerie_solidaire`` (coders « Sarah » and « Léo »; the
course notebook 08 works on ``entretiens_centre_social``); for exercise 09, the survey of the
beneficiaries of the same épicerie solidaire, ``enquete_epicerie_solidaire`` (the course
notebook 09 works on ``enquete_usagers``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Literal

from ..check import exercise

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from movsc_toolkit.qualitative import Codings

INTERVIEWS = "entretiens_epicerie_solidaire"
CODER_A, CODER_B = "Sarah", "Léo"


@cache
def _codings() -> Codings:
    from movsc_toolkit import datasets
    from movsc_toolkit import qualitative as quali

    folder = datasets.path(INTERVIEWS)
    corpus = datasets.load(INTERVIEWS)
    book = quali.read_codebook(folder / "grille_codage.csv")
    return quali.read_codings(folder / "codage.csv", corpus, book)


def _sarah() -> Codings:
    return _codings().coder(CODER_A)


def _agreement_row(code: str) -> pd.Series:
    from movsc_toolkit import qualitative as quali

    return quali.agreement(_codings(), CODER_A, CODER_B).table.loc[code]


# ------------------------------------------------------------------------------ exercise 08


@exercise(
    "qualitatif-kappa-dignite",
    question="Quel est le κ de Cohen (unité : le caractère) entre Sarah et Léo pour le code "
    "« Dignité » ?",
    hints=[
        "quali.agreement(codage, 'Sarah', 'Léo') compare les deux codeurs code par code.",
        "Le tableau s'obtient avec .to_frame() ; cherchez la ligne du code, colonne « κ ».",
        'kappa_dignite = quali.agreement(codage, "Sarah", "Léo").to_frame().loc["Dignité", "κ"]',
    ],
    decimals=2,
    diagnostics=[
        (
            lambda: float(_agreement_row("Dignité")["% d'accord"]),
            "c'est le pourcentage d'accord, pas le κ : il est élevé parce que la plus grande "
            "partie du texte n'est codée par personne.",
        ),
    ],
)
def _kappa_dignite() -> float:
    return float(_agreement_row("Dignité")["κ"])


@exercise(
    "qualitatif-kappa-a-la-main",
    question="À partir des quatre cases du tableau d'accord pour « Lien social » (A et B, A "
    "seul, B seul, Ni A ni B), calculez vous-même le κ de Cohen.",
    hints=[
        "N = total des caractères ; p_o = (A et B + Ni A ni B) / N ; p_A = (A et B + A seul) "
        "/ N ; p_B = (A et B + B seul) / N.",
        "L'accord attendu par hasard : p_e = p_A × p_B + (1 − p_A) × (1 − p_B) ; puis "
        "κ = (p_o − p_e) / (1 − p_e).",
        "r = tableau.loc['Lien social'] ; N = r['Unités'] ; po = (r['A et B'] + r['Ni A ni "
        "B']) / N ; pa = (r['A et B'] + r['A seul']) / N ; pb = (r['A et B'] + r['B seul']) / "
        "N ; pe = pa * pb + (1 - pa) * (1 - pb) ; kappa_lien = (po - pe) / (1 - pe)",
    ],
    decimals=3,
    diagnostics=[
        (
            lambda: float(_agreement_row("Lien social")["% d'accord"]) / 100,
            "c'est l'accord observé p_o : retirez l'accord attendu par hasard, "
            "κ = (p_o − p_e) / (1 − p_e).",
        ),
    ],
)
def _kappa_lien() -> float:
    r = _agreement_row("Lien social")
    n = r["Unités"]
    po = (r["A et B"] + r["Ni A ni B"]) / n
    pa = (r["A et B"] + r["A seul"]) / n
    pb = (r["A et B"] + r["B seul"]) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return float((po - pe) / (1 - pe))


@exercise(
    "qualitatif-matrice-statut",
    question="Construisez la matrice codes × statut du codage de Sarah : nombre d'entretiens de "
    "chaque statut qui évoquent chaque code (avec les totaux).",
    hints=[
        "Gardez d'abord le codage de Sarah : sarah = codage.coder('Sarah').",
        "quali.code_matrix(sarah, 'statut') compte les entretiens (measure='entretiens' par "
        "défaut) ; .to_frame() donne les effectifs.",
        'matrice = quali.code_matrix(codage.coder("Sarah"), "statut").to_frame()',
    ],
)
def _matrice() -> pd.DataFrame:
    from movsc_toolkit import qualitative as quali

    return quali.code_matrix(_sarah(), "statut").to_frame()


@exercise(
    "qualitatif-part-beneficiaires-duree",
    question="Quel pourcentage des bénéficiaires interrogés évoquent la « Durée limitée » de "
    "l'accès à l'épicerie (codage de Sarah) ?",
    hints=[
        "C'est un pourcentage en colonne de la matrice codes × statut.",
        "quali.code_matrix(sarah, 'statut').to_frame('col') donne les % en colonne.",
        'part = quali.code_matrix(sarah, "statut").to_frame("col").loc["Durée limitée", '
        '"beneficiaire"]',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _matrix_percent("row"),
            "c'est un pourcentage en ligne (part des bénéficiaires parmi les entretiens qui "
            "évoquent le code) ; la question demande la part des bénéficiaires qui l'évoquent "
            "(en colonne).",
        ),
    ],
)
def _part_beneficiaires() -> float:
    return _matrix_percent("col")


def _matrix_percent(kind: Literal["row", "col"]) -> float:
    from movsc_toolkit import qualitative as quali

    table = quali.code_matrix(_sarah(), "statut").to_frame(kind)
    return float(table.loc["Durée limitée", "beneficiaire"])


@exercise(
    "qualitatif-verbatims-partenaires",
    question="Combien d'extraits codés « Orientation et partenariat » par Sarah ont été dits "
    "par des partenaires ?",
    hints=[
        "quali.verbatims(sarah, 'Orientation et partenariat', profile='statut') liste les "
        "extraits avec le statut de la personne.",
        "Filtrez le tableau sur la colonne « statut » égale à « partenaire ».",
        'v = quali.verbatims(sarah, "Orientation et partenariat", profile="statut")\n'
        'n_partenaires = int((v["statut"] == "partenaire").sum())',
    ],
)
def _verbatims_partenaires() -> int:
    from movsc_toolkit import qualitative as quali

    v = quali.verbatims(_sarah(), "Orientation et partenariat", profile="statut")
    return int((v["statut"] == "partenaire").sum())


@exercise(
    "qualitatif-saturation",
    question="Dans l'ordre des dates d'entretien, à quel rang apparaît le dernier code nouveau "
    "(codage de Sarah) ?",
    hints=[
        "quali.saturation(sarah, order='date_entretien') range les entretiens par date.",
        "La colonne « Nouveaux codes » compte les codes apparus ; l'attribut .last_new donne le "
        "rang du dernier entretien qui en apporte.",
        'rang = quali.saturation(sarah, order="date_entretien").last_new',
    ],
)
def _saturation() -> int:
    from movsc_toolkit import qualitative as quali

    return int(quali.saturation(_sarah(), order="date_entretien").last_new)


# ------------------------------------------------------------------------------ exercise 09


@cache
def _survey() -> pd.DataFrame:
    from movsc_toolkit import datasets

    return datasets.load("enquete_epicerie_solidaire")


def _reference(column: str, values) -> float:
    from movsc_toolkit import kpi

    rows = kpi.indicator_from_survey(
        _survey(),
        "X",
        column=column,
        values=values,
        period_start="01/02/2026",
        period_end="28/02/2026",
        value_type="reference",
    )
    return float(rows["valeur"].iloc[0])


SATISFIED = ["Très satisfait·e", "Plutôt satisfait·e"]


@exercise(
    "diagnostic-reference-information",
    question="Dans l'enquête auprès des bénéficiaires de l'épicerie, quel pourcentage des "
    "répondants est satisfait de l'information sur les ateliers et les services (« Très "
    "satisfait·e » ou « Plutôt satisfait·e », colonne « sat_information ») ? Ce sera la valeur "
    "de référence de l'indicateur INF.",
    hints=[
        "kpi.indicator_from_survey calcule numérateur / dénominateur × 100 sur les répondants "
        "qui ont répondu à la question.",
        "values=['Très satisfait·e', 'Plutôt satisfait·e'] ; les « Ne sait pas » sont écartés "
        "du dénominateur.",
        'ref = kpi.indicator_from_survey(enquete, "INF", column="sat_information", '
        'values=satisfaits, period_start="01/02/2026", period_end="28/02/2026", '
        'value_type="reference")\nreference_inf = ref["valeur"].iloc[0]',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: (
                100 * float(_survey()["sat_information"].isin(SATISFIED).sum()) / len(_survey())
            ),
            "vous avez divisé par tous les répondants, y compris ceux qui ont répondu « Ne sait "
            "pas » : le dénominateur est le nombre de réponses à la question.",
        ),
    ],
)
def _reference_information() -> float:
    return _reference("sat_information", SATISFIED)


@exercise(
    "diagnostic-reference-horaires",
    question="Quel pourcentage des répondants est satisfait des horaires d'ouverture (« Très "
    "satisfait·e » ou « Plutôt satisfait·e », colonne « sat_horaires ») ? Ce sera la référence "
    "de l'indicateur HOR.",
    hints=[
        "Même calcul avec column='sat_horaires'.",
        "values=satisfaits, la liste des deux réponses satisfaites.",
        'ref = kpi.indicator_from_survey(enquete, "HOR", column="sat_horaires", '
        'values=satisfaits, period_start="01/02/2026", period_end="28/02/2026", '
        'value_type="reference")\nreference_hor = ref["valeur"].iloc[0]',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: 100 * float(_survey()["sat_horaires"].isin(SATISFIED).sum()) / len(_survey()),
            "vous avez divisé par tous les répondants, y compris ceux qui ont répondu « Ne sait "
            "pas » : le dénominateur est le nombre de réponses à la question.",
        ),
    ],
)
def _reference_horaires() -> float:
    return _reference("sat_horaires", SATISFIED)


@exercise(
    "diagnostic-references",
    question="Rangez les trois références (INF, HOR, BEN = % des répondants prêts à être "
    "bénévoles, colonne « benevolat » = « Oui ») dans un tableau indexé par le code, avec "
    "une colonne « reference ».",
    hints=[
        "Calculez la troisième référence comme les deux autres, avec column='benevolat' et "
        "values=['Oui'].",
        "pd.DataFrame({'reference': [..., ..., ...]}, index=['INF', 'HOR', 'BEN'])",
        'references = pd.DataFrame({"reference": [reference_inf, reference_hor, reference_ben]},'
        ' index=["INF", "HOR", "BEN"])',
    ],
    decimals=1,
)
def _references() -> pd.DataFrame:
    import pandas as pd

    values = [
        _reference("sat_information", SATISFIED),
        _reference("sat_horaires", SATISFIED),
        _reference("benevolat", ["Oui"]),
    ]
    return pd.DataFrame({"reference": values}, index=["INF", "HOR", "BEN"])


exercise(
    "diagnostic-objectif-smart",
    question="Quel objectif spécifique est formulé de façon SMART ?",
    choices={
        "a": "Mieux faire connaître les ateliers de l'épicerie.",
        "b": "D'ici juin 2027, faire passer de 48 % à 65 % la part des bénéficiaires satisfaits "
        "de l'information sur les ateliers et les services, mesurée par l'enquête annuelle "
        "auprès des bénéficiaires.",
        "c": "Que le plus de bénéficiaires possible connaissent les ateliers.",
    },
    answer="b",
    reasons={
        "a": "c'est une intention : ni mesure, ni référence, ni cible, ni échéance.",
        "c": "« le plus possible » n'est pas une cible, et il n'y a ni référence ni échéance.",
    },
    hints=[
        "SMART : spécifique, mesurable, atteignable, réaliste, temporellement défini.",
        "Cherchez l'option qui donne une référence, une cible, une date et une source.",
        "Réponse b.",
    ],
)
