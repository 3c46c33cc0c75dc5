"""Tests of movsc_toolkit.lexico.nlp: spaCy pipeline, disk cache, entities."""

from __future__ import annotations

import subprocess
import sys

import pytest

from movsc_toolkit._errors import ComputationError
from movsc_toolkit.lexico import nlp

TEXTS = [
    "Les bénévoles voulaient s'impliquer davantage.",
    "Je travaille au centre social de Villeurbanne avec Marie Dupont.",
    "Les bénévoles voulaient s'impliquer davantage.",  # duplicate: parsed once
]


def test_import_does_not_load_spacy():
    code = "import sys, movsc_toolkit.lexico; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_parse_lemmas_and_pos(tmp_path):
    parsed = nlp.parse(TEXTS, cache_dir=tmp_path, progress=False)
    assert len(parsed) == 3
    tokens = {t[2]: t for t in parsed[0].tokens}
    assert tokens["voulaient"][3] == "vouloir"
    assert tokens["bénévoles"][3] == "bénévole" and tokens["bénévoles"][4] == "NOUN"
    start, end, text, *_ = tokens["voulaient"]
    assert TEXTS[0][start:end] == text
    assert parsed[0] == parsed[2]
    assert parsed[0].entities == ()


def test_cache_is_used(tmp_path, monkeypatch):
    first = nlp.parse(TEXTS, cache_dir=tmp_path, progress=False)
    assert nlp.cache_path(tmp_path).exists()

    def fail(*args, **kwargs):
        raise AssertionError("the model should not be needed")

    monkeypatch.setattr(nlp, "_run_pipeline", fail)
    again = nlp.parse(TEXTS, cache_dir=tmp_path, progress=False)
    assert again == first
    # another option set (entities) is a different cache entry
    with pytest.raises(AssertionError, match="not be needed"):
        nlp.parse(TEXTS[:1], cache_dir=tmp_path, progress=False, ner=True)


def test_cache_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MOVSC_CACHE_DIR", str(tmp_path / "env"))
    assert nlp.cache_path() == tmp_path / "env" / "spacy-cache.sqlite3"
    nlp.parse(TEXTS[:1], progress=False)
    assert (tmp_path / "env" / "spacy-cache.sqlite3").exists()


def test_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MOVSC_CACHE_DIR", str(tmp_path / "none"))
    parsed = nlp.parse(TEXTS[:1], cache_dir=False, progress=False)
    assert parsed[0].tokens
    assert not (tmp_path / "none").exists()


def test_entities(tmp_path):
    parsed = nlp.parse(TEXTS[1:2], ner=True, cache_dir=tmp_path, progress=False)
    found = {TEXTS[1][s:e]: label for s, e, label in parsed[0].entities}
    assert found.get("Marie Dupont") == "PER"


def test_missing_model():
    with pytest.raises(ComputationError, match="pas installé"):
        nlp.parse(["Bonjour."], model="fr_modele_inexistant", cache_dir=False, progress=False)


def test_unusable_cache_falls_back(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier", encoding="utf-8")
    with pytest.warns(UserWarning, match="cache"):
        parsed = nlp.parse(TEXTS[:1], cache_dir=blocker / "sous-dossier", progress=False)
    assert parsed[0].tokens
