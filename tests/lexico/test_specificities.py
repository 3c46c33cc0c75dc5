"""Tests of Lafon's specificities (movsc_toolkit.lexico.specificities)."""

from __future__ import annotations

import importlib
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from scipy.stats import hypergeom

from movsc_toolkit._errors import ColumnError, DataError
from movsc_toolkit.lexico.specificities import specificities

smod = importlib.import_module("movsc_toolkit.lexico.specificities")


def exact_score(f, big_f, t, big_t):
    """Independent computation: sum of scipy's hypergeometric pmf over the tail."""
    expected = big_f * t / big_t
    if f >= expected:
        ks = np.arange(f, min(big_f, t) + 1)
        return -math.log10(hypergeom.pmf(ks, big_t, big_f, t).sum())
    ks = np.arange(max(0, t - (big_t - big_f)), f + 1)
    return math.log10(hypergeom.pmf(ks, big_t, big_f, t).sum())


def test_hand_worked_example():
    # T = 10 tokens, part A has t = 4; word "x": F = 3, f = 2 in A.
    # E = 3 × 4 / 10 = 1,2 ≤ 2 → P(X ≥ 2) = [C(3,2)C(7,2) + C(3,3)C(7,1)] / C(10,4)
    #                                      = (63 + 7) / 210 = 1/3 → score = log10 3 = 0,4771.
    # In part B (t = 6): f = 1, E = 1,8 > 1 → P(X ≤ 1) = [C(7,6) + 3 C(7,5)] / C(10,6)
    #                                      = (7 + 63) / 210 = 1/3 → score = −0,4771.
    table = pd.DataFrame({"A": [2, 2], "B": [1, 5]}, index=["x", "y"])
    res = specificities(table)
    assert res.scores.loc["x", "A"] == pytest.approx(math.log10(3), abs=1e-12)
    assert res.scores.loc["x", "B"] == pytest.approx(-math.log10(3), abs=1e-12)
    # word "y": F = 7, in A f = 2 < E = 2,8 → P(X ≤ 2) = [C(7,1)C(3,3) + C(7,2)C(3,2)] / 210
    #                                               = (7 + 63) / 210 → −0,4771
    assert res.scores.loc["y", "A"] == pytest.approx(-math.log10(3), abs=1e-12)
    assert res.expected.loc["x", "A"] == pytest.approx(1.2)


def test_against_scipy_pmf_sums():
    rng = np.random.default_rng(0)
    counts = rng.poisson(rng.gamma(0.6, 8, size=(120, 1)) * rng.uniform(0.3, 2, size=(1, 5)))
    counts[counts.sum(axis=1) == 0, 0] = 1
    table = pd.DataFrame(counts, index=[f"w{i}" for i in range(120)], columns=list("ABCDE"))
    res = specificities(table)
    big_t = counts.sum()
    for i in range(120):
        for j in range(5):
            want = exact_score(counts[i, j], counts[i].sum(), counts[:, j].sum(), big_t)
            assert res.scores.iat[i, j] == pytest.approx(want, rel=1e-9, abs=1e-9)


def test_extreme_scores_stay_finite_and_exact():
    # A word concentrated in one part of a large corpus: the tail probability underflows
    # double precision (≈ 10^-2000); the score is computed from the log-sum-exp of the tail.
    table = pd.DataFrame({"A": [3000, 97000], "B": [0, 900000]}, index=["concentré", "autres"])
    res = specificities(table)
    a = res.scores.loc["concentré", "A"]
    b = res.scores.loc["concentré", "B"]
    assert np.isfinite(a) and np.isfinite(b)
    # P(X ≥ 3000) with F = t_word = 3000 all in A: = C(100000, 3000) / C(1000000, 3000)
    log_p = smod._log_binom(np.float64(100000), np.float64(3000)) - smod._log_binom(
        np.float64(1000000), np.float64(3000)
    )
    assert a == pytest.approx(-log_p / np.log(10), rel=1e-9)
    assert a > 2900
    # in B: f = 0 < E, P(X ≤ 0) = same probability → symmetric score
    assert b == pytest.approx(log_p / np.log(10), rel=1e-9)


