"""The questionnaire model: choices, questions and the :class:`Questionnaire` built from them.

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
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import field
from os import PathLike
from pathlib import Path

import pandas as pd

from .._errors import ValidationError, column_error
from .._report import Report, result, titled_html
from ._xlsform import (
    SELECT_TYPES,
    STRUCTURE_TYPES,
    TYPE_LABELS,
    choice_text,
    match_language,
    normalise_type,
    readable_condition,
)
from ._xlsform_rules import lint, where
from ._xlsform_write import (
    choices_sheet,
    settings_sheet,
    survey_sheet,
    write_codebook,
    write_xlsform,
)
from .question import Choice, Question


def _translations(value: str | Mapping[str, str] | None, prefix: str) -> tuple[str, dict]:
    if value is None:
        return "", {}
    if isinstance(value, Mapping):
        return "", {f"{prefix}::{lang}": str(text) for lang, text in value.items()}
    return str(value), {}


@result
class Questionnaire(Report):
    """A questionnaire in XLSForm form: survey rows, choice lists and settings.

    Build one in Python with :meth:`add_question`, :meth:`add_choices`, :meth:`begin_group`…, or
    read one with :func:`read_xlsform`. :attr:`questions` lists the rows that ask something;
    :meth:`codebook` describes them in French; :meth:`validate` checks the form;
    :meth:`to_xlsform` writes the workbook for KoboToolbox/ODK.

    Parameters
    ----------
    title, form_id, version, default_language
        The usual ``settings`` (``form_title``, ``form_id``, ``version``, ``default_language``).

    Examples
    --------
    >>> q = Questionnaire(title="Enquête usagers", form_id="enquete_usagers")
    >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?",
    ...                    choices={"oui": "Oui", "non": "Non"})
    >>> q.names, q.choice_labels("adherent")
    (['adherent'], {'oui': 'Oui', 'non': 'Non'})
    >>> print(q)
    Enquête usagers : 1 question(s), 1 liste(s) de choix.
      – choix unique : 1
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
        base, list_name, or_other = normalise_type(type.strip())
        if choices is not None:
            if base not in SELECT_TYPES:
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
        found = [q for q in self.rows if q.name == name and q.type not in STRUCTURE_TYPES]
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
                if q.path == name and q.type not in STRUCTURE_TYPES:
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
        items: list[Question | Choice] = [
            *self.rows,
            *(c for cs in self.choices.values() for c in cs),
        ]
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

    def set_language(self, language: str | None) -> Questionnaire:
        """Show the labels of ``language`` (``"fr"``, ``"Français"``, ``"English (en)"``…).

        Raises :class:`ValidationError` listing the form's languages when it has no such
        language. Returns the questionnaire.
        """
        chosen = None if language is None else match_language(language, self.languages, self.path)
        chosen_items: list[Question | Choice] = [
            *self.rows,
            *(c for cs in self.choices.values() for c in cs),
        ]
        for item in chosen_items:
            item.language = chosen
        return self

    def choice_labels(self, name: str) -> dict[str, str]:
        """``{choice name: label}`` for a select question, in the list order."""
        q = self.question(name)
        if q.list_name is None:
            return {}
        return {c.name: choice_text(c) for c in self.choices.get(q.list_name, [])}

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
                    f"{c.name} = {choice_text(c)}" for c in self.choices.get(q.list_name, [])
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
        return write_codebook(self, path)

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
            list(lint(self)), columns=["gravité", "feuille", "ligne", "nom", "message"]
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
                f"  – {where(r.feuille, r.ligne, r.nom)}{r.message}"
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
        return survey_sheet(self)

    def choices_frame(self) -> pd.DataFrame:
        """The ``choices`` sheet as a DataFrame (``list_name``, ``name``, ``label``, …)."""
        return choices_sheet(self)

    def settings_frame(self) -> pd.DataFrame:
        """The ``settings`` sheet (one row) as a DataFrame."""
        return settings_sheet(self)

    def to_xlsform(self, path: str | PathLike[str], *, validate: bool = True) -> Path:
        """Write the questionnaire as an XLSForm workbook (``.xlsx``) for KoboToolbox/ODK.

        The form is validated first (``validate=False`` skips it). Returns the path written.
        """
        if validate:
            self.validate()
        return write_xlsform(self, path)

    # -- display --------------------------------------------------------------------------------

    def _summary(self) -> tuple[str, pd.DataFrame]:
        counts = pd.Series([TYPE_LABELS.get(q.type, q.type) for q in self.questions])
        table = counts.value_counts(sort=False).rename_axis("type").rename("questions")
        title = self.title or "Questionnaire sans titre"
        head = f"{title} : {len(self.questions)} question(s), {len(self.choices)} liste(s) de choix"
        return head, table.to_frame()

    def _lines(self) -> list[str]:
        head, table = self._summary()
        return [f"{head}.", *(f"  – {t} : {n}" for t, n in table["questions"].items())]

    def _html_tables(self) -> str:
        return titled_html(self._summary()[1], "Questions par type", 0)

    def to_frame(self) -> pd.DataFrame:
        """The codebook (see :meth:`codebook`): one row per question."""
        return self.codebook()
