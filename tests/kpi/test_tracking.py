"""Hand-computed values for every aggregation, rate, progression, status rule and delay."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit import kpi
from movsc_toolkit._errors import ColumnError, DataError

Y0, Y1 = "2025-01-01", "2025-12-31"
REF = ("2024-01-01", "2024-12-31")


def month(m: int, year: int = 2025) -> tuple[str, str]:
    start = pd.Timestamp(year=year, month=m, day=1)
    return str(start.date()), str((start + pd.offsets.MonthEnd(0)).date())


def quarter(q: int) -> tuple[str, str]:
    start = pd.Timestamp(year=2025, month=3 * q - 2, day=1)
    return str(start.date()), str((start + pd.offsets.QuarterEnd(0)).date())


INDICATORS = pd.DataFrame(
    [
        # code, libelle, mesure, sens, agregation, facteur
        ("S", "Somme", "nombre", "hausse", "somme", None),
        ("M", "Moyenne", "pourcentage", "hausse", "moyenne", None),
        ("D", "Dernier, à la baisse", "nombre", "baisse", "dernier", None),
        ("C", "Cumul", "nombre", "hausse", "cumul", None),
        ("R", "Ratio", "pourcentage", "hausse", "ratio", 100),
        ("Q", "Qualitatif", "qualitatif", None, None, None),
        ("A", "Atteint", "nombre", None, None, None),
        ("E", "Cible = référence", "nombre", "hausse", "dernier", None),
        ("L", "En retard", "nombre", "hausse", "somme", None),
    ],
    columns=["code", "libelle", "mesure", "sens", "agregation", "facteur"],
)


def _rows() -> list[dict]:
    rows = []

    def add(code, kind, period, valeur=None, num=None, den=None, dim=None, mod=None, com=None):
        rows.append(
            {
                "code": code,
                "type_valeur": kind,
                "periode_debut": period[0],
                "periode_fin": period[1],
                "dimension_nom": dim,
                "dimension_valeur": mod,
                "numerateur_valeur": num,
                "denominateur_valeur": den,
                "valeur": valeur,
                "commentaire": com,
            }
        )

    add("S", "reference", REF, 10)
    add("S", "cible", (Y0, Y1), 100)
    add("S", "cible", (Y0, "2026-12-31"), 250)
    for m in range(1, 7):
        add("S", "realise", month(m), 10)
        add("S", "realise", month(m), 4, dim="sexe", mod="femme")
        add("S", "realise", month(m), 6, dim="sexe", mod="homme")
    add("S", "realise", month(7), 15)
    add("S", "realise", month(1, 2026), 30)
    add("M", "reference", REF, 2)
    add("M", "cible", (Y0, Y1), 10)
    for q, v in zip((1, 2, 3), (4, 6, 8), strict=True):
        add("M", "realise", quarter(q), v)
    add("D", "reference", REF, 6)
    add("D", "cible", (Y0, Y1), 2)
    add("D", "realise", month(1), 5)
    add("D", "realise", month(2), 3)
    add("C", "cible", ("2025-07-01", Y1), 10)
    add("C", "realise", month(3), 3)
    add("C", "realise", month(8), 4)
    add("R", "reference", REF, 40)
    add("R", "cible", (Y0, Y1), 50)
    add("R", "realise", month(1), num=30, den=40)
    add("R", "realise", month(1), num=20, den=25, dim="sexe", mod="femme")
    add("R", "realise", month(1), num=10, den=15, dim="sexe", mod="homme")
    add("R", "realise", month(2), num=10, den=60)
    add("R", "realise", month(2), num=4, den=20, dim="sexe", mod="femme")
    add("R", "realise", month(2), num=6, den=40, dim="sexe", mod="homme")
    add("Q", "realise", month(3), com="Les habitants se parlent davantage.")
    add("A", "cible", (Y0, Y1), 5)
    add("A", "realise", month(1), 6)
    add("E", "reference", REF, 50)
    add("E", "cible", (Y0, Y1), 50)
    add("E", "realise", month(1), 45)
    add("L", "cible", (Y0, Y1), 100)
    add("L", "realise", month(6), 10)
    return rows


MILESTONES = pd.DataFrame(
    {
        "code": ["J1", "J2", "J3", "J4", "J5"],
        "libelle": ["franchi en retard", "en retard", "en avance", "à venir", "réel plus tard"],
        "date_prevue": ["01/03/2025", "01/05/2025", "01/06/2025", "01/08/2025", "01/04/2025"],
        "date_reelle": ["11/03/2025", None, "25/05/2025", None, "15/07/2025"],
        "responsable": ["direction"] * 5,
    }
)


@pytest.fixture
def project() -> kpi.Project:
    return kpi.build_project(INDICATORS, pd.DataFrame(_rows()), milestones=MILESTONES, name="test")


def test_fixture_is_clean(project):
    assert project.problems.empty, project.problems.to_string()


def test_somme_over_target_period_and_as_of(project):
    st = kpi.indicator_status(project, "30/06/2025")
    s = st.loc["S"]
    assert s["realise"] == 60  # July (ends after as_of) is ignored
    assert s["cible"] == 100  # the 2025 target: the first one ending on or after as_of
    assert s["taux"] == pytest.approx(60.0)
    assert s["progression"] == pytest.approx((60 - 10) / (100 - 10) * 100)
    assert s["ecoule"] == pytest.approx(181 / 365)
    assert s["statut"] == "en bonne voie"  # 55.6 ≥ 49.6 − 10
    assert s["projection"] == pytest.approx(60 / (181 / 365))
    # once the 2025 target has ended, the later target is used, over its own period
    later = kpi.indicator_status(project, "2026-03-31").loc["S"]
    assert later["cible"] == 250
    assert later["realise"] == 60 + 15 + 30
    final = kpi.indicator_status(project, "30/06/2025", target="finale").loc["S"]
    assert final["cible"] == 250


def test_moyenne_and_threshold_boundary(project):
    m = kpi.indicator_status(project, "30/09/2025").loc["M"]
    assert m["realise"] == pytest.approx(6.0)
    assert m["taux"] == pytest.approx(60.0)
    assert m["progression"] == pytest.approx(50.0)
    assert m["ecoule"] == pytest.approx(273 / 365)
    # gap = 50 − 74.79 = −24.8: between −25 and −10 → à surveiller
    assert m["statut"] == "à surveiller"
    # least-squares line through (Q1, 4), (Q2, 6), (Q3, 8) evaluated at 31/12/2025
    days = (
        pd.to_datetime(["2025-03-31", "2025-06-30", "2025-09-30"]) - pd.Timestamp("2025-03-31")
    ).days
    x = np.asarray(days, dtype=float)
    slope, intercept = np.polyfit(x, [4, 6, 8], 1)
    end = (pd.Timestamp("2025-12-31") - pd.Timestamp("2025-03-31")).days
    assert m["projection"] == pytest.approx(intercept + slope * end)


def test_dernier_with_sens_baisse(project):
    d = kpi.indicator_status(project, "28/02/2025").loc["D"]
    assert d["realise"] == 3
    assert d["taux"] == pytest.approx(2 / 3 * 100)  # cible / réalisé for a decrease
    assert d["progression"] == pytest.approx((3 - 6) / (2 - 6) * 100)
    assert d["statut"] == "en bonne voie"
    assert kpi.indicator_status(project, "31/01/2025").loc["D", "realise"] == 5


def test_cumul_counts_from_the_beginning(project):
    c = kpi.indicator_status(project, "30/09/2025").loc["C"]
    assert c["realise"] == 7  # 3 (March, before the target's period) + 4 (August)
    assert math.isnan(c["progression"])  # no baseline
    assert c["taux"] == pytest.approx(70.0)
    assert c["ecoule"] == pytest.approx(62 / 184)
    assert c["statut"] == "en bonne voie"  # status on the taux: 70 ≥ 33.7 − 10
    assert "pas de valeur de référence" in c["remarque"]


def test_ratio_is_sum_of_numerators_over_sum_of_denominators(project):
    r = kpi.indicator_status(project, "28/02/2025").loc["R"]
    assert r["realise"] == pytest.approx((30 + 10) / (40 + 60) * 100)  # 40, not 45.8
    assert r["taux"] == pytest.approx(80.0)
    assert r["progression"] == pytest.approx(0.0)
    assert r["statut"] == "à surveiller"  # 0 − 16.2 = −16.2


def test_status_rules(project):
    st = kpi.indicator_status(project, "30/06/2025")
    assert st.loc["A", "statut"] == "atteint"
    assert st.loc["A", "taux"] == pytest.approx(120.0)
    assert st.loc["L", "statut"] == "en retard"  # 10 − 49.6 < −25
    assert st.loc["Q", "statut"] == "non mesuré"
    assert st.loc["Q", "commentaire"] == "Les habitants se parlent davantage."
    e = st.loc["E"]
    assert math.isnan(e["progression"])
    assert "cible égale à la référence" in e["remarque"]
    assert e["taux"] == pytest.approx(90.0)
    assert e["statut"] == "en bonne voie"


def test_not_measured_before_any_value(project):
    st = kpi.indicator_status(project, "15/01/2025")
    assert st.loc["S", "statut"] == "non mesuré"
    assert "aucune valeur réalisée au 15/01/2025" in st.loc["S", "remarque"]


def test_custom_thresholds():
    ind = pd.DataFrame({"code": ["X"], "libelle": ["x"], "seuils": ["30;60"]})
    vals = pd.DataFrame(
        {
            "code": ["X", "X"],
            "type_valeur": ["cible", "realise"],
            "periode_debut": ["01/01/2025", "01/01/2025"],
            "periode_fin": ["31/12/2025", "31/12/2025"],
            "valeur": [100, 50],
        }
    )
    p = kpi.build_project(ind, vals)
    assert p.indicators.loc["X", "agregation"] == "somme"  # default
    st = kpi.indicator_status(p, "31/12/2025").loc["X"]
    assert math.isnan(st["progression"])  # no baseline
    assert st["taux"] == pytest.approx(50.0)  # the status uses the taux: gap 50 − 100 = −50
    assert st["statut"] == "à surveiller"  # between −60 and −30 with seuils 30;60
    default = kpi.build_project(ind.drop(columns="seuils"), vals)
    assert kpi.indicator_status(default, "31/12/2025").loc["X", "statut"] == "en retard"


def test_dashboard_columns(project):
    tb = kpi.dashboard(project, "30/06/2025")
    assert list(tb.columns[:7]) == kpi.DASHBOARD_COLUMNS
    assert tb.index.name == "code"
    assert list(tb.index) == list(INDICATORS["code"])
    assert tb.loc["S", "Taux de réalisation (%)"] == pytest.approx(60.0)
    # full precision in the cells, 2 decimals on display (QA: 49.589041 in the notebooks)
    assert tb.loc["S", "Période écoulée (%)"] == pytest.approx(181 / 365 * 100, rel=1e-12)
    assert isinstance(tb, kpi.DashboardTable)
    assert tb.as_of == pd.Timestamp("2025-06-30")
    # to_frame() is the exact table, a copy: changing it leaves the dashboard as it was
    frame = tb.to_frame()
    assert isinstance(frame, pd.DataFrame) and frame.equals(tb.table)
    frame.loc["S", "Cible"] = 0
    assert tb.loc["S", "Cible"] == 100
    col = ["Cible", "Période écoulée (%)"]
    assert tb[col]["Période écoulée (%)"].equals(tb.table["Période écoulée (%)"])
    # the display, not the values, is rounded to `decimals` (French numbers), after a sentence
    # giving the date; the HTML shows every column
    html = tb._repr_html_()
    assert html.startswith("<p>Tableau de bord au 30/06/2025 : ")
    assert "49,59" in html and "49,589" not in html and "49.59" not in html
    with pd.option_context("display.max_columns", None, "display.width", 10_000):
        text = repr(tb)
        assert text.startswith("Tableau de bord au 30/06/2025 : ")
        assert "49,59" in text and "49,589" not in text
        assert "49,6" in repr(kpi.dashboard(project, "30/06/2025", decimals=1))
        assert "49,589041" in repr(kpi.dashboard(project, "30/06/2025", decimals=None))
    assert kpi.dashboard(project, "30/06/2025", decimals=1).loc["S", "Période écoulée (%)"] == (
        pytest.approx(181 / 365 * 100, rel=1e-12)
    )
    # a result: frozen, identity equality (comparing two tables cell by cell is not ==)
    again = kpi.dashboard(project, "30/06/2025")
    assert tb == tb and tb != again
    with pytest.raises(dataclasses.FrozenInstanceError):
        tb.decimals = 1  # type: ignore[misc]


def test_realised_without_target_is_not_reported_as_unmeasured():
    """QA: an indicator with realised values but no target was shown « non mesuré »."""
    ind = pd.DataFrame({"code": ["NEW", "OLD"], "libelle": ["Nouveau", "Ancien"]})
    vals = pd.DataFrame(
        {
            "code": ["NEW", "OLD"],
            "type_valeur": ["realise", "cible"],
            "periode_debut": ["01/01/2025", "01/01/2025"],
            "periode_fin": ["31/03/2025", "31/12/2025"],
            "valeur": [5, 100],
        }
    )
    p = kpi.build_project(ind, vals)
    st = kpi.indicator_status(p, "31/03/2025")
    assert st.loc["NEW", "statut"] == "sans cible"
    assert "ajoutez une ligne « cible »" in st.loc["NEW", "remarque"]
    assert st.loc["OLD", "statut"] == "non mesuré"  # a target, nothing realised yet
    summary = str(kpi.evaluation_summary(p, "31/03/2025"))
    assert "1 sans cible" in summary
    assert "**NEW** Nouveau : 5 réalisé(s), mais aucune cible n'est fixée" in summary


def test_trajectory(project):
    t = kpi.trajectory(project, "30/06/2025", "S")
    assert list(t["Réalisé"]) == [10, 20, 30, 40, 50, 60]
    assert t["Cible"].eq(100).all()
    # baseline 10 at the start, target 100 at the end of the year
    assert t["Trajectoire"].iloc[-1] == pytest.approx(10 + 90 * 181 / 365)
    r = kpi.trajectory(project, "28/02/2025", "R")
    assert list(r["Réalisé"]) == pytest.approx([75.0, 40.0])


def test_disaggregate(project):
    d = kpi.disaggregate(project, "30/06/2025", "S")
    assert d.loc[("S", "sexe", "femme"), "Réalisé"] == 24
    assert d.loc[("S", "sexe", "homme"), "Part du total (%)"] == pytest.approx(60.0)
    r = kpi.disaggregate(project, "28/02/2025", "R", "Sexe")
    assert r.loc[("R", "sexe", "femme"), "Réalisé"] == pytest.approx(24 / 45 * 100)
    assert r.loc[("R", "sexe", "homme"), "Réalisé"] == pytest.approx(16 / 55 * 100)
    with pytest.raises(ColumnError):
        kpi.disaggregate(project, "28/02/2025", "R", "quartier")
    with pytest.raises(ColumnError):
        kpi.disaggregate(project, "28/02/2025", "ZZZ")


def test_milestones_delays(project):
    j = kpi.milestones(project, "30/06/2025")
    assert j["Retard (jours)"].to_dict() == {"J1": 10, "J2": 60, "J3": -7, "J4": 0, "J5": 90}
    assert j["État"].to_dict() == {
        "J1": "franchi en retard",
        "J2": "en retard",
        "J3": "franchi",
        "J4": "à venir",
        "J5": "en retard",
    }
    later = kpi.milestones(project, "31/07/2025")
    assert later.loc["J5", "Retard (jours)"] == 105  # 15/07 − 01/04


def test_as_of_parsing_and_default(project):
    with pytest.raises(DataError, match="n'est pas une date"):
        kpi.dashboard(project, "trente juin")
    # default: the end of the latest realised period (January 2026)
    assert kpi.dashboard(project).as_of == pd.Timestamp("2026-01-31")


def test_indicator_from_survey_and_add_values(project):
    survey = pd.DataFrame(
        {
            "satisfaction": ["Très satisfait", "Satisfait", "Peu satisfait", None, "Satisfait"]
            + ["Pas du tout satisfait"] * 3,
            "sexe": ["F", "F", "H", "H", "H", "F", "H", "H"],
        }
    )
    rows = kpi.indicator_from_survey(
        survey,
        "R",
        column="satisfaction",
        values=["Très satisfait", "Satisfait"],
        period_start="01/03/2025",
        period_end="31/03/2025",
        by="sexe",
    )
    total = rows[rows["dimension_nom"].isna()].iloc[0]
    assert (total["numerateur_valeur"], total["denominateur_valeur"]) == (3, 7)
    assert total["valeur"] == pytest.approx(300 / 7)
    assert "1 sans réponse" in total["commentaire"]
    parts = rows[rows["dimension_nom"] == "sexe"].set_index("dimension_valeur")
    assert parts["numerateur_valeur"].to_dict() == {"F": 2, "H": 1}
    assert parts["denominateur_valeur"].sum() == 7
    updated = kpi.add_values(project, rows)
    assert updated.problems.empty
    r = kpi.indicator_status(updated, "31/03/2025").loc["R"]
    assert r["realise"] == pytest.approx((30 + 10 + 3) / (40 + 60 + 7) * 100)
    assert len(project.values) + 3 == len(updated.values)  # the original is unchanged
    cond = kpi.indicator_from_survey(
        survey,
        "R",
        condition=lambda d: (
            d["satisfaction"].str.contains("atisfait").where(d["satisfaction"].notna())
        ),
        period_start="01/03/2025",
        period_end="31/03/2025",
    )
    assert cond.loc[0, "numerateur_valeur"] == 7
    with pytest.raises(DataError, match="aucune des réponses"):
        kpi.indicator_from_survey(
            survey,
            "R",
            column="satisfaction",
            values="Content",
            period_start="01/03/2025",
            period_end="31/03/2025",
        )


def test_targets_by_modality_give_rates_by_modality():
    ind = pd.DataFrame({"code": ["N"], "libelle": ["Nombre"], "desagregations": ["sexe"]})
    rows = [
        ("cible", None, None, 100),
        ("cible", "sexe", "femme", 60),
        ("cible", "sexe", "homme", 40),
        ("realise", None, None, 50),
        ("realise", "sexe", "femme", 30),
        ("realise", "sexe", "homme", 20),
    ]
    vals = pd.DataFrame(
        [
            {
                "code": "N",
                "type_valeur": t,
                "periode_debut": "01/01/2025",
                "periode_fin": "31/12/2025" if t == "cible" else "31/03/2025",
                "dimension_nom": d,
                "dimension_valeur": m,
                "valeur": v,
            }
            for t, d, m, v in rows
        ]
    )
    p = kpi.build_project(ind, vals)
    assert p.problems.empty
    d = kpi.disaggregate(p, "31/03/2025")
    assert d["Cible"].tolist() == [60, 40]
    assert d["Taux de réalisation (%)"].tolist() == pytest.approx([50.0, 50.0])
    assert d["Part du total (%)"].tolist() == pytest.approx([60.0, 40.0])


def test_empty_project_and_summary():
    ind = pd.DataFrame(columns=["code", "libelle"])
    vals = pd.DataFrame(columns=["code", "type_valeur", "periode_debut", "periode_fin", "valeur"])
    p = kpi.build_project(ind, vals, name="vide")
    empty = kpi.dashboard(p, "31/03/2026")
    assert len(empty) == 0 and empty.to_frame().empty
    assert str(empty).startswith("Tableau de bord au 31/03/2026 : aucun indicateur.")
    assert "aucun indicateur" in str(kpi.evaluation_summary(p, "31/03/2026"))
    assert "aucun problème détecté" in str(p)
    with pytest.raises(DataError, match="précisez la date"):
        kpi.milestones(p)


def _naive_status(project: kpi.Project, as_of: pd.Timestamp) -> dict[str, dict]:
    """A second, loop-per-indicator implementation of the documented rules."""
    v = project.values
    out = {}
    for code, ind in project.indicators.iterrows():
        rows = v[(v["code"] == code) & v["dimension_nom"].isna()]
        targets = rows[rows["type_valeur"] == "cible"]
        future = targets[targets["periode_fin"] >= as_of]
        if len(future):
            t = future.sort_values(["periode_fin", "periode_debut"]).iloc[0]
        else:
            t = targets.sort_values(["periode_fin", "periode_debut"]).iloc[-1]
        refs = rows[rows["type_valeur"] == "reference"].sort_values("periode_fin")
        ref = refs["valeur"].iloc[-1] if len(refs) else math.nan
        real = rows[(rows["type_valeur"] == "realise") & (rows["periode_fin"] <= as_of)]
        real = real[real["periode_fin"] <= t["periode_fin"]]
        if ind["agregation"] != "cumul":
            real = real[real["periode_debut"] >= t["periode_debut"]]
        real = real.sort_values("periode_fin")
        if real.empty:
            out[code] = {"realise": math.nan, "statut": "non mesuré"}
            continue
        agg = ind["agregation"]
        if agg in ("somme", "cumul"):
            r = real["valeur"].sum()
        elif agg == "moyenne":
            r = real["valeur"].mean()
        elif agg == "dernier":
            r = real["valeur"].iloc[-1]
        else:
            r = real["numerateur_valeur"].sum() / real["denominateur_valeur"].sum() * ind["facteur"]
        c = t["valeur"]
        taux = c / r * 100 if ind["sens"] == "baisse" else r / c * 100
        prog = (r - ref) / (c - ref) * 100 if c != ref else math.nan
        days = (t["periode_fin"] - t["periode_debut"]).days + 1
        done = (real["periode_fin"].max() - t["periode_debut"]).days + 1
        elapsed = min(max(done / days, 0), 1) * 100
        p = taux if math.isnan(prog) else prog
        reached = r <= c if ind["sens"] == "baisse" else r >= c
        if reached:
            status = "atteint"
        elif p >= elapsed - 10:
            status = "en bonne voie"
        elif p >= elapsed - 25:
            status = "à surveiller"
        else:
            status = "en retard"
        out[code] = {"realise": r, "taux": taux, "progression": prog, "statut": status}
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_engine_matches_a_naive_implementation(seed):
    rng = np.random.default_rng(seed)
    aggs = ["somme", "moyenne", "dernier", "cumul", "ratio"]
    n = 30
    ind = pd.DataFrame(
        {
            "code": [f"K{i}" for i in range(n)],
            "libelle": [f"indicateur {i}" for i in range(n)],
            "agregation": [aggs[i % 5] for i in range(n)],
            "sens": rng.choice(["hausse", "baisse"], size=n),
            "facteur": [100 if i % 5 == 4 else 1 for i in range(n)],
            "mesure": ["ratio" if i % 5 == 4 else "nombre" for i in range(n)],
        }
    )
    rows_all = []
    months = pd.date_range("2024-01-01", periods=36, freq="MS")
    for i, code in enumerate(ind["code"]):
        spec = [("reference", "2023-01-01", "2023-12-31", rng.integers(0, 50), None, None)]
        for year in (2024, 2025, 2026):  # yearly targets plus a final one
            spec.append(
                ("cible", f"{year}-01-01", f"{year}-12-31", rng.integers(60, 500), None, None)
            )
        spec.append(("cible", "2024-01-01", "2026-12-31", rng.integers(500, 3000), None, None))
        for m in months[: rng.integers(5, 36)]:
            den = int(rng.integers(10, 100))
            num = int(rng.integers(0, den + 1))
            spec.append(("realise", m, m + pd.offsets.MonthEnd(0), rng.integers(1, 100), num, den))
        for kind, start, end, val, num, den in spec:
            ratio = aggs[i % 5] == "ratio" and kind == "realise"
            rows_all.append(
                {
                    "code": code,
                    "type_valeur": kind,
                    "periode_debut": pd.Timestamp(start),
                    "periode_fin": pd.Timestamp(end),
                    "valeur": None if ratio else float(val),
                    "numerateur_valeur": num if ratio else None,
                    "denominateur_valeur": den if ratio else None,
                }
            )
    p = kpi.build_project(ind, pd.DataFrame(rows_all))
    assert (p.problems["gravité"] != "erreur").all()
    for as_of in ("2024-06-30", "2025-03-31", "2026-12-31"):
        day = pd.Timestamp(as_of)
        fast = kpi.indicator_status(p, day)
        slow = _naive_status(p, day)
        for code, expected in slow.items():
            got = fast.loc[code]
            assert got["statut"] == expected["statut"], (code, as_of)
            for key in ("realise", "taux", "progression"):
                if key in expected:
                    assert got[key] == pytest.approx(expected[key], nan_ok=True), (code, key)


def test_indicator_from_survey_refuses_bad_weights_naming_the_lines():
    survey = pd.DataFrame(
        {"satisfaction": ["Satisfait", "Peu satisfait", "Satisfait", "Satisfait"]}
    )
    common = dict(
        column="satisfaction",
        values="Satisfait",
        period_start="01/03/2025",
        period_end="31/03/2025",
    )
    for weights, what in (([1, "NC", 2, 1], "non numériques"), ([1, 1, -2, 1], "négatifs")):
        data = survey.assign(poids=weights)
        with pytest.raises(DataError, match=what) as err:
            kpi.indicator_from_survey(data, "R", weights="poids", **common)
        assert "ligne" in str(err.value)
    # French decimal commas in the weights are read: (1 + 1,5) / (1 + 2 + 1 + 1,5)
    data = survey.assign(poids=["1", "2", "1", "1,5"])
    rows = kpi.indicator_from_survey(data, "R", weights="poids", **common)
    assert rows.loc[0, "numerateur_valeur"] == pytest.approx(3.5)
    assert rows.loc[0, "denominateur_valeur"] == pytest.approx(5.5)


def test_parse_date_is_the_shared_one():
    assert kpi.dashboard.__module__  # the kpi API keeps its names
    from movsc_toolkit import _parse
    from movsc_toolkit.kpi import tracking

    assert tracking.parse_date is _parse.parse_date
    assert tracking.parse_date("31/03/2026") == pd.Timestamp("2026-03-31")
    with pytest.raises(DataError, match="hors des limites"):
        tracking.parse_date("31/03/3026", "as_of")
