"""Expected values of ``exercises/03_lexicometrie.ipynb`` (lexicometry of interviews).

Every value is computed with ``movsc_toolkit.lexico`` from the bundled dataset
``entretiens_centre_social`` (24 fictitious interviews, IRaMuTeQ format), exactly as the
student is asked to do. The lemmatised corpus is computed once per session (and spaCy's analysis
is kept in the toolkit's disk cache).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..check import exercise


@cache
def _corpus() -> Any:
    from movsc_toolkit import datasets

    return datasets.load("entretiens_centre_social")


@cache
def _lemmatized() -> Any:
    return _corpus().lemmatize(progress=False)


@exercise(
    "lexico-nb-segments",
    question="Combien de segments de texte le découpage « à la IRaMuTeQ » produit-il dans le "
    "corpus des 24 entretiens ?",
    hints=[
        "Les segments de texte sont dans un tableau attaché au corpus, une ligne par segment.",
        "Regardez l'attribut corpus.segments.",
        "nb_segments = len(corpus.segments)",
    ],
)
def _() -> int:
    return len(_corpus().segments)


@exercise(
    "lexico-mots-usagers",
    question="Combien de mots comptent, au total, les entretiens des usagers ?",
    hints=[
        "Commencez par ne garder que les entretiens dont le statut est « usager ».",
        'corpus.subset(statut="usager") renvoie un nouveau corpus ; il a un attribut n_words.',
        'mots_usagers = corpus.subset(statut="usager").n_words',
    ],
)
def _() -> int:
    return _corpus().subset(statut="usager").n_words


@exercise(
    "lexico-pseudonymes-personnes",
    question="La pseudonymisation automatique (sans liste de noms ni mots à garder) crée "
    "combien de pseudonymes de type PERSONNE ?",
    hints=[
        "pseudonymize renvoie deux choses : le corpus pseudonymisé et la table de correspondance.",
        "Dans la table, la colonne « Type » vaut PERSONNE, LIEU ou ORGANISATION : comptez les "
        "lignes PERSONNE.",
        "anonyme, table = lexico.pseudonymize(corpus, progress=False)\n"
        'nb_personnes = (table["Type"] == "PERSONNE").sum()',
    ],
)
def _() -> int:
    from movsc_toolkit import lexico

    _, table = lexico.pseudonymize(_corpus(), progress=False)
    return int((table["Type"] == "PERSONNE").sum())


@exercise(
    "lexico-hapax",
    question="Parmi les lemmes actifs (noms, verbes, adjectifs, adverbes) du corpus lemmatisé, "
    "combien sont des hapax (employés une seule fois) ?",
    hints=[
        'La fonction frequencies compte les lemmes ; kind="active" ne garde que les actifs.',
        "Le résultat de frequencies a un attribut n_hapax.",
        'nb_hapax = lexico.frequencies(corpus_lem, kind="active").n_hapax',
    ],
)
def _() -> int:
    from movsc_toolkit import lexico

    return lexico.frequencies(_lemmatized(), kind="active").n_hapax


@exercise(
    "lexico-jeune-partenaires",
    question="Combien de fois le lemme « jeune » est-il employé dans les entretiens des "
    "partenaires ?",
    hints=[
        "Le tableau lexical croise les lemmes (lignes) et les modalités d'une variable (colonnes).",
        'lexico.lexical_table(corpus_lem, "statut") : cherchez la ligne « jeune » et la colonne '
        "« partenaire ».",
        'jeune_partenaires = lexico.lexical_table(corpus_lem, "statut").loc["jeune", "partenaire"]',
    ],
)
def _() -> int:
    from movsc_toolkit import lexico

    return int(lexico.lexical_table(_lemmatized(), "statut").loc["jeune", "partenaire"])


@exercise(
    "lexico-specifique-administrateurs",
    question="Quel est le lemme actif le plus spécifique (score de spécificité le plus élevé) "
    "des entretiens d'administrateurs ?",
    hints=[
        'Les spécificités se calculent par modalité d\'une variable : by="statut", sur les '
        'lemmes actifs (kind="active").',
        'spec.top("administrateur", 1) donne la première ligne : son index est le lemme.',
        'spec = lexico.specificities(corpus_lem, by="statut", kind="active")\n'
        'lemme_admin = spec.top("administrateur", 1).index[0]',
    ],
)
def _() -> str:
    from movsc_toolkit import lexico

    spec = lexico.specificities(_lemmatized(), by="statut", kind="active")
    return str(spec.top("administrateur", 1).index[0])


@exercise(
    "lexico-segment-quartier",
    question="Parmi les segments répétés d'au moins 3 mots, quel est le plus fréquent de ceux "
    "qui contiennent le mot « quartier » ?",
    hints=[
        "repeated_segments(corpus_lem, min_length=3) renvoie un tableau trié par fréquence "
        "décroissante.",
        "Filtrez les lignes dont la colonne « Segment » contient « quartier » avec "
        '.str.contains("quartier"), puis prenez la première.',
        "rs = lexico.repeated_segments(corpus_lem, min_length=3)\n"
        'segment = rs[rs["Segment"].str.contains("quartier")]["Segment"].iloc[0]',
    ],
)
def _() -> str:
    from movsc_toolkit import lexico

    rs = lexico.repeated_segments(_lemmatized(), min_length=3)
    return str(rs[rs["Segment"].str.contains("quartier")]["Segment"].iloc[0])


@exercise(
    "lexico-nb-classes",
    question="Avec les réglages par défaut (9 bipartitions, taille minimale automatique), "
    "combien de classes la classification de Reinert retient-elle ?",
    hints=[
        "La classification se lance sur le corpus lemmatisé avec lexico.reinert.",
        "Le résultat a un attribut n_classes.",
        "classes = lexico.reinert(corpus_lem)\nnb_classes = classes.n_classes",
    ],
)
def _() -> int:
    from movsc_toolkit import lexico

    return lexico.reinert(_lemmatized()).n_classes
