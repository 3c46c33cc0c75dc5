"""Reading the files French users actually have.

:func:`read_table` reads CSV/TSV/TXT (encoding, separator and decimal comma detected), XLSX, XLS
and ODS files into a :class:`pandas.DataFrame`. :func:`read_text` decodes a text file with the same
encoding detection. Every failure raises a :class:`~movsc_toolkit._errors.MovscError` subclass whose
French message names the file, the line and the fix; no row is ever dropped silently.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import re
import warnings
import zipfile
from collections import Counter
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._errors import ColumnError, EncodingError, FileError, FormatError, MovscWarning
from ._limits import MAX_CELLS, MAX_ROWS, check_ods, check_xlsx
from ._parse import date_table, is_blank, missing_mask, number_table, to_date, to_number
from ._problems import ProblemLog, ProblemTable

_Problems = ProblemTable  # former name, kept for code that imported it

__all__ = ["detect_encoding", "read_table", "read_text"]

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".dat"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
SEPARATORS = [";", "\t", ",", "|"]
_SEP_NAMES = {";": "point-virgule", "\t": "tabulation", ",": "virgule", "|": "barre verticale"}

# A well-formed multi-byte UTF-8 sequence (an accented letter written by a UTF-8 program).
_C1_BYTES = bytes(range(0x80, 0xA0))
_LEADING_ZERO_AFTER_BREAK = re.compile(r"\n0\d")
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xef][\x80-\xbf]{2}"
    rb"|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _check_path(path: str | PathLike[str]) -> Path:
    p = Path(path)
    if not p.exists():
        parent = p.parent if str(p.parent) else Path(".")
        hint = (
            f"vérifiez le nom et le dossier du fichier (le dossier courant est « {Path.cwd()} »)."
        )
        if parent.is_dir():
            similar = [c.name for c in parent.iterdir() if c.suffix.lower() == p.suffix.lower()]
            from ._errors import closest

            near = closest(p.name, similar)
            if near:
                hint = f"vouliez-vous dire « {parent / near[0]} » ?"
        raise FileError("le fichier est introuvable.", path=p, hint=hint)
    if p.is_dir():
        raise FileError(
            "c'est un dossier, pas un fichier.", path=p, hint="donnez le chemin d'un fichier."
        )
    return p


def _line_of(raw: bytes, position: int) -> int:
    return raw.count(b"\n", 0, position) + 1


def detect_encoding(raw: bytes) -> str:
    """Guess the encoding of French text bytes.

    Returns one of ``"utf-8-sig"``, ``"utf-16"``, ``"utf-8"``, ``"cp1252"`` or
    ``"iso-8859-15"``. Windows-1252 and ISO-8859-15 differ mainly on the euro sign (0x80 vs
    0xA4) and on the C1 range 0x80–0x9F, which ISO-8859-15 leaves to control characters:
    bytes in that range mean Windows-1252; an ``0xA4`` byte without them means ISO-8859-15.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    has_c1 = len(raw.translate(None, _C1_BYTES)) != len(raw)
    if not has_c1 and b"\xa4" in raw:
        return "iso-8859-15"
    return "cp1252"


