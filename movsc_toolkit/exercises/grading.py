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
import contextlib
import datetime as _dt
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import MovscError

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

JOURNAL_ENV = "MOVSC_CORRECTION_JOURNAL"
#: At most this many notebooks run at the same time.
MAX_PARALLEL = 2
#: The script that executes one copy (run by path, in its own process).
_RUNNER = Path(__file__).with_name("_runner.py")

# --------------------------------------------------------------------------- safe value encoding


def _cell(value: Any) -> Any:
    """A JSON primitive for one cell or label (NaN → None, numpy → Python)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None if math.isnan(value) else {"inf": 1 if value > 0 else -1}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple):
        return {"tuple": [_cell(v) for v in value]}
    if value is pd.NaT or value is pd.NA:
        return None
    return str(value)


def _uncell(value: Any) -> Any:
    if isinstance(value, dict):
        if "tuple" in value:
            return tuple(_uncell(v) for v in value["tuple"])
        if "inf" in value:
            return math.inf * value["inf"]
    return math.nan if value is None else value


def encode_value(value: Any, *, max_cells: int = 20000) -> dict[str, Any]:
    """Encode a student's answer as JSON-safe data (never pickle: the grader trusts nothing).

    Numbers, text, booleans, lists, dicts, Series and DataFrames keep their content; result
    objects with ``to_frame()`` are encoded as their table; anything else as its ``repr``.
    """
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if value is None:
        return {"t": "none"}
    if isinstance(value, bool | np.bool_):
        return {"t": "bool", "v": bool(value)}
    if isinstance(value, Real | np.number):
        return {"t": "num", "v": _cell(float(value) if not isinstance(value, int) else value)}
    if isinstance(value, str):
        return {"t": "str", "v": value[:10000]}
    if not isinstance(value, pd.DataFrame | pd.Series | pd.Index) and callable(
        getattr(value, "to_frame", None)
    ):
        try:
            frame = value.to_frame()
        except Exception:
            frame = None
        if isinstance(frame, pd.DataFrame | pd.Series):
            value = frame
    if isinstance(value, pd.Series):
        value = value.iloc[:max_cells]
        return {
            "t": "series",
            "index": [_cell(i) for i in value.index],
            "data": [_cell(v) for v in value.tolist()],
            "name": _cell(value.name),
        }
    if isinstance(value, pd.DataFrame):
        rows = max(1, max_cells // max(1, value.shape[1]))
        value = value.iloc[:rows]
        return {
            "t": "frame",
            "index": [_cell(i) for i in value.index],
            "columns": [_cell(c) for c in value.columns],
            "data": [[_cell(v) for v in row] for row in value.itertuples(index=False)],
        }
    if isinstance(value, pd.Index | np.ndarray):
        value = list(np.asarray(value, dtype=object).ravel()[:max_cells])
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        return {"t": "list", "v": [encode_value(v) for v in items[:max_cells]]}
    if isinstance(value, dict):
        return {"t": "dict", "v": [[_cell(k), encode_value(v)] for k, v in value.items()]}
    if isinstance(value, pd.Period | pd.Timestamp | _dt.date):
        return {"t": "str", "v": str(value)}
    return {"t": "repr", "v": repr(value)[:200], "type": type(value).__name__}


class Opaque:
    """An answer the journal could only record as text (an object of another type)."""

    def __init__(self, text: str, type_name: str) -> None:
        self.text = text
        self.type_name = type_name

    def __repr__(self) -> str:
        return self.text


def decode_value(data: dict[str, Any]) -> Any:
    """Inverse of :func:`encode_value`."""
    kind = data.get("t")
    if kind == "ellipsis":
        return Ellipsis
    if kind == "none":
        return None
    if kind in ("bool", "str"):
        return data["v"]
    if kind == "num":
        return _uncell(data["v"])
    if kind == "series":
        index = [_uncell(i) for i in data["index"]]
        return pd.Series(
            [_uncell(v) for v in data["data"]],
            index=pd.MultiIndex.from_tuples(index)
            if index and isinstance(index[0], tuple)
            else index,
            name=_uncell(data["name"]) if data["name"] is not None else None,
            dtype=object if not data["data"] else None,
        ).infer_objects()
    if kind == "frame":
        index = [_uncell(i) for i in data["index"]]
        columns = [_uncell(c) for c in data["columns"]]
        frame = pd.DataFrame(
            [[_uncell(v) for v in row] for row in data["data"]],
            columns=pd.MultiIndex.from_tuples(columns)
            if columns and isinstance(columns[0], tuple)
            else columns,
        )
        frame.index = (
            pd.MultiIndex.from_tuples(index) if index and isinstance(index[0], tuple) else index
        )
        return frame.infer_objects()
    if kind == "list":
        return [decode_value(v) for v in data["v"]]
    if kind == "dict":
        return {_uncell(k): decode_value(v) for k, v in data["v"]}
    return Opaque(str(data.get("v", "")), str(data.get("type", "objet")))


# --------------------------------------------------------------------------- submissions


@dataclass(frozen=True)
class Submission:
    """One student's notebook: who (as the file or folder names them) and where."""

    student: str
    path: Path
    assignment: str
    #: the student's own folder (JupyterHub ``<login>/…`` layout), copied with the notebook
    folder: Path | None = None


