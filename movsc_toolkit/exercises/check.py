"""Self-checks for the exercises: ``verifier`` and ``indice``.

An exercise is registered by an answers module (``movsc_toolkit/exercises/answers/*.py``) with
the :func:`exercise` decorator on a function that *computes* the expected value from the bundled
data — nothing is pasted into the notebooks, and nothing depends on the notebook's name, its
metadata, the working directory or a network::

    @exercise(
        "prise-en-main-effectif",
        question="Combien d'adhérents compte le fichier ?",
        hints=["Une table a une longueur…", "len(adherents)"],
    )
    def _():
        return len(datasets.load("exemple_adherents"))

In a notebook, ``verifier("prise-en-main-effectif", reponse)`` compares the student's value with
the expected one (numbers with a tolerance, tables cell by cell) and answers in French;
``indice("prise-en-main-effectif", niveau=2)`` gives progressive hints.
"""

from __future__ import annotations

import html
import importlib
import math
import pkgutil
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from .._errors import MovscError, closest
from .._format import format_number

__all__ = [
    "CheckResult",
    "Exercise",
    "Hint",
    "exercise",
    "exercises",
    "indice",
    "verifier",
]

_REGISTRY: dict[str, Exercise] = {}
_LOADED = False


@dataclass(frozen=True)
class Exercise:
    """One checked question.

    Attributes
    ----------
    id
        Stable identifier used in ``verifier("id", …)``, prefixed by the exercise set
        (``"budget-frng"``).
    question
        The question in French, as the notebook asks it.
    expected
        Function without arguments computing the expected value from the bundled data.
    hints
        Progressive hints in French, from a nudge to a near-solution.
    abs_tol, rel_tol
        Tolerances for numbers (and the numeric cells of tables).
    ordered
        For lists: whether order matters.
    """

    id: str
    question: str
    expected: Callable[[], Any]
    hints: tuple[str, ...] = ()
    abs_tol: float = 0.005
    rel_tol: float = 1e-4
    ordered: bool = False
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def expected_value(self) -> Any:
        if "value" not in self._cache:
            self._cache["value"] = self.expected()
        return self._cache["value"]


def exercise(
    id: str,
    *,
    question: str,
    hints: Sequence[str] = (),
    abs_tol: float = 0.005,
    rel_tol: float = 1e-4,
    ordered: bool = False,
) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Decorator registering the function that computes an exercise's expected value."""

    def register(func: Callable[[], Any]) -> Callable[[], Any]:
        if id in _REGISTRY:
            raise ValueError(f"exercise id registered twice: {id}")
        _REGISTRY[id] = Exercise(
            id=id,
            question=question,
            expected=func,
            hints=tuple(hints),
            abs_tol=abs_tol,
            rel_tol=rel_tol,
            ordered=ordered,
        )
        return func

    return register


def _load_answers() -> None:
    global _LOADED
    if _LOADED:
        return
    from . import answers

    for info in pkgutil.iter_modules(answers.__path__):
        importlib.import_module(f"{answers.__name__}.{info.name}")
    _LOADED = True


def exercises() -> pd.DataFrame:
    """List the registered exercises (id and question)."""
    _load_answers()
    rows = [
        {"id": e.id, "question": e.question, "indices": len(e.hints)} for e in _REGISTRY.values()
    ]
    return pd.DataFrame(rows, columns=["id", "question", "indices"]).set_index("id")


def _get(id: str) -> Exercise:
    _load_answers()
    if id not in _REGISTRY:
        near = closest(id, _REGISTRY)
        hint = (
            f"vouliez-vous dire « {near[0]} » ?" if near else "recopiez l'identifiant de l'énoncé."
        )
        raise MovscError(f"l'exercice « {id} » n'existe pas.", hint=hint)
    return _REGISTRY[id]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CheckResult:
    """What ``verifier`` answers: a status (``juste``, ``faux``, ``vide``) and a French message."""

    id: str
    status: str
    message: str
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "juste"

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        icon = {"juste": "✅", "faux": "❌", "vide": "✏️"}[self.status]
        text = f"{icon} [{self.id}] {self.message}"
        if self.hint:
            text += f"\n   Indice : {self.hint}"
        return text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {"juste": "#1b7837", "faux": "#b2182b", "vide": "#6a6a6a"}[self.status]
        icon = {"juste": "✅", "faux": "❌", "vide": "✏️"}[self.status]
        body = f"<strong>{icon} {html.escape(self.message)}</strong>"
        if self.hint:
            body += f"<br><em>Indice :</em> {html.escape(self.hint)}"
        return (
            f'<div style="border-left:4px solid {colour};padding:4px 8px">'
            f"<small>{html.escape(self.id)}</small><br>{body}</div>"
        )


