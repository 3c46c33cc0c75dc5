"""The key indicators of an association: formula, benchmark (« repère ») and reading of each.

This private module holds the definitions behind :func:`movsc_toolkit.finance.indicators`:
the table :data:`INDICATORS` (code, French label, unit, formula, benchmark with its source, value
function, reading function), the sector benchmarks (:data:`SECTORS`, :func:`sector_key`) and
:func:`ratio`. Definitions follow the French functional analysis adapted to associations (France
Active / CNAR Financement guides, Crédit Mutuel's Associathèque, *Association Mode d'Emploi*, the
UNCCAS guide to the budgetary instruction M22, the dataESR definitions of the higher-education
ministry); **no regulatory threshold exists**: every « repère » is a practitioners' convention and
names its source. The value functions read the building blocks computed by ``indicators._base`` (a
dict keyed like ``resultat``, ``frng``, ``charges_decaissables``…); the readings are French
sentences written from the exact value.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .._errors import DataError
from .._format import format_euro, format_number, format_percent

__all__ = [
    "INDICATORS",
    "PUBLIC_FUNDING_AVERAGE",
    "PUBLIC_FUNDING_SOURCE",
    "SECTORS",
    "ratio",
    "sector_key",
]


def ratio(a: float, b: float, factor: float = 1.0) -> float:
    """``a / b × factor``, NaN when ``b`` is zero (a ratio whose denominator is zero)."""
    return float("nan") if b == 0 else a / b * factor


def _reading_result(x: float, v: dict) -> str:
    if x > 0:
        return (
            f"Excédent de {format_euro(x)} ({format_percent(ratio(x, v['total_produits'], 100))}"
            " des produits) : il renforce les fonds propres, ce qu'admet la circulaire Valls "
            "pour un « excédent raisonnable »."
        )
    if x < 0:
        return (
            f"Déficit de {format_euro(-x)} : il réduit les fonds propres ; à expliquer "
            "(activité non financée, subvention en retard, charge exceptionnelle) et à ne pas "
            "laisser se répéter."
        )
    return "Résultat nul : produits et charges s'équilibrent exactement."


def _reading_frng(x: float, v: dict) -> str:
    if x < 0:
        return (
            "FRNG négatif : des ressources à court terme financent des immobilisations — "
            "signal de danger, à corriger (fonds propres, emprunt à long terme, subvention "
            "d'investissement)."
        )
    days = ratio(x, v["charges_decaissables"], 365)
    return (
        f"FRNG positif : les ressources stables couvrent les immobilisations et dégagent "
        f"{format_euro(x)}, soit {format_number(days, 0)} jours de charges décaissables."
    )


def _reading_bfr(x: float, v: dict) -> str:
    if x > 0:
        return (
            f"Le cycle d'activité immobilise {format_euro(x)} : créances (subventions à "
            "recevoir, usagers) supérieures aux dettes d'exploitation — typique d'une "
            "association payée après coup par ses financeurs."
        )
    return (
        f"BFR négatif ({format_euro(x)}) : les avances reçues et les dettes d'exploitation "
        "financent le cycle (ressource en fonds de roulement)."
    )


def _reading_tn(x: float, v: dict) -> str:
    if x < 0:
        return (
            "Trésorerie négative : la banque finance le besoin en fonds de roulement ; "
            "situation coûteuse et fragile (agios, dépendance au découvert)."
        )
    if v["frng"] < 0:
        return (
            f"Trésorerie positive de {format_euro(x)}, mais seulement grâce à un BFR négatif "
            "(avances encaissées, dettes non payées) : elle disparaîtra quand ces dettes "
            "seront réglées, car le FRNG est négatif."
        )
    return (
        f"Trésorerie positive de {format_euro(x)} (égale au FRNG moins le BFR) : la "
        "structure se finance elle-même."
    )


def _reading_days(x: float, v: dict) -> str:
    if math.isnan(x):
        return "Non calculable (aucune charge décaissable)."
    if x < 0:
        return (
            f"Trésorerie négative : l'équivalent de {format_number(-x, 0)} jours de charges "
            "est financé par la banque (découvert)."
        )
    if x < 30:
        return (
            f"{format_number(x, 0)} jours de charges : moins d'un mois d'avance, seuil "
            "d'alerte (paie et charges sociales menacées au moindre retard de versement)."
        )
    if x < 60:
        return (
            f"{format_number(x, 0)} jours de charges : au-dessus du minimum d'un mois, "
            "sous la zone « confortable » de 2 à 3 mois."
        )
    return f"{format_number(x, 0)} jours de charges : zone confortable (2 mois ou plus)."


def _reading_caf(x: float, v: dict) -> str:
    if x > 0:
        return (
            f"L'activité dégage {format_euro(x)} de ressources internes pour investir, "
            "rembourser les emprunts ou renforcer le fonds de roulement."
        )
    return (
        "CAF négative : l'activité consomme de la trésorerie, indépendamment des "
        "amortissements et des fonds dédiés."
    )


# Sector-aware benchmarks of the public funding share (no regulatory threshold exists).
PUBLIC_FUNDING_AVERAGE = 44.0  # % of resources, all French associations, 2017
PUBLIC_FUNDING_SOURCE = (
    "V. Tchernonog et L. Prouteau, Le paysage associatif français. Mesures et évolutions, "
    "3e éd., Dalloz / Juris éditions, 2019 : en 2017, 44 % des ressources des associations "
    "viennent de financements publics (20 % de subventions, 24 % de commandes publiques)"
)
SECTORS = {
    "centre_social": (
        "centre social : financements publics majoritaires par nature (agrément et "
        "prestations de service de la CAF, communes et intercommunalités) ; comparer aux "
        "centres sociaux du département dans l'observatoire national SENACS (CNAF / FCSF, "
        "senacs.fr)"
    ),
}
_SECTOR_ALIASES = {
    "centre social": "centre_social",
    "centres sociaux": "centre_social",
    "centre_social": "centre_social",
    "centre social et culturel": "centre_social",
}


def sector_key(sector: str | None) -> str | None:
    """The key of :data:`SECTORS` for a sector name (``"centre social"`` → ``"centre_social"``),
    ``None`` without a sector; a French error for an unknown sector."""
    if sector is None:
        return None
    key = _SECTOR_ALIASES.get(str(sector).strip().casefold().replace("-", " "))
    if key is None:
        key = _SECTOR_ALIASES.get(str(sector).strip().casefold())
    if key is None:
        raise DataError(
            f"secteur « {sector} » inconnu.",
            hint="secteurs connus : "
            + ", ".join(f"« {k} »" for k in SECTORS)
            + " ; sans secteur (sector=None), les repères sont ceux de l'ensemble des "
            "associations.",
        )
    return key


def _reading_dependance(x: float, v: dict) -> str:
    if math.isnan(x):
        return "Non calculable (aucun produit d'exploitation)."
    share = f"{format_percent(x)} des produits d'exploitation viennent de financements publics"
    if v.get("secteur") == "centre_social":
        return (
            f"{share} : pour un centre social, financé par nature par la CAF et les "
            "collectivités, une part publique élevée est la norme du secteur ; la comparer aux "
            "centres sociaux du département (observatoire SENACS) et surveiller surtout la part "
            "du premier financeur et le renouvellement des conventions (agrément CAF, CPO)."
        )
    average = format_percent(PUBLIC_FUNDING_AVERAGE, 0)
    if x > PUBLIC_FUNDING_AVERAGE:
        return (
            f"{share}, plus que la moyenne des associations ({average} en 2017, Tchernonog et "
            "Prouteau 2019) : la structure dépend des décisions des financeurs publics ; "
            "vérifier la part du premier financeur et la durée des conventions, et comparer aux "
            "structures du même secteur."
        )
    return (
        f"{share}, pas plus que la moyenne des associations ({average} en 2017, Tchernonog et "
        "Prouteau 2019)."
    )


def _reading_personnel(x: float, v: dict) -> str:
    if math.isnan(x):
        return "Non calculable."
    text = f"Le personnel représente {format_percent(x)} des charges d'exploitation"
    if v.get("secteur") == "centre_social":
        return (
            text + " : dans un centre social, dont l'activité (accueil, animation) est faite par "
            "des salariés, c'est normalement la première charge ; le repère générique de 50 % "
            "ne s'applique pas. La surveiller avec la durée des financements qui la paient "
            "(conventions pluriannuelles ou annuelles)."
        )
    if x > 50:
        return (
            text + " : au-delà de 50 %, la masse salariale est une charge fixe lourde ; "
            "surveiller sa couverture par des financements pluriannuels."
        )
    return text + " (sous le repère de 50 %)."


def _reading_autonomie(x: float, v: dict) -> str:
    if math.isnan(x):
        return "Non calculable."
    if x < 25:
        return (
            f"Fonds propres = {format_percent(x)} du bilan : sous le repère bancaire de "
            "25–30 %, la structure dépend de ses créanciers."
        )
    return (
        f"Fonds propres = {format_percent(x)} du bilan : au-dessus du repère de 25–30 %, "
        "bonne autonomie financière."
    )


def _reading_cvn(x: float, v: dict) -> str:
    if x == 0:
        return (
            "Aucune contribution volontaire en nature valorisée : si des bénévoles "
            "interviennent, l'annexe doit expliquer pourquoi (art. 211-4)."
        )
    ok = "égal" if abs(x - v["cvn_87"]) < 0.01 else "DIFFÉRENT"
    return (
        f"{format_euro(x)} de bénévolat, dons et prestations en nature, hors résultat "
        f"(total des 86 {ok} au total des 87) : ils montrent le modèle économique réel."
    )


def _reading_share(
    what: str, limit: float | None = None, note: str = ""
) -> Callable[[float, dict], str]:
    def reading(x: float, v: dict) -> str:
        if math.isnan(x):
            return "Non calculable."
        text = f"{what} : {format_percent(x)}"
        if limit is not None and x > limit:
            text += f", au-delà du repère de {format_number(limit, 0)} %"
        return text + (f" {note}" if note else "") + "."

    return reading


def _reading_benevolat(x: float, v: dict) -> str:
    if math.isnan(x):
        return "Non calculable."
    if v["benevolat"] == 0:
        return "Aucun bénévolat valorisé dans les comptes (compte 875 vide)."
    return (
        f"Le bénévolat représente {format_percent(x)} des ressources, contributions en nature "
        "comprises : une part du travail de l'association n'apparaît pas dans son résultat."
    )


def _reading_delai(x: float, v: dict) -> str:
    if math.isnan(x):
        return "Non calculable (aucune subvention d'exploitation)."
    return (
        f"Les subventions restant à recevoir représentent {format_number(x, 0)} jours de "
        "subventions : plus ce délai est long, plus le BFR et le besoin de trésorerie "
        "augmentent (une avance avant le 31 mars est la règle des CPO)."
    )


def _reading_dette(x: float, v: dict) -> str:
    if v["emprunts"] == 0:
        return "Aucun emprunt : pas d'endettement à rembourser."
    if math.isnan(x) or v["caf"] <= 0:
        return "CAF nulle ou négative : l'activité ne permet pas de rembourser les emprunts."
    return (
        f"Il faudrait {format_number(x, 1)} années de CAF pour rembourser les emprunts "
        "(repère : 3 à 4 ans au plus)."
    )


def _reading_vetuste(x: float, v: dict) -> str:
    if math.isnan(x):
        return "Non calculable (aucune immobilisation corporelle)."
    if x > 75:
        return (
            f"Les équipements sont amortis à {format_percent(x)} : au-delà de 75 %, il faut "
            "prévoir leur renouvellement."
        )
    if x >= 50:
        return (
            f"Les équipements sont amortis à {format_percent(x)} : parc vieillissant, "
            "renouvellement à préparer (plan d'investissement, subvention d'équipement)."
        )
    return f"Les équipements sont amortis à {format_percent(x)} : parc encore récent."


def _reading_bfr_days(x: float, v: dict) -> str:
    if math.isnan(x):
        return "Non calculable."
    return (
        f"Le BFR représente {format_number(x, 0)} jours de produits d'exploitation ; "
        "à suivre dans le temps."
    )


def _reading_frng_days(x: float, v: dict) -> str:
    if math.isnan(x):
        return "Non calculable."
    if x < 0:
        return (
            f"FRNG négatif : il manque l'équivalent de {format_number(-x, 0)} jours de charges "
            "de ressources stables pour financer les immobilisations."
        )
    return _reading_days(x, v).replace("jours de charges", "jours de charges couverts par le FRNG")


def _reading_amount(what: str) -> Callable[[float, dict], str]:
    def reading(x: float, v: dict) -> str:
        return f"{what} : {format_euro(x)}."

    return reading


# (id, label, unit, formula, benchmark, value function, reading function)
INDICATORS: list[tuple[str, str, str, str, str, Callable, Callable]] = [
    (
        "resultat",
        "Résultat de l'exercice",
        "€",
        "Σ7 − Σ6 (hors 86/87)",
        "Un excédent raisonnable est légitime (circulaire Valls, 2015) ; des déficits "
        "répétés épuisent les fonds propres.",
        lambda v: v["resultat"],
        _reading_result,
    ),
    (
        "fonds_propres",
        "Fonds propres",
        "€",
        "S(10 à 14) créditeurs + résultat de l'exercice non affecté",
        "« 4 mois de charges de fonctionnement » (management-actualités) ; le « 3 mois » "
        "courant est une convention, pas une norme.",
        lambda v: v["fonds_propres"],
        lambda x, v: (
            f"Fonds propres de {format_euro(x)}, soit "
            f"{format_number(ratio(x, v['charges_decaissables'], 12), 1)} mois de charges "
            "décaissables."
        ),
    ),
    (
        "total_bilan",
        "Total du bilan",
        "€",
        "Total de l'actif net (= total du passif)",
        "Sans repère : sert de dénominateur.",
        lambda v: v["total_bilan"],
        _reading_amount("Total du bilan"),
    ),
    (
        "frng",
        "Fonds de roulement net global (FRNG)",
        "€",
        "(fonds propres + 15 + 16 sauf 1688 + 17 + 18 + 19) − actif immobilisé net "
        "(20 à 27 − 28 − 29)",
        "Doit être ≥ 0 (CNAR Financement ; Juris associations n° 428 ; Associathèque).",
        lambda v: v["frng"],
        _reading_frng,
    ),
    (
        "bfr",
        "Besoin en fonds de roulement (BFR)",
        "€",
        "(stocks 3 + D⁺(40 à 44, 46, 47) + 486) − (C⁺(40 à 44, 46, 47) + 487) ; plus 45, "
        "autres 48, 49 et 1688 s'il y en a",
        "Positif chez les associations payées après coup (CNAR Financement) ; à comparer "
        "d'une année sur l'autre.",
        lambda v: v["bfr"],
        _reading_bfr,
    ),
    (
        "tresorerie_nette",
        "Trésorerie nette",
        "€",
        "D⁺(50, 51, 53, 54) − C⁺(51) = FRNG − BFR",
        "Positive : la structure se finance elle-même (Associathèque, T = FR − BFR).",
        lambda v: v["tresorerie_nette"],
        _reading_tn,
    ),
    (
        "caf",
        "Capacité d'autofinancement (CAF)",
        "€",
        "résultat + 681 + 686 + 687 − 781 − 786 − 787 + 675 − 775 − 777 − 7532 + 689 − 789",
        "Positive : ressources pour investir et rembourser (Association Mode d'Emploi ; "
        "guide UNCCAS M22).",
        lambda v: v["caf"],
        _reading_caf,
    ),
    (
        "produits_exploitation",
        "Produits d'exploitation",
        "€",
        "70 à 75 + 781 + 791 + 789",
        "Sans repère : dénominateur des parts de ressources.",
        lambda v: v["produits_exploitation"],
        _reading_amount("Produits d'exploitation de l'exercice"),
    ),
    (
        "charges_exploitation",
        "Charges d'exploitation",
        "€",
        "60 à 65 + 681 + 689",
        "Sans repère : dénominateur des parts de charges.",
        lambda v: v["charges_exploitation"],
        _reading_amount("Charges d'exploitation de l'exercice"),
    ),
    (
        "dependance_financements_publics",
        "Dépendance aux financements publics",
        "%",
        "(73 + 74) / produits d'exploitation × 100",
        f"Aucune norme ; moyenne des associations : 44 % ({PUBLIC_FUNDING_SOURCE}) ; à lire "
        'selon le secteur (sector="centre_social" : observatoire SENACS).',
        lambda v: ratio(v["subventions"], v["produits_exploitation"], 100),
        _reading_dependance,
    ),
    (
        "poids_charges_personnel",
        "Poids des charges de personnel",
        "%",
        "(64 + 621) / charges d'exploitation × 100",
        "Masse salariale chargée > 50 % du budget = indicateur de risque (association1901.fr).",
        lambda v: ratio(v["personnel"], v["charges_exploitation"], 100),
        _reading_personnel,
    ),
    (
        "autonomie_financiere",
        "Autonomie financière",
        "%",
        "fonds propres / total du bilan × 100",
        "Convention bancaire ≥ 25–30 % (memobank).",
        lambda v: ratio(v["fonds_propres"], v["total_bilan"], 100),
        _reading_autonomie,
    ),
    (
        "tresorerie_jours",
        "Trésorerie en jours de charges",
        "jours",
        "trésorerie nette / charges décaissables × 365 ; charges décaissables = 60 à 67 sauf 675",
        "Convention de praticiens : ≥ 30 jours minimum, 60–90 jours confortable (FédéGN, "
        "fiche technique 074) ; aucune norme.",
        lambda v: ratio(v["tresorerie_nette"], v["charges_decaissables"], 365),
        _reading_days,
    ),
    (
        "contributions_volontaires",
        "Contributions volontaires en nature",
        "€",
        "total des 86 (= total des 87)",
        "Valorisées seulement si essentielles et mesurables (ANC 2018-06, art. 211-2).",
        lambda v: v["cvn"],
        _reading_cvn,
    ),
    (
        "frng_jours",
        "FRNG en jours de charges",
        "jours",
        "FRNG / charges décaissables × 365",
        "Convention de praticiens : 60–90 jours (2–3 mois) « confortable » ; aucune norme.",
        lambda v: ratio(v["frng"], v["charges_decaissables"], 365),
        _reading_frng_days,
    ),
    (
        "bfr_jours",
        "BFR en jours de produits",
        "jours",
        "BFR / produits d'exploitation × 365",
        "Sans seuil : suivre la tendance (proposition).",
        lambda v: ratio(v["bfr"], v["produits_exploitation"], 365),
        _reading_bfr_days,
    ),
    (
        "part_ressources_propres",
        "Part des ressources propres",
        "%",
        "(70 + 756 + 754 + 76) / produits d'exploitation × 100",
        "Plus elle est élevée, plus la structure est autonome ; pas de norme (à comparer au "
        "secteur : 56 % de ressources privées en moyenne pour les associations en 2017, "
        "Tchernonog et Prouteau 2019).",
        lambda v: ratio(v["ressources_propres"], v["produits_exploitation"], 100),
        _reading_share("Ventes, cotisations, dons et produits financiers"),
    ),
    (
        "delai_paiement_financeurs",
        "Délai de paiement des financeurs",
        "jours",
        "D⁺(441) subventions à recevoir / subventions d'exploitation (74) × 365",
        "Un long délai explique un BFR structurel ; les CPO prévoient une avance avant le "
        "31 mars (circulaire Valls).",
        lambda v: ratio(v["creances_subventions"], v["subventions_74"], 365),
        _reading_delai,
    ),
    (
        "taux_valorisation_benevolat",
        "Taux de valorisation du bénévolat",
        "%",
        "875 / (total des produits + total des 87) × 100",
        "Montre le modèle économique réel ; seulement si les CVN sont comptabilisées "
        "(ANC 2018-06, art. 211-1 à 211-4).",
        lambda v: ratio(v["benevolat"], v["total_produits"] + v["cvn_87"], 100),
        _reading_benevolat,
    ),
    (
        "part_generosite_public",
        "Part de la générosité du public",
        "%",
        "754 / total des produits × 100",
        "> 30 % des recettes par le don = signal de risque et de transparence "
        "(association1901.fr) ; CER obligatoire en cas d'appel public (art. 432-1).",
        lambda v: ratio(v["generosite"], v["total_produits"], 100),
        _reading_share("Dons, mécénat et legs dans les produits", 30),
    ),
    (
        "duree_apparente_dette",
        "Durée apparente de la dette",
        "années",
        "emprunts (16 sauf 165, 1688, 169) / CAF",
        "En pratique ≤ 3 à 4 ans (guide UNCCAS M22).",
        lambda v: (
            0.0
            if v["emprunts"] == 0
            else (ratio(v["emprunts"], v["caf"]) if v["caf"] > 0 else float("nan"))
        ),
        _reading_dette,
    ),
    (
        "taux_vetuste",
        "Taux de vétusté des immobilisations corporelles",
        "%",
        "amortissements 281 / immobilisations corporelles brutes 21 × 100",
        "Au-delà d'environ 75 %, prévoir le renouvellement (guide UNCCAS M22).",
        lambda v: ratio(v["amort_corporelles"], v["brut_corporelles"], 100),
        _reading_vetuste,
    ),
]
