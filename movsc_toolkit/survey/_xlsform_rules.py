"""The rules an XLSForm must follow (XLSForm spec, ``XLSForm/xlsform.github.io``), as problems.

A private module with public names: :func:`lint` yields one problem per broken rule for
:meth:`movsc_toolkit.survey.Questionnaire.check`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._errors import closest
from ._xlsform import (
    FILE_SELECT_TYPES,
    KNOWN_TYPES,
    MEDIA,
    NAME_RE,
    REF_RE,
    SELECT_TYPES,
    SURVEY_ALIASES,
    TRUE_WORDS,
)

if TYPE_CHECKING:
    from .questionnaire import Question, Questionnaire


def where(sheet: str, line: Any, name: str) -> str:
    parts = [f"feuille « {sheet} »"]
    if line is not None and not pd.isna(line):
        parts.append(f"ligne {int(line)}")
    if name:
        parts.append(f"« {name} »")
    return ", ".join(parts) + " : "


def lint(form: Questionnaire) -> Iterator[tuple[str, str, int | None, str, str]]:
    """Yield (gravité, feuille, ligne, nom, message) for every problem of ``form``."""
    err, tip = "erreur", "alerte"
    seen: dict[tuple[tuple[str, ...], str], int | None] = {}
    stack: list[Question] = []
    used_lists: set[str] = set()
    all_names = {q.name for q in form.rows if q.name and q.type not in {"end_group", "end_repeat"}}
    for q in form.rows:
        line = q.row
        if q.type == "":
            yield err, "survey", line, q.name, "la colonne « type » est vide."
            continue
        if q.type not in KNOWN_TYPES:
            near = closest(q.type, sorted(KNOWN_TYPES))
            hint = f" Vouliez-vous dire « {near[0]} » ?" if near else ""
            yield err, "survey", line, q.name, f"type « {q.type} » inconnu.{hint}"
        if q.type in {"end_group", "end_repeat"}:
            kind = q.type[4:]
            if not stack:
                yield err, "survey", line, q.name, f"« end {kind} » sans « begin {kind} » avant."
            else:
                opened = stack.pop()
                if opened.type != f"begin_{kind}":
                    yield (
                        err,
                        "survey",
                        line,
                        q.name,
                        f"« end {kind} » ferme « {opened.xlsform_type} » "
                        f"« {opened.name} » : les groupes sont mal imbriqués.",
                    )
            continue
        if q.type in {"begin_group", "begin_repeat"}:
            stack.append(q)
        if not q.name:
            yield err, "survey", line, "", f"la ligne de type « {q.type} » n'a pas de nom (name)."
        elif not NAME_RE.match(q.name):
            yield (
                err,
                "survey",
                line,
                q.name,
                f"nom « {q.name} » invalide : il doit commencer par une lettre ou « _ » et ne "
                "contenir que des lettres, des chiffres, « _ », « - » ou « . » (pas d'espace).",
            )
        elif not q.name.isascii():
            yield (
                tip,
                "survey",
                line,
                q.name,
                f"le nom « {q.name} » contient des accents : évitez-les, certains logiciels "
                "d'analyse les gèrent mal.",
            )
        if q.name:
            # pyxform: names are unique within their nearest group or repeat; the same name in
            # two groups is allowed (the answers keep both, as "groupe1/age", "groupe2/age").
            place = (q.group, q.name)
            if place in seen:
                where = f" (déjà utilisé ligne {seen[place]})" if seen[place] else ""
                yield err, "survey", line, q.name, f"nom « {q.name} » en double{where}."
            else:
                seen[place] = line
        if q.asks and not q.text and q.type not in {"begin_group", "begin_repeat"}:
            yield err, "survey", line, q.name, "la question n'a pas de libellé (label)."
        if q.type in SELECT_TYPES:
            if not q.list_name:
                yield (
                    err,
                    "survey",
                    line,
                    q.name,
                    f"le type « {q.type} » doit être suivi du nom d'une liste de choix "
                    f"(par exemple « {q.type} oui_non »).",
                )
            elif q.list_name not in form.choices:
                near = closest(q.list_name, form.choices)
                hint = f" Vouliez-vous dire « {near[0]} » ?" if near else ""
                yield (
                    err,
                    "survey",
                    line,
                    q.name,
                    f"la liste de choix « {q.list_name} » n'existe pas dans la feuille "
                    f"« choices ».{hint}",
                )
            else:
                used_lists.add(q.list_name)
                if not form.choices[q.list_name]:
                    yield err, "survey", line, q.name, f"la liste « {q.list_name} » est vide."
                if q.type == "select_multiple":
                    for c in form.choices[q.list_name]:
                        if " " in c.name:
                            yield (
                                err,
                                "choices",
                                c.row,
                                c.name,
                                f"le choix « {c.name} » de la liste « {q.list_name} » contient "
                                "une espace, interdite pour un choix multiple (l'espace sépare "
                                "les réponses).",
                            )
        if q.or_other:
            yield (
                tip,
                "survey",
                line,
                q.name,
                "« or_other » ajoute un choix « Other » en anglais : préférez un choix « autre » "
                "explicite suivi d'une question texte affichée si « autre » est coché.",
            )
        for column in ("relevant", "constraint", "choice_filter", "required"):
            expr = getattr(q, column)
            if not isinstance(expr, str):
                continue
            for ref in REF_RE.findall(expr):
                if ref not in all_names:
                    near = closest(ref, sorted(all_names))
                    hint = f" Vouliez-vous dire « {near[0]} » ?" if near else ""
                    yield (
                        err,
                        "survey",
                        line,
                        q.name,
                        f"la colonne « {column} » cite ${{{ref}}}, qui n'existe pas.{hint}",
                    )
        for key, value in q.extra.items():
            for ref in REF_RE.findall(value):
                if ref not in all_names:
                    yield (
                        err,
                        "survey",
                        line,
                        q.name,
                        f"la colonne « {key} » cite ${{{ref}}}, qui n'existe pas.",
                    )
    for alias in form.aliases:
        yield (
            tip,
            "survey",
            1,
            alias,
            f"la colonne « {alias} » est un alias : le nom standard est "
            f"« {SURVEY_ALIASES[alias]} ».",
        )
    for opened in stack:
        kind = opened.type[6:]
        yield (
            err,
            "survey",
            opened.row,
            opened.name,
            f"« begin {kind} » « {opened.name} » n'est jamais fermé par « end {kind} ».",
        )
    allow_dup = form.settings.get("allow_choice_duplicates", "").lower() in TRUE_WORDS
    for list_name, items in form.choices.items():
        if not NAME_RE.match(list_name):
            yield (
                err,
                "choices",
                items[0].row if items else None,
                list_name,
                f"nom de liste « {list_name} » invalide (pas d'espace ni d'accent, une lettre en "
                "premier).",
            )
        names_seen: set[str] = set()
        for c in items:
            if c.name == "":
                yield (
                    err,
                    "choices",
                    c.row,
                    "",
                    f"un choix de la liste « {list_name} » n'a pas de nom.",
                )
            elif c.name in names_seen and not allow_dup:
                yield (
                    err,
                    "choices",
                    c.row,
                    c.name,
                    f"le choix « {c.name} » apparaît deux fois dans la liste « {list_name} ».",
                )
            names_seen.add(c.name)
            if not c.label and not any(
                v and (k.startswith("label::") or k.split("::")[0] in MEDIA)
                for k, v in c.extra.items()
            ):  # pyxform accepts a choice shown by its picture only
                yield (
                    err,
                    "choices",
                    c.row,
                    c.name,
                    f"le choix « {c.name} » de la liste « {list_name} » n'a pas de libellé.",
                )
        if list_name not in used_lists and not any(q.type in FILE_SELECT_TYPES for q in form.rows):
            yield (
                tip,
                "choices",
                items[0].row if items else None,
                list_name,
                f"la liste « {list_name} » n'est utilisée par aucune question.",
            )
