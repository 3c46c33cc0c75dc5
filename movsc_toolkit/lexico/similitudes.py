"""Similitude analysis: the cooccurrence graph of the most frequent words (IRaMuTeQ's "simi").

Two words cooccur when they appear in the same text segment. For the ``n_terms`` most frequent
active lemmas, the cooccurrence counts are ``XᵀX`` for the binary segments × lemmas matrix X;
the graph keeps its **maximum spanning tree** (the strongest links that connect every word
without a cycle), in which communities of words are then looked for. Reference: IRaMuTeQ 0.8
(Ratinaud), ``textsimi.py`` and ``Rscripts/simi.R`` (maximum spanning tree by default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_number
from .._report import Report, result, titled_html
from ._text import sort_key
from .corpus import Corpus, Kind, Unit

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes

__all__ = ["Similitudes", "similitudes"]

_INDICES = ("cooccurrence", "jaccard")


@result
class Similitudes(Report):
    """Result of :func:`similitudes`.

    Attributes
    ----------
    index : str
        ``"cooccurrence"`` (number of segments where both words appear) or ``"jaccard"``
        (that number divided by the number of segments containing either word).
    frequencies : pandas.Series
        Number of segments containing each word kept (the graph's nodes).
    matrix : pandas.DataFrame
        The words × words similarity table.
    edges : pandas.DataFrame
        The edges of the maximum spanning tree: ``Mot 1``, ``Mot 2``, ``Indice``, sorted by
        decreasing index.
    communities : pandas.Series
        The community (1, 2, …, the largest first) of each word in the tree.
    graph : networkx.Graph
        The tree (node attributes ``frequency`` and ``community``, edge attribute ``weight``).
    random_state : int
        Seed of the drawing's layout.

    Examples
    --------
    >>> from movsc_toolkit.lexico import Corpus
    >>> corpus = Corpus.from_texts(
    ...     [
    ...         "Le centre social aide les familles du quartier.",
    ...         "Les bénévoles aident les enfants du quartier.",
    ...         "Les familles et les bénévoles parlent du quartier.",
    ...     ],
    ...     {"statut": ["usager", "benevole", "usager"]},
    ... ).lemmatize(progress=False, cache_dir=False)
    >>> simi = similitudes(corpus, n_terms=4, min_freq=2)
    >>> simi.communities.sort_index().to_dict()
    {'bénévole': 1, 'famille': 1, 'quartier': 1}
    """

    index: str
    frequencies: pd.Series
    matrix: pd.DataFrame
    edges: pd.DataFrame
    communities: pd.Series
    graph: nx.Graph
    random_state: int = 0

    def to_frame(self) -> pd.DataFrame:
        """The tree's edges (a copy)."""
        return self.edges.copy()

    def _lines(self) -> list[str]:
        label = "cooccurrences" if self.index == "cooccurrence" else "indice de Jaccard"
        n_comm = int(self.communities.max()) if len(self.communities) else 0
        lines = [
            f"Arbre maximum des similitudes ({label}) entre {len(self.frequencies)} mots : "
            f"{len(self.edges)} lien{'s' if len(self.edges) > 1 else ''}, {n_comm} "
            f"communauté{'s' if n_comm > 1 else ''}."
        ]
        for c in range(1, n_comm + 1):
            members = [w for w in self.communities.index if self.communities[w] == c]
            members.sort(key=lambda w: (-self.frequencies[w], sort_key(w)))
            lines.append(
                f"Communauté {c} : " + ", ".join(members[:12]) + ("…" if len(members) > 12 else "")
            )
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.edges.head(15), "Liens les plus forts", decimals=3)

    def plot(self, *, ax: Axes | None = None, figsize: tuple[float, float] = (9, 7)) -> Axes:
        """Draw the tree: node size ∝ frequency, edge width ∝ index, colours = communities.

        Returns the matplotlib Axes.

        The layout is deterministic: Kamada–Kawai for a tree, the Fruchterman–Reingold spring
        layout seeded with ``random_state`` for a forest; the drawing is the same on every run.
        """
        import networkx as nx

        from ..plotting import PALETTE, get_axes

        _fig, ax = get_axes(ax, figsize=figsize)
        graph = self.graph
        if graph.number_of_nodes() == 0:
            raise DataError("le graphe est vide : aucun mot à dessiner.")
        nodes = sorted(graph.nodes, key=sort_key)
        weights = np.array([graph.edges[e]["weight"] for e in graph.edges], dtype=float)
        layout = _layout(graph, self.random_state)
        freq = self.frequencies.reindex(nodes).to_numpy(dtype=float)
        sizes = 80 + 900 * freq / freq.max()
        colours = [PALETTE[(self.communities[n] - 1) % len(PALETTE)] for n in nodes]
        widths = 1 + 5 * (weights - weights.min()) / (np.ptp(weights) or 1) if len(weights) else []
        nx.draw_networkx_edges(graph, layout, ax=ax, width=widths, edge_color="#999999")
        nx.draw_networkx_nodes(
            graph, layout, nodelist=nodes, node_size=sizes, node_color=colours, alpha=0.35, ax=ax
        )
        for node in nodes:
            x, y = layout[node]
            ax.text(x, y, node, ha="center", va="center", fontsize=9, color="#222222")
        decimals = 0 if self.index == "cooccurrence" else 2
        nx.draw_networkx_edge_labels(
            graph,
            layout,
            edge_labels={e: format_number(graph.edges[e]["weight"], decimals) for e in graph.edges},
            font_size=7,
            font_color="#555555",
            ax=ax,
        )
        ax.set_axis_off()
        label = "cooccurrences" if self.index == "cooccurrence" else "indice de Jaccard"
        ax.set_title(f"Analyse de similitudes ({label}, arbre maximum)")
        return ax


