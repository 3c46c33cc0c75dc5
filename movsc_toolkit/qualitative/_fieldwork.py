"""Preparing the fieldwork: the interview guide (.docx) and the sampling grid (.xlsx).

The sampling grid diversifies the profiles (Pires, A. (1997), « Échantillonnage et recherche
qualitative : essai théorique et méthodologique », in Poupart et al., *La recherche
qualitative*, 113-169); it is checked by ``tests/qualitative/test_qualitative.py::
test_sampling_grid``.
"""

from __future__ import annotations

import re
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, ValidationError
from .._report import Report, result
from .._write import save_docx, xml_text
from ._common import find_column, line_numbers, tables_html, text_of
from ._office import add_paragraph, new_document, read_source

__all__ = ["InterviewGuide", "interview_guide", "sampling_grid"]


# --------------------------------------------------------------------------------------------
# interview guide


@result
class InterviewGuide(Report):
    """An interview guide: themes → questions → relances (follow-up prompts).

    Attributes
    ----------
    table : DataFrame
        ``Thème``, ``Question``, ``Relances`` (one row per question, in order).
    title, introduction : str

    Examples
    --------
    >>> import pandas as pd
    >>> from movsc_toolkit import qualitative as quali
    >>> guide = quali.interview_guide(pd.DataFrame({
    ...     "thème": ["Parcours", "Parcours", "Attentes"],
    ...     "question": ["Comment avez-vous connu le centre ?", "Depuis quand venez-vous ?",
    ...                  "Qu'attendez-vous du centre ?"],
    ...     "relances": ["Par qui ?", "", "Et pour vos enfants ?"]}), title="Guide usagers")
    >>> print(guide)
    Guide usagers : 2 thèmes, 3 questions, 2 relances.
    >>> guide.to_frame()["Thème"].tolist()
    ['Parcours', 'Parcours', 'Attentes']
    """

    table: pd.DataFrame
    title: str
    introduction: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_docx(self, path: str | PathLike[str]) -> Path:
        """Write the guide as a Word document (themes as headings, numbered questions)."""
        doc = new_document(self.title)
        if self.introduction:
            add_paragraph(doc, self.introduction, bold_prefix="Introduction (à lire) : ")
        number = 0
        for theme, group in self.table.groupby("Thème", sort=False):
            doc.add_heading(xml_text(theme), level=2)
            for _, row in group.iterrows():
                number += 1
                add_paragraph(doc, row["Question"], bold_prefix=f"Q{number}. ")
                for relance in [r for r in row["Relances"].split("\n") if r.strip()]:
                    add_paragraph(
                        doc, relance.strip(), bold_prefix="Relance : ", style="List Bullet"
                    )
        add_paragraph(
            doc,
            "Avez-vous quelque chose à ajouter que nous n'aurions pas abordé ? Merci pour "
            "votre temps.",
            bold_prefix="Clôture : ",
        )
        return save_docx(doc, path, what="le guide d'entretien")

    def _lines(self) -> list[str]:
        n_themes = self.table["Thème"].nunique()
        n_rel = sum(len([r for r in x.split("\n") if r.strip()]) for x in self.table["Relances"])
        return [f"{self.title} : {n_themes} thèmes, {len(self.table)} questions, {n_rel} relances."]

    def _html_tables(self) -> str:
        return tables_html(self._tables())

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Guide", self.table)]


def interview_guide(
    source: str | PathLike[str] | pd.DataFrame,
    *,
    title: str = "Guide d'entretien",
    introduction: str = "",
    sheet: str | int | None = None,
) -> InterviewGuide:
    """Build an interview guide from a small table: ``thème``, ``question``, ``relances``.

    One row per question; the theme may be written only on its first question (cells below
    left empty); several relances go in one cell separated by ``;`` or line breaks, or on
    following rows with an empty question.

    Parameters
    ----------
    source
        A table (or a spreadsheet) with the columns ``thème``, ``question`` and, optionally,
        ``relances`` (separated by ``;``).
    title
        The guide's title.
    introduction
        The text read at the start of the interview.
    sheet
        The sheet of a workbook (default: the first).

    Returns
    -------
    InterviewGuide
        The guide (``.to_frame()``, ``.to_docx(path)``).

    Examples
    --------
    >>> import pandas as pd
    >>> from movsc_toolkit import qualitative as quali
    >>> guide = quali.interview_guide(pd.DataFrame({
    ...     "thème": ["Parcours", "Parcours", "Attentes"],
    ...     "question": ["Comment avez-vous connu le centre ?", "Depuis quand venez-vous ?",
    ...                  "Qu'attendez-vous du centre ?"],
    ...     "relances": ["Par qui ?", "", "Et pour vos enfants ?"]}), title="Guide usagers")
    >>> print(guide)
    Guide usagers : 2 thèmes, 3 questions, 2 relances.
    """
    data, where = read_source(source, sheet)
    theme_col = find_column(
        data,
        ["thème", "theme", "partie"],
        required=True,
        path=where,
        what="le thème de chaque question",
    )
    q_col = find_column(
        data, ["question", "questions"], required=True, path=where, what="la question"
    )
    r_col = find_column(data, ["relances", "relance", "sous-questions", "relances possibles"])
    rows: list[dict[str, str]] = []
    theme = ""
    for line, (_, rec) in zip(line_numbers(data), data.iterrows(), strict=True):
        theme = text_of(rec[theme_col]) or theme
        question = text_of(rec[q_col])
        relances = text_of(rec[r_col]) if r_col else ""
        relances = "\n".join(r.strip() for r in re.split(r"[;\n]", relances) if r.strip())
        if not question and not relances:
            continue
        if not theme:
            raise ValidationError(
                "question sans thème.",
                path=where,
                line=line,
                column=theme_col,
                hint="indiquez le thème sur la première question de chaque partie.",
            )
        if not question:
            if not rows:
                raise ValidationError(
                    "relance sans question.",
                    path=where,
                    line=line,
                    column=q_col,
                    hint="écrivez la question avant ses relances.",
                )
            rows[-1]["Relances"] = "\n".join(x for x in (rows[-1]["Relances"], relances) if x)
            continue
        rows.append({"Thème": theme, "Question": question, "Relances": relances})
    if not rows:
        raise DataError("le guide d'entretien ne contient aucune question.", path=where)
    return InterviewGuide(pd.DataFrame(rows), title, introduction)


