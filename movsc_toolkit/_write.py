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
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import decimal
import errno
import math
import os
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr as xml_quoteattr

import numpy as np
import pandas as pd

from ._errors import DataError, FileError, MovscWarning

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

#: Excel's limit of characters in one cell.
EXCEL_MAX_CHARS = 32_767

# Characters XML 1.0 forbids (openpyxl raises IllegalCharacterError on the C0 ones).
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\x0b\x0c]")
# OWASP CSV injection: first characters that make a spreadsheet read a formula.
_DANGEROUS_FIRST = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")

_LOCK_WINERRORS = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


class Formula(str):
    """A formula the toolkit writes on purpose (``Formula("=SUM(F2:H2)")``).

    Only values of this type are ever written as formulas; every other text is written as text.
    """

    __slots__ = ()


# --------------------------------------------------------------------------- errors


def _folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _error(exc: OSError, path: Path, what: str, *, stage: str) -> FileError:
    """Map an ``OSError`` raised while writing ``path`` to a French :class:`FileError`.

    ``stage`` is ``"folder"`` (creating the folder or the temporary file) or ``"replace"``
    (moving the finished file over the destination).
    """
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    folder = _folder_of(path)
    if isinstance(exc, FileError):
        return exc
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return FileError(
            f"impossible d'écrire {what} : le disque (ou la clé USB) est plein.",
            path=path,
            hint="libérez de la place (videz la corbeille, supprimez des fichiers inutiles) ou "
            "enregistrez dans un autre dossier, puis relancez.",
        )
    if code == errno.EROFS:
        return FileError(
            f"impossible d'écrire {what} : le disque du dossier « {folder} » est en lecture seule.",
            path=path,
            hint="choisissez un dossier où vous pouvez écrire (par exemple dans vos "
            "Documents), ou vérifiez que la clé USB n'est pas verrouillée.",
        )
    if code == errno.ENAMETOOLONG:
        return FileError(
            f"impossible d'écrire {what} : le nom du fichier ou du dossier est trop long.",
            path=path,
            hint="choisissez un nom plus court ou un dossier moins profond.",
        )
    if code == errno.EISDIR:
        return FileError(
            f"impossible d'écrire {what} : ce chemin est un dossier, pas un fichier.",
            path=path,
            hint="ajoutez le nom du fichier à la fin du chemin.",
        )
    if code == errno.ENOTDIR or isinstance(exc, NotADirectoryError | FileExistsError):
        return FileError(
            f"impossible d'écrire {what} : une partie du chemin est un fichier, pas un dossier.",
            path=path,
            hint="vérifiez le chemin : chaque élément avant le nom du fichier doit être un "
            "dossier.",
        )
    if code == errno.ENOENT or isinstance(exc, FileNotFoundError):
        return FileError(
            f"impossible d'écrire {what} : le dossier ou le lecteur « {folder} » est introuvable.",
            path=path,
            hint="vérifiez le chemin ; si c'est une clé USB ou un disque réseau, vérifiez qu'il "
            "est bien branché ou connecté.",
        )
    locked = winerror in _LOCK_WINERRORS
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM) or locked:
        if locked or (stage == "replace" and path.exists()):
            return FileError(
                f"impossible d'enregistrer {what} : le fichier est ouvert dans un autre "
                "logiciel (Excel, Calc, Word…) ou protégé en écriture.",
                path=path,
                hint="fermez le fichier dans Excel/Calc (ou Word) puis relancez ; sinon "
                "enregistrez sous un autre nom.",
            )
        return FileError(
            f"impossible d'écrire {what} : vous n'avez pas le droit d'écrire dans le dossier "
            f"« {folder} ».",
            path=path,
            hint="choisissez un dossier où vous pouvez écrire (par exemple dans vos Documents).",
        )
    detail = exc.strerror or str(exc)
    return FileError(
        f"impossible d'écrire {what} (message du système : {detail}).",
        path=path,
        hint="vérifiez le chemin, la place libre et que le fichier n'est pas ouvert ailleurs, "
        "puis relancez.",
    )


