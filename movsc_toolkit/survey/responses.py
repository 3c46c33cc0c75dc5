"""Reading survey answers exported by KoboToolbox, ODK, LimeSurvey, Google Forms, SPSS or a
spreadsheet, labelled with the questionnaire.

:func:`read_responses` turns an export into one DataFrame the table functions understand:
choice codes become their labels, as **ordered categories in the questionnaire's order**;
questions that were not asked stay **missing** (never 0); declared non-response codes (``NSP``,
``99``…) become missing and are counted; every value that cannot be read is reported, never
dropped silently. Encodings of each tool: ``reference/survey.md`` §2.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import FileError, ValidationError
from .._parse import to_date, to_number
from .._problems import ProblemLog, ProblemTable
from ._xlsform import cell_text
from .questionnaire import Question, Questionnaire
from .xlsform import read_xlsform

__all__ = ["ProblemTable", "read_responses"]

SOURCES = ("kobo", "odk", "limesurvey", "google", "excel", "spss")

_KOBO_META = {
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
_ODK_META = {"SubmissionDate", "KEY", "meta-instanceID", "instanceID", "SubmitterID"}
_LIME_META = {"submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"}
_GOOGLE_TIME = {"horodateur", "horodatage", "timestamp", "marca temporal", "zeitstempel"}
_DATETIME_COLUMNS = {
    "start",
    "end",
    "_submission_time",
    "SubmissionDate",
    "submitdate",
    "startdate",
    "datestamp",
}
# Headings of LimeSurvey's own columns when the export writes texts (English, French).
_LIME_META_TEXT = {
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
_LIME_CODETEXT = re.compile(r"^(?P<code>[A-Za-z][\w]*(?:\[[^\]\s]+\])*)\.\s+(?P<text>.+)$")
_LIME_DUAL = re.compile(r"^(?P<q>[^\[\]]+)\[(?P<sq>[^\[\]]+)\]\[(?P<scale>[12])\]$")
_LIME_COLUMN = re.compile(r"^(?P<q>[^\[\]]+)\[(?P<sq>[^\[\]]+)\]$")
_TICKED = {"1", "y", "yes", "oui", "true", "vrai", "1.0"}
_UNTICKED = {"0", "n", "no", "non", "false", "faux", "0.0", ""}


class _CountTable(ProblemTable):
    """The declared non-responses (``colonne``, ``valeur``, ``effectif``), kept in ``attrs``."""

    def _summary(self) -> str:
        if len(self) == 0:
            return "Aucune non-réponse déclarée relevée."
        total = int(self["effectif"].sum())
        return f"Non-réponses déclarées : {total} réponse(s) mise(s) en valeur manquante."

    def __deepcopy__(self, memo: dict | None = None) -> _CountTable:
        return _CountTable(pd.DataFrame(self).copy(deep=True))


def _problem_table(records: list[dict[str, Any]]) -> ProblemTable:
    """The problems table (one schema for the toolkit: ``_problems.COLUMNS``)."""
    log = ProblemLog()
    log.extend(records)
    return log.frame()


def _count_table(records: list[dict[str, Any]]) -> _CountTable:
    return _CountTable(pd.DataFrame(records, columns=["colonne", "valeur", "effectif"]))


# --- helpers ------------------------------------------------------------------------------


def _norm_label(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip().casefold()
    return text.rstrip(" *").strip()


def _map_unique(values: pd.Series, func: Any) -> pd.Series:
    """``values.map(func)``, calling ``func`` once per distinct value (exports repeat a lot)."""
    mapping = {v: func(v) for v in pd.unique(values.dropna())}
    return values.map(mapping)


class _Lines(tuple):
    """Line numbers of the rows in the file, kept in ``attrs["lines"]``.

    Immutable, so pandas' deep copy of ``attrs`` at every operation costs nothing.
    """

    __slots__ = ()

    def __deepcopy__(self, memo: dict | None = None) -> _Lines:
        return self


def _split_known(text: str, known: dict[str, str], sep: str) -> tuple[list[str], list[str]]:
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


def _dates(values: pd.Series) -> pd.Series:
    """Dates and times of an export (ISO, French, ``UTC`` suffixes): the shared parser."""
    cleaned = values.str.replace(r"\s*(UTC|GMT|CET|CEST)[+-]?\d*$", "", regex=True)
    return to_date(cleaned.where(cleaned != "")).values


def _as_form(
    form: Questionnaire | str | PathLike[str] | None, langue: str | None = None
) -> Questionnaire | None:
    if form is None:
        return None
    if isinstance(form, Questionnaire):
        if langue is None:
            return form
        chosen = copy.deepcopy(form)  # never change the caller's questionnaire
        return chosen.set_language(langue)
    from .limesurvey import STRUCTURE_SUFFIXES, read_limesurvey_structure

    if Path(form).suffix.lower() in STRUCTURE_SUFFIXES:
        return read_limesurvey_structure(form, langue=langue)
    return read_xlsform(form, langue=langue)


def _is_limesurvey_form(form: Questionnaire | None) -> bool:
    return form is not None and any("limesurvey_type" in q.extra for q in form.rows)


def _detect_source(columns: Sequence[str], suffix: str) -> str:
    cols = set(columns)
    if suffix in {".sav", ".zsav"}:
        return "spss"
    if (
        any(_LIME_COLUMN.match(c) for c in columns)
        or len(cols & _LIME_META) >= 2
        or len({_norm_label(c) for c in columns} & _LIME_META_TEXT) >= 2
        or sum(bool(_LIME_CODETEXT.match(c)) for c in columns) >= max(2, len(columns) // 2)
    ):
        return "limesurvey"
    if columns and _norm_label(columns[0]) in _GOOGLE_TIME:
        return "google"
    if cols & _KOBO_META:
        return "kobo"
    if cols & _ODK_META:
        return "odk"
    return "excel"


def _abbreviated(
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
    start, end = _norm_label(before), _norm_label(after)
    if len(start) < 3:
        return None
    found = {
        target
        for label, target in loose.items()
        if label.startswith(start) and label.endswith(end) and len(label) >= len(start)
    }
    return found.pop() if len(found) == 1 else None


# A Kobo/ODK group path: names (no spaces) joined by "/".
_PATH = re.compile(r"^[^\s/]+(?:/[^\s/]+)+$")
_CHECKBOX_SHORT = {"y", ""}
_CHECKBOX_LONG = {"yes", "no", "n/a", "oui", "non", ""}


def _checkbox_values(values: set[str]) -> bool:
    """LimeSurvey checkbox cells: ``Y``/empty (short answers) or Yes/No (long answers)."""
    folded = {str(v).strip().casefold() for v in values}
    if folded <= {""}:
        return False
    return folded <= _CHECKBOX_SHORT or folded <= _CHECKBOX_LONG


def _key(form: Questionnaire, q: Question) -> str:
    """The answers-table column of ``q``: its name, or its group path when the name is reused."""
    return form.column_name(q) if q.asks else q.name


def _choice_spellings(form: Questionnaire, q: Question, drop: set[str]) -> dict[str, str]:
    """Accepted spellings (normalised name and label) of each choice of ``q``."""
    spellings: dict[str, str] = {}
    labels = form.choice_labels(_key(form, q))
    for name, label in labels.items():
        if name in drop:
            continue
        spellings.setdefault(_norm_label(label), name)
    if q.list_name:  # labels in the form's other languages (an export in another language)
        for c in form.choices.get(q.list_name, []):
            if c.name in drop:
                continue
            for key, text in c.extra.items():
                if key.startswith("label::") and text:
                    spellings.setdefault(_norm_label(text), c.name)
    for name in labels:
        if name not in drop:
            spellings[_norm_label(name)] = name  # names win over labels
    return spellings


# --- the reader --------------------------------------------------------------------------------


class _Reader:
    def __init__(
        self,
        raw: pd.DataFrame,
        form: Questionnaire | None,
        source: str,
        nonresponse: Iterable[Any] | None,
    ) -> None:
        self.lines = _Lines(raw.attrs.get("lines", range(2, len(raw) + 2)))
        raw.attrs = {}  # no deep copy of the line numbers at every column access
        self.text = pd.DataFrame(
            {
                col: (
                    raw[col].astype(object).fillna("")  # read_table already stripped it
                    if pd.api.types.infer_dtype(raw[col], skipna=True) in {"string", "empty"}
                    else raw[col].map(cell_text)
                )
                for col in raw.columns
            },
            index=raw.index,
        )
        self.form = form
        self.source = source
        self.nr = {_norm_label(cell_text(v)) for v in (nonresponse or [])}
        self.problems: list[dict[str, Any]] = []
        self.nr_counts: dict[tuple[str, str], int] = {}
        self.multiple: dict[str, list[str]] = {}  # question → choice names (formless)
        self.heading_labels: dict[str, str] = {}  # LimeSurvey "code. texte" headings

    # problems and non-responses ----------------------------------------------------------
    def problem(
        self,
        rows: Iterable[int],
        column: str,
        values: Iterable[str],
        message: str,
        severity: str = "erreur",
    ) -> None:
        for i, v in zip(rows, values, strict=True):
            self.problems.append(
                {
                    "ligne": self.lines[i],
                    "colonne": column,
                    "valeur": v,
                    "gravité": severity,
                    "message": message,
                }
            )

    def strip_nonresponse(self, column: str, values: pd.Series, extra: set[str]) -> pd.Series:
        codes = self.nr | extra
        if not codes:
            return values
        hit = _map_unique(values, lambda v: v != "" and _norm_label(v) in codes).astype(bool)
        if hit.any():
            for v, n in values[hit].value_counts(sort=False).items():
                self.nr_counts[(column, v)] = self.nr_counts.get((column, v), 0) + int(n)
            values = values.mask(hit, "")
        return values

    # source-specific reshaping ---------------------------------------------------------------
    def limesurvey_headings(self) -> None:
        """Headings "Q1. Texte" (code + text) back to the code ``Q1``; the texts become labels.

        With a structure (or any form), only known codes are stripped; without one, the style
        must be the one of most columns, so that a text heading such as "M. Dupont" is kept.
        """
        known = set()
        if self.form is not None:
            known = {q.name for q in self.form.rows if q.name}
            for q in self.form.questions:
                if q.type == "select_multiple":
                    known |= {f"{q.name}[{c}]" for c in self.form.choice_labels(_key(self.form, q))}
        matches = {c: _LIME_CODETEXT.match(c) for c in self.text.columns}
        if self.form is None and sum(m is not None for m in matches.values()) < max(
            2, len(matches) // 2
        ):
            return
        renamed: dict[str, str] = {}
        for col, m in matches.items():
            if m is None or (self.form is not None and m["code"] not in known):
                continue
            if m["code"] in self.text.columns or m["code"] in renamed.values():
                continue  # never merge two columns
            renamed[col] = m["code"]
            self.heading_labels[m["code"]] = m["text"]
        if renamed:
            self.text = self.text.rename(columns=renamed)

    def reshape_limesurvey(self) -> None:
        """``Q1[SQ001]`` columns (``Y`` ticked / empty) → summary column ``Q1`` of codes."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for col in self.text.columns:
            m = _LIME_COLUMN.match(col)
            if m and m["sq"] != "other" and not m["sq"].endswith("comment"):
                groups.setdefault(m["q"], []).append((m["sq"], col))
        # Only multiple-choice questions are checkboxes: arrays and multiple numeric inputs
        # (same Q1[SQ001] columns) are one question per row.
        if self.form is not None:
            multiple = {q.name for q in self.form.questions if q.type == "select_multiple"}
            groups = {q: subs for q, subs in groups.items() if q in multiple}
        else:
            groups = {
                q: subs
                for q, subs in groups.items()
                if _checkbox_values({v for _, col in subs for v in self.text[col].unique()})
            }
        if self.form is not None:  # Q1_SQ001 form ("ExpressionScript" codes)
            for q in self.form.questions:
                if q.type == "select_multiple" and q.name not in groups:
                    cols = [
                        (c, f"{q.name}_{c}")
                        for c in self.form.choice_labels(q.name)
                        if f"{q.name}_{c}" in self.text.columns
                    ]
                    if cols:
                        groups[q.name] = cols
        new: dict[str, pd.Series] = {}
        for q, subs in groups.items():
            ticked = pd.DataFrame(index=self.text.index)
            shown = pd.Series(False, index=self.text.index)
            for sq, col in subs:
                v = self.text[col].str.casefold()
                bad = ~v.isin(_TICKED | _UNTICKED | {"n/a"})
                if bad.any():
                    self.problem(
                        np.flatnonzero(bad),
                        col,
                        self.text[col][bad],
                        "valeur inattendue pour une case à cocher (attendu : Y ou vide).",
                    )
                ticked[sq] = v.isin(_TICKED)
                shown |= v.isin(_TICKED | {"n", "no", "non"})
            summary = pd.Series("", index=self.text.index, dtype=object)
            for sq in ticked.columns:
                summary = summary + np.where(ticked[sq].to_numpy(), f"{sq} ", "")
            new[q] = summary.str.rstrip().where(ticked.any(axis=1) | shown, "")
            self.multiple[q] = [sq for sq, _ in subs]
        if not new:
            return
        out: dict[str, pd.Series] = {}
        placed: set[str] = set()
        for col in self.text.columns:
            m = _LIME_COLUMN.match(col)
            base = m["q"] if m else None
            if base is None and self.form is not None:
                for q in groups:
                    if col.startswith(f"{q}_") and any(col == c for _, c in groups[q]):
                        base = q
            if base in new:
                if base not in placed:
                    out[base] = new[base]
                    placed.add(base)
                if m and (m["sq"] == "other" or m["sq"].endswith("comment")):
                    out[col] = self.text[col]
                continue
            out[col] = self.text[col]
        self.text = pd.DataFrame(out, index=self.text.index)

    def rename_by_form(self) -> dict[str, tuple[str, str | None]]:
        """Map each file column to (question, choice or None) using names, group paths, labels."""
        assert self.form is not None
        exact: dict[str, tuple[str, str | None]] = {}
        loose: dict[str, tuple[str, str | None]] = {}
        taken: set[str] = set()
        group_text = {
            r.name: r.text or r.name
            for r in self.form.rows
            if r.type in {"begin_group", "begin_repeat"}
        }
        for q in self.form.rows:
            if not q.name or q.type in {"begin_group", "end_group", "begin_repeat", "end_repeat"}:
                continue
            if q.type == "note":
                continue
            key = _key(self.form, q)
            # A name reused in another group is only found under its group path.
            paths = [q.name] if key == q.name else []
            if q.group:
                paths += [sep.join([*q.group, q.name]) for sep in ("/", "-", ".", ":")]
            exact[key] = (key, None)
            for p in paths:
                if p != key:
                    loose.setdefault(p, (key, None))
            if q.text:
                loose.setdefault(_norm_label(q.text), (key, None))
                if q.group:  # Kobo "hierarchy in labels": "Profil/Vous êtes :"
                    text_path = "/".join([*(group_text.get(g, g) for g in q.group), q.text])
                    loose.setdefault(_norm_label(text_path), (key, None))
            for extra_key, text in q.extra.items():  # headings in another language
                if extra_key.startswith("label::") and text:
                    loose.setdefault(_norm_label(text), (key, None))
            if q.type == "select_multiple":
                labels = self.form.choice_labels(key)
                for p in paths:
                    for c in labels:
                        exact.setdefault(f"{p}/{c}", (key, c))
                        loose.setdefault(f"{p}.{c}", (key, c))
                if q.text:
                    for c, lab in labels.items():
                        loose.setdefault(_norm_label(f"{q.text}/{lab}"), (key, c))
                        # LimeSurvey full-text heading of a checkbox: "Question [Choix]"
                        loose.setdefault(_norm_label(f"{q.text} [{lab}]"), (key, c))
            if "[" in key:  # LimeSurvey ExpressionScript code: Q1[SQ001] → Q1_SQ001
                dual = _LIME_DUAL.match(key)  # dual scale Q1[SQ001][1] → Q1_SQ001#0
                alias = (
                    f"{dual['q']}_{dual['sq']}#{int(dual['scale']) - 1}"
                    if dual
                    else key.replace("][", "_").replace("[", "_").rstrip("]")
                )
                loose.setdefault(alias, (key, None))
        mapping: dict[str, tuple[str, str | None]] = {}
        for col in self.text.columns:
            target = exact.get(col) or loose.get(col) or loose.get(_norm_label(col))
            if target is None:
                target = _abbreviated(col, loose)
            if target is None:
                continue
            key = f"{target[0]}/{target[1]}" if target[1] else target[0]
            if key in taken:
                continue
            taken.add(key)
            mapping[col] = target
        return mapping

    # conversions ---------------------------------------------------------------------------
    def convert_select_one(self, q: Question, values: pd.Series) -> pd.Series:
        form = self.form
        assert form is not None
        key = _key(form, q)
        labels = form.choice_labels(key)
        drop = {
            n
            for n, lab in labels.items()
            if _norm_label(n) in self.nr or _norm_label(lab) in self.nr
        }
        extra = {_norm_label(labels[n]) for n in drop} | {_norm_label(n) for n in drop}
        values = self.strip_nonresponse(key, values, extra)
        spellings = _choice_spellings(form, q, drop)
        codes = _map_unique(values, lambda v: spellings.get(_norm_label(v)) if v != "" else None)
        unknown = (values != "") & codes.isna()
        if unknown.any():
            self.problem(
                np.flatnonzero(unknown),
                key,
                values[unknown],
                f"réponse absente de la liste « {q.list_name} » du questionnaire : mise en "
                "valeur manquante.",
            )
        kept = [n for n in labels if n not in drop]
        shown = [labels[n] for n in kept]
        if len(set(shown)) < len(shown):  # two choices with one label: show the codes
            shown = kept
        to_label = dict(zip(kept, shown, strict=True))
        return pd.Series(
            pd.Categorical(codes.map(to_label), categories=shown, ordered=True),
            index=values.index,
            name=key,
        )

    def convert_multiple(
        self,
        name: str,
        choices: list[str],
        spellings: dict[str, str] | None,
        summary: pd.Series | None,
        details: dict[str, pd.Series],
        sep: str,
    ) -> dict[str, pd.Series]:
        index = self.text.index
        ticked = pd.DataFrame(0, index=index, columns=choices, dtype="Int64")
        answered = pd.Series(False, index=index)
        drop_nr = [c for c in choices if _norm_label(c) in self.nr]
        if summary is not None:
            summary = self.strip_nonresponse(name, summary, set())
            has = summary != ""
            known = spellings or {_norm_label(c): c for c in choices}
            bad_rows: list[int] = []
            bad_values: list[str] = []
            slow = has.copy()
            if sep == " ":  # Kobo/ODK: space-separated names, split in one go
                tokens = summary[has].str.split().explode()
                codes = _map_unique(tokens, lambda t: known.get(_norm_label(t)))
                clean = ~codes.isna().groupby(level=0).any()
                slow[clean.index[clean]] = False
                fast = codes[codes.index.isin(clean.index[clean])]
                for c in choices:
                    rows = fast.index[fast == c]
                    ticked.loc[rows, c] = 1
            positions = pd.Series(np.arange(len(index)), index=index)
            for i, text in summary[slow].items():
                found, unknown = _split_known(text, known, sep)
                for c in found:
                    ticked.loc[i, c] = 1
                if unknown:
                    bad_rows.append(int(positions[i]))
                    bad_values.append(", ".join(unknown))
            if bad_rows:
                self.problem(
                    bad_rows,
                    name,
                    bad_values,
                    "réponse absente de la liste des choix (« Autre » saisi en clair ?) : "
                    "ignorée, les autres cases cochées sont gardées.",
                )
            answered |= has
        for c, col_values in details.items():
            v = col_values.str.casefold()
            bad = ~v.isin(_TICKED | _UNTICKED)
            if bad.any():
                self.problem(
                    np.flatnonzero(bad),
                    f"{name}/{c}",
                    col_values[bad],
                    "valeur inattendue pour une case à cocher (attendu : 1 ou 0) : ignorée.",
                )
            ticked.loc[v.isin(_TICKED), c] = 1
            answered |= v.isin(_TICKED | (_UNTICKED - {""}))
        for c in drop_nr:  # only a non-response ticked: not an answer
            only = ticked[c].eq(1) & ticked.drop(columns=c).sum(axis=1).eq(0)
            if only.any():
                key = (name, c)
                self.nr_counts[key] = self.nr_counts.get(key, 0) + int(only.sum())
                answered &= ~only
        kept = [c for c in choices if c not in drop_nr]
        out: dict[str, pd.Series] = {}
        joined = pd.Series("", index=index, dtype="str")
        for c in kept:
            joined = joined + np.where(ticked[c].eq(1).to_numpy(), f"{c} ", "")
        out[name] = joined.str.rstrip().where(answered)
        for c in kept:
            col = ticked[c].copy()
            col[~answered] = pd.NA
            out[f"{name}/{c}"] = col
        return out

    def convert_other(self, q: Question, values: pd.Series) -> pd.Series:
        key = _key(self.form, q) if self.form is not None else q.name
        values = self.strip_nonresponse(key, values, set())
        if q.type in {"integer", "decimal", "range"}:
            parsed = to_number(values.where(values != ""))
            numbers = parsed.values
            bad = (values != "") & numbers.isna()
            if bad.any():
                self.problem(
                    np.flatnonzero(bad),
                    key,
                    values[bad],
                    "ce n'est pas un nombre : mis en valeur manquante.",
                )
            if parsed.ambiguous.any():
                self.problem(
                    np.flatnonzero(parsed.ambiguous),
                    key,
                    values[parsed.ambiguous],
                    "séparateur ambigu (point des milliers ou virgule décimale ?) : lu comme "
                    f"{numbers[parsed.ambiguous].iloc[0]:g} ; vérifiez.",
                    "alerte",
                )
            if q.type == "integer" and (numbers.dropna() % 1 == 0).all():
                return numbers.round().astype("Int64")
            return numbers.astype(float)
        if q.type in {"date", "dateTime", "start", "end", "today"}:
            dates = _dates(values)
            bad = (values != "") & dates.isna()
            if bad.any():
                self.problem(
                    np.flatnonzero(bad),
                    key,
                    values[bad],
                    "ce n'est pas une date lisible : mise en valeur manquante.",
                )
            return dates
        if q.type == "calculate":
            return _free_column(values)
        return values.replace("", np.nan)

    # the whole table ------------------------------------------------------------------------
    def run(self) -> pd.DataFrame:
        if self.source == "limesurvey":
            self.limesurvey_headings()
            self.reshape_limesurvey()
        if self.form is None:
            return self.run_formless()
        form = self.form
        mapping = self.rename_by_form()
        by_question: dict[str, dict[str | None, str]] = {}
        for col, (qname, choice) in mapping.items():
            by_question.setdefault(qname, {})[choice] = col
        if form.questions and len(self.text.columns) and not by_question:
            shown = ", ".join(f"« {c} »" for c in list(self.text.columns)[:6])
            raise ValidationError(
                "aucune colonne du fichier ne correspond à une question du formulaire "
                f"(colonnes du fichier : {shown}… ; questions du formulaire : "
                + ", ".join(f"« {n} »" for n in form.names[:6])
                + "…).",
                hint="vérifiez que le formulaire est bien celui de cette enquête, et que l'export "
                "a été fait avec les noms des questions (KoboToolbox : « XML values and "
                "headers ») ou leurs libellés exacts.",
            )
        converted: dict[str, dict[str, pd.Series]] = {}
        sep = ", " if self.source == "google" else " "
        for qname, cols in by_question.items():
            q = form.question(qname)
            summary = self.text[cols[None]] if None in cols else None
            if q.type == "select_multiple":
                labels = form.choice_labels(qname)
                spellings = _choice_spellings(form, q, set())
                details = {c: self.text[col] for c, col in cols.items() if c is not None}
                converted[qname] = self.convert_multiple(
                    qname, list(labels), spellings, summary, details, sep
                )
            elif q.type == "select_one" and summary is not None:
                converted[qname] = {qname: self.convert_select_one(q, summary)}
            elif summary is not None:
                converted[qname] = {qname: self.convert_other(q, summary)}
        out: dict[str, pd.Series] = {}
        for col in self.text.columns:
            if col in mapping:
                qname = mapping[col][0]
                if qname in converted:
                    out.update(converted.pop(qname))
                continue
            out[col] = self.convert_free(col)
        result = pd.DataFrame(out, index=self.text.index)
        keys = {_key(form, q): q for q in form.questions}
        absent = [k for k in keys if k not in by_question]
        result.attrs["labels"] = {k: q.text for k, q in keys.items() if k in result.columns}
        result.attrs["choices"] = {
            k: form.choice_labels(k) for k, q in keys.items() if q.list_name and k in result.columns
        }
        result.attrs["multiple"] = [
            k for k, q in keys.items() if q.type == "select_multiple" and k in result
        ]
        result.attrs["absent"] = absent
        return result

    def convert_free(self, col: str) -> pd.Series:
        values = self.text[col]
        if col in _DATETIME_COLUMNS or (
            self.source == "google" and _norm_label(col) in _GOOGLE_TIME
        ):
            dates = _dates(values)
            if not ((values != "") & dates.isna()).any():
                return dates
        values = self.strip_nonresponse(col, values, set())
        return _free_column(values)

    def run_formless(self) -> pd.DataFrame:
        # Kobo-style detail columns "q/choice" holding 0/1: a multiple-choice question.
        details: dict[str, dict[str, str]] = {}
        for col in self.text.columns:
            if _PATH.match(col):
                base, _, choice = col.rpartition("/")
                v = self.text[col].str.casefold()
                if v.isin(_TICKED | _UNTICKED).all():
                    details.setdefault(base, {})[choice] = col
        for base, cols in list(details.items()):
            has_summary = base in self.text.columns or base.rpartition("/")[2] in self.text.columns
            if not has_summary and len(cols) < 2:
                del details[base]
        owner = {col: base for base, cols in details.items() for col in cols.values()}
        summaries: dict[str, str] = {}
        for base in details:
            for candidate in (base, base.rpartition("/")[2]):
                if candidate in self.text.columns and candidate not in owner:
                    owner[candidate] = base
                    summaries[base] = candidate
                    break
        # One unit per question: a multiple choice (its base path) or a plain column. Group
        # prefixes are dropped only when no other unit has the same short name: two groups
        # that reuse a question name stay two columns ("groupe1/age", "groupe2/age").
        units: list[str] = []
        for col in self.text.columns:
            unit = owner.get(col, col)
            if unit not in units:
                units.append(unit)
        # Only a name path ("groupe/age") loses its prefix, never a text heading with a "/".
        shorts = [u.rpartition("/")[2] if _PATH.match(u) else u for u in units]
        count = pd.Series(shorts).value_counts()
        name_of = {u: (s if count[s] == 1 else u) for u, s in zip(units, shorts, strict=True)}
        out: dict[str, pd.Series] = {}
        for unit in units:
            name = name_of[unit]
            if unit in details:
                choices = list(details[unit])
                summary = self.text[summaries[unit]] if unit in summaries else None
                out.update(
                    self.convert_multiple(
                        name,
                        choices,
                        None,
                        summary,
                        {c: self.text[details[unit][c]] for c in choices},
                        " ",
                    )
                )
                self.multiple[name] = choices
            elif unit in self.multiple:  # LimeSurvey summary built above
                out.update(
                    self.convert_multiple(unit, self.multiple[unit], None, self.text[unit], {}, " ")
                )
            else:
                out[name] = self.convert_free(unit)
        result = pd.DataFrame(out, index=self.text.index)
        result.attrs["multiple"] = list(self.multiple)
        if self.heading_labels:
            result.attrs["labels"] = {
                c: lab for c, lab in self.heading_labels.items() if c in result.columns
            }
        return result


