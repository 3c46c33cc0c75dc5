"""The application file (*dossier de demande de subvention*): what the toolkit can fill.

:func:`export_dossier` writes the project budget (CERFA 12156), the call's rules, the result of
the check, the structure's key figures and the project's indicators to a Word document or a
workbook; the parts that are written, not computed, are left to complete.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .._errors import FileError, column_error
from .._format import format_euro
from .._write import write_excel
from .application import ApplicationCheck
from .budget import Budget
from .calls import CallForProjects

if TYPE_CHECKING:
    from ..kpi import DashboardTable, Project

__all__ = ["export_dossier"]


def export_dossier(
    path: str | PathLike[str],
    budget: Budget,
    *,
    project: str | None = None,
    call: CallForProjects | None = None,
    check: ApplicationCheck | None = None,
    structure: pd.DataFrame | None = None,
    project_indicators: pd.DataFrame | Project | DashboardTable | None = None,
    title: str | None = None,
) -> Path:
    """Write the parts of an application the toolkit can fill, to ``.docx`` or ``.xlsx``.

    Parameters
    ----------
    path
        Destination: ``.docx`` (a Word document to complete) or ``.xlsx`` (one sheet per
        part).
    budget, project
        The project budget (CERFA 12156 layout: ``Budget.cerfa``).
    call, check
        The call (its rules are recalled) and the result of :func:`check_application`.
    structure
        The structure's key figures: the table of ``finance.indicators(ledger, year)``.
    project_indicators
        The project's indicators: a ``kpi`` project (``kpi.read_project``; its dashboard
        ``kpi.dashboard(projet)`` is written), a dashboard already computed, or any table.
    title
        Title of the document (default: « Dossier de demande de subvention »).

    Returns
    -------
    pathlib.Path
        The file written (folders created, atomic write).

    Raises
    ------
    FileError
        The extension is neither ``.docx`` nor ``.xlsx``, or the file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from movsc_toolkit import datasets, finance
    >>> appel = finance.read_call(datasets.path("appel_a_projets", "appel_jeunesse.toml"))
    >>> budget = finance.read_budget(
    ...     datasets.path("appel_a_projets", "budget_chantiers_jeunes.xlsx"))
    >>> controle = finance.check_application(budget, appel, as_of="01/10/2026")
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = finance.export_dossier(folder / "dossier.xlsx", budget, call=appel,
    ...                               check=controle)
    >>> path.name
    'dossier.xlsx'
    >>> pd.ExcelFile(path).sheet_names
    ['Budget du projet (CERFA)', "Règles de l'appel", 'Contrôle des règles']

    References
    ----------
    The budget part follows the CERFA n° 12156 form (*demande de subvention*). The export is
    checked in ``tests/finance/test_calls.py::test_export_dossier_docx_and_xlsx``.
    """
    from .report import Section, SynthesisNote

    target = Path(path)
    name = project if project is not None else budget.projects[0]
    if project is not None and project not in budget.projects:
        raise column_error(project, budget.projects, what="projet")
    cerfa = budget.cerfa(name if len(budget.projects) > 1 or project else None)
    cerfa = cerfa.drop(columns=["Type"]).set_index("Code")
    cerfa.index.name = "Code"
    parts: dict[str, pd.DataFrame] = {"Budget du projet (CERFA)": cerfa}
    if call is not None:
        parts["Règles de l'appel"] = call.to_frame()
    if check is not None:
        parts["Contrôle des règles"] = check.to_frame()
    if structure is not None:
        keep = [c for c in ("Indicateur", "Valeur", "Unité", "Lecture") if c in structure.columns]
        parts["Chiffres clés de la structure"] = structure[keep]
    if project_indicators is not None:
        if not isinstance(project_indicators, pd.DataFrame):
            from ..kpi import DashboardTable, Project, dashboard

            if isinstance(project_indicators, Project):
                project_indicators = dashboard(project_indicators)
            if isinstance(project_indicators, DashboardTable):
                project_indicators = project_indicators.to_frame()
        parts["Indicateurs du projet"] = pd.DataFrame(project_indicators)
    heading = title or "Dossier de demande de subvention"
    if call is not None:
        heading += f" – {call.name}"
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        return write_excel(target, parts, what="le dossier", suffixes=(".xlsx",))
    if suffix != ".docx":
        raise FileError(
            f"l'extension « {target.suffix or '(aucune)'} » n'est pas prévue pour le dossier.",
            path=target,
            hint="terminez le nom par .docx (document Word) ou .xlsx (classeur).",
        )
    sections = [
        Section(
            "Budget prévisionnel du projet (CERFA n° 12156)",
            (
                f"Projet « {name} »"
                + (f", exercice {budget.year}" if budget.year else "")
                + ". Total des charges : "
                + format_euro(
                    float(cerfa.loc[cerfa["Rubrique"] == "TOTAL DES CHARGES"].iloc[0, -1]), 2
                )
                + ".",
            ),
            table=cerfa.set_index("Rubrique").drop(columns=[], errors="ignore"),
        )
    ]
    if call is not None:
        sections.append(
            Section("Règles de l'appel", (str(call).splitlines()[0],), table=call.to_frame())
        )
    if check is not None:
        sections.append(
            Section(
                "Contrôle du budget au regard de l'appel",
                tuple(str(check).splitlines()),
                table=check.to_frame()[["Exigence", "Budget", "Statut"]],
            )
        )
    if structure is not None:
        sections.append(
            Section(
                "Chiffres clés de la structure",
                ("Indicateurs calculés à partir des comptes (FEC) de l'association.",),
                table=parts["Chiffres clés de la structure"].set_index("Indicateur")
                if "Indicateur" in structure.columns
                else structure,
            )
        )
    if project_indicators is not None:
        sections.append(Section("Indicateurs du projet", (), table=parts["Indicateurs du projet"]))
    sections.append(
        Section(
            "À compléter",
            (
                "Présentation de l'association, description du projet (objectifs, public, "
                "territoire, calendrier), moyens humains, méthode d'évaluation : ces parties "
                "du dossier ne se calculent pas, elles s'écrivent.",
            ),
        )
    )
    note = SynthesisNote(heading, budget.year or 0, tuple(sections), {}, (), cerfa)
    return note.to_docx(target)
