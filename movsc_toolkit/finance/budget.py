"""Budget prévisionnel in the CERFA n° 12156 layout, and budget vs réalisé (CERFA n° 15059).

A :class:`Budget` holds one amount per CERFA line (and per *précision*, e.g. the ministry or the
commune of a subsidy) for each project (analytic code); the whole association's budget is the
sum of the projects. It is read from, and written to, an Excel template (:func:`read_budget`,
:meth:`Budget.to_excel`, :func:`budget_template`) and checked: total charges = total produits,
86 = 87, no negative amount (reference: ``finance.md`` §4.1, "Le total des charges doit être
égal au total des produits", for the association budget and for each project budget).

:func:`budget_vs_actual` compares a budget with the accounts (a ``Ledger``) line by line, with
the gaps in euros and in percent required by the compte rendu financier (arrêté of 24 May 2005,
art. 3; ``finance.md`` §4.2), and flags the lines whose gap needs an explanation in the annex.

Mapping of accounts to CERFA lines (``finance.md`` §4.1, "mapping pitfalls"): each account goes
to the line whose account prefix is the longest one matching it (so ``6061`` goes to "Autres
fournitures", the catch-all of 60, and ``604`` to "Prestations de services"). Contributions
volontaires are mapped **by meaning**: ANC 875 (bénévolat) → "87 Bénévolat", ANC 871 →
"87 Prestations en nature", ANC 870 (dons en nature) → "87 Dons en nature", because the CERFA
numbers 870 and 875 the other way round. Subsidies (74) are split by funder category from the
account, auxiliary and entry labels (:func:`funder_category`). The ANC account 73 (*concours
publics*) is shown on the CERFA line 73, which the form calls "dotations et produits de
tarification": ``finance.md`` §4.1 asks to decide per case whether it belongs there or with the
funder's 74 line, and to say so in the compte rendu.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, FileError, ValidationError, closest, column_error
from .._format import format_euro, format_percent, frame_html
from .._parse import fold
from .._problems import ProblemLog, ProblemTable
from .._write import Formula, append_row, new_workbook, output_path, save_workbook, set_cell
from ._amounts import to_amount

__all__ = [
    "CERFA_LINES",
    "FUNDER_CATEGORIES",
    "Budget",
    "BudgetComparison",
    "budget_template",
    "budget_vs_actual",
    "funder_category",
    "make_budget",
    "read_budget",
]

CHARGES = "Charges"
PRODUITS = "Produits"
EMPLOIS_CVN = "Emplois des contributions volontaires"
RESSOURCES_CVN = "Contributions volontaires en nature"
SECTIONS = (CHARGES, PRODUITS, EMPLOIS_CVN, RESSOURCES_CVN)

#: Headings of the CERFA postes (two-digit accounts), used for the subtotals.
POSTES: dict[str, str] = {
    "60": "60 – Achats",
    "61": "61 – Services extérieurs",
    "62": "62 – Autres services extérieurs",
    "63": "63 – Impôts et taxes",
    "64": "64 – Charges de personnel",
    "65": "65 – Autres charges de gestion courante",
    "66": "66 – Charges financières",
    "67": "67 – Charges exceptionnelles",
    "68": "68 – Dotations aux amortissements, provisions et reports en fonds dédiés",
    "69": "69 – Impôt sur les bénéfices, participation des salariés",
    "86": "86 – Emplois des contributions volontaires en nature",
    "70": "70 – Ventes de produits finis, de marchandises, prestations de services",
    "73": "73 – Dotations et produits de tarification",
    "74": "74 – Subventions d'exploitation",
    "75": "75 – Autres produits de gestion courante",
    "76": "76 – Produits financiers",
    "77": "77 – Produits exceptionnels",
    "78": "78 – Reprises sur amortissements, provisions et fonds dédiés",
    "79": "79 – Transferts de charges",
    "87": "87 – Contributions volontaires en nature",
}

#: Funder categories of the CERFA 74 line, in the form's order.
FUNDER_CATEGORIES: tuple[str, ...] = (
    "État",
    "Région",
    "Département",
    "Intercommunalité",
    "Commune",
    "Organismes sociaux",
    "Fonds européens",
    "ASP",
    "Autres établissements publics",
    "Aides privées",
)

_FUNDER_LABELS = {
    "État": "État (préciser le(s) ministère(s), directions ou services déconcentrés)",
    "Région": "Région(s)",
    "Département": "Département(s)",
    "Intercommunalité": "Intercommunalité(s) : EPCI",
    "Commune": "Commune(s)",
    "Organismes sociaux": "Organismes sociaux (CAF, etc.)",
    "Fonds européens": "Fonds européens (FSE, FEDER, etc.)",
    "ASP": "Agence de services et de paiement (emplois aidés)",
    "Autres établissements publics": "Autres établissements publics",
    "Aides privées": "Aides privées (fondations)",
}

#: Code of the line receiving subsidies whose funder could not be recognised (actuals only).
UNKNOWN_FUNDER = "74 Financeur non identifié"


@dataclass(frozen=True)
class CerfaLine:
    """One line of the CERFA 12156 budget."""

    code: str
    section: str
    poste: str
    label: str
    accounts: tuple[str, ...]


def _line(code: str, section: str, label: str, accounts: Sequence[str]) -> CerfaLine:
    return CerfaLine(code, section, code[:2], label, tuple(accounts))


#: The CERFA 12156 lines in the form's order, with the account prefixes mapped to each.
CERFA_LINES: tuple[CerfaLine, ...] = (
    _line("604", CHARGES, "Prestations de services", ["604"]),
    _line("601", CHARGES, "Achats matières et fournitures", ["601", "602"]),
    _line("606", CHARGES, "Autres fournitures", ["60"]),
    _line("613", CHARGES, "Locations", ["613", "614"]),
    _line("615", CHARGES, "Entretien et réparation", ["615"]),
    _line("616", CHARGES, "Assurance", ["616"]),
    _line("618", CHARGES, "Documentation, autres services extérieurs", ["618", "61"]),
    _line("622", CHARGES, "Rémunérations intermédiaires et honoraires", ["622"]),
    _line("623", CHARGES, "Publicité, publication", ["623"]),
    _line("625", CHARGES, "Déplacements, missions", ["625"]),
    _line("628", CHARGES, "Services bancaires, autres", ["62"]),
    _line("631", CHARGES, "Impôts et taxes sur rémunération", ["631", "633"]),
    _line("635", CHARGES, "Autres impôts et taxes", ["63"]),
    _line("641", CHARGES, "Rémunération des personnels", ["641", "642", "643", "644"]),
    _line("645", CHARGES, "Charges sociales", ["645", "646"]),
    _line("647", CHARGES, "Autres charges de personnel", ["64"]),
    _line("65", CHARGES, "Autres charges de gestion courante", ["65"]),
    _line("66", CHARGES, "Charges financières", ["66"]),
    _line("67", CHARGES, "Charges exceptionnelles", ["67"]),
    _line("68", CHARGES, "Dotations aux amortissements, dépréciations et provisions", ["68"]),
    _line(
        "689",
        CHARGES,
        "Reports en fonds dédiés (engagements à réaliser sur ressources affectées)",
        ["689"],
    ),
    _line("69", CHARGES, "Impôt sur les bénéfices, participation des salariés", ["69"]),
    _line("860", EMPLOIS_CVN, "Secours en nature", ["860"]),
    _line("861", EMPLOIS_CVN, "Mise à disposition gratuite de biens et services", ["861", "86"]),
    _line("862", EMPLOIS_CVN, "Prestations", ["862"]),
    _line("864", EMPLOIS_CVN, "Personnel bénévole", ["864"]),
    _line(
        "70", PRODUITS, "Ventes de produits finis, de marchandises, prestations de services", ["70"]
    ),
    _line("73", PRODUITS, "Dotations et produits de tarification", ["73"]),
    *(_line(f"74 {c}", PRODUITS, _FUNDER_LABELS[c], ["74"]) for c in FUNDER_CATEGORIES),
    _line("756", PRODUITS, "Cotisations", ["756"]),
    _line("754", PRODUITS, "Dons manuels, mécénat, legs", ["754"]),
    _line("75", PRODUITS, "Autres produits de gestion courante", ["75"]),
    _line("76", PRODUITS, "Produits financiers", ["76"]),
    _line("77", PRODUITS, "Produits exceptionnels", ["77"]),
    _line("78", PRODUITS, "Reprises sur amortissements, dépréciations et provisions", ["78"]),
    _line(
        "789",
        PRODUITS,
        "Report de ressources non utilisées des exercices antérieurs (utilisations de fonds "
        "dédiés)",
        ["789"],
    ),
    _line("79", PRODUITS, "Transferts de charges", ["79"]),
    _line("87 Bénévolat", RESSOURCES_CVN, "Bénévolat", ["875"]),
    _line("87 Prestations en nature", RESSOURCES_CVN, "Prestations en nature", ["871", "87"]),
    _line("87 Dons en nature", RESSOURCES_CVN, "Dons en nature", ["870"]),
)

_BY_CODE = {line.code: line for line in CERFA_LINES}
_ORDER = {line.code: i for i, line in enumerate(CERFA_LINES)}
_UNKNOWN_LINE = CerfaLine(
    UNKNOWN_FUNDER, PRODUITS, "74", "Subventions dont le financeur n'a pas été reconnu", ("74",)
)


def _norm(text: object) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces (labels and codes).

    The shared folding (:func:`movsc_toolkit._parse.fold`) plus punctuation removed.
    """
    return " ".join(re.sub(r"[’'`\-_/.,;:()]", " ", fold(text)).split())


