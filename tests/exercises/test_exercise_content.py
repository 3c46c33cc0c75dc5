"""The exercise notebooks assess the competence: they are checked against the course notebooks.

- no expected value of a numeric or text question is printed in a course notebook (the student
  must *do* the analysis, not read it back from the course);
- every course notebook (00–09) is served by at least one exercise notebook;
- every teacher notebook says how long it takes and which competence it assesses;
- every « Pour réfléchir » prompt has a model answer in the teacher version.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from movsc_toolkit.exercises import registry

ROOT = Path(__file__).resolve().parents[2]
COURSE = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
MARKER = "<!-- ENSEIGNANT -->"


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _printed(path: Path) -> str:
    """Everything a student reads in a notebook: sources and outputs, spaces normalised."""
    parts = []
    for cell in _cells(path):
        parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            data = output.get("data", {})
            parts.append("".join(data.get("text/plain", "")) + "".join(data.get("text/html", "")))
    text = "\n".join(parts)
    for space in ("\u202f", "\xa0", "&nbsp;", "&#8239;"):
        text = text.replace(space, " ")
    return text.replace("\u2212", "-")


def _spellings(value: float, decimals: int) -> set[str]:
    """How a number prints with ``decimals`` decimals: French and English, grouped or not."""
    shown = f"{round(value, decimals):.{decimals}f}"
    integer, _, fraction = shown.lstrip("-").partition(".")
    sign = "-" if shown.startswith("-") else ""
    grouped = re.sub(r"(?<=\d)(?=(\d{3})+$)", " ", integer)
    out = {shown}
    for whole in {integer, grouped}:
        out.add(sign + whole + ("," + fraction if fraction else ""))
    return out


def _significant(text: str) -> int:
    return len(text.lstrip("-").replace(",", "").replace(".", "").replace(" ", "").lstrip("0"))


def _exercise_values():
    registry.load_answers()
    for ex in registry.REGISTRY.values():
        if ex.choices:
            continue
        yield ex


@pytest.fixture(scope="module")
def course_text() -> dict[str, str]:
    return {path.name: _printed(path) for path in COURSE}


@pytest.mark.parametrize("ex", list(_exercise_values()), ids=lambda e: e.id)
def test_no_expected_value_is_printed_in_the_course(ex, course_text):
    value = ex.expected_value()
    if isinstance(value, bool) or value is None:
        pytest.skip("réponse Oui/Non")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            pytest.skip("valeur manquante")
        decimals = (
            ex.decimals if ex.decimals is not None else (0 if float(value).is_integer() else 2)
        )
        spellings = _spellings(float(value), decimals)
        # a 4-digit number is searched anywhere; a 3-digit one only with its unit (31,4 %),
        # since shorter numbers turn up by chance in any table
        long = [re.escape(s) for s in spellings if _significant(s) >= 4]
        unit = re.escape(ex.unit) if ex.unit in ("%", "€") else None
        whole = float(value).is_integer()  # 50,0 % or 80,0 % are everywhere: not searched
        short = [
            re.escape(s) + r"\s?" + unit
            for s in spellings
            if _significant(s) == 3 and unit and not whole
        ]
        patterns = long + short
        if not patterns:
            pytest.skip("nombre trop court pour être cherché sans faux positifs")
        regex = re.compile(r"(?<![\d,.])(?:" + "|".join(patterns) + r")(?![\d]|[,.]\d)")
    elif isinstance(value, str) and " " in value and ex.kind not in ("mois", "date"):
        # a phrase (a single word such as « travailler » is in any French text)
        regex = re.compile(re.escape(value))
    else:
        pytest.skip("réponse courte, liste ou tableau")
    found = {name: m.group(0) for name, text in course_text.items() if (m := regex.search(text))}
    assert not found, f"{ex.id} : la valeur attendue est affichée dans le cours {found}"


def test_every_course_notebook_has_an_exercise_notebook():
    served = set()
    for path in EXERCISES:
        served |= set(re.findall(r"(\d\d)_[a-z_]+\.ipynb", _printed(path)))
        served.add(path.name[:2])
    missing = sorted({p.name[:2] for p in COURSE} - served)
    assert not missing, f"carnets de cours sans carnet d'exercices : {missing}"


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_teacher_notes_say_duration_and_competence(path):
    notes = [
        "".join(c["source"])
        for c in _cells(path)
        if c["cell_type"] == "markdown" and MARKER in "".join(c["source"])
    ]
    assert notes, f"{path.name} : pas de notes pour l'enseignant·e"
    first = notes[0]
    assert "Durée" in first, f"{path.name} : la durée manque dans les notes"
    assert re.search(r"BC0[24]", first), f"{path.name} : la compétence (BC02/BC04) manque"


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_every_pour_reflechir_has_a_model_answer(path):
    cells = _cells(path)
    for i, cell in enumerate(cells):
        source = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or "Pour réfléchir" not in source or MARKER in source:
            continue
        following = []
        for nxt in cells[i + 1 :]:
            text = "".join(nxt["source"])
            if nxt["cell_type"] == "markdown" and re.match(r"#+ ", text) and MARKER not in text:
                break
            following.append(text)
        assert any(MARKER in t and "Réponse attendue" in t for t in following), (
            f"{path.name}, cellule {i} : « Pour réfléchir » sans réponse modèle pour l'enseignant"
        )
