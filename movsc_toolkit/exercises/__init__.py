"""Exercises: self-checks (``verifier``, ``indice``) and the student-version builder."""

from .build import build_all, build_student
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