def _norm_series(values: pd.Series) -> pd.Series:
    """:func:`_norm` of each value, computed once per distinct value (fast on big ledgers)."""
    text = values.fillna("").astype(str)
    return text.map({v: _norm(v) for v in text.unique()})


_CODE_LOOKUP = {_norm(line.code): line.code for line in CERFA_LINES}

# Keywords recognising the funder category of a subsidy, tested in this order (the first
# match wins): "communauté de communes" must be tested before "commune", etc.
_FUNDER_PATTERNS: tuple[tuple[str, str], ...] = (
    ("Fonds européens", r"\b(fse|feder|feader|fonds europeens?|union europeenne|europe|leader)\b"),
    (
        "ASP",
        r"\b(asp|agence de services et de paiement|emplois? aides?|pec|parcours emploi"
        r"|cui|adultes? relais)\b",
    ),
    (
        "Organismes sociaux",
        r"\b(caf|caisse d allocations familiales|msa|carsat|cpam|cnaf|organismes? sociaux)\b",
    ),
    ("Aides privées", r"\b(fondation|fonds de dotation|aides? privees?)\b"),
    (
        "Intercommunalité",
        r"\b(communaute (de communes|d agglomeration|urbaine)|agglomeration|agglo|metropole"
        r"|epci|intercommunal\w*)\b",
    ),
    ("Région", r"\b(region|regional|conseil regional)\b"),
    ("Département", r"\b(departement|departemental|conseil departemental)\b"),
    (
        "Autres établissements publics",
        r"\b(agence nationale du sport|ans|ars|bpifrance|france travail|etablissements? publics?)\b",
    ),
    (
        "État",
        r"\b(etat|prefecture|prefet|ddets|dreets|drac|drajes|sdjes|ministere|fonjep|fdva|anct"
        r"|politique de la ville|dilcrah|cget)\b",
    ),
    ("Commune", r"\b(commune|ville|mairie|municipal\w*|ccas)\b"),
)


def funder_category(text: str) -> str | None:
    """Return the CERFA funder category recognised in a label, or ``None``.

    Parameters
    ----------
    text
        A funder's name or an accounting label ("Subvention CAF de la Gironde – PS animation").

    Examples
    --------
    >>> funder_category("Subvention CAF - prestation de service")
    'Organismes sociaux'
    >>> funder_category("Communauté de communes du Val")
    'Intercommunalité'
    """
    value = _norm(text)
    for category, pattern in _FUNDER_PATTERNS:
        if re.search(pattern, value):
            return category
    return None


def _code_of(value: object) -> str | None:
    """Normalise a code read from a file (604, '604', '74 etat') to a catalogue code."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return None
    key = _norm(text)
    if key in _CODE_LOOKUP:
        return _CODE_LOOKUP[key]
    # "74 - État", "74 État (DDETS)": try the category name alone after 74
    match = re.match(r"^74\s+(.*)$", key)
    if match:
        category = funder_category(match.group(1))
        if category is None:
            for cat in FUNDER_CATEGORIES:
                if _norm(cat) == match.group(1):
                    category = cat
        if category is not None:
            return f"74 {category}"
    return None


def _to_amount(value: object) -> float | None:
    """One budget cell in euros (:func:`._amounts.to_amount`, the shared parser).

    Empty cells and a lone dash are 0; ``12.500`` is 12 500 € (an amount in euros has no
    third decimal); ``None`` when the cell is not an amount (text, a percentage…).
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return 0.0
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip() in {"", "-", "–", "—"}:
        return 0.0
    if isinstance(value, float | np.floating) and np.isnan(value):
        return 0.0
    return to_amount(value)


