"""Trésorerie réelle: the actual monthly cash of a year, read from the bank and cash accounts.

:func:`actual_cash` gives the same :class:`~movsc_toolkit.finance.CashPlan` as the forecast of
:func:`~movsc_toolkit.finance.cash_plan`, built from the books instead of the budget: each month's
receipts and payments of the treasury accounts (50, 51, 53, 54), split by the counterpart
accounts of their entries, from the opening cash of the à-nouveaux. Comparing the two shows
where the plan was wrong.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._distinct import codes_of, entry_codes, flag_distinct
from .cashflow import CashPlan, month_label
from .cerfa import fold_label
from .ledger import Ledger

__all__ = ["actual_cash"]

_TREASURY = ("50", "51", "53", "54")
_OPENING_JOURNALS = {"an", "ran", "ano", "an0", "anouv", "nouv"}
_OPENING_LABEL = re.compile(r"^(report )?a nouveaux?\b|^reprise des soldes|^solde d ouverture")

_COUNTERPARTS = [
    ("40", "Fournisseurs (40)"),
    ("41", "Usagers, adhérents, clients (41)"),
    ("42", "Personnel (42)"),
    ("43", "Organismes sociaux (43)"),
    ("44", "État, collectivités, subventions (44)"),
    ("45", "Fédération, partenaires (45)"),
    ("46", "Débiteurs et créditeurs divers (46)"),
    ("47", "Comptes d'attente (47)"),
    ("16", "Emprunts (16)"),
    ("1", "Fonds propres, autres capitaux (1)"),
    ("2", "Immobilisations (2)"),
    ("3", "Stocks (3)"),
    ("4", "Autres tiers (4)"),
    ("6", "Charges payées au comptant (6)"),
    ("7", "Produits encaissés au comptant (7)"),
]


def _counterpart(account: str) -> str:
    for prefix, label in _COUNTERPARTS:
        if account.startswith(prefix):
            return label
    return "Autres comptes"


def actual_cash(
    ledger: Ledger | pd.DataFrame, year: int | None = None, *, min_cash: float = 0.0
) -> CashPlan:
    """Actual monthly cash of a year, from the bank and cash accounts (50, 51, 53, 54).

    Receipts are the debits and payments the credits of those accounts, each split by the
    counterpart accounts of its entry (suppliers 40, users 41, staff 42, social bodies 43,
    subsidies 44, charges and produits paid directly…), in proportion to their amounts. Entries
    made only of class 5 accounts (transfers between the bank and the till, through 58) move
    no cash and are left out. The opening cash is the balance of these accounts in the
    à-nouveaux (journal ``AN``/``RAN`` or label "À nouveau") of the year; without them, the
    balance at the end of the previous years of the ledger.

    Parameters
    ----------
    ledger : Ledger or pandas.DataFrame
        The books (:func:`~movsc_toolkit.finance.read_fec`), or a DataFrame of entries (read
        through :meth:`Ledger.from_entries`).
    year : int, optional
        Financial year (the last one by default).
    min_cash
        Alert level of the closing cash of a month, in euros.

    Returns
    -------
    CashPlan
        Titled « Trésorerie réelle <year> », twelve months, receipts and payments by
        counterpart.

    Raises
    ------
    DataError
        When the year is not in the books.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> cash = finance.actual_cash(datasets.load("centre_social_comptes"), 2024, min_cash=30000)
    >>> cash.opening_cash, cash.closing_cash
    (77293.21, 46126.5)
    >>> cash.alerts
    ['févr. 2024', 'mars 2024', 'avr. 2024']

    References
    ----------
    Actual cash of the treasury accounts 50, 51, 53 and 54 (PCG classe 5), laid out as the plan
    de trésorerie of France Active / CNAR Financement (fiche « Trésorerie : quelles solutions
    pour quels besoins ? »). Checked on hand-computed books in
    ``tests/finance/test_cashflow.py::test_actual_cash_hand_computed`` and
    ``::test_actual_cash_without_opening_entries``.
    """
    books = Ledger.from_entries(ledger)
    entries, year = books.select(year)
    # accounts, journals and labels are tested once per distinct value, entries keyed by codes
    acc_codes, accounts = codes_of(entries["CompteNum"])
    accounts = accounts.astype(str).str.strip()
    is_treasury = accounts.str.startswith(_TREASURY).to_numpy(dtype=bool)
    is_class5 = accounts.str.startswith("5").to_numpy(dtype=bool)
    treasury = is_treasury[acc_codes]
    net = (entries["Debit"].astype(float) - entries["Credit"].astype(float)).to_numpy()
    journal = entries.get("JournalCode", pd.Series("", index=entries.index)).fillna("")
    label = entries.get("EcritureLib", pd.Series("", index=entries.index)).fillna("")
    is_opening = flag_distinct(
        journal, lambda v: fold_label(v).replace(" ", "") in _OPENING_JOURNALS
    )
    is_opening |= flag_distinct(label, lambda v: _OPENING_LABEL.match(fold_label(v)) is not None)
    notes: list[str] = []
    if is_opening.any():
        opening = round(float(pd.Series(net[is_opening & treasury]).sum()), 2)
    else:
        before = books.entries
        mask = before["exercice"].astype("Int64") < year
        previous = before[mask.fillna(False).to_numpy(dtype=bool)]
        codes, acc = codes_of(previous["CompteNum"])
        in_treasury = acc.astype(str).str.strip().str.startswith(_TREASURY).to_numpy(dtype=bool)
        prev_net = previous["Debit"].astype(float) - previous["Credit"].astype(float)
        opening = round(float(prev_net[in_treasury[codes]].sum()), 2)
        notes.append(
            "Pas d'écritures d'à-nouveaux dans l'exercice : trésorerie de départ calculée sur "
            "les exercices précédents du grand livre"
            + (" (aucun : 0 €)." if previous.empty else ".")
        )
    body = ~is_opening
    keys = entry_codes(entries)
    # entries made only of class 5 accounts move no cash
    outside5 = pd.Series(~is_class5[acc_codes][body]).groupby(keys[body]).transform("any")
    body[body] = outside5.to_numpy(dtype=bool)
    in_treas = body & treasury
    in_counter = body & ~is_class5[acc_codes]
    treas_key = keys[in_treas]
    flow = pd.Series(net[in_treas]).groupby(treas_key).sum()  # > 0 receipt, < 0 payment
    months = [pd.Period(f"{year}-{m:02d}", freq="M") for m in range(1, 13)]
    labels = [month_label(p) for p in months]
    dates = pd.to_datetime(entries["EcritureDate"][in_treas])
    entry_month = pd.Series(dates.dt.to_period("M").array).groupby(treas_key).first()
    # split each entry's cash flow over its counterparts, in proportion to their amounts
    group_names = ["Autres comptes", *(label for _, label in _COUNTERPARTS)]
    group_of = np.array(
        [group_names.index(_counterpart(a)) if isinstance(a, str) else 0 for a in accounts],
        dtype=np.int64,
    )
    counter_key = keys[in_counter]
    counter_flow = flow.reindex(counter_key).to_numpy()
    has_flow = ~np.isnan(counter_flow)
    counter_key = counter_key[has_flow]
    counter_flow = counter_flow[has_flow]
    weight = -net[in_counter][has_flow] * np.sign(counter_flow)  # a receipt credits its counterpart
    total_weight = pd.Series(weight).groupby(counter_key).transform("sum").to_numpy()
    share = np.where(total_weight != 0, weight / np.where(total_weight != 0, total_weight, 1), 0.0)
    counter = pd.DataFrame(
        {
            "_group": group_of[acc_codes[in_counter][has_flow]],
            "_month": entry_month.reindex(counter_key).array,
            "_amount": share * counter_flow,
        }
    )
    unsplit = flow[~flow.index.isin(counter_key[total_weight != 0])]
    rows = [counter]
    if len(unsplit):
        rows.append(
            pd.DataFrame(
                {
                    "_group": 0,
                    "_month": entry_month.reindex(unsplit.index).array,
                    "_amount": unsplit.to_numpy(),
                }
            )
        )
    moves = pd.concat(rows, ignore_index=True)
    month_codes, month_values = pd.factorize(moves["_month"], use_na_sentinel=False)
    moves["_label"] = np.array([month_label(m) for m in month_values], dtype=object)[month_codes]
    moves["_group"] = np.array(group_names, dtype=object)[moves["_group"].to_numpy()]
    order = [label for _, label in _COUNTERPARTS] + ["Autres comptes"]

    def pivot(part: pd.DataFrame) -> pd.DataFrame:
        table = part.pivot_table(
            index="_group", columns="_label", values="_amount", aggfunc="sum", fill_value=0.0
        )
        table = table.reindex(columns=labels, fill_value=0.0)
        table = table.reindex([g for g in order if g in table.index]).abs()
        table.index.name = None
        table.columns.name = None
        return table.astype(float).round(2)

    receipts = pivot(moves[moves["_amount"] > 0])
    payments = pivot(moves[moves["_amount"] < 0])
    return CashPlan(
        receipts=receipts,
        payments=payments,
        opening_cash=opening,
        min_cash=float(min_cash),
        title=f"Trésorerie réelle {year}",
        notes=tuple(notes),
    )
