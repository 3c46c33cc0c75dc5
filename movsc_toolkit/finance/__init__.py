"""Association finance: chart of accounts, FEC, annual accounts, indicators, budgets, grants."""

from .accounts import (
    account_class,
    account_info,
    account_label,
    chart_of_accounts,
    is_association_specific,
)
from .indicators import INDICATORS, indicator_trends, indicators
from .ledger import FEC_COLUMNS, Ledger, read_balance, read_fec
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
    "FEC_COLUMNS",
    "INDICATORS",
    "SIG",
    "BalanceSheet",
    "IncomeStatement",
    "Ledger",
    "account_class",
    "account_info",
    "account_label",
    "balance_sheet",
    "caf",
    "chart_of_accounts",
    "income_statement",
    "indicator_trends",
    "indicators",
    "is_association_specific",
    "read_balance",
    "read_fec",
    "sig",
]
