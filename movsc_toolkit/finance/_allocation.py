"""The allocation core of full costs: keys, rules, step-down, largest remainder in cents.

Internal to :mod:`~movsc_toolkit.finance.costs` (full costs by step-down): the amounts
by analytic code and account are read from the ledger (:func:`ledger_amounts`) or the budget
(:func:`budget_amounts`), the keys and the rules are checked (:func:`key_tables`,
:func:`parse_rules`), then :func:`allocate` runs the step-down and gives the fields of a
:class:`~movsc_toolkit.finance.FullCosts`. Every amount is an integer number of cents, split
with Hamilton's largest-remainder method (:func:`split_cents`), so that the tables add up
exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, SupportsFloat, cast

import numpy as np
import pandas as pd

from .._errors import ComputationError, DataError, column_error
from .._format import format_euro
from .._problems import ProblemLog
from ._actuals import group_sum
from .budget import Budget
from .cerfa import CHARGES, PRODUITS
from .ledger import Ledger

#: Key names computed from the data rather than read from the keys table.
DIRECT_COSTS_KEYS = ("couts_directs", "coûts directs", "couts directs", "coûts_directs")


def fraction(value: object) -> Fraction:
    """An exact fraction of a number as it is written (1.6 → 8/5, not the binary float)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    return Fraction(repr(float(cast(SupportsFloat, value))))


def split_cents(total_c: int, weights: Sequence[object], labels: Sequence[str]) -> list[int]:
    """Largest-remainder split of ``total_c`` cents (see :func:`~movsc_toolkit.finance.largest_remainder`)."""
    w = [fraction(x) for x in weights]
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


def to_cents(value: float) -> int:
    return round(float(value) * 100)


# ----------------------------------------------------------------------------- keys and rules


def key_tables(keys: pd.DataFrame | Mapping[str, Mapping[str, float]], year: int | None):
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
class Group:
    name: str  # label shown in the table
    centre: str
    prefixes: tuple[str, ...]  # () = catch-all of the centre
    key: str | Mapping[str, float]


def parse_rules(rules: Mapping[str, Any], order: Sequence[str] | None) -> list[Group]:
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
        groups.append(Group(str(name).strip(), centre.strip(), prefixes, key))
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


def ledger_amounts(ledger: Ledger | pd.DataFrame, year: int | None) -> tuple[pd.DataFrame, int]:
    """Charges (class 6) and income (class 7) by analytic code and account, in cents."""
    entries, year = Ledger.from_entries(ledger).select(year)
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


def budget_amounts(budget: Budget) -> pd.DataFrame:
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
                    rows.append((project, str(code), to_cents(value), cls))
    frame = pd.DataFrame(rows, columns=["code", "compte", "cents", "classe"])
    return frame.groupby(["code", "compte", "classe"], sort=True)["cents"].sum().reset_index()


def allocate(
    amounts: pd.DataFrame,
    keys: pd.DataFrame | Mapping[str, Mapping[str, float]],
    rules: Mapping[str, Any],
    *,
    year: int | None,
    key_year: int | None,
    order: Sequence[str] | None,
    source: str,
) -> dict[str, Any]:
    """The fields of a :class:`~movsc_toolkit.finance.FullCosts`: the step-down allocation."""
    groups = parse_rules(rules, order)
    centres = list(dict.fromkeys(g.centre for g in groups))
    quantities, sources = key_tables(keys, key_year if key_year is not None else year)
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
    def group_of(centre: str, account: str) -> Group | None:
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

    def weights_for(g: Group, receivers: list[str]) -> list[object]:
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
    cascade: dict[str, dict[str, Any]] = {}
    rule_rows: dict[str, dict[str, Any]] = {}
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
            split_cents(amount, weights_for(g, receivers), receivers)
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
    return dict(
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
