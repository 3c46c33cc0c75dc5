"""Grade a whole class: ``movsc correction``.

Each submitted notebook is copied into a temporary folder and executed in its own process
(nbclient, a fresh kernel, a time limit per notebook, the network refused), at most two at a
time, so that a crash or an infinite loop in one copy does not stop the others. While it runs,
:func:`~movsc_toolkit.exercises.check.verifier` appends every answer it checks to a journal (the
file named by ``MOVSC_CORRECTION_JOURNAL``); the answers are then **re-checked here**, in the
teacher's process, against the teacher's expected values — a student who redefines ``verifier``
or patches the library in the notebook changes nothing. Only the questions actually checked in
the student's run count; a question never checked gets 0. The source of each copy is also
scanned for reads of the library's internals (``_REGISTRY``, ``expected_value``, the answers
modules…), which flags the submission for the teacher.

Outputs: ``notes.xlsx`` (one row per student, one column per question, total, mark out of 20,
execution status, alerts; a sheet of pass rates per question) and ``retours/<élève>.html``, a
French feedback page per student.

This is not a security sandbox: a copy's code runs with the rights of the account that runs
the correction (as with nbgrader's autograde without containers); run it from an account
without sensitive data.

Ideas from nbgrader's autograde (isolated execution, feedback pages) and otter-grader (grading
the values a notebook defines rather than cell positions); neither is a dependency.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import MovscError
from .._format import format_number
from .._report import Report, result, titled_html
from .execution import MAX_PARALLEL, Run, run_submission
from .feedback import feedback_html, gradebook_frame, write_gradebook
from .journal import decode_value, encode_value
from .registry import REGISTRY, get_exercise, load_answers
from .submissions import Submission, code_sources, find_submissions, question_ids, scan_code

__all__ = [
    "ClassReport",
    "Submission",
    "decode_value",
    "encode_value",
    "find_submissions",
    "grade_class",
    "read_scale",
    "scan_code",
]

# --------------------------------------------------------------------------- scale


@dataclass(frozen=True)
class Scale:
    """Points per question (in the gradebook's order) and the mark's maximum (20)."""

    points: dict[str, float]
    out_of: float = 20.0


def read_scale(path: str | os.PathLike[str]) -> Scale:
    """Read a barème: YAML (``{question: points}`` or ``{questions: {…}, sur: 20}``) or CSV
    (columns ``question`` and ``points``, separated by ``;`` or ``,``)."""
    p = Path(path)
    if not p.is_file():
        raise MovscError(f"le barème « {p} » n'existe pas.", path=str(p))
    text = p.read_text(encoding="utf-8-sig")
    out_of = 20.0
    if p.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            raise MovscError(
                "le barème n'est pas un YAML valide.",
                path=str(p),
                line=None if line is None else line + 1,
                hint="une ligne par question : « identifiant: points ».",
            ) from None
        if not isinstance(data, dict):
            raise MovscError("le barème doit associer chaque question à ses points.", path=str(p))
        out_of = float(data.get("sur", out_of))
        items = data.get("questions", {k: v for k, v in data.items() if k != "sur"})
        rows = list(items.items())
    else:
        sep = ";" if text.count(";") >= text.count(",") else ","
        lines = [line for line in text.splitlines() if line.strip()]
        rows = []
        for number, line in enumerate(lines[1:], start=2):
            cells = [c.strip() for c in line.split(sep)]
            if len(cells) < 2:
                raise MovscError(
                    "ligne sans points.",
                    path=str(p),
                    line=number,
                    hint="deux colonnes : question et points.",
                )
            rows.append((cells[0], cells[1]))
    points: dict[str, float] = {}
    for number, (question, value) in enumerate(rows, start=2):
        try:
            points[str(question)] = float(str(value).replace(",", "."))
        except ValueError:
            raise MovscError(
                f"points illisibles pour « {question} » : « {value} ».",
                path=str(p),
                line=number if p.suffix.lower() == ".csv" else None,
                hint="écrivez un nombre (1, 2, 0,5).",
            ) from None
    if not points:
        raise MovscError("le barème ne contient aucune question.", path=str(p))
    return Scale(points, out_of)


# --------------------------------------------------------------------------- grading


@result
class StudentResult(Report):
    """One student's grades: the verdict and the points of each question, the alerts.

    Examples
    --------
    See :func:`grade_class`, which returns one per submitted notebook in
    ``ClassReport.students``.
    """

    submission: Submission
    run: Run
    results: dict[str, Any]  # id -> CheckResult (None: never checked)
    points: dict[str, float]
    alerts: list[str]

    @property
    def total(self) -> float:
        """Points earned, all questions together."""
        return sum(self.points.values())

    def _lines(self) -> list[str]:
        lines = [f"{self.submission.student} : {format_number(self.total, 2)} point(s)."]
        lines += [f"Alerte : {alert}" for alert in self.alerts]
        return lines

    def to_frame(self) -> pd.DataFrame:
        """One row per question: ``statut`` (``non vérifiée`` when never checked), ``points``."""
        rows = {
            id: {
                "statut": "non vérifiée" if res is None else res.status,
                "points": self.points.get(id, 0.0),
            }
            for id, res in self.results.items()
        }
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=["statut", "points"])
        frame.index.name = "question"
        return frame


@result
class ClassReport(Report):
    """The graded class: the gradebook table and the folder where it was written.

    Examples
    --------
    See :func:`grade_class` (``movsc correction``), which returns it; ``to_frame()`` is the
    gradebook written to ``notes.xlsx``.
    """

    students: list[StudentResult]
    scale: Scale
    gradebook: pd.DataFrame
    output: Path

    def _lines(self) -> list[str]:
        return [
            f"{len(self.students)} copie(s) corrigée(s) ; notes dans "
            f"{self.output / 'notes.xlsx'}, retours dans {self.output / 'retours'}."
        ]

    def _html_tables(self) -> str:
        return titled_html(self.gradebook, "Notes", decimals=2)

    def to_frame(self) -> pd.DataFrame:
        """The gradebook (one row per student, one column per question, total and mark)."""
        return self.gradebook


def _regrade(records: list[dict[str, Any]], ids: Sequence[str]) -> dict[str, Any]:
    """Re-check the last answer given to each question, in this (the teacher's) process."""
    from .check import check

    last: dict[str, dict[str, Any]] = {}
    for record in records:
        if record["id"] in ids:
            last[record["id"]] = record
    results: dict[str, Any] = {id: None for id in ids}
    for id, record in last.items():
        try:
            value = decode_value(record.get("value") or {})
            results[id] = check(id, value)
        except Exception:
            results[id] = None
    return results


def _student_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "eleve"


def grade_class(
    folder: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    scale: str | os.PathLike[str] | Scale | None = None,
    timeout: float = 120,
    show_solutions: bool = False,
    questions: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ClassReport:
    """Execute and grade every submitted notebook of ``folder``.

    Parameters
    ----------
    folder
        The collected copies (see :func:`find_submissions` for the layouts).
    output
        Where ``notes.xlsx`` and ``retours/`` are written (default ``<folder>/correction``).
    scale
        A barème file (:func:`read_scale`) or :class:`Scale`; default: each question's
        ``points=`` (1 by default), mark out of 20.
    timeout
        Seconds allowed to each notebook (the whole run).
    show_solutions
        Put the model answer of each failed question in the feedback pages.
    questions
        Question ids, in order; default: the barème's, else those of the bundled teacher
        notebook of the assignment, else every registered id the copies check.
    """

    load_answers()
    subs = find_submissions(folder)
    root = Path(folder)
    out = Path(output) if output is not None else root / "correction"
    if out.resolve() == root.resolve():
        raise MovscError(
            "le dossier de sortie ne peut pas être celui des copies.",
            path=str(out),
            hint="choisissez un autre dossier avec --sortie.",
        )
    if isinstance(scale, str | os.PathLike):
        scale = read_scale(scale)
    ids = list(questions or (scale.points if scale else _default_questions(subs)))
    for id in ids:
        get_exercise(id)  # unknown ids: a French error naming the closest
    if scale is None:
        scale = Scale({id: get_exercise(id).points for id in ids})
    missing = [id for id in ids if id not in scale.points]
    if missing:
        raise MovscError(
            "le barème ne donne pas de points à : " + ", ".join(missing) + ".",
            hint="ajoutez une ligne par question au barème.",
        )
    for id in ids:  # compute the expected values once, before the runs
        try:
            get_exercise(id).expected_value()
        except Exception as exc:  # pragma: no cover - a broken answers module
            raise MovscError(f"la valeur attendue de « {id} » ne se calcule pas : {exc}") from exc

    def one(sub: Submission) -> StudentResult:
        run = run_submission(sub, timeout)
        results = _regrade(run.records, ids)
        points = {
            id: (scale.points[id] if results[id] is not None and results[id].ok else 0.0)
            for id in ids
        }
        alerts = scan_code(code_sources(sub.path))
        if progress:
            progress(f"{sub.student} : {run.status} ({run.seconds:.0f} s)")
        return StudentResult(sub, run, results, points, alerts)

    with concurrent.futures.ThreadPoolExecutor(max_workers=MAX_PARALLEL) as pool:
        students = list(pool.map(one, subs))
    from .._write import write_html

    gradebook = gradebook_frame(students, ids, scale)
    out.mkdir(parents=True, exist_ok=True)
    write_gradebook(gradebook, students, ids, scale, out / "notes.xlsx")
    feedback = out / "retours"
    feedback.mkdir(exist_ok=True)
    used: set[str] = set()
    for student in students:
        key = _student_key(student.submission.student)
        while key in used:
            key += "_"
        used.add(key)
        page = feedback_html(student, ids, scale, show_solutions)
        write_html(feedback / f"{key}.html", page, what="la page de retour")
    return ClassReport(students, scale, gradebook, out)


def _default_questions(subs: Sequence[Submission]) -> list[str]:
    from .._resources import bundled

    assignments = {s.assignment for s in subs}
    ids: list[str] = []
    for name in sorted(assignments):
        teacher = bundled("exercises") / f"{name}.ipynb"
        if teacher.is_file():
            ids += [i for i in question_ids(teacher) if i not in ids]
    if not ids:
        for sub in subs:
            ids += [i for i in question_ids(sub.path) if i in REGISTRY and i not in ids]
    if not ids:
        raise MovscError(
            "impossible de savoir quelles questions corriger.",
            hint="donnez un barème (--bareme) qui liste les identifiants des questions.",
        )
    return ids
