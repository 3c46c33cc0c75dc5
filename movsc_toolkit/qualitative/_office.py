"""Writing helpers of the qualitative documents: .xlsx workbooks with wrapped text, French
.docx documents, and tables given either as a DataFrame or as a file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from .._io import read_table
from .._write import write_excel, xml_text

__all__ = ["add_paragraph", "new_document", "read_source", "write_workbook"]


def write_workbook(
    path: str | PathLike[str],
    sheets: Mapping[str, pd.DataFrame],
    *,
    wrap: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write sheets to .xlsx with the shared writing layer; ``wrap`` columns get wrapped text."""
    wrap = wrap or {}

    def style(ws: Any, frame: pd.DataFrame, name: str) -> None:
        from openpyxl.styles import Alignment

        columns = list(wrap.get(name, ()))
        if not columns:
            return
        header = [c.value for c in ws[1]]
        for col_idx, title in enumerate(header, start=1):
            if title in columns:
                letter = ws.cell(row=1, column=col_idx).column_letter
                ws.column_dimensions[letter].width = 60
                for row in ws.iter_rows(min_row=2, min_col=col_idx, max_col=col_idx):
                    for cell in row:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")

    return write_excel(path, dict(sheets), what="la matrice", suffixes=(".xlsx",), style=style)


def new_document(title: str) -> Any:
    """A French .docx document (Calibri 11) with ``title`` as its heading."""
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    doc.core_properties.title = xml_text(title)
    doc.core_properties.language = "fr-FR"
    doc.add_heading(xml_text(title), level=1)
    return doc


def add_paragraph(
    doc: Any, text: str, *, bold_prefix: str | None = None, style: str | None = None
) -> Any:
    """Add a paragraph, optionally starting with a bold prefix."""
    p = doc.add_paragraph(style=style)
    if bold_prefix:
        p.add_run(xml_text(bold_prefix)).bold = True
    p.add_run(xml_text(text))
    return p


def read_source(
    source: str | PathLike[str] | pd.DataFrame, sheet: str | int | None = None
) -> tuple[pd.DataFrame, Any]:
    """A table given directly or read from a file (text kept as text), and its path."""
    if isinstance(source, pd.DataFrame):
        return source.copy(), None
    return read_table(source, sheet, convert_numbers=False, parse_dates=False), source