def similitudes(
    corpus: Corpus,
    index: Literal["cooccurrence", "jaccard"] = "cooccurrence",
    n_terms: int = 50,
    *,
    kind: Kind = "active",
    unit: Unit = "lemma",
    min_freq: int = 3,
    random_state: int = 0,
) -> Similitudes:
    """Cooccurrence graph of the ``n_terms`` most frequent words, reduced to its maximum tree.

    Parameters
    ----------
    corpus
        The corpus (lemmatised on demand).
    index
        ``"cooccurrence"``: number of segments containing both words; ``"jaccard"``: that
        number over the number of segments containing at least one of them (between 0 and 1).
    n_terms
        Number of words kept: the most frequent (in segments), ties broken alphabetically.
    kind, unit, min_freq
        Which words: active lemmas with at least 3 occurrences by default (as IRaMuTeQ).
    random_state
        Seed of the drawing's layout.

    Returns
    -------
    Similitudes

    Notes
    -----
    Integer cooccurrence counts often tie, and a spanning tree is unique only when the weights
    are distinct: ties are broken by the words' alphabetical order (Kruskal's algorithm on the
    edges sorted by decreasing weight, then by words), so the tree may differ from IRaMuTeQ's
    while being just as maximal. Communities: greedy modularity maximisation (deterministic).

    References
    ----------
    Flament, C. (1962). L'analyse de similitude. *Cahiers du Centre de recherche opérationnelle*,
    4, 63–97 ; Marchand, P. et Ratinaud, P. (2012). L'analyse de similitude appliquée aux
    corpus textuels. *JADT 2012*, 687–699 (IRaMuTeQ's ``simi``). The tree and the indices are
    checked against networkx and hand counts by ``tests/lexico/test_similitudes.py``.

    Examples
    --------
    >>> from movsc_toolkit.lexico import Corpus
    >>> corpus = Corpus.from_texts(
    ...     [
    ...         "Le centre social aide les familles du quartier.",
    ...         "Les bénévoles aident les enfants du quartier.",
    ...         "Les familles et les bénévoles parlent du quartier.",
    ...     ],
    ...     {"statut": ["usager", "benevole", "usager"]},
    ... ).lemmatize(progress=False, cache_dir=False)
    >>> simi = similitudes(corpus, n_terms=4, min_freq=2)
    >>> print(simi)
    Arbre maximum des similitudes (cooccurrences) entre 3 mots : 2 liens, 1 communauté.
    Communauté 1 : quartier, bénévole, famille
    >>> simi.edges
          Mot 1     Mot 2  Indice
    0  bénévole  quartier     2.0
    1   famille  quartier     2.0
    """
    import networkx as nx

    if index not in _INDICES:
        raise DataError(
            f"index=« {index} » n'est pas reconnu.",
            hint="choisissez « cooccurrence » ou « jaccard ».",
        )
    if n_terms < 2:
        raise DataError(
            "il faut au moins deux mots pour un graphe.", hint="prenez n_terms=30 ou plus."
        )
    matrix, _segments, terms = corpus.segment_matrix(kind=kind, unit=unit, min_freq=min_freq)
    presence = np.asarray(matrix.sum(axis=0)).ravel()
    order = sorted(range(len(terms)), key=lambda j: (-presence[j], sort_key(terms[j])))[:n_terms]
    if len(order) < 2:
        raise DataError(
            f"seulement {len(order)} mot(s) assez fréquent(s) pour le graphe.",
            hint="baissez min_freq ou utilisez un corpus plus grand.",
        )
    chosen = sorted(order, key=lambda j: sort_key(terms[j]))
    words = [str(terms[j]) for j in chosen]
    sub = matrix[:, chosen].astype(np.float64)
    cooc = (sub.T @ sub).toarray()
    freq = np.diag(cooc).copy()
    if index == "cooccurrence":
        sim = cooc.copy()
    else:
        union = freq[:, None] + freq[None, :] - cooc
        with np.errstate(invalid="ignore", divide="ignore"):
            sim = np.where(union > 0, cooc / union, 0.0)
    np.fill_diagonal(sim, 0.0)
    table = pd.DataFrame(sim, index=words, columns=words)
    frequencies = pd.Series(freq.astype(np.int64), index=words, name="Segments")
    graph = _maximum_tree(words, sim)
    communities = _communities(graph, words, frequencies)
    nx.set_node_attributes(graph, {w: int(frequencies[w]) for w in words}, "frequency")
    nx.set_node_attributes(graph, {w: int(communities[w]) for w in words}, "community")
    edges = pd.DataFrame(
        [(a, b, graph.edges[a, b]["weight"]) for a, b in graph.edges],
        columns=["Mot 1", "Mot 2", "Indice"],
    )
    if not edges.empty:
        edges = edges.sort_values(
            ["Indice", "Mot 1", "Mot 2"],
            ascending=[False, True, True],
            key=lambda s: s if s.name == "Indice" else s.map(lambda w: sort_key(w)[0]),
        ).reset_index(drop=True)
    return Similitudes(
        index=index,
        frequencies=frequencies,
        matrix=table,
        edges=edges,
        communities=communities,
        graph=graph,
        random_state=random_state,
    )


