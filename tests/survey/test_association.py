"""Tests of movsc_toolkit.survey.association (χ², Fisher, Cramér's V, mean comparisons)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import Table

from movsc_toolkit._errors import ColumnError, DataError, OptionError
from movsc_toolkit.survey import chi2_test, compare_means, cramers_v, fisher_test
from movsc_toolkit.survey.association import strength_thresholds


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _frame(table: list[list[int]], rows: str = "xyz", cols: str = "uvw") -> pd.DataFrame:
    records = [
        (rows[i], cols[j])
        for i, line in enumerate(table)
        for j, n in enumerate(line)
        for _ in range(n)
    ]
    return pd.DataFrame(records, columns=["a", "b"])


REF = [[20, 15, 10], [12, 18, 20], [8, 10, 25]]


def test_reference_table_golden_values() -> None:
    """survey.md §4.2 / §4.5 (R 4.2.2 chisq.test)."""
    res = chi2_test(_frame(REF), "a", "b")
    assert res.chi2 == pytest.approx(14.162, abs=5e-4)
    assert res.dof == 4
    assert res.pvalue == pytest.approx(0.006797, abs=5e-7)
    assert res.cramers_v == pytest.approx(0.2265, abs=5e-5)
    np.testing.assert_allclose(
        res.expected,
        [[13.043, 14.022, 17.935], [14.493, 15.580, 19.928], [12.464, 13.399, 17.138]],
        atol=5e-4,
    )
    np.testing.assert_allclose(
        res.pearson_residuals,
        [[1.926, 0.261, -1.874], [-0.655, 0.613, 0.016], [-1.264, -0.928, 1.899]],
        atol=5e-4,
    )
    np.testing.assert_allclose(
        res.residuals,
        [[2.784, 0.384, -2.943], [-0.973, 0.925, 0.026], [-1.808, -1.349, 2.952]],
        atol=5e-4,
    )
    assert res.conditions_ok and res.fisher_pvalue is None and res.significant
    text = str(res)
    assert "χ² = 14,16" in text and "on rejette" in text
    assert "« x » × « u »" in text and "sous-représentées" in text
    assert "Résidus ajustés" in res._repr_html_()
    assert res.to_frame().loc["ddl", "Valeur"] == 4


def test_2x2_no_yates_and_fisher() -> None:
    """R: chisq.test(correct = FALSE) = 5.8333, V = 0.28868, fisher.test p = 0.028950."""
    df = _frame([[25, 15], [10, 20]], "xy", "uv")
    res = chi2_test(df, "a", "b")
    assert res.chi2 == pytest.approx(5.833333333)
    assert res.cramers_v == pytest.approx(0.2886751346)
    assert cramers_v(df, "a", "b") == pytest.approx(0.2886751346)
    np.testing.assert_allclose(
        res.residuals, [[2.415229458, -2.415229458]] * 1 + [[-2.415229458, 2.415229458]]
    )
    fisher = fisher_test(df, "a", "b")
    assert fisher.pvalue == pytest.approx(0.02895007699)
    assert fisher.odds_ratio == pytest.approx(25 * 20 / (15 * 10))
    assert "Fisher" in str(fisher)


def test_zero_cell_not_shifted() -> None:
    """R: chisq.test gives 18.05093 (statsmodels' default zero shift would alter it)."""
    table = [[10, 0, 5], [4, 8, 6], [2, 7, 12]]
    res = chi2_test(_frame(table), "a", "b")
    assert res.chi2 == pytest.approx(18.05093168)
    assert res.pvalue == pytest.approx(0.001206131198)
    np.testing.assert_allclose(
        res.residuals,
        [
            [3.6964804357, -2.8263343186, -0.8533662156],
            [-0.8429272304, 1.9335101599, -0.9729871876],
            [-2.5811504533, 0.7270978811, 1.7249219229],
        ],
    )
    sm = Table(np.array(table), shift_zeros=False)
    np.testing.assert_allclose(res.residuals, sm.standardized_resids)
    assert res.observed.iloc[0, 1] == 0


def test_random_tables_agree_with_scipy() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.choice(list("pqrs"), 400), "b": rng.choice(list("uvwxy"), 400)})
    res = chi2_test(df, "a", "b")
    chi2, p, dof, expected = stats.chi2_contingency(pd.crosstab(df["a"], df["b"]), correction=False)
    assert res.chi2 == pytest.approx(chi2)
    assert res.pvalue == pytest.approx(p)
    assert res.dof == dof
    np.testing.assert_allclose(res.expected, expected)
    v = stats.contingency.association(pd.crosstab(df["a"], df["b"]), method="cramer")
    assert res.cramers_v == pytest.approx(v)


