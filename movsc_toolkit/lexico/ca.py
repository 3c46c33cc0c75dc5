"""Correspondence analysis (AFC) of lexical tables: lemma × class or lemma × modality.

A thin layer over the toolkit's shared CA core (:mod:`movsc_toolkit.factorial`, FactoMineR's
``CA`` numbers up to the sign of each axis), with French tables, a summary and a map. Used as
IRaMuTeQ 0.8 does after a Reinert classification (R ``ca::ca`` of the lemma × class table of
segment counts, supplementary forms and starred modalities as supplementary rows) and on the
lemma × modality table of the specificities (``textaslexico.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_number, format_percent
from .._report import Report, result, titled_html
from ..factorial import CAResult, correspondence_analysis

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["LexicalCAResult", "ca"]


@result
class LexicalCAResult(Report):
    """Result of :func:`ca`.

    Attributes
    ----------
    eigenvalues
        One row per axis: ``Valeur propre`` (first column), ``% d'inertie``, ``% cumulé``.
    row_coordinates, column_coordinates
        Principal coordinates of the rows (words) and columns (classes or modalities).
    row_contributions, column_contributions
        Contributions to each axis, in % (each axis sums to 100).
    row_cos2, column_cos2
        Squared cosines (quality of representation on each axis).
    sup_row_coordinates, sup_column_coordinates
        Coordinates of the supplementary rows and columns (``None`` without them).
    table
        The analysed table.
    core
        The full :class:`movsc_toolkit.factorial.CAResult` (masses, distances…).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"usager": [12, 3, 2, 8], "benevole": [2, 10, 4, 3], "salarie": [1, 4, 11, 5]},
    ...     index=pd.Index(["aide", "bénévolat", "budget", "quartier"], name="lemme"),
    ... )
    >>> afc = ca(table)
    >>> afc.n_components
    2
    >>> afc.column_coordinates.round(3)
              Axe 1  Axe 2
    usager    0.701 -0.056
    benevole -0.344  0.509
    salarie  -0.522 -0.394
    """

    eigenvalues: pd.DataFrame
    row_coordinates: pd.DataFrame
    column_coordinates: pd.DataFrame
    row_contributions: pd.DataFrame
    column_contributions: pd.DataFrame
    row_cos2: pd.DataFrame
    column_cos2: pd.DataFrame
    sup_row_coordinates: pd.DataFrame | None
    table: pd.DataFrame
    core: CAResult
    sup_column_coordinates: pd.DataFrame | None = None

    @property
    def n_components(self) -> int:
        """Number of axes kept in the coordinate tables."""
        return self.row_coordinates.shape[1]

    def to_frame(self) -> pd.DataFrame:
        """The eigenvalues table (a copy)."""
        return self.eigenvalues.copy()

    def top_rows(self, axis: int = 1, n: int = 10) -> pd.DataFrame:
        """The ``n`` rows contributing most to ``axis`` (coordinate, contribution, cos²)."""
        if axis not in range(1, self.n_components + 1):
            raise DataError(
                f"l'axe {axis} n'existe pas.",
                hint=f"les axes conservés vont de 1 à {self.n_components}.",
            )
        name = f"Axe {axis}"
        contrib = self.row_contributions[name].sort_values(ascending=False, kind="stable")
        index = contrib.index[:n]
        return pd.DataFrame(
            {
                "Coordonnée": self.row_coordinates.loc[index, name],
                "Contribution (%)": contrib.iloc[:n],
                "cos²": self.row_cos2.loc[index, name],
            }
        )

    def _lines(self) -> list[str]:
        eig = self.eigenvalues
        n_rows, n_cols = self.table.shape
        lines = [
            f"Analyse factorielle des correspondances : {format_number(n_rows, 0)} lignes × "
            f"{n_cols} colonnes ; inertie totale {format_number(self.core.total_inertia, 4)}."
        ]
        for i in range(min(2, len(eig))):
            lines.append(
                f"  Axe {i + 1} : valeur propre {format_number(eig.iat[i, 0], 4)}, "
                f"{format_percent(eig.iat[i, 1])} de l'inertie "
                f"(cumul {format_percent(eig.iat[i, 2])})."
            )
        if len(eig) >= 2:
            lines.append(
                f"Le plan 1-2 résume {format_percent(eig.iat[1, 2])} de l'écart à "
                "l'indépendance entre lignes et colonnes."
            )
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.eigenvalues, "Valeurs propres", decimals=4) + titled_html(
            self.column_coordinates, "Coordonnées des colonnes", decimals=3
        )

    def plot(
        self,
        *,
        axes: tuple[int, int] = (1, 2),
        n_rows: int = 30,
        supplementary: bool = False,
        ax: Axes | None = None,
    ) -> Axes:
        """Map of the columns and of the ``n_rows`` rows contributing most to the plane.

        As in IRaMuTeQ's maps of a classification, each row is drawn in the colour of the
        column where it is most over-represented (largest ratio observed / expected), and each
        column in its own colour. Returns the matplotlib Axes.
        """
        from ..plotting import PALETTE, get_axes

        a1, a2 = axes
        for a in axes:
            if a not in range(1, self.n_components + 1):
                raise DataError(
                    f"l'axe {a} n'existe pas.",
                    hint=f"les axes conservés vont de 1 à {self.n_components} "
                    "(augmentez n_components).",
                )
        x_name, y_name = f"Axe {a1}", f"Axe {a2}"
        _fig, ax = get_axes(ax, figsize=(8, 6.5))
        colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(self.table.columns)}
        counts = self.table.to_numpy(dtype=float)
        ratio = counts / np.outer(counts.sum(axis=1), counts.sum(axis=0)) * counts.sum()
        best = pd.Series(self.table.columns[np.argmax(ratio, axis=1)], index=self.table.index)
        contrib = self.row_contributions[x_name] + self.row_contributions[y_name]
        shown = contrib.sort_values(ascending=False, kind="stable").index[:n_rows]
        rows = self.row_coordinates.loc[shown]
        row_colours = [colours[best[label]] for label in rows.index]
        ax.scatter(rows[x_name], rows[y_name], s=10, color=row_colours, alpha=0.7)
        for (label, (x, y)), colour in zip(
            rows[[x_name, y_name]].iterrows(), row_colours, strict=True
        ):
            ax.annotate(str(label), (x, y), fontsize=8, color=colour)
        if supplementary and self.sup_row_coordinates is not None:
            sup = self.sup_row_coordinates
            ax.scatter(sup[x_name], sup[y_name], s=10, marker="x", color="0.35")
            for label, (x, y) in sup[[x_name, y_name]].iterrows():
                ax.annotate(str(label), (x, y), fontsize=8, color="0.35", style="italic")
        cols = self.column_coordinates
        ax.scatter(
            cols[x_name],
            cols[y_name],
            s=70,
            marker="s",
            color=[colours[c] for c in cols.index],
            edgecolor="black",
            zorder=3,
        )
        for label, (x, y) in cols[[x_name, y_name]].iterrows():
            ax.annotate(
                str(label),
                (x, y),
                fontsize=11,
                fontweight="bold",
                color=colours[label],
                xytext=(5, 5),
                textcoords="offset points",
            )
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.grid(False)
        eig = self.eigenvalues
        ax.set_xlabel(f"{x_name} ({format_percent(eig.iat[a1 - 1, 1])})")
        ax.set_ylabel(f"{y_name} ({format_percent(eig.iat[a2 - 1, 1])})")
        ax.set_title("Analyse factorielle des correspondances")
        return ax


def _from_reinert(result: Any) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Lemma × class table of segment counts (and supplementary rows) from a ReinertResult."""
    if result.n_classes < 2:
        raise DataError(
            f"la classification n'a que {result.n_classes} classe(s) : il en faut au moins "
            "deux pour une AFC (trois pour obtenir un plan factoriel).",
            hint="baissez min_class_size ou demandez plus de bipartitions.",
        )

    def pivot(kind: str) -> pd.DataFrame:
        prof = result.profiles[kind]
        table = prof.pivot(index="Forme", columns="Classe", values="Effectif classe")
        order = pd.unique(
            prof.sort_values("Effectif total", ascending=False, kind="stable")["Forme"]
        )
        table = table.loc[order].fillna(0).astype(np.int64)
        table.columns = [f"Classe {k}" for k in table.columns]
        return table[table.sum(axis=1) > 0]

    active = pivot("actives")
    extra = [pivot(k) for k in ("supplementaires", "variables") if k in result.profiles]
    sup = pd.concat(extra) if extra else None
    return active, sup


