"""The one writing layer: every file the toolkit writes goes through here.

Why one layer. A student's file is written from a notebook while the previous version is often
open in Excel, on a USB key that may be full or unplugged, in a folder that may not exist yet;
its cells hold survey answers typed by strangers. This module makes every writer behave the same
way in those cases:

* **Folders.** :func:`output_path` checks the file's extension (French error listing the
  accepted ones), refuses a path that is a folder, and **creates a missing parent folder**
  (a student who writes ``"annexes/tableaux.xlsx"`` means "put it in an annexes folder").
* **Atomic writes.** :func:`atomic_write` yields a temporary path in the destination folder;
  only when the writer has finished is the file flushed to disk and moved over the destination
  with :func:`os.replace`. An interrupted or failed write never leaves a half-written file in
  place of the previous one, and the temporary file is removed.
* **French errors.** A locked file (open in Excel/Calc/Word: ``PermissionError``, Windows
  errors 32/33), a read-only folder (``EACCES``/``EPERM``/``EROFS``), a full disk (``ENOSPC``,
  ``EDQUOT``), a missing drive or a name that is too long become a :class:`~._errors.FileError`
  naming the file and saying what to do.
* **No formula injection** (OWASP "CSV injection"). Text that starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return (or their full-width forms ``＝ ＋ － ＠``) could run as a
  formula when a survey answer is exported. In ``.xlsx`` every text cell is written as a text
  cell (``data_type "s"``; dangerous ones also get Excel's "quote prefix", the hidden ``'`` that
  keeps them text when the cell is edited); in ``.ods`` as ``office:value-type="string"`` with
  no ``table:formula``. The text the student sees is **unchanged**. In ``.csv`` a file has no
  cell types, so (OWASP's recommendation) a dangerous text cell is written with a leading
  apostrophe ``'`` (``=1+1`` → ``'=1+1``); text that is a plain number (``-2``, ``+33``) is
  not touched since it cannot run; ``neutralise=False`` turns this off for files read by
  programs (R, Python) rather than by a spreadsheet.
  A formula the toolkit itself writes on purpose (a ``Total`` column, budget checks) is marked
  by wrapping it in :class:`Formula`; nothing else is ever written as a formula.
* **Characters spreadsheets refuse.** Control characters that XML forbids (``\\x00``–``\\x08``,
  ``\\x0e``–``\\x1f``, lone surrogates, ``\\ufffe``/``\\uffff``) are removed; the vertical tab and
  form feed that Word leaves when text is pasted (manual line and page breaks) become line
  breaks. Excel's limit of 32 767 characters per cell: longer text is cut, and the cut is marked
  in the cell (``… [texte coupé : 40 000 caractères au total]``). Both are reported by one
  :class:`~._errors.MovscWarning` per file naming the sheet, row and column; never a crash, never
  silent. In ``.ods`` a Windows line end (``\\r\\n``) inside a text becomes a line break;
  in ``.docx`` (python-docx) every carriage return does.

API
---
``output_path(path, suffixes, what)``
    Checked destination (``Path``), parent folder created.
``atomic_write(path, what)``
    Context manager yielding a temporary ``Path`` to write; errors mapped to ``FileError``.
``write_excel(path, sheets, *, what, index, number_formats, widths, freeze, style, …)``
    ``{"Feuille": DataFrame}`` → formatted ``.xlsx`` (bold shaded headers, frozen header,
    widths fitted to the content, number and date formats) or ``.ods``.
``new_workbook()``, ``append_row(ws, values)``, ``set_cell(ws, row, column, value)``,
``save_workbook(workbook, path, *, what)``
    For hand-laid workbooks (templates, budget): values are written safely, :class:`Formula`
    values as formulas, and ``save_workbook`` turns any other formula cell back into text.
``write_csv(data, path, *, sep=";", decimal=",", encoding="utf-8-sig", neutralise=True)``
    A CSV Excel opens correctly in French.
``write_text(path, text, *, suffixes, what)``, ``write_html(path, page)``,
``write_bytes(path, data, *, suffixes, what)``, ``save_docx(document, path)``
    Text, HTML, raw bytes and python-docx documents, atomically.
``os_error(exc, path, what)``
    The French ``FileError`` for an ``OSError`` (for writers that copy files themselves).
``xml_text(text)``
    Text made safe for XML documents (python-docx, odfpy): illegal characters removed.
``is_dangerous(text)``, ``neutralise_csv(text)``
    The formula-injection test and the CSV treatment.

Submodules, one subject each: :mod:`.files` (paths, folders, locked files, atomic writes),
:mod:`.guard` (formula injection, XML-safe text, cell values), :mod:`.layout` (sheet names,
formats, widths, panes), :mod:`.xlsx`, :mod:`.ods`, :mod:`.writers` (the public writers).
"""

from __future__ import annotations

from .files import atomic_write, os_error, output_path
from .guard import EXCEL_MAX_CHARS, Formula, is_dangerous, neutralise_csv, xml_text
from .layout import auto_number_format, sheet_names
from .writers import save_docx, write_bytes, write_csv, write_excel, write_html, write_text
from .xlsx import append_row, new_workbook, save_workbook, set_cell

__all__ = [
    "EXCEL_MAX_CHARS",
    "Formula",
    "append_row",
    "atomic_write",
    "auto_number_format",
    "is_dangerous",
    "neutralise_csv",
    "new_workbook",
    "os_error",
    "output_path",
    "save_docx",
    "save_workbook",
    "set_cell",
    "sheet_names",
    "write_bytes",
    "write_csv",
    "write_excel",
    "write_html",
    "write_text",
    "xml_text",
]
