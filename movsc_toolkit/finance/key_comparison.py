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
    """How much the choice of keys moves each project (see :func:`compare_keys`)."""

    table: pd.DataFrame
    names: tuple[str, str]

    def to_frame(self) -> pd.DataFrame:
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

    Returns a :class:`KeyComparison` whose table has, per project, ``Coût complet`` and
    ``Résultat`` under each choice, the gap ``Écart (€)`` (second − first) and ``Écart (%)``.
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