_MOODLE = re.compile(
    r"^(?P<name>.+?)_(?P<num>\d+)_assignsubmission_(?:file|onlinetext)_(?P<file>.+)$"
)


def _known_assignments() -> list[str]:
    from .._resources import bundled

    folder = bundled("exercises")
    if not folder.is_dir():
        return []
    return sorted((p.stem for p in folder.glob("*.ipynb")), key=len, reverse=True)


def find_submissions(folder: str | os.PathLike[str]) -> list[Submission]:
    """The submitted notebooks of ``folder``, one per student.

    Recognised layouts: one folder per student (``<login>/01_enquete.ipynb``, also nbgrader's
    ``<login>/<devoir>/01_enquete.ipynb``), flat names ``01_enquete_<login>.ipynb`` or
    ``<login>_01_enquete.ipynb`` (the exercise name is that of a bundled exercise notebook, or
    the part common to every file), and Moodle exports
    ``Nom Prénom_123456_assignsubmission_file_01_enquete.ipynb``.
    """
    root = Path(folder)
    if not root.is_dir():
        raise MovscError(
            f"le dossier des copies « {root} » n'existe pas.",
            path=str(root),
            hint="donnez le dossier où les carnets des élèves ont été ramassés.",
        )
    notebooks = sorted(
        p
        for p in root.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts and not p.name.startswith(".")
    )
    if not notebooks:
        raise MovscError(
            f"aucun carnet (.ipynb) dans « {root} ».",
            path=str(root),
            hint="vérifiez le dossier : les copies ramassées sont des fichiers .ipynb.",
        )
    known = _known_assignments()
    flat = [p for p in notebooks if p.parent == root]
    common = _common_stem([p.stem for p in flat]) if len(flat) > 1 else ""
    found: list[Submission] = []
    for path in notebooks:
        rel = path.relative_to(root)
        if len(rel.parts) > 1:
            found.append(Submission(rel.parts[0], path, path.stem, root / rel.parts[0]))
            continue
        m = _MOODLE.match(path.stem)
        if m:
            found.append(Submission(m["name"].strip(), path, m["file"]))
            continue
        found.append(_flat_submission(path, known, common))
    # two copies for the same name (Moodle homonyms, resubmissions): keep them apart
    names: dict[str, int] = {}
    for s in found:
        names[s.student] = names.get(s.student, 0) + 1
    return [
        Submission(f"{s.student} ({s.path.name})", s.path, s.assignment, s.folder)
        if names[s.student] > 1
        else s
        for s in found
    ]


def _common_stem(stems: list[str]) -> str:
    prefix = os.path.commonprefix(stems)  # noqa: RUF071 (names, not paths)
    if "_" not in prefix:
        suffix = os.path.commonprefix([s[::-1] for s in stems])[::-1]  # noqa: RUF071
        return suffix[suffix.find("_") :] if "_" in suffix else ""
    return prefix[: prefix.rfind("_") + 1]


def _flat_submission(path: Path, known: list[str], common: str) -> Submission:
    stem = path.stem
    for name in known:
        if stem.startswith(name + "_") or stem.startswith(name + "-"):
            return Submission(stem[len(name) + 1 :], path, name)
        if stem.endswith("_" + name) or stem.endswith("-" + name):
            return Submission(stem[: -len(name) - 1], path, name)
    if common.endswith("_") and stem.startswith(common) and len(stem) > len(common):
        return Submission(stem[len(common) :], path, common.rstrip("_"))
    if common.startswith("_") and stem.endswith(common) and len(stem) > len(common):
        return Submission(stem[: -len(common)], path, common.lstrip("_"))
    return Submission(stem, path, stem)


# --------------------------------------------------------------------------- static scan