def _free_column(values: pd.Series) -> pd.Series:
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


_SPSS_SUFFIXES = {".sav", ".zsav", ".por"}


def _read_spss(path: Path) -> tuple[pd.DataFrame, Any, list[dict[str, Any]]]:
    """``(data, meta, problems)`` of an SPSS file, user-missing codes kept as values."""
    try:
        import pyreadstat
    except ImportError:
        raise FileError(
            "la lecture des fichiers SPSS (.sav) demande le module « pyreadstat », qui n'est "
            "pas installé.",
            path=path,
            hint='installez-le avec : pip install "movsc-toolkit[spss]" (ou pip install '
            "pyreadstat), puis redémarrez le noyau du notebook.",
        ) from None
    problems: list[dict[str, Any]] = []
    por = path.suffix.lower() == ".por"
    read = pyreadstat.read_por if por else pyreadstat.read_sav
    options = {} if por else {"user_missing": True}
    try:
        data, meta = read(str(path), **options)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        try:  # a date beyond what Python handles: read the raw numbers, report the columns
            data, meta = read(str(path), disable_datetime_conversion=True, **options)
        except Exception:
            raise FileError(
                f"le fichier SPSS est illisible ({exc}).",
                path=path,
                hint="ouvrez-le dans SPSS ou PSPP et enregistrez-le à nouveau au format .sav.",
            ) from None
        for col, fmt in (meta.original_variable_types or {}).items():
            if col in data.columns and _SPSS_DATE.match(fmt):
                problems.extend(_spss_raw_dates(data, col, fmt))
    for col in data.columns:
        s = data[col]
        if s.dtype != object:
            continue
        present = s.dropna()
        if present.empty or not present.map(lambda v: isinstance(v, dt.date)).all():
            continue
        try:
            data[col] = pd.to_datetime(s)
        except (OverflowError, ValueError, pd.errors.OutOfBoundsDatetime):
            for i, v in present.items():
                problems.append(
                    _spss_problem(
                        int(i) + 1,
                        col,
                        str(v),
                        "alerte",
                        "date que pandas ne sait pas représenter : la colonne est gardée en "
                        "dates Python (type objet), rien n'est perdu.",
                    )
                )
    return data, meta, problems


