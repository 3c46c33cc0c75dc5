# ruff: noqa: F401  (the TYPE_CHECKING imports are the static view of _EXPORTS)
"""Qualitative research: interview guide, sampling grid, RGPD documents, codebook, coded
excerpts (spreadsheet, inline tags, REFI-QDA .qdpx/.qdc), frequencies, code × profile
matrices, co-occurrences, verbatims, framework matrix, saturation, inter-coder agreement,
crossing with Reinert classes, triangulation with the survey and restitution.

Built on the corpus objects of :mod:`movsc_toolkit.lexico` (same texts, metadata and
pseudonymisation). The sources of each method are cited in its module and functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attach

if TYPE_CHECKING:  # for type checkers and editors (tests/core/test_import.py checks it matches)
    from ._agreement import (
        AgreementResult,
        agreement,
        kappa_label,
    )
    from ._codebook import (
        Codebook,
        read_codebook,
        read_qdc,
        write_qdc,
    )
    from ._coding_readers import (
        codings_from_tags,
        read_codings,
    )
    from ._codings import (
        Codings,
        locate,
    )
    from ._cooccurrences import (
        Cooccurrences,
        cooccurrences,
    )
    from ._fieldwork import (
        InterviewGuide,
        interview_guide,
        sampling_grid,
    )
    from ._framework import (
        FrameworkMatrix,
        framework_matrix,
        verbatims,
    )
    from ._frequencies import (
        CodeMatrix,
        code_frequencies,
        code_matrix,
        codes_by_class,
    )
    from ._refi import write_qdpx
    from ._refi_read import read_qdpx
    from ._restitution import (
        plot_tree,
        project_note,
        restitution,
        triangulation,
    )
    from ._rgpd import (
        RGPD_FIELDS,
        consent_form,
        information_notice,
    )
    from ._saturation import (
        Saturation,
        saturation,
    )

#: public name -> submodule defining it, imported on first use (see movsc_toolkit._lazy)
_EXPORTS = {
    "AgreementResult": "_agreement",
    "CodeMatrix": "_frequencies",
    "Cooccurrences": "_cooccurrences",
    "FrameworkMatrix": "_framework",
    "Saturation": "_saturation",
    "agreement": "_agreement",
    "code_frequencies": "_frequencies",
    "code_matrix": "_frequencies",
    "codes_by_class": "_frequencies",
    "cooccurrences": "_cooccurrences",
    "framework_matrix": "_framework",
    "kappa_label": "_agreement",
    "saturation": "_saturation",
    "verbatims": "_framework",
    "Codebook": "_codebook",
    "read_codebook": "_codebook",
    "Codings": "_codings",
    "codings_from_tags": "_coding_readers",
    "locate": "_codings",
    "read_codings": "_coding_readers",
    "RGPD_FIELDS": "_rgpd",
    "InterviewGuide": "_fieldwork",
    "consent_form": "_rgpd",
    "information_notice": "_rgpd",
    "interview_guide": "_fieldwork",
    "plot_tree": "_restitution",
    "project_note": "_restitution",
    "restitution": "_restitution",
    "sampling_grid": "_fieldwork",
    "triangulation": "_restitution",
    "read_qdc": "_codebook",
    "read_qdpx": "_refi_read",
    "write_qdc": "_codebook",
    "write_qdpx": "_refi",
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
