# ruff: noqa: F401  (the TYPE_CHECKING imports are the static view of _EXPORTS)
"""Association finance: chart of accounts, FEC, annual accounts, indicators, budgets, grants."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attach

if TYPE_CHECKING:  # for type checkers and editors (tests/core/test_import.py checks it matches)
    from .accounts import (
        account_class,
        account_info,
        account_label,
        chart_of_accounts,
        is_association_specific,
    )
    from .application import ApplicationCheck, check_application
    from .balance import read_balance
    from .budget import Budget
    from .budget_io import budget_template, make_budget, read_budget
    from .budget_vs_actual import BudgetComparison, budget_vs_actual
    from .calls import CallForProjects, make_call, read_call
    from .cash_actual import actual_cash
    from .cashflow import (
        CashPlan,
        cash_plan,
    )
    from .cerfa import CERFA_LINES, FUNDER_CATEGORIES, funder_category
    from .convention_status import ConventionStatus, conventions_status
    from .conventions import Conventions, read_conventions
    from .costs import FullCosts, budget_full_costs, full_costs, largest_remainder
    from .dedicated_funds import DedicatedFunds, dedicated_funds
    from .dialogue import ManagementDialogue, management_dialogue
    from .dossier import export_dossier
    from .fec import read_fec
    from .forecast import Forecast
    from .funding_watch import WATCH_STATUSES, FundingWatch, read_funding_watch
    from .indicators import (
        INDICATORS,
        indicator_trends,
        indicators,
        plot_trends,
    )
    from .indirect_costs import CERFA_INDIRECT_LINES, indirect_report
    from .key_comparison import KeyComparison, compare_keys
    from .ledger import (
        FEC_COLUMNS,
        Ledger,
    )
    from .monitoring import (
        MONTHS,
        MonthlyTracking,
        monthly_tracking,
        phasing_from_ledger,
    )
    from .presentation import BoardPresentation, board_presentation
    from .report import (
        SynthesisNote,
        synthesis_note,
    )
    from .sig_caf import CAF, SIG, caf, sig
    from .statements import (
        BalanceSheet,
        IncomeStatement,
        balance_sheet,
        income_statement,
    )

#: public name -> submodule defining it, imported on first use (see movsc_toolkit._lazy)
_EXPORTS = {
    "account_class": "accounts",
    "account_info": "accounts",
    "account_label": "accounts",
    "chart_of_accounts": "accounts",
    "is_association_specific": "accounts",
    "CERFA_LINES": "cerfa",
    "FUNDER_CATEGORIES": "cerfa",
    "Budget": "budget",
    "BudgetComparison": "budget_vs_actual",
    "budget_template": "budget_io",
    "budget_vs_actual": "budget_vs_actual",
    "funder_category": "cerfa",
    "make_budget": "budget_io",
    "read_budget": "budget_io",
    "WATCH_STATUSES": "funding_watch",
    "ApplicationCheck": "application",
    "CallForProjects": "calls",
    "FundingWatch": "funding_watch",
    "check_application": "application",
    "export_dossier": "dossier",
    "make_call": "calls",
    "read_call": "calls",
    "read_funding_watch": "funding_watch",
    "CERFA_INDIRECT_LINES": "indirect_costs",
    "FullCosts": "costs",
    "KeyComparison": "key_comparison",
    "budget_full_costs": "costs",
    "compare_keys": "key_comparison",
    "full_costs": "costs",
    "indirect_report": "indirect_costs",
    "largest_remainder": "costs",
    "MONTHS": "monitoring",
    "Forecast": "forecast",
    "MonthlyTracking": "monitoring",
    "monthly_tracking": "monitoring",
    "phasing_from_ledger": "monitoring",
    "CashPlan": "cashflow",
    "actual_cash": "cash_actual",
    "cash_plan": "cashflow",
    "Conventions": "conventions",
    "ConventionStatus": "convention_status",
    "DedicatedFunds": "dedicated_funds",
    "conventions_status": "convention_status",
    "dedicated_funds": "dedicated_funds",
    "read_conventions": "conventions",
    "INDICATORS": "indicators",
    "indicator_trends": "indicators",
    "indicators": "indicators",
    "plot_trends": "indicators",
    "FEC_COLUMNS": "ledger",
    "Ledger": "ledger",
    "read_balance": "balance",
    "read_fec": "fec",
    "BoardPresentation": "presentation",
    "ManagementDialogue": "dialogue",
    "board_presentation": "presentation",
    "management_dialogue": "dialogue",
    "SynthesisNote": "report",
    "synthesis_note": "report",
    "CAF": "sig_caf",
    "SIG": "sig_caf",
    "BalanceSheet": "statements",
    "IncomeStatement": "statements",
    "balance_sheet": "statements",
    "caf": "sig_caf",
    "income_statement": "statements",
    "sig": "sig_caf",
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
