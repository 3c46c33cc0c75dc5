"""Integer codes of ledger columns (finance._distinct), checked against string keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit.finance._distinct import codes_of, entry_codes, flag_distinct


def same_partition(codes: np.ndarray, keys: list[object]) -> bool:
    """Whether two lines share a code exactly when they share a key."""
    pairs = {(c, k) for c, k in zip(codes.tolist(), keys, strict=True)}
    return len(pairs) == len(set(codes.tolist())) == len(set(keys))


@pytest.fixture(params=["object", "str"])
def entries(request):
    frame = pd.DataFrame(
        {
            "exercice": [2024, 2024, 2024, 2025, 2025, 2024, 2024],
            "JournalCode": ["BQ", "BQ", "OD", "BQ", "BQ", "OD", None],
            "EcritureNum": ["1", "1", "1", "1", "2", None, "7"],
        },
        index=[10, 11, 12, 13, 14, 15, 16],
    )
    return frame.astype({"JournalCode": request.param, "EcritureNum": request.param})


def test_entry_codes_match_journal_and_number(entries):
    codes = entry_codes(entries)
    keys = [f"{j}|{n}" for j, n in zip(entries["JournalCode"], entries["EcritureNum"], strict=True)]
    assert same_partition(codes, keys)
    assert codes.tolist() == [0, 0, 1, 0, 2, 3, 4]  # numbered in order of appearance


def test_entry_codes_by_year_and_missing_apart(entries):
    codes = entry_codes(entries, by_year=True, missing_apart=True)
    # BQ 1 of 2024 and of 2025 are two entries; a line without journal or number is in none
    assert codes.tolist() == [0, 0, 1, 2, 3, -1, -1]


def test_entry_codes_without_number_use_the_index():
    frame = pd.DataFrame({"JournalCode": ["BQ", "BQ", "OD"]}, index=[5, 5, 6])
    assert entry_codes(frame).tolist() == [0, 0, 1]
    assert entry_codes(frame.iloc[:0]).tolist() == []


def test_codes_of_gives_back_every_value(entries):
    values = entries["EcritureNum"]
    codes, uniques = codes_of(values)
    back = uniques.to_numpy(dtype=object)[codes]
    assert [None if pd.isna(v) else v for v in back] == [None if pd.isna(v) else v for v in values]
    assert len(uniques) == 4  # "1", "2", missing, "7"


def test_flag_distinct_calls_once_per_value():
    values = pd.Series(["AN", "an", "BQ", None, "AN"] * 3, dtype="str")
    calls: list[object] = []

    def is_opening(v: object) -> bool:
        calls.append(v)
        return str(v).lower() == "an"

    flags = flag_distinct(values, is_opening)
    assert flags.tolist() == [True, True, False, False, True] * 3
    assert sorted(calls) == ["AN", "BQ", "an"]  # missing values give False without a call