_SUSPECT = [
    (r"_REGISTRY", "lit le registre interne des exercices (_REGISTRY)"),
    (r"\bexpected_value\b|\.expected\s*\(", "appelle le calcul de la valeur attendue"),
    (
        r"exercises\s*\.\s*check|exercises\s+import\s+[^\n]*\bcheck\b",
        "importe le module interne check",
    ),
    (
        r"exercises\s*\.\s*answers|\banswers\s+import|import\s+[\w.]*answers",
        "importe les corrigés (answers)",
    ),
    (r"\b_cache\b", "lit le cache des valeurs attendues (_cache)"),
    (
        r"\b_get\s*\(|\b_compare\w*\s*\(|\bcheck\s*\.\s*check\b",
        "appelle des fonctions internes du vérificateur",
    ),
    (r"^\s*def\s+verifier\b", "redéfinit la fonction verifier"),
    (r"(?<![=!<>])\bverifier\s*=(?!=)|setattr\([^\n]*verifier", "remplace la fonction verifier"),
    (r"MOVSC_CORRECTION", "touche au journal de la correction"),
    (r"\bgrading\b", "importe le module de correction"),
]


def scan_code(sources: Sequence[str]) -> list[str]:
    """Reasons to flag a submission whose code reads the expected values (French, deduplicated)."""
    reasons: list[str] = []
    for source in sources:
        for pattern, reason in _SUSPECT:
            if re.search(pattern, source, flags=re.MULTILINE) and reason not in reasons:
                reasons.append(reason)
    return reasons


def _code_sources(path: Path) -> list[str]:
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return []
    return [c.source for c in nb.cells if c.cell_type == "code"]


_VERIFIER_CALL = re.compile(r"""verifier\(\s*["']([\w.-]+)["']""")


def _question_ids(path: Path) -> list[str]:
    ids: list[str] = []
    for source in _code_sources(path):
        for id in _VERIFIER_CALL.findall(source):
            if id not in ids:
                ids.append(id)
    return ids


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


# --------------------------------------------------------------------------- execution


def _child_env(journal: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            JOURNAL_ENV: str(journal),
            "MOVSC_OFFLINE": "1",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "http_proxy": "http://127.0.0.1:9",
            "https_proxy": "http://127.0.0.1:9",
            "NO_PROXY": "",
            "no_proxy": "",
            "MPLBACKEND": "Agg",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    return env


def _kill_tree(pid: int) -> None:
    import psutil

    try:
        parent = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    for proc in [*parent.children(recursive=True), parent]:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()


@dataclass
class Run:
    """What happened when one copy ran."""

    status: str
    errors: list[str] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


def run_submission(submission: Submission, timeout: float) -> Run:
    """Execute one copy in isolation and read its journal (never raises)."""
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="movsc-correction-") as tmp:
        work = Path(tmp) / "copie"
        if submission.folder is not None:
            shutil.copytree(
                submission.folder,
                work,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".git"),
            )
            notebook = work / submission.path.relative_to(submission.folder)
        else:
            work.mkdir()
            notebook = work / submission.path.name
            shutil.copy2(submission.path, notebook)
        journal = Path(tmp) / "journal.jsonl"
        # -I: the runner imports neither the toolkit nor pandas (a light, isolated process)
        command = [sys.executable, "-I", str(_RUNNER), str(notebook), str(timeout)]
        proc = subprocess.Popen(
            command,
            cwd=str(work),
            env=_child_env(journal),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout + 150)
        except subprocess.TimeoutExpired:
            _kill_tree(proc.pid)
            proc.communicate()
            run = Run("délai dépassé")
        else:
            lines = [line for line in out.splitlines() if line.startswith("{")]
            try:
                info = json.loads(lines[-1])
                run = Run(info["status"], list(info.get("errors", [])))
            except (IndexError, ValueError, KeyError):
                run = Run("erreur", [err.strip().splitlines()[-1][:300] if err.strip() else "?"])
        run.records = _read_journal(journal)
    run.seconds = time.monotonic() - start
    return run


