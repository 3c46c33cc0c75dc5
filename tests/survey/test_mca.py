"""Tests of movsc_toolkit.survey.mca against FactoMineR 2.7 (R 4.2.2) and the formulas of §5.2."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import ColumnError, DataError, MovscWarning
from movsc_toolkit.survey import mca


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


ACTIVE = ["sexe", "statut", "age", "satisf"]


def _data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sexe": list("FFHFHHFFHFHFFHHFHFFH"),
            "statut": [
                "sal",
                "ben",
                "sal",
                "ben",
                "sal",
                "sal",
                "ben",
                "ben",
                "sal",
                "sal",
                "ben",
                "sal",
                "ben",
                "sal",
                "ben",
                "sal",
                "sal",
                "ben",
                "ben",
                "sal",
            ],
            "age": list("jmvjmvjjmvvmjvmjmvjm"),
            "satisf": [
                "oui",
                "non",
                "oui",
                "non",
                "oui",
                "oui",
                "non",
                "non",
                "oui",
                "non",
                "non",
                "oui",
                "non",
                "oui",
                "nsp",
                "oui",
                "oui",
                "non",
                "nsp",
                "oui",
            ],
            "quartier": list("NSNSNNSSNSSNSNSNNSSN"),
            "w": [1, 2, 1, 1, 0.5, 1, 1, 2, 1, 1, 1, 1.5, 1, 1, 1, 1, 2, 1, 1, 1],
        }
    )


def _abs(frame: pd.DataFrame) -> np.ndarray:
    return np.abs(frame.to_numpy())


def test_factominer_golden_values() -> None:
    """MCA(m[, 1:5], ncp = 4, quali.sup = 5) in FactoMineR 2.7."""
    res = mca(_data(), ACTIVE, n_components=4, sup_columns=["quartier"])
    np.testing.assert_allclose(
        res.eigenvalues["Valeur propre"],
        [
            0.6555036021371,
            0.3207722588871,
            0.2598062905208,
            0.1721063492970,
            0.0766292741685,
            0.0151822249895,
        ],
        rtol=1e-10,
    )
    np.testing.assert_allclose(
        res.eigenvalues["% d'inertie"].iloc[:2], [43.70024014247, 21.38481725914], rtol=1e-10
    )
    coord = [
        [0.712734209443, -0.1274669166326, -0.407513617021, 0.0115169498187],
        [-0.871119589319, 0.1557928981065, 0.498072198581, -0.0140762720007],
        [0.943711797844, 0.2425893185985, 0.412691304582, -0.1917521729519],
        [-0.772127834600, -0.1984821697624, -0.337656521931, 0.1568881415061],
        [0.949038547324, 0.0747739232217, -0.735247073894, 0.4744800280093],
        [-0.678710670695, 0.7846839442538, -0.103567807239, -0.8545440981998],
        [-0.315382522735, -1.0027008453881, 0.978617361322, 0.4434080818889],
        [0.934268101565, -0.5127165004239, 0.280290335518, -0.5033969215373],
        [0.616321927199, 2.4249658477351, 0.983122892239, 1.2294451013692],
        [-0.870678866692, -0.0748199692079, -0.420856846862, 0.1568285169560],
    ]
    np.testing.assert_allclose(_abs(res.column_coordinates), np.abs(coord), atol=1e-10)
    np.testing.assert_allclose(
        res.column_contributions["Axe 2"],
        [
            0.696467502420,
            0.851238058513,
            2.063949510941,
            1.688685963497,
            0.152514658272,
            16.795803436764,
            23.507542130440,
            8.195166587003,
            45.830485646445,
            0.218146505705,
        ],
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        res.column_cos2["Axe 1"],
        [0.6208767318237] * 2
        + [0.7286661469553] * 2
        + [
            0.4849783961657,
            0.2480413247387,
            0.0426283438485,
            0.5819045904016,
            0.0422058575496,
            0.7580816889040,
        ],
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        np.abs(res.column_vtest["Axe 1"]),
        np.abs(
            [
                3.434626312228,
                -3.434626312228,
                3.720840871651,
                -3.720840871651,
                3.035554237227,
                -2.170895015894,
                -0.899965851087,
                3.325084542930,
                0.895494999116,
                -3.795201192187,
            ]
        ),
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        res.eta2.to_numpy(),
        [
            [0.620876731824, 0.0198584403549, 0.202971203181, 0.000162115718266],
            [0.728666146955, 0.0481496543166, 0.139347910536, 0.030083642044175],
            [0.506302659282, 0.5190847067899, 0.480267674592, 0.393365137587054],
            [0.766168870488, 0.6959962340870, 0.216638373773, 0.264814501838663],
        ],
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        _abs(res.row_coordinates.iloc[:4]),
        np.abs(
            [
                [0.00585638317044, -0.143897325738, -0.9325237478933, 0.481921235812],
                [0.59039291386944, 0.170865108394, 0.0892171594892, -0.926931544270],
                [-0.87364062282086, -0.494471296239, 0.3522460899113, 0.447773827887],
                [1.09301314179176, -0.142495869712, -0.2206045172966, -0.126038674295],
            ]
        ),
        atol=1e-10,
    )
    np.testing.assert_allclose(
        res.row_contributions.iloc[1],
        [2.658748110695671, 0.455071853280, 0.153185312245, 24.961371014828],
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        res.row_cos2.iloc[3],
        [8.85348659905e-01, 0.0150476305407, 0.03606553419575, 0.0117725683313],
        rtol=1e-9,
    )
    # Supplementary variable
    np.testing.assert_allclose(
        _abs(res.sup_column_coordinates),
        np.abs([[-0.870678866692, -0.0748199692079, -0.420856846862, 0.156828516956]] * 2),
        atol=1e-10,
    )
    np.testing.assert_allclose(
        np.abs(res.sup_column_vtest["Axe 1"]), [3.79520119219, 3.79520119219], rtol=1e-9
    )
    np.testing.assert_allclose(
        res.sup_eta2.to_numpy(),
        [[0.758081688904, 0.00559802779227, 0.17712048555, 0.0245951837306]],
        rtol=1e-9,
    )
    np.testing.assert_allclose(res.sup_column_cos2["Axe 1"], [0.758081688904] * 2, rtol=1e-9)


def test_factominer_row_weights() -> None:
    """MCA(m[, 1:4], ncp = 3, row.w = m$w)."""
    res = mca(_data(), ACTIVE, n_components=3, weights="w")
    np.testing.assert_allclose(
        res.eigenvalues["Valeur propre"].iloc[:3],
        [0.6598374915751, 0.3052733374821, 0.2530041589225],
        rtol=1e-10,
    )
    np.testing.assert_allclose(
        np.abs(res.column_coordinates.loc[("age", "v")]),
        [0.409149783874, 1.0891788158147, 1.122501203348],
    )
    np.testing.assert_allclose(
        np.abs(res.column_vtest.loc[("satisf", "nsp")]),
        [0.848590913468, 3.741409956287, 1.931710760525],
    )
    np.testing.assert_allclose(
        res.eta2.loc["satisf"], [0.786576254665, 0.6759925330611, 0.245416143904], rtol=1e-9
    )
    np.testing.assert_allclose(
        np.abs(res.row_coordinates.iloc[2]), [0.9553767036957, 0.520961253708, 0.4569585345685]
    )


def test_formulas_of_the_reference() -> None:
    """Independent checks of §5.2: inertia, barycentric relations, η², v-test."""
    data = _data()
    res = mca(data, ACTIVE, n_components=6)
    q, j, n = 4, 10, len(data)
    assert res.eigenvalues["Valeur propre"].sum() == pytest.approx((j - q) / q)
    lam = res.eigenvalues["Valeur propre"].to_numpy()
    F = res.row_coordinates.to_numpy()
    for (var, mod), row in res.column_coordinates.iterrows():
        members = (data[var] == mod).to_numpy()
        # G_ks = mean of F_is over the individuals of k / √λ_s
        np.testing.assert_allclose(row.to_numpy(), F[members].mean(axis=0) / np.sqrt(lam))
        nk = members.sum()
        np.testing.assert_allclose(
            res.column_vtest.loc[(var, mod)], row.to_numpy() * np.sqrt(nk * (n - 1) / (n - nk))
        )
        np.testing.assert_allclose(res.column_cos2.loc[(var, mod)].sum(), 1)
    # F_is = (1/√λ_s)(1/Q) Σ_{k ∋ i} G_ks
    G = res.column_coordinates
    rebuilt = sum(
        G.loc[list(zip([var] * n, data[var], strict=True))].to_numpy() for var in ACTIVE
    ) / (q * np.sqrt(lam))
    np.testing.assert_allclose(rebuilt, F, atol=1e-10)
    # η² = Q λ Σ ctr (as proportions)
    ctr = res.column_contributions.groupby(level=0, sort=False).sum() / 100
    np.testing.assert_allclose(res.eta2, q * lam * ctr.loc[res.eta2.index], rtol=1e-10)
    np.testing.assert_allclose(res.eta2.mean(), lam, rtol=1e-10)


def test_missing_answers() -> None:
    data = _data()
    data.loc[[0, 5], "age"] = None
    dropped = mca(data, ACTIVE, n_components=2)
    assert dropped.n_excluded == 2 and dropped.n_individuals == 18
    assert 0 not in dropped.row_coordinates.index
    assert "2 répondant(s)" in str(dropped)
    kept = mca(data, ACTIVE, n_components=2, dropna=False)
    assert ("age", "Non-réponse") in kept.column_coordinates.index
    assert kept.n_individuals == 20
    equal = mca(data.dropna(), ACTIVE, n_components=2)
    np.testing.assert_allclose(equal.column_coordinates, dropped.column_coordinates)


def test_outputs_and_plot() -> None:
    res = mca(_data(), ACTIVE, n_components=3, sup_columns="quartier")
    table = res.to_frame()
    assert list(table.columns[:4]) == [
        "Coord. Axe 1",
        "Contrib. Axe 1 (%)",
        "cos² Axe 1",
        "v-test Axe 1",
    ]
    benz = res.benzecri()
    assert benz["Taux cumulé (%)"].iloc[-1] == pytest.approx(100)
    lam = res.eigenvalues["Valeur propre"].iloc[0]
    assert benz.iloc[0, 0] == pytest.approx((4 / 3 * (lam - 0.25)) ** 2)
    ax = res.plot(respondents=True)
    assert ax.get_xlabel().startswith("Axe 1 (43,7 %")
    assert "Valeurs propres" in res._repr_html_()
    with pytest.raises(DataError, match="axe 4"):
        res.to_frame(axes=(1, 4))


def test_bad_inputs() -> None:
    data = _data()
    with pytest.raises(DataError, match="au moins deux"):
        mca(data, ["sexe"])
    with pytest.raises(DataError, match="une seule modalité"):
        mca(data.assign(k="x"), ["sexe", "k"])
    with pytest.raises(ColumnError, match="statut"):
        mca(data, ["sexe", "statuts"])
    with pytest.raises(DataError, match="active et supplémentaire"):
        mca(data, ACTIVE, sup_columns=["sexe"])
    with pytest.raises(DataError, match="négatifs"):
        mca(data.assign(w=-1), ACTIVE, weights="w")


def test_repeated_variable() -> None:
    with pytest.raises(DataError, match="deux fois"):
        mca(_data(), ["sexe", "age", "sexe"])


def test_supplementary_numeric_variable() -> None:
    """FactoMineR MCA(..., quanti.sup = 5), with and without row.w."""
    data = _data()
    data["x"] = [3, 4, 11, 1, 8, 12, 2, 6, 13, 3, 7, 3, 4, 11, 1, 8, 12, 2, 6, 13]
    res = mca(data, ACTIVE, n_components=3, sup_numeric=["x"])
    np.testing.assert_allclose(
        np.abs(res.sup_numeric.loc["x"]), [0.755538440198, 0.0880161410495, 0.00462550667768]
    )
    np.testing.assert_allclose(
        res.sup_numeric.loc["x"],
        [np.corrcoef(data["x"], res.row_coordinates[a])[0, 1] for a in res.row_coordinates.columns],
    )
    weighted = mca(data, ACTIVE, n_components=3, weights="w", sup_numeric="x")
    np.testing.assert_allclose(
        np.abs(weighted.sup_numeric.loc["x"]), [0.742059911234, 0.0698851448847, 0.0108761359348]
    )
    assert "« x », corrélations : Axe 1 : " in str(res)
    with pytest.raises(DataError, match="pas numérique"):
        mca(data, ACTIVE, sup_numeric=["quartier"])
    with pytest.raises(DataError, match="active et supplémentaire"):
        mca(data, ACTIVE, sup_numeric=["sexe"])


def test_plot_individuals() -> None:
    data = _data()
    res = mca(data, ACTIVE, n_components=2)
    ax = res.plot_individuals(data, color_by="quartier")
    assert ax.get_legend().get_title().get_text() == "quartier"
    assert sum(len(c.get_offsets()) for c in ax.collections) == 20
    assert res.plot_individuals().get_title() == "ACM : nuage des répondants"
    with pytest.raises(DataError, match="tableau de données"):
        res.plot_individuals(color_by="quartier")


def test_legend_shows_the_question_labels() -> None:
    data = _data()
    data.attrs["labels"] = {"sexe": "Vous êtes :", "age": "Quel âge avez-vous ?"}
    res = mca(data, ACTIVE, n_components=3)
    assert res.variable_labels == {"sexe": "Vous êtes :", "age": "Quel âge avez-vous ?"}
    legend = [t.get_text() for t in res.plot().get_legend().get_texts()]
    assert legend == ["Vous êtes :", "statut", "Quel âge avez-vous ?", "satisf"]


def test_free_text_variable_is_reported() -> None:
    data = pd.concat([_data(), _data()], ignore_index=True)
    data["avis"] = [f"réponse libre n° {i}" for i in range(len(data))]
    with pytest.warns(MovscWarning, match="« avis » a 40 modalités pour 40 répondants"):
        mca(data, ["sexe", "avis"], n_components=2)
    data["avis"] = [f"réponse {i % 20}" for i in range(len(data))]  # 20 categories: fine
    with warnings.catch_warnings():
        warnings.simplefilter("error", MovscWarning)
        mca(data, ["sexe", "avis"], n_components=2)


def test_map_labels_do_not_overlap() -> None:
    """QA: on the survey's map, « Une fois par semaine » covered « Une ou deux fois par mois »."""
    from movsc_toolkit import datasets

    data = datasets.load("enquete_usagers")
    res = mca(data, ["tranche_age", "situation", "foyer", "frequence", "anciennete", "quartier"])
    ax = res.plot()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) == len(res.column_coordinates)
    assert not any(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i))
    assert ax.get_legend().get_texts()[0].get_text() == "Quel âge avez-vous ?"


