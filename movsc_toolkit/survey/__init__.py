"""survey subpackage (in progress)."""

from .association import (
    Chi2Result,
    FisherResult,
    MeansResult,
    chi2_test,
    compare_means,
    cramers_v,
    fisher_test,
    strength_thresholds,
)
from .design import (
    Choice,
    Operationalisation,
    Question,
    Questionnaire,
    read_operationalisation,
    read_xlsform,
)
from .export import to_excel
from .limesurvey import read_limesurvey_structure
from .mca import MCAResult, mca
from .plots import plot_crosstab, plot_freq
from .responses import ProblemTable, read_responses
from .sampling import RakeResult, margin_of_error, quotas, rake, sample_size
from .scales import AlphaResult, LikertResult, cronbach_alpha, known_scale_order, likert
from .tables import crosstab, freq, multi_response, pivot

__all__: list[str] = [
    "AlphaResult",
    "Chi2Result",
    "Choice",
    "FisherResult",
    "LikertResult",
    "MCAResult",
    "MeansResult",
    "Operationalisation",
    "ProblemTable",
    "Question",
    "Questionnaire",
    "RakeResult",
    "chi2_test",
    "compare_means",
    "cramers_v",
    "cronbach_alpha",
    "crosstab",
    "fisher_test",
    "freq",
    "known_scale_order",
    "likert",
    "margin_of_error",
    "mca",
    "multi_response",
    "pivot",
    "plot_crosstab",
    "plot_freq",
    "quotas",
    "rake",
    "read_limesurvey_structure",
    "read_operationalisation",
    "read_responses",
    "read_xlsform",
    "sample_size",
    "strength_thresholds",
    "to_excel",
]
