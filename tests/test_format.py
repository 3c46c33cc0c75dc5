"""French number formatting and deterministic HTML."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._format import (
    NBSP,
    format_euro,
    format_number,
    format_percent,
    format_pvalue,
    frame_html,
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
    assert format_number(missing) == "–"
    assert format_percent(missing) == "–"
    assert format_euro(missing) == "–"


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
    [(0.0004, "< 0,001"), (0.001, "0,001"), (0.04567, "0,046"), (0.5, "0,500"), (math.nan, "–")],
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
