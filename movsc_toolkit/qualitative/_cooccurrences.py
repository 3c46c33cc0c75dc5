"""Co-occurrences of codes: excerpts of two codes that overlap in the same interview.

After QualCoder's co-occurrence report (``src/qualcoder/report_cooccurrence.py``) and MAXQDA's
Code Relations Browser (MAXQDA help: a cell counts the segments where two codes intersect).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._errors import DataError
from .._report import Report, result
from ._codings import Codings
from ._common import tables_html
from ._frequencies import code_order, code_positions

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Cooccurrences", "cooccurrences"]


def _overlap_pairs(ex: pd.DataFrame, same_coder: bool) -> pd.DataFrame:
    """Pairs of excerpts of different codes overlapping in the same text (the columns
    ``code`` and ``codeur`` of ``ex`` may be integer ids: the merge is faster on them)."""
    left = ex[["texte", "code", "codeur", "début", "fin"]].reset_index(names="i")
    pairs = left.merge(left, on="texte", suffixes=("_a", "_b"))
    keep = (
        (pairs["i_a"] < pairs["i_b"])
        & (pairs["code_a"] != pairs["code_b"])
        & (pairs["début_a"] < pairs["fin_b"])
        & (pairs["début_b"] < pairs["fin_a"])
    )
    if same_coder:
        keep &= pairs["codeur_a"] == pairs["codeur_b"]
    return pairs[keep]


@result
class Cooccurrences(Report):
    """Code × code co-occurrence matrix.

    Attributes
    ----------
    matrix : DataFrame
        Symmetric; off-diagonal cell = number of pairs of overlapping excerpts
        (``measure="extraits"``) or of interviews where both codes appear (``measure="entretiens"``);
        diagonal = number of excerpts (or interviews) of the code.
    measure : str

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> cooc = quali.cooccurrences(codage)
    >>> int(cooc.to_frame().loc["Accès aux droits", "Vie associative"])
    25
    """

    matrix: pd.DataFrame
    measure: str

    def to_frame(self) -> pd.DataFrame:
        """The matrix (a copy)."""
        return self.matrix.copy()

    def pairs(self) -> pd.DataFrame:
        """The co-occurring pairs, most frequent first (``Code 1``, ``Code 2``, ``Effectif``)."""
        m = self.matrix
        rows = [
            (m.index[i], m.columns[j], int(m.iat[i, j]))
            for i in range(len(m))
            for j in range(i + 1, len(m))
            if m.iat[i, j] > 0
        ]
        out = pd.DataFrame(rows, columns=["Code 1", "Code 2", "Effectif"])
        out = out.sort_values("Effectif", ascending=False, kind="stable").reset_index(drop=True)
        out.index += 1
        return out

    def graph(self, min_count: int = 1) -> Any:
        """A networkx graph: codes as nodes (``weight`` = diagonal), co-occurrences as edges."""
        import networkx as nx

        g = nx.Graph()
        m = self.matrix
        for code in m.index:
            g.add_node(code, weight=int(m.at[code, code]))
        for _, (a, b, n) in self.pairs().iterrows():
            if n >= min_count:
                g.add_edge(a, b, weight=int(n))
        return g

    def plot(self, *, ax: Axes | None = None, min_count: int = 1) -> Axes:
        """Draw the co-occurrence graph (edge width ∝ co-occurrences); returns the Axes."""
        import matplotlib.pyplot as plt
        import networkx as nx

        from .. import plotting

        g = self.graph(min_count)
        g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 6))
        if not g.number_of_nodes():
            ax.set_axis_off()
            ax.set_title("Aucune co-occurrence")
            return ax
        pos = nx.kamada_kawai_layout(g)
        sizes = np.array([g.nodes[n]["weight"] for n in g.nodes], dtype=float)
        widths = np.array([g.edges[e]["weight"] for e in g.edges], dtype=float)
        color = plotting.PALETTE[0] if hasattr(plotting, "PALETTE") else "#1f77b4"
        nx.draw_networkx_edges(g, pos, ax=ax, width=1 + 4 * widths / widths.max(), alpha=0.5)
        nx.draw_networkx_nodes(
            g, pos, ax=ax, node_size=200 + 1200 * sizes / max(sizes.max(), 1), node_color=color
        )
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=9)
        ax.set_title(
            "Co-occurrences des codes (extraits qui se chevauchent)"
            if self.measure == "extraits"
            else "Co-occurrences des codes (mêmes entretiens)"
        )
        ax.set_axis_off()
        return ax

    def _lines(self) -> list[str]:
        what = (
            "paires d'extraits qui se chevauchent dans un même entretien"
            if self.measure == "extraits"
            else "entretiens où les deux codes apparaissent"
        )
        lines = [f"Co-occurrences des codes : nombre de {what} (diagonale : total du code)."]
        top = self.pairs().head(3)
        for _, (a, b, n) in top.iterrows():
            lines.append(f"« {a} » et « {b} » : {n}.")
        return lines

    def _html_tables(self) -> str:
        return tables_html(self._tables())

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Matrice", self.matrix)]


def cooccurrences(
    codings: Codings,
    *,
    measure: Literal["extraits", "entretiens"] = "extraits",
    same_coder: bool = True,
) -> Cooccurrences:
    """Code × code co-occurrences (QualCoder's co-occurrence report, MAXQDA's code relations).

    Parameters
    ----------
    measure
        ``"extraits"`` (default): two codes co-occur when an excerpt of one overlaps (shares at
        least one character with) an excerpt of the other in the same interview; a cell counts
        such pairs of excerpts. ``"entretiens"``: a cell counts the interviews where both codes
        appear.
    same_coder
        With ``measure="extraits"``, count only pairs coded by the same coder (default), so that two
        coders' codings of the same passage are not taken for a co-occurrence.

    Returns
    -------
    Cooccurrences
        The code × code matrix (``.to_frame()``), its pairs (``.pairs()``) and graph
        (``.plot()``).

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> quali.cooccurrences(codage).pairs().head(2)
                        Code 1           Code 2  Effectif
    1         Accès aux droits  Vie associative        25
    2  Familles et parentalité     Partenariats        23
    """
    order = code_order(codings, used_only=True)
    ex = codings.excerpts
    n = len(order)
    mat = np.zeros((n, n), dtype=np.int64)
    measure = {"extrait": "extraits", "entretien": "entretiens"}.get(measure, measure)  # type: ignore[assignment]
    # each excerpt's code as its position in ``order`` (-1: no code): the texts are hashed
    # once, then everything is counted on integers
    where = code_positions(ex["code"], order)
    if measure == "extraits":
        coder_ids = pd.factorize(ex["codeur"])[0]
        numbered = ex[["texte", "début", "fin"]].assign(code=where, codeur=coder_ids)
        pairs = _overlap_pairs(numbered, same_coder)
        both = (pairs["code_a"] >= 0) & (pairs["code_b"] >= 0)
        a = pairs["code_a"].to_numpy()[both]
        b = pairs["code_b"].to_numpy()[both]
        np.add.at(mat, (a, b), 1)
        np.add.at(mat, (b, a), 1)
        diag = np.bincount(where[where >= 0], minlength=n).astype(np.int64)
    elif measure == "entretiens":
        rows = pd.factorize(ex["texte"])[0]
        known = where >= 0
        presence = np.zeros((rows.max() + 1 if len(rows) else 0, n), dtype=np.int64)
        presence[rows[known], where[known]] = 1
        mat = presence.T @ presence
        diag = np.diag(mat).copy()
    else:
        raise DataError(
            f"measure=« {measure} » n'est pas reconnu.",
            hint="choisissez « extraits » ou « entretiens ».",
        )
    np.fill_diagonal(mat, diag)
    frame = pd.DataFrame(mat, index=pd.Index(order, name="Code"), columns=order)
    return Cooccurrences(frame, measure)