# --------------------------------------------------------------------------------------------
# sampling grid


def sampling_grid(
    targets: str | PathLike[str] | pd.DataFrame,
    done: Any = None,
    *,
    target_column: str | None = None,
) -> pd.DataFrame:
    """Qualitative sampling grid: planned interviews per profile, done, still missing.

    Parameters
    ----------
    targets
        One row per profile (cell of the grid): the profile columns (``statut``,
        ``ancienneté``…) and the number of interviews planned (column ``cible``, ``prévu`` or
        ``target_column``).
    done
        The interviews done: a :class:`~movsc_toolkit.lexico.Corpus`, a :class:`Codings` or a
        table of interviews with the same profile columns (``None``: none yet).

    Returns
    -------
    pandas.DataFrame
        The profile columns, ``Prévus``, ``Réalisés``, ``Manquants`` (never negative),
        ``État`` (« complet », « à compléter », « dépassé »), and a ``Total`` row.

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> import pandas as pd
    >>> cibles = pd.DataFrame({"statut": ["usager", "bénévole"], "cible": [8, 4]})
    >>> quali.sampling_grid(cibles, done=codage.corpus.metadata).columns.tolist()
    ['statut', 'Prévus', 'Réalisés', 'Manquants', 'État']
    """
    data, where = read_source(targets)
    target = target_column or find_column(
        data,
        ["cible", "prévu", "prévus", "objectif", "nombre"],
        required=True,
        path=where,
        what="le nombre d'entretiens prévus",
    )
    profile = [c for c in data.columns if c != target]
    try:
        planned = pd.to_numeric(data[target], errors="raise").astype(np.int64)
    except (ValueError, TypeError):
        raise ValidationError(
            "les nombres d'entretiens prévus doivent être des entiers.",
            path=where,
            column=target,
            hint="écrivez 2, 3… dans cette colonne.",
        ) from None
    if done is None:
        table = pd.DataFrame(columns=profile)
    elif isinstance(done, pd.DataFrame):
        table = done
    elif hasattr(done, "cases"):
        table = done.cases.reset_index(drop=True)
    else:
        table = done.metadata
    missing = [c for c in profile if c not in table.columns]
    if missing and done is not None:
        from .._errors import column_error

        raise column_error(missing[0], table.columns, what="variable")

    def key(frame: pd.DataFrame) -> pd.Series:
        if not len(frame):
            return pd.Series([], dtype=object)
        columns = [frame[c].map(text_of).str.casefold() for c in profile]
        return pd.Series(list(zip(*columns, strict=True)), dtype=object)

    made = key(table).value_counts() if done is not None and len(table) else pd.Series(dtype=int)
    out = data[profile].copy()
    out["Prévus"] = planned.to_numpy()
    out["Réalisés"] = [int(made.get(k, 0)) for k in key(data)]
    out["Manquants"] = np.maximum(out["Prévus"] - out["Réalisés"], 0)
    out["État"] = np.where(
        out["Réalisés"] > out["Prévus"],
        "dépassé",
        np.where(out["Manquants"] == 0, "complet", "à compléter"),
    )
    outside = int(len(table) - out["Réalisés"].sum()) if done is not None else 0
    total: dict[str, object] = {c: "" for c in profile}
    total[profile[0]] = "Total"
    total.update(
        {
            "Prévus": int(out["Prévus"].sum()),
            "Réalisés": int(out["Réalisés"].sum()),
            "Manquants": int(out["Manquants"].sum()),
            "État": "",
        }
    )
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out.attrs["hors_grille"] = outside
    return out


# --------------------------------------------------------------------------------------------
# RGPD


# --------------------------------------------------------------------------------------------
# triangulation and restitution


# --------------------------------------------------------------------------------------------
# problem / objectives tree and the note for the board
