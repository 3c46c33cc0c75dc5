"""Build the student version of a teacher (master) exercise notebook.

The teacher notebook holds the solutions; the student version is derived from it by markers
only, those of nbgrader (``### BEGIN SOLUTION``, ``### BEGIN HIDDEN TESTS``) and of
otter-grader (``# SOLUTION``), without nbgrader's cell metadata:

- a block between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` lines (any comment prefix)
  becomes ``...``, indented like the ``BEGIN`` line; when the block assigns variables at its
  own level (``total = …``), it becomes one ``total = ...`` line per variable instead, so the
  ``verifier(…, total)`` cell that follows says "pas encore de réponse" rather than failing on
  an undefined name;
- a line ending in ``# SOLUTION`` becomes ``...``; for an assignment only the right-hand side is
  replaced (``x = calcul()  # SOLUTION`` → ``x = ...``);
- a block between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` is removed;
- code cells tagged ``enseignant`` and Markdown cells containing ``<!-- ENSEIGNANT -->`` are
  dropped (teacher-only notes);
- outputs and execution counts are cleared, and the kernel is the standard ``python3``.
"""

from __future__ import annotations

import ast
import re
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from .._errors import FileError, ValidationError
from .._resources import read_notebook
from .._write import write_text

if TYPE_CHECKING:  # pragma: no cover
    from nbformat import NotebookNode

__all__ = ["TEACHER_MARKDOWN_MARKER", "TEACHER_TAG", "build_all", "build_student", "student_source"]

#: Tag of the cells kept out of the student version.
TEACHER_TAG = "enseignant"
#: Marker of the Markdown cells kept out of the student version.
TEACHER_MARKDOWN_MARKER = "<!-- ENSEIGNANT -->"

_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

_BEGIN = re.compile(r"^(\s*)\S*\s*BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*\S*\s*END SOLUTION\s*$")
_BEGIN_HIDDEN = re.compile(r"^\s*\S*\s*BEGIN HIDDEN TESTS\s*$")
_END_HIDDEN = re.compile(r"^\s*\S*\s*END HIDDEN TESTS\s*$")
_LINE_MARKER = re.compile(r"\s*#\s*SOLUTION\s*$")
_SIMPLE_TARGET = re.compile(r"^([A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*(:[^=]+)?=)(?!=)")


def _replace_solution_line(line: str) -> str:
    """``x = expr  # SOLUTION`` → ``x = ...``; any other marked line → ``...`` (same indent)."""
    indent = line[: len(line) - len(line.lstrip())]
    code = _LINE_MARKER.sub("", line).strip()
    try:
        tree = ast.parse(code)
    except SyntaxError:
        tree = None
    if tree is not None and len(tree.body) == 1:
        node = tree.body[0]
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and node.value is not None:
            target = code[: node.value.col_offset].rstrip()
            return f"{indent}{target} ..."
        return f"{indent}..."
    match = _SIMPLE_TARGET.match(code)  # first line of a statement spanning several lines
    if match:
        return f"{indent}{match.group(1)} ..."
    return f"{indent}..."


def _block_placeholder(block: list[str], indent: str) -> list[str]:
    """``...`` for a solution block, or ``name = ...`` for each variable it assigns."""
    width = len(indent)
    try:
        tree = ast.parse("\n".join(line[width:] for line in block))
    except SyntaxError:
        return [f"{indent}..."]
    names: list[str] = []
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign | ast.AugAssign)
            else []
        )
        for target in targets:
            elements = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
            for element in elements:
                if isinstance(element, ast.Name) and element.id not in names:
                    names.append(element.id)
    if not names:
        return [f"{indent}..."]
    return [f"{indent}{name} = ..." for name in names]


def student_source(source: str, *, where: str = "") -> str:
    """Return the student version of one code cell's source.

    Parameters
    ----------
    source
        The teacher's code.
    where
        Description of the cell for error messages (``"cellule 4"``).

    Raises
    ------
    ValidationError
        When a ``BEGIN`` marker has no matching ``END`` (or the reverse).
    """
    out: list[str] = []
    block: list[str] = []
    indent = ""
    in_solution = in_hidden = False
    for number, line in enumerate(source.split("\n"), start=1):
        begin = _BEGIN.match(line)
        if begin:
            if in_solution or in_hidden:
                raise ValidationError(
                    f"{where} : « BEGIN SOLUTION » ligne {number} à l'intérieur d'un autre bloc.",
                    hint="fermez le bloc précédent par « ### END SOLUTION ».",
                )
            in_solution = True
            indent, block = begin.group(1), []
        elif _END.match(line):
            if not in_solution:
                raise ValidationError(
                    f"{where} : « END SOLUTION » ligne {number} sans « BEGIN SOLUTION ».",
                    hint="ajoutez « ### BEGIN SOLUTION » avant la solution.",
                )
            in_solution = False
            out.extend(_block_placeholder(block, indent))
        elif _BEGIN_HIDDEN.match(line):
            if in_solution or in_hidden:
                raise ValidationError(
                    f"{where} : « BEGIN HIDDEN TESTS » ligne {number} à l'intérieur d'un autre "
                    "bloc.",
                    hint="fermez le bloc précédent.",
                )
            in_hidden = True
        elif _END_HIDDEN.match(line):
            if not in_hidden:
                raise ValidationError(
                    f"{where} : « END HIDDEN TESTS » ligne {number} sans « BEGIN HIDDEN TESTS ».",
                    hint="ajoutez « ### BEGIN HIDDEN TESTS » avant les tests cachés.",
                )
            in_hidden = False
        elif in_solution:
            block.append(line)
        elif in_hidden:
            continue
        elif _LINE_MARKER.search(line):
            out.append(_replace_solution_line(line))
        else:
            out.append(line)
    if in_solution or in_hidden:
        marker = "BEGIN SOLUTION" if in_solution else "BEGIN HIDDEN TESTS"
        raise ValidationError(
            f"{where} : le bloc « {marker} » n'est jamais fermé.",
            hint="ajoutez la ligne « ### END SOLUTION » (ou « ### END HIDDEN TESTS ») à la fin "
            "du bloc.",
        )
    return "\n".join(out)


