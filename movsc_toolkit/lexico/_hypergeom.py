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

Cells are sorted by an estimate of the number of terms they need; each group gets that many
terms at once, either as a (terms × cells) block or term by term along the cells (numerator
and denominator of ρ updated by their differences), so the Python overhead grows with the
number of groups, not of cells. Full-size arrays are allocated once and reused: on large
tables, fresh temporaries for every operation cost more than the arithmetic. Everything stays
in logarithms: no underflow, no special path for extreme words. Agreement with R 4.2.2's
``phyper`` on the benchmark table (400,000 cells, scores up to 3,450): 3e-12.
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
_BLOCK = 1 << 16
_STEPS = np.arange(_BLOCK, dtype=np.float64)


def _stirlerr_series(n: float) -> float:
    """``log(n!) − [(n + ½) log n − n + log √(2π)]`` for ``n ≥ 16`` (asymptotic series; the
    first omitted term is below 2e-14)."""
    r = 1.0 / n
    r2 = r * r
    return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680))))


# From _LARGE on, two terms of the series suffice (next term below 1e-15).
_LARGE = 256


def _stirlerr_large(n: np.ndarray) -> np.ndarray:
    r = 1.0 / n
    out = r * r
    out *= -1 / 360
    out += 1 / 12
    out *= r
    return out


# Correction added to the two-term series evaluated at max(n, _LARGE), indexed by
# min(n, _LARGE): exact values below 16 (lgamma; stirlerr(0) = 0), the long series up to
# _LARGE − 1, 0 from _LARGE on.
_STIRLERR_FIX = np.array(
    [0.0]
    + [math.lgamma(n + 1.0) - (n + 0.5) * math.log(n) + n - 0.5 * _LN_2PI for n in range(1, 16)]
    + [_stirlerr_series(float(n)) for n in range(16, _LARGE)]
    + [0.0]
)
_STIRLERR_FIX[:_LARGE] -= float(_stirlerr_large(np.asarray(float(_LARGE))))


def _stirlerr(n: np.ndarray) -> np.ndarray:
    """Stirling error of ``log(n!)`` for integers ``n ≥ 0`` (R's ``stirlerr``), branch-free."""
    out = np.empty(np.shape(n))
    index = np.empty(out.shape, dtype=np.intp)
    _stirlerr_into(np.asarray(n, dtype=np.float64), out, np.empty_like(out), index)
    return out


def _stirlerr_into(
    n: np.ndarray, out: np.ndarray, tmp: np.ndarray, index: np.ndarray
) -> np.ndarray:
    """``out = stirlerr(n)`` with the scratch arrays ``tmp`` and ``index`` (no allocation)."""
    small = n.size and n.min() < _LARGE
    if small:
        np.maximum(n, _LARGE, out=out)
        np.divide(1.0, out, out=out)
    else:
        np.divide(1.0, n, out=out)
    np.multiply(out, out, out=tmp)
    tmp *= -1 / 360
    tmp += 1 / 12
    out *= tmp
    if small:
        np.minimum(n, _LARGE, out=tmp)
        np.copyto(index, tmp, casting="unsafe")
        np.take(_STIRLERR_FIX, index, out=tmp, mode="clip")
        out += tmp
    return out


def _add_xlog1py(out: np.ndarray, x: np.ndarray, u: np.ndarray, sign: float) -> None:
    """``out += sign · x log(1 + u)`` (``u`` overwritten), 0 where ``x = 0`` (then ``u = −1``;
    for ``x ≥ 1`` and ``m < 4e15``, ``u = x/m − 1`` stays above ``−1 + ε``, so the clamp only
    touches ``x = 0``)."""
    np.maximum(u, -1.0 + _EPS, out=u)
    np.log1p(u, out=u)
    u *= x
    if sign > 0:
        out += u
    else:
        out -= u


def _sub_half_log_2pi_ratio(
    out: np.ndarray, a: np.ndarray, b: np.ndarray, n: np.ndarray, tmp: np.ndarray
) -> None:
    """``out −= ½ log(2π a b / n)`` where ``a b > 0`` (R drops this term at the edges ``x = 0``
    and ``x = n`` of ``dbinom_raw``)."""
    np.multiply(a, b, out=tmp)
    zero = tmp == 0
    tmp *= _TWO_PI / n
    tmp += zero
    np.log(tmp, out=tmp)
    tmp *= 0.5
    out -= tmp