# --------------------------------------------------------------------------- the budget

_META_COLUMNS = {"section", "poste", "code", "ligne", "libelle", "precision", "precisions"}


@dataclass(frozen=True, eq=False)
class Budget:
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
    """

    lines: pd.DataFrame
    projects: tuple[str, ...]
    name: str = ""
    year: int | None = None
    read_problems: pd.DataFrame | None = field(default=None, repr=False)
    problems: ProblemTable = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "problems", _check(self))

    # ---------------------------------------------------------------- amounts
    def amounts(self, project: str | None = None) -> pd.Series:
        """Amount of each CERFA line (``Code``), for one project or the whole association."""
        column = self._column(project)
        data = self.lines.assign(_m=self._values(column))
        out = data.groupby("Code", sort=False)["_m"].sum().rename("Montant (€)")
        return out.reindex([c for c in _ORDER if c in out.index])

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
        """Total of a section (``"Charges"``, ``"Produits"``, or the two CVN blocks)."""
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
        """Whether every project and the whole association are balanced (no error found)."""
        return not (self.problems["gravité"] == "erreur").any()

    def project(self, name: str) -> Budget:
        """The budget of one project alone."""
        self._column(name)
        keep = ["Section", "Code", "Ligne", "Précision", name]
        return Budget(self.lines[keep].copy(), (name,), name=self.name, year=self.year)

    # ---------------------------------------------------------------- tables
    def to_frame(self) -> pd.DataFrame:
        """The lines with one column per project and the ``Total`` (the association)."""
        out = self.lines.copy()
        out["Total"] = out[list(self.projects)].sum(axis=1)
        return out

    def summary(self) -> pd.DataFrame:
        """Totals and balance checks, one row per project plus ``Total``."""
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
        """The budget presented like the CERFA 12156 form (postes, subtotals and totals)."""
        amounts = self.amounts(project).to_frame("Montant (€)")
        return _cerfa_layout(amounts)

    # ---------------------------------------------------------------- checks
    def validate(self) -> Budget:
        """Raise :class:`ValidationError` listing the problems, or return the budget."""
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
    def __str__(self) -> str:
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
        else:
            parts.append(f"{len(self.problems)} problème(s) à corriger :")
            parts.extend(
                f"  – {p['élément']} : {p['message']}" for _, p in self.problems.iterrows()
            )
        return "\n".join(parts)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        text = html.escape(str(self)).replace("\n", "<br>")
        return f"<p>{text}</p>" + frame_html(self.summary(), decimals=0)

    def plot(self, project: str | None = None, ax: Any = None) -> Any:
        """Horizontal bars: charges by poste and produits by origin (subsidies by funder)."""
        from ..plotting import euro_formatter, get_axes

        amounts = self.amounts(project)
        items: list[tuple[str, float, str]] = []
        for code, value in amounts.items():
            if value == 0:
                continue
            line = _BY_CODE[code]
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
        ax.set_yticks(range(len(frame)), [_short(r) for r in frame["Rubrique"]])
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
        """
        return _write_excel(self, Path(path))


def _line_name(code: str, label: str) -> str:
    """``"641 Rémunération des personnels"``; ``"74 État (préciser…)"`` for a funder line."""
    return f"74 {label}" if code.startswith("74 ") else f"{code} {label}"


def _short(text: str, width: int = 45) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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


def make_budget(
    data: pd.DataFrame | Mapping[str, Any],
    *,
    projects: Sequence[str] | None = None,
    name: str = "",
    year: int | None = None,
) -> Budget:
    """Build a :class:`Budget` from a table (or a ``{code: amount}`` mapping).

    Parameters
    ----------
    data
        A DataFrame with a ``Code`` column (CERFA line: ``"604"``, ``"641"``, ``"74 Commune"``,
        ``"87 Bénévolat"`` …), optionally ``Précision`` (funder detail), and one amount column
        per project; or a mapping ``{code: amount}`` for a single-project budget.
    projects
        The amount columns; by default every column that is not ``Section``, ``Poste``,
        ``Code``, ``Ligne``, ``Précision`` or ``Total``.
    name, year
        Association name and budgeted year, for titles.

    Examples
    --------
    >>> b = make_budget({"641": 30000, "645": 12000, "74 Commune": 42000})
    >>> b.is_balanced
    True
    """
    if isinstance(data, Mapping):
        data = pd.DataFrame({"Code": list(data), "Budget": list(data.values())})
    return _from_frame(data, projects=projects, name=name, year=year, path=None)


