"""Internal API shared by :class:`~.ledger.Ledger` and its readers (:mod:`.fec`, :mod:`.balance`).

* :func:`empty_problems`, :func:`problem_frame` and :func:`problem_table` build the problems
  table of a ledger (:class:`movsc_toolkit._problems.ProblemTable`, columns ``fichier``,
  ``ligne``, ``colonne``, ``valeur``, ``gravité``, ``message``) from vectorised checks: each
  check gives a boolean mask over the lines of a file, and the frames are put together, sorted
  by line, once per file.
* :func:`map_analytic` gives the analytic code of each line from a mapping (``read_fec(…,
  analytic={...})`` and :meth:`Ledger.with_analytic`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._problems import ProblemLog, ProblemTable

__all__ = ["empty_problems", "map_analytic", "problem_frame", "problem_table"]


def empty_problems() -> ProblemTable:
    """An empty problems table with the columns and types of a ledger's."""
    return ProblemTable(
        pd.DataFrame(
            {
                "fichier": pd.Series(dtype=object),
                "ligne": pd.Series(dtype="Int64"),
                "colonne": pd.Series(dtype=object),
                "valeur": pd.Series(dtype=object),
                "gravité": pd.Series(dtype=object),
                "message": pd.Series(dtype=object),
            }
        )
    )


def problem_table(found: list[pd.DataFrame | None], name: str) -> ProblemTable:
    """The problems of one file in the shared schema, sorted by line (stable)."""
    found = [x for x in found if x is not None and len(x)]
    if not found:
        return empty_problems()
    log = ProblemLog(fichier=name)
    log.extend(pd.concat(found, ignore_index=True))
    return log.frame()


def problem_frame(
    mask: pd.Series | np.ndarray,
    lines: pd.Series,
    column: str,
    values: pd.Series | str,
    message: str,
    severity: str,
) -> pd.DataFrame | None:
    """The problems of the lines where ``mask`` is true (``None`` when there is none).

    ``lines`` are the line numbers in the file; ``values`` the cells shown in ``valeur`` (a
    column, or one text for all); ``severity`` is ``"erreur"`` or ``"alerte"``.
    """
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return None
    if isinstance(values, str):
        vals: object = values
    elif values.dtype.kind == "M":  # dates read as dates: shown as in the file (AAAAMMJJ)
        vals = values[mask].dt.strftime("%Y%m%d").to_numpy(dtype=object)
    else:
        vals = values[mask].astype(str).to_numpy()
    return pd.DataFrame(
        {
            "ligne": lines.to_numpy()[mask],
            "colonne": column,
            "valeur": vals,
            "message": message,
            "gravité": severity,
        }
    )


def map_analytic(entries: pd.DataFrame, mapping: Mapping[str, str]) -> pd.Series:
    """Analytic code per line from a mapping by account prefix (digits) or label fragment."""
    codes = pd.Series("", index=entries.index, dtype=object)
    by_account = {str(k): v for k, v in mapping.items() if str(k).isdigit()}
    by_label = {str(k): v for k, v in mapping.items() if not str(k).isdigit()}
    # labels first, then accounts (longest prefix last so it wins)
    labels = entries["EcritureLib"].astype(str).str.casefold()
    for fragment, code in by_label.items():
        codes[labels.str.contains(fragment.casefold(), regex=False).to_numpy()] = code
    accounts = entries["CompteNum"].astype(str)
    for prefix in sorted(by_account, key=len):
        codes[accounts.str.startswith(prefix).to_numpy()] = by_account[prefix]
    return codes
