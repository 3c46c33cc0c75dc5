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


# Golden values: FactoMineR 2.7 (R 4.2.2), ``CA(as.data.frame(tab), ncp = 3, graph = FALSE)``.
LEXICAL = pd.DataFrame(
    [
        [12, 3, 5, 0],
        [8, 9, 2, 1],
        [0, 4, 11, 6],
        [3, 3, 3, 9],
        [15, 1, 0, 2],
        [2, 10, 4, 4],
        [5, 5, 12, 0],
        [1, 0, 6, 14],
    ],
    index=["projet", "habitant", "budget", "jeune", "subvention", "famille", "bénévole", "atelier"],
    columns=[f"Classe {k}" for k in range(1, 5)],
)
FM_EIG = [
    [0.4077843515, 55.70667907, 55.70667907],
    [0.2109987730, 28.82415887, 84.53083794],
    [0.1132374488, 15.46916206, 100.0],
]
FM_ROW = np.array(
    [
        [-0.71548364282, -0.07430009054, -0.26486194299],
        [-0.52001133933, 0.25825320007, 0.43982943274],
        [0.60240365889, 0.33122797173, -0.27749230402],
        [0.48967848138, -0.38148297439, 0.22969217189],
        [-0.98647173222, -0.71162324552, -0.07002747389],
        [0.12345677534, 0.45750838188, 0.52886599793],
        [-0.08197777175, 0.55673270897, -0.45406134218],
        [0.96838460919, -0.58843927968, -0.05399744787],
    ]
)
FM_ROW_CTR = np.array(
    [
        [15.6920208337, 0.3270459453, 7.7438879086],
        [8.2890562145, 3.9511317048, 21.3544560521],
        [11.6800299982, 6.8245401418, 8.9250595304],
        [6.6152156412, 7.7593065998, 5.2414908837],
        [26.8467214176, 27.0005645437, 0.4871911232],
        [0.4672069723, 12.4001858206, 30.8753030396],
        [0.2266023249, 20.1983662777, 25.0346589312],
        [30.1831465975, 21.5388589663, 0.3379525311],
    ]
)
FM_ROW_COS2 = np.array(
    [
        [0.87121554840, 0.00939517523, 0.119389276366],
        [0.50967582998, 0.12570710773, 0.364617062290],
        [0.66027556470, 0.19961999193, 0.140104443374],
        [0.54736343424, 0.33220339210, 0.120433173657],
        [0.65555213401, 0.34114436177, 0.003303504223],
        [0.03022594377, 0.41509559247, 0.554678463755],
        [0.01285347676, 0.59281866987, 0.394327853373],
        [0.72867804042, 0.26905634312, 0.002265616467],
    ]
)
FM_COL = np.array(
    [
        [-0.8602145684, -0.3565623077, -0.08318276708],
        [-0.1391344182, 0.5553837148, 0.48322492146],
        [0.3204215820, 0.3860015039, -0.44680867109],
        [0.8517068544, -0.5454063481, 0.17017521920],
    ]
)
FM_COL_CTR = np.array(
    [
        [52.170005182, 17.32322647, 1.756768351],
        [1.038452554, 31.97822942, 45.108318030],
        [6.766458735, 18.97782932, 47.380711942],
        [40.025083530, 31.72071479, 5.754201676],
    ]
)
FM_COL_COS2 = np.array(
    [
        [0.84662220400, 0.1454611214, 0.007916674588],
        [0.03448751481, 0.5495143388, 0.415998146368],
        [0.22749572554, 0.3301472726, 0.442357001861],
        [0.68965803433, 0.2828094337, 0.027532531996],
    ]
)


def test_factominer_golden_values():
    res = ca(LEXICAL, n_components=3)
    np.testing.assert_allclose(res.eigenvalues.to_numpy(), FM_EIG, rtol=1e-8)
    np.testing.assert_allclose(signs_aligned(res.row_coordinates, FM_ROW), FM_ROW, atol=1e-9)
    np.testing.assert_allclose(signs_aligned(res.column_coordinates, FM_COL), FM_COL, atol=1e-9)
    np.testing.assert_allclose(res.row_contributions.to_numpy(), FM_ROW_CTR, atol=1e-8)
    np.testing.assert_allclose(res.column_contributions.to_numpy(), FM_COL_CTR, atol=1e-7)
    np.testing.assert_allclose(res.row_cos2.to_numpy(), FM_ROW_COS2, atol=1e-9)
    np.testing.assert_allclose(res.column_cos2.to_numpy(), FM_COL_COS2, atol=1e-9)


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
    assert repr(res) == str(res)
    assert str(res).startswith(f"Analyse factorielle des correspondances : {len(table)} lignes × 4")
    assert res == res and res != ca(table, n_components=3)  # identity equality, never raises
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