def _mixed_encoding_line(raw: bytes) -> int | None:
    """First line that is not UTF-8 in a file whose other lines hold UTF-8 accented letters.

    Such a file was assembled from two programs (a UTF-8 export completed in a Windows-1252
    editor…): decoding it with one encoding would garble the accents of the other lines.
    Returns ``None`` when the file is not UTF-8 at all (a plain Windows-1252 file).
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    lead = (data[:-1] >= 0xC2) & (data[:-1] <= 0xF4) & (data[1:] >= 0x80) & (data[1:] <= 0xBF)
    if not lead.any() or not _UTF8_SEQUENCE.search(raw):
        return None
    first_bad, utf8_accents = None, False
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            if first_bad is None:
                first_bad = number
            continue
        utf8_accents = utf8_accents or bool(_UTF8_SEQUENCE.search(line))
        if utf8_accents and first_bad is not None:
            return first_bad
    return None


def _decode(raw: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(
            "ce fichier ne contient pas du texte (c'est peut-être un classeur ou un fichier "
            "binaire renommé).",
            path=path,
            hint="ouvrez-le dans Excel ou Calc et enregistrez-le au format CSV ou XLSX.",
        )
    chosen = encoding or detect_encoding(raw)
    if encoding is None and chosen in {"cp1252", "iso-8859-15"}:
        line = _mixed_encoding_line(raw)
        if line is not None:
            raise EncodingError(
                "le fichier mélange deux encodages : certaines lignes sont en UTF-8, d'autres, "
                "comme celle-ci, en Windows-1252 ; lu d'un seul bloc, une partie des "
                "accents serait abîmée (« HÃ©lÃ¨ne » au lieu de « Hélène »).",
                path=path,
                line=line,
                hint="ouvrez le fichier dans un éditeur de texte (Bloc-notes, gedit), corrigez "
                "les accents des lignes abîmées, puis enregistrez-le en UTF-8 ; ou "
                "recopiez les lignes dans Excel ou Calc et enregistrez au format « CSV UTF-8 ».",
            )
    try:
        text = raw.decode(chosen)
    except UnicodeDecodeError as exc:
        if encoding is None and chosen == "cp1252":
            # bytes undefined in Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D): Latin-9 would
            # turn them into invisible control characters; they rather betray another encoding
            raise EncodingError(
                f"l'octet {raw[exc.start : exc.end]!r} ne correspond à aucun caractère en "
                "Windows-1252 ni en UTF-8 : le fichier vient sans doute d'un autre système "
                "(ancien logiciel DOS, Mac) ou il est endommagé.",
                path=path,
                line=_line_of(raw, exc.start),
                hint="ouvrez le fichier dans Excel ou Calc, vérifiez les accents et "
                "enregistrez-le en « CSV UTF-8 » ; s'il vient d'un logiciel DOS, essayez "
                "encoding='cp850' (ou encoding='mac_roman' pour un ancien Mac).",
            ) from None
        else:
            line = _line_of(raw, exc.start)
            raise EncodingError(
                f"les octets {raw[exc.start : exc.end]!r} ne sont pas lisibles avec "
                f"l'encodage « {chosen} ».",
                path=path,
                line=line,
                hint="laissez la détection automatique (n'indiquez pas encoding=) ou "
                "réenregistrez le fichier en « CSV UTF-8 » depuis Excel ou Calc.",
            ) from None
    except LookupError:
        raise EncodingError(
            f"l'encodage « {chosen} » est inconnu.",
            path=path,
            hint="utilisez par exemple encoding='utf-8' ou encoding='cp1252'.",
        ) from None
    return text, chosen


def read_text(path: str | PathLike[str], encoding: str | None = None) -> tuple[str, str]:
    """Read a text file and return ``(text, encoding)``, line ends normalised to ``\\n``.

    The encoding is detected as in :func:`detect_encoding` unless given.
    """
    p = _check_path(path)
    raw = p.read_bytes()
    text, chosen = _decode(raw, p, encoding)
    return text.replace("\r\n", "\n").replace("\r", "\n"), chosen


def _sniff_separator(text: str, path: Path) -> str:
    lines = [ln for ln in text.split("\n", 60)[:60] if ln.strip()]
    if not lines:
        raise FormatError(
            "le fichier est vide.", path=path, hint="vérifiez que vous avez choisi le bon fichier."
        )
    best, best_score = None, (-1.0, 0)
    for sep in SEPARATORS:
        counts = []
        for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=sep):
            counts.append(len(row) - 1)
        if not counts or counts[0] == 0:
            continue
        agree = sum(c == counts[0] for c in counts) / len(counts)
        score = (agree, counts[0])
        if score > best_score:
            best, best_score = sep, score
    if best is None:
        return ";"  # no separator in the header: a single column (whatever the data hold)
    return best


def _has_code_with_leading_zero(values: pd.Series | np.ndarray) -> bool:
    """A value like ``01000`` or ``0612…``: postcodes, phone and account numbers stay text."""
    if isinstance(values, pd.Series):
        values = pd.unique(values.to_numpy(dtype=object))
    if pd.api.types.infer_dtype(values, skipna=True) == "string":
        texts = values[pd.notna(values)].tolist()
    else:
        texts = [u for u in values if isinstance(u, str)]
    # "^0\d" on the lines of the joined text, written with a leading literal (fast scan)
    return _LEADING_ZERO_AFTER_BREAK.search("\n" + "\n".join(texts)) is not None


def _cells_of(mask_u: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Positions of the cells whose distinct value is flagged in ``mask_u``."""
    return np.flatnonzero(np.append(mask_u, False)[keys])


def _report_cells(
    log: ProblemLog,
    where: np.ndarray,
    uniques: np.ndarray,
    keys: np.ndarray,
    lines: np.ndarray,
    column: str,
    gravité: str,
    message: str,
) -> None:
    if where.size:
        log.add_many(
            gravité,
            message,
            ligne=lines[where],
            colonne=column,
            valeur=[str(uniques[k]) for k in keys[where]],
        )