def os_error(exc: OSError, path: str | PathLike[str], what: str = "le fichier") -> FileError:
    """The French :class:`FileError` for an ``OSError`` met while writing ``path``.

    For writers that cannot go through :func:`atomic_write` (copying a folder of files…):
    ``raise os_error(exc, path, "le dossier du mémoire") from None``.
    """
    target = Path(path)
    return _error(exc, target, what, stage="replace" if target.is_file() else "folder")


# --------------------------------------------------------------------------- paths


def _suffix_list(suffixes: Sequence[str]) -> str:
    shown = [s for s in suffixes]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " ou " + shown[-1]


def output_path(
    path: str | PathLike[str], suffixes: Sequence[str] | str, what: str = "le fichier"
) -> Path:
    """Check a destination before writing and create its missing parent folder.

    Parameters
    ----------
    path
        Destination file (``~`` is expanded).
    suffixes
        Accepted extensions, lower case with the dot (``(".xlsx", ".ods")``); case is ignored.
    what
        The thing written, in French with its article (``"le classeur"``), used in messages.

    Raises
    ------
    FileError
        Unaccepted extension (the accepted ones are listed), a path that is a folder, a parent
        that cannot be created.
    """
    if isinstance(suffixes, str):
        suffixes = (suffixes,)
    target = Path(path).expanduser()
    if target.is_dir():
        raise FileError(
            f"impossible d'écrire {what} : ce chemin est un dossier, pas un fichier.",
            path=target,
            hint=f"ajoutez le nom du fichier, par exemple « {target / ('resultat' + suffixes[0])} ».",
        )
    if target.suffix.lower() not in {s.lower() for s in suffixes}:
        got = target.suffix or "(aucune extension)"
        raise FileError(
            f"l'extension « {got} » n'est pas prévue pour {what}.",
            path=target,
            hint=f"terminez le nom du fichier par {_suffix_list(suffixes)} (par exemple "
            f"« {target.stem or 'resultat'}{suffixes[0]} »).",
        )
    folder = _folder_of(target)
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _error(exc, target, what, stage="folder") from None
    return target


# --------------------------------------------------------------------------- atomic write

_UMASK: int | None = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:
        current = os.umask(0o022)
        os.umask(current)
        _UMASK = current
    return _UMASK


@contextlib.contextmanager
def atomic_write(path: str | PathLike[str], what: str = "le fichier") -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it over ``path`` once written.

    The body writes the whole file to the yielded path. On success the file is flushed to disk
    and replaces ``path`` in one step (:func:`os.replace`); if the body raises, the temporary
    file is removed and ``path`` is left as it was. ``OSError``s are turned into French
    :class:`FileError`s naming ``path``.

    Examples
    --------
    >>> with atomic_write("note.txt", "la note") as tmp:  # doctest: +SKIP
    ...     tmp.write_text("Bonjour", encoding="utf-8")
    """
    target = Path(path).expanduser()
    folder = _folder_of(target)
    if target.is_file() and not os.access(target, os.W_OK):
        # POSIX would let os.replace overwrite a read-only file: respect the protection
        raise FileError(
            f"impossible d'enregistrer {what} : le fichier existant est protégé en écriture "
            "(lecture seule).",
            path=target,
            hint="enregistrez sous un autre nom, ou retirez la protection (Propriétés > "
            "Lecture seule) puis relancez.",
        )
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{target.stem[:40]}-", suffix=f".tmp{target.suffix}", dir=folder
        )
    except OSError as exc:
        raise _error(exc, target, what, stage="folder") from None
    os.close(handle)
    tmp = Path(name)
    try:
        try:
            yield tmp
        except OSError as exc:
            raise _error(exc, target, what, stage="folder") from None
        try:
            with open(tmp, "rb+") as stream:
                os.fsync(stream.fileno())
            try:
                mode = target.stat().st_mode & 0o777 if target.is_file() else None
            except OSError:
                mode = None
            with contextlib.suppress(OSError):
                os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
            os.replace(tmp, target)
        except OSError as exc:
            raise _error(exc, target, what, stage="replace") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- text cells


def is_dangerous(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (OWASP "CSV injection").

    ``True`` for text starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or
    their full-width forms, unless the text is a plain number (``-2``, ``+33``, ``-1,5``).
    """
    return bool(text) and text[0] in _DANGEROUS_FIRST and not _PLAIN_NUMBER.fullmatch(text)


