"""Reading the files French users actually have.

:func:`read_table` reads CSV/TSV/TXT (encoding, separator and decimal comma detected), XLSX, XLS
and ODS files into a :class:`pandas.DataFrame`. :func:`read_text` decodes a text file with the same
encoding detection. Every failure raises a :class:`~movsc_toolkit._errors.MovscError` subclass whose
French message names the file, the line and the fix; no row is ever dropped silently.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections import Counter
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._errors import ColumnError, EncodingError, FileError, FormatError, MovscWarning

__all__ = ["detect_encoding", "read_table", "read_text"]

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".dat"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
SEPARATORS = [";", "\t", ",", "|"]
_SEP_NAMES = {";": "point-virgule", "\t": "tabulation", ",": "virgule", "|": "barre verticale"}

# Numbers as French users write them: "1 234,56", "1234,5", "-12", "1.234,56" (thousands dot),
# and the international form "1234.56". Spaces may be normal, no-break or narrow no-break spaces.
_SPACES = "\u00a0\u202f "
_FR_NUMBER = re.compile(r"^[+-]?(\d{1,3}([ \u00a0\u202f]\d{3})+|\d+)(,\d+)?$")
_FR_DOT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_EN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# A well-formed multi-byte UTF-8 sequence (an accented letter written by a UTF-8 program).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xef][\x80-\xbf]{2}"
    rb"|[\xf0-\xf4][\x80-\xbf]{3}"
)
_FR_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")


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
    has_c1 = re.search(rb"[\x80-\x9f]", raw) is not None
    if not has_c1 and b"\xa4" in raw:
        return "iso-8859-15"
    return "cp1252"


def _mixed_encoding_line(raw: bytes) -> int | None:
    """First line that is not UTF-8 in a file whose other lines hold UTF-8 accented letters.

    Such a file was assembled from two programs (a UTF-8 export completed in a Windows-1252
    editor…): decoding it with one encoding would garble the accents of the other lines.
    Returns ``None`` when the file is not UTF-8 at all (a plain Windows-1252 file).
    """
    if not _UTF8_SEQUENCE.search(raw):
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
    lines = [ln for ln in text.split("\n")[:60] if ln.strip()]
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


def _to_number(values: pd.Series) -> pd.Series | None:
    """Convert a column of strings to numbers when every non-missing value is a number."""
    present = values.dropna()
    if present.empty:
        return None
    s = present.astype(str).str.strip()
    # keep codes with leading zeros (postcodes, account numbers) as text
    if s.str.match(r"^0\d").any():
        return None
    if s.str.match(_EN_NUMBER).all() and not s.str.contains(",").any():
        converted = pd.to_numeric(s, errors="coerce")
    elif s.map(lambda v: bool(_FR_NUMBER.match(v) or _FR_DOT_THOUSANDS.match(v))).all():
        cleaned = s.str.replace(r"[\u00a0\u202f ]", "", regex=True)
        dot_thousands = cleaned.str.match(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
        cleaned = cleaned.where(~dot_thousands, cleaned.str.replace(".", "", regex=False))
        converted = pd.to_numeric(cleaned.str.replace(",", ".", regex=False), errors="coerce")
    else:
        return None
    if converted.isna().any():
        return None
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    out.loc[converted.index] = converted.astype("float64")
    if (out.dropna() % 1 == 0).all() and not s.str.contains(r"[.,]").any():
        return out.astype("Int64")
    return out


def _to_date(values: pd.Series) -> pd.Series | None:
    present = values.dropna().astype(str).str.strip()
    if present.empty:
        return None
    if present.str.match(_FR_DATE).all():
        fmt = "%d/%m/%Y"
    elif present.str.match(_ISO_DATE).all():
        fmt = None
    else:
        return None
    try:
        parsed = pd.to_datetime(values, format=fmt, dayfirst=fmt is not None)
    except (ValueError, TypeError):
        return None
    return parsed


def _is_number_text(value: str) -> bool:
    return bool(
        _EN_NUMBER.match(value) or _FR_NUMBER.match(value) or _FR_DOT_THOUSANDS.match(value)
    )


class _Problems(pd.DataFrame):
    """The problems table kept in ``attrs["problems"]``.

    pandas compares the ``attrs`` of frames it concatenates with ``==``: this subclass compares
    as one boolean, so tables read by :func:`read_table` can still be concatenated.
    """

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return isinstance(other, pd.DataFrame) and self.equals(other)

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict | None = None) -> _Problems:
        return _Problems(pd.DataFrame(self).copy(deep=True))

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame


def _almost_numbers(column: str, values: pd.Series, lines: list[int]) -> list[dict[str, Any]]:
    """Problems for a text column of numbers spoilt by a few non-numeric values ("NC", "-").

    Only when most values (more than half, and at least two) are numbers and the other values
    are a few placeholders (at most five distinct ones, like "NC", "-", "nsp"), so that a
    genuinely textual column (codes such as "606" and "74 État") is not reported. Codes with
    a leading zero are left alone. Each distinct value is tested once (large files).
    """
    present = values.dropna().astype(str)
    if len(present) < 3:
        return []
    verdict: dict[str, bool] = {}  # distinct value -> is a number
    n_numbers, odd = 0, 0
    for value in present:
        known = verdict.get(value)
        if known is None:
            if value[:1] == "0" and value[1:2].isdigit():
                return []  # a code with a leading zero: text on purpose
            known = verdict[value] = _is_number_text(value)
            if not known:
                odd += 1
                if odd > 5:
                    return []  # many different words: a textual column
        n_numbers += known
    if n_numbers < 2 or 2 * n_numbers <= len(present) or odd == 0:
        return []
    bad = present[~present.map(verdict).astype(bool)]
    positions = [values.index.get_loc(i) for i in bad.index]
    return [
        {
            "ligne": lines[pos] if pos < len(lines) else pos + 2,
            "colonne": column,
            "valeur": value,
            "message": "valeur non numérique dans une colonne de nombres : la colonne est "
            "gardée en texte",
        }
        for pos, value in zip(positions, bad, strict=True)
    ]


def _warn_almost_numbers(problems: list[dict[str, Any]], path: Path) -> None:
    """One French warning naming each column, its non-numeric values and their lines."""
    by_column: dict[str, list[dict[str, Any]]] = {}
    for problem in problems:
        by_column.setdefault(problem["colonne"], []).append(problem)
    parts, distinct = [], []
    for column, found in by_column.items():
        shown = ", ".join(f"« {p['valeur']} » ligne {p['ligne']}" for p in found[:5])
        more = f" et {len(found) - 5} autre(s)" if len(found) > 5 else ""
        parts.append(
            f"colonne « {column} » : {len(found)} valeur(s) non numérique(s) ({shown}{more})"
        )
        distinct.extend(p["valeur"] for p in found)
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


def _convert_columns(
    df: pd.DataFrame, numbers: bool, dates: bool, lines: list[int] | None = None
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Convert number and date columns; also return the problems of almost-number columns."""
    out = {}
    problems: list[dict[str, Any]] = []
    lines = list(range(2, len(df) + 2)) if lines is None else lines
    for col in df.columns:
        s = df[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            s = s.map(lambda v: v.strip() if isinstance(v, str) else v)
            s = s.mask(s.map(lambda v: isinstance(v, str) and v == ""))
            converted = _to_number(s) if numbers else None
            if converted is None and dates:
                converted = _to_date(s)
            if converted is not None:
                s = converted
            elif numbers:
                problems.extend(_almost_numbers(str(col), s, lines))
        out[col] = s
    return pd.DataFrame(out, index=df.index), problems


def _attach_problems(df: pd.DataFrame, problems: list[dict[str, Any]], path: Path) -> None:
    if problems:
        df.attrs["problems"] = _Problems(
            pd.DataFrame(problems, columns=["ligne", "colonne", "valeur", "message"])
        )
        _warn_almost_numbers(problems, path)


def _read_delimited(
    path: Path,
    *,
    sep: str | None,
    encoding: str | None,
    header: int | None,
    convert_numbers: bool,
    parse_dates: bool,
    na_values: list[str] | None,
) -> pd.DataFrame:
    text, chosen = read_text(path, encoding)
    if not text.strip():
        raise FormatError(
            "le fichier est vide.", path=path, hint="vérifiez que vous avez choisi le bon fichier."
        )
    if sep is None:
        sep = ("\t" if path.suffix.lower() in {".tsv", ".tab"} else None) or _sniff_separator(
            text, path
        )
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text), delimiter=sep, strict=True)
    end = 0  # line where the previous record ended
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
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
    if header is None:
        width = max(len(r) for _, r in rows)
        names = [f"colonne_{i + 1}" for i in range(width)]
        body = rows
    else:
        names = [c.strip() for c in rows[header][1]]
        body = rows[header + 1 :]
        while (
            names and names[-1] == "" and all(len(r) < len(names) or r[-1] == "" for _, r in body)
        ):
            names = names[:-1]  # trailing separator on every line
            body = [(n, r[:-1] if len(r) > len(names) else r) for n, r in body]
        seen: Counter[str] = Counter()
        unique = []
        for i, name in enumerate(names):
            name = name or f"colonne_{i + 1}"
            seen[name] += 1
            unique.append(name if seen[name] == 1 else f"{name}.{seen[name] - 1}")
        names = unique
    width = len(names)
    for line_no, row in body:
        if len(row) != width:
            sep_name = _SEP_NAMES.get(sep, repr(sep))
            raise FormatError(
                f"cette ligne a {len(row)} champs alors que l'en-tête en a {width} "
                f"(séparateur détecté : {sep_name}).",
                path=path,
                line=line_no,
                hint="une valeur contient sans doute le séparateur sans être entre guillemets, "
                "ou il manque une valeur ; corrigez la ligne, ou indiquez le bon séparateur "
                "avec sep=';' (ou sep=',', sep='\\t').",
            )
    df = pd.DataFrame([r for _, r in body], columns=names, dtype=object)
    if na_values:
        df = df.mask(df.isin(na_values))
    lines = [n for n, _ in body]
    df, problems = _convert_columns(df, convert_numbers, parse_dates, lines)
    df.attrs["source"] = {"path": str(path), "encoding": chosen, "sep": sep}
    df.attrs["lines"] = lines
    _attach_problems(df, problems, path)
    return df


