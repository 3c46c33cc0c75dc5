"""The registry of checked questions: :func:`exercise` declares one (in the ``answers`` modules),
:func:`exercises` lists them, :func:`get_exercise` finds one by its identifier.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from .._errors import MovscError, closest
from ._normalise import show_expected

__all__ = [
    "REGISTRY",
    "Diagnostic",
    "Exercise",
    "exercise",
    "exercises",
    "get_exercise",
    "load_answers",
]

REGISTRY: dict[str, Exercise] = {}
_LOADED = False


@dataclass(frozen=True)
class Diagnostic:
    """A known wrong answer of one question (see ``diagnostics=`` in :func:`exercise`)."""

    alternative: Any
    message: str
    hint: str | None = None
    code: str = "ciblé"


@dataclass(frozen=True)
class Exercise:
    """One checked question (see the module docstring for every parameter)."""

    id: str
    question: str
    expected: Callable[[], Any]
    hints: tuple[str, ...] = ()
    abs_tol: float | None = None
    rel_tol: float = 0.0
    ordered: bool = False
    decimals: int | None = None
    unit: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    synonyms: tuple[str, ...] = ()
    kind: str | None = None
    choices: dict[str, str] | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    points: float = 1.0
    solution: str | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def expected_value(self) -> Any:
        if "value" not in self._cache:
            self._cache["value"] = self.expected()
        return self._cache["value"]

    def display_decimals(self, expected: Any = None) -> int:
        """Decimals the answer is displayed with (declared, else 0 for integers, else 2)."""
        if self.decimals is not None:
            return self.decimals
        if expected is None:
            expected = self.expected_value()
        if isinstance(expected, Real | np.number) and float(expected).is_integer():
            return 0
        return 2

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value computed once per question (a diagnostic's alternative, for instance)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def without_diagnostics(self) -> Exercise:
        """The same question without its known wrong answers (to test an answer against one)."""
        return replace(self, diagnostics=(), _cache=self._cache)

    def model_answer(self) -> str:
        """The model answer: ``solution=`` or the last hint, with the expected value."""
        code = self.solution or (self.hints[-1] if self.hints else "")
        value = show_expected(self)
        return f"{code}\n→ {value}" if code else value


_KINDS = ("texte", "mois", "date", "encodage")


def exercise(
    id: str,
    *,
    question: str,
    hints: Sequence[str] = (),
    abs_tol: float | None = None,
    rel_tol: float = 0.0,
    ordered: bool = False,
    decimals: int | None = None,
    unit: str | None = None,
    diagnostics: Sequence[Any] = (),
    synonyms: Sequence[str] = (),
    kind: str | None = None,
    choices: dict[str, str] | None = None,
    answer: Any = None,
    reasons: dict[str, str] | None = None,
    points: float = 1.0,
    solution: str | None = None,
) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register an exercise; decorate the function computing its expected value.

    With ``choices=`` and ``answer=`` (a multiple-choice question whose answer is fixed), the
    exercise is registered by the call itself. :mod:`movsc_toolkit.exercises.check` details how
    each kind of answer is compared.

    Parameters
    ----------
    id
        The identifier the notebook gives to ``verifier`` and ``indice``.
    question
        The question's wording (listed by :func:`exercises`).
    hints
        Progressive hints, from a nudge to a near-solution.
    abs_tol, rel_tol
        Absolute and relative gaps accepted for a number (default: equal at display precision).
    ordered
        ``True`` when the order of a list matters.
    decimals
        Display precision of the expected number (messages, model answer).
    unit
        Unit written after the numbers in messages (``"€"``, ``"%"``).
    diagnostics
        Known wrong answers: ``(alternative, message[, hint])`` or :class:`Diagnostic`.
    synonyms
        Other accepted spellings of a text answer.
    kind
        How a text answer is read: ``"texte"``, ``"mois"``, ``"date"`` or ``"encodage"``.
    choices
        A multiple-choice question: letter → proposition.
    answer
        The fixed answer of a multiple-choice question (letters), instead of a function.
    reasons
        Why each proposition of a multiple-choice question is right or wrong.
    points
        Points of the question in the default scale of ``movsc correction``.
    solution
        The model answer's code (else the last hint).

    Returns
    -------
    callable
        The decorator that registers the function computing the expected value (it returns
        the function unchanged).

    Examples
    --------
    >>> from movsc_toolkit.exercises import exercise, verifier
    >>> @exercise("exemple-somme", question="Combien font 2 + 3 ?", hints=["Additionnez."])
    ... def _somme():
    ...     return 2 + 3
    >>> print(verifier("exemple-somme", 5))
    ✅ [exemple-somme] Bravo, c'est juste !
    >>> del REGISTRY["exemple-somme"]  # an example only: not an exercise of the course
    """
    if kind is not None and kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}: {kind!r}")
    if choices is not None:
        choices = {str(k).strip().lower(): str(v) for k, v in choices.items()}
    if reasons and not choices:
        raise ValueError(f"{id}: reasons= needs choices=")
    diags = tuple(_as_diagnostic(d) for d in diagnostics)

    def register(func: Callable[[], Any]) -> Callable[[], Any]:
        if id in REGISTRY:
            raise ValueError(f"exercise id registered twice: {id}")
        REGISTRY[id] = Exercise(
            id=id,
            question=question,
            expected=func,
            hints=tuple(hints),
            abs_tol=abs_tol,
            rel_tol=rel_tol,
            ordered=ordered,
            decimals=decimals,
            unit=unit,
            diagnostics=diags,
            synonyms=tuple(synonyms),
            kind=kind,
            choices=choices,
            reasons={str(k).strip().lower(): str(v) for k, v in (reasons or {}).items()},
            points=float(points),
            solution=solution,
        )
        return func

    if answer is not None:
        if not choices:
            raise ValueError(f"{id}: answer= is for multiple-choice questions (choices=)")
        fixed = answer
        register(lambda: fixed)
        return lambda func: func
    return register


