"""Reading a trial balance (*balance générale*) from Excel, Calc or CSV into a
:class:`~.ledger.Ledger`: one line per account, subtotal lines (``6``, ``60``, ``606`` above
``606100``) kept out and reported, blank cells reported unless the other column carries the
amount."""

from __future__ import annotations

import re
from collections.abc import Sequence
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import ColumnError, DataError
from .._format import format_number
from .._parse import fold
from ._amounts import read_amounts
from ._books import problem_frame, problem_table
from .accounts import account_info
from .ledger import Ledger

__all__ = ["read_balance"]

# Trial balance
# --------------------------------------------------------------------------------------------

_BAL_ACCOUNT = ["comptenum", "compte", "numerodecompte", "ndecompte", "numcompte", "nocompte"]
_BAL_LABEL = ["comptelib", "libelle", "intitule", "libelleducompte", "intituleducompte"]
_BAL_DEBIT = ["debit", "totaldebit", "mouvementsdebit", "cumuldebit", "debits"]
_BAL_CREDIT = ["credit", "totalcredit", "mouvementscredit", "cumulcredit", "credits"]
_BAL_SD = ["soldedebiteur", "soldedebit", "soldefinaldebiteur"]
_BAL_SC = ["soldecrediteur", "soldecredit", "soldefinalcrediteur"]
_BAL_SOLDE = ["solde", "soldefinal"]


def _plain(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(name))


def _find(columns: Sequence[str], candidates: list[str]) -> str | None:
    plain = {_plain(c): c for c in columns}
    for cand in candidates:
        if cand in plain:
            return plain[cand]
    return None