def test_cochran_rule_and_fisher_switch() -> None:
    small = pd.DataFrame({"a": list("xxxxyyyyyy"), "b": list("uuuvvvvvvu")})
    res = chi2_test(small, "a", "b")
    assert not res.conditions_ok
    assert res.n_small == 4 and res.min_expected == pytest.approx(1.6)
    assert res.fisher_pvalue == pytest.approx(stats.fisher_exact([[3, 1], [1, 5]])[1])
    assert "Cochran" in str(res) and "Fisher" in str(res)
    # 2 × 3 with small expected counts: the exact Fisher test replaces the χ², and merging is
    # suggested. R: fisher.test(matrix(c(3,1,0,1,4,2), nrow=2, byrow=TRUE))$p.value = 0.27272727
    df = _frame([[3, 1, 0], [1, 4, 2]], "xy", "uvw")
    res = chi2_test(df, "a", "b")
    assert not res.conditions_ok and res.fisher_exact
    assert res.fisher_pvalue == pytest.approx(0.27272727, abs=1e-8)
    assert "regroupez" in str(res) and "test exact de Fisher" in str(res)


# Golden values from R 4.2.2 (Debian 12 r-base-core), script:
#   t1 <- matrix(c(2,0,5, 6,3,1), nrow=2, byrow=TRUE)
#   t2 <- matrix(c(3,1,0, 1,4,2, 0,2,6), nrow=3, byrow=TRUE)
#   fisher.test(t)$p.value                      # exact (network algorithm)
#   set.seed(1); chisq.test(t, simulate.p.value=TRUE, B=1e6)$p.value
#   chisq.test(t, correct=FALSE)$p.value
R_GOLDEN = [
    # table, exact Fisher p, χ² Monte-Carlo p (B = 1e6), asymptotic χ² p
    ([[2, 0, 5], [6, 3, 1]], 0.05213904, 0.027866, 0.02513904),
    ([[3, 1, 0], [1, 4, 2], [0, 2, 6]], 0.02115751, 0.007659, 0.01311594),
]


def _tolerance(p: float, n_sim: int) -> float:
    """Three Monte-Carlo standard errors (plus R's own, negligible at B = 1e6)."""
    return 3 * np.sqrt(p * (1 - p) / n_sim) + 3 * np.sqrt(p * (1 - p) / 1e6)


@pytest.mark.parametrize(("table", "fisher_p", "chi2_mc_p", "chi2_p"), R_GOLDEN)
def test_unreliable_chi2_uses_exact_fisher(table, fisher_p, chi2_mc_p, chi2_p) -> None:
    rows, cols = "xyz"[: len(table)], "uvw"[: len(table[0])]
    df = _frame(table, rows, cols)
    res = chi2_test(df, "a", "b", simulate_p_value=True)
    assert res.pvalue == pytest.approx(chi2_p, abs=1e-8)
    assert not res.conditions_ok and res.fisher_exact
    assert res.fisher_pvalue == pytest.approx(fisher_p, abs=1e-8)  # R's exact p-value
    assert res.simulated_pvalue == pytest.approx(chi2_mc_p, abs=_tolerance(chi2_mc_p, 10_000))
    assert res.decision_pvalue == res.fisher_pvalue
    assert "Le test exact de Fisher la remplace" in str(res)
    # same seed, same value (deterministic display)
    again = chi2_test(df, "a", "b", simulate_p_value=True)
    assert again.simulated_pvalue == res.simulated_pvalue
    exact = fisher_test(df, "a", "b")
    assert not exact.simulated and exact.pvalue == pytest.approx(fisher_p, abs=1e-8)
    assert "Test exact de Fisher" in str(exact) and "odds ratio" not in str(exact)
    # Monte-Carlo Fisher, as R fisher.test(simulate.p.value = TRUE): within 3 SE of the exact p
    simulated = fisher_test(df, "a", "b", method="simulate")
    assert simulated.simulated
    assert simulated.pvalue == pytest.approx(fisher_p, abs=_tolerance(fisher_p, 10_000))
    assert fisher_test(df, "a", "b", method="simulate").pvalue == simulated.pvalue  # seeded
    assert "Monte-Carlo" in str(simulated)


