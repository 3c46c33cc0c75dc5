"""Plan de trésorerie: the monthly cash forecast of a budget (the actual cash of a year, read
from the books, is :func:`~movsc_toolkit.finance.actual_cash`, in ``cash_actual``).

The plan (built on France Active / CNAR Financement's fiche « Trésorerie : quelles solutions
pour quels besoins ? »; the payment rules are the toolkit's own) spreads each line of the budget
prévisionnel over the months with a **payment rule**: salaries paid in the month (M), social
charges the month after (M+1), rent every month, insurance once a year, subsidies on their
convention's schedule, activity receipts following a seasonality. Starting from the opening cash,
it gives each month's receipts, payments, net flow and closing balance, and flags the **alert
months** whose closing balance falls below a minimum (``min_cash``, 0 € by default).

Invariant: Σ monthly net flows = closing cash − opening cash (checked in
``tests/finance/test_cashflow.py::test_plan_hand_computed``).

The payment rules (``"mensuel"``, ``"mois+1"``, ``"annuel:9"``…) are described in
``_payment_rules``; :data:`DEFAULT_RULES` is the default set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_euro, frame_html
from .._report import Report, result
from ._payment_rules import DEFAULT_RULES, rule_for, rule_weights, spread
from .budget import Budget
from .cerfa import BY_CODE, CHARGES, PRODUITS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .conventions import Conventions

__all__ = ["DEFAULT_RULES", "CashPlan", "cash_plan", "month_label"]

_MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin"]
_MONTHS += ["juil.", "août", "sept.", "oct.", "nov.", "déc."]


def month_label(period: pd.Period) -> str:
    """French label of a month, as in the columns of a :class:`CashPlan`.

    Parameters
    ----------
    period : pandas.Period
        A monthly period.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> month_label(pd.Period("2025-03", freq="M"))
    'mars 2025'
    """
    return f"{_MONTHS[period.month - 1]} {period.year}"


@result
class CashPlan(Report):
    """A monthly cash plan (forecast or actual).

    Attributes
    ----------
    receipts, payments
        One row per line (receipts and payments, positive amounts), one column per month
        (French labels, ``'janv. 2025'``).
    opening_cash
        Cash at the start of the first month.
    min_cash
        A month is an alert month when its closing cash is below this amount (euros).
    title
        ``"Plan de trésorerie prévisionnel"`` or ``"Trésorerie réelle"``.
    notes
        Assumptions and remarks to read with the plan (French sentences).
    monthly
        Computed: one row per month (``Mois``) with ``Encaissements``, ``Décaissements``,
        ``Solde du mois``, ``Trésorerie début``, ``Trésorerie fin`` (euros, to the cent) and
        ``Alerte``.

    Examples
    --------
    >>> from movsc_toolkit import finance
    >>> budget = finance.make_budget({"641": 12000, "74 Commune": 12000}, year=2025)
    >>> plan = finance.cash_plan(budget, 1000)
    >>> plan.alerts, plan.minimum, plan.closing_cash
    (['févr. 2025', 'mars 2025'], ('mars 2025', -2000.0), 1000.0)
    >>> plan.months[:2]
    ['janv. 2025', 'févr. 2025']
    """

    receipts: pd.DataFrame
    payments: pd.DataFrame
    opening_cash: float
    min_cash: float = 0.0
    title: str = "Plan de trésorerie prévisionnel"
    notes: tuple[str, ...] = ()
    monthly: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self) -> None:
        months = list(self.receipts.columns)
        inflow = self.receipts.sum(axis=0).reindex(months).fillna(0.0)
        outflow = self.payments.sum(axis=0).reindex(months).fillna(0.0)
        net = inflow - outflow
        closing = self.opening_cash + net.cumsum()
        opening = closing - net
        monthly = pd.DataFrame(
            {
                "Encaissements": inflow,
                "Décaissements": outflow,
                "Solde du mois": net,
                "Trésorerie début": opening,
                "Trésorerie fin": closing,
            }
        )
        monthly = monthly.round(2)  # euros and cents: stable displays
        monthly["Alerte"] = monthly["Trésorerie fin"] < self.min_cash - 1e-9
        monthly.index.name = "Mois"
        object.__setattr__(self, "monthly", monthly)

    @property
    def months(self) -> list[str]:
        """The months of the plan, as French labels (``'janv. 2025'``)."""
        return list(self.monthly.index)

    @property
    def closing_cash(self) -> float:
        """Cash at the end of the last month."""
        return float(self.monthly["Trésorerie fin"].iloc[-1])

    @property
    def alerts(self) -> list[str]:
        """Months whose closing cash is below ``min_cash``."""
        return list(self.monthly.index[self.monthly["Alerte"]])

    @property
    def minimum(self) -> tuple[str, float]:
        """The month with the lowest closing cash, and that amount."""
        closing = self.monthly["Trésorerie fin"]
        return str(closing.idxmin()), float(closing.min())

    @property
    def table(self) -> pd.DataFrame:
        """The plan as a banker reads it: receipts, payments, monthly net flow and cash."""
        blocks = [
            self.receipts,
            self.monthly[["Encaissements"]].T.rename(
                index={"Encaissements": "Total encaissements"}
            ),
            self.payments,
            self.monthly[["Décaissements"]].T.rename(
                index={"Décaissements": "Total décaissements"}
            ),
            self.monthly[["Solde du mois", "Trésorerie début", "Trésorerie fin"]].T,
        ]
        out = pd.concat(blocks).astype(float)
        total = out.sum(axis=1)
        total.loc["Trésorerie début"] = self.opening_cash
        total.loc["Trésorerie fin"] = self.closing_cash
        out["Total"] = total
        return out

    def to_frame(self) -> pd.DataFrame:
        """The plan as a banker reads it (see :attr:`table`), exact amounts.

        Returns
        -------
        pandas.DataFrame
            One row per line, the totals, ``Solde du mois``, ``Trésorerie début`` and
            ``Trésorerie fin``; one column per month and a ``Total``.

        Examples
        --------
        >>> from movsc_toolkit import finance
        >>> budget = finance.make_budget({"641": 12000, "74 Commune": 12000}, year=2025)
        >>> table = finance.cash_plan(budget, 1000).to_frame()
        >>> table.loc["Trésorerie fin", ["janv. 2025", "mars 2025", "Total"]].tolist()
        [0.0, -2000.0, 1000.0]
        """
        return self.table

    def _lines(self) -> list[str]:
        month, low = self.minimum
        first, last = self.months[0], self.months[-1]
        parts = [
            f"{self.title} de {first} à {last}.",
            f"Trésorerie de départ : {format_euro(self.opening_cash)} ; trésorerie à la fin : "
            f"{format_euro(self.closing_cash)} ; point bas : {format_euro(low)} en {month}.",
        ]
        alerts = self.alerts
        if alerts:
            parts.append(
                f"{len(alerts)} mois en alerte (trésorerie de fin de mois sous "
                f"{format_euro(self.min_cash)}) : " + ", ".join(alerts) + ". Il faut anticiper : "
                "demander une avance sur subvention, décaler une dépense, négocier une "
                "facilité de caisse."
            )
        else:
            parts.append(
                f"Aucun mois en alerte : la trésorerie reste au-dessus de "
                f"{format_euro(self.min_cash)}."
            )
        parts.extend(self.notes)
        return parts

    def _html_tables(self) -> str:
        return frame_html(self.table, decimals=0)

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Receipts and payments by month (bars) and closing cash (line), ``min_cash`` dashed.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Where to draw (new axes by default).

        Returns
        -------
        matplotlib.axes.Axes
            The alert months are shaded.

        Examples
        --------
        >>> from movsc_toolkit import finance
        >>> budget = finance.make_budget({"641": 12000, "74 Commune": 12000}, year=2025)
        >>> finance.cash_plan(budget, 1000).plot().get_title()
        'Plan de trésorerie prévisionnel'
        """
        from ..plotting import PALETTE, euro_formatter, get_axes

        _fig, ax = get_axes(ax, figsize=(9, 4.5))
        x = np.arange(len(self.monthly))
        ax.bar(x - 0.2, self.monthly["Encaissements"], 0.4, color=PALETTE[2], label="Encaissements")
        ax.bar(x + 0.2, self.monthly["Décaissements"], 0.4, color=PALETTE[3], label="Décaissements")
        ax.plot(
            x,
            self.monthly["Trésorerie fin"],
            color=PALETTE[0],
            marker="o",
            label="Trésorerie fin de mois",
        )
        ax.axhline(
            self.min_cash, color="black", linestyle="--", linewidth=1, label="Seuil d'alerte"
        )
        for i in np.flatnonzero(self.monthly["Alerte"].to_numpy()):
            ax.axvspan(i - 0.5, i + 0.5, color="#D55E00", alpha=0.12, linewidth=0)
        ax.set_xticks(x, self.months, rotation=45, ha="right")
        ax.yaxis.set_major_formatter(euro_formatter())
        ax.set_title(self.title)
        ax.legend(loc="best", fontsize=8)
        return ax


