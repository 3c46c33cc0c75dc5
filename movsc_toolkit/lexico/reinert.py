"""Reinert descending hierarchical classification (CHD), as IRaMuTeQ runs it.

The algorithm follows IRaMuTeQ's ``CHD.R`` / ``chdtxt.R`` step by step, as described in
``shared/reference/lexicometry.md`` §5 (own description, no GPL code copied):

1. entry pruning: all-zero columns dropped, all-zero rows get class 0 (§5.2);
2. for each of the ``n_splits`` bipartitions of the current (largest) class:

   * first correspondence-analysis axis of the binary table, row scores
     ``x_i = σ₂ · u₂ᵢ · √(N / r_i)`` (§5.4);
   * best cut along the sorted scores, first maximum of the 2 × p χ², assignment by score
     threshold (§5.5), computed with the incremental χ² of §5.11 in O(nnz);
   * sequential first-improvement reallocation passes (§5.6 C), each tentative move costing
     O(nnz of the row) thanks to the incremental χ²;
   * word elimination for the two children (§5.6 D), choice of the next class (largest, ties
     in character order) and of its table (§5.6 E);

3. terminal classes by IRaMuTeQ's ``find.terminales`` / ``make.classes`` with the minimum class
   size ``mincl`` (§5.7), class profiles (§5.9) and the double classification on RST units
   (§5.8).

Determinism (§5.10): the CA axis comes from an exact dense eigen-decomposition for small tables and from a
Lanczos eigen-solver started from a fixed vector for large ones; its sign is fixed so that the
row with the largest absolute score is positive. IRaMuTeQ's own labels may therefore be
swapped (2i ↔ 2i+1) with respect to ours on the same data: compare partitions, not labels.

Agreement: ``tests/lexico/test_reinert.py`` checks the partitions of all 9 bipartitions against
IRaMuTeQ's own ``CHD.R`` run in R (golden files in ``tests/data``); on a 7,000 × 5,000
synthetic table the partitions were identical at every level (R with irlba: 167 s; here:
3 s). ``find.terminales`` and the crossing of the double classification were compared with
the R functions on several hundred cases, with identical results.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigsh

from .._errors import ComputationError, DataError
from .._format import format_number, format_percent, frame_html
from .._io import gc_paused

__all__ = ["ReinertResult", "reinert", "reinert_double"]

# Relative tolerance under which two χ² values are considered equal (ties of exact arithmetic
# that floating-point rounding would otherwise break at random).
_REL_TOL = 1e-12
# Tables whose smaller side is at most this size get an exact dense eigen-decomposition.
_DENSE_LIMIT = 300
# Columns of the segments table that are not metadata (Corpus.segment_matrix contract).
_NOT_METADATA = {"segment", "texte", "paragraphe", "contenu"}
# Rows of the table evaluated at once by the reallocation (_reallocate).
_WINDOW = 2048

try:  # the C loop behind ``csr_matrix @ vector``, called on preallocated arrays
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec
except ImportError:  # pragma: no cover - private scipy module; fall back on the public API
    _csr_matvec = None


def _matvec_rows(
    indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, x: np.ndarray, out: np.ndarray
) -> np.ndarray:
    """``out[i] = Σ_k data[k] x[indices[k]]`` over ``indptr[i] ≤ k < indptr[i+1]``, summed in
    index order from 0 (as ``csr_matrix @ x``; ``indptr`` may be a slice of a larger matrix's)."""
    out.fill(0.0)
    if _csr_matvec is not None:
        _csr_matvec(len(indptr) - 1, len(x), indptr, indices, data, x, out)
    else:  # pragma: no cover
        lo, hi = indptr[0], indptr[-1]
        block = sp.csr_matrix(
            (data[lo:hi], indices[lo:hi], indptr - lo), shape=(len(indptr) - 1, len(x))
        )
        out[:] = block @ x
    return out


@contextmanager
def _quiet_runtime() -> Iterator[None]:
    """One BLAS thread and no garbage-collector passes while the CHD runs.

    The Lanczos operator makes thousands of dot products of a few thousand terms: waking
    OpenBLAS threads for each costs more than the product (and on a busy machine much more);
    the loops allocate no cyclic garbage, so collector passes are pure overhead. Both are
    restored on exit, errors included.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"), gc_paused():
        yield


# ---------------------------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------------------------


def _binary_csr(data: Any, what: str) -> tuple[sp.csr_matrix, pd.Index | None, pd.Index | None]:
    """Return ``(binary csr, row labels, column labels)`` from a sparse/dense/DataFrame table."""
    rows = cols = None
    if isinstance(data, pd.DataFrame):
        rows, cols = data.index, data.columns.astype(str)
        try:
            values = data.to_numpy(dtype=float)
        except (TypeError, ValueError) as exc:
            raise DataError(
                f"le tableau {what} contient des valeurs non numériques.",
                hint="donnez un tableau de 0 et de 1 (présence / absence de chaque forme dans "
                "chaque segment), ou un objet Corpus.",
            ) from exc
        matrix = sp.csr_matrix(values)
    elif sp.issparse(data):
        matrix = sp.csr_matrix(data, dtype=float)
    elif isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise DataError(
                f"le tableau {what} doit avoir deux dimensions (segments × formes).",
                hint="donnez une matrice segments × formes.",
            )
        matrix = sp.csr_matrix(data.astype(float))
    else:
        raise DataError(
            f"type de données non reconnu pour le tableau {what} : {type(data).__name__}.",
            hint="donnez un Corpus, une matrice creuse scipy ou un DataFrame segments × formes.",
        )
    matrix.sum_duplicates()
    values = matrix.data
    if np.isnan(values).any() or (values < 0).any():
        raise DataError(
            f"le tableau {what} contient des valeurs manquantes ou négatives.",
            hint="chaque case doit valoir 0 (forme absente du segment) ou plus (présente).",
        )
    matrix.eliminate_zeros()
    matrix.data[:] = 1.0
    matrix.sort_indices()
    return matrix, rows, cols


def _metadata_matrix(metadata: pd.DataFrame) -> tuple[sp.csr_matrix, list[str]]:
    """Indicator matrix of the metadata modalities, named IRaMuTeQ-style ``*variable_modalite``."""
    blocks, names = [], []
    for column in metadata.columns:
        values = metadata[column]
        codes, uniques = pd.factorize(values, sort=True)
        present = codes >= 0
        block = sp.csr_matrix(
            (np.ones(present.sum()), (np.flatnonzero(present), codes[present])),
            shape=(len(metadata), len(uniques)),
        )
        blocks.append(block)
        names.extend(f"*{column}_{value}" for value in uniques)
    if not blocks:
        return sp.csr_matrix((len(metadata), 0)), []
    return sp.hstack(blocks, format="csr"), names


def _from_corpus(corpus: Any) -> dict[str, Any]:
    """Unpack a Corpus through its ``segment_matrix`` contract."""
    active, segments, terms = corpus.segment_matrix(kind="active")
    supp, _, supp_terms = corpus.segment_matrix(kind="supplementary")
    segments = pd.DataFrame(segments).reset_index(drop=True)
    meta_cols = [c for c in segments.columns if c not in _NOT_METADATA]
    return {
        "active": active,
        "terms": pd.Index(terms).astype(str),
        "supplementary": supp,
        "supplementary_terms": pd.Index(supp_terms).astype(str),
        "segments": segments,
        "metadata": segments[meta_cols] if meta_cols else None,
    }


def _cap_active(matrix: sp.csr_matrix, terms: pd.Index, max_active: int):
    """Keep at most ``max_active`` columns, the most frequent; columns tied at the cut are all
    dropped so that the choice never depends on the column order."""
    if matrix.shape[1] <= max_active:
        return matrix, terms
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    cut = np.sort(totals)[::-1][max_active - 1]
    keep = totals > cut
    if keep.sum() + (totals == cut).sum() <= max_active:
        keep |= totals == cut
    idx = np.flatnonzero(keep)
    return matrix[:, idx], terms[idx]


def _too_small(
    n_rows: int, n_splits: int, detail: str, done: int | None = None
) -> ComputationError:
    advice = (
        f"demandez au plus n_splits={done} bipartitions (actuellement {n_splits})"
        if done
        else f"demandez moins de bipartitions (n_splits, actuellement {n_splits})"
    )
    return ComputationError(
        f"le corpus est trop petit pour la classification demandée : {detail} "
        f"(le corpus a {n_rows} segment(s) contenant au moins une forme active).",
        hint=f"{advice}, gardez plus de formes actives (fréquence minimale plus basse), ou "
        "ajoutez des textes ; une classification de Reinert demande en pratique plusieurs "
        "centaines de segments.",
    )


# ---------------------------------------------------------------------------------------------
# The steps of one bipartition (§5.4–5.6)
# ---------------------------------------------------------------------------------------------


def _top_eigenpair(op: LinearOperator, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Largest eigenpair of a symmetric operator (Lanczos, fixed start vector, full precision).

    A slow convergence (nearly equal first eigenvalues) is retried with a larger Krylov space
    before giving up with a French error.
    """
    size = op.shape[0]
    for ncv in (None, min(size, 80)):
        try:
            return eigsh(op, k=1, which="LA", v0=start, tol=0, ncv=ncv, maxiter=20 * size)
        except ArpackNoConvergence:
            continue
    raise ComputationError(
        "le calcul du premier axe factoriel n'a pas convergé (deux axes presque équivalents).",
        hint="retirez les segments atypiques ou les formes très rares, ou demandez moins de "
        "bipartitions (n_splits).",
    )


def _first_axis(table: sp.csr_matrix) -> np.ndarray:
    """Row scores on the first CA axis, ``x_i = σ₂ u₂ᵢ √(N/r_i)`` (§5.4), sign fixed."""
    n, p = table.shape
    r = np.asarray(table.sum(axis=1)).ravel()
    c = np.asarray(table.sum(axis=0)).ravel()
    total = r.sum()
    sr, sc = np.sqrt(r), np.sqrt(c)
    a, b = sr / np.sqrt(total), sc / np.sqrt(total)  # trivial singular vectors (σ₁ = 1)
    if min(n, p) <= _DENSE_LIMIT and n * p <= 4_000_000:
        # Exact: symmetric eigen-decomposition of the small Gram matrix of the deflated table.
        z = table.toarray() / sr[:, None] / sc[None, :] - np.outer(a, b)
        if p <= n:
            values, vectors = np.linalg.eigh(z.T @ z)
            v = vectors[:, -1]
        else:
            values, vectors = np.linalg.eigh(z @ z.T)
            v = z.T @ vectors[:, -1]
            v /= np.linalg.norm(v)
        sigma2 = float(np.sqrt(max(values[-1], 0.0)))
    else:
        # Lanczos on the Gram matrix of the deflated (centred) table, smaller side, fixed start.
        # S y = (T (y / √c)) / √r − a (b·y) and Sᵀ z = (Tᵀ (z / √r)) / √c − b (a·z), computed
        # in preallocated vectors (Tᵀ as its own CSR matrix: same sums, in the same order, as
        # the CSC product ``table.T @``).
        tt = table.T.tocsr()
        in_p, out_n, tmp_n = np.empty(p), np.empty(n), np.empty(n)
        in_n, out_p, tmp_p = np.empty(n), np.empty(p), np.empty(p)

        def s_mul(y: np.ndarray) -> np.ndarray:
            np.divide(y, sc, out=in_p)
            _matvec_rows(table.indptr, table.indices, table.data, in_p, out_n)
            np.divide(out_n, sr, out=out_n)
            np.multiply(a, b @ y, out=tmp_n)
            return np.subtract(out_n, tmp_n, out=out_n)

        def st_mul(z_: np.ndarray) -> np.ndarray:
            np.divide(z_, sr, out=in_n)
            _matvec_rows(tt.indptr, tt.indices, tt.data, in_n, out_p)
            np.divide(out_p, sc, out=out_p)
            np.multiply(b, a @ z_, out=tmp_p)
            return np.subtract(out_p, tmp_p, out=out_p)

        start = np.random.default_rng(20240101).standard_normal(min(n, p))
        if p <= n:
            op = LinearOperator((p, p), matvec=lambda y: st_mul(s_mul(y)), dtype=float)
            values, vectors = _top_eigenpair(op, start)
            v = vectors[:, 0]
        else:
            op = LinearOperator((n, n), matvec=lambda y: s_mul(st_mul(y)), dtype=float)
            values, vectors = _top_eigenpair(op, start)
            v = st_mul(vectors[:, 0]).copy()
            v /= np.linalg.norm(v)
        sigma2 = float(np.sqrt(max(values[0], 0.0)))
    if not np.isfinite(sigma2) or sigma2 < 1e-12:
        return np.zeros(n)
    # Transition formula: x_i = √N / r_i · Σ_j T_ij v_j / √c_j  (= σ₂ u₂ᵢ √(N/r_i)); identical
    # rows get bit-identical scores, so ties at the cut behave as in exact arithmetic.
    x = np.sqrt(total) * (table @ (v / sc)) / r
    pivot = int(np.argmax(np.abs(x)))
    if x[pivot] < 0:
        x = -x
    return x


def _cut_chi2(table: sp.csr_matrix, order: np.ndarray) -> np.ndarray:
    """χ² of every cut k = 1 … n−1 of the rows sorted by ``order`` (incremental χ², §5.11).

    χ² = N (S₁/R₁ + S₂/R₂ − 1) with S_g = Σ_j n_gj² / c_j; adding a row with support J to
    group 1 adds Σ_{j∈J} (2 n_1j + 1) / c_j to S₁, where n_1j is the number of earlier rows
    (in sorted order) containing j — the rank of the non-zero within its column.
    """
    n = table.shape[0]
    c = np.asarray(table.sum(axis=0)).ravel()
    r = np.asarray(table.sum(axis=1)).ravel()[order]
    total = r.sum()
    csc = table[order].tocsc()
    csc.sort_indices()
    lengths = np.diff(csc.indptr)
    col_of = np.repeat(np.arange(table.shape[1]), lengths)
    rank = np.arange(csc.nnz) - np.repeat(csc.indptr[:-1], lengths)
    gain = np.bincount(csc.indices, weights=(2 * rank + 1) / c[col_of], minlength=n)
    s1 = np.cumsum(gain)[:-1]
    r1 = np.cumsum(r)[:-1]
    s2 = total - 2 * r1 + s1
    return total * (s1 / r1 + s2 / (total - r1) - 1)


def _first_max(values: np.ndarray) -> int:
    """Index of the first maximum, ties judged with a tiny relative tolerance."""
    best = values.max()
    return int(np.flatnonzero(values >= best - _REL_TOL * abs(best))[0])


def _best_cut(table: sp.csr_matrix, x: np.ndarray) -> tuple[np.ndarray, float]:
    """Group A (True) = rows whose score is at most the score of the best cut (§5.5)."""
    order = np.argsort(x, kind="stable")
    chi2 = _cut_chi2(table, order)
    k = _first_max(chi2)  # cut after k + 1 rows
    threshold = x[order[k]]
    return x <= threshold, float(chi2[k])


def _chi2_of(table: sp.csr_matrix, in_a: np.ndarray) -> float:
    """Pearson χ² of the 2 × p table of column sums of A and B (direct formula)."""
    c = np.asarray(table.sum(axis=0)).ravel()
    n1 = np.asarray(table[in_a].sum(axis=0)).ravel()
    n2 = c - n1
    total = c.sum()
    r1, r2 = n1.sum(), n2.sum()
    return float(total * ((n1**2 / c).sum() / r1 + (n2**2 / c).sum() / r2 - 1))


def _reallocate(table: sp.csr_matrix, in_a: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Sequential first-improvement reallocation (§5.6 C). Returns (groups, passes, moves).

    Rows are visited in table order and a row moves as soon as moving it alone raises the χ²;
    later rows see the new state. The gain of every row of a window of ``_WINDOW`` rows is
    computed at once from the current state; the first improving row is moved, and the next
    window starts just after it (the state has changed). Each quantity is computed with the
    same floating-point operations, in the same order, as a row-by-row loop would.
    """
    n = table.shape[0]
    indptr, indices, data = table.indptr, table.indices, table.data
    c = np.asarray(table.sum(axis=0)).ravel()
    sizes = np.diff(indptr)
    inv_c = 1.0 / c
    row_w = np.add.reduceat(inv_c[indices], indptr[:-1])  # Σ_{j∈row} 1/c_j
    twice_s = 2 * sizes
    group = in_a.copy()
    n1 = np.asarray(table[in_a].sum(axis=0)).ravel().astype(np.int64)
    twice = 2.0 * n1 * inv_c  # 2 n_1j / c_j, recomputed exactly on each change
    total = float(sizes.sum())
    size_a = int(in_a.sum())
    size_b = n - size_a
    s1_check, s2_check = size_a, size_b
    acc = np.empty(min(n, _WINDOW))
    moves, previous, iteration, total_moves = -1, None, 0, 0
    while moves != 0 and s1_check >= 5 and s2_check >= 5:
        iteration += 1
        s1_check, s2_check = size_a, size_b  # sizes before this pass's moves (one-pass lag)
        n1_arr = n1.astype(float)
        s_a = float((n1_arr**2 * inv_c).sum())
        s_b = float(((c - n1_arr) ** 2 * inv_c).sum())
        r_a = float(sizes[group].sum())
        r_b = total - r_a
        current = s_a / r_a + s_b / r_b - 1.0
        moved: list[int] = []
        pos = 0
        while pos < n:
            stop = min(n, pos + _WINDOW)
            window = slice(pos, stop)
            gain = _matvec_rows(indptr[pos : stop + 1], indices, data, twice, acc[: stop - pos])
            g, s, w, s2 = group[window], sizes[window], row_w[window], twice_s[window]
            # A → B: d = Σ (2 n_1j − 1) / c_j ; B → A: d = Σ (2 n_1j + 1) / c_j
            d = np.where(g, gain - w, gain + w)
            new_sa = np.where(g, s_a - d, s_a + d)
            new_sb = np.where(g, s_b + s2 - d, s_b - (s2 - d))
            new_ra = np.where(g, r_a - s, r_a + s)
            new_rb = np.where(g, r_b + s, r_b - s)
            new = new_sa / new_ra + new_sb / new_rb - 1.0
            better = new > current + _REL_TOL * abs(current)
            if size_a == 1:  # a group is never emptied
                better &= ~g
            if size_b == 1:
                better &= g
            hits = np.flatnonzero(better)
            if len(hits) == 0:
                pos = stop
                continue
            k = int(hits[0])
            i = pos + k
            current = float(new[k])
            s_a, s_b = float(new_sa[k]), float(new_sb[k])
            r_a, r_b = float(new_ra[k]), float(new_rb[k])
            cols = indices[indptr[i] : indptr[i + 1]]
            if group[i]:  # A → B
                n1[cols] -= 1
                size_a, size_b = size_a - 1, size_b + 1
            else:
                n1[cols] += 1
                size_a, size_b = size_a + 1, size_b - 1
            twice[cols] = 2.0 * n1[cols] * inv_c[cols]
            group[i] = not group[i]
            moved.append(i)
            pos = i + 1
        moves = len(moved)
        total_moves += moves
        if iteration > 1 and moved and previous and moved == previous:
            moves = 0
        previous = moved
    return group, iteration, total_moves


def _eliminated(table: sp.csr_matrix, in_a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column positions to eliminate in child A and in child B (§5.6 D)."""
    c = np.asarray(table.sum(axis=0)).ravel()
    a = np.asarray(table[in_a].sum(axis=0)).ravel()
    b = c - a
    n_a = float(in_a.sum())
    n_b = float(len(in_a) - n_a)
    n = n_a + n_b
    threshold = round(1.9 * (max(n_a, n_b) / min(n_a, n_b)) + 1.9, 6)
    abs_a, abs_b = n_a - a, n_b - b
    observed = np.stack([a, b, abs_a, abs_b])
    expected = np.stack([c * n_a / n, c * n_b / n, (n - c) * n_a / n, (n - c) * n_b / n])
    with np.errstate(divide="ignore", invalid="ignore"):
        yates = ((np.abs(observed - expected) - 0.5) ** 2 / expected).sum(axis=0)
        pearson = ((observed - expected) ** 2 / expected).sum(axis=0)
    forced_sig = ((a == 0) | (b == 0)) & (abs_a > 0) & (abs_b > 0)
    forced_not = ((abs_a == 0) | (abs_b == 0)) & (a > 0) & (b > 0)
    small = (observed < 10).any(axis=0)
    chi2 = np.where(
        forced_sig,
        threshold + 1,
        np.where(forced_not, threshold - 1, np.where(small, yates, pearson)),
    )
    chi2 = np.where(np.isnan(chi2), 0.0, chi2)
    significant = chi2 > threshold
    under_a = a < expected[0]
    elim_a = significant & under_a
    elim_b = significant & ~under_a & (b < expected[1])
    return np.flatnonzero(elim_a), np.flatnonzero(elim_b)


# ---------------------------------------------------------------------------------------------
# The CHD loop (§5.3, §5.6 E)
# ---------------------------------------------------------------------------------------------


@dataclass
class _Chd:
    membership: np.ndarray  # rows × n_splits, labels
    mothers: dict[int, int]
    children: dict[int, tuple[int, int]]
    splits: list[dict[str, Any]]


def _chd(matrix: sp.csr_matrix, n_splits: int, reallocation: bool) -> _Chd:
    """Run the ``n_splits`` bipartitions of IRaMuTeQ's ``CHD`` on a binary csr matrix."""
    with _quiet_runtime():
        return _chd_splits(matrix, n_splits, reallocation)


def _chd_splits(matrix: sp.csr_matrix, n_splits: int, reallocation: bool) -> _Chd:
    n_rows = matrix.shape[0]
    row_sums = np.diff(matrix.indptr)
    labels = np.where(row_sums > 0, 1, 0)
    rows = np.flatnonzero(row_sums > 0)
    col_sums = np.bincount(matrix.indices, minlength=matrix.shape[1])
    cols = np.flatnonzero(col_sums > 0)
    if len(rows) < n_splits + 1 or len(cols) < 2:
        raise _too_small(
            len(rows),
            n_splits,
            f"{n_splits} bipartitions demandent au moins {n_splits + 1} segments et deux "
            "formes actives",
            done=max(len(rows) - 1, 0) or None,
        )
    table = matrix[rows][:, cols]
    membership = np.zeros((n_rows, n_splits), dtype=np.int64)
    mothers: dict[int, int] = {}
    children: dict[int, tuple[int, int]] = {}
    elim: dict[int, np.ndarray] = {}
    splits: list[dict[str, Any]] = []
    current = 1
    for i in range(1, n_splits + 1):
        n_used = len(np.flatnonzero(row_sums > 0))
        detail = f"la bipartition {i} (de la classe {current})"
        if table.shape[0] < 2 or table.shape[1] < 2:
            raise _too_small(
                n_used,
                n_splits,
                f"{detail} est impossible : une fois retirées les formes trop rares, il reste "
                f"{table.shape[0]} segment(s) et {table.shape[1]} forme(s)",
                done=i - 1,
            )
        x = _first_axis(table)
        in_a, cut_chi2 = _best_cut(table, x)
        if in_a.all() or not in_a.any() or np.ptp(x) == 0:
            raise _too_small(
                n_used,
                n_splits,
                f"{detail} est impossible : ses {table.shape[0]} segments ont tous le même profil",
                done=i - 1,
            )
        passes = moved = 0
        if reallocation:
            in_a, passes, moved = _reallocate(table, in_a)
        elim_a, elim_b = _eliminated(table, in_a)
        left, right = 2 * i, 2 * i + 1
        elim[left], elim[right] = cols[elim_a], cols[elim_b]
        mothers[left] = mothers[right] = current
        children[current] = (left, right)
        labels[rows[in_a]] = left
        labels[rows[~in_a]] = right
        membership[:, i - 1] = labels
        splits.append(
            {
                "Bipartition": i,
                "Classe divisée": current,
                "Segments": int(table.shape[0]),
                "Formes": int(table.shape[1]),
                "Classe A": left,
                "Effectif A": int(in_a.sum()),
                "Classe B": right,
                "Effectif B": int((~in_a).sum()),
                "χ² de la coupure": cut_chi2,
                "χ² final": _chi2_of(table, in_a),
                "Passes de réallocation": passes,
                "Segments déplacés": moved,
            }
        )
        if i == n_splits:
            break
        # Next class: the largest; ties → first label in character order (R sorts strings).
        present, counts = np.unique(labels[labels > 0], return_counts=True)
        biggest = counts.max()
        current = int(min((int(lab) for lab in present[counts == biggest]), key=str))
        rows = np.flatnonzero(labels == current)
        removed: set[int] = set()
        node = current
        while node in mothers:
            removed.update(elim[node].tolist())
            node = mothers[node]
        cols = np.setdiff1d(np.arange(matrix.shape[1]), np.fromiter(removed, dtype=np.int64))
        sub = matrix[rows][:, cols]
        keep_cols = np.asarray(sub.sum(axis=0)).ravel() > 3
        cols = cols[keep_cols]
        sub = sub[:, np.flatnonzero(keep_cols)]
        keep_rows = np.diff(sub.indptr) > 0
        labels = labels.copy()
        labels[rows[~keep_rows]] = 0  # pruned: unclassified from the next column on
        rows = rows[keep_rows]
        table = sub[np.flatnonzero(keep_rows)]
    return _Chd(membership, mothers, children, splits)


# ---------------------------------------------------------------------------------------------
# Terminal classes (§5.7)
# ---------------------------------------------------------------------------------------------


def _descendants(node: int, children: Mapping[int, tuple[int, int]]) -> list[int]:
    out, stack = [], list(children.get(node, ()))
    while stack:
        child = stack.pop()
        out.append(child)
        stack.extend(children.get(child, ()))
    return out


def _find_terminals(
    membership: np.ndarray,
    mothers: Mapping[int, int],
    children: Mapping[int, tuple[int, int]],
    mincl: int,
) -> list[int]:
    """IRaMuTeQ's ``find.terminales``: leaves and mothers kept as terminal classes."""
    last = membership[:, -1]
    leaves, sizes = np.unique(last[last > 0], return_counts=True)

    def created(label: int) -> int:
        return int((membership[:, label // 2 - 1] == label).sum())

    term = [int(lab) for lab, s in zip(leaves, sizes, strict=True) if s >= mincl]
    queue = [int(lab) for lab, s in zip(leaves, sizes, strict=True) if s < mincl]
    if not term:
        return []
    while queue:
        v = queue.pop(0)
        m = mothers[v]
        if m == 1:
            continue
        below = [d for d in _descendants(m, children) if d != v]
        big = created(m) >= mincl
        in_queue = any(d in queue for d in below)
        in_term = any(d in term for d in below)
        if big and not in_queue and not in_term:
            term.append(m)
            drop = set(below) | {v, m}
            queue = [q for q in queue if q not in drop]
        elif big and not in_term and in_queue and m not in queue:
            queue.insert(0, m)
    return term


def _make_classes(
    last: np.ndarray, term: Sequence[int], children: Mapping[int, tuple[int, int]]
) -> np.ndarray:
    """IRaMuTeQ's ``make.classes``: final class = position of the node in ``term``."""
    classes = np.zeros(len(last), dtype=np.int64)
    for k, node in enumerate(term, start=1):
        nodes = [node, *_descendants(node, children)]
        classes[np.isin(last, nodes)] = k
    return classes


# ---------------------------------------------------------------------------------------------
# Profiles (§5.9) and typical segments
# ---------------------------------------------------------------------------------------------

_PROFILE_COLUMNS = ["Classe", "Forme", "Effectif classe", "Effectif total", "%", "χ²", "p"]


def _profiles(
    matrix: sp.csr_matrix, names: Sequence[str], classes: np.ndarray, n_classes: int, min_total: int
) -> pd.DataFrame:
    """Signed χ² of every word/modality for every class (2 × 2 tables, no correction)."""
    from scipy.special import erfc

    classified = np.flatnonzero(classes > 0)
    if n_classes == 0 or matrix.shape[1] == 0 or len(classified) == 0:
        return pd.DataFrame(columns=_PROFILE_COLUMNS)
    sub = matrix[classified]
    cl = classes[classified] - 1
    nst = float(len(classified))
    indicator = sp.csr_matrix(
        (np.ones(len(cl)), (cl, np.arange(len(cl)))), shape=(n_classes, len(cl))
    )
    counts = np.asarray((indicator @ sub).todense())
    totals = counts.sum(axis=0)
    keep = np.flatnonzero(totals >= min_total)
    counts, totals = counts[:, keep], totals[keep]
    sizes = np.bincount(cl, minlength=n_classes).astype(float)[:, None]
    o1 = counts
    o2 = totals[None, :] - o1
    o3 = sizes - o1
    o4 = nst - sizes - o2
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = nst * (o1 * o4 - o2 * o3) ** 2 / ((o1 + o2) * (o3 + o4) * (o1 + o3) * (o2 + o4))
    chi2 = np.where(np.isfinite(chi2), chi2, 0.0)
    expected = totals[None, :] * sizes / nst
    signed = np.where(o1 > expected, chi2, -chi2)
    frame = pd.DataFrame(
        {
            "Classe": np.repeat(np.arange(1, n_classes + 1), len(keep)),
            "Forme": np.tile(np.asarray(names, dtype=object)[keep], n_classes),
            "Effectif classe": o1.ravel().astype(np.int64),
            "Effectif total": np.tile(totals, n_classes).astype(np.int64),
            "%": (o1 / totals[None, :] * 100).ravel(),
            "χ²": signed.ravel(),
            # χ² law with one degree of freedom: P(χ² > x) = erfc(√(x/2))
            "p": erfc(np.sqrt(np.abs(signed) / 2.0)).ravel(),
        }
    )
    frame = frame.sort_values(["Classe", "χ²"], ascending=[True, False], kind="stable")
    return frame.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------------

_KINDS = {
    "actives": "formes actives",
    "supplementaires": "formes supplémentaires",
    "variables": "modalités des variables",
}


@dataclass(frozen=True, repr=False)
class ReinertResult:
    """Result of a Reinert classification (simple or double).

    Attributes
    ----------
    hierarchy
        One row per segment (input order), one column per bipartition: the segment's class
        label after that bipartition (labels 2i / 2i+1 created by bipartition i; 0 = segment
        without active form or pruned). For a double classification: the first CHD.
    classes
        Final class of each segment (1 … K; 0 = unclassified).
    sizes
        Effectif and % of segments of each final class (and of the unclassified ones).
    profiles
        Signed χ² of every form/modality for every class, keyed by ``"actives"``,
        ``"supplementaires"`` and ``"variables"`` (long tables; see :meth:`profile`).
    splits
        One row per bipartition: class split, sizes, χ² of the cut and after reallocation.
    terminals
        Hierarchy label of each final class (class k ↔ ``terminals[k-1]``).
    min_class_size
        Minimum class size used (``mincl``).
    mothers, children
        The tree of the bipartitions (label → mother; label → its two children).
    method
        ``"simple"`` or ``"double"``.
    hierarchy2
        Double classification only: hierarchy of the second CHD.
    pairs
        Double classification only: the crossed classes kept (CHD 1 label, CHD 2 label,
        effectif, χ²).
    """

    hierarchy: pd.DataFrame
    classes: pd.Series
    sizes: pd.DataFrame
    profiles: dict[str, pd.DataFrame]
    splits: pd.DataFrame
    terminals: tuple[int, ...]
    min_class_size: int
    mothers: dict[int, int]
    children: dict[int, tuple[int, int]]
    method: str = "simple"
    hierarchy2: pd.DataFrame | None = None
    pairs: pd.DataFrame | None = None
    segments: pd.DataFrame | None = field(default=None, repr=False)
    _active: sp.csr_matrix | None = field(default=None, repr=False)
    _terms: pd.Index | None = field(default=None, repr=False)

    # -- accessors --------------------------------------------------------------------------

    @property
    def n_classes(self) -> int:
        """Number of final classes."""
        return len(self.terminals)

    def profile(
        self, classe: int, kind: str = "actives", *, anti: bool = False, n: int | None = None
    ) -> pd.DataFrame:
        """Profile (χ² > 2) or anti-profile (χ² < −2) of class ``classe``, IRaMuTeQ-style.

        ``kind`` is ``"actives"``, ``"supplementaires"`` or ``"variables"``. The ``p`` column
        keeps the exact p-value; it is displayed ``< 0,001`` below one per thousand (do not
        ``round`` it: a rounded p of 0 reads as impossible). Hundreds of forms are tested at
        once: a χ² above 2 flags a form, it does not prove it.
        """
        if kind not in self.profiles:
            raise DataError(
                f"type de profil inconnu : « {kind} ».",
                hint="choisissez parmi " + ", ".join(f"« {k} »" for k in self.profiles) + ".",
            )
        self._check_class(classe)
        table = self.profiles[kind]
        table = table[table["Classe"] == classe].drop(columns="Classe")
        if anti:
            table = table[table["χ²"] < -2].sort_values("χ²", kind="stable")
        else:
            table = table[table["χ²"] > 2]
        table = table.reset_index(drop=True)
        table.index = table.index + 1
        return table if n is None else table.head(n)

    def typical_segments(self, classe: int, n: int = 10, *, relative: bool = False) -> pd.DataFrame:
        """The ``n`` most typical segments of a class, as IRaMuTeQ ranks them.

        Score = sum of the χ² of the class profile's active forms (χ² > 2) present in the
        segment, rounded to 2 decimals (``relative=True``: divided by the number of profile
        forms in the segment, IRaMuTeQ's "relative" option); highest first, ties broken by the
        later segment first (IRaMuTeQ sorts (score, segment) pairs in decreasing order).
        """
        self._check_class(classe)
        if self._active is None:
            raise DataError("le résultat ne contient pas la matrice des segments.")
        prof = self.profile(classe, "actives")
        weights = pd.Series(0.0, index=self._terms)
        weights.loc[prof["Forme"].to_numpy()] = prof["χ²"].to_numpy()
        members = np.flatnonzero(self.classes.to_numpy() == classe)
        rows = self._active[members]
        scores = rows @ weights.to_numpy()
        if relative:
            n_forms = rows @ (weights.to_numpy() != 0).astype(float)
            scores = np.divide(scores, n_forms, out=np.zeros_like(scores), where=n_forms > 0)
        scores = np.round(scores, 2)
        order = np.lexsort((-members, -scores))[:n]
        label = "Score relatif" if relative else "Score (somme des χ²)"
        out = pd.DataFrame({"Segment": self.classes.index[members[order]], label: scores[order]})
        if self.segments is not None:
            extra = self.segments.iloc[members[order]].reset_index(drop=True)
            extra = extra.drop(columns=[c for c in ("segment",) if c in extra.columns])
            out = pd.concat([out, extra], axis=1)
        out.index = np.arange(1, len(out) + 1)
        return out

    def to_frame(self) -> pd.DataFrame:
        """Hierarchy and final class of each segment in one table."""
        out = self.hierarchy.copy()
        out.columns = [f"Bipartition {c}" for c in out.columns]
        out["Classe"] = self.classes
        return out

    def _check_class(self, classe: int) -> None:
        if classe not in range(1, self.n_classes + 1):
            raise DataError(
                f"la classe {classe} n'existe pas.",
                hint=f"les classes vont de 1 à {self.n_classes}."
                if self.n_classes
                else "aucune classe n'a atteint la taille minimale : baissez min_class_size.",
            )

    # -- displays ---------------------------------------------------------------------------

    def _summary_lines(self) -> list[str]:
        n_seg = len(self.classes)
        classified = int((self.classes > 0).sum())
        kind = "double (sur unités de contexte)" if self.method == "double" else "simple"
        lines = [
            f"Classification descendante hiérarchique (méthode Reinert, {kind}) : "
            f"{len(self.splits)} bipartitions sur {format_number(n_seg, 0)} segments.",
        ]
        if self.n_classes == 0:
            lines.append(
                f"Aucune classe n'atteint la taille minimale de "
                f"{format_number(self.min_class_size, 0)} segments : baissez min_class_size "
                "ou demandez plus de bipartitions."
            )
            return lines
        lines.append(
            f"{self.n_classes} classes terminales (taille minimale "
            f"{format_number(self.min_class_size, 0)} segments) regroupent "
            f"{format_number(classified, 0)} segments, soit "
            f"{format_percent(100 * classified / n_seg)} du corpus ; "
            f"{format_number(n_seg - classified, 0)} segments restent non classés."
        )
        for k in range(1, self.n_classes + 1):
            size = int((self.classes == k).sum())
            words = ", ".join(self.profile(k, "actives", n=8)["Forme"])
            lines.append(
                f"  Classe {k} : {format_number(size, 0)} segments "
                f"({format_percent(100 * size / classified)} des segments classés) — {words}"
            )
        return lines

    def __repr__(self) -> str:
        return (
            f"<ReinertResult ({self.method}) : {self.n_classes} classes, "
            f"{len(self.classes)} segments, {len(self.splits)} bipartitions>"
        )

    def __str__(self) -> str:
        return "\n".join(self._summary_lines())

    def _repr_html_(self) -> str:
        lines = self._summary_lines()
        parts = [f"<p><b>{html.escape(lines[0])}</b></p>"]
        parts += [f"<p>{html.escape(line.strip())}</p>" for line in lines[1:2]]
        parts.append(frame_html(self.sizes, decimals=1, caption="Taille des classes"))
        for k in range(1, self.n_classes + 1):
            top = self.profile(k, "actives", n=10)[["Forme", "Effectif classe", "%", "χ²"]]
            parts.append(frame_html(top, decimals=2, caption=f"Classe {k} : formes typiques"))
        return "\n".join(parts)

    # -- plots ------------------------------------------------------------------------------

    def plot_dendrogram(self, ax: Any = None, *, n_words: int = 5) -> Any:
        """Dendrogram of the final classes (pruned tree), with sizes and typical words.

        Returns the matplotlib Axes.
        """
        from ..plotting import PALETTE, get_axes

        _fig, ax = get_axes(ax, figsize=(8, 1.1 + 0.9 * max(self.n_classes, 1)))
        if self.n_classes == 0:
            ax.set_axis_off()
            ax.text(0.5, 0.5, "Aucune classe terminale", ha="center", va="center")
            return ax
        term = list(self.terminals)
        classified = int((self.classes > 0).sum())
        tree_children = self.children
        depth_of = {lab: lab // 2 for lab in self.mothers}  # bipartition that created it
        depth_of[1] = 0
        n_splits = len(self.splits)

        def useful(node: int) -> bool:
            return node in term or any(d in term for d in _descendants(node, tree_children))

        counter = [0]

        def place(node: int) -> tuple[float, float]:
            if node in term:
                y = float(counter[0])
                counter[0] += 1
                k = term.index(node) + 1
                size = int((self.classes == k).sum())
                colour = PALETTE[(k - 1) % len(PALETTE)]
                ax.plot([n_splits + 1, n_splits + 1.4], [y, y], color=colour, lw=6)
                words = ", ".join(self.profile(k, "actives", n=n_words)["Forme"])
                ax.text(
                    n_splits + 1.55,
                    y,
                    f"Classe {k} — {format_percent(100 * size / classified)} : {words}",
                    va="center",
                    fontsize=9,
                    color="0.15",
                    clip_on=False,
                )
                return n_splits + 1.0, y
            kids = [k for k in tree_children.get(node, ()) if useful(k)]
            if len(kids) == 1:
                return place(kids[0])
            (x1, y1), (x2, y2) = place(kids[0]), place(kids[1])
            x0 = float(depth_of[node])
            ax.plot([x0, x0], [y1, y2], color="0.3", lw=1.2)
            ax.plot([x0, x1], [y1, y1], color="0.3", lw=1.2)
            ax.plot([x0, x2], [y2, y2], color="0.3", lw=1.2)
            return x0, (y1 + y2) / 2

        x_root, y_root = place(1)
        ax.plot([x_root - 0.3, x_root], [y_root, y_root], color="0.3", lw=1.2)
        ax.set_ylim(counter[0] - 0.5, -0.5)
        ax.set_xlim(-0.5, n_splits + 1.5)  # the class labels are written to the right
        ax.set_yticks([])
        ax.set_xticks([])
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_title(f"Dendrogramme de la classification ({self.n_classes} classes)")
        return ax

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Alias of :meth:`plot_dendrogram`."""
        return self.plot_dendrogram(ax, **kwargs)


# ---------------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------------


def _prepare(
    data: Any,
    supplementary: Any,
    metadata: pd.DataFrame | None,
    segments: pd.DataFrame | None,
    max_active: int,
) -> dict[str, Any]:
    if hasattr(data, "segment_matrix"):
        unpacked = _from_corpus(data)
        if supplementary is None:
            supplementary = (unpacked["supplementary"], unpacked["supplementary_terms"])
        if metadata is None:
            metadata = unpacked["metadata"]
        if segments is None:
            segments = unpacked["segments"]
        matrix, _, _ = _binary_csr(unpacked["active"], "des formes actives")
        terms = unpacked["terms"]
        row_ids = (
            pd.Index(segments["segment"])
            if segments is not None and "segment" in segments.columns
            else pd.RangeIndex(matrix.shape[0])
        )
    else:
        matrix, row_ids, terms = _binary_csr(data, "des formes actives")
        if terms is None:
            terms = pd.Index([f"forme_{j + 1}" for j in range(matrix.shape[1])])
        if row_ids is None:
            row_ids = (
                pd.Index(segments["segment"])
                if segments is not None and "segment" in segments.columns
                else pd.RangeIndex(matrix.shape[0])
            )
    n = matrix.shape[0]
    for name, frame in (("metadata", metadata), ("segments", segments)):
        if frame is not None and len(frame) != n:
            raise DataError(
                f"« {name} » a {len(frame)} lignes mais la matrice a {n} segments.",
                hint="donnez une ligne par segment, dans l'ordre des lignes de la matrice.",
            )
    matrix, terms = _cap_active(matrix, pd.Index(terms), max_active)
    supp = supp_terms = None
    if supplementary is not None:
        if isinstance(supplementary, tuple):
            supp_data, supp_terms = supplementary
            supp, _, _ = _binary_csr(supp_data, "des formes supplémentaires")
            supp_terms = pd.Index(supp_terms).astype(str)
        else:
            supp, _, supp_terms = _binary_csr(supplementary, "des formes supplémentaires")
            if supp_terms is None:
                supp_terms = pd.Index([f"supp_{j + 1}" for j in range(supp.shape[1])])
        if supp.shape[0] != n:
            raise DataError(
                f"la matrice des formes supplémentaires a {supp.shape[0]} lignes mais celle "
                f"des formes actives {n}.",
                hint="les deux matrices doivent avoir une ligne par segment, dans le même ordre.",
            )
    if metadata is not None:
        metadata = pd.DataFrame(metadata).reset_index(drop=True)
    if segments is not None:
        segments = pd.DataFrame(segments).reset_index(drop=True)
    return {
        "matrix": matrix,
        "terms": terms,
        "row_ids": row_ids,
        "supp": supp,
        "supp_terms": supp_terms,
        "metadata": metadata,
        "segments": segments,
    }


def _all_profiles(prep: dict[str, Any], classes: np.ndarray, k: int) -> dict[str, pd.DataFrame]:
    profiles = {"actives": _profiles(prep["matrix"], list(prep["terms"]), classes, k, 3)}
    if prep["supp"] is not None:
        profiles["supplementaires"] = _profiles(
            prep["supp"], list(prep["supp_terms"]), classes, k, 3
        )
    if prep["metadata"] is not None and prep["metadata"].shape[1] > 0:
        meta, names = _metadata_matrix(prep["metadata"])
        profiles["variables"] = _profiles(meta, names, classes, k, 1)
    return profiles


def _sizes_table(classes: np.ndarray) -> pd.DataFrame:
    n = len(classes)
    k = int(classes.max()) if n else 0
    counts = np.bincount(classes, minlength=k + 1)
    classified = counts[1:].sum()
    index = [f"Classe {i}" for i in range(1, k + 1)] + ["Non classés", "Total"]
    eff = [*counts[1:].tolist(), int(counts[0]), n]
    table = pd.DataFrame(
        {
            "Effectif": eff,
            "% des segments": [100 * e / n if n else np.nan for e in eff],
            "% des classés": [
                *(100 * counts[1:] / classified if classified else [np.nan] * k),
                np.nan,
                np.nan,
            ],
        },
        index=index,
    )
    return table


def _hierarchy_frame(membership: np.ndarray, row_ids: pd.Index) -> pd.DataFrame:
    frame = pd.DataFrame(
        membership, index=row_ids, columns=pd.RangeIndex(1, membership.shape[1] + 1)
    )
    frame.columns.name = "Bipartition"
    return frame


def _check_params(n_splits: int, min_class_size: int | None, max_active: int) -> None:
    if not isinstance(n_splits, int | np.integer) or n_splits < 1:
        raise DataError(
            f"n_splits doit être un entier positif (reçu : {n_splits!r}).",
            hint="n_splits = nombre de bipartitions, 9 par défaut (10 classes au plus).",
        )
    if min_class_size is not None and (
        not isinstance(min_class_size, int | np.integer) or min_class_size < 0
    ):
        raise DataError(
            f"min_class_size doit être un entier positif ou nul (reçu : {min_class_size!r}).",
            hint="laissez None pour le calcul automatique d'IRaMuTeQ (segments / (n_splits + 1)).",
        )
    if not isinstance(max_active, int | np.integer) or max_active < 2:
        raise DataError(
            f"max_active doit être un entier d'au moins 2 (reçu : {max_active!r}).",
            hint="IRaMuTeQ garde au plus 20 000 formes actives.",
        )


def reinert(
    data: Any,
    n_splits: int = 9,
    min_class_size: int | None = None,
    reallocation: bool = True,
    max_active: int = 20000,
    *,
    supplementary: Any = None,
    metadata: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
) -> ReinertResult:
    """Reinert descending hierarchical classification of text segments, as IRaMuTeQ does it.

    Parameters
    ----------
    data
        A ``Corpus`` (its ``segment_matrix(kind="active")`` and ``kind="supplementary"`` are
        used, and the starred variables of the segments table become the metadata), or a
        segments × active forms table: scipy sparse matrix, numpy array or DataFrame (index =
        segment ids, columns = lemmas). Any non-zero count is read as presence (1). Rows must
        be in corpus order.
    n_splits
        Number of bipartitions (IRaMuTeQ's ``nbcl_p1 − 1``, 9 by default).
    min_class_size
        Minimum size of a terminal class (``mincl``). ``None`` = IRaMuTeQ's automatic value,
        ``round(segments / (n_splits + 1))`` with half-to-even rounding, over all segments.
    reallocation
        Run the reallocation passes after each cut (``False`` = IRaMuTeQ's "mode patate").
    max_active
        Maximum number of active forms, the most frequent (columns tied at the cut frequency
        are all dropped).
    supplementary
        Optional segments × supplementary forms table (same row order), or a tuple
        ``(matrix, names)``, profiled separately.
    metadata
        Optional DataFrame, one row per segment: each column's modalities are profiled as
        ``*variable_modalite``.
    segments
        Optional DataFrame, one row per segment (``segment``, ``contenu`` …), shown with the
        typical segments.

    Returns
    -------
    ReinertResult

    Notes
    -----
    Follows ``shared/reference/lexicometry.md`` §5 (IRaMuTeQ 0.8 ``CHD.R``, ``chdtxt.R``,
    ``chdfunct.R``). The χ² comparisons treat values closer than 1e-12 (relative) as equal,
    i.e. as exact arithmetic would; the CA axis sign is fixed (largest |score| positive), so
    labels 2i / 2i+1 may be swapped with respect to an IRaMuTeQ run.

    Examples
    --------
    >>> resultat = reinert(corpus)                  # doctest: +SKIP
    >>> resultat.profile(1).head(10)                # formes typiques de la classe 1
    >>> resultat.plot_dendrogram()
    """
    _check_params(n_splits, min_class_size, max_active)
    prep = _prepare(data, supplementary, metadata, segments, max_active)
    matrix = prep["matrix"]
    chd = _chd(matrix, n_splits, reallocation)
    n_rows = matrix.shape[0]
    mincl = round(n_rows / (n_splits + 1)) if min_class_size is None else int(min_class_size)
    term = _find_terminals(chd.membership, chd.mothers, chd.children, mincl)
    classes = _make_classes(chd.membership[:, -1], term, chd.children)
    return ReinertResult(
        hierarchy=_hierarchy_frame(chd.membership, prep["row_ids"]),
        classes=pd.Series(classes, index=prep["row_ids"], name="Classe"),
        sizes=_sizes_table(classes),
        profiles=_all_profiles(prep, classes, len(term)),
        splits=pd.DataFrame(chd.splits).set_index("Bipartition"),
        terminals=tuple(term),
        min_class_size=mincl,
        mothers=dict(chd.mothers),
        children=dict(chd.children),
        segments=prep["segments"],
        _active=matrix,
        _terms=prep["terms"],
    )


# ---------------------------------------------------------------------------------------------
# Double classification (§5.8)
# ---------------------------------------------------------------------------------------------


def _rst_units(active_sizes: np.ndarray, groups: np.ndarray, limit: int) -> np.ndarray:
    """Unit number of each segment: consecutive segments of a paragraph are merged while the
    running count of active forms is at most ``limit`` (IRaMuTeQ ``make_uc``; the count restarts
    at 0 — not at the new segment's size — when a unit is closed inside a paragraph)."""
    unit = np.empty(len(active_sizes), dtype=np.int64)
    current, running, previous = -1, 0, object()
    for i, (size, group) in enumerate(zip(active_sizes.tolist(), groups.tolist(), strict=True)):
        if group != previous:
            current += 1
            running = size
            previous = group
        elif running <= limit:
            running += size
        else:
            current += 1
            running = 0
        unit[i] = current
    return unit


def _signed_2x2(n_ab: float, p1: float, p2: float, s: float) -> float:
    table = np.array([[n_ab, p1 - n_ab], [p2 - n_ab, s - p2 - (p1 - n_ab)]], dtype=float)
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / s
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = float(((table - expected) ** 2 / expected).sum())
    if not np.isfinite(chi2):
        chi2 = 0.0
    chi2 = round(chi2, 7)
    return chi2 if n_ab >= expected[0, 0] else -chi2


def _related(label: int, mothers: Mapping[int, int], children: Mapping) -> set[int]:
    out = {label, *_descendants(label, children)}
    node = label
    while node in mothers:
        node = mothers[node]
        out.add(node)
    return out


def reinert_double(
    data: Any,
    n_splits: int = 9,
    min_class_size: int | None = None,
    reallocation: bool = True,
    max_active: int = 20000,
    *,
    rst_sizes: tuple[int, int] = (12, 14),
    groups: Iterable[Any] | None = None,
    supplementary: Any = None,
    metadata: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
) -> ReinertResult:
    """Double Reinert classification on context units (RST) of two sizes, crossed (§5.8).

    Consecutive segments of the same paragraph are merged into units until their running
    count of active forms exceeds ``rst_sizes[0]`` (first CHD) or ``rst_sizes[1]`` (second
    CHD); each CHD classifies its units, every segment inherits its unit's labels, and the
    classes are the most associated (χ² > 3.84) pairs of nodes of the two trees, chosen
    greedily without overlap, as IRaMuTeQ does. Segments outside the kept pairs stay
    unclassified (0).

    Parameters
    ----------
    groups
        Paragraph (or text) of each segment: units never cross a change of group. With a
        Corpus, the segments table's ``paragraphe`` (or else ``texte``) is used; with a
        matrix and no ``groups``, all rows form one sequence.
    min_class_size
        Minimum size of a crossed class, in segments; ``None`` = IRaMuTeQ's
        ``round(units of the first CHD / (n_splits + 1))``.

    Other parameters are those of :func:`reinert`.
    """
    _check_params(n_splits, min_class_size, max_active)
    prep = _prepare(data, supplementary, metadata, segments, max_active)
    matrix = prep["matrix"]
    n = matrix.shape[0]
    if groups is None:
        seg = prep["segments"]
        if seg is not None and "paragraphe" in seg.columns:
            groups = seg["paragraphe"].to_numpy()
        elif seg is not None and "texte" in seg.columns:
            groups = seg["texte"].to_numpy()
        else:
            groups = np.zeros(n, dtype=np.int64)
    groups = np.asarray(list(groups) if not isinstance(groups, np.ndarray) else groups)
    if len(groups) != n:
        raise DataError(
            f"« groups » a {len(groups)} valeurs mais la matrice a {n} segments.",
            hint="donnez le paragraphe (ou le texte) de chaque segment, dans l'ordre.",
        )
    active_sizes = np.diff(matrix.indptr)
    memberships, trees, n_units = [], [], []
    for limit in rst_sizes:
        unit = _rst_units(active_sizes, groups, int(limit))
        n_u = int(unit.max()) + 1 if n else 0
        agg = sp.csr_matrix((np.ones(n), (unit, np.arange(n))), shape=(n_u, n)) @ matrix
        agg = sp.csr_matrix(agg)
        agg.data[:] = 1.0
        chd = _chd(agg, n_splits, reallocation)
        memberships.append(chd.membership[unit])  # each segment inherits its unit's labels
        trees.append(chd)
        n_units.append(n_u)
    mincl = round(n_units[0] / (n_splits + 1)) if min_class_size is None else int(min_class_size)
    m1, m2 = memberships
    t1, t2 = trees
    labels1 = sorted(t1.mothers)
    labels2 = sorted(t2.mothers)
    size1 = {a: int((m1[:, a // 2 - 1] == a).sum()) for a in labels1}
    size2 = {b: int((m2[:, b // 2 - 1] == b).sum()) for b in labels2}
    candidates = []
    for a in labels1:
        in_a = m1[:, a // 2 - 1] == a
        for b in labels2:
            n_ab = int((in_a & (m2[:, b // 2 - 1] == b)).sum())
            if n_ab == 0 or n_ab < mincl:
                continue
            chi2 = _signed_2x2(n_ab, size1[a], size2[b], n)
            if chi2 > 3.84:
                candidates.append((a, b, n_ab, chi2))
    candidates.sort(key=lambda t: -t[3])
    candidates.sort(key=lambda t: -t[1])  # stable: deepest CHD 2 classes first
    blocked1: set[int] = set()
    blocked2: set[int] = set()
    chosen = []
    for a, b, n_ab, chi2 in candidates:
        if a in blocked1 or b in blocked2:
            continue
        chosen.append((a, b, n_ab, chi2))
        blocked1 |= _related(a, t1.mothers, t1.children)
        blocked2 |= _related(b, t2.mothers, t2.children)
    classes = np.zeros(n, dtype=np.int64)
    for k, (a, b, _, _) in enumerate(chosen, start=1):
        classes[(m1[:, a // 2 - 1] == a) & (m2[:, b // 2 - 1] == b)] = k
    pairs = pd.DataFrame(
        chosen, columns=["Classe CHD 1", "Classe CHD 2", "Effectif", "χ²"]
    ).set_index(pd.RangeIndex(1, len(chosen) + 1, name="Classe"))
    return ReinertResult(
        hierarchy=_hierarchy_frame(m1, prep["row_ids"]),
        classes=pd.Series(classes, index=prep["row_ids"], name="Classe"),
        sizes=_sizes_table(classes),
        profiles=_all_profiles(prep, classes, len(chosen)),
        splits=pd.DataFrame(t1.splits).set_index("Bipartition"),
        terminals=tuple(a for a, _, _, _ in chosen),
        min_class_size=mincl,
        mothers=dict(t1.mothers),
        children=dict(t1.children),
        method="double",
        hierarchy2=_hierarchy_frame(m2, prep["row_ids"]),
        pairs=pairs,
        segments=prep["segments"],
        _active=matrix,
        _terms=prep["terms"],
    )
