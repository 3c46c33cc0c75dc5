"""The structure of a LimeSurvey survey, read into a :class:`~movsc_toolkit.survey.Questionnaire`.

LimeSurvey exports the structure of a survey in two formats (``Export > Survey structure``):

* ``.lss`` (XML; ``.lsg`` for one question group, same layout): sections ``groups``,
  ``questions``, ``subquestions``, ``answers`` with, since LimeSurvey 4, the texts in
  ``group_l10ns``, ``question_l10ns``, ``answer_l10ns`` (one row per language);
* the tab-separated ``.txt`` export (``class`` column ``G`` group, ``Q`` question, ``SQ``
  subquestion, ``A`` answer option, ``S``/``SL`` survey settings; ``type/scale`` holds the
  question type letter or the scale of a subquestion or answer).

Each question becomes one or several questions of the :class:`Questionnaire`, named after the
column LimeSurvey gives its answers in a response export (``viewHelper::getFieldCode``):
``Q1`` for a list, ``Q1[SQ001]`` for each row of an array or multiple-numeric question
(``Q1[SY001_SX001]`` for arrays of numbers or texts), one ``select_multiple`` ``Q1`` whose
choices are the subquestions for a multiple-choice question (type ``M``/``P``). Labels are the
question texts, HTML removed; for a row of an array, ``"Question [Ligne]"``, which is also the
"full text" heading of a response export. All languages are kept (``label::fr``…); French is
chosen by default when the survey has it.
"""

from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from os import PathLike
from pathlib import Path
from typing import Any

from .._errors import FileError, FormatError
from ._xlsform import default_language
from .questionnaire import Choice, Question, Questionnaire

__all__ = ["LIMESURVEY_TYPES", "read_limesurvey_structure"]

STRUCTURE_SUFFIXES = {".lss", ".lsg", ".txt", ".tsv"}

#: LimeSurvey question type letters (``application/helpers/questionHelper``), in French.
LIMESURVEY_TYPES = {
    "1": "tableau à double échelle",
    "5": "choix sur 5 points",
    "A": "tableau à 5 points",
    "B": "tableau à 10 points",
    "C": "tableau Oui/Incertain/Non",
    "D": "date",
    "E": "tableau Augmenter/Identique/Diminuer",
    "F": "tableau (libellés au choix)",
    "G": "genre",
    "H": "tableau par colonne",
    "I": "changement de langue",
    "K": "entrées numériques multiples",
    "L": "liste (boutons radio)",
    "M": "choix multiples",
    "N": "entrée numérique",
    "O": "liste avec commentaire",
    "P": "choix multiples avec commentaires",
    "Q": "textes courts multiples",
    "R": "classement",
    "S": "texte court",
    "T": "texte long",
    "U": "texte très long",
    "X": "texte affiché",
    "Y": "oui/non",
    "!": "liste déroulante",
    ":": "tableau de nombres",
    ";": "tableau de textes",
    "|": "envoi de fichier",
    "*": "équation",
}
_LISTS = {"L", "!", "O"}
_ARRAYS_OF_CHOICES = {"F", "H", "A", "B", "C", "E"}
_FIXED_CHOICES = {
    "G": [("F", "Femme"), ("M", "Homme")],
    "Y": [("Y", "Oui"), ("N", "Non")],
    "5": [(str(i), str(i)) for i in range(1, 6)],
    "A": [(str(i), str(i)) for i in range(1, 6)],
    "B": [(str(i), str(i)) for i in range(1, 11)],
    "C": [("Y", "Oui"), ("U", "Incertain"), ("N", "Non")],
    "E": [("I", "Augmentation"), ("S", "Identique"), ("D", "Diminution")],
}
_TAG = re.compile(r"<[^>]+>")


def _plain(text: str | None) -> str:
    """Question text without HTML tags and entities, spaces collapsed."""
    if not text:
        return ""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", text))).strip()


