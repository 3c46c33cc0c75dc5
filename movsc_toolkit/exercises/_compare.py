"""Comparison of a student's value with the expected one, with the diagnosis of a wrong answer
(:class:`~._normalise.Wrong`); :func:`compare` dispatches on the type of the expected value.
"""

from __future__ import annotations

import datetime as _dt
import inspect
import math
from typing import Any

import numpy as np
import pandas as pd

from ._normalise import (
    FALSE_WORDS,
    TRUE_WORDS,
    Wrong,
    answer_kind,
    answer_number,
    as_date,
    as_month,
    choice_letters,
    codec,
    describe,
    drop_totals,
    frames_equal,
    is_number,
    matches,
    norm_text,
    scalar_from,
    shown_number,
    split_letters,
    student_letters,
    unwrap,
)
from .registry import Diagnostic, Exercise
from .results import CheckResult


def _compare_number(value: Any, expected: Any, ex: Exercise) -> str | None:
    """Raise :class:`Wrong` or return an optional note (the answer is right)."""
    decimals = ex.display_decimals(expected)
    expected = float(expected)
    value, note = scalar_from(value)
    if value is None:
        raise Wrong(
            "aucune-valeur",
            "votre cellule ne renvoie aucune valeur (None).",
            "une fonction comme print() ou une méthode avec inplace=True renvoie None : "
            "rangez le résultat du calcul lui-même dans la variable.",
        )
    if isinstance(value, pd.DataFrame | pd.Series) and value.size > 1:
        numbers = pd.to_numeric(pd.Series(np.asarray(value, dtype=object).ravel()), "coerce")
        inside = any(matches(float(x), expected, ex, decimals) for x in numbers.dropna().to_numpy())
        where = (
            "la bonne valeur se trouve dans votre tableau : "
            if inside
            else "un tableau entier ne peut pas être comparé à un nombre : "
        )
        raise Wrong(
            "tableau",
            f"un nombre est attendu, et votre réponse est {describe(value)} de "
            f"{value.size} valeurs.",
            where + "choisissez la case avec .loc[ligne] (colonne) ou .loc[ligne, colonne] "
            "(tableau).",
        )
    if isinstance(value, str):
        parsed = answer_number(value)
        if parsed is None:
            raise Wrong(
                "type",
                f"un nombre est attendu, et votre réponse est {describe(value)}.",
                "donnez le résultat du calcul (un nombre), sans guillemets.",
            )
        value = parsed
    if not is_number(value):
        raise Wrong(
            "type",
            f"un nombre est attendu, et votre réponse est {describe(value)}.",
            "donnez le résultat du calcul (un nombre)"
            + (" : True/False n'est pas un nombre." if isinstance(value, bool | np.bool_) else "."),
        )
    value = float(value)
    if math.isnan(value) and not math.isnan(expected):
        raise Wrong(
            "manquante",
            "votre valeur est vide (NaN : valeur manquante), pas un nombre.",
            "le calcul a porté sur une case vide, ou sur une ligne ou une colonne qui n'existe "
            "pas sous ce nom (faute de frappe ?). Affichez les étapes intermédiaires pour voir où "
            "la case vide apparaît.",
        )
    if math.isinf(value):
        raise Wrong(
            "infinie",
            "votre valeur est infinie : le calcul divise par zéro.",
            "vérifiez le dénominateur de votre division (un total, un effectif) : il vaut 0.",
        )
    if matches(value, expected, ex, decimals):
        return note
    _diagnose_number(value, expected, ex, decimals)
    return None  # pragma: no cover - _diagnose_number always raises


