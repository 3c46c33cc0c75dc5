"""The records of a questionnaire: a choice of a list, a row of the ``survey`` sheet.

Both are plain values compared field by field (not results): a :class:`Questionnaire
<movsc_toolkit.survey.Questionnaire>` holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._xlsform import NOT_ASKED, STRUCTURE_TYPES

__all__ = ["Choice", "Question"]


@dataclass
class Choice:
    """One choice of a list (a row of the ``choices`` sheet).

    Attributes
    ----------
    list_name, name, label
        The three standard columns; ``name`` is what the data store, ``label`` what is shown.
    extra
        Any other column (``label::Français (fr)``, filter columns, media…), kept as text.

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> form = survey.read_xlsform(datasets.path("enquete_usagers", "formulaire.xlsx"))
    >>> form.choices["sexe"][0]
    Choice(list_name='sexe', name='femme', label='Femme', extra={})
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

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> form = survey.read_xlsform(datasets.path("enquete_usagers", "formulaire.xlsx"))
    >>> q = form.question("sexe")
    >>> q.xlsform_type, q.text
    ('select_one sexe', 'Vous êtes :')
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
        if self.type in STRUCTURE_TYPES:
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
        return self.type not in NOT_ASKED
