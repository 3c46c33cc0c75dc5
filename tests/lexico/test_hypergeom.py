"""Tests of the vectorised hypergeometric logarithms (movsc_toolkit.lexico._hypergeom), against
exact rational arithmetic and scipy."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import hypergeom

from movsc_toolkit.lexico import _hypergeom as hg


def exact_log_pmf(f, big_f, t, big_t):
    return math.log(
        Fraction(math.comb(big_f, f) * math.comb(big_t - big_f, t - f), math.comb(big_t, t))
    )


def exact_log_tail(f, big_f, t, big_t, upper):
    lo, hi = max(0, t - (big_t - big_f)), min(big_f, t)
    ks = range(f, hi + 1) if upper else range(lo, f + 1)
    num = sum(math.comb(big_f, k) * math.comb(big_t - big_f, t - k) for k in ks)
    return math.log(Fraction(num, math.comb(big_t, t)))


def small_cases():
    """Every (f, F, t) of a few small corpora, tail on the side of f chosen as specificities do."""
    cases = []
    for big_t in (7, 12, 30):
        for big_f in range(1, big_t):
            for t in range(1, big_t):
                for f in range(max(0, t - (big_t - big_f)), min(big_f, t) + 1):
                    cases.append((f, big_f, t, big_t, f * big_t >= big_f * t))
    return cases


def test_log_pmf_equals_exact_fractions():
    for big_t in (7, 30, 200):
        cases = [
            (f, big_f, t)
            for big_f in range(1, big_t, max(1, big_t // 9))
            for t in range(1, big_t, max(1, big_t // 7))
            for f in range(max(0, t - (big_t - big_f)), min(big_f, t) + 1)
        ]
        f, big_f, t = (np.array(v, dtype=float) for v in zip(*cases, strict=True))
        got = hg.log_pmf(f, big_f, t, big_t)
        want = [exact_log_pmf(*c, big_t) for c in cases]
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_log_tail_equals_exact_fractions_on_whole_supports():
    for big_t in (7, 12, 30):
        cases = [c for c in small_cases() if c[3] == big_t]
        f, big_f, t, _, upper = (np.array(v) for v in zip(*cases, strict=True))
        got = hg.log_tail(f.astype(float), big_f.astype(float), t.astype(float), big_t, upper)
        want = [exact_log_tail(*c) for c in cases]
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)
        assert (got <= 0).all()


def test_log_tail_broadcasts_a_table_like_specificities():
    rng = np.random.default_rng(3)
    counts = rng.poisson(rng.gamma(0.5, 30, size=(1, 300)) * rng.dirichlet([1.0] * 6, 300).T)
    counts[:, counts.sum(axis=0) == 0] = 1
    f = counts.astype(float)  # parts × words
    big_f, t = f.sum(axis=0, keepdims=True), f.sum(axis=1, keepdims=True)
    big_t = f.sum()
    upper = f * big_t >= big_f * t
    got = hg.log_tail(f, big_f, t, big_t, upper)
    big_f, t = np.broadcast_arrays(big_f, t)
    want = np.empty_like(f)
    want[upper] = hypergeom.logsf(f[upper] - 1, big_t, big_f[upper], t[upper])
    want[~upper] = hypergeom.logcdf(f[~upper], big_t, big_f[~upper], t[~upper])
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-11)


def test_long_tails_and_underflow_stay_exact():
    # σ ≈ 400: hundreds of terms near the mean (several blocks per cell); and a tail near
    # 10^-2000, far below the smallest double. Reference: R 4.2.2,
    # phyper(c(199999, 200499), 1e6, 9e6, 2e6, lower.tail = FALSE, log.p = TRUE),
    # phyper(199000, 1e6, 9e6, 2e6, log.p = TRUE) and
    # phyper(209999, 1e6, 9e6, 2e6, lower.tail = FALSE, log.p = TRUE) (scipy's logsf is off
    # by 4e-9 on the first one).
    big_t, big_f, t = 10_000_000.0, 1_000_000.0, 2_000_000.0
    f = np.array([[200_000.0, 200_500.0, 199_000.0, 210_000.0]])
    upper = f * big_t >= big_f * t
    got = hg.log_tail(f, np.array([[big_f]]), np.array([[t]]), big_t, upper)
    want = [-0.69226447403356406, -2.363791843222498, -5.4715350095175959, -347.62486533208931]
    np.testing.assert_allclose(got[0], want, rtol=1e-12)
    # all 3000 occurrences of a word in a part of 100,000 tokens out of 1,000,000:
    # P(X ≥ 3000) = C(100000, 3000) / C(1000000, 3000)
    tiny = hg.log_tail(
        np.array([[3000.0]]), np.array([[3000.0]]), np.array([[100_000.0]]), 1e6, True
    )[0, 0]
    want = sum(math.log((100_000 - i) / (1_000_000 - i)) for i in range(3000))
    assert tiny == pytest.approx(want, rel=1e-11)
    assert tiny / math.log(10) < -2900


def test_stirling_error_table_and_series():
    # log(n!) − [(n + ½) log n − n + log √(2π)]: lgamma below 16, above the asymptotic series
    # with eight Bernoulli terms in exact rationals (truncation below 1e-20 from n = 16).
    bernoulli = [
        Fraction(1, 6), Fraction(-1, 30), Fraction(1, 42), Fraction(-1, 30),
        Fraction(5, 66), Fraction(-691, 2730), Fraction(7, 6), Fraction(-3617, 510),
    ]  # fmt: skip

    def reference(k):
        if k == 0:
            return 0.0
        if k < 16:
            return math.lgamma(k + 1) - (k + 0.5) * math.log(k) + k - 0.5 * math.log(2 * math.pi)
        terms = (
            b / (2 * j * (2 * j - 1) * Fraction(k) ** (2 * j - 1))
            for j, b in enumerate(bernoulli, 1)
        )
        return float(sum(terms, Fraction(0)))

    n = np.array([*range(0, 300), 511, 1000, 12345, 10**6, 10**9], dtype=float)
    want = [reference(int(k)) for k in n]
    np.testing.assert_allclose(hg._stirlerr(n), want, rtol=1e-12, atol=2e-14)