class _Survey:
    """The parts of a structure export, language by language."""

    def __init__(self) -> None:
        self.languages: list[str] = []
        self.title: dict[str, str] = {}
        self.groups: dict[str, dict[str, Any]] = {}  # gid -> {order, name{lang}}
        self.questions: dict[str, dict[str, Any]] = {}  # qid -> attributes, text{lang}
        self.subs: dict[str, list[dict[str, Any]]] = defaultdict(list)  # parent qid -> rows
        self.answers: dict[str, list[dict[str, Any]]] = defaultdict(list)  # qid -> rows

    def language(self, lang: str) -> None:
        if lang and lang not in self.languages:
            self.languages.append(lang)


# --- .lss / .lsg -------------------------------------------------------------------------------


def _sections(root: ET.Element) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for section in root:
        rows = section.find("rows")
        if rows is None:
            continue
        out[section.tag] = [
            {child.tag: (child.text or "") for child in row} for row in rows.findall("row")
        ]
    return out


def _read_lss(path: Path) -> _Survey:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise FormatError(
            f"le fichier de structure LimeSurvey est un XML mal formé ({exc}).",
            path=path,
            hint="exportez à nouveau la structure depuis LimeSurvey (Exporter > Structure "
            "de questionnaire (.lss)) sans ouvrir le fichier dans un éditeur.",
        ) from None
    kind = (root.findtext("LimeSurveyDocType") or "").strip()
    if root.tag != "document" or kind not in {"Survey", "Group", "Question"}:
        raise FormatError(
            "ce fichier XML n'est pas une structure de questionnaire LimeSurvey (.lss).",
            path=path,
            hint="dans LimeSurvey : Exporter > Structure de questionnaire (.lss).",
        )
    sections = _sections(root)
    survey = _Survey()
    langs = root.find("languages")
    if langs is not None:
        for lang in langs.findall("language"):
            survey.language((lang.text or "").strip())
    for row in sections.get("surveys_languagesettings", []):
        survey.title[row.get("surveyls_language", "")] = row.get("surveyls_title", "")
    texts: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # (table, id) -> lang
    helps: dict[str, dict[str, str]] = defaultdict(dict)
    for row in sections.get("group_l10ns", []):
        texts[("g", row.get("gid", ""))][row.get("language", "")] = row.get("group_name", "")
    for row in sections.get("question_l10ns", []):
        texts[("q", row.get("qid", ""))][row.get("language", "")] = row.get("question", "")
        helps[row.get("qid", "")][row.get("language", "")] = row.get("help", "")
    for row in sections.get("answer_l10ns", []):
        texts[("a", row.get("aid", ""))][row.get("language", "")] = row.get("answer", "")
    for row in sections.get("groups", []):
        gid = row.get("gid", "")
        group = survey.groups.setdefault(
            gid, {"order": _int(row.get("group_order")), "name": texts[("g", gid)]}
        )
        if "group_name" in row:  # before LimeSurvey 4: one row per language
            group["name"][row.get("language", "")] = row["group_name"]
    for row in sections.get("questions", []) + sections.get("subquestions", []):
        qid = row.get("qid", "")
        row_language = row.get("language", "")
        survey.language(row_language)
        if row.get("parent_qid", "0") not in {"", "0"}:
            target = _find(survey.subs[row["parent_qid"]], qid, row)
        else:
            target = survey.questions.setdefault(qid, dict(row, text={}, help={}))
        if not target["text"]:
            target["text"].update(texts[("q", qid)])
            target["help"].update(helps[qid])
        if "question" in row:
            target["text"][row_language] = row["question"]
            target["help"][row_language] = row.get("help", "")
    for row in sections.get("answers", []):
        qid = row.get("qid", "")
        key = row.get("aid") or f"{qid}:{row.get('scale_id', '0')}:{row.get('code', '')}"
        target = _find(survey.answers[qid], key, row, id_field="_key")
        if not target["text"]:
            target["text"].update(texts[("a", row.get("aid", ""))])
        if "answer" in row:
            target["text"][row.get("language", "")] = row["answer"]
    return survey


def _find(
    rows: list[dict[str, Any]], key: str, row: dict[str, str], id_field: str = "qid"
) -> dict[str, Any]:
    for r in rows:
        if r[id_field] == key:
            return r
    new = dict(row, text={}, help={})
    new[id_field] = key
    rows.append(new)
    return new


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return 0


