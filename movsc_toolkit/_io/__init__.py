"""Reading the files French users actually have.

:func:`read_table` reads CSV/TSV/TXT (encoding, separator and decimal comma detected), XLSX, XLS
and ODS files into a :class:`pandas.DataFrame`. :func:`read_text` decodes a text file with the same
encoding detection. Every failure raises a :class:`~movsc_toolkit._errors.MovscError` subclass whose
French message names the file, the line and the fix; no row is ever dropped silently.

Submodules, one subject each: :mod:`.encoding` (paths, encodings, separators),
:mod:`.delimited` (records of a text file), :mod:`.workbook` (a sheet of a workbook),
:mod:`.columns` (conversion of the cells), :mod:`.table` (:func:`read_table`). The names below
are the toolkit's internal API (:func:`check_path` checks a path given by the user,
:func:`gc_paused` pauses the garbage collector during a bulk build, :func:`sheet_names`
lists a workbook's sheets).
"""

from __future__ import annotations

from .delimited import gc_paused
from .encoding import (
    EXCEL_SUFFIXES,
    SEPARATORS,
    TEXT_SUFFIXES,
    check_path,
    detect_encoding,
    read_text,
)
from .table import read_table
from .workbook import sheet_names

__all__ = [
    "EXCEL_SUFFIXES",
    "SEPARATORS",
    "TEXT_SUFFIXES",
    "check_path",
    "detect_encoding",
    "gc_paused",
    "read_table",
    "read_text",
    "sheet_names",
]
