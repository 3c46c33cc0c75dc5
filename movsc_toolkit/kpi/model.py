"""The project workbook: schema, normalisation and validation of a :class:`Project`.

A project is described by four tidy tables (``teaching_and_kpi.md`` §4.4, after DHIS2's
indicator model, the IATI results standard and the French *cadre logique*):

``cadre_logique``
    one row per level of the intervention logic (objectif global → activités);
``indicateurs``
    one row per indicator (definition, aggregation, direction, factor…);
``valeurs``
    long format, one row per indicator × kind (référence, cible, réalisé) × period ×
    disaggregation;
``jalons``
    the milestones of the action plan;

plus an optional ``budget`` sheet. Only ``indicateurs`` and ``valeurs`` are required, and in
them only ``code``, ``libelle`` and the columns a computation needs. Every check of
``teaching_and_kpi.md`` §4.6 is run by :func:`build_project`: a row that cannot be used is
excluded and listed in ``project.problems`` (severity ``erreur``); a doubtful row is kept and
listed (severity ``alerte``). ``strict=True`` raises :class:`ValidationError` instead.
``project.problems`` is the toolkit's shared problems table (``feuille``, ``élément`` = the
indicator, ``ligne``, ``colonne``, ``valeur``, ``gravité``, ``message``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ColumnError, ValidationError, closest
from .._format import frame_html
from .._parse import fold, is_blank, to_date, to_number
from .._problems import ProblemTable

__all__ = [
    "AGREGATIONS",
    "DEFAULT_SEUILS",
    "MESURES",
    "NIVEAUX",
    "PERIODICITES",
    "SCHEMA",
    "SENS",
    "STATUTS",
    "TYPES_RESULTAT",
    "TYPES_VALEUR",
    "Project",
    "build_project",
]

NIVEAUX = ("objectif_global", "objectif_specifique", "resultat", "activite")
TYPES_RESULTAT = ("realisation", "resultat", "impact")
MESURES = ("nombre", "pourcentage", "ratio", "qualitatif")
SENS = ("hausse", "baisse")
AGREGATIONS = ("somme", "moyenne", "dernier", "cumul", "ratio")
PERIODICITES = ("mensuelle", "trimestrielle", "semestrielle", "annuelle", "ponctuelle")
TYPES_VALEUR = ("reference", "cible", "realise")
STATUTS = ("atteint", "en bonne voie", "à surveiller", "en retard", "sans cible", "non mesuré")
#: Default status thresholds, in percentage points behind the linear trajectory.
DEFAULT_SEUILS = (10.0, 25.0)

PROBLEM_COLUMNS = ["feuille", "élément", "ligne", "colonne", "valeur", "gravité", "message"]

#: Every sheet and column of the workbook, with its French documentation (used by the
#: template's ``lisez-moi`` sheet). ``True`` marks what a computation cannot do without.
SCHEMA: dict[str, list[tuple[str, bool, str]]] = {
    "cadre_logique": [
        ("niveau_id", True, "Identifiant du niveau (ex. OG, OS1, R1, A1.1), unique."),
        ("parent_id", False, "Niveau parent (vide pour l'objectif global)."),
        ("niveau", False, "objectif_global, objectif_specifique, resultat ou activite."),
        ("libelle", False, "Énoncé de l'objectif, du résultat ou de l'activité."),
        ("hypotheses", False, "Hypothèses et risques dont dépend ce niveau."),
    ],
    "indicateurs": [
        ("code", True, "Code unique de l'indicateur (ex. FREQ), repris dans « valeurs »."),
        ("libelle", True, "Intitulé de l'indicateur."),
        ("libelle_court", False, "Intitulé court (25 caractères au plus) pour les graphiques."),
        ("definition", False, "Ce qui est mesuré et comment."),
        ("niveau_id", False, "Niveau du cadre logique que l'indicateur renseigne."),
        ("type_resultat", False, "realisation, resultat ou impact."),
        ("mesure", False, "nombre, pourcentage, ratio ou qualitatif (défaut : nombre)."),
        ("sens", False, "hausse (plus c'est haut, mieux c'est) ou baisse (défaut : hausse)."),
        (
            "agregation",
            False,
            "Comment cumuler les valeurs réalisées : somme (sur la période de la cible), "
            "moyenne, dernier (dernière valeur connue), cumul (total depuis le début du "
            "projet) ou ratio (Σ numérateurs / Σ dénominateurs × facteur). Défaut : somme.",
        ),
        ("periodicite", False, "mensuelle, trimestrielle, semestrielle, annuelle ou ponctuelle."),
        ("unite", False, "Unité (personnes, ateliers, %, €, jours…)."),
        ("numerateur", False, "Définition du numérateur (indicateurs ratio ou pourcentage)."),
        ("denominateur", False, "Définition du dénominateur (vide pour un comptage)."),
        ("facteur", False, "100 pour un pourcentage, 1000 pour un ‰, 1 sinon (défaut : 1)."),
        ("desagregations", False, "Dimensions de désagrégation, séparées par « ; » (ex. sexe)."),
        ("source_verification", False, "Document, base ou enquête où la valeur se vérifie."),
        ("responsable", False, "Fonction (pas le nom d'une personne) chargée de la collecte."),
        (
            "seuils",
            False,
            "Seuils du statut en points de retard sur la trajectoire : « 10;25 » par défaut.",
        ),
    ],
    "valeurs": [
        ("code", True, "Code de l'indicateur (présent dans « indicateurs »)."),
        ("type_valeur", True, "reference, cible ou realise."),
        ("periode_debut", True, "Premier jour de la période (JJ/MM/AAAA)."),
        ("periode_fin", True, "Dernier jour de la période (JJ/MM/AAAA)."),
        ("dimension_nom", False, "Dimension de désagrégation (ex. sexe) ; vide = total."),
        ("dimension_valeur", False, "Modalité (ex. femme) ; vide = total."),
        ("numerateur_valeur", False, "Numérateur collecté (indicateurs ratio ou pourcentage)."),
        ("denominateur_valeur", False, "Dénominateur collecté (strictement positif)."),
        (
            "valeur",
            False,
            "Valeur saisie (comptages), ou calculée = facteur × numérateur / dénominateur.",
        ),
        ("commentaire", False, "Obligatoire pour un indicateur qualitatif."),
        ("source", False, "D'où vient la valeur."),
        ("date_saisie", False, "Date de saisie."),
    ],
    "jalons": [
        ("code", True, "Code du jalon (ex. J1)."),
        ("libelle", True, "Intitulé du jalon."),
        ("date_debut", False, "Début des travaux menant au jalon (pour le diagramme de Gantt)."),
        ("date_prevue", True, "Date prévue (JJ/MM/AAAA)."),
        ("date_reelle", False, "Date réelle, vide tant que le jalon n'est pas franchi."),
        ("responsable", False, "Fonction responsable du jalon."),
    ],
    "budget": [
        ("poste", True, "Ligne budgétaire."),
        ("niveau_id", False, "Activité ou résultat du cadre logique financé."),
        ("financeur", False, "Financeur principal de la ligne."),
        ("montant_prevu", False, "Montant prévu (€)."),
        ("montant_realise", False, "Montant dépensé à la date de mise à jour (€)."),
    ],
}

_ENUMS = {
    ("cadre_logique", "niveau"): NIVEAUX,
    ("indicateurs", "type_resultat"): TYPES_RESULTAT,
    ("indicateurs", "mesure"): MESURES,
    ("indicateurs", "sens"): SENS,
    ("indicateurs", "agregation"): AGREGATIONS,
    ("indicateurs", "periodicite"): PERIODICITES,
    ("valeurs", "type_valeur"): TYPES_VALEUR,
}
_DEFAULTS = {"mesure": "nombre", "sens": "hausse", "agregation": "somme"}
_ALIASES = {
    "realisee": "realise",
    "realises": "realise",
    "valeur_cible": "cible",
    "baseline": "reference",
    "objectif": "cible",
    "resultats": "resultat",
    "activites": "activite",
    "total": "somme",
    "moyen": "moyenne",
    "derniere": "dernier",
    "cumule": "cumul",
    "cumulee": "cumul",
    "taux": "pourcentage",
    "qualitative": "qualitatif",
    "nb": "nombre",
}


# --------------------------------------------------------------------------- helpers


def _key(value: object) -> str:
    """Normalise a label: the shared folding (no accents, lower case), other characters as
    ``_``."""
    out = "".join(ch if ch.isalnum() else "_" for ch in fold(value))
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def _text(series: pd.Series | None, n: int) -> pd.Series:
    """Cells as stripped strings (whole floats without ``.0``), missing as ``None``.

    Missing follows the shared rule (:func:`movsc_toolkit._parse.is_blank`): empty or only
    spaces; ``NA`` or ``None`` typed in a cell are text.
    """
    if series is None:
        return pd.Series([None] * n, dtype=object)

    def conv(v: Any) -> Any:
        if is_blank(v):
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, pd.Timestamp):
            v = v.strftime("%d/%m/%Y")
        return str(v).strip()

    values = series.reset_index(drop=True).astype(object)
    uniques = {v: conv(v) for v in pd.unique(values.dropna())}
    return values.map(lambda v: uniques.get(v) if v is not None and v == v else None).astype(object)


def _numbers(
    series: pd.Series | None,
    n: int,
    *,
    report: Callable[[pd.Series, pd.Series], None] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Cells as floats with the shared parser (``1 234,5``, ``1.234,56``, ``12,5 %``…);
    return the values and the mask of the cells that are not numbers.

    ``report(mask, message)`` receives the cells such as ``1.250`` that the column leaves
    ambiguous (thousands dot or decimal point?), read as decimals, to be listed as alerts.
    """
    if series is None:
        return pd.Series(np.nan, index=range(n)), pd.Series(False, index=range(n))
    s = series.reset_index(drop=True)
    if pd.api.types.is_bool_dtype(s):
        s = s.astype(object)
    result = to_number(s)
    if report is not None and result.ambiguous.any():
        text = _text(s, n).astype(str)
        report(
            result.ambiguous,
            "« "
            + text
            + " » est ambigu (point des milliers ou point décimal ?) : lu "
            + result.values.map(lambda v: f"{v:g}".replace(".", ",")).astype(str)
            + " ; écrivez 1250 ou 1,25 pour lever le doute.",
        )
    return result.values.astype("float64"), result.bad


