"""Tests of movsc_toolkit.survey.scales (likert, cronbach_alpha) against psych 2.2.9 (R 4.2.2)."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import ColumnError, DataError, MovscWarning, OptionError
from movsc_toolkit.survey import cronbach_alpha, likert


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


ITEMS = ["i1", "i2", "i3", "i4"]
DATA = pd.DataFrame(
    [[1, 1, 1, 5], [3, 3, 2, 5], [5, 5, 5, 5], [2, 1, 2, 5], [5, 5, 5, 1], [2, 3, 1, 1],
     [4, 3, 3, 1], [1, 1, 1, 1], [4, 5, 4, 2], [1, 1, 2, 2], [3, 3, 2, 2], [5, 5, 4, 2],
     [3, 2, 3, 3], [5, 5, 5, 3], [2, 3, 3, 3], [4, 3, 3, 3], [2, 2, 1, 4], [4, 5, 4, 4],
     [1, 1, 1, 4], [3, 3, 4, 4], [1, 2, 1, 5], [3, 2, 2, 5], [5, 5, 5, 5], [2, 3, 2, 5],
     [5, 4, 5, 1], [2, 2, 1, 1], [4, 5, 3, 1], [1, 1, 1, 1], [4, 4, 4, 2], [1, 2, 2, 2]],
    columns=ITEMS,
)  # fmt: skip


def test_alpha_matches_psych() -> None:
    """psych::alpha: raw 0.711489, std 0.727764, Feldt [0.495982, 0.849295], alpha.drop, r.drop."""
    res = cronbach_alpha(DATA, ITEMS)
    assert res.alpha == pytest.approx(0.711488558622, abs=1e-10)
    assert res.std_alpha == pytest.approx(0.727763673123, abs=1e-10)
    assert res.ci == pytest.approx((0.495982095335, 0.849294505279), abs=1e-10)
    np.testing.assert_allclose(
        res.items["α si l'item est retiré"],
        [0.454883720930, 0.485772357724, 0.454629203132, 0.955484693878],
    )
    np.testing.assert_allclose(
        res.items["Corrélation item-reste"],
        [0.7932478317898, 0.7493575048361, 0.7990711781143, -0.0797333388662],
    )
    np.testing.assert_allclose(
        res.items["Écart-type"], [1.48401443745, 1.48556270542, 1.46059348668, 1.59597194110]
    )
    text = str(res)
    # r = −0,08: an item unrelated to the scale, not a reverse-keyed one
    assert "« i4 »" in text and "autre chose" in text and "0,955" in text
    assert "à l'envers" not in text


def test_alpha_flags_a_reverse_keyed_item() -> None:
    data = DATA.assign(i4=6 - DATA["i1"])  # i4 now reverse-keyed: r(item, rest) ≈ −0,8
    text = str(cronbach_alpha(data, ITEMS))
    assert "« i4 » est nettement corrélé négativement" in text and "à l'envers" in text
    assert "autre chose" not in text


def test_alpha_formula_and_missing() -> None:
    x = DATA[ITEMS[:3]].to_numpy(dtype=float)
    k = 3
    expected = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    assert cronbach_alpha(DATA, ITEMS[:3]).alpha == pytest.approx(expected)
    holes = DATA.astype(float)
    holes.iloc[0, 1] = holes.iloc[4, 3] = holes.iloc[6, 0] = np.nan
    listwise = cronbach_alpha(holes, ITEMS)
    assert listwise.alpha == pytest.approx(0.766726943942)  # psych on na.omit(b)
    assert listwise.n == 27 and listwise.n_excluded == 3
    assert "3 répondant(s)" in str(listwise)
    pairwise = cronbach_alpha(holes, ITEMS, dropna=False)
    assert pairwise.alpha == pytest.approx(0.753713816913)  # psych use = "pairwise"


def test_alpha_ordered_categories_and_errors() -> None:
    levels = ["pas du tout", "peu", "moyen", "assez", "tout à fait"]
    cat = DATA.apply(lambda c: pd.Categorical.from_codes(c - 1, levels, ordered=True))
    assert cronbach_alpha(cat, ITEMS).alpha == pytest.approx(0.711488558622)
    with pytest.raises(DataError, match="au moins deux items"):
        cronbach_alpha(DATA, ["i1"])
    with pytest.raises(DataError, match="non numériques"):
        cronbach_alpha(DATA.assign(i1="oui"), ITEMS)
    with pytest.raises(DataError, match="variance nulle"):
        cronbach_alpha(DATA.assign(i2=3), ITEMS)
    with pytest.raises(ColumnError, match="i1"):
        cronbach_alpha(DATA, ["i1 ", "i2"])


def test_likert_table_and_plot() -> None:
    levels = ["pas du tout", "peu", "moyen", "assez", "tout à fait"]
    cat = DATA.apply(lambda c: pd.Categorical.from_codes(c - 1, levels, ordered=True))
    cat.iloc[0, 0] = None
    res = likert(cat, ITEMS, labels={"i1": "Accueil"})
    assert list(res.table.columns) == [*levels, "Effectif", "Non-réponse"]
    assert list(res.table.index) == ["Accueil", "i2", "i3", "i4"]
    assert res.table.loc["Accueil", "Effectif"] == 29
    assert res.table.loc["Accueil", "Non-réponse"] == 1
    assert res.table.loc["Accueil", "pas du tout"] == pytest.approx(100 * 6 / 29, abs=0.05)
    np.testing.assert_allclose(res.table[levels].sum(axis=1), 100, atol=0.2)
    assert "positifs" in str(res)
    ax = res.plot()
    assert ax.get_xlabel() == "% des réponses"
    assert len(ax.patches) == 4 * 5
    # numeric items: levels sorted; weighted
    weighted = likert(DATA.assign(w=2.0), ITEMS, weights="w")
    assert list(weighted.levels) == [1, 2, 3, 4, 5]
    assert weighted.table.loc["i1", "Effectif"] == 60
    with pytest.raises(DataError, match="niveaux"):
        likert(DATA, ITEMS, levels=[1, 2, 3])


def test_likert_items_on_different_scales() -> None:
    levels = ["non", "oui"]
    df = pd.DataFrame(
        {
            "a": pd.Categorical(["non", "oui"], levels, ordered=True),
            "b": ["oui", "peut-être"],
        }
    )
    with pytest.raises(DataError, match="peut-être"):
        likert(df, ["a", "b"])


def test_likert_sort() -> None:
    res = likert(DATA, ITEMS, sort="desc")
    positive = (DATA[ITEMS] >= 4).mean().sort_values(ascending=False, kind="stable")
    assert list(res.table.index) == list(positive.index)
    assert list(likert(DATA, ITEMS, sort="asc").table.index) == ["i2", "i3", "i1", "i4"]
    with pytest.raises(OptionError, match="sort"):
        likert(DATA, ITEMS, sort="alpha")


def test_likert_uses_the_question_labels_kept_by_read_responses() -> None:
    data = DATA.copy()
    data.attrs["labels"] = {"i1": "L'accueil", "i2": "Les horaires", "i4": "Les tarifs"}
    res = likert(data, ITEMS)
    assert list(res.table.index) == ["L'accueil", "Les horaires", "i3", "Les tarifs"]
    ax = res.plot()
    assert ax.get_yticklabels()[0].get_text() == "L'accueil"
    # labels= wins over the stored labels; duplicated labels fall back to the column names
    assert likert(data, ITEMS, labels={"i1": "Accueil"}).table.index[0] == "Accueil"
    twice = likert(data, ITEMS, labels=dict.fromkeys(ITEMS, "Satisfaction"))
    assert list(twice.table.index) == ITEMS


def test_alpha_refuses_nominal_items_and_warns_on_different_scales() -> None:
    nominal = pd.DataFrame(
        {
            "quartier": pd.Categorical(list("ABCABCAB")),
            "i1": pd.Categorical([1, 2, 3, 1, 2, 3, 3, 2], ordered=True),
        }
    )
    with pytest.raises(DataError, match="« quartier » est une variable nominale"):
        cronbach_alpha(nominal, ["quartier", "i1"])
    # select_one questions read with a form are ordered categoricals: a district and a sex are
    # not on the same answer scale
    other = pd.DataFrame(
        {
            "quartier": pd.Categorical(list("ABCABCAB"), ordered=True),
            "sexe": pd.Categorical(list("FHFHFFHH"), ordered=True),
        }
    )
    with pytest.warns(MovscWarning, match="« quartier » et « sexe » n'ont pas les mêmes"):
        cronbach_alpha(other, ["quartier", "sexe"])
    levels = ["pas du tout", "peu", "moyen", "assez", "tout à fait"]
    same = DATA.apply(lambda c: pd.Categorical.from_codes(c - 1, levels, ordered=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error", MovscWarning)
        assert cronbach_alpha(same, ITEMS).alpha == pytest.approx(cronbach_alpha(DATA, ITEMS).alpha)


# --------------------------------------------------------------------------- level order


def test_likert_refuses_to_guess_the_order_of_unknown_labels() -> None:
    df = pd.DataFrame({"a": ["Bof", "Super", "Moyen+"], "b": ["Super", "Bof", "Bof"]})
    with pytest.raises(DataError, match="n'est pas deviné") as info:
        likert(df, ["a", "b"])
    assert "levels=" in info.value.hint and "form=" in info.value.hint
    res = likert(df, ["a", "b"], levels=["Bof", "Moyen+", "Super"])
    assert list(res.levels) == ["Bof", "Moyen+", "Super"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            [
                "Tout à fait d’accord",
                "Pas du tout d'accord",
                "Plutôt d'accord",
                "Plutôt pas d'accord",
            ],
            [
                "Pas du tout d'accord",
                "Plutôt pas d'accord",
                "Plutôt d'accord",
                "Tout à fait d’accord",
            ],
        ),
        (
            ["Toujours", "Jamais", "Souvent", "Rarement", "Parfois"],
            ["Jamais", "Rarement", "Parfois", "Souvent", "Toujours"],
        ),
        (
            ["Très satisfaite", "Insatisfait·e", "Satisfait(e)", "Très insatisfait"],
            ["Très insatisfait", "Insatisfait·e", "Satisfait(e)", "Très satisfaite"],
        ),
        (["Bonne", "Très mauvaise", "Excellente"], None),  # « excellente » is not folded
        (
            ["Oui, tout à fait", "Plutôt non", "Non, pas du tout", "Plutôt oui"],
            ["Non, pas du tout", "Plutôt non", "Plutôt oui", "Oui, tout à fait"],
        ),
    ],
)
def test_known_french_scales_are_ordered(answers, expected) -> None:
    from movsc_toolkit.survey.scales import known_scale_order

    assert known_scale_order(answers) == expected
    df = pd.DataFrame({"a": answers, "b": answers[::-1]})
    if expected is None:
        with pytest.raises(DataError, match="pas deviné"):
            likert(df, ["a", "b"])
    else:
        assert list(likert(df, ["a", "b"]).levels) == expected  # not alphabetical


def test_numbers_keep_their_numeric_order() -> None:
    df = pd.DataFrame({"a": [10, 2, 1], "b": [1, 2, 2]})
    assert list(likert(df, ["a", "b"]).levels) == [1, 2, 10]