def ca(
    table: Any,
    n_components: int = 5,
    *,
    sup_rows: pd.DataFrame | None = None,
    sup_columns: pd.DataFrame | None = None,
) -> LexicalCAResult:
    """Correspondence analysis of a lexical table (FactoMineR ``CA`` numbers, up to sign).

    Parameters
    ----------
    table
        A contingency table (DataFrame of counts: rows = lemmas or forms, columns = classes or
        modalities), a ``ReinertResult`` (its lemma × class table of segment counts, with the
        supplementary forms and starred modalities as supplementary rows) or a
        ``SpecificitiesResult`` (its lemma × modality table).
    n_components
        Number of axes kept in the coordinate tables (the eigenvalues table lists them all).
    sup_rows, sup_columns
        Optional supplementary rows (same columns) / columns (same rows), projected only.

    Returns
    -------
    LexicalCAResult

    References
    ----------
    Benzécri, J.-P. (1973). *L'Analyse des données. II. L'Analyse des correspondances*.
    Paris : Dunod. The numbers are those of FactoMineR's ``CA`` (Husson et al.), up to the
    sign of each axis: ``tests/lexico/test_ca.py`` checks them against a direct SVD and the
    FactoMineR formulas, ``tests/core/test_factorial.py`` the shared core.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"usager": [12, 3, 2, 8], "benevole": [2, 10, 4, 3], "salarie": [1, 4, 11, 5]},
    ...     index=pd.Index(["aide", "bénévolat", "budget", "quartier"], name="lemme"),
    ... )
    >>> afc = ca(table)
    >>> print(afc)
    Analyse factorielle des correspondances : 4 lignes × 3 colonnes ; inertie totale 0,4387.
      Axe 1 : valeur propre 0,3116, 71,0 % de l'inertie (cumul 71,0 %).
      Axe 2 : valeur propre 0,1271, 29,0 % de l'inertie (cumul 100,0 %).
    Le plan 1-2 résume 100,0 % de l'écart à l'indépendance entre lignes et colonnes.
    >>> afc.eigenvalues.round(4)
           Valeur propre  % d'inertie  % cumulé
    Axe 1         0.3116      71.0267   71.0267
    Axe 2         0.1271      28.9733  100.0000
    >>> afc.top_rows(1, n=2).round(3)
            Coordonnée  Contribution (%)   cos²
    aide         0.859            54.693  1.000
    budget      -0.603            30.532  0.698
    """
    if hasattr(table, "profiles") and hasattr(table, "hierarchy"):
        table, reinert_sup = _from_reinert(table)
        if sup_rows is None:
            sup_rows = reinert_sup
    elif hasattr(table, "scores") and hasattr(table, "table") and hasattr(table, "top"):
        table = table.table
    if not isinstance(table, pd.DataFrame):
        raise DataError(
            f"type de données non reconnu : {type(table).__name__}.",
            hint="donnez un tableau de contingence (DataFrame), un résultat de reinert() ou "
            "de specificities().",
        )
    if not isinstance(n_components, int | np.integer) or n_components < 1:
        raise DataError(
            f"n_components doit être un entier au moins égal à 1 (reçu : {n_components!r}).",
            hint="demandez par exemple n_components=2.",
        )
    empty = table.index[(table.sum(axis=1, numeric_only=True) == 0).to_numpy()]
    if len(empty):
        shown = ", ".join(f"« {w} »" for w in empty[:5])
        raise DataError(
            f"{len(empty)} ligne(s) du tableau sont vides ({shown}).",
            hint="retirez les formes de fréquence nulle avant l'AFC.",
        )
    core = correspondence_analysis(
        table, n_components=n_components, sup_rows=sup_rows, sup_columns=sup_columns
    )
    return LexicalCAResult(
        eigenvalues=core.eigenvalues,
        row_coordinates=core.row_coordinates,
        column_coordinates=core.column_coordinates,
        row_contributions=core.row_contributions,
        column_contributions=core.column_contributions,
        row_cos2=core.row_cos2,
        column_cos2=core.column_cos2,
        sup_row_coordinates=core.sup_row_coordinates,
        table=table,
        core=core,
        sup_column_coordinates=core.sup_column_coordinates,
    )
