"""Reading a sheet of an XLSX, XLS or ODS workbook."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import warnings
import zipfile
from collections import Counter
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ColumnError, FileError, FormatError
from .._limits import check_ods, check_xlsx, check_zip
from .._parse import is_blank
from .._problems import ProblemLog
from .columns import (
    attach_problems,
    check_header_is_not_data,
    clean_cells,
    convert_columns,
    header_mode,
)
from .encoding import check_path


def _is_plain_number(value: object) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool | np.bool_)


def _checked_sheet(names: list[str], sheet: str | int | None, path: Path) -> str | int:
    """The sheet to read (the first one by default), or a French error naming the sheets."""
    if sheet is None:
        return names[0]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise ColumnError(
                f"le classeur n'a que {len(names)} feuille(s) : pas de feuille n° {sheet}.",
                path=path,
                hint="les feuilles sont numérotées à partir de 0 : "
                + ", ".join(f"{i} = « {n} »" for i, n in enumerate(names)),
            )
    elif sheet not in names:
        from .._errors import closest

        near = closest(str(sheet), names)
        hint = (
            f"vouliez-vous dire « {near[0]} » ?"
            if near
            else "les feuilles sont : " + ", ".join(f"« {n} »" for n in names)
        )
        raise ColumnError(f"la feuille « {sheet} » n'existe pas.", path=path, hint=hint)
    return sheet


_ENGINES = {".xlsx": "openpyxl", ".xlsm": "openpyxl", ".xls": "xlrd", ".ods": "odf"}


def _open_book(path: Path, engine: str, printed: io.StringIO) -> pd.ExcelFile:
    """The workbook opened by pandas, or a French error (``printed``: what odfpy prints)."""
    try:
        with warnings.catch_warnings():
            # pandas announces the end of xlrd for .xls; the user can do nothing about it
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            with contextlib.redirect_stdout(printed):
                book = pd.ExcelFile(path, engine=engine)
        if printed.getvalue().strip():
            book.close()
            raise ValueError(printed.getvalue())
    except ImportError:
        raise FileError(
            "la lecture des anciens fichiers Excel (.xls) demande le paquet « xlrd ».",
            path=path,
            hint="enregistrez le fichier au format .xlsx depuis Excel, ou installez xlrd "
            "(pip install xlrd).",
        ) from None
    except Exception:  # corrupt zip, not a workbook…
        raise FormatError(
            "le classeur est illisible ou endommagé (ce n'est pas un vrai classeur, ou il est "
            "incomplet).",
            path=path,
            hint="ouvrez-le dans Excel ou Calc, vérifiez son contenu et enregistrez-le à nouveau.",
        ) from None
    return book


def sheet_names(path: str | PathLike[str]) -> list[str]:
    """The names of a workbook's sheets, in order; the file checked as :func:`read_table`
    checks it before any library parses it (its archive and sizes), then closed.

    Raises a French :class:`~movsc_toolkit._errors.FileError` or
    :class:`~movsc_toolkit._errors.FormatError` for a missing, damaged or oversized file.
    """
    p = check_path(path)
    suffix = p.suffix.lower()
    if suffix not in _ENGINES:
        raise FileError(
            "ce fichier n'est pas un classeur (.xlsx, .xlsm, .xls ou .ods) : il n'a pas de "
            "feuilles.",
            path=p,
            hint="donnez le classeur, ou lisez le fichier avec read_table.",
        )
    if suffix in {".xlsx", ".xlsm", ".ods"} and zipfile.is_zipfile(p):
        check_zip(p, "le classeur")
    book = _open_book(p, _ENGINES[suffix], io.StringIO())
    try:
        return [str(name) for name in book.sheet_names]
    finally:
        book.close()


def read_workbook(
    path: Path,
    sheet: str | int | None,
    header: int | bool | None,
    convert_numbers: bool,
    parse_dates: bool,
    na_values: list[str] | None,
    limits: dict[str, Any],
) -> pd.DataFrame:
    suffix = path.suffix.lower()
    engine = _ENGINES[suffix]
    # size limits and integrity, before any library parses the file
    error_cells: list[tuple[int, int, str]] = []
    if suffix in {".xlsx", ".xlsm"} and zipfile.is_zipfile(path):
        error_cells = check_xlsx(path, sheet, **limits)
    elif suffix == ".ods" and zipfile.is_zipfile(path):
        check_ods(path, sheet, **limits)
    printed = io.StringIO()  # odfpy prints the XML errors it swallows
    book = _open_book(path, engine, printed)
    try:
        sheet = _checked_sheet(book.sheet_names, sheet, path)
        header_row, check_header = header_mode(header)
        try:
            with contextlib.redirect_stdout(printed):
                raw = pd.read_excel(
                    book,
                    sheet_name=sheet,
                    header=None,
                    dtype=object,
                    keep_default_na=False,
                    na_filter=False,
                )
            if printed.getvalue().strip():
                raise ValueError(printed.getvalue())
        except Exception:  # damaged sheet XML, unreadable cell…: never read a part of it
            raise FormatError(
                f"la feuille « {sheet} » du classeur est illisible ou endommagée : elle n'est "
                "pas lue, pour ne rien lire à moitié.",
                path=path,
                hint="ouvrez le classeur dans Excel ou Calc, vérifiez son contenu et "
                "enregistrez-le à nouveau.",
            ) from None
    finally:
        book.close()  # also when the sheet is refused
    raw = clean_cells(raw, None)[0]
    raw = raw.dropna(how="all")  # empty spreadsheet rows carry no data
    row_numbers = [int(i) + 1 for i in raw.index]  # spreadsheet rows, first = 1
    if header_row is None:
        names = [f"colonne_{i + 1}" for i in range(raw.shape[1])]
        data = raw
        lines = row_numbers
    else:
        if header_row >= len(raw):
            if len(raw) == 0:
                raise FormatError(
                    f"la feuille « {sheet} » est vide.",
                    path=path,
                    hint="vérifiez que vous avez choisi la bonne feuille (sheet=…).",
                )
            raise FormatError(
                f"la feuille n'a que {len(raw)} ligne(s) non vide(s) : pas de ligne "
                f"d'en-tête n° {header_row}.",
                path=path,
                hint="indiquez header=0 (première ligne) ou header=False (pas d'en-tête).",
            )
        header_cells = list(raw.iloc[header_row])
        data = raw.iloc[header_row + 1 :]
        lines = row_numbers[header_row + 1 :]
        names = []
        for i, c in enumerate(header_cells):
            if is_blank(c):
                names.append(f"colonne_{i + 1}")
            elif isinstance(c, float) and c.is_integer():
                names.append(str(int(c)))
            elif isinstance(c, pd.Timestamp | dt.datetime):
                names.append(pd.Timestamp(c).strftime("%d/%m/%Y"))
            else:
                names.append(str(c).strip())
        seen: Counter[str] = Counter()
        unique = []
        for name in names:
            seen[name] += 1
            unique.append(name if seen[name] == 1 else f"{name}.{seen[name] - 1}")
        names = unique
    sheet_columns = list(names)  # one name per spreadsheet column (A, B…), before drops
    df = data.reset_index(drop=True)
    df.columns = names
    if na_values:
        df = clean_cells(df, na_values)[0]
    if header_row is not None:
        empty_cols = [
            c
            for c, h in zip(df.columns, header_cells, strict=True)
            if is_blank(h) and df[c].isna().all()
        ]
        df = df.drop(columns=empty_cols)
        if check_header:
            kept = [h for h, c in zip(header_cells, names, strict=True) if c not in empty_cols]
            check_header_is_not_data(kept, df, path, row_numbers[header_row])
    for col in df.columns:
        s = df[col]
        present = s.dropna()
        if present.empty or not present.map(_is_plain_number).all():
            continue
        if present.map(lambda v: isinstance(v, int | np.integer)).all():
            df[col] = pd.array(s.where(s.notna(), None).tolist(), dtype="Int64")
        else:
            df[col] = pd.to_numeric(s).astype("float64")
    log = ProblemLog()
    data_rows = set(lines)
    for row, column, text in error_cells:
        if row in data_rows and column < len(sheet_columns):
            log.add(
                "alerte",
                f"cellule en erreur dans le classeur ({text}) : lue comme vide. Corrigez la "
                "formule ou la valeur dans Excel si cette case doit compter.",
                ligne=row,
                colonne=sheet_columns[column],
                valeur=text,
            )
    df = convert_columns(df, convert_numbers, parse_dates, lines, log, path)
    df.attrs["source"] = {"path": str(path), "sheet": sheet}
    df.attrs["lines"] = lines
    attach_problems(df, log)
    return df
