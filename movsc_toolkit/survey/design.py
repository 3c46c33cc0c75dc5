"""Questionnaire design: the XLSForm model, its codebook, its validation and the
operationalisation map.

A questionnaire is written as an **XLSForm** workbook (sheets ``survey``, ``choices`` and
``settings``), the authoring format of KoboToolbox, ODK Collect and Enketo
(``reference/survey.md`` §1; spec: ``XLSForm/xlsform.github.io``). :func:`read_xlsform` reads it
into a :class:`Questionnaire`, :meth:`Questionnaire.to_xlsform` writes it back, so a form built in
a notebook can be uploaded to KoboToolbox as it is. The same object labels the exported answers
(:func:`movsc_toolkit.survey.read_responses`): choice names become labels, the order of the
``choices`` rows becomes the order of the categories in every table.

Example (in French, as in the course)::

    q = Questionnaire(title="Enquête usagers", form_id="enquete_usagers")
    q.add_choices("oui_non", {"oui": "Oui", "non": "Non"})
    q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?", required=True)
    q.add_question("integer", "age", "Quel est votre âge ?", constraint=". >= 15 and . <= 110")
    q.validate()
    q.to_xlsform("formulaire.xlsx")

:class:`Operationalisation` links each research hypothesis to dimensions, indicators and
questions, and proposes the analysis plan (which tris croisés and tests answer which
hypothesis).
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import FileError, FormatError, ValidationError, closest, column_error
from .._write import write_excel, write_text

__all__ = [
    "Choice",
    "Operationalisation",
    "Question",
    "Questionnaire",
    "read_operationalisation",
    "read_xlsform",
]

# --- XLSForm vocabulary (reference/survey.md §1.5) -------------------------------------------

_SELECT_TYPES = {"select_one", "select_multiple", "rank"}
_FILE_SELECT_TYPES = {"select_one_from_file", "select_multiple_from_file", "select_one_external"}
_STRUCTURE_TYPES = {"begin_group", "end_group", "begin_repeat", "end_repeat"}
_METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "phonenumber",
    "username",
    "email",
    "audit",
    "subscriberid",
    "simserial",
    "start-geopoint",
    "background-geopoint",
}
#: Types of rows that ask nothing of the respondent.
_NOT_ASKED = _STRUCTURE_TYPES | _METADATA_TYPES | {"note", "calculate", "hidden", "xml-external"}
_KNOWN_TYPES = (
    _SELECT_TYPES
    | _FILE_SELECT_TYPES
    | _NOT_ASKED
    | {
        "integer",
        "decimal",
        "range",
        "text",
        "acknowledge",
        "geopoint",
        "geotrace",
        "geoshape",
        "date",
        "time",
        "dateTime",
        "image",
        "audio",
        "background-audio",
        "video",
        "file",
        "barcode",
        "osm",
    }
)

#: French names of the types, for the codebook.
TYPE_LABELS = {
    "select_one": "choix unique",
    "select_multiple": "choix multiple",
    "rank": "classement",
    "select_one_from_file": "choix unique (liste externe)",
    "select_multiple_from_file": "choix multiple (liste externe)",
    "integer": "nombre entier",
    "decimal": "nombre décimal",
    "range": "curseur numérique",
    "text": "texte libre",
    "acknowledge": "case à cocher « OK »",
    "date": "date",
    "time": "heure",
    "dateTime": "date et heure",
    "geopoint": "point GPS",
    "geotrace": "tracé GPS",
    "geoshape": "zone GPS",
    "image": "photo",
    "audio": "enregistrement audio",
    "background-audio": "audio en arrière-plan",
    "video": "vidéo",
    "file": "fichier",
    "barcode": "code-barres",
    "calculate": "calcul",
    "hidden": "valeur cachée",
    "note": "note (affichage seul)",
}

#: Survey columns the model knows by name, in the order they are written.
_SURVEY_FIELDS = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "choice_filter",
    "appearance",
]
_SURVEY_ALIASES = {
    "relevance": "relevant",
    "requiredmsg": "required_message",
    "constraining_message": "constraint_message",
    "calculate": "calculation",
    "readonly": "read_only",
    "count": "repeat_count",
    "jr:count": "repeat_count",
}
_TRUE = {"yes", "true", "true()", "1", "oui", "vrai", "y"}
_FALSE = {"", "no", "false", "false()", "0", "non", "faux", "n"}
# XML names: a letter or "_" first, then letters, digits, "-", "_" and "." (spec §1.2).
_NAME_RE = re.compile(r"^[^\W\d][\w.\-]*$")
_REF_RE = re.compile(r"\$\{([^}]*)\}")


def _cell(value: Any) -> str:
    """A workbook cell as text: numbers written without a spurious ``.0``, blanks as ``""``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value).strip()