# --- tab-separated structure export -----------------------------------------------------------


def _read_tsv(path: Path) -> _Survey:
    from .._io import read_text

    text, _ = read_text(path, None)
    reader = csv.reader(io.StringIO(text), delimiter="\t")
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError("le fichier est vide.", path=path) from None
    needed = {"class", "type/scale", "name", "text", "language"}
    if not needed <= set(header):
        raise FormatError(
            "ce fichier n'est pas une structure LimeSurvey au format texte (colonnes "
            "« class », « type/scale », « name », « text », « language » attendues).",
            path=path,
            hint="dans LimeSurvey : Exporter > Structure de questionnaire (.txt), ou donnez "
            "le fichier .lss.",
        )
    survey = _Survey()
    group = question = ""
    counters: defaultdict[str, int] = defaultdict(int)
    position = {"G": 0, "Q": 0}
    current_lang = None
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        row = dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))
        cls = row["class"].strip()
        lang = row["language"].strip()
        if cls == "S" and row["name"] in {"language", "additional_languages"}:
            for code in row["text"].split():
                survey.language(code)
            continue
        if cls == "SL":
            if row["name"] == "surveyls_title":
                survey.title[lang] = row["text"]
            continue
        if lang != current_lang:  # the export repeats the whole structure per language
            current_lang = lang
            position = {"G": 0, "Q": 0}
            survey.language(lang)
        if cls == "G":
            position["G"] += 1
            gid = group = str(position["G"])
            survey.groups.setdefault(gid, {"order": position["G"], "name": {}})["name"][lang] = row[
                "name"
            ]
        elif cls == "Q":
            position["Q"] += 1
            question = str(position["Q"])
            q = survey.questions.setdefault(
                question,
                {
                    "qid": question,
                    "gid": group,
                    "type": row["type/scale"].strip(),
                    "title": row["name"].strip(),
                    "other": row.get("other", ""),
                    "mandatory": row.get("mandatory", ""),
                    "relevance": row.get("relevance", ""),
                    "question_order": str(position["Q"]),
                    "text": {},
                    "help": {},
                },
            )
            q["text"][lang] = row["text"]
            q["help"][lang] = row.get("help", "")
            counters.clear()
        elif cls in {"SQ", "A"} and question:
            scale = row["type/scale"].strip() or "0"
            rows = survey.subs[question] if cls == "SQ" else survey.answers[question]
            key = f"{scale}:{row['name'].strip()}"
            target = _find(
                rows,
                key,
                {"title": row["name"].strip(), "code": row["name"].strip(), "scale_id": scale},
                id_field="_key",
            )
            counters[cls] += 1
            target.setdefault("question_order", str(counters[cls]))
            target.setdefault("sortorder", str(counters[cls]))
            target["text"][lang] = row["text"]
    return survey


# --- to a Questionnaire -------------------------------------------------------------------------


def _labels(texts: dict[str, str], languages: list[str]) -> tuple[str, dict[str, str]]:
    """(label in the base language, {label::lang: text})."""
    plain = {lang: _plain(t) for lang, t in texts.items() if lang in languages or not languages}
    base = plain.get(languages[0], "") if languages else next(iter(plain.values()), "")
    extra = {f"label::{lang}": t for lang, t in plain.items() if t and len(plain) > 1}
    return base, extra


def _combine(parent: tuple[str, dict], child: tuple[str, dict]) -> tuple[str, dict[str, str]]:
    """``"Question [Ligne]"`` in every language (the full-text heading of an export)."""
    base = f"{parent[0]} [{child[0]}]" if child[0] else parent[0]
    extra = {key: f"{parent[1].get(key, parent[0])} [{text}]" for key, text in child[1].items()}
    return base, extra


