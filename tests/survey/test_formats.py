"""The same survey saved as CSV (UTF-8 ``,`` and Windows-1252 ``;``), XLSX, ODS and SPSS gives
identical answers and identical ``freq`` tables (issue 9: one missing-value rule everywhere).

The survey holds what usually goes wrong: choices named ``NA`` (« ne sait pas ») and ``None``
(« aucun »), a code ``0``, a multiple-choice question, an ordered scale stored as numbers, a
blank answer and a declared non-response code (``NSP``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit.survey import Questionnaire, freq, read_responses


def _form() -> Questionnaire:
    q = Questionnaire(title="Formats")
    q.add_choices(
        "transport",
        {"velo": "Vélo", "bus": "Bus", "NA": "Ne sait pas", "None": "Aucun", "0": "Zéro"},
    )
    q.add_choices("loisirs", {"sport": "Sport", "lecture": "Lecture", "NA": "Ne sait pas"})
    q.add_choices(
        "satisf",
        {"1": "Pas du tout", "2": "Plutôt pas", "3": "Plutôt", "4": "Tout à fait"},
    )
    q.add_question("select_one transport", "transport", "Moyen de transport")
    q.add_question("select_multiple loisirs", "loisirs", "Loisirs")
    q.add_question("select_one satisf", "satisf", "Satisfaction")
    q.add_question("integer", "age", "Âge")
    q.add_question("text", "commentaire", "Commentaire")
    return q


# One row per respondent; "" is a blank cell, "NSP" the declared non-response code.
ANSWERS = {
    "transport": ["velo", "NA", "None", "", "bus", "0", "NSP", "NA", "velo"],
    "loisirs": ["sport lecture", "NA", "", "sport", "lecture", "NSP", "sport", "", "NA sport"],
    "satisf": [1, 2, 4, None, 3, 3, 2, 4, 1],
    "age": [34, 51, 18, 27, None, 44, 62, 39, 23],
    "commentaire": ["NA", "None", "null", "N/A", "", "très bien", "NaN", "RAS", "nan"],
}
QUESTIONS = ["transport", "loisirs/sport", "loisirs/lecture", "loisirs/NA", "satisf", "age"]


def _frame() -> pd.DataFrame:
    frame = pd.DataFrame(ANSWERS)
    frame["age"] = frame["age"].astype("Int64")
    frame["satisf"] = frame["satisf"].astype("Int64")
    return frame


def _write(tmp_path, kind: str):
    frame = _frame()
    if kind == "csv_utf8":
        path = tmp_path / "r.csv"
        frame.to_csv(path, index=False, encoding="utf-8")
    elif kind == "csv_cp1252":
        path = tmp_path / "r_excel.csv"
        frame.to_csv(path, index=False, sep=";", encoding="cp1252")
    elif kind == "xlsx":
        path = tmp_path / "r.xlsx"
        frame.replace({"": None}).to_excel(path, index=False)
    elif kind == "ods":
        path = tmp_path / "r.ods"
        frame.replace({"": None}).to_excel(path, index=False, engine="odf")
    else:
        pyreadstat = pytest.importorskip("pyreadstat")
        path = tmp_path / "r.sav"
        sav = frame.copy()
        sav["age"] = sav["age"].astype(float)
        sav["satisf"] = sav["satisf"].astype(float)
        pyreadstat.write_sav(sav, str(path))
    return path


KINDS = ["csv_utf8", "csv_cp1252", "xlsx", "ods", "spss"]


@pytest.fixture(scope="module")
def readings(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("formats")
    return {
        kind: read_responses(_write(tmp, kind), form=_form(), nonresponse=["NSP"]) for kind in KINDS
    }


def test_reference_reading_is_right(readings):
    data = readings["csv_utf8"]
    # NA, None and 0 are answers; the blank cell and NSP are missing.
    assert data["transport"].tolist()[:3] == ["Vélo", "Ne sait pas", "Aucun"]
    assert pd.isna(data["transport"][3]) and pd.isna(data["transport"][6])
    assert data["transport"][5] == "Zéro"
    assert data["commentaire"].tolist()[:4] == ["NA", "None", "null", "N/A"]
    assert data["commentaire"].tolist()[6:] == ["NaN", "RAS", "nan"]
    assert pd.isna(data["commentaire"][4])
    assert data["loisirs/NA"].tolist()[1] == 1 and data["loisirs/sport"].tolist()[8] == 1
    assert pd.isna(data["loisirs/sport"][2]) and pd.isna(data["loisirs/sport"][5])
    assert data["satisf"].cat.ordered and data["satisf"].tolist()[0] == "Pas du tout"
    assert data.attrs["problems"].empty
    # hand count of transport: Vélo 2, Bus 1, Ne sait pas 2, Aucun 1, Zéro 1, missing 2
    table = freq(data, "transport")
    assert table["Effectif"].tolist() == [2, 1, 2, 1, 1, 2, 9]
    nr = data.attrs["nonresponse"]
    assert set(nr["colonne"]) == {"transport", "loisirs"} and nr["effectif"].sum() == 2


@pytest.mark.parametrize("kind", KINDS[1:])
def test_same_answers_in_every_format(readings, kind):
    ref, data = readings["csv_utf8"], readings[kind]
    assert list(data.columns) == list(ref.columns)
    for col in ref.columns:
        left = [None if pd.isna(v) else v for v in ref[col]]
        right = [None if pd.isna(v) else v for v in data[col]]
        assert right == left, (kind, col)
    assert data.attrs["problems"].empty, data.attrs["problems"]
    pd.testing.assert_frame_equal(
        pd.DataFrame(data.attrs["nonresponse"]), pd.DataFrame(ref.attrs["nonresponse"])
    )


@pytest.mark.parametrize("kind", KINDS[1:])
@pytest.mark.parametrize("question", QUESTIONS)
def test_identical_freq_tables(readings, kind, question):
    expected = freq(readings["csv_utf8"], question)
    got = freq(readings[kind], question)
    pd.testing.assert_frame_equal(got, expected)
    assert np.isclose(got["Effectif"].iloc[-1], len(ANSWERS["age"]))
