"""Validation of the project's sheets, except the values.

Each ``clean_*`` function reads one sheet with the cell parsers of :mod:`._cells`, excludes the
rows that cannot be used (severity ``erreur``) and keeps the doubtful ones (``alerte``), listing
both in a :class:`Problems` collector; :func:`movsc_toolkit.kpi.build_project` calls them in
order. The ``valeurs`` sheet has its own module, :mod:`._values`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ColumnError, ValidationError, closest
from .._problems import ProblemTable
from ._cells import cell_dates, cell_enum, cell_numbers, cell_text, row_lines, standard_columns
from .schema import (
    AGREGATIONS,
    DEFAULT_SEUILS,
    DEFAULTS,
    MESURES,
    NIVEAUX,
    PERIODICITES,
    PROBLEM_COLUMNS,
    SCHEMA,
    SENS,
    SHEET_ORDER,
    TYPES_RESULTAT,
)

__all__ = [
    "Problems",
    "clean_budget",
    "clean_indicators",
    "clean_logframe",
    "clean_milestones",
    "prepare_frame",
    "require_columns",
]


class Problems:
    """Collects the problems found while validating, in a vectorised way, in the shared
    schema (:mod:`movsc_toolkit._problems`)."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        mask: pd.Series | np.ndarray,
        severity: str,
        sheet: str,
        lines: pd.Series,
        codes: pd.Series | None,
        messages: pd.Series | str | Callable[[], pd.Series],
    ) -> None:
        """Add the rows of ``mask``; ``messages`` may be a function, called only when a row
        is concerned (building a column of messages costs time on large sheets)."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if callable(messages):
            messages = messages()
        if severity not in ("erreur", "alerte"):
            raise ValueError(f"gravité inconnue : {severity}")
        idx = np.flatnonzero(mask)
        msg = (
            pd.Series([messages] * len(idx))
            if isinstance(messages, str)
            else pd.Series(np.asarray(messages, dtype=object)[idx])
        )
        self.parts.append(
            pd.DataFrame(
                {
                    "feuille": sheet,
                    "élément": (
                        [None] * len(idx) if codes is None else np.asarray(codes, dtype=object)[idx]
                    ),
                    "ligne": pd.array(np.asarray(lines, dtype=object)[idx], dtype="Int64"),
                    "colonne": None,
                    "valeur": None,
                    "gravité": severity,
                    "message": msg.to_numpy(dtype=object),
                }
            )
        )

    def reporter(
        self, sheet: str, lines: pd.Series, codes: pd.Series | None, prefix: str
    ) -> Callable[[pd.Series, pd.Series], None]:
        """A ``report(mask, messages)`` callback adding alerts whose messages start with
        ``prefix`` (for the ambiguous numbers of :func:`~._cells.cell_numbers`)."""

        def report(mask: pd.Series, messages: pd.Series) -> None:
            self.add(mask, "alerte", sheet, lines, codes, prefix + messages)

        return report

    def frame(self) -> ProblemTable:
        if not self.parts:
            out = pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS})
            out["ligne"] = out["ligne"].astype("Int64")
            return ProblemTable(out)
        out = pd.concat(self.parts, ignore_index=True)
        out["_o"] = out["feuille"].map(SHEET_ORDER)
        out = out.sort_values(["_o", "ligne"], kind="stable", na_position="last")
        out = out.drop(columns="_o").reset_index(drop=True)
        return ProblemTable(out[PROBLEM_COLUMNS])


def prepare_frame(data: Any, sheet: str) -> pd.DataFrame | None:
    if data is None:
        return None
    if not isinstance(data, pd.DataFrame):
        raise ValidationError(
            f"la feuille « {sheet} » doit être un tableau (DataFrame), pas {type(data).__name__}.",
            hint="lisez le classeur avec read_project(chemin).",
        )
    return standard_columns(data, sheet)


def require_columns(df: pd.DataFrame, sheet: str, columns: list[str], path: str | None) -> None:
    for col in columns:
        if col not in df.columns:
            near = closest(col, [str(c) for c in df.columns])
            hint = (
                f"renommez la colonne « {near[0]} » en « {col} »."
                if near
                else f"ajoutez une colonne « {col} » à la feuille « {sheet} » (voir la feuille "
                "« lisez-moi » du modèle : kpi.template(chemin))."
            )
            raise ColumnError(
                f"la feuille « {sheet} » n'a pas de colonne « {col} », indispensable.",
                path=path,
                hint=hint,
            )


def clean_logframe(raw: pd.DataFrame | None, probs: Problems, path: str | None) -> pd.DataFrame:
    cols = [c for c, _, _ in SCHEMA["cadre_logique"]]
    if raw is None or raw.empty:
        return pd.DataFrame(columns=[*cols, "ligne"])
    require_columns(raw, "cadre_logique", ["niveau_id"], path)
    n = len(raw)
    lines = row_lines(raw)
    out = pd.DataFrame({c: cell_text(raw.get(c), n) for c in cols})
    out["ligne"] = lines
    lvl, bad = cell_enum(out["niveau"], NIVEAUX)
    probs.add(
        bad,
        "alerte",
        "cadre_logique",
        lines,
        None,
        "le niveau « " + out["niveau"].astype(str) + " » est inconnu (valeurs possibles : "
        "objectif_global, objectif_specifique, resultat, activite).",
    )
    out["niveau"] = lvl
    missing = out["niveau_id"].isna()
    probs.add(
        missing,
        "erreur",
        "cadre_logique",
        lines,
        None,
        "niveau_id manquant : la ligne est ignorée.",
    )
    dup = out["niveau_id"].duplicated() & ~missing
    probs.add(
        dup,
        "erreur",
        "cadre_logique",
        lines,
        None,
        "le niveau_id « " + out["niveau_id"].astype(str) + " » est en double : seule sa "
        "première ligne est gardée.",
    )
    out = out[~missing & ~dup].reset_index(drop=True)
    orphan = out["parent_id"].notna() & ~out["parent_id"].isin(out["niveau_id"])
    probs.add(
        orphan,
        "alerte",
        "cadre_logique",
        out["ligne"],
        None,
        "le parent_id « " + out["parent_id"].astype(str) + " » n'existe pas dans niveau_id.",
    )
    return out


def _parse_thresholds(text: str | None) -> tuple[float, float] | None:
    if not isinstance(text, str):
        return DEFAULT_SEUILS
    parts = [p for p in str(text).replace(",", ".").replace("/", ";").split(";") if p.strip()]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return None
    if len(values) != 2 or not 0 <= values[0] <= values[1]:
        return None
    return values[0], values[1]


def clean_indicators(
    raw: pd.DataFrame, logframe: pd.DataFrame, probs: Problems, path: str | None
) -> pd.DataFrame:
    require_columns(raw, "indicateurs", ["code", "libelle"], path)
    cols = [c for c, _, _ in SCHEMA["indicateurs"]]
    n = len(raw)
    lines = row_lines(raw)
    out = pd.DataFrame({c: cell_text(raw.get(c), n) for c in cols if c != "facteur"})
    out["ligne"] = lines
    code = out["code"]
    missing = code.isna()
    probs.add(
        missing, "erreur", "indicateurs", lines, None, "code manquant : l'indicateur est ignoré."
    )
    dup = code.duplicated() & ~missing
    probs.add(
        dup,
        "erreur",
        "indicateurs",
        lines,
        code,
        lambda: (
            "le code « " + code.astype(str) + " » est en double : seule sa première ligne est "
            "gardée."
        ),
    )
    nolabel = out["libelle"].isna() & ~missing
    probs.add(
        nolabel,
        "alerte",
        "indicateurs",
        lines,
        code,
        lambda: "indicateur « " + code.astype(str) + " » sans libellé : le code sert de libellé.",
    )
    out["libelle"] = out["libelle"].fillna(code)

    def unknown_value(col: str, allowed: tuple[str, ...], then: str) -> pd.Series:
        return (
            "indicateur « "
            + code.astype(str)
            + " » : la valeur « "
            + out[col].astype(str)
            + f" » de la colonne {col} est inconnue (valeurs possibles : "
            f"{', '.join(allowed)}){then}"
        )

    for col, allowed in (
        ("type_resultat", TYPES_RESULTAT),
        ("mesure", MESURES),
        ("sens", SENS),
        ("agregation", AGREGATIONS),
        ("periodicite", PERIODICITES),
    ):
        mapped, bad = cell_enum(out[col], allowed)
        default = DEFAULTS.get(col)
        then = f" ; la valeur par défaut « {default} » est utilisée." if default else "."
        probs.add(
            bad,
            "alerte",
            "indicateurs",
            lines,
            code,
            functools.partial(unknown_value, col, allowed, then),
        )
        out[col] = mapped.fillna(default) if default else mapped
    facteur, bad = cell_numbers(
        raw.get("facteur"),
        n,
        report=probs.reporter("indicateurs", lines, code, "facteur "),
    )
    bad = bad | (facteur <= 0)
    probs.add(
        bad,
        "alerte",
        "indicateurs",
        lines,
        code,
        lambda: "indicateur « " + code.astype(str) + " » : facteur invalide ; 1 est utilisé.",
    )
    out["facteur"] = facteur.mask(bad).fillna(1.0)
    additive_pct = out["mesure"].isin(["pourcentage", "ratio"]) & (out["agregation"] == "somme")
    probs.add(
        additive_pct,
        "alerte",
        "indicateurs",
        lines,
        code,
        lambda: (
            "indicateur « " + code.astype(str) + " » : additionner des pourcentages ou des "
            "ratios n'a pas de sens ; choisissez l'agrégation ratio, moyenne ou dernier."
        ),
    )
    thresholds = out["seuils"].map(_parse_thresholds)
    badthr = thresholds.isna()
    probs.add(
        badthr,
        "alerte",
        "indicateurs",
        lines,
        code,
        lambda: (
            "indicateur « "
            + code.astype(str)
            + " » : seuils « "
            + out["seuils"].astype(str)
            + " » "
            "illisibles (attendu : deux nombres croissants, ex. « 10;25 ») ; 10;25 sont utilisés."
        ),
    )
    thresholds = thresholds.map(lambda t: t if isinstance(t, tuple) else DEFAULT_SEUILS)
    out["seuil_surveiller"] = thresholds.map(lambda t: t[0]).astype(float)
    out["seuil_retard"] = thresholds.map(lambda t: t[1]).astype(float)
    if len(logframe):
        orphan = out["niveau_id"].notna() & ~out["niveau_id"].isin(logframe["niveau_id"])
        probs.add(
            orphan,
            "alerte",
            "indicateurs",
            lines,
            code,
            "indicateur « "
            + code.astype(str)
            + " » : le niveau_id « "
            + out["niveau_id"].astype(str)
            + " » n'existe pas dans le cadre logique.",
        )
    out = out[~missing & ~dup].reset_index(drop=True)
    out.index = pd.Index(out["code"], name="code")
    return out


def clean_milestones(raw: pd.DataFrame | None, probs: Problems, path: str | None) -> pd.DataFrame:
    cols = [c for c, _, _ in SCHEMA["jalons"]]
    if raw is None or raw.empty:
        out = pd.DataFrame(columns=[*cols, "ligne"])
        for c in ("date_debut", "date_prevue", "date_reelle"):
            out[c] = out[c].astype("datetime64[ns]")
        return out
    require_columns(raw, "jalons", ["code", "date_prevue"], path)
    n = len(raw)
    lines = row_lines(raw)
    out = pd.DataFrame({c: cell_text(raw.get(c), n) for c in ("code", "libelle", "responsable")})
    out["ligne"] = lines
    drop = pd.Series(False, index=out.index)
    for c in ("date_debut", "date_prevue", "date_reelle"):
        values, bad = cell_dates(raw.get(c), n)
        probs.add(
            bad,
            "erreur" if c == "date_prevue" else "alerte",
            "jalons",
            lines,
            None,
            "jalon « "
            + out["code"].astype(str)
            + f" » : {c} « "
            + cell_text(raw.get(c), n).astype(str)
            + " » n'est pas une date (JJ/MM/AAAA)"
            + (" : le jalon est ignoré." if c == "date_prevue" else " : elle est ignorée."),
        )
        if c == "date_prevue":
            drop |= bad
        out[c] = values.mask(bad)
    missing = out["date_prevue"].isna() & ~drop
    probs.add(
        missing,
        "erreur",
        "jalons",
        lines,
        None,
        "jalon « " + out["code"].astype(str) + " » sans date prévue : il est ignoré.",
    )
    drop |= missing
    nocode = out["code"].isna() & ~drop
    probs.add(
        nocode,
        "alerte",
        "jalons",
        lines,
        None,
        "jalon sans code : J + numéro de ligne est utilisé.",
    )
    out["code"] = out["code"].fillna("J" + lines.astype(str))
    out["libelle"] = out["libelle"].fillna(out["code"])
    start_after = out["date_debut"].notna() & (out["date_debut"] > out["date_prevue"])
    probs.add(
        start_after & ~drop,
        "alerte",
        "jalons",
        lines,
        None,
        "jalon « " + out["code"].astype(str) + " » : date_debut après date_prevue.",
    )
    dup = out["code"].duplicated() & ~drop
    probs.add(
        dup,
        "alerte",
        "jalons",
        lines,
        None,
        "jalon « " + out["code"].astype(str) + " » : code en double.",
    )
    return out[~drop][[*cols, "ligne"]].reset_index(drop=True)


def clean_budget(raw: pd.DataFrame | None, probs: Problems) -> pd.DataFrame:
    cols = [c for c, _, _ in SCHEMA["budget"]]
    if raw is None or raw.empty:
        return pd.DataFrame(columns=[*cols, "ligne"])
    n = len(raw)
    lines = row_lines(raw)
    out = pd.DataFrame({c: cell_text(raw.get(c), n) for c in ("poste", "niveau_id", "financeur")})
    for c in ("montant_prevu", "montant_realise"):
        values, bad = cell_numbers(
            raw.get(c), n, report=probs.reporter("budget", lines, None, f"{c} ")
        )
        probs.add(
            bad,
            "alerte",
            "budget",
            lines,
            None,
            f"{c} n'est pas un montant : la case est ignorée.",
        )
        out[c] = values
    out["ligne"] = lines
    return out[[*cols, "ligne"]]
