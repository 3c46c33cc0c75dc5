"""Expected values of ``exercises/05_analyse_financiere.ipynb`` (building and reading accounts).

The student builds the compte de résultat, the bilan aggregates and the CAF **by hand** from the
trial balance of two case studies the course notebooks do not analyse
(``cas_structure_croissance`` and ``cas_dependance_financeur``); the expected values come from
the toolkit's own statements, so the exercise also checks that both ways agree.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..check import exercise


@cache
def _croissance() -> Any:
    from movsc_toolkit import datasets

    return datasets.load("cas_structure_croissance")


@cache
def _roue_libre() -> Any:
    from movsc_toolkit import datasets

    return datasets.load("cas_dependance_financeur")


def _cr_total(ledger: Any, year: int, *postes: str) -> float:
    from movsc_toolkit import finance

    table = finance.income_statement(ledger, year).to_frame()
    return float(sum(table.loc[poste, "N"] for poste in postes))


def _indicator(ledger: Any, year: int, code: str) -> float:
    from movsc_toolkit import finance

    return float(finance.indicators(ledger, year).loc[code, "Valeur"])


@exercise(
    "analyse-fin-produits",
    question="Quel est le total des produits 2024 de Compétences Plus (comptes de classe 7, "
    "en €) ?",
    hints=[
        "La balance (comptes.balance(2024)) donne pour chaque compte son solde "
        "(débit − crédit) : un produit a un solde créditeur, donc négatif.",
        'Gardez les comptes qui commencent par « 7 » : balance["CompteNum"].str.startswith("7").',
        'produits = -balance.loc[balance["CompteNum"].str.startswith("7"), "Solde"].sum()',
    ],
    decimals=2,
    unit="€",
)
def _produits() -> float:
    return _cr_total(
        _croissance(),
        2024,
        "Total des produits d'exploitation (I)",
        "Total des produits financiers (III)",
        "Total des produits exceptionnels (V)",
    )


@exercise(
    "analyse-fin-charges",
    question="Quel est le total des charges 2024 de Compétences Plus (classe 6, en €) ?",
    hints=[
        "Même méthode que pour les produits, avec les comptes de classe 6 (solde débiteur, "
        "positif).",
        'balance["CompteNum"].str.startswith("6")',
        'charges = balance.loc[balance["CompteNum"].str.startswith("6"), "Solde"].sum()',
    ],
    decimals=2,
    unit="€",
)
def _charges() -> float:
    return _cr_total(
        _croissance(),
        2024,
        "Total des charges d'exploitation (II)",
        "Total des charges financières (IV)",
        "Total des charges exceptionnelles (VI)",
    )


@exercise(
    "analyse-fin-resultat",
    question="Quel est le résultat 2024 de Compétences Plus (en €) ?",
    hints=[
        "Résultat = produits − charges.",
        "Comparez avec finance.income_statement(comptes, 2024) : les deux doivent être égaux.",
        "resultat = produits - charges",
    ],
    decimals=2,
    unit="€",
)
def _resultat() -> float:
    return _indicator(_croissance(), 2024, "resultat")


@exercise(
    "analyse-fin-frng",
    question="Quel est le fonds de roulement net global (FRNG) de Compétences Plus au "
    "31/12/2024 (en €) ?",
    hints=[
        "FRNG = ressources stables (fonds propres, fonds dédiés, provisions, emprunts) − "
        "actif immobilisé net.",
        "Dans bilan = finance.balance_sheet(comptes, 2024).to_frame(), lisez la colonne « Net » "
        "des lignes « Total fonds propres (I) » et « Total actif immobilisé (I) » ; l'association "
        "n'a ni fonds dédiés, ni provisions, ni emprunt.",
        'frng = bilan.loc["Total fonds propres (I)", "Net"] - '
        'bilan.loc["Total actif immobilisé (I)", "Net"]',
    ],
    decimals=2,
    unit="€",
)
def _frng() -> float:
    return _indicator(_croissance(), 2024, "frng")


@exercise(
    "analyse-fin-bfr",
    question="Quel est le besoin en fonds de roulement (BFR) de Compétences Plus au "
    "31/12/2024 (en €) ?",
    hints=[
        "BFR = actif circulant (hors disponibilités) − dettes d'exploitation (hors dettes "
        "bancaires).",
        "Actif circulant : « Total actif circulant (II) » (il n'y a pas de disponibilités, la "
        "banque est à découvert). Dettes d'exploitation : fournisseurs, fiscales et sociales, "
        "produits constatés d'avance.",
        'bfr = bilan.loc["Total actif circulant (II)", "Net"] - bilan.loc[["Dettes fournisseurs '
        'et comptes rattachés", "Dettes fiscales et sociales", "Produits constatés d\'avance"], '
        '"Net"].sum()',
    ],
    decimals=2,
    unit="€",
    diagnostics=[
        (
            lambda: (
                _indicator(_croissance(), 2024, "bfr")
                + _indicator(_croissance(), 2024, "tresorerie_nette")
            ),
            "vous avez retiré le découvert bancaire des dettes : il ne fait pas partie du BFR, "
            "c'est de la trésorerie (passive).",
        ),
    ],
)
def _bfr() -> float:
    return _indicator(_croissance(), 2024, "bfr")


@exercise(
    "analyse-fin-tresorerie",
    question="Quelle est la trésorerie nette de Compétences Plus au 31/12/2024 (en €) ?",
    hints=[
        "Trésorerie nette = FRNG − BFR.",
        "Vérifiez avec le bilan : disponibilités − concours bancaires (le découvert est dans "
        "« Emprunts et dettes auprès des établissements de crédit »).",
        "tresorerie = frng - bfr",
    ],
    decimals=2,
    unit="€",
)
def _tresorerie() -> float:
    return _indicator(_croissance(), 2024, "tresorerie_nette")


@exercise(
    "analyse-fin-hausse-bfr",
    question="De combien le BFR de Compétences Plus a-t-il augmenté entre fin 2022 et fin "
    "2024 (en €) ?",
    hints=[
        "Calculez le BFR de 2022 comme celui de 2024 (même méthode, exercice 2022).",
        "finance.indicators(comptes, 2022) donne aussi le BFR : comparez avec votre calcul.",
        'hausse_bfr = bfr - finance.indicators(comptes, 2022).loc["bfr", "Valeur"]',
    ],
    decimals=2,
    unit="€",
)
def _hausse_bfr() -> float:
    return _indicator(_croissance(), 2024, "bfr") - _indicator(_croissance(), 2022, "bfr")


@exercise(
    "analyse-fin-caf",
    question="Quelle est la capacité d'autofinancement (CAF) 2024 de Compétences Plus, par la "
    "méthode additive (en €) ?",
    hints=[
        "Méthode additive : résultat + dotations aux amortissements et provisions (68) − "
        "reprises (78) − quote-part des subventions d'investissement virée au résultat (777) "
        "+ valeur comptable des actifs cédés (675) − produits des cessions (775).",
        "Ici seules les dotations (comptes 68) s'ajoutent au résultat.",
        'caf = resultat + balance.loc[balance["CompteNum"].str.startswith("68"), "Solde"].sum()',
    ],
    decimals=2,
    unit="€",
    diagnostics=[
        (
            lambda: _indicator(_croissance(), 2024, "resultat"),
            "c'est le résultat : ajoutez les dotations aux amortissements (comptes 68), des "
            "charges qui ne se paient pas.",
        ),
    ],
)
def _caf() -> float:
    return _indicator(_croissance(), 2024, "caf")


@exercise(
    "analyse-fin-bfr-jours",
    question="Combien de jours de produits d'exploitation le BFR 2024 de Compétences Plus "
    "représente-t-il ?",
    hints=[
        "BFR en jours = BFR / produits d'exploitation × 365.",
        "Les produits d'exploitation sont le « Total des produits d'exploitation (I) » du "
        "compte de résultat.",
        "bfr_jours = bfr / produits_exploitation * 365",
    ],
    decimals=1,
    unit="jours",
)
def _bfr_jours() -> float:
    croissance = _croissance()
    produits = _cr_total(croissance, 2024, "Total des produits d'exploitation (I)")
    return _indicator(croissance, 2024, "bfr") / produits * 365


@exercise(
    "analyse-fin-part-departement",
    question="Roue Libre : quelle part de ses produits d'exploitation 2024 vient du seul "
    "Département (compte 743), en % ?",
    hints=[
        "Part = subvention du Département / produits d'exploitation × 100.",
        "La subvention est le solde créditeur du compte 743 dans la balance 2024 ; les "
        "produits d'exploitation sont les comptes 70 à 75 (et 78, 79 s'il y en a).",
        'part_departement = -balance_rl.loc[balance_rl["CompteNum"] == "743", "Solde"].sum() '
        "/ produits_exploitation_rl * 100",
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _indicator(_roue_libre(), 2024, "dependance_financements_publics"),
            "c'est la part de tous les financements publics (Département et Commune) : la "
            "question porte sur le seul Département (compte 743).",
        ),
    ],
)
def _part_departement() -> float:
    roue_libre = _roue_libre()
    balance = roue_libre.balance(2024)
    departement = -balance.loc[balance["CompteNum"] == "743", "Solde"].sum()
    produits = _cr_total(roue_libre, 2024, "Total des produits d'exploitation (I)")
    return float(departement / produits * 100)


@exercise(
    "analyse-fin-delai-departement",
    question="Roue Libre : en combien de jours de subvention le Département paie-t-il, au "
    "31/12/2024 (créance 4417 / subvention annuelle × 365) ?",
    hints=[
        "La subvention notifiée mais pas encore versée est le solde débiteur du compte 4417.",
        "Délai = créance sur le Département / subvention annuelle du Département × 365.",
        'delai = balance_rl.loc[balance_rl["CompteNum"] == "4417", "Solde"].sum() / '
        "subvention_departement * 365",
    ],
    decimals=1,
    unit="jours",
)
def _delai_departement() -> float:
    balance = _roue_libre().balance(2024)
    creance = balance.loc[balance["CompteNum"] == "4417", "Solde"].sum()
    subvention = -balance.loc[balance["CompteNum"] == "743", "Solde"].sum()
    return float(creance / subvention * 365)


exercise(
    "analyse-fin-paradoxe",
    question="Compétences Plus est bénéficiaire et sa CAF est positive, mais sa banque est à "
    "découvert. Quelle explication est juste ?",
    choices={
        "a": "Le résultat est faux : une association bénéficiaire a forcément de la trésorerie.",
        "b": "Le BFR augmente plus vite que le FRNG : les financeurs et les clients paient tard "
        "pendant que la croissance augmente les charges payées chaque mois.",
        "c": "Les dotations aux amortissements ont vidé la trésorerie.",
        "d": "Le FRNG est négatif.",
    },
    answer="b",
    reasons={
        "a": "le résultat mesure ce que l'activité rapporte, pas la date des encaissements.",
        "c": "une dotation est une charge calculée, sans sortie d'argent : elle s'ajoute même à "
        "la CAF.",
        "d": "le FRNG est positif (environ 283 000 €) ; c'est le BFR qui le dépasse.",
    },
    hints=[
        "Comparez le FRNG et le BFR de 2022 et de 2024.",
        "Trésorerie nette = FRNG − BFR.",
        "Réponse b.",
    ],
)

exercise(
    "analyse-fin-solution",
    question="Quelle mesure répond le mieux au problème de trésorerie de Compétences Plus ?",
    choices={
        "a": "Réduire les dotations aux amortissements.",
        "b": "Obtenir l'avance du FSE+ et un préfinancement de ses créances (prêt relais, "
        "cession Dailly), et renforcer les fonds propres.",
        "c": "Augmenter les salaires pour fidéliser l'équipe.",
        "d": "Acheter de nouveaux équipements pour développer l'activité.",
    },
    answer="b",
    reasons={
        "a": "les dotations ne décaissent rien : les réduire ne change pas la trésorerie.",
        "c": "cela augmente les charges décaissées chaque mois, donc le besoin de trésorerie.",
        "d": "un investissement non financé par une ressource stable diminue encore le FRNG.",
    },
    hints=[
        "Le problème vient des délais de paiement des financeurs (BFR).",
        "Il faut soit réduire le BFR, soit augmenter les ressources stables ou le financer.",
        "Réponse b.",
    ],
)


@exercise(
    "analyse-fin-ebe",
    question="Quel est l'excédent brut d'exploitation (EBE) 2024 de Compétences Plus (en €) ?",
    hints=[
        "EBE = valeur ajoutée (production vendue − consommations des comptes 60, 61, 62) + "
        "subventions d'exploitation (74) + cotisations (756) − impôts et taxes (63) − charges "
        "de personnel (64).",
        "Faites une petite fonction qui additionne les soldes des comptes commençant par un "
        "préfixe donné (attention au signe des produits).",
        "def solde(prefixe):\n"
        '    return balance.loc[balance["CompteNum"].str.startswith(prefixe), "Solde"].sum()\n'
        'ebe = -solde("70") - solde("60") - solde("61") - solde("62") - solde("74") '
        '- solde("756") - solde("63") - solde("64")',
    ],
    decimals=2,
    unit="€",
    diagnostics=[
        (
            lambda: _sig(_croissance(), 2024, "Valeur ajoutée"),
            "c'est la valeur ajoutée : pour une association, ajoutez les subventions "
            "d'exploitation et les cotisations, puis retirez les impôts et les charges de "
            "personnel.",
        ),
    ],
)
def _ebe() -> float:
    return _sig(_croissance(), 2024, "Excédent brut d'exploitation (EBE)")


def _sig(ledger: Any, year: int, line: str) -> float:
    from movsc_toolkit import finance

    table = finance.sig(ledger, year).to_frame()
    return float(table.loc[line].iloc[0])
