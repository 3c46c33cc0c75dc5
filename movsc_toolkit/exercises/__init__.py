"""Exercises: self-checks (``verifier``, ``indice``) and the student-version builder."""

from .check import CheckResult, Hint, exercise, exercises, indice, verifier

__all__ = ["CheckResult", "Hint", "exercise", "exercises", "indice", "verifier"]