def neutralise_csv(text: str) -> str:
    """The CSV treatment of formula injection: a leading ``'`` on dangerous text only."""
    return "'" + text if is_dangerous(text) else text


def xml_text(text: object) -> str:
    """``text`` as a string XML documents accept (python-docx, odfpy, openpyxl).

    Vertical tabs and form feeds (Word's manual line and page breaks) become line breaks; other
    control characters XML forbids, lone surrogates, ``\\ufffe`` and ``\\uffff`` are removed.
    """
    value = str(text)
    if _BREAKS.search(value):
        value = _BREAKS.sub("\n", value)
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return value


@dataclass
class _Notes:
    """Alerts gathered while writing one file, reported as one warning each."""

    what: str
    path: Path
    cleaned: list[str] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)

    def text(self, value: str, where: Callable[[], str], limit: int | None) -> str:
        clean = xml_text(value)
        if clean != value:
            self.cleaned.append(where())
        if limit is not None and len(clean) > limit:
            self.cut.append(where())
            mark = f"… [texte coupé : {len(clean)} caractères au total]"
            clean = clean[: limit - len(mark)] + mark
        return clean

    def report(self) -> None:
        def places(items: list[str]) -> str:
            shown = ", ".join(items[:5])
            return shown + (f" et {len(items) - 5} autre(s)" if len(items) > 5 else "")

        if self.cleaned:
            warnings.warn(
                f"{self.what} « {self.path.name} » : {len(self.cleaned)} cellule(s) contenaient "
                "des caractères de contrôle invisibles, refusés par Excel/Calc : ils ont été "
                f"retirés (sauts de ligne ou de page de Word changés en sauts de ligne) "
                f"({places(self.cleaned)}).\nQue faire : rien si le texte vous convient ; "
                "sinon corrigez-le dans les données d'origine.",
                MovscWarning,
                stacklevel=4,
            )
        if self.cut:
            warnings.warn(
                f"{self.what} « {self.path.name} » : {len(self.cut)} cellule(s) dépassaient "
                f"la limite d'Excel de {EXCEL_MAX_CHARS} caractères et ont été coupées ; la "
                f"fin de chaque cellule coupée l'indique ({places(self.cut)}).\nQue faire : "
                "gardez le texte complet dans un fichier .txt ou .docx, ou exportez au format "
                ".ods ou .csv.",
                MovscWarning,
                stacklevel=4,
            )


