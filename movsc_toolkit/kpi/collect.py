"""Collecting indicator values: from survey responses (:func:`indicator_from_survey`) into a
project (:func:`add_values`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ColumnError, DataError, column_error
from .._parse import check_weights, parse_date
from ._cells import DateLike
from .model import Project, build_project

__all__ = ["add_values", "indicator_from_survey"]


def indicator_from_survey(
    data: pd.DataFrame,
    code: str,
    *,
    column: str | None = None,
    values: Any = None,
    condition: pd.Series | Callable[[pd.DataFrame], pd.Series] | None = None,
    period_start: DateLike,
    period_end: DateLike,
    by: str | Sequence[str] | None = None,
    weights: str | None = None,
    factor: float = 100.0,
    value_type: str = "realise",
    source: str | None = None,
) -> pd.DataFrame:
    """Compute an indicator's value (numerator / denominator) from survey responses.

    Parameters
    ----------
    data
        One row per respondent (e.g. ``read_table("enquete.csv")``).
    code
        The indicator's code.
    column, values
        The question and the answers counted in the numerator, e.g.
        ``column="satisfaction", values=["Satisfait", "Très satisfait"]``. The denominator is
        the respondents who answered the question (missing answers are left out and counted
        in the ``commentaire``). A boolean column needs no ``values``.
    condition
        Instead of ``column``/``values``: a boolean Series aligned on ``data``, or a function
        of ``data`` returning one (missing = not answered).
    period_start, period_end
        The period of the survey (columns ``periode_debut`` and ``periode_fin``).
    by
        Disaggregation column(s): one row per modality is added (they add up to the total).
    weights
        Optional column of survey weights (weighted counts).
    factor
        100 for a percentage (default).
    value_type
        ``"realise"`` (default), ``"reference"`` or ``"cible"`` (column ``type_valeur``).
    source
        Written in the ``source`` column.

    Returns
    -------
    pandas.DataFrame
        Rows in the layout of the ``valeurs`` sheet, ready for :func:`add_values`.

    References
    ----------
    The weights follow the survey's rule (:func:`movsc_toolkit._parse.check_weights`): a
    missing, non-numeric (« NC ») or negative weight raises an error naming the lines, as
    ``survey.freq`` does (``tests/kpi/test_tracking.py``,
    ``test_indicator_from_survey_refuses_bad_weights_naming_the_lines``).

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi, read_table
    >>> enquete = read_table(datasets.path("projet_cap_avenir") / "enquete_jeunes_2026.csv")
    >>> lignes = kpi.indicator_from_survey(
    ...     enquete, "SAT", column="satisfaction", values=["Satisfait", "Très satisfait"],
    ...     period_start="01/01/2026", period_end="31/03/2026", by="sexe")
    >>> lignes[["dimension_valeur", "numerateur_valeur", "denominateur_valeur"]]
      dimension_valeur  numerateur_valeur  denominateur_valeur
    0              NaN               54.0                 61.0
    1            Homme               32.0                 37.0
    2            Femme               22.0                 24.0
    >>> round(float(lignes.loc[0, "valeur"]), 2)
    88.52
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError("data doit être un tableau (DataFrame) de réponses.")
    if condition is None and column is None:
        raise DataError(
            "précisez la question (column=… et values=…) ou une condition (condition=…).",
            hint="par exemple column='satisfaction', values=['Satisfait', 'Très satisfait'].",
        )
    if condition is not None:
        cond = condition(data) if callable(condition) else condition
        cond = pd.Series(cond, index=data.index) if not isinstance(cond, pd.Series) else cond
        answered = cond.notna()
        success = cond.fillna(False).astype(bool)
    else:
        if column not in data.columns:
            raise column_error(column, data.columns)
        answers = data[column]
        answered = answers.notna()
        if values is None:
            if not pd.api.types.is_bool_dtype(answers.dropna()):
                raise DataError(
                    f"la colonne « {column} » n'est pas une colonne vrai/faux : indiquez les "
                    "réponses à compter avec values=[…].",
                    hint=f"réponses présentes : {', '.join(map(str, answers.dropna().unique()[:8]))}.",
                )
            success = answers.fillna(False).astype(bool)
        else:
            wanted = (
                [values]
                if isinstance(values, str)
                or not isinstance(values, Sequence | set | pd.Index | np.ndarray)
                else list(values)
            )
            present = set(answers.dropna().unique())
            unknown = [w for w in wanted if w not in present]
            if len(unknown) == len(wanted):
                raise DataError(
                    f"aucune des réponses {', '.join(map(str, wanted))} n'apparaît dans la "
                    f"colonne « {column} ».",
                    hint="réponses présentes : "
                    + ", ".join(f"« {a} »" for a in list(present)[:10])
                    + ".",
                )
            success = answers.isin(wanted)
    if weights is not None and isinstance(weights, str) and weights not in data.columns:
        raise column_error(weights, data.columns)
    # the survey's weight rules: missing, non-numeric ("NC") or negative weights are refused
    # with the lines named, never silently counted 0
    checked = check_weights(data, weights)
    w = pd.Series(1.0 if checked is None else checked, index=data.index)
    start = parse_date(period_start, "period_start")
    end = parse_date(period_end, "period_end")
    frame = pd.DataFrame({"_num": (success & answered) * w, "_den": answered * w})
    n_missing = int((~answered).sum())
    comment = f"calculé sur {int(answered.sum())} réponse(s)" + (
        f" ({n_missing} sans réponse écartée(s))" if n_missing else ""
    )
    rows = [("", "", frame["_num"].sum(), frame["_den"].sum())]
    groups = [by] if isinstance(by, str) else list(by or [])
    for col in groups:
        if col not in data.columns:
            raise column_error(col, data.columns)
        keyed = frame.assign(_m=data[col])
        if keyed["_m"].isna().any():
            keyed["_m"] = keyed["_m"].astype(object).fillna("non renseigné")
        sums = keyed.groupby("_m", sort=False)[["_num", "_den"]].sum()
        rows += [(col, str(m), s["_num"], s["_den"]) for m, s in sums.iterrows()]
    out = pd.DataFrame(
        rows,
        columns=["dimension_nom", "dimension_valeur", "numerateur_valeur", "denominateur_valeur"],
    )
    out = out[out["denominateur_valeur"] > 0]
    out.insert(0, "code", code)
    out.insert(1, "type_valeur", value_type)
    out.insert(2, "periode_debut", start)
    out.insert(3, "periode_fin", end)
    out["dimension_nom"] = out["dimension_nom"].replace("", None)
    out["dimension_valeur"] = out["dimension_valeur"].replace("", None)
    out["valeur"] = factor * out["numerateur_valeur"] / out["denominateur_valeur"]
    out["commentaire"] = comment
    out["source"] = source
    return out.reset_index(drop=True)


