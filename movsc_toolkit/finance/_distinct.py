"""Work on the distinct values of a ledger column instead of its rows.

Ledgers repeat a few accounts, journals and labels over up to millions of lines. Testing each
distinct value once and spreading the answer to the rows with integer codes keeps the finance
functions fast whatever the storage of pandas' ``str`` columns (NumPy objects, or Arrow when
pyarrow is installed, where each Python-level access to a row is costly).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .._parse import per_distinct

__all__ = ["codes_of", "entry_codes", "flag_distinct"]


def codes_of(values: pd.Series | pd.Index) -> tuple[np.ndarray, pd.Series]:
    """Integer code of each value and the distinct values (a missing value is one of them), so
    that ``uniques[codes]`` is ``values``: a string operation on ``uniques`` followed by
    ``result.to_numpy()[codes]`` gives the result of the operation on every row."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, pd.Series(uniques)


def flag_distinct(values: pd.Series, predicate: Callable[[Any], bool]) -> np.ndarray:
    """``predicate`` of each value as a boolean array, called once per distinct value; missing
    values give ``False``."""
    return per_distinct(values, predicate, False).to_numpy(dtype=bool)


def entry_codes(
    entries: pd.DataFrame, *, by_year: bool = False, missing_apart: bool = False
) -> np.ndarray:
    """One integer per entry (journal code and entry number, and the year with ``by_year``; the
    row index without a number), the same for all the lines of an entry, numbered from 0 in
    order of appearance: the group key of the lines of each entry, without building
    ``"journal|number"`` strings. A missing journal or number is one more value, or, with
    ``missing_apart``, gives -1 (a line of no entry, as a missing text key in a group-by)."""
    parts: list[pd.Series | pd.Index] = []
    if by_year:
        parts.append(entries["exercice"].astype(str))
    if "EcritureNum" in entries.columns:
        parts.append(entries["EcritureNum"].astype(str))
    else:
        parts.append(entries.index)
    if "JournalCode" in entries.columns:
        parts.append(entries["JournalCode"].astype(str))
    combined = np.zeros(len(entries), dtype=np.int64)
    missing = np.zeros(len(entries), dtype=bool)
    for part in parts:
        codes, uniques = pd.factorize(part, use_na_sentinel=missing_apart)
        codes = codes.astype(np.int64)
        if missing_apart:
            missing |= codes < 0
        combined = pd.factorize(combined * (len(uniques) + 1) + codes)[0].astype(np.int64)
    if missing_apart:
        combined[missing] = -1
    return combined