_SPSS_DATE = re.compile(r"^(DATE|ADATE|EDATE|SDATE|JDATE|DATETIME|YMDHMS|TIME|DTIME|MTIME)")
_SPSS_ORIGIN = np.datetime64("1582-10-14T00:00:00", "s")
_SPSS_MAX_SECONDS = 13_197_600_000_000  # about year 420 000: beyond, not a date at all


def _spss_raw_dates(data: pd.DataFrame, col: str, fmt: str) -> list[dict[str, Any]]:
    """Convert the raw seconds of an SPSS date column read without conversion.

    Used when pyreadstat refuses the file because one date is beyond year 9999: the valid
    dates are converted (second resolution, no pandas nanosecond bound), the column keeps its
    raw numbers when one value is not a date, and each such value is reported on its line.
    """
    seconds = pd.to_numeric(data[col], errors="coerce").to_numpy(dtype=float)
    if fmt.startswith(("TIME", "DTIME", "MTIME")):
        data[col] = pd.to_timedelta(seconds, unit="s")
        return []
    years = 1582 + seconds / (365.2425 * 86400)
    bad = ~np.isnan(seconds) & ((seconds < 0) | (years > 9999))
    if not bad.any():
        stamps = _SPSS_ORIGIN + np.where(np.isnan(seconds), 0, seconds).astype("timedelta64[s]")
        data[col] = pd.Series(stamps, index=data.index).mask(np.isnan(seconds))
        return []
    return [
        _spss_problem(
            int(i) + 1,
            col,
            cell_text(seconds[i]),
            "alerte",
            f"date hors du calendrier (au-delà de l'an 9999) dans une colonne au format "
            f"{fmt} : la colonne est gardée en nombres bruts (secondes depuis le "
            "14/10/1582), rien n'est perdu.",
        )
        for i in np.flatnonzero(bad)
    ]