@dataclass(frozen=True)
class Hint:
    """A hint shown by ``indice``."""

    id: str
    level: int
    total: int
    text: str

    def __str__(self) -> str:
        return f"💡 Indice {self.level}/{self.total} [{self.id}] : {self.text}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return (
            '<div style="border-left:4px solid #E69F00;padding:4px 8px">'
            f"💡 <strong>Indice {self.level}/{self.total}</strong> "
            f"<small>({html.escape(self.id)})</small><br>{html.escape(self.text)}</div>"
        )


# --------------------------------------------------------------------------- comparison


def _is_number(value: Any) -> bool:
    return isinstance(value, Real | np.number) and not isinstance(value, bool | np.bool_)


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like cell
        return False


def _norm_text(value: str) -> str:
    text = unicodedata.normalize("NFKD", str(value).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("’", "'").split())


def _describe(value: Any) -> str:
    if isinstance(value, pd.DataFrame):
        return "un tableau (DataFrame)"
    if isinstance(value, pd.Series):
        return "une colonne (Series)"
    if isinstance(value, str):
        return f"du texte (« {value[:40]} »)"
    if isinstance(value, bool | np.bool_):
        return "un booléen (True/False)"
    if _is_number(value):
        return "un nombre"
    if isinstance(value, list | tuple | set):
        return "une liste"
    if value is None:
        return "None (rien : la cellule ne renvoie pas de valeur)"
    return f"un objet de type {type(value).__name__}"


def _close(a: float, b: float, ex: Exercise) -> bool:
    if math.isnan(a) and math.isnan(b):
        return True
    return math.isclose(a, b, rel_tol=ex.rel_tol, abs_tol=ex.abs_tol)


