"""Qualitative research: interview guide, sampling grid, RGPD documents, codebook, coded
excerpts (spreadsheet, inline tags, REFI-QDA .qdpx/.qdc), frequencies, code × profile
matrices, co-occurrences, verbatims, framework matrix, saturation, inter-coder agreement,
crossing with Reinert classes, triangulation with the survey and restitution.

Built on the corpus objects of :mod:`movsc_toolkit.lexico` (same texts, metadata and
pseudonymisation). Reference: ``qualitative.md``.
"""

from ._analysis import (
    AgreementResult,
    CodeMatrix,
    Cooccurrences,
    FrameworkMatrix,
    Saturation,
    agreement,
    code_frequencies,
    code_matrix,
    codes_by_class,
    cooccurrences,
    framework_matrix,
    kappa_label,
    saturation,
    verbatims,
)
from ._codebook import Codebook, read_codebook
from ._codings import Codings, codings_from_tags, locate, read_codings
from ._docs import (
    RGPD_FIELDS,
    InterviewGuide,
    consent_form,
    information_notice,
    interview_guide,
    plot_tree,
    project_note,
    restitution,
    sampling_grid,
    triangulation,
)
from ._refi import read_qdc, read_qdpx, write_qdc, write_qdpx

__all__ = [
    "RGPD_FIELDS",
    "AgreementResult",
    "CodeMatrix",
    "Codebook",
    "Codings",
    "Cooccurrences",
    "FrameworkMatrix",
    "InterviewGuide",
    "Saturation",
    "agreement",
    "code_frequencies",
    "code_matrix",
    "codes_by_class",
    "codings_from_tags",
    "consent_form",
    "cooccurrences",
    "framework_matrix",
    "information_notice",
    "interview_guide",
    "kappa_label",
    "locate",
    "plot_tree",
    "project_note",
    "read_codebook",
    "read_codings",
    "read_qdc",
    "read_qdpx",
    "restitution",
    "sampling_grid",
    "saturation",
    "triangulation",
    "verbatims",
    "write_qdc",
    "write_qdpx",
]
