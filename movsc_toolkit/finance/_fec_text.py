"""Internal API of the FEC reader: the bytes of a FEC up to a table of text fields.

Used by :mod:`.fec` only. A FEC (art. A47 A-1 of the Livre des procédures fiscales) is a text
file in UTF-8 or ISO-8859-15 whose first line names the 18 fields, separated by a tab or ``|``.
This module decodes it (:func:`decode`; spreadsheets, ZIP archives and UTF-16 are refused with
the fix), finds the separator from the field names of the header (:func:`detect_separator`) and
splits every line into fields: a conforming UTF-8 FEC with Arrow's CSV reader on both cores
when pyarrow is installed (:func:`read_arrow`), anything else with pandas' C parser, recording
the lines with too many or too few fields (:func:`read_fields`, :class:`Shape`). Both give the
same table (checked in ``tests/finance/test_fec_paths.py``).

Why not :mod:`movsc_toolkit._io`'s detection: the norm makes ISO-8859-15 the default of a
non-UTF-8 FEC (``œ`` is byte ``0xBD`` there, ``½`` in Windows-1252, which ``_io`` would choose),
the encoding is checked chunk by chunk without ever holding the decoded text of a big file, and
the separator is the one that splits the header into the FEC's field names (not the most
regular one of the first lines).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import EncodingError, FormatError
from .._parse import per_distinct
from ._fec_values import DATE_COLUMNS, fec_dates
from .ledger import FEC_COLUMNS

__all__ = [
    "CANON",
    "HEAD_BYTES",
    "SEP_LABELS",
    "EmptyCells",
    "Shape",
    "arrow_shape",
    "blank_rows",
    "canonical",
    "decode",
    "detect_separator",
    "has_arrow",
    "is_empty",
    "read_arrow",
    "read_fields",
    "rstrip_values",
    "spaces_at_separators",
]

SEP_LABELS = {  # with their article, for « le séparateur est … »
    "\t": "la tabulation",
    "|": "la barre verticale « | »",
    ";": "le point-virgule",
    ",": "la virgule",
}


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
#: bytes read first from a big FEC: its header and encoding (Arrow then reads the file itself)
HEAD_BYTES = 2 * _PREFIX


def decode(raw: bytes, path: Path, whole: bool = True) -> tuple[str, int, list[str]]:
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


def canonical(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


CANON = {canonical(c): c for c in [*FEC_COLUMNS, "Montant", "Sens"]}


def detect_separator(header: str, path: Path) -> tuple[str, list[str]]:
    notes: list[str] = []
    counts = {sep: header.count(sep) for sep in ["\t", "|", ";", ","]}
    for sep in ["\t", "|"]:
        names = [canonical(n.strip().strip('"')) for n in header.split(sep)]
        if counts[sep] >= 10 and sum(n in CANON for n in names) >= 10:
            return sep, notes
    for sep in [";", ","]:
        names = [canonical(n.strip().strip('"')) for n in header.split(sep)]
        if counts[sep] >= 10 and sum(n in CANON for n in names) >= 10:
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
                f"le séparateur est {SEP_LABELS[sep]} : la norme exige la tabulation ou "
                "« | » (lu quand même)."
            )
            return sep, notes
    found = max(counts, key=lambda s: counts[s])
    found_text = (
        f"le séparateur le plus fréquent de la première ligne est {SEP_LABELS[found]}"
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
class Shape:
    """How the lines of the body fit the header: what :func:`read_fields` found per line."""

    long: list[tuple[int, int]] = field(default_factory=list)  # (line, fields): values beyond
    short: list[tuple[int, int]] = field(default_factory=list)  # (line, fields): too few
    trailing_lines: int = 0  # lines ending with empty fields beyond the header's
    nonblank: int = 0


_NON_SPACE = re.compile(rb"\S")


def is_empty(values: pd.Series) -> np.ndarray:
    """Empty cells of a column read by :func:`read_fields`: ``""`` in text, NaN in amounts."""
    if values.dtype == object:
        return (values.to_numpy() == "").astype(bool, copy=False)
    if isinstance(values.dtype, pd.StringDtype):  # the Arrow path's text columns
        return np.array(values.eq("").to_numpy(dtype=bool, na_value=True), dtype=bool)
    return values.isna().to_numpy()


class EmptyCells(dict):
    """Empty cells of each column of ``df``, computed on first use (one pass per column)."""

    def __init__(self, df: pd.DataFrame) -> None:
        super().__init__()
        self._df = df

    def __missing__(self, column: str) -> np.ndarray:
        self[column] = mask = is_empty(self._df[column])
        return mask


def spaces_at_separators(raw: bytes, start: int, sep: str) -> bool:
    """Whether the body (``raw`` from ``start``) has a space before a separator (fields padded
    to a fixed width). One pass over the bytes, 16 MB at a time."""
    data = np.frombuffer(raw, dtype=np.uint8)
    code = ord(sep)
    for begin in range(start, len(data), 1 << 24):
        spaces = np.flatnonzero(data[begin : begin + (1 << 24)] == 32) + begin
        if len(spaces) and (data[np.minimum(spaces + 1, len(data) - 1)] == code).any():
            return True
    return False


@functools.cache
def has_arrow() -> bool:
    """Whether pyarrow can be imported (a dependency of the toolkit; pandas imports it too):
    then :func:`read_arrow` can read a conforming FEC, and the C parser fills Arrow buffers."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def read_arrow(
    path: Path, start: int, sep: str, names: list[str], amount_cols: list[str]
) -> pd.DataFrame | None:
    """The body of a plain UTF-8 FEC (the file from byte ``start``) read by Arrow's CSV
    reader, or ``None`` to use :func:`read_fields`.

    Arrow splits the bytes on both cores and keeps the text in Arrow buffers (no Python
    object per cell): the text columns come back as pandas ``str`` columns backed by Arrow,
    the amounts as floats read with the decimal comma, the dates (:data:`DATE_COLUMNS`) as
    ``datetime64[ns]`` (empty: NaT), converted once per distinct value. Only a conforming
    file is read here: every line with the header's number of fields, no space at the start
    or end of a field (pandas strips those), the header not repeated in the body, amounts
    that are plain decimal numbers and dates that are real ``AAAAMMJJ`` dates of 1900–2099.
    Anything else returns ``None`` and takes the pandas path, which reports each deviation.
    Arrow reads the file itself, block by block: the caller does not hold its bytes.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    keys = [str(i) for i in range(len(names))]
    types = {
        key: pa.float64() if name in amount_cols else pa.large_string()
        for key, name in zip(keys, names, strict=True)
    }
    try:
        source = pa.OSFile(str(path))
        source.seek(start)
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=keys, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, quote_char=False, double_quote=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                decimal_point=",",
                null_values=[""],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError):
        return None  # a ragged or blank line, an amount that is not a plain number, a bad byte…
    pool = pa.default_memory_pool()
    pool.release_unused()  # the reader's blocks: given back, for the checks' arrays to reuse
    last = len(names) - 1
    date_idx = [i for i, name in enumerate(names) if name in DATE_COLUMNS]
    for i, name in enumerate(names):
        column = table.column(i)
        if name in amount_cols:  # "nan", "inf": not amounts; the text path reports them
            if column.null_count < len(column) and not pc.all(pc.is_finite(column)).as_py():
                return None
        elif i not in date_idx and _edge_spaces(column, sep, end=i < last):
            return None
    if len(table) and pc.any(pc.equal(table.column(0), names[0])).as_py():
        return None  # the header repeated in the body: the pandas path reports its lines
    converted = _arrow_dates([table.column(i) for i in date_idx])
    if converted is None:
        return None
    dates = dict(zip(date_idx, converted, strict=True))
    table = table.drop_columns([keys[i] for i in dates])
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    df = table.to_pandas(types_mapper={pa.large_string(): text}.get, self_destruct=True)
    df.columns = [i for i in range(len(names)) if i not in dates]
    for i, stamps in dates.items():
        df.insert(i, i, pd.Series(stamps, index=df.index, copy=False))
    pool.release_unused()  # the dates' text
    return df


def _edge_spaces(column: Any, sep: str, *, end: bool) -> bool:
    """Whether a value of an Arrow text column starts with a space (or a tab, after a ``|``
    separator) or, when ``end``, ends with a space: pandas strips those (a field padded to
    a fixed width). A chunk without the byte at all is not searched further."""
    import pyarrow.compute as pc

    for chunk in column.chunks:
        data = chunk.buffers()[2]
        if data is None:
            continue
        raw = np.frombuffer(data, dtype=np.uint8)
        if (raw == 32).any() and (
            pc.any(pc.starts_with(chunk, " ")).as_py()
            or (end and pc.any(pc.ends_with(chunk, " ")).as_py())
        ):
            return True
        if sep != "\t" and (raw == 9).any() and pc.any(pc.starts_with(chunk, "\t")).as_py():
            return True
    return False


def _arrow_dates(columns: list[Any]) -> list[np.ndarray] | None:
    """``datetime64[ns]`` values of Arrow text columns of ``AAAAMMJJ`` dates (empty: NaT),
    each distinct value parsed once by :func:`._fec_values.fec_dates`; ``None`` when one is
    not a real date of 1900–2099 written as the norm says (eight digits, no space)."""
    import pyarrow.compute as pc

    encoded = [[pc.dictionary_encode(chunk) for chunk in column.chunks] for column in columns]
    texts = [[e.dictionary.to_pylist() for e in chunks] for chunks in encoded]
    every = [v for chunk_texts in texts for text in chunk_texts for v in text]
    values = pd.Series(pd.unique(np.array(every, dtype=object)), dtype=object)
    parsed, invalid, out_of_range, _ = fec_dates(values)
    if invalid.any() or out_of_range.any() or (values.str.strip() != values).any():
        return None
    lookup = dict(zip(values, parsed.to_numpy(), strict=True))
    out = []
    for chunks, chunk_texts in zip(encoded, texts, strict=True):
        pieces = [
            np.array([lookup[v] for v in text], dtype="datetime64[ns]")[e.indices.to_numpy()]
            for e, text in zip(chunks, chunk_texts, strict=True)
        ]
        out.append(np.concatenate(pieces) if pieces else np.array([], dtype="datetime64[ns]"))
    return out


def arrow_shape(df: pd.DataFrame) -> Shape:
    """The shape of a body read by :func:`read_arrow`: every line has the header's fields,
    or none (a blank line)."""
    return Shape(nonblank=len(df) - int(blank_rows(df).sum()))


def blank_rows(df: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty (checked on the rows whose first cell is)."""
    blank = is_empty(df[df.columns[0]])
    if blank.any():
        rows = np.flatnonzero(blank)
        sub = df.iloc[rows]
        blank[rows] = np.logical_and.reduce([is_empty(sub[c]) for c in sub.columns])
    return blank