def _compare_number(value: Any, expected: Any, ex: Exercise) -> str | None:
    if isinstance(value, pd.DataFrame | pd.Series) and value.size == 1:
        value = value.to_numpy().ravel()[0]
    if isinstance(value, str):
        try:
            value = float(re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", "."))
        except ValueError:
            return f"un nombre est attendu, et votre réponse est {_describe(value)}."
    if not _is_number(value):
        return f"un nombre est attendu, et votre réponse est {_describe(value)}."
    if _close(float(value), float(expected), ex):
        return None
    direction = "trop élevée" if float(value) > float(expected) else "trop faible"
    return f"votre valeur ({_shown_number(float(value))}) est {direction}."


def _shown_number(value: float) -> str:
    """The student's number with the decimals it has, four at most: 1 000, 84,4667, 0,5."""
    text = format_number(value, 4)
    return text.rstrip("0").rstrip(",") if "," in text else text


def _compare_frame(value: Any, expected: pd.DataFrame | pd.Series, ex: Exercise) -> str | None:
    if isinstance(expected, pd.Series):
        expected = expected.to_frame()
        if isinstance(value, pd.Series):
            value = value.to_frame()
            value.columns = expected.columns
    if not isinstance(value, pd.DataFrame):
        return f"un tableau est attendu, et votre réponse est {_describe(value)}."
    if value.shape != expected.shape:
        return (
            f"votre tableau a {value.shape[0]} ligne(s) et {value.shape[1]} colonne(s) ; "
            f"il en faut {expected.shape[0]} et {expected.shape[1]}."
        )
    exp_cols = [str(c) for c in expected.columns]
    val_cols = [str(c) for c in value.columns]
    if sorted(exp_cols) != sorted(val_cols):
        missing = [c for c in exp_cols if c not in val_cols]
        return "colonnes attendues manquantes : " + ", ".join(f"« {c} »" for c in missing) + "."
    exp_rows = [str(i) for i in expected.index]
    val_rows = [str(i) for i in value.index]
    if sorted(exp_rows) != sorted(val_rows):
        missing = [r for r in exp_rows if r not in val_rows]
        return "lignes attendues manquantes : " + ", ".join(f"« {r} »" for r in missing) + "."
    value = value.copy()
    value.columns = val_cols
    value.index = val_rows
    for r, c in ((r, c) for r in exp_rows for c in exp_cols):
        want = expected.iloc[exp_rows.index(r), exp_cols.index(c)]
        got = value.at[r, c]
        if _is_missing(want):
            if not _is_missing(got):
                return f"la case ligne « {r} », colonne « {c} » devrait être vide."
        elif _is_missing(got):
            return f"la case ligne « {r} », colonne « {c} » est vide ; elle devrait être remplie."
        elif _is_number(want):
            if not _is_number(got) or not _close(float(got), float(want), ex):
                return f"la case ligne « {r} », colonne « {c} » n'est pas juste."
        elif _norm_text(str(got)) != _norm_text(str(want)):
            return f"la case ligne « {r} », colonne « {c} » n'est pas juste."
    return None


def _compare(value: Any, expected: Any, ex: Exercise) -> str | None:
    """Return ``None`` when ``value`` matches, else a French explanation (no answer revealed)."""
    if isinstance(expected, pd.DataFrame | pd.Series):
        return _compare_frame(value, expected, ex)
    if isinstance(expected, bool | np.bool_):
        if not isinstance(value, bool | np.bool_):
            return f"True ou False est attendu, et votre réponse est {_describe(value)}."
        return None if bool(value) == bool(expected) else "ce n'est pas la bonne réponse."
    if _is_number(expected):
        return _compare_number(value, expected, ex)
    if isinstance(expected, str):
        if not isinstance(value, str):
            return f"un texte est attendu, et votre réponse est {_describe(value)}."
        return (
            None if _norm_text(value) == _norm_text(expected) else "ce n'est pas la bonne réponse."
        )
    if isinstance(expected, dict):
        if not isinstance(value, dict):
            return f"un dictionnaire est attendu, et votre réponse est {_describe(value)}."
        missing = [k for k in expected if k not in value]
        if missing:
            return "clés manquantes : " + ", ".join(f"« {k} »" for k in missing) + "."
        for key, want in expected.items():
            problem = _compare(value[key], want, ex)
            if problem:
                return f"pour « {key} » : {problem}"
        return None
    if isinstance(expected, list | tuple | set):
        if isinstance(value, pd.Index | pd.Series | np.ndarray):
            value = value.tolist()
        if not isinstance(value, list | tuple | set):
            return f"une liste est attendue, et votre réponse est {_describe(value)}."

        def norm(v: Any) -> Any:
            return _norm_text(v) if isinstance(v, str) else v

        got = [norm(v) for v in value]
        want = [norm(v) for v in expected]
        if len(got) != len(want):
            return f"votre liste a {len(got)} élément(s) ; il en faut {len(want)}."
        if ex.ordered and not isinstance(expected, set):
            return None if got == want else "les éléments ou leur ordre ne sont pas justes."
        return (
            None
            if sorted(map(str, got)) == sorted(map(str, want))
            else ("certains éléments de votre liste ne sont pas justes.")
        )
    return None if value == expected else "ce n'est pas la bonne réponse."


def verifier(id: str, valeur: Any) -> CheckResult:
    """Check a student's answer to exercise ``id``.

    ``valeur`` left as ``...`` (the placeholder of the student version) gives "pas encore de
    réponse". Numbers are compared with the exercise's tolerance, tables cell by cell.
    """
    ex = _get(id)
    if valeur is Ellipsis:
        return CheckResult(
            id, "vide", "Pas encore de réponse : remplacez « ... » par votre calcul, puis relancez."
        )
    problem = _compare(valeur, ex.expected_value(), ex)
    if problem is None:
        return CheckResult(id, "juste", "Bravo, c'est juste !")
    return CheckResult(
        id, "faux", f"Pas encore : {problem}", hint=ex.hints[0] if ex.hints else None
    )


def indice(id: str, niveau: int = 1) -> Hint:
    """Give hint number ``niveau`` (1 = a nudge, the last one nearly the solution)."""
    ex = _get(id)
    if not ex.hints:
        return Hint(id, 0, 0, "pas d'indice pour cette question : relisez l'énoncé et le cours.")
    level = max(1, min(int(niveau), len(ex.hints)))
    text = ex.hints[level - 1]
    if niveau > len(ex.hints):
        text += " (c'est le dernier indice)"
    return Hint(id, level, len(ex.hints), text)
