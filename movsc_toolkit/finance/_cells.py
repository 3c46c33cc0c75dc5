"""Cells of the association's own workbooks: budgets, conventions, funding watch, objectives.

The internal API the finance readers share (:mod:`movsc_toolkit.finance.budget_io`,
:mod:`~movsc_toolkit.finance.conventions`, :mod:`~movsc_toolkit.finance.funding_watch`,
:mod:`~movsc_toolkit.finance.dialogue`):

* :func:`rename_columns` — a user's column names to the canonical ones (accents, case and
  punctuation ignored, aliases accepted);
* :func:`amount_column`, :func:`cell_amount` — amounts in euros through the shared parser
  (:mod:`movsc_toolkit.finance._amounts`); :func:`date_column` — dates through
  :func:`movsc_toolkit._parse.to_date`; the first unreadable cell raises a French error naming
  its line and column;
* :func:`uncached_formulas` — the formula cells of an ``.xlsx`` saved without their value (a
  workbook written by a program and never opened in a spreadsheet), with the value of the
  trivial ones recomputed;
* :func:`problem_lines` — the sentences listing a problems table in a result's display.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError
from .._parse import to_date
from .._problems import ProblemTable
from ._amounts import read_amounts, to_amount
from .cerfa import fold_label

__all__ = [
    "amount_column",
    "cell_amount",
    "date_column",
    "problem_lines",
    "rename_columns",
    "uncached_formulas",
]


def rename_columns(data: pd.DataFrame, spec: Mapping[str, tuple[str, ...]]) -> pd.DataFrame:
    """Rename the columns of a user's table to their canonical names.

    ``spec`` maps each canonical name to its accepted spellings, folded
    (:func:`movsc_toolkit.finance.cerfa.fold_label`); a column whose folded name is the folded
    canonical name or one of the spellings takes the canonical name (the first column found
    wins). Other columns keep their names.
    """
    mapping: dict[str, str] = {}
    for column in data.columns:
        key = fold_label(column)
        for canonical, aliases in spec.items():
            if canonical not in mapping.values() and (
                key == fold_label(canonical) or key in aliases
            ):
                mapping[column] = canonical
                break
    return data.rename(columns=mapping)


def date_column(values: pd.Series, column: str, path: Path | None, lines: list[int]) -> pd.Series:
    """Dates with the shared parser (:func:`movsc_toolkit._parse.to_date`); the first
    unreadable or out-of-range date raises a French error naming its line."""
    result = to_date(values.reset_index(drop=True))
    wrong = np.flatnonzero((result.bad | result.out_of_range).to_numpy())
    if wrong.size:
        i = int(wrong[0])
        value = values.iloc[i]
        what = (
            "a une année hors des limites (faute de frappe ?)"
            if result.out_of_range.iloc[i]
            else "n'est pas comprise"
        )
        raise DataError(
            f"la date « {value} » {what}.",
            path=path,
            line=lines[i] if i < len(lines) else None,
            column=column,
            hint="écrivez la date sous la forme JJ/MM/AAAA (par exemple 30/06/2026).",
        )
    return pd.Series(result.values.to_numpy(), index=values.index, dtype="datetime64[ns]")


def amount_column(values: pd.Series, column: str, path: Path | None, lines: list[int]) -> pd.Series:
    """Amounts in euros with the shared parser (``12.500`` is 12 500 €); empty cells are 0;
    the first cell that is not an amount raises a French error naming its line."""
    amounts, status = read_amounts(values.reset_index(drop=True))
    wrong = np.flatnonzero((status == "illisible").to_numpy())
    if wrong.size:
        i = int(wrong[0])
        raise DataError(
            f"le montant « {values.iloc[i]} » n'est pas un nombre.",
            path=path,
            line=lines[i] if i < len(lines) else None,
            column=column,
            hint="écrivez un nombre (par exemple 12 500 ou 12500,50), sans texte.",
        )
    return pd.Series(amounts.fillna(0.0).to_numpy(), index=values.index, dtype=float)


def cell_amount(value: object) -> float | None:
    """One budget cell in euros (:func:`._amounts.to_amount`, the shared parser).

    Empty cells and a lone dash are 0; ``12.500`` is 12 500 € (an amount in euros has no
    third decimal); ``None`` when the cell is not an amount (text, a percentage…).
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return 0.0
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip() in {"", "-", "–", "—"}:
        return 0.0
    if isinstance(value, float | np.floating) and np.isnan(value):
        return 0.0
    return to_amount(value)


