"""The reader of an export with (or without) its questionnaire: renames the columns after the
form's questions, converts each question by type, strips declared non-responses and reports
every unreadable value.

A private module with a public name (:class:`Reader`), used by
:func:`movsc_toolkit.survey.read_responses`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ValidationError
from .._parse import per_distinct, to_number
from ._answers import (
    DATETIME_COLUMNS,
    GOOGLE_TIME,
    GROUP_PATH,
    LIME_CODETEXT,
    LIME_COLUMN,
    LIME_DUAL,
    TICK_BAD,
    TICK_NO,
    TICK_YES,
    TICKED,
    UNTICKED,
    Lines,
    abbreviated,
    answer_column,
    checkbox_values,
    choice_spellings,
    free_column,
    joined_ticks,
    map_unique,
    norm_label,
    parse_dates,
    split_known,
    text_cells,
    tick_kind,
)
from ._xlsform import cell_text
from .questionnaire import Question, Questionnaire

__all__ = [
    "Reader",
]


class Reader:
    def __init__(
        self,
        raw: pd.DataFrame,
        form: Questionnaire | None,
        source: str,
        nonresponse: Iterable[Any] | None,
    ) -> None:
        self.lines = Lines(raw.attrs.get("lines", range(2, len(raw) + 2)))
        raw.attrs = {}  # no deep copy of the line numbers at every column access
        self.text = pd.DataFrame(
            {
                col: (
                    text_cells(raw[col])  # read_table already stripped it
                    if pd.api.types.infer_dtype(raw[col], skipna=True) in {"string", "empty"}
                    else raw[col].map(cell_text)
                )
                for col in raw.columns
            },
            index=raw.index,
        )
        self.form = form
        self.source = source
        self.nr = {norm_label(cell_text(v)) for v in (nonresponse or [])}
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
        hit = map_unique(values, lambda v: v != "" and norm_label(v) in codes).astype(bool)
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
                    known |= {
                        f"{q.name}[{c}]"
                        for c in self.form.choice_labels(answer_column(self.form, q))
                    }
        matches = {c: LIME_CODETEXT.match(c) for c in self.text.columns}
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
            m = LIME_COLUMN.match(col)
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
                if checkbox_values({v for _, col in subs for v in self.text[col].unique()})
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
        for name, subs in groups.items():
            ticked = pd.DataFrame(index=self.text.index)
            shown = pd.Series(False, index=self.text.index)
            for sq, col in subs:
                v = self.text[col].str.casefold()
                bad = ~v.isin(TICKED | UNTICKED | {"n/a"})
                if bad.any():
                    self.problem(
                        np.flatnonzero(bad),
                        col,
                        self.text[col][bad],
                        "valeur inattendue pour une case à cocher (attendu : Y ou vide).",
                    )
                ticked[sq] = v.isin(TICKED)
                shown |= v.isin(TICKED | {"n", "no", "non"})
            summary = pd.Series("", index=self.text.index, dtype=object)
            for sq in ticked.columns:
                summary = summary + np.where(ticked[sq].to_numpy(), f"{sq} ", "")
            new[name] = summary.str.rstrip().where(ticked.any(axis=1) | shown, "")
            self.multiple[name] = [sq for sq, _ in subs]
        if not new:
            return
        out: dict[str, pd.Series] = {}
        placed: set[str] = set()
        for col in self.text.columns:
            m = LIME_COLUMN.match(col)
            base = m["q"] if m else None
            if base is None and self.form is not None:
                for name in groups:
                    if col.startswith(f"{name}_") and any(col == c for _, c in groups[name]):
                        base = name
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
            key = answer_column(self.form, q)
            # A name reused in another group is only found under its group path.
            paths = [q.name] if key == q.name else []
            if q.group:
                paths += [sep.join([*q.group, q.name]) for sep in ("/", "-", ".", ":")]
            exact[key] = (key, None)
            for p in paths:
                if p != key:
                    loose.setdefault(p, (key, None))
            if q.text:
                loose.setdefault(norm_label(q.text), (key, None))
                if q.group:  # Kobo "hierarchy in labels": "Profil/Vous êtes :"
                    text_path = "/".join([*(group_text.get(g, g) for g in q.group), q.text])
                    loose.setdefault(norm_label(text_path), (key, None))
            for extra_key, text in q.extra.items():  # headings in another language
                if extra_key.startswith("label::") and text:
                    loose.setdefault(norm_label(text), (key, None))
            if q.type == "select_multiple":
                labels = self.form.choice_labels(key)
                for p in paths:
                    for c in labels:
                        exact.setdefault(f"{p}/{c}", (key, c))
                        loose.setdefault(f"{p}.{c}", (key, c))
                if q.text:
                    for c, lab in labels.items():
                        loose.setdefault(norm_label(f"{q.text}/{lab}"), (key, c))
                        # LimeSurvey full-text heading of a checkbox: "Question [Choix]"
                        loose.setdefault(norm_label(f"{q.text} [{lab}]"), (key, c))
            if "[" in key:  # LimeSurvey ExpressionScript code: Q1[SQ001] → Q1_SQ001
                dual = LIME_DUAL.match(key)  # dual scale Q1[SQ001][1] → Q1_SQ001#0
                alias = (
                    f"{dual['q']}_{dual['sq']}#{int(dual['scale']) - 1}"
                    if dual
                    else key.replace("][", "_").replace("[", "_").rstrip("]")
                )
                loose.setdefault(alias, (key, None))
        mapping: dict[str, tuple[str, str | None]] = {}
        for col in self.text.columns:
            target = exact.get(col) or loose.get(col) or loose.get(norm_label(col))
            if target is None:
                target = abbreviated(col, loose)
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
        key = answer_column(form, q)
        labels = form.choice_labels(key)
        drop = {
            n for n, lab in labels.items() if norm_label(n) in self.nr or norm_label(lab) in self.nr
        }
        extra = {norm_label(labels[n]) for n in drop} | {norm_label(n) for n in drop}
        values = self.strip_nonresponse(key, values, extra)
        spellings = choice_spellings(form, q, drop)
        codes = map_unique(values, lambda v: spellings.get(norm_label(v)) if v != "" else None)
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
        # the labels shown are distinct: choice kept[i] is category i
        position = {n: i for i, n in enumerate(kept)}
        positions = map_unique(codes, lambda n: position.get(n, -1)).fillna(-1)
        return pd.Series(
            pd.Categorical.from_codes(
                positions.to_numpy(dtype=np.int64), categories=shown, ordered=True
            ),
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
        # Positional numpy work (one flag array per choice), each distinct cell read once:
        # no cell-by-cell write in a DataFrame, no text column rebuilt per choice.
        index = self.text.index
        n = len(index)
        ticked = {c: np.zeros(n, dtype=bool) for c in choices}
        answered = np.zeros(n, dtype=bool)
        drop_nr = [c for c in choices if norm_label(c) in self.nr]
        if summary is not None:
            summary = self.strip_nonresponse(name, summary, set())
            texts = summary.to_numpy(dtype=object)
            has = (summary != "").to_numpy(dtype=bool)
            known = spellings or {norm_label(c): c for c in choices}
            bad_rows: list[int] = []
            bad_values: list[str] = []
            slow = has.copy()
            if sep == " ":  # Kobo/ODK: space-separated names, split in one go
                rows = np.flatnonzero(has)
                tokens = pd.Series(texts[rows], index=rows, dtype=object).str.split().explode()
                codes = map_unique(tokens, lambda t: known.get(norm_label(t))).to_numpy()
                at = tokens.index.to_numpy(dtype=np.int64)
                unknown_rows = np.unique(at[pd.isna(codes)])
                slow[:] = False
                slow[unknown_rows] = True
                clean = ~slow[at]
                for c in choices:
                    ticked[c][at[clean & (codes == c)]] = True
            for i in np.flatnonzero(slow):
                found, unknown = split_known(texts[i], known, sep)
                for c in found:
                    ticked.setdefault(c, np.zeros(n, dtype=bool))[i] = True
                if unknown:
                    bad_rows.append(int(i))
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
            kind = per_distinct(col_values, tick_kind, TICK_BAD).to_numpy()
            bad = kind == TICK_BAD
            if bad.any():
                self.problem(
                    np.flatnonzero(bad),
                    f"{name}/{c}",
                    col_values[bad],
                    "valeur inattendue pour une case à cocher (attendu : 1 ou 0) : ignorée.",
                )
            yes = kind == TICK_YES
            ticked.setdefault(c, np.zeros(n, dtype=bool))[yes] = True
            answered |= yes | (kind == TICK_NO)
        for c in drop_nr:  # only a non-response ticked: not an answer
            others = [flags for other, flags in ticked.items() if other != c]
            only = ticked[c] & ~np.logical_or.reduce(others, axis=0) if others else ticked[c]
            if only.any():
                key = (name, c)
                self.nr_counts[key] = self.nr_counts.get(key, 0) + int(only.sum())
                answered &= ~only
        kept = [c for c in choices if c not in drop_nr]
        out: dict[str, pd.Series] = {}
        joined = joined_ticks(kept, [ticked[c] for c in kept], n)
        out[name] = pd.Series(joined, index=index, dtype="str").where(answered)
        for c in kept:
            values = pd.arrays.IntegerArray(ticked[c].astype(np.int64), ~answered)
            out[f"{name}/{c}"] = pd.Series(values, index=index, name=c)
        return out

    def convert_other(self, q: Question, values: pd.Series) -> pd.Series:
        key = answer_column(self.form, q) if self.form is not None else q.name
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
            dates = parse_dates(values)
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
            return free_column(values)
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
                spellings = choice_spellings(form, q, set())
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
        keys = {answer_column(form, q): q for q in form.questions}
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
        if col in DATETIME_COLUMNS or (self.source == "google" and norm_label(col) in GOOGLE_TIME):
            dates = parse_dates(values)
            if not ((values != "") & dates.isna()).any():
                return dates
        values = self.strip_nonresponse(col, values, set())
        return free_column(values)

    def run_formless(self) -> pd.DataFrame:
        # Kobo-style detail columns "q/choice" holding 0/1: a multiple-choice question.
        details: dict[str, dict[str, str]] = {}
        for col in self.text.columns:
            if GROUP_PATH.match(col):
                base, _, choice = col.rpartition("/")
                v = self.text[col].str.casefold()
                if v.isin(TICKED | UNTICKED).all():
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
        shorts = [u.rpartition("/")[2] if GROUP_PATH.match(u) else u for u in units]
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