def read_balance(
    path: str | PathLike[str],
    *,
    year: int | None = None,
    sheet: str | int | None = None,
) -> Ledger:
    """Read a trial balance (*balance générale*) from Excel, Calc or CSV into a :class:`Ledger`.

    The table needs an account column (``Compte``, ``N° de compte``, ``CompteNum``…), optionally
    a label (``Libellé``, ``Intitulé``), and either ``Débit`` and ``Crédit`` columns (totals or
    balances), or ``Solde débiteur`` and ``Solde créditeur``, or a signed ``Solde`` (debit
    positive). Each account becomes one line of ``ledger.entries`` (journal ``BAL``), so every
    statement and indicator works on it; ``ligne`` is the row's line in the file.

    Amounts are read by the shared parser (``1 234,56``, ``1.234,56``, whole euros ``12.000``
    = 12 000 €). A blank cell is 0 when the other column carries the amount; an account with
    no amount at all is reported. Subtotal lines — an account that is a strict prefix of other
    accounts of the file (``6``, ``60``, ``606`` above ``606100``) and repeats the sum of the
    accounts under it, or a title without amount — are left out and reported; a prefix account
    whose amount is not that sum is kept as a real account (``706`` next to ``7063``) and
    reported. Rows without an account number (totals) and accounts listed twice are reported.

    Parameters
    ----------
    path
        The file (read with :func:`movsc_toolkit.read_table`; account numbers stay text).
    year
        Financial year. By default a four-digit year (19xx/20xx) found in the file name.
    sheet
        Sheet of a workbook (first sheet by default).

    Returns
    -------
    Ledger
        One line per account kept, dated the 31 December of ``year``, with the problems of
        the reading in ``ledger.problems``.

    Raises
    ------
    ColumnError
        When no account column, or no amount columns, can be found (the message lists the
        columns of the file).
    DataError
        When the year is neither given nor in the file name.

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> from movsc_toolkit.finance import read_balance
    >>> ledger = read_balance(datasets.path("cas_club_sportif") / "balance_2024.csv")
    >>> ledger.years, len(ledger.entries), ledger.S("6"), ledger.C("7")
    ([2024], 38, 136350.0, 139000.0)
    >>> ledger.problems[["ligne", "valeur", "gravité"]].values.tolist()
    [[31, '706', 'alerte']]

    References
    ----------
    A trial balance lists, per account of the chart (ANC regulation 2018-06 for
    associations), the movements or balances of the year. Tests:
    ``tests/finance/test_ledger.py`` (``test_read_balance_*``: CSV and Excel, signed balance,
    subtotal lines, accounts listed twice, hand-computed totals).
    """
    from .._io import read_table

    p = Path(path)
    table = read_table(p, sheet=sheet, convert_numbers=False, parse_dates=False)
    columns = [str(c) for c in table.columns]
    account_col = _find(columns, _BAL_ACCOUNT)
    if account_col is None:
        raise ColumnError(
            "la balance n'a pas de colonne de numéros de compte.",
            path=p,
            hint="nommez-la « Compte » (colonnes trouvées : "
            + ", ".join(f"« {c} »" for c in columns)
            + ").",
        )
    label_col = _find(columns, _BAL_LABEL)
    pairs = [(_BAL_SD, _BAL_SC), (_BAL_DEBIT, _BAL_CREDIT)]
    debit_col = credit_col = solde_col = None
    for d_names, c_names in pairs:
        d, c = _find(columns, d_names), _find(columns, c_names)
        if d and c:
            debit_col, credit_col = d, c
            break
    if debit_col is None:
        solde_col = _find(columns, _BAL_SOLDE)
        if solde_col is None:
            raise ColumnError(
                "la balance n'a ni colonnes « Débit » et « Crédit », ni « Solde débiteur » et "
                "« Solde créditeur », ni « Solde ».",
                path=p,
                hint="colonnes trouvées : " + ", ".join(f"« {c} »" for c in columns) + ".",
            )
    if year is None:
        found = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", p.stem)
        if not found:
            raise DataError(
                "impossible de savoir à quel exercice correspond cette balance.",
                path=p,
                hint="indiquez-le : read_balance(chemin, year=2024).",
            )
        year = int(found[-1])
    lines = pd.Series(table.attrs.get("lines", list(range(2, len(table) + 2))))
    problems: list[pd.DataFrame | None] = []
    accounts = table[account_col].fillna("").astype(str).str.strip()
    accounts = accounts.str.replace(r"\.0$", "", regex=True)
    no_account = (accounts == "").to_numpy()
    amount_cols: list[str] = (
        [solde_col] if solde_col is not None else [str(debit_col), str(credit_col)]
    )
    parsed = {c: read_amounts(table[c].reset_index(drop=True)) for c in amount_cols}
    for column, (_values, status) in parsed.items():
        problems.append(
            problem_frame(
                (status == "illisible").to_numpy(),
                lines,
                column,
                table[column].reset_index(drop=True),
                "montant illisible, compté pour 0.",
                "erreur",
            )
        )
    blank = {c: (status == "vide").to_numpy() for c, (_v, status) in parsed.items()}
    if solde_col is not None:
        solde = parsed[solde_col][0].fillna(0.0)
        debit, credit = solde.clip(lower=0), (-solde).clip(lower=0)
        no_amount = blank[solde_col]
        what = f"« {solde_col} » vide"
    else:
        debit_name, credit_name = amount_cols  # both found when there is no Solde column
        debit = parsed[debit_name][0].fillna(0.0)
        credit = parsed[credit_name][0].fillna(0.0)
        # a blank cell is 0 when the other column carries the amount
        no_amount = blank[debit_name] & blank[credit_name]
        what = f"« {debit_col} » et « {credit_col} » vides"
    # subtotal lines: an account that is a strict prefix of other accounts of the file
    # (6, 60, 606 above 606100) and repeats the sum of the accounts counted under it is kept
    # out and reported. Decided from the longest prefix to the shortest, so that a prefix
    # account kept as a real account (706 next to 7063) counts in the total above it.
    unique = sorted(set(accounts[~no_account]))
    parents = {
        a
        for i, a in enumerate(unique)
        if i + 1 < len(unique) and unique[i + 1].startswith(a) and unique[i + 1] != a
    }
    net = (debit - credit).to_numpy()
    leaves = ~no_account & ~accounts.isin(parents).to_numpy()
    if parents:
        account_values = accounts.to_numpy()
        rows = []
        for prefix in sorted(parents, key=lambda a: (-len(a), a)):
            under = leaves & np.char.startswith(account_values.astype(str), prefix)
            under &= account_values != prefix
            children = round(float(net[under].sum()), 2)
            for pos in np.flatnonzero(account_values == prefix):
                own = round(float(net[pos]), 2)
                n_under = int(under.sum())
                if debit.iloc[pos] == 0 and credit.iloc[pos] == 0:
                    message = (
                        f"compte {prefix} sans montant au-dessus de ses sous-comptes : ligne "
                        "de titre, non comptée."
                    )
                elif own == children:
                    message = (
                        f"ligne de sous-total : le compte {prefix} répète la somme de ses "
                        f"{n_under} sous-comptes (solde {format_number(own)} €) ; non comptée "
                        "pour ne pas compter deux fois."
                    )
                else:
                    leaves[pos] = True
                    message = (
                        f"le compte {prefix} et des sous-comptes ({n_under}) sont tous dans la "
                        f"balance ; son solde ({format_number(own)} €) n'est pas la somme des "
                        f"leurs ({format_number(children)} €) : compté comme un compte à part "
                        "entière, vérifiez que ce n'est pas une ligne de sous-total."
                    )
                rows.append(
                    {
                        "ligne": int(lines.iloc[pos]),
                        "colonne": account_col,
                        "valeur": prefix,
                        "message": message,
                        "gravité": "alerte",
                    }
                )
        problems.append(pd.DataFrame(rows))
    problems.append(
        problem_frame(
            no_amount & leaves,
            lines,
            amount_cols[0],
            "",
            f"compte {{}} sans montant ({what}) : compté pour 0, vérifiez la ligne.",
            "alerte",
        )
    )
    if problems[-1] is not None:
        problems[-1]["message"] = [
            m.replace("{}", a)
            for m, a in zip(problems[-1]["message"], accounts[no_amount & leaves], strict=True)
        ]
    # rows without an account (totals, titles) are kept out of the accounts but reported
    problems.append(
        problem_frame(
            no_account & ((debit != 0) | (credit != 0)).to_numpy(),
            lines,
            account_col,
            accounts,
            "ligne sans numéro de compte (total ou titre ?) : non comptée.",
            "alerte",
        )
    )
    # the same account on two lines: both counted (a balance lists each account once)
    twice = leaves & accounts.duplicated(keep=False).to_numpy()
    if twice.any():
        problems.append(
            problem_frame(
                twice & accounts.duplicated(keep="first").to_numpy(),
                lines,
                account_col,
                accounts,
                "compte déjà présent plus haut dans la balance : les deux lignes sont comptées, "
                "vérifiez qu'il ne s'agit pas d'un doublon.",
                "alerte",
            )
        )
    keep = pd.Series(leaves)
    info = account_info(accounts[leaves])
    problems.append(
        problem_frame(
            leaves & np.isin(accounts.to_numpy(), info.loc[~info["Connu"], "Compte"].to_numpy()),
            lines,
            account_col,
            accounts,
            "compte inconnu du plan comptable associatif (ANC 2018-06).",
            "alerte",
        )
    )
    date = pd.Timestamp(int(year), 12, 31)
    n = int(keep.sum())
    labels = (
        table.loc[keep.to_numpy(), label_col].fillna("").astype(str).to_numpy()
        if label_col
        else info["Libellé"].fillna("").to_numpy()
    )
    entries = pd.DataFrame(
        {
            "JournalCode": "BAL",
            "JournalLib": "Balance générale",
            "EcritureNum": "BAL",
            "EcritureDate": pd.Series([date] * n, dtype="datetime64[ns]"),
            "CompteNum": accounts[leaves].to_numpy(),
            "CompteLib": labels,
            "CompAuxNum": "",
            "CompAuxLib": "",
            "PieceRef": "",
            "PieceDate": pd.Series([date] * n, dtype="datetime64[ns]"),
            "EcritureLib": "Solde de la balance",
            "Debit": debit[leaves].to_numpy(),
            "Credit": credit[leaves].to_numpy(),
            "EcritureLet": "",
            "DateLet": pd.Series([pd.NaT] * n, dtype="datetime64[ns]"),
            "ValidDate": pd.Series([date] * n, dtype="datetime64[ns]"),
            "Montantdevise": "",
            "Idevise": "",
            "ligne": lines[leaves].to_numpy(),
            "fichier": p.name,
            "exercice": int(year),
            "analytique": "",
        }
    )
    gap = round(float(entries["Debit"].sum() - entries["Credit"].sum()), 2)
    if abs(gap) >= 0.01:
        problems.append(
            pd.DataFrame(
                {
                    "ligne": [1],
                    "colonne": [""],
                    "valeur": [format_number(gap)],
                    "message": [
                        f"la balance n'est pas équilibrée : débits − crédits = "
                        f"{format_number(gap)} €."
                    ],
                    "gravité": ["erreur"],
                }
            )
        )
    return Ledger(entries=entries, problems=problem_table(problems, p.name), sources=(str(p),))
