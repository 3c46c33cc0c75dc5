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
    "OptionError",
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


class OptionError(MovscError, ValueError):
    """An argument takes a value the function does not know (``sort="alpha"``, ``percent="x"``).

    Not a problem of the data: the call must change (the hint lists the accepted values).
    """


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


# --------------------------------------------------------------------------- notebooks
#
# In IPython (JupyterLab, the terminal), a MovscError is shown as a short French box — what,
# where, what to do — instead of a traceback full of the toolkit's internal frames. Teachers
# get the full traceback back with ``%xmode Verbose``, ``movsc_toolkit.options.traceback =
# True`` or the environment variable ``MOVSC_TRACEBACK=1``.

#: Environment variable that brings the full traceback back (``1``, ``oui``, ``true``…).
TRACEBACK_ENV = "MOVSC_TRACEBACK"

_TITLES: tuple[tuple[type[MovscError], str], ...] = (
    (EncodingError, "Encodage du fichier illisible"),
    (FormatError, "Format de fichier inattendu"),
    (FileError, "Problème de fichier"),
    (ColumnError, "Colonne introuvable"),
    (ValidationError, "Règle non respectée"),
    (DataError, "Données inutilisables pour ce calcul"),
    (ComputationError, "Calcul impossible"),
)


class Options:
    """Toolkit-wide switches (``movsc_toolkit.options``).

    Attributes
    ----------
    traceback
        ``True`` shows the full Python traceback of a :class:`MovscError` in IPython, as for any
        other exception (for teachers and contributors). ``None`` (default) follows the
        environment variable ``MOVSC_TRACEBACK`` and IPython's ``%xmode Verbose``.
    french_display
        ``True`` (default): in IPython, every DataFrame, Series and numpy number is shown the
        French way (``1 234,5``, ``Oui``/``Non``, ``31/12/2024``, « — » for missing values).
        ``False`` gives pandas' own display back.
    """

    def __init__(self) -> None:
        self.traceback: bool | None = None
        self.french_display: bool = True

    def __repr__(self) -> str:
        return f"Options(traceback={self.traceback!r}, french_display={self.french_display!r})"


options = Options()


def _title(error: BaseException) -> str:
    for cls, title in _TITLES:
        if isinstance(error, cls):
            return title
    return "Erreur"


def _full_traceback_wanted(shell: object) -> bool:
    import os

    if options.traceback is not None:
        return bool(options.traceback)
    if os.environ.get(TRACEBACK_ENV, "").strip().casefold() in {"1", "oui", "true", "yes", "vrai"}:
        return True
    mode = getattr(getattr(shell, "InteractiveTB", None), "mode", "")
    return str(mode).casefold() == "verbose"


def _user_line(tb: object) -> tuple[int, str] | None:
    """The last line of the user's own code (a notebook cell) in ``tb``: (line number, code)."""
    import linecache
    import os
    import sys

    package = os.path.dirname(os.path.abspath(__file__))
    library = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    found = None
    while tb is not None:
        frame = tb.tb_frame  # type: ignore[attr-defined]
        filename = frame.f_code.co_filename
        real = os.path.realpath(filename) if not filename.startswith("<") else filename
        internal = real.startswith(package) or any(real.startswith(p) for p in library)
        if not internal:
            code = linecache.getline(filename, tb.tb_lineno).strip()  # type: ignore[attr-defined]
            if code:
                found = (tb.tb_lineno, code)  # type: ignore[attr-defined]
        tb = tb.tb_next  # type: ignore[attr-defined]
    return found


def _error_parts(error: BaseException, tb: object = None) -> dict[str, object]:
    where = []
    if isinstance(error, MovscError):
        message, hint = error.message, error.hint
        if error.path is not None:
            where.append(("Fichier", f"« {error.path} »"))
        if error.line is not None:
            where.append(("Ligne du fichier", str(error.line)))
        if error.column is not None:
            where.append(("Colonne", f"« {error.column} »"))
    else:  # pragma: no cover - only MovscError reaches the handler
        message, hint = str(error), None
    message = message[:1].upper() + message[1:]
    user = _user_line(tb)
    if user is not None:
        where.append(("Dans votre cellule", f"ligne {user[0]} : {user[1]}"))
    return {"title": _title(error), "message": message, "where": where, "hint": hint}


