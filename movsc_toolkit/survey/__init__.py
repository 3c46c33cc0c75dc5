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
from .tables import crosstab, freq, multi_response, pivot

__all__: list[str] = [
    "Chi2Result",
    "FisherResult",
    "MeansResult",
    "chi2_test",
    "compare_means",
    "cramers_v",
    "crosstab",
    "fisher_test",
    "freq",
    "multi_response",
    "pivot",
]
