"""Reading survey answers exported by KoboToolbox, ODK, LimeSurvey, Google Forms, SPSS or a
spreadsheet, labelled with the questionnaire.

:func:`read_responses` turns an export into one DataFrame the table functions understand:
choice codes become their labels, as **ordered categories in the questionnaire's order**;
questions that were not asked stay **missing** (never 0); declared non-response codes (``NSP``,
``99``…) become missing and are counted; every value that cannot be read is reported, never
dropped silently. Encodings of each tool: KoboToolbox as its export engine writes them
(``kobotoolbox/formpack``, ``src/formpack/schema/fields.py``), LimeSurvey column codes as
``viewHelper::getFieldCode`` builds them, SPSS files through pyreadstat ``read_sav``; Google
Forms publishes no CSV format (labels joined by ``", "`` in one cell, as third-party tools
read it).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import OptionError, closest
from .._problems import ProblemTable
from ._answers import (
    GOOGLE_TIME,
    KOBO_META,
    LIME_CODETEXT,
    LIME_COLUMN,
    LIME_META,
    LIME_META_TEXT,
    ODK_META,
    Lines,
    count_table,
    norm_label,
    problem_table,
)
from ._reader import (
    Reader,
)
from ._spss import (
    SPSS_SUFFIXES,
    read_spss,
    spss_labelled,
    spss_missing,
)
from .questionnaire import Questionnaire
from .xlsform import read_xlsform

__all__ = ["ProblemTable", "read_responses"]

SOURCES = ("kobo", "odk", "limesurvey", "google", "excel", "spss")


def _as_form(
    form: Questionnaire | str | PathLike[str] | None, language: str | None = None
) -> Questionnaire | None:
    if form is None:
        return None
    if isinstance(form, Questionnaire):
        if language is None:
            return form
        chosen = copy.deepcopy(form)  # never change the caller's questionnaire
        return chosen.set_language(language)
    from .limesurvey import STRUCTURE_SUFFIXES, read_limesurvey_structure

    if Path(form).suffix.lower() in STRUCTURE_SUFFIXES:
        return read_limesurvey_structure(form, language=language)
    return read_xlsform(form, language=language)


def _is_limesurvey_form(form: Questionnaire | None) -> bool:
    return form is not None and any("limesurvey_type" in q.extra for q in form.rows)


def _detect_source(columns: Sequence[str], suffix: str) -> str:
    cols = set(columns)
    if suffix in {".sav", ".zsav"}:
        return "spss"
    if (
        any(LIME_COLUMN.match(c) for c in columns)
        or len(cols & LIME_META) >= 2
        or len({norm_label(c) for c in columns} & LIME_META_TEXT) >= 2
        or sum(bool(LIME_CODETEXT.match(c)) for c in columns) >= max(2, len(columns) // 2)
    ):
        return "limesurvey"
    if columns and norm_label(columns[0]) in GOOGLE_TIME:
        return "google"
    if cols & KOBO_META:
        return "kobo"
    if cols & ODK_META:
        return "odk"
    return "excel"


def read_responses(
    path: str | PathLike[str],
    form: Questionnaire | str | PathLike[str] | None = None,
    *,
    source: str | None = None,
    nonresponse: Sequence[Any] | None = None,
    sheet: str | int | None = None,
    language: str | None = None,
) -> pd.DataFrame:
    """Read the answers to a questionnaire, labelled with the questionnaire.

    Parameters
    ----------
    path
        The export: CSV (``;`` or ``,``), XLSX, ODS, or SPSS ``.sav``/``.zsav``/``.por``.
        Only empty cells and declared non-response codes are missing: ``NA``, ``None``,
        ``null``, ``N/A``, ``NaN`` typed in a file are answers, in CSV and workbooks alike.
    form
        The questionnaire (:class:`~movsc_toolkit.survey.Questionnaire`, the path of its
        XLSForm, or of a LimeSurvey structure export ``.lss``/``.txt``, see
        :func:`~movsc_toolkit.survey.read_limesurvey_structure`). With it, choice codes become
        labels, categories follow the order of the ``choices`` sheet, numbers and dates are
        converted by question type, and columns are found under any name the tools give them
        (``groupe/question``, ``groupe-question``, the question's label in any language of
        the form; LimeSurvey ``Q1``, ``Q1. Texte``, full or abbreviated texts, ``Q1_SQ001``).
        A question name reused in two groups gives two columns named by their path
        (``groupe1/age``, ``groupe2/age``); without a form they are never merged either.
    source
        ``"kobo"``, ``"odk"``, ``"limesurvey"``, ``"google"``, ``"excel"`` or ``"spss"``;
        detected from the columns when omitted (Kobo ``_uuid``/``_submission_time``, ODK
        ``SubmissionDate``/``KEY``, LimeSurvey ``Q1[SQ001]``/``submitdate``, Google Forms'
        first column ``Horodateur``/``Timestamp``).
    nonresponse
        Codes meaning "no answer" (``("NSP", "99", "Refus")``), compared without regard to
        case; they may be choice names or labels. They become missing values and are counted
        in ``attrs["nonresponse"]``; a choice they name disappears from the categories.
    sheet
        Sheet of a workbook (first by default). A KoboToolbox ``.xlsx`` export puts the
        answers to a repeat group (``begin repeat``) on a sheet of their own: read it with
        ``sheet="<nom du groupe>"`` and the same form.
    language
        For a multilingual form, the language of the labels (``"fr"``, ``"English (en)"``…);
        French by default when the form has it (see :func:`read_xlsform`). A language the form
        does not have raises :class:`ValidationError` listing the available ones.

    Returns
    -------
    pandas.DataFrame
        One row per respondent, the file's columns renamed after the questions (without the
        group prefix). Conventions:

        - **single choice** (``select_one``): an ordered :class:`pandas.Categorical` of the
          choice labels, in the list order;
        - **multiple choice** (``select_multiple`` ``activites``): the column ``activites``
          holds the ticked choice *names* separated by spaces, and one column per choice,
          ``activites/<nom_du_choix>``, holds ``1`` (ticked) or ``0`` (not ticked) as
          ``Int64``; **all are missing (NA) when the question was not asked or not answered**
          (a skipped question is not a "no" — Kobo writes empty cells for it, formpack
          ``FormChoiceFieldWithMultipleSelect``). LimeSurvey
          ``Q1[SQ001]`` columns (``Y``/empty) and Google Forms cells (labels joined by ``", "``,
          split against the known labels) are stored the same way;
        - numbers (``integer``: ``Int64``; ``decimal``: float), dates (datetime, local time),
          texts (``str``); empty cells are missing.

        ``attrs`` carries: ``"problems"`` (columns ``ligne`` — line in the file, case number
        for SPSS —, ``colonne``, ``valeur``, ``gravité``, ``message``: ``erreur`` for a value
        that could not be read and was set to missing, e.g. a code absent from the choice
        list; ``alerte`` for a value kept but worth checking, e.g. an SPSS value without a
        label, kept and shown with its code), ``"nonresponse"`` (``colonne``,
        ``valeur``, ``effectif``), ``"source"``, ``"labels"`` (question → label),
        ``"choices"`` (question → ``{name: label}``), ``"multiple"`` (names of the
        multiple-choice questions), ``"absent"`` (questions of the form missing from the
        file) and ``"lines"``.

    Raises
    ------
    FileError, FormatError, ValidationError
        With a French message (unreadable file, invalid questionnaire, unknown source…).

    Examples
    --------
    >>> reponses = read_responses("export_kobo.csv", form="formulaire.xlsx")  # doctest: +SKIP

    >>> from movsc_toolkit import datasets
    >>> dossier = datasets.path("enquete_epicerie_solidaire")
    >>> reponses = read_responses(dossier / "reponses.csv", form=dossier / "formulaire.xlsx")
    >>> reponses.shape, reponses.attrs["source"], len(reponses.attrs["problems"])
    ((280, 47), 'kobo', 0)
    """
    if isinstance(nonresponse, str | int | float):
        nonresponse = [nonresponse]  # a single code given without a list
    if source is not None and source not in SOURCES:
        near = closest(str(source), SOURCES)
        raise OptionError(
            f"source « {source} » inconnue.",
            hint=(f"vouliez-vous dire « {near[0]} » ? " if near else "")
            + "Sources possibles : "
            + ", ".join(f"« {s} »" for s in SOURCES)
            + " (ou rien : la source est alors détectée).",
        )
    questionnaire = _as_form(form, language)
    from .._io import check_path, read_table

    p = check_path(path)
    suffix = p.suffix.lower()
    if suffix in SPSS_SUFFIXES or source == "spss":
        data, meta, spss_problems = read_spss(p)
        data, nr, masked = spss_missing(data, meta, nonresponse)
        if questionnaire is None:
            result = spss_labelled(data, meta, masked, spss_problems)
            result.attrs.update(
                {
                    "source": "spss",
                    "problems": problem_table(spss_problems),
                    "nonresponse": count_table(nr),
                    "multiple": [],
                    "absent": [],
                    "lines": Lines(range(1, len(result) + 1)),
                }
            )
            return result
        raw = data
        raw.attrs["lines"] = list(range(1, len(data) + 1))
        detected = "spss"
    else:
        raw = read_table(p, sheet=sheet, convert_numbers=False, parse_dates=False)
        detected = source or (
            "limesurvey"
            if _is_limesurvey_form(questionnaire)
            else _detect_source(list(raw.columns), suffix)
        )
        nr = []
        # what read_table itself reported (error cells of a workbook…) stays in the report
        found = raw.attrs.get("problems")
        spss_problems = [] if found is None else pd.DataFrame(found).to_dict("records")
    reader = Reader(raw, questionnaire, detected, nonresponse)
    for record in nr:
        key = (record["colonne"], record["valeur"])
        reader.nr_counts[key] = reader.nr_counts.get(key, 0) + record["effectif"]
    reader.problems.extend(spss_problems)
    result = reader.run()
    result.attrs["source"] = detected
    result.attrs["problems"] = problem_table(reader.problems)
    result.attrs["nonresponse"] = count_table(
        [{"colonne": c, "valeur": v, "effectif": n} for (c, v), n in reader.nr_counts.items()]
    )
    result.attrs.setdefault("absent", [])
    result.attrs["lines"] = reader.lines
    return result
