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
    "enquete-qpv-monoparentales",
    question="Parmi les familles monoparentales, quel pourcentage habite le quartier des Blés "
    "d'Or (QPV) ?",
    hints=[
        "C'est un tri croisé du type de foyer et du quartier, en pourcentages **en ligne** "
        "(chaque type de foyer fait 100 %).",
        'survey.crosstab(reponses, "foyer", "quartier", percent="row"), puis la ligne « Famille '
        "monoparentale ».",
        'part_qpv_mono = survey.crosstab(reponses, "foyer", "quartier", percent="row")'
        '.loc["Famille monoparentale", "Les Blés d\'Or (QPV)"]',
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
    mono = data["foyer"] == "Famille monoparentale"
    return float(100 * (data.loc[mono, "quartier"] == "Les Blés d'Or (QPV)").mean())


def _qpv_among_all() -> float:
    return float(100 * (_reponses()["quartier"] == "Les Blés d'Or (QPV)").mean())


def _mono_among_qpv() -> float:
    data = _reponses()
    qpv = data["quartier"] == "Les Blés d'Or (QPV)"
    return float(100 * (data.loc[qpv, "foyer"] == "Famille monoparentale").mean())


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
    "enquete-scolarite-monoparentales",
    question="Quel pourcentage des familles monoparentales qui ont répondu a suivi "
    "l'accompagnement à la scolarité ?",
    hints=[
        "multi_response accepte un paramètre by= pour croiser avec une autre variable.",
        'Le tableau survey.multi_response(reponses, "activites", by="foyer") donne des % des '
        "répondants par type de foyer ; cherchez la ligne « Accompagnement à la scolarité ».",
        'scolarite_mono = survey.multi_response(reponses, "activites", by="foyer")'
        '.loc["Accompagnement à la scolarité", "Famille monoparentale"]',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _activites_foyer().loc["Accompagnement à la scolarité", "Ensemble"],
            "c'est la part de tous les répondants, et non celle des familles monoparentales.",
            "prenez la colonne « Famille monoparentale » du tableau croisé par type de foyer.",
        )
    ],
)
def _scolarite_monoparentales() -> float:
    table = _activites_foyer()
    # full precision: the table shows percentages rounded to one decimal; the counts are whole
    base = table.loc["Base (répondants)", "Famille monoparentale"]
    count = round(table.loc["Accompagnement à la scolarité", "Famille monoparentale"] * base / 100)
    return float(100 * count / base)


def _activites_foyer() -> pd.DataFrame:
    from movsc_toolkit import survey

    return survey.multi_response(_reponses(), "activites", by="foyer")


@exercise(
    "enquete-v-age-benevolat",
    question="Quel est le V de Cramér de la relation entre la tranche d'âge et l'envie de "
    "devenir bénévole (benevolat) ?",
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
    question="Le lien entre l'ancienneté de fréquentation et la recommandation du centre est-il "
    "significatif au seuil de 5 % ? (True ou False)",
    hints=[
        "Faites le test du χ² entre « anciennete » et « recommandation » et vérifiez ses "
        "conditions.",
        "Le lien est significatif si la p-value (attribut pvalue) est inférieure à 0,05.",
        'significatif = survey.chi2_test(reponses, "anciennete", "recommandation").pvalue < 0.05',
    ],
)
def _anciennete_recommandation() -> bool:
    from movsc_toolkit import survey

    return bool(survey.chi2_test(_reponses(), "anciennete", "recommandation").pvalue < 0.05)