def test_large_sparse_table_falls_back_to_monte_carlo() -> None:
    """Too many tables to list: the p-value is simulated and the result says so; the
    exact enumeration, run here once without limit on a smaller table, agrees with it."""
    from movsc_toolkit.survey._contingency import exact_fisher_pvalue

    table = [[20, 15, 10, 1], [12, 18, 20, 0], [8, 10, 25, 2]]
    res = chi2_test(_frame(table, "xyz", "uvwt"), "a", "b")
    assert not res.conditions_ok and not res.fisher_exact
    assert "Monte-Carlo" in str(res) and "graine 0" in str(res)
    assert exact_fisher_pvalue(np.array(table), limit=10) is None
    small = np.array([[4, 2, 0, 1], [1, 3, 2, 0], [0, 1, 4, 3]])
    exact = exact_fisher_pvalue(small)
    simulated = fisher_test(_frame(small.tolist(), "xyz", "uvwt"), "a", "b", method="simulate")
    assert simulated.pvalue == pytest.approx(exact, abs=_tolerance(exact, 10_000))


def test_no_conclusion_from_unreliable_chi2() -> None:
    """2 × 3 table: asymptotic χ² p = 0,025 but Fisher p ≈ 0,052 (R): not significant."""
    res = chi2_test(_frame([[2, 0, 5], [6, 3, 1]], "xy", "uvw"), "a", "b")
    text = str(res)
    assert res.pvalue < 0.05 and not res.significant
    assert "n'est pas fiable" in text and "liées" not in text
    conclusion = next(line for line in text.splitlines() if line.startswith("Conclusion"))
    assert "Fisher" in conclusion and "on ne peut pas conclure" in conclusion
    # the lines after « pas fiable » never conclude from the χ² p-value
    after = text[text.index("pas fiable") :]
    assert "test du χ²)" not in after


def test_fisher_2x2_exact_r_value() -> None:
    """R: fisher.test(matrix(c(1,5,7,2), 2, byrow=TRUE))$p.value = 0.04055944."""
    res = chi2_test(_frame([[1, 5], [7, 2]], "xy", "uv"), "a", "b")
    assert res.fisher_exact and res.fisher_pvalue == pytest.approx(0.04055944, abs=1e-7)
    assert "test exact de Fisher" in str(res)


def test_monte_carlo_argument_checks() -> None:
    df = _frame([[2, 0, 5], [6, 3, 1]], "xy", "uvw")
    with pytest.raises(DataError, match="au moins un tableau"):
        chi2_test(df, "a", "b", n_simulations=0)
    with pytest.raises(OptionError, match="2 × 2"):
        fisher_test(df, "a", "b", alternative="greater")
    with pytest.raises(OptionError, match="method="):
        fisher_test(df, "a", "b", method="hasard")


@pytest.mark.parametrize(
    ("df_star", "expected"),
    [(1, (0.10, 0.30, 0.50)), (2, (0.0707, 0.2121, 0.3536)), (3, (0.0577, 0.1732, 0.2887))],
)
def test_cramers_v_thresholds_by_degrees_of_freedom(df_star, expected) -> None:
    """Cohen (1988): w = 0,1 / 0,3 / 0,5 and V = w / sqrt(df*)."""
    assert strength_thresholds(df_star) == pytest.approx(expected, abs=1e-4)


def test_cramers_v_strength_reading_uses_df_star() -> None:
    # REF: V = 0,2265 with df* = 2: « moyenne » (≥ 0,212), not « faible » as with 0,1/0,3/0,5
    res = chi2_test(_frame(REF), "a", "b")
    assert "intensité moyenne" in str(res) and "ddl* = 2" in str(res)
    # 4 × 4 table with V ≈ 0,2 : « moyenne » for df* = 3 (thresholds 0,06 / 0,17 / 0,29)
    table = [[12, 5, 5, 3], [5, 12, 5, 5], [5, 5, 12, 5], [3, 5, 5, 12]]
    res = chi2_test(_frame(table, "wxyz", "stuv"), "a", "b")
    assert 0.17 < res.cramers_v < 0.29
    assert "intensité moyenne" in str(res) and "ddl* = 3" in str(res)


def test_missing_answers_are_reported() -> None:
    df = _frame(REF)
    df.loc[[0, 1, 2], "b"] = None
    res = chi2_test(df, "a", "b")
    assert res.n == 135 and res.n_excluded == 3
    assert "3 répondant(s)" in str(res)


def test_weights_are_normalised() -> None:
    df = _frame(REF)
    res = chi2_test(df.assign(w=2.0), "a", "b", weights="w")
    plain = chi2_test(df, "a", "b")
    assert res.chi2 == pytest.approx(plain.chi2)
    assert res.weighted and "indicatif" in str(res)


