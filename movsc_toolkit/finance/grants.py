"""Funders' conventions: payment schedules, status as of a date, comptes rendus, fonds dédiés.

A conventions table (``finance.md`` §4.3, minimal data model inspired by the SCDL "Subventions"
schema) holds one row per agreement: funder, CERFA funder category, object, analytic project,
amount granted, period, payment schedule, conditions, due date of the compte rendu financier.
:func:`read_conventions` reads it from Excel (sheets ``Conventions`` and ``Versements``) or CSV
(the schedule written in an ``Échéancier`` column: ``"15/03/2025 : 50 % ; 30/06/2026 : solde"``).

:func:`conventions_status` says, as of a date, what has been received, what is still to come,
what is late, and which comptes rendus are due or late (a compte rendu financier is due within
six months after the end of the subsidised year: loi 2000-321 art. 10, CERFA 12156 notice;
``finance.md`` §4.1 — used as the default due date).

:func:`dedicated_funds` follows the fonds dédiés by project (ANC 2018-06 art. 132-1 to 132-4 and
431-6; ``finance.md`` §1.4): opening balance of 19, reports of the year (6894 → 194), uses
(194 → 7894), closing balance, dormant funds, and the part of each project's subsidy left
unspent at year end.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ColumnError, DataError
from .._format import format_euro, format_number, frame_html
from .._parse import to_date
from .._problems import ProblemLog, ProblemTable
from ._amounts import to_amount
from ._cells import amount_column, date_column, rename_columns, uncached_formulas
from .cerfa import FUNDER_CATEGORIES, fold_label, fold_labels, funder_category
from .ledger import Ledger

__all__ = [
    "ConventionStatus",
    "Conventions",
    "DedicatedFunds",
    "conventions_status",
    "dedicated_funds",
    "read_conventions",
]

# canonical column -> accepted spellings (normalised: lower case, no accents)
_CONVENTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "Convention": ("convention", "id", "reference", "ref", "numero", "n convention", "code"),
    "Financeur": ("financeur", "organisme", "attribuant", "nom attribuant", "bailleur"),
    "Catégorie": ("categorie", "categorie cerfa", "type de financeur", "categorie financeur"),
    "Objet": ("objet", "action", "intitule"),
    "Projet": ("projet", "code analytique", "analytique"),
    "Montant accordé": ("montant accorde", "montant", "montant attribue", "montant vote"),
    "Date de signature": ("date de signature", "signature", "date convention", "date"),
    "Début": ("debut", "date de debut", "periode debut", "du"),
    "Fin": ("fin", "date de fin", "periode fin", "au"),
    "Échéancier": ("echeancier", "echeancier de versements", "conditions de versement"),
    "Conditions": ("conditions", "conditions particulieres"),
    "Fonds dédiés": ("fonds dedies", "dediee", "subvention dediee", "affectee"),
    "Compte rendu dû le": (
        "compte rendu du le",
        "compte rendu du",
        "date compte rendu",
        "date limite compte rendu",
        "cr du le",
    ),
    "Compte rendu déposé le": (
        "compte rendu depose le",
        "compte rendu depose",
        "cr depose le",
        "date de depot du compte rendu",
    ),
    "Libellé comptable": ("libelle comptable", "mot cle", "libelle dans les comptes", "alias"),
    "Compte": ("compte", "compte tiers", "compte auxiliaire", "compauxnum"),
}
_REQUIRED = ("Financeur", "Montant accordé")
_PAYMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "Convention": _CONVENTION_COLUMNS["Convention"],
    "Date prévue": ("date prevue", "echeance", "date"),
    "Montant prévu": ("montant prevu", "montant"),
    "Date reçue": ("date recue", "date de reception", "recu le", "date de versement"),
    "Montant reçu": ("montant recu", "recu", "montant verse"),
}
_DATE_COLUMNS = (
    "Date de signature",
    "Début",
    "Fin",
    "Compte rendu dû le",
    "Compte rendu déposé le",
)


_SCHEDULE_ITEM = re.compile(
    r"^\s*(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s*[:=]\s*(?P<value>.+?)\s*$"
)


def _parse_schedule(
    text: str, total: float, convention: str
) -> tuple[list[tuple[pd.Timestamp, float]], float]:
    """``"15/03/2025 : 50 % ; 30/06/2026 : solde"`` → ([(date, amount), …], sum of the %)."""
    items = [p for p in re.split(r"[;\n]", text) if p.strip()]
    out: list[tuple[pd.Timestamp, float]] = []
    balance_date = None
    percent = 0.0
    for item in items:
        match = _SCHEDULE_ITEM.match(item)
        if not match:
            raise DataError(
                f"convention « {convention} » : l'échéance « {item.strip()} » n'est pas comprise.",
                column="Échéancier",
                hint="écrivez les échéances « JJ/MM/AAAA : 50 % ; JJ/MM/AAAA : solde » ou avec "
                "des montants « JJ/MM/AAAA : 12 000 ».",
            )
        date = to_date(pd.Series([match.group("date")], dtype=object)).values.iloc[0]
        if pd.isna(date):
            raise DataError(
                f"convention « {convention} » : la date « {match.group('date')} » de "
                "l'échéancier n'existe pas.",
                column="Échéancier",
                hint="écrivez une date réelle JJ/MM/AAAA.",
            )
        value = match.group("value").strip()
        if fold_label(value) == "solde":
            balance_date = date
            continue
        pct = re.fullmatch(r"([\d\s\u202f\u00a0]+(?:[.,]\d+)?)\s*%", value)
        if pct:
            share = float(re.sub(r"\s", "", pct.group(1)).replace(",", "."))
            percent += share
            out.append((date, round(total * share / 100, 2)))
            continue
        amount = to_amount(value)
        if amount is None:
            raise DataError(
                f"convention « {convention} » : le versement « {value} » n'est ni un montant ni "
                "un pourcentage.",
                column="Échéancier",
                hint="par exemple « 15/03/2025 : 50 % » ou « 15/03/2025 : 12 000 ».",
            )
        out.append((date, amount))
    if balance_date is not None:
        rest = round(total - sum(a for _, a in out), 2)
        if rest > 0:  # a negative « solde » is reported with the schedule's total
            out.append((balance_date, rest))
    return out, percent


@dataclass(frozen=True, eq=False)
class Conventions:
    """The funders' conventions of an association.

    Attributes
    ----------
    table
        One row per convention: ``Convention``, ``Financeur``, ``Catégorie`` (CERFA funder
        category), ``Objet``, ``Projet``, ``Montant accordé``, ``Date de signature``, ``Début``,
        ``Fin``, ``Conditions``, ``Fonds dédiés`` (bool), ``Compte rendu dû le``,
        ``Compte rendu déposé le``, ``Libellé comptable``, ``Compte``.
    payments
        The schedule: one row per planned payment (``Convention``, ``Financeur``,
        ``Catégorie``, ``Date prévue``, ``Montant prévu``, ``Date reçue``, ``Montant reçu``).
    problems
        The shared problems table (``élément`` = the convention, ``ligne``, ``colonne``,
        ``valeur``, ``gravité``, ``message``): a schedule adding up to more than 100 % or more
        than the amount granted, or more received than granted (erreur); a schedule short of
        the amount granted, an unknown funder category (alerte).
    """

    table: pd.DataFrame
    payments: pd.DataFrame
    problems: ProblemTable

    def __len__(self) -> int:
        return len(self.table)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def by_category(self) -> pd.DataFrame:
        """Amounts granted by CERFA funder category (art. 431-9 annex style), with a Total."""
        out = self.table.groupby("Catégorie", sort=False)["Montant accordé"].agg(["count", "sum"])
        out = out.reindex([c for c in FUNDER_CATEGORIES if c in out.index])
        out.columns = ["Conventions", "Montant accordé (€)"]
        out.loc["Total"] = out.sum()
        out["Conventions"] = out["Conventions"].astype(int)
        return out

    def __str__(self) -> str:
        parts = [
            f"{len(self.table)} convention(s), {self.table['Financeur'].nunique()} financeur(s), "
            f"{format_euro(self.table['Montant accordé'].sum())} accordés au total."
        ]
        if not self.problems.empty:
            parts.append(f"{len(self.problems)} incohérence(s) à vérifier :")
            parts.extend(
                f"  – {p['élément']} : {p['message']}" for _, p in self.problems.iterrows()
            )
        return "\n".join(parts)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        shown = self.table[
            ["Convention", "Financeur", "Catégorie", "Objet", "Montant accordé", "Début", "Fin"]
        ].copy()
        for col in ("Début", "Fin"):
            shown[col] = shown[col].dt.strftime("%d/%m/%Y")
        text = html.escape(str(self)).replace("\n", "<br>")
        return f"<p>{text}</p>" + frame_html(shown.set_index("Convention"), decimals=0)


def read_conventions(
    path: str | PathLike[str] | pd.DataFrame,
    payments: str | PathLike[str] | pd.DataFrame | None = None,
) -> Conventions:
    """Read a conventions table from Excel/ODS (sheets ``Conventions`` and ``Versements``) or CSV.

    Parameters
    ----------
    path
        The conventions file (or a DataFrame). One row per convention; columns (French names,
        accents and case ignored): ``Convention`` (identifier; ``C1``, ``C2``… if absent),
        ``Financeur`` and ``Montant accordé`` (required), ``Catégorie`` (the CERFA category;
        recognised from the funder's name when absent), ``Objet``, ``Projet`` (analytic code),
        ``Date de signature``, ``Début``, ``Fin``, ``Échéancier``, ``Conditions``,
        ``Fonds dédiés`` (oui/non), ``Compte rendu dû le`` (default: ``Fin`` + 6 months),
        ``Compte rendu déposé le``, ``Libellé comptable`` (a word identifying the funder in the
        accounting labels, e.g. ``CAF``) and ``Compte`` (its account or auxiliary account).
    payments
        The schedule (``Convention``, ``Date prévue``, ``Montant prévu``, optionally
        ``Date reçue``, ``Montant reçu``). By default the workbook's ``Versements`` sheet, or
        the ``Échéancier`` column (``"15/03/2025 : 50 % ; 30/06/2026 : solde"``).
    """
    from .._io import read_table

    source: Path | None = None
    sheet_payments = None
    formulas: dict[tuple[int, str], tuple[str, float | None]] = {}
    pay_formulas: dict[tuple[int, str], tuple[str, float | None]] = {}
    if isinstance(path, pd.DataFrame):
        data = path.copy()
        lines = data.attrs.get("lines") or [i + 2 for i in range(len(data))]
    else:
        source = Path(path)
        if source.suffix.lower() in {".xlsx", ".xlsm", ".ods", ".xls"}:
            if not source.exists():
                read_table(source)
            sheets = pd.ExcelFile(source).sheet_names
            conv_sheet = "Conventions" if "Conventions" in sheets else 0
            data = read_table(source, conv_sheet)
            if source.suffix.lower() in {".xlsx", ".xlsm"}:
                formulas = uncached_formulas(
                    source, conv_sheet, frozenset({"financeur", "convention", "montant accorde"})
                )
            if payments is None and "Versements" in sheets:
                sheet_payments = read_table(source, "Versements")
                if source.suffix.lower() in {".xlsx", ".xlsm"}:
                    pay_formulas = uncached_formulas(
                        source, "Versements", frozenset({"convention", "date prevue"})
                    )
        else:
            data = read_table(source)
        lines = data.attrs.get("lines") or [i + 2 for i in range(len(data))]
    raw_columns = list(data.columns)
    data = rename_columns(data, _CONVENTION_COLUMNS)
    raw_name = dict(zip(data.columns, raw_columns, strict=True))
    for column in _REQUIRED:
        if column not in data.columns:
            raise ColumnError(
                f"la colonne « {column} » manque dans le tableau des conventions.",
                path=source,
                hint="colonnes attendues : Convention, Financeur, Catégorie, Objet, Projet, "
                "Montant accordé, Début, Fin, Échéancier, Compte rendu dû le…",
            )
    table = pd.DataFrame(index=data.index)
    table["Convention"] = (
        data["Convention"].astype(str).str.strip()
        if "Convention" in data.columns
        else [f"C{i + 1}" for i in range(len(data))]
    )
    table["Financeur"] = data["Financeur"].astype(str).str.strip()
    log = ProblemLog(fichier=None)
    conv_lines = dict(zip(table["Convention"], lines, strict=False))
    categories = []
    for conv, funder, given in zip(
        table["Convention"],
        table["Financeur"],
        data["Catégorie"] if "Catégorie" in data.columns else [None] * len(data),
        strict=True,
    ):
        category = None
        if given is not None and not pd.isna(given) and str(given).strip():
            text = fold_label(given)
            category = next((c for c in FUNDER_CATEGORIES if fold_label(c) == text), None)
            category = category or funder_category(str(given))
        category = category or funder_category(funder)
        if category is None:
            log.add(
                "alerte",
                f"catégorie de financeur inconnue pour « {funder} » (à choisir parmi : "
                + ", ".join(FUNDER_CATEGORIES)
                + ").",
                élément=conv,
                ligne=conv_lines.get(conv),
                colonne="Catégorie",
                valeur=None if given is None or pd.isna(given) else given,
            )
        categories.append(category)
    table["Catégorie"] = categories
    for column in ("Objet", "Projet", "Conditions", "Libellé comptable", "Compte", "Échéancier"):
        values = data[column] if column in data.columns else pd.Series("", index=data.index)
        table[column] = values.map(lambda v: "" if v is None or pd.isna(v) else str(v).strip())
    table["Montant accordé"] = amount_column(
        data["Montant accordé"], "Montant accordé", source, lines
    )
    for i, line in enumerate(lines[: len(table)]):
        key = (int(line), str(raw_name["Montant accordé"]).strip())
        if key not in formulas:
            continue
        formula, computed = formulas[key]
        conv = table["Convention"].iloc[i]
        if computed is None:
            log.add(
                "erreur",
                f"le montant accordé est la formule {formula}, sans valeur calculée enregistrée "
                "avec le classeur : montant non lu, compté 0 €. Ouvrez le classeur dans Excel "
                "ou LibreOffice, enregistrez-le, puis relisez-le.",
                élément=conv,
                ligne=key[0],
                colonne="Montant accordé",
                valeur=formula,
            )
        else:
            table.iloc[i, table.columns.get_loc("Montant accordé")] = computed
            log.add(
                "alerte",
                f"la formule {formula} n'avait pas de valeur enregistrée : recalculée ici "
                f"({format_euro(computed, 2)}).",
                élément=conv,
                ligne=key[0],
                colonne="Montant accordé",
                valeur=formula,
            )
    for column in _DATE_COLUMNS:
        values = data[column] if column in data.columns else pd.Series(None, index=data.index)
        table[column] = date_column(values, column, source, lines)
    default_due = table["Fin"] + pd.DateOffset(months=6)
    table["Compte rendu dû le"] = table["Compte rendu dû le"].fillna(default_due)
    dedicated = data["Fonds dédiés"] if "Fonds dédiés" in data.columns else None
    table["Fonds dédiés"] = (
        dedicated.map(lambda v: fold_label(v) in {"oui", "o", "yes", "true", "1", "vrai", "x"})
        if dedicated is not None
        else False
    )
    duplicated = table["Convention"][table["Convention"].duplicated()]
    if len(duplicated):
        raise DataError(
            f"l'identifiant de convention « {duplicated.iloc[0]} » apparaît deux fois.",
            path=source,
            column="Convention",
            hint="donnez un identifiant unique à chaque convention (C1, C2…).",
        )

    # the schedule
    if payments is not None:
        sched_data = payments if isinstance(payments, pd.DataFrame) else read_table(payments)
    else:
        sched_data = sheet_payments
    if sched_data is not None:
        sched = rename_columns(sched_data, _PAYMENT_COLUMNS)
        sched_lines = sched_data.attrs.get("lines") or [i + 2 for i in range(len(sched))]
        for column in ("Convention", "Date prévue", "Montant prévu"):
            if column not in sched.columns:
                raise ColumnError(
                    f"la colonne « {column} » manque dans l'échéancier des versements.",
                    hint="colonnes attendues : Convention, Date prévue, Montant prévu, "
                    "Date reçue, Montant reçu.",
                )
        schedule = pd.DataFrame(
            {
                "Convention": sched["Convention"].astype(str).str.strip(),
                "Date prévue": date_column(sched["Date prévue"], "Date prévue", None, sched_lines),
                "Montant prévu": amount_column(
                    sched["Montant prévu"], "Montant prévu", None, sched_lines
                ),
                "Date reçue": date_column(
                    sched.get("Date reçue", pd.Series(None, index=sched.index)),
                    "Date reçue",
                    None,
                    sched_lines,
                ),
            }
        )
        received = sched.get("Montant reçu")
        schedule["Montant reçu"] = (
            np.nan
            if received is None
            else amount_column(received, "Montant reçu", None, sched_lines).where(received.notna())
        )
        if pay_formulas and sched_data is sheet_payments:
            raw_pay = dict(zip(sched.columns, sched_data.columns, strict=True))
            for column in ("Montant prévu", "Montant reçu"):
                if column not in raw_pay:
                    continue
                for i, line in enumerate(sched_lines[: len(schedule)]):
                    key = (int(line), str(raw_pay[column]).strip())
                    if key not in pay_formulas:
                        continue
                    formula, computed = pay_formulas[key]
                    conv = schedule["Convention"].iloc[i]
                    if computed is not None:
                        schedule.iloc[i, schedule.columns.get_loc(column)] = computed
                    log.add(
                        "alerte" if computed is not None else "erreur",
                        f"{column} : la formule {formula} n'avait pas de valeur enregistrée"
                        + (
                            f" ; recalculée ici ({format_euro(computed, 2)})."
                            if computed is not None
                            else " et n'a pas pu être recalculée : montant non lu. Ouvrez le "
                            "classeur dans Excel ou LibreOffice, enregistrez-le, puis "
                            "relisez-le."
                        ),
                        élément=conv,
                        ligne=key[0],
                        colonne=column,
                        valeur=formula,
                    )
        unknown = set(schedule["Convention"]) - set(table["Convention"])
        if unknown:
            raise DataError(
                f"l'échéancier cite la convention « {sorted(unknown)[0]} », absente du tableau "
                "des conventions.",
                hint="vérifiez l'identifiant dans les deux feuilles.",
            )
    else:
        rows = []
        for _, conv in table.iterrows():
            if conv["Échéancier"]:
                items, percent = _parse_schedule(
                    conv["Échéancier"], conv["Montant accordé"], conv["Convention"]
                )
                if percent > 100 + 1e-9:
                    log.add(
                        "erreur",
                        "les pourcentages de l'échéancier font "
                        f"{format_number(percent, 0 if percent.is_integer() else 2)} % : "
                        "plus de 100 % du montant accordé.",
                        élément=conv["Convention"],
                        ligne=conv_lines.get(conv["Convention"]),
                        colonne="Échéancier",
                        valeur=conv["Échéancier"],
                    )
            else:
                when = conv["Date de signature"]
                when = conv["Début"] if pd.isna(when) else when
                items = [(when, conv["Montant accordé"])]
            rows.extend((conv["Convention"], d, a) for d, a in items)
        schedule = pd.DataFrame(rows, columns=["Convention", "Date prévue", "Montant prévu"])
        schedule["Date reçue"] = pd.Series(pd.NaT, index=schedule.index, dtype="datetime64[ns]")
        schedule["Montant reçu"] = np.nan
    schedule = schedule.join(
        table.set_index("Convention")[["Financeur", "Catégorie"]], on="Convention"
    )
    schedule = schedule[
        [
            "Convention",
            "Financeur",
            "Catégorie",
            "Date prévue",
            "Montant prévu",
            "Date reçue",
            "Montant reçu",
        ]
    ]
    schedule = schedule.sort_values(["Convention", "Date prévue"], kind="stable")
    schedule = schedule.reset_index(drop=True)
    for conv, granted in zip(table["Convention"], table["Montant accordé"], strict=True):
        part = schedule[schedule["Convention"] == conv]
        planned = part["Montant prévu"].sum()
        if abs(planned - granted) >= 0.005:
            more = planned > granted
            log.add(
                "erreur" if more else "alerte",
                f"l'échéancier totalise {format_euro(planned, 2)} pour "
                f"{format_euro(granted, 2)} accordés"
                + (
                    " : il prévoit plus que le montant accordé."
                    if more
                    else " : il manque des versements."
                ),
                élément=conv,
                ligne=conv_lines.get(conv),
                colonne="Échéancier",
                valeur=format_number(planned),
            )
        got = part["Montant reçu"].sum()
        if got - granted >= 0.005:
            log.add(
                "erreur",
                f"plus de versements reçus ({format_euro(got, 2)}) que le montant accordé "
                f"({format_euro(granted, 2)}).",
                élément=conv,
                ligne=conv_lines.get(conv),
                colonne="Montant reçu",
                valeur=format_number(got),
            )
    table = table.drop(columns="Échéancier").reset_index(drop=True)
    problems = log.frame(sort=False)
    if "élément" not in problems.columns:
        problems.insert(0, "élément", pd.Series(dtype=object))
    return Conventions(table=table, payments=schedule, problems=problems)


# --------------------------------------------------------------------------- status


def _has(text: pd.Series, pattern: str) -> pd.Series:
    """Whether each text matches ``pattern``, searched once per distinct text."""
    regex = re.compile(pattern)
    found = {value: bool(regex.search(value)) for value in text.unique()}
    return text.map(found).astype(bool)


def _ledger_receipts(
    entries: pd.DataFrame, conventions: Conventions, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Subsidy payments found in the ledger up to ``as_of``, each matched to a funder.

    Rule: an entry that debits a bank or cash account (50, 51, 53, 54) and credits a subsidy
    account — 441 (including 4417 and its sub-accounts) or 74 — is a subsidy received, for the
    credited amount. It belongs to the funder whose ``Compte`` equals (or prefixes) the credited
    account number or its auxiliary account, otherwise to the first funder whose ``Libellé
    comptable``, name or convention identifier appears in the account, auxiliary or entry
    labels. Unmatched receipts are kept with ``Financeur`` empty.
    """
    e = entries[pd.to_datetime(entries["EcritureDate"]) <= as_of]
    acc = e["CompteNum"].astype(str).str.strip()
    key = e["EcritureNum"].astype(str)
    if "JournalCode" in e.columns:
        key = e["JournalCode"].astype(str) + "|" + key
    bank = acc.str.startswith(("50", "51", "53", "54"))
    with_bank = set(key[bank.to_numpy()])
    subsidy = acc.str.startswith(("441", "74")) & key.isin(with_bank)
    lines = e[subsidy.to_numpy()]
    amount = lines["Credit"].astype(float) - lines["Debit"].astype(float)
    lines = lines.assign(_amount=amount)
    lines = lines[lines["_amount"] > 0.004]
    text = pd.Series("", index=lines.index)
    for column in ("CompteLib", "CompAuxNum", "CompAuxLib", "EcritureLib"):
        if column in lines.columns:
            text = text + " " + lines[column].fillna("").astype(str)
    text = fold_labels(text)
    account = lines["CompteNum"].astype(str).str.strip()
    aux = lines.get("CompAuxNum", pd.Series("", index=lines.index)).fillna("").astype(str)
    funders = conventions.table.drop_duplicates("Financeur")
    matched = pd.Series("", index=lines.index, dtype=object)
    for _, conv in funders.iterrows():
        todo = matched == ""
        if conv["Compte"]:
            hit = account.str.startswith(conv["Compte"]) | (aux == conv["Compte"])
            matched[todo & hit] = conv["Financeur"]
            todo = matched == ""
        words = [conv["Libellé comptable"], conv["Financeur"]]
        words += conventions.table.loc[
            conventions.table["Financeur"] == conv["Financeur"], "Convention"
        ].tolist()
        for word in filter(None, words):
            pattern = r"\b" + re.escape(fold_label(word)) + r"\b"
            hit = _has(text, pattern)
            matched[todo & hit] = conv["Financeur"]
            todo = matched == ""
    # the convention itself, when the label names it (its identifier, or its year and object)
    table = conventions.table
    year = table["Début"].fillna(table["Date de signature"]).dt.year
    cache: dict[tuple[str, str], str] = {}

    def which(funder: str, label: str) -> str:
        cands = table[table["Financeur"] == funder] if funder else table.iloc[:0]
        hits = [
            c
            for c in cands["Convention"]
            if re.search(r"\b" + re.escape(fold_label(c)) + r"\b", label)
        ]
        if len(hits) != 1:
            hits = [
                c
                for c, y in zip(cands["Convention"], year[cands.index], strict=True)
                if pd.notna(y) and re.search(rf"\b{int(y)}\b", label)
            ]
            if len(hits) > 1:
                objects = cands.set_index("Convention")["Objet"]
                same = [c for c in hits if objects[c] and fold_label(objects[c]) in label]
                hits = same if len(same) == 1 else hits
        if len(hits) != 1 and len(cands):
            named = {int(y) for y in re.findall(r"\b(20\d{2})\b", label)}
            first_year = year[cands.index].min()
            if named and pd.notna(first_year) and max(named) < first_year:
                hits = [OLDER]  # a balance of an agreement older than the table
        return hits[0] if len(hits) == 1 else ""

    convention = []
    for pair in zip(matched, text, strict=True):
        if pair not in cache:
            cache[pair] = which(*pair)
        convention.append(cache[pair])
    return pd.DataFrame(
        {
            "Date": pd.to_datetime(lines["EcritureDate"]),
            "Financeur": matched,
            "Convention": convention,
            "Montant": lines["_amount"].astype(float),
            "Compte": account,
            "Libellé": lines.get("EcritureLib", pd.Series("", index=lines.index)),
        },
        index=lines.index,
    ).sort_values("Date", kind="stable")


OLDER = "(antérieure)"


def _allocate(
    schedule: pd.DataFrame,
    receipts: pd.DataFrame,
    starts: Mapping[str, pd.Timestamp],
    conv_start: Mapping[str, pd.Timestamp],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Allocate each funder's receipts to its planned payments, oldest first (FIFO).

    A receipt whose label names its convention goes to that convention's payments first.
    Receipts dated before ``starts[funder]`` (the start of the funder's earliest convention),
    or naming a year before it, belong to older agreements and are not allocated. Returns the
    schedule with the amounts received, and the receipts left unallocated with the reason.
    """
    schedule = schedule.copy()
    schedule["Montant reçu"] = 0.0
    schedule["Date reçue"] = pd.Series(pd.NaT, index=schedule.index, dtype="datetime64[ns]")

    def fill(rows: pd.Index, pool: list[list[Any]]) -> None:
        """Pay the rows from the pool, oldest receipt first; a receipt never pays a convention
        that starts after it."""
        for row in rows:
            need = schedule.at[row, "Montant prévu"] - schedule.at[row, "Montant reçu"]
            begin = conv_start.get(schedule.at[row, "Convention"])
            i = 0
            while need > 0.004 and i < len(pool):
                date, amount, label = pool[i]
                if begin is not None and pd.notna(begin) and date < begin:
                    i += 1
                    continue
                take = min(need, amount)
                schedule.at[row, "Montant reçu"] += take
                schedule.at[row, "Date reçue"] = date
                need -= take
                if amount - take > 0.004:
                    pool[i] = [date, amount - take, label]
                else:
                    pool.pop(i)

    left: list[dict[str, Any]] = []

    def keep(part: pd.DataFrame, reason: str) -> None:
        for _, row in part.iterrows():
            left.append({**row.to_dict(), "Motif": reason})

    keep(receipts[receipts["Financeur"] == ""], "financeur non reconnu")
    for funder, got in receipts.groupby("Financeur", sort=False):
        if not funder:
            continue
        start = starts.get(funder)
        if start is not None and pd.notna(start):
            got = got[got["Date"] >= start]  # before the table's agreements: out of scope
        keep(got[got["Convention"] == OLDER], "solde d'une convention antérieure au tableau")
        got = got[got["Convention"] != OLDER]
        mine = schedule[schedule["Financeur"] == funder].sort_values("Date prévue", kind="stable")
        rest: list[list[Any]] = []
        for conv, part in got.groupby("Convention", sort=False):
            pool = [
                [d, a, t]
                for d, a, t in zip(part["Date"], part["Montant"], part["Libellé"], strict=True)
            ]
            if conv:
                fill(mine.index[mine["Convention"] == conv], pool)
            rest.extend(pool)
        rest.sort(key=lambda item: item[0])
        fill(mine.index, rest)
        for date, amount, label in rest:
            left.append(
                {
                    "Date": date,
                    "Financeur": funder,
                    "Convention": "",
                    "Montant": amount,
                    "Libellé": label,
                    "Motif": "au-delà des versements prévus",
                }
            )
    columns = ["Date", "Financeur", "Montant", "Libellé", "Motif"]
    unallocated = pd.DataFrame(left, columns=[*columns, "Convention", "Compte"])[columns]
    return schedule, unallocated.sort_values("Date", kind="stable").reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class ConventionStatus:
    """Where the conventions stand at a date.

    Attributes
    ----------
    as_of
        The date of the status.
    table
        One row per convention: ``Financeur``, ``Objet``, ``Montant accordé``,
        ``Échu (€)`` (planned payments due by ``as_of``), ``Reçu (€)``,
        ``Reste à recevoir (€)``, ``En retard (€)``, ``Versements`` (``soldée``,
        ``en retard``, ``à jour``), ``Compte rendu dû le``, ``Compte rendu`` (``déposé``,
        ``en retard``, ``à rendre`` within ``warn_days`` days, ``à venir``).
    payments
        The schedule with ``Reçu (€)``, ``Statut`` (``reçu``, ``reçu en partie``,
        ``en retard``, ``à recevoir``) and ``Retard (jours)``.
    by_funder
        Totals by funder (with, from the ledger, the subsidies recorded in 74 since the
        start of the funder's first convention).
    unmatched
        Subsidy receipts of the ledger not allocated to a convention, with the reason
        (``Motif``): funder not recognised, balance of an agreement older than the table,
        amount beyond the planned payments. Receipts dated before the funder's first convention
        are out of the table's scope and not listed.
    """

    as_of: pd.Timestamp
    table: pd.DataFrame
    payments: pd.DataFrame
    by_funder: pd.DataFrame
    unmatched: pd.DataFrame

    @property
    def late_payments(self) -> pd.DataFrame:
        return self.payments[self.payments["Statut"] == "en retard"]

    @property
    def reports_due(self) -> pd.DataFrame:
        """Conventions whose compte rendu is late or due soon."""
        return self.table[self.table["Compte rendu"].isin(["en retard", "à rendre"])]

    @property
    def total_received(self) -> float:
        return float(self.table["Reçu (€)"].sum())

    @property
    def total_to_receive(self) -> float:
        return float(self.table["Reste à recevoir (€)"].sum())

    @property
    def total_late(self) -> float:
        return float(self.table["En retard (€)"].sum())

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def __str__(self) -> str:
        day = self.as_of.strftime("%d/%m/%Y")
        parts = [
            f"Suivi des conventions au {day} : {len(self.table)} convention(s), "
            f"{format_euro(self.table['Montant accordé'].sum())} accordés, "
            f"{format_euro(self.total_received)} reçus, "
            f"{format_euro(self.total_to_receive)} restant à recevoir."
        ]
        late = self.late_payments
        if late.empty:
            parts.append("Aucun versement en retard.")
        else:
            parts.append(
                f"{len(late)} versement(s) en retard pour {format_euro(self.total_late)} : "
                + ", ".join(sorted(set(late["Financeur"])))
                + ". Relancez ces financeurs : le retard pèse sur la trésorerie."
            )
        reports = self.table[self.table["Compte rendu"] == "en retard"]
        if not reports.empty:
            parts.append(
                f"{len(reports)} compte(s) rendu(s) financier(s) en retard : "
                + ", ".join(
                    f"{c} ({f})" for c, f in zip(reports.index, reports["Financeur"], strict=True)
                )
                + ". Sans compte rendu, le financeur peut suspendre le solde ou demander le "
                "remboursement."
            )
        soon = self.table[self.table["Compte rendu"] == "à rendre"]
        if not soon.empty:
            parts.append(
                f"{len(soon)} compte(s) rendu(s) à rendre prochainement : "
                + ", ".join(
                    f"{c} ({f}, avant le {d:%d/%m/%Y})"
                    for c, f, d in zip(
                        soon.index, soon["Financeur"], soon["Compte rendu dû le"], strict=True
                    )
                )
                + "."
            )
        unknown = self.unmatched[self.unmatched["Motif"] == "financeur non reconnu"]
        if len(unknown):
            parts.append(
                f"{len(unknown)} encaissement(s) de subvention sans financeur reconnu "
                f"({format_euro(unknown['Montant'].sum())}) : complétez la colonne « Libellé "
                "comptable » ou « Compte » des conventions."
            )
        extra = self.unmatched[self.unmatched["Motif"] == "au-delà des versements prévus"]
        if len(extra):
            parts.append(
                f"{len(extra)} encaissement(s) ({format_euro(extra['Montant'].sum())}) dépassent "
                "les versements prévus par les conventions : voir .unmatched."
            )
        return "\n".join(parts)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        shown = self.table.copy()
        shown["Compte rendu dû le"] = shown["Compte rendu dû le"].dt.strftime("%d/%m/%Y")
        text = html.escape(str(self)).replace("\n", "<br>")
        return f"<p>{text}</p>" + frame_html(shown, decimals=0)

    def plot(self, ax: Any = None) -> Any:
        """Stacked bars by funder: received, late, still to come."""
        from ..plotting import PALETTE, euro_formatter, get_axes

        data = self.by_funder.drop(index="Total", errors="ignore")
        _fig, ax = get_axes(ax, figsize=(8, 0.45 * len(data) + 1.5))
        y = np.arange(len(data))
        received = data["Reçu (€)"].to_numpy()
        late = data["En retard (€)"].to_numpy()
        later = (data["Reste à recevoir (€)"] - data["En retard (€)"]).clip(lower=0).to_numpy()
        ax.barh(y, received, color=PALETTE[2], label="Reçu")
        ax.barh(y, late, left=received, color=PALETTE[3], label="En retard")
        ax.barh(y, later, left=received + late, color="#BBBBBB", label="À venir")
        ax.set_yticks(y, data.index)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(euro_formatter())
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        ax.set_title(f"Versements des financeurs au {self.as_of:%d/%m/%Y}")
        ax.legend(loc="lower right", fontsize=8)
        return ax


def _sheet_received(schedule: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The amounts received according to the sheet (``Montant reçu``), up to ``day``."""
    out = schedule.copy()
    out["Montant reçu"] = out["Montant reçu"].fillna(0.0)
    known = out["Date reçue"].isna() | (out["Date reçue"] <= day)
    out.loc[~known, "Montant reçu"] = 0.0
    return out


def conventions_status(
    conventions: Conventions,
    as_of: Any,
    ledger: Any = None,
    *,
    warn_days: int = 60,
) -> ConventionStatus:
    """Status of the conventions at a date: received, to receive, late; comptes rendus due.

    Parameters
    ----------
    conventions
        From :func:`read_conventions`.
    as_of
        The date of the status (``"2025-09-30"``, ``"30/09/2025"``).
    ledger
        Optional ``Ledger`` (or entries): the amounts received are then taken from the
        accounts (see the matching rule below) instead of the ``Montant reçu`` column, and the
        subsidies recorded in 74 and the receivable balances of 441 are given by funder.
        Matching rule: a subsidy received is an entry debiting a bank or cash account
        (50, 51, 53, 54) and crediting 441x (4417 included) or 74x; it belongs to the funder
        whose ``Compte`` is the credited account (or its prefix, or its auxiliary account),
        else whose ``Libellé comptable``, name or convention identifier appears (as whole
        words) in the labels. Payments planned and received (per the sheet) before the first
        entry of the ledger keep the ``Montant reçu`` of the sheet. A receipt whose label names the convention (its identifier, or
        its starting year and, if needed, its object) pays that convention first; the
        others, from the start of the funder's earliest convention (signature or period
        start), are allocated to its planned payments oldest first.
    warn_days
        A compte rendu due within this many days is "à rendre".
    """
    if not isinstance(conventions, Conventions):
        raise DataError(
            "des conventions (lues par read_conventions) sont attendues.",
            hint="conventions = finance.read_conventions('conventions.xlsx')",
        )
    try:
        day = pd.Timestamp(pd.to_datetime(as_of, dayfirst=isinstance(as_of, str) and "/" in as_of))
    except (ValueError, TypeError):
        raise DataError(
            f"la date « {as_of} » n'est pas comprise.", hint="écrivez par exemple '2025-09-30'."
        ) from None
    schedule = conventions.payments.copy()
    recorded = None
    unmatched = pd.DataFrame(columns=["Date", "Financeur", "Montant", "Libellé", "Motif"])
    if ledger is not None:
        entries = Ledger.from_entries(ledger).entries
        receipts = _ledger_receipts(entries, conventions, day)
        table = conventions.table
        first = table[["Date de signature", "Début"]].min(axis=1)
        planned = schedule.groupby("Convention")["Date prévue"].min()
        first = first.fillna(table["Convention"].map(planned))
        starts = first.groupby(table["Financeur"]).min().to_dict()
        conv_start = dict(zip(table["Convention"], first, strict=True))
        # payments received (per the sheet) before the first entry of the books keep the
        # sheet's "reçu"; every other payment is looked for in the books
        books_start = pd.to_datetime(entries["EcritureDate"]).min()
        outside = (schedule["Date prévue"] < books_start) & (schedule["Date reçue"] < books_start)
        inside, unmatched = _allocate(schedule[~outside], receipts, starts, conv_start)
        schedule = pd.concat([_sheet_received(schedule[outside], day), inside]).sort_index()
        recorded = _recorded_by_funder(entries, conventions, day, starts)
    else:
        schedule = _sheet_received(schedule, day)
    received = schedule["Montant reçu"].fillna(0.0)
    due = schedule["Date prévue"] <= day
    full = received >= schedule["Montant prévu"] - 0.005
    status = np.select(
        [full, due, received > 0.004],
        ["reçu", "en retard", "reçu en partie"],
        default="à recevoir",
    )
    schedule["Reçu (€)"] = received
    schedule["Statut"] = status
    schedule["Retard (jours)"] = np.where(
        status == "en retard", (day - schedule["Date prévue"]).dt.days, 0
    ).astype(int)
    schedule = schedule.drop(columns=["Montant reçu"])
    missing = (schedule["Montant prévu"] - schedule["Reçu (€)"]).clip(lower=0)
    late_amount = missing.where(schedule["Statut"] == "en retard", 0.0)

    table = conventions.table.set_index("Convention")
    grouped = schedule.assign(_due=schedule["Montant prévu"].where(due, 0.0), _late=late_amount)
    grouped = grouped.groupby("Convention", sort=False)
    out = pd.DataFrame(
        {
            "Financeur": table["Financeur"],
            "Catégorie": table["Catégorie"],
            "Objet": table["Objet"],
            "Montant accordé": table["Montant accordé"],
            "Échu (€)": grouped["_due"].sum(),
            "Reçu (€)": grouped["Reçu (€)"].sum(),
        }
    )
    out[["Échu (€)", "Reçu (€)"]] = out[["Échu (€)", "Reçu (€)"]].fillna(0.0)
    out["Reste à recevoir (€)"] = (out["Montant accordé"] - out["Reçu (€)"]).clip(lower=0)
    out["En retard (€)"] = grouped["_late"].sum().reindex(out.index).fillna(0.0)
    out["Versements"] = np.select(
        [out["Reste à recevoir (€)"] < 0.005, out["En retard (€)"] > 0.004],
        ["soldée", "en retard"],
        default="à jour",
    )
    out["Compte rendu dû le"] = table["Compte rendu dû le"]
    out = out.reindex(table.index)
    deposited = table["Compte rendu déposé le"]
    deposited = deposited.where(deposited <= day)
    days_left = (out["Compte rendu dû le"] - day).dt.days
    out["Compte rendu"] = np.select(
        [
            deposited.notna().to_numpy(),
            out["Compte rendu dû le"].isna().to_numpy(),
            (days_left < 0).to_numpy(),
            (days_left <= warn_days).to_numpy(),
        ],
        ["déposé", "non demandé", "en retard", "à rendre"],
        default="à venir",
    )
    out.index.name = "Convention"

    by_funder = out.groupby("Financeur", sort=False)[
        ["Montant accordé", "Échu (€)", "Reçu (€)", "Reste à recevoir (€)", "En retard (€)"]
    ].sum()
    if recorded is not None:
        by_funder = by_funder.join(recorded).fillna(0.0)
    by_funder.loc["Total"] = by_funder.sum()
    return ConventionStatus(
        as_of=day, table=out, payments=schedule, by_funder=by_funder, unmatched=unmatched
    )


def _recorded_by_funder(
    entries: pd.DataFrame,
    conventions: Conventions,
    as_of: pd.Timestamp,
    starts: Mapping[str, pd.Timestamp],
) -> pd.DataFrame:
    """Subsidies recorded in 74 by funder, from its first convention's start to ``as_of``."""
    dates = pd.to_datetime(entries["EcritureDate"])
    keep = (dates <= as_of) & entries["CompteNum"].astype(str).str.strip().str.startswith("74")
    e = entries[keep.to_numpy()]
    dates = dates[keep.to_numpy()]
    acc = e["CompteNum"].astype(str).str.strip()
    text = pd.Series("", index=e.index)
    for column in ("CompteLib", "CompAuxNum", "CompAuxLib", "EcritureLib"):
        if column in e.columns:
            text = text + " " + e[column].fillna("").astype(str)
    text = fold_labels(text)
    net = e["Debit"].astype(float) - e["Credit"].astype(float)
    rows = {}
    for funder, convs in conventions.table.groupby("Financeur", sort=False):
        words = [*convs["Libellé comptable"], funder, *convs["Convention"]]
        hit = pd.Series(False, index=e.index)
        for word in filter(None, words):
            hit |= _has(text, r"\b" + re.escape(fold_label(word)) + r"\b")
        for account in filter(None, convs["Compte"]):
            hit |= acc.str.startswith(account)
        start = starts.get(funder)
        if start is not None and pd.notna(start):
            hit &= dates >= start
        rows[funder] = {"Comptabilisé en 74 (€)": float(-net[hit & acc.str.startswith("74")].sum())}
    return pd.DataFrame.from_dict(rows, orient="index")


# --------------------------------------------------------------------------- fonds dédiés

_NO_CODE = "(sans code)"


@dataclass(frozen=True, eq=False)
class DedicatedFunds:
    """Fonds dédiés by project for a year (ANC 2018-06 art. 431-6 table).

    Attributes
    ----------
    year
        The financial year.
    table
        By project (analytic code; ``(sans code)`` when none): ``Au début``, ``Reports (689)``,
        ``Utilisations (789)``, ``À la fin`` (= début + reports − utilisations),
        ``Dormant`` (no use for the last two years while a balance remains), with a Total.
    unspent
        By project with a dedicated subsidy (from the conventions marked ``Fonds dédiés``
        starting that year, else the subsidies of the projects with fonds dédiés movements):
        ``Subvention dédiée``, ``Ressources du projet`` (its produits, 789 included),
        ``Charges (hors 689)``, ``Report comptabilisé (689)`` and ``Part non utilisée estimée``
        = subvention − charges × subvention / ressources (the subsidy is assumed to finance the
        project's charges in proportion to its share of the resources; a [Proposal] rule to
        compare with the report booked, not an accounting norm).
    """

    year: int
    table: pd.DataFrame
    unspent: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def __str__(self) -> str:
        t = self.table.loc["Total"]
        parts = [
            f"Fonds dédiés {self.year} : {format_euro(t['Au début'])} au début, "
            f"{format_euro(t['Reports (689)'])} reportés, {format_euro(t['Utilisations (789)'])}"
            f" utilisés, {format_euro(t['À la fin'])} à la fin de l'exercice."
        ]
        dormant = self.table[self.table["Dormant"] & (self.table.index != "Total")]
        if len(dormant):
            parts.append(
                "Fonds dédiés « dormants » (aucune utilisation depuis deux ans, à signaler dans "
                "l'annexe) : " + ", ".join(dormant.index) + "."
            )
        return "\n".join(parts)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        shown = self.table.copy()
        shown["Dormant"] = shown["Dormant"].map({True: "oui", False: ""})
        text = html.escape(str(self)).replace("\n", "<br>")
        return (
            f"<p>{text}</p>"
            + frame_html(shown, decimals=0, caption="Variation des fonds dédiés par projet")
            + frame_html(self.unspent, decimals=0, caption="Part non utilisée des subventions")
        )


def dedicated_funds(
    ledger: Any, year: int | None = None, conventions: Conventions | None = None
) -> DedicatedFunds:
    """Fonds dédiés by project: opening, reports (689), uses (789), closing; unspent subsidies.

    A line of 19 takes the analytic code of its own line, or else of the 689/789 line of the
    same entry. The balances are followed year by year from the first year of the ledger: the
    opening balance of that first year is the credit balance of 19 in its à-nouveaux (by code
    when they have one); à-nouveaux without a code are attributed to the projects that use
    fonds dédiés during the year without an opening balance of their own, and what remains
    unattributed stays on ``(sans code)``.

    The unspent part is estimated for the dedicated conventions starting that year when
    ``conventions`` are given, else for the projects that have fonds dédiés movements.
    """
    book = Ledger.from_entries(ledger)
    year = book.resolve_year(year)
    all_entries = book.entries
    e = all_entries.copy()
    e["_acc"] = e["CompteNum"].astype(str).str.strip()
    e["_net"] = e["Debit"].astype(float) - e["Credit"].astype(float)
    if "exercice" not in e.columns:
        e["exercice"] = pd.to_datetime(e["EcritureDate"]).dt.year
    code = e.get("analytique", pd.Series("", index=e.index)).fillna("").astype(str)
    key = e["exercice"].astype(str) + "|" + e["EcritureNum"].astype(str)
    if "JournalCode" in e.columns:
        key = key + "|" + e["JournalCode"].astype(str)
    partner = code.where(e["_acc"].str.startswith(("689", "789")) & (code != ""))
    partner_code = partner.groupby(key).transform("first")
    code = code.where(code != "", partner_code).fillna("")
    e["_code"] = code.where(code != "", _NO_CODE)
    journal = e.get("JournalCode", pd.Series("", index=e.index)).fillna("").astype(str)
    label = e.get("EcritureLib", pd.Series("", index=e.index)).fillna("").astype(str)
    opening_flag = fold_labels(journal).isin({"an", "ran", "ano"}) | fold_labels(label).str.match(
        r"^(report )?a nouveaux?\b"
    )
    funds = e[e["_acc"].str.startswith("19")]
    ledger_years = sorted(int(y) for y in funds["exercice"].unique() if y <= year) or [year]
    closing = pd.Series(dtype=float)
    openings: dict[int, pd.Series] = {}
    used_codes: list[str] = []
    for current in ledger_years:
        this = funds[funds["exercice"] == current]
        is_an = opening_flag[this.index]
        an_total = -float(this.loc[is_an, "_net"].sum())
        if current == ledger_years[0]:
            opening = -this[is_an].groupby("_code")["_net"].sum()
            if not is_an.any():  # no à-nouveaux: balances of the earlier years
                opening = -funds[funds["exercice"] < current].groupby("_code")["_net"].sum()
        else:
            opening = closing.copy()
            if is_an.any() and abs(an_total - opening.sum()) > 0.005:
                opening[_NO_CODE] = opening.get(_NO_CODE, 0.0) + an_total - opening.sum()
        moves = this[~is_an.to_numpy()]
        reports = moves.groupby("_code")["Credit"].sum()
        uses = moves.groupby("_code")["Debit"].sum()
        if current >= year - 1:
            used_codes.extend(uses[uses > 0.004].index)
        # the à-nouveaux of 19 usually carry no analytic code: give that pool to the projects
        # that use fonds dédiés without an opening balance of their own
        for project, used in uses.items():
            pool = opening.get(_NO_CODE, 0.0)
            short = used - opening.get(project, 0.0)
            if project != _NO_CODE and pool > 0.004 and short > 0.004:
                take = min(pool, short)
                opening[project] = opening.get(project, 0.0) + take
                opening[_NO_CODE] = pool - take
        table = pd.DataFrame(
            {"Au début": opening, "Reports (689)": reports, "Utilisations (789)": uses}
        )
        table = table.fillna(0.0).astype(float)
        table["À la fin"] = table["Au début"] + table["Reports (689)"] - table["Utilisations (789)"]
        closing = table["À la fin"]
        openings[current] = table["Au début"]
    table = table[(table.abs() > 0.004).any(axis=1)]
    # dormant: a balance already there at the start of the previous year, and no use since
    before = openings.get(year - 1)
    table["Dormant"] = [
        before is not None
        and row["À la fin"] > 0.004
        and before.get(p, 0.0) > 0.004
        and p not in set(used_codes)
        for p, row in table.iterrows()
    ]
    table = table.sort_index()
    total = table.drop(columns="Dormant").sum()
    table.loc["Total"] = [*total.tolist(), False]
    table["Dormant"] = table["Dormant"].astype(bool)
    table.index.name = "Projet"

    # unspent part of the dedicated subsidies, by project
    y = e[(e["exercice"] == year) & ~opening_flag]
    y = y[y["_code"] != _NO_CODE]
    produits = y[y["_acc"].str.startswith("7") & ~y["_acc"].str.startswith("789")]
    resources = -produits.groupby("_code")["_net"].sum()
    resources = resources.add(
        -y[y["_acc"].str.startswith("789")].groupby("_code")["_net"].sum(), fill_value=0.0
    )
    charges = y[y["_acc"].str.startswith("6") & ~y["_acc"].str.startswith("689")]
    spent = charges.groupby("_code")["_net"].sum()
    booked = y[y["_acc"].str.startswith("689")].groupby("_code")["_net"].sum()
    if conventions is not None:
        t = conventions.table
        start = t["Début"].fillna(t["Date de signature"])
        mask = t["Fonds dédiés"] & (start.dt.year == year) & (t["Projet"] != "")
        dedicated = t[mask].groupby("Projet")["Montant accordé"].sum()
    else:
        dedicated = -produits[produits["_acc"].str.startswith("74")].groupby("_code")["_net"].sum()
        dedicated = dedicated[dedicated.index.isin(set(table.index))]
    unspent = pd.DataFrame(
        {
            "Subvention dédiée": dedicated,
            "Ressources du projet": resources.reindex(dedicated.index),
            "Charges (hors 689)": spent.reindex(dedicated.index),
            "Report comptabilisé (689)": booked.reindex(dedicated.index),
        }
    ).fillna(0.0)
    # the subsidy finances the project's charges in proportion to its share of the resources
    share = (unspent["Subvention dédiée"] / unspent["Ressources du projet"]).where(
        unspent["Ressources du projet"] > 0, 1.0
    )
    used = (unspent["Charges (hors 689)"] * share.clip(upper=1)).clip(
        upper=unspent["Subvention dédiée"]
    )
    unspent["Part non utilisée estimée"] = (unspent["Subvention dédiée"] - used).clip(lower=0)
    unspent.index.name = "Projet"
    return DedicatedFunds(year=int(year), table=table, unspent=unspent.sort_index())