def _diagnose_number(value: float, expected: float, ex: Exercise, decimals: int) -> None:
    shown = shown_number(value, ex.unit)
    for diag in ex.diagnostics:
        if _diagnostic_applies(diag, value, ex):
            raise Wrong(diag.code, diag.message, diag.hint)
    is_share = ex.unit == "%" or (ex.unit is None and 0 < abs(expected) <= 1)
    if expected != 0 and matches(value * 100, expected, ex, decimals):
        if ex.unit == "%":
            raise Wrong(
                "facteur-100",
                f"votre valeur ({shown_number(value)}) est une proportion entre 0 et 1 ; la question "
                "demande un pourcentage.",
                "multipliez votre proportion par 100 (0,24 → 24 %).",
            )
        raise Wrong(
            "facteur-100",
            f"votre valeur ({shown}) est 100 fois trop petite.",
            "vérifiez l'unité : une division par 100 de trop ?",
        )
    if expected != 0 and matches(value / 100, expected, ex, decimals):
        if is_share and ex.unit != "%":
            raise Wrong(
                "facteur-100",
                f"votre valeur ({shown}) est un pourcentage ; la question attend une proportion "
                "(un nombre entre 0 et 1).",
                "ne multipliez pas par 100 (24 % s'écrit 0,24).",
            )
        raise Wrong(
            "facteur-100",
            f"votre valeur ({shown}) est 100 fois trop grande.",
            "vérifiez l'unité : une multiplication par 100 de trop ?",
        )
    if expected != 0 and matches(-value, expected, ex, decimals):
        raise Wrong(
            "signe",
            f"votre valeur ({shown}) a le bon montant mais pas le bon signe.",
            "vérifiez le sens du calcul : l'ordre de la soustraction (réalisé − prévu, "
            "ressources − emplois…) ou le signe d'une perte.",
        )
    direction = "trop élevée" if value > expected else "trop faible"
    raise Wrong(
        "trop-eleve" if value > expected else "trop-faible",
        f"votre valeur ({shown}) est {direction}.",
        generic=True,
    )


def _diagnostic_applies(diag: Diagnostic, value: Any, ex: Exercise) -> bool:
    alt = diag.alternative
    if callable(alt):
        try:
            n_params = len(inspect.signature(alt).parameters)
        except (TypeError, ValueError):
            n_params = 0
        try:
            if n_params >= 1:
                return bool(alt(value))
            alt = ex.cached(f"diag:{id(diag)}", alt)
        except Exception:
            return False
    try:
        compare(value, alt, ex, diagnostics=False)
    except Wrong:
        return False
    except Exception:
        return False
    return True


def _compare_text(value: Any, expected: Any, ex: Exercise) -> str | None:
    value, note = scalar_from(value)
    kind = answer_kind(ex, expected)
    if kind == "mois":
        got, want = as_month(value), as_month(expected)
        if got is not None:
            if got == want:
                return note
            for diag in ex.diagnostics:  # a known wrong month of this question
                if _diagnostic_applies(diag, value, ex):
                    raise Wrong(diag.code, diag.message, diag.hint)
            raise Wrong("texte", "ce n'est pas le bon mois.", generic=True)
    elif kind == "date":
        day, wanted_day = as_date(value), as_date(expected)
        if day is not None:
            if day == wanted_day:
                return note
            raise Wrong("texte", "ce n'est pas la bonne date.", generic=True)
    if not isinstance(value, str):
        raise Wrong(
            "type",
            f"un texte est attendu, et votre réponse est {describe(value)}.",
            "la réponse est un texte : mettez-la entre guillemets, ou prenez l'étiquette "
            "(.index[0], .idxmax()) plutôt que la valeur.",
        )
    accepted = [expected, *ex.synonyms]
    if any(norm_text(value) == norm_text(a) for a in accepted):
        return note
    if kind == "encodage":
        name, wanted_name = codec(value), codec(expected)
        if name is not None and name == wanted_name:
            return note
        if name in ("latin-1", "iso8859-1", "iso8859-15") and wanted_name == "cp1252":
            raise Wrong(
                "encodage-proche",
                f"« {value} » est proche mais pas identique : Windows-1252 (cp1252) et "
                "ISO-8859-1/15 diffèrent pour €, œ, les guillemets et les apostrophes courbes.",
                "relisez l'encodage que read_table a noté dans les attributs du tableau.",
            )
    for diag in ex.diagnostics:
        if _diagnostic_applies(diag, value, ex):
            raise Wrong(diag.code, diag.message, diag.hint)
    if kind == "mois":
        raise Wrong(
            "type",
            f"« {value} » n'est pas lu comme un mois.",
            "écrivez le mois comme « février 2025 », « 02/2025 » ou « 2025-02 ».",
        )
    raise Wrong("texte", "ce n'est pas la bonne réponse.", generic=True)


