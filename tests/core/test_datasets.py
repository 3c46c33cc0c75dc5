"""The datasets registry, and every bundled dataset against its conventions."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from movsc_toolkit import datasets
from movsc_toolkit._errors import FileError, OptionError

NAMES = list(datasets.list().index)
CAPABILITIES = {"prise_en_main", "enquete", "lexicometrie", "finances", "pilotage"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".json", ".md", ".toml", ".xml", ".yml", ".yaml"}
WORKBOOK_SUFFIXES = {".xlsx", ".ods"}


def meta(name: str) -> dict:
    with (datasets.path(name) / "dataset.toml").open("rb") as fh:
        return tomllib.load(fh)


def test_registry_lists_the_datasets():
    table = datasets.list()
    assert list(table.columns) == ["Titre", "Description", "Capacité", "Fichiers"]
    assert table.index.name == "Jeu de données"
    assert "exemple_adherents" in table.index
    assert table.loc["exemple_adherents", "Capacité"] == "prise_en_main"


def test_every_folder_with_a_datasheet_is_registered():
    folders = {p.parent.name for p in datasets.DATA_ROOT.glob("*/dataset.toml")}
    assert folders == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_dataset_toml(name):
    m = meta(name)
    for key in ("title", "description", "capability", "files"):
        assert m.get(key), f"{name}: « {key} » manquant dans dataset.toml"
    assert m["capability"] in CAPABILITIES
    assert "\n" not in m["description"]
    assert isinstance(m["files"], list)
    assert m.get("main", m["files"][0]) in [*m["files"], "."]  # "." = the whole folder
    if "loader" in m:
        module, _, func = m["loader"].partition(":")
        assert callable(getattr(importlib.import_module(module), func))
    for value in m.get("loader_options", {}).values():
        if isinstance(value, str) and "." in value and "/" not in value:
            assert value in m["files"], f"{name}: option {value!r} ne désigne aucun fichier"


@pytest.mark.parametrize("name", NAMES)
def test_files_datasheet_and_script_exist(name):
    folder = datasets.path(name)
    for file in meta(name)["files"]:
        assert (folder / file).exists(), f"{name}: fichier {file} absent"
        assert datasets.path(name, file) == folder / file
    assert (folder / "generate.py").is_file()
    readme = (folder / "README.md").read_text(encoding="utf-8").casefold()
    assert any(word in readme for word in ("fictif", "fictive", "générées", "génér")), (
        f"{name}: le README doit dire que les données sont fictives et générées"
    )
    assert "licence" in readme


@pytest.mark.parametrize("name", NAMES)
def test_size_is_reasonable(name):
    total = sum(p.stat().st_size for p in datasets.path(name).rglob("*") if p.is_file())
    assert total < 8 * 1024 * 1024, f"{name}: {total / 1e6:.1f} Mo, trop lourd pour git"


# What each dataset of the course loads into: its type and its size, read from its datasheet.
# A dataset missing here is checked by the invariants of its type only.
LOADED = {
    "cas_club_sportif": ("Ledger", {"years": [2024]}),
    "cas_dependance_financeur": ("Ledger", {"years": [2023, 2024]}),
    "cas_structure_croissance": ("Ledger", {"years": [2022, 2023, 2024]}),
    "centre_social_comptes": ("Ledger", {"years": [2022, 2023, 2024]}),
    "centre_social_budget": ("Budget", {"lines": 54}),
    "enquete_benevoles": ("DataFrame", {"rows": 312}),
    "enquete_usagers": ("DataFrame", {"rows": 500}),
    "exemple_adherents": ("DataFrame", {"rows": 120}),
    "exemple_inscriptions": ("DataFrame", {"rows": 137}),
    "entretiens_centre_social": ("Corpus", {"texts": 24}),
    "projet_tiers_lieu": ("Project", {"indicators": 15}),
    "appel_a_projets": ("CallForProjects", {"rules": 16}),
    "enquete_epicerie_solidaire": ("DataFrame", {"rows": 280}),
    "entretiens_epicerie_solidaire": ("Corpus", {"texts": 14}),
    "maison_quartier_analytique": ("Ledger", {"years": [2025, 2026]}),
    "projet_cap_avenir": ("Project", {"indicators": 8}),
    "roue_libre_budget": ("Budget", {"lines": 49}),
}


def _size(data) -> dict:
    """The size measures of ``LOADED`` for a loaded dataset."""
    kind = type(data).__name__
    if kind == "Ledger":
        return {"years": list(data.years)}
    if kind == "Budget":
        return {"lines": len(data.lines)}
    if kind == "DataFrame":
        return {"rows": len(data)}
    if kind == "Corpus":
        return {"texts": len(data.texts)}
    if kind == "Project":
        return {"indicators": len(data.indicators)}
    if kind == "CallForProjects":
        return {"rules": len(data.to_frame())}
    raise AssertionError(f"type de jeu de données inattendu : {kind}")


@pytest.mark.parametrize("name", NAMES)
def test_load(name):
    """Each dataset loads into its documented object, complete and coherent."""
    data = datasets.load(name)
    size = _size(data)
    if name in LOADED:
        assert (type(data).__name__, size) == LOADED[name]
    kind = type(data).__name__
    if kind == "Ledger":
        assert len(data.entries) > 0 and data.is_valid
        for year in data.years:
            entries = data.for_year(year).entries
            assert round(entries["Debit"].sum() - entries["Credit"].sum(), 2) == 0, year
    elif kind == "Budget":
        assert data.total_charges > 0 and data.total_produits > 0
    elif kind == "DataFrame":
        assert not data.empty
        # Kobo's own metadata columns (``_notes``, ``_tags``…) are empty in real exports too
        empty = [c for c in data.columns if data[c].isna().all() and not str(c).startswith("_")]
        assert not empty, f"{name}: colonnes entièrement vides {empty}"
    elif kind == "Corpus":
        assert data.n_words > 0 and all(text.strip() for text in data.texts)
    elif kind == "Project":
        assert len(data.values) > 0
    elif kind == "CallForProjects":
        assert data.line is not None and data.deadline is not None


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory) -> Path:
    """A copy of the whole datasets folder (a script may read a sibling dataset)."""
    copy = tmp_path_factory.mktemp("datasets") / "datasets"
    shutil.copytree(datasets.DATA_ROOT, copy)
    return copy


@pytest.mark.parametrize("name", NAMES)
def test_generate_reproduces_the_committed_files(name, data_copy):
    """The seeded script, run on a copy, rewrites the same data."""
    source = datasets.path(name)
    copy = data_copy / name
    result = subprocess.run(
        [sys.executable, str(copy / "generate.py")],
        cwd=data_copy,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for file in meta(name)["files"]:
        original, regenerated = source / file, copy / file
        if original.is_dir():
            pairs = [(p, regenerated / p.relative_to(original)) for p in original.rglob("*")]
        else:
            pairs = [(original, regenerated)]
        for old_file, new_file in pairs:
            if old_file.is_file():
                _assert_same_data(name, old_file, new_file)


def _assert_same_data(name: str, original: Path, regenerated: Path) -> None:
    suffix = original.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        assert regenerated.read_bytes() == original.read_bytes(), f"{name}: {original.name} diffère"
    elif suffix in WORKBOOK_SUFFIXES:
        old = pd.read_excel(original, sheet_name=None)
        new = pd.read_excel(regenerated, sheet_name=None)
        assert old.keys() == new.keys()
        for sheet in old:
            pd.testing.assert_frame_equal(old[sheet], new[sheet])


def test_unknown_dataset_suggests_a_name():
    with pytest.raises(OptionError) as info:
        datasets.load("exemple_adherent")
    message = str(info.value)
    assert "« exemple_adherent » n'existe pas" in message
    assert "exemple_adherents" in message


def test_unknown_dataset_without_close_name():
    with pytest.raises(OptionError, match="movsc datasets"):
        datasets.path("zzzzzz")


def test_unknown_file_lists_the_files():
    with pytest.raises(FileError) as info:
        datasets.path("exemple_adherents", "adherents.ods")
    assert "adherents.csv" in str(info.value)


def test_load_a_given_file_with_options():
    book = datasets.load("exemple_adherents", path="adherents.xlsx", sheet="Adhérents")
    assert len(book) == 120
    raw = datasets.load("exemple_adherents", convert_numbers=False)
    assert raw.loc[0, "Cotisation"].count(",") == 1  # text kept as written


def test_exemple_adherents_content():
    """The figures the lesson and the exercise quote."""
    df = datasets.load("exemple_adherents")
    assert df.shape == (120, 11)
    assert df.attrs["source"]["encoding"] == "cp1252"
    assert df.attrs["source"]["sep"] == ";"
    assert df["Âge"].isna().sum() == 2
    assert df["Cotisation"].sum() == pytest.approx(5325.5)
    assert df["Cotisation"].max() == pytest.approx(1250.5)
    assert df["Code postal"].str.startswith("01").all()
    assert df["Activité"].value_counts().to_dict() == {
        "Jardin partagé": 26,
        "Soutien scolaire": 24,
        "Repair café": 21,
        "Chorale": 20,
        "Atelier couture": 19,
        "Théâtre": 10,
    }
    assert df["Quartier"].isna().sum() == 55
    assert (df["Commune"] == "Bourg-en-Bresse").sum() == 65
    assert df["Quartier"].isna().equals(df["Commune"] != "Bourg-en-Bresse")
    raw = datasets.path("exemple_adherents", "adherents.csv").read_bytes()
    assert b"\r\n" in raw and b"\xa0" in raw  # CRLF and a no-break thousands separator


def test_load_other_file_of_the_main_kind_uses_the_loader():
    from movsc_toolkit.finance import Budget

    budget = datasets.load("centre_social_budget", "budget_2025.xlsx")
    assert isinstance(budget, Budget)
    assert isinstance(datasets.load("centre_social_budget", path="budget_2024.xlsx"), Budget)


def test_load_other_file_of_another_kind_is_a_table():
    # same extension as the main file but not answers to the questionnaire: a plain table
    margins = datasets.load("enquete_usagers", "marges_population.csv")
    assert list(margins.columns) == ["variable", "modalite", "effectif"]
    conventions = datasets.load("centre_social_budget", "conventions.xlsx")
    assert isinstance(conventions, pd.DataFrame)


def test_loader_files_restricts_the_loader(monkeypatch):
    entry = dict(datasets._entry("centre_social_budget"), loader_files=["budget_2024.xlsx"])
    monkeypatch.setattr(datasets, "_entry", lambda name: entry)
    assert isinstance(datasets.load("centre_social_budget", "budget_2025.xlsx"), pd.DataFrame)
