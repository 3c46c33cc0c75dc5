"""The result of a multiple correspondence analysis (ACM): tables, readings and maps.

Computed by :func:`movsc_toolkit.survey.mca`; its maps are drawn by ``_mca_plots``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_number
from .._report import Report, result, titled_html
from ..factorial import CAResult
from ._mca_plots import plot_categories, plot_respondents

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = ["MCAResult"]

INERTIA = "% d'inertie"
MINOR_AXIS = 5.0  # % of Greenacre's adjusted inertia below which an axis is not commented


@result
class MCAResult(Report):
    """Result of :func:`mca`.

    Category tables are indexed by (``Variable``, ``Modalité``); individual tables by the
    data's index (respondents left out are absent). Columns: ``Axe 1``, ``Axe 2``, …

    Attributes
    ----------
    eigenvalues
        ``Valeur propre``, ``% d'inertie``, ``% cumulé`` for every non-trivial axis.
    column_coordinates, column_contributions, column_cos2, column_vtest
        Categories (the columns of the disjunctive table): principal coordinates, contributions (%), squared cosines, v-tests
        (|v| > 1.96: the category lies significantly away from the centre at 5 %).
    eta2
        Squared correlation ratio of each active variable with each axis.
    row_coordinates, row_contributions, row_cos2
        Same for the respondents (the rows of the disjunctive table).
    sup_column_coordinates, sup_column_cos2, sup_column_vtest, sup_eta2
        Supplementary categorical variables (``None`` when there are none).
    sup_numeric
        Supplementary numeric variables: their (weighted) correlation with each axis, as
        FactoMineR's ``quanti.sup`` coordinates (``None`` when there are none).
    column_masses
        Weighted share ``f_k`` of each category (not divided by Q).
    columns, sup_columns
        Active and supplementary variables.
    variable_labels
        Question label of each variable (kept by
        :func:`~movsc_toolkit.survey.read_responses` in ``data.attrs["labels"]``), used in the
        map's legend.
    n_individuals, n_excluded
        Respondents analysed, and left out for a missing active answer.
    ca
        The underlying :class:`~movsc_toolkit.factorial.CAResult`.

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> acm = survey.mca(reponses, ["tranche_age", "situation", "foyer", "frequence"])
    >>> acm.column_coordinates.shape[1], round(acm.min_eigenvalue, 2)
    (5, 0.25)
    """

    eigenvalues: pd.DataFrame
    column_coordinates: pd.DataFrame
    column_contributions: pd.DataFrame
    column_cos2: pd.DataFrame
    column_vtest: pd.DataFrame
    eta2: pd.DataFrame
    row_coordinates: pd.DataFrame
    row_contributions: pd.DataFrame
    row_cos2: pd.DataFrame
    column_masses: pd.Series
    columns: tuple[str, ...]
    n_individuals: int
    n_excluded: int
    ca: CAResult
    sup_columns: tuple[str, ...] = ()
    sup_column_coordinates: pd.DataFrame | None = None
    sup_column_cos2: pd.DataFrame | None = None
    sup_column_vtest: pd.DataFrame | None = None
    sup_eta2: pd.DataFrame | None = None
    sup_numeric: pd.DataFrame | None = None
    variable_labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def n_components(self) -> int:
        """Number of retained axes."""
        return self.column_coordinates.shape[1]

    @property
    def min_eigenvalue(self) -> float:
        """Benzécri's threshold ``1/Q``: only axes whose eigenvalue exceeds it are read."""
        return 1 / len(self.columns)

    @property
    def n_interpretable(self) -> int:
        """Number of axes whose eigenvalue exceeds ``1/Q`` (Benzécri's rule)."""
        lam = self.eigenvalues["Valeur propre"].to_numpy()
        return int((lam > self.min_eigenvalue + 1e-12).sum())

    def benzecri(self) -> pd.DataFrame:
        """Benzécri's modified rates (as GDAtools ``modif.rate``): a less pessimistic view of axes.

        For ``λ > 1/Q``: ``λ' = (Q/(Q − 1) · (λ − 1/Q))²``; rate = ``λ' / Σλ'``. These rates
        are optimistic (they only count the axes above ``1/Q``): see :meth:`adjusted_inertia`
        for Greenacre's rates, which do not overstate them.

        Returns
        -------
        pandas.DataFrame
            ``Valeur propre modifiée``, ``Taux modifié (%)``, ``Taux cumulé (%)`` of the axes above
            ``1/Q``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> acm = survey.mca(reponses, ["tranche_age", "situation", "foyer", "frequence"])
        >>> acm.benzecri().shape
        (7, 3)

        References
        ----------
        Benzécri (1979), *Cahiers de l'analyse des données* 4(3)
        (``tests/survey/test_mca.py::test_formulas_of_the_reference``).
        """
        q = len(self.columns)
        lam = self.eigenvalues["Valeur propre"].to_numpy()
        modified = np.where(lam > 1 / q, (q / (q - 1) * (lam - 1 / q)) ** 2, 0.0)
        keep = modified > 0
        rate = 100 * modified[keep] / modified[keep].sum()
        return pd.DataFrame(
            {
                "Valeur propre modifiée": modified[keep],
                "Taux modifié (%)": rate,
                "Taux cumulé (%)": np.cumsum(rate),
            },
            index=self.eigenvalues.index[keep],
        )

    def greenacre_total(self) -> float:
        """Greenacre's adjusted total inertia ``Q/(Q − 1) · (Σ λ² − (J − Q)/Q²)``.

        It is the mean inertia of the off-diagonal tables of the Burt table (Greenacre,
        *Correspondence Analysis in Practice*, 2nd ed., 2007, ch. 19): the part of the ACM's
        inertia that measures associations between the variables. With two variables it
        equals the inertia ``χ²/n`` of their cross-table. Needs every eigenvalue.

        Returns
        -------
        float
            The adjusted total inertia.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> acm = survey.mca(reponses, ["tranche_age", "situation", "foyer", "frequence"])
        >>> round(acm.greenacre_total(), 4)
        0.4675

        References
        ----------
        Greenacre (2007), ch. 19 (``tests/survey/test_mca.py::
        test_greenacre_with_two_variables_is_the_ca_of_the_cross_table``).
        """
        q = len(self.columns)
        j = len(self.column_coordinates)
        lam = self.eigenvalues["Valeur propre"].to_numpy()
        if abs(lam.sum() - (j - q) / q) > 1e-8 * max(1.0, (j - q) / q):
            raise DataError(
                "l'inertie ajustée de Greenacre demande toutes les valeurs propres, or seuls "
                f"{lam.size} axes ont été calculés.",
                hint="réduisez le nombre de modalités (regroupements) pour que toutes les "
                "valeurs propres soient calculées.",
            )
        return float(q / (q - 1) * ((lam**2).sum() - (j - q) / q**2))

    def adjusted_inertia(self) -> pd.DataFrame:
        """Raw, Benzécri and Greenacre rates of the axes above ``1/Q`` (the readable ones).

        The adjusted eigenvalue ``λ' = (Q/(Q − 1))² (λ − 1/Q)²`` is the same in both; Benzécri
        divides it by ``Σ λ'`` (so the retained axes always add up to 100 %, an optimistic
        reading), Greenacre by the adjusted total inertia (:meth:`greenacre_total`), which
        gives the share of the association between the variables that each axis describes.
        Axes with ``λ ≤ 1/Q`` are left out: they are not interpreted (Benzécri's rule).

        Returns
        -------
        pandas.DataFrame
            One row per readable axis: raw, Benzécri and Greenacre rates.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> acm = survey.mca(reponses, ["tranche_age", "situation", "foyer", "frequence"])
        >>> list(acm.adjusted_inertia().columns)[-1]
        'Greenacre cumulé (%)'
        """
        eig = self.eigenvalues
        lam = eig["Valeur propre"].to_numpy()
        q = len(self.columns)
        keep = lam > 1 / q + 1e-12
        adjusted = (q / (q - 1) * (lam[keep] - 1 / q)) ** 2
        greenacre = 100 * adjusted / self.greenacre_total()
        return pd.DataFrame(
            {
                "Valeur propre": lam[keep],
                INERTIA: eig[INERTIA].to_numpy()[keep],
                "Valeur propre ajustée": adjusted,
                "Taux de Benzécri (%)": 100 * adjusted / adjusted.sum(),
                "Taux de Greenacre (%)": greenacre,
                "Greenacre cumulé (%)": np.cumsum(greenacre),
            },
            index=eig.index[keep],
        )

    def to_frame(self, axes: Sequence[int] = (1, 2)) -> pd.DataFrame:
        """Category table (coordinates, contributions, cos², v-test) for the given axes.

        Parameters
        ----------
        axes
            The axes to show (1 and 2 by default).

        Returns
        -------
        pandas.DataFrame
            One row per category, four columns per axis; exact values.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> acm = survey.mca(reponses, ["tranche_age", "situation", "foyer", "frequence"])
        >>> acm.to_frame().shape
        (20, 8)
        """
        parts = {}
        for axis in axes:
            name = f"Axe {axis}"
            if name not in self.column_coordinates.columns:
                raise DataError(
                    f"l'axe {axis} n'a pas été calculé ({self.n_components} axes retenus).",
                    hint="augmentez n_components dans mca(...).",
                )
            parts[f"Coord. {name}"] = self.column_coordinates[name]
            parts[f"Contrib. {name} (%)"] = self.column_contributions[name]
            parts[f"cos² {name}"] = self.column_cos2[name]
            parts[f"v-test {name}"] = self.column_vtest[name]
        return pd.DataFrame(parts)

    def _lines(self) -> list[str]:
        eig = self.eigenvalues
        j = len(self.column_coordinates)
        q = len(self.columns)
        lines = [
            f"ACM de {self.n_individuals} répondants sur {q} variables actives ({j} modalités).",
        ]
        if self.n_excluded:
            lines.append(
                f"{self.n_excluded} répondant(s) ayant une non-réponse à une variable active ont "
                "été laissés de côté (option dropna=False pour les garder)."
            )
        readable = self.n_interpretable
        lines.append(
            f"Règle de Benzécri : on n'interprète que les axes dont la valeur propre dépasse "
            f"1/Q = {format_number(self.min_eigenvalue, 3)} ; {readable} axe(s) le font ici."
        )
        rates = self.adjusted_inertia() if readable else None
        if rates is not None:
            minor = [
                name
                for name in rates.index
                if rates.loc[name, "Taux de Greenacre (%)"] < MINOR_AXIS
            ]
            if minor:
                lines.append(
                    f"{', '.join(minor)} : moins de {format_number(MINOR_AXIS, 0)} % de "
                    "l'inertie ajustée (Greenacre) chacun ; on ne les commente pas."
                )
        for s in range(min(2, self.n_components)):
            name = f"Axe {s + 1}"
            if rates is None or name not in rates.index:
                lines.append(
                    f"{name} : valeur propre {format_number(eig.loc[name, 'Valeur propre'], 3)}"
                    f" ≤ 1/Q : cet axe n'est pas interprété."
                )
                continue
            if rates.loc[name, "Taux de Greenacre (%)"] < MINOR_AXIS:
                continue
            contrib = self.column_contributions[name]
            top = contrib[contrib > 100 / j].sort_values(ascending=False).head(4)
            described = ", ".join(
                f"« {mod} » ({var}, {'+' if self.column_coordinates.loc[(var, mod), name] > 0 else '−'})"
                for var, mod in top.index
            )
            lines.append(
                f"{name} : {format_number(eig.loc[name, INERTIA], 1)} % de l'inertie brute, "
                f"{format_number(rates.loc[name, 'Taux de Greenacre (%)'], 1)} % de l'inertie "
                f"ajustée de Greenacre (taux de Benzécri : "
                f"{format_number(rates.loc[name, 'Taux de Benzécri (%)'], 1)} %) ; modalités "
                f"qui y contribuent le plus : {described}."
            )
        if self.sup_columns:
            names = ", ".join(f"« {c} »" for c in self.sup_columns)
            lines.append(
                f"Variable(s) supplémentaire(s) {names} : elles ne construisent pas les axes ; "
                "leurs modalités sont placées après coup. Une modalité supplémentaire n'est "
                "nettement située sur un axe interprété que si |v-test| > 1,96 (sup_column_vtest)."
            )
        if self.sup_numeric is not None:
            for variable, row in self.sup_numeric.iterrows():
                corr = " ; ".join(
                    f"{axis} : {format_number(r)}" for axis, r in row.iloc[:2].items()
                )
                lines.append(
                    f"Variable numérique supplémentaire « {variable} », corrélations : {corr}."
                )
        lines.append(
            "En ACM les pourcentages d'inertie brute sous-estiment la part des axes ; les taux "
            "de Benzécri la surestiment (ils ne comptent que les axes au-dessus de 1/Q) ; ceux "
            "de Greenacre (méthode .adjusted_inertia()) rapportent chaque axe à l'inertie "
            "ajustée totale : citez plutôt ceux-ci."
        )
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.eigenvalues, "Valeurs propres", 4) + titled_html(
            self.to_frame(range(1, min(2, self.n_components) + 1)), "Modalités", 2
        )

    def plot(
        self,
        axes: tuple[int, int] = (1, 2),
        *,
        ax: Axes | None = None,
        supplementary: bool = True,
        respondents: bool = False,
        min_contribution: float = 0.0,
    ) -> Axes:
        """Map of the categories on two axes (one colour per variable).

        Supplementary categories are drawn in grey italics. ``min_contribution`` hides active
        categories contributing less (in %) to both axes; ``respondents=True`` adds the
        respondents as small grey dots.

        Parameters
        ----------
        axes
            The two axes of the map.
        ax
            The matplotlib ``Axes`` to draw on (a new figure by default).
        supplementary
            Draw the supplementary categories.
        respondents
            Add the respondents as small grey dots.
        min_contribution
            Hide the active categories contributing less (in %) to both axes.

        Returns
        -------
        matplotlib.axes.Axes
            The chart, with French labels.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> acm = survey.mca(reponses, ["tranche_age", "situation", "foyer", "frequence"])
        >>> acm.plot().get_title()
        'ACM : carte des modalités'
        """
        return plot_categories(
            self,
            axes,
            ax,
            supplementary=supplementary,
            respondents=respondents,
            min_contribution=min_contribution,
        )

    def plot_individuals(
        self,
        data: pd.DataFrame | None = None,
        color_by: str | None = None,
        axes: tuple[int, int] = (1, 2),
        *,
        ax: Axes | None = None,
    ) -> Axes:
        """Map of the respondents on two axes, optionally coloured by a variable of ``data``.

        ``data`` is the table given to :func:`mca` (respondents are matched by index);
        ``color_by`` one of its columns (for instance a supplementary variable).

        Parameters
        ----------
        data
            The table given to :func:`mca` (needed with ``color_by``).
        color_by
            A column of ``data`` whose categories colour the points.
        axes
            The two axes of the map.
        ax
            The matplotlib ``Axes`` to draw on (a new figure by default).

        Returns
        -------
        matplotlib.axes.Axes
            The chart, with French labels.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> acm = survey.mca(reponses, ["tranche_age", "situation", "foyer", "frequence"])
        >>> acm.plot_individuals(reponses, color_by="sexe").get_title()
        'ACM : nuage des répondants'
        """
        return plot_respondents(self, data, color_by, axes, ax)
