"""The one parsing core: every spelling × every parser, expected values worked by hand."""

from __future__ import annotations

import copy
import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import ColumnError, DataError
from movsc_toolkit._parse import (
    check_weights,
    fold,
    fold_series,
    is_blank,
    missing_mask,
    parse_date,
    to_date,
    to_number,
)
from movsc_toolkit._problems import ProblemLog, ProblemTable

NBSP, NNBSP = "\u00a0", "\u202f"

# --------------------------------------------------------------------------------- folding


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Élève", "eleve"),
        ("  ÂGE   du   répondant ", "age du repondant"),
        ("Straße", "strasse"),
        ("ﬁnancement", "financement"),  # ligature (NFKD)
        ("Œuvre", "œuvre"),  # œ is a letter, not an accent
        ("Ça\tva\n", "ca va"),
        (f"a{NBSP}b", "a b"),
        (None, ""),
        (float("nan"), ""),
        (12, "12"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_fold_series_once_per_value_and_missing_as_empty():
    s = pd.Series(["Été", None, "ÉTÉ", "Hiver"], index=[10, 11, 12, 13])
    out = fold_series(s)
    assert out.tolist() == ["ete", "", "ete", "hiver"]
    assert out.index.tolist() == [10, 11, 12, 13]


# --------------------------------------------------------------------------- missing values


@pytest.mark.parametrize(
    ("value", "blank"),
    [
        ("", True),
        ("   ", True),
        (f"{NBSP}\t", True),
        (None, True),
        (float("nan"), True),
        (pd.NA, True),
        (pd.NaT, True),
        ("NA", False),
        ("N/A", False),
        ("None", False),
        ("null", False),
        ("NaN", False),
        ("#N/A", False),
        ("0", False),
        (0, False),
        ("-", False),
    ],
)
def test_is_blank_scalar_and_series(value, blank):
    assert is_blank(value) is blank
    assert is_blank(pd.Series([value], dtype=object)).tolist() == [blank]


def test_missing_mask_declared_codes_only():
    s = pd.Series(["NSP", " nsp", "NA", "", None, "99", 99, 99.0, "Oui", "None"], dtype=object)
    assert missing_mask(s).tolist() == [False] * 3 + [True, True] + [False] * 5
    got = missing_mask(s, codes=["NSP", 99])
    # "NSP" exact (after strip), 99 as text and number; " nsp" differs in case: an answer
    assert got.tolist() == [True, False, False, True, True, True, True, True, False, False]


def test_missing_mask_numeric_series():
    s = pd.Series([1.0, np.nan, 99.0])
    assert missing_mask(s).tolist() == [False, True, False]
    assert missing_mask(s, codes=["99"]).tolist() == [False, True, True]


# ---------------------------------------------------------------------------------- numbers

NUMBER_CASES = [
    # spelling, value, status
    ("1234", 1234.0, "ok"),
    ("-12", -12.0, "ok"),
    ("+12", 12.0, "ok"),
    ("\u221212", -12.0, "ok"),  # minus sign U+2212
    ("1234,56", 1234.56, "ok"),
    ("0,5", 0.5, "ok"),
    (",5", 0.5, "ok"),
    ("1234.56", 1234.56, "point"),
    ("1 234,56", 1234.56, "milliers"),
    (f"1{NBSP}234,56", 1234.56, "milliers"),
    (f"1{NNBSP}234,56", 1234.56, "milliers"),
    (f"12{NNBSP}345{NNBSP}678", 12345678.0, "milliers"),
    ("1 234,56 €", 1234.56, "milliers"),
    (f"1{NNBSP}234,56{NBSP}€", 1234.56, "milliers"),
    ("€12", 12.0, "ok"),
    ("12 EUR", 12.0, "ok"),
    ("12 euros", 12.0, "ok"),
    ("(1 234,56)", -1234.56, "milliers"),
    ("(12,5 €)", -12.5, "ok"),
    ("-1 234,56", -1234.56, "milliers"),
    ("- 1 234,56 €", -1234.56, "milliers"),
    ("123,45-", -123.45, "ok"),
    ("1.234,56", 1234.56, "milliers"),
    ("1.234.567", 1234567.0, "milliers"),
    ("1,234.56", 1234.56, "point"),
    ("1,234,567", 1234567.0, "point"),
    ("12,5 %", 12.5, "ok"),
    ("12,5%", 12.5, "ok"),
    ("1.5e3", 1500.0, "ok"),
    ("  42  ", 42.0, "ok"),
    ("0.250", 0.25, "point"),  # a leading 0 cannot start a thousands group
]

BAD_CASES = ["1.2.3", "12,5,6", "12 34", "abc", "NA", "N/A", "None", "NaN", "inf", "--12", "12-3"]


@pytest.mark.parametrize(("text", "value", "status"), NUMBER_CASES)
def test_to_number_each_spelling(text, value, status):
    r = to_number(pd.Series([text]))
    assert r.values.iloc[0] == pytest.approx(value, abs=1e-12)
    assert not r.bad.iloc[0]
    assert not r.ambiguous.iloc[0]
    assert r.status.iloc[0] == status


@pytest.mark.parametrize("text", BAD_CASES)
def test_to_number_refuses(text):
    r = to_number(pd.Series(["12", text]))
    assert math.isnan(r.values.iloc[1])
    assert r.bad.tolist() == [False, True]
    assert r.status.iloc[1] == "illisible"


def test_to_number_blank_is_missing_not_bad():
    r = to_number(pd.Series(["", "  ", None, np.nan, "3"], dtype=object))
    assert r.bad.tolist() == [False] * 5
    assert r.values.isna().tolist() == [True, True, True, True, False]
    assert r.status.tolist() == ["vide"] * 4 + ["ok"]


def test_to_number_percent_fraction():
    r = to_number(pd.Series(["12,5 %", "50%", "0,3"]), percent="fraction")
    assert r.values.tolist() == pytest.approx([0.125, 0.5, 0.3])
    assert r.percent.tolist() == [True, True, False]
    with pytest.raises(ValueError):
        to_number(pd.Series(["1"]), percent="points")


def test_thousands_dot_decided_by_the_column():
    # French evidence (decimal comma, thousands dot): 1.250 and 12.000 are thousands
    r = to_number(pd.Series(["1.250", "12.000", "3,5", "1.234,56"]))
    assert r.values.tolist() == [1250.0, 12000.0, 3.5, 1234.56]
    assert not r.ambiguous.any()
    assert r.status.tolist()[:2] == ["milliers", "milliers"]
    # international evidence (decimal point): decimals
    r = to_number(pd.Series(["1.250", "12.000", "3.5"]))
    assert r.values.tolist() == [1.25, 12.0, 3.5]
    assert not r.ambiguous.any()
    # no evidence: ambiguous, decimal reading, never silent
    r = to_number(pd.Series(["1.250", "12.000", "7"]))
    assert r.ambiguous.tolist() == [True, True, False]
    assert r.values.tolist() == [1.25, 12.0, 7.0]
    assert r.status.tolist() == ["ambigu", "ambigu", "ok"]
    assert not r.ok and r.all_numbers
    # contradictory evidence: ambiguous too
    r = to_number(pd.Series(["1.250", "3,5", "3.25"]))
    assert r.ambiguous.tolist() == [True, False, False]


def test_thousands_comma_decided_by_the_column():
    assert to_number(pd.Series(["1,250"])).values.tolist() == [1.25]  # French default
    r = to_number(pd.Series(["1,250", "1,234.5"]))
    assert r.values.tolist() == [1250.0, 1234.5]


def test_to_number_spreadsheet_cells_and_numeric_dtypes():
    r = to_number(pd.Series([3, 2.5, "1 000", True, pd.Timestamp("2024-01-01"), None]))
    assert r.values.tolist()[:3] == [3.0, 2.5, 1000.0]
    assert r.bad.tolist() == [False, False, False, True, True, False]
    r = to_number(pd.array([1, None], dtype="Int64"))
    assert r.values.iloc[0] == 1.0 and math.isnan(r.values.iloc[1])
    assert not r.bad.any()


def test_to_number_keeps_index():
    r = to_number(pd.Series(["1", "x"], index=["a", "b"]))
    assert r.values.index.tolist() == ["a", "b"]
    assert r.bad.index.tolist() == ["a", "b"]


# ------------------------------------------------------------------------------------ dates

DATE_CASES = [
    ("31/12/2024", "2024-12-31"),
    ("1/2/2024", "2024-02-01"),
    ("31-12-2024", "2024-12-31"),
    ("31.12.2024", "2024-12-31"),
    ("31/12/2024 14:30", "2024-12-31 14:30:00"),
    ("31/12/2024 14h30", "2024-12-31 14:30:00"),
    ("2024-12-31", "2024-12-31"),
    ("2024/12/31", "2024-12-31"),
    ("2024-12-31T10:30:15", "2024-12-31 10:30:15"),
    ("2024-12-31 10:30:15.250", "2024-12-31 10:30:15.250"),
    ("2024-12-31T10:30:00+01:00", "2024-12-31 10:30:00"),  # local wall time kept
    ("2024-12-31T10:30:00Z", "2024-12-31 10:30:00"),
    ("20241231", "2024-12-31"),
    ("29/02/2024", "2024-02-29"),
    ("1er janvier 2024", "2024-01-01"),
    ("31 décembre 2024", "2024-12-31"),
    ("31 déc. 2024", "2024-12-31"),
    ("mardi 3 septembre 2024", "2024-09-03"),
    ("  15/08/2023 ", "2023-08-15"),
]


@pytest.mark.parametrize(("text", "expected"), DATE_CASES)
def test_to_date_each_spelling(text, expected):
    r = to_date(pd.Series([text]))
    assert r.values.iloc[0] == pd.Timestamp(expected)
    assert not r.bad.iloc[0] and not r.out_of_range.iloc[0]
    assert str(r.values.dtype) == "datetime64[ns]"


@pytest.mark.parametrize(
    "text",
    [
        "32/01/2024",
        "29/02/2023",
        "31/04/2024",
        "2024-13-01",
        "20241331",
        "bientôt",
        "12/2024",
        "31/12/24 25:00",
        "45657",
        "NA",
    ],
)
def test_to_date_refuses(text):
    r = to_date(pd.Series(["01/01/2024", text]))
    assert r.bad.tolist() == [False, True]
    assert pd.isna(r.values.iloc[1])
    assert not r.out_of_range.any()


@pytest.mark.parametrize("text", ["30240105", "99991231", "01/01/1500", "3024-01-05", "31/12/2262"])
def test_to_date_out_of_range_is_per_cell(text):
    r = to_date(pd.Series(["2024-01-05", text, ""]))
    assert r.out_of_range.tolist() == [False, True, False]
    assert r.bad.tolist() == [False, False, False]
    assert r.values.iloc[0] == pd.Timestamp("2024-01-05")
    assert pd.isna(r.values.iloc[1]) and pd.isna(r.values.iloc[2])


def test_to_date_python_objects_and_excel_serials():
    r = to_date(
        pd.Series(
            [date(2024, 12, 31), datetime(2024, 12, 31, 8), datetime(3024, 1, 5), None],
            dtype=object,
        )
    )
    assert r.values.iloc[0] == pd.Timestamp("2024-12-31")
    assert r.values.iloc[1] == pd.Timestamp("2024-12-31 08:00")
    assert r.out_of_range.tolist() == [False, False, True, False]
    # serials only when asked: 45657 = 31/12/2024 (days since 30/12/1899), .5 = noon
    assert to_date(pd.Series([45657])).bad.tolist() == [True]
    r = to_date(pd.Series([45657, "45657,5", 1.5, 3_000_000]), excel_serial=True)
    assert r.values.iloc[0] == pd.Timestamp("2024-12-31")
    assert r.values.iloc[1] == pd.Timestamp("2024-12-31 12:00")
    assert r.values.iloc[2] == pd.Timestamp("1899-12-31 12:00")
    assert r.bad.tolist() == [False, False, False, True]


def test_to_date_compact_can_be_disabled_and_datetime_dtype_passes():
    assert to_date(pd.Series(["20241231"]), compact=False).bad.tolist() == [True]
    s = pd.Series(pd.to_datetime(["2024-01-01", None]))
    r = to_date(s)
    assert r.values.iloc[0] == pd.Timestamp("2024-01-01") and not r.bad.any()
    tz = pd.Series(pd.to_datetime(["2024-01-01 10:00"]).tz_localize("Europe/Paris"))
    assert to_date(tz).values.iloc[0] == pd.Timestamp("2024-01-01 10:00")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/03/2026", "2026-03-31"),
        ("2026-03-31", "2026-03-31"),
        ("2026-03-31T18:00", "2026-03-31"),
        (date(2026, 3, 31), "2026-03-31"),
        (pd.Timestamp("2026-03-31 12:00"), "2026-03-31"),
        ("20260331", "2026-03-31"),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == pd.Timestamp(expected)


def test_parse_date_errors_in_french():
    with pytest.raises(DataError, match="as_of = « 31/02/2026 » n'est pas une date"):
        parse_date("31/02/2026")
    with pytest.raises(DataError, match="hors des limites"):
        parse_date("3026-03-31", what="date du suivi")


# ---------------------------------------------------------------------------------- weights


def test_check_weights_values_and_errors():
    data = pd.DataFrame({"x": list("abcd"), "p": [1, 2.5, 0, 1]})
    assert check_weights(data, None) is None
    assert check_weights(data, "p").tolist() == [1.0, 2.5, 0.0, 1.0]
    assert check_weights(data, ["1", "2,5", "0", 1]).tolist() == [1.0, 2.5, 0.0, 1.0]
    with pytest.raises(DataError, match=r"2 poids manquants ou non numériques \(lignes 2, 4\)"):
        check_weights(data, [1, "NC", 2, None])
    data.attrs["lines"] = [5, 6, 8, 9]
    with pytest.raises(DataError, match=r"1 poids négatifs \(lignes 8\)"):
        check_weights(data, [1, 1, -2, 1])
    with pytest.raises(DataError, match="somme des poids est nulle"):
        check_weights(data, [0, 0, 0, 0])
    with pytest.raises(DataError, match="3 poids donnés pour 4 lignes"):
        check_weights(data, [1, 1, 1])
    with pytest.raises(ColumnError):
        check_weights(data, "poids")


def test_check_weights_names_the_file():
    data = pd.DataFrame({"p": ["1", "x"]})
    with pytest.raises(DataError) as info:
        check_weights(data, "p", path="enquete.csv")
    assert "enquete.csv" in str(info.value) and "« p »" in str(info.value)


# --------------------------------------------------------------------------------- problems


def test_problem_log_schema_and_order():
    log = ProblemLog()
    assert len(log) == 0
    empty = log.frame()
    assert list(empty.columns) == ["ligne", "colonne", "valeur", "gravité", "message"]
    assert "Aucun problème" in str(empty)
    log.add("alerte", "ambigu", ligne=7, colonne="Montant", valeur="1.250")
    log.add("erreur", "illisible", ligne=3, colonne="Montant", valeur=12.5)
    log.add_many(
        "erreur", "date hors limites", ligne=[9, 4], colonne="Date", valeur=["30240105", "99991231"]
    )
    assert len(log) == 4
    table = log.frame()
    assert isinstance(table, ProblemTable)
    assert list(table.columns) == ["ligne", "colonne", "valeur", "gravité", "message"]
    assert table["ligne"].tolist() == [3, 4, 7, 9]
    assert table["valeur"].tolist() == ["12.5", "99991231", "1.250", "30240105"]
    assert str(table["ligne"].dtype) == "Int64"
    assert table.n_errors == 3 and table.n_alerts == 1
    assert "3 erreurs et 1 alerte" in str(table)
    assert "<table" in table._repr_html_()


def test_problem_log_context_columns_and_extend():
    log = ProblemLog(fichier="budget.xlsx")
    log.add("erreur", "x", ligne=2, feuille="Budget")
    other = ProblemLog()
    other.add("alerte", "y", ligne=1, élément="AXE1")
    log.extend(other, feuille="Suivi")
    log.extend([{"ligne": 5, "message": "z"}])
    table = log.frame()
    assert list(table.columns) == [
        "fichier",
        "feuille",
        "élément",
        "ligne",
        "colonne",
        "valeur",
        "gravité",
        "message",
    ]
    assert table["fichier"].tolist() == ["budget.xlsx"] * 3
    assert table["feuille"].tolist() == ["Budget", "Suivi", None]
    assert table["gravité"].tolist() == ["erreur", "alerte", "erreur"]


def test_problem_log_refuses_unknown_severity():
    log = ProblemLog()
    with pytest.raises(ValueError):
        log.add("avertissement", "x")
    with pytest.raises(ValueError):
        log.extend([{"gravité": "conseil", "message": "x"}])


def test_problem_table_survives_concat_and_deepcopy():
    log = ProblemLog()
    log.add("erreur", "x", ligne=2)
    df = pd.DataFrame({"a": [1]})
    df.attrs["problems"] = log.frame()
    assert len(pd.concat([df, df])) == 2
    assert isinstance(copy.deepcopy(df.attrs["problems"]), ProblemTable)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234.56", 1234.56),
        ("1.234.567,89", 1234567.89),
        ("1,234,567.5", 1234567.5),
        ("+1 000", 1000.0),
        ("-1.234,5", -1234.5),
        ("0,250", 0.25),
        ("12 345 678,9", 12345678.9),
        ("1 2345", None),
        ("1.23.456", None),
        ("1.234,56.7", None),
        ("12.", None),
        ("1 234,", None),
        ("-", None),
        ("+-1", None),
        ("1,2,3", None),
        ("1 234 56", None),
        ("01.234", 1.234),
    ],
)
def test_vectorised_and_cell_by_cell_readings_agree(text, value):
    """The fast vectorised path and the per-cell parser give the same reading."""
    from movsc_toolkit._parse.numbers import _K_BAD, _parse_number_text

    r = to_number(pd.Series([text, "7"]))
    kind, slow, _, _ = _parse_number_text(text)
    if value is None:
        assert r.bad.iloc[0] and kind == _K_BAD
    else:
        assert r.values.iloc[0] == pytest.approx(value) == slow
        assert not r.bad.iloc[0]


def test_symbols_can_be_refused():
    r = to_number(pd.Series(["12 €", "12,5 %", "(3)", "3-", "1 234,5", "1e3"]), symbols=False)
    assert r.bad.tolist() == [True, True, True, True, False, False]
    assert r.values.iloc[4] == 1234.5 and r.values.iloc[5] == 1000.0
