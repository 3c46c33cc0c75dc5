"""Expected values of ``exercises/04_finances.ipynb`` (finances associatives, self-study).

Every value is computed with ``movsc_toolkit.finance`` from the bundled datasets
``centre_social_comptes`` (the FEC 2022-2024 of the centre social Les Tilleuls),
``centre_social_budget`` (its budgets and conventions) and the case studies ``cas_*``, exactly as
the student is asked to do.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..check import exercise


@cache
def _ledger() -> Any:
    from movsc_toolkit import datasets

    return datasets.load("centre_social_comptes")


@cache
def _indicators(year: int = 2024) -> Any:
    from movsc_toolkit import finance

    return finance.indicators(_ledger(), year)


def _budget(year: int) -> Any:
    from movsc_toolkit import datasets, finance

    return finance.read_budget(datasets.path("centre_social_budget", f"budget_{year}.xlsx"))


@cache
def _conventions() -> Any:
    from movsc_toolkit import datasets, finance

    return finance.read_conventions(datasets.path("centre_social_budget", "conventions.xlsx"))


@cache
def _comparison() -> Any:
    from movsc_toolkit import finance

    return finance.budget_vs_actual(_budget(2024), _ledger(), 2024)


@cache
def _status() -> Any:
    from movsc_toolkit import finance

    return finance.conventions_status(_conventions(), "2024-12-31", _ledger())


@cache
def _plan() -> Any:
    from movsc_toolkit import finance

    opening = _indicators(2024).loc["tresorerie_nette", "Valeur"]
    return finance.cash_plan(
        _budget(2025), opening, conventions=_conventions(), start="2025-01", threshold=30000
    )


@exercise(
    "finances-resultat",
    question="Quel est le résultat de l'exercice 2024 du centre social Les Tilleuls (en €) ?",
    hints=[
        "Le tableau des indicateurs (finance.indicators) a une ligne « resultat ».",
        "indicateurs = finance.indicators(comptes, 2024), puis la colonne « Valeur ».",
        'resultat = indicateurs.loc["resultat", "Valeur"]',
    ],
    decimals=0,
    unit="€",
)
def _resultat() -> float:
    return float(_indicators(2024).loc["resultat", "Valeur"])


@exercise(
    "finances-frng",
    question="Quel est le fonds de roulement net global (FRNG) au 31/12/2024 (en €) ?",
    hints=[
        "Le FRNG = ressources stables − actif immobilisé net ; la bibliothèque le calcule.",
        "C'est la ligne « frng » du tableau des indicateurs de 2024.",
        'frng = indicateurs.loc["frng", "Valeur"]',
    ],
    decimals=0,
    unit="€",
)
def _frng() -> float:
    return float(_indicators(2024).loc["frng", "Valeur"])


@exercise(
    "finances-bfr",
    question="Quel est le besoin en fonds de roulement (BFR) au 31/12/2024 (en €) ?",
    hints=[
        "Le BFR compare ce que l'association doit recevoir (usagers, financeurs) et ce qu'elle "
        "doit payer à court terme.",
        "C'est la ligne « bfr » du tableau des indicateurs de 2024.",
        'bfr = indicateurs.loc["bfr", "Valeur"]',
    ],
    decimals=0,
    unit="€",
)
def _bfr() -> float:
    return float(_indicators(2024).loc["bfr", "Valeur"])


@exercise(
    "finances-tresorerie-verification",
    question="Vérifiez la relation trésorerie nette = FRNG − BFR : calculez FRNG − BFR (en €).",
    hints=[
        "Vous avez déjà frng et bfr : une simple soustraction suffit.",
        "Comparez ensuite avec la ligne « tresorerie_nette » du tableau des indicateurs.",
        "tresorerie = frng - bfr",
    ],
    decimals=0,
    unit="€",
)
def _tresorerie() -> float:
    ind = _indicators(2024)
    return float(ind.loc["frng", "Valeur"] - ind.loc["bfr", "Valeur"])


@exercise(
    "finances-tresorerie-alerte",
    question="La trésorerie couvre-t-elle moins de 30 jours de charges en 2024 (True/False) ?",
    hints=[
        "L'indicateur « tresorerie_jours » donne la trésorerie en jours de charges décaissables.",
        "Comparez sa valeur au repère de 30 jours avec l'opérateur < .",
        'alerte = indicateurs.loc["tresorerie_jours", "Valeur"] < 30',
    ],
)
def _alerte() -> bool:
    return bool(_indicators(2024).loc["tresorerie_jours", "Valeur"] < 30)


@exercise(
    "finances-dependance-publique",
    question="Quelle part (en %) des produits d'exploitation 2024 vient des financements publics ?",
    hints=[
        "C'est un indicateur de la liste : cherchez « dependance » dans l'index du tableau.",
        "La ligne s'appelle « dependance_financements_publics » ; sa valeur est déjà en %.",
        'dependance = indicateurs.loc["dependance_financements_publics", "Valeur"]',
    ],
    decimals=1,
    unit="%",
)
def _dependance() -> float:
    return float(_indicators(2024).loc["dependance_financements_publics", "Valeur"])


@exercise(
    "finances-subventions-caf",
    question="Quel montant de subventions des organismes sociaux (la CAF) a été comptabilisé en "
    "2024 (en €) ?",
    hints=[
        "La comparaison budget / réalisé range les subventions par financeur, comme le CERFA.",
        "comparaison = finance.budget_vs_actual(budget_2024, comptes, 2024), puis la ligne "
        "« 74 Organismes sociaux » de comparaison.table.",
        'caf = comparaison.table.loc["74 Organismes sociaux", "Réalisé (€)"]',
    ],
    decimals=0,
    unit="€",
)
def _caf() -> float:
    return float(_comparison().table.loc["74 Organismes sociaux", "Réalisé (€)"])


@exercise(
    "finances-ecart-etat",
    question="Quel est l'écart (réalisé − prévu, en €) sur les subventions de l'État en 2024 ?",
    hints=[
        "Un écart négatif veut dire qu'il a été reçu moins que prévu.",
        "Dans comparaison.table, la ligne « 74 État » et la colonne « Écart (€) ».",
        'ecart_etat = comparaison.table.loc["74 État", "Écart (€)"]',
    ],
    decimals=0,
    unit="€",
)
def _ecart_etat() -> float:
    return float(_comparison().table.loc["74 État", "Écart (€)"])


@exercise(
    "finances-lignes-a-expliquer",
    question="Quelles lignes du budget 2024 (leurs codes) demandent une explication dans le "
    "compte rendu financier ?",
    hints=[
        "La comparaison signale les écarts significatifs (au moins 20 % et 0,5 % du budget).",
        "comparaison.to_explain est le tableau de ces lignes ; leurs codes sont dans l'index.",
        "lignes = list(comparaison.to_explain.index)",
    ],
)
def _lignes() -> list[str]:
    return list(_comparison().to_explain.index)


@exercise(
    "finances-equilibre-jeunesse",
    question="Budget 2025, secteur jeunesse : une sortie supplémentaire ajoute 3 000 € de "
    "prestations de services (604). Quel montant de subvention de la Commune faut-il demander "
    "pour que le budget du secteur reste équilibré (en €) ?",
    hints=[
        "Équilibre : total des charges = total des produits. La subvention cherchée est ce qui "
        "manque aux autres produits pour couvrir les charges, sortie comprise.",
        "budget_2025.total('Charges', 'jeunesse') et budget_2025.total('Produits', 'jeunesse') "
        "donnent les totaux ; budget_2025.amounts('jeunesse')['74 Commune'] la subvention "
        "inscrite aujourd'hui.",
        "(charges + 3000) − (produits − subvention de la Commune inscrite aujourd'hui).",
    ],
    decimals=0,
    unit="€",
)
def _equilibre() -> float:
    budget = _budget(2025)
    charges = budget.total("Charges", "jeunesse") + 3000
    produits = budget.total("Produits", "jeunesse")
    commune = float(budget.amounts("jeunesse").get("74 Commune", 0.0))
    return float(charges - (produits - commune))


@exercise(
    "finances-premier-mois-alerte",
    question="Plan de trésorerie 2025 (départ : trésorerie nette fin 2024, conventions, seuil de "
    "30 000 €) : quel est le premier mois en alerte ?",
    hints=[
        "finance.cash_plan(budget_2025, tresorerie_depart, conventions=conventions, "
        "threshold=30000) construit le plan.",
        "plan.alerts est la liste des mois en alerte, dans l'ordre.",
        "premier_mois = plan.alerts[0]",
    ],
    kind="mois",
)
def _premier_mois() -> str:
    return _plan().alerts[0]


@exercise(
    "finances-point-bas",
    question="Quel est le point bas de la trésorerie prévue en 2025 (en €) ?",
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
    question="Au 31/12/2024, quel montant de versements de subventions est en retard (en €) ?",
    hints=[
        "finance.conventions_status(conventions, '2024-12-31', comptes) fait le point à cette "
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
    question="Au 31/12/2024, quelles conventions (identifiants) ont un compte rendu financier en "
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


@cache
def _club() -> Any:
    from movsc_toolkit import datasets, finance

    return finance.indicators(datasets.load("cas_club_sportif"))


@exercise(
    "finances-cas-club-frng",
    question="Cas du club sportif : quel est son fonds de roulement net global (en €) ?",
    hints=[
        "La balance se lit avec datasets.load('cas_club_sportif') ; les indicateurs se calculent "
        "comme pour le centre social.",
        "finance.indicators(club) puis la ligne « frng ».",
        'frng_club = finance.indicators(club).loc["frng", "Valeur"]',
    ],
    decimals=0,
    unit="€",
)
def _club_frng() -> float:
    return float(_club().loc["frng", "Valeur"])


@exercise(
    "finances-cas-club-tresorerie",
    question="Cas du club sportif : quelle est sa trésorerie nette (en €) ?",
    hints=[
        "Trésorerie nette = FRNG − BFR : avec un BFR négatif, elle peut être positive même si "
        "le FRNG est négatif.",
        "La ligne « tresorerie_nette » des indicateurs du club.",
        'tresorerie_club = finance.indicators(club).loc["tresorerie_nette", "Valeur"]',
    ],
    decimals=0,
    unit="€",
)
def _club_tresorerie() -> float:
    return float(_club().loc["tresorerie_nette", "Valeur"])