def _from_frame(
    data: pd.DataFrame,
    *,
    projects: Sequence[str] | None,
    name: str,
    year: int | None,
    path: Path | None,
    formulas: Mapping[tuple[int, str], tuple[str, float | None]] | None = None,
) -> Budget:
    by_norm = {_norm(c): c for c in data.columns}
    if "code" not in by_norm:
        raise column_error("Code", data.columns, path=path)
    code_col = by_norm["code"]
    precision_col = by_norm.get("precision") or by_norm.get("precisions")
    if projects is None:
        projects = [
            c
            for c in data.columns
            if _norm(c) not in _META_COLUMNS and not _norm(c).startswith("total")
        ]
    else:
        for p in projects:
            if p not in data.columns:
                raise column_error(p, data.columns, path=path)
    projects = [str(p) for p in projects]
    if not projects:
        raise DataError(
            "le budget n'a aucune colonne de montants.",
            path=path,
            hint="ajoutez une colonne par projet (par exemple « Association ») à côté des "
            "colonnes Code, Ligne et Précision.",
        )
    file_lines = data.attrs.get("lines") or [i + 2 for i in range(len(data))]
    formulas = formulas or {}
    log = ProblemLog(fichier=None)
    records = []
    for i, (_, row) in enumerate(data.iterrows()):
        raw_code = row[code_col]
        code = _code_of(raw_code)
        values = {}
        for p in projects:
            key = (int(file_lines[i]), p)
            if code is not None and key in formulas:
                formula, computed = formulas[key]
                if computed is None:
                    log.add(
                        "erreur",
                        f"la cellule contient la formule {formula} mais aucune valeur calculée "
                        "n'a été enregistrée avec le classeur (fichier produit par un programme, "
                        "jamais ouvert dans un tableur) : montant non lu, compté 0 €. Ouvrez le "
                        "classeur dans Excel ou LibreOffice, enregistrez-le, puis relisez-le.",
                        élément=p,
                        ligne=key[0],
                        colonne=p,
                        valeur=formula,
                    )
                    values[p] = 0.0
                else:
                    log.add(
                        "alerte",
                        f"la formule {formula} n'avait pas de valeur enregistrée : recalculée "
                        f"ici ({format_euro(computed, 2)}) à partir des cellules qu'elle "
                        "additionne.",
                        élément=p,
                        ligne=key[0],
                        colonne=p,
                        valeur=formula,
                    )
                    values[p] = float(computed)
                continue
            amount = _to_amount(row[p])
            if amount is None:
                raise DataError(
                    f"le montant « {row[p]} » n'est pas un nombre.",
                    path=path,
                    line=file_lines[i],
                    column=p,
                    hint="écrivez un nombre (par exemple 12 500 ou 12500,50), sans texte.",
                )
            values[p] = amount
        if code is None:
            empty_code = raw_code is None or (
                (isinstance(raw_code, float) and np.isnan(raw_code)) or str(raw_code).strip() == ""
            )
            if empty_code and all(v == 0 for v in values.values()):
                continue  # a blank row of the template: nothing to keep
            known = [line.code for line in CERFA_LINES]
            near = closest(str(raw_code), known)
            hint = (
                f"vouliez-vous dire « {near[0]} » ?"
                if near
                else "les codes sont ceux du modèle (604, 641, 645, 74 Commune, 756, "
                "87 Bénévolat…) : voir budget_template()."
            )
            raise DataError(
                f"le code de ligne « {raw_code} » n'est pas une ligne du budget CERFA.",
                path=path,
                line=file_lines[i],
                column=code_col,
                hint=hint,
            )
        line = _BY_CODE[code]
        precision = row[precision_col] if precision_col else None
        precision = "" if precision is None or pd.isna(precision) else str(precision).strip()
        records.append(
            {
                "Section": line.section,
                "Code": code,
                "Ligne": line.label,
                "Précision": precision,
                **values,
            }
        )
    lines = pd.DataFrame(records, columns=["Section", "Code", "Ligne", "Précision", *projects])
    lines = lines.sort_values("Code", key=lambda s: s.map(_ORDER), kind="stable")
    lines = lines.reset_index(drop=True)
    for p in projects:
        lines[p] = lines[p].astype(float)
    read_problems = log.frame() if len(log) else None
    return Budget(lines, tuple(projects), name=name, year=year, read_problems=read_problems)


def _uncached_formulas(
    path: Path, sheet: str | int, header: frozenset[str] = frozenset({"code"})
) -> dict[tuple[int, str], tuple[str, Any]]:
    """Formula cells of an ``.xlsx`` sheet that have no value saved with them.

    openpyxl reads the value Excel saved with each formula (``data_only=True``); a workbook
    written by a program and never opened in a spreadsheet has none, and the cell reads as
    empty. ``header`` names (folded) one of the columns of the header row, found as the first
    row holding one of them. Each such cell is returned as ``{(row, column header): (formula,
    value)}`` where ``value``
    is the result of a trivial formula (``=SUM(B2:B9)``, ``=B2+B3-1200``) computed from the
    saved values of the cells it refers to, or ``None`` when it cannot be computed here.
    """
    try:
        from openpyxl import load_workbook
        from openpyxl.utils.cell import coordinate_from_string, range_boundaries
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        return {}
    try:
        formulas_book = load_workbook(path, data_only=False, read_only=True)
        values_book = load_workbook(path, data_only=True, read_only=True)
    except Exception:  # read_table already read the file: be lenient here
        return {}
    try:
        name = sheet if isinstance(sheet, str) else formulas_book.sheetnames[sheet]
        f_rows = [list(r) for r in formulas_book[name].iter_rows(values_only=True)]
        v_rows = [list(r) for r in values_book[name].iter_rows(values_only=True)]
    finally:
        formulas_book.close()
        values_book.close()

    def cached(row: int, col: int) -> Any:
        if row - 1 < len(v_rows) and col - 1 < len(v_rows[row - 1]):
            return v_rows[row - 1][col - 1]
        return None

    def formula_at(row: int, col: int) -> bool:
        if row - 1 < len(f_rows) and col - 1 < len(f_rows[row - 1]):
            value = f_rows[row - 1][col - 1]
            return isinstance(value, str) and value.startswith("=")
        return False

    def at(row: int, col: int, depth: int) -> float | None:
        value = cached(row, col)
        if value is None:
            if formula_at(row, col):  # another formula without a saved value
                return evaluate(f_rows[row - 1][col - 1], depth + 1) if depth < 20 else None
            return 0.0  # an empty cell counts 0
        return to_amount(value)

    def cell_value(ref: str, depth: int) -> float | None:
        letters, row = coordinate_from_string(ref)
        return at(row, range_boundaries(f"{letters}{row}")[0], depth)

    def evaluate(formula: str, depth: int = 0) -> float | None:
        text = formula[1:].replace("$", "").replace(" ", "").upper()
        ref = r"[A-Z]{1,3}\d+"
        match = re.fullmatch(r"(?:SUM|SOMME)\((.+)\)", text)
        if match:
            total = 0.0
            for arg in re.split(r"[;,]", match.group(1)):
                if re.fullmatch(f"{ref}:{ref}", arg):
                    c1, r1, c2, r2 = range_boundaries(arg)
                    for r in range(r1, r2 + 1):
                        for c in range(c1, c2 + 1):
                            amount = at(r, c, depth)
                            if amount is None:
                                return None
                            total += amount
                elif re.fullmatch(ref, arg):
                    amount = cell_value(arg, depth)
                    if amount is None:
                        return None
                    total += amount
                else:
                    return None
            return total
        terms = re.findall(rf"([+-]?)({ref}|\d+(?:[.,]\d+)?)", text)
        if not terms or "".join(s + t for s, t in terms) != text:
            return None
        total = 0.0
        for sign, term in terms:
            if re.fullmatch(ref, term):
                amount = cell_value(term, depth)
            else:
                amount = float(term.replace(",", "."))
            if amount is None:
                return None
            total += -amount if sign == "-" else amount
        return total

    header_row = next(
        (
            i
            for i, row in enumerate(f_rows)
            if any(isinstance(v, str) and _norm(v) in header for v in row)
        ),
        None,
    )
    if header_row is None:
        return {}
    headers = f_rows[header_row]
    out: dict[tuple[int, str], tuple[str, Any]] = {}
    for r, row in enumerate(f_rows[header_row + 1 :], start=header_row + 2):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith("=") and cached(r, c) is None:
                header = headers[c - 1] if c - 1 < len(headers) else None
                if header is None:
                    continue
                out[(r, str(header).strip())] = (value, evaluate(value))
    return out


