"""The *Charges indirectes* block of the CERFA 12156 budget and of the CERFA 15059 report.

The indirect charges a project receives through the allocation keys (:func:`~movsc_toolkit.
finance.full_costs`) are shown on the forms in three lines (:data:`CERFA_INDIRECT_LINES`):
:func:`indirect_block` groups a project's column of the allocation table into them, and
:func:`indirect_report` puts the planned block (CERFA 12156, from the budget) beside the actual
one (compte rendu financier, CERFA 15059, from the ledger), with the gaps the arrêté of
11 October 2006 asks for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from ._allocation import to_cents

if TYPE_CHECKING:
    from .costs import FullCosts

__all__ = ["CERFA_INDIRECT_LINES", "indirect_report"]

#: The three lines of the *Charges indirectes* block of the CERFA 12156 project budget (and of
#: the compte rendu financier, CERFA 15059). The labels are configurable in :meth:`FullCosts.cerfa
#: <movsc_toolkit.finance.FullCosts.cerfa>`.
CERFA_INDIRECT_LINES: tuple[str, ...] = (
    "Charges fixes de fonctionnement",
    "Frais financiers",
    "Autres",
)


def indirect_block(
    costs: FullCosts,
    project: str,
    *,
    lines: Mapping[str, str] | None = None,
    labels: Sequence[str] = CERFA_INDIRECT_LINES,
) -> pd.Series:
    """The project's block of indirect charges (see :meth:`FullCosts.cerfa
    <movsc_toolkit.finance.FullCosts.cerfa>`, which documents the parameters)."""
    if project not in costs.projects:
        raise column_error(project, costs.projects, what="projet")
    labels = list(labels)
    if len(labels) != 3:
        raise DataError(
            "il faut trois libellés de lignes (charges fixes, frais financiers, autres).",
            hint="par exemple labels=('Charges fixes de fonctionnement', 'Frais financiers', "
            "'Autres').",
        )
    column = costs.table[project].drop("Total")
    out = pd.Series(0, index=labels, dtype=np.int64)
    for group, amount in column.items():
        line = (lines or {}).get(str(group)) or _default_line(costs, str(group), labels)
        if line not in labels:
            raise DataError(
                f"la ligne « {line} » choisie pour le groupe « {group} » n'est pas une ligne "
                "des charges indirectes.",
                hint="lignes possibles : " + ", ".join(f"« {x} »" for x in labels) + ".",
            )
        out[line] += to_cents(amount)
    out = out / 100
    out.loc["Total des charges indirectes"] = to_cents(column.sum()) / 100
    out.name = project
    out.index.name = "Charges indirectes affectées à l'action"
    return out


def _default_line(costs: FullCosts, group: str, labels: list[str]) -> str:
    rule = costs.rules.loc[group] if group in costs.rules.index else None
    accounts = "" if rule is None else str(rule["Comptes"])
    if accounts and all(p.startswith("66") for p in accounts.split()):
        return labels[1]
    centre = group.split(":")[0].casefold()
    if any(w in centre for w in ("local", "locaux", "bâtiment", "batiment", "immobilier")):
        return labels[0]
    return labels[2]


def indirect_report(
    planned: FullCosts,
    actual: FullCosts,
    project: str,
    *,
    lines: Mapping[str, str] | None = None,
    labels: Sequence[str] = CERFA_INDIRECT_LINES,
) -> pd.DataFrame:
    """The *Charges indirectes* block of the compte rendu financier (CERFA 15059) of a project.

    ``Prévision`` comes from the budget's allocation (:func:`budget_full_costs`, what the CERFA
    12156 showed), ``Réalisation`` from the ledger's (:func:`full_costs`), with the gaps in € and
    % the arrêté of 11 October 2006 asks for. Use the **same keys** on both sides, or explain the
    change in the annex.

    Parameters
    ----------
    planned, actual
        The allocation of the budget (:func:`~movsc_toolkit.finance.budget_full_costs`) and
        of the ledger (:func:`~movsc_toolkit.finance.full_costs`).
    project
        The project (analytic code) the report is for.
    lines, labels
        As for :meth:`FullCosts.cerfa <movsc_toolkit.finance.FullCosts.cerfa>`: the line of
        each group of indirect charges, and the three line labels.

    Returns
    -------
    pandas.DataFrame
        One row per line and ``Total des charges indirectes``: ``Prévision (€)``,
        ``Réalisation (€)``, ``Écart (€)`` and ``Écart (%)`` (empty when nothing was planned).

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> comptes = datasets.load("maison_quartier_analytique")
    >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
    >>> budget = finance.read_budget(
    ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
    >>> regles = {"locaux": "m2", "administration": "etp"}
    >>> prevu = finance.budget_full_costs(budget, cles, regles, key_year=2025)
    >>> reel = finance.full_costs(comptes, cles, regles, 2026, key_year=2025)
    >>> bloc = finance.indirect_report(prevu, reel, "accueil_jeunes")
    >>> bloc["Prévision (€)"].tolist()
    [27178.26, 0.0, 45136.96, 72315.22]
    >>> bloc["Écart (€)"].round(2).tolist()
    [-6843.51, 0.0, -11118.4, -17961.91]

    References
    ----------
    Compte rendu financier de l'action, CERFA n° 15059 (arrêté du 11 octobre 2006 relatif au
    compte rendu financier prévu par l'article 10 de la loi n° 2000-321); budget of the action,
    CERFA n° 12156. ``tests/finance/test_costs.py::test_budget_and_compte_rendu_use_the_same_keys``
    checks that both sides add up to their allocation tables.
    """
    prev = planned.cerfa(project, lines=lines, labels=labels)
    real = actual.cerfa(project, lines=lines, labels=labels)
    out = pd.DataFrame({"Prévision (€)": prev, "Réalisation (€)": real})
    out["Écart (€)"] = out["Réalisation (€)"] - out["Prévision (€)"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["Écart (%)"] = (100 * out["Écart (€)"] / out["Prévision (€)"]).where(
            out["Prévision (€)"] != 0
        )
    out.index.name = prev.index.name
    return out
