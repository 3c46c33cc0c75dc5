"""Maps of a multiple correspondence analysis: the categories, the respondents.

A private module with public names, used by :meth:`movsc_toolkit.survey.MCAResult.plot` and
:meth:`~movsc_toolkit.survey.MCAResult.plot_individuals`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .._errors import DataError
from .._format import format_number
from ..plotting import PALETTE, get_axes, number_formatter
from ._common import NON_REPONSE, column_of, encode

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .mca_result import MCAResult

__all__ = ["plot_categories", "plot_respondents", "spread_labels"]


def _axis_names(result: MCAResult, axes: tuple[int, int]) -> tuple[str, str]:
    """``("Axe 1", "Axe 2")``, or a French error when an axis was not computed."""
    a1, a2 = (f"Axe {a}" for a in axes)
    for name in (a1, a2):
        if name not in result.row_coordinates.columns:
            raise DataError(
                f"l'{name.lower()} n'a pas été calculé ({result.n_components} axes retenus).",
                hint="augmentez n_components dans mca(...).",
            )
    return a1, a2


def _frame_axes(
    ax: Axes, result: MCAResult, a1: str, a2: str, title: str, zorder: int | None = None
) -> None:
    """Axes through the origin, French axis labels with their share of inertia, title."""
    ax.axhline(0, color="#888888", linewidth=0.8, zorder=zorder)
    ax.axvline(0, color="#888888", linewidth=0.8, zorder=zorder)
    pct = result.eigenvalues["% d'inertie"]
    ax.set_xlabel(f"{a1} ({format_number(pct[a1], 1)} %)")
    ax.set_ylabel(f"{a2} ({format_number(pct[a2], 1)} %)")
    ax.xaxis.set_major_formatter(number_formatter(1))
    ax.yaxis.set_major_formatter(number_formatter(1))
    ax.set_title(title)


def plot_categories(
    result: MCAResult,
    axes: tuple[int, int] = (1, 2),
    ax: Axes | None = None,
    *,
    supplementary: bool = True,
    respondents: bool = False,
    min_contribution: float = 0.0,
) -> Axes:
    """Map of the categories on two axes (one colour per variable).

    Supplementary categories are drawn in grey italics. ``min_contribution`` hides active
    categories contributing less (in %) to both axes; ``respondents=True`` adds the
    respondents as small grey dots.
    """
    a1, a2 = _axis_names(result, axes)
    _fig, ax = get_axes(ax, figsize=(8, 6))
    if respondents:
        ax.scatter(
            result.row_coordinates[a1], result.row_coordinates[a2], s=4, color="#BBBBBB", zorder=1
        )
    texts = []
    modalities = [m for _, m in result.column_coordinates.index]
    duplicated = {m for m in modalities if modalities.count(m) > 1}
    for i, variable in enumerate(result.columns):
        coords = result.column_coordinates.xs(variable, level=0)
        contrib = result.column_contributions.xs(variable, level=0)
        shown = (contrib[a1] >= min_contribution) | (contrib[a2] >= min_contribution)
        coords = coords[shown]
        color = PALETTE[i % len(PALETTE)]
        legend = result.variable_labels.get(variable, variable)
        ax.scatter(coords[a1], coords[a2], color=color, label=legend, zorder=3)
        for mod, row in coords.iterrows():
            label = f"{variable} : {mod}" if mod in duplicated else str(mod)
            text = ax.annotate(
                label,
                (row[a1], row[a2]),
                xytext=(4, 4),
                textcoords="offset points",
                color=color,
                fontsize=9,
            )
            texts.append(text)
    if supplementary and result.sup_column_coordinates is not None:
        sup = result.sup_column_coordinates
        ax.scatter(sup[a1], sup[a2], color="#666666", marker="^", zorder=3, label="supplémentaires")
        for (variable, mod), row in sup.iterrows():
            text = ax.annotate(
                f"{variable} : {mod}",
                (row[a1], row[a2]),
                xytext=(4, -10),
                textcoords="offset points",
                color="#444444",
                fontsize=9,
                fontstyle="italic",
            )
            texts.append(text)
    _frame_axes(ax, result, a1, a2, "ACM : carte des modalités", zorder=2)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    spread_labels(ax, texts)
    return ax


def plot_respondents(
    result: MCAResult,
    data: pd.DataFrame | None = None,
    color_by: str | None = None,
    axes: tuple[int, int] = (1, 2),
    ax: Axes | None = None,
) -> Axes:
    """Map of the respondents on two axes, optionally coloured by a variable of ``data``.

    ``data`` is the table given to :func:`mca` (respondents are matched by index);
    ``color_by`` one of its columns (for instance a supplementary variable).
    """
    a1, a2 = _axis_names(result, axes)
    _fig, ax = get_axes(ax, figsize=(8, 6))
    points = result.row_coordinates
    if color_by is None:
        ax.scatter(points[a1], points[a2], s=10, color=PALETTE[0], alpha=0.6)
    else:
        if data is None:
            raise DataError(
                "pour colorer les répondants, donnez aussi le tableau de données.",
                hint=f'res.plot_individuals(donnees, color_by="{color_by}")',
            )
        values = column_of(data, color_by).reindex(points.index)
        codes, cats = encode(values)
        for k, category in enumerate(cats):
            mask = codes == k
            if mask.any():
                ax.scatter(
                    points[a1][mask],
                    points[a2][mask],
                    s=10,
                    alpha=0.6,
                    color=PALETTE[k % len(PALETTE)],
                    label=str(category),
                )
        if (codes < 0).any():
            ax.scatter(
                points[a1][codes < 0],
                points[a2][codes < 0],
                s=10,
                alpha=0.6,
                color="#AAAAAA",
                label=NON_REPONSE,
            )
        ax.legend(title=color_by, fontsize=8, loc="best")
    _frame_axes(ax, result, a1, a2, "ACM : nuage des répondants")
    return ax


def spread_labels(ax: Axes, texts: list, tries: int = 12) -> None:
    """Place the labels of a map so that they do not overlap (deterministic).

    Labels are placed one after the other, each at the first free place among: above right of
    its point (where it was drawn), below right, above left, below left, then farther up or down
    by steps of its height, with a thin leader line to its point. A label that finds no free
    place stays where it was drawn. The points never move.
    """
    if len(texts) < 2:
        return
    fig = ax.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    to_points = 72 / fig.dpi
    placed: list[Any] = []
    for text in texts:
        x, y = text.xyann
        height = (text.get_window_extent(renderer).height + 1) * to_points
        near = [(x, y, "left"), (x, y - height - 2, "left"), (-x, y, "right")]
        near.append((-x, y - height - 2, "right"))
        far = [(x, y + height * k * sign, "left") for k in range(1, tries + 1) for sign in (1, -1)]
        chosen = 0
        for n, (dx, dy, align) in enumerate([*near, *far]):
            text.set_horizontalalignment(align)
            text.xyann = (dx, dy)
            box = text.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                chosen = n
                break
        else:
            text.set_horizontalalignment("left")
            text.xyann = (x, y)
            box = text.get_window_extent(renderer)
        placed.append(box)
        if chosen >= len(near):  # far from its point: a leader line shows which point it names
            end = ax.transData.inverted().transform((box.x0, (box.y0 + box.y1) / 2))
            ax.plot(
                [text.xy[0], end[0]],
                [text.xy[1], end[1]],
                color=text.get_color(),
                linewidth=0.5,
                alpha=0.6,
                scalex=False,
                scaley=False,
                zorder=2,
            )
