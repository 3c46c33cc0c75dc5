"""Self-checks for the exercises: ``verifier`` and ``indice``.

An exercise is registered by an answers module (``movsc_toolkit/exercises/answers/*.py``) with
the :func:`exercise` decorator on a function that *computes* the expected value from the bundled
data — nothing is pasted into the notebooks, and nothing depends on the notebook's name, its
metadata, the working directory or a network::

    @exercise(
        "enquete-part-qpv",
        question="Quel pourcentage des répondants habite le quartier des Blés d'Or (QPV) ?",
        hints=["…", "…", "…"],
        decimals=1,            # the notebooks print it with one decimal: 31,4 %
        unit="%",              # a percentage: 0,314 is diagnosed as a proportion
        diagnostics=[          # known wrong answers of this question, checked first
            (lambda: part_parmi_toutes_les_lignes(), "vous avez divisé par …", "Indice ciblé"),
        ],
    )
    def _():
        return 100 * n_qpv / n_repondants      # full precision, never rounded here

In a notebook, ``verifier("enquete-part-qpv", reponse)`` compares the student's value with the
expected one and answers in French; ``indice("enquete-part-qpv", niveau=2)`` gives progressive
hints.

Parameters of :func:`exercise`
------------------------------
``id`` (positional)
    Stable identifier, prefixed by the exercise set (``"finances-frng"``).
``question``
    The question in French, as the notebook asks it.
``hints``
    Progressive hints, from a nudge to a near-solution (``indice(id, niveau)``); the first one is
    shown after a wrong answer that no diagnosis explains.
``decimals``
    Display precision of a numeric answer (as the notebooks print it). An answer passes when it
    is within half a display unit of the expected value (``0.5 * 10**-decimals``, plus a tiny
    epsilon), or when it prints the same at that precision: with ``decimals=2``, 0,22 and
    0,2228 both pass for V = 0,22276…; with ``decimals=1``, 58,571… passes for 58,6.
    Default: 0 for an integer expected value, 2 for a float. Also used for the cells of tables.
``unit``
    ``"€"``, ``"%"``, ``"points"``, ``"jours"``… Shown in messages; with ``"%"`` an answer 100
    times too small is diagnosed as a proportion given for a percentage. Without a unit, an
    expected value between −1 and 1 is taken as a proportion (0,24 given as 24 is diagnosed).
``abs_tol``, ``rel_tol``
    Explicit tolerances overriding ``decimals`` (rarely needed; ``rel_tol`` defaults to 0).
``diagnostics``
    Known wrong answers of this question, checked before the generic diagnoses. A list of
    tuples ``(alternative, message)`` or ``(alternative, message, hint)``, or dicts with keys
    ``alternative``, ``message``, ``hint`` and ``code`` (default ``"ciblé"``).
    ``alternative`` is a value, a function without arguments computing a value (evaluated once,
    lazily; compared as the expected value is), or a function of one argument (a predicate on
    the student's value, already converted to a number/text/table).
``synonyms``
    Other accepted answers for a text answer (compared ignoring case, accents and spaces).
``kind``
    How a text answer is compared: ``"texte"`` (default), ``"mois"`` (a month: « février
    2025 », « fevrier 2025 », « févr. 2025 », « 02/2025 », ``2025-02``, a date or a
    ``Period`` are equal), ``"date"``, ``"encodage"`` (codec names: « Windows-1252 »,
    ``cp1252``, ``windows-1252`` are equal via :func:`codecs.lookup`). Detected from the
    expected value when not given.
``ordered``
    For lists: whether order matters.
``points``
    Default weight of the question in ``movsc correction`` (default 1).
``solution``
    Model answer (code or text) shown to the teacher, and to students when the teacher allows
    it in the correction; defaults to the last hint.

Multiple-choice questions
-------------------------
``choices`` (dict letter → text), ``answer`` (the right letter, or several: ``"ac"`` /
``["a", "c"]``) and ``reasons`` (dict letter → why this option is wrong)::

    exercise(
        "enquete-choix-test",
        question="Quel test pour croiser le quartier et la fréquence de venue ?",
        choices={"a": "le test t de Student", "b": "le test du χ² d'indépendance"},
        answer="b",
        reasons={"a": "le test t compare des moyennes ; ici les deux variables sont "
                      "qualitatives."},
    )

Called with ``answer=`` the registration is immediate (no decorated function). Without it,
decorate a function that *computes* the right letter(s) from the data. ``verifier(id, "b")``
accepts the letter (``"b"``, ``"B)"``, ``"(b)"``), the option's text, or for several right
letters a list or ``"a, c"``. After a right answer, the reason of every wrong option is shown;
after a wrong one, the reason of each wrong option chosen (not of the others, which would give
the answer away by elimination).

Results
-------
:class:`CheckResult` has ``status`` (``juste``, ``faux``, ``vide``), ``diagnosis`` (a stable
code: ``juste``, ``vide``, ``aucune-valeur``, ``type``, ``manquante``, ``infinie``,
``facteur-100``, ``signe``, ``ciblé`` or the code of a question's diagnostic, ``trop-eleve``,
``trop-faible``, ``tableau``, ``forme``, ``colonnes``, ``lignes``, ``case``, ``texte``,
``encodage-proche``, ``liste``, ``choix-inconnu``, ``choix-faux``, ``faux``), the message, the
hint that follows the diagnosis, and ``details`` (reasons of multiple-choice options, notes).

Correction journal
------------------
When the environment variable ``MOVSC_CORRECTION_JOURNAL`` names a file (``movsc correction``
sets it for the kernel running a copy), :func:`verifier` does not compute anything: it appends
one JSON line to that file — the exercise id and the student's value in a safe (JSON) encoding
— and answers « Réponse enregistrée pour la correction ». The grader re-checks these values in
its own process against the teacher's expected values (see :mod:`.grading`), so that nothing
done inside the student's notebook can change a verdict.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import html
import importlib
import inspect
import json
import math
import os
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

#: Environment variable naming the JSON-lines journal written by ``verifier`` (correction).
JOURNAL_ENV = "MOVSC_CORRECTION_JOURNAL"

_REGISTRY: dict[str, Exercise] = {}
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

    def model_answer(self) -> str:
        """The model answer: ``solution=`` or the last hint, with the expected value."""
        code = self.solution or (self.hints[-1] if self.hints else "")
        value = _show_expected(self)
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
    exercise is registered by the call itself. See the module docstring for every parameter.
    """
    if kind is not None and kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}: {kind!r}")
    if choices is not None:
        choices = {str(k).strip().lower(): str(v) for k, v in choices.items()}
    if reasons and not choices:
        raise ValueError(f"{id}: reasons= needs choices=")
    diags = tuple(_as_diagnostic(d) for d in diagnostics)

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

