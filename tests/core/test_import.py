"""Importing the package stays light: no spaCy, subpackages loaded on first use."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

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


# --- lazy public names (movsc_toolkit._lazy): one capability loads only what it uses ---------

PACKAGES = [
    "movsc_toolkit",
    "movsc_toolkit.survey",
    "movsc_toolkit.lexico",
    "movsc_toolkit.finance",
    "movsc_toolkit.kpi",
    "movsc_toolkit.qualitative",
    "movsc_toolkit.exercises",
]
HEAVY = ["scipy.stats", "matplotlib.pyplot", "networkx", "spacy"]
PROBE_HEAVY = f"import sys\nprint([m for m in {HEAVY!r} if m in sys.modules])"


@pytest.mark.parametrize("package", [*PACKAGES[1:], "movsc_toolkit.datasets"])
def test_importing_a_capability_loads_no_heavy_library(package):
    assert run_python(f"import {package}\n{PROBE_HEAVY}") == "[]"


def test_first_survey_table_loads_no_heavy_library():
    out = run_python(
        "import pandas as pd\n"
        "from movsc_toolkit import survey\n"
        "table = survey.freq(pd.DataFrame({'q': ['a', 'b', 'a', None]}), 'q')\n"
        "print(table.loc['a', 'Effectif'])\n" + PROBE_HEAVY
    )
    assert out.splitlines() == ["2", "[]"]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_resolves(package):
    module = importlib.import_module(package)
    exports = getattr(module, "_EXPORTS", {})
    for name in module.__all__:
        value = getattr(module, name)
        assert name in dir(module)
        if name in exports:  # the very object of the submodule that defines it
            defining = importlib.import_module(f"{package}.{exports[name]}")
            assert value is getattr(defining, name), name
    namespace: dict = {}
    exec(f"from {package} import *", namespace)
    assert set(module.__all__) <= set(namespace)


def _type_checking_imports(package: str) -> dict[str, str]:
    """``name -> submodule`` imported under ``if TYPE_CHECKING:`` in the package's __init__."""
    source = Path(importlib.import_module(package).__file__).read_text(encoding="utf-8")
    names: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for imp in node.body:
                if isinstance(imp, ast.ImportFrom) and imp.level == 1:
                    for alias in imp.names:
                        names[alias.name] = imp.module or alias.name
    return names


@pytest.mark.parametrize("package", PACKAGES)
def test_static_imports_match_the_lazy_names(package):
    # type checkers and editors see the TYPE_CHECKING block; it must list the same names, from
    # the same submodules, as the _EXPORTS mapping used at run time
    module = importlib.import_module(package)
    static = _type_checking_imports(package)
    expected = dict(module._EXPORTS)
    expected.update({name: name for name in getattr(module, "_SUBMODULES", [])})
    assert static == expected


def test_function_named_like_its_module_stays_the_function():
    # lexico/ca.py defines lexico.ca, kpi/dashboard.py kpi.dashboard: importing the submodule
    # directly (as other modules do) must not replace the public function by the module
    out = run_python(
        "import movsc_toolkit.kpi.dashboard, movsc_toolkit.survey.mca\n"
        "from movsc_toolkit import kpi, survey\n"
        "from movsc_toolkit.kpi import dashboard\n"
        "print(callable(dashboard), callable(kpi.dashboard), callable(survey.mca))"
    )
    assert out == "True True True"


def test_submodules_stay_reachable_as_attributes():
    # user code written when the packages imported everything: ``finance.cashflow.X``
    out = run_python(
        "from movsc_toolkit import finance\n"
        "print(type(finance.cashflow.DEFAULT_RULES).__name__, 'cashflow' in finance.__all__)"
    )
    assert out == "dict False"


def test_unknown_name_of_a_capability_in_french():
    with pytest.raises(AttributeError, match="n'a pas d'attribut « inexistant »"):
        movsc_toolkit.finance.inexistant  # noqa: B018


# modules allowed to import a heavy library at module level (none: import it in the function)
HEAVY_AT_IMPORT: set[str] = set()


def test_modules_load_heavy_libraries_only_in_the_functions_that_need_them():
    out = run_python(
        "import pkgutil, sys, importlib, movsc_toolkit\n"
        f"skip = {sorted(HEAVY_AT_IMPORT)!r}\n"
        "names = [m.name for m in pkgutil.walk_packages(movsc_toolkit.__path__, 'movsc_toolkit.')]\n"
        "for name in names:\n"
        "    if name not in skip:\n"
        "        importlib.import_module(name)\n"
        "print(len(names))\n" + PROBE_HEAVY
    )
    count, heavy = out.splitlines()
    assert int(count) > 50  # every module of the package was imported
    assert heavy == "[]"
