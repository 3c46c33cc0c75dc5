"""Expected values of the exercises moved onto their own datasets (issue 11), recomputed
independently: straight from the raw files with pandas, scipy and hand formulas, never with the
toolkit function the exercise asks the student to use.

Exercises 01 and 09: ``enquete_epicerie_solidaire``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from movsc_toolkit import datasets
from movsc_toolkit.exercises import check


def expected(id: str):
    return check._get(id).expected_value()


# --------------------------------------------------------------------------- exercises 01 and 09


@pytest.fixture(scope="module")
def epicerie() -> pd.DataFrame:
    """The Kobo export as written: codes, group prefixes, empty cells for unanswered."""
    path = datasets.path("enquete_epicerie_solidaire", "reponses.csv")
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def margins() -> pd.DataFrame:
    path = datasets.path("enquete_epicerie_solidaire", "marges_population.csv")
    return pd.read_csv(path, sep=";")


def test_01_sample_size_by_the_textbook_formula():
    z = stats.norm.ppf(0.975)
    n_pop, e, p = 860, 0.05, 0.5
    n = n_pop * z**2 * p * (1 - p) / ((n_pop - 1) * e**2 + z**2 * p * (1 - p))
    assert expected("enquete-taille-echantillon") == math.ceil(n) == 266


def test_01_quota_by_largest_remainder(margins):
    ages = margins[margins["variable"] == "tranche_age"].set_index("modalite")["effectif"]
    exact = 200 * ages / ages.sum()
    quota = np.floor(exact)
    missing = int(200 - quota.sum())
    quota[(exact - quota).sort_values(ascending=False).index[:missing]] += 1
    assert expected("enquete-quota-seniors") == quota["60 ans et plus"] == 39


def test_01_required_questions_read_from_the_workbook():
    path = datasets.path("enquete_epicerie_solidaire", "formulaire.xlsx")
    survey_sheet = pd.read_excel(path, sheet_name="survey")
    required = survey_sheet["required"].astype(str).str.lower().isin(["yes", "true", "1"])
    assert expected("enquete-questions-obligatoires") == int(required.sum()) == 17


def test_01_dont_know_on_prices(epicerie):
    raw = int((epicerie["satisfaction/sat_prix"] == "nsp").sum())
    assert expected("enquete-nsp-prix") == raw


def test_01_qpv_among_single_parents(epicerie):
    mono = epicerie[epicerie["profil/foyer"] == "monoparental"]
    value = 100 * (mono["profil/quartier"] == "peupliers").sum() / len(mono)
    assert expected("enquete-qpv-monoparentales") == pytest.approx(value)


def test_01_needs_base_is_the_people_who_answered(epicerie):
    assert expected("enquete-besoins-repondants") == int((epicerie["besoins"] != "").sum())


def test_01_budget_support_among_single_parents(epicerie):
    mono = epicerie[epicerie["profil/foyer"] == "monoparental"]
    value = 100 * (mono["frequentation/services/budget"] == "1").mean()
    assert expected("enquete-budget-monoparentales") == pytest.approx(value)


def test_01_cramers_v_and_decision_with_scipy(epicerie):
    answered = epicerie[epicerie["benevolat"] != ""]
    table = pd.crosstab(answered["profil/tranche_age"], answered["benevolat"])
    chi2, _, _, _ = stats.chi2_contingency(table, correction=False)
    v = math.sqrt(chi2 / (table.to_numpy().sum() * (min(table.shape) - 1)))
    assert expected("enquete-v-age-benevolat") == pytest.approx(v)

    table = pd.crosstab(epicerie["frequentation/anciennete"], epicerie["recommandation"])
    _, p, _, exp = stats.chi2_contingency(table, correction=False)
    assert exp.min() >= 5  # Cochran's rule holds: the χ² p-value decides
    assert expected("enquete-anciennete-recommandation") is bool(p < 0.05) is False


@pytest.mark.parametrize(
    ("id", "column"),
    [
        ("diagnostic-reference-information", "sat_information"),
        ("diagnostic-reference-horaires", "sat_horaires"),
    ],
)
def test_09_references_exclude_dont_know(epicerie, id, column):
    raw = epicerie[f"satisfaction/{column}"]
    answered = raw[~raw.isin(["", "nsp"])]
    value = 100 * answered.isin(["4", "5"]).sum() / len(answered)
    assert expected(id) == pytest.approx(value)


def test_09_reference_table(epicerie):
    raw = epicerie["benevolat"]
    ben = 100 * (raw == "oui").sum() / (raw != "").sum()
    table = expected("diagnostic-references")
    assert list(table.index) == ["INF", "HOR", "BEN"]
    assert table.loc["BEN", "reference"] == pytest.approx(ben)
    assert table.loc["INF", "reference"] == expected("diagnostic-reference-information")
    # the SMART option quotes the INF reference as the notebook rounds it
    assert "de 48 % à 65 %" in check._get("diagnostic-objectif-smart").choices["b"]
    assert round(table.loc["INF", "reference"]) == 48
