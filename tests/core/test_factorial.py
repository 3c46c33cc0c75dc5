"""Tests of the correspondence-analysis core (movsc_toolkit.factorial)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.stats import chi2_contingency

from movsc_toolkit import factorial
from movsc_toolkit._errors import DataError
from movsc_toolkit.factorial import correspondence_analysis

TABLE = np.array([[20, 15, 10], [12, 18, 20], [8, 10, 25]], dtype=float)


def _random_table(seed: int = 0, shape: tuple[int, int] = (60, 12)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    table = rng.poisson(3, shape).astype(float)
    table[:, 0] += 1  # no empty row
    table[0] += 1  # no empty column
    return table


def test_total_inertia_is_chi2_over_n() -> None:
    res = correspondence_analysis(TABLE)
    chi2 = chi2_contingency(TABLE, correction=False)[0]
    assert res.total_inertia == pytest.approx(chi2 / TABLE.sum(), rel=1e-12)
    assert res.eigenvalues["Valeur propre"].sum() == pytest.approx(chi2 / TABLE.sum())
    assert list(res.eigenvalues.columns) == ["Valeur propre", "% d'inertie", "% cumulé"]
    assert res.eigenvalues["% cumulé"].iloc[-1] == pytest.approx(100)


def test_hand_computation_3x3() -> None:
    """Independent computation: eigen-decomposition of the profile matrix."""
    res = correspondence_analysis(TABLE)
    P = TABLE / TABLE.sum()
    r, c = P.sum(1), P.sum(0)
    # Row profiles' χ² metric: eigenvalues of (D_r^-1 P D_c^-1 Pᵀ) minus the trivial 1.
    M = np.diag(1 / r) @ P @ np.diag(1 / c) @ P.T
    vals = np.sort(np.linalg.eigvals(M).real)[::-1]
    assert vals[0] == pytest.approx(1)
    np.testing.assert_allclose(res.eigenvalues["Valeur propre"], vals[1:], rtol=1e-10)
    # Masses and squared distances
    np.testing.assert_allclose(res.row_masses, [45 / 138, 50 / 138, 43 / 138])
    profile = TABLE[0] / TABLE[0].sum()
    np.testing.assert_allclose(res.row_distances.iloc[0], np.sum((profile - c) ** 2 / c))


def test_reconstitution_and_transition_formulas() -> None:
    table = _random_table()
    res = correspondence_analysis(table)
    F, G = res.row_coordinates.to_numpy(), res.column_coordinates.to_numpy()
    lam = res.values
    P = table / table.sum()
    r, c = P.sum(1), P.sum(0)
    # Reconstitution: p_ij = r_i c_j (1 + Σ_s F_is G_js / √λ_s)
    rebuilt = np.outer(r, c) * (1 + (F / np.sqrt(lam)) @ G.T)
    np.testing.assert_allclose(rebuilt, P, atol=1e-12)
    # Transition formulas: F = (row profiles) G / √λ, G = (column profiles) F / √λ
    np.testing.assert_allclose((P / r[:, None]) @ G / np.sqrt(lam), F, atol=1e-10)
    np.testing.assert_allclose((P / c).T @ F / np.sqrt(lam), G, atol=1e-10)
    # Contributions sum to 100, cos² over all axes sum to 1, inertia decomposition
    np.testing.assert_allclose(res.row_contributions.sum(), 100)
    np.testing.assert_allclose(res.column_contributions.sum(), 100)
    np.testing.assert_allclose(res.row_cos2.sum(axis=1), 1)
    np.testing.assert_allclose(res.column_cos2.sum(axis=1), 1)
    np.testing.assert_allclose((res.row_masses * res.row_distances).sum(), res.total_inertia)


def test_sparse_gram_and_iterative_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    table = _random_table(1, (200, 30))
    dense = correspondence_analysis(table, n_components=4)
    sparse = correspondence_analysis(sp.csr_matrix(table), n_components=4)
    sparse_t = correspondence_analysis(sp.csr_matrix(table.T), n_components=4)
    monkeypatch.setattr(factorial, "_GRAM_LIMIT", 5)
    iterative = correspondence_analysis(sp.csr_matrix(table), n_components=4)
    for other in (sparse, iterative):
        np.testing.assert_allclose(other.values, dense.values, rtol=1e-9)
        np.testing.assert_allclose(other.row_coordinates, dense.row_coordinates, atol=1e-9)
        np.testing.assert_allclose(other.column_coordinates, dense.column_coordinates, atol=1e-9)
        np.testing.assert_allclose(other.row_cos2, dense.row_cos2, atol=1e-9)
        np.testing.assert_allclose(
            other.column_contributions, dense.column_contributions, atol=1e-8
        )
    # The transposed table swaps rows and columns (up to the sign convention).
    np.testing.assert_allclose(
        np.abs(sparse_t.row_coordinates.to_numpy()),
        np.abs(dense.column_coordinates.to_numpy()),
        atol=1e-9,
    )
    assert iterative.total_inertia == pytest.approx(dense.total_inertia)


def test_sign_convention() -> None:
    res = correspondence_analysis(_random_table(2))
    G = res.column_coordinates.to_numpy()
    pivot = np.argmax(np.abs(G), axis=0)
    assert (G[pivot, np.arange(G.shape[1])] > 0).all()


def test_labels_from_dataframe_and_n_components() -> None:
    df = pd.DataFrame(TABLE, index=["a", "b", "c"], columns=["x", "y", "z"])
    res = correspondence_analysis(df, n_components=1)
    assert list(res.row_coordinates.index) == ["a", "b", "c"]
    assert list(res.column_coordinates.columns) == ["Axe 1"]
    assert len(res.eigenvalues) == 2  # all eigenvalues are reported
    assert res.n_components == 1


def test_row_weights_equal_duplicated_rows() -> None:
    table = _random_table(3, (20, 6))
    weights = np.ones(20)
    weights[0] = 2
    weighted = correspondence_analysis(table, row_weights=weights)
    duplicated = correspondence_analysis(np.vstack([table, table[:1]]))
    np.testing.assert_allclose(weighted.values, duplicated.values)
    np.testing.assert_allclose(
        weighted.column_coordinates, duplicated.column_coordinates, atol=1e-10
    )
    np.testing.assert_allclose(
        weighted.row_coordinates, duplicated.row_coordinates.iloc[:20], atol=1e-10
    )


def test_supplementary_rows_and_columns() -> None:
    table = _random_table(4, (30, 8))
    res = correspondence_analysis(table, sup_rows=table[:3] * 5, sup_columns=table[:, :2])
    # A supplementary row with the profile of an active row lies exactly on it.
    np.testing.assert_allclose(res.sup_row_coordinates, res.row_coordinates.iloc[:3], atol=1e-10)
    np.testing.assert_allclose(res.sup_row_cos2, res.row_cos2.iloc[:3], atol=1e-10)
    np.testing.assert_allclose(
        res.sup_column_coordinates, res.column_coordinates.iloc[:2], atol=1e-10
    )
    np.testing.assert_allclose(res.sup_column_cos2, res.column_cos2.iloc[:2], atol=1e-10)
    np.testing.assert_allclose(res.project_rows(table[:3]), res.row_coordinates.iloc[:3])
    np.testing.assert_allclose(res.project_columns(table[:, :2]), res.column_coordinates.iloc[:2])


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (np.array([[1.0, -1.0], [2.0, 3.0]]), "négatives"),
        (np.array([[1.0, np.nan], [2.0, 3.0]]), "manquantes"),
        (np.array([[1.0, 2.0], [0.0, 0.0]]), "somme nulle"),
        (np.array([[1.0, 2.0, 3.0]]), "au moins deux"),
        (np.array([[1.0, 2.0], [2.0, 4.0]]), "aucune inertie"),
    ],
)
def test_bad_tables_raise_french_errors(table: np.ndarray, message: str) -> None:
    with pytest.raises(DataError, match=message):
        correspondence_analysis(table)


def test_bad_weights() -> None:
    with pytest.raises(DataError, match="négatives"):
        correspondence_analysis(TABLE, row_weights=[1, -1, 1])
    with pytest.raises(DataError, match="poids"):
        correspondence_analysis(TABLE, row_weights=[1, 1])


def test_factominer_golden_values() -> None:
    """FactoMineR 2.7 ``CA`` (R 4.2.2), compared up to the sign of each axis."""
    res = correspondence_analysis(TABLE)
    np.testing.assert_allclose(res.values, [0.094434394, 0.008186362], rtol=1e-7)
    np.testing.assert_allclose(
        np.abs(res.row_coordinates),
        np.abs([[0.39853012, -0.05612571], [-0.04304347, 0.11936242], [-0.36701586, -0.0800573]]),
        atol=1e-8,
    )
    np.testing.assert_allclose(
        res.row_contributions,
        [[54.8435470, 12.54776], [0.7108455, 63.05727], [44.4456076, 24.39497]],
        atol=1e-5,
    )
    np.testing.assert_allclose(
        res.column_cos2,
        [[0.9418178, 0.058182198], [0.4430513, 0.55694871], [0.9903958, 0.009604229]],
        atol=1e-7,
    )
    # Weighted rows: CA(T2, row.w = c(1, 2, 1, 1, 0.5))
    table = np.array(
        [[12, 5, 3, 8], [4, 10, 6, 2], [7, 3, 15, 9], [2, 8, 4, 14], [9, 6, 5, 3]], dtype=float
    )
    res = correspondence_analysis(table, row_weights=[1, 2, 1, 1, 0.5])
    np.testing.assert_allclose(res.values, [0.11626272428, 0.08970223075, 0.07759343957])
    np.testing.assert_allclose(
        res.eigenvalues["% d'inertie"], [41.00133394, 31.63448251, 27.36418355]
    )
    np.testing.assert_allclose(
        np.abs(res.column_coordinates),
        np.abs(
            [
                [-0.03642112666, 0.4648126187, 0.2676662511],
                [-0.37972936796, -0.3225656852, 0.1601611248],
                [-0.10579128701, 0.1086143683, -0.4626482586],
                [0.54495712519, -0.1905639848, 0.0458509085],
            ]
        ),
        atol=1e-9,
    )
    np.testing.assert_allclose(
        res.column_contributions,
        [
            [0.2626927404, 55.454193018, 21.2590592587],
            [33.2437104790, 31.091000667, 8.8611651423],
            [2.4148445381, 3.299143368, 69.2001014409],
            [64.0787522425, 10.155662946, 0.6796741582],
        ],
        atol=1e-7,
    )
    np.testing.assert_allclose(
        np.abs(res.row_coordinates.iloc[1]), [0.4649541159, 0.1663129516, 0.001943706208], atol=1e-9
    )
    np.testing.assert_allclose(
        res.row_cos2.iloc[4], [0.2089546154, 0.5926426518, 0.1984027329], atol=1e-9
    )


def test_short_repr() -> None:
    assert repr(correspondence_analysis(TABLE)).startswith(
        "Analyse des correspondances : 3 lignes × 3 colonnes"
    )