def _compare_bool(value: Any, expected: Any, ex: Exercise) -> str | None:
    value, note = scalar_from(value)
    if isinstance(value, str) and norm_text(value) in TRUE_WORDS | FALSE_WORDS:
        value = norm_text(value) in TRUE_WORDS
    if not isinstance(value, bool | np.bool_):
        raise Wrong(
            "type",
            f"True ou False est attendu, et votre réponse est {describe(value)}.",
            "une comparaison (<, >, ==) donne True ou False : comparez votre valeur au seuil.",
        )
    if bool(value) == bool(expected):
        return note
    raise Wrong("faux", "ce n'est pas la bonne réponse.", generic=True)


def check_choice(value: Any, ex: Exercise) -> CheckResult:
    assert ex.choices is not None
    right = split_letters(choice_letters(ex.expected_value()), ex.choices)
    got = student_letters(value, ex)
    options = ", ".join(ex.choices)
    if got is None:
        return CheckResult(
            ex.id,
            "faux",
            f"Pas encore : répondez par la lettre d'une des options ({options}), entre "
            'guillemets, par exemple "b".',
            hint=None,
            diagnosis="choix-inconnu",
        )
    if got == right:
        details = tuple(
            f"{x}) {ex.choices[x]} — {ex.reasons[x]}"
            for x in ex.choices
            if x not in right and x in ex.reasons
        )
        return CheckResult(ex.id, "juste", "Bravo, c'est juste !", None, "juste", details)
    wrong = [x for x in got if x not in right]
    details = tuple(f"{x}) {ex.choices[x]} — {ex.reasons[x]}" for x in wrong if x in ex.reasons)
    if not wrong:  # a subset of the right letters
        message = "Pas encore : votre réponse est juste mais incomplète (il y a plusieurs bonnes "
        message += "options)."
    elif len(right) > 1:
        message = "Pas encore : au moins une des options choisies ne convient pas."
    else:
        message = "Pas encore : ce n'est pas la bonne option."
    return CheckResult(
        ex.id,
        "faux",
        message,
        hint=None if details else (ex.hints[0] if ex.hints else None),
        diagnosis="choix-faux",
        details=details,
    )


def _compare_frame(value: Any, expected: pd.DataFrame | pd.Series, ex: Exercise) -> str | None:
    value = unwrap(value)
    if not isinstance(value, pd.DataFrame | pd.Series):
        raise Wrong(
            "type",
            f"un tableau est attendu, et votre réponse est {describe(value)}.",
            generic=True,
        )
    if isinstance(expected, pd.Series):
        want = expected.to_frame("valeur")
        if isinstance(value, pd.Series):
            frames_equal(value.to_frame("valeur"), want, ex)
            return None
        if value.shape[1] == 1:
            frames_equal(value.set_axis(["valeur"], axis=1), want, ex)
            return None
        trimmed = drop_totals(value, want)
        for column in trimmed.columns:
            try:
                frames_equal(trimmed[[column]].set_axis(["valeur"], axis=1), want, ex)
            except Wrong:
                continue
            return (
                f"la colonne « {column} » de votre tableau est juste (les autres colonnes et la "
                "ligne « Total » n'étaient pas demandées)."
            )
        counts = [c for c in trimmed.columns if str(c) in ("Effectif", str(expected.name))]
        if counts:  # the column of counts is there but wrong: say where
            frames_equal(trimmed[[counts[0]]].set_axis(["valeur"], axis=1), want, ex)
        raise Wrong(
            "forme",
            f"une seule colonne est attendue (comme value_counts()), et votre tableau en a "
            f"{value.shape[1]} : " + ", ".join(f"« {c} »" for c in value.columns) + ".",
            'gardez seulement la colonne demandée, par exemple tableau["Effectif"].',
        )
    if isinstance(value, pd.Series):
        if expected.shape[1] != 1:
            raise Wrong(
                "forme",
                f"un tableau de {expected.shape[1]} colonnes est attendu, et votre réponse est "
                "une seule colonne (Series).",
                "gardez le tableau entier (ne sélectionnez pas une colonne).",
            )
        value = value.to_frame(expected.columns[0])
    try:
        frames_equal(value, expected, ex)
        return None
    except Wrong as first:
        trimmed = drop_totals(value, expected)
        if trimmed.shape != value.shape:
            frames_equal(trimmed, expected, ex)  # raises its own diagnosis if still wrong
            return "la ligne ou colonne « Total » de votre tableau n'était pas demandée."
        raise first