def test_log_tail_against_direct_sum_when_not_underflowing():
    for f, big_f, t, big_t, upper in [(30, 40, 200, 1000, True), (2, 40, 200, 1000, False)]:
        got = smod._log_tail(f, big_f, t, big_t, upper)
        ks = np.arange(f, min(big_f, t) + 1) if upper else np.arange(0, f + 1)
        want = math.log(hypergeom.pmf(ks, big_t, big_f, t).sum())
        assert got == pytest.approx(want, rel=1e-10)


def test_signs_threshold_top_and_banalities():
    table = pd.DataFrame(
        {
            "salarie": [40, 2, 10, 30],
            "benevole": [5, 35, 11, 31],
        },
        index=["contrat", "bénévolat", "projet", "association"],
    )
    res = specificities(table)
    assert res.scores.loc["contrat", "salarie"] > 2
    assert res.scores.loc["contrat", "benevole"] < -2
    top = res.top("salarie", 5)
    assert list(top.index) == ["contrat"]
    assert list(top.columns) == ["Effectif dans la partie", "Effectif total", "Attendu", "Score"]
    assert top.loc["contrat", "Effectif total"] == 45
    neg = res.top("salarie", 5, negative=True)
    assert list(neg.index) == ["bénévolat"]
    assert set(res.banalities) == {"projet", "association"}
    assert "Spécificités" in str(res) and "contrat" in str(res)
    assert "<table" in res._repr_html_()
    assert repr(res) == str(res)
    assert str(res).startswith("Spécificités (modèle hypergéométrique de Lafon) : 4 formes × 2")
    assert res == res and res != specificities(table)  # identity equality, never raises
    ax = res.plot("salarie")
    assert ax.get_title() == "Spécificités : salarie"
    with pytest.raises(ColumnError, match="salarié"):
        res.top("salarié")
    strict = specificities(table, min_score=50)
    assert strict.top("salarie").empty


def test_bad_tables():
    with pytest.raises(DataError, match="deux parties"):
        specificities(pd.DataFrame({"A": [1, 2]}))
    with pytest.raises(DataError, match="« b », partie « B »"):
        specificities(pd.DataFrame({"A": [1, 2], "B": [3, 2.5]}, index=["a", "b"]))
    with pytest.raises(DataError, match="non numériques"):
        specificities(pd.DataFrame({"A": ["x"], "B": ["y"]}))
    with pytest.raises(DataError, match="aucune occurrence"):
        specificities(pd.DataFrame({"A": [1, 2], "B": [0, 0]}))
    with pytest.raises(DataError, match="type de données"):
        specificities([[1, 2], [3, 4]])
    with pytest.raises(DataError, match="qu'avec un corpus"):
        specificities(pd.DataFrame({"A": [1, 2], "B": [3, 2]}), by="statut")


class FakeCorpus:
    def segment_matrix(self, kind="active"):  # marks the object as a Corpus
        raise AssertionError


def test_corpus_needs_by():
    with pytest.raises(DataError, match="by="):
        specificities(FakeCorpus())


def test_corpus_uses_lexical_table(monkeypatch):
    counts = importlib.import_module("movsc_toolkit.lexico.specificities")
    table = pd.DataFrame({"a": [5, 1], "b": [1, 5]}, index=["x", "y"])
    seen = {}

    def fake(corpus, by, unit="lemma", kind="all", min_freq=1):
        seen.update(by=by, unit=unit, kind=kind, min_freq=min_freq)
        return table

    monkeypatch.setattr(counts, "lexical_table", fake)
    res = specificities(FakeCorpus(), by="statut", unit="form", min_freq=2)
    assert seen == {"by": "statut", "unit": "form", "kind": "all", "min_freq": 2}
    pd.testing.assert_frame_equal(res.table, table)
