"""Reading FEC files (*fichiers des écritures comptables*) into a :class:`~.ledger.Ledger`.

A FEC (art. A47 A-1 of the Livre des procédures fiscales, reference ``finance.md`` §2) is the
export every French accounting software produces: one line per debit or credit, 18 fields
separated by a tab or ``|``, UTF-8 or ISO-8859-15, decimal comma, dates ``AAAAMMJJ``, the first
line giving the field names. :func:`read_fec` reads it **without dropping any line** and
reports every deviation from the norm in ``ledger.problems`` (the shared problems table).

The steps: decode and refuse what is not a text FEC (:func:`_decode`), find the separator and
the field names (:func:`_detect_separator`, :data:`_CANON`), split the fields and check the
shape of every line (:func:`_read_fields`), convert amounts and dates (:func:`_parse_amounts`,
:func:`_fec_dates`), find the financial year (:func:`_exercise`), then check the entries
(:func:`_entry_checks`, :func:`_duplicate_entries`).
"""

from __future__ import annotations

import calendar
import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ColumnError, DataError, EncodingError, FileError, FormatError, closest
from .._format import format_number
from ._amounts import read_amounts
from .accounts import account_info
from .ledger import (
    FEC_COLUMNS,
    Ledger,
    _map_analytic,
    _problem_frame,
    _problem_table,
)

__all__ = ["read_fec"]

_DATE_COLUMNS = ["EcritureDate", "PieceDate", "DateLet", "ValidDate"]
_MANDATORY = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "ValidDate",
]
_ANALYTIC_NAMES = {"analytique", "codeanalytique", "code_analytique", "axeanalytique", "projet"}
_FEC_NAME = re.compile(r"FEC(\d{8})", re.IGNORECASE)
_SEP_LABELS = {  # with their article, for « le séparateur est … »
    "\t": "la tabulation",
    "|": "la barre verticale « | »",
    ";": "le point-virgule",
    ",": "la virgule",
}


# --------------------------------------------------------------------------------------------


