"""Importing the package stays light: no spaCy, subpackages loaded on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import movsc_toolkit


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    return result.stdout.strip()


def test_import_does_not_load_spacy_nor_the_subpackages():
    out = run_python(
        "import sys, movsc_toolkit\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'spacy', 'thinc', 'pandas', 'statsmodels', 'matplotlib', 'nbformat'}))\n"
        "print(sorted(m for m in sys.modules if m.startswith('movsc_toolkit.')))"
    )
    heavy, ours = out.splitlines()
    assert heavy == "[]"
    assert "movsc_toolkit.lexico" not in ours
    assert "movsc_toolkit.survey" not in ours


def test_first_lesson_imports_do_not_load_spacy():
    out = run_python(
        "import sys\n"
        "from movsc_toolkit import datasets, read_table\n"
        "from movsc_toolkit.exercises import verifier, indice\n"
        "verifier('prise-en-main-nombre-inscrits', 137)\n"
        "print('spacy' in sys.modules)"
    )
    assert out == "False"


def test_subpackages_and_read_table_are_reachable_lazily():
    from movsc_toolkit import read_table
    from movsc_toolkit._io import read_table as original

    assert read_table is original
    assert movsc_toolkit.datasets.__name__ == "movsc_toolkit.datasets"
    assert "read_table" in dir(movsc_toolkit)
    assert "lexico" in dir(movsc_toolkit)


def test_unknown_attribute_in_french():
    with pytest.raises(AttributeError, match="n'a pas d'attribut « inexistant »"):
        movsc_toolkit.inexistant  # noqa: B018


def test_public_api():
    assert set(movsc_toolkit.__all__) >= {"MovscError", "read_table", "__version__"}
    for name in movsc_toolkit.exercises.__all__:
        assert hasattr(movsc_toolkit.exercises, name)
