"""Reading an XLSForm workbook (``.xlsx``, ``.xls``, ``.ods``) into a :class:`Questionnaire`.

The sheets ``survey``, ``choices`` and ``settings`` are read as pyxform reads them (headers in
any case, ``label:Français`` or ``label::Français (fr)`` for translations, the usual aliases),
keeping the line of every row so that the problems name it.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import FileError, FormatError, ValidationError, closest, column_error
from ._xlsform import (
    FALSE_WORDS,
    KNOWN_HEADERS,
    SURVEY_ALIASES,
    SURVEY_FIELDS,
    TRANSLATABLE,
    TRUE_WORDS,
    cell_text,
    default_language,
    normalise_type,
)
from .questionnaire import Choice, Question, Questionnaire

# --- reading an XLSForm ---------------------------------------------------------------------


_SHEETS = ("survey", "choices", "settings")


def _header(name: object) -> str:
    """A column header as pyxform reads it: known words in lower case (``LABEL::EN``)."""
    text = str(name).strip()
    head, sep, rest = text.partition("::")
    low = head.lower()
    if low in KNOWN_HEADERS or low in TRANSLATABLE:
        return low + sep + rest
    return text


def _with_lines(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs["lines"] = []
    return frame


def _read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    from .._io import read_table

    try:
        frame = read_table(path, sheet=sheet, convert_numbers=False, parse_dates=False)
    except FormatError as exc:
        if sheet.lower() == "survey" or "est vide" not in str(exc):
            raise
        return _with_lines(pd.DataFrame())  # an empty "choices"/"settings" sheet: no rows
    lines = frame.attrs.get("lines", [None] * len(frame))
    frame = frame.map(cell_text)
    frame.columns = [_header(c) for c in frame.columns]
    frame.attrs["lines"] = lines
    return frame


def _translation_headers(columns: Sequence[str]) -> dict[str, str]:
    """``label:French`` → ``label::French`` when the sheet uses single colons (as pyxform)."""
    if any("::" in c for c in columns):
        return {}
    renamed = {}
    for c in columns:
        head, sep, lang = c.partition(":")
        if sep and head.strip().lower() in TRANSLATABLE and lang.strip():
            renamed[c] = f"{head.strip().lower()}::{lang.strip()}"
    return renamed


def read_xlsform(
    path: str | PathLike[str], *, validate: bool = True, language: str | None = None
) -> Questionnaire:
    """Read an XLSForm workbook (``.xlsx``, ``.xls`` or ``.ods``) into a :class:`Questionnaire`.

    Reads the form as pyxform (KoboToolbox, ODK) reads it: the spec's column names and
    pyxform's aliases (``relevance`` for ``relevant``, ``list name`` for ``list_name``…), the
    type spellings pyxform accepts (``begin group`` and ``begin_group``, ``select one from X``,
    ``select all that apply X``, ``string``, ``int``, ``imei``, ``uri:deviceid``…), translated
    columns (``label::Français (fr)``, or ``label:Français`` with one colon), the same name
    reused in different groups, and choice names such as ``NA``, ``None`` or ``0`` (they are
    answers, not missing values).

    Parameters
    ----------
    path
        The workbook.
    validate
        Raise :class:`ValidationError` (French list of every error, with its sheet and row) when
        the form would not work on KoboToolbox/ODK. ``False`` reads it anyway: use
        :meth:`Questionnaire.check` to list the problems.
    language
        For a multilingual form, the language of the labels (``"fr"``, ``"Français"``,
        ``"English (en)"``…). By default French when the form has French labels
        (``label::Français (fr)``, ``label::French (fr)``, ``label:fr``), else the form's
        ``default_language``, else the plain ``label`` column. A language the form does not
        have raises :class:`ValidationError` listing the available ones.

    Returns
    -------
    Questionnaire
        The form, validated (unless ``validate=False``), labels in the chosen language.

    Examples
    --------
    >>> form = read_xlsform("formulaire.xlsx")  # doctest: +SKIP
    >>> form.codebook()  # doctest: +SKIP

    >>> from movsc_toolkit import datasets
    >>> form = read_xlsform(datasets.path("enquete_usagers", "formulaire.xlsx"))
    >>> len(form), form.choice_labels("sexe")["femme"]
    (22, 'Femme')

    References
    ----------
    XLSForm specification (xlsform.org), read as ``pyxform`` reads it
    (``tests/survey/test_design.py::test_round_trip_xlsform``).
    """
    from .._io import EXCEL_SUFFIXES, check_path

    p = check_path(path)
    if p.suffix.lower() not in EXCEL_SUFFIXES:
        raise FileError(
            "un formulaire XLSForm est un classeur Excel ou Calc.",
            path=p,
            hint="donnez le fichier .xlsx (ou .ods) du questionnaire, celui que vous déposez sur "
            "KoboToolbox.",
        )
    try:
        with warnings.catch_warnings():
            # pandas announces the end of xlrd for .xls: the user can do nothing about it
            warnings.simplefilter("ignore")
            with pd.ExcelFile(p) as book:
                sheets = book.sheet_names
    except Exception as exc:  # corrupt workbook
        raise FileError(
            f"le classeur est illisible ({type(exc).__name__}).",
            path=p,
            hint="ouvrez-le dans Excel ou Calc et enregistrez-le à nouveau.",
        ) from None
    # pyxform reads sheet names without regard to case ("SURVEY", "Choices").
    by_case = {s.lower(): s for s in reversed(sheets)}
    found: dict[str, Any] = {
        name: name if name in sheets else by_case.get(name) for name in _SHEETS
    }
    sheets = [name for name, real in found.items() if real] + [
        s for s in sheets if s not in found.values()
    ]
    for needed in ("survey", "choices"):
        if needed not in sheets:
            near = closest(needed, sheets)
            hint = (
                f"renommez la feuille « {near[0]} » en « {needed} » (nom exact, en minuscules)."
                if near
                else f"ajoutez une feuille nommée exactement « {needed} »."
            )
            if needed == "choices" and not near:
                hint += " Elle peut rester vide s'il n'y a aucune question à choix."
            if needed == "survey" or near:
                raise FileError(
                    f"le formulaire n'a pas de feuille « {needed} » (feuilles : "
                    + ", ".join(f"« {s} »" for s in sheets)
                    + ").",
                    path=p,
                    hint=hint,
                )
    survey = _read_sheet(p, found["survey"])
    survey = survey.rename(columns=_translation_headers(list(survey.columns)))
    _read_columns = list(survey.columns)
    survey = survey.rename(columns={c: SURVEY_ALIASES.get(c, c) for c in survey.columns})
    has_label = "label" in survey.columns or any(c.startswith("label::") for c in survey.columns)
    for needed in ("type", "name"):
        if needed not in survey.columns:
            raise column_error(needed, survey.columns, path=p)
    if not has_label:
        raise ValidationError(
            "la feuille « survey » n'a pas de colonne « label ».",
            path=p,
            hint="ajoutez une colonne « label » (ou « label::Français (fr) ») avec le texte des "
            "questions.",
        )
    form = Questionnaire(path=str(p), aliases=[c for c in _read_columns if c in SURVEY_ALIASES])
    stack: list[str] = []
    lines = survey.attrs["lines"]
    for i, record in enumerate(survey.to_dict("records")):
        raw_type = record.get("type", "")
        if not raw_type and not any(record.values()):
            continue
        base, list_name, or_other = normalise_type(raw_type)
        if base in {"end_group", "end_repeat"} and stack:
            stack.pop()
        known = {k: record.get(k, "") for k in SURVEY_FIELDS}
        extra = {
            k: v
            for k, v in record.items()
            if k not in SURVEY_FIELDS and v != "" and not k.startswith("colonne_")
        }
        required = known["required"].lower()
        q = Question(
            type=base,
            name=known["name"],
            label=known["label"],
            list_name=list_name,
            hint=known["hint"],
            required=required in TRUE_WORDS,
            required_message=known["required_message"],
            relevant=known["relevant"],
            constraint=known["constraint"],
            constraint_message=known["constraint_message"],
            choice_filter=known["choice_filter"],
            appearance=known["appearance"],
            or_other=or_other,
            group=tuple(stack),
            extra=extra,
            row=lines[i],
        )
        if required not in TRUE_WORDS and required not in FALSE_WORDS:
            q.extra["required"] = known["required"]  # an expression: keep it verbatim
        form.rows.append(q)
        if base in {"begin_group", "begin_repeat"}:
            stack.append(q.name)
    if "choices" in sheets:
        choices = _read_sheet(p, found["choices"])
        choices = choices.rename(columns=_translation_headers(list(choices.columns)))
        choices = choices.rename(columns={"list name": "list_name"})
        if len(choices.columns) and "list_name" not in choices.columns:
            raise column_error("list_name", choices.columns, path=p)
        if len(choices) and "name" not in choices.columns:
            raise column_error("name", choices.columns, path=p)
        lines = choices.attrs["lines"]
        for i, record in enumerate(choices.to_dict("records")):
            if not record.get("list_name") and not record.get("name"):
                continue
            extra = {
                k: v
                for k, v in record.items()
                if k not in {"list_name", "name", "label"} and v != ""
            }
            c = Choice(
                record.get("list_name", ""),
                record.get("name", ""),
                record.get("label", ""),
                extra,
                row=lines[i],
            )
            form.choices.setdefault(c.list_name, []).append(c)
    if "settings" in sheets:
        settings = _read_sheet(p, found["settings"])
        if len(settings):
            values = {k: v for k, v in settings.iloc[0].items() if v}
            aliases = {"set_form_title": "form_title", "set_form_id": "form_id"}
            values = {aliases.get(k, k): v for k, v in values.items()}
            form = dataclasses.replace(
                form,
                title=values.pop("form_title", ""),
                form_id=values.pop("form_id", ""),
                version=values.pop("version", ""),
                default_language=values.pop("default_language", ""),
                settings=values,
            )
    form.set_language(language if language is not None else default_language(form))
    if validate:
        form.validate()
    return form
