"""Budget vs réalisé (compte rendu financier, CERFA n° 15059).

:func:`budget_vs_actual` compares a budget with the accounts (a ``Ledger``) line by line, with
the gaps in euros and in percent required by the compte rendu financier (arrêté of 24 May 2005,
art. 3), and flags the lines whose gap needs an explanation in the annex.
:func:`actual_by_line` gives the actual amounts of a year by CERFA line: each account goes to
the line whose account prefix is the longest one matching it, and subsidies (74) are split by
funder category from the account, auxiliary and entry labels
(:func:`movsc_toolkit.finance.cerfa.funder_category`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_euro, format_percent
from .._report import Report, result, titled_html
from ._distinct import codes_of
from .budget import Budget
from .cerfa import (
    BY_CODE,
    CHARGES,
    EMPLOIS_CVN,
    ORDER,
    PRODUITS,
    RESSOURCES_CVN,
    UNKNOWN_FUNDER,
    UNKNOWN_LINE,
    cerfa_layout,
    entry_labels,
    funder_for,
    line_for_account,
    line_name,
    prefix_table,
    short_label,
)
from .ledger import Ledger

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["BudgetComparison", "actual_by_line", "budget_vs_actual"]


def actual_by_line(
    ledger: Ledger | pd.DataFrame,
    year: int | None = None,
    analytic: str | None = None,
    *,
    funders: Mapping[str, str] | None = None,
) -> pd.Series:
    """Actual amounts of the year by CERFA line code (charges as debits, produits as credits).

    Each account goes to the CERFA line whose account prefix is the longest one matching it
    (:func:`movsc_toolkit.finance.cerfa.line_for_account`); subsidies (74) go to the line of
    their funder's category, recognised in the account, auxiliary and entry labels.

    Parameters
    ----------
    ledger
        A ``Ledger`` (from ``read_fec``) or a DataFrame of entries.
    year
        The financial year (the latest by default).
    analytic
        Keep only the lines of this analytic code (a project); ``None`` for all.
    funders
        Maps an account prefix (``"7411"``) or a word of the labels (``"Ville de Bordeaux"``)
        to a funder category, tried before the automatic recognition of
        :func:`movsc_toolkit.finance.funder_category`.

    Returns
    -------
    pandas.Series
        Amounts in euros (positive for charges and produits) by CERFA code, in the form's
        order; ``"74 Financeur non identifié"`` last when a subsidy's funder is not recognised.

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> ledger = datasets.load("cas_dependance_financeur")
    >>> actual_by_line(ledger, 2024).filter(like="74 ")
    74 Département    180000.0
    74 Commune         12000.0
    dtype: float64

    References
    ----------
    CERFA n° 12156*06 / 15059*02 lines and the ANC 2018-06 chart of accounts (86/87 mapped by
    meaning); tested in ``tests/finance/test_budget.py`` (``test_budget_vs_actual_hand_computed``,
    ``test_unknown_funder_and_override``).
    """
    entries, _ = Ledger.from_entries(ledger).select(year, analytic)
    # every decision is taken once per distinct account (or account and labels), then spread
    # to the lines through integer codes
    acc_idx, accounts = codes_of(entries["CompteNum"])
    accounts = accounts.astype(str).str.strip()
    keep_u = accounts.str.match(r"^(6|7|86|87)").to_numpy(dtype=bool)
    rows = np.flatnonzero(keep_u[acc_idx])
    acc_idx = acc_idx[rows]
    net = (entries["Debit"].astype(float) - entries["Credit"].astype(float)).to_numpy()[rows]
    prefixes = prefix_table()
    account_list = accounts.tolist()
    line_u = [
        line_for_account(a, prefixes) if k else ""
        for a, k in zip(account_list, keep_u, strict=True)
    ]
    names = list(line_u)
    code_idx = acc_idx.copy()  # index into names
    is_74 = np.array([c == "74" for c in line_u], dtype=bool)[acc_idx]
    if is_74.any():
        text_idx, texts = pd.factorize(entry_labels(entries, rows[is_74]))
        pair = acc_idx[is_74].astype(np.int64) * max(len(texts), 1) + text_idx
        pairs, pair_idx = np.unique(pair, return_inverse=True)
        for p in pairs:  # each distinct (account, labels) pair is recognised once
            account, text = account_list[p // max(len(texts), 1)], texts[p % max(len(texts), 1)]
            cat = funder_for(account, text, funders)
            names.append("74 " + cat if cat else UNKNOWN_FUNDER)
        code_idx[is_74] = len(line_u) + pair_idx.reshape(-1)
    charge = np.array(
        [(BY_CODE.get(c or "") or UNKNOWN_LINE).section in (CHARGES, EMPLOIS_CVN) for c in names],
        dtype=np.bool_,
    )
    signed = np.where(charge[code_idx], net, -net)
    # an account of no line ("") is left out by the reindexing below
    line_names, name_idx = np.unique(np.array([c or "" for c in names]), return_inverse=True)
    out = pd.Series(signed).groupby(name_idx.reshape(-1)[code_idx]).sum()
    out.index = line_names[out.index.to_numpy()]
    order = [*ORDER, UNKNOWN_FUNDER]
    return out.reindex([c for c in order if c in out.index]).astype(float)


@result
class BudgetComparison(Report):
    """Budget vs réalisé by CERFA line (compte rendu financier, CERFA 15059).

    Attributes
    ----------
    table
        Indexed by CERFA code: ``Section``, ``Ligne``, ``Prévu (€)``, ``Réalisé (€)``,
        ``Écart (€)`` (réalisé − prévu), ``Écart (%)`` (écart / prévu × 100; empty when nothing
        was planned), ``À expliquer`` (bool), then the rows ``Total des charges``,
        ``Total des produits``, ``Résultat``, ``Total 86``, ``Total 87``.
    year, project
        Year compared; project (analytic code) or ``None`` for the whole association.
    min_gap, min_amount
        Rule used to flag a gap (see :func:`budget_vs_actual`).

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> budget = datasets.load("roue_libre_budget")
    >>> comparison = finance.budget_vs_actual(budget, datasets.load("cas_dependance_financeur"))
    >>> print(comparison)
    Budget prévisionnel et réalisé 2024 (ensemble de l'association).
    Charges : prévu 229 500 €, réalisé 246 065 € ; produits : prévu 229 500 €, réalisé 241 100 € ; résultat réalisé −4 965 €.
    1 ligne(s) à expliquer dans l'annexe du compte rendu (écart d'au moins 20 % du prévu et d'au moins 1 148 €) :
      – 74 Aides privées (fondations) : −4 000 € (−100,0 %)
    >>> comparison.to_frame().loc[["Total des charges", "Résultat"], ["Prévu (€)", "Réalisé (€)"]]
                       Prévu (€)  Réalisé (€)
    Code
    Total des charges   229500.0    246065.22
    Résultat                 0.0     -4965.22

    References
    ----------
    Arrêté of 24 May 2005 (compte rendu financier, art. 3: gaps in euros and percent) and
    CERFA n° 15059*02. Tested in ``tests/finance/test_budget.py``
    (``test_budget_vs_actual_hand_computed``, ``test_budget_vs_actual_by_project``).
    """

    table: pd.DataFrame
    year: int
    project: str | None
    min_gap: float
    min_amount: float

    @property
    def to_explain(self) -> pd.DataFrame:
        """The lines whose gap must be explained in the compte rendu financier.

        >>> from movsc_toolkit import datasets, finance
        >>> budget = datasets.load("roue_libre_budget")
        >>> ledger = datasets.load("cas_dependance_financeur")
        >>> finance.budget_vs_actual(budget, ledger).to_explain[["Prévu (€)", "Écart (%)"]]
                          Prévu (€)  Écart (%)
        Code
        74 Aides privées     4000.0     -100.0
        """
        lines = self.table[~self.table.index.str.startswith("Total")]
        lines = lines[lines.index != "Résultat"]
        return lines[lines["À expliquer"]]

    def to_frame(self) -> pd.DataFrame:
        """The comparison table (:attr:`table`), exact values.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`table`.

        Examples
        --------
        >>> from movsc_toolkit import finance
        >>> budget = finance.make_budget({"606": 1000, "74 Commune": 1000})
        >>> entries = pd.DataFrame({"EcritureDate": pd.to_datetime(["2025-03-01"] * 2),
        ...     "CompteNum": ["6063", "512"], "Debit": [1250.0, 0.0], "Credit": [0.0, 1250.0]})
        >>> finance.budget_vs_actual(budget, entries).to_frame().loc["606", "Écart (%)"].item()
        25.0
        """
        return self.table.copy()

    def cerfa(self) -> pd.DataFrame:
        """The CERFA 15059 table: Prévision, Réalisation, % of realisation, by poste.

        Returns
        -------
        pandas.DataFrame
            ``Type`` (``poste``, ``ligne``, ``total``), ``Code``, ``Rubrique``,
            ``Prévision (€)``, ``Réalisation (€)``, ``Réalisation (%)``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> budget = datasets.load("roue_libre_budget")
        >>> ledger = datasets.load("cas_dependance_financeur")
        >>> table = finance.budget_vs_actual(budget, ledger).cerfa()
        >>> table[table["Type"] == "total"][["Rubrique", "Prévision (€)", "Réalisation (€)"]]
                                Rubrique  Prévision (€)  Réalisation (€)
        12             TOTAL DES CHARGES       229500.0        246065.22
        21            TOTAL DES PRODUITS       229500.0        241100.00
        22        TOTAL DES EMPLOIS (86)            0.0             0.00
        23  TOTAL DES CONTRIBUTIONS (87)            0.0             0.00

        References
        ----------
        CERFA n° 15059*02, « Compte rendu financier de subvention » (same lines as the 12156).
        """
        lines = self.table.loc[
            [c for c in self.table.index if c in BY_CODE or c == UNKNOWN_FUNDER],
            ["Prévu (€)", "Réalisé (€)"],
        ]
        lines.columns = ["Prévision (€)", "Réalisation (€)"]
        out = cerfa_layout(lines)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = 100 * out["Réalisation (€)"] / out["Prévision (€)"]
        out["Réalisation (%)"] = pct.where(out["Prévision (€)"] != 0)
        return out

    def _lines(self) -> list[str]:
        who = f"projet « {self.project} »" if self.project else "ensemble de l'association"
        t = self.table
        parts = [
            f"Budget prévisionnel et réalisé {self.year} ({who}).",
            f"Charges : prévu {format_euro(t.at['Total des charges', 'Prévu (€)'])}, réalisé "
            f"{format_euro(t.at['Total des charges', 'Réalisé (€)'])} ; produits : prévu "
            f"{format_euro(t.at['Total des produits', 'Prévu (€)'])}, réalisé "
            f"{format_euro(t.at['Total des produits', 'Réalisé (€)'])} ; résultat réalisé "
            f"{format_euro(t.at['Résultat', 'Réalisé (€)'])}.",
        ]
        flagged = self.to_explain
        rule = (
            f"écart d'au moins {format_percent(100 * self.min_gap, 0)} du prévu et d'au moins "
            f"{format_euro(self.min_amount)}"
        )
        if flagged.empty:
            parts.append(f"Aucune ligne ne demande d'explication ({rule}).")
        else:
            parts.append(
                f"{len(flagged)} ligne(s) à expliquer dans l'annexe du compte rendu ({rule}) :"
            )
            for code, row in flagged.iterrows():
                pct = row["Écart (%)"]
                pct_text = "non prévu" if pd.isna(pct) else format_percent(pct)
                parts.append(
                    f"  – {line_name(code, row['Ligne'])} : {format_euro(row['Écart (€)'])} "
                    f"({pct_text})"
                )
        return parts

    def _html_tables(self) -> str:
        shown = self.table.copy()
        shown["À expliquer"] = shown["À expliquer"].map({True: "oui", False: ""})
        return titled_html(shown, "Budget prévisionnel et réalisé par ligne", decimals=0)

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Horizontal bars of the gaps (€) of the lines, flagged ones in red.

        Parameters
        ----------
        ax
            Axes to draw on (a new figure by default).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> budget = datasets.load("roue_libre_budget")
        >>> ledger = datasets.load("cas_dependance_financeur")
        >>> finance.budget_vs_actual(budget, ledger).plot().get_title()
        'Écarts réalisé − prévu 2024 (en rouge : à expliquer)'
        """
        from ..plotting import gap_bars, get_axes

        lines = self.table[[c in BY_CODE or c == UNKNOWN_FUNDER for c in self.table.index]]
        lines = lines[lines["Écart (€)"].abs() > 0.5]
        _fig, ax = get_axes(ax, figsize=(8, 0.35 * len(lines) + 1.5))
        colours = ["#D55E00" if f else "#999999" for f in lines["À expliquer"]]
        labels = [short_label(line_name(c, row["Ligne"])) for c, row in lines.iterrows()]
        gap_bars(ax, lines["Écart (€)"], labels, colours)
        ax.set_title(f"Écarts réalisé − prévu {self.year} (en rouge : à expliquer)")
        return ax


def budget_vs_actual(
    budget: Budget,
    ledger: Ledger | pd.DataFrame,
    year: int | None = None,
    analytic: str | None = None,
    *,
    min_gap: float = 0.20,
    min_amount: float | None = None,
    funders: Mapping[str, str] | None = None,
) -> BudgetComparison:
    """Compare a budget with the accounts of a year, line by line (compte rendu financier).

    Parameters
    ----------
    budget
        The budget prévisionnel.
    ledger
        A ``Ledger`` (from ``read_fec``) or a DataFrame of entries with ``CompteNum``,
        ``Debit``, ``Credit``, ``EcritureDate`` or ``exercice`` (and ``analytique`` for a
        project).
    year
        Financial year of the ledger (the last one by default).
    analytic
        A project: the budget's column of that name is compared with the ledger's lines whose
        ``analytique`` code is that name. ``None``: the association's total budget against the
        whole ledger.
    min_gap, min_amount
        A line **needs an explanation** when its gap is at least ``min_gap`` of the planned
        amount (20 % by default) **and** at least ``min_amount`` euros (by default 0.5 % of the
        planned total charges), or when something was spent or received on a line that was
        not planned (at least ``min_amount``). The arrêté of 24 May 2005 (art. 3) asks for the
        gaps in € and %, and the CERFA 15059 annex for an explanation of *significant* gaps;
        neither fixes a threshold: the 20 % rule is a common practice
        of funders, a convention to adapt to what each funder asks.
    funders
        Extra rules recognising the funder of a subsidy account (see :func:`actual_by_line`).

    Returns
    -------
    BudgetComparison
        The table by CERFA line with the gaps and the lines to explain.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> budget = datasets.load("roue_libre_budget")
    >>> ledger = datasets.load("cas_dependance_financeur")
    >>> comparison = finance.budget_vs_actual(budget, ledger, 2024, min_gap=0.10)
    >>> list(comparison.to_explain.index)
    ['606', '641', '74 Aides privées']
    >>> comparison.table.loc["Total des produits", ["Prévu (€)", "Réalisé (€)", "Écart (€)"]]
    Prévu (€)      229500.0
    Réalisé (€)    241100.0
    Écart (€)       11600.0
    Name: Total des produits, dtype: float64

    References
    ----------
    Arrêté of 24 May 2005 on the compte rendu financier (art. 3) and CERFA n° 15059*02 (gaps
    in € and %, explanation of significant gaps in the annex). The gaps and the flag rule are
    checked on a hand-computed ledger in ``tests/finance/test_budget.py``
    (``test_budget_vs_actual_hand_computed``).
    """
    if not isinstance(budget, Budget):
        raise DataError(
            "un budget (Budget, lu par read_budget) est attendu en premier argument.",
            hint="lisez le budget avec finance.read_budget('budget.xlsx').",
        )
    book = Ledger.from_entries(ledger)
    project = None
    if analytic is not None:
        budget.line_amounts(analytic)  # checks the project exists
        project = str(analytic)
    planned = budget.amounts(project)
    actual = actual_by_line(book, year, project, funders=funders)
    year = book.resolve_year(year)
    codes = [c for c in [*ORDER, UNKNOWN_FUNDER] if c in planned.index or c in actual.index]
    table = pd.DataFrame(
        {
            "Prévu (€)": planned.reindex(codes).fillna(0.0),
            "Réalisé (€)": actual.reindex(codes).fillna(0.0),
        },
        index=codes,
    )
    table = table[(table["Prévu (€)"] != 0) | (table["Réalisé (€)"].abs() >= 0.005)]
    if min_amount is None:
        min_amount = round(0.005 * budget.total(CHARGES, project), 2)
    sections = [(BY_CODE.get(c) or UNKNOWN_LINE).section for c in table.index]
    labels = [(BY_CODE.get(c) or UNKNOWN_LINE).label for c in table.index]
    table.insert(0, "Section", sections)
    table.insert(1, "Ligne", labels)

    line_sections = np.array(sections, dtype=object)

    def total(section: str, label: str) -> dict[str, Any]:
        rows = line_sections == section
        return {
            "Section": section,
            "Ligne": label,
            "Prévu (€)": table["Prévu (€)"][rows].sum(),
            "Réalisé (€)": table["Réalisé (€)"][rows].sum(),
        }

    totals = {
        "Total des charges": total(CHARGES, "Total des charges"),
        "Total des produits": total(PRODUITS, "Total des produits"),
    }
    totals["Résultat"] = {
        "Section": "",
        "Ligne": "Résultat (produits − charges)",
        "Prévu (€)": totals["Total des produits"]["Prévu (€)"]
        - totals["Total des charges"]["Prévu (€)"],
        "Réalisé (€)": totals["Total des produits"]["Réalisé (€)"]
        - totals["Total des charges"]["Réalisé (€)"],
    }
    totals["Total 86"] = total(EMPLOIS_CVN, "Total des emplois des contributions (86)")
    totals["Total 87"] = total(RESSOURCES_CVN, "Total des contributions volontaires (87)")
    table = pd.concat([table, pd.DataFrame.from_dict(totals, orient="index")])
    table["Écart (€)"] = table["Réalisé (€)"] - table["Prévu (€)"]
    planned_values = table["Prévu (€)"]
    table["Écart (%)"] = (100 * table["Écart (€)"] / planned_values.abs()).where(
        planned_values != 0
    )
    big = table["Écart (€)"].abs() >= min_amount - 1e-9
    relative = (table["Écart (%)"].abs() >= 100 * min_gap - 1e-9) | planned_values.eq(0)
    is_line = [c in BY_CODE or c == UNKNOWN_FUNDER for c in table.index]
    table["À expliquer"] = (big & relative & np.array(is_line)).astype(bool)
    table.index.name = "Code"
    return BudgetComparison(
        table=table,
        year=int(year),
        project=project,
        min_gap=float(min_gap),
        min_amount=float(min_amount),
    )
