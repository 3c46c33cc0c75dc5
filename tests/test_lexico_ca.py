"""Tests of the lexical correspondence analysis (movsc_toolkit.lexico.ca)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from movsc_toolkit._errors import DataError
from movsc_toolkit.lexico.ca import ca
from movsc_toolkit.lexico.reinert import reinert
from movsc_toolkit.lexico.specificities import specificities

# Greenacre's smoking data (staff groups × smoking categories), the classic CA example
# (R package ``ca``, dataset ``smoke``; FactoMineR ``CA(smoke)`` gives the same numbers).
SMOKE = pd.DataFrame(
    [[4, 2, 3, 2], [4, 3, 7, 4], [25, 10, 12, 4], [18, 24, 33, 13], [10, 6, 7, 2]],
    index=["SM", "JM", "SE", "JE", "SC"],
    columns=["none", "light", "medium", "heavy"],
)


def signs_aligned(got: pd.DataFrame, want: np.ndarray) -> np.ndarray:
    got = got.to_numpy()[:, : want.shape[1]]
    flip = np.sign((got * want).sum(axis=0))
    return got * flip


def test_smoke_textbook_values():
    res = ca(SMOKE, n_components=2)
    eig = res.eigenvalues
    assert list(eig.columns) == ["Valeur propre", "% d'inertie", "% cumulé"]
    np.testing.assert_allclose(eig["Valeur propre"], [0.074759, 0.010017, 0.000414], atol=2e-6)
    np.testing.assert_allclose(eig["% d'inertie"], [87.76, 11.76, 0.49], atol=0.01)
    rows = np.array(
        [
            [-0.066, 0.194],
            [0.259, 0.243],
            [-0.381, 0.011],
            [0.233, -0.058],
            [-0.201, -0.079],
        ]
    )
    cols = np.array([[-0.393, 0.030], [0.099, -0.141], [0.196, -0.007], [0.294, 0.198]])
    np.testing.assert_allclose(signs_aligned(res.row_coordinates, rows), rows, atol=1e-3)
    np.testing.assert_allclose(signs_aligned(res.column_coordinates, cols), cols, atol=1e-3)


def test_contributions_and_cos2_against_numpy():
    rng = np.random.default_rng(0)
    table = pd.DataFrame(
        rng.poisson(rng.uniform(1, 20, size=(30, 1)) * rng.uniform(0.5, 2, size=(30, 4))),
        index=[f"mot{i}" for i in range(30)],
        columns=[f"Classe {k}" for k in range(1, 5)],
    )
    table = table[table.sum(axis=1) > 0]
    res = ca(table, n_components=3)
    p = table.to_numpy(float) / table.to_numpy().sum()
    r, c = p.sum(1), p.sum(0)
    s = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    u, sigma, vt = np.linalg.svd(s, full_matrices=False)
    f = u[:, :3] * sigma[:3] / np.sqrt(r)[:, None]
    g = vt[:3].T * sigma[:3] / np.sqrt(c)[:, None]
    np.testing.assert_allclose(res.eigenvalues["Valeur propre"][:3], sigma[:3] ** 2, rtol=1e-10)
    np.testing.assert_allclose(signs_aligned(res.row_coordinates, f), f, atol=1e-10)
    np.testing.assert_allclose(signs_aligned(res.column_coordinates, g), g, atol=1e-10)
    ctr = 100 * r[:, None] * f**2 / sigma[:3] ** 2
    np.testing.assert_allclose(res.row_contributions.to_numpy(), ctr, atol=1e-9)
    assert np.allclose(res.column_contributions.sum(), 100)
    d2 = ((p / r[:, None] - c) ** 2 / c).sum(1)
    np.testing.assert_allclose(res.row_cos2.to_numpy(), f**2 / d2[:, None], atol=1e-10)
    top = res.top_rows(1, 5)
    assert top["Contribution (%)"].is_monotonic_decreasing
    assert "Analyse factorielle" in str(res) and "<table" in res._repr_html_()
    assert repr(res) == f"<LexicalCAResult : {len(table)} lignes × 4 colonnes, 3 axes>"
    ax = res.plot(n_rows=10)
    assert ax.get_xlabel().startswith("Axe 1")


def topic_matrix(n_seg=400, n_terms=60, n_topics=4, seed=0):
    rng = np.random.default_rng(seed)
    topic_words = rng.integers(0, n_topics, n_terms)
    topic_of_seg = rng.integers(0, n_topics, n_seg)
    dense = np.zeros((n_seg, n_terms))
    for i in range(n_seg):
        w = np.where(topic_words == topic_of_seg[i], 8.0, 1.0)
        dense[i, rng.choice(n_terms, size=rng.poisson(6) + 1, p=w / w.sum())] = 1
    return dense


def test_ca_of_a_reinert_classification():
    x = topic_matrix()
    meta = pd.DataFrame({"statut": np.where(np.arange(400) < 200, "salarie", "usager")})
    res = reinert(
        pd.DataFrame(x, columns=[f"l{j}" for j in range(60)]),
        n_splits=5,
        min_class_size=20,
        metadata=meta,
    )
    afc = ca(res, n_components=2)
    k = res.n_classes
    assert list(afc.column_coordinates.index) == [f"Classe {i}" for i in range(1, k + 1)]
    # the analysed table is the lemma × class table of segment counts of the profiles
    classes = res.classes.to_numpy()
    word = afc.table.index[0]
    j = int(word[1:])
    for i in range(1, k + 1):
        assert afc.table.loc[word, f"Classe {i}"] == x[classes == i, j].sum()
    assert set(afc.sup_row_coordinates.index) == {"*statut_salarie", "*statut_usager"}
    afc.plot(supplementary=True)


def test_ca_of_specificities_and_sparse_free_errors():
    table = SMOKE.T.copy()
    res = ca(specificities(table), n_components=2)
    np.testing.assert_allclose(
        res.eigenvalues["Valeur propre"][:2], [0.074759, 0.010017], atol=2e-6
    )
    with pytest.raises(DataError, match="vides"):
        ca(pd.DataFrame({"a": [1, 0], "b": [2, 0]}, index=["x", "y"]))
    with pytest.raises(DataError, match="type de données"):
        ca(sp.csr_matrix(np.eye(3)))
    with pytest.raises(DataError, match="n_components"):
        ca(SMOKE, n_components=0)
    with pytest.raises(DataError, match="axe 3"):
        ca(SMOKE, n_components=2).plot(axes=(1, 3))
