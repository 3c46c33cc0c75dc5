"""Monthly budget follow-up and year-end forecast (*atterrissage*), budget rectificatif.

Reference ``finance_bc02.md`` §3. A budget is phased month by month (a **phasing** table: the
share of each month for each project and line, e.g. the profile of last year's actuals:
séjours in July–August, memberships in September, energy in winter). At the end of month *m*:

- :func:`monthly_tracking` compares, from the ledger, the budget phased to date and the actuals,
  per month and cumulated, by CERFA line and by project (analytic code);
- :meth:`MonthlyTracking.forecast` estimates the year's end (*atterrissage*) line by line:
  **réalisé + reste à réaliser** (actual to date + the budget of the months still to come, by
  the phasing; the default), **prorata temporis** (actual × 12 / m: right for flat lines only,
  it extrapolates a summer peak) or **saisonnier** (actual / cumulative share of months 1..m).
  Subsidies (74) are never extrapolated: they are booked on notification, so they are always
  forecast as réalisé + reste à réaliser (change them with ``events`` when a decision is known);
- the lines drifting beyond a threshold (both ≥ 5 % **and** ≥ 2 000 € by default,
  configurable) are flagged, and :meth:`Forecast.revised_budget` gives the *budget rectificatif*
  to put to the board, as a new :class:`~movsc_toolkit.finance.Budget`.

The financial year is assumed to be the calendar year (month 1 = January).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from .._format import format_date, format_euro, format_percent
from .._parse import fold
from .._report import Report, titled_html
from .budget import (
    _BY_CODE,
    _ORDER,
    _UNKNOWN_LINE,
    CHARGES,
    EMPLOIS_CVN,
    PRODUITS,
    UNKNOWN_FUNDER,
    Budget,
    _entries,
    _funder_for,
    _line_for_account,
    _line_name,
    _prefix_table,
    _select,
    _text_columns,
    make_budget,
)

__all__ = [
    "MONTHS",
    "Forecast",
    "MonthlyTracking",
    "monthly_tracking",
    "phasing_from_ledger",
]

#: French month names, January first (the columns of a phasing table).
MONTHS: tuple[str, ...] = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_MONTH_LOOKUP = {fold(m): i for i, m in enumerate(MONTHS, start=1)}
_MONTH_LOOKUP.update({fold(m)[:3]: i for i, m in enumerate(MONTHS, start=1)})
_MONTH_LOOKUP.update({"juil": 7, "janv": 1, "fevr": 2, "sept": 9})
METHODS = ("reste_a_realiser", "prorata", "saisonnier")
_METHOD_LABELS = {
    "reste_a_realiser": "réalisé + reste à réaliser selon le phasage",
    "prorata": "prorata temporis (réalisé × 12 / mois écoulés)",
    "saisonnier": "saisonnier (réalisé / part cumulée des mois écoulés)",
}


def _section(code: str) -> str:
    return (_BY_CODE.get(code) or _UNKNOWN_LINE).section


def _label(code: str) -> str:
    return (_BY_CODE.get(code) or _UNKNOWN_LINE).label


# ----------------------------------------------------------------------------- phasing


def _month_columns(columns: pd.Index) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for col in columns:
        if isinstance(col, int | np.integer) and 1 <= int(col) <= 12:
            found[int(col)] = col
            continue
        key = fold(str(col)).strip(". ")
        if key.isdigit() and 1 <= int(key) <= 12:
            found[int(key)] = col
        elif key in _MONTH_LOOKUP:
            found[_MONTH_LOOKUP[key]] = col
    return found


def _phasing_shares(
    phasing: pd.DataFrame | None, pairs: list[tuple[str, str]]
) -> dict[tuple[str, str], np.ndarray]:
    """Monthly shares (summing to 1) for each (project, line code)."""
    flat = np.full(12, 1 / 12)
    if phasing is None:
        return {p: flat for p in pairs}
    if not isinstance(phasing, pd.DataFrame):
        raise DataError(
            "le phasage doit être un tableau (colonnes Projet, Code et les douze mois).",
            hint="lisez-le avec movsc.read_table('phasage.csv').",
        )
    months = _month_columns(phasing.columns)
    if len(months) != 12:
        missing = [m for i, m in enumerate(MONTHS, start=1) if i not in months]
        raise column_error(missing[0], phasing.columns)
    by_norm = {fold(str(c)): c for c in phasing.columns}
    project_col = by_norm.get("projet") or by_norm.get("code analytique")
    code_col = by_norm.get("code") or by_norm.get("ligne")
    lines = phasing.attrs.get("lines")
    line_of = list(lines) if lines is not None and len(lines) == len(phasing) else None
    table: dict[tuple[str, str], np.ndarray] = {}
    from .budget import _code_of

    for i, (_, row) in enumerate(phasing.iterrows()):
        project = str(row[project_col]).strip() if project_col else "*"
        raw = row[code_col] if code_col else "*"
        code = "*" if str(raw).strip() in ("*", "", "nan") else _code_of(raw)
        if code is None:  # "604 Prestations de services": the code, then the line's label
            head = re.match(r"^\s*(\d+)\b", str(raw))
            code = _code_of(head.group(1)) if head else None
        if code is None:
            raise DataError(
                f"le code de ligne « {raw} » du phasage n'est pas une ligne du budget CERFA.",
                line=line_of[i] if line_of else i + 2,
                column=str(code_col),
                hint="reprenez les codes du budget (604, 641, 74 Commune…) ou « * » pour "
                "toutes les lignes du projet.",
            )
        values = pd.to_numeric(pd.Series([row[months[m]] for m in range(1, 13)]), errors="coerce")
        values = values.to_numpy(dtype=float)
        if np.isnan(values).any() or (values < 0).any() or values.sum() <= 0:
            raise DataError(
                f"le phasage de « {project} / {code} » contient une part vide, négative ou "
                "nulle partout.",
                line=line_of[i] if line_of else i + 2,
                hint="écrivez pour chaque mois une part positive ou nulle (en %), non toutes "
                "nulles.",
            )
        table[(project, code)] = values / values.sum()
    out = {}
    for project, code in pairs:
        for candidate in ((project, code), (project, "*"), ("*", code), ("*", "*")):
            if candidate in table:
                out[(project, code)] = table[candidate]
                break
        else:
            out[(project, code)] = flat
    return out


def _group_sum(key: np.ndarray, weights: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """Sums of ``weights`` by integer ``key`` (present keys only), without sorting when the key
    space is small (a dense count), else through ``np.unique``."""
    if space <= 20_000_000:
        sums = np.bincount(key, weights=weights, minlength=space)
        present = np.flatnonzero(np.bincount(key, minlength=space))
        return present, sums[present]
    uniq, inverse = np.unique(key, return_inverse=True)
    return uniq, np.bincount(inverse, weights=weights, minlength=len(uniq))


def _actual_monthly(
    ledger: Any, year: int | None, as_of: Any, funders: Mapping[str, str] | None
) -> tuple[pd.DataFrame, int, pd.Timestamp]:
    """Actual amounts by (project, CERFA line, month), signed like the budget."""
    entries, year = _select(_entries(ledger), year)
    dates = pd.to_datetime(entries["EcritureDate"])
    if as_of is None:
        as_of = dates.max()
        if pd.isna(as_of):
            raise DataError("le grand livre de l'exercice ne contient aucune écriture datée.")
        as_of = as_of + pd.offsets.MonthEnd(0)
    else:
        as_of = pd.Timestamp(as_of)
        if as_of.year != year:
            raise DataError(
                f"la date d'arrêté {format_date(as_of)} n'est pas dans l'exercice {year}.",
                hint=f"choisissez une fin de mois de {year}, par exemple as_of='{year}-08-31'.",
            )
    # every per-account decision is taken once per distinct account (fast on big ledgers)
    acc_idx, acc_values = pd.factorize(entries["CompteNum"])
    accounts_u = [str(a) for a in acc_values]
    prefixes = _prefix_table()
    line_u = np.array(
        [
            _line_for_account(a, prefixes) if a[:1] in "67" or a[:2] in ("86", "87") else ""
            for a in accounts_u
        ],
        dtype=object,
    )
    keep = (line_u != "")[acc_idx] & (acc_idx >= 0) & (dates <= as_of).to_numpy()
    rows = np.flatnonzero(keep)
    acc_idx = acc_idx[rows]
    line_idx = acc_idx.copy()  # index into line_u, extended below for the funders
    lines = list(line_u)
    is_74 = line_u[acc_idx] == "74"
    if is_74.any():
        sub = entries.iloc[rows[is_74]]
        texts = _text_columns(sub).to_numpy()
        pair_idx, pairs = pd.factorize(
            pd.Series(list(zip(acc_idx[is_74], texts, strict=True)), dtype=object)
        )
        extra = [
            "74 " + cat if (cat := _funder_for(accounts_u[a], t, funders)) else UNKNOWN_FUNDER
            for a, t in pairs
        ]
        line_idx = line_idx.copy()
        line_idx[is_74] = len(lines) + pair_idx
        lines += extra
    line_names, small = np.unique(np.array(lines, dtype=object), return_inverse=True)
    line_idx = small[line_idx]
    is_charge_u = np.array([_section(c) in (CHARGES, EMPLOIS_CVN) for c in line_names])
    debit = entries["Debit"].to_numpy(dtype=float)[rows]
    credit = entries["Credit"].to_numpy(dtype=float)[rows]
    net = debit - credit
    signed = np.where(is_charge_u[line_idx], net, -net)
    if "analytique" in entries.columns:
        proj_idx, proj_values = pd.factorize(entries["analytique"].fillna("").astype(str))
        proj_idx = proj_idx[rows]
    else:
        proj_idx, proj_values = np.zeros(len(rows), dtype=np.int64), pd.Index([""])
    month = dates.dt.month.to_numpy()[rows]
    n_lines, n_months = len(line_names), 13
    key = (proj_idx.astype(np.int64) * n_lines + line_idx) * n_months + month
    uniq, sums = _group_sum(key, signed, len(proj_values) * n_lines * n_months)
    grouped = pd.DataFrame(
        {
            "Projet": np.asarray(proj_values, dtype=object)[uniq // (n_lines * n_months)],
            "Code": line_names[(uniq // n_months) % n_lines],
            "Mois": (uniq % n_months).astype(np.int64),
            "Réalisé": sums,
        }
    )
    return grouped, int(year), as_of


def phasing_from_ledger(
    ledger: Any, year: int | None = None, *, funders: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """A phasing table from a year's actuals: each month's share (%) per project and line.

    Use it to phase next year's budget on this year's profile (the seasonality-weighted
    method of ``finance_bc02.md`` §3.1); average two or three years when one was atypical.
    """
    actual, year, _ = _actual_monthly(ledger, year, None, funders)
    actual["Réalisé"] = actual["Réalisé"].abs()
    wide = actual.pivot_table(
        index=["Projet", "Code"], columns="Mois", values="Réalisé", aggfunc="sum", fill_value=0.0
    ).reindex(columns=range(1, 13), fill_value=0.0)
    wide = wide[wide.sum(axis=1) > 0]
    shares = 100 * wide.div(wide.sum(axis=1), axis=0)
    shares.columns = list(MONTHS)
    return shares.reset_index()


# ----------------------------------------------------------------------------- tracking


@dataclass(frozen=True, repr=False, eq=False)
class MonthlyTracking(Report):
    """Budget vs actual month by month (see :func:`monthly_tracking`).

    Attributes
    ----------
    data
        One row per project, CERFA line and month: ``Projet``, ``Code``, ``Section``,
        ``Mois`` (1–12), ``Prévu`` (the phased budget) and ``Réalisé`` (empty after the
        closing month). Charges and income are both positive, as in the budget.
    month
        The last month closed (*m*); ``as_of`` the closing date.
    """

    data: pd.DataFrame
    budget: Budget
    year: int
    month: int
    as_of: pd.Timestamp

    # ------------------------------------------------------------- tables
    def _part(self, project: str | None) -> pd.DataFrame:
        if project is None:
            return self.data
        projects = sorted(self.data["Projet"].unique())
        if project not in projects:
            raise column_error(project, projects, what="projet")
        return self.data[self.data["Projet"] == project]

    def by_month(self, project: str | None = None) -> pd.DataFrame:
        """Charges, income and result per month, planned and actual, and their running totals.

        Actual cells after the closing month are empty (« — »).
        """
        d = self._part(project)
        out = pd.DataFrame(index=pd.RangeIndex(1, 13, name="Mois"))
        for section, name in ((CHARGES, "Charges"), (PRODUITS, "Produits")):
            s = d[d["Section"] == section]
            out[f"{name} prévues"] = s.groupby("Mois")["Prévu"].sum()
            out[f"{name} réalisées"] = s.groupby("Mois")["Réalisé"].sum()
        out = out.fillna(0.0)
        out["Résultat prévu"] = out["Produits prévues"] - out["Charges prévues"]
        out["Résultat réalisé"] = out["Produits réalisées"] - out["Charges réalisées"]
        out["Résultat prévu cumulé"] = out["Résultat prévu"].cumsum()
        out["Résultat réalisé cumulé"] = out["Résultat réalisé"].cumsum()
        out = out.rename(columns={"Produits prévues": "Produits prévus"})
        out = out.rename(columns={"Produits réalisées": "Produits réalisés"})
        after = out.index > self.month
        actual_cols = [c for c in out.columns if "réalisé" in c.casefold()]
        out.loc[after, actual_cols] = np.nan
        out.index = pd.Index(list(MONTHS), name="Mois")
        return out

    def _to_date(self, keys: list[str], project: str | None = None) -> pd.DataFrame:
        d = self._part(project)
        annual = d.groupby(keys, sort=False)["Prévu"].sum().rename("Budget annuel")
        done = d[d["Mois"] <= self.month].groupby(keys, sort=False)
        out = pd.concat(
            [
                annual,
                done["Prévu"].sum().rename("Prévu à date"),
                done["Réalisé"].sum().rename("Réalisé à date"),
            ],
            axis=1,
        ).fillna(0.0)
        out["Écart (€)"] = out["Réalisé à date"] - out["Prévu à date"]
        out["Écart (%)"] = (100 * out["Écart (€)"] / out["Prévu à date"].abs()).where(
            out["Prévu à date"] != 0
        )
        out["Réalisé / budget annuel (%)"] = (
            100 * out["Réalisé à date"] / out["Budget annuel"].abs()
        ).where(out["Budget annuel"] != 0)
        return out

    def by_line(self, project: str | None = None) -> pd.DataFrame:
        """Cumulated to the closing month, by CERFA line (for one project or all)."""
        out = self._to_date(["Code"], project)
        out = out.reindex([c for c in [*_ORDER, UNKNOWN_FUNDER] if c in out.index])
        out.insert(0, "Ligne", [_label(c) for c in out.index])
        out.insert(0, "Section", [_section(c) for c in out.index])
        return out[(out["Budget annuel"] != 0) | (out["Réalisé à date"].abs() >= 0.005)]

    def by_project(self) -> pd.DataFrame:
        """Cumulated to the closing month, by project: charges, income and result."""
        rows = {}
        for project, d in self.data.groupby("Projet", sort=True):
            done = d[d["Mois"] <= self.month]
            ch = done[done["Section"] == CHARGES]
            pr = done[done["Section"] == PRODUITS]
            rows[project or "(sans code)"] = {
                "Charges prévues à date": ch["Prévu"].sum(),
                "Charges réalisées à date": ch["Réalisé"].sum(),
                "Produits prévus à date": pr["Prévu"].sum(),
                "Produits réalisés à date": pr["Réalisé"].sum(),
            }
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.loc["Total"] = out.sum()
        out["Écart charges (€)"] = out["Charges réalisées à date"] - out["Charges prévues à date"]
        out["Écart produits (€)"] = out["Produits réalisés à date"] - out["Produits prévus à date"]
        out["Résultat prévu à date"] = out["Produits prévus à date"] - out["Charges prévues à date"]
        out["Résultat réalisé à date"] = (
            out["Produits réalisés à date"] - out["Charges réalisées à date"]
        )
        out.index.name = "Projet"
        return out

    def to_frame(self) -> pd.DataFrame:
        """The long table (project × line × month)."""
        return self.data.copy()

    # ------------------------------------------------------------- forecast
    def forecast(
        self,
        method: str = "reste_a_realiser",
        *,
        seasonality: pd.DataFrame | None = None,
        events: Mapping[tuple[str, str], float] | None = None,
        min_gap: float = 0.05,
        min_amount: float = 2000.0,
    ) -> Forecast:
        """Year-end forecast (*atterrissage*) of each project and line.

        Parameters
        ----------
        method
            ``"reste_a_realiser"`` (actual to date + budget of the months to come, by the
            phasing; the default), ``"prorata"`` (actual × 12 / m) or ``"saisonnier"``
            (actual / s_m, s_m = share of months 1..m in the phasing, or in ``seasonality``).
            Subsidy lines (74) always use réalisé + reste à réaliser.
        seasonality
            Another phasing table for the seasonal method (e.g. :func:`phasing_from_ledger` of
            last year, or the average of several years); the budget's phasing by default.
        events
            Known events: ``{(project, line code): forecast amount}`` replaces the forecast of
            that line (a post left vacant, a subsidy notified or refused).
        min_gap, min_amount
            A line drifts when its forecast differs from the budget by at least ``min_gap``
            (5 %) **and** at least ``min_amount`` euros (2 000 €) (``finance_bc02.md`` §3.1).
        """
        if method not in METHODS:
            raise DataError(
                f"méthode d'atterrissage « {method} » inconnue.",
                hint="choisissez « reste_a_realiser », « prorata » ou « saisonnier ».",
            )
        m = self.month
        d = self.data
        keys = ["Projet", "Code"]
        annual = d.groupby(keys, sort=False)["Prévu"].sum()
        done = d[d["Mois"] <= m].groupby(keys, sort=False)
        planned = done["Prévu"].sum().reindex(annual.index, fill_value=0.0)
        actual = done["Réalisé"].sum().reindex(annual.index, fill_value=0.0)
        rest = annual - planned
        remaining = actual + rest
        if method == "prorata":
            guess = actual * 12 / m
        elif method == "saisonnier":
            if seasonality is not None:
                shares = _phasing_shares(seasonality, list(annual.index))
                s_m = pd.Series(
                    [float(shares[k][:m].sum()) for k in annual.index], index=annual.index
                )
            else:
                s_m = (planned / annual.abs()).where(annual != 0)
            guess = (actual / s_m).where(s_m > 0, remaining)
        else:
            guess = remaining
        is_subsidy = pd.Series(
            [c.startswith("74") for _, c in annual.index], index=annual.index, dtype=bool
        )
        value = guess.where(~is_subsidy, remaining).astype(float)
        event_used = pd.Series(False, index=annual.index)
        for (project, code), amount in (events or {}).items():
            key = (str(project), str(code))
            if key not in value.index:
                value.loc[key] = float(amount)
                for s in (annual, planned, actual):
                    s.loc[key] = 0.0
            else:
                value.loc[key] = float(amount)
            event_used.loc[key] = True
        table = pd.DataFrame(
            {
                "Budget": annual,
                "Prévu à date": planned,
                "Réalisé à date": actual,
                "Atterrissage": value,
            }
        ).fillna(0.0)
        table["Événement"] = event_used.reindex(table.index, fill_value=False)
        table = table.reset_index()
        table.insert(2, "Section", [_section(c) for c in table["Code"]])
        table.insert(3, "Ligne", [_label(c) for c in table["Code"]])
        table["Écart (€)"] = table["Atterrissage"] - table["Budget"]
        table["Écart (%)"] = (100 * table["Écart (€)"] / table["Budget"].abs()).where(
            table["Budget"] != 0
        )
        table = table[(table["Budget"] != 0) | (table["Atterrissage"].abs() >= 0.005)]
        order = {c: i for i, c in enumerate([*_ORDER, UNKNOWN_FUNDER])}
        table = table.sort_values(
            ["Projet", "Code"], key=lambda s: s.map(order) if s.name == "Code" else s
        ).reset_index(drop=True)
        return Forecast(
            table=table,
            tracking=self,
            method=method,
            min_gap=float(min_gap),
            min_amount=float(min_amount),
        )

    # ------------------------------------------------------------- display
    def _lines(self) -> list[str]:
        t = self.by_project().loc["Total"]
        return [
            f"Suivi budgétaire {self.year} au {format_date(self.as_of)} ({self.month} mois sur "
            "12), budget phasé par mois.",
            f"Charges : {format_euro(t['Charges réalisées à date'])} réalisées pour "
            f"{format_euro(t['Charges prévues à date'])} prévues à date (écart "
            f"{format_euro(t['Écart charges (€)'])}) ; produits : "
            f"{format_euro(t['Produits réalisés à date'])} pour "
            f"{format_euro(t['Produits prévus à date'])} (écart "
            f"{format_euro(t['Écart produits (€)'])}).",
            f"Résultat à date : {format_euro(t['Résultat réalisé à date'])} réalisé, "
            f"{format_euro(t['Résultat prévu à date'])} prévu.",
        ]

    def _html_tables(self) -> str:
        return titled_html(self.by_project(), "Cumul à date par projet (€)", decimals=0)

    def plot(self, project: str | None = None, ax: Any = None) -> Any:
        """Cumulated result month by month: planned (dashed) and actual."""
        from ..plotting import euro_formatter, get_axes

        table = self.by_month(project)
        _fig, ax = get_axes(ax, figsize=(8, 4))
        x = np.arange(1, 13)
        ax.plot(x, table["Résultat prévu cumulé"], linestyle="--", label="Prévu (budget phasé)")
        ax.plot(x, table["Résultat réalisé cumulé"], marker="o", label="Réalisé")
        ax.set_xticks(x, [m[:4] + "." if len(m) > 4 else m for m in MONTHS], rotation=45)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.yaxis.set_major_formatter(euro_formatter())
        who = f"projet « {project} »" if project else "association"
        ax.set_title(f"Résultat cumulé {self.year} ({who})")
        ax.legend()
        return ax


def monthly_tracking(
    budget: Budget,
    ledger: Any,
    year: int | None = None,
    *,
    phasing: pd.DataFrame | None = None,
    as_of: Any = None,
    funders: Mapping[str, str] | None = None,
) -> MonthlyTracking:
    """Monthly budget vs actual from the ledger, per month and cumulated, by line and project.

    Parameters
    ----------
    budget
        The budget of the year, one column per analytic code (project or support centre).
        A budget with a single column that is not an analytic code of the ledger is the
        whole association's: every line of the ledger is compared with it.
    ledger
        A ``Ledger`` (``read_fec``) of the year in progress, with analytic codes.
    year
        Financial year (the latest of the ledger by default).
    phasing
        The monthly phasing of the budget: columns ``Projet`` (analytic code, or ``*``),
        ``Code`` (CERFA line, or ``*``) and the twelve months (``janvier`` … ``décembre``, or
        1 … 12) holding each month's share (in %, or any weights: each row is normalised).
        The most precise row wins (project and line, then project, then line); without a
        row, or without a phasing, the budget is spread evenly (1/12 a month).
    as_of
        Closing date (a month end); by default the end of the month of the last entry.
    funders
        Extra rules recognising the funder of a subsidy (see ``actual_by_line``).

    Returns
    -------
    MonthlyTracking
        ``.by_month()``, ``.by_line()``, ``.by_project()``, ``.forecast(...)``, ``.plot()``.
    """
    if not isinstance(budget, Budget):
        raise DataError(
            "un budget (Budget, lu par read_budget) est attendu en premier argument.",
            hint="lisez le budget avec finance.read_budget('budget.xlsx').",
        )
    actual, year, as_of = _actual_monthly(ledger, year, as_of, funders)
    if len(budget.projects) == 1 and budget.projects[0] not in set(actual["Projet"]):
        # a budget of the whole association (one column): every line of the ledger is its own
        actual["Projet"] = budget.projects[0]
        actual = actual.groupby(["Projet", "Code", "Mois"], sort=False)["Réalisé"].sum()
        actual = actual.reset_index()
    amounts = budget.lines.groupby("Code", sort=False)[list(budget.projects)].sum()
    planned = amounts.stack()
    planned = planned[planned != 0]
    pairs = [(str(p), str(c)) for c, p in planned.index]
    shares = _phasing_shares(phasing, pairs)
    rows_p = np.repeat([p for p, _ in pairs], 12)
    rows_c = np.repeat([c for _, c in pairs], 12)
    months = np.tile(np.arange(1, 13), len(pairs))
    values = (
        np.concatenate([v * shares[pc] for v, pc in zip(planned.to_numpy(), pairs, strict=True)])
        if pairs
        else np.zeros(0)
    )
    plan = pd.DataFrame({"Projet": rows_p, "Code": rows_c, "Mois": months, "Prévu": values})
    data = plan.merge(actual, on=["Projet", "Code", "Mois"], how="outer")
    data["Prévu"] = data["Prévu"].fillna(0.0)
    data["Réalisé"] = data["Réalisé"].fillna(0.0)
    data.loc[data["Mois"] > as_of.month, "Réalisé"] = np.nan
    sections = {c: _section(c) for c in data["Code"].unique()}
    data.insert(2, "Section", data["Code"].map(sections))
    data = data.sort_values(["Projet", "Code", "Mois"], kind="stable").reset_index(drop=True)
    return MonthlyTracking(
        data=data, budget=budget, year=int(year), month=int(as_of.month), as_of=as_of
    )


# ----------------------------------------------------------------------------- forecast


@dataclass(frozen=True, repr=False, eq=False)
class Forecast(Report):
    """The year-end forecast (*atterrissage*) of each project and line.

    Attributes
    ----------
    table
        One row per project and CERFA line: ``Projet``, ``Code``, ``Section``, ``Ligne``,
        ``Budget``, ``Prévu à date``, ``Réalisé à date``, ``Atterrissage``, ``Événement``,
        ``Écart (€)`` (atterrissage − budget), ``Écart (%)``.
    method, min_gap, min_amount
        The forecasting method and the drift rule.
    """

    table: pd.DataFrame
    tracking: MonthlyTracking
    method: str
    min_gap: float
    min_amount: float

    def _flag(self, frame: pd.DataFrame) -> pd.Series:
        gap = frame["Écart (€)"].abs()
        relative = (gap >= self.min_gap * frame["Budget"].abs() - 1e-9) | (frame["Budget"] == 0)
        return (gap >= self.min_amount - 1e-9) & relative

    def by_line(self) -> pd.DataFrame:
        """The association's forecast by CERFA line, with the drifting lines flagged."""
        t = self.table
        out = t.groupby("Code", sort=False)[
            ["Budget", "Prévu à date", "Réalisé à date", "Atterrissage"]
        ].sum()
        out = out.reindex([c for c in [*_ORDER, UNKNOWN_FUNDER] if c in out.index])
        out.insert(0, "Ligne", [_label(c) for c in out.index])
        out.insert(0, "Section", [_section(c) for c in out.index])
        out["Écart (€)"] = out["Atterrissage"] - out["Budget"]
        out["Écart (%)"] = (100 * out["Écart (€)"] / out["Budget"].abs()).where(out["Budget"] != 0)
        out["À surveiller"] = self._flag(out)
        return out

    def by_project(self) -> pd.DataFrame:
        """Budgeted and forecast result of each project (income − charges)."""
        t = self.table
        sign = np.where(t["Section"] == PRODUITS, 1.0, np.where(t["Section"] == CHARGES, -1.0, 0))
        signed = t[["Budget", "Atterrissage"]].mul(sign, axis=0)
        out = signed.groupby(t["Projet"].replace("", "(sans code)")).sum()
        out.columns = ["Résultat budgété", "Résultat atterrissage"]
        out.loc["Total"] = out.sum()
        out["Écart (€)"] = out["Résultat atterrissage"] - out["Résultat budgété"]
        out.index.name = "Projet"
        return out

    @property
    def drifts(self) -> pd.DataFrame:
        """The project lines whose forecast drifts beyond the threshold (both rules met)."""
        t = self.table
        return t[self._flag(t).to_numpy()].reset_index(drop=True)

    @property
    def result_effect(self) -> float:
        """Forecast result − budgeted result (income gaps − charge gaps)."""
        return float(self.by_project().at["Total", "Écart (€)"])

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def revised_budget(self, adjustments: Mapping[tuple[str, str], float] | None = None) -> Budget:
        """The *budget rectificatif*: the forecast as a new :class:`Budget` (same projects).

        ``adjustments`` ``{(project, line code): amount}`` overrides lines (the board's
        decisions: a cut, a new funder). The revised budget may be unbalanced: its
        ``problems`` then say by how much, which is what the board must decide about.
        """
        t = self.table
        wide = t.pivot_table(
            index="Code", columns="Projet", values="Atterrissage", aggfunc="sum", fill_value=0.0
        )
        for (project, code), amount in (adjustments or {}).items():
            wide.loc[str(code), str(project)] = float(amount)
        wide = wide.fillna(0.0)
        projects = [p for p in self.tracking.budget.projects if p in wide.columns]
        projects += [p for p in wide.columns if p not in projects]
        wide = wide.reindex(columns=projects).round(2)
        frame = wide.reset_index()
        frame = frame[frame["Code"] != UNKNOWN_FUNDER]
        budget = self.tracking.budget
        return make_budget(frame, projects=projects, name=budget.name, year=budget.year)

    def _lines(self) -> list[str]:
        tr = self.tracking
        lines_tab = self.by_line()
        ch = lines_tab[lines_tab["Section"] == CHARGES]
        pr = lines_tab[lines_tab["Section"] == PRODUITS]
        lines = [
            f"Atterrissage {tr.year} au {format_date(tr.as_of)} — méthode : "
            f"{_METHOD_LABELS[self.method]}.",
            f"Charges : {format_euro(ch['Atterrissage'].sum())} attendues pour "
            f"{format_euro(ch['Budget'].sum())} au budget ; produits : "
            f"{format_euro(pr['Atterrissage'].sum())} pour {format_euro(pr['Budget'].sum())}.",
            f"Effet sur le résultat : {format_euro(self.result_effect)} (résultat attendu "
            f"{format_euro(self.by_project().at['Total', 'Résultat atterrissage'])}).",
        ]
        flagged = lines_tab[lines_tab["À surveiller"]]
        rule = (
            f"écart d'au moins {format_percent(100 * self.min_gap, 0)} et d'au moins "
            f"{format_euro(self.min_amount)}"
        )
        if flagged.empty:
            lines.append(f"Aucune ligne ne dérive ({rule}).")
        else:
            lines.append(f"{len(flagged)} ligne(s) à surveiller ({rule}) :")
            for code, row in flagged.iterrows():
                pct = row["Écart (%)"]
                pct_text = "non prévu" if pd.isna(pct) else format_percent(pct)
                lines.append(
                    f"  – {_line_name(code, row['Ligne'])} : {format_euro(row['Écart (€)'])} ({pct_text})"
                )
        return lines

    def plot(self, ax: Any = None) -> Any:
        """Horizontal bars of the forecast gaps by line (€), the drifting lines in red."""
        from ..plotting import gap_bars, get_axes

        lines = self.by_line()
        lines = lines[lines["Écart (€)"].abs() >= 0.5]
        _fig, ax = get_axes(ax, figsize=(8, 0.35 * len(lines) + 1.5))
        colours = ["#D55E00" if f else "#999999" for f in lines["À surveiller"]]
        labels = [_line_name(c, row["Ligne"])[:45] for c, row in lines.iterrows()]
        gap_bars(ax, lines["Écart (€)"], labels, colours)
        ax.set_title(
            f"Atterrissage − budget {self.tracking.year} au {format_date(self.tracking.as_of)} "
            "(en rouge : à surveiller)"
        )
        return ax

    def _html_tables(self) -> str:
        shown = self.by_line()
        shown["À surveiller"] = shown["À surveiller"].map({True: "oui", False: ""})
        return titled_html(shown, "Atterrissage par ligne (€)", decimals=0)