def _parse_amounts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse amounts with the shared parser (:func:`._amounts.read_amounts`).

    Returns ``(numbers, status)``: ``numbers`` as float (0 for empty or unreadable values) and
    ``status`` as text: ``""`` (conforming or empty), ``"point"`` (decimal point, value read),
    ``"milliers"`` (thousands separator, value read), ``"symbole"`` (a currency sign or
    parentheses, value read) or ``"illisible"`` (counted as 0). The sign may be on the right
    (``123,45-``), as the FEC norm allows.
    """
    text = values.astype(object).where(values.notna(), "")
    amounts, status = read_amounts(text)
    status = status.where(~status.isin(["vide", "ok"]), "")
    read = status.isin(["", "point", "milliers"]) & (text != "")
    if read.any():
        symbol = text[read].astype(str).str.contains(r"[€$()]|EUR", case=False, regex=True)
        status[symbol[symbol].index] = "symbole"
    return amounts.fillna(0.0).astype("float64"), status


def _refuse_workbook(raw: bytes, path: Path) -> None:
    """Raise a clear error when the "FEC" is a spreadsheet or a ZIP archive (not a text file)."""
    if raw.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: an old Excel .xls workbook
        kind = "un classeur Excel (.xls)"
    elif raw.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                members = archive.namelist()
                mimetype = archive.read("mimetype") if "mimetype" in members else b""
        except (zipfile.BadZipFile, KeyError, OSError):
            members, mimetype = [], b""
        if any(m.startswith("xl/") for m in members):
            kind = "un classeur Excel (.xlsx)"
        elif b"opendocument.spreadsheet" in mimetype:
            kind = "un classeur LibreOffice Calc (.ods)"
        else:
            raise FormatError(
                "ce fichier est une archive ZIP, pas un FEC : un FEC est un fichier texte "
                "(.txt) dont les champs sont séparés par la tabulation ou « | ».",
                path=path,
                hint="décompressez l'archive, puis lisez le fichier FEC qu'elle contient.",
            )
    else:
        return
    raise FormatError(
        f"ce fichier est {kind}, pas un FEC : un FEC est un fichier texte (.txt) dont les "
        "champs sont séparés par la tabulation ou « | ».",
        path=path,
        hint="exportez le FEC depuis le logiciel comptable (« export FEC » ou « fichier des "
        "écritures comptables ») ; pour une balance tenue dans un tableur, utilisez "
        "read_balance().",
    )


_CHUNK = 1 << 24  # bytes decoded at a time when checking the encoding


def _first_error(raw: bytes, codec: str, start: int = 0) -> int | None:
    """Position of the first byte of ``raw[start:]`` that ``codec`` cannot decode, or ``None``.

    Decoded chunk by chunk and thrown away: the text of a big FEC is never held whole (the C
    parser reads the bytes).
    """
    if codec == "utf-8" and raw.isascii():
        return None
    view = memoryview(raw)
    pos = start
    while pos < len(raw):
        chunk = view[pos : pos + _CHUNK]
        final = pos + _CHUNK >= len(raw)
        try:
            if codec == "utf-8":  # a sequence cut by the chunk's end is read with the next
                pos += codecs.utf_8_decode(chunk, "strict", final)[1]
            else:  # one byte, one character
                pos += codecs.lookup(codec).decode(chunk, "strict")[1]
        except UnicodeDecodeError as exc:
            return pos + exc.start
    return None


_PREFIX = 1 << 20  # bytes checked first: a file whose first MB is UTF-8 is read as UTF-8


def _decode(raw: bytes, path: Path, whole: bool = True) -> tuple[str, int, list[str]]:
    """``(codec, first byte of the text, notes)``: the encoding, checked on the whole file.

    ``whole=False``: when the first megabyte is UTF-8, UTF-8 is returned without checking the
    rest; the C parser decodes every field strictly and raises ``UnicodeDecodeError`` on a bad
    byte, and the caller then checks again with ``whole=True`` (one pass over the bytes saved
    on the files that are UTF-8, nearly all of them).
    """
    notes: list[str] = []
    _refuse_workbook(raw, path)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:2000]:
        raise EncodingError(
            "le FEC est encodé en UTF-16 (ou n'est pas un fichier texte) ; la norme exige "
            "UTF-8 ou ISO-8859-15.",
            path=path,
            hint="réexportez le FEC depuis le logiciel comptable en UTF-8, ou ouvrez-le dans un "
            "éditeur de texte et enregistrez-le en UTF-8.",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        if _first_error(raw, "utf-8", 3) is not None:
            raw[3:].decode("utf-8", errors="strict")  # raises, as it always did
        return "utf-8", 3, notes
    if not whole and len(raw) > _PREFIX:
        try:
            codecs.utf_8_decode(memoryview(raw)[:_PREFIX], "strict", False)
            return "utf-8", 0, notes
        except UnicodeDecodeError:
            pass
    if _first_error(raw, "utf-8") is None:
        return "utf-8", 0, notes
    if any(0x80 <= b <= 0x9F for b in raw[:1_000_000]):
        bad = _first_error(raw, "cp1252")
        if bad is not None:
            line = raw.count(b"\n", 0, bad) + 1
            raise EncodingError(
                "l'encodage du FEC n'est ni UTF-8 ni ISO-8859-15 (octet "
                f"{raw[bad : bad + 1]!r} illisible).",
                path=path,
                line=line,
                hint="réexportez le FEC en UTF-8 ou en ISO-8859-15.",
            ) from None
        notes.append(
            "le fichier est encodé en Windows-1252 : la norme exige UTF-8 ou ISO-8859-15 "
            "(lu quand même)."
        )
        return "cp1252", 0, notes
    return "iso-8859-15", 0, notes


def _canonical(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


_CANON = {_canonical(c): c for c in [*FEC_COLUMNS, "Montant", "Sens"]}


def _detect_separator(header: str, path: Path) -> tuple[str, list[str]]:
    notes: list[str] = []
    counts = {sep: header.count(sep) for sep in ["\t", "|", ";", ","]}
    for sep in ["\t", "|"]:
        names = [_canonical(n.strip().strip('"')) for n in header.split(sep)]
        if counts[sep] >= 10 and sum(n in _CANON for n in names) >= 10:
            return sep, notes
    for sep in [";", ","]:
        names = [_canonical(n.strip().strip('"')) for n in header.split(sep)]
        if counts[sep] >= 10 and sum(n in _CANON for n in names) >= 10:
            if sep == ",":
                # the decimal comma of the amounts (25,00) would split them in two and shift
                # every following column: refuse rather than read wrong numbers
                raise FormatError(
                    "les champs de ce FEC sont séparés par des virgules : la norme exige la "
                    "tabulation ou « | », car la virgule y est le séparateur décimal des "
                    "montants (25,00), ce qui décalerait les colonnes.",
                    path=path,
                    line=1,
                    hint="réexportez le FEC depuis le logiciel comptable avec la tabulation ou "
                    "« | » comme séparateur (sans le rouvrir ni l'enregistrer dans Excel).",
                )
            notes.append(
                f"le séparateur est {_SEP_LABELS[sep]} : la norme exige la tabulation ou "
                "« | » (lu quand même)."
            )
            return sep, notes
    found = max(counts, key=lambda s: counts[s])
    found_text = (
        f"le séparateur le plus fréquent de la première ligne est {_SEP_LABELS[found]}"
        if counts[found]
        else "la première ligne ne contient aucun séparateur connu"
    )
    raise FormatError(
        "ce fichier n'a pas l'en-tête d'un FEC (JournalCode, JournalLib, EcritureNum… séparés "
        f"par des tabulations ou des « | ») : {found_text}.",
        path=path,
        line=1,
        hint="vérifiez qu'il s'agit bien du FEC exporté par le logiciel comptable (première "
        "ligne = noms des 18 champs) ; pour une balance ou un tableau Excel, utilisez "
        "read_balance().",
    )


@dataclass
class _Shape:
    """How the lines of the body fit the header: what :func:`_read_fields` found per line."""

    long: list[tuple[int, int]] = field(default_factory=list)  # (line, fields): values beyond
    short: list[tuple[int, int]] = field(default_factory=list)  # (line, fields): too few
    trailing_lines: int = 0  # lines ending with empty fields beyond the header's
    nonblank: int = 0


_NON_SPACE = re.compile(rb"\S")


def _blank(values: pd.Series) -> np.ndarray:
    """Empty cells of a column read by :func:`_read_fields`: ``""`` in text, NaN in amounts."""
    if values.dtype == object:
        return (values.to_numpy() == "").astype(bool, copy=False)
    return values.isna().to_numpy()


class _Empty(dict):
    """Empty cells of each column of ``df``, computed on first use (one pass per column)."""

    def __init__(self, df: pd.DataFrame) -> None:
        super().__init__()
        self._df = df

    def __missing__(self, column: str) -> np.ndarray:
        self[column] = mask = _blank(self._df[column])
        return mask


def _read_fields(
    raw: bytes,
    start: int,
    body_text: Callable[[], str],
    sep: str,
    encoding: str,
    width: int,
    named: int,
    amount_idx: list[int],
) -> tuple[pd.DataFrame, _Shape, bool]:
    """Split the body (the bytes of ``raw`` from ``start``, after the header) into ``width``
    columns; an empty text cell is ``""``, an empty amount (fast path) NaN.

    ``width`` counts the header's fields, ``named`` those with a name (a header may end with
    a separator). Leading spaces of a field are skipped, so a field of spaces (fixed-width
    exports) is empty.

    Fast path: the C parser reads the bytes in place (no copy of the body, no decoded text)
    and the amount columns directly as floats with a decimal comma, with one spare column to
    catch a field too many. The shape of every line is then checked by counting the
    separators of the whole body (one ``bytes.count``): when the count is not that of lines
    all alike, the body is split again line by line in Python, which gives each line's number
    of fields. If one amount does not conform, every column is read as text (``fast`` is
    False) and the amounts are parsed by :func:`_parse_amounts`.
    """
    shape = _Shape()
    if _NON_SPACE.search(raw, start) is None:
        return pd.DataFrame({i: pd.Series(dtype=object) for i in range(width)}), shape, False
    options = dict(
        sep=sep,
        header=None,
        names=range(width + 1),
        index_col=False,
        quoting=csv.QUOTE_NONE,
        skip_blank_lines=False,
        skipinitialspace=True,
        engine="c",
        encoding=encoding,
        keep_default_na=False,
    )
    handle = io.BytesIO(raw)  # shares the bytes: read from ``start`` without a copy
    df = None
    fast = False
    with warnings.catch_warnings():
        # a line with a field too many beyond the spare column is caught by the count below
        warnings.simplefilter("ignore", pd.errors.ParserWarning)
        dtypes: dict[int, Any] = {i: object for i in range(width + 1)}
        try:
            dtypes.update({i: "float64" for i in amount_idx})
            handle.seek(start)
            df = pd.read_csv(
                handle,
                dtype=dtypes,
                decimal=",",
                na_values={i: [""] for i in amount_idx},  # empty amounts only: NaN
                **options,
            )
            fast = True
        except ValueError:
            try:  # a non-conforming amount (or a ragged line): read everything as text
                handle.seek(start)
                df = pd.read_csv(handle, dtype=object, na_filter=False, **options)
            except pd.errors.ParserError:
                df = None
    if df is not None:
        first_empty = _blank(df[0])
        n_blank = 0
        if first_empty.any():
            rows = np.flatnonzero(first_empty)
            sub = df.iloc[rows]
            n_blank = int(np.logical_and.reduce([_blank(sub[c]) for c in sub.columns]).sum())
        n = len(df) - n_blank
        seps = raw.count(sep.encode("ascii"), start)
        alike = [k for k in range(named - 1, width + 1) if seps == k * n]
        if alike and _blank(df[width]).all():
            shape.nonblank = n
            if alike[0] == width and width == named:
                shape.trailing_lines = n
            return df.drop(columns=[width]), shape, fast
    # the slow path: each line split in Python, its number of fields known
    rows_ = []
    lines = body_text().split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    for i, line in enumerate(lines):
        parts = line.rstrip("\r").split(sep)
        k = len(parts)
        if not line.strip():
            rows_.append([""] * width)
            continue
        shape.nonblank += 1
        if k > width:
            if all(not x.strip() for x in parts[width:]):
                parts = parts[:width]
                shape.trailing_lines += 1
            else:
                shape.long.append((i + 2, k))
                parts = [*parts[: width - 1], sep.join(parts[width - 1 :])]
        elif k < named:
            shape.short.append((i + 2, k))
        rows_.append(parts + [""] * (width - len(parts)))
    out = pd.DataFrame(rows_, columns=range(width), dtype=object)
    for col in out.columns:
        stripped = out[col].str.lstrip()
        out[col] = stripped.where(stripped.str.strip() != "", "")
    return out, shape, False


def _rstrip(values: pd.Series) -> pd.Series:
    """Trailing spaces removed (a field of spaces becomes empty), once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    stripped = pd.Series(np.asarray(uniques, dtype=object), dtype=object).str.rstrip()
    table = np.append(stripped.to_numpy(dtype=object), np.array([""], dtype=object))
    return pd.Series(table[codes], index=values.index, dtype=object, copy=False)


