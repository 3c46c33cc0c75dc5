"""Root pytest configuration, loaded for the unit tests and for the notebooks alike.

- Figures drawn in the pytest process use matplotlib's non-interactive ``Agg`` backend. Only
  this process is switched: the notebooks' kernels keep the inline backend, so their figures
  are still produced and compared (through their text form) with the stored ones.
- nbval compares every output of the notebooks except ``stderr``: warnings of third-party
  libraries and progress bars vary from one environment to another and are not part of a
  lesson. Unstable text is normalised by ``tests/sanitize.cfg``.
- The examples in the package's docstrings are run (``--doctest-modules``) and their printed
  output is compared, numbers to the precision written (``NUMBER``).
"""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

#: The templates a student copies are run by ``tests/core/test_cli.py`` in their new folder,
#: not in the package; the docstring examples of the package run with ``--doctest-modules``.
collect_ignore_glob = ["movsc_toolkit/templates/*"]

#: Output keys nbval does not compare (added to its default skip list).
NBVAL_SKIP_COMPARE = ("stderr",)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test or a docstring example drew (they would pile up in memory)."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def pytest_collectstart(collector) -> None:
    path = getattr(collector, "path", None)
    skip = getattr(collector, "skip_compare", None)
    if path is not None and path.suffix == ".ipynb" and skip is not None:
        collector.skip_compare = (*skip, *NBVAL_SKIP_COMPARE)