def _spss_problem(line: int | None, column: str, value: str, severity: str, message: str) -> dict:
    return {
        "ligne": line,
        "colonne": column,
        "valeur": value,
        "gravité": severity,
        "message": message,
    }


def _spss_missing(
    data: pd.DataFrame, meta: Any, nonresponse: Iterable[Any] | None
) -> tuple[pd.DataFrame, list[dict[str, Any]], dict[str, set]]:
    """Declared missing codes (file's user-missing values and ranges, ``nonresponse=``) → NaN.

    Returns the masked data, the counts of each code (``colonne``, ``valeur``, ``effectif``)
    and, per column, the codes that were masked (so that their labels are not categories).
    """
    declared = {_norm_label(cell_text(v)) for v in (nonresponse or [])}
    ranges = meta.missing_ranges or {}
    out = {}
    counts: list[dict[str, Any]] = []
    masked: dict[str, set] = {}
    for col in data.columns:
        s = data[col]
        labels = (meta.variable_value_labels or {}).get(col, {})
        numeric = pd.api.types.is_numeric_dtype(s)
        hit = pd.Series(False, index=s.index)
        for r in ranges.get(col, []):
            lo, hi = r["lo"], r["hi"]
            if numeric and not isinstance(lo, str):
                hit |= (s >= lo) & (s <= hi)
            elif not numeric and isinstance(lo, str):
                hit |= s.astype(object).map(
                    lambda v, lo=lo, hi=hi: isinstance(v, str) and lo <= v <= hi
                )
        if declared:
            codes = {
                v
                for v in s.dropna().unique()
                if _norm_label(cell_text(v)) in declared
                or _norm_label(labels.get(v, "")) in declared
            }
            hit |= s.isin(codes)
        hit = hit.fillna(False).astype(bool)
        if hit.any():
            masked[col] = set(s[hit].unique())
            for v, n in s[hit].value_counts(sort=False).items():
                counts.append(
                    {"colonne": col, "valeur": labels.get(v, cell_text(v)), "effectif": int(n)}
                )
            s = s.mask(hit)
        out[col] = s
    return pd.DataFrame(out, index=data.index), counts, masked


