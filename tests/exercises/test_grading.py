"""movsc correction: submissions' names, static scan, barème, safe journal encoding, a class."""

from __future__ import annotations

import importlib.util
import math
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import openpyxl
import pandas as pd
import pytest

from movsc_toolkit._errors import MovscError
from movsc_toolkit.cli import main
from movsc_toolkit.exercises.grading import (
    decode_value,
    encode_value,
    find_submissions,
    grade_class,
    read_scale,
    scan_code,
)

HERE = Path(__file__).resolve().parents[1]


def _make_class_module():
    path = HERE / "data" / "grading" / "make_class.py"
    spec = importlib.util.spec_from_file_location("make_class", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_class"] = module
    spec.loader.exec_module(module)
    return module


def _empty_nb(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(), path)


# --------------------------------------------------------------------------- names


def test_submissions_named_as_hub_and_moodle_give_them(tmp_path):
    _empty_nb(tmp_path / "alice" / "01_enquete.ipynb")
    _empty_nb(tmp_path / "bob" / "devoir1" / "01_enquete.ipynb")  # nbgrader layout
    _empty_nb(tmp_path / "01_enquete_carole.ipynb")
    _empty_nb(tmp_path / "Dupont Émile_123456_assignsubmission_file_01_enquete.ipynb")
    _empty_nb(tmp_path / "alice" / ".ipynb_checkpoints" / "01_enquete-checkpoint.ipynb")
    found = {s.student: s for s in find_submissions(tmp_path)}
    assert set(found) == {"alice", "bob", "carole", "Dupont Émile"}
    assert {s.assignment for s in found.values()} == {"01_enquete"}
    assert found["alice"].folder == tmp_path / "alice"
    assert found["carole"].folder is None


def test_flat_names_of_an_unknown_exercise_use_the_common_part(tmp_path):
    for login in ["x1", "y22"]:
        _empty_nb(tmp_path / f"td_budget_{login}.ipynb")
    found = find_submissions(tmp_path)
    assert sorted(s.student for s in found) == ["x1", "y22"]
    assert {s.assignment for s in found} == {"td_budget"}


def test_no_submission_is_a_french_error(tmp_path):
    with pytest.raises(MovscError, match="aucun carnet"):
        find_submissions(tmp_path)
    with pytest.raises(MovscError, match="n'existe pas"):
        find_submissions(tmp_path / "absent")


# --------------------------------------------------------------------------- static scan


@pytest.mark.parametrize(
    "source",
    [
        "from movsc_toolkit.exercises.check import _REGISTRY",
        "from movsc_toolkit.exercises.registry import REGISTRY",
        "from movsc_toolkit.exercises import registry",
        "get_exercise('x')",
        "x = ex.expected_value()",
        "import movsc_toolkit.exercises.answers.enquete as a",
        "from movsc_toolkit.exercises import check",
        "def verifier(id, v):\n    return 'Bravo'",
        "verifier = lambda *a: 'Bravo'",
        "import movsc_toolkit.exercises as e\nsetattr(e, 'verifier', print)",
        "ex._cache['value']",
        "open(os.environ['MOVSC_CORRECTION_JOURNAL'], 'a')",
    ],
)
def test_scan_flags_reads_of_the_internals(source):
    assert scan_code([source])


def test_scan_leaves_honest_code_alone():
    honest = [
        "from movsc_toolkit.exercises import indice, verifier",
        'verifier("prise-en-main-encodage", encodage)',
        "ok = verifier('x', 1) == verifier('x', 1)",
        'total = inscriptions["Montant payé"].sum()',
    ]
    assert scan_code(honest) == []


# --------------------------------------------------------------------------- barème


def test_scale_from_yaml_and_csv(tmp_path):
    yaml_file = tmp_path / "bareme.yaml"
    yaml_file.write_text("sur: 10\nquestions:\n  q-a: 2\n  q-b: 0.5\n", encoding="utf-8")
    scale = read_scale(yaml_file)
    assert scale.points == {"q-a": 2.0, "q-b": 0.5} and scale.out_of == 10
    csv_file = tmp_path / "bareme.csv"
    csv_file.write_text("question;points\nq-a;2\nq-b;0,5\n", encoding="utf-8")
    assert read_scale(csv_file).points == {"q-a": 2.0, "q-b": 0.5}
    bad = tmp_path / "faux.csv"
    bad.write_text("question;points\nq-a;deux\n", encoding="utf-8")
    with pytest.raises(MovscError) as info:
        read_scale(bad)
    assert info.value.line == 2 and "deux" in str(info.value)


# --------------------------------------------------------------------------- journal encoding


@pytest.mark.parametrize(
    "value",
    [
        12,
        -3.5,
        "février 2025",
        True,
        None,
        Ellipsis,
        ["67", "74 État"],
        {"oui": 29, "non": 91},
        pd.Series([26, 24], index=pd.Index(["Jardin", "Chorale"], name="Activité"), name="count"),
        pd.DataFrame({"Effectif": [1, 2], "%": [33.3, 66.7]}, index=["a", "b"]),
        pd.DataFrame({"v": [1.5]}, index=pd.MultiIndex.from_tuples([("PART", "sexe")])),
    ],
)
def test_values_survive_the_journal(value):
    back = decode_value(encode_value(value))
    if isinstance(value, pd.Series):
        pd.testing.assert_series_equal(back, value, check_names=False, check_index_type=False)
    elif isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(back, value, check_index_type=False)
    else:
        assert back == value or back is value


def test_journal_encoding_keeps_missing_values_and_refuses_objects():
    back = decode_value(encode_value(np.float64("nan")))
    assert math.isnan(back)
    opaque = decode_value(encode_value(object()))
    assert type(opaque).__name__ == "Opaque"


# --------------------------------------------------------------------------- a small class


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    make_class = _make_class_module()
    folder = tmp_path_factory.mktemp("copies")
    written = make_class.make_class(folder, make_class.CLASS_SMALL)
    out = tmp_path_factory.mktemp("correction")
    code = main(["correction", str(folder), "--sortie", str(out), "--delai", "60",
                 "--corrige-visible"])  # fmt: skip
    assert code == 0
    return make_class, written, out


def test_marks_of_each_kind(graded):
    make_class, written, out = graded
    table = pd.read_excel(out / "notes.xlsx", sheet_name="Notes")
    assert len(table) == len(make_class.CLASS_SMALL) == len(written)
    assert table.columns[2:9].str.startswith("prise-en-main-").all()  # one column per question
    # the fixture's logins and Moodle names end with the kind: eleve03-vide, Élève02 Partiel
    by_kind = {
        re.fullmatch(r"[ée]l[èe]ve\d\d[- ](.+)", row["Élève"], re.I)[1].lower(): row
        for _, row in table.iterrows()
    }
    assert set(by_kind) == set(make_class.CLASS_SMALL)
    for kind, row in by_kind.items():
        assert row["Note /20"] == pytest.approx(make_class.EXPECTED_MARK[kind], abs=0.01), kind
        assert row["Total"] == pytest.approx(row.iloc[2:9].sum())
    assert by_kind["boucle"]["Exécution"].startswith("délai dépassé")
    assert by_kind["plantage"]["Exécution"].startswith("noyau arrêté")
    assert "REGISTRY" in by_kind["triche"]["Alerte"]
    assert "verifier" in by_kind["triche-verifier"]["Alerte"]
    for kind in ("correct", "partiel", "vide", "plantage", "boucle"):
        assert pd.isna(by_kind[kind]["Alerte"]) or not by_kind[kind]["Alerte"], kind
    partiel = by_kind["partiel"]
    assert partiel["prise-en-main-nombre-inscrits"] == 0
    assert partiel["prise-en-main-montant-total"] == 0
    stats = pd.read_excel(out / "notes.xlsx", sheet_name="Questions")
    assert list(stats.columns[:4]) == ["Question", "Énoncé", "Points", "Réussite (%)"]
    wb = openpyxl.load_workbook(out / "notes.xlsx")
    assert wb["Notes"].freeze_panes == "C2"


def test_feedback_pages(graded):
    _, _, out = graded
    pages = sorted((out / "retours").glob("*.html"))
    assert len(pages) == 7
    partiel = next(p for p in pages if "artiel" in p.name).read_text(encoding="utf-8")
    assert '<html lang="fr">' in partiel
    assert "100 fois trop grande" in partiel  # the diagnosis of the wrong total
    assert "Corrigé" in partiel and "len(inscriptions)" in partiel  # --corrige-visible
    boucle = next(p for p in pages if "boucle" in p.name.lower()).read_text(encoding="utf-8")
    assert "temps imparti" in boucle and "non vérifiée" in boucle


def test_unknown_question_in_the_scale_is_refused(tmp_path):
    _empty_nb(tmp_path / "copies" / "a" / "00_prise_en_main.ipynb")
    scale = tmp_path / "bareme.csv"
    scale.write_text("question;points\nprise-en-main-nombre-inscrit;1\n", encoding="utf-8")
    with pytest.raises(MovscError, match="prise-en-main-nombre-inscrits"):
        grade_class(tmp_path / "copies", tmp_path / "out", scale=scale)