def _months(start: str | pd.Period, n: int) -> list[pd.Period]:
    try:
        first = pd.Period(start, freq="M")
    except (ValueError, TypeError):
        raise DataError(
            f"le mois de départ « {start} » n'est pas compris.",
            hint="écrivez-le sous la forme '2025-01' (janvier 2025).",
        ) from None
    return [first + i for i in range(n)]


def _convention_payments(conventions: Conventions | pd.DataFrame) -> pd.DataFrame:
    """Scheduled payments of a ``Conventions`` object (or DataFrame) with their category."""
    payments = getattr(conventions, "payments", conventions)
    table = getattr(conventions, "table", None)
    if not isinstance(payments, pd.DataFrame):
        raise DataError(
            "les conventions doivent venir de finance.read_conventions().",
            hint="conventions = finance.read_conventions('conventions.xlsx')",
        )
    out = payments.copy()
    if "Catégorie" not in out.columns and isinstance(table, pd.DataFrame):
        cats = table.set_index("Convention")[["Financeur", "Catégorie"]]
        out = out.join(cats, on="Convention")
    return out


def cash_plan(
    budget: Budget,
    opening_cash: float,
    rules: Mapping[str, Any] | None = None,
    conventions: Conventions | pd.DataFrame | None = None,
    start: str | pd.Period | None = None,
    *,
    project: str | None = None,
    n_months: int = 12,
    min_cash: float = 0.0,
    seasonality: Sequence[float] | None = None,
    other_flows: Sequence[tuple[str, Any, float]] = (),
) -> CashPlan:
    """Monthly cash plan from a budget prévisionnel and payment rules.

    Parameters
    ----------
    budget : Budget
        The budget (:func:`~movsc_toolkit.finance.read_budget`): its ``Total``, or one
        ``project``.
    opening_cash
        Cash available at the start (balance of the bank and cash accounts).
    rules
        Payment rules by line code, added to (and overriding) :data:`DEFAULT_RULES`.
    conventions
        Funders' conventions (:func:`~movsc_toolkit.finance.read_conventions`). When given, the
        subsidies of a funder category covered by a convention are received **on the
        conventions' schedule** (date received if known, else date planned) instead of the
        budget's 74 line for that category; the other categories keep the rule of line 74.
    start
        First month (``"2025-01"``); January of the budget's year by default.
    n_months
        Number of months (12).
    min_cash
        Alert level of the closing cash of a month, in euros (0 €: a negative balance).
    seasonality
        Twelve weights (January … December) applied to activity receipts (line 70) unless a
        rule for ``"70"`` is given.
    other_flows
        Flows outside the operating budget, as ``(label, month, amount)``: a positive amount
        is a receipt (a loan), a negative one a payment (an investment, a loan repayment).
    project
        A project of the budget (one of its columns); the ``Total`` by default.

    Returns
    -------
    CashPlan

    Raises
    ------
    DataError
        When ``budget`` is not a :class:`Budget` or the start month is not understood.
    ValidationError
        For a payment rule that is not recognised.

    Examples
    --------
    Salaries paid every month, the municipal subsidy half in April and half in July (the
    default rule of line 74): the plan dips below zero in February and March.

    >>> from movsc_toolkit import finance
    >>> budget = finance.make_budget({"641": 12000, "74 Commune": 12000}, year=2025)
    >>> print(finance.cash_plan(budget, 1000, min_cash=0))
    Plan de trésorerie prévisionnel de janv. 2025 à déc. 2025.
    Trésorerie de départ : 1 000 € ; trésorerie à la fin : 1 000 € ; point bas : −2 000 € en mars
    2025.
    2 mois en alerte (trésorerie de fin de mois sous 0 €) : févr. 2025, mars 2025. Il faut anticiper
    : demander une avance sur subvention, décaler une dépense, négocier une facilité de caisse.

    References
    ----------
    Plan de trésorerie of France Active / CNAR Financement (fiche « Trésorerie : quelles
    solutions pour quels besoins ? »); the invariant Σ monthly net flows = closing − opening
    cash holds. Checked on hand-computed plans in
    ``tests/finance/test_cashflow.py::test_plan_hand_computed`` and
    ``::test_conventions_replace_budget_subsidy``.
    """
    if not isinstance(budget, Budget):
        raise DataError(
            "un budget (Budget, lu par read_budget) est attendu en premier argument.",
            hint="lisez le budget avec finance.read_budget('budget.xlsx').",
        )
    all_rules: dict[str, Any] = dict(DEFAULT_RULES)
    if seasonality is not None:
        all_rules["70"] = list(seasonality)
    if rules:
        all_rules.update(rules)
    if start is None:
        if budget.year is None:
            raise DataError(
                "le budget n'indique pas son exercice : précisez le mois de départ.",
                hint="par exemple cash_plan(budget, 20000, start='2025-01').",
            )
        start = f"{budget.year}-01"
    periods = _months(start, n_months)
    labels = [month_label(p) for p in periods]
    notes: list[str] = []

    covered: set[str] = set()
    receipts: dict[str, np.ndarray] = {}
    payments: dict[str, np.ndarray] = {}
    if conventions is not None:
        sched = _convention_payments(conventions)
        date = pd.to_datetime(sched.get("Date reçue"), errors="coerce")
        date = date.fillna(pd.to_datetime(sched["Date prévue"], errors="coerce"))
        amount = sched.get("Montant reçu")
        amount = (
            sched["Montant prévu"]
            if amount is None
            else amount.where(amount.notna(), sched["Montant prévu"])
        )
        covered = {str(c) for c in sched["Catégorie"].dropna()}
        # month of each payment in the plan (-1: outside it), summed by convention and funder
        first = periods[0]
        position = (date.dt.year - first.year) * 12 + (date.dt.month - first.month)
        position = position.where((position >= 0) & (position < len(periods)), -1)
        by_convention: dict[tuple[Any, Any], np.ndarray] = {}
        for conv, funder, at, m in zip(
            sched["Convention"].tolist(),
            sched["Financeur"].tolist(),
            position.fillna(-1).astype(int).tolist(),
            amount.tolist(),
            strict=True,
        ):
            if pd.isna(conv) or pd.isna(funder):
                continue  # as a group-by: no group without both keys
            values = by_convention.setdefault((conv, funder), np.zeros(len(periods)))
            if at >= 0:
                values[at] += float(m)
        for (conv, funder), values in by_convention.items():
            if values.any():
                receipts[f"74 Subvention {funder} ({conv})"] = values
        overdue = (date < periods[0].start_time) & sched.get(
            "Date reçue", pd.Series(pd.NaT, index=sched.index)
        ).isna()
        if overdue.any():
            notes.append(
                f"{int(overdue.sum())} versement(s) prévu(s) avant le début du plan et non "
                f"reçu(s) ({format_euro(float(amount[overdue].sum()))}) ne sont pas comptés : "
                "ajoutez-les dans other_flows au mois où le financeur s'engage à payer."
            )
        notes.append(
            "Subventions des catégories couvertes par une convention ("
            + ", ".join(sorted(covered))
            + ") : versements placés selon l'échéancier des conventions."
        )

    amounts = budget.amounts(project)
    for code, amount in amounts.items():
        if amount == 0:
            continue
        line = BY_CODE[code]
        if line.section not in (CHARGES, PRODUITS):
            continue  # contributions volontaires: no cash
        if code.startswith("74 ") and code[3:] in covered:
            continue
        rule = rule_weights(rule_for(code, all_rules), code)
        if rule is None:
            continue
        values = spread(float(amount), *rule, periods)
        target = payments if line.section == CHARGES else receipts
        name = f"74 Subvention – {line.label}" if code.startswith("74 ") else f"{code} {line.label}"
        target[name] = values
    for label, month, amount in other_flows:
        period = pd.Period(month, freq="M")
        values = np.array([float(abs(amount)) if p == period else 0.0 for p in periods])
        target = receipts if amount > 0 else payments
        target[str(label)] = target.get(str(label), 0) + values

    def frame(data: dict[str, np.ndarray]) -> pd.DataFrame:
        if not data:
            return pd.DataFrame(columns=labels, dtype=float)
        return pd.DataFrame.from_dict(data, orient="index", columns=labels)

    return CashPlan(
        receipts=frame(receipts),
        payments=frame(payments),
        opening_cash=float(opening_cash),
        min_cash=float(min_cash),
        title="Plan de trésorerie prévisionnel",
        notes=tuple(notes),
    )
