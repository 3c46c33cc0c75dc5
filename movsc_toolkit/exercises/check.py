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
expected one and answers in French; ``indice("enquete-part-qpv", 2)`` gives progressive
hints.

Parameters of :func:`exercise`
------------------------------
``id`` (positional)
    Stable identifier, prefixed by the exercise set (``"finances-frng"``).
``question``
    The question in French, as the notebook asks it.
``hints``
    Progressive hints, from a nudge to a near-solution (``indice(id, level)``); the first one is
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

import os
from typing import Any

from ._compare import check_choice, compare
from ._normalise import Wrong
from .journal import JOURNAL_ENV, write_journal
from .registry import exercise, exercises, get_exercise  # exercise: the answers modules' import
from .results import CheckResult, Hint

__all__ = ["CheckResult", "Hint", "check", "exercise", "exercises", "indice", "verifier"]


def check(id: str, value: Any) -> CheckResult:
    """The verdict of :func:`verifier` without writing the correction journal.

    Parameters
    ----------
    id
        The exercise's identifier (see :func:`exercises`).
    value
        The student's answer; ``...`` means "not answered yet".

    Returns
    -------
    CheckResult
        ``juste``, ``faux`` (with a diagnosis and a hint) or ``vide``.

    Examples
    --------
    >>> from movsc_toolkit.exercises.check import check
    >>> check("prise-en-main-nombre-inscrits", ...).status
    'vide'
    """
    ex = get_exercise(id)
    if value is Ellipsis:
        return CheckResult(
            id,
            "vide",
            "Pas encore de réponse : remplacez « ... » par votre calcul, puis relancez.",
            diagnosis="vide",
        )
    if ex.choices:
        return check_choice(value, ex)
    try:
        note = compare(value, ex.expected_value(), ex)
    except Wrong as wrong:
        hint = wrong.hint
        if wrong.generic or hint is None:
            hint = ex.hints[0] if ex.hints else None
        return CheckResult(id, "faux", f"Pas encore : {wrong.message}", hint, wrong.code)
    details = (note,) if note else ()
    return CheckResult(id, "juste", "Bravo, c'est juste !", None, "juste", details)


def verifier(id: str, value: Any) -> CheckResult:
    """Check a student's answer to exercise ``id``.

    ``value`` left as ``...`` (the placeholder of the student version) gives "pas encore de
    réponse". Numbers pass when they print the same as the expected value at the exercise's
    display precision (or are closer than half a display unit); tables are compared cell by
    cell whatever the order of rows and columns. A wrong answer gets a diagnosis (factor 100,
    sign, a known error of the question, an empty value, a table for a number…) and the hint
    that follows it. During ``movsc correction`` the answer is only recorded in the journal;
    the teacher's process checks it.

    Parameters
    ----------
    id
        The exercise's identifier, as written in the notebook (see :func:`exercises`).
    value
        The student's answer: a number, a text, a list, a table (DataFrame or Series), a
        letter for a multiple choice… Positional in the notebooks: ``verifier("id", total)``.

    Returns
    -------
    CheckResult
        Shown as a coloured box in the notebook; ``bool(result)`` is ``True`` when right.

    Examples
    --------
    >>> from movsc_toolkit import datasets, read_table
    >>> from movsc_toolkit.exercises import verifier
    >>> inscriptions = read_table(datasets.path("exemple_inscriptions", "inscriptions.csv"))
    >>> print(verifier("prise-en-main-nombre-inscrits", len(inscriptions)))
    ✅ [prise-en-main-nombre-inscrits] Bravo, c'est juste !
    >>> print(verifier("prise-en-main-nombre-inscrits", ...))
    ✏️ [prise-en-main-nombre-inscrits] Pas encore de réponse : remplacez « ... » par votre calcul, puis relancez.
    """
    journal = os.environ.get(JOURNAL_ENV)
    if journal:  # a run of `movsc correction`: record the answer, the grader checks it
        get_exercise(id)
        result = CheckResult(
            id,
            "vide" if value is Ellipsis else "juste",
            "Réponse enregistrée pour la correction.",
            diagnosis="vide" if value is Ellipsis else "enregistrée",
        )
        write_journal(journal, result, value)
        return result
    return check(id, value)


def indice(id: str, level: int = 1) -> Hint:
    """Give hint number ``level`` of exercise ``id`` (1 = a nudge, the last one nearly the
    solution).

    Parameters
    ----------
    id
        The exercise's identifier, as written in the notebook.
    level
        Which hint, from 1; past the last one, the last one is given again (and says so).

    Returns
    -------
    Hint
        The hint's text, its level and how many there are.

    Examples
    --------
    >>> from movsc_toolkit.exercises import indice
    >>> hint = indice("prise-en-main-nombre-inscrits", 1)
    >>> hint.level, hint.total >= hint.level
    (1, True)
    """
    ex = get_exercise(id)
    if not ex.hints:
        return Hint(id, 0, 0, "pas d'indice pour cette question : relisez l'énoncé et le cours.")
    shown = max(1, min(int(level), len(ex.hints)))
    text = ex.hints[shown - 1]
    if level > len(ex.hints):
        text += " (c'est le dernier indice)"
    return Hint(id, shown, len(ex.hints), text)
