"""Reading FEC files (*fichiers des écritures comptables*) into a :class:`~.ledger.Ledger`.

A FEC (art. A47 A-1 of the Livre des procédures fiscales, reference ``finance.md`` §2) is the
export every French accounting software produces: one line per debit or credit, 18 fields
separated by a tab or ``|``, UTF-8 or ISO-8859-15, decimal comma, dates ``AAAAMMJJ``, the first
line giving the field names. :func:`read_fec` reads it **without dropping any line** and
reports every deviation from the norm in ``ledger.problems`` (the shared problems table).

The steps, one internal module each: the bytes up to a table of text fields
(:mod:`._fec_text`: encoding, separator, field names, lines with too many or too few fields),
the amounts, dates and financial year (:mod:`._fec_values`), the checks of the norm on every
line and every entry (:mod:`._fec_checks`); this module puts them together (header names,
blank and repeated lines, analytic codes) and builds the :class:`~.ledger.Ledger`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ColumnError, DataError, FileError, FormatError, closest
from .._format import format_number
from ._books import map_analytic, problem_frame, problem_table
from ._fec_checks import duplicate_entries, entry_checks, field_checks
from ._fec_text import (
    CANON,
    HEAD_BYTES,
    SEP_LABELS,
    EmptyCells,
    arrow_shape,
    blank_rows,
    canonical,
    decode,
    detect_separator,
    has_arrow,
    is_empty,
    read_arrow,
    read_fields,
    rstrip_values,
    spaces_at_separators,
)
from ._fec_values import DATE_COLUMNS, convert_amounts, exercise
from .ledger import FEC_COLUMNS, Ledger

__all__ = ["read_fec"]

_ANALYTIC_NAMES = {"analytique", "codeanalytique", "code_analytique", "axeanalytique", "projet"}


def _read_one_fec(path: Path, year: int | None, analytic: str | Mapping[str, str] | None) -> Ledger:
    try:
        return _read_fec_file(path, year, analytic, whole=False)
    except UnicodeDecodeError:  # UTF-8 at first but not further: the encoding checked on all
        return _read_fec_file(path, year, analytic, whole=True)


def _note(
    problems: list[pd.DataFrame | None],
    message: str,
    *,
    line: int = 1,
    column: str = "",
    value: str = "",
    severity: str = "alerte",
) -> None:
    """Record one problem (of the file, on the header's line, unless ``line`` is given)."""
    problems.append(
        pd.DataFrame(
            {
                "ligne": [line],
                "colonne": [column],
                "valeur": [value],
                "message": [message],
                "gravité": [severity],
            }
        )
    )


def _load(path: Path, whole: bool, head: bool = False) -> tuple[bytes, str, int, list[str], bool]:
    """The bytes of the file, their encoding, the first byte of the text, the encoding's
    notes, and whether the line ends were changed (old Mac ``\\r``); a missing, empty or
    non-text file raises a French error.

    ``head=True``: only the first :data:`HEAD_BYTES` of a bigger file are read, when they are
    UTF-8 with ``\\n`` line ends (Arrow then reads the file itself); otherwise all of it.
    """
    if not path.exists():
        near = closest(path.name, [p.name for p in path.parent.glob("*")])
        hint = f"vouliez-vous dire « {near[0]} » ?" if near else "vérifiez le nom et le dossier."
        raise FileError("le fichier FEC est introuvable.", path=path, hint=hint)
    if head and path.is_file() and path.stat().st_size > HEAD_BYTES:
        with path.open("rb") as handle:
            raw = handle.read(HEAD_BYTES)
        raw = raw[: raw.rfind(b"\n") + 1]  # whole lines: no character cut at the end
        workbook = raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))
        if raw and not workbook and re.search(rb"\S", raw) is not None:
            codec, text_start, notes = decode(raw, path, whole=False)
            if codec == "utf-8" and not notes:
                return raw, codec, text_start, notes, False
    raw = path.read_bytes()
    if re.search(rb"\S", raw) is None:
        raise FormatError("le fichier FEC est vide.", path=path, hint="réexportez le FEC.")
    converted = b"\n" not in raw and b"\r" in raw.rstrip(b"\r")
    if converted:  # old Mac line ends (CR only)
        raw = raw.replace(b"\r", b"\n")
    codec, text_start, notes = decode(raw, path, whole)
    return raw, codec, text_start, notes, converted


