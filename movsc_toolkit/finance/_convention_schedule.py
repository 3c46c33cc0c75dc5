"""The payment schedule of the funders' conventions: read, built and checked.

The internal API of :func:`movsc_toolkit.finance.read_conventions`:

* :func:`parse_schedule_text` — an ``Échéancier`` cell (``"15/03/2025 : 50 % ; 30/06/2026 :
  solde"``) as dated amounts;
* :func:`payment_schedule` — the schedule from a payments table, the workbook's
  ``Versements`` sheet or the ``Échéancier`` column;
* :func:`check_schedule` — the conventions whose schedule or receipts do not add up to the
  amount granted, recorded in the problems table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from os import PathLike

import numpy as np
import pandas as pd

from .._errors import ColumnError, DataError
from .._format import format_euro, format_number
from .._parse import to_date
from .._problems import ProblemLog
from ._amounts import to_amount
from ._cells import amount_column, date_column, rename_columns
from .cerfa import fold_label

__all__ = [
    "CONVENTION_ID_ALIASES",
    "PAYMENT_COLUMNS",
    "Formulas",
    "check_schedule",
    "parse_schedule_text",
    "payment_schedule",
]

#: Formula cells saved without their value: ``{(file line, column header): (formula, value)}``.
Formulas = dict[tuple[int, str], tuple[str, float | None]]
#: Accepted spellings (folded) of the convention identifier column.
CONVENTION_ID_ALIASES = ("convention", "id", "reference", "ref", "numero", "n convention", "code")
#: Canonical column of the payments table -> accepted spellings (folded).
PAYMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "Convention": CONVENTION_ID_ALIASES,
    "Date prévue": ("date prevue", "echeance", "date"),
    "Montant prévu": ("montant prevu", "montant"),
    "Date reçue": ("date recue", "date de reception", "recu le", "date de versement"),
    "Montant reçu": ("montant recu", "recu", "montant verse"),
}

_SCHEDULE_ITEM = re.compile(
    r"^\s*(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s*[:=]\s*(?P<value>.+?)\s*$"
)


def parse_schedule_text(
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


def payment_schedule(
    table: pd.DataFrame,
    payments: str | PathLike[str] | pd.DataFrame | None,
    sheet_payments: pd.DataFrame | None,
    pay_formulas: Formulas,
    conv_lines: Mapping[str, int],
    log: ProblemLog,
) -> pd.DataFrame:
    """The payment schedule: the ``payments`` table, else the ``Versements`` sheet, else the
    ``Échéancier`` column of each convention (one payment at signature when empty)."""
    from .._io import read_table

    if payments is not None:
        sched_data = payments if isinstance(payments, pd.DataFrame) else read_table(payments)
    else:
        sched_data = sheet_payments
    if sched_data is not None:
        sched = rename_columns(sched_data, PAYMENT_COLUMNS)
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
        if pay_formulas and sheet_payments is not None and sched_data is sheet_payments:
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
        rows: list[tuple[str, pd.Timestamp, float]] = []
        for _, conv in table.iterrows():
            if conv["Échéancier"]:
                items, percent = parse_schedule_text(
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
    return schedule


def check_schedule(
    table: pd.DataFrame, schedule: pd.DataFrame, conv_lines: Mapping[str, int], log: ProblemLog
) -> None:
    """Record the conventions whose schedule or receipts do not add up to the amount granted."""
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
