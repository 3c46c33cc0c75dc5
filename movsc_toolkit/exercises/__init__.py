"""Exercises: self-checks (``verifier``, ``indice``) and the student-version builder."""

from typing import Any

from .check import CheckResult, Hint, exercise, exercises, indice, verifier

__all__ = [
    "CheckResult",
    "Hint",
    "build_all",
    "build_student",
    "exercise",
    "exercises",
    "indice",
    "verifier",
]


def __getattr__(name: str) -> Any:
    # the builder (nbformat, the writing layer) is loaded only when a teacher uses it, so that
    # `from movsc_toolkit.exercises import verifier` stays quick in every student's notebook
    if name in ("build_all", "build_student"):
        from . import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
