"""Lafon's specificities (hypergeometric model), as in TXM's and IRaMuTeQ's ``textometry``.

Notation (Lafon, 1980; R ``textometry::specificities``): T = corpus size (tokens), t = size of
the part, F = total frequency of the word, f = its frequency in the part. Under independence f
follows the hypergeometric law ``P(X = k) = C(F, k) C(T − F, t − k) / C(T, t)``, expected
``E = F t / T``. The signed score is

* ``−log10 P(X ≥ f)`` (≥ 0, over-representation) when ``f ≥ E``;
* ``log10 P(X ≤ f)`` (≤ 0, under-representation) when ``f < E``.

A word is *banal* in a part when ``|score| < 2`` (p > 0.01, the threshold hard-coded in
IRaMuTeQ's ``textaslexico.py``).
The logarithms of the tail probabilities are computed for the whole table at once by
``_hypergeom.log_tail`` (the algorithm of R's ``phyper(..., log.p = TRUE)``, vectorised), so
every score stays finite and exact even where the probability underflows double precision —
unlike ``textometry``, which returns 0 in those edge cases (compare extreme words with care).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from .._format import format_number
from .._report import Report, result, titled_html
from .corpus import Kind, Unit
from .counts import lexical_table

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["SpecificitiesResult", "specificities"]

_LN10 = np.log(10.0)


def _log_binom(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``log C(a, b)`` by log-gamma functions (a direct formula, kept for checks)."""
    from scipy import special

    return special.gammaln(a + 1) - special.gammaln(b + 1) - special.gammaln(a - b + 1)


def _log_tail(f: int, big_f: int, t: int, big_t: int, upper: bool) -> float:
    """Natural log of P(X ≥ f) (``upper``) or P(X ≤ f) for one cell, ``X ~ H(T, F, t)``."""
    from ._hypergeom import log_tail

    cell = np.array([[float(f)]])
    return float(
        log_tail(
            cell, np.array([[float(big_f)]]), np.array([[float(t)]]), big_t, np.full((1, 1), upper)
        )[0, 0]
    )


def _scores(counts: np.ndarray) -> np.ndarray:
    """Signed log10 specificity score of every cell of a words × parts count table."""
    from ._hypergeom import log_tail

    # Parts × words layout: the long axis is the inner one, for every broadcast operation.
    f = np.ascontiguousarray(counts.T, dtype=np.float64)
    big_f = f.sum(axis=0, keepdims=True)
    t = f.sum(axis=1, keepdims=True)
    big_t = float(t.sum())
    # A word absent from the table, or the only word of the corpus: P = 1 in every part.
    words = np.flatnonzero((big_f[0] > 0) & (big_f[0] < big_t))
    if len(words) < f.shape[1]:
        scores = np.zeros_like(f)
        if len(words):
            scores[:, words] = _scores(counts[words]).T
        return scores.T
    expected = np.multiply(big_f, t)
    expected /= big_t
    upper = f >= expected  # f ≥ E = F t / T: over-representation, P(X ≥ f)
    del expected
    log_p = log_tail(f, big_f, t, big_t, upper)
    log_p *= 1.0 / _LN10
    np.negative(log_p, out=log_p, where=upper)
    log_p[log_p == 0] = 0.0  # no negative zeros
    return log_p.T


