"""Errors raised by the toolkit.

Every message is written in French for the end user and says three things: what is wrong,
where (file, line, column, value) and what to do about it. Raise a subclass of
:class:`MovscError`, never a bare ``ValueError`` or ``KeyError``, for a user mistake.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from os import PathLike

__all__ = [
    "ColumnError",
    "ComputationError",
    "DataError",
    "EncodingError",
    "FileError",
    "FormatError",
    "MovscError",
    "MovscWarning",
    "ValidationError",
    "check_columns",
    "closest",
    "column_error",
]


class MovscError(Exception):
    """Base class of the toolkit's errors.

    Parameters
    ----------
    message
        What is wrong, in French, as a sentence.
    path
        The file concerned, if any.
    line
        1-based line number in the file (header = 1), if known.
    column
        Column name or number, if known.
    hint
        What the user should do, in French ("Que faire : …" is added in front).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike[str] | None = None,
        line: int | None = None,
        column: str | int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        self.hint = hint
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.path is not None:
            where.append(f"fichier « {self.path} »")
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column is not None:
            where.append(f"colonne « {self.column} »")
        text = self.message
        if where:
            location = ", ".join(where)
            text = f"{location[0].upper()}{location[1:]} : {text}"
        if self.hint:
            text = f"{text}\nQue faire : {self.hint}"
        return text

    def __str__(self) -> str:
        return self._compose()


class FileError(MovscError, OSError):
    """A file is missing, unreadable, corrupt or of an unsupported kind."""


class EncodingError(FileError):
    """The bytes of a text file cannot be decoded with any supported encoding."""


class FormatError(FileError):
    """The file's structure is wrong: ragged rows, wrong separator, missing header…"""


class ColumnError(MovscError, KeyError):
    """A column (or variable) asked for does not exist, or a required one is missing."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self._compose()


class DataError(MovscError, ValueError):
    """Values are unusable for the computation: empty table, one modality, negative weights…"""


class ValidationError(MovscError, ValueError):
    """A structured document (questionnaire, budget, project workbook) breaks a rule."""


class ComputationError(MovscError, RuntimeError):
    """The computation cannot be carried out on these data (too small, no convergence…)."""


class MovscWarning(UserWarning):
    """Something the user should know about the data, although the work could go on.

    Like the errors, the French message says what was noticed, where and what to do.
    """


def closest(name: str, candidates: Iterable[object], n: int = 3) -> list[str]:
    """Return up to ``n`` candidates that look like ``name`` (case and accents ignored first)."""
    names = [str(c) for c in candidates]
    lowered = {c.casefold(): c for c in names}
    if name.casefold() in lowered:
        return [lowered[name.casefold()]]
    return difflib.get_close_matches(name, names, n=n, cutoff=0.5)


def column_error(
    name: object,
    available: Iterable[object],
    *,
    what: str = "colonne",
    path: str | PathLike[str] | None = None,
) -> ColumnError:
    """Build (not raise) the error for an unknown column, suggesting the closest names."""
    available = [str(a) for a in available]
    suggestions = closest(str(name), available)
    if suggestions:
        hint = "vouliez-vous dire " + " ou ".join(f"« {s} »" for s in suggestions) + " ?"
    else:
        shown = ", ".join(f"« {a} »" for a in available[:15])
        more = " …" if len(available) > 15 else ""
        hint = f"les {what}s disponibles sont : {shown}{more}."
    return ColumnError(f"la {what} « {name} » n'existe pas.", path=path, hint=hint)


def check_columns(
    data: object,
    columns: Iterable[object],
    *,
    what: str = "colonne",
    path: str | PathLike[str] | None = None,
) -> None:
    """Raise :class:`ColumnError` for the first of ``columns`` missing from ``data.columns``."""
    available = list(getattr(data, "columns", []))
    for column in columns:
        if column not in available:
            raise column_error(column, available, what=what, path=path)
