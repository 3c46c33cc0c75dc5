"""The one problems table of the toolkit.

Every reader collects what it could not read, or read with a doubt, in a :class:`ProblemLog`
and hands the user a :class:`ProblemTable` (``.problems`` or ``df.attrs["problems"]``). The
columns are always, in this order::

    [fichier, feuille, élément,] ligne, colonne, valeur, gravité, message

``ligne`` is the line in the file (header = 1) or the spreadsheet row; ``gravité`` is
``"erreur"`` (the value was not used) or ``"alerte"`` (the value was used, but check it). The
context columns ``fichier``, ``feuille`` and ``élément`` appear only when one problem uses them.

Examples
--------
>>> log = ProblemLog(fichier="adherents.csv")
>>> log.add("erreur", "montant illisible", ligne=4, colonne="Montant", valeur="12,5,6")
>>> log.frame().columns.tolist()
['fichier', 'ligne', 'colonne', 'valeur', 'gravité', 'message']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "CONTEXT_COLUMNS", "SEVERITIES", "ProblemLog", "ProblemTable"]

SEVERITIES = ("erreur", "alerte")
COLUMNS = ("ligne", "colonne", "valeur", "gravité", "message")
CONTEXT_COLUMNS = ("fichier", "feuille", "élément")
_ALL = CONTEXT_COLUMNS + COLUMNS


def _check_severity(gravité: object) -> str:
    if gravité not in SEVERITIES:
        raise ValueError(
            f"gravité « {gravité} » inconnue : utilisez « erreur » ou « alerte »."
        )  # a programming error of the toolkit, not a user mistake
    return str(gravité)


class ProblemTable(pd.DataFrame):
    """A problems table (a DataFrame with the canonical columns), safe to keep in ``attrs``.

    pandas compares the ``attrs`` of the frames it concatenates or merges with ``==``; an
    ordinary DataFrame there makes ``pd.concat`` fail ("truth value of a DataFrame is
    ambiguous"). This subclass compares as a single boolean, so tables carrying their problems
    can still be concatenated and merged. Operations on it return plain DataFrames.

    Examples
    --------
    >>> log = ProblemLog()
    >>> log.add("alerte", "valeur à vérifier", ligne=3, colonne="âge", valeur="200")
    >>> table = log.frame()
    >>> table.columns.tolist(), table.n_alerts, table.n_errors
    (['ligne', 'colonne', 'valeur', 'gravité', 'message'], 1, 0)
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, pd.DataFrame) and self.equals(other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict | None = None) -> ProblemTable:
        # pandas deep-copies ``attrs`` on every operation: keep the class (and its ``==``).
        return ProblemTable(pd.DataFrame(self).copy(deep=True))

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    # ------------------------------------------------------------------ French display
    @property
    def n_errors(self) -> int:
        """Number of problems of gravity ``erreur``."""
        return int((self["gravité"] == "erreur").sum()) if "gravité" in self.columns else 0

    @property
    def n_alerts(self) -> int:
        """Number of problems of gravity ``alerte``."""
        return int((self["gravité"] == "alerte").sum()) if "gravité" in self.columns else 0

    def _summary(self) -> str:
        if len(self) == 0:
            return "Aucun problème relevé."
        errors, alerts = self.n_errors, self.n_alerts
        parts = []
        if errors:
            parts.append(f"{errors} erreur{'s' if errors > 1 else ''}")
        if alerts:
            parts.append(f"{alerts} alerte{'s' if alerts > 1 else ''}")
        if not parts:
            parts.append(f"{len(self)} problème{'s' if len(self) > 1 else ''}")
        return "Problèmes relevés : " + " et ".join(parts) + "."

    def __str__(self) -> str:
        if len(self) == 0:
            return self._summary()
        from ._format import frame_text

        return self._summary() + "\n" + frame_text(pd.DataFrame(self), index=False)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        from html import escape

        summary = f"<p>{escape(self._summary())}</p>"
        if len(self) == 0:
            return summary
        from ._format import frame_html  # French cells: « — » for None, <NA> and NaN

        return summary + frame_html(pd.DataFrame(self), index=False)


