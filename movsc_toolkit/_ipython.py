"""IPython integration, set up by ``import movsc_toolkit`` (and nothing outside IPython).

* a :class:`~movsc_toolkit.MovscError` shows as a short French box instead of a traceback
  (:func:`movsc_toolkit._errors.register_ipython_handler`);
* a :class:`~movsc_toolkit.MovscWarning` reads ``Attention : …`` without the toolkit's file
  and line;
* DataFrames, Series and numpy numbers are displayed the French way by
  :mod:`movsc_toolkit._format` (``movsc_toolkit.options.french_display = False`` to turn off).

This module imports neither pandas nor IPython: the display functions are registered by name and
load :mod:`movsc_toolkit._format` on first use.
"""

from __future__ import annotations

import warnings
from typing import Any

from ._errors import MovscWarning, current_shell, options, register_ipython_handler

__all__ = ["setup"]

_NUMPY_SCALARS = ("float64", "float32", "int64", "int32")


def _own_display(obj: Any, method: str) -> bool:
    """True when ``obj`` is a DataFrame subclass with its own display (kept as it is)."""
    import pandas as pd

    for base in (pd.DataFrame, pd.Series):
        if isinstance(obj, base):
            return getattr(type(obj), method, None) is not getattr(base, method, None)
    return False


def _frame_html(obj: Any) -> str | None:
    if options.french_display and not _own_display(obj, "_repr_html_"):
        try:
            from ._format import display_html

            return display_html(obj)
        except Exception:
            pass
    return obj._repr_html_()


def _frame_text(obj: Any, printer: Any, cycle: bool) -> None:
    if options.french_display and not _own_display(obj, "__repr__"):
        try:
            from ._format import display_text

            printer.text(display_text(obj))
            return
        except Exception:
            pass
    printer.text(repr(obj))


def _scalar_text(obj: Any, printer: Any, cycle: bool) -> None:
    if options.french_display:
        try:
            import numpy as np

            from ._format import format_number, format_value, looks_like_years

            if isinstance(obj, np.integer) and looks_like_years(np.array([obj])):
                printer.text(format_number(obj, 0, thousands=""))
            else:
                printer.text(format_value(obj, None))
            return
        except Exception:
            pass
    printer.text(repr(obj))


def _format_warning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int, line: Any = None
) -> str:
    """A MovscWarning reads as one French sentence, without the toolkit's file and line."""
    if issubclass(category, MovscWarning):
        return f"Attention : {message}\n"
    return _ORIGINAL_FORMATWARNING(message, category, filename, lineno, line)


_ORIGINAL_FORMATWARNING = warnings.formatwarning


def setup(shell: Any = None) -> bool:
    """Install the error box and the French displays in ``shell`` (default: the running one)."""
    if shell is None:
        shell = current_shell()
        if shell is None:
            return False
    register_ipython_handler(shell)
    warnings.formatwarning = _format_warning
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", None)
    if not formatters:
        return True
    html = formatters.get("text/html")
    plain = formatters.get("text/plain")
    # pandas >= 2.2 names its classes ``pandas.DataFrame``, older ones ``pandas.core.frame…``
    names = (("pandas", "DataFrame"), ("pandas.core.frame", "DataFrame"))
    for module, name in names:
        if html is not None:
            html.for_type_by_name(module, name, _frame_html)
        if plain is not None:
            plain.for_type_by_name(module, name, _frame_text)
    if plain is not None:
        plain.for_type_by_name("pandas", "Series", _frame_text)
        plain.for_type_by_name("pandas.core.series", "Series", _frame_text)
        for name in _NUMPY_SCALARS:
            plain.for_type_by_name("numpy", name, _scalar_text)
        # IPython registers its own printer for numpy.float64 when numpy is already loaded (it
        # wins over a deferred one): replace it
        ours = {("numpy", name) for name in _NUMPY_SCALARS}
        for cls in list(plain.type_printers):
            if (getattr(cls, "__module__", None), getattr(cls, "__name__", None)) in ours:
                plain.type_printers[cls] = _scalar_text
    return True
