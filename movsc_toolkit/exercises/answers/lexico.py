"""Expected values of ``exercises/03_lexicometrie.ipynb`` (lexicometry of open-ended answers).

The course notebook 03 analyses 24 interviews; the exercise applies the same methods to other
texts: the open-ended answers to « Que faudrait-il améliorer ? » (column ``amelioration``) of the
``enquete_usagers`` survey, one text per respondent with the respondent's profile as metadata.
Every value is computed with ``movsc_toolkit.lexico``, exactly as the student is asked to do; the
lemmatised corpus is computed once per session (and spaCy's analysis is kept in the toolkit's
disk cache).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..check import exercise

#: The profile columns kept as the texts' metadata.
VARIABLES = ["quartier", "tranche_age", "situation"]


@cache
def _corpus() -> Any:
    from movsc_toolkit import datasets, lexico

    reponses = datasets.load("enquete_usagers")
    ouvertes = reponses[reponses["amelioration"].notna()]
    return lexico.Corpus.from_texts(
        ouvertes["amelioration"].astype(str).tolist(),
        ouvertes[VARIABLES].astype(str).reset_index(drop=True),
    )


@cache
def _lemmatized() -> Any:
    return _corpus().lemmatize(progress=False)


@cache
def _classes() -> Any:
    from movsc_toolkit import lexico

    return lexico.reinert(_lemmatized())


@exercise(
    "lexico-sans-reponse",
    question="Combien de répondants de l'enquête n'ont rien écrit à la question ouverte « Que "
    "faudrait-il améliorer ? » ?",
    hints=[
        "Une réponse vide est une valeur manquante : .isna() la repère.",
        'reponses["amelioration"].isna() donne True pour chaque réponse vide ; comptez les True '
        "avec .sum().",
        'sans_reponse = reponses["amelioration"].isna().sum()',
    ],
    diagnostics=[
        (
            lambda: len(_corpus()),
            "c'est le nombre de réponses écrites (les textes du corpus) ; la question demande "
            "combien de répondants n'ont rien écrit.",
        ),
    ],
)
def _sans_reponse() -> int:
    from movsc_toolkit import datasets

    return int(datasets.load("enquete_usagers")["amelioration"].isna().sum())


@exercise(
    "lexico-mots-emploi",
    question="Combien de mots ont écrits, au total, les répondants en emploi ?",
    hints=[
        "La méthode subset extrait une partie du corpus d'après une variable.",
        'corpus.subset(situation="En emploi"), puis son attribut n_words.',
        'mots_emploi = corpus.subset(situation="En emploi").n_words',
    ],
)
def _mots_emploi() -> int:
    return int(_corpus().subset(situation="En emploi").n_words)


@exercise(
    "lexico-nom-frequent",
    question="Quel est le nom (catégorie NOUN) le plus fréquent parmi les lemmes actifs ?",
    hints=[
        'lexico.frequencies(corpus_lem, kind="active") donne un tableau trié par effectif, '
        "avec une colonne « Catégorie ».",
        "Gardez les lignes dont la catégorie est « NOUN », puis prenez la première.",
        'freq = lexico.frequencies(corpus_lem, kind="active")\n'
        'nom_frequent = freq[freq["Catégorie"] == "NOUN"].index[0]',
    ],
)
def _nom_frequent() -> str:
    from movsc_toolkit import lexico

    table = lexico.frequencies(_lemmatized(), kind="active").to_frame()
    return str(table[table["Catégorie"] == "NOUN"].index[0])


@exercise(
    "lexico-soir-emploi",
    question="Combien de fois le lemme « soir » est-il employé par les répondants en emploi ?",
    hints=[
        "Le tableau lexical croise les lemmes et les modalités d'une variable.",
        'lexico.lexical_table(corpus_lem, "situation"), ligne « soir ».',
        'soir_emploi = lexico.lexical_table(corpus_lem, "situation").loc["soir", "En emploi"]',
    ],
)
def _soir_emploi() -> int:
    from movsc_toolkit import lexico

    return int(lexico.lexical_table(_lemmatized(), "situation").loc["soir", "En emploi"])


@exercise(
    "lexico-specifique-emploi",
    question="Quel est le lemme actif le plus spécifique des répondants en emploi ?",
    hints=[
        'lexico.specificities(corpus_lem, by="situation", kind="active") calcule les '
        "spécificités de chaque modalité.",
        'La méthode top("En emploi", 1) donne le lemme le plus spécifique.',
        'lemme_emploi = spec.top("En emploi", 1).index[0]',
    ],
)
def _specifique_emploi() -> str:
    from movsc_toolkit import lexico

    spec = lexico.specificities(_lemmatized(), by="situation", kind="active")
    return str(spec.top("En emploi", 1).index[0])


exercise(
    "lexico-lecture-specificite",
    question="Le lemme « travailler » a un score de spécificité d'environ +7,7 chez les "
    "répondants en emploi. Que veut dire ce score ?",
    choices={
        "a": "Le mot est employé 7,7 fois plus souvent par les répondants en emploi.",
        "b": "Le mot est nettement sur-employé par les répondants en emploi : une fréquence au "
        "moins aussi forte aurait une probabilité de l'ordre de 10⁻⁷ si le mot se répartissait "
        "au hasard entre les groupes.",
        "c": "77 % des répondants en emploi ont employé ce mot.",
        "d": "Le mot est important pour tous les répondants.",
    },
    answer="b",
    reasons={
        "a": "le score n'est pas un rapport de fréquences : c'est l'exposant (en log10) d'une "
        "probabilité hypergéométrique.",
        "c": "le score ne dit pas combien de personnes emploient le mot.",
        "d": "une spécificité compare un groupe aux autres : elle ne dit rien de l'ensemble.",
    },
    hints=[
        "Les spécificités de Lafon reposent sur la loi hypergéométrique.",
        "Un score de +s correspond à une probabilité d'environ 10⁻ˢ d'une fréquence au moins "
        "aussi forte sous le hasard.",
        "Réponse b.",
    ],
)


@exercise(
    "lexico-segment-equipe",
    question="Parmi les segments répétés d'au moins 3 mots, quel est le plus fréquent de ceux "
    "qui contiennent le mot « équipe » ?",
    hints=[
        "lexico.repeated_segments(corpus_lem, min_length=3) liste les segments répétés, du "
        "plus fréquent au moins fréquent.",
        'Filtrez la colonne « Segment » avec .str.contains("équipe"), puis prenez le premier.',
        "repetes = lexico.repeated_segments(corpus_lem, min_length=3)\n"
        'segment = repetes[repetes["Segment"].str.contains("équipe")]["Segment"].iloc[0]',
    ],
)
def _segment_equipe() -> str:
    from movsc_toolkit import lexico

    repeated = lexico.repeated_segments(_lemmatized(), min_length=3)
    return str(repeated[repeated["Segment"].str.contains("équipe")]["Segment"].iloc[0])


@exercise(
    "lexico-nb-classes-reponses",
    question="Avec les réglages par défaut, combien de classes la méthode de Reinert retient-elle "
    "sur ces réponses ?",
    hints=[
        "lexico.reinert(corpus_lem) lance la classification.",
        "Le résultat a un attribut n_classes.",
        "nb_classes = lexico.reinert(corpus_lem).n_classes",
    ],
)
def _nb_classes() -> int:
    return int(_classes().n_classes)


@exercise(
    "lexico-part-classee",
    question="Quelle part des segments (en %) la classification range-t-elle dans une classe ?",
    hints=[
        "Le résumé de la classification (print(classes)) le dit ; l'attribut classes.classes "
        "donne la classe de chaque segment (0 = non classé).",
        "Part = segments classés / tous les segments × 100.",
        "part_classee = (classes.classes > 0).mean() * 100",
    ],
    decimals=1,
    unit="%",
)
def _part_classee() -> float:
    return float(100 * (_classes().classes > 0).mean())
