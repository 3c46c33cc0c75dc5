"""The student workspace: copying the course (notebooks, student exercises, data) without ever
overwriting a file the student changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from .._errors import FileError
from .._resources import bundled, checkout_root

#: Student workspace opened by ``movsc lab``: course notebooks and student exercises.
DEFAULT_COURSE_DIR = Path.home() / "movsc-cours"
FIRST_NOTEBOOK = "notebooks/00_prise_en_main.ipynb"


#: File of the student workspace recording the fingerprint of every file the command wrote.
MANIFEST = ".movsc-cours.json"
_IGNORED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".movsc_cache", "*.pyc")


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync_course(target: Path) -> tuple[list[str], list[str]]:
    """Create or update the student workspace ``target``.

    The workspace holds the course notebooks (``notebooks/``) and the **student** version of
    the exercises (``exercises/``, built with
    :func:`~movsc_toolkit.exercises.build.build_all`: no solution, no result). The rule: a file
    is written when it is missing, or when it is still exactly what this command wrote last time
    (its fingerprint is in ``.movsc-cours.json``); a file the student changed — or that the
    command did not write — is never overwritten.

    Returns the files written and the files kept as they were (relative paths).
    """
    from ..exercises.build import build_all

    notebooks = bundled("notebooks")
    if not notebooks.is_dir():
        raise FileError(
            f"les carnets du cours sont introuvables dans l'installation (« {notebooks} »).",
            hint="réinstallez le paquet : pip install --force-reinstall movsc-toolkit",
        )
    manifest_path = target / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    written: list[str] = []
    kept: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp)
        shutil.copytree(notebooks, staged / "notebooks", ignore=_IGNORED)
        exercises = bundled("exercises")
        if exercises.is_dir() and any(exercises.glob("*.ipynb")):
            build_all(exercises, staged / "exercises")
        for source in sorted(p for p in staged.rglob("*") if p.is_file()):
            relative = source.relative_to(staged).as_posix()
            dest = target / relative
            new = fingerprint(source)
            if dest.exists():
                current = fingerprint(dest) if dest.is_file() else None
                if current == new:
                    manifest[relative] = new
                    continue
                if current is None or manifest.get(relative) != current:
                    kept.append(relative)  # the student's work (or not ours): never touched
                    continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            manifest[relative] = new
            written.append(relative)
    target.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return written, kept


def report_sync(root: Path, written: list[str], kept: list[str]) -> None:
    if written:
        print(f"Cours copié ou mis à jour dans « {root} » : {len(written)} fichier(s).")
    if kept:
        print(
            f"{len(kept)} fichier(s) que vous avez modifié(s) sont gardés tels quels : "
            + ", ".join(kept)
            + ". Pour retrouver la version d'origine d'un carnet, renommez votre copie puis "
            "relancez movsc lab."
        )


def teacher_root() -> Path:
    """Folder of the teacher material: the checkout, or the material bundled in the wheel."""
    root = checkout_root() or bundled("notebooks").parent
    if not (root / "notebooks").is_dir():
        raise FileError(
            f"les carnets du cours sont introuvables dans l'installation (« {root} »).",
            hint="réinstallez le paquet : pip install --force-reinstall movsc-toolkit",
        )
    return root