_ICON = {"juste": "✅", "faux": "❌", "vide": "✏️"}
_COLOUR = {"juste": "#1b7837", "faux": "#b2182b", "vide": "#6a6a6a"}


@dataclass(frozen=True)
class CheckResult:
    """What ``verifier`` answers: a status (``juste``, ``faux``, ``vide``), a diagnosis code,
    a French message, the hint that follows the diagnosis and details (notes, reasons)."""

    id: str
    status: str
    message: str
    hint: str | None = None
    diagnosis: str = ""
    details: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "juste"

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        text = f"{_ICON[self.status]} [{self.id}] {self.message}"
        for line in self.details:
            text += f"\n   • {line}"
        if self.hint:
            text += f"\n   Indice : {self.hint}"
        return text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = f"<strong>{_ICON[self.status]} {html.escape(self.message)}</strong>"
        if self.details:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in self.details)
            body += f'<ul style="margin:2px 0">{items}</ul>'
        if self.hint:
            body += f"<br><em>Indice :</em> {html.escape(self.hint)}"
        return (
            f'<div style="border-left:4px solid {_COLOUR[self.status]};padding:4px 8px">'
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


class _Wrong(Exception):
    """Internal: a diagnosis (code, message, hint) raised by the comparison functions."""

    def __init__(self, code: str, message: str, hint: str | None = None, *, generic: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        #: a generic diagnosis: the exercise's first hint is shown instead
        self.generic = generic


# --------------------------------------------------------------------------- helpers


def _is_number(value: Any) -> bool:
    return isinstance(value, Real | np.number) and not isinstance(value, bool | np.bool_)


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like cell
        return False


def _norm_text(value: Any) -> str:
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


def _shown_number(value: float, unit: str | None = None) -> str:
    """The student's number with the decimals it has, four at most: 1 000, 84,4667, 0,5."""
    text = format_number(value, 4)
    text = text.rstrip("0").rstrip(",") if "," in text else text
    return f"{text}\u00a0{unit}" if unit else text


def _show_expected(ex: Exercise) -> str:
    value = ex.expected_value()
    if ex.choices:
        letters = _split_letters(_letters(value), ex.choices)
        return ", ".join(f"{x}) {ex.choices.get(x, '')}" for x in letters)
    if _is_number(value):
        text = format_number(value, ex.display_decimals(value))
        return f"{text}\u00a0{ex.unit}" if ex.unit else text
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.to_string()
    if isinstance(value, list | tuple | set):
        return ", ".join(map(str, value))
    if isinstance(value, bool | np.bool_):
        return "True (vrai)" if value else "False (faux)"
    return str(value)


def _unwrap(value: Any) -> Any:
    """Result objects that print as tables (``to_frame()``) are compared as their table."""
    if (
        not isinstance(value, pd.DataFrame | pd.Series | pd.Index | str | type)
        and hasattr(value, "to_frame")
        and callable(value.to_frame)
    ):
        try:
            frame = value.to_frame()
        except Exception:
            return value
        if isinstance(frame, pd.DataFrame | pd.Series):
            return frame
    return value


# --------------------------------------------------------------------------- numbers


def _tolerance(ex: Exercise, expected: float, decimals: int) -> float:
    tol = ex.abs_tol if ex.abs_tol is not None else 0.5 * 10.0 ** (-decimals)
    tol = max(tol, ex.rel_tol * abs(expected))
    return tol + 1e-9 * max(1.0, abs(expected))


def _matches(value: float, expected: float, ex: Exercise, decimals: int) -> bool:
    if math.isnan(value) or math.isnan(expected):
        return math.isnan(value) and math.isnan(expected)
    if abs(value - expected) <= _tolerance(ex, expected, decimals):
        return True
    return ex.abs_tol is None and format_number(value, decimals) == format_number(
        expected, decimals
    )


_NUMBER_TEXT = re.compile(r"^[+\-−]?\d[\d\s\u00a0\u202f.,]*$")


def _to_number(value: Any) -> float | None:
    """A number written as text (« 1 234,5 », « 24 % », « 66 273 € »), else ``None``."""
    text = str(value).strip()
    text = re.sub(r"\s*(%|€|eur|euros?|points?|pts?)$", "", text, flags=re.IGNORECASE)
    if not _NUMBER_TEXT.match(text):
        return None
    text = re.sub(r"[\s\u00a0\u202f]", "", text).replace("−", "-")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _scalar_from(value: Any) -> tuple[Any, str | None]:
    """A number where a number is expected: extract it from a one-cell table or list."""
    note = None
    if isinstance(value, pd.DataFrame | pd.Series | np.ndarray | list | tuple) and (
        np.size(value) == 1
    ):
        what = "un tableau d'une seule case" if isinstance(value, pd.DataFrame) else None
        what = what or ("une colonne d'une seule valeur" if isinstance(value, pd.Series) else None)
        what = what or "une liste d'un seul élément"
        value = np.asarray(value, dtype=object).ravel()[0]
        note = (
            f"votre réponse est {what} ; la valeur a été lue dedans. Pour un nombre seul, "
            "ajoutez .iloc[0] (ou choisissez la case avec .loc[ligne, colonne])."
        )
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    return value, note


def _compare_number(value: Any, expected: Any, ex: Exercise) -> str | None:
    """Raise :class:`_Wrong` or return an optional note (the answer is right)."""
    decimals = ex.display_decimals(expected)
    expected = float(expected)
    value, note = _scalar_from(value)
    if value is None:
        raise _Wrong(
            "aucune-valeur",
            "votre cellule ne renvoie aucune valeur (None).",
            "une fonction comme print() ou une méthode avec inplace=True renvoie None : "
            "rangez le résultat du calcul lui-même dans la variable.",
        )
    if isinstance(value, pd.DataFrame | pd.Series) and value.size > 1:
        numbers = pd.to_numeric(pd.Series(np.asarray(value, dtype=object).ravel()), "coerce")
        inside = any(
            _matches(float(x), expected, ex, decimals) for x in numbers.dropna().to_numpy()
        )
        where = (
            "la bonne valeur se trouve dans votre tableau : "
            if inside
            else "un tableau entier ne peut pas être comparé à un nombre : "
        )
        raise _Wrong(
            "tableau",
            f"un nombre est attendu, et votre réponse est {_describe(value)} de "
            f"{value.size} valeurs.",
            where + "choisissez la case avec .loc[ligne] (colonne) ou .loc[ligne, colonne] "
            "(tableau).",
        )
    if isinstance(value, str):
        parsed = _to_number(value)
        if parsed is None:
            raise _Wrong(
                "type",
                f"un nombre est attendu, et votre réponse est {_describe(value)}.",
                "donnez le résultat du calcul (un nombre), sans guillemets.",
            )
        value = parsed
    if not _is_number(value):
        raise _Wrong(
            "type",
            f"un nombre est attendu, et votre réponse est {_describe(value)}.",
            "donnez le résultat du calcul (un nombre)"
            + (" : True/False n'est pas un nombre." if isinstance(value, bool | np.bool_) else "."),
        )
    value = float(value)
    if math.isnan(value) and not math.isnan(expected):
        raise _Wrong(
            "manquante",
            "votre valeur est vide (NaN : valeur manquante), pas un nombre.",
            "le calcul a porté sur une case vide, ou sur une ligne ou une colonne qui n'existe "
            "pas sous ce nom (faute de frappe ?). Affichez les étapes intermédiaires pour voir où "
            "la case vide apparaît.",
        )
    if math.isinf(value):
        raise _Wrong(
            "infinie",
            "votre valeur est infinie : le calcul divise par zéro.",
            "vérifiez le dénominateur de votre division (un total, un effectif) : il vaut 0.",
        )
    if _matches(value, expected, ex, decimals):
        return note
    _diagnose_number(value, expected, ex, decimals)
    return None  # pragma: no cover - _diagnose_number always raises


def _diagnose_number(value: float, expected: float, ex: Exercise, decimals: int) -> None:
    shown = _shown_number(value, ex.unit)
    for diag in ex.diagnostics:
        if _diagnostic_applies(diag, value, ex):
            raise _Wrong(diag.code, diag.message, diag.hint)
    is_share = ex.unit == "%" or (ex.unit is None and 0 < abs(expected) <= 1)
    if expected != 0 and _matches(value * 100, expected, ex, decimals):
        if ex.unit == "%":
            raise _Wrong(
                "facteur-100",
                f"votre valeur ({_shown_number(value)}) est une proportion entre 0 et 1 ; la question "
                "demande un pourcentage.",
                "multipliez votre proportion par 100 (0,24 → 24 %).",
            )
        raise _Wrong(
            "facteur-100",
            f"votre valeur ({shown}) est 100 fois trop petite.",
            "vérifiez l'unité : une division par 100 de trop ?",
        )
    if expected != 0 and _matches(value / 100, expected, ex, decimals):
        if is_share and ex.unit != "%":
            raise _Wrong(
                "facteur-100",
                f"votre valeur ({shown}) est un pourcentage ; la question attend une proportion "
                "(un nombre entre 0 et 1).",
                "ne multipliez pas par 100 (24 % s'écrit 0,24).",
            )
        raise _Wrong(
            "facteur-100",
            f"votre valeur ({shown}) est 100 fois trop grande.",
            "vérifiez l'unité : une multiplication par 100 de trop ?",
        )
    if expected != 0 and _matches(-value, expected, ex, decimals):
        raise _Wrong(
            "signe",
            f"votre valeur ({shown}) a le bon montant mais pas le bon signe.",
            "vérifiez le sens du calcul : l'ordre de la soustraction (réalisé − prévu, "
            "ressources − emplois…) ou le signe d'une perte.",
        )
    direction = "trop élevée" if value > expected else "trop faible"
    raise _Wrong(
        "trop-eleve" if value > expected else "trop-faible",
        f"votre valeur ({shown}) est {direction}.",
        generic=True,
    )


def _diagnostic_applies(diag: Diagnostic, value: Any, ex: Exercise) -> bool:
    alt = diag.alternative
    if callable(alt):
        try:
            n_params = len(inspect.signature(alt).parameters)
        except (TypeError, ValueError):
            n_params = 0
        try:
            if n_params >= 1:
                return bool(alt(value))
            key = f"diag:{id(diag)}"
            if key not in ex._cache:
                ex._cache[key] = alt()
            alt = ex._cache[key]
        except Exception:
            return False
    try:
        _compare(value, alt, ex, diagnostics=False)
    except _Wrong:
        return False
    except Exception:
        return False
    return True


# --------------------------------------------------------------------------- texts, months, codecs

_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
    "mars": 3, "mar": 3, "march": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
}  # fmt: skip


def _as_date(value: Any) -> _dt.date | None:
    """A full date (day, month, year) from a date object or French/ISO text."""
    if isinstance(value, pd.Timestamp | _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = _norm_text(value).replace("1er", "1")
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        d, mo, y = map(int, m.groups())
    elif m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ][\d:.]+)?", text):
        y, mo, d = map(int, m.groups())
    elif m := re.fullmatch(r"(\d{1,2}) ([a-z]+)\.? (\d{4})", text):
        if m.group(2) not in _MONTHS:
            return None
        d, mo, y = int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3))
    else:
        return None
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        return None


