"""Tests of movsc_toolkit.lexico.concordance (KWIC and repeated segments)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from movsc_toolkit._errors import DataError
from movsc_toolkit.lexico import Corpus, concordance, read_corpus, repeated_segments

MINI = Path(__file__).parents[1] / "data" / "lexico" / "entretiens_mini.txt"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return read_corpus(MINI, speakers="drop").lemmatize(
        progress=False, cache_dir=tmp_path_factory.mktemp("cache")
    )


def test_concordance_by_lemma(corpus):
    kwic = concordance(corpus, "enfant", window=3)
    tokens = corpus.tokens
    assert len(kwic) == (tokens["lemme"] == "enfant").sum()
    assert list(kwic.columns[:5]) == [
        "texte",
        "segment",
        "Contexte gauche",
        "Pivot",
        "Contexte droit",
    ]
    assert {"statut", "entretien", "anciennete"} <= set(kwic.columns)
    first = kwic.iloc[0]
    assert first["Pivot"] == "enfants"
    assert first["Contexte gauche"] == "beaucoup ça… Les"
    assert first["Contexte droit"] == "sont contents. Le"  # the next line of the same text
    assert first["statut"] == "benevole"


def test_concordance_by_form_and_sort(corpus):
    by_form = concordance(corpus, "Bénévoles", unit="form", window=2)
    assert set(by_form["Pivot"]) == {"bénévoles"}
    by_lemma = concordance(corpus, "bénévole", window=2)
    assert len(by_lemma) > len(by_form)
    right = concordance(corpus, "bénévole", window=2, sort="right")
    following = [c.split()[0].lower() for c in right["Contexte droit"]]
    assert following == sorted(following)


def test_concordance_unknown_word(corpus):
    with pytest.raises(DataError, match="vouliez-vous dire « enfant »"):
        concordance(corpus, "enfnt")


def test_repeated_segments_hand_example(tmp_path):
    corpus = Corpus.from_texts(
        [
            "Le centre social est ouvert. Le centre social est fermé le lundi.",
            "Le centre social est loin ; le lundi, c'est fermé.",
        ]
    ).lemmatize(progress=False, cache_dir=tmp_path)
    rs = repeated_segments(corpus)
    found = dict(zip(rs["Segment"], rs["Effectif"], strict=True))
    assert found["le centre social est"] == 3
    assert found["centre social"] == 3
    assert found["le lundi"] == 2
    assert "ouvert le" not in found  # never across a full stop
    assert "loin le" not in found  # nor a semicolon
    assert rs.iloc[0]["Effectif"] == 3
    assert list(rs.columns) == ["Segment", "Longueur", "Effectif", "Textes"]
    assert rs.set_index("Segment").loc["le lundi", "Textes"] == 2
    active = repeated_segments(corpus, require_active=True)
    assert "le centre social est" in set(active["Segment"])


def test_repeated_segments_against_brute_force(corpus):
    rs = repeated_segments(corpus, min_length=2, max_length=4, min_freq=2)
    tokens = corpus.tokens
    counts = Counter()
    for _, group in tokens.groupby("bloc"):
        forms = group["forme"].tolist()
        for n in range(2, 5):
            for k in range(len(forms) - n + 1):
                counts[tuple(forms[k : k + n])] += 1
    expected = {g: c for g, c in counts.items() if c >= 2}
    assert len(rs) == len(expected)
    assert sorted(rs["Effectif"]) == sorted(expected.values())
    with pytest.raises(DataError):
        repeated_segments(corpus, min_freq=1)


def test_concordance_keeps_glued_punctuation(tmp_path):
    corpus = Corpus.from_texts(
        ["Avec [PERSONNE_1] nous allons au quartier [LIEU_2]. Le quartier (vraiment) change."]
    ).lemmatize(progress=False, cache_dir=tmp_path)
    kwic = concordance(corpus, "quartier", window=2)
    assert kwic["Contexte gauche"].tolist() == ["allons au", "[LIEU_2]. Le"]
    assert kwic["Contexte droit"].tolist() == ["[LIEU_2]. Le", "(vraiment) change."]
