"""The *dialogue de gestion*: each project's resources against its objectives.

:func:`management_dialogue` is the internal view of the *dialogue de gestion* (the State's
management cycle under the LOLF, loi organique n° 2001-692 of 1 August 2001, explained to
associations by the ministry guide « La LOLF appliquée aux associations », 2007): each project's
resources (charges, produits, subsidies, result, share of the budget) against its objectives
(indicator, target), the cost per unit of target, and, when the CA set envelopes, the gap between
the request and the envelope to arbitrate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from .._format import format_euro, format_number, format_percent
from .._report import Report, result, titled_html
from .._tablelike import TableLike
from ._cells import rename_columns
from .budget import Budget
from .cerfa import short_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["ManagementDialogue", "management_dialogue"]


_OBJECTIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "Projet": ("projet", "code analytique", "service", "action"),
    "Objectif": ("objectif", "indicateur"),
    "Cible": ("cible", "valeur cible", "objectif chiffre"),
    "Unité": ("unite",),
    "Réalisé": ("realise", "resultat"),
    "Enveloppe (€)": ("enveloppe", "enveloppe ca", "montant alloue"),
}


@result
class ManagementDialogue(Report, TableLike):
    """The internal view of the *dialogue de gestion*: resources by project against objectives.

    Attributes
    ----------
    table
        One row per project: ``Charges (€)``, ``Produits (€)``, ``Subventions (€)``,
        ``Résultat (€)``, ``Part des charges (%)``, ``Objectif``, ``Cible``, ``Unité``,
        ``Coût par unité visée (€)`` (charges / cible), and when given ``Réalisé``,
        ``Taux d'atteinte (%)``, ``Enveloppe (€)`` and ``Écart à l'enveloppe (€)`` (charges −
        enveloppe: positive = the project asks more than the CA's envelope).
    sentences
        One French sentence per project.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> budget = finance.read_budget(
    ...     datasets.path("maison_quartier_analytique", "budget_2027_projet.xlsx"))
    >>> objectifs = datasets.load("appel_a_projets", "objectifs_2027.csv")
    >>> dialogue = finance.management_dialogue(budget, objectifs,
    ...                                        support=["locaux", "administration"])
    >>> float(dialogue.table.at["accueil_jeunes", "Écart à l'enveloppe (€)"])
    1700.0
    """

    table: pd.DataFrame
    sentences: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The resources and objectives of each project (a copy of :attr:`table`).

        Returns
        -------
        pandas.DataFrame
            One row per project (``Projet``), exact values.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2027_projet.xlsx"))
        >>> objectifs = datasets.load("appel_a_projets", "objectifs_2027.csv")
        >>> dialogue = finance.management_dialogue(budget, objectifs,
        ...                                        support=["locaux", "administration"])
        >>> dialogue.to_frame()["Charges (€)"].tolist()[:3]
        [91700.0, 41300.0, 38400.0]
        """
        return self.table.copy()

    def _lines(self) -> list[str]:
        return ["Dialogue de gestion : ressources de chaque projet et objectifs.", *self.sentences]

    def _html_tables(self) -> str:
        return titled_html(self.table, "Ressources et objectifs par projet", decimals=0)

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Horizontal bars: charges of each project (and its envelope when given).

        Parameters
        ----------
        ax
            Matplotlib axes to draw on (new ones by default).

        Returns
        -------
        matplotlib.axes.Axes
            One bar per project (the CA's envelope as a black tick).

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2027_projet.xlsx"))
        >>> objectifs = datasets.load("appel_a_projets", "objectifs_2027.csv")
        >>> dialogue = finance.management_dialogue(budget, objectifs,
        ...                                        support=["locaux", "administration"])
        >>> len(dialogue.plot().patches)
        7
        """
        from ..plotting import euro_formatter, get_axes

        t = self.table
        _fig, ax = get_axes(ax, figsize=(8, 0.45 * len(t) + 1.5))
        y = np.arange(len(t))
        ax.barh(y, t["Charges (€)"], color="#D55E00", label="Charges prévues")
        if "Enveloppe (€)" in t.columns:
            ax.scatter(
                t["Enveloppe (€)"], y, color="black", marker="|", s=300, label="Enveloppe du CA"
            )
            ax.legend(loc="lower right")
        ax.set_yticks(y, [short_label(str(i), 30) for i in t.index])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(euro_formatter())
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        ax.set_title("Charges prévues par projet")
        return ax


def management_dialogue(
    budget: Budget,
    objectives: pd.DataFrame | str | PathLike[str] | None = None,
    *,
    envelopes: Mapping[str, float] | None = None,
    support: Sequence[str] = (),
) -> ManagementDialogue:
    """Resources of each project (budget columns) against its objectives.

    Parameters
    ----------
    budget
        The budget by project (one column per analytic code).
    objectives
        A table (or a file read by ``read_table``) with columns ``Projet``, ``Objectif``,
        ``Cible`` and optionally ``Unité``, ``Réalisé`` and ``Enveloppe (€)``; one row per
        project (the first objective of a project is used for the cost per unit).
    envelopes
        ``{projet: montant}``: the envelopes the CA set (overrides the column).
    support
        The support centres (``locaux``, ``administration``…): columns of the budget whose
        charges are indirect costs of the projects (allocated with clés de répartition,
        ``finance.costs``); they have no objective of their own and their result is not a
        deficit to arbitrate.

    Returns
    -------
    ManagementDialogue
        The table by project and one French sentence per project.

    Examples
    --------
    The maison de quartier's budget 2027 against the objectives and the envelopes of its CA:

    >>> from movsc_toolkit import datasets, finance
    >>> budget = finance.read_budget(
    ...     datasets.path("maison_quartier_analytique", "budget_2027_projet.xlsx"))
    >>> objectifs = datasets.load("appel_a_projets", "objectifs_2027.csv")
    >>> dialogue = finance.management_dialogue(budget, objectifs,
    ...                                        support=["locaux", "administration"])
    >>> dialogue.table["Coût par unité visée (€)"].round(2).tolist()[:2]
    [764.17, 917.78]

    References
    ----------
    The *dialogue de gestion* of the LOLF (loi organique n° 2001-692), as the ministry guide « La
    LOLF appliquée aux associations » (2007) presents it to associations;
    ``tests/finance/test_presentation.py::test_management_dialogue``.
    """
    if not isinstance(budget, Budget):
        raise DataError(
            "un budget (Budget) est attendu.", hint="lisez-le avec finance.read_budget(...)."
        )
    missing = [s for s in support if s not in budget.projects]
    if missing:
        raise column_error(missing[0], budget.projects, what="projet")
    summary = budget.summary().drop(index="Total", errors="ignore")
    total = float(summary["Total des charges"].sum())
    table = pd.DataFrame(
        {
            "Charges (€)": summary["Total des charges"],
            "Produits (€)": summary["Total des produits"],
            "Subventions (€)": summary["Subventions (74)"],
            "Résultat (€)": summary["Total des produits"] - summary["Total des charges"],
            "Part des charges (%)": 100 * summary["Total des charges"] / total if total else np.nan,
        }
    )
    table.index.name = "Projet"
    if objectives is not None:
        if isinstance(objectives, pd.DataFrame):
            given = objectives
        else:
            from .._io import read_table

            given = read_table(objectives)
        data = rename_columns(given, _OBJECTIVE_COLUMNS)
        for required in ("Projet", "Objectif", "Cible"):
            if required not in data.columns:
                raise column_error(required, list(given.columns))
        data = data.assign(Projet=data["Projet"].astype(str).str.strip())
        unknown = sorted(set(data["Projet"]) - set(table.index))
        if unknown:
            raise DataError(
                "projet(s) des objectifs absent(s) du budget : " + ", ".join(unknown) + ".",
                hint="les projets du budget sont : " + ", ".join(table.index) + ".",
            )
        first = data.drop_duplicates("Projet").set_index("Projet")
        for column in ("Objectif", "Cible", "Unité", "Réalisé", "Enveloppe (€)"):
            if column in first.columns:
                table[column] = first[column].reindex(table.index)
        table["Cible"] = pd.to_numeric(table["Cible"], errors="coerce")
        table["Coût par unité visée (€)"] = (table["Charges (€)"] / table["Cible"]).where(
            table["Cible"] > 0
        )
        if "Réalisé" in table.columns:
            table["Réalisé"] = pd.to_numeric(table["Réalisé"], errors="coerce")
            table["Taux d'atteinte (%)"] = (100 * table["Réalisé"] / table["Cible"]).where(
                table["Cible"] > 0
            )
    if envelopes is not None:
        table["Enveloppe (€)"] = pd.Series(envelopes, dtype=float).reindex(table.index)
    if "Enveloppe (€)" in table.columns:
        table["Enveloppe (€)"] = pd.to_numeric(table["Enveloppe (€)"], errors="coerce")
        table["Écart à l'enveloppe (€)"] = table["Charges (€)"] - table["Enveloppe (€)"]
    sentences = []
    for project, row in table.iterrows():
        text = (
            f"« {project} » : {format_euro(row['Charges (€)'])} de charges "
            f"({format_percent(row['Part des charges (%)'])} du budget)"
        )
        result = row["Résultat (€)"]
        if project in support:
            sentences.append(
                text + " : centre de support, ses charges sont des charges indirectes des "
                "projets (à répartir avec des clés de répartition)."
            )
            continue
        if result >= 0.5:
            text += f", excédent de {format_euro(result)}"
        elif result <= -0.5:
            cover = 100 * row["Produits (€)"] / row["Charges (€)"] if row["Charges (€)"] else 0.0
            text += (
                f", couvertes à {format_percent(cover, 0)} par ses produits affectés (reste "
                f"{format_euro(-result)} à financer par les ressources générales : à arbitrer)"
            )
        cible = row.get("Cible", np.nan)
        if "Objectif" in table.columns and not pd.isna(row.get("Objectif")) and not pd.isna(cible):
            unit = row.get("Unité")
            unit = "" if unit is None or pd.isna(unit) else f" {unit}"
            text += (
                f" ; objectif : {row['Objectif']} ({format_number(cible, 0)}{unit}), soit "
                f"{format_euro(row['Coût par unité visée (€)'])} par unité visée"
            )
            if "Taux d'atteinte (%)" in table.columns and not pd.isna(row["Taux d'atteinte (%)"]):
                rate = row["Taux d'atteinte (%)"]
                text += f", atteint à {format_percent(rate, 0)}"
        elif "Objectif" in table.columns:
            text += " ; aucun objectif chiffré : à fixer avant l'arbitrage"
        if "Écart à l'enveloppe (€)" in table.columns and not pd.isna(
            row["Écart à l'enveloppe (€)"]
        ):
            gap = row["Écart à l'enveloppe (€)"]
            if gap > 0.5:
                text += f" ; dépasse l'enveloppe du CA de {format_euro(gap)}"
            elif gap < -0.5:
                text += f" ; reste {format_euro(-gap)} sous l'enveloppe du CA"
            else:
                text += " ; égal à l'enveloppe du CA"
        sentences.append(text + ".")
    return ManagementDialogue(table, tuple(sentences))
