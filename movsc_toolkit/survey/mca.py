"""Analyse des correspondances multiples (ACM), FactoMineR ``MCA`` conventions.

The ACM is the correspondence analysis (:mod:`movsc_toolkit.factorial`) of the complete
disjunctive table (one 0/1 column per category of each active variable), with survey weights
as row weights (FactoMineR ``row.w``). Formulas: ``shared/reference/survey.md`` §5.2 — category
mass ``f_k / Q``; total inertia ``(J − Q) / Q``; contributions ``100 · (f_k/Q) · G² / λ``;
squared distance ``1/f_k − 1`` and ``cos² = G² / d²``; **v-test**
``G · sqrt(N_k (N − 1) / (N − N_k))``; **η²** of a variable ``Σ_{k∈q} f_k G_k²``. Supplementary
variables are placed at the (rescaled) barycentre of their respondents. Axis signs follow
:mod:`movsc_toolkit.factorial`'s convention (numbers equal FactoMineR's up to the sign of each
axis). The indicator matrix is sparse, so large surveys stay fast.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError, MovscWarning
from .._format import format_number
from .._report import Report, result, titled_html
from ..factorial import CAResult, axis_labels, correspondence_analysis
from ._common import check_data, column_of, weight_values
from ._disjunctive import disjunctive_table, indicator_codes
from ._mca_plots import plot_categories, plot_respondents

if TYPE_CHECKING:
    import scipy.sparse as sp
    from matplotlib.axes import Axes

__all__ = ["MCAResult", "mca"]

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
        """Benzécri's modified rates (survey.md §5.2): a less pessimistic view of the axes.

        For ``λ > 1/Q``: ``λ' = (Q/(Q − 1) · (λ − 1/Q))²``; rate = ``λ' / Σλ'``. These rates
        are optimistic (they only count the axes above ``1/Q``): see :meth:`adjusted_inertia`
        for Greenacre's rates, which do not overstate them.
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
        """Category table (coordinates, contributions, cos², v-test) for the given axes."""
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
        """
        return plot_respondents(self, data, color_by, axes, ax)


def _numeric_correlations(
    data: pd.DataFrame, columns: list[str], F: np.ndarray, w: np.ndarray, names: list[str]
) -> pd.DataFrame:
    """Weighted correlation of each numeric variable with each axis (FactoMineR quanti.sup)."""
    rows = []
    for column in columns:
        values = pd.to_numeric(column_of(data, column), errors="coerce").to_numpy(dtype=float)
        bad = data[column].notna().to_numpy() & np.isnan(values)
        if bad.any():
            raise DataError(
                f"la variable supplémentaire « {column} » n'est pas numérique (par exemple "
                f"« {data[column][bad].iloc[0]} »).",
                column=column,
                hint="donnez-la dans sup_columns (variable qualitative) plutôt que sup_numeric.",
            )
        ok = ~np.isnan(values)
        x, f, ww = values[ok], F[ok], w[ok] / w[ok].sum()
        xc = x - ww @ x
        fc = f - ww @ f
        sx = np.sqrt(ww @ xc**2)
        if sx == 0:
            raise DataError(
                f"la variable « {column} » a la même valeur pour tout le monde.",
                column=column,
            )
        rows.append((ww @ (xc[:, None] * fc)) / (sx * np.sqrt(ww @ fc**2)))
    return pd.DataFrame(rows, index=pd.Index(columns, name="Variable"), columns=names)


#: Above this many categories, a variable is most likely free text or needs grouping.
MAX_CATEGORIES = 20


def _warn_many_categories(labels: list[tuple[str, object]], keep: np.ndarray) -> None:
    counts: dict[str, int] = {}
    for variable, _ in labels:
        counts[variable] = counts.get(variable, 0) + 1
    for variable, k in counts.items():
        if k > MAX_CATEGORIES:
            warnings.warn(
                f"la variable « {variable} » a {k} modalités pour {int(keep.sum())} "
                "répondants : c'est sans doute une réponse ouverte (texte libre) ou une "
                "question à regrouper. Chaque modalité rare pèse lourd dans une ACM et la carte "
                "devient illisible.\nQue faire : retirez-la des variables actives, ou regroupez "
                "ses modalités en quelques catégories (par exemple avec un dictionnaire et "
                ".map()) ; une réponse ouverte s'analyse avec la lexicométrie.",
                MovscWarning,
                stacklevel=3,
            )


def mca(
    data: pd.DataFrame,
    columns: Sequence[str],
    n_components: int = 5,
    *,
    weights: str | Sequence[float] | None = None,
    sup_columns: Sequence[str] | None = None,
    dropna: bool = True,
    sup_numeric: Sequence[str] | None = None,
) -> MCAResult:
    """Analyse des correspondances multiples (ACM) of categorical survey variables.

    Parameters
    ----------
    data
        The responses, one row per respondent.
    columns
        Active variables (they build the axes); at least two, each with two categories.
    n_components
        Number of axes kept in the tables (5 as FactoMineR).
    weights
        Survey weights (column name or one weight per row), FactoMineR's ``row.w``.
    sup_columns
        Supplementary (illustrative) categorical variables: placed on the map, not used to
        build the axes. Their missing answers form a ``Non-réponse`` category.
    sup_numeric
        Supplementary numeric variables (age, number of visits…): their correlation with
        each axis (computed on the respondents who have a value).
    dropna
        ``True`` (default): respondents with a missing answer on an active variable are left
        out (the count is reported in ``n_excluded``). ``False``: a missing answer becomes a
        ``Non-réponse`` category of the variable (FactoMineR's default ``var.NA``), as in
        :func:`~movsc_toolkit.survey.crosstab`.

    Returns
    -------
    MCAResult

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> acm = survey.mca(reponses, ["tranche_age", "situation", "foyer", "frequence"])
    >>> acm.n_individuals, acm.n_interpretable, round(float(acm.eigenvalues.iloc[0, 0]), 4)
    (500, 7, 0.6077)

    References
    ----------
    Le Roux & Rouanet (2010), *Multiple Correspondence Analysis*, Sage; Greenacre (2007),
    ch. 19 for the adjusted inertia. Same eigenvalues, coordinates, contributions, cos², v-tests
    and η² as R ``FactoMineR::MCA`` (``tests/survey/test_mca.py::test_factominer_golden_values``,
    ``::test_factominer_row_weights``, ``::test_supplementary_numeric_variable``).
    """
    data = check_data(data)
    columns = [columns] if isinstance(columns, str) else list(columns)
    sup_columns = (
        []
        if sup_columns is None
        else ([sup_columns] if isinstance(sup_columns, str) else list(sup_columns))
    )
    if len(columns) < 2:
        raise DataError(
            "une ACM demande au moins deux variables actives.",
            hint="pour une seule variable, utilisez freq() ; pour deux, crosstab() et chi2_test().",
        )
    sup_numeric = (
        []
        if sup_numeric is None
        else ([sup_numeric] if isinstance(sup_numeric, str) else list(sup_numeric))
    )
    both = set(columns) & set([*sup_columns, *sup_numeric])
    if both:
        raise DataError(
            f"la variable « {sorted(both)[0]} » est à la fois active et supplémentaire.",
            hint="une variable est soit active, soit supplémentaire.",
        )
    every = [*columns, *sup_columns, *sup_numeric]
    repeated = sorted({c for c in every if every.count(c) > 1})
    if repeated:
        raise DataError(
            f"la variable « {repeated[0]} » est donnée deux fois.",
            hint="chaque variable ne doit apparaître qu'une fois.",
        )
    stored = data.attrs.get("labels") or {}
    w_all = weight_values(data, weights)
    encoded, keep = indicator_codes(data, columns, not dropna)
    n_excluded = int((~keep).sum())
    if not keep.any():
        raise DataError(
            "aucun répondant n'a répondu à toutes les variables actives.",
            hint="utilisez dropna=False ou choisissez d'autres variables.",
        )
    Z, labels = disjunctive_table(encoded, keep)
    for column in columns:
        k = sum(1 for var, _ in labels if var == column)
        if k < 2:
            raise DataError(
                f"la variable « {column} » n'a qu'une seule modalité parmi les répondants "
                "analysés : elle ne peut pas être active.",
                column=column,
                hint="retirez-la des variables actives (ou regroupez d'autres modalités).",
            )
    _warn_many_categories(labels, keep)
    w = np.ones(int(keep.sum())) if w_all is None else w_all[keep]
    if w.sum() <= 0:
        raise DataError("la somme des poids des répondants analysés est nulle.")

    sup_matrix: sp.csr_matrix | None = None
    sup_labels: list[tuple[str, object]] = []
    if sup_columns:
        sup_encoded, _ = indicator_codes(data, sup_columns, True)
        sup_matrix, sup_labels = disjunctive_table(sup_encoded, keep)

    ca = correspondence_analysis(
        Z,
        n_components=n_components,
        row_weights=w,
        sup_columns=sup_matrix,
        row_labels=list(data.index[keep]),
        column_labels=list(range(len(labels))),
    )
    index = pd.MultiIndex.from_tuples(labels, names=["Variable", "Modalité"])
    n_total = float(w.sum())
    counts = np.asarray(Z.T @ w).ravel()
    f = counts / n_total
    G = ca.column_coordinates.to_numpy()
    names = axis_labels(G.shape[1])

    def frame(values: np.ndarray, idx: pd.Index = index) -> pd.DataFrame:
        return pd.DataFrame(values, index=idx, columns=names)

    vscale = np.sqrt(counts * (n_total - 1) / (n_total - counts))
    variables = [var for var, _ in labels]
    eta2 = (
        pd.DataFrame(f[:, None] * G**2, index=variables, columns=names)
        .groupby(level=0, sort=False)
        .sum()
    )
    eta2.index.name = "Variable"

    sup = {}
    if sup_matrix is not None and ca.sup_column_coordinates is not None:
        sidx = pd.MultiIndex.from_tuples(sup_labels, names=["Variable", "Modalité"])
        scounts = np.asarray(sup_matrix.T @ w).ravel()
        Gs = ca.sup_column_coordinates.to_numpy()
        sscale = np.sqrt(scounts * (n_total - 1) / np.maximum(n_total - scounts, 1e-300))
        seta = (
            pd.DataFrame(
                (scounts / n_total)[:, None] * Gs**2,
                index=[v for v, _ in sup_labels],
                columns=names,
            )
            .groupby(level=0, sort=False)
            .sum()
        )
        seta.index.name = "Variable"
        sup = {
            "sup_column_coordinates": frame(Gs, sidx),
            "sup_column_cos2": frame(np.asarray(ca.sup_column_cos2), sidx),
            "sup_column_vtest": frame(Gs * sscale[:, None], sidx),
            "sup_eta2": seta,
        }
    if sup_numeric:
        sup["sup_numeric"] = _numeric_correlations(
            data.loc[keep], list(sup_numeric), ca.row_coordinates.to_numpy(), w, names
        )
    return MCAResult(
        eigenvalues=ca.eigenvalues,
        column_coordinates=frame(G),
        column_contributions=frame(ca.column_contributions.to_numpy()),
        column_cos2=frame(ca.column_cos2.to_numpy()),
        column_vtest=frame(G * vscale[:, None]),
        eta2=eta2,
        row_coordinates=ca.row_coordinates,
        row_contributions=ca.row_contributions,
        row_cos2=ca.row_cos2,
        column_masses=pd.Series(f, index=index, name="Fréquence"),
        columns=tuple(columns),
        n_individuals=int(keep.sum()),
        n_excluded=n_excluded,
        ca=ca,
        sup_columns=tuple(sup_columns),
        variable_labels={c: str(stored[c]) for c in [*columns, *sup_columns] if stored.get(c)},
        **sup,
    )