def _read_journal(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    records = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                records.append(record)
    return records


# --------------------------------------------------------------------------- grading


@dataclass
class StudentResult:
    """One student's grades."""

    submission: Submission
    run: Run
    results: dict[str, Any]  # id -> CheckResult (None: never checked)
    points: dict[str, float]
    alerts: list[str]

    @property
    def total(self) -> float:
        return sum(self.points.values())


@dataclass
class ClassReport:
    """The graded class: the gradebook table and the path of what was written."""

    students: list[StudentResult]
    scale: Scale
    gradebook: pd.DataFrame
    output: Path

    def __str__(self) -> str:
        return (
            f"{len(self.students)} copie(s) corrigée(s) ; notes dans "
            f"{self.output / 'notes.xlsx'}, retours dans {self.output / 'retours'}."
        )


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
    from .check import _get, _load_answers

    _load_answers()
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
        _get(id)  # unknown ids: a French error naming the closest
    if scale is None:
        scale = Scale({id: _get(id).points for id in ids})
    missing = [id for id in ids if id not in scale.points]
    if missing:
        raise MovscError(
            "le barème ne donne pas de points à : " + ", ".join(missing) + ".",
            hint="ajoutez une ligne par question au barème.",
        )
    for id in ids:  # compute the expected values once, before the runs
        try:
            _get(id).expected_value()
        except Exception as exc:  # pragma: no cover - a broken answers module
            raise MovscError(f"la valeur attendue de « {id} » ne se calcule pas : {exc}") from exc

    def one(sub: Submission) -> StudentResult:
        run = run_submission(sub, timeout)
        results = _regrade(run.records, ids)
        points = {
            id: (scale.points[id] if results[id] is not None and results[id].ok else 0.0)
            for id in ids
        }
        alerts = scan_code(_code_sources(sub.path))
        if progress:
            progress(f"{sub.student} : {run.status} ({run.seconds:.0f} s)")
        return StudentResult(sub, run, results, points, alerts)

    with concurrent.futures.ThreadPoolExecutor(max_workers=MAX_PARALLEL) as pool:
        students = list(pool.map(one, subs))
    from .._write import write_html

    gradebook = _gradebook(students, ids, scale)
    out.mkdir(parents=True, exist_ok=True)
    _write_gradebook(gradebook, students, ids, scale, out / "notes.xlsx")
    feedback = out / "retours"
    feedback.mkdir(exist_ok=True)
    used: set[str] = set()
    for student in students:
        key = _student_key(student.submission.student)
        while key in used:
            key += "_"
        used.add(key)
        page = _feedback_html(student, ids, scale, show_solutions)
        write_html(feedback / f"{key}.html", page, what="la page de retour")
    return ClassReport(students, scale, gradebook, out)


def _default_questions(subs: Sequence[Submission]) -> list[str]:
    from .._resources import bundled
    from .check import _REGISTRY

    assignments = {s.assignment for s in subs}
    ids: list[str] = []
    for name in sorted(assignments):
        teacher = bundled("exercises") / f"{name}.ipynb"
        if teacher.is_file():
            ids += [i for i in _question_ids(teacher) if i not in ids]
    if not ids:
        for sub in subs:
            ids += [i for i in _question_ids(sub.path) if i in _REGISTRY and i not in ids]
    if not ids:
        raise MovscError(
            "impossible de savoir quelles questions corriger.",
            hint="donnez un barème (--bareme) qui liste les identifiants des questions.",
        )
    return ids


def _mark(total: float, scale: Scale, ids: Sequence[str]) -> float:
    maximum = sum(scale.points[id] for id in ids)
    return round(total / maximum * scale.out_of, 2) if maximum else 0.0


def _gradebook(students: list[StudentResult], ids: Sequence[str], scale: Scale) -> pd.DataFrame:
    rows = []
    for s in students:
        row: dict[str, Any] = {"Élève": s.submission.student, "Fichier": s.submission.path.name}
        row.update({id: s.points[id] for id in ids})
        row["Total"] = s.total
        row[f"Note /{format_out_of(scale.out_of)}"] = _mark(s.total, scale, ids)
        row["Exécution"] = s.run.status + (f" ({s.run.errors[0]})" if s.run.errors else "")
        row["Alerte"] = " ; ".join(s.alerts)
        rows.append(row)
    return pd.DataFrame(rows)


def format_out_of(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _write_gradebook(
    table: pd.DataFrame,
    students: list[StudentResult],
    ids: Sequence[str],
    scale: Scale,
    path: Path,
) -> None:
    """``notes.xlsx`` through the shared writing layer (text cells never formulas, atomic)."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .._write import new_workbook, save_workbook, set_cell
    from .check import _get

    wb = new_workbook()
    ws = wb.active
    ws.title = "Notes"

    def put(sheet: Any, row: int, col: int, value: Any) -> Any:
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and math.isnan(value):
            value = None
        return set_cell(sheet, row, col, value)

    for c, name in enumerate(table.columns, start=1):
        put(ws, 1, c, str(name)).font = Font(bold=True)
    flagged = PatternFill("solid", fgColor="F4CCCC")
    for r, (_, row) in enumerate(table.iterrows(), start=2):
        for c, value in enumerate(row.tolist(), start=1):
            put(ws, r, c, value)
        if row["Alerte"]:
            for c in range(1, len(table.columns) + 1):
                ws.cell(row=r, column=c).fill = flagged
    for c, name in enumerate(table.columns, start=1):
        width = max(10, min(45, len(str(name)) + 2))
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "C2"

    stats = wb.create_sheet("Questions")
    headers = ["Question", "Énoncé", "Points", "Réussite (%)", "Non vérifiée (copies)"]
    for c, name in enumerate(headers, start=1):
        put(stats, 1, c, name).font = Font(bold=True)
    n = len(students) or 1
    for r, id in enumerate(ids, start=2):
        passed = sum(1 for s in students if s.results[id] is not None and s.results[id].ok)
        unchecked = sum(1 for s in students if s.results[id] is None)
        for c, value in enumerate(
            [id, _get(id).question, scale.points[id], round(100 * passed / n, 1), unchecked],
            start=1,
        ):
            put(stats, r, c, value)
    stats.column_dimensions["A"].width = 36
    stats.column_dimensions["B"].width = 80
    save_workbook(wb, path, what="le carnet de notes")


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 8px;
vertical-align:top;text-align:left}.juste{color:#1b7837}.faux{color:#b2182b}.vide{color:#6a6a6a}
pre{background:#f6f6f6;padding:4px;white-space:pre-wrap}
"""


def _feedback_html(student: StudentResult, ids: Sequence[str], scale: Scale, show: bool) -> str:
    from .._format import format_number
    from .check import _get

    e = html.escape
    sub = student.submission
    mark = _mark(student.total, scale, ids)
    maximum = sum(scale.points[id] for id in ids)
    rows = []
    for number, id in enumerate(ids, start=1):
        ex = _get(id)
        result = student.results[id]
        if result is None:
            verdict, css = "non vérifiée", "vide"
            detail = (
                "Cette question n'a pas été vérifiée lors de l'exécution de votre carnet "
                "(cellule non exécutée, erreur avant elle, ou réponse laissée vide)."
            )
        else:
            verdict = {"juste": "juste", "faux": "à revoir", "vide": "sans réponse"}[result.status]
            css = result.status
            detail = e(result.message)
            if result.details:
                detail += "<ul>" + "".join(f"<li>{e(d)}</li>" for d in result.details) + "</ul>"
            if result.hint and not result.ok:
                detail += f"<br><em>Indice :</em> {e(result.hint)}"
        if show and (result is None or not result.ok):
            detail += f"<br><em>Corrigé :</em><pre>{e(ex.model_answer())}</pre>"
        rows.append(
            f"<tr><td>{number}</td><td>{e(ex.question)}</td>"
            f'<td class="{css}">{e(verdict)}</td>'
            f"<td>{format_number(student.points[id], 2).rstrip('0').rstrip(',')} / "
            f"{format_number(scale.points[id], 2).rstrip('0').rstrip(',')}</td>"
            f"<td>{detail}</td></tr>"
        )
    run = student.run
    notes = []
    if run.status != "terminé":
        notes.append(
            {
                "délai dépassé": "Votre carnet n'a pas fini de s'exécuter dans le temps imparti "
                "(une boucle sans fin ?) : les questions suivantes n'ont pas été vérifiées.",
                "illisible": "Votre fichier n'a pas pu être ouvert comme un carnet Jupyter.",
                "noyau arrêté": "Le noyau Python s'est arrêté pendant l'exécution de votre carnet.",
            }.get(run.status, "L'exécution de votre carnet a échoué.")
        )
    if run.errors:
        notes.append(
            "Erreurs pendant l'exécution (de haut en bas) : "
            + " ; ".join(e(x) for x in run.errors[:5])
            + ". Relancez votre carnet de haut en bas (« Redémarrer le noyau et tout exécuter ») "
            "avant de le rendre."
        )
    if student.alerts:
        notes.append("Votre copie sera examinée par votre enseignant·e.")
    note_html = "".join(f"<p>{n}</p>" for n in notes)
    today = _dt.date.today().strftime("%d/%m/%Y")
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Correction — {e(sub.student)}</title>
<style>{_STYLE}</style></head><body>
<h1>Correction — {e(sub.assignment)}</h1>
<p><strong>{e(sub.student)}</strong> · fichier {e(sub.path.name)} · corrigé le {today}</p>
<p><strong>Note : {format_number(mark, 2).rstrip("0").rstrip(",")} / {format_out_of(scale.out_of)}</strong>
({format_number(student.total, 2).rstrip("0").rstrip(",")} point(s) sur
{format_number(maximum, 2).rstrip("0").rstrip(",")})</p>
{note_html}
<table><thead><tr><th>n°</th><th>Question</th><th>Résultat</th><th>Points</th>
<th>Commentaire</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table></body></html>
"""
