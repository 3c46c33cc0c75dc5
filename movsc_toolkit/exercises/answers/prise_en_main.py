"""Expected values of ``exercises/00_prise_en_main.ipynb`` (reading a file, a first table).

Every value is computed from the bundled ``exemple_adherents`` dataset with
:func:`movsc_toolkit.read_table`, as the student is asked to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..check import exercise

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _adherents(file: str = "adherents.csv") -> pd.DataFrame:
    from movsc_toolkit import datasets, read_table

    return read_table(datasets.path("exemple_adherents", file))


@exercise(
    "prise-en-main-nombre-adherents",
    question="Combien d'adhérents (de lignes) compte le fichier adherents.csv ?",
    hints=[
        "Lisez d'abord le fichier avec read_table(chemin) et rangez le tableau dans une variable.",
        "Le nombre de lignes d'un tableau s'obtient avec la fonction len(...).",
        "nombre_adherents = len(adherents)",
    ],
)
def _nombre_adherents() -> int:
    return len(_adherents())


@exercise(
    "prise-en-main-encodage",
    question="Quel encodage read_table a-t-il détecté pour adherents.csv ?",
    hints=[
        "read_table note ce qu'il a détecté dans les « attributs » du tableau : adherents.attrs.",
        'adherents.attrs["source"] est un dictionnaire ; cherchez la clé « encoding ».',
        'encodage = adherents.attrs["source"]["encoding"]',
    ],
    kind="encodage",
)
def _encodage() -> str:
    return _adherents().attrs["source"]["encoding"]


@exercise(
    "prise-en-main-ages-manquants",
    question="Pour combien d'adhérents l'âge n'est-il pas renseigné ?",
    hints=[
        "Une case vide est une « valeur manquante » : pandas la repère avec .isna().",
        'adherents["Âge"].isna() donne True pour chaque âge manquant ; il reste à compter '
        "les True avec .sum().",
        'ages_manquants = adherents["Âge"].isna().sum()',
    ],
)
def _ages_manquants() -> int:
    return int(_adherents()["Âge"].isna().sum())


@exercise(
    "prise-en-main-cotisations-total",
    question="Quel est le montant total des cotisations, en euros ?",
    hints=[
        "Vérifiez d'abord que la colonne « Cotisation » a bien été lue comme des nombres "
        "(adherents.dtypes).",
        "Une colonne de nombres a une méthode .sum().",
        'total_cotisations = adherents["Cotisation"].sum()',
    ],
    decimals=2,
    unit="€",
)
def _cotisations_total() -> float:
    return float(_adherents()["Cotisation"].sum())


@exercise(
    "prise-en-main-tri-activite",
    question="Faites le tri à plat de la colonne « Activité » : l'effectif de chaque activité.",
    hints=[
        "Compter les modalités d'une colonne : c'est la méthode .value_counts().",
        'Choisissez la colonne avec adherents["Activité"], puis appliquez-lui .value_counts().',
        'tri_activite = adherents["Activité"].value_counts()',
    ],
)
def _tri_activite() -> pd.Series:
    return _adherents()["Activité"].value_counts()


@exercise(
    "prise-en-main-activite-plus-frequente",
    question="Quelle est l'activité qui réunit le plus d'adhérents ?",
    hints=[
        "value_counts() range les modalités de la plus fréquente à la moins fréquente.",
        "La première étiquette du tri à plat s'obtient avec .index[0].",
        'activite_principale = adherents["Activité"].value_counts().index[0]',
    ],
)
def _activite_plus_frequente() -> str:
    return str(_adherents()["Activité"].value_counts().index[0])


@exercise(
    "prise-en-main-part-benevoles",
    question="Lisez le classeur adherents.xlsx : quel pourcentage des adhérents est bénévole ?",
    hints=[
        "read_table lit aussi les classeurs Excel ; la feuille s'appelle « Adhérents ».",
        "value_counts(normalize=True) donne des proportions (entre 0 et 1) : multipliez par 100.",
        'part_benevoles = 100 * classeur["Bénévole"].value_counts(normalize=True)["oui"]',
    ],
    decimals=1,
    unit="%",
    diagnostics=[
        (
            lambda: _part_parmi_non(),
            "vous avez divisé le nombre de bénévoles par le nombre de non-bénévoles, et non par "
            "le nombre total d'adhérents.",
            "un pourcentage des adhérents se calcule sur tous les adhérents : oui / (oui + non).",
        )
    ],
)
def _part_benevoles() -> float:
    classeur = _adherents("adherents.xlsx")
    return float(100 * (classeur["Bénévole"] == "oui").mean())


def _part_parmi_non() -> float:
    counts = _adherents("adherents.xlsx")["Bénévole"].value_counts()
    return float(100 * counts["oui"] / counts["non"])