def _cell_value(value: Any) -> Any:
    """A DataFrame value as a spreadsheet value (None for missing, Python scalars)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Formula):
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "Oui" if value else "Non"  # as the toolkit displays them (not VRAI/FAUX)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float | np.floating | decimal.Decimal):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            return "+∞" if number > 0 else "−∞"
        return number
    if isinstance(value, pd.Timestamp):
        if value.tzinfo is not None:
            value = value.tz_localize(None)
        return value.to_pydatetime()
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is not None else value
    if isinstance(value, _dt.date | _dt.time):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    if isinstance(value, pd.Timedelta | _dt.timedelta):
        return str(value)
    with contextlib.suppress(TypeError, ValueError):
        if pd.isna(value):
            return None
    return str(value)


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


def _flatten(frame: pd.DataFrame, index: bool | str) -> tuple[pd.DataFrame, int]:
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


def _formats(frame: pd.DataFrame, rule: FormatRule | None) -> dict[str, str | None]:
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


def _width(column: str, values: pd.Series) -> float:
    texts = [column] + [
        f"{v:,.2f}" if isinstance(v, float) else str(v) for v in values.head(500).tolist()
    ]
    longest = max(max((len(line) for line in t.split("\n")), default=0) for t in texts)
    return max(min(longest + 2, 60), 8)


def _pane(freeze: str | Mapping[str, str | None] | None, name: str, n_index: int) -> str | None:
    """The top-left unfrozen cell of a sheet (``"A2"``: header row frozen) or ``None``."""
    pane = freeze.get(name, "A2") if isinstance(freeze, Mapping) else freeze
    if pane == "auto":
        pane = "B2" if n_index else "A2"
    return pane or None


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


def set_cell(ws: Any, row: int, column: int, value: Any, *, notes: _Notes | None = None) -> Any:
    """Write ``value`` in a cell of an openpyxl sheet, safely; return the cell.

    Text is written as text (never a formula; a dangerous one gets the quote prefix), cleaned of
    characters Excel refuses and cut at 32 767 characters with a mark; a :class:`Formula` is
    written as a formula.
    """
    cell = ws.cell(row=row, column=column)
    value = _cell_value(value)
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


def append_row(ws: Any, values: Iterable[Any], *, notes: _Notes | None = None) -> int:
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
        allowed = getattr(ws, "_movsc_formulas", set())
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


def _write_xlsx(
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
    notes = _Notes(what[0].upper() + what[1:], target)
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
        formats = _formats(frame, number_formats)
        data = frame.to_numpy(dtype=object)
        for i in range(data.shape[0]):
            for j in range(data.shape[1]):
                value = data[i, j]
                if _cell_value(value) in (None, ""):
                    continue  # a blank cell, not an empty text
                cell = set_cell(ws, i + 2, j + 1, value, notes=notes)
                fmt = formats[columns[j]]
                if fmt is not None and not isinstance(cell.value, str):
                    cell.number_format = fmt
        for j, col in enumerate(columns, start=1):
            letter = ws.cell(row=1, column=j).column_letter
            width = (widths or {}).get(col)
            ws.column_dimensions[letter].width = width or _width(col, frame[col])
        if bold_rows and columns and not pd.api.types.is_numeric_dtype(frame[columns[0]]):
            first = frame[columns[0]].astype(str).str.strip()
            for i in np.flatnonzero(first.isin(bold_rows).to_numpy()):
                for cell in ws[int(i) + 2]:
                    cell.font = bold
        pane = _pane(freeze, name, n_index)
        if pane:
            ws.freeze_panes = pane
        if style is not None:
            style(ws, frame, name)
    _secure(wb)
    notes.report()
    with atomic_write(target, what) as tmp:
        wb.save(tmp)


# --------------------------------------------------------------------------- ods


_OFFICE_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'office:version="1.2"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _ods_settings(panes: Mapping[str, str | None]) -> str:
    """settings.xml with LibreOffice's frozen panes (``"B2"``: first row and column)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    def item(name: str, kind: str, value: object) -> str:
        return f'<config:config-item config:name="{name}" config:type="{kind}">{value}</config:config-item>'

    entries = []
    for sheet, pane in panes.items():
        if not pane:
            continue
        letters, row = coordinate_from_string(pane)
        cols, rows = column_index_from_string(letters) - 1, row - 1
        entries.append(
            f"<config:config-item-map-entry config:name={xml_quoteattr(sheet)}>"
            + item("HorizontalSplitMode", "short", 2 if cols else 0)
            + item("VerticalSplitMode", "short", 2 if rows else 0)
            + item("HorizontalSplitPosition", "int", cols)
            + item("VerticalSplitPosition", "int", rows)
            + item("ActiveSplitRange", "short", (2 if rows else 0) + (1 if cols else 0))
            + item("PositionLeft", "int", 0)
            + item("PositionRight", "int", cols)
            + item("PositionTop", "int", 0)
            + item("PositionBottom", "int", rows)
            + "</config:config-item-map-entry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-settings '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.2">'
        '<office:settings><config:config-item-set config:name="ooo:view-settings">'
        '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
        + item("ViewId", "string", "view1")
        + '<config:config-item-map-named config:name="Tables">'
        + "".join(entries)
        + "</config:config-item-map-named></config:config-item-map-entry>"
        "</config:config-item-map-indexed></config:config-item-set></office:settings>"
        "</office:document-settings>"
    )