# --------------------------------------------------------------------------- adjusted inertia


def _two_variables(table: list[list[int]]) -> pd.DataFrame:
    records = [
        (f"r{i}", f"c{j}")
        for i, line in enumerate(table)
        for j, n in enumerate(line)
        for _ in range(n)
    ]
    return pd.DataFrame(records, columns=["a", "b"])


def test_greenacre_with_two_variables_is_the_ca_of_the_cross_table() -> None:
    """With Q = 2, Greenacre's adjusted eigenvalues are the CA eigenvalues of the cross-table
    and the adjusted total inertia is its χ²/n (Greenacre 2007, ch. 18–19): checked against an
    SVD of the standardized residuals computed here, and R's χ² = 14.162 (survey.md §4.2)."""
    table = np.array([[20, 15, 10], [12, 18, 20], [8, 10, 25]], dtype=float)
    res = mca(_two_variables(table.astype(int).tolist()), ["a", "b"])
    n = table.sum()
    expected = np.outer(table.sum(1), table.sum(0)) / n
    assert res.greenacre_total() == pytest.approx(14.162 / n, rel=1e-4)
    residuals = (table - expected) / np.sqrt(expected * n)
    mu = np.linalg.svd(residuals, compute_uv=False)[:2] ** 2
    adjusted = res.adjusted_inertia()
    assert res.n_interpretable == 2 and list(adjusted.index) == ["Axe 1", "Axe 2"]
    assert adjusted["Valeur propre ajustée"].to_numpy() == pytest.approx(mu, rel=1e-8)
    assert adjusted["Taux de Greenacre (%)"].to_numpy() == pytest.approx(
        100 * mu / mu.sum(), rel=1e-8
    )
    # with two variables, MCA eigenvalues are (1 ± √μ)/2 (hand check of the first one)
    assert res.eigenvalues["Valeur propre"].iloc[0] == pytest.approx((1 + np.sqrt(mu[0])) / 2)


