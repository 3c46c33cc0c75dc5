# ruff: noqa: F401  (the TYPE_CHECKING imports are the static view of _EXPORTS)
"""Surveys: design a questionnaire (XLSForm), read the answers, analyse them.

Questionnaire and operationalisation (:class:`Questionnaire`, :func:`read_xlsform`,
:class:`Operationalisation`), reading exports (:func:`read_responses`), sampling and raking
(:func:`sample_size`, :func:`rake`), tables (:func:`freq`, :func:`crosstab`, :func:`pivot`,
:func:`multi_response`), tests of association (:func:`chi2_test`, :func:`fisher_test`,
:func:`compare_means`), scales (:func:`likert`, :func:`cronbach_alpha`), the ACM
(:func:`mca`), charts and the export of tables to a workbook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attach

if TYPE_CHECKING:  # for type checkers and editors (tests/core/test_import.py checks it matches)
    from .association import (
        Chi2Result,
        chi2_test,
        cramers_v,
        strength_thresholds,
    )
    from .export import (
        to_excel,
    )
    from .fisher import (
        FisherResult,
        fisher_test,
    )
    from .limesurvey import (
        read_limesurvey_structure,
    )
    from .mca import (
        mca,
    )
    from .mca_result import (
        MCAResult,
    )
    from .means import (
        MeansResult,
        compare_means,
    )
    from .multi_response import (
        multi_response,
    )
    from .operationalisation import (
        Operationalisation,
        read_operationalisation,
    )
    from .pivot import (
        pivot,
    )
    from .plots import (
        plot_crosstab,
        plot_freq,
    )
    from .question import (
        Choice,
        Question,
    )
    from .questionnaire import (
        Questionnaire,
    )
    from .reliability import (
        AlphaResult,
        cronbach_alpha,
    )
    from .responses import (
        ProblemTable,
        read_responses,
    )
    from .sampling import (
        RakeResult,
        margin_of_error,
        quotas,
        rake,
        sample_size,
    )
    from .scales import (
        LikertResult,
        known_scale_order,
        likert,
    )
    from .tables import (
        crosstab,
        freq,
    )
    from .xlsform import (
        read_xlsform,
    )

#: public name -> submodule defining it, imported on first use (see movsc_toolkit._lazy)
_EXPORTS = {
    "Chi2Result": "association",
    "FisherResult": "fisher",
    "MeansResult": "means",
    "chi2_test": "association",
    "compare_means": "means",
    "cramers_v": "association",
    "fisher_test": "fisher",
    "strength_thresholds": "association",
    "Choice": "question",
    "Operationalisation": "operationalisation",
    "Question": "question",
    "Questionnaire": "questionnaire",
    "read_operationalisation": "operationalisation",
    "read_xlsform": "xlsform",
    "to_excel": "export",
    "read_limesurvey_structure": "limesurvey",
    "MCAResult": "mca_result",
    "mca": "mca",
    "plot_crosstab": "plots",
    "plot_freq": "plots",
    "ProblemTable": "responses",
    "read_responses": "responses",
    "RakeResult": "sampling",
    "margin_of_error": "sampling",
    "quotas": "sampling",
    "rake": "sampling",
    "sample_size": "sampling",
    "AlphaResult": "reliability",
    "LikertResult": "scales",
    "cronbach_alpha": "reliability",
    "known_scale_order": "scales",
    "likert": "scales",
    "crosstab": "tables",
    "freq": "tables",
    "multi_response": "multi_response",
    "pivot": "pivot",
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
