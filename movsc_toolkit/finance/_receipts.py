"""Subsidy receipts of the ledger matched to the funders' conventions.

The internal API of :func:`movsc_toolkit.finance.conventions_status`:

* :func:`ledger_receipts` — the subsidy payments found in the books up to a date, each with its
  funder (and its convention when the label names it);
* :func:`allocate` — each funder's receipts allocated to its planned payments, oldest first;
* :func:`recorded_by_funder` — the subsidies recorded in 74 by funder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from .cerfa import fold_label, fold_labels

if TYPE_CHECKING:
    from .conventions import Conventions

__all__ = ["OLDER", "allocate", "has_match", "ledger_receipts", "recorded_by_funder"]


def has_match(text: pd.Series, pattern: str) -> pd.Series:
    """Whether each text matches ``pattern``, searched once per distinct text."""
    regex = re.compile(pattern)
    found = {value: bool(regex.search(value)) for value in text.unique()}
    return text.map(found).astype(bool)


def ledger_receipts(
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
            hit = has_match(text, pattern)
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


def allocate(
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


def recorded_by_funder(
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
            hit |= has_match(text, r"\b" + re.escape(fold_label(word)) + r"\b")
        for account in filter(None, convs["Compte"]):
            hit |= acc.str.startswith(account)
        start = starts.get(funder)
        if start is not None and pd.notna(start):
            hit &= dates >= start
        rows[funder] = {"Comptabilisé en 74 (€)": float(-net[hit & acc.str.startswith("74")].sum())}
    return pd.DataFrame.from_dict(rows, orient="index")
