"""Plan de trésorerie and actual monthly cash, checked on hand-computed examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import DataError, ValidationError
from movsc_toolkit.finance import actual_cash, cash_plan
from movsc_toolkit.finance.budget_io import make_budget
from movsc_toolkit.finance.cashflow import month_label
from movsc_toolkit.finance.conventions import read_conventions


@pytest.fixture
def budget():
    return make_budget(
        {"641": 24000, "645": 12000, "616": 1200, "68": 2000}
        | {"74 Commune": 30000, "70": 6000, "756": 3200},
        year=2025,
    )


def test_month_label():
    assert month_label(pd.Period("2025-08", freq="M")) == "août 2025"


def test_plan_hand_computed(budget):
    plan = cash_plan(budget, 5000, min_cash=1000)
    m = plan.monthly
    assert plan.months[0] == "janv. 2025" and len(plan.months) == 12
    # January: 500 of activity in; 1 200 insurance + 2 000 salaries + 1 000 social charges out
    assert m.iloc[0]["Encaissements"] == 500
    assert m.iloc[0]["Décaissements"] == 4200
    assert m.iloc[0]["Trésorerie fin"] == 1300
    # subsidy: 50 % in April, 50 % in July; cotisations in September
    assert m.loc["avr. 2025", "Encaissements"] == 15500
    assert m.loc["sept. 2025", "Encaissements"] == 3700
    assert m.loc["mars 2025", "Trésorerie fin"] == -3700
    assert plan.alerts == ["févr. 2025", "mars 2025"]
    assert plan.minimum == ("mars 2025", -3700)
    # amortisations move no cash: closing = opening + receipts − payments (without 68)
    assert plan.closing_cash == 5000 + 39200 - 37200
    assert m["Solde du mois"].sum() == pytest.approx(plan.closing_cash - plan.opening_cash)
    table = plan.table
    assert table.loc["Total encaissements", "Total"] == 39200
    assert table.loc["Trésorerie fin", "Total"] == 7000
    assert "68 Dotations aux amortissements, dépréciations et provisions" not in table.index
    assert "2 mois en alerte" in str(plan)


def test_delay_and_seasonality(budget):
    # salaries doubled in July (summer activities): social charges follow one month later
    weights = [1] * 12
    weights[6] = 2
    plan = cash_plan(budget, 0, rules={"641": weights, "645": (weights, 1)})
    payments = plan.payments
    assert payments.loc["641 Rémunération des personnels", "juil. 2025"] == pytest.approx(
        24000 * 2 / 13
    )
    assert payments.loc["645 Charges sociales", "août 2025"] == pytest.approx(12000 * 2 / 13)
    assert payments.loc["645 Charges sociales", "juil. 2025"] == pytest.approx(12000 / 13)
    # the yearly totals are kept (stable activity from one year to the next)
    assert payments.loc["645 Charges sociales"].sum() == pytest.approx(12000)
    seasonal = cash_plan(budget, 0, seasonality=[0] * 6 + [1] + [0] * 5)
    assert seasonal.receipts.loc[:, "juil. 2025"].iloc[0] == 6000


def test_start_months_and_other_flows(budget):
    plan = cash_plan(
        budget,
        1000,
        start="2025-09",
        n_months=6,
        other_flows=[("Achat d'un minibus", "2025-10", -8000), ("Emprunt", "2025-10", 8000)],
    )
    assert plan.months == [
        "sept. 2025",
        "oct. 2025",
        "nov. 2025",
        "déc. 2025",
        "janv. 2026",
        "févr. 2026",
    ]
    assert plan.payments.loc["Achat d'un minibus", "oct. 2025"] == 8000
    assert plan.receipts.loc["Emprunt", "oct. 2025"] == 8000


def test_conventions_replace_budget_subsidy(budget):
    conventions = read_conventions(
        pd.DataFrame(
            {
                "Convention": ["V1"],
                "Financeur": ["Ville de Talence"],
                "Montant accordé": [30000],
                "Échéancier": ["15/02/2025 : 60 % ; 15/06/2026 : solde"],
            }
        )
    )
    plan = cash_plan(budget, 5000, conventions=conventions)
    row = "74 Subvention Ville de Talence (V1)"
    assert plan.receipts.loc[row, "févr. 2025"] == 18000
    assert plan.receipts.loc[row].sum() == 18000  # the balance falls in 2026
    assert not any(label.startswith("74 Subvention – Commune") for label in plan.receipts.index)


def test_bad_rules(budget):
    with pytest.raises(ValidationError, match="n'est pas reconnue"):
        cash_plan(budget, 0, rules={"641": "chaque lundi"})
    with pytest.raises(ValidationError, match="100 %"):
        cash_plan(budget, 0, rules={"74": {4: 0.5}})
    with pytest.raises(DataError, match="mois de départ"):
        cash_plan(make_budget({"641": 1}), 0)


def _entries(rows):
    out = []
    for journal, num, date, lines in rows:
        for account, debit, credit in lines:
            out.append(
                {
                    "JournalCode": journal,
                    "EcritureNum": num,
                    "EcritureDate": pd.Timestamp(date),
                    "CompteNum": account,
                    "EcritureLib": "À nouveau" if journal == "AN" else "opération",
                    "Debit": float(debit),
                    "Credit": float(credit),
                    "exercice": pd.Timestamp(date).year,
                }
            )
    return pd.DataFrame(out)


def test_actual_cash_hand_computed():
    entries = _entries(
        [
            ("AN", "1", "2025-01-01", [("512", 5000, 0), ("530", 300, 0), ("102", 0, 5300)]),
            ("BQ", "2", "2025-01-15", [("512", 950, 0), ("627", 50, 0), ("411", 0, 1000)]),
            ("BQ", "3", "2025-02-10", [("401", 500, 0), ("512", 0, 500)]),
            ("BQ", "4", "2025-02-11", [("530", 200, 0), ("512", 0, 200)]),  # internal transfer
            ("BQ", "5", "2025-03-05", [("512", 4000, 0), ("4417", 0, 4000)]),
            ("OD", "6", "2025-03-31", [("6411", 2000, 0), ("421", 0, 2000)]),  # no cash
        ]
    )
    cash = actual_cash(entries, 2025)
    assert cash.opening_cash == 5300
    m = cash.monthly
    assert m.loc["janv. 2025", "Encaissements"] == 1000
    assert m.loc["janv. 2025", "Décaissements"] == 50  # bank fees netted from the receipt
    assert m.loc["févr. 2025", "Décaissements"] == 500
    assert m.loc["mars 2025", "Encaissements"] == 4000
    assert cash.closing_cash == 5300 + 950 - 500 + 4000
    assert cash.receipts.loc["État, collectivités, subventions (44)", "mars 2025"] == 4000
    assert cash.payments.loc["Fournisseurs (40)", "févr. 2025"] == 500
    assert np.isclose(m["Solde du mois"].sum(), cash.closing_cash - cash.opening_cash)
    assert cash.title == "Trésorerie réelle 2025"


def test_actual_cash_without_opening_entries():
    entries = _entries(
        [
            ("BQ", "1", "2024-06-01", [("512", 1000, 0), ("706", 0, 1000)]),
            ("BQ", "2", "2025-02-01", [("512", 0, 300), ("606", 300, 0)]),
        ]
    )
    cash = actual_cash(entries, 2025, min_cash=800)
    assert cash.opening_cash == 1000
    assert cash.closing_cash == 700
    assert cash.alerts[0] == "févr. 2025"
    assert "exercices précédents" in str(cash)


def test_overdue_convention_payments_are_reported(budget):
    conventions = read_conventions(
        pd.DataFrame(
            {
                "Convention": ["V1"],
                "Financeur": ["Ville de Talence"],
                "Montant accordé": [30000],
                "Échéancier": ["15/11/2024 : 50 % ; 15/03/2025 : solde"],
            }
        )
    )
    plan = cash_plan(budget, 0, conventions=conventions)
    assert plan.receipts.loc["74 Subvention Ville de Talence (V1)"].sum() == 15000
    assert "1 versement(s) prévu(s) avant le début du plan" in str(plan)


def test_display_and_plot(budget):
    plan = cash_plan(budget, 5000, min_cash=1000)
    ax = plan.plot()
    assert len(ax.patches) == 24 + 2  # 12 months of receipts and payments, 2 alert spans
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["janv. 2025", "févr. 2025"]
    assert "Trésorerie fin" in plan._repr_html_()
    assert repr(plan) == str(plan)
