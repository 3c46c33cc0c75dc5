"""The XLSForm vocabulary: question types, standard columns, type spellings, languages.

A private module with public names, shared by the questionnaire model
(:mod:`movsc_toolkit.survey.questionnaire`), its reader (:mod:`~movsc_toolkit.survey.xlsform`),
its rules (``_xlsform_rules``) and the answers reader. Spec: the XLSForm specification
(``XLSForm/xlsform.github.io``, its question-type table); column aliases as pyxform accepts
them (``XLSForm/pyxform``, ``pyxform/aliases.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._errors import ValidationError

if TYPE_CHECKING:
    from .questionnaire import Choice, Questionnaire

__all__ = [
    "FALSE_WORDS",
    "FILE_SELECT_TYPES",
    "KNOWN_HEADERS",
    "KNOWN_TYPES",
    "MEDIA",
    "METADATA_TYPES",
    "NAME_RE",
    "NOT_ASKED",
    "REF_RE",
    "SELECT_TYPES",
    "STRUCTURE_TYPES",
    "SURVEY_ALIASES",
    "SURVEY_FIELDS",
    "TRANSLATABLE",
    "TRUE_WORDS",
    "TYPE_LABELS",
    "cell_text",
    "choice_text",
    "default_language",
    "match_language",
    "normalise_type",
    "readable_condition",
]


# --- XLSForm vocabulary (XLSForm spec, question types; pyxform aliases.py) --------------------

SELECT_TYPES = {"select_one", "select_multiple", "rank"}
FILE_SELECT_TYPES = {"select_one_from_file", "select_multiple_from_file", "select_one_external"}
STRUCTURE_TYPES = {"begin_group", "end_group", "begin_repeat", "end_repeat"}
METADATA_TYPES = {
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
NOT_ASKED = STRUCTURE_TYPES | METADATA_TYPES | {"note", "calculate", "hidden", "xml-external"}
KNOWN_TYPES = (
    SELECT_TYPES
    | FILE_SELECT_TYPES
    | NOT_ASKED
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
SURVEY_FIELDS = [
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
SURVEY_ALIASES = {
    "relevance": "relevant",
    "requiredmsg": "required_message",
    "constraining_message": "constraint_message",
    "calculate": "calculation",
    "readonly": "read_only",
    "count": "repeat_count",
    "jr:count": "repeat_count",
}
TRUE_WORDS = {"yes", "true", "true()", "1", "oui", "vrai", "y"}
FALSE_WORDS = {"", "no", "false", "false()", "0", "non", "faux", "n"}
# XML names: a letter or "_" first, then letters, digits, "-", "_" and "." (XLSForm spec, `name`).
NAME_RE = re.compile(r"^[^\W\d][\w.\-]*$")
REF_RE = re.compile(r"\$\{([^}]*)\}")


def cell_text(value: Any) -> str:
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


def normalise_type(raw: str) -> tuple[str, str | None, bool]:
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
    if low.startswith("uri:") and low[4:] in METADATA_TYPES:
        return low[4:], None, False  # uri:deviceid, uri:email… (URI form of the metadata)
    if low in _TYPE_ALIASES:
        return _TYPE_ALIASES[low], None, False
    if low in _CANONICAL:
        return _CANONICAL[low], None, False
    if low in KNOWN_TYPES:
        return low, None, False
    head = text.split()[0]
    return head, None, False


def choice_text(c: Choice) -> str:
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


def readable_condition(expression: str) -> str:
    """Rewrite an XLSForm condition in plain French, for the codebook.

    ``${age} >= 18 and selected(${activites}, 'sport')`` →
    ``age ≥ 18 et activites contient « sport »``.
    """
    text = re.sub(
        r"selected\(\s*\$\{([^}]*)\}\s*,\s*'([^']*)'\s*\)", r"\1 contient « \2 »", expression
    )
    text = re.sub(r"not\s*\(", "non (", text)
    text = REF_RE.sub(r"\1", text)
    text = re.sub(r"'([^']*)'", r"« \1 »", text)
    for old, new in [("!=", "≠"), (">=", "≥"), ("<=", "≤")]:
        text = text.replace(old, new)
    text = re.sub(r"\band\b", "et", text)
    text = re.sub(r"\bor\b", "ou", text)
    return re.sub(r"\s+", " ", text).strip()


# Columns that pyxform translates (``aliases.TRANSLATABLE_SURVEY_COLUMNS``).
TRANSLATABLE = {
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
MEDIA = {"image", "big-image", "audio", "video", "media"}
KNOWN_HEADERS = (
    set(SURVEY_FIELDS)
    | set(SURVEY_ALIASES)
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


def match_language(language: str, languages: Sequence[str], path: Any = None) -> str:
    """The language of ``languages`` that ``language`` designates (name, code or both)."""
    if language in languages:
        return language
    wanted_name, wanted_code = _language_key(language)
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
        f"le formulaire n'a pas de libellés en « {language} ». Langues disponibles : {shown}.",
        path=path,
        hint="choisissez une de ces langues, par exemple language="
        + (f"« {languages[0]} »" if languages else "None")
        + ".",
    )


def default_language(form: Questionnaire) -> str | None:
    """French when the form has it, else the form's ``default_language``, else ``None``."""
    languages = form.languages
    for lang in languages:
        if _FRENCH.search(lang.strip()):
            return lang
    if form.default_language in languages:
        return form.default_language
    return None
