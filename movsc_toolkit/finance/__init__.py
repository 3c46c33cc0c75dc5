"""Association finance: chart of accounts, FEC, annual accounts, indicators, budgets, grants."""

from .accounts import (
    account_class,
    account_info,
    account_label,
    chart_of_accounts,
    is_association_specific,
)
from .budget import (
    CERFA_LINES,
    FUNDER_CATEGORIES,
    Budget,
    BudgetComparison,
    budget_template,
    budget_vs_actual,
    funder_category,
    make_budget,
    read_budget,
)
from .cashflow import CashPlan, actual_cash, cash_plan
from .grants import (
    Conventions,
    ConventionStatus,
    DedicatedFunds,
    conventions_status,
    dedicated_funds,
    read_conventions,
)
from .indicators import INDICATORS, indicator_trends, indicators, plot_trends
from .ledger import FEC_COLUMNS, Ledger, read_balance, read_fec
from .report import SynthesisNote, synthesis_note
from .statements import (
    CAF,
    SIG,
    BalanceSheet,
    IncomeStatement,
    balance_sheet,
    caf,
    income_statement,
    sig,
)

__all__: list[str] = [
    "CAF",
    "CERFA_LINES",
    "FEC_COLUMNS",
    "FUNDER_CATEGORIES",
    "INDICATORS",
    "SIG",
    "BalanceSheet",
    "Budget",
    "BudgetComparison",
    "CashPlan",
    "ConventionStatus",
    "Conventions",
    "DedicatedFunds",
    "IncomeStatement",
    "Ledger",
    "SynthesisNote",
    "account_class",
    "account_info",
    "account_label",
    "actual_cash",
    "balance_sheet",
    "budget_template",
    "budget_vs_actual",
    "caf",
    "cash_plan",
    "chart_of_accounts",
    "conventions_status",
    "dedicated_funds",
    "funder_category",
    "income_statement",
    "indicator_trends",
    "indicators",
    "is_association_specific",
    "make_budget",
    "plot_trends",
    "read_balance",
    "read_budget",
    "read_conventions",
    "read_fec",
    "sig",
    "synthesis_note",
]
