"""The questionnaire model: choices, questions and the :class:`Questionnaire` built from them.

A questionnaire is written as an **XLSForm** workbook (sheets ``survey``, ``choices`` and
``settings``), the authoring format of KoboToolbox, ODK Collect and Enketo
(spec: ``XLSForm/xlsform.github.io``). :func:`read_xlsform` reads it
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

from collections.abc import Iterator
from dataclasses import field, fields
from os import PathLike
from pathlib import Path

import pandas as pd

from .._errors import ValidationError, column_error
from .._problems import ProblemLog
from .._report import Report, result, titled_html
from ._builder import QuestionnaireBuilder
from ._xlsform import (
    STRUCTURE_TYPES,
    TYPE_LABELS,
    choice_text,
    match_language,
)
from ._xlsform_rules import lint, where
from ._xlsform_write import (
    choices_sheet,
    codebook_frame,
    settings_sheet,
    survey_sheet,
    write_codebook,
    write_xlsform,
)
from .question import Choice, Question


@result
class Questionnaire(QuestionnaireBuilder, Report):
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

    def __eq__(self, other: object) -> bool:
        """Equal when both ask the same questions, with the same choice lists and settings.

        Where the form was read from (``path``, the column aliases met) does not count, so a
        questionnaire written with :meth:`to_xlsform` and read back equals the original.
        """
        if not isinstance(other, Questionnaire):
            return NotImplemented
        return all(
            getattr(self, f.name) == getattr(other, f.name) for f in fields(self) if f.compare
        )

    __hash__ = None  # type: ignore[assignment]  # holds lists: not hashable

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

        Parameters
        ----------
        name
            The question's name, or its group path.

        Returns
        -------
        Question
            The row of the ``survey`` sheet.

        Examples
        --------
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.question("adherent").text
        'Êtes-vous adhérent·e ?'
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

        Parameters
        ----------
        question
            A question of the form.

        Returns
        -------
        str
            The column name.

        Examples
        --------
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.column_name(q.question("adherent"))
        'adherent'
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

        Examples
        --------
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.set_language(None).language is None
        True
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
        """``{choice name: label}`` for a select question, in the list order.

        Parameters
        ----------
        name
            The question's name.

        Returns
        -------
        dict
            Choice names to labels; empty for a question without choices.

        Examples
        --------
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.choice_labels("adherent")
        {'oui': 'Oui', 'non': 'Non'}
        """
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

        Returns
        -------
        pandas.DataFrame
            One row per question.

        Examples
        --------
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.codebook().loc[0, "modalités"]
        'oui = Oui ; non = Non'
        """
        return codebook_frame(self)

    def codebook_to(self, path: str | PathLike[str]) -> Path:
        """Write the codebook to an ``.xlsx`` workbook or a Markdown (``.md``) file.

        Parameters
        ----------
        path
            The ``.xlsx`` or ``.md`` file to write.

        Returns
        -------
        pathlib.Path
            The written file.

        Examples
        --------
        >>> import os, tempfile
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.codebook_to(os.path.join(tempfile.mkdtemp(), "codes.md")).suffix
        '.md'
        """
        return write_codebook(self, path)

    # -- validation ---------------------------------------------------------------------------

    def check(self) -> pd.DataFrame:
        """List the problems of the form without raising.

        Returns
        -------
        ProblemTable
            The toolkit's problems table: ``feuille``, ``élément`` (the question or list
            concerned), ``ligne`` (row of the workbook, when read from a file), ``colonne``,
            ``valeur``, ``gravité`` (``erreur``: the form will not work; ``alerte``: it works
            but should be improved) and ``message``, in French. Empty when all is well.

        Examples
        --------
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> len(q.check())
        0
        """
        log = ProblemLog()
        for severity, sheet, line, name, message in lint(self):
            log.add(severity, message, ligne=line, feuille=sheet, élément=name or None)
        return log.frame()

    def validate(self) -> pd.DataFrame:
        """Check the form; raise :class:`ValidationError` listing every error.

        Rules (XLSForm specification): unique and valid names, known types, select
        questions with an existing, non-empty choice list, no space in the choice names of a
        ``select_multiple``, no duplicate choice in a list, balanced groups and repeats,
        ``${…}`` references to existing questions. Advice (``relevance`` instead of
        ``relevant``, ``or_other``, accents in names, unused lists) does not raise.

        Returns
        -------
        pandas.DataFrame
            The remaining advice (see :meth:`check`), possibly empty.

        Examples
        --------
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> len(q.validate())
        0
        """
        problems = self.check()
        errors = problems[problems["gravité"] == "erreur"]
        if len(errors):
            listed = "\n".join(
                f"  – {where(r['feuille'], r['ligne'], _text(r.get('élément')))}{r['message']}"
                for r in errors.to_dict("records")
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
        """The ``survey`` sheet as a DataFrame (standard column names, text cells).

        Examples
        --------
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.survey_frame()["type"].tolist()
        ['select_one oui_non']
        """
        return survey_sheet(self)

    def choices_frame(self) -> pd.DataFrame:
        """The ``choices`` sheet as a DataFrame (``list_name``, ``name``, ``label``, …).

        Examples
        --------
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.choices_frame()["name"].tolist()
        ['oui', 'non']
        """
        return choices_sheet(self)

    def settings_frame(self) -> pd.DataFrame:
        """The ``settings`` sheet (one row) as a DataFrame.

        Examples
        --------
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.settings_frame()["form_title"].tolist()
        ['Mini']
        """
        return settings_sheet(self)

    def to_xlsform(self, path: str | PathLike[str], *, validate: bool = True) -> Path:
        """Write the questionnaire as an XLSForm workbook (``.xlsx``) for KoboToolbox/ODK.

        The form is validated first (``validate=False`` skips it). Returns the path written.

        Parameters
        ----------
        path
            The ``.xlsx`` file to write.
        validate
            Check the form first (raise :class:`ValidationError` on an error).

        Returns
        -------
        pathlib.Path
            The written file.

        Examples
        --------
        >>> import os, tempfile
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.to_xlsform(os.path.join(tempfile.mkdtemp(), "formulaire.xlsx")).name
        'formulaire.xlsx'
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
        """The codebook (see :meth:`codebook`): one row per question.

        Returns
        -------
        pandas.DataFrame
            See :meth:`codebook`.

        Examples
        --------
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.to_frame().shape
        (1, 7)
        """
        return self.codebook()


def _text(value: object) -> str:
    """A cell of a problems table as text (empty when missing)."""
    return "" if value is None or pd.isna(value) else str(value)
