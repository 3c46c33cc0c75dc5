"""French number formatting and deterministic HTML."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._format import (
    NBSP,
    afficher,
    display_html,
    display_text,
    format_bool,
    format_date,
    format_euro,
    format_number,
    format_percent,
    format_pvalue,
    format_value,
    frame_html,
    frame_text,
    round_frame,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 2, f"1{NBSP}234,50"),
        (1234567.891, 1, f"1{NBSP}234{NBSP}567,9"),
        (0.125, 2, "0,13"),  # half away from zero, as a spreadsheet shows it
        (2.675, 2, "2,68"),  # although 2.675 is stored as 2.67499999…
        (-2.5, 0, "−3"),
        (-12.25, 1, "−12,3"),
        (-0.001, 2, "0,00"),  # no "minus zero"
        (42, 0, "42"),
        (np.int64(1500), 0, f"1{NBSP}500"),
        (np.float32(2.5), 1, "2,5"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_missing_values(missing):
    assert format_number(missing) == "—"
    assert format_percent(missing) == "—"
    assert format_euro(missing) == "—"
    assert format_value(missing) == "—"
    assert format_date(missing) == "—"
    assert format_bool(missing) == "—"


def test_infinities_and_text():
    assert format_number(math.inf) == "∞"
    assert format_number(-math.inf) == "−∞"
    assert format_number("déjà du texte") == "déjà du texte"


def test_custom_thousands_separator():
    assert format_number(1234.5, 1, thousands=" ") == "1 234,5"


def test_percent_and_euro():
    assert format_percent(12.345) == "12,3\u00a0%"
    assert format_euro(1234.5) == f"1{NBSP}235\u00a0€"
    assert format_euro(1234.567, 2) == f"1{NBSP}234,57\u00a0€"


@pytest.mark.parametrize(
    ("p", "expected"),
    [(0.0004, "< 0,001"), (0.001, "0,001"), (0.04567, "0,046"), (0.5, "0,500"), (math.nan, "—")],
)
def test_format_pvalue(p, expected):
    assert format_pvalue(p) == expected


def test_round_frame_rounds_only_floats_and_copies():
    df = pd.DataFrame({"a": [1.23456, 2.0], "b": [1, 2], "c": ["x", "y"]})
    out = round_frame(df, {"a": 1})
    assert list(out["a"]) == [1.2, 2.0]
    assert list(out["b"]) == [1, 2]
    assert df.loc[0, "a"] == 1.23456  # caller's data untouched
    assert list(round_frame(df, 3)["a"]) == [1.235, 2.0]


def test_frame_html_is_deterministic_and_french():
    df = pd.DataFrame(
        {"Effectif": [1200, 35], "%": [97.16, 2.84], "Modalité": ["Oui", "Non <sûr>"]}
    )
    html = frame_html(df, decimals=1, caption="Tri à plat")
    assert r"<caption>a \1 b</caption>" in frame_html(df, caption=r"a \1 b")
    assert html == frame_html(df, decimals=1, caption="Tri à plat")
    assert f"1{NBSP}200" in html
    assert "97,2" in html and "2,8" in html
    assert "<caption>Tri à plat</caption>" in html
    assert "Non &lt;sûr&gt;" in html  # escaped
    assert "id=" not in html  # no random identifiers
    assert df.loc[0, "%"] == 97.16  # caller's data untouched


def test_booleans_dates_and_any_value():
    assert (format_bool(True), format_bool(np.False_)) == ("Oui", "Non")
    assert format_date(pd.Timestamp("2024-12-31")) == "31/12/2024"
    assert format_date(pd.Timestamp("2024-12-31 08:30")) == "31/12/2024 08:30"
    assert format_date(np.datetime64("2024-01-05")) == "05/01/2024"
    import datetime

    assert format_date(datetime.date(2024, 2, 29)) == "29/02/2024"
    assert format_value(True) == "Oui"
    assert format_value(np.int64(1500)) == f"1{NBSP}500"
    assert format_value(84.44444444444446) == "84,44"
    assert format_value(84.44444444444446, None) == "84,44"
    assert format_value(2.5, None) == "2,5"
    assert format_value(0.00123, None) == "0,0012"
    assert format_value("texte") == "texte"


def _cells(html):
    import re

    return re.findall(r"<td>(.*?)</td>", html)


def test_frame_html_writes_every_kind_of_cell_the_french_way():
    df = pd.DataFrame(
        {
            "Montant (€)": [1234.5, np.nan],
            "Payé": [True, False],
            "Date": pd.to_datetime(["2024-12-31", None]),
            "Nombre": pd.array([3, None], dtype="Int64"),
            "Texte": ["a", None],
        },
        index=pd.Index(["x", np.nan], name="clé"),
    )
    html = frame_html(df)
    first = [f"1{NBSP}234,50", "Oui", "31/12/2024", "3", "a"]
    assert _cells(html) == [*first, "—", "Non", "—", "—", "—"]
    assert "<th>—</th>" in html  # missing index label
    for english in ("NaN", "NaT", "True", "False", "<NA>", "None", "1234.5"):
        assert english not in html
    text = frame_text(df, decimals=1)
    assert f"1{NBSP}234,5" in text and "Non" in text and "NaN" not in text
    assert df["Montant (€)"].iloc[0] == 1234.5  # values untouched


def test_display_of_any_dataframe_keeps_exact_values_and_few_decimals():
    df = pd.DataFrame({"taux": [81.923077, 84.146341], "an": [2024, 2025], "poids": [12.5, 25.0]})
    html = display_html(df)
    assert _cells(html) == ["81,92", "2024", "12,5", "84,15", "2025", "25,0"]
    euros = display_html(pd.DataFrame({"Montant (€)": [46126.5, 12.0]}))
    assert _cells(euros) == [f"46{NBSP}126,50", "12,00"]  # amounts keep their cents
    assert "id=" not in html
    assert display_html(df) == html  # deterministic


def test_display_truncates_long_frames_like_pandas():
    big = pd.DataFrame({"x": np.arange(100_000) / 4})
    text = display_text(big)
    assert "..." in text
    assert f"[100{NBSP}000 lignes × 1 colonnes]" in text
    assert text.count("\n") < 30
    assert "24\u202f999,75" in text.replace(NBSP, "\u202f")
    html = display_html(big)
    assert html.count("<tr>") < 30
    assert f"100{NBSP}000 lignes" in html


def test_display_of_series_and_empty_frames():
    series = pd.Series([1.5, None, True], index=["a", "b", "c"], name="valeur", dtype=object)
    assert display_text(series).splitlines() == ["a    1,5", "b      —", "c    Oui", "Nom : valeur"]
    assert display_text(pd.DataFrame(columns=["ligne", "message"])) == (
        "Tableau sans ligne (colonnes : ligne, message)"
    )
    assert "Aucune ligne." in display_html(pd.DataFrame(columns=["a"]))


def test_afficher():
    df = pd.DataFrame({"Montant": [1234.5, None], "Payé": [True, False]})
    shown = afficher(df, 2, title="Dépenses")
    assert shown.data is df
    html = shown._repr_html_()
    assert "<caption>Dépenses</caption>" in html
    assert f"1{NBSP}234,5<" in html  # display precision: no more digits than the values have
    assert str(shown).splitlines()[0] == "Dépenses"
    assert "Oui" in str(afficher(df["Payé"]))


def test_notebook_tables_are_french(execute_notebook, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import movsc_toolkit\nimport numpy as np\nimport pandas as pd\n"
            "df = pd.DataFrame({'a': [1.5, np.nan], 'b': [True, False],"
            " 'd': pd.to_datetime(['2024-12-31', None])})\ndf"
        ),
        nbformat.v4.new_code_cell("df['a'].sum() / 7"),
        nbformat.v4.new_code_cell("movsc_toolkit.options.french_display = False\ndf"),
    ]
    execute_notebook(nb, tmp_path)
    first = nb.cells[0].outputs[0].data
    assert _cells(first["text/html"]) == ["1,5", "Oui", "31/12/2024", "—", "Non", "—"]
    assert "NaN" not in first["text/plain"] and "True" not in first["text/plain"]
    assert nb.cells[1].outputs[0].data["text/plain"] == "0,21"
    assert "NaN" in nb.cells[2].outputs[0].data["text/plain"]  # pandas' own display is back


def test_lexico_results_print_french_not_a_dataclass_dump():
    import networkx as nx
    from scipy import sparse

    from movsc_toolkit.lexico.counts import DocumentTermMatrix, Frequencies
    from movsc_toolkit.lexico.similitudes import Similitudes

    table = pd.DataFrame(
        {"Effectif": [2, 1], "%": [66.666667, 33.333333]}, index=pd.Index(["jeune", "ville"])
    )
    freq = Frequencies(table=table, unit="lemma", n_occurrences=3, n_words=2, n_hapax=1)
    text = repr(freq)
    assert text == str(freq)
    assert "66,67" in text and "66.666667" not in text and "Frequencies(" not in text
    dtm = DocumentTermMatrix(
        matrix=sparse.csr_matrix(np.eye(2)), rows=pd.DataFrame(index=[0, 1]), terms=table.index
    )
    assert repr(dtm).startswith("Matrice documents × termes : 2 lignes")
    sim = Similitudes(
        index="cooccurrence",
        frequencies=pd.Series({"jeune": 2, "ville": 1}),
        matrix=pd.DataFrame(),
        edges=pd.DataFrame({"Mot 1": ["jeune"], "Mot 2": ["ville"], "Indice": [1.0]}),
        communities=pd.Series({"jeune": 1, "ville": 1}),
        graph=nx.Graph(),
    )
    assert repr(sim).startswith("Arbre maximum des similitudes")


def test_plot_ticks_use_the_decimal_comma_but_keep_dates_and_categories():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from movsc_toolkit.plotting import get_axes

    def labels(axis):
        axis.figure.canvas.draw()
        return [t.get_text() for t in axis.get_ticklabels() if t.get_text()]

    _fig, ax = get_axes()
    ax.plot([0, 2500], [-0.5, 0.25])
    assert f"2{NBSP}000" in labels(ax.xaxis)
    assert "−0,5" in labels(ax.yaxis) and not any("." in t for t in labels(ax.yaxis))
    _fig2, ax2 = get_axes()
    ax2.bar(["Oui", "Non"], [1.5, 2])
    assert labels(ax2.xaxis) == ["Oui", "Non"]
    assert "1,50" in labels(ax2.yaxis)
    _fig3, ax3 = get_axes()
    ax3.plot(pd.to_datetime(["2024-01-01", "2024-06-01"]), [1, 2])
    assert all("2024" in t for t in labels(ax3.xaxis))
    plt.close("all")


def test_exports_write_booleans_oui_non_and_keep_exact_numbers(tmp_path):
    import csv

    import openpyxl

    from movsc_toolkit import _write

    frame = pd.DataFrame({"Payé": [True, False], "Montant": [1234.5678, 2.0]})
    path = _write.write_excel(tmp_path / "t.xlsx", {"T": frame})
    ws = openpyxl.load_workbook(path)["T"]
    assert [ws["A2"].value, ws["A3"].value] == ["Oui", "Non"]
    assert ws["B2"].value == 1234.5678  # exact value, rounding is the cell's number format
    back = pd.read_excel(_write.write_excel(tmp_path / "t.ods", {"T": frame}), engine="odf")
    assert back["Payé"].tolist() == ["Oui", "Non"]
    csv_path = _write.write_csv(frame, tmp_path / "t.csv")
    with open(csv_path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    assert rows[1] == ["Oui", "1234,5678"]


def test_every_missing_spelling_is_a_dash_even_in_text_columns():
    df = pd.DataFrame({"o": ["a", None, pd.NA, np.nan, pd.NaT]})
    assert _cells(frame_html(df)) == ["a", "—", "—", "—", "—"]
    assert "None" not in display_text(df) and "NaT" not in display_text(df)


def test_the_notebook_display_never_fails(monkeypatch):
    from movsc_toolkit import _format, _ipython

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(_format, "display_html", broken)
    df = pd.DataFrame({"a": [1.5]})
    assert _ipython._frame_html(df) == df._repr_html_()  # pandas' own display instead


def test_problem_tables_show_missing_cells_as_a_dash():
    from movsc_toolkit._problems import ProblemLog

    log = ProblemLog()
    log.add("erreur", "montant illisible", ligne=12, colonne="Montant", valeur="abc")
    log.add("alerte", "fichier sans date")
    table = log.frame()
    for shown in (str(table), table._repr_html_()):
        assert "None" not in shown and "NA" not in shown and "nan" not in shown
        assert "—" in shown and "montant illisible" in shown
    assert "<th></th>" not in table._repr_html_()  # no index column
