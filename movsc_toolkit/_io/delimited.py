"""Reading delimited text (CSV/TSV/TXT) into records, with the line of each."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import FileError, FormatError
from .._limits import MAX_CELLS, MAX_ROWS
from .._problems import ProblemLog
from .columns import (
    attach_problems,
    check_header_is_not_data,
    clean_columns,
    convert_columns,
    header_mode,
)
from .encoding import csv_fields_up_to, decode, sniff_separator

_SEPARATOR_NAMES = {
    ";": "point-virgule",
    "\t": "tabulation",
    ",": "virgule",
    "|": "barre verticale",
}


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
        with csv_fields_up_to(len(text)):
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
        with csv_fields_up_to(len(text)):
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


_LONE_CR = re.compile("\r(?!\n)")  # a line end of old Macs (starts with a literal: fast scan)
_BLANK_SPACES = " \t\r\x0b\x0c"  # a line of them and separators is blank (_fields_per_line)


def _arrow_text() -> object | None:
    """``pd.ArrowDtype(large_string)`` when pyarrow is installed (pandas' C parser then builds
    Arrow strings directly, without a Python object per cell), else ``None``."""
    try:
        import pyarrow as pa
    except ImportError:
        return None
    return pd.ArrowDtype(pa.large_string())


def _parse_arrow(
    encoded: bytes, sep: str, n_breaks: int | None = None
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame] | None:
    """:func:`_parse_records` for the common case, read into Arrow strings (``None``: not it).

    The case: pyarrow installed, one of the usual separators, no quotes, and every line
    holding as many fields as the first one; Arrow's CSV reader refuses any other line (a
    short or long one), and a lone CR, which it takes for a line end, shows in the number
    of rows: ``None`` then, and the general path reads the file and names the faulty line.
    ``n_breaks``: the line breaks of the text, when counted already. Blank lines (only
    separators and spaces; an empty line gives empty cells) are found on the cells and
    skipped.
    """
    if _arrow_text() is None or sep not in _SEPARATOR_NAMES or not encoded:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    end = encoded.find(b"\n")
    width = (encoded if end < 0 else encoded[:end]).count(sep.encode()) + 1
    if n_breaks is None:
        n_breaks = encoded.count(b"\n")
    n_lines = n_breaks + (not encoded.endswith(b"\n"))
    names = [str(i) for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(encoded),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, quote_char=False, newlines_in_values=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowException, ValueError):  # a short or long line, a huge field…
        return None
    if table.num_rows != n_lines:
        return None
    frame = pd.DataFrame(
        {i: pd.arrays.ArrowExtensionArray(table.column(i)) for i in range(width)}, copy=False
    )

    def blank_cells(col: int) -> Any:
        # only separators and spaces: nothing left once these are trimmed
        cells = pc.utf8_trim(frame[col].array.__arrow_array__(), _BLANK_SPACES)
        return pc.equal(pc.binary_length(cells), 0)

    blank = blank_cells(0)  # a blank line has a blank first cell
    if pc.any(blank).as_py():
        for col in frame.columns[1:]:
            blank = pc.and_(blank, blank_cells(col))
        keep = np.flatnonzero(~blank.to_numpy(zero_copy_only=False))
        if len(keep) < n_lines:
            frame = frame.iloc[keep].reset_index(drop=True)
    else:
        keep = np.arange(n_lines)
    return keep + 1, np.full(len(keep), width, dtype=np.int64), frame


def _parse_records(
    text: str,
    sep: str,
    path: Path,
    encoded: bytes | None = None,
    n_breaks: int | None = None,
    arrow: bool = True,
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
        fast = _parse_arrow(encoded, sep, n_breaks=n_breaks) if arrow else None
        if fast is not None:
            return fast
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
    text: str,
    sep: str,
    path: Path,
    max_rows: int | None,
    max_cells: int | None,
    n_breaks: int | None = None,
) -> None:
    """Refuse a text file with more lines (or cells) than the limits, before splitting it."""
    n_lines = (text.count("\n") if n_breaks is None else n_breaks) + 1
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


def _sep_and_size(
    text: str,
    sep: str | None,
    path: Path,
    max_rows: int | None,
    max_cells: int | None,
) -> tuple[str, int]:
    """The separator (given or detected) and the line breaks, the limits checked."""
    if sep is None:
        sep = ("\t" if path.suffix.lower() in {".tsv", ".tab"} else None) or sniff_separator(
            text, path
        )
    n_breaks = text.count("\n")
    _check_text_size(text, sep, path, max_rows, max_cells, n_breaks)
    return sep, n_breaks


def _file_utf8(raw: bytes, chosen: str) -> bytes | None:
    """The bytes of a UTF-8 file (without its BOM): already those of its text, or ``None``."""
    if chosen == "utf-8":
        return raw
    if chosen == "utf-8-sig" and raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:]
    return None


def _try_arrow(
    text: str,
    utf8: bytes | None,
    sep: str | None,
    path: Path,
    max_rows: int | None,
    max_cells: int | None,
) -> tuple[str, tuple[np.ndarray, np.ndarray, pd.DataFrame]] | None:
    """``(separator, records)`` read by :func:`_parse_arrow` from the text as it is (no quotes,
    line ends not normalised), or ``None`` (the limits then checked again by the general
    path, on the normalised text)."""
    try:
        found, n_breaks = _sep_and_size(text, sep, path, max_rows, max_cells)
    except (FileError, csv.Error):  # a lone CR in the first lines, a limit: see below
        return None
    if len(found) != 1 or ord(found) >= 128:
        return None
    with gc_paused():
        records = _parse_arrow(text.encode("utf-8") if utf8 is None else utf8, found, n_breaks)
    return None if records is None else (found, records)


def _read_records(
    text: str,
    utf8: bytes | None,
    sep: str | None,
    path: Path,
    max_rows: int | None,
    max_cells: int | None,
    arrow_tried: bool,
) -> tuple[str, tuple[np.ndarray, np.ndarray, pd.DataFrame]]:
    """``(separator, records)`` of :func:`_parse_records`, line ends normalised first
    (``arrow_tried``: Arrow's reader already refused the text as it is)."""
    encoded: bytes | None = None
    if '"' not in text and ("\r" not in text or _LONE_CR.search(text) is None):
        # no quotes, no lone CR: the C parser splits the CRLF lines itself
        encoded = text.encode("utf-8") if utf8 is None else utf8
        arrow = not arrow_tried
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        arrow = True
    sep, n_breaks = _sep_and_size(text, sep, path, max_rows, max_cells)
    with gc_paused():
        return sep, _parse_records(text, sep, path, encoded, n_breaks, arrow)


def read_delimited(
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
    text, chosen = decode(raw, path, encoding)
    if not text or text.isspace():  # (no copy of the text, as strip() would make)
        raise FormatError(
            "le fichier est vide.", path=path, hint="vérifiez que vous avez choisi le bon fichier."
        )
    utf8 = _file_utf8(raw, chosen)
    del raw
    records = None
    tried = '"' not in text and "\n" in text and _arrow_text() is not None
    if tried:
        # first Arrow's reader on the text as it is: it splits CRLF lines, and a lone CR
        # shows in its number of rows (the general path below then normalises the text)
        records = _try_arrow(text, utf8, sep, path, max_rows, max_cells)
    if records is None:
        records = _read_records(text, utf8, sep, path, max_rows, max_cells, tried)
    del utf8
    sep, (starts, nfields, frame) = records
    header_row, check_header = header_mode(header)
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
        sep_name = _SEPARATOR_NAMES.get(sep, repr(sep))
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
    columns, factors = clean_columns(df, na_values, text=True, numbers=convert_numbers)
    if check_header:
        head = pd.DataFrame({c: v.iloc[:50] for c, v in columns.items()}, columns=df.columns)
        check_header_is_not_data(raw_names, head, path, header_line)
    log = ProblemLog()
    df = convert_columns(columns, convert_numbers, parse_dates, body_lines, log, path, factors)
    df.attrs["source"] = {"path": str(path), "encoding": chosen, "sep": sep}
    df.attrs["lines"] = lines
    attach_problems(df, log)
    return df
