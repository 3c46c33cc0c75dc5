"""Full costs (*coûts complets*) of projects: direct costs, allocation keys, step-down.

Analytic accounting as an association's treasurer does it (the *méthode des centres d'analyse*):

- **direct costs** are the charges whose analytic code is a project;
- **indirect costs** are the charges of the **support centres** (*locaux*, *administration*…):
  they are allocated to the projects with **allocation keys** (*clés de répartition*) the user
  chooses and justifies: staff time (ETP or hours), m² occupied, participants, the projects'
  direct costs, or a fixed % (*forfait*); **one key per account group** (a support centre, or
  a part of it selected by account prefixes);
- support centres that serve other centres are allocated **step-down**: the first centre goes to the
  later centres and to the projects, the next one allocates its own charges plus what it received,
  and so on (reciprocal services are ignored, as the method says);
- every amount is split with **largest-remainder rounding in integer cents** (Hamilton), so that the
  allocation table adds up exactly, to the cent, to the charges of the ledger.

The same rules applied to a :class:`~movsc_toolkit.finance.Budget` (its support-centre columns)
give the planned indirect charges of the project budget (CERFA 12156), and applied to the ledger
the actual ones of the compte rendu financier (CERFA 15059): :meth:`FullCosts.cerfa` and
:func:`indirect_report` present both in the forms' *Charges indirectes* block.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import column_error
from .._format import format_euro
from .._problems import ProblemLog, ProblemTable
from .._report import Report, result, titled_html
from ._allocation import allocate, budget_amounts, ledger_amounts, split_cents, to_cents
from .indirect_costs import CERFA_INDIRECT_LINES, indirect_block

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .budget import Budget
    from .ledger import Ledger

__all__ = ["FullCosts", "budget_full_costs", "full_costs", "largest_remainder"]


def largest_remainder(total: float, weights: Mapping[str, float] | pd.Series) -> pd.Series:
    """Split ``total`` euros proportionally to ``weights``, to the cent, adding up exactly.

    Hamilton's largest-remainder method in integer cents: each share gets the floor of its exact
    quota (computed with fractions, never floats), then the cents still missing go, one each, to the
    shares with the largest remainders. **Tie-break**: equal remainders are served in the ascending
    order of their labels (project codes), so the result never depends on the input order. A weight
    of zero gets 0; a negative total (a credit note) is split as its absolute value, then signed.

    Parameters
    ----------
    total
        The amount to split, in euros.
    weights
        The key: one non-negative quantity per label (m², ETP, participants…).

    Returns
    -------
    pandas.Series
        The shares in euros (exact cents), in the order of ``weights``.

    Examples
    --------
    >>> from movsc_toolkit.finance import largest_remainder
    >>> largest_remainder(12500.08, {"ADM": 15, "A": 55, "B": 35, "C": 25}).tolist()
    [1442.32, 5288.49, 3365.41, 2403.86]
    >>> largest_remainder(0.02, {"B": 1, "A": 1, "C": 1}).tolist()  # tie: A then B
    [0.01, 0.01, 0.0]

    References
    ----------
    Hamilton's method of apportionment (largest remainders), M. L. Balinski and H. P. Young,
    *Fair Representation*, Yale University Press, 1982, ch. 2.
    ``tests/finance/test_costs.py::test_largest_remainder_worked_example_step_1`` (a split
    worked by hand), ``test_largest_remainder_invariants`` and
    ``test_largest_remainder_tie_break_by_label_not_input_order`` prove it.
    """
    weights = pd.Series(weights, dtype=object)
    labels = [str(i) for i in weights.index]
    cents = split_cents(to_cents(total), list(weights.to_numpy()), labels)
    return pd.Series([c / 100 for c in cents], index=weights.index, dtype=float)


@result
class FullCosts(Report):
    """Full costs of the projects (see :func:`full_costs`).

    Attributes
    ----------
    table
        The allocation table: one row per group of indirect charges (in step-down order) and a
        ``Total`` row; one column per project and ``Total``. A receiving centre's row holds its
        own charges **plus** what it received from the centres before it. The ``Total`` row
        adds up, to the cent, to the indirect charges of the ledger (or the budget).
    costs
        One row per project (and ``Total``): ``Charges directes``, ``Charges indirectes``,
        ``Coût complet``, ``Produits``, ``Résultat`` (produits − coût complet),
        ``Indirectes / directes (%)``, ``Indirectes / coût complet (%)``.
    cascade
        The step-down: per support centre, its ``Clé``, ``Charges propres``, ``Reçu des
        centres précédents``, ``Total à répartir``, ``Vers les centres suivants`` and ``Vers
        les projets``.
    rules
        One row per group: ``Centre``, ``Comptes``, ``Clé``, ``Justification`` (the sources of
        the key), ``Montant``.
    keys
        The quantities used: one column per key name, one row per code.
    problems
        What was noticed (a project missing from a key, a key code unknown to the books…).
    projects, centres
        The projects (analytic codes that receive) and the support centres (that allocate).
    year, source
        The financial year, and ``"grand livre"`` (actual) or ``"budget"`` (planned).
    unallocated_income
        Income of the support centres, left to the structure (not in the projects' results).

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> comptes = datasets.load("maison_quartier_analytique")
    >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
    >>> regles = {"locaux": "m2", "administration": "etp"}
    >>> couts = finance.full_costs(comptes, cles, regles, 2025)
    >>> couts.centres, len(couts.projects)
    (('locaux', 'administration'), 5)
    >>> float(couts.costs.at["accueil_jeunes", "Coût complet"])
    158084.48
    >>> float(couts.table.at["Total", "Total"])  # the support centres' charges, to the cent
    156459.43
    """

    table: pd.DataFrame
    costs: pd.DataFrame
    cascade: pd.DataFrame
    rules: pd.DataFrame
    keys: pd.DataFrame
    projects: tuple[str, ...]
    centres: tuple[str, ...]
    year: int | None
    source: str  # "grand livre" or "budget"
    unallocated_income: float
    problems: ProblemTable = field(default_factory=lambda: ProblemLog().frame())

    # ------------------------------------------------------------- figures
    def unit_costs(self, key: str) -> pd.DataFrame:
        """Cost per unit of a key (``"participants"``, ``"heures"``…) for each project.

        Parameters
        ----------
        key
            A key of :attr:`keys` (a column of the keys table).

        Returns
        -------
        pandas.DataFrame
            One row per project: ``Quantité``, ``Coût direct par unité (€)`` and ``Coût
            complet par unité (€)``: the full cost of one participant, or of one hour of
            activity (empty when the quantity is 0).

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
        >>> regles = {"locaux": "m2", "administration": "etp"}
        >>> couts = finance.full_costs(comptes, cles, regles, 2025)
        >>> unite = couts.unit_costs("participants")
        >>> float(unite.at["accueil_jeunes", "Quantité"])
        86.0
        >>> round(float(unite.at["accueil_jeunes", "Coût complet par unité (€)"]), 2)
        1838.19
        """
        if key not in self.keys.columns:
            raise column_error(key, self.keys.columns, what="clé")
        qty = self.keys[key].reindex(list(self.projects)).astype(float)
        costs = self.costs.loc[list(self.projects)]
        with np.errstate(divide="ignore", invalid="ignore"):
            out = pd.DataFrame(
                {
                    "Quantité": qty,
                    "Coût direct par unité (€)": costs["Charges directes"] / qty,
                    "Coût complet par unité (€)": costs["Coût complet"] / qty,
                }
            )
        out = out.replace([np.inf, -np.inf], np.nan)
        out.index.name = "Projet"
        return out

    def cerfa(
        self,
        project: str,
        *,
        lines: Mapping[str, str] | None = None,
        labels: Sequence[str] = CERFA_INDIRECT_LINES,
    ) -> pd.Series:
        """The project's *Charges indirectes* block of the CERFA 12156 / 15059 forms.

        Parameters
        ----------
        project
            The project (analytic code).
        lines
            Which CERFA line receives each group of the allocation table: ``{group: line}``
            with a line among ``labels``. By default a group of accounts 66 goes to *Frais
            financiers*, the centre ``locaux`` (or any group named after premises) to
            *Charges fixes de fonctionnement* and the others to *Autres* (the toolkit's
            default; follow the funder's guidance when it says otherwise).
        labels
            The three line labels (the wording varies between forms and funders).

        Returns
        -------
        pandas.Series
            One amount per line and ``Total des charges indirectes``: the same figures as the
            project's column of :attr:`table`, to the cent.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
        >>> regles = {"locaux": "m2", "administration": "etp"}
        >>> couts = finance.full_costs(comptes, cles, regles, 2025)
        >>> couts.cerfa("accueil_jeunes").tolist()
        [26602.58, 0.0, 44070.86, 70673.44]

        References
        ----------
        The *Charges indirectes* block of the CERFA n° 12156 budget and of the CERFA
        n° 15059 compte rendu financier; ``tests/finance/test_costs.py::
        test_dataset_cerfa_figures_agree_with_the_allocation_tables``.
        """
        return indirect_block(self, project, lines=lines, labels=labels)

    def to_frame(self) -> pd.DataFrame:
        """The full costs by project (a copy of :attr:`costs`, exact cents).

        Returns
        -------
        pandas.DataFrame
            One row per project and ``Total``; the columns of :attr:`costs`.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
        >>> regles = {"locaux": "m2", "administration": "etp"}
        >>> couts = finance.full_costs(comptes, cles, regles, 2025)
        >>> couts.to_frame()["Coût complet"].round(2).tolist()
        [70456.68, 158084.48, 64391.35, 32963.86, 70970.47, 396866.84]
        """
        return self.costs.copy()

    def to_excel(self, path: str | PathLike[str]) -> Path:
        """Write the whole allocation to one workbook, for the annex and the auditor.

        Sheets: ``Coûts complets`` (:attr:`costs`), ``Répartition`` (:attr:`table`),
        ``Cascade`` (:attr:`cascade`), ``Règles et clés`` (:attr:`rules`, with the
        justification of each key), ``Quantités`` (:attr:`keys`) and ``Problèmes``.

        Parameters
        ----------
        path
            ``.xlsx`` (Excel) or ``.ods`` (Calc).

        Returns
        -------
        pathlib.Path
            The written file.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> import pandas as pd
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
        >>> regles = {"locaux": "m2", "administration": "etp"}
        >>> couts = finance.full_costs(comptes, cles, regles, 2025)
        >>> path = couts.to_excel(Path(tempfile.mkdtemp()) / "couts.xlsx")
        >>> pd.ExcelFile(path).sheet_names
        ['Coûts complets', 'Répartition', 'Cascade', 'Règles et clés', 'Quantités', 'Problèmes']
        """
        from .._write import write_excel

        return write_excel(
            path,
            {
                "Coûts complets": self.costs,
                "Répartition": self.table,
                "Cascade": self.cascade,
                "Règles et clés": self.rules,
                "Quantités": self.keys,
                "Problèmes": self.problems,
            },
            what="le tableau des coûts complets",
        )

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Horizontal stacked bars: direct and indirect charges of each project.

        Parameters
        ----------
        ax
            Matplotlib axes to draw on (new ones by default).

        Returns
        -------
        matplotlib.axes.Axes
            The chart: one bar of direct charges per project, the indirect ones after it.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
        >>> regles = {"locaux": "m2", "administration": "etp"}
        >>> couts = finance.full_costs(comptes, cles, regles, 2025)
        >>> ax = couts.plot()
        >>> [round(float(p.get_width()), 2) for p in ax.patches][:2]
        [39387.04, 87411.04]
        """
        from ..plotting import euro_formatter, get_axes

        costs = self.costs.drop("Total")
        _fig, ax = get_axes(ax, figsize=(8, 0.45 * len(costs) + 1.5))
        y = np.arange(len(costs))
        ax.barh(y, costs["Charges directes"], color="#0072B2", label="Charges directes")
        ax.barh(
            y,
            costs["Charges indirectes"],
            left=costs["Charges directes"],
            color="#E69F00",
            label="Charges indirectes réparties",
        )
        ax.set_yticks(y, list(costs.index))
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(euro_formatter())
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        when = f" {self.year}" if self.year else ""
        ax.set_title(f"Coût complet{when} par projet")
        ax.legend(loc="lower right")
        return ax

    # ------------------------------------------------------------- display
    def _lines(self) -> list[str]:
        total = self.costs.loc["Total"]
        when = f" {self.year}" if self.year else ""
        what = "prévues au budget" if self.source == "budget" else "du grand livre"
        lines = [
            f"Coûts complets{when} ({len(self.projects)} projets, charges {what}) : "
            f"{format_euro(total['Coût complet'], 2)} dont "
            f"{format_euro(total['Charges directes'], 2)} de charges directes et "
            f"{format_euro(total['Charges indirectes'], 2)} de charges indirectes réparties.",
        ]
        for group, row in self.rules.iterrows():
            lines.append(f"  – {group} ({format_euro(row['Montant'], 2)}) : clé {row['Clé']}.")
        lines.append(
            "Le tableau de répartition retombe au centime sur les charges indirectes "
            "(arrondi au plus fort reste)."
        )
        if abs(self.unallocated_income) >= 0.005:
            lines.append(
                f"Produits des centres de support non répartis (cotisations, subventions de "
                f"fonctionnement…) : {format_euro(self.unallocated_income, 2)} ; ils restent "
                "à la structure et ne figurent pas dans le résultat des projets."
            )
        worst = self.costs.drop("Total")["Résultat"]
        if len(worst):
            p = worst.idxmin()
            lines.append(
                f"Après répartition, le projet le plus déficitaire est « {p} » "
                f"({format_euro(worst[p], 2)})."
            )
        if len(self.problems):
            lines.append(f"{len(self.problems)} remarque(s) : voir .problems.")
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.table, "Tableau de répartition des charges indirectes (€)") + (
            titled_html(self.costs, "Coûts complets par projet")
        )


def full_costs(
    ledger: Ledger,
    keys: pd.DataFrame | Mapping[str, Mapping[str, float]],
    rules: Mapping[str, str | Mapping[str, float]],
    year: int | None = None,
    *,
    order: Sequence[str] | None = None,
    key_year: int | None = None,
) -> FullCosts:
    """Full costs of the projects of a year from the ledger's analytic codes.

    Parameters
    ----------
    ledger
        A ``Ledger`` (``read_fec``) whose lines carry analytic codes (column ``analytique``).
        Codes named in ``rules`` are **support centres**; every other code is a **project**.
    keys
        The allocation keys: a table with columns ``Clé``, ``Code``, ``Quantité`` (and
        optionally ``Exercice``, ``Unité``, ``Source``), one row per key and code, e.g. the
        m² each project occupies; or a mapping ``{key: {code: quantity}}``. A support centre
        that serves a later centre has a quantity in that centre's key (the m² of the offices).
    rules
        **One key per group of indirect charges**: ``{group: key}``. A group is a support
        centre (``"locaux"``) or part of it selected by account prefixes
        (``"administration:64"``, its staff costs; the longest prefix wins, the bare centre
        takes the rest). A key is a key name of ``keys`` (``"m2"``, ``"etp"``, ``"heures"``,
        ``"participants"``), ``"couts_directs"`` (the projects' direct charges) or a mapping
        ``{project: %}`` (a fixed share, *forfait*). The order of the centres in ``rules`` is
        the step-down order: put first the centre that serves the others.
    year
        Financial year (the latest by default); also selects the keys of that year when the
        keys table has an ``Exercice`` column (``key_year`` to use another year's keys).
    order
        Step-down order of the support centres, if not the order of ``rules``.

    Returns
    -------
    FullCosts
        ``.table`` (allocation table, exact to the cent), ``.costs`` (direct, indirect, full
        cost and result by project), ``.cascade``, ``.rules``, ``.unit_costs(key)``,
        ``.cerfa(project)``.

    Examples
    --------
    The maison de quartier's 2025 ledger: premises by m², then the administration (which
    received its share of the premises) by full-time equivalents:

    >>> from movsc_toolkit import datasets, finance
    >>> comptes = datasets.load("maison_quartier_analytique")
    >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
    >>> couts = finance.full_costs(comptes, cles, {"locaux": "m2", "administration": "etp"}, 2025)
    >>> couts.costs.loc["Total", ["Charges directes", "Charges indirectes"]].tolist()
    [240407.41, 156459.43]
    >>> couts.cascade["Vers les projets"].tolist()
    [56565.49, 99893.94]

    References
    ----------
    Step-down allocation of support-department costs (reciprocal services ignored):
    C. T. Horngren, S. M. Datar and M. V. Rajan, *Cost Accounting: A Managerial Emphasis*,
    Pearson, ch. "Allocation of Support-Department Costs" (the step-down method); the
    *méthode des centres d'analyse* of the French cost accounting;
    every split by :func:`largest_remainder`. ``tests/finance/test_costs.py::
    test_full_costs_worked_example`` (a ledger allocated by hand),
    ``test_step_down_order_matters`` and ``test_account_groups_fixed_share_and_direct_costs_keys``
    prove it.
    """
    amounts, year = ledger_amounts(ledger, year)
    return FullCosts(
        **allocate(
            amounts, keys, rules, year=year, key_year=key_year, order=order, source="grand livre"
        )
    )


def budget_full_costs(
    budget: Budget,
    keys: pd.DataFrame | Mapping[str, Mapping[str, float]],
    rules: Mapping[str, str | Mapping[str, float]],
    *,
    order: Sequence[str] | None = None,
    key_year: int | None = None,
) -> FullCosts:
    """The same allocation applied to a budget (its support-centre columns).

    The budget's columns are the analytic codes; the rules name the support-centre columns.
    The result gives the **planned** indirect charges of each project, for the *Charges
    indirectes* block of its CERFA 12156 budget; :func:`full_costs` on the ledger gives the
    actual ones with the same keys, for the compte rendu financier (CERFA 15059).

    Parameters
    ----------
    budget
        A budget with one column per analytic code (projects and support centres).
    keys, rules, order
        As for :func:`full_costs`; ``rules`` names support-centre columns of the budget.
    key_year
        The year of the keys to use (by default the budget's year, when the keys table has
        an ``Exercice`` column).

    Returns
    -------
    FullCosts
        The planned allocation (``source == "budget"``).

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> budget = finance.read_budget(
    ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
    >>> cles = datasets.load("maison_quartier_analytique", "cles_repartition.csv")
    >>> prevu = finance.budget_full_costs(
    ...     budget, cles, {"locaux": "m2", "administration": "etp"}, key_year=2025)
    >>> prevu.source, float(prevu.costs.at["Total", "Coût complet"])
    ('budget', 406200.0)

    References
    ----------
    The same step-down as :func:`full_costs`; ``tests/finance/test_costs.py::
    test_budget_and_compte_rendu_use_the_same_keys``.
    """
    amounts = budget_amounts(budget)
    year = getattr(budget, "year", None)
    return FullCosts(
        **allocate(
            amounts,
            keys,
            rules,
            year=year,
            key_year=key_year if key_year is not None else year,
            order=order,
            source="budget",
        )
    )