# pyxform's spellings of the select commands (``pyxform/aliases.py``, ``select``).
_SELECT_ALIASES = {
    "select_one": "select_one",
    "select one": "select_one",
    "select one from": "select_one",
    "select1": "select_one",
    "add select one prompt using": "select_one",
    "select_multiple": "select_multiple",
    "select all that apply": "select_multiple",
    "select all that apply from": "select_multiple",
    "add select multiple prompt using": "select_multiple",
    "select_one_from_file": "select_one_from_file",
    "select one from file": "select_one_from_file",
    "select_multiple_from_file": "select_multiple_from_file",
    "select multiple from file": "select_multiple_from_file",
    "select_one_external": "select_one_external",
    "rank": "rank",
}
# Longest first, so that "select one from file" wins over "select one from" and "select one".
_SELECT_RE = re.compile(
    r"^(?P<cmd>"
    + "|".join(re.escape(k) for k in sorted(_SELECT_ALIASES, key=len, reverse=True))
    + r")\s+(?P<list>\S+)(?:\s+(?P<other>or specify other|or_other|or other))?$",
    re.IGNORECASE,
)
# "begin group", "begin_group", "end repeat"… and pyxform's older words (``aliases.control``).
_CONTROL_RE = re.compile(
    r"^(?P<edge>begin|end)(?:\s+|_)(?P<kind>group|repeat|lgroup|looped group|loop)"
    r"(?:\s+(?:over\s+)?\S+)?$",
    re.IGNORECASE,
)
# Other type spellings pyxform accepts (``question_type_dictionary.py``, ``aliases._type``).
_TYPE_ALIASES = {
    "string": "text",
    "q string": "text",
    "add text prompt": "text",
    "phone number": "text",
    "int": "integer",
    "q int": "integer",
    "add integer prompt": "integer",
    "percentage": "integer",
    "number of days in last month": "integer",
    "number of days in last six months": "integer",
    "number of days in last year": "integer",
    "q decimal": "decimal",
    "add decimal prompt": "decimal",
    "datetime": "dateTime",
    "date time": "dateTime",
    "q date time": "dateTime",
    "q datetime": "dateTime",
    "add date time prompt": "dateTime",
    "add datetime prompt": "dateTime",
    "q date": "date",
    "add date prompt": "date",
    "imei": "deviceid",
    "device id": "deviceid",
    "get device id": "deviceid",
    "subscriber id": "subscriberid",
    "get subscriber id": "subscriberid",
    "sim id": "simserial",
    "get sim id": "simserial",
    "get phone number": "phonenumber",
    "start time": "start",
    "get start time": "start",
    "end time": "end",
    "get end time": "end",
    "get today": "today",
    "location": "geopoint",
    "gps": "geopoint",
    "q location": "geopoint",
    "q geopoint": "geopoint",
    "add location prompt": "geopoint",
    "q geoshape": "geoshape",
    "q geotrace": "geotrace",
    "photo": "image",
    "q picture": "image",
    "q image": "image",
    "add image prompt": "image",
    "add photo prompt": "image",
    "q audio": "audio",
    "add audio prompt": "audio",
    "q video": "video",
    "add video prompt": "video",
    "add file prompt": "file",
    "q barcode": "barcode",
    "add barcode prompt": "barcode",
    "q note": "note",
    "add note prompt": "note",
    "q calculate": "calculate",
    "add calculate prompt": "calculate",
    "q acknowledge": "acknowledge",
    "add acknowledge prompt": "acknowledge",
    "trigger": "acknowledge",
}
_CANONICAL = {t.casefold(): t for t in ("dateTime", "background-audio", "xml-external")}


def _normalise_type(raw: str) -> tuple[str, str | None, bool]:
    """Split an XLSForm type cell into (base type, list name, or_other).

    Reads the type the way pyxform does: ``select one from X``, ``select all that apply X``,
    ``begin group`` / ``begin_group``, ``string``, ``int``, ``imei``, ``uri:deviceid``…
    (``pyxform/aliases.py``, ``question_type_dictionary.py``).
    """
    text = " ".join(raw.split())
    if not text:
        return "", None, False
    control = _CONTROL_RE.match(text)
    if control:
        kind = "group" if control["kind"].lower() == "group" else "repeat"
        return f"{control['edge'].lower()}_{kind}", None, False
    select = _SELECT_RE.match(text)
    if select:
        base = _SELECT_ALIASES[select["cmd"].lower()]
        return base, select["list"], select["other"] is not None
    low = text.casefold()
    if low.startswith("uri:") and low[4:] in _METADATA_TYPES:
        return low[4:], None, False  # uri:deviceid, uri:email… (URI form of the metadata)
    if low in _TYPE_ALIASES:
        return _TYPE_ALIASES[low], None, False
    if low in _CANONICAL:
        return _CANONICAL[low], None, False
    if low in _KNOWN_TYPES:
        return low, None, False
    head = text.split()[0]
    return head, None, False


@dataclass
class Choice:
    """One choice of a list (a row of the ``choices`` sheet).

    Attributes
    ----------
    list_name, name, label
        The three standard columns; ``name`` is what the data store, ``label`` what is shown.
    extra
        Any other column (``label::Français (fr)``, filter columns, media…), kept as text.
    """

    list_name: str
    name: str
    label: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    row: int | None = field(default=None, compare=False, repr=False)
    language: str | None = field(default=None, compare=False, repr=False)


@dataclass
class Question:
    """One row of the ``survey`` sheet (a question, a note, a group boundary…).

    Attributes
    ----------
    type
        Base type without the list name: ``"select_one"``, ``"integer"``, ``"begin_group"``…
    name
        Variable name (unique in the form).
    label
        Text shown to the respondent (the plain ``label`` column; translations are in
        ``extra`` under ``label::<langue>``). See :attr:`text` for the label to display.
    list_name
        For ``select_one``/``select_multiple``/``rank``: the choice list used.
    hint, required, relevant, constraint, constraint_message, choice_filter, appearance
        The standard columns (``relevant`` is the skip logic, e.g. ``${adherent} = 'oui'``).
    or_other
        ``True`` when the type ends with ``or_other`` (discouraged by the spec).
    group
        Names of the groups/repeats the row sits in, outermost first.
    extra
        Other columns (translations, ``calculation``, ``parameters``, media…), as text.
    """

    type: str
    name: str = ""
    label: str = ""
    list_name: str | None = None
    hint: str = ""
    required: bool = False
    required_message: str = ""
    relevant: str = ""
    constraint: str = ""
    constraint_message: str = ""
    choice_filter: str = ""
    appearance: str = ""
    or_other: bool = False
    group: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    row: int | None = field(default=None, compare=False, repr=False)
    language: str | None = field(default=None, compare=False, repr=False)

    @property
    def path(self) -> str:
        """The question's name prefixed by its groups, ``"menage/age"`` (Kobo's column name)."""
        return "/".join([*self.group, self.name])

    @property
    def xlsform_type(self) -> str:
        """The ``type`` cell as written in XLSForm (``"select_one oui_non"``, ``"begin_group"``)."""
        if self.type in _STRUCTURE_TYPES:
            return self.type.replace("_", " ")
        text = self.type if self.list_name is None else f"{self.type} {self.list_name}"
        return f"{text} or_other" if self.or_other else text

    @property
    def text(self) -> str:
        """The label to display: the chosen language's, else ``label``, else the first one."""
        if self.language:
            chosen = self.extra.get(f"label::{self.language}", "")
            if chosen:
                return chosen
        if self.label:
            return self.label
        for key, value in self.extra.items():
            if key.startswith("label::") and value:
                return value
        return ""

    @property
    def asks(self) -> bool:
        """Whether the row asks something of the respondent (not a group, note or metadata)."""
        return self.type not in _NOT_ASKED


