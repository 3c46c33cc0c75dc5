"""Docs that teach: every public function says its parameters and what it returns, and shows
an example whose output the suite checks (``--doctest-modules``); every public class shows one.

The examples themselves run as doctests of their modules; this test checks that they exist.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

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


def _public() -> list[tuple[str, object]]:
    found = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                continue
            found.append((f"{package}.{name}", obj))
    return found


def _section(doc: str, title: str) -> bool:
    lines = [line.strip() for line in doc.splitlines()]
    return any(
        line == title and i + 1 < len(lines) and set(lines[i + 1]) == {"-"}
        for i, line in enumerate(lines)
    )


@pytest.mark.parametrize("qualname,obj", _public(), ids=lambda v: v if isinstance(v, str) else "")
def test_public_objects_document_parameters_returns_and_an_example(qualname, obj):
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{qualname} n'a pas de docstring"
    missing = []
    if inspect.isfunction(obj):
        parameters = [p for p in inspect.signature(obj).parameters if p not in ("self", "cls")]
        if parameters and not _section(doc, "Parameters"):
            missing.append("Parameters")
        if not _section(doc, "Returns") and not _section(doc, "Yields"):
            missing.append("Returns")
    if not _section(doc, "Examples") or ">>>" not in doc:
        missing.append("Examples")
    assert not missing, f"{qualname} : sections absentes {missing}"


def test_the_section_finder_reads_numpy_style():
    doc = "Sum.\n\nParameters\n----------\nx : int\n\nReturns\n-------\nint\n"
    assert _section(doc, "Parameters") and _section(doc, "Returns")
    assert not _section(doc, "Examples")
