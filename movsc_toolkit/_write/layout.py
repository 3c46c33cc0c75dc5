"""Sheet layout shared by the XLSX and ODS writers: sheet names, flattened headers, number
formats, column widths and frozen panes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from .guard import xml_text

# --------------------------------------------------------------------------- frames


_FORBIDDEN_SHEET = re.compile(r"[\[\]:*?/\\]")


def sheet_names(names: Iterable[object]) -> list[str]:
    """Valid, distinct sheet names: ``[ ] : * ? / \\`` replaced, 31 characters at most."""
    result: list[str] = []
    for name in names:
        clean = xml_text(_FORBIDDEN_SHEET.sub("-", str(name))).strip("'") or "Feuille"
        clean = clean[:31]
        candidate, k = clean, 2
        while candidate.casefold() in {r.casefold() for r in result}:
            suffix = f" ({k})"
            candidate = clean[: 31 - len(suffix)] + suffix
            k += 1
        result.append(candidate)
    return result


def flatten_frame(frame: pd.DataFrame, index: bool | str) -> tuple[pd.DataFrame, int]:
    """Columns as strings, index as leading columns when kept; returns (frame, n_index)."""
    frame = frame.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [
            " – ".join(str(p) for p in parts if str(p) != "") for parts in frame.columns
        ]
    else:
        frame.columns = [str(c) for c in frame.columns]
    if frame.columns.duplicated().any():  # two columns "1" and 1: keep both, tell them apart
        seen: dict[str, int] = {}
        unique = []
        for col in frame.columns:
            seen[col] = seen.get(col, 0) + 1
            unique.append(col if seen[col] == 1 else f"{col} ({seen[col]})")
        frame.columns = unique
    keep = index
    if index == "auto":
        keep = not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None)
    if not keep:
        return frame.reset_index(drop=True), 0
    taken = set(frame.columns)
    names = []
    for i, name in enumerate(frame.index.names):
        label = ("" if i == 0 else f"niveau {i + 1}") if name is None else str(name)
        while label in taken:
            label += " "
        names.append(label)
        taken.add(label)
    n_index = frame.index.nlevels
    frame.index = frame.index.set_names(names)
    return frame.reset_index(), n_index


def auto_number_format(column: str, values: pd.Series, percent: bool = False) -> str | None:
    """The Excel number format of a column: whole numbers ``#,##0``, ``%`` columns ``0.0``,
    other numbers ``#,##0.00``, dates ``DD/MM/YYYY``; ``None`` for text."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return "DD/MM/YYYY"
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    if percent:
        return "0.0"
    finite = values.dropna().to_numpy(dtype=float)
    finite = finite[np.isfinite(finite)]
    if pd.api.types.is_integer_dtype(values) or (
        finite.size and np.all(finite == np.round(finite)) and "%" not in column
    ):
        return "#,##0"
    if "%" in column:
        return "0.0"
    return "#,##0.00"


FormatRule = Mapping[str, str | None] | Callable[[str, pd.Series, bool], str | None]


def column_formats(frame: pd.DataFrame, rule: FormatRule | None) -> dict[str, str | None]:
    percent = bool(frame.attrs.get("pourcentages"))
    out: dict[str, str | None] = {}
    for col in frame.columns:
        fmt = auto_number_format(col, frame[col], percent)
        if callable(rule):
            fmt = rule(col, frame[col], percent)
        elif rule is not None and col in rule:
            fmt = rule[col]
        out[col] = fmt
    return out


def column_width(column: str, values: pd.Series) -> float:
    texts = [column] + [
        f"{v:,.2f}" if isinstance(v, float) else str(v) for v in values.head(500).tolist()
    ]
    longest = max(max((len(line) for line in t.split("\n")), default=0) for t in texts)
    return max(min(longest + 2, 60), 8)


def frozen_pane(
    freeze: str | Mapping[str, str | None] | None, name: str, n_index: int
) -> str | None:
    """The top-left unfrozen cell of a sheet (``"A2"``: header row frozen) or ``None``."""
    pane = freeze.get(name, "A2") if isinstance(freeze, Mapping) else freeze
    if pane == "auto":
        pane = "B2" if n_index else "A2"
    return pane or None
