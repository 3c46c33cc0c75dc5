"""Expected values of ``exercises/01_enquete.ipynb`` (designing and analysing a survey).

Every value is computed from the bundled ``enquete_epicerie_solidaire`` dataset (the
beneficiaries of the épicerie solidaire Le Panier du Val, a survey the course notebooks 01 and 02
do not use) with the toolkit's own functions, as the student is asked to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..check import exercise

DATASET = "enquete_epicerie_solidaire"
QPV = "Les Peupliers (QPV)"
MONO = "Famille monoparentale"

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _reponses() -> pd.DataFrame:
    from movsc_toolkit import datasets

    return datasets.load(DATASET)


def _marges_sexe_age() -> dict[str, dict[Any, float]]:
    from movsc_toolkit import datasets, read_table

    marges = read_table(datasets.path(DATASET, "marges_population.csv"))
    return {
        variable: dict(zip(groupe["modalite"], groupe["effectif"], strict=True))
        for variable, groupe in marges.groupby("variable", sort=False)
        if variable in ("sexe", "tranche_age")
    }


@exercise(
    "enquete-taille-echantillon",
    question="Combien de répondants faut-il pour une marge d'erreur de ± 5 points (95 %) "
    "parmi les 860 personnes inscrites à l'épicerie ?",
    hints=[
        "La fonction survey.sample_size calcule la taille d'échantillon ; elle a un paramètre "
        "margin (la marge, en proportion) et un paramètre population.",
        "± 5 points s'écrit margin=0.05 ; la population est de 860 personnes.",
        "n = survey.sample_size(margin=0.05, population=860)",
    ],
)
def _taille_echantillon() -> int:
    from movsc_toolkit import survey

    return survey.sample_size(margin=0.05, population=860)


@exercise(
    "enquete-quota-seniors",
    question="Dans un échantillon par quotas de 200 personnes (quotas sur le sexe et l'âge), "
    "combien de personnes de 60 ans et plus faut-il interroger ?",
    hints=[
        "survey.quotas(marges, n=200) renvoie un tableau avec une colonne « Quota ».",
        "Le tableau est indexé par (variable, modalité) : "
        'quotas_200.loc[("tranche_age", "60 ans et plus"), "Quota"].',
        'quota_seniors = survey.quotas(marges_sexe_age, n=200).loc[("tranche_age", '
        '"60 ans et plus"), "Quota"]',
    ],
)
def _quota_seniors() -> int:
    from movsc_toolkit import survey

    table = survey.quotas(_marges_sexe_age(), n=200)
    return int(table.loc[("tranche_age", "60 ans et plus"), "Quota"])


@exercise(
    "enquete-questions-obligatoires",
    question="Combien de questions du formulaire du Panier du Val sont obligatoires ?",
    hints=[
        "formulaire.questions est la liste des questions ; chaque question a un attribut "
        "required (True ou False).",
        "La somme de valeurs True/False compte les True : sum(...) sur une liste.",
        "obligatoires = sum(q.required for q in formulaire.questions)",
    ],
)
def _questions_obligatoires() -> int:
    from movsc_toolkit import datasets, survey

    form = survey.read_xlsform(datasets.path(DATASET, "formulaire.xlsx"))
    return sum(q.required for q in form.questions)


@exercise(
    "enquete-nsp-prix",
    question="Combien de répondants ont répondu « Ne sait pas » à la question sur les prix "
    "(sat_prix) ?",
    hints=[
        'Les non-réponses déclarées sont comptées dans reponses.attrs["nonresponse"].',
        "C'est un tableau avec les colonnes colonne, valeur, effectif : gardez la ligne dont "
        "la colonne vaut « sat_prix ».",
        'nsp_par_question = reponses.attrs["nonresponse"].set_index("colonne")["effectif"] ; '
        'nsp_prix = nsp_par_question["sat_prix"]',
    ],
)
def _nsp_prix() -> int:
    nr = _reponses().attrs["nonresponse"]
    return int(nr.loc[nr["colonne"] == "sat_prix", "effectif"].sum())


@exercise(
    "enquete-qpv-monoparentales",
    question="Parmi les familles monoparentales, quel pourcentage habite le quartier des "
    "Peupliers (QPV) ?",
    hints=[
        "C'est un tri croisé du type de foyer et du quartier, en pourcentages **en ligne** "
        "(chaque type de foyer fait 100 %).",
        'survey.crosstab(reponses, "foyer", "quartier", percent="row"), puis la ligne « Famille '
        "monoparentale ».",
        'part_qpv_mono = survey.crosstab(reponses, "foyer", "quartier", percent="row")'
        '.loc["Famille monoparentale", "Les Peupliers (QPV)"]',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _qpv_among_all(),
            "c'est la part du QPV parmi tous les répondants ; la question porte sur les seules "
            "familles monoparentales (pourcentages en ligne).",
        ),
        (
            lambda: _mono_among_qpv(),
            "c'est la part des familles monoparentales parmi les habitants du QPV (pourcentages "
            "en colonne) ; la question part des familles monoparentales (en ligne).",
        ),
    ],
)
def _qpv_monoparentales() -> float:
    data = _reponses()
    mono = data["foyer"] == MONO
    return float(100 * (data.loc[mono, "quartier"] == QPV).mean())


def _qpv_among_all() -> float:
    return float(100 * (_reponses()["quartier"] == QPV).mean())


def _mono_among_qpv() -> float:
    data = _reponses()
    qpv = data["quartier"] == QPV
    return float(100 * (data.loc[qpv, "foyer"] == MONO).mean())


@exercise(
    "enquete-besoins-repondants",
    question="Combien de personnes ont répondu à la question sur les besoins (base des "
    "répondants du tableau de réponses multiples) ?",
    hints=[
        'survey.multi_response(reponses, "besoins") donne le tableau des réponses multiples.',
        "La dernière ligne, « Base (répondants) », donne le nombre de personnes qui ont "
        "répondu ; les autres n'ont pas été comptées comme « non ».",
        'base_besoins = survey.multi_response(reponses, "besoins").loc["Base (répondants)", '
        '"Effectif"]',
    ],
    diagnostics=[
        (
            lambda: _besoins_table().loc["Total", "Effectif"],
            "vous avez compté les réponses (une personne peut cocher plusieurs besoins), et non "
            "les personnes qui ont répondu.",
            "la ligne « Total » additionne les cases cochées ; le nombre de personnes est sur une "
            "autre ligne du tableau.",
        ),
        (
            lambda: len(_reponses()),
            "vous avez compté toutes les personnes de l'enquête, y compris celles qui n'ont pas "
            "répondu à la question sur les besoins.",
            "la base d'une question à choix multiples ne compte que les personnes qui y ont "
            "répondu : cherchez la ligne « Base (répondants) ».",
        ),
    ],
)
def _besoins_repondants() -> int:
    return int(_besoins_table().loc["Base (répondants)", "Effectif"])


def _besoins_table() -> pd.DataFrame:
    from movsc_toolkit import survey

    return survey.multi_response(_reponses(), "besoins")


@exercise(
    "enquete-budget-monoparentales",
    question="Quel pourcentage des familles monoparentales qui ont répondu a suivi "
    "l'accompagnement budgétaire ?",
    hints=[
        "multi_response accepte un paramètre by= pour croiser avec une autre variable.",
        'Le tableau survey.multi_response(reponses, "services", by="foyer") donne des % des '
        "répondants par type de foyer ; cherchez la ligne « Accompagnement budgétaire ».",
        'budget_mono = survey.multi_response(reponses, "services", by="foyer")'
        '.loc["Accompagnement budgétaire", "Famille monoparentale"]',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _services_foyer().loc["Accompagnement budgétaire", "Ensemble"],
            "c'est la part de tous les répondants, et non celle des familles monoparentales.",
            "prenez la colonne « Famille monoparentale » du tableau croisé par type de foyer.",
        )
    ],
)
def _budget_monoparentales() -> float:
    table = _services_foyer()
    # full precision: the table shows percentages rounded to one decimal; the counts are whole
    base = table.loc["Base (répondants)", MONO]
    count = round(table.loc["Accompagnement budgétaire", MONO] * base / 100)
    return float(100 * count / base)


def _services_foyer() -> pd.DataFrame:
    from movsc_toolkit import survey

    return survey.multi_response(_reponses(), "services", by="foyer")


@exercise(
    "enquete-v-age-benevolat",
    question="Quel est le V de Cramér de la relation entre la tranche d'âge et l'envie de "
    "devenir bénévole à l'épicerie (benevolat) ?",
    hints=[
        "Le test du χ² se fait avec survey.chi2_test(reponses, ligne, colonne).",
        "Le résultat a un attribut cramers_v.",
        'v_age = survey.chi2_test(reponses, "tranche_age", "benevolat").cramers_v',
    ],
    decimals=2,
)
def _v_age_benevolat() -> float:
    from movsc_toolkit import survey

    return float(survey.chi2_test(_reponses(), "tranche_age", "benevolat").cramers_v)


@exercise(
    "enquete-anciennete-recommandation",
    question="Le lien entre l'ancienneté d'accès à l'épicerie et la recommandation est-il "
    "significatif au seuil de 5 % ? (True ou False)",
    hints=[
        "Faites le test du χ² entre « anciennete » et « recommandation » et vérifiez ses "
        "conditions (règle de Cochran).",
        "Le lien est significatif si la p-value retenue pour décider (attribut "
        "decision_pvalue, ou pvalue quand les conditions sont remplies) est inférieure à 0,05.",
        'significatif = survey.chi2_test(reponses, "anciennete", "recommandation")'
        ".decision_pvalue < 0.05",
    ],
)
def _anciennete_recommandation() -> bool:
    from movsc_toolkit import survey

    test = survey.chi2_test(_reponses(), "anciennete", "recommandation")
    return bool(test.decision_pvalue < 0.05)
