"""Fixtures shared by the unit tests (the root ``conftest.py`` sets the matplotlib backend)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo_root() -> Path:
    """The root of the checkout (holding ``notebooks/``, ``exercises/`` and ``datasets/``)."""
    return ROOT
