"""XLSX workbooks: sheets from DataFrames, number formats, widths, frozen panes; cells set one by
one for templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .files import atomic_write, output_path
from .guard import EXCEL_MAX_CHARS, Formula, Notes, cell_value, is_dangerous, xml_text
from .layout import FormatRule, column_formats, column_width, frozen_pane

# --------------------------------------------------------------------------- xlsx


def new_workbook() -> Any:
    """An empty openpyxl ``Workbook`` (its first sheet is ``wb.active``)."""
    from openpyxl import Workbook

    return Workbook()


def _formula_cells(ws: Any) -> set[str]:
    cells = getattr(ws, "_movsc_formulas", None)
    if cells is None:
        cells = set()
        ws._movsc_formulas = cells
    return cells


def set_cell(ws: Any, row: int, column: int, value: Any, *, notes: Notes | None = None) -> Any:
    """Write ``value`` in a cell of an openpyxl sheet, safely; return the cell.

    Text is written as text (never a formula; a dangerous one gets the quote prefix), cleaned of
    characters Excel refuses and cut at 32 767 characters with a mark; a :class:`Formula` is
    written as a formula.
    """
    cell = ws.cell(row=row, column=column)
    value = cell_value(value)
    if isinstance(value, Formula):
        cell.value = str(value)
        _formula_cells(ws).add(cell.coordinate)
        return cell
    if isinstance(value, str):
        if notes is None:
            value = xml_text(value)
            if len(value) > EXCEL_MAX_CHARS:
                mark = f"… [texte coupé : {len(value)} caractères au total]"
                value = value[: EXCEL_MAX_CHARS - len(mark)] + mark
        else:
            title = ws.title
            value = notes.text(
                value,
                lambda: f"feuille « {title} », cellule {cell.coordinate}",
                EXCEL_MAX_CHARS,
            )
        cell.value = value
        cell.data_type = "s"
        if is_dangerous(value):
            cell.quotePrefix = True
        return cell
    cell.value = value
    return cell


def append_row(ws: Any, values: Iterable[Any], *, notes: Notes | None = None) -> int:
    """Append a row of values to an openpyxl sheet (as :func:`set_cell`); return its number."""
    row = ws.max_row + 1
    if row == 2 and ws.max_column == 1 and ws.cell(1, 1).value is None:
        row = 1  # an empty new sheet
    for column, value in enumerate(values, start=1):
        if value is not None:
            set_cell(ws, row, column, value, notes=notes)
    return row


def _secure(wb: Any) -> None:
    """Turn every formula cell not marked as :class:`Formula` back into text."""
    for ws in wb.worksheets:
        allowed: set[str] = getattr(ws, "_movsc_formulas", set())
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and cell.coordinate not in allowed:
                    cell.data_type = "s"
                    cell.quotePrefix = True


def save_workbook(wb: Any, path: str | PathLike[str], *, what: str = "le classeur") -> Path:
    """Save an openpyxl workbook atomically to an ``.xlsx`` file (see :func:`atomic_write`).

    Any formula cell that was not written as a :class:`Formula` is turned into text first.
    """
    target = output_path(path, (".xlsx",), what)
    _secure(wb)
    with atomic_write(target, what) as tmp:
        wb.save(tmp)
    return target


def write_xlsx(
    target: Path,
    frames: list[tuple[str, pd.DataFrame, int]],
    *,
    what: str,
    number_formats: FormatRule | None,
    widths: Mapping[str, float] | None,
    freeze: str | Mapping[str, str | None] | None,
    header_fill: str | None,
    bold_rows: Sequence[str],
    style: Callable[[Any, pd.DataFrame, str], None] | None,
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = new_workbook()
    wb.remove(wb.active)
    notes = Notes(what[0].upper() + what[1:], target)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=header_fill) if header_fill else None
    for name, frame, n_index in frames:
        ws = wb.create_sheet(name)
        columns = list(frame.columns)
        for j, col in enumerate(columns, start=1):
            cell = set_cell(ws, 1, j, col, notes=notes)
            cell.font = bold
            if fill is not None:
                cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        formats = column_formats(frame, number_formats)
        data = frame.to_numpy(dtype=object)
        for i in range(data.shape[0]):
            for j in range(data.shape[1]):
                value = data[i, j]
                if cell_value(value) in (None, ""):
                    continue  # a blank cell, not an empty text
                cell = set_cell(ws, i + 2, j + 1, value, notes=notes)
                fmt = formats[columns[j]]
                if fmt is not None and not isinstance(cell.value, str):
                    cell.number_format = fmt
        for j, col in enumerate(columns, start=1):
            letter = ws.cell(row=1, column=j).column_letter
            width = (widths or {}).get(col)
            ws.column_dimensions[letter].width = width or column_width(col, frame[col])
        if bold_rows and columns and not pd.api.types.is_numeric_dtype(frame[columns[0]]):
            first = frame[columns[0]].astype(str).str.strip()
            for k in np.flatnonzero(first.isin(bold_rows).to_numpy()):
                for cell in ws[int(k) + 2]:
                    cell.font = bold
        pane = frozen_pane(freeze, name, n_index)
        if pane:
            ws.freeze_panes = pane
        if style is not None:
            style(ws, frame, name)
    _secure(wb)
    notes.report()
    with atomic_write(target, what) as tmp:
        wb.save(tmp)
