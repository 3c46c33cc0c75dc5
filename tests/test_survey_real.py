"""Real public survey files (tests/data/real/survey, origins in tests/data/real/SOURCES.md),
each checked against an independent reading (pyreadstat, pandas, openpyxl, the XML itself):
number of rows, non-empty cells per column, labels. Nothing may be dropped, shifted or blanked
without a line in the problems table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit.survey import read_responses

REAL = Path(__file__).parent / "data" / "real" / "survey"

SPSS_FILES = sorted((REAL / "spss").glob("*.sav")) + sorted((REAL / "spss").glob("*.por"))


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
