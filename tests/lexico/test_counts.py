"""Tests of movsc_toolkit.lexico.counts (frequencies, lexical table, document-term matrix)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from movsc_toolkit._errors import ColumnError, DataError
from movsc_toolkit.lexico import (
    document_term_matrix,
    frequencies,
    lexical_table,
    plot_word_cloud,
    plot_zipf,
    read_corpus,
)

matplotlib.use("Agg")
MINI = Path(__file__).parents[1] / "data" / "lexico" / "entretiens_mini.txt"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return read_corpus(MINI, speakers="drop").lemmatize(
        progress=False, cache_dir=tmp_path_factory.mktemp("cache")
    )


def test_frequencies_against_a_plain_count(corpus):
    tokens = corpus.tokens
    for unit in ("lemma", "form"):
        result = frequencies(corpus, unit=unit)
        expected = Counter(tokens[{"lemma": "lemme", "form": "forme"}[unit]])
        assert result.table["Effectif"].to_dict() == dict(expected)
        assert result.n_occurrences == len(tokens)
        assert result.n_words == len(expected)
        assert result.n_hapax == sum(1 for c in expected.values() if c == 1)
        assert sorted(result.hapax) == sorted(w for w, c in expected.items() if c == 1)
        # exact shares (rounding is for display only)
        shares = 100 * result.table["Effectif"] / result.n_occurrences
        assert (result.table["%"] == shares).all()
        assert result.table["%"].sum() == pytest.approx(100, rel=1e-12)
    table = frequencies(corpus).table
    counts = table["Effectif"].to_numpy()
    assert (np.diff(counts) <= 0).all()  # decreasing
    assert table.loc["le", "Statut"] == "supplémentaire"
    assert table.loc["bénévole", "Statut"] == "actif"
    assert table.loc["bénévole", "Textes"] == 3
    assert "hapax" in str(frequencies(corpus))


def test_frequencies_active_only(corpus):
    result = frequencies(corpus, kind="active")
    assert set(result.table["Statut"]) == {"actif"}
    assert "le" not in result.table.index
    with pytest.raises(DataError, match="unit"):
        frequencies(corpus, unit="lemmes")


def test_lexical_table(corpus):
    table = lexical_table(corpus, "statut")
    assert list(table.columns) == ["benevole", "salarie", "usager"]
    assert table.columns.name == "statut"
    tokens = corpus.tokens
    statut = corpus.metadata["statut"].to_numpy()[tokens["texte"].to_numpy()]
    sizes = Counter(statut)
    assert table.sum().to_dict() == dict(sizes)  # parts' sizes = all their words
    enfant = Counter(statut[(tokens["lemme"] == "enfant").to_numpy()])
    assert table.loc["enfant"].to_dict() == {m: enfant.get(m, 0) for m in table.columns}
    assert table.to_numpy().dtype == np.int64
    totals = table.sum(axis=1).to_numpy()
    assert (np.diff(totals) <= 0).all()
    small = lexical_table(corpus, "statut", kind="active", min_freq=3)
    assert (small.sum(axis=1) >= 3).all() and "le" not in small.index
    with pytest.raises(ColumnError, match="statut"):
        lexical_table(corpus, "status")


def test_document_term_matrix(corpus):
    dtm = document_term_matrix(corpus, unit="lemma", level="text")
    assert dtm.matrix.shape == (3, len(dtm.terms))
    assert dtm.matrix.sum() == len(corpus.tokens)
    frame = dtm.to_frame()
    tokens = corpus.tokens
    assert frame.loc[2, "enfant"] == ((tokens["texte"] == 2) & (tokens["lemme"] == "enfant")).sum()
    seg = document_term_matrix(corpus, level="segment", kind="active", binary=True)
    assert seg.matrix.shape[0] == len(corpus.segments)
    assert set(np.unique(seg.matrix.data)) == {1}
    assert "Matrice documents × termes" in str(seg)
    with pytest.raises(DataError, match="level"):
        document_term_matrix(corpus, level="paragraphe")


def test_plots(corpus):
    result = frequencies(corpus)
    ax = plot_zipf(result)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    same = result.plot_zipf()
    assert same.lines[0].get_ydata().tolist() == ax.lines[0].get_ydata().tolist()
    assert result.plot(n=5).get_title().startswith("Les 5 lemmes")
    ax = plot_word_cloud(corpus, max_words=15)
    words = [t.get_text() for t in ax.texts]
    assert words[0] == frequencies(corpus, kind="active").table.index[0]
    assert len(words) == 15
    again = plot_word_cloud(corpus, max_words=15)
    assert [t.get_position() for t in again.texts] == [t.get_position() for t in ax.texts]
    # no two words overlap
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b) or a.intersection(a, b).width < 3


def test_frequencies_index_like_their_table():
    """QA (issue 11): ``freq["Effectif"]`` raised TypeError although freq prints as a table."""
    import pandas as pd

    from movsc_toolkit.lexico.counts import Frequencies

    table = pd.DataFrame(
        {"Effectif": [3, 1], "%": [75.0, 25.0]}, index=pd.Index(["jeune", "quartier"], name="lemme")
    )
    freq = Frequencies(table=table, unit="lemma", n_occurrences=4, n_words=2, n_hapax=1)
    assert freq["Effectif"].tolist() == [3, 1]
    assert freq.loc["jeune", "Effectif"] == 3
    assert freq.iloc[1]["%"] == 25.0
    assert len(freq) == 2
    assert list(freq) == ["Effectif", "%"]
    assert "Effectif" in freq
    assert freq.index.tolist() == ["jeune", "quartier"]
    assert freq.shape == (2, 2)
    assert "4 occurrences" in str(freq)  # its own display is kept
    assert freq.to_frame() is not freq.table  # a copy: indexing never changes the result
