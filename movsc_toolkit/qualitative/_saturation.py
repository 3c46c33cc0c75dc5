"""Thematic saturation: new codes per interview, in the order of the fieldwork or averaged over orders.

Reference: Guest, Bunce & Johnson (2006), *Field Methods*, 18(1), 59-82; Guest, Namey & Chen
(2020), *PLoS ONE*, 15(5), e0232076.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError
from .._report import Report, result
from ._codings import Codings
from ._common import tables_html

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Saturation", "saturation"]


@result
class Saturation(Report):
    """Saturation table: new codes brought by each successive interview (Guest et al. 2006).

    Attributes
    ----------
    table : DataFrame
        One row per interview in the order given: ``Entretien``, ``Nouveaux codes``,
        ``Codes cumulés``, ``% des codes``, ``Codes apparus``.
    mean_curve : Series or None
        Mean cumulated number of codes over random orders of the interviews.

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> courbe = quali.saturation(codage.coder("Nora"))
    >>> courbe.to_frame()["Codes cumulés"].iloc[-1]
    np.int64(13)
    """

    table: pd.DataFrame
    mean_curve: pd.Series | None = None

    def to_frame(self) -> pd.DataFrame:
        """The table (a copy)."""
        return self.table.copy()

    @property
    def last_new(self) -> int:
        """Rank of the last interview that brought a new code."""
        new = self.table["Nouveaux codes"].to_numpy()
        return int(np.flatnonzero(new > 0).max() + 1) if new.any() else 0

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Bars: new codes per interview; line: cumulated codes (and the mean over orders)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.5))
        ranks = self.table.index.to_numpy()
        ax.bar(ranks, self.table["Nouveaux codes"], color="#9ecae1", label="Nouveaux codes")
        ax.plot(
            ranks, self.table["Codes cumulés"], marker="o", color="#08519c", label="Codes cumulés"
        )
        if self.mean_curve is not None:
            ax.plot(
                ranks,
                self.mean_curve.to_numpy(),
                linestyle="--",
                color="#636363",
                label="Codes cumulés (moyenne sur des ordres tirés au hasard)",
            )
        ax.set_xlabel("Rang de l'entretien (ordre de codage)")
        ax.set_ylabel("Nombre de codes")
        ax.set_title("Courbe de saturation")
        ax.set_xticks(ranks)
        ax.legend(loc="center right")
        return ax

    def _lines(self) -> list[str]:
        t = self.table
        total = int(t["Codes cumulés"].iloc[-1]) if len(t) else 0
        lines = [
            f"{total} codes au total ; le dernier code nouveau apparaît à l'entretien de rang "
            f"{self.last_new} sur {len(t)}."
        ]
        tail = t["Nouveaux codes"].to_numpy()[-3:]
        if len(t) >= 3 and not tail.any():
            lines.append(
                "Les trois derniers entretiens n'apportent aucun code nouveau : indice de "
                "saturation (à confirmer par la lecture : un code nouveau peut être rare mais "
                "important)."
            )
        else:
            lines.append(
                "Des codes nouveaux apparaissent encore en fin de corpus : la saturation "
                "n'est pas atteinte pour tous les thèmes."
            )
        return lines

    def _html_tables(self) -> str:
        return tables_html(self._tables())

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Saturation", self.table.drop(columns="Codes apparus"))]


def saturation(
    codings: Codings,
    *,
    order: str | Sequence[str] | None = None,
    permutations: int = 0,
    random_state: int = 0,
) -> Saturation:
    """New codes per successive interview, cumulated codes and % of the final codebook.

    Parameters
    ----------
    order
        The order in which the interviews were conducted or coded: a metadata variable (e.g.
        ``"date_entretien"``, sorted), or the list of interview names. Default: corpus order.
    permutations
        Also compute the mean cumulated curve over this many random orders (Guest, Namey &
        Chen 2020), to show how much the curve depends on the order.

    Returns
    -------
    Saturation
        One row per interview: new codes, cumulated codes, % of the final codebook
        (``.to_frame()``, ``.plot()``); ``.last_new`` is the rank of the last new code.

    References
    ----------
    Guest, G., Bunce, A. & Johnson, L. (2006). How many interviews are enough? *Field
    Methods*, 18(1), 59-82. Guest, G., Namey, E. & Chen, M. (2020). A simple method to assess
    and report thematic saturation in qualitative research. *PLoS ONE*, 15(5), e0232076.
    ``tests/qualitative/test_qualitative.py::test_saturation``.

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> courbe = quali.saturation(codage.coder("Nora"))
    >>> courbe.last_new, len(courbe.to_frame())
    (4, 24)
    """
    docs = list(codings.documents)
    if order is None:
        ranked = list(range(len(docs)))
    elif isinstance(order, str):
        meta = codings.corpus.metadata.reset_index(drop=True)
        if order not in meta.columns:
            from .._errors import column_error

            raise column_error(order, meta.columns, what="variable")
        values = meta[order]
        if not (
            pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)
        ):
            from .._parse import to_date

            parsed = to_date(pd.Series(values, dtype=object)).values
            values = parsed if parsed.notna().all() else values
        ranked = list(pd.Series(values).sort_values(kind="stable").index)
    else:
        missing = [d for d in order if d not in docs]
        if missing:
            raise DataError(f"entretien inconnu dans order : « {missing[0]} ».")
        ranked = [docs.index(d) for d in order]
    ex = codings.excerpts
    # the codes of each interview in order of appearance (plain Python: no per-group call)
    first_seen: dict[int, dict[str, None]] = {}
    for t, c in zip(ex["texte"].tolist(), ex["code"].tolist(), strict=True):
        first_seen.setdefault(t, {})[c] = None
    by_text = {t: list(codes) for t, codes in first_seen.items()}
    seen: set[str] = set()
    rows = []
    total = ex["code"].nunique()
    for i in ranked:
        codes = by_text.get(i, [])
        new = [c for c in codes if c not in seen]
        seen.update(new)
        rows.append(
            {
                "Entretien": docs[i],
                "Nouveaux codes": len(new),
                "Codes cumulés": len(seen),
                "% des codes": 100 * len(seen) / max(total, 1),
                "Codes apparus": ", ".join(new),
            }
        )
    table = pd.DataFrame(rows)
    table.index = pd.RangeIndex(1, len(table) + 1, name="Rang")
    mean_curve = None
    if permutations:
        rng = np.random.default_rng(random_state)
        order_codes = [set(by_text.get(i, [])) for i in ranked]
        acc = np.zeros(len(ranked))
        for _ in range(permutations):
            seen_p: set[str] = set()
            for k, j in enumerate(rng.permutation(len(ranked))):
                seen_p |= order_codes[j]
                acc[k] += len(seen_p)
        mean_curve = pd.Series(acc / permutations, index=table.index, name="Moyenne")
    return Saturation(table, mean_curve)
