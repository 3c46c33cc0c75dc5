"""Building a questionnaire in Python: choice lists, questions, notes, groups.

A private module with a public name: :class:`QuestionnaireBuilder` gives
:class:`movsc_toolkit.survey.Questionnaire` its building methods (``add_choices``,
``add_question``, ``add_note``, ``begin_group``, ``end_group``), each returning the
questionnaire so that calls can be chained.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Self

from .._errors import ValidationError
from ._xlsform import SELECT_TYPES, normalise_type
from .question import Choice, Question

__all__ = ["QuestionnaireBuilder"]


def _translations(value: str | Mapping[str, str] | None, prefix: str) -> tuple[str, dict]:
    if value is None:
        return "", {}
    if isinstance(value, Mapping):
        return "", {f"{prefix}::{lang}": str(text) for lang, text in value.items()}
    return str(value), {}


class QuestionnaireBuilder:
    """The building methods of :class:`~movsc_toolkit.survey.Questionnaire`."""

    rows: list[Question]
    choices: dict[str, list[Choice]]
    _open: list[tuple[str, str]]

    # -- building -------------------------------------------------------------------------

    def add_choices(
        self,
        list_name: str,
        choices: Mapping[str, str] | Sequence[str] | Sequence[tuple[str, str]],
    ) -> Self:
        """Add (or extend) a choice list.

        ``choices`` is a dict ``{name: label}``, a list of ``(name, label)`` pairs, or a list of
        labels (the names are then ``1``, ``2``, ``3``…). Returns the questionnaire, so calls
        can be chained.

        Parameters
        ----------
        list_name
            Name of the choice list (``"oui_non"``).
        choices
            ``{name: label}``, ``(name, label)`` pairs, or labels only.

        Returns
        -------
        Questionnaire
            The same questionnaire, so that calls can be chained.

        Examples
        --------
        >>> from movsc_toolkit.survey import Questionnaire
        >>> q = Questionnaire().add_choices("frequence", ["Jamais", "Parfois", "Souvent"])
        >>> [c.name for c in q.choices["frequence"]]
        ['1', '2', '3']
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
    ) -> Self:
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

        Returns
        -------
        Questionnaire
            The same questionnaire, so that calls can be chained.

        Examples
        --------
        >>> from movsc_toolkit.survey import Questionnaire
        >>> q = Questionnaire(title="Mini").add_choices("oui_non", {"oui": "Oui", "non": "Non"})
        >>> q = q.add_question("select_one oui_non", "adherent", "Êtes-vous adhérent·e ?")
        >>> q.names
        ['adherent']
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

    def add_note(self, name: str, label: str | Mapping[str, str]) -> Self:
        """Add a note (text shown to the respondent, no answer).

        Parameters
        ----------
        name
            Variable name of the note.
        label
            Text shown (or ``{langue: texte}``).

        Returns
        -------
        Questionnaire
            The same questionnaire, so that calls can be chained.

        Examples
        --------
        >>> from movsc_toolkit.survey import Questionnaire
        >>> Questionnaire().add_note("merci", "Merci !").rows[0].type
        'note'
        """
        return self.add_question("note", name, label)

    def begin_group(
        self,
        name: str,
        label: str | Mapping[str, str] = "",
        *,
        relevant: str = "",
        appearance: str = "",
        repeat: bool = False,
    ) -> Self:
        """Open a group (``repeat=True``: a repeat) that :meth:`end_group` closes.

        Parameters
        ----------
        name
            Name of the group.
        label
            Title shown (or ``{langue: texte}``).
        relevant
            Condition for showing the whole group.
        appearance
            XLSForm ``appearance`` (``"field-list"``: one page).
        repeat
            ``True``: a repeat (the questions are asked several times).

        Returns
        -------
        Questionnaire
            The same questionnaire, so that calls can be chained.

        Examples
        --------
        >>> from movsc_toolkit.survey import Questionnaire
        >>> q = Questionnaire().begin_group("profil", "Profil")
        >>> q = q.add_question("integer", "age", "Âge ?").end_group()
        >>> q.question("age").path
        'profil/age'
        """
        kind = "repeat" if repeat else "group"
        self.add_question(f"begin_{kind}", name, label, relevant=relevant, appearance=appearance)
        self._open.append((kind, name))
        return self

    def end_group(self) -> Self:
        """Close the last group or repeat opened by :meth:`begin_group`.

        Returns
        -------
        Questionnaire
            The same questionnaire, so that calls can be chained.

        Examples
        --------
        >>> from movsc_toolkit.survey import Questionnaire
        >>> len(Questionnaire().begin_group("g").end_group().rows)
        2
        """
        if not self._open:
            raise ValidationError(
                "aucun groupe n'est ouvert : end_group() n'a rien à fermer.",
                hint="appelez begin_group(…) avant end_group().",
            )
        kind, _ = self._open.pop()
        group = tuple(g for _, g in self._open)
        self.rows.append(Question(type=f"end_{kind}", name="", group=group))
        return self
