"""Full costs (*coûts complets*) of projects: direct costs, allocation keys, step-down.

Analytic accounting as an association's treasurer does it (reference ``finance_bc02.md`` §1):

- **direct costs** are the charges whose analytic code is a project;
- **indirect costs** are the charges of the **support centres** (*locaux*, *administration*…):
  they are allocated to the projects with **allocation keys** (*clés de répartition*) the user
  chooses and justifies: staff time (ETP or hours), m² occupied, participants, the projects'
  direct costs, or a fixed % (*forfait*); **one key per account group** (a support centre, or
  a part of it selected by account prefixes);
- support centres that serve other centres are allocated **step-down** (§1.3): the first centre
  goes to the later centres and to the projects, the next one allocates its own charges plus
  what it received, and so on (reciprocal services are ignored, as the method says);
- every amount is split with **largest-remainder rounding in integer cents** (§1.5), so that the
  allocation table adds up exactly, to the cent, to the charges of the ledger.

The same rules applied to a :class:`~movsc_toolkit.finance.Budget` (its support-centre columns)
give the planned indirect charges of the project budget (CERFA 12156), and applied to the ledger
the actual ones of the compte rendu financier (CERFA 15059): :meth:`FullCosts.cerfa` and
:func:`indirect_report` present both in the forms' *Charges indirectes* block.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ComputationError, DataError, column_error
from .._format import format_euro, format_percent
from .._problems import ProblemLog, ProblemTable
from .._report import Report, titled_html

__all__ = [
    "CERFA_INDIRECT_LINES",
    "FullCosts",
    "KeyComparison",
    "budget_full_costs",
    "compare_keys",
    "full_costs",
    "indirect_report",
    "largest_remainder",
]

#: The three lines of the *Charges indirectes* block of the CERFA 12156 project budget (and of
#: the compte rendu financier, CERFA 15059). The labels are configurable in :meth:`FullCosts.cerfa`.
CERFA_INDIRECT_LINES: tuple[str, ...] = (
    "Charges fixes de fonctionnement",
    "Frais financiers",
    "Autres",
)

#: Key names computed from the data rather than read from the keys table.
DIRECT_COSTS_KEYS = ("couts_directs", "coûts directs", "couts directs", "coûts_directs")


# ----------------------------------------------------------------------------- rounding


def _fraction(value: object) -> Fraction:
    """An exact fraction of a number as it is written (1.6 → 8/5, not the binary float)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    return Fraction(repr(float(value)))


