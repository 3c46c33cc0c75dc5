"""Full costs: largest-remainder rounding, step-down allocation, CERFA consistency.

The reference values are the worked example of ``finance_bc02.md`` §1.6, computed by hand
(and there with Decimal and Fraction): naive half-up rounding would give 12 500,09 and
19 442,33, so these tests fail if the rounding is not the largest remainder.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit import datasets
from movsc_toolkit._errors import ColumnError, DataError
from movsc_toolkit.finance import (
    budget_full_costs,
    compare_keys,
    full_costs,
    indirect_report,
    largest_remainder,
    make_budget,
)

KEYS = {"m2": {"ADM": 15, "A": 55, "B": 35, "C": 25}, "etp": {"A": 1.6, "B": 0.9, "C": 0.5}}


def _entries(lines: list[tuple[str, str, float, float]], year: int = 2024) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "CompteNum": [x[0] for x in lines],
            "analytique": [x[1] for x in lines],
            "Debit": [x[2] for x in lines],
            "Credit": [x[3] for x in lines],
            "exercice": year,
        }
    )


@pytest.fixture
def example() -> pd.DataFrame:
    return _entries(
        [
            ("6068", "A", 48200.00, 0),
            ("6068", "B", 31450.00, 0),
            ("6068", "C", 20350.00, 0),
            ("6132", "LOC", 12500.08, 0),
            ("6411", "ADM", 18000.00, 0),
            ("7062", "A", 0, 1000.00),
            ("7561", "ADM", 0, 500.00),
        ]
    )


def test_largest_remainder_worked_example_step_1():
    shares = largest_remainder(12500.08, {"ADM": 15, "A": 55, "B": 35, "C": 25})
    assert shares.tolist() == [1442.32, 5288.49, 3365.41, 2403.86]
    assert round(shares.sum(), 2) == 12500.08
    naive = [
        float(
            (Decimal("1250008") * w / 130 / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        )
        for w in (15, 55, 35, 25)
    ]
    assert round(sum(naive), 2) == 12500.09  # the reason for the method


def test_largest_remainder_worked_example_step_2():
    shares = largest_remainder(19442.32, {"A": 1.6, "B": 0.9, "C": 0.5})
    assert shares.tolist() == [10369.24, 5832.69, 3240.39]


def test_largest_remainder_invariants():
    rng = np.random.default_rng(3)
    for _ in range(50):
        n = int(rng.integers(2, 9))
        weights = {f"P{i}": float(rng.integers(0, 40)) / 4 for i in range(n)}
        weights["P0"] = 1.25
        total = round(float(rng.uniform(-5000, 50000)), 2)
        shares = largest_remainder(total, weights)
        assert round(shares.sum() * 100) == round(total * 100)
        s = sum(weights.values())
        for label, w in weights.items():
            quota = total * w / s
            assert abs(shares[label] - quota) < 0.01 + 1e-9
            if w == 0:
                assert shares[label] == 0


def test_largest_remainder_tie_break_by_label_not_input_order():
    # 0.03 € in three equal parts: 1 cent each; 0.02 € in three parts: ties → A then B
    assert largest_remainder(0.02, {"C": 1, "A": 1, "B": 1}).to_dict() == {
        "C": 0.0,
        "A": 0.01,
        "B": 0.01,
    }
    assert largest_remainder(0.02, {"A": 1, "B": 1, "C": 1}).to_dict() == {
        "A": 0.01,
        "B": 0.01,
        "C": 0.0,
    }


def test_largest_remainder_negative_total_and_errors():
    assert largest_remainder(-0.02, {"A": 1, "B": 1, "C": 1}).tolist() == [-0.01, -0.01, 0.0]
    with pytest.raises(DataError, match="nulle"):
        largest_remainder(10, {"A": 0, "B": 0})
    with pytest.raises(DataError, match="négative"):
        largest_remainder(10, {"A": -1, "B": 2})


def test_full_costs_worked_example(example):
    fc = full_costs(example, KEYS, {"LOC": "m2", "ADM": "etp"})
    t = fc.table
    assert t.loc["LOC", ["A", "B", "C"]].tolist() == [5288.49, 3365.41, 2403.86]
    assert t.loc["ADM", ["A", "B", "C"]].tolist() == [10369.24, 5832.69, 3240.39]
    assert t.loc["Total", ["A", "B", "C", "Total"]].tolist() == [
        15657.73,
        9198.10,
        5644.25,
        30500.08,
    ]
    assert fc.costs["Coût complet"].tolist() == [63857.73, 40648.10, 25994.25, 130500.08]
    assert fc.costs.loc["A", "Indirectes / directes (%)"] == pytest.approx(32.48, abs=0.005)
    assert fc.costs.loc["B", "Indirectes / coût complet (%)"] == pytest.approx(22.63, abs=0.005)
    assert fc.cascade.loc["LOC", "Vers les centres suivants"] == 1442.32
    assert fc.cascade.loc["ADM", "Total à répartir"] == 19442.32
    assert fc.costs.loc["A", "Résultat"] == pytest.approx(1000 - 63857.73)
    assert fc.unallocated_income == 500.0
    assert "au centime" in str(fc)


def test_workbook_for_the_auditor(example, tmp_path):
    fc = full_costs(example, KEYS, {"LOC": "m2", "ADM": "etp"})
    written = fc.to_excel(tmp_path / "couts.xlsx")
    book = pd.read_excel(written, sheet_name=None, index_col=0)
    assert list(book) == [
        "Coûts complets",
        "Répartition",
        "Cascade",
        "Règles et clés",
        "Quantités",
        "Problèmes",
    ]
    assert book["Répartition"].loc["Total", "Total"] == 30500.08
    assert book["Coûts complets"]["Coût complet"].tolist() == [
        63857.73,
        40648.10,
        25994.25,
        130500.08,
    ]


def test_step_down_order_matters(example):
    # administration first: its 18 000 go only to projects; locaux then serves projects only
    fc = full_costs(example, KEYS, {"LOC": "m2", "ADM": "etp"}, order=["ADM", "LOC"])
    assert fc.cascade.loc["ADM", "Vers les centres suivants"] == 0
    assert fc.table.loc["ADM", "Total"] == 18000.00
    assert fc.table.loc["LOC", "A"] == pytest.approx(12500.08 * 55 / 115, abs=0.01)
    assert fc.table.loc["Total", "Total"] == 30500.08


def test_account_groups_fixed_share_and_direct_costs_keys():
    entries = _entries(
        [
            ("6068", "A", 300.00, 0),
            ("6068", "B", 100.00, 0),
            ("6411", "ADM", 1000.00, 0),
            ("6226", "ADM", 200.00, 0),
            ("6611", "ADM", 10.00, 0),
        ]
    )
    rules = {
        "ADM:64": "etp",
        "ADM:66": {"A": 50, "B": 50},
        "ADM": "couts_directs",
    }
    fc = full_costs(entries, {"etp": {"A": 1, "B": 3}}, rules)
    assert fc.table.loc["ADM:64", ["A", "B"]].tolist() == [250.0, 750.0]
    assert fc.table.loc["ADM:66", ["A", "B"]].tolist() == [5.0, 5.0]
    assert fc.table.loc["ADM", ["A", "B"]].tolist() == [150.0, 50.0]  # 200 × 300/400
    block = fc.cerfa("A")
    assert block["Frais financiers"] == 5.0
    assert block["Autres"] == 400.0
    assert block["Total des charges indirectes"] == fc.table.loc["Total", "A"]


def test_errors_are_french_and_actionable(example):
    with pytest.raises(ColumnError, match="clé"):
        full_costs(example, KEYS, {"LOC": "surface", "ADM": "etp"})
    with pytest.raises(ColumnError, match="code analytique"):
        full_costs(example, KEYS, {"LOCAUX": "m2"})
    no_code = pd.concat([example, _entries([("6278", "", 12.0, 0)])], ignore_index=True)
    with pytest.raises(DataError, match="pas de code analytique"):
        full_costs(no_code, KEYS, {"LOC": "m2", "ADM": "etp"})
    with pytest.raises(DataError, match="quantité"):
        full_costs(
            example,
            pd.DataFrame({"Clé": ["m2"], "Code": ["A"], "Quantité": ["beaucoup"]}),
            {"LOC": "m2"},
        )


def test_missing_project_in_a_key_is_reported(example):
    keys = {"m2": {"ADM": 15, "A": 55, "B": 35}, "etp": {"A": 1.6, "B": 0.9, "C": 0.5}}
    fc = full_costs(example, keys, {"LOC": "m2", "ADM": "etp"})
    assert fc.table.loc["LOC", "C"] == 0
    assert (fc.problems["gravité"] == "alerte").any()
    assert "« C »" in fc.problems["message"].iloc[0]


def test_unit_costs_and_key_comparison(example):
    keys = {**KEYS, "participants": {"A": 100, "B": 50, "C": 25}}
    a = full_costs(example, keys, {"LOC": "m2", "ADM": "etp"})
    b = full_costs(example, keys, {"LOC": "m2", "ADM": "participants"})
    unit = a.unit_costs("participants")
    assert unit.loc["A", "Coût complet par unité (€)"] == pytest.approx(638.5773)
    assert unit.loc["C", "Coût direct par unité (€)"] == pytest.approx(814.0)
    comparison = compare_keys(a, b, names=("ETP", "participants"))
    t = comparison.table
    # admin 19 442,32 by participants 100/50/25: A gets 11 109,90 (quota 11 109,897…)
    assert b.table.loc["ADM", "A"] == 11109.90
    assert t.loc["A", "Écart (€)"] == pytest.approx(11109.90 - 10369.24)
    assert t.loc["Total", "Écart (€)"] == 0
    assert "ne change pas" in str(comparison)
    import matplotlib

    matplotlib.use("Agg")
    ax = comparison.plot()  # one bar per project: the gaps of the table, to the cent
    widths = sorted(round(p.get_width(), 2) for p in ax.patches)
    assert widths == sorted(round(v, 2) for v in t.drop("Total")["Écart (€)"])
    assert t.loc["A", "Écart (€)"] == pytest.approx(740.66)


def test_budget_and_compte_rendu_use_the_same_keys():
    budget = make_budget(
        pd.DataFrame(
            {
                "Code": ["606", "613", "641", "74 Commune"],
                "A": [10000, 0, 0, 10000],
                "B": [5000, 0, 0, 5000],
                "LOC": [0, 3000.01, 0, 0],
                "ADM": [0, 0, 4000, 7000.01],
            }
        ),
        year=2025,
    )
    keys = {"m2": {"ADM": 10, "A": 20, "B": 10}, "etp": {"A": 2, "B": 1}}
    planned = budget_full_costs(budget, keys, {"LOC": "m2", "ADM": "etp"})
    # locaux 3 000,01 by m² 10/20/10 → ADM 750,00 (quota 750,0025), A 1 500,01, B 750,00
    assert planned.table.loc["LOC", ["A", "B"]].tolist() == [1500.01, 750.00]
    assert planned.table.loc["ADM", ["A", "B"]].tolist() == [3166.67, 1583.33]
    block = planned.cerfa("A")
    assert block["Charges fixes de fonctionnement"] == 0  # LOC is not named « locaux »
    assert block["Total des charges indirectes"] == planned.table.loc["Total", "A"]
    block = planned.cerfa("A", lines={"LOC": "Charges fixes de fonctionnement"})
    assert block["Charges fixes de fonctionnement"] == 1500.01
    assert block["Autres"] == 3166.67


def test_dataset_cerfa_figures_agree_with_the_allocation_tables():
    ledger = datasets.load("maison_quartier_analytique")
    keys = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
    from movsc_toolkit.finance import read_budget

    budget = read_budget(datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
    rules = {"locaux": "m2", "administration": "etp"}
    actual = full_costs(ledger, keys, rules, 2025)
    planned = budget_full_costs(budget, keys, rules)
    # the allocation adds up to the ledger's charges, to the cent
    assert actual.costs.loc["Total", "Coût complet"] == ledger.S("6", 2025)
    assert actual.table.loc["Total", "Total"] == round(
        ledger.by_analytic(2025).loc[["locaux", "administration"], "Charges"].sum(), 2
    )
    assert planned.costs.loc["Total", "Coût complet"] == budget.total_charges
    for project in actual.projects:
        report = indirect_report(planned, actual, project)
        assert report.loc["Total des charges indirectes", "Prévision (€)"] == pytest.approx(
            planned.table.loc["Total", project], abs=1e-9
        )
        assert report.loc["Total des charges indirectes", "Réalisation (€)"] == pytest.approx(
            actual.table.loc["Total", project], abs=1e-9
        )
        lines = report.drop("Total des charges indirectes")
        assert lines["Réalisation (€)"].sum() == pytest.approx(
            actual.table.loc["Total", project], abs=1e-6
        )


def test_plot_stacks_direct_and_indirect(example):
    import matplotlib

    matplotlib.use("Agg")
    fc = full_costs(example, KEYS, {"LOC": "m2", "ADM": "etp"})
    ax = fc.plot()
    widths = [p.get_width() for p in ax.patches]
    assert widths[:3] == [48200.0, 31450.0, 20350.0]
    assert widths[3:] == pytest.approx([15657.73, 9198.10, 5644.25])