def _to_questionnaire(survey: _Survey, path: Path) -> Questionnaire:
    langs = survey.languages
    form = Questionnaire(
        title=_plain(survey.title.get(langs[0], "") if langs else ""),
        default_language=langs[0] if langs else "",
        path=str(path),
    )
    order = sorted(
        survey.questions.values(),
        key=lambda q: (
            survey.groups.get(q.get("gid", ""), {}).get("order", 0),
            _int(q.get("question_order")),
        ),
    )

    def group_of(q: dict) -> tuple[str, ...]:
        """The question group's name (for the codebook), in the base language."""
        names = survey.groups.get(q.get("gid", ""), {}).get("name", {})
        name = _plain(names.get(langs[0], "") if langs else next(iter(names.values()), ""))
        return (name,) if name else ()

    def add(kind: str, name: str, label: tuple[str, dict], q: dict, **more: Any) -> Question:
        question = Question(
            type=kind,
            name=name,
            label=label[0],
            required=q.get("mandatory", "") == "Y",
            relevant="" if q.get("relevance", "1") in {"", "1"} else q["relevance"],
            extra={**label[1], "limesurvey_type": q.get("type", "")},
            group=group_of(q),
            **more,
        )
        form.rows.append(question)
        return question

    def choices(list_name: str, items: list[tuple[str, tuple[str, dict]]]) -> None:
        form.choices[list_name] = [
            Choice(list_name, code, text[0], dict(text[1])) for code, text in items
        ]

    for q in order:
        kind, code = q.get("type", ""), q.get("title", "")
        label = _labels(q["text"], langs)
        subs = sorted(survey.subs.get(q["qid"], []), key=lambda r: _int(r.get("question_order")))
        scale0 = [s for s in subs if s.get("scale_id", "0") in {"", "0"}]
        scale1 = [s for s in subs if s.get("scale_id", "0") == "1"]
        answers = sorted(
            survey.answers.get(q["qid"], []),
            key=lambda r: (_int(r.get("scale_id")), _int(r.get("sortorder"))),
        )

        def options(
            scale: str = "0", answers: list[dict[str, Any]] = answers
        ) -> list[tuple[str, tuple[str, dict]]]:
            return [
                (a.get("code", ""), _labels(a["text"], langs))
                for a in answers
                if (a.get("scale_id") or "0") == scale
            ]

        other = q.get("other", "") == "Y"
        if kind in _LISTS or kind in {"G", "Y", "5"}:
            items = options() if kind in _LISTS else _fixed(kind)
            if other:
                items.append(("-oth-", ("Autre", {})))
            choices(code, items)
            add("select_one", code, label, q, list_name=code)
            if other:
                add("text", f"{code}[other]", (f"{label[0]} [Autre]", {}), q)
            if kind == "O":
                add("text", f"{code}[comment]", (f"{label[0]} [Commentaire]", {}), q)
        elif kind in {"M", "P"}:
            choices(code, [(s.get("title", ""), _labels(s["text"], langs)) for s in scale0])
            add("select_multiple", code, label, q, list_name=code)
            if other:
                add("text", f"{code}[other]", (f"{label[0]} [Autre]", {}), q)
            if kind == "P":
                for s in scale0:
                    sub = _combine(label, _labels(s["text"], langs))
                    add("text", f"{code}[{s.get('title', '')}comment]", sub, q)
        elif kind in _ARRAYS_OF_CHOICES or kind in {"K", "Q", "1"}:
            if kind in {"F", "H"}:
                choices(code, options())
            elif kind in _FIXED_CHOICES:
                choices(code, _fixed(kind))
            elif kind == "1":
                choices(f"{code}#1", options("0"))
                choices(f"{code}#2", options("1"))
            for s in scale0:
                sub = _combine(label, _labels(s["text"], langs))
                name = f"{code}[{s.get('title', '')}]"
                if kind == "K":
                    add("decimal", name, sub, q)
                elif kind == "Q":
                    add("text", name, sub, q)
                elif kind == "1":
                    for i in ("1", "2"):
                        add("select_one", f"{name}[{i}]", sub, q, list_name=f"{code}#{i}")
                else:
                    add("select_one", name, sub, q, list_name=code)
        elif kind in {":", ";"}:
            for row_ in scale0:
                for col in scale1:
                    sub = _combine(
                        _combine(label, _labels(row_["text"], langs)),
                        _labels(col["text"], langs),
                    )
                    name = f"{code}[{row_.get('title', '')}_{col.get('title', '')}]"
                    add("decimal" if kind == ":" else "text", name, sub, q)
        elif kind == "R":
            items = options()
            choices(code, items)
            for rank in range(1, len(items) + 1):
                add(
                    "select_one",
                    f"{code}[{rank}]",
                    (f"{label[0]} [Rang {rank}]", {}),
                    q,
                    list_name=code,
                )
        elif kind == "N":
            add("decimal", code, label, q)
        elif kind == "D":
            add("date", code, label, q)
        elif kind in {"S", "T", "U", "I"}:
            add("text", code, label, q)
        elif kind == "*":
            add("calculate", code, label, q)
        elif kind == "|":
            add("file", code, label, q)
        elif kind == "X":
            add("note", code, label, q)
        else:  # an unknown type: keep the column as text
            add("text", code, label, q)
    return form