def _is_plain_number(value: object) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool | np.bool_)


def _read_workbook(
    path: Path,
    sheet: str | int | None,
    header: int | None,
    convert_numbers: bool,
    parse_dates: bool,
    na_values: list[str] | None,
) -> pd.DataFrame:
    suffix = path.suffix.lower()
    engine = {".xlsx": "openpyxl", ".xlsm": "openpyxl", ".xls": "xlrd", ".ods": "odf"}[suffix]
    try:
        with warnings.catch_warnings():
            # pandas announces the end of xlrd for .xls; the user can do nothing about it
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            book = pd.ExcelFile(path, engine=engine)
    except ImportError:
        raise FileError(
            "la lecture des anciens fichiers Excel (.xls) demande le paquet « xlrd ».",
            path=path,
            hint="enregistrez le fichier au format .xlsx depuis Excel, ou installez xlrd "
            "(pip install xlrd).",
        ) from None
    except Exception:  # corrupt zip, not a workbook…
        raise FileError(
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
    df = pd.read_excel(book, sheet_name=sheet, header=header, dtype=object)
    book.close()
    df = df.dropna(how="all")  # empty spreadsheet rows carry no data
    if header is None:
        df.columns = [f"colonne_{i + 1}" for i in range(df.shape[1])]
    else:
        df.columns = [
            f"colonne_{i + 1}" if str(c).startswith("Unnamed:") else str(c).strip()
            for i, c in enumerate(df.columns)
        ]
        empty_cols = [c for c in df.columns if c.startswith("colonne_") and df[c].isna().all()]
        df = df.drop(columns=empty_cols)
    lines = [int(i) + (header or 0) + 2 for i in df.index]
    df = df.reset_index(drop=True)
    if na_values:
        df = df.mask(df.isin(na_values))
    for col in df.columns:
        s = df[col]
        present = s.dropna()
        if present.empty or not present.map(_is_plain_number).all():
            continue
        if present.map(lambda v: isinstance(v, int | np.integer)).all():
            df[col] = pd.array(s.where(s.notna(), None).tolist(), dtype="Int64")
        else:
            df[col] = pd.to_numeric(s).astype("float64")
    df, problems = _convert_columns(df, convert_numbers, parse_dates, lines)
    df.attrs["source"] = {"path": str(path), "sheet": sheet}
    df.attrs["lines"] = lines
    _attach_problems(df, problems, path)
    return df


def read_table(
    path: str | PathLike[str],
    sheet: str | int | None = None,
    *,
    sep: str | None = None,
    encoding: str | None = None,
    header: int | None = 0,
    convert_numbers: bool = True,
    parse_dates: bool = True,
    na_values: list[str] | None = None,
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
        Row number of the header (0), or ``None`` when the file has no header.
    convert_numbers
        Convert columns whose every value is a number, written the French way
        (``1 234,56``) or the international way (``1234.56``). Codes with a leading zero
        (postcodes, account numbers) stay text.
    parse_dates
        Convert columns whose every value is a date ``JJ/MM/AAAA`` or ``AAAA-MM-JJ``.
    na_values
        Extra strings to read as missing (empty cells are always missing).
    **options
        Not used by this reader; any name given here is reported as an error.

    Returns
    -------
    pandas.DataFrame
        One row per data line. Lines (or spreadsheet rows) with no value at all — blank, or
        only separators such as ``;;;`` — carry no data and are skipped; ``df.attrs["lines"]``
        gives each row's line number in the file (header = 1), so later checks can name the
        line and the skipped lines show as gaps. When a column of numbers holds a few
        non-numeric values (``NC``, ``-``…), it stays text, a
        :class:`~movsc_toolkit._errors.MovscWarning` names the values and their lines, and
        ``df.attrs["problems"]`` lists them (columns ``ligne``, ``colonne``, ``valeur``,
        ``message``).

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
            "encoding, header, convert_numbers, parse_dates, na_values."
        )
    p = _check_path(path)
    suffix = p.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(p, sheet, header, convert_numbers, parse_dates, na_values)
    if suffix in TEXT_SUFFIXES or suffix == "":
        return _read_delimited(
            p,
            sep=sep,
            encoding=encoding,
            header=header,
            convert_numbers=convert_numbers,
            parse_dates=parse_dates,
            na_values=na_values,
        )
    raise FileError(
        f"le format « {suffix} » n'est pas pris en charge.",
        path=p,
        hint="les formats acceptés sont CSV, TSV, TXT, XLSX, XLS et ODS ; depuis Excel ou Calc, "
        "« Enregistrer sous » l'un de ces formats.",
    )