def _spss_labelled(
    data: pd.DataFrame, meta: Any, masked: dict[str, set], problems: list[dict[str, Any]]
) -> pd.DataFrame:
    """Value labels applied: labelled variables become ordered categories in code order.

    A value without a label is **kept**, as a category shown with its code, and reported.
    A variable whose labels only name missing codes (``999 = "skipped"`` on an amount) stays
    numeric; so does one whose measure is not nominal/ordinal when some of its values have
    no label (an age with ``0 = "moins d'un an"``), with one alert for the column.
    """
    out = {}
    all_labels = meta.variable_value_labels or {}
    measures = getattr(meta, "variable_measure", None) or {}
    for col in data.columns:
        s = data[col]
        labels = all_labels.get(col, {})
        kept = {k: lab for k, lab in labels.items() if k not in masked.get(col, set())}
        present = s.dropna()
        unlabelled = sorted(v for v in present.unique() if v not in kept)
        if not kept or (unlabelled and measures.get(col) not in {"nominal", "ordinal"}):
            if kept:  # a measure (age, amount) with a few labelled values: stays numeric
                problems.append(
                    _spss_problem(
                        None,
                        col,
                        "",
                        "alerte",
                        f"{len(unlabelled)} valeur(s) sans libellé sur une variable de mesure "
                        f"« {measures.get(col, 'inconnue')} » : la colonne reste en nombres "
                        "(les libellés sont dans attrs['choices']).",
                    )
                )
            out[col] = s
            continue
        to_text = {k: lab for k, lab in kept.items()}
        for v in unlabelled:
            to_text[v] = cell_text(v)
            rows = np.flatnonzero(s.eq(v).to_numpy())
            for i in rows:
                problems.append(
                    _spss_problem(
                        int(i) + 1,
                        col,
                        cell_text(v),
                        "alerte",
                        f"valeur {cell_text(v)} sans libellé dans le fichier : gardée, affichée "
                        f"avec son code « {cell_text(v)} ».",
                    )
                )
        order = sorted(to_text, key=lambda k: (isinstance(k, str), k))
        shown = list(dict.fromkeys(to_text[k] for k in order))
        out[col] = pd.Series(
            pd.Categorical(s.map(to_text), categories=shown, ordered=True), index=s.index
        )
    result = pd.DataFrame(out, index=data.index)
    result.attrs["labels"] = dict(meta.column_names_to_labels or {})
    result.attrs["choices"] = {
        c: {cell_text(k): v for k, v in lab.items()} for c, lab in all_labels.items()
    }
    return result


