# ruff: noqa: F401  (the TYPE_CHECKING imports are the static view of _EXPORTS)
"""movsc-toolkit: surveys, lexicometry, association finance and project steering, in French.

The subpackages (``survey``, ``lexico``, ``qualitative``, ``finance``, ``kpi``, ``datasets``,
``exercises``) and
``read_table`` are imported on first access, so ``import movsc_toolkit`` stays fast (it does not
even load pandas) and never loads spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._errors import MovscError, options
from ._ipython import setup as _setup_ipython
from ._lazy import attach

__version__ = "0.1.0"

#: Subpackages (and the ``plotting`` module), imported on first access.
_SUBMODULES = [
    "datasets",
    "exercises",
    "finance",
    "kpi",
    "lexico",
    "plotting",
    "qualitative",
    "survey",
]

#: public name -> module defining it, imported on first use (``read_table`` needs pandas).
_EXPORTS = {
    "afficher": "_format",
    "read_table": "_io",
}

if TYPE_CHECKING:  # pragma: no cover
    from . import (
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


__getattr__, __dir__, _lazy_names = attach(__name__, _EXPORTS, submodules=_SUBMODULES)
__all__ = ["MovscError", "__version__", "options", *_lazy_names]
