"""`read_table`: the one reader of tables (CSV/TSV/TXT, XLSX, XLS, ODS)."""

from __future__ import annotations

from os import PathLike
from typing import Any

import pandas as pd

from .._errors import FileError
from .._limits import MAX_CELLS, MAX_ROWS
from .delimited import read_delimited
from .encoding import EXCEL_SUFFIXES, TEXT_SUFFIXES, check_path
from .workbook import read_workbook


def read_table(
    path: str | PathLike[str],
    sheet: str | int | None = None,
    *,
    sep: str | None = None,
    encoding: str | None = None,
    header: int | bool | None = True,
    convert_numbers: bool = True,
    parse_dates: bool = True,
    na_values: list[str] | None = None,
    max_rows: int | None = MAX_ROWS,
    max_cells: int | None = MAX_CELLS,
    **options: Any,
) -> pd.DataFrame:
    """Read a table from a CSV/TSV/TXT, XLSX/XLS or ODS file.

    Parameters
    ----------
    path
        The file. Its extension decides how it is read.
    sheet
        For a workbook, the sheet name or its 0-based number (first sheet by default).
    sep
        Field separator of a text file; detected among ``;``, tab, ``,`` and ``|`` if omitted.
    encoding
        Encoding of a text file; detected if omitted (UTF-8 with or without BOM,
        Windows-1252, ISO-8859-15).
    header
        ``True`` (default): the first line holds the column names, and it is checked — a first
        line that looks like data (only numbers or dates, or typed like the columns below
        it) is refused with a :class:`~movsc_toolkit._errors.FormatError` rather than lost
        as column names. ``False`` (or ``None``): the file has no header; columns are named
        ``colonne_1``, ``colonne_2``… An integer: the 0-based row of the header, not checked.
    convert_numbers
        Convert columns whose every value is a number, written the French way
        (``1 234,56``, ``1.234,56``) or the international way (``1234.56``), through
        :func:`movsc_toolkit._parse.to_number`. Codes with a leading zero (postcodes,
        account numbers) stay text; so do amounts written with a unit (``12 €``). A
        value such as ``1.250`` is read as thousands when the column's other cells use the
        French thousands dot or the decimal comma; when the column does not settle it, it is
        read with a decimal point and reported as an ``alerte``.
    parse_dates
        Convert columns whose every value is a date (``JJ/MM/AAAA``, ``JJ-MM-AAAA``,
        ``JJ.MM.AAAA``, ``AAAA-MM-JJ`` with or without a time, ``1er janvier 2024``). A date
        whose year pandas cannot hold (before 1678, after 2261: ``05/01/3024``) leaves its
        cell empty and is reported as an ``erreur`` on its line.
    na_values
        Non-response codes to read as missing (``["NSP", "99"]``). Otherwise a cell is
        missing only when it is empty or holds only spaces: ``NA``, ``N/A``, ``None``,
        ``null``, ``NaN`` are answers, in CSV files and workbooks alike.
    max_rows, max_cells
        Limits, checked before the file is parsed (``None`` lifts a limit): by default
        1 048 576 rows (Excel's and Calc's own limit) and 20 millions of cells (rows ×
        columns). An ``.xlsx`` or ``.ods`` workbook is also refused when it declares more
        than 512 Mo of XML once decompressed or a part compressed more than 200 times (a
        "zip bomb"), and when its archive or its XML is damaged (never read in part): see
        :mod:`movsc_toolkit._limits`.
    **options
        Not used by this reader; any name given here is reported as an error.

    Returns
    -------
    pandas.DataFrame
        One row per data line. Lines (or spreadsheet rows) with no value at all — blank, or
        only separators such as ``;;;`` — carry no data and are skipped; ``df.attrs["lines"]``
        gives each row's line number in the file (header = 1), so later checks can name the
        line and the skipped lines show as gaps. When a column of numbers holds a few
        non-numeric values (``NC``, ``-``…), it stays text and a
        :class:`~movsc_toolkit._errors.MovscWarning` names the values and their lines.
        Everything read with a doubt is listed in ``df.attrs["problems"]``, a
        :class:`~movsc_toolkit._problems.ProblemTable` with the columns ``ligne``,
        ``colonne``, ``valeur``, ``gravité`` (``erreur`` or ``alerte``) and ``message``.

    Raises
    ------
    FileError, EncodingError, FormatError, ColumnError
        With a French message naming the file, the line and the fix.

    References
    ----------
    RFC 4180, *Common Format and MIME Type for Comma-Separated Values (CSV) Files* (quoted
    fields, separators and line breaks inside quotes, doubled quotes), with the French
    variants (``;`` separator, decimal comma, Windows-1252); tested in
    ``tests/core/test_io.py`` (``test_quoted_field_containing_separator``,
    ``test_multiline_quoted_value_keeps_its_first_line_number``).

    Examples
    --------
    >>> from movsc_toolkit import datasets, read_table
    >>> inscriptions = read_table(datasets.path("exemple_inscriptions", "inscriptions.csv"))
    >>> inscriptions.shape
    (137, 9)
    >>> inscriptions.attrs["source"]["encoding"], inscriptions.attrs["source"]["sep"]
    ('utf-8-sig', ';')
    >>> inscriptions.columns[:3].tolist()
    ['Nom', 'Prénom', 'Âge']
    """
    if options:
        names = ", ".join(options)
        raise TypeError(
            f"read_table() ne connaît pas l'option {names} ; options possibles : sheet, sep, "
            "encoding, header, convert_numbers, parse_dates, na_values, max_rows, max_cells."
        )
    p = check_path(path)
    suffix = p.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        limits = {"max_rows": max_rows, "max_cells": max_cells}
        return read_workbook(p, sheet, header, convert_numbers, parse_dates, na_values, limits)
    if suffix in TEXT_SUFFIXES or suffix == "":
        return read_delimited(
            p,
            sep=sep,
            encoding=encoding,
            header=header,
            convert_numbers=convert_numbers,
            parse_dates=parse_dates,
            na_values=na_values,
            max_rows=max_rows,
            max_cells=max_cells,
        )
    raise FileError(
        f"le format « {suffix} » n'est pas pris en charge.",
        path=p,
        hint="les formats acceptés sont CSV, TSV, TXT, XLSX, XLS et ODS ; depuis Excel ou Calc, "
        "« Enregistrer sous » l'un de ces formats.",
    )
