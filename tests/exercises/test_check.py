"""verifier / indice: comparisons, messages, and every registered exercise."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import MovscError
from movsc_toolkit.exercises import (
    CheckResult,
    Hint,
    _normalise,
    exercise,
    exercises,
    indice,
    registry,
    verifier,
)
from movsc_toolkit.exercises.journal import JOURNAL_ENV

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
        registry.REGISTRY.pop(id, None)


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
        verifier("prise-en-main-nombre-inscrit", 137)
    message = str(info.value)
    assert "« prise-en-main-nombre-inscrit » n'existe pas" in message
    assert "prise-en-main-nombre-inscrits" in message
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
    assert indice(id, level=2).text == "deux"
    last = indice(id, level=7)
    assert (last.level, last.total) == (3, 3)
    assert last.text == "trois (c'est le dernier indice)"
    assert indice(id, level=0).level == 1
    assert isinstance(last, Hint)
    assert str(indice(id, level=2)) == f"💡 Indice 2/3 [{id}] : deux"
    assert "Indice 2/3" in indice(id, level=2)._repr_html_()


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
    assert list(table.columns) == ["Question", "Indices"]
    assert table.index.name == "Identifiant"
    assert "prise-en-main-tri-atelier" in table.index


# --------------------------------------------------------------------------- every registered exercise


@pytest.mark.parametrize("id", ALL_IDS)
def test_every_exercise_is_well_formed(id):
    ex = registry.get_exercise(id)
    assert re.fullmatch(ID_FORMAT, id), f"{id}: identifiant mal formé"
    assert ex.question.strip()
    assert ex.hints, f"{id}: aucun indice"


@pytest.mark.parametrize("id", ALL_IDS)
def test_every_expected_value_computes(id):
    ex = registry.get_exercise(id)
    value = ex.expected_value()
    assert value is not None
    assert value is not Ellipsis
    assert verifier(id, value).ok, f"{id}: la valeur attendue ne se vérifie pas elle-même"
    assert verifier(id, ...).status == "vide"


# --------------------------------------------------------------------------- fair verifier (issue 11)


def test_rounded_as_displayed_and_more_precise_pass(register):
    v = register("test-v", 0.22276461159956037, decimals=2)
    assert verifier(v, 0.22).ok  # as the notebook prints it
    assert verifier(v, 0.2228).ok
    assert verifier(v, 0.2172).ok  # also prints 0,22
    assert not verifier(v, 0.2149).ok
    pct = register("test-pct", 58.6, decimals=1, unit="%")  # the expected value itself rounded
    assert verifier(pct, 41 / 70 * 100).ok  # 58,571…
    assert verifier(pct, 58.64).ok
    assert not verifier(pct, 58.66).ok
    euros = register("test-euros", 66272.9, decimals=0, unit="€")
    assert verifier(euros, 66273).ok
    assert not verifier(euros, 66266.3).ok  # ± 6,6 € no longer passes
    assert "66\u202f266,3\u00a0€" in verifier(euros, 66266.3).message


def test_factor_100_sign_nan_and_infinity(register):
    pct = register("test-f100", 24.0, decimals=1, unit="%", hints=["Indice générique."])
    result = verifier(pct, 0.24)
    assert result.diagnosis == "facteur-100"
    assert "proportion" in result.message and "multipliez" in result.hint
    assert "Indice générique" not in str(result)  # the hint follows the diagnosis
    assert verifier(pct, 2400).diagnosis == "facteur-100"
    share = register("test-prop", 0.24, decimals=2)
    result = verifier(share, 24)
    assert result.diagnosis == "facteur-100" and "proportion" in result.message
    money = register("test-signe", -17500.0, decimals=0, unit="€")
    assert verifier(money, 17500).diagnosis == "signe"
    nan = verifier(money, float("nan"))
    assert nan.diagnosis == "manquante"
    assert "trop faible" not in nan.message and "(–)" not in nan.message
    assert verifier(money, math.inf).diagnosis == "infinie"
    assert verifier(money, None).diagnosis == "aucune-valeur"
    low = verifier(money, -20000)
    assert low.diagnosis == "trop-faible"


def test_question_specific_diagnostics_come_first(register):
    id = register(
        "test-base",
        438,
        hints=["Indice générique."],
        diagnostics=[
            (477, "vous avez compté les réponses, pas les répondants.", "Prenez la base."),
            (lambda: 500, "toutes les personnes de l'enquête."),
            {"alternative": lambda v: v == 4380, "message": "un zéro de trop.", "code": "zero"},
        ],
    )
    result = verifier(id, 477)
    assert (result.diagnosis, result.hint) == ("ciblé", "Prenez la base.")
    assert "répondants" in result.message
    other = verifier(id, 500)
    assert other.diagnosis == "ciblé" and other.hint == "Indice générique."
    assert verifier(id, 4380).diagnosis == "zero"
    assert verifier(id, 439).diagnosis == "trop-eleve"


def test_one_cell_tables_are_read_and_bigger_ones_explained(register):
    id = register("test-cellule", 5325.5, decimals=2, unit="€")
    one = verifier(id, pd.DataFrame({"Cotisation": [5325.5]}))
    assert one.ok and "iloc[0]" in one.details[0]
    assert verifier(id, pd.Series([5325.5])).ok
    assert verifier(id, np.array([5325.5])).ok
    table = pd.Series([1.0, 5325.5, 3.0], index=["a", "b", "c"])
    result = verifier(id, table)
    assert result.diagnosis == "tableau"
    assert "se trouve dans votre tableau" in result.hint and ".loc" in result.hint


def test_value_counts_to_frame_and_freq_tables_pass(register):
    expected = pd.Series({"Jardin partagé": 26, "Théâtre": 10}, name="count")
    expected.index.name = "Activité"
    id = register("test-tri", expected)
    assert verifier(id, expected.to_frame("Effectif")).ok  # as notebook 00 teaches
    renamed = expected.rename_axis("autre").iloc[::-1]
    assert verifier(id, renamed).ok  # another index name and another order
    freq = pd.DataFrame(
        {"Effectif": [26, 10, 36], "%": [72.2, 27.8, 100.0]},
        index=["Jardin partagé", "Théâtre", "Total"],
    )
    assert verifier(id, freq).ok  # survey.freq: the right column, Total not asked for
    wrong = verifier(id, freq.assign(Effectif=[25, 10, 35]))
    assert wrong.diagnosis == "case" and "colonne « count »" not in wrong.message
    table = pd.DataFrame({"Effectif": [26, 10], "%": [72.2, 27.8]}, index=["J", "T"])
    tid = register("test-table-ordre", table)
    assert verifier(tid, table[["%", "Effectif"]].rename_axis("x")).ok


def test_months_dates_synonyms_and_encodings(register):
    month = register("test-mois", "févr. 2025")
    for answer in [
        "février 2025",
        "fevrier 2025",
        "Février 2025",
        "02/2025",
        "2/2025",
        "2025-02",
        pd.Period("2025-02", "M"),
        "févr. 2025",
    ]:
        assert verifier(month, answer).ok, answer
    assert verifier(month, "mars 2025").diagnosis == "texte"
    assert verifier(month, "bientôt").diagnosis == "type"
    date = register("test-date", "31/12/2024")
    assert verifier(date, "2024-12-31").ok
    assert verifier(date, "31 décembre 2024").ok
    assert verifier(date, pd.Timestamp("2024-12-31")).ok
    assert not verifier(date, "30/12/2024").ok
    enc = register("test-encodage", "cp1252")
    for answer in ["Windows-1252", "windows-1252", "CP1252", "ANSI", "windows 1252"]:
        assert verifier(enc, answer).ok, answer
    assert verifier(enc, "latin-1").diagnosis == "encodage-proche"
    assert not verifier(enc, "utf-8").ok
    syn = register("test-synonymes", "Jardin partagé", synonyms=["jardin collectif"])
    assert verifier(syn, "Jardin collectif").ok
    assert verifier(syn, ["Jardin partagé"]).ok  # a one-element list


def test_booleans_in_french(register):
    id = register("test-bool-fr", False)
    assert verifier(id, "Non").ok and verifier(id, "faux").ok
    assert not verifier(id, "oui").ok


def test_multiple_choice(register):
    exercise(
        "test-qcm",
        question="Quel test ?",
        choices={"a": "le test t de Student", "b": "le test du χ²", "c": "une ACM"},
        answer="b",
        reasons={"a": "compare des moyennes.", "c": "décrit, ne teste pas."},
    )
    try:
        assert verifier("test-qcm", "b").ok
        assert verifier("test-qcm", "B)").ok
        assert verifier("test-qcm", "Le test du χ²").ok
        right = verifier("test-qcm", "b")
        assert len(right.details) == 2 and "compare des moyennes" in right.details[0]
        wrong = verifier("test-qcm", "a")
        assert wrong.diagnosis == "choix-faux"
        assert wrong.details == ("a) le test t de Student — compare des moyennes.",)
        assert "décrit" not in str(wrong)  # no elimination of the other options
        assert verifier("test-qcm", "z").diagnosis == "choix-inconnu"
        assert verifier("test-qcm", ...).status == "vide"
    finally:
        registry.REGISTRY.pop("test-qcm", None)
    several = register(
        "test-qcm-plusieurs", "ac", choices={"a": "x", "b": "y", "c": "z"}, reasons={"b": "non"}
    )
    assert verifier(several, "a, c").ok and verifier(several, ["c", "a"]).ok
    assert "incomplète" in verifier(several, "a").message
    assert "non" in str(verifier(several, "a, b"))


def test_results_with_to_frame_are_compared_as_tables(register):
    from movsc_toolkit.lexico.counts import Frequencies

    table = pd.DataFrame({"Effectif": [3, 1]}, index=pd.Index(["jeune", "quartier"], name="lemme"))
    freq = Frequencies(table=table, unit="lemma", n_occurrences=4, n_words=2, n_hapax=1)
    id = register("test-frequences", table)
    assert verifier(id, freq).ok


def test_journal_records_each_check(register, tmp_path, monkeypatch):
    from movsc_toolkit.exercises.grading import decode_value

    journal = tmp_path / "journal.jsonl"
    monkeypatch.setenv(JOURNAL_ENV, str(journal))
    id = register("test-journal", 12.5, decimals=1)
    verifier(id, 12.5)
    verifier(id, pd.Series([1.0, None], index=["a", "b"]))
    verifier(id, ...)
    import json

    lines = [json.loads(x) for x in journal.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == [id] * 3  # recorded, not checked: the grader checks
    assert [x["status"] for x in lines] == ["juste", "juste", "vide"]
    assert decode_value(lines[0]["value"]) == 12.5
    series = decode_value(lines[1]["value"])
    assert series.index.tolist() == ["a", "b"] and math.isnan(series["b"])
    assert decode_value(lines[2]["value"]) is Ellipsis


# --------------------------------------------------------------------------- every exercise: the five tries


def _numeric_ids() -> list[str]:
    out = []
    for id in ALL_IDS:
        ex = registry.get_exercise(id)
        if ex.choices is None and _normalise.is_number(ex.expected_value()):
            out.append(id)
    return out


@pytest.mark.parametrize("id", _numeric_ids())
def test_every_numeric_exercise_five_tries(id):
    """Issue 11 « Done when »: rounded as displayed, more precise, ×100/÷100, sign, NaN."""
    ex = registry.get_exercise(id)
    expected = float(ex.expected_value())
    d = ex.display_decimals()
    shown = round(expected, d)
    assert verifier(id, shown).ok, f"{id}: {shown} (arrondi comme affiché) refusé"
    assert verifier(id, expected + 0.3 * 10.0**-d).ok, f"{id}: valeur plus précise refusée"
    assert verifier(id, int(shown) if d == 0 else shown).ok
    tailored = {"facteur-100", "ciblé"} | {diag.code for diag in ex.diagnostics}
    if expected != 0 and abs(expected) * 100 > 10.0**-d:
        for wrong in (expected * 100, expected / 100):
            result = verifier(id, wrong)
            assert not result.ok
            if abs(wrong - expected) > 10.0**-d:
                assert result.diagnosis in tailored, f"{id}: {wrong} → {result.diagnosis}"
                assert result.hint, f"{id}: pas d'indice après « {result.diagnosis} »"
        result = verifier(id, -expected)
        assert not result.ok and result.diagnosis in {"signe", "ciblé"} | tailored, id
    nan = verifier(id, float("nan"))
    assert nan.diagnosis == "manquante" and "trop" not in nan.message
    assert verifier(id, None).diagnosis == "aucune-valeur"


@pytest.mark.parametrize("id", [i for i in ALL_IDS if i not in set(_numeric_ids())])
def test_every_other_exercise_tries(id):
    """Texts, lists, booleans, tables, choices: the expected value in other shapes, NaN."""
    ex = registry.get_exercise(id)
    value = ex.expected_value()
    if ex.choices is not None:
        letters = _normalise.split_letters(_normalise.choice_letters(value), ex.choices)
        assert verifier(id, ", ".join(letters).upper()).ok
        if len(letters) == 1:
            assert verifier(id, ex.choices[letters[0]]).ok  # the text of the option
        others = [x for x in ex.choices if x not in letters]
        if others:
            wrong = verifier(id, others[0])
            assert wrong.diagnosis == "choix-faux"
            assert wrong.details or wrong.hint, f"{id}: aucune raison pour « {others[0]} »"
    elif isinstance(value, bool | np.bool_):
        assert verifier(id, "Oui" if value else "Non").ok
        assert not verifier(id, not value).ok
    elif isinstance(value, str):
        assert verifier(id, f"  {value.upper()} ").ok
        assert verifier(id, [value]).ok
    elif isinstance(value, list | tuple):
        assert verifier(id, list(reversed(value))).ok or ex.ordered
        assert verifier(id, pd.Index(value)).ok
    elif isinstance(value, pd.Series):
        assert verifier(id, value.iloc[::-1].rename_axis("autre")).ok
        assert verifier(id, value.to_frame("Effectif")).ok
    elif isinstance(value, pd.DataFrame):
        assert verifier(id, value.iloc[::-1, ::-1]).ok
    nan = verifier(id, float("nan"))
    assert not nan.ok and "trop" not in nan.message
