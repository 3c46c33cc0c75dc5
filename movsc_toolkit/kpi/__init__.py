# ruff: noqa: F401  (the TYPE_CHECKING imports are the static view of _EXPORTS)
"""Project steering: logframe, indicators, values, milestones, dashboard and evaluation.

Read a project workbook (:func:`read_project`, or start from :func:`template`), then follow
it as of a date: :func:`dashboard` (reference, target, realised value, taux de réalisation,
progression vers la cible, status), :func:`plot_dashboard`, :func:`milestones` and
:func:`plot_milestones` (Gantt), :func:`disaggregate`, :func:`trajectory`,
:func:`evaluation_summary` and :func:`export_dashboard` for the comité de pilotage.
:func:`indicator_from_survey` turns survey responses into indicator values.
Definitions after DHIS2's indicator model (DHIS2 documentation, *Manage indicators*), the
IATI results standard (IATI Guidance, *Results*) and the cadre logique (eval.fr, « Le cadre
logique »).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attach

if TYPE_CHECKING:  # for type checkers and editors (tests/core/test_import.py checks it matches)
    from .collect import (
        add_values,
        indicator_from_survey,
    )
    from .dashboard import (
        DASHBOARD_COLUMNS,
        STATUS_COLOURS,
        DashboardTable,
        dashboard,
        plot_dashboard,
        plot_milestones,
    )
    from .evaluation import (
        EvaluationSummary,
        evaluation_summary,
    )
    from .export import export_dashboard
    from .io import (
        read_project,
        template,
        write_project,
    )
    from .model import (
        Project,
        build_project,
    )
    from .schema import (
        AGREGATIONS,
        MESURES,
        NIVEAUX,
        SCHEMA,
        SENS,
        STATUTS,
        TYPES_RESULTAT,
        TYPES_VALEUR,
    )
    from .tracking import (
        disaggregate,
        indicator_status,
        milestones,
        trajectory,
    )

#: public name -> submodule defining it, imported on first use (see movsc_toolkit._lazy)
_EXPORTS = {
    "DASHBOARD_COLUMNS": "dashboard",
    "STATUS_COLOURS": "dashboard",
    "DashboardTable": "dashboard",
    "dashboard": "dashboard",
    "export_dashboard": "export",
    "plot_dashboard": "dashboard",
    "plot_milestones": "dashboard",
    "EvaluationSummary": "evaluation",
    "evaluation_summary": "evaluation",
    "read_project": "io",
    "template": "io",
    "write_project": "io",
    "AGREGATIONS": "schema",
    "MESURES": "schema",
    "NIVEAUX": "schema",
    "SCHEMA": "schema",
    "SENS": "schema",
    "STATUTS": "schema",
    "TYPES_RESULTAT": "schema",
    "TYPES_VALEUR": "schema",
    "Project": "model",
    "build_project": "model",
    "add_values": "collect",
    "disaggregate": "tracking",
    "indicator_from_survey": "collect",
    "indicator_status": "tracking",
    "milestones": "tracking",
    "trajectory": "tracking",
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)
