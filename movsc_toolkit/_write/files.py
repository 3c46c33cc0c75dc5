"""Files and folders: output paths, French errors for locked or missing files, atomic writes."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator, Sequence
from os import PathLike
from pathlib import Path

from .._errors import FileError

_LOCK_WINERRORS = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


# --------------------------------------------------------------------------- errors


def _folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _error(exc: OSError, path: Path, what: str, *, stage: str) -> FileError:
    """Map an ``OSError`` raised while writing ``path`` to a French :class:`FileError`.

    ``stage`` is ``"folder"`` (creating the folder or the temporary file) or ``"replace"``
    (moving the finished file over the destination).
    """
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    folder = _folder_of(path)
    if isinstance(exc, FileError):
        return exc
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return FileError(
            f"impossible d'écrire {what} : le disque (ou la clé USB) est plein.",
            path=path,
            hint="libérez de la place (videz la corbeille, supprimez des fichiers inutiles) ou "
            "enregistrez dans un autre dossier, puis relancez.",
        )
    if code == errno.EROFS:
        return FileError(
            f"impossible d'écrire {what} : le disque du dossier « {folder} » est en lecture seule.",
            path=path,
            hint="choisissez un dossier où vous pouvez écrire (par exemple dans vos "
            "Documents), ou vérifiez que la clé USB n'est pas verrouillée.",
        )
    if code == errno.ENAMETOOLONG:
        return FileError(
            f"impossible d'écrire {what} : le nom du fichier ou du dossier est trop long.",
            path=path,
            hint="choisissez un nom plus court ou un dossier moins profond.",
        )
    if code == errno.EISDIR:
        return FileError(
            f"impossible d'écrire {what} : ce chemin est un dossier, pas un fichier.",
            path=path,
            hint="ajoutez le nom du fichier à la fin du chemin.",
        )
    if code == errno.ENOTDIR or isinstance(exc, NotADirectoryError | FileExistsError):
        return FileError(
            f"impossible d'écrire {what} : une partie du chemin est un fichier, pas un dossier.",
            path=path,
            hint="vérifiez le chemin : chaque élément avant le nom du fichier doit être un "
            "dossier.",
        )
    if code == errno.ENOENT or isinstance(exc, FileNotFoundError):
        return FileError(
            f"impossible d'écrire {what} : le dossier ou le lecteur « {folder} » est introuvable.",
            path=path,
            hint="vérifiez le chemin ; si c'est une clé USB ou un disque réseau, vérifiez qu'il "
            "est bien branché ou connecté.",
        )
    locked = winerror in _LOCK_WINERRORS
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM) or locked:
        if locked or (stage == "replace" and path.exists()):
            return FileError(
                f"impossible d'enregistrer {what} : le fichier est ouvert dans un autre "
                "logiciel (Excel, Calc, Word…) ou protégé en écriture.",
                path=path,
                hint="fermez le fichier dans Excel/Calc (ou Word) puis relancez ; sinon "
                "enregistrez sous un autre nom.",
            )
        return FileError(
            f"impossible d'écrire {what} : vous n'avez pas le droit d'écrire dans le dossier "
            f"« {folder} ».",
            path=path,
            hint="choisissez un dossier où vous pouvez écrire (par exemple dans vos Documents).",
        )
    detail = exc.strerror or str(exc)
    return FileError(
        f"impossible d'écrire {what} (message du système : {detail}).",
        path=path,
        hint="vérifiez le chemin, la place libre et que le fichier n'est pas ouvert ailleurs, "
        "puis relancez.",
    )


def os_error(exc: OSError, path: str | PathLike[str], what: str = "le fichier") -> FileError:
    """The French :class:`FileError` for an ``OSError`` met while writing ``path``.

    For writers that cannot go through :func:`atomic_write` (copying a folder of files…):
    ``raise os_error(exc, path, "le dossier du mémoire") from None``.
    """
    target = Path(path)
    return _error(exc, target, what, stage="replace" if target.is_file() else "folder")


# --------------------------------------------------------------------------- paths


def _suffix_list(suffixes: Sequence[str]) -> str:
    shown = [s for s in suffixes]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " ou " + shown[-1]


def output_path(
    path: str | PathLike[str], suffixes: Sequence[str] | str, what: str = "le fichier"
) -> Path:
    """Check a destination before writing and create its missing parent folder.

    Parameters
    ----------
    path
        Destination file (``~`` is expanded).
    suffixes
        Accepted extensions, lower case with the dot (``(".xlsx", ".ods")``); case is ignored.
    what
        The thing written, in French with its article (``"le classeur"``), used in messages.

    Raises
    ------
    FileError
        Unaccepted extension (the accepted ones are listed), a path that is a folder, a parent
        that cannot be created.
    """
    if isinstance(suffixes, str):
        suffixes = (suffixes,)
    target = Path(path).expanduser()
    if target.is_dir():
        raise FileError(
            f"impossible d'écrire {what} : ce chemin est un dossier, pas un fichier.",
            path=target,
            hint=f"ajoutez le nom du fichier, par exemple « {target / ('resultat' + suffixes[0])} ».",
        )
    if target.suffix.lower() not in {s.lower() for s in suffixes}:
        got = target.suffix or "(aucune extension)"
        raise FileError(
            f"l'extension « {got} » n'est pas prévue pour {what}.",
            path=target,
            hint=f"terminez le nom du fichier par {_suffix_list(suffixes)} (par exemple "
            f"« {target.stem or 'resultat'}{suffixes[0]} »).",
        )
    folder = _folder_of(target)
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _error(exc, target, what, stage="folder") from None
    return target


# --------------------------------------------------------------------------- atomic write

_UMASK: int | None = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:
        current = os.umask(0o022)
        os.umask(current)
        _UMASK = current
    return _UMASK


@contextlib.contextmanager
def atomic_write(path: str | PathLike[str], what: str = "le fichier") -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it over ``path`` once written.

    The body writes the whole file to the yielded path. On success the file is flushed to disk
    and replaces ``path`` in one step (:func:`os.replace`); if the body raises, the temporary
    file is removed and ``path`` is left as it was. ``OSError``s are turned into French
    :class:`FileError`s naming ``path``.

    Examples
    --------
    >>> with atomic_write("note.txt", "la note") as tmp:  # doctest: +SKIP
    ...     tmp.write_text("Bonjour", encoding="utf-8")
    """
    target = Path(path).expanduser()
    folder = _folder_of(target)
    if target.is_file() and not os.access(target, os.W_OK):
        # POSIX would let os.replace overwrite a read-only file: respect the protection
        raise FileError(
            f"impossible d'enregistrer {what} : le fichier existant est protégé en écriture "
            "(lecture seule).",
            path=target,
            hint="enregistrez sous un autre nom, ou retirez la protection (Propriétés > "
            "Lecture seule) puis relancez.",
        )
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{target.stem[:40]}-", suffix=f".tmp{target.suffix}", dir=folder
        )
    except OSError as exc:
        raise _error(exc, target, what, stage="folder") from None
    os.close(handle)
    tmp = Path(name)
    try:
        try:
            yield tmp
        except OSError as exc:
            raise _error(exc, target, what, stage="folder") from None
        try:
            with open(tmp, "rb+") as stream:
                os.fsync(stream.fileno())
            try:
                mode = target.stat().st_mode & 0o777 if target.is_file() else None
            except OSError:
                mode = None
            with contextlib.suppress(OSError):
                os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
            os.replace(tmp, target)
        except OSError as exc:
            raise _error(exc, target, what, stage="replace") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
