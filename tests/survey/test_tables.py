"""Tests of movsc_toolkit.survey.tables (freq, crosstab, pivot, multi_response)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import ColumnError, DataError, OptionError
from movsc_toolkit.survey import crosstab, freq, multi_response, pivot


def test_freq_worked_example() -> None:
    """survey.md §3.1: 6 Oui, 3 Non, 1 missing."""
    df = pd.DataFrame({"adh": pd.Categorical(["Oui"] * 6 + ["Non"] * 3 + [None], ["Oui", "Non"])})
    table = freq(df, "adh")
    assert list(table.index) == ["Oui", "Non", "Non-réponse", "Total"]
    assert list(table.columns) == ["Effectif", "%", "% valides"]
    assert table["Effectif"].tolist() == [6, 3, 1, 10]
    assert table["%"].tolist() == [60.0, 30.0, 10.0, 100.0]
    assert table["% valides"].iloc[:2].tolist() == pytest.approx([200 / 3, 100 / 3])  # exact
    assert table.attrs["decimals"] == 1  # shown as 66,7 and 33,3
    assert np.isnan(table.loc["Non-réponse", "% valides"])
    assert table.loc["Total", "% valides"] == 100
    assert table.index.name == "adh"


def test_freq_options() -> None:
    df = pd.DataFrame({"q": ["b", "a", "b", "c", "b", None, "a"]})
    table = freq(df, "q", dropna=True)
    assert list(table.index) == ["a", "b", "c", "Total"]
    assert list(table.columns) == ["Effectif", "%"]
    assert table.loc["a", "%"] == pytest.approx(100 / 3)
    assert table.attrs["non_reponses"] == 1
    desc = freq(df, "q", sort="desc")
    assert list(desc.index) == ["b", "a", "c", "Non-réponse", "Total"]
    cum = freq(df, "q", cum=True, decimals=None)
    assert cum.loc["c", "% cumulés"] == pytest.approx(600 / 7)
    assert cum.loc["c", "% valides cumulés"] == pytest.approx(100)
    no_missing = freq(df.dropna(), "q", total=False)
    assert list(no_missing.columns) == ["Effectif", "%", "% valides"]
    assert "Total" not in no_missing.index
    with pytest.raises(OptionError, match="sort"):
        freq(df, "q", sort="alpha")


def test_freq_natural_order_and_unobserved_levels() -> None:
    levels = ["Pas du tout", "Plutôt pas", "Plutôt", "Tout à fait"]
    df = pd.DataFrame(
        {"s": pd.Categorical(["Plutôt", "Tout à fait", "Plutôt"], levels, ordered=True)}
    )
    table = freq(df, "s")
    assert list(table.index[:-1]) == levels
    assert table.loc["Pas du tout", "Effectif"] == 0
    text = pd.DataFrame({"v": ["été", "Zèbre", "avril", "Été"]})
    assert list(freq(text, "v").index[:-1]) == ["avril", "été", "Été", "Zèbre"]
    nums = pd.DataFrame({"n": [10, 2, 2, 1]})
    assert list(freq(nums, "n").index[:-1]) == [1, 2, 10]


def test_freq_weights() -> None:
    df = pd.DataFrame({"q": ["a", "b", "b", None], "w": [2.0, 0.5, 0.5, 1.0]})
    table = freq(df, "q", weights="w")
    assert table.loc["a", "Effectif"] == 2.0
    assert table.loc["Total", "Effectif"] == 4.0
    assert table.loc["a", "% valides"] == pytest.approx(66.7, abs=0.05)
    assert table.loc["Non-réponse", "%"] == 25.0
    with pytest.raises(DataError, match="négatifs"):
        freq(df.assign(w=[1, -1, 1, 1]), "q", weights="w")
    with pytest.raises(DataError, match="lignes 2"):
        freq(df.assign(w=[1, np.nan, 1, 1]), "q", weights="w")
    with pytest.raises(DataError, match="poids"):
        freq(df, "q", weights=[1, 2])


def test_freq_errors() -> None:
    df = pd.DataFrame({"quartier": ["a"], "vide": [None]})
    with pytest.raises(ColumnError, match="quartier"):
        freq(df, "quartie")
    with pytest.raises(DataError, match="que des valeurs manquantes"):
        freq(df, "vide")
    with pytest.raises(DataError, match="vide"):
        freq(df.iloc[:0], "quartier")
    with pytest.raises(DataError, match="DataFrame"):
        freq([1, 2], "quartier")


def _satisf() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "satisf": ["oui"] * 8 + ["non"] * 2 + ["oui"] * 3 + ["non"] * 7,
            "sexe": ["F"] * 10 + ["H"] * 10,
        }
    )
    df["satisf"] = pd.Categorical(df["satisf"], ["oui", "non"], ordered=True)
    return df


def test_crosstab_column_percent_worked_example() -> None:
    """survey.md §3.2 (cprop)."""
    table = crosstab(_satisf(), "satisf", "sexe", percent="col")
    assert list(table.columns) == ["F", "H", "Ensemble"]
    assert list(table.index) == ["oui", "non", "Total"]
    np.testing.assert_allclose(table.to_numpy(), [[80, 30, 55], [20, 70, 45], [100, 100, 100]])


def test_crosstab_counts_row_and_total_percent() -> None:
    df = _satisf()
    counts = crosstab(df, "satisf", "sexe")
    assert counts.loc["oui", "F"] == 8 and counts.loc["Total", "Total"] == 20
    assert counts.loc["Total", "H"] == 10 and counts.loc["non", "Total"] == 9
    ref = pd.crosstab(df["satisf"], df["sexe"], margins=True, margins_name="Total")
    np.testing.assert_array_equal(counts.to_numpy(), ref.to_numpy())
    rows = crosstab(df, "satisf", "sexe", percent="ligne")
    assert list(rows.index) == ["oui", "non", "Ensemble"]
    assert rows.loc["oui", "F"] == pytest.approx(72.7, abs=0.05)
    assert rows.loc["Ensemble", "Total"] == 100
    total = crosstab(df, "satisf", "sexe", percent="total", decimals=None)
    assert total.loc["Total", "Total"] == pytest.approx(100)
    assert total.loc["oui", "F"] == pytest.approx(40)
    bare = crosstab(df, "satisf", "sexe", margins=False)
    assert bare.shape == (2, 2)
    with pytest.raises(OptionError, match="percent"):
        crosstab(df, "satisf", "sexe", percent="colonnes%")


def test_crosstab_missing_and_weights() -> None:
    df = _satisf()
    df.loc[0, "sexe"] = None
    with_na = crosstab(df, "satisf", "sexe")
    assert "Non-réponse" in with_na.columns
    assert with_na.loc["oui", "Non-réponse"] == 1
    without = crosstab(df, "satisf", "sexe", dropna=True)
    assert "Non-réponse" not in without.columns
    assert without.attrs["non_reponses"] == 1
    weighted = crosstab(_satisf().assign(w=0.5), "satisf", "sexe", weights="w")
    assert weighted.loc["Total", "Total"] == 10.0


def test_pivot_counts_means_filters() -> None:
    df = pd.DataFrame(
        {
            "q": ["a", "a", "b", "b", "b", "c"],
            "s": ["F", "H", "F", "F", "H", "H"],
            "age": [20, 30, 40, 50, 60, 70],
            "w": [1, 1, 2, 1, 1, 1],
        }
    )
    counts = pivot(df, "q", "s")
    assert counts.loc["b", "F"] == 2 and counts.loc["Total", "Total"] == 6
    means = pivot(df, "q", "s", values="age", aggfunc="moyenne")
    assert means.loc["b", "F"] == 45 and means.loc["Total", "Total"] == 45
    assert means.loc["a", "Total"] == 25
    weighted = pivot(df, "q", "s", values="age", aggfunc="moyenne", weights="w", decimals=None)
    assert weighted.loc["b", "F"] == pytest.approx(130 / 3)
    assert weighted.loc["Total", "Total"] == pytest.approx(310 / 7)
    filtered = pivot(df, "q", values="age", aggfunc="somme", filters={"s": "F"})
    assert filtered.loc["b", "age"] == 90 and filtered.loc["Total", "age"] == 110
    with pytest.raises(OptionError, match="aggfunc"):
        pivot(df, "q", aggfunc="moyennes")
    with pytest.raises(DataError, match="values"):
        pivot(df, "q", aggfunc="moyenne")
    with pytest.raises(DataError, match="aucune ligne"):
        pivot(df, "q", filters={"s": "X"})
    with pytest.raises(ColumnError, match="age"):
        pivot(df, "q", values="âge", aggfunc="moyenne")


KOBO = pd.DataFrame(
    {
        "act": ["sport cuisine", "cuisine", None, "sport", "theatre sport"],
        "act/sport": [1, 0, None, 1, 1],
        "act/cuisine": [1, 1, None, 0, 0],
        "act/theatre": [0, 0, None, 0, 1],
        "sexe": ["F", "F", "H", "H", "H"],
    }
)


def test_multi_response_bases() -> None:
    table = multi_response(KOBO, "act")
    assert list(table.index) == ["sport", "cuisine", "theatre", "Total", "Base (répondants)"]
    assert table.loc["sport", "Effectif"] == 3
    # base: 4 respondents (the third person was not asked), 6 ticks
    assert table.loc["sport", "% des répondants"] == 75.0
    assert table.loc["sport", "% des réponses"] == 50.0
    assert table.loc["Total", "Effectif"] == 6
    assert table.loc["Base (répondants)", "Effectif"] == 4
    # the joined column alone gives the same numbers (choices sorted)
    joined = multi_response(KOBO[["act", "sexe"]], "act")
    assert joined.loc["sport", "% des répondants"] == 75.0
    assert joined.loc["theatre", "% des réponses"] == pytest.approx(16.7, abs=0.05)
    google = pd.DataFrame({"q": ["Sport, Cuisine", "Cuisine", None]})
    g = multi_response(google, "q")
    assert g.loc["Cuisine", "% des répondants"] == 100.0


def test_multi_response_limesurvey_and_by() -> None:
    lime = pd.DataFrame(
        {"Q1[SQ001]": ["Y", "", "Y"], "Q1[SQ002]": ["Y", "Y", ""], "g": list("xxy")}
    )
    table = multi_response(lime, "Q1")
    assert table.loc["SQ001", "Effectif"] == 2
    by = multi_response(KOBO, "act", by="sexe")
    assert list(by.columns) == ["F", "H", "Ensemble"]
    assert by.loc["cuisine", "F"] == 100.0 and by.loc["sport", "H"] == 100.0
    assert by.loc["Base (répondants)", "H"] == 2
    with pytest.raises(ColumnError, match="act"):
        multi_response(KOBO, "acte")


def test_nullable_and_boolean_dtypes() -> None:
    df = pd.DataFrame(
        {
            "n": pd.array([1, 2, None, 2, 10], dtype="Int64"),
            "b": [True, False, True, None, True],
            "t": pd.array(["x", None, "y", "x", "y"], dtype="string"),
        }
    )
    assert list(freq(df, "n").index) == [1, 2, 10, "Non-réponse", "Total"]
    assert freq(df, "b").loc[True, "Effectif"] == 3
    table = crosstab(df, "n", "t")
    assert table.loc["Non-réponse", "y"] == 1 and table.loc["Total", "Total"] == 5


def test_crosstab_bases() -> None:
    df = _satisf()
    cols = crosstab(df, "satisf", "sexe", percent="col", n=True)
    assert list(cols.index) == ["oui", "non", "Total", "Effectif"]
    assert cols.loc["Effectif"].tolist() == [10, 10, 20]
    rows = crosstab(df, "satisf", "sexe", percent="row", n=True)
    assert rows["Effectif"].tolist() == [11, 9, 20]
    total = crosstab(df, "satisf", "sexe", percent="total", n=True, margins=False)
    assert total.loc["Effectif"].tolist() == [10, 10, 20]
    assert total["Effectif"].tolist() == [11, 9, 20]


def test_weight_errors_name_file_lines() -> None:
    df = pd.DataFrame({"q": list("abcdefg"), "w": [1, -1, -2, -3, -4, -5, -6]})
    df.attrs["lines"] = list(range(2, 9))
    with pytest.raises(DataError, match=r"6 poids négatifs \(lignes 3, 4, 5, 6, 7 …\)"):
        freq(df, "q", weights="w")
    with pytest.raises(DataError, match="manquants"):
        freq(df.assign(w=np.inf), "q", weights="w")


def test_multi_response_shows_choice_labels() -> None:
    """Labels of the questionnaire (attrs["choices"], as read_responses stores them)."""
    data = KOBO.copy()
    data.attrs["choices"] = {
        "act": {"sport": "Sport et bien-être", "cuisine": "Ateliers cuisine", "theatre": "Théâtre"}
    }
    table = multi_response(data, "act")
    assert list(table.index) == [
        "Sport et bien-être",
        "Ateliers cuisine",
        "Théâtre",
        "Total",
        "Base (répondants)",
    ]
    assert table.loc["Sport et bien-être", "% des répondants"] == 75.0
    by = multi_response(data, "act", by="sexe")
    assert by.loc["Sport et bien-être", "H"] == 100.0
    # labels= when the data carry none; a code without a label stays as it is
    given = multi_response(KOBO, "act", labels={"theatre": "Théâtre"})
    assert list(given.index[:3]) == ["sport", "cuisine", "Théâtre"]
    # two codes with the same label would merge two rows: the codes are kept
    same = multi_response(KOBO, "act", labels={"sport": "Activité", "cuisine": "Activité"})
    assert list(same.index[:3]) == ["sport", "cuisine", "theatre"]


def test_multi_response_labels_of_the_bundled_survey() -> None:
    from movsc_toolkit import datasets

    table = multi_response(datasets.load("enquete_usagers"), "activites")
    assert table.index[0] == "Accueil et information"
    assert "Cours de français" in table.index and "francais" not in table.index


def test_values_stay_exact_and_display_is_rounded() -> None:
    """``decimals`` is display precision: the cells keep full precision (DESIGN §3)."""
    from movsc_toolkit._format import display_html, display_text

    df = pd.DataFrame({"q": ["a", "a", "b"]})
    table = freq(df, "q")
    assert table.loc["a", "%"] == 200 / 3
    assert "66,7" in display_text(table) and "66,67" not in display_text(table)
    assert "66,7" in display_html(table)
    assert "66,67" in display_text(freq(df, "q", decimals=2))


@pytest.mark.parametrize("storage", ["str", "arrow"])
def test_freq_of_a_long_text_column_counted_in_slices(monkeypatch, storage) -> None:
    pa = pytest.importorskip("pyarrow")
    from movsc_toolkit import _cores

    monkeypatch.setattr(_cores, "SPLIT_ROWS", 50)
    monkeypatch.setattr(_cores, "usable_cores", lambda: 3)
    answers = (["Plutôt d'accord", "Non", "", None, "Oui", "Élevé"] * 70)[:401]
    dtype = "str" if storage == "str" else pd.ArrowDtype(pa.large_string())
    text = pd.DataFrame({"avis": pd.array(answers, dtype=dtype)})
    objects = pd.DataFrame({"avis": pd.array(answers, dtype=object)})
    for options in ({}, {"sort": "desc", "cum": True}, {"dropna": True}):
        pd.testing.assert_frame_equal(
            freq(text, "avis", **options), freq(objects, "avis", **options)
        )
    assert freq(text, "avis").loc["Élevé", "Effectif"] == answers.count("Élevé") == 66
