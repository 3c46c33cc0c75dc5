"""The project: a validated workbook (:class:`Project`) and :func:`build_project`.

A project is described by four tidy tables (see :mod:`.schema`); only ``indicateurs`` and
``valeurs`` are required, and in them only ``code``, ``libelle`` and the columns a computation
needs. Every check listed in the notes of :func:`build_project` is run by it
(:mod:`._validate`, :mod:`._values`): a row that cannot be used is excluded and listed in
``project.problems`` (severity ``erreur``); a doubtful row is kept and listed (severity
``alerte``). ``strict=True`` raises :class:`ValidationError` instead. ``project.problems`` is
the toolkit's shared problems table (``feuille``, ``élément`` = the indicator, ``ligne``,
``colonne``, ``valeur``, ``gravité``, ``message``).
"""

from __future__ import annotations

from dataclasses import field

import pandas as pd

from .._errors import ValidationError
from .._format import frame_html
from .._problems import ProblemTable
from .._report import Report, result
from ._validate import (
    Problems,
    clean_budget,
    clean_indicators,
    clean_logframe,
    clean_milestones,
    prepare_frame,
)
from ._values import clean_values

__all__ = ["Project", "build_project"]


@result
class Project(Report):
    """A project read from its workbook and validated.

    Attributes
    ----------
    indicators
        The ``indicateurs`` sheet: one row per indicator, indexed by ``code``, with defaults
        filled in (``sens``, ``agregation``, ``mesure``, ``facteur``) and the parsed thresholds
        (``seuil_surveiller``, ``seuil_retard``).
    values
        The ``valeurs`` sheet: the usable values (dates parsed, ``valeur`` recomputed from
        numerator and denominator when both are given). ``ligne`` is the line in the sheet.
    logframe, milestones, budget
        The optional sheets ``cadre_logique``, ``jalons`` and ``budget`` (empty tables when
        absent).
    problems
        What validation found, in the shared problems schema: ``feuille``, ``élément`` (the
        indicator), ``ligne``, ``colonne``, ``valeur``, ``gravité`` (``erreur`` = row ignored,
        ``alerte`` = row kept) and ``message``.
    name
        The project's name (the file name by default).
    source
        The workbook read, if any.

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> projet = datasets.load("projet_cap_avenir")
    >>> print(projet)
    Projet « Cap Avenir » : 8 indicateur(s), 199 valeur(s), 8 niveau(x) du cadre logique, 8
    jalon(s). Contrôles : aucun problème détecté.
    >>> projet.codes[:3]
    ['JEUN', 'SEAN', 'ASSID']
    >>> projet.to_frame().loc["SEAN", ["libelle", "agregation"]].tolist()
    ["Nombre de séances d'ateliers collectifs tenues", 'somme']
    """

    indicators: pd.DataFrame
    values: pd.DataFrame
    logframe: pd.DataFrame
    milestones: pd.DataFrame
    budget: pd.DataFrame
    problems: ProblemTable
    name: str = "projet"
    source: str | None = field(default=None, repr=False)

    @property
    def codes(self) -> list[str]:
        """Indicator codes in the workbook's order."""
        return list(self.indicators.index)

    def _lines(self) -> list[str]:
        n_err = int((self.problems["gravité"] == "erreur").sum())
        n_warn = len(self.problems) - n_err
        text = (
            f"Projet « {self.name} » : {len(self.indicators)} indicateur(s), "
            f"{len(self.values)} valeur(s), {len(self.logframe)} niveau(x) du cadre "
            f"logique, {len(self.milestones)} jalon(s)."
        )
        if n_err or n_warn:
            text += (
                f" Contrôles : {n_err} erreur(s) (lignes ignorées) et {n_warn} "
                "alerte(s) — voir projet.problems."
            )
        else:
            text += " Contrôles : aucun problème détecté."
        return [text]

    def _problem_lines(self) -> list[str]:
        lines = [
            f"  - [{r['gravité']}] {r['feuille']}"
            + (f", ligne {r['ligne']}" if not pd.isna(r["ligne"]) else "")
            + f" : {r['message']}"
            for _, r in self.problems.head(10).iterrows()
        ]
        if len(self.problems) > 10:
            lines.append(f"  … et {len(self.problems) - 10} autre(s).")
        return lines

    def __str__(self) -> str:
        # the summary, then the first problems (the HTML view shows them as a table)
        return "\n".join([*self._lines(), *self._problem_lines()])

    def _html_tables(self) -> str:
        if not len(self.problems):
            return ""
        return frame_html(self.problems.head(20), caption="Problèmes détectés")

    def to_frame(self) -> pd.DataFrame:
        """The indicators table (one row per indicator, indexed by ``code``), a copy."""
        return self.indicators.copy()