def read_budget(
    path: str | PathLike[str],
    sheet: str | int | None = None,
    *,
    name: str | None = None,
    year: int | None = None,
) -> Budget:
    """Read a budget prévisionnel from the Excel template (or a CSV with the same columns).

    Parameters
    ----------
    path
        An ``.xlsx``/``.ods`` workbook written by :func:`budget_template` or
        :meth:`Budget.to_excel`, or a CSV file. Required column: ``Code`` (the CERFA line);
        optional ``Précision``; one amount column per project. ``Section``, ``Poste``,
        ``Ligne`` and ``Total`` columns are recomputed, not read.
    sheet
        Sheet to read in a workbook. By default the sheet ``"Budget"``, or the first sheet
        other than ``"Lisez-moi"`` when there is none. A sheet given explicitly must exist (a
        misspelt name raises an error suggesting the closest one).
    name, year
        Association name and year (read from the ``Lisez-moi`` sheet when omitted).

    Raises
    ------
    ColumnError
        When the sheet given does not exist.
    DataError
        With the file line and column of an unknown code or a non-numeric amount.
    """
    from .._io import read_table

    p = Path(path)
    meta: dict[str, str] = {}
    formulas: dict[tuple[int, str], tuple[str, float | None]] = {}
    if p.suffix.lower() in {".xlsx", ".xlsm", ".ods", ".xls"}:
        if not p.exists():
            read_table(p)  # raises the toolkit's "file not found" error
        sheets = pd.ExcelFile(p).sheet_names
        if sheet is None:
            data_sheets = [s for s in sheets if s != "Lisez-moi"] or sheets
            sheet = "Budget" if "Budget" in sheets else data_sheets[0]
        if "Lisez-moi" in sheets:
            info = read_table(p, "Lisez-moi", header=None, convert_numbers=False)
            for _, row in info.iterrows():
                if isinstance(row.iloc[0], str) and row.shape[0] > 1:
                    meta[_norm(row.iloc[0])] = row.iloc[1]
        data = read_table(p, sheet, convert_numbers=False)
        if p.suffix.lower() in {".xlsx", ".xlsm"}:
            formulas = _uncached_formulas(p, sheet)
    else:
        data = read_table(p, convert_numbers=False)
    if data.empty:
        raise FileError("le budget est vide.", path=p, hint="remplissez la feuille « Budget ».")
    if name is None:
        raw_name = meta.get("association")
        name = "" if raw_name is None or pd.isna(raw_name) else str(raw_name).strip()
    if year is None:
        raw = meta.get("exercice")
        year = int(float(raw)) if raw not in (None, "") and not pd.isna(raw) else None
    return _from_frame(data, projects=None, name=name, year=year, path=p, formulas=formulas)


def budget_template(
    path: str | PathLike[str],
    projects: Sequence[str] = ("Association",),
    *,
    name: str = "",
    year: int | None = None,
) -> Path:
    """Write an empty budget template (every CERFA line, one column per project).

    Examples
    --------
    >>> budget_template("mon_budget.xlsx", projects=["Accueil", "Jeunesse"])  # doctest: +SKIP
    """
    lines = pd.DataFrame(
        [
            {"Section": line.section, "Code": line.code, "Ligne": line.label, "Précision": ""}
            | dict.fromkeys(projects, 0.0)
            for line in CERFA_LINES
        ]
    )
    return Budget(lines, tuple(projects), name=name, year=year).to_excel(path)


# --------------------------------------------------------------------------- CERFA layout


def _cerfa_layout(amounts: pd.DataFrame) -> pd.DataFrame:
    """Lay per-code amounts out like the form: poste subtotals, lines, section totals.

    ``amounts`` is indexed by CERFA code, its columns are numeric (summed in subtotals). Postes
    and lines whose amounts are all zero are left out; the four section totals are always there.
    """
    numeric = list(amounts.columns)
    rows: list[dict[str, Any]] = []

    def add(kind: str, label: str, code: str, values: pd.Series) -> None:
        rows.append({"Type": kind, "Code": code, "Rubrique": label, **values.to_dict()})

    blocks = [
        (CHARGES, "TOTAL DES CHARGES"),
        (PRODUITS, "TOTAL DES PRODUITS"),
        (EMPLOIS_CVN, "TOTAL DES EMPLOIS (86)"),
        (RESSOURCES_CVN, "TOTAL DES CONTRIBUTIONS (87)"),
    ]
    catalogue = [*CERFA_LINES, _UNKNOWN_LINE]
    for section, total_label in blocks:
        lines = [line for line in catalogue if line.section == section]
        codes = [line.code for line in lines if line.code in amounts.index]
        block = amounts.reindex(codes).fillna(0.0)
        postes = list(dict.fromkeys(line.poste for line in lines))
        for poste in postes:
            in_poste = [line for line in lines if line.poste == poste and line.code in codes]
            if not in_poste:
                continue
            sub = block.loc[[line.code for line in in_poste]]
            if not sub.to_numpy().any():
                continue  # an empty poste: the form leaves it blank
            add("poste", POSTES[poste], poste, sub.sum())
            if len(in_poste) > 1 or in_poste[0].code != poste:
                for line in in_poste:
                    if block.loc[line.code].to_numpy().any():
                        add("ligne", "    " + line.label, line.code, block.loc[line.code])
        add("total", total_label, "", block.sum())
    out = pd.DataFrame(rows, columns=["Type", "Code", "Rubrique", *numeric])
    return out


# --------------------------------------------------------------------------- Excel