def _fixed(kind: str) -> list[tuple[str, tuple[str, dict]]]:
    return [(c, (lab, {})) for c, lab in _FIXED_CHOICES[kind]]


def read_limesurvey_structure(
    path: str | PathLike[str], *, language: str | None = None
) -> Questionnaire:
    """Read the structure of a LimeSurvey survey (``.lss``, ``.lsg`` or tab-separated ``.txt``).

    The result labels a LimeSurvey response export as an XLSForm labels a Kobo export: pass it
    (or the path of the file) as ``form=`` to :func:`~movsc_toolkit.survey.read_responses`.
    Answer codes become the answer texts, in LimeSurvey's order; arrays and multiple numeric
    inputs are one question per row (``Q1[SQ001]``), never checkboxes; multiple-choice
    questions are ``select_multiple``.

    Parameters
    ----------
    path
        The structure export.
    language
        For a multilingual survey, the language of the labels (``"fr"``, ``"en"``…); French
        by default when the survey has it, else its base language.

    Returns
    -------
    Questionnaire
        The questions and choice lists of the survey, in the chosen language.

    Examples
    --------
    A structure exported as tab-separated text (one question, two answers), then a response
    export labelled with it:

    >>> import pathlib, tempfile
    >>> from movsc_toolkit.survey import read_responses
    >>> lignes = [
    ...     "class\\ttype/scale\\tname\\ttext\\tlanguage",
    ...     "S\\t\\tlanguage\\tfr\\t",
    ...     "G\\t\\tProfil\\t\\tfr",
    ...     "Q\\tL\\tfrequence\\tVenez-vous souvent ?\\tfr",
    ...     "A\\t0\\tA1\\tChaque semaine\\tfr",
    ...     "A\\t0\\tA2\\tPlus rarement\\tfr",
    ... ]
    >>> dossier = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (dossier / "structure.txt").write_text("\\n".join(lignes) + "\\n", encoding="utf-8")
    >>> form = read_limesurvey_structure(dossier / "structure.txt")
    >>> form.choice_labels("frequence")
    {'A1': 'Chaque semaine', 'A2': 'Plus rarement'}
    >>> _ = (dossier / "results.csv").write_text("id,frequence\\n1,A1\\n2,A2\\n", encoding="utf-8")
    >>> read_responses(dossier / "results.csv", form=form)["frequence"].tolist()
    ['Chaque semaine', 'Plus rarement']
    """
    from .._io import check_path

    p = check_path(path)
    suffix = p.suffix.lower()
    if suffix not in STRUCTURE_SUFFIXES:
        raise FileError(
            "une structure LimeSurvey est un fichier .lss (XML) ou .txt (texte tabulé).",
            path=p,
            hint="dans LimeSurvey : Exporter > Structure de questionnaire (.lss).",
        )
    survey = _read_lss(p) if suffix in {".lss", ".lsg"} else _read_tsv(p)
    if not survey.questions:
        raise FormatError(
            "la structure LimeSurvey ne contient aucune question.",
            path=p,
            hint="vérifiez que l'export est celui du questionnaire complet.",
        )
    form = _to_questionnaire(survey, p)
    form.set_language(language if language is not None else default_language(form))
    return form
