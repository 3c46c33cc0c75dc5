"""Expected values of ``exercises/00_prise_en_main.ipynb`` (reading a file, a first table).

Every value is computed from the bundled ``exemple_inscriptions`` dataset (a workshop sign-up
file the course notebook 00 does not use: it reads ``exemple_adherents``) with
:func:`movsc_toolkit.read_table`, as the student is asked to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..check import exercise

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _inscriptions(file: str = "inscriptions.csv") -> pd.DataFrame:
    from movsc_toolkit import datasets, read_table

    return read_table(datasets.path("exemple_inscriptions", file))


@exercise(
    "prise-en-main-nombre-inscrits",
    question="Combien d'inscriptions (de lignes) compte le fichier inscriptions.csv ?",
    hints=[
        "Lisez d'abord le fichier avec read_table(chemin) et rangez le tableau dans une variable.",
        "Le nombre de lignes d'un tableau s'obtient avec la fonction len(...).",
        "nombre_inscrits = len(inscriptions)",
    ],
)
def _nombre_inscrits() -> int:
    return len(_inscriptions())


@exercise(
    "prise-en-main-encodage",
    question="Quel encodage read_table a-t-il détecté pour inscriptions.csv ?",
    hints=[
        "read_table note ce qu'il a détecté dans les « attributs » du tableau : inscriptions.attrs.",
        'inscriptions.attrs["source"] est un dictionnaire ; cherchez la clé « encoding ».',
        'encodage = inscriptions.attrs["source"]["encoding"]',
    ],
    kind="encodage",
    synonyms=["utf-8", "UTF-8 avec BOM"],
)
def _encodage() -> str:
    return _inscriptions().attrs["source"]["encoding"]


@exercise(
    "prise-en-main-ages-manquants",
    question="Pour combien d'inscrits l'âge n'est-il pas renseigné ?",
    hints=[
        "Une case vide est une « valeur manquante » : pandas la repère avec .isna().",
        'inscriptions["Âge"].isna() donne True pour chaque âge manquant ; il reste à compter '
        "les True avec .sum().",
        'ages_manquants = inscriptions["Âge"].isna().sum()',
    ],
)
def _ages_manquants() -> int:
    return int(_inscriptions()["Âge"].isna().sum())


@exercise(
    "prise-en-main-montant-total",
    question="Quel est le montant total payé par les inscrits, en euros ?",
    hints=[
        "Vérifiez d'abord que la colonne « Montant payé » a bien été lue comme des nombres "
        "(inscriptions.dtypes).",
        "Une colonne de nombres a une méthode .sum().",
        'montant_total = inscriptions["Montant payé"].sum()',
    ],
    decimals=2,
    unit="€",
)
def _montant_total() -> float:
    return float(_inscriptions()["Montant payé"].sum())


@exercise(
    "prise-en-main-tri-atelier",
    question="Faites le tri à plat de la colonne « Atelier » : l'effectif de chaque atelier.",
    hints=[
        "Compter les modalités d'une colonne : c'est la méthode .value_counts().",
        'Choisissez la colonne avec inscriptions["Atelier"], puis appliquez-lui .value_counts().',
        'tri_atelier = inscriptions["Atelier"].value_counts()',
    ],
)
def _tri_atelier() -> pd.Series:
    return _inscriptions()["Atelier"].value_counts()


@exercise(
    "prise-en-main-atelier-plus-frequent",
    question="Quel est l'atelier qui réunit le plus d'inscrits ?",
    hints=[
        "value_counts() range les modalités de la plus fréquente à la moins fréquente.",
        "La première étiquette du tri à plat s'obtient avec .index[0].",
        'atelier_principal = inscriptions["Atelier"].value_counts().index[0]',
    ],
)
def _atelier_plus_frequent() -> str:
    return str(_inscriptions()["Atelier"].value_counts().index[0])


@exercise(
    "prise-en-main-part-exoneres",
    question="Lisez le classeur inscriptions.xlsx : quel pourcentage des inscrits est exonéré ?",
    hints=[
        "read_table lit aussi les classeurs Excel ; la feuille s'appelle « Inscriptions ».",
        "value_counts(normalize=True) donne des proportions (entre 0 et 1) : multipliez par 100.",
        'part_exoneres = 100 * classeur["Exonéré"].value_counts(normalize=True)["oui"]',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _part_parmi_non(),
            "vous avez divisé le nombre d'exonérés par le nombre de non-exonérés, et non par "
            "le nombre total d'inscrits.",
            "un pourcentage des inscrits se calcule sur tous les inscrits : oui / (oui + non).",
        )
    ],
)
def _part_exoneres() -> float:
    classeur = _inscriptions("inscriptions.xlsx")
    return float(100 * (classeur["Exonéré"] == "oui").mean())


def _part_parmi_non() -> float:
    counts = _inscriptions("inscriptions.xlsx")["Exonéré"].value_counts()
    return float(100 * counts["oui"] / counts["non"])