def _as_month(value: Any) -> tuple[int, int] | None:
    """(year, month) from « février 2025 », « fevrier 2025 », « 02/2025 », ``2025-02``…"""
    if isinstance(value, pd.Period):
        return (value.year, value.month)
    date = _as_date(value)
    if date is not None:
        return (date.year, date.month)
    if not isinstance(value, str):
        return None
    text = _norm_text(value)
    if m := re.fullmatch(r"([a-z]+)\.? (\d{4})", text):
        month = _MONTHS.get(m.group(1))
        return (int(m.group(2)), month) if month else None
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{4})", text):
        y, mo = int(m.group(2)), int(m.group(1))
    elif m := re.fullmatch(r"(\d{4})[/.-](\d{1,2})", text):
        y, mo = int(m.group(1)), int(m.group(2))
    else:
        return None
    return (y, mo) if 1 <= mo <= 12 else None


_CODEC_LIKE = re.compile(r"^(utf|cp|windows|latin|iso|ascii|mac|ibm|koi|big5|gb|shift|euc|ansi)")
_CODEC_ALIASES = {"ansi": "cp1252", "windows latin 1": "cp1252", "western (windows 1252)": "cp1252"}


def _codec(value: Any) -> str | None:
    text = _norm_text(value)
    text = _CODEC_ALIASES.get(text, text)
    try:
        return codecs.lookup(text.replace(" ", "-")).name
    except LookupError:
        return None


