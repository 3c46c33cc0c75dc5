"""Reinert descending hierarchical classification (CHD), as IRaMuTeQ runs it.

The algorithm follows IRaMuTeQ 0.8's ``Rscripts/CHD.R`` / ``Rscripts/chdtxt.R`` (Ratinaud) step
by step, re-implemented from a description of their behaviour (no GPL code copied):

1. entry pruning: all-zero columns dropped, all-zero rows get class 0;
2. for each of the ``n_splits`` bipartitions of the current (largest) class:

   * first correspondence-analysis axis of the binary table, row scores
     ``x_i = σ₂ · u₂ᵢ · √(N / r_i)``;
   * best cut along the sorted scores, first maximum of the 2 × p χ², assignment by score
     threshold, computed with an incremental χ² in O(nnz);
   * sequential first-improvement reallocation passes, each tentative move costing
     O(nnz of the row) thanks to the incremental χ²;
   * word elimination for the two children, choice of the next class (largest, ties
     in character order) and of its table;

3. terminal classes by IRaMuTeQ's ``find.terminales`` / ``make.classes`` with the minimum class
   size ``mincl``, class profiles (``chdfunct.R`` ``new.build.prof``) and the double
   classification on RST units (``chdtxt.R`` ``Rchdtxt``).

Determinism: the CA axis comes from an exact dense eigen-decomposition for small tables and
from a Lanczos eigen-solver started from a fixed vector for large ones; its sign is fixed so
that the row with the largest absolute score is positive. IRaMuTeQ's own labels may therefore
be swapped (2i ↔ 2i+1) with respect to ours on the same data: compare partitions, not labels.

Agreement: ``tests/lexico/test_reinert.py`` checks the partitions of all 9 bipartitions against
IRaMuTeQ's own ``CHD.R`` run in R (golden files in ``tests/data``); on a 7,000 × 5,000
synthetic table the partitions were identical at every level (R with irlba: 167 s; here:
3 s). ``find.terminales`` and the crossing of the double classification were compared with
the R functions on several hundred cases, with identical results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._errors import DataError
from .._format import format_number, format_percent
from .._report import Report, result, titled_html
from ._chd import (
    descendants,
    find_terminals,
    make_classes,
    related_labels,
    rst_units,
    run_chd,
    signed_2x2,
)
from ._chd_tables import ProfileKind, all_profiles, hierarchy_frame, prepare, sizes_table

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["ReinertResult", "reinert", "reinert_double"]

# ---------------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------------


@result
class ReinertResult(Report):
    """Result of a Reinert classification (simple or double).

    Attributes
    ----------
    hierarchy
        One row per segment (input order), one column per bipartition: the segment's class
        label after that bipartition (labels 2i / 2i+1 created by bipartition i; 0 = segment
        without active form or pruned). For a double classification: the first CHD.
    classes
        Final class of each segment (1 … K; 0 = unclassified).
    sizes
        Effectif and % of segments of each final class (and of the unclassified ones).
    profiles
        Signed χ² of every form/modality for every class, keyed by ``"actives"``,
        ``"supplementaires"`` and ``"variables"`` (long tables; see :meth:`profile`).
    splits
        One row per bipartition: class split, sizes, χ² of the cut and after reallocation.
    terminals
        Hierarchy label of each final class (class k ↔ ``terminals[k-1]``).
    min_class_size
        Minimum class size used (``mincl``).
    mothers, children
        The tree of the bipartitions (label → mother; label → its two children).
    method
        ``"simple"`` or ``"double"``.
    hierarchy2
        Double classification only: hierarchy of the second CHD.
    pairs
        Double classification only: the crossed classes kept (CHD 1 label, CHD 2 label,
        effectif, χ²).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> i, j = np.indices((60, 8))
    >>> usual = (i < 30) == (j < 4)  # segments 0–29 speak of the first four words
    >>> data = pd.DataFrame(
    ...     (usual & ((i + j) % 3 != 0)) | (~usual & ((5 * i + j) % 11 == 0)),
    ...     columns=["loyer", "aide", "caf", "dossier", "jeu", "enfant", "sortie", "atelier"],
    ... ).astype(int)
    >>> from movsc_toolkit.lexico import reinert
    >>> classes = reinert(data, n_splits=1, min_class_size=5)
    >>> classes.n_classes, classes.sizes["Effectif"].tolist()
    (2, [30, 30, 0, 60])
    >>> classes.typical_segments(2, n=2)
       Segment  Score (somme des χ²)
    1       57                 66.88
    2       54                 66.88
    """

    hierarchy: pd.DataFrame
    classes: pd.Series
    sizes: pd.DataFrame
    profiles: dict[str, pd.DataFrame]
    splits: pd.DataFrame
    terminals: tuple[int, ...]
    min_class_size: int
    mothers: dict[int, int]
    children: dict[int, tuple[int, int]]
    method: str = "simple"
    hierarchy2: pd.DataFrame | None = None
    pairs: pd.DataFrame | None = None
    segments: pd.DataFrame | None = field(default=None, repr=False)
    _active: sp.csr_matrix | None = field(default=None, repr=False)
    _terms: pd.Index | None = field(default=None, repr=False)

    # -- accessors --------------------------------------------------------------------------

    @property
    def n_classes(self) -> int:
        """Number of final classes."""
        return len(self.terminals)

    def profile(
        self,
        cluster: int,
        kind: ProfileKind = "actives",
        *,
        anti: bool = False,
        n: int | None = None,
    ) -> pd.DataFrame:
        """Profile (χ² > 2) or anti-profile (χ² < −2) of class ``cluster``, IRaMuTeQ-style.

        ``kind`` is ``"actives"``, ``"supplementaires"`` or ``"variables"``. The ``p`` column
        keeps the exact p-value; it is displayed ``< 0,001`` below one per thousand (do not
        ``round`` it: a rounded p of 0 reads as impossible). Hundreds of forms are tested at
        once: a χ² above 2 flags a form, it does not prove it.
        """
        if kind not in self.profiles:
            raise DataError(
                f"type de profil inconnu : « {kind} ».",
                hint="choisissez parmi " + ", ".join(f"« {k} »" for k in self.profiles) + ".",
            )
        self._check_class(cluster)
        table = self.profiles[kind]
        table = table[table["Classe"] == cluster].drop(columns="Classe")
        if anti:
            table = table[table["χ²"] < -2].sort_values("χ²", kind="stable")
        else:
            table = table[table["χ²"] > 2]
        table = table.reset_index(drop=True)
        table.index = table.index + 1
        return table if n is None else table.head(n)

    def typical_segments(
        self, cluster: int, n: int = 10, *, relative: bool = False
    ) -> pd.DataFrame:
        """The ``n`` most typical segments of a class, as IRaMuTeQ ranks them.

        Score = sum of the χ² of the class profile's active forms (χ² > 2) present in the
        segment, rounded to 2 decimals (``relative=True``: divided by the number of profile
        forms in the segment, IRaMuTeQ's "relative" option); highest first, ties broken by the
        later segment first (IRaMuTeQ sorts (score, segment) pairs in decreasing order).
        """
        self._check_class(cluster)
        if self._active is None:
            raise DataError("le résultat ne contient pas la matrice des segments.")
        prof = self.profile(cluster, "actives")
        weights = pd.Series(0.0, index=self._terms)
        weights.loc[prof["Forme"].to_numpy()] = prof["χ²"].to_numpy()
        members = np.flatnonzero(self.classes.to_numpy() == cluster)
        rows = self._active[members]
        scores = rows @ weights.to_numpy()
        if relative:
            n_forms = rows @ (weights.to_numpy() != 0).astype(float)
            scores = np.divide(scores, n_forms, out=np.zeros_like(scores), where=n_forms > 0)
        scores = np.round(scores, 2)
        order = np.lexsort((-members, -scores))[:n]
        label = "Score relatif" if relative else "Score (somme des χ²)"
        out = pd.DataFrame({"Segment": self.classes.index[members[order]], label: scores[order]})
        if self.segments is not None:
            extra = self.segments.iloc[members[order]].reset_index(drop=True)
            extra = extra.drop(columns=[c for c in ("segment",) if c in extra.columns])
            out = pd.concat([out, extra], axis=1)
        out.index = np.arange(1, len(out) + 1)
        return out

    def to_frame(self) -> pd.DataFrame:
        """Hierarchy and final class of each segment in one table."""
        out = self.hierarchy.copy()
        out.columns = [f"Bipartition {c}" for c in out.columns]
        out["Classe"] = self.classes
        return out

    def _check_class(self, cluster: int) -> None:
        if cluster not in range(1, self.n_classes + 1):
            raise DataError(
                f"la classe {cluster} n'existe pas.",
                hint=f"les classes vont de 1 à {self.n_classes}."
                if self.n_classes
                else "aucune classe n'a atteint la taille minimale : baissez min_class_size.",
            )

    # -- displays ---------------------------------------------------------------------------

    def _lines(self) -> list[str]:
        n_seg = len(self.classes)
        classified = int((self.classes > 0).sum())
        kind = "double (sur unités de contexte)" if self.method == "double" else "simple"
        lines = [
            f"Classification descendante hiérarchique (méthode Reinert, {kind}) : "
            f"{len(self.splits)} bipartitions sur {format_number(n_seg, 0)} segments.",
        ]
        if self.n_classes == 0:
            lines.append(
                f"Aucune classe n'atteint la taille minimale de "
                f"{format_number(self.min_class_size, 0)} segments : baissez min_class_size "
                "ou demandez plus de bipartitions."
            )
            return lines
        lines.append(
            f"{self.n_classes} classes terminales (taille minimale "
            f"{format_number(self.min_class_size, 0)} segments) regroupent "
            f"{format_number(classified, 0)} segments, soit "
            f"{format_percent(100 * classified / n_seg)} du corpus ; "
            f"{format_number(n_seg - classified, 0)} segments restent non classés."
        )
        for k in range(1, self.n_classes + 1):
            size = int((self.classes == k).sum())
            words = ", ".join(self.profile(k, "actives", n=8)["Forme"])
            lines.append(
                f"  Classe {k} : {format_number(size, 0)} segments "
                f"({format_percent(100 * size / classified)} des segments classés) — {words}"
            )
        return lines

    def _html_tables(self) -> str:
        parts = [titled_html(self.sizes, "Taille des classes", decimals=1)]
        for k in range(1, self.n_classes + 1):
            top = self.profile(k, "actives", n=10)[["Forme", "Effectif classe", "%", "χ²"]]
            parts.append(titled_html(top, f"Classe {k} : formes typiques"))
        return "".join(parts)

    # -- plots ------------------------------------------------------------------------------

    def plot_dendrogram(self, *, ax: Axes | None = None, n_words: int = 5) -> Axes:
        """Dendrogram of the final classes (pruned tree), with sizes and typical words.

        Returns the matplotlib Axes.
        """
        from ..plotting import PALETTE, get_axes

        _fig, ax = get_axes(ax, figsize=(8, 1.1 + 0.9 * max(self.n_classes, 1)))
        if self.n_classes == 0:
            ax.set_axis_off()
            ax.text(0.5, 0.5, "Aucune classe terminale", ha="center", va="center")
            return ax
        term = list(self.terminals)
        classified = int((self.classes > 0).sum())
        tree_children = self.children
        depth_of = {lab: lab // 2 for lab in self.mothers}  # bipartition that created it
        depth_of[1] = 0
        n_splits = len(self.splits)

        def useful(node: int) -> bool:
            return node in term or any(d in term for d in descendants(node, tree_children))

        counter = [0]

        def place(node: int) -> tuple[float, float]:
            if node in term:
                y = float(counter[0])
                counter[0] += 1
                k = term.index(node) + 1
                size = int((self.classes == k).sum())
                colour = PALETTE[(k - 1) % len(PALETTE)]
                ax.plot([n_splits + 1, n_splits + 1.4], [y, y], color=colour, lw=6)
                words = ", ".join(self.profile(k, "actives", n=n_words)["Forme"])
                ax.text(
                    n_splits + 1.55,
                    y,
                    f"Classe {k} — {format_percent(100 * size / classified)} : {words}",
                    va="center",
                    fontsize=9,
                    color="0.15",
                    clip_on=False,
                )
                return n_splits + 1.0, y
            kids = [k for k in tree_children.get(node, ()) if useful(k)]
            if len(kids) == 1:
                return place(kids[0])
            (x1, y1), (x2, y2) = place(kids[0]), place(kids[1])
            x0 = float(depth_of[node])
            ax.plot([x0, x0], [y1, y2], color="0.3", lw=1.2)
            ax.plot([x0, x1], [y1, y1], color="0.3", lw=1.2)
            ax.plot([x0, x2], [y2, y2], color="0.3", lw=1.2)
            return x0, (y1 + y2) / 2

        x_root, y_root = place(1)
        ax.plot([x_root - 0.3, x_root], [y_root, y_root], color="0.3", lw=1.2)
        ax.set_ylim(counter[0] - 0.5, -0.5)
        ax.set_xlim(-0.5, n_splits + 1.5)  # the class labels are written to the right
        ax.set_yticks([])
        ax.set_xticks([])
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_title(f"Dendrogramme de la classification ({self.n_classes} classes)")
        return ax

    def plot(self, *, ax: Axes | None = None, n_words: int = 5) -> Axes:
        """The dendrogram of the classes (:meth:`plot_dendrogram`); returns the Axes."""
        return self.plot_dendrogram(ax=ax, n_words=n_words)


# ---------------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------------


def reinert(
    data: Any,
    n_splits: int = 9,
    min_class_size: int | None = None,
    reallocation: bool = True,
    max_active: int = 20000,
    *,
    supplementary: Any = None,
    metadata: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
) -> ReinertResult:
    """Reinert descending hierarchical classification of text segments, as IRaMuTeQ does it.

    Parameters
    ----------
    data
        A ``Corpus`` (its ``segment_matrix(kind="active")`` and ``kind="supplementary"`` are
        used, and the starred variables of the segments table become the metadata), or a
        segments × active forms table: scipy sparse matrix, numpy array or DataFrame (index =
        segment ids, columns = lemmas). Any non-zero count is read as presence (1). Rows must
        be in corpus order.
    n_splits
        Number of bipartitions (IRaMuTeQ's ``nbcl_p1 − 1``, 9 by default).
    min_class_size
        Minimum size of a terminal class (``mincl``). ``None`` = IRaMuTeQ's automatic value,
        ``round(segments / (n_splits + 1))`` with half-to-even rounding, over all segments.
    reallocation
        Run the reallocation passes after each cut (``False`` = IRaMuTeQ's "mode patate").
    max_active
        Maximum number of active forms, the most frequent (columns tied at the cut frequency
        are all dropped).
    supplementary
        Optional segments × supplementary forms table (same row order), or a tuple
        ``(matrix, names)``, profiled separately.
    metadata
        Optional DataFrame, one row per segment: each column's modalities are profiled as
        ``*variable_modalite``.
    segments
        Optional DataFrame, one row per segment (``segment``, ``contenu`` …), shown with the
        typical segments.

    Returns
    -------
    ReinertResult

    Notes
    -----
    Follows IRaMuTeQ 0.8's ``CHD.R``, ``chdtxt.R`` and ``chdfunct.R`` (see References). The χ²
    comparisons treat values closer than 1e-12 (relative) as equal, i.e. as exact arithmetic
    would; the CA axis sign is fixed (largest |score| positive), so labels 2i / 2i+1 may be
    swapped with respect to an IRaMuTeQ run.

    References
    ----------
    Reinert, M. (1983). Une méthode de classification descendante hiérarchique : application
    à l'analyse lexicale par contexte. *Les Cahiers de l'analyse des données*, 8(2), 187–198 ;
    Reinert, M. (1990). Alceste, une méthodologie d'analyse des données textuelles.
    *Bulletin de méthodologie sociologique*, 26, 24–54 ; IRaMuTeQ 0.8, ``CHD.R`` and
    ``chdtxt.R`` (Ratinaud). ``tests/lexico/test_reinert.py`` checks the partitions of all
    9 bipartitions against IRaMuTeQ's ``CHD.R`` run in R (golden files in ``tests/data``).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> i, j = np.indices((60, 8))
    >>> usual = (i < 30) == (j < 4)  # segments 0–29 speak of the first four words
    >>> data = pd.DataFrame(
    ...     (usual & ((i + j) % 3 != 0)) | (~usual & ((5 * i + j) % 11 == 0)),
    ...     columns=["loyer", "aide", "caf", "dossier", "jeu", "enfant", "sortie", "atelier"],
    ... ).astype(int)
    >>> classes = reinert(data, n_splits=1, min_class_size=5)
    >>> print(classes)
    Classification descendante hiérarchique (méthode Reinert, simple) : 1 bipartitions sur 60 segments.
    2 classes terminales (taille minimale 5 segments) regroupent 60 segments, soit 100,0 % du corpus ; 0 segments restent non classés.
      Classe 1 : 30 segments (50,0 % des segments classés) — dossier, loyer, aide, caf
      Classe 2 : 30 segments (50,0 % des segments classés) — jeu, enfant, sortie, atelier
    >>> classes.profile(1)[["Forme", "Effectif classe", "χ²"]].round(2)
         Forme  Effectif classe     χ²
    1  dossier               20  23.25
    2    loyer               20  20.38
    3     aide               20  20.38
    4      caf               20  20.38
    """
    prep = prepare(data, n_splits, min_class_size, max_active, supplementary, metadata, segments)
    matrix = prep["matrix"]
    chd = run_chd(matrix, n_splits, reallocation)
    n_rows = matrix.shape[0]
    mincl = round(n_rows / (n_splits + 1)) if min_class_size is None else int(min_class_size)
    term = find_terminals(chd.membership, chd.mothers, chd.children, mincl)
    classes = make_classes(chd.membership[:, -1], term, chd.children)
    return ReinertResult(
        hierarchy=hierarchy_frame(chd.membership, prep["row_ids"]),
        classes=pd.Series(classes, index=prep["row_ids"], name="Classe"),
        sizes=sizes_table(classes),
        profiles=all_profiles(prep, classes, len(term)),
        splits=pd.DataFrame(chd.splits).set_index("Bipartition"),
        terminals=tuple(term),
        min_class_size=mincl,
        mothers=dict(chd.mothers),
        children=dict(chd.children),
        segments=prep["segments"],
        _active=matrix,
        _terms=prep["terms"],
    )


# ---------------------------------------------------------------------------------------------
# Double classification (``chdtxt.R`` ``Rchdtxt``)
# ---------------------------------------------------------------------------------------------


def reinert_double(
    data: Any,
    n_splits: int = 9,
    min_class_size: int | None = None,
    reallocation: bool = True,
    max_active: int = 20000,
    *,
    rst_sizes: tuple[int, int] = (12, 14),
    groups: Iterable[Any] | None = None,
    supplementary: Any = None,
    metadata: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
) -> ReinertResult:
    """Double Reinert classification on context units (RST) of two sizes, crossed.

    Consecutive segments of the same paragraph are merged into units until their running
    count of active forms exceeds ``rst_sizes[0]`` (first CHD) or ``rst_sizes[1]`` (second
    CHD); each CHD classifies its units, every segment inherits its unit's labels, and the
    classes are the most associated (χ² > 3.84) pairs of nodes of the two trees, chosen
    greedily without overlap, as IRaMuTeQ does. Segments outside the kept pairs stay
    unclassified (0).

    Parameters
    ----------
    groups
        Paragraph (or text) of each segment: units never cross a change of group. With a
        Corpus, the segments table's ``paragraphe`` (or else ``texte``) is used; with a
        matrix and no ``groups``, all rows form one sequence.
    min_class_size
        Minimum size of a crossed class, in segments; ``None`` = IRaMuTeQ's
        ``round(units of the first CHD / (n_splits + 1))``.
    rst_sizes
        Sizes of the context units of the two CHD, in active forms (IRaMuTeQ: 12 and 14).

    Other parameters are those of :func:`reinert`.

    Returns
    -------
    ReinertResult
        With ``method == "double"``, ``hierarchy2`` (the second CHD) and ``pairs`` (the
        crossed classes kept).

    References
    ----------
    Reinert, M. (1990), *Bulletin de méthodologie sociologique*, 26, 24–54 (the double
    classification on context units of two sizes); IRaMuTeQ 0.8 ``chdtxt.R``. The units and
    the crossing are checked against a re-implementation of the R functions by
    ``tests/lexico/test_reinert.py``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> i, j = np.indices((60, 8))
    >>> usual = (i < 30) == (j < 4)  # segments 0–29 speak of the first four words
    >>> data = pd.DataFrame(
    ...     (usual & ((i + j) % 3 != 0)) | (~usual & ((5 * i + j) % 11 == 0)),
    ...     columns=["loyer", "aide", "caf", "dossier", "jeu", "enfant", "sortie", "atelier"],
    ... ).astype(int)
    >>> double = reinert_double(data, n_splits=2, rst_sizes=(2, 3))
    >>> double.method, double.n_classes
    ('double', 2)
    >>> double.pairs
            Classe CHD 1  Classe CHD 2  Effectif         χ²
    Classe
    1                  3             5        11  12.600395
    2                  2             2        29  60.000000
    """
    prep = prepare(data, n_splits, min_class_size, max_active, supplementary, metadata, segments)
    matrix = prep["matrix"]
    n = matrix.shape[0]
    if groups is None:
        seg = prep["segments"]
        if seg is not None and "paragraphe" in seg.columns:
            groups = seg["paragraphe"].to_numpy()
        elif seg is not None and "texte" in seg.columns:
            groups = seg["texte"].to_numpy()
        else:
            groups = np.zeros(n, dtype=np.int64)
    groups = np.asarray(list(groups) if not isinstance(groups, np.ndarray) else groups)
    if len(groups) != n:
        raise DataError(
            f"« groups » a {len(groups)} valeurs mais la matrice a {n} segments.",
            hint="donnez le paragraphe (ou le texte) de chaque segment, dans l'ordre.",
        )
    active_sizes = np.diff(matrix.indptr)
    memberships, trees, n_units = [], [], []
    for limit in rst_sizes:
        unit = rst_units(active_sizes, groups, int(limit))
        n_u = int(unit.max()) + 1 if n else 0
        agg = sp.csr_matrix((np.ones(n), (unit, np.arange(n))), shape=(n_u, n)) @ matrix
        agg = sp.csr_matrix(agg)
        agg.data[:] = 1.0
        chd = run_chd(agg, n_splits, reallocation)
        memberships.append(chd.membership[unit])  # each segment inherits its unit's labels
        trees.append(chd)
        n_units.append(n_u)
    mincl = round(n_units[0] / (n_splits + 1)) if min_class_size is None else int(min_class_size)
    m1, m2 = memberships
    t1, t2 = trees
    labels1 = sorted(t1.mothers)
    labels2 = sorted(t2.mothers)
    size1 = {a: int((m1[:, a // 2 - 1] == a).sum()) for a in labels1}
    size2 = {b: int((m2[:, b // 2 - 1] == b).sum()) for b in labels2}
    candidates = []
    for a in labels1:
        in_a = m1[:, a // 2 - 1] == a
        for b in labels2:
            n_ab = int((in_a & (m2[:, b // 2 - 1] == b)).sum())
            if n_ab == 0 or n_ab < mincl:
                continue
            chi2 = signed_2x2(n_ab, size1[a], size2[b], n)
            if chi2 > 3.84:
                candidates.append((a, b, n_ab, chi2))
    candidates.sort(key=lambda t: -t[3])
    candidates.sort(key=lambda t: -t[1])  # stable: deepest CHD 2 classes first
    blocked1: set[int] = set()
    blocked2: set[int] = set()
    chosen = []
    for a, b, n_ab, chi2 in candidates:
        if a in blocked1 or b in blocked2:
            continue
        chosen.append((a, b, n_ab, chi2))
        blocked1 |= related_labels(a, t1.mothers, t1.children)
        blocked2 |= related_labels(b, t2.mothers, t2.children)
    classes = np.zeros(n, dtype=np.int64)
    for k, (a, b, _, _) in enumerate(chosen, start=1):
        classes[(m1[:, a // 2 - 1] == a) & (m2[:, b // 2 - 1] == b)] = k
    pairs = pd.DataFrame(
        chosen, columns=["Classe CHD 1", "Classe CHD 2", "Effectif", "χ²"]
    ).set_index(pd.RangeIndex(1, len(chosen) + 1, name="Classe"))
    return ReinertResult(
        hierarchy=hierarchy_frame(m1, prep["row_ids"]),
        classes=pd.Series(classes, index=prep["row_ids"], name="Classe"),
        sizes=sizes_table(classes),
        profiles=all_profiles(prep, classes, len(chosen)),
        splits=pd.DataFrame(t1.splits).set_index("Bipartition"),
        terminals=tuple(a for a, _, _, _ in chosen),
        min_class_size=mincl,
        mothers=dict(t1.mothers),
        children=dict(t1.children),
        method="double",
        hierarchy2=hierarchy_frame(m2, prep["row_ids"]),
        pairs=pairs,
        segments=prep["segments"],
        _active=matrix,
        _terms=prep["terms"],
    )