def read_fields(
    raw: bytes,
    start: int,
    body_text: Callable[[], str],
    sep: str,
    encoding: str,
    width: int,
    named: int,
    amount_idx: list[int],
) -> tuple[pd.DataFrame, Shape, bool]:
    """Split the body (the bytes of ``raw`` from ``start``, after the header) into ``width``
    columns; an empty text cell is ``""``, an empty amount (fast path) NaN.

    ``width`` counts the header's fields, ``named`` those with a name (a header may end with
    a separator). Leading spaces of a field are skipped, so a field of spaces (fixed-width
    exports) is empty.

    Fast path: the C parser reads the bytes in place (no copy of the body, no decoded text),
    the text into Arrow buffers when pyarrow is installed (pandas' ``str`` columns, else Python
    strings), and the amount columns directly as floats with a decimal comma, with one spare column to
    catch a field too many. The shape of every line is then checked by counting the
    separators of the whole body (one ``bytes.count``): when the count is not that of lines
    all alike, the body is split again line by line in Python, which gives each line's number
    of fields. If one amount does not conform, every column is read as text (``fast`` is
    False) and the amounts are parsed by :func:`parse_amounts`.
    """
    shape = Shape()
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
    text: Any = object
    if has_arrow():  # the C parser fills Arrow buffers: no Python string per cell
        import pyarrow as pa

        text = pd.ArrowDtype(pa.large_string())
    with warnings.catch_warnings():
        # a line with a field too many beyond the spare column is caught by the count below
        warnings.simplefilter("ignore", pd.errors.ParserWarning)
        dtypes: dict[int, Any] = {i: text for i in range(width + 1)}
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
                df = pd.read_csv(handle, dtype=text, na_filter=False, **options)
            except pd.errors.ParserError:
                df = None
    if df is not None:
        df = _arrow_as_str(df)
        n = len(df) - int(blank_rows(df).sum())
        seps = raw.count(sep.encode("ascii"), start)
        alike = [k for k in range(named - 1, width + 1) if seps == k * n]
        if alike and is_empty(df[width]).all():
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


def _arrow_as_str(df: pd.DataFrame) -> pd.DataFrame:
    """The Arrow text columns of the C parser as pandas' default ``str`` columns (the same
    Arrow buffers, no copy into Python strings)."""
    for col in df.columns:
        if isinstance(df[col].dtype, pd.ArrowDtype):
            df[col] = df[col].astype(pd.StringDtype(na_value=np.nan))
    return df


def rstrip_values(values: pd.Series) -> pd.Series:
    """Trailing spaces removed (a field of spaces becomes empty), once per distinct value."""
    return per_distinct(values, str.rstrip, "")