def _kind(ex: Exercise, expected: Any) -> str:
    if ex.kind:
        return ex.kind
    if isinstance(expected, pd.Period):
        return "mois"
    if isinstance(expected, pd.Timestamp | _dt.date):
        return "date"
    if isinstance(expected, str):
        if _CODEC_LIKE.match(_norm_text(expected)) and _codec(expected):
            return "encodage"
        if _as_date(expected):
            return "date"
        if _as_month(expected):
            return "mois"
    return "texte"


def _compare_text(value: Any, expected: Any, ex: Exercise) -> str | None:
    value, note = _scalar_from(value)
    kind = _kind(ex, expected)
    if kind == "mois":
        got, want = _as_month(value), _as_month(expected)
        if got is not None:
            if got == want:
                return note
            for diag in ex.diagnostics:  # a known wrong month of this question
                if _diagnostic_applies(diag, value, ex):
                    raise _Wrong(diag.code, diag.message, diag.hint)
            raise _Wrong("texte", "ce n'est pas le bon mois.", generic=True)
    elif kind == "date":
        got, want = _as_date(value), _as_date(expected)
        if got is not None:
            if got == want:
                return note
            raise _Wrong("texte", "ce n'est pas la bonne date.", generic=True)
    if not isinstance(value, str):
        raise _Wrong(
            "type",
            f"un texte est attendu, et votre réponse est {_describe(value)}.",
            "la réponse est un texte : mettez-la entre guillemets, ou prenez l'étiquette "
            "(.index[0], .idxmax()) plutôt que la valeur.",
        )
    accepted = [expected, *ex.synonyms]
    if any(_norm_text(value) == _norm_text(a) for a in accepted):
        return note
    if kind == "encodage":
        got, want = _codec(value), _codec(expected)
        if got is not None and got == want:
            return note
        if got in ("latin-1", "iso8859-1", "iso8859-15") and want == "cp1252":
            raise _Wrong(
                "encodage-proche",
                f"« {value} » est proche mais pas identique : Windows-1252 (cp1252) et "
                "ISO-8859-1/15 diffèrent pour €, œ, les guillemets et les apostrophes courbes.",
                "relisez l'encodage que read_table a noté dans les attributs du tableau.",
            )
    for diag in ex.diagnostics:
        if _diagnostic_applies(diag, value, ex):
            raise _Wrong(diag.code, diag.message, diag.hint)
    if kind == "mois":
        raise _Wrong(
            "type",
            f"« {value} » n'est pas lu comme un mois.",
            "écrivez le mois comme « février 2025 », « 02/2025 » ou « 2025-02 ».",
        )
    raise _Wrong("texte", "ce n'est pas la bonne réponse.", generic=True)


