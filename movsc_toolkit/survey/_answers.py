"""Shared pieces of the answers readers: problems and counts tables, label keys, the metadata
columns of each tool, LimeSurvey headings and checkbox spellings, free columns.

A private module with public names, used by :mod:`movsc_toolkit.survey.responses`, its reader
(``_reader``) and the SPSS reader (``_spss``).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .._parse import per_distinct, to_date, to_number
from .._problems import ProblemLog, ProblemTable
from .questionnaire import Question, Questionnaire

__all__ = [
    "DATETIME_COLUMNS",
    "GOOGLE_TIME",
    "GROUP_PATH",
    "KOBO_META",
    "LIME_CODETEXT",
    "LIME_COLUMN",
    "LIME_DUAL",
    "LIME_META",
    "LIME_META_TEXT",
    "ODK_META",
    "TICKED",
    "TICK_BAD",
    "TICK_BLANK",
    "TICK_NO",
    "TICK_YES",
    "UNTICKED",
    "Lines",
    "abbreviated",
    "answer_column",
    "checkbox_values",
    "choice_spellings",
    "count_table",
    "free_column",
    "joined_ticks",
    "map_unique",
    "norm_label",
    "parse_dates",
    "problem_table",
    "split_known",
    "text_cells",
    "tick_kind",
]


KOBO_META = {
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_index",
    "__version__",
    "_submitted_by",
    "_status",
    "_notes",
    "_tags",
}
ODK_META = {"SubmissionDate", "KEY", "meta-instanceID", "instanceID", "SubmitterID"}
LIME_META = {"submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"}
GOOGLE_TIME = {"horodateur", "horodatage", "timestamp", "marca temporal", "zeitstempel"}
DATETIME_COLUMNS = {
    "start",
    "end",
    "_submission_time",
    "SubmissionDate",
    "submitdate",
    "startdate",
    "datestamp",
}
# Headings of LimeSurvey's own columns when the export writes texts (English, French).
LIME_META_TEXT = {
    "response id",
    "date submitted",
    "last page",
    "start language",
    "date started",
    "date last action",
    "id de la réponse",
    "date de soumission",
    "dernière page",
    "langue de départ",
    "date de début",
    "date de la dernière action",
}
# "Q1. Texte", "Q1[SQ001]. Texte [Ligne]": the "code + text" heading style (separator ". ").
LIME_CODETEXT = re.compile(r"^(?P<code>[A-Za-z][\w]*(?:\[[^\]\s]+\])*)\.\s+(?P<text>.+)$")
LIME_DUAL = re.compile(r"^(?P<q>[^\[\]]+)\[(?P<sq>[^\[\]]+)\]\[(?P<scale>[12])\]$")
LIME_COLUMN = re.compile(r"^(?P<q>[^\[\]]+)\[(?P<sq>[^\[\]]+)\]$")
TICKED = {"1", "y", "yes", "oui", "true", "vrai", "1.0"}
UNTICKED = {"0", "n", "no", "non", "false", "faux", "0.0", ""}


class _CountTable(ProblemTable):
    """The declared non-responses (``colonne``, ``valeur``, ``effectif``), kept in ``attrs``."""

    def _summary(self) -> str:
        if len(self) == 0:
            return "Aucune non-réponse déclarée relevée."
        total = int(self["effectif"].sum())
        return f"Non-réponses déclarées : {total} réponse(s) mise(s) en valeur manquante."

    def __deepcopy__(self, memo: dict | None = None) -> _CountTable:
        return _CountTable(pd.DataFrame(self).copy(deep=True))


def problem_table(records: list[dict[str, Any]]) -> ProblemTable:
    """The problems table (one schema for the toolkit: ``_problems.COLUMNS``)."""
    log = ProblemLog()
    log.extend(records)
    return log.frame()


def count_table(records: list[dict[str, Any]]) -> _CountTable:
    return _CountTable(pd.DataFrame(records, columns=["colonne", "valeur", "effectif"]))


# --- helpers ------------------------------------------------------------------------------


def norm_label(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip().casefold()
    return text.rstrip(" *").strip()


def map_unique(values: pd.Series, func: Any) -> pd.Series:
    """``func`` of each value (an object column, ``None`` where a value is missing), called
    once per distinct value (exports repeat a lot): :func:`~movsc_toolkit._parse.per_distinct`.

    Not ``values.map(dict)``: with pyarrow, pandas would turn the dict's keys into an Arrow
    index and convert every cell to look it up.
    """
    return per_distinct(values, func)


class Lines(tuple):
    """Line numbers of the rows in the file, kept in ``attrs["lines"]``.

    Immutable, so pandas' deep copy of ``attrs`` at every operation costs nothing.
    """

    __slots__ = ()

    def __deepcopy__(self, memo: dict | None = None) -> Lines:
        return self


def split_known(text: str, known: dict[str, str], sep: str) -> tuple[list[str], list[str]]:
    """Split ``text`` into known answers (longest match first) and unknown pieces.

    ``known`` maps each accepted spelling (name or label, normalised) to the choice name.
    Labels may themselves contain the separator (``"Oui, souvent"``), hence the greedy match.
    """
    spellings = sorted(known, key=len, reverse=True)
    found: list[str] = []
    unknown: list[str] = []
    rest = text.strip()
    low = rest.casefold()
    i = 0
    while i < len(rest):
        for s in spellings:
            end = i + len(s)
            if low.startswith(s, i) and (
                end == len(rest) or rest.startswith(sep, end) or (sep == " " and rest[end] == " ")
            ):
                found.append(known[s])
                i = end
                break
        else:
            nxt = rest.find(sep, i)
            end = len(rest) if nxt == -1 else nxt
            piece = rest[i:end].strip()
            if piece:
                unknown.append(piece)
            i = end
        while i < len(rest) and rest.startswith(sep, i):
            i += len(sep)
        while i < len(rest) and rest[i] == " ":
            i += 1
    return found, unknown


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates and times of an export (ISO, French, ``UTC`` suffixes): the shared parser."""
    cleaned = values.str.replace(r"\s*(UTC|GMT|CET|CEST)[+-]?\d*$", "", regex=True)
    return to_date(cleaned.where(cleaned != "")).values