def _fec_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, np.ndarray]:
    """Parse a FEC date column (``AAAAMMJJ``) once per distinct value.

    Returns ``(dates, invalid, out_of_range, empty)``: ``datetime64[ns]`` (NaT where empty,
    invalid or out of range), the non-empty cells that are not a real ``AAAAMMJJ`` date, the
    real dates whose year is outside 1900–2099 (``30240105``, ``99991231``: DGFiP's Test Compta
    Demat calls them « en dehors de la période »; pandas could not even hold most of them), and
    the empty cells (``""`` or missing).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str).str.strip()
    digits = text.str.fullmatch(r"\d{8}")
    years = pd.to_numeric(text.str[:4].where(digits), errors="coerce")
    in_period = digits & years.between(1900, 2099)
    parsed = pd.to_datetime(text.where(in_period), format="%Y%m%d", errors="coerce")
    out_of_range = np.zeros(len(text), dtype=bool)
    for i in np.flatnonzero((digits & ~in_period).to_numpy()):
        y, m, d = int(text.iloc[i][:4]), int(text.iloc[i][4:6]), int(text.iloc[i][6:])
        out_of_range[i] = 1 <= m <= 12 and 1 <= d <= calendar.monthrange(max(y, 1), m)[1]
    invalid = parsed.isna().to_numpy() & ~out_of_range & (text != "").to_numpy()
    stamps = np.append(parsed.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
    index = values.index
    empty = np.append(np.asarray(uniques, dtype=object) == "", True)[codes]
    return (
        pd.Series(stamps[codes], index=index, dtype="datetime64[ns]", copy=False),
        pd.Series(np.append(invalid, False)[codes], index=index, copy=False),
        pd.Series(np.append(out_of_range, False)[codes], index=index, copy=False),
        empty,
    )


def _amount_text(debit: pd.Series, credit: pd.Series, mask: pd.Series) -> pd.Series:
    out = pd.Series("", index=debit.index, dtype=object)
    if mask.any():
        d = debit[mask].map(lambda x: f"{x:.2f}".replace(".", ","))
        c = credit[mask].map(lambda x: f"{x:.2f}".replace(".", ","))
        out[mask] = d + " / " + c
    return out


def _exercise(
    path: Path, year: int | None, dates: pd.Series
) -> tuple[int, pd.Timestamp, pd.Timestamp, str | None]:
    """The financial year of one FEC: ``(year, first day, closing day, note)``.

    ``year`` given by the user wins. Otherwise the closing date of the file name
    ``SirenFECAAAAMMJJ`` is used, unless most entry dates fall outside the year it closes: the
    year is then the one of the entries (with the same closing day), and ``note`` says so.
    Without a dated file name, the most frequent year of the entries.
    """
    match = _FEC_NAME.search(path.name)
    closing = pd.to_datetime(match.group(1), format="%Y%m%d", errors="coerce") if match else None
    if closing is not None and pd.isna(closing):
        closing = None

    def window(y: int, close: pd.Timestamp | None) -> tuple[pd.Timestamp, pd.Timestamp]:
        if close is None:
            return pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31)
        return close - pd.DateOffset(years=1) + pd.Timedelta(days=1), close

    if year is not None:
        if closing is not None and closing.year != int(year):
            closing = None
        return (int(year), *window(int(year), closing), None)
    valid = dates.dropna()
    if closing is None:
        if valid.empty:
            raise DataError(
                "impossible de déterminer l'exercice : aucune date d'écriture lisible et le nom "
                "du fichier ne suit pas la forme SirenFECAAAAMMJJ.",
                path=path,
                hint="indiquez l'exercice : read_fec(chemin, year=2024).",
            )
        y = int(valid.dt.year.mode().iloc[0])
        return (y, *window(y, None), None)
    start, end = window(closing.year, closing)
    if valid.empty or ((valid >= start) & (valid <= end)).mean() >= 0.5:
        return (int(closing.year), start, end, None)
    # most entries belong to another year: the year of each date, for this closing day
    after = valid.dt.month * 100 + valid.dt.day > closing.month * 100 + closing.day
    years = valid.dt.year + after.astype(int)
    y = int(years.mode().iloc[0])
    day = min(closing.day, calendar.monthrange(y, closing.month)[1])
    new_closing = pd.Timestamp(y, closing.month, day)
    share = round(100 * float((years == y).mean()))
    note = (
        f"le nom du fichier annonce l'exercice clos le {closing:%d/%m/%Y}, mais {share} % des "
        f"écritures sont datées de l'exercice clos le {new_closing:%d/%m/%Y} : exercice {y} "
        "retenu d'après les dates (corrigez le nom du fichier, ou indiquez "
        f"read_fec(chemin, year={y}))."
    )
    return (y, *window(y, new_closing), note)


def _read_one_fec(path: Path, year: int | None, analytic: str | Mapping[str, str] | None) -> Ledger:
    try:
        return _read_fec_file(path, year, analytic, whole=False)
    except UnicodeDecodeError:  # UTF-8 at first but not further: the encoding checked on all
        return _read_fec_file(path, year, analytic, whole=True)


def _read_fec_file(
    path: Path, year: int | None, analytic: str | Mapping[str, str] | None, whole: bool
) -> Ledger:
    if not path.exists():
        near = closest(path.name, [p.name for p in path.parent.glob("*")])
        hint = f"vouliez-vous dire « {near[0]} » ?" if near else "vérifiez le nom et le dossier."
        raise FileError("le fichier FEC est introuvable.", path=path, hint=hint)
    raw = path.read_bytes()
    if re.search(rb"\S", raw) is None:
        raise FormatError("le fichier FEC est vide.", path=path, hint="réexportez le FEC.")
    if b"\n" not in raw and b"\r" in raw.rstrip(b"\r"):  # old Mac line ends (CR only)
        raw = raw.replace(b"\r", b"\n")
    codec, text_start, notes = _decode(raw, path, whole)
    newline = raw.find(b"\n")
    header = raw[text_start : newline if newline >= 0 else len(raw)].decode(codec).rstrip("\r")
    sep, sep_notes = _detect_separator(header, path)
    notes += sep_notes
    quoted = header.lstrip().startswith('"')
    raw_names = [n.strip().strip('"') for n in header.split(sep)]
    trailing = 0  # exports that end every line with a separator
    while raw_names and raw_names[-1] == "":
        raw_names.pop()
        trailing += 1
    names: list[str] = []
    problems: list[pd.DataFrame] = []

    def file_note(message: str, column: str = "", value: str = "", severity: str = "alerte"):
        problems.append(
            pd.DataFrame(
                {
                    "ligne": [1],
                    "colonne": [column],
                    "valeur": [value],
                    "message": [message],
                    "gravité": [severity],
                }
            )
        )

    for note in notes:
        file_note(note)
    for raw_name in raw_names:
        canon = _CANON.get(_canonical(raw_name))
        if canon is None or canon in names:
            names.append(raw_name)
            continue
        if canon != raw_name:
            file_note(
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
        file_note(
            "les champs ne sont pas dans l'ordre réglementaire (JournalCode, JournalLib, "
            "EcritureNum, … Idevise) : lus quand même, d'après leur nom."
        )
    amount_cols = ["Montant"] if montant_sens else ["Debit", "Credit"]
    start = newline + 1 if newline >= 0 else len(raw)
    padded = raw.find(b" " + sep.encode("ascii"), start) >= 0  # one scan of the bytes
    # the header's first name in the body: it may be repeated there (checked below)
    header_again = raw.find(raw_names[0].encode(codec, "replace"), start) >= 0
    df, shape, fast = _read_fields(
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
            f"{_SEP_LABELS.get(sep, 'un séparateur')} de trop (pas l'en-tête) : champ vide "
            "ignoré."
        )
    if trailing:
        extra = df.columns[len(names) :]
        if all(_blank(df[c]).all() for c in extra):
            df = df.drop(columns=extra)
        else:  # values after the last named field: keep them under a visible name
            names += [f"colonne_{len(names) + i + 1}" for i in range(trailing)]
    df.columns = names
    raw = b""  # the bytes are read: free them before the checks
    if padded:
        # fixed-width exports pad the fields with spaces: strip them, once per distinct value
        for col in df.columns:
            if df[col].dtype == object:
                df[col] = _rstrip(df[col])
    lines = pd.Series(np.arange(2, len(df) + 2), index=df.index)
    blank = _blank(df.iloc[:, 0])
    if blank.any():  # a line is blank when its first field and all the others are empty
        rows = np.flatnonzero(blank)
        sub = df.iloc[rows]
        blank[rows] = np.logical_and.reduce([_blank(sub[c]) for c in sub.columns])
    # the header repeated inside the file (two exports put end to end): reported, not an entry
    repeated = np.zeros(len(df), dtype=bool)
    if header_again:
        repeated = ((df.iloc[:, 0] == raw_names[0]) & (df.iloc[:, 1] == raw_names[1])).to_numpy()
    if repeated.any():
        for line_no in lines[repeated]:
            file_note(
                "l'en-tête est répété sur cette ligne (deux FEC mis bout à bout ?) : ligne "
                "ignorée, les écritures qui suivent sont lues."
            )
            problems[-1]["ligne"] = int(line_no)
        blank = blank | repeated
    if blank.any():
        df, lines = df.loc[~blank], lines.loc[~blank]
        df = df.reset_index(drop=True)
        lines = lines.reset_index(drop=True)
    empty = _Empty(df)
    if df.empty:
        raise FormatError(
            "le FEC ne contient aucune écriture : seulement la ligne d'en-tête.",
            path=path,
            hint="réexportez le FEC en choisissant l'exercice et tous les journaux.",
        )
    for line_no, n_fields in shape.long:
        file_note(
            f"cette ligne a {n_fields} champs alors que l'en-tête en a {len(names)} "
            "(valeurs recalées, à vérifier).",
            severity="erreur",
        )
        problems[-1]["ligne"] = line_no
    for line_no, n_fields in short_lines:
        file_note(
            f"cette ligne a {n_fields} champs alors que l'en-tête en a {len(names)} : les "
            "champs manquants sont laissés vides (valeurs peut-être décalées, à vérifier).",
            severity="erreur",
        )
        problems[-1]["ligne"] = line_no
    if quoted:  # some exports put every field between double quotes
        for col in df.columns:
            if df[col].dtype == object:
                stripped = df[col].fillna("").str.strip().str.strip('"')
                empty[col] = stripped == ""
                df[col] = stripped.mask(empty[col]) if col in _DATE_COLUMNS else stripped

    out, amount_problems = _convert_amounts(
        df, amount_cols, fast=fast, montant_sens=montant_sens, lines=lines
    )
    problems.extend(amount_problems)
    accounts, field_problems = _field_checks(df, empty, lines, out)
    problems.extend(field_problems)
    # year
    year, start, end, year_note = _exercise(path, year, out["EcritureDate"])
    if year_note:
        file_note(year_note, column="EcritureDate")
    dates = out["EcritureDate"]
    problems.append(
        _problem_frame(
            dates.notna() & ((dates < start) | (dates > end)),
            lines,
            "EcritureDate",
            df["EcritureDate"],
            f"date en dehors de l'exercice {year} (du {start:%d/%m/%Y} au {end:%d/%m/%Y}).",
            "alerte",
        )
    )
    valid = out["ValidDate"]
    problems.append(
        _problem_frame(
            valid.notna() & dates.notna() & (valid < dates),
            lines,
            "ValidDate",
            df["ValidDate"],
            "la date de validation précède la date de l'écriture.",
            "alerte",
        )
    )

    entries = pd.DataFrame(index=df.index)
    for col in FEC_COLUMNS:
        entries[col] = out[col] if col in out else df[col]
    entries["CompteNum"] = accounts
    entries["ligne"] = lines.to_numpy()
    entries["fichier"] = path.name
    entries["exercice"] = int(year)
    analytic_col = _analytic_codes(df, entries, analytic, path)
    for col in df.columns:
        if col not in FEC_COLUMNS and col != analytic_col and col not in entries.columns:
            entries[col] = df[col]
    # entries: checked per (JournalCode, EcritureNum), since software may number per journal
    problems.extend(_entry_checks(entries, lines))
    problems.extend(_duplicate_entries(entries))
    prob = _problem_table(problems, path.name)
    return Ledger(entries=entries, problems=prob, sources=(str(path),))


def _field_checks(
    df: pd.DataFrame, empty: _Empty, lines: pd.Series, out: dict[str, Any]
) -> tuple[pd.Series, list[pd.DataFrame | None]]:
    """Dates (into ``out``), mandatory fields and account numbers of every line; returns the
    accounts (stripped) and the problems."""
    problems: list[pd.DataFrame | None] = []
    # dates
    for col in _DATE_COLUMNS:
        s = df[col]
        parsed, invalid, out_of_range, blank = _fec_dates(s)
        if col not in empty:  # not already known (the quoted fields' path)
            empty[col] = blank
        problems.append(
            _problem_frame(
                invalid,
                lines,
                col,
                s,
                "date invalide : le FEC attend une date réelle au format AAAAMMJJ (ex. 20241231).",
                "erreur",
            )
        )
        problems.append(
            _problem_frame(
                out_of_range,
                lines,
                col,
                s,
                "date hors de la période admise (années 1900 à 2099) : faute de frappe dans "
                "l'année ? Date non lue.",
                "erreur",
            )
        )
        out[col] = parsed
    # mandatory text fields
    for col in _MANDATORY:
        problems.append(
            _problem_frame(
                empty[col],
                lines,
                col,
                "",
                f"champ obligatoire « {col} » vide.",
                "erreur",
            )
        )
    # accounts
    accounts = df["CompteNum"].astype(str)
    unique = pd.unique(accounts)
    stripped = {u: u.strip() for u in unique if u != u.strip()}
    if stripped:
        accounts = accounts.replace(stripped)
        unique = pd.unique(accounts)
    info = account_info(unique)
    unknown = set(info.loc[~info["Connu"], "Compte"]) - {""}
    problems.append(
        _problem_frame(
            accounts.isin(unknown) if unknown else np.zeros(len(accounts), dtype=bool),
            lines,
            "CompteNum",
            accounts,
            "compte inconnu du plan comptable associatif (ANC 2018-06) : les trois premiers "
            "caractères doivent être des chiffres d'un compte du plan.",
            "alerte",
        )
    )
    return accounts, problems


def _convert_amounts(
    df: pd.DataFrame,
    amount_cols: list[str],
    *,
    fast: bool,
    montant_sens: bool,
    lines: pd.Series,
) -> tuple[dict[str, Any], list[pd.DataFrame | None]]:
    """Debit and Credit of every line (from Debit/Credit or Montant/Sens), with the problems
    of the amounts: decimal point, thousands separator, unreadable, invalid Sens, a line with
    both a debit and a credit or with neither."""
    problems: list[pd.DataFrame | None] = []
    out: dict[str, Any] = {}
    statuses: dict[str, pd.Series | None] = {}
    amounts: dict[str, pd.Series] = {}
    for col in amount_cols:
        if fast:
            amounts[col] = df[col].fillna(0.0).astype("float64")
            statuses[col] = None
        else:
            amounts[col], statuses[col] = _parse_amounts(df[col])
    if montant_sens:
        amount = amounts["Montant"]
        sens = df["Sens"].astype(str).str.strip().str.upper()
        debit_side = sens.isin(["D", "+1", "1"])
        credit_side = sens.isin(["C", "-1"])
        bad_sens = ~(debit_side | credit_side)
        problems.append(
            _problem_frame(
                bad_sens,
                lines,
                "Sens",
                df["Sens"],
                "sens invalide : attendu D ou C (ou +1 / -1) ; montant ignoré.",
                "erreur",
            )
        )
        out["Debit"] = amount.where(debit_side, 0.0)
        out["Credit"] = amount.where(credit_side, 0.0)
    else:
        out["Debit"], out["Credit"] = amounts["Debit"], amounts["Credit"]
    amount_checks = [(c, df[c], statuses[c]) for c in amount_cols if statuses[c] is not None]
    for column, values, status in amount_checks:
        problems.append(
            _problem_frame(
                status == "point",
                lines,
                column,
                values,
                "le montant utilise un point décimal : le FEC exige une virgule (valeur lue "
                "quand même).",
                "alerte",
            )
        )
        problems.append(
            _problem_frame(
                status == "milliers",
                lines,
                column,
                values,
                "le montant contient un séparateur de milliers, interdit dans un FEC (valeur "
                "lue quand même).",
                "alerte",
            )
        )
        problems.append(
            _problem_frame(
                status == "symbole",
                lines,
                column,
                values,
                "le montant contient un symbole (€, parenthèses…) : un FEC n'admet que des "
                "chiffres, la virgule décimale et un signe (valeur lue quand même).",
                "alerte",
            )
        )
        problems.append(
            _problem_frame(
                status == "illisible",
                lines,
                column,
                values,
                "montant illisible, compté pour 0 : corrigez-le dans le logiciel comptable.",
                "erreur",
            )
        )
    debit, credit = out["Debit"], out["Credit"]
    both = (debit != 0) & (credit != 0)
    neither = (debit == 0) & (credit == 0)
    # a line already reported for an unreadable amount (or an invalid Sens) is not reported
    # a second time as a line without amount
    for status in statuses.values():
        if status is not None:
            neither &= status != "illisible"
    if montant_sens:
        neither &= ~bad_sens
    problems.append(
        _problem_frame(
            both,
            lines,
            "Debit",
            _amount_text(debit, credit, both),
            "la ligne a à la fois un débit et un crédit : une ligne de FEC porte l'un ou l'autre.",
            "alerte",
        )
    )
    problems.append(
        _problem_frame(
            neither,
            lines,
            "Montant" if montant_sens else "Debit",
            amounts["Montant"].map(lambda x: f"{x:.2f}".replace(".", ","))
            if montant_sens
            else _amount_text(debit, credit, neither),
            "ligne sans montant (montant nul ou vide)."
            if montant_sens
            else "ligne sans montant (débit et crédit nuls ou vides).",
            "alerte",
        )
    )
    return out, problems


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
            if _canonical(col) in _ANALYTIC_NAMES:
                analytic_col = col
                break
    if analytic_col is not None:
        entries["analytique"] = df[analytic_col].str.strip().to_numpy()
    else:
        entries["analytique"] = ""
    if isinstance(analytic, Mapping):
        entries["analytique"] = _map_analytic(entries, analytic)
    return analytic_col


def _entry_checks(entries: pd.DataFrame, lines: pd.Series) -> list[pd.DataFrame | None]:
    """Balance, one date and one journal per entry.

    An entry is identified by ``(JournalCode, EcritureNum)``: software that numbers entries
    per journal (Paheko's option, many others) reuses a number in each journal, and two such
    entries are never merged. A number whose lines span two journals and balance only
    together is one entry written in two journals: reported as such (alerte), not as two
    unbalanced entries.

    Fast path: the lines of an entry are usually contiguous; if every contiguous block is
    balanced, every entry is. Otherwise the entries are grouped to name the unbalanced ones.
    """
    problems: list[pd.DataFrame | None] = []
    numbers = entries["EcritureNum"].to_numpy()
    journals = entries["JournalCode"].to_numpy()
    net_values = (entries["Debit"] - entries["Credit"]).to_numpy()
    if len(numbers) == 0:
        return problems
    same_num = numbers[1:] == numbers[:-1]  # a line continues the number of the line above
    same = same_num & (journals[1:] == journals[:-1])
    starts = np.flatnonzero(np.r_[True, ~same])
    block_gap = np.add.reduceat(net_values, starts)
    if len(numbers) > 1:  # one date per entry (checked on adjacent lines)
        values = entries["EcritureDate"].to_numpy()
        differs = np.r_[False, same & (values[1:] != values[:-1])]
        differs &= entries["EcritureDate"].notna().to_numpy() & np.r_[True, ~pd.isna(values[:-1])]
        problems.append(
            _problem_frame(
                differs,
                lines,
                "EcritureDate",
                entries["EcritureDate"],
                "cette ligne de l'écriture n'a pas la même date que la précédente : une "
                "écriture porte une seule date.",
                "alerte",
            )
        )
    if not (np.abs(np.round(block_gap, 2)) >= 0.01).any():
        return problems
    keys = entries[["JournalCode", "EcritureNum"]]
    net = pd.Series(net_values, index=entries.index)
    gap = net.groupby([keys["JournalCode"], keys["EcritureNum"]], sort=False).sum().round(2)
    bad = gap[gap.abs() >= 0.01]
    if bad.empty:
        return problems
    first_line = lines.groupby([keys["JournalCode"], keys["EcritureNum"]], sort=False).min()
    bad_nums = bad.index.get_level_values(1)
    # numbers spread over several journals that balance only all together: one entry
    spread = pd.Series(bad_nums).value_counts()
    spread = spread[spread > 1].index
    merged_ok = set()
    if len(spread):
        merged = net[keys["EcritureNum"].isin(spread)].groupby(keys["EcritureNum"]).sum()
        merged_ok = set(merged[merged.round(2).abs() < 0.01].index)
    cross = [k for k in bad.index if k[1] in merged_ok]
    if cross:
        first_journal = {}
        for k in sorted(cross, key=lambda k: first_line[k]):
            first_journal.setdefault(k[1], k)
        later = [k for k in cross if first_journal[k[1]] != k]
        problems.append(
            pd.DataFrame(
                {
                    "ligne": [first_line[k] for k in later],
                    "colonne": "JournalCode",
                    "valeur": [str(k[0]) for k in later],
                    "message": [
                        f"cette ligne de l'écriture « {k[1]} » n'a pas le même journal que la "
                        f"précédente ({first_journal[k[1]][0]}) : une écriture porte un seul "
                        "journal."
                        for k in later
                    ],
                    "gravité": "alerte",
                }
            )
        )
    unbalanced = [k for k in bad.index if k[1] not in merged_ok]
    if unbalanced:
        reused = set(
            keys.loc[keys["EcritureNum"].isin([k[1] for k in unbalanced])]
            .groupby("EcritureNum")["JournalCode"]
            .nunique()
            .pipe(lambda s: s[s > 1].index)
        )
        problems.append(
            pd.DataFrame(
                {
                    "ligne": [first_line[k] for k in unbalanced],
                    "colonne": "EcritureNum",
                    "valeur": [str(k[1]) for k in unbalanced],
                    "message": [
                        f"écriture « {k[1]} »"
                        + (f" du journal {k[0]}" if k[1] in reused else "")
                        + f" déséquilibrée : débit − crédit = {format_number(bad[k])} € (le "
                        "total des débits doit égaler celui des crédits)."
                        for k in unbalanced
                    ],
                    "gravité": "erreur",
                }
            )
        )
    return problems


def _duplicate_entries(entries: pd.DataFrame) -> list[pd.DataFrame | None]:
    """Entries whose lines all appear twice (the same lines pasted twice), as alerts.

    Candidates are found on numbers only (amounts and date, one hash per line, cheap on a
    million lines); only candidate lines are then compared on every FEC field. A line repeated
    inside an entry that is otherwise unique (two identical purchases) is not reported.
    """
    n = len(entries)
    if n < 2:
        return []
    with np.errstate(all="ignore"):  # absurd amounts (1e308) only make a worse hash
        debit = np.nan_to_num(np.round(entries["Debit"].to_numpy() * 100)).astype("int64")
        credit = np.nan_to_num(np.round(entries["Credit"].to_numpy() * 100)).astype("int64")
        day = entries["EcritureDate"].to_numpy().astype("datetime64[D]").astype("int64")
        h = (debit * np.int64(1_000_003) + credit) * np.int64(1_000_033) + day
    cand = pd.Series(h).duplicated(keep=False).to_numpy()
    if not cand.any():
        return []
    fields = [c for c in FEC_COLUMNS if c in entries.columns]
    sub = entries.loc[cand, fields].astype(str)
    dup = sub.duplicated(keep=False)
    if not dup.any():
        return []
    sub = sub[dup]
    keys = sub[["JournalCode", "EcritureNum"]].drop_duplicates()
    full = entries[["JournalCode", "EcritureNum", "ligne"]]
    full = full[full["EcritureNum"].isin(set(keys["EcritureNum"]))]
    size = full.groupby(["JournalCode", "EcritureNum"], sort=False).size()
    found = sub.groupby(["JournalCode", "EcritureNum"], sort=False)
    rows = []
    for key, part in found:
        if len(part) != size.get(key, -1) or len(part) % 2:
            continue  # some lines of the entry are not repeated: not a pasted copy
        second = part.duplicated(keep="first").to_numpy()
        if second.sum() * 2 != len(part):
            continue
        line_no = entries.loc[part.index, "ligne"].to_numpy()
        copy, orig = line_no[second], line_no[~second]
        rows.append(
            {
                "ligne": int(copy.min()),
                "colonne": "EcritureNum",
                "valeur": str(key[1]),
                "message": f"l'écriture « {key[1]} » (journal {key[0]}) est en double : "
                f"{_line_span(copy)} répète{'nt' if len(copy) > 1 else ''} "
                f"{_line_span(orig)} (lignes collées deux fois ?) ; ses montants sont comptés "
                "deux fois.",
                "gravité": "alerte",
            }
        )
    return [pd.DataFrame(rows)] if rows else []


def _line_span(line_numbers: np.ndarray) -> str:
    ordered = sorted(int(x) for x in line_numbers)
    if len(ordered) == 1:
        return f"la ligne {ordered[0]}"
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"les lignes {ordered[0]} à {ordered[-1]}"
    return "les lignes " + ", ".join(str(x) for x in ordered)


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
    >>> from movsc_toolkit.finance import read_fec
    >>> ledger = read_fec("123456789FEC20241231.txt")        # doctest: +SKIP
    >>> ledger.problems.head()                               # doctest: +SKIP
    >>> ledger.balance(2024)                                 # doctest: +SKIP
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


# --------------------------------------------------------------------------------------------
