"""Tests of movsc_toolkit.lexico.privacy.pseudonymize."""

from __future__ import annotations

import pytest

from movsc_toolkit._errors import DataError
from movsc_toolkit.lexico import Corpus, pseudonymize

TEXTS = [
    "Je travaille avec Marie Dupont au centre social.\nMarie Dupont anime l'atelier.",
    "J'ai rencontré Marie Dupont à Villeurbanne, puis Jean-Pierre Martin.",
    "Mon voisin Kevin vient aussi.",
]


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    corpus = Corpus.from_texts(TEXTS, {"statut": ["salarie", "usager", "usager"]})
    return corpus, *pseudonymize(
        corpus,
        extra_names={"Kevin": "PERSONNE", "centre social": "ORGANISATION"},
        progress=False,
        cache_dir=tmp_path_factory.mktemp("cache"),
    )


def test_same_name_same_placeholder(result):
    _, anonymous, table = result
    marie = table.loc[table["Nom d'origine"] == "Marie Dupont", "Pseudonyme"].item()
    assert anonymous.texts[0].count(marie) == 2
    assert marie in anonymous.texts[1]
    assert "Marie" not in " ".join(anonymous.texts)
    assert table.loc[table["Nom d'origine"] == "Marie Dupont", "Occurrences"].item() == 3


def test_placeholders_and_table(result):
    corpus, anonymous, table = result
    assert list(table.columns) == ["Pseudonyme", "Nom d'origine", "Type", "Occurrences", "Source"]
    assert table["Pseudonyme"].is_unique
    assert set(table["Type"]) <= {"PERSONNE", "LIEU", "ORGANISATION"}
    assert "Kevin" not in anonymous.texts[2]
    kevin = table.loc[table["Nom d'origine"] == "Kevin"]
    assert kevin["Source"].item() == "liste" and kevin["Pseudonyme"].item().startswith("[PERSONNE_")
    assert "[ORGANISATION_1]" in anonymous.texts[0]
    # numbering follows the first appearance, by type
    persons = table[table["Type"] == "PERSONNE"]["Pseudonyme"].tolist()
    assert persons == [f"[PERSONNE_{i}]" for i in range(1, len(persons) + 1)]
    assert persons[0] == "[PERSONNE_1]" and table.iloc[0]["Nom d'origine"] == "Marie Dupont"
    # metadata kept, original corpus unchanged
    assert anonymous.metadata.equals(corpus.metadata)
    assert "Marie Dupont" in corpus.texts[0]
    # putting the names back gives the original texts
    restored = anonymous.texts
    for row in table.itertuples():
        restored = [t.replace(row.Pseudonyme, row._2) for t in restored]
    assert restored[1] == TEXTS[1].replace("centre social", "centre social")


def test_ignore_and_idempotence(tmp_path):
    corpus = Corpus.from_texts(["J'ai rencontré Marie Dupont à Villeurbanne."])
    anonymous, table = pseudonymize(
        corpus, ignore=["Villeurbanne"], progress=False, cache_dir=tmp_path
    )
    assert "Villeurbanne" in anonymous.texts[0]
    assert table["Nom d'origine"].tolist() == ["Marie Dupont"]
    again, table2 = pseudonymize(
        anonymous, ignore=["Villeurbanne"], progress=False, cache_dir=tmp_path
    )
    assert again.texts == anonymous.texts
    assert table2.empty


def test_unknown_type(tmp_path):
    corpus = Corpus.from_texts(["Bonjour."])
    with pytest.raises(DataError, match="type d'entité"):
        pseudonymize(corpus, extra_names={"Paul": "ANIMAL"}, progress=False, cache_dir=tmp_path)


def test_titles_and_articles_stay_outside(tmp_path):
    corpus = Corpus.from_texts(
        [
            "J'ai parlé avec madame Lopez hier.\nDenise Moreau habite ici.",
            "Elle vient de Saint-Denis depuis longtemps.\nEuh, bonjour. Je dis euh bonjour.",
        ]
    )
    anonymous, table = pseudonymize(corpus, progress=False, cache_dir=tmp_path)
    names = set(table["Nom d'origine"])
    assert names == {"Lopez", "Denise Moreau", "Saint-Denis"}  # "De…" of Denise is no article
    assert "madame [PERSONNE_1]" in anonymous.texts[0]
    assert "vient de [LIEU_1] depuis" in anonymous.texts[1]
    assert anonymous.texts[1].endswith("Euh, bonjour. Je dis euh bonjour.")  # an ordinary word


def test_detected_names_are_replaced_everywhere(tmp_path):
    corpus = Corpus.from_texts(
        [
            "J'ai rencontré Hélène Roussel au forum.",
            "Ensuite Hélène m'a rappelée. Roussel, c'est son nom.",
        ]
    )
    anonymous, table = pseudonymize(corpus, progress=False, cache_dir=tmp_path)
    assert "Hélène" not in " ".join(anonymous.texts)
    assert "Roussel" not in " ".join(anonymous.texts)
    assert set(table["Nom d'origine"]) >= {"Hélène Roussel", "Hélène", "Roussel"}


def test_list_names_are_case_sensitive(tmp_path):
    corpus = Corpus.from_texts(["Madame Petit a un petit chien.\nPetit à petit, ça va."])
    anonymous, table = pseudonymize(
        corpus, extra_names={"Petit": "PERSONNE"}, progress=False, cache_dir=tmp_path
    )
    assert "un petit chien" in anonymous.texts[0] and "Petit" not in anonymous.texts[0]
    assert table.loc[table["Nom d'origine"] == "Petit", "Source"].item() == "liste"