def build_project(
    indicators: pd.DataFrame,
    values: pd.DataFrame,
    logframe: pd.DataFrame | None = None,
    milestones: pd.DataFrame | None = None,
    budget: pd.DataFrame | None = None,
    *,
    name: str = "projet",
    strict: bool = False,
    path: str | None = None,
) -> Project:
    """Validate the project's tables and build a :class:`Project`.

    Parameters
    ----------
    indicators, values
        The two required tables, the sheets ``indicateurs`` and ``valeurs`` (column names as in the template; accents and case are
        ignored, so « Période début » is read as ``periode_debut``).
    logframe, milestones, budget
        Optional tables, the sheets ``cadre_logique``, ``jalons`` and ``budget``.
    name
        The project's name, shown in the dashboard.
    strict
        Raise :class:`~movsc_toolkit._errors.ValidationError` listing every problem of
        severity ``erreur`` instead of ignoring those rows.
    path
        The source file, for the messages.

    Returns
    -------
    Project

    Notes
    -----
    The checks are: unique codes, known ``niveau_id`` and codes, enumerated values,
    ``periode_debut ≤ periode_fin``, denominator > 0, percentages in [0, 100],
    ``valeur = facteur × numérateur / dénominateur`` (recomputed, mismatches flagged), a
    target for every realised value, disaggregated values adding up to the total (``somme``,
    ``cumul`` and the numerators and denominators of ``ratio``), a comment for every
    qualitative value.

    References
    ----------
    European Commission, EuropeAid (2004). *Project Cycle Management Guidelines*, ch. 5 (the
    logical framework matrix: levels, indicators, sources of verification, assumptions).
    DHIS2 documentation, *Indicators* (numerator, denominator, factor, aggregation).
    IATI Standard 2.03, ``iati-activities/iati-activity/result`` (baseline, target, actual per
    period). The checks listed above are the toolkit's own rules; they are proven by
    ``tests/kpi/test_model.py``.

    Examples
    --------
    >>> import pandas as pd
    >>> from movsc_toolkit import kpi
    >>> indicateurs = pd.DataFrame({"code": ["ATEL"], "libelle": ["Ateliers tenus"]})
    >>> valeurs = pd.DataFrame({
    ...     "code": ["ATEL", "ATEL"], "type_valeur": ["cible", "realise"],
    ...     "periode_debut": ["01/01/2025", "01/01/2025"],
    ...     "periode_fin": ["31/12/2025", "31/01/2025"], "valeur": [12, 1]})
    >>> projet = kpi.build_project(indicateurs, valeurs, name="Ateliers")
    >>> print(projet)
    Projet « Ateliers » : 1 indicateur(s), 2 valeur(s), 0 niveau(x) du cadre logique, 0
    jalon(s). Contrôles : aucun problème détecté.
    >>> projet.values[["type_valeur", "valeur"]]
      type_valeur  valeur
    0       cible    12.0
    1     realise     1.0
    """
    probs = Problems()
    raw_ind = prepare_frame(indicators, "indicateurs")
    raw_val = prepare_frame(values, "valeurs")
    if raw_ind is None or raw_val is None:
        raise ValidationError(
            "les feuilles « indicateurs » et « valeurs » sont obligatoires.",
            path=path,
            hint="partez du modèle : kpi.template('mon_projet.xlsx').",
        )
    levels = clean_logframe(prepare_frame(logframe, "cadre_logique"), probs, path)
    ind = clean_indicators(raw_ind, levels, probs, path)
    vals = clean_values(raw_val, ind, probs, path)
    miles = clean_milestones(prepare_frame(milestones, "jalons"), probs, path)
    bud = clean_budget(prepare_frame(budget, "budget"), probs)
    problems = probs.frame()
    if strict and (problems["gravité"] == "erreur").any():
        errors = problems[problems["gravité"] == "erreur"]
        listed = "\n".join(
            f"  - feuille {r['feuille']}, ligne {r['ligne']} : {r['message']}"
            for _, r in errors.head(20).iterrows()
        )
        raise ValidationError(
            f"le classeur du projet contient {len(errors)} erreur(s) :\n{listed}",
            path=path,
            hint="corrigez ces lignes, ou lisez le classeur sans strict=True pour les ignorer "
            "et les voir dans projet.problems.",
        )
    return Project(
        indicators=ind,
        values=vals,
        logframe=levels,
        milestones=miles,
        budget=bud,
        problems=problems,
        name=name,
        source=path,
    )
