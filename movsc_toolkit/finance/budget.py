"""Budget prévisionnel in the CERFA n° 12156 layout.

A :class:`Budget` holds one amount per CERFA line (and per *précision*, e.g. the ministry or the
commune of a subsidy) for each project (analytic code); the whole association's budget is the
sum of the projects. It is read from, and written to, an Excel template (:func:`read_budget`,
:meth:`Budget.to_excel`, :func:`budget_template`) and checked: total charges = total produits,
86 = 87, no negative amount (form CERFA n° 12156*06: « Le total des charges doit être égal au
total des produits », for the association budget and for each project budget; the two CVN
columns have equal totals as in règlement ANC 2018-06, art. 211-3).

The lines of the form are in :mod:`movsc_toolkit.finance.cerfa`; the comparison with the
accounts is :func:`movsc_toolkit.finance.budget_vs_actual.budget_vs_actual`; the Excel writer is
:mod:`movsc_toolkit.finance._budget_excel`; :func:`read_budget`, :func:`make_budget` and
:func:`budget_template` are in :mod:`movsc_toolkit.finance.budget_io`.
"""

from __future__ import annotations

from dataclasses import field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import ValidationError, column_error
from .._format import format_euro
from .._problems import ProblemLog, ProblemTable
from .._report import Report, result, titled_html
from ._budget_excel import write_budget
from ._cells import problem_lines
from .cerfa import (
    BY_CODE,
    CHARGES,
    EMPLOIS_CVN,
    ORDER,
    POSTES,
    PRODUITS,
    RESSOURCES_CVN,
    cerfa_layout,
    short_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Budget"]


@result
class Budget(Report):
    """A budget prévisionnel in the CERFA 12156 layout.

    Attributes
    ----------
    lines
        One row per CERFA line and *précision*: columns ``Section``, ``Code``, ``Ligne``,
        ``Précision`` and one amount column (€) per project (analytic code).
    projects
        The project columns. The association's budget is their sum (``Total``).
    name
        Name of the association (shown in titles).
    year
        The financial year budgeted, if known.
    problems
        The shared problems table (``élément`` = the project, ``ligne``, ``colonne``,
        ``valeur``, ``gravité``, ``message``): what reading the file found (formula cells
        without a saved value…) and the checks that failed (unbalanced budget, negative
        amount), in French; empty when the budget is balanced (charges = produits, 86 = 87).
    read_problems
        The problems found while reading the file, repeated in ``problems``.

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> budget = datasets.load("roue_libre_budget")
    >>> print(budget)
    Budget prévisionnel 2024 – Roue Libre, atelier vélo solidaire
    2 projets : chantier_insertion, autoreparation.
    Total des charges : 229 500 € ; total des produits : 229 500 €.
    Le budget est équilibré (charges = produits, 86 = 87) pour chaque projet.
    >>> budget.summary()[["Total des charges", "Total des produits", "Équilibré"]]
                        Total des charges  Total des produits Équilibré
    Projet
    chantier_insertion           191100.0            191100.0       oui
    autoreparation                38400.0             38400.0       oui
    Total                        229500.0            229500.0       oui

    References
    ----------
    CERFA n° 12156*06, « Demande de subvention(s) », fiche 3 (budget prévisionnel de l'action
    et de l'association: total des charges = total des produits; contributions volontaires 86 =
    87). The balance checks are tested in ``tests/finance/test_budget.py``
    (``test_checks_in_french``, ``test_unbalanced_project_reported_even_if_total_balanced``).
    """

    lines: pd.DataFrame
    projects: tuple[str, ...]
    name: str = ""
    year: int | None = None
    read_problems: pd.DataFrame | None = None
    problems: ProblemTable = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "problems", _check(self))

    # ---------------------------------------------------------------- amounts
    def amounts(self, project: str | None = None) -> pd.Series:
        """Amount of each CERFA line (``Code``), for one project or the whole association.

        Parameters
        ----------
        project
            A project (one of :attr:`projects`); ``None`` or ``"Total"`` for the association.

        Returns
        -------
        pandas.Series
            ``Montant (€)`` by CERFA code, in the form's order (the *précisions* of a line
            added up).

        Examples
        --------
        >>> from movsc_toolkit.finance import make_budget
        >>> b = make_budget({"641": 30000, "645": 12000, "74 Commune": 42000})
        >>> b.amounts()
        Code
        641           30000.0
        645           12000.0
        74 Commune    42000.0
        Name: Montant (€), dtype: float64
        """
        values = self._values(self._column(project))
        codes = self.lines["Code"].to_numpy(dtype=object)  # a few lines: plain keys are fastest
        out = values.groupby(codes, sort=False).sum().rename("Montant (€)")
        out.index.name = "Code"
        return out.reindex([c for c in ORDER if c in out.index])

    def line_amounts(self, project: str | None = None) -> pd.Series:
        """Amount of each row of :attr:`lines`, for one project or the whole association.

        Parameters
        ----------
        project
            A project (one of :attr:`projects`); ``None`` or ``"Total"`` for the sum of the
            projects.

        Returns
        -------
        pandas.Series
            Indexed like :attr:`lines` (one value per CERFA line and *précision*), in euros.

        Raises
        ------
        ColumnError
            When ``project`` is not one of the budget's projects (the closest is suggested).

        Examples
        --------
        >>> from movsc_toolkit.finance import make_budget
        >>> b = make_budget({"641": 30000, "645": 12000, "74 Commune": 42000})
        >>> b.line_amounts().tolist()
        [30000.0, 12000.0, 42000.0]
        """
        return self._values(self._column(project))

    def _column(self, project: str | None) -> str | None:
        if project is None or project == "Total":
            return None
        if project not in self.projects:
            raise column_error(project, self.projects, what="projet")
        return project

    def _values(self, column: str | None) -> pd.Series:
        if column is None:
            return self.lines[list(self.projects)].sum(axis=1)
        return self.lines[column]

    def total(self, section: str, project: str | None = None) -> float:
        """Total of a section of the budget, for one project or the whole association.

        Parameters
        ----------
        section
            ``"Charges"``, ``"Produits"``, ``"Emplois des contributions volontaires"`` (86) or
            ``"Contributions volontaires en nature"`` (87).
        project
            A project; ``None`` or ``"Total"`` for the association.

        Returns
        -------
        float
            The total in euros.

        Examples
        --------
        >>> from movsc_toolkit.finance import make_budget
        >>> b = make_budget({"641": 30000, "645": 12000, "74 Commune": 42000})
        >>> b.total("Charges")
        42000.0
        """
        column = self._column(project)
        mask = self.lines["Section"] == section
        return float(self._values(column)[mask].sum())

    @property
    def total_charges(self) -> float:
        """Total charges of the association (CVN excluded)."""
        return self.total(CHARGES)

    @property
    def total_produits(self) -> float:
        """Total produits of the association (CVN excluded)."""
        return self.total(PRODUITS)

    @property
    def is_balanced(self) -> bool:
        """Whether every project and the whole association are balanced (no error found).

        >>> from movsc_toolkit.finance import make_budget
        >>> make_budget({"641": 30000, "74 Commune": 25000}).is_balanced
        False
        """
        return not (self.problems["gravité"] == "erreur").any()

    def project(self, name: str) -> Budget:
        """The budget of one project alone.

        Parameters
        ----------
        name
            One of :attr:`projects`.

        Returns
        -------
        Budget
            A budget with that project's column only.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> datasets.load("roue_libre_budget").project("autoreparation").total_charges
        38400.0
        """
        self._column(name)
        keep = ["Section", "Code", "Ligne", "Précision", name]
        return Budget(self.lines[keep].copy(), (name,), name=self.name, year=self.year)

    # ---------------------------------------------------------------- tables
    def to_frame(self) -> pd.DataFrame:
        """The lines with one column per project and the ``Total`` (the association).

        Returns
        -------
        pandas.DataFrame
            :attr:`lines` plus a ``Total`` column; amounts exact, in euros.

        Examples
        --------
        >>> from movsc_toolkit.finance import make_budget
        >>> make_budget({"641": 30000, "74 Commune": 30000}).to_frame()[["Code", "Budget", "Total"]]
                 Code   Budget    Total
        0         641  30000.0  30000.0
        1  74 Commune  30000.0  30000.0
        """
        out = self.lines.copy()
        out["Total"] = out[list(self.projects)].sum(axis=1)
        return out

    def summary(self) -> pd.DataFrame:
        """Totals and balance checks, one row per project plus ``Total``.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``Projet``: ``Total des charges``, ``Total des produits``,
            ``Écart produits − charges``, ``Subventions (74)``, ``Part des subventions (%)``,
            ``Emplois CVN (86)``, ``Contributions CVN (87)``, ``Équilibré`` (oui/non).

        Examples
        --------
        >>> from movsc_toolkit.finance import make_budget
        >>> make_budget({"641": 30000, "74 Commune": 30000}).summary()["Part des subventions (%)"]
        Projet
        Budget    100.0
        Total     100.0
        Name: Part des subventions (%), dtype: float64
        """
        rows = {}
        for project in [*self.projects, "Total"]:
            charges = self.total(CHARGES, project)
            produits = self.total(PRODUITS, project)
            subsidies = float(self.amounts(project).filter(like="74 ").sum())
            cvn_in = self.total(EMPLOIS_CVN, project)
            cvn_out = self.total(RESSOURCES_CVN, project)
            rows[project] = {
                "Total des charges": charges,
                "Total des produits": produits,
                "Écart produits − charges": produits - charges,
                "Subventions (74)": subsidies,
                "Part des subventions (%)": 100 * subsidies / produits if produits else np.nan,
                "Emplois CVN (86)": cvn_in,
                "Contributions CVN (87)": cvn_out,
                "Équilibré": "oui"
                if abs(produits - charges) < 0.005 and abs(cvn_in - cvn_out) < 0.005
                else "non",
            }
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index.name = "Projet"
        return out

    def cerfa(self, project: str | None = None) -> pd.DataFrame:
        """The budget presented like the CERFA 12156 form (postes, subtotals and totals).

        Parameters
        ----------
        project
            A project; ``None`` for the association.

        Returns
        -------
        pandas.DataFrame
            ``Type`` (``poste``, ``ligne``, ``total``), ``Code``, ``Rubrique``,
            ``Montant (€)``; empty postes are left out, the four section totals are always there.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> datasets.load("roue_libre_budget").cerfa().head(3)
            Type Code                  Rubrique  Montant (€)
        0  poste   60               60 – Achats      20600.0
        1  ligne  606        Autres fournitures      20600.0
        2  poste   61  61 – Services extérieurs      15000.0

        References
        ----------
        CERFA n° 12156*06, fiche 3 (postes 60 to 69 and 70 to 79, contributions 86 and 87).
        """
        amounts = self.amounts(project).to_frame("Montant (€)")
        return cerfa_layout(amounts)

    # ---------------------------------------------------------------- checks
    def validate(self) -> Budget:
        """Raise :class:`ValidationError` listing the problems, or return the budget.

        Returns
        -------
        Budget
            The budget itself, when it has no error.

        Raises
        ------
        ValidationError
            Naming the first error (and how many others) and how to fix the budget.

        Examples
        --------
        >>> from movsc_toolkit.finance import make_budget
        >>> make_budget({"641": 30000, "74 Commune": 25000}).validate()
        Traceback (most recent call last):
        ...
        movsc_toolkit._errors.ValidationError: projet « Budget » : budget non équilibré ...
        """
        errors = self.problems[self.problems["gravité"] == "erreur"]
        if errors.empty:
            return self
        first = errors.iloc[0]
        others = len(errors) - 1
        more = f" (et {others} autre(s) erreur(s) : voir budget.problems)" if others else ""
        raise ValidationError(
            f"projet « {first['élément']} » : {first['message']}{more}",
            hint="corrigez le budget pour que le total des charges soit égal au total des "
            "produits et que les contributions volontaires (86 et 87) s'équilibrent.",
        )

    # ---------------------------------------------------------------- display
    def _lines(self) -> list[str]:
        title = "Budget prévisionnel" + (f" {self.year}" if self.year else "")
        if self.name:
            title += f" – {self.name}"
        parts = [title]
        if len(self.projects) > 1:
            parts.append(f"{len(self.projects)} projets : " + ", ".join(self.projects) + ".")
        parts.append(
            f"Total des charges : {format_euro(self.total_charges)} ; total des produits : "
            f"{format_euro(self.total_produits)}."
        )
        if self.problems.empty:
            parts.append(
                "Le budget est équilibré (charges = produits, 86 = 87) pour chaque projet."
            )
        parts.extend(problem_lines(self.problems, f"{len(self.problems)} problème(s) à corriger :"))
        return parts

    def _html_tables(self) -> str:
        return titled_html(self.summary(), "Totaux et contrôles par projet", decimals=0)

    def plot(self, project: str | None = None, *, ax: Axes | None = None) -> Axes:
        """Horizontal bars: charges by poste and produits by origin (subsidies by funder).

        Parameters
        ----------
        project
            A project, or ``None`` for the whole association.
        ax
            Axes to draw on (a new figure by default).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> from movsc_toolkit.finance import make_budget
        >>> b = make_budget({"641": 30000, "645": 12000, "74 Commune": 42000})
        >>> b.plot().get_title()
        'Budget prévisionnel (association) : charges (orange) et produits (bleu)'
        """
        from ..plotting import euro_formatter, get_axes

        amounts = self.amounts(project)
        items: list[tuple[str, float, str]] = []
        for code, value in amounts.items():
            if value == 0:
                continue
            line = BY_CODE[code]
            if line.section == CHARGES:
                items.append((POSTES[line.poste], value, CHARGES))
            elif line.section == PRODUITS:
                label = code if code.startswith("74 ") else POSTES[line.poste]
                items.append((label, value, PRODUITS))
        frame = pd.DataFrame(items, columns=["Rubrique", "Montant", "Section"])
        frame = frame.groupby(["Section", "Rubrique"], sort=False)["Montant"].sum().reset_index()
        _fig, ax = get_axes(ax, figsize=(8, 0.35 * len(frame) + 1.5))
        colours = ["#D55E00" if s == CHARGES else "#0072B2" for s in frame["Section"]]
        ax.barh(range(len(frame)), frame["Montant"], color=colours)
        ax.set_yticks(range(len(frame)), [short_label(r) for r in frame["Rubrique"]])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(euro_formatter())
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        who = project if project not in (None, "Total") else "association"
        ax.set_title(f"Budget prévisionnel ({who}) : charges (orange) et produits (bleu)")
        return ax

    # ---------------------------------------------------------------- export
    def to_excel(self, path: str | PathLike[str]) -> Path:
        """Write the budget as the toolkit's Excel template (formatted, in French).

        Sheets: ``Budget`` (the lines, one column per project, a ``Total`` formula; this is the
        sheet :func:`read_budget` reads back), ``Contrôles`` (totals and balance checks as Excel
        formulas), ``CERFA`` (the association's budget laid out like the form) and ``Lisez-moi``.

        Parameters
        ----------
        path
            The ``.xlsx`` file to write (its folder is created; a file open in Excel gives a
            French error).

        Returns
        -------
        pathlib.Path
            The file written.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from movsc_toolkit.finance import make_budget
        >>> from movsc_toolkit.finance import make_budget, read_budget
        >>> b = make_budget({"641": 30000, "74 Commune": 30000}, name="Les Tilleuls", year=2025)
        >>> path = b.to_excel(Path(tempfile.mkdtemp()) / "budget.xlsx")
        >>> read_budget(path).total_produits
        30000.0
        """
        return write_budget(self, Path(path))


