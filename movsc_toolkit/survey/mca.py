"""Analyse des correspondances multiples (ACM), FactoMineR ``MCA`` conventions.

The ACM is the correspondence analysis (:mod:`movsc_toolkit.factorial`) of the complete
disjunctive table (one 0/1 column per category of each active variable), with survey weights
as row weights (FactoMineR ``row.w``). Formulas: FactoMineR ``MCA`` (``R/MCA.R``) — category
mass ``f_k / Q``; total inertia ``(J − Q) / Q``; contributions ``100 · (f_k/Q) · G² / λ``;
squared distance ``1/f_k − 1`` and ``cos² = G² / d²``; **v-test**
``G · sqrt(N_k (N − 1) / (N − N_k))``; **η²** of a variable ``Σ_{k∈q} f_k G_k²``. Supplementary
variables are placed at the (rescaled) barycentre of their respondents. Axis signs follow
:mod:`movsc_toolkit.factorial`'s convention (numbers equal FactoMineR's up to the sign of each
axis). The indicator matrix is sparse, so large surveys stay fast.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError, MovscWarning
from ..factorial import axis_labels, correspondence_analysis
from ._common import check_data, column_of, weight_values
from ._disjunctive import disjunctive_table, indicator_codes
from .mca_result import MCAResult

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["mca"]


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