_ODS_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_OFFICE_NS}>'
    "<office:styles/></office:document-styles>"
)
_SPACES = re.compile(r" {2,}|^ | $|\t")


def _ods_spaces(match: re.Match[str]) -> str:
    run = match.group(0)
    if run == "\t":
        return "<text:tab/>"
    start, end = match.start() == 0, match.end() == len(match.string)
    if start or end or len(run) == 1:
        return f'<text:s text:c="{len(run)}"/>'
    return f' <text:s text:c="{len(run) - 1}"/>'


def _ods_text(text: str) -> str:
    """Text as ``<text:p>`` paragraphs: one per line, spaces and tabs kept (ODF rules)."""
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        escaped = _SPACES.sub(_ods_spaces, xml_escape(line)).replace("\r", "&#13;")
        out.append(f"<text:p>{escaped}</text:p>")  # a lone \r kept as LibreOffice does
    return "".join(out)


def _ods_data_style(fmt: str, name: str) -> str:
    """The ODS data style for one of the Excel formats used by the toolkit."""
    if fmt.upper().startswith("DD/MM"):
        return (
            f'<number:date-style style:name="{name}"><number:day number:style="long"/>'
            '<number:text>/</number:text><number:month number:style="long"/>'
            '<number:text>/</number:text><number:year number:style="long"/>'
            "</number:date-style>"
        )
    first = fmt.split(";")[0]
    digits = first.split(".")[1] if "." in first else ""
    decimals = len(re.match(r"[0#]*", digits).group(0))
    grouping = "true" if "," in first.split(".")[0] else "false"
    suffix = re.search(r'"([^"]*)"', first)
    text = f"<number:text> {xml_escape(suffix.group(1).strip())}</number:text>" if suffix else ""
    return (
        f'<number:number-style style:name="{name}"><number:number '
        f'number:decimal-places="{decimals}" number:min-integer-digits="1" '
        f'number:grouping="{grouping}"/>{text}</number:number-style>'
    )


class _OdsStyles:
    """Cell styles (data format × bold × header) created as they are needed."""

    def __init__(self, header_fill: str | None) -> None:
        self.xml: list[str] = []
        self.names: dict[tuple[str | None, bool, bool], str] = {}
        self.header_fill = header_fill
        self.columns: dict[float, str] = {}

    def cell(self, fmt: str | None, bold: bool = False, header: bool = False) -> str | None:
        key = (fmt, bold, header)
        if key == (None, False, False):
            return None
        if key not in self.names:
            name = f"ce{len(self.names) + 1}"
            data = ""
            if fmt:
                self.xml.append(_ods_data_style(fmt, f"{name}d"))
                data = f' style:data-style-name="{name}d"'
            props = ""
            if header:
                fill = f' fo:background-color="#{self.header_fill}"' if self.header_fill else ""
                props = f'<style:table-cell-properties fo:wrap-option="wrap"{fill}/>'
            text = '<style:text-properties fo:font-weight="bold"/>' if bold or header else ""
            self.xml.append(
                f'<style:style style:name="{name}" style:family="table-cell"{data}>'
                f"{props}{text}</style:style>"
            )
            self.names[key] = name
        return self.names[key]

    def column(self, width: float) -> str:
        width = round(width, 1)
        if width not in self.columns:
            name = f"co{len(self.columns) + 1}"
            self.xml.append(
                f'<style:style style:name="{name}" style:family="table-column">'
                f'<style:table-column-properties style:column-width="{width * 0.21:.2f}cm"/>'
                "</style:style>"
            )
            self.columns[width] = name
        return self.columns[width]


