"""The public writers: Excel/Calc workbooks, CSV, bytes, text, HTML and Word documents."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import DataError
from .files import atomic_write, output_path
from .guard import neutralise_csv
from .layout import FormatRule, flatten_frame, sheet_names
from .ods import write_ods
from .xlsx import write_xlsx

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
        flat, n_index = flatten_frame(frame, keep)
        flat.attrs = dict(frame.attrs)
        frames.append((name, flat, n_index))
    if target.suffix.lower() == ".ods":
        write_ods(
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
        write_xlsx(
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
