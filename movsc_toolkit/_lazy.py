"""Lazy public names for the packages (PEP 562), so that importing one capability is quick.

Each package ``__init__.py`` follows the same pattern::

    from typing import TYPE_CHECKING

    from .._lazy import attach

    if TYPE_CHECKING:  # for type checkers and editors; tests/core/test_import.py checks it
        from .budget import Budget, read_budget

    #: public name -> submodule defining it (adding a public name = one line here)
    _EXPORTS = {
        "Budget": "budget",
        "read_budget": "budget",
    }

    __getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)

A name is imported from its submodule the first time it is used (``finance.Budget``,
``from movsc_toolkit.finance import Budget``), then kept in the package. A public function named
like its module (``lexico.ca`` in ``lexico/ca.py``, ``kpi.dashboard``) stays the function even
when that submodule is imported directly by other code.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["attach"]


class _Package(types.ModuleType):
    """A package module whose public functions are not hidden by their own submodule.

    Importing ``movsc_toolkit.lexico.ca`` binds the *module* ``ca`` on the package (the import
    system calls ``setattr``); the package's public name ``ca`` is the *function*, as it was when
    the packages imported everything eagerly.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        exports = self.__dict__.get("__lazy_exports__", {})
        if isinstance(value, types.ModuleType) and exports.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


def attach(
    package: str, exports: Mapping[str, str], submodules: Iterable[str] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """Module ``__getattr__``, ``__dir__`` and ``__all__`` for a package with lazy names.

    Parameters
    ----------
    package
        The package's ``__name__``.
    exports
        Public name -> submodule (relative to the package) that defines it.
    submodules
        Subpackages or submodules that are themselves public (``movsc_toolkit.survey``).

    Returns
    -------
    tuple
        ``__getattr__`` (imports the name on first use), ``__dir__`` and ``__all__`` (the public
        names, sorted).
    """
    module = sys.modules[package]
    module.__dict__["__lazy_exports__"] = exports
    module.__class__ = _Package
    public_modules = frozenset(submodules)
    public = sorted({*exports, *public_modules})

    def __getattr__(name: str) -> Any:
        if name in public_modules:
            value: Any = importlib.import_module(f".{name}", package)
        elif name in exports:
            value = getattr(importlib.import_module(f".{exports[name]}", package), name)
        elif not name.startswith("__") and importlib.util.find_spec(f"{package}.{name}"):
            # a submodule (``finance.cashflow.DEFAULT_RULES``), reachable as it was when the
            # packages imported every submodule eagerly; it stays out of ``__all__``
            value = importlib.import_module(f".{name}", package)
        else:
            raise AttributeError(f"le module {package} n'a pas d'attribut « {name} »")
        module.__dict__[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*module.__dict__, *public})

    return __getattr__, __dir__, public