def _dates(series: pd.Series | None, n: int) -> tuple[pd.Series, pd.Series]:
    """Cells as timestamps with the shared parser (JJ/MM/AAAA, AAAA-MM-JJ, Excel serial
    numbers); return the values and the mask of the cells that are not dates (years out of
    range included)."""
    if series is None:
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]"), pd.Series(
            False, index=range(n)
        )
    s = series.reset_index(drop=True)
    result = to_date(s, excel_serial=True)
    bad = result.bad | result.out_of_range
    return result.values.astype("datetime64[ns]"), bad


def _enum(series: pd.Series, allowed: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
    """Map labels to their canonical value (accents, case, spaces ignored); return bad mask."""
    canon = {_key(a): a for a in allowed}

    def conv(v: str | None) -> str | None:
        if not isinstance(v, str):
            return None
        k = _key(v)
        k = _ALIASES.get(k, k)
        return canon.get(k)

    mapping = {v: conv(v) for v in pd.unique(series.dropna())}
    out = series.map(lambda v: mapping.get(v) if isinstance(v, str) else None).astype(object)
    bad = series.notna() & out.isna()
    return out, bad


def _format_date(ts: Any) -> str:
    return "?" if pd.isna(ts) else pd.Timestamp(ts).strftime("%d/%m/%Y")


def _standard_columns(df: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Rename the columns of a user's sheet to the schema's names (accents/case ignored)."""
    known = {_key(c): c for c, _, _ in SCHEMA[sheet]}
    known["ligne"] = "ligne"
    renamed = {}
    for col in df.columns:
        k = _key(col)
        if k in known and known[k] not in renamed.values():
            renamed[col] = known[k]
    out = df.rename(columns=renamed)
    out.attrs = dict(df.attrs)
    return out


class _Problems:
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
        messages: pd.Series | str,
    ) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
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

    def frame(self) -> ProblemTable:
        if not self.parts:
            out = pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS})
            out["ligne"] = out["ligne"].astype("Int64")
            return ProblemTable(out)
        out = pd.concat(self.parts, ignore_index=True)
        order = {"indicateurs": 0, "cadre_logique": 1, "valeurs": 2, "jalons": 3, "budget": 4}
        out["_o"] = out["feuille"].map(order)
        out = out.sort_values(["_o", "ligne"], kind="stable", na_position="last")
        out = out.drop(columns="_o").reset_index(drop=True)
        return ProblemTable(out[PROBLEM_COLUMNS])


def _lines(df: pd.DataFrame) -> pd.Series:
    if "ligne" in df.columns:
        return pd.to_numeric(df["ligne"].reset_index(drop=True), errors="coerce").astype("Int64")
    lines = df.attrs.get("lines")
    if lines is not None and len(lines) == len(df):
        return pd.Series(lines, dtype="Int64")
    return pd.Series(np.arange(2, len(df) + 2), dtype="Int64")


def _fmt(x: float) -> str:
    from .._format import format_number

    return format_number(x, 0 if float(x).is_integer() else 2)


# --------------------------------------------------------------------------- sheets


def _prepare_frame(data: Any, sheet: str) -> pd.DataFrame | None:
    if data is None:
        return None
    if not isinstance(data, pd.DataFrame):
        raise ValidationError(
            f"la feuille « {sheet} » doit être un tableau (DataFrame), pas {type(data).__name__}.",
            hint="lisez le classeur avec read_project(chemin).",
        )
    return _standard_columns(data, sheet)


def _require(df: pd.DataFrame, sheet: str, columns: list[str], path: str | None) -> None:
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


def _clean_logframe(raw: pd.DataFrame | None, probs: _Problems, path: str | None) -> pd.DataFrame:
    cols = [c for c, _, _ in SCHEMA["cadre_logique"]]
    if raw is None or raw.empty:
        return pd.DataFrame(columns=[*cols, "ligne"])
    _require(raw, "cadre_logique", ["niveau_id"], path)
    n = len(raw)
    lines = _lines(raw)
    out = pd.DataFrame({c: _text(raw.get(c), n) for c in cols})
    out["ligne"] = lines
    lvl, bad = _enum(out["niveau"], NIVEAUX)
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


def _clean_indicators(
    raw: pd.DataFrame, logframe: pd.DataFrame, probs: _Problems, path: str | None
) -> pd.DataFrame:
    _require(raw, "indicateurs", ["code", "libelle"], path)
    cols = [c for c, _, _ in SCHEMA["indicateurs"]]
    n = len(raw)
    lines = _lines(raw)
    out = pd.DataFrame({c: _text(raw.get(c), n) for c in cols if c != "facteur"})
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
        "le code « " + code.astype(str) + " » est en double : seule sa première ligne est gardée.",
    )
    nolabel = out["libelle"].isna() & ~missing
    probs.add(
        nolabel,
        "alerte",
        "indicateurs",
        lines,
        code,
        "indicateur « " + code.astype(str) + " » sans libellé : le code sert de libellé.",
    )
    out["libelle"] = out["libelle"].fillna(code)
    for col, allowed in (
        ("type_resultat", TYPES_RESULTAT),
        ("mesure", MESURES),
        ("sens", SENS),
        ("agregation", AGREGATIONS),
        ("periodicite", PERIODICITES),
    ):
        mapped, bad = _enum(out[col], allowed)
        default = _DEFAULTS.get(col)
        then = f" ; la valeur par défaut « {default} » est utilisée." if default else "."
        probs.add(
            bad,
            "alerte",
            "indicateurs",
            lines,
            code,
            "indicateur « "
            + code.astype(str)
            + " » : la valeur « "
            + out[col].astype(str)
            + f" » de la colonne {col} est inconnue (valeurs possibles : "
            f"{', '.join(allowed)}){then}",
        )
        out[col] = mapped.fillna(default) if default else mapped
    facteur, bad = _numbers(
        raw.get("facteur"),
        n,
        report=lambda mask, msg: probs.add(
            mask, "alerte", "indicateurs", lines, code, "facteur " + msg
        ),
    )
    bad = bad | (facteur <= 0)
    probs.add(
        bad,
        "alerte",
        "indicateurs",
        lines,
        code,
        "indicateur « " + code.astype(str) + " » : facteur invalide ; 1 est utilisé.",
    )
    out["facteur"] = facteur.mask(bad).fillna(1.0)
    additive_pct = out["mesure"].isin(["pourcentage", "ratio"]) & (out["agregation"] == "somme")
    probs.add(
        additive_pct,
        "alerte",
        "indicateurs",
        lines,
        code,
        "indicateur « " + code.astype(str) + " » : additionner des pourcentages ou des ratios "
        "n'a pas de sens ; choisissez l'agrégation ratio, moyenne ou dernier.",
    )
    thresholds = out["seuils"].map(_parse_thresholds)
    badthr = thresholds.isna()
    probs.add(
        badthr,
        "alerte",
        "indicateurs",
        lines,
        code,
        "indicateur « " + code.astype(str) + " » : seuils « " + out["seuils"].astype(str) + " » "
        "illisibles (attendu : deux nombres croissants, ex. « 10;25 ») ; 10;25 sont utilisés.",
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


def _clean_values(
    raw: pd.DataFrame, ind: pd.DataFrame, probs: _Problems, path: str | None
) -> pd.DataFrame:
    _require(raw, "valeurs", ["code", "type_valeur"], path)
    if not (
        {"valeur", "numerateur_valeur"} & set(raw.columns) or ind["mesure"].eq("qualitatif").all()
    ):
        _require(raw, "valeurs", ["valeur"], path)
    n = len(raw)
    lines = _lines(raw)
    text_cols = [
        "code",
        "type_valeur",
        "dimension_nom",
        "dimension_valeur",
        "commentaire",
        "source",
    ]
    out = pd.DataFrame({c: _text(raw.get(c), n) for c in text_cols})
    out["ligne"] = lines
    code = out["code"]
    drop = pd.Series(False, index=out.index)

    # messages are built only when a row is concerned (they cost time on large projects)
    def err(mask: pd.Series, message: Callable[[], pd.Series] | pd.Series | str) -> None:
        nonlocal drop
        mask = mask & ~drop
        if mask.any():
            text = message() if callable(message) else message
            probs.add(mask, "erreur", "valeurs", lines, code, text)
        drop = drop | mask

    def warn(mask: pd.Series, message: Callable[[], pd.Series] | pd.Series | str) -> None:
        mask = mask & ~drop
        if mask.any():
            text = message() if callable(message) else message
            probs.add(mask, "alerte", "valeurs", lines, code, text)

    def who() -> pd.Series:
        return "indicateur « " + code.astype(str) + " » : "

    err(code.isna(), "code d'indicateur manquant : la ligne est ignorée.")
    unknown = code.notna() & ~code.isin(ind.index)
    if unknown.any():
        hints = code[unknown].map(
            lambda c: (
                f" (vouliez-vous dire « {closest(c, ind.index)[0]} » ?)"
                if closest(c, ind.index)
                else ""
            )
        )
        msg = pd.Series("", index=out.index, dtype=object)
        msg[unknown] = (
            "le code « "
            + code[unknown]
            + " » n'existe pas dans la feuille indicateurs"
            + hints
            + " : la ligne est ignorée."
        )
        err(unknown, msg)
    tv, bad = _enum(out["type_valeur"], TYPES_VALEUR)
    err(
        bad | tv.isna(),
        lambda: (
            who() + "type_valeur « " + out["type_valeur"].fillna("").astype(str) + " » invalide "
            "(reference, cible ou realise) : la ligne est ignorée."
        ),
    )
    out["type_valeur"] = tv
    for col in ("periode_debut", "periode_fin", "date_saisie"):
        values, bad = _dates(raw.get(col), n)
        if col != "date_saisie":
            err(
                bad,
                lambda col=col: (
                    who()
                    + f"{col} « "
                    + _text(raw.get(col), n).astype(str)
                    + " » n'est pas une date (JJ/MM/AAAA) : la ligne est ignorée."
                ),
            )
        out[col] = values.mask(bad)
    out["periode_debut"] = out["periode_debut"].fillna(out["periode_fin"])
    out["periode_fin"] = out["periode_fin"].fillna(out["periode_debut"])
    err(out["periode_fin"].isna(), lambda: who() + "période manquante : la ligne est ignorée.")
    err(
        out["periode_debut"] > out["periode_fin"],
        lambda: (
            who()
            + "periode_debut ("
            + out["periode_debut"].map(_format_date).astype(str)
            + ") est après "
            "periode_fin ("
            + out["periode_fin"].map(_format_date).astype(str)
            + ") : la ligne est ignorée."
        ),
    )
    for col in ("numerateur_valeur", "denominateur_valeur", "valeur"):
        values, bad = _numbers(
            raw.get(col),
            n,
            report=lambda mask, msg, col=col: probs.add(
                mask, "alerte", "valeurs", lines, code, f"{col} " + msg
            ),
        )
        err(
            bad,
            lambda col=col: (
                who()
                + f"{col} « "
                + _text(raw.get(col), n).astype(str)
                + " » n'est pas un nombre : la ligne est ignorée."
            ),
        )
        out[col] = values
    meta = ind.reindex(code.where(code.isin(ind.index)))
    mesure = pd.Series(meta["mesure"].to_numpy(), index=out.index)
    agg = pd.Series(meta["agregation"].to_numpy(), index=out.index)
    facteur = pd.Series(meta["facteur"].to_numpy(dtype=float), index=out.index)
    qual = mesure.eq("qualitatif")
    num, den, val = out["numerateur_valeur"], out["denominateur_valeur"], out["valeur"]
    err(
        den.notna() & (den <= 0),
        lambda: (
            who()
            + "dénominateur nul ou négatif ("
            + den.map(_fmt)
            + ") : le taux ne peut pas être "
            "calculé ; la ligne est ignorée."
        ),
    )
    half = num.notna() ^ den.notna()
    err(
        half & val.isna() & ~qual,
        lambda: (
            who() + "il faut à la fois le numérateur et le dénominateur : la ligne est ignorée."
        ),
    )
    pct_factor = mesure.eq("pourcentage") & num.notna() & den.notna() & facteur.eq(1)
    warn(
        pct_factor & ~code.where(pct_factor).duplicated(),
        lambda: (
            who() + "pourcentage calculé avec le facteur 1 : numérateur / dénominateur donne une "
            "proportion (0,75) et non un pourcentage (75 %) ; mettez 100 dans la colonne facteur "
            "de la feuille indicateurs."
        ),
    )
    computed = facteur * num / den
    mismatch = num.notna() & den.notna() & val.notna() & ~np.isclose(val, computed, rtol=1e-3)
    warn(
        mismatch,
        lambda: (
            who() + "la valeur saisie (" + val.map(_fmt) + ") diffère de facteur × numérateur / "
            "dénominateur (" + computed.map(_fmt) + ") : la valeur recalculée est utilisée."
        ),
    )
    out["valeur"] = computed.where(num.notna() & den.notna(), val)
    err(
        ~qual & out["valeur"].isna(),
        lambda: (
            who()
            + "aucune valeur (ni valeur, ni numérateur et dénominateur) : la ligne est ignorée."
        ),
    )
    err(
        qual & out["commentaire"].isna(),
        lambda: (
            who() + "indicateur qualitatif sans commentaire : l'appréciation doit être écrite dans "
            "la colonne commentaire ; la ligne est ignorée."
        ),
    )
    warn(
        qual & out["valeur"].notna(),
        lambda: (
            who() + "indicateur qualitatif : la valeur numérique est ignorée (seul le commentaire "
            "compte)."
        ),
    )
    out["valeur"] = out["valeur"].mask(qual)
    ratio_real = agg.eq("ratio") & ~qual & out["type_valeur"].eq("realise")
    err(
        ratio_real & (num.isna() | den.isna()),
        lambda: (
            who() + "agrégation ratio : une valeur réalisée doit donner son numérateur et son "
            "dénominateur (pour calculer Σ numérateurs / Σ dénominateurs) ; la ligne est ignorée."
        ),
    )
    pct = mesure.eq("pourcentage") & ((out["valeur"] < 0) | (out["valeur"] > 100))
    warn(
        pct,
        lambda: (
            who() + "pourcentage hors de l'intervalle [0 ; 100] (" + out["valeur"].map(_fmt) + ")."
        ),
    )
    dn, dv = out["dimension_nom"], out["dimension_valeur"]
    err(
        dn.isna() ^ dv.isna(),
        lambda: (
            who() + "dimension_nom et dimension_valeur vont ensemble (les deux vides = total) : la "
            "ligne est ignorée."
        ),
    )
    dim_keys = {v: _key(v) for v in pd.unique(dn.dropna())}
    out["dimension_nom"] = dn.map(dim_keys).astype(object)
    declared = {
        c: {_key(p) for p in str(v).replace(",", ";").split(";") if p.strip()}
        for c, v in ind["desagregations"].items()
        if isinstance(v, str)
    }
    pairs = out[["code", "dimension_nom"]].dropna().drop_duplicates()
    bad_pairs = {
        (c, d)
        for c, d in zip(pairs["code"], pairs["dimension_nom"], strict=True)
        if c in declared and d not in declared[c]
    }
    undeclared = (
        pd.Series(list(zip(code, out["dimension_nom"], strict=True)), index=out.index).isin(
            bad_pairs
        )
        if bad_pairs
        else pd.Series(False, index=out.index)
    )
    warn(
        undeclared,
        lambda: (
            who() + "la dimension « " + out["dimension_nom"].astype(str) + " » n'est pas dans les "
            "désagrégations déclarées de l'indicateur."
        ),
    )
    keys = [
        "code",
        "type_valeur",
        "periode_debut",
        "periode_fin",
        "dimension_nom",
        "dimension_valeur",
    ]
    dup = out[keys].duplicated() & ~drop
    err(
        dup,
        lambda: (
            who() + "ligne en double (même type, période et dimension qu'une ligne précédente) : "
            "elle est ignorée pour ne pas compter deux fois."
        ),
    )
    kept = out[~drop].reset_index(drop=True)
    _check_totals(kept, ind, probs)
    _check_targets(kept, ind, probs)
    return kept[
        [
            "code",
            "type_valeur",
            "periode_debut",
            "periode_fin",
            "dimension_nom",
            "dimension_valeur",
            "numerateur_valeur",
            "denominateur_valeur",
            "valeur",
            "commentaire",
            "source",
            "date_saisie",
            "ligne",
        ]
    ]


def _check_totals(values: pd.DataFrame, ind: pd.DataFrame, probs: _Problems) -> None:
    """Disaggregated values must add up to the total (additive indicators, §4.6).

    For ``somme`` and ``cumul`` the values are added; for ``ratio`` the numerators and the
    denominators (rows giving only a ``valeur``, such as a target in %, are not additive).
    """
    additive = ind.index[ind["agregation"].isin(["somme", "cumul", "ratio"])]
    sub = values[values["code"].isin(additive) & values["valeur"].notna()]
    is_ratio = sub["code"].map(ind["agregation"]).eq("ratio")
    has_terms = sub["numerateur_valeur"].notna() & sub["denominateur_valeur"].notna()
    sub = sub[~is_ratio | has_terms]
    if sub.empty:
        return
    is_ratio = sub["code"].map(ind["agregation"]).eq("ratio")
    sub = sub.assign(
        _a=sub["valeur"].where(~is_ratio, sub["numerateur_valeur"]),
        _b=sub["denominateur_valeur"].where(is_ratio, 0.0),
    )
    keys = ["code", "type_valeur", "periode_debut", "periode_fin"]
    totals = sub[sub["dimension_nom"].isna()]
    parts = sub[sub["dimension_nom"].notna()]
    if parts.empty or totals.empty:
        return
    sums = parts.groupby([*keys, "dimension_nom"], sort=False)[["_a", "_b"]].sum().reset_index()
    totals = totals.rename(columns={"_a": "_ta", "_b": "_tb"})
    merged = sums.merge(totals[[*keys, "_ta", "_tb", "ligne"]], on=keys, how="inner")
    bad_a = ~np.isclose(merged["_a"], merged["_ta"], rtol=1e-6, atol=1e-9)
    bad_b = ~np.isclose(merged["_b"], merged["_tb"], rtol=1e-6, atol=1e-9)
    merged = merged[bad_a | bad_b]
    if merged.empty:
        return
    ratio = merged["code"].map(ind["agregation"]).eq("ratio").to_numpy()
    num_ok = np.isclose(merged["_a"], merged["_ta"], rtol=1e-6, atol=1e-9)
    what = np.where(
        ~ratio,
        "les valeurs désagrégées",
        np.where(num_ok, "les dénominateurs désagrégés", "les numérateurs désagrégés"),
    )
    got = np.where(ratio & num_ok, merged["_b"], merged["_a"])
    want = np.where(ratio & num_ok, merged["_tb"], merged["_ta"])
    msg = (
        "indicateur « "
        + merged["code"].astype(str)
        + " » : "
        + pd.Series(what, index=merged.index)
        + " par « "
        + merged["dimension_nom"].astype(str)
        + " » ("
        + merged["type_valeur"].astype(str)
        + ", "
        + merged["periode_debut"].map(_format_date).astype(str)
        + " – "
        + merged["periode_fin"].map(_format_date).astype(str)
        + ") font "
        + pd.Series(got, index=merged.index).map(_fmt)
        + " au lieu du total "
        + pd.Series(want, index=merged.index).map(_fmt)
        + "."
    )
    probs.add(
        np.ones(len(merged), dtype=bool),
        "alerte",
        "valeurs",
        merged["ligne"],
        merged["code"],
        msg,
    )


def _check_targets(values: pd.DataFrame, ind: pd.DataFrame, probs: _Problems) -> None:
    """Every realised total must fall inside the period of a target of the same indicator.

    Qualitative indicators have no rate and need no target; a ``cumul`` value may precede
    the target's period (it counts in the running total).
    """
    tot = values[values["dimension_nom"].isna()]
    quantitative = ind.index[ind["mesure"] != "qualitatif"]
    real = tot[(tot["type_valeur"] == "realise") & tot["code"].isin(quantitative)]
    if real.empty:
        return
    targets = tot[tot["type_valeur"] == "cible"][["code", "periode_debut", "periode_fin"]]
    real = real[["code", "periode_debut", "periode_fin", "ligne"]].reset_index(drop=True)
    real["_i"] = np.arange(len(real))
    pairs = real.merge(targets, on="code", how="inner", suffixes=("", "_c"))
    cumul = pairs["code"].isin(ind.index[ind["agregation"] == "cumul"])
    covered = pairs[
        (cumul | (pairs["periode_debut"] >= pairs["periode_debut_c"]))
        & (pairs["periode_fin"] <= pairs["periode_fin_c"])
    ]["_i"].unique()
    orphan = real[~real["_i"].isin(covered)]
    if orphan.empty:
        return
    has_target = orphan["code"].isin(targets["code"])
    # an indicator without any target is reported once, on its first realised line
    orphan = orphan[has_target | ~orphan["code"].duplicated()]
    has_target = orphan["code"].isin(targets["code"])
    msg = np.where(
        has_target,
        "indicateur « "
        + orphan["code"]
        + " » : valeur réalisée ("
        + orphan["periode_debut"].map(_format_date).astype(str)
        + " – "
        + orphan["periode_fin"].map(_format_date).astype(str)
        + ") sans cible couvrant cette période : "
        "aucun taux de réalisation pour elle.",
        "indicateur « " + orphan["code"] + " » : valeurs réalisées sans aucune cible ; ajoutez "
        "une ligne « cible » pour calculer le taux de réalisation.",
    )
    probs.add(
        np.ones(len(orphan), dtype=bool),
        "alerte",
        "valeurs",
        orphan["ligne"],
        orphan["code"],
        msg,
    )


def _clean_milestones(raw: pd.DataFrame | None, probs: _Problems, path: str | None) -> pd.DataFrame:
    cols = [c for c, _, _ in SCHEMA["jalons"]]
    if raw is None or raw.empty:
        out = pd.DataFrame(columns=[*cols, "ligne"])
        for c in ("date_debut", "date_prevue", "date_reelle"):
            out[c] = out[c].astype("datetime64[ns]")
        return out
    _require(raw, "jalons", ["code", "date_prevue"], path)
    n = len(raw)
    lines = _lines(raw)
    out = pd.DataFrame({c: _text(raw.get(c), n) for c in ("code", "libelle", "responsable")})
    out["ligne"] = lines
    drop = pd.Series(False, index=out.index)
    for c in ("date_debut", "date_prevue", "date_reelle"):
        values, bad = _dates(raw.get(c), n)
        probs.add(
            bad,
            "erreur" if c == "date_prevue" else "alerte",
            "jalons",
            lines,
            None,
            "jalon « "
            + out["code"].astype(str)
            + f" » : {c} « "
            + _text(raw.get(c), n).astype(str)
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


def _clean_budget(raw: pd.DataFrame | None, probs: _Problems) -> pd.DataFrame:
    cols = [c for c, _, _ in SCHEMA["budget"]]
    if raw is None or raw.empty:
        return pd.DataFrame(columns=[*cols, "ligne"])
    n = len(raw)
    lines = _lines(raw)
    out = pd.DataFrame({c: _text(raw.get(c), n) for c in ("poste", "niveau_id", "financeur")})
    for c in ("montant_prevu", "montant_realise"):
        values, bad = _numbers(
            raw.get(c),
            n,
            report=lambda mask, msg, c=c: probs.add(
                mask, "alerte", "budget", lines, None, f"{c} " + msg
            ),
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


# --------------------------------------------------------------------------- Project


@dataclass(frozen=True, eq=False)
class Project:
    """A project read from its workbook and validated.

    Attributes
    ----------
    indicateurs
        One row per indicator, indexed by ``code``, with defaults filled in (``sens``,
        ``agregation``, ``mesure``, ``facteur``) and the parsed thresholds
        (``seuil_surveiller``, ``seuil_retard``).
    valeurs
        The usable values (dates parsed, ``valeur`` recomputed from numerator and
        denominator when both are given). ``ligne`` is the line in the source sheet.
    cadre_logique, jalons, budget
        The optional sheets (empty tables when absent).
    problems
        What validation found, in the shared problems schema: ``feuille``, ``élément`` (the
        indicator), ``ligne``, ``colonne``, ``valeur``, ``gravité`` (``erreur`` = row ignored,
        ``alerte`` = row kept) and ``message``.
    name
        The project's name (the file name by default).
    """

    indicateurs: pd.DataFrame
    valeurs: pd.DataFrame
    cadre_logique: pd.DataFrame
    jalons: pd.DataFrame
    budget: pd.DataFrame
    problems: ProblemTable
    name: str = "projet"
    source: str | None = field(default=None, repr=False)

    @property
    def codes(self) -> list[str]:
        """Indicator codes in the workbook's order."""
        return list(self.indicateurs.index)

    def _summary(self) -> str:
        n_err = int((self.problems["gravité"] == "erreur").sum())
        n_warn = len(self.problems) - n_err
        text = (
            f"Projet « {self.name} » : {len(self.indicateurs)} indicateur(s), "
            f"{len(self.valeurs)} valeur(s), {len(self.cadre_logique)} niveau(x) du cadre "
            f"logique, {len(self.jalons)} jalon(s)."
        )
        if n_err or n_warn:
            text += (
                f" Contrôles : {n_err} erreur(s) (lignes ignorées) et {n_warn} "
                "alerte(s) — voir projet.problems."
            )
        else:
            text += " Contrôles : aucun problème détecté."
        return text

    def __str__(self) -> str:
        text = self._summary()
        if len(self.problems):
            shown = self.problems.head(10)
            lines = [
                f"  - [{r['gravité']}] {r['feuille']}"
                + (f", ligne {r['ligne']}" if not pd.isna(r["ligne"]) else "")
                + f" : {r['message']}"
                for _, r in shown.iterrows()
            ]
            if len(self.problems) > 10:
                lines.append(f"  … et {len(self.problems) - 10} autre(s).")
            text += "\n" + "\n".join(lines)
        return text

    def __repr__(self) -> str:
        return f"<Project « {self.name} » : {len(self.indicateurs)} indicateurs>"

    def _repr_html_(self) -> str:
        body = f"<p>{html.escape(self._summary())}</p>"
        if len(self.problems):
            body += frame_html(self.problems.head(20), caption="Problèmes détectés")
        return body


def build_project(
    indicateurs: pd.DataFrame,
    valeurs: pd.DataFrame,
    cadre_logique: pd.DataFrame | None = None,
    jalons: pd.DataFrame | None = None,
    budget: pd.DataFrame | None = None,
    *,
    name: str = "projet",
    strict: bool = False,
    path: str | None = None,
) -> Project:
    """Validate the project's tables and build a :class:`Project`.

    Parameters
    ----------
    indicateurs, valeurs
        The two required tables (column names as in the template; accents and case are
        ignored, so « Période début » is read as ``periode_debut``).
    cadre_logique, jalons, budget
        Optional tables.
    name
        The project's name, shown in the dashboard.
    strict
        Raise :class:`~movsc_toolkit._errors.ValidationError` listing every problem of
        severity ``erreur`` instead of ignoring those rows.
    path
        The source file, for the messages.

    Returns
    -------
    Project

    Notes
    -----
    The checks follow ``teaching_and_kpi.md`` §4.6: unique codes, known ``niveau_id`` and
    codes, enumerated values, ``periode_debut ≤ periode_fin``, denominator > 0, percentages in
    [0, 100], ``valeur = facteur × numérateur / dénominateur`` (recomputed, mismatches
    flagged), a target for every realised value, disaggregated values adding up to the total
    (``somme``, ``cumul`` and the numerators and denominators of ``ratio``), a comment for
    every qualitative value.
    """
    probs = _Problems()
    raw_ind = _prepare_frame(indicateurs, "indicateurs")
    raw_val = _prepare_frame(valeurs, "valeurs")
    if raw_ind is None or raw_val is None:
        raise ValidationError(
            "les feuilles « indicateurs » et « valeurs » sont obligatoires.",
            path=path,
            hint="partez du modèle : kpi.template('mon_projet.xlsx').",
        )
    logframe = _clean_logframe(_prepare_frame(cadre_logique, "cadre_logique"), probs, path)
    ind = _clean_indicators(raw_ind, logframe, probs, path)
    vals = _clean_values(raw_val, ind, probs, path)
    miles = _clean_milestones(_prepare_frame(jalons, "jalons"), probs, path)
    bud = _clean_budget(_prepare_frame(budget, "budget"), probs)
    problems = probs.frame()
    if strict and (problems["gravité"] == "erreur").any():
        errors = problems[problems["gravité"] == "erreur"]
        listed = "\n".join(
            f"  - feuille {r['feuille']}, ligne {r['ligne']} : {r['message']}"
            for _, r in errors.head(20).iterrows()
        )
        raise ValidationError(
            f"le classeur du projet contient {len(errors)} erreur(s) :\n{listed}",
            path=path,
            hint="corrigez ces lignes, ou lisez le classeur sans strict=True pour les ignorer "
            "et les voir dans projet.problems.",
        )
    return Project(
        indicateurs=ind,
        valeurs=vals,
        cadre_logique=logframe,
        jalons=miles,
        budget=bud,
        problems=problems,
        name=name,
        source=path,
    )
