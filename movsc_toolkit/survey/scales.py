"""Likert scales: distribution table with a diverging bar chart.

References: centred stacked bars as R ``ggstats::gglikert()`` (``larmarange/ggstats``) and
``likert::likert.bar.plot`` draw them: disagreement left of 0, agreement right, the neutral
level split in half across 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError, OptionError, check_columns
from .._format import format_number
from .._report import Report, result, titled_html
from ..plotting import DIVERGING, get_axes, percent_formatter
from ._common import check_data, sort_key, weight_values

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = [
    "KNOWN_SCALES",
    "LikertResult",
    "known_scale_order",
    "likert",
]


def _colors(k: int) -> list[str]:
    import matplotlib as mpl

    if k == len(DIVERGING):
        return list(DIVERGING)
    cmap = mpl.colormaps["RdBu"]
    return [mpl.colors.to_hex(cmap(0.1 + 0.8 * i / max(k - 1, 1))) for i in range(k)]


@result
class LikertResult(Report):
    """Result of :func:`likert`.

    Attributes
    ----------
    table
        One row per item: the percentage of each level (over the item's answers), then
        ``Effectif`` (answers) and ``Non-réponse`` (missing answers).
    counts
        The counts (or sums of weights) behind the percentages.
    levels
        The levels, from the most negative to the most positive.

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> res = survey.likert(reponses, ["sat_accueil", "sat_horaires"])
    >>> res.levels[0]
    'Pas du tout satisfait·e'
    """

    table: pd.DataFrame
    counts: pd.DataFrame
    levels: tuple[object, ...]

    def _lines(self) -> list[str]:
        k = len(self.levels)
        low, high = self.levels[: k // 2], self.levels[(k + 1) // 2 :]
        pct = self.table[list(self.levels)]
        agree = pct[list(high)].sum(axis=1)
        disagree = pct[list(low)].sum(axis=1)
        lines = [
            f"Échelle de Likert : {len(self.table)} item(s), {k} niveaux "
            f"(de « {self.levels[0]} » à « {self.levels[-1]} »)."
        ]
        best = agree.idxmax()
        worst = disagree.idxmax()
        lines.append(
            f"Le plus d'avis positifs : « {best} » ({format_number(agree[best], 1)} % de "
            f"« {' / '.join(map(str, high))} »)."
        )
        lines.append(
            f"Le plus d'avis négatifs : « {worst} » ({format_number(disagree[worst], 1)} % de "
            f"« {' / '.join(map(str, low))} »)."
        )
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.table, "Répartition des réponses (%)", 1)

    def to_frame(self) -> pd.DataFrame:
        """The table of percentages.

        Returns
        -------
        pandas.DataFrame
            One row per item: the % of each level, then ``Effectif`` and ``Non-réponse``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> items = ["sat_accueil", "sat_horaires"]
        >>> survey.likert(reponses, items).to_frame().shape
        (2, 7)
        """
        return self.table.copy()

    def plot(self, *, ax: Axes | None = None, labels: bool = True) -> Axes:
        """Diverging stacked bars centred on 0 (negative levels left, positive right).

        Parameters
        ----------
        ax
            The matplotlib ``Axes`` to draw on (a new figure by default).
        labels
            Write the percentages on the bars.

        Returns
        -------
        matplotlib.axes.Axes
            The chart, with French labels.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> items = ["sat_accueil", "sat_horaires"]
        >>> survey.likert(reponses, items).plot().get_title()
        'Échelle de Likert'
        """
        import matplotlib as mpl

        levels = list(self.levels)
        k = len(levels)
        pct = self.table[levels].to_numpy(dtype=float)
        n_items = pct.shape[0]
        _fig, ax = get_axes(ax, figsize=(8, 0.6 * n_items + 1.8))
        colors = _colors(k)
        half = k // 2
        # left edge of each item: minus the negative levels and half the neutral level
        left = -pct[:, :half].sum(axis=1) - (pct[:, half] / 2 if k % 2 else 0)
        y = np.arange(n_items)[::-1]
        for j, level in enumerate(levels):
            widths = pct[:, j]
            ax.barh(y, widths, left=left, color=colors[j], label=str(level), edgecolor="white")
            if labels:
                for yi, x0, wv in zip(y, left, widths, strict=True):
                    if wv >= 5:
                        ax.text(
                            x0 + wv / 2,
                            yi,
                            format_number(wv, 0),
                            ha="center",
                            va="center",
                            fontsize=8,
                            color="white" if j in (0, k - 1) else "black",
                        )
            left = left + widths
        ax.axvline(0, color="#444444", linewidth=0.8)
        ax.set_yticks(y, [str(i) for i in self.table.index])
        limit = 1.05 * max(50.0, float(np.nanmax(np.abs(np.concatenate([left, left - 100])))))
        ax.set_xlim(-limit, limit)
        ax.xaxis.set_major_formatter(
            mpl.ticker.FuncFormatter(lambda v, _pos: percent_formatter()(abs(v), _pos))
        )
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        ax.set_xlabel("% des réponses")
        ax.set_title("Échelle de Likert")
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.02 * n_items), ncol=k, fontsize=8
        )
        return ax


# Known French answer scales, from the most negative to the most positive. Synonyms of the
# same level sit side by side; a scale is recognised when every observed label belongs to the
# same list (after folding case, apostrophes, inclusive and feminine endings).
KNOWN_SCALES: tuple[tuple[str, ...], ...] = (
    (
        "tout à fait en désaccord",
        "pas du tout d'accord",
        "en désaccord",
        "pas d'accord",
        "plutôt en désaccord",
        "plutôt pas d'accord",
        "plutôt pas",
        "ni d'accord ni pas d'accord",
        "ni en accord ni en désaccord",
        "ni d'accord ni en désaccord",
        "neutre",
        "plutôt d'accord",
        "plutôt en accord",
        "d'accord",
        "en accord",
        "tout à fait d'accord",
        "tout à fait en accord",
    ),
    ("jamais", "rarement", "parfois", "de temps en temps", "souvent", "très souvent", "toujours"),
    (
        "pas du tout satisfait",
        "très insatisfait",
        "insatisfait",
        "pas satisfait",
        "plutôt insatisfait",
        "plutôt pas satisfait",
        "peu satisfait",
        "ni satisfait ni insatisfait",
        "neutre",
        "moyennement satisfait",
        "plutôt satisfait",
        "assez satisfait",
        "satisfait",
        "très satisfait",
        "tout à fait satisfait",
    ),
    (
        "pas du tout important",
        "pas important",
        "peu important",
        "plutôt pas important",
        "moyennement important",
        "plutôt important",
        "assez important",
        "important",
        "très important",
        "tout à fait important",
    ),
    (
        "très mauvais",
        "mauvais",
        "médiocre",
        "passable",
        "moyen",
        "assez bon",
        "bon",
        "très bon",
        "excellent",
    ),
    (
        "non certainement pas",
        "certainement pas",
        "non probablement pas",
        "probablement pas",
        "peut-être",
        "oui probablement",
        "probablement",
        "oui certainement",
        "certainement",
    ),
    ("non pas du tout", "non", "plutôt non", "plutôt oui", "oui", "oui tout à fait"),
)

_FEMININE = {"mauvaise": "mauvais", "bonne": "bon", "moyenne": "moyen", "importante": "important"}


def _fold_label(value: object) -> str:
    text = str(value).strip().casefold().replace("’", "'").replace("ʼ", "'")
    text = re.sub(r"\(e\)|·e\b|\.e\b", "", text)  # inclusive writing: satisfait·e, satisfait(e)
    text = re.sub(r"(satisfait)e\b", r"\1", text)
    text = " ".join(_FEMININE.get(word, word) for word in re.split(r"[\s,;]+", text) if word)
    return text.rstrip(" .!")


def known_scale_order(values: Sequence[object]) -> list | None:
    """The observed labels in the order of a known French scale, or ``None``.

    Parameters
    ----------
    values
        The labels observed in the answers.

    Returns
    -------
    list or None
        The labels from the most negative to the most positive, or ``None`` when they do not
        belong to a known scale.

    Examples
    --------
    >>> known_scale_order(["Souvent", "Jamais", "Parfois"])
    ['Jamais', 'Parfois', 'Souvent']
    """
    folded = {value: _fold_label(value) for value in values}
    for scale in KNOWN_SCALES:
        rank = {label: i for i, label in enumerate(scale)}
        if all(f in rank for f in folded.values()):
            return sorted(folded, key=lambda v: rank[folded[v]])
    return None


def _levels_of(data: pd.DataFrame, items: list[str], levels: Sequence[object] | None) -> list:
    """The scale's levels (given, the first item's categories, the sorted numbers, or a known
    French scale), after checking that every answer of every item is one of them.

    Text labels that match no known scale are refused: their alphabetical order is almost
    never the scale's order (« Plutôt d'accord » would come before « Tout à fait d'accord »
    but after « Pas du tout d'accord », and « Neutre » in between).
    """
    if levels is not None:
        levels = list(levels)
    elif isinstance(data[items[0]].dtype, pd.CategoricalDtype):
        levels = list(data[items[0]].cat.categories)
    else:
        values = list(pd.unique(pd.concat([data[i] for i in items], ignore_index=True).dropna()))
        numeric = all(
            isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in values
        )
        if numeric:
            levels = sorted(values, key=sort_key)
        else:
            levels = known_scale_order(values)
            if levels is None:
                shown = ", ".join(f"« {v} »" for v in sorted(values, key=sort_key)[:8])
                raise DataError(
                    f"l'ordre des niveaux de l'échelle n'est pas connu ({shown}) : l'ordre "
                    "alphabétique serait faux, il n'est pas deviné.",
                    column=items[0],
                    hint="donnez l'ordre, du plus négatif au plus positif : "
                    'levels=["Pas du tout d\'accord", …, "Tout à fait d\'accord"], '
                    "ou lisez les réponses avec leur formulaire : "
                    "survey.read_responses(export, form=formulaire).",
                )
    for item in items:
        values = data[item].dropna()
        unknown = values[~values.isin(levels)]
        if len(unknown):
            raise DataError(
                f"la valeur « {unknown.iloc[0]} » de « {item} » n'est pas un des niveaux de "
                "l'échelle.",
                column=item,
                hint=f"niveaux : {', '.join(map(str, levels))} ; donnez levels=[…] ou vérifiez "
                "que les items utilisent la même échelle.",
            )
    return levels


def likert(
    data: pd.DataFrame,
    items: Sequence[str],
    levels: Sequence[object] | None = None,
    *,
    weights: str | Sequence[float] | None = None,
    labels: Mapping[str, str] | None = None,
    sort: str | None = None,
    decimals: int | None = 1,
) -> LikertResult:
    """Distribution of several Likert items on the same scale.

    Parameters
    ----------
    data
        The responses.
    items
        The item columns (same answer scale).
    levels
        The levels from the most negative to the most positive . By
        default the categories of the first item when it is categorical (the questionnaire's
        order, as :func:`~movsc_toolkit.survey.read_responses` gives it with ``form=``), the
        sorted values for numbers (1 … 5), or the order of a known French scale (« Pas du
        tout d'accord » … « Tout à fait d'accord », « Jamais » … « Toujours », « Très
        insatisfait » … « Très satisfait », see ``KNOWN_SCALES``). Other text labels are
        refused with a French error: their alphabetical order would be wrong.
    weights
        Weight column or one weight per row.
    labels
        ``{column: "readable item label"}`` used as row labels. By default the question
        labels kept by :func:`~movsc_toolkit.survey.read_responses` in ``data.attrs["labels"]``
        (the column name when an item has none).
    sort
        ``None`` (items in the given order), ``"desc"`` / ``"décroissant"`` (most positive
        answers first) or ``"asc"`` / ``"croissant"``; positive = the upper half of the levels.
    decimals
        Display precision of the percentages; the values stay exact.

    Returns
    -------
    LikertResult
        ``.table`` (percentages per level, over each item's answers), ``.plot()``.

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> items = ["sat_accueil", "sat_horaires", "sat_locaux", "sat_activites"]
    >>> res = survey.likert(reponses, items)
    >>> len(res.levels), res.to_frame().shape[0]
    (5, 4)

    References
    ----------
    Centred (diverging) stacked bars: Heiberger & Robbins (2014), *Journal of Statistical
    Software* 57(5), as R ``HH::likert``; percentages checked by hand
    (``tests/survey/test_scales.py::test_likert_table_and_plot``).
    """
    data = check_data(data)
    items = [items] if isinstance(items, str) else list(items)
    if not items:
        raise DataError("indiquez au moins un item.", hint='par exemple items=["q1", "q2"].')
    check_columns(data, items)
    levels = _levels_of(data, items, levels)
    if len(levels) < 2:
        raise DataError(
            "l'échelle n'a qu'un seul niveau : rien à représenter.",
            hint="vérifiez les colonnes choisies ou donnez levels=[…].",
        )
    w = weight_values(data, weights)
    w_arr = np.ones(len(data)) if w is None else w
    rows, missing = [], []
    for item in items:
        values = data[item]
        row = [
            float(w_arr[(values == level).to_numpy(dtype=bool, na_value=False)].sum())
            for level in levels
        ]
        rows.append(row)
        missing.append(float(w_arr[values.isna().to_numpy()].sum()))
    if labels is None:
        labels = data.attrs.get("labels") or {}
    names = [str(labels.get(i, i)) for i in items]
    if len(set(names)) < len(names):  # two items with the same label: keep the columns
        names = list(items)
    index = pd.Index(names, name="Item")
    counts = pd.DataFrame(rows, index=index, columns=levels)
    totals = counts.sum(axis=1)
    if (totals == 0).any():
        raise DataError(
            f"l'item « {totals.index[totals == 0][0]} » n'a aucune réponse.",
            hint="retirez-le de la liste des items.",
        )
    if sort is not None:
        key = str(sort).casefold()
        if key not in {"desc", "décroissant", "decroissant", "asc", "croissant"}:
            raise OptionError(
                f"sort={sort!r} n'est pas reconnu.",
                hint='utilisez sort=None, "desc" (plus positifs d\'abord) ou "asc".',
            )
        positive = counts[levels[(len(levels) + 1) // 2 :]].sum(axis=1) / totals
        order = positive.sort_values(ascending=key in {"asc", "croissant"}, kind="stable").index
        counts, totals = counts.loc[order], totals.loc[order]
        missing = [missing[list(index).index(i)] for i in order]
    table = counts.div(totals, axis=0) * 100  # exact; ``decimals`` is the display precision
    table.attrs["decimals"] = decimals
    table["Effectif"] = totals
    table["Non-réponse"] = missing
    if w is None:
        counts = counts.astype(np.int64)
        table["Effectif"] = table["Effectif"].astype(np.int64)
        table["Non-réponse"] = table["Non-réponse"].astype(np.int64)
    return LikertResult(table=table, counts=counts, levels=tuple(levels))