def test_benzecri_rule_and_readings() -> None:
    res = mca(_data(), ACTIVE, n_components=3, sup_columns="quartier")
    q = len(ACTIVE)
    lam = res.eigenvalues["Valeur propre"].to_numpy()
    assert res.min_eigenvalue == pytest.approx(1 / q)
    assert res.n_interpretable == int((lam > 1 / q).sum())
    adjusted = res.adjusted_inertia()
    assert len(adjusted) == res.n_interpretable
    # Benzécri's rates of the retained axes add up to 100 %, Greenacre's to less
    assert adjusted["Taux de Benzécri (%)"].sum() == pytest.approx(100)
    assert adjusted["Greenacre cumulé (%)"].iloc[-1] < 100
    assert (adjusted["Taux de Greenacre (%)"] < adjusted["Taux de Benzécri (%)"]).all()
    # hand formula of the adjusted total inertia
    j = len(res.column_coordinates)
    total = q / (q - 1) * ((lam**2).sum() - (j - q) / q**2)
    assert res.greenacre_total() == pytest.approx(total)
    text = str(res)
    assert "Règle de Benzécri" in text and "Greenacre" in text
    assert "ne construisent pas les axes" in text
    minor = list(adjusted.index[adjusted["Taux de Greenacre (%)"] < 5])
    assert minor, "this example has small axes above 1/Q"
    assert f"{', '.join(minor)} : moins de 5 % de l'inertie ajustée" in text


def test_axes_below_threshold_are_not_read() -> None:
    # a = b, c independent of both (balanced): eigenvalues 2/3 and exactly 1/Q = 1/3 (hand
    # computation: each pair of identical variables gives (1 + 1)/Q, an independent one 1/Q)
    data = pd.DataFrame(
        [("x", "x", "u"), ("x", "x", "v"), ("y", "y", "u"), ("y", "y", "v")] * 5,
        columns=list("abc"),
    )
    res = mca(data, list("abc"), n_components=2)
    lam = res.eigenvalues["Valeur propre"].to_numpy()
    assert lam[:2] == pytest.approx([2 / 3, 1 / 3])
    assert res.n_interpretable == 1 and list(res.adjusted_inertia().index) == ["Axe 1"]
    text = str(res)
    assert "Axe 2 : valeur propre 0,333 ≤ 1/Q : cet axe n'est pas interprété." in text
    assert "Axe 1 : " in text and "1 axe(s) le font ici" in text
