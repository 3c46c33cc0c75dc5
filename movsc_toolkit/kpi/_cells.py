"""Reading the cells of a project's sheets: labels, text, numbers, dates, enumerations.

Every parser is the shared one (:mod:`movsc_toolkit._parse`); these functions turn a column of
a user's sheet into clean values and the mask of the cells that could not be read, so that the
validation can list them in the problems table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from .._format import format_number
from .._parse import fold, is_blank, per_distinct, to_date, to_number
from .schema import ALIASES, SCHEMA

__all__ = [
    "DateLike",
    "cell_dates",
    "cell_enum",
    "cell_numbers",
    "cell_text",
    "key",
    "row_ids",
    "row_lines",
    "short_number",
    "standard_columns",
]

#: A date as the user gives it: ``"31/03/2026"``, ``"2026-03-31"``, a ``date`` or a
#: ``Timestamp`` (read with :func:`movsc_toolkit._parse.parse_date`).
DateLike: TypeAlias = str | dt.date | pd.Timestamp


def key(value: object) -> str:
    """Normalise a label: the shared folding (no accents, lower case), other characters as
    ``_``."""
    out = "".join(ch if ch.isalnum() else "_" for ch in fold(value))
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def cell_text(series: pd.Series | None, n: int) -> pd.Series:
    """Cells as stripped strings (whole floats without ``.0``), missing as ``None``.

    Missing follows the shared rule (:func:`movsc_toolkit._parse.is_blank`): empty or only
    spaces; ``NA`` or ``None`` typed in a cell are text.
    """
    if series is None:
        return pd.Series([None] * n, dtype=object)

    def conv(v: Any) -> Any:
        if is_blank(v):
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, pd.Timestamp):
            v = v.strftime("%d/%m/%Y")
        return str(v).strip()

    series = series.reset_index(drop=True)
    if not (isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"):
        # object cells are hashed faster than pandas' Python-backed strings
        series = series.astype(object)
    # an Arrow text column is factorized as it is: no Python string per cell
    return per_distinct(series, conv)


def cell_numbers(
    series: pd.Series | None,
    n: int,
    *,
    report: Callable[[pd.Series, pd.Series], None] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Cells as floats with the shared parser (``1 234,5``, ``1.234,56``, ``12,5 %``…);
    return the values and the mask of the cells that are not numbers.

    ``report(mask, message)`` receives the cells such as ``1.250`` that the column leaves
    ambiguous (thousands dot or decimal point?), read as decimals, to be listed as alerts.
    """
    if series is None:
        return pd.Series(np.nan, index=range(n)), pd.Series(False, index=range(n))
    s = series.reset_index(drop=True)
    if pd.api.types.is_bool_dtype(s):
        s = s.astype(object)
    result = to_number(s)
    if report is not None and result.ambiguous.any():
        text = cell_text(s, n).astype(str)
        report(
            result.ambiguous,
            "« "
            + text
            + " » est ambigu (point des milliers ou point décimal ?) : lu "
            + result.values.map(lambda v: f"{v:g}".replace(".", ",")).astype(str)
            + " ; écrivez 1250 ou 1,25 pour lever le doute.",
        )
    return result.values.astype("float64"), result.bad


def cell_dates(series: pd.Series | None, n: int) -> tuple[pd.Series, pd.Series]:
    """Cells as timestamps with the shared parser (JJ/MM/AAAA, AAAA-MM-JJ, Excel serial
    numbers); return the values and the mask of the cells that are not dates (years out of
    range included)."""
    if series is None:
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]"), pd.Series(
            False, index=range(n)
        )
    s = series.reset_index(drop=True)
    result = to_date(s, excel_serial=True)
    bad = result.bad | result.out_of_range
    return result.values.astype("datetime64[ns]"), bad


def cell_enum(series: pd.Series, allowed: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
    """Map labels to their canonical value (accents, case, spaces ignored); return bad mask."""
    canon = {key(a): a for a in allowed}

    def conv(v: str | None) -> str | None:
        if not isinstance(v, str):
            return None
        k = key(v)
        k = ALIASES.get(k, k)
        return canon.get(k)

    out = per_distinct(series, conv)
    bad = series.notna() & out.isna()
    return out, bad


def standard_columns(df: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Rename the columns of a user's sheet to the schema's names (accents/case ignored)."""
    known = {key(c): c for c, _, _ in SCHEMA[sheet]}
    known["ligne"] = "ligne"
    renamed: dict[str, str] = {}
    for col in df.columns:
        k = key(col)
        if k in known and known[k] not in renamed.values():
            renamed[col] = known[k]
    out = df.rename(columns=renamed)
    out.attrs = dict(df.attrs)
    return out


def row_ids(columns: list[pd.Series]) -> np.ndarray:
    """A number per row, equal for rows equal on every column (missing values equal each
    other, as in ``DataFrame.duplicated``): each column hashed once, object cells as Python
    objects (no column of strings rebuilt, which costs most with pyarrow)."""
    n = len(columns[0]) if columns else 0
    ids = np.zeros(n, dtype=np.int64)
    span = 1
    for column in columns:
        codes, uniques = pd.factorize(column.to_numpy())
        width = len(uniques) + 1
        if span * width >= 2**62:  # renumber before the product overflows
            ids, span = pd.factorize(ids)[0], n
        ids = ids * width + codes + 1
        span *= width
    return ids


def row_lines(df: pd.DataFrame) -> pd.Series:
    """The line of each row in the user's sheet (column ``ligne``, ``attrs["lines"]`` or 2…)."""
    if "ligne" in df.columns:
        return pd.to_numeric(df["ligne"].reset_index(drop=True), errors="coerce").astype("Int64")
    lines = df.attrs.get("lines")
    if lines is not None and len(lines) == len(df):
        return pd.Series(lines, dtype="Int64")
    return pd.Series(np.arange(2, len(df) + 2), dtype="Int64")


def short_number(x: float) -> str:
    """A number for a message: no decimals when whole, else two (``1 234``, ``0,75``)."""
    return format_number(x, 0 if float(x).is_integer() else 2)