def _field_names(
    raw_names: list[str], path: Path, problems: list[pd.DataFrame | None]
) -> tuple[list[str], list[str], bool]:
    """``(names, required, montant_sens)``: the header's names under their official spelling
    (a variant is reported), the mandatory fields (``Montant``/``Sens`` in place of
    ``Debit``/``Credit`` in that variant), checked present and in the regulatory order."""
    names: list[str] = []
    for raw_name in raw_names:
        canon = CANON.get(canonical(raw_name))
        if canon is None or canon in names:
            names.append(raw_name)
            continue
        if canon != raw_name:
            _note(
                problems,
                f"le champ « {raw_name} » devrait s'écrire « {canon} » (nom officiel du FEC).",
                column=raw_name,
                value=raw_name,
            )
        names.append(canon)
    montant_sens = "Montant" in names and "Sens" in names and "Debit" not in names
    required = [c for c in FEC_COLUMNS if not (montant_sens and c in {"Debit", "Credit"})]
    if montant_sens:
        required += ["Montant", "Sens"]
    missing = [c for c in required if c not in names]
    if missing:
        shown = ", ".join(f"« {c} »" for c in missing)
        raise ColumnError(
            f"il manque {len(missing)} champ(s) obligatoire(s) du FEC : {shown}.",
            path=path,
            line=1,
            hint="un FEC a 18 champs (JournalCode … Idevise), ou Montant et Sens à la place de "
            "Debit et Credit ; réexportez le FEC complet depuis le logiciel comptable.",
        )
    order = [c for c in names if c in required]
    expected = [
        c for c in [*FEC_COLUMNS[:11], "Montant", "Sens", *FEC_COLUMNS[11:]] if c in required
    ]
    if order != expected:
        _note(
            problems,
            "les champs ne sont pas dans l'ordre réglementaire (JournalCode, JournalLib, "
            "EcritureNum, … Idevise) : lus quand même, d'après leur nom.",
        )
    return names, required, montant_sens