_AMBIGUOUS = (
    "séparateur ambigu : ce nombre peut se lire avec un point décimal ou un point des "
    "milliers, et la colonne ne permet pas de trancher ; il est lu avec un point décimal "
    "(1.250 = 1,25). Si c'est un point des milliers, corrigez le fichier (1250 ou 1 250)."
)
_OUT_OF_RANGE = (
    "date hors des limites prises en charge (années 1678 à 2261) : la case est laissée vide. "
    "Vérifiez l'année (une faute de frappe comme 3024 pour 2024 ?)."
)
_NOT_A_NUMBER = "valeur non numérique dans une colonne de nombres : la colonne est gardée en texte"


def _factorize(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    keys, uniques = pd.factorize(s.to_numpy(dtype=object), use_na_sentinel=True)
    return keys, np.asarray(uniques, dtype=object)


_PROBE = 1000  # leading cells looked at to tell a column of (almost) all distinct values


def _factorize_text(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(keys, values)`` of a column of strings (no missing value), factorized when useful.

    A column whose first cells are almost all different (comments, amounts, identifiers)
    gains nothing from a hash table of its values: each cell is then its own "distinct
    value" (keys ``0..n−1``, values = the cells, duplicates allowed). Every later step
    works per value and gives the same result either way; the first 200 distinct values,
    the sample that decides a column's type, are the same too (they are among the first
    1000 cells when 800 of these differ).
    """
    n = len(values)
    if n > 4 * _PROBE and len(set(values[:_PROBE].tolist())) >= 0.8 * _PROBE:
        return np.arange(n, dtype=np.intp), values
    keys, uniques = pd.factorize(values, use_na_sentinel=True)
    return keys, np.asarray(uniques, dtype=object)


def _convert_column(
    s: pd.Series,
    keys: np.ndarray,
    uniques: np.ndarray,
    column: str,
    numbers: bool,
    dates: bool,
    lines: np.ndarray,
    log: ProblemLog,
) -> tuple[pd.Series, list[tuple[int, str]]]:
    """One text column, converted once per distinct value (``uniques`` all occur in it).

    Returns the column (converted or as it was) and the cells of an almost-number column.
    """
    present = pd.notna(uniques)
    if not present.any():
        return s, []
    sample = pd.unique(uniques[present][: 25 * _PROBE])[:200]  # the first distinct values
    n = len(sample)
    n_num = int((~number_table(sample, symbols=False)[1]).sum()) if numbers else 0
    n_date = 0
    if dates and n_num < n:
        n_date = int((~date_table(sample, compact=False)[1]).sum())
    if numbers and n_num:
        if _has_code_with_leading_zero(uniques[present]):
            return s, []
        values, bad, ambiguous, _status, _pct = number_table(uniques, symbols=False)
        bad &= present
        if not bad.any():
            where = _cells_of(ambiguous, keys)
            _report_cells(log, where, uniques, keys, lines, column, "alerte", _AMBIGUOUS)
            cells = pd.Series(np.append(values, np.nan)[keys], index=s.index, dtype="float64")
            whole = bool(np.all(np.mod(values[present], 1) == 0))
            texts = uniques[present]
            if pd.api.types.infer_dtype(texts, skipna=False) == "string":
                joined = "".join(texts.tolist())
                decimals = "." in joined or "," in joined
            else:
                decimals = any(
                    isinstance(u, float | np.floating)
                    or (isinstance(u, str) and ("." in u or "," in u))
                    for u in texts
                )
            if whole and not decimals and not ambiguous.any():
                return cells.astype("Int64"), []
            return cells, []
        # a few placeholders ("NC", "-") among numbers: kept as text, reported
        odd = pd.unique(uniques[bad])
        counts = np.bincount(keys[keys >= 0], minlength=len(uniques))
        n_numbers = int(counts[present & ~bad].sum())
        n_present = int(counts[present].sum())
        if len(odd) <= 5 and n_numbers >= 2 and 2 * n_numbers > n_present and n_present >= 3:
            where = _cells_of(bad, keys)
            _report_cells(log, where, uniques, keys, lines, column, "alerte", _NOT_A_NUMBER)
            return s, [(int(lines[i]), str(uniques[keys[i]])) for i in where]
        return s, []
    if dates and n and n_date == n:
        stamps, bad, out_of_range = date_table(uniques, compact=False)
        if (bad & present).any() or not (present & ~out_of_range).any():
            return s, []
        where = _cells_of(out_of_range, keys)
        _report_cells(log, where, uniques, keys, lines, column, "erreur", _OUT_OF_RANGE)
        stamps = np.append(stamps, np.datetime64("NaT", "ns"))
        return pd.Series(stamps[keys], index=s.index, dtype="datetime64[ns]"), []
    return s, []


def _warn_almost_numbers(found: dict[str, list[tuple[int, str]]], path: Path) -> None:
    """One French warning naming each column, its non-numeric values and their lines."""
    parts, distinct = [], []
    for column, cells in found.items():
        shown = ", ".join(f"« {v} » ligne {line}" for line, v in cells[:5])
        more = f" et {len(cells) - 5} autre(s)" if len(cells) > 5 else ""
        parts.append(
            f"colonne « {column} » : {len(cells)} valeur(s) non numérique(s) ({shown}{more})"
        )
        distinct.extend(v for _, v in cells)
    values = list(dict.fromkeys(distinct))[:5]
    na = ", ".join(f'"{v}"' for v in values)
    warnings.warn(
        f"Fichier « {path} » : "
        + " ; ".join(parts)
        + ". Ces colonnes sont gardées en texte : leurs sommes, moyennes et graphiques ne "
        "marcheront pas.\nQue faire : si ces valeurs veulent dire « pas de donnée », lisez le "
        f"fichier avec na_values=[{na}] ; sinon corrigez-les dans le fichier (ou laissez la "
        'case vide). Liste complète : df.attrs["problems"].',
        MovscWarning,
        stacklevel=5,  # the caller of read_table
    )


_Factors = dict[object, tuple[np.ndarray, np.ndarray]]


_SPACE_AFTER_MARK = re.compile(r"\x00\s")  # starts with a literal: scanned at memchr speed


def _needs_strip(uniques: np.ndarray, text: bool = False) -> bool:
    """Whether some distinct value has spaces (or line breaks) at either end.

    ``text``: the values are known to be strings (no missing value), as the C parser gives.
    """
    if not text:
        if pd.api.types.infer_dtype(uniques, skipna=True) != "string":
            return True
        uniques = uniques[pd.notna(uniques)]
    joined = "\x00" + "\x00".join(uniques.tolist()) + "\x00"
    # a space after a mark starts a value; in the reversed text, one ends a value
    return bool(_SPACE_AFTER_MARK.search(joined) or _SPACE_AFTER_MARK.search(joined[::-1]))


def _clean_columns(
    df: pd.DataFrame, na_values: list[str] | None, text: bool = False
) -> tuple[dict[object, pd.Series], _Factors]:
    """Strip text cells; blank cells and declared codes become missing (the one rule).

    Done once per distinct value of each column; also returns, per text column, its
    ``(keys, cleaned distinct values)`` for the conversions that follow. ``text``: every
    cell is a string (the C parser's output, read without missing values), which spares
    the checks for other objects.
    """
    out = {}
    factors: _Factors = {}
    codes = list(na_values or ())
    for col in df.columns:
        s = df[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            if text:
                keys, uniques = _factorize_text(s.to_numpy(dtype=object))
            else:
                keys, uniques = _factorize(s)
            if _needs_strip(uniques, text):
                values = np.array(
                    [u.strip() if isinstance(u, str) else u for u in uniques], dtype=object
                )
            else:
                values = uniques.copy()
            missing = values == "" if text else pd.isna(values) | (values == "")
            if codes:
                missing |= missing_mask(pd.Series(values, dtype=object), codes).to_numpy()
            values[missing] = np.nan
            factors[col] = (keys, values)
            # all distinct (or see _factorize_text): keys 0..n−1, the values are the cells
            one_each = len(values) == len(keys)
            cells = values if one_each else np.append(values, np.nan)[keys]
            s = pd.Series(cells, index=s.index, dtype=object, copy=False)
        elif codes:
            s = s.mask(missing_mask(s, codes))
        out[col] = s
    return out, factors


def _clean_cells(df: pd.DataFrame, na_values: list[str] | None) -> tuple[pd.DataFrame, _Factors]:
    """:func:`_clean_columns` as a DataFrame."""
    out, factors = _clean_columns(df, na_values)
    return pd.DataFrame(out, index=df.index), factors


def _convert_columns(
    df: pd.DataFrame | dict[object, pd.Series],
    numbers: bool,
    dates: bool,
    lines: list[int],
    log: ProblemLog,
    path: Path,
    factors: _Factors | None = None,
) -> pd.DataFrame:
    """Convert number and date columns; report ambiguous, out-of-range and almost-numbers."""
    out = {}
    line_array = np.asarray(lines, dtype=np.int64)
    almost: dict[str, list[tuple[int, str]]] = {}
    factors = factors or {}
    if isinstance(df, dict):  # the columns of a table not built yet (no copy of the cells)
        index = next(iter(df.values())).index if df else pd.RangeIndex(0)
        items = list(df.items())
    else:
        index, items = df.index, list(df.items())
    for col, s in items:
        if s.dtype == object and (numbers or dates):
            keys, uniques = factors.get(col) or _factorize(s)
            s, found = _convert_column(s, keys, uniques, str(col), numbers, dates, line_array, log)
            if found:
                almost[str(col)] = found
        out[col] = s
    if almost:
        _warn_almost_numbers(almost, path)
    return pd.DataFrame(out, index=index)


def _attach_problems(df: pd.DataFrame, log: ProblemLog) -> None:
    if len(log):
        df.attrs["problems"] = log.frame()


_DATA_HEADER_HINT = (
    "si le fichier n'a pas de ligne d'en-tête, lisez-le avec header=False (les colonnes "
    "s'appelleront colonne_1, colonne_2…) ; si c'est bien l'en-tête, indiquez header=0 ; "
    "sinon ajoutez une première ligne avec le nom de chaque colonne."
)


def _is_year(value: object) -> bool:
    text = str(value).strip()
    return text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100


def _check_header_is_not_data(
    names: list[object], body: pd.DataFrame, path: Path, line: int
) -> None:
    """Refuse a first line that holds data rather than column names.

    The first line is data when every header cell is filled and is a number or a date, or
    when at least two header cells are numbers or dates in columns of the same type (column
    names that are years, such as ``2023``, are accepted).
    """
    header = pd.Series([None if is_blank(v) else v for v in names], dtype=object)
    filled = header.dropna()
    if filled.empty:
        return
    as_number = ~to_number(header, symbols=False).bad & header.notna()
    as_date = ~to_date(header, compact=False).bad & header.notna() & ~as_number
    typed = as_number | as_date
    years = header.map(lambda v: v is not None and _is_year(v))
    all_data = len(filled) == len(header) and bool(typed.all()) and not bool(years.all())
    matches = 0
    if not all_data and len(body):
        sample = body.head(50)
        for i, col in enumerate(sample.columns):
            if not typed.iloc[i] or years.iloc[i]:
                continue
            cells = sample[col].dropna()
            if cells.empty:
                continue
            if as_number.iloc[i]:
                ok = not to_number(cells, symbols=False).bad.any()
            else:
                ok = not to_date(cells, compact=False).bad.any()
            matches += ok
    if all_data or matches >= 2:
        shown = ", ".join(f"« {v} »" for v in filled.head(4))
        raise FormatError(
            f"la première ligne ressemble à des données ({shown}…) et non à des noms de "
            "colonnes : lue comme en-tête, elle serait perdue.",
            path=path,
            line=line,
            hint=_DATA_HEADER_HINT,
        )


def _header_mode(header: int | bool | None) -> tuple[int | None, bool]:
    """``(header row or None, check it)`` from the ``header`` argument."""
    if header is None or header is False:
        return None, False
    if header is True:
        return 0, True
    if isinstance(header, int) and header >= 0:
        return header, False
    raise TypeError(
        "header doit valoir True (première ligne = en-tête, vérifiée), False (pas d'en-tête) "
        "ou le numéro (à partir de 0) de la ligne d'en-tête."
    )


@contextlib.contextmanager
def gc_paused() -> Any:
    """Pause the cyclic garbage collector while millions of small objects are made (they hold
    no cycles; collecting would rescan them again and again); restored on exit, errors included."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _records_slow(text: str, sep: str, path: Path) -> list[tuple[int, list[str]]]:
    """Records with the line where each starts, one by one (locates a quoting error)."""
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text), delimiter=sep, strict=True)
    end = 0  # line where the previous record ended
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if not "".join(row).strip():
                continue  # blank line: no data to lose
            rows.append((start, row))
    except csv.Error as exc:
        problem = (
            "un guillemet ouvert n'est jamais refermé"
            if "end of data" in str(exc)
            else "un guillemet fermant est suivi d'autres caractères"
        )
        raise FormatError(
            f"le fichier est mal formé : {problem} (enregistrement commencé à cette ligne).",
            path=path,
            line=end + 1,
            hint="vérifiez les guillemets de cette ligne : une valeur qui contient le "
            "séparateur ou un guillemet doit être entourée de guillemets, et ses guillemets "
            'intérieurs doublés ("").',
        ) from None
    return rows