_TRUE = {"true", "vrai", "oui", "yes"}
_FALSE = {"false", "faux", "non", "no"}


def _compare_bool(value: Any, expected: Any, ex: Exercise) -> str | None:
    value, note = _scalar_from(value)
    if isinstance(value, str) and _norm_text(value) in _TRUE | _FALSE:
        value = _norm_text(value) in _TRUE
    if not isinstance(value, bool | np.bool_):
        raise _Wrong(
            "type",
            f"True ou False est attendu, et votre réponse est {_describe(value)}.",
            "une comparaison (<, >, ==) donne True ou False : comparez votre valeur au seuil.",
        )
    if bool(value) == bool(expected):
        return note
    raise _Wrong("faux", "ce n'est pas la bonne réponse.", generic=True)


# --------------------------------------------------------------------------- multiple choice


def _letters(value: Any) -> list[str]:
    if isinstance(value, str):
        parts = re.split(r"[\s,;/+]+|\bet\b", value.strip().lower())
        letters = [re.sub(r"[()\[\].:]", "", p) for p in parts]
        return sorted({x for x in letters if x})
    if isinstance(value, list | tuple | set):
        return sorted({str(v).strip().lower() for v in value})
    return [str(value).strip().lower()]


def _student_letters(value: Any, ex: Exercise) -> list[str] | None:
    assert ex.choices is not None
    by_text = {_norm_text(text): letter for letter, text in ex.choices.items()}
    items = list(value) if isinstance(value, list | tuple | set) else [value]
    letters: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            return None
        norm = _norm_text(item)
        if norm in by_text:
            letters.add(by_text[norm])
            continue
        for letter in _split_letters(_letters(item), ex.choices):
            if letter not in ex.choices:
                return None
            letters.add(letter)
    return sorted(letters) if letters else None


