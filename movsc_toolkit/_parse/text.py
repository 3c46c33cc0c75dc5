"""Text folding and the one missing-value rule of the toolkit.

* :func:`fold` / :func:`fold_series` — one accent and case folding for matching labels.
* :func:`is_blank` / :func:`missing_mask` — a cell is missing only when it is empty (or only
  spaces), already missing (``NaN``/``None`` given by a reader), or equal to a declared
  non-response code. The strings ``NA``, ``N/A``, ``None``, ``null``, ``NaN``, ``#N/A`` are
  answers (Kobo forms name choices ``NA`` = « ne sait pas »).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["blank_scalar", "fold", "fold_series", "is_blank", "missing_mask"]


# --------------------------------------------------------------------------------- folding


def fold(text: object) -> str:
    """Fold a label for matching: no accents, case folded, single spaces, stripped.

    ``None`` and missing values give ``""``. Examples: ``fold(" Élève  ÂGÉ ") == "eleve age"``,
    ``fold("Straße") == "strasse"``, ``fold("ﬁn") == "fin"`` (NFKD compatibility forms).
    """
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return ""
    value = unicodedata.normalize("NFKD", str(text))
    value = "".join(ch for ch in value if not unicodedata.combining(ch)).casefold()
    return " ".join(value.split())


_PUNCTUATION = re.compile(r"[’'`\-_/.,;:()]")


def fold_words(text: object) -> str:
    """:func:`fold`, with punctuation (apostrophes, hyphens, underscores, slashes, dots,
    commas, colons, brackets) read as spaces: for matching labels and column names written in
    different ways. Example: ``fold_words("74 - État (DDETS)") == "74 etat ddets"``.
    """
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


def per_distinct(values: pd.Series, func: Callable[[Any], Any], missing: Any = None) -> pd.Series:
    """``func`` of each value, called once per distinct value (exports repeat a lot); missing
    values give ``missing``. An object column with the index of ``values``."""
    values = pd.Series(values)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    converted = np.array([*(func(u) for u in uniques), missing], dtype=object)
    return pd.Series(converted[codes], index=values.index, dtype=object)


def fold_series(values: pd.Series, fold_one: Callable[[object], str] = fold) -> pd.Series:
    """``fold_one`` (by default :func:`fold`) of each value, computed once per distinct value;
    missing values give ``""``."""
    return per_distinct(values, fold_one, "")


# --------------------------------------------------------------------------- missing values


def blank_scalar(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return False


def is_blank(values: Any) -> Any:
    """Missing by nature: ``None``/``NaN``/``NaT`` or a string of spaces only.

    Accepts a scalar (returns ``bool``) or a Series (returns a boolean Series on the same
    index). The strings ``"NA"``, ``"None"``, ``"null"``, ``"NaN"``, ``"N/A"`` are *not* blank.
    """
    if not isinstance(values, pd.Series | pd.Index | np.ndarray | list | tuple):
        return blank_scalar(values)
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if s.dtype != object and not pd.api.types.is_string_dtype(s.dtype):
        return s.isna()
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    flags = np.array([blank_scalar(u) for u in uniques] + [True], dtype=bool)
    return pd.Series(flags[codes], index=s.index)


def _code_matches(value: object, texts: set[str], numbers: set[float]) -> bool:
    if isinstance(value, str):
        text = value.strip()
        if text in texts:
            return True
        if numbers:
            try:
                return float(text.replace(",", ".")) in numbers
            except ValueError:
                return False
        return False
    if isinstance(value, bool | np.bool_):
        return str(value) in texts
    if isinstance(value, int | float | np.number):
        return float(value) in numbers or str(value) in texts
    return str(value).strip() in texts


def missing_mask(values: pd.Series, codes: Iterable[object] = ()) -> pd.Series:
    """The one missing-value rule, as a boolean Series.

    A cell is missing when it is blank (see :func:`is_blank`) or equal to one of the declared
    non-response ``codes`` (compared as stripped text, and numerically for numeric codes:
    code ``99`` matches ``99``, ``"99"`` and ``99.0``). Nothing else is missing.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    blank = is_blank(s)
    codes = list(codes)
    if not codes:
        return blank
    texts = {str(c).strip() for c in codes}
    numbers: set[float] = set()
    for c in codes:
        if isinstance(c, bool):
            continue
        with contextlib.suppress(ValueError):
            numbers.add(float(str(c).strip().replace(",", ".")))
    keys, uniques = pd.factorize(s, use_na_sentinel=True)
    flags = np.array([_code_matches(u, texts, numbers) for u in uniques] + [False], dtype=bool)
    return blank | pd.Series(flags[keys], index=s.index)
