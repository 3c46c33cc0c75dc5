"""Checks of zip-based documents (.docx, .odt, .xlsx, .ods) before a library opens them.

Why. A ``.docx`` or ``.odt`` is a zip archive of XML files. Two kinds of file make the usual
readers misbehave:

* a **zip bomb** — a small file whose members declare gigabytes once expanded: python-docx and
  odfpy would expand all of it in memory. The central directory (read without expanding
  anything) gives the declared sizes; the archive is refused when their sum passes a limit.
  Python's :mod:`zipfile` never expands a member past its declared size (a lying size ends in a
  CRC error), so the declared total bounds the work;
* a **damaged** archive or XML — odfpy swallows XML errors (it prints them and returns an empty
  document), which would give an empty or partial transcript without a word. The members that
  hold the text are parsed strictly here first; any error refuses the file.

Limits (can be raised by the caller, e.g. ``read_corpus(..., max_mb=…)``): 200 MB declared in
all, 10 000 members. A real transcript is far below (a 300-page ``.docx`` with photos weighs
tens of MB).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from xml.parsers import expat

from ._errors import FileError
from ._format import format_number

__all__ = ["DEFAULT_MAX_MB", "DEFAULT_MAX_MEMBERS", "check_zip"]

DEFAULT_MAX_MB = 200.0
DEFAULT_MAX_MEMBERS = 10_000

_KIND = {
    ".docx": "Word",
    ".odt": "Writer",
    ".xlsx": "Excel",
    ".ods": "Calc",
}


def _damaged(path: Path, detail: str) -> FileError:
    kind = _KIND.get(path.suffix.lower(), "")
    software = f"dans {kind} " if kind else ""
    return FileError(
        f"le document est abîmé ({detail}) : il n'est pas lu, pour ne pas en garder seulement "
        "une partie.",
        path=path,
        hint=f"ouvrez-le {software}(ou LibreOffice) : s'il s'ouvre, réenregistrez-le sous un "
        "nouveau nom ; sinon repartez d'une copie de sauvegarde, ou enregistrez le texte en "
        ".txt (UTF-8).",
    )


def check_zip(
    path: str | Path,
    *,
    xml_members: Sequence[str] = (),
    max_mb: float = DEFAULT_MAX_MB,
    max_members: int = DEFAULT_MAX_MEMBERS,
) -> None:
    """Refuse an archive that is damaged or would expand beyond the limits.

    Parameters
    ----------
    path
        The ``.docx``/``.odt``/``.xlsx``/``.ods`` file.
    xml_members
        Members that must exist and be well-formed XML (``"word/document.xml"`` for a
        ``.docx``, ``"content.xml"`` for an ``.odt``); they are parsed strictly, in a stream,
        within the size limit.
    max_mb
        Largest total declared size once expanded, in MB (10⁶ bytes).
    max_members
        Largest number of members.

    Raises
    ------
    FileError
        Not a zip archive, damaged archive, missing or malformed XML member, or a declared size
        beyond the limits (the message gives the size and how to raise the limit).
    """
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        del exc
        raise _damaged(
            path, "ce n'est pas une archive zip valide, ou elle est incomplète"
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > max_members:
            raise FileError(
                f"le document contient {len(infos)} fichiers internes, bien plus qu'un vrai "
                f"document (limite : {max_members}).",
                path=path,
                hint="vérifiez qu'il s'agit bien du bon fichier ; s'il est authentique, "
                "réenregistrez-le depuis Word ou Writer.",
            )
        total = sum(max(info.file_size, 0) for info in infos)
        limit = int(max_mb * 1_000_000)
        if total > limit:
            raise FileError(
                f"le document déclare {format_number(total / 1_000_000, 0)} Mo une fois "
                f"décompressé (limite : {format_number(max_mb, 0)} Mo) : c'est anormal pour un "
                "texte (fichier piégé ou abîmé), il n'est pas ouvert.",
                path=path,
                hint="si c'est un vrai document (par exemple rempli de photos), retirez les "
                "images ou enregistrez le texte en .txt ; ou relevez la limite avec "
                f"max_mb={int(total / 1_000_000) + 1}.",
            )
        names = {info.filename for info in infos}
        for member in xml_members:
            if member not in names:
                raise _damaged(path, f"la partie « {member} » qui contient le texte manque")
            _parse_member(archive, member, path)


def _parse_member(archive: zipfile.ZipFile, member: str, path: Path) -> None:
    """Parse one XML member strictly, by chunks (CRC checked by zipfile at the end)."""
    parser = expat.ParserCreate()
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 20):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _damaged(path, f"XML illisible dans « {member} », ligne {exc.lineno}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError):
        raise _damaged(path, f"« {member} » ne se décompresse pas correctement") from None
