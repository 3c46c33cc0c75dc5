"""movsc-toolkit: surveys, lexicometry, association finance and project steering, in French.

The subpackages (``survey``, ``lexico``, ``finance``, ``kpi``, ``datasets``, ``exercises``) are
imported on first access, so ``import movsc_toolkit`` stays fast and never loads spaCy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._errors import MovscError
from ._io import read_table

__version__ = "0.1.0"

__all__ = [
    "MovscError",
    "__version__",
    "datasets",
    "exercises",
    "finance",
    "kpi",
    "lexico",
    "read_table",
    "survey",
]

_SUBPACKAGES = {"datasets", "exercises", "finance", "kpi", "lexico", "survey", "plotting"}

if TYPE_CHECKING:  # pragma: no cover
    from . import datasets, exercises, finance, kpi, lexico, plotting, survey  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"le module movsc_toolkit n'a pas d'attribut « {name} »")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBPACKAGES)
