"""Actual amounts read from a ledger for the project tools: sums by project, line and month.

Internal helpers shared by :mod:`~movsc_toolkit.finance.monitoring` and
:mod:`~movsc_toolkit.finance.costs` (fast grouped sums over large ledgers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_date
from ._phasing import line_section
from .cerfa import (
    CHARGES,
    EMPLOIS_CVN,
    UNKNOWN_FUNDER,
    entry_labels,
    funder_for,
    line_for_account,
    prefix_table,
)
from .ledger import Ledger


def group_sum(key: np.ndarray, weights: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """Sums of ``weights`` by integer ``key`` (present keys only), without sorting when the key
    space is small (a dense count), else through ``np.unique``."""
    if space <= 20_000_000:
        sums = np.bincount(key, weights=weights, minlength=space)
        present = np.flatnonzero(np.bincount(key, minlength=space))
        return present, sums[present]
    uniq, inverse = np.unique(key, return_inverse=True)
    return uniq, np.bincount(inverse, weights=weights, minlength=len(uniq))


def actual_monthly(
    ledger: Ledger | pd.DataFrame,
    year: int | None,
    as_of: Any,
    funders: Mapping[str, str] | None,
) -> tuple[pd.DataFrame, int, pd.Timestamp]:
    """Actual amounts by (project, CERFA line, month), signed like the budget."""
    entries, year = Ledger.from_entries(ledger).select(year)
    dates = pd.to_datetime(entries["EcritureDate"])
    if as_of is None:
        as_of = dates.max()
        if pd.isna(as_of):
            raise DataError("le grand livre de l'exercice ne contient aucune écriture datée.")
        as_of = as_of + pd.offsets.MonthEnd(0)
    else:
        as_of = pd.Timestamp(as_of)
        if as_of.year != year:
            raise DataError(
                f"la date d'arrêté {format_date(as_of)} n'est pas dans l'exercice {year}.",
                hint=f"choisissez une fin de mois de {year}, par exemple as_of='{year}-08-31'.",
            )
    # every per-account decision is taken once per distinct account (fast on big ledgers)
    acc_idx, acc_values = pd.factorize(entries["CompteNum"])
    accounts_u = [str(a) for a in acc_values]
    prefixes = prefix_table()
    line_u = np.array(
        [
            line_for_account(a, prefixes) if a[:1] in "67" or a[:2] in ("86", "87") else ""
            for a in accounts_u
        ],
        dtype=object,
    )
    keep = (line_u != "")[acc_idx] & (acc_idx >= 0) & (dates <= as_of).to_numpy()
    rows = np.flatnonzero(keep)
    acc_idx = acc_idx[rows]
    line_idx = acc_idx.copy()  # index into line_u, extended below for the funders
    lines = list(line_u)
    is_74 = line_u[acc_idx] == "74"
    if is_74.any():
        texts = entry_labels(entries, rows[is_74]).to_numpy()
        pair_idx, pairs = pd.factorize(
            pd.Series(list(zip(acc_idx[is_74], texts, strict=True)), dtype=object)
        )
        extra = [
            "74 " + cat if (cat := funder_for(accounts_u[a], t, funders)) else UNKNOWN_FUNDER
            for a, t in pairs
        ]
        line_idx = line_idx.copy()
        line_idx[is_74] = len(lines) + pair_idx
        lines += extra
    line_names, small = np.unique(np.array(lines, dtype=object), return_inverse=True)
    line_idx = small[line_idx]
    is_charge_u = np.array([line_section(c) in (CHARGES, EMPLOIS_CVN) for c in line_names])
    debit = entries["Debit"].to_numpy(dtype=float)[rows]
    credit = entries["Credit"].to_numpy(dtype=float)[rows]
    net = debit - credit
    signed = np.where(is_charge_u[line_idx], net, -net)
    if "analytique" in entries.columns:
        proj_idx, proj_values = pd.factorize(entries["analytique"].fillna("").astype(str))
        proj_idx = proj_idx[rows]
    else:
        proj_idx, proj_values = np.zeros(len(rows), dtype=np.int64), pd.Index([""])
    month = dates.dt.month.to_numpy()[rows]
    n_lines, n_months = len(line_names), 13
    key = (proj_idx.astype(np.int64) * n_lines + line_idx) * n_months + month
    uniq, sums = group_sum(key, signed, len(proj_values) * n_lines * n_months)
    grouped = pd.DataFrame(
        {
            "Projet": np.asarray(proj_values, dtype=object)[uniq // (n_lines * n_months)],
            "Code": line_names[(uniq // n_months) % n_lines],
            "Mois": (uniq % n_months).astype(np.int64),
            "Réalisé": sums,
        }
    )
    return grouped, int(year), as_of