def read_responses(
    path: str | PathLike[str],
    form: Questionnaire | str | PathLike[str] | None = None,
    *,
    source: str | None = None,
    nonresponse: Sequence[Any] | None = None,
    sheet: str | int | None = None,
    langue: str | None = None,
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
    langue
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
          (a skipped question is not a "no" — Kobo writes empty cells for it, §2.1). LimeSurvey
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
    >>> reponses.attrs["problems"]  # doctest: +SKIP
    """
    if isinstance(nonresponse, str | int | float):
        nonresponse = [nonresponse]  # a single code given without a list
    if source is not None and source not in SOURCES:
        from .._errors import closest

        near = closest(str(source), SOURCES)
        raise ValidationError(
            f"source « {source} » inconnue.",
            hint=(f"vouliez-vous dire « {near[0]} » ? " if near else "")
            + "Sources possibles : "
            + ", ".join(f"« {s} »" for s in SOURCES)
            + " (ou rien : la source est alors détectée).",
        )
    questionnaire = _as_form(form, langue)
    from .._io import check_path, read_table

    p = check_path(path)
    suffix = p.suffix.lower()
    if suffix in _SPSS_SUFFIXES or source == "spss":
        data, meta, spss_problems = _read_spss(p)
        data, nr, masked = _spss_missing(data, meta, nonresponse)
        if questionnaire is None:
            result = _spss_labelled(data, meta, masked, spss_problems)
            result.attrs.update(
                {
                    "source": "spss",
                    "problems": _problem_table(spss_problems),
                    "nonresponse": _count_table(nr),
                    "multiple": [],
                    "absent": [],
                    "lines": _Lines(range(1, len(result) + 1)),
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
    reader = _Reader(raw, questionnaire, detected, nonresponse)
    for record in nr:
        key = (record["colonne"], record["valeur"])
        reader.nr_counts[key] = reader.nr_counts.get(key, 0) + record["effectif"]
    reader.problems.extend(spss_problems)
    result = reader.run()
    result.attrs["source"] = detected
    result.attrs["problems"] = _problem_table(reader.problems)
    result.attrs["nonresponse"] = _count_table(
        [{"colonne": c, "valeur": v, "effectif": n} for (c, v), n in reader.nr_counts.items()]
    )
    result.attrs.setdefault("absent", [])
    result.attrs["lines"] = reader.lines
    return result
