"""survey subpackage (in progress)."""

from .association import (
    Chi2Result,
    FisherResult,
    MeansResult,
    chi2_test,
    compare_means,
    cramers_v,
    fisher_test,
)
from .sampling import RakeResult, margin_of_error, quotas, rake, sample_size
from .tables import crosstab, freq, multi_response, pivot

__all__: list[str] = [
    "Chi2Result",
    "FisherResult",
    "MeansResult",
    "RakeResult",
    "chi2_test",
    "compare_means",
    "cramers_v",
    "crosstab",
    "fisher_test",
    "freq",
    "margin_of_error",
    "multi_response",
    "pivot",
    "quotas",
    "rake",
    "sample_size",
]
