"""Dashboard, figures, exports and evaluation summary on the bundled project."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from movsc_toolkit import datasets, kpi
from movsc_toolkit._errors import FileError

AS_OF = "31/03/2026"


@pytest.fixture(scope="module")
def project() -> kpi.Project:
    return datasets.load("projet_tiers_lieu")


def test_dataset_loads_as_a_project(project):
    assert isinstance(project, kpi.Project)
    assert project.name == "L'Escale numérique"
    assert 10 <= len(project.indicators) <= 15
    ind = project.indicators
    assert set(ind["agregation"]) == set(kpi.AGREGATIONS)
    assert set(ind["mesure"]) == set(kpi.MESURES)
    assert set(ind["type_resultat"]) == set(kpi.TYPES_RESULTAT)
    assert set(ind["sens"]) == set(kpi.SENS)
    assert len(project.budget) > 0 and len(project.logframe) > 0
    # the two anomalies documented in the datasheet, and nothing else
    problems = project.problems
    assert list(problems["gravité"]) == ["alerte", "erreur"]
    assert list(problems["élément"]) == ["FREQ", "PART"]


def test_dashboard_of_the_dataset(project):
    tb = kpi.dashboard(project, AS_OF)
    assert list(tb.columns[:7]) == kpi.DASHBOARD_COLUMNS
    # every status occurs, but « sans cible » (each measured indicator has a target)
    assert set(tb["Statut"]) == set(kpi.STATUTS) - {"sans cible"}
    assert tb.loc["LIEN", "Statut"] == "non mesuré"
    # hand check of FREQ: sum of the monthly totals up to March 2026 over the target 9 000
    v = project.values
    freq = v[(v["code"] == "FREQ") & (v["type_valeur"] == "realise") & v["dimension_nom"].isna()]
    realised = freq.loc[freq["periode_fin"] <= pd.Timestamp("2026-03-31"), "valeur"].sum()
    assert tb.loc["FREQ", "Réalisé"] == realised
    assert tb.loc["FREQ", "Taux de réalisation (%)"] == pytest.approx(realised / 9000 * 100)
    # the intermediate 2025 target is the current one at the end of 2025
    assert kpi.dashboard(project, "31/12/2025").loc["FREQ", "Cible"] == 5000
    # PART ignores the August line with a zero denominator
    part = v[(v["code"] == "PART") & (v["type_valeur"] == "realise") & v["dimension_nom"].isna()]
    expected = part["numerateur_valeur"].sum() / part["denominateur_valeur"].sum() * 100
    assert tb.loc["PART", "Réalisé"] == pytest.approx(expected, rel=1e-12)


def test_plot_dashboard_and_gantt(project):
    fig = kpi.plot_dashboard(project, AS_OF)
    assert isinstance(fig, Figure)
    assert sum(ax.get_visible() for ax in fig.axes) == len(project.indicators)
    plt.close(fig)
    ax = kpi.plot_milestones(project, AS_OF)
    assert isinstance(ax, Axes)
    assert len(ax.get_yticklabels()) == len(project.milestones)
    plt.close(ax.figure)


def test_exports(project, tmp_path):
    xlsx = kpi.export_dashboard(project, tmp_path / "comite.xlsx", AS_OF)
    book = pd.read_excel(xlsx, sheet_name=None)
    assert list(book) == ["Tableau de bord", "Jalons", "Désagrégations", "Synthèse", "Contrôles"]
    assert book["Tableau de bord"]["Statut"].notna().all()
    ods = pd.read_excel(kpi.export_dashboard(project, tmp_path / "comite.ods", AS_OF), None)
    assert list(ods) == list(book)
    assert ods["Jalons"]["Retard (jours)"].tolist() == book["Jalons"]["Retard (jours)"].tolist()
    html = kpi.export_dashboard(project, tmp_path / "comite.html", AS_OF).read_text("utf-8")
    assert "Progression vers la cible (%)" in html
    assert html.count("data:image/png;base64,") == 2
    assert "<h3>Actions à ajuster</h3>" in html
    assert ">NaN<" not in html
    with pytest.raises(FileError, match=r"« \.pdf » n'est pas prévu(.|\n)*Que faire : .*\.xlsx"):
        kpi.export_dashboard(project, tmp_path / "comite.pdf", AS_OF)


def test_evaluation_summary(project):
    summary = kpi.evaluation_summary(project, AS_OF)
    text = str(summary)
    assert text.startswith("## Évaluation du projet « L'Escale numérique » au 31/03/2026")
    for section in (
        "Ce qui est atteint",
        "Ce qui prend du retard",
        "Jalons en retard",
        "Actions à ajuster",
    ):
        assert f"### {section}" in text
    tb = kpi.dashboard(project, AS_OF)
    by_status = tb["Statut"].value_counts().reindex(kpi.STATUTS, fill_value=0).to_dict()
    assert summary.counts == tb.counts == by_status
    late = tb.index[tb["Statut"] == "en retard"]
    for code in late:
        assert f"**{code}** : renforcer les activités" in text
    assert "**J8**" in text and "**J9**" in text
    assert summary.to_frame()["Indicateurs"].sum() == len(tb)


def test_survey_feeds_satisfaction(project):
    survey = datasets.load("projet_tiers_lieu", path="enquete_usagers_2026.csv")
    rows = kpi.indicator_from_survey(
        survey,
        "SAT",
        column="satisfaction",
        values=["Très satisfait", "Satisfait"],
        period_start="01/01/2026",
        period_end="31/03/2026",
        by="sexe",
    )
    answered = survey["satisfaction"].notna()
    happy = survey["satisfaction"].isin(["Très satisfait", "Satisfait"])
    assert rows.loc[0, "numerateur_valeur"] == happy.sum()
    assert rows.loc[0, "denominateur_valeur"] == answered.sum()
    updated = kpi.add_values(project, rows)
    assert len(updated.problems) == len(project.problems)
    before = kpi.dashboard(project, AS_OF).loc["SAT"]
    after = kpi.dashboard(updated, AS_OF).loc["SAT"]
    assert after["Dernière mesure"] == pd.Timestamp("2026-03-31")
    assert before["Dernière mesure"] == pd.Timestamp("2025-12-31")
    v = project.values
    sat = v[(v["code"] == "SAT") & (v["type_valeur"] == "realise") & v["dimension_nom"].isna()]
    expected = (sat["numerateur_valeur"].sum() + happy.sum()) / (
        sat["denominateur_valeur"].sum() + answered.sum()
    )
    assert after["Réalisé"] == pytest.approx(expected * 100)


def test_template_notebook_runs_on_its_example(tmp_path):
    import shutil
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    templates = Path(kpi.__file__).resolve().parent.parent / "templates"
    shutil.copy(templates / "07_pilotage.ipynb", tmp_path)
    (tmp_path / "donnees").mkdir()
    shutil.copy(templates / "donnees" / "projet_pilotage.xlsx", tmp_path / "donnees")
    notebook = nbformat.read(tmp_path / "07_pilotage.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert (tmp_path / "tableau_de_bord.xlsx").is_file()
    assert (tmp_path / "tableau_de_bord.html").is_file()


def test_project_and_summary_are_results_of_the_shared_family(project):
    from movsc_toolkit._report import Report

    assert isinstance(project, Report) and project == project
    assert project != datasets.load("projet_tiers_lieu")  # identity, not a table comparison
    frame = project.to_frame()
    assert frame.equals(project.indicators) and frame is not project.indicators
    assert str(project).startswith(f"Projet « {project.name} »")
    summary = kpi.evaluation_summary(project, AS_OF)
    counts = summary.to_frame()["Indicateurs"]
    assert counts.sum() == len(project.indicators)
    assert counts.to_dict() == summary.counts
    assert "<h2>" in summary._repr_html_() and str(summary) == summary.markdown.rstrip("\n")