def _ods_cell(value: Any, style: str | None, notes: _Notes, where: Callable[[], str]) -> str:
    value = _cell_value(value)
    attr = f' table:style-name="{style}"' if style else ""
    if value is None or value == "":
        return f"<table:table-cell{attr}/>"
    if isinstance(value, str):
        text = notes.text(value, where, None)
        return f'<table:table-cell office:value-type="string"{attr}>{_ods_text(text)}</table:table-cell>'
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}"{attr}>'
            f"<text:p>{'VRAI' if value else 'FAUX'}</text:p></table:table-cell>"
        )
    if isinstance(value, _dt.datetime | _dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"'
            f"{attr}><text:p>{value.strftime('%d/%m/%Y')}</text:p></table:table-cell>"
        )
    if isinstance(value, _dt.time):
        return (
            f'<table:table-cell office:value-type="string"{attr}>'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    number = repr(float(value))
    return (
        f'<table:table-cell office:value-type="float" office:value="{number}"{attr}>'
        f"<text:p>{str(value).replace('.', ',')}</text:p></table:table-cell>"
    )


def _write_ods(
    target: Path,
    frames: list[tuple[str, pd.DataFrame, int]],
    *,
    what: str,
    number_formats: FormatRule | None,
    widths: Mapping[str, float] | None,
    header_fill: str | None,
    bold_rows: Sequence[str],
    freeze: str | Mapping[str, str | None] | None = None,
) -> None:
    """Write the sheets as an OpenDocument spreadsheet, XML generated directly.

    Every text is a ``office:value-type="string"`` cell (never ``table:formula``); odfpy's
    element tree is avoided because it is several times slower on large tables.
    """
    notes = _Notes(what[0].upper() + what[1:], target)
    styles = _OdsStyles(header_fill)
    tables: list[str] = []
    for name, frame, _ in frames:
        columns = list(frame.columns)
        parts = [f"<table:table table:name={xml_quoteattr(name)}>"]
        for col in columns:
            width = float((widths or {}).get(col) or _width(col, frame[col]))
            parts.append(f'<table:table-column table:style-name="{styles.column(width)}"/>')
        head = styles.cell(None, header=True)
        parts.append("<table:table-row>")
        for j, col in enumerate(columns):
            parts.append(
                _ods_cell(
                    col, head, notes, lambda j=j, name=name: f"feuille « {name} », en-tête {j + 1}"
                )
            )
        parts.append("</table:table-row>")
        formats = _formats(frame, number_formats)
        bold_mask = np.zeros(len(frame), dtype=bool)
        if bold_rows and columns and not pd.api.types.is_numeric_dtype(frame[columns[0]]):
            bold_mask = frame[columns[0]].astype(str).str.strip().isin(bold_rows).to_numpy()
        plain = [styles.cell(formats[col]) for col in columns]
        data = frame.to_numpy(dtype=object)
        for i in range(data.shape[0]):
            row_styles = (
                [styles.cell(formats[c], bold=True) for c in columns] if bold_mask[i] else plain
            )
            parts.append("<table:table-row>")
            for j, col in enumerate(columns):
                parts.append(
                    _ods_cell(
                        data[i, j],
                        row_styles[j],
                        notes,
                        lambda i=i, col=col, name=name: (
                            f"feuille « {name} », ligne {i + 2}, colonne « {col} »"
                        ),
                    )
                )
            parts.append("</table:table-row>")
        parts.append("</table:table>")
        tables.append("".join(parts))
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_OFFICE_NS}>'
        f"<office:automatic-styles>{''.join(styles.xml)}</office:automatic-styles>"
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    notes.report()
    with atomic_write(target, what) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )  # first and stored, as the format requires
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", _ODS_STYLES, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content.encode("utf-8"), zipfile.ZIP_DEFLATED)
        panes = {name: _pane(freeze, name, n_index) for name, _, n_index in frames}
        archive.writestr("settings.xml", _ods_settings(panes), zipfile.ZIP_DEFLATED)