def _write_excel(budget: Budget, path: Path) -> Path:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if path.suffix.lower() != ".xlsx":
        raise FileError(
            "le budget s'exporte au format Excel (.xlsx).",
            path=path,
            hint="donnez un nom de fichier terminé par .xlsx.",
        )
    path = output_path(path, (".xlsx",), "le budget")
    euro = '#,##0 "€";-#,##0 "€";"–"'
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    section_fill = {
        CHARGES: "FCE4D6",
        PRODUITS: "E2EFDA",
        EMPLOIS_CVN: "FFF2CC",
        RESSOURCES_CVN: "FFF2CC",
    }
    wb = new_workbook()
    ws = wb.active
    ws.title = "Budget"
    projects = list(budget.projects)
    header = ["Section", "Poste", "Code", "Ligne", "Précision", *projects, "Total"]
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = bold
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    # every CERFA line, with the budget's rows where it has some
    present = budget.lines.groupby("Code", sort=False)
    first_amount = get_column_letter(6)
    last_amount = get_column_letter(5 + len(projects))
    r = 1
    for line in CERFA_LINES:
        if line.code in present.groups:
            rows = present.get_group(line.code)
            records = [(row["Précision"], [row[p] for p in projects]) for _, row in rows.iterrows()]
        else:
            records = [("", [None] * len(projects))]
        for precision, values in records:
            r += 1
            row_values = [line.section, POSTES[line.poste], line.code, line.label, precision]
            for c, value in enumerate([*row_values, *values], start=1):
                set_cell(ws, r, c, value)
            set_cell(ws, r, 6 + len(projects), Formula(f"=SUM({first_amount}{r}:{last_amount}{r})"))
            fill = PatternFill("solid", fgColor=section_fill[line.section])
            for c in range(1, 4):
                ws.cell(r, c).fill = fill
            for c in range(6, 7 + len(projects)):
                ws.cell(r, c).number_format = euro
            ws.cell(r, 6 + len(projects)).font = bold
    last = r
    widths = [22, 30, 24, 48, 28, *[16] * len(projects), 16]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "F2"

    # Contrôles: totals as formulas, so they follow the user's edits
    ctl = wb.create_sheet("Contrôles")
    append_row(ctl, ["Contrôle", *projects, "Total"])
    for cell in ctl[1]:
        cell.font = bold
        cell.fill = head_fill
    checks = [
        ("Total des charges", CHARGES),
        ("Total des produits", PRODUITS),
        ("Écart produits − charges (doit être nul)", None),
        ("Emplois des contributions volontaires (86)", EMPLOIS_CVN),
        ("Contributions volontaires en nature (87)", RESSOURCES_CVN),
        ("Écart 87 − 86 (doit être nul)", None),
    ]
    for i, (label, section) in enumerate(checks, start=2):
        row: list[Any] = [label]
        for j in range(len(projects) + 1):
            col = get_column_letter(6 + j)
            target = get_column_letter(2 + j)
            if section is not None:
                row.append(
                    Formula(
                        f'=SUMIF(Budget!$A$2:$A${last},"{section}",Budget!{col}$2:{col}${last})'
                    )
                )
            else:
                row.append(Formula(f"={target}{i - 1}-{target}{i - 2}"))
        append_row(ctl, row)
        for j in range(len(projects) + 1):
            ctl.cell(i, 2 + j).number_format = euro
        if section is None:
            for c in ctl[i]:
                c.font = bold
    ctl.column_dimensions["A"].width = 44
    for j in range(len(projects) + 1):
        ctl.column_dimensions[get_column_letter(2 + j)].width = 16

    # CERFA: the association's budget laid out like the form (values computed at export)
    cerfa = wb.create_sheet("CERFA")
    layout = budget.cerfa()
    append_row(cerfa, ["Rubrique", "Montant (€)"])
    for cell in cerfa[1]:
        cell.font = bold
        cell.fill = head_fill
    for row in layout.itertuples(index=False):
        append_row(cerfa, [row.Rubrique, float(row[3])])
        current = cerfa.max_row
        cerfa.cell(current, 2).number_format = euro
        if row.Type in {"poste", "total"}:
            cerfa.cell(current, 1).font = bold
            cerfa.cell(current, 2).font = bold
    cerfa.column_dimensions["A"].width = 80
    cerfa.column_dimensions["B"].width = 18

    info = wb.create_sheet("Lisez-moi")
    notes = [
        ("Association", budget.name),
        ("Exercice", budget.year if budget.year is not None else ""),
        ("Modèle", "Budget prévisionnel au format du CERFA n° 12156 (demande de subvention)."),
        (
            "Mode d'emploi",
            "Remplissez la feuille « Budget » : une colonne de montants par projet (ajoutez ou "
            "renommez des colonnes avant « Total »). Dupliquez une ligne pour détailler une "
            "subvention (par exemple deux communes) et indiquez le financeur dans « Précision ». "
            "Ne modifiez pas la colonne « Code ».",
        ),
        (
            "Contrôles",
            "Le total des charges doit être égal au total des produits, pour chaque projet et "
            "pour l'association ; les emplois (86) doivent égaler les contributions (87).",
        ),
        (
            "Numérotation 87",
            "Le CERFA numérote 870 le bénévolat et 875 les dons en nature ; le plan comptable "
            "associatif (ANC 2018-06) fait l'inverse. Les lignes 87 sont donc nommées par leur "
            "sens.",
        ),
    ]
    for key, value in notes:
        append_row(info, [key, value])
        info.cell(info.max_row, 1).font = bold
        info.cell(info.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 100
    return save_workbook(wb, path, what="le budget")


# --------------------------------------------------------------------------- budget vs actual


def _entries(ledger: Any) -> pd.DataFrame:
    """The entries DataFrame of a ``Ledger`` (or a DataFrame of entries itself)."""
    entries = ledger if isinstance(ledger, pd.DataFrame) else getattr(ledger, "entries", None)
    if not isinstance(entries, pd.DataFrame):
        raise DataError(
            "un grand livre (Ledger, lu par read_fec) ou un tableau d'écritures est attendu.",
            hint="lisez d'abord le FEC : ledger = finance.read_fec('mon_fec.txt').",
        )
    for col in ("CompteNum", "Debit", "Credit"):
        if col not in entries.columns:
            raise column_error(col, entries.columns)
    return entries


def _years(entries: pd.DataFrame) -> list[int]:
    if "exercice" in entries.columns:
        return sorted({int(y) for y in entries["exercice"].dropna().unique()})
    return sorted({int(y) for y in pd.to_datetime(entries["EcritureDate"]).dt.year.unique()})


def _select(
    entries: pd.DataFrame, year: int | None, analytic: str | None = None
) -> tuple[pd.DataFrame, int]:
    years = _years(entries)
    if not years:
        raise DataError("le grand livre ne contient aucune écriture.")
    if year is None:
        year = years[-1]
    if int(year) not in years:
        raise DataError(
            f"l'exercice {year} n'est pas dans le grand livre.",
            hint="exercices disponibles : " + ", ".join(str(y) for y in years) + ".",
        )
    if "exercice" in entries.columns:
        mask = entries["exercice"].astype("Int64") == int(year)
    else:
        mask = pd.to_datetime(entries["EcritureDate"]).dt.year == int(year)
    out = entries[mask.fillna(False).to_numpy(dtype=bool)]
    if analytic is not None:
        if "analytique" not in out.columns:
            raise column_error("analytique", out.columns)
        codes = out["analytique"].dropna().astype(str).unique().tolist()
        if str(analytic) not in codes:
            raise column_error(analytic, sorted(codes), what="code analytique")
        out = out[out["analytique"].astype(str) == str(analytic)]
    return out, int(year)


def _line_for_account(account: str, prefixes: list[tuple[str, str]]) -> str | None:
    for prefix, code in prefixes:
        if account.startswith(prefix):
            return code
    return None


def _prefix_table() -> list[tuple[str, str]]:
    pairs = [(p, line.code) for line in CERFA_LINES for p in line.accounts]
    pairs = [(p, c) for p, c in pairs if not c.startswith("74 ")] + [("74", "74")]
    return sorted(pairs, key=lambda pc: -len(pc[0]))


def _text_columns(entries: pd.DataFrame) -> pd.Series:
    parts = [
        entries[c].fillna("").astype(str)
        for c in ("CompteLib", "CompAuxNum", "CompAuxLib", "EcritureLib")
        if c in entries.columns
    ]
    if not parts:
        return pd.Series("", index=entries.index)
    text = parts[0]
    for part in parts[1:]:
        text = text + " " + part
    return text


def actual_by_line(
    ledger: Any,
    year: int | None = None,
    analytic: str | None = None,
    *,
    funders: Mapping[str, str] | None = None,
) -> pd.Series:
    """Actual amounts of the year by CERFA line code (charges as debits, produits as credits).

    ``funders`` maps an account prefix (``"7411"``) or a word of the labels (``"Ville de
    Bordeaux"``) to a funder category, before the automatic recognition of
    :func:`funder_category`.
    """
    entries, _ = _select(_entries(ledger), year, analytic)
    accounts = entries["CompteNum"].astype(str).str.strip()
    keep = accounts.str.match(r"^(6|7|86|87)")
    entries = entries[keep.to_numpy()]
    accounts = accounts[keep.to_numpy()]
    net = entries["Debit"].astype(float) - entries["Credit"].astype(float)
    prefixes = _prefix_table()
    mapping = {a: _line_for_account(a, prefixes) for a in accounts.unique()}
    codes = accounts.map(mapping)
    is_74 = codes == "74"
    if is_74.any():
        texts = _text_columns(entries[is_74.to_numpy()])
        pairs = pd.Series(list(zip(accounts[is_74], texts, strict=True)), index=texts.index)
        found = {  # each distinct (account, labels) pair is recognised once
            pair: "74 " + cat if (cat := _funder_for(*pair, funders)) else UNKNOWN_FUNDER
            for pair in pairs.unique()
        }
        codes.loc[is_74] = pairs.map(found)
    sections = codes.map(lambda c: (_BY_CODE.get(c) or _UNKNOWN_LINE).section)
    signed = np.where(sections.isin([CHARGES, EMPLOIS_CVN]), net, -net)
    out = pd.Series(signed, index=codes.index).groupby(codes.to_numpy()).sum()
    order = [*_ORDER, UNKNOWN_FUNDER]
    return out.reindex([c for c in order if c in out.index]).astype(float)


def _funder_for(account: str, text: str, funders: Mapping[str, str] | None) -> str | None:
    if funders:
        for key in sorted(funders, key=len, reverse=True):
            if (key.isdigit() and account.startswith(key)) or (
                not key.isdigit() and _norm(key) in _norm(text)
            ):
                value = funders[key]
                value = value[3:] if value.startswith("74 ") else value
                return value if value in FUNDER_CATEGORIES else funder_category(value)
    return funder_category(text)


@dataclass(frozen=True, eq=False)
class BudgetComparison:
    """Budget vs réalisé by CERFA line (compte rendu financier, CERFA 15059).

    Attributes
    ----------
    table
        Indexed by CERFA code: ``Section``, ``Ligne``, ``Prévu (€)``, ``Réalisé (€)``,
        ``Écart (€)`` (réalisé − prévu), ``Écart (%)`` (écart / prévu × 100; empty when nothing
        was planned), ``À expliquer`` (bool), then the rows ``Total des charges``,
        ``Total des produits``, ``Résultat``, ``Total 86``, ``Total 87``.
    year, project
        Year compared; project (analytic code) or ``None`` for the whole association.
    threshold, min_amount
        Rule used to flag a gap (see :func:`budget_vs_actual`).
    """

    table: pd.DataFrame
    year: int
    project: str | None
    threshold: float
    min_amount: float

    @property
    def to_explain(self) -> pd.DataFrame:
        """The lines whose gap must be explained in the compte rendu financier."""
        lines = self.table[~self.table.index.str.startswith("Total")]
        lines = lines[lines.index != "Résultat"]
        return lines[lines["À expliquer"]]

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def cerfa(self) -> pd.DataFrame:
        """The CERFA 15059 table: Prévision, Réalisation, % of realisation, by poste."""
        lines = self.table.loc[
            [c for c in self.table.index if c in _BY_CODE or c == UNKNOWN_FUNDER],
            ["Prévu (€)", "Réalisé (€)"],
        ]
        lines.columns = ["Prévision (€)", "Réalisation (€)"]
        out = _cerfa_layout(lines)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = 100 * out["Réalisation (€)"] / out["Prévision (€)"]
        out["Réalisation (%)"] = pct.where(out["Prévision (€)"] != 0)
        return out

    def __str__(self) -> str:
        who = f"projet « {self.project} »" if self.project else "ensemble de l'association"
        t = self.table
        parts = [
            f"Budget prévisionnel et réalisé {self.year} ({who}).",
            f"Charges : prévu {format_euro(t.at['Total des charges', 'Prévu (€)'])}, réalisé "
            f"{format_euro(t.at['Total des charges', 'Réalisé (€)'])} ; produits : prévu "
            f"{format_euro(t.at['Total des produits', 'Prévu (€)'])}, réalisé "
            f"{format_euro(t.at['Total des produits', 'Réalisé (€)'])} ; résultat réalisé "
            f"{format_euro(t.at['Résultat', 'Réalisé (€)'])}.",
        ]
        flagged = self.to_explain
        rule = (
            f"écart d'au moins {format_percent(100 * self.threshold, 0)} du prévu et d'au moins "
            f"{format_euro(self.min_amount)}"
        )
        if flagged.empty:
            parts.append(f"Aucune ligne ne demande d'explication ({rule}).")
        else:
            parts.append(
                f"{len(flagged)} ligne(s) à expliquer dans l'annexe du compte rendu ({rule}) :"
            )
            for code, row in flagged.iterrows():
                pct = row["Écart (%)"]
                pct_text = "non prévu" if pd.isna(pct) else format_percent(pct)
                parts.append(
                    f"  – {_line_name(code, row['Ligne'])} : {format_euro(row['Écart (€)'])} "
                    f"({pct_text})"
                )
        return "\n".join(parts)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        text = html.escape(str(self)).replace("\n", "<br>")
        shown = self.table.copy()
        shown["À expliquer"] = shown["À expliquer"].map({True: "oui", False: ""})
        return f"<p>{text}</p>" + frame_html(shown, decimals=0)

    def plot(self, ax: Any = None) -> Any:
        """Horizontal bars of the gaps (€) of the lines, flagged ones in red."""
        from ..plotting import gap_bars, get_axes

        lines = self.table[[c in _BY_CODE or c == UNKNOWN_FUNDER for c in self.table.index]]
        lines = lines[lines["Écart (€)"].abs() > 0.5]
        _fig, ax = get_axes(ax, figsize=(8, 0.35 * len(lines) + 1.5))
        colours = ["#D55E00" if f else "#999999" for f in lines["À expliquer"]]
        labels = [_short(_line_name(c, row["Ligne"])) for c, row in lines.iterrows()]
        gap_bars(ax, lines["Écart (€)"], labels, colours)
        ax.set_title(f"Écarts réalisé − prévu {self.year} (en rouge : à expliquer)")
        return ax


def budget_vs_actual(
    budget: Budget,
    ledger: Any,
    year: int | None = None,
    analytic: str | None = None,
    *,
    threshold: float = 0.20,
    min_amount: float | None = None,
    funders: Mapping[str, str] | None = None,
) -> BudgetComparison:
    """Compare a budget with the accounts of a year, line by line (compte rendu financier).

    Parameters
    ----------
    budget
        The budget prévisionnel.
    ledger
        A ``Ledger`` (from ``read_fec``) or a DataFrame of entries with ``CompteNum``,
        ``Debit``, ``Credit``, ``EcritureDate`` or ``exercice`` (and ``analytique`` for a
        project).
    year
        Financial year of the ledger (the last one by default).
    analytic
        A project: the budget's column of that name is compared with the ledger's lines whose
        ``analytique`` code is that name. ``None``: the association's total budget against the
        whole ledger.
    threshold, min_amount
        A line **needs an explanation** when its gap is at least ``threshold`` of the planned
        amount (20 % by default) **and** at least ``min_amount`` euros (by default 0.5 % of the
        planned total charges), or when something was spent or received on a line that was
        not planned (at least ``min_amount``). The arrêté of 24 May 2005 (art. 3) asks for the
        gaps in € and %, and the CERFA 15059 annex for an explanation of *significant* gaps
        without fixing a threshold (``finance.md`` §4.2): the 20 % rule is a common practice
        of funders, a convention to adapt to what each funder asks.
    funders
        Extra rules recognising the funder of a subsidy account (see :func:`actual_by_line`).

    Returns
    -------
    BudgetComparison
    """
    if not isinstance(budget, Budget):
        raise DataError(
            "un budget (Budget, lu par read_budget) est attendu en premier argument.",
            hint="lisez le budget avec finance.read_budget('budget.xlsx').",
        )
    entries = _entries(ledger)
    project = None
    if analytic is not None:
        budget._column(analytic)
        project = str(analytic)
    planned = budget.amounts(project)
    actual = actual_by_line(entries, year, project, funders=funders)
    _, year = _select(entries, year)
    codes = [c for c in [*_ORDER, UNKNOWN_FUNDER] if c in planned.index or c in actual.index]
    table = pd.DataFrame(
        {
            "Prévu (€)": planned.reindex(codes).fillna(0.0),
            "Réalisé (€)": actual.reindex(codes).fillna(0.0),
        },
        index=codes,
    )
    table = table[(table["Prévu (€)"] != 0) | (table["Réalisé (€)"].abs() >= 0.005)]
    if min_amount is None:
        min_amount = round(0.005 * budget.total(CHARGES, project), 2)
    sections = [(_BY_CODE.get(c) or _UNKNOWN_LINE).section for c in table.index]
    labels = [(_BY_CODE.get(c) or _UNKNOWN_LINE).label for c in table.index]
    table.insert(0, "Section", sections)
    table.insert(1, "Ligne", labels)

    def total(section: str, label: str) -> dict[str, Any]:
        part = table[table["Section"] == section]
        return {
            "Section": section,
            "Ligne": label,
            "Prévu (€)": part["Prévu (€)"].sum(),
            "Réalisé (€)": part["Réalisé (€)"].sum(),
        }

    totals = {
        "Total des charges": total(CHARGES, "Total des charges"),
        "Total des produits": total(PRODUITS, "Total des produits"),
    }
    totals["Résultat"] = {
        "Section": "",
        "Ligne": "Résultat (produits − charges)",
        "Prévu (€)": totals["Total des produits"]["Prévu (€)"]
        - totals["Total des charges"]["Prévu (€)"],
        "Réalisé (€)": totals["Total des produits"]["Réalisé (€)"]
        - totals["Total des charges"]["Réalisé (€)"],
    }
    totals["Total 86"] = total(EMPLOIS_CVN, "Total des emplois des contributions (86)")
    totals["Total 87"] = total(RESSOURCES_CVN, "Total des contributions volontaires (87)")
    table = pd.concat([table, pd.DataFrame.from_dict(totals, orient="index")])
    table["Écart (€)"] = table["Réalisé (€)"] - table["Prévu (€)"]
    planned_values = table["Prévu (€)"]
    table["Écart (%)"] = (100 * table["Écart (€)"] / planned_values.abs()).where(
        planned_values != 0
    )
    big = table["Écart (€)"].abs() >= min_amount - 1e-9
    relative = (table["Écart (%)"].abs() >= 100 * threshold - 1e-9) | planned_values.eq(0)
    is_line = [c in _BY_CODE or c == UNKNOWN_FUNDER for c in table.index]
    table["À expliquer"] = (big & relative & np.array(is_line)).astype(bool)
    table.index.name = "Code"
    return BudgetComparison(
        table=table,
        year=int(year),
        project=project,
        threshold=float(threshold),
        min_amount=float(min_amount),
    )
