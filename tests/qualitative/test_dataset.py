"""The coded interviews of `entretiens_centre_social`: regeneration, validity, realism."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from movsc_toolkit import datasets
from movsc_toolkit import qualitative as q
from movsc_toolkit.lexico import read_corpus

FILES = ["grille_codage.csv", "codage.csv", "entretiens_codes.qdpx", "corpus_iramuteq.txt"]


@pytest.fixture(scope="module")
def folder() -> Path:
    return datasets.path("entretiens_centre_social")


@pytest.fixture(scope="module")
def codings(folder) -> q.Codings:
    corpus = read_corpus(folder / "transcriptions", metadata=folder / "metadonnees.csv")
    book = q.read_codebook(folder / "grille_codage.csv")
    return q.read_codings(folder / "codage.csv", corpus, book)


def test_regeneration_is_byte_identical(folder, tmp_path):
    copy = tmp_path / "datasets" / folder.name
    shutil.copytree(folder, copy)
    for name in FILES:
        (copy / name).unlink()
    result = subprocess.run(
        [sys.executable, str(copy / "generate.py")], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for name in FILES:
        assert (copy / name).read_bytes() == (folder / name).read_bytes(), name


def test_project_is_valid_and_matches_the_sheet(folder, codings):
    schema = etree.XMLSchema(etree.parse(str(Path(q.__file__).parent / "schema" / "Project.xsd")))
    with zipfile.ZipFile(folder / "entretiens_codes.qdpx") as zf:
        assert schema.validate(etree.fromstring(zf.read("project.qde"))), schema.error_log
    project = q.read_qdpx(folder / "entretiens_codes.qdpx")
    assert project.problems.empty
    assert project.excerpts.drop(columns="document").equals(
        codings.excerpts.drop(columns="document")
    )
    assert project.corpus.texts == codings.corpus.texts


def test_two_coders_partially_agree(codings):
    assert codings.coders == ["Nora", "Maëlle"]
    double = codings.excerpts.groupby("codeur")["document"].nunique()
    assert double.to_dict() == {"Maëlle": 8, "Nora": 24}
    kappas = q.agreement(codings, "Nora", "Maëlle").table["κ"]
    assert kappas.between(0.3, 0.95).all()
    assert kappas.min() < 0.5 < kappas.max()  # realistic, partial disagreement
    assert set(codings.excerpts["code"]) == set(
        codings.codebook.table.loc[codings.codebook.table["Codable"], "Code"]
    )