def _pmf_parts(
    f: np.ndarray, big_f: np.ndarray, t: np.ndarray, big_t: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    """``(log P(X = f), f − E, t − f, spare buffers)``: see :func:`log_pmf`.

    Every full-size array is allocated once and reused (allocating fresh temporaries for each
    operation costs more than the arithmetic on large tables).
    """
    shape = np.broadcast_shapes(f.shape, big_f.shape, t.shape)
    rest_f = big_t - big_f  # per word
    expected = np.multiply(big_f, t / big_t, out=np.empty(shape))
    gap = np.subtract(f, expected, out=np.empty(shape))
    f_out = np.subtract(big_f, f, out=np.empty(shape))  # the word outside the part
    t_out = np.subtract(t, f, out=np.empty(shape))  # other tokens of the part
    other = np.subtract(rest_f, t_out, out=np.empty(shape))  # other tokens outside the part
    # Word and part terms (small arrays).
    row = _stirlerr(big_f) + _stirlerr(rest_f)
    col = (
        _stirlerr(t)
        + _stirlerr(big_t - t)
        - _stirlerr(np.array([big_t]))
        + 0.5 * np.log(_TWO_PI * t * (1.0 - t / big_t))
    )
    out = np.add(row, col, out=np.empty(shape))
    tmp, tmp2 = np.empty(shape), np.empty(shape)
    index = np.empty(shape, dtype=np.intp)
    f_full = np.broadcast_to(f, shape)
    for n in (f_full, f_out, t_out, other):
        out -= _stirlerr_into(n, tmp, tmp2, index)
    # Σ bd0 = f log(f/E) + (F−f) log((F−f)/(F−E)) + (t−f) log((t−f)/(t−E)) + … (the −δ cancel)
    np.divide(gap, expected, out=tmp)
    _add_xlog1py(out, f_full, tmp, -1.0)
    np.subtract(expected, big_f, out=tmp)  # −(F − E)
    np.divide(gap, tmp, out=tmp)
    _add_xlog1py(out, f_out, tmp, -1.0)
    np.subtract(expected, t, out=tmp)  # −(t − E)
    np.divide(gap, tmp, out=tmp)
    _add_xlog1py(out, t_out, tmp, -1.0)
    np.subtract(expected, t, out=tmp)
    tmp += rest_f  # T − F − t + E
    np.divide(gap, tmp, out=tmp)
    _add_xlog1py(out, other, tmp, -1.0)
    _sub_half_log_2pi_ratio(out, f_full, f_out, big_f, tmp)
    _sub_half_log_2pi_ratio(out, t_out, other, rest_f, tmp)
    return out, gap, t_out, [expected, f_out, other, tmp, tmp2]


def log_pmf(f: np.ndarray, big_f: np.ndarray, t: np.ndarray, big_t: float) -> np.ndarray:
    """Natural log of ``P(X = f)``, ``X ~ H(T, F, t)``.

    Arrays broadcast together (typically ``f`` parts × words, ``big_f`` a row of word totals,
    ``t`` a column of part sizes), floats holding integers with ``0 < F < T`` and
    ``0 < t < T``. Loader's form of R's ``dhyper``:
    ``b(f; F, p) · b(t − f; T − F, p) / b(t; T, p)`` with ``p = t / T``.
    """
    f, big_f, t = (np.asarray(v, dtype=np.float64) for v in (f, big_f, t))
    return _pmf_parts(f, big_f, t, float(big_t))[0]


def _level(need: np.ndarray) -> np.ndarray:
    """Block level ``⌈2 log2 need⌉``: width ``⌈2^(level/2)⌉`` (1, 2, 3, 4, 6, 8, 12, 16, 23, …).

    ``need`` is overwritten."""
    np.clip(need, 1.0, 2.0**60, out=need)
    np.log2(need, out=need)
    need *= 2.0
    np.ceil(need, out=need)
    return need.astype(np.uint8)


def _width(level: int) -> int:
    return math.ceil(2.0 ** (level / 2.0))


def _blocks(cells: np.ndarray, need: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """Blocks ``(cells, width)`` grouping ``cells`` by the level of their ``need``."""
    level = _level(need)
    out = []
    for lev in np.unique(level):
        width = _width(int(lev))
        group = cells[level == lev]
        out.append((group, width))
    return out


# Groups of at least this many cells are summed term by term along the cells (_sum_rows).
_ROWS_FROM = 2048


def _cells(cells: np.ndarray | slice) -> int:
    return cells.stop - cells.start if isinstance(cells, slice) else len(cells)


def _sum_block(start, a, b, c, term, total, cells, width, space):
    """Add ``width`` terms to the sums of ``cells``, as one (terms × cells) block."""
    size = _cells(cells)
    ks = space[0, : width * size].reshape(width, size)
    block = space[1, : width * size].reshape(width, size)
    np.subtract(start[None, cells], _STEPS[:width, None], out=ks)
    np.add(a[None, cells], ks, out=block)
    block *= ks
    ks -= b[None, cells]
    block /= ks
    ks += b[None, cells] - c[None, cells]
    block /= ks  # ρ = k (a + k) / ((k − b)(k − c))
    ratio = block[-1].copy() if width > 1 else None
    block[0] *= term[cells]
    if width > 16 * size:  # few cells, many terms: the running products in C
        np.cumprod(block, axis=0, out=block)
    else:  # many cells: row by row (cumprod is slow along a short axis)
        for j in range(1, width):
            block[j] *= block[j - 1]
    s = total[cells]
    s += block.sum(axis=0)
    total[cells] = s
    return s, block[-1].copy(), ratio


def _sum_rows(start, a, b, c, term, total, cells, width, scratch):
    """Add ``width`` terms to the sums of many ``cells``, one term at a time: numerator and
    denominator of ρ are quadratics in k, updated by their differences (exact integers)."""
    k, a_, b_, c_ = start[cells], a[cells], b[cells], c[cells]
    if isinstance(cells, slice):
        num, den, dnum, dden, ratio = (row[cells] for row in scratch)
    else:
        num, den, dnum, dden, ratio = np.empty((5, len(cells)))
    np.add(a_, k, out=num)
    num *= k
    np.subtract(k, b_, out=den)
    np.subtract(k, c_, out=ratio)
    den *= ratio
    np.multiply(k, -2.0, out=dnum)
    dnum += 1.0
    dnum -= a_  # num(k − 1) − num(k), which grows by 2 at each step
    np.multiply(k, -2.0, out=dden)
    dden += 1.0
    dden += b_
    dden += c_
    now = term[cells]
    s = total[cells]
    for _ in range(width):
        np.divide(num, den, out=ratio)
        now *= ratio
        s += now
        num += dnum
        dnum += 2.0
        den += dden
        dden += 2.0
    total[cells] = s
    term[cells] = now
    return s, now, ratio


def _tail_sums(
    x: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    r0: np.ndarray,
    widths: list[tuple[int, int]],
    scratch: np.ndarray,
) -> np.ndarray:
    """``1 + Σ_j ρ(x)ρ(x−1)…ρ(x−j+1)`` with ``ρ(k) = k (a + k) / ((b − k)(c − k))``.

    The cells come sorted by the number of terms they are expected to need; ``widths`` lists
    ``(stop, width)``: cells up to ``stop`` (exclusive, after the previous stop) get ``width``
    terms, as one block (few cells or few terms) or term by term along the cells. A cell whose
    last term is still above ``ε`` times its sum gets more terms (estimated from its last
    ratio). ``scratch``: 5 × len(x) work space.
    """
    total = 1.0 + r0
    term = r0.copy()
    start = x - 1.0  # the first term ρ(x) = r0 is known; blocks start at ρ(x − 1)
    space = np.empty((2, _BLOCK))
    pending: list[tuple[np.ndarray | slice, int]] = []
    lo = 0
    for stop, width in widths:
        step = max(1, _BLOCK // width) if width < 4 or stop - lo < _ROWS_FROM else stop - lo
        pending.extend((slice(i, min(i + step, stop)), width) for i in range(lo, stop, step))
        lo = stop
    while pending:
        cells, width = pending.pop()
        if width >= 4 and _cells(cells) >= _ROWS_FROM:
            s, last, ratio = _sum_rows(start, a, b, c, term, total, cells, width, scratch)
        elif width <= _BLOCK:
            step = max(1, _BLOCK // width)
            if _cells(cells) > step:  # a retry group too large for one block
                idx = np.arange(len(x))[cells] if isinstance(cells, slice) else cells
                pending.extend((idx[i : i + step], width) for i in range(0, len(idx), step))
                continue
            s, last, ratio = _sum_block(start, a, b, c, term, total, cells, width, space)
        else:  # a very long tail: term by term
            s, last, ratio = _sum_rows(start, a, b, c, term, total, cells, width, scratch)
        go = last >= _EPS * s
        if go.any():
            more = np.flatnonzero(go)
            # Terms still needed: the ratios keep decreasing away from the mean, so the last
            # one gives a bound (twice as many terms when it is still ≥ 1).
            rest = np.full(len(more), 2.0 * width)
            if ratio is not None:
                ratio = ratio[go]
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
    broadcast together (``f`` and ``upper`` parts × words, ``big_f`` a row of word totals,
    ``t`` a column of part sizes: the long axis last is the fast layout), floats holding
    integers with ``0 < F < T`` and ``0 < t < T``. Results are finite and ≤ 0. The tail should
    start on its own side of the mean (``upper`` where ``f ≥ E``, the specificities' choice):
    the terms then decrease from the first one on.
    """
    big_t = float(big_t)
    f, big_f, t = (np.asarray(v, dtype=np.float64) for v in (f, big_f, t))
    shape = np.broadcast_shapes(f.shape, big_f.shape, t.shape, np.shape(upper))
    if f.shape != shape:
        f = np.broadcast_to(f, shape)
    log_d, gap, t_out, spare = _pmf_parts(f, big_f, t, big_t)
    x, c, a, bx, r0 = spare  # free buffers, reused below
    # Lower tail of X from f, or lower tail of t − X from t − f:
    # ρ(k) = k (a + k) / ((b − k)(c − k)), b = t + 1, c = red + 1, a = T − t − red
    # with red = F (lower tail) or T − F (upper tail).
    upper = np.broadcast_to(upper, shape)
    np.copyto(x, f)
    np.copyto(x, t_out, where=upper)
    np.copyto(c, big_f + 1.0)
    np.copyto(c, (big_t + 1.0) - big_f, where=upper)
    np.subtract((big_t + 1.0) - t, c, out=a)
    np.subtract(t + 1.0, x, out=bx)
    np.subtract(c, x, out=r0)
    r0 *= bx
    np.add(a, x, out=gap)
    gap *= x
    np.divide(gap, r0, out=r0)
    # r0 = 0: f at the end of the support, the tail is a single term.
    live = np.flatnonzero(r0 > 0)
    m = len(live)
    cells = np.empty((5, m))
    for row, full in zip(cells, (x, a, bx, c, r0), strict=True):
        np.take(full.reshape(-1), live, out=row, mode="clip")
    x_l, a_l, b_l, c_l, r0_l = cells
    b_l += x_l
    w1, w2, w3, w4 = (v.reshape(-1)[:m] for v in (x, c, a, bx))  # scratch
    # Terms needed: log ρ decreases away from the mean, by ``slope`` per step at the start;
    # the quadratic model  j |log r0| + slope j (j − 1) / 2 ≥ |log ε|  is exact for a Gaussian
    # shape and errs on the long side when the decrease accelerates; a cell whose estimate
    # falls short goes on with another block (see _tail_sums). At most the support's length.
    np.subtract(x_l, 1.0, out=w1)  # x − 1
    np.add(a_l, w1, out=w2)
    w2 *= w1
    np.subtract(b_l, w1, out=w3)
    np.subtract(c_l, w1, out=w4)
    w3 *= w4
    w2 /= w3
    np.maximum(w2, 1e-300, out=w2)  # ρ(x − 1)
    np.log(r0_l, out=w3)
    np.log(w2, out=w2)
    np.subtract(w3, w2, out=w2)  # slope
    np.multiply(w2, 0.5, out=w4)
    np.negative(w3, out=w3)
    w3 -= w4  # p = −log r0 − slope / 2
    np.multiply(w3, w3, out=w4)
    np.multiply(w2, 2.0 * _MINUS_LOG_EPS, out=w1)
    w4 += w1
    np.sqrt(w4, out=w4)  # root
    np.add(w4, w3, out=w1)
    np.divide(2.0 * _MINUS_LOG_EPS, w1, out=w1)  # p > 0: 2L / (root + p)
    w4 -= w3
    np.maximum(w2, 1e-300, out=w2)
    w4 /= w2  # p ≤ 0: (root − p) / slope
    np.copyto(w1, w4, where=w3 <= 0)
    np.negative(a_l, out=w2)
    np.maximum(w2, 0.0, out=w2)
    np.subtract(x_l, w2, out=w2)  # length of the support below x
    np.minimum(w1, w2, out=w1)
    # Cells sorted by block level (a stable radix sort of small integers).
    level = _level(w1)
    order = np.argsort(level, kind="stable")
    counts = np.bincount(level)
    stops = np.cumsum(counts)
    widths = [(int(stops[k]), _width(k)) for k in range(len(counts)) if counts[k] > 0]
    ordered = [v.reshape(-1)[:m] for v in (x, a, bx, c, t_out)]
    for row, dest in zip(cells, ordered, strict=True):
        np.take(row, order, out=dest, mode="clip")
    sums = gap.reshape(-1)
    x_o, a_o, b_o, c_o, t_o = ordered
    tails = _tail_sums(x_o, a_o, b_o, c_o, t_o, widths, cells)
    sums.fill(1.0)
    sums[live[order]] = tails
    np.log(sums, out=sums)
    log_d += gap
    np.minimum(log_d, 0.0, out=log_d)
    return log_d
