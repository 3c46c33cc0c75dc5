"""How much the choice of allocation keys moves the full cost of each project.

:func:`compare_keys` puts side by side two allocations of the same charges
(:func:`~movsc_toolkit.finance.full_costs` with two sets of rules): the total does not change,
a key moves the indirect charges between projects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_euro, format_percent
from .._report import Report, result, titled_html
from .costs import FullCosts

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["KeyComparison", "compare_keys"]


@result
class KeyComparison(Report):
    """How much the choice of keys moves each project (see :func:`compare_keys`).

    Attributes
    ----------
    table
        One row per project and ``Total``: ``Coût complet (…)`` under each choice, ``Écart
        (€)`` (second − first), ``Écart (%)`` and ``Résultat (…)`` under each choice.
    names
        The names of the two choices, as given to :func:`compare_keys`.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> comptes = datasets.load("maison_quartier_analytique")
    >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
    >>> etp = finance.full_costs(comptes, cles, {"locaux": "m2", "administration": "etp"}, 2025)
    >>> heures = finance.full_costs(
    ...     comptes, cles, {"locaux": "m2", "administration": "heures"}, 2025)
    >>> comparaison = finance.compare_keys(etp, heures, names=("ETP", "heures"))
    >>> comparaison.table["Écart (€)"].tolist()
    [657.33, 1643.32, -11533.12, -4521.62, 13754.09, 0.0]
    """

    table: pd.DataFrame
    names: tuple[str, str]

    def to_frame(self) -> pd.DataFrame:
        """The comparison table (a copy of :attr:`table`).

        Returns
        -------
        pandas.DataFrame
            One row per project and ``Total``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
        >>> etp = finance.full_costs(comptes, cles, {"locaux": "m2", "administration": "etp"}, 2025)
        >>> heures = finance.full_costs(
        ...     comptes, cles, {"locaux": "m2", "administration": "heures"}, 2025)
        >>> comparaison = finance.compare_keys(etp, heures, names=("ETP", "heures"))
        >>> comparaison.to_frame().index[-1]
        'Total'
        """
        return self.table.copy()

    def _lines(self) -> list[str]:
        a, b = self.names
        moves = self.table.drop("Total")["Écart (€)"]
        lines = [f"Comparaison des clés « {a} » et « {b} » : coût complet de chaque projet."]
        if len(moves) and moves.abs().max() >= 0.005:
            p = moves.abs().idxmax()
            lines.append(
                f"Le projet le plus sensible au choix de la clé est « {p} » : "
                f"{format_euro(moves[p], 2)} de coût complet "
                f"({format_percent(self.table.at[p, 'Écart (%)'], 1)}) avec « {b} » qu'avec "
                f"« {a} »."
            )
            lines.append(
                "Le total ne change pas : une clé déplace les charges indirectes entre projets, "
                "elle ne les crée pas."
            )
        else:
            lines.append("Les deux choix donnent les mêmes coûts complets.")
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.table, "Coût complet et résultat selon la clé")

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Horizontal bars: how much each project's full cost moves from the first choice to
        the second (€; orange when it rises, blue when it falls).

        Parameters
        ----------
        ax
            Matplotlib axes to draw on (new ones by default).

        Returns
        -------
        matplotlib.axes.Axes
            The chart.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
        >>> etp = finance.full_costs(comptes, cles, {"locaux": "m2", "administration": "etp"}, 2025)
        >>> heures = finance.full_costs(
        ...     comptes, cles, {"locaux": "m2", "administration": "heures"}, 2025)
        >>> comparaison = finance.compare_keys(etp, heures, names=("ETP", "heures"))
        >>> ax = comparaison.plot()
        >>> len(ax.patches)
        5
        """
        from ..plotting import gap_bars, get_axes

        moves = self.table.drop("Total")["Écart (€)"]
        _fig, ax = get_axes(ax, figsize=(8, 0.4 * max(len(moves), 1) + 1.5))
        colours = ["#D55E00" if v > 0 else "#0072B2" for v in moves]
        gap_bars(ax, moves, [str(p) for p in moves.index], colours)
        a, b = self.names
        ax.set_title(f"Coût complet avec « {b} » − avec « {a} », par projet")
        return ax


def compare_keys(
    first: FullCosts,
    second: FullCosts,
    *,
    names: tuple[str, str] = ("clé A", "clé B"),
) -> KeyComparison:
    """Compare two allocations of the same charges: full cost and result of each project.

    Parameters
    ----------
    first, second
        Two allocations (:func:`~movsc_toolkit.finance.full_costs`) of the same ledger and
        year, with different keys or rules.
    names
        What to call the two choices in the table and the sentences.

    Returns
    -------
    KeyComparison
        Its table has, per project, ``Coût complet`` and ``Résultat`` under each choice, the
        gap ``Écart (€)`` (second − first) and ``Écart (%)``; the ``Total`` gap is 0.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> comptes = datasets.load("maison_quartier_analytique")
    >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
    >>> etp = finance.full_costs(comptes, cles, {"locaux": "m2", "administration": "etp"}, 2025)
    >>> heures = finance.full_costs(
    ...     comptes, cles, {"locaux": "m2", "administration": "heures"}, 2025)
    >>> comparaison = finance.compare_keys(etp, heures, names=("ETP", "heures"))
    >>> float(comparaison.table.at["sejours_ete", "Écart (€)"])  # the most sensitive
    13754.09
    >>> float(comparaison.table.at["Total", "Écart (€)"])
    0.0

    References
    ----------
    ``tests/finance/test_costs.py::test_unit_costs_and_key_comparison`` (a gap worked by hand).
    """
    if set(first.projects) != set(second.projects):
        raise DataError(
            "les deux répartitions ne portent pas sur les mêmes projets.",
            hint="calculez-les sur le même grand livre et le même exercice.",
        )
    a, b = names
    rows = [*first.projects, "Total"]
    table = pd.DataFrame(
        {
            f"Coût complet ({a})": first.costs.loc[rows, "Coût complet"],
            f"Coût complet ({b})": second.costs.loc[rows, "Coût complet"],
        }
    )
    table["Écart (€)"] = (table.iloc[:, 1] - table.iloc[:, 0]).round(2)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["Écart (%)"] = (
            100 * table["Écart (€)"] / table.iloc[:, 0].where(table.iloc[:, 0] != 0)
        )
    table[f"Résultat ({a})"] = first.costs.loc[rows, "Résultat"]
    table[f"Résultat ({b})"] = second.costs.loc[rows, "Résultat"]
    table.index.name = "Projet"
    return KeyComparison(table=table, names=(a, b))