def _period_checks(
    out: dict[str, Any],
    df: pd.DataFrame,
    lines: pd.Series,
    year: int,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> list[pd.DataFrame | None]:
    """Entry dates outside the financial year; validation dates before the entry date."""
    dates, valid = out["EcritureDate"], out["ValidDate"]
    return [
        problem_frame(
            dates.notna() & ((dates < start) | (dates > end)),
            lines,
            "EcritureDate",
            df["EcritureDate"],
            f"date en dehors de l'exercice {year} (du {start:%d/%m/%Y} au {end:%d/%m/%Y}).",
            "alerte",
        ),
        problem_frame(
            valid.notna() & dates.notna() & (valid < dates),
            lines,
            "ValidDate",
            df["ValidDate"],
            "la date de validation précède la date de l'écriture.",
            "alerte",
        ),
    ]


def _entries(
    df: pd.DataFrame,
    out: dict[str, Any],
    accounts: pd.Series,
    lines: pd.Series,
    path: Path,
    year: int,
    analytic: str | Mapping[str, str] | None,
) -> pd.DataFrame:
    """The ledger's entries: the 18 fields (amounts and dates converted), ``ligne``,
    ``fichier``, ``exercice``, ``analytique``, then the file's other columns; text as ``str``."""
    columns = {col: out[col] if col in out else df[col] for col in FEC_COLUMNS}
    columns["CompteNum"] = accounts
    columns["ligne"] = pd.Series(lines.to_numpy(), index=df.index)
    columns["fichier"] = _repeated(path.name, df.index)
    columns["exercice"] = pd.Series(np.full(len(df), int(year), dtype=np.int64), index=df.index)
    entries = pd.DataFrame(columns, index=df.index, copy=False)
    analytic_col = _analytic_codes(df, entries, analytic, path)
    for col in df.columns:
        if col not in FEC_COLUMNS and col != analytic_col and col not in entries.columns:
            entries[col] = df[col]
    if _TEXT.storage == "pyarrow":  # text in Arrow-backed ``str``, whichever path read it
        for col in entries.columns:
            if entries[col].dtype == object:
                entries[col] = _arrow_text(entries[col])
    return entries


def _read_fec_file(
    path: Path, year: int | None, analytic: str | Mapping[str, str] | None, whole: bool
) -> Ledger:
    arrow_reader = has_arrow()
    raw, codec, text_start, notes, converted = _load(path, whole, head=arrow_reader and not whole)
    newline = raw.find(b"\n")
    header = raw[text_start : newline if newline >= 0 else len(raw)].decode(codec).rstrip("\r")
    sep, sep_notes = detect_separator(header, path)
    notes += sep_notes
    quoted = header.lstrip().startswith('"')
    raw_names = [n.strip().strip('"') for n in header.split(sep)]
    trailing = 0  # exports that end every line with a separator
    while raw_names and raw_names[-1] == "":
        raw_names.pop()
        trailing += 1
    problems: list[pd.DataFrame | None] = []

    def file_note(message: str, column: str = "", value: str = "", severity: str = "alerte"):
        _note(problems, message, column=column, value=value, severity=severity)

    for note in notes:
        file_note(note)
    names, required, montant_sens = _field_names(raw_names, path, problems)
    amount_cols = ["Montant"] if montant_sens else ["Debit", "Credit"]
    start = newline + 1 if newline >= 0 else len(raw)
    arrow = None
    if arrow_reader and codec == "utf-8" and not (quoted or trailing or converted):
        raw = b""  # Arrow reads the file itself: its bytes are not held meanwhile
        arrow = read_arrow(path, start, sep, names, amount_cols)
    padded = header_again = False
    if arrow is not None:
        df, shape, fast = arrow, arrow_shape(arrow), True
    else:  # not a conforming FEC: pandas reads all the bytes, and each deviation is reported
        if len(raw) < path.stat().st_size:  # only the head was read, or none
            raw = _load(path, whole)[0]
        padded = spaces_at_separators(raw, start, sep)  # one scan of the bytes
        # the header's first name in the body: it may be repeated there (checked below)
        header_again = raw.find(raw_names[0].encode(codec, "replace"), start) >= 0
        df, shape, fast = read_fields(
            raw,
            start,
            lambda: raw[start:].decode(codec),
            sep,
            codec,
            len(names) + trailing,
            len(names),
            [names.index(c) for c in amount_cols],
        )
    short_lines = shape.short
    if (
        short_lines
        and len(short_lines) == shape.nonblank
        and {k for _, k in short_lines} == {len(names) - 1}
        and any(n not in required for n in names)
    ):
        # one field too many on the header: every line has one less; the extra name is the
        # last one that is not a field of the FEC
        extra_name = [n for n in names if n not in required][-1]
        names = [n for n in names if n != extra_name]
        df = df.iloc[:, : len(names)]
        df.columns = range(len(names))
        trailing, short_lines = 0, []
        file_note(
            f"l'en-tête a {len(names) + 1} champs mais chaque ligne en a {len(names)} : le "
            f"champ « {extra_name} » de l'en-tête n'a pas de valeurs (ignoré) ; les autres "
            "champs sont lus dans l'ordre de l'en-tête.",
            column=extra_name,
            value=extra_name,
        )
    if shape.trailing_lines and not trailing:
        file_note(
            f"{format_number(shape.trailing_lines, 0)} ligne(s) se terminent par "
            f"{SEP_LABELS.get(sep, 'un séparateur')} de trop (pas l'en-tête) : champ vide "
            "ignoré."
        )
    if trailing:
        extra = df.columns[len(names) :]
        if all(is_empty(df[c]).all() for c in extra):
            df = df.drop(columns=extra)
        else:  # values after the last named field: keep them under a visible name
            names += [f"colonne_{len(names) + i + 1}" for i in range(trailing)]
    df.columns = names
    raw = b""  # the bytes are read: free them before the checks
    if padded:
        # fixed-width exports pad the fields with spaces: strip them, once per distinct value
        for col in df.columns:
            if not pd.api.types.is_numeric_dtype(df[col]):
                df[col] = rstrip_values(df[col])
    lines = pd.Series(np.arange(2, len(df) + 2), index=df.index)
    blank = blank_rows(df)  # a line is blank when all its fields are empty
    # the header repeated inside the file (two exports put end to end): reported, not an entry
    repeated = np.zeros(len(df), dtype=bool)
    if header_again:
        repeated = ((df.iloc[:, 0] == raw_names[0]) & (df.iloc[:, 1] == raw_names[1])).to_numpy()
    if repeated.any():
        for line_no in lines[repeated]:
            _note(
                problems,
                "l'en-tête est répété sur cette ligne (deux FEC mis bout à bout ?) : ligne "
                "ignorée, les écritures qui suivent sont lues.",
                line=int(line_no),
            )
        blank = blank | repeated
    if blank.any():
        df, lines = df.loc[~blank], lines.loc[~blank]
        df = df.reset_index(drop=True)
        lines = lines.reset_index(drop=True)
    empty = EmptyCells(df)
    if df.empty:
        raise FormatError(
            "le FEC ne contient aucune écriture : seulement la ligne d'en-tête.",
            path=path,
            hint="réexportez le FEC en choisissant l'exercice et tous les journaux.",
        )
    for line_no, n_fields in shape.long:
        _note(
            problems,
            f"cette ligne a {n_fields} champs alors que l'en-tête en a {len(names)} "
            "(valeurs recalées, à vérifier).",
            line=line_no,
            severity="erreur",
        )
    for line_no, n_fields in short_lines:
        _note(
            problems,
            f"cette ligne a {n_fields} champs alors que l'en-tête en a {len(names)} : les "
            "champs manquants sont laissés vides (valeurs peut-être décalées, à vérifier).",
            line=line_no,
            severity="erreur",
        )
    if quoted:  # some exports put every field between double quotes
        for col in df.columns:
            if not pd.api.types.is_numeric_dtype(df[col]):
                stripped = df[col].fillna("").str.strip().str.strip('"')
                empty[col] = stripped == ""
                df[col] = stripped.mask(empty[col]) if col in DATE_COLUMNS else stripped

    out, amount_problems = convert_amounts(
        df, amount_cols, fast=fast, montant_sens=montant_sens, lines=lines
    )
    problems.extend(amount_problems)
    accounts, field_problems = field_checks(df, empty, lines, out)
    problems.extend(field_problems)
    # year
    year, start, end, year_note = exercise(path, year, out["EcritureDate"])
    if year_note:
        file_note(year_note, column="EcritureDate")
    problems.extend(_period_checks(out, df, lines, year, start, end))
    entries = _entries(df, out, accounts, lines, path, year, analytic)
    # entries: checked per (JournalCode, EcritureNum), since software may number per journal
    problems.extend(entry_checks(entries, lines))
    problems.extend(duplicate_entries(entries))
    prob = problem_table(problems, path.name)
    return Ledger(entries=entries, problems=prob, sources=(str(path),))


#: pandas' default text dtype (``str``: Arrow-backed when pyarrow is installed)
_TEXT = pd.StringDtype(na_value=np.nan)


def _arrow_text(values: pd.Series) -> pd.Series:
    """A column of Python strings as an Arrow-backed ``str`` column (``None``: missing).

    Built by Arrow from the strings in one pass: about twice as fast as ``astype("str")``,
    which checks every value first (the C parser gives only strings).
    """
    import pyarrow as pa

    arrow = pa.array(values.to_numpy(), type=pa.large_string(), from_pandas=True)
    return pd.Series(pd.array(pa.chunked_array([arrow]), dtype=_TEXT), index=values.index)


def _repeated(text: str, index: pd.Index) -> pd.Series:
    """A text column holding ``text`` on every line, without a million-element list of Python
    references to check: in Arrow, the offsets and bytes of the repeated text written at once;
    in Python strings, the one value taken on every line."""
    if _TEXT.storage == "pyarrow":
        import pyarrow as pa

        data = text.encode("utf-8")
        offsets = np.arange(len(index) + 1, dtype=np.int64) * len(data)
        arrow = pa.LargeStringArray.from_buffers(
            len(index), pa.py_buffer(offsets), pa.py_buffer(data * len(index))
        )
        return pd.Series(pd.array(pa.chunked_array([arrow]), dtype=_TEXT), index=index)
    one = pd.array([text], dtype=_TEXT)
    return pd.Series(one.take(np.zeros(len(index), dtype=np.intp)), index=index)


def _analytic_codes(
    df: pd.DataFrame, entries: pd.DataFrame, analytic: str | Mapping[str, str] | None, path: Path
) -> str | None:
    """Fill ``entries["analytique"]`` from the ``analytic`` option (a column of the file, a
    mapping, or the column named like « Analytique » by default); return the column used."""
    analytic_col = None
    if isinstance(analytic, str):
        if analytic not in df.columns:
            extra = [c for c in df.columns if c not in FEC_COLUMNS]
            raise ColumnError(
                f"la colonne analytique « {analytic} » n'existe pas dans le FEC.",
                path=path,
                hint=(
                    "colonnes supplémentaires du fichier : " + ", ".join(f"« {c} »" for c in extra)
                    if extra
                    else "le fichier n'a que les champs du FEC : donnez plutôt une "
                    "correspondance compte → code, analytic={'6061': 'fonctionnement', …}."
                ),
            )
        analytic_col = analytic
    elif analytic is None:
        for col in df.columns:
            if canonical(col) in _ANALYTIC_NAMES:
                analytic_col = col
                break
    if analytic_col is not None:
        entries["analytique"] = df[analytic_col].str.strip()
    else:
        entries["analytique"] = _repeated("", entries.index)
    if isinstance(analytic, Mapping):
        entries["analytique"] = map_analytic(entries, analytic)
    return analytic_col


def _fec_files(folder: Path) -> list[Path]:
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and "fec" in p.name.casefold() and p.suffix.lower() in {".txt", ".csv", ""}
    )
    if not files:
        raise FileError(
            "ce dossier ne contient aucun fichier FEC (nom contenant « FEC », extension .txt ou "
            ".csv).",
            path=folder,
            hint="donnez le chemin du fichier FEC lui-même, ou une liste de chemins.",
        )
    return files


