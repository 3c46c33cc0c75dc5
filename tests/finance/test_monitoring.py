"""Monthly follow-up and atterrissage: the worked example of ``finance_bc02.md`` §3.2.

Closing at 31 August (m = 8). N−1 profile: 78 % of *70 Prestations* and 70 % of the services
fall in January–August, salaries are flat; the budget is phased with these profiles. The
expected values are those of the reference, computed by hand there (and again below):
86 000 × 12/8 = 129 000; 86 000 / 0,78 = 110 256,41; 86 000 + 120 000 × 0,22 = 112 400…
"""

from __future__ import annotations

import pandas as pd
import pytest

from movsc_toolkit import datasets
from movsc_toolkit._errors import DataError
from movsc_toolkit.finance import Budget, make_budget, read_budget
from movsc_toolkit.finance.monitoring import MONTHS, monthly_tracking, phasing_from_ledger


def _ledger(lines: list[tuple[str, str, str, float, float]], year: int = 2024) -> pd.DataFrame:
    """Entries (date, account, analytic code, debit, credit)."""
    return pd.DataFrame(
        {
            "EcritureDate": pd.to_datetime([x[0] for x in lines]),
            "CompteNum": [x[1] for x in lines],
            "analytique": [x[2] for x in lines],
            "Debit": [x[3] for x in lines],
            "Credit": [x[4] for x in lines],
            "exercice": year,
            "CompteLib": "",
            "EcritureLib": "",
        }
    )


def _profile(first8: float) -> list[float]:
    """A profile with ``first8`` of the year evenly over January–August, the rest after."""
    return [first8 / 8] * 8 + [(1 - first8) / 4] * 4


@pytest.fixture
def example():
    budget = make_budget(
        pd.DataFrame({"Code": ["70", "641", "613"], "asso": [120000, 210000, 60000]}), year=2024
    )
    phasing = pd.DataFrame(
        [["*", "70", *_profile(0.78)], ["*", "613", *_profile(0.70)]],
        columns=["Projet", "Code", *MONTHS],
    )
    # actuals to 31 August, spread over the months (the total is what matters)
    lines = []
    for m in range(1, 9):
        day = f"2024-{m:02d}-15"
        lines.append((day, "706", "asso", 0.0, 86000 / 8))
        lines.append((day, "6411", "asso", 142000 / 8, 0.0))
        lines.append((day, "6132", "asso", 44500 / 8, 0.0))
    lines.append(("2024-12-31", "6132", "asso", 999.0, 0.0))  # after the closing date
    tracking = monthly_tracking(budget, _ledger(lines), 2024, phasing=phasing, as_of="2024-08-31")
    return tracking


def _values(forecast) -> dict[str, float]:
    return forecast.by_line()["Atterrissage"].round(2).to_dict()


def test_tracking_to_date(example):
    assert example.month == 8
    lines = example.by_line()
    assert lines.loc["70", "Prévu à date"] == pytest.approx(120000 * 0.78)
    assert lines.loc["641", "Prévu à date"] == pytest.approx(210000 * 8 / 12)
    assert lines.loc["613", "Réalisé à date"] == pytest.approx(44500)  # December line ignored
    assert lines.loc["70", "Écart (€)"] == pytest.approx(86000 - 93600)
    months = example.by_month()
    assert months.loc["mars", "Charges prévues"] == pytest.approx(210000 / 12 + 60000 * 0.70 / 8)
    assert months.loc["mars", "Produits réalisés"] == pytest.approx(86000 / 8)
    assert pd.isna(months.loc["septembre", "Charges réalisées"])
    assert months.loc["décembre", "Résultat prévu cumulé"] == pytest.approx(120000 - 270000)
    projects = example.by_project()
    assert projects.loc["Total", "Résultat réalisé à date"] == pytest.approx(86000 - 186500)


def test_prorata(example):
    f = example.forecast("prorata")
    assert _values(f) == {"641": 213000.0, "613": 66750.0, "70": 129000.0}
    assert f.result_effect == pytest.approx(-750.0)


def test_seasonal(example):
    f = example.forecast("saisonnier")
    assert _values(f) == {"641": 213000.0, "613": 63571.43, "70": 110256.41}
    assert f.result_effect == pytest.approx(-16315.02, abs=0.01)
    flagged = f.by_line()["À surveiller"]
    assert flagged.to_dict() == {"641": False, "613": True, "70": True}


def test_actual_plus_remaining_budget(example):
    f = example.forecast()
    assert _values(f) == {"641": 212000.0, "613": 62500.0, "70": 112400.0}
    assert f.result_effect == pytest.approx(-12100.0)
    assert f.by_line()["Écart (%)"].round(2).to_dict() == {"641": 0.95, "613": 4.17, "70": -6.33}
    # 5 % and 2 000 €: only Prestations (−6,33 %, −7 600 €)
    assert list(f.drifts["Code"]) == ["70"]
    # thresholds are configurable
    assert set(example.forecast(min_gap=0.04).drifts["Code"]) == {"70", "613"}
    assert example.forecast(min_amount=10000).drifts.empty


