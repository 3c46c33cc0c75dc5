"""Tests of movsc_toolkit.survey.sampling (sample size, margin of error, quotas, raking)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import ColumnError, DataError, OptionError
from movsc_toolkit.survey import margin_of_error, quotas, rake, sample_size


def test_sample_size_golden_values() -> None:
    """survey.md §4.1: n₀ = 384.15 → 385; N = 2000 → 322.39 → 323."""
    assert sample_size() == 385
    assert sample_size(population=2000) == 323
    assert sample_size(population=2000, response_rate=0.5) == 645
    assert sample_size(margin=0.03, confidence=0.99) == 1844  # 2.5758² · 0.25 / 0.0009
    with pytest.raises(OptionError, match="marge"):
        sample_size(margin=5)
    with pytest.raises(OptionError, match="confiance"):
        sample_size(confidence=95)


def test_margin_of_error_golden_values() -> None:
    assert margin_of_error(323, population=2000) == pytest.approx(0.0499, abs=5e-5)
    assert margin_of_error(323) == pytest.approx(0.0545, abs=5e-5)
    assert margin_of_error(2000, population=2000) == 0
    with pytest.raises(DataError, match="plus grand"):
        margin_of_error(3000, population=2000)


def test_quotas_largest_remainder() -> None:
    table = quotas({"sexe": {"F": 5200, "H": 4800}, "âge": {"a": 1, "b": 1, "c": 1}}, 100)
    assert table.loc[("sexe", "F"), "Quota"] == 52
    assert table.xs("âge")["Quota"].sum() == 100
    assert table.xs("âge")["Quota"].tolist() == [34, 33, 33]
    with pytest.raises(DataError, match="positifs"):
        quotas({"sexe": {"F": -1, "H": 3}}, 10)


def _toy() -> pd.DataFrame:
    rows = []
    for i in range(200):
        sexe = "F" if (i * 7) % 10 < 4 else "H"
        age = "jeune" if (i * 3) % 7 < 4 else "vieux"
        csp = ["a", "b", "c"][(i * i + i // 3) % 3]
        rows.append((sexe, age, csp))
    return pd.DataFrame(rows, columns=["sexe", "age", "csp"]).assign(w=5.0)


MARGINS = {
    "sexe": {"F": 520, "H": 480},
    "age": {"jeune": 400, "vieux": 600},
    "csp": {"a": 300, "b": 450, "c": 250},
}


def test_rake_matches_r_survey() -> None:
    """R 4.2.2, survey 4.1-1: rake(svydesign(weights = 5), 3 margins), default control."""
    res = rake(_toy(), MARGINS, weights="w", max_iter=10, tol=1)
    np.testing.assert_allclose(
        res.weights.to_numpy()[:8],
        [
            4.07005075914,
            3.72726603065,
            7.64998394405,
            6.07160308684,
            4.22384402568,
            2.05796384291,
            6.88051354901,
            2.49854308995,
        ],
        rtol=1e-10,
    )
    assert res.weights.sum() == pytest.approx(1000)
    # Tight tolerance (R: control = list(maxit = 100, epsilon = 1e-9))
    tight = rake(_toy(), MARGINS, weights="w", tol=1e-12)
    np.testing.assert_allclose(
        tight.weights.to_numpy()[:8],
        [
            4.07020211793,
            3.72705123076,
            7.64965766012,
            6.07182171341,
            4.22365709637,
            2.05784194257,
            6.88085332878,
            2.49840204951,
        ],
        rtol=1e-9,
    )
    assert tight.converged
    assert tight.g_min * 5 == pytest.approx(2.05784194257, rel=1e-8)
    assert tight.g_max * 5 == pytest.approx(12.4622267324, rel=1e-8)
    np.testing.assert_allclose(tight.margins["Après"], tight.margins["Cible"])
    assert tight.n_eff == pytest.approx(1000**2 / np.sum(tight.weights**2))
    assert "convergence atteinte" in str(tight)


def test_rake_proportions_sum_to_n_and_errors() -> None:
    data = _toy()
    res = rake(data, {"sexe": {"F": 0.52, "H": 0.48}, "age": {"jeune": 40, "vieux": 60}})
    assert res.weights.sum() == pytest.approx(200)
    assert res.weights[data["sexe"] == "F"].sum() == pytest.approx(104)
    not_conv = rake(data, MARGINS, max_iter=1, tol=1e-12)
    assert not not_conv.converged and "PAS de convergence" in str(not_conv)
    with pytest.raises(DataError, match="« c » de « csp » n'a pas de marge"):
        rake(data, {"csp": {"a": 1, "b": 1}})
    with pytest.raises(DataError, match="aucun répondant"):
        rake(data, {"sexe": {"F": 1, "H": 1, "X": 1}})
    with pytest.raises(DataError, match="même total"):
        rake(data, {"sexe": {"F": 520, "H": 480}, "age": {"jeune": 1, "vieux": 2}})
    with pytest.raises(ColumnError, match="sexe"):
        rake(data, {"sex": {"F": 1}})
    with pytest.raises(DataError, match="négatifs"):
        rake(data.assign(w=-1.0), MARGINS, weights="w")
    with pytest.raises(DataError, match="pas de réponse"):
        rake(data.assign(sexe=[None] + ["F"] * 199), {"sexe": {"F": 1}})


def test_margins_as_long_table() -> None:
    long = pd.DataFrame(
        [("sexe", k, v) for k, v in MARGINS["sexe"].items()]
        + [("age", k, v) for k, v in MARGINS["age"].items()],
        columns=["variable", "modalite", "effectif"],
    )
    from_table = rake(_toy(), long)
    from_dict = rake(_toy(), {"sexe": MARGINS["sexe"], "age": MARGINS["age"]})
    np.testing.assert_allclose(from_table.weights, from_dict.weights)
    assert quotas(long, 50).loc[("age", "vieux"), "Quota"] == 30
    with pytest.raises(DataError, match="trois colonnes"):
        rake(_toy(), long.iloc[:, :2])
