"""Student versions of the exercise notebooks: the builder, then every real notebook, run."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from movsc_toolkit._errors import FileError, ValidationError
from movsc_toolkit.exercises import build_all, build_student
from movsc_toolkit.exercises.build import _is_teacher_cell, student_source

ROOT = Path(__file__).resolve().parents[2]
TEACHER_NOTEBOOKS = sorted((ROOT / "exercises").glob("*.ipynb"))
SOLUTION_LINE = re.compile(r"^\s*(?:[\w.\[\]\"', ]+=)?\s*(.+?)\s*#\s*SOLUTION\s*$")


# --------------------------------------------------------------------------- student_source


@pytest.mark.parametrize(
    ("teacher", "student"),
    [
        ("x = len(df)  # SOLUTION", "x = ..."),
        ("    total = a + b # SOLUTION", "    total = ..."),
        ("t: float = 3.5  # SOLUTION", "t: float = ..."),
        ("n += f(a=1, b=2)  # SOLUTION", "n += ..."),
        ("df['x'], y = g(), h()  # SOLUTION", "df['x'], y = ..."),
        ("a = b == c  # SOLUTION", "a = ..."),
        ("adherents['Âge'].mean()  # SOLUTION", "..."),
        ("res = (df.groupby('a')  # SOLUTION", "res = ..."),
        ("    return x  # SOLUTION", "    ..."),
        ("x = 1  # pas une solution", "x = 1  # pas une solution"),
    ],
)
def test_solution_lines(teacher, student):
    assert student_source(teacher) == student


def test_solution_block_inside_a_function_keeps_indentation():
    teacher = "def f(a):\n    ### BEGIN SOLUTION\n    return a + 1\n    ### END SOLUTION\nf(1)"
    assert student_source(teacher) == "def f(a):\n    ...\nf(1)"


def test_solution_block_assigning_variables_keeps_their_names():
    teacher = (
        "### BEGIN SOLUTION\n"
        "classeur = read(\n    'a.xlsx'\n)\n"
        "x, y = 1, 2\n"
        "for i in range(3):\n    z = i\n"
        "x = 3\n"
        "### END SOLUTION\n"
        "verifier('id', x)"
    )
    assert student_source(teacher) == ("classeur = ...\nx = ...\ny = ...\nverifier('id', x)")


def test_solution_block_without_assignment_and_other_comment_prefix():
    assert student_source("print(1)\n## BEGIN SOLUTION\nprint(2)\n## END SOLUTION") == (
        "print(1)\n..."
    )


def test_hidden_tests_are_removed():
    teacher = "x = 1\n### BEGIN HIDDEN TESTS\nassert x == 1\n### END HIDDEN TESTS\nprint(x)"
    assert student_source(teacher) == "x = 1\nprint(x)"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("### BEGIN SOLUTION\nx = 1", "jamais fermé"),
        ("x = 1\n### END SOLUTION", "sans « BEGIN SOLUTION »"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "à l'intérieur"),
        ("### END HIDDEN TESTS", "sans « BEGIN HIDDEN TESTS »"),
        ("### BEGIN HIDDEN TESTS\nassert True", "jamais fermé"),
    ],
)
def test_unbalanced_markers(source, message):
    with pytest.raises(ValidationError, match=message):
        student_source(source, where="cellule 3")


# --------------------------------------------------------------------------- build_student


def teacher_notebook(path: Path) -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "conda-env-cours-py", "display_name": "Cours"}
    visible = new_markdown_cell("## Question 1\nCalculez le total.")
    secret_md = new_markdown_cell("<!-- ENSEIGNANT -->\nRéponse attendue : 42.")
    answer = new_code_cell("total = 40 + 2  # SOLUTION", execution_count=3)
    answer.outputs = [new_output("execute_result", {"text/plain": "42"}, execution_count=3)]
    answer.metadata["execution"] = {"iopub.status.busy": "2024-09-15T12:00:00Z"}
    teacher_only = new_code_cell("print('corrigé')", execution_count=4)
    teacher_only.metadata["tags"] = ["enseignant"]
    check = new_code_cell("verifier('prise-en-main-nombre-inscrits', total)", execution_count=5)
    nb.cells = [visible, secret_md, answer, teacher_only, check]
    nbformat.write(nb, path)
    return path


def test_build_student(tmp_path):
    source = teacher_notebook(tmp_path / "td.ipynb")
    nb = build_student(source, tmp_path / "eleve" / "td.ipynb")
    written = nbformat.read(tmp_path / "eleve" / "td.ipynb", as_version=4)
    assert written == nb
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert nb.cells[1].source == "total = ..."
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells[1:])
    assert "execution" not in nb.cells[1].metadata
    assert nb.metadata["kernelspec"]["name"] == "python3"
    text = (tmp_path / "eleve" / "td.ipynb").read_text(encoding="utf-8")
    # the output "42" is gone (a bare 42 could appear in a random cell id)
    assert '"42"' not in text and "corrigé" not in text and "ENSEIGNANT" not in text
    teacher = nbformat.read(source, as_version=4)  # the master is left untouched
    assert len(teacher.cells) == 5


def test_build_student_reports_the_cell(tmp_path):
    nb = new_notebook()
    nb.cells = [new_markdown_cell("x"), new_code_cell("### BEGIN SOLUTION\nx = 1")]
    nbformat.write(nb, tmp_path / "td.ipynb")
    with pytest.raises(ValidationError) as info:
        build_student(tmp_path / "td.ipynb", tmp_path / "out.ipynb")
    assert "cellule 2" in str(info.value)
    assert "td.ipynb" in str(info.value)


def test_build_student_bad_files(tmp_path):
    with pytest.raises(FileError, match="introuvable"):
        build_student(tmp_path / "absent.ipynb", tmp_path / "out.ipynb")
    (tmp_path / "casse.ipynb").write_text("{pas du json", encoding="utf-8")
    with pytest.raises(FileError, match="pas un carnet Jupyter lisible"):
        build_student(tmp_path / "casse.ipynb", tmp_path / "out.ipynb")


def test_build_all(tmp_path):
    source = tmp_path / "maitre"
    source.mkdir()
    teacher_notebook(source / "02_b.ipynb")
    teacher_notebook(source / "01_a.ipynb")
    (source / "notes.txt").write_text("pas un carnet", encoding="utf-8")
    written = build_all(source, tmp_path / "eleves")
    assert [p.name for p in written] == ["01_a.ipynb", "02_b.ipynb"]
    assert all(p.is_file() for p in written)
    assert not (tmp_path / "eleves" / "notes.txt").exists()


def test_build_all_errors(tmp_path):
    with pytest.raises(FileError, match="introuvable"):
        build_all(tmp_path / "absent", tmp_path / "out")
    (tmp_path / "vide").mkdir()
    with pytest.raises(FileError, match="aucun carnet"):
        build_all(tmp_path / "vide", tmp_path / "out")
    teacher_notebook(tmp_path / "vide" / "td.ipynb")
    with pytest.raises(FileError, match="seraient écrasés"):
        build_all(tmp_path / "vide", tmp_path / "vide")


# --------------------------------------------------------------------------- the real notebooks


def _solutions(source: str) -> tuple[list[str], list[str]]:
    """Split a teacher cell into solution fragments and the other lines."""
    solutions, others = [], []
    in_block = False
    for line in source.split("\n"):
        if "BEGIN SOLUTION" in line:
            in_block = True
        elif "END SOLUTION" in line:
            in_block = False
        elif in_block:
            if line.strip():
                solutions.append(line.strip())
        elif match := SOLUTION_LINE.match(line):
            solutions.append(match.group(1))
        else:
            others.append(line)
    return solutions, others


def test_the_teacher_notebooks_are_found():
    assert TEACHER_NOTEBOOKS, "aucun carnet dans exercises/"


@pytest.mark.parametrize("teacher", TEACHER_NOTEBOOKS, ids=lambda p: p.name)
def test_student_version_runs_and_answers_nothing_yet(teacher, tmp_path, execute_notebook):
    student_path = tmp_path / teacher.name
    student = build_student(teacher, student_path)
    code = "\n".join(c.source for c in student.cells if c.cell_type == "code")
    assert "SOLUTION" not in code
    assert "HIDDEN TESTS" not in code
    original = nbformat.read(teacher, as_version=4)
    kept = [c for c in original.cells if not _is_teacher_cell(c)]
    assert len(kept) == len(student.cells)
    marked = 0
    for teacher_cell, student_cell in zip(kept, student.cells, strict=True):
        if teacher_cell.cell_type != "code":
            continue
        solutions, others = _solutions(teacher_cell.source)
        marked += len(solutions)
        visible = "\n".join(others)
        for solution in solutions:
            if len(solution.strip(". ")) >= 4 and solution not in visible:
                assert solution not in student_cell.source, f"solution restée : {solution}"
    assert marked, f"{teacher.name}: aucune solution marquée"

    execute_notebook(student, tmp_path)  # raises CellExecutionError if any cell fails

    checks = 0
    for cell in student.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for output in cell.outputs:
            assert output.output_type != "error"
            texts.append(output.get("text", ""))
            texts.extend(str(v) for v in output.get("data", {}).values())
        shown = "\n".join(texts)
        assert "✅" not in shown and "❌" not in shown, cell.source
        if "verifier(" in cell.source:
            checks += cell.source.count("verifier(")
            assert shown.count("Pas encore de réponse") >= 1, cell.source
    assert checks >= 3, f"{teacher.name}: moins de trois vérifications"