@result
class SpecificitiesResult(Report):
    """Specificities of the words of a words × parts table.

    Attributes
    ----------
    scores
        Signed log10 scores (words × parts): +3 ⇔ probability 10⁻³ of observing at least this
        frequency by chance; negative scores mark under-representation.
    table
        The counts (words × parts).
    expected
        Expected counts under independence, ``F · t / T``.
    min_score
        Banality threshold on the absolute score (2 by default: |score| < 2 is banal,
        p > 0,01).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"usager": [12, 3, 2, 8], "benevole": [2, 10, 4, 3], "salarie": [1, 4, 11, 5]},
    ...     index=pd.Index(["aide", "bénévolat", "budget", "quartier"], name="lemme"),
    ... )
    >>> spec = specificities(table)
    >>> spec.parts
    ['usager', 'benevole', 'salarie']
    >>> list(spec.banalities)
    ['quartier']
    >>> spec == spec  # identity: a result is equal only to itself
    True
    """

    scores: pd.DataFrame
    table: pd.DataFrame
    expected: pd.DataFrame
    min_score: float = 2.0

    @property
    def parts(self) -> list[Any]:
        """The parts (columns)."""
        return list(self.scores.columns)

    @property
    def banalities(self) -> pd.Index:
        """Words banal in every part (|score| below the threshold everywhere)."""
        return self.scores.index[(self.scores.abs() < self.min_score).all(axis=1)]

    def _check_part(self, part: Any) -> None:
        if part not in self.scores.columns:
            raise column_error(part, self.scores.columns, what="partie")

    def top(self, part: Any, n: int = 10, *, negative: bool = False) -> pd.DataFrame:
        """The ``n`` most specific words of ``part`` (or the most under-represented ones with
        ``negative=True``), above the banality threshold only."""
        self._check_part(part)
        score = self.scores[part]
        if negative:
            keep = score[score <= -self.min_score].sort_values(kind="stable")
        else:
            keep = score[score >= self.min_score].sort_values(ascending=False, kind="stable")
        keep = keep.head(n)
        out = pd.DataFrame(
            {
                "Effectif dans la partie": self.table.loc[keep.index, part].to_numpy(),
                "Effectif total": self.table.loc[keep.index].sum(axis=1).to_numpy(),
                "Attendu": self.expected.loc[keep.index, part].to_numpy(),
                "Score": keep.to_numpy(),
            },
            index=pd.Index(keep.index, name="Forme"),
        )
        return out

    def to_frame(self) -> pd.DataFrame:
        """The scores table (a copy)."""
        return self.scores.copy()

    def _lines(self) -> list[str]:
        n = 6
        n_words, n_parts = self.scores.shape
        lines = [
            f"Spécificités (modèle hypergéométrique de Lafon) : {format_number(n_words, 0)} "
            f"formes × {n_parts} parties ; seuil de banalité ± "
            f"{format_number(self.min_score, 1)} (score ≥ {format_number(self.min_score, 1)} : "
            f"probabilité ≤ {format_number(10**-self.min_score, 3)} d'observer au moins "
            "cette fréquence par hasard)."
        ]
        for part in self.parts:
            plus = ", ".join(str(w) for w in self.top(part, n).index) or "aucune"
            minus = ", ".join(str(w) for w in self.top(part, n, negative=True).index) or "aucune"
            lines.append(f"  {part} — sur-employées : {plus} ; sous-employées : {minus}")
        lines.append(
            f"{format_number(len(self.banalities), 0)} formes banales dans toutes les parties."
        )
        return lines

    def _html_tables(self) -> str:
        return "".join(
            titled_html(self.top(part, 10), f"{part} : formes spécifiques") for part in self.parts
        )

    def plot(self, part: Any, *, n: int = 10, ax: Axes | None = None) -> Axes:
        """Bar chart of the ``n`` most over- and under-represented words of ``part``.

        Returns the matplotlib Axes.
        """
        from ..plotting import PALETTE, get_axes

        self._check_part(part)
        plus = self.top(part, n)["Score"]
        minus = self.top(part, n, negative=True)["Score"]
        data = pd.concat([plus, minus.iloc[::-1]])
        _fig, ax = get_axes(ax, figsize=(7, 1 + 0.3 * max(len(data), 1)))
        y = np.arange(len(data))
        colours = [PALETTE[0] if v > 0 else PALETTE[3] for v in data.to_numpy()]
        ax.barh(y, data.to_numpy(), color=colours)
        ax.set_yticks(y, [str(w) for w in data.index])
        ax.invert_yaxis()
        for x in (-self.min_score, self.min_score):
            ax.axvline(x, color="0.5", lw=0.8, ls="--")
        ax.axvline(0, color="0.2", lw=0.8)
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        ax.set_xlabel("Score de spécificité (log10 de la probabilité, signé)")
        ax.set_title(f"Spécificités : {part}")
        return ax


