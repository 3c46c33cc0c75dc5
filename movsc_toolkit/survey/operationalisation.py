"""The operationalisation map: hypothèse → dimensions → indicateurs → questions.

:class:`Operationalisation` links each research hypothesis to dimensions, indicators and
questions, and proposes the analysis plan (which tris croisés and tests answer which
hypothesis).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike

import pandas as pd

from .._errors import ValidationError, closest, column_error
from .._parse import fold
from .._report import Report, result, titled_html
from .questionnaire import Question, Questionnaire

# --- operationalisation ---------------------------------------------------------------------

_OPE_COLUMNS = {
    "hypothèse": ["hypothese", "hypothesis", "hypothèses"],
    "dimension": ["dimensions"],
    "indicateur": ["indicateurs", "indicator", "indicateur(s)"],
    "question": ["questions", "variable", "variables"],
    "rôle": ["role", "statut"],
}


@dataclass(frozen=True)
class Indicator:
    """One line of the operationalisation map."""

    hypothesis: str
    dimension: str
    indicator: str
    questions: tuple[str, ...]
    role: str = ""


@result
class Operationalisation(Report):
    """The operationalisation map: hypothèse → dimensions → indicateurs → questions.

    Each hypothesis is broken down into dimensions, each dimension into observable indicators,
    each indicator into the questions that measure it. The ``rôle`` of an indicator says whether
    it is what the hypothesis explains (``à expliquer``, the dependent variable) or what
    explains it (``explicative``). From this map and the questionnaire,
    :meth:`analysis_plan` proposes the tris croisés and tests that answer each hypothesis.

    Build it with :meth:`add`, from a DataFrame with :meth:`from_frame`, or from an Excel sheet
    with :func:`read_operationalisation` (columns ``hypothèse``, ``dimension``, ``indicateur``,
    ``question`` — several question names separated by commas — and optionally ``rôle``).

    Examples
    --------
    >>> ope = Operationalisation()
    >>> ope = ope.add("H1 Âge et bénévolat", "profil", "âge", "tranche_age", role="explicative")
    >>> ope = ope.add("H1 Âge et bénévolat", "engagement", "bénévolat", "benevolat",
    ...               role="à expliquer")
    >>> print(ope)
    Opérationnalisation : 1 hypothèse(s), 2 indicateur(s).
    H1 Âge et bénévolat : profil › âge (tranche_age) ; engagement › bénévolat (benevolat).
    """

    indicators: list[Indicator] = field(default_factory=list)

    def add(
        self,
        hypothesis: str,
        dimension: str,
        indicator: str,
        questions: str | Sequence[str],
        role: str = "",
    ) -> Operationalisation:
        """Add an indicator (``role``: ``"explicative"`` or ``"à expliquer"``).

        Parameters
        ----------
        hypothesis
            The hypothesis (``"H1 L'âge joue sur le bénévolat"``).
        dimension
            The dimension of the hypothesis the indicator belongs to.
        indicator
            The observable indicator.
        questions
            The names of the questions measuring it (a list, or one text separated by commas).
        role
            ``"explicative"`` or ``"à expliquer"`` (empty if neither).

        Returns
        -------
        Operationalisation
            The same map, so that calls can be chained.

        Examples
        --------
        >>> ope = Operationalisation().add("H1", "profil", "âge", "tranche_age", role="explicative")
        >>> ope = ope.add("H1", "engagement", "bénévolat", "benevolat", role="à expliquer")
        >>> ope.hypotheses
        ['H1']
        """
        if isinstance(questions, str):
            questions = [q for q in re.split(r"[,;\s]+", questions) if q]
        self.indicators.append(
            Indicator(hypothesis, dimension, indicator, tuple(questions), _role(role))
        )
        return self

    @classmethod
    def from_frame(cls, data: pd.DataFrame) -> Operationalisation:
        """Read the map from a DataFrame (one row per indicator; see the class docstring)."""
        mapping: dict[str, str] = {}
        for col in data.columns:
            key = fold(col)
            for target, aliases in _OPE_COLUMNS.items():
                if key == fold(target) or key in {fold(a) for a in aliases}:
                    mapping[col] = target
        renamed = data.rename(columns=mapping)
        for needed in ("hypothèse", "dimension", "indicateur", "question"):
            if needed not in renamed.columns:
                raise column_error(needed, data.columns)
        filled = renamed.copy()
        # Merged cells in Excel come back as blanks below the first row: carry them down.
        for col in ("hypothèse", "dimension"):
            filled[col] = filled[col].replace("", pd.NA).ffill()
        ope = cls()
        for record in filled.to_dict("records"):
            questions = "" if pd.isna(record["question"]) else str(record["question"])
            if not questions.strip():
                continue
            role = record.get("rôle", "")
            ope.add(
                str(record["hypothèse"]),
                str(record["dimension"]),
                "" if pd.isna(record["indicateur"]) else str(record["indicateur"]),
                questions,
                "" if role is None or pd.isna(role) else str(role),
            )
        return ope

    @property
    def hypotheses(self) -> list[str]:
        """The hypotheses, in the order given."""
        return list(dict.fromkeys(i.hypothesis for i in self.indicators))

    def to_frame(self) -> pd.DataFrame:
        """The map as a table (``hypothèse``, ``dimension``, ``indicateur``, ``question``, ``rôle``).

        Returns
        -------
        pandas.DataFrame
            One row per indicator.

        Examples
        --------
        >>> ope = Operationalisation().add("H1", "profil", "âge", "tranche_age", role="explicative")
        >>> ope = ope.add("H1", "engagement", "bénévolat", "benevolat", role="à expliquer")
        >>> ope.to_frame().shape
        (2, 5)
        """
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

    def _lines(self) -> list[str]:
        lines = [
            f"Opérationnalisation : {len(self.hypotheses)} hypothèse(s), "
            f"{len(self.indicators)} indicateur(s)."
        ]
        for hypothesis in self.hypotheses:
            found = [i for i in self.indicators if i.hypothesis == hypothesis]
            shown = " ; ".join(
                f"{i.dimension} › {i.indicator} ({', '.join(i.questions)})" for i in found
            )
            lines.append(f"{hypothesis} : {shown}.")
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.to_frame(), "Carte d'opérationnalisation")

    def check(self, questionnaire: Questionnaire) -> None:
        """Raise :class:`ValidationError` if a question of the map is not in the questionnaire.

        Parameters
        ----------
        questionnaire
            The questionnaire the map refers to.

        Returns
        -------
        None

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> form = survey.read_xlsform(datasets.path("enquete_usagers", "formulaire.xlsx"))
        >>> ope = Operationalisation().add("H1", "profil", "âge", "tranche_age", role="explicative")
        >>> ope = ope.add("H1", "engagement", "bénévolat", "benevolat", role="à expliquer")
        >>> ope.check(form)
        """
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

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> form = survey.read_xlsform(datasets.path("enquete_usagers", "formulaire.xlsx"))
        >>> ope = Operationalisation().add("H1", "profil", "âge", "tranche_age", role="explicative")
        >>> ope = ope.add("H1", "engagement", "bénévolat", "benevolat", role="à expliquer")
        >>> ope.analysis_plan(form)["fonctions"].tolist()
        ['crosstab, chi2_test']
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
    key = fold(text)
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
    """Read an operationalisation map from a CSV or a spreadsheet (see :class:`Operationalisation`).

    Parameters
    ----------
    path
        The CSV, ``.xlsx`` or ``.ods`` file: columns ``hypothèse``, ``dimension``,
        ``indicateur``, ``question`` and optionally ``rôle``.
    sheet
        The sheet of a workbook (the first one by default).

    Returns
    -------
    Operationalisation
        The map, ready for :meth:`Operationalisation.analysis_plan`.

    Examples
    --------
    >>> import os, tempfile
    >>> import pandas as pd
    >>> path = os.path.join(tempfile.mkdtemp(), "carte.csv")
    >>> pd.DataFrame({"hypothèse": ["H1", "H1"], "dimension": ["profil", "engagement"],
    ...               "indicateur": ["âge", "bénévolat"],
    ...               "question": ["tranche_age", "benevolat"],
    ...               "rôle": ["explicative", "à expliquer"]}).to_csv(path, index=False)
    >>> read_operationalisation(path).hypotheses
    ['H1']
    """
    from .._io import read_table

    data = read_table(path, sheet=sheet, convert_numbers=False, parse_dates=False)
    return Operationalisation.from_frame(data)
