"""Expected values of ``exercises/04_finances.ipynb`` (budget, budget vs actual, cash plan, funders).

Every value is computed with ``movsc_toolkit.finance`` from the bundled datasets
``cas_dependance_financeur`` (the FEC 2023-2024 of the atelier vélo Roue Libre) and
``roue_libre_budget`` (its budgets and conventions), exactly as the student is asked to do. The
course notebooks 04 and 06 work on another association (the centre social Les Tilleuls), so
that no expected value is printed there; the analysis of annual accounts is exercised in
``exercises/05_analyse_financiere.ipynb``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..check import exercise

#: The day of the conventions' follow-up (before the board meeting of September 2024).
STATUS_DAY = "2024-07-31"


@cache
def _ledger() -> Any:
    from movsc_toolkit import datasets

    return datasets.load("cas_dependance_financeur")


@cache
def _indicators(year: int = 2024) -> Any:
    from movsc_toolkit import finance

    return finance.indicators(_ledger(), year)


def _budget(year: int) -> Any:
    from movsc_toolkit import datasets, finance

    return finance.read_budget(datasets.path("roue_libre_budget", f"budget_{year}.xlsx"))


@cache
def _conventions() -> Any:
    from movsc_toolkit import datasets, finance

    return finance.read_conventions(datasets.path("roue_libre_budget", "conventions.xlsx"))


@cache
def _comparison() -> Any:
    from movsc_toolkit import finance

    return finance.budget_vs_actual(_budget(2024), _ledger(), 2024)


@cache
def _status() -> Any:
    from movsc_toolkit import finance

    return finance.conventions_status(_conventions(), STATUS_DAY, _ledger())


@cache
def _plan() -> Any:
    from movsc_toolkit import finance

    opening = _indicators(2024).loc["tresorerie_nette", "Valeur"]
    return finance.cash_plan(
        _budget(2025),
        opening,
        conventions=_conventions(),
        start="2025-01",
        min_cash=10000,
        other_flows=[("Solde Département 2024", "2025-06", 126000)],
    )


@exercise(
    "finances-ecart-subventions-publiques",
    question="Budget 2024 face au réalisé : quel est l'écart total (réalisé − prévu, en €) sur "
    "les subventions publiques, c'est-à-dire toutes les lignes 74 sauf les aides privées ?",
    hints=[
        "comparaison = finance.budget_vs_actual(budget_2024, comptes, 2024) ; les lignes de "
        "subventions ont un code qui commence par « 74 ».",
        'Filtrez comparaison.table sur table.index.str.startswith("74") et '
        'table.index != "74 Aides privées", puis additionnez la colonne « Écart (€) ».',
        "table = comparaison.table\n"
        'publiques = table[table.index.str.startswith("74") & (table.index != "74 Aides privées")]'
        '\necart_publiques = publiques["Écart (€)"].sum()',
    ],
    decimals=0,
    unit="€",
    diagnostics=[
        (
            lambda: float(
                _comparison()
                .table.loc[_comparison().table.index.str.startswith("74"), "Écart (€)"]
                .sum()
            ),
            "vous avez gardé les aides privées (fondations) : elles ne sont pas des subventions "
            "publiques.",
        ),
    ],
)
def _ecart_publiques() -> float:
    table = _comparison().table
    publiques = table.index.str.startswith("74") & (table.index != "74 Aides privées")
    return float(table.loc[publiques, "Écart (€)"].sum())


@exercise(
    "finances-taux-realisation-produits",
    question="Quel est le taux de réalisation des produits du budget 2024 (total réalisé / total "
    "prévu × 100, contributions volontaires non comprises) ?",
    hints=[
        "Gardez les lignes de la section « Produits » de comparaison.table.",
        'produits = table[table["Section"] == "Produits"], puis les sommes de « Réalisé (€) » et '
        "de « Prévu (€) ».",
        'taux_produits = produits["Réalisé (€)"].sum() / produits["Prévu (€)"].sum() * 100',
    ],
    decimals=1,
    unit="%",
)
def _taux_produits() -> float:
    table = _comparison().table
    produits = table[table["Section"] == "Produits"]
    return float(produits["Réalisé (€)"].sum() / produits["Prévu (€)"].sum() * 100)


@exercise(
    "finances-lignes-a-expliquer",
    question="Le Département demande d'expliquer tout écart d'au moins 10 % du prévu (et 0,5 % "
    "du budget) : quelles lignes du budget 2024 (leurs codes) faut-il alors expliquer ?",
    hints=[
        "budget_vs_actual a un paramètre min_gap : la part du prévu à partir de laquelle un "
        "écart est significatif (0.20 par défaut).",
        "comparaison_10 = finance.budget_vs_actual(budget_2024, comptes, 2024, min_gap=0.10) ; "
        "les lignes à expliquer sont dans comparaison_10.to_explain.",
        "lignes = list(comparaison_10.to_explain.index)",
    ],
)
def _lignes() -> list[str]:
    from movsc_toolkit import finance

    comparison = finance.budget_vs_actual(_budget(2024), _ledger(), 2024, min_gap=0.10)
    return list(comparison.to_explain.index)


@exercise(
    "finances-equilibre-autoreparation",
    question="Budget 2025, ateliers d'autoréparation : l'achat d'outillage ajoute 2 500 € "
    "d'autres fournitures (606). Quel montant de subvention de la Commune faut-il demander "
    "pour que le budget de l'activité reste équilibré (en €) ?",
    hints=[
        "Équilibre : total des charges = total des produits. La subvention cherchée est ce qui "
        "manque aux autres produits pour couvrir les charges, outillage compris.",
        "budget_2025.total('Charges', 'autoreparation') et budget_2025.total('Produits', "
        "'autoreparation') donnent les totaux ; budget_2025.amounts('autoreparation')"
        "['74 Commune'] la subvention inscrite aujourd'hui.",
        "(charges + 2500) − (produits − subvention de la Commune inscrite aujourd'hui).",
    ],
    decimals=0,
    unit="€",
    diagnostics=[
        (
            lambda: _equilibre() - 2500,
            "c'est la subvention inscrite aujourd'hui : ajoutez l'outillage aux charges.",
        ),
    ],
)
def _equilibre() -> float:
    budget = _budget(2025)
    charges = budget.total("Charges", "autoreparation") + 2500
    produits = budget.total("Produits", "autoreparation")
    commune = float(budget.amounts("autoreparation").get("74 Commune", 0.0))
    return float(charges - (produits - commune))


@exercise(
    "finances-dernier-mois-alerte",
    question="Plan de trésorerie 2025 (départ : trésorerie nette fin 2024, conventions, seuil de "
    "10 000 €), le Département versant le solde 2024 (126 000 €) en juin 2025 : quel est le "
    "dernier mois en alerte ?",
    hints=[
        "finance.cash_plan(budget_2025, tresorerie_depart, conventions=conventions, "
        "min_cash=10000, other_flows=[(libellé, mois, montant)]) construit le plan ; une "
        "rentrée d'argent a un montant positif.",
        "plan.alerts est la liste des mois en alerte, dans l'ordre.",
        "dernier_mois = plan.alerts[-1]",
    ],
    kind="mois",
    diagnostics=[
        (
            lambda: _plan_without_balance().alerts[-1],
            "c'est le dernier mois en alerte d'un plan sans le solde 2024 du Département (oublié, "
            "ou saisi avec un montant négatif) : ce versement d'un exercice passé n'est pas dans "
            "le plan tant que vous ne l'ajoutez pas dans other_flows.",
            'other_flows=[("Solde Département 2024", "2025-06", 126000)] : une rentrée '
            "d'argent a un montant positif.",
        ),
    ],
)
def _dernier_mois() -> str:
    return _plan().alerts[-1]


def _plan_without_balance() -> Any:
    from movsc_toolkit import finance

    opening = _indicators(2024).loc["tresorerie_nette", "Valeur"]
    return finance.cash_plan(
        _budget(2025), opening, conventions=_conventions(), start="2025-01", min_cash=10000
    )


@exercise(
    "finances-point-bas",
    question="Dans ce plan (avec le solde du Département en juin), quel est le point bas de la "
    "trésorerie prévue en 2025 (en €) ?",
    hints=[
        "plan.monthly a une colonne « Trésorerie fin ».",
        "Le point bas est le minimum de cette colonne ; plan.minimum le donne avec son mois.",
        'point_bas = plan.monthly["Trésorerie fin"].min()',
    ],
    decimals=0,
    unit="€",
)
def _point_bas() -> float:
    return float(_plan().monthly["Trésorerie fin"].min())


@exercise(
    "finances-versements-en-retard",
    question="Au 31/07/2024 (pour le CA de septembre), quel montant de versements de "
    "subventions est en retard (en €) ?",
    hints=[
        "finance.conventions_status(conventions, '2024-07-31', comptes) fait le point à cette "
        "date à partir des comptes.",
        "L'objet obtenu a une propriété total_late.",
        "retard = suivi.total_late",
    ],
    decimals=0,
    unit="€",
)
def _retard() -> float:
    return float(_status().total_late)


@exercise(
    "finances-comptes-rendus-en-retard",
    question="Au 31/07/2024, quelles conventions (identifiants) ont un compte rendu financier en "
    "retard ?",
    hints=[
        "La colonne « Compte rendu » de suivi.table vaut « en retard » pour ces conventions.",
        'Filtrez suivi.table sur suivi.table["Compte rendu"] == "en retard".',
        'cr_retard = list(suivi.table.index[suivi.table["Compte rendu"] == "en retard"])',
    ],
)
def _cr() -> list[str]:
    status = _status()
    return list(status.table.index[status.table["Compte rendu"] == "en retard"])
