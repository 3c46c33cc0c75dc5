"""Word counts: frequencies and hapax, lexical tables by a metadata variable, document-term matrices.

Counts are *occurrences* of forms (words as written, lower-cased) or lemmas (dictionary forms
given by spaCy), after removal of punctuation. The lexical table is the input of Lafon's
specificities (:mod:`.specificities`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from .._format import format_number, frame_html, frame_text
from .._report import Report, result
from .._tablelike import TableLike
from ._charts import draw_zipf, plot_bars
from ._text import sort_key
from .corpus import STATUS_VALUE, UNIT_COLUMN, Corpus, Kind, Level, Unit

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from scipy import sparse

__all__ = [
    "DocumentTermMatrix",
    "Frequencies",
    "document_term_matrix",
    "frequencies",
    "lexical_table",
]


def _check(unit: str, kind: str) -> None:
    if unit not in UNIT_COLUMN:
        raise DataError(
            f"unit=« {unit} » n'est pas reconnu.",
            hint="choisissez « lemma » (lemmes) ou « form » (formes telles qu'écrites).",
        )
    if kind not in ("active", "supplementary", "all"):
        raise DataError(
            f"kind=« {kind} » n'est pas reconnu.",
            hint="choisissez « all » (tous les mots), « active » (noms, verbes, adjectifs, "
            "adverbes) ou « supplementary » (mots outils).",
        )


def _tokens(corpus: Corpus, kind: str) -> pd.DataFrame:
    tokens = corpus.tokens_view()
    return tokens if kind == "all" else tokens[tokens["statut"] == STATUS_VALUE[kind]]


@result
class Frequencies(TableLike, Report):
    """Frequencies of the words of a corpus.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per word (index: the lemma or form), sorted by decreasing frequency then
        alphabetically: ``Effectif`` (occurrences), ``%`` (of all occurrences counted, exact;
        shown with 2 decimals),
        ``Textes`` (number of texts using it), ``Catégorie`` (most frequent part of speech),
        ``Statut`` (``actif`` / ``supplémentaire``).
    unit : str
        ``"lemma"`` or ``"form"``.
    n_occurrences : int
        Total number of occurrences counted.
    n_words : int
        Number of distinct words.
    n_hapax : int
        Number of hapax (words occurring once).

    The object prints as its table and is indexed like it: ``freq["Effectif"]``,
    ``freq.loc["jeune", "Effectif"]``, ``len(freq)`` (number of distinct words), iteration over
    the columns, ``freq.index`` — all act on :meth:`to_frame`.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"Effectif": [3, 1], "%": [75.0, 25.0]}, index=pd.Index(["jeune", "ville"], name="lemme")
    ... )
    >>> freq = Frequencies(table=table, unit="lemma", n_occurrences=4, n_words=2, n_hapax=1)
    >>> freq.hapax
    ['ville']
    >>> int(freq.loc["jeune", "Effectif"])
    3
    """

    table: pd.DataFrame
    unit: str
    n_occurrences: int
    n_words: int
    n_hapax: int

    @property
    def hapax(self) -> list[str]:
        """The words occurring exactly once, in alphabetical order."""
        return sorted(self.table.index[self.table["Effectif"] == 1], key=sort_key)

    def to_frame(self) -> pd.DataFrame:
        """The frequency table (a copy)."""
        return self.table.copy()

    def head(self, n: int = 20) -> pd.DataFrame:
        """The ``n`` most frequent words."""
        return self.table.head(n).copy()

    def _lines(self) -> list[str]:
        what = "lemmes" if self.unit == "lemma" else "formes"
        share = 100 * self.n_hapax / self.n_words if self.n_words else 0.0
        return [
            f"{format_number(self.n_occurrences, 0)} occurrences, "
            f"{format_number(self.n_words, 0)} {what} différents, "
            f"dont {format_number(self.n_hapax, 0)} hapax (mots employés une seule fois, "
            f"{format_number(share, 1)} % des {what}).",
        ]

    def __str__(self) -> str:  # the sentence, then the table the object behaves like
        return "\n".join([*self._lines(), frame_text(self.table.head(15), decimals=2)])

    __repr__ = __str__

    def _html_tables(self) -> str:
        return frame_html(self.table.head(15), decimals=2, caption="Les 15 plus fréquents")

    def plot(self, *, n: int = 20, ax: Axes | None = None) -> Axes:
        """Horizontal bar chart of the ``n`` most frequent words (returns the Axes)."""
        title = f"Les {n} {'lemmes' if self.unit == 'lemma' else 'formes'} les plus fréquents"
        return plot_bars(self.table["Effectif"].head(n), ax=ax, title=title, xlabel="Occurrences")

    def plot_zipf(self, *, ax: Axes | None = None) -> Axes:
        """Zipf plot: frequency against rank, both on log scales (returns the Axes)."""
        return draw_zipf(self.table["Effectif"], ax=ax)


def frequencies(corpus: Corpus, unit: Unit = "lemma", kind: Kind = "all") -> Frequencies:
    """Count the occurrences of each lemma (or form) of the corpus.

    Parameters
    ----------
    corpus
        A :class:`~movsc_toolkit.lexico.Corpus` (lemmatised on demand).
    unit
        ``"lemma"`` (default) or ``"form"``.
    kind
        ``"all"``, ``"active"`` (nouns, verbs, adjectives, adverbs) or ``"supplementary"``.

    Returns
    -------
    Frequencies

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
    >>> freq = frequencies(corpus, kind="active")
    >>> freq.n_occurrences, freq.n_words, freq.n_hapax
    (13, 9, 6)
    >>> freq.head(3)
              Effectif          %  Textes Catégorie Statut
    lemme
    quartier         3  23.076923       3      NOUN  actif
    bénévole         2  15.384615       2      NOUN  actif
    famille          2  15.384615       2      NOUN  actif
    """
    _check(unit, kind)
    tokens = _tokens(corpus, kind)
    if tokens.empty:
        raise DataError(
            "aucun mot à compter dans ce corpus.",
            hint='vérifiez le corpus ou choisissez kind="all".',
        )
    column = UNIT_COLUMN[unit]
    grouped = tokens.groupby(column, sort=False)
    counts = grouped.size()
    texts = grouped["texte"].nunique()
    pos = tokens.groupby([column, "catégorie"], sort=False).size().reset_index(name="n")
    pos = pos.sort_values(["n", "catégorie"], ascending=[False, True]).drop_duplicates(column)
    pos = pos.set_index(column)["catégorie"]
    active = tokens["statut"].eq(STATUS_VALUE["active"])
    share_active = active.groupby(tokens[column], sort=False).mean()
    status = pd.Series(
        np.where(share_active >= 0.5, STATUS_VALUE["active"], STATUS_VALUE["supplementary"]),
        index=share_active.index,
    )
    table = pd.DataFrame(
        {
            "Effectif": counts.astype(np.int64),
            "%": 100 * counts / counts.sum(),
            "Textes": texts.astype(np.int64),
            "Catégorie": pos.reindex(counts.index),
            "Statut": status.reindex(counts.index),
        }
    )
    effectif = table["Effectif"].to_dict()
    order = sorted(table.index, key=lambda w: (-effectif[w], sort_key(w)))
    table = table.loc[order]
    table.index.name = column
    return Frequencies(
        table=table,
        unit=unit,
        n_occurrences=int(counts.sum()),
        n_words=len(table),
        n_hapax=int((table["Effectif"] == 1).sum()),
    )


def lexical_table(
    corpus: Corpus,
    by: str,
    unit: Unit = "lemma",
    kind: Kind = "all",
    min_freq: int = 1,
) -> pd.DataFrame:
    """Words × modalities table of occurrence counts (input of the specificities).

    Parameters
    ----------
    corpus
        The corpus.
    by
        A metadata variable (``"statut"``…): one column per modality, in the order of first
        appearance in the corpus (or the categories' order if the column is categorical).
    unit
        ``"lemma"`` or ``"form"``.
    kind
        ``"all"`` (default: the parts' sizes are then all their words), ``"active"`` or
        ``"supplementary"``.
    min_freq
        Keep the words with at least this many occurrences in the whole corpus.

    Returns
    -------
    pandas.DataFrame
        Counts (integers); rows sorted by decreasing total then alphabetically; no total row or
        column. Texts with a missing modality are left out.

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
    >>> lexical_table(corpus, "statut", kind="active").head(3)
    statut    usager  benevole
    lemme
    quartier       2         1
    bénévole       1         1
    famille        2         0
    """
    _check(unit, kind)
    meta = corpus.metadata
    if by not in meta.columns:
        raise column_error(by, meta.columns, what="variable")
    tokens = _tokens(corpus, kind)
    values = meta[by]
    if isinstance(values.dtype, pd.CategoricalDtype):
        modalities = [m for m in values.cat.categories if (values == m).any()]
    else:
        modalities = list(dict.fromkeys(values.dropna()))
    part = values.to_numpy(dtype=object)[tokens["texte"].to_numpy()]
    frame = pd.DataFrame({"w": tokens[UNIT_COLUMN[unit]].to_numpy(), "p": part}).dropna()
    table = pd.crosstab(frame["w"], frame["p"]).reindex(columns=modalities, fill_value=0)
    totals = table.sum(axis=1)
    table = table[totals >= min_freq]
    order = sorted(table.index, key=lambda w: (-totals[w], sort_key(w)))
    table = table.loc[order].astype(np.int64)
    table.index.name = UNIT_COLUMN[unit]
    table.columns = pd.Index([str(c) for c in table.columns], name=by)
    return table


@result
class DocumentTermMatrix(Report):
    """A sparse documents × terms matrix of counts.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Occurrence counts (or 0/1 with ``binary=True``), one row per text or segment.
    rows : pandas.DataFrame
        The texts' metadata (``level="text"``) or the segments table (``level="segment"``).
    terms : pandas.Index
        The terms, one per column (French alphabetical order).

    Examples
    --------
    >>> import pandas as pd
    >>> from scipy import sparse
    >>> dtm = DocumentTermMatrix(
    ...     matrix=sparse.csr_matrix([[2, 0], [1, 1]]),
    ...     rows=pd.DataFrame(index=[0, 1]),
    ...     terms=pd.Index(["jeune", "ville"]),
    ... )
    >>> print(dtm)
    Matrice documents × termes : 2 lignes, 2 termes, 3 cases non nulles (75,00 %).
    >>> dtm.to_frame()
       jeune  ville
    0      2      0
    1      1      1
    """

    matrix: sparse.csr_matrix
    rows: pd.DataFrame
    terms: pd.Index

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, terms)."""
        return self.matrix.shape

    def to_frame(self) -> pd.DataFrame:
        """Dense DataFrame (rows × terms); only for small matrices."""
        return pd.DataFrame(self.matrix.toarray(), index=self.rows.index, columns=self.terms)

    def _lines(self) -> list[str]:
        n, p = self.matrix.shape
        density = 100 * self.matrix.nnz / (n * p) if n * p else 0.0
        return [
            f"Matrice documents × termes : {format_number(n, 0)} lignes, "
            f"{format_number(p, 0)} termes, {format_number(self.matrix.nnz, 0)} cases non "
            f"nulles ({format_number(density, 2)} %)."
        ]


def document_term_matrix(
    corpus: Corpus,
    unit: Unit = "lemma",
    level: Level = "text",
    kind: Kind = "all",
    min_freq: int = 1,
    binary: bool = False,
) -> DocumentTermMatrix:
    """Sparse matrix of counts, one row per text (or segment), one column per lemma (or form).

    Parameters
    ----------
    corpus
        The corpus (lemmatised on demand).
    unit
        ``"lemma"`` (default) or ``"form"``: what is counted as a word.
    level
        ``"text"`` (default) or ``"segment"``: what a row is.
    kind
        ``"all"``, ``"active"`` or ``"supplementary"`` words.
    min_freq
        Keep the terms with at least this many occurrences in the corpus.
    binary
        Presence (1) instead of counts (the input of a Reinert classification).

    Returns
    -------
    DocumentTermMatrix
        ``.matrix`` (``scipy.sparse.csr_matrix``), ``.rows`` (metadata or segments table),
        ``.terms``.

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
    >>> dtm = document_term_matrix(corpus, level="text", kind="active")
    >>> dtm.shape
    (3, 9)
    >>> list(dtm.terms[:3])
    ['aide', 'aider', 'bénévole']
    """
    _check(unit, kind)
    matrix, terms = corpus.term_matrix(
        level, unit=unit, kind=kind, min_freq=min_freq, binary=binary
    )
    rows = corpus.metadata if level == "text" else corpus.segments
    return DocumentTermMatrix(matrix=matrix, rows=rows, terms=terms)
