# ruff: noqa: F401  (the TYPE_CHECKING imports are the static view of _EXPORTS)
"""Lexicometry of interview transcripts, as IRaMuTeQ does it, in French.

Read a corpus (:func:`read_corpus`: IRaMuTeQ file, folder of .txt/.docx/.odt transcripts with a
metadata table), pseudonymise it (:func:`pseudonymize`), lemmatise it with spaCy
(:meth:`Corpus.lemmatize`), then count (:func:`frequencies`, :func:`lexical_table`,
:func:`document_term_matrix`), compare groups (:func:`specificities`, Lafon), read words in
context (:func:`concordance`, :func:`repeated_segments`), draw the cooccurrence tree
(:func:`similitudes`), classify the segments (:func:`reinert`, :func:`reinert_double`) and map
them (:func:`ca`). Every result is a :class:`movsc_toolkit._report.Report`: French sentences,
``to_frame()`` with exact values, ``plot(ax=…)`` where a chart helps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attach

if TYPE_CHECKING:  # for type checkers and editors (tests/core/test_import.py checks it matches)
    from ._charts import (
        plot_bars,
    )
    from ._text import (
        clean_text,
        cut_segments,
    )
    from .ca import (
        LexicalCAResult,
        ca,
    )
    from .concordance import (
        concordance,
        repeated_segments,
    )
    from .corpus import (
        Corpus,
    )
    from .counts import (
        DocumentTermMatrix,
        Frequencies,
        document_term_matrix,
        frequencies,
        lexical_table,
    )
    from .plots import (
        plot_word_cloud,
        plot_zipf,
    )
    from .privacy import (
        pseudonymize,
    )
    from .readers import (
        read_corpus,
    )
    from .reinert import (
        ReinertResult,
        reinert,
        reinert_double,
    )
    from .similitudes import (
        Similitudes,
        similitudes,
    )
    from .specificities import (
        SpecificitiesResult,
        specificities,
    )

#: public name -> submodule defining it, imported on first use (see movsc_toolkit._lazy)
_EXPORTS = {
    "LexicalCAResult": "ca",
    "ca": "ca",
    "concordance": "concordance",
    "repeated_segments": "concordance",
    "Corpus": "corpus",
    "clean_text": "_text",
    "cut_segments": "_text",
    "DocumentTermMatrix": "counts",
    "Frequencies": "counts",
    "document_term_matrix": "counts",
    "frequencies": "counts",
    "lexical_table": "counts",
    "plot_bars": "_charts",
    "plot_word_cloud": "plots",
    "plot_zipf": "plots",
    "pseudonymize": "privacy",
    "read_corpus": "readers",
    "ReinertResult": "reinert",
    "reinert": "reinert",
    "reinert_double": "reinert",
    "Similitudes": "similitudes",
    "similitudes": "similitudes",
    "SpecificitiesResult": "specificities",
    "specificities": "specificities",
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
