"""Expected values of ``exercises/10_couts_complets.ipynb`` (full costs and atterrissage).

The student allocates the support centres of the maison de quartier des Coquelicots
(``maison_quartier_analytique``) with a key the course notebook does not use (the hours of
activity for the administration), computes a full cost and a cost per hour, then writes the
year-end forecast of 2026 closed at **31 August** (the course closes at 30 September). The
expected values come from ``finance.full_costs`` and ``finance.monthly_tracking``, whose
allocations and forecasts are checked by hand in ``tests/finance/test_costs.py`` and
``tests/finance/test_monitoring.py``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..check import exercise

RULES_HOURS = {"locaux": "m2", "administration": "heures"}
RULES_ETP = {"locaux": "m2", "administration": "etp"}
AS_OF = "2026-08-31"


@cache
def _data() -> tuple[Any, Any, Any, Any]:
    from movsc_toolkit import datasets, finance

    ledger = datasets.load("maison_quartier_analytique")
    keys = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
    budget = finance.read_budget(datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
    phasing = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
    return ledger, keys, budget, phasing


@cache
def _costs(hours: bool = True) -> Any:
    from movsc_toolkit import finance

    ledger, keys, _, _ = _data()
    return finance.full_costs(ledger, keys, RULES_HOURS if hours else RULES_ETP, 2025)


@cache
def _tracking() -> Any:
    from movsc_toolkit import finance

    ledger, _, budget, phasing = _data()
    return finance.monthly_tracking(budget, ledger, 2026, phasing=phasing, as_of=AS_OF)


@exercise(
    "couts-admin-clas",
    question="Avec la clé « heures » pour l'administration (les locaux aux m²), quelle part "
    "des charges de l'administration revient à l'accompagnement scolaire en 2025 (en €) ?",
    hints=[
        "regles = {'locaux': 'm2', 'administration': 'heures'}, puis "
        "couts = finance.full_costs(comptes, cles, regles, 2025).",
        "La part cherchée est une case du tableau de répartition : ligne « administration », "
        "colonne « accompagnement_scolaire ».",
        'couts.table.loc["administration", "accompagnement_scolaire"]',
    ],
    decimals=2,
    unit="€",
    diagnostics=[
        (
            lambda: float(_costs(False).table.loc["administration", "accompagnement_scolaire"]),
            "c'est la part avec la clé ETP du cours : utilisez la clé « heures ».",
        ),
    ],
)
def _admin_clas() -> float:
    return float(_costs().table.loc["administration", "accompagnement_scolaire"])


@exercise(
    "couts-complet-sejours",
    question="Avec ces clés, quel est le coût complet 2025 des séjours d'été (en €) ?",
    hints=[
        "Coût complet = charges directes + charges indirectes réparties.",
        "Le tableau couts.costs a une ligne par projet et une colonne « Coût complet ».",
        'couts.costs.loc["sejours_ete", "Coût complet"]',
    ],
    decimals=2,
    unit="€",
    diagnostics=[
        (
            lambda: float(_costs().costs.loc["sejours_ete", "Charges directes"]),
            "ce sont les seules charges directes : ajoutez la part des locaux et de "
            "l'administration.",
        ),
    ],
)
def _complet_sejours() -> float:
    return float(_costs().costs.loc["sejours_ete", "Coût complet"])


@exercise(
    "couts-heure-accueil",
    question="Quel est le coût complet d'une heure d'activité de l'accueil jeunes en 2025, "
    "avec ces clés (en €) ?",
    hints=[
        "Divisez le coût complet du projet par ses heures d'activité (clé « heures »).",
        "couts.unit_costs('heures') donne le coût direct et le coût complet par heure.",
        'couts.unit_costs("heures").loc["accueil_jeunes", "Coût complet par unité (€)"]',
    ],
    decimals=2,
    unit="€",
    diagnostics=[
        (
            lambda: float(
                _costs().unit_costs("heures").loc["accueil_jeunes", "Coût direct par unité (€)"]
            ),
            "c'est le coût direct par heure : prenez le coût complet.",
        ),
    ],
)
def _heure_accueil() -> float:
    return float(_costs().unit_costs("heures").loc["accueil_jeunes", "Coût complet par unité (€)"])


@exercise(
    "couts-ecart-cle-sejours",
    question="De combien le coût complet des séjours d'été change-t-il quand l'administration "
    "est répartie aux heures plutôt qu'aux ETP (heures − ETP, en €) ?",
    hints=[
        "Calculez une seconde répartition avec regles_etp = {'locaux': 'm2', "
        "'administration': 'etp'}.",
        "finance.compare_keys(couts_etp, couts, names=('ETP', 'heures')) donne l'écart par projet.",
        'comparaison.table.loc["sejours_ete", "Écart (€)"]',
    ],
    decimals=2,
    unit="€",
    diagnostics=[
        (
            lambda: (
                -float(
                    _costs().costs.loc["sejours_ete", "Coût complet"]
                    - _costs(False).costs.loc["sejours_ete", "Coût complet"]
                )
            ),
            "le signe est inversé : calculez heures − ETP.",
        ),
    ],
)
def _ecart_sejours() -> float:
    return float(
        _costs().costs.loc["sejours_ete", "Coût complet"]
        - _costs(False).costs.loc["sejours_ete", "Coût complet"]
    )


@exercise(
    "couts-atterrissage-resultat",
    question="Au 31 août 2026, quel résultat de l'exercice l'atterrissage « réalisé + reste à "
    "réaliser » annonce-t-il pour l'association (en €) ?",
    hints=[
        "suivi = finance.monthly_tracking(budget_2026, comptes, 2026, phasing=phasage, "
        "as_of='2026-08-31').",
        "atterrissage = suivi.forecast() ; le résultat attendu est dans "
        "atterrissage.by_project(), ligne « Total ».",
        'atterrissage.by_project().loc["Total", "Résultat atterrissage"]',
    ],
    decimals=2,
    unit="€",
)
def _atterrissage_resultat() -> float:
    return float(_tracking().forecast().by_project().loc["Total", "Résultat atterrissage"])


@exercise(
    "couts-prorata-604",
    question="Au 31 août 2026, quel montant annuel la méthode du prorata temporis prévoit-elle "
    "pour la ligne 604 (prestations de services) de l'association (en €) ?",
    hints=[
        "Prorata : réalisé à date × 12 / nombre de mois écoulés.",
        "suivi.forecast('prorata').by_line() a une ligne par code CERFA.",
        'suivi.forecast("prorata").by_line().loc["604", "Atterrissage"]',
    ],
    decimals=2,
    unit="€",
    diagnostics=[
        (
            lambda: float(_tracking().forecast().by_line().loc["604", "Atterrissage"]),
            "c'est l'atterrissage « réalisé + reste à réaliser » : demandez la méthode "
            "« prorata ».",
        ),
    ],
)
def _prorata_604() -> float:
    return float(_tracking().forecast("prorata").by_line().loc["604", "Atterrissage"])


@exercise(
    "couts-rectificatif-produits",
    question="Quel est le total des produits du budget rectificatif tiré de cet atterrissage "
    "(au 31 août, sans ajustement, en €) ?",
    hints=[
        "atterrissage.revised_budget() construit le budget rectificatif (un Budget).",
        "Un Budget a l'attribut total_produits.",
        "atterrissage.revised_budget().total_produits",
    ],
    decimals=2,
    unit="€",
)
def _rectificatif_produits() -> float:
    return float(_tracking().forecast().revised_budget().total_produits)


exercise(
    "couts-choix-methode",
    question="Au 31 août, pourquoi ne pas présenter au CA l'atterrissage au prorata temporis ?",
    choices={
        "a": "Parce qu'il prolonge sur tout l'automne les dépenses de l'été (séjours, fête) et "
        "annonce un déficit qui n'aura pas lieu.",
        "b": "Parce qu'il oublie les subventions déjà notifiées.",
        "c": "Parce qu'il ne tient pas compte des charges indirectes.",
        "d": "Parce qu'il est toujours plus pessimiste que les autres méthodes.",
    },
    answer="a",
    reasons={
        "b": "les subventions ne sont jamais extrapolées : la bibliothèque les garde au "
        "réalisé + reste à réaliser, quelle que soit la méthode.",
        "c": "l'atterrissage porte sur les lignes du budget, charges de support comprises ; la "
        "répartition est une autre question.",
        "d": "sur une ligne qui dépense surtout en fin d'année, le prorata serait au contraire "
        "trop optimiste : tout dépend du calendrier.",
    },
    hints=[
        "Comparez suivi.forecast('prorata').by_line() et suivi.forecast().by_line() sur les "
        "lignes 604 et 70.",
        "Regardez où tombent les dépenses des séjours dans le phasage (juillet, août).",
        "Réponse a.",
    ],
)