# --------------------------------------------------------------------------- lists and dispatch


def _compare_list(value: Any, expected: Any, ex: Exercise) -> str | None:
    if isinstance(value, pd.Index | pd.Series | np.ndarray):
        value = list(value.tolist())
    if isinstance(value, str) and len(expected) == 1:
        value = [value]
    if not isinstance(value, list | tuple | set):
        raise Wrong(
            "type",
            f"une liste est attendue, et votre réponse est {describe(value)}.",
            "mettez les éléments entre crochets, ou transformez un index avec list(...).",
        )

    def norm(v: Any) -> str:
        if is_number(v) and float(v).is_integer():
            v = int(v)
        return norm_text(v)

    got = [norm(v) for v in value]
    want = [norm(v) for v in expected]
    if len(got) != len(want):
        raise Wrong(
            "liste", f"votre liste a {len(got)} élément(s) ; il en faut {len(want)}.", generic=True
        )
    if ex.ordered and not isinstance(expected, set):
        if got == want:
            return None
        message = "les éléments ou leur ordre ne sont pas justes."
    elif sorted(got) == sorted(want):
        return None
    else:
        message = "certains éléments de votre liste ne sont pas justes."
    raise Wrong("liste", message, generic=True)


def compare(value: Any, expected: Any, ex: Exercise, *, diagnostics: bool = True) -> str | None:
    """Return ``None`` or a note when ``value`` matches; raise :class:`Wrong` otherwise."""
    if not diagnostics and ex.diagnostics:
        ex = ex.without_diagnostics()
    if isinstance(expected, pd.DataFrame | pd.Series):
        return _compare_frame(value, expected, ex)
    value = unwrap(value)
    if isinstance(expected, bool | np.bool_):
        return _compare_bool(value, expected, ex)
    if is_number(expected):
        return _compare_number(value, expected, ex)
    if isinstance(expected, str | pd.Period | _dt.date):
        return _compare_text(value, expected, ex)
    if isinstance(expected, dict):
        if not isinstance(value, dict):
            raise Wrong(
                "type",
                f"un dictionnaire est attendu, et votre réponse est {describe(value)}.",
                generic=True,
            )
        missing = [k for k in expected if k not in value]
        if missing:
            raise Wrong(
                "liste",
                "clés manquantes : " + ", ".join(f"« {k} »" for k in missing) + ".",
                generic=True,
            )
        for key, want in expected.items():
            try:
                compare(value[key], want, ex, diagnostics=diagnostics)
            except Wrong as wrong:
                raise Wrong(
                    wrong.code,
                    f"pour « {key} » : {wrong.message}",
                    wrong.hint,
                    generic=wrong.generic,
                ) from None
        return None
    if isinstance(expected, list | tuple | set):
        return _compare_list(value, expected, ex)
    if value == expected:
        return None
    raise Wrong("faux", "ce n'est pas la bonne réponse.", generic=True)
