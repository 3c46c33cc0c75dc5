"""One matplotlib style for the whole toolkit: palette, French labels and number formats.

matplotlib is imported by the functions that draw, not by this module: importing a capability
that plots (``survey``, ``kpi``…) stays quick until the first figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from cycler import cycler

from ._format import format_number

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

__all__ = [
    "DIVERGING",
    "PALETTE",
    "STYLE",
    "FrenchFormatter",
    "euro_formatter",
    "french_axes",
    "gap_bars",
    "get_axes",
    "number_formatter",
    "percent_formatter",
    "style",
]

#: Qualitative palette (colour-blind friendly, Okabe–Ito order).
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
]
#: Diverging palette for Likert scales, from "pas du tout d'accord" to "tout à fait d'accord".
DIVERGING = ["#B2182B", "#EF8A62", "#D9D9D9", "#67A9CF", "#2166AC"]

STYLE = {
    "axes.prop_cycle": cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.alpha": 0.3,
    "axes.titleweight": "bold",
    "axes.titlesize": 12,
    "axes.labelsize": 10,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "axes.formatter.use_locale": False,
    "svg.hashsalt": "movsc",
}


@contextmanager
def style() -> Iterator[None]:
    """Context manager applying the toolkit's style."""
    import matplotlib as mpl

    with mpl.rc_context(STYLE):  # type: ignore[arg-type]
        yield


@cache
def _french_formatter_class() -> type[ScalarFormatter]:
    """Build :class:`FrenchFormatter` (a matplotlib subclass) once matplotlib is needed."""
    from matplotlib.ticker import ScalarFormatter

    class FrenchFormatter(ScalarFormatter):
        """matplotlib's default tick labels, written the French way: ``0,5``, ``1 500``, ``−2``.

        The number of decimals is chosen by :class:`~matplotlib.ticker.ScalarFormatter` from the
        ticks (no offset, no scientific notation); :func:`movsc_toolkit._format.format_number`
        writes them (``axes.formatter.use_locale`` depends on the machine's locale, so it is not
        used).
        """

        def __init__(self) -> None:
            super().__init__(useOffset=False, useMathText=False)
            self.set_scientific(False)

        def __call__(self, x: float, pos: int | None = None) -> str:
            # matplotlib's own label (same decimals for every tick), rewritten the French way
            match = re.search(r"\.(\d+)", super().__call__(x, pos))
            return format_number(x, len(match.group(1)) if match else 0)

    FrenchFormatter.__module__ = __name__
    FrenchFormatter.__qualname__ = "FrenchFormatter"
    return FrenchFormatter


if TYPE_CHECKING:
    FrenchFormatter = _french_formatter_class()


def __getattr__(name: str) -> Any:
    # FrenchFormatter subclasses a matplotlib class: it is built on first use (PEP 562)
    if name == "FrenchFormatter":
        return _french_formatter_class()
    raise AttributeError(f"le module {__name__} n'a pas d'attribut « {name} »")


def french_axes(ax: Axes) -> Axes:
    """Give the numeric axes of ``ax`` French tick labels (dates and categories keep theirs).

    Only axes still using matplotlib's default formatter are changed, and the change stays a
    default: plotting dates or category names afterwards installs their own labels as usual.
    """
    from matplotlib.ticker import ScalarFormatter

    french_formatter = _french_formatter_class()
    for axis in (ax.xaxis, ax.yaxis):
        if axis.isDefault_majfmt and type(axis.get_major_formatter()) is ScalarFormatter:
            axis.set_major_formatter(french_formatter())
            axis.isDefault_majfmt = True
    return ax


def get_axes(ax: Axes | None = None, figsize: tuple[float, float] = (7, 4)) -> tuple[Figure, Axes]:
    """Return ``(figure, axes)``: the given axes and their figure, or new ones in our style.

    Numeric tick labels are written the French way (:func:`french_axes`).
    """
    if ax is not None:
        french_axes(ax)
        return ax.figure, ax  # type: ignore[return-value]
    import matplotlib.pyplot as plt

    with style():
        fig, new_ax = plt.subplots(figsize=figsize)
    for key, value in STYLE.items():
        if key.startswith("axes.spines."):
            new_ax.spines[key.rsplit(".", 1)[1]].set_visible(bool(value))
    new_ax.grid(True, axis="y", alpha=0.3)
    new_ax.set_axisbelow(True)
    french_axes(new_ax)
    return fig, new_ax


def number_formatter(decimals: int = 0) -> FuncFormatter:
    """Tick labels written the French way (``1 234,5``)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: format_number(v, decimals))


def percent_formatter(decimals: int = 0) -> FuncFormatter:
    """Tick labels for values already in percent (``25 %``)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{format_number(v, decimals)} %")


def euro_formatter(decimals: int = 0) -> FuncFormatter:
    """Tick labels in euros (``12 000 €``)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{format_number(v, decimals)} €")


def gap_bars(
    ax: Axes, gaps: Sequence[float], labels: Sequence[str], colours: Sequence[str]
) -> Axes:
    """Horizontal bars of gaps in euros around a zero line, first label at the top.

    Used by the budget follow-ups (réalisé − prévu, atterrissage, budget N+1 − N).
    """
    positions = range(len(labels))
    ax.barh(positions, gaps, color=colours)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.xaxis.set_major_formatter(euro_formatter())
    ax.grid(True, axis="x", alpha=0.3)
    ax.grid(False, axis="y")
    return ax
