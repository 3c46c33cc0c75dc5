"""Generate a fixture class of submitted notebooks for ``movsc correction``.

The copies are made from the teacher notebook ``exercises/00_prise_en_main.ipynb`` (seven
checked questions) in six kinds, under the names a JupyterHub collection or a Moodle export
gives them:

- ``correct``: the teacher's solutions (mark 20/20);
- ``partiel``: two answers wrong (``len(...) - 1`` and the total of the contributions × 100),
  mark 5/7 × 20;
- ``vide``: the student version, every answer left as ``...`` (mark 0);
- ``plantage``: the kernel dies (``os._exit``) after question 2 (mark 2/7 × 20);
- ``boucle``: an infinite loop after question 3 (mark 3/7 × 20 once the time limit stops it);
- ``triche``: reads the expected values from the registry (every answer right, flagged), or
  redefines ``verifier`` to print « Bravo » without checking (nothing counts: 0, flagged).

Usage: ``python tests/data/grading/make_class.py DOSSIER [N]`` (N = 30 by default).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[3]
TEACHER = ROOT / "exercises" / "00_prise_en_main.ipynb"
ASSIGNMENT = TEACHER.stem
N_QUESTIONS = 7

#: mark /20 expected for each kind
EXPECTED_MARK = {
    "correct": 20.0,
    "partiel": round(5 / 7 * 20, 2),
    "vide": 0.0,
    "plantage": round(2 / 7 * 20, 2),
    "boucle": round(3 / 7 * 20, 2),
    "triche": 20.0,
    "triche-verifier": 0.0,
}

#: the kinds of a class of 30
CLASS_30 = (
    ["correct"] * 10
    + ["partiel"] * 8
    + ["vide"] * 4
    + ["plantage"] * 3
    + ["boucle"] * 2
    + ["triche"] * 2
    + ["triche-verifier"]
)

#: a small class covering every kind (unit test)
CLASS_SMALL = ["correct", "partiel", "vide", "plantage", "boucle", "triche", "triche-verifier"]


def _teacher() -> nbformat.NotebookNode:
    nb = nbformat.read(TEACHER, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.source = cell.source.replace("  # SOLUTION", "")
            cell.source = cell.source.replace("### BEGIN SOLUTION\n", "")
            cell.source = cell.source.replace("\n### END SOLUTION", "")
    return nb


def _replace(nb: nbformat.NotebookNode, old: str, new: str) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code" and old in cell.source:
            cell.source = cell.source.replace(old, new)
            return
    raise ValueError(f"not found in the teacher notebook: {old!r}")


def _insert_after(nb: nbformat.NotebookNode, check_id: str, source: str) -> None:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and f'verifier("{check_id}"' in cell.source:
            nb.cells.insert(i + 1, nbformat.v4.new_code_cell(source))
            return
    raise ValueError(check_id)


def make_notebook(kind: str) -> nbformat.NotebookNode:
    """One submission of the given kind."""
    if kind == "vide":
        import tempfile

        from movsc_toolkit.exercises.build import build_student

        with tempfile.TemporaryDirectory() as tmp:
            return build_student(TEACHER, Path(tmp) / TEACHER.name)
    nb = _teacher()
    if kind == "partiel":
        _replace(
            nb, "nombre_inscrits = len(inscriptions)", "nombre_inscrits = len(inscriptions) - 1"
        )
        _replace(
            nb, 'inscriptions["Montant payé"].sum()', 'inscriptions["Montant payé"].sum() * 100'
        )
    elif kind == "plantage":
        _insert_after(nb, "prise-en-main-encodage", "import os\n\nos._exit(1)")
    elif kind == "boucle":
        _insert_after(nb, "prise-en-main-ages-manquants", "n = 0\nwhile True:\n    n += 1")
    elif kind == "triche":
        nb.cells.insert(
            3,
            nbformat.v4.new_code_cell(
                "from movsc_toolkit.exercises.registry import REGISTRY, load_answers\n\n"
                "load_answers()\n"
                "reponses = {k: e.expected_value() for k, e in REGISTRY.items() "
                'if k.startswith("prise-en-main")}'
            ),
        )
        for name, id in [
            ("nombre_inscrits", "nombre-inscrits"),
            ("ages_manquants", "ages-manquants"),
            ("montant_total", "montant-total"),
        ]:
            _replace(nb, f"{name} = ", f'{name} = reponses["prise-en-main-{id}"]  # ')
    elif kind == "triche-verifier":
        nb.cells.insert(
            3,
            nbformat.v4.new_code_cell(
                'def verifier(id, valeur):\n    return "✅ Bravo, c\'est juste !"'
            ),
        )
        _replace(nb, "nombre_inscrits = len(inscriptions)", "nombre_inscrits = 0")
    elif kind != "correct":
        raise ValueError(kind)
    return nb


def _path(folder: Path, number: int, kind: str) -> Path:
    login = f"eleve{number:02d}-{kind}"
    layout = number % 3
    if layout == 0:  # JupyterHub collection: one folder per login
        return folder / login / f"{ASSIGNMENT}.ipynb"
    if layout == 1:  # flat: <exercise>_<login>.ipynb
        return folder / f"{ASSIGNMENT}_{login}.ipynb"
    # Moodle export
    return (
        folder
        / f"Élève{number:02d} {kind.capitalize()}_{100000 + number}_assignsubmission_file_{ASSIGNMENT}.ipynb"
    )


def make_class(folder: str | Path, kinds: list[str] | None = None) -> dict[str, str]:
    """Write one notebook per kind into ``folder``; return {file path: kind}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    cache: dict[str, nbformat.NotebookNode] = {}
    for number, kind in enumerate(kinds or CLASS_30, start=1):
        path = _path(folder, number, kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind not in cache:
            cache[kind] = make_notebook(kind)
        nbformat.write(cache[kind], path)
        written[str(path)] = kind
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    kinds = CLASS_SMALL if n == len(CLASS_SMALL) else (CLASS_30 * (n // 30 + 1))[:n]
    make_class(target, kinds)
    print(f"{n} copies écrites dans {target}")