def add_values(project: Project, rows: pd.DataFrame) -> Project:
    """A new project with ``rows`` (in the ``valeurs`` layout) added and validated again.

    The original project is not modified. Problems of the new rows appear in
    ``problems`` with an empty line number (sheet ``valeurs``).

    Parameters
    ----------
    project
        The project (:class:`Project`), left unchanged.
    rows
        Rows in the layout of the ``valeurs`` sheet (at least ``code`` and ``type_valeur``),
        e.g. from :func:`indicator_from_survey`.

    Returns
    -------
    Project
        A new project, validated again, whose ``problems`` keep the errors of the original.

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi, read_table
    >>> projet = datasets.load("projet_cap_avenir")
    >>> enquete = read_table(datasets.path("projet_cap_avenir") / "enquete_jeunes_2026.csv")
    >>> lignes = kpi.indicator_from_survey(
    ...     enquete, "SAT", column="satisfaction", values=["Satisfait", "Très satisfait"],
    ...     period_start="01/01/2026", period_end="31/03/2026")
    >>> maj = kpi.add_values(projet, lignes)
    >>> len(maj.values) - len(projet.values)
    1
    """
    missing = [c for c in ("code", "type_valeur") if c not in rows.columns]
    if missing:
        raise ColumnError(
            f"les lignes à ajouter n'ont pas de colonne « {missing[0]} ».",
            hint="construisez-les avec indicator_from_survey(…) ou avec les colonnes de la "
            "feuille valeurs.",
        )
    added = rows.copy()
    added["ligne"] = pd.NA
    values = pd.concat([project.values, added], ignore_index=True)
    new = build_project(
        project.indicators,
        values,
        project.logframe,
        project.milestones,
        project.budget,
        name=project.name,
        path=project.source,
    )
    old_errors = project.problems[project.problems["gravité"] == "erreur"]
    problems = pd.concat([old_errors, new.problems], ignore_index=True).drop_duplicates(
        ignore_index=True
    )
    return Project(
        indicators=new.indicators,
        values=new.values,
        logframe=new.logframe,
        milestones=new.milestones,
        budget=new.budget,
        problems=problems,
        name=new.name,
        source=new.source,
    )