def _translations(value: str | Mapping[str, str] | None, prefix: str) -> tuple[str, dict]:
    if value is None:
        return "", {}
    if isinstance(value, Mapping):
        return "", {f"{prefix}::{lang}": str(text) for lang, text in value.items()}
    return str(value), {}


@dataclass
class Questionnaire:
    """A questionnaire in XLSForm form: survey rows, choice lists and settings.

    Build one in Python with :meth:`add_question`, :meth:`add_choices`, :meth:`begin_group`…, or
    read one with :func:`read_xlsform`. :attr:`questions` lists the rows that ask something;
    :meth:`codebook` describes them in French; :meth:`validate` checks the form;
    :meth:`to_xlsform` writes the workbook for KoboToolbox/ODK.

    Parameters
    ----------
    title, form_id, version, default_language
        The usual ``settings`` (``form_title``, ``form_id``, ``version``, ``default_language``).
    """

    title: str = ""
    form_id: str = ""
    version: str = ""
    default_language: str = ""
    rows: list[Question] = field(default_factory=list)
    choices: dict[str, list[Choice]] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    path: str | None = field(default=None, compare=False, repr=False)
    aliases: list[str] = field(default_factory=list, compare=False, repr=False)
    _open: list[tuple[str, str]] = field(default_factory=list, compare=False, repr=False)

    # -- building -------------------------------------------------------------------------

    def add_choices(
        self,
        list_name: str,
        choices: Mapping[str, str] | Sequence[str] | Sequence[tuple[str, str]],
    ) -> Questionnaire:
        """Add (or extend) a choice list.

        ``choices`` is a dict ``{name: label}``, a list of ``(name, label)`` pairs, or a list of
        labels (the names are then ``1``, ``2``, ``3``…). Returns the questionnaire, so calls
        can be chained.
        """
        if isinstance(choices, Mapping):
            pairs = [(str(k), str(v)) for k, v in choices.items()]
        else:
            items = list(choices)
            if all(isinstance(c, tuple) and len(c) == 2 for c in items):
                pairs = [(str(k), str(v)) for k, v in items]
            else:
                pairs = [(str(i + 1), str(label)) for i, label in enumerate(items)]
        target = self.choices.setdefault(list_name, [])
        target.extend(Choice(list_name, name, label) for name, label in pairs)
        return self

    def add_question(
        self,
        type: str,
        name: str,
        label: str | Mapping[str, str] = "",
        *,
        hint: str | Mapping[str, str] = "",
        required: bool = False,
        relevant: str = "",
        constraint: str = "",
        constraint_message: str = "",
        choice_filter: str = "",
        appearance: str = "",
        choices: Mapping[str, str] | Sequence[str] | None = None,
        **extra: str,
    ) -> Questionnaire:
        """Add a question (or any survey row) at the current position.

        Parameters
        ----------
        type
            XLSForm type: ``"text"``, ``"integer"``, ``"select_one oui_non"``,
            ``"select_multiple activites"``, ``"note"``…
        name
            Variable name: a letter first, then letters, digits, ``_``, ``-`` or ``.``; no space.
        label, hint
            Text, or a dict ``{"Français (fr)": "…", "English (en)": "…"}`` for translations.
        required, relevant, constraint, constraint_message, choice_filter, appearance
            The XLSForm columns of the same names.
        choices
            Shortcut for a select: the list (named after the type's list name, or after the
            question when the type has none) is created with :meth:`add_choices`.
        **extra
            Other XLSForm columns (``calculation="…"``, ``parameters="…"``).
        """
        base, list_name, or_other = _normalise_type(type.strip())
        if choices is not None:
            if base not in _SELECT_TYPES:
                raise ValidationError(
                    f"la question « {name} » est de type « {type} » : elle n'a pas de modalités.",
                    hint="n'utilisez choices=… qu'avec select_one, select_multiple ou rank.",
                )
            list_name = list_name or name
            self.add_choices(list_name, choices)
        text, label_tr = _translations(label, "label")
        hint_text, hint_tr = _translations(hint, "hint")
        group = tuple(g for _, g in self._open)
        self.rows.append(
            Question(
                type=base,
                name=name,
                label=text,
                list_name=list_name,
                hint=hint_text,
                required=required,
                relevant=relevant,
                constraint=constraint,
                constraint_message=constraint_message,
                choice_filter=choice_filter,
                appearance=appearance,
                or_other=or_other,
                group=group,
                extra={**label_tr, **hint_tr, **{k: str(v) for k, v in extra.items()}},
            )
        )
        return self

    def add_note(self, name: str, label: str | Mapping[str, str]) -> Questionnaire:
        """Add a note (text shown to the respondent, no answer)."""
        return self.add_question("note", name, label)

    def begin_group(
        self,
        name: str,
        label: str | Mapping[str, str] = "",
        *,
        relevant: str = "",
        appearance: str = "",
        repeat: bool = False,
    ) -> Questionnaire:
        """Open a group (``repeat=True``: a repeat) that :meth:`end_group` closes."""
        kind = "repeat" if repeat else "group"
        self.add_question(f"begin_{kind}", name, label, relevant=relevant, appearance=appearance)
        self._open.append((kind, name))
        return self

    def end_group(self) -> Questionnaire:
        """Close the last group or repeat opened by :meth:`begin_group`."""
        if not self._open:
            raise ValidationError(
                "aucun groupe n'est ouvert : end_group() n'a rien à fermer.",
                hint="appelez begin_group(…) avant end_group().",
            )
        kind, _ = self._open.pop()
        group = tuple(g for _, g in self._open)
        self.rows.append(Question(type=f"end_{kind}", name="", group=group))
        return self

    # -- reading the model ------------------------------------------------------------------

    @property
    def questions(self) -> list[Question]:
        """The rows that ask something (not groups, notes, calculations or metadata)."""
        return [q for q in self.rows if q.asks]

    @property
    def names(self) -> list[str]:
        """Names of the questions, in form order."""
        return [q.name for q in self.questions]

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __getitem__(self, name: str) -> Question:
        return self.question(name)

    def question(self, name: str) -> Question:
        """The question called ``name`` (French error suggesting the closest name otherwise).

        ``name`` may also be the group path (``"groupe2/age"``), which is how a question is
        known when two groups reuse the same name (see :meth:`column_name`).
        """
        found = [q for q in self.rows if q.name == name and q.type not in _STRUCTURE_TYPES]
        if len(found) > 1:
            found = [q for q in found if q.asks] or found
        if len(found) > 1:
            raise ValidationError(
                f"plusieurs questions s'appellent « {name} » (dans des groupes différents) : "
                + ", ".join(f"« {q.path} »" for q in found)
                + ".",
                hint=f"désignez la question par son chemin, par exemple « {found[-1].path} ».",
            )
        if found:
            return found[0]
        if "/" in name:
            for q in self.rows:
                if q.path == name and q.type not in _STRUCTURE_TYPES:
                    return q
        raise column_error(name, self.names, what="question")

    def column_name(self, question: Question) -> str:
        """The column that holds ``question`` in the answers table.

        Its name, or its group path (``"groupe2/age"``) when another question of the form has
        the same name in another group: the two are never merged.
        """
        same = [q for q in self.questions if q.name == question.name]
        return question.path if len(same) > 1 else question.name

    # -- languages -------------------------------------------------------------------------

    @property
    def languages(self) -> list[str]:
        """Languages of the translated labels (``label::Français (fr)`` → ``"Français (fr)"``)."""
        found: dict[str, None] = {}
        items = [*self.rows, *(c for cs in self.choices.values() for c in cs)]
        for item in items:
            for key in item.extra:
                if key.startswith("label::"):
                    found.setdefault(key[7:], None)
        return list(found)

    @property
    def language(self) -> str | None:
        """The language whose labels are shown (``None``: the plain ``label`` column)."""
        for q in self.rows:
            return q.language
        return None

    def set_language(self, langue: str | None) -> Questionnaire:
        """Show the labels of ``langue`` (``"fr"``, ``"Français"``, ``"English (en)"``…).

        Raises :class:`ValidationError` listing the form's languages when it has no such
        language. Returns the questionnaire.
        """
        chosen = None if langue is None else _match_language(langue, self.languages, self.path)
        for item in [*self.rows, *(c for cs in self.choices.values() for c in cs)]:
            item.language = chosen
        return self

    def choice_labels(self, name: str) -> dict[str, str]:
        """``{choice name: label}`` for a select question, in the list order."""
        q = self.question(name)
        if q.list_name is None:
            return {}
        return {c.name: _choice_text(c) for c in self.choices.get(q.list_name, [])}

    # -- codebook -----------------------------------------------------------------------------

    def codebook(self) -> pd.DataFrame:
        """A French codebook: one row per question.

        Columns: ``variable``, ``libellé``, ``type``, ``modalités`` (``code = libellé`` joined
        by `` ; ``), ``obligatoire`` (``oui``/``non``), ``condition d'affichage`` (the
        question's ``relevant`` combined with its groups', rewritten in readable French),
        ``groupe``.
        """
        group_conditions: dict[str, str] = {}
        for q in self.rows:
            if q.type in {"begin_group", "begin_repeat"} and q.relevant:
                group_conditions[q.name] = q.relevant
        records = []
        for q in self.questions:
            conditions = [group_conditions[g] for g in q.group if g in group_conditions]
            if q.relevant:
                conditions.append(q.relevant)
            readable = " et ".join(
                f"({readable_condition(c)})" if len(conditions) > 1 else readable_condition(c)
                for c in conditions
            )
            if q.list_name is not None:
                mods = " ; ".join(
                    f"{c.name} = {_choice_text(c)}" for c in self.choices.get(q.list_name, [])
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

    def codebook_to(self, path: str | PathLike[str]) -> Path:
        """Write the codebook to an ``.xlsx`` workbook or a Markdown (``.md``) file."""
        target = Path(path)
        book = self.codebook()
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
            title = self.title or "Questionnaire"
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

    # -- validation ---------------------------------------------------------------------------

    def check(self) -> pd.DataFrame:
        """List the problems of the form without raising.

        Returns
        -------
        pandas.DataFrame
            Columns ``gravité`` (``erreur``: the form will not work; ``conseil``: it works but
            should be improved), ``feuille``, ``ligne`` (row of the workbook, when read from a
            file), ``nom`` and ``message``, in French. Empty when all is well.
        """
        return pd.DataFrame(
            list(_lint(self)), columns=["gravité", "feuille", "ligne", "nom", "message"]
        )

    def validate(self) -> pd.DataFrame:
        """Check the form; raise :class:`ValidationError` listing every error.

        Rules (``reference/survey.md`` §1.8): unique and valid names, known types, select
        questions with an existing, non-empty choice list, no space in the choice names of a
        ``select_multiple``, no duplicate choice in a list, balanced groups and repeats,
        ``${…}`` references to existing questions. Advice (``relevance`` instead of
        ``relevant``, ``or_other``, accents in names, unused lists) does not raise.

        Returns
        -------
        pandas.DataFrame
            The remaining advice (see :meth:`check`), possibly empty.
        """
        problems = self.check()
        errors = problems[problems["gravité"] == "erreur"]
        if len(errors):
            listed = "\n".join(
                f"  – {_where(r.feuille, r.ligne, r.nom)}{r.message}"
                for r in errors.itertuples(index=False)
            )
            raise ValidationError(
                f"le questionnaire contient {len(errors)} erreur(s) :\n{listed}",
                path=self.path,
                hint="corrigez ces lignes dans le fichier XLSForm (ou dans votre code), puis "
                "relancez la validation.",
            )
        return problems.reset_index(drop=True)

    # -- writing -------------------------------------------------------------------------------

    def survey_frame(self) -> pd.DataFrame:
        """The ``survey`` sheet as a DataFrame (standard column names, text cells)."""
        extra_cols: list[str] = []
        for q in self.rows:
            for key in q.extra:
                if key not in extra_cols:
                    extra_cols.append(key)
        label_tr = sorted(c for c in extra_cols if c.startswith("label::"))
        hint_tr = sorted(c for c in extra_cols if c.startswith("hint::"))
        others = [
            c
            for c in extra_cols
            if c not in label_tr and c not in hint_tr and c not in _SURVEY_FIELDS
        ]
        records = []
        for q in self.rows:
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
        order = ["type", "name", "label", *label_tr, "hint", *hint_tr, *_SURVEY_FIELDS[4:]]
        order += others
        frame = pd.DataFrame(records, columns=order).fillna("")
        keep = [c for c in order if c in {"type", "name", "label"} or (frame[c] != "").any()]
        if "label" not in keep:
            keep.insert(2, "label")
        return frame[keep]

    def choices_frame(self) -> pd.DataFrame:
        """The ``choices`` sheet as a DataFrame (``list_name``, ``name``, ``label``, …)."""
        extra_cols: list[str] = []
        for items in self.choices.values():
            for c in items:
                for key in c.extra:
                    if key not in extra_cols:
                        extra_cols.append(key)
        records = [
            {"list_name": c.list_name, "name": c.name, "label": c.label, **c.extra}
            for items in self.choices.values()
            for c in items
        ]
        frame = pd.DataFrame(records, columns=["list_name", "name", "label", *extra_cols])
        return frame.fillna("")

    def settings_frame(self) -> pd.DataFrame:
        """The ``settings`` sheet (one row) as a DataFrame."""
        values = {
            "form_title": self.title,
            "form_id": self.form_id,
            "version": self.version,
            "default_language": self.default_language,
            **self.settings,
        }
        values = {k: v for k, v in values.items() if v}
        return pd.DataFrame([values]) if values else pd.DataFrame()

    def to_xlsform(self, path: str | PathLike[str], *, validate: bool = True) -> Path:
        """Write the questionnaire as an XLSForm workbook (``.xlsx``) for KoboToolbox/ODK.

        The form is validated first (``validate=False`` skips it). Returns the path written.
        """
        if validate:
            self.validate()
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            raise FileError(
                "un formulaire XLSForm s'enregistre au format .xlsx.",
                path=target,
                hint="donnez un nom de fichier finissant par .xlsx (par exemple "
                "« formulaire.xlsx »).",
            )
        sheets = {
            "survey": self.survey_frame(),
            "choices": self.choices_frame(),
            "settings": self.settings_frame(),
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

    # -- display --------------------------------------------------------------------------------

    def _summary(self) -> tuple[str, pd.DataFrame]:
        counts = pd.Series([TYPE_LABELS.get(q.type, q.type) for q in self.questions])
        table = counts.value_counts(sort=False).rename_axis("type").rename("questions")
        title = self.title or "Questionnaire sans titre"
        head = f"{title} : {len(self.questions)} question(s), {len(self.choices)} liste(s) de choix"
        return head, table.to_frame()

    def __repr__(self) -> str:
        head, _ = self._summary()
        return f"<Questionnaire « {head} »>"

    def __str__(self) -> str:
        head, table = self._summary()
        lines = [head]
        lines += [f"  – {t} : {n}" for t, n in table["questions"].items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head, table = self._summary()
        return f"<p><strong>{html.escape(head)}</strong></p>" + table.to_html(border=0)


def _choice_text(c: Choice) -> str:
    if c.language:
        chosen = c.extra.get(f"label::{c.language}", "")
        if chosen:
            return chosen
    if c.label:
        return c.label
    for key, value in c.extra.items():
        if key.startswith("label::") and value:
            return value
    return c.name


def _where(sheet: str, line: Any, name: str) -> str:
    parts = [f"feuille « {sheet} »"]
    if line is not None and not pd.isna(line):
        parts.append(f"ligne {int(line)}")
    if name:
        parts.append(f"« {name} »")
    return ", ".join(parts) + " : "


def readable_condition(expression: str) -> str:
    """Rewrite an XLSForm condition in plain French, for the codebook.

    ``${age} >= 18 and selected(${activites}, 'sport')`` →
    ``age ≥ 18 et activites contient « sport »``.
    """
    text = re.sub(
        r"selected\(\s*\$\{([^}]*)\}\s*,\s*'([^']*)'\s*\)", r"\1 contient « \2 »", expression
    )
    text = re.sub(r"not\s*\(", "non (", text)
    text = _REF_RE.sub(r"\1", text)
    text = re.sub(r"'([^']*)'", r"« \1 »", text)
    for old, new in [("!=", "≠"), (">=", "≥"), ("<=", "≤")]:
        text = text.replace(old, new)
    text = re.sub(r"\band\b", "et", text)
    text = re.sub(r"\bor\b", "ou", text)
    return re.sub(r"\s+", " ", text).strip()


def _lint(form: Questionnaire) -> Iterator[tuple[str, str, int | None, str, str]]:
    """Yield (gravité, feuille, ligne, nom, message) for every problem of ``form``."""
    err, tip = "erreur", "conseil"
    seen: dict[tuple[tuple[str, ...], str], int | None] = {}
    stack: list[Question] = []
    used_lists: set[str] = set()
    all_names = {q.name for q in form.rows if q.name and q.type not in {"end_group", "end_repeat"}}
    for q in form.rows:
        line = q.row
        if q.type == "":
            yield err, "survey", line, q.name, "la colonne « type » est vide."
            continue
        if q.type not in _KNOWN_TYPES:
            near = closest(q.type, sorted(_KNOWN_TYPES))
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
        elif not _NAME_RE.match(q.name):
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
            key = (q.group, q.name)
            if key in seen:
                where = f" (déjà utilisé ligne {seen[key]})" if seen[key] else ""
                yield err, "survey", line, q.name, f"nom « {q.name} » en double{where}."
            else:
                seen[key] = line
        if q.asks and not q.text and q.type not in {"begin_group", "begin_repeat"}:
            yield err, "survey", line, q.name, "la question n'a pas de libellé (label)."
        if q.type in _SELECT_TYPES:
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
            for ref in _REF_RE.findall(expr):
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
            for ref in _REF_RE.findall(value):
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
            f"« {_SURVEY_ALIASES[alias]} ».",
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
    allow_dup = form.settings.get("allow_choice_duplicates", "").lower() in _TRUE
    for list_name, items in form.choices.items():
        if not _NAME_RE.match(list_name):
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
                v and (k.startswith("label::") or k.split("::")[0] in _MEDIA)
                for k, v in c.extra.items()
            ):  # pyxform accepts a choice shown by its picture only
                yield (
                    err,
                    "choices",
                    c.row,
                    c.name,
                    f"le choix « {c.name} » de la liste « {list_name} » n'a pas de libellé.",
                )
        if list_name not in used_lists and not any(q.type in _FILE_SELECT_TYPES for q in form.rows):
            yield (
                tip,
                "choices",
                items[0].row if items else None,
                list_name,
                f"la liste « {list_name} » n'est utilisée par aucune question.",
            )


# --- reading an XLSForm ---------------------------------------------------------------------


_SHEETS = ("survey", "choices", "settings")


def _header(name: object) -> str:
    """A column header as pyxform reads it: known words in lower case (``LABEL::EN``)."""
    text = str(name).strip()
    head, sep, rest = text.partition("::")
    low = head.lower()
    if low in _KNOWN_HEADERS or low in _TRANSLATABLE:
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
    frame = frame.map(_cell)
    frame.columns = [_header(c) for c in frame.columns]
    frame.attrs["lines"] = lines
    return frame


# Columns that pyxform translates (``aliases.TRANSLATABLE_SURVEY_COLUMNS``).
_TRANSLATABLE = {
    "label",
    "hint",
    "guidance_hint",
    "image",
    "big-image",
    "audio",
    "video",
    "constraint_message",
    "required_message",
    "media::image",
    "media::audio",
    "media::video",
    "media::big-image",
}
_MEDIA = {"image", "big-image", "audio", "video", "media"}
_KNOWN_HEADERS = (
    set(_SURVEY_FIELDS)
    | set(_SURVEY_ALIASES)
    | {"list_name", "list name", "calculation", "parameters", "repeat_count", "default"}
    | {"read_only", "trigger", "form_title", "form_id", "version", "default_language"}
)
_FRENCH = re.compile(r"^(fr|fra|fre)$|\((fr|fra|fre)(-\w+)?\)|^fran[cç]ais|^french", re.I)


def _language_key(language: str) -> tuple[str, str]:
    """(name, code) of a language column: ``"Français (fr)"`` → ``("français", "fr")``."""
    m = re.match(r"^(?P<name>.*?)\s*\((?P<code>[^()]*)\)\s*$", language)
    if m:
        return m["name"].strip().casefold(), m["code"].strip().casefold()
    text = language.strip().casefold()
    return text, text if len(text) <= 3 else ""


def _match_language(langue: str, languages: Sequence[str], path: Any = None) -> str:
    """The language of ``languages`` that ``langue`` designates (name, code or both)."""
    if langue in languages:
        return langue
    wanted_name, wanted_code = _language_key(langue)
    for lang in languages:
        name, code = _language_key(lang)
        if wanted_name in {name, code} or (wanted_code and wanted_code == code):
            return lang
    # "en" for a column "label:English": the start of the language's name, if only one fits.
    starts = [lang for lang in languages if _language_key(lang)[0].startswith(wanted_name)]
    if len(wanted_name) >= 2 and len(starts) == 1:
        return starts[0]
    shown = ", ".join(f"« {lang} »" for lang in languages) or "aucune (colonne « label » seule)"
    raise ValidationError(
        f"le formulaire n'a pas de libellés en « {langue} ». Langues disponibles : {shown}.",
        path=path,
        hint="choisissez une de ces langues, par exemple langue="
        + (f"« {languages[0]} »" if languages else "None")
        + ".",
    )


def _default_language(form: Questionnaire) -> str | None:
    """French when the form has it, else the form's ``default_language``, else ``None``."""
    languages = form.languages
    for lang in languages:
        if _FRENCH.search(lang.strip()):
            return lang
    if form.default_language in languages:
        return form.default_language
    return None


def _translation_headers(columns: Sequence[str]) -> dict[str, str]:
    """``label:French`` → ``label::French`` when the sheet uses single colons (as pyxform)."""
    if any("::" in c for c in columns):
        return {}
    renamed = {}
    for c in columns:
        head, sep, lang = c.partition(":")
        if sep and head.strip().lower() in _TRANSLATABLE and lang.strip():
            renamed[c] = f"{head.strip().lower()}::{lang.strip()}"
    return renamed


def read_xlsform(
    path: str | PathLike[str], *, validate: bool = True, langue: str | None = None
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
    langue
        For a multilingual form, the language of the labels (``"fr"``, ``"Français"``,
        ``"English (en)"``…). By default French when the form has French labels
        (``label::Français (fr)``, ``label::French (fr)``, ``label:fr``), else the form's
        ``default_language``, else the plain ``label`` column. A language the form does not
        have raises :class:`ValidationError` listing the available ones.

    Examples
    --------
    >>> form = read_xlsform("formulaire.xlsx")  # doctest: +SKIP
    >>> form.codebook()  # doctest: +SKIP
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
    found = {name: name if name in sheets else by_case.get(name) for name in _SHEETS}
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
    survey = survey.rename(columns={c: _SURVEY_ALIASES.get(c, c) for c in survey.columns})
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
    form = Questionnaire(path=str(p))
    form.aliases = [c for c in _read_columns if c in _SURVEY_ALIASES]
    stack: list[str] = []
    lines = survey.attrs["lines"]
    for i, record in enumerate(survey.to_dict("records")):
        raw_type = record.get("type", "")
        if not raw_type and not any(record.values()):
            continue
        base, list_name, or_other = _normalise_type(raw_type)
        if base in {"end_group", "end_repeat"} and stack:
            stack.pop()
        known = {k: record.get(k, "") for k in _SURVEY_FIELDS}
        extra = {
            k: v
            for k, v in record.items()
            if k not in _SURVEY_FIELDS and v != "" and not k.startswith("colonne_")
        }
        required = known["required"].lower()
        q = Question(
            type=base,
            name=known["name"],
            label=known["label"],
            list_name=list_name,
            hint=known["hint"],
            required=required in _TRUE,
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
        if required not in _TRUE and required not in _FALSE:
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
            form.title = values.pop("form_title", "")
            form.form_id = values.pop("form_id", "")
            form.version = values.pop("version", "")
            form.default_language = values.pop("default_language", "")
            form.settings = values
    form.set_language(langue if langue is not None else _default_language(form))
    if validate:
        form.validate()
    return form


# --- operationalisation ---------------------------------------------------------------------

_OPE_COLUMNS = {
    "hypothèse": ["hypothese", "hypothesis", "hypothèses"],
    "dimension": ["dimensions"],
    "indicateur": ["indicateurs", "indicator", "indicateur(s)"],
    "question": ["questions", "variable", "variables"],
    "rôle": ["role", "statut"],
}


def _norm(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", str(text).strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Indicator:
    """One line of the operationalisation map."""

    hypothesis: str
    dimension: str
    indicator: str
    questions: tuple[str, ...]
    role: str = ""


@dataclass
class Operationalisation:
    """The operationalisation map: hypothèse → dimensions → indicateurs → questions.

    Each hypothesis is broken down into dimensions, each dimension into observable indicators,
    each indicator into the questions that measure it. The ``rôle`` of an indicator says whether
    it is what the hypothesis explains (``à expliquer``, the dependent variable) or what
    explains it (``explicative``). From this map and the questionnaire,
    :meth:`analysis_plan` proposes the tris croisés and tests that answer each hypothesis.

    Build it with :meth:`add`, from a DataFrame with :meth:`from_frame`, or from an Excel sheet
    with :func:`read_operationalisation` (columns ``hypothèse``, ``dimension``, ``indicateur``,
    ``question`` — several question names separated by commas — and optionally ``rôle``).
    """

    indicators: list[Indicator] = field(default_factory=list)

    def add(
        self,
        hypothese: str,
        dimension: str,
        indicateur: str,
        questions: str | Sequence[str],
        role: str = "",
    ) -> Operationalisation:
        """Add an indicator (``role``: ``"explicative"`` or ``"à expliquer"``)."""
        if isinstance(questions, str):
            questions = [q for q in re.split(r"[,;\s]+", questions) if q]
        self.indicators.append(
            Indicator(hypothese, dimension, indicateur, tuple(questions), _role(role))
        )
        return self

    @classmethod
    def from_frame(cls, data: pd.DataFrame) -> Operationalisation:
        """Read the map from a DataFrame (one row per indicator; see the class docstring)."""
        mapping: dict[str, str] = {}
        for col in data.columns:
            key = _norm(col)
            for target, aliases in _OPE_COLUMNS.items():
                if key == _norm(target) or key in {_norm(a) for a in aliases}:
                    mapping[col] = target
        renamed = data.rename(columns=mapping)
        for needed in ("hypothèse", "dimension", "indicateur", "question"):
            if needed not in renamed.columns:
                raise column_error(needed, data.columns)
        filled = renamed.copy()
        # Merged cells in Excel come back as blanks below the first row: carry them down.
        for col in ("hypothèse", "dimension"):
            filled[col] = filled[col].replace("", pd.NA).ffill()
        result = cls()
        for record in filled.to_dict("records"):
            questions = "" if pd.isna(record["question"]) else str(record["question"])
            if not questions.strip():
                continue
            role = record.get("rôle", "")
            result.add(
                str(record["hypothèse"]),
                str(record["dimension"]),
                "" if pd.isna(record["indicateur"]) else str(record["indicateur"]),
                questions,
                "" if role is None or pd.isna(role) else str(role),
            )
        return result

    @property
    def hypotheses(self) -> list[str]:
        """The hypotheses, in the order given."""
        return list(dict.fromkeys(i.hypothesis for i in self.indicators))

    def to_frame(self) -> pd.DataFrame:
        """The map as a table (``hypothèse``, ``dimension``, ``indicateur``, ``question``, ``rôle``)."""
        return pd.DataFrame(
            [
                {
                    "hypothèse": i.hypothesis,
                    "dimension": i.dimension,
                    "indicateur": i.indicator,
                    "question": ", ".join(i.questions),
                    "rôle": i.role,
                }
                for i in self.indicators
            ],
            columns=["hypothèse", "dimension", "indicateur", "question", "rôle"],
        )

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False, border=0)

    def __str__(self) -> str:
        return self.to_frame().to_string(index=False)

    def __repr__(self) -> str:
        return (
            f"<Operationalisation : {len(self.hypotheses)} hypothèse(s), "
            f"{len(self.indicators)} indicateur(s)>"
        )

    def check(self, questionnaire: Questionnaire) -> None:
        """Raise :class:`ValidationError` if a question of the map is not in the questionnaire."""
        names = questionnaire.names
        for ind in self.indicators:
            for q in ind.questions:
                if q not in names:
                    near = closest(q, names)
                    hint = (
                        f"vouliez-vous dire « {near[0]} » ?"
                        if near
                        else "ajoutez la question au questionnaire, ou corrigez son nom."
                    )
                    raise ValidationError(
                        f"l'indicateur « {ind.indicator} » (hypothèse « {ind.hypothesis} ») "
                        f"cite la question « {q} », absente du questionnaire.",
                        hint=hint,
                    )

    def analysis_plan(self, questionnaire: Questionnaire) -> pd.DataFrame:
        """Propose the analyses that test each hypothesis.

        For each hypothesis, every question of an ``explicative`` indicator is crossed with
        every question of an ``à expliquer`` indicator (without roles: every pair of questions
        from different dimensions). The analysis depends on the two types:

        - two categorical questions → tri croisé + test du χ² d'indépendance, V de Cramér and
          adjusted residuals (``crosstab``, ``chi2_test``);
        - a multiple-choice question × a categorical one → tableau de réponses multiples par
          groupe (``multi_response(..., by=…)``), then χ² modality by modality;
        - a numeric × a categorical question → comparaison de moyennes (t de Student / ANOVA,
          or Mann-Whitney / Kruskal-Wallis when the distributions are skewed);
        - two numeric questions → corrélation (Pearson, or Spearman) and a scatter plot;
        - an open question → analyse lexicométrique of the answers by group.

        An indicator measured by two or more single-choice questions sharing one choice list is
        a scale: its reliability is checked with Cronbach's α (``likert``,
        ``cronbach_alpha``) before the items are summed into a score.

        Returns
        -------
        pandas.DataFrame
            Columns ``hypothèse``, ``variable explicative``, ``variable à expliquer``,
            ``analyse``, ``fonctions`` (toolkit functions to call), in French.
        """
        self.check(questionnaire)
        rows: list[dict[str, str]] = []
        for hyp in self.hypotheses:
            items = [i for i in self.indicators if i.hypothesis == hyp]
            for ind in items:
                scale = _scale_items(questionnaire, ind.questions)
                if scale:
                    rows.append(
                        {
                            "hypothèse": hyp,
                            "variable explicative": "",
                            "variable à expliquer": ", ".join(scale),
                            "analyse": f"échelle « {ind.indicator} » : distribution des items "
                            "(graphique de Likert) et fiabilité (α de Cronbach ≥ 0,7 attendu) "
                            "avant de calculer un score",
                            "fonctions": "likert, cronbach_alpha",
                        }
                    )
            explanatory = [i for i in items if i.role == "explicative"]
            explained = [i for i in items if i.role == "à expliquer"]
            pairs: list[tuple[str, str]] = []
            if explanatory and explained:
                pairs = [
                    (x, y)
                    for ix in explanatory
                    for iy in explained
                    for x in ix.questions
                    for y in iy.questions
                    if x != y
                ]
            else:
                flat = [(i.dimension, q) for i in items for q in i.questions]
                pairs = [
                    (x, y)
                    for a, (dx, x) in enumerate(flat)
                    for dy, y in flat[a + 1 :]
                    if dx != dy and x != y
                ]
            if not pairs:
                for i in items:
                    for q in i.questions:
                        rows.append(
                            {
                                "hypothèse": hyp,
                                "variable explicative": "",
                                "variable à expliquer": q,
                                "analyse": "tri à plat (distribution de la variable)",
                                "fonctions": "freq",
                            }
                        )
            for x, y in dict.fromkeys(pairs):
                analysis, functions = _pair_analysis(questionnaire[x], questionnaire[y])
                rows.append(
                    {
                        "hypothèse": hyp,
                        "variable explicative": x,
                        "variable à expliquer": y,
                        "analyse": analysis,
                        "fonctions": functions,
                    }
                )
        return pd.DataFrame(
            rows,
            columns=[
                "hypothèse",
                "variable explicative",
                "variable à expliquer",
                "analyse",
                "fonctions",
            ],
        )


def _role(text: str) -> str:
    key = _norm(text)
    if key in {"explicative", "independante", "variable explicative", "x", "cause"}:
        return "explicative"
    if key in {"a expliquer", "dependante", "variable a expliquer", "y", "effet", "expliquee"}:
        return "à expliquer"
    if key == "":
        return ""
    raise ValidationError(
        f"rôle « {text} » inconnu.",
        hint="écrivez « explicative » (ce qui explique) ou « à expliquer » (ce qui est "
        "expliqué), ou laissez la case vide.",
    )


def _kind(q: Question) -> str:
    if q.type in {"select_one", "select_one_from_file", "acknowledge"}:
        return "qualitative"
    if q.type in {"select_multiple", "select_multiple_from_file", "rank"}:
        return "multiple"
    if q.type in {"integer", "decimal", "range"}:
        return "numérique"
    if q.type == "text":
        return "texte"
    return "autre"


def _scale_items(form: Questionnaire, names: Iterable[str]) -> list[str]:
    """The questions of an indicator forming a scale (≥ 2 single choices on one list)."""
    by_list: dict[str, list[str]] = {}
    for name in names:
        q = form[name]
        if q.type == "select_one" and q.list_name:
            by_list.setdefault(q.list_name, []).append(name)
    for items in by_list.values():
        if len(items) >= 2 and len(form.choices.get(form[items[0]].list_name or "", [])) >= 3:
            return items
    return []


def _pair_analysis(x: Question, y: Question) -> tuple[str, str]:
    kinds = {_kind(x), _kind(y)}
    if "texte" in kinds:
        return (
            "analyse lexicométrique des réponses ouvertes, comparées selon les groupes "
            "(spécificités)",
            "lexico",
        )
    if kinds == {"qualitative"}:
        return (
            "tri croisé (pourcentages en ligne ou en colonne) + test du χ² d'indépendance, "
            "V de Cramér et résidus ajustés",
            "crosstab, chi2_test",
        )
    if kinds == {"multiple", "qualitative"} or kinds == {"multiple"}:
        return (
            "tableau de réponses multiples par groupe (% des répondants), puis χ² modalité "
            "par modalité",
            "multi_response, chi2_test",
        )
    if kinds == {"numérique", "qualitative"}:
        return (
            "comparaison de moyennes entre groupes (t de Student ou ANOVA ; Mann-Whitney ou "
            "Kruskal-Wallis si la distribution est très asymétrique)",
            "compare_means",
        )
    if kinds == {"numérique"}:
        return "corrélation (Pearson, ou Spearman) et nuage de points", "pandas.corr"
    if kinds == {"numérique", "multiple"}:
        return (
            "comparaison de moyennes entre ceux qui ont coché et ceux qui n'ont pas coché "
            "chaque modalité",
            "compare_means",
        )
    return "description séparée de chaque variable (tris à plat)", "freq"


def read_operationalisation(
    path: str | PathLike[str], sheet: str | int | None = None
) -> Operationalisation:
    """Read an operationalisation map from a CSV or a spreadsheet (see :class:`Operationalisation`)."""
    from .._io import read_table

    data = read_table(path, sheet=sheet, convert_numbers=False, parse_dates=False)
    return Operationalisation.from_frame(data)
