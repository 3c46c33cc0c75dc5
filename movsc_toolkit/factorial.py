"""Correspondence analysis (CA) core shared by ``survey.mca`` and ``lexico.ca``.

The analysis follows FactoMineR's ``CA`` (Lebart, Morineau & Piron; Greenacre): the table is
turned into a correspondence matrix ``P = N / n`` (rows first multiplied by ``row_weights`` when
given, as FactoMineR's ``row.w``), with row masses ``r`` and column masses ``c``; the
standardized residual matrix

    S = D_r^{-1/2} (P - r cᵀ) D_c^{-1/2}

is decomposed as ``S = U Σ Vᵀ``. Eigenvalues are ``λ = σ²``; principal coordinates are
``F = D_r^{-1/2} U Σ`` (rows) and ``G = D_c^{-1/2} V Σ`` (columns), as FactoMineR prints them.
Contributions (in %) are ``100 · mass · coord² / λ``; squared distances to the centroid are the
χ² distances ``d²_i = Σ_j (p_ij / r_i − c_j)² / c_j``, and ``cos² = coord² / d²``.
Supplementary rows (columns) are projected with the transition formula: a profile ``a`` gets
coordinates ``aᵀ G / √λ`` (``bᵀ F / √λ`` for a column profile ``b``).
Reference: FactoMineR 2.7 ``CA`` (R 4.2.2), whose values ``tests/core/test_factorial.py::
test_factominer_golden_values`` checks.

**Sign convention.** The sign of an axis is arbitrary in any SVD. Here it is fixed: on each
axis the column with the largest absolute principal coordinate (rounded to 9 decimals, the
first such column in table order on ties) gets a positive coordinate. Results therefore match
FactoMineR up to the sign of each axis, and never change from run to run.

**Computation.** Dense tables use a thin SVD of ``S``. Sparse tables (``scipy.sparse``) are
never densified: the eigen-decomposition of the smaller cross product (``SᵀS`` or ``SSᵀ``) is
computed from sparse products when the smaller side has at most 1,000 categories (or when more
than 100 axes are asked for); beyond, ``scipy.sparse.linalg.svds`` computes only the first
``n_components`` axes (deterministic start vector): the eigenvalue table then lists those axes
only, while the total inertia (hence the ``% d'inertie``) still comes from the whole table.

Example
-------
>>> import numpy as np
>>> from movsc_toolkit.factorial import correspondence_analysis
>>> res = correspondence_analysis(np.array([[20, 15, 10], [12, 18, 20], [8, 10, 25]]))
>>> res.eigenvalues.round(4)  # doctest: +NORMALIZE_WHITESPACE
       Valeur propre  % d'inertie  % cumulé
Axe 1         0.0944      92.0227    92.0227
Axe 2         0.0082       7.9773   100.0000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._errors import DataError
from ._format import format_number
from ._report import Report, result, titled_html

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["CAResult", "axis_labels", "correspondence_analysis"]

_GRAM_LIMIT = 1000  # above this on the smaller side, use an iterative truncated SVD…
_ITERATIVE_MAX_AXES = 100  # …when at most this many axes are asked for


def axis_labels(k: int) -> list[str]:
    """French axis labels ``['Axe 1', 'Axe 2', …]``.

    Parameters
    ----------
    k
        Number of axes.

    Returns
    -------
    list of str
        The labels of the axes.

    Examples
    --------
    >>> axis_labels(3)
    ['Axe 1', 'Axe 2', 'Axe 3']
    """
    return [f"Axe {s + 1}" for s in range(k)]


@result
class CAResult(Report):
    """Result of :func:`correspondence_analysis`.

    Every table is a DataFrame indexed by the row (or column) labels with one column per axis
    (``Axe 1``, ``Axe 2``, …) for the retained ``n_components`` axes.

    Attributes
    ----------
    eigenvalues
        One row per non-trivial axis (all of them, not only the retained ones), columns
        ``Valeur propre``, ``% d'inertie``, ``% cumulé``.
    total_inertia
        Total inertia ``φ² = χ² / n`` of the (weighted) table.
    row_coordinates, column_coordinates
        Principal coordinates.
    row_contributions, column_contributions
        Contributions to each axis, in % (each column sums to 100).
    row_cos2, column_cos2
        Squared cosines (quality of representation) on each axis.
    row_masses, column_masses
        Masses (row and column margins of ``P``, each summing to 1).
    row_distances, column_distances
        Squared χ² distances to the centroid (inertia of the element = mass × distance).
    sup_row_coordinates, sup_row_cos2, sup_column_coordinates, sup_column_cos2
        Coordinates and cos² of the supplementary rows / columns (``None`` when there are none).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame([[20, 15, 10], [12, 18, 20], [8, 10, 25]],
    ...                      index=["x", "y", "z"], columns=["u", "v", "w"])
    >>> print(correspondence_analysis(table))
    Analyse des correspondances : 3 lignes × 3 colonnes, 2 axes retenus, inertie totale 0,1026.
    Part de l'inertie : axe 1 : 92,0 % ; axe 2 : 8,0 %.
    """

    eigenvalues: pd.DataFrame
    total_inertia: float
    row_coordinates: pd.DataFrame
    column_coordinates: pd.DataFrame
    row_contributions: pd.DataFrame
    column_contributions: pd.DataFrame
    row_cos2: pd.DataFrame
    column_cos2: pd.DataFrame
    row_masses: pd.Series
    column_masses: pd.Series
    row_distances: pd.Series
    column_distances: pd.Series
    sup_row_coordinates: pd.DataFrame | None = None
    sup_row_cos2: pd.DataFrame | None = None
    sup_column_coordinates: pd.DataFrame | None = None
    sup_column_cos2: pd.DataFrame | None = None

    @property
    def n_components(self) -> int:
        """Number of retained axes."""
        return self.row_coordinates.shape[1]

    def _lines(self) -> list[str]:
        shares = self.eigenvalues["% d'inertie"].to_numpy()[: self.n_components]
        first = " ; ".join(
            f"axe {k + 1} : {format_number(share, 1)} %" for k, share in enumerate(shares[:2])
        )
        return [
            f"Analyse des correspondances : {len(self.row_masses)} lignes × "
            f"{len(self.column_masses)} colonnes, {self.n_components} axes retenus, inertie "
            f"totale {format_number(self.total_inertia, 4)}.",
            f"Part de l'inertie : {first}.",
        ]

    def _html_tables(self) -> str:
        return titled_html(self.eigenvalues, "Valeurs propres", 4)

    def to_frame(self) -> pd.DataFrame:
        """The eigenvalues table (``Valeur propre``, ``% d'inertie``, ``% cumulé``), exact.

        Examples
        --------
        >>> import pandas as pd
        >>> table = pd.DataFrame([[20, 15, 10], [12, 18, 20], [8, 10, 25]],
        ...                      index=["x", "y", "z"], columns=["u", "v", "w"])
        >>> res = correspondence_analysis(table)
        >>> res.to_frame().shape
        (2, 3)
        """
        return self.eigenvalues

    @property
    def values(self) -> np.ndarray:
        """Eigenvalues of the retained axes, as a numpy array."""
        return self.eigenvalues["Valeur propre"].to_numpy()[: self.n_components]

    def project_rows(self, table: object, labels: Sequence[object] | None = None) -> pd.DataFrame:
        """Coordinates of supplementary rows (same columns as the active table).

        Each row is turned into its profile (divided by its sum) then projected with the
        transition formula ``aᵀ G / √λ``.

        Examples
        --------
        >>> import pandas as pd
        >>> table = pd.DataFrame([[20, 15, 10], [12, 18, 20], [8, 10, 25]],
        ...                      index=["x", "y", "z"], columns=["u", "v", "w"])
        >>> res = correspondence_analysis(table)
        >>> res.project_rows(table.loc[["x"]]).round(4)  # an active row lands on itself
            Axe 1   Axe 2
        x  0.3985 -0.0561
        """
        rows = _as_matrix(table, "lignes supplémentaires")
        if rows.shape[1] != len(self.column_masses):
            raise DataError(
                f"les lignes supplémentaires ont {rows.shape[1]} colonnes au lieu de "
                f"{len(self.column_masses)}.",
                hint="donnez les mêmes colonnes, dans le même ordre, que le tableau analysé.",
            )
        coords, _ = _project(rows, self.column_coordinates.to_numpy(), self.values, None)
        return _frame(coords, _labels(table, labels, 0, rows.shape[0]))

    def project_columns(
        self, table: object, labels: Sequence[object] | None = None
    ) -> pd.DataFrame:
        """Coordinates of supplementary columns (same rows as the active table, unweighted).

        Note: :func:`correspondence_analysis` multiplies supplementary columns by the row
        weights before projecting them; pass already weighted counts here.

        Examples
        --------
        >>> import pandas as pd
        >>> table = pd.DataFrame([[20, 15, 10], [12, 18, 20], [8, 10, 25]],
        ...                      index=["x", "y", "z"], columns=["u", "v", "w"])
        >>> res = correspondence_analysis(table)
        >>> res.project_columns(table[["u"]]).round(4)
            Axe 1   Axe 2
        u  0.3676 -0.0914
        """
        cols = _as_matrix(table, "colonnes supplémentaires")
        if cols.shape[0] != len(self.row_masses):
            raise DataError(
                f"les colonnes supplémentaires ont {cols.shape[0]} lignes au lieu de "
                f"{len(self.row_masses)}.",
                hint="donnez les mêmes lignes, dans le même ordre, que le tableau analysé.",
            )
        coords, _ = _project(cols.T, self.row_coordinates.to_numpy(), self.values, None)
        return _frame(coords, _labels(table, labels, 1, cols.shape[1]))


def correspondence_analysis(
    table: object,
    n_components: int | None = None,
    row_weights: Sequence[float] | np.ndarray | None = None,
    sup_rows: object = None,
    sup_columns: object = None,
    *,
    row_labels: Sequence[object] | None = None,
    column_labels: Sequence[object] | None = None,
) -> CAResult:
    """Correspondence analysis of a nonnegative table (FactoMineR ``CA`` numbers).

    Parameters
    ----------
    table
        Nonnegative counts: a DataFrame (its index and columns give the labels), a numpy
        array or a ``scipy.sparse`` matrix. Every row and every column must have a positive sum.
    n_components
        Number of axes kept in the coordinate tables (default: all non-trivial axes).
    row_weights
        Optional weight of each row (FactoMineR ``row.w``): the rows are multiplied by it before
        the analysis (survey weights in an ACM).
    sup_rows
        Supplementary rows (same columns), projected but not used to build the axes.
    sup_columns
        Supplementary columns (same rows), multiplied by ``row_weights`` then projected.
    row_labels, column_labels
        Labels used when ``table`` is not a DataFrame (default ``0, 1, …``).

    Returns
    -------
    CAResult

    Raises
    ------
    DataError
        Negative or missing values, an empty row or column, fewer than two rows or columns,
        a table with no association at all (zero inertia).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame([[20, 15, 10], [12, 18, 20], [8, 10, 25]],
    ...                      index=["x", "y", "z"], columns=["u", "v", "w"])
    >>> res = correspondence_analysis(table)
    >>> round(res.total_inertia, 5)
    0.10262
    >>> res.row_coordinates.round(4)
        Axe 1   Axe 2
    x  0.3985 -0.0561
    y -0.0430  0.1194
    z -0.3670 -0.0801

    References
    ----------
    Benzécri (1973), *L'analyse des données*, t. 2; Greenacre (2007), *Correspondence Analysis
    in Practice*, 2nd ed. Same numbers as R ``FactoMineR::CA`` (and by hand:
    ``tests/core/test_factorial.py::test_hand_computation_3x3``,
    ``::test_total_inertia_is_chi2_over_n``, ``::test_supplementary_rows_and_columns``;
    through the ACM, ``tests/survey/test_mca.py::test_factominer_golden_values``).
    """
    import scipy.sparse as sp

    matrix = _as_matrix(table, "tableau")
    n_rows, n_cols = matrix.shape
    if n_rows < 2 or n_cols < 2:
        raise DataError(
            f"le tableau a {n_rows} ligne(s) et {n_cols} colonne(s) : il en faut au moins deux "
            "de chaque pour une analyse des correspondances.",
            hint="vérifiez les variables choisies (une variable à une seule modalité ne "
            "s'analyse pas).",
        )
    rlabels = _labels(table, row_labels, 0, n_rows)
    clabels = _labels(table, column_labels, 1, n_cols)

    if row_weights is not None:
        w = _check_weights(row_weights, n_rows)
        matrix = sp.diags(w) @ matrix if sp.issparse(matrix) else matrix * w[:, None]
    else:
        w = None

    total = float(matrix.sum())
    row_sums = np.asarray(matrix.sum(axis=1)).ravel()
    col_sums = np.asarray(matrix.sum(axis=0)).ravel()
    for sums, labels, what in ((row_sums, rlabels, "ligne"), (col_sums, clabels, "colonne")):
        empty = np.flatnonzero(sums <= 0)
        if empty.size:
            shown = ", ".join(f"« {labels[i]} »" for i in empty[:5])
            raise DataError(
                f"{empty.size} {what}(s) du tableau ont une somme nulle ({shown}).",
                hint=f"retirez les {what}s vides avant l'analyse des correspondances.",
            )
    r = row_sums / total
    c = col_sums / total
    P = matrix / total

    total_inertia = _total_inertia(P, r, c)
    if total_inertia <= 1e-14:
        raise DataError(
            "le tableau n'a aucune inertie : toutes les lignes ont le même profil.",
            hint="il n'y a pas d'association à décrire entre ces lignes et ces colonnes.",
        )
    max_rank = min(n_rows, n_cols) - 1
    k_wanted = max_rank if n_components is None else int(n_components)
    if k_wanted < 1:
        raise DataError(
            f"n_components doit être au moins 1 (reçu : {n_components}).",
            hint="demandez par exemple n_components=2.",
        )
    sigma, U, V = _svd(P, r, c, min(k_wanted, max_rank))
    eig = sigma**2
    eig = eig[eig > 1e-12 * max(total_inertia, 1.0)]  # sorted: the trivial axes come last
    sigma = sigma[: eig.size]
    k = min(k_wanted, eig.size)
    U, V = U[:, :k], V[:, :k]

    F = U[:, :k] * sigma[:k] / np.sqrt(r)[:, None]
    G = V[:, :k] * sigma[:k] / np.sqrt(c)[:, None]
    # Deterministic signs: the column with the largest |coordinate| is positive on each axis.
    pivot = np.argmax(np.round(np.abs(G), 9), axis=0)
    signs = np.where(G[pivot, np.arange(k)] < 0, -1.0, 1.0)
    F *= signs
    G *= signs

    row_d2 = _sq_distances(P, r, c)
    col_d2 = _sq_distances(P.T.tocsr() if sp.issparse(P) else P.T, c, r)  # type: ignore[union-attr]
    eigk = eig[:k]
    names = axis_labels(k)

    percent = 100 * eig / total_inertia
    eigen_table = pd.DataFrame(
        {
            "Valeur propre": eig,
            "% d'inertie": percent,
            "% cumulé": np.cumsum(percent),
        },
        index=axis_labels(eig.size),
    )

    sup_row_coords = sup_row_cos2 = sup_col_coords = sup_column_cos2 = None
    if sup_rows is not None:
        extra = _as_matrix(sup_rows, "lignes supplémentaires")
        if extra.shape[1] != n_cols:
            raise DataError(
                f"les lignes supplémentaires ont {extra.shape[1]} colonnes au lieu de {n_cols}.",
                hint="donnez les mêmes colonnes, dans le même ordre, que le tableau analysé.",
            )
        coords, d2 = _project(extra, G, eigk, c)
        labels = _labels(sup_rows, None, 0, extra.shape[0])
        sup_row_coords = _frame(coords, labels)
        sup_row_cos2 = _frame(coords**2 / d2[:, None], labels)
    if sup_columns is not None:
        extra = _as_matrix(sup_columns, "colonnes supplémentaires")
        if extra.shape[0] != n_rows:
            raise DataError(
                f"les colonnes supplémentaires ont {extra.shape[0]} lignes au lieu de {n_rows}.",
                hint="donnez les mêmes lignes, dans le même ordre, que le tableau analysé.",
            )
        if w is not None:
            extra = sp.diags(w) @ extra if sp.issparse(extra) else extra * w[:, None]
        coords, d2 = _project(extra.T, F, eigk, r)
        labels = _labels(sup_columns, None, 1, extra.shape[1])
        sup_col_coords = _frame(coords, labels)
        sup_column_cos2 = _frame(coords**2 / d2[:, None], labels)

    with np.errstate(divide="ignore", invalid="ignore"):
        row_cos2 = np.where(row_d2[:, None] > 0, F**2 / row_d2[:, None], 0.0)
        column_cos2 = np.where(col_d2[:, None] > 0, G**2 / col_d2[:, None], 0.0)
    return CAResult(
        eigenvalues=eigen_table,
        total_inertia=total_inertia,
        row_coordinates=_frame(F, rlabels, names),
        column_coordinates=_frame(G, clabels, names),
        row_contributions=_frame(100 * r[:, None] * F**2 / eigk, rlabels, names),
        column_contributions=_frame(100 * c[:, None] * G**2 / eigk, clabels, names),
        row_cos2=_frame(row_cos2, rlabels, names),
        column_cos2=_frame(column_cos2, clabels, names),
        row_masses=pd.Series(r, index=rlabels, name="Masse"),
        column_masses=pd.Series(c, index=clabels, name="Masse"),
        row_distances=pd.Series(row_d2, index=rlabels, name="Distance²"),
        column_distances=pd.Series(col_d2, index=clabels, name="Distance²"),
        sup_row_coordinates=sup_row_coords,
        sup_row_cos2=sup_row_cos2,
        sup_column_coordinates=sup_col_coords,
        sup_column_cos2=sup_column_cos2,
    )


# --------------------------------------------------------------------------- helpers


def _as_matrix(table: object, what: str) -> np.ndarray | sp.csr_matrix:
    """Validate and convert to a float numpy array or CSR matrix."""
    import scipy.sparse as sp

    if sp.issparse(table):
        matrix = sp.csr_matrix(table, dtype=float)
        values = matrix.data
    else:
        try:
            matrix = np.asarray(
                table.to_numpy(dtype=float) if hasattr(table, "to_numpy") else table,
                dtype=float,
            )
        except (TypeError, ValueError) as exc:
            raise DataError(
                f"le {what} contient des valeurs non numériques.",
                hint="l'analyse des correspondances porte sur des effectifs (nombres ≥ 0).",
            ) from exc
        if matrix.ndim != 2:
            raise DataError(
                f"le {what} doit avoir deux dimensions (reçu : {matrix.ndim}).",
                hint="donnez un tableau croisé (lignes × colonnes).",
            )
        values = matrix
    if values.size and np.isnan(values).any():
        raise DataError(
            f"le {what} contient des valeurs manquantes.",
            hint="remplacez les cases vides par 0 (effectif nul) avant l'analyse.",
        )
    if values.size and (values < 0).any():
        raise DataError(
            f"le {what} contient des valeurs négatives.",
            hint="l'analyse des correspondances porte sur des effectifs (nombres ≥ 0).",
        )
    return matrix


def _labels(table: object, given: Sequence[object] | None, axis: int, size: int) -> list[object]:
    if given is not None:
        labels = list(given)
        if len(labels) != size:
            raise DataError(
                f"{len(labels)} étiquettes données pour {size} éléments.",
                hint="donnez exactement une étiquette par ligne (ou par colonne).",
            )
        return labels
    if isinstance(table, pd.DataFrame):
        return list(table.index if axis == 0 else table.columns)
    return list(range(size))


def _check_weights(weights: Sequence[float] | np.ndarray, n: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float).ravel()
    if w.size != n:
        raise DataError(
            f"{w.size} poids donnés pour {n} lignes.",
            hint="donnez exactement un poids par ligne du tableau.",
        )
    if np.isnan(w).any() or (w < 0).any():
        raise DataError(
            "les poids contiennent des valeurs manquantes ou négatives.",
            hint="les poids doivent être des nombres positifs ou nuls, sans case vide.",
        )
    return w


def _frame(values: np.ndarray, index: list[object], columns: list[str] | None = None):
    if columns is None:
        columns = axis_labels(values.shape[1])
    return pd.DataFrame(values, index=pd.Index(index), columns=columns)


def _total_inertia(P, r: np.ndarray, c: np.ndarray) -> float:
    """φ² = Σ p_ij² / (r_i c_j) − 1."""
    import scipy.sparse as sp

    if sp.issparse(P):
        coo = P.tocoo()
        s = float(np.sum(coo.data**2 / (r[coo.row] * c[coo.col])))
    else:
        s = float(np.sum(P**2 / np.outer(r, c)))
    return max(s - 1.0, 0.0)


def _sq_distances(P, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Squared χ² distance of each row profile to the centroid: Σ_j p_ij²/(r_i² c_j) − 1."""
    import scipy.sparse as sp

    sq = P.multiply(P) @ (1.0 / c) if sp.issparse(P) else (P**2) @ (1.0 / c)
    return np.maximum(np.asarray(sq).ravel() / r**2 - 1.0, 0.0)


def _project(counts, coords: np.ndarray, eig: np.ndarray, masses: np.ndarray | None):
    """Transition formula: profiles @ coords / √λ, and squared distances to the centroid."""
    import scipy.sparse as sp

    sums = np.asarray(counts.sum(axis=1)).ravel()
    if (sums <= 0).any():
        raise DataError(
            "un élément supplémentaire a une somme nulle.",
            hint="retirez les lignes ou colonnes supplémentaires vides.",
        )
    if sp.issparse(counts):
        profiles = sp.diags(1.0 / sums) @ counts
        projected = np.asarray(profiles @ coords)
    else:
        profiles = counts / sums[:, None]
        projected = profiles @ coords
    projected = projected / np.sqrt(eig)
    if masses is None:
        return projected, None
    if sp.issparse(profiles):
        d2 = np.asarray(profiles.multiply(profiles) @ (1.0 / masses)).ravel() - 1.0
    else:
        d2 = (profiles**2) @ (1.0 / masses) - 1.0
    return projected, np.maximum(d2, 1e-300)


def _svd(P, r: np.ndarray, c: np.ndarray, k: int):
    """Singular values of S = D_r^{-1/2}(P − r cᵀ)D_c^{-1/2} (largest first) and singular
    vectors (at least the first ``k``; all of them on the dense path)."""
    import scipy.sparse as sp
    from scipy.sparse.linalg import LinearOperator, svds

    isr, isc = 1.0 / np.sqrt(r), 1.0 / np.sqrt(c)
    n_rows, n_cols = P.shape
    if not sp.issparse(P):
        S = isr[:, None] * (P - np.outer(r, c)) * isc[None, :]
        U, sigma, Vt = np.linalg.svd(S, full_matrices=False)
        return sigma, U, Vt.T

    def s_matvec(x: np.ndarray) -> np.ndarray:  # S @ x (x: n_cols or n_cols × m)
        x2 = x.reshape(n_cols, -1)
        y = isc[:, None] * x2
        out = isr[:, None] * (P @ y - np.outer(r, c @ y))
        return out.reshape((n_rows, *x.shape[1:]))

    def st_matvec(x: np.ndarray) -> np.ndarray:  # Sᵀ @ x (x: n_rows or n_rows × m)
        x2 = x.reshape(n_rows, -1)
        y = isr[:, None] * x2
        out = isc[:, None] * (P.T @ y - np.outer(c, r @ y))
        return out.reshape((n_cols, *x.shape[1:]))

    if min(n_rows, n_cols) <= _GRAM_LIMIT or k > _ITERATIVE_MAX_AXES:
        if n_cols <= n_rows:
            # SᵀS = D_c^{-1/2} (Pᵀ D_r^{-1} P − c cᵀ) D_c^{-1/2}
            gram = (P.T @ sp.diags(1.0 / r) @ P).toarray() - np.outer(c, c)
            gram = isc[:, None] * gram * isc[None, :]
            vals, V = np.linalg.eigh((gram + gram.T) / 2)
            order = np.argsort(vals)[::-1]
            vals, V = np.clip(vals[order], 0, None), V[:, order]
            sigma = np.sqrt(vals)
            pos = sigma > 0
            # left vectors only for the k axes that are kept (the others cost memory and time)
            m = min(k, int(pos.sum()))
            U = s_matvec(V[:, :m]) / sigma[:m]
            return sigma, U, V[:, :m]
        sigma, V, U = _svd(P.T.tocsr(), c, r, k)
        return sigma, U, V

    operator = LinearOperator(
        (n_rows, n_cols),
        matvec=s_matvec,
        rmatvec=st_matvec,
        matmat=s_matvec,
        rmatmat=st_matvec,
        dtype=float,
    )
    k_svd = min(k, min(n_rows, n_cols) - 1)
    m = min(n_rows, n_cols)
    v0 = 1.0 + np.arange(m) / m  # deterministic start vector (svds wants length min(shape))
    U, sigma, Vt = svds(operator, k=k_svd, v0=v0 / np.linalg.norm(v0))
    order = np.argsort(sigma)[::-1]
    return sigma[order], U[:, order], Vt[order].T
