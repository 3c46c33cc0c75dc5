"""Tests of movsc_toolkit.survey.export (to_excel)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from movsc_toolkit._errors import DataError, FileError
from movsc_toolkit.survey import chi2_test, crosstab, freq, to_excel


def _data() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"q": rng.choice(["a", "b", "c"], 120), "s": rng.choice(["F", "H"], 120)})


def test_xlsx_sheets_formats_and_values(tmp_path: Path) -> None:
    df = _data()
    path = to_excel(
        {
            "Tri à plat": freq(df, "q"),
            "Croisé [colonnes]": crosstab(df, "q", "s", percent="col"),
            "Khi-deux": chi2_test(df, "q", "s"),
            "Un nom de feuille beaucoup trop long pour Excel": freq(df, "s"),
        },
        tmp_path / "annexes.xlsx",
    )
    book = load_workbook(path)
    assert book.sheetnames == [
        "Tri à plat",
        "Croisé -colonnes-",
        "Khi-deux",
        "Un nom de feuille beaucoup trop",
    ]
    sheet = book["Tri à plat"]
    assert [c.value for c in sheet[1]] == ["q", "Effectif", "%", "% valides"]
    assert sheet["A1"].font.bold
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["C2"].number_format == "0.0"
    assert sheet["A5"].value == "Total" and sheet["A5"].font.bold
    assert sheet["B5"].value == 120
    cross = book["Croisé -colonnes-"]
    assert [c.value for c in cross[1]] == ["q", "F", "H", "Ensemble"]
    assert cross["B2"].number_format == "0.0"
    khi = book["Khi-deux"]
    assert khi["A2"].value == "χ²"
    assert khi["B2"].value == pytest.approx(chi2_test(df, "q", "s").chi2)
    back = pd.read_excel(path, sheet_name="Tri à plat")
    assert back["Effectif"].tolist() == freq(df, "q")["Effectif"].tolist()


def test_ods_and_errors(tmp_path: Path) -> None:
    df = _data()
    path = to_excel({"Croisé": crosstab(df, "q", "s")}, tmp_path / "annexes.ods")
    back = pd.read_excel(path, sheet_name="Croisé", engine="odf")
    assert back.iloc[-1, 0] == "Total" and back.iloc[-1, -1] == 120
    with pytest.raises(FileError, match=r"\.csv"):
        to_excel({"a": freq(df, "q")}, tmp_path / "x.csv")
    with pytest.raises(DataError, match="aucun tableau"):
        to_excel({}, tmp_path / "x.xlsx")
    # a missing folder is created
    made = to_excel({"a": freq(df, "q")}, tmp_path / "absent" / "x.xlsx")
    assert made.is_file() and made.parent.name == "absent"
    with pytest.raises(DataError, match="pas un tableau"):
        to_excel({"a": 3}, tmp_path / "x.xlsx")


def test_question_labels_head_the_tables(tmp_path: Path) -> None:
    data = pd.DataFrame({"quartier": ["Nord", "Sud", "Nord"], "sexe": ["F", "H", "F"]})
    path = to_excel(
        {"Quartier": freq(data, "quartier"), "Croisé": crosstab(data, "quartier", "sexe")},
        tmp_path / "t.xlsx",
        labels={"quartier": "Dans quel quartier habitez-vous ?"},
    )
    book = load_workbook(path)
    assert book["Quartier"]["A1"].value == "Dans quel quartier habitez-vous ?"
    assert book["Croisé"]["A1"].value == "Dans quel quartier habitez-vous ?"
    plain = load_workbook(to_excel({"Q": freq(data, "quartier")}, tmp_path / "u.xlsx"))
    assert plain["Q"]["A1"].value == "quartier"
