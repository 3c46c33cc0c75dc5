"""verifier / indice: comparisons, messages, and every registered exercise."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import MovscError
from movsc_toolkit.exercises import CheckResult, Hint, exercise, exercises, indice, verifier
from movsc_toolkit.exercises import check as check_module

ALL_IDS = list(exercises().index)
ID_FORMAT = r"[a-z0-9]+(-[a-z0-9]+)+"  # "<set>-<question>", lower case, hyphens


@pytest.fixture
def register():
    """Register throw-away exercises for one test, then forget them."""
    added: list[str] = []

    def _register(id, value, **options):
        options.setdefault("question", "Question de test ?")
        exercise(id, **options)(lambda: value)
        added.append(id)
        return id

    yield _register
    for id in added:
        check_module._REGISTRY.pop(id, None)


# --------------------------------------------------------------------------- placeholder, ids


def test_placeholder_says_no_answer_yet(register):
    id = register("test-vide", 3)
    result = verifier(id, ...)
    assert result.status == "vide"
    assert "Pas encore de réponse" in str(result)
    assert "Pas encore de réponse" in result._repr_html_()
    assert not result
    assert "✅" not in str(result) and "❌" not in str(result)


def test_unknown_id_suggests_the_closest():
    with pytest.raises(MovscError) as info:
        verifier("prise-en-main-nombre-adherent", 120)
    message = str(info.value)
    assert "« prise-en-main-nombre-adherent » n'existe pas" in message
    assert "prise-en-main-nombre-adherents" in message
    with pytest.raises(MovscError, match="n'existe pas"):
        indice("zzz-zzz")


def test_registering_an_id_twice_is_refused(register):
    register("test-double", 1)
    with pytest.raises(ValueError, match="twice"):
        exercise("test-double", question="?")(lambda: 2)


# --------------------------------------------------------------------------- numbers


def test_numbers_within_tolerance(register):
    id = register("test-nombre", 1234.5678, abs_tol=0.01, rel_tol=0)
    assert verifier(id, 1234.57).ok
    assert verifier(id, np.float64(1234.5612)).ok
    assert verifier(id, "1 234,57").ok  # a French string is accepted
    assert verifier(id, "1\u00a0234,57").ok
    assert verifier(id, "1\u202f234,57").ok
    assert verifier(id, pd.Series([1234.567])).ok  # a one-cell result too
    too_high = verifier(id, 1234.59)
    assert too_high.status == "faux"
    assert "trop élevée" in too_high.message
    assert "trop faible" in verifier(id, 1000).message
    # the value as the student wrote it, not padded with zeros (QA: « 1 000,0000 »)
    assert "votre valeur (1\u202f000) est trop faible" in verifier(id, 1000).message
    assert "(1\u202f234,59)" in too_high.message
    assert "(1\u202f234,6667)" in verifier(id, 1234.66666).message


def test_relative_tolerance(register):
    id = register("test-relatif", 1_000_000.0, abs_tol=0, rel_tol=1e-4)
    assert verifier(id, 1_000_090).ok
    assert not verifier(id, 1_000_200).ok


def test_number_expected_but_text_given(register):
    id = register("test-type", 12.0)
    result = verifier(id, "douze")
    assert result.status == "faux"
    assert "un nombre est attendu" in result.message
    assert "du texte" in result.message
    assert "None" in verifier(id, None).message


def test_nan_equals_nan(register):
    id = register("test-nan", math.nan)
    assert verifier(id, float("nan")).ok


def test_wrong_answer_shows_the_first_hint_not_the_answer(register):
    id = register("test-indice", 42, hints=["Pensez à len(...).", "len(df)"])
    result = verifier(id, 41)
    assert result.hint == "Pensez à len(...)."
    assert "Indice : Pensez à len(...)." in str(result)
    assert "42" not in str(result)
    assert "42" not in result._repr_html_()


# --------------------------------------------------------------------------- other types


def test_booleans(register):
    id = register("test-bool", True)
    assert verifier(id, True).ok
    assert verifier(id, np.True_).ok
    assert not verifier(id, False).ok
    assert "True ou False" in verifier(id, 1).message


def test_text_ignores_case_accents_spaces(register):
    id = register("test-texte", "Jardin partagé")
    assert verifier(id, "jardin  PARTAGE ").ok
    assert not verifier(id, "Chorale").ok
    assert "un texte est attendu" in verifier(id, 3).message


def test_lists_ordered_or_not(register):
    unordered = register("test-liste", ["Brou", "Reyssouze", "Les Vennes"])
    assert verifier(unordered, ["reyssouze", "les vennes", "Brou"]).ok
    assert verifier(unordered, pd.Index(["Brou", "Reyssouze", "Les Vennes"])).ok
    assert "3" in verifier(unordered, ["Brou"]).message
    ordered = register("test-liste-ordre", [3, 1, 2], ordered=True)
    assert verifier(ordered, [3, 1, 2]).ok
    assert not verifier(ordered, [1, 2, 3]).ok
    assert "une liste est attendue" in verifier(ordered, 3).message


def test_dicts(register):
    id = register("test-dict", {"oui": 29, "non": 91})
    assert verifier(id, {"non": 91, "oui": 29.001}).ok
    assert "clés manquantes" in verifier(id, {"oui": 29}).message
    assert "pour « non »" in verifier(id, {"oui": 29, "non": 90}).message


# --------------------------------------------------------------------------- tables


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {"Effectif": [26, 24, 50], "%": [52.0, 48.0, 100.0], "Note": ["a", np.nan, "c"]},
        index=["Jardin", "Chorale", "Total"],
    )


def test_table_cell_by_cell(register, table):
    id = register("test-table", table, abs_tol=0.05)
    assert verifier(id, table.copy()).ok
    shuffled = table.loc[["Total", "Jardin", "Chorale"], ["%", "Note", "Effectif"]]
    assert verifier(id, shuffled).ok  # row and column order do not matter
    close = table.copy()
    close.loc["Jardin", "%"] = 52.04
    assert verifier(id, close).ok
    wrong = table.copy()
    wrong.loc["Chorale", "%"] = 47.0
    result = verifier(id, wrong)
    assert result.status == "faux"
    assert "ligne « Chorale », colonne « % »" in result.message


def test_table_shape_labels_and_missing_cells(register, table):
    id = register("test-table-forme", table)
    assert "2 ligne(s)" in verifier(id, table.iloc[:2]).message
    renamed = table.rename(columns={"Effectif": "Nombre"})
    assert "colonnes attendues manquantes : « Effectif »" in verifier(id, renamed).message
    relabelled = table.rename(index={"Total": "Ensemble"})
    assert "lignes attendues manquantes : « Total »" in verifier(id, relabelled).message
    filled = table.copy()
    filled.loc["Chorale", "Note"] = "b"
    assert "devrait être vide" in verifier(id, filled).message
    emptied = table.copy()
    emptied.loc["Jardin", "Effectif"] = np.nan
    assert "est vide ; elle devrait être remplie" in verifier(id, emptied).message
    assert "un tableau est attendu" in verifier(id, 3).message


def test_series_compared_as_a_table(register):
    expected = pd.Series({"Jardin partagé": 26, "Théâtre": 10}, name="count")
    id = register("test-serie", expected)
    answer = pd.Series({"Théâtre": 10, "Jardin partagé": 26}, name="autre nom")
    assert verifier(id, answer).ok
    assert not verifier(id, pd.Series({"Théâtre": 11, "Jardin partagé": 26})).ok


# --------------------------------------------------------------------------- hints and displays


def test_hints_are_progressive_and_clamped(register):
    id = register("test-indices", 1, hints=["un", "deux", "trois"])
    assert indice(id).text == "un"
    assert indice(id, niveau=2).text == "deux"
    last = indice(id, niveau=7)
    assert (last.level, last.total) == (3, 3)
    assert last.text == "trois (c'est le dernier indice)"
    assert indice(id, niveau=0).level == 1
    assert isinstance(last, Hint)
    assert str(indice(id, niveau=2)) == f"💡 Indice 2/3 [{id}] : deux"
    assert "Indice 2/3" in indice(id, niveau=2)._repr_html_()


def test_no_hint(register):
    id = register("test-sans-indice", 1)
    assert "pas d'indice" in indice(id).text
    assert verifier(id, 2).hint is None


def test_check_result_display(register):
    id = register("test-affichage", "<b>")
    good = verifier(id, "<b>")
    assert isinstance(good, CheckResult)
    assert bool(good) is True
    assert str(good) == f"✅ [{id}] Bravo, c'est juste !"
    bad = verifier(id, "<i>")
    assert str(bad).startswith(f"❌ [{id}] Pas encore :")
    assert "<i>" not in bad._repr_html_()  # escaped


def test_exercises_table():
    table = exercises()
    assert list(table.columns) == ["question", "indices"]
    assert "prise-en-main-tri-activite" in table.index


# --------------------------------------------------------------------------- every registered exercise


@pytest.mark.parametrize("id", ALL_IDS)
def test_every_exercise_is_well_formed(id):
    ex = check_module._get(id)
    assert re.fullmatch(ID_FORMAT, id), f"{id}: identifiant mal formé"
    assert ex.question.strip()
    assert ex.hints, f"{id}: aucun indice"


@pytest.mark.parametrize("id", ALL_IDS)
def test_every_expected_value_computes(id):
    ex = check_module._get(id)
    value = ex.expected_value()
    assert value is not None
    assert value is not Ellipsis
    assert verifier(id, value).ok, f"{id}: la valeur attendue ne se vérifie pas elle-même"
    assert verifier(id, ...).status == "vide"
