# ruff: noqa: F401  (the TYPE_CHECKING imports are the static view of _EXPORTS)
"""Qualitative research: interview guide, sampling grid, RGPD documents, codebook, coded
excerpts (spreadsheet, inline tags, REFI-QDA .qdpx/.qdc), frequencies, code × profile
matrices, co-occurrences, verbatims, framework matrix, saturation, inter-coder agreement,
crossing with Reinert classes, triangulation with the survey and restitution.

Built on the corpus objects of :mod:`movsc_toolkit.lexico` (same texts, metadata and
pseudonymisation). Reference: ``qualitative.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attach

if TYPE_CHECKING:  # for type checkers and editors (tests/core/test_import.py checks it matches)
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
    from ._codebook import (
        Codebook,
        read_codebook,
    )
    from ._codings import (
        Codings,
        codings_from_tags,
        locate,
        read_codings,
    )
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
    from ._refi import (
        read_qdc,
        read_qdpx,
        write_qdc,
        write_qdpx,
    )

#: public name -> submodule defining it, imported on first use (see movsc_toolkit._lazy)
_EXPORTS = {
    "AgreementResult": "_analysis",
    "CodeMatrix": "_analysis",
    "Cooccurrences": "_analysis",
    "FrameworkMatrix": "_analysis",
    "Saturation": "_analysis",
    "agreement": "_analysis",
    "code_frequencies": "_analysis",
    "code_matrix": "_analysis",
    "codes_by_class": "_analysis",
    "cooccurrences": "_analysis",
    "framework_matrix": "_analysis",
    "kappa_label": "_analysis",
    "saturation": "_analysis",
    "verbatims": "_analysis",
    "Codebook": "_codebook",
    "read_codebook": "_codebook",
    "Codings": "_codings",
    "codings_from_tags": "_codings",
    "locate": "_codings",
    "read_codings": "_codings",
    "RGPD_FIELDS": "_docs",
    "InterviewGuide": "_docs",
    "consent_form": "_docs",
    "information_notice": "_docs",
    "interview_guide": "_docs",
    "plot_tree": "_docs",
    "project_note": "_docs",
    "restitution": "_docs",
    "sampling_grid": "_docs",
    "triangulation": "_docs",
    "read_qdc": "_refi",
    "read_qdpx": "_refi",
    "write_qdc": "_refi",
    "write_qdpx": "_refi",
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