def _check(budget: Budget) -> ProblemTable:
    log = ProblemLog()
    if budget.read_problems is not None and len(budget.read_problems):
        log.extend(budget.read_problems)
    for project in budget.projects:
        values = budget.lines[project]
        for i in np.flatnonzero(values.to_numpy() < 0):
            line = budget.lines.iloc[i]
            log.add(
                "erreur",
                f"montant négatif ({format_euro(values.iloc[i], 2)}) sur la ligne "
                f"« {line['Code']} – {line['Ligne']} » : un budget ne contient que des "
                "montants positifs.",
                élément=project,
                colonne=project,
                valeur=f"{values.iloc[i]:.2f}".replace(".", ","),
            )
    for project in [*budget.projects, "Total"] if len(budget.projects) > 1 else budget.projects:
        charges = budget.total(CHARGES, project)
        produits = budget.total(PRODUITS, project)
        if abs(charges - produits) >= 0.005:
            what = "excédent" if produits > charges else "déficit"
            log.add(
                "erreur",
                (
                    f"budget non équilibré : total des charges {format_euro(charges, 2)}, "
                    f"total des produits {format_euro(produits, 2)} ({what} de "
                    f"{format_euro(abs(produits - charges), 2)})."
                ),
                élément=project,
            )
        cvn_in = budget.total(EMPLOIS_CVN, project)
        cvn_out = budget.total(RESSOURCES_CVN, project)
        if abs(cvn_in - cvn_out) >= 0.005:
            log.add(
                "erreur",
                f"contributions volontaires déséquilibrées : emplois (86) "
                f"{format_euro(cvn_in, 2)}, ressources (87) {format_euro(cvn_out, 2)}.",
                élément=project,
            )
    table = log.frame(sort=False)
    if "élément" not in table.columns:
        table.insert(0, "élément", pd.Series(dtype=object))
    return table