def test_bad_inputs() -> None:
    df = _frame(REF)
    with pytest.raises(ColumnError, match="« b »"):
        chi2_test(df, "a", "B ")
    with pytest.raises(DataError, match="une seule modalité"):
        chi2_test(df.assign(c="k"), "a", "c")
    with pytest.raises(DataError, match="vide"):
        chi2_test(df.iloc[:0], "a", "b")
    with pytest.raises(DataError, match="négatifs"):
        chi2_test(df.assign(w=-1.0), "a", "b", weights="w")
    with pytest.raises(DataError, match="manquants"):
        chi2_test(df.assign(w=np.nan), "a", "b", weights="w")


def test_plot_residuals() -> None:
    ax = chi2_test(_frame(REF), "a", "b").plot()
    assert ax.get_title().startswith("Résidus ajustés")


def test_compare_means_two_and_more_groups() -> None:
    rng = np.random.default_rng(1)
    values = rng.normal(size=90) + np.repeat([0, 0.5, 1], 30)
    df = pd.DataFrame({"v": values, "g": np.repeat(list("ABC"), 30)})
    res = compare_means(df, "v", "g")
    groups = [values[:30], values[30:60], values[60:]]
    assert res.statistic == pytest.approx(stats.f_oneway(*groups).statistic)
    assert res.pvalue == pytest.approx(stats.f_oneway(*groups).pvalue)
    assert res.nonparametric_pvalue == pytest.approx(stats.kruskal(*groups).pvalue)
    assert res.groups.loc["B", "Moyenne"] == pytest.approx(groups[1].mean())
    assert "ANOVA" in str(res) and "significative" in str(res)
    two = compare_means(df[df.g != "C"], "v", "g")
    welch = stats.ttest_ind(groups[0], groups[1], equal_var=False)
    assert two.statistic == pytest.approx(welch.statistic)
    assert two.pvalue == pytest.approx(welch.pvalue)
    mw = stats.mannwhitneyu(groups[0], groups[1], alternative="two-sided")
    assert two.nonparametric_pvalue == pytest.approx(mw.pvalue)
    assert two.plot().get_title().startswith("« v »")


def test_compare_means_weights_and_errors() -> None:
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"v": rng.normal(size=40), "g": np.repeat(list("AB"), 20)})
    plain = compare_means(df, "v", "g")
    weighted = compare_means(df.assign(w=3.0), "v", "g", weights="w")
    assert weighted.statistic == pytest.approx(plain.statistic)
    assert weighted.nonparametric_test is None
    with pytest.raises(DataError, match="non numériques"):
        compare_means(df.assign(v="abc"), "v", "g")
    with pytest.raises(DataError, match="un seul groupe"):
        compare_means(df.assign(g="A"), "v", "g")


def test_results_print_as_french_text() -> None:
    res = chi2_test(_frame(REF), "a", "b")
    assert repr(res) == str(res)
    fisher = fisher_test(_frame([[25, 15], [10, 20]], "xy", "uv"), "a", "b")
    assert repr(fisher).startswith("Test exact")


def test_weighted_anova_equals_wls() -> None:
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(3)
    df = pd.DataFrame(
        {
            "v": rng.normal(size=60) + np.repeat([0, 0.4, 0.8], 20),
            "g": np.repeat(list("ABC"), 20),
            "w": rng.uniform(0.5, 3, 60),
        }
    )
    res = compare_means(df, "v", "g", weights="w")
    wn = df["w"] * 60 / df["w"].sum()
    fit = smf.wls("v ~ C(g)", data=df, weights=wn).fit()
    assert res.statistic == pytest.approx(fit.fvalue)
    assert res.pvalue == pytest.approx(fit.f_pvalue)
    assert res.eta2 == pytest.approx(fit.rsquared)
    assert res.groups.loc["A", "Moyenne"] == pytest.approx(np.average(df.v[:20], weights=df.w[:20]))


def test_bias_corrected_cramers_v() -> None:
    df = _frame(REF)
    n, phi2 = 138, 14.161664 / 138
    phi2_t = phi2 - 4 / (n - 1)
    k_t = 3 - 4 / (n - 1)
    expected = np.sqrt(phi2_t / (k_t - 1))
    assert cramers_v(df, "a", "b", corrected=True) == pytest.approx(expected, rel=1e-6)
    assert cramers_v(df, "a", "b", corrected=True) < cramers_v(df, "a", "b")