def _split_cents(total_c: int, weights: Sequence[object], labels: Sequence[str]) -> list[int]:
    """Largest-remainder split of ``total_c`` cents (see :func:`largest_remainder`)."""
    w = [_fraction(x) for x in weights]
    if any(x < 0 for x in w):
        raise DataError(
            "une clé de répartition contient une quantité négative.",
            hint="les quantités d'une clé (m², ETP, heures, participants…) sont positives.",
        )
    s = sum(w, Fraction(0))
    if s == 0:
        raise DataError(
            "la clé de répartition est nulle pour tous les projets : rien ne permet de "
            "répartir le montant.",
            hint="donnez une quantité positive à au moins un projet dans la clé.",
        )
    sign = -1 if total_c < 0 else 1
    t = abs(int(total_c))
    quotas = [t * x / s for x in w]
    floors = [q.numerator // q.denominator for q in quotas]
    k = t - sum(floors)
    # largest remainder first; ties broken by the label (ascending), a documented fixed order
    ranking = sorted(range(len(w)), key=lambda i: (-(quotas[i] - floors[i]), str(labels[i])))
    for i in ranking[:k]:
        floors[i] += 1
    return [sign * f for f in floors]


def largest_remainder(total: float, weights: Mapping[str, float] | pd.Series) -> pd.Series:
    """Split ``total`` euros proportionally to ``weights``, to the cent, adding up exactly.

    Hamilton's largest-remainder method in integer cents (reference ``finance_bc02.md``
    §1.5): each share gets the floor of its exact quota (computed with fractions, never
    floats), then the cents still missing go, one each, to the shares with the largest
    remainders. **Tie-break**: equal remainders are served in the ascending order of their
    labels (project codes), so the result never depends on the input order. A weight of zero
    gets 0; a negative total (a credit note) is split as its absolute value, then signed.

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
    >>> largest_remainder(12500.08, {"ADM": 15, "A": 55, "B": 35, "C": 25}).tolist()
    [1442.32, 5288.49, 3365.41, 2403.86]
    """
    weights = pd.Series(weights, dtype=object)
    labels = [str(i) for i in weights.index]
    cents = _split_cents(_to_cents(total), list(weights.to_numpy()), labels)
    return pd.Series([c / 100 for c in cents], index=weights.index, dtype=float)


def _to_cents(value: float) -> int:
    return round(float(value) * 100)


# ----------------------------------------------------------------------------- keys and rules


def _key_tables(keys: pd.DataFrame | Mapping[str, Mapping[str, float]], year: int | None):
    """``{key name: {code: quantity}}`` and ``{key name: source text}`` from the keys table."""
    if isinstance(keys, Mapping):
        return (
            {str(k): {str(c): v for c, v in q.items()} for k, q in keys.items()},
            {str(k): "" for k in keys},
        )
    if not isinstance(keys, pd.DataFrame):
        raise DataError(
            "les clés de répartition doivent être un tableau (colonnes Clé, Code, Quantité).",
            hint="lisez le fichier des clés avec movsc.read_table('cles.csv').",
        )
    columns = {c.casefold(): c for c in map(str, keys.columns)}
    for needed in ("clé", "code", "quantité"):
        if needed not in columns:
            raise column_error(needed.capitalize(), keys.columns)
    data = keys
    lines = keys.attrs.get("lines")
    line_of = (
        list(lines)
        if lines is not None and len(lines) == len(keys)
        else list(range(2, len(keys) + 2))
    )
    if "exercice" in columns:
        years = pd.to_numeric(data[columns["exercice"]], errors="coerce")
        if year is None:
            year = int(years.max())
        mask = (years == int(year)).to_numpy()
        if not mask.any():
            raise DataError(
                f"aucune clé de répartition pour l'exercice {year}.",
                hint="exercices présents dans les clés : "
                + ", ".join(str(int(y)) for y in sorted(years.dropna().unique()))
                + ".",
            )
        data = data[mask]
        line_of = [line_of[i] for i in np.flatnonzero(mask)]
    out: dict[str, dict[str, Any]] = {}
    sources: dict[str, list[str]] = {}
    for i, (_, row) in enumerate(data.iterrows()):
        key, code, qty = row[columns["clé"]], row[columns["code"]], row[columns["quantité"]]
        try:
            value = float(qty)
        except (TypeError, ValueError):
            value = np.nan
        if not np.isfinite(value) or value < 0:
            raise DataError(
                f"la quantité « {qty} » de la clé « {key} » pour « {code} » n'est pas un "
                "nombre positif.",
                line=line_of[i],
                column=columns["quantité"],
                hint="écrivez une quantité positive ou nulle (m², ETP, heures, personnes).",
            )
        name, code = str(key).strip(), str(code).strip()
        if code in out.get(name, {}):
            raise DataError(
                f"la clé « {name} » donne deux quantités pour « {code} ».",
                line=line_of[i],
                hint="gardez une seule ligne par clé et par code (et par exercice).",
            )
        out.setdefault(name, {})[code] = qty if isinstance(qty, int) else value
        if "source" in columns and isinstance(row[columns["source"]], str):
            sources.setdefault(name, []).append(f"{code} : {row[columns['source']]}")
    return out, {k: " ; ".join(v) for k, v in sources.items()}


@dataclass(frozen=True)
class _Group:
    name: str  # label shown in the table
    centre: str
    prefixes: tuple[str, ...]  # () = catch-all of the centre
    key: str | Mapping[str, float]


def _parse_rules(rules: Mapping[str, Any], order: Sequence[str] | None) -> list[_Group]:
    if not isinstance(rules, Mapping) or not rules:
        raise DataError(
            "indiquez une clé de répartition par groupe de charges indirectes.",
            hint="par exemple regles = {'locaux': 'm2', 'administration': 'etp'}.",
        )
    groups = []
    for name, key in rules.items():
        centre, _, accounts = str(name).partition(":")
        prefixes = tuple(p for p in re.split(r"[\s,;]+", accounts.strip()) if p)
        if any(not p.isdigit() for p in prefixes):
            raise DataError(
                f"le groupe « {name} » : après « : » on attend des débuts de numéros de compte.",
                hint="par exemple 'administration:64' (les charges de personnel de "
                "l'administration) ou 'administration:6226 6228'.",
            )
        if not isinstance(key, str | Mapping):
            raise DataError(
                f"la clé du groupe « {name} » doit être un nom de clé ('m2', 'etp', "
                "'couts_directs'…) ou un dictionnaire de pourcentages fixes par projet.",
                hint="par exemple {'accueil_jeunes': 60, 'sejours_ete': 40}.",
            )
        groups.append(_Group(str(name).strip(), centre.strip(), prefixes, key))
    centres = list(dict.fromkeys(g.centre for g in groups))
    if order is not None:
        order = [str(c) for c in order]
        missing = [c for c in centres if c not in order]
        if missing or len(set(order)) != len(order):
            raise DataError(
                "l'ordre des centres de support doit citer chaque centre des règles une fois.",
                hint="centres des règles : " + ", ".join(centres) + ".",
            )
    else:
        order = centres
    rank = {c: i for i, c in enumerate(order)}
    groups.sort(key=lambda g: rank[g.centre])  # stable: the groups of a centre stay in order
    return groups


# ----------------------------------------------------------------------------- the result


@dataclass(frozen=True, repr=False, eq=False)
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

        Returns ``Quantité``, ``Coût direct par unité`` and ``Coût complet par unité`` (€):
        the full cost of one participant, or of one hour of activity.
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
            *Charges fixes de fonctionnement* and the others to *Autres* (the reference's
            suggestion; follow the funder's guidance when it says otherwise).
        labels
            The three line labels (the wording varies between forms and funders).

        Returns
        -------
        pandas.Series
            One amount per line and ``Total des charges indirectes``: the same figures as the
            project's column of :attr:`table`, to the cent.
        """
        if project not in self.projects:
            raise column_error(project, self.projects, what="projet")
        labels = list(labels)
        if len(labels) != 3:
            raise DataError(
                "il faut trois libellés de lignes (charges fixes, frais financiers, autres).",
                hint="par exemple labels=('Charges fixes de fonctionnement', 'Frais financiers', "
                "'Autres').",
            )
        column = self.table[project].drop("Total")
        out = pd.Series(0, index=labels, dtype=np.int64)
        for group, amount in column.items():
            line = (lines or {}).get(str(group)) or self._default_line(str(group), labels)
            if line not in labels:
                raise DataError(
                    f"la ligne « {line} » choisie pour le groupe « {group} » n'est pas une ligne "
                    "des charges indirectes.",
                    hint="lignes possibles : " + ", ".join(f"« {x} »" for x in labels) + ".",
                )
            out[line] += _to_cents(amount)
        out = out / 100
        out.loc["Total des charges indirectes"] = _to_cents(column.sum()) / 100
        out.name = project
        out.index.name = "Charges indirectes affectées à l'action"
        return out

    def _default_line(self, group: str, labels: list[str]) -> str:
        rule = self.rules.loc[group] if group in self.rules.index else None
        accounts = "" if rule is None else str(rule["Comptes"])
        if accounts and all(p.startswith("66") for p in accounts.split()):
            return labels[1]
        centre = group.split(":")[0].casefold()
        if any(w in centre for w in ("local", "locaux", "bâtiment", "batiment", "immobilier")):
            return labels[0]
        return labels[2]

    def to_frame(self) -> pd.DataFrame:
        """The full costs by project (a copy of :attr:`costs`)."""
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

    def plot(self, ax: Any = None) -> Any:
        """Horizontal stacked bars: direct and indirect charges of each project."""
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


# ----------------------------------------------------------------------------- computation


def _ledger_amounts(ledger: Any, year: int | None) -> tuple[pd.DataFrame, int]:
    """Charges (class 6) and income (class 7) by analytic code and account, in cents."""
    from .budget import _entries, _select
    from ._actuals import group_sum

    entries, year = _select(_entries(ledger), year)
    if "analytique" not in entries.columns:
        raise DataError(
            "le grand livre n'a pas de codes analytiques : impossible de séparer les projets.",
            hint="lisez le FEC avec sa colonne analytique : read_fec(chemin, "
            "analytic='Analytique'), ou affectez les comptes : ledger.with_analytic({...}).",
        )
    acc_idx, acc_values = pd.factorize(entries["CompteNum"])
    first_u = np.array([str(a)[:1] for a in acc_values], dtype=object)
    rows = np.flatnonzero(np.isin(first_u, ["6", "7"])[acc_idx] & (acc_idx >= 0))
    debit = entries["Debit"].to_numpy(dtype=float)[rows]
    credit = entries["Credit"].to_numpy(dtype=float)[rows]
    net = np.rint((debit - credit) * 100).astype(np.int64)
    code_idx, code_values = pd.factorize(entries["analytique"].fillna("").astype(str))
    n_acc = len(acc_values)
    key = code_idx[rows].astype(np.int64) * n_acc + acc_idx[rows]
    uniq, sums = group_sum(key, net, len(code_values) * n_acc)
    frame = pd.DataFrame(
        {
            "code": np.asarray(code_values, dtype=object)[uniq // n_acc],
            "compte": np.array([str(a) for a in acc_values], dtype=object)[uniq % n_acc],
            "cents": np.rint(sums).astype(np.int64),
        }
    )
    grouped = frame.groupby(["code", "compte"], sort=True, observed=True)["cents"].sum()
    grouped = grouped.reset_index()
    is_income = grouped["compte"].str.startswith("7")
    grouped.loc[is_income, "cents"] = -grouped.loc[is_income, "cents"]
    grouped["classe"] = np.where(is_income, "7", "6")
    return grouped, int(year)


def _budget_amounts(budget: Any) -> pd.DataFrame:
    from .budget import CHARGES, PRODUITS, Budget

    if not isinstance(budget, Budget):
        raise DataError(
            "un budget (Budget, lu par read_budget) est attendu.",
            hint="lisez le budget avec finance.read_budget('budget.xlsx').",
        )
    rows = []
    lines = budget.lines
    for section, cls in ((CHARGES, "6"), (PRODUITS, "7")):
        part = lines[lines["Section"] == section]
        for project in budget.projects:
            values = part[project].to_numpy(dtype=float)
            for code, value in zip(part["Code"], values, strict=True):
                if value:
                    rows.append((project, str(code), _to_cents(value), cls))
    frame = pd.DataFrame(rows, columns=["code", "compte", "cents", "classe"])
    return frame.groupby(["code", "compte", "classe"], sort=True)["cents"].sum().reset_index()


def _compute(
    amounts: pd.DataFrame,
    keys: pd.DataFrame | Mapping[str, Mapping[str, float]],
    rules: Mapping[str, Any],
    *,
    year: int | None,
    key_year: int | None,
    order: Sequence[str] | None,
    source: str,
) -> FullCosts:
    groups = _parse_rules(rules, order)
    centres = list(dict.fromkeys(g.centre for g in groups))
    quantities, sources = _key_tables(keys, key_year if key_year is not None else year)
    log = ProblemLog()

    charges = amounts[amounts["classe"] == "6"]
    income = amounts[amounts["classe"] == "7"]
    no_code = charges[charges["code"] == ""]
    if len(no_code) and "" not in centres:
        total = no_code["cents"].sum() / 100
        raise DataError(
            f"{format_euro(total, 2)} de charges n'ont pas de code analytique "
            f"(comptes {', '.join(no_code['compte'].unique()[:6])}) : impossible de dire si "
            "elles sont directes ou indirectes.",
            hint="donnez-leur un code dans le logiciel comptable, ou traitez-les comme un "
            "centre de support : regles={'': 'couts_directs', …} (le code vide).",
        )
    known_codes = set(amounts["code"])
    for centre in centres:
        if centre not in known_codes:
            raise column_error(centre, sorted(c for c in known_codes if c), what="code analytique")
    projects = sorted(c for c in known_codes if c not in centres and c != "")
    if not projects:
        raise DataError(
            "aucun projet : tous les codes analytiques sont des centres de support.",
            hint="les règles ne doivent citer que les centres de support (locaux, "
            "administration…), pas les projets.",
        )
    direct = charges[charges["code"].isin(projects)].groupby("code")["cents"].sum()
    direct = direct.reindex(projects, fill_value=0)

    # which group each (centre, account) row belongs to: longest prefix of its centre
    def group_of(centre: str, account: str) -> _Group | None:
        best, best_len = None, -1
        for g in groups:
            if g.centre != centre:
                continue
            if not g.prefixes:
                if best_len < 0:
                    best, best_len = g, 0
                continue
            for p in g.prefixes:
                if account.startswith(p) and len(p) > best_len:
                    best, best_len = g, len(p)
        return best

    own: dict[str, int] = {g.name: 0 for g in groups}
    indirect = charges[charges["code"].isin(centres)]
    for centre, account, cents in zip(
        indirect["code"], indirect["compte"], indirect["cents"], strict=True
    ):
        g = group_of(centre, account)
        if g is None:
            raise DataError(
                f"les charges du compte {account} du centre « {centre} » n'entrent dans aucun "
                "groupe des règles.",
                hint=f"ajoutez une règle pour tout le centre : '{centre}': 'etp' (par exemple).",
            )
        own[g.name] += int(cents)

    def weights_for(g: _Group, receivers: list[str]) -> list[object]:
        if isinstance(g.key, Mapping):
            table = {str(k): v for k, v in g.key.items()}
            unknown = [k for k in table if k not in receivers]
            if unknown:
                raise DataError(
                    f"le groupe « {g.name} » a un pourcentage fixe pour « {unknown[0]} », qui "
                    "n'est ni un projet ni un centre suivant.",
                    hint="projets : " + ", ".join(projects) + ".",
                )
            return [table.get(r, 0) for r in receivers]
        name = g.key
        if name.casefold() in DIRECT_COSTS_KEYS:
            return [int(direct.get(r, 0)) if r in projects else 0 for r in receivers]
        if name not in quantities:
            raise column_error(name, [*quantities, "couts_directs"], what="clé")
        table = quantities[name]
        for r in receivers:
            if r in projects and r not in table:
                log.add(
                    "alerte",
                    f"le projet « {r} » n'a pas de quantité dans la clé « {name} » : il ne "
                    f"reçoit rien du groupe « {g.name} ».",
                    élément=g.name,
                    colonne="Quantité",
                )
        return [table.get(r, 0) for r in receivers]

    rows: dict[str, dict[str, int]] = {}
    received: dict[str, int] = {c: 0 for c in centres}
    cascade = {}
    rule_rows = {}
    done: set[str] = set()
    for g in groups:
        i = centres.index(g.centre)
        later = centres[i + 1 :]
        receivers = [*later, *projects]
        amount = own[g.name]
        has_catch_all = any(not h.prefixes for h in groups if h.centre == g.centre)
        takes_received = (not g.prefixes) if has_catch_all else g.centre not in done
        if takes_received:
            amount += received[g.centre]
        done.add(g.centre)
        shares = (
            _split_cents(amount, weights_for(g, receivers), receivers)
            if amount
            else [0] * len(receivers)
        )
        to_later = 0
        for r, s in zip(receivers, shares, strict=True):
            if r in received:
                received[r] += s
                to_later += s
        rows[g.name] = dict(zip(projects, shares[len(later) :], strict=True))
        key_label = "pourcentages fixes" if isinstance(g.key, Mapping) else str(g.key)
        c = cascade.setdefault(
            g.centre,
            {
                "Clé": key_label,
                "Charges propres": 0,
                "Reçu des centres précédents": 0,
                "Total à répartir": 0,
                "Vers les centres suivants": 0,
                "Vers les projets": 0,
            },
        )
        c["Charges propres"] += own[g.name]
        c["Total à répartir"] += amount
        c["Vers les centres suivants"] += to_later
        c["Vers les projets"] += amount - to_later
        if key_label not in c["Clé"].split(", "):
            c["Clé"] += ", " + key_label
        if isinstance(g.key, Mapping):
            why = "forfait : " + ", ".join(f"{k} {v}" for k, v in g.key.items())
        elif g.key.casefold() in DIRECT_COSTS_KEYS:
            why = "au prorata des charges directes des projets"
        else:
            why = sources.get(g.key, "")
        rule_rows[g.name] = {
            "Centre": g.centre,
            "Comptes": " ".join(g.prefixes) if g.prefixes else "tous",
            "Clé": key_label,
            "Justification": why,
            "Montant": amount / 100,
        }
    for centre in centres:
        cascade[centre]["Reçu des centres précédents"] = received[centre]

    table_c = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=projects).fillna(0)
    table_c = table_c.astype(np.int64)
    table_c["Total"] = table_c.sum(axis=1)
    table_c.loc["Total"] = table_c.sum(axis=0)
    table = table_c / 100
    table.index.name = "Groupe de charges"

    indirect_c = table_c.loc["Total", projects]
    income_p = income[income["code"].isin(projects)].groupby("code")["cents"].sum()
    income_p = income_p.reindex(projects, fill_value=0)
    costs_c = pd.DataFrame(
        {
            "Charges directes": direct,
            "Charges indirectes": indirect_c,
            "Coût complet": direct + indirect_c,
            "Produits": income_p,
        }
    )
    costs_c.loc["Total"] = costs_c.sum(axis=0)
    costs = costs_c.astype(np.int64) / 100
    costs["Résultat"] = costs["Produits"] - costs["Coût complet"]
    with np.errstate(divide="ignore", invalid="ignore"):
        costs["Indirectes / directes (%)"] = (
            100
            * costs["Charges indirectes"]
            / costs["Charges directes"].where(costs["Charges directes"] != 0)
        )
        costs["Indirectes / coût complet (%)"] = (
            100
            * costs["Charges indirectes"]
            / costs["Coût complet"].where(costs["Coût complet"] != 0)
        )
    costs.index.name = "Projet"

    # invariant: Σ full costs = Σ direct + Σ support-centre charges (to the cent)
    total_charges = int(charges["cents"].sum())
    if int(costs_c.loc["Total", "Coût complet"]) != total_charges:  # pragma: no cover
        raise ComputationError(
            "la répartition ne retombe pas sur le total des charges (erreur interne).",
            hint="signalez-le avec le grand livre et les règles utilisées.",
        )

    cascade_frame = pd.DataFrame.from_dict(cascade, orient="index")
    for col in cascade_frame.columns[1:]:
        cascade_frame[col] = cascade_frame[col].astype(np.int64) / 100
    cascade_frame.index.name = "Centre de support"
    rules_frame = pd.DataFrame.from_dict(rule_rows, orient="index")
    rules_frame.index.name = "Groupe de charges"
    all_codes = sorted({c for q in quantities.values() for c in q})
    keys_frame = pd.DataFrame(
        {k: [q.get(c, np.nan) for c in all_codes] for k, q in quantities.items()},
        index=pd.Index(all_codes, name="Code"),
    )
    for k, q in quantities.items():
        for code in q:
            if code not in known_codes:
                log.add(
                    "alerte",
                    f"la clé « {k} » cite « {code} », qui n'a aucune écriture (faute de frappe "
                    "dans le code ?).",
                    élément=k,
                    colonne="Code",
                    valeur=code,
                )
    unallocated = income[income["code"].isin(centres) | (income["code"] == "")]["cents"].sum()
    return FullCosts(
        table=table,
        costs=costs,
        cascade=cascade_frame,
        rules=rules_frame,
        keys=keys_frame,
        projects=tuple(projects),
        centres=tuple(centres),
        year=year,
        source=source,
        unallocated_income=int(unallocated) / 100,
        problems=log.frame(sort=False),
    )


def full_costs(
    ledger: Any,
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
    >>> couts = full_costs(comptes, cles, {"locaux": "m2", "administration": "etp"}, 2025)
    ... # doctest: +SKIP
    """
    amounts, year = _ledger_amounts(ledger, year)
    return _compute(
        amounts, keys, rules, year=year, key_year=key_year, order=order, source="grand livre"
    )


def budget_full_costs(
    budget: Any,
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
    """
    amounts = _budget_amounts(budget)
    year = getattr(budget, "year", None)
    return _compute(
        amounts,
        keys,
        rules,
        year=year,
        key_year=key_year if key_year is not None else year,
        order=order,
        source="budget",
    )


def indirect_report(
    planned: FullCosts,
    actual: FullCosts,
    project: str,
    *,
    lines: Mapping[str, str] | None = None,
    labels: Sequence[str] = CERFA_INDIRECT_LINES,
) -> pd.DataFrame:
    """The *Charges indirectes* block of the compte rendu financier (CERFA 15059) of a project.

    ``Prévision`` comes from the budget's allocation (:func:`budget_full_costs`, what the CERFA
    12156 showed), ``Réalisation`` from the ledger's (:func:`full_costs`), with the gaps in € and
    % the arrêté of 11 October 2006 asks for. Use the **same keys** on both sides, or explain the
    change in the annex.
    """
    prev = planned.cerfa(project, lines=lines, labels=labels)
    real = actual.cerfa(project, lines=lines, labels=labels)
    out = pd.DataFrame({"Prévision (€)": prev, "Réalisation (€)": real})
    out["Écart (€)"] = out["Réalisation (€)"] - out["Prévision (€)"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["Écart (%)"] = (100 * out["Écart (€)"] / out["Prévision (€)"]).where(
            out["Prévision (€)"] != 0
        )
    out.index.name = prev.index.name
    return out


@dataclass(frozen=True, repr=False, eq=False)
class KeyComparison(Report):
    """How much the choice of keys moves each project (see :func:`compare_keys`)."""

    table: pd.DataFrame
    names: tuple[str, str]

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _lines(self) -> list[str]:
        a, b = self.names
        moves = self.table.drop("Total")["Écart (€)"]
        lines = [f"Comparaison des clés « {a} » et « {b} » : coût complet de chaque projet."]
        if len(moves) and moves.abs().max() >= 0.005:
            p = moves.abs().idxmax()
            lines.append(
                f"Le projet le plus sensible au choix de la clé est « {p} » : "
                f"{format_euro(moves[p], 2)} de coût complet "
                f"({format_percent(self.table.at[p, 'Écart (%)'], 1)}) avec « {b} » qu'avec "
                f"« {a} »."
            )
            lines.append(
                "Le total ne change pas : une clé déplace les charges indirectes entre projets, "
                "elle ne les crée pas."
            )
        else:
            lines.append("Les deux choix donnent les mêmes coûts complets.")
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.table, "Coût complet et résultat selon la clé")


def compare_keys(
    first: FullCosts,
    second: FullCosts,
    *,
    names: tuple[str, str] = ("clé A", "clé B"),
) -> KeyComparison:
    """Compare two allocations of the same charges: full cost and result of each project.

    Returns a :class:`KeyComparison` whose table has, per project, ``Coût complet`` and
    ``Résultat`` under each choice, the gap ``Écart (€)`` (second − first) and ``Écart (%)``.
    """
    if set(first.projects) != set(second.projects):
        raise DataError(
            "les deux répartitions ne portent pas sur les mêmes projets.",
            hint="calculez-les sur le même grand livre et le même exercice.",
        )
    a, b = names
    rows = [*first.projects, "Total"]
    table = pd.DataFrame(
        {
            f"Coût complet ({a})": first.costs.loc[rows, "Coût complet"],
            f"Coût complet ({b})": second.costs.loc[rows, "Coût complet"],
        }
    )
    table["Écart (€)"] = (table.iloc[:, 1] - table.iloc[:, 0]).round(2)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["Écart (%)"] = (
            100 * table["Écart (€)"] / table.iloc[:, 0].where(table.iloc[:, 0] != 0)
        )
    table[f"Résultat ({a})"] = first.costs.loc[rows, "Résultat"]
    table[f"Résultat ({b})"] = second.costs.loc[rows, "Résultat"]
    table.index.name = "Projet"
    return KeyComparison(table=table, names=(a, b))