def _is_teacher_cell(cell: NotebookNode) -> bool:
    if TEACHER_TAG in cell.get("metadata", {}).get("tags", []):
        return True
    return cell.cell_type == "markdown" and TEACHER_MARKDOWN_MARKER in cell.source


def build_student(source_nb: str | PathLike[str], dest_nb: str | PathLike[str]) -> NotebookNode:
    """Write the student version of the teacher notebook ``source_nb`` to ``dest_nb``.

    Teacher cells are dropped, ``### BEGIN/END SOLUTION`` blocks and ``# SOLUTION`` lines are
    replaced by ``...``, outputs are cleared. Raises
    :class:`~movsc_toolkit._errors.ValidationError` for an unbalanced solution block and
    :class:`~movsc_toolkit._errors.FileError` for an unreadable notebook.

    Parameters
    ----------
    source_nb
        The teacher notebook (with solutions).
    dest_nb
        The student notebook to write (``.ipynb``).

    Returns
    -------
    nbformat.NotebookNode
        The student notebook.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import nbformat
    >>> from movsc_toolkit.exercises import build_student
    >>> folder = Path(tempfile.mkdtemp())
    >>> teacher = nbformat.v4.new_notebook()
    >>> teacher.cells = [nbformat.v4.new_code_cell("total = 2 + 3  # SOLUTION")]
    >>> nbformat.write(teacher, folder / "prof.ipynb")
    >>> student = build_student(folder / "prof.ipynb", folder / "eleve.ipynb")
    >>> print(student.cells[0].source)
    total = ...
    """
    import nbformat  # imported here: ``verifier`` alone does not need it

    source_nb, dest_nb = Path(source_nb), Path(dest_nb)
    nb = read_notebook(source_nb)
    cells = []
    for index, cell in enumerate(nb.cells, start=1):
        if _is_teacher_cell(cell):
            continue
        if cell.cell_type == "code":
            try:
                cell.source = student_source(cell.source, where=f"cellule {index}")
            except ValidationError as exc:
                raise ValidationError(exc.message, path=source_nb, hint=exc.hint) from None
            cell.outputs = []
            cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        cells.append(cell)
    nb.cells = cells
    nb.metadata["kernelspec"] = dict(_KERNELSPEC)
    nb.metadata.setdefault("language_info", {"name": "python"})
    nbformat.validate(nb)
    text = nbformat.writes(nb)
    write_text(
        dest_nb,
        text if text.endswith("\n") else text + "\n",
        suffixes=(".ipynb",),
        what="le carnet élève",
    )
    return nb


def build_all(source_dir: str | PathLike[str], dest_dir: str | PathLike[str]) -> list[Path]:
    """Build the student version of every notebook of ``source_dir`` into ``dest_dir``.

    Parameters
    ----------
    source_dir
        The folder of the teacher notebooks (``exercises/``).
    dest_dir
        The folder to write the student versions to (not ``source_dir``).

    Returns
    -------
    list of pathlib.Path
        The notebooks written, in name order.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import nbformat
    >>> from movsc_toolkit.exercises import build_all
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "prof").mkdir()
    >>> nbformat.write(nbformat.v4.new_notebook(), folder / "prof" / "00_essai.ipynb")
    >>> [p.name for p in build_all(folder / "prof", folder / "eleves")]
    ['00_essai.ipynb']
    """
    source_dir, dest_dir = Path(source_dir), Path(dest_dir)
    if not source_dir.is_dir():
        raise FileError(
            f"le dossier des exercices « {source_dir} » est introuvable.",
            hint="indiquez le dossier qui contient les carnets enseignants (par exemple "
            "« exercises/ »).",
        )
    notebooks = sorted(source_dir.glob("*.ipynb"))
    if not notebooks:
        raise FileError(
            f"le dossier « {source_dir} » ne contient aucun carnet (.ipynb).",
            hint="indiquez le dossier qui contient les carnets enseignants.",
        )
    if dest_dir.resolve() == source_dir.resolve():
        raise FileError(
            f"le dossier de sortie « {dest_dir} » est celui des carnets enseignants : ils "
            "seraient écrasés.",
            hint="choisissez un autre dossier de sortie, par exemple « etudiants/ ».",
        )
    written = []
    for notebook in notebooks:
        target = dest_dir / notebook.name
        build_student(notebook, target)
        written.append(target)
    return written
