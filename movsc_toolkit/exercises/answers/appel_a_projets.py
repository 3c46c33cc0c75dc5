"""Expected values of ``exercises/11_appel_a_projets.ipynb`` (calls for projects, board).

The student repairs the budget of the centre social Les Tilleuls' digital workshops against a
foundation's call (``appel_a_projets``: ``appel_numerique.toml`` and
``budget_ateliers_numeriques.xlsx``), then reads the presentation of the centre social's budget
2025 to its board (``centre_social_budget`` and ``centre_social_comptes``). The course notebook
11 uses other data (the Maison de quartier des Coquelicots and the departmental call).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..check import exercise

AS_OF = "15/02/2026"  # the day of the check in the exercise


@cache
def _check() -> Any:
    from movsc_toolkit import datasets, finance

    call = finance.read_call(datasets.path("appel_a_projets", "appel_numerique.toml"))
    budget = finance.read_budget(
        datasets.path("appel_a_projets", "budget_ateliers_numeriques.xlsx")
    )
    return finance.check_application(budget, call, as_of=AS_OF)


@cache
def _presentation(min_rate: float = 0.10, min_amount: float = 5000.0) -> Any:
    from movsc_toolkit import datasets, finance

    budget_2024 = finance.read_budget(datasets.path("centre_social_budget", "budget_2024.xlsx"))
    budget_2025 = finance.read_budget(datasets.path("centre_social_budget", "budget_2025.xlsx"))
    comptes = datasets.load("centre_social_comptes")
    return finance.board_presentation(
        budget_2025,
        budget_2024,
        comptes,
        min_rate=min_rate,
        min_amount=min_amount,
    )


@exercise(
    "aap-forfait-indirects",
    question="Quel montant de charges indirectes l'appel admet-il au plus pour ce projet (€) ?",
    hints=[
        "Le forfait est de 15 % d'une base : relisez frais_indirects_base dans le fichier de "
        "l'appel.",
        "La base est « personnel » : les frais de personnel directs éligibles, lignes 641 "
        "(salaires) et 645 (charges sociales).",
        "forfait = 0.15 * (14000 + 5600), en lisant ces montants dans le budget.",
    ],
    decimals=2,
    unit="€",
    diagnostics=[
        (
            lambda: 0.15 * 26100,
            "vous avez pris 15 % de tous les coûts directs : la base de cet appel est le "
            "personnel seulement.",
        ),
        (
            lambda: 0.07 * 24600,
            "7 % des coûts directs, c'est la règle de l'autre appel (carnet 11) : relisez "
            "frais_indirects_max et frais_indirects_base.",
        ),
    ],
)
def _forfait() -> float:
    check = _check()
    return 0.15 * float(check.amounts["dont personnel éligible (€)"])


@exercise(
    "aap-cout-eligible",
    question="Quel est le coût éligible du projet au sens de l'appel (€) ?",
    hints=[
        "Coût éligible = coûts directs éligibles + charges indirectes dans la limite du forfait.",
        "Les coûts directs sont toutes les charges sauf les deux quote-parts ; retirez-en la "
        "ligne 68 (amortissements), exclue par l'appel.",
        "cout_eligible = (30500 - 2100 - 2300 - 1500) + min(2100 + 2300, forfait)",
    ],
    decimals=2,
    unit="€",
    diagnostics=[
        (30500, "c'est le coût total : retirez les dépenses exclues et plafonnez les indirects."),
        (
            lambda: 30500 - 1500,
            "vous avez retiré la ligne 68 mais gardé toutes les charges indirectes : elles ne "
            "comptent que dans la limite du forfait.",
        ),
    ],
)
def _cout_eligible() -> float:
    return float(_check().amounts["Coût éligible (€)"])


@exercise(
    "aap-reduction-subvention",
    question="De combien faut-il réduire la subvention demandée à la fondation (€) ?",
    hints=[
        "Deux règles limitent la subvention : le plafond et le taux maximal (50 % du coût "
        "éligible). La plus basse des deux limites s'applique.",
        "min(10000, 0.5 * cout_eligible) donne le montant permis.",
        "reduction = 12000 - min(10000, 0.5 * cout_eligible)",
    ],
    decimals=2,
    unit="€",
)
def _reduction() -> float:
    check = _check()
    return float(check.amounts["Subvention demandée (€)"]) - float(check.max_request)


@exercise(
    "aap-regles-enfreintes",
    question="Combien de règles de l'appel le budget enfreint-il (statut « non respectée ») ?",
    hints=[
        'finance.check_application(budget, appel, as_of="15/02/2026") contrôle toutes les règles.',
        "Les règles enfreintes sont dans .breaches ; « à vérifier » n'est pas une infraction.",
        "len(controle.breaches)",
    ],
)
def _n_breaches() -> int:
    return len(_check().breaches)


@exercise(
    "aap-budget-repare",
    question="Combien de règles votre budget réparé enfreint-il encore ?",
    hints=[
        "Réparez d'abord les charges : remplacez les deux quote-parts par le forfait, puis "
        "recalculez.",
        "Retirez les lignes 864 et 87 Bénévolat (le bénévolat n'est pas admis), ramenez la "
        "fondation au montant permis, et rééquilibrez avec d'autres ressources.",
        'Contrôlez avec finance.check_application(budget_repare, appel, as_of="15/02/2026") '
        "et comptez les lignes de .breaches : il en faut 0.",
    ],
)
def _repaired() -> int:
    return 0


@exercise(
    "aap-ca-variation-charges",
    question="De combien le total des charges du budget 2025 varie-t-il par rapport au budget "
    "2024 (€, négatif pour une baisse) ?",
    hints=[
        "La présentation au CA a une ligne « Total des charges » dans son tableau.",
        'presentation.table.loc["Total des charges", "Écart N+1 − N (€)"]',
        "C'est budget 2025 − budget 2024 : une baisse est négative.",
    ],
    decimals=0,
    unit="€",
    diagnostics=[
        (
            lambda: -_presentation().table.loc["Total des charges", "Écart N+1 − N (€)"],
            "le signe est inversé : calculez 2025 − 2024.",
        ),
    ],
)
def _variation() -> float:
    return float(_presentation().table.loc["Total des charges", "Écart N+1 − N (€)"])


@exercise(
    "aap-ca-nb-commentees",
    question="Avec les seuils par défaut (10 % et 5 000 €), combien de rubriques sont à "
    "commenter ?",
    hints=[
        "Regardez la colonne « À commenter » du tableau, ou la propriété .to_comment.",
        "len(presentation.to_comment)",
        "Une variation n'est commentée que si elle dépasse les deux seuils à la fois.",
    ],
)
def _n_commented() -> int:
    return len(_presentation().to_comment)


@exercise(
    "aap-ca-nb-seuil-ca",
    question="Avec la règle du CA des Tilleuls (5 % et 2 000 €), combien de rubriques sont à "
    "commenter ?",
    hints=[
        "Refaites la présentation avec min_rate=0.05 et min_amount=2000.",
        "finance.board_presentation(budget_2025, budget_2024, comptes, min_rate=0.05, "
        "min_amount=2000)",
        "len(presentation_ca.to_comment)",
    ],
)
def _n_commented_ca() -> int:
    return len(_presentation(0.05, 2000.0).to_comment)


@exercise(
    "aap-ca-plus-forte-baisse",
    question="Quel financeur (catégorie du CERFA) baisse le plus en euros entre le budget 2024 "
    "et le budget 2025 ?",
    hints=[
        "Triez le tableau par la colonne « Écart N+1 − N (€) », de la plus forte baisse à la "
        "plus forte hausse.",
        'presentation.table.sort_values("Écart N+1 − N (€)").head(3)',
        "La réponse est la catégorie de la ligne 74 (par exemple « Commune »).",
    ],
    synonyms=["74 État", "Etat", "Subventions : État", "74 – Subventions : État"],
)
def _largest_drop() -> str:
    table = _presentation().table
    lines = table[table.index.str.startswith("74 ")]
    return str(lines["Écart N+1 − N (€)"].idxmin())[3:]