def test_seasonality_from_another_profile(example):
    flat = pd.DataFrame([["*", "*", *[1] * 12]], columns=["Projet", "Code", *MONTHS])
    f = example.forecast("saisonnier", seasonality=flat)
    assert _values(f)["70"] == 129000.0  # a flat profile is the prorata


def test_events_and_revised_budget(example):
    f = example.forecast(events={("asso", "641"): 200000})
    assert _values(f)["641"] == 200000.0
    revised = f.revised_budget()
    assert isinstance(revised, Budget)
    assert revised.amounts("asso").to_dict() == {"613": 62500.0, "641": 200000.0, "70": 112400.0}
    assert revised.year == 2024
    assert not revised.is_balanced  # the deficit the board must deal with
    fixed = f.revised_budget({("asso", "74 Commune"): 150100})
    assert fixed.total_produits == pytest.approx(262500.0)
    assert fixed.is_balanced


def test_subsidies_are_never_extrapolated():
    budget = make_budget({"74 Commune": 12000, "641": 12000}, year=2024)
    entries = _ledger([("2024-03-10", "745", "Budget", 0.0, 12000.0)])
    entries["CompteLib"] = "Subvention Commune"
    phasing = pd.DataFrame(
        [["*", "74 Commune", *[0, 0, 100] + [0] * 9]], columns=["Projet", "Code", *MONTHS]
    )
    tracking = monthly_tracking(budget, entries, 2024, phasing=phasing, as_of="2024-06-30")
    f = tracking.forecast("prorata")
    assert _values(f)["74 Commune"] == 12000.0  # not 12 000 × 12 / 6
    assert _values(f)["641"] == 0.0


def test_errors():
    budget = make_budget({"641": 12000}, year=2024)
    entries = _ledger([("2024-01-10", "6411", "Budget", 100.0, 0.0)])
    with pytest.raises(DataError, match="méthode"):
        monthly_tracking(budget, entries).forecast("linéaire")
    with pytest.raises(DataError, match="n'est pas dans l'exercice"):
        monthly_tracking(budget, entries, as_of="2023-12-31")
    bad = pd.DataFrame([["*", "641", *[-1] + [1] * 11]], columns=["Projet", "Code", *MONTHS])
    with pytest.raises(DataError, match="négative"):
        monthly_tracking(budget, entries, phasing=bad)
    with pytest.raises(DataError, match="Budget"):
        monthly_tracking(entries, entries)


def test_dataset_story():
    ledger = datasets.load("maison_quartier_analytique")
    budget = read_budget(datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
    phasing = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
    tracking = monthly_tracking(budget, ledger, 2026, phasing=phasing)
    assert tracking.month == 9
    # the actuals to date are the ledger's, line for line
    by_line = tracking.by_line()
    assert by_line.loc[by_line["Section"] == "Charges", "Réalisé à date"].sum() == pytest.approx(
        ledger.S("6", 2026)
    )
    f = tracking.forecast()
    drifts = set(zip(f.drifts["Projet"], f.drifts["Code"], strict=True))
    assert ("ateliers_parents", "74 Département") in drifts  # 6 000 € notified, not 9 000 €
    assert ("sejours_ete", "604") in drifts  # the third séjour
    # the phasing from last year's actuals sums to 100 % per line
    shares = phasing_from_ledger(ledger, 2025)
    assert shares[list(MONTHS)].sum(axis=1).round(6).eq(100).all()


def test_a_single_column_budget_is_the_whole_association():
    budget = make_budget({"641": 12000, "70": 6000}, year=2024)  # column « Budget »
    entries = _ledger(
        [
            ("2024-01-10", "6411", "", 1000.0, 0.0),
            ("2024-02-10", "6411", "jeunes", 500.0, 0.0),
            ("2024-02-10", "706", "jeunes", 0.0, 800.0),
        ]
    )
    tracking = monthly_tracking(budget, entries, as_of="2024-02-29")
    lines = tracking.by_line()
    assert lines.loc["641", "Réalisé à date"] == 1500.0
    assert lines.loc["641", "Prévu à date"] == 2000.0
    assert lines.loc["70", "Réalisé à date"] == 800.0


def test_forecast_plot_marks_the_drifting_lines(example):
    import matplotlib

    matplotlib.use("Agg")
    ax = example.forecast().plot()
    widths = [round(p.get_width(), 2) for p in ax.patches]
    assert widths == [2500.0, 2000.0, -7600.0]  # 613, 641, 70: the CERFA order
    red = [p.get_facecolor()[0] > 0.8 for p in ax.patches]
    assert red == [False, False, True]