def _layout(graph: nx.Graph, seed: int) -> dict:
    """Positions of the nodes, deterministic.

    A tree is drawn with Kamada–Kawai, each edge asked to be longer around big hubs
    (1 + 0.3 × the larger degree of its ends) so that the leaves of a star do not overlap; a
    forest (several pieces) with the Fruchterman–Reingold spring layout, seeded.
    """
    import networkx as nx

    if graph.number_of_nodes() > 2 and nx.is_connected(graph):
        lengths = {(u, v): 1 + 0.3 * max(graph.degree[u], graph.degree[v]) for u, v in graph.edges}
        spaced = nx.Graph()
        spaced.add_nodes_from(sorted(graph.nodes, key=sort_key))
        spaced.add_edges_from((u, v, {"length": d}) for (u, v), d in lengths.items())
        return nx.kamada_kawai_layout(spaced, weight="length")
    return nx.spring_layout(graph, seed=seed, weight=None, k=1.5 / np.sqrt(len(graph)))


def _maximum_tree(words: list[str], sim: np.ndarray) -> nx.Graph:
    """Kruskal on the positive links, by decreasing weight then alphabetical order (ties)."""
    import networkx as nx

    i, j = np.triu_indices(len(words), k=1)
    w = sim[i, j]
    keep = w > 0
    i, j, w = i[keep], j[keep], w[keep]
    order = np.lexsort((j, i, -w))  # words are in alphabetical order: i, j break ties
    parent = list(range(len(words)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    graph = nx.Graph()
    graph.add_nodes_from(words)
    for k in order:
        ra, rb = find(int(i[k])), find(int(j[k]))
        if ra != rb:
            parent[ra] = rb
            graph.add_edge(words[i[k]], words[j[k]], weight=float(w[k]))
    return graph


def _communities(graph: nx.Graph, words: list[str], frequencies: pd.Series) -> pd.Series:
    import networkx as nx

    if graph.number_of_edges() == 0:
        groups = [[w] for w in words]
    else:
        found = nx.community.greedy_modularity_communities(graph, weight="weight")
        groups = [sorted(g, key=sort_key) for g in found]
    groups.sort(key=lambda g: (-len(g), -int(frequencies[g].sum()), sort_key(g[0])))
    label = {w: c for c, g in enumerate(groups, start=1) for w in g}
    return pd.Series([label[w] for w in words], index=words, name="Communauté", dtype=np.int64)
