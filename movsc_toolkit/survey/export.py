"""Export of survey tables to one formatted workbook (``.xlsx``, or ``.ods`` for LibreOffice).

One sheet per table, headers in bold, column widths fitted to the content, French-looking number
formats (the spreadsheet displays ``1 234,5`` with a French locale): whole numbers without
decimals, percentages (columns whose name contains ``%``) with one decimal, other numbers with
two (every cell of a percentage table from ``crosstab(..., percent=…)`` with one). Results with a ``to_frame()`` method (``chi2_test``, ``mca``, ``cronbach_alpha``…) are
accepted directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import DataError, FileError

__all__ = ["to_excel"]

_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _as_frame(name: str, table: object, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        frame = table
    elif isinstance(table, pd.Series) or hasattr(table, "to_frame"):
        frame = table.to_frame()
    else:
        raise DataError(
            f"la feuille « {name} » reçoit un objet {type(table).__name__} qui n'est pas un "
            "tableau.",
            hint="donnez un DataFrame ou un résultat de la boîte à outils (chi2_test, mca…).",
        )
    percent = bool(frame.attrs.get("pourcentages"))
    frame = frame.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [
            " – ".join(str(p) for p in parts if str(p) != "") for parts in frame.columns
        ]
    else:
        frame.columns = [str(c) for c in frame.columns]
    if not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None):
        taken = set(frame.columns)
        names = []
        for i, name in enumerate(frame.index.names):
            label = ("" if i == 0 else f"niveau {i + 1}") if name is None else str(name)
            label = str((labels or {}).get(label, label))
            while label in taken:
                label += " "
            names.append(label)
            taken.add(label)
        frame.index = frame.index.set_names(names)
        frame = frame.reset_index()
    # Categorical and object cells become text (clean in a spreadsheet)
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            frame[col] = frame[col].astype(object)
    frame.attrs = {"pourcentages": percent}
    return frame


def _sheet_names(names: list[str]) -> list[str]:
    result: list[str] = []
    for name in names:
        clean = _FORBIDDEN.sub("-", str(name)).strip("'") or "Feuille"
        clean = clean[:31]
        candidate, k = clean, 2
        while candidate.casefold() in {r.casefold() for r in result}:
            suffix = f" ({k})"
            candidate = clean[: 31 - len(suffix)] + suffix
            k += 1
        result.append(candidate)
    return result


def _number_format(column: str, values: pd.Series, percent: bool = False) -> str | None:
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    if percent:
        return "0.0"
    finite = values.dropna().to_numpy(dtype=float)
    if pd.api.types.is_integer_dtype(values) or (
        finite.size and np.all(finite == np.round(finite)) and "%" not in column
    ):
        return "#,##0"
    if "%" in column:
        return "0.0"
    return "#,##0.00"


def to_excel(
    tables: Mapping[str, object],
    path: str | PathLike[str],
    *,
    labels: Mapping[str, str] | None = None,
) -> Path:
    """Write several tables to one workbook, one formatted sheet per table.

    Parameters
    ----------
    tables
        ``{"Nom de la feuille": table, …}`` — DataFrames, Series, or results with a
        ``to_frame()`` method. Sheet names are shortened to 31 characters and the characters
        ``[ ] : * ? / \\`` replaced (spreadsheet rules).
    path
        ``.xlsx`` (Excel, formatted) or ``.ods`` (LibreOffice Calc).
    labels
        ``{variable: "question label"}``: the header of a table's first column (the variable's
        name, such as ``quartier``) becomes the question, e.g.
        ``labels=reponses.attrs["labels"]`` for answers read by
        :func:`~movsc_toolkit.survey.read_responses`.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    ``to_excel({"Tri à plat quartier": freq(df, "quartier"), "Khi-deux": chi2_test(...)},
    "annexes.xlsx")``
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".ods"):
        raise FileError(
            f"format de fichier « {path.suffix or '(aucun)'} » non pris en charge pour l'export.",
            path=path,
            hint="terminez le nom du fichier par .xlsx (Excel) ou .ods (LibreOffice).",
        )
    if not tables:
        raise DataError(
            "aucun tableau à exporter.",
            hint='donnez un dictionnaire {"Nom de feuille": tableau, …}.',
        )
    if not path.parent.exists():
        raise FileError(
            "le dossier de destination n'existe pas.",
            path=path,
            hint="créez le dossier ou choisissez un autre chemin.",
        )
    names = _sheet_names(list(tables))
    frames = [_as_frame(n, t, labels) for n, t in zip(tables, tables.values(), strict=True)]
    try:
        if suffix == ".ods":
            with pd.ExcelWriter(path, engine="odf") as writer:
                for name, frame in zip(names, frames, strict=True):
                    out = frame.copy()
                    for col in out.columns:
                        fmt = _number_format(col, out[col], out.attrs.get("pourcentages", False))
                        if fmt == "0.0":
                            out[col] = out[col].round(1)
                        elif fmt == "#,##0.00":
                            out[col] = out[col].round(2)
                    out.to_excel(writer, sheet_name=name, index=False)
            return path
        from openpyxl.styles import Alignment, Font, PatternFill

        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, frame in zip(names, frames, strict=True):
                frame.to_excel(writer, sheet_name=name, index=False)
                sheet = writer.sheets[name]
                header_fill = PatternFill("solid", fgColor="DDEBF7")
                for cell in sheet[1]:
                    cell.font = Font(bold=True)
                    cell.fill = header_fill
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
                for j, col in enumerate(frame.columns, start=1):
                    fmt = _number_format(col, frame[col], frame.attrs.get("pourcentages", False))
                    letter = sheet.cell(row=1, column=j).column_letter
                    texts = [str(col)] + [
                        f"{v:,.2f}" if isinstance(v, float) else str(v)
                        for v in frame[col].head(500)
                    ]
                    width = min(max(len(t) for t in texts) + 2, 60)
                    sheet.column_dimensions[letter].width = max(width, 8)
                    if fmt is not None:
                        for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                            cell.number_format = fmt
                first = frame.columns[0] if len(frame.columns) else None
                if first is not None and not pd.api.types.is_numeric_dtype(frame[first]):
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=1, max_col=1):
                        if cell.value in ("Total", "Ensemble"):
                            for other in sheet[cell.row]:
                                other.font = Font(bold=True)
                sheet.freeze_panes = "B2"
    except PermissionError as exc:
        raise FileError(
            "impossible d'écrire le fichier (il est peut-être ouvert dans un tableur).",
            path=path,
            hint="fermez le fichier dans Excel ou LibreOffice, puis recommencez.",
        ) from exc
    return path
