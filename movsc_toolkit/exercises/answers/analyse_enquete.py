"""Expected values of ``exercises/02_enquete_analyse.ipynb`` (analysing a survey).

Every value is computed from the bundled ``enquete_benevoles`` dataset (a volunteers' survey
the course notebooks do not use) with the toolkit's own functions, as the student is asked to do.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from ..check import exercise

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: The agreement scale of the six statements, from the most negative to the most positive.
ECHELLE = [
    "Pas du tout d'accord",
    "Plutôt pas d'accord",
    "Ni d'accord ni pas d'accord",
    "Plutôt d'accord",
    "Tout à fait d'accord",
]
ITEMS = [
    "accord_reconnu",
    "accord_utile",
    "accord_informe",
    "accord_forme",
    "accord_ecoute",
    "accord_parking",
]
ACM_VARIABLES = ["tranche_age", "anciennete", "statut", "formation", "intention"]


@cache
def _reponses() -> pd.DataFrame:
    from movsc_toolkit import datasets

    return datasets.load("enquete_benevoles")


def _scores() -> pd.DataFrame:
    codes = {libelle: rang for rang, libelle in enumerate(ECHELLE, start=1)}
    return _reponses()[ITEMS].apply(lambda colonne: colonne.map(codes).astype("Float64"))


@cache
def _poids() -> Any:
    from movsc_toolkit import datasets, read_table, survey

    marges = read_table(datasets.path("enquete_benevoles", "marges_population.csv"))
    marges = {
        variable: dict(zip(groupe["modalite"], groupe["effectif"], strict=True))
        for variable, groupe in marges.groupby("variable", sort=False)
    }
    return survey.rake(_reponses(), marges).weights


@exercise(
    "analyse-part-restent",
    question="Quelle part des bénévoles répondants pense être encore bénévole l'an prochain "
    "(« Oui, certainement » ou « Probablement »), en % ?",
    hints=[
        "Faites le tri à plat de « intention » avec survey.freq, puis additionnez deux lignes.",
        "Le tableau a une colonne « % » indexée par les modalités : "
        'tri.loc["Oui, certainement", "%"] + …',
        'tri = survey.freq(benevoles, "intention")\n'
        'part_restent = tri.loc[["Oui, certainement", "Probablement"], "%"].sum()',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: float((_reponses()["intention"] == "Oui, certainement").mean() * 100),
            "vous n'avez compté que « Oui, certainement » : ajoutez « Probablement ».",
        ),
    ],
)
def _part_restent() -> float:
    intention = _reponses()["intention"]
    return float(intention.isin(["Oui, certainement", "Probablement"]).mean() * 100)


@exercise(
    "analyse-p-anciennete",
    question="Quelle est la p-value du test du χ² d'indépendance entre l'ancienneté et "
    "l'intention de rester ?",
    hints=[
        "survey.chi2_test(données, ligne, colonne) fait le test ; vérifiez d'abord ses "
        "conditions (effectifs théoriques).",
        "Le résultat a un attribut pvalue.",
        'p_anciennete = survey.chi2_test(benevoles, "anciennete", "intention").pvalue',
    ],
    decimals=3,
)
def _p_anciennete() -> float:
    from movsc_toolkit import survey

    return float(survey.chi2_test(_reponses(), "anciennete", "intention").pvalue)


@exercise(
    "analyse-v-formation",
    question="Quel est le V de Cramér de la relation entre la formation suivie et "
    "l'intention de rester ?",
    hints=[
        "Le V de Cramér est donné avec le test du χ² (ou par survey.cramers_v).",
        "Attribut cramers_v du résultat de survey.chi2_test.",
        'v_formation = survey.chi2_test(benevoles, "formation", "intention").cramers_v',
    ],
    decimals=2,
)
def _v_formation() -> float:
    from movsc_toolkit import survey

    return float(survey.chi2_test(_reponses(), "formation", "intention").cramers_v)


@exercise(
    "analyse-alpha",
    question="Après avoir codé l'échelle d'accord de 1 (« Pas du tout d'accord ») à 5 "
    "(« Tout à fait d'accord »), quel est l'α de Cronbach des six affirmations ?",
    hints=[
        "Codez chaque libellé par son rang avec un dictionnaire et .map(), colonne par "
        "colonne ; survey.cronbach_alpha(données, items) calcule ensuite α.",
        "codes = {libellé: rang for rang, libellé in enumerate(echelle, start=1)} puis "
        "scores = benevoles[items].apply(lambda c: c.map(codes)).",
        "alpha = survey.cronbach_alpha(scores, items).alpha",
    ],
    decimals=3,
)
def _alpha() -> float:
    from movsc_toolkit import survey

    return float(survey.cronbach_alpha(_scores(), ITEMS).alpha)


@exercise(
    "analyse-item-a-retirer",
    question="Quel item faut-il retirer de l'échelle (nom de la colonne) ?",
    hints=[
        "Le tableau des items (.to_frame() du résultat) donne « α si l'item est retiré » et "
        "la « Corrélation item-reste ».",
        "Cherchez l'item dont le retrait fait monter α et qui n'est pas corrélé aux autres : "
        "mesure-t-il la même chose ?",
        "L'item sur le stationnement : « accord_parking ».",
    ],
)
def _item_a_retirer() -> str:
    from movsc_toolkit import survey

    table = survey.cronbach_alpha(_scores(), ITEMS).to_frame()
    return str(table["α si l'item est retiré"].idxmax())


@exercise(
    "analyse-alpha-5-items",
    question="Quel est l'α de Cronbach des cinq affirmations qui restent ?",
    hints=[
        "Refaites le calcul sans l'item retiré.",
        "La liste des items sans lui : [item for item in items if item != item_retire].",
        "alpha_5 = survey.cronbach_alpha(scores, [i for i in items if i != "
        '"accord_parking"]).alpha',
    ],
    decimals=3,
    diagnostics=[
        (
            _alpha,
            "c'est l'α des six items : retirez d'abord l'item choisi à la question précédente.",
        ),
    ],
)
def _alpha_5() -> float:
    from movsc_toolkit import survey

    items = [item for item in ITEMS if item != _item_a_retirer()]
    return float(survey.cronbach_alpha(_scores(), items).alpha)


@exercise(
    "analyse-recents-ponderes",
    question="Après calage sur le sexe et la tranche d'âge du registre, quelle part des "
    "bénévoles est là depuis moins d'un an, en % ?",
    hints=[
        "survey.rake(données, marges) calcule les poids ; rangez-les dans une colonne puis "
        "faites un tri à plat pondéré (weights=).",
        "benevoles_ponderes = benevoles.assign(poids=survey.rake(benevoles, marges).weights)\n"
        'survey.freq(benevoles_ponderes, "anciennete", weights="poids")',
        'part_recents = survey.freq(benevoles_ponderes, "anciennete", '
        'weights="poids").loc["Moins d\'un an", "%"]',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: float((_reponses()["anciennete"] == "Moins d'un an").mean() * 100),
            "c'est la part parmi les répondants, sans pondération : faites le tri à plat avec "
            "weights= (les poids du calage).",
        ),
    ],
)
def _recents_ponderes() -> float:
    reponses = _reponses()
    poids = _poids()
    recents = (reponses["anciennete"] == "Moins d'un an").to_numpy()
    return float(poids[recents].sum() / poids.sum() * 100)


@exercise(
    "analyse-acm-axe1",
    question="Dans l'ACM sur l'âge, l'ancienneté, le statut, la formation et l'intention, "
    "quel pourcentage de l'inertie l'axe 1 représente-t-il ?",
    hints=[
        "survey.mca(données, colonnes) fait l'ACM ; son résumé donne le pourcentage d'inertie "
        "de chaque axe.",
        "Le tableau des valeurs propres est dans l'attribut eigenvalues (une ligne par axe).",
        "acm = survey.mca(benevoles, variables)\n"
        'axe1 = acm.eigenvalues.loc["Axe 1", "% d\'inertie"]',
    ],
    decimals=1,
    unit="%",
)
def _acm_axe1() -> float:
    from movsc_toolkit import survey

    result = survey.mca(_reponses(), ACM_VARIABLES)
    return float(result.eigenvalues.loc["Axe 1", "% d'inertie"])


exercise(
    "analyse-choix-test-statut",
    question="Tri croisé du statut et de l'intention de rester : que conclure ?",
    choices={
        "a": "Il n'y a pas de lien, puisque p = 0,229 est supérieur à 0,05.",
        "b": "Le χ² n'est pas fiable ici (trop d'effectifs théoriques inférieurs à 5) : on ne "
        "conclut pas sans regrouper des modalités ou sans une p-value exacte ou simulée.",
        "c": "Le lien est faible, puisque le V de Cramér vaut 0,11.",
        "d": "Les volontaires en service civique partent plus souvent : c'est prouvé.",
    },
    answer="b",
    reasons={
        "a": "la p-value d'un χ² dont les conditions ne sont pas remplies n'est pas fiable ; et "
        "un test non significatif ne prouve jamais l'absence de lien.",
        "c": "le V de Cramér d'un tableau aux effectifs si petits n'est pas plus fiable que le χ².",
        "d": "9 volontaires seulement : aucun test ne le montre ici, et un lien ne serait pas une "
        "preuve de causalité.",
    },
    hints=[
        "Lisez la ligne « Conditions » du résultat de survey.chi2_test.",
        "La règle de Cochran demande au moins 80 % de cases d'effectif théorique ≥ 5.",
        "Réponse b.",
    ],
)

exercise(
    "analyse-lecture-p",
    question="Le χ² entre l'ancienneté et l'intention donne p = 0,005. Que signifie cette "
    "p-value ?",
    choices={
        "a": "Il y a 0,5 % de chances que l'ancienneté et l'intention soient indépendantes.",
        "b": "Si l'ancienneté et l'intention étaient indépendantes chez l'ensemble des "
        "bénévoles, un écart au moins aussi grand que celui observé serait très rare (moins "
        "de 1 % des échantillons).",
        "c": "Le lien entre l'ancienneté et l'intention est fort.",
        "d": "On est sûr à 99,5 % que l'ancienneté fait rester les bénévoles.",
    },
    answer="b",
    reasons={
        "a": "la p-value se calcule en supposant l'indépendance vraie : ce n'est pas la "
        "probabilité de cette hypothèse.",
        "c": "la p-value ne mesure pas la force du lien (c'est le rôle du V de Cramér, 0,17 ici : "
        "un lien faible).",
        "d": "une p-value n'est ni une certitude ni une preuve de causalité.",
    },
    hints=[
        "Sous quelle hypothèse la p-value est-elle calculée ?",
        "Elle mesure la compatibilité des données avec l'indépendance.",
        "Réponse b.",
    ],
)

exercise(
    "analyse-lecture-acm",
    question="Sur la carte de l'ACM, « Service civique » et « Moins de 30 ans » sont proches, à "
    "droite de l'axe 1, loin de « Plus de 5 ans ». Quelle lecture est juste ?",
    choices={
        "a": "L'axe 1 oppose les jeunes bénévoles récents (dont les volontaires en service "
        "civique) aux bénévoles anciens ; à vérifier par les tris croisés et les effectifs.",
        "b": "Être en service civique rend les bénévoles plus jeunes.",
        "c": "L'axe 1 résume 18,6 % de l'information : la carte est inutilisable.",
        "d": "Les modalités au centre de la carte sont les plus importantes.",
    },
    answer="a",
    reasons={
        "b": "une proximité sur la carte décrit des réponses souvent associées, jamais une "
        "causalité.",
        "c": "en ACM, les pourcentages d'inertie sont faibles par construction (codage "
        "disjonctif) : 18,6 % n'empêche pas de lire l'axe, avec prudence.",
        "d": "les modalités proches du centre sont au contraire les moins caractéristiques des "
        "axes.",
    },
    hints=[
        "Une ACM décrit des associations entre modalités, pas des causes.",
        "Regardez les contributions à l'axe 1 dans le résumé de l'ACM.",
        "Réponse a.",
    ],
)


@exercise(
    "analyse-likert-informe",
    question="Quelle part des bénévoles (en %) est d'accord (« Plutôt d'accord » ou « Tout à "
    "fait d'accord ») avec « Je suis bien informé·e des décisions qui concernent mon "
    "activité » ?",
    hints=[
        "survey.likert(données, items, levels=echelle) donne, pour chaque item, le % de chaque "
        "niveau de l'échelle.",
        "Additionnez les colonnes « Plutôt d'accord » et « Tout à fait d'accord » de la ligne "
        "« accord_informe » du tableau (.to_frame()).",
        "tableau = survey.likert(benevoles, items, levels=echelle).to_frame()\n"
        'accord_informe = tableau.loc["accord_informe", ["Plutôt d\'accord", '
        '"Tout à fait d\'accord"]].sum()',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: float((_reponses()["accord_informe"] == "Tout à fait d'accord").mean() * 100),
            "vous n'avez compté que « Tout à fait d'accord » : ajoutez « Plutôt d'accord ».",
        ),
    ],
)
def _likert_informe() -> float:
    answers = _reponses()["accord_informe"]
    valid = answers.isin(ECHELLE)
    return float(answers[valid].isin(ECHELLE[3:]).mean() * 100)
