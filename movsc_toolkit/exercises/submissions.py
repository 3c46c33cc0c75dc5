"""The submitted notebooks of a class: finding them (Moodle folders, flat folders) and scanning
their code for reads of the library's internals.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .._errors import MovscError

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
    (r"\b_?REGISTRY\b", "lit le registre interne des exercices (REGISTRY)"),
    (r"\bexpected_value\b|\.expected\s*\(", "appelle le calcul de la valeur attendue"),
    (
        r"exercises\s*\.\s*(check|registry)|exercises\s+import\s+[^\n]*\b(check|registry)\b",
        "importe le module interne check",
    ),
    (
        r"exercises\s*\.\s*answers|\banswers\s+import|import\s+[\w.]*answers",
        "importe les corrigés (answers)",
    ),
    (r"\b_cache\b", "lit le cache des valeurs attendues (_cache)"),
    (
        r"\b_get\s*\(|\bget_exercise\s*\(|\b_compare\w*\s*\(|\bcheck\s*\.\s*check\b",
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


def code_sources(path: Path) -> list[str]:
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return []
    return [c.source for c in nb.cells if c.cell_type == "code"]


_VERIFIER_CALL = re.compile(r"""verifier\(\s*["']([\w.-]+)["']""")


def question_ids(path: Path) -> list[str]:
    ids: list[str] = []
    for source in code_sources(path):
        for id in _VERIFIER_CALL.findall(source):
            if id not in ids:
                ids.append(id)
    return ids
