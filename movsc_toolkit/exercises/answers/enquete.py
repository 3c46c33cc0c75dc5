"""Expected values of ``exercises/01_enquete.ipynb`` (designing and analysing a survey).

Every value is computed from the bundled ``enquete_usagers`` dataset with the toolkit's own
functions, as the student is asked to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..check import exercise

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _reponses() -> pd.DataFrame:
    from movsc_toolkit import datasets

    return datasets.load("enquete_usagers")


def _marges_sexe_age() -> dict[str, dict[Any, float]]:
    from movsc_toolkit import datasets, read_table

    marges = read_table(datasets.path("enquete_usagers", "marges_population.csv"))
    return {
        variable: dict(zip(groupe["modalite"], groupe["effectif"], strict=True))
        for variable, groupe in marges.groupby("variable", sort=False)
        if variable in ("sexe", "tranche_age")
    }


@exercise(
    "enquete-taille-echantillon",
    question="Combien de répondants faut-il pour une marge d'erreur de ± 4 points (95 %) "
    "parmi les 2 000 usagers inscrits ?",
    hints=[
        "La fonction survey.sample_size calcule la taille d'échantillon ; elle a un paramètre "
        "margin (la marge, en proportion) et un paramètre population.",
        "± 4 points s'écrit margin=0.04 ; la population est de 2 000 personnes.",
        "n = survey.sample_size(margin=0.04, population=2000)",
    ],
)
def _taille_echantillon() -> int:
    from movsc_toolkit import survey

    return survey.sample_size(margin=0.04, population=2000)


@exercise(
    "enquete-quota-jeunes",
    question="Dans un échantillon par quotas de 400 personnes (quotas sur le sexe et l'âge), "
    "combien de jeunes de 15 à 24 ans faut-il interroger ?",
    hints=[
        "survey.quotas(marges, n=400) renvoie un tableau avec une colonne « Quota ».",
        "Le tableau est indexé par (variable, modalité) : "
        'quotas_400.loc[("tranche_age", "15 à 24 ans"), "Quota"].',
        'quota_jeunes = survey.quotas(marges_sexe_age, n=400).loc[("tranche_age", '
        '"15 à 24 ans"), "Quota"]',
    ],
)
def _quota_jeunes() -> int:
    from movsc_toolkit import survey

    table = survey.quotas(_marges_sexe_age(), n=400)
    return int(table.loc[("tranche_age", "15 à 24 ans"), "Quota"])


@exercise(
    "enquete-questions-obligatoires",
    question="Combien de questions du formulaire de La Passerelle sont obligatoires ?",
    hints=[
        "formulaire.questions est la liste des questions ; chaque question a un attribut "
        "required (True ou False).",
        "La somme de valeurs True/False compte les True : sum(...) sur une liste.",
        "obligatoires = sum(q.required for q in formulaire.questions)",
    ],
)
def _questions_obligatoires() -> int:
    from movsc_toolkit import datasets, survey

    form = survey.read_xlsform(datasets.path("enquete_usagers", "formulaire.xlsx"))
    return sum(q.required for q in form.questions)


@exercise(
    "enquete-nsp-accueil",
    question="Combien de répondants ont répondu « Ne sait pas » à la question sur l'accueil "
    "(sat_accueil) ?",
    hints=[
        'Les non-réponses déclarées sont comptées dans reponses.attrs["nonresponse"].',
        "C'est un tableau avec les colonnes colonne, valeur, effectif : gardez la ligne dont "
        "la colonne vaut « sat_accueil ».",
        'nsp_par_question = reponses.attrs["nonresponse"].set_index("colonne")["effectif"] ; '
        'nsp_accueil = nsp_par_question["sat_accueil"]',
    ],
)
def _nsp_accueil() -> int:
    nr = _reponses().attrs["nonresponse"]
    return int(nr.loc[nr["colonne"] == "sat_accueil", "effectif"].sum())


@exercise(
    "enquete-part-qpv",
    question="Quel pourcentage des répondants habite le quartier des Blés d'Or (QPV) ?",
    hints=[
        'Le tri à plat s\'obtient avec survey.freq(reponses, "quartier").',
        "La ligne s'appelle « Les Blés d'Or (QPV) », la colonne « % ».",
        'part_qpv = survey.freq(reponses, "quartier").loc["Les Blés d\'Or (QPV)", "%"]',
    ],
    decimals=1,
    unit="%",
)
def _part_qpv() -> float:
    from movsc_toolkit import survey

    table = survey.freq(_reponses(), "quartier")
    # full precision (the table's « % » column is rounded for display)
    return float(
        100 * table.loc["Les Blés d'Or (QPV)", "Effectif"] / table.loc["Total", "Effectif"]
    )


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
    "enquete-sport-jeunes",
    question="Quel pourcentage des 15-24 ans a fait du sport au centre social ?",
    hints=[
        "multi_response accepte un paramètre by= pour croiser avec une autre variable.",
        'Le tableau survey.multi_response(reponses, "activites", by="tranche_age") donne des '
        "% des répondants par tranche d'âge ; cherchez la ligne « Sport et bien-être ».",
        'sport_jeunes = survey.multi_response(reponses, "activites", by="tranche_age")'
        '.loc["Sport et bien-être", "15 à 24 ans"]',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _sport_table().loc["Sport et bien-être", "Ensemble"],
            "c'est la part de tous les répondants, et non celle des 15-24 ans.",
            "prenez la colonne « 15 à 24 ans » du tableau croisé par tranche d'âge.",
        )
    ],
)
def _sport_jeunes() -> float:
    table = _sport_table()
    # full precision: the table shows percentages rounded to one decimal; the counts are whole
    base = table.loc["Base (répondants)", "15 à 24 ans"]
    count = round(table.loc["Sport et bien-être", "15 à 24 ans"] * base / 100)
    return float(100 * count / base)


def _sport_table() -> pd.DataFrame:
    from movsc_toolkit import survey

    return survey.multi_response(_reponses(), "activites", by="tranche_age")


@exercise(
    "enquete-v-quartier-frequence",
    question="Quel est le V de Cramér de la relation entre le quartier et la fréquence de venue ?",
    hints=[
        "Le test du χ² se fait avec survey.chi2_test(reponses, ligne, colonne).",
        "Le résultat a un attribut cramers_v.",
        'v_quartier = survey.chi2_test(reponses, "quartier", "frequence").cramers_v',
    ],
    decimals=2,
)
def _v_quartier() -> float:
    from movsc_toolkit import survey

    return float(survey.chi2_test(_reponses(), "quartier", "frequence").cramers_v)


@exercise(
    "enquete-sexe-recommandation",
    question="Parmi les femmes et les hommes, le lien entre le sexe et la recommandation du "
    "centre est-il significatif au seuil de 5 % ? (True ou False)",
    hints=[
        'Gardez les femmes et les hommes : reponses[reponses["sexe"].isin(["Femme", "Homme"])].',
        "Faites le test du χ² sur ce sous-tableau ; le lien est significatif si la p-valeur "
        "(attribut pvalue) est inférieure à 0,05.",
        'significatif = survey.chi2_test(femmes_hommes, "sexe", "recommandation").pvalue < 0.05',
    ],
)
def _sexe_recommandation() -> bool:
    from movsc_toolkit import survey

    data = _reponses()
    subset = data[data["sexe"].isin(["Femme", "Homme"])]
    return bool(survey.chi2_test(subset, "sexe", "recommandation").pvalue < 0.05)