def error_text(error: BaseException, tb: object = None) -> str:
    """The French plain-text box shown for ``error`` in a notebook (no ANSI codes)."""
    parts = _error_parts(error, tb)
    lines = [f"⚠ {parts['title']}", f"{parts['message']}"]
    for label, value in parts["where"]:  # type: ignore[attr-defined]
        lines.append(f"{label} : {value}")
    if parts["hint"]:
        lines.append(f"Que faire : {parts['hint']}")
    return "\n".join(lines)


def error_html(error: BaseException, tb: object = None) -> str:
    """The French HTML box shown for ``error`` in JupyterLab."""
    import html

    parts = _error_parts(error, tb)
    esc = html.escape
    rows = "".join(
        f"<li><strong>{esc(label)} :</strong> {esc(str(value))}</li>"
        for label, value in parts["where"]  # type: ignore[attr-defined]
    )
    hint = (
        f'<p style="margin:0.4em 0 0 0"><strong>Que faire :</strong> {esc(str(parts["hint"]))}</p>'
        if parts["hint"]
        else ""
    )
    where = f'<ul style="margin:0.3em 0 0 1.2em;padding:0">{rows}</ul>' if rows else ""
    return (
        '<div class="movsc-error" role="alert" style="border-left:4px solid #c0392b;'
        "background:#fdf1f0;color:#222;padding:0.6em 0.9em;margin:0.3em 0;"
        'font-family:sans-serif;line-height:1.4">'
        f'<p style="margin:0;color:#a93226"><strong>⚠ {esc(str(parts["title"]))}</strong></p>'
        f'<p style="margin:0.3em 0 0 0">{esc(str(parts["message"]))}</p>'
        f"{where}{hint}</div>"
    )


class _ErrorBox:
    """What IPython displays: HTML in Jupyter, plain text elsewhere."""

    def __init__(self, error: BaseException, tb: object) -> None:
        self._text = error_text(error, tb)
        self._html = error_html(error, tb)

    def __repr__(self) -> str:
        return self._text

    def _repr_html_(self) -> str:
        return self._html


def _ipython_handler(
    shell: object, etype: type, evalue: BaseException, tb: object, tb_offset: int | None = None
) -> list[str]:
    """IPython custom exception handler for :class:`MovscError` (see ``set_custom_exc``)."""
    if not isinstance(evalue, MovscError) or _full_traceback_wanted(shell):
        shell.showtraceback((etype, evalue, tb), tb_offset=tb_offset)  # type: ignore[attr-defined]
        return []
    from IPython.display import display

    display(_ErrorBox(evalue, tb))
    # An error output (not only a display) so that the cell counts as failed: "Run all" stops
    # here, nbclient/nbval see the error. Its text stays one short French line, no traceback.
    stb = [
        f"{etype.__name__} : l'exécution s'est arrêtée ici (message ci-dessus). "
        "Détail technique : %xmode Verbose puis relancer la cellule."
    ]
    # IPython's own hook, unavoidable: run_code() discards what a custom handler returns, and
    # _showtraceback is the one method kernels (ipykernel) override to send an error output.
    shell._showtraceback(etype, evalue, stb)  # type: ignore[attr-defined]
    return stb


def current_shell() -> object | None:
    """The running IPython shell, or ``None`` (never imports IPython)."""
    import sys

    ipython = sys.modules.get("IPython")
    return None if ipython is None else ipython.get_ipython()


def register_ipython_handler(shell: object | None = None) -> bool:
    """Show :class:`MovscError` as a French box in IPython; ``True`` if the handler is active.

    Called by ``import movsc_toolkit``. Does nothing outside IPython (no IPython import), and
    keeps any custom exception handler already set by someone else.
    """
    if shell is None:
        shell = current_shell()
        if shell is None:
            return False
    current = tuple(getattr(shell, "custom_exceptions", ()))
    if current and current != (MovscError,):
        return False
    shell.set_custom_exc((MovscError,), _ipython_handler)  # type: ignore[attr-defined]
    return True
