"""Paths, encodings and separators: what a text file is before it is a table."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator
from os import PathLike
from pathlib import Path

import numpy as np

from .._errors import EncodingError, FileError, FormatError

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".dat"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
SEPARATORS = [";", "\t", ",", "|"]


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xef][\x80-\xbf]{2}"
    rb"|[\xf0-\xf4][\x80-\xbf]{3}"
)


def check_path(path: str | PathLike[str]) -> Path:
    p = Path(path)
    if not p.exists():
        parent = p.parent if str(p.parent) else Path(".")
        hint = (
            f"vérifiez le nom et le dossier du fichier (le dossier courant est « {Path.cwd()} »)."
        )
        if parent.is_dir():
            similar = [c.name for c in parent.iterdir() if c.suffix.lower() == p.suffix.lower()]
            from .._errors import closest

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


def _high_bytes(raw: bytes) -> np.ndarray:
    """Positions of the bytes that are not ASCII (≥ 0x80), in order."""
    return np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) >= 0x80)


def _has_c1(raw: bytes, high: np.ndarray) -> bool:
    """Whether some byte is in the C1 range 0x80–0x9F (``high``: :func:`_high_bytes`)."""
    return bool((np.frombuffer(raw, dtype=np.uint8)[high] < 0xA0).any())


def _single_byte_encoding(raw: bytes, has_c1: bool) -> str:
    """``"cp1252"`` or ``"iso-8859-15"`` for bytes that are not UTF-8 (see
    :func:`detect_encoding`; ``has_c1``: :func:`_has_c1`)."""
    if not has_c1 and b"\xa4" in raw:
        return "iso-8859-15"
    return "cp1252"


def _utf8_text(raw: bytes) -> str | None:
    """The text of UTF-8 bytes, or ``None`` when they are not UTF-8.

    A first bad sequence in the first 64 KiB is found there: the error of a whole decoding
    would copy the whole file into the exception (milliseconds for a large file).
    """
    head = raw[:65536]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(head) == len(raw) or exc.reason != "unexpected end of data":
            return None  # (a sequence cut by the end of the head is checked whole below)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _bom_encoding(raw: bytes) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


def detect_encoding(raw: bytes) -> str:
    """Guess the encoding of French text bytes.

    Returns one of ``"utf-8-sig"``, ``"utf-16"``, ``"utf-8"``, ``"cp1252"`` or
    ``"iso-8859-15"``. Windows-1252 and ISO-8859-15 differ mainly on the euro sign (0x80 vs
    0xA4) and on the C1 range 0x80–0x9F, which ISO-8859-15 leaves to control characters:
    bytes in that range mean Windows-1252; an ``0xA4`` byte without them means ISO-8859-15.
    """
    bom = _bom_encoding(raw)
    if bom is not None:
        return bom
    if _utf8_text(raw) is not None:
        return "utf-8"
    return _single_byte_encoding(raw, _has_c1(raw, _high_bytes(raw)))


def _mixed_encoding_line(raw: bytes, high: np.ndarray) -> int | None:
    """First line that is not UTF-8 in a file whose other lines hold UTF-8 accented letters.

    Such a file was assembled from two programs (a UTF-8 export completed in a Windows-1252
    editor…): decoding it with one encoding would garble the accents of the other lines.
    Returns ``None`` when the file is not UTF-8 at all (a plain Windows-1252 file).
    ``high``: :func:`_high_bytes` of ``raw``.
    """
    # a UTF-8 sequence starts with a lead byte (0xC2–0xF4) followed by a continuation byte
    # (0x80–0xBF): two bytes that are not ASCII, side by side
    pairs = high[:-1][np.diff(high) == 1]
    data = np.frombuffer(raw, dtype=np.uint8)
    lead = (data[pairs] >= 0xC2) & (data[pairs] <= 0xF4) & (data[pairs + 1] <= 0xBF)
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


def decode(raw: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(
            "ce fichier ne contient pas du texte (c'est peut-être un classeur ou un fichier "
            "binaire renommé).",
            path=path,
            hint="ouvrez-le dans Excel ou Calc et enregistrez-le au format CSV ou XLSX.",
        )
    chosen = encoding or _bom_encoding(raw)
    if chosen is None:  # detected as detect_encoding does, each scan of the bytes made once
        text = _utf8_text(raw)
        if text is not None:
            return text, "utf-8"
        high = _high_bytes(raw)
        has_c1 = _has_c1(raw, high)
        chosen = _single_byte_encoding(raw, has_c1)
        line = _mixed_encoding_line(raw, high)
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
        if chosen == "cp1252" and not has_c1:
            # Windows-1252 is Latin-1 outside 0x80–0x9F, and Latin-1 decodes by a copy
            return raw.decode("latin-1"), chosen
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
    p = check_path(path)
    raw = p.read_bytes()
    text, chosen = decode(raw, p, encoding)
    return text.replace("\r\n", "\n").replace("\r", "\n"), chosen


@contextlib.contextmanager
def csv_fields_up_to(size: int) -> Iterator[None]:
    """Python's csv reader refuses a field longer than its limit (131,072 characters by
    default): the limit is raised to ``size`` (the length of the text read, which no field can
    exceed) while reading, then restored."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, size))
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def sniff_separator(text: str, path: Path) -> str:
    lines = [ln for ln in text.split("\n", 60)[:60] if ln.strip()]
    if not lines:
        raise FormatError(
            "le fichier est vide.", path=path, hint="vérifiez que vous avez choisi le bon fichier."
        )
    best, best_score = None, (-1.0, 0)
    sample = "\n".join(lines)
    with csv_fields_up_to(len(sample)):  # a long field (a text pasted in a cell)
        counts_of = {
            sep: [len(row) - 1 for row in csv.reader(io.StringIO(sample), delimiter=sep)]
            for sep in SEPARATORS
        }
    for sep in SEPARATORS:
        counts = counts_of[sep]
        if not counts or counts[0] == 0:
            continue
        agree = sum(c == counts[0] for c in counts) / len(counts)
        score = (agree, counts[0])
        if score > best_score:
            best, best_score = sep, score
    if best is None:
        return ";"  # no separator in the header: a single column (whatever the data hold)
    return best
