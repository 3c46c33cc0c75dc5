"""Project steering: logframe, indicators, values, milestones, dashboard and evaluation.

Read a project workbook (:func:`read_project`, or start from :func:`template`), then follow
it as of a date: :func:`dashboard` (reference, target, realised value, taux de réalisation,
progression vers la cible, status), :func:`plot_dashboard`, :func:`milestones` and
:func:`plot_milestones` (Gantt), :func:`disaggregate`, :func:`trajectory`,
:func:`evaluation_summary` and :func:`export_dashboard` for the comité de pilotage.
:func:`indicator_from_survey` turns survey responses into indicator values.
Definitions: ``teaching_and_kpi.md`` §4 (DHIS2, IATI, cadre logique).
"""

from .dashboard import (
    DASHBOARD_COLUMNS,
    STATUS_COLOURS,
    DashboardTable,
    dashboard,
    export_dashboard,
    plot_dashboard,
    plot_milestones,
)
from .evaluation import EvaluationSummary, evaluation_summary
from .io import read_project, template, write_project
from .model import (
    AGREGATIONS,
    MESURES,
    NIVEAUX,
    SCHEMA,
    SENS,
    STATUTS,
    TYPES_RESULTAT,
    TYPES_VALEUR,
    Project,
    build_project,
)
from .tracking import (
    add_values,
    disaggregate,
    indicator_from_survey,
    indicator_status,
    milestones,
    trajectory,
)

__all__ = [
    "AGREGATIONS",
    "DASHBOARD_COLUMNS",
    "MESURES",
    "NIVEAUX",
    "SCHEMA",
    "SENS",
    "STATUS_COLOURS",
    "STATUTS",
    "TYPES_RESULTAT",
    "TYPES_VALEUR",
    "DashboardTable",
    "EvaluationSummary",
    "Project",
    "add_values",
    "build_project",
    "dashboard",
    "disaggregate",
    "evaluation_summary",
    "export_dashboard",
    "indicator_from_survey",
    "indicator_status",
    "milestones",
    "plot_dashboard",
    "plot_milestones",
    "read_project",
    "template",
    "trajectory",
    "write_project",
]
