"""The one vocabulary (docs/vocabulaire.md): every public name is on the sheet.

The sheet's tables list the allowed names (first column, in backquotes) and, in « Noms
remplacés », the names that must no longer appear. This test inspects every public function and
class of the package (``__all__`` of the root and of each subpackage), their methods and
properties, and the fields of the result dataclasses.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from movsc_toolkit._problems import COLUMNS, CONTEXT_COLUMNS, SEVERITIES, ProblemLog

SHEET = Path(__file__).resolve().parents[2] / "docs" / "vocabulaire.md"
PACKAGES = (
    "movsc_toolkit",
    "movsc_toolkit.survey",
    "movsc_toolkit.lexico",
    "movsc_toolkit.finance",
    "movsc_toolkit.kpi",
    "movsc_toolkit.qualitative",
    "movsc_toolkit.exercises",
    "movsc_toolkit.datasets",
)
_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$")


def _sheet() -> tuple[dict[str, str], dict[str, str]]:
    """(allowed name → meaning, replaced name → new name), read from the sheet's tables."""
    allowed: dict[str, str] = {}
    replaced: dict[str, str] = {}
    section = ""
    for line in SHEET.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        match = _ROW.match(line)
        if not match:
            continue
        name, rest = match.group(1), match.group(2)
        if section == "Noms remplacés":
            replaced[name] = rest.split("|")[0].strip()
        else:
            allowed[name] = rest.split("|")[0].strip()
    return allowed, replaced


def _public_objects() -> Iterator[tuple[str, object]]:
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                continue
            yield f"{package}.{name}", obj


def _parameters(func: object) -> list[str]:
    try:
        signature = inspect.signature(func)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return []
    return [p for p in signature.parameters if p not in ("self", "cls")]


def _used_names() -> dict[str, set[str]]:
    """Every parameter, result field and property name → where it is used."""
    used: dict[str, set[str]] = {}

    def add(name: str, where: str) -> None:
        used.setdefault(name, set()).add(where)

    for qualname, obj in _public_objects():
        if inspect.isclass(obj):
            if issubclass(obj, BaseException):
                continue
            if dataclasses.is_dataclass(obj):
                for field in dataclasses.fields(obj):
                    if not field.name.startswith("_"):
                        add(field.name, f"{qualname} (champ)")
            elif "__init__" in vars(obj):
                for name in _parameters(obj.__init__):
                    add(name, f"{qualname}()")
            for attr, value in vars(obj).items():
                if attr.startswith("_"):
                    continue
                if isinstance(value, property):
                    add(attr, f"{qualname}.{attr} (propriété)")
                elif isinstance(value, (staticmethod, classmethod)):
                    for name in _parameters(value.__func__):
                        add(name, f"{qualname}.{attr}()")
                elif inspect.isfunction(value):
                    for name in _parameters(value):
                        add(name, f"{qualname}.{attr}()")
        elif callable(obj):
            for name in _parameters(obj):
                add(name, f"{qualname}()")
    return used


def test_the_sheet_is_readable():
    allowed, replaced = _sheet()
    assert "decimals" in allowed and "dropna" in allowed
    assert replaced["threshold"].startswith("`min_score`")
    assert not set(allowed) & set(replaced), "un nom ne peut pas être à la fois permis et remplacé"


def test_every_public_name_is_on_the_sheet():
    allowed, _ = _sheet()
    used = _used_names()
    assert len(used) > 100  # the inspection found the package's names
    outside = {n: sorted(w)[:3] for n, w in used.items() if n not in allowed}
    assert not outside, f"noms absents de docs/vocabulaire.md : {outside}"


def test_no_replaced_name_is_used():
    _, replaced = _sheet()
    used = _used_names()
    found = {n: sorted(used[n])[:3] for n in replaced if n in used}
    assert not found, f"anciens noms encore employés : {found}"


@pytest.mark.parametrize("name", sorted(_sheet()[0]))
def test_names_are_ascii_snake_case(name):
    assert re.fullmatch(r"[a-z][a-z0-9_]*\d?", name), name


def test_problems_tables_have_one_schema_and_two_severities():
    assert SEVERITIES == ("erreur", "alerte")
    assert COLUMNS == ("ligne", "colonne", "valeur", "gravité", "message")
    assert CONTEXT_COLUMNS == ("fichier", "feuille", "élément")
    log = ProblemLog(fichier="x.csv")
    log.add("alerte", "à vérifier", ligne=2, colonne="A", valeur="1")
    assert log.frame().columns.tolist() == ["fichier", *COLUMNS]
    with pytest.raises(ValueError):
        log.add("avertissement", "un troisième mot", ligne=3)