def _split_letters(letters: list[str], choices: dict[str, str]) -> list[str]:
    """``["ac"]`` → ``["a", "c"]`` when "ac" is not an option but each of its letters is."""
    out: set[str] = set()
    for item in letters:
        if item not in choices and len(item) > 1 and all(ch in choices for ch in item):
            out.update(item)
        else:
            out.add(item)
    return sorted(out)


def _check_choice(value: Any, ex: Exercise) -> CheckResult:
    assert ex.choices is not None
    right = _split_letters(_letters(ex.expected_value()), ex.choices)
    got = _student_letters(value, ex)
    options = ", ".join(ex.choices)
    if got is None:
        return CheckResult(
            ex.id,
            "faux",
            f"Pas encore : répondez par la lettre d'une des options ({options}), entre "
            'guillemets, par exemple "b".',
            hint=None,
            diagnosis="choix-inconnu",
        )
    if got == right:
        details = tuple(
            f"{x}) {ex.choices[x]} — {ex.reasons[x]}"
            for x in ex.choices
            if x not in right and x in ex.reasons
        )
        return CheckResult(ex.id, "juste", "Bravo, c'est juste !", None, "juste", details)
    wrong = [x for x in got if x not in right]
    details = tuple(f"{x}) {ex.choices[x]} — {ex.reasons[x]}" for x in wrong if x in ex.reasons)
    if not wrong:  # a subset of the right letters
        message = "Pas encore : votre réponse est juste mais incomplète (il y a plusieurs bonnes "
        message += "options)."
    elif len(right) > 1:
        message = "Pas encore : au moins une des options choisies ne convient pas."
    else:
        message = "Pas encore : ce n'est pas la bonne option."
    return CheckResult(
        ex.id,
        "faux",
        message,
        hint=None if details else (ex.hints[0] if ex.hints else None),
        diagnosis="choix-faux",
        details=details,
    )


# --------------------------------------------------------------------------- tables


def _cell_decimals(ex: Exercise, want: Any) -> int:
    if ex.decimals is not None:
        return ex.decimals
    return 0 if float(want).is_integer() else 2