def _records(text: str, sep: str, path: Path) -> list[tuple[int, list[str]]]:
    """Non-blank records with the line where each starts (header = line 1).

    Parsed in one go by the C csv reader; the start lines come from the line count (no
    quotes) or from the parity of the quotes before each line (a line starts a record when
    the quotes before it are balanced), checked against the line breaks inside the values.
    Anything unexpected falls back to :func:`_records_slow`, which names the faulty line.
    """
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=sep, strict=True))
    except csv.Error:
        return _records_slow(text, sep, path)
    physical = text.split("\n")
    if physical and physical[-1] == "":
        physical.pop()
    if '"' not in text:
        if len(rows) != len(physical):
            return _records_slow(text, sep, path)
        starts: list[int] | range = range(1, len(rows) + 1)
    else:
        starts = []
        odd = 0
        for number, line in enumerate(physical, start=1):
            if not odd:
                starts.append(number)
            odd ^= line.count('"') & 1
        inner = "".join(["".join(r) for r in rows]).count("\n")
        if len(starts) != len(rows) or inner != len(physical) - len(rows):
            return _records_slow(text, sep, path)
    return [(n, r) for n, r in zip(starts, rows, strict=True) if "".join(r).strip()]


def _fields_per_line(
    text: str, sep: str, encoded: bytes | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Number of fields of each line and whether it is blank (only spaces and separators).

    Counted on the UTF-8 bytes with numpy (the separator and ASCII spaces are single bytes).
    A line holding only non-ASCII spaces (no-break spaces) counts as not blank here; its
    cells are all missing once stripped.
    """
    if encoded is None:
        encoded = text.encode("utf-8")
    data = np.frombuffer(encoded, np.uint8)
    if sep != "\n":
        # line breaks and separators in one scan; a separator's line = the breaks before it
        marks = np.flatnonzero((data == 10) | (data == ord(sep)))
        is_end = data[marks] == 10
        ends = marks[is_end]
        line_of = np.cumsum(is_end, dtype=np.int64)[~is_end]
    else:
        ends = np.flatnonzero(data == 10)
        line_of = np.searchsorted(ends, np.flatnonzero(data == ord(sep)))
    if len(data) and data[-1] != 10:
        ends = np.append(ends, len(data))
    n_lines = len(ends)
    nfields = np.bincount(line_of, minlength=n_lines)[:n_lines] + 1
    table = np.zeros(256, dtype=bool)
    table[[ord(sep), 13, 32, 9, 11, 12]] = True
    if sep != "\n" and n_lines:
        # each line with its line break: blank when every byte is a separator or a space; only
        # a line whose first byte is one of them can be
        table[10] = True
        starts = np.concatenate(([0], ends[:-1] + 1))
        maybe = np.flatnonzero(table[data[np.minimum(starts, len(data) - 1)]])
        blank = np.zeros(n_lines, dtype=bool)
        if len(maybe) > n_lines // 8:
            blank = np.logical_and.reduceat(table[data], starts)
        elif len(maybe):
            spaces = bytes(np.flatnonzero(table).tolist())
            blank[maybe] = [
                not encoded[a:b].translate(None, spaces)
                for a, b in zip(starts[maybe].tolist(), ends[maybe].tolist(), strict=True)
            ]
    else:
        empty = np.flatnonzero(table[data])
        n_empty = np.bincount(np.searchsorted(ends, empty), minlength=n_lines)[:n_lines]
        length = np.diff(np.concatenate(([-1], ends))) - 1  # bytes of each line, without "\n"
        blank = n_empty >= length
    return nfields.astype(np.int64), blank


def _blank_chars(sep: str) -> str:
    """The separator and the spaces: a line made only of them holds no value."""
    chars = sep + " \t\u00a0\u202f\u2009\x0b\x0c"
    # numpy 2.4's strip on StringDType drops as many characters from the end of the set as
    # it has extra UTF-8 bytes: pad with a repeated harmless character (no-op once fixed)
    return chars + sep * (len(chars.encode()) - len(chars))


def _parse_records(
    text: str, sep: str, path: Path, encoded: bytes | None = None
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """The non-blank records: ``(start lines, numbers of fields, frame of the fields)``.

    Without quotes, pandas' C parser reads the text (or ``encoded``, its UTF-8 bytes when
    already at hand; line ends may be CRLF then) and the fields of each line are counted by
    its separators (vectorised); with quotes, Python's csv reader does (see
    :func:`_records`). Short rows are padded with ``""`` in the frame: the numbers of
    fields tell them apart.
    """
    if '"' not in text and len(sep) == 1 and ord(sep) < 128:
        if encoded is None:
            encoded = text.encode("utf-8")
        nfields, blank = _fields_per_line(text, sep, encoded)
        keep = np.flatnonzero(~blank)
        width = int(nfields.max()) if len(nfields) else 1
        physical = nfields
        frame = pd.read_csv(
            io.BytesIO(encoded),
            encoding="utf-8",
            sep=sep,
            header=None,
            names=range(width),
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_NONE,
            engine="c",
        )
        if len(frame) == len(physical):
            if len(keep) < len(physical):
                frame = frame.iloc[keep].reset_index(drop=True)
            return keep + 1, nfields[keep].astype(np.int64), frame
    rows = _records(text.replace("\r\n", "\n").replace("\r", "\n"), sep, path)
    starts = np.fromiter((n for n, _ in rows), dtype=np.int64, count=len(rows))
    nfields = np.fromiter((len(r) for _, r in rows), dtype=np.int64, count=len(rows))
    width = int(nfields.max()) if len(rows) else 1
    padded = (r if len(r) == width else r + [""] * (width - len(r)) for _, r in rows)
    columns = list(zip(*padded, strict=True)) if rows else [()] * width
    frame = pd.DataFrame({i: np.array(c, dtype=object) for i, c in enumerate(columns)})
    return starts, nfields, frame


def _check_text_size(
    text: str, sep: str, path: Path, max_rows: int | None, max_cells: int | None
) -> None:
    """Refuse a text file with more lines (or cells) than the limits, before splitting it."""
    n_lines = text.count("\n") + 1
    first = text[: text.find("\n")] if "\n" in text else text
    n_cells = n_lines * (first.count(sep) + 1)
    for count, limit, unit, option in (
        (n_lines, max_rows, "lignes", "max_rows"),
        (n_cells, max_cells, "cases (lignes × colonnes)", "max_cells"),
    ):
        if limit is not None and count > limit:
            shown = f"{count:,}".replace(",", "\u202f")
            shown_limit = f"{limit:,}".replace(",", "\u202f")
            raise FileError(
                f"le fichier compte {shown} {unit}, au-delà de la limite de {shown_limit}.",
                path=path,
                hint=f"si vous avez vraiment besoin de tout le fichier, relevez la limite "
                f"({option}=…) ; sinon gardez seulement les lignes utiles.",
            )


def _read_delimited(
    path: Path,
    *,
    sep: str | None,
    encoding: str | None,
    header: int | bool | None,
    convert_numbers: bool,
    parse_dates: bool,
    na_values: list[str] | None,
    max_rows: int | None = MAX_ROWS,
    max_cells: int | None = MAX_CELLS,
) -> pd.DataFrame:
    raw = path.read_bytes()  # the path is checked by read_table
    text, chosen = _decode(raw, path, encoding)
    encoded: bytes | None = None
    if '"' not in text and text.count("\r") == text.count("\r\n"):
        # no quotes, no lone CR: the C parser splits the CRLF lines itself, and the bytes of a
        # UTF-8 file without BOM are already those it reads
        if chosen == "utf-8":
            encoded = raw
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    del raw
    if not text.strip():
        raise FormatError(
            "le fichier est vide.", path=path, hint="vérifiez que vous avez choisi le bon fichier."
        )
    if sep is None:
        sep = ("\t" if path.suffix.lower() in {".tsv", ".tab"} else None) or _sniff_separator(
            text, path
        )
    _check_text_size(text, sep, path, max_rows, max_cells)
    with gc_paused():
        starts, nfields, frame = _parse_records(text, sep, path, encoded)
    header_row, check_header = _header_mode(header)
    n_records = len(starts)
    if header_row is None:
        first = 0
        width = int(nfields.max()) if n_records else 0
        names = [f"colonne_{i + 1}" for i in range(width)]
        current = nfields.copy()
    else:
        if header_row >= n_records:
            raise FormatError(
                f"le fichier n'a que {n_records} ligne(s) non vide(s) : pas de ligne "
                f"d'en-tête n° {header_row}.",
                path=path,
                hint="indiquez header=0 (première ligne) ou header=False (pas d'en-tête).",
            )
        header_line = int(starts[header_row])
        names = [str(c).strip() for c in frame.iloc[header_row, : nfields[header_row]]]
        first = header_row + 1
        current = nfields[first:].copy()
        body_frame = frame.iloc[first:]
        while names and names[-1] == "":
            last = len(names) - 1
            long_rows = current >= len(names)
            if long_rows.any() and not (body_frame.iloc[long_rows, last] == "").all():
                break
            names = names[:-1]  # trailing separator on every line
            current = np.where(current > len(names), current - 1, current)
        raw_names = list(names)
        seen: Counter[str] = Counter()
        unique = []
        for i, name in enumerate(names):
            name = name or f"colonne_{i + 1}"
            seen[name] += 1
            unique.append(name if seen[name] == 1 else f"{name}.{seen[name] - 1}")
        names = unique
    width = len(names)
    wrong = np.flatnonzero(current != width)
    if wrong.size:
        sep_name = _SEP_NAMES.get(sep, repr(sep))
        raise FormatError(
            f"cette ligne a {int(current[wrong[0]])} champs alors que l'en-tête en a {width} "
            f"(séparateur détecté : {sep_name}).",
            path=path,
            line=int(starts[first + int(wrong[0])]),
            hint="une valeur contient sans doute le séparateur sans être entre guillemets, "
            "ou il manque une valeur ; corrigez la ligne, ou indiquez le bon séparateur "
            "avec sep=';' (ou sep=',', sep='\\t').",
        )
    df = frame.iloc[first:, :width].reset_index(drop=True)
    if df.shape[1] < width:  # no data line: only the header
        df = pd.DataFrame({i: pd.Series(dtype=object) for i in range(width)})
    body_lines = starts[first:]
    df.columns = names
    lines = np.asarray(body_lines, dtype=np.int64).tolist()
    columns, factors = _clean_columns(df, na_values, text=True)
    if check_header:
        head = pd.DataFrame({c: v.iloc[:50] for c, v in columns.items()}, columns=df.columns)
        _check_header_is_not_data(raw_names, head, path, header_line)
    log = ProblemLog()
    df = _convert_columns(columns, convert_numbers, parse_dates, lines, log, path, factors)
    df.attrs["source"] = {"path": str(path), "encoding": chosen, "sep": sep}
    df.attrs["lines"] = lines
    _attach_problems(df, log)
    return df


def _is_plain_number(value: object) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool | np.bool_)


def _read_workbook(
    path: Path,
    sheet: str | int | None,
    header: int | bool | None,
    convert_numbers: bool,
    parse_dates: bool,
    na_values: list[str] | None,
    limits: dict[str, Any],
) -> pd.DataFrame:
    suffix = path.suffix.lower()
    engine = {".xlsx": "openpyxl", ".xlsm": "openpyxl", ".xls": "xlrd", ".ods": "odf"}[suffix]
    # size limits and integrity, before any library parses the file
    error_cells: list[tuple[int, int, str]] = []
    if suffix in {".xlsx", ".xlsm"} and zipfile.is_zipfile(path):
        error_cells = check_xlsx(path, sheet, **limits)
    elif suffix == ".ods" and zipfile.is_zipfile(path):
        check_ods(path, sheet, **limits)
    printed = io.StringIO()  # odfpy prints the XML errors it swallows
    try:
        with warnings.catch_warnings():
            # pandas announces the end of xlrd for .xls; the user can do nothing about it
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            with contextlib.redirect_stdout(printed):
                book = pd.ExcelFile(path, engine=engine)
        if printed.getvalue().strip():
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
    names = book.sheet_names
    if sheet is None:
        sheet = names[0]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise ColumnError(
                f"le classeur n'a que {len(names)} feuille(s) : pas de feuille n° {sheet}.",
                path=path,
                hint="les feuilles sont numérotées à partir de 0 : "
                + ", ".join(f"{i} = « {n} »" for i, n in enumerate(names)),
            )
    elif sheet not in names:
        from ._errors import closest

        near = closest(str(sheet), names)
        hint = (
            f"vouliez-vous dire « {near[0]} » ?"
            if near
            else "les feuilles sont : " + ", ".join(f"« {n} »" for n in names)
        )
        raise ColumnError(f"la feuille « {sheet} » n'existe pas.", path=path, hint=hint)
    header_row, check_header = _header_mode(header)
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
            f"la feuille « {sheet} » du classeur est illisible ou endommagée : elle n'est pas "
            "lue, pour ne rien lire à moitié.",
            path=path,
            hint="ouvrez le classeur dans Excel ou Calc, vérifiez son contenu et "
            "enregistrez-le à nouveau.",
        ) from None
    finally:
        book.close()
    raw = _clean_cells(raw, None)[0]
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
        df = _clean_cells(df, na_values)[0]
    if header_row is not None:
        empty_cols = [
            c
            for c, h in zip(df.columns, header_cells, strict=True)
            if is_blank(h) and df[c].isna().all()
        ]
        df = df.drop(columns=empty_cols)
        if check_header:
            kept = [h for h, c in zip(header_cells, names, strict=True) if c not in empty_cols]
            _check_header_is_not_data(kept, df, path, row_numbers[header_row])
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
    df = _convert_columns(df, convert_numbers, parse_dates, lines, log, path)
    df.attrs["source"] = {"path": str(path), "sheet": sheet}
    df.attrs["lines"] = lines
    _attach_problems(df, log)
    return df


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

    Examples
    --------
    >>> adherents = read_table("adherents.csv")  # doctest: +SKIP
    """
    if options:
        names = ", ".join(options)
        raise TypeError(
            f"read_table() ne connaît pas l'option {names} ; options possibles : sheet, sep, "
            "encoding, header, convert_numbers, parse_dates, na_values, max_rows, max_cells."
        )
    p = _check_path(path)
    suffix = p.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        limits = {"max_rows": max_rows, "max_cells": max_cells}
        return _read_workbook(p, sheet, header, convert_numbers, parse_dates, na_values, limits)
    if suffix in TEXT_SUFFIXES or suffix == "":
        return _read_delimited(
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
