"""Tests of movsc_toolkit.lexico.similitudes."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import networkx as nx
import numpy as np
import pytest

from movsc_toolkit._errors import DataError
from movsc_toolkit.lexico import read_corpus, similitudes

matplotlib.use("Agg")
MINI = Path(__file__).parents[1] / "data" / "lexico" / "entretiens_mini.txt"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return read_corpus(MINI, speakers="drop").lemmatize(
        progress=False, cache_dir=tmp_path_factory.mktemp("cache")
    )


def test_cooccurrence_counts(corpus):
    result = similitudes(corpus, n_terms=12, min_freq=1)
    words = list(result.matrix.index)
    assert len(words) == 12
    tokens = corpus.tokens
    active = tokens[tokens["statut"] == "actif"]
    segs = {w: set(active.loc[active["lemme"] == w, "segment"]) for w in words}
    for a in words:
        assert result.frequencies[a] == len(segs[a])
        for b in words:
            if a != b:
                assert result.matrix.loc[a, b] == len(segs[a] & segs[b])
    # the 12 most frequent (in segments) words are kept
    matrix, _, _ = corpus.segment_matrix(min_freq=1)
    presence = np.asarray(matrix.sum(axis=0)).ravel()
    assert min(result.frequencies) >= sorted(presence, reverse=True)[11]


def test_maximum_spanning_tree(corpus):
    result = similitudes(corpus, n_terms=15, min_freq=2)
    graph = result.graph
    assert nx.is_forest(graph)
    full = nx.Graph()
    m = result.matrix
    for i, a in enumerate(m.index):
        for b in m.index[i + 1 :]:
            if m.loc[a, b] > 0:
                full.add_edge(a, b, weight=m.loc[a, b])
    best = nx.maximum_spanning_tree(full)
    total = sum(d["weight"] for *_, d in graph.edges(data=True))
    assert total == pytest.approx(sum(d["weight"] for *_, d in best.edges(data=True)))
    assert len(result.edges) == graph.number_of_edges()
    assert result.edges["Indice"].is_monotonic_decreasing
    assert set(result.communities.index) == set(m.index)
    assert result.communities.min() == 1
    again = similitudes(corpus, n_terms=15, min_freq=2)
    assert again.edges.equals(result.edges)
    assert again.communities.equals(result.communities)


def test_jaccard(corpus):
    cooc = similitudes(corpus, n_terms=10, min_freq=2)
    jac = similitudes(corpus, index="jaccard", n_terms=10, min_freq=2)
    a, b = cooc.edges.iloc[0][["Mot 1", "Mot 2"]]
    n_ab = cooc.matrix.loc[a, b]
    expected = n_ab / (cooc.frequencies[a] + cooc.frequencies[b] - n_ab)
    assert jac.matrix.loc[a, b] == pytest.approx(expected)
    assert jac.matrix.to_numpy().max() <= 1


def test_plot_and_errors(corpus):
    result = similitudes(corpus, n_terms=10, min_freq=2)
    ax = result.plot()
    assert "similitudes" in ax.get_title()
    labels = {t.get_text() for t in ax.texts}
    assert set(result.matrix.index) <= labels
    assert "communauté" in str(result).lower()
    with pytest.raises(DataError, match="index"):
        similitudes(corpus, index="dice")


def test_plot_is_deterministic(corpus):
    result = similitudes(corpus, n_terms=12, min_freq=1)
    first = [t.get_position() for t in result.plot().texts]
    second = [t.get_position() for t in result.plot().texts]
    assert first == second
