"""Writing a questionnaire: the three XLSForm sheets and the codebook file.

A private module with public names, used by the methods of
:class:`movsc_toolkit.survey.Questionnaire`.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .._errors import FileError
from .._write import write_excel, write_text
from ._xlsform import (
    SURVEY_FIELDS,
    TYPE_LABELS,
    choice_text,
    readable_condition,
)

if TYPE_CHECKING:
    from .questionnaire import Questionnaire


def survey_sheet(form: Questionnaire) -> pd.DataFrame:
    """The ``survey`` sheet as a DataFrame (standard column names, text cells)."""
    extra_cols: list[str] = []
    for q in form.rows:
        for key in q.extra:
            if key not in extra_cols:
                extra_cols.append(key)
    label_tr = sorted(c for c in extra_cols if c.startswith("label::"))
    hint_tr = sorted(c for c in extra_cols if c.startswith("hint::"))
    others = [
        c for c in extra_cols if c not in label_tr and c not in hint_tr and c not in SURVEY_FIELDS
    ]
    records = []
    for q in form.rows:
        rec = {
            "type": q.xlsform_type,
            "name": q.name,
            "label": q.label,
            "hint": q.hint,
            "required": "yes" if q.required else "",
            "required_message": q.required_message,
            "relevant": q.relevant,
            "constraint": q.constraint,
            "constraint_message": q.constraint_message,
            "choice_filter": q.choice_filter,
            "appearance": q.appearance,
        }
        rec.update(q.extra)
        records.append(rec)
    order = ["type", "name", "label", *label_tr, "hint", *hint_tr, *SURVEY_FIELDS[4:]]
    order += others
    frame = pd.DataFrame(records, columns=order).fillna("")
    keep = [c for c in order if c in {"type", "name", "label"} or (frame[c] != "").any()]
    if "label" not in keep:
        keep.insert(2, "label")
    return frame[keep]


def choices_sheet(form: Questionnaire) -> pd.DataFrame:
    """The ``choices`` sheet as a DataFrame (``list_name``, ``name``, ``label``, …)."""
    extra_cols: list[str] = []
    for items in form.choices.values():
        for c in items:
            for key in c.extra:
                if key not in extra_cols:
                    extra_cols.append(key)
    records = [
        {"list_name": c.list_name, "name": c.name, "label": c.label, **c.extra}
        for items in form.choices.values()
        for c in items
    ]
    frame = pd.DataFrame(records, columns=["list_name", "name", "label", *extra_cols])
    return frame.fillna("")


def settings_sheet(form: Questionnaire) -> pd.DataFrame:
    """The ``settings`` sheet (one row) as a DataFrame."""
    values = {
        "form_title": form.title,
        "form_id": form.form_id,
        "version": form.version,
        "default_language": form.default_language,
        **form.settings,
    }
    values = {k: v for k, v in values.items() if v}
    return pd.DataFrame([values]) if values else pd.DataFrame()


def write_xlsform(form: Questionnaire, path: str | PathLike[str]) -> Path:
    """Write the questionnaire as an XLSForm workbook (``.xlsx``) for KoboToolbox/ODK.

    The form is validated first (``validate=False`` skips it). Returns the path written.
    """
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise FileError(
            "un formulaire XLSForm s'enregistre au format .xlsx.",
            path=target,
            hint="donnez un nom de fichier finissant par .xlsx (par exemple « formulaire.xlsx »).",
        )
    sheets = {
        "survey": survey_sheet(form),
        "choices": choices_sheet(form),
        "settings": settings_sheet(form),
    }
    if sheets["settings"].empty:
        del sheets["settings"]
    write_excel(
        target,
        sheets,
        what="le formulaire XLSForm",
        suffixes=(".xlsx",),
        index=False,
        freeze="A2",
        header_fill=None,
        bold_rows=(),
    )
    return target


def write_codebook(form: Questionnaire, path: str | PathLike[str]) -> Path:
    """Write the codebook to an ``.xlsx`` workbook or a Markdown (``.md``) file."""
    target = Path(path)
    book = form.codebook()
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        widths = dict(zip(book.columns, (18, 50, 16, 60, 12, 40, 20), strict=True))
        write_excel(
            target,
            {"Dictionnaire des codes": book},
            what="le dictionnaire des codes",
            suffixes=(".xlsx",),
            index=False,
            widths=widths,
            freeze="A2",
            bold_rows=(),
        )
    elif suffix in {".md", ".markdown"}:
        title = form.title or "Questionnaire"
        lines = [f"# Dictionnaire des codes — {title}", ""]
        lines.append("| " + " | ".join(book.columns) + " |")
        lines.append("|" + "---|" * len(book.columns))
        for record in book.itertuples(index=False):
            cells = [str(v).replace("|", "\\|").replace("\n", " ") for v in record]
            lines.append("| " + " | ".join(cells) + " |")
        write_text(
            target,
            "\n".join(lines) + "\n",
            suffixes=(".md", ".markdown"),
            what="le dictionnaire des codes",
        )
    else:
        raise FileError(
            f"le format « {suffix or '(aucune extension)'} » n'est pas prévu pour le "
            "dictionnaire des codes.",
            path=target,
            hint="donnez un nom de fichier finissant par .xlsx ou .md.",
        )
    return target


def codebook_frame(form: Questionnaire) -> pd.DataFrame:
    """The codebook of :meth:`Questionnaire.codebook`: one row per question, in French."""
    group_conditions: dict[str, str] = {}
    for q in form.rows:
        if q.type in {"begin_group", "begin_repeat"} and q.relevant:
            group_conditions[q.name] = q.relevant
    records = []
    for q in form.questions:
        conditions = [group_conditions[g] for g in q.group if g in group_conditions]
        if q.relevant:
            conditions.append(q.relevant)
        readable = " et ".join(
            f"({readable_condition(c)})" if len(conditions) > 1 else readable_condition(c)
            for c in conditions
        )
        if q.list_name is not None:
            mods = " ; ".join(
                f"{c.name} = {choice_text(c)}" for c in form.choices.get(q.list_name, [])
            )
        else:
            mods = ""
        records.append(
            {
                "variable": q.name,
                "libellé": q.text,
                "type": TYPE_LABELS.get(q.type, q.type),
                "modalités": mods,
                "obligatoire": "oui" if q.required else "non",
                "condition d'affichage": readable,
                "groupe": " > ".join(q.group),
            }
        )
    columns = [
        "variable",
        "libellé",
        "type",
        "modalités",
        "obligatoire",
        "condition d'affichage",
        "groupe",
    ]
    return pd.DataFrame(records, columns=columns)
