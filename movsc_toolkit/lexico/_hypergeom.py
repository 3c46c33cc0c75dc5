"""Vectorised logarithms of hypergeometric tail probabilities (core of Lafon's specificities).

The specificity of every cell of a words × parts table needs ``log P(X ≥ f)`` or
``log P(X ≤ f)`` with ``X ~ H(T, F, t)``. Calling a scalar tail routine once per cell (scipy's
Boost ``hypergeom.sf`` / ``cdf``) costs far more than the arithmetic itself. This module does
the computation of R's ``phyper(..., log.p = TRUE)`` (``src/nmath/phyper.c``, ``dbinom.c``:
own vectorised transcription of the published algorithm) on whole arrays at once:

* ``log P(X = f)`` by Loader's saddle-point expansion (R's ``dhyper`` / ``dbinom_raw``:
  Stirling-error terms plus deviance terms), accurate even where the probability itself
  underflows double precision. The four deviance terms ``bd0`` of a cell share the same
  ``δ = f − E`` up to sign, so their ``−δ`` parts cancel and each reduces to
  ``x log1p(±δ / m)`` (absolute error of the order of ``ε |δ|``);
* the tail as ``P(X = f) · (1 + ρ₁ + ρ₁ρ₂ + …)``, ``ρ`` the ratios of consecutive terms walking
  away from the mean, summed until a term falls below ``ε`` times the sum (R's ``pdhyper``).
  An upper tail is the lower tail of ``t − X`` (the word and the other tokens swapped).

Cells are sorted by an estimate of the number of terms they need and each group is summed as
one block (a cumulative product along a short second axis), so the Python overhead does not
grow with the number of cells. Everything stays in logarithms: no underflow, no special path
for extreme words.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["log_pmf", "log_tail"]

_EPS = float(np.finfo(np.float64).eps)
_MINUS_LOG_EPS = -math.log(_EPS)  # ≈ 36.04
_TWO_PI = 2.0 * math.pi
_LN_2PI = math.log(_TWO_PI)
# Largest number of block elements summed at once (bounds the memory of the tail sums).
_BLOCK = 1 << 20


def _stirlerr_series(n: np.ndarray | float) -> np.ndarray | float:
    """``log(n!) − [(n + ½) log n − n + log √(2π)]`` for ``n ≥ 16`` (asymptotic series; the
    first omitted term is below 2e-14)."""
    r = 1.0 / n
    r2 = r * r
    return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680))))


# Correction added to the series evaluated at max(n, 16), indexed by min(n, 16): exact values
# for n = 0 … 15 (stirlerr(0) = 0), 0 from 16 on.
_STIRLERR_FIX = np.array(
    [-_stirlerr_series(16.0)]
    + [
        math.lgamma(n + 1.0) - (n + 0.5) * math.log(n) + n - 0.5 * _LN_2PI - _stirlerr_series(16.0)
        for n in range(1, 16)
    ]
    + [0.0]
)


def _stirlerr(n: np.ndarray) -> np.ndarray:
    """Stirling error of ``log(n!)`` for integers ``n ≥ 0`` (R's ``stirlerr``), branch-free."""
    out = _stirlerr_series(np.maximum(n, 16.0))
    out += _STIRLERR_FIX[np.minimum(n, 16.0).astype(np.intp)]
    return out


def _xlog1py(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``x log(1 + u)``, 0 where ``x = 0`` (then ``u = −1``; for ``x ≥ 1`` and ``m < 4e15``,
    ``u = x/m − 1`` stays above ``−1 + ε``, so the clamp only touches ``x = 0``)."""
    out = np.maximum(u, -1.0 + _EPS)
    np.log1p(out, out=out)
    out *= x
    return out


def _log_2pi_ratio(a: np.ndarray, b: np.ndarray, n: np.ndarray | float) -> np.ndarray:
    """``log(2π a b / n)`` where ``a b > 0``, 0 where ``a b = 0`` (R drops this term at the
    edges ``x = 0`` and ``x = n`` of ``dbinom_raw``)."""
    g = a * b
    return np.log(g * (_TWO_PI / n) + (g == 0))


def log_pmf(
    f: np.ndarray, big_f: np.ndarray, t: np.ndarray, big_t: float
) -> tuple[np.ndarray, np.ndarray]:
    """Natural log of ``P(X = f)``, ``X ~ H(T, F, t)``, and the signed gap ``f − E``.

    Arrays broadcast together (typically ``f`` words × parts, ``big_f`` a column, ``t`` a row),
    floats holding integers with ``0 < F < T`` and ``0 < t < T``. Loader's form of R's
    ``dhyper``: ``b(f; F, p) · b(t − f; T − F, p) / b(t; T, p)`` with ``p = t / T``.
    """
    big_t = float(big_t)
    rest_f = big_t - big_f  # per row
    expected = big_f * (t / big_t)
    gap = f - expected
    f_out = big_f - f  # occurrences of the word outside the part
    t_out = t - f  # other tokens of the part
    other = rest_f - t_out  # other tokens outside the part
    # Row and column terms (small arrays).
    row = _stirlerr(big_f) + _stirlerr(rest_f)
    col = (
        _stirlerr(t)
        + _stirlerr(big_t - t)
        - _stirlerr(np.float64(big_t))
        + 0.5 * np.log(_TWO_PI * t * (1.0 - t / big_t))
    )
    stir = _stirlerr(f)
    stir += _stirlerr(f_out)
    stir += _stirlerr(t_out)
    stir += _stirlerr(other)
    # Σ bd0 = f log(f/E) + (F−f) log((F−f)/(F−E)) + (t−f) log((t−f)/(t−E)) + … (the −δ cancel)
    dev = _xlog1py(f, gap / expected)
    dev += _xlog1py(f_out, -gap / (big_f - expected))
    dev += _xlog1py(t_out, -gap / (t - expected))
    dev += _xlog1py(other, gap / (rest_f - t + expected))
    edges = _log_2pi_ratio(f, f_out, big_f)
    edges += _log_2pi_ratio(t_out, other, rest_f)
    out = (row + col) - stir
    out -= dev
    out -= 0.5 * edges
    return out, gap


def _level(need: np.ndarray) -> np.ndarray:
    """Block level ``⌈2 log2 need⌉``: width ``⌈2^(level/2)⌉`` (1, 2, 3, 4, 6, 8, 12, 16, 23, …)."""
    return np.ceil(2.0 * np.log2(np.clip(need, 1.0, 2.0**60))).astype(np.uint8)


def _width(level: int) -> int:
    return math.ceil(2.0 ** (level / 2.0))


def _blocks(cells: np.ndarray, need: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """Blocks ``(cells, width)`` grouping ``cells`` by the level of their ``need``."""
    level = _level(need)
    out = []
    for lev in np.unique(level):
        width = _width(int(lev))
        group = cells[level == lev]
        step = max(1, _BLOCK // width)
        out.extend((group[i : i + step], width) for i in range(0, len(group), step))
    return out


def _tail_sums(
    x: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, r0: np.ndarray, widths: list
) -> np.ndarray:
    """``1 + Σ_j ρ(x)ρ(x−1)…ρ(x−j+1)`` with ``ρ(k) = k (a + k) / ((b − k)(c − k))``.

    The cells come sorted by the block width they are expected to need; ``widths`` lists
    ``(stop, width)``: cells up to ``stop`` (exclusive, after the previous stop) are summed as
    blocks of ``width`` terms. A cell whose last term is still above ``ε`` times its sum goes
    on with a block twice as long.
    """
    total = 1.0 + r0
    term = r0.copy()
    start = x - 1.0  # the first term ρ(x) = r0 is known; blocks start at ρ(x − 1)
    pending: list[tuple[np.ndarray | slice, int]] = []
    lo = 0
    for stop, width in widths:
        step = max(1, _BLOCK // width)
        pending.extend((slice(i, min(i + step, stop)), width) for i in range(lo, stop, step))
        lo = stop
    while pending:
        cells, width = pending.pop()
        # One row per term, one column per cell: every operation runs along the cells.
        ks = start[None, cells] - np.arange(width, dtype=np.float64)[:, None]
        block = a[None, cells] + ks
        block *= ks
        ks -= b[None, cells]
        block /= ks
        ks += b[None, cells] - c[None, cells]
        block /= ks  # ρ = k (a + k) / ((k − b)(k − c))
        block[0] *= term[cells]
        for j in range(1, width):  # running products (faster than cumprod on short axes)
            block[j] *= block[j - 1]
        s = total[cells] + block.sum(axis=0)
        total[cells] = s
        last = block[-1]
        go = last >= _EPS * s
        if go.any():
            more = np.flatnonzero(go)
            # Terms still needed: the ratios keep decreasing away from the mean, so the last
            # one gives a bound (a block twice as long when it is still ≥ 1).
            rest = np.full(len(more), 2.0 * width)
            if width > 1:
                ratio = block[-1, go] / block[-2, go]
                falling = (ratio > 0) & (ratio < 1)
                with np.errstate(divide="ignore", invalid="ignore"):
                    bound = np.log(_EPS * s[go] / last[go]) / np.log(ratio)
                rest = np.where(falling, np.clip(bound, 1.0, 2.0 * width), rest)
            if isinstance(cells, slice):
                more += cells.start
            else:
                more = cells[more]
            term[more] = last[go]
            start[more] -= width
            pending.extend(_blocks(more, rest))
    return total


def log_tail(
    f: np.ndarray, big_f: np.ndarray, t: np.ndarray, big_t: float, upper: np.ndarray
) -> np.ndarray:
    """Natural log of ``P(X ≥ f)`` where ``upper``, of ``P(X ≤ f)`` elsewhere, ``X ~ H(T, F, t)``.

    ``t`` draws without replacement from ``T`` tokens of which ``F`` are the word. Arrays
    broadcast together (``f`` and ``upper`` words × parts, ``big_f`` a column of row totals,
    ``t`` a row of part sizes), floats holding integers with ``0 < F < T`` and ``0 < t < T``.
    Results are finite and ≤ 0. For the usual choice (``upper`` where ``f ≥ E``) the tail
    starts on its own side of the mean, where the terms decrease fastest.
    """
    big_t = float(big_t)
    f = np.asarray(f, dtype=np.float64)
    big_f = np.asarray(big_f, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    shape = np.broadcast_shapes(f.shape, big_f.shape, t.shape, np.shape(upper))
    log_d, gap = log_pmf(f, big_f, t, big_t)
    log_d, gap = np.broadcast_to(log_d, shape), np.broadcast_to(gap, shape)
    # Lower tail of X from f, or lower tail of t − X from t − f:
    # ρ(k) = k (a + k) / ((b − k)(c − k)), a = T − red − t, b = t + 1, c = red + 1
    # with red = F (lower) or T − F (upper).
    upper = np.broadcast_to(upper, shape)
    x = np.where(upper, t - f, f)
    red = np.where(upper, big_t - big_f, big_f)
    a = (big_t - t) - red
    b = t + 1.0
    c = red + 1.0
    r0 = b - x
    r0 *= c - x
    np.divide(x * (a + x), r0, out=r0)
    # r0 = 0: f at the end of the support, the tail is a single term.
    live = np.flatnonzero(r0 > 0)
    x, a, b, c, r0 = (np.broadcast_to(v, shape).ravel()[live] for v in (x, a, b, c, r0))
    # Terms needed: log ρ decreases away from the mean, by ``slope`` per step at the start;
    # the quadratic model  j |log r0| + slope j (j − 1) / 2 ≥ |log ε|  is exact for a Gaussian
    # shape and errs on the long side when the decrease accelerates; a cell whose estimate
    # falls short goes on with another block (see _tail_sums). At most the support's length.
    x1 = x - 1.0
    r1 = np.maximum(x1 * (a + x1) / ((b - x1) * (c - x1)), 1e-300)
    log_r0 = np.log(r0)
    slope = log_r0 - np.log(r1)
    p = -log_r0 - 0.5 * slope
    root = np.sqrt(p * p + 2.0 * _MINUS_LOG_EPS * slope)
    need = np.where(
        p > 0, 2.0 * _MINUS_LOG_EPS / (root + p), (root - p) / np.maximum(slope, 1e-300)
    )
    need = np.minimum(need, x - np.maximum(0.0, -a), out=need)
    # Cells sorted by block level (a stable radix sort of small integers).
    level = _level(need)
    order = np.argsort(level, kind="stable")
    counts = np.bincount(level)
    stops = np.cumsum(counts)
    widths = [(int(stops[k]), _width(k)) for k in range(len(counts)) if counts[k] > 0]
    sums = np.ones(math.prod(shape))
    sums[live[order]] = _tail_sums(*(v[order] for v in (x, a, b, c, r0)), widths)
    out = log_d + np.log(sums).reshape(shape)
    return np.minimum(out, 0.0)
