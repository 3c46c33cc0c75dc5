"""Association finance: chart of accounts, FEC, annual accounts, indicators, budgets, grants."""

from .accounts import (
    account_class,
    account_info,
    account_label,
    chart_of_accounts,
    is_association_specific,
)
from .ledger import FEC_COLUMNS, Ledger, read_balance, read_fec

__all__: list[str] = [
    "FEC_COLUMNS",
    "Ledger",
    "account_class",
    "account_info",
    "account_label",
    "chart_of_accounts",
    "is_association_specific",
    "read_balance",
    "read_fec",
]
