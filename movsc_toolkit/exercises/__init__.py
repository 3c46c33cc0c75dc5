# ruff: noqa: F401  (the TYPE_CHECKING imports are the static view of _EXPORTS)
"""Exercises: self-checks (``verifier``, ``indice``) and the student-version builder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attach

if TYPE_CHECKING:  # for type checkers and editors (tests/core/test_import.py checks it matches)
    from .build import build_all, build_student
    from .check import indice, verifier
    from .registry import exercise, exercises
    from .results import CheckResult, Hint

#: public name -> submodule defining it, imported on first use (see movsc_toolkit._lazy); the
#: builder (nbformat, the writing layer) is loaded only when a teacher uses it
_EXPORTS = {
    "build_all": "build",
    "build_student": "build",
    "CheckResult": "results",
    "Hint": "results",
    "exercise": "registry",
    "exercises": "registry",
    "indice": "check",
    "verifier": "check",
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