def _frames_equal(value: pd.DataFrame, expected: pd.DataFrame, ex: Exercise) -> None:
    """Same content whatever the order of rows/columns and the index's name; raise _Wrong."""
    if value.shape != expected.shape:
        raise _Wrong(
            "forme",
            f"votre tableau a {value.shape[0]} ligne(s) et {value.shape[1]} colonne(s) ; "
            f"il en faut {expected.shape[0]} et {expected.shape[1]}.",
            "comparez votre tableau à l'énoncé : une ligne « Total » en trop, un filtre oublié ?",
        )
    exp_cols = [str(c) for c in expected.columns]
    val_cols = [str(c) for c in value.columns]
    if sorted(exp_cols) != sorted(val_cols):
        missing = [c for c in exp_cols if c not in val_cols]
        raise _Wrong(
            "colonnes",
            "colonnes attendues manquantes : " + ", ".join(f"« {c} »" for c in missing) + ".",
            "renommez les colonnes avec .rename(columns={ancien: nouveau}).",
        )
    exp_rows = [str(i) for i in expected.index]
    val_rows = [str(i) for i in value.index]
    if sorted(exp_rows) != sorted(val_rows):
        missing = [r for r in exp_rows if r not in val_rows]
        raise _Wrong(
            "lignes",
            "lignes attendues manquantes : " + ", ".join(f"« {r} »" for r in missing) + ".",
            "vérifiez les étiquettes des lignes (l'index) : orthographe, filtre oublié ?",
        )
    value = value.copy()
    value.columns = val_cols
    value.index = val_rows
    for r, c in ((r, c) for r in exp_rows for c in exp_cols):
        want = expected.iloc[exp_rows.index(r), exp_cols.index(c)]
        got = value.at[r, c]
        if isinstance(got, pd.Series):  # duplicated labels
            got = got.iloc[0]
        where = f"la case ligne « {r} », colonne « {c} »"
        if _is_missing(want):
            if not _is_missing(got):
                raise _Wrong("case", f"{where} devrait être vide.", generic=True)
        elif _is_missing(got):
            raise _Wrong("case", f"{where} est vide ; elle devrait être remplie.", generic=True)
        elif _is_number(want):
            if not _is_number(got) or not _matches(
                float(got), float(want), ex, _cell_decimals(ex, want)
            ):
                raise _Wrong("case", f"{where} n'est pas juste.", generic=True)
        elif _norm_text(str(got)) != _norm_text(str(want)):
            raise _Wrong("case", f"{where} n'est pas juste.", generic=True)


