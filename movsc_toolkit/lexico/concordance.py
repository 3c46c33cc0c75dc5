"""Concordances (key word in context) and repeated segments.

Reference for the repeated segments (sequences of forms occurring at least twice, not crossing
a delimiter): Lafon, P. & Salem, A. (1983). L'inventaire des segments répétés d'un texte.
*Mots*, 6, 161–177.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from .._errors import DataError, closest
from ._text import sort_key
from .corpus import STATUS_VALUE, UNIT_COLUMN, Corpus, Unit

__all__ = ["concordance", "repeated_segments"]


def _join(forms: Iterable[str]) -> str:
    """Join forms with spaces, except after an elided form (``l'accueil``)."""
    out = ""
    for form in forms:
        out += form if (not out or out.endswith("'")) else " " + form
    return out


def _attached(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) over punctuation glued to the first and last words (« [LIEU_1] »)."""
    while start > 0 and not text[start - 1].isspace() and not text[start - 1].isalnum():
        start -= 1
    while end < len(text) and not text[end].isspace() and not text[end].isalnum():
        end += 1
    return start, end


def concordance(
    corpus: Corpus,
    word: str | Iterable[str],
    window: int = 8,
    unit: Unit = "lemma",
    sort: Literal["text", "left", "right"] = "text",
) -> pd.DataFrame:
    """Every occurrence of a word with its left and right contexts (KWIC).

    Parameters
    ----------
    corpus
        The corpus (lemmatised on demand).
    word
        The word to look for (or a list of words); case is ignored. A multi-word expression
        given to :meth:`Corpus.lemmatize` can be searched as one word (``"centre social"``).
    window
        Number of words shown on each side (within the same text).
    unit
        Search the lemmas (``"lemma"``: *aider* finds *aide*, *aidons*, *aidaient*…) or the
        forms as written (``"form"``).
    sort
        Order of the lines: corpus order (``"text"``), or alphabetical order of the word just
        before (``"left"``) or after (``"right"``) the pivot.

    Returns
    -------
    pandas.DataFrame
        One row per occurrence: ``texte``, ``segment`` (numbers), ``Contexte gauche``,
        ``Pivot`` (as written in the text), ``Contexte droit``, then the text's metadata.

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
    >>> concordance(corpus, "famille", window=3)[["texte", "Contexte gauche", "Pivot"]]
       texte  Contexte gauche     Pivot
    0      0  social aide les  familles
    1      2              Les  familles
    """
    if unit not in ("lemma", "form"):
        raise DataError(
            f"unit=« {unit} » n'est pas reconnu.", hint="choisissez « lemma » ou « form »."
        )
    if sort not in ("text", "left", "right"):
        raise DataError(
            f"sort=« {sort} » n'est pas reconnu.",
            hint="choisissez « text », « left » ou « right ».",
        )
    words = [word] if isinstance(word, str) else list(word)
    targets = {" ".join(str(w).lower().replace("’", "'").split()) for w in words}
    tokens = corpus.tokens_view()
    values = tokens[UNIT_COLUMN[unit]].str.lower()
    hits = np.flatnonzero(values.isin(targets).to_numpy())
    if hits.size == 0:
        near = closest(next(iter(targets)), values.unique())
        hint = (
            "vouliez-vous dire " + " ou ".join(f"« {n} »" for n in near) + " ?"
            if near
            else 'vérifiez l\'orthographe, ou cherchez la forme écrite avec unit="form".'
        )
        what = "lemme" if unit == "lemma" else "forme"
        raise DataError(
            f"le {what} « {', '.join(sorted(targets))} » n'apparaît pas dans le corpus.",
            hint=hint,
        )
    texts = corpus.texts
    text_ids = tokens["texte"].to_numpy()
    starts = tokens["début"].to_numpy()
    ends = tokens["fin"].to_numpy()
    forms = tokens["forme"].to_numpy()
    n = len(tokens)
    rows = []
    for i in hits:
        t = text_ids[i]
        lo = i
        while lo > 0 and i - lo < window and text_ids[lo - 1] == t:
            lo -= 1
        hi = i
        while hi < n - 1 and hi - i < window and text_ids[hi + 1] == t:
            hi += 1
        text = texts[t]
        left_pos, right_pos = _attached(text, starts[lo], ends[hi])
        left = " ".join(text[left_pos : starts[i]].split()) if lo < i else ""
        right = " ".join(text[ends[i] : right_pos].split()) if hi > i else ""
        rows.append(
            (
                int(t),
                int(tokens["segment"].iat[i]),
                left,
                " ".join(text[starts[i] : ends[i]].split()),
                right,
                forms[i - 1] if i > lo else "",
                forms[i + 1] if i < hi else "",
            )
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "texte",
            "segment",
            "Contexte gauche",
            "Pivot",
            "Contexte droit",
            "_left",
            "_right",
        ],
    )
    if sort != "text":
        key = "_left" if sort == "left" else "_right"
        order = sorted(range(len(frame)), key=lambda r: (sort_key(frame[key].iat[r]), r))
        frame = frame.iloc[order]
    frame = frame.drop(columns=["_left", "_right"]).reset_index(drop=True)
    meta = corpus.metadata.reset_index(drop=True)
    for col in meta.columns:
        frame[col] = meta[col].to_numpy()[frame["texte"].to_numpy()]
    return frame


def repeated_segments(
    corpus: Corpus,
    min_length: int = 2,
    max_length: int = 9,
    min_freq: int = 2,
    *,
    require_active: bool = False,
) -> pd.DataFrame:
    """Inventory of repeated segments (Salem): sequences of forms occurring several times.

    A repeated segment is a sequence of ``min_length`` to ``max_length`` consecutive forms
    found at least ``min_freq`` times, never crossing strong punctuation (``. ? ! ; : …``) or a
    line break (a speaker turn). All repeated sequences are listed, including those contained
    in longer ones.

    Parameters
    ----------
    corpus
        The corpus (lemmatised on demand).
    min_length, max_length
        Shortest and longest sequences looked for, in forms.
    min_freq
        Keep the sequences found at least this many times.
    require_active
        Keep only the segments containing at least one active word (noun, verb, adjective,
        adverb), to set aside purely grammatical sequences such as « il y a ».

    Returns
    -------
    pandas.DataFrame
        Columns ``Segment``, ``Longueur`` (in forms), ``Effectif``, ``Textes`` (number of texts
        where it occurs); sorted by decreasing frequency, then decreasing length, then
        alphabetically.

    References
    ----------
    Salem, A. (1987). *Pratique des segments répétés*. Paris : Klincksieck ; Lafon, P. et
    Salem, A. (1983), *Mots* 7. Counts checked against a naive enumeration by
    ``tests/lexico/test_concordance.py``.

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
    >>> repeated_segments(corpus, min_length=2).head(3)
             Segment  Longueur  Effectif  Textes
    0    du quartier         2         3       3
    1  les bénévoles         2         2       2
    2   les familles         2         2       2
    """
    if min_length < 1 or max_length < min_length:
        raise DataError(
            f"longueurs incohérentes : min_length={min_length}, max_length={max_length}.",
            hint="prenez par exemple min_length=2 et max_length=9.",
        )
    if min_freq < 2:
        raise DataError(
            "un segment répété apparaît au moins deux fois.", hint="prenez min_freq=2 ou plus."
        )
    tokens = corpus.tokens_view()
    forms = tokens["forme"].to_numpy()
    active = (tokens["statut"] == STATUS_VALUE["active"]).to_numpy()
    chunks = tokens["bloc"].to_numpy()
    text_ids = tokens["texte"].to_numpy()
    # chunk boundaries: runs of equal chunk ids
    bounds = np.flatnonzero(np.diff(chunks)) + 1
    starts = np.concatenate([[0], bounds]).astype(int)
    stops = np.concatenate([bounds, [len(forms)]]).astype(int)

    def grams():
        for lo, hi in zip(starts, stops, strict=True):
            seq = tuple(forms[lo:hi])
            act = active[lo:hi]
            for length in range(min_length, min(max_length, hi - lo) + 1):
                for k in range(0, hi - lo - length + 1):
                    if require_active and not act[k : k + length].any():
                        continue
                    yield seq[k : k + length], int(text_ids[lo])

    counts = Counter(g for g, _ in grams())
    kept = {g for g, c in counts.items() if c >= min_freq}
    where: dict[tuple[str, ...], set[int]] = {g: set() for g in kept}
    for g, t in grams():
        if g in kept:
            where[g].add(t)
    rows = [(_join(g), len(g), counts[g], len(where[g])) for g in kept]
    rows.sort(key=lambda r: (-r[2], -r[1], sort_key(r[0])))
    frame = pd.DataFrame(rows, columns=["Segment", "Longueur", "Effectif", "Textes"])
    if frame.empty:
        return frame.astype({"Longueur": np.int64, "Effectif": np.int64, "Textes": np.int64})
    return frame