def uncached_formulas(
    path: Path, sheet: str | int, header: frozenset[str] = frozenset({"code"})
) -> dict[tuple[int, str], tuple[str, Any]]:
    """Formula cells of an ``.xlsx`` sheet that have no value saved with them.

    openpyxl reads the value Excel saved with each formula (``data_only=True``); a workbook
    written by a program and never opened in a spreadsheet has none, and the cell reads as
    empty. ``header`` names (folded) one of the columns of the header row, found as the first
    row holding one of them. Each such cell is returned as ``{(row, column header): (formula,
    value)}`` where ``value``
    is the result of a trivial formula (``=SUM(B2:B9)``, ``=B2+B3-1200``) computed from the
    saved values of the cells it refers to, or ``None`` when it cannot be computed here.
    """
    try:
        from openpyxl import load_workbook
        from openpyxl.utils.cell import coordinate_from_string, range_boundaries
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        return {}
    try:
        formulas_book = load_workbook(path, data_only=False, read_only=True)
        values_book = load_workbook(path, data_only=True, read_only=True)
    except Exception:  # read_table already read the file: be lenient here
        return {}
    try:
        name = sheet if isinstance(sheet, str) else formulas_book.sheetnames[sheet]
        f_rows = [list(r) for r in formulas_book[name].iter_rows(values_only=True)]
        v_rows = [list(r) for r in values_book[name].iter_rows(values_only=True)]
    finally:
        formulas_book.close()
        values_book.close()

    def cached(row: int, col: int) -> Any:
        if row - 1 < len(v_rows) and col - 1 < len(v_rows[row - 1]):
            return v_rows[row - 1][col - 1]
        return None

    def formula_at(row: int, col: int) -> bool:
        if row - 1 < len(f_rows) and col - 1 < len(f_rows[row - 1]):
            value = f_rows[row - 1][col - 1]
            return isinstance(value, str) and value.startswith("=")
        return False

    def at(row: int, col: int, depth: int) -> float | None:
        value = cached(row, col)
        if value is None:
            if formula_at(row, col):  # another formula without a saved value
                return evaluate(f_rows[row - 1][col - 1], depth + 1) if depth < 20 else None
            return 0.0  # an empty cell counts 0
        return to_amount(value)

    def cell_value(ref: str, depth: int) -> float | None:
        letters, row = coordinate_from_string(ref)
        return at(row, range_boundaries(f"{letters}{row}")[0], depth)

    def evaluate(formula: str, depth: int = 0) -> float | None:
        text = formula[1:].replace("$", "").replace(" ", "").upper()
        ref = r"[A-Z]{1,3}\d+"
        match = re.fullmatch(r"(?:SUM|SOMME)\((.+)\)", text)
        if match:
            total = 0.0
            for arg in re.split(r"[;,]", match.group(1)):
                if re.fullmatch(f"{ref}:{ref}", arg):
                    c1, r1, c2, r2 = range_boundaries(arg)
                    for r in range(r1, r2 + 1):
                        for c in range(c1, c2 + 1):
                            amount = at(r, c, depth)
                            if amount is None:
                                return None
                            total += amount
                elif re.fullmatch(ref, arg):
                    amount = cell_value(arg, depth)
                    if amount is None:
                        return None
                    total += amount
                else:
                    return None
            return total
        terms = re.findall(rf"([+-]?)({ref}|\d+(?:[.,]\d+)?)", text)
        if not terms or "".join(s + t for s, t in terms) != text:
            return None
        total = 0.0
        for sign, term in terms:
            if re.fullmatch(ref, term):
                amount = cell_value(term, depth)
            else:
                amount = float(term.replace(",", "."))
            if amount is None:
                return None
            total += -amount if sign == "-" else amount
        return total

    header_row = next(
        (
            i
            for i, row in enumerate(f_rows)
            if any(isinstance(v, str) and fold_label(v) in header for v in row)
        ),
        None,
    )
    if header_row is None:
        return {}
    headers = f_rows[header_row]
    out: dict[tuple[int, str], tuple[str, Any]] = {}
    for r, row in enumerate(f_rows[header_row + 1 :], start=header_row + 2):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith("=") and cached(r, c) is None:
                title = headers[c - 1] if c - 1 < len(headers) else None
                if title is None:
                    continue
                out[(r, str(title).strip())] = (value, evaluate(value))
    return out


def problem_lines(problems: ProblemTable, title: str) -> list[str]:
    """``title`` then one line per problem (``  – élément : message``); nothing when empty."""
    if problems.empty:
        return []
    lines = [title]
    lines.extend(f"  – {p['élément']} : {p['message']}" for _, p in problems.iterrows())
    return lines
