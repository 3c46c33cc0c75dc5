"""lexico subpackage (in progress)."""

from .ca import LexicalCAResult, ca
from .concordance import concordance, repeated_segments
from .corpus import Corpus, clean_text, cut_segments, read_corpus
from .counts import (
    DocumentTermMatrix,
    Frequencies,
    document_term_matrix,
    frequencies,
    lexical_table,
)
from .plots import bar_chart, word_cloud, zipf_plot
from .privacy import pseudonymize
from .reinert import ReinertResult, reinert, reinert_double
from .similitudes import Similitudes, similitudes
from .specificities import SpecificitiesResult, specificities

__all__: list[str] = [
    "Corpus",
    "DocumentTermMatrix",
    "Frequencies",
    "LexicalCAResult",
    "ReinertResult",
    "Similitudes",
    "SpecificitiesResult",
    "bar_chart",
    "ca",
    "clean_text",
    "concordance",
    "cut_segments",
    "document_term_matrix",
    "frequencies",
    "lexical_table",
    "pseudonymize",
    "read_corpus",
    "reinert",
    "reinert_double",
    "repeated_segments",
    "similitudes",
    "specificities",
    "word_cloud",
    "zipf_plot",
]