def _as_table(table: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise DataError(
            f"type de données non reconnu : {type(table).__name__}.",
            hint="donnez un tableau formes × parties (DataFrame d'effectifs) ou un Corpus avec "
            'by="variable".',
        )
    if table.shape[0] == 0 or table.shape[1] < 2:
        raise DataError(
            f"le tableau lexical a {table.shape[0]} forme(s) et {table.shape[1]} partie(s).",
            hint="il faut au moins une forme et deux parties (colonnes) à comparer.",
        )
    values = table.to_numpy()
    if values.dtype.kind in "iu":  # integer counts (the usual case): only the sign to check
        bad = values < 0 if values.dtype.kind == "i" and values.min() < 0 else None
    else:
        try:
            values = table.to_numpy(dtype=float)
        except (TypeError, ValueError) as exc:
            raise DataError(
                "le tableau lexical contient des valeurs non numériques.",
                hint="chaque case doit être un effectif (nombre d'occurrences) entier positif.",
            ) from exc
        bad = np.isnan(values) | (values < 0) | (values != np.round(values))
    if bad is not None and bad.any():
        i, j = np.argwhere(bad)[0]
        raise DataError(
            f"effectif invalide pour la forme « {table.index[i]} », partie "
            f"« {table.columns[j]} » : {table.iat[i, j]!r}.",
            hint="chaque case doit être un effectif entier positif ou nul (pas de "
            "pourcentage, pas de case vide).",
        )
    empty = values.sum(axis=0) == 0
    if empty.any():
        raise DataError(
            f"la partie « {table.columns[np.flatnonzero(empty)[0]]} » ne contient aucune "
            "occurrence.",
            hint="retirez cette colonne du tableau.",
        )
    return pd.DataFrame(
        values.astype(np.int64, copy=False), index=table.index, columns=table.columns
    )


def specificities(
    data: Any,
    by: str | None = None,
    *,
    unit: Unit = "lemma",
    min_score: float = 2.0,
    kind: Kind = "all",
    min_freq: int = 1,
) -> SpecificitiesResult:
    """Lafon's specificities of every word in every part (hypergeometric model).

    Parameters
    ----------
    data
        A words × parts table of occurrence counts (DataFrame: index = forms or lemmas,
        columns = parts such as the modalities of ``statut``), or a ``Corpus`` with ``by``.
    by
        With a Corpus: the metadata variable defining the parts (``"statut"``…).
    unit
        With a Corpus: ``"lemma"`` or ``"form"``.
    min_score
        Banality threshold on the absolute score (2 = IRaMuTeQ's, p = 0,01): a word is
        specific to a part when its score is at least ``min_score`` (or at most
        ``−min_score``).
    kind, min_freq
        With a Corpus: words counted (``"all"``, ``"active"``, ``"supplementary"``) and their
        minimum total frequency (see ``lexical_table``).

    Returns
    -------
    SpecificitiesResult
        ``.scores`` (signed log10 scores), ``.top(part, n)``, ``.plot(part)``.

    Notes
    -----
    T, t and F are the margins of the table given (as ``textometry::specificities`` does).

    References
    ----------
    Lafon, P. (1980). Sur la variabilité de la fréquence des formes dans un corpus. *Mots*,
    1, 127–165. The tail probabilities are those of R's ``phyper(..., log.p = TRUE)``
    (IRaMuTeQ computes its specificities with it); ``tests/lexico/test_specificities.py``
    checks the scores against ``scipy.stats.hypergeom`` and exact fractions, and
    ``tests/lexico/test_hypergeom.py`` the tails against R's values.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"usager": [12, 3, 2, 8], "benevole": [2, 10, 4, 3], "salarie": [1, 4, 11, 5]},
    ...     index=pd.Index(["aide", "bénévolat", "budget", "quartier"], name="lemme"),
    ... )
    >>> spec = specificities(table)
    >>> spec.scores.round(2)
               usager  benevole  salarie
    lemme
    aide         3.57     -0.97    -1.89
    bénévolat   -1.44      2.51    -0.55
    budget      -2.13     -0.41     2.82
    quartier     0.67     -0.63    -0.23
    >>> spec.top("benevole", 2)
               Effectif dans la partie  Effectif total   Attendu     Score
    Forme
    bénévolat                       10              17  4.969231  2.513491
    >>> from movsc_toolkit.lexico import Corpus
    >>> corpus = Corpus.from_texts(
    ...     ["Le centre social aide les familles.", "Les bénévoles aident les familles."],
    ...     {"statut": ["usager", "benevole"]},
    ... ).lemmatize(progress=False, cache_dir=False)
    >>> specificities(corpus, by="statut", kind="active").scores.shape
    (6, 2)
    """
    if hasattr(data, "segment_matrix"):
        if by is None:
            raise DataError(
                "avec un corpus, précisez la variable qui définit les parties.",
                hint='par exemple specificities(corpus, by="statut").',
            )
        data = lexical_table(data, by, unit=unit, kind=kind, min_freq=min_freq)
    elif by is not None:
        raise DataError(
            "« by » ne s'utilise qu'avec un corpus : un tableau lexical a déjà ses parties en "
            "colonnes.",
            hint='appelez specificities(tableau) sans by, ou specificities(corpus, by="statut").',
        )
    if not isinstance(min_score, int | float) or min_score < 0:
        raise DataError(
            f"le seuil de banalité min_score doit être un nombre positif (reçu : {min_score!r}).",
            hint="le seuil habituel est 2 (probabilité 0,01).",
        )
    table = _as_table(data)
    counts = table.to_numpy()
    scores = pd.DataFrame(_scores(counts), index=table.index, columns=table.columns)
    expected = np.outer(counts.sum(axis=1).astype(np.float64), counts.sum(axis=0))
    expected /= counts.sum()
    expected = pd.DataFrame(
        expected,
        index=table.index,
        columns=table.columns,
    )
    return SpecificitiesResult(
        scores=scores, table=table, expected=expected, min_score=float(min_score)
    )