def _drop_totals(frame: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    rows = [i for i in frame.index if str(i) == "Total" and "Total" not in map(str, expected.index)]
    cols = [
        c for c in frame.columns if str(c) == "Total" and "Total" not in map(str, expected.columns)
    ]
    return frame.drop(index=rows, columns=cols)


def _compare_frame(value: Any, expected: pd.DataFrame | pd.Series, ex: Exercise) -> str | None:
    value = _unwrap(value)
    if not isinstance(value, pd.DataFrame | pd.Series):
        raise _Wrong(
            "type",
            f"un tableau est attendu, et votre réponse est {_describe(value)}.",
            generic=True,
        )
    if isinstance(expected, pd.Series):
        want = expected.to_frame("valeur")
        if isinstance(value, pd.Series):
            _frames_equal(value.to_frame("valeur"), want, ex)
            return None
        if value.shape[1] == 1:
            _frames_equal(value.set_axis(["valeur"], axis=1), want, ex)
            return None
        trimmed = _drop_totals(value, want)
        for column in trimmed.columns:
            try:
                _frames_equal(trimmed[[column]].set_axis(["valeur"], axis=1), want, ex)
            except _Wrong:
                continue
            return (
                f"la colonne « {column} » de votre tableau est juste (les autres colonnes et la "
                "ligne « Total » n'étaient pas demandées)."
            )
        counts = [c for c in trimmed.columns if str(c) in ("Effectif", str(expected.name))]
        if counts:  # the column of counts is there but wrong: say where
            _frames_equal(trimmed[[counts[0]]].set_axis(["valeur"], axis=1), want, ex)
        raise _Wrong(
            "forme",
            f"une seule colonne est attendue (comme value_counts()), et votre tableau en a "
            f"{value.shape[1]} : " + ", ".join(f"« {c} »" for c in value.columns) + ".",
            'gardez seulement la colonne demandée, par exemple tableau["Effectif"].',
        )
    if isinstance(value, pd.Series):
        if expected.shape[1] != 1:
            raise _Wrong(
                "forme",
                f"un tableau de {expected.shape[1]} colonnes est attendu, et votre réponse est "
                "une seule colonne (Series).",
                "gardez le tableau entier (ne sélectionnez pas une colonne).",
            )
        value = value.to_frame(expected.columns[0])
    try:
        _frames_equal(value, expected, ex)
        return None
    except _Wrong as first:
        trimmed = _drop_totals(value, expected)
        if trimmed.shape != value.shape:
            _frames_equal(trimmed, expected, ex)  # raises its own diagnosis if still wrong
            return "la ligne ou colonne « Total » de votre tableau n'était pas demandée."
        raise first


# --------------------------------------------------------------------------- lists and dispatch


def _compare_list(value: Any, expected: Any, ex: Exercise) -> str | None:
    if isinstance(value, pd.Index | pd.Series | np.ndarray):
        value = list(value.tolist())
    if isinstance(value, str) and len(expected) == 1:
        value = [value]
    if not isinstance(value, list | tuple | set):
        raise _Wrong(
            "type",
            f"une liste est attendue, et votre réponse est {_describe(value)}.",
            "mettez les éléments entre crochets, ou transformez un index avec list(...).",
        )

    def norm(v: Any) -> str:
        if _is_number(v) and float(v).is_integer():
            v = int(v)
        return _norm_text(v)

    got = [norm(v) for v in value]
    want = [norm(v) for v in expected]
    if len(got) != len(want):
        raise _Wrong(
            "liste", f"votre liste a {len(got)} élément(s) ; il en faut {len(want)}.", generic=True
        )
    if ex.ordered and not isinstance(expected, set):
        if got == want:
            return None
        message = "les éléments ou leur ordre ne sont pas justes."
    elif sorted(got) == sorted(want):
        return None
    else:
        message = "certains éléments de votre liste ne sont pas justes."
    raise _Wrong("liste", message, generic=True)


def _compare(value: Any, expected: Any, ex: Exercise, *, diagnostics: bool = True) -> str | None:
    """Return ``None`` or a note when ``value`` matches; raise :class:`_Wrong` otherwise."""
    if not diagnostics and ex.diagnostics:
        ex = _without_diagnostics(ex)
    if isinstance(expected, pd.DataFrame | pd.Series):
        return _compare_frame(value, expected, ex)
    value = _unwrap(value)
    if isinstance(expected, bool | np.bool_):
        return _compare_bool(value, expected, ex)
    if _is_number(expected):
        return _compare_number(value, expected, ex)
    if isinstance(expected, str | pd.Period | _dt.date):
        return _compare_text(value, expected, ex)
    if isinstance(expected, dict):
        if not isinstance(value, dict):
            raise _Wrong(
                "type",
                f"un dictionnaire est attendu, et votre réponse est {_describe(value)}.",
                generic=True,
            )
        missing = [k for k in expected if k not in value]
        if missing:
            raise _Wrong(
                "liste",
                "clés manquantes : " + ", ".join(f"« {k} »" for k in missing) + ".",
                generic=True,
            )
        for key, want in expected.items():
            try:
                _compare(value[key], want, ex, diagnostics=diagnostics)
            except _Wrong as wrong:
                raise _Wrong(
                    wrong.code,
                    f"pour « {key} » : {wrong.message}",
                    wrong.hint,
                    generic=wrong.generic,
                ) from None
        return None
    if isinstance(expected, list | tuple | set):
        return _compare_list(value, expected, ex)
    if value == expected:
        return None
    raise _Wrong("faux", "ce n'est pas la bonne réponse.", generic=True)


def _without_diagnostics(ex: Exercise) -> Exercise:
    from dataclasses import replace

    return replace(ex, diagnostics=(), _cache=ex._cache)


def check(id: str, valeur: Any) -> CheckResult:
    """The verdict of ``verifier`` without writing the correction journal."""
    ex = _get(id)
    if valeur is Ellipsis:
        return CheckResult(
            id,
            "vide",
            "Pas encore de réponse : remplacez « ... » par votre calcul, puis relancez.",
            diagnosis="vide",
        )
    if ex.choices:
        return _check_choice(valeur, ex)
    try:
        note = _compare(valeur, ex.expected_value(), ex)
    except _Wrong as wrong:
        hint = wrong.hint
        if wrong.generic or hint is None:
            hint = ex.hints[0] if ex.hints else None
        return CheckResult(id, "faux", f"Pas encore : {wrong.message}", hint, wrong.code)
    details = (note,) if note else ()
    return CheckResult(id, "juste", "Bravo, c'est juste !", None, "juste", details)


def verifier(id: str, valeur: Any) -> CheckResult:
    """Check a student's answer to exercise ``id``.

    ``valeur`` left as ``...`` (the placeholder of the student version) gives "pas encore de
    réponse". Numbers pass when they print the same as the expected value at the exercise's
    display precision (or are closer than half a display unit); tables are compared cell by
    cell whatever the order of rows and columns. A wrong answer gets a diagnosis (factor 100,
    sign, a known error of the question, an empty value, a table for a number…) and the hint
    that follows it.
    """
    journal = os.environ.get(JOURNAL_ENV)
    if journal:  # a run of `movsc correction`: record the answer, the grader checks it
        _get(id)
        result = CheckResult(
            id,
            "vide" if valeur is Ellipsis else "juste",
            "Réponse enregistrée pour la correction.",
            diagnosis="vide" if valeur is Ellipsis else "enregistrée",
        )
        _write_journal(journal, result, valeur)
        return result
    return check(id, valeur)


def _write_journal(path: str, result: CheckResult, value: Any) -> None:
    from .grading import encode_value

    record = {
        "id": result.id,
        "status": result.status,
        "diagnosis": result.diagnosis,
        "value": encode_value(value),
    }
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError:  # the journal is the teacher's business: never break the student's check
        pass


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
