"""movsc-toolkit: surveys, lexicometry, association finance and project steering, in French.

The subpackages (``survey``, ``lexico``, ``qualitative``, ``finance``, ``kpi``, ``datasets``,
``exercises``) and
``read_table`` are imported on first access, so ``import movsc_toolkit`` stays fast (it does not
even load pandas) and never loads spaCy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._errors import MovscError, options
from ._ipython import setup as _setup_ipython

__version__ = "0.1.0"

__all__ = [
    "MovscError",
    "__version__",
    "afficher",
    "datasets",
    "exercises",
    "finance",
    "kpi",
    "lexico",
    "options",
    "qualitative",
    "read_table",
    "survey",
]

_SUBPACKAGES = {
    "datasets",
    "exercises",
    "finance",
    "kpi",
    "lexico",
    "qualitative",
    "survey",
    "plotting",
}

#: Functions re-exported at the top level, imported on first use (``read_table`` needs pandas).
_LAZY_FUNCTIONS = {"read_table": "._io", "afficher": "._format"}

if TYPE_CHECKING:  # pragma: no cover
    from . import (  # noqa: F401
        datasets,
        exercises,
        finance,
        kpi,
        lexico,
        plotting,
        qualitative,
        survey,
    )
    from ._format import afficher
    from ._io import read_table


# In IPython (JupyterLab, the terminal) a MovscError shows as a short French box, without the
# traceback (``%xmode Verbose``, ``options.traceback = True`` or MOVSC_TRACEBACK=1 bring it back),
# and tables are displayed the French way (``options.french_display = False`` to turn off).
_setup_ipython()


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    if name in _LAZY_FUNCTIONS:
        value = getattr(importlib.import_module(_LAZY_FUNCTIONS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"le module movsc_toolkit n'a pas d'attribut « {name} »")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBPACKAGES | set(_LAZY_FUNCTIONS))