def _as_diagnostic(item: Any) -> Diagnostic:
    if isinstance(item, Diagnostic):
        return item
    if isinstance(item, dict):
        return Diagnostic(
            item["alternative"], item["message"], item.get("hint"), item.get("code", "ciblé")
        )
    if isinstance(item, tuple | list) and len(item) in (2, 3):
        return Diagnostic(*item)
    raise ValueError(f"diagnostic not understood: {item!r}")


def load_answers() -> None:
    global _LOADED
    if _LOADED:
        return
    from . import answers

    for info in pkgutil.iter_modules(answers.__path__):
        importlib.import_module(f"{answers.__name__}.{info.name}")
    _LOADED = True


def exercises() -> pd.DataFrame:
    """List the registered exercises.

    Returns
    -------
    pandas.DataFrame
        Indexed by the exercise's identifier (``Identifiant``, the first argument of
        ``verifier`` and ``indice``), with the columns ``Question`` (its wording) and
        ``Indices`` (how many hints ``indice`` can give).

    Examples
    --------
    >>> from movsc_toolkit.exercises import exercises
    >>> table = exercises()
    >>> table.columns.tolist()
    ['Question', 'Indices']
    >>> bool(table.loc["prise-en-main-nombre-inscrits", "Indices"] >= 1)
    True
    """
    load_answers()
    rows = [
        {"Identifiant": e.id, "Question": e.question, "Indices": len(e.hints)}
        for e in REGISTRY.values()
    ]
    return pd.DataFrame(rows, columns=["Identifiant", "Question", "Indices"]).set_index(
        "Identifiant"
    )


def get_exercise(id: str) -> Exercise:
    load_answers()
    if id not in REGISTRY:
        near = closest(id, REGISTRY)
        hint = (
            f"vouliez-vous dire « {near[0]} » ?" if near else "recopiez l'identifiant de l'énoncé."
        )
        raise MovscError(f"l'exercice « {id} » n'existe pas.", hint=hint)
    return REGISTRY[id]
