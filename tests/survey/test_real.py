"""Real public survey files (tests/data/real/survey, origins in tests/data/real/SOURCES.md),
each checked against an independent reading (pyreadstat, pandas, openpyxl, the XML itself):
number of rows, non-empty cells per column, labels. Nothing may be dropped, shifted or blanked
without a line in the problems table."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit.survey import read_responses

REAL = Path(__file__).parents[1] / "data" / "real" / "survey"

# haven's datetime.sav holds a DATETIME beyond year 9999, which pyreadstat refuses to convert:
# it has its own test below.
OUT_OF_RANGE = REAL / "spss" / "haven_datetime.sav"
SPSS_FILES = [
    p
    for p in sorted((REAL / "spss").glob("*.sav")) + sorted((REAL / "spss").glob("*.por"))
    if p != OUT_OF_RANGE
]


@pytest.mark.parametrize("path", SPSS_FILES, ids=lambda p: p.name)
def test_spss_real_files_against_pyreadstat(path):
    pyreadstat = pytest.importorskip("pyreadstat")
    por = path.suffix == ".por"
    read = pyreadstat.read_por if por else pyreadstat.read_sav
    # Independent reading: pyreadstat's own conversion of user-missing codes to NaN.
    ref, meta = read(str(path))
    data = read_responses(path)
    assert len(data) == len(ref)
    assert list(data.columns) == list(ref.columns)
    problems = data.attrs["problems"]
    for col in ref.columns:
        # Same non-empty cells: user-missing codes (and only they) are missing.
        assert data[col].notna().tolist() == ref[col].notna().tolist(), col
        labels = (meta.variable_value_labels or {}).get(col, {})
        if isinstance(data[col].dtype, pd.CategoricalDtype):
            for i, v in ref[col].items():
                if pd.isna(v):
                    continue
                if v in labels:
                    assert data[col][i] == labels[v], (col, i)
                else:  # no label: kept with its code and reported on its line
                    code = str(int(v)) if float(v).is_integer() else str(v)
                    assert data[col][i] == code
                    hit = problems[(problems["colonne"] == col) & (problems["ligne"] == i + 1)]
                    assert len(hit) == 1 and hit["gravité"].iloc[0] == "alerte"
        elif pd.api.types.is_numeric_dtype(ref[col]):
            np.testing.assert_allclose(
                data[col].astype(float).to_numpy(), ref[col].astype(float).to_numpy()
            )
        elif pd.api.types.is_datetime64_any_dtype(data[col]):
            assert [None if pd.isna(v) else pd.Timestamp(v) for v in data[col]] == [
                None if pd.isna(v) else pd.Timestamp(v) for v in ref[col]
            ]
        else:
            assert data[col].dropna().tolist() == ref[col].dropna().tolist()
    assert data.attrs["labels"] == dict(meta.column_names_to_labels or {})


def test_spss_file_with_a_date_beyond_year_9999_is_still_read():
    import datetime as dt

    pyreadstat = pytest.importorskip("pyreadstat")
    with pytest.raises(OverflowError):  # what a direct reading does
        pyreadstat.read_sav(str(OUT_OF_RANGE))
    raw, _ = pyreadstat.read_sav(str(OUT_OF_RANGE), disable_datetime_conversion=True)
    data = read_responses(OUT_OF_RANGE)
    assert data.shape == raw.shape
    origin = dt.datetime(1582, 10, 14)
    # valid dates converted (independent computation from the raw seconds)
    assert [pd.Timestamp(v) for v in data["date"]] == [
        pd.Timestamp(origin + dt.timedelta(seconds=s)) for s in raw["date"]
    ]
    assert data["time"].dt.total_seconds().tolist() == pytest.approx(raw["time"].tolist())
    # the column with the impossible date keeps its raw numbers, reported on its line
    assert data["date.posix"].tolist() == raw["date.posix"].tolist()
    problems = data.attrs["problems"]
    assert problems[["ligne", "colonne", "gravité"]].values.tolist() == [
        [1, "date.posix", "alerte"]
    ]


def test_pyreadstat_sample_missing_details():
    data = read_responses(REAL / "spss" / "pyreadstat_sample_missing.sav")
    # mylabl: -1 = "undetermined" declared user-missing → missing and counted, not a category.
    assert data["mylabl"].cat.categories.tolist() == ["Male", "Female"]
    assert data["myord"].cat.categories.tolist() == ["low", "medium", "high"]
    nr = data.attrs["nonresponse"]
    assert nr[nr["colonne"] == "mylabl"].to_dict("records") == [
        {"colonne": "mylabl", "valeur": "undetermined", "effectif": 1}
    ]
    # Dates before 1678 (1583-01-01) are read as they are (pandas 3 is not bound to ns).
    assert pd.Timestamp(data["mydate"][3]).year == 1583


def test_pyreadstat_string_user_missing():
    data = read_responses(REAL / "spss" / "pyreadstat_missing_char.sav")
    # "Z" is a declared user-missing string; "a" has a label.
    assert pd.isna(data["mychar"][0]) and data["mychar"][1] == "labeled"


# --- LimeSurvey ----------------------------------------------------------------------------

LIME = REAL / "limesurvey"


def test_limesurvey_real_response_export_full_text_headings():
    """A real response export (full question texts as headings, arrays, multiple numeric)."""
    path = LIME / "limonaid_survey_998192_R_data_file.csv"
    ref = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    data = read_responses(path)
    assert data.attrs["source"] == "limesurvey"
    assert data.shape == ref.shape
    assert data.attrs["problems"].empty
    # Same non-empty cells, column by column, in the same order (nothing dropped or shifted).
    for i, col in enumerate(ref.columns):
        expected = int((ref[col].str.strip() != "").sum())
        assert int(data.iloc[:, i].notna().sum()) == expected, col
    # A heading with a "/" inside its text is not a Kobo group path: kept whole.
    assert any("producten/diensten" in c for c in data.columns)
    # Multiple numeric input (pets [cats] …): numbers, not checkboxes.
    cats = next(c for c in data.columns if c.endswith("[cats]"))
    assert pd.api.types.is_numeric_dtype(data[cats])
    assert data[cats].dropna().tolist() == pd.to_numeric(ref[ref.columns[43]]).dropna().tolist()


def _xml_count(path, section):
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    node = root.find(section)
    return [] if node is None else node.find("rows").findall("row")


def test_limesurvey_group_export_against_its_xml():
    from movsc_toolkit.survey import read_limesurvey_structure

    path = LIME / "limonaid_limesurvey_group_1370.lsg"
    form = read_limesurvey_structure(path)
    questions = [r for r in _xml_count(path, "questions")]
    subs = _xml_count(path, "subquestions")
    # independent reading of the XML: one list question (L), one array (F) with 3 rows
    types = {r.findtext("title"): r.findtext("type") for r in questions}
    assert types["questionCode1"] == "L" and types["questionCode2"] == "F"
    array_rows = [r.findtext("title") for r in subs if r.findtext("parent_qid") != "0"]
    assert form.names == ["questionCode1"] + [f"questionCode2[{t}]" for t in array_rows]
    answers = _xml_count(path, "answers")
    l10n = {r.findtext("aid"): r.findtext("answer") for r in _xml_count(path, "answer_l10ns")}
    q1 = next(r.findtext("qid") for r in questions if r.findtext("title") == "questionCode1")
    expected = {
        r.findtext("code"): l10n[r.findtext("aid")] for r in answers if r.findtext("qid") == q1
    }
    assert form.choice_labels("questionCode1") == expected
    assert all(form[n].type == "select_one" for n in form.names)  # an array is not a checkbox


@pytest.mark.parametrize(
    ("name", "kind", "n_choices"),
    [
        ("limonaid_testing-export.txt", "select_one", 2),
        ("limonaid_testing-multilingual-export.txt", "select_one", 2),
        ("limonaid_testing-checkbox-autofix-export.txt", "select_multiple", 2),
        (
            "limonaid_export-of-survey-with-one-multi-choice-question-as-tsv.txt",
            "select_multiple",
            2,
        ),
    ],
)
def test_limesurvey_text_structure_against_its_rows(name, kind, n_choices):
    from movsc_toolkit.survey import read_limesurvey_structure

    path = LIME / name
    rows = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=0)
    base = rows["language"][rows["class"] == "Q"].iloc[0]
    first = rows[rows["language"] == base]
    q = first[first["class"] == "Q"].iloc[0]
    form = read_limesurvey_structure(path)
    assert form[q["name"]].type == kind
    opts = first[first["class"].isin(["A", "SQ"])]
    assert len(opts) == n_choices
    assert list(form.choice_labels(q["name"]).values()) == opts["text"].tolist()


def test_limesurvey_multilingual_structure_and_slider():
    from movsc_toolkit._errors import ValidationError
    from movsc_toolkit.survey import read_limesurvey_structure

    path = LIME / "limonaid_testing-multilingual-slider-export.txt"
    english = read_limesurvey_structure(path)  # no French: the base language
    assert english.language == "en"
    assert english["q1"].text == "Q1 question text"
    assert english.codebook()["groupe"].tolist() == ["First group", "Second group"]
    dutch = read_limesurvey_structure(path, language="nl")
    assert dutch["q1"].text == "Q1 vraagtekst"
    assert dutch.choice_labels("q1") == {"1": "Q1, A1, in Dutch", "2": "Q1, A2, in Dutch"}
    # A slider (multiple numeric input, type K): a number per row, not a checkbox.
    assert english["sliderQuestion[nr]"].type == "decimal"
    with pytest.raises(ValidationError, match="Langues disponibles"):
        read_limesurvey_structure(path, language="fr")


# --- XLSForm (pyxform test forms) ------------------------------------------------------------

# The UCL form declares 1 048 576 rows × 1 024 columns (A1:AMJ1048576) for 81 used rows: it is
# read once, in its own test, with an independent reading limited to the used rows.
UCL = REAL / "xlsform" / "pyxform_UCL_Biomass_Plot_Form.xlsx"
XLSFORMS = [p for p in sorted((REAL / "xlsform").glob("pyxform_*")) if p != UCL]


def _sheet(book: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    real = next(s for s in book if s.lower() == name)
    frame = book[real]
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    real = next((c for c in frame.columns if c.lower() == name), None)
    return frame[real].str.strip() if real else pd.Series("", index=frame.index)


@pytest.mark.parametrize("path", XLSFORMS, ids=lambda p: p.name)
def test_pyxform_forms_against_a_direct_reading(path):
    from movsc_toolkit.survey import read_xlsform

    form = read_xlsform(path, validate=False)
    assert form.check().query("gravité == 'erreur'").empty  # pyxform converts them all
    # Independent reading: pandas, every cell as text, nothing turned into NaN.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # xlrd's deprecation notice for .xls
        book = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    survey = _sheet(book, "survey")
    kept = survey[(survey != "").any(axis=1)]
    assert len(form.rows) == len(kept)
    assert [q.name for q in form.rows] == _col(kept, "name").tolist()
    label = _col(kept, "label")
    if (label != "").any():
        assert [q.label for q in form.rows] == label.tolist()
    if not any(s.lower() == "choices" for s in book):
        assert form.choices == {}
        return
    choices = _sheet(book, "choices")
    lists = _col(choices, "list_name")
    if (lists == "").all():
        lists = _col(choices, "list name")
    names = _col(choices, "name")
    for list_name, items in form.choices.items():
        assert [c.name for c in items] == names[lists == list_name].tolist(), list_name
    # Each select question has its list.
    for q in form.questions:
        if q.type in {"select_one", "select_multiple", "rank"}:
            assert q.list_name in form.choices, q.name


def test_pyxform_multilingual_real_form():
    import copy

    import openpyxl

    from movsc_toolkit.survey import read_xlsform

    form = read_xlsform(UCL, validate=False)
    assert form.check().query("gravité == 'erreur'").empty
    assert form.languages == ["Swahili (sw)", "English (en)"]
    assert form.language == "Swahili (sw)"  # the form's default_language (no French)
    # Independent reading of the used rows with openpyxl.
    book = openpyxl.load_workbook(UCL, read_only=True)
    rows = []
    for row in book["survey"].iter_rows(min_row=1, max_row=200, values_only=True):
        rows.append(["" if v is None else str(v).strip() for v in row[:20]])
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    assert len(form.rows) == len(body)
    name, english = header.index("name"), header.index("label::English (en)")
    assert [q.name for q in form.rows] == [r[name] for r in body]
    chosen = copy.deepcopy(form).set_language("en")
    assert [q.text for q in chosen.rows if q.extra.get("label::English (en)")] == [
        r[english] for r in body if r[english]
    ]


def test_pyxform_widgets_metadata_and_repeats():
    from movsc_toolkit.survey import read_xlsform

    widgets = read_xlsform(REAL / "xlsform" / "pyxform_widgets.xls", validate=False)
    types = {q.type for q in widgets.questions}
    assert {"acknowledge", "barcode", "geopoint", "image", "time", "dateTime"} <= types
    loop = read_xlsform(REAL / "xlsform" / "pyxform_loop.xlsx", validate=False)
    assert any(q.type == "begin_repeat" for q in loop.rows)
    upper = read_xlsform(REAL / "xlsform" / "pyxform_case_insensitivity.xlsx", validate=False)
    assert upper.names == ["q1", "q2", "q3"] and upper["q1"].text == "Are you good?"
