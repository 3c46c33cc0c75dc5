"""Size limits and integrity checks for zip-based documents (.xlsx, .ods, .docx, .odt).

A workbook or a document is a zip archive of XML files. Before a library parses it, these
functions look at what the archive *declares* — the uncompressed size and compression ratio of
each member, the number of rows and cells of a sheet — and refuse, with a French error, a file
that would take minutes or gigabytes to read (a "zip bomb", a sheet declaring millions of
repeated rows), and a damaged file (a broken archive, malformed XML) that a library would read
only partly. Each check streams the data: it runs in a few seconds and a few megabytes.

Default limits (every reader lets the user raise them):

* :data:`MAX_UNCOMPRESSED` — 512 Mo of XML once decompressed, all members together;
* :data:`MAX_RATIO` — a member over 1 Mo may not be compressed more than 200 times (ordinary
  office files stay under 50; zip bombs reach thousands);
* :data:`MAX_ROWS` — 1 048 576 rows, Excel's and Calc's own limit;
* :data:`MAX_CELLS` — 20 millions of cells (rows × columns) in the sheet read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from os import PathLike
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from ._errors import FileError, FormatError, MovscError

__all__ = [
    "MAX_CELLS",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED",
    "check_ods",
    "check_xlsx",
    "check_xml",
    "check_zip",
]

MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 200.0
MAX_ROWS = 1_048_576
MAX_CELLS = 20_000_000
_RATIO_FLOOR = 1024 * 1024  # small members may compress a lot legitimately
_MAX_MEMBERS = 20_000
_CHUNK = 1024 * 1024


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f}".replace(",", "\u202f") + " Mo"


def _n(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _damaged(path: Path, what: str, detail: str, *, line: int | None = None) -> FormatError:
    return FormatError(
        f"{what} est illisible ou endommagé ({detail}) : il n'est pas lu, pour ne rien lire "
        "à moitié.",
        path=path,
        line=line,
        hint="ouvrez-le dans Excel, Calc ou Word/Writer, vérifiez son contenu et "
        "enregistrez-le à nouveau (« Enregistrer sous ») ; s'il vient d'une messagerie, "
        "téléchargez-le une nouvelle fois.",
    )


def check_zip(
    path: str | PathLike[str],
    what: str = "le fichier",
    *,
    max_uncompressed: int | None = MAX_UNCOMPRESSED,
    max_ratio: float | None = MAX_RATIO,
) -> list[zipfile.ZipInfo]:
    """Check a zip-based file (``.xlsx``, ``.ods``, ``.docx``, ``.odt``) before parsing it.

    Reads only the archive's directory (no decompression). Refuses with
    :class:`~movsc_toolkit._errors.FormatError` an archive that is not a valid zip, and with
    :class:`~movsc_toolkit._errors.FileError` one whose members declare more than
    ``max_uncompressed`` bytes in all, or a member over 1 Mo compressed more than
    ``max_ratio`` times. ``None`` disables a limit. ``what`` names the file in the message
    (« le classeur », « le document »…). Returns the members' :class:`zipfile.ZipInfo`.

    Python's :mod:`zipfile` never produces more bytes than a member declares (it stops and
    reports a bad CRC), so checking the declared sizes bounds what any later reading
    decompresses.
    """
    p = Path(path)
    try:
        with zipfile.ZipFile(p) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise _damaged(p, what, "ce n'est pas une archive ZIP complète") from None
    except (OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise _damaged(p, what, f"archive ZIP abîmée : {type(exc).__name__}") from None
    if len(infos) > _MAX_MEMBERS:
        raise FileError(
            f"{what} contient {_n(len(infos))} fichiers internes, bien plus qu'un document "
            "ordinaire : il n'est pas lu.",
            path=p,
            hint="ouvrez-le dans Excel, Calc ou Writer et enregistrez-le à nouveau.",
        )
    total = 0
    for info in infos:
        total += info.file_size
        if (
            max_ratio is not None
            and info.file_size > _RATIO_FLOOR
            and info.file_size > max_ratio * max(info.compress_size, 1)
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            raise FileError(
                f"{what} déclare un contenu anormalement compressé (« {info.filename} » : "
                f"{_mb(info.compress_size)} qui deviendraient {_mb(info.file_size)}, "
                f"{_n(round(ratio))} fois plus ; limite : {max_ratio:g} fois) : c'est la marque "
                "d'un fichier piégé ou abîmé, il n'est pas lu.",
                path=p,
                hint="si le fichier est sûr, ouvrez-le dans Excel, Calc ou Writer et "
                "enregistrez-le à nouveau.",
            )
    if max_uncompressed is not None and total > max_uncompressed:
        raise FileError(
            f"{what} déclare {_mb(total)} une fois décompressé (limite : "
            f"{_mb(max_uncompressed)}) : sa lecture prendrait trop de temps et de mémoire.",
            path=p,
            hint="enregistrez seulement la partie utile (une feuille, moins de lignes), ou "
            "exportez-la en CSV.",
        )
    return infos


def check_xml(path: str | PathLike[str], member: str, what: str = "le fichier") -> None:
    """Parse one XML member of a zip-based file, streaming, and refuse it if malformed.

    odfpy (behind pandas' ``.ods`` reader) prints XML errors and keeps what it read:
    checking first means a damaged file is refused rather than read partly.
    """
    p = Path(path)
    try:
        with zipfile.ZipFile(p) as archive, archive.open(member) as stream:
            for _event, element in iterparse(stream, events=("end",)):
                element.clear()
    except KeyError:
        raise _damaged(p, what, f"la partie « {member} » manque") from None
    except ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        raise _damaged(
            p, what, f"XML mal formé dans « {member} », ligne {line} de cette partie"
        ) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
        raise _damaged(p, what, f"« {member} » ne se décompresse pas correctement") from None


def _too_many(
    path: Path,
    what: str,
    sheet: str,
    rows: int,
    cells: int,
    max_rows: int | None,
    max_cells: int | None,
) -> None:
    if max_rows is not None and rows > max_rows:
        raise FileError(
            f"la feuille « {sheet} » déclare au moins {_n(rows)} lignes (limite : "
            f"{_n(max_rows)}) : sa lecture prendrait trop de temps et de mémoire.",
            path=path,
            hint="supprimez les lignes inutiles (ou exportez la feuille en CSV) ; si vous avez "
            "vraiment besoin de toutes ces lignes, relevez la limite (max_rows=…).",
        )
    if max_cells is not None and cells > max_cells:
        raise FileError(
            f"la feuille « {sheet} » déclare au moins {_n(cells)} cases (lignes × "
            f"colonnes ; limite : {_n(max_cells)}) : sa lecture prendrait trop de temps et de "
            "mémoire.",
            path=path,
            hint="supprimez les lignes et colonnes inutiles (une mise en forme appliquée à des "
            "colonnes entières suffit parfois) ; ou relevez la limite (max_cells=…).",
        )


# start tags of rows and cells, with or without a namespace prefix ("<x:row ")
_ROW_MARKS = (b"<row ", b"<row>", b":row ", b":row>")
_CELL_MARKS = (b"<c ", b"<c>", b":c ", b":c>")


def _count(data: bytes, marks: tuple[bytes, ...]) -> int:
    return sum(data.count(mark) for mark in marks)


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*\d*:?[A-Z]*(\d+)\"")


def _xlsx_sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> member path (from xl/workbook.xml and its relationships)."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    ns_pkg = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    targets: dict[str, str] = {}
    with archive.open("xl/_rels/workbook.xml.rels") as stream:
        for _ev, el in iterparse(stream, events=("end",)):
            if el.tag in (f"{ns_pkg}Relationship", "Relationship"):
                target = el.get("Target", "")
                target = target.lstrip("/")
                if not target.startswith("xl/"):
                    target = "xl/" + target
                targets[el.get("Id", "")] = target
    sheets: dict[str, str] = {}
    with archive.open("xl/workbook.xml") as stream:
        for _ev, el in iterparse(stream, events=("end",)):
            if el.tag == f"{ns_main}sheet":
                rid = el.get(f"{ns_rel}id", "")
                if rid in targets:
                    sheets[el.get("name", "")] = targets[rid]
    return sheets


def check_xlsx(
    path: str | PathLike[str],
    sheet: str | int | None = None,
    *,
    max_rows: int | None = MAX_ROWS,
    max_cells: int | None = MAX_CELLS,
    max_uncompressed: int | None = MAX_UNCOMPRESSED,
    max_ratio: float | None = MAX_RATIO,
) -> list[tuple[int, int, str]]:
    """Check an ``.xlsx`` workbook before openpyxl reads it.

    :func:`check_zip`, then the declared dimension of the sheet read (``sheet``: name or
    0-based number, first sheet by default; all sheets if it cannot be found) and a streaming
    count of its rows and cells, stopped as soon as a limit is passed.

    Returns the error cells of the sheet read (``#N/A``, ``#DIV/0!``…) as ``(row, 0-based
    column, text)``: spreadsheet readers give them as empty cells, the caller reports them.
    """
    errors: list[tuple[int, int, str]] = []
    p = Path(path)
    what = "le classeur"
    infos = check_zip(p, what, max_uncompressed=max_uncompressed, max_ratio=max_ratio)
    names = {i.filename for i in infos}
    try:
        with zipfile.ZipFile(p) as archive:
            try:
                members = _xlsx_sheet_members(archive)
            except (KeyError, ParseError):
                members = {}
            if isinstance(sheet, int) and 0 <= sheet < len(members):
                chosen = {list(members)[sheet]: list(members.values())[sheet]}
            elif isinstance(sheet, str) and sheet in members:
                chosen = {sheet: members[sheet]}
            elif sheet is None and members:
                first = next(iter(members))
                chosen = {first: members[first]}
            else:  # unknown: the reader will say so; check every sheet meanwhile
                chosen = dict(members) or {
                    n: n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")
                }
            for name, member in chosen.items():
                if member not in names:
                    continue
                _scan_xlsx_sheet(archive, member, p, what, name, max_rows, max_cells, errors)
    except MovscError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _damaged(p, what, f"archive ZIP abîmée : {type(exc).__name__}") from None
    return errors


def _scan_xlsx_sheet(
    archive: zipfile.ZipFile,
    member: str,
    path: Path,
    what: str,
    sheet: str,
    max_rows: int | None,
    max_cells: int | None,
    errors: list[tuple[int, int, str]],
) -> None:
    rows = cells = 0
    tail = b""
    first = True
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            data = tail + chunk
            if first:
                first = False
                match = _DIMENSION.search(data[:4096])
                if match:
                    declared = int(match.group(1))
                    _too_many(path, what, sheet, declared, 0, max_rows, None)
            # scan up to the last end of row (whole cells); keep the rest for the next chunk
            end_row = data.rfind(b"row>", 0, len(data) - 16)
            cut = end_row + 4 if end_row > len(data) // 2 else max(len(data) - 16, 0)
            body, tail = data[:cut], data[cut:]
            rows += _count(body, _ROW_MARKS)
            cells += _count(body, _CELL_MARKS)
            _too_many(path, what, sheet, rows, cells, max_rows, max_cells)
            if b'"e"' in body:
                errors.extend(_error_cells(body))
        rows += _count(tail, _ROW_MARKS)
        cells += _count(tail, _CELL_MARKS)
        _too_many(path, what, sheet, rows, cells, max_rows, max_cells)
        if b'"e"' in tail:
            errors.extend(_error_cells(tail))


_ERROR_CELL = re.compile(
    rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]+)(\d+)\"[^>]*?\bt=\"e\"[^>]*>"
    rb"(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?v>([^<]*)</",
    re.DOTALL,
)
_ERROR_CELL_T_FIRST = re.compile(
    rb"<(?:\w+:)?c\s[^>]*?\bt=\"e\"[^>]*?\br=\"([A-Z]+)(\d+)\"[^>]*>"
    rb"(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?v>([^<]*)</",
    re.DOTALL,
)


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def _error_cells(data: bytes) -> list[tuple[int, int, str]]:
    """``(row, 0-based column, error text)`` of the error cells (``#N/A``, ``#DIV/0!``…)."""
    found = []
    for pattern in (_ERROR_CELL, _ERROR_CELL_T_FIRST):
        for m in pattern.finditer(data):
            found.append((int(m[2]), _column_index(m[1]), m[3].decode("utf-8", "replace")))
    return found


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def check_ods(
    path: str | PathLike[str],
    sheet: str | int | None = None,
    *,
    max_rows: int | None = MAX_ROWS,
    max_cells: int | None = MAX_CELLS,
    max_uncompressed: int | None = MAX_UNCOMPRESSED,
    max_ratio: float | None = MAX_RATIO,
) -> None:
    """Check an ``.ods`` workbook before odfpy reads it.

    :func:`check_zip`, then a streaming parse of ``content.xml`` that refuses malformed XML
    and counts, for the sheet read (or every sheet when ``sheet`` is not found), the rows and
    columns that a reader would build: ``table:number-rows-repeated`` and
    ``table:number-columns-repeated`` expand, except the empty rows and cells at the end of
    a sheet, which readers skip (LibreOffice writes ``1048553`` repeated empty rows there).
    """
    p = Path(path)
    what = "le classeur"
    check_zip(p, what, max_uncompressed=max_uncompressed, max_ratio=max_ratio)
    try:
        with zipfile.ZipFile(p) as archive, archive.open("content.xml") as stream:
            _scan_ods(stream, p, what, sheet, max_rows, max_cells)
    except MovscError:
        raise
    except KeyError:
        raise _damaged(p, what, "la partie « content.xml » manque") from None
    except ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        raise _damaged(
            p, what, f"XML mal formé dans « content.xml », ligne {line} de cette partie"
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _damaged(p, what, f"archive ZIP abîmée : {type(exc).__name__}") from None


def _scan_ods(
    stream: object,
    path: Path,
    what: str,
    sheet: str | int | None,
    max_rows: int | None,
    max_cells: int | None,
) -> None:
    row_tag, table_tag = f"{_TABLE}table-row", f"{_TABLE}table"
    cell_tags = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
    rows_repeat = f"{_TABLE}number-rows-repeated"
    cols_repeat = f"{_TABLE}number-columns-repeated"
    value_type = f"{_OFFICE}value-type"
    index = -1
    name = ""
    checked = True
    rows = last_content = width = 0
    elements = 0  # odfpy builds the whole document in memory: count what it would hold
    for event, el in iterparse(stream, events=("start", "end")):  # type: ignore[call-overload]
        if event == "start":
            if el.tag == table_tag:
                index += 1
                name = el.get(f"{_TABLE}name", str(index))
                checked = (sheet is None and index == 0) or sheet in (index, name)
                rows = last_content = width = 0
            continue
        if el.tag == row_tag:
            repeat = int(el.get(rows_repeat, "1") or 1)
            columns = row_width = 0
            elements += len(el) + 1
            for cell in el:
                if cell.tag not in cell_tags:
                    continue
                span = int(cell.get(cols_repeat, "1") or 1)
                columns += span
                if cell.get(value_type) is not None or len(cell) or (cell.text or "").strip():
                    row_width = columns
            rows += repeat
            if row_width:
                last_content = rows
                width = max(width, row_width)
            el.clear()
            if max_cells is not None and elements > max_cells:
                _too_many(path, what, name, 0, elements, None, max_cells)
            if checked:
                _too_many(path, what, name, last_content, last_content * width, max_rows, max_cells)
        elif el.tag == table_tag:
            el.clear()