# --------------------------------------------------------------------------- public writers


def write_excel(
    path: str | PathLike[str],
    sheets: Mapping[str, pd.DataFrame],
    *,
    what: str = "le classeur",
    suffixes: Sequence[str] = (".xlsx", ".ods"),
    index: bool | str | Mapping[str, bool | str] = "auto",
    number_formats: FormatRule | None = None,
    widths: Mapping[str, float] | None = None,
    freeze: str | Mapping[str, str | None] | None = "auto",
    header_fill: str | None = "DDEBF7",
    bold_rows: Sequence[str] = ("Total", "Ensemble"),
    style: Callable[[Any, pd.DataFrame, str], None] | None = None,
) -> Path:
    """Write DataFrames to one formatted ``.xlsx`` (Excel) or ``.ods`` (Calc) workbook.

    Parameters
    ----------
    path
        Destination; its extension chooses the format.
    sheets
        ``{"Nom de la feuille": DataFrame}``, in order. Names are made valid (31 characters,
        no ``[ ] : * ? / \\``, distinct).
    what
        The thing written, in French with its article, for messages (``"l'export"``).
    suffixes
        Accepted extensions (a writer that only makes ``.xlsx`` passes ``(".xlsx",)``).
    index
        ``"auto"`` keeps the index as first column(s) unless it is the default ``0…n-1``;
        ``True``/``False``; or per sheet ``{"Feuille": True}``.
    number_formats
        ``{column: Excel format}`` overriding the automatic ones, or a function
        ``(column, values, percent) -> format``. Automatic: :func:`auto_number_format`
        (``frame.attrs["pourcentages"]`` gives ``0.0`` to every number).
    widths
        ``{column: width in characters}``; other widths are fitted to the content (8 to 60).
    freeze
        Cell of the frozen pane (``"A2"``: header row), ``"auto"`` (``B2`` when the index is
        written, else ``A2``), ``None``, or per sheet (in ``.ods`` through LibreOffice's view
        settings).
    header_fill
        Header background colour (hex RGB) or ``None``.
    bold_rows
        Rows whose first cell is one of these texts are bold (``Total``, ``Ensemble``).
    style
        ``style(worksheet, frame, sheet_name)`` called for each openpyxl sheet to add formatting
        (``.xlsx`` only; write values with :func:`set_cell` if it writes any).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    target = output_path(path, suffixes, what)
    if not sheets:
        raise DataError(
            f"aucun tableau à écrire dans {what}.",
            path=target,
            hint='donnez un dictionnaire {"Nom de feuille": tableau, …}.',
        )
    names = sheet_names(sheets)
    frames = []
    for name, (original, frame) in zip(names, sheets.items(), strict=True):
        if not isinstance(frame, pd.DataFrame):
            raise DataError(
                f"la feuille « {original} » reçoit un objet {type(frame).__name__} qui n'est "
                "pas un tableau (DataFrame).",
                path=target,
                hint="donnez un DataFrame pour chaque feuille.",
            )
        keep = index.get(original, "auto") if isinstance(index, Mapping) else index
        flat, n_index = _flatten(frame, keep)
        flat.attrs = dict(frame.attrs)
        frames.append((name, flat, n_index))
    if target.suffix.lower() == ".ods":
        _write_ods(
            target,
            frames,
            what=what,
            number_formats=number_formats,
            widths=widths,
            header_fill=header_fill,
            bold_rows=bold_rows,
            freeze=freeze,
        )
    else:
        _write_xlsx(
            target,
            frames,
            what=what,
            number_formats=number_formats,
            widths=widths,
            freeze=freeze,
            header_fill=header_fill,
            bold_rows=bold_rows,
            style=style,
        )
    return target


def write_csv(
    data: pd.DataFrame,
    path: str | PathLike[str],
    *,
    what: str = "le fichier CSV",
    sep: str = ";",
    decimal: str = ",",
    encoding: str = "utf-8-sig",
    index: bool = False,
    neutralise: bool = True,
    date_format: str | None = "%d/%m/%Y",
) -> Path:
    """Write a DataFrame to a CSV file that Excel opens correctly in French.

    Defaults: ``;`` separator, decimal comma, UTF-8 with the byte-order mark Excel needs to see
    accents, dates ``31/12/2024``, ``\\r\\n`` line ends (RFC 4180). Formula injection:
    dangerous text cells get a leading ``'`` (see :func:`neutralise_csv`); ``neutralise=False``
    writes the text exactly (files for R or Python). Booleans are written ``Oui``/``Non``
    unless ``neutralise=False``. Missing values are empty fields.
    """
    target = output_path(path, (".csv", ".txt", ".tsv"), what)
    frame = data.reset_index() if index else data.copy()
    if neutralise:  # a file for people: booleans as the toolkit displays them
        for col in frame.columns:
            if pd.api.types.is_bool_dtype(frame[col]):
                frame[col] = frame[col].map({True: "Oui", False: "Non"})
        for col in frame.columns:
            values = frame[col]
            if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
                frame[col] = values.map(lambda v: neutralise_csv(v) if isinstance(v, str) else v)
        if isinstance(frame.columns, pd.Index) and not isinstance(frame.columns, pd.MultiIndex):
            frame.columns = [neutralise_csv(c) if isinstance(c, str) else c for c in frame.columns]
    with atomic_write(target, what) as tmp, open(tmp, "w", encoding=encoding, newline="") as out:
        # CRLF line ends (RFC 4180, what Excel writes): a lone \r inside a text is then quoted
        frame.to_csv(
            out,
            sep=sep,
            decimal=decimal,
            index=False,
            date_format=date_format,
            lineterminator="\r\n",
        )
    return target


def write_bytes(
    path: str | PathLike[str],
    data: bytes,
    *,
    suffixes: Sequence[str] | str,
    what: str = "le fichier",
) -> Path:
    """Write ``data`` atomically to ``path`` (extension checked, folder created)."""
    target = output_path(path, suffixes, what)
    with atomic_write(target, what) as tmp:
        tmp.write_bytes(data)
    return target


def write_text(
    path: str | PathLike[str],
    text: str,
    *,
    suffixes: Sequence[str] | str = (".txt", ".md"),
    what: str = "le fichier texte",
    encoding: str = "utf-8",
) -> Path:
    """Write ``text`` atomically (UTF-8, ``\\n`` line ends kept as they are)."""
    target = output_path(path, suffixes, what)
    with atomic_write(target, what) as tmp, open(tmp, "w", encoding=encoding, newline="") as out:
        out.write(text)
    return target


def write_html(path: str | PathLike[str], page: str, *, what: str = "la page HTML") -> Path:
    """Write an HTML page (UTF-8) atomically; the extension must be ``.html`` or ``.htm``."""
    return write_text(path, page, suffixes=(".html", ".htm"), what=what)


def save_docx(document: Any, path: str | PathLike[str], *, what: str = "le document Word") -> Path:
    """Save a python-docx ``Document`` atomically to a ``.docx`` file.

    Text put into the document should go through :func:`xml_text` first (python-docx refuses
    control characters).
    """
    target = output_path(path, (".docx",), what)
    with atomic_write(target, what) as tmp:
        document.save(str(tmp))
    return target
