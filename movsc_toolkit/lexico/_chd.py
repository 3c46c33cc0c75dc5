"""The Reinert CHD algorithm on a sparse binary table (numpy and scipy only).

The core of :func:`movsc_toolkit.lexico.reinert`: first correspondence-analysis axis of a
segments × forms presence table, best cut, reallocation, word elimination, the loop of
bipartitions, IRaMuTeQ's ``find.terminales`` / ``make.classes``, and the context units of the
double classification. It follows IRaMuTeQ 0.8's ``Rscripts/CHD.R`` / ``Rscripts/chdtxt.R``
(Ratinaud), re-implemented from a description of their behaviour (no GPL code copied); the
presentation (profiles, result, plots) is in :mod:`.reinert` and :mod:`._chd_tables`.

Agreement with IRaMuTeQ's ``CHD.R`` run in R: ``tests/lexico/test_reinert.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigsh

from .._errors import ComputationError
from .._io import gc_paused

__all__ = [
    "DENSE_LIMIT",
    "Chd",
    "best_cut",
    "cut_chi2",
    "descendants",
    "eliminated",
    "find_terminals",
    "first_axis",
    "make_classes",
    "reallocate",
    "related_labels",
    "rst_units",
    "run_chd",
    "signed_2x2",
]

# Relative tolerance under which two χ² values are considered equal (ties of exact arithmetic
# that floating-point rounding would otherwise break at random).
_REL_TOL = 1e-12
# Tables whose smaller side is at most this size get an exact dense eigen-decomposition.
DENSE_LIMIT = 300
# Rows of the table evaluated at once by the reallocation (reallocate).
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
# The steps of one bipartition (``CHD.R``: CA axis, best cut, reallocation, word elimination)
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


def first_axis(table: sp.csr_matrix) -> np.ndarray:
    """Row scores on the first CA axis, ``x_i = σ₂ u₂ᵢ √(N/r_i)`` (as in ``CHD.R``), sign fixed."""
    n, p = table.shape
    r = np.asarray(table.sum(axis=1)).ravel()
    c = np.asarray(table.sum(axis=0)).ravel()
    total = r.sum()
    sr, sc = np.sqrt(r), np.sqrt(c)
    a, b = sr / np.sqrt(total), sc / np.sqrt(total)  # trivial singular vectors (σ₁ = 1)
    if min(n, p) <= DENSE_LIMIT and n * p <= 4_000_000:
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


def cut_chi2(table: sp.csr_matrix, order: np.ndarray) -> np.ndarray:
    """χ² of every cut k = 1 … n−1 of the rows sorted by ``order`` (incremental χ²).

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


def best_cut(table: sp.csr_matrix, x: np.ndarray) -> tuple[np.ndarray, float]:
    """Group A (True) = rows whose score is at most the score of the best cut (as ``CHD.R``)."""
    order = np.argsort(x, kind="stable")
    chi2 = cut_chi2(table, order)
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


def reallocate(table: sp.csr_matrix, in_a: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Sequential first-improvement reallocation (as ``CHD.R``). Returns (groups, passes, moves).

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


def eliminated(table: sp.csr_matrix, in_a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column positions to eliminate in child A and in child B (as ``CHD.R``)."""
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
# The CHD loop (``CHD.R``: split the largest class, rebuild its table)
# ---------------------------------------------------------------------------------------------


@dataclass
class Chd:
    membership: np.ndarray  # rows × n_splits, labels
    mothers: dict[int, int]
    children: dict[int, tuple[int, int]]
    splits: list[dict[str, Any]]


def run_chd(matrix: sp.csr_matrix, n_splits: int, reallocation: bool) -> Chd:
    """Run the ``n_splits`` bipartitions of IRaMuTeQ's ``CHD`` on a binary csr matrix."""
    with _quiet_runtime():
        return _chd_splits(matrix, n_splits, reallocation)


def _chd_splits(matrix: sp.csr_matrix, n_splits: int, reallocation: bool) -> Chd:
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
        x = first_axis(table)
        in_a, cut_chi2 = best_cut(table, x)
        if in_a.all() or not in_a.any() or np.ptp(x) == 0:
            raise _too_small(
                n_used,
                n_splits,
                f"{detail} est impossible : ses {table.shape[0]} segments ont tous le même profil",
                done=i - 1,
            )
        passes = moved = 0
        if reallocation:
            in_a, passes, moved = reallocate(table, in_a)
        elim_a, elim_b = eliminated(table, in_a)
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
    return Chd(membership, mothers, children, splits)


# ---------------------------------------------------------------------------------------------
# Terminal classes (``chdtxt.R``: ``find.terminales``, ``make.classes``)
# ---------------------------------------------------------------------------------------------


def descendants(node: int, children: Mapping[int, tuple[int, int]]) -> list[int]:
    out, stack = [], list(children.get(node, ()))
    while stack:
        child = stack.pop()
        out.append(child)
        stack.extend(children.get(child, ()))
    return out


def find_terminals(
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
        below = [d for d in descendants(m, children) if d != v]
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


def make_classes(
    last: np.ndarray, term: Sequence[int], children: Mapping[int, tuple[int, int]]
) -> np.ndarray:
    """IRaMuTeQ's ``make.classes``: final class = position of the node in ``term``."""
    classes = np.zeros(len(last), dtype=np.int64)
    for k, node in enumerate(term, start=1):
        nodes = [node, *descendants(node, children)]
        classes[np.isin(last, nodes)] = k
    return classes


def rst_units(active_sizes: np.ndarray, groups: np.ndarray, limit: int) -> np.ndarray:
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


def signed_2x2(n_ab: float, p1: float, p2: float, s: float) -> float:
    table = np.array([[n_ab, p1 - n_ab], [p2 - n_ab, s - p2 - (p1 - n_ab)]], dtype=float)
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / s
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = float(((table - expected) ** 2 / expected).sum())
    if not np.isfinite(chi2):
        chi2 = 0.0
    chi2 = round(chi2, 7)
    return chi2 if n_ab >= expected[0, 0] else -chi2


def related_labels(label: int, mothers: Mapping[int, int], children: Mapping) -> set[int]:
    out = {label, *descendants(label, children)}
    node = label
    while node in mothers:
        node = mothers[node]
        out.add(node)
    return out