def abbreviated(
    heading: str, loose: dict[str, tuple[str, str | None]]
) -> tuple[str, str | None] | None:
    """LimeSurvey's abbreviated heading: a text cut short ("Êtes-vous sati… [Ligne 1]").

    The part before the ellipsis must start one label and the part after it end that label;
    only an unambiguous match is used.
    """
    for ellipsis in ("…", "&hellip;", "..."):
        if ellipsis in heading:
            before, _, after = heading.partition(ellipsis)
            break
    else:
        return None
    start, end = norm_label(before), norm_label(after)
    if len(start) < 3:
        return None
    found = {
        target
        for label, target in loose.items()
        if label.startswith(start) and label.endswith(end) and len(label) >= len(start)
    }
    return found.pop() if len(found) == 1 else None


# A Kobo/ODK group path: names (no spaces) joined by "/".
GROUP_PATH = re.compile(r"^[^\s/]+(?:/[^\s/]+)+$")
_CHECKBOX_SHORT = {"y", ""}
_CHECKBOX_LONG = {"yes", "no", "n/a", "oui", "non", ""}


def checkbox_values(values: set[str]) -> bool:
    """LimeSurvey checkbox cells: ``Y``/empty (short answers) or Yes/No (long answers)."""
    folded = {str(v).strip().casefold() for v in values}
    if folded <= {""}:
        return False
    return folded <= _CHECKBOX_SHORT or folded <= _CHECKBOX_LONG


def answer_column(form: Questionnaire, q: Question) -> str:
    """The answers-table column of ``q``: its name, or its group path when the name is reused."""
    return form.column_name(q) if q.asks else q.name


def choice_spellings(form: Questionnaire, q: Question, drop: set[str]) -> dict[str, str]:
    """Accepted spellings (normalised name and label) of each choice of ``q``."""
    spellings: dict[str, str] = {}
    labels = form.choice_labels(answer_column(form, q))
    for name, label in labels.items():
        if name in drop:
            continue
        spellings.setdefault(norm_label(label), name)
    if q.list_name:  # labels in the form's other languages (an export in another language)
        for c in form.choices.get(q.list_name, []):
            if c.name in drop:
                continue
            for key, text in c.extra.items():
                if key.startswith("label::") and text:
                    spellings.setdefault(norm_label(text), c.name)
    for name in labels:
        if name not in drop:
            spellings[norm_label(name)] = name  # names win over labels
    return spellings


# --- the reader --------------------------------------------------------------------------------


def free_column(values: pd.Series) -> pd.Series:
    """A column outside the questionnaire: numbers converted when every value is one.

    Like :func:`~movsc_toolkit.read_table`, codes with a leading zero (``"01000"``) stay
    text, and French decimal commas are accepted.
    """
    filled = values != ""
    if not filled.any():
        return pd.Series(np.nan, index=values.index, name=values.name)
    present = values[filled]
    parsed = to_number(present, symbols=False)
    numbers = parsed.values
    if (
        numbers.notna().all()
        and not parsed.ambiguous.any()
        and not present.str.match(r"^[+-]?0\d").any()
    ):
        out = pd.Series(np.nan, index=values.index, name=values.name)
        out[filled] = numbers
        if (numbers % 1 == 0).all():
            return out.round().astype("Int64")
        return out
    return values.where(filled)


def text_cells(values: pd.Series) -> pd.Series:
    """An object column of the texts, ``""`` for missing cells. Arrow strings are converted
    once per distinct value (shared Python strings), not once per cell."""
    if isinstance(values.array, pd.arrays.ArrowStringArray):
        return per_distinct(values, str, "")
    return values.astype(object).fillna("")


#: checkbox cells: ticked, not ticked, empty, unreadable (:func:`tick_kind`)
TICK_YES, TICK_NO, TICK_BLANK, TICK_BAD = 0, 1, 2, 3


def tick_kind(value: object) -> int:
    """The kind of a checkbox cell: one of :data:`TICK_YES`, ``TICK_NO``, ``TICK_BLANK``,
    ``TICK_BAD``."""
    if not isinstance(value, str):
        return TICK_BAD
    folded = value.casefold()
    if folded in TICKED:
        return TICK_YES
    if folded == "":
        return TICK_BLANK
    return TICK_NO if folded in UNTICKED else TICK_BAD


def joined_ticks(names: list[str], flags: list[np.ndarray], n: int) -> np.ndarray:
    """Per row, the names ticked in ``flags`` joined by spaces (``""`` when none): an object
    array, built once per distinct combination of ticks."""
    if not names:
        return np.full(n, "", dtype=object)
    if len(names) > 62:  # no 64-bit pattern: one concatenation per choice
        out = np.full(n, "", dtype=object)
        for name, flag in zip(names, flags, strict=True):
            out = out + np.where(flag, f"{name} ", "").astype(object)
        return np.array([text.rstrip() for text in out], dtype=object)
    pattern = np.zeros(n, dtype=np.int64)
    for bit, flag in enumerate(flags):
        pattern |= flag.astype(np.int64) << bit
    combos, rows = np.unique(pattern, return_inverse=True)
    texts = [
        "".join(f"{name} " for bit, name in enumerate(names) if int(combo) >> bit & 1).rstrip()
        for combo in combos
    ]
    return np.array(texts, dtype=object)[rows]
