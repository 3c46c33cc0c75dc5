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

from .cashflow import CashPlan, month_label
from .cerfa import fold_labels
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
    entries = entries.copy()
    entries["_acc"] = entries["CompteNum"].astype(str).str.strip()
    entries["_net"] = entries["Debit"].astype(float) - entries["Credit"].astype(float)
    journal = entries.get("JournalCode", pd.Series("", index=entries.index)).fillna("")
    label = entries.get("EcritureLib", pd.Series("", index=entries.index)).fillna("")
    is_opening = fold_labels(journal).str.replace(" ", "").isin(_OPENING_JOURNALS)
    is_opening |= fold_labels(label).str.match(_OPENING_LABEL)
    treasury = entries["_acc"].str.startswith(_TREASURY)
    notes: list[str] = []
    if is_opening.any():
        opening = round(float(entries.loc[is_opening & treasury, "_net"].sum()), 2)
    else:
        before = books.entries
        mask = before["exercice"].astype("Int64") < year
        previous = before[mask.fillna(False).to_numpy(dtype=bool)]
        acc = previous["CompteNum"].astype(str).str.strip()
        net = previous["Debit"].astype(float) - previous["Credit"].astype(float)
        opening = round(float(net[acc.str.startswith(_TREASURY).to_numpy()].sum()), 2)
        notes.append(
            "Pas d'écritures d'à-nouveaux dans l'exercice : trésorerie de départ calculée sur "
            "les exercices précédents du grand livre"
            + (" (aucun : 0 €)." if previous.empty else ".")
        )
    body = entries[~is_opening.to_numpy()]
    key = body["EcritureNum"].astype(str) if "EcritureNum" in body.columns else body.index
    if "JournalCode" in body.columns:
        key = body["JournalCode"].astype(str) + "|" + key
    body = body.assign(_key=key)
    class5 = body["_acc"].str.startswith("5")
    internal = class5.groupby(body["_key"]).transform("all")
    body = body[~internal.to_numpy()]
    treas = body[body["_acc"].str.startswith(_TREASURY).to_numpy()]
    counter = body[~body["_acc"].str.startswith("5").to_numpy()]
    flow = treas.groupby("_key")["_net"].sum()  # > 0 receipt, < 0 payment
    months = [pd.Period(f"{year}-{m:02d}", freq="M") for m in range(1, 13)]
    labels = [month_label(p) for p in months]
    dates = pd.to_datetime(treas["EcritureDate"])
    entry_month = dates.dt.to_period("M").groupby(treas["_key"]).first()
    # split each entry's cash flow over its counterparts, in proportion to their amounts
    groups = {a: _counterpart(a) for a in counter["_acc"].unique()}
    counter = counter.assign(_group=counter["_acc"].map(groups))
    counter = counter[counter["_key"].isin(flow.index)]
    weight = -counter["_net"]  # the counterpart of a receipt is credited
    sign = np.sign(counter["_key"].map(flow))
    weight = weight * sign
    total_weight = weight.groupby(counter["_key"]).transform("sum")
    share = (weight / total_weight).where(total_weight != 0, 0.0)
    counter = counter.assign(
        _amount=share * counter["_key"].map(flow), _month=counter["_key"].map(entry_month)
    )
    unsplit = flow[~flow.index.isin(counter.loc[total_weight != 0, "_key"])]
    rows = [counter[["_group", "_month", "_amount"]]]
    if len(unsplit):
        rows.append(
            pd.DataFrame(
                {
                    "_group": "Autres comptes",
                    "_month": unsplit.index.map(entry_month),
                    "_amount": unsplit.to_numpy(),
                }
            )
        )
    moves = pd.concat(rows, ignore_index=True)
    moves["_label"] = moves["_month"].map(month_label)
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
