"""The corpus of interview transcripts: texts, metadata, thematic paragraphs, segments, lemmas.

A :class:`Corpus` holds texts (one per interview), their metadata (one column per "starred"
variable such as ``statut``) and their thematic paragraphs (``-*`` lines). It cuts the texts into
*text segments* as IRaMuTeQ does and, through spaCy (:mod:`.nlp`, on demand), gives each word its
lemma, part of speech and status (active or supplementary). Reading files is in :mod:`.readers`,
the text rules (cleaning, segments, speakers) in :mod:`._text`.

References: IRaMuTeQ 0.8 alpha 7 (Ratinaud): its text format (``corpus.py``
``BuildFromAlceste.read_corpus``), cleaning (``BuildCorpus.buildcleans``), segments
(``decouperlist``) and active / supplementary status by category (``configuration/key.cfg``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from .._format import format_number
from .._problems import ProblemLog, ProblemTable
from .._report import Report, titled_html
from .._write import output_path, write_text
from ._text import (
    EXPR_TOKEN,
    INTERVIEWER_LABELS,
    RESPONDENT_LABELS,
    SpeakerMode,
    apply_speakers,
    check_speakers,
    clean_words,
    forced_supplementary,
    iramuteq_text,
    merge_expressions,
    merge_underscored,
    paragraph_segments,
    sort_key,
    warn_escaped,
    word_list,
    word_segments,
)

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["ACTIVE_POS", "Corpus", "CorpusOptions"]

#: Parts of speech (spaCy universal tags) whose words are *active* (IRaMuTeQ's nom, ver, adj,
#: adv; ``X`` ≈ IRaMuTeQ's unrecognised ``nr`` forms; ``EXPR`` = user multi-word expressions).
#: Every other tag (AUX, DET, PRON, ADP, CCONJ, SCONJ, NUM, INTJ…) is supplementary (key.cfg).
ACTIVE_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "X", "EXPR"})

#: Column of the tokens table holding each counting unit (``unit="lemma"`` / ``"form"``).
UNIT_COLUMN = {"lemma": "lemme", "form": "forme"}
#: Value of the tokens table's ``statut`` column for each ``kind`` of word.
STATUS_VALUE = {"active": "actif", "supplementary": "supplémentaire"}
#: Columns of the segments table that are not metadata (the ``segment_matrix`` contract).
SEGMENT_COLUMNS = ("segment", "texte", "paragraphe", "contenu")

#: What is counted as a word: the lemma (dictionary form) or the form as written.
Unit = Literal["lemma", "form"]
#: Which words are kept: active (nouns, verbs…), supplementary (function words) or all.
Kind = Literal["active", "supplementary", "all"]
#: What a row of a lexical table is: a text or a text segment.
Level = Literal["text", "segment"]


@dataclass(frozen=True)
class CorpusOptions:
    """How a :class:`Corpus` cuts and lemmatises its texts: ``lowercase`` and ``segment_size``
    from :func:`read_corpus`, the others from :meth:`Corpus.lemmatize`."""

    lowercase: bool = True
    segment_size: int = 40
    model: str = "fr_core_news_sm"
    cache_dir: Any = None
    progress: bool = True
    expressions: tuple[str, ...] = ()
    supplementary: tuple[str, ...] = ()


class Corpus(Report):
    """A corpus of texts with metadata, thematic paragraphs, text segments and (on demand) lemmas.

    Build it with :func:`read_corpus` or :meth:`Corpus.from_texts`.

    Attributes
    ----------
    texts : list of str
        One string per text (its paragraphs separated by line breaks).
    metadata : pandas.DataFrame
        One row per text (index ``texte``: 0 … n−1), one column per starred variable
        (``statut``…).
    themes : list of list of str
        For each text, the thematic markers (``-*theme``) of its paragraphs, in order.
    segments, tokens : pandas.DataFrame
        One row per text segment, one row per word (see the properties).
    problems : ProblemTable
        What :func:`read_corpus` noticed while reading (columns ``[fichier,] ligne, colonne,
        valeur, gravité, message``): a variable repeated on a ``****`` line, a metadata row
        without a file name or without its file, a transcript without metadata. Empty when
        nothing was noticed.

    Examples
    --------
    >>> corpus = Corpus.from_texts(
    ...     ["Le centre social nous aide. Merci !", "Les bénévoles sont fatigués."],
    ...     {"statut": ["usager", "benevole"]},
    ... )
    >>> print(corpus)
    Corpus de 2 textes, 10 mots, 2 segments de texte (environ 40 mots chacun).
    Variable « statut » : 2 modalités.
    >>> corpus.segments[["segment", "texte", "contenu", "statut"]]
       segment  texte                              contenu    statut
    0        0      0  Le centre social nous aide. Merci !    usager
    1        1      1         Les bénévoles sont fatigués.  benevole
    """

    def __init__(
        self,
        paragraphs: Sequence[Sequence[tuple[str | None, str]]],
        metadata: pd.DataFrame | None = None,
        *,
        options: CorpusOptions | None = None,
        problems: pd.DataFrame | None = None,
    ) -> None:
        self._paragraphs = tuple(tuple((t, str(p)) for t, p in text) for text in paragraphs)
        n = len(self._paragraphs)
        if metadata is None:
            metadata = pd.DataFrame(index=pd.RangeIndex(n))
        if len(metadata) != n:
            raise DataError(
                f"les métadonnées ont {len(metadata)} lignes pour {n} textes.",
                hint="donnez une ligne de métadonnées par texte, dans le même ordre.",
            )
        meta = metadata.reset_index(drop=True).copy()
        meta.index = pd.RangeIndex(n, name="texte")
        self._metadata = meta
        self._options = options or CorpusOptions()
        self._problems = ProblemLog().frame() if problems is None else ProblemTable(problems)
        self._segments: tuple[pd.DataFrame, np.ndarray, np.ndarray] | None = None
        self._tokens: pd.DataFrame | None = None

    # ---- construction -----------------------------------------------------------------------

    @classmethod
    def from_texts(
        cls,
        texts: Iterable[str],
        metadata: pd.DataFrame | dict[str, Sequence[Any]] | None = None,
        *,
        speakers: SpeakerMode = "keep",
        lowercase: bool = True,
        segment_size: int = 40,
    ) -> Corpus:
        """Build a corpus from strings (one per text) and optional metadata (one row per text).

        Examples
        --------
        >>> corpus = Corpus.from_texts(
        ...     ["Le centre social nous aide.", "Les bénévoles sont fatigués."],
        ...     {"statut": ["usager", "benevole"]},
        ... )
        >>> len(corpus)
        2
        """
        check_speakers(speakers)
        texts = [str(t) for t in texts]
        if metadata is not None and not isinstance(metadata, pd.DataFrame):
            metadata = pd.DataFrame(dict(metadata))
        paragraphs = []
        for i, text in enumerate(texts):
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            kept = apply_speakers(lines, speakers, INTERVIEWER_LABELS, RESPONDENT_LABELS)
            body = "\n".join(ln.rstrip() for ln in kept if ln is not None and ln.strip())
            if not re.search(r"\w", body):
                raise DataError(
                    f"le texte n° {i + 1} est vide (aucun mot).",
                    hint="retirez ce texte ou vérifiez son contenu.",
                )
            paragraphs.append([(None, body)])
        return cls(
            paragraphs,
            metadata,
            options=CorpusOptions(lowercase=lowercase, segment_size=segment_size),
        )

    def _replace(self, **changes: Any) -> Corpus:
        options = CorpusOptions(**{**self._options.__dict__, **changes})
        new = Corpus(self._paragraphs, self._metadata, options=options, problems=self._problems)
        if options.segment_size == self._options.segment_size:
            new._segments = self._segments
        return new

    def subset(self, mask: Sequence[bool] | pd.Series | None = None, **equals: Any) -> Corpus:
        """The texts selected by a boolean mask (one value per text) or by metadata values.

        Examples
        --------
        >>> corpus = Corpus.from_texts(["Bonjour.", "Merci.", "Au revoir."], {"g": ["a", "b", "a"]})
        >>> len(corpus.subset(g="a")), len(corpus.subset([True, False, False]))
        (2, 1)
        """
        keep = np.ones(len(self), dtype=bool)
        if mask is not None:
            values = np.asarray(mask, dtype=bool)
            if values.shape != (len(self),):
                raise DataError(
                    f"le filtre a {values.size} valeurs pour {len(self)} textes.",
                    hint="donnez une valeur vraie ou fausse par texte, dans l'ordre des textes.",
                )
            keep &= values
        for variable, value in equals.items():
            if variable not in self._metadata.columns:
                raise column_error(variable, self._metadata.columns, what="variable")
            column = self._metadata[variable].astype(object)
            wanted = value if isinstance(value, list | tuple | set) else [value]
            keep &= column.isin(list(wanted)).to_numpy()
        if not keep.any():
            raise DataError(
                "aucun texte ne correspond à ce filtre.",
                hint="vérifiez les modalités avec corpus.metadata[variable].unique().",
            )
        rows = np.flatnonzero(keep)
        return Corpus(
            [self._paragraphs[i] for i in rows],
            self._metadata.iloc[rows],
            options=self._options,
            problems=self._problems,
        )

    # ---- basic accessors --------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._paragraphs)

    @property
    def texts(self) -> list[str]:
        """The texts, paragraphs separated by line breaks."""
        return ["\n".join(p for _, p in text) for text in self._paragraphs]

    @property
    def metadata(self) -> pd.DataFrame:
        """One row per text, one column per starred variable (a copy)."""
        return self._metadata.copy()

    @property
    def problems(self) -> ProblemTable:
        """What was noticed while reading the corpus (a copy; empty when nothing)."""
        return ProblemTable(pd.DataFrame(self._problems).copy())

    @property
    def themes(self) -> list[list[str]]:
        """For each text, the thematic markers of its paragraphs (``-*`` lines), in order."""
        return [[t for t, _ in text if t is not None] for text in self._paragraphs]

    @property
    def paragraphs(self) -> list[list[tuple[str | None, str]]]:
        """For each text, its paragraphs as ``(theme or None, text)`` pairs."""
        return [list(text) for text in self._paragraphs]

    @property
    def n_words(self) -> int:
        """Number of words (letters/digits sequences, apostrophes and hyphens split)."""
        return sum(len(re.findall(r"\w+", t)) for t in self.texts)

    @property
    def options(self) -> CorpusOptions:
        """How the corpus cuts and lemmatises its texts (segment size, spaCy model…)."""
        return self._options

    def with_paragraphs(self, paragraphs: Sequence[Sequence[tuple[str | None, str]]]) -> Corpus:
        """The same corpus (metadata and options) with other paragraphs, e.g. pseudonymised.

        ``paragraphs`` has one list of ``(theme or None, text)`` pairs per text, as
        :attr:`paragraphs` gives them, for the same texts in the same order.
        """
        return Corpus(paragraphs, self._metadata, options=self._options)

    # ---- segments -----------------------------------------------------------------------

    def segment_spans(self) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
        """The segments table and each segment's character span in its text (no copy).

        Returns
        -------
        (segments, starts, ends)
            The cached :attr:`segments` table (do not modify it: it is shared) and two integer
            arrays: the offsets of each segment's first and past-the-last characters in
            ``texts[segments["texte"]]``. For the toolkit's own modules (qualitative codings);
            use :attr:`segments` for a copy.
        """
        if self._segments is not None:
            return self._segments
        rows_text, rows_para, starts, ends, shown = [], [], [], [], []
        size = self._options.segment_size
        paragraph_id = -1
        for text_id, text in enumerate(self._paragraphs):
            offset = 0
            for _, para in text:
                paragraph_id += 1
                for start, end in paragraph_segments(para, size):
                    rows_text.append(text_id)
                    rows_para.append(paragraph_id)
                    starts.append(offset + start)
                    ends.append(offset + end)
                    shown.append(" ".join(para[start:end].split()))
                offset += len(para) + 1
        frame = pd.DataFrame(
            {
                "segment": np.arange(len(starts), dtype=np.int64),
                "texte": np.asarray(rows_text, dtype=np.int64),
                "paragraphe": np.asarray(rows_para, dtype=np.int64),
                "contenu": shown,
            }
        )
        meta = self._metadata.reset_index(drop=True)
        meta_rows = meta.iloc[frame["texte"].to_numpy()].reset_index(drop=True)
        for col in meta.columns:
            if col in frame.columns:
                raise DataError(
                    f"la variable de métadonnées « {col} » porte un nom réservé.",
                    hint="renommez-la (segment, texte, paragraphe et contenu sont réservés).",
                )
            frame[col] = meta_rows[col].to_numpy()
        self._segments = (frame, np.asarray(starts, np.int64), np.asarray(ends, np.int64))
        return self._segments

    @property
    def segments(self) -> pd.DataFrame:
        """One row per text segment, in corpus order (a copy): ``segment``, ``texte``,
        ``paragraphe`` (0-based numbers), ``contenu`` (as written) and the text's metadata."""
        return self.segment_spans()[0].copy()

    # ---- spaCy --------------------------------------------------------------------------

    def lemmatize(
        self,
        *,
        progress: bool = True,
        cache_dir: str | PathLike[str] | bool | None = None,
        expressions: Iterable[str] | str | PathLike[str] | None = None,
        supplementary: Iterable[str] | str | PathLike[str] | None = None,
        model: str = "fr_core_news_sm",
    ) -> Corpus:
        """Return the corpus with its words lemmatised by spaCy (computed now, then reused).

        Parameters
        ----------
        progress
            Show a progress bar while spaCy works (``False`` in notebooks).
        cache_dir
            Where parsed texts are cached (``None``: default, ``False``: no cache).
        expressions
            Multi-word expressions to merge into one word, e.g. ``["centre social",
            "accueil de loisirs"]``; matched on forms or lemmas (``centres sociaux`` too). Or the
            path of a text file with one expression per line (a user dictionary; lines starting
            with ``#`` are comments).
        supplementary
            Lemmas to treat as supplementary whatever their part of speech (IRaMuTeQ lets the
            user change a form's status the same way), e.g. ``["ne", "pas", "avoir", "être"]``,
            or the path of a text file with one lemma per line.
        model
            Installed spaCy model.
        """
        expressions = word_list(expressions)
        exprs = tuple(
            dict.fromkeys(" ".join(e.lower().replace("’", "'").split()) for e in expressions)
        )
        forced = tuple(sorted({str(w).lower().strip() for w in word_list(supplementary)}))
        new = self._replace(
            progress=progress,
            cache_dir=cache_dir,
            expressions=exprs,
            supplementary=forced,
            model=model,
        )
        new.tokens_view()
        return new

    @property
    def tokens(self) -> pd.DataFrame:
        """One row per word: form, lemma, part of speech and status (spaCy, cached; a copy).

        Columns: ``texte``, ``segment`` (numbers), ``début``, ``fin`` (character offsets in the
        text), ``forme``, ``lemme``, ``catégorie`` (universal part of speech: ``NOUN``…),
        ``statut`` (``"actif"`` / ``"supplémentaire"``), ``bloc`` (run of words between two
        strong punctuation marks or line breaks, used by :func:`repeated_segments`).
        """
        return self.tokens_view().copy()

    def tokens_view(self) -> pd.DataFrame:
        """The :attr:`tokens` table itself, not a copy (lemmatised by spaCy on first use).

        The table is cached and shared by every analysis of the corpus: read it, never modify
        it (use :attr:`tokens` for a copy you may change). Counting functions use it to avoid
        copying hundreds of thousands of rows.
        """
        if self._tokens is not None:
            return self._tokens
        from . import nlp

        opts = self._options
        units: list[tuple[int, int, str]] = []
        for text_id, text in enumerate(self.texts):
            offset = 0
            for line in text.split("\n"):
                if line.strip():
                    units.append((text_id, offset, line))
                offset += len(line) + 1
        parsed = nlp.parse(
            [u[2] for u in units],
            model=opts.model,
            cache_dir=opts.cache_dir,
            progress=opts.progress,
        )
        expressions = [tuple(EXPR_TOKEN.findall(e)) for e in opts.expressions]
        expressions = sorted({e for e in expressions if e}, key=len, reverse=True)
        texts = self.texts
        lowercase = opts.lowercase
        rows: list[tuple] = []
        chunk = 0
        for (text_id, offset, line), doc in zip(units, parsed, strict=True):
            chunk += 1
            words, chunk = clean_words(doc.tokens, line, offset, lowercase, chunk)
            if "_" in line:
                words = merge_underscored(words, line, offset, lowercase)
            if expressions:
                words = merge_expressions(words, expressions, texts[text_id], lowercase)
            rows.extend((text_id, *w) for w in words)
        frame = pd.DataFrame.from_records(
            rows, columns=["texte", "début", "fin", "forme", "lemme", "catégorie", "bloc"]
        )
        chunks = frame.pop("bloc").to_numpy()
        frame["texte"] = frame["texte"].astype(np.int64)
        frame["début"] = frame["début"].astype(np.int64)
        frame["fin"] = frame["fin"].astype(np.int64)
        segments, seg_starts, _ = self.segment_spans()
        frame.insert(
            1,
            "segment",
            word_segments(frame["texte"], frame["début"], segments["texte"], seg_starts),
        )
        forced = forced_supplementary(frame["forme"], frame["lemme"], opts.supplementary)
        active = frame["catégorie"].isin(ACTIVE_POS) & ~forced
        frame["statut"] = np.where(active, STATUS_VALUE["active"], STATUS_VALUE["supplementary"])
        frame["bloc"] = np.asarray(chunks, dtype=np.int64)
        self._tokens = frame
        return frame

    # ---- matrices -----------------------------------------------------------------------

    def term_matrix(
        self,
        level: Level = "text",
        *,
        unit: Unit = "lemma",
        kind: Kind = "all",
        min_freq: int = 1,
        binary: bool = False,
    ) -> tuple[sparse.csr_matrix, pd.Index]:
        """Sparse matrix of counts, one row per text or segment, one column per term.

        Parameters
        ----------
        level
            ``"text"`` or ``"segment"``: what a row is.
        unit
            ``"lemma"`` or ``"form"``: what is counted as a word.
        kind
            ``"all"``, ``"active"`` or ``"supplementary"`` words.
        min_freq
            Keep the terms with at least this many occurrences in the corpus.
        binary
            Presence (1) instead of counts.

        Returns
        -------
        (matrix, terms)
            ``scipy.sparse.csr_matrix`` of integers (rows in corpus order) and the terms
            (``pandas.Index`` in French alphabetical order, one per column).
        """
        from scipy import sparse

        if unit not in ("lemma", "form"):
            raise DataError(
                f"unit=« {unit} » n'est pas reconnu.", hint="choisissez « lemma » ou « form »."
            )
        if kind not in ("active", "supplementary", "all"):
            raise DataError(
                f"kind=« {kind} » n'est pas reconnu.",
                hint="choisissez « active », « supplementary » ou « all ».",
            )
        tokens = self.tokens_view()
        if kind != "all":
            tokens = tokens[tokens["statut"] == STATUS_VALUE[kind]]
        column = UNIT_COLUMN[unit]
        freq = tokens[column].value_counts()
        terms = pd.Index(sorted(freq.index[freq >= min_freq], key=sort_key), name=column)
        tokens = tokens[tokens[column].isin(terms)]
        col = terms.get_indexer(tokens[column])
        if level not in ("text", "segment"):
            raise DataError(
                f"level=« {level} » n'est pas reconnu.",
                hint="choisissez « text » (une ligne par texte) ou « segment ».",
            )
        row_key = "segment" if level == "segment" else "texte"
        n_rows = len(self.segment_spans()[0]) if level == "segment" else len(self)
        matrix = sparse.csr_matrix(
            (np.ones(len(col), dtype=np.int64), (tokens[row_key].to_numpy(), col)),
            shape=(n_rows, len(terms)),
        )
        matrix.sum_duplicates()
        if binary:
            matrix.data[:] = 1
        return matrix, terms

    def segment_matrix(
        self,
        kind: Kind = "active",
        unit: Unit = "lemma",
        min_freq: int = 3,
    ) -> tuple[sparse.csr_matrix, pd.DataFrame, pd.Index]:
        """Binary segments × terms presence matrix (input of the Reinert classification).

        Parameters
        ----------
        kind
            ``"active"`` (nouns, verbs, adjectives, adverbs…), ``"supplementary"`` (function
            words) or ``"all"``.
        unit
            ``"lemma"`` or ``"form"``.
        min_freq
            Keep terms with at least this many occurrences in the corpus (IRaMuTeQ: 3).

        Returns
        -------
        (matrix, segments, terms)
            ``scipy.sparse.csr_matrix`` of 0/1 (one row per segment, in corpus order, including
            segments without any kept term), the :attr:`segments` table and the terms
            (``pandas.Index``, alphabetical, one per column).
        """
        matrix, terms = self.term_matrix(
            "segment", unit=unit, kind=kind, min_freq=min_freq, binary=True
        )
        return matrix, self.segments, terms

    # ---- export -------------------------------------------------------------------------

    def to_iramuteq(self, path: str | PathLike[str]) -> Path:
        """Write the corpus in IRaMuTeQ format (UTF-8): ``****`` lines, ``-*`` themes, texts.

        Variable names lose their spaces and ``_`` (replaced by ``-``), modalities their spaces
        (replaced by ``-``), since IRaMuTeQ splits ``*variable_modalite`` on the first ``_``;
        missing values are left out. A line of text that would read as a new text (``****``)
        or a theme (``-*``) gets a space after its first character (``* ***``, ``- *``), with a
        warning: the file then reads back with the same texts.
        """
        path = output_path(path, (".txt",), "le corpus IRaMuTeQ")
        text, escaped = iramuteq_text(self._paragraphs, self._metadata)
        if escaped:
            warn_escaped(escaped)
        return write_text(path, text, suffixes=(".txt",), what="le corpus IRaMuTeQ")

    # ---- display ------------------------------------------------------------------------

    def _lines(self) -> list[str]:
        seg = self.segment_spans()[0]
        lines = [
            f"Corpus de {len(self)} textes, {format_number(self.n_words, 0)} mots, "
            f"{format_number(len(seg), 0)} segments de texte "
            f"(environ {self._options.segment_size} mots chacun)."
        ]
        for col in self._metadata.columns:
            n = self._metadata[col].nunique()
            lines.append(f"Variable « {col} » : {n} modalité{'s' if n > 1 else ''}.")
        n_themes = sum(len(t) for t in self.themes)
        if n_themes:
            lines.append(f"{n_themes} paragraphes thématiques (lignes -*).")
        if len(self._problems):
            lines.append(
                f"{len(self._problems)} problème(s) relevé(s) à la lecture : voir corpus.problems."
            )
        return lines

    def _html_tables(self) -> str:
        if not len(self._metadata.columns):
            return ""
        return titled_html(self._metadata.head(10), "Métadonnées (10 premiers textes)")

    def to_frame(self) -> pd.DataFrame:
        """The metadata, one row per text (a copy): the corpus's table, as :attr:`metadata`."""
        return self._metadata.copy()