def read_fec(
    path: str | PathLike[str] | Sequence[str | PathLike[str]],
    *,
    year: int | None = None,
    analytic: str | Mapping[str, str] | None = None,
) -> Ledger:
    """Read one or several FEC files (*fichiers des écritures comptables*) into a :class:`Ledger`.

    Accepts what accounting software exports (reference ``finance.md`` §2.2–2.5): 18 fields
    separated by a tab or ``|`` (``;`` is read but reported; ``,`` is refused, as it collides
    with the decimal comma of the amounts), UTF-8 (with or without BOM) or
    ISO-8859-15 (Windows-1252 read but reported), decimal comma (a decimal point is reported but
    read), dates ``AAAAMMJJ``, ``Debit``/``Credit`` or the ``Montant``/``Sens`` variant, field
    names matched case-insensitively (``MontantDevise`` is reported).

    **No line is dropped.** Each line is checked and deviations go to ``ledger.problems`` (the
    shared problems table: ``fichier``, ``ligne``, ``colonne``, ``valeur``, ``gravité``,
    ``message``) with their line number (header = 1): invalid dates or amounts, dates out of
    range (``30240105``, ``99991231``), amounts with a decimal point or a thousands separator,
    empty mandatory fields, accounts unknown to the plan comptable associatif, lines with both
    a debit and a credit (or neither), dates outside the financial year, validation before
    posting, lines with too many or too few fields (a separator ending every data line, or a
    header with one field too many, is read and reported once), the header repeated inside the
    file, entries pasted twice, and entries whose debits differ from their credits. An entry
    is identified by ``(JournalCode, EcritureNum)``: a number reused by two journals is two
    entries. Fields padded with spaces (fixed-width exports) are stripped; a field of spaces
    is empty.

    Parameters
    ----------
    path
        A FEC file; a list of FEC files (one per financial year); or a folder, whose files with
        « FEC » in their name are all read.
    year
        Financial year of a single file (the year of its closing date). By default taken from
        the file name ``SirenFECAAAAMMJJ`` (the closing date) unless most entries are dated in
        another year (then the entries' year is taken, with an alert), else the most frequent
        year of ``EcritureDate``.
    analytic
        Analytic code of each line: the name of an extra column of the file (a column named
        ``Analytique``, ``CodeAnalytique`` or ``Projet`` is used by default), or a mapping
        ``{prefix or label fragment: code}``: keys made of digits match account prefixes
        (longest wins), other keys match inside ``EcritureLib`` (case-insensitive), e.g.
        ``{"6411": "jeunesse", "séjour": "jeunesse"}``.

    Returns
    -------
    Ledger
        See :mod:`movsc_toolkit.finance.ledger` for the contract of ``entries`` and
        ``problems``.

    Raises
    ------
    FileError, EncodingError, FormatError, ColumnError
        When a file is missing, in another encoding (UTF-16…), a spreadsheet or a ZIP archive
        instead of a text file, without a FEC header (wrong separator, comma separator, not a
        FEC) or missing mandatory fields. The message names the file.

    Examples
    --------
    A folder of FEC files, one per financial year:

    >>> from movsc_toolkit import datasets
    >>> from movsc_toolkit.finance import read_fec
    >>> ledger = read_fec(datasets.path("cas_dependance_financeur"))
    >>> ledger.years, ledger.is_valid
    ([2023, 2024], True)
    >>> first = ledger.entries.iloc[0]
    >>> first["JournalCode"], first["CompteNum"], float(first["Credit"]), int(first["ligne"])
    ('AN', '102', 20000.0, 2)

    A FEC with a thousands separator on line 3 and an impossible date on line 4: both lines
    are kept, and each deviation is reported with its line.

    >>> import pathlib, tempfile
    >>> source = datasets.path("cas_dependance_financeur") / "999000002FEC20241231.txt"
    >>> lines = source.read_text(encoding="utf-8").splitlines()
    >>> lines[2] = lines[2].replace("93000,00", "93.000,00")
    >>> lines[3] = lines[3].replace("20240101", "20241301", 1)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / source.name
    >>> _ = path.write_text("\\n".join(lines) + "\\n", encoding="utf-8")
    >>> ledger = read_fec(path)
    >>> len(ledger.entries), ledger.is_valid
    (273, False)
    >>> ledger.problems[["ligne", "colonne", "valeur", "gravité"]].values.tolist()
    [[3, 'Credit', '93.000,00', 'alerte'], [4, 'EcritureDate', '20241301', 'erreur']]

    References
    ----------
    Livre des procédures fiscales, article A47 A-1 (content and format of the FEC: the 18
    fields, separators, encodings, amounts and dates), commented in BOI-CF-IOR-60-40-20; the
    checks follow those of the DGFiP's *Test Compta Demat* (dates out of the period, balanced
    entries). Tests: ``tests/finance/test_ledger.py`` (every kind of problem on its line,
    hand-computed totals, hostile files) and ``tests/finance/test_real.py`` (real exports of
    open-source accounting software, totals checked against ``pandas.read_csv`` and the counts
    published by the software's own tests).
    """
    if isinstance(path, str | PathLike):
        p = Path(path)
        if p.is_dir():
            files = _fec_files(p)
            if year is not None and len(files) > 1:
                raise DataError(
                    "year= ne s'utilise qu'avec un seul fichier.",
                    path=p,
                    hint="laissez le nom de chaque FEC donner son exercice.",
                )
            return Ledger.concat([_read_one_fec(f, year, analytic) for f in files])
        return _read_one_fec(p, year, analytic)
    paths = [Path(p) for p in path]
    if not paths:
        raise FileError(
            "aucun fichier FEC donné.", hint="donnez un chemin ou une liste de chemins."
        )
    if year is not None and len(paths) > 1:
        raise DataError(
            "year= ne s'utilise qu'avec un seul fichier.",
            hint="laissez le nom de chaque FEC donner son exercice, ou lisez-les un par un puis "
            "combinez-les avec Ledger.concat([...]).",
        )
    return Ledger.concat([_read_one_fec(p, year, analytic) for p in paths])