class ProblemLog:
    """Collector of problems, turned into a :class:`ProblemTable` by :meth:`frame`.

    Parameters
    ----------
    fichier
        The file being read: filled in the ``fichier`` column of every problem that does not
        name another file. Leave ``None`` when the table describes one known file (the
        ``fichier`` column is then omitted unless a problem names one).

    Examples
    --------
    >>> log = ProblemLog()
    >>> log.add("alerte", "séparateur des milliers ambigu", ligne=3, colonne="Montant",
    ...         valeur="1.250")
    >>> len(log)
    1
    """

    def __init__(self, fichier: str | None = None) -> None:
        self.fichier = None if fichier is None else str(fichier)
        self._chunks: list[dict[str, Any]] = []  # column -> scalar or array, plus "_n"
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def __bool__(self) -> bool:
        return self._n > 0

    def __repr__(self) -> str:
        return f"ProblemLog({self._n} problème(s))"

    def add(
        self,
        gravité: str,
        message: str,
        *,
        ligne: int | None = None,
        colonne: object = None,
        valeur: object = None,
        fichier: str | None = None,
        feuille: str | None = None,
        élément: object = None,
    ) -> None:
        """Record one problem. ``gravité`` is ``"erreur"`` or ``"alerte"``."""
        _check_severity(gravité)
        self._chunks.append(
            {
                "_n": 1,
                "fichier": fichier,
                "feuille": feuille,
                "élément": élément,
                "ligne": ligne,
                "colonne": colonne,
                "valeur": valeur,
                "gravité": gravité,
                "message": message,
            }
        )
        self._n += 1

    def add_many(
        self,
        gravité: str,
        message: str | Sequence[str],
        *,
        ligne: Sequence[int] | np.ndarray | pd.Series,
        colonne: object = None,
        valeur: Sequence[object] | np.ndarray | pd.Series | None = None,
        fichier: str | None = None,
        feuille: str | None = None,
        élément: object = None,
    ) -> None:
        """Record one problem per element of ``ligne`` (vectorised; for whole columns).

        ``message``, ``valeur`` and ``élément`` may be one value for all or one per line.
        """
        _check_severity(gravité)
        lines = np.asarray(ligne)
        n = len(lines)
        if n == 0:
            return
        chunk: dict[str, Any] = {
            "_n": n,
            "fichier": fichier,
            "feuille": feuille,
            "élément": élément,
            "ligne": lines,
            "colonne": colonne,
            "valeur": None if valeur is None else np.asarray(valeur, dtype=object),
            "gravité": gravité,
            "message": message if isinstance(message, str) else np.asarray(message, dtype=object),
        }
        for key in ("valeur", "message", "élément"):
            value = chunk[key]
            if isinstance(value, np.ndarray | list | pd.Series) and len(value) != n:
                raise ValueError(f"{key} : {len(value)} valeurs pour {n} lignes.")
        self._chunks.append(chunk)
        self._n += n

    def extend(
        self,
        problems: ProblemLog | pd.DataFrame | Iterable[Mapping[str, Any]],
        **context: Any,
    ) -> None:
        """Add the problems of another log, a problems DataFrame or an iterable of dicts.

        ``context`` (``fichier=``, ``feuille=``, ``élément=``) fills these columns where the
        added problems leave them empty. A missing ``gravité`` defaults to ``"erreur"``.
        """
        unknown = set(context) - set(CONTEXT_COLUMNS)
        if unknown:
            raise TypeError(f"contexte inconnu : {', '.join(sorted(unknown))}")
        if isinstance(problems, ProblemLog):
            frame = problems._raw_frame()
        elif isinstance(problems, pd.DataFrame):
            frame = pd.DataFrame(problems)
        else:
            frame = pd.DataFrame(list(problems))
        if frame.empty:
            return
        extra = set(frame.columns) - set(_ALL)
        if extra:
            raise ValueError(f"colonnes de problèmes inconnues : {', '.join(sorted(extra))}")
        if "gravité" not in frame.columns:
            frame["gravité"] = "erreur"
        frame["gravité"] = frame["gravité"].fillna("erreur")
        for g in pd.unique(frame["gravité"]):
            _check_severity(g)
        n = len(frame)
        chunk: dict[str, Any] = {"_n": n}
        for col in _ALL:
            if col in frame.columns:
                values = frame[col].to_numpy(dtype=object)
                if col in context and context[col] is not None:
                    values = np.where(pd.isna(values), context[col], values)
                chunk[col] = values
            else:
                chunk[col] = context.get(col)
        self._chunks.append(chunk)
        self._n += n

    def _raw_frame(self) -> pd.DataFrame:
        """All columns, unused ones included, without the log-level ``fichier`` default."""
        parts = []
        for chunk in self._chunks:
            n = chunk["_n"]
            data = {}
            for col in _ALL:
                value = chunk[col]
                if isinstance(value, np.ndarray):
                    data[col] = value
                else:
                    data[col] = np.full(n, value, dtype=object)
            parts.append(pd.DataFrame(data))
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in _ALL})
        return pd.concat(parts, ignore_index=True)

    def frame(self, *, sort: bool = True) -> ProblemTable:
        """The problems as a :class:`ProblemTable`.

        Columns: the context columns actually used (``fichier``, ``feuille``, ``élément``),
        then ``ligne, colonne, valeur, gravité, message``. ``ligne`` is a nullable integer;
        ``valeur`` is the text of the cell. With ``sort`` (default), problems are ordered by
        line within each file and sheet (files and sheets in the order they were first met;
        problems of one line keep their order; problems without a line come first).
        """
        raw = self._raw_frame()
        if self.fichier is not None:
            raw["fichier"] = raw["fichier"].where(raw["fichier"].notna(), self.fichier)
        columns = [c for c in CONTEXT_COLUMNS if raw[c].notna().any()] + list(COLUMNS)
        out = raw[columns].copy()
        out["ligne"] = pd.array(
            [None if pd.isna(v) else int(v) for v in out["ligne"]], dtype="Int64"
        )
        out["valeur"] = [None if _isna(v) else str(v) for v in out["valeur"]]
        out["valeur"] = out["valeur"].astype(object)
        for col in ("colonne", "message", *[c for c in CONTEXT_COLUMNS if c in out]):
            out[col] = [None if _isna(v) else v for v in out[col]]
            out[col] = out[col].astype(object)
        if sort and len(out):
            context = [c for c in ("fichier", "feuille") if c in out.columns]
            group = (
                pd.factorize(pd.MultiIndex.from_frame(out[context].fillna("")))[0]
                if context
                else np.zeros(len(out), dtype=int)
            )
            line = out["ligne"].astype("float64").fillna(-1.0).to_numpy()
            order = np.lexsort((line, group))
            out = out.iloc[order].reset_index(drop=True)
        for col in out.columns:
            if out[col].dtype == object:
                out[col] = out[col].astype(object).where(out[col].notna(), None)
        return ProblemTable(out)


def _isna(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
